"""Reductions: sum, mean, prod, var, std, max and min (over everything or along a dim), argmax, argmin; cumsum."""

import math
import warnings
from typing import Any, ClassVar

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim, normalize_dims
from .jvp import linear_jvp, reduction_jvp
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
    saved_names: ClassVar[dict[str, Any]] = {"self_sym_sizes": lambda ctx: ctx.shape}
    formulas = ("d(sum x)/dx_i = grad (copied to every summed element)",)
    jvp_formulas = ("d(sum x) = sum dx",)
    jvp = classmethod(linear_jvp)
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
        return out.reshape([1 if d in axes else n for d, n in enumerate(x.shape)]) if keepdim else out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_expand_back(grad, ctx.shape, ctx.axes),)


@register
class Mean(Op):
    """The mean over ``dim`` (all elements when None): the sum divided by the count, N."""

    torch = "torch.mean"
    saved_names: ClassVar[dict[str, Any]] = {"self_sym_sizes": lambda ctx: ctx.shape,
                                             "self_sym_numel": lambda ctx: math.prod(ctx.shape)}
    formulas = ("d(mean x)/dx_i = grad / N",)
    jvp_formulas = ("d(mean x) = mean dx",)
    jvp = classmethod(linear_jvp)
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
        return (K.scatter_add(grad, _picked_positions(shape, axis, indices), shape),)

    jvp_formulas = ("d(values) = dx at the returned indices",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        """The values are x's elements at the returned indices along ``ctx.axis``: their tangent is dx there."""
        values, indices = ctx.output
        if not ctx.shape:
            return dx
        if not ctx.keepdim:
            indices = np.expand_dims(indices, ctx.axis)
        return K.gather(dx, _picked_positions(ctx.shape, ctx.axis, indices)).reshape(values.shape)


def _picked_positions(shape: tuple[int, ...], axis: int, indices: np.ndarray) -> np.ndarray:
    """The flat (C order) positions in an array of ``shape`` of the elements ``indices`` picks along ``axis``."""
    coords = list(np.indices(indices.shape, sparse=True))  # each picked element's place: its index along axis
    coords[axis] = indices
    return sum(c * math.prod(shape[d + 1:]) for d, c in enumerate(coords))


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
    jvp_formulas = ("d(prod x) = sum_i (the product of all x_j with j != i) dx_i",)
    jvp = classmethod(reduction_jvp)
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
        that over the whole tensor two zeros or more give zeros outright, where grad mode is off: a create_graph
        pass (on tensors) takes the products of the others there too, zeros with a graph (NaN beside an inf)."""
        x, result = ctx.saved["x"], ctx.saved["result"]
        if x.ndim == 0:
            return (grad,)
        if not ctx.keepdim:
            grad, result = np.expand_dims(grad, ctx.axes), np.expand_dims(result, ctx.axes)
        zeros = int(K.sum(K.eq(x, K.scalar(0, x.dtype)), tuple(range(x.ndim))))
        if zeros == 0:
            return (K.mul(grad, K.div(result, x)),)
        if ctx.whole and zeros > 1 and isinstance(grad, np.ndarray):
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
    jvp_formulas = ("d(var x) = sum(2 (x - mean) dx) / (N - correction)",)
    jvp = classmethod(reduction_jvp)
    promotion = Promotion.NONE
    take_sqrt = False

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return inputs, {k: v for k, v in params.items() if k != "function"}

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                unbiased: bool | None = None, keepdim: bool = False, correction: float | None = None,
                function: str | None = None) -> np.ndarray:
        """(``function``: the PyTorch function the warning names, where not this op's: ``var_mean``, ``std_mean``.)"""
        if x.dtype.kind != "f":
            raise errors.std_var_dtype()
        axes = normalize_dims(dim, x.ndim)
        count = math.prod([x.shape[a] for a in axes])
        ctx.correction = _correction(unbiased, correction)
        if count - ctx.correction <= 0:
            warnings.warn(errors.degrees_of_freedom_warning(function or cls.torch.rsplit(".", 1)[1]),
                          stacklevel=errors.outside_minigrad())
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
        count = math.prod(x.shape) if ctx.whole else ctx.count
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
    jvp_formulas = ("d(std x) = sum((x - mean) dx) / ((N - correction) std)",)
    take_sqrt = True

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                unbiased: bool | None = None, keepdim: bool = False, correction: float | None = None,
                function: str | None = None) -> np.ndarray:
        std = super().forward(ctx, x, dim, unbiased, keepdim, correction, function)
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
    jvp_formulas = ("d(cumsum x) = cumsum dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.axis = normalize_dim(dim, x.ndim)
        dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.int64)
        if x.ndim == 0:  # PyTorch copies a 0-d input (keeping -0.0, which 0 + x would not)
            return K.copy(x, dtype)
        return K.cumsum(x, ctx.axis, dtype)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        if math.prod(grad.shape) <= 1 or grad.shape[ctx.axis] == 1:  # PyTorch's cumsum_backward passes grad on as it is
            return (grad,)
        return (K.cumsum(grad, ctx.axis, grad.dtype, reverse=True),)


def _select_backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
    """The gradient of values picked from x by index along ``ctx.axis`` (sort, topk, kthvalue, median, mode,
    cummax): each output's gradient added at the position its index names, zero elsewhere."""
    return _ExtremeDim.backward(ctx, grad)


class _ExtremeOver(Op):
    """The max (or min) over ``dim`` (all dims when empty), NaN winning; ties share the gradient evenly."""

    pick_min = False
    promotion = Promotion.NONE
    jvp_formulas = ("d(amax x) = the mean of dx over the maxima of each slice",)
    jvp = classmethod(reduction_jvp)

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] = (),
                keepdim: bool = False) -> np.ndarray:
        axes = normalize_dims(dim if dim != () else None, x.ndim)
        if dim == ():
            _check_nonempty(cls, x)
        for axis in axes:
            if x.shape[axis] == 0:
                raise errors.reduction_dim_empty(cls.torch.split(".")[-1], axis)
        out = K.extreme_over(x, axes, cls.pick_min)
        kept = np.expand_dims(out, axes)
        ctx.save(x=x, result=kept)
        ctx.keepdim, ctx.axes = keepdim, axes
        return kept if keepdim else out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        """PyTorch's amax/amin backward (scale_grad_by_count): (grad / the number of ties in its slice) * (x == result),
        a product, so a NaN result (no tie: 0 / 0) or a NaN or inf grad makes NaN across the slice."""
        x, kept = ctx.saved["x"], ctx.saved["result"]
        if not ctx.keepdim:
            grad = np.expand_dims(grad, ctx.axes)
        hit = K.eq(x, kept)
        share = K.div(grad, K.cast(K.sum(hit, ctx.axes).reshape(kept.shape), grad.dtype))
        return (K.mul(K.expand(share, x.shape), K.cast(hit, grad.dtype)),)


@register
class Amax(_ExtremeOver):
    """The max over ``dim``: values only, ties sharing the gradient (where ``max(dim)`` picks one index)."""

    torch = "torch.amax"
    formulas = ("d(amax x)/dx_i = grad / k where x_i is one of the k maxima of its slice, else 0",)


@register
class Amin(_ExtremeOver):
    """The min over ``dim``: values only, ties sharing the gradient."""

    torch = "torch.amin"
    formulas = ("d(amin x)/dx_i = grad / k where x_i is one of the k minima of its slice, else 0",)
    pick_min = True


@register
class Aminmax(Op):
    """(amin, amax) over ``dim`` (every dim when None) in one pass, as one node: each output's gradient goes back as
    amin's and amax's do (shared evenly among ties), and the two are added."""

    torch = "torch.aminmax"
    formulas = ("d(aminmax x)/dx_i = grad_min / k where x_i is one of the k minima of its slice "
                "+ grad_max / k' where x_i is one of the k' maxima",)
    promotion = Promotion.NONE
    differentiable_outputs = 2

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | None = None,
                keepdim: bool = False) -> tuple[np.ndarray, np.ndarray]:
        if dim is None:
            if x.size == 0:
                raise errors.aminmax_empty()
            axes = tuple(range(x.ndim))
        else:
            axes = (normalize_dim(dim, x.ndim),) if x.ndim else ()
            if axes and x.shape[axes[0]] == 0:
                raise errors.aminmax_dim_empty(axes[0])
        low, high = (np.expand_dims(K.extreme_over(x, axes, pick_min), axes) for pick_min in (True, False))
        ctx.save(x=x, min=low, max=high)
        ctx.keepdim, ctx.axes = keepdim, axes
        return (low, high) if keepdim else (low.reshape(np.squeeze(low, axes).shape),
                                            high.reshape(np.squeeze(high, axes).shape))

    @staticmethod
    def backward(ctx: Context, grad_min: np.ndarray | None, grad_max: np.ndarray | None) -> tuple[np.ndarray | None]:
        """PyTorch's: amin's backward of grad_min plus amax's of grad_max (either may be absent)."""
        x = ctx.saved["x"]
        parts = []
        for grad, kept in ((grad_min, ctx.saved["min"]), (grad_max, ctx.saved["max"])):
            if grad is not None:
                if not ctx.keepdim:
                    grad = grad.reshape(kept.shape)
                hit = K.eq(x, kept)
                share = K.div(grad, K.cast(K.sum(hit, ctx.axes).reshape(kept.shape), grad.dtype))
                parts.append(K.mul(K.expand(share, x.shape), K.cast(hit, grad.dtype)))
        return (parts[0] if len(parts) == 1 else K.add(*parts) if parts else None,)


@register
class Logsumexp(Op):
    """log(sum(exp(x))) over ``dim``, computed as m + log(sum(exp(x - m))) with m the max (0 where it is infinite),
    so large x does not overflow; integers become the default float."""

    torch = "torch.logsumexp"
    formulas = ("d(logsumexp x)/dx_i = grad * exp(x_i - logsumexp x) (the softmax of x)",)
    jvp_formulas = ("d(logsumexp x) = sum(exp(x - y) dx) / sum(exp(x - y)) (NaN over an empty slice, as PyTorch)",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        y = ctx.output
        weights = K.exp(K.sub(ctx.inputs[0], y if ctx.keepdim else np.expand_dims(y, ctx.axes)))
        return K.div(K.sum(K.mul(weights, dx), ctx.axes), K.sum(weights, ctx.axes)).reshape(y.shape)
    promotion = Promotion.FLOAT

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...], keepdim: bool = False) -> np.ndarray:
        axes = normalize_dims(dim, x.ndim) if dim != () else tuple(range(x.ndim))
        if x.size:
            m = np.expand_dims(K.extreme_over(x, axes, False), axes) if all(x.shape[a] for a in axes) else None
        if not x.size or m is None:
            m = np.zeros([1 if d in axes else n for d, n in enumerate(x.shape)], x.dtype)
        m = K.where(K.eq(K.abs(m), K.scalar(np.inf, x.dtype)), K.scalar(0, x.dtype), m)
        total = K.sum(K.exp(K.sub(x, m)), axes)
        out = K.add(K.log(total), m.reshape(total.shape))
        kept = out.reshape(m.shape)
        ctx.save(x=x, result=kept)
        ctx.keepdim, ctx.axes = keepdim, axes
        return kept if keepdim else out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x, kept = ctx.saved["x"], ctx.saved["result"]
        if not ctx.keepdim:
            grad = np.expand_dims(grad, ctx.axes)
        return (K.mul(grad, K.exp(K.sub(x, kept))),)


class _Ordered(Op):
    """(values, indices) taken from x sorted along ``dim``; the gradient goes back to where each value came from."""

    promotion = Promotion.NONE

    @staticmethod
    def _sorted(ctx: Context, x: np.ndarray, dim: int, descending: bool) -> tuple[np.ndarray, np.ndarray]:
        """x sorted stably along ``dim`` (0-d: as it is), remembering what backward needs."""
        ctx.axis, ctx.shape = normalize_dim(dim, x.ndim), x.shape
        if x.ndim == 0:
            return x.copy(), np.zeros((), np.int64)
        return K.sort(x, ctx.axis, descending)

    @staticmethod
    def _picked(ctx: Context, values: np.ndarray, indices: np.ndarray, where: int,
                keepdim: bool) -> tuple[np.ndarray, np.ndarray]:
        """The sorted element at position ``where`` along the dim (kept as size 1 when ``keepdim``)."""
        ctx.keepdim = keepdim
        if not ctx.shape:
            ctx.save(indices=indices)
            return values, indices
        values = np.take(values, [where], ctx.axis)
        indices = np.take(indices, [where], ctx.axis)
        if not keepdim:
            values, indices = values.squeeze(ctx.axis), indices.squeeze(ctx.axis)
        ctx.save(indices=indices)
        return values, indices

    backward = staticmethod(_select_backward)
    jvp, jvp_formulas = staticmethod(_ExtremeDim.jvp), _ExtremeDim.jvp_formulas


@register
class Sort(_Ordered):
    """x sorted along ``dim`` (ascending unless ``descending``; NaN counts as the largest), equal elements in
    their original order, with the index each value came from."""

    torch = "torch.sort"
    formulas = ("d(sort x)/dx_indices[i] = grad_i (the gradient goes back through the permutation)",)

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, dim: int = -1, descending: bool = False,
                     stable: bool | None = None) -> str:
        return "SortBackward0" if stable is None else "SortBackward1"  # PyTorch's sort(), sort(stable=)

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int = -1, descending: bool = False,
                stable: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
        values, indices = cls._sorted(ctx, x, dim, descending)
        ctx.keepdim = True
        ctx.save(indices=indices)
        return values, indices


@register
class Topk(_Ordered):
    """The ``k`` largest (smallest when not ``largest``) elements along ``dim``, largest first, with their indices."""

    torch = "torch.topk"
    formulas = ("d(topk x)/dx_indices[i] = grad_i, 0 for the elements not picked",)

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, k: int, dim: int = -1, largest: bool = True,
                sorted: bool = True) -> tuple[np.ndarray, np.ndarray]:  # noqa: A002  (PyTorch's name)
        size = x.shape[normalize_dim(dim, x.ndim)] if x.ndim else 1
        if not 0 <= k <= size:
            raise errors.topk_out_of_range()
        if x.dtype.kind == "b":
            raise RuntimeError("topk does not support bool dtypes on CPU")
        values, indices = cls._sorted(ctx, x, dim, largest)
        ctx.keepdim = True
        if x.ndim:
            values, indices = np.take(values, range(k), ctx.axis), np.take(indices, range(k), ctx.axis)
        ctx.save(indices=indices)
        return values, indices


@register
class Kthvalue(_Ordered):
    """The ``k``-th smallest element along ``dim`` (k counts from 1), with its index."""

    torch = "torch.kthvalue"
    formulas = ("d(kthvalue x)/dx_index = grad, 0 elsewhere",)

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, k: int, dim: int = -1,
                keepdim: bool = False) -> tuple[np.ndarray, np.ndarray]:
        axis = normalize_dim(dim, x.ndim)
        if x.ndim and x.shape[axis] == 0:
            raise errors.reduction_dim_empty("kthvalue", axis)
        if not 1 <= k <= (x.shape[axis] if x.ndim else 1):
            raise errors.kthvalue_out_of_range(axis)
        if x.ndim and x.dtype.kind == "b":
            raise errors.not_implemented("kthvalue_cpu", x.dtype)
        values, indices = cls._sorted(ctx, x, dim, False)
        return cls._picked(ctx, values, indices, k - 1, keepdim)


def _lower_median_position(sorted_values: np.ndarray, axis: int) -> int:
    """Where the lower median sits in values sorted along ``axis``: (n - 1) // 2."""
    return (sorted_values.shape[axis] - 1) // 2 if sorted_values.ndim else 0


@register
class MedianDim(_Ordered):
    """The lower median along ``dim`` (the ((n - 1) // 2)-th smallest; NaN if the slice has one), with its index."""

    torch = "torch.median"
    formulas = ("d(median(x, dim))/dx_index = grad, 0 elsewhere",)
    grad_fn = "MedianBackward1"

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int, keepdim: bool = False) -> tuple[np.ndarray, np.ndarray]:
        axis = normalize_dim(dim, x.ndim)
        if x.ndim and x.shape[axis] == 0:
            raise errors.reduction_dim_empty("median", axis)
        if x.dtype.kind == "b":
            raise errors.not_implemented("median_out", x.dtype)
        values, indices = cls._sorted(ctx, x, dim, False)
        return cls._picked(ctx, values, indices, _lower_median_position(values, ctx.axis), keepdim)


@register
class Median(_Extreme):
    """The lower median of all elements (the ((n - 1) // 2)-th smallest; NaN if there is one); ties share the
    gradient, as for max."""

    torch = "torch.median"
    formulas = ("d(median x)/dx_i = grad / k where x_i is one of the k elements equal to the median, else 0",)

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray) -> np.ndarray:
        flat = x.reshape(-1)
        if flat.size and x.dtype.kind == "b":
            raise errors.not_implemented("median_cpu", x.dtype)
        if not flat.size:
            value = np.array(np.nan, x.dtype) if x.dtype.kind == "f" else np.zeros((), x.dtype)
        else:
            ordered = K.sort(flat, 0)[0]
            value = ordered[-1] if ordered[-1] != ordered[-1] else ordered[_lower_median_position(ordered, 0)]
        value = np.asarray(value, x.dtype).reshape(())
        ctx.save(x=x, result=value)
        return value


@register
class ModeDim(Op):
    """The most frequent value along ``dim`` (the smallest of equally frequent ones) and the last index holding it."""

    torch = "torch.mode"
    formulas = ("d(mode x)/dx_index = grad, 0 elsewhere",)
    grad_fn = "ModeBackward0"
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int = -1, keepdim: bool = False) -> tuple[np.ndarray, np.ndarray]:
        axis = normalize_dim(dim, x.ndim)
        ctx.shape, ctx.axis, ctx.keepdim = x.shape, axis, keepdim
        if x.ndim == 0:
            ctx.save(indices=np.zeros((), np.int64))
            return x.copy(), np.zeros((), np.int64)
        if x.shape[axis] == 0:
            raise errors.reduction_dim_empty("mode", axis)
        values, indices = K.most_frequent(x, axis)
        if keepdim:
            values, indices = np.expand_dims(values, axis), np.expand_dims(indices, axis)
        ctx.save(indices=indices)
        return values, indices

    backward = staticmethod(_select_backward)
    jvp, jvp_formulas = staticmethod(_ExtremeDim.jvp), _ExtremeDim.jvp_formulas


@register
class Cumprod(Op):
    """Running products along ``dim``: y_i = x_0 * ... * x_i (integers and bools multiply in int64)."""

    torch = "torch.cumprod"
    formulas = ("d(cumprod x)/dx_j = sum over i >= j of grad_i * (x_0 * ... * x_i without x_j)",)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.axis = normalize_dim(dim, x.ndim)
        dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.int64)
        ctx.save(x=x)
        if x.ndim == 0:
            return K.copy(x, dtype)
        return K.cumprod(x, ctx.axis, dtype)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        if x.ndim == 0:
            return (grad,)
        return (K.cumprod_grad(x, grad, ctx.axis),)

    jvp_formulas = ("d(cumprod x)_i = sum over j <= i of dx_j * (x_0 * ... * x_i without x_j)",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        x = ctx.inputs[0]
        return dx if x.ndim == 0 else K.cumprod_jvp(x, dx, ctx.axis)


class _RunningExtreme(Op):
    """(values, indices) of the running max (or min) along ``dim``; each value's gradient goes to its index."""

    pick_min = False
    promotion = Promotion.NONE

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim: int) -> tuple[np.ndarray, np.ndarray]:
        ctx.axis, ctx.shape, ctx.keepdim = normalize_dim(dim, x.ndim), x.shape, True
        if x.ndim == 0:
            values, indices = x.copy(), np.zeros((), np.int64)
        else:
            values, indices = K.running_extreme(x, ctx.axis, cls.pick_min)
        ctx.save(indices=indices)
        return values, indices

    backward = staticmethod(_select_backward)
    jvp, jvp_formulas = staticmethod(_ExtremeDim.jvp), _ExtremeDim.jvp_formulas


@register
class Cummax(_RunningExtreme):
    """y_i = max(x_0, ..., x_i) and the latest index where it sits (NaN, once met, stays)."""

    torch = "torch.cummax"
    formulas = ("d(cummax x)/dx_j = the sum of grad_i over the i whose running max sits at j",)


@register
class Cummin(_RunningExtreme):
    """y_i = min(x_0, ..., x_i) and the latest index where it sits (NaN, once met, stays)."""

    torch = "torch.cummin"
    formulas = ("d(cummin x)/dx_j = the sum of grad_i over the i whose running min sits at j",)
    pick_min = True


@register
class Logcumsumexp(Op):
    """y_i = log(exp(x_0) + ... + exp(x_i)), each step a log-add-exp so that nothing overflows."""

    torch = "torch.logcumsumexp"
    formulas = ("d(logcumsumexp x)/dx_j = sum over i >= j of grad_i * exp(x_j - y_i)",)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.axis = normalize_dim(dim, x.ndim)
        if x.dtype.kind != "f":
            raise errors.not_implemented("logcumsumexp_out_cpu", x.dtype)
        out = K.copy(x, x.dtype) if x.ndim == 0 else K.logcumsumexp(x, ctx.axis)
        ctx.save(x=x, result=out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x, result = ctx.saved["x"], ctx.saved["result"]
        if x.ndim == 0:
            return (grad,)
        return (K.logcumsumexp_grad(x, result, grad, ctx.axis),)

    jvp_formulas = ("d(logcumsumexp x)_i = cumsum(exp(x - m) dx)_i / cumsum(exp(x - m))_i, m = max x (PyTorch's)",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        x, axis = ctx.inputs[0], ctx.axis
        if x.ndim == 0:
            return dx
        m = np.expand_dims(K.extreme_over(x, (axis,), False), axis) if x.size else K.zeros((), x.dtype)
        weights = K.exp(K.sub(x, K.where(K.eq(K.abs(m), K.scalar(np.inf, x.dtype)), K.scalar(0, x.dtype), m)))
        return K.div(Cumsum.forward(Context(), K.mul(weights, dx), axis), Cumsum.forward(Context(), weights, axis))


@register
class CountNonzero(Op):
    """How many elements over ``dim`` (all dims when None) are not zero, as int64."""

    torch = "torch.count_nonzero"
    formulas = ("not differentiable (a count)",)
    differentiable = False
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None) -> np.ndarray:
        return K.sum(K.ne(x, K.scalar(0, x.dtype)), normalize_dims(dim, x.ndim))


@register
class Nonzero(Op):
    """The coordinates of the nonzero elements, one row each, in memory (C) order: an int64 (count, ndim) tensor."""

    torch = "torch.nonzero"
    formulas = ("not differentiable (indices)",)
    differentiable = False
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        return K.nonzero(x)
