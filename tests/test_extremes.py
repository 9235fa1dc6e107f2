"""Extreme numerics against torch: the functions where overflow, underflow, log(0) and 0 / 0 live, at their edges.

Inputs: 0, -0.0, subnormals, 1e-30, ordinary values, +-1e4 and the values around it, the overflow and underflow edges
of exp (88.7 and -103.9 in float32, 709.8 and -745 in float64), +-1e30, the largest finite values, +-inf and NaN,
in float32 and float64 (values beyond float32's range become inf there, as torch.tensor makes them).

Each case runs on torch and on minigrad, then backward with the same random cotangent, and compares the output and
every input's gradient: NaN exactly where torch has NaN, the same infinities (same sign), the same sign of a zero
output, finite values within ``conftest.TOLERANCES`` (``|a - b| <= atol + rtol |b|``), PyTorch's clamps included
(binary_cross_entropy's logs at -100, its gradient's 1e-12 floor). Where torch raises, minigrad raises the same
exception type. minigrad must not emit a single numpy ``RuntimeWarning`` (overflow, divide by zero, invalid value)
on the way: torch computes these values silently, and a warning minigrad leaks is noise the user cannot act on.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from test_fuzz import mismatches

import minigrad

INF, NAN = float("inf"), float("nan")
COMMON = [0.0, -0.0, 1e-45, -1e-45, 1e-40, 1e-30, -1e-30, 1e-7, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 15.0, -15.0, 20.0,
          30.0, -30.0, 88.5, 88.75, 89.0, -87.5, -103.9, -104.5, 9999.0, 1e4, -1e4, 10004.0, -10004.0, 1e30, -1e30,
          3.4e38, -3.4e38, INF, -INF, NAN]
FLOAT64_ONLY = [5e-324, -5e-324, 1e-310, 709.7, 709.8, 710.0, -708.5, -745.0, -746.0, 1e300, -1e300, 1.7e308]
DTYPES = ["float32", "float64"]


def specials(dtype: str) -> np.ndarray:
    """The extreme values in ``dtype`` (float64's own extremes are inf or 0 in float32, so they only join there)."""
    with np.errstate(over="ignore"):
        return np.array(COMMON + (FLOAT64_ONLY if dtype == "float64" else []), dtype=dtype)


def pairs(dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """Every (a, b) of two extreme values, as two flat arrays."""
    v = specials(dtype)
    return np.repeat(v, v.size), np.tile(v, v.size)


def rows(dtype: str) -> np.ndarray:
    """Logit rows with an extreme value: [v, 0, -1], [v, v, 1], [v, -v, 0] for each v, shaped (3n, 3)."""
    v = specials(dtype)[:, None]
    zero, one = np.zeros_like(v), np.ones_like(v)
    return np.concatenate([np.hstack([v, zero, -one]), np.hstack([v, v, one]), np.hstack([v, -v, zero])])


def probabilities(dtype: str) -> np.ndarray:
    """Probabilities at and near 0 and 1, and the sigmoid of each extreme value but NaN."""
    with np.errstate(over="ignore"):
        edges = np.array([0.0, 1e-45, 1e-40, 1e-30, 1e-12, 1e-7, 0.5, 1 - 1e-7, 1 - 1e-12, 1.0], dtype=dtype)
    x = torch.tensor(specials(dtype))
    return np.concatenate([edges, torch.sigmoid(x[~torch.isnan(x)]).numpy()])


# ----- running one case on both frameworks ---------------------------------------------------------------------------
def run(fw: Any, fn: Callable[..., Any], inputs: list[np.ndarray], grads: list[bool]) -> tuple[Any, list[Any], Any]:
    """(output, leaves, error): fn on leaves made from ``inputs``; backward with a seeded normal cotangent."""
    leaves = [fw.tensor(x, requires_grad=g) for x, g in zip(inputs, grads)]
    try:
        out = fn(fw, fw.nn.functional, *leaves)
        if out.requires_grad:
            cotangent = np.random.default_rng(0).standard_normal(tuple(out.shape)).astype(inputs[0].dtype)
            out.backward(fw.tensor(cotangent))
    except (RuntimeError, ValueError, IndexError, TypeError) as error:
        return None, leaves, error
    return out, leaves, None


def check(fn: Callable[..., Any], inputs: list[np.ndarray], grads: list[bool] | None = None) -> None:
    """fn on torch and on minigrad: the same output and gradients (see the module doc), no RuntimeWarning."""
    grads = grads or [True] * len(inputs)
    expected, torch_leaves, torch_error = run(torch, fn, inputs, grads)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        actual, leaves, error = run(minigrad, fn, inputs, grads)
    leaked = [f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught
              if issubclass(w.category, RuntimeWarning)]
    assert not leaked, f"minigrad leaked numpy warnings: {leaked}"
    if torch_error is not None or error is not None:
        assert type(error) is type(torch_error), f"torch raised {torch_error!r}, minigrad {error!r}"
        return
    problems = mismatches(actual.detach().numpy(), expected.detach().numpy())
    assert not problems, f"output: {problems}\ninputs: {inputs}"
    for i, (leaf, torch_leaf) in enumerate(zip(leaves, torch_leaves)):
        if torch_leaf.grad is None:
            assert leaf.grad is None, f"input {i}: torch has no gradient, minigrad has one"
            continue
        problems = mismatches(leaf.grad.numpy(), torch_leaf.grad.numpy(), signed_zeros=False)
        assert not problems, f"gradient of input {i}: {problems}\ninputs: {inputs}"


# ----- elementwise functions -----------------------------------------------------------------------------------------
UNARY = {
    "exp": lambda fw, nnf, x: x.exp(),
    "log": lambda fw, nnf, x: x.log(),
    "sqrt": lambda fw, nnf, x: x.sqrt(),
    "sigmoid": lambda fw, nnf, x: x.sigmoid(),
    "F.sigmoid": lambda fw, nnf, x: nnf.sigmoid(x),
    "tanh": lambda fw, nnf, x: x.tanh(),
    "softplus": lambda fw, nnf, x: nnf.softplus(x),
    "softplus beta 2": lambda fw, nnf, x: nnf.softplus(x, beta=2.0, threshold=10.0),
    "relu": lambda fw, nnf, x: x.relu(),
    "abs": lambda fw, nnf, x: x.abs(),
    "x / 0": lambda fw, nnf, x: x / 0.0,
    "x / -0.0": lambda fw, nnf, x: x / -0.0,
    "div(x, 0)": lambda fw, nnf, x: fw.div(x, 0.0),
    "x / 1e-30": lambda fw, nnf, x: x / 1e-30,
    "2 ** x": lambda fw, nnf, x: 2.0**x,
    "0.5 ** x": lambda fw, nnf, x: 0.5**x,
    "0 ** x": lambda fw, nnf, x: 0.0**x,
    "1 ** x": lambda fw, nnf, x: 1.0**x,
    "x * 1e300": lambda fw, nnf, x: x * 1e300,  # float32: the number is inf there (numpy used to warn converting it)
    "x + 1e300": lambda fw, nnf, x: x + 1e300,
    "x * 3.4028234e38": lambda fw, nnf, x: x * 3.4028234e38,  # numbers at float32's largest, and just beyond
    "x * 3.4028236e38": lambda fw, nnf, x: x * 3.4028236e38,
    "x * 3.5e38": lambda fw, nnf, x: x * 3.5e38,
    "x * 1e-46": lambda fw, nnf, x: x * 1e-46,  # a number below float32's smallest subnormal
    "x - 5e-324": lambda fw, nnf, x: x - 5e-324,
}
EXPONENTS = [2, 3, 0, 1, -1, -2, 0.5, -0.5, 2.5, -1.5, 4, 1e-3]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", UNARY)
def test_unary(name: str, dtype: str) -> None:
    check(UNARY[name], [specials(dtype)])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("exponent", EXPONENTS)
def test_pow_number_exponent(exponent: float, dtype: str) -> None:
    check(lambda fw, nnf, x: x**exponent, [specials(dtype)])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["a / b", "div(a, b)", "a ** b", "pow(a, b)", "a * b", "a - b"])
def test_binary(name: str, dtype: str) -> None:
    fn = {"a / b": lambda fw, nnf, a, b: a / b, "div(a, b)": lambda fw, nnf, a, b: fw.div(a, b),
          "a ** b": lambda fw, nnf, a, b: a**b, "pow(a, b)": lambda fw, nnf, a, b: fw.pow(a, b),
          "a * b": lambda fw, nnf, a, b: a * b, "a - b": lambda fw, nnf, a, b: a - b}[name]
    check(fn, list(pairs(dtype)))


# ----- softmax, log_softmax, cross_entropy ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [1, 0])
def test_softmax(name: str, dim: int, dtype: str) -> None:
    logits = rows(dtype) if dim == 1 else np.ascontiguousarray(rows(dtype).T)  # dim 0: the column kernels
    check(lambda fw, nnf, x: getattr(nnf, name)(x, dim=dim), [logits])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kwargs", [{}, {"reduction": "sum"}, {"reduction": "none"}, {"label_smoothing": 0.1},
                                    {"ignore_index": 2, "reduction": "none"}], ids=repr)
def test_cross_entropy(kwargs: dict[str, Any], dtype: str) -> None:
    logits = rows(dtype)
    target = np.arange(logits.shape[0]) % 3
    check(lambda fw, nnf, x: nnf.cross_entropy(x, fw.tensor(target), **kwargs), [logits])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_cross_entropy_with_probabilities(reduction: str, dtype: str) -> None:
    logits = rows(dtype)
    target = np.tile(np.array([[0.0, 0.25, 0.75], [1.0, 0.0, 0.0]], dtype=dtype), (logits.shape[0] // 2, 1))
    check(lambda fw, nnf, x, y: nnf.cross_entropy(x, y, reduction=reduction), [logits, target[:logits.shape[0]]])


# ----- the binary cross-entropies ------------------------------------------------------------------------------------
TARGETS = [0.0, 1.0, 0.3]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kwargs", [{"reduction": "none"}, {"reduction": "mean"}, {"reduction": "sum"},
                                    {"reduction": "none", "weight": True}], ids=repr)
def test_binary_cross_entropy(kwargs: dict[str, Any], dtype: str) -> None:
    """PyTorch clamps each log at -100 (p = 0 or 1 gives a finite loss) and floors p (1 - p) at 1e-12 (a float
    constant) in the gradient; the target's gradient, -logit(p), is not clamped."""
    p = probabilities(dtype)
    p, y = np.repeat(p, len(TARGETS)), np.tile(np.array(TARGETS, dtype=dtype), p.size)
    kwargs = dict(kwargs)
    weight = np.linspace(0.5, 2.0, p.size).astype(dtype) if kwargs.pop("weight", False) else None

    def fn(fw: Any, nnf: Any, p: Any, y: Any) -> Any:
        return nnf.binary_cross_entropy(p, y, weight=None if weight is None else fw.tensor(weight), **kwargs)

    check(fn, [p, y])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("values", [[1.5], [-0.5], [NAN], [0.5, NAN]], ids=repr)
def test_binary_cross_entropy_refuses_values_outside_0_1(values: list[float], dtype: str) -> None:
    check(lambda fw, nnf, p: nnf.binary_cross_entropy(p, fw.full(p.shape, 0.5, dtype=p.dtype)),
          [np.array(values, dtype=dtype)])
    check(lambda fw, nnf, y: nnf.binary_cross_entropy(fw.full(y.shape, 0.5, dtype=y.dtype), y),
          [np.array(values, dtype=dtype)])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kwargs", [{"reduction": "none"}, {"reduction": "mean"}, {"reduction": "sum"},
                                    {"reduction": "none", "pos_weight": [3.0, 1.0, 0.0]},
                                    {"reduction": "mean", "pos_weight": [0.5, 2.0, 1.0], "weight": True}], ids=repr)
def test_binary_cross_entropy_with_logits(kwargs: dict[str, Any], dtype: str) -> None:
    """Computed from the logits: (1 - y) x - log sigmoid(x), log sigmoid(x) = min(x, 0) - log1p(exp(-|x|))."""
    v = specials(dtype)
    x = np.repeat(v, len(TARGETS)).reshape(-1, len(TARGETS))
    y = np.tile(np.array(TARGETS, dtype=dtype), v.size).reshape(-1, len(TARGETS))
    kwargs = dict(kwargs)
    pos_weight = np.array(kwargs.pop("pos_weight"), dtype=dtype) if "pos_weight" in kwargs else None
    weight = np.linspace(0.5, 2.0, x.size).astype(dtype).reshape(x.shape) if kwargs.pop("weight", False) else None

    def fn(fw: Any, nnf: Any, x: Any, y: Any) -> Any:
        extra = {k: fw.tensor(a) for k, a in (("pos_weight", pos_weight), ("weight", weight)) if a is not None}
        return nnf.binary_cross_entropy_with_logits(x, y, **extra, **kwargs)

    check(fn, [x, y])


# ----- odds and ends the fuzzer's extremes led to --------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Adam", "Adagrad", "RMSprop", "Adadelta", "NAdam"])
def test_optimizer_with_eps_0_and_a_zero_gradient(name: str) -> None:
    """eps=0 with a zero gradient divides 0 by 0: NaN parameters in torch; minigrad's kernels raised
    ZeroDivisionError (numba's Python error model) before they were given numpy's."""
    results = []
    for fw in (torch, minigrad):
        p = fw.nn.Parameter(fw.tensor([1.0, -2.0]))
        optimizer = getattr(fw.optim, name)([p], lr=0.1, eps=0.0)
        p.grad = fw.zeros(2)
        optimizer.step()
        results.append(p.detach().numpy())
    assert not mismatches(results[1], results[0])


FUNCTIONAL = {
    # a 0-d target of a wider dtype: torch promotes after broadcast_tensors, so the loss is float64
    "l1_loss 0-d float64 target": lambda fw, nnf, x: nnf.l1_loss(x, fw.tensor(0.5, dtype=fw.float64)),
    "mse_loss 0-d float64 target": lambda fw, nnf, x: nnf.mse_loss(x, fw.tensor(0.5, dtype=fw.float64)),
    # linear with a 1-D weight is matmul(x, w.t()) in torch
    "linear 1-D weight": lambda fw, nnf, x: nnf.linear(x.reshape(-1, 3), fw.tensor([1.0, -2.0, 0.5])),
    "linear 3-D input, empty last dim": lambda fw, nnf, x: nnf.linear(x.reshape(-1, 3)[:, :0].reshape(1, 2, 0),
                                                                      fw.ones(2, 0)),
}


@pytest.mark.parametrize("name", FUNCTIONAL)
def test_functional(name: str) -> None:
    check(FUNCTIONAL[name], [np.array([0.5, -1.0, 2.0, 1e30, -0.0, 3.0], dtype=np.float32)])
