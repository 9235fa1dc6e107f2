"""Fuzz generators of the everyday API's nn ops (see test_fuzz.py, which imports this file to register them)."""

from __future__ import annotations

import math
from typing import Any

import torch
from hypothesis import strategies as st
from test_fuzz import ORDINARY, SPECIAL, Arr, H, Step, _dims, _dtype, arrays, generator, path

inf = math.inf
_PLAIN = ("Silu", "Mish", "Hardsigmoid", "Hardswish", "LogSigmoid")


def _has_nan(h: torch.Tensor) -> bool:
    return h.is_floating_point() and bool(h.isnan().any())


# Constrained: no NaN in h for hardswish, elu (selu), celu, softshrink and hardshrink. torch's backward of each
# gives a NaN input's gradient by the branch its scalar loop falls into (grad for hardswish, the shrinks and elu's
# x > 0 branch: `x <= 0 ? ... : grad * scale`) but NaN or 0 in its vector loop (a blend on a comparison), so it
# depends on h's size: float32 [nan] has hardswish gradient 1, [nan] * 64 has NaN. minigrad follows the scalar loop.
_NAN_GRAD_BY_CODE_PATH = {"Hardswish", "Elu", "Celu", "Softshrink", "Hardshrink"}


@generator(*_PLAIN)
def gen_plain_activation(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if op in _NAN_GRAD_BY_CODE_PATH and _has_nan(h):
        return []
    return [Step(op, path(op), (H,))]


@generator("Gelu")
def gen_gelu(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    kwargs = draw(st.sampled_from([{}, {"approximate": "none"}, {"approximate": "tanh"}]))
    if h.dtype == torch.float32 and bool((h == math.inf).any()):
        # Constrained: no +inf in a float32 h for the erf form. torch's float32 gelu is inf at inf in its scalar
        # loop (a 1-element tensor) but NaN in its vector loop ([inf, 1.0] gives NaN): the tanh form is drawn.
        kwargs = {"approximate": "tanh"}
    return [Step("Gelu", path("Gelu"), (H,), kwargs)]


_ALPHAS = [1.0, 0.5, 2.0, 1.5, -1.0, 0.0, 1e-3]


@generator("Elu", "Celu")
def gen_elu(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if _has_nan(h):
        return []  # see _NAN_GRAD_BY_CODE_PATH
    if op == "Elu" and draw(st.integers(0, 3)) == 0:
        return [Step("Elu", "torch.nn.functional.selu", (H,))]  # elu with fixed alpha and scale
    alpha = draw(st.sampled_from(_ALPHAS))
    if draw(st.booleans()):
        return [Step(op, path(op), (H, alpha))]
    return [Step(op, path(op), (H,), {"alpha": alpha})]


_BOUNDS = st.one_of(st.sampled_from([-1.0, 0.0, 1.0, 6.0, -0.5, 0.5, 2, -inf, inf]), ORDINARY)


@generator("Hardtanh")
def gen_hardtanh(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    # Constrained: NaN only in tensors of under 8 elements. PyTorch's hardtanh_backward passes the gradient at NaN in
    # its scalar loop but gives 0 in its vector loop (8 floats a lane group here); minigrad follows the scalar loop
    # everywhere (a difference left to reproduce, with TensorIterator's split of vector body and scalar tail).
    if h.numel() >= 8 and bool(torch.isnan(h).any()):
        return []
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return [Step("Hardtanh", "torch.nn.functional.relu6", (H,))]
    if choice == 1:
        return [Step("Hardtanh", path("Hardtanh"), (H,))]
    low, high = draw(_BOUNDS), draw(_BOUNDS)
    if low > high and draw(st.integers(0, 4)):  # mostly valid bounds; min_val > max_val raises in both
        low, high = high, low
    if draw(st.booleans()):
        return [Step("Hardtanh", path("Hardtanh"), (H, low, high))]
    return [Step("Hardtanh", path("Hardtanh"), (H,), {"min_val": low, "max_val": high})]


@generator("Softshrink", "Hardshrink")
def gen_shrink(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    lambd = draw(st.one_of(st.sampled_from([0.5, 0.0, 1.0, 2.0, 1e-30, -0.5]), ORDINARY.map(abs)))
    if h.is_floating_point():
        values = h.double()
        if bool(values.isnan().any()):
            return []  # see _NAN_GRAD_BY_CODE_PATH: ((x >= -lambd && x <= lambd) ? 0 : grad) in the scalar loop
        inside = values[(values.abs() <= max(lambd, 0.0)) & torch.signbit(values)]
        if op == "Softshrink" and inside.numel():
            # Constrained: no negative value (-0.0 included) inside [-lambd, lambd] for softshrink. torch's scalar
            # loop gives x * 0 there (-0.0), its vector loop 0.0, so the sign of the zero depends on h's size; lambd
            # is drawn below the smallest such |x| (none is left for -0.0, which every lambd >= 0 keeps inside).
            smallest = float(inside.abs().min())
            if smallest == 0.0:
                return []
            lambd = draw(st.sampled_from([0.0, smallest / 2])) if smallest > 1e-37 else 0.0  # lambd in h's dtype
    if lambd == 0.5 and draw(st.booleans()):
        return [Step(op, path(op), (H,))]
    return [Step(op, path(op), (H, lambd))] if draw(st.booleans()) else [Step(op, path(op), (H,), {"lambd": lambd})]


@generator("Threshold")
def gen_threshold(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    number = st.one_of(st.sampled_from([0.0, 0.5, -1.0, 1.0, -0.0, 2]), ORDINARY)
    threshold, value = draw(number), draw(st.one_of(number, st.sampled_from(SPECIAL)))
    return [Step("Threshold", path("Threshold"), (H, threshold, value))]


@generator("Glu")
def gen_glu(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    even = [d for d in range(len(shape)) if shape[d] % 2 == 0]
    if even and draw(st.integers(0, 7)):
        dim = draw(st.sampled_from(even))
        dim = dim - len(shape) if draw(st.booleans()) else dim
    else:  # an odd size or a 0-d tensor: both raise
        dim = _dims(draw, len(shape))
    if dim == -1 and draw(st.booleans()):
        return [Step("Glu", path("Glu"), (H,))]
    return [Step("Glu", path("Glu"), (H, dim))] if draw(st.booleans()) else [Step("Glu", path("Glu"), (H,),
                                                                                     {"dim": dim})]


@generator("PreluKernel")
def gen_prelu(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    channels = shape[1] if len(shape) > 1 else 1
    dtype = _dtype(h) if h.is_floating_point() and draw(st.integers(0, 7)) else draw(st.sampled_from(
        ["float32", "float64"]))
    weight_shape: Any = draw(st.sampled_from([(1,), (), (channels,), (channels,)]))
    weight = draw(arrays(dtype, weight_shape))
    return [Step("PreluKernel", path("PreluKernel"), (H, weight))]


@generator("Embedding")
def gen_embedding(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """h as the table: F.embedding(indices, h, ...) with indices of any shape (int64 or int32), repeats and
    sometimes an index out of range; padding_idx (maybe negative) and scale_grad_by_freq drawn. A table that is not
    2-D is drawn now and then (torch's error is compared)."""
    if h.dim() != 2 and draw(st.integers(0, 7)):
        return []
    rows = h.shape[0] if h.dim() else 1
    shape = draw(st.sampled_from([(), (0,), (1,), (4,), (2, 3), (1, 2, 2)]))
    high = rows if draw(st.integers(0, 15)) or not rows else rows + 1  # rows itself: out of range
    picks = draw(st.lists(st.integers(0, max(high - 1, 0)), min_size=math.prod(shape), max_size=math.prod(shape)))
    indices = Arr(picks, draw(st.sampled_from(["int64", "int64", "int32"])), shape)
    kwargs: dict[str, Any] = {}
    if rows and draw(st.booleans()):
        kwargs["padding_idx"] = draw(st.integers(-rows, rows - 1))
    if draw(st.booleans()):
        kwargs["scale_grad_by_freq"] = True
    return [Step(op, path(op), (indices, H), kwargs)]
