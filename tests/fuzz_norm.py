"""Fuzz generators of batch, layer and group normalization (see test_fuzz.py, which imports this file to register
them).

Each generator reshapes the current tensor H to the op's layout (a ``Reshape`` step: (N, C, *spatial), or rows
ending in the normalized dims), its sizes drawn from the factors of H's element count, then normalizes it with a
weight and a bias drawn or not, and options that now and then do not fit (one value per channel in training, a
group count that does not divide the channels): both frameworks must then raise alike.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from fuzz_conv import _reshaped, _split, _well_scaled
from hypothesis import strategies as st
from test_fuzz import ZERO_SIGN_UNSPECIFIED, H, Step, _dtype, arrays, generator, path

# A normalized value of 0 (x equal to its group's mean) is x alpha + beta in PyTorch's kernels, whose sign follows
# the rounding of beta; minigrad's layer norm computes (x - mean) invstd: the sign of such zeros is the code path's.
ZERO_SIGN_UNSPECIFIED.update({"BatchNorm", "LayerNorm", "GroupNorm"})


def _affine(draw: st.DrawFn, h: torch.Tensor, shape: tuple[int, ...]) -> dict[str, Any]:
    """weight and bias of ``shape``, each drawn or not."""
    return {name: draw(arrays(_dtype(h), shape, mode="ordinary")) for name in ("weight", "bias") if draw(st.booleans())}


@generator("BatchNorm")
def gen_batch_norm(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """Constrained: finite values of moderate size (``_well_scaled``): the variance of 1e30s next to ordinary values
    cancels, as a convolution's sums do."""
    if not h.numel() or not _well_scaled(h):
        return []
    steps, shape = _reshaped(draw, h, draw(st.integers(0, 2)), batched=True)
    kwargs = {"training": True, "eps": draw(st.sampled_from([1e-5, 1e-3])), **_affine(draw, h, (shape[1],))}
    return [*steps, Step(op, path(op), (H, None, None), kwargs)]


def _spread(groups: torch.Tensor) -> bool:
    """Whether every row's standard deviation is at least a tenth of its largest magnitude."""
    return bool((groups.std(1, correction=0) >= 0.1 * groups.abs().amax(1)).all())


@generator("LayerNorm")
def gen_layer_norm(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not h.numel() or not _well_scaled(h):
        return []
    shape = _split(draw, h.numel(), draw(st.integers(1, 3)))
    normalized = shape[len(shape) - draw(st.integers(1, len(shape))):]
    if math.prod(normalized) < 2 or not _spread(h.reshape(-1, math.prod(normalized))):
        # Constrained: groups of 2 or more values, spread. Over one element x - mean is 0 exactly in minigrad, a
        # rounding residue of PyTorch's float32 moments there, which a weight's gradient shows; over nearly equal
        # values (x - mean) / std magnifies the last bits of the moments, which minigrad sums in float64 and PyTorch
        # in float32 (Welford): rounding, not a bug (in float64 the two agree to 1e-15 on such groups).
        return []
    steps = [Step("Reshape", path("Reshape"), (H, shape))]
    return [*steps, Step(op, path(op), (H, normalized), _affine(draw, h, normalized))]


@generator("GroupNorm")
def gen_group_norm(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not h.numel() or not _well_scaled(h):
        return []
    steps, shape = _reshaped(draw, h, draw(st.integers(0, 2)), batched=True)
    channels = shape[1]
    groups = draw(st.sampled_from([d for d in range(1, channels + 1) if channels % d == 0] + [channels + 1]))
    kwargs = {"eps": draw(st.sampled_from([1e-5, 1e-3])), **_affine(draw, h, (channels,))}
    return [*steps, Step(op, path(op), (H, groups), kwargs)]
