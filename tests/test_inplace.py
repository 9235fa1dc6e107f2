"""In-place ops against PyTorch: values, graph rebasing, the leaf rule, and version counting of saved tensors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import assert_close, outcome

import minigrad


def same_outcome(fn) -> None:
    """fn gives the same result on both frameworks, or raises the same error (the same message)."""
    ours, our_error = outcome(fn, minigrad)
    theirs, their_error = outcome(fn, torch)
    if their_error is not None:
        assert type(our_error) is type(their_error), f"torch raised {their_error!r}, minigrad {our_error!r}"
        expected = str(their_error).replace("torch.", "minigrad.")
        assert str(our_error) == expected
        return
    assert our_error is None, f"minigrad raised {our_error!r} where torch did not"
    assert ours == theirs


def _grads(*tensors):
    return [t.grad.tolist() if t.grad is not None else None for t in tensors]


@pytest.mark.parametrize("case", [
    pytest.param(lambda fw: fw.ones(3).add_(fw.tensor([1.0, 2.0, 3.0])).tolist(), id="add_"),
    pytest.param(lambda fw: fw.ones(2, 3).sub_(fw.tensor([1.0, 2.0, 3.0])).tolist(), id="sub_-broadcast"),
    pytest.param(lambda fw: fw.arange(4.0).mul_(2.5).tolist(), id="mul_-scalar"),
    pytest.param(lambda fw: fw.arange(4.0).div_(3).tolist(), id="div_"),
    pytest.param(lambda fw: fw.arange(6.0).clamp_(1, 4).tolist(), id="clamp_"),
    pytest.param(lambda fw: fw.arange(6.0).clamp_(min=2).tolist(), id="clamp_-min"),
    pytest.param(lambda fw: fw.arange(4).add_(2).tolist(), id="int-add_"),
    pytest.param(lambda fw: fw.ones(2).fill_(0.1).tolist(), id="fill_"),
    pytest.param(lambda fw: fw.ones(2, 2).zero_().tolist(), id="zero_"),
    pytest.param(lambda fw: fw.zeros(2, 3).copy_(fw.arange(3)).tolist(), id="copy_-broadcast-cast"),
    pytest.param(lambda fw: fw.arange(4).add_(1.5), id="float-into-long"),
    pytest.param(lambda fw: fw.ones(2, dtype=fw.bool).add_(1), id="long-into-bool"),
    pytest.param(lambda fw: fw.ones(2).add_(fw.ones(2, 2)), id="broadcast-shape"),
    pytest.param(lambda fw: fw.ones(3).clamp_(), id="clamp_-no-bounds"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).add_(1), id="leaf"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).mul_(2), id="leaf-mul_"),
    pytest.param(lambda fw: fw.ones(2, 2, requires_grad=True)[0].add_(1), id="view-of-leaf"),
])
def test_inplace_op_matches_torch(case) -> None:
    same_outcome(case)


def test_augmented_assignment_is_in_place() -> None:
    def run(fw):
        x = fw.ones(3)
        alias = x
        x += 1
        x -= fw.tensor([0.5, 1.0, 1.5])
        x *= 4
        x /= 2
        return alias.tolist(), x is alias

    same_outcome(run)


def test_inplace_under_no_grad_updates_a_leaf() -> None:
    def run(fw):
        w = fw.ones(2, requires_grad=True)
        with fw.no_grad():
            w.mul_(3).add_(1)
        return w.tolist(), w.requires_grad, w.is_leaf

    same_outcome(run)


def test_inplace_on_a_non_leaf_continues_the_graph() -> None:
    def run(fw):
        w = fw.tensor([1.0, 2.0], requires_grad=True)
        y = w * 2
        y.add_(1)
        y.mul_(fw.tensor([3.0, 4.0]))
        y.clamp_(max=14)
        y.sum().backward()
        return y.tolist(), w.grad.tolist(), y.grad_fn.name()

    same_outcome(run)


def test_inplace_with_a_grad_requiring_operand_makes_the_target_require_grad() -> None:
    def run(fw):
        w = fw.tensor([1.0, 2.0], requires_grad=True)
        v = fw.ones(2)
        v += w * w
        v.sum().backward()
        return v.tolist(), v.requires_grad, v.is_leaf, w.grad.tolist()

    same_outcome(run)


@pytest.mark.parametrize("case", [
    pytest.param(lambda fw: _modify_saved_output(fw), id="saved-output-of-exp"),
    pytest.param(lambda fw: _modify_saved_input(fw), id="saved-input-rebased"),
    pytest.param(lambda fw: _modify_saved_leaf_constant(fw), id="saved-plain-tensor"),
    pytest.param(lambda fw: _modify_after_optimizer_like_update(fw), id="no-grad-update"),
    pytest.param(lambda fw: _modify_through_detach(fw), id="through-detach"),
])
def test_modified_saved_tensor_raises_torch_error_at_backward(case) -> None:
    same_outcome(case)


def _modify_saved_output(fw):
    x = fw.ones(2, requires_grad=True)
    y = x.exp()
    z = y * 1
    y.add_(1)
    z.sum().backward()


def _modify_saved_input(fw):
    w = fw.ones(2, requires_grad=True)
    y = w * 1
    z = y * y
    y.add_(1)
    z.sum().backward()


def _modify_saved_leaf_constant(fw):
    w = fw.ones(2, requires_grad=True)
    v = fw.ones(2)
    z = w * v
    v.add_(1)
    z.sum().backward()


def _modify_after_optimizer_like_update(fw):
    w = fw.ones(2, requires_grad=True)
    loss = (w * w).sum()
    with fw.no_grad():
        w.sub_(0.1)
    loss.backward()


def _modify_through_detach(fw):
    w = fw.ones(3, requires_grad=True)
    y = w.sigmoid()
    y.detach().zero_()
    y.sum().backward()


def test_unmodified_graph_still_runs_and_values_match() -> None:
    values = np.array([0.5, -1.0, 2.0], np.float32)
    results = {}
    for fw in (minigrad, torch):
        w = fw.tensor(values, requires_grad=True)
        y = w.exp()
        z = (y * y).sum()
        untouched = fw.ones(3)
        untouched.add_(1)  # a different tensor: no effect on the graph
        z.backward()
        results[fw.__name__] = w.grad
    assert_close(results["minigrad"], results["torch"])


def test_version_errors_leave_gradients_untouched() -> None:
    w = minigrad.ones(2, requires_grad=True)
    y = w.exp()
    y2 = y * 1
    (y * 2).sum().backward(retain_graph=True)
    before = w.grad.tolist()
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y2.sum().backward()
    assert w.grad.tolist() == before


def _backward_after_optimizer_step(fw):
    w = fw.ones(2, requires_grad=True)
    optimizer = fw.optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    w.grad = fw.ones(2)
    optimizer.step()
    loss.backward()


def test_optimizer_step_counts_as_an_in_place_write() -> None:
    same_outcome(_backward_after_optimizer_step)
