"""``embedding``: rows of a table picked by integer indices, the lookup behind ``nn.Embedding``.

Forward is ``weight.index_select(0, indices)`` reshaped to ``indices.shape + (embedding_dim,)``. It is an op of its
own rather than that composition for its backward, which PyTorch gives two options that index_select's lacks:
no gradient reaches the row ``padding_idx``, and ``scale_grad_by_freq`` divides each row's gradient by how often
the indices name it. The gradient is still index_select's (an index_add of grad's rows into a zero table, repeats
adding up in the order of the indices, as PyTorch's ``embedding_dense_backward_cpu`` adds them), restricted to the
other rows and scaled.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .gather import _check_index_select
from .jvp import linear_jvp
from .registry import Op, Promotion, register


@register
class Embedding(Op):
    """out[i..., :] = weight[indices[i...], :]: the rows of the 2-D table ``weight`` that ``indices`` name."""

    torch = "torch.nn.functional.embedding"
    formulas = ("d(embedding)/dweight = zeros like weight, with grad's rows added at the rows the indices name "
                "(repeats add up; none at padding_idx; each divided by its row's count with scale_grad_by_freq)",)
    promotion = Promotion.NONE
    jvp_formulas = ("d(embedding(idx, w)) = embedding(idx, dw)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return [params["indices"], inputs[0]], {"padding_idx": params.get("padding_idx"),
                                                "scale_grad_by_freq": params.get("scale_grad_by_freq", False)}

    @staticmethod
    def forward(ctx: Context, weight: np.ndarray, indices: np.ndarray, padding_idx: int | None = None,
                scale_grad_by_freq: bool = False) -> np.ndarray:
        if weight.ndim == 0 and ctx.needs(0):  # PyTorch's autograd reads weight.size(0) first, to save it
            raise errors.unbind_0d()
        if weight.ndim != 2:
            raise RuntimeError("'weight' must be 2-D")
        if indices.dtype not in (np.int64, np.int32):
            raise errors.embedding_indices_dtype(indices.dtype)
        flat = indices.reshape(-1)
        _check_index_select(weight.shape, 0, flat)  # PyTorch's lookup is weight.index_select(0, indices): its errors
        ctx.index, ctx.rows = flat.astype(np.int64), weight.shape[0]
        ctx.padding_idx, ctx.scale = padding_idx, scale_grad_by_freq
        return K.index_select(weight, 0, ctx.index).reshape(*indices.shape, weight.shape[1])

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        rows = grad.reshape(ctx.index.size, grad.shape[-1])
        out = np.zeros((ctx.rows, grad.shape[-1]), grad.dtype)
        keep = ctx.index != ctx.padding_idx if ctx.padding_idx is not None else np.ones(ctx.index.size, bool)
        if not ctx.scale:
            _add_rows(out, ctx.index, rows, keep)
            return (out,)
        # Every use of row k is scaled by 1/count(k), so the uses that share a count go in one index_add with that
        # alpha (each row's additions keep their order): grad_weight[k] = fma(grad[i], f32(1/count(k)), ...).
        counts = np.bincount(ctx.index, minlength=ctx.rows)[ctx.index]
        for count in np.unique(counts[keep]):
            _add_rows(out, ctx.index, rows, keep & (counts == count), 1.0 / count)
        return (out,)


def _add_rows(out: np.ndarray, index: np.ndarray, rows: np.ndarray, chosen: np.ndarray, alpha: float = 1.0) -> None:
    """out[index[i]] += alpha * rows[i] for the positions i where ``chosen`` holds, in order of i."""
    if chosen.all():
        K.index_add(out, 0, index, rows, alpha)
        return
    positions = np.flatnonzero(chosen)
    K.index_add(out, 0, index[positions], K.index_select(rows, 0, positions), alpha)
