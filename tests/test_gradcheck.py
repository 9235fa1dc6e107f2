"""Every differentiable op's backward against finite differences: a second oracle that needs no torch."""

from __future__ import annotations

import numpy as np
import pytest
from op_cases import CASES, Case, resolve, sample

import minigrad
from minigrad.autograd import GradcheckError, gradcheck
from minigrad.ops.registry import REGISTRY


def _checkable(case: Case) -> bool:
    """Cases whose op is differentiable at the sampled inputs (ties make max/min kinked)."""
    op = REGISTRY[case.op]
    return op.differentiable and case.gradcheck and not case.discrete and all(np.prod(s) > 0 for s in case.shapes)


CHECKED = [case for case in CASES if _checkable(case) and case.op != "ToCopy"]


@pytest.mark.parametrize("case", CHECKED, ids=lambda c: c.id)
def test_backward_matches_finite_differences(case: Case) -> None:
    fn = resolve(REGISTRY[case.op].torch, minigrad)
    inputs = [minigrad.tensor(x, requires_grad=True) for x in sample(case, "float64")]

    graded = REGISTRY[case.op].differentiable_outputs
    rng = np.random.default_rng(case.seed)

    def f(*xs: minigrad.Tensor) -> minigrad.Tensor:
        out = case.call(fn, xs, minigrad)
        if not isinstance(out, tuple) or graded == 1:
            return out[0] if isinstance(out, tuple) else out
        # several differentiable outputs: one value that depends on each, sum_i <w_i, out_i> with fixed weights w_i
        weights.extend(rng.standard_normal(tuple(o.shape)) for o in out[len(weights):graded])
        terms = [(o * minigrad.tensor(w, dtype=o.dtype)).sum() for o, w in zip(out[:graded], weights)]
        return sum(terms[1:], terms[0])

    weights: list[np.ndarray] = []

    assert gradcheck(f, inputs)


def test_every_differentiable_op_is_gradchecked() -> None:
    differentiable = {name for name, op in REGISTRY.items() if op.differentiable} - {"ToCopy"}
    assert differentiable <= {case.op for case in CHECKED}


def test_gradcheck_failure_names_op_input_index_and_values(monkeypatch: pytest.MonkeyPatch) -> None:
    from minigrad.ops.pointwise import Mul

    def wrong_backward(ctx, grad):
        return grad, grad  # forgets the other factor

    monkeypatch.setattr(Mul, "backward", staticmethod(wrong_backward))
    a = minigrad.tensor([[1.0, 2.0]], dtype=minigrad.float64, requires_grad=True)
    b = minigrad.tensor([[3.0, 5.0]], dtype=minigrad.float64, requires_grad=True)
    with pytest.raises(GradcheckError, match=r"MulBackward0: input 0, element \(0, 0\): analytic .* vs numeric"):
        gradcheck(lambda x, y: x * y, [a, b])


def test_gradcheck_wants_float64() -> None:
    with pytest.raises(ValueError, match="float64"):
        gradcheck(lambda x: x * 2, [minigrad.ones(2, requires_grad=True)])
