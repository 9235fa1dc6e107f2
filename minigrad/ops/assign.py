"""Writing values into a tensor: ``copy_``, ``fill_``, ``zero_`` and ``index_put_`` (what ``x[key] = v`` runs).

Each is an op like the others: its forward computes the tensor's new values (``Tensor._inplace`` writes them in
place), its backward says that the overwritten values get no gradient and the written ones pass theirs back.
"""

from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .registry import Op, Promotion, register
from .shape import _source_positions


@register
class Copy(Op):
    """dst.copy_(src): src broadcast to dst's shape, in dst's dtype; dst's old values are gone."""

    torch = "torch.Tensor.copy_"
    grad_fn = "CopyBackwards"
    formulas = ("d(dst.copy_(src))/d(dst) = 0 (overwritten)",
                "d(dst.copy_(src))/d(src) = grad, summed over the dims src was broadcast along, in src's dtype")
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, dst: np.ndarray, src: np.ndarray) -> np.ndarray:
        shape = K.broadcast_shapes(dst.shape, src.shape)
        if shape != dst.shape:
            raise errors.output_shape_mismatch(dst.shape, shape)
        ctx.src_dtype = src.dtype
        return K.copy(K.expand(src, dst.shape), dst.dtype)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # src's gradient in src's dtype before the broadcast dims are summed (PyTorch's order: a float64 src of a
        # float32 copy sums in float64)
        return K.zeros(grad.shape, grad.dtype), K.cast(grad, ctx.src_dtype)


@register
class Fill(Op):
    """x.fill_(value): every element becomes ``value`` (``zero_``: 0)."""

    torch = "torch.Tensor.fill_"
    formulas = ("d(x.fill_(value))/dx = 0 (overwritten)",)
    promotion = Promotion.NONE

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, value: Any, zero: bool = False) -> str:
        return "ZeroBackward0" if zero else "FillBackward2"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, value: Any, zero: bool = False) -> np.ndarray:
        return K.copy(K.expand(K.scalar(value, x.dtype), x.shape))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.zeros(grad.shape, grad.dtype),)


@register
class IndexPut(Op):
    """x.index_put(key, values, accumulate): x with ``values`` (broadcast to the shape of x[key]) written at the
    positions x[key] reads, or added there when ``accumulate`` (repeated positions: the last write wins, or all
    add up)."""

    torch = "torch.index_put"
    formulas = ("d(x.index_put(key, v))/dx = grad, zero at the written positions (all of grad when accumulating)",
                "d(x.index_put(key, v))/dv = grad[key], summed over the dims v was broadcast along")
    promotion = Promotion.NONE

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        x, values = inputs
        return [x, params["key"], values], {"accumulate": params.get("accumulate", False)}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, values: np.ndarray, key: tuple[Any, ...],
                accumulate: bool = False) -> np.ndarray:
        if values.dtype != x.dtype:
            raise errors.index_put_dtypes(x.dtype, values.dtype)
        positions = _source_positions(x.shape, key)
        fits = values.ndim <= positions.ndim and all(
            v in (1, n) for v, n in zip(values.shape[::-1], positions.shape[::-1]))
        if not fits:
            raise errors.index_put_shape(values.shape, positions.shape)
        out = K.copy(x)
        values = K.expand(values, positions.shape)
        if accumulate:
            K.add_at(out, positions, values)
        else:
            K.put(out, positions, values)
        ctx.positions, ctx.accumulate = positions, accumulate
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        grad_x = grad
        if not ctx.accumulate:
            grad_x = K.copy(grad)
            K.put(grad_x, ctx.positions, K.zeros(ctx.positions.shape, grad.dtype))
        return grad_x, K.gather(grad, ctx.positions)

