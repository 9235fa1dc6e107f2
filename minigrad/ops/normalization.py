"""Batch, layer and group normalization: y = (x - mean) / sqrt(var + eps) * weight + bias, each over its own groups.

The three differ only in which values share a mean and a (biased) variance, and which share a weight:

    batch norm  x (N, C, *)   a group per channel c: all of x[:, c]          weight (C,) per channel
    layer norm  x (*, D...)   a group per row: the last dims, normalized_shape  weight (D...) per position in the row
    group norm  x (N, C, *)   a group per sample and C/G channels              weight (C,) per channel

Each views x as (A, B, S) with group b = x[:, b, :] (``kernels/normalization.py``). With x̂ = (x - mean) invstd and
g the output's gradient, the gradients are (n values per group, means over the group):

    dL/dx      = invstd (g w - mean(g w) - x̂ mean(g w x̂))   (through x̂ and the group's own mean and variance)
    dL/dweight = sum of g x̂,  dL/dbias = sum of g          (over every dim the weight does not have)

A batch norm in evaluation normalizes with fixed running statistics: then dL/dx = g w invstd only.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from .. import kernels as K
from ..autograd.engine import Context
from ..kernels import normalization as N
from .registry import Op, Promotion, register


def _affine(inputs: tuple[np.ndarray, ...], weighted: bool) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(weight, bias) from the op's inputs after x, None where absent."""
    weight = inputs[0] if weighted else None
    bias = inputs[int(weighted)] if len(inputs) > int(weighted) else None
    return weight, bias


def _channels(x: np.ndarray) -> np.ndarray:
    """x (N, C, *) as batch norm's groups (N, C, the rest): a group per channel."""
    return np.ascontiguousarray(x).reshape(x.shape[0], x.shape[1], math.prod(x.shape[2:]))


def _batch_statistic(i: int) -> Any:
    """``recomputed``'s maker of BatchNorm's saved mean (0) or invstd (1): the batch's, or the running ones saved."""
    def make(ctx: Context, x: np.ndarray, *_: Any, training: bool, eps: float, **__: Any) -> np.ndarray:
        return _group_statistics(_channels(x), eps)[i] if training else ctx.saved[("mean", "invstd")[i]]
    return make


class _Normalization(Op):
    """Shared backward. forward saves x as groups (A, B, S), each group's mean and invstd, the weight, and sets
    ``ctx.layout = (x's shape, the weight's broadcast shape over x, the dims the weight does not have)``."""

    formulas = ("dL/dx = invstd (g w - mean(g w) - x̂ mean(g w x̂)), the means over each normalized group",
                "dL/dweight = sum of g x̂ over the dims the weight does not have",
                "dL/dbias = sum of g over the dims the bias does not have")
    promotion = Promotion.NONE

    @staticmethod
    def save(ctx: Context, x3: np.ndarray, mean: np.ndarray, invstd: np.ndarray, weight: np.ndarray | None,
             shape: tuple[int, ...], axes: tuple[int, ...], batch_stats: bool = True) -> None:
        """Save for backward; ``axes``: the dims of x the weight does not have."""
        ctx.save(x3=x3, mean=mean, invstd=invstd, weight=weight)
        weight_shape = tuple(1 if d in axes else n for d, n in enumerate(shape))
        ctx.layout, ctx.batch_stats = (shape, weight_shape, axes), batch_stats

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        x3, mean, invstd, weight = (ctx.saved[k] for k in ("x3", "mean", "invstd", "weight"))
        shape, weight_shape, axes = ctx.layout
        gw = grad if weight is None else K.mul(grad, weight.reshape(weight_shape))
        grads: list[np.ndarray | None] = [None]
        if ctx.needs(0):
            if ctx.batch_stats:
                grads[0] = N.normalized_grad(gw.reshape(x3.shape), x3, mean, invstd).reshape(shape)
            else:
                grads[0] = K.mul(gw.reshape(x3.shape), invstd.reshape(1, -1, 1)).reshape(shape)
        inputs = len(ctx.needs_input_grad)
        if weight is not None and ctx.needs(1):
            x_hat = N.normalize(x3, mean, invstd).reshape(shape)
            grads.append(K.sum(K.mul(grad, x_hat), axes))
        elif weight is not None:
            grads.append(None)
        if len(grads) < inputs:
            grads.append(K.sum(grad, axes) if ctx.needs(len(grads)) else None)
        return tuple(grads)

    jvp_formulas = ("dy = w invstd (dx - mean(dx) - x̂ mean(x̂ dx)) + x̂ dw + db, the means over each normalized "
                    "group (w invstd dx alone with fixed statistics)",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray | None, *d_affine: np.ndarray | None) -> np.ndarray:
        """The normalization's Jacobian in x is symmetric, so dx̂ is backward's formula applied to dx."""
        x3, mean, invstd, weight = (ctx.saved[k] for k in ("x3", "mean", "invstd", "weight"))
        shape, weight_shape, _ = ctx.layout
        if dx is None:
            tangent = K.zeros(shape, x3.dtype)
        elif ctx.batch_stats:
            tangent = N.normalized_grad(dx.reshape(x3.shape), x3, mean, invstd).reshape(shape)
        else:
            tangent = K.mul(dx.reshape(x3.shape), invstd.reshape(1, -1, 1)).reshape(shape)
        if weight is not None:
            tangent = K.mul(tangent, weight.reshape(weight_shape))
        d_weight, d_bias = _affine(d_affine, weight is not None)
        if d_weight is not None:
            x_hat = N.normalize(x3, mean, invstd).reshape(shape)
            tangent = K.add(tangent, K.mul(x_hat, d_weight.reshape(weight_shape)))
        return tangent if d_bias is None else K.add(tangent, d_bias.reshape(weight_shape))


@register
class BatchNorm(_Normalization):
    """y = (x - mean_c) / sqrt(var_c + eps) * w_c + b_c per channel c (dim 1) of x (N, C, *): in training the
    batch's mean and biased variance over every dim but 1, else the running statistics given. Computed as PyTorch's
    CPU kernel computes it: y = fma(x, alpha_c, beta_c), alpha = invstd w, beta = b - mean alpha (fused).
    Returns (y, batch mean, batch sum of squared deviations) for the running statistics' update."""

    torch = "torch.nn.functional.batch_norm"
    grad_fn = "NativeBatchNormBackward0"
    recomputed: ClassVar[dict[str, Any]] = {"x3": lambda ctx, x, *_, **__: _channels(x),  # as LayerNorm's
                                            "mean": _batch_statistic(0), "invstd": _batch_statistic(1)}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *affine: np.ndarray, weighted: bool, training: bool, eps: float,
                running_mean: np.ndarray | None = None,
                running_var: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        weight, bias = _affine(affine, weighted)
        x3 = _channels(x)
        dtype = x.dtype.type
        if training:
            mean, var_sum = N.moments(x3)
            count = x3.shape[0] * x3.shape[2]
            with np.errstate(invalid="ignore", divide="ignore"):
                invstd = N.inverse_std(var_sum / dtype(count), eps)
        else:
            mean, var_sum = running_mean, running_var
            with np.errstate(divide="ignore"):
                invstd = dtype(1) / np.sqrt(running_var + dtype(eps))
        alpha = invstd if weight is None else invstd * weight
        beta = -mean * alpha if bias is None else N.fused_multiply_add(-mean, alpha, bias)
        y = N.scale_shift(x3, alpha[None, :], beta[None, :]).reshape(x.shape)
        channels = (0, *range(2, x.ndim))
        _Normalization.save(ctx, x3, mean.copy(), invstd, weight, x.shape, channels, batch_stats=training)
        return y, mean, var_sum


@register
class LayerNorm(_Normalization):
    """y = (x - mean) / sqrt(var + eps) * w + b over the last len(normalized_shape) dims of x: each row (those dims)
    has its own mean and biased variance; w and b have the row's shape."""

    torch = "torch.nn.functional.layer_norm"
    grad_fn = "NativeLayerNormBackward0"
    # what forward saves, made again from x by a create_graph pass (so that the gradients depend on x through them)
    recomputed: ClassVar[dict[str, Any]] = {
        "x3": lambda ctx, x, *_, normalized_shape, **__: _rows(x, normalized_shape),
        "mean": lambda ctx, x, *_, normalized_shape, eps, **__: _group_statistics(_rows(x, normalized_shape), eps)[0],
        "invstd": lambda ctx, x, *_, normalized_shape, eps, **__: _group_statistics(_rows(x, normalized_shape),
                                                                                     eps)[1]}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *affine: np.ndarray, normalized_shape: tuple[int, ...],
                weighted: bool, eps: float) -> np.ndarray:
        weight, bias = _affine(affine, weighted)
        x3 = _rows(x, normalized_shape)
        mean, invstd = _group_statistics(x3, eps)
        y = N.normalize(x3, mean, invstd).reshape(x.shape)
        if weight is not None:
            y = K.mul(y, weight)
        if bias is not None:
            y = K.add(y, bias)
        _Normalization.save(ctx, x3, mean, invstd, weight, x.shape, tuple(range(x.ndim - len(normalized_shape))))
        return y


@register
class GroupNorm(_Normalization):
    """y = (x - mean_ng) / sqrt(var_ng + eps) * w_c + b_c for x (N, C, *): the C channels split into G groups of
    C/G, and each sample's group has its own mean and biased variance; w and b are per channel."""

    torch = "torch.nn.functional.group_norm"
    grad_fn = "NativeGroupNormBackward0"
    recomputed: ClassVar[dict[str, Any]] = {  # as LayerNorm's
        "x3": lambda ctx, x, *_, num_groups, **__: _groups(x, num_groups),
        "mean": lambda ctx, x, *_, num_groups, eps, **__: _group_statistics(_groups(x, num_groups), eps)[0],
        "invstd": lambda ctx, x, *_, num_groups, eps, **__: _group_statistics(_groups(x, num_groups), eps)[1]}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *affine: np.ndarray, num_groups: int, weighted: bool,
                eps: float) -> np.ndarray:
        weight, bias = _affine(affine, weighted)
        n, c = x.shape[0], x.shape[1]
        x3 = _groups(x, num_groups)
        mean, invstd = _group_statistics(x3, eps)
        # PyTorch's kernel: y = x scale + shift per (sample, channel), scale = invstd w, shift = b - mean scale
        per_channel = (n, num_groups, c // num_groups)
        scale = np.broadcast_to(invstd.reshape(n, num_groups, 1), per_channel)
        if weight is not None:
            scale = K.mul(scale, weight.reshape(num_groups, -1))
        shift = K.mul(-mean.reshape(n, num_groups, 1), scale)
        if bias is not None:
            shift = N.fused_multiply_add(-mean.reshape(n, num_groups, 1), scale, bias.reshape(num_groups, -1))
        flat = x3.reshape(n, c, -1)
        y = N.scale_shift(flat, scale.reshape(n, c), shift.reshape(n, c)).reshape(x.shape)
        _Normalization.save(ctx, x3, mean, invstd, weight, x.shape, (0, *range(2, x.ndim)))
        return y


def _rows(x: np.ndarray, normalized_shape: tuple[int, ...]) -> np.ndarray:
    """x as layer norm's groups (1, rows, row): each row the last len(normalized_shape) dims."""
    row = math.prod(normalized_shape)
    return np.ascontiguousarray(x).reshape(1, math.prod(x.shape) // row if row else 0, row)


def _groups(x: np.ndarray, num_groups: int) -> np.ndarray:
    """x (N, C, *) as group norm's groups (1, N G, C / G * the rest)."""
    n, c = x.shape[0], x.shape[1]
    return np.ascontiguousarray(x).reshape(1, n * num_groups, (c // num_groups) * math.prod(x.shape[2:]))


def _group_statistics(x3: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """Each group's mean and 1 / sqrt(biased variance + eps), in x's dtype."""
    mean, var_sum = N.moments(x3)
    count = x3.shape[0] * x3.shape[2]
    with np.errstate(invalid="ignore", divide="ignore"):
        return mean, N.inverse_std(var_sum / count, eps)  # (count, a Python int, in var_sum's dtype)

