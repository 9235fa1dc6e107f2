"""Forward-mode AD (``minigrad.autograd.forward_ad``) against PyTorch's.

For each cross-check case (``op_cases.CASES``) of a differentiable op: every float input becomes a dual tensor with a
random tangent, and the tangents of the outputs (J v) are compared with torch's forward-mode ones, in float64, on the
CPU and on CUDA. Ops with neither a jvp rule nor a recordable backward (``higher_order.NOT_YET``) must refuse with a
NotImplementedError naming them. Then the API and its errors, and Hessian-vector products taken forward-over-reverse
(the tangent of a gradient) against reverse-over-reverse (the gradient of <gradient, v>), in minigrad and in torch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error, numpy_of
from op_cases import CASES, Case, differentiable_cases, resolve, sample
from op_cases_linalg import GAUGES

import minigrad
from minigrad import higher_order
from minigrad.autograd import forward_ad
from minigrad.ops.registry import REGISTRY

REFUSED = {name for name in higher_order.NOT_YET if REGISTRY[name].jvp is None}  # no rule, no recordable backward
PARTLY_REFUSED = {"ScatterReduce": "reduce='prod'"}  # (PyTorch gives no tangent there at all)
# Looser float64 tolerances, with their measured cause. logcumsumexp: torch's tangent is off from a long-double
# evaluation of its own formula by up to 4.0e-12 relative where the running sums of exp(x - max) dx cancel; minigrad's
# by 1.5e-15.
RTOL = {"Logcumsumexp": 1e-10}


def _tangents(fw: Any, case: Case, values: list[np.ndarray], tangents: list[np.ndarray], device: str | None) -> Any:
    """(the case's differentiable outputs, their tangents: None where one has none), or the exception raised."""
    op = REGISTRY[case.op]
    kwargs = {"device": device} if device else {}
    dual = fw.autograd.forward_ad
    with dual.dual_level():
        inputs = [dual.make_dual(fw.tensor(v, **kwargs), fw.tensor(t, **kwargs)) for v, t in zip(values, tangents)]
        if case.inplace:
            inputs[0] = inputs[0].clone()
        try:
            out = case.call(resolve(op.torch, fw), inputs, fw, device)
        except (RuntimeError, IndexError, ValueError, TypeError, NotImplementedError) as error:
            return error
        outs = (list(out) if isinstance(out, tuple) else [out])[:op.differentiable_outputs]
        return [o.detach() for o in outs], [dual.unpack_dual(o).tangent for o in outs]


DIFFERENTIABLE = differentiable_cases()


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=lambda c: c.id)
def test_tangent_matches_torch(case: Case, device: str) -> None:
    if device != "cpu" and case.cpu_only:
        pytest.skip(f"compared on the CPU only: {case.cpu_only}")
    values = sample(case, "float64")
    rng = np.random.default_rng(case.seed + 11)
    tangents = [rng.standard_normal(v.shape) for v in values]
    expected = _tangents(torch, case, values, tangents, device)
    if isinstance(expected, BaseException):
        pytest.skip(f"torch gives no forward-mode result here ({expected!r})")
    actual = _tangents(minigrad, case, values, tangents, None)
    if isinstance(actual, NotImplementedError):  # the clear refusal: no rule, and a backward that cannot be recorded
        assert "forward AD" in str(actual) and case.op in str(actual), actual
        partly = PARTLY_REFUSED.get(case.op)
        assert case.op in REFUSED or "create_graph=True" in str(actual) or (partly and partly in str(actual)), actual
        return
    if isinstance(actual, BaseException):
        raise actual
    (outs, actual), (torch_outs, expected) = actual, expected
    if case.op in GAUGES and all(t is not None for t in actual):  # singular and eigenvectors: up to their signs
        align = GAUGES[case.op]([numpy_of(o) for o in outs], [numpy_of(o) for o in torch_outs])
        actual = [minigrad.tensor(t) for t in align([numpy_of(t) for t in actual])]
    for i, (a, e) in enumerate(zip(actual, expected)):
        if e is not None and e._is_zerotensor():
            e = torch.zeros(e.shape, dtype=e.dtype)
        if e is None or a is None:  # no tangent and a zero one agree in value
            given = a if e is None else e
            assert given is None or not np.any(numpy_of(given)), f"output {i}: one side has no tangent"
        elif case.op in RTOL:
            assert a.shape == tuple(e.shape) and a.dtype == minigrad.float64, f"tangent of output {i}"
            np.testing.assert_allclose(numpy_of(a), numpy_of(e), rtol=RTOL[case.op], atol=RTOL[case.op])
        else:
            assert_close(a, e, f"tangent of output {i}")


def test_jvp_rules_carry_their_formulas() -> None:
    for name, op in REGISTRY.items():
        assert (op.jvp is None) == (not op.jvp_formulas), name
        assert all(isinstance(f, str) and f for f in op.jvp_formulas), name


# ----- the API and its errors --------------------------------------------------------------------------------------
def _fw(fw: Any) -> Any:
    return fw.autograd.forward_ad


def test_make_dual_unpack_dual() -> None:
    x, v = minigrad.randn(3, dtype=minigrad.float64), minigrad.randn(3, dtype=minigrad.float64)
    with forward_ad.dual_level() as level:
        assert level == 0
        dual = forward_ad.make_dual(x, v)
        primal, tangent = forward_ad.unpack_dual(dual)
        assert tangent is v  # as it is, as in PyTorch
        assert forward_ad.unpack_dual(primal).tangent is None and forward_ad.unpack_dual(x).tangent is None
        assert np.array_equal(primal.numpy(), x.numpy())
        assert forward_ad.unpack_dual(dual.detach()).tangent is None  # detach drops the tangent, clone keeps it
        assert np.array_equal(forward_ad.unpack_dual(dual.clone()).tangent.numpy(), v.numpy())
        y = dual * 2
    assert forward_ad.unpack_dual(y) == (y, None)  # outside any level
    with forward_ad.dual_level():
        assert forward_ad.unpack_dual(y).tangent is None  # exiting the level deleted the tangents


def test_dual_level_as_a_decorator() -> None:
    @forward_ad.dual_level()
    def jvp_of_square(x: minigrad.Tensor, v: minigrad.Tensor) -> minigrad.Tensor:
        return forward_ad.unpack_dual(forward_ad.make_dual(x, v) ** 2).tangent

    assert jvp_of_square(minigrad.tensor([3.0]), minigrad.tensor([1.0])).tolist() == [6.0]
    assert not forward_ad.active


def test_make_dual_is_differentiable_and_in_place_ops_carry_the_tangent() -> None:
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    with forward_ad.dual_level():
        dual = forward_ad.make_dual(x, minigrad.tensor([1.0, -1.0]))
        assert dual.grad_fn.name() == "ViewBackward0"
        (dual * dual).sum().backward()
        y = forward_ad.make_dual(minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0, 4.0])).clone()
        y.mul_(2)
        assert forward_ad.unpack_dual(y).tangent.tolist() == [6.0, 8.0]
        base = forward_ad.make_dual(minigrad.zeros(3), minigrad.ones(3)).clone()
        base[1:] = forward_ad.make_dual(minigrad.ones(2), minigrad.tensor([5.0, 7.0]))
        assert forward_ad.unpack_dual(base).tangent.tolist() == [1.0, 5.0, 7.0]
    assert x.grad.tolist() == [2.0, 4.0]


@pytest.mark.parametrize("call", [
    lambda fw: _fw(fw).make_dual(fw.ones(2), fw.ones(2)),
    lambda fw: _fw(fw).exit_dual_level(),
])
def test_outside_a_level_errors(call: Any) -> None:
    assert_same_error(call)


def _in_level(body: Any) -> Any:
    def run(fw: Any) -> Any:
        with _fw(fw).dual_level():
            return body(fw)
    return run


@pytest.mark.parametrize("body", [
    lambda fw: _fw(fw).enter_dual_level(),  # nested levels
    lambda fw: _fw(fw).make_dual(fw.arange(2), fw.ones(2)),
    lambda fw: _fw(fw).make_dual(fw.ones(2), fw.arange(2)),
    lambda fw: _fw(fw).make_dual(fw.ones(2), fw.ones(3)),
    lambda fw: _fw(fw).make_dual(_fw(fw).make_dual(fw.ones(2), fw.ones(2)), fw.ones(2)),
    lambda fw: _fw(fw).make_dual(fw.ones(2), fw.ones(2), level=3),
    lambda fw: _fw(fw).unpack_dual(_fw(fw).make_dual(fw.ones(2), fw.ones(2)) * 2, level=3),
    lambda fw: _fw(fw).exit_dual_level(level=3),
], ids=["nested", "int-primal", "int-tangent", "size", "twice", "make-level", "unpack-level", "exit-level"])
def test_errors_in_a_level(body: Any) -> None:
    assert_same_error(_in_level(body))


def test_refused_op_names_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """An op with neither a jvp rule nor a backward that records refuses, naming itself (none does today: one without
    a rule is marked unrecordable here)."""
    name = sorted(REFUSED or (n for n in REGISTRY if REGISTRY[n].jvp is None and any(c.op == n for c in CASES)))[0]
    monkeypatch.setitem(higher_order.NOT_YET, name, "marked unrecordable by this test")
    case = next(c for c in CASES if c.op == name)
    values = sample(case, "float64")
    error = _tangents(minigrad, case, values, [np.ones(v.shape) for v in values], None)
    assert isinstance(error, NotImplementedError) and name in str(error)


# ----- Hessian-vector products: forward-over-reverse against reverse-over-reverse --------------------------------
def _mlp(fw: Any, params: list[Any], x: Any, y: Any) -> Any:
    w1, b1, w2, b2 = params
    hidden = fw.tanh(x @ w1 + b1)
    return ((fw.relu(hidden) @ w2 + b2 - y) ** 2).mean()


def _logistic(fw: Any, params: list[Any], x: Any, y: Any) -> Any:
    w, b = params
    return fw.nn.functional.binary_cross_entropy_with_logits(x @ w + b, y)


PROBLEMS = {
    "mlp": (_mlp, [(5, 8), (8,), (8, 3), (3,)], (6, 5), (6, 3)),
    "logistic": (_logistic, [(5,), ()], (7, 5), (7,)),
}


def _hvps(fw: Any, problem: str, device: str | None) -> tuple[list[Any], list[Any]]:
    """(forward-over-reverse, reverse-over-reverse) Hessian-vector products of the problem's loss."""
    loss, shapes, x_shape, y_shape = PROBLEMS[problem]
    rng = np.random.default_rng(len(problem))
    kwargs = {"device": device} if device else {}
    params = [fw.tensor(rng.standard_normal(s), requires_grad=True, **kwargs) for s in shapes]
    vs = [fw.tensor(rng.standard_normal(s), **kwargs) for s in shapes]
    x = fw.tensor(rng.standard_normal(x_shape), **kwargs)
    y = fw.tensor(rng.uniform(0, 1, y_shape), **kwargs)
    dual = fw.autograd.forward_ad
    with dual.dual_level():
        duals = [dual.make_dual(p, v) for p, v in zip(params, vs)]
        grads = fw.autograd.grad(loss(fw, duals, x, y), duals, create_graph=True)
        forward_over_reverse = [dual.unpack_dual(g).tangent for g in grads]
    grads = fw.autograd.grad(loss(fw, params, x, y), params, create_graph=True)
    inner = sum((g * v).sum() for g, v in zip(grads, vs))
    return forward_over_reverse, list(fw.autograd.grad(inner, params))


@pytest.mark.parametrize("problem", PROBLEMS)
def test_hessian_vector_products(problem: str, device: str) -> None:
    forward_over_reverse, reverse_over_reverse = _hvps(minigrad, problem, None)
    torch_forward, torch_reverse = _hvps(torch, problem, device)
    for i, (a, b, e, f) in enumerate(zip(forward_over_reverse, reverse_over_reverse, torch_forward, torch_reverse)):
        assert_close(a, b.detach(), f"forward-over-reverse vs reverse-over-reverse, parameter {i}")
        assert_close(a, e, f"forward-over-reverse vs torch's, parameter {i}")
        assert_close(b, f, f"reverse-over-reverse vs torch's, parameter {i}")


def test_hessian_vector_product_through_a_type_promotion() -> None:
    """f(w) = sum(x / w), w float32 promoted against a float64 x (division's backward reads the promoted w):
    H v = 2 x v / w^3."""
    w, x, v = (minigrad.tensor(np.arange(1.0, 4.0) * s, dtype=d) for s, d in
               ((1, minigrad.float32), (0.5, minigrad.float64), (-1, minigrad.float32)))
    with forward_ad.dual_level():
        dual = forward_ad.make_dual(w.requires_grad_(), v)
        (grad,) = minigrad.autograd.grad((x / dual).sum(), dual, create_graph=True)
        hvp = forward_ad.unpack_dual(grad).tangent
    assert hvp.dtype == minigrad.float32
    np.testing.assert_allclose(hvp.numpy(), 2 * x.numpy() * v.numpy() / w.detach().numpy() ** 3, rtol=1e-6)


def _softplus(fw: Any) -> Any:
    """log(1 + e^x) as a custom Function: backward sigmoid(x) grad, jvp sigmoid(x) x_t."""
    class Softplus(fw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            ctx.save_for_forward(x)
            return fw.log1p(x.exp())

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * x.sigmoid()

        @staticmethod
        def jvp(ctx, x_t):
            x, = ctx.saved_tensors
            return x_t * x.sigmoid()

    return Softplus


def test_hessian_vector_product_through_a_custom_function(device: str) -> None:
    """Forward over reverse through a custom Function: its jvp gives the forward pass's tangent, and the steps of its
    backward (recorded, create_graph=True) carry theirs: for sum(softplus(x w)), H v = x^T (sigmoid'(x w) * (x v)),
    as torch computes it."""
    def hvp(fw: Any) -> Any:
        rng = np.random.default_rng(3)
        kwargs = {"device": device} if fw is torch else {}
        w, v = (fw.tensor(rng.standard_normal(4), **kwargs) for _ in range(2))
        x = fw.tensor(rng.standard_normal((5, 4)), **kwargs)
        dual = fw.autograd.forward_ad
        with dual.dual_level():
            primal = dual.make_dual(w.requires_grad_(), v)
            (grad,) = fw.autograd.grad(_softplus(fw).apply(x @ primal).sum(), primal, create_graph=True)
            return dual.unpack_dual(grad).tangent

    assert_close(hvp(minigrad), hvp(torch), "H v")
