"""Teaching tools: explain (the backward pass step by step), the graph as DOT, gradcheck's report."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from op_cases import CASES, Case, resolve, sample

import minigrad
from minigrad import viz
from minigrad.autograd import gradcheck
from minigrad.explain import describe
from minigrad.ops.registry import REGISTRY


def _seed_cell():
    w = minigrad.tensor(2.0, requires_grad=True)
    y = w**2
    z = 2 * y + 5
    return w, z


def test_explain_reads_as_the_chain_rule_on_paper(capsys) -> None:
    w, z = _seed_cell()
    steps = minigrad.explain(z, names={"w": w}, check=True)
    assert [s.node for s in steps] == ["AddBackward0", "MulBackward0", "PowBackward0", "AccumulateGrad"]
    add, mul, power, leaf = steps
    assert add.upstream == 1 and add.sent[0] == 1  # z = 2y + 5: dz/d(2y) = 1
    assert mul.local[1] == 2 and mul.sent[1] == 2  # dz/dy = 2
    assert power.upstream == 2 and power.local[0] == 4 and power.sent[0] == 8  # dy/dw = 2w = 4; dz/dw = 8
    assert power.formulas == minigrad.ops.pointwise.Pow.formulas
    assert leaf.leaf == "w" and leaf.leaf_grad == 8 and w.grad.item() == 8
    assert all(s.torch_agrees for s in steps[:3])
    text = capsys.readouterr().out
    assert "PowBackward0" in text and "d(x^n)/dx" in text and "w.grad = 8." in text and "✓" in text


def test_explain_follows_torchs_order_and_values_on_a_training_step() -> None:
    """The seed's logistic regression, one step: every node's outgoing gradient agrees with PyTorch."""
    minigrad.manual_seed(777)
    model = minigrad.nn.Sequential(minigrad.nn.Linear(2, 1), minigrad.nn.Sigmoid())
    x = minigrad.FloatTensor([[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]])
    y = minigrad.FloatTensor([[0], [0], [0], [1], [1], [1]])
    loss = minigrad.nn.functional.binary_cross_entropy(model(x), y)
    steps = minigrad.explain(loss, names=dict(model.named_parameters()), check=True, show=False)
    # PyTorch's linear records addmm(b, x, W.t()): W's gradient goes through W^T's node, TBackward0
    assert [s.node for s in steps] == ["BinaryCrossEntropyBackward0", "SigmoidBackward0", "AddmmBackward0",
                                       "AccumulateGrad", "TBackward0", "AccumulateGrad"]
    leaves = [s for s in steps if s.node == "AccumulateGrad"]
    assert [s.leaf for s in leaves] == ["0.bias", "0.weight"]
    assert all(s.torch_agrees for s in steps if s not in leaves), [s.torch_note for s in steps]
    torch.manual_seed(777)
    twin = torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.Sigmoid())
    torch.nn.functional.binary_cross_entropy(twin(torch.tensor(x.numpy())), torch.tensor(y.numpy())).backward()
    for step in leaves:
        name = step.leaf
        assert np.array_equal(step.leaf_grad, dict(twin.named_parameters())[name].grad.numpy())


def test_large_tensors_print_a_summary() -> None:
    x = minigrad.ones(30, 40, requires_grad=True)
    steps = minigrad.explain((x * 3).sum(), show=False)
    assert describe(steps[1].sent[0]).startswith("shape (30, 40), mean 3")
    assert describe(np.array([1.0, 2.0])) == "[1., 2.]"


def test_explain_refuses_what_backward_refuses() -> None:
    with pytest.raises(RuntimeError, match="does not require grad"):
        minigrad.explain(minigrad.ones(2).sum())
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        minigrad.explain(minigrad.ones(2, requires_grad=True) * 2)


def test_to_dot_tells_leaves_parameters_constants_and_ops_apart() -> None:
    minigrad.manual_seed(0)
    layer = minigrad.nn.Linear(2, 1)
    x = minigrad.tensor([[1.0, 2.0]], requires_grad=True)
    loss = minigrad.nn.functional.mse_loss(layer(x), minigrad.zeros(1, 1))
    loss.backward(retain_graph=True)
    dot = viz.to_dot(loss, names={"x": x})
    assert dot.startswith("digraph minigrad {") and dot.rstrip().endswith("}")
    assert "MseLossBackward0" in dot and "AddmmBackward0" in dot
    assert dot.count("fillcolor=palegreen") == 2 and dot.count("fillcolor=lightblue") == 1
    assert "fillcolor=lightgrey" in dot and 'label="x\\nshape (1, 2)' in dot and "grad" in dot
    declared = {line.split()[0] for line in dot.splitlines() if "[label=" in line}
    for line in dot.splitlines():
        if "->" in line:
            source, _, target = line.strip().rstrip(";").split()
            assert source in declared and target in declared


def test_draw_needs_graphviz_and_says_how_to_install_it(tmp_path) -> None:
    _, z = _seed_cell()
    try:
        import graphviz  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install graphviz"):
            viz.draw(z, tmp_path / "graph.svg")
        return
    try:
        written = viz.draw(z, tmp_path / "graph.svg")
    except RuntimeError as error:
        assert "apt install graphviz" in str(error)
        return
    assert written.read_text().lstrip().startswith("<?xml")


def test_notebook_display_shows_the_graph() -> None:
    _, z = _seed_cell()
    html = z._repr_html_()
    assert html.startswith("<pre>tensor(13., grad_fn=&lt;AddBackward0&gt;)</pre>")
    assert "PowBackward0" in html
    assert minigrad.ones(2)._repr_html_() is None


def test_gradcheck_report_lists_analytic_and_numeric(capsys) -> None:
    x = minigrad.tensor([0.5, -1.0, 2.0], dtype=minigrad.float64, requires_grad=True)
    assert gradcheck(lambda t: t.sigmoid() * t, [x], report=True)
    out = capsys.readouterr().out
    # the whole Jacobian, as PyTorch's gradcheck builds it: 3 x 3 entries, d(s(t) t)/dt = s + t s (1 - s) on the
    # diagonal, zero off it
    assert "9 of 9 Jacobian entries agree" in out and out.count(" ok") == 9
    t = np.array([0.5, -1.0, 2.0])
    s = 1 / (1 + np.exp(-t))
    rows = [line.split() for line in out.splitlines()[2:]]
    diagonal = {int(r[1].strip("(,)")): float(r[4]) for r in rows if r[1] == r[3]}
    assert diagonal == pytest.approx(dict(enumerate(s + t * s * (1 - s))), rel=1e-7)
    assert all(float(r[4]) == 0 for r in rows if r[1] != r[3])


CHECKABLE = [case for case in CASES if REGISTRY[case.op].differentiable and case.gradcheck and not case.discrete
             and all(np.prod(s) > 0 for s in case.shapes)]


@pytest.mark.parametrize("case", CHECKABLE, ids=lambda c: c.id)
def test_explain_check_agrees_with_torch_on_every_op_case(case: Case) -> None:
    """explain(check=True) replays each step of every registry op in PyTorch: no step may differ."""
    fn = resolve(REGISTRY[case.op].torch, minigrad)
    inputs = [minigrad.tensor(x, requires_grad=True) for x in sample(case, "float64")]
    out = case.call(fn, inputs, minigrad)
    # svd's U carries the signs LAPACK picks, which torch's replay may pick otherwise: its S instead
    out = out[1 if case.op == "Svd" else 0] if isinstance(out, tuple) else out
    if not out.requires_grad:
        pytest.skip(f"{case.id}: the output does not require grad (integer result)")
    steps = minigrad.explain((out * 1.5).sum(), show=False, check=True)
    op_steps = [s for s in steps if s.leaf is None]
    assert not [s.torch_note for s in op_steps if s.torch_agrees is False]
    assert op_steps[0].torch_agrees and op_steps[1].torch_agrees  # the sum and the scaling always replay
