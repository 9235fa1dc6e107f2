"""Fuzz generators of the everyday API's shape ops (see test_fuzz.py, which imports this file to register them)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st
from test_fuzz import (
    ORDINARY,
    SPECIAL,
    Arr,
    H,
    Step,
    _dims,
    _dtype,
    arrays,
    broadcast_partner,
    generator,
    index_for,
    path,
)


def _some_dims(draw: st.DrawFn, ndim: int) -> tuple[int, ...]:
    """Distinct dims of a tensor of ``ndim`` dims (maybe none), each maybe negative; now and then one twice (torch
    refuses a repeated dim: the error is compared)."""
    n = max(ndim, 1)
    dims = draw(st.lists(st.integers(0, n - 1), max_size=n, unique=True))
    dims = [d - n if draw(st.booleans()) else d for d in dims]
    if dims and draw(st.integers(0, 9)) == 0:
        dims.append(dims[0])
    return tuple(dims)


@generator("Flip")
def gen_flip(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    dims = _some_dims(draw, h.dim())
    if len(dims) == 1 and draw(st.booleans()):
        return [Step(op, path(op), (H, list(dims)))]
    return [Step(op, path(op), (H, dims)) if draw(st.booleans()) else Step(op, path(op), (H,), {"dims": dims})]


@generator("Roll")
def gen_roll(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shift = st.integers(-9, 9)
    if draw(st.integers(0, 3)) == 0:  # no dims: along h flattened
        shifts = draw(shift) if draw(st.booleans()) else (draw(shift),)
        return [Step(op, path(op), (H, shifts))]
    if draw(st.booleans()):
        return [Step(op, path(op), (H, draw(shift), _dims(draw, h.dim())))]
    dims = _some_dims(draw, h.dim()) or (_dims(draw, h.dim()),)
    dims = dims[:-1] if len(dims) > 1 and dims[-1] == dims[0] else dims  # torch.roll takes a dim twice
    shifts = tuple(draw(shift) for _ in dims)
    if len(dims) > 1 and draw(st.integers(0, 2)) == 0:
        dims = (*dims, dims[0])  # rolled twice along one dim
        shifts = (*shifts, draw(shift))
    return [Step(op, path(op), (H, shifts, dims)) if draw(st.booleans())
            else Step(op, path(op), (H,), {"shifts": shifts, "dims": dims})]


def _vector(draw: st.DrawFn, size: int, max_size: int = 4) -> Arr:
    """An index vector into a dim of ``size`` (repeats allowed; empty when size is 0), int64 or int32, or 0-d."""
    dtype = draw(st.sampled_from(["int64", "int64", "int32"]))
    picks = draw(st.lists(st.integers(0, size - 1), max_size=max_size)) if size else []
    if len(picks) == 1 and draw(st.booleans()):
        return Arr(picks, dtype, ())
    return Arr(picks, dtype, (len(picks),))


def _size(h: torch.Tensor, dim: int) -> int:
    return h.shape[dim] if h.dim() else 1


@generator("IndexSelect")
def gen_index_select(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    dim = _dims(draw, h.dim())
    return [Step(op, path(op), (H, dim, _vector(draw, _size(h, dim))))]


@generator("Take")
def gen_take(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    n = h.numel()
    shape = draw(st.sampled_from([(), (0,), (1,), (3,), (2, 2), (1, 3), (2, 0)])) if n else (0,)
    count = math.prod(shape)
    picks = draw(st.lists(st.integers(-n, n - 1), min_size=count, max_size=count)) if n else []
    dtype = "int64" if draw(st.integers(0, 9)) else "int32"  # torch.take refuses int32 (the error is compared)
    return [Step(op, path(op), (H, Arr(picks, dtype, shape)))]


@generator("MaskedSelect")
def gen_masked_select(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    # The mask broadcasts with h either way (it may add dims, or be larger where h has size 1).
    mask = draw(arrays("bool", draw(broadcast_partner(tuple(h.shape))), grad=False))
    return [Step(op, path(op), (H, mask))]


def _source(draw: st.DrawFn, h: torch.Tensor, shape: tuple[int, ...]) -> Arr:
    """A source tensor of ``shape`` in h's dtype (torch's index_add and scatter_add refuse another), a leaf that
    requires grad when it is a float, now and then in another dtype (the error is compared)."""
    dtype = _dtype(h) if draw(st.integers(0, 9)) else draw(st.sampled_from(["float32", "float64", "int64"]))
    return draw(arrays(dtype, shape))


@generator("IndexAdd")
def gen_index_add(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    dim = _dims(draw, len(shape))
    index = _vector(draw, _size(h, dim))
    count = index.values.size
    if shape:
        source_shape = tuple(count if i == dim % len(shape) else s for i, s in enumerate(shape))
    else:  # a 0-d h takes a 0-d source (torch refuses a 1-element one)
        source_shape = () if draw(st.integers(0, 3)) else (count,)
    source = _source(draw, h, source_shape)
    kwargs: dict[str, Any] = {}
    if draw(st.integers(0, 2)) == 0:
        if h.is_floating_point():
            kwargs["alpha"] = draw(st.one_of(ORDINARY, st.sampled_from([0.0, -1.0, 2, 1e30, math.inf, math.nan])))
        elif h.dtype != torch.bool:
            kwargs["alpha"] = draw(st.integers(-3, 3))
    return [Step(op, path(op), (H, dim, index, source), kwargs)]


@generator("ScatterAdd")
def gen_scatter_add(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    dim = _dims(draw, len(shape))
    index = draw(index_for(shape, dim, unique=False))  # repeats add up: scatter_add is defined for them
    # src is at least as large as the index in every dim (torch reads only the index's part of it) ...
    src_shape = tuple(s + draw(st.sampled_from([0, 0, 1])) for s in index.values.shape)
    src = _source(draw, h, src_shape)
    if src.grad and src_shape != index.values.shape:
        # Constrained: a larger src does not require grad. torch's scatter_add backward is only implemented for
        # src.shape == index.shape (its docs say so): it returns the gradient in the index's shape, which its engine
        # then refuses for src ("returned an invalid gradient ... expected shape compatible with"); minigrad's
        # gradient is the full one (zeros beyond the index).
        src = Arr(src.values, src.values.dtype.name, src_shape, grad=False, strided=src.strided)
    return [Step(op, path(op), (H, dim, index, src))]


def _distinct(draw: st.DrawFn, size: int, dtype: str = "int64") -> Arr:
    """An index vector of distinct positions into a dim of ``size`` (empty when size is 0), or a 0-d one."""
    picks = list(draw(st.permutations(range(size))))[:draw(st.integers(0, min(size, 4)))] if size else []
    if len(picks) == 1 and draw(st.booleans()):
        return Arr(picks, dtype, ())
    return Arr(picks, dtype, (len(picks),))


@generator("IndexCopy")
def gen_index_copy(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    dim = _dims(draw, len(shape))
    # Constrained: distinct indices. With a repeated index torch's result is nondeterministic (its docs say so).
    # Now and then an int32 index, which torch refuses (the error is compared).
    index = _distinct(draw, _size(h, dim), "int64" if draw(st.integers(0, 9)) else "int32")
    count = index.values.size
    if shape:
        source_shape = tuple(count if i == dim % len(shape) else s for i, s in enumerate(shape))
    else:
        source_shape = () if draw(st.booleans()) else (count,)
    source = _source(draw, h, source_shape)
    if not shape and count != 1:
        # Constrained: no source gradient where torch's backward raises (its index_select of a 0-d gradient takes one
        # index): minigrad's engine gives no leaf a gradient then, torch's has given some already (test_ops compares
        # the error).
        source = Arr(source.values, source.values.dtype.name, source_shape, grad=False, strided=source.strided)
    return [Step(op, path(op), (H, dim, index, source))]


@generator("IndexFill")
def gen_index_fill(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    dim = _dims(draw, h.dim())
    size = _size(h, dim)
    # Repeats and negative positions are allowed (torch's backward for a value tensor refuses negative ones: the
    # error is compared); now and then an int32 index, which torch refuses.
    picks = draw(st.lists(st.integers(-size, size - 1), max_size=4)) if size else []
    dtype = "int64" if draw(st.integers(0, 9)) else "int32"
    index = Arr(picks, dtype, () if len(picks) == 1 and draw(st.booleans()) else (len(picks),))
    if h.is_floating_point():
        number = draw(st.one_of(ORDINARY, st.sampled_from(SPECIAL)))
    else:
        number = draw(st.booleans()) if h.dtype == torch.bool else draw(st.integers(-3, 3))
    if draw(st.booleans()):  # a 0-d value tensor (a leaf that requires grad when it is a float)
        value_dtype = _dtype(h) if draw(st.integers(0, 3)) else draw(st.sampled_from(["float32", "float64"]))
        # Constrained: no value gradient where torch's backward raises (a negative index, which its index_select of
        # the gradient refuses; other than one distinct index into a 0-d tensor; indices into an empty one):
        # minigrad's engine gives no leaf a gradient then, torch's has given some already (test_unique_bincount.py
        # compares the errors).
        refused = any(p < 0 for p in picks) or (not h.dim() and len(set(picks)) != 1) or (
            h.dim() > 1 and not h.numel() and picks)
        value = Arr([abs(number) if value_dtype == "uint8" else number], value_dtype, (),
                    grad=h.is_floating_point() and not refused)
        return [Step(op, path(op), (H, dim, index, value))]
    return [Step(op, path(op), (H, dim, index, number))]


@generator("ScatterReduce")
def gen_scatter_reduce(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    dim = _dims(draw, len(shape))
    index = draw(index_for(shape, dim, unique=False))  # repeats reduce together: scatter_reduce is defined for them
    reduce = draw(st.sampled_from(["sum", "prod", "mean", "amax", "amin"]))
    # src is at least as large as the index in every dim: torch reads only the index's part of it.
    # Constrained: no backward that torch refuses, where minigrad's engine gives no leaf a gradient and torch's has
    # given some already (test_ops and test_unique_bincount.py compare these errors): a larger src is drawn for sum
    # and mean only, and then does not require grad (torch's gradient for it has the index's shape, which its engine
    # refuses; prod, amax and amin compare src with index-shaped values and fail); "max" and "min", which torch's
    # forward takes for amax and amin and its backward refuses, are not drawn.
    grow = [0, 0, 0, 1] if reduce in ("sum", "mean") else [0]
    src_shape = tuple(s + draw(st.sampled_from(grow)) for s in index.values.shape)
    src = _source(draw, h, src_shape)
    if src_shape != index.values.shape:
        src = Arr(src.values, src.values.dtype.name, src_shape, grad=False, strided=src.strided)
    kwargs = {"include_self": draw(st.booleans())} if draw(st.integers(0, 3)) else {}
    return [Step(op, path(op), (H, dim, index, src, reduce), kwargs)]


@generator("UnfoldDim")
def gen_unfold_dim(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """Windows along one dim: of any size up to the dim's length (or, now and then, past it: the error is compared),
    any step from 1 (and now and then 0, refused)."""
    dim = draw(st.integers(-max(h.dim(), 1), max(h.dim(), 1) - 1))
    length = h.shape[dim] if h.dim() else 1
    size = draw(st.integers(0, length + (draw(st.integers(0, 9)) == 0)))
    step = draw(st.integers(0 if draw(st.integers(0, 9)) == 0 else 1, 3))
    return [Step(op, path(op), (H, dim, size, step))]


@generator("MaskedScatter")
def gen_masked_scatter(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """A bool mask that broadcasts with h, a source of h's dtype with at least as many elements as the broadcast mask
    has ones (or, now and then, fewer: the error is compared)."""
    mask = draw(arrays("bool", draw(broadcast_partner(tuple(h.shape), grow=False)), grad=False))
    ones = int(np.broadcast_to(mask.values, np.broadcast_shapes(tuple(h.shape), mask.values.shape)).sum())
    count = draw(st.integers(max(ones - (draw(st.integers(0, 9)) == 0), 0), ones + 3))
    source = draw(arrays(h.numpy().dtype.name, (count,)))
    return [Step(op, path(op), (H, mask, source))]
