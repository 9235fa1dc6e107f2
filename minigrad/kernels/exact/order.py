"""PyTorch's TensorIterator order: the order in which its CPU kernels visit a tensor's elements.

Kernels whose result depends on the order of the elements they combine (a vectorized sigmoid's blocks, a cascade
sum) must visit them as PyTorch does to give its bits. TensorIterator drops dims of size 1, sorts the rest by
stride, fastest first (``reorder_dimensions``), and merges neighbours that continue each other in memory.
"""

from collections.abc import Callable

import numpy as np


def reorder_dimensions(shape: tuple[int, ...], after: Callable[[int, int], int]) -> list[int]:
    """PyTorch's TensorIterator order of walking dims: those of size > 1, fastest first, insertion-sorted.

    ``after(d0, d1)`` is 1 when d0 must be walked outside d1, -1 when inside, 0 when either will do
    (reorder_dimensions' should_swap, whose rule depends on the op).
    """
    order = [d for d in reversed(range(len(shape))) if shape[d] != 1]
    for i in range(1, len(order)):
        moving = i
        for j in reversed(range(i)):
            c = after(order[j], order[moving])
            if c > 0:
                order[j], order[moving] = order[moving], order[j]
                moving = j
            elif c < 0:
                break
    return order


def unary_walk(x: np.ndarray) -> tuple[list[int], int]:
    """How PyTorch's TensorIterator walks ``x`` for a unary op: (perm, row) such that x.transpose(perm) in C order
    is its order, in rows of ``row`` elements that its vectorized loop runs along (0: none, it loops on scalars).

    Dims of size 1 drop out; the rest are insertion-sorted by stride, fastest last (reorder_dimensions: equal
    strides put the smaller dim inside; a zero stride leaves the order open). A row is the innermost dim, if
    its step is 1 (or 0: a broadcast value), merged with the next dims while they continue it in memory. So a
    C-contiguous ``x`` is walked in memory order, as one row (what the rest gives, without the sort).
    """
    if x.flags.c_contiguous and x.size > 1:
        return list(range(x.ndim)), x.size

    def after(d0: int, d1: int) -> int:  # 1 if d0 is walked faster than d1 should be, -1 if slower, 0 if open
        s0, s1 = x.strides[d0], x.strides[d1]
        if s0 == 0 or s1 == 0:
            return 0
        if s0 != s1:
            return 1 if s0 > s1 else -1
        return 1 if x.shape[d0] > x.shape[d1] else 0

    order = reorder_dimensions(x.shape, after)  # fastest first
    row = 0
    if order and x.strides[order[0]] in (0, x.itemsize):  # contiguous, or one value broadcast along the row
        row, step = 1, x.strides[order[0]]
        for d in order:
            if x.strides[d] != step:
                break
            row, step = row * x.shape[d], step * x.shape[d]
    perm = [d for d in range(x.ndim) if x.shape[d] == 1] + order[::-1]
    return perm, row


def reduction_walk(x: np.ndarray, axes: tuple[int, ...]) -> tuple[list[int], list[int], int]:
    """How PyTorch's TensorIterator walks ``x`` to reduce ``axes``: (sizes, steps in elements, count of reduced dims).

    Dims of size 1 drop out. The rest are ordered fastest first as reorder_dimensions does (an insertion
    sort): reduced dims (output stride 0) before kept ones, kept dims in the output's order, reduced dims by
    input stride (equal strides: the smaller dim first; a zero stride leaves the order open). Neighbours
    then merge where the input's and the output's strides both allow (coalesce_dimensions).
    """
    if x.flags.c_contiguous and x.size > 1 and all(d in axes or n == 1 for d, n in enumerate(x.shape)):
        return [x.size], [1], 1  # the common case, a whole contiguous tensor: what the rest gives, fast
    steps = [s // x.itemsize for s in x.strides]
    out_steps, n = [0] * x.ndim, 1
    for d in reversed(range(x.ndim)):
        if d not in axes:
            out_steps[d], n = n, n * x.shape[d]

    def after(d0: int, d1: int) -> int:  # should_swap: 1 if d0 goes after d1, -1 if before, 0 if open
        if (out_steps[d0] == 0) != (out_steps[d1] == 0):
            return 1 if out_steps[d1] == 0 else -1
        for strides in (out_steps, steps):
            s0, s1 = strides[d0], strides[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return 1 if s0 > s1 else -1
            if x.shape[d0] > x.shape[d1]:
                return 1
        return 0

    order = reorder_dimensions(x.shape, after)
    sizes, in_steps, o_steps = [], [], []
    for d in order:
        if sizes and sizes[-1] * in_steps[-1] == steps[d] and sizes[-1] * o_steps[-1] == out_steps[d]:
            sizes[-1] *= x.shape[d]
        else:
            sizes.append(x.shape[d])
            in_steps.append(steps[d])
            o_steps.append(out_steps[d])
    return sizes, in_steps, o_steps.count(0)
