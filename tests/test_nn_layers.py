"""Padding layers (ZeroPad, ConstantPad, ReflectionPad, ReplicationPad, CircularPad in 1-D, 2-D and 3-D) against
PyTorch: repr, values and input gradients (float32 and float64), and PyTorch's errors.

Padding only moves and repeats values (and sums the gradients of repeats): the same arithmetic in both, compared
to the suite's tolerance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad


def _compare(build: Callable[[Any], Any], shapes: list[tuple[int, ...]], dtype: str, device: str) -> None:
    """The module ``build(fw)`` prints alike in both; on inputs of ``shapes`` its output and the inputs' gradients
    under a random cotangent agree."""
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    results = []
    for fw in (minigrad, torch):
        dev = device if fw is torch else "cpu"
        module = build(fw)
        inputs = [fw.tensor(a, device=dev, requires_grad=True) for a in arrays]
        out = module(*inputs)
        out.backward(fw.tensor(np.random.default_rng(4).standard_normal(tuple(out.shape)).astype(dtype),
                               device=dev))
        results.append((repr(module), out, [x.grad for x in inputs]))
    (our_repr, ours, our_grads), (their_repr, theirs, their_grads) = results
    assert our_repr == their_repr
    assert_close(ours, theirs, "output")
    for k, (a, e) in enumerate(zip(our_grads, their_grads)):
        assert_close(a, e, f"grad of input {k}")


# (class name, constructor arguments, input shape)
PADDING_CASES = [
    ("ZeroPad1d", (2,), (2, 3, 4)), ("ZeroPad1d", ((1, -1),), (3, 4)),
    ("ZeroPad2d", (1,), (2, 3, 4, 5)), ("ZeroPad2d", ((1, 0, 2, 3),), (3, 4, 5)),
    ("ZeroPad3d", (1,), (1, 2, 3, 4, 5)), ("ZeroPad3d", ((0, 1, 2, 0, 1, 1),), (2, 3, 4, 5)),
    ("ConstantPad1d", (2, 3.5), (2, 3, 4)), ("ConstantPad2d", ((1, 2, 0, 1), -1.0), (2, 3, 4)),
    ("ConstantPad3d", (1, 2), (1, 2, 3, 4, 5)), ("ConstantPad3d", ([1, 0, 0, 2, 1, 0], 0.5), (2, 3, 4, 5)),
    ("ReflectionPad1d", (2,), (2, 3, 4)), ("ReflectionPad1d", ((3, 1),), (3, 5)),
    ("ReflectionPad2d", (1,), (2, 3, 4, 5)), ("ReflectionPad2d", ((1, 0, 2, 3),), (3, 4, 5)),
    ("ReflectionPad3d", (1,), (1, 2, 3, 4, 5)), ("ReflectionPad3d", ((0, 1, 2, 0, 1, 1),), (2, 3, 4, 5)),
    ("ReplicationPad1d", (2,), (2, 3, 4)), ("ReplicationPad1d", ((3, 0),), (3, 5)),
    ("ReplicationPad2d", (2,), (2, 3, 4, 5)), ("ReplicationPad2d", ((1, 0, 4, 3),), (3, 4, 5)),
    ("ReplicationPad3d", (1,), (1, 2, 3, 4, 5)), ("ReplicationPad3d", ((0, 3, 2, 0, 1, 1),), (2, 3, 4, 5)),
    ("CircularPad1d", (2,), (2, 3, 4)), ("CircularPad1d", ((3, 1),), (3, 5)),
    ("CircularPad2d", (1,), (2, 3, 4, 5)), ("CircularPad2d", ((1, 0, 2, 3),), (3, 4, 5)),
    ("CircularPad3d", (1,), (1, 2, 3, 4, 5)), ("CircularPad3d", ((0, 1, 2, 0, 1, -1),), (2, 3, 4, 5)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("name", "args", "shape"), PADDING_CASES, ids=[f"{c[0]}-{c[1]}" for c in PADDING_CASES])
def test_padding_layer_matches_torch(name: str, args: tuple, shape: tuple[int, ...], dtype: str, device: str) -> None:
    _compare(lambda fw: getattr(fw.nn, name)(*args), [shape], dtype, device)


def test_padding_layers_are_their_families() -> None:
    for fw in (minigrad, torch):
        assert isinstance(fw.nn.ZeroPad2d(1), fw.nn.ConstantPad2d)
        assert fw.nn.ZeroPad3d(1).value == 0.0
        assert fw.nn.ReflectionPad2d([1, 2, 3, 4]).padding == (1, 2, 3, 4)


@pytest.mark.parametrize("bad", [
    lambda fw: fw.nn.CircularPad2d(1)(fw.zeros(3, 3)),
    lambda fw: fw.nn.CircularPad1d(1)(fw.zeros(1, 2, 3, 3)),
    lambda fw: fw.nn.CircularPad3d(1)(fw.zeros(3, 3, 3)),
    lambda fw: fw.nn.CircularPad1d(4)(fw.zeros(1, 2, 3)),
    lambda fw: fw.nn.ReflectionPad1d(3)(fw.zeros(1, 2, 3)),
    lambda fw: fw.nn.ReflectionPad2d(1)(fw.zeros(1, 1, 1, 3, 3)),
    lambda fw: fw.nn.ReplicationPad1d(1)(fw.zeros(3)),
    lambda fw: fw.nn.ReplicationPad3d(1)(fw.zeros(3, 3)),
    lambda fw: fw.nn.ConstantPad2d((1, 2, 3), 1.0)(fw.zeros(3, 3)),
    lambda fw: fw.nn.ZeroPad3d(1)(fw.zeros(3, 3)),
])
def test_padding_layer_errors(bad: Callable[[Any], Any]) -> None:
    assert_same_error(bad)
