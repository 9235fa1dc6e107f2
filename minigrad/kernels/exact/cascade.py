"""PyTorch's float sum on the CPU, bit for bit: its ``cascade_sum`` (aten/src/ATen/native/cpu/SumKernel.cpp).

PyTorch walks the input as its TensorIterator orders it (``order.reduction_walk``): reduced dims first, the two
leading dims handed to a 2-D loop (``_loop2d``) that picks one of four strategies, all built from ``row_sum`` and
``multi_row_sum`` (``_sums``, ``_cascade``). The vector paths add ``lanes`` columns at a time: one AVX2 vector
(32 bytes), as ``sum`` is not built for AVX512.
"""

import math
from typing import Any

import numpy as np
from numba import njit

from .._scalar import like
from ..elementwise import add
from ..fast import direct
from ..layout import cast, copy, readonly, scalar, strided_buffer
from .order import reduction_walk

_VECTOR_BYTES = 32  # one AVX2 register: PyTorch's sum kernel has no AVX512 build, even on AVX512 hosts


@njit(cache=True, inline="always")
def _add_into(total, row):
    """total[c] += row[c]: a loop from 0 over 1-D arrays, which LLVM vectorizes."""
    for c in range(row.size):
        total[c] += row[c]


@njit(cache=True, inline="always")
def _cascade(x, start, rows, row_step, k_step, nl, l_step, acc):
    """multi_row_sum's levels for 4 x nl columns: column k * nl + l sums the elements
    x[start + i * row_step + k * k_step + l * l_step] for i < rows, in x's dtype, into acc[0..3, k * nl + l].

    Each row is added into level 0; after every 2^p rows level j - 1 is added into level j and cleared, for
    j = 1, 2, 3 while the row count is a multiple of 2^(p j), where p = max(4, ceil(log2(rows)) // 4).
    The column's sum is then ((level 0 + level 1) + level 2) + level 3 (``_level_sum``). ``acc``: (4, >= 4 nl).
    """
    columns = 4 * nl
    for j in range(4):
        for c in range(columns):
            acc[j, c] = 0
    bits = 1
    while (1 << bits) < rows:
        bits += 1
    power = max(4, bits // 4)
    mask = (1 << power) - 1
    side_by_side = l_step == 1 and k_step == nl  # the 4 nl columns lie side by side in x
    for i in range(rows):
        if side_by_side:
            base = start + i * row_step
            _add_into(acc[0], x[base:base + columns])
        else:
            for k in range(4):
                base = start + i * row_step + k * k_step
                for lane in range(nl):
                    acc[0, k * nl + lane] += x[base + lane * l_step]
        if (i + 1) & mask == 0:
            for j in range(1, 4):
                for c in range(columns):
                    acc[j, c] += acc[j - 1, c]
                    acc[j - 1, c] = 0
                if (i + 1) & (mask << (j * power)):
                    break


@njit(cache=True, inline="always")
def _level_sum(acc, c):
    """Column c's sum from its ``_cascade`` levels."""
    return ((acc[0, c] + acc[1, c]) + acc[2, c]) + acc[3, c]


@njit(cache=True, inline="always")
def _sums(x, start, size, step, k_step, nl, l_step, ilp, acc, sums):
    """Sums of nl columns (``l_step`` apart) over ``size`` elements ``step`` apart, into ``sums``.

    ilp (row_sum): 4 partial sums, element 4 i + k into partial k (a ``_cascade`` over size // 4 rows), the
    size % 4 elements left over added to partial 0, then partial 0 + partial 1 + partial 2 + partial 3: nl sums.
    Otherwise (multi_row_sum): one ``_cascade`` over 4 groups of nl columns, ``k_step`` apart: 4 nl sums.
    """
    rows, row_step, k_step = (size // 4, 4 * step, step) if ilp else (size, step, k_step)
    _cascade(x, start, rows, row_step, k_step, nl, l_step, acc)
    for c in range(nl if ilp else 4 * nl):
        total = _level_sum(acc, c)
        if ilp:
            for e in range(size // 4 * 4, size):
                total += x[start + e * step + c * l_step]
            for k in range(1, 4):
                total += _level_sum(acc, k * nl + c)
        sums[c] = total


@njit(cache=True, inline="always")
def _loop2d(x, start, size0, step0, size1, step1, lanes, out, at, out_step, acc, sums):
    """cascade_sum's 2-D loop: sum dim 0 (size0 elements, step0 apart) for each of the size1 positions of dim 1,
    adding position j's sum into out[at + j * out_step] (out_step 0 when dim 1 is reduced too).

    - dim 0 contiguous, size0 >= lanes (vectorized_inner_sum): per position, a row_sum of its whole vectors;
      then t = 0 + the leftover elements in order + the vector's lanes in order.
    - dim 1 contiguous, size1 >= lanes (vectorized_outer_sum): each block of 4 vectors of columns is one plain
      multi_row_sum, then single vectors and the last columns are row_sums.
    - dim 0's step >= dim 1's (scalar_outer_sum): the same with blocks of 4 single columns.
    - otherwise (scalar_inner_sum): one row_sum per position.
    """
    inner = step0 == 1 and size0 >= lanes
    if step1 == 1 and size1 >= lanes:
        width = lanes
    else:
        width = 1 if step0 >= step1 else 0
    j = 0
    while j < size1:
        if inner:  # a row_sum of whole vectors
            count, size, step, nl, ilp = 1, size0 // lanes, lanes, lanes, True
        elif width and j + 4 * width <= size1:  # a multi_row_sum of 4 vectors (4 columns)
            count, size, step, nl, ilp = 4 * width, size0, step0, width, False
        elif width > 1 and j + width <= size1:  # a row_sum of one vector
            count, size, step, nl, ilp = width, size0, step0, width, True
        else:  # a row_sum of one column
            count, size, step, nl, ilp = 1, size0, step0, 1, True
        _sums(x, start + j * step1, size, step, nl * step1, nl, 1 if inner else step1, ilp, acc, sums)
        if inner:
            total = like(0, sums[0])
            for k in range(size * lanes, size0):
                total += x[start + j * step1 + k]
            for lane in range(lanes):
                total += sums[lane]
            out[at + j * out_step] += total
        else:
            for c in range(count):
                out[at + (j + c) * out_step] += sums[c]
        j += count


@njit(cache=True)
def _short_sum(x, out):
    """out[0] += the sum of the n < lanes elements of x, as ``_cascade_sum``'s one-column row_sum computes it:
    partial k = 0 + x[k] + x[k + 4] + ... (n // 4 rows: no level of the cascade fills), then partial 0, the n % 4
    elements left over and partials 1, 2, 3 added in that order. (A level adds +0, which changes nothing: a
    partial is never -0.) A kernel of its own: the seed's sums take it, and it compiles in a fraction of the time
    ``_cascade_sum`` takes."""
    n = x.size
    rows = n // 4
    total = like(0, out[0])
    for i in range(rows):
        total += x[4 * i]
    for e in range(4 * rows, n):
        total += x[e]
    for k in range(1, 4):
        partial = like(0, out[0])
        for i in range(rows):
            partial += x[4 * i + k]
        total += partial
    out[0] += total


@njit(cache=True)
def _cascade_sum(x, sizes, steps, reduced, lanes, out, acc, sums, idx):
    """cascade_sum over TensorIterator's dims (``sizes``/``steps`` fastest first, the first ``reduced`` summed).

    ``out`` (the kept dims in C order) starts at 0; one ``_loop2d`` call per index of the outer dims (dim 2
    fastest) adds its sums into it. Dim 1's positions are consecutive outputs when dim 1 is kept. The caller
    gives the scratch: ``acc`` (4, 4 lanes) and ``sums`` (4 lanes) in out's dtype, ``idx`` (ndim) int64, so a
    compiled step that sums in a loop allocates nothing.
    """
    ndim = sizes.size
    size1 = sizes[1] if ndim > 1 else 1
    step1 = steps[1] if ndim > 1 else 0
    out_step = 1 if reduced == 1 else 0
    repeats = 1  # consecutive outer indices that add into the same outputs
    for d in range(2, reduced):
        repeats *= sizes[d]
    slabs = 1
    for d in range(2, ndim):
        slabs *= sizes[d]
    idx[:] = 0
    start = 0
    for s in range(slabs):
        at = s // repeats * size1 if out_step else s // repeats
        _loop2d(x, start, sizes[0], steps[0], size1, step1, lanes, out, at, out_step, acc, sums)
        d = 2
        while d < ndim:
            idx[d] += 1
            start += steps[d]
            if idx[d] < sizes[d]:
                break
            start -= steps[d] * sizes[d]
            idx[d] = 0
            d += 1




_short_sum_direct = direct.Direct(_short_sum, written=(1,))
_cascade_direct = direct.Direct(_cascade_sum, written=(5, 6, 7, 8))


_WALKS: dict[tuple[Any, ...], tuple[np.ndarray, np.ndarray, int]] = {}  # (shape, strides, itemsize, axes) -> walk
_MOST_WALKS = 4096  # past this many layouts the cache starts again (a program meets a few; a fuzz run, thousands)


def _walk(x: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, int]:
    """``reduction_walk``'s (sizes, steps, reduced count), the first two as int64 arrays for the kernel: worked out
    once for each layout of x and axes (it takes longer than the sum of a small array)."""
    key = (x.shape, x.strides, x.itemsize, axes)
    walk = _WALKS.get(key)
    if walk is None:
        if len(_WALKS) >= _MOST_WALKS:
            _WALKS.clear()
        sizes, steps, reduced = reduction_walk(x, axes)
        walk = _WALKS[key] = (readonly(np.array(sizes, np.int64)), readonly(np.array(steps, np.int64)), reduced)
    return walk


def sum(x: np.ndarray, axes: tuple[int, ...], dtype: np.dtype) -> np.ndarray:  # noqa: A001
    """The sum of ``x`` over ``axes`` in the float ``dtype``, as PyTorch's cascade computes it with one thread: ``x``
    converted to ``dtype`` first, walked in TensorIterator's order."""
    if len(axes) == x.ndim and dtype == x.dtype and x.flags.c_contiguous and 1 < x.size < _VECTOR_BYTES // x.itemsize:
        out = np.zeros(1, dtype)  # a few values summed to one (the seed's losses and bias gradients): the path
        _short_sum_direct(dtype, x.ravel(), out)  # below would take, without working it out
        return out.reshape(())
    kept_shape = tuple(n for d, n in enumerate(x.shape) if d not in axes)
    x = cast(x, dtype)
    if not x.flags.c_contiguous and any(s < 0 for s in x.strides):
        x = copy(x)
    sizes, steps, reduced = _walk(x, axes)
    if x.size and not reduced:  # only dims of size 1 are summed: PyTorch adds x to zeros
        return add(scalar(0, dtype), x).reshape(kept_shape)
    out = np.zeros(math.prod(kept_shape), dtype)
    lanes = _VECTOR_BYTES // x.itemsize
    if not x.size:
        return out.reshape(kept_shape)
    buf = readonly(x, -1) if x.flags.c_contiguous else strided_buffer(x)[0]
    if len(sizes) == 1 and steps[0] == 1 and sizes[0] < lanes:  # a few contiguous elements (the seed's sums)
        _short_sum_direct(dtype, buf[:sizes[0]], out)
    else:
        _cascade_direct((dtype, buf.flags.c_contiguous), buf, sizes, steps, reduced, lanes, out,
                        np.empty((4, 4 * lanes), dtype), np.empty(4 * lanes, dtype), np.empty(len(sizes), np.int64))
    return out.reshape(kept_shape)
