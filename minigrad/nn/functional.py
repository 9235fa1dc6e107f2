"""``minigrad.nn.functional``: layers and losses as plain functions (``import minigrad.nn.functional as F``).

Each loss is one op from ``minigrad/ops/loss.py`` (with its hand-derived gradient), or composed from
tensor ops exactly as PyTorch composes it. Arguments are checked first, with PyTorch's messages.
"""

import warnings

from ..ops import linalg, loss
from ..ops.registry import c_type_name
from ..tensor import Tensor, apply

REDUCTIONS = ("none", "mean", "sum")


def _check_reduction(reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _warn_if_broadcast(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )


def _check_weight(weight: Tensor, input: Tensor) -> None:
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")


def _weighted_reduction(losses: Tensor, weight: Tensor, reduction: str) -> Tensor:
    """PyTorch's weighted mse/l1: weighted losses, their sum, or their sum divided by the sum of weights."""
    weighted = losses * weight
    if reduction == "none":
        return weighted
    total = weighted.sum()
    return total if reduction == "sum" else total / weight.sum()


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x W^T + b over the last dim of ``input``; W is (out_features, in_features)."""
    if input.dim() == 2:
        return apply(linalg.Linear, input, weight, *([] if bias is None else [bias]))
    if input.dim() == 1:
        out = input.matmul(weight.t())
        return out if bias is None else out + bias
    rows = apply(linalg.Linear, input.reshape(-1, input.shape[-1]), weight, *([] if bias is None else [bias]))
    return rows.view(*input.shape[:-1], weight.shape[0])


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x), elementwise."""
    return input.sigmoid()


def relu(input: Tensor) -> Tensor:
    """max(x, 0), elementwise."""
    return input.relu()


def tanh(input: Tensor) -> Tensor:
    """(e^x - e^-x) / (e^x + e^-x), elementwise."""
    return input.tanh()


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """Mean squared error: mean of (x - y)^2 (or the sum, or each, by ``reduction``).

    Gradient, by hand: d/dx = 2 (x - y) / N.
    """
    _check_reduction(reduction)
    _warn_if_broadcast(input, target)
    if weight is None:
        return apply(loss.MseLoss, input, target, reduction=reduction)
    _check_weight(weight, input)
    return _weighted_reduction((input - target) ** 2, weight, reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """Mean absolute error: mean of |x - y| (or the sum, or each, by ``reduction``).

    Gradient, by hand: d/dx = sign(x - y) / N.
    """
    _check_reduction(reduction)
    _warn_if_broadcast(input, target)
    losses = (input - target).abs()
    if weight is not None:
        _check_weight(weight, input)
        return _weighted_reduction(losses, weight, reduction)
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.mean()


def _check_probabilities(name: str, values: Tensor) -> None:
    data = values.detach()
    if (data.clamp(0, 1) == data).sum().item() != data.numel():  # NaN fails too, as in PyTorch
        raise RuntimeError(f"all elements of {name} should be between 0 and 1")


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         reduction: str = "mean") -> Tensor:
    """-mean(y log p + (1 - y) log(1 - p)) for probabilities p = ``input`` and targets y in [0, 1].

    Each log is clamped at -100, so p = 0 or 1 gives a finite loss. Gradient, by hand:
    d/dp = (p - y) / (p (1 - p)) / N; after a sigmoid, p = sigmoid(z), it becomes d/dz = (p - y) / N.
    """
    _check_reduction(reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}) is "
            "deprecated. Please ensure they have the same size."
        )
    if target.dtype != input.dtype:
        found, expected = c_type_name(target._data.dtype), c_type_name(input._data.dtype)
        raise RuntimeError(f"Found dtype {found} but expected {expected}")
    _check_probabilities("input", input)
    _check_probabilities("target", target)
    return apply(loss.BinaryCrossEntropy, input, target, weight=weight, reduction=reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     reduction: str = "mean", pos_weight: Tensor | None = None) -> Tensor:
    """binary_cross_entropy(sigmoid(x), y), computed from the logits x without overflow.

    Gradient, by hand: d/dx = (sigmoid(x) - y) / N.
    """
    _check_reduction(reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    return apply(loss.BinaryCrossEntropyWithLogits, input, target, weight=weight, pos_weight=pos_weight,
                 reduction=reduction)

