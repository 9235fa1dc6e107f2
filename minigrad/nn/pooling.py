"""Pooling layers: ``MaxPool1d/2d``, ``AvgPool1d/2d``, ``AdaptiveAvgPool1d/2d``, ``AdaptiveMaxPool2d``, and their
functions (``F.max_pool2d``, ...), with PyTorch's arguments, checks and reprs. The math and the gradients are the
ops of ``ops/conv.py``; max pooling's partial inverse, ``MaxUnpool1d/2d``, is an op of ``ops/resize.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import errors
from ..ops import conv as ops
from ..ops import resize
from ..tensor import Tensor, apply, expect_tensor
from .conv import _ntuple
from .module import Module

IntOrTuple = int | Sequence[int]


def _ints(value: IntOrTuple) -> tuple[int, ...]:
    return (int(value),) if isinstance(value, int) else tuple(int(v) for v in value)


def _pair(value: IntOrTuple | None, name: str, default: tuple[int, int], check: Any) -> tuple[int, int]:
    """A 2-d pooling's argument: one value for both dims or two (``check(name)`` is the error otherwise); None or
    empty (a stride) is ``default``."""
    values = _ints(value) if value is not None else ()
    if not values and name == "stride":
        return default
    if len(values) not in (1, 2):
        raise check(name)
    return (values[0], values[0]) if len(values) == 1 else (values[0], values[1])


def max_pool2d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
               dilation: IntOrTuple = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The maximum of each kernel_size window (stride apart, default kernel_size; -inf padding; dilation between
    taps) of input (N, C, H, W) or (C, H, W); with ``return_indices`` also each maximum's flat index in its plane."""
    expect_tensor(input, "max_pool2d")
    check = errors.max_pool2d_argument
    kernel = _pair(kernel_size, "kernel_size", (0, 0), check)
    return apply(ops.MaxPool2d, input, kernel_size=kernel, stride=_pair(stride, "stride", kernel, check),
                 padding=_pair(padding, "padding", (0, 0), check), dilation=_pair(dilation, "dilation", (1, 1), check),
                 ceil_mode=bool(ceil_mode), return_indices=bool(return_indices))


def max_pool1d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
               dilation: IntOrTuple = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The maximum of each window of input (N, C, L) or (C, L) (see max_pool2d)."""
    expect_tensor(input, "max_pool1d")
    kernel = _ints(kernel_size)
    return apply(ops.MaxPool1d, input, kernel_size=kernel, stride=_ints(stride) if stride is not None else (),
                 padding=_ints(padding), dilation=_ints(dilation), ceil_mode=bool(ceil_mode),
                 return_indices=bool(return_indices))


def avg_pool2d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
               ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """The mean of each kernel_size window of input (N, C, H, W) or (C, H, W): the window's sum over its size
    (the zero padding counted with ``count_include_pad``), or over ``divisor_override``."""
    expect_tensor(input, "avg_pool2d")
    check = errors.avg_pool2d_argument
    kernel = _pair(kernel_size, "kernel_size", (0, 0), check)
    return apply(ops.AvgPool2d, input, kernel_size=kernel, stride=_pair(stride, "stride", kernel, check),
                 padding=_pair(padding, "padding", (0, 0), check), ceil_mode=bool(ceil_mode),
                 count_include_pad=bool(count_include_pad), divisor_override=divisor_override)


def avg_pool1d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
               ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """The mean of each window of input (N, C, L) or (C, L) (see avg_pool2d)."""
    expect_tensor(input, "avg_pool1d")
    return apply(ops.AvgPool1d, input, kernel_size=_ints(kernel_size),
                 stride=_ints(stride) if stride is not None else (), padding=_ints(padding),
                 ceil_mode=bool(ceil_mode), count_include_pad=bool(count_include_pad))


def _with_default(output_size: Any, shape: Sequence[int]) -> Any:
    """torch.nn.functional's _list_with_default: None in ``output_size`` keeps the input's size there."""
    if isinstance(output_size, int):
        return output_size
    if len(shape) <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    return [v if v is not None else d for v, d in zip(output_size, shape[-len(output_size):])]


def adaptive_avg_pool2d(input: Tensor, output_size: IntOrTuple | Sequence[int | None]) -> Tensor:
    """The mean over each cell of an output_size grid laid over input (N, C, H, W) or (C, H, W) (cells of unequal
    sizes where the output does not divide the input); 1 x 1 is the mean over each plane."""
    expect_tensor(input, "adaptive_avg_pool2d")
    size = _ints(_with_default(output_size, input.shape))
    size = size * 2 if len(size) == 1 else size
    if len(size) != 2:
        raise errors.adaptive_output_length()
    if size[0] < 0 or size[1] < 0:
        raise errors.adaptive_output_negative(size)
    if size == (1, 1):  # PyTorch's shortcut: the mean over the plane, recorded as such
        return input.mean((-1, -2), keepdim=True)
    return apply(ops.AdaptiveAvgPool2d, input, output_size=size)


def adaptive_avg_pool1d(input: Tensor, output_size: IntOrTuple) -> Tensor:
    """The mean over each cell of an output_size grid laid over input (N, C, L) or (C, L)."""
    expect_tensor(input, "adaptive_avg_pool1d")
    if input.dim() not in (2, 3):
        raise errors.avg_pool1d_dims(input.dim(), "adaptive_avg_pool1d")
    size = _ints(output_size)
    errors.check_1d_argument("adaptive_avg_pool1d", "output_size", len(size))
    if size[0] < 0:
        raise errors.adaptive_output_negative((1, size[0]))
    if size[0] == 1:  # PyTorch runs it as adaptive_avg_pool2d to 1 x 1: the mean
        return input.unsqueeze(-2).mean((-1, -2), keepdim=True).squeeze(-2)
    return apply(ops.AdaptiveAvgPool1d, input, output_size=size[0])


def adaptive_max_pool2d(input: Tensor, output_size: IntOrTuple | Sequence[int | None],
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The maximum over each cell of an output_size grid laid over input (N, C, H, W) or (C, H, W); with
    ``return_indices`` also each maximum's flat index in its plane."""
    expect_tensor(input, "adaptive_max_pool2d")
    size = _ints(_with_default(output_size, input.shape))
    size = size * 2 if len(size) == 1 else size
    return apply(ops.AdaptiveMaxPool2d, input, output_size=size, return_indices=bool(return_indices))


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None,
                 padding: IntOrTuple = 0, output_size: Sequence[int] | None = None) -> Tensor:
    """Zeros of length (L - 1) stride + kernel_size - 2 padding (or ``output_size``), each value of input (N, C, L)
    or (C, L) written at its position in ``indices`` (from ``max_pool1d(return_indices=True)``)."""
    kernel = _ntuple(kernel_size, 1)
    return apply(resize.MaxUnpool1d, input, indices=indices, kernel_size=kernel,
                 stride=_ntuple(stride, 1) if stride is not None else kernel, padding=_ntuple(padding, 1),
                 output_size=output_size)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | None = None,
                 padding: IntOrTuple = 0, output_size: Sequence[int] | None = None) -> Tensor:
    """Zeros of (H - 1) stride + kernel_size - 2 padding rows (and columns likewise; or ``output_size``), each value
    of input (N, C, H, W) or (C, H, W) written at its flat index in ``indices`` (from ``max_pool2d``)."""
    kernel = _ntuple(kernel_size, 2)
    return apply(resize.MaxUnpool2d, input, indices=indices, kernel_size=kernel,
                 stride=_ntuple(stride, 2) if stride is not None else kernel, padding=_ntuple(padding, 2),
                 output_size=output_size)


# ----- the layers ---------------------------------------------------------------------------------------------------
class _MaxPoolNd(Module):
    def __init__(self, kernel_size: IntOrTuple, stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
                 dilation: IntOrTuple = 1, return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """``F.max_pool1d`` as a layer."""

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation, ceil_mode=self.ceil_mode,
                          return_indices=self.return_indices)


class MaxPool2d(_MaxPoolNd):
    """``F.max_pool2d`` as a layer."""

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation, ceil_mode=self.ceil_mode,
                          return_indices=self.return_indices)


def _single(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, Sequence) else (value,)


class AvgPool1d(Module):
    """``F.avg_pool1d`` as a layer (its sizes kept as 1-tuples, as PyTorch keeps them)."""

    def __init__(self, kernel_size: IntOrTuple, stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """``F.avg_pool2d`` as a layer."""

    def __init__(self, kernel_size: IntOrTuple, stride: IntOrTuple | None = None, padding: IntOrTuple = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad,
                          self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptivePool(Module):
    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    """``F.adaptive_avg_pool1d`` as a layer."""

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptivePool):
    """``F.adaptive_avg_pool2d`` as a layer."""

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_avg_pool2d(input, self.output_size)


class AdaptiveMaxPool2d(_AdaptivePool):
    """``F.adaptive_max_pool2d`` as a layer."""

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return adaptive_max_pool2d(input, self.output_size, self.return_indices)


class _MaxUnpoolNd(Module):
    def __init__(self, kernel_size: IntOrTuple, stride: IntOrTuple | None = None, padding: IntOrTuple = 0) -> None:
        super().__init__()
        n = self.spatial
        self.kernel_size = _ntuple(kernel_size, n)
        self.stride = _ntuple(stride if stride is not None else kernel_size, n)
        self.padding = _ntuple(padding, n)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """``F.max_unpool1d`` as a layer."""

    spatial = 1

    def forward(self, input: Tensor, indices: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        return max_unpool1d(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class MaxUnpool2d(_MaxUnpoolNd):
    """``F.max_unpool2d`` as a layer."""

    spatial = 2

    def forward(self, input: Tensor, indices: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        return max_unpool2d(input, indices, self.kernel_size, self.stride, self.padding, output_size)
