"""Resizing: ``F.interpolate`` (and its deprecated names ``upsample``, ``upsample_nearest``, ``upsample_bilinear``),
and the layers ``Upsample``, ``UpsamplingNearest2d``, ``UpsamplingBilinear2d``, with PyTorch's arguments, checks and
reprs. The modes: nearest and nearest-exact (3-d and 4-d inputs), linear (3-d), bilinear (4-d), and area (adaptive
average pooling). The math and the gradients are the ops of ``ops/resize.py``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import errors
from ..ops import resize as ops
from ..tensor import Tensor, apply
from .module import Module
from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d

# (input dims, mode) -> the op that resizes it
_KERNELS = {(3, "nearest"): ops.UpsampleNearest1d, (4, "nearest"): ops.UpsampleNearest2d,
            (3, "nearest-exact"): ops.UpsampleNearestExact1d, (4, "nearest-exact"): ops.UpsampleNearestExact2d,
            (3, "linear"): ops.UpsampleLinear1d, (4, "bilinear"): ops.UpsampleBilinear2d}
# What PyTorch also resizes, which minigrad does not (3-d volumes, bicubic and lanczos)
_NOT_IMPLEMENTED = {(5, "nearest"), (5, "nearest-exact"), (5, "area"), (5, "trilinear"), (4, "bicubic"),
                    (4, "lanczos")}
# The mode's rank, where PyTorch names it in its error for an input of another rank
_RANK = {"linear": 3, "bilinear": 4, "trilinear": 5}


def _is_integer(value: Any) -> bool:
    """torch.nn.functional's _is_integer: an int, a numpy integer, or an integer tensor."""
    if isinstance(value, Tensor):
        return not value.is_floating_point()
    return isinstance(value, (int, np.integer))


def _sizes_and_scales(input: Tensor, size: Any, scale_factor: Any,
                      recompute_scale_factor: bool | None, mode: str) -> tuple[list[int], list[float] | None]:
    """F.interpolate's output size and the scale factors its kernel uses (None: recomputed from the sizes)."""
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise errors.interpolate_size_and_scale()
    if size is not None:
        values = list(size) if isinstance(size, (list, tuple)) else [size] * dim
        if isinstance(size, (list, tuple)) and len(size) != dim:
            raise errors.interpolate_spatial_dims("output size", input.shape[2:], size)
        if not all(_is_integer(v) for v in values):
            raise errors.interpolate_size_types(values)
        output_size: list[int] | None = [int(v) for v in values]
        scales = None
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)) and len(scale_factor) != dim:
            raise errors.interpolate_spatial_dims("scale_factor", input.shape[2:], scale_factor)
        scales = [float(s) for s in scale_factor] if isinstance(scale_factor, (list, tuple)) else [
            float(scale_factor)] * dim
        output_size = None
    else:
        raise errors.interpolate_no_size()
    if recompute_scale_factor and size is not None:
        raise errors.interpolate_recompute_with_size()
    if output_size is None:  # the kernel's size: in x scale, truncated (so does the recomputed one)
        output_size = [int(input.shape[2 + i] * scales[i]) for i in range(dim)]
        if recompute_scale_factor or mode == "area":
            scales = None
    return output_size, scales


def interpolate(input: Tensor, size: int | Sequence[int] | None = None,
                scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """input (N, C, L) or (N, C, H, W) resized to ``size``, or to its size times ``scale_factor`` (truncated).

    ``mode``: "nearest" copies input floor(o in / out), "nearest-exact" input floor((o + 1/2) in / out), "linear"
    (3-d) and "bilinear" (4-d) weigh the two inputs around (o + 1/2) in / out - 1/2 (o (in - 1) / (out - 1) with
    ``align_corners``), "area" averages (adaptive average pooling). A given ``scale_factor`` replaces in / out in
    those formulas, unless ``recompute_scale_factor``.
    """
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise errors.interpolate_align_corners()
    elif align_corners is None:
        align_corners = False
    output_size, scales = _sizes_and_scales(input, size, scale_factor, recompute_scale_factor, mode)
    ndim = input.dim()
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and ndim == 4):
        raise errors.interpolate_antialias()
    op = _KERNELS.get((ndim, mode))
    if op is not None and not antialias:
        extra = {"align_corners": bool(align_corners)} if mode in ("linear", "bilinear") else {}
        return apply(op, input, output_size=tuple(output_size),
                     scales=tuple(scales) if scales is not None else (None,) * len(output_size), **extra)
    if (ndim, mode) == (3, "area"):
        return adaptive_avg_pool1d(input, output_size)
    if (ndim, mode) == (4, "area"):
        return adaptive_avg_pool2d(input, output_size)
    if op is not None or (ndim, mode) in _NOT_IMPLEMENTED:
        detail = "with antialias" if op is not None else f"for {ndim}D input"
        raise NotImplementedError(f"minigrad's interpolate does not implement mode={mode!r} {detail}: it has "
                                  "nearest and nearest-exact (3D and 4D input), linear (3D), bilinear (4D) and area")
    if mode in _RANK and ndim in (3, 4, 5):
        raise errors.interpolate_mode_dims(ndim, mode, _RANK[mode])
    raise errors.interpolate_input(ndim, mode)


def upsample(input: Tensor, size: int | Sequence[int] | None = None,
             scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated: ``interpolate``."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: int | Sequence[int] | None = None,
                     scale_factor: float | Sequence[float] | None = None) -> Tensor:
    """Deprecated: ``interpolate(mode="nearest")``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: int | Sequence[int] | None = None,
                      scale_factor: float | Sequence[float] | None = None) -> Tensor:
    """Deprecated: ``interpolate(mode="bilinear", align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


class Upsample(Module):
    """``F.interpolate`` as a layer: its size or scale factor, mode and options kept as given (the scale factor as
    a float, or a tuple of floats)."""

    def __init__(self, size: int | Sequence[int] | None = None, scale_factor: float | Sequence[float] | None = None,
                 mode: str = "nearest", align_corners: bool | None = None,
                 recompute_scale_factor: bool | None = None) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor: Any = tuple(float(factor) for factor in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                           recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self) -> str:
        info = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        return f"{info}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """``Upsample(mode="nearest")``."""

    def __init__(self, size: int | Sequence[int] | None = None,
                 scale_factor: float | Sequence[float] | None = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """``Upsample(mode="bilinear", align_corners=True)``."""

    def __init__(self, size: int | Sequence[int] | None = None,
                 scale_factor: float | Sequence[float] | None = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
