"""Collation: turning a list of samples into a batch, by PyTorch's rules (``default_collate``).

``collate`` looks at the first sample's type: a type in ``collate_fn_map`` (or a subclass of one, tried in
the map's order) goes to its function; otherwise mappings, namedtuples and sequences are transposed and
collated field by field; anything else is a TypeError. ``default_collate_fn_map`` holds PyTorch's rules:

    Tensor                     stacked along a new dim 0
    numpy array                as tensors (same dtype), then stacked; string/object arrays are an error
    numpy scalar               a 1-d tensor of their dtype
    float                      a float64 tensor
    int (and bool)             minigrad.tensor(batch): int64 (bool for bools)
    str, bytes                 the list unchanged
"""

from __future__ import annotations

import collections.abc
import copy
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ... import errors
from ...dtypes import float64
from ...factories import from_numpy, tensor
from ...functions import stack
from ...tensor import Tensor

CollateFnMap = dict[type | tuple[type, ...], Callable[..., Any]]

_STRING_OR_OBJECT = re.compile(r"[SaUO]")  # numpy dtype kinds that make no tensor

def collate(batch: Sequence[Any], *, collate_fn_map: CollateFnMap | None = None) -> Any:
    """The samples in ``batch`` merged into one batch, by ``collate_fn_map`` and the container rules above.

    A mapping gives a mapping of the same type, key by key; a namedtuple the same namedtuple; a tuple a
    list (as PyTorch returns it); any other sequence the same type where it can be built, else a list.
    Sequences of different lengths are an error. As in PyTorch, a field of a sequence reaches its collate
    function as a tuple and a field of a mapping as a list (so strings stay in a tuple or in a list).
    """
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)

    def each(samples: Sequence[Any]) -> Any:
        return collate(samples, collate_fn_map=collate_fn_map)

    if isinstance(elem, collections.abc.Mapping):
        fields = {key: each([d[key] for d in batch]) for key in elem}
        return _rebuild_mapping(elem, fields)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple
        return elem_type(*(each(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if not all(len(sample) == size for sample in batch):
            raise errors.collate_sizes()
        fields = [each(samples) for samples in zip(*batch)]
        return fields if isinstance(elem, tuple) else _rebuild_sequence(elem, fields)
    raise errors.collate_type(elem_type)


def _rebuild_mapping(like: collections.abc.Mapping, fields: dict[Any, Any]) -> Any:
    """``fields`` in a mapping of ``like``'s type (a plain dict where that type cannot be built so)."""
    try:
        if isinstance(like, collections.abc.MutableMapping):
            clone = copy.copy(like)
            clone.update(fields)
            return clone
        return type(like)(fields)
    except TypeError:
        return fields


def _rebuild_sequence(like: collections.abc.Sequence, fields: list[Any]) -> Any:
    """``fields`` in a sequence of ``like``'s type (a plain list where that type cannot be built so)."""
    try:
        if isinstance(like, collections.abc.MutableSequence):
            clone = copy.copy(like)
            for i, field in enumerate(fields):
                clone[i] = field
            return clone
        return type(like)(fields)
    except TypeError:
        return fields


def collate_tensor_fn(batch: Sequence[Tensor], *, collate_fn_map: CollateFnMap | None = None) -> Tensor:
    """The tensors stacked along a new dim 0 (all of one shape)."""
    return stack(batch, 0)


def collate_numpy_array_fn(batch: Sequence[np.ndarray], *, collate_fn_map: CollateFnMap | None = None) -> Any:
    """The arrays as tensors (same dtype), collated as tensors; string and object arrays are an error."""
    if _STRING_OR_OBJECT.search(batch[0].dtype.str) is not None:
        raise errors.collate_type(batch[0].dtype)
    return collate([from_numpy(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch: Sequence[np.generic], *, collate_fn_map: CollateFnMap | None = None) -> Tensor:
    """A 1-d tensor of the numpy scalars (their promoted dtype)."""
    return tensor(batch)


def collate_float_fn(batch: Sequence[float], *, collate_fn_map: CollateFnMap | None = None) -> Tensor:
    """A 1-d float64 tensor (Python floats are doubles)."""
    return tensor(batch, dtype=float64)


def collate_int_fn(batch: Sequence[int], *, collate_fn_map: CollateFnMap | None = None) -> Tensor:
    """``minigrad.tensor(batch)``: int64 for ints, bool for bools (the first sample chose this function)."""
    return tensor(batch)


def collate_str_fn(batch: Sequence[str | bytes], *,
                   collate_fn_map: CollateFnMap | None = None) -> Sequence[str | bytes]:
    """The strings as they came (a list or a tuple)."""
    return batch


default_collate_fn_map: CollateFnMap = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def default_collate(batch: Sequence[Any]) -> Any:
    """A list of samples as one batch: ``collate(batch, collate_fn_map=default_collate_fn_map)``.

    [(x0, y0), (x1, y1)] with tensors x_i, ints y_i gives [stack([x0, x1]), tensor([y0, y1])]; see the
    module docstring for each type.
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data: Any) -> Any:
    """One sample with its numpy arrays and numpy scalars made tensors (arrays share memory), inside any
    mapping, namedtuple or sequence (a tuple becomes a list); everything else as it is. The DataLoader's
    ``collate_fn`` when it does not batch (``batch_size=None``).
    """
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray | np.generic) and not isinstance(data, np.str_ | np.bytes_):
        if isinstance(data, np.ndarray) and _STRING_OR_OBJECT.search(data.dtype.str) is not None:
            return data
        return from_numpy(data) if isinstance(data, np.ndarray) else tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # a namedtuple
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, str | bytes):
        return _rebuild_sequence(data, [default_convert(d) for d in data])
    return data
