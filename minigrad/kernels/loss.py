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


@njit(cache=True, inline="always")
def _clamped_log(v):
    """max(v, -100), keeping NaN (C++'s std::max(v, -100))."""
    return like(-100, v) if v < -100 else v


@njit(cache=True, error_model="numpy")
def _bce_loop(p, y, out):
    for i in range(out.size):
        one = like(1, p[i])
        log_p = _clamped_log(math.log(p[i]))
        log_q = _clamped_log(math.log1p(-p[i]))
        out[i] = (y[i] - one) * log_q - y[i] * log_p


@njit(cache=True, error_model="numpy")
def _bce_grad_loop(p, y, g, step_g, out):
    for i in range(out.size):
        one = like(1, p[i])
        denominator = (one - p[i]) * p[i]
        floor = like(1e-12, p[i])
        out[i] = (g[i * step_g] * (p[i] - y[i])) / (floor if denominator < floor else denominator)


@njit(cache=True, error_model="numpy")
def _bce_target_grad_loop(p, g, step_g, out):
    for i in range(out.size):
        log_p = _clamped_log(math.log(p[i]))
        log_q = _clamped_log(math.log1p(-p[i]))
        out[i] = g[i * step_g] * (log_q - log_p)


@njit(cache=True, error_model="numpy")
def _log_sigmoid_loop(x, out):
    for i in range(out.size):
        zero = like(0, x[i])
        m = -x[i] if -x[i] > zero else zero
        out[i] = -(m + like(math.log(like(math.exp(-m), m) + like(math.exp(-x[i] - m), m)), m))


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
    """d bce / dy times grad: grad * (max(log(1 - p), -100) - max(log p, -100))."""
    out = np.empty(p.shape, p.dtype)
    fg, step = flat_broadcast(grad, p.shape)
    _bce_target_grad_loop(flat(p), fg, step, out.reshape(-1))
    return out


def log_sigmoid(x: np.ndarray) -> np.ndarray:
    """log(sigmoid x) = -(m + log(e^-m + e^(-x-m))) with m = max(0, -x), which never overflows."""
    out = np.empty(x.shape, x.dtype)
    _log_sigmoid_loop(flat(x), out.reshape(-1))
    return out
