"""Gather and scatter-add by flat element index: the data movement behind indexing and its gradient."""

import math

import numpy as np
from numba import njit

from ._scalar import fma, like
from .layout import cast, copy, flat, scalar, write


@njit(cache=True)
def _arange_loop(start, step, lanes, out):
    """PyTorch's CPU arange: whole blocks of two vectors of ``lanes`` elements, then a scalar tail.

    In a vector, lane 0 is fma(step, j, start) rounded to the output dtype, and lane k is
    fma(k, step, lane 0) in double, rounded; the tail computes fma(step, j, start) directly. (Checked
    bit-exact against torch 2.13 for float32 and float64; the compiler fuses these into FMAs.)
    """
    n = out.size
    vectorized = n - n % (2 * lanes)
    for j in range(vectorized):
        k = j % lanes
        if k == 0:
            out[j] = fma(step, j, start)
        else:
            out[j] = fma(k, step, out[j - k])
    for j in range(vectorized, n):
        out[j] = fma(step, j, start)


@njit(cache=True)
def _gather_loop(src, index, out):
    for i in range(out.size):
        out[i] = src[index[i]]


@njit(cache=True)
def _scatter_add_loop(index, values, out):
    for i in range(values.size):
        out[index[i]] += values[i]


@njit(cache=True)
def _put_loop(index, values, out):
    for i in range(values.size):
        out[index[i]] = values[i]


def put(out: np.ndarray, index: np.ndarray, values: np.ndarray) -> None:
    """out.flat[index[i...]] = values[i...] in place, for a C-contiguous ``out`` (a repeated index: the last wins)."""
    _put_loop(flat(index), flat(values), out.reshape(-1))


def gather(src: np.ndarray, index: np.ndarray) -> np.ndarray:
    """out[i...] = src.flat[index[i...]]: an array shaped like ``index``."""
    out = np.empty(index.shape, src.dtype)
    _gather_loop(flat(src), flat(index), out.reshape(-1))
    return out


def scatter_add(values: np.ndarray, index: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """An array of ``shape``, zero but for out.flat[index[i...]] += values[i...] (repeats add up)."""
    out = np.zeros(shape, values.dtype)
    _scatter_add_loop(flat(index), flat(values), out.reshape(-1))
    return out


def arange(count: int, start: float = 0, step: float = 1, dtype: type | np.dtype = np.int64) -> np.ndarray:
    """start, start + step, ... (``count`` values) in ``dtype``, rounded as PyTorch's AVX2 kernel rounds them."""
    out = np.empty(count, dtype)
    _arange_loop(start, step, 32 // out.itemsize, out)
    return out


@njit(cache=True)
def _index_select_loop(src, index, out):
    for o in range(out.shape[0]):
        for i in range(index.size):
            j = index[i]
            for k in range(out.shape[2]):
                out[o, i, k] = src[o, j, k]


@njit(cache=True)
def _select_rows_loop(src, index, out):
    """out[i] = src[index[i]] over the rows of a 2-D ``src``, a negative index counting from the end. Returns -1,
    or the first i whose index is out of range (``out`` is then unfinished)."""
    n, width = src.shape
    for i in range(index.size):
        j = index[i]
        if j < 0:
            j += n
        if j < 0 or j >= n:
            return i
        for k in range(width):
            out[i, k] = src[j, k]
    return -1


def select_rows(src: np.ndarray, index: np.ndarray) -> np.ndarray | None:
    """src[index] for a C-contiguous ``src`` and a 1-D ``index`` (negative counts from the end), reading only the
    rows picked; None when an index is out of range. (The arrays go in as they come, writeable or not: a minibatch
    loop calls this once a step, and ``readonly`` views would cost a quarter of its time.)"""
    n = src.shape[0]
    rows = src if src.ndim == 2 else src.reshape(n, src.size // n if n else math.prod(src.shape[1:]))
    out = np.empty((index.size, rows.shape[1]), src.dtype)
    if _select_rows_loop(rows, index, out) < 0:
        return out if src.ndim == 2 else out.reshape((index.size, *src.shape[1:]))
    return None


@njit(cache=True)
def _index_add_loop(index, values, alpha, out):
    for o in range(values.shape[0]):
        for i in range(index.size):
            j = index[i]
            for k in range(values.shape[2]):
                out[o, j, k] = fma(values[o, i, k], alpha, out[o, j, k])


def _around(x: np.ndarray, axis: int) -> np.ndarray:
    """``x`` as (dims before ``axis``, ``axis``, dims after): a view when the strides allow, else a copy."""
    shape = (math.prod(x.shape[:axis]), x.shape[axis], math.prod(x.shape[axis + 1:]))
    try:
        return np.reshape(x, shape, copy=False)
    except ValueError:
        return np.reshape(copy(x), shape)


def index_select(src: np.ndarray, axis: int, index: np.ndarray) -> np.ndarray:
    """out[..., i, ...] = src[..., index[i], ...] along ``axis``: reads only the selected slices."""
    shape = (*src.shape[:axis], index.size, *src.shape[axis + 1:])
    out = np.empty(shape, src.dtype)
    _index_select_loop(_around(src, axis), flat(index), _around(out, axis))
    return out


def index_add(out: np.ndarray, axis: int, index: np.ndarray, values: np.ndarray, alpha: float = 1) -> None:
    """out[..., index[i], ...] += alpha * values[..., i, ...] in place, for a C-contiguous ``out`` (repeats add up;
    each sum is fma(value, alpha, out), as PyTorch's add with alpha)."""
    _index_add_loop(flat(index), _around(values, axis), scalar(alpha, out.dtype)[()], _around(out, axis))


def add_at(out: np.ndarray, index: np.ndarray, values: np.ndarray) -> None:
    """out.flat[index[i...]] += values[i...] in place, for a C-contiguous ``out`` (repeats add up, in order)."""
    _scatter_add_loop(flat(index), flat(values), out.reshape(-1))


# ----- index_copy, index_fill and scatter_reduce ------------------------------------------------------------------
@njit(cache=True)
def _index_copy_loop(index, values, out):
    for o in range(values.shape[0]):
        for i in range(index.size):
            j = index[i]
            for k in range(values.shape[2]):
                out[o, j, k] = values[o, i, k]


def index_copy(out: np.ndarray, axis: int, index: np.ndarray, values: np.ndarray) -> None:
    """out[..., index[i], ...] = values[..., i, ...] in place along ``axis``, for a C-contiguous ``out`` (a repeated
    index: the slice written last stays)."""
    _index_copy_loop(flat(index), _around(values, axis), _around(out, axis))


@njit(cache=True)
def _index_fill_loop(index, value, out):
    for o in range(out.shape[0]):
        for i in range(index.size):
            j = index[i]
            for k in range(out.shape[2]):
                out[o, j, k] = value


def index_fill(out: np.ndarray, axis: int, index: np.ndarray, value: np.ndarray) -> None:
    """out[..., index[i], ...] = value (a 0-d array of out's dtype) in place along ``axis``, for a C-contiguous
    ``out``."""
    _index_fill_loop(flat(index), value.reshape(())[()], _around(out, axis))


SCATTER_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


@njit(cache=True)
def _scatter_reduce_loop(targets, values, reduction, include_self, identity, floating, out):
    """out[targets[i]] = reduce(out[targets[i]], values[i]) for each i in order, ``reduction`` an index into
    SCATTER_REDUCTIONS, as PyTorch's CPU kernel: without ``include_self`` the targets first hold the reduction's
    identity; amax/amin take a NaN value, and keep a NaN already there (std::max/min after an isnan test on the
    value); mean divides each element by its count (the values that reached it, plus 1 with include_self, and 1
    where that is 0), floor division for integers."""
    counts = np.zeros(out.size, np.int64)
    if not include_self:
        for i in range(targets.size):
            out[targets[i]] = identity
    for i in range(targets.size):
        t = targets[i]
        v = values[i]
        if reduction == 0 or reduction == 2:
            out[t] += v
        elif reduction == 1:
            out[t] *= v
        elif reduction == 3:
            if v != v or out[t] < v:
                out[t] = v
        elif v != v or v < out[t]:
            out[t] = v
        counts[t] += 1
    if reduction == 2:
        for j in range(out.size):
            c = like(counts[j] + (1 if include_self else 0), out[j])  # in out's dtype, as PyTorch counts (uint8 wraps)
            if c == 0:
                c = like(1, out[j])
            if floating:
                out[j] = out[j] / c
            else:
                out[j] = out[j] // c


def scatter_reduce(out: np.ndarray, targets: np.ndarray, values: np.ndarray, reduction: str,
                   include_self: bool) -> None:
    """out.flat[targets[i...]] reduced in place with values[i...] (same shape as ``targets``, out's dtype), in order,
    by ``reduction`` (sum, prod, mean, amax or amin; max and min are amax and amin), for a C-contiguous ``out``.
    Bools are reduced as 0/1 integers (sum: any, prod: all)."""
    code = SCATTER_REDUCTIONS.index({"max": "amax", "min": "amin"}.get(reduction, reduction))
    work = out if out.dtype != np.bool_ else copy(out, np.dtype(np.int64))
    if work.dtype.kind == "f":
        identity = (0.0, 1.0, 0.0, -math.inf, math.inf)[code]
    elif out.dtype == np.bool_:
        identity = (0, 1, 0, 0, 1)[code]
    else:
        info = np.iinfo(work.dtype)
        identity = (0, 1, 0, int(info.min), int(info.max))[code]
    with np.errstate(over="ignore"):  # integers wrap, as in C (numpy warns of it where the JIT is disabled)
        _scatter_reduce_loop(flat(targets), cast(flat(values), work.dtype), code, include_self,
                             scalar(identity, work.dtype)[()], work.dtype.kind == "f", work.reshape(-1))
    if work is not out:
        write(out, work)


@njit(cache=True)
def _masked_scatter_loop(mask, source, out):
    taken = 0
    for i in range(out.size):
        if mask[i]:
            out[i] = source[taken]
            taken += 1


def masked_scatter(x: np.ndarray, mask: np.ndarray, source: np.ndarray) -> np.ndarray:
    """A copy of x (x and the bool mask broadcast together) with source's elements, in order, where mask is True."""
    shape = np.broadcast_shapes(x.shape, mask.shape)
    out = np.empty(shape, x.dtype)
    write(out, x)
    _masked_scatter_loop(flat(np.broadcast_to(mask, shape)), flat(source), out.reshape(-1))
    return out


@njit(cache=True)
def _masked_gather_loop(values, mask, out):
    taken = 0
    for i in range(values.size):
        if mask[i]:
            out[taken] = values[i]
            taken += 1


def masked_gather(values: np.ndarray, mask: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """An array of ``shape``, zero but for its first elements (in order): the values where the mask (broadcast to
    values' shape) is True; masked_scatter's gradient for its source."""
    out = np.zeros(shape, values.dtype)
    _masked_gather_loop(flat(values), flat(np.broadcast_to(mask, values.shape)), out.reshape(-1))
    return out
