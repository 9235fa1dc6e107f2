"""torch-namespace functions composed from the tensor ops (tensordot, block_diag, cartesian_prod, trapezoid, isin,
tril/triu_indices, broadcast_shapes, concat, asarray, and the deprecated range and set_default_tensor_type), and
torch's forms of nn.functional's ops (torch.conv2d, torch.dropout, ...), each against PyTorch: values, dtypes,
gradients in float32 and float64, warnings and errors."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad


def _both(build, dtype: str, device: str, *arrays: np.ndarray) -> list[tuple]:
    """build(fw, *tensors) on both frameworks (each tensor requiring grad), with every input's gradient of
    sum(out * weights)."""
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        tensors = [fw.tensor(a, dtype=getattr(fw, dtype), device=dev, requires_grad=True) for a in arrays]
        out = build(fw, *tensors)
        weights = fw.arange(float(out.numel()), dtype=out.dtype, device=dev).view(out.shape)
        (out * weights).sum().backward()
        found.append((out.detach(), *(t.grad for t in tensors)))
    return found


COMPOSED = {
    "tensordot-2": (lambda fw, a, b: fw.tensordot(a, b, dims=2), [(3, 4, 5), (4, 5, 2)]),
    "tensordot-lists": (lambda fw, a, b: fw.tensordot(a, b, dims=([0, 2], [2, 1])), [(3, 4, 5), (2, 5, 3)]),
    "tensordot-0": (lambda fw, a, b: fw.tensordot(a, b, dims=0), [(2, 3), (4,)]),
    "block_diag": (lambda fw, a, b, c: fw.block_diag(a, b, c), [(2, 2), (1, 3), (2,)]),
    "cartesian_prod": (lambda fw, a, b: fw.cartesian_prod(a, b), [(3,), (2,)]),
    "trapezoid": (lambda fw, y: fw.trapezoid(y), [(3, 5)]),
    "trapezoid-x": (lambda fw, y, x: fw.trapezoid(y, x.cumsum(0)), [(3, 5), (5,)]),
    "trapezoid-dx-dim": (lambda fw, y: fw.trapezoid(y, dx=0.25, dim=0), [(3, 5)]),
    "trapz-x-dim": (lambda fw, y, x: fw.trapz(y, x, dim=0), [(4, 2), (4, 2)]),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", COMPOSED)
def test_composed_function(name: str, dtype: str, device: str) -> None:
    build, shapes = COMPOSED[name]
    rng = np.random.default_rng(len(name))
    theirs, ours = _both(build, dtype, device, *(rng.standard_normal(shape) for shape in shapes))
    for our, their in zip(ours, theirs):
        assert_close(our, their.cpu())


def _values(fw):
    warnings.simplefilter("ignore")  # (range's and set_default_tensor_type's deprecations: tested below)
    found = [fw.isin(fw.tensor([[1, 5], [7, 2]]), fw.tensor([[2, 7]])), fw.isin(fw.tensor([1.5, 2.0]), 2.0),
             fw.isin(fw.tensor([1, 2, 3]), fw.tensor([3, 1]), invert=True), fw.isin(fw.tensor([1, 2]), fw.tensor([])),
             fw.tril_indices(4, 3, -1), fw.triu_indices(3, 5, 2), fw.tril_indices(3, 3, dtype=fw.int32),
             fw.triu_indices(0, 2), fw.concat([fw.ones(2), fw.zeros(1)]), fw.concatenate((fw.ones(1, 2),) * 2, axis=1),
             fw.asarray([1, 2]), fw.asarray([[1.5]], dtype=fw.float64), fw.range(0, 2), fw.range(1, 2, 0.3),
             fw.range(0, 4, 2, dtype=fw.int64), fw.cartesian_prod(fw.tensor([1, 2]))]
    fw.set_default_tensor_type(fw.DoubleTensor)
    found.append(fw.tensor([0.1]))
    fw.set_default_tensor_type("torch.FloatTensor" if fw is torch else "minigrad.FloatTensor")
    found.append(fw.tensor([0.1]))
    return found, [tuple(fw.broadcast_shapes(*shapes)) for shapes in (((2, 1), (1, 3)), (5, (3, 1)), ())]


def test_values_and_dtypes_equal_torch() -> None:
    with warnings.catch_warnings():
        (ours, our_shapes), (theirs, their_shapes) = _values(minigrad), _values(torch)
    assert our_shapes == their_shapes
    for our, their in zip(ours, theirs):
        assert str(our.dtype).split(".")[-1] == str(their.dtype).split(".")[-1]
        assert our.tolist() == their.tolist()


def test_an_array_shares_memory() -> None:
    array = np.zeros(3)
    minigrad.asarray(array)[0] = 5
    minigrad.asarray(array, copy=True)[1] = 7
    assert array.tolist() == [5.0, 0.0, 0.0]


_WARNINGS = """
import warnings
import {fw} as fw
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for _ in range(2):
        fw.range(0, 1)
        fw.set_default_tensor_type(fw.FloatTensor)
print([str(w.message).split(" (Triggered internally")[0] for w in caught])
"""


def test_deprecation_warnings() -> None:
    """range warns at each call, set_default_tensor_type once a process (each in a process of its own)."""
    printed = [subprocess.run([sys.executable, "-c", _WARNINGS.format(fw=fw)], capture_output=True, text=True,
                              check=True).stdout for fw in ("torch", "minigrad")]
    assert printed[0] == printed[1]


@pytest.mark.parametrize("call", [
    lambda fw: fw.broadcast_shapes((2,), (3,)),
    lambda fw: fw.broadcast_shapes((2, 4), (3, 1, 1), (1, 5)),
    lambda fw: fw.tensordot(fw.ones(2, 3), fw.ones(3, 2), dims=([1], [0, 1])),
])
def test_errors(call) -> None:
    assert_same_error(call)


FUNCTIONAL_FORMS = {
    "conv1d": (lambda fw, x, w: fw.conv1d(x, w, None, 1, 1), [(2, 3, 7), (4, 3, 3)]),
    "conv2d": (lambda fw, x, w: fw.conv2d(x, w, stride=2), [(1, 2, 6, 6), (3, 2, 3, 3)]),
    "conv_transpose1d": (lambda fw, x, w: fw.conv_transpose1d(x, w), [(1, 2, 5), (2, 3, 3)]),
    "conv_transpose2d": (lambda fw, x, w: fw.conv_transpose2d(x, w, None, 2), [(1, 2, 3, 3), (2, 1, 2, 2)]),
    "max_pool1d": (lambda fw, x: fw.max_pool1d(x, 2), [(1, 2, 6)]),
    "max_pool2d": (lambda fw, x: fw.max_pool2d(x, 2, 1), [(1, 1, 4, 4)]),
    "avg_pool1d": (lambda fw, x: fw.avg_pool1d(x, 3, 2), [(2, 1, 7)]),
    "adaptive_avg_pool1d": (lambda fw, x: fw.adaptive_avg_pool1d(x, 3), [(2, 2, 7)]),
    "cosine_similarity": (lambda fw, a, b: fw.cosine_similarity(a, b, 0), [(4, 3), (4, 3)]),
    "pairwise_distance": (lambda fw, a, b: fw.pairwise_distance(a, b), [(4, 3), (4, 3)]),
    "pdist": (lambda fw, a: fw.pdist(a), [(4, 3)]),
    "pixel_shuffle": (lambda fw, x: fw.pixel_shuffle(x, 2), [(1, 4, 2, 3)]),
    "pixel_unshuffle": (lambda fw, x: fw.pixel_unshuffle(x, 2), [(1, 1, 4, 6)]),
    "prelu": (lambda fw, x, w: fw.prelu(x, w), [(2, 3, 4), (3,)]),
    "hardshrink": (lambda fw, x: fw.hardshrink(x, 0.3), [(5,)]),
    "layer_norm": (lambda fw, x, w, b: fw.layer_norm(x, (4,), w, b, 1e-5), [(3, 4), (4,), (4,)]),
    "group_norm": (lambda fw, x: fw.group_norm(x, 2), [(2, 4, 3)]),
    "bilinear": (lambda fw, a, b, w: fw.bilinear(a, b, w), [(3, 2), (3, 4), (5, 2, 4)]),
    "dropout-eval": (lambda fw, x: fw.dropout(x, 0.5, False), [(2, 3)]),
    "alpha_dropout-eval": (lambda fw, x: fw.alpha_dropout(x, 0.5, False), [(2, 3)]),
    "feature_alpha_dropout-eval": (lambda fw, x: fw.feature_alpha_dropout(x, 0.5, False), [(2, 3, 2)]),
}


@pytest.mark.parametrize("name", FUNCTIONAL_FORMS)
def test_torch_form_of_a_functional_op(name: str, device: str) -> None:
    """torch.conv2d(x, w, ...) and the like: torch's names for nn.functional's ops, with their arguments."""
    build, shapes = FUNCTIONAL_FORMS[name]
    rng = np.random.default_rng(len(name))
    theirs, ours = _both(build, "float64", device, *(rng.standard_normal(shape) for shape in shapes))
    for our, their in zip(ours, theirs):
        assert_close(our, their.cpu())


def test_torch_dropout_draws_as_pytorchs() -> None:
    found = []
    for fw in (torch, minigrad):
        fw.manual_seed(3)
        found.append(fw.dropout(fw.ones(3, 4), 0.5, True))
    assert found[1].tolist() == found[0].tolist()


def _splits_and_views(fw):
    x = fw.arange(24.0).view(2, 3, 4)
    m = x[0]
    y = fw.tensor([-float("inf"), 1.0, float("inf"), float("nan")])
    return [*fw.hsplit(m, 2), *m.hsplit([1, 3]), *fw.vsplit(x, [1]), *fw.dsplit(x, 2), *fw.hsplit(fw.arange(4), 2),
            m.H, x.mH, x.adjoint(), fw.adjoint(m), y.isneginf(), fw.isposinf(y), fw.isreal(y),
            fw.isposinf(fw.tensor([1, 2])), fw.diagflat(fw.tensor([1, 2])), m.diagflat(-1)]


def test_splits_conjugate_transposes_and_value_tests() -> None:
    for ours, theirs in zip(_splits_and_views(minigrad), _splits_and_views(torch)):
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("call", [
    lambda fw: fw.hsplit(fw.ones(3), 2),
    lambda fw: fw.vsplit(fw.ones(3), 1),
    lambda fw: fw.hsplit(fw.ones(3, 4), 3),
    lambda fw: fw.dsplit(fw.ones(3, 4), 2),
    lambda fw: fw.ones(3).H,
])
def test_split_and_transpose_errors(call) -> None:
    assert_same_error(call)


def test_legacy_new() -> None:
    """``weight.new(...)`` of older code: sizes (zeros here: PyTorch's memory is uninitialised, so only the shape and
    dtype are compared), data, nothing."""
    for fw in (minigrad, torch):
        x = fw.ones(2, dtype=fw.float64)
        made = [x.new(2, 3), x.new([1, 2]), x.new(), x.new(fw.Size([2]))]
        assert [(tuple(t.shape), str(t.dtype).split(".")[-1]) for t in made] == [
            ((2, 3), "float64"), ((2,), "float64"), ((0,), "float64"), ((2,), "float64")]
        assert made[1].tolist() == [1.0, 2.0]


QUANTILES = {
    "scalar q": lambda fw, x: fw.quantile(x, 0.3),
    "q tensor, dim": lambda fw, x: fw.quantile(x, fw.tensor([0.1, 0.5, 0.95], dtype=x.dtype), dim=1),
    "keepdim": lambda fw, x: x.quantile(0.7, dim=0, keepdim=True),
    "keepdim, every element": lambda fw, x: fw.quantile(x, fw.tensor([0.2, 0.8], dtype=x.dtype), keepdim=True),
    "lower": lambda fw, x: fw.quantile(x, fw.tensor([0.3, 0.5], dtype=x.dtype), dim=-1, interpolation="lower"),
    "higher": lambda fw, x: fw.quantile(x, 0.3, dim=1, interpolation="higher"),
    "nearest": lambda fw, x: fw.quantile(x, fw.tensor([0.25, 0.5, 0.75], dtype=x.dtype), interpolation="nearest"),
    "midpoint": lambda fw, x: fw.quantile(x, 0.4, dim=0, interpolation="midpoint"),
    "nanquantile": lambda fw, x: fw.nanquantile(x.masked_fill(x > 1, float("nan")), 0.5, dim=1),
    "quantile with NaN": lambda fw, x: fw.quantile(x.masked_fill(x > 1, float("nan")), 0.5, dim=1),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", QUANTILES)
def test_quantile(name: str, dtype: str, device: str) -> None:
    """PyTorch's composition (ranks in the input's dtype, gather, lerp_): values, gradients and the result's node."""
    values = np.random.default_rng(len(name)).standard_normal((4, 7))
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        x = fw.tensor(values, dtype=getattr(fw, dtype), device=dev, requires_grad=True)
        out = QUANTILES[name](fw, x)
        weights = fw.arange(float(out.numel()), dtype=out.dtype, device=dev).view(out.shape)
        (out.nan_to_num() * weights).sum().backward()
        found.append((out.detach(), x.grad, type(out.grad_fn).__name__))
    (theirs, their_grad, their_node), (ours, our_grad, our_node) = found
    assert our_node == their_node
    assert_close(ours, theirs.cpu())
    assert_close(our_grad, their_grad.cpu(), "gradient")


@pytest.mark.parametrize("call", [
    lambda fw: fw.quantile(fw.ones(3), 1.5),
    lambda fw: fw.quantile(fw.tensor([1, 2]), 0.5),
    lambda fw: fw.quantile(fw.ones(3), fw.tensor([0.5], dtype=fw.float64)),
    lambda fw: fw.quantile(fw.tensor([]), 0.5),
    lambda fw: fw.nanquantile(fw.ones(3), 0.5, interpolation="x"),
    lambda fw: fw.quantile(fw.ones(3), fw.tensor([[0.5]])),
    lambda fw: fw.quantile(fw.ones(3), fw.tensor([0.5, 1.5])),
])
def test_quantile_errors(call) -> None:
    assert_same_error(call)
