"""Copies LLVM vectorizes: a contiguous array copied whole, one value written everywhere, or a broadcast one spread
(``write``'s common cases), instead of the strided copy's odometer."""

import math

import numpy as np
from numba import njit

from .._scalar import like


@njit(cache=True)
def _copy_flat(src, dst):
    """dst[i] = src[i] for two flat buffers of one length (cast to dst's dtype)."""
    for i in range(dst.size):
        dst[i] = like(src[i], dst[i])


@njit(cache=True)
def _fill_flat(src, dst):
    """dst[i] = src[0] for every i of a flat buffer (cast to dst's dtype). Not ``_copy_flat`` with a step of 0: a
    step stops LLVM vectorizing that copy."""
    value = like(src[0], dst[0])
    for i in range(dst.size):
        dst[i] = value


@njit(cache=True)
def _repeat_flat(src, dst):
    """dst[k * n + i] = src[i]: the n elements of ``src`` again and again (a row broadcast down a batch)."""
    n = src.size
    for start in range(0, dst.size, n):
        _copy_flat(src, dst[start:start + n])


@njit(cache=True)
def _spread_flat(src, dst, inner):
    """dst[(o * n + k) * inner + j] = src[k] for j < ``inner``: each element of ``src`` written ``inner`` times in
    a row, the whole again and again (a column broadcast along rows)."""
    n = src.size
    for start in range(0, dst.size, n * inner):
        for k in range(n):
            _fill_flat(src[k:k + 1], dst[start + k * inner:start + (k + 1) * inner])


def write(dst: np.ndarray, src: np.ndarray) -> bool:
    """dst[...] = src for a C-contiguous ``dst`` and a C-contiguous ``src`` that broadcasts to it as one block of
    dims (its dims that are not 1 are consecutive, and equal to dst's there): all of dst's shape, one element, a row
    repeated, or a column spread. False, and nothing written, for anything else."""
    if not dst.flags.c_contiguous or not src.flags.c_contiguous or src.ndim > dst.ndim:
        return False
    if src.shape == dst.shape:
        _copy_flat(src.reshape(-1), dst.reshape(-1))
        return True
    if src.size == 1:
        _fill_flat(src.reshape(-1), dst.reshape(-1))
        return True
    padded = (1,) * (dst.ndim - src.ndim) + src.shape
    kept = [d for d, n in enumerate(padded) if n != 1]
    if not kept or padded[kept[0]:kept[-1] + 1] != dst.shape[kept[0]:kept[-1] + 1]:
        return False
    last = kept[-1] + 1
    inner = math.prod(dst.shape[last:])
    if inner == 1:
        _repeat_flat(src.reshape(-1), dst.reshape(-1))
    else:
        _spread_flat(src.reshape(-1), dst.reshape(-1), inner)
    return True
