# ruff: noqa: F821, I001 (a notebook: names from the included cells, imports in reading order; build.py drops this
# line)

# %% [markdown]
# # Forward mode and reverse mode: Jacobians, Hessians, Newton's method, a gradient penalty
#
# For a function $f: \mathbb{R}^n \to \mathbb{R}^m$ with Jacobian $J$ ($m \times n$), automatic differentiation
# gives two products cheaply, each for about the price of one evaluation of $f$:
#
# - **forward mode**, the Jacobian-vector product (JVP) $J v$: every value carries a *tangent*, its derivative
#   along the direction $v$, computed beside it op by op. One pass gives one **column** of $J$ (take $v = e_j$).
# - **reverse mode**, the vector-Jacobian product (VJP) $u^T J$: backward, what `backward()` does. One pass gives
#   one **row** of $J$ (take $u = e_i$).
#
# So a whole Jacobian costs $n$ forward passes or $m$ backward passes: forward mode wins for a *tall* $J$ (few
# inputs, many outputs), reverse mode for a *wide* one (many inputs, few outputs: a loss, $m = 1$, is why deep
# learning runs backward). Second derivatives come from differentiating a derivative: `create_graph=True` records
# the backward pass itself as a graph, so a gradient can be differentiated again.
#
# This chapter, on **minigrad** and beside PyTorch every time:
#
# 1. the two modes step by step on a small function (`minigrad.explain_forward`, and `minigrad.explain` on the
#    graph of a gradient);
# 2. a Jacobian built column by column (JVPs) and row by row (VJPs), each timed on a wide and a tall function;
# 3. a Hessian two ways: `autograd.functional.hessian`, and the gradient of the gradient by hand;
# 4. Newton's method on the seed tutorial's logistic regression, with the exact Hessian;
# 5. a gradient penalty (WGAN-GP): a loss that contains a gradient, trained through it.
#
# Cells are tagged as in the seed tutorial: **minigrad**, **torch** (the same on PyTorch, names starting with
# `t_`), **compare** (prints both results and `True` where they agree) and **helper**. Everything is float64.

# %% tags=["minigrad"]
import minigrad
import minigrad.autograd.forward_ad as fwAD
import minigrad.nn as nn
import minigrad.nn.functional as F
from minigrad.autograd import functional

# %% tags=["torch"]
import torch
import torch.autograd.forward_ad as t_fwAD
import torch.nn as tnn
import torch.nn.functional as tF

# %% tags=["helper"]
import time
from functools import partial

import numpy as np


def values(t):
    """A tensor of either framework as a numpy array."""
    return t.detach().numpy()


# Prints a minigrad result beside PyTorch's, their largest difference, and whether they agree to ``rtol``.
def side_by_side(label, ours, theirs, rtol=1e-12):
    a, b = values(ours), values(theirs)
    print(f"{label}:\n  minigrad {np.round(a.ravel()[:4], 6)} ...\n  PyTorch  {np.round(b.ravel()[:4], 6)} ...")
    print(f"  largest difference {np.max(np.abs(a - b)):.1e}, agree: {np.allclose(a, b, rtol=rtol, atol=rtol)}")


# Runs ``fn`` ``repeat`` times; returns its result and the best time in milliseconds.
def timed(fn, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return result, best * 1e3


# %% [markdown]
# ## 1. The two modes, step by step
#
# $f(x) = \sum_i \tanh(W x)_i\, x_i$ at $x = (1, 2)$. `minigrad.explain_forward(f, [x], [v])` runs $f$ with $x$
# carrying the tangent $v = e_0$ and prints every op as forward mode computes it: the op's JVP rule (stored with
# the op, like its backward formula), the values and tangents going in, the value and tangent coming out. The
# last tangent is $J v = \partial f / \partial x_0$.

# %% tags=["minigrad"]
weight = minigrad.tensor([[1.0, -1.0], [0.5, 2.0]], dtype=minigrad.float64)
x = minigrad.tensor([1.0, 2.0], dtype=minigrad.float64)


def f(x):
    return ((weight @ x).tanh() * x).sum()


value, tangent, _ = minigrad.explain_forward(f, [x], [minigrad.tensor([1.0, 0.0], dtype=minigrad.float64)],
                                             names=["x"])

# %% tags=["torch"]
t_weight, t_x = torch.tensor(values(weight)), torch.tensor(values(x))
with t_fwAD.dual_level():
    t_dual = t_fwAD.make_dual(t_x, torch.tensor([1.0, 0.0], dtype=torch.float64))
    t_tangent = t_fwAD.unpack_dual(((t_weight @ t_dual).tanh() * t_dual).sum()).tangent

# %% tags=["compare"]
side_by_side("df/dx0 by forward mode", tangent, t_tangent)

# %% [markdown]
# Reverse mode gives the whole gradient in one backward pass. With `create_graph=True` that backward pass is
# itself recorded: the gradient $g$ has a graph of ordinary nodes, which `minigrad.viz.to_dot` draws as it draws
# any graph (a picture where Graphviz is installed; its DOT text here).

# %% tags=["minigrad"]
xr = x.detach().requires_grad_()
(g,) = minigrad.autograd.grad(f(xr), xr, create_graph=True)
print(minigrad.viz.to_dot(g, names={"x": xr}))

# %% [markdown]
# `explain` walks that graph like any other. Here $g \cdot u$ with $u = (1, -1)$ is differentiated: the result, in
# `x.grad`, is $H u$, a Hessian-vector product. The steps are those of the recorded backward: the products of the
# chain rule, and tanh's derivative $1 - y^2$, which reaches `TanhBackward0` through $y$.

# %% tags=["minigrad"]
u = minigrad.tensor([1.0, -1.0], dtype=minigrad.float64)
steps = minigrad.explain((g * u).sum(), names={"x": xr}, check=True)

# %% tags=["torch"]
t_xr = t_x.clone().requires_grad_()
(t_g,) = torch.autograd.grad(((t_weight @ t_xr).tanh() * t_xr).sum(), t_xr, create_graph=True)
(t_g * torch.tensor([1.0, -1.0], dtype=torch.float64)).sum().backward()

# %% tags=["compare"]
side_by_side("gradient g", g, t_g)
side_by_side("H u (x.grad)", xr.grad, t_xr.grad)

# %% [markdown]
# ## 2. A Jacobian column by column, and row by row
#
# Column $j$ of $J$ is $J e_j$: one forward-mode pass with the tangent $e_j$. Row $i$ is $e_i^T J$: one backward
# pass with the upstream gradient $e_i$ (`grad_outputs`; `retain_graph=True` keeps the graph for the next row).

# %% tags=["minigrad"]
def jacobian_by_columns(fn, x):
    """n forward-mode passes: J e_j is column j."""
    basis = minigrad.eye(x.numel(), dtype=x.dtype)
    with fwAD.dual_level():
        columns = [fwAD.unpack_dual(fn(fwAD.make_dual(x, basis[j]))).tangent for j in range(x.numel())]
    return minigrad.stack(columns, 1)


def jacobian_by_rows(fn, x):
    """m backward passes: e_i^T J is row i."""
    x = x.detach().requires_grad_()
    y = fn(x)
    basis = minigrad.eye(y.numel(), dtype=y.dtype)
    return minigrad.stack([minigrad.autograd.grad(y, x, basis[i], retain_graph=True)[0] for i in range(y.numel())])


def layer(a):
    """x -> tanh(a x), for a matrix a of either framework."""
    return lambda v: (a @ v).tanh()


# %% [markdown]
# Two functions $x \mapsto \tanh(A x)$: a **wide** one, $A$ of 4 x 256 (256 inputs, 4 outputs), and a **tall**
# one, $A$ of 256 x 4. Each Jacobian is built both ways and timed (the best of three runs).

# %% tags=["minigrad"]
rng = np.random.default_rng(0)
shapes = {"wide": (4, 256), "tall": (256, 4)}
matrices = {name: rng.standard_normal(shape) / 16 for name, shape in shapes.items()}
jacobians = {}
for name, a in matrices.items():
    x0 = minigrad.tensor(rng.standard_normal(a.shape[1]))
    by_columns, ms_columns = timed(partial(jacobian_by_columns, layer(minigrad.tensor(a)), x0))
    by_rows, ms_rows = timed(partial(jacobian_by_rows, layer(minigrad.tensor(a)), x0))
    jacobians[name] = (x0, by_columns, by_rows)
    m, n = a.shape
    print(f"{name}: J is {m} x {n}; by columns (forward mode) {n:3d} passes, {ms_columns:7.1f} ms;"
          f" by rows (reverse mode) {m:3d} passes, {ms_rows:7.1f} ms")

# %% tags=["torch"]
t_jacobians = {name: torch.autograd.functional.jacobian(layer(torch.tensor(matrices[name])), torch.tensor(values(x0)))
               for name, (x0, _, _) in jacobians.items()}

# %% tags=["compare"]
for name in shapes:
    _, by_columns, by_rows = jacobians[name]
    side_by_side(f"{name} J by columns", by_columns, t_jacobians[name])
    side_by_side(f"{name} J by rows", by_rows, t_jacobians[name])

# %% [markdown]
# Each pass costs about the same, so the time follows the number of passes: the wide Jacobian is cheap by rows,
# the tall one by columns. A loss ($m = 1$) needs a single backward pass for its whole gradient, which is why
# training runs in reverse mode.
#
# ## 3. A Hessian two ways
#
# The Hessian of a scalar $L(\theta)$ is the Jacobian of its gradient. The function: the seed tutorial's logistic
# regression, its data below (the cell of `examples/logistic_regression.py`), written with $\theta = (w_1, w_2, b)$
# so that $z = [x, 1]\,\theta$, and a small ridge term $\frac{\lambda}{2}\lVert\theta\rVert^2$ so that the loss has
# one minimum (the data are separable: without it, the loss keeps falling towards 0 as $\theta$ grows).

# %% tags=["minigrad"]
# include: ../logistic_regression.py, cell "data"

# %% tags=["minigrad"]
features = minigrad.cat([x_train.double(), minigrad.ones(len(x_data), 1, dtype=minigrad.float64)], 1)
labels = y_train.double().reshape(-1)
ridge = 0.01


def loss_of(theta):
    return F.binary_cross_entropy_with_logits(features @ theta, labels) + ridge / 2 * (theta * theta).sum()


theta0 = minigrad.tensor([0.5, -0.5, 0.1], dtype=minigrad.float64)

# %% [markdown]
# First with `minigrad.autograd.functional.hessian` (PyTorch's `torch.autograd.functional.hessian`); then by hand:
# the gradient with `create_graph=True`, then each row of $H$ as the gradient of $e_i^T g$.

# %% tags=["minigrad"]
hessian = functional.hessian(loss_of, theta0)

theta = theta0.detach().requires_grad_()
(grad,) = minigrad.autograd.grad(loss_of(theta), theta, create_graph=True)
basis = minigrad.eye(3, dtype=minigrad.float64)
by_hand = minigrad.stack([minigrad.autograd.grad(grad, theta, basis[i], retain_graph=True)[0] for i in range(3)])
print(hessian)

# %% tags=["torch"]
t_features, t_labels = torch.tensor(values(features)), torch.tensor(values(labels))


def t_loss_of(theta):
    return tF.binary_cross_entropy_with_logits(t_features @ theta, t_labels) + ridge / 2 * (theta * theta).sum()


t_hessian = torch.autograd.functional.hessian(t_loss_of, torch.tensor(values(theta0)))

# %% tags=["compare"]
side_by_side("H (functional.hessian)", hessian, t_hessian)
side_by_side("H (grad of grad)", by_hand, t_hessian)

# %% [markdown]
# ## 4. Newton's method with the exact Hessian
#
# Gradient descent steps along $-g$; Newton's method solves the quadratic model of $L$ around $\theta$ exactly:
# $\theta \leftarrow \theta - H^{-1} g$. Near the minimum the error squares at every step (quadratic convergence):
# watch $\lVert g \rVert$. The seed tutorial's gradient descent took 1000 steps; Newton needs a handful.

# %% tags=["minigrad"]
theta = minigrad.zeros(3, dtype=minigrad.float64)
for step in range(7):
    current = theta.detach().requires_grad_()
    loss = loss_of(current)
    (g,) = minigrad.autograd.grad(loss, current)
    print(f"step {step}: loss {loss.item():.12f}, |g| {g.norm().item():.3e}")
    theta = theta - minigrad.linalg.solve(functional.hessian(loss_of, theta), g)

# %% tags=["torch"]
t_theta = torch.zeros(3, dtype=torch.float64)
for _ in range(7):
    t_current = t_theta.clone().requires_grad_()
    t_loss = t_loss_of(t_current)
    (t_g,) = torch.autograd.grad(t_loss, t_current)
    t_theta = t_theta - torch.linalg.solve(torch.autograd.functional.hessian(t_loss_of, t_theta), t_g)

# %% tags=["compare"]
side_by_side("theta after Newton", theta, t_theta)
print("loss", loss.item(), t_loss.item(), "agree:", np.isclose(loss.item(), t_loss.item(), rtol=1e-12))

# %% [markdown]
# ## 5. A gradient penalty
#
# WGAN-GP trains a critic $D$ with a penalty on the norm of its gradient with respect to its *input*, at points
# $\hat{x}$ between real and fake samples: $\lambda\, (\lVert \nabla_{\hat x} D(\hat x) \rVert - 1)^2$. The
# penalty contains a gradient, so training through it is a second derivative: the gradient is taken with
# `create_graph=True`, then the whole loss backward reaches the critic's weights through it. The critic: a tiny
# MLP with tanh, initialised under the same seed in both frameworks (the same numbers).

# %% tags=["helper"]
rng = np.random.default_rng(1)
real_values, fake_values = rng.standard_normal((16, 2)) + 2, rng.standard_normal((16, 2))
mix_values = rng.uniform(size=(16, 1))

# %% tags=["minigrad"]
minigrad.manual_seed(0)
critic = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)).double()
real, fake, mix = minigrad.tensor(real_values), minigrad.tensor(fake_values), minigrad.tensor(mix_values)
between = (mix * real + (1 - mix) * fake).requires_grad_()
(slope,) = minigrad.autograd.grad(critic(between).sum(), between, create_graph=True)
penalty = (((slope**2).sum(1).sqrt() - 1) ** 2).mean()
critic_loss = critic(fake).mean() - critic(real).mean() + 10 * penalty
critic_loss.backward()
print(f"penalty {penalty.item():.6f}, critic loss {critic_loss.item():.6f}")

# %% tags=["torch"]
torch.manual_seed(0)
t_critic = tnn.Sequential(tnn.Linear(2, 8), tnn.Tanh(), tnn.Linear(8, 1)).double()
t_real, t_fake, t_mix = torch.tensor(real_values), torch.tensor(fake_values), torch.tensor(mix_values)
t_between = (t_mix * t_real + (1 - t_mix) * t_fake).requires_grad_()
(t_slope,) = torch.autograd.grad(t_critic(t_between).sum(), t_between, create_graph=True)
t_penalty = (((t_slope**2).sum(1).sqrt() - 1) ** 2).mean()
t_critic_loss = t_critic(t_fake).mean() - t_critic(t_real).mean() + 10 * t_penalty
t_critic_loss.backward()

# %% tags=["compare"]
side_by_side("gradient penalty", penalty, t_penalty)
for (name, p), t_p in zip(critic.named_parameters(), t_critic.parameters()):
    side_by_side(f"d(critic loss)/d{name}", p.grad, t_p.grad)
