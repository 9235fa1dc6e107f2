"""Joining tensors: ``cat`` along an existing dim and ``stack`` along a new one.

Both take any number of tensors (promoted to one dtype); backward hands each input its slice of the
output's gradient.
"""

import itertools
from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim
from .jvp import linear_jvp
from .registry import Op, register


def _pieces(grad: np.ndarray, axis: int, sizes: list[int]) -> tuple[np.ndarray, ...]:
    """``grad`` cut along ``axis`` into consecutive pieces of the given sizes (views)."""
    index = [slice(None)] * grad.ndim
    pieces = []
    for start, stop in itertools.pairwise(itertools.accumulate(sizes, initial=0)):
        index[axis] = slice(start, stop)
        pieces.append(grad[tuple(index)])
    return tuple(pieces)


def _as_one_list(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """cat and stack take their tensors as one list."""
    return [inputs], params


@register
class Cat(Op):
    """The tensors joined end to end along ``dim``; all other dims must match."""

    torch = "torch.cat"
    formulas = ("d(cat)/dx_k = the slice of grad where x_k was placed",)

    torch_arguments = staticmethod(_as_one_list)
    jvp_formulas = ("d(cat(xs)) = cat(dxs)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, *xs: np.ndarray, dim: int = 0) -> np.ndarray:
        for i, x in enumerate(xs):
            if x.ndim == 0:
                raise errors.cat_zero_dim(i)
        kept = [x for x in xs if x.shape != (0,)]  # PyTorch skips legacy empty 1-D tensors
        if not kept:  # only legacy empty tensors: an empty result, and empty gradients
            ctx.axis, ctx.sizes, ctx.skipped = 0, [0] * len(xs), [True] * len(xs)
            return K.copy(xs[0])
        first = kept[0]
        axis = normalize_dim(dim, first.ndim)
        for i, x in enumerate(xs):
            if x.shape == first.shape or x.shape == (0,):
                continue
            if x.ndim != first.ndim:
                raise errors.cat_dims_mismatch(first.ndim, x.ndim)
            for d in range(first.ndim):
                if d != axis and x.shape[d] != first.shape[d]:
                    raise errors.cat_size_mismatch(axis, first.shape[d], x.shape[d], i)
        ctx.axis = axis
        ctx.sizes = [x.shape[axis] if x.shape != (0,) else 0 for x in xs]
        ctx.skipped = [x.shape == (0,) for x in xs]
        shape = list(first.shape)
        shape[axis] = sum(ctx.sizes)
        out = np.empty(shape, first.dtype)
        K.concatenate(kept, axis, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        pieces = _pieces(grad, ctx.axis, ctx.sizes)
        return tuple(np.zeros(0, grad.dtype) if skipped else piece for piece, skipped in zip(pieces, ctx.skipped))


@register
class Stack(Op):
    """The tensors, all of one shape, stacked along a new dim ``dim``."""

    torch = "torch.stack"
    formulas = ("d(stack)/dx_k = grad[..., k, ...] (index k along the new dim)",)  # cat of the unsqueezed tensors

    torch_arguments = staticmethod(_as_one_list)
    jvp_formulas = ("d(stack(xs)) = stack(dxs)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, *xs: np.ndarray, dim: int = 0) -> np.ndarray:
        first = xs[0]
        for i, x in enumerate(xs):
            if x.shape != first.shape:
                raise errors.stack_size_mismatch(first.shape, x.shape, i)
        axis = normalize_dim(dim, first.ndim + 1)
        shape = (*first.shape[:axis], 1, *first.shape[axis:])
        return Cat.forward(ctx, *(x.reshape(shape) for x in xs), dim=axis)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(np.squeeze(piece, ctx.axis) for piece in Cat.backward(ctx, grad))
