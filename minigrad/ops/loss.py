"""Loss functions as single ops, each with PyTorch's arithmetic and its hand-derived gradient.

``weight`` and ``pos_weight`` are constants (PyTorch does not differentiate them either). Every loss
takes ``reduction``: ``'none'`` (the elementwise losses), ``'sum'``, or ``'mean'`` (the sum
divided by the element count N). The sum is the same kernel ``x.sum()`` uses, so the seed's losses are
bit-for-bit PyTorch's.
"""

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .registry import Op, Promotion, register


def _reduce(ctx: Context, losses: np.ndarray, reduction: str) -> np.ndarray:
    """The elementwise losses reduced as asked; remembers N and the reduction for backward."""
    ctx.reduction = reduction
    ctx.count = losses.size
    if reduction == "none":
        return losses
    total = K.sum(losses, tuple(range(losses.ndim)))
    return total if reduction == "sum" else K.div(total, K.scalar(losses.size, losses.dtype))


def _mean_scale(ctx: Context, grad: np.ndarray) -> np.ndarray:
    """grad / N for a mean reduction (how PyTorch's loss backwards finish); grad itself otherwise."""
    return K.div(grad, K.scalar(ctx.count, grad.dtype)) if ctx.reduction == "mean" else grad


def _difference(ctx: Context, x: np.ndarray, y: np.ndarray, *_: Any, **__: Any) -> np.ndarray:
    """x - y (what mse_loss saves: ``recomputed`` from the inputs by a create_graph pass)."""
    return K.sub(x, y)


def _weighted(grad: np.ndarray, weight: np.ndarray | None) -> np.ndarray:
    return grad if weight is None else K.mul(grad, weight)


@register
class MseLoss(Op):
    """Mean squared error: (x - y)^2 per element, then the reduction."""

    torch = "torch.nn.functional.mse_loss"
    formulas = ("d(mse)/dx = 2 (x - y) / N * grad", "d(mse)/dy = -2 (x - y) / N * grad")
    recomputed: ClassVar[dict[str, Callable[..., np.ndarray]]] = {"difference": _difference}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, y: np.ndarray, reduction: str = "mean") -> np.ndarray:
        errors.check_floating_kernel("mse_cpu", x.dtype)  # the promoted dtype: PyTorch's kernel is built for floats
        difference = _difference(ctx, x, y)
        ctx.save(difference=difference)
        return _reduce(ctx, K.mul(difference, difference), reduction)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        difference = ctx.saved["difference"]
        # in double, then rounded: PyTorch's order (2 / 0 is inf there, for an empty input's empty gradient)
        norm = (2.0 / ctx.count if ctx.count else np.inf) if ctx.reduction == "mean" else 2.0
        grad_x = K.mul(K.mul(difference, K.scalar(norm, grad.dtype)), grad)
        return grad_x, K.neg(grad_x) if ctx.needs(1) else None

    jvp_formulas = ("d(mse) = the reduction of 2 (x - y) (dx - dy)",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray | None, dy: np.ndarray | None) -> np.ndarray:
        x, y = ctx.inputs
        d_difference = dx if dy is None else K.neg(dy) if dx is None else K.sub(dx, dy)
        terms = K.mul(K.mul(K.sub(x, y), K.scalar(2, x.dtype)), d_difference)
        return _reduce(Context(), terms, ctx.reduction)


@register
class BinaryCrossEntropy(Op):
    """-(y log p + (1 - y) log(1 - p)) per element, each log clamped at -100, times ``weight``; then the reduction."""

    torch = "torch.nn.functional.binary_cross_entropy"
    formulas = (
        "d(bce)/dp = (p - y) / max(p (1 - p), 1e-12) * weight / N * grad",
        "d(bce)/dy = -log(p / (1 - p)) * weight / N * grad",
    )

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

    jvp_formulas = ("d(bce) = the reduction of weight ((p - y) / max(p (1 - p), 1e-12) dp - log(p / (1 - p)) dy)",)

    @staticmethod
    def jvp(ctx: Any, dp: np.ndarray | None, dy: np.ndarray | None) -> np.ndarray:
        """backward's elementwise factors on the tangents, then the reduction (PyTorch's jvp)."""
        p, y = ctx.inputs
        terms = [K.bce_grad(p, y, dp)] if dp is not None else []
        terms += [K.bce_target_grad(p, dy)] if dy is not None else []
        total = K.add(*terms) if len(terms) == 2 else terms[0]
        return _reduce(Context(), _weighted(total, ctx.params.get("weight")), ctx.reduction)


_EPSILON = 1e-12  # PyTorch's eps in binary_cross_entropy's double backward (FunctionsManual.cpp), for every dtype


class BinaryCrossEntropyBackward(Op):
    """(p - y) / max((1 - p) p, 1e-12) grad, binary_cross_entropy's gradient (``K.bce_grad``), as an op of its own:
    PyTorch's binary_cross_entropy_backward, which a create_graph=True pass records (``K.bce_grad`` recorded) so that
    the derivatives of the gradient are PyTorch's formulas (binary_cross_entropy_double_backward and its kin): eps
    added to p and 1 - p, where the exact derivative of the clamped quotient would differ by up to 5e-11 relative.
    (Not in the registry: no PyTorch callable of its own to cross-check; ``weight`` and the mean's 1 / N are the ops
    around it.)"""

    torch = "torch.ops.aten.binary_cross_entropy_backward"
    grad_fn = "BinaryCrossEntropyBackwardBackward0"
    formulas = (
        "d/dp = gg grad (p^2 - 2 p y + y) / ((p + eps)^2 (1 - p + eps)^2), eps = 1e-12",
        "d/dy = -gg grad / max((1 - p) p, eps)",
        "d/dgrad = gg (p - y) / ((p + eps) (1 - p + eps)) (summed over the positions sharing grad)",
    )

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        p, y, grad = inputs
        return [grad, p, y, None, 0], {}  # reduction 'none': weight and 1 / N are the ops around this one

    @staticmethod
    def forward(ctx: Context, p: np.ndarray, y: np.ndarray, grad: np.ndarray) -> np.ndarray:
        ctx.save(p=p, y=y, grad=grad)
        return K.bce_grad(p, y, grad)

    @staticmethod
    def backward(ctx: Context, gg: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
        p, y, grad = ctx.saved["p"], ctx.saved["y"], ctx.saved["grad"]
        eps = K.scalar(_EPSILON, p.dtype)
        q = K.sub(K.scalar(1, p.dtype), p)
        low, high = K.add(p, eps), K.add(q, eps)  # p + eps, 1 - p + eps
        grad_p = grad_y = grad_grad = None
        if ctx.needs(0):
            numerator = K.add(K.sub(K.mul(p, p), K.mul(K.mul(K.scalar(2, p.dtype), p), y)), y)
            grad_p = K.mul(K.div(numerator, K.mul(K.mul(low, low), K.mul(high, high))), K.mul(gg, grad))
        if ctx.needs(1):
            grad_y = K.div(K.neg(K.mul(gg, grad)), K.maximum(K.mul(q, p), eps))
        if ctx.needs(2):
            grad_grad = K.mul(K.div(K.sub(p, y), K.mul(low, high)), gg)
        return grad_p, grad_y, grad_grad


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
    # PyTorch computes log_sigmoid(x), then (1 - y).mul_(x).sub_(...) in place: the loss has the target's dtype,
    # and it refuses what those steps refuse (integer x, bool y, an integer y that a float result cannot go into).
    promotion = Promotion.NONE

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        x, y = dtypes
        errors.check_floating_kernel("log_sigmoid_cpu", x)
        if y.kind == "b":
            raise errors.bool_subtraction(both=True)  # 1 - y, with 1 as a bool
        if y.kind != "f":
            raise errors.result_type_cast(x, y)

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
            log_weight = K.add(K.mul(K.sub(pos_weight, one), y), one)
            log_sigmoid = K.mul(log_sigmoid, log_weight)
        losses = K.sub(K.mul(K.sub(one, y), x), log_sigmoid)
        ctx.save(x=x, y=y, weight=weight, pos_weight=pos_weight)
        return _reduce(ctx, _weighted(losses, weight), reduction)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y, weight, pos_weight = (ctx.saved[k] for k in ("x", "y", "weight", "pos_weight"))
        sigmoid = K.sigmoid(x)
        if pos_weight is None:
            grad_x = K.sub(sigmoid, y)
            grad_y = K.neg(x)
        else:
            t = K.mul(pos_weight, y)
            one = K.scalar(1, x.dtype)
            grad_x = K.sub(K.mul(K.sub(K.add(t, one), y), sigmoid), t)
            # d/dy of (1 - y) x - ((pw - 1) y + 1) log sigmoid(x) = -x - (pw - 1) log sigmoid(x), in PyTorch's
            # form log sigmoid(-x) - pw log sigmoid(x), which has no 0 * inf at x = -inf
            grad_y = K.sub(K.log_sigmoid(K.neg(x)), K.mul(K.log_sigmoid(x), pos_weight))
        grad_x = _mean_scale(ctx, _weighted(K.mul(grad_x, grad), weight))
        grad_y = _mean_scale(ctx, _weighted(K.mul(grad_y, grad), weight))
        return grad_x, grad_y


class _PiecewiseLoss(Op):
    """A loss quadratic near x = y and linear beyond ``width`` (delta or beta): forward ``K.<kernel>`` per element,
    then the reduction; its gradient is norm * slope(x - y) * grad, norm = 1 / N for a mean (PyTorch's
    huber_loss_backward and smooth_l1_loss_backward), and the target's is minus that. Computed in the inputs'
    promoted dtype; the loss has the input's dtype, as PyTorch's does."""

    promotion = Promotion.NONE
    kernel: ClassVar[str]
    parameter: ClassVar[str]

    @classmethod
    def _forward(cls, ctx: Context, x: np.ndarray, y: np.ndarray, reduction: str, width: float) -> np.ndarray:
        """(The subclasses' ``forward``, which name ``width`` as PyTorch's function does.)"""
        errors.check_floating_kernel(f"{cls.kernel}_cpu", np.promote_types(x.dtype, y.dtype))
        common = np.promote_types(x.dtype, y.dtype)
        output_dtype = x.dtype
        x, y = K.cast(x, common), K.cast(y, common)
        ctx.save(x=x, y=y)
        ctx.width = width
        return K.cast(_reduce(ctx, getattr(K, cls.kernel)(x, y, width), reduction), output_dtype)

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        x, y = ctx.saved["x"], ctx.saved["y"]
        norm = 1.0 / ctx.count if ctx.reduction == "mean" and ctx.count else 1.0
        grad_x = getattr(K, f"{cls.kernel}_grad")(x, y, K.cast(grad, x.dtype), norm, ctx.width)
        return grad_x, K.neg(grad_x) if ctx.needs(1) else None


@register
class HuberLoss(_PiecewiseLoss):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta), d = x - y, per element; then the reduction."""

    torch = "torch.nn.functional.huber_loss"
    formulas = ("d(huber)/dx = clamp(x - y, -delta, delta) / N * grad",
                "d(huber)/dy = -clamp(x - y, -delta, delta) / N * grad")
    kernel = "huber"

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, y: np.ndarray, reduction: str = "mean",
                delta: float = 1.0) -> np.ndarray:
        return cls._forward(ctx, x, y, reduction, delta)


@register
class SmoothL1Loss(_PiecewiseLoss):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta, d = x - y, per element; then the reduction."""

    torch = "torch.nn.functional.smooth_l1_loss"
    formulas = ("d(smooth_l1)/dx = clamp((x - y) / beta, -1, 1) / N * grad",
                "d(smooth_l1)/dy = -clamp((x - y) / beta, -1, 1) / N * grad")
    kernel = "smooth_l1"

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, y: np.ndarray, reduction: str = "mean",
                beta: float = 1.0) -> np.ndarray:
        return cls._forward(ctx, x, y, reduction, beta)
