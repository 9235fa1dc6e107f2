"""``repr`` of minigrad tensors matches PyTorch's, character for character.

Each case builds the same tensor in both frameworks from the same Python data or numpy array and
compares ``repr(minigrad_tensor)`` with ``repr(torch_tensor)``, after writing torch's ``torch.`` prefixes
(``dtype=torch.float64``) as ``minigrad.``. The cases cover the number formats PyTorch chooses between
(integer-valued, fixed point, scientific), inf/nan and -0, line wrapping, blank lines between 2-D blocks,
summarization of tensors over 1000 elements, empty tensors, non-default dtypes, and the
``requires_grad=True`` / ``grad_fn=<...>`` suffixes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import minigrad

_rng = np.random.default_rng(0)


def _randn(*shape: int, dtype: type = np.float32) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


INF, NAN = float("inf"), float("nan")
MATRIX = _randn(3, 4)
CUBE = _randn(2, 3, 4)
LONG = _randn(30)
VECTOR = _randn(5)


def _data(value: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """A case that is ``fw.tensor(value, **kwargs)``."""
    return lambda fw: fw.tensor(value, **kwargs)


def _grad_fn(op: Callable[[Any], Any], value: Any) -> Callable[[Any], Any]:
    """A case that is ``op`` applied to a leaf ``fw.tensor(value, requires_grad=True)``."""
    return lambda fw: op(fw.tensor(value, requires_grad=True))


CASES = {
    # 0-d
    "scalar-8.0": _data(8.0),
    "scalar-0.145": _data(0.145),
    "scalar--0.8362": _data(-0.8362),
    "scalar-int": _data(3),
    "scalar-negative-int": _data(-127),
    "scalar-bool": _data(True),
    "scalar-negative-zero": _data(-0.0),
    # 1-D: the three float formats, and the other dtypes
    "floats": _data([0.1, -2.5, 3.0]),
    "ints": _data([1, -20, 300]),
    "bools": _data([True, False, True]),
    "int-valued-floats": _data([2.0, 3.0]),
    "int-valued-floats-negative": _data([-1.0, 0.0, 100.0]),
    "sci-small-and-one": _data([1e-5, 1.0]),
    "sci-large": _data([1e9]),
    "sci-wide-range": _data([0.001, 2.0, 5000.0]),
    "inf-nan-fixed": _data([INF, -INF, NAN, 1.5]),
    "inf-nan-int-valued": _data([INF, NAN, 2.0, -3.0]),
    "sci-with-inf": _data([INF, 1e-5, 1.0]),
    "all-nan": _data([NAN, NAN]),
    "negative-zero": _data([-0.0, 1.0]),
    "long-wraps": _data(LONG),
    "long-ints-wrap": _data(list(range(-20, 20, 3)) * 3),
    # more dims
    "matrix": _data(MATRIX),
    "int-matrix": _data((MATRIX * 100).astype(np.int64)),
    "cube": _data(CUBE),
    "4d": _data(_randn(2, 2, 2, 2)),
    "summarized-1d": _data(_randn(1001)),
    "summarized-2d": _data(_randn(40, 30)),
    "summarized-3d": _data(_randn(10, 10, 11)),
    "summarized-ints": lambda fw: fw.arange(2000),
    # empty
    "empty-float32": lambda fw: fw.zeros(0),
    "empty-int64": lambda fw: fw.zeros(0, dtype=fw.int64),
    "empty-2x0-float32": lambda fw: fw.zeros(2, 0),
    "empty-2x0-int64": lambda fw: fw.zeros(2, 0, dtype=fw.int64),
    # non-default dtypes
    "float64-vector": _data(_randn(4, dtype=np.float64)),
    "float64-scalar": lambda fw: fw.tensor(2.5, dtype=fw.float64),
    "float64-matrix": _data(_randn(2, 3, dtype=np.float64)),
    "float64-int-valued": lambda fw: fw.arange(4, dtype=fw.float64),
    "int32": _data(np.array([1, -2, 30], dtype=np.int32)),
    "uint8": _data(np.array([0, 7, 255], dtype=np.uint8)),
    "float-tensor": lambda fw: fw.FloatTensor([[1, 2], [3, 4]]),
    "ones": lambda fw: fw.ones(2, 3),
    "arange": lambda fw: fw.arange(5),
    # autograd suffixes
    "requires-grad": _data(VECTOR, requires_grad=True),
    "requires-grad-scalar": _data(2.0, requires_grad=True),
    "requires-grad-float64": _data(_randn(3, dtype=np.float64), requires_grad=True),
    "MulBackward0": _grad_fn(lambda w: w * 2, 2.0),
    "PowBackward0": _grad_fn(lambda w: w**2, 2.0),
    "AddBackward0": _grad_fn(lambda y: 2 * y + 5, VECTOR),
    "SumBackward0": _grad_fn(lambda x: x.sum(), MATRIX),
    "MeanBackward0": _grad_fn(lambda x: x.mean(), MATRIX),
    "SelectBackward0": _grad_fn(lambda x: x[0], MATRIX),
    "TBackward0": _grad_fn(lambda x: x.t(), MATRIX),
    "grad-fn-wraps-suffix": _grad_fn(lambda y: y * 2, LONG[:8]),
    # the seed's programs
    "parameter": lambda fw: fw.nn.Parameter(fw.tensor([[-0.8362]])),
    "parameter-list": lambda fw: (fw.manual_seed(0), list(fw.nn.Linear(2, 1).parameters()))[1],
    "AddmmBackward0": _grad_fn(lambda x: _fw(x).nn.functional.linear(x, _fw(x).ones(2, 4), _fw(x).ones(2)), MATRIX),
    "MseLossBackward0": _grad_fn(lambda x: _fw(x).nn.functional.mse_loss(x, x.detach() * 0), MATRIX),
    "SigmoidBackward0": _grad_fn(lambda x: x.sigmoid(), MATRIX),
    "shape": lambda fw: fw.ones(3, 1).shape,
    "size-0d": lambda fw: fw.tensor(1.0).size(),
}


def _fw(x: Any) -> Any:
    """The framework module that the tensor ``x`` belongs to."""
    return torch if isinstance(x, torch.Tensor) else minigrad


@pytest.mark.parametrize("spec", ["", ".6f", ".2e", "8.3f", "g"])
def test_format_of_a_scalar_tensor_is_its_number(spec: str) -> None:
    for value in (0.14500001, -3.0, 1e-7):
        assert format(minigrad.tensor(value, requires_grad=True), spec) == format(
            torch.tensor(value, requires_grad=True), spec)
    assert f"{minigrad.ones(2)}" == "tensor([1., 1.])"
    with pytest.raises(TypeError, match="unsupported format string"):
        format(minigrad.ones(2), ".2f")


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_repr_matches_torch(make: Callable[[Any], Any]) -> None:
    expected = repr(make(torch)).replace("torch.", "minigrad.")
    assert repr(make(minigrad)) == expected


# ----- set_printoptions: the printer follows the options as PyTorch's does --------------------------------------
PRINT_OPTION_SETS = [
    {"precision": 2}, {"precision": 8}, {"precision": 0}, {"sci_mode": True}, {"sci_mode": False},
    {"threshold": 5}, {"threshold": 5, "edgeitems": 1}, {"threshold": 5, "edgeitems": 0}, {"linewidth": 40},
    {"linewidth": 200, "threshold": 10_000}, {"profile": "short"}, {"profile": "full"},
    {"profile": "short", "precision": 6, "sci_mode": True},
]
PRINT_VALUES = [
    [0.1, 2.5, -3.25], [1e-5, 1.0, 123.456], [1.0, 2.0, 3.0], [1e9, 2.0], [0.0, 0.0], [float("inf"), float("nan"), 1.5],
    np.arange(30, dtype=np.float64).reshape(5, 6) / 7, np.arange(2000, dtype=np.float64) / 3, [[1, 2], [3, 40000]],
    np.arange(24, dtype=np.float64).reshape(2, 3, 4) * 1e-5, 3.14159265, np.arange(100, dtype=np.float64) * 1.5,
]


@pytest.fixture
def restore_print_options() -> Any:
    yield
    minigrad.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


@pytest.mark.parametrize("options", PRINT_OPTION_SETS, ids=str)
def test_set_printoptions_prints_as_torch(options: dict[str, Any], restore_print_options: None) -> None:
    minigrad.set_printoptions(**options)
    torch.set_printoptions(**options)
    assert minigrad.printing.get_printoptions() == torch._tensor_str.get_printoptions()
    for values in PRINT_VALUES:
        assert repr(minigrad.tensor(np.asarray(values), dtype=minigrad.float32)) == repr(
            torch.tensor(np.asarray(values), dtype=torch.float32))
    assert repr(minigrad.ones(3, requires_grad=True) * 2) == repr(torch.ones(3, requires_grad=True) * 2)


def test_the_default_dtype_is_not_printed(restore_print_options: None) -> None:
    minigrad.set_default_dtype(minigrad.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for make in (lambda m: m.tensor([1.5, 2.0]), lambda m: m.tensor([1.5], dtype=m.float32),
                     lambda m: m.zeros(0), lambda m: m.zeros(0, dtype=m.float32)):
            assert repr(make(minigrad)).replace("minigrad.", "torch.") == repr(make(torch))
    finally:
        minigrad.set_default_dtype(minigrad.float32)
        torch.set_default_dtype(torch.float32)


def test_a_suffix_wraps_where_pytorchs_does() -> None:
    """The line breaks before ``dtype=`` where PyTorch's does, as its name reads there (``torch.float64``, shorter
    than ``minigrad.float64``): a random sweep of shapes, scales and dtypes prints line for line as PyTorch's."""
    rng = np.random.default_rng(0)
    for trial in range(200):
        values = rng.standard_normal(tuple(rng.integers(1, 6, rng.integers(1, 3)))) * 10.0 ** rng.integers(-9, 9)
        for dtype in ("float64", "float16", "int64"):
            ours = repr(minigrad.tensor(values, dtype=getattr(minigrad, dtype))).replace("minigrad.", "torch.")
            assert ours == repr(torch.tensor(values, dtype=getattr(torch, dtype))), (trial, dtype)
