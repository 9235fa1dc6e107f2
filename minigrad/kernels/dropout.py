"""Dropout's noise: PyTorch's CPU ``bernoulli_(1 − p)`` then ``div_(1 − p)``, from raw 64-bit draws.

PyTorch's dropout (``_dropout_impl`` in Dropout.cpp) makes ``noise = empty_like(input)``, fills it with
``bernoulli_(1 − p)`` and divides it in place by ``1 − p``. On a CPU that is not Intel's (where MKL's VSL
sampler takes over and cannot be reproduced), bernoulli_ draws one random64 per element, in the noise's
memory order, and keeps the element when u53 = (r64 & (2⁵³−1))·2⁻⁵³ < 1 − p (in double).
"""

import numpy as np
from numba import njit

from ._scalar import like
from .exact.order import reorder_dimensions
from .layout import FLOAT, HALF, cast
from .random import _MASK53, _TWO_POW_M53


@njit(cache=True)
def _scaled_mask(r64, keep, scale, out):
    """out[i] = [u53(r64[i]) < keep] ⊘ scale, the division in scale's (out's) float type."""
    one, zero = like(1, scale), like(0, scale)
    for i in range(out.size):
        bit = one if np.float64(r64[i] & _MASK53) * _TWO_POW_M53 < keep else zero
        out[i] = bit / scale


def dropout_noise(r64: np.ndarray, p: float, like_array: np.ndarray, scaled: bool = True) -> np.ndarray:
    """The noise dropout multiplies ``like_array`` by: 0 where dropped, 1 ⊘ dtype(1 − p) where kept (1 when not
    ``scaled``: the bare ``bernoulli_(1 − p)`` draw, as alpha dropout takes it).

    ``r64`` holds one 64-bit draw per element (``Generator.random64(like_array.size)``); ``like_array`` is
    a float array. The result has like_array's shape and dtype and is laid out as ``empty_like`` lays out
    the noise: dense, with like_array's order of dims by stride (``infer_dense_strides``), so the i-th draw
    lands on the i-th element in like_array's memory order, whatever its strides.
    """
    dtype = like_array.dtype
    flat = np.empty(like_array.size, FLOAT if dtype == HALF else dtype)  # (half: computed in float32, rounded)
    _scaled_mask(r64, 1.0 - p, flat.dtype.type(1.0 - p if scaled else 1.0), flat)
    flat = cast(flat, dtype)
    shape = like_array.shape
    strides = [s // like_array.itemsize for s in like_array.strides]

    def after(d0: int, d1: int) -> int:  # infer_dense_strides' should_swap: 1 if d0 lies outside d1
        if strides[d0] == 0 or strides[d1] == 0:
            return 0
        if strides[d0] != strides[d1]:
            return 1 if strides[d0] > strides[d1] else -1
        return 1 if shape[d0] > shape[d1] else 0

    outer_first = [d for d in range(len(shape)) if shape[d] == 1] + reorder_dimensions(shape, after)[::-1]
    return flat.reshape([shape[d] for d in outer_first]).transpose(np.argsort(outer_first))
