"""Padding layers, each ``F.pad`` with a fixed mode and amounts: ``ZeroPad``, ``ConstantPad``, ``ReflectionPad``,
``ReplicationPad`` and ``CircularPad``, for 1, 2 or 3 spatial dims.

``padding`` is an int (the same amount on every side) or a tuple (left, right) for 1-D, (left, right, top, bottom)
for 2-D, (left, right, top, bottom, front, back) for 3-D: the last dim's pair first, as ``F.pad`` takes it. The
layers check nothing themselves but the circular ones' input dims (as PyTorch's); the rest is ``F.pad``'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..tensor import Tensor
from . import functional as F
from .conv import _ntuple
from .module import Module

Padding = int | Sequence[int]


class _PadNd(Module):
    """F.pad(input, padding, mode) over ``_dims`` spatial dims."""

    _mode = "constant"
    _dims = 1

    def __init__(self, padding: Padding) -> None:
        super().__init__()
        self.padding = _ntuple(padding, 2 * self._dims)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _CircularPadNd(_PadNd):
    _mode = "circular"

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() not in (self._dims + 1, self._dims + 2):
            raise ValueError(f"expected {self._dims + 1}D or {self._dims + 2}D input (got {input.dim()}D input)")
        return super().forward(input)


class CircularPad1d(_CircularPadNd):
    """Wraps around: the last dim continues with its first values on the right, its last ones on the left."""

    _dims = 1


class CircularPad2d(_CircularPadNd):
    """Wraps the last two dims around (periodic boundary)."""

    _dims = 2


class CircularPad3d(_CircularPadNd):
    """Wraps the last three dims around (periodic boundary)."""

    _dims = 3


class _ReflectionPadNd(_PadNd):
    _mode = "reflect"


class ReflectionPad1d(_ReflectionPadNd):
    """Mirrors the last dim at its edges, the edge value itself not repeated (padding < the dim's size)."""

    _dims = 1


class ReflectionPad2d(_ReflectionPadNd):
    """Mirrors the last two dims at their edges."""

    _dims = 2


class ReflectionPad3d(_ReflectionPadNd):
    """Mirrors the last three dims at their edges."""

    _dims = 3


class _ReplicationPadNd(_PadNd):
    _mode = "replicate"


class ReplicationPad1d(_ReplicationPadNd):
    """Repeats the last dim's edge values."""

    _dims = 1


class ReplicationPad2d(_ReplicationPadNd):
    """Repeats the last two dims' edge values."""

    _dims = 2


class ReplicationPad3d(_ReplicationPadNd):
    """Repeats the last three dims' edge values."""

    _dims = 3


class _ConstantPadNd(_PadNd):
    def __init__(self, padding: Padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Fills ``value`` around the last dim (negative amounts crop)."""

    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Fills ``value`` around the last two dims."""

    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Fills ``value`` around the last three dims."""

    _dims = 3


class _ZeroPadNd:
    """A ConstantPadNd whose value is 0, printed with its amounts alone (put before ConstantPadNd in the bases)."""

    def __init__(self, padding: Padding) -> None:
        super().__init__(padding, 0.0)  # type: ignore[call-arg]

    extra_repr = _PadNd.extra_repr


class ZeroPad1d(_ZeroPadNd, ConstantPad1d):
    """Fills 0 around the last dim."""


class ZeroPad2d(_ZeroPadNd, ConstantPad2d):
    """Fills 0 around the last two dims."""


class ZeroPad3d(_ZeroPadNd, ConstantPad3d):
    """Fills 0 around the last three dims."""
