"""Convolution and pooling over 2-d planes (a 1-d signal is a plane of height 1).

A convolution is a matrix product once every window of the input is laid out as a column: ``im2col`` (PyTorch's
``unfold``) writes row (c, i, j) of column (oy, ox) of sample n as the input value under kernel tap (i, j) of
channel c for output position (oy, ox); the kernel, flattened to rows (out channel) x (c, i, j), times those
columns is the output. ``col2im`` (``fold``) is im2col's adjoint: it adds each column's values back onto the
input positions they were read from, which is how gradients reach the input.

The pooling loops take (planes, H, W) arrays, one plane per (sample, channel): max pooling keeps the first
maximum of each window (a NaN wins, the last NaN of the window, as in PyTorch) and its flat index in the plane;
average pooling divides the window's sum by its size (PyTorch's choices for the padding and the ragged edge).

Every kernel takes C-contiguous arrays; ``_contiguous`` copies the others first.
"""

import math

import numpy as np
from numba import njit, types
from numba.extending import overload

from ._scalar import like
from .layout import copy, readonly


def _contiguous(x: np.ndarray) -> np.ndarray:
    """``x`` as a read-only C-contiguous array (one kernel type whatever the caller's flags)."""
    return readonly(x if x.flags.c_contiguous else copy(x))


# ----- im2col and col2im -------------------------------------------------------------------------------------------
@njit(cache=True)
def _im2col_loop(x, kh, kw, sh, sw, ph, pw, dh, dw, cols):
    """cols[n, (c kh + i) kw + j, oy, ox] = x[n, c, oy sh - ph + i dh, ox sw - pw + j dw], 0 in the padding."""
    n_count, channels, height, width = x.shape
    out_h, out_w = cols.shape[2], cols.shape[3]
    for n in range(n_count):
        for c in range(channels):
            for i in range(kh):
                for j in range(kw):
                    row = (c * kh + i) * kw + j
                    for oy in range(out_h):
                        y = oy * sh - ph + i * dh
                        if y < 0 or y >= height:
                            for ox in range(out_w):
                                cols[n, row, oy, ox] = 0
                            continue
                        for ox in range(out_w):
                            xx = ox * sw - pw + j * dw
                            cols[n, row, oy, ox] = x[n, c, y, xx] if 0 <= xx < width else 0


@njit(cache=True)
def _col2im_loop(cols, kh, kw, sh, sw, ph, pw, dh, dw, x):
    """x[n, c, oy sh - ph + i dh, ox sw - pw + j dw] += cols[n, (c kh + i) kw + j, oy, ox]: im2col's adjoint
    (values that fell in the padding are dropped), added in PyTorch's col2im order."""
    n_count, channels, height, width = x.shape
    out_h, out_w = cols.shape[2], cols.shape[3]
    for n in range(n_count):
        for c in range(channels):
            for i in range(kh):
                for j in range(kw):
                    row = (c * kh + i) * kw + j
                    for oy in range(out_h):
                        y = oy * sh - ph + i * dh
                        if y < 0 or y >= height:
                            continue
                        for ox in range(out_w):
                            xx = ox * sw - pw + j * dw
                            if 0 <= xx < width:
                                x[n, c, y, xx] += cols[n, row, oy, ox]


def im2col(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int],
           dilation: tuple[int, int], out_size: tuple[int, int]) -> np.ndarray:
    """The windows of x (N, C, H, W) as columns: (N, C kh kw, OH, OW), row (c, i, j), column (oy, ox) (PyTorch's
    unfold, its positions still 2-d). ``padding`` is (top, left): the zeros before the input (those after it only
    decide ``out_size``)."""
    cols = np.empty((x.shape[0], x.shape[1] * kernel[0] * kernel[1], *out_size), x.dtype)
    _im2col_loop(_contiguous(x), *kernel, *stride, *padding, *dilation, cols)
    return cols


def col2im(cols: np.ndarray, shape: tuple[int, int, int, int], kernel: tuple[int, int], stride: tuple[int, int],
           padding: tuple[int, int], dilation: tuple[int, int]) -> np.ndarray:
    """im2col's adjoint (PyTorch's fold): an array of ``shape`` (N, C, H, W) where each value of cols
    (N, C kh kw, OH, OW) is added onto the input position im2col read it from."""
    x = np.zeros(shape, cols.dtype)
    _col2im_loop(_contiguous(cols), *kernel, *stride, *padding, *dilation, x)
    return x


# ----- max pooling -------------------------------------------------------------------------------------------------
@njit(cache=True)
def _max_pool_loop(x, kh, kw, sh, sw, ph, pw, dh, dw, values, indices):
    """For each plane and output position: the window's maximum and its flat index (y W + x) in the plane, PyTorch's
    way: the first maximum, or the last NaN; positions in the padding are skipped."""
    height, width = x.shape[1], x.shape[2]
    for p in range(x.shape[0]):
        for oy in range(values.shape[1]):
            y0 = oy * sh - ph
            y1 = min(y0 + (kh - 1) * dh + 1, height)
            while y0 < 0:
                y0 += dh
            for ox in range(values.shape[2]):
                x0 = ox * sw - pw
                x1 = min(x0 + (kw - 1) * dw + 1, width)
                while x0 < 0:
                    x0 += dw
                at = y0 * width + x0
                if y0 >= y1 or x0 >= x1:  # a window wholly in the padding (dilation can leave one)
                    values[p, oy, ox] = -np.inf
                    indices[p, oy, ox] = at
                    continue
                best = x[p, y0, x0]
                for y in range(y0, y1, dh):
                    for xx in range(x0, x1, dw):
                        v = x[p, y, xx]
                        if v > best or v != v:
                            best = v
                            at = y * width + xx
                values[p, oy, ox] = best
                indices[p, oy, ox] = at


def max_pool2d(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int],
               dilation: tuple[int, int], out_size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(values, int64 indices) of the max over each window of each plane of x (P, H, W)."""
    values = np.empty((x.shape[0], *out_size), x.dtype)
    indices = np.empty((x.shape[0], *out_size), np.int64)
    _max_pool_loop(_contiguous(x), *kernel, *stride, *padding, *dilation, values, indices)
    return values, indices


@njit(cache=True)
def _scatter_loop(grad, indices, out):
    """out[p, indices[p, k]] += grad[p, k], for the indices inside the plane. (A window wholly in the padding, which
    dilation can make, has the index of the position after its last row: no element receives its gradient. PyTorch
    writes past the plane there, corrupting memory.)"""
    for p in range(grad.shape[0]):
        for k in range(grad.shape[1]):
            i = indices[p, k]
            if 0 <= i < out.shape[1]:
                out[p, i] += grad[p, k]


def scatter_to_indices(grad: np.ndarray, indices: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Zeros of ``shape`` (P, *plane) with each gradient of grad (P, *out) added at its plane's flat ``indices``
    position: max pooling's backward (the gradient goes to the maximum that was picked)."""
    out = np.zeros(shape, grad.dtype)
    planes, size = shape[0], math.prod(indices.shape[1:])
    _scatter_loop(_contiguous(grad).reshape(planes, size), _contiguous(indices).reshape(planes, size),
                  out.reshape(planes, math.prod(shape[1:])))
    return out


# ----- average pooling ---------------------------------------------------------------------------------------------
def divide(total, divisor):
    """total / divisor in total's type, as PyTorch's C++ divides: integers truncated toward zero, floats
    correctly rounded in their own dtype (pure-Python form, used without the JIT)."""
    if isinstance(total, (int, np.integer)):
        q = abs(int(total)) // abs(int(divisor))
        return type(total)(q if (total >= 0) == (divisor > 0) else -q)
    return total / type(total)(divisor)


@overload(divide)
def _divide_jit(total, divisor):
    if isinstance(total, types.Integer):
        def integer_division(total, divisor):
            q = abs(total) // abs(divisor)
            return q if (total >= 0) == (divisor > 0) else -q
        return integer_division
    return lambda total, divisor: total / like(divisor, total)


@njit(cache=True)
def _avg_pool_window(oy, ox, kh, kw, sh, sw, ph, pw, height, width, count_include_pad, divisor_override):
    """PyTorch's window for output (oy, ox): (y0, y1, x0, x1) clipped to the input, and the divisor: the window
    clipped to the padded input when ``count_include_pad``, else to the input; ``divisor_override`` if nonzero."""
    y0 = oy * sh - ph
    x0 = ox * sw - pw
    y1 = min(y0 + kh, height + ph)
    x1 = min(x0 + kw, width + pw)
    pool_size = (y1 - y0) * (x1 - x0)
    y0, x0 = max(y0, 0), max(x0, 0)
    y1, x1 = min(y1, height), min(x1, width)
    if divisor_override != 0:
        divisor = divisor_override
    elif count_include_pad:
        divisor = pool_size
    else:
        divisor = (y1 - y0) * (x1 - x0)
    return y0, y1, x0, x1, divisor


@njit(cache=True)
def _avg_pool_loop(x, kh, kw, sh, sw, ph, pw, count_include_pad, divisor_override, out):
    """out[p, oy, ox] = (the sum of the window, in order) / its divisor; 0 for a window wholly in the padding."""
    height, width = x.shape[1], x.shape[2]
    for p in range(x.shape[0]):
        for oy in range(out.shape[1]):
            for ox in range(out.shape[2]):
                y0, y1, x0, x1, divisor = _avg_pool_window(oy, ox, kh, kw, sh, sw, ph, pw, height, width,
                                                           count_include_pad, divisor_override)
                if y0 >= y1 or x0 >= x1:
                    out[p, oy, ox] = 0
                    continue
                total = like(0, x[p, y0, x0])
                for y in range(y0, y1):
                    for xx in range(x0, x1):
                        total += x[p, y, xx]
                out[p, oy, ox] = divide(total, divisor)


@njit(cache=True)
def _avg_pool_grad_loop(grad, kh, kw, sh, sw, ph, pw, count_include_pad, divisor_override, out):
    """out[p, y, x] += grad[p, oy, ox] / divisor for every window (oy, ox) that holds (y, x)."""
    height, width = out.shape[1], out.shape[2]
    for p in range(grad.shape[0]):
        for oy in range(grad.shape[1]):
            for ox in range(grad.shape[2]):
                y0, y1, x0, x1, divisor = _avg_pool_window(oy, ox, kh, kw, sh, sw, ph, pw, height, width,
                                                           count_include_pad, divisor_override)
                if y0 >= y1 or x0 >= x1:
                    continue
                share = divide(grad[p, oy, ox], divisor)
                for y in range(y0, y1):
                    for xx in range(x0, x1):
                        out[p, y, xx] += share


def avg_pool2d(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int],
               out_size: tuple[int, int], count_include_pad: bool, divisor_override: int | None) -> np.ndarray:
    """The mean over each window of each plane of x (P, H, W) (see ``_avg_pool_window`` for the divisor)."""
    out = np.empty((x.shape[0], *out_size), x.dtype)
    _avg_pool_loop(_contiguous(x), *kernel, *stride, *padding, count_include_pad, divisor_override or 0, out)
    return out


def avg_pool2d_grad(grad: np.ndarray, shape: tuple[int, int, int], kernel: tuple[int, int],
                    stride: tuple[int, int], padding: tuple[int, int], count_include_pad: bool,
                    divisor_override: int | None) -> np.ndarray:
    """The gradient of avg_pool2d for an input of ``shape`` (P, H, W): each window's gradient shared out over it."""
    out = np.zeros(shape, grad.dtype)
    _avg_pool_grad_loop(_contiguous(grad), *kernel, *stride, *padding, count_include_pad, divisor_override or 0, out)
    return out


# ----- adaptive pooling: output cell o of n covers input [floor(o I / n), ceil((o + 1) I / n)) ----------------------
@njit(cache=True, inline="always")
def _cell(o, n, size):
    return (o * size) // n, ((o + 1) * size + n - 1) // n


@njit(cache=True)
def _adaptive_avg_loop(x, out):
    """out[p, oy, ox] = (the sum over its cell, in order) / the cell's height / its width."""
    height, width = x.shape[1], x.shape[2]
    out_h, out_w = out.shape[1], out.shape[2]
    for p in range(x.shape[0]):
        for oy in range(out_h):
            y0, y1 = _cell(oy, out_h, height)
            for ox in range(out_w):
                x0, x1 = _cell(ox, out_w, width)
                total = like(0, x[p, y0, x0])
                for y in range(y0, y1):
                    for xx in range(x0, x1):
                        total += x[p, y, xx]
                out[p, oy, ox] = divide(divide(total, y1 - y0), x1 - x0)


@njit(cache=True)
def _adaptive_avg_grad_loop(grad, out):
    """out[p, y, x] += grad[p, oy, ox] / the cell's height / its width, for every cell (oy, ox) that holds (y, x)."""
    height, width = out.shape[1], out.shape[2]
    out_h, out_w = grad.shape[1], grad.shape[2]
    for p in range(grad.shape[0]):
        for oy in range(out_h):
            y0, y1 = _cell(oy, out_h, height)
            for ox in range(out_w):
                x0, x1 = _cell(ox, out_w, width)
                share = divide(divide(grad[p, oy, ox], y1 - y0), x1 - x0)
                for y in range(y0, y1):
                    for xx in range(x0, x1):
                        out[p, y, xx] += share


@njit(cache=True)
def _adaptive_max_loop(x, values, indices):
    """The maximum of each cell and its flat index in the plane (the first maximum, or the last NaN)."""
    height, width = x.shape[1], x.shape[2]
    out_h, out_w = values.shape[1], values.shape[2]
    for p in range(x.shape[0]):
        for oy in range(out_h):
            y0, y1 = _cell(oy, out_h, height)
            for ox in range(out_w):
                x0, x1 = _cell(ox, out_w, width)
                best = x[p, y0, x0]
                at = y0 * width + x0
                for y in range(y0, y1):
                    for xx in range(x0, x1):
                        v = x[p, y, xx]
                        if v > best or v != v:
                            best = v
                            at = y * width + xx
                values[p, oy, ox] = best
                indices[p, oy, ox] = at


def adaptive_avg_pool2d(x: np.ndarray, out_size: tuple[int, int]) -> np.ndarray:
    """The mean over each adaptive cell of each plane of x (P, H, W)."""
    out = np.empty((x.shape[0], *out_size), x.dtype)
    _adaptive_avg_loop(_contiguous(x), out)
    return out


def adaptive_avg_pool2d_grad(grad: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """The gradient of adaptive_avg_pool2d for an input of ``shape`` (P, H, W)."""
    out = np.zeros(shape, grad.dtype)
    _adaptive_avg_grad_loop(_contiguous(grad), out)
    return out


def adaptive_max_pool2d(x: np.ndarray, out_size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(values, int64 indices) of the max over each adaptive cell of each plane of x (P, H, W)."""
    values = np.empty((x.shape[0], *out_size), x.dtype)
    indices = np.empty((x.shape[0], *out_size), np.int64)
    _adaptive_max_loop(_contiguous(x), values, indices)
    return values, indices


def pooled_size(size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int:
    """PyTorch's pooling_output_shape: windows along one dim; with ``ceil_mode`` a last partial window counts too,
    unless it would start in the right padding."""
    effective = dilation * (kernel - 1) + 1
    out = (size + 2 * padding - effective + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def convolved_size(size: int, kernel: int, stride: int, before: int, after: int, dilation: int) -> int:
    """Output positions of a convolution along one dim: windows of the padded input."""
    return (size + before + after - dilation * (kernel - 1) - 1) // stride + 1


def transposed_size(size: int, kernel: int, stride: int, padding: int, dilation: int, output_padding: int) -> int:
    """Output positions of a transposed convolution along one dim (the input size of the convolution it reverses)."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1

