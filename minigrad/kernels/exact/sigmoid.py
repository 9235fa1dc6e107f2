"""PyTorch's sigmoid on the CPU, bit for bit: 1 / (exp(0 - x) + 1) with SLEEF's exp on whole vectors of each row of
its walk, 1 / (1 + exp(-x)) with libm's on the rest of the row."""

import math

import numpy as np
from numba import njit

from .. import memory
from .._scalar import like
from ..fast import direct, threads
from ..layout import copy, flat
from .cpu import vector_bytes
from .order import unary_walk
from .sleef import sleef_exp


@njit(cache=True, error_model="numpy")
def _sigmoid_sleef(x, out):
    """out[i] = 1 / (exp(0 - x[i]) + 1) with SLEEF's exp. A loop of its own, from 0: LLVM vectorizes it (the same
    loop over range(start, stop) inside ``_sigmoid_loop`` it does not)."""
    for i in range(out.size):
        v = x[i]
        out[i] = like(1, v) / (sleef_exp(like(0, v) - v) + like(1, v))


@njit(cache=True, nogil=True, error_model="numpy")
def _sigmoid_loop(x, out, row, block):
    """PyTorch's sigmoid of floats laid out in the order it walks them, in rows of ``row`` elements (0: none).

    As its vectorized loop: in each row, whole blocks of ``block`` elements (two vectors; 0: no SLEEF) give
    1 / (exp(0 - x) + 1) with SLEEF's exp (``sleef_exp``), the rest of the row 1 / (1 + exp(-x)) with libm's.
    """
    length = row if row else max(out.size, 1)
    vector = row // block * block if block else 0
    for start in range(0, out.size, length):
        _sigmoid_sleef(x[start:start + vector], out[start:start + vector])
        for i in range(start + vector, min(start + length, out.size)):
            v = x[i]
            out[i] = like(1, v) / (like(1, v) + like(math.exp(-v), v))


_sigmoid_direct = direct.Direct(_sigmoid_loop, written=(1,))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """A new array holding PyTorch's sigmoid of the float array ``x``: x walked in PyTorch's order."""
    if x.flags.c_contiguous and 1 < x.size and not threads.worth_splitting(x.size):  # one row, in memory order
        out = memory.empty(x.shape, x.dtype)
        _sigmoid_direct(x.dtype, x.ravel(), out.ravel(), x.size, 2 * vector_bytes() // x.itemsize)
        return out
    perm, row = unary_walk(x)
    walked = x.transpose(perm)
    out = memory.empty(walked.shape, x.dtype)
    source, target, block = flat(walked), out.reshape(-1), 2 * vector_bytes() // x.itemsize
    if row == x.size and threads.worth_splitting(row):  # one row: pieces of whole blocks compute what it does
        threads.in_pieces(lambda start, stop: _sigmoid_loop(source[start:stop], target[start:stop], stop - start,
                                                            block), x.size, block or 1)
    else:
        _sigmoid_loop(source, target, row, block)
    result = out.transpose(sorted(range(x.ndim), key=perm.__getitem__))  # perm undone
    return result if result.flags.c_contiguous else copy(result)  # (moving size-1 dims copies nothing)
