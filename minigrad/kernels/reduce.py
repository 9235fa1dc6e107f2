"""Reductions: sum (PyTorch's cascade sum for floats), and max/min with the index of the first extreme.

Float sums reproduce PyTorch's CPU ``cascade_sum`` (aten/src/ATen/native/cpu/SumKernel.cpp) bit for bit, in
the input's own float dtype. PyTorch walks the input as its TensorIterator orders it (``_iteration``):
reduced dims first, the two leading dims handed to a 2-D loop (``_loop2d``) that picks one of four
strategies, all built from ``row_sum`` and ``multi_row_sum`` (``_sums``, ``_cascade``). The vector paths
add ``lanes`` columns at a time: one AVX2 vector (32 bytes), as ``sum`` is not built for AVX512.

Integer and bool sums, and max/min, use ``_rows``: the reduced axes last, copied to a contiguous
(rows, row_length) buffer, so each kernel reduces one contiguous row per output element.
"""

import math

import numpy as np
from numba import njit

from ._scalar import like
from .elementwise import ADD, binary
from .layout import cast, copy, readonly, reorder_dimensions, scalar, strided_buffer

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


def _iteration(x: np.ndarray, axes: tuple[int, ...]) -> tuple[list[int], list[int], int]:
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


def sum(x: np.ndarray, axes: tuple[int, ...], dtype: np.dtype | None = None) -> np.ndarray:  # noqa: A001
    """The sum of ``x`` over ``axes`` (kept axes stay, reduced ones go), in ``dtype``.

    By default floats sum to their own dtype, integers and bools to int64 (as in PyTorch). A float sum
    converts ``x`` to ``dtype`` first and is PyTorch's cascade in that dtype (bit-exact with one thread);
    integer sums are exact.
    """
    if dtype is None:
        dtype = x.dtype if x.dtype.kind == "f" else np.int64
    dtype = np.dtype(dtype)
    if len(axes) == x.ndim and dtype == x.dtype and x.flags.c_contiguous and 1 < x.size < _VECTOR_BYTES // x.itemsize:
        out = np.zeros(1, dtype)  # a few values summed to one (the seed's losses and bias gradients): the path
        _short_sum(readonly(x, -1), out)  # below would take, without working it out
        return out.reshape(())
    kept_shape = tuple(n for d, n in enumerate(x.shape) if d not in axes)
    if dtype.kind != "f":
        rows, _ = as_rows(x, axes)
        total = np.zeros(rows.shape[0], np.int64)
        _sum_rows(rows, total)
        return cast(total, dtype).reshape(kept_shape)
    x = cast(x, dtype)
    if not x.flags.c_contiguous and any(s < 0 for s in x.strides):
        x = copy(x)
    sizes, steps, reduced = _iteration(x, axes)
    if x.size and not reduced:  # only dims of size 1 are summed: PyTorch adds x to zeros
        return binary(ADD, scalar(0, dtype), x).reshape(kept_shape)
    out = np.zeros(math.prod(kept_shape), dtype)
    lanes = _VECTOR_BYTES // x.itemsize
    if not x.size:
        return out.reshape(kept_shape)
    buf = readonly(x, -1) if x.flags.c_contiguous else strided_buffer(x)[0]
    if len(sizes) == 1 and steps[0] == 1 and sizes[0] < lanes:  # a few contiguous elements (the seed's sums)
        _short_sum(buf[:sizes[0]], out)
    else:
        _cascade_sum(buf, readonly(np.array(sizes, np.int64)), readonly(np.array(steps, np.int64)), reduced, lanes,
                     out, np.empty((4, 4 * lanes), dtype), np.empty(4 * lanes, dtype), np.empty(len(sizes), np.int64))
    return out.reshape(kept_shape)


def extreme(x: np.ndarray, axis: int, pick_min: bool) -> tuple[np.ndarray, np.ndarray]:
    """(values, int64 indices) of the max (or min) of ``x`` along ``axis``, which is removed."""
    rows, kept_shape = as_rows(x, (axis,))
    values = np.empty(rows.shape[0], x.dtype)
    indices = np.empty(rows.shape[0], np.int64)
    _extreme_rows(rows, pick_min, values, indices)
    return values.reshape(kept_shape), indices.reshape(kept_shape)


def sum_to_shape(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Undo broadcasting: sum ``grad`` over the dimensions that broadcasting added or stretched from 1."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple([lead + d for d, n in enumerate(shape) if n == 1])  # (summing a 1 is no work)
    return sum(grad, axes).reshape(shape)
