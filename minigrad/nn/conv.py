"""Convolution layers: ``Conv1d``, ``Conv2d``, ``ConvTranspose1d``, ``ConvTranspose2d``, ``Unfold``, ``Fold``, and
their functions (``F.conv2d``, ``F.unfold``, ...), with PyTorch's arguments, checks and initialisation.

Each function normalises its arguments as PyTorch's argument parser does (an int is one value per spatial dim),
handles an unbatched input by adding the batch dim and taking it away after (recorded as PyTorch records it:
``SqueezeBackward1``), and applies one op of ``ops/conv.py``, where the math and its gradients are.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

from .. import errors, factories
from ..dtypes import dtype as DType
from ..ops import conv as ops
from ..tensor import Tensor, apply, expect_tensor
from . import init
from .module import Module
from .parameter import Parameter

IntOrTuple = int | Sequence[int]


def _ints(value: IntOrTuple, n: int) -> tuple[int, ...]:
    """PyTorch's IntArrayRef[n] argument: an int repeated n times, a sequence as it is."""
    return (int(value),) * n if isinstance(value, int) else tuple(int(v) for v in value)


def _ntuple(value: Any, n: int) -> tuple[Any, ...]:
    """torch.nn.modules.utils._single/_pair: a sequence as a tuple, anything else repeated n times."""
    return tuple(value) if isinstance(value, Sequence) and not isinstance(value, str) else (value,) * n


# ----- the functions ------------------------------------------------------------------------------------------------
def _string_padding(padding: str, weight: Tensor, stride: tuple[int, ...], dilation: tuple[int, ...],
                    dims: int) -> tuple[tuple[int, int], ...]:
    """'valid': none; 'same': the output as large as the input, the odd one of an uneven padding after."""
    if padding == "valid":
        return ((0, 0),) * dims
    if padding != "same":
        raise errors.conv_padding_string(padding)
    if any(s != 1 for s in stride):
        raise errors.conv_same_strided()
    pads = []
    for i in range(dims):
        total = ops.expand_parameter(dilation, "dilation", dims)[i] * (weight.shape[2 + i] - 1)
        pads.append((total // 2, total - total // 2))
    if any(before != after for before, after in pads):
        warnings.warn(errors.conv_same_warning(), stacklevel=4)
    return tuple(pads)


def _convolution(op: type[ops.Op], function: str, spatial: int, input: Tensor, weight: Tensor, bias: Tensor | None,
                 stride: IntOrTuple, padding: IntOrTuple | str, dilation: IntOrTuple, groups: int) -> Tensor:
    expect_tensor(input, function)
    expect_tensor(weight, function, "weight", 2)
    # PyTorch's conv1d/conv2d check the bias's dtype first; with padding "same" or "valid" (another function) no
    # function does, and the kernel adds the bias in the input's dtype
    if bias is not None and not isinstance(padding, str) and bias.dtype != input.dtype:
        raise errors.conv_bias_dtype(input.dtype, bias.dtype)
    if input.dim() not in (spatial + 1, spatial + 2):
        raise errors.conv_input_dims(function, spatial, input.shape)
    batched = input.dim() == spatial + 2
    dims = weight.dim() - 2  # PyTorch takes the convolution's rank from the weight
    stride, dilation = _ints(stride, spatial), _ints(dilation, spatial)
    if isinstance(padding, str):
        pads = _string_padding(padding, weight, stride, dilation, dims)
        stride = ops.expand_parameter(stride, "stride", dims)
    else:
        stride = ops.expand_parameter(stride, "stride", dims)
        pads = tuple((p, p) for p in ops.expand_parameter(_ints(padding, spatial), "padding", dims))
    dilation = ops.expand_parameter(dilation, "dilation", dims)
    out = apply(op, input if batched else input.unsqueeze(0), weight, *([] if bias is None else [bias]),
                stride=stride, padding=pads, dilation=dilation, groups=groups)
    return out if batched else out.squeeze(0)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,
           padding: IntOrTuple | str = 0, dilation: IntOrTuple = 1, groups: int = 1) -> Tensor:
    """1-d convolution (cross-correlation, as in every deep-learning library) of input (N, C, L) or (C, L) with
    weight (O, C / groups, k), plus bias (O,). ``padding``: zeros on each side, or 'valid' (none) or 'same'."""
    return _convolution(ops.Conv1d, "conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,
           padding: IntOrTuple | str = 0, dilation: IntOrTuple = 1, groups: int = 1) -> Tensor:
    """2-d convolution of input (N, C, H, W) or (C, H, W) with weight (O, C / groups, kh, kw), plus bias (O,):
    out[n, o, y, x] = bias[o] + sum over c, i, j of weight[o, c, i, j] input[n, c, y sh + i dh - ph, x sw + j dw - pw]
    (strides sh, sw; dilations dh, dw; paddings ph, pw)."""
    return _convolution(ops.Conv2d, "conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def _transposed(op: type[ops.Op], function: str, spatial: int, input: Tensor, weight: Tensor, bias: Tensor | None,
                stride: IntOrTuple, padding: IntOrTuple, output_padding: IntOrTuple, groups: int,
                dilation: IntOrTuple) -> Tensor:
    expect_tensor(input, function)
    expect_tensor(weight, function, "weight", 2)
    if isinstance(padding, str):
        raise errors.argument_type(function, "padding", "tuple of ints", padding)
    if input.dim() not in (spatial + 1, spatial + 2):
        raise errors.conv_input_dims(function, spatial, input.shape)
    batched = input.dim() == spatial + 2
    dims = weight.dim() - 2
    params = {name: ops.expand_parameter(_ints(value, spatial), name, dims) for name, value in
              (("stride", stride), ("padding", padding), ("dilation", dilation), ("output_padding", output_padding))}
    out = apply(op, input if batched else input.unsqueeze(0), weight, *([] if bias is None else [bias]),
                groups=groups, **params)
    return out if batched else out.squeeze(0)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,
                     padding: IntOrTuple = 0, output_padding: IntOrTuple = 0, groups: int = 1,
                     dilation: IntOrTuple = 1) -> Tensor:
    """The transposed 1-d convolution of input (N, C, L) with weight (C, O / groups, k), plus bias (O,): the
    gradient of conv1d with respect to its input, as a layer (upsampling by ``stride``)."""
    return _transposed(ops.ConvTranspose1d, "conv_transpose1d", 1, input, weight, bias, stride, padding,
                       output_padding, groups, dilation)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntOrTuple = 1,
                     padding: IntOrTuple = 0, output_padding: IntOrTuple = 0, groups: int = 1,
                     dilation: IntOrTuple = 1) -> Tensor:
    """The transposed 2-d convolution of input (N, C, H, W) with weight (C, O / groups, kh, kw), plus bias (O,)."""
    return _transposed(ops.ConvTranspose2d, "conv_transpose2d", 2, input, weight, bias, stride, padding,
                       output_padding, groups, dilation)


def _pair(value: IntOrTuple, name: str) -> tuple[int, int]:
    """torch.nn.functional's _pair, then im2col's check that two values came of it."""
    values = _ints(value, 2)
    if len(values) != 2:
        raise errors.window_pair_length(name, values)
    return values[0], values[1]


def unfold(input: Tensor, kernel_size: IntOrTuple, dilation: IntOrTuple = 1, padding: IntOrTuple = 0,
           stride: IntOrTuple = 1) -> Tensor:
    """im2col: the sliding windows of input (N, C, H, W) or (C, H, W) as the columns of (N, C kh kw, L)."""
    expect_tensor(input, "unfold")
    return apply(ops.Unfold, input, kernel_size=_pair(kernel_size, "kernel_size"), dilation=_pair(dilation, "dilation"),
                 padding=_pair(padding, "padding"), stride=_pair(stride, "stride"))


def fold(input: Tensor, output_size: IntOrTuple, kernel_size: IntOrTuple, dilation: IntOrTuple = 1,
         padding: IntOrTuple = 0, stride: IntOrTuple = 1) -> Tensor:
    """col2im: columns (N, C kh kw, L) summed back into (N, C, *output_size), overlapping windows added up."""
    expect_tensor(input, "fold")
    return apply(ops.Fold, input, output_size=_pair(output_size, "output_size"),
                 kernel_size=_pair(kernel_size, "kernel_size"), dilation=_pair(dilation, "dilation"),
                 padding=_pair(padding, "padding"), stride=_pair(stride, "stride"))


# ----- the layers ---------------------------------------------------------------------------------------------------
# Sets, printed in their errors as PyTorch prints its own (in the process's set order)
_PADDING_STRINGS = {"same", "valid"}
_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}


class _ConvNd(Module):
    """What the convolution layers share: PyTorch's arguments and checks, parameters and their initialisation."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: tuple[int, ...], stride: tuple[int, ...],
                 padding: str | tuple[int, ...], dilation: tuple[int, ...], transposed: bool,
                 output_padding: tuple[int, ...], groups: int, bias: bool, padding_mode: str, device: Any = None,
                 dtype: DType | None = None) -> None:
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {_PADDING_STRINGS}")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {_PADDING_MODES}, but got padding_mode='{padding_mode}'")
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, kernel_size
        self.stride, self.padding, self.dilation = stride, padding, dilation
        self.transposed, self.output_padding, self.groups = transposed, output_padding, groups
        self.padding_mode = padding_mode
        if isinstance(padding, str):  # F.pad's (left, right) per dim, the last dim first
            self._reversed_padding_repeated_twice = [0, 0] * len(kernel_size)
            if padding == "same":
                for d, k, i in zip(dilation, kernel_size, range(len(kernel_size) - 1, -1, -1)):
                    total = d * (k - 1)
                    self._reversed_padding_repeated_twice[2 * i] = total // 2
                    self._reversed_padding_repeated_twice[2 * i + 1] = total - total // 2
        else:
            self._reversed_padding_repeated_twice = [p for p in reversed(padding) for _ in range(2)]
        shape = ((in_channels, out_channels // groups) if transposed else (out_channels, in_channels // groups))
        self.weight = Parameter(factories.empty(*shape, *kernel_size, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(factories.empty(out_channels, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Fresh initial values as PyTorch draws them: kaiming_uniform_(a=sqrt(5)) for the weight (U(-1/sqrt(fan_in),
        1/sqrt(fan_in))), then the bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if isinstance(self.padding, str) or self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    """Conv1d and Conv2d: the function of their rank, after F.pad for the padding modes other than zeros."""

    _spatial = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntOrTuple, stride: IntOrTuple = 1,
                 padding: IntOrTuple | str = 0, dilation: IntOrTuple = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: DType | None = None) -> None:
        n = self._spatial
        super().__init__(in_channels, out_channels, _ntuple(kernel_size, n), _ntuple(stride, n),
                         padding if isinstance(padding, str) else _ntuple(padding, n), _ntuple(dilation, n), False,
                         _ntuple(0, n), groups, bias, padding_mode, device, dtype)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        function = conv1d if self._spatial == 1 else conv2d
        if self.padding_mode != "zeros":
            from .functional import pad  # the functions module imports this one

            padded = pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return function(padded, weight, bias, self.stride, (0,) * self._spatial, self.dilation, self.groups)
        return function(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_Conv):
    """1-d convolution layer over (N, C_in, L) inputs: weight (C_out, C_in / groups, k), bias (C_out,)."""

    _spatial = 1


class Conv2d(_Conv):
    """2-d convolution layer over (N, C_in, H, W) inputs: weight (C_out, C_in / groups, kh, kw), bias (C_out,)."""

    _spatial = 2


class _ConvTranspose(_ConvNd):
    """ConvTranspose1d and ConvTranspose2d (zero padding only, as PyTorch's)."""

    _spatial = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntOrTuple, stride: IntOrTuple = 1,
                 padding: IntOrTuple = 0, output_padding: IntOrTuple = 0, groups: int = 1, bias: bool = True,
                 dilation: IntOrTuple = 1, padding_mode: str = "zeros", device: Any = None,
                 dtype: DType | None = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        n = self._spatial
        super().__init__(in_channels, out_channels, _ntuple(kernel_size, n), _ntuple(stride, n), _ntuple(padding, n),
                         _ntuple(dilation, n), True, _ntuple(output_padding, n), groups, bias, padding_mode, device,
                         dtype)

    def _output_padding(self, input: Tensor, output_size: Sequence[int] | None) -> tuple[int, ...]:
        """output_padding, or the one that gives ``output_size`` (PyTorch's _ConvTransposeNd._output_padding)."""
        if output_size is None:
            return self.output_padding
        n = self._spatial
        non_spatial = 2 if input.dim() == n + 2 else 1
        output_size = list(output_size)
        if len(output_size) == non_spatial + n:
            output_size = output_size[non_spatial:]
        if len(output_size) != n:
            raise ValueError(f"ConvTranspose{n}D: for {input.dim()}D input, output_size must have {n} or "
                             f"{non_spatial + n} elements (got {len(output_size)})")
        low = [(input.shape[d + non_spatial] - 1) * self.stride[d] - 2 * self.padding[d]
               + self.dilation[d] * (self.kernel_size[d] - 1) + 1 for d in range(n)]
        high = [low[d] + self.stride[d] - 1 for d in range(n)]
        for size, smallest, largest in zip(output_size, low, high):
            if size < smallest or size > largest:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes range from {low} to "
                                 f"{high} (for an input of {input.shape[2:]})")
        return tuple(output_size[d] - low[d] for d in range(n))

    def forward(self, input: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        function = conv_transpose1d if self._spatial == 1 else conv_transpose2d
        return function(input, self.weight, self.bias, self.stride, self.padding,
                        self._output_padding(input, output_size), self.groups, self.dilation)


class ConvTranspose1d(_ConvTranspose):
    """1-d transposed convolution layer: weight (C_in, C_out / groups, k), bias (C_out,)."""

    _spatial = 1


class ConvTranspose2d(_ConvTranspose):
    """2-d transposed convolution layer: weight (C_in, C_out / groups, kh, kw), bias (C_out,)."""

    _spatial = 2


class Unfold(Module):
    """im2col as a layer: ``F.unfold`` with these arguments."""

    def __init__(self, kernel_size: IntOrTuple, dilation: IntOrTuple = 1, padding: IntOrTuple = 0,
                 stride: IntOrTuple = 1) -> None:
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")


class Fold(Module):
    """col2im as a layer: ``F.fold`` with these arguments."""

    def __init__(self, output_size: IntOrTuple, kernel_size: IntOrTuple, dilation: IntOrTuple = 1,
                 padding: IntOrTuple = 0, stride: IntOrTuple = 1) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")
