"""Reductions: sum over axes, max/min with the index of the first extreme, and variance.

Each kernel sees the reduced axes last, copied to a contiguous (kept, reduced) buffer (``as_rows``), so it reduces
one contiguous row per output element. Exact mode sums floats as PyTorch does (``exact.cascade``).
"""

import math

import numpy as np
from numba import njit

from . import mode
from .exact import cascade
from .layout import cast, copy


@njit(cache=True)
def _sum_rows(x, out):
    """out[i] += x[i, 0] + x[i, 1] + ..., accumulated in out's dtype (int64: exact)."""
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i] += x[i, j]


@njit(cache=True)
def _extreme_rows(x, pick_min, values, indices):
    """Max (or min) of each row and the index of its first occurrence; NaN wins, as in PyTorch."""
    for i in range(x.shape[0]):
        best = x[i, 0]
        at = 0
        for j in range(1, x.shape[1]):
            v = x[i, j]
            if best != best:
                break
            if v != v or (v < best if pick_min else v > best):
                best = v
                at = j
        values[i] = best
        indices[i] = at


@njit(cache=True, error_model="numpy")
def _welford_rows(x, correction, take_sqrt, out):
    """PyTorch's WelfordOps per row, in float64: mean += delta / n, m2 += delta * (v - mean); then
    m2 / (n - correction) (/ 0 when n <= correction), and its square root for ``take_sqrt``."""
    for i in range(x.shape[0]):
        mean = 0.0
        m2 = 0.0
        for j in range(x.shape[1]):
            v = np.float64(x[i, j])
            delta = v - mean
            mean = mean + delta / np.float64(j + 1)
            m2 = m2 + delta * (v - mean)
        n = np.float64(x.shape[1])
        out[i] = _finish(m2, n - correction if n > correction else 0.0, take_sqrt)


@njit(cache=True, error_model="numpy")
def _squared_deviations(x, mean, divisor, take_sqrt):
    """PyTorch's std_var_all_cpu: the sum of (v - mean)^2 over x in float64, in order, / divisor (maybe 0)."""
    total = 0.0
    for i in range(x.size):
        dx = np.float64(x[i]) - mean
        total += dx * dx
    return _finish(total, divisor, take_sqrt)


@njit(cache=True, inline="always")
def _finish(total, divisor, take_sqrt):
    """total / divisor (inf or NaN for a 0 divisor, as C++ divides: Python's float division raises without the
    JIT), and its square root for ``take_sqrt`` (NaN for NaN)."""
    if divisor == 0:
        var = math.inf if total > 0 else (-math.inf if total < 0 else math.nan)
    else:
        var = total / divisor
    if not take_sqrt:
        return var
    return math.sqrt(var) if var >= 0 else math.nan


def variance(x: np.ndarray, axes: tuple[int, ...], correction: float, take_sqrt: bool,
             mean: np.ndarray | None = None) -> np.ndarray:
    """The variance (or with ``take_sqrt`` the standard deviation) of float ``x`` over ``axes``, dividing by
    N - ``correction``, as PyTorch's CPU kernels compute it, rounded once to x's dtype.

    With ``mean`` (x's mean in its own dtype, 0-d) it is PyTorch's all-reduce path (one output): the squared
    deviations from that mean summed in float64, in memory order. Otherwise Welford's update per output, in
    float64, over the reduced elements in order.
    """
    if mean is not None:
        order = x if x.flags.c_contiguous else copy(x.transpose(np.argsort(x.strides)[::-1]))
        divisor = max(0.0, x.size - correction)
        result = _squared_deviations(order.reshape(-1), np.float64(mean), divisor, take_sqrt)
        return cast(np.asarray(result, np.float64), x.dtype).reshape(())
    rows, kept_shape = as_rows(x, axes)
    out = np.empty(rows.shape[0], np.float64)
    _welford_rows(rows, float(correction), take_sqrt, out)
    return cast(out, x.dtype).reshape(kept_shape)


def as_rows(x: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, tuple[int, ...]]:
    """``x`` as a contiguous 2-D array (kept elements, reduced elements) and the kept axes' shape."""
    kept = [d for d in range(x.ndim) if d not in axes]
    view = x.transpose(kept + list(axes))
    if not view.flags.c_contiguous:
        view = copy(view)
    kept_shape = tuple(x.shape[d] for d in kept)
    row_length = math.prod([x.shape[d] for d in axes])
    return view.reshape(math.prod(kept_shape), row_length), kept_shape


def sum(x: np.ndarray, axes: tuple[int, ...], dtype: np.dtype | None = None) -> np.ndarray:  # noqa: A001
    """The sum of ``x`` over ``axes`` (kept axes stay, reduced ones go), in ``dtype``.

    By default floats sum to their own dtype, integers and bools to int64 (as in PyTorch). A float sum converts
    ``x`` to ``dtype`` first, then adds each output's elements in order (exact mode: in PyTorch's cascade);
    integer sums are exact.
    """
    dtype = np.dtype(dtype if dtype is not None else x.dtype if x.dtype.kind == "f" else np.int64)
    if mode.exact and dtype.kind == "f":
        return cascade.sum(x, axes, dtype)
    rows, kept_shape = as_rows(cast(x, dtype) if dtype.kind == "f" else x, axes)
    total = np.zeros(rows.shape[0], dtype if dtype.kind == "f" else np.int64)
    _sum_rows(rows, total)
    return cast(total, dtype).reshape(kept_shape)


def extreme(x: np.ndarray, axis: int, pick_min: bool) -> tuple[np.ndarray, np.ndarray]:
    """(values, int64 indices) of the max (or min) of ``x`` along ``axis``, which is removed."""
    rows, kept_shape = as_rows(x, (axis,))
    values = np.empty(rows.shape[0], x.dtype)
    indices = np.empty(rows.shape[0], np.int64)
    _extreme_rows(rows, pick_min, values, indices)
    return values.reshape(kept_shape), indices.reshape(kept_shape)


def extreme_over(x: np.ndarray, axes: tuple[int, ...], pick_min: bool) -> np.ndarray:
    """The max (or min) of ``x`` over ``axes`` (removed), NaN winning: PyTorch's amax (amin)."""
    rows, kept_shape = as_rows(x, axes)
    values = np.empty(rows.shape[0], x.dtype)
    _extreme_rows(rows, pick_min, values, np.empty(rows.shape[0], np.int64))
    return values.reshape(kept_shape)


@njit(cache=True)
def _count_nonzero(flat):
    """How many elements of ``flat`` are not zero."""
    count = 0
    for p in range(flat.size):
        if flat[p] != 0:
            count += 1
    return count


@njit(cache=True)
def _nonzero_positions(flat, shape, out):
    """Row k of out = the coordinates (C order) of the k-th nonzero element of ``flat``."""
    k = 0
    for p in range(flat.size):
        if flat[p] != 0:
            rest = p
            for d in range(len(shape) - 1, -1, -1):
                out[k, d] = rest % shape[d]
                rest //= shape[d]
            k += 1


def nonzero(x: np.ndarray) -> np.ndarray:
    """An int64 (count, ndim) array: the coordinates of x's nonzero elements, in C order."""
    flat = copy(x).reshape(-1)
    out = np.empty((_count_nonzero(flat), x.ndim), np.int64)
    _nonzero_positions(flat, np.array(x.shape, np.int64), out)
    return out


def sum_to_shape(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Undo broadcasting: sum ``grad`` over the dimensions that broadcasting added or stretched from 1."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple([lead + d for d, n in enumerate(shape) if n == 1])  # (summing a 1 is no work)
    return sum(grad, axes).reshape(shape)
