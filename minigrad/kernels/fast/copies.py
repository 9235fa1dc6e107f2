"""Copies LLVM vectorizes: a contiguous array copied whole, or one value written everywhere (``write``'s common
cases), instead of the strided copy's odometer."""

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


def write(dst: np.ndarray, src: np.ndarray) -> bool:
    """dst[...] = src for a C-contiguous ``dst`` and a ``src`` of its shape, C-contiguous, or of one element (of no
    more dims than dst: numpy broadcasts it). False, and nothing written, for anything else."""
    if not dst.flags.c_contiguous:
        return False
    if src.shape == dst.shape and src.flags.c_contiguous:
        _copy_flat(src.reshape(-1), dst.reshape(-1))
        return True
    if src.size == 1 and src.ndim <= dst.ndim:
        _fill_flat(src.reshape(-1), dst.reshape(-1))
        return True
    return False
