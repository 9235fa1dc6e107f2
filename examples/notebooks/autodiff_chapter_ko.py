# ruff: noqa: F821, I001 (a notebook: names from the included cells, imports in reading order; build.py drops this
# line)

# %% [markdown]
# # 순방향 모드와 역방향 모드: 야코비안, 헤시안, 뉴턴 방법, 기울기 페널티
#
# 야코비안이 $J$ ($m \times n$)인 함수 $f: \mathbb{R}^n \to \mathbb{R}^m$에 대해, 자동 미분은 두 가지 곱을
# 싸게 준다. 각각 $f$를 한 번 계산하는 정도의 비용이다.
#
# - **순방향 모드(forward mode)**, 야코비안-벡터 곱(JVP) $J v$: 모든 값이 *탄젠트*(방향 $v$를 따른 미분)를
#   함께 들고 다니며, 연산마다 값 옆에서 계산된다. 한 번의 패스가 $J$의 **열** 하나를 준다 ($v = e_j$).
# - **역방향 모드(reverse mode)**, 벡터-야코비안 곱(VJP) $u^T J$: 거꾸로, `backward()`가 하는 일. 한 번의
#   패스가 $J$의 **행** 하나를 준다 ($u = e_i$).
#
# 그래서 야코비안 전체는 순방향 패스 $n$번 또는 역방향 패스 $m$번이 든다. 입력이 적고 출력이 많은 *세로로 긴*
# $J$에는 순방향이, 입력이 많고 출력이 적은 *가로로 긴* $J$에는 역방향이 유리하다 (손실은 $m = 1$: 딥러닝이
# 역방향으로 도는 이유). 2계 도함수는 도함수를 다시 미분해서 얻는다. `create_graph=True`는 역전파 자체를
# 그래프로 기록하므로, 기울기를 다시 미분할 수 있다.
#
# 이 장은 **minigrad**로, 매번 파이토치와 나란히:
#
# 1. 작은 함수에서 두 모드를 한 단계씩 (`minigrad.explain_forward`, 그리고 기울기의 그래프에 `minigrad.explain`);
# 2. 야코비안을 열 단위(JVP)와 행 단위(VJP)로 만들고, 가로로 긴 함수와 세로로 긴 함수에서 각각 시간을 잰다;
# 3. 헤시안을 두 가지로: `autograd.functional.hessian`, 그리고 기울기의 기울기를 손으로;
# 4. 시드 튜토리얼의 로지스틱 회귀에 정확한 헤시안으로 뉴턴 방법;
# 5. 기울기 페널티(WGAN-GP): 기울기를 담은 손실을, 그 기울기를 거쳐 학습한다.
#
# 셀에는 시드 튜토리얼처럼 태그가 붙는다: **minigrad**, **torch** (같은 코드를 파이토치로, 이름은 `t_`로
# 시작), **compare** (두 결과를 출력하고 일치하면 `True`), **helper**. 모두 float64.

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
    """두 프레임워크 어느 쪽의 텐서든 numpy 배열로."""
    return t.detach().numpy()


# minigrad의 결과를 파이토치의 결과 옆에 출력하고, 가장 큰 차이와 ``rtol`` 안에서 일치하는지를 출력한다.
def side_by_side(label, ours, theirs, rtol=1e-12):
    a, b = values(ours), values(theirs)
    print(f"{label}:\n  minigrad {np.round(a.ravel()[:4], 6)} ...\n  PyTorch  {np.round(b.ravel()[:4], 6)} ...")
    print(f"  largest difference {np.max(np.abs(a - b)):.1e}, agree: {np.allclose(a, b, rtol=rtol, atol=rtol)}")


# ``fn``을 ``repeat``번 실행하고, 결과와 가장 빠른 시간(밀리초)을 돌려준다.
def timed(fn, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return result, best * 1e3


# %% [markdown]
# ## 1. 두 모드, 한 단계씩
#
# $x = (1, 2)$에서 $f(x) = \sum_i \tanh(W x)_i\, x_i$. `minigrad.explain_forward(f, [x], [v])`는 $x$가 탄젠트
# $v = e_0$를 들고 $f$를 실행하며, 순방향 모드가 계산하는 대로 연산마다 출력한다: 그 연산의 JVP 규칙(역전파
# 공식처럼 연산에 저장되어 있다), 들어가는 값과 탄젠트, 나오는 값과 탄젠트. 마지막 탄젠트가
# $J v = \partial f / \partial x_0$이다.

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
# 역방향 모드는 역전파 한 번으로 기울기 전체를 준다. `create_graph=True`이면 그 역전파 자체가 기록된다:
# 기울기 $g$는 보통의 노드로 된 그래프를 가지며, `minigrad.viz.to_dot`은 다른 그래프처럼 그것을 그린다
# (Graphviz가 설치되어 있으면 그림, 여기서는 DOT 텍스트).

# %% tags=["minigrad"]
xr = x.detach().requires_grad_()
(g,) = minigrad.autograd.grad(f(xr), xr, create_graph=True)
print(minigrad.viz.to_dot(g, names={"x": xr}))

# %% [markdown]
# `explain`은 그 그래프를 다른 그래프처럼 따라간다. 여기서는 $u = (1, -1)$일 때 $g \cdot u$를 미분한다:
# `x.grad`에 담기는 결과는 헤시안-벡터 곱 $H u$이다. 단계들은 기록된 역전파의 단계들이다: 연쇄 법칙의 곱들,
# 그리고 $y$를 거쳐 `TanhBackward0`에 닿는 tanh의 도함수 $1 - y^2$.

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
# ## 2. 야코비안을 열 단위로, 그리고 행 단위로
#
# $J$의 $j$번째 열은 $J e_j$: 탄젠트 $e_j$로 순방향 패스 한 번. $i$번째 행은 $e_i^T J$: 위에서 오는 기울기
# $e_i$로 역전파 한 번 (`grad_outputs`; `retain_graph=True`는 다음 행을 위해 그래프를 남긴다).

# %% tags=["minigrad"]
def jacobian_by_columns(fn, x):
    """순방향 패스 n번: J e_j가 j번째 열."""
    basis = minigrad.eye(x.numel(), dtype=x.dtype)
    with fwAD.dual_level():
        columns = [fwAD.unpack_dual(fn(fwAD.make_dual(x, basis[j]))).tangent for j in range(x.numel())]
    return minigrad.stack(columns, 1)


def jacobian_by_rows(fn, x):
    """역전파 m번: e_i^T J가 i번째 행."""
    x = x.detach().requires_grad_()
    y = fn(x)
    basis = minigrad.eye(y.numel(), dtype=y.dtype)
    return minigrad.stack([minigrad.autograd.grad(y, x, basis[i], retain_graph=True)[0] for i in range(y.numel())])


def layer(a):
    """x -> tanh(a x), 어느 프레임워크의 행렬 a든."""
    return lambda v: (a @ v).tanh()


# %% [markdown]
# 두 함수 $x \mapsto \tanh(A x)$: **가로로 긴** 것은 $A$가 4 x 256 (입력 256, 출력 4), **세로로 긴** 것은
# $A$가 256 x 4. 각 야코비안을 두 방법으로 만들고 시간을 잰다 (세 번 중 가장 빠른 것).

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
# 패스 한 번의 비용은 비슷하므로, 시간은 패스의 수를 따른다: 가로로 긴 야코비안은 행 단위로, 세로로 긴 것은
# 열 단위로 싸다. 손실($m = 1$)은 역전파 한 번으로 기울기 전체를 얻는다: 학습이 역방향 모드로 도는 이유다.
#
# ## 3. 헤시안을 두 가지로
#
# 스칼라 $L(\theta)$의 헤시안은 그 기울기의 야코비안이다. 함수는 시드 튜토리얼의 로지스틱 회귀이며 데이터는
# 아래와 같다 (`examples/logistic_regression.py`의 셀). $z = [x, 1]\,\theta$가 되도록 $\theta = (w_1, w_2, b)$로
# 쓰고, 손실이 최솟값을 하나 갖도록 작은 릿지 항 $\frac{\lambda}{2}\lVert\theta\rVert^2$를 더한다 (데이터가
# 선형 분리 가능하므로, 이 항이 없으면 $\theta$가 커지면서 손실이 계속 0을 향해 줄어든다).

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
# 먼저 `minigrad.autograd.functional.hessian`으로 (파이토치의 `torch.autograd.functional.hessian`), 다음은 손으로:
# `create_graph=True`로 기울기를 구하고, $H$의 각 행을 $e_i^T g$의 기울기로 구한다.

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
# ## 4. 정확한 헤시안으로 뉴턴 방법
#
# 경사 하강법은 $-g$ 방향으로 움직인다. 뉴턴 방법은 $\theta$ 주변에서 $L$의 2차 근사를 정확히 푼다:
# $\theta \leftarrow \theta - H^{-1} g$. 최솟값 근처에서는 오차가 매 단계 제곱이 된다 (2차 수렴):
# $\lVert g \rVert$를 보자. 시드 튜토리얼의 경사 하강법은 1000 단계가 걸렸지만, 뉴턴 방법은 몇 단계면 된다.

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
# ## 5. 기울기 페널티
#
# WGAN-GP는 critic $D$를 학습할 때, 진짜와 가짜 샘플 사이의 점 $\hat{x}$에서 *입력*에 대한 기울기의 노름에
# 페널티를 준다: $\lambda\, (\lVert \nabla_{\hat x} D(\hat x) \rVert - 1)^2$. 페널티가 기울기를 담고 있으므로
# 그것을 거쳐 학습하는 것은 2계 도함수다: 기울기를 `create_graph=True`로 구한 뒤, 손실 전체의 역전파가 그
# 기울기를 거쳐 critic의 가중치에 닿는다. critic은 tanh를 쓰는 작은 MLP로, 두 프레임워크에서 같은 시드로
# 초기화된다 (같은 숫자).

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
