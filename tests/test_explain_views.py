"""explain's two teaching views, against PyTorch's autograd: a one-channel convolution written out (planes, and
entries of grad_input and grad_weight as sums of products), and backpropagation through time on an RNN cell
unrolled three steps (the gradient arriving at each hidden state from the output and from the next step).

The expected values come from PyTorch alone, not from minigrad: the planes from the tensors and their ``.grad``;
the products of a worked sum from the Jacobian of PyTorch's convolution (which output positions reach an entry,
and the factor each multiplies its upstream gradient by); the pieces arriving at a hidden state from a twin run
whose every step has its own copy of the weights (so each step's share is that copy's ``.grad``) and from
``autograd.grad`` through one step. Tolerances: copied values (planes, factors, upstream values) must be equal;
a gradient that minigrad sums in another order than PyTorch, float64 1e-12 relative, float32 2e-6 (conftest's);
a worked sum redone from its printed terms against its total, the same.
"""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np
import pytest
import torch
from conftest import TOLERANCES, numpy_of

import minigrad
import minigrad.nn.functional as F
from minigrad.explain import AFTER, SHARED, Step

GEOMETRIES = [  # (input size, kernel, stride, padding, dilation)
    ((4, 4), (3, 3), 1, 1, 1),
    ((5, 6), (3, 2), 2, 1, 1),
    ((6, 6), (2, 3), 1, 2, 2),
    ((7, 5), (3, 3), (2, 1), 0, (1, 2)),
]


def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else value


def _conv_step(steps: list[Step]) -> Step:
    (step,) = [s for s in steps if s.node == "ConvolutionBackward0"]
    return step


def _close(ours: float | np.ndarray, theirs: float | np.ndarray, dtype: str) -> None:
    rtol, atol = TOLERANCES[dtype]
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol * max(1.0, float(np.max(np.abs(theirs)))))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("size, kernel, stride, padding, dilation", GEOMETRIES)
def test_one_channel_convolution_is_written_out(size, kernel, stride, padding, dilation, dtype, device,
                                                capsys) -> None:
    rng = np.random.default_rng(len(size) + sum(size) + sum(kernel))
    x_np, w_np = rng.standard_normal((1, 1, *size)).astype(dtype), rng.standard_normal((1, 1, *kernel)).astype(dtype)
    conv = {"stride": stride, "padding": padding, "dilation": dilation}
    x, w = minigrad.tensor(x_np, requires_grad=True), minigrad.tensor(w_np, requires_grad=True)
    out_shape = F.conv2d(x, w, **conv).shape
    r_np = rng.standard_normal(out_shape).astype(dtype)  # loss = sum(y r): the upstream grad of y is r
    loss = (F.conv2d(x, w, minigrad.tensor([0.25], dtype=x.dtype, requires_grad=True), **conv)
            * minigrad.tensor(r_np)).sum()
    step = _conv_step(minigrad.explain(loss, names={"x": x, "w": w}))
    text = capsys.readouterr().out

    s, p, d = _pair(stride), _pair(padding), _pair(dilation)
    call = f"stride={s}, padding={p}, dilation={d}"
    assert step.formulas[0].startswith(f"grad_input = conv_transpose2d(grad, weight, {call}, groups=1)")
    assert step.formulas[1].startswith(f"grad_weight = correlate(input, grad, {call})")
    assert step.formulas[0] in text and "grad_bias = grad summed" in text

    with torch.backends.cudnn.flags(enabled=True, allow_tf32=False) if device == "cuda" else nullcontext():
        tx, tw = (torch.tensor(a, device=device, requires_grad=True) for a in (x_np, w_np))
        ty = torch.nn.functional.conv2d(tx, tw, **conv)
        (ty * torch.tensor(r_np, device=device)).sum().backward()
        jx, jw = torch.autograd.functional.jacobian(  # d y[o] / d x[q] and d y[o] / d w[k], o and q in the planes
            lambda a, b: torch.nn.functional.conv2d(a, b, **conv)[0, 0], (tx.detach(), tw.detach()))
    jx, jw = numpy_of(jx)[:, :, 0, 0], numpy_of(jw)[:, :, 0, 0]
    for name, theirs in {"input": x_np, "weight": w_np, "grad": r_np, "grad_input": numpy_of(tx.grad),
                         "grad_weight": numpy_of(tw.grad)}.items():
        ours = step.planes[name]
        assert ours.shape == theirs.shape[2:]
        if name.startswith("grad_"):
            _close(ours, theirs[0, 0], dtype)
        else:
            assert np.array_equal(ours, theirs[0, 0])

    by_gradient = {worked.gradient: worked for worked in step.worked}
    entry = by_gradient["grad_input"]
    jacobian = jx[(..., *entry.index)]  # the factor each output position multiplies its grad by, for this entry
    assert sorted(t.grad_index for t in entry.terms) == sorted(zip(*np.nonzero(jacobian)))
    assert len(entry.terms) == max(np.count_nonzero(jx[(..., *q)]) for q in np.ndindex(size))  # the fullest entry
    for term in entry.terms:
        assert term.other == "weight" and term.other_value == jacobian[term.grad_index] == w_np[0, 0][term.other_index]
        assert term.grad_value == r_np[0, 0][term.grad_index]
    tap = by_gradient["grad_weight"]
    assert tap.index == (0, 0)
    jacobian = jw[:, :, 0, 0]
    assert sorted(t.grad_index for t in tap.terms) == sorted(zip(*np.nonzero(jacobian)))
    for term in tap.terms:
        assert term.other == "input" and term.other_value == jacobian[term.grad_index] == x_np[0, 0][term.other_index]
        assert term.grad_value == r_np[0, 0][term.grad_index]
    for worked, theirs in ((entry, numpy_of(tx.grad)[0, 0]), (tap, numpy_of(tw.grad)[0, 0])):
        _close(worked.value, theirs[worked.index], dtype)
        _close(sum(t.grad_value * t.other_value for t in worked.terms), theirs[worked.index], dtype)
        label = f"{worked.gradient}[{worked.index[0]}, {worked.index[1]}] = grad["
        assert label in text and f"= {worked.value:.6g}\n" in text


def test_a_one_dimensional_convolution_is_written_out_too() -> None:
    x = minigrad.tensor([[[1.0, -2.0, 3.0, 0.5, 4.0]]], requires_grad=True)
    w = minigrad.tensor([[[2.0, -1.0]]], requires_grad=True)
    step = _conv_step(minigrad.explain(F.conv1d(x, w, stride=2, padding=1).sum(), show=False))
    assert step.formulas[0].startswith("grad_input = conv_transpose1d(grad, weight, stride=(2,), padding=(1,)")
    tx, tw = (torch.tensor(numpy_of(t), requires_grad=True) for t in (x, w))
    torch.nn.functional.conv1d(tx, tw, stride=2, padding=1).sum().backward()
    assert np.array_equal(step.planes["grad_input"], tx.grad.numpy()[0, 0])
    assert np.array_equal(step.planes["grad_weight"], tw.grad.numpy()[0, 0])
    tap = step.worked[1]  # w[0] reads x[2 o - 1]: x[1] at o = 1, x[3] at o = 2 (x[-1] at o = 0 is padding)
    assert [(t.grad_index, t.other_index) for t in tap.terms] == [((1,), (1,)), ((2,), (3,))]
    assert tap.value == tw.grad[0, 0, 0].item() == -1.5


def test_larger_convolutions_keep_the_summary_but_fill_in_the_formulas() -> None:
    x = minigrad.randn(2, 3, 5, 5, requires_grad=True)
    w = minigrad.randn(4, 3, 3, 3, requires_grad=True)
    step = _conv_step(minigrad.explain(F.conv2d(x, w, padding=(0, 1), stride=(1, 2)).sum(), show=False))
    assert not step.planes and not step.worked
    assert "stride=(1, 2), padding=(0, 1), dilation=(1, 1), groups=1" in step.formulas[0]
    step = _conv_step(minigrad.explain(F.conv2d(x, w, padding="same").sum(), show=False))
    assert "padding=(1, 1)" in step.formulas[0]  # PyTorch's call for it: the (before, after) pairs are equal


def test_a_transposed_convolution_states_its_adjoint() -> None:
    x = minigrad.randn(1, 2, 3, 3, requires_grad=True)
    w = minigrad.randn(2, 1, 3, 3, requires_grad=True)
    step = _conv_step(minigrad.explain(F.conv_transpose2d(x, w, stride=2, padding=1).sum(), show=False))
    assert step.formulas[0].startswith("grad_input = conv2d(grad, weight, stride=(2, 2), padding=(1, 1), "
                                       "dilation=(1, 1), groups=1)")
    assert step.formulas[1].startswith("grad_weight = correlate(grad, input, stride=(2, 2), padding=(1, 1)")
    assert not step.planes


# ----- backpropagation through time -----------------------------------------------------------------------------
STEPS = 3


def _unrolled(fw, cell_params: dict[str, np.ndarray], xs: np.ndarray, r: np.ndarray, per_step: bool):
    """An RNN cell, h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) from h_0 = 0, unrolled STEPS steps; the
    loss sums stack(h_1..h_3) * r. minigrad runs nn.RNNCell; the PyTorch twin writes the step out, each step with
    its own copy of the weights when ``per_step`` (each copy's .grad is then that step's share)."""
    if fw is minigrad:
        cell = minigrad.nn.RNNCell(xs.shape[2], r.shape[2]).double()
        cell.load_state_dict({k: minigrad.tensor(v) for k, v in cell_params.items()})
        h, hs = minigrad.zeros(xs.shape[1], r.shape[2], dtype=minigrad.float64), []
        for t in range(STEPS):
            h = cell(minigrad.tensor(xs[t]), h)
            hs.append(h)
        out = minigrad.stack(hs)
        return (out * minigrad.tensor(r)).sum(), hs, out, dict(cell.named_parameters())
    copies = [{k: torch.tensor(v, requires_grad=True) for k, v in cell_params.items()}
              for _ in range(STEPS if per_step else 1)]
    h, hs = torch.zeros(xs.shape[1], r.shape[2], dtype=torch.float64), []
    for t in range(STEPS):
        p = copies[t if per_step else 0]
        h = torch.tanh(torch.tensor(xs[t]) @ p["weight_ih"].T + p["bias_ih"] + h @ p["weight_hh"].T + p["bias_hh"])
        h.retain_grad()
        hs.append(h)
    out = torch.stack(hs)
    out.retain_grad()
    return (out * torch.tensor(r)).sum(), hs, out, copies


def test_bptt_shows_what_reaches_each_hidden_state(capsys) -> None:
    rng = np.random.default_rng(25)
    params = {"weight_ih": rng.standard_normal((2, 2)), "weight_hh": rng.standard_normal((2, 2)),
              "bias_ih": rng.standard_normal(2), "bias_hh": rng.standard_normal(2)}
    xs, r = rng.standard_normal((STEPS, 1, 2)), rng.standard_normal((STEPS, 1, 2))
    loss, hs, _, weights = _unrolled(minigrad, params, xs, r, per_step=False)
    names = {f"h{t + 1}": h for t, h in enumerate(hs)} | weights
    steps = minigrad.explain(loss, names=names, check=True)
    text = capsys.readouterr().out
    assert all(s.torch_agrees for s in steps if s.leaf is None), [s.torch_note for s in steps]

    t_loss, t_hs, t_out, copies = _unrolled(torch, params, xs, r, per_step=True)
    t_loss.backward(retain_graph=True)  # autograd.grad goes back through single steps after
    totals = [h.grad.clone() for h in t_hs]  # (autograd.grad adds into a retained .grad as well)
    states = {s.state: s for s in steps if s.state is not None}
    assert list(states) == ["h3", "h2", "h1"]  # the engine goes back in time
    for t in range(STEPS):
        name, step = f"h{t + 1}", states[f"h{t + 1}"]
        assert step.node == "TanhBackward0" and step.group == name
        pieces = {"from the output": t_out.grad[t]}
        if t + 1 < STEPS:  # what h_{t+1}'s gradient sends back through step t+1's W_hh and tanh
            (pieces[f"h{t + 2}"],) = torch.autograd.grad(t_hs[t + 1], t_hs[t], totals[t + 1], retain_graph=True)
        assert [group for group, _, _ in step.arrivals] == [AFTER] + ([f"h{t + 2}"] if t + 1 < STEPS else [])
        for (_, _, ours), theirs in zip(step.arrivals, pieces.values()):
            _close(ours, numpy_of(theirs), "float64")
        _close(step.upstream, totals[t].numpy(), "float64")
        _close(sum(g for _, _, g in step.arrivals), step.upstream, "float64")
        assert f"── the step that computes {name} ──" in text and f"gradient arriving at {name}:" in text
    assert text.index(f"── {AFTER} ──") < text.index("computes h3 ──") < text.index("computes h2 ──") \
        < text.index("computes h1 ──") < text.index(f"── {SHARED} ──")

    leaves = {s.leaf: s for s in steps if s.leaf is not None}
    for name, step in leaves.items():  # a shared weight: one piece from each time step, last step first
        assert step.group == SHARED
        assert [group for group, _, _ in step.arrivals] == ["h3", "h2", "h1"]
        for (_, _, ours), t in zip(step.arrivals, reversed(range(STEPS))):
            _close(ours, copies[t][name].grad.numpy(), "float64")
        _close(step.leaf_grad, sum(c[name].grad.numpy() for c in copies), "float64")


def test_a_hand_written_recurrence_is_grouped_by_state() -> None:
    """h = tanh(w x + u h), written out with matmuls: the same grouping, without a module."""
    w = minigrad.tensor([[0.5, -1.0], [1.5, 0.25]], requires_grad=True)
    u = minigrad.tensor([[0.3, 0.2], [-0.4, 0.1]], requires_grad=True)
    h, hs = minigrad.zeros(2), []
    for x in ([1.0, 0.0], [0.0, 1.0], [1.0, 1.0]):
        h = (w @ minigrad.tensor(x) + u @ h).tanh()
        hs.append(h)
    loss = hs[-1].sum()  # only the last state reaches the loss: the earlier ones get theirs from the next step
    steps = minigrad.explain(loss, names={"w": w, "u": u, "h1": hs[0], "h2": hs[1], "h3": hs[2]}, show=False)
    states = {s.state: s for s in steps if s.state is not None}
    assert [g for g, _, _ in states["h3"].arrivals] == [AFTER]
    assert [g for g, _, _ in states["h2"].arrivals] == ["h3"] and [g for g, _, _ in states["h1"].arrivals] == ["h2"]
    tw, tu = (torch.tensor(numpy_of(t), requires_grad=True) for t in (w, u))
    th, t_hs = torch.zeros(2), []
    for x in ([1.0, 0.0], [0.0, 1.0], [1.0, 1.0]):
        th = torch.tanh(tw @ torch.tensor(x) + tu @ th)
        th.retain_grad()
        t_hs.append(th)
    t_hs[-1].sum().backward()
    for t in range(STEPS):
        _close(states[f"h{t + 1}"].upstream, t_hs[t].grad.numpy(), "float32")
    assert {s.leaf: s.group for s in steps if s.leaf is not None} == {"w": SHARED, "u": SHARED}
