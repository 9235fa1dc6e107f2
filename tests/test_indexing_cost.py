"""Reading by index costs what it picks, never the size of the tensor indexed.

``x[key]`` and its backward find the positions they read and write from the key alone (``ops/shape.py``,
``_source_positions``), never from a map of every element of x. tracemalloc counts what they allocate: picking a
few elements out of 2,000,000 allocates a few kilobytes, whatever the key. The positions are checked against the
map built the plain way for thousands of keys, errors included, and values and gradients against PyTorch for keys
where numpy's and PyTorch's rules are easy to get wrong.
"""

from __future__ import annotations

import math
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close

import minigrad
from minigrad.ops.shape import _index, _source_positions

ROWS = 1_000_000  # x: ROWS x 2 float32, 2,000,000 elements (8 MB)
CUBE = (100, 200, 100)  # the same number of elements in three dims


def _picks(fw: Any) -> dict[str, Any]:
    """Index tensors and masks for the keys below, the same values in both frameworks."""
    rng = np.random.default_rng(0)
    rows = rng.integers(-ROWS, ROWS, 32)
    mask = np.zeros(ROWS, bool)
    mask[rng.integers(0, ROWS, 32)] = True
    plane = np.zeros(CUBE[:2], bool)
    plane[rng.integers(0, CUBE[0], 8), rng.integers(0, CUBE[1], 8)] = True
    line = np.zeros(CUBE[1], bool)
    line[[3, 50, 199]] = True
    return {"rows": fw.tensor(rows), "rows32": fw.tensor(rows.astype(np.int32)), "mask": fw.tensor(mask),
            "i": fw.tensor(rng.integers(0, CUBE[0], 16)), "k": fw.tensor(rng.integers(-CUBE[2], CUBE[2], 16)),
            "plane": fw.tensor(plane), "line": fw.tensor(line), "scalar": fw.tensor(-3)}


KEYS: dict[str, Callable[[Any, Any, dict[str, Any]], Any]] = {  # x (ROWS x 2) or cube (CUBE) indexed by a key
    "long rows": lambda x, cube, p: x[p["rows"]],
    "int rows": lambda x, cube, p: x[p["rows32"]],
    "list": lambda x, cube, p: x[[5, -1, 7, 5]],
    "mask over dim 0": lambda x, cube, p: x[p["mask"]],
    "0-d index": lambda x, cube, p: x[p["scalar"]],
    "rows of a transpose": lambda x, cube, p: x.t()[:, p["rows"]],
    "slices around an index": lambda x, cube, p: cube[1:3, p["i"], ::7],
    "separated indices": lambda x, cube, p: cube[p["i"], :, p["k"]],
    "int, Ellipsis, index": lambda x, cube, p: cube[5, ..., p["k"]],
    "2-d mask, None": lambda x, cube, p: cube[None, p["plane"], 3],
    "index, mask": lambda x, cube, p: cube[:, p["line"], p["k"][:1]],
}


def _traced_peak(fn: Callable[[], Any]) -> int:
    """The most memory (bytes, numpy's arrays included) allocated at once while ``fn`` runs."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", KEYS)
def test_picking_a_few_elements_allocates_what_it_picks(name: str) -> None:
    x, cube = minigrad.randn(ROWS, 2), minigrad.randn(*CUBE)
    picks = _picks(minigrad)
    key = KEYS[name]
    picked = key(x, cube, picks)  # kernels compiled, and the result's size known
    assert 0 < picked.numel() <= 3_200
    peak = _traced_peak(lambda: key(x, cube, picks))
    assert peak < x.numpy().nbytes / 50, f"x[key] allocated {peak:,} bytes indexing {x.numpy().nbytes:,}"


@pytest.mark.parametrize("name", ["long rows", "list", "separated indices", "2-d mask, None"])
def test_the_backward_allocates_only_the_gradient(name: str) -> None:
    """The gradient of x is x's size (zeros, PyTorch's too); the positions it is added at are the key's size."""
    x, cube = minigrad.randn(ROWS, 2, requires_grad=True), minigrad.randn(*CUBE, requires_grad=True)
    picks = _picks(minigrad)
    KEYS[name](x, cube, picks).sum().backward()  # compiled

    def step() -> None:
        x.grad = cube.grad = None
        KEYS[name](x, cube, picks).sum().backward()

    peak = _traced_peak(step)
    size = x.detach().numpy().nbytes
    assert peak < size * 1.2, f"backward allocated {peak:,} bytes for a gradient of {size:,}"


def test_the_backward_of_max_along_a_dim_allocates_only_the_gradient() -> None:
    x = minigrad.randn(ROWS, 2, requires_grad=True)
    out = x.max(dim=0).values.sum()
    out.backward(retain_graph=True)  # compiled
    x.grad = None
    peak = _traced_peak(lambda: out.backward(retain_graph=True))
    size = x.detach().numpy().nbytes
    assert peak < size * 1.2, f"backward allocated {peak:,} bytes for a gradient of {size:,}"


@pytest.mark.parametrize("name", KEYS)
def test_values_and_gradients_match_torch(name: str) -> None:
    def run(fw: Any) -> tuple[Any, Any, Any]:
        fw.manual_seed(0)
        x = fw.tensor(np.arange(ROWS * 2, dtype=np.float32).reshape(ROWS, 2), requires_grad=True)
        cube = fw.tensor(np.arange(math.prod(CUBE), dtype=np.float32).reshape(CUBE), requires_grad=True)
        out = KEYS[name](x, cube, _picks(fw))
        (out * fw.arange(out.numel(), dtype=fw.float32).reshape(out.shape)).sum().backward()
        return out, x.grad, cube.grad

    for actual, expected, what in zip(run(minigrad), run(torch), ("value", "x.grad", "cube.grad")):
        if expected is None:
            assert actual is None, what
        else:
            assert_close(actual, expected, what)


TRICKY = [  # keys on a (4, 5, 6) tensor
    lambda fw: (fw.tensor([0, -1, 2]), slice(None), fw.tensor([-6, 5, 0])),  # separated: the picks go first
    lambda fw: (slice(1, None, 2), fw.tensor([[0, -1], [4, 2]]), fw.tensor([1, -2])),  # adjacent, broadcast
    lambda fw: (Ellipsis, fw.tensor([-1, 0, -6])),
    lambda fw: (fw.tensor([-4, 3]), Ellipsis, None),
    lambda fw: (None, fw.tensor([True, False, True, True]), None, slice(None, None, 3)),
    lambda fw: (fw.tensor([[True, False, True, False, True]] * 4), fw.tensor([0, -1, 2, 3, 4, 5, 1, 1, 0, 0, 3, -6])),
    lambda fw: (2, fw.tensor([1, 1, -1]), slice(1, 5, 2)),
    lambda fw: (slice(None), 3, fw.tensor([0, -1])),  # an int between a slice and a pick: PyTorch's rules
    lambda fw: (fw.tensor([1, 2]), slice(None), 0),
    lambda fw: (fw.tensor([], dtype=fw.int64), Ellipsis),
]


@pytest.mark.parametrize("index", range(len(TRICKY)))
def test_tricky_keys_match_torch(index: int) -> None:
    def run(fw: Any) -> tuple[Any, Any]:
        x = fw.tensor(np.arange(120, dtype=np.float64).reshape(4, 5, 6), requires_grad=True)
        out = x[TRICKY[index](fw)]
        (out * fw.arange(out.numel(), dtype=fw.float64).reshape(out.shape)).sum().backward()
        return out, x.grad

    for actual, expected, what in zip(run(minigrad), run(torch), ("value", "x.grad")):
        assert_close(actual, expected, what)


@pytest.mark.parametrize("key", [lambda fw: fw.tensor([0, 4]), lambda fw: (fw.tensor([1]), 2, fw.tensor([6])),
                                 lambda fw: fw.tensor([-5]), lambda fw: [1, -7]])
def test_an_index_out_of_range_is_pytorchs_error(key: Callable[[Any], Any]) -> None:
    def run(fw: Any) -> Any:
        return fw.zeros(4, 5, 6)[key(fw)]

    with pytest.raises(IndexError) as expected:
        run(torch)
    with pytest.raises(IndexError) as actual:
        run(minigrad)
    assert str(actual.value) == str(expected.value)


def _random_item(size: int, rng: np.random.Generator) -> Any:
    """One entry of a key for a dim of ``size``: an int, None, a slice (any step), Ellipsis, an index array (some
    out of range), a list, a mask, or a 0-d mask."""
    kind = rng.integers(0, 9)
    if kind == 0:
        return int(rng.integers(-size - 1, size + 1))
    if kind == 1:
        return None
    if kind == 2:
        bound = [None, *range(-size - 2, size + 2)]
        return slice(rng.choice(bound), rng.choice(bound), rng.choice([None, 1, 2, 3, -1, -2]))
    if kind == 3:
        return Ellipsis
    if kind in (4, 5):
        shape = tuple(rng.integers(0, 3, rng.integers(0, 3)))
        return rng.integers(-size - 1, size + 1, shape).astype(rng.choice([np.int64, np.int32]))
    if kind == 6:
        return np.array(rng.integers(-size, size + 1, rng.integers(0, 4)).tolist() if size else [], np.int64)
    if kind == 7:
        return rng.random(size) < 0.5
    return np.array(rng.random() < 0.7)


def test_positions_are_the_full_maps() -> None:
    """_source_positions(shape, key) == the map of every flat position of x, indexed by key (errors alike)."""
    rng = np.random.default_rng(0)
    checked = raised = 0
    while checked < 3_000:
        shape = tuple(int(s) for s in rng.integers(0, 5, rng.integers(0, 5)))
        key: list[Any] = []
        dim = 0
        for _ in range(rng.integers(1, 5)):
            item = _random_item(shape[dim] if dim < len(shape) else 1, rng)
            if isinstance(item, np.ndarray) and item.dtype == bool and item.ndim and dim + 1 < len(shape) \
                    and rng.random() < 0.3:
                item = rng.random(shape[dim:dim + 2]) < 0.5  # a mask over two dims
            if item is Ellipsis and any(k is Ellipsis for k in key):
                continue
            key.append(item)
            dim += 0 if item is None or item is Ellipsis else item.ndim if isinstance(item, np.ndarray) and \
                item.dtype == bool else 1
        if dim > len(shape) or not any(isinstance(k, np.ndarray) for k in key):
            continue
        full = np.arange(math.prod(shape)).reshape(shape)
        try:
            expected, error = _index(full, tuple(key)), None
        except IndexError as e:
            expected, error = None, str(e)
        if error is not None:
            with pytest.raises(IndexError) as info:
                _source_positions(shape, tuple(key))
            assert str(info.value) == error
            raised += 1
        else:
            actual = _source_positions(shape, tuple(key))
            assert actual.shape == expected.shape and np.array_equal(actual, expected), (shape, key)
        checked += 1
    assert raised > 100  # out-of-range ints and index arrays, masks of the wrong size
