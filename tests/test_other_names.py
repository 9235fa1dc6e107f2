"""PyTorch's other names for ops minigrad has (``absolute``, ``arccos``, ``greater``, ...), the small functions and
properties composed of its ops (``select``, ``ravel``, ``sum_to_size``, ``float_power``, ``diff``, ``cov``, ...) and
the in-place forms of existing methods, against PyTorch: values, every input's gradient, the graph's node names
(an alias records the node of the op it names: ``absolute`` AbsBackward0), and PyTorch's errors.

Each function runs on the same inputs in both frameworks (float64, then float32 at the suite's tolerance; torch on
each device); a random cotangent flows back from every floating-point output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad


def _graph(out: Any) -> list[str]:
    """The names of the nodes behind ``out``, in the order a walk from its grad_fn meets them."""
    names, seen, stack = [], set(), [out.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        names.append(type(node).__name__)
        stack.extend(n for n, _ in reversed(node.next_functions))
    return names


def _clone(f: Callable[..., Any]) -> Callable[..., Any]:
    """An in-place method applied to a clone of the first input (a leaf that requires grad cannot be written)."""
    return lambda fw, x, *rest: f(fw, x.clone(), *rest)


# (id, fn(fw, *inputs), the inputs' shapes, their domain (low, high)). Every input is a float leaf requiring grad.
CASES: list[tuple[str, Callable[..., Any], tuple[tuple[int, ...], ...], tuple[float, float]]] = [
    ("absolute", lambda fw, x: fw.absolute(x), ((3, 4),), (-2, 2)),
    ("absolute-method", lambda fw, x: x.absolute(), ((3, 4),), (-2, 2)),
    ("absolute_", _clone(lambda fw, x: x.absolute_()), ((3, 4),), (-2, 2)),
    ("negative", lambda fw, x: fw.negative(x), ((3, 4),), (-2, 2)),
    ("negative_", _clone(lambda fw, x: fw.negative_(x)), ((3, 4),), (-2, 2)),
    ("negative_-method", _clone(lambda fw, x: x.negative_()), ((3, 4),), (-2, 2)),
    ("positive", lambda fw, x: fw.positive(x) * 2, ((3, 4),), (-2, 2)),
    ("fix", lambda fw, x: fw.fix(x), ((3, 4),), (-5, 5)),
    ("fix_", _clone(lambda fw, x: fw.fix_(x)), ((3, 4),), (-5, 5)),
    ("fix-method", lambda fw, x: x.fix(), ((3, 4),), (-5, 5)),
    ("arccos", lambda fw, x: fw.arccos(x), ((3, 4),), (-0.9, 0.9)),
    ("arccos_", _clone(lambda fw, x: x.arccos_()), ((3, 4),), (-0.9, 0.9)),
    ("arcsin", lambda fw, x: x.arcsin(), ((3, 4),), (-0.9, 0.9)),
    ("arcsin_", _clone(lambda fw, x: fw.arcsin_(x)), ((3, 4),), (-0.9, 0.9)),
    ("arctan", lambda fw, x: fw.arctan(x), ((3, 4),), (-2, 2)),
    ("arctan_", _clone(lambda fw, x: x.arctan_()), ((3, 4),), (-2, 2)),
    ("arccosh", lambda fw, x: x.arccosh(), ((3, 4),), (1.1, 3)),
    ("arcsinh", lambda fw, x: fw.arcsinh(x), ((3, 4),), (-2, 2)),
    ("arctanh", lambda fw, x: fw.arctanh(x), ((3, 4),), (-0.9, 0.9)),
    ("arctan2", lambda fw, x, y: fw.arctan2(x, y), ((3, 4), (4,)), (-2, 2)),
    ("arctan2-method", lambda fw, x, y: x.arctan2(y), ((3, 4), (3, 4)), (-2, 2)),
    ("arctan2_", _clone(lambda fw, x, y: x.arctan2_(y)), ((3, 4), (4,)), (-2, 2)),
    ("greater", lambda fw, x, y: x * fw.greater(x, y), ((3, 4), (4,)), (-2, 2)),
    ("greater_equal", lambda fw, x, y: x * x.greater_equal(y), ((3, 4), (4,)), (-2, 2)),
    ("less", lambda fw, x, y: x * fw.less(x, 0.5), ((3, 4), (4,)), (-2, 2)),
    ("less_equal", lambda fw, x, y: x * x.less_equal(y), ((3, 4), (4,)), (-2, 2)),
    ("not_equal", lambda fw, x, y: x * fw.not_equal(x, y), ((3, 4), (4,)), (-2, 2)),
    ("eq_-number", _clone(lambda fw, x: x.eq_(0.5)), ((3, 4),), (-2, 2)),
    ("eq_-tensor", _clone(lambda fw, x, y: x.eq_(y)), ((3, 4), (4,)), (-2, 2)),
    ("ne_", _clone(lambda fw, x, y: x.ne_(y)), ((3, 4), (4,)), (-2, 2)),
    ("lt_", _clone(lambda fw, x, y: x.lt_(y)), ((3, 4), (4,)), (-2, 2)),
    ("le_", _clone(lambda fw, x: x.le_(0.1)), ((3, 4),), (-2, 2)),
    ("gt_", _clone(lambda fw, x, y: x.gt_(y)), ((3, 4), ()), (-2, 2)),
    ("ge_", _clone(lambda fw, x, y: x.ge_(y)), ((3, 4), (3, 4)), (-2, 2)),
    ("greater_", _clone(lambda fw, x, y: x.greater_(y)), ((3, 4), (4,)), (-2, 2)),
    ("greater_equal_", _clone(lambda fw, x: x.greater_equal_(0)), ((3, 4),), (-2, 2)),
    ("less_", _clone(lambda fw, x, y: x.less_(y)), ((3, 4), (4,)), (-2, 2)),
    ("less_equal_", _clone(lambda fw, x, y: x.less_equal_(y)), ((3, 4), (4,)), (-2, 2)),
    ("not_equal_", _clone(lambda fw, x, y: x.not_equal_(y)), ((3, 4), (4,)), (-2, 2)),
    ("logical_not_", _clone(lambda fw, x: x.logical_not_()), ((3, 4),), (-2, 2)),
    ("logical_and_", _clone(lambda fw, x, y: x.logical_and_(y > 0)), ((3, 4), (4,)), (-2, 2)),
    ("logical_or_", _clone(lambda fw, x, y: x.logical_or_(y)), ((3, 4), (4,)), (-2, 2)),
    ("logical_xor_", _clone(lambda fw, x, y: (x > 0).float().logical_xor_(y)), ((3, 4), (3, 4)), (-2, 2)),
    ("ravel", lambda fw, x: fw.ravel(x), ((3, 4),), (-2, 2)),
    ("ravel-transposed", lambda fw, x: x.t().ravel(), ((3, 4),), (-2, 2)),
    ("ravel-selected", lambda fw, x: x[1].ravel(), ((3, 4),), (-2, 2)),
    ("select", lambda fw, x: x.select(1, -1), ((2, 3, 4),), (-2, 2)),
    ("select-function", lambda fw, x: fw.select(x, 0, 2), ((3, 4),), (-2, 2)),
    ("select-1d", lambda fw, x: x.select(0, 1), ((3,),), (-2, 2)),
    ("sum_to_size", lambda fw, x: x.sum_to_size(3, 1), ((3, 4),), (-2, 2)),
    ("sum_to_size-lead", lambda fw, x: x.sum_to_size((4,)), ((2, 3, 4),), (-2, 2)),
    ("sum_to_size-lead-and-ones", lambda fw, x: x.sum_to_size(1, 4), ((2, 3, 4),), (-2, 2)),
    ("sum_to_size-same", lambda fw, x: x.sum_to_size(3, 4) * 2, ((3, 4),), (-2, 2)),
    ("float_power-number", lambda fw, x: fw.float_power(x, 2), ((3, 4),), (0.5, 2)),
    ("float_power-fraction", lambda fw, x: x.float_power(0.5), ((3, 4),), (0.5, 2)),
    ("float_power-tensor", lambda fw, x, y: fw.float_power(x, y), ((3, 4), (4,)), (0.5, 2)),
    ("float_power_", _clone(lambda fw, x, y: x.double().float_power_(y)), ((3, 4), (4,)), (0.5, 2)),
    ("tril_", _clone(lambda fw, x: x.tril_()), ((3, 4),), (-2, 2)),
    ("tril_-diagonal", _clone(lambda fw, x: x.tril_(-1)), ((2, 3, 4),), (-2, 2)),
    ("triu_", _clone(lambda fw, x: x.triu_(1)), ((3, 4),), (-2, 2)),
    ("cumsum_", _clone(lambda fw, x: x.cumsum_(1)), ((3, 4),), (-2, 2)),
    ("cumsum_-axis", _clone(lambda fw, x: x.cumsum_(dim=0)), ((3, 4),), (-2, 2)),
    ("cumprod_", _clone(lambda fw, x: x.cumprod_(0)), ((3, 4),), (-2, 2)),
    ("diff", lambda fw, x: fw.diff(x), ((3, 5),), (-2, 2)),
    ("diff-dim-n", lambda fw, x: x.diff(n=2, dim=0), ((4, 3),), (-2, 2)),
    ("diff-n-past-length", lambda fw, x: fw.diff(x, n=5), ((3, 4),), (-2, 2)),
    ("diff-n-0", lambda fw, x: fw.diff(x, n=0) * 2, ((3, 4),), (-2, 2)),
    ("diff-prepend-append", lambda fw, x, p, a: fw.diff(x, dim=1, prepend=p, append=a), ((3, 4), (3, 2), (3, 1)),
     (-2, 2)),
    ("cov", lambda fw, x: fw.cov(x), ((3, 5),), (-2, 2)),
    ("cov-1d", lambda fw, x: x.cov(), ((6,),), (-2, 2)),
    ("cov-correction", lambda fw, x: fw.cov(x, correction=0), ((2, 4),), (-2, 2)),
    ("cov-aweights", lambda fw, x, w: fw.cov(x, aweights=w.detach().abs()), ((3, 5), (5,)), (0.5, 2)),
    ("cov-fweights", lambda fw, x: fw.cov(x, fweights=fw.tensor([1, 3, 0, 2]), correction=2), ((2, 4),), (-2, 2)),
    ("cov-both-weights", lambda fw, x, w: x.cov(fweights=fw.tensor([1, 3, 2]), aweights=w.detach()),
     ((2, 3), (3,)), (0.5, 2)),
    ("corrcoef", lambda fw, x: fw.corrcoef(x), ((3, 5),), (-2, 2)),
    ("corrcoef-1d", lambda fw, x: x.corrcoef(), ((5,),), (-2, 2)),
    ("unfold", lambda fw, x: x.unfold(1, 2, 1), ((3, 4),), (-2, 2)),
    ("unfold-gaps", lambda fw, x: x.unfold(0, 2, 3) * 3, ((8, 2),), (-2, 2)),
    ("unfold-twice", lambda fw, x: x.unfold(0, 3, 1).unfold(1, 2, 2), ((5, 4),), (-2, 2)),
    ("masked_scatter", lambda fw, x, s: x.masked_scatter(fw.tensor([True, False, True, True]), s),
     ((3, 4), (2, 5)), (-2, 2)),
    ("masked_scatter-function", lambda fw, x, s: fw.masked_scatter(x, fw.tensor([[True], [False]]), s),
     ((2, 3), (4,)), (-2, 2)),
    ("masked_scatter-broadcast-self", lambda fw, x, s: x.masked_scatter(fw.tensor([[True], [False], [True]]), s),
     ((4,), (9,)), (-2, 2)),
    ("masked_scatter_", _clone(lambda fw, x, s: x.masked_scatter_(fw.tensor([False, True, True, False]), s)),
     ((3, 4), (7,)), (-2, 2)),
    ("addmm_", _clone(lambda fw, x, a, b: x.addmm_(a, b, beta=0.5, alpha=2)), ((3, 4), (3, 2), (2, 4)), (-2, 2)),
]


_NAN, _INF = float("nan"), float("inf")
_SPECIAL = [[_NAN, _INF, -_INF, 1.5, -0.0, 2.0], [0.0, -1.0, 0.25, _NAN, 3.0, -_INF]]
_SIGNS = [[1.0, -1.0, 0.0, -0.0, _NAN, 2.0], [-3.0, 1.0, -0.0, _INF, -_INF, 0.5]]
_POLES = [[0.0, -0.0, -1.0, -2.0, 1.0, _INF], [-0.5, -1.5, 1e-30, 0.5, 12.0, 1e18]]

# (id, fn(fw, *inputs), the inputs' values): NaN, infinities, signed zeros and the poles, where the ops are defined
# by cases (each input a float leaf that requires grad)
GIVEN: list[tuple[str, Callable[..., Any], tuple[Any, ...]]] = [
    ("nan_to_num", lambda fw, x: fw.nan_to_num(x), (_SPECIAL,)),
    ("nan_to_num-values", lambda fw, x: x.nan_to_num(nan=2.0, posinf=1e3), (_SPECIAL,)),
    ("nan_to_num-neginf", lambda fw, x: fw.nan_to_num(x, neginf=-7.0), (_SPECIAL,)),
    ("nan_to_num_", _clone(lambda fw, x: x.nan_to_num_(posinf=5.0)), (_SPECIAL,)),
    ("fmax", lambda fw, x, y: fw.fmax(x, y), (_SPECIAL, _SIGNS)),
    ("fmin", lambda fw, x, y: x.fmin(y), (_SPECIAL, _SIGNS)),
    ("fmax-both-nan", lambda fw, x, y: fw.fmax(x, y), ([_NAN, 1.0], [_NAN, _NAN])),
    ("copysign", lambda fw, x, y: fw.copysign(x, y), (_SPECIAL, _SIGNS)),
    ("copysign-number", lambda fw, x: x.copysign(-0.0), (_SPECIAL,)),
    ("copysign_", _clone(lambda fw, x, y: x.copysign_(y)), (_SPECIAL, _SIGNS)),
    ("xlogy", lambda fw, x, y: fw.xlogy(x, y), (_SIGNS, _SPECIAL)),
    ("xlogy-zero", lambda fw, x, y: fw.xlogy(x, y), ([0.0, 0.0, 0.0, 2.0], [0.0, _NAN, 3.0, 0.0])),
    ("xlogy-number-self", lambda fw, y: fw.xlogy(2, y), (_SPECIAL,)),
    ("xlogy-number-nan", lambda fw, x: fw.xlogy(x, float("nan")), ([0.0, 2.0],)),
    ("xlogy-number-tiny", lambda fw, x: x.xlogy(1e-300), ([0.0, 2.0],)),
    ("xlogy-number-negative", lambda fw, x: fw.xlogy(x, -1.0), ([0.0, 2.0],)),
    ("xlogy_", _clone(lambda fw, x, y: x.xlogy_(y)), (_SIGNS, _SPECIAL)),
    ("nansum", lambda fw, x: fw.nansum(x), (_SIGNS,)),
    ("nansum-dim", lambda fw, x: x.nansum(1, keepdim=True), ([[_NAN, 2.0], [1.0, _NAN], [_NAN, _NAN]],)),
    ("nanmean", lambda fw, x: fw.nanmean(x), ([[_NAN, 2.0], [1.0, 4.0], [_NAN, 0.5]],)),
    ("nanmean-dim", lambda fw, x: x.nanmean(0), ([[_NAN, 2.0], [1.0, 4.0], [_NAN, 0.5]],)),
    ("nanmean-keepdim", lambda fw, x: fw.nanmean(x, dim=1, keepdim=True), ([[_NAN, 2.0], [1.0, 4.0], [_NAN, _NAN]],)),
    ("lgamma", lambda fw, x: fw.lgamma(x), (_POLES,)),
    ("digamma", lambda fw, x: x.digamma(), (_POLES,)),
    ("polygamma", lambda fw, x: fw.polygamma(2, x), ([[0.5, 1.0, 3.0, 12.0, -0.5, 1e-3]],)),
    ("polygamma_", _clone(lambda fw, x: x.polygamma_(1)), ([[0.5, 1.0, 3.0, 12.0, -0.5, -2.5]],)),
    ("lgamma_", _clone(lambda fw, x: x.lgamma_()), ([[0.5, 1.0, 3.0, 12.0, -0.5, -2.5]],)),
    ("digamma_", _clone(lambda fw, x: x.digamma_()), ([[0.5, 1.0, 3.0, 12.0, -0.5, -2.5]],)),
    ("logit", lambda fw, x: fw.logit(x), ([[-0.0, 0.0, 1.0, 0.1, -0.5, 1.5, _NAN]],)),
    ("logit-eps", lambda fw, x: x.logit(eps=0.1), ([[-0.0, 0.0, 1.0, 0.1, 0.05, 0.95, 1.5, _NAN]],)),
    ("logit_", _clone(lambda fw, x: fw.logit_(x, 0.0)), ([[-0.0, 0.0, 1.0, 0.1, -0.5, 1.5, _NAN]],)),
    ("sinc", lambda fw, x: fw.sinc(x), ([[0.0, -0.0, 1.0, 0.5, -2.5, _INF, _NAN]],)),
    ("sinc_", _clone(lambda fw, x: x.sinc_()), ([[0.0, 1.0, 0.5, -2.5]],)),
    ("deg2rad", lambda fw, x: fw.deg2rad(x), ([[180.0, -90.0, 0.0, 45.0, _INF]],)),
    ("deg2rad_", _clone(lambda fw, x: fw.deg2rad_(x)), ([[180.0, -90.0, 0.0, 45.0]],)),
    ("rad2deg", lambda fw, x: x.rad2deg(), ([[3.14159, -1.0, 0.0, 0.5, _NAN]],)),
    ("rad2deg_", _clone(lambda fw, x: x.rad2deg_()), ([[3.14159, -1.0, 0.0, 0.5]],)),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("fn", "given"), [pytest.param(fn, given, id=name) for name, fn, given in GIVEN])
def test_given_values_match_torch(fn: Callable[..., Any], given: tuple[Any, ...], dtype: str, device: str) -> None:
    _matches_torch(fn, given, None, dtype, device)


def _run(fw: Any, fn: Callable[..., Any], values: list[np.ndarray], cotangents: list[np.ndarray] | None,
         device: str = "cpu") -> tuple[list[Any], list[Any]]:
    inputs = [fw.tensor(v, requires_grad=True, **({"device": device} if fw is torch else {})) for v in values]
    result = fn(fw, *inputs)
    outputs = list(result) if isinstance(result, (tuple, list)) else [result]
    if cotangents is not None:
        graded = [(o, c) for o, c in zip(outputs, cotangents) if o.requires_grad]
        if graded:
            sum((o * fw.tensor(c, dtype=o.dtype, **({"device": device} if fw is torch else {}))).sum()
                for o, c in graded).backward()
    return inputs, outputs


def _matches_torch(fn: Callable[..., Any], shapes: tuple[Any, ...], domain: tuple[float, float] | None,
                   dtype: str, device: str) -> None:
    """fn on both frameworks alike: inputs of ``shapes`` drawn from ``domain`` (or, without one, ``shapes`` are the
    inputs' values), compared outputs, graphs and gradients."""
    rng = np.random.default_rng(0)
    values = [rng.uniform(*domain, size=shape).astype(dtype) if domain else np.array(shape, dtype=dtype)
              for shape in shapes]
    _, probe = _run(torch, fn, values, None)
    cotangents = [rng.standard_normal(tuple(o.shape)) for o in probe]
    torch_inputs, torch_outputs = _run(torch, fn, values, cotangents, device)
    inputs, outputs = _run(minigrad, fn, values, cotangents)
    assert len(outputs) == len(torch_outputs)
    for k, (out, expected) in enumerate(zip(outputs, torch_outputs)):
        assert_close(out, expected, f"output {k}")
        if device == "cpu":  # (CUDA has nodes of its own for some kernels)
            assert _graph(out) == _graph(expected), f"output {k}: graph {_graph(out)}, PyTorch's {_graph(expected)}"
    for k, (x, expected) in enumerate(zip(inputs, torch_inputs)):
        assert (x.grad is None) == (expected.grad is None), f"input {k}: gradient presence differs"
        if expected.grad is not None:
            assert_close(x.grad, expected.grad, f"gradient of input {k}")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("fn", "shapes", "domain"),
                         [pytest.param(fn, shapes, domain, id=name) for name, fn, shapes, domain in CASES])
def test_matches_torch(fn: Callable[..., Any], shapes: tuple[tuple[int, ...], ...], domain: tuple[float, float],
                       dtype: str, device: str) -> None:
    _matches_torch(fn, shapes, domain, dtype, device)


def _int(fw: Any, values: Any, dtype: str = "int64") -> Any:
    return fw.tensor(values, dtype=getattr(fw, dtype))


# (id, fn(fw)): results compared with torch's (tensors by value and dtype, anything else by ==)
VALUES: list[tuple[str, Callable[[Any], Any]]] = [
    # (values only: PyTorch has no derivative for acosh_, asinh_ and atanh_, whose nodes raise in backward)
    ("arccosh_", lambda fw: fw.arccosh_(fw.tensor([1.5, 2.0, 3.0]))),
    ("arcsinh_", lambda fw: fw.tensor([-1.5, 0.0, 3.0]).arcsinh_()),
    ("arctanh_", lambda fw: fw.tensor([-0.5, 0.0, 0.25], dtype=fw.float64).arctanh_()),
    ("positive-is-self", lambda fw: (lambda x: fw.positive(x) is x and x.positive() is x)(fw.ones(3))),
    ("positive-int", lambda fw: fw.positive(_int(fw, [1, -2]))),
    ("eq_-int-float", lambda fw: _int(fw, [1, 2]).eq_(2.5)),
    ("lt_-int", lambda fw: _int(fw, [1, 2, 3]).lt_(_int(fw, [2, 2, 2]))),
    ("logical_and_-int", lambda fw: _int(fw, [1, 2, 0]).logical_and_(fw.tensor([0.5, 0.0, 1.0]))),
    ("logical_not_-bool", lambda fw: fw.tensor([True, False]).logical_not_()),
    ("logical_or_-keeps-grad_fn", lambda fw: type((fw.ones(2, requires_grad=True) * 2).logical_or_(
        fw.zeros(2)).grad_fn).__name__),
    ("logical_not_-leaf", lambda fw: fw.tensor([1.0, 0.0], requires_grad=True).logical_not_().requires_grad),
    ("float_power-int", lambda fw: fw.float_power(_int(fw, [1, 2, 3]), 2)),
    ("float_power-int-tensor", lambda fw: _int(fw, [1, 2, 3]).float_power(fw.tensor([0.5, 1.0, 2.0]))),
    ("lgamma-int", lambda fw: fw.lgamma(_int(fw, [1, 2, 5, 0, -3]))),
    ("digamma-int", lambda fw: _int(fw, [1, 2, 5, 0, -3]).digamma()),
    ("polygamma-int", lambda fw: fw.polygamma(1, _int(fw, [1, 2, 5]))),
    ("deg2rad-int", lambda fw: fw.deg2rad(_int(fw, [180, -90]))),
    ("deg2rad-bool", lambda fw: fw.deg2rad(fw.tensor([True, False]))),
    ("sinc-int", lambda fw: fw.sinc(_int(fw, [0, 1, 2]))),
    ("logit-int", lambda fw: fw.logit(_int(fw, [0, 1]), eps=0.25)),
    ("xlogy-ints", lambda fw: fw.xlogy(_int(fw, [0, 1, 2]), _int(fw, [3, 4, 0]))),
    ("xlogy-int-float64", lambda fw: fw.xlogy(_int(fw, [2]), fw.tensor([3.0], dtype=fw.float64))),
    ("copysign-int", lambda fw: fw.copysign(_int(fw, [1, -2]), -1)),
    ("copysign-bool", lambda fw: fw.tensor([True]).copysign(-1)),
    ("fmax-int", lambda fw: fw.fmax(_int(fw, [1, 5]), _int(fw, [3, 2]))),
    ("fmin-int-float", lambda fw: fw.fmin(_int(fw, [1, 5]), fw.tensor([2.5, float("nan")]))),
    ("fmax-bool", lambda fw: fw.fmax(fw.tensor([True, False]), fw.tensor([False, False]))),
    ("nan_to_num-int", lambda fw: fw.nan_to_num(_int(fw, [1, 2]))),
    ("nan_to_num-bool", lambda fw: fw.tensor([True]).nan_to_num()),
    ("nansum-int", lambda fw: fw.nansum(_int(fw, [[1, 2], [3, 4]]), 0)),
    ("nansum-bool", lambda fw: fw.tensor([True, True]).nansum()),
    ("nansum-dtype", lambda fw: fw.nansum(fw.tensor([1.5, float("nan")]), dtype=fw.float64)),
    ("signbit", lambda fw: fw.signbit(fw.tensor([-0.0, 0.0, 1.0, -2.0, float("-inf"), float("nan")]))),
    ("signbit-int", lambda fw: _int(fw, [-1, 0, 3]).signbit()),
    ("signbit-bool", lambda fw: fw.signbit(fw.tensor([True, False]))),
    ("signbit-grad", lambda fw: fw.signbit(fw.ones(2, requires_grad=True)).requires_grad),
    ("diff-bool", lambda fw: fw.diff(fw.tensor([True, False, False, True]))),
    ("diff-int", lambda fw: _int(fw, [[1, 4, 9], [2, 2, 0]]).diff(dim=0)),
    ("cov-int", lambda fw: fw.cov(_int(fw, [[1, 4, 9], [2, 2, 0]]))),
    ("cov-one-observation", lambda fw: fw.cov(fw.tensor([[1.0], [2.0]]))),
    ("corrcoef-constant", lambda fw: fw.corrcoef(fw.tensor([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]]))),
    ("bernoulli-method", lambda fw: (fw.manual_seed(3), fw.rand(3, 4).bernoulli())[1]),
    ("bernoulli-method-p", lambda fw: (fw.manual_seed(3), fw.ones(3, 4, dtype=fw.float64).bernoulli(0.3))[1]),
    ("bernoulli-same-as-function", lambda fw: (lambda p: bool((fw.manual_seed(5), p.bernoulli())[1].eq(
        (fw.manual_seed(5), fw.bernoulli(p))[1]).all()))(fw.rand(10))),
    ("unfold-0d", lambda fw: (tuple(fw.tensor(3.0).unfold(0, 1, 1).shape), tuple(fw.tensor(3.0).unfold(0, 0, 1).shape),
                              fw.tensor(3.0).unfold(0, 1, 1).tolist())),
    ("unfold-is-view", lambda fw: (lambda x: (x.unfold(1, 2, 1).data_ptr() == x.data_ptr(),
                                              x.unfold(1, 2, 1).stride()))(fw.ones(3, 4))),
    ("unfold-int", lambda fw: fw.arange(10).unfold(0, 3, 2)),
    ("masked_scatter-int", lambda fw: fw.zeros(2, 3, dtype=fw.int64).masked_scatter(
        fw.tensor([True, False, True]), fw.arange(4))),
    ("is_cpu", lambda fw: fw.ones(2).is_cpu),
    ("is_complex", lambda fw: (fw.is_complex(fw.ones(2)), fw.ones(2).is_complex())),
    ("is_signed", lambda fw: [fw.is_signed(fw.ones(2, dtype=d)) for d in (fw.float32, fw.float64, fw.int64,
                                                                          fw.int32, fw.uint8, fw.bool)]),
    ("is_nonzero", lambda fw: [fw.tensor(v).is_nonzero() for v in ([0.0], 2, [True], float("nan"), [[-0.0]])]),
    ("is_same_size", lambda fw: (fw.ones(2, 3).is_same_size(fw.zeros(2, 3)), fw.is_same_size(fw.ones(2, 3),
                                                                                             fw.ones(3, 2)))),
    ("itemsize", lambda fw: [fw.ones(2, dtype=d).itemsize for d in (fw.float32, fw.float64, fw.int64, fw.uint8,
                                                                     fw.bool)]),
    ("nbytes", lambda fw: (fw.ones(3, 4).nbytes, fw.ones(3, 4)[:, ::2].nbytes, fw.ones(3, 4).expand(2, 3, 4).nbytes,
                           fw.ones(0, 2, dtype=fw.int64).nbytes)),
    ("get_device", lambda fw: (fw.ones(2).get_device(), fw.get_device(fw.ones(2)))),
    ("output_nr", lambda fw: (lambda x: (x.output_nr, (x * 2).output_nr, [t.output_nr for t in x.max(0)],
                                         [t.output_nr for t in fw.linalg.eigh(x @ x.t())]))(
        fw.tensor([[2.0, 1.0], [0.0, 1.0]], requires_grad=True))),
    ("ravel-is-view", lambda fw: (lambda x: (x.ravel().data_ptr() == x.data_ptr(), x.t().ravel().data_ptr() ==
                                             x.data_ptr()))(fw.ones(2, 3))),
    ("select-is-view", lambda fw: (lambda x: x.select(1, 2).data_ptr() - x.data_ptr())(fw.ones(2, 3))),
]


def _same(actual: Any, expected: Any) -> None:
    if isinstance(expected, torch.Tensor):
        assert_close(actual, expected)
    else:
        assert actual == expected


@pytest.mark.parametrize("fn", [pytest.param(fn, id=name) for name, fn in VALUES])
def test_values_match_torch(fn: Callable[[Any], Any]) -> None:
    _same(fn(minigrad), fn(torch))


ERRORS: list[tuple[str, Callable[[Any], Any]]] = [
    ("select-index", lambda fw: fw.ones(3).select(0, 5)),
    ("select-index-2d", lambda fw: fw.ones(3, 4).select(0, 5)),
    ("select-negative-index", lambda fw: fw.select(fw.ones(3, 4), 1, -5)),
    ("select-dim", lambda fw: fw.ones(3, 4).select(2, 0)),
    ("select-0d", lambda fw: fw.tensor(2.0).select(0, 0)),
    ("positive-bool", lambda fw: fw.positive(fw.tensor([True]))),
    ("is_nonzero-several", lambda fw: fw.ones(3).is_nonzero()),
    ("is_nonzero-none", lambda fw: fw.is_nonzero(fw.ones(0))),
    ("bool-of-empty", lambda fw: bool(fw.ones(0))),
    ("is_same_size-number", lambda fw: fw.ones(3).is_same_size(3)),
    ("absolute-number", lambda fw: fw.absolute(2.0)),
    ("sum_to_size-not-expandable", lambda fw: fw.ones(3, 4).sum_to_size(2, 4)),
    ("sum_to_size-longer", lambda fw: fw.ones(3, 4).sum_to_size(1, 3, 4)),
    ("float_power_-float32", lambda fw: fw.ones(2).float_power_(2)),
    ("float_power_-int", lambda fw: fw.ones(2, dtype=fw.int64).float_power_(2)),
    ("eq_-broadcast-shape", lambda fw: fw.ones(2).eq_(fw.ones(2, 2))),
    ("logical_or_-broadcast-shape", lambda fw: fw.ones(2).logical_or_(fw.ones(2, 2))),
    ("eq_-leaf", lambda fw: fw.ones(2, requires_grad=True).eq_(1)),
    ("diff-0d", lambda fw: fw.diff(fw.tensor(1.0))),
    ("diff-prepend-0d", lambda fw: fw.ones(3).diff(prepend=fw.tensor(1.0))),
    ("diff-negative-order", lambda fw: fw.ones(3).diff(n=-1)),
    ("cov-3d", lambda fw: fw.cov(fw.ones(2, 2, 2))),
    ("cov-bool", lambda fw: fw.cov(fw.tensor([True, False]))),
    ("cov-fweights-float", lambda fw: fw.cov(fw.ones(2, 3), fweights=fw.ones(3))),
    ("cov-aweights-int", lambda fw: fw.cov(fw.ones(2, 3), aweights=fw.ones(3, dtype=fw.int64))),
    ("cov-fweights-length", lambda fw: fw.cov(fw.ones(2, 3), fweights=fw.ones(2, dtype=fw.int64))),
    ("cov-fweights-2d", lambda fw: fw.cov(fw.ones(2, 3), fweights=fw.ones(1, 3, dtype=fw.int64))),
    ("cov-aweights-negative", lambda fw: fw.cov(fw.ones(2, 3), aweights=fw.tensor([1.0, -1.0, 2.0]))),
    ("cov-weights-sum-zero", lambda fw: fw.cov(fw.ones(2, 3), fweights=fw.zeros(3, dtype=fw.int64))),
    ("corrcoef-3d", lambda fw: fw.corrcoef(fw.ones(2, 2, 2))),
    ("unfold-too-long", lambda fw: fw.ones(3, 4).unfold(0, 5, 1)),
    ("unfold-step-0", lambda fw: fw.ones(3, 4).unfold(1, 2, 0)),
    ("unfold-negative-size", lambda fw: fw.ones(3, 4).unfold(1, -1, 1)),
    ("unfold-dim", lambda fw: fw.ones(3, 4).unfold(2, 1, 1)),
    ("unfold-0d-too-long", lambda fw: fw.tensor(3.0).unfold(0, 2, 1)),
    ("masked_scatter-int-mask", lambda fw: fw.zeros(2, 3).masked_scatter(fw.ones(3, dtype=fw.int32), fw.ones(6))),
    ("masked_scatter-dtypes", lambda fw: fw.zeros(2, 3).masked_scatter(fw.ones(3, dtype=fw.bool),
                                                                         fw.ones(6, dtype=fw.float64))),
    ("masked_scatter-short-source", lambda fw: fw.zeros(2, 3).masked_scatter(fw.ones(3, dtype=fw.bool), fw.ones(5))),
    ("masked_scatter-number", lambda fw: fw.zeros(2, 3).masked_scatter(fw.ones(3, dtype=fw.bool), 2.0)),
    ("masked_scatter_-grows", lambda fw: fw.zeros(2, 3).masked_scatter_(fw.ones(2, 2, 3, dtype=fw.bool),
                                                                        fw.ones(12))),
    ("polygamma-negative", lambda fw: fw.polygamma(-1, fw.ones(2))),
    ("polygamma-number", lambda fw: fw.polygamma(1, 2.0)),
    ("nanmean-int", lambda fw: fw.nanmean(_int(fw, [1, 2]))),
    ("fmax-number", lambda fw: fw.fmax(fw.ones(2), 2.0)),
    ("fmin-number", lambda fw: fw.ones(2).fmin(2.0)),
    ("xlogy-numbers", lambda fw: fw.xlogy(2, 3)),
    ("xlogy_-broadcast-shape", lambda fw: fw.ones(2).xlogy_(fw.ones(2, 2))),
    ("lgamma_-int", lambda fw: _int(fw, [1, 2]).lgamma_()),
    ("arccos_-leaf", lambda fw: fw.ones(2, requires_grad=True).arccos_()),
]


@pytest.mark.parametrize("fn", [pytest.param(fn, id=name) for name, fn in ERRORS])
def test_same_error_as_torch(fn: Callable[[Any], Any]) -> None:
    assert_same_error(fn)


def test_cov_warns_of_no_degrees_of_freedom() -> None:
    """One observation (correction 1): PyTorch's warning, then a normalization by 0 (its values: inf and NaN)."""
    results = []
    for fw in (torch, minigrad):
        with pytest.warns(UserWarning, match=r"cov\(\): degrees of freedom is <= 0"):
            results.append(fw.cov(fw.tensor([[1.0], [2.0]])))
    assert_close(results[1], results[0])


def _grads_of_grads(fw: Any, fn: Callable[..., Any], values: list[np.ndarray]) -> list[Any]:
    inputs = [fw.tensor(v, requires_grad=True) for v in values]
    out = fn(fw, *inputs)
    rng = np.random.default_rng(1)
    u = fw.tensor(rng.standard_normal(tuple(out.shape)), requires_grad=True)
    firsts = fw.autograd.grad(out, inputs, u, create_graph=True)
    total = sum((g * fw.tensor(rng.standard_normal(tuple(g.shape)))).sum() for g in firsts)
    return [*firsts, *fw.autograd.grad(total, [*inputs, u], allow_unused=True)]


@pytest.mark.parametrize(("fn", "shapes"), [
    pytest.param(lambda fw, x, s: (x * x).masked_scatter(fw.tensor([True, False, True, True]), s * s),
                 ((3, 4), (2, 5)), id="masked_scatter"),
    pytest.param(lambda fw, x: (x * x).unfold(0, 2, 1), ((4, 3),), id="unfold"),
])
def test_second_derivatives_match_torch(fn: Callable[..., Any], shapes: tuple[tuple[int, ...], ...]) -> None:
    """The gradients of the first gradients (create_graph=True), for the ops whose inputs the op cases cannot all
    reach (masked_scatter's source comes after its mask)."""
    rng = np.random.default_rng(0)
    values = [rng.standard_normal(shape) for shape in shapes]
    for k, (actual, expected) in enumerate(zip(_grads_of_grads(minigrad, fn, values),
                                               _grads_of_grads(torch, fn, values))):
        assert (actual is None) == (expected is None), f"gradient {k}: presence differs"
        if expected is not None:
            assert_close(actual, expected, f"gradient {k}")
