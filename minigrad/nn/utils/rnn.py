"""``minigrad.nn.utils.rnn``: batches of sequences of different lengths, padded or packed, as ``torch.nn.utils.rnn``.

Padded: one (max_len, batch, *) tensor (``batch_first``: (batch, max_len, *)), the short sequences filled with
``padding_value``. Packed: a ``PackedSequence``, the sequences sorted longest first and interleaved step by step,
so that ``data[...]`` holds at step t the t-th element of each sequence still running, ``batch_sizes[t]`` of
them. A recurrent layer given a PackedSequence runs each step on those rows only, so padding never enters a
hidden state.

Every function here is composed from tensor ops (slicing, ``cat``, ``stack``, ``index_select``), so gradients flow
from a packed or padded result back to the sequences it was made of.
"""

from __future__ import annotations

import itertools
from collections import namedtuple
from collections.abc import Iterable
from typing import Any

from ... import factories
from ... import kernels as K
from ...dtypes import float32, float64, int32, int64, uint8
from ...functions import cat, stack
from ...tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pack_sequence", "pad_packed_sequence",
           "pad_sequence", "unpack_sequence", "unpad_sequence"]


def __dir__() -> list[str]:
    return __all__


_PackedSequenceBase = namedtuple("PackedSequence_", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])


class PackedSequence(_PackedSequenceBase):
    """(data, batch_sizes, sorted_indices, unsorted_indices): sequences packed step by step (see the module
    docstring). ``sorted_indices[i]`` is the sequence in row i of each step (None: already sorted) and
    ``unsorted_indices`` its inverse. Made by ``pack_padded_sequence`` and ``pack_sequence``, not by hand."""

    def __new__(cls, data: Tensor, batch_sizes: Tensor | None = None, sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> PackedSequence:
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:  # PackedSequence((data, batch_sizes))
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """The same packing with ``data`` converted (``.to(minigrad.float64)``); the indices stay as they are."""
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else type(self)(data, self.batch_sizes, self.sorted_indices,
                                                         self.unsorted_indices)

    def cpu(self) -> PackedSequence:
        return self

    def double(self) -> PackedSequence:
        return self.to(dtype=float64)

    def float(self) -> PackedSequence:
        return self.to(dtype=float32)

    def long(self) -> PackedSequence:
        return self.to(dtype=int64)

    def int(self) -> PackedSequence:
        return self.to(dtype=int32)

    def byte(self) -> PackedSequence:
        return self.to(dtype=uint8)

    @property
    def is_cuda(self) -> bool:
        return False

    def is_pinned(self) -> bool:
        return False


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The permutation q with q[p[i]] = i (None for None)."""
    if permutation is None:
        return None
    output = factories.empty_like(permutation)
    return output.scatter_(0, permutation, factories.arange(permutation.numel()))


def _check_lengths(lengths: Tensor, batch_size: int) -> list[int]:
    if lengths.dim() != 1:
        raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got {lengths.dim()}D cpu Long "
                           "tensor")
    if lengths.size(0) != batch_size:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {lengths.size(0)} "
                           f"(batch_size={batch_size})")
    values = lengths.tolist()
    if values[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that "
                           "is <= 0")
    if any(later > earlier for earlier, later in itertools.pairwise(values)):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You "
                           "can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
                           "sidestep this requirement if you do not need ONNX exportability.")
    return values


def pack_padded_sequence(input: Tensor, lengths: Tensor | list[int], batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch (max_len, batch, *) whose sequence b has ``lengths[b]`` real steps.

    With ``enforce_sorted`` the lengths must be in decreasing order; otherwise the batch is sorted first (stably,
    longest first) and ``sorted_indices`` records the order.
    """
    lengths = lengths.to(int64) if isinstance(lengths, Tensor) else factories.as_tensor(lengths, dtype=int64)
    sorted_indices = None
    if not enforce_sorted:
        lengths, sorted_indices = lengths.sort(descending=True, stable=True)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    steps = input.transpose(0, 1) if batch_first else input
    values = _check_lengths(lengths, steps.size(1))
    # Step t holds the sequences longer than t, the first batch_sizes[t] of them: cut the padded batch into
    # blocks of steps over which that count stays the same (PyTorch's _pack_padded_sequence).
    blocks, batch_sizes, done = [], [], 0
    for count in range(len(values), 0, -1):
        length = values[count - 1]
        if length > done:
            block = steps[done:length, :count]
            blocks.append(block.reshape(-1, *block.shape[2:]))
            batch_sizes += [count] * (length - done)
            done = length
    data = cat(blocks, 0)
    return PackedSequence(data, factories.tensor(batch_sizes, dtype=int64), sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """Undo ``pack_padded_sequence``: (padded batch, lengths), in the batch order given to the packing;
    ``total_length`` pads to that many steps."""
    batch_sizes = sequence.batch_sizes.tolist()
    max_seq_length = len(batch_sizes)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, but "
                             f"got total_length={total_length} and max sequence length being {max_seq_length}")
        max_seq_length = total_length
    data = sequence.data
    batch = batch_sizes[0]
    rest = tuple(data.shape[1:])
    rows, offset = [], 0
    for size in batch_sizes:
        row = data[offset:offset + size]
        if size < batch:
            row = cat([row, factories.full((batch - size, *rest), padding_value, dtype=data.dtype)], 0)
        rows.append(row)
        offset += size
    rows += [factories.full((batch, *rest), padding_value, dtype=data.dtype)] * (max_seq_length - len(batch_sizes))
    padded = stack(rows, 0)
    lengths = factories.tensor([sum(1 for size in batch_sizes if size > b) for b in range(batch)], dtype=int64)
    if batch_first:
        padded = padded.transpose(0, 1)
    if sequence.unsorted_indices is not None:
        return (padded.index_select(0 if batch_first else 1, sequence.unsorted_indices),
                lengths[sequence.unsorted_indices])
    return padded, lengths


def pad_sequence(sequences: Tensor | Iterable[Tensor], batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Sequences of shape (L_i, *) as one (max L, batch, *) tensor ((batch, max L, *) with ``batch_first``),
    filled with ``padding_value`` after each sequence (before it with ``padding_side="left"``)."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError(f"pad_sequence: Expected iterable for input sequences, but got arg of type: "
                           f"{type(sequences)}")
    sequences = tuple(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    first = sequences[0]
    trailing = tuple(first.shape[1:])
    max_len = max(s.size(0) for s in sequences)
    padded = []
    for s in sequences:
        K.broadcast_shapes((s.size(0), *trailing), tuple(s.shape))  # PyTorch copies s into its slot: its error
        s = s.to(first.dtype).expand(s.size(0), *trailing)
        fill = factories.full((max_len - s.size(0), *trailing), padding_value, dtype=first.dtype)
        padded.append(cat([fill, s] if padding_side == "left" else [s, fill], 0))
    return stack(padded, 0 if batch_first else 1)


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False) -> list[Tensor]:
    """The sequences of a padded batch, each cut to its length (PyTorch transposes a batch-second argument in
    place here; minigrad leaves it as it is)."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [seq[:length] for seq, length in zip(padded_sequences, lengths.tolist())]


def pack_sequence(sequences: list[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (L_i, *) directly: ``pack_padded_sequence(pad_sequence(sequences), lengths)``."""
    lengths = factories.as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The list of sequences a PackedSequence holds, in their original order."""
    padded_sequences, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded_sequences, lengths, batch_first=True)
