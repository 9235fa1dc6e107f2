"""searchsorted and bucketize (positions in sorted boundaries), result_type and can_cast (PyTorch's dtype rules as
functions), each against PyTorch: values, dtypes, shapes and errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import assert_same_error

import minigrad

SEQUENCE = [[1.0, 3.0, 3.0, 5.0, 7.0], [-2.0, 0.0, 0.5, 0.5, 9.0]]
VALUES = [[3.0, 0.0, 8.0, 7.0], [0.5, -5.0, 9.0, 1.0]]


def _same(ours: minigrad.Tensor, theirs: torch.Tensor) -> None:
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert ours.tolist() == theirs.cpu().tolist()


@pytest.mark.parametrize("options", [{}, {"right": True}, {"side": "right"}, {"side": "left"}, {"out_int32": True}])
@pytest.mark.parametrize("layout", ["rows", "one row", "one row, 2-d values", "scalar", "number", "int values"])
def test_searchsorted(layout: str, options: dict, device: str) -> None:
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        rows, values = fw.tensor(SEQUENCE, device=dev), fw.tensor(VALUES, device=dev)
        sequence, input = {"rows": (rows, values), "one row": (rows[0], values[0]),  # noqa: A001
                           "one row, 2-d values": (rows[0], values), "scalar": (rows[0], values[0, 0]),
                           "number": (rows[1], 0.5), "int values": (rows[0], values[0].long())}[layout]
        found.append(fw.searchsorted(sequence, input, **options))
    _same(found[1], found[0])


def test_searchsorted_with_a_sorter_and_bucketize(device: str) -> None:
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        unsorted = fw.tensor([5.0, 1.0, 3.0, 7.0], device=dev)
        boundaries = fw.tensor([1, 3, 5, 7], device=dev)
        x = fw.tensor([[1, 5, 9], [0, 3, 6]], device=dev)
        found.append([fw.searchsorted(unsorted, fw.tensor([2.0, 5.0], device=dev), sorter=unsorted.argsort()),
                      fw.bucketize(x, boundaries), fw.bucketize(x, boundaries, right=True),
                      fw.bucketize(x.double(), boundaries, out_int32=True), fw.bucketize(3, boundaries)])
    for ours, theirs in zip(found[1], found[0]):
        _same(ours, theirs)


@pytest.mark.parametrize("call", [
    lambda fw: fw.searchsorted(fw.tensor([[1, 2], [3, 4]]), fw.tensor([1, 2])),
    lambda fw: fw.searchsorted(fw.tensor([1, 2]), fw.tensor([1]), side="left", right=True),
    lambda fw: fw.bucketize(fw.tensor([1]), fw.tensor([[1, 2]])),
])
def test_search_errors(call) -> None:
    assert_same_error(call)


DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


@pytest.mark.parametrize("first", DTYPES)
def test_result_type_and_can_cast(first: str) -> None:
    for second in DTYPES:
        for fw_shape in ((2,), ()):
            ours = minigrad.result_type(minigrad.ones(2, dtype=getattr(minigrad, first)),
                                        minigrad.ones(fw_shape, dtype=getattr(minigrad, second)))
            theirs = torch.result_type(torch.ones(2, dtype=getattr(torch, first)),
                                       torch.ones(fw_shape, dtype=getattr(torch, second)))
            assert ours.name == str(theirs).split(".")[-1]
        assert minigrad.can_cast(getattr(minigrad, first), getattr(minigrad, second)) == torch.can_cast(
            getattr(torch, first), getattr(torch, second))
    for number in (1, 2.5, True):
        ours, theirs = (fw.result_type(fw.ones(2, dtype=getattr(fw, first)), number) for fw in (minigrad, torch))
        assert ours.name == str(theirs).split(".")[-1]
    assert minigrad.result_type(2, 2.5).name == str(torch.result_type(2, 2.5)).split(".")[-1]


def test_searchsorted_matches_numpy_on_many_random_values() -> None:
    """A larger draw, ties included, both sides: the same positions as PyTorch's."""
    rng = np.random.default_rng(0)
    boundaries = np.sort(rng.integers(0, 50, 200)).astype(np.float64)
    values = rng.integers(-5, 55, 1000).astype(np.float64)
    for right in (False, True):
        ours = minigrad.searchsorted(minigrad.tensor(boundaries), minigrad.tensor(values), right=right)
        theirs = torch.searchsorted(torch.tensor(boundaries), torch.tensor(values), right=right)
        _same(ours, theirs)
