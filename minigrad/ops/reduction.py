"""Reductions: sum, mean, prod, var, std, max and min (over everything or along a dim), argmax, argmin; cumsum."""

import math
import warnings
from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim, normalize_dims
from .registry import Op, Promotion, register


def _expand_back(grad: np.ndarray, shape: tuple[int, ...], axes: tuple[int, ...]) -> np.ndarray:
    """The gradient of a reduction over ``axes`` (kept or not), copied back over every reduced element."""
    return K.expand(grad.reshape([1 if d in axes else n for d, n in enumerate(shape)]), shape)


def _reduction_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """PyTorch's reductions over everything take no keepdim: torch.sum(x), torch.sum(x, dim, keepdim)."""
    return inputs, params if "dim" in params else {}


@register
class Sum(Op):
    """The sum over ``dim`` (all elements when None); bools and integers sum to int64."""

    torch = "torch.sum"
    formulas = ("d(sum x)/dx_i = grad (copied to every summed element)",)
    promotion = Promotion.NONE

    torch_arguments = staticmethod(_reduction_arguments)

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                     keepdim: bool = False) -> str:
        return "SumBackward0" if dim is None else "SumBackward1"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                keepdim: bool = False) -> np.ndarray:
        axes = normalize_dims(dim, x.ndim)
        ctx.shape, ctx.axes = x.shape, axes
        out = K.sum(x, axes)
        return np.expand_dims(out, axes) if keepdim else out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_expand_back(grad, ctx.shape, ctx.axes),)


@register
class Mean(Op):
    """The mean over ``dim`` (all elements when None): the sum divided by the count, N."""

    torch = "torch.mean"
    formulas = ("d(mean x)/dx_i = grad / N",)
    promotion = Promotion.NONE

    torch_arguments = staticmethod(_reduction_arguments)

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                     keepdim: bool = False) -> str:
        return "MeanBackward0" if dim is None else "MeanBackward1"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                keepdim: bool = False) -> np.ndarray:
        if x.dtype.kind != "f":
            raise errors.mean_dtype(x.dtype)
        total = Sum.forward(ctx, x, dim, keepdim)
        ctx.count = math.prod([x.shape[a] for a in ctx.axes])
        return K.div(total, K.scalar(ctx.count, x.dtype))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        grad = K.div(grad, K.scalar(ctx.count, grad.dtype))
        return (_expand_back(grad, ctx.shape, ctx.axes),)


def _check_nonempty(op: type[Op], x: np.ndarray) -> None:
    """PyTorch's error for reducing an empty tensor without naming a dim."""
    if x.size == 0:
        raise errors.reduction_dim_needed(op.torch.split(".")[-1])


class _Extreme(Op):
    """The largest (or, for ``pick_min``, smallest) element; NaN counts as the largest and smallest."""

    pick_min = False
    promotion = Promotion.NONE

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray) -> np.ndarray:
        _check_nonempty(cls, x)
        value = K.extreme(x.reshape(-1), 0, cls.pick_min)[0]
        ctx.save(x=x, result=value)
        return value

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x, value = ctx.saved["x"], ctx.saved["result"]
        # Ties share the gradient evenly, as in PyTorch's evenly_distribute_backward.
        hit = K.ne(x, x) if value != value else K.eq(x, value)
        share = K.div(grad, K.scalar(K.sum(hit, tuple(range(hit.ndim))), grad.dtype))
        return (K.where(hit, share, K.scalar(0, grad.dtype)),)


@register
class Max(_Extreme):
    """The largest element of the whole tensor."""

    torch = "torch.max"
    formulas = ("d(max x)/dx_i = grad / k where x_i is one of the k maxima, else 0",)
    grad_fn = "MaxBackward1"


@register
class Min(_Extreme):
    """The smallest element of the whole tensor."""

    torch = "torch.min"
    formulas = ("d(min x)/dx_i = grad / k where x_i is one of the k minima, else 0",)
    pick_min = True
    grad_fn = "MinBackward1"


class _ExtremeDim(Op):
    """(values, indices) of the max (or min) along ``dim``; the index is the first occurrence."""

    pick_min = False
    promotion = Promotion.NONE

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int, keepdim: bool = False) -> tuple[np.ndarray, np.ndarray]:
        axis = normalize_dim(dim, x.ndim)
        if x.ndim and x.shape[axis] == 0:
            raise errors.reduction_dim_empty(cls.torch.split(".")[-1], axis)
        values, indices = K.extreme(x.reshape(1) if x.ndim == 0 else x, axis, cls.pick_min)
        if keepdim and x.ndim:
            values, indices = np.expand_dims(values, axis), np.expand_dims(indices, axis)
        ctx.shape, ctx.axis, ctx.keepdim = x.shape, axis, keepdim
        ctx.save(indices=indices)
        return values, indices

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        shape, axis = ctx.shape, ctx.axis
        if not shape:
            return (grad,)
        indices = ctx.saved["indices"]
        if not ctx.keepdim:
            indices, grad = np.expand_dims(indices, axis), np.expand_dims(grad, axis)
        positions = np.take_along_axis(K.positions(shape), indices, axis)
        return (K.scatter_add(grad, positions, shape),)


@register
class MaxDim(_ExtremeDim):
    """The max along ``dim``, with the index where each max sits."""

    torch = "torch.max"
    formulas = ("d(max(x, dim))/dx = grad at each max's index, 0 elsewhere",)
    grad_fn = "MaxBackward0"


@register
class MinDim(_ExtremeDim):
    """The min along ``dim``, with the index where each min sits."""

    torch = "torch.min"
    formulas = ("d(min(x, dim))/dx = grad at each min's index, 0 elsewhere",)
    pick_min = True
    grad_fn = "MinBackward0"


class _ArgExtreme(Op):
    """The index of the max (or min), in the flattened tensor when ``dim`` is None."""

    pick_min = False
    differentiable = False
    promotion = Promotion.NONE
    formulas = ("not differentiable (an index)",)

    @classmethod
    def check(cls, dtypes: list[np.dtype]) -> None:
        if dtypes[0] == np.bool_:
            raise errors.bool_input(cls.torch.split(".")[-1])

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int | None = None, keepdim: bool = False) -> np.ndarray:
        if dim is None:
            _check_nonempty(cls, x)
            index = K.extreme(x.reshape(-1), 0, cls.pick_min)[1]
            return index.reshape((1,) * x.ndim) if keepdim else index
        base = MinDim if cls.pick_min else MaxDim
        return base.forward(Context(), x, dim, keepdim)[1]


@register
class Argmax(_ArgExtreme):
    """Where the max is."""

    torch = "torch.argmax"


@register
class Argmin(_ArgExtreme):
    """Where the min is."""

    torch = "torch.argmin"
    pick_min = True


@register
class Prod(Op):
    """The product over ``dim`` (all elements when None); integers and bools multiply in int64."""

    torch = "torch.prod"
    formulas = ("d(prod x)/dx_i = grad * (the product of all x_j with j != i)",)
    promotion = Promotion.NONE

    torch_arguments = staticmethod(_reduction_arguments)

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, dim: int | None = None, keepdim: bool = False) -> str:
        return "ProdBackward0" if dim is None else "ProdBackward1"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | None = None, keepdim: bool = False) -> np.ndarray:
        axes = normalize_dims(dim, x.ndim)
        ctx.axes, ctx.keepdim, ctx.whole = axes, keepdim, dim is None
        out = K.prod(x, axes)
        out = np.expand_dims(out, axes) if keepdim else out
        ctx.save(x=x, result=out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        """PyTorch's prod_backward: grad * (result / x) when x has no zero at all (so an inf factor, or a product
        that overflowed, gives what that division gives); otherwise grad * (the product of the others), except
        that over the whole tensor two zeros or more give zeros outright."""
        x, result = ctx.saved["x"], ctx.saved["result"]
        if x.ndim == 0:
            return (grad,)
        if not ctx.keepdim:
            grad, result = np.expand_dims(grad, ctx.axes), np.expand_dims(result, ctx.axes)
        zeros = int(K.sum(K.eq(x, K.scalar(0, x.dtype)), tuple(range(x.ndim))))
        if zeros == 0:
            return (K.mul(grad, K.div(result, x)),)
        if ctx.whole and zeros > 1:
            return (np.zeros(x.shape, grad.dtype),)
        return (K.mul(grad, K.leave_one_out_products(x, ctx.axes)),)


def _correction(unbiased: bool | None, correction: float | None) -> float:
    """Bessel's correction from either spelling: ``unbiased=True`` is ``correction=1``."""
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


@register
class Var(Op):
    """The variance over ``dim``: sum((x - mean)^2) / (N - correction), as PyTorch's CPU kernels compute it.

    One output (everything reduced): the squared deviations from x's mean (in x's dtype) summed in float64;
    several: Welford's running mean and sum of squares, in float64 (exact 0 for constant rows, however large).
    Either is rounded once to x's dtype.
    """

    torch = "torch.var"
    formulas = ("d(var x)/dx_i = grad * 2 (x_i - mean) / (N - correction)",)
    promotion = Promotion.NONE
    take_sqrt = False

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                unbiased: bool | None = None, keepdim: bool = False, correction: float | None = None) -> np.ndarray:
        if x.dtype.kind != "f":
            raise errors.std_var_dtype()
        axes = normalize_dims(dim, x.ndim)
        count = math.prod([x.shape[a] for a in axes])
        ctx.correction = _correction(unbiased, correction)
        if count - ctx.correction <= 0:
            warnings.warn(errors.degrees_of_freedom_warning(), stacklevel=4)
        ctx.save(x=x)
        ctx.shape, ctx.axes, ctx.keepdim, ctx.count = x.shape, axes, keepdim, count
        ctx.whole = dim is None or x.ndim == 0  # backward's formula: PyTorch's var_backward without a dim
        outputs = math.prod([x.shape[d] for d in range(x.ndim) if d not in axes])
        mean = _mean(x, tuple(range(x.ndim)), x.size) if outputs == 1 else None
        out = K.variance(x, axes, ctx.correction, cls.take_sqrt, mean)
        return out.reshape([1 if d in axes else n for d, n in enumerate(x.shape) if keepdim or d not in axes])

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        """PyTorch's var_backward: (2 / (N - correction)) * grad * (x - x.mean(dim, keepdim=True)), in x's dtype;
        without a dim and N <= correction, grad * (NaN where x == its mean, else inf)."""
        x = ctx.saved["x"]
        axes = tuple(range(x.ndim)) if ctx.whole else ctx.axes
        count = x.size if ctx.whole else ctx.count
        mean = np.expand_dims(_mean(x, axes, count), axes)
        if not ctx.keepdim:
            grad = np.expand_dims(grad, axes)
        dof = count - ctx.correction
        if ctx.whole and dof <= 0:
            at_mean = K.eq(x, mean)
            return (K.mul(grad, K.where(at_mean, K.scalar(np.nan, x.dtype), K.scalar(np.inf, x.dtype))),)
        scale = 2.0 / dof if dof else np.inf  # in double, as PyTorch's SymFloat: 2 / 0 is inf, 2 / -1 is -2
        return (K.mul(K.mul(K.scalar(scale, x.dtype), grad), K.sub(x, mean)),)


def _mean(x: np.ndarray, axes: tuple[int, ...], count: int) -> np.ndarray:
    """x's mean over ``axes`` in x's dtype, as ``Mean`` computes it (the cascade sum, divided by the count)."""
    return K.div(K.sum(x, axes), K.scalar(count, x.dtype))


@register
class Std(Var):
    """The standard deviation over ``dim``: sqrt(var), the square root taken before rounding to x's dtype."""

    torch = "torch.std"
    formulas = ("d(std x)/dx_i = grad * (x_i - mean) / ((N - correction) std), 0 where std = 0",)
    take_sqrt = True

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                unbiased: bool | None = None, keepdim: bool = False, correction: float | None = None) -> np.ndarray:
        std = super().forward(ctx, x, dim, unbiased, keepdim, correction)
        ctx.save(std=std)
        return std

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        """PyTorch's std_backward: var_backward of (grad / (std * 2)), with 0 where std == 0."""
        std = ctx.saved["std"]
        grad_var = K.div(grad, K.mul(std, K.scalar(2, std.dtype)))
        grad_var = K.where(K.eq(std, K.scalar(0, std.dtype)), K.scalar(0, std.dtype), grad_var)
        return Var.backward(ctx, grad_var)


@register
class Cumsum(Op):
    """Running sums along ``dim``: y_i = x_0 + ... + x_i (integers and bools sum in int64)."""

    torch = "torch.cumsum"
    formulas = ("d(cumsum x)/dx_i = grad_i + grad_(i+1) + ... (the running sum of grad from the end)",)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.axis = normalize_dim(dim, x.ndim)
        dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.int64)
        if x.ndim == 0:  # PyTorch copies a 0-d input (keeping -0.0, which 0 + x would not)
            return K.copy(x, dtype)
        return K.cumsum(x, ctx.axis, dtype)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        if grad.size <= 1 or grad.shape[ctx.axis] == 1:  # PyTorch's cumsum_backward passes grad on as it is
            return (grad,)
        return (K.cumsum(grad, ctx.axis, grad.dtype, reverse=True),)
