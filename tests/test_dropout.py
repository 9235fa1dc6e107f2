"""Dropout against torch: the same masks, outputs and gradients bit for bit under the same seed, the same draws."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np
import pytest
import torch
from conftest import assert_same_error, assert_same_run, small_products_bit_exact

import minigrad
import minigrad.utils.data
from minigrad.nn.dropout import Dropout, dropout

PROBABILITIES = [0, 0.1, 0.5, 0.9, 1]

# Views of a base tensor: contiguous, transposed (dense, permuted), sliced (not dense), both, 3-d permuted.
LAYOUTS: dict[str, tuple[tuple[int, ...], Callable]] = {
    "scalar": ((), lambda x: x),
    "vector": ((37,), lambda x: x),
    "matrix": ((7, 9), lambda x: x),
    "transposed": ((7, 9), lambda x: x.t()),
    "sliced": ((6, 10), lambda x: x[:, ::2]),
    "transposed-sliced": ((6, 10), lambda x: x.t()[::3]),
    "permuted": ((2, 3, 4), lambda x: x.permute(2, 0, 1)),
    "empty": ((0, 3), lambda x: x),
}


def functional(fw: ModuleType):
    """The framework's dropout function."""
    return torch.nn.functional.dropout if fw is torch else dropout


def module(fw: ModuleType):
    return torch.nn.Dropout if fw is torch else Dropout


def assert_same_rng() -> None:
    assert np.array_equal(minigrad.random.get_rng_state(), torch.get_rng_state().numpy())


def assert_equal(ours: minigrad.Tensor, theirs: torch.Tensor) -> None:
    """Same dtype, shape and bits (so -0.0 differs from 0.0, and NaNs compare by their bits)."""
    assert ours.dtype.name == str(theirs.dtype).split(".")[-1]
    assert tuple(ours.shape) == tuple(theirs.shape)
    bits = [np.ascontiguousarray(t.detach().numpy()).tobytes() for t in (ours, theirs)]
    assert bits[0] == bits[1]


def grad_fn_name(t) -> str | None:
    return None if t.grad_fn is None else type(t.grad_fn).__name__ if isinstance(t, torch.Tensor) else t.grad_fn.name()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("p", PROBABILITIES)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_outputs_masks_and_gradients_equal_torch(layout: str, p: float, dtype: str) -> None:
    """Output, mask (dropout of ones) and gradient of the input bit for bit; the same draws; the same grad_fn."""
    shape, view = LAYOUTS[layout]
    results = {}
    for fw in (minigrad, torch):
        fw.manual_seed(0)
        base = fw.randn(*shape, dtype=getattr(fw, dtype)) if shape else fw.tensor(1.5, dtype=getattr(fw, dtype))
        leaf = base.clone().requires_grad_()
        x = view(leaf)
        x.retain_grad()
        upstream = fw.randn(*x.shape, dtype=x.dtype) if x.dim() else fw.tensor(0.5, dtype=x.dtype)
        fw.manual_seed(42)
        out = functional(fw)(x, p)
        noise = functional(fw)(view(fw.ones(*shape, dtype=x.dtype) if shape else fw.tensor(1.0, dtype=x.dtype)), p)
        (out * upstream).sum().backward()
        results[fw] = out, noise, x.grad, leaf.grad, grad_fn_name(out), out is x
    (out, noise, grad, leaf_grad, name, same), (t_out, t_noise, t_grad, t_leaf_grad, t_name, t_same) = (
        results[minigrad], results[torch])
    assert_equal(out, t_out)
    assert_equal(noise, t_noise)
    assert_equal(grad, t_grad)
    # By value: minigrad's slicing backward adds into zeros, so a -0.0 gradient reaches the leaf as +0.0.
    assert np.array_equal(leaf_grad.numpy(), t_leaf_grad.numpy())
    assert (name, same) == (t_name, t_same)
    assert_same_rng()


def test_p_one_zeroes_with_a_graph_and_turns_inf_into_nan() -> None:
    x = [float("inf"), float("nan"), -1.0, 2.0]
    outs = [functional(fw)(fw.tensor(x, requires_grad=True), 1.0) for fw in (minigrad, torch)]
    assert_equal(*outs)
    assert grad_fn_name(outs[0]) == grad_fn_name(outs[1]) == "MulBackward0"


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_module_draws_in_train_mode_only(p: float) -> None:
    """train(): a fresh mask per call; eval(): the input itself, no draws; back to train() draws again."""
    results = {}
    for fw in (minigrad, torch):
        fw.manual_seed(3)
        x = fw.randn(4, 5)
        layer = module(fw)(p)
        first, second = layer(x), layer(x)
        layer.eval()
        state = fw.get_rng_state()
        identity = layer(x)
        assert identity is x and np.array_equal(np.asarray(fw.get_rng_state()), np.asarray(state))
        assert functional(fw)(x, p, training=False) is x
        layer.train()
        results[fw] = first, second, layer(x)
    for ours, theirs in zip(results[minigrad], results[torch]):
        assert_equal(ours, theirs)
    assert not np.array_equal(results[minigrad][0].numpy(), results[minigrad][1].numpy())
    assert_same_rng()


def test_inplace_writes_into_a_tensor_without_a_graph() -> None:
    results = {}
    for fw in (minigrad, torch):
        fw.manual_seed(5)
        x = fw.randn(3, 4)
        out = module(fw)(0.5, inplace=True)(x)
        results[fw] = out is x, x
    assert results[minigrad][0] and results[torch][0]
    assert_equal(results[minigrad][1], results[torch][1])
    assert_same_rng()


def test_inplace_on_a_non_leaf_gives_torch_result_and_gradient() -> None:
    """minigrad records no in-place ops: the result (not the input) carries torch's values and gradient."""
    results = {}
    for fw in (minigrad, torch):
        fw.manual_seed(6)
        w = fw.randn(5, requires_grad=True)
        out = functional(fw)(w * 2, 0.4, inplace=True)
        out.sum().backward()
        results[fw] = out, w.grad
    for ours, theirs in zip(results[minigrad], results[torch]):
        assert_equal(ours, theirs)
    assert_same_rng()


def test_repr_equals_torch() -> None:
    for args in [(), (0.2,), (0.2, True), (1,), (0,)]:
        assert repr(Dropout(*args)) == repr(torch.nn.Dropout(*args))
    sequential = [fw.nn.Sequential(fw.nn.Linear(2, 3), module(fw)(0.3)) for fw in (minigrad, torch)]
    assert repr(sequential[0]) == repr(sequential[1])


@pytest.mark.parametrize(
    "bad",
    [
        lambda fw: functional(fw)(fw.zeros(3), 1.5),
        lambda fw: functional(fw)(fw.zeros(3), -0.1),
        lambda fw: module(fw)(2),
        lambda fw: module(fw)(-1.0),
        lambda fw: functional(fw)(fw.arange(6), 0.5),
        lambda fw: functional(fw)(fw.ones(3, dtype=fw.bool), 0.5),
        lambda fw: functional(fw)(fw.ones(3, requires_grad=True), 0.5, inplace=True),
    ],
)
def test_bad_input_raises_torch_error_after_the_same_draws(bad) -> None:
    minigrad.manual_seed(1)
    torch.manual_seed(1)
    assert_same_error(bad)
    assert_same_rng()


def test_training_with_dropout_and_minibatches_is_bit_exact() -> None:
    """Linear(2,3)-ReLU-Dropout(0.3)-Linear(3,1), SGD with momentum, 10 epochs of shuffled batches of 3 with an
    eval pass after each: every loss and the final parameters bit for bit where PyTorch's small products are
    sequential dots (inner sizes <= 3: small_products_bit_exact), else to float32 rounding."""
    runs = {}
    for fw in (minigrad, torch):
        fw.manual_seed(0)
        x, y = fw.randn(40, 2), fw.randn(40, 1)
        model = fw.nn.Sequential(fw.nn.Linear(2, 3), fw.nn.ReLU(), module(fw)(0.3), fw.nn.Linear(3, 1))
        optimizer = fw.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loader = fw.utils.data.DataLoader(fw.utils.data.TensorDataset(x, y), batch_size=3, shuffle=True)
        losses = []
        for _ in range(10):
            model.train()
            for xb, yb in loader:
                optimizer.zero_grad()
                loss = fw.nn.functional.mse_loss(model(xb), yb)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            model.eval()
            losses.append(fw.nn.functional.mse_loss(model(x), y).item())
        runs[fw] = losses, [p.detach().numpy().copy() for p in model.parameters()]
    exact = small_products_bit_exact()
    assert_same_run(runs[minigrad][0], runs[torch][0], exact, err_msg="losses")
    for a, b in zip(runs[minigrad][1], runs[torch][1]):
        assert_same_run(a, b, exact, err_msg="parameters")
    assert_same_rng()
