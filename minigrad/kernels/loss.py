"""Fused elementwise kernels for the binary cross-entropy losses, in PyTorch's CPU arithmetic.

Each takes operands of one shape and dtype and returns a new array of that shape; reductions and
weights are applied by the caller with the generic kernels. Logs are libm's (``logf``/``log1pf`` for
float32, as PyTorch's scalar BCE kernel calls them), clamped at -100 as PyTorch does so that a
probability of exactly 0 or 1 gives a finite loss.
"""

import math

import numpy as np
from numba import njit

from ._scalar import like
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
