"""Gathering and scattering along a dim with an index tensor: ``gather`` and ``scatter``.

For an index tensor ``idx`` and dim 0 of a 2-D x: gather gives out[i][j] = x[idx[i][j]][j], and scatter
writes out[idx[i][j]][j] = src[i][j]. The flat positions these touch are index bookkeeping; the data moves
through the gather/put/scatter-add kernels.
"""

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim
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
