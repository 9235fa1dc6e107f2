"""Lookup tables: ``Embedding`` (one row per index) and ``EmbeddingBag`` (the sum, mean or max of a bag of rows).

``embedding`` is one op (``minigrad/ops/embedding.py``): its backward adds grad's rows into the rows the indices
named, skipping ``padding_idx`` and scaling by frequency on request. ``embedding_bag`` is composed from it: the rows
of all bags, weighted by ``per_sample_weights``, then reduced into their bags by ``index_add`` (sum, mean) or
``scatter_reduce(..., "amax")`` (max), so its gradient is the composition's. ``max_norm`` renormalises, in place and
before the lookup, each row it is about to read whose norm exceeds ``max_norm`` (PyTorch's ``embedding_renorm_``).

Initialised as PyTorch does: ``normal_()`` over the whole table, then the ``padding_idx`` row set to 0.
"""

from __future__ import annotations

from typing import Any

from .. import factories
from ..autograd.grad_mode import no_grad
from ..dtypes import dtype as DType
from ..dtypes import int32, int64
from ..ops import embedding as embedding_ops
from ..tensor import Tensor, apply
from . import init
from .module import Module
from .parameter import Parameter


def _padding_index(padding_idx: int | None, rows: int, message: str = "Padding_idx") -> int | None:
    """``padding_idx`` checked against a table of ``rows`` rows, a negative one counted from the end."""
    if padding_idx is None:
        return None
    if (padding_idx > 0 and padding_idx >= rows) or padding_idx < -rows:
        raise AssertionError(f"{message} must be within num_embeddings")
    return padding_idx + rows if padding_idx < 0 else padding_idx


def _renorm_(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    """PyTorch's ``embedding_renorm_``: each distinct row the indices name (in ascending order) whose
    ``norm_type``-norm exceeds ``max_norm`` is scaled in place by max_norm / (norm + 1e-7), outside the graph."""
    with no_grad():
        table = weight.detach()
        for row in sorted(set(input.reshape(-1).tolist())):
            norm = table[row].norm(norm_type).item()
            if norm > max_norm:
                table[row].mul_(max_norm / (norm + 1e-7))


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """The rows of ``weight`` (num_embeddings, embedding_dim) that the int64/int32 ``input`` names:
    out[i..., :] = weight[input[i...], :], of shape input.shape + (embedding_dim,).

    ``padding_idx``: that row gets no gradient. ``max_norm``: the rows read are first renormalised in place to
    norm at most ``max_norm``. ``scale_grad_by_freq``: each row's gradient is divided by how often it was read.
    """
    if padding_idx:  # (PyTorch reads weight.size(0) only for a nonzero padding_idx)
        padding_idx = _padding_index(padding_idx, weight.size(0))
    if sparse:
        raise NotImplementedError("minigrad has no sparse tensors: embedding(..., sparse=True) is not supported; "
                                  "leave sparse=False (the gradient is then a dense table, as PyTorch's is)")
    if max_norm is not None:
        input = input.contiguous()
        _renorm_(weight, input, max_norm, norm_type)
    return apply(embedding_ops.Embedding, weight, indices=input, padding_idx=padding_idx,
                 scale_grad_by_freq=scale_grad_by_freq)


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``, looked up by integer index.

    ``weight`` ~ N(0, 1), drawn as PyTorch draws it; the ``padding_idx`` row is 0 and receives no gradient.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight: Tensor | None = None, _freeze: bool = False, device: Any = None,
                 dtype: DType | None = None) -> None:
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = _padding_index(padding_idx, num_embeddings)
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        if _weight is None:
            self.weight = Parameter(factories.empty(num_embeddings, embedding_dim, dtype=dtype, device=device),
                                    requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight, requires_grad=not _freeze)
        self.sparse = sparse

    def reset_parameters(self) -> None:
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self) -> None:
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor) -> Tensor:
        return embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                         self.scale_grad_by_freq, self.sparse)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        if self.sparse is not False:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:
        """An Embedding whose table is ``embeddings`` (shared, not copied), frozen (no gradient) by default."""
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, _freeze=freeze,
                   padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


# ----- EmbeddingBag ---------------------------------------------------------------------------------------------
_MODES = {"sum": 0, "mean": 1, "max": 2}


def _type_name(value: Any) -> str:
    """``str(type(value))``, naming minigrad's tensor by its public path (as PyTorch's reads ``torch.Tensor``)."""
    return "<class 'minigrad.Tensor'>" if isinstance(value, Tensor) else str(type(value))


def _check_index_dtype(t: Tensor) -> None:
    if t.dtype not in (int64, int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {t.type() if t.dtype.scalar_name != 'Bool' else 'CPUBoolType'} "
                           "instead (while checking arguments for embedding_bag)")


def _bags(input: Tensor, offsets: Tensor, include_last_offset: bool, rows: int) -> list[int]:
    """The bag of each index (PyTorch's offset2bag), after PyTorch's checks of the offsets and the indices."""
    n = input.numel()
    starts = offsets.tolist()
    if starts and starts[0] != 0:
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                           f"position 0. However, got {starts[0]}\n[ minigrad.LongTensor{{}} ]")
    if starts and starts[-1] > n:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {n} but got offsets[-1] of "
                           f"{starts[-1]}")
    bag_count = max(0, len(starts) - 1) if include_last_offset else len(starts)
    ends = starts[1:] if include_last_offset else [*starts[1:], n]
    if any(end < start for start, end in zip(starts, ends)):
        raise RuntimeError("Expected i < index_size to be true, but got false.  (Could this error message be "
                           "improved?  If so, please report an enhancement request to PyTorch.)")
    for i, value in enumerate(input.tolist()):
        if not 0 <= value < rows:
            raise RuntimeError(f"Index {i} of input takes value {value} which is not in the valid range [0, {rows})")
    bag_of = []
    for bag in range(bag_count):
        bag_of += [bag] * (ends[bag] - starts[bag])
    return bag_of


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """For each bag of indices, the sum, mean or max of the rows of ``weight`` they name (an empty bag gives 0).

    A 2-D ``input`` is one bag per row; a 1-D one is cut into bags where ``offsets`` start them (with
    ``include_last_offset``, the last offset ends the last bag). ``per_sample_weights`` (mode "sum" only) scales
    each row before the sum; indices equal to ``padding_idx`` are left out (of the mean's count too).
    """
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it "
                         f"must have the same shape as the input ({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {_type_name(offsets)}")
        offsets = factories.arange(0, input.numel(), input.size(1), dtype=input.dtype)
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode not in _MODES:
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        _renorm_(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    _check_index_dtype(input)
    _check_index_dtype(offsets)
    if per_sample_weights is not None and per_sample_weights.dtype != weight.dtype:
        raise RuntimeError("Expected tensor for argument #1 'weight' to have the same type as tensor for argument "
                           f"#1 'per_sample_weights'; but type {weight.type()} does not equal "
                           f"{per_sample_weights.type()} (while checking arguments for embedding_bag)")
    rows = weight.size(0)
    padding_idx = _padding_index(padding_idx, rows, "padding_idx")
    bag_of = _bags(input, offsets, include_last_offset, rows)
    bag_count = max(0, offsets.numel() - 1) if include_last_offset else offsets.numel()
    kept = [i for i, value in enumerate(input.tolist()[:len(bag_of)]) if value != padding_idx]
    positions = factories.tensor(kept, dtype=int64)
    bags = factories.tensor([bag_of[i] for i in kept], dtype=int64)
    picked = embedding(input.index_select(0, positions), weight, scale_grad_by_freq=scale_grad_by_freq)
    if per_sample_weights is not None:
        picked = picked * per_sample_weights.index_select(0, positions).unsqueeze(1)
    out = factories.zeros(bag_count, weight.size(1), dtype=weight.dtype)
    if mode == "max":
        where = bags.unsqueeze(1).expand(-1, weight.size(1))
        return out.scatter_reduce(0, where, picked, "amax", include_self=False)
    out = out.index_add(0, bags, picked)
    if mode == "sum":
        return out
    counts = factories.zeros(bag_count, dtype=weight.dtype).index_add(0, bags, factories.ones(len(kept),
                                                                                              dtype=weight.dtype))
    return out / counts.clamp(min=1).unsqueeze(1)


class EmbeddingBag(Module):
    """Sums, means or maxima of bags of embeddings, without building the (indices, embedding_dim) lookup first
    (in PyTorch; minigrad builds it, and reduces it by bag)."""

    def __init__(self, num_embeddings: int, embedding_dim: int, max_norm: float | None = None,
                 norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                 _weight: Tensor | None = None, include_last_offset: bool = False, padding_idx: int | None = None,
                 device: Any = None, dtype: DType | None = None) -> None:
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.padding_idx = _padding_index(padding_idx, num_embeddings, "padding_idx")
        if _weight is None:
            self.weight = Parameter(factories.empty(num_embeddings, embedding_dim, dtype=dtype, device=device))
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight)
        self.mode = mode
        self.sparse = sparse
        self.include_last_offset = include_last_offset

    reset_parameters = Embedding.reset_parameters
    _fill_padding_idx_with_zero = Embedding._fill_padding_idx_with_zero

    def forward(self, input: Tensor, offsets: Tensor | None = None,
                per_sample_weights: Tensor | None = None) -> Tensor:
        return embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                             self.mode, self.sparse, per_sample_weights, self.include_last_offset, self.padding_idx)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings!r}, {self.embedding_dim!r}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm!r}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type!r}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq!r}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx!r}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                        sparse: bool = False, include_last_offset: bool = False,
                        padding_idx: int | None = None) -> EmbeddingBag:
        """An EmbeddingBag whose table is ``embeddings`` (shared), frozen (no gradient) by default."""
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        bag = cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, max_norm=max_norm,
                  norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq, mode=mode, sparse=sparse,
                  include_last_offset=include_last_offset, padding_idx=padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
