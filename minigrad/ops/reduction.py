"""Reductions: sum, mean, prod, var, std, max and min (over everything or along a dim), argmax, argmin; cumsum."""

import warnings
from typing import Any

import numpy as np

from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim, normalize_dims
from .registry import Op, Promotion, c_type_name, register


def _expand_back(grad: np.ndarray, shape: tuple[int, ...], axes: tuple[int, ...], keepdim: bool) -> np.ndarray:
    """The gradient of a reduction over ``axes``, copied back over every reduced element."""
    if not keepdim:
        grad = np.expand_dims(grad, axes)
    return K.expand(grad, shape)


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
    def forward(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                keepdim: bool = False) -> np.ndarray:
        axes = normalize_dims(dim, x.ndim)
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        ctx.grad_fn_name = "SumBackward0" if dim is None else "SumBackward1"
        out = K.sum(x, axes)
        return np.expand_dims(out, axes) if keepdim else out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_expand_back(grad, ctx.shape, ctx.axes, ctx.keepdim),)


@register
class Mean(Op):
    """The mean over ``dim`` (all elements when None): the sum divided by the count, N."""

    torch = "torch.mean"
    formulas = ("d(mean x)/dx_i = grad / N",)
    promotion = Promotion.NONE

    torch_arguments = staticmethod(_reduction_arguments)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                keepdim: bool = False) -> np.ndarray:
        if x.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating point or "
                f"complex dtype. Got: {c_type_name(x.dtype)}"
            )
        total = Sum.forward(ctx, x, dim, keepdim)
        ctx.grad_fn_name = "MeanBackward0" if dim is None else "MeanBackward1"
        ctx.count = int(np.prod([x.shape[a] for a in ctx.axes]))
        return K.binary(K.DIV, total, K.scalar(ctx.count, x.dtype))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        grad = K.binary(K.DIV, grad, K.scalar(ctx.count, grad.dtype))
        return (_expand_back(grad, ctx.shape, ctx.axes, ctx.keepdim),)


def _check_nonempty(op: type[Op], x: np.ndarray) -> None:
    """PyTorch's error for reducing an empty tensor without naming a dim."""
    if x.size == 0:
        raise RuntimeError(
            f"{op.torch.split('.')[-1]}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument."
        )


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
        hit = K.compare(K.NE, x, x) if value != value else K.compare(K.EQ, x, value)
        share = K.binary(K.DIV, grad, K.scalar(K.sum(hit, tuple(range(hit.ndim))), grad.dtype))
        return (K.where(hit, share, K.scalar(0, grad.dtype)),)


@register
class Max(_Extreme):
    """The largest element of the whole tensor."""

    torch = "torch.max"
    formulas = ("d(max x)/dx_i = grad / k where x_i is one of the k maxima, else 0",)
    saves = ("x", "result")
    grad_fn = "MaxBackward1"


@register
class Min(_Extreme):
    """The smallest element of the whole tensor."""

    torch = "torch.min"
    formulas = ("d(min x)/dx_i = grad / k where x_i is one of the k minima, else 0",)
    saves = ("x", "result")
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
            raise IndexError(
                f"{cls.torch.split('.')[-1]}(): Expected reduction dim {axis} to have non-zero size."
            )
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
    saves = ("indices",)
    grad_fn = "MaxBackward0"


@register
class MinDim(_ExtremeDim):
    """The min along ``dim``, with the index where each min sits."""

    torch = "torch.min"
    formulas = ("d(min(x, dim))/dx = grad at each min's index, 0 elsewhere",)
    saves = ("indices",)
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
            raise RuntimeError(f"{cls.torch.split('.')[-1]}(): does not support bool input")

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
    saves = ("x",)
    promotion = Promotion.NONE

    torch_arguments = staticmethod(_reduction_arguments)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | None = None, keepdim: bool = False) -> np.ndarray:
        axes = normalize_dims(dim, x.ndim)
        ctx.save(x=x)
        ctx.axes, ctx.keepdim = axes, keepdim
        ctx.grad_fn_name = "ProdBackward0" if dim is None else "ProdBackward1"
        out = K.prod(x, axes)
        return np.expand_dims(out, axes) if keepdim else out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        others = K.leave_one_out_products(x, ctx.axes)
        return (K.binary(K.MUL, _expand_back(grad, x.shape, ctx.axes, ctx.keepdim), others),)


def _correction(unbiased: bool | None, correction: float | None) -> float:
    """Bessel's correction from either spelling: ``unbiased=True`` is ``correction=1``."""
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


@register
class Var(Op):
    """The variance over ``dim``: sum((x - mean)^2) / (N - correction), computed in float64, then rounded."""

    torch = "torch.var"
    formulas = ("d(var x)/dx_i = grad * 2 (x_i - mean) / (N - correction)",)
    saves = ("centred",)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None, unbiased: bool | None = None,
                keepdim: bool = False, correction: float | None = None) -> np.ndarray:
        if x.dtype.kind != "f":
            raise RuntimeError("std and var only support floating point and complex dtypes")
        axes = normalize_dims(dim, x.ndim)
        count = int(np.prod([x.shape[a] for a in axes]))
        divisor = count - _correction(unbiased, correction)
        if divisor <= 0:
            warnings.warn("var(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
                          "factor (input numel divided by output numel).", stacklevel=4)
        wide = K.cast(x, np.dtype(np.float64))
        mean = K.binary(K.DIV, np.expand_dims(K.sum(wide, axes), axes), K.scalar(count, wide.dtype))
        centred = K.binary(K.SUB, wide, mean)
        ctx.save(centred=centred)
        ctx.shape, ctx.axes, ctx.keepdim, ctx.divisor = x.shape, axes, keepdim, max(divisor, 0)
        squares = K.sum(K.binary(K.MUL, centred, centred), axes)
        out = K.cast(K.binary(K.DIV, squares, K.scalar(ctx.divisor, wide.dtype)), x.dtype)
        return np.expand_dims(out, axes) if keepdim else out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        centred = K.cast(ctx.saved["centred"], grad.dtype)
        scale = K.binary(K.DIV, centred, K.scalar(ctx.divisor / 2, grad.dtype))
        return (K.binary(K.MUL, _expand_back(grad, ctx.shape, ctx.axes, ctx.keepdim), scale),)


@register
class Std(Var):
    """The standard deviation over ``dim``: sqrt(var)."""

    torch = "torch.std"
    formulas = ("d(std x)/dx_i = grad * (x_i - mean) / ((N - correction) std)",)
    saves = ("centred", "std")

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None, unbiased: bool | None = None,
                keepdim: bool = False, correction: float | None = None) -> np.ndarray:
        std = K.unary(K.SQRT, Var.forward(ctx, x, dim, unbiased, keepdim, correction))
        ctx.save(std=std)
        return std

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        twice_std = K.binary(K.MUL, ctx.saved["std"], K.scalar(2, grad.dtype))
        return Var.backward(ctx, K.binary(K.DIV, grad, twice_std))


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
        return K.cumsum(x.reshape(x.shape or (1,)), ctx.axis, dtype).reshape(x.shape)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.cumsum(grad.reshape(grad.shape or (1,)), ctx.axis, grad.dtype, reverse=True).reshape(grad.shape),)
