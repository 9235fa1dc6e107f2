"""``x[key] = value`` and in-place ops on views, against PyTorch: values, the gradients of x's history and of the value,
the rewritten graph (CopySlices, IndexPutBackward0, AsStridedBackward0) and PyTorch's errors.

Each program runs on both frameworks with the same data; torch on the device under test, minigrad on the CPU.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad

RNG = np.random.default_rng(23)


def name(t: Any) -> str:
    """The name of t's grad_fn (torch names its C++ nodes with their namespace: torch::autograd::CopySlices)."""
    return t.grad_fn.name().removeprefix("torch::autograd::")
BASE = RNG.standard_normal((4, 5, 3))

# (key, shape of the value written) for a base of shape (4, 5, 3); shape None: a Python number.
KEYS: list[tuple[Callable[[Any], Any], tuple[int, ...] | None]] = [
    (lambda fw: 1, (5, 3)),
    (lambda fw: 1, (3,)),  # broadcast along the view's first dim
    (lambda fw: -1, None),
    (lambda fw: (1, 2), (3,)),
    (lambda fw: (1, 2, 0), ()),
    (lambda fw: (slice(None), 1), (4, 3)),
    (lambda fw: (slice(1, 3), slice(None, None, 2)), (2, 3, 3)),
    (lambda fw: (Ellipsis, 0), (1, 5)),
    (lambda fw: (None, 2), (1, 5, 3)),
    (lambda fw: (fw.tensor([0, 2]),), (2, 5, 3)),
    (lambda fw: (fw.tensor([3, 3, 1]),), (3, 1, 3)),  # repeated rows: the last write wins
    (lambda fw: ([0, -1], slice(None), [1, 2]), (2, 5)),
    (lambda fw: (1, slice(None), fw.tensor([0, 2])), (5, 2)),  # an int before a slice and an index: PyTorch's order
    (lambda fw: (slice(None), fw.tensor([[0, 1], [4, 2]])), (4, 2, 2, 3)),
    (lambda fw: (fw.tensor([0, 1]), fw.tensor([1, 2]), fw.tensor([2, 0])), (2,)),
    (lambda fw: (fw.tensor(BASE[:, :, 0] > 0),), (3,)),  # a mask over two dims, the value broadcast per element
    (lambda fw: (fw.tensor(BASE > 0.5),), None),
    (lambda fw: (2, fw.tensor([True, False, True, False, True])), (3, 3)),
    (lambda fw: (Ellipsis, fw.tensor([2, 0])), (4, 5, 2)),
    (lambda fw: True, (4, 5, 3)),
    (lambda fw: (fw.tensor([], dtype=fw.int64),), (0, 5, 3)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("key, value_shape", KEYS, ids=[f"key{i}" for i in range(len(KEYS))])
def test_setitem_values_and_gradients(key, value_shape, dtype: str, device: str) -> None:
    """y = x * w; y[key] = v; (y * c).sum() backward: y, the gradients of x, w and v, and y's grad_fn as torch's."""
    c = RNG.standard_normal(BASE.shape).astype(dtype)
    value = RNG.standard_normal(value_shape).astype(dtype) if value_shape is not None else 0.75

    def run(fw: Any, dev: str) -> tuple[Any, ...]:
        x = fw.tensor(BASE.astype(dtype), requires_grad=True, device=dev)
        w = fw.tensor(np.full(BASE.shape, 1.5, dtype), requires_grad=True, device=dev)
        v = fw.tensor(value, requires_grad=True, device=dev) if value_shape is not None else value
        y = x * w
        y[key(fw)] = v
        (y * fw.tensor(c, device=dev)).sum().backward()
        return y, x.grad, w.grad, (v.grad if value_shape is not None else None), name(y)

    ours, theirs = run(minigrad, "cpu"), run(torch, device)
    for what, a, e in zip(("y", "x.grad", "w.grad", "v.grad"), ours, theirs):
        if e is None:
            assert a is None, what
        else:
            assert_close(a, e, what)
    assert ours[4] == theirs[4]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_setitem_into_a_tensor_without_grad_gives_it_a_history(dtype: str, device: str) -> None:
    """x = zeros(3); x[1] = w[0]; x[0:2] = w[1:]: x now requires grad, its grad_fn is CopySlices, w gets gradients."""
    def run(fw: Any, dev: str) -> tuple[Any, ...]:
        w = fw.tensor(np.array([0.5, -1.0, 2.0], dtype), requires_grad=True, device=dev)
        x = fw.zeros(3, dtype=getattr(fw, dtype), device=dev)
        x[1] = w[0]
        first = (x.requires_grad, name(x))
        x[0:2] = w[1:] * 2
        (x * fw.tensor([1.0, 2.0, 3.0], dtype=getattr(fw, dtype), device=dev)).sum().backward()
        return x, w.grad, first, name(x)

    ours, theirs = run(minigrad, "cpu"), run(torch, device)
    assert_close(ours[0], theirs[0], "x")
    assert_close(ours[1], theirs[1], "w.grad")
    assert ours[2:] == theirs[2:]


@pytest.mark.parametrize("program", [
    pytest.param(lambda fw, y: y[0].mul_(3), id="mul_ on a row"),
    pytest.param(lambda fw, y: y[:, 1:3].add_(fw.ones(4, 2, dtype=y.dtype)), id="add_ on a slice"),
    pytest.param(lambda fw, y: y.t()[1].div_(2), id="div_ on a transposed row"),
    pytest.param(lambda fw, y: y[1:][1:, 2].sin_(), id="sin_ on a view of a view"),
    pytest.param(lambda fw, y: y.view(12)[::5].clamp_(-0.5, 0.5), id="clamp_ on a strided view"),
    pytest.param(lambda fw, y: y[2].zero_(), id="zero_"),
    pytest.param(lambda fw, y: y.diagonal().fill_(4.0), id="fill_ on the diagonal"),
    pytest.param(lambda fw, y: y[0].copy_(y[1] * 2), id="copy_ from another part"),
    pytest.param(lambda fw, y: y.unsqueeze(0)[0, 1].exp_(), id="exp_ on an unsqueezed view"),
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_inplace_on_a_view_rewrites_the_base_history(program, dtype: str, device: str) -> None:
    """An in-place op on a view of a tensor with a history: values, the base's and view's grad_fn names, and the
    gradient of the leaf, through the base and through the view."""
    data = RNG.standard_normal((4, 3)).astype(dtype)
    c = RNG.standard_normal((4, 3)).astype(dtype)

    def run(fw: Any, dev: str) -> tuple[Any, ...]:
        x = fw.tensor(data, requires_grad=True, device=dev)
        y = x * 2
        view = program(fw, y)
        names = (name(y), name(view))
        ((y * fw.tensor(c, device=dev)).sum() + (view * view).sum()).backward()
        return y, x.grad, names

    ours, theirs = run(minigrad, "cpu"), run(torch, device)
    assert_close(ours[0], theirs[0], "y")
    assert_close(ours[1], theirs[1], "x.grad")
    assert ours[2] == theirs[2]


def test_other_views_follow_a_write_into_their_base(device: str) -> None:
    """Views made before an in-place write (into the base or another view) take their gradient to the base as it
    is after the write: AsStridedBackward0, as in PyTorch."""
    def run(fw: Any, dev: str) -> tuple[Any, ...]:
        x = fw.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True, device=dev)
        y = x * 1
        row, col = y[1], y[:, 0]
        y[0, 0] = 10.0
        y.mul_(2)
        names = (name(row), name(col), row.requires_grad)
        (row * fw.tensor([1.0, 2.0, 3.0], device=dev)).sum().backward(retain_graph=True)
        (col * col).sum().backward()
        return x.grad, row, col, names

    ours, theirs = run(minigrad, "cpu"), run(torch, device)
    for what, a, e in zip(("x.grad", "row", "col"), ours, theirs):
        assert_close(a, e, what)
    assert ours[3] == theirs[3]


def test_accumulated_index_put(device: str) -> None:
    """index_put_ and torch.index_put with accumulate: repeated positions add up; gradients as PyTorch's."""
    def run(fw: Any, dev: str) -> tuple[Any, ...]:
        x = fw.tensor(BASE[:, :, 0], requires_grad=True, device=dev)
        v = fw.tensor([1.0, 2.0, 3.0], dtype=x.dtype, requires_grad=True, device=dev)
        index = (fw.tensor([0, 0, 3], device=dev), fw.tensor([1, 1, 4], device=dev))
        y = fw.index_put(x * 1, index, v, accumulate=True)
        z = (x * 1).index_put_(index, v * 2, accumulate=False)
        ((y * y).sum() + (z * 3).sum()).backward()
        return y, z, x.grad, v.grad

    for what, a, e in zip(("y", "z", "x.grad", "v.grad"), run(minigrad, "cpu"), run(torch, device)):
        assert_close(a, e, what)


def test_setitem_casts_values_and_writes_integers_and_bools() -> None:
    def program(fw: Any) -> list[Any]:
        i = fw.zeros(4, dtype=fw.int64)
        i[0] = 2.7
        i[1:3] = fw.tensor([5.9, -1.5])
        b = fw.zeros(3, dtype=fw.bool)
        b[1] = 1
        f = fw.zeros(2, 3)
        f[0] = fw.tensor([1, 2, 3], dtype=fw.float64)
        f[1, [0, 2]] = 7
        f[...] = f * 2
        f[f > 3] = 0.5
        return [i.tolist(), b.tolist(), f.tolist()]

    assert program(minigrad) == program(torch)


@pytest.mark.parametrize("program", [
    pytest.param(lambda fw: fw.zeros(3, 4).__setitem__((slice(None), 1), fw.ones(4)), id="shape-basic"),
    pytest.param(lambda fw: fw.zeros(3, 4).__setitem__(0, fw.ones(2, 4)), id="too-many-dims"),
    pytest.param(lambda fw: fw.zeros(3, 4).__setitem__(fw.tensor([0, 1]), fw.ones(3)), id="shape-advanced"),
    pytest.param(lambda fw: fw.zeros(3, 4).__setitem__(fw.tensor([5]), 1), id="index-out-of-range"),
    pytest.param(lambda fw: fw.zeros(3, 4).__setitem__(5, 1), id="int-out-of-range"),
    pytest.param(lambda fw: fw.zeros(3).__setitem__(fw.tensor([0]), fw.tensor([1])), id="dtype-advanced"),
    pytest.param(lambda fw: fw.zeros(2, 3).__setitem__(([0, 1], [1, 2]), fw.tensor([3.0, 4.0], dtype=fw.float64)),
                 id="dtype-advanced-double"),
    pytest.param(lambda fw: fw.randn(3, requires_grad=True).__setitem__(0, 1.0), id="leaf-basic"),
    pytest.param(lambda fw: fw.randn(3, requires_grad=True).__setitem__(fw.tensor([0]), 1.0), id="leaf-advanced"),
    pytest.param(lambda fw: fw.randn(3, requires_grad=True).view(3).__setitem__(0, 1.0), id="view-of-leaf"),
    pytest.param(lambda fw: fw.randn(3, requires_grad=True)[0].mul_(2), id="view-of-leaf-mul_"),
    pytest.param(lambda fw: (fw.randn(4, 3, requires_grad=True) * 1).unbind(1)[2].mul_(2), id="unbind"),
    pytest.param(lambda fw: (fw.randn(4, 3, requires_grad=True) * 1).split(2)[1].add_(1), id="split"),
    pytest.param(lambda fw: (fw.randn(4, 3, requires_grad=True) * 1).split([1, 3])[1].add_(1), id="split-sizes"),
    pytest.param(lambda fw: (fw.randn(4, 3, requires_grad=True) * 1).chunk(2)[0].add_(1), id="chunk"),
    pytest.param(lambda fw: fw.zeros(3, 1).expand(3, 4).__setitem__(0, 1.0), id="expanded"),
])
def test_setitem_errors_are_pytorchs(program) -> None:
    assert_same_error(program)


def test_view_made_in_no_grad_mode_is_refused_for_recorded_writes() -> None:
    def program(fw: Any) -> None:
        y = fw.randn(3, 2, requires_grad=True) * 1
        with fw.no_grad():
            row = y[0]
        row.add_(1)

    assert_same_error(program)

    def allowed(fw: Any) -> list[float]:  # both in no_grad: nothing recorded, nothing refused
        y = fw.ones(3, 2, requires_grad=True) * 1
        with fw.no_grad():
            y[0].add_(1)
            y[1] = 5.0
        return y.tolist()

    assert allowed(minigrad) == allowed(torch)


def test_a_saved_view_overwritten_through_setitem_is_an_error_at_backward() -> None:
    """y = x * 1; z = y[0].sin(); y[0, 1] = 0 overwrote what sin saved: backward fails, as PyTorch's."""
    def program(fw: Any) -> None:
        y = fw.randn(3, 2, requires_grad=True) * 1
        z = y[0].sin()
        y[0, 1] = 0.0
        z.sum().backward()

    _, theirs = _outcome(program, torch)
    _, ours = _outcome(program, minigrad)
    assert type(ours) is type(theirs) is RuntimeError
    assert "modified by an inplace operation" in str(ours)


def _outcome(fn: Callable[[Any], Any], fw: Any) -> tuple[Any, BaseException | None]:
    try:
        return fn(fw), None
    except Exception as error:
        return None, error


def test_minibatch_assignment_loop_matches_torch() -> None:
    """A learner's loop: a buffer filled row by row from a model's output, then trained through."""
    def run(fw: Any) -> tuple[Any, ...]:
        fw.manual_seed(0)
        layer = fw.nn.Linear(3, 2)
        inputs = fw.randn(5, 3)
        out = fw.zeros(5, 2)
        for i in range(5):
            out[i] = layer(inputs[i])
        out[:, 1] = out[:, 1].relu()
        loss = (out ** 2).mean()
        loss.backward()
        return loss, layer.weight.grad, layer.bias.grad

    for what, a, e in zip(("loss", "weight.grad", "bias.grad"), run(minigrad), run(torch)):
        assert_close(a, e, what)
