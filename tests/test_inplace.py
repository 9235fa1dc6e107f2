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


_ACTIVATIONS = {  # PyTorch's in-place activations: F.<name>(x, inplace=True), the F.<name>_ forms and the modules
    "relu": lambda fw, x: fw.nn.functional.relu(x, inplace=True),
    "relu_": lambda fw, x: fw.nn.functional.relu_(x),
    "torch.relu_": lambda fw, x: fw.relu_(x),
    "ReLU": lambda fw, x: fw.nn.ReLU(inplace=True)(x),
    "leaky_relu": lambda fw, x: fw.nn.functional.leaky_relu(x, 0.2, inplace=True),
    "leaky_relu_": lambda fw, x: fw.nn.functional.leaky_relu_(x, 0.2),
    "LeakyReLU": lambda fw, x: fw.nn.LeakyReLU(0.1, inplace=True)(x),
    "elu": lambda fw, x: fw.nn.functional.elu(x, 1.5, inplace=True),
    "elu_": lambda fw, x: fw.nn.functional.elu_(x),
    "ELU": lambda fw, x: fw.nn.ELU(inplace=True)(x),
    "selu": lambda fw, x: fw.nn.functional.selu(x, inplace=True),
    "torch.selu_": lambda fw, x: fw.selu_(x),
    "SELU": lambda fw, x: fw.nn.SELU(inplace=True)(x),
    "celu": lambda fw, x: fw.nn.functional.celu(x, 2.0, inplace=True),
    "torch.celu_": lambda fw, x: fw.celu_(x),
    "CELU": lambda fw, x: fw.nn.CELU(0.5, inplace=True)(x),
    "hardtanh": lambda fw, x: fw.nn.functional.hardtanh(x, -0.5, 0.5, inplace=True),
    "hardtanh_": lambda fw, x: fw.nn.functional.hardtanh_(x),
    "ReLU6": lambda fw, x: fw.nn.ReLU6(inplace=True)(x),
    "hardsigmoid": lambda fw, x: fw.nn.functional.hardsigmoid(x, inplace=True),
    "hardswish": lambda fw, x: fw.nn.Hardswish(inplace=True)(x),
    "silu": lambda fw, x: fw.nn.functional.silu(x, inplace=True),
    "SiLU": lambda fw, x: fw.nn.SiLU(inplace=True)(x),
    "mish": lambda fw, x: fw.nn.Mish(inplace=True)(x),
    "threshold": lambda fw, x: fw.nn.functional.threshold(x, 0.1, -2.0, inplace=True),
    "threshold_": lambda fw, x: fw.nn.functional.threshold_(x, 0.1, -2.0),
    "torch.threshold_": lambda fw, x: fw.threshold_(x, 0.1, -2.0),
    "Threshold": lambda fw, x: fw.nn.Threshold(0.1, 20.0, inplace=True)(x),
    "sigmoid_": lambda fw, x: fw.sigmoid_(x),
    "tanh_": lambda fw, x: fw.tanh_(x),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", _ACTIVATIONS)
def test_inplace_activation_writes_its_input_as_pytorch(name: str, dtype: str, device: str) -> None:
    """The activation returns its input, written (a non-leaf: its history continues from the op's node, named as
    PyTorch names the in-place variant's), and the gradient reaching the leaf behind it is PyTorch's."""
    values = 4 * np.random.default_rng(7).standard_normal((3, 4))  # (past hardtanh's and hardsigmoid's bends)
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        leaf = fw.tensor(values, dtype=getattr(fw, dtype), device=dev, requires_grad=True)
        x = leaf * 1
        y = _ACTIVATIONS[name](fw, x)
        (y * fw.arange(12.0, dtype=getattr(fw, dtype), device=dev).view(3, 4)).sum().backward()
        found.append((y, x, y is x, type(y.grad_fn).__name__, leaf.grad))
    (theirs, their_x, their_same, their_node, their_grad), (ours, our_x, our_same, our_node, our_grad) = found
    assert (our_node, our_same) == (their_node, their_same)
    assert_close(ours.detach(), theirs.detach().cpu())
    assert_close(our_x.detach(), their_x.detach().cpu())
    assert_close(our_grad, their_grad.cpu(), "gradient")


def test_inplace_activation_of_a_leaf_is_pytorchs_error() -> None:
    same_outcome(lambda fw: fw.nn.functional.relu(fw.ones(2, requires_grad=True), inplace=True))
    same_outcome(lambda fw: fw.nn.ELU(inplace=True)(fw.ones(2, requires_grad=True)))


def test_inplace_relu_after_layers_trains_as_pytorch() -> None:
    """Conv, BatchNorm and Linear layers followed by ReLU(inplace=True), as VGG and ResNet write them: the in-place
    writes trip no saved-tensor check where PyTorch's do not, and the gradients are PyTorch's."""
    grads = []
    for fw in (torch, minigrad):
        fw.manual_seed(0)
        nn = fw.nn
        net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(inplace=True), nn.MaxPool2d(2),
                            nn.Flatten(), nn.Linear(8, 4), nn.ReLU(inplace=True), nn.Dropout(0.0), nn.Linear(4, 2),
                            nn.LeakyReLU(inplace=True))
        net(fw.randn(3, 1, 6, 6)).sum().backward()
        grads.append([p.grad for p in net.parameters()])
    for ours, theirs in zip(grads[1], grads[0]):
        assert_close(ours, theirs)
