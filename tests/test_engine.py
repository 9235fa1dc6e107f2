"""Engine behaviour against PyTorch: accumulation, retain_graph, grad mode, retain_grad, deep graphs, errors."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest
import torch
from conftest import assert_same_error

import minigrad


def test_seed_autograd_cell() -> None:
    """The seed tutorial's cell: z = 2 w^2 + 5 at w = 2 gives dz/dw = 8."""
    grads = []
    for fw in (minigrad, torch):
        w = fw.tensor(2.0, requires_grad=True)
        y = w**2
        z = 2 * y + 5
        z.backward()
        grads.append(w.grad.item())
    assert grads[0] == grads[1] == 8.0


def test_gradients_accumulate_across_backward_calls() -> None:
    seen = {}
    for fw in (minigrad, torch):
        w = fw.tensor(2.0, requires_grad=True)
        seen[fw.__name__] = []
        for _ in range(3):
            (w * w).backward()
            seen[fw.__name__].append(w.grad.item())
    assert seen["minigrad"] == seen["torch"] == [4.0, 8.0, 12.0]


def test_accumulation_is_in_place_on_the_grad_tensor() -> None:
    w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    grad = w.grad
    (w * 3).sum().backward()
    assert w.grad is grad and grad.tolist() == [6.0, 6.0]


@pytest.mark.parametrize("size", [4, 1 << 19], ids=["small", "cached"])  # 2 MB: from kernels/memory.py's cache
def test_a_leaf_takes_its_first_gradient_only_when_nothing_else_holds_it(size: int,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """As PyTorch's AccumulateGrad: ``.grad`` takes the engine's array without a copy when only the engine refers to
    it (``a * b``), and copies it when anything else does: the other leaf of an add (one array for both), the caller's
    seed, a non-leaf's retained gradient. Each ``.grad`` is its own memory; later accumulation changes nothing else."""
    copied = []
    copy = minigrad.kernels.copy
    monkeypatch.setattr(minigrad.kernels, "copy", lambda array, *rest: copied.append(array.shape) or copy(array, *rest))
    rng = np.random.default_rng(0)
    x, y, seed = (rng.standard_normal(size).astype(np.float32) for _ in range(3))
    a, b = minigrad.tensor(x, requires_grad=True), minigrad.tensor(y, requires_grad=True)
    out = a * b
    out.retain_grad()
    c, d, e = (minigrad.tensor(v, requires_grad=True) for v in (x, y, x))
    seeds = [minigrad.tensor(seed) for _ in range(3)]
    given = seeds[1]
    copied.clear()
    out.backward(seeds[0], retain_graph=True)
    assert len(copied) == 1  # out's retained gradient (a hook's copy); a and b took theirs
    (c + d).backward(given)
    e.backward(given)
    assert len(copied) == 4
    arrays = [t.grad.numpy() for t in (a, b, c, d, e, out)] + [given.numpy(), x, y]
    for i, first in enumerate(arrays):
        for second in arrays[i + 1:]:
            assert not np.shares_memory(first, second)
    out.backward(seeds[2])  # accumulates in place into a.grad and b.grad
    np.testing.assert_array_equal(a.grad.numpy(), 2 * (seed * y))
    np.testing.assert_array_equal(b.grad.numpy(), 2 * (seed * x))
    np.testing.assert_array_equal(given.numpy(), seed)
    np.testing.assert_array_equal(out.grad.numpy(), 2 * seed)
    for t in (c, d, e):
        np.testing.assert_array_equal(t.grad.numpy(), seed)


def test_a_gradient_reshaped_on_its_way_out_is_taken_unless_its_array_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed's Linear(1, 1) gets its weight's gradient as a reshaped view of the product and its bias's as a view
    of the sum: only the engine holds the arrays under them, so both are taken (no copy). A retained gradient is a
    copy of what its hook got; the engine then lets go of that array, so the leaf's view of it is taken. Values as
    torch's; each ``.grad`` its own memory, accumulating in place."""
    copied = []
    copy = minigrad.kernels.copy
    monkeypatch.setattr(minigrad.kernels, "copy", lambda array, *rest: copied.append(array.shape) or copy(array, *rest))
    grads = {}
    for fw in (minigrad, torch):
        fw.manual_seed(777)
        layer = fw.nn.Linear(1, 1)
        x = fw.tensor([[1.0], [2.0], [3.0]])
        copied.clear()
        for _ in range(2):
            fw.nn.functional.mse_loss(layer(x), 2 * x).backward()
        grads[fw.__name__] = [layer.weight.grad.tolist(), layer.bias.grad.tolist()]
        if fw is minigrad:
            assert copied == []
            assert not np.shares_memory(layer.weight.grad.numpy(), layer.bias.grad.numpy())
            a = minigrad.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
            flat = a.reshape(4)
            flat.retain_grad()
            copied.clear()
            (flat * 3).sum().backward()
            assert copied == [(4,)]  # the hook's copy; a's gradient, a view of the array the hook got, is taken
            assert not np.shares_memory(a.grad.numpy(), flat.grad.numpy())
    assert grads["minigrad"] == grads["torch"]


def test_gradient_accumulates_into_a_non_contiguous_grad_as_torch() -> None:
    """A ``.grad`` set to a transposed tensor: backward adds into it in place (it was written to a temporary copy)."""
    grads = []
    for fw in (minigrad, torch):
        p = fw.ones(2, 3, requires_grad=True)
        p.grad = fw.arange(6.0).reshape(3, 2).t()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch: "grad and param do not obey the gradient layout contract"
            (p * 2).sum().backward()
        grads.append(p.grad.tolist())
    assert grads[0] == grads[1] == [[2.0, 4.0, 6.0], [3.0, 5.0, 7.0]]


def test_second_backward_through_freed_graph_raises_torch_error() -> None:
    def twice(fw):
        x = fw.tensor([1.0, 2.0], requires_grad=True)
        y = (x.exp() * 2).sum()
        y.backward()
        y.backward()

    assert_same_error(twice)


def test_graph_without_saved_tensors_runs_again_and_accumulates() -> None:
    for fw in (minigrad, torch):
        x = fw.tensor([1.0, 2.0], requires_grad=True)
        y = (x + 1).sum()
        y.backward()
        y.backward()
        assert x.grad.tolist() == [2.0, 2.0]


def test_retain_graph_allows_second_backward() -> None:
    results = []
    for fw in (minigrad, torch):
        x = fw.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        results.append(x.grad.tolist())
    assert results[0] == results[1] == [4.0, 8.0]


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda fw: fw.tensor([1.0, 2.0], requires_grad=True).mul(2).backward(), id="non-scalar"),
        pytest.param(lambda fw: fw.tensor([1.0]).sum().backward(), id="no-grad-fn"),
        pytest.param(lambda fw: fw.tensor([1, 2], requires_grad=True), id="int-requires-grad"),
        pytest.param(lambda fw: fw.tensor([1.0], requires_grad=True).numpy(), id="numpy-of-requires-grad"),
        pytest.param(lambda fw: fw.tensor([1.0, 2.0, 3.0]).item(), id="item-of-3"),
        pytest.param(lambda fw: fw.ones(2, 3) @ fw.ones(2, 3), id="mm-shapes"),
        pytest.param(lambda fw: fw.ones(3) @ fw.ones(4), id="dot-shapes"),
        pytest.param(lambda fw: fw.ones(2, 3) @ fw.ones(4), id="mv-shapes"),
        pytest.param(lambda fw: fw.ones(4) @ fw.ones(3, 2), id="vm-shapes"),
        pytest.param(lambda fw: fw.ones(2, 3, dtype=fw.float64) @ fw.ones(3, 2), id="mm-dtypes"),
        pytest.param(lambda fw: fw.ones(3) + fw.ones(2), id="broadcast"),
        pytest.param(lambda fw: fw.ones(2, 3) * fw.ones(4, 1, 2), id="broadcast-3d"),
        pytest.param(lambda fw: fw.ones(2, 3).view(4), id="view-size"),
        pytest.param(lambda fw: fw.ones(2, 3).t().view(6), id="view-stride"),
        pytest.param(lambda fw: fw.ones(2, 3).sum(dim=2), id="dim-range"),
        pytest.param(lambda fw: fw.ones(2, 3).transpose(0, 3), id="transpose-range"),
        pytest.param(lambda fw: fw.ones(2, 3, 4).t(), id="t-3d"),
        pytest.param(lambda fw: fw.ones(3)[5], id="index-range"),
        pytest.param(lambda fw: fw.ones(3)[::-1], id="negative-step"),
        pytest.param(lambda fw: fw.ones(3).clamp(), id="clamp-no-bounds"),
        pytest.param(lambda fw: fw.ones(0).max(), id="max-empty"),
        pytest.param(lambda fw: fw.ones(2, 0).max(dim=1), id="max-dim-empty"),
        pytest.param(lambda fw: fw.arange(3).mean(), id="mean-int"),
        pytest.param(lambda fw: fw.tensor(1.0) @ fw.ones(3), id="matmul-0d"),
        pytest.param(lambda fw: fw.tensor([True]) - fw.tensor([False]), id="bool-minus-bool"),
        pytest.param(lambda fw: fw.tensor([1.0]) - True, id="float-minus-True"),
        pytest.param(lambda fw: 1 - fw.tensor([True]), id="one-minus-bool"),
        pytest.param(lambda fw: -fw.tensor([True]), id="neg-bool"),
        pytest.param(lambda fw: fw.tensor([True]).abs(), id="abs-bool"),
        pytest.param(lambda fw: fw.tensor([True]).relu(), id="relu-bool"),
        pytest.param(lambda fw: fw.tensor([True]).argmax(), id="argmax-bool"),
        pytest.param(lambda fw: fw.tensor([True]).argmin(dim=0), id="argmin-bool"),
        pytest.param(lambda fw: True ** fw.tensor([True]), id="pow-bool"),
        pytest.param(lambda fw: fw.tensor([1, 2]) ** -2, id="int-negative-power"),
        pytest.param(lambda fw: fw.ones(2, 3).requires_grad_().mul(2).requires_grad_(False), id="non-leaf-flag"),
    ],
)
def test_bad_input_raises_torch_error(bad) -> None:
    assert_same_error(bad)


def test_gradient_of_wrong_shape_is_rejected() -> None:
    with pytest.raises(RuntimeError) as expected:
        torch.ones(2, requires_grad=True).mul(1).backward(torch.ones(3))
    x = minigrad.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError) as actual:
        x.mul(1).backward(minigrad.ones(3))
    assert str(actual.value) == str(expected.value).replace("torch.Size", "minigrad.Size")


def test_errors_leave_no_state_behind() -> None:
    w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError):
        (w @ minigrad.ones(3)).backward()
    assert w.grad is None and w.is_leaf


def test_no_grad_context_and_decorator() -> None:
    x = minigrad.tensor([1.0], requires_grad=True)
    with minigrad.no_grad():
        y = x * 2
        with minigrad.enable_grad():
            z = x * 2
    assert (y.requires_grad, y.grad_fn, y.is_leaf) == (False, None, True)
    assert z.requires_grad and z.grad_fn is not None

    @minigrad.no_grad()
    def double(t):
        return t * 2

    assert not double(x).requires_grad
    assert minigrad.is_grad_enabled()


def test_grad_mode_is_thread_local() -> None:
    seen = []
    with minigrad.no_grad():
        thread = threading.Thread(target=lambda: seen.append(minigrad.is_grad_enabled()))
        thread.start()
        thread.join()
        assert not minigrad.is_grad_enabled()
    assert seen == [True]


def test_retain_grad_matches_torch() -> None:
    grads = []
    for fw in (minigrad, torch):
        a = fw.tensor([2.0, 4.0], requires_grad=True)
        b = a * 3
        b.retain_grad()
        (b * b).sum().backward()
        grads.append((b.grad.tolist(), a.grad.tolist()))
    assert grads[0] == grads[1] == ([12.0, 24.0], [36.0, 72.0])


def test_non_leaf_grad_is_none_with_torch_warning() -> None:
    messages = []
    for fw in (minigrad, torch):
        b = fw.tensor([1.0], requires_grad=True) * 2
        b.sum().backward()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert b.grad is None
        messages.append([str(w.message) for w in caught if w.category is UserWarning])
    # torch appends "(Triggered internally at <its C++ source file>)"
    assert len(messages[0]) == len(messages[1]) == 1 and messages[1][0].startswith(messages[0][0])


def test_leaf_flags_match_torch() -> None:
    for fw in (minigrad, torch):
        x = fw.tensor([1.0], requires_grad=True)
        y = x * 2
        c = fw.tensor([1.0])
        assert (x.is_leaf, y.is_leaf, c.is_leaf, y.requires_grad, c.requires_grad) == (True, False, True, True, False)
        assert x.grad is None and x.grad_fn is None
        d = y.detach()
        assert d.is_leaf and not d.requires_grad


def test_detach_shares_storage() -> None:
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    d.numpy()[0] = 5.0
    assert x.tolist() == [5.0, 2.0]


def test_views_share_storage_like_torch() -> None:
    for fw in (minigrad, torch):
        x = fw.zeros(2, 3)
        x.view(6).numpy()[4] = 1.0
        x.t().numpy()[0, 1] = 2.0
        x[1].numpy()[2] = 3.0
        assert x.tolist() == [[0.0, 0.0, 0.0], [2.0, 1.0, 3.0]]


def test_gradient_flows_through_shared_subexpressions() -> None:
    """A node used twice receives the sum of both gradients before it runs (diamond graph)."""
    grads = []
    for fw in (minigrad, torch):
        x = fw.tensor([0.5, -1.5, 2.0], requires_grad=True)
        h = x.tanh()
        y = (h * h + h.exp() * h).sum()
        y.backward()
        grads.append(x.grad.tolist())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)


def test_deep_chain_backward_has_no_recursion_limit() -> None:
    x = minigrad.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad.item() == 1.0


def test_integer_outputs_stop_the_gradient() -> None:
    x = minigrad.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, indices = x.max(dim=0)
    assert indices.dtype is minigrad.int64 and not indices.requires_grad
    (values * 2).backward()
    assert x.grad.tolist() == [2.0, 0.0, 0.0]


def test_mixed_dtype_gradient_takes_each_inputs_dtype() -> None:
    for fw in (minigrad, torch):
        a = fw.tensor([1.0, 2.0], requires_grad=True)
        b = fw.tensor([3.0, 4.0], dtype=fw.float64, requires_grad=True)
        (a * b).sum().backward()
        assert str(a.grad.dtype).endswith("float32") and str(b.grad.dtype).endswith("float64")
