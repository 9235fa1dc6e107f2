"""Fused elementwise kernels for the binary cross-entropy, Huber and smooth L1 losses, in PyTorch's CPU arithmetic.

Each takes operands of one shape and dtype and returns a new array of that shape; reductions and
weights are applied by the caller with the generic kernels. Logs are libm's (``logf``/``log1pf`` for
float32, as PyTorch's scalar BCE kernel calls them), clamped at -100 as PyTorch does so that a
probability of exactly 0 or 1 gives a finite loss.
"""

import math

import numpy as np
from numba import njit

from . import mode
from ._scalar import like
from .exact import piecewise
from .layout import flat, flat_broadcast

_EPSILON = np.float32(1e-12)  # Loss.cpp's ``constexpr float EPSILON``: float64 inputs get 1e-12 rounded to float32


@njit(cache=True, inline="always")
def _clamped_log(v):
    """max(v, -100), keeping NaN (C++'s std::max(v, -100))."""
    return like(-100, v) if v < -100 else v


@njit(cache=True, inline="always")
def _log(v):
    """log v in v's type: -inf at 0 and NaN below it, as libm (Python's math.log raises there, without the JIT)."""
    if v == 0:
        return like(-math.inf, v)
    return like(math.log(v), v) if v > 0 else like(math.nan, v)


@njit(cache=True, inline="always")
def _log1p(v):
    """log(1 + v) in v's type: -inf at -1 and NaN below it (Python's math.log1p raises there, without the JIT)."""
    if v == -1:
        return like(-math.inf, v)
    return like(math.log1p(v), v) if v > -1 else like(math.nan, v)


@njit(cache=True, error_model="numpy")
def _bce_loop(p, y, out):
    for i in range(out.size):
        one = like(1, p[i])
        log_p = _clamped_log(_log(p[i]))
        log_q = _clamped_log(_log1p(-p[i]))
        out[i] = (y[i] - one) * log_q - y[i] * log_p


@njit(cache=True, error_model="numpy")
def _bce_grad_loop(p, y, g, step_g, out):
    for i in range(out.size):
        one = like(1, p[i])
        denominator = (one - p[i]) * p[i]
        floor = like(_EPSILON, p[i])
        out[i] = (g[i * step_g] * (p[i] - y[i])) / (floor if denominator < floor else denominator)


@njit(cache=True, error_model="numpy")
def _bce_target_grad_loop(p, g, step_g, out):
    for i in range(out.size):
        one = like(1, p[i])
        logit = like(math.inf, p[i]) if p[i] == one else _log(p[i] / (one - p[i]))
        out[i] = -logit * g[i * step_g]


@njit(cache=True, error_model="numpy")
def _log_sigmoid_loop(x, out):
    for i in range(out.size):
        v = x[i]
        low = v if (v < 0 or v != v) else like(0, v)  # min(x, 0), NaN kept (vec::minimum)
        out[i] = low - like(math.log1p(like(math.exp(-abs(v)), v)), v)


@njit(cache=True)
def _in_unit_interval(x):
    for i in range(x.size):
        if not (0 <= x[i] <= 1):  # NaN fails too
            return False
    return True


def in_unit_interval(x: np.ndarray) -> bool:
    """Whether every element of ``x`` lies in [0, 1] (what BCE requires of probabilities and targets)."""
    return bool(_in_unit_interval(flat(x)))


def bce(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Elementwise (y - 1) * max(log(1 - p), -100) - y * max(log p, -100)."""
    out = np.empty(p.shape, p.dtype)
    _bce_loop(flat(p), flat(y), out.reshape(-1))
    return out


def bce_grad(p: np.ndarray, y: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """d bce / dp times grad: grad * (p - y) / max((1 - p) * p, 1e-12)."""
    out = np.empty(p.shape, p.dtype)
    fg, step = flat_broadcast(grad, p.shape)
    _bce_grad_loop(flat(p), flat(y), fg, step, out.reshape(-1))
    return out


def bce_target_grad(p: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """d bce / dy times grad, as PyTorch computes it: -logit(p) * grad = -log(p / (1 - p)) * grad, unclamped
    (inf at p = 0, -inf at p = 1)."""
    out = np.empty(p.shape, p.dtype)
    fg, step = flat_broadcast(grad, p.shape)
    _bce_target_grad_loop(flat(p), fg, step, out.reshape(-1))
    return out


def log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log(sigmoid x) = min(x, 0) - log1p(exp(-|x|)), PyTorch's formula: it never overflows, keeps the tiny
    log(1 + e^-x) for large x, and gives -inf at -inf."""
    out = np.empty(x.shape, x.dtype)
    _log_sigmoid_loop(flat(x), out.reshape(-1))
    return out


@njit(cache=True, error_model="numpy")
def _huber_loop(x, y, delta, out):
    for i in range(out.size):
        z = abs(x[i] - y[i])
        half = like(0.5, z)
        out[i] = half * z * z if z < delta else delta * (z - half * delta)


@njit(cache=True, error_model="numpy")
def _smooth_l1_loop(x, y, beta, out):
    for i in range(out.size):
        z = abs(x[i] - y[i])
        half = like(0.5, z)
        out[i] = half * z * z / beta if z < beta else z - half * beta


@njit(cache=True, error_model="numpy")
def _piecewise_grad_loop(x, y, g, step_g, norm, width, wide_width, divide, whole, out):
    """out = norm * slope * grad, the slope of huber (clamp(d, -width, width)) or of smooth_l1 (``divide``: clamp(d /
    width, -1, 1)) at d = x - y: in the operands' dtype for the first ``whole`` elements, for the rest with the width
    as the double ``wide_width`` (how PyTorch's two loops round it: ``exact.piecewise``; plain kernels: all of them
    the first way)."""
    for i in range(out.size):
        d = x[i] - y[i]
        if i < whole:
            side = like(1, d) if d > 0 else like(-1, d)
            if abs(d) >= width:
                slope = side if divide else side * width
            else:
                slope = d / width if divide else d
            out[i] = norm * slope * g[i * step_g]
        elif d <= -wide_width or d >= wide_width:
            signed = norm * g[i * step_g] if d > 0 else -norm * g[i * step_g]
            out[i] = signed if divide else like(signed * wide_width, d)
        else:
            out[i] = like(norm * d * g[i * step_g] / wide_width, d) if divide else norm * d * g[i * step_g]


def _whole(out: np.ndarray) -> int:
    """The elements ``_piecewise_grad_loop`` rounds in the operands' dtype: PyTorch's vectorised ones (exact mode)."""
    return piecewise.in_whole_vectors(out.size, out.dtype) if mode.exact else out.size


def _operands(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x and y flat over their broadcast shape, and the result's array of that shape in their (common) dtype."""
    shape = np.broadcast_shapes(x.shape, y.shape)
    out = np.empty(shape, x.dtype)
    return flat(np.broadcast_to(x, shape)), flat(np.broadcast_to(y, shape)), out


def huber(x: np.ndarray, y: np.ndarray, delta: float) -> np.ndarray:
    """Elementwise 0.5 z^2 where z = |x - y| < delta, else delta (z - 0.5 delta) (PyTorch's vectorised form, in the
    operands' dtype)."""
    fx, fy, out = _operands(x, y)
    _huber_loop(fx, fy, out.dtype.type(delta), out.reshape(-1))
    return out


def smooth_l1(x: np.ndarray, y: np.ndarray, beta: float) -> np.ndarray:
    """Elementwise 0.5 z^2 / beta where z = |x - y| < beta, else z - 0.5 beta (PyTorch's vectorised form)."""
    fx, fy, out = _operands(x, y)
    _smooth_l1_loop(fx, fy, out.dtype.type(beta), out.reshape(-1))
    return out


def huber_grad(x: np.ndarray, y: np.ndarray, grad: np.ndarray, norm: float, delta: float) -> np.ndarray:
    """d huber / dx times grad: norm * clamp(x - y, -delta, delta) * grad (norm: 1 / N for a mean, else 1), rounded
    as PyTorch's huber_backward rounds it in exact mode (``_piecewise_grad_loop``)."""
    fx, fy, out = _operands(x, y)
    fg, step = flat_broadcast(grad, out.shape)
    _piecewise_grad_loop(fx, fy, fg, step, out.dtype.type(norm), out.dtype.type(delta), float(delta), False,
                         _whole(out), out.reshape(-1))
    return out


def smooth_l1_grad(x: np.ndarray, y: np.ndarray, grad: np.ndarray, norm: float, beta: float) -> np.ndarray:
    """d smooth_l1 / dx times grad: norm * clamp((x - y) / beta, -1, 1) * grad, rounded as PyTorch's
    smooth_l1_backward rounds it (vectorised, then one at a time)."""
    fx, fy, out = _operands(x, y)
    fg, step = flat_broadcast(grad, out.shape)
    _piecewise_grad_loop(fx, fy, fg, step, out.dtype.type(norm), out.dtype.type(beta), float(beta), True,
                         _whole(out), out.reshape(-1))
    return out
