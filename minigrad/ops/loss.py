"""Loss functions as single ops, each with PyTorch's arithmetic and its hand-derived gradient.

``weight`` and ``pos_weight`` are constants (PyTorch does not differentiate them either). Every loss
takes ``reduction``: ``'none'`` (the elementwise losses), ``'sum'``, or ``'mean'`` (the sum
divided by the element count N). The sum is the same kernel ``x.sum()`` uses, so the seed's losses are
bit-for-bit PyTorch's.
"""

import numpy as np

from .. import kernels as K
from ..autograd.engine import Context
from .registry import REAL, Domain, Op, Promotion, c_type_name, register

PROBABILITY = Domain("0 < p < 1", 0.05, 0.95)
TARGET = Domain("0 <= y <= 1", 0.0, 1.0)


def _reduce(ctx: Context, losses: np.ndarray, reduction: str) -> np.ndarray:
    """The elementwise losses reduced as asked; remembers N and the reduction for backward."""
    ctx.reduction = reduction
    ctx.count = losses.size
    if reduction == "none":
        return losses
    total = K.sum(losses, tuple(range(losses.ndim)))
    return total if reduction == "sum" else K.binary(K.DIV, total, K.scalar(losses.size, losses.dtype))


def _mean_scale(ctx: Context, grad: np.ndarray) -> np.ndarray:
    """grad / N for a mean reduction (how PyTorch's loss backwards finish); grad itself otherwise."""
    return K.binary(K.DIV, grad, K.scalar(ctx.count, grad.dtype)) if ctx.reduction == "mean" else grad


def _weighted(grad: np.ndarray, weight: np.ndarray | None) -> np.ndarray:
    return grad if weight is None else K.binary(K.MUL, grad, weight)


@register
class MseLoss(Op):
    """Mean squared error: (x - y)^2 per element, then the reduction."""

    torch = "torch.nn.functional.mse_loss"
    formulas = ("d(mse)/dx = 2 (x - y) / N * grad", "d(mse)/dy = -2 (x - y) / N * grad")
    saves = ("difference",)
    domain = (REAL, REAL)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, y: np.ndarray, reduction: str = "mean") -> np.ndarray:
        if x.dtype.kind != "f":  # the promoted dtype: PyTorch's kernel is built for floats only
            raise NotImplementedError(f"\"mse_cpu\" not implemented for '{c_type_name(x.dtype)}'")
        difference = K.binary(K.SUB, x, y)
        ctx.save(difference=difference)
        return _reduce(ctx, K.binary(K.MUL, difference, difference), reduction)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        difference = ctx.saved["difference"]
        # in double, then rounded: PyTorch's order (2 / 0 is inf there, for an empty input's empty gradient)
        norm = (2.0 / ctx.count if ctx.count else np.inf) if ctx.reduction == "mean" else 2.0
        grad_x = K.binary(K.MUL, K.binary(K.MUL, difference, K.scalar(norm, grad.dtype)), grad)
        return grad_x, K.unary(K.NEG, grad_x) if ctx.needs(1) else None


@register
class BinaryCrossEntropy(Op):
    """-(y log p + (1 - y) log(1 - p)) per element, each log clamped at -100, times ``weight``; then the reduction."""

    torch = "torch.nn.functional.binary_cross_entropy"
    formulas = (
        "d(bce)/dp = (p - y) / max(p (1 - p), 1e-12) * weight / N * grad",
        "d(bce)/dy = -log(p / (1 - p)) * weight / N * grad",
    )
    saves = ("p", "y", "weight")
    domain = (PROBABILITY, TARGET)

    @staticmethod
    def forward(ctx: Context, p: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None,
                reduction: str = "mean") -> np.ndarray:
        losses = K.bce(p, y)
        ctx.save(p=p, y=y, weight=weight)
        return _reduce(ctx, _weighted(losses, weight), reduction)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        p, y, weight = ctx.saved["p"], ctx.saved["y"], ctx.saved["weight"]
        grad_p = _mean_scale(ctx, _weighted(K.bce_grad(p, y, grad), weight))
        grad_y = _mean_scale(ctx, _weighted(K.bce_target_grad(p, grad), weight)) if ctx.needs(1) else None
        return grad_p, grad_y


@register
class BinaryCrossEntropyWithLogits(Op):
    """BCE of sigmoid(x), computed stably from the logits x: (1 - y) x - log sigmoid(x), per element.

    With ``pos_weight``, the positive term's log sigmoid(x) is scaled by (pos_weight - 1) y + 1.
    """

    torch = "torch.nn.functional.binary_cross_entropy_with_logits"
    formulas = (
        "d(bce_logits)/dx = (sigmoid(x) - y) * weight / N * grad",
        "d(bce_logits)/dy = -x * weight / N * grad",
    )
    saves = ("x", "y")
    domain = (REAL, TARGET)
    # PyTorch computes log_sigmoid(x), then (1 - y).mul_(x).sub_(...) in place: the loss has the target's dtype,
    # and it refuses what those steps refuse (integer x, bool y, an integer y that a float result cannot go into).
    promotion = Promotion.NONE

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        x, y = dtypes
        if x.kind != "f":
            raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for '{c_type_name(x)}'")
        if y.kind == "b":
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                               "Use the `^` or `logical_xor()` operator instead.")  # 1 - y, with 1 as a bool
        if y.kind != "f":
            raise RuntimeError(f"result type {c_type_name(x)} can't be cast to the desired output type "
                               f"{c_type_name(y)}")

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None,
                pos_weight: np.ndarray | None = None, reduction: str = "mean") -> np.ndarray:
        if x.dtype != y.dtype:  # computed in the wider dtype, the loss rounded to the target's
            common = np.promote_types(x.dtype, y.dtype)
            loss = BinaryCrossEntropyWithLogits.forward(ctx, K.cast(x, common), K.cast(y, common), weight,
                                                        pos_weight, reduction)
            return K.cast(loss, y.dtype)
        one = K.scalar(1, x.dtype)
        log_sigmoid = K.log_sigmoid(x)
        if pos_weight is not None:
            log_weight = K.binary(K.ADD, K.binary(K.MUL, K.binary(K.SUB, pos_weight, one), y), one)
            log_sigmoid = K.binary(K.MUL, log_sigmoid, log_weight)
        losses = K.binary(K.SUB, K.binary(K.MUL, K.binary(K.SUB, one, y), x), log_sigmoid)
        ctx.save(x=x, y=y, weight=weight, pos_weight=pos_weight)
        return _reduce(ctx, _weighted(losses, weight), reduction)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y, weight, pos_weight = (ctx.saved[k] for k in ("x", "y", "weight", "pos_weight"))
        sigmoid = K.unary(K.SIGMOID, x)
        if pos_weight is None:
            grad_x = K.binary(K.SUB, sigmoid, y)
            grad_y = K.unary(K.NEG, x)
        else:
            t = K.binary(K.MUL, pos_weight, y)
            one = K.scalar(1, x.dtype)
            grad_x = K.binary(K.SUB, K.binary(K.MUL, K.binary(K.SUB, K.binary(K.ADD, t, one), y), sigmoid), t)
            # d/dy of (1 - y) x - ((pw - 1) y + 1) log sigmoid(x) = -x - (pw - 1) log sigmoid(x), in PyTorch's
            # form log sigmoid(-x) - pw log sigmoid(x), which has no 0 * inf at x = -inf
            grad_y = K.binary(K.SUB, K.log_sigmoid(K.unary(K.NEG, x)), K.binary(K.MUL, K.log_sigmoid(x), pos_weight))
        grad_x = _mean_scale(ctx, _weighted(K.binary(K.MUL, grad_x, grad), weight))
        grad_y = _mean_scale(ctx, _weighted(K.binary(K.MUL, grad_y, grad), weight))
        return grad_x, grad_y
