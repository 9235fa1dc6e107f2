"""Memory layout: broadcasting rules and the one strided-copy kernel.

Every other kernel loops over flat, C-contiguous buffers. Views that are not contiguous (a transpose, a
slice with a step, a broadcast with zero strides) are first copied into a fresh buffer by
``_copy_strided``, which walks two views of one shape with an odometer over their strides; the same
kernel writes values into a view in place (``write``). ``view_positions`` says where each element of a view
sits in the array it views (what autograd needs when a view is written in place).
"""

import math

import numpy as np
from numba import njit

from . import memory, mode
from ._scalar import like
from .fast import copies


def broadcast_shapes(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of ``a`` and ``b`` broadcast together, with PyTorch's error when they cannot be."""
    if a == b:
        return a
    if len(a) != len(b) and (a[len(a) - len(b):] == b if len(a) > len(b) else b[len(b) - len(a):] == a):
        return a if len(a) > len(b) else b  # the shorter one is the end of the longer: a bias, or a single value
    ndim = max(len(a), len(b))
    out = []
    for i in range(ndim):
        dim = ndim - 1 - i
        sa = a[len(a) - 1 - i] if i < len(a) else 1
        sb = b[len(b) - 1 - i] if i < len(b) else 1
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(
                f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) "
                f"at non-singleton dimension {dim}"
            )
        out.append(sb if sa == 1 else sa)
    return tuple(reversed(out))


@njit(cache=True)
def _copy_strided(src, src_strides, dst, dst_strides, shape):
    """Copy each element of the view (src, shape, src_strides) to the view (dst, shape, dst_strides).

    Both views are walked in C order with an odometer over ``shape``; values cast to dst's dtype.
    """
    ndim = shape.size
    n = 1
    for d in range(ndim):
        n *= shape[d]
    if n == 0:
        return
    idx = np.zeros(ndim, np.int64)
    inner = shape[ndim - 1]
    src_step, dst_step = src_strides[ndim - 1], dst_strides[ndim - 1]
    src_offset = dst_offset = 0
    for _ in range(n // inner):
        s, t = src_offset, dst_offset
        for _j in range(inner):
            dst[t] = like(src[s], dst[t])
            s += src_step
            t += dst_step
        d = ndim - 2
        while d >= 0:
            idx[d] += 1
            src_offset += src_strides[d]
            dst_offset += dst_strides[d]
            if idx[d] < shape[d]:
                break
            src_offset -= src_strides[d] * shape[d]
            dst_offset -= dst_strides[d] * shape[d]
            idx[d] = 0
            d -= 1


def strided_buffer(x: np.ndarray, writeable: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The flat memory under the view ``x`` (from its first element) and its strides in elements."""
    steps = [s // x.itemsize for s in x.strides] or [0]
    if any(step < 0 for step in steps):
        raise ValueError("negative strides are not supported")
    strides = np.array(steps, np.int64)
    if x.flags.c_contiguous:  # the memory is the array itself, flattened
        return (x.reshape(-1) if writeable else readonly(x, -1)), strides
    extent = 1 + sum((n - 1) * step for n, step in zip(x.shape or (1,), steps))
    buf = np.lib.stride_tricks.as_strided(x, shape=(extent,), strides=(x.itemsize,), writeable=writeable)
    return buf, strides


@njit(cache=True)
def _view_positions_loop(shape, strides, offset, order, base_strides, base_steps, out):
    ndim = shape.shape[0]
    idx = np.zeros(ndim, np.int64)
    for i in range(out.size):
        memory = offset  # the element's distance from the base's first element, in elements
        for d in range(ndim):
            memory += idx[d] * strides[d]
        position = 0
        for d in order:  # the base's dims by decreasing stride: its index in each, by division
            position += (memory // base_strides[d]) * base_steps[d]
            memory %= base_strides[d]
        out[i] = position
        d = ndim - 1
        while d >= 0:
            idx[d] += 1
            if idx[d] < shape[d]:
                break
            idx[d] = 0
            d -= 1


def view_positions(base: np.ndarray, view: np.ndarray) -> np.ndarray:
    """For each element of ``view`` (an array looking at part of ``base``'s memory), its flat C-order position in
    ``base``: where a write into the view lands in the base. An int64 array shaped like ``view``."""
    itemsize = base.itemsize
    offset = (view.__array_interface__["data"][0] - base.__array_interface__["data"][0]) // itemsize
    dims = [d for d in range(base.ndim) if base.shape[d] > 1]
    order = np.array(sorted(dims, key=lambda d: -base.strides[d]), np.int64)
    base_steps = np.array([math.prod(base.shape[d + 1:]) for d in range(base.ndim)] or [1], np.int64)
    base_strides = np.array([s // itemsize or 1 for s in base.strides] or [1], np.int64)
    out = np.empty(view.shape, np.int64)
    _view_positions_loop(np.array(view.shape, np.int64), np.array([s // itemsize for s in view.strides], np.int64),
                         offset, order, base_strides, base_steps, out.reshape(-1))
    return out


def readonly(x: np.ndarray, shape: int | tuple[int, ...] | None = None) -> np.ndarray:
    """A read-only view of ``x`` (C-contiguous when ``shape`` is given), reshaped to ``shape`` if given (-1: flat):
    kernels see one array type whatever the caller's flags (fewer compilations)."""
    view = x.view() if shape is None else x.ravel() if shape == -1 else x.reshape(shape)
    view.setflags(False)  # write=False (by position: the faster call)
    return view


def copy(x: np.ndarray, dtype: np.dtype | None = None) -> np.ndarray:
    """A fresh C-contiguous copy of the view ``x``, converted to ``dtype`` if given."""
    out = memory.empty(x.shape, dtype or x.dtype)
    write(out, x)
    return out


HALF, FLOAT = np.dtype(np.float16), np.dtype(np.float32)


def write(dst: np.ndarray, src: np.ndarray) -> None:
    """dst[...] = src in place: ``src`` broadcast to dst's shape and cast to its dtype; dst may be any view."""
    if dst.size == 0 or dst.dtype == HALF or src.dtype == HALF:  # (float16, which numba lacks: ``_write_half``)
        return None if dst.size == 0 else _write_half(dst, src)
    if mode.exact and copies.write(dst, src):  # a contiguous copy, or one value everywhere: vectorized loops
        return
    src = np.broadcast_to(src, dst.shape)
    src_buf, src_strides = strided_buffer(src)
    dst_buf, dst_strides = strided_buffer(dst, writeable=True)
    _copy_strided(src_buf, src_strides, dst_buf, dst_strides, np.array(dst.shape or (1,), np.int64))


def _write_half(dst: np.ndarray, src: np.ndarray) -> None:
    """``write`` where either side is float16, which numba cannot type: numpy converts between float16 and float32
    (rounding to nearest even, as PyTorch's ``c10::Half`` does); other dtypes go through float32, as PyTorch's
    conversions to and from half do (double -> float -> half)."""
    if dst.dtype != HALF and dst.dtype != FLOAT:  # half -> float -> dst
        write(dst, cast(src, FLOAT))
        return
    with np.errstate(over="ignore"):  # (beyond half's range: inf, as C's conversion gives, without numpy's warning)
        np.copyto(dst, src if src.dtype == HALF or src.dtype == FLOAT else cast(src, FLOAT), casting="unsafe")


def widened(x: np.ndarray) -> np.ndarray:
    """``x`` as kernels compute with it: a float16 array as float32 (exact; PyTorch's "opmath" type for half),
    any other as it is."""
    return cast(x, FLOAT) if x.dtype == HALF else x


def concatenate(arrays: list[np.ndarray], axis: int, out: np.ndarray) -> None:
    """The arrays (of out's dims, equal to out's shape but along ``axis``) written one after another along ``axis``
    into ``out``. Exact mode has numpy's concatenate copy them, in C (no arithmetic: the same bits as ``write``)."""
    if mode.exact:
        np.concatenate(arrays, axis, out=out)
        return
    start = 0
    for x in arrays:
        write(out[(slice(None),) * axis + (slice(start, start + x.shape[axis]),)], x)
        start += x.shape[axis]


def flat(x: np.ndarray) -> np.ndarray:
    """``x`` as a read-only flat C-contiguous buffer: a view when possible, else a copy."""
    return readonly(x if x.flags.c_contiguous else copy(x), -1)


def flat_broadcast(x: np.ndarray, shape: tuple[int, ...]) -> tuple[np.ndarray, int]:
    """``x`` as a flat buffer read with a step: step 1 over ``shape``'s elements, or step 0 for one value."""
    if x.shape == shape and x.flags.c_contiguous:  # the common case, in one call
        return readonly(x, -1), 1
    if x.size == 1:
        return flat(x), 0
    if x.shape != shape:
        x = np.broadcast_to(x, shape)
    return flat(x), 1


def cast(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``x`` converted to ``dtype`` (x itself when it already has it)."""
    return x if x.dtype == dtype else copy(x, dtype)


_FLOAT_MAX = {np.dtype(t): float(np.finfo(t).max) for t in (np.float32, np.float64)}


def scalar(value: float, dtype: np.dtype) -> np.ndarray:
    """A 0-d array holding ``value`` in ``dtype``: how Python numbers enter kernels (f32(value) for float32).

    Integers wrap as C casts do (-2 as uint8 is 254), as PyTorch's scalars do; a float beyond float32's range
    becomes inf, as a C cast makes it, without numpy's overflow warning (ops that refuse it check first). A float16
    one goes through float32, as PyTorch converts a number to half.
    """
    if dtype == HALF:
        return cast(scalar(value, FLOAT), HALF)
    if isinstance(value, (int, float)) and abs(value) <= _FLOAT_MAX.get(dtype, -1.0):  # nothing to wrap or overflow
        return np.array(value, dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(value).astype(dtype)


def expand(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A fresh array of ``shape`` holding ``x`` broadcast to it."""
    out = memory.empty(shape, x.dtype)
    write(out, x)
    return out


def unfold(x: np.ndarray, axis: int, size: int, step: int) -> np.ndarray:
    """The windows of ``size`` consecutive elements, ``step`` apart, along ``axis``, as a view of x: that axis counts
    the windows, a new last axis runs along each (a 0-d x: one window of its ``size`` <= 1 elements)."""
    if x.ndim == 0:
        return x.reshape(1)[:size]
    count = (x.shape[axis] - size) // step + 1
    shape = (*x.shape[:axis], count, *x.shape[axis + 1:], size)
    strides = (*x.strides[:axis], x.strides[axis] * step, *x.strides[axis + 1:], x.strides[axis])
    return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=x.flags.writeable)
