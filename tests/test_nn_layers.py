"""Padding layers (ZeroPad, ConstantPad, ReflectionPad, ReplicationPad, CircularPad in 1-D, 2-D and 3-D),
CosineSimilarity, PairwiseDistance, Softmax2d and Bilinear (with F.bilinear) against PyTorch: repr, values and the
gradients of the inputs and parameters (float32 and float64), seeded initial parameters bit for bit, and PyTorch's
errors, all to the suite's tolerance (``assert_close``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error, numpy_of

import minigrad


def _compare(build: Callable[[Any], Any], shapes: list[tuple[int, ...]], dtype: str, device: str) -> None:
    """The module ``build(fw)`` prints alike in both; on inputs of ``shapes`` its output and the inputs' gradients
    under a random cotangent agree."""
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    results = []
    for fw in (minigrad, torch):
        dev = device if fw is torch else "cpu"
        fw.manual_seed(0)
        module = build(fw).to(getattr(fw, dtype))
        parameters = list(module.parameters())
        module.to(dev)
        inputs = [fw.tensor(a, device=dev, requires_grad=True) for a in arrays]
        out = module(*inputs)
        out.backward(fw.tensor(np.random.default_rng(4).standard_normal(tuple(out.shape)).astype(dtype),
                               device=dev))
        results.append((repr(module), out, [x.grad for x in inputs + list(module.parameters())], parameters))
    (our_repr, ours, our_grads, our_params), (their_repr, theirs, their_grads, their_params) = results
    assert our_repr == their_repr
    for k, (a, e) in enumerate(zip(our_params, their_params)):  # the seeded initial values
        np.testing.assert_array_equal(numpy_of(a), numpy_of(e), err_msg=f"parameter {k}")
    assert_close(ours, theirs, "output")
    assert len(our_grads) == len(their_grads)
    for k, (a, e) in enumerate(zip(our_grads, their_grads)):
        assert_close(a, e, f"grad of input or parameter {k}")


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


# (name, module from fw, input shapes)
LAYER_CASES: list[tuple[str, Callable[[Any], Any], list[tuple[int, ...]]]] = [
    ("cosine", lambda fw: fw.nn.CosineSimilarity(), [(4, 5), (4, 5)]),
    ("cosine-dim-eps", lambda fw: fw.nn.CosineSimilarity(dim=-1, eps=0.5), [(2, 3, 4), (3, 1)]),
    ("pairwise", lambda fw: fw.nn.PairwiseDistance(), [(4, 5), (4, 5)]),
    ("pairwise-p1-keepdim", lambda fw: fw.nn.PairwiseDistance(p=1.0, eps=1e-3, keepdim=True), [(4, 5), (5,)]),
    ("pairwise-p3", lambda fw: fw.nn.PairwiseDistance(3.0), [(2, 3, 4), (2, 3, 4)]),
    ("softmax2d-4d", lambda fw: fw.nn.Softmax2d(), [(2, 3, 4, 5)]),
    ("softmax2d-3d", lambda fw: fw.nn.Softmax2d(), [(3, 4, 5)]),
    ("bilinear", lambda fw: fw.nn.Bilinear(3, 4, 5), [(6, 3), (6, 4)]),
    ("bilinear-batch", lambda fw: fw.nn.Bilinear(2, 3, 4), [(2, 5, 2), (2, 5, 3)]),
    ("bilinear-unbatched", lambda fw: fw.nn.Bilinear(2, 3, 1), [(2,), (3,)]),
    ("bilinear-no-bias", lambda fw: fw.nn.Bilinear(4, 4, 3, bias=False), [(5, 4), (5, 4)]),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("name", "build", "shapes"), LAYER_CASES, ids=[c[0] for c in LAYER_CASES])
def test_layer_matches_torch(name: str, build: Callable[[Any], Any], shapes: list[tuple[int, ...]], dtype: str,
                             device: str) -> None:
    _compare(build, shapes, dtype, device)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_functional_bilinear_matches_torch(dtype: str, device: str) -> None:
    rng = np.random.default_rng(5)
    arrays = [rng.standard_normal(s).astype(dtype) for s in ((3, 2, 4), (3, 2, 5), (6, 4, 5), (6,))]
    results = []
    for fw in (minigrad, torch):
        dev = device if fw is torch else "cpu"
        leaves = [fw.tensor(a, device=dev, requires_grad=True) for a in arrays]
        out = fw.nn.functional.bilinear(*leaves)
        out.backward(fw.ones_like(out))
        results.append((out, [x.grad for x in leaves], out.grad_fn.name()))
    assert_close(results[0][0], results[1][0])
    for a, e in zip(results[0][1], results[1][1]):
        assert_close(a, e, "gradient")
    assert results[0][2] == results[1][2]


@pytest.mark.parametrize("bad", [
    lambda fw: fw.nn.Softmax2d()(fw.zeros(3, 3)),
    lambda fw: fw.nn.Softmax2d()(fw.zeros(1, 2, 3, 3, 3)),
    lambda fw: fw.nn.Bilinear(0, 3, 4),
    lambda fw: fw.nn.Bilinear(2, 3, 4)(fw.ones(5, 2), fw.ones(4, 3)),
    lambda fw: fw.nn.Bilinear(2, 3, 4)(fw.ones(5, 3), fw.ones(5, 3)),
    lambda fw: fw.nn.Bilinear(2, 3, 4)(fw.ones(5, 2), fw.ones(5, 4)),
    lambda fw: fw.nn.Bilinear(2, 3, 4)(fw.ones(5, 2), fw.ones(5, 1, 3)),
    lambda fw: fw.nn.functional.bilinear(fw.ones(5, 2), fw.ones(5, 3), fw.ones(4, 2, 3), fw.ones(5)),
    lambda fw: fw.nn.CosineSimilarity()(fw.ones(2, 3), fw.ones(2, 4)),
    lambda fw: fw.nn.PairwiseDistance()(fw.ones(2, 3), fw.ones(3, 3)),
])
def test_layer_errors(bad: Callable[[Any], Any]) -> None:
    assert_same_error(bad)


@pytest.mark.parametrize("bias", [True, False])
def test_lazy_linear_as_torch(bias: bool) -> None:
    """What a beginner sees: the print and the parameters before the first call, the shape error, then (drawn at the
    first call, under one seed) the same Linear, output, gradients and two Adam steps made by an optimizer created
    before the parameters had shapes."""
    x = np.random.default_rng(6).standard_normal((5, 4)).astype("float32")
    seen = []
    for fw in (minigrad, torch):
        fw.manual_seed(0)
        layer = fw.nn.LazyLinear(3, bias=bias)
        before = (repr(layer), repr(list(layer.parameters())), isinstance(layer, fw.nn.Linear),
                  type(layer.weight).__name__)
        optimizer = fw.optim.Adam(layer.parameters(), lr=0.1)
        outputs = []
        for _ in range(2):
            out = layer(fw.tensor(x))
            out.pow(2).sum().backward()
            optimizer.step()
            optimizer.zero_grad()
            outputs.append(numpy_of(out))
        after = (repr(layer), type(layer).__name__, type(layer.weight).__name__, layer.in_features)
        seen.append((before, after, outputs, [numpy_of(p) for p in layer.parameters()]))
    (our_before, our_after, our_outputs, our_params), (their_before, their_after, their_outputs, their_params) = seen
    assert our_before == their_before
    assert our_after == their_after
    for a, e in zip(our_outputs + our_params, their_outputs + their_params):
        np.testing.assert_allclose(a, e, rtol=1e-6, atol=2e-6)
    assert_same_error(lambda fw: fw.nn.LazyLinear(3).weight.shape)
