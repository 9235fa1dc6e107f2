"""Products and running sums along rows: ``prod``, the products that leave one factor out, ``cumsum``, ``cumprod``
and ``logcumsumexp`` with their gradients.

Each takes the reduced (or scanned) axes to the end as contiguous rows (``reduce.as_rows``).
"""

import math

import numpy as np
from numba import njit

from ._scalar import like
from .layout import copy
from .reduce import as_rows


@njit(cache=True)
def _prod_rows(x, out):
    """out[i] = x[i, 0] * x[i, 1] * ..., in order, in out's dtype."""
    for i in range(x.shape[0]):
        acc = like(1, out[i])
        for j in range(x.shape[1]):
            acc *= x[i, j]
        out[i] = acc


@njit(cache=True)
def _leave_one_out_rows(x, one, out):
    """out[i, j] = the product of row i without x[i, j]: prefix product times suffix product (zeros work).

    As PyTorch's prod_safe_zeros_backward: each exclusive running product accumulates in ``one``'s type (float64
    for floats: its CPU cumprod) and is rounded to out's dtype; the two are then multiplied in out's dtype.
    """
    for i in range(x.shape[0]):
        acc = one
        for j in range(x.shape[1]):
            out[i, j] = acc
            acc *= x[i, j]
        acc = one
        for j in range(x.shape[1] - 1, -1, -1):
            out[i, j] = out[i, j] * like(acc, out[i, j])
            acc *= x[i, j]


@njit(cache=True)
def _cumsum_rows(x, reverse, acc_zero, out):
    """out[i, j] = x[i, 0] + ... + x[i, j] (or x[i, j] + ... + x[i, n-1] when ``reverse``), accumulated in
    acc_zero's type (float64 for float32, as PyTorch's CPU cumsum does) and rounded per element."""
    n = x.shape[1]
    for i in range(x.shape[0]):
        acc = acc_zero
        for k in range(n):
            j = n - 1 - k if reverse else k
            acc += x[i, j]
            out[i, j] = acc


@njit(cache=True)
def _cumprod_rows(x, acc_one, out):
    """out[i, j] = x[i, 0] * ... * x[i, j], accumulated in acc_one's type (float64 for floats, as PyTorch's CPU
    cumprod) and rounded per element."""
    for i in range(x.shape[0]):
        acc = acc_one
        for j in range(x.shape[1]):
            acc *= x[i, j]
            out[i, j] = acc


@njit(cache=True)
def _cumprod_jvp_rows(x, dx, out):
    """out[i, j] = the tangent of x[i, 0] * ... * x[i, j]: t_j = t_(j-1) x_j + y_(j-1) dx_j, y_j = y_(j-1) x_j
    (exact where x holds zeros, unlike cumsum(dx / x) y), accumulated in float64."""
    for i in range(x.shape[0]):
        y, t = 1.0, 0.0
        for j in range(x.shape[1]):
            t = t * x[i, j] + y * dx[i, j]
            y *= x[i, j]
            out[i, j] = t


@njit(cache=True)
def _cumprod_grad_rows(x, y, grad, out):
    """PyTorch's cumprod_backward, row by row (y = cumprod(x)): before the first zero z1 of a row (everywhere when
    it has none), out_j = (sum over k >= j, k < z1 of y_k * grad_k) / x_j; at z1, the sum over k >= z1 of grad_k
    (0 from the second zero z2 on) * (x_{z1+1} * ... * x_min(k, z2-1)), times y_{z1-1} (so an inf between the zeros
    makes 0 * inf = NaN there, as in torch); 0 after z1. Sums and products accumulate in float64."""
    n = x.shape[1]
    for i in range(x.shape[0]):
        z1 = n
        for j in range(n):
            if x[i, j] == 0:
                z1 = j
                break
        acc = 0.0
        for j in range(z1 - 1, -1, -1):
            acc += np.float64(y[i, j] * grad[i, j])
            out[i, j] = acc
            out[i, j] = out[i, j] / x[i, j]
        if z1 == n:
            continue
        z2 = n
        for j in range(z1 + 1, n):
            if x[i, j] == 0:
                z2 = j
                break
        product = 1.0
        total = 0.0
        for k in range(z1, n):
            if z1 < k < z2:
                product *= np.float64(x[i, k])
            g = np.float64(grad[i, k]) if k < z2 else 0.0
            total += g * product
        out[i, z1] = total * (np.float64(y[i, z1 - 1]) if z1 > 0 else 1.0)
        for j in range(z1 + 1, n):
            out[i, j] = 0


@njit(cache=True, inline="always")
def _log_add_exp(a, b):
    """log(exp(a) + exp(b)) = max + log1p(exp(min - max)); two equal infinities give themselves; NaN in either
    gives NaN (PyTorch's _log_add_exp_helper; Python's min and max would drop a NaN second argument)."""
    if a != a or b != b:
        return a + b
    lo, hi = min(a, b), max(a, b)
    if lo != hi or math.isfinite(lo):
        return hi + math.log1p(math.exp(lo - hi))
    return a


@njit(cache=True)
def _logcumsumexp_rows(x, out):
    """out[i, j] = log(exp(x[i, 0]) + ... + exp(x[i, j])), each step a log-add-exp in float64."""
    for i in range(x.shape[0]):
        acc = -math.inf
        for j in range(x.shape[1]):
            acc = _log_add_exp(np.float64(x[i, j]), acc)
            out[i, j] = acc


def prod(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """The product over ``axes`` (removed), in x's dtype (integers and bools in int64)."""
    rows, kept_shape = as_rows(x, axes)
    out = np.empty(rows.shape[0], x.dtype if x.dtype.kind == "f" else np.int64)
    _prod_rows(rows, out)
    return out.reshape(kept_shape)


def leave_one_out_products(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """For each element, the product of the other elements of its slice over ``axes``: d(prod)/dx."""
    rows, _ = as_rows(x, axes)
    out = np.empty(rows.shape, x.dtype)
    _leave_one_out_rows(rows, np.float64(1) if x.dtype.kind == "f" else x.dtype.type(1), out)
    return _from_rows(out, x.shape, axes)


def cumsum(x: np.ndarray, axis: int, dtype: np.dtype, reverse: bool = False) -> np.ndarray:
    """Running sums of ``x`` along ``axis`` in ``dtype`` (from the end when ``reverse``)."""
    rows, _ = as_rows(x, (axis,))
    out = np.empty(rows.shape, dtype)
    acc_zero = np.float64(0) if dtype.kind == "f" else dtype.type(0)
    _cumsum_rows(rows, reverse, acc_zero, out)
    return _from_rows(out, x.shape, (axis,))


def cumprod(x: np.ndarray, axis: int, dtype: np.dtype) -> np.ndarray:
    """Running products of ``x`` along ``axis`` in ``dtype``."""
    rows, _ = as_rows(x, (axis,))
    out = np.empty(rows.shape, dtype)
    _cumprod_rows(rows, np.float64(1) if dtype.kind == "f" else dtype.type(1), out)
    return _from_rows(out, x.shape, (axis,))


def cumprod_grad(x: np.ndarray, grad: np.ndarray, axis: int) -> np.ndarray:
    """The gradient of ``cumprod(x)`` along ``axis`` given the output's gradient, in x's dtype (PyTorch's
    cumprod_backward: the grad itself where x has at most one element or the dim is 1 long)."""
    if x.size <= 1 or x.shape[axis] == 1:
        return grad
    return _scan_grad(_cumprod_grad_rows, axis, x, cumprod(x, axis, x.dtype), grad)


def cumprod_jvp(x: np.ndarray, dx: np.ndarray, axis: int) -> np.ndarray:
    """The tangent of ``cumprod(x)`` along ``axis`` for the tangent ``dx`` of x (floats), in x's dtype."""
    return _scan_grad(_cumprod_jvp_rows, axis, x, dx)


def logcumsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    """log(cumsum(exp(x))) along ``axis``, computed without overflow, in x's (float) dtype."""
    rows, _ = as_rows(x, (axis,))
    out = np.empty(rows.shape, x.dtype)
    _logcumsumexp_rows(rows, out)
    return _from_rows(out, x.shape, (axis,))


def logcumsumexp_grad(x: np.ndarray, result: np.ndarray, grad: np.ndarray, axis: int) -> np.ndarray:
    """The gradient of ``logcumsumexp(x)`` (= ``result``) along ``axis`` given the output's gradient, as PyTorch's
    logcumsumexp_backward computes it, in x's dtype: exp(x + reverse_logcumsumexp(log|grad| - result)) over the
    positive grads less the same over the negative ones (log|grad| is the dtype's lowest where grad is not of that
    sign, so a NaN grad contributes nothing). Its exp(x + ...) rounds: with |x| large, torch's float32 gradient is
    off by |x| ulps (1e30 with grad 0.5 gives 1.0), and minigrad's with it."""
    from . import elementwise as E  # here: elementwise imports layout and pointwise, never scan

    lowest = np.array(np.finfo(grad.dtype).min, grad.dtype)
    zero = np.zeros((), grad.dtype)
    log_abs = E.log(E.abs(grad))

    def part(sign_test) -> np.ndarray:
        masked = E.where(sign_test(grad, zero), log_abs, lowest)
        flipped = np.ascontiguousarray(np.flip(E.sub(masked, result), axis))  # kernels take no negative strides
        return E.exp(E.add(np.ascontiguousarray(np.flip(logcumsumexp(flipped, axis), axis)), x))

    return E.sub(part(E.gt), part(E.lt))


def _scan_grad(kernel, axis: int, x: np.ndarray, *arrays: np.ndarray) -> np.ndarray:
    """``kernel`` run on ``x`` and ``arrays`` (all of x's shape) as rows along ``axis``, out in x's dtype."""
    rows = [as_rows(a, (axis,))[0] for a in (x, *arrays)]
    out = np.empty(rows[0].shape, x.dtype)
    kernel(*rows, out)
    return _from_rows(out, x.shape, (axis,))


def _from_rows(rows: np.ndarray, shape: tuple[int, ...], axes: tuple[int, ...]) -> np.ndarray:
    """The inverse of ``as_rows`` for per-element results: rows back to an array of ``shape``."""
    kept = [d for d in range(len(shape)) if d not in axes]
    order = kept + list(axes)
    moved = rows.reshape([shape[d] for d in order])
    return copy(moved.transpose(np.argsort(order)))
