"""Cross-check cases of resizing: interpolate's nearest, nearest-exact, linear and bilinear kernels, max unpooling,
pixel shuffle and unshuffle (see op_cases.py, which gathers them).

Each output of an interpolation weighs at most four inputs, and each input gradient sums the shares of the outputs
around it, in PyTorch's order: the suite's default tolerance holds, but for the large outputs (70 x 63 from 4 x 5),
whose input gradients in float32 sum about 200 shares each. Both frameworks' float32 sums are then off from the exact
sum by up to 2e-5 (measured against float64: PyTorch 1.7e-5, minigrad 1.9e-5), not alike; ``_LARGE_ATOL`` allows it.
Sizes cover upsampling and downsampling, scale
factors kept or recomputed (a kept one changes the source positions: 1.7 is not 9 / 5), the special cases of
PyTorch's nearest index (out = in, out = 2 in), outputs of one position, and outputs of H + W > 128, where PyTorch
switches from its vectorized loop to its separable one.
"""

from __future__ import annotations

import numpy as np
from op_cases import Case, Domain, per_framework

CASES: list[Case] = []
DOMAINS: dict[str, tuple[Domain, ...]] = {}


def _refused(op: str, shapes: tuple[tuple[int, ...], ...], *args: object, **kwargs: object) -> Case:
    return Case(op, shapes, args=args, kwargs=kwargs, gradcheck=False)


# ----- interpolate ------------------------------------------------------------------------------------------------
_SIZES_1D = [{"size": 8}, {"size": 10}, {"size": 3}, {"size": 5}, {"size": 1}, {"scale_factor": 2},
             {"scale_factor": 1.7}, {"scale_factor": 0.6}, {"scale_factor": 2.3, "recompute_scale_factor": True},
             {"scale_factor": (3.0,)}, {"size": (13,)}]
_SIZES_2D = [{"size": (8, 10)}, {"size": 3}, {"size": (4, 5)}, {"size": (1, 7)}, {"scale_factor": 2},
             {"scale_factor": (1.7, 0.6)}, {"scale_factor": 1.5, "recompute_scale_factor": True}]
_LARGE = {"size": (70, 63)}  # H + W > 128: PyTorch's separable loop
_LARGE_ATOL = 5e-5
for op, mode in (("UpsampleNearest1d", "nearest"), ("UpsampleNearestExact1d", "nearest-exact")):
    CASES += [Case(op, ((2, 3, 5),), kwargs={**k, "mode": mode}) for k in _SIZES_1D]
    CASES += [Case(op, (shape,), kwargs={"size": 7, "mode": mode}) for shape in [(1, 1, 4), (0, 2, 3)]]
    CASES += [_refused(op, ((2, 3, 5),), size=0, mode=mode), _refused(op, ((2, 0, 5),), size=3, mode=mode),
              _refused(op, ((2, 3, 5),), scale_factor=-1.0, mode=mode)]
for op, mode in (("UpsampleNearest2d", "nearest"), ("UpsampleNearestExact2d", "nearest-exact")):
    CASES += [Case(op, ((2, 3, 4, 5),), kwargs={**k, "mode": mode}) for k in [*_SIZES_2D, _LARGE]]
    CASES += [Case(op, ((1, 1, 3, 3),), kwargs={"scale_factor": 3, "mode": mode})]
    CASES += [_refused(op, ((2, 3, 4, 5),), size=(0, 3), mode=mode), _refused(op, ((2, 0, 4, 5),), size=3, mode=mode)]
for align in (False, True):
    CASES += [Case("UpsampleLinear1d", ((2, 3, 5),), kwargs={**k, "mode": "linear", "align_corners": align})
              for k in _SIZES_1D]
    CASES += [Case("UpsampleBilinear2d", ((2, 3, 4, 5),), kwargs={**k, "mode": "bilinear", "align_corners": align})
              for k in _SIZES_2D]
    CASES += [Case("UpsampleBilinear2d", ((2, 3, 4, 5),), kwargs={**_LARGE, "mode": "bilinear", "align_corners": align},
                   float32_atol=_LARGE_ATOL)]
CASES += [Case("UpsampleLinear1d", ((1, 2, 4),), kwargs={"size": 9, "mode": "linear"}),
          Case("UpsampleBilinear2d", ((1, 1, 1, 4),), kwargs={"size": (3, 6), "mode": "bilinear"}),
          Case("UpsampleBilinear2d", ((0, 2, 3, 3),), kwargs={"size": 5, "mode": "bilinear"}),
          _refused("UpsampleLinear1d", ((2, 3, 5),), size=0, mode="linear"),
          _refused("UpsampleLinear1d", ((2, 3, 5, 5),), size=3, mode="linear"),
          _refused("UpsampleBilinear2d", ((2, 3, 5),), size=3, mode="bilinear"),
          _refused("UpsampleBilinear2d", ((2, 3, 4, 5),), size=3, mode="bilinear", scale_factor=2.0),
          _refused("UpsampleNearest2d", ((2, 3, 4, 5),), size=3, align_corners=True)]


# ----- max unpooling: indices as max pooling returns them, one position in each window ------------------------------
def _indices(pooled: tuple[int, ...], kernel: int, stride: int, width: int, seed: int) -> np.ndarray:
    """A flat index in each kernel x kernel window (stride apart) of planes ``width`` wide: pooled (..., h, w)."""
    rng = np.random.default_rng(seed)
    h, w = pooled[-2:]
    rows = np.arange(h)[:, None] * stride + rng.integers(0, kernel, pooled)
    cols = np.arange(w)[None, :] * stride + rng.integers(0, kernel, pooled)
    return rows * width + cols


def _indices_arg(label: str, values: np.ndarray) -> object:
    return per_framework(label, lambda fw: fw.tensor(values))


_I2 = _indices((2, 3, 2, 3), 2, 2, 6, 0)
_I2_OVERLAP = _indices((1, 2, 3, 3), 2, 1, 4, 1)  # windows overlap: an index may repeat (the last value stays)
_I2_3D = _indices((3, 2, 2), 2, 2, 4, 2)
CASES += [Case("MaxUnpool2d", ((2, 3, 2, 3),), args=(_indices_arg("i", _I2), 2)),
          Case("MaxUnpool2d", ((2, 3, 2, 3),), args=(_indices_arg("i", _I2), 2), kwargs={"output_size": (5, 7)}),
          Case("MaxUnpool2d", ((2, 3, 2, 3),), args=(_indices_arg("i", _I2), 2), kwargs={"output_size": (2, 3, 5, 6)}),
          Case("MaxUnpool2d", ((1, 2, 3, 3),), args=(_indices_arg("i overlapping", _I2_OVERLAP), 2),
               kwargs={"stride": 1}, gradcheck=False),  # a repeated index: one write wins, no finite difference
          Case("MaxUnpool2d", ((3, 2, 2),), args=(_indices_arg("i unbatched", _I2_3D), (2, 2))),
          _refused("MaxUnpool2d", ((2, 3, 2, 3),), _indices_arg("i", _I2), 2, padding=1),
          _refused("MaxUnpool2d", ((2, 3, 2, 3),), _indices_arg("i", _I2), 2, output_size=(9, 6)),
          _refused("MaxUnpool2d", ((2, 3, 2, 3),), _indices_arg("int32 i", _I2.astype(np.int32)), 2),
          _refused("MaxUnpool2d", ((2, 3, 2, 2),), _indices_arg("i", _I2), 2)]
# windows of 3, stride 2, over a signal of 9: one position in each, none picked twice (a repeat is not differentiable)
_I1 = np.arange(4) * 2 + np.random.default_rng(3).integers(0, 2, (2, 3, 4))
CASES += [Case("MaxUnpool1d", ((2, 3, 4),), args=(_indices_arg("i", _I1), 3), kwargs={"stride": 2}),
          Case("MaxUnpool1d", ((2, 3, 4),), args=(_indices_arg("i", _I1), 3), kwargs={"stride": 2,
                                                                                        "output_size": [10]}),
          Case("MaxUnpool1d", ((3, 4),), args=(_indices_arg("i unbatched", _I1[0]), 3), kwargs={"stride": 2}),
          _refused("MaxUnpool1d", ((2, 3, 4),), _indices_arg("i", _I1), 2),
          _refused("MaxUnpool1d", ((4,),), _indices_arg("i", _I1[0, 0]), 3, stride=2)]

# ----- pixel shuffle (no empty batch: PyTorch's backward fails there, its pixel_unshuffle of an empty gradient
# returning the gradient's shape unchanged; test_resize.py checks the forward) -----------------------------------
CASES += [Case("PixelShuffle", (shape,), args=(r,)) for shape, r in [
    ((2, 8, 3, 3), 2), ((8, 2, 3), 2), ((2, 1, 9, 2, 3), 3), ((1, 4, 2, 5), 1)]]
CASES += [_refused("PixelShuffle", ((2, 8, 3, 3),), 3), _refused("PixelShuffle", ((2, 8, 3, 3),), 0),
          _refused("PixelShuffle", ((8, 3),), 2)]
CASES += [Case("PixelUnshuffle", (shape,), args=(r,)) for shape, r in [
    ((2, 2, 4, 6), 2), ((3, 6, 3), 3), ((2, 1, 2, 2, 4), 2), ((1, 3, 2, 2), 1)]]
CASES += [_refused("PixelUnshuffle", ((2, 2, 3, 4),), 2), _refused("PixelUnshuffle", ((2, 2, 4, 3),), 2),
          _refused("PixelUnshuffle", ((2, 2, 4, 4),), -1)]
