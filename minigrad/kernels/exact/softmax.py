"""PyTorch's softmax, log_softmax and nll_loss on the CPU, bit for bit.

softmax and log_softmax follow aten/src/ATen/native/cpu/SoftMaxKernel.cpp, which PyTorch runs on a contiguous copy
of the input, in two shapes:

- along the last dim, row by row: max, e_i = exp(x_i - max), their sum ``s`` in the order of its vector
  reduction (``_row_sum``), then softmax e_i * (1 / s) and log_softmax (x_i - max) - log(s);
- along another dim (the input seen as (outer, dim, inner)), column by column: the sums run down each
  column in order. softmax divides e_i / s; log_softmax works in chunks of columns (``_chunk``).

Every vector lane computes exp and log with SLEEF; columns left over after whole vectors use libm. Elementwise
steps the compiler fuses into an FMA are fused here too. With one thread this reproduces PyTorch bit for bit
(checked with its AVX512, AVX2 and default builds, float32 and float64).

nll_loss's reduction follows LossNLL.cpp and LossNLL2d.cpp: a cascade of 8 partial sums in the input's dtype.
"""

import math

import numpy as np
from numba import njit

from .._scalar import fma, like
from ..layout import flat
from .cpu import vector_bytes
from .sleef import sleef_exp, sleef_log

_BLOCK_BYTES = 128 * 1024  # SoftMaxKernel.cpp's BLOCK_SIZE: a chunk of columns fits in L2
_LEVELS = 8  # nll_loss's cascade_sum_num_levels
_ROW_BLOCK = 2048  # elements in a block of rows (at least one row) in ``_softmax_rows``: in L1 with its output


@njit(cache=True, inline="always")
def _exp(x, sleef):
    """e^x from SLEEF (a vector lane) or from libm (a scalar loop, or a build without SLEEF)."""
    return sleef_exp(x) if sleef else like(math.exp(x), x)


@njit(cache=True, inline="always")
def _log(x, sleef):
    return sleef_log(x) if sleef else like(math.log(x), x)


# ----- reductions in PyTorch's vector order ------------------------------------------------------------------
@njit(cache=True, inline="always")
def _reduce_lanes(acc, lanes, tree):
    """vec_reduce_all of one vector: with ``tree`` (the float shuffles of AVX2/AVX512) lane k adds lane
    k + lanes/2, then lane k + lanes/4, ... down to lane 0; otherwise (double, no vectors) lanes add in order."""
    if tree:
        step = lanes // 2
        while step:
            for k in range(step):
                acc[k] += acc[k + step]
            step //= 2
        return acc[0]
    total = acc[0]
    for k in range(1, lanes):
        total += acc[k]
    return total


@njit(cache=True, inline="always")
def _row_sum(x, start, n, lanes, tree, acc):
    """vec::reduce_all(+) of x[start:start + n]: fewer than ``lanes`` values add in order; otherwise each
    lane of ``acc`` sums every ``lanes``-th value (the leftovers go to the first lanes), then ``_reduce_lanes``.
    """
    if n < lanes:
        total = x[start]
        for i in range(1, n):
            total += x[start + i]
        return total
    for k in range(lanes):
        acc[k] = x[start + k]
    for i in range(start + lanes, start + n, lanes):  # whole vectors, then the leftovers into the first lanes
        for k in range(min(lanes, start + n - i)):
            acc[k] += x[i + k]
    return _reduce_lanes(acc, lanes, tree)


@njit(cache=True, inline="always")
def _row_dot(a, b, start, n, lanes, tree, fused_tail, acc):
    """vec::map2_reduce_all(x * y, +) of two rows: as ``_row_sum`` over the rounded products a_i b_i, except
    that with ``fused_tail`` the leftovers after whole vectors go into their lanes by fma (PyTorch's float32
    vector builds fuse that step; its float64 ones do not).
    """
    if n < lanes:
        total = a[start] * b[start]
        for i in range(1, n):
            total += a[start + i] * b[start + i]
        return total
    whole = start + n - n % lanes
    for k in range(lanes):
        acc[k] = a[start + k] * b[start + k]
    for i in range(start + lanes, start + n, lanes):  # whole vectors, then the leftovers into the first lanes
        for k in range(min(lanes, start + n - i)):
            if fused_tail and i >= whole:
                acc[k] = fma(a[i + k], b[i + k], acc[k])
            else:
                acc[k] += a[i + k] * b[i + k]
    return _reduce_lanes(acc, lanes, tree)


@njit(cache=True, inline="always")
def _max(m, v):
    """max with NaN winning (vec::maximum)."""
    return v if (v > m or v != v) else m


# ----- softmax, log_softmax --------------------------------------------------------------------------------------
@njit(cache=True, error_model="numpy")
def _exp_in_place(x, sleef):
    """x[i] = exp(x[i]), SLEEF's in a loop of its own from 0 (which LLVM vectorizes, however short the rows the
    values came from), or libm's."""
    for i in range(x.size):
        x[i] = _exp(x[i], sleef)


@njit(cache=True, error_model="numpy")
def _log_softmax_grad_fused(grad, y, total, out):
    """out[i] = g_i - exp(y_i) * sum(g) as one fma, exp from SLEEF: a loop of its own, which LLVM vectorizes."""
    for i in range(out.size):
        out[i] = fma(-sleef_exp(y[i]), total, grad[i])


@njit(cache=True, error_model="numpy")
def _softmax_rows(x, out, n, lanes, tree, sleef, log):
    """Along contiguous rows of n: max, e_i = exp(x_i - max), s = ``_row_sum`` of the e_i; then
    softmax = e_i * (1 / s), log_softmax = (x_i - max) - log s.

    Rows go in blocks of about ``_ROW_BLOCK`` elements, so that exp runs over a whole block at once; each row's
    loops run over a slice from 0 (loops from an offset LLVM leaves scalar).
    """
    acc = np.empty(lanes, x.dtype)
    block = max(1, _ROW_BLOCK // n) * n
    tops = np.empty(block // n, x.dtype)
    for first in range(0, x.size, block):
        xs, outs = x[first:first + block], out[first:first + block]
        for r in range(xs.size // n):
            row, e = xs[r * n:(r + 1) * n], outs[r * n:(r + 1) * n]
            top = row[0]
            for i in range(1, n):
                top = _max(top, row[i])
            tops[r] = top
            for i in range(n):
                e[i] = row[i] - top
        _exp_in_place(outs, sleef)
        for r in range(xs.size // n):
            row, e = xs[r * n:(r + 1) * n], outs[r * n:(r + 1) * n]
            total = _row_sum(e, 0, n, lanes, tree, acc)
            if log:
                log_total = _log(total, sleef)
                top = tops[r]
                for i in range(n):
                    e[i] = (row[i] - top) - log_total
            else:
                scale = like(1, total) / total
                for i in range(n):
                    e[i] *= scale


@njit(cache=True, error_model="numpy")
def _softmax_columns(x, out, outer, dim, inner, lanes, chunk, sleef, log):
    """Down the columns of x seen as (outer, dim, inner): max, then s = e_0 + e_1 + ... in order.

    softmax: e_i / s; log_softmax: (x_i - max) - log s, log from SLEEF. Columns go in chunks of ``chunk``
    (softmax: one chunk per row); in each chunk the columns in whole vectors take exp from SLEEF, the rest
    from libm.
    """
    for o in range(outer):
        for first in range(0, inner, chunk):
            size = min(chunk, inner - first)
            vector_end = first + size - size % lanes
            for j in range(first, first + size):
                vector = sleef and j < vector_end
                base = o * dim * inner + j
                top = x[base]
                for d in range(1, dim):
                    top = _max(top, x[base + d * inner])
                total = like(0, top)
                for d in range(dim):
                    e = _exp(x[base + d * inner] - top, vector)
                    out[base + d * inner] = e
                    total += e
                if log:
                    log_total = _log(total, sleef)
                    for d in range(dim):
                        out[base + d * inner] = (x[base + d * inner] - top) - log_total
                else:
                    for d in range(dim):
                        out[base + d * inner] /= total


@njit(cache=True)
def _softmax_backward_rows(grad, y, out, n, lanes, tree, fused, fused_tail, log):
    """Along rows: softmax: (g_i - sum(g * y)) * y_i (the sum by ``_row_dot``); log_softmax: g_i - exp(y_i)
    * sum(g), as one fma in FMA builds."""
    acc = np.empty(lanes, y.dtype)
    for start in range(0, y.size, n):
        if log:
            total = _row_sum(grad, start, n, lanes, tree, acc)
            if fused:
                _log_softmax_grad_fused(grad[start:start + n], y[start:start + n], total, out[start:start + n])
            else:
                for i in range(start, start + n):
                    out[i] = grad[i] - like(math.exp(y[i]), total) * total
        else:
            total = _row_dot(grad, y, start, n, lanes, tree, fused_tail, acc)
            for i in range(start, start + n):
                out[i] = (grad[i] - total) * y[i]


@njit(cache=True)
def _softmax_backward_columns(grad, y, out, outer, dim, inner, lanes, chunk, fused, log):
    """Down the columns, in chunks (as ``_softmax_columns``): softmax: y_i (g_i - sum(g * y)), the sum by fmas
    in FMA builds; log_softmax: g_i - exp(y_i) sum(g), as one fma in FMA builds."""
    for o in range(outer):
        for first in range(0, inner, chunk):
            size = min(chunk, inner - first)
            vector_end = first + size - size % lanes
            for j in range(first, first + size):
                vector = fused and j < vector_end
                base = o * dim * inner + j
                total = like(0, y[base])
                for d in range(dim):
                    i = base + d * inner
                    total = total + grad[i] if log else fma(grad[i], y[i], total) if fused else total + grad[i] * y[i]
                for d in range(dim):
                    i = base + d * inner
                    if log:
                        e = _exp(y[i], vector)
                        out[i] = fma(-e, total, grad[i]) if fused else grad[i] - e * total
                    else:
                        out[i] = y[i] * (grad[i] - total)


def _layout(x: np.ndarray, axis: int) -> tuple[int, int, int, int, bool, bool]:
    """(outer, dim, inner, lanes, tree, sleef) for a softmax of ``x`` along ``axis``.

    lanes: elements in one of PyTorch's vectors (AVX512: 64 bytes; AVX2 and builds without vectors: 32);
    tree: vector sums end in shuffles (float32 with AVX2/AVX512); sleef: the build has SLEEF and FMA.
    """
    shape = x.shape or (1,)
    outer = math.prod(shape[:axis])
    inner = math.prod(shape[axis + 1:])
    width = vector_bytes()
    lanes = (width or 32) // x.itemsize
    return outer, shape[axis], inner, lanes, bool(width) and x.dtype == np.float32, bool(width)


def _chunk(dim: int, itemsize: int, lanes: int) -> int:
    """Columns per chunk in the column kernels: a (dim, chunk) block of about 128 KiB, in whole vectors (one at
    least)."""
    return max(_BLOCK_BYTES // dim // itemsize, lanes) // lanes * lanes


def softmax(x: np.ndarray, axis: int, log: bool) -> np.ndarray:
    """softmax(x) = exp(x - max) / sum(exp(x - max)) along ``axis`` (a non-negative axis; 0 for a 0-d x),
    or with ``log`` log_softmax(x) = (x - max) - log(sum(exp(x - max))): a new C-contiguous array.
    """
    out = np.empty(x.shape, x.dtype)
    if x.size == 0:
        return out
    outer, dim, inner, lanes, tree, sleef = _layout(x, axis)
    source, target = flat(x), out.reshape(-1)
    if axis >= x.ndim - 1:
        _softmax_rows(source, target, dim, lanes, tree, sleef, log)
    else:
        chunk = _chunk(dim, x.itemsize, lanes) if log else inner
        _softmax_columns(source, target, outer, dim, inner, lanes, chunk, sleef, log)
    return out


def softmax_backward(grad: np.ndarray, y: np.ndarray, axis: int, log: bool) -> np.ndarray:
    """The gradient of softmax (or, with ``log``, log_softmax) along ``axis``, from its output ``y``.

    softmax: dL/dx = y * (g - sum(g * y)); log_softmax: dL/dx = g - exp(y) * sum(g), sums along ``axis``.
    """
    out = np.empty(y.shape, y.dtype)
    if y.size == 0:
        return out
    outer, dim, inner, lanes, tree, fused = _layout(y, axis)
    g, source, target = flat(grad), flat(y), out.reshape(-1)
    if axis >= y.ndim - 1:
        _softmax_backward_rows(g, source, target, dim, lanes, tree, fused, fused and y.dtype == np.float32, log)
    else:
        _softmax_backward_columns(g, source, target, outer, dim, inner, lanes, _chunk(dim, y.itemsize, lanes),
                                  fused, log)
    return out


# ----- nll_loss's sum -----------------------------------------------------------------------------------------------
@njit(cache=True)
def _nll_total(x, target, weight, ignore_index, classes, spatial, power, sums):
    """sums[0] = the sum of -x[n, t, s] * weight[t] over the kept positions; sums[1] = the sum of their
    weights (their count without ``weight``).

    Both add into level 0 of 8 partial sums; after position p, level j moves into level j + 1 for each j in
    turn while p's bits j*power .. (j+1)*power - 1 are all 0. The levels are then added in order.
    """
    loss = np.zeros(_LEVELS, sums.dtype)
    total_weight = np.zeros(_LEVELS, sums.dtype)
    mask = (1 << power) - 1
    kept = 0
    for p in range(target.size):
        t = target[p]
        if t == ignore_index:
            continue
        kept += 1
        n, s = divmod(p, spatial)
        value = x[(n * classes + t) * spatial + s]
        if weight.size:
            loss[0] -= value * weight[t]
            total_weight[0] += weight[t]
        else:
            loss[0] -= value
        for j in range(_LEVELS - 1):
            if p & (mask << (j * power)):
                break
            loss[j + 1] += loss[j]
            total_weight[j + 1] += total_weight[j]
            loss[j] = 0
            total_weight[j] = 0
    sums[0] = 0
    sums[1] = 0
    for j in range(_LEVELS):
        sums[0] += loss[j]
        sums[1] += total_weight[j]
    if not weight.size:
        sums[1] = kept


def _ceil_log2(n: int) -> int:
    """PyTorch's utils::CeilLog2 (1 for n <= 2)."""
    return 1 if n <= 2 else (n - 1).bit_length()


def nll_sums(x: np.ndarray, target: np.ndarray, weight: np.ndarray, ignore_index: int) -> tuple[np.ndarray, np.ndarray]:
    """(the sum of -x[n, t, s] * weight[t] over the kept positions, the sum of their weights), both 0-d, added up
    as PyTorch's cascade of 8 levels does (``_nll_total``); x: (N, C, S), target (N, S) flat, weight flat
    (empty: every class weighs 1)."""
    sums = np.empty(2, x.dtype)
    power = max(4, _ceil_log2(target.size) // _LEVELS)
    _nll_total(flat(x), target, weight, ignore_index, x.shape[1], x.shape[2], power, sums)
    return sums[:1].reshape(()), sums[1:].reshape(())  # (0-d arrays: sums[0] would be a numpy scalar)
