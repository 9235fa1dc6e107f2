"""Fuzz generators of the ops that write into a tensor (see test_fuzz.py, which imports this file to register them):
copy_, fill_, zero_ and index_put. Each writes into a clone of the current tensor (a leaf that requires grad cannot
be written: that refusal is tested in test_setitem.py), with operands that are leaves themselves."""

from __future__ import annotations

import torch
from hypothesis import strategies as st
from test_fuzz import ORDINARY, Arr, H, Step, _dtype, arrays, broadcast_partner, generator, path


def _clone() -> Step:
    return Step("Clone", "torch.clone", (H,))


@generator("Copy")
def gen_copy(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """src broadcasts to h (or, now and then, does not: the error is compared), in any dtype (copy_ casts)."""
    shape = draw(broadcast_partner(tuple(h.shape), grow=draw(st.integers(0, 9)) == 0))
    dtype = draw(st.sampled_from([_dtype(h), _dtype(h), "float32", "float64", "int64", "bool"]))
    return [_clone(), Step(op, path(op), (H, draw(arrays(dtype, shape))))]


@generator("Fill")
def gen_fill(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if draw(st.booleans()):
        return [_clone(), Step(op, "torch.Tensor.zero_", (H,))]
    value = draw(ORDINARY) if h.is_floating_point() else draw(st.integers(-3, 3))
    return [_clone(), Step(op, path(op), (H, value))]


@generator("IndexPut")
def gen_index_put(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """Index vectors into h's leading dims (repeats only when accumulating: torch leaves the winner of two writes to
    one position unspecified), or a bool mask over h's leading dims; values that broadcast to h[indices]."""
    if h.dim() == 0 or h.numel() == 0:
        return []
    accumulate = draw(st.booleans())
    if draw(st.integers(0, 3)) == 0:
        dims = draw(st.integers(1, h.dim()))
        mask = draw(arrays("bool", tuple(h.shape[:dims]), grad=False))
        indices: tuple[Arr, ...] = (mask,)
        selected = (int(mask.values.sum()), *h.shape[dims:])
    else:
        dims = draw(st.integers(1, h.dim()))
        count = draw(st.integers(0, min(h.shape[:dims])))
        picks = [draw(st.lists(st.integers(0, n - 1), min_size=count, max_size=count, unique=not accumulate))
                 for n in h.shape[:dims]]
        indices = tuple(Arr(p, "int64", (count,)) for p in picks)
        selected = (count, *h.shape[dims:])
    shape = draw(broadcast_partner(selected, grow=False))
    values = draw(arrays(_dtype(h), shape))
    return [_clone(), Step(op, path(op), (H, indices, values), {"accumulate": accumulate})]
