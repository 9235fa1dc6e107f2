"""Classification ops: softmax, log_softmax and nll_loss (cross_entropy composes them), and the leaky_relu and
softplus activations.

softmax, log_softmax and nll_loss reproduce PyTorch's CPU kernels bit for bit (see ``kernels/softmax.py``).
nll_loss takes its class indices (and its class weights) as constants: they get no gradient, as in PyTorch.
"""

from typing import Any, ClassVar

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim
from .jvp import linear_jvp
from .registry import Op, Promotion, register


class _Softmax(Op):
    """softmax or (``log``) log_softmax along ``dim``, from the max-shifted input, so large inputs cannot overflow."""

    log = False
    promotion = Promotion.NONE

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int) -> np.ndarray:
        axis = normalize_dim(dim, x.ndim)
        name = "log_softmax" if cls.log else "softmax"
        if x.size:  # PyTorch returns an empty input (of any dtype) before choosing a kernel
            kernel = f"{name}_lastdim_kernel_impl" if axis >= x.ndim - 1 else f"{name}_kernel_impl"
            errors.check_floating_kernel(kernel, x.dtype)
        result = K.softmax(x, axis, cls.log)
        ctx.axis = axis
        ctx.save(result=result)
        return result

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.softmax_backward(grad, ctx.saved["result"], ctx.axis, cls.log),)

    @classmethod
    def jvp(cls, ctx: Any, dx: np.ndarray) -> np.ndarray:
        """Softmax's Jacobian is symmetric: its jvp is its backward. log_softmax's: dx - sum(softmax(x) dx)."""
        y = ctx.output
        if not cls.log:
            return K.softmax_backward(dx, y, ctx.axis, False)
        if not dx.ndim:  # one element: log_softmax is 0, and so is its tangent
            return K.zeros(dx.shape, dx.dtype)
        return K.sub(dx, np.expand_dims(K.sum(K.mul(K.exp(y), dx), (ctx.axis,)), ctx.axis))


@register
class Softmax(_Softmax):
    """y_i = exp(x_i - m) / sum_j exp(x_j - m) along ``dim``, with m the max along ``dim``.

    Its Jacobian is dy_i/dx_j = y_i (delta_ij - y_j), so the vector-Jacobian product needs no matrix:
    dL/dx_j = sum_i g_i y_i (delta_ij - y_j) = y_j (g_j - sum_i g_i y_i).
    """

    torch = "torch.nn.functional.softmax"
    formulas = ("d(softmax)/dx = y * (grad - sum(grad * y, dim))",)
    jvp_formulas = ("d(softmax) = y * (dx - sum(dx * y, dim))",)


@register
class LogSoftmax(_Softmax):
    """y_i = x_i - m - log(sum_j exp(x_j - m)) along ``dim``, with m the max along ``dim``.

    dy_i/dx_j = delta_ij - softmax(x)_j, so dL/dx_j = g_j - exp(y_j) * sum_i g_i.
    """

    torch = "torch.nn.functional.log_softmax"
    formulas = ("d(log_softmax)/dx = grad - exp(y) * sum(grad, dim)",)
    jvp_formulas = ("d(log_softmax) = dx - sum(exp(y) * dx, dim)",)
    log = True


@register
class NllLoss(Op):
    """Negative log-likelihood of log-probabilities x at class indices t: l_n = -weight[t_n] * x[n, t_n].

    Input (C) with a 0-d or 1-element target, (N, C) with target (N), or (N, C, H, W) with target (N, H, W)
    (``nn.functional.nll_loss`` brings other shapes to that one). Positions whose target is ``ignore_index``
    give 0 and weigh nothing. 'mean' divides the sum by the sum of the kept positions' weights (their count
    without ``weight``), 'sum' adds them up, 'none' returns each (a 1-D input gives the one loss).
    """

    torch = "torch.nn.functional.nll_loss"
    formulas = ("d(nll)/dx[n, c] = -weight[c] * grad / W where c = t_n (W: the weights' sum for 'mean', else 1), "
                "else 0",)
    jvp_formulas = ("d(nll) = nll(dx): linear in x",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, target: np.ndarray, weight: np.ndarray | None = None,
                     ignore_index: int = -100, reduction: str = "mean") -> str:
        return "NllLoss2DBackward0" if x.ndim == 4 else "NllLossBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, target: np.ndarray, weight: np.ndarray | None = None,
                ignore_index: int = -100, reduction: str = "mean") -> np.ndarray:
        spatial = x.ndim == 4
        errors.check_floating_kernel("nll_loss2d_forward_out_frame" if spatial else "nll_loss_out_frame", x.dtype)
        if weight is not None and weight.dtype != x.dtype:
            raise errors.expected_scalar_type(x.dtype, weight.dtype)
        if spatial and target.dtype != np.int64:
            raise errors.expected_scalar_type(np.dtype(np.int64), target.dtype)
        rows = x.shape[0] if x.ndim > 1 else 1
        shape = (rows, x.shape[-1] if x.ndim < 3 else x.shape[1], x.shape[2] * x.shape[3] if spatial else 1)
        x = x if x.flags.c_contiguous else K.copy(x)
        target = K.cast(target, np.int64).reshape(rows, shape[2])
        reduce = reduction != "none" or x.ndim == 1
        losses, total_weight = K.nll_loss(x.reshape(shape), target, weight, ignore_index, reduce)
        ctx.shape, ctx.input_shape, ctx.ignore_index = shape, x.shape, ignore_index
        ctx.mean = reduction == "mean"
        ctx.save(target=target, weight=weight, total_weight=total_weight)
        if not reduce:
            return losses.reshape(rows, *x.shape[2:])
        return K.div(losses, total_weight) if ctx.mean else losses

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        saved = ctx.saved
        total_weight = saved["total_weight"] if ctx.mean else None
        grad_x = K.nll_loss_backward(grad, saved["target"], saved["weight"], ctx.ignore_index, ctx.shape, total_weight)
        return (grad_x.reshape(ctx.input_shape),)


@register
class LeakyRelu(Op):
    """x where x > 0, else negative_slope * x."""

    torch = "torch.nn.functional.leaky_relu"
    formulas = ("d(leaky_relu)/dx = grad where x > 0, else negative_slope * grad",)
    backward_function: ClassVar[tuple[str, str]] = ("leaky_relu_backward", "x")
    promotion = Promotion.NONE

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        errors.check_floating_kernel("leaky_relu_cpu", dtypes[0])

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
        errors.check_scalar(negative_slope, x.dtype)
        ctx.save(x=x)
        ctx.slope = negative_slope
        return _where_positive(x, x, negative_slope)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_where_positive(ctx.saved["x"], grad, ctx.slope),)


def _where_positive(x: np.ndarray, value: np.ndarray, slope: float) -> np.ndarray:
    """value where x > 0, else value * slope (slope rounded to the dtype first, as PyTorch's scalar)."""
    scaled = K.mul(value, K.scalar(slope, value.dtype))
    return K.where(K.gt(x, K.scalar(0, x.dtype)), value, scaled)


@register
class Softplus(Op):
    """log(1 + exp(beta x)) / beta, a smooth relu; x itself where beta x > threshold (they agree there)."""

    torch = "torch.nn.functional.softplus"
    formulas = ("d(softplus)/dx = grad * sigmoid(beta x), or grad where beta x > threshold",)
    promotion = Promotion.NONE

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        errors.check_floating_kernel("softplus_cpu", dtypes[0])

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
        ctx.save(x=x)
        ctx.beta, ctx.threshold = beta, threshold
        return K.softplus(x, beta, threshold)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.softplus_grad(ctx.saved["x"], grad, ctx.beta, ctx.threshold),)
