"""Gather and scatter-add by flat element index: the data movement behind indexing and its gradient."""

import math

import numpy as np
from numba import njit

from ._scalar import fma
from .layout import copy, flat, scalar


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


def positions(shape: tuple[int, ...]) -> np.ndarray:
    """An int64 array of ``shape`` holding each element's flat (C-order) position: the map indexing uses."""
    return arange(math.prod(shape)).reshape(shape)


@njit(cache=True)
def _index_select_loop(src, index, out):
    for o in range(out.shape[0]):
        for i in range(index.size):
            j = index[i]
            for k in range(out.shape[2]):
                out[o, i, k] = src[o, j, k]


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
