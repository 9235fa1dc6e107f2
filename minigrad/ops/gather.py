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
