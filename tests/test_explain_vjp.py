"""explain on ops whose local derivative is a Jacobian, not a number per entry: matrix products, reductions,
broadcasting, softmax, and any other op by its Jacobian; explain on a gradient's own graph (create_graph=True), and
``viz.to_dot`` drawing it.

Every expected value comes from PyTorch (its tensors' ``.grad``, ``retain_grad`` for the upstream gradients,
``autograd.functional.jacobian``, double backward), never from minigrad; and every worked sum is redone from the
numbers explain prints, as a learner would. Tolerances: copied values equal; sums that minigrad adds in another
order than PyTorch, conftest's float32 2e-6 relative; a sum redone from its printed 4-significant-digit terms, the
rounding those digits leave (relative 1e-3 of the largest term).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from conftest import TOLERANCES, numpy_of

import minigrad
from minigrad import viz
from minigrad.explain import ELEMENTWISE, JACOBIAN, MATMUL, ROW, SOFTMAX, SPREAD, SUMMED, Step

NUMBER = r"\(?-?\d+(?:\.\d*)?(?:e[-+]?\d+)?\)?"


def _close(ours: np.ndarray | float, theirs: np.ndarray | float, dtype: str = "float32") -> None:
    rtol, atol = TOLERANCES[dtype]
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol * max(1.0, float(np.max(np.abs(theirs)))))


def _value(text: str) -> float:
    return float(text.strip("()"))


def _printed_sums(text: str, label: str) -> list[tuple[float, float]]:
    """Each worked sum of ``label`` as printed: (its products multiplied out from the printed numbers, its total)."""
    found = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(f"{label}[") and "·" in line:
            numbers = next(lines[j] for j in range(i + 1, len(lines)) if lines[j].strip().startswith("= "))
            j = lines.index(numbers, i)
            total = _value(lines[j + 1].strip()[2:])
            products = re.findall(rf"({NUMBER})·({NUMBER})", numbers)
            found.append((sum(_value(a) * _value(b) for a, b in products), total))
    return found


def _linear_mse_step():
    """The issue's example: a Linear(1, 1) fitted by MSE to y = 2x on x = 1, 2, 3, one step (seed 1)."""
    x_np = np.array([[1.0], [2.0], [3.0]], np.float32)
    y_np = 2 * x_np
    minigrad.manual_seed(1)
    layer = minigrad.nn.Linear(1, 1)
    loss = minigrad.nn.functional.mse_loss(layer(minigrad.tensor(x_np)), minigrad.tensor(y_np))
    torch.manual_seed(1)
    twin = torch.nn.Linear(1, 1)
    out = twin(torch.tensor(x_np))
    out.retain_grad()
    torch.nn.functional.mse_loss(out, torch.tensor(y_np)).backward()
    return layer, loss, twin, out, x_np


def test_the_linear_layers_weight_gradient_is_the_product_it_is(capsys) -> None:
    """Not 'local grad [6.]': grad_W = grad^T @ x, (1, 3) @ (3, 1), each product printed and summing to PyTorch's."""
    layer, loss, twin, out, x_np = _linear_mse_step()
    steps = minigrad.explain(loss, names=dict(layer.named_parameters()))
    text = capsys.readouterr().out
    mse, linear = steps[0], steps[1]
    assert mse.vjps[0].kind == ROW  # one output entry: local grad is the Jacobian's row, and upstream is 1
    _close(mse.local[0], numpy_of(out.grad))
    assert linear.node == "AddmmBackward0" and linear.local == [None, None, None]  # no "local grad" to misread
    weight, bias = linear.vjps[1], linear.vjps[2]
    assert weight.kind == MATMUL and weight.text == "grad_W = grad^T @ x: (1, 3) @ (3, 1) → (1, 1)"
    _close(weight.operands["grad^T"], numpy_of(out.grad).T)
    assert np.array_equal(weight.operands["x"], x_np)
    (entry,) = weight.worked
    assert [(t.first, t.grad_index, t.other, t.other_index) for t in entry.terms] == [
        ("grad^T", (0, k), "x", (k, 0)) for k in range(3)]
    _close(np.array([t.grad_value for t in entry.terms]), numpy_of(out.grad)[:, 0])
    _close(entry.value, twin.weight.grad.item())
    _close(sum(t.grad_value * t.other_value for t in entry.terms), twin.weight.grad.item())
    assert bias.kind == SUMMED and bias.text == "grad_b = grad summed over dims (0,): (3, 1) → (1,)"
    _close(bias.worked[0].value, twin.bias.grad.item())
    assert "local grad [6.]" not in text and "grad_W = grad^T @ x: (1, 3) @ (3, 1) → (1, 1)" in text
    assert "grad_W[0, 0] = grad^T[0, 0]·x[0, 0] + grad^T[0, 1]·x[1, 0] + grad^T[0, 2]·x[2, 0]" in text
    ((redone, total),) = _printed_sums(text, "grad_W")
    assert abs(redone - total) <= 1e-3 * abs(total)  # the printed numbers multiply out to the printed total
    np.testing.assert_allclose(total, twin.weight.grad.item(), rtol=1e-5)  # printed to 6 significant digits
    sums = re.search(rf"grad_b\[0\] = .*\n\s+= (.*)\n\s+= ({NUMBER})", text)
    assert abs(sum(_value(v) for v in sums[1].split(" + ")) - _value(sums[2])) <= 1e-3 * abs(_value(sums[2]))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_matrix_product_writes_out_both_gradients(dtype: str, device: str, capsys) -> None:
    rng = np.random.default_rng(3)
    a_np, b_np, r_np = (rng.standard_normal(s).astype(dtype) for s in ((2, 3), (3, 2), (2, 2)))
    a, b = minigrad.tensor(a_np, requires_grad=True), minigrad.tensor(b_np, requires_grad=True)
    steps = minigrad.explain(((a @ b) * minigrad.tensor(r_np)).sum(), names={"a": a, "b": b})
    text = capsys.readouterr().out
    (mm,) = [s for s in steps if s.node == "MmBackward0"]
    ta, tb = (torch.tensor(v, device=device, requires_grad=True) for v in (a_np, b_np))
    ((ta @ tb) * torch.tensor(r_np, device=device)).sum().backward()
    for vjp, theirs, text_of in ((mm.vjps[0], ta.grad, "grad_a = grad @ b^T: (2, 2) @ (2, 3) → (2, 3)"),
                                 (mm.vjps[1], tb.grad, "grad_b = a^T @ grad: (3, 2) @ (2, 2) → (3, 2)")):
        assert vjp.kind == MATMUL and vjp.text == text_of and text_of in text
        assert len(vjp.worked) == 4
        for entry in vjp.worked:
            _close(entry.value, numpy_of(theirs)[entry.index], dtype)
            _close(sum(t.grad_value * t.other_value for t in entry.terms), numpy_of(theirs)[entry.index], dtype)
    assert np.array_equal(mm.vjps[0].operands["grad"], r_np) and np.array_equal(mm.vjps[0].operands["b^T"], b_np.T)
    for label in ("grad_a", "grad_b"):
        for redone, total in _printed_sums(text, label):
            assert abs(redone - total) <= 1e-3 * max(1.0, abs(total))


def test_addmm_scales_by_alpha_and_beta() -> None:
    c, a, b = (minigrad.tensor(v, requires_grad=True) for v in ([1.0, 2.0], [[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]]))
    steps = minigrad.explain(minigrad.addmm(c, a, b, beta=0.5, alpha=2.0).sum(), show=False)
    addmm = steps[1]
    tc, ta, tb = (torch.tensor(numpy_of(t), requires_grad=True) for t in (c, a, b))
    torch.addmm(tc, ta, tb, beta=0.5, alpha=2.0).sum().backward()
    assert addmm.vjps[0].text.startswith("grad_c = 0.5 · grad summed over dims (0,)")
    assert addmm.vjps[1].text == "grad_a = 2 · grad @ b^T: (1, 2) @ (2, 2) → (1, 2)"
    for vjp, theirs in zip(addmm.vjps, (tc.grad, ta.grad, tb.grad)):
        for entry in vjp.worked:
            redone = entry.factor * sum(t.grad_value * (t.other_value if t.other else 1.0) for t in entry.terms)
            assert entry.value == redone == theirs.numpy()[entry.index]


def test_broadcasting_shows_the_products_then_the_sum() -> None:
    a_np, b_np = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), np.array([0.5, -1.0, 2.0])
    a, b = minigrad.tensor(a_np, requires_grad=True), minigrad.tensor(b_np, requires_grad=True)
    steps = minigrad.explain((a * b * minigrad.tensor([[1.0], [2.0]])).sum(), show=False)
    mul = next(s for s in steps if s.input_shapes == [(2, 3), (3,)])
    ta, tb = torch.tensor(a_np, requires_grad=True), torch.tensor(b_np, requires_grad=True)
    product = ta * tb
    product.retain_grad()
    (product * torch.tensor([[1.0], [2.0]])).sum().backward()
    assert mul.vjps[0].kind == ELEMENTWISE and mul.vjps[0].product is None  # a: same shape, upstream × local
    np.testing.assert_array_equal(mul.local[0] * product.grad.numpy(), ta.grad.numpy())
    vjp = mul.vjps[1]
    assert vjp.kind == ELEMENTWISE and vjp.summed == (0,)
    np.testing.assert_array_equal(mul.local[1], np.broadcast_to(a_np, (2, 3)))  # d(ab)/db per output entry: a
    np.testing.assert_array_equal(vjp.product, product.grad.numpy() * a_np)
    np.testing.assert_array_equal(vjp.product.sum(0), tb.grad.numpy())


@pytest.mark.parametrize("mean", [False, True])
def test_sum_and_mean_copy_the_gradient_back(mean: bool, capsys) -> None:
    x_np = np.arange(6.0).reshape(2, 3)
    x = minigrad.tensor(x_np, requires_grad=True)
    reduced = x.mean(1) if mean else x.sum(1)
    steps = minigrad.explain((reduced * minigrad.tensor([1.0, 3.0])).sum(), names={"x": x})
    text = capsys.readouterr().out
    tx = torch.tensor(x_np, requires_grad=True)
    ((tx.mean(1) if mean else tx.sum(1)) * torch.tensor([1.0, 3.0])).sum().backward()
    step = steps[2]
    assert step.vjps[0].kind == SPREAD and step.local == [None]
    assert step.vjps[0].text.startswith("grad of shape (2,) copied back along dims (1,) to (2, 3)")
    assert step.sent[0].tolist() == tx.grad.tolist()
    assert ("sends[0, 1] = grad[0] / 3 = 1 / 3 = 0.333333" if mean else "sends[0, 1] = grad[0] = 1") in text


@pytest.mark.parametrize("log", [False, True])
def test_softmax_forms_no_matrix(log: bool, capsys) -> None:
    x_np, r_np = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 2.0]]), np.array([[1.0, -2.0, 3.0], [0.0, 1.0, 2.0]])
    x = minigrad.tensor(x_np, requires_grad=True)
    fn = minigrad.nn.functional.log_softmax if log else minigrad.nn.functional.softmax
    step = minigrad.explain((fn(x, 1) * minigrad.tensor(r_np)).sum(), show=True)[2]
    text = capsys.readouterr().out
    tx = torch.tensor(x_np, requires_grad=True)
    (getattr(torch.nn.functional, "log_softmax" if log else "softmax")(tx, 1) * torch.tensor(r_np)).sum().backward()
    y = torch.softmax(torch.tensor(x_np), 1).numpy()
    vjp = step.vjps[0]
    assert vjp.kind == SOFTMAX
    _close(vjp.operands["exp(y)" if log else "y"], y, "float64")
    if log:
        assert vjp.operands["S"].tolist() == r_np.sum(1, keepdims=True).tolist()
    else:
        _close(vjp.operands["s"], (r_np * y).sum(1, keepdims=True), "float64")
    _close(step.sent[0], tx.grad.numpy(), "float64")
    after = text[text.index("SoftmaxBackward0  (" if not log else "LogSoftmaxBackward0  ("):]
    line = next(line for line in after.splitlines() if line.strip().startswith("sends[0, 0] = "))
    _, _, arithmetic, total = line.split(" = ")
    assert re.fullmatch(r"[-+·() .\de]+", arithmetic)  # only numbers: a learner's arithmetic, redone here
    redone = eval(arithmetic.replace("·", "*"))
    assert abs(redone - float(total)) <= 1e-3 and abs(float(total) - tx.grad[0, 0].item()) <= 1e-6


def test_any_other_op_shows_its_jacobian(device: str) -> None:
    """cumsum: not elementwise, though with an upstream of ones it would look so; its Jacobian is PyTorch's."""
    x_np = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 2.0]])
    x = minigrad.tensor(x_np, requires_grad=True)
    step = minigrad.explain(x.cumsum(1).sum(), show=False)[1]
    vjp = step.vjps[0]
    assert step.node == "CumsumBackward0" and vjp.kind == JACOBIAN and step.local == [None]
    theirs = torch.autograd.functional.jacobian(lambda t: t.cumsum(1), torch.tensor(x_np, device=device))
    np.testing.assert_array_equal(vjp.operands["J"], numpy_of(theirs).reshape(6, 6))
    tx = torch.tensor(x_np, device=device, requires_grad=True)
    tx.cumsum(1).sum().backward()
    for entry in vjp.worked:
        assert sum(t.grad_value * t.other_value for t in entry.terms) == entry.value == numpy_of(tx.grad)[entry.index]


def _second_order(device: str):
    """f(x) = sum(tanh(W x)^2 * v), its gradient g recorded (create_graph=True), and torch's H @ u for a u."""
    rng = np.random.default_rng(5)
    w_np, x_np, v_np, u_np = (rng.standard_normal(s) for s in ((3, 2), (2,), (3,), (2,)))
    x = minigrad.tensor(x_np, requires_grad=True)
    f = ((minigrad.tensor(w_np) @ x).tanh() ** 2 * minigrad.tensor(v_np)).sum()
    (g,) = minigrad.autograd.grad(f, x, create_graph=True)
    tx = torch.tensor(x_np, device=device, requires_grad=True)
    tf = ((torch.tensor(w_np, device=device) @ tx).tanh() ** 2 * torch.tensor(v_np, device=device)).sum()
    (tg,) = torch.autograd.grad(tf, tx, create_graph=True)
    (hu,) = torch.autograd.grad(tg @ torch.tensor(u_np, device=device), tx)
    return x, g, u_np, tg, hu


def test_explain_walks_the_graph_of_a_gradient(device: str, capsys) -> None:
    """explain(g . u) on a gradient recorded with create_graph=True: the recorded backward's steps, each replayed
    in PyTorch, and x.grad = H u, PyTorch's second derivative."""
    x, g, u_np, tg, hu = _second_order(device)
    _close(g.detach().numpy(), numpy_of(tg), "float64")
    steps = minigrad.explain((g * minigrad.tensor(u_np)).sum(), names={"x": x}, check=True)
    text = capsys.readouterr().out
    ops = [s for s in steps if s.leaf is None]
    assert all(s.torch_agrees for s in ops), [s.torch_note for s in ops]
    names = [s.node for s in ops]
    # the recorded backward: tanh's derivative (1 - y²) multiplies, and reaches tanh's own node through y
    assert "TanhBackward0" in names and names.count("MulBackward0") >= 3
    (leaf,) = [s for s in steps if s.leaf == "x"]
    _close(leaf.leaf_grad, numpy_of(hu), "float64")
    _close(x.grad.numpy(), numpy_of(hu), "float64")
    assert "DIFFERS" not in text and "x.grad = " in text


def test_to_dot_draws_the_graph_of_a_gradient(device: str) -> None:
    x, g, *_ = _second_order(device)
    dot = viz.to_dot(g, names={"x": x})
    assert dot.startswith("digraph minigrad {") and dot.rstrip().endswith("}")
    assert "TanhBackward0" in dot and "MulBackward0" in dot and 'label="x\\nshape (2,)' in dot
    declared = {line.split()[0] for line in dot.splitlines() if "[label=" in line}
    edges = [line.strip().rstrip(";").split() for line in dot.splitlines() if "->" in line]
    assert edges and all(source in declared and target in declared for source, _, target in edges)
    leaf = next(key for key in declared if f'{key} [label="x\\n' in dot)
    assert any(source == leaf for source, _, _ in edges)  # the gradient's graph reaches x


def test_steps_record_why_an_op_is_elementwise() -> None:
    """The kind of each input's product is tested, not assumed: tanh elementwise, one output entry a row."""
    x = minigrad.tensor([0.5, -1.0], requires_grad=True)
    steps = minigrad.explain(x.tanh().sum(), show=False)
    assert isinstance(steps[1], Step) and steps[1].vjps[0].kind == ELEMENTWISE
    assert minigrad.explain((x * x).sum(), show=False)[1].vjps[0].kind == ELEMENTWISE
    assert minigrad.explain(x.dot(x), show=False)[0].vjps[0].kind == ROW


def test_explain_forward_shows_tangents_flowing_forward(device: str, capsys) -> None:
    """Forward mode, op by op: each intermediate's value and tangent are PyTorch's forward-AD ones (float64)."""
    import torch.autograd.forward_ad as fwAD

    w_np, x_np, v_np = np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([1.0, 2.0]), np.array([1.0, -0.5])
    w = minigrad.tensor(w_np)
    out, tangent, steps = minigrad.explain_forward(lambda x: ((w @ x).tanh() * x).sum(), [minigrad.tensor(x_np)],
                                                   [minigrad.tensor(v_np)], names=["x"])
    text = capsys.readouterr().out
    with fwAD.dual_level():
        tx = fwAD.make_dual(torch.tensor(x_np, device=device), torch.tensor(v_np, device=device))
        t1 = torch.tensor(w_np, device=device) @ tx
        t2 = t1.tanh()
        t3 = t2 * tx
        t4 = t3.sum()
        theirs = [fwAD.unpack_dual(t) for t in (t1, t2, t3, t4)]
    assert [s.op for s in steps] == ["torch.matmul", "torch.tanh", "torch.mul", "torch.sum"]
    assert steps[2].inputs[0][0] == "t2" and steps[2].inputs[1][0] == "x"  # each value by the label it was given
    for step, (value, dual) in zip(steps, theirs):
        _close(step.value, numpy_of(value), "float64")
        _close(step.tangent, numpy_of(dual), "float64")
    _close(tangent.numpy(), numpy_of(theirs[-1].tangent), "float64")
    _close(out.numpy(), numpy_of(theirs[-1].primal), "float64")
    assert "d(tanh x) = (1 - tanh(x)^2) * dx" in text and "d(a*b) = da * b + a * db" in text
    assert steps[1].formulas == minigrad.ops.pointwise.Tanh.jvp_formulas
