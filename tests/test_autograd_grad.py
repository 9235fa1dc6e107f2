"""``autograd.grad``, ``autograd.backward`` and ``Tensor.backward(inputs=...)`` against PyTorch: the gradients reaching
chosen tensors (leaves or not) without touching ``.grad``, or accumulated into chosen tensors only, and PyTorch's
errors for unused or non-differentiable inputs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad

RNG = np.random.default_rng(24)
A = RNG.standard_normal((3, 4))
B = RNG.standard_normal((4,))


def _leaves(fw: Any, dev: str, dtype: str) -> tuple[Any, Any]:
    a = fw.tensor(A.astype(dtype), requires_grad=True, device=dev)
    b = fw.tensor(B.astype(dtype), requires_grad=True, device=dev)
    return a, b


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_grad_of_leaves_and_intermediates(dtype: str, device: str) -> None:
    """grad(loss, (a, h)) for a leaf and an intermediate, with .grad left untouched (None)."""
    def run(fw: Any, dev: str) -> tuple[Any, ...]:
        a, b = _leaves(fw, dev, dtype)
        h = (a * b).tanh()
        loss = (h.sum(dim=1) ** 2).sum()
        ga, gh, gb = fw.autograd.grad(loss, (a, h, b))
        return ga, gh, gb, a.grad, b.grad

    ours, theirs = run(minigrad, "cpu"), run(torch, device)
    for what, x, y in zip(("grad a", "grad h", "grad b"), ours, theirs):
        assert_close(x, y, what)
    assert ours[3] is None and ours[4] is None


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_grad_with_grad_outputs_several_outputs_and_retain_graph(dtype: str, device: str) -> None:
    def run(fw: Any, dev: str) -> tuple[Any, ...]:
        a, b = _leaves(fw, dev, dtype)
        y1 = a.exp() * b
        y2 = (a @ b).sin()
        v1 = fw.tensor(np.ones((3, 4), dtype) * 0.5, device=dev)
        v2 = fw.ones(3, dtype=a.dtype, device=dev)
        (ga,) = fw.autograd.grad([y1, y2], [a], grad_outputs=[v1, v2], retain_graph=True)
        (gb,) = fw.autograd.grad(y2.sum(), b)
        again = fw.autograd.grad(y1.sum(), [a, b])
        return ga, gb, *again

    for i, (x, y) in enumerate(zip(run(minigrad, "cpu"), run(torch, device))):
        assert_close(x, y, f"result {i}")


def test_unused_inputs_allow_unused_and_materialize_grads(device: str) -> None:
    def run(fw: Any, dev: str) -> tuple[Any, ...]:
        a, b = _leaves(fw, dev, "float64")
        c = fw.ones(2, requires_grad=True, device=dev, dtype=fw.float64)
        loss = (a * b).sum()
        ga, gc = fw.autograd.grad(loss, (a, c), retain_graph=True, allow_unused=True)
        ga2, gc2 = fw.autograd.grad(loss, (a, c), materialize_grads=True)
        return ga, gc, ga2, gc2

    ours, theirs = run(minigrad, "cpu"), run(torch, device)
    assert_close(ours[0], theirs[0])
    assert ours[1] is None and theirs[1] is None
    assert_close(ours[2], theirs[2])
    assert_close(ours[3], theirs[3])


@pytest.mark.parametrize("program", [
    pytest.param(lambda fw: fw.autograd.grad((fw.ones(2, requires_grad=True) * 2).sum(),
                                             fw.ones(2, requires_grad=True)), id="unused"),
    pytest.param(lambda fw: fw.autograd.grad((fw.ones(2, requires_grad=True) * 2).sum(), fw.ones(2)),
                 id="no-grad-input"),
    pytest.param(lambda fw: fw.autograd.grad(fw.ones(2).sum(), fw.ones(2, requires_grad=True)), id="no-grad-output"),
    pytest.param(lambda fw: fw.autograd.grad(fw.ones(2, requires_grad=True) * 2, fw.ones(2, requires_grad=True)),
                 id="non-scalar-output"),
    pytest.param(lambda fw: fw.autograd.grad([fw.ones(2, requires_grad=True) * 2],
                                             [fw.ones(2, requires_grad=True)], grad_outputs=[fw.ones(3)]),
                 id="grad-output-shape"),
])
def test_grad_errors_are_pytorchs(program) -> None:
    assert_same_error(program)


def test_second_grad_through_a_freed_graph_is_pytorchs_error() -> None:
    def program(fw: Any) -> None:
        a = fw.ones(2, requires_grad=True)
        loss = (a.exp() * a).sum()
        fw.autograd.grad(loss, a)
        fw.autograd.grad(loss, a)

    assert_same_error(program)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_backward_with_inputs_accumulates_into_those_only(dtype: str, device: str) -> None:
    """loss.backward(inputs=[b, h]): b.grad and h.grad (a non-leaf) filled, a.grad left None; autograd.backward
    with grad_tensors, the same."""
    def run(fw: Any, dev: str) -> tuple[Any, ...]:
        a, b = _leaves(fw, dev, dtype)
        h = a * b
        loss = (h.sigmoid() ** 2).sum()
        loss.backward(inputs=[b, h], retain_graph=True)
        first = (a.grad, b.grad.clone(), h.grad)
        y = a.cos() * 3
        fw.autograd.backward([y], grad_tensors=[fw.ones(3, 4, dtype=a.dtype, device=dev)], inputs=[a])
        return (*first, a.grad, b.grad)

    ours, theirs = run(minigrad, "cpu"), run(torch, device)
    assert ours[0] is None and theirs[0] is None
    for what, x, y in zip(("b.grad", "h.grad", "a.grad", "b.grad after"), ours[1:], theirs[1:]):
        assert_close(x, y, what)


def test_backward_inputs_errors() -> None:
    assert_same_error(lambda fw: (fw.ones(2, requires_grad=True) * 2).sum().backward(inputs=[]))
    assert_same_error(lambda fw: (fw.ones(2, requires_grad=True) * 2).sum().backward(inputs=[fw.ones(2)]))
