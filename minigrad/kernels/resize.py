"""Resizing planes: nearest-neighbour and (bi)linear interpolation, their gradients, and max unpooling.

Every loop takes (planes, H, W) arrays, one plane per (sample, channel); a 1-d signal is a plane of height 1.
Output position o of a dim of ``out`` positions reads input position(s) computed as PyTorch's CPU kernels compute
them (aten/src/ATen/native/UpSample.h), in the same float type and with the same casts, so that both pick the
same pixels:

- the scale: 1 / scale_factor when one is given (and not recomputed), else in / out; with ``align_corners``,
  (in - 1) / (out - 1) (0 for an output of one position);
- nearest: floor(o scale); nearest-exact: floor((o + 1/2) scale); both at most in - 1;
- linear: the source coordinate s = o scale with ``align_corners``, else max(scale (o + 1/2) - 1/2, 0) (computed
  in double, rounded to the input's float type); it lies between i0 = floor(s) and i1 = i0 + 1 (i0 at the last
  position), with weights 1 - (s - i0) and s - i0.

PyTorch runs one of two loops by the output's size (a vectorized one for outputs of H + W <= 128, a separable one
otherwise): they compute the indices in different float types and add the four bilinear terms in different orders.
Each is written out below, and the caller picks as PyTorch picks (``vectorized``).
"""

import math

import numpy as np
from numba import njit

from ._scalar import like
from .conv import _contiguous

VECTORIZED_LIMIT = 128  # PyTorch's _use_vectorized_kernel_cond_2d: output H + W up to this


# ----- source positions ----------------------------------------------------------------------------------------
@njit(cache=True)
def _float_scale(in_size, out_size, scale):
    """PyTorch's compute_scales_value<float>: 1 / scale_factor (computed in double), else in / out in float."""
    if scale > 0:
        return np.float32(1.0 / scale)
    return np.float32(in_size) / np.float32(out_size)


@njit(cache=True)
def _nearest_loop(in_size, out_size, scale, exact, index):
    """PyTorch's nearest_idx and nearest_exact_idx (float arithmetic; out == in and out == 2 in exactly for nearest)."""
    s = _float_scale(in_size, out_size, scale)
    for o in range(out_size):
        if not exact and out_size == in_size:
            i = o
        elif not exact and out_size == 2 * in_size:
            i = o >> 1
        elif exact:
            i = math.floor(np.float32((o + 0.5) * np.float64(s)))
        else:
            i = math.floor(np.float32(o) * s)
        index[o] = min(i, in_size - 1)


@njit(cache=True)
def _centre(s, o):
    """PyTorch's area_pixel_compute_source_index without align_corners: s (o + 1/2) - 1/2 computed in double (its
    constants are doubles), rounded to s's type, and at least 0."""
    real = like(np.float64(s) * (o + 0.5) - 0.5, s)
    return max(real, like(0, s))


@njit(cache=True)
def _nearest_separable_loop(in_size, out_size, scale, exact, ref, index):
    """PyTorch's compute_indices_weights_nearest(_exact): the scale and coordinate in the input's float type ``ref``,
    floored as a float."""
    if scale > 0:
        s = like(1.0 / scale, ref)
    else:
        s = like(in_size, ref) / like(out_size, ref)
    for o in range(out_size):
        if exact:
            i = math.floor(np.float32(np.float64(_centre(s, o)) + 0.5))
        else:
            i = math.floor(np.float32(s * like(o, ref)))
        index[o] = min(i, in_size - 1)


def nearest_index(in_size: int, out_size: int, scale: float | None, exact: bool, separable: bool = False,
                  dtype: np.dtype | None = None) -> np.ndarray:
    """The input position each of ``out_size`` output positions copies (int64), for nearest or nearest-exact;
    ``separable``: as PyTorch's separable loop computes it, in ``dtype`` (its vectorized loop and every backward
    compute in float; so does the separable loop for any ``dtype`` but float64)."""
    index = np.empty(out_size, np.int64)
    if separable:
        ref = np.zeros((), np.float64 if dtype == np.float64 else np.float32)[()]
        _nearest_separable_loop(in_size, out_size, scale or 0.0, exact, ref, index)
    else:
        _nearest_loop(in_size, out_size, scale or 0.0, exact, index)
    return index


@njit(cache=True)
def _linear_loop(in_size, out_size, align_corners, scale, i0, i1, l0, l1):
    """PyTorch's area_pixel_compute_scale, area_pixel_compute_source_index and compute_source_index_and_lambda,
    in the weights' float type."""
    ref = l0[0]
    if align_corners:
        s = like(in_size - 1, ref) / like(out_size - 1, ref) if out_size > 1 else like(0, ref)
    elif scale > 0:
        s = like(1.0 / scale, ref)
    else:
        s = like(in_size, ref) / like(out_size, ref)
    for o in range(out_size):
        if out_size == in_size:
            i0[o], i1[o], l0[o], l1[o] = o, o, like(1, ref), like(0, ref)
            continue
        if align_corners:
            real = s * like(o, ref)
        else:
            real = _centre(s, o)
        i = min(math.floor(np.float32(real)), in_size - 1)
        lam = min(max(real - like(i, ref), like(0, ref)), like(1, ref))
        i0[o], i1[o] = i, i + 1 if i < in_size - 1 else i
        l1[o], l0[o] = lam, like(1, ref) - lam


def linear_weights(in_size: int, out_size: int, align_corners: bool, scale: float | None,
                   dtype: np.dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(i0, i1, w0, w1): output position o is w0[o] x[i0[o]] + w1[o] x[i1[o]], the weights in ``dtype``."""
    i0, i1 = np.empty(out_size, np.int64), np.empty(out_size, np.int64)
    l0, l1 = np.empty(out_size, dtype), np.empty(out_size, dtype)
    if out_size:
        _linear_loop(in_size, out_size, align_corners, scale or 0.0, i0, i1, l0, l1)
    return i0, i1, l0, l1


# ----- nearest ----------------------------------------------------------------------------------------------------
@njit(cache=True)
def _pick_loop(x, rows, cols, out):
    """out[p, oy, ox] = x[p, rows[oy], cols[ox]]."""
    for p in range(out.shape[0]):
        for oy in range(out.shape[1]):
            y = rows[oy]
            for ox in range(out.shape[2]):
                out[p, oy, ox] = x[p, y, cols[ox]]


@njit(cache=True)
def _pick_grad_loop(grad, rows, cols, out):
    """out[p, rows[oy], cols[ox]] += grad[p, oy, ox], in order."""
    for p in range(grad.shape[0]):
        for oy in range(grad.shape[1]):
            y = rows[oy]
            for ox in range(grad.shape[2]):
                out[p, y, cols[ox]] += grad[p, oy, ox]


def nearest(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """x (P, H, W) resized to (P, len(rows), len(cols)), each output a copy of x[p, rows[oy], cols[ox]]."""
    out = np.empty((x.shape[0], rows.shape[0], cols.shape[0]), x.dtype)
    _pick_loop(_contiguous(x), rows, cols, out)
    return out


def nearest_grad(grad: np.ndarray, rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """The gradient of ``nearest`` for an input of ``shape``: each output's gradient added onto the input it copied."""
    out = np.zeros(shape, grad.dtype)
    _pick_grad_loop(_contiguous(grad), rows, cols, out)
    return out


# ----- linear and bilinear ----------------------------------------------------------------------------------------
@njit(cache=True)
def _linear1d_loop(x, c0, c1, v0, v1, out):
    """out[p, 0, o] = v0[o] x[p, 0, c0[o]] + v1[o] x[p, 0, c1[o]]."""
    for p in range(out.shape[0]):
        for o in range(out.shape[2]):
            out[p, 0, o] = v0[o] * x[p, 0, c0[o]] + v1[o] * x[p, 0, c1[o]]


@njit(cache=True)
def _bilinear_loop(x, r0, r1, u0, u1, c0, c1, v0, v1, vectorized, out):
    """The weighted sum of the four inputs around each output: with ``vectorized``, PyTorch's channels-last loop
    (the four products of row and column weights, summed in turn); else its separable loop (each row interpolated
    along W, then the two rows along H)."""
    for p in range(out.shape[0]):
        for oy in range(out.shape[1]):
            a, b, h0, h1 = r0[oy], r1[oy], u0[oy], u1[oy]
            for ox in range(out.shape[2]):
                c, d, w0, w1 = c0[ox], c1[ox], v0[ox], v1[ox]
                if vectorized:
                    out[p, oy, ox] = (h0 * w0 * x[p, a, c] + h0 * w1 * x[p, a, d] + h1 * w0 * x[p, b, c]
                                      + h1 * w1 * x[p, b, d])
                else:
                    top = x[p, a, c] * w0 + x[p, a, d] * w1
                    bottom = x[p, b, c] * w0 + x[p, b, d] * w1
                    out[p, oy, ox] = top * h0 + bottom * h1


@njit(cache=True)
def _linear1d_grad_loop(grad, c0, c1, v0, v1, out):
    """out[p, 0, c0[o]] += v0[o] grad[p, 0, o], then out[p, 0, c1[o]] += v1[o] grad[p, 0, o], in order."""
    for p in range(grad.shape[0]):
        for o in range(grad.shape[2]):
            g = grad[p, 0, o]
            out[p, 0, c0[o]] += v0[o] * g
            out[p, 0, c1[o]] += v1[o] * g


@njit(cache=True)
def _bilinear_grad_loop(grad, r0, r1, u0, u1, c0, c1, v0, v1, out):
    """Each output's gradient shared out over its four inputs, weight (row weight x column weight), in order."""
    for p in range(grad.shape[0]):
        for oy in range(grad.shape[1]):
            a, b, h0, h1 = r0[oy], r1[oy], u0[oy], u1[oy]
            for ox in range(grad.shape[2]):
                c, d, w0, w1 = c0[ox], c1[ox], v0[ox], v1[ox]
                g = grad[p, oy, ox]
                out[p, a, c] += h0 * w0 * g
                out[p, a, d] += h0 * w1 * g
                out[p, b, c] += h1 * w0 * g
                out[p, b, d] += h1 * w1 * g


Weights = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def bilinear(x: np.ndarray, rows: Weights | None, cols: Weights, vectorized: bool) -> np.ndarray:
    """x (P, H, W) resized to (P, OH, OW) by bilinear interpolation, ``rows`` and ``cols`` the ``linear_weights``
    along each dim; rows None: a 1-d signal (H = 1), interpolated along W only."""
    out_h = 1 if rows is None else rows[0].shape[0]
    out = np.empty((x.shape[0], out_h, cols[0].shape[0]), x.dtype)
    if rows is None:
        _linear1d_loop(_contiguous(x), *cols, out)
    else:
        _bilinear_loop(_contiguous(x), *rows, *cols, vectorized, out)
    return out


def bilinear_grad(grad: np.ndarray, rows: Weights | None, cols: Weights, shape: tuple[int, int, int]) -> np.ndarray:
    """The gradient of ``bilinear`` for an input of ``shape`` (P, H, W)."""
    out = np.zeros(shape, grad.dtype)
    if rows is None:
        _linear1d_grad_loop(_contiguous(grad), *cols, out)
    else:
        _bilinear_grad_loop(_contiguous(grad), *rows, *cols, out)
    return out


# ----- max unpooling ----------------------------------------------------------------------------------------------
@njit(cache=True)
def _unpool_loop(x, indices, out):
    """out[p, indices[p, k]] = x[p, k], in order (a repeated index keeps the last value); returns (whether an index
    fell outside its plane, the last such index)."""
    bad, found = 0, False
    for p in range(x.shape[0]):
        for k in range(x.shape[1]):
            i = indices[p, k]
            if i < 0 or i >= out.shape[1]:
                bad, found = i, True
            else:
                out[p, i] = x[p, k]
    return found, bad


def max_unpool(x: np.ndarray, indices: np.ndarray, size: int) -> tuple[np.ndarray, int | None]:
    """Zeros (P, size) with each x[p, k] (x: (P, K)) written at position indices[p, k] of its plane; and the last
    index that fell outside a plane (None when every one fits)."""
    out = np.zeros((x.shape[0], size), x.dtype)
    found, bad = _unpool_loop(_contiguous(x), _contiguous(indices), out)
    return out, (int(bad) if found else None)


@njit(cache=True)
def _gather_loop(grad, indices, out):
    """out[p, k] = grad[p, indices[p, k]]."""
    for p in range(out.shape[0]):
        for k in range(out.shape[1]):
            out[p, k] = grad[p, indices[p, k]]


def gather_per_plane(grad: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """out[p, k] = grad[p, indices[p, k]] for grad (P, size) and indices (P, K): max unpooling's backward."""
    out = np.empty(indices.shape, grad.dtype)
    _gather_loop(_contiguous(grad), _contiguous(indices), out)
    return out
