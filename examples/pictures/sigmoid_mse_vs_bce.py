"""Why MSE is a poor loss after a sigmoid: the seed's logistic regression under MSE and under BCE.

H(x) = sigmoid(w1·x1 + w2·x2 + b) on the seed's six samples. The seed's training loop (SGD, lr = 1,
epochs 0 to 1000 of ``F.binary_cross_entropy``) is repeated here to find the trained w2 and b; then both losses,
``F.mse_loss`` and ``F.binary_cross_entropy``, are evaluated with minigrad over a grid of (w1, b), w2 fixed.

What to notice (the seed's "평균 제곱 오차(MSE)를 로지스틱 회귀의 비용함수로 사용한다면?"):
- MSE (left) is not convex: away from the valley it flattens into plateaus where the gradient is nearly 0,
  so gradient descent started there barely moves; and it never exceeds 1, however wrong the prediction.
- BCE (right) is convex: one bowl-shaped valley, and the more confidently wrong the prediction, the steeper
  the wall, so the gradient always points back towards the valley.
The bottom row is the slice of each surface at the trained b (the line drawn on the surfaces).

The grid is evaluated in float64: in float32 the sigmoid rounds to exactly 1 once z > ~17, and BCE jumps to
its clamp (log 0 is taken as -100) instead of rising smoothly; PyTorch does the same.
"""

import _style
import matplotlib.pyplot as plt
import numpy as np

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
import minigrad.optim as optim

x_data = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]]
y_data = [[0], [0], [0], [1], [1], [1]]

minigrad.manual_seed(777)
x_train, y_train = minigrad.FloatTensor(x_data), minigrad.FloatTensor(y_data)
model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
optimizer = optim.SGD(model.parameters(), lr=1)
for _ in range(1001):
    loss = F.binary_cross_entropy(model(x_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
(w1_trained, w2), b_trained = model[0].weight[0].tolist(), model[0].bias.item()

x64, y64 = minigrad.DoubleTensor(x_data), minigrad.DoubleTensor(y_data)
LOSSES = {"MSE": F.mse_loss, "BCE": F.binary_cross_entropy}


def hypothesis(w1, b):
    """H(x) on the seed's six samples (rows), one column per entry of ``w1`` and ``b`` (tensors of shape (1, k))."""
    return (x64[:, :1] * w1 + x64[:, 1:] * w2 + b).sigmoid()


def losses(w1, b):
    """MSE and BCE on the seed's data for each (w1, b) pair in the same-shaped arrays ``w1`` and ``b``."""
    predicted = hypothesis(*(minigrad.from_numpy(grid.reshape(1, -1)) for grid in (w1, b)))
    target = y64.expand_as(predicted)
    return [loss(predicted, target, reduction="none").mean(0).numpy().reshape(w1.shape)
            for loss in LOSSES.values()]


def value_and_slope(loss, w1):
    """L and dL/dw1 at ``w1`` (b at its trained value), the slope from minigrad's backward."""
    w1 = minigrad.tensor([[w1]], dtype=minigrad.float64, requires_grad=True)
    value = loss(hypothesis(w1, b_trained), y64)
    value.backward()
    return value.item(), w1.grad.item()


grid_w1, grid_b = np.meshgrid(np.linspace(-4, 8, 61), np.linspace(-30, 5, 61))
slice_w1 = np.linspace(-4, 8, 241)
slices = losses(slice_w1, np.full_like(slice_w1, b_trained))

figure = plt.figure(figsize=(11, 8))
for column, (name, surface, curve) in enumerate(zip(LOSSES, losses(grid_w1, grid_b), slices)):
    top = figure.add_subplot(2, 2, column + 1, projection="3d")
    top.plot_surface(grid_w1, grid_b, surface, cmap="viridis", alpha=0.9)
    top.plot(slice_w1, np.full_like(slice_w1, b_trained), curve, color="tab:red", zorder=10)
    top.set(xlabel="w1", ylabel="b", zlabel=name,
            title=f"{name}: {'not convex (plateaus)' if name == 'MSE' else 'convex'}")
    bottom = figure.add_subplot(2, 2, column + 3)
    bottom.plot(slice_w1, curve, color="tab:red")
    bottom.axvline(w1_trained, color="0.5", linestyle=":", label=f"trained w1 = {w1_trained:.4f}")
    bottom.set(xlabel="w1", ylabel=name, title=f"{name} along w1 (w2 = {w2:.4f}, b = {b_trained:.4f})")
    value, gradient = value_and_slope(LOSSES[name], -3.0)
    bottom.annotate(f"slope at w1 = -3:\ndL/dw1 = {gradient:.2g}", xy=(-3, value), xytext=(-2.5, curve.max() * 0.6),
                    arrowprops={"arrowstyle": "->"})
    bottom.legend()
figure.suptitle("Logistic regression: MSE vs binary cross-entropy as the loss after a sigmoid")
figure.tight_layout()
_style.save(figure, __file__)
