"""Layer, group, instance, RMS and local response normalization: functions and modules, as in PyTorch.

``layer_norm`` and ``group_norm`` are one op each (``ops/normalization.py``, PyTorch's native_layer_norm and
native_group_norm); ``instance_norm`` is a batch norm of the input seen as one sample of N C channels, and
``rms_norm`` and ``local_response_norm`` are composed from tensor ops, as PyTorch composes them.
"""

from __future__ import annotations

import itertools
import numbers
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import errors, factories
from ..autograd.grad_mode import no_grad
from ..dtypes import dtype as DType
from ..ops.normalization import GroupNorm as GroupNormOp
from ..ops.normalization import LayerNorm as LayerNormOp
from ..tensor import Tensor, apply, expect_tensor
from . import functional as F
from . import init
from .batchnorm import _NormBase, add_affine, batch_norm, reset_affine
from .module import Module
from .parameter import Parameter
from .pooling import avg_pool2d

Shape = int | Sequence[int]


def _check_normalized_shape(function: str, input: Tensor, normalized_shape: tuple[int, ...],
                            parameters: dict[str, Tensor | None]) -> None:
    """PyTorch's _check_layer_norm_inputs (and rms_norm's): the shape, each parameter's, then the input's."""
    if not normalized_shape:
        raise errors.normalized_shape_empty(normalized_shape)
    for name, value in parameters.items():
        if value is not None and tuple(value.shape) != normalized_shape:
            raise errors.normalized_parameter_shape(name, value.shape, normalized_shape)
    if tuple(input.shape[input.dim() - len(normalized_shape):]) != normalized_shape:
        raise errors.normalized_input_shape(function, normalized_shape, input.shape)


def layer_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """y = (x - mean) / sqrt(var + eps) * weight + bias, mean and biased var over the last len(normalized_shape)
    dims of each row; weight and bias have normalized_shape."""
    expect_tensor(input, "layer_norm")
    shape = tuple(normalized_shape)
    _check_normalized_shape("layer_norm", input, shape, {"weight": weight, "bias": bias})
    errors.check_floating_kernel("LayerNormKernelImpl", input.dtype)
    if any(t is not None and t.dtype != input.dtype for t in (weight, bias)):
        raise errors.parameter_dtype(input.dtype)
    affine = [t for t in (weight, bias) if t is not None]
    return apply(LayerNormOp, input, *affine, normalized_shape=shape, weighted=weight is not None, eps=eps)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """The C channels of x (N, C, *) in num_groups groups: each sample's group normalized by its own mean and
    biased variance, y = (x - mean) / sqrt(var + eps) * weight_c + bias_c."""
    expect_tensor(input, "group_norm")
    if input.dim() < 2:
        raise errors.group_norm_dims(input.dim())
    size = list(input.shape)
    _verify_batch_size([size[0] * size[1] // num_groups, num_groups, *size[2:]])
    if num_groups <= 0:
        raise errors.group_norm_groups(num_groups)
    if size[1] % num_groups:
        raise errors.group_norm_divisible(input.shape, num_groups)
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None and (value.dim() != 1 or value.numel() != size[1]):
            # PyTorch's message for a bad bias shows the weight's shape (an empty one when there is none)
            shown = weight.shape if weight is not None else (0,)
            raise errors.group_norm_parameter(name, value.shape if name == "weight" else shown, input.shape)
    errors.check_floating_kernel("GroupNormKernelImpl", input.dtype)
    if any(t is not None and t.dtype != input.dtype for t in (weight, bias)):
        raise errors.batch_norm_dtypes()
    affine = [t for t in (weight, bias) if t is not None]
    return apply(GroupNormOp, input, *affine, num_groups=num_groups, weighted=weight is not None, eps=eps)


def _verify_batch_size(size: list[int]) -> None:
    if size[0] * np.prod(size[2:], dtype=np.int64) == 1:
        raise errors.batch_norm_one_value(size)


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Each channel of each sample of x (N, C, *) normalized by its own statistics: a batch norm of x seen as
    (1, N C, *), the weight, bias and running statistics repeated N times; the running statistics then become the
    mean over the samples of the repeated ones."""
    expect_tensor(input, "instance_norm")
    if use_input_stats and np.prod(input.shape[2:], dtype=np.int64) == 1:
        raise errors.instance_norm_spatial(input.shape)
    n, c = input.shape[0], input.shape[1]
    repeated = [None if t is None else t.repeat(n) for t in (running_mean, running_var, weight, bias)]
    out = batch_norm(input.contiguous().view(1, n * c, *input.shape[2:]), *repeated, training=use_input_stats,
                     momentum=momentum, eps=eps)
    with no_grad():
        for statistic, copies in zip((running_mean, running_var), repeated):
            if statistic is not None:
                statistic.copy_(copies.view(n, c).mean(0))
    return out.view(input.shape)


def rms_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    """y = x / sqrt(mean(x²) + eps) * weight, the mean over the last len(normalized_shape) dims; eps None is the
    dtype's machine epsilon. Composed, as PyTorch's CPU rms_norm: x * rsqrt(x.pow(2).mean(dims) + eps)."""
    expect_tensor(input, "rms_norm")
    shape = tuple(normalized_shape)
    _check_normalized_shape("rms_norm", input, shape, {"weight": weight})
    errors.check_floating_kernel("rms_norm", input.dtype)
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    dims = tuple(range(input.dim() - len(shape), input.dim()))
    out = input * input.pow(2).mean(dims, keepdim=True).add(eps).rsqrt()
    out = out if weight is None else out * weight
    # PyTorch ends with .contiguous(): a copy (CloneBackward0) where its elementwise result kept the input's permuted
    # memory order, that is where the input's strides (of dims longer than 1) do not decrease
    strides = [st for st, n in zip(input._data.strides, input.shape) if n > 1]
    return out.clone() if any(a < b for a, b in itertools.pairwise(strides)) else out


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> Tensor:
    """x_c / (k + alpha/size * sum of x² over the ``size`` channels around c)^beta (zeros past the ends).
    Composed as PyTorch composes it: the channel window's mean as an average pooling over channels."""
    expect_tensor(input, "local_response_norm")
    dim = input.dim()
    if dim < 3:
        raise errors.local_response_norm_dims(dim)
    if input.numel() == 0:
        return input
    sizes = input.shape
    div = input.mul(input).reshape(sizes[0], 1, sizes[1], -1)
    div = F.pad(div, (0, 0, size // 2, (size - 1) // 2))
    div = avg_pool2d(div, (size, 1), stride=1).squeeze(1).view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


class LayerNorm(Module):
    """``layer_norm`` over the last dims, ``normalized_shape``; weight (ones) and bias (zeros) of that shape when
    ``elementwise_affine`` (the bias only with ``bias``)."""

    def __init__(self, normalized_shape: Shape, eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True, device: Any = None, dtype: DType | None = None) -> None:
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        add_affine(self, self.normalized_shape, elementwise_affine, bias, dtype, device)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weight 1, bias 0."""
        reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


class GroupNorm(Module):
    """``group_norm`` with ``num_groups`` groups of ``num_channels``; weight (ones) and bias (zeros) per channel
    when ``affine``."""

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True, device: Any = None,
                 dtype: DType | None = None, *, bias: bool = True) -> None:
        super().__init__()
        if num_channels % num_groups != 0:
            raise errors.group_norm_module(num_channels, num_groups)
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        add_affine(self, num_channels, affine, bias, dtype, device)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weight 1, bias 0."""
        reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class RMSNorm(Module):
    """``rms_norm`` over the last dims, ``normalized_shape``; a weight (ones) of that shape when
    ``elementwise_affine``."""

    def __init__(self, normalized_shape: Shape, eps: float | None = None, elementwise_affine: bool = True,
                 device: Any = None, dtype: DType | None = None) -> None:
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(factories.empty(self.normalized_shape, dtype=dtype, device=device))
        else:
            self.register_parameter("weight", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weight 1."""
        if self.elementwise_affine:
            init.ones_(self.weight)

    def forward(self, x: Tensor) -> Tensor:
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class LocalResponseNorm(Module):
    """``local_response_norm`` across channels, ``size`` of them at a time."""

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input: Tensor) -> Tensor:
        return local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class _InstanceNorm(_NormBase):
    """``instance_norm`` of (N, C, *) inputs, or of one unbatched sample (C, *); no weight and no running
    statistics unless ``affine`` and ``track_running_stats`` ask for them."""

    dims: tuple[int, int]  # the unbatched and the batched rank

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = False,
                 track_running_stats: bool = False, device: Any = None, dtype: DType | None = None, *,
                 bias: bool = True) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() not in self.dims:
            raise errors.batch_norm_input(self.dims, input.dim())
        feature_dim = input.dim() - self.dims[0]
        if input.shape[feature_dim] != self.num_features:
            if self.affine:
                raise errors.instance_norm_features(feature_dim, self.num_features, input.shape[feature_dim])
            warnings.warn(errors.instance_norm_features_warning(feature_dim), stacklevel=2)
        unbatched = input.dim() == self.dims[0]
        out = instance_norm(input.unsqueeze(0) if unbatched else input, self.running_mean, self.running_var,
                            self.weight, self.bias, self.training or not self.track_running_stats,
                            0.0 if self.momentum is None else self.momentum, self.eps)
        return out.squeeze(0) if unbatched else out


class InstanceNorm1d(_InstanceNorm):
    """Instance normalization of (N, C, L) inputs, or (C, L)."""

    dims = (2, 3)


class InstanceNorm2d(_InstanceNorm):
    """Instance normalization of (N, C, H, W) inputs, or (C, H, W)."""

    dims = (3, 4)


class InstanceNorm3d(_InstanceNorm):
    """Instance normalization of (N, C, D, H, W) inputs, or (C, D, H, W)."""

    dims = (4, 5)


def _as_shape(shape: Shape) -> tuple[int, ...]:
    return (shape,) if isinstance(shape, numbers.Integral) else tuple(shape)
