"""Convolution and pooling layers against PyTorch: forward and every gradient, initialisation, reprs and errors.

Each layer is built in both frameworks under the same seed (its parameters must come out bit for bit the same),
run on the same input (batch size 1 and non-contiguous inputs included) and backpropagated under the same random
cotangent. float64 must agree to 1e-10 relative. float32 agrees to rounding: a convolution's outputs and gradients
are sums of up to C kh kw (forward) or N OH OW (weight gradient) products, which BLAS (minigrad) and oneDNN/MKL
(PyTorch) add in different orders, each off by about K eps sum|terms|. ``F32_ATOL`` allows that for the sums here,
on top of the suite's float32 rtol (1e-6): the largest difference measured beyond it was 1.3e-6, on a weight
gradient of size 30 summed over 60 positions. Pooling sums at most a window, in PyTorch's order.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_same_error, numpy_of, outcome

import minigrad

ROOT = Path(__file__).resolve().parent.parent
F32_ATOL = 1e-5
RTOL = {"float32": 1e-6, "float64": 1e-10}

# (layer constructor source, input shape): each line one layer and its options, built as fw.nn.<source>.
LAYERS = [
    ("Conv2d(3, 4, 3)", (2, 3, 7, 6)),
    ("Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2))", (2, 3, 8, 7)),
    ("Conv2d(4, 6, 3, groups=2, bias=False)", (1, 4, 6, 6)),
    ("Conv2d(4, 4, 3, groups=4, padding=1)", (2, 4, 5, 5)),
    ("Conv2d(3, 2, 4, padding='same')", (1, 3, 6, 7)),
    ("Conv2d(3, 2, 3, padding='same', dilation=2)", (2, 3, 6, 6)),
    ("Conv2d(3, 2, 3, padding='valid')", (2, 3, 5, 5)),
    ("Conv2d(3, 4, 3, padding=2, padding_mode='reflect')", (2, 3, 5, 6)),
    ("Conv2d(3, 4, 3, padding=(1, 2), padding_mode='replicate')", (1, 3, 5, 4)),
    ("Conv2d(3, 4, 3, padding=1, padding_mode='circular', stride=2)", (2, 3, 6, 5)),
    ("Conv2d(3, 4, 2, padding='same', padding_mode='reflect')", (1, 3, 5, 5)),
    ("Conv2d(3, 4, 3)", (3, 5, 5)),  # unbatched
    ("Conv1d(3, 5, 3)", (2, 3, 9)),
    ("Conv1d(4, 6, 2, stride=2, padding=1, dilation=2, groups=2)", (1, 4, 10)),
    ("Conv1d(3, 2, 4, padding='same', padding_mode='circular')", (2, 3, 7)),
    ("Conv1d(3, 2, 3, padding=1, padding_mode='reflect', bias=False)", (3, 6)),
    ("ConvTranspose2d(3, 4, 3)", (2, 3, 4, 5)),
    ("ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1)", (1, 3, 4, 4)),
    ("ConvTranspose2d(4, 6, (2, 3), stride=(2, 1), groups=2, dilation=(1, 2), bias=False)", (2, 4, 3, 3)),
    ("ConvTranspose1d(3, 4, 3, stride=3, output_padding=2)", (2, 3, 5)),
    ("ConvTranspose1d(2, 4, 2, padding=1, groups=2)", (2, 6)),
    ("MaxPool2d(2)", (2, 3, 7, 6)),
    ("MaxPool2d(3, stride=2, padding=1, ceil_mode=True)", (1, 2, 7, 7)),
    ("MaxPool2d((2, 3), stride=1, dilation=(2, 1))", (2, 2, 6, 6)),
    ("MaxPool1d(3, stride=2, padding=1)", (2, 3, 9)),
    ("AvgPool2d(3, stride=2, padding=1)", (2, 3, 7, 6)),
    ("AvgPool2d(3, stride=2, padding=1, count_include_pad=False, ceil_mode=True)", (1, 2, 6, 7)),
    ("AvgPool2d(2, divisor_override=3)", (2, 2, 4, 5)),
    ("AvgPool1d(3, stride=2, padding=1, count_include_pad=False)", (2, 3, 8)),
    ("AdaptiveAvgPool2d((3, 2))", (2, 3, 7, 6)),
    ("AdaptiveAvgPool2d((None, 4))", (1, 3, 5, 6)),
    ("AdaptiveAvgPool2d(1)", (2, 3, 4, 4)),
    ("AdaptiveAvgPool1d(4)", (2, 3, 9)),
    ("AdaptiveMaxPool2d((3, 4))", (2, 2, 7, 6)),
    ("Unfold((2, 3), dilation=(2, 1), padding=1, stride=2)", (2, 3, 6, 7)),
    ("Fold((5, 6), 2, stride=1)", (2, 8, 20)),
]


def _build(fw: Any, source: str, dtype: str) -> Any:
    fw.manual_seed(0)
    return eval(f"fw.nn.{source}").to(getattr(fw, dtype))  # the sources are the literals above


def _layer_run(fw: Any, source: str, dtype: str, x: np.ndarray, strided: bool, cotangent_seed: int,
               device: str = "cpu") -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(parameters before, [output, input gradient, parameter gradients...]) of one layer on x."""
    layer = _build(fw, source, dtype)
    if fw is torch:
        layer = layer.to(device)
    kwargs = {"device": device} if fw is torch else {}
    if strided:  # x seen through a transpose of its last two dims
        leaf = fw.tensor(np.ascontiguousarray(np.swapaxes(x, -1, -2)), requires_grad=True, **kwargs)
        inp = leaf.transpose(-1, -2)
    else:
        leaf = inp = fw.tensor(x, requires_grad=True, **kwargs)
    params = [numpy_of(p).copy() for p in layer.parameters()]
    out = layer(inp)
    out = out[0] if isinstance(out, tuple) else out
    cotangent = np.random.default_rng(cotangent_seed).standard_normal(tuple(out.shape)).astype(dtype)
    out.backward(fw.tensor(cotangent, **kwargs))
    return params, [numpy_of(out), numpy_of(leaf.grad)] + [numpy_of(p.grad) for p in layer.parameters()]


@pytest.mark.parametrize("strided", [False, True], ids=["contiguous", "noncontiguous"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("source", "shape"), LAYERS, ids=[s for s, _ in LAYERS])
def test_layer_matches_torch(source: str, shape: tuple[int, ...], dtype: str, strided: bool, device: str) -> None:
    x = np.random.default_rng(len(source)).uniform(-2, 2, shape).astype(dtype)
    mine_params, mine = _layer_run(minigrad, source, dtype, x, strided, 1)
    torch_params, theirs = _layer_run(torch, source, dtype, x, strided, 1, device)
    for a, b in zip(mine_params, torch_params):
        np.testing.assert_array_equal(a, b, err_msg="initial parameters")
    names = ["output", "input gradient"] + [f"gradient of parameter {i}" for i in range(len(mine) - 2)]
    for name, a, b in zip(names, mine, theirs):
        assert a.shape == b.shape and a.dtype == b.dtype, name
        np.testing.assert_allclose(a, b, rtol=RTOL[dtype], atol=F32_ATOL if dtype == "float32" else 1e-12,
                                   err_msg=name)


@pytest.mark.parametrize("source", ["Conv2d(1, 8, 3)", "Conv2d(16, 32, (3, 5), groups=4, bias=False)",
                                    "Conv1d(7, 3, 4)", "ConvTranspose2d(6, 4, 3, groups=2)", "ConvTranspose1d(2, 3, 5)",
                                    "Conv2d(784, 256, 1)", "Conv2d(1, 1, 1)"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_initialisation_is_bit_identical(source: str, dtype: str) -> None:
    """kaiming_uniform_(a=sqrt(5)) for the weight, then U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the bias, from the
    same generator stream: the same bits, names and shapes as PyTorch's, and the stream left at the same place."""
    mine, theirs = _build(minigrad, source, dtype), _build(torch, source, dtype)
    mine_state, theirs_state = mine.state_dict(), theirs.state_dict()
    assert list(mine_state) == list(theirs_state)
    for name in theirs_state:
        np.testing.assert_array_equal(numpy_of(mine_state[name]), numpy_of(theirs_state[name]), err_msg=name)
    np.testing.assert_array_equal(minigrad.rand(5).numpy(), torch.rand(5).numpy())


REPRS = [
    "Conv2d(1, 8, 3)", "Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=1, bias=False)",
    "Conv2d(4, 4, 3, groups=4, padding='same', padding_mode='reflect')", "Conv2d(2, 2, 3, padding='valid')",
    "Conv1d(3, 5, 3, stride=2, padding=1, padding_mode='circular')",
    "ConvTranspose2d(3, 2, 3, stride=2, output_padding=1)", "ConvTranspose1d(4, 2, 3, groups=2, dilation=2)",
    "MaxPool2d(2)", "MaxPool2d((3, 2), stride=1, padding=1, ceil_mode=True)",
    "MaxPool1d(3, return_indices=True)", "AvgPool2d(3, stride=2, padding=1)", "AvgPool2d(2, divisor_override=3)",
    "AvgPool1d(3)", "AdaptiveAvgPool2d((5, None))", "AdaptiveAvgPool1d(4)", "AdaptiveMaxPool2d(2, return_indices=True)",
    "Unfold(2)", "Unfold((2, 3), dilation=2, padding=1, stride=(1, 2))", "Fold((4, 5), 2, stride=2)",
]


@pytest.mark.parametrize("source", REPRS)
def test_repr_is_pytorchs(source: str) -> None:
    assert repr(_build(minigrad, source, "float32")) == repr(_build(torch, source, "float32"))


def test_digits_cnn_model_prints_as_pytorch_prints() -> None:
    def model(fw: Any) -> Any:
        nn = fw.nn
        return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3),
                             nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))

    assert str(model(minigrad)) == str(model(torch))


# ----- errors: PyTorch's types and texts -------------------------------------------------------------------------
def _call(name: str, shapes: list[tuple[int, ...]], **kwargs: Any) -> Any:
    def run(fw: Any) -> Any:
        tensors = [fw.ones(*s) if s else fw.tensor(1.0) for s in shapes]
        return getattr(fw.nn.functional, name)(*tensors, **kwargs)

    return run


ERRORS = [
    _call("conv2d", [(1, 1, 8, 8), (8, 3, 3, 3)]),  # "... expected input[1, 1, 8, 8] to have 3 channels ..."
    _call("conv2d", [(1, 3, 2, 2), (8, 3, 3, 3)]),  # kernel larger than the padded input
    _call("conv1d", [(1, 3, 2), (8, 3, 3)]),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3, 3), (7,)]),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3, 3), (8, 1)]),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3, 3)], stride=0),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3, 3)], padding=-1),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3, 3)], dilation=(1, 0)),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3, 3)], groups=0),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3, 3)], groups=2),
    _call("conv2d", [(1, 4, 5, 5), (6, 2, 3, 3)], groups=4),
    _call("conv2d", [(1, 3, 5, 5), (0, 3, 3, 3)]),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3, 3)], padding="same", stride=2),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3, 3)], padding="full"),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3, 3)], stride=(1, 1, 1)),
    _call("conv2d", [(3, 5), (8, 3, 3, 3)]),
    _call("conv2d", [(1, 3, 5, 5), (8, 3, 3)]),
    _call("conv1d", [(1, 3, 5), (8, 3, 3, 3)]),
    _call("conv1d", [(1, 3, 5, 5), (8, 3, 3)]),
    _call("conv_transpose2d", [(1, 3, 5, 5), (2, 2, 3, 3)]),
    _call("conv_transpose2d", [(1, 3, 5, 5), (3, 2, 3, 3)], stride=2, output_padding=2),
    _call("conv_transpose1d", [(1, 3, 5), (3, 2, 3)], stride=2, output_padding=2),
    _call("conv_transpose2d", [(1, 3, 1, 1), (3, 2, 3, 3)], padding=2),
    _call("conv_transpose2d", [(1, 3, 5, 5), (3, 2, 3, 3), (3,)]),
    _call("conv_transpose2d", [(1, 3, 5, 5), (3, 2, 3, 3)], output_padding=-1),
    _call("conv_transpose2d", [(1, 3, 5, 5), (3, 2, 3, 3)], padding="same"),
    _call("max_pool2d", [(1, 3, 5, 5)], kernel_size=3, padding=2),
    _call("max_pool2d", [(1, 3, 2, 2)], kernel_size=3),
    _call("max_pool2d", [(3, 5)], kernel_size=3),
    _call("max_pool2d", [(1, 3, 5, 5)], kernel_size=0),
    _call("max_pool2d", [(1, 3, 5, 5)], kernel_size=2, dilation=0),
    _call("max_pool2d", [(1, 3, 5, 5)], kernel_size=(2, 2, 2)),
    _call("max_pool2d", [(1, 0, 5, 5)], kernel_size=2),
    _call("max_pool1d", [(1, 3, 5)], kernel_size=2, padding=2),
    _call("max_pool1d", [(1, 3, 2)], kernel_size=3),
    _call("max_pool1d", [(5,)], kernel_size=2),
    _call("max_pool1d", [(1, 3, 5)], kernel_size=0),
    _call("max_pool1d", [(1, 3, 2)], kernel_size=3, return_indices=True),
    _call("avg_pool2d", [(1, 3, 5, 5)], kernel_size=3, padding=2),
    _call("avg_pool2d", [(1, 3, 2, 2)], kernel_size=3),
    _call("avg_pool2d", [(1, 3, 5, 5)], kernel_size=2, divisor_override=0),
    _call("avg_pool2d", [(1, 3, 5, 5)], kernel_size=2, padding=-1),
    _call("avg_pool2d", [(3, 5)], kernel_size=2),
    _call("avg_pool1d", [(1, 3, 2)], kernel_size=3),
    _call("avg_pool1d", [(5,)], kernel_size=2),
    _call("adaptive_avg_pool2d", [(3, 5)], output_size=2),
    _call("adaptive_avg_pool2d", [(1, 3, 0, 5)], output_size=2),
    _call("adaptive_avg_pool2d", [(1, 3, 5, 5)], output_size=(2, 3, 4)),
    _call("adaptive_avg_pool2d", [(1, 3, 5, 5)], output_size=-1),
    _call("adaptive_avg_pool1d", [(1, 3, 5)], output_size=(2, 3)),
    _call("adaptive_avg_pool1d", [(1, 3, 0)], output_size=2),
    _call("adaptive_max_pool2d", [(3, 5)], output_size=2),
    _call("adaptive_max_pool2d", [(1, 0, 5, 5)], output_size=2),
    _call("unfold", [(1, 3, 2, 3)], kernel_size=3),
    _call("unfold", [(1, 3, 5, 5)], kernel_size=0),
    _call("unfold", [(1, 3, 5, 5)], kernel_size=2, stride=0),
    _call("unfold", [(1, 3, 5, 5)], kernel_size=2, padding=-1),
    _call("unfold", [(1, 3, 5, 5)], kernel_size=(2, 2, 2)),
    _call("fold", [(1, 13, 16)], output_size=(5, 5), kernel_size=2),
    _call("fold", [(1, 12, 5)], output_size=(3, 3), kernel_size=2),
    _call("fold", [(1, 3, 12, 16)], output_size=(5, 5), kernel_size=2),
]


@pytest.mark.parametrize("call", ERRORS, ids=range(len(ERRORS)))
def test_errors_are_pytorchs(call: Any) -> None:
    assert_same_error(call)


def test_dtype_errors_are_pytorchs() -> None:
    assert_same_error(lambda fw: fw.nn.functional.conv2d(fw.ones(1, 3, 5, 5), fw.ones(8, 3, 3, 3, dtype=fw.float64)))
    assert_same_error(lambda fw: fw.nn.functional.conv2d(fw.ones(1, 3, 5, 5), fw.ones(8, 3, 3, 3), fw.ones(8).long()))
    assert_same_error(lambda fw: fw.nn.functional.conv2d(fw.ones(1, 3, 5, 5).bool(), fw.ones(8, 3, 3, 3).bool()))
    assert_same_error(lambda fw: fw.nn.functional.conv_transpose2d(fw.ones(1, 3, 5, 5).int(),
                                                                   fw.ones(3, 2, 3, 3).int()))
    assert_same_error(lambda fw: fw.nn.functional.max_pool1d(fw.ones(1, 3, 5).long(), 2))
    assert_same_error(lambda fw: fw.nn.functional.avg_pool2d(fw.ones(1, 3, 5, 5).int(), 2))
    assert_same_error(lambda fw: fw.nn.functional.adaptive_max_pool2d(fw.ones(1, 3, 5, 5).long(), 2))
    assert_same_error(lambda fw: fw.nn.functional.unfold(fw.ones(1, 3, 5, 5).long(), 2))


@pytest.mark.parametrize("source", [
    "Conv2d(3, 4, 3, groups=0)", "Conv2d(3, 4, 3, groups=2)", "Conv2d(4, 3, 3, groups=2)",
    "Conv2d(3, 4, 3, padding='full')",
    "Conv2d(3, 4, 3, padding='same', stride=2)", "Conv2d(3, 4, 3, padding_mode='mirror')",
    "ConvTranspose2d(3, 4, 3, padding_mode='reflect')"])
def test_layer_argument_errors_are_pytorchs(source: str) -> None:
    """PyTorch's exception and text. PyTorch prints sets of valid values ({'same', 'valid'}), whose order follows
    string hashes (PYTHONHASHSEED) and how each library's bytecode was cached: compared with each set sorted."""
    _, expected = outcome(lambda fw: eval(f"fw.nn.{source}"), torch)
    _, actual = outcome(lambda fw: eval(f"fw.nn.{source}"), minigrad)
    assert expected is not None and type(actual) is type(expected), f"torch raised {expected!r}, minigrad {actual!r}"

    def sorted_sets(text: str) -> str:
        return re.sub(r"\{([^}]*)\}", lambda m: "{" + ", ".join(sorted(m[1].split(", "))) + "}", text)

    assert sorted_sets(str(actual)) == sorted_sets(str(expected).replace("torch.", "minigrad."))


def test_integer_inputs_compute_as_pytorch() -> None:
    """Integer convolutions and max/avg pooling where PyTorch's CPU kernels take them (exact: no rounding)."""
    x = np.arange(2 * 3 * 5 * 5).reshape(2, 3, 5, 5) % 7 - 3
    w = np.arange(4 * 3 * 3 * 3).reshape(4, 3, 3, 3) % 5 - 2
    for fn in (lambda fw: fw.nn.functional.conv2d(fw.tensor(x), fw.tensor(w), padding=1),
               lambda fw: fw.nn.functional.conv_transpose2d(fw.tensor(x), fw.tensor(w[:3, :2]), stride=2),
               lambda fw: fw.nn.functional.max_pool2d(fw.tensor(x), 2, return_indices=True)[1],
               lambda fw: fw.nn.functional.max_pool2d(fw.tensor(x).to(fw.uint8), 3, padding=1),
               lambda fw: fw.nn.functional.avg_pool2d(fw.tensor(x), 2, ceil_mode=True)):
        np.testing.assert_array_equal(numpy_of(fn(minigrad)), numpy_of(fn(torch)))


def test_max_pool_ties_and_nan_as_pytorch() -> None:
    """Ties send the gradient to the first maximum of the window; a NaN wins (the last NaN of the window)."""
    x = np.array([[[[1.0, 1.0, 0.0, np.nan], [1.0, 0.5, np.nan, 2.0], [-np.inf, -np.inf, 3.0, 3.0],
                    [-np.inf, -np.inf, 3.0, 3.0]]]])
    for kwargs in ({"kernel_size": 2}, {"kernel_size": 3, "stride": 1, "padding": 1},
                   {"kernel_size": 2, "dilation": 2}):
        results = []
        for fw in (minigrad, torch):
            leaf = fw.tensor(x, requires_grad=True)
            out, indices = fw.nn.functional.max_pool2d(leaf, return_indices=True, **kwargs)
            out.backward(fw.ones_like(out))
            results.append([numpy_of(out), numpy_of(indices), numpy_of(leaf.grad)])
        for a, b in zip(*results):
            np.testing.assert_array_equal(a, b)


def test_grad_fn_names_are_pytorchs() -> None:
    def names(fw: Any) -> list[str]:
        f = fw.nn.functional
        x4 = fw.ones(1, 2, 6, 6, requires_grad=True)
        x3 = fw.ones(1, 2, 6, requires_grad=True)
        outs = [f.conv2d(x4, fw.ones(3, 2, 3, 3)), f.conv1d(x3, fw.ones(3, 2, 3)), f.conv2d(x4[0], fw.ones(3, 2, 3, 3)),
                f.conv_transpose2d(x4, fw.ones(2, 3, 3, 3)), f.max_pool2d(x4, 2), f.max_pool1d(x3, 2),
                f.avg_pool2d(x4, 2), f.avg_pool1d(x3, 2), f.adaptive_avg_pool2d(x4, 3), f.adaptive_avg_pool2d(x4, 1),
                f.adaptive_avg_pool1d(x3, 2), f.adaptive_max_pool2d(x4, 2), f.unfold(x4, 2),
                f.fold(f.unfold(x4, 2).detach().requires_grad_(), (6, 6), 2)]
        return [type(o.grad_fn).__name__ if fw is torch else o.grad_fn.name() for o in outs]

    assert names(minigrad) == names(torch)


# ----- the digits CNN against its PyTorch twin -------------------------------------------------------------------
def _numbers(source: str, *arguments: str) -> tuple[str, list[float]]:
    result = subprocess.run([sys.executable, "-c", source, *arguments], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    numbers = [float(v) for v in re.findall(r"\d+\.\d+", result.stdout)]
    return re.sub(r"\d+\.\d+", "#", result.stdout), numbers


def test_digits_cnn_in_float64_is_its_pytorch_twins_run() -> None:
    """With --double both frameworks run the same algorithm in float64: the printed losses and accuracies agree
    to 1e-9 relative (float32, printed by tests/test_examples.py, agrees to rounding)."""
    pytest.importorskip("sklearn")
    source = (ROOT / "examples" / "digits_cnn.py").read_text()
    text, mine = _numbers(source, "--double", "--epochs", "3")
    twin_text, theirs = _numbers(re.sub(r"\bminigrad\b", "torch", source), "--double", "--epochs", "3")
    assert text == twin_text and len(mine) == len(theirs) > 6
    np.testing.assert_allclose(mine, theirs, rtol=1e-9)


@pytest.mark.parametrize("padding", [1, "same"])
@pytest.mark.parametrize("dtypes", ["ffd", "fdf", "fdd", "fdn", "dff", "dfd", "ddf", "ffl"],
                         ids=lambda d: f"input={d[0]},weight={d[1]},bias={d[2]}")
@pytest.mark.parametrize(("function", "x_shape", "w_shape"), [
    ("conv1d", (1, 2, 5), (3, 2, 3)), ("conv2d", (1, 2, 5, 5), (3, 2, 3, 3)),
    ("conv_transpose1d", (1, 2, 5), (2, 3, 3)), ("conv_transpose2d", (1, 2, 5, 5), (2, 3, 3, 3))])
def test_mismatched_dtypes_raise_or_run_like_torch(function: str, x_shape: tuple[int, ...], w_shape: tuple[int, ...],
                                                  dtypes: str, padding: Any, device: str) -> None:
    """Input, weight and bias of different dtypes: conv1d/conv2d check the bias first ("Input type (float) and bias
    type (double) should be the same"), then the weight ("expected scalar type Float but found Double"); with padding
    "same" and in the transposed convolutions only the weight is checked, and a bias of another dtype is added in the
    input's. (Errors are compared with torch's CPU kernels' messages, minigrad's device; on CUDA, the values.)"""
    if function.startswith("conv_transpose") and padding == "same":
        pytest.skip("the transposed convolutions take no padding string")
    names = {"f": "float32", "d": "float64", "l": "int64"}

    def call(fw: Any, on: str = "cpu") -> Any:
        def make(values: np.ndarray, code: str) -> Any:
            t = fw.tensor(values, dtype=getattr(fw, names[code]))
            return t.to(on) if fw is torch else t

        x = make(np.linspace(-1, 1, math.prod(x_shape)).reshape(x_shape), dtypes[0])
        w = make(np.linspace(-0.5, 1, math.prod(w_shape)).reshape(w_shape), dtypes[1])
        b = None if dtypes[2] == "n" else make(np.array([1, 2, 3]), dtypes[2])
        return getattr(fw.nn.functional, function)(x, w, b, padding=padding)

    expected, error = outcome(lambda fw: call(fw), torch)
    if error is not None:
        assert_same_error(lambda fw: call(fw))
        return
    if device != "cpu":
        expected = call(torch, device)
    actual = call(minigrad)
    assert str(actual.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1]
    np.testing.assert_allclose(numpy_of(actual), numpy_of(expected), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("layer", ["Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d"])
def test_double_layer_on_float_input_raises_torch_error(layer: str, bias: bool) -> None:
    """``nn.Conv2d(1, 1, 3).double()(torch.rand(1, 1, 5, 5))``: PyTorch's CPU message, bias or not."""
    spatial = int(layer[-2])
    assert_same_error(lambda fw: getattr(fw.nn, layer)(1, 1, 3, bias=bias).double()(
        fw.rand(1, 1, *[5] * spatial, requires_grad=True)))
