"""Gradient descent on the seed's linear regression: the loss curve L(W) and the steps SGD takes down it.

Data x = [1, 2, 3], y = 2x, hypothesis H(x) = Wx with no bias (so the loss is a function of W alone),
L(W) = F.mse_loss(H(x), y). The curve is evaluated with minigrad on a grid of W; the dots are real SGD steps
(lr = 0.01) of ``nn.Linear(1, 1, bias=False)``, whose gradients come from ``loss.backward()``.

What to notice (the seed's rule, 경사 하강법): W := W - lr * gradient.
- Left of the minimum the gradient is negative, so W increases (the path from the seed's init, W = -0.8362).
- Right of it the gradient is positive, so W decreases (a second path, started at W = 4.5).
The steps shrink as the slope flattens near W = 2, though the learning rate stays the same.
"""

import _style
import matplotlib.pyplot as plt
import numpy as np

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
import minigrad.optim as optim

x_train = minigrad.FloatTensor([[1], [2], [3]])
y_train = minigrad.FloatTensor([[2], [4], [6]])
n_steps = 12


def sgd_path(init=None):
    """(W, L(W), dL/dW) before each SGD step, from the seed's initial weight or from ``init``."""
    minigrad.manual_seed(777)
    model = nn.Linear(1, 1, bias=False)  # H(x) = Wx; under seed 777, W starts at -0.8362 as in the seed
    if init is not None:
        with minigrad.no_grad():
            model.weight.fill_(init)
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    path = []
    for _ in range(n_steps):
        loss = F.mse_loss(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        path.append((model.weight.item(), loss.item(), model.weight.grad.item()))
        optimizer.step()
    return path


ws = np.linspace(-1.5, 5.5, 141)
curve = [F.mse_loss(w * x_train, y_train).item() for w in ws]

figure, axes = plt.subplots(figsize=(8, 5))
axes.plot(ws, curve, color="0.3", label="L(W) = mean((Wx - y)²)")
for path, colour, rule, corner in [  # each path's label goes in the bottom corner on its side, clear of the curve
    (sgd_path(), "tab:blue", "gradient < 0  →  W increases", "left"),
    (sgd_path(init=4.5), "tab:red", "gradient > 0  →  W decreases", "right"),
]:
    w, loss, gradient = np.array(path).T
    axes.plot(w, loss, "o", color=colour, label=f"SGD from W = {w[0]:.4g} (lr = 0.01)")
    for i in range(n_steps - 1):
        axes.annotate("", xy=(w[i + 1], loss[i + 1]), xytext=(w[i], loss[i]),
                      arrowprops={"arrowstyle": "->", "color": colour})
    tangent = w[0] + np.array([-0.7, 0.7])  # the gradient is the slope of the curve where W stands
    axes.plot(tangent, loss[0] + gradient[0] * (tangent - w[0]), "--", color=colour)
    axes.text(0.015 if corner == "left" else 0.985, 0.03, f"{rule}\nW := W - α·gradient\n"
              f"first gradient (dashed): {gradient[0]:+.2f}", ha=corner, va="bottom", color=colour,
              transform=axes.transAxes)
axes.axvline(2, color="0.6", linestyle=":", label="minimum: W = 2")
axes.set(xlabel="W", ylabel="loss L(W)", title="Gradient descent: each step moves W against the gradient",
         ylim=(-2, max(curve)))
axes.legend(loc="upper center")
figure.tight_layout()
_style.save(figure, __file__)
