"""``F.pixel_shuffle`` and ``F.pixel_unshuffle``, and their layers ``PixelShuffle`` and ``PixelUnshuffle``: channels
rearranged into blocks of pixels and back (the ops of ``ops/resize.py``)."""

from __future__ import annotations

from .. import errors
from ..ops import resize as ops
from ..tensor import Tensor, apply, expect_tensor
from .module import Module


def _factor(function: str, name: str, factor: int) -> int:
    if not isinstance(factor, int):
        raise errors.pixel_shuffle_factor_type(function, name, factor)
    return factor


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C r^2, H, W) -> (*, C, H r, W r), r = upscale_factor: out[..., c, h r + i, w r + j] =
    input[..., c r^2 + i r + j, h, w]."""
    expect_tensor(input, "pixel_shuffle")
    return apply(ops.PixelShuffle, input, upscale_factor=_factor("pixel_shuffle", "upscale_factor", upscale_factor))


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H r, W r) -> (*, C r^2, H, W), r = downscale_factor: the inverse of pixel_shuffle."""
    expect_tensor(input, "pixel_unshuffle")
    return apply(ops.PixelUnshuffle, input,
                 downscale_factor=_factor("pixel_unshuffle", "downscale_factor", downscale_factor))


class PixelShuffle(Module):
    """``F.pixel_shuffle`` as a layer."""

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """``F.pixel_unshuffle`` as a layer."""

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"
