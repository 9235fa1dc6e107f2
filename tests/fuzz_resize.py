"""Fuzz generators of resizing: interpolate's nearest, nearest-exact, linear and bilinear kernels, max unpooling and
pixel (un)shuffle (see test_fuzz.py, which imports this file to register them).

Each generator reshapes the current tensor H to the op's layout (a ``Reshape`` step, as fuzz_conv.py's do), then
draws the op's options: a size or a scale factor (kept or recomputed) and align_corners for interpolate, indices
inside each pooling window (now and then one outside the plane, which both frameworks must refuse) for max
unpooling, and a factor for pixel shuffle (now and then one that does not divide the sizes).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from fuzz_conv import _reshaped, _split, _well_scaled
from hypothesis import strategies as st
from test_fuzz import Arr, H, Step, generator, path

_MODES = {"UpsampleNearest1d": "nearest", "UpsampleNearest2d": "nearest", "UpsampleNearestExact1d": "nearest-exact",
          "UpsampleNearestExact2d": "nearest-exact", "UpsampleLinear1d": "linear", "UpsampleBilinear2d": "bilinear"}


@generator(*_MODES)
def gen_interpolate(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    mode = _MODES[op]
    if not h.numel() or (mode in ("linear", "bilinear") and not _well_scaled(h)):
        # Constrained: linear modes of finite values only. An infinity times a weight of 0 is NaN, and which terms
        # PyTorch forms depends on its loop (vectorized or separable) and the input's size: no rule to follow.
        return []
    spatial = 2 if op.endswith("2d") else 1
    steps, _ = _reshaped(draw, h, spatial, batched=True)
    kwargs: dict[str, Any] = {"mode": mode}
    if draw(st.booleans()):
        sizes = [draw(st.integers(0 if draw(st.integers(0, 9)) == 0 else 1, 4)) for _ in range(spatial)]
        kwargs["size"] = sizes[0] if spatial == 1 and draw(st.booleans()) else tuple(sizes)
    else:
        kwargs["scale_factor"] = draw(st.sampled_from([0.5, 0.7, 1.0, 1.5, 2.0, 2.5, 3.0]))
        if draw(st.booleans()):
            kwargs["recompute_scale_factor"] = True
    if mode in ("linear", "bilinear") and draw(st.booleans()):
        kwargs["align_corners"] = draw(st.booleans())
    return [*steps, Step(op, path(op), (H,), kwargs)]


@generator("MaxUnpool1d", "MaxUnpool2d")
def gen_max_unpool(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """H as pooled values (N, C, *pooled) or (C, *pooled), with an index inside each window of ``kernel`` (stride
    apart) of the unpooled plane, as max pooling returns them."""
    if not h.numel():
        return []
    spatial = 2 if op.endswith("2d") else 1
    steps, shape = _reshaped(draw, h, spatial)
    kernel, stride = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    pooled = shape[-spatial:]
    unpooled = [(p - 1) * stride + kernel for p in pooled]
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    grid = np.meshgrid(*[np.arange(p) * stride for p in pooled], indexing="ij")
    coords = [g + rng.integers(0, kernel, shape) for g in grid]
    indices = np.ravel_multi_index(coords, unpooled) if spatial == 2 else coords[0]
    if draw(st.integers(0, 9)) == 0:  # an index outside the plane: both refuse
        indices.reshape(-1)[0] = int(np.prod(unpooled))
    kwargs: dict[str, Any] = {"stride": stride}
    if draw(st.integers(0, 3)) == 0:
        kwargs["output_size"] = [u + draw(st.integers(0, stride - 1)) for u in unpooled]
    return [*steps, Step(op, path(op), (H, Arr(indices.reshape(-1).tolist(), "int64", shape), kernel), kwargs)]


@generator("PixelShuffle", "PixelUnshuffle")
def gen_pixel_shuffle(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not h.numel():
        return []
    factor = draw(st.sampled_from([1, 2, 2, 3]))
    n = h.numel()
    if op == "PixelShuffle" and n % (factor * factor) == 0 and draw(st.integers(0, 9)):
        lead, channels, height, width = _split(draw, n // (factor * factor), 4)
        shape: tuple[int, ...] = (lead, channels * factor * factor, height, width)
    elif op == "PixelUnshuffle" and n % (factor * factor) == 0 and draw(st.integers(0, 9)):
        lead, channels, height, width = _split(draw, n // (factor * factor), 4)
        shape = (lead, channels, height * factor, width * factor)
    else:  # most such shapes do not fit the factor: both raise
        shape = _split(draw, n, 4)
    if draw(st.booleans()):
        shape = shape[1:]  # no batch dim
    return [Step("Reshape", path("Reshape"), (H, shape)), Step(op, path(op), (H, factor))]
