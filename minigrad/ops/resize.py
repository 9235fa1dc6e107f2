"""Resizing: nearest and (bi)linear upsampling (``interpolate``), max unpooling, and pixel (un)shuffle.

Upsampling maps each output position to input positions by PyTorch's formulas (``kernels/resize.py``): nearest
copies one input, so its gradient adds each output's gradient back onto the input it copied; linear modes weigh two
inputs per dim (four in a plane), so the gradient shares each output's gradient out by the same weights.
Max unpooling writes each value at the index max pooling recorded (zeros elsewhere); its gradient gathers the
gradient at those indices. Pixel shuffle moves values without changing them; pixel unshuffle is its inverse, and
each one's gradient is the other applied to the gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .jvp import linear_jvp
from .registry import Op, Promotion, register

Sizes = tuple[int, ...]
Scales = tuple[float | None, ...]


# ----- upsampling ---------------------------------------------------------------------------------------------------
def _check_upsample(x: np.ndarray, output_size: Sizes) -> None:
    """PyTorch's upsample_1d/2d_common_check and its meta function's check for an input with no channels."""
    spatial = x.shape[2:]
    if any(s <= 0 for s in spatial) or any(s <= 0 for s in output_size):
        raise errors.upsample_sizes(spatial, output_size)
    if x.shape[1] == 0:
        raise errors.upsample_empty(x.shape)


def _vectorized(output_size: Sizes) -> bool:
    """Whether PyTorch runs its vectorized (channels-last) 2-d loop rather than its separable one (a 1-d signal:
    never). PyTorch also runs its vectorized bilinear loop on inputs of 3 channels when it runs on one thread; minigrad
    does not (the loops differ in rounding only, and in the kernel named by the error for an integer input)."""
    return len(output_size) == 2 and sum(output_size) <= K.VECTORIZED_LIMIT


def _planes(x: np.ndarray) -> np.ndarray:
    """x (N, C, L) as planes (N C, 1, L); (N, C, H, W) as (N C, H, W)."""
    return x.reshape(-1, *((1,) * (4 - x.ndim)), *x.shape[2:])


class Upsample(Op):
    """Resizing the last 1 or 2 dims of x (N, C, *size) to ``output_size``; ``scales`` are the scale factors to
    use (None: in / out). Not registered: each mode and rank below is one PyTorch kernel."""

    promotion = Promotion.NONE
    mode: str
    jvp_formulas = ("d(upsample x) = upsample dx",)
    jvp = classmethod(linear_jvp)

    @classmethod
    def torch_arguments(cls, inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        """F.interpolate's arguments: the mode, and the scale factors where they were given, else the size."""
        params = dict(params)
        scales, size = params.pop("scales", None), params.pop("output_size")
        given = {"scale_factor": scales} if scales and scales[0] is not None else {"size": size}
        return inputs, {**given, "mode": cls.mode, **params}


class _Nearest(Upsample):
    """out[..., o] = x[..., i(o)], i(o) = floor(o in / out) (nearest) or floor((o + 1/2) in / out) (nearest-exact),
    per dim."""

    formulas = ("d(upsample_nearest(x))/dx = each output's grad added onto the input it copies",)
    exact: bool

    @classmethod
    def _indices(cls, in_size: Sizes, output_size: Sizes, scales: Scales, separable: bool,
                 dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cols): the input row and column each output row and column copies (one row for a 1-d signal)."""
        picks = [K.nearest_index(i, o, s, cls.exact, separable, dtype) for i, o, s in zip(in_size, output_size, scales)]
        return (picks[0], picks[1]) if len(picks) == 2 else (np.zeros(1, np.int64), picks[0])

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, *, output_size: Sizes, scales: Scales) -> np.ndarray:
        _check_upsample(x, output_size)
        vectorized = _vectorized(output_size)
        if x.dtype.kind != "f" and x.dtype != np.uint8:
            raise errors.not_implemented("upsample_nearest2d_channels_last" if vectorized
                                         else "compute_indices_weights_nearest", x.dtype)
        planes = _planes(x)
        rows, cols = cls._indices(x.shape[2:], output_size, scales, not vectorized, x.dtype)
        out = K.nearest(planes, rows, cols)
        # PyTorch's backward recomputes the indices as its vectorized loop does, in float, whichever loop ran forward.
        ctx.picks = cls._indices(x.shape[2:], output_size, scales, False, x.dtype)
        ctx.shapes = (planes.shape, x.shape)
        return out.reshape(*x.shape[:2], *output_size)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        planes_shape, shape = ctx.shapes
        rows, cols = ctx.picks
        planes = grad.reshape(planes_shape[0], rows.shape[0], cols.shape[0])
        return (K.nearest_grad(planes, rows, cols, planes_shape).reshape(shape),)


@register
class UpsampleNearest1d(_Nearest):
    """Nearest-neighbour resizing of x (N, C, L) to (N, C, out): out[..., o] = x[..., floor(o L / out)]."""

    torch = "torch.nn.functional.interpolate"
    grad_fn = "UpsampleNearest1DBackward0"
    mode, exact = "nearest", False


@register
class UpsampleNearest2d(_Nearest):
    """Nearest-neighbour resizing of x (N, C, H, W), each dim as in UpsampleNearest1d."""

    torch = "torch.nn.functional.interpolate"
    grad_fn = "UpsampleNearest2DBackward0"
    mode, exact = "nearest", False


@register
class UpsampleNearestExact1d(_Nearest):
    """Nearest-neighbour resizing of x (N, C, L) by pixel centres: out[..., o] = x[..., floor((o + 1/2) L / out)]."""

    torch = "torch.nn.functional.interpolate"
    grad_fn = "UpsampleNearestExact1DBackward0"
    mode, exact = "nearest-exact", True


@register
class UpsampleNearestExact2d(_Nearest):
    """Nearest-neighbour resizing of x (N, C, H, W) by pixel centres, each dim as in UpsampleNearestExact1d."""

    torch = "torch.nn.functional.interpolate"
    grad_fn = "UpsampleNearestExact2DBackward0"
    mode, exact = "nearest-exact", True


class _Linear(Upsample):
    """out[..., o] = w0(o) x[..., i0(o)] + w1(o) x[..., i1(o)] along each dim, i0 <= s(o) <= i1 the inputs around
    the source coordinate s(o) and w1 = s - i0, w0 = 1 - w1 (see ``kernels/resize.py`` for s)."""

    formulas = ("d(upsample_linear(x))/dx = each output's grad shared out over the inputs it weighs, times their "
                "weights (row weight x column weight in a plane)",)

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, *, output_size: Sizes, scales: Scales,
                align_corners: bool) -> np.ndarray:
        _check_upsample(x, output_size)
        vectorized = _vectorized(output_size)
        if x.dtype == np.uint8 and len(output_size) == 2:
            raise NotImplementedError("minigrad's bilinear interpolation takes floating-point tensors only (PyTorch's "
                                      "uint8 kernel is not implemented)")
        if x.dtype.kind != "f":
            raise errors.not_implemented("upsample_bilinear2d_channels_last" if vectorized
                                         else "compute_indices_weights_linear", x.dtype)
        weights = [K.linear_weights(i, o, align_corners, s, x.dtype)
                   for i, o, s in zip(x.shape[2:], output_size, scales)]
        rows, cols = (weights[0], weights[1]) if len(weights) == 2 else (None, weights[0])
        planes = _planes(x)
        ctx.weights, ctx.shapes = (rows, cols), (planes.shape, x.shape)
        return K.bilinear(planes, rows, cols, vectorized).reshape(*x.shape[:2], *output_size)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        planes_shape, shape = ctx.shapes
        rows, cols = ctx.weights
        planes = grad.reshape(planes_shape[0], 1 if rows is None else rows[0].shape[0], cols[0].shape[0])
        return (K.bilinear_grad(planes, rows, cols, planes_shape).reshape(shape),)


@register
class UpsampleLinear1d(_Linear):
    """Linear resizing of x (N, C, L) to (N, C, out) (see ``_Linear``)."""

    torch = "torch.nn.functional.interpolate"
    grad_fn = "UpsampleLinear1DBackward0"
    mode = "linear"


@register
class UpsampleBilinear2d(_Linear):
    """Bilinear resizing of x (N, C, H, W): linear along H and along W, four inputs weighed per output."""

    torch = "torch.nn.functional.interpolate"
    grad_fn = "UpsampleBilinear2DBackward0"
    mode = "bilinear"


# ----- max unpooling ----------------------------------------------------------------------------------------------
def unpool_output_size(shape: Sizes, kernel: Sizes, stride: Sizes, padding: Sizes,
                       output_size: Any) -> list[int]:
    """torch.nn.functional's _unpool_output_size: (in - 1) stride + kernel - 2 padding per dim, or ``output_size``
    (its spatial sizes, or with the batch and channel sizes too) if within a stride of that."""
    default = [(shape[len(shape) - len(kernel) + d] - 1) * stride[d] + kernel[d] - 2 * padding[d]
               for d in range(len(kernel))]
    if output_size is None:
        sizes = default
    else:
        if len(output_size) == len(kernel) + 2:
            output_size = output_size[2:]
        if len(output_size) != len(kernel):
            raise errors.unpool_output_length(len(kernel), len(output_size))
        for d in range(len(kernel)):
            low, high = default[d] - stride[d], default[d] + stride[d]
            if not low < output_size[d] < high:
                raise errors.unpool_output_range(output_size, d, low, high)
        sizes = [int(s) for s in output_size]
    for d, size in enumerate(sizes):
        if size < 0:
            raise errors.unpool_output_negative(d, size)
    return sizes


def _unpool(ctx: Context, x: np.ndarray, indices: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """PyTorch's max_unpooling2d_forward_out_cpu on x and indices (C, h, w) or (N, C, h, w): zeros (..., *size),
    each x value written at its index in its plane."""
    if indices.dtype != np.int64:
        raise errors.unpool_indices_dtype(indices.dtype)
    if x.ndim not in (3, 4):
        raise errors.unpool_dims(x.ndim)
    if x.shape != indices.shape:
        raise errors.unpool_shapes(x.shape, indices.shape)
    for d in range(1, x.ndim):
        if x.shape[d] == 0:
            raise errors.unpool_empty(x.shape, d)
    lead = x.shape[:-2]
    planes = int(np.prod(lead))
    ctx.save(indices=indices)
    ctx.planes, ctx.shape = planes, x.shape
    if planes == 0 or size[0] * size[1] == 0:
        return np.zeros((*lead, *size), x.dtype)
    if x.dtype.kind != "f":
        raise errors.not_implemented("max_unpool2d", x.dtype)
    out, bad = K.max_unpool(x.reshape(planes, -1), indices.reshape(planes, -1), size[0] * size[1])
    if bad is not None:
        raise errors.unpool_index(bad, size)
    return out.reshape(*lead, *size)


class MaxUnpool(Op):
    """The partial inverse of max pooling: zeros of the pooled input's size, each pooled value written back at the
    index max pooling returned for it (flat in its plane). Not registered: see MaxUnpool1d, MaxUnpool2d."""

    formulas = ("d(max_unpool(x, indices))/dx = grad gathered at the indices",)
    promotion = Promotion.NONE
    jvp_formulas = ("d(max_unpool(x, indices)) = max_unpool(dx, indices)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        params = dict(params)
        return [inputs[0], params.pop("indices")], params

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        indices, planes, shape = ctx.saved["indices"], ctx.planes, ctx.shape
        if not grad.size or not indices.size:
            return (np.zeros(shape, grad.dtype),)
        return (K.gather_per_plane(grad.reshape(planes, -1), indices.reshape(planes, -1)).reshape(shape),)


@register
class MaxUnpool2d(MaxUnpool):
    """Max unpooling of x (C, h, w) or (N, C, h, w) to (..., H, W) (see ``MaxUnpool``)."""

    torch = "torch.nn.functional.max_unpool2d"
    grad_fn = "MaxUnpool2DBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, indices: np.ndarray, kernel_size: Sizes, stride: Sizes,
                padding: Sizes, output_size: Any) -> np.ndarray:
        size = unpool_output_size(x.shape, kernel_size, stride, padding, output_size)
        return _unpool(ctx, x, indices, (size[0], size[1]))


@register
class MaxUnpool1d(MaxUnpool):
    """Max unpooling of x (C, l) or (N, C, l) to (..., L) (PyTorch runs it as 2-d unpooling of width 1)."""

    torch = "torch.nn.functional.max_unpool1d"
    grad_fn = "SqueezeBackward1"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, indices: np.ndarray, kernel_size: Sizes, stride: Sizes,
                padding: Sizes, output_size: Any) -> np.ndarray:
        size = unpool_output_size(x.shape, kernel_size, stride, padding, output_size)
        out = _unpool(ctx, x[..., None], indices[..., None], (size[0], 1))[..., 0]
        ctx.shape = x.shape  # the gradient is x's shape: the width of 1 is PyTorch's detour
        return out


# ----- pixel shuffle ----------------------------------------------------------------------------------------------
def _shuffle(x: np.ndarray, r: int) -> np.ndarray:
    """(*, C r^2, H, W) -> (*, C, H r, W r): out[..., c, h r + i, w r + j] = x[..., c r^2 + i r + j, h, w]."""
    *lead, channels, height, width = x.shape
    split = x.reshape(*lead, channels // (r * r), r, r, height, width)
    moved = np.moveaxis(split, (-4, -3), (-3, -1))  # (*, C, H, i, W, j)
    return K.copy(moved).reshape(*lead, channels // (r * r), height * r, width * r)


def _unshuffle(x: np.ndarray, r: int) -> np.ndarray:
    """(*, C, H r, W r) -> (*, C r^2, H, W): the inverse of ``_shuffle``."""
    *lead, channels, height, width = x.shape
    split = x.reshape(*lead, channels, height // r, r, width // r, r)  # (*, C, H, i, W, j)
    moved = np.moveaxis(split, (-3, -1), (-4, -3))  # (*, C, i, j, H, W)
    return K.copy(moved).reshape(*lead, channels * r * r, height // r, width // r)


@register
class PixelShuffle(Op):
    """(*, C r^2, H, W) -> (*, C, H r, W r): each group of r^2 channels becomes an r x r block of pixels."""

    torch = "torch.nn.functional.pixel_shuffle"
    formulas = ("d(pixel_shuffle(x, r))/dx = pixel_unshuffle(grad, r)",)
    promotion = Promotion.NONE
    jvp_formulas = ("d(pixel_shuffle x) = pixel_shuffle dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, upscale_factor: int) -> np.ndarray:
        if x.ndim < 3:
            raise errors.pixel_shuffle_dims("pixel_shuffle", x.ndim)
        if upscale_factor <= 0:
            raise errors.pixel_shuffle_factor("pixel_shuffle", "upscale_factor", upscale_factor)
        if x.shape[-3] % (upscale_factor * upscale_factor):
            raise errors.pixel_shuffle_channels(x.shape[-3], upscale_factor * upscale_factor)
        ctx.factor = upscale_factor
        return _shuffle(x, upscale_factor)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_unshuffle(grad, ctx.factor),)


@register
class PixelUnshuffle(Op):
    """(*, C, H r, W r) -> (*, C r^2, H, W): each r x r block of pixels becomes r^2 channels."""

    torch = "torch.nn.functional.pixel_unshuffle"
    formulas = ("d(pixel_unshuffle(x, r))/dx = pixel_shuffle(grad, r)",)
    promotion = Promotion.NONE
    jvp_formulas = ("d(pixel_unshuffle x) = pixel_unshuffle dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, downscale_factor: int) -> np.ndarray:
        if x.ndim < 3:
            raise errors.pixel_shuffle_dims("pixel_unshuffle", x.ndim)
        if downscale_factor <= 0:
            raise errors.pixel_shuffle_factor("pixel_unshuffle", "downscale_factor", downscale_factor)
        for dim in (-2, -1):
            if x.shape[dim] % downscale_factor:
                raise errors.pixel_unshuffle_size(dim, x.shape[dim], downscale_factor)
        ctx.factor = downscale_factor
        return _unshuffle(x, downscale_factor)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_shuffle(grad, ctx.factor),)
