"""Gathering and scattering along a dim with an index tensor: ``gather`` and ``scatter``.

For an index tensor ``idx`` and dim 0 of a 2-D x: gather gives out[i][j] = x[idx[i][j]][j], and scatter
writes out[idx[i][j]][j] = src[i][j]. The flat positions these touch are index bookkeeping; the data moves
through the gather/put/scatter-add kernels.
"""

import math
from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim
from .jvp import linear_jvp
from .registry import Op, Promotion, register


def _positions(index: np.ndarray, axis: int, shape: tuple[int, ...], name: str) -> np.ndarray:
    """The flat position in an array of ``shape`` that each element of ``index`` points at along ``axis``."""
    if index.dtype.kind not in "iu":
        raise errors.index_dtype(name)
    if index.ndim != len(shape):
        raise errors.index_dims()
    bad = (index < 0) | (index >= shape[axis])
    if bad.any():
        raise errors.index_out_of_bounds(int(index[bad].flat[0]), axis, shape[axis])
    coords = list(np.indices(index.shape, sparse=True))
    coords[axis] = index
    return np.ravel_multi_index(np.broadcast_arrays(*coords), shape) if index.size else np.zeros(index.shape, int)


def _nonempty(a: np.ndarray) -> np.ndarray:
    """A 0-d array as 1-d: PyTorch's gather and scatter treat a 0-d input or index as one element along dim 0."""
    return a.reshape(a.shape or (1,))


def _check_sizes(index: np.ndarray, axis: int, shape: tuple[int, ...], other: str) -> None:
    for d, (i, s) in enumerate(zip(index.shape, shape)):
        if d != axis and i > s:
            raise errors.index_size(d, index.shape, other, shape, axis)


@register
class Gather(Op):
    """out[i][j] = x[index[i][j]][j] (for dim 0): values picked along ``dim`` by an integer index tensor."""

    torch = "torch.gather"
    formulas = ("d(gather x)/dx = grad added back at the gathered positions (repeats add up)",)
    promotion = Promotion.NONE
    jvp_formulas = ("d(gather x) = gather dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
        axis = normalize_dim(dim, x.ndim)
        _check_sizes(_nonempty(index), axis, _nonempty(x).shape, "self")
        ctx.positions = _positions(_nonempty(index), axis, _nonempty(x).shape, "gather").reshape(index.shape)
        ctx.shape = x.shape
        return K.gather(x, ctx.positions)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.scatter_add(grad, ctx.positions, ctx.shape),)


def _is_tensor(ctx: Context, src: np.ndarray) -> bool:
    """Whether scatter's ``src`` is a tensor: a number (``value``) comes as a 0-d array that needs no gradient."""
    return bool(src.ndim or ctx.needs(1))


@register
class Scatter(Op):
    """A copy of x with x[index[i][j]][j] = src[i][j] (for dim 0), or = ``value`` everywhere index points."""

    torch = "torch.scatter"
    formulas = ("d(scatter)/dx = grad, 0 where overwritten", "d(scatter)/dsrc = grad gathered at the written positions")
    promotion = Promotion.NONE
    jvp_formulas = ("d(scatter(x, src)) = scatter(dx, dsrc)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, src: np.ndarray, dim: int, index: np.ndarray) -> str:
        return "ScatterBackward0" if _is_tensor(ctx, src) else "ScatterBackward1"  # src, or value

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, src: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
        axis = normalize_dim(dim, x.ndim)
        _check_sizes(_nonempty(index), axis, _nonempty(x).shape, "self")
        tensor_src = _is_tensor(ctx, src)
        if tensor_src:
            if src.dtype != x.dtype:
                raise errors.scatter_dtypes()
            _check_sizes(_nonempty(index), -1, _nonempty(src).shape, "src")
        ctx.targets = _positions(_nonempty(index), axis, _nonempty(x).shape, "scatter").reshape(index.shape)
        ctx.sources = (np.ravel_multi_index(np.indices(_nonempty(index).shape), _nonempty(src).shape).reshape(
            index.shape) if tensor_src else None)
        out = K.copy(x)
        values = K.gather(src, ctx.sources) if tensor_src else K.expand(K.cast(src, x.dtype), index.shape)
        K.put(out, ctx.targets, K.cast(values, x.dtype))
        ctx.src_shape = src.shape
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        grad_x = K.copy(grad)
        K.put(grad_x, ctx.targets, np.zeros(ctx.targets.shape, grad.dtype))
        if ctx.sources is None:
            return grad_x, None
        return grad_x, K.scatter_add(K.gather(grad, ctx.targets), ctx.sources, ctx.src_shape)


def _vector_index(index: np.ndarray, size: int, function: str) -> np.ndarray:
    """An index vector (a 0-d index as one element) checked against a dim of ``size``: PyTorch's errors."""
    if index.dtype not in (np.int32, np.int64):
        raise errors.index_select_dtype() if function == "index_select" else errors.index_dtype(function)
    if index.ndim > 1:
        raise errors.index_not_vector(function)
    index = index.reshape(-1)
    bad = (index < 0) | (index >= size)
    if bad.any():
        raise (errors.index_select_range() if function == "index_select" else
               errors.index_out_of_bounds(int(index[bad][0]), 0, size))
    return index


@register
class IndexSelect(Op):
    """out[..., i, ...] = x[..., index[i], ...]: whole slices of x along ``dim``, picked by an index vector."""

    torch = "torch.index_select"
    formulas = ("d(x.index_select(d, idx))/dx = zeros like x, with grad added at the slices idx (repeats add up)",)
    promotion = Promotion.NONE
    jvp_formulas = ("d(x.index_select(d, idx)) = dx.index_select(d, idx)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
        ctx.axis = normalize_dim(dim, x.ndim)
        ctx.index = _vector_index(index, _nonempty(x).shape[ctx.axis], "index_select")
        if x.ndim == 0 and ctx.index.size != 1:
            raise errors.index_select_scalar(ctx.index.size)
        ctx.shape = x.shape
        out = K.index_select(_nonempty(x), ctx.axis, ctx.index)
        return out.reshape(()) if x.ndim == 0 else out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        out = np.zeros(ctx.shape or (1,), grad.dtype)
        K.index_add(out, ctx.axis, ctx.index, _nonempty(grad))
        return (out.reshape(ctx.shape),)


@register
class Take(Op):
    """out[i...] = x.flatten()[index[i...]]: elements of x by flat position (negative counts from the end)."""

    torch = "torch.take"
    formulas = ("d(x.take(idx))/dx = zeros like x, with grad added at the flat positions idx (repeats add up)",)
    promotion = Promotion.NONE
    jvp_formulas = ("d(x.take(idx)) = dx.take(idx)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, index: np.ndarray) -> np.ndarray:
        if index.dtype != np.int64:
            raise errors.take_dtype(index.dtype)
        bad = (index < -x.size) | (index >= x.size)
        if bad.any():
            raise errors.take_range(int(index[bad].flat[0]), x.size)
        ctx.positions = np.where(index < 0, index + x.size, index)
        ctx.shape = x.shape
        return K.gather(x, ctx.positions)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.scatter_add(grad, ctx.positions, ctx.shape),)


@register
class MaskedSelect(Op):
    """The elements of x where ``mask`` (broadcast with x) is True, as a 1-D tensor in row-major order."""

    torch = "torch.masked_select"
    formulas = ("d(x.masked_select(m))/dx = zeros like x, with grad placed where m holds",)
    promotion = Promotion.NONE
    jvp_formulas = ("d(x.masked_select(m)) = dx.masked_select(m)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if mask.dtype != np.bool_:
            raise errors.masked_select_dtype()
        ctx.shape = K.broadcast_shapes(x.shape, mask.shape)
        ctx.positions = np.flatnonzero(np.broadcast_to(mask, ctx.shape))
        return K.gather(np.broadcast_to(x, ctx.shape), ctx.positions)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.scatter_add(grad, ctx.positions, ctx.shape),)  # the engine sums it back to x's shape


@register
class IndexAdd(Op):
    """A copy of x with out[..., index[i], ...] += alpha * source[..., i, ...] along ``dim``."""

    torch = "torch.index_add"
    formulas = ("d(index_add)/dx = grad", "d(index_add)/dsource = alpha * grad.index_select(dim, index)")
    promotion = Promotion.NONE
    jvp_formulas = ("d(index_add(x, source)) = index_add(dx, dsource)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, source: np.ndarray, dim: int, index: np.ndarray,
                alpha: float = 1) -> np.ndarray:
        ctx.axis = normalize_dim(dim, x.ndim)
        index = _vector_index(index, _nonempty(x).shape[ctx.axis], "index_add_")
        if source.dtype != x.dtype:
            raise errors.index_source_dtype("index_add_", x.dtype, source.dtype)
        # PyTorch's checks, in its order: a 0-d source counts as one slice, and its size(dim) (which PyTorch's
        # message asks for) is an IndexError; outside dim (but where either is 0-d), the shapes must be equal.
        if source.ndim and ctx.axis >= source.ndim:
            raise errors.index_source_dim("index_add_", ctx.axis, source.ndim)
        if source.ndim == 0 and index.size != 1:
            raise errors.unbind_0d()
        count = source.shape[ctx.axis] if source.ndim else 1
        if count != index.size:
            raise errors.index_source_count("index_add_", index.size, count, ctx.axis)
        x_rest, source_rest = list(x.shape), list(source.shape)
        if x.ndim and source.ndim:
            del x_rest[ctx.axis], source_rest[ctx.axis]
        if x_rest != source_rest:
            raise errors.index_source_shape(x.shape, source.shape)
        out = K.copy(_nonempty(x))
        ctx.index, ctx.alpha, ctx.source_shape = index, alpha, source.shape
        K.index_add(out, ctx.axis, index, _nonempty(source), alpha)
        return out.reshape(x.shape)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        picked = K.index_select(_nonempty(grad), ctx.axis, ctx.index)
        if ctx.alpha != 1:
            picked = K.mul(picked, K.scalar(ctx.alpha, grad.dtype))
        return grad, picked.reshape(ctx.source_shape)


@register
class ScatterAdd(Op):
    """A copy of x with out[index[i][j]][j] += src[i][j] (for dim 0): repeats add up."""

    torch = "torch.scatter_add"
    formulas = ("d(scatter_add)/dx = grad", "d(scatter_add)/dsrc = grad gathered at the positions index points at")
    promotion = Promotion.NONE
    jvp_formulas = ("d(scatter_add(x, src)) = scatter_add(dx, dsrc)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, src: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
        axis = normalize_dim(dim, x.ndim)
        _check_sizes(_nonempty(index), axis, _nonempty(x).shape, "self")
        _check_sizes(_nonempty(index), -1, _nonempty(src).shape, "src")
        if src.dtype != x.dtype:
            raise errors.scatter_dtypes()
        ctx.targets = _positions(_nonempty(index), axis, _nonempty(x).shape, "scatter").reshape(index.shape)
        ctx.sources = np.ravel_multi_index(np.indices(_nonempty(index).shape), _nonempty(src).shape).reshape(
            index.shape)
        ctx.src_shape = src.shape
        out = K.copy(x)
        K.add_at(out, ctx.targets, K.gather(src, ctx.sources))
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return grad, K.scatter_add(K.gather(grad, ctx.targets), ctx.sources, ctx.src_shape)


# ----- index_copy, index_fill, scatter_reduce -----------------------------------------------------------------------
def _index_positions(index: np.ndarray, axis: int, shape: tuple[int, ...]) -> np.ndarray:
    """The flat position in an array of ``shape`` that each element of ``index`` (same ndim, in range) points at along
    ``axis``."""
    coords = list(np.indices(index.shape, sparse=True))
    coords[axis] = index
    return np.ravel_multi_index(np.broadcast_arrays(*coords), shape) if index.size else np.zeros(index.shape, int)


def _check_empty_dim(x: np.ndarray, axis: int, count: int) -> None:
    """PyTorch's error for indices into a dim of size 0 (the other dims not): its kernel fails viewing the empty input
    with the index's size along ``axis``."""
    if count and x.ndim and x.shape[axis] == 0 and all(s for d, s in enumerate(x.shape) if d != axis):
        raise errors.index_fill_empty_dim(x.shape, axis, count, x.itemsize)


@register
class IndexCopy(Op):
    """A copy of x whose slices index[i] along ``dim`` are source's slices i: out[..., index[i], ...] =
    source[..., i, ...] (with a repeated index the last slice stays; PyTorch leaves that order unspecified)."""

    torch = "torch.index_copy"
    formulas = ("d(index_copy)/dx = grad, with the slices index names set to 0",
                "d(index_copy)/dsource = grad.index_select(dim, index)")
    promotion = Promotion.NONE
    jvp_formulas = ("d(index_copy(x, source)) = index_copy(dx, dsource)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return [inputs[0], params["dim"], params["index"], inputs[1]], {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, source: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
        axis = normalize_dim(dim, x.ndim)
        # PyTorch's checks, in its order: its meta function's, then its kernel's
        if index.ndim > 1:
            raise errors.index_copy_index_dims(index.ndim)
        if source.ndim == 0 and index.size != 1:
            raise errors.index_copy_scalar_source(index.size)
        if source.ndim != x.ndim and source.ndim and x.ndim:
            raise errors.index_copy_dims(source.ndim, x.ndim)
        if index.dtype != np.int64:
            raise errors.index_copy_index_dtype(index.dtype)
        if source.dtype != x.dtype:
            raise errors.index_copy_dtypes(x.dtype, source.dtype)
        x_slice = [s for d, s in enumerate(x.shape) if d != axis]
        source_slice = [s for d, s in enumerate(source.shape) if d != axis]
        if x_slice != source_slice:
            raise errors.index_copy_slices(x_slice, axis, source_slice)
        if source.ndim and index.size != source.shape[axis]:
            raise errors.index_copy_count(index.size, source.shape[axis])
        _check_empty_dim(x, axis, index.size)
        index = index.reshape(-1)
        size = _nonempty(x).shape[axis]
        bad = (index < 0) | (index >= size)
        if x.size and bad.any():
            raise errors.index_copy_range(int(index[bad][0]), axis, size)
        ctx.axis, ctx.index, ctx.shape, ctx.source_shape = axis, index, x.shape, source.shape
        out = K.copy(_nonempty(x))
        K.index_copy(out, axis, index, _nonempty(source))
        return out.reshape(x.shape)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        grad_x = K.copy(_nonempty(grad))
        K.index_fill(grad_x, ctx.axis, ctx.index, K.scalar(0, grad.dtype))
        if not ctx.needs(1):
            return grad_x.reshape(ctx.shape), None
        if not ctx.shape and ctx.index.size != 1:  # PyTorch's index_select of the 0-d gradient refuses this
            raise errors.index_select_scalar(ctx.index.size)
        grad_source = K.index_select(_nonempty(grad), ctx.axis, ctx.index)
        return grad_x.reshape(ctx.shape), grad_source.reshape(ctx.source_shape)


def _check_index_select(shape: tuple[int, ...], axis: int, index: np.ndarray) -> None:
    """PyTorch's CPU index_select errors for an ``index`` (which may hold negative values) along ``axis`` of a tensor
    of ``shape``, by its code path: a 0-d tensor takes one index; along dim 1 of a tensor of more dims, or in an empty
    one, a fast path words its error otherwise (and refuses any index into a dim of size 0)."""
    bad = (index < 0) | (index >= (shape[axis] if shape else 1))
    if not shape:
        if index.size != 1:
            raise errors.index_select_scalar(index.size)
    elif len(shape) > 1 and index.size:
        if not math.prod(shape) and not shape[axis]:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        if (axis == 1 or not math.prod(shape)) and bad.any():
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={int(index[bad][0])} "
                               f"axis_dim={shape[axis]}")
    if bad.any():
        raise errors.index_select_range()


@register
class IndexFill(Op):
    """A copy of x whose slices index[i] along ``dim`` hold ``value`` everywhere (a number, or a 0-d tensor; a
    negative index counts from the end)."""

    torch = "torch.index_fill"
    formulas = ("d(index_fill)/dx = grad, with the filled slices set to 0",
                "d(index_fill)/dvalue = the sum of grad over the filled slices (each slice once)")
    promotion = Promotion.NONE

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, value: Any = None, dim: int = 0, index: Any = None) -> str:
        return "IndexFillBackward1" if isinstance(value, np.ndarray) else "IndexFillBackward0"  # a tensor, or a number

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        value = inputs[1] if len(inputs) > 1 else params["value"]
        return [inputs[0], params["dim"], params["index"], value], {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, value: Any = None, dim: int = 0, index: Any = None) -> np.ndarray:
        ctx.tensor_value = isinstance(value, np.ndarray)
        if ctx.tensor_value and value.ndim:
            raise errors.index_fill_value_dims(value.ndim)
        if index.dtype != np.int64:
            raise errors.index_fill_index_dtype()
        axis = normalize_dim(dim, x.ndim)
        if index.ndim > 1:
            raise errors.index_fill_index_dims()
        number = value.item() if ctx.tensor_value else value
        errors.check_scalar(number, x.dtype)
        _check_empty_dim(x, axis, index.size)
        index = index.reshape(-1)
        size = _nonempty(x).shape[axis]
        bad = (index < -size) | (index >= size)
        if x.size and bad.any():
            raise errors.index_fill_range(int(index[bad][0]), axis, size)
        ctx.axis, ctx.index, ctx.given, ctx.shape = axis, np.where(index < 0, index + size, index), index, x.shape
        out = K.copy(_nonempty(x))
        K.index_fill(out, axis, ctx.index, K.cast(value, x.dtype) if ctx.tensor_value else K.scalar(value, x.dtype))
        return out.reshape(x.shape)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        grad_x = K.copy(_nonempty(grad))
        K.index_fill(grad_x, ctx.axis, ctx.index, K.scalar(0, grad.dtype))
        if not ctx.tensor_value:
            return (grad_x.reshape(ctx.shape),)
        if not ctx.needs(1):
            return grad_x.reshape(ctx.shape), None
        # PyTorch selects the filled slices by the distinct indices as given: it refuses a negative one there, and
        # (the gradient being 0-d) other than one index for a 0-d x
        firsts, _, _ = K.unique_rows(ctx.given.reshape(-1, 1), "values")
        distinct = K.gather(ctx.given, firsts)
        _check_index_select(grad.shape, ctx.axis, distinct)
        picked = K.index_select(_nonempty(grad), ctx.axis, distinct)
        return grad_x.reshape(ctx.shape), K.sum(picked, tuple(range(picked.ndim)))


def _check_scatter_shapes(shape: tuple[int, ...], axis: int, index: tuple[int, ...], src: tuple[int, ...]) -> None:
    """PyTorch's shape checks of scatter_reduce, in its order (a 0-d tensor counts as one element along dim 0): the
    index has self's dims, is no larger than self outside ``axis`` and no larger than src in any dim, and has src's
    dims."""
    def size(s: tuple[int, ...], d: int) -> int:
        if s and d >= len(s):
            raise errors.dim_out_of_range(d, len(s))
        return s[d] if s else 1

    if max(len(shape), 1) != max(len(index), 1):
        raise errors.scatter_index_dims("self")
    dims = range(max(len(shape), 1))
    wrong = any(size(index, d) > size(shape, d) for d in dims if d != axis)
    wrong = wrong or any(size(index, d) > size(src, d) for d in dims)
    if max(len(src), 1) != max(len(index), 1):
        raise errors.scatter_index_dims("src")
    if wrong:
        raise errors.scatter_index_size(index, shape, axis, src)


@register
class ScatterReduce(Op):
    """A copy of x with src[i][j] reduced into out[index[i][j]][j] (for dim 0) by sum, prod, mean, amax or amin,
    with x's own value taking part (``include_self``) or not."""

    torch = "torch.scatter_reduce"
    formulas = ("d(scatter_reduce)/dx = sum: grad; prod: grad * result / x (0s handled apart); mean: grad / count; "
                "amax/amin: grad shared among the x and src values equal to the result; 0 where not include_self",
                "d(scatter_reduce)/dsrc = the same rule for src, gathered at the positions index points at")
    promotion = Promotion.NONE

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return ([inputs[0], params["dim"], params["index"], inputs[1], params["reduce"]],
                {"include_self": params.get("include_self", True)})

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, src: np.ndarray, dim: int, index: np.ndarray, reduce: str,
                include_self: bool = True) -> np.ndarray:
        axis = normalize_dim(dim, x.ndim)
        if index.size and index.dtype not in (np.int32, np.int64):
            raise errors.index_dtype("scatter")
        if src.dtype != x.dtype:
            raise errors.scatter_dtypes()
        if index.size:
            _check_scatter_shapes(x.shape, axis, index.shape, src.shape)
        if reduce not in (*K.SCATTER_REDUCTIONS, "max", "min"):
            raise errors.scatter_reduce_name(reduce)
        bool_mean = reduce == "mean" and x.dtype == np.bool_
        if bool_mean and include_self:  # the kernel refuses bools before it reads the index
            raise errors.not_implemented("scatter_gather_tensor_cpu_reduce_mean", x.dtype)
        bad = (index < 0) | (index >= _nonempty(x).shape[axis])
        if bad.any():
            raise errors.index_out_of_bounds(int(index[bad].flat[0]), axis, _nonempty(x).shape[axis])
        if bool_mean:
            raise errors.not_implemented("scatter_gather_tensor_cpu_reduce_mean", x.dtype)
        ctx.targets = _index_positions(_nonempty(index), axis, _nonempty(x).shape).reshape(index.shape)
        ctx.sources = (np.ravel_multi_index(np.indices(_nonempty(index).shape), _nonempty(src).shape).reshape(
            index.shape) if index.size else np.zeros(index.shape, np.int64))
        ctx.reduce, ctx.include_self, ctx.src_shape = reduce, include_self, src.shape
        out = K.copy(x)
        K.scatter_reduce(out, ctx.targets, K.gather(src, ctx.sources), reduce, include_self)
        ctx.save(x=x, src=src, result=out)
        return out

    jvp_formulas = ("sum, mean: scatter_reduce(dx, dsrc); amax, amin: the mean of the tangents of the values equal to "
                    "the result (x's where include_self); prod: not supported (PyTorch gives none)",)

    @classmethod
    def jvp(cls, ctx: Any, dx: np.ndarray | None, dsrc: np.ndarray | None) -> np.ndarray:
        if ctx.reduce in ("sum", "mean"):
            return linear_jvp(cls, ctx, dx, dsrc)
        if ctx.reduce == "prod":
            raise NotImplementedError("Trying to use forward AD with torch.scatter_reduce (ScatterReduce) that does "
                                      "not support it because it has not been implemented yet (reduce='prod')")
        x, src = ctx.inputs
        dx = K.zeros(x.shape, x.dtype) if dx is None else dx
        dsrc = K.zeros(src.shape, src.dtype) if dsrc is None else dsrc
        self_hit = K.cast(K.eq(x, ctx.output), x.dtype)
        if not ctx.include_self:
            K.put(self_hit, ctx.targets, np.zeros(ctx.targets.shape, x.dtype))
        src_hit = K.cast(K.eq(K.gather(src, ctx.sources), K.gather(ctx.output, ctx.targets)), x.dtype)
        count, total = K.copy(self_hit), K.mul(dx, self_hit)
        K.add_at(count, ctx.targets, src_hit)
        K.add_at(total, ctx.targets, K.mul(K.gather(dsrc, ctx.sources), src_hit))
        return K.div(total, count)

    @staticmethod
    def refused_twice(ctx: Context) -> dict[int, str]:
        """The gradients PyTorch's backward hands on through a DelayedError node, an error if differentiated again
        (see ``higher_order``): src's, for prod with two zeros of src or more reduced into one place."""
        if ctx.reduce != "prod" or not ctx.needs(1):
            return {}
        src = ctx.saved["src"]
        zeros = K.eq(K.gather(src, ctx.sources), K.scalar(0, src.dtype))
        hit = ctx.targets[zeros]
        if not hit.size or not (K.bincount(hit, None, int(hit.max()) + 1) > 1).any():
            return {}
        return {1: "scatter_reduce(): Double backward is unsupported for src when >1 zeros in src are scattered to "
                   "the same position in self"}

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """PyTorch's ``scatter_reduce_backward`` (FunctionsManual.cpp), step for step. ``gather(a)`` reads an array
        shaped like x where the index points; ``read(b)`` reads an array shaped like src (or src broadcast with the
        index, as PyTorch's comparisons of src with index-shaped values make it) at the index's own positions."""
        if ctx.reduce not in K.SCATTER_REDUCTIONS:
            raise errors.scatter_reduce_backward_name(ctx.reduce)
        x, src, result = ctx.saved["x"], ctx.saved["src"], ctx.saved["result"]
        targets, reduce, include_self = ctx.targets, ctx.reduce, ctx.include_self
        zero, one = K.scalar(0, grad.dtype), K.scalar(1, grad.dtype)

        def gather(a: np.ndarray) -> np.ndarray:
            return K.gather(a, targets)

        def read(b: np.ndarray) -> np.ndarray:
            return K.gather(b, ctx.sources if b.shape == src.shape else _reading_positions(targets.shape, b.shape))

        if reduce == "sum":
            grad_self, grad_src = K.copy(grad), gather(grad)
        elif reduce == "prod":  # x / src values of 0 are handled apart: the product of the others
            masked_self = K.where(K.eq(x, zero), one, x)
            masked_self_result = K.copy(masked_self)
            K.scatter_reduce(masked_self_result, targets, read(src), "prod", include_self)
            grad_self = K.div(K.mul(grad, masked_self_result), masked_self)
            src_zero = K.eq(src, zero)
            zeros_there = gather(K.scatter_add(read(K.cast(src_zero, grad.dtype)), targets, x.shape))
            single_zero = K.logical_and(src_zero, K.eq(zeros_there, one))
            masked_src_result = K.copy(x)
            K.scatter_reduce(masked_src_result, targets, read(K.where(single_zero, one, src)), "prod", include_self)
            grad_src = K.where(single_zero, gather(K.mul(grad, masked_src_result)),
                               K.div(gather(K.mul(grad, result)), K.where(src_zero, one, src)))
        elif reduce == "mean":
            count = K.expand(one if include_self else zero, x.shape)
            K.add_at(count, targets, K.expand(one, targets.shape))
            count = K.where(K.eq(count, zero), one, count)
            grad_self, grad_src = K.div(grad, count), K.div(gather(grad), gather(count))
        else:  # amax, amin: the gradient shared evenly among the values equal to the result (x's counted always)
            self_is_result = K.cast(K.eq(x, result), grad.dtype)
            src_is_result = K.cast(K.eq(src, gather(result)), grad.dtype)
            count = K.copy(self_is_result)
            K.add_at(count, targets, read(src_is_result))
            shared = K.div(grad, count)
            grad_self, grad_src = K.mul(self_is_result, shared), K.mul(src_is_result, gather(shared))
        if not include_self:
            K.put(grad_self, targets, K.expand(zero, targets.shape))
        if not ctx.needs(1):
            return grad_self, None
        if grad_src.shape != src.shape and not _expandable(src.shape, grad_src.shape):
            raise errors.invalid_gradient("ScatterReduceBackward0", 1, grad_src.shape, src.shape)
        return grad_self, grad_src  # (the engine sums a broadcast gradient back to src's shape)


def _reading_positions(index: tuple[int, ...], shape: tuple[int, ...]) -> np.ndarray:
    """The flat position, in an array of ``shape``, of each position of an index of shape ``index``."""
    if not math.prod(index):
        return np.zeros(index, np.int64)
    return np.ravel_multi_index(np.indices(index or (1,)), shape or (1,)).reshape(index)


def _expandable(shape: tuple[int, ...], to: tuple[int, ...]) -> bool:
    """Whether ``shape`` broadcasts to ``to`` (PyTorch's is_expandable_to)."""
    return len(shape) <= len(to) and all(s in (1, t) for s, t in zip(reversed(shape), reversed(to)))


@register
class MaskedScatter(Op):
    """A copy of x (broadcast with the bool ``mask``) with the source's elements, in order, where mask is True."""

    torch = "torch.masked_scatter"
    formulas = ("d(masked_scatter)/dx = grad where mask is False, else 0",
                "d(masked_scatter)/dsource = grad where mask is True, in order, then 0s")
    promotion = Promotion.NONE

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return [inputs[0], params["mask"], inputs[1]], {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, source: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if mask.dtype != np.bool_:
            raise errors.masked_scatter_mask(mask.dtype)
        if source.dtype != x.dtype:
            raise errors.masked_scatter_dtypes(x.dtype, source.dtype)
        mask = K.expand(mask, K.broadcast_shapes(x.shape, mask.shape))  # (x broadcasts with it too)
        if source.size < int(K.sum(K.cast(mask, np.dtype(np.int64)), tuple(range(mask.ndim)))):
            raise errors.masked_scatter_source()
        ctx.mask, ctx.source_shape = mask, source.shape
        return K.masked_scatter(x, mask, source)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mask = ctx.mask
        return K.where(mask, K.scalar(0, grad.dtype), grad), K.masked_gather(grad, mask, ctx.source_shape)
