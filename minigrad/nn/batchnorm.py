"""Batch normalization: ``F.batch_norm`` and ``BatchNorm1d/2d/3d``, which normalize each channel with its batch
statistics and keep running ones for evaluation; ``_NormBase`` holds what instance norm shares with them."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import errors, factories
from ..autograd.grad_mode import no_grad
from ..dtypes import dtype as DType
from ..dtypes import int64
from ..kernels import normalization as N
from ..ops.normalization import BatchNorm
from ..tensor import Tensor, apply, expect_tensor
from . import init
from .module import Module
from .parameter import Parameter


def _check_batch_norm_arguments(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
                                weight: Tensor | None, bias: Tensor | None, training: bool, eps: float) -> None:
    """PyTorch's checks of batch_norm's arguments (functional.py, then Normalization.cpp), in its order."""
    if training and math.prod(input.shape[i] for i in range(input.dim()) if i != 1) == 1:
        raise errors.batch_norm_one_value(input.shape)
    if training and eps <= 0.0:
        raise errors.batch_norm_eps(eps, training=True)
    if eps < 0.0:
        raise errors.batch_norm_eps(eps, training=False)
    features = input.shape[1]
    for name, value in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                        ("bias", bias)):
        if value is None and name.startswith("running") and not training:
            raise errors.batch_norm_missing(name)
        if value is not None and value.numel() != features:
            raise errors.batch_norm_size(name, features, value.numel())
    errors.check_floating_kernel("batch_norm", input.dtype)
    if any(t is not None and t.dtype != input.dtype for t in (running_mean, running_var, weight, bias)):
        raise errors.batch_norm_dtypes()


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """y = (x - mean) / sqrt(var + eps) * weight + bias per channel (dim 1), over all other dims.

    In training, mean and the biased var come from the batch, and the running statistics (when given) move
    toward the batch's: running = (1 - momentum) * running + momentum * batch, with the unbiased variance
    (n / (n - 1) times the biased one). Otherwise the running statistics normalize. One op (``BatchNorm``,
    PyTorch's native_batch_norm), its gradient through the batch statistics derived by hand.
    """
    expect_tensor(input, "batch_norm")
    for name, position, statistic in (("running_mean", 4, running_mean), ("running_var", 5, running_var)):
        if statistic is not None:
            expect_tensor(statistic, "batch_norm", name, position)
    _check_batch_norm_arguments(input, running_mean, running_var, weight, bias, training, eps)
    if input.numel() == 0:  # PyTorch's _batch_norm_impl_index: a copy, not a view, so that the graph goes on
        out = input.clone()
        out = out if weight is None else out * weight[0]
        return out if bias is None else out + bias[0]
    affine = [t for t in (weight, bias) if t is not None]
    stats = {} if training else {"running_mean": running_mean, "running_var": running_var}
    out, mean, var_sum = apply(BatchNorm, input, *affine, weighted=weight is not None, training=training, eps=eps,
                               **stats)
    if training and (running_mean is not None or running_var is not None):
        _update_running_stats(running_mean, running_var, mean, var_sum, input.numel() // input.shape[1], momentum)
    return out


def _update_running_stats(running_mean: Tensor | None, running_var: Tensor | None, mean: Tensor, var_sum: Tensor,
                          count: int, momentum: float) -> None:
    old = [s._data if s is not None else np.zeros_like(mean._data) for s in (running_mean, running_var)]
    with np.errstate(invalid="ignore", divide="ignore"):
        new = N.running_update(*old, mean._data, var_sum._data, count, momentum)
    with no_grad():
        for statistic, value in zip((running_mean, running_var), new):
            if statistic is not None:
                statistic.copy_(Tensor._make(value))


def add_affine(module: Module, shape: Any, affine: bool, bias: bool, dtype: DType | None, device: Any) -> None:
    """A normalization layer's ``weight`` and ``bias`` of ``shape`` (bias only with ``bias``), or None for each
    without ``affine``: registered in PyTorch's order, their values set by ``reset_affine``."""
    for name, wanted in (("weight", affine), ("bias", affine and bias)):
        if wanted:
            setattr(module, name, Parameter(factories.empty(shape, dtype=dtype, device=device)))
        else:
            module.register_parameter(name, None)


def reset_affine(module: Module) -> None:
    """Weight 1, bias 0 (those the layer has)."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


class _NormBase(Module):
    """Weight (ones) and bias (zeros) per feature when ``affine``; running mean (zeros), variance (ones) and the
    count of batches seen when ``track_running_stats``: PyTorch's parameters and buffers, in its order."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: DType | None = None, *,
                 bias: bool = True) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        add_affine(self, num_features, affine, bias, dtype, device)
        if track_running_stats:
            self.register_buffer("running_mean", factories.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", factories.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", factories.tensor(0, dtype=int64))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batches seen."""
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Fresh running statistics, weight 1 and bias 0."""
        self.reset_running_stats()
        reset_affine(self)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class _BatchNorm(_NormBase):
    """y = (x - mean) / sqrt(var + eps) * weight + bias per channel (dim 1).

    Training uses the batch's mean and biased variance (over every dim but 1) and moves the running statistics
    toward the batch's: running = (1 - momentum) running + momentum batch, with the unbiased variance; with
    ``momentum`` None, running is the plain average of all batches so far (``num_batches_tracked`` counts
    them). Evaluation normalizes with the running statistics, or with the batch's when they are not tracked.
    """

    dims: tuple[int, ...]  # the input dims each subclass accepts

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() not in self.dims:
            raise errors.batch_norm_input(self.dims, input.dim())
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            factor = 1.0 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
        batch_stats = self.training or (self.running_mean is None and self.running_var is None)
        tracked = not self.training or self.track_running_stats
        return batch_norm(input, self.running_mean if tracked else None, self.running_var if tracked else None,
                          self.weight, self.bias, batch_stats, factor, self.eps)


class BatchNorm1d(_BatchNorm):
    """Batch normalization of (N, C) or (N, C, L) inputs."""

    dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalization of (N, C, H, W) inputs."""

    dims = (4,)


class BatchNorm3d(_BatchNorm):
    """Batch normalization of (N, C, D, H, W) inputs."""

    dims = (5,)
