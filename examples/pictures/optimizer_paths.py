"""The optimizer family on one loss surface: where SGD, Momentum, NAG, Adagrad, RMSprop and Adam go in 2-D.

The surface is an elongated bowl, L(w1, w2) = w1²/20 + w2², written with minigrad tensor operations: the
contours are the same function evaluated on a grid, and every step's gradient comes from ``loss.backward()``.
All six start from the same point and take the same number of steps.

What to notice (the seed's "다양한 최적화 알고리즘들"):
- SGD: a learning rate large enough to make progress along the flat w1 direction makes it zigzag across
  the steep w2 one.
- Momentum carries velocity from step to step, so it swings across the valley several times before it
  settles; NAG, which takes the gradient where the velocity is about to carry it, damps the swings.
- Adagrad, RMSprop and Adam divide each coordinate's step by that coordinate's own gradient size, so their
  first steps are diagonal (equal in w1 and w2) and they do not zigzag; Adam's momentum carries it past
  the minimum.
The legend gives each one's learning rate and its loss after the last step (the big dot).
"""

import _style
import matplotlib.pyplot as plt
import numpy as np

import minigrad
import minigrad.optim as optim

OPTIMIZERS = {
    "SGD": lambda params: optim.SGD(params, lr=0.85),
    "Momentum": lambda params: optim.SGD(params, lr=0.15, momentum=0.8),
    "NAG": lambda params: optim.SGD(params, lr=0.15, momentum=0.8, nesterov=True),
    "Adagrad": lambda params: optim.Adagrad(params, lr=1.5),
    "RMSprop": lambda params: optim.RMSprop(params, lr=0.05),
    "Adam": lambda params: optim.Adam(params, lr=0.5),
}
start = (-9.0, 2.5)
n_steps = 30


def loss_surface(w1, w2):
    """An elongated bowl: 20 times flatter along w1 than along w2; the minimum is at (0, 0)."""
    return w1**2 / 20 + w2**2


def path(make_optimizer):
    """The points (w1, w2) one optimizer visits from ``start``, and its learning rate."""
    w = minigrad.tensor(start, requires_grad=True)
    optimizer = make_optimizer([w])
    points = [w.tolist()]
    for _ in range(n_steps):
        loss = loss_surface(w[0], w[1])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        points.append(w.tolist())
    return np.array(points), optimizer.param_groups[0]["lr"]


grid_w1, grid_w2 = np.meshgrid(np.linspace(-10, 4, 141), np.linspace(-3.5, 3.5, 71))
surface = loss_surface(minigrad.from_numpy(grid_w1), minigrad.from_numpy(grid_w2)).numpy()

figure, axes = plt.subplots(figsize=(9, 5))
axes.contour(grid_w1, grid_w2, surface, levels=np.geomspace(0.02, 16, 12), colors="0.75", linewidths=0.8)
for name, make_optimizer in OPTIMIZERS.items():
    points, lr = path(make_optimizer)
    lines = axes.plot(points[:, 0], points[:, 1], ".-", markersize=4, linewidth=1.2,
                      label=f"{name} (lr {lr:g}): L = {loss_surface(*points[-1]):.2g}")
    axes.plot(*points[-1], "o", color=lines[0].get_color())
axes.plot(*start, "ks", label="start")
axes.plot(0, 0, "k*", markersize=12, label="minimum")
axes.set(xlabel="w1", ylabel="w2", aspect="equal",
         title=f"Six optimizers, {n_steps} steps each, on L = w1²/20 + w2²")
axes.legend(loc="upper right", ncol=2)
figure.tight_layout()
_style.save(figure, __file__)
