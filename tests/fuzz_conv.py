"""Fuzz generators of convolution, im2col/col2im and pooling (see test_fuzz.py, which imports this file to register
them).

Each generator first reshapes the current tensor H to the op's rank (a ``Reshape`` step: (N, C, L) or (N, C, H, W),
sometimes unbatched), its sizes drawn from the factors of H's element count, then applies the op with drawn options
(stride, padding, dilation, ceil_mode, ...), which now and then make a window that does not fit: both frameworks
must then raise alike.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from hypothesis import strategies as st
from test_fuzz import FLOATS, ZERO_SIGN_UNSPECIFIED, H, Step, _dtype, arrays, generator, path

# A convolution's zeros take their sign from the product's code path, as a matrix product's do (test_fuzz's
# ZERO_SIGN_UNSPECIFIED): a sum of products that are all -0.0 is -0.0 in PyTorch's kernels, 0.0 in BLAS's, which
# starts from +0.0 (x * 0.0 for a negative x, in the zero padding or under a zero weight).
ZERO_SIGN_UNSPECIFIED.update({"Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d"})


def _split(draw: st.DrawFn, n: int, parts: int) -> tuple[int, ...]:
    """``parts`` sizes whose product is n, each a divisor drawn in turn (the last one takes what is left)."""
    sizes = []
    for _ in range(parts - 1):
        divisors = [d for d in range(1, n + 1) if n % d == 0]
        d = draw(st.sampled_from(divisors))
        sizes.append(d)
        n //= d
    return (*sizes, n)


def _reshaped(draw: st.DrawFn, h: torch.Tensor, spatial: int, batched: bool | None = None) -> tuple[list[Step],
                                                                                                    tuple[int, ...]]:
    """The step that gives H the layout (N, C, *spatial) (or (C, *spatial) unbatched), and that shape."""
    batched = draw(st.booleans()) if batched is None else batched
    shape = _split(draw, h.numel(), spatial + (2 if batched else 1))
    return [Step("Reshape", path("Reshape"), (H, shape))], shape


def _well_scaled(h: torch.Tensor) -> bool:
    """Constrained: convolutions only of finite values of moderate size. A sum of products of 1e30s and ordinary
    values cancels to a value that depends on the order of the terms, which BLAS and PyTorch's kernels choose
    differently: no tolerance covers it (matmul's generator meets few such sums, on inner sizes up to 4)."""
    return h.is_floating_point() and bool(h.isfinite().all()) and float(h.abs().max()) <= 1e3


@generator("Conv1d", "Conv2d")
def gen_conv(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not h.numel() or not _well_scaled(h):
        return []
    spatial = 1 if op == "Conv1d" else 2
    steps, shape = _reshaped(draw, h, spatial)
    channels, size = shape[-spatial - 1], shape[-spatial:]
    groups = draw(st.sampled_from([1, 1, 1, channels]))
    out_channels = groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, max(min(s, 3), 1))) for s in size)
    dtype = _dtype(h) if draw(st.integers(0, 7)) else draw(st.sampled_from(FLOATS))  # mixed dtypes raise
    weight = draw(arrays(dtype, (out_channels, channels // groups, *kernel), mode="ordinary"))
    kwargs: dict[str, Any] = {}
    if draw(st.booleans()):
        kwargs["bias"] = draw(arrays(dtype, (out_channels,), mode="ordinary"))
    choice = draw(st.integers(0, 5))
    if choice == 0:
        kwargs["padding"] = draw(st.sampled_from(["same", "valid"]))
    elif choice <= 2:
        kwargs["padding"] = draw(st.integers(0, 2))
    if draw(st.booleans()) and kwargs.get("padding") != "same":
        kwargs["stride"] = draw(st.integers(1, 3))
    if draw(st.integers(0, 3)) == 0:
        kwargs["dilation"] = draw(st.integers(1, 2))
    if groups != 1:
        kwargs["groups"] = groups
    return [*steps, Step(op, path(op), (H, weight), kwargs)]


@generator("ConvTranspose1d", "ConvTranspose2d")
def gen_conv_transpose(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not h.numel() or not _well_scaled(h):
        return []
    spatial = 1 if op == "ConvTranspose1d" else 2
    steps, shape = _reshaped(draw, h, spatial)
    channels = shape[-spatial - 1]
    groups = draw(st.sampled_from([1, 1, channels]))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(spatial))
    weight = draw(arrays(_dtype(h), (channels, draw(st.integers(1, 2)), *kernel), mode="ordinary"))
    stride, padding = draw(st.integers(1, 2)), draw(st.integers(0, 1))
    output_padding = draw(st.integers(0, stride))
    size = shape[-spatial:]
    if any((s - 1) * stride - 2 * padding + k + output_padding <= 0 for s, k in zip(size, kernel)):
        # Constrained: an output of no positions. PyTorch's float32 2-d kernel (oneDNN) returns an empty tensor for
        # a size of 0 and refuses a negative one with its own words; its other kernels refuse both.
        padding = 0
    kwargs: dict[str, Any] = {"stride": stride, "padding": padding, "output_padding": output_padding,
                              "groups": groups}
    return [*steps, Step(op, path(op), (H, weight), kwargs)]


@generator("Unfold")
def gen_unfold(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not h.numel():
        return []
    steps, _ = _reshaped(draw, h, 2)
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    kwargs = {"dilation": draw(st.integers(1, 2)), "padding": draw(st.integers(0, 1)),
              "stride": draw(st.integers(1, 2))}
    return [*steps, Step(op, path(op), (H, kernel), kwargs)]


@generator("Fold")
def gen_fold(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """Columns (N, C kh kw, L) for an output whose blocks number L: drawn from the output and kernel first."""
    if not h.numel():
        return []
    kernel = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    stride, padding = draw(st.integers(1, 2)), draw(st.integers(0, 1))
    output = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    blocks = math.prod((o + 2 * padding - (k - 1) - 1) // stride + 1 for o, k in zip(output, kernel))
    rows = math.prod(kernel)
    n = h.numel()
    if blocks <= 0 or n % (rows * blocks) or draw(st.integers(0, 9)) == 0:
        shape = _split(draw, n, 3)  # most such shapes do not fit: both raise
    else:
        count, channels = _split(draw, n // (rows * blocks), 2)
        shape = (count, channels * rows, blocks)
    return [Step("Reshape", path("Reshape"), (H, shape)),
            Step(op, path(op), (H, output, kernel), {"stride": stride, "padding": padding})]


@generator("MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d")
def gen_pool(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not h.numel():
        return []
    spatial = 1 if op.endswith("1d") else 2
    steps, _ = _reshaped(draw, h, spatial)
    kernel = draw(st.integers(1, 3))
    kwargs: dict[str, Any] = {"kernel_size": kernel}
    if draw(st.booleans()):
        kwargs["stride"] = draw(st.integers(1, 3))
    if draw(st.booleans()):
        kwargs["padding"] = draw(st.integers(0, kernel // 2 + (draw(st.integers(0, 9)) == 0)))
    kwargs["ceil_mode"] = draw(st.booleans())
    if op.startswith("Max"):
        if draw(st.integers(0, 3)) == 0:
            # Constrained: no padding with dilation. Dilated taps can then all fall in the padding; PyTorch's
            # backward writes such a window's gradient past the input (memory corruption: the process aborts).
            kwargs["dilation"] = 2
            kwargs.pop("padding", None)
        if draw(st.integers(0, 3)) == 0:
            return [*steps, Step(op, path(op), (H,), {**kwargs, "return_indices": True}, pick=0)]
    else:
        kwargs["count_include_pad"] = draw(st.booleans())
        if op == "AvgPool2d" and draw(st.integers(0, 3)) == 0:
            kwargs["divisor_override"] = draw(st.integers(1, 3))
    return [*steps, Step(op, path(op), (H,), kwargs)]


@generator("AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d")
def gen_adaptive(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not h.numel():
        return []
    spatial = 1 if op.endswith("1d") else 2
    steps, _ = _reshaped(draw, h, spatial)
    out = draw(st.integers(1, 4)) if spatial == 1 else (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    if op == "AdaptiveMaxPool2d" and draw(st.booleans()):
        return [*steps, Step(op, path(op), (H, out), {"return_indices": True}, pick=0)]
    return [*steps, Step(op, path(op), (H, out))]
