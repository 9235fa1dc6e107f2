"""The small dtypes a beginner's notebook reaches for (int8, int16) behave as PyTorch's.

- Creation: ``tensor(..., dtype=)``, ``.type(dtype)``, ``.type('torch.ShortTensor')``, ``.to()``, ``.short()``,
  ``.char()``, the legacy classes ``ShortTensor``/``CharTensor``, ``x.type()``'s name, ``iinfo``, ``torch.short``.
- Printing: ``str`` and ``repr`` as torch's (``dtype=torch.int8``).
- Arithmetic: integers wrap as PyTorch's (int8 127 + 1 is -128), division gives the default float, and a tensor
  with a Python int keeps its dtype (the pairs of dtypes are in ``test_promotion``).

Every expected value is torch's, computed in the test, on each device of the ``device`` fixture.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import dtype_name, numpy_of

import minigrad

INTS = ["int8", "int16"]


def same(compute: Callable[[Any], Any], device: str) -> None:
    """``compute(minigrad)`` is ``compute(torch)`` (torch's tensors made on ``device``): dtype, shape, values bit for
    bit (NaN where NaN), or the same printed text."""
    with torch.device(device):
        expected = compute(torch)
    actual = compute(minigrad)
    if isinstance(expected, str):
        assert actual == expected.replace("torch.", "minigrad."), (actual, expected)
        return
    assert dtype_name(actual) == dtype_name(expected)
    assert tuple(actual.shape) == tuple(expected.shape)
    np.testing.assert_array_equal(numpy_of(actual), numpy_of(expected))


CREATIONS = {
    "tensor-dtype": lambda fw, d: fw.tensor([1, -2, 3], dtype=getattr(fw, d)),
    "tensor-floats-truncate": lambda fw, d: fw.tensor([1.7, -2.9, 3.2], dtype=getattr(fw, d)),
    "type-dtype": lambda fw, d: fw.tensor([1.5, 2.5]).type(getattr(fw, d)),
    "to-dtype": lambda fw, d: fw.tensor([1, 300, -300]).to(getattr(fw, d)),
    "method": lambda fw, d: getattr(fw.tensor([1, 2, 200]), {"int8": "char", "int16": "short"}[d])(),
    "legacy-name": lambda fw, d: fw.tensor([1, 2]).type(f"torch.{'CharTensor' if d == 'int8' else 'ShortTensor'}"),
    "legacy-class": lambda fw, d: getattr(fw, "CharTensor" if d == "int8" else "ShortTensor")([1, 2, 3]),
    "zeros": lambda fw, d: fw.zeros(2, 3, dtype=getattr(fw, d)),
    "arange": lambda fw, d: fw.arange(5, dtype=getattr(fw, d)),
    "from-numpy": lambda fw, d: fw.from_numpy(np.array([1, 2], dtype=d)),
    "infers-numpy": lambda fw, d: fw.tensor(np.array([1, 2], dtype=d)),
    "back-to-float": lambda fw, d: fw.tensor([1, -2], dtype=getattr(fw, d)).float(),
}


@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("make", CREATIONS.values(), ids=CREATIONS.keys())
def test_creation_matches_torch(make: Callable[[Any, str], Any], dtype: str, device: str) -> None:
    same(lambda fw: make(fw, dtype), device)


@pytest.mark.parametrize("dtype", INTS)
def test_names_and_limits_are_torchs(dtype: str) -> None:
    t, m = getattr(torch, dtype), getattr(minigrad, dtype)
    assert repr(m) == repr(t).replace("torch.", "minigrad.")
    assert minigrad.tensor([1], dtype=m).type() == torch.tensor([1], dtype=t).type().replace("torch.", "minigrad.")
    assert (minigrad.iinfo(m).min, minigrad.iinfo(m).max, minigrad.iinfo(m).bits) == (
        torch.iinfo(t).min, torch.iinfo(t).max, torch.iinfo(t).bits)
    assert minigrad.short is minigrad.int16
    assert isinstance(minigrad.tensor([1], dtype=m), getattr(minigrad, "CharTensor" if dtype == "int8" else
                                                              "ShortTensor"))
    assert minigrad.tensor([1], dtype=m).element_size() == torch.tensor([1], dtype=t).element_size()


PRINTED = {
    "vector": lambda fw, d: fw.tensor([1, -2, 127], dtype=getattr(fw, d)),
    "matrix": lambda fw, d: fw.tensor([[1, -20], [3, 4]], dtype=getattr(fw, d)),
    "scalar": lambda fw, d: fw.tensor(-5, dtype=getattr(fw, d)),
    "empty": lambda fw, d: fw.tensor([], dtype=getattr(fw, d)),
}


@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("make", PRINTED.values(), ids=PRINTED.keys())
def test_printing_matches_torch(make: Callable[[Any, str], Any], dtype: str) -> None:
    """On the CPU only: a CUDA tensor prints its device, which minigrad's never have."""
    same(lambda fw: repr(make(fw, dtype)), "cpu")
    same(lambda fw: str(make(fw, dtype)), "cpu")


ARITHMETIC = {
    "wraps-up": lambda fw, x: x + 1,
    "wraps-down": lambda fw, x: x - 1,
    "wraps-mul": lambda fw, x: x * x,
    "neg-of-min": lambda fw, x: -x,
    "abs-of-min": lambda fw, x: x.abs(),
    "in-place-wraps": lambda fw, x: x.add_(100),
    "div-is-float": lambda fw, x: x / 2,
    "floor-div": lambda fw, x: x // 3,
    "remainder": lambda fw, x: x % 7,
    "python-int-keeps": lambda fw, x: x * 3,
    "python-float-floats": lambda fw, x: x * 0.5,
    "sum-is-int64": lambda fw, x: x.sum(),
    "cumsum-is-int64": lambda fw, x: x.cumsum(0),
    "max": lambda fw, x: x.max(),
    "sort": lambda fw, x: x.sort().values,
    "compare": lambda fw, x: x > 0,
    "clamp": lambda fw, x: x.clamp(-3, 3),
    "to-uint8": lambda fw, x: x.byte(),
    "with-uint8": lambda fw, x: x + x.byte(),
}


@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("compute", ARITHMETIC.values(), ids=ARITHMETIC.keys())
def test_arithmetic_matches_torch(compute: Callable[[Any, Any], Any], dtype: str, device: str) -> None:
    """The extremes of the dtype with small values: every wrap PyTorch's C arithmetic makes."""
    def run(fw: Any) -> Any:
        info = np.iinfo(dtype)
        return compute(fw, fw.tensor([info.max, info.min, 0, -1, 5, 100], dtype=getattr(fw, dtype)))
    same(run, device)


@pytest.mark.parametrize("dtype", INTS)
def test_out_of_range_fill_is_pytorchs_error(dtype: str) -> None:
    """An in-place op whose float result cannot go back into the integer tensor: PyTorch's error naming both."""
    with pytest.raises(RuntimeError) as expected:
        torch.ones(2, dtype=getattr(torch, dtype)).add_(1.5)
    with pytest.raises(RuntimeError) as actual:
        minigrad.ones(2, dtype=getattr(minigrad, dtype)).add_(1.5)
    assert str(actual.value) == str(expected.value)
