"""Hypothesis-driven broadcasting: random shapes and dtypes for binary ops, values and gradients vs torch."""

from __future__ import annotations

import numpy as np
import torch
from conftest import assert_close
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import minigrad

OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a.abs() ** b,
    "reduce-then-reuse": lambda a, b: (a * b).sum(dim=-1, keepdim=True) * a,
}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, min_side=0, max_side=3),
    dtypes=st.tuples(st.sampled_from(["float32", "float64"]), st.sampled_from(["float32", "float64"])),
    op=st.sampled_from(sorted(OPS)),
    seed=st.integers(0, 2**16),
)
def test_broadcast_binary_matches_torch(shapes, dtypes, op, seed) -> None:
    rng = np.random.default_rng(seed)
    arrays = [
        (rng.uniform(0.5, 2.0, s) * rng.choice([-1, 1], s)).astype(d) for s, d in zip(shapes.input_shapes, dtypes)
    ]
    cotangent = rng.standard_normal(shapes.result_shape)
    results = {}
    for fw in (minigrad, torch):
        a, b = (fw.tensor(x, requires_grad=True) for x in arrays)
        out = OPS[op](a, b)
        out.backward(fw.tensor(cotangent).to(out.dtype))
        results[fw.__name__] = (out, a.grad, b.grad)
    for name, got, want in zip(("output", "grad a", "grad b"), results["minigrad"], results["torch"]):
        assert_close(got, want, name)
