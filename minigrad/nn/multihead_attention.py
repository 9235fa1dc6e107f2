"""Attention: ``F.scaled_dot_product_attention``, ``F.multi_head_attention_forward`` and ``nn.MultiheadAttention``.

All three are composed from tensor ops (matmul, softmax, where, dropout, linear), so their gradients are the
compositions' and nothing here has a backward of its own.

**Scaled dot-product attention**, for queries Q (..., L, E), keys K (..., S, E) and values V (..., S, Ev):

    A = softmax(Q Kᵀ · scale + M)  (over the last dim, S),    out = A V,    scale = 1/sqrt(E) unless given,

M an additive mask: 0 where a query may look at a key, −inf where it may not. PyTorch's math path (ATen's
``_scaled_dot_product_attention_math``) is what is written here, step for step: sqrt(scale) multiplies Q and Kᵀ
each before their product (for range, not Q Kᵀ · scale); a bool mask becomes 0 / −inf; ``is_causal`` is the
mask of the lower triangle (key j ≤ query i); the softmax is "safe": a row whose scores are all −inf (a query
that may look at nothing) gives weights 0 and output 0, not nan. On the CPU, PyTorch 2.13 runs a fused
flash-attention kernel instead whenever dropout is off; it blocks the sums differently, so it agrees with this
path (and with PyTorch's own math path) to float rounding, not bit for bit. With dropout it runs the math path.

**Multi-head attention** (PyTorch's ``multi_head_attention_forward``, followed line by line): project the
inputs, q = query W_qᵀ + b_q (likewise k, v; one packed (3E, E) ``in_proj_weight`` when the key and value sizes
are E), split E into ``num_heads`` heads of E/h, attend in each head as above (the masks ``attn_mask`` and
``key_padding_mask`` added into M, True meaning *masked out* there), concatenate the heads and project once more
by ``out_proj``. The weights returned are A, averaged over the heads unless ``average_attn_weights=False``.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from .. import errors, factories
from ..dtypes import bool as bool_
from ..dtypes import dtype as DType
from ..dtypes import float32
from ..functions import cat, where
from ..tensor import Tensor
from . import functional as F
from . import init
from .dropout import dropout
from .linear import Linear
from .module import Module
from .parameter import Parameter

_INF = float("inf")


# ----- scaled dot-product attention ----------------------------------------------------------------------------------
def _bool_to_additive(mask: Tensor, dtype: DType) -> Tensor:
    """A bool mask (True: may attend) as an additive one of ``dtype``: 0 where True, −inf where False."""
    return factories.zeros(tuple(mask.shape), dtype=dtype).masked_fill(mask.logical_not(), -_INF)


def _safe_softmax(scores: Tensor) -> Tensor:
    """softmax over the last dim, with 0 (and gradient 0) for a row that is all −inf (PyTorch's ``_safe_softmax``).

    The all-−inf rows are replaced by 0 before the softmax too, so that their (discarded) softmax is finite and
    sends back 0, not nan, to the scores."""
    empty = (scores == -_INF).all(-1, keepdim=True)
    return where(empty, 0.0, F.softmax(where(empty, 0.0, scores), -1))


def _check_sdpa(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None) -> None:
    """PyTorch's ``validate_sdpa_input``: one dtype, at least 2 dims, a bool, float32 or query-typed mask."""
    if not (query.dtype == key.dtype == value.dtype):
        raise errors.sdpa_dtypes(query.dtype, key.dtype, value.dtype)
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise errors.sdpa_dims(query.dim(), key.dim(), value.dim())
    if attn_mask is not None and attn_mask.dtype not in (bool_, float32, query.dtype):
        raise errors.sdpa_mask_dtype(attn_mask.dtype, query.dtype)


def _grouped(query: Tensor, key: Tensor, value: Tensor, enable_gqa: bool) -> tuple[Tensor, Tensor]:
    """Grouped-query attention: with ``enable_gqa``, each of key's and value's heads (dim −3) repeated to serve
    H_q / H_k consecutive query heads."""
    if not enable_gqa:
        return key, value
    heads, key_heads, value_heads = query.size(-3), key.size(-3), value.size(-3)
    if heads == key_heads == value_heads:
        return key, value
    if heads % key_heads or heads % value_heads:
        raise errors.sdpa_gqa_heads()
    return key.repeat_interleave(heads // key_heads, -3), value.repeat_interleave(heads // value_heads, -3)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(Q Kᵀ · scale + M) V over the last two dims, batched over the leading ones (see the module docstring).

    ``attn_mask``: bool (True: may attend) or additive float, broadcastable to (..., L, S). ``is_causal``: the
    lower-triangular mask (not with ``attn_mask``). ``dropout_p``: dropout on the weights, always applied (pass 0
    in eval mode). ``scale``: instead of 1/sqrt(E). ``enable_gqa``: key and value may have fewer heads (dim −3).
    """
    _check_sdpa(query, key, value, attn_mask)
    if attn_mask is not None and attn_mask.dtype == bool_:
        attn_mask = _bool_to_additive(attn_mask, query.dtype)
    softmax_scale = 1.0 / math.sqrt(query.size(-1)) if scale is None else scale
    root = math.sqrt(abs(softmax_scale))  # sqrt(scale) on each of Q and Kᵀ, its sign on Q
    query = query * (-root if softmax_scale < 0 else root)
    if is_causal:
        if attn_mask is not None:
            raise errors.sdpa_causal_with_mask()
        attn_mask = _bool_to_additive(factories.ones(query.size(-2), key.size(-2), dtype=bool_).tril(), query.dtype)
    key, value = _grouped(query, key, value, enable_gqa)
    scores = query.matmul(key.transpose(-2, -1) * root)
    if attn_mask is not None:
        scores = scores + attn_mask
    weights = _safe_softmax(scores)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, training=True)
    return weights.matmul(value)


# ----- multi-head attention, as a function ---------------------------------------------------------------------------
def _is_batched(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None,
                attn_mask: Tensor | None, num_heads: int) -> bool:
    """PyTorch's ``_mha_shape_check``: a 3-D (L, N, E) query is batched, a 2-D (L, E) one is not; the others
    must agree."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError("For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError("For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but "
                                 f"found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError("For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                                 f"found {attn_mask.dim()}-D tensor instead")
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError("For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError("For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but "
                                 f"found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError("For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                                     f"but found {attn_mask.dim()}-D tensor instead")
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.dim() == 3 and tuple(attn_mask.shape) != expected:
                raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
        return False
    raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D query "
                         "tensor")


def _canonical_mask(mask: Tensor | None, mask_name: str, other_type: DType | None, other_name: str,
                    target_type: DType, check_other: bool = True) -> Tensor | None:
    """A bool mask (True: masked out) as an additive one of ``target_type``: −inf where True, 0 elsewhere; a float
    mask as it is. Other dtypes fail; a mask whose dtype differs from the other mask's gets PyTorch's warning."""
    if mask is None:
        return None
    if mask.dtype != bool_ and not mask.is_floating_point():
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type for both "
                      "instead.", stacklevel=3)
    if not mask.is_floating_point():
        mask = factories.zeros(tuple(mask.shape), dtype=target_type).masked_fill(mask, -_INF)
    return mask


def _in_projection_packed(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | None) -> tuple[Tensor, ...]:
    """q Wqᵀ + bq, k Wkᵀ + bk, v Wvᵀ + bv with W = [Wq; Wk; Wv] packed (3E, E): one product for self-attention
    (q is k is v), two when k is v, else three (PyTorch's grouping, so the same graph and the same sums)."""
    embed = q.size(-1)
    if k is v:
        if q is k:
            proj = F.linear(q, w, b).unflatten(-1, (3, embed)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
            return proj[0], proj[1], proj[2]
        w_q, w_kv = w.split([embed, embed * 2])
        b_q, b_kv = (None, None) if b is None else b.split([embed, embed * 2])
        kv = F.linear(k, w_kv, b_kv).unflatten(-1, (2, embed)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
        return F.linear(q, w_q, b_q), kv[0], kv[1]
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return F.linear(q, w_q, b_q), F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)


def _in_projection(q: Tensor, k: Tensor, v: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor, b_q: Tensor | None,
                   b_k: Tensor | None, b_v: Tensor | None) -> tuple[Tensor, ...]:
    """Three separate projections (key and value sizes kdim, vdim), each to E, their weights' shapes checked."""
    eq, ek, ev = q.size(-1), k.size(-1), v.size(-1)
    for name, weight, size in (("query", w_q, eq), ("key", w_k, ek), ("value", w_v, ev)):
        if tuple(weight.shape) != (eq, size):
            raise AssertionError(f"expecting {name} weights shape of {(eq, size)}, but got {weight.shape}")
    for name, bias in (("query", b_q), ("key", b_k), ("value", b_v)):
        if bias is not None and tuple(bias.shape) != (eq,):
            raise AssertionError(f"expecting {name} bias shape of {(eq,)}, but got {bias.shape}")
    return F.linear(q, w_q, b_q), F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)


def multi_head_attention_forward(
        query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
        in_proj_weight: Tensor | None, in_proj_bias: Tensor | None, bias_k: Tensor | None, bias_v: Tensor | None,
        add_zero_attn: bool, dropout_p: float, out_proj_weight: Tensor, out_proj_bias: Tensor | None,
        training: bool = True, key_padding_mask: Tensor | None = None, need_weights: bool = True,
        attn_mask: Tensor | None = None, use_separate_proj_weight: bool = False, q_proj_weight: Tensor | None = None,
        k_proj_weight: Tensor | None = None, v_proj_weight: Tensor | None = None, static_k: Tensor | None = None,
        static_v: Tensor | None = None, average_attn_weights: bool = True, is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention of a (L, N, E) query (or (L, E), unbatched) over (S, N, ·) keys and values.

    out = concat_h(A_h V_h) W_oᵀ + b_o with A_h = softmax(Q_h K_hᵀ / sqrt(E/h) + M), Q_h, K_h, V_h the h-th slices
    of E/h columns of the projected inputs. M adds ``attn_mask`` ((L, S), or (N·h, L, S)) and ``key_padding_mask``
    ((N, S); bool True, or −inf: that key is padding). ``bias_k``/``bias_v`` append one learnt key and value,
    ``add_zero_attn`` one zero key and value. Returns (out (L, N, E), weights) with weights (N, L, S) averaged over
    the heads, (N, h, L, S) with ``average_attn_weights=False``, or None with ``need_weights=False`` (then the heads
    are attended by ``scaled_dot_product_attention``, which is also the only path that takes ``is_causal`` alone).
    """
    is_batched = _is_batched(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask",
                                       None if attn_mask is None else attn_mask.dtype, "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # scaled_dot_product_attention's is_causal stands for the mask
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                                 f"{value.shape[:2]}")
    elif key.shape != value.shape:
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")

    # the projections
    if not use_separate_proj_weight:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    else:
        for name, weight in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
            if weight is None:
                raise AssertionError(f"use_separate_proj_weight is True but {name}_proj_weight is None")
        b_q, b_k, b_v = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight, v_proj_weight, b_q, b_k, b_v)

    # the attention mask, as (1, L, S) or (N·h, L, S)
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(tgt_len, src_len)}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(bsz * num_heads, tgt_len, src_len)}.")
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")

    # a learnt extra key and value (bias_k, bias_v), which every query may attend to
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = cat([k, bias_k.repeat(1, bsz, 1)])
        v = cat([v, bias_v.repeat(1, bsz, 1)])
        if attn_mask is not None:
            attn_mask = F.pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = F.pad(key_padding_mask, (0, 1))
    elif bias_k is not None:
        raise AssertionError("bias_k is set but bias_v is None")
    elif bias_v is not None:
        raise AssertionError("bias_v is set but bias_k is None")

    # heads: (L, N, E) -> (N·h, L, E/h)
    q = q.view(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = _heads(k, static_k, "static_k", bsz * num_heads, head_dim)
    v = _heads(v, static_v, "static_v", bsz * num_heads, head_dim)

    # a zero key and value appended (add_zero_attn)
    if add_zero_attn:
        zeros = factories.zeros(bsz * num_heads, 1, head_dim, dtype=k.dtype)
        k = cat([k, zeros], dim=1)
        v = cat([v, factories.zeros(bsz * num_heads, 1, head_dim, dtype=v.dtype)], dim=1)
        if attn_mask is not None:
            attn_mask = F.pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = F.pad(key_padding_mask, (0, 1))
    src_len = k.size(1)

    # key_padding_mask merged into attn_mask: (N, S) -> (N·h, 1, S)
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got "
                                 f"{key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                                 f"{key_padding_mask.shape[1]}")
        key_padding_mask = (key_padding_mask.view(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1)
                            .reshape(bsz * num_heads, 1, src_len))
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0

    if need_weights:
        q_scaled = q * math.sqrt(1.0 / float(head_dim))
        if is_causal and attn_mask is None:
            raise AssertionError("FIXME: is_causal not implemented for need_weights")
        if attn_mask is not None:
            weights = attn_mask.baddbmm(q_scaled, k.transpose(-2, -1))
        else:
            weights = q_scaled.bmm(k.transpose(-2, -1))
        weights = F.softmax(weights, dim=-1)
        if dropout_p > 0.0:
            weights = dropout(weights, p=dropout_p)
        out = weights.bmm(v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = F.linear(out, out_proj_weight, out_proj_bias)
        out = out.view(tgt_len, bsz, out.size(1))
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not is_batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights

    if attn_mask is not None:
        if attn_mask.size(0) == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.view(bsz, num_heads, tgt_len, head_dim)
    k = k.view(bsz, num_heads, src_len, head_dim)
    v = v.view(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = F.linear(out, out_proj_weight, out_proj_bias)
    out = out.view(tgt_len, bsz, out.size(1))
    return (out if is_batched else out.squeeze(1)), None


def _heads(x: Tensor, static: Tensor | None, name: str, heads: int, head_dim: int) -> Tensor:
    """(S, N, E) keys or values as (N·h, S, E/h), or the given ``static_k``/``static_v`` (checked) instead."""
    if static is None:
        return x.view(x.shape[0], heads, head_dim).transpose(0, 1)
    if static.size(0) != heads:
        raise AssertionError(f"expecting {name}.size(0) of {heads}, but got {static.size(0)}")
    if static.size(2) != head_dim:
        raise AssertionError(f"expecting {name}.size(2) of {head_dim}, but got {static.size(2)}")
    return static


# ----- the module ----------------------------------------------------------------------------------------------------
class NonDynamicallyQuantizableLinear(Linear):
    """``Linear`` under the name PyTorch gives ``MultiheadAttention.out_proj`` (so the two print alike)."""


class MultiheadAttention(Module):
    """Multi-head attention (see ``multi_head_attention_forward``) with its projections as parameters.

    Parameters, as PyTorch's: ``in_proj_weight`` (3E, E) when kdim == vdim == E, else ``q_proj_weight`` (E, E),
    ``k_proj_weight`` (E, kdim), ``v_proj_weight`` (E, vdim); ``in_proj_bias`` (3E) with ``bias``; ``out_proj``, a
    Linear(E, E); ``bias_k``, ``bias_v`` (1, 1, E) with ``add_bias_kv``.

    Initialised as PyTorch does, drawing in its order: ``out_proj`` as a Linear (weight, then bias), then
    xavier_uniform_ on the input projections, then the biases set to 0 (out_proj's too), then xavier_normal_ on
    bias_k and bias_v.
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device: Any = None,
                 dtype: DType | None = None) -> None:
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                             f"num_heads={num_heads} instead")
        super().__init__()
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != self.embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")

        def empty(*shape: int) -> Parameter:
            return Parameter(factories.empty(*shape, dtype=dtype, device=device))

        if not self._qkv_same_embed_dim:
            self.q_proj_weight = empty(embed_dim, embed_dim)
            self.k_proj_weight = empty(embed_dim, self.kdim)
            self.v_proj_weight = empty(embed_dim, self.vdim)
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = empty(3 * embed_dim, embed_dim)
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        if bias:
            self.in_proj_bias = empty(3 * embed_dim)
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, device=device, dtype=dtype)
        if add_bias_kv:
            self.bias_k = empty(1, 1, embed_dim)
            self.bias_v = empty(1, 1, embed_dim)
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """PyTorch's draws, in its order (see the class docstring)."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.xavier_normal_(self.bias_v)

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None = None,
                need_weights: bool = True, attn_mask: Tensor | None = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        """(attn_output, attn_weights) of ``multi_head_attention_forward`` on this module's parameters; inputs
        (N, L, E) with ``batch_first`` (transposed to (L, N, E) and back), else (L, N, E), or (L, E) unbatched.

        PyTorch takes a fused "fast path" in eval mode under no_grad for batch-first self-attention; it computes the
        same function (to rounding), and minigrad always runs the composed one."""
        is_batched = query.dim() == 3
        key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask",
                                           None if attn_mask is None else attn_mask.dtype, "attn_mask", query.dtype)
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if self.batch_first and is_batched:  # keep "query is key is value": it picks the packed projection's path
            if key is value:
                if query is key:
                    query = key = value = query.transpose(1, 0)
                else:
                    query, key = (x.transpose(1, 0) for x in (query, key))
                    value = key
            else:
                query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        separate = not self._qkv_same_embed_dim
        out, weights = multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias, self.bias_k,
            self.bias_v, self.add_zero_attn, self.dropout, self.out_proj.weight, self.out_proj.bias,
            training=self.training, key_padding_mask=key_padding_mask, need_weights=need_weights,
            attn_mask=attn_mask, use_separate_proj_weight=separate,
            q_proj_weight=self.q_proj_weight if separate else None,
            k_proj_weight=self.k_proj_weight if separate else None,
            v_proj_weight=self.v_proj_weight if separate else None,
            average_attn_weights=average_attn_weights, is_causal=is_causal)
        if self.batch_first and is_batched:
            return out.transpose(1, 0), weights
        return out, weights
