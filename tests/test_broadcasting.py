"""Hypothesis-driven broadcasting: random shapes and dtypes for binary ops, values and gradients vs torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import assert_close, numpy_of
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import minigrad
from minigrad import kernels as K

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


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
@pytest.mark.parametrize("shapes", [
    ((512, 256), (256,)), ((256,), (512, 256)), ((1, 300), (400, 300)), ((8, 64, 130), (64, 130)),
    ((70000,), (1, 70000)), ((512, 256), (512, 256)), ((2048, 3), (3,)), ((2, 4096), (1, 2, 4096)),
    ((4096, 1), (4096, 1)), ((4096, 16), ()), ((), (64, 128)), ((1,), (8192,)), ((4096, 1), (1, 1)),
], ids=str)
def test_large_rows_broadcast_match_torch(shapes, op: str, dtype: str, device: str) -> None:
    """From ``_VECTORIZED_SIZE`` (4096) elements, an operand repeating whole rows (a bias over a batch) is read in
    place, row by row, in the vectorized loop (a single value goes to the strided loop): values and both
    gradients as torch's, the values bit for bit."""
    rng = np.random.default_rng(len(shapes[0]) + len(op))
    arrays = [(rng.uniform(0.5, 2.0, s) * rng.choice([-1, 1], s)).astype(dtype) for s in shapes]
    results = {}
    for fw, kwargs in ((minigrad, {}), (torch, {"device": device})):
        a, b = (fw.tensor(x, requires_grad=True, **kwargs) for x in arrays)
        out = OPS[op](a, b)
        out.sum().backward()
        results[fw.__name__] = (out, a.grad, b.grad)
    got, want = results["minigrad"], results["torch"]
    np.testing.assert_array_equal(numpy_of(got[0]), numpy_of(want[0]))
    for name, g, w in zip(("grad a", "grad b"), got[1:], want[1:]):
        assert_close(g, w, name)


@pytest.mark.parametrize("src_shape, shape", [((), (3, 4)), ((1,), (5,)), ((1, 1), (2, 3)), ((1,), (2, 1, 3)),
                                              ((1, 1), (1, 1))])
def test_one_value_written_everywhere_is_numpys_broadcast(src_shape: tuple[int, ...], shape: tuple[int, ...]) -> None:
    """The kernels' layout contract (``write``'s one-value fill, which ``expand`` and sum's gradient take):
    numpy's broadcast, cast to the destination's dtype."""
    src = np.full(src_shape, 1 / 3)  # float64: float32(1/3) is a rounding of it
    np.testing.assert_array_equal(K.expand(src, shape), np.broadcast_to(src, shape))
    out = np.empty(shape, np.float32)
    K.write(out, src)
    np.testing.assert_array_equal(out, np.broadcast_to(src, shape).astype(np.float32))


def test_one_value_of_more_dims_than_its_destination_is_refused_as_numpy_refuses() -> None:
    with pytest.raises(ValueError, match="more dimensions"):
        K.write(np.empty(3), np.ones((1, 1)))
