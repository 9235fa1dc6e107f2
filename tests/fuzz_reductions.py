"""Fuzz generators of the everyday API's reductions ops (see test_fuzz.py, which imports this file to register them)."""

from __future__ import annotations

from typing import Any

import torch
from hypothesis import strategies as st
from test_fuzz import H, Step, _dim_or_dims, _dims, generator, path


def _has_ties(h: torch.Tensor, dim: int) -> bool:
    """Whether some slice of h along ``dim`` holds two equal values (NaNs equal to each other, 0.0 to -0.0)."""
    if h.dim() == 0 or h.numel() == 0:
        return False
    rows = torch.sort(h.movedim(dim, -1), dim=-1).values
    a, b = rows[..., 1:], rows[..., :-1]
    same = a == b
    if h.is_floating_point():
        same |= a.isnan() & b.isnan()
    return bool(same.any())


@generator("Amax", "Amin")
def gen_amax(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    dim = _dim_or_dims(draw, h.dim(), allow_tuple=True)
    if dim is None:
        return [Step(op, path(op), (H,))]
    return [Step(op, path(op), (H, dim), {"keepdim": draw(st.booleans())})]


@generator("Aminmax")
def gen_aminmax(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    """aminmax of every element or along one dim; the program goes on from its min or its max."""
    kwargs = {} if draw(st.booleans()) else {"dim": _dims(draw, h.dim()), "keepdim": draw(st.booleans())}
    return [Step(op, path(op), (H,), kwargs, pick=draw(st.integers(0, 1)))]


@generator("Logsumexp")
def gen_logsumexp(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    dim = _dim_or_dims(draw, h.dim(), allow_tuple=True)
    if dim is None:
        # Constrained: no empty dim (() or [], all dims). torch 2.13's logsumexp then fails for a tensor with a dim
        # and keepdim=False ("output with shape [] doesn't match the broadcast shape [1]": its max, kept as [1],
        # is added in place into the 0-d sum), a torch bug; all the dims as a tuple are drawn instead.
        dim = tuple(range(h.dim())) if h.dim() else 0
    if draw(st.booleans()):
        return [Step(op, path(op), (H, dim))]
    return [Step(op, path(op), (H, dim), {"keepdim": draw(st.booleans())})]


@generator("Cumprod", "Logcumsumexp")
def gen_scan(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    return [Step(op, path(op), (H, _dims(draw, h.dim())))]


@generator("Cummax", "Cummin")
def gen_running_extreme(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    # The indices (pick=1, int64) are compared exactly too, and the chain goes on from them.
    return [Step(op, path(op), (H, _dims(draw, h.dim())), pick=draw(st.sampled_from([0, 0, 0, 1])))]


@generator("Sort")
def gen_sort(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    kwargs: dict[str, Any] = {}
    if draw(st.booleans()):
        kwargs["dim"] = _dims(draw, h.dim())
    if draw(st.booleans()):
        kwargs["descending"] = draw(st.booleans())
    if draw(st.booleans()):
        kwargs["stable"] = draw(st.booleans())
    return [Step(op, path(op), (H,), kwargs, pick=draw(st.sampled_from([0, 0, 0, 1])))]


@generator("Topk", "Kthvalue", "MedianDim")
def gen_partial_sort(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    dim = _dims(draw, h.dim())
    # Constrained: no two equal values along the dim. torch's topk, kthvalue and median(dim) pick among equal
    # values by a partial sort (std::nth_element, or its own quickselect), so which index they return, and where
    # the gradient goes, is up to that code path (minigrad's stable sort picks the first).
    if _has_ties(h, dim):
        return []
    size = h.shape[dim] if h.dim() else 1
    pick = draw(st.sampled_from([0, 0, 0, 1]))
    if op == "MedianDim":
        return [Step(op, path(op), (H, dim), {"keepdim": draw(st.booleans())}, pick=pick)]
    if op == "Kthvalue":
        k = draw(st.integers(0, size + 1)) if draw(st.integers(0, 9)) == 0 else draw(st.integers(1, max(size, 1)))
        return [Step(op, path(op), (H, k, dim), {"keepdim": draw(st.booleans())}, pick=pick)]
    k = draw(st.integers(-1, size + 1)) if draw(st.integers(0, 9)) == 0 else draw(st.integers(0, size))
    kwargs: dict[str, Any] = {"dim": dim}
    if draw(st.booleans()):
        kwargs["largest"] = draw(st.booleans())
    if draw(st.booleans()):
        # Constrained: sorted=True only. With sorted=False torch returns the k elements in whatever order its
        # partial sort leaves them (the top 3 of [3, 1, 2, 5, 4, 0, 7] come as [5, 7, 4]).
        kwargs["sorted"] = True
    return [Step(op, path(op), (H, k), kwargs, pick=pick)]


@generator("Median")
def gen_median(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    # Constrained: not both 0.0 and -0.0. torch's median() picks the middle element by a partial sort
    # (std::nth_element), so which of the equal zeros it returns, and so the sign of a zero median, is up to that
    # code path (minigrad's stable sort picks the first). Other ties are fine: equal values, and the gradient is
    # shared evenly among them.
    # Constrained: not an empty integer or bool tensor. torch's median() of nothing is NaN converted to the dtype,
    # undefined in C++ (int64: -2**63 on x86, bool: True); minigrad's is 0 (NaN for floats, as torch).
    if h.numel() == 0 and not h.is_floating_point():
        return []
    if h.is_floating_point() and bool((h == 0).any()):
        zeros = h[h == 0]
        if bool(zeros.signbit().any()) and not bool(zeros.signbit().all()):
            return []
    return [Step(op, path(op), (H,))]


@generator("ModeDim")
def gen_mode(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    given = draw(st.booleans())
    dim = _dims(draw, h.dim()) if given else -1
    # Constrained: no NaN, and at most 16 elements along the dim. torch's mode sorts each slice with std::sort by
    # value (a < b) and takes the last element of the longest run: NaN breaks that ordering (the sort leaves
    # [nan, 1, nan, 1] as it is, so mode is NaN at 0), and above 16 elements std::sort is an unstable introsort, so
    # which of equal values ends a run (the index, and 0.0 or -0.0) is up to it (up to 16, an insertion sort:
    # stable, the last occurrence, as minigrad).
    if h.dim() and (h.shape[dim] > 16 or (h.is_floating_point() and bool(h.isnan().any()))):
        return []
    kwargs: dict[str, Any] = {"dim": dim} if given else {}
    if draw(st.booleans()):
        kwargs["keepdim"] = draw(st.booleans())
    return [Step(op, path(op), (H,), kwargs, pick=draw(st.sampled_from([0, 0, 0, 1])))]
