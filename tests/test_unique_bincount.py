"""``unique``, ``unique_consecutive``, ``bincount`` and ``histc`` against PyTorch, and what test_ops' registry cases do
not reach of ``index_copy``, ``index_fill`` and ``scatter_reduce``.

The four counting functions are not registry ops (they have no derivative to cross-check), so they are checked here:
the same call on both frameworks, on random inputs (fixed seeds; empty tensors, float32/float64/int64 and bools among
them), must give the same values, dtypes and shapes, or the same error, worded alike. What a requires_grad input
gives is PyTorch's too: unique's values (and bincount's weighted counts) record a node whose backward raises, histc's
result records none.

For the registry ops the cases here add: gradients of ``source``, ``value`` and ``src`` (test_ops passes those as
constants), integer and bool dtypes, the in-place forms, the "max"/"min" spellings scatter_reduce's forward accepts
and its backward refuses, and PyTorch's error texts.

Results are compared exactly (NaN where torch has NaN, and the sign of zeros), but for float sums and gradients,
compared at the suite's tolerance. Torch's side runs on each of ``conftest.DEVICES`` (minigrad on the CPU); error
texts are compared on the CPU only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, dtype_name, numpy_of, outcome

import minigrad

nan, inf = math.nan, math.inf


def _maker(fw: Any, device: str) -> Callable[..., Any]:
    """``tensor(values, **kwargs)`` for the framework: torch's on ``device``, minigrad's on the CPU."""
    def tensor(values: Any, **kwargs: Any) -> Any:
        if fw is torch:
            return torch.tensor(values, device=device, **kwargs)
        return minigrad.tensor(values, **kwargs)

    return tensor


def _assert_same(actual: Any, expected: Any, exact: bool) -> None:
    if isinstance(expected, (tuple, list)):
        assert type(actual) is type(expected) and len(actual) == len(expected), f"{actual!r} vs {expected!r}"
        for a, e in zip(actual, expected):
            _assert_same(a, e, exact)
        return
    if not isinstance(expected, torch.Tensor):
        assert actual == expected
        return
    assert isinstance(actual, minigrad.Tensor), f"minigrad gave {actual!r}"
    if not exact:
        assert_close(actual, expected)
        return
    a, e = numpy_of(actual), numpy_of(expected)
    assert a.shape == e.shape, f"shape {a.shape} != {e.shape}"
    assert dtype_name(actual) == dtype_name(expected), f"dtype {actual.dtype} != {expected.dtype}"
    np.testing.assert_array_equal(a, e)  # NaNs equal each other here
    if a.dtype.kind == "f":
        np.testing.assert_array_equal(np.signbit(a[~np.isnan(a)]), np.signbit(e[~np.isnan(e)]), "signs of zeros")


def check(fn: Callable[[Any, Callable[..., Any]], Any], device: str = "cpu", exact: bool = True,
          message: bool = True) -> Any:
    """fn(fw, tensor) on both frameworks: the same results, or the same error (type, and text when ``message``)."""
    expected, torch_error = outcome(lambda fw: fn(fw, _maker(fw, device)), torch)
    actual, error = outcome(lambda fw: fn(fw, _maker(fw, device)), minigrad)
    if torch_error is not None:
        assert type(error) is type(torch_error), f"torch raised {torch_error!r}, minigrad {error!r}"
        if message and device == "cpu":
            assert str(error) == str(torch_error).replace("torch.", "minigrad."), f"{error!r} vs {torch_error!r}"
        return None
    assert error is None, f"minigrad raised {error!r} where torch gave {expected!r}"
    _assert_same(actual, expected, exact)
    return actual


def _values(seed: int, shape: tuple[int, ...], dtype: str, distinct: int = 4) -> np.ndarray:
    """Random values from a few distinct ones (so that repeats, and repeated slices, happen)."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    picks = rng.integers(0, distinct, shape)
    if dtype.startswith("float"):
        return (picks * 0.75 - 1.0).astype(dtype)
    return (picks * 3 - 2).astype(dtype) if dtype != "uint8" else picks.astype(dtype)


# ----- unique and unique_consecutive --------------------------------------------------------------------------------
SHAPES = [(), (0,), (1,), (9,), (3, 4), (5, 2), (2, 3, 4), (0, 3), (3, 0), (0, 0), (4, 1, 2)]
DTYPES = ["float32", "float64", "int64", "bool", "uint8"]


def _dims(shape: tuple[int, ...]) -> list[int | None]:
    return [None, 0, -1, *range(1, len(shape))] if shape else [None, 0]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_unique_matches_torch(shape: tuple[int, ...], dtype: str, device: str) -> None:
    x = _values(len(shape) * 7 + sum(shape), shape, dtype, distinct=2 if len(shape) > 1 else 4)
    for dim in _dims(shape):
        for inverse, counts in [(False, False), (True, False), (False, True), (True, True)]:
            flags = {"return_inverse": inverse, "return_counts": counts, "dim": dim}
            check(lambda fw, t, flags=flags: fw.unique(t(x), **flags), device)
            check(lambda fw, t, flags=flags: t(x).unique(False, *flags.values()), device)  # sorted=False: sorts too
            check(lambda fw, t, flags=flags: t(x).unique_consecutive(**flags), device)
            check(lambda fw, t, flags=flags: fw.unique_consecutive(t(x), **flags), device)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_unique_of_larger_random_inputs(dtype: str, device: str) -> None:
    """Hundreds of elements drawn from a few dozen values, flat and as rows (unique(dim=0) sorts the rows
    lexicographically); repeats are exact in both."""
    rng = np.random.default_rng(3)
    x = rng.integers(-20, 20, 500).astype(dtype)
    rows = rng.integers(0, 3, (60, 3)).astype(dtype)
    for flags in [{}, {"return_inverse": True, "return_counts": True}]:
        check(lambda fw, t, flags=flags: fw.unique(t(x), **flags), device)
        check(lambda fw, t, flags=flags: fw.unique(t(rows), dim=0, **flags), device)
        check(lambda fw, t, flags=flags: fw.unique(t(rows), dim=1, **flags), device)
        check(lambda fw, t, flags=flags: fw.unique_consecutive(t(np.sort(x)), **flags), device)
        check(lambda fw, t, flags=flags: fw.unique_consecutive(t(rows[rows[:, 0].argsort(kind="stable")]), dim=0,
                                                               **flags), device)


def test_unique_nan_and_signed_zeros(device: str) -> None:
    """Each NaN is a value of its own (NaN != NaN), after the numbers, in the order they come; equal values keep their
    first occurrence (-0.0 or 0.0, whichever comes first).

    Constrained: NaNs, and the sign of a zero, only in up to 16 elements. Beyond that PyTorch's sort is not stable
    (std::sort): which of -0.0 and 0.0 stands for the run of zeros, and the order of the NaNs (so the inverse of each),
    is up to it (minigrad's stable sort keeps the input's order); the large case below compares the rest."""
    for values in ([nan, 1.0, nan, 1.0], [0.0, -0.0, 1.0], [1.0, -0.0, 0.0, -0.0], [nan, nan, -inf, inf, 2.0, nan],
                   [-0.0, 0.0] * 8):
        for dtype in ("float32", "float64"):
            x = np.array(values, dtype)
            check(lambda fw, t, x=x: fw.unique(t(x), return_inverse=True, return_counts=True), device)
            check(lambda fw, t, x=x: fw.unique_consecutive(t(x), return_inverse=True, return_counts=True), device)
    x = np.array([-0.0] * 20 + [0.0] * 20 + [1.0, inf, -2.0] * 20, np.float32)
    check(lambda fw, t: [abs(r) for r in fw.unique(t(x), return_inverse=True, return_counts=True)], device)


def test_unique_consecutive_positional_flags_as_torch_dispatches_them() -> None:
    """torch.unique_consecutive picks its results from return_inverse at position 2 and return_counts at position 1
    (its boolean_dispatch), so positional flags return what was not computed: an empty tensor. Keywords are right."""
    x = np.array([1, 1, 2, 2, 3, 1, 1, 2])
    for args in [(True,), (False, True), (True, True), (True, False, None), (False, False, 0), (True, True, 0)]:
        check(lambda fw, t, args=args: fw.unique_consecutive(t(x), *args))
    check(lambda fw, t: fw.unique_consecutive(input=t(x), return_counts=True))
    check(lambda fw, t: t(x).unique_consecutive(True, True))


@pytest.mark.parametrize("call", [
    lambda fw, x: fw.unique(x, dim=2), lambda fw, x: fw.unique(x, dim=-3), lambda fw, x: fw.unique(x[0, 0], dim=0),
    lambda fw, x: fw.unique(x[0, 0], dim=-1), lambda fw, x: fw.unique_consecutive(x[0, 0], dim=0),
    lambda fw, x: fw.unique(x[:0], dim=1), lambda fw, x: fw.unique(x[:0, :0], dim=0),
    lambda fw, x: fw.unique_consecutive(x[:0, :0], dim=1), lambda fw, x: fw.unique([1, 2]),
    lambda fw, x: fw.unique_consecutive([1, 2]),
], ids=["dim-2", "dim--3", "0d-dim", "0d-dim-1", "consecutive-0d-dim", "unselected-zero-dim", "two-zero-dims",
        "consecutive-two-zero-dims", "a-list", "consecutive-a-list"])
def test_unique_errors(call: Callable[[Any, Any], Any]) -> None:
    x = np.arange(12.0).reshape(3, 4)
    check(lambda fw, t: call(fw, t(x)))


@pytest.mark.parametrize("dim", [None, 0])
def test_unique_of_a_tensor_that_requires_grad_records_a_node_whose_backward_raises(dim: int | None) -> None:
    """As PyTorch: the values require grad, with Unique2Backward0 / UniqueDimBackward0 / UniqueConsecutiveBackward0
    as grad_fn, and backward raises NotImplementedError; inverse and counts do not; no_grad records nothing."""
    x = np.array([[3.0, 1.0, 3.0], [3.0, 1.0, 3.0]])
    for name in ("unique", "unique_consecutive"):
        def values(fw: Any, t: Callable[..., Any], _name: str = name) -> Any:
            out = getattr(fw, _name)(t(x, requires_grad=True), dim=dim, return_inverse=True, return_counts=True)
            return [o.requires_grad for o in out] + [repr(out[0].grad_fn).split(" object")[0]]

        check(values)
        check(lambda fw, t, _name=name: getattr(fw, _name)(t(x, requires_grad=True), dim=dim).sum().backward())
        with torch.no_grad(), minigrad.no_grad():
            check(lambda fw, t, _name=name: getattr(fw, _name)(t(x, requires_grad=True), dim=dim).requires_grad)


# ----- bincount -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("weights", [None, "float32", "float64", "int64", "bool"])
@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8"])
def test_bincount_matches_torch(dtype: str, weights: str | None, device: str) -> None:
    """int64 counts; weights sum in float32 when they are float32, else in float64 (PyTorch converts them)."""
    rng = np.random.default_rng(7)
    for n in (0, 1, 5, 40):
        x = rng.integers(0, 9, n).astype(dtype)
        w = None if weights is None else (rng.standard_normal(n) * 3).astype(weights)
        for minlength in (0, 3, 12):
            def weights_of(t: Callable[..., Any], w: np.ndarray | None = w) -> Any:
                return None if w is None else t(w)

            check(lambda fw, t, x=x, m=minlength, f=weights_of: fw.bincount(t(x), f(t), m), device, exact=False)
            check(lambda fw, t, x=x, m=minlength, f=weights_of: t(x).bincount(weights=f(t), minlength=m), device,
                  exact=False)


@pytest.mark.parametrize("call", [
    lambda fw, t: fw.bincount(t([0, -1])), lambda fw, t: fw.bincount(t([[0, 1]])), lambda fw, t: fw.bincount(t(3)),
    lambda fw, t: fw.bincount(t([0.0, 1.0])), lambda fw, t: fw.bincount(t([True, False])),
    lambda fw, t: fw.bincount(t([0, 1]), minlength=-1), lambda fw, t: fw.bincount(t([0.5]), minlength=-1),
    lambda fw, t: fw.bincount(t([0, 1]), weights=t([1.0])), lambda fw, t: fw.bincount(t([0, 1]), t([[1.0, 2.0]])),
    lambda fw, t: fw.bincount(t([0, 1]), minlength=2.0), lambda fw, t: fw.bincount(t([0, 1]), weights=[1.0, 2.0]),
    lambda fw, t: fw.bincount(t(np.zeros((0, 3), np.int64))), lambda fw, t: fw.bincount(t([], dtype=fw.int64),
                                                                                          t([1.0, 2.0])),
    lambda fw, t: fw.bincount([0, 1]),
], ids=["negative", "2-d", "0-d", "float", "bool", "minlength", "float-and-minlength", "weights-length",
        "weights-2-d", "float-minlength", "weights-list", "empty-2-d", "empty-with-weights", "a-list"])
def test_bincount_errors(call: Callable[[Any, Any], Any]) -> None:
    check(call)


def test_bincount_with_weights_that_require_grad() -> None:
    """PyTorch records a NotImplemented node (its backward raises RuntimeError); an empty input gives int64 zeros and
    no node."""
    w = np.array([0.5, 1.0, 2.0])
    for dtype in ("float32", "float64"):
        weights = w.astype(dtype)
        check(lambda fw, t, w=weights: [(r := fw.bincount(t([0, 1, 1]), t(w, requires_grad=True))).requires_grad,
                                        repr(r.grad_fn).split(" object")[0], r])
        check(lambda fw, t, w=weights: fw.bincount(t([0, 1, 1]), t(w, requires_grad=True)).sum().backward())
        check(lambda fw, t: [(r := fw.bincount(t([], dtype=fw.int64), t([], requires_grad=True), minlength=2)),
                             r.requires_grad, r.grad_fn is None])


# ----- histc --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histc_matches_torch(dtype: str, device: str) -> None:
    """Random values, values on the bin edges (torch's linspace edges, where the division may round either way) and
    outside the range, NaN and inf; each range choice: the data's own (min = max), given, and min = max given."""
    rng = np.random.default_rng(11)
    edges = np.linspace(-1, 1, 11).astype(dtype)
    data = [rng.uniform(-1.5, 1.5, 200).astype(dtype), edges, np.concatenate([edges, [nan, inf, -inf, 3.0]]),
            np.array([2.0, 2.0], dtype), np.array([], dtype), rng.standard_normal((4, 5)).astype(dtype),
            np.array(5.0, dtype), (rng.uniform(0, 1, 300) * 1e-3 + 0.3).astype(dtype)]
    for x in data:
        for bins in (1, 4, 7, 10, 100):
            for low, high in [(0, 0), (-1, 1), (0.25, 0.75), (2, 2), (-1e-7, 1e-7), (0.3, 0.3001)]:
                if np.isnan(x).any() and low == high:
                    continue  # the range would be NaN: an error, checked below
                check(lambda fw, t, x=x, b=bins, lo=low, hi=high: fw.histc(t(x), bins=b, min=lo, max=hi), device)
        check(lambda fw, t, x=x: t(x[np.isfinite(x)]).histc(), device)


def test_histc_at_the_float32_range_edges() -> None:
    """A range so wide that (x − min)·bins overflows float32: PyTorch's x86 conversion of the inf position lands in
    bin 0; a range whose width overflows makes torch's linspace edges NaN, and nothing is counted."""
    x = np.array([1e38, -1e38, 0.0, 5e37, -3e38, 3e38], np.float32)
    for low, high, bins in [(-1e38, 1e38, 100), (-1e38, 1e38, 4), (-2e38, 1e38, 3), (-3e38, 3e38, 4),
                            (-3.4e38, 3.4e38, 2)]:
        check(lambda fw, t, b=bins, lo=low, hi=high: fw.histc(t(x), bins=b, min=lo, max=hi))


@pytest.mark.parametrize("call", [
    lambda fw, t: fw.histc(t([1.0]), bins=0), lambda fw, t: fw.histc(t([1, 2]), bins=-1),
    lambda fw, t: fw.histc(t([1.0, 2.0]), bins=3, min=3, max=1), lambda fw, t: fw.histc(t([1.0]), bins=3, min=1),
    lambda fw, t: fw.histc(t([nan, 1.0])), lambda fw, t: fw.histc(t([1.0, -nan])),
    lambda fw, t: fw.histc(t([1.0, 2.0, nan], dtype=fw.float64)), lambda fw, t: fw.histc(t([-inf, 1.0])),
    lambda fw, t: fw.histc(t([1.0]), min=nan, max=2), lambda fw, t: fw.histc(t([1.0]), min=0.1, max=inf),
    lambda fw, t: fw.histc(t([1, 2, 3]), bins=4), lambda fw, t: fw.histc(t([True, False]), bins=4),
    lambda fw, t: fw.histc(t([True]), bins=4, min=3, max=1), lambda fw, t: fw.histc(t([], dtype=fw.int64)),
    lambda fw, t: fw.histc(t([1.0]), min=-1e39, max=3.4e38), lambda fw, t: fw.histc(t([1.0]), bins=4.5),
    lambda fw, t: fw.histc(t([1.0]), bins=True), lambda fw, t: fw.histc([1.0]),
], ids=["bins-0", "bins-negative", "min-above-max", "min-above-default-max", "nan-data", "negative-nan-data",
        "nan-data-float64", "inf-data", "nan-min", "inf-max", "int64", "bool", "bool-bad-range", "empty-int64",
        "float32-overflow", "float-bins", "bool-bins", "a-list"])
def test_histc_errors(call: Callable[[Any, Any], Any]) -> None:
    check(call)


def test_histc_records_no_graph() -> None:
    check(lambda fw, t: [(r := fw.histc(t([1.0, 2.0], requires_grad=True), bins=3)).requires_grad, r.grad_fn is None])


# ----- index_copy, index_fill, scatter_reduce: what test_ops' constant arguments leave out ---------------------------
def _leaves(fw: Any, t: Callable[..., Any], *arrays: np.ndarray) -> list[Any]:
    return [t(a, requires_grad=True) for a in arrays]


def _with_grads(fw: Any, out: Any, leaves: list[Any], seed: int = 0) -> list[Any]:
    """out, then each leaf's gradient under a random cotangent (None where none arrived)."""
    cotangent = np.random.default_rng(seed).standard_normal(tuple(out.shape)).astype(str(out.dtype).split(".")[-1])
    out.backward(fw.tensor(cotangent, device=out.device) if fw is torch else fw.tensor(cotangent))
    return [out, *[leaf.grad for leaf in leaves]]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_index_copy_gradients_of_both_inputs(dtype: str, device: str) -> None:
    rng = np.random.default_rng(1)
    for shape, dim, index, source_shape in [((3, 4), 0, [2, 0], (2, 4)), ((3, 4), 1, [3, 1, 0], (3, 3)),
                                            ((2, 3, 4), -2, [1], (2, 1, 4)), ((5,), 0, [4], ()), ((), 0, [0], (1,)),
                                            ((), 0, [0], ()), ((3, 4), 0, [], (0, 4))]:
        x, s = rng.standard_normal(shape).astype(dtype), rng.standard_normal(source_shape).astype(dtype)

        def run(fw: Any, t: Callable[..., Any], x: np.ndarray = x, s: np.ndarray = s, dim: int = dim,
                index: list[int] = index) -> list[Any]:
            leaves = _leaves(fw, t, x, s)
            return _with_grads(fw, fw.index_copy(leaves[0], dim, t(index, dtype=fw.int64), leaves[1]), leaves)

        check(run, device, exact=False)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_index_fill_gradient_of_a_value_tensor(dtype: str, device: str) -> None:
    """The value's gradient sums the gradient over the filled slices, each once however often the index names it."""
    rng = np.random.default_rng(2)
    for shape, dim, index in [((3, 4), 1, [2, 0, 2]), ((3, 4), 0, []), ((2, 3, 4), -1, [3]), ((), 0, [0, 0]),
                              ((5,), 0, 4)]:
        x = rng.standard_normal(shape).astype(dtype)
        for value_dtype in ("float32", "float64"):
            def run(fw: Any, t: Callable[..., Any], x: np.ndarray = x, dim: int = dim, index: Any = index,
                    value_dtype: str = value_dtype) -> list[Any]:
                x_leaf, value = t(x, requires_grad=True), t(1.5, dtype=getattr(fw, value_dtype), requires_grad=True)
                out = x_leaf.index_fill(dim, t(index, dtype=fw.int64), value)
                return [repr(out.grad_fn).split(" object")[0], *_with_grads(fw, out, [x_leaf, value])]

            check(run, device, exact=False)


@pytest.mark.parametrize("call", [
    lambda fw, t, x, v: x.index_fill(0, t([-1]), v), lambda fw, t, x, v: x.index_fill(1, t([0, -2]), v),
    lambda fw, t, x, v: x[0, 0].index_fill(0, t([], dtype=fw.int64), v),
    lambda fw, t, x, v: x[:0].index_fill(1, t([1]), v),
], ids=["negative-dim-0", "negative-dim-1", "0-d-empty-index", "empty-input"])
def test_index_fill_backward_errors_of_a_value_tensor(call: Callable[..., Any]) -> None:
    """Where PyTorch's backward picks the value's slices by the index as given and refuses it (a negative index, whose
    error its index_select words by code path; a 0-d gradient; no slices to pick from)."""
    def run(fw: Any, t: Callable[..., Any]) -> Any:
        x, value = t(np.ones((3, 4)), requires_grad=True), t(2.0, requires_grad=True)
        call(fw, t, x, value).sum().backward()
        return value.grad

    check(run)


_SCATTER = np.array([[0, 2, 1, 0], [2, 2, 0, 1]])


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_scatter_reduce_gradients_of_both_inputs(reduce: str, dtype: str, device: str) -> None:
    """x and src both require grad: random values; values with ties (amax/amin share the gradient among equal values,
    x's counted even without include_self); zeros in x and src, one or two into one place (prod's special cases)."""
    rng = np.random.default_rng(5)
    inputs = [(rng.standard_normal((3, 4)), rng.standard_normal((2, 4)), 0, _SCATTER),
              (rng.integers(-1, 2, (3, 4)), rng.integers(-1, 2, (2, 4)), 0, _SCATTER),
              (np.array([[0.0, 2.0], [3.0, 0.0]]), np.array([[0.0, 0.0], [5.0, 0.0]]), 1, np.array([[0, 0], [1, 1]])),
              (np.array([1.0, 0.0, 2.0]), np.array([0.0, 4.0, 0.0, 0.0]), 0, np.array([0, 0, 1, 2])),
              (np.array(2.0), np.array(3.0), 0, np.array(0)), (rng.standard_normal((2, 3, 4)),
                                                               rng.standard_normal((2, 3, 2)), 2,
                                                               rng.integers(0, 4, (2, 3, 2)))]
    for x, src, dim, index in inputs:
        for include_self in (True, False):
            def run(fw: Any, t: Callable[..., Any], x: np.ndarray = x, src: np.ndarray = src, dim: int = dim,
                    index: np.ndarray = index, include_self: bool = include_self) -> list[Any]:
                leaves = _leaves(fw, t, x.astype(dtype), src.astype(dtype))
                out = leaves[0].scatter_reduce(dim, t(index), leaves[1], reduce, include_self=include_self)
                return _with_grads(fw, out, leaves)

            check(run, device, exact=False)


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64", "float32", "float64"])
def test_scatter_reduce_of_every_dtype(dtype: str, device: str) -> None:
    """Integers wrap as C arithmetic does, mean divides them with floor division (by a count kept in their dtype);
    bools reduce as 0/1 (sum: any, prod: all), and mean refuses them; "max" and "min" are amax and amin."""
    x = _values(1, (3, 4), dtype, distinct=4)
    src = (np.array([[200, 3, -5, 7], [100, 9, 1, -2]]).astype(dtype) if dtype != "bool"
           else _values(2, (2, 4), dtype))
    for reduce in ("sum", "prod", "mean", "amax", "amin", "max", "min"):
        for include_self in (True, False):
            check(lambda fw, t, r=reduce, i=include_self: fw.scatter_reduce(t(x), 0, t(_SCATTER), t(src), r,
                                                                              include_self=i), device)


def test_scatter_reduce_max_and_min_backward_raise() -> None:
    """torch's forward takes "max" and "min" (as amax and amin); its backward refuses them."""
    for reduce in ("max", "min"):
        check(lambda fw, t, r=reduce: fw.scatter_reduce(t([1.0, 2.0], requires_grad=True), 0, t([0]), t([3.0]), r)
              .sum().backward())


@pytest.mark.parametrize("call", [
    lambda fw, t, x: x.scatter_reduce(0, t([0, 1]), t([3.0, 4.0, 5.0], requires_grad=True), "sum"),
    lambda fw, t, x: x.scatter_reduce(0, t([0, 1]), t([3.0, 4.0, 5.0]), "prod"),
    lambda fw, t, x: x.scatter_reduce(0, t([0, 1]), t([3.0, 4.0, 5.0]), "amax", include_self=False),
    lambda fw, t, x: x.scatter_reduce(0, t([], dtype=fw.int64), t([0.0]), "prod"),
    lambda fw, t, x: x.scatter_reduce(0, t([], dtype=fw.int64), t([0.0], requires_grad=True), "mean"),
], ids=["sum-larger-src-grad", "prod-larger-src", "amax-larger-src", "prod-empty-index", "mean-empty-index-src-grad"])
def test_scatter_reduce_backward_with_src_larger_than_index(call: Callable[..., Any]) -> None:
    """PyTorch's backward compares src with index-shaped values (prod, amax, amin: they must broadcast), and its
    engine refuses an index-shaped gradient for a larger src that requires grad: the same errors, or results."""
    def run(fw: Any, t: Callable[..., Any]) -> Any:
        x = t([1.0, 2.0], requires_grad=True)
        call(fw, t, x).sum().backward()
        return x.grad

    check(run)


def test_in_place_forms() -> None:
    """index_copy_, index_fill_, scatter_reduce_ (and scatter_, scatter_add_, index_add_) on a non-leaf: the values,
    the grad_fn each leaves, the gradients; on a leaf that requires grad, PyTorch's error."""
    x, s = np.arange(12.0).reshape(3, 4), np.ones((2, 4)) * 5
    index = np.array([2, 0])
    calls = [lambda fw, t, y, src: y.index_copy_(0, t(index), src),
             lambda fw, t, y, src: y.index_fill_(1, t(index), -1.5),
             lambda fw, t, y, src: y.index_fill_(1, t(index), src[0, 0]),
             lambda fw, t, y, src: y.scatter_reduce_(0, t(_SCATTER), src, "prod", include_self=False),
             lambda fw, t, y, src: y.scatter_(0, t([[0, 1, 2, 0], [1, 2, 0, 1]]), src),
             lambda fw, t, y, src: y.scatter_add_(0, t(_SCATTER), src),
             lambda fw, t, y, src: y.index_add_(0, t(index), src, alpha=2.0)]
    for call in calls:
        def run(fw: Any, t: Callable[..., Any], _call: Callable[..., Any] = call) -> list[Any]:
            leaves = _leaves(fw, t, x, s)
            y = leaves[0] * 1.0
            out = _call(fw, t, y, leaves[1])
            assert out is y
            return [repr(y.grad_fn).split(" object")[0], *_with_grads(fw, y, leaves)]

        check(run, exact=False)
        check(lambda fw, t, _call=call: _call(fw, t, t(x, requires_grad=True), t(s)))


_X = np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize("call", [
    # index_copy: PyTorch's checks in its order
    lambda fw, t, x: x.index_copy(0, t([[0]]), t(np.ones((1, 4)))),
    lambda fw, t, x: x.index_copy(0, t([0, 1]), t(1.0)),
    lambda fw, t, x: x.index_copy(0, t([0]), t(np.ones(4))),
    lambda fw, t, x: x.index_copy(0, t([0], dtype=fw.int32), t(np.ones((1, 4)))),
    lambda fw, t, x: x.index_copy(0, t([0.0]), t(np.ones((1, 4)), dtype=fw.float32)),
    lambda fw, t, x: x.index_copy(0, t([0]), t(np.ones((1, 4)), dtype=fw.float32)),
    lambda fw, t, x: x.index_copy(0, t([0]), t(np.ones((1, 5)))),
    lambda fw, t, x: x[0, 0].index_copy(0, t([0]), t(np.ones((1, 1)))),
    lambda fw, t, x: x.index_copy(0, t([0]), t(np.ones((2, 4)))),
    lambda fw, t, x: x.index_copy(0, t([3]), t(np.ones((1, 4)))),
    lambda fw, t, x: x.index_copy(0, t([-1]), t(np.ones((1, 4)))),
    lambda fw, t, x: x.index_copy(2, t([0]), t(np.ones((1, 4)))),
    lambda fw, t, x: x[:0].index_copy(0, t([0]), t(np.ones((1, 4)))),
    lambda fw, t, x: x[:0].index_copy(1, t([7]), t(np.ones((0, 1)))),
    lambda fw, t, x: x[0, 0].index_copy(0, t([1]), t(np.ones(1))),
    # index_fill
    lambda fw, t, x: x.index_fill(0, t([1.0]), t(np.ones(1))),
    lambda fw, t, x: x.index_fill(0, t([1], dtype=fw.int32), 1.0),
    lambda fw, t, x: x.index_fill(3, t([1.0]), 1.0),
    lambda fw, t, x: x.index_fill(3, t([[1]]), 1.0),
    lambda fw, t, x: x.index_fill(0, t([[1]]), 1.0),
    lambda fw, t, x: x.long().index_fill(0, t([7]), nan),
    lambda fw, t, x: x.byte().index_fill(0, t([7]), 300),
    lambda fw, t, x: x.byte().index_fill(0, t([1]), -1),
    lambda fw, t, x: x.long().index_fill(0, t([1]), t(nan)),
    lambda fw, t, x: x.long().index_fill(0, t([1]), t(2.7)),
    lambda fw, t, x: x.bool().index_fill(0, t([1]), nan),
    lambda fw, t, x: x.float().index_fill(0, t([1]), 1e39),
    lambda fw, t, x: x.index_fill(1, t([4]), 1.0),
    lambda fw, t, x: x.index_fill(1, t([-5, 9]), 1.0),
    lambda fw, t, x: x.index_fill(1, t([-4]), 1.0),
    lambda fw, t, x: fw.zeros(2, 0, 6, dtype=fw.float64).index_fill(1, t([0, 0]), 1.0),
    lambda fw, t, x: x[0, :0].index_fill(0, t([5]), 1.0),
    lambda fw, t, x: x[:0].index_fill(1, t([5]), 1.0),
    lambda fw, t, x: x[0, 0].index_fill(-1, t([0, 0]), 2.0),
    lambda fw, t, x: x[0, 0].index_fill(0, t([1]), 2.0),
    # scatter_reduce
    lambda fw, t, x: x.scatter_reduce(0, t(_SCATTER), t(np.ones((2, 4))), "foo"),
    lambda fw, t, x: x.scatter_reduce(0, t(np.zeros((0, 9), np.int64)), t(np.ones((2, 4))), "foo"),
    lambda fw, t, x: x.scatter_reduce(0, t(_SCATTER * 1.0), t(np.ones((2, 4))), "foo"),
    lambda fw, t, x: x.scatter_reduce(0, t(_SCATTER), t(np.ones((2, 4)), dtype=fw.float32), "foo"),
    lambda fw, t, x: x.scatter_reduce(0, t(np.zeros((0, 9))), t(np.ones((2, 4))), "sum"),
    lambda fw, t, x: x.scatter_reduce(0, t(_SCATTER[0]), t(np.ones((2, 4))), "sum"),
    lambda fw, t, x: x.scatter_reduce(0, t(np.zeros((4, 4), np.int64)), t(np.ones((2, 4))), "sum"),
    lambda fw, t, x: x.scatter_reduce(1, t(np.zeros((4, 4), np.int64)), t(np.ones((4, 4))), "sum"),
    lambda fw, t, x: x.scatter_reduce(0, t(_SCATTER), t(np.ones((2, 2))), "sum"),
    lambda fw, t, x: x.scatter_reduce(1, t(_SCATTER), t(np.ones(4)), "mean"),
    lambda fw, t, x: x.scatter_reduce(1, t(_SCATTER), t(1.0), "mean"),
    lambda fw, t, x: x.scatter_reduce(0, t(_SCATTER * 5), t(np.ones((2, 4))), "sum"),
    lambda fw, t, x: x.scatter_reduce(0, t(-_SCATTER), t(np.ones((2, 4))), "amax", include_self=False),
    lambda fw, t, x: x.bool().scatter_reduce(0, t(_SCATTER * 5), t(np.ones((2, 4)), dtype=fw.bool), "mean"),
    lambda fw, t, x: x.bool().scatter_reduce(0, t(_SCATTER * 5), t(np.ones((2, 4)), dtype=fw.bool), "mean",
                                             include_self=False),
    lambda fw, t, x: x.scatter_reduce(2, t(_SCATTER), t(np.ones((2, 4))), "sum"),
    lambda fw, t, x: x[0, 0].scatter_reduce(0, t([0, 0]), t([1.0, 2.0]), "sum"),
    lambda fw, t, x: x[0, 0].scatter_reduce(0, t([1]), t([1.0, 2.0]), "sum"),
])
def test_error_texts(call: Callable[..., Any]) -> None:
    check(lambda fw, t: call(fw, t, t(_X)))
