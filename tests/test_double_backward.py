"""Every op's gradient differentiated again (``create_graph=True``), against PyTorch.

For each cross-check case (``op_cases.CASES``) of a differentiable op: the first gradients g_i = d<out, u>/dx_i are
taken with ``create_graph=True``, then the gradient of s = sum_i <g_i, v_i> (random v) with respect to every input
x_i and to the cotangent u itself (which makes s depend on the backward's use of u as well as of the inputs). Both the
first gradients (recorded) and the second ones are compared with torch's, in float64, on the CPU and on CUDA.

``MISSING`` lists the ops whose backward minigrad cannot record yet: for them, and only them, a clear
NotImplementedError is accepted instead of the comparison (and for the ops made of them; an answer they do give must
still be torch's).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close
from op_cases import CASES, Case, resolve, sample

import minigrad
from minigrad import higher_order
from minigrad.ops.registry import REGISTRY

MISSING = higher_order.NOT_YET  # ops whose backward cannot be recorded yet (the reason is given there)


def _second_order(fw: Any, case: Case, values: list[np.ndarray], device: str | None) -> Any:
    """(first gradients, second gradients of the inputs and of u), or the exception raised."""
    op = REGISTRY[case.op]
    kwargs = {"device": device} if device else {}
    leaves = [fw.tensor(v, requires_grad=True, **kwargs) for v in values]
    inputs = [leaf.clone() if case.inplace and i == 0 else leaf for i, leaf in enumerate(leaves)]
    try:
        out = case.call(resolve(op.torch, fw), inputs, fw, device)
    except (RuntimeError, IndexError, ValueError, TypeError) as error:
        return error
    outs = list(out) if isinstance(out, tuple) else [out]
    graded = outs[:op.differentiable_outputs]
    if not graded[0].dtype.is_floating_point or not graded[0].requires_grad:
        return None
    rng = np.random.default_rng(case.seed + 7)
    us = [fw.tensor(rng.standard_normal(tuple(o.shape)), requires_grad=True, **kwargs) for o in graded]
    try:
        firsts = fw.autograd.grad(graded, leaves, us, create_graph=True, allow_unused=True)
    except (RuntimeError, IndexError, ValueError, TypeError) as error:
        return error
    terms = [(g * fw.tensor(rng.standard_normal(tuple(g.shape)), **kwargs)).sum()
             for g in firsts if g is not None and g.requires_grad]
    if not terms:
        return list(firsts), None
    s = sum(terms[1:], terms[0])
    try:
        return list(firsts), fw.autograd.grad(s, [*leaves, *us], allow_unused=True)
    except RuntimeError as error:  # torch has no second derivative for a few of its backward functions
        return error


_MISSING_NODES = {REGISTRY[name].grad_fn for name in MISSING} | {name for name in MISSING}

DIFFERENTIABLE = [c for c in CASES if REGISTRY[c.op].differentiable and c.gradcheck]


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=lambda c: c.id)
def test_gradient_of_gradient_matches_torch(case: Case, device: str) -> None:
    if device != "cpu" and case.cpu_only:
        pytest.skip(f"compared on the CPU only: {case.cpu_only}")
    values = sample(case, "float64")
    expected = _second_order(torch, case, values, device)
    if isinstance(expected, BaseException) or expected is None:
        pytest.skip(f"torch gives no second-order case here ({expected!r})")
    actual = _second_order(minigrad, case, values, None)
    if isinstance(actual, NotImplementedError):  # the clear refusal: this op, or one it is made of, is listed
        assert "create_graph=True" in str(actual), actual
        assert case.op in MISSING or any(op in str(actual) for op in _MISSING_NODES), actual
        return
    if isinstance(actual, BaseException):
        raise actual
    (firsts, seconds), (torch_firsts, torch_seconds) = actual, expected
    for i, (a, e) in enumerate(zip(firsts, torch_firsts)):
        assert (a is None) == (e is None), f"first gradient {i}: torch {e is None and 'has none'}"
        if e is not None:
            assert_close(a, e, f"first gradient {i}")
    if torch_seconds is None:
        return
    assert seconds is not None, "torch's first gradients have a graph, minigrad's do not"
    for i, (a, e) in enumerate(zip(seconds, torch_seconds)):
        if e is not None and e._is_zerotensor():  # torch's symbolic zero (an input its gradient does not depend on)
            e = torch.zeros(e.shape, dtype=e.dtype)
        if e is None or (a is None and not torch.any(e)):  # no gradient and a zero one agree in value
            assert a is None or not np.any(a.numpy()), f"second gradient {i}: torch has none, minigrad {a}"
        else:
            assert a is not None, f"second gradient {i}: torch has one, minigrad none"
            assert_close(a, e, f"second gradient {i}")
