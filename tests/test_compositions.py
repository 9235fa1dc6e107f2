"""The everyday API's functions that are compositions of registry ops (no op of their own, so no generated case):
each against torch on the same inputs, forward values and every input's gradient, float32 and float64."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close

import minigrad

# name: (function of the framework and its input tensors, the inputs' shapes)
CASES: dict[str, tuple[Callable[..., Any], tuple[tuple[int, ...], ...]]] = {
    "square": (lambda fw, x: fw.square(x), ((3, 4),)),
    "Tensor.square": (lambda fw, x: x.square(), ((5,),)),
    "clamp_min": (lambda fw, x: fw.clamp_min(x, -0.3), ((3, 4),)),
    "clamp_max": (lambda fw, x: x.clamp_max(0.2), ((3, 4),)),
    "clip": (lambda fw, x: fw.clip(x, -0.5, 0.5), ((2, 3, 4),)),
    "sgn": (lambda fw, x: x.sgn() * x, ((3, 4),)),
    "outer": (lambda fw, a, b: fw.outer(a, b), ((3,), (4,))),
    "inner": (lambda fw, a, b: fw.inner(a, b), ((2, 4), (3, 4))),
    "inner of vectors": (lambda fw, a, b: a.inner(b), ((5,), (5,))),
    "kron": (lambda fw, a, b: fw.kron(a, b), ((2, 3), (3, 2))),
    "kron of 3-d and 2-d": (lambda fw, a, b: fw.kron(a, b), ((2, 1, 2), (2, 3))),
    "std_mean": (lambda fw, x: fw.std_mean(x, dim=1), ((3, 5),)),
    "var_mean": (lambda fw, x: fw.var_mean(x, dim=(0, 2), keepdim=True), ((3, 4, 2),)),
    "var_mean of all": (lambda fw, x: fw.var_mean(x), ((4, 3),)),
    "argsort": (lambda fw, x: fw.argsort(x, dim=1), ((3, 6),)),
    "argsort descending": (lambda fw, x: x.argsort(dim=0, descending=True), ((5, 2),)),
    "msort": (lambda fw, x: fw.msort(x), ((5, 3),)),
    "argwhere": (lambda fw, x: fw.argwhere(x > 0), ((3, 4),)),
    "isnan isinf isfinite": (lambda fw, x: (fw.isnan(x / x), fw.isinf(1 / x), (1 / x).isfinite()), ((3, 4),)),
    "isclose": (lambda fw, a, b: fw.isclose(a, a + b * 1e-9, rtol=1e-6, atol=0.0), ((3, 4), (3, 4))),
    "isclose equal_nan": (lambda fw, a: fw.isclose(a / a, a / a, equal_nan=True), ((5,),)),
}


def _outputs(result: Any) -> list[Any]:
    return list(result) if isinstance(result, tuple) else [result]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", CASES)
def test_composition_matches_torch(name: str, dtype: str, device: str) -> None:
    fn, shapes = CASES[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    values = [rng.standard_normal(s).astype(dtype) for s in shapes]
    if name.startswith("isnan"):
        values[0].reshape(-1)[::3] = 0.0  # 0 / 0 is NaN and 1 / 0 is inf
    outs = {}
    leaves = {}
    for fw in (torch, minigrad):
        on = {"device": device} if fw is torch else {}  # minigrad runs on the CPU
        leaves[fw] = [fw.tensor(v, requires_grad=True, **on) for v in values]
        outs[fw] = _outputs(fn(fw, *leaves[fw]))
        floats = [o for o in outs[fw] if o.dtype.is_floating_point and o.requires_grad]
        if floats:
            cotangents = [fw.tensor(np.random.default_rng(7 + i).standard_normal(tuple(o.shape)).astype(dtype), **on)
                          for i, o in enumerate(floats)]
            sum((o * c).sum() for o, c in zip(floats, cotangents)).backward()
    for ours, theirs in zip(outs[minigrad], outs[torch], strict=True):
        assert_close(ours, theirs, f"{name} output")
    for i, (ours, theirs) in enumerate(zip(leaves[minigrad], leaves[torch])):
        if theirs.grad is None:
            assert ours.grad is None, f"input {i}: torch has no gradient"
        else:
            assert_close(ours.grad, theirs.grad, f"gradient of input {i}")


@pytest.mark.parametrize("pair", [((3, 4), (3, 4)), ((3, 4), (4,)), ((2,), (3,))], ids=str)
def test_allclose_and_equal_answer_as_torch(pair: tuple[tuple[int, ...], tuple[int, ...]]) -> None:
    a = np.random.default_rng(0).standard_normal(pair[0])
    b = np.random.default_rng(1).standard_normal(pair[1])
    for first, second in ((a, a), (a, a + 1e-9), (a, b), (a[..., :1], a)):
        answers = []
        for fw in (torch, minigrad):
            x, y = fw.tensor(np.ascontiguousarray(first)), fw.tensor(np.ascontiguousarray(second))
            try:
                answers.append((fw.allclose(x, y), fw.equal(x, y), x.equal(y)))
            except RuntimeError as error:
                answers.append(type(error))
        assert answers[1] == answers[0]
