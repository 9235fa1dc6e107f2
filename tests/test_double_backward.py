"""Every op's gradient differentiated again (``create_graph=True``), against PyTorch.

For each cross-check case (``op_cases.CASES``) of a differentiable op: the first gradients g_i = d<out, u>/dx_i are
taken with ``create_graph=True``, then the gradient of s = sum_i <g_i, v_i> (random v) with respect to every input
x_i and to the cotangent u itself (which makes s depend on the backward's use of u as well as of the inputs). Both the
first gradients (recorded) and the second ones are compared with torch's, in float64, on the CPU and on CUDA. For svd
and eigh, whose vectors LAPACK gives up to a sign that differs between numpy and torch, minigrad's u is turned to its
own signs (``_gauge``). Then the special nodes, the piecewise-linear functions' zero second derivatives and PyTorch's
refusals, and third derivatives through the recorded forms of gradient kernels (binary_cross_entropy's, the LSTM's).

``MISSING`` lists the ops whose backward minigrad cannot record yet: for them, and only them, a clear
NotImplementedError is accepted instead of the comparison (and for the ops made of them; an answer they do give must
still be torch's).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error, numpy_of
from op_cases import Case, differentiable_cases, resolve, sample
from op_cases_linalg import GAUGES

import minigrad
from minigrad import higher_order
from minigrad.ops.registry import REGISTRY

MISSING = higher_order.NOT_YET  # ops whose backward cannot be recorded yet (the reason is given there)


def _second_order(fw: Any, case: Case, values: list[np.ndarray], device: str | None,
                  turn: Callable[[list[np.ndarray]], list[np.ndarray]] | None = None) -> Any:
    """(first gradients, second gradients of the inputs and of u), or the exception raised; ``turn`` maps the
    cotangents u drawn to the ones used (see ``_gauge``)."""
    op = REGISTRY[case.op]
    kwargs = {"device": device} if device else {}
    leaves = [fw.tensor(v, requires_grad=True, **kwargs) for v in values]
    inputs = [leaf.clone() if case.inplace and i == 0 else leaf for i, leaf in enumerate(leaves)]
    try:
        out = case.call(resolve(op.torch, fw), inputs, fw, device)
    except (RuntimeError, IndexError, ValueError, TypeError) as error:
        return error
    outs = list(out) if isinstance(out, tuple) else [out]
    graded = outs[:op.differentiable_outputs]
    if not graded[0].dtype.is_floating_point or not graded[0].requires_grad:
        return None
    rng = np.random.default_rng(case.seed + 7)
    drawn = [rng.standard_normal(tuple(o.shape)) for o in graded]
    us = [fw.tensor(u, requires_grad=True, **kwargs) for u in (turn(drawn) if turn else drawn)]
    try:
        firsts = fw.autograd.grad(graded, leaves, us, create_graph=True, allow_unused=True)
    except (RuntimeError, IndexError, ValueError, TypeError) as error:
        return error
    terms = [(g * fw.tensor(rng.standard_normal(tuple(g.shape)), **kwargs)).sum()
             for g in firsts if g is not None and g.requires_grad]
    if not terms:
        return list(firsts), None
    s = sum(terms[1:], terms[0])
    try:
        return list(firsts), fw.autograd.grad(s, [*leaves, *us], allow_unused=True)
    except RuntimeError as error:  # torch has no second derivative for a few of its backward functions
        return error


_MISSING_NODES = {REGISTRY[name].grad_fn for name in MISSING} | {name for name in MISSING}


def _gauge(case: Case, values: list[np.ndarray], device: str) -> Callable[[list[np.ndarray]], list[np.ndarray]] | None:
    """For an op whose outputs are unique up to a gauge (``GAUGES``: the signs of singular vectors and eigenvectors,
    which LAPACK picks differently for numpy and torch): the map that turns minigrad's outputs to torch's. A cotangent
    u turned by it makes minigrad's <outputs, u> torch's as a function of the input (the map flips signs: it is its own
    inverse), so the gradients of the input agree, and those of u do once turned back. None for any other op."""
    if case.op not in GAUGES:
        return None
    outputs = []
    for fw, where in ((minigrad, None), (torch, device)):
        kwargs = {"device": where} if where else {}
        out = case.call(resolve(REGISTRY[case.op].torch, fw), [fw.tensor(v, **kwargs) for v in values], fw, where)
        outputs.append([numpy_of(o) for o in out])
    return GAUGES[case.op](*outputs)


DIFFERENTIABLE = differentiable_cases()


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=lambda c: c.id)
def test_gradient_of_gradient_matches_torch(case: Case, device: str) -> None:
    if device != "cpu" and case.cpu_only:
        pytest.skip(f"compared on the CPU only: {case.cpu_only}")
    values = sample(case, "float64")
    expected = _second_order(torch, case, values, device)
    if isinstance(expected, BaseException) or expected is None:
        pytest.skip(f"torch gives no second-order case here ({expected!r})")
    turn = _gauge(case, values, device)
    actual = _second_order(minigrad, case, values, None, turn)
    if isinstance(actual, NotImplementedError):  # the clear refusal: this op, or one it is made of, is listed
        assert "create_graph=True" in str(actual), actual
        assert case.op in MISSING or any(op in str(actual) for op in _MISSING_NODES), actual
        return
    if isinstance(actual, BaseException):
        raise actual
    (firsts, seconds), (torch_firsts, torch_seconds) = actual, expected
    for i, (a, e) in enumerate(zip(firsts, torch_firsts)):
        assert (a is None) == (e is None), f"first gradient {i}: torch {e is None and 'has none'}"
        if e is not None:
            assert_close(a, e, f"first gradient {i}")
    if torch_seconds is None:
        return
    assert seconds is not None, "torch's first gradients have a graph, minigrad's do not"
    if turn is not None:  # the gradients of u, turned back to torch's gauge (the map is its own inverse)
        n = len(firsts)
        of_u = [numpy_of(a) if a is not None else np.zeros(tuple(e.shape))
                for a, e in zip(seconds[n:], torch_seconds[n:])]
        seconds = [*seconds[:n], *(minigrad.tensor(g) for g in turn(of_u))]
    for i, (a, e) in enumerate(zip(seconds, torch_seconds)):
        if e is not None and e._is_zerotensor():  # torch's symbolic zero (an input its gradient does not depend on)
            e = torch.zeros(e.shape, dtype=e.dtype)
        if e is None or (a is None and not torch.any(e)):  # no gradient and a zero one agree in value
            assert a is None or not np.any(a.numpy()), f"second gradient {i}: torch has none, minigrad {a}"
        else:
            assert a is not None, f"second gradient {i}: torch has one, minigrad none"
            assert_close(a, e, f"second gradient {i}")


# ----- the special nodes: in-place writes into views, custom Functions, leaves ---------------------------------------
def _through_special_nodes(fw: Any, case: str, device: str | None, order: int) -> list[Any]:
    """A program through CopySlices (a view written in place) or AsStridedBackward0 (a view of a base written in
    place since), and its gradients of order 1 to ``order`` (each the gradient of the previous ones' squares)."""
    kwargs = {"device": device} if device else {}
    x = fw.tensor([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]], dtype=fw.float64, requires_grad=True, **kwargs)
    w = fw.tensor([0.2, -0.4, 0.9], dtype=fw.float64, requires_grad=True, **kwargs)
    b = x * 1.0
    if case == "CopySlices":
        b[0].mul_(w)
        y = (b.sin() * b).sum()
    else:
        row = b[1]
        b.mul_(w)
        y = (row ** 3).sum() + (b * b).sum()
    results = []
    for k in range(order):
        grads = fw.autograd.grad(y, [x, w], create_graph=k < order - 1)
        results += grads
        y = sum((g ** 2).sum() for g in grads)
    return results


@pytest.mark.parametrize("case", ["CopySlices", "AsStridedBackward0"])
def test_views_written_in_place_are_differentiable_three_times(case: str, device: str) -> None:
    expected = _through_special_nodes(torch, case, device, order=3)
    actual = _through_special_nodes(minigrad, case, None, order=3)
    for i, (a, e) in enumerate(zip(actual, expected)):
        assert_close(a, e, f"gradient {i}")


class _Cube(torch.autograd.Function):
    """x³, its backward 3 x² grad written with tensor ops: differentiable again (in torch and in minigrad)."""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, = ctx.saved_tensors
        return 3 * x * x * grad


def _function(fw: Any, once: bool) -> type:
    """_Cube as a Function of ``fw`` (its backward marked once_differentiable, or not)."""
    backward = fw.autograd.function.once_differentiable(_Cube.backward) if once else _Cube.backward
    return type("Cube", (fw.autograd.Function,), {"forward": staticmethod(_Cube.forward),
                                                  "backward": staticmethod(backward)})


def _custom_second_order(fw: Any, once: bool, device: str | None = None) -> list[Any]:
    """The first gradient (create_graph=True) and the second, by backward (which, unlike autograd.grad, runs every
    node, the once_differentiable error node too: PyTorch's grad skips it, its inputs being detached copies)."""
    kwargs = {"device": device} if device else {}
    x = fw.tensor([0.5, -1.5, 2.0], dtype=fw.float64, requires_grad=True, **kwargs)
    y = (_function(fw, once).apply(x) * x.sin()).sum()
    g, = fw.autograd.grad(y, x, create_graph=True)
    (g * g).sum().backward()
    return [g, x.grad]


def test_custom_function_is_differentiable_twice(device: str) -> None:
    """Under create_graph=True the Function's backward runs on tensors in grad mode, as PyTorch's: recorded."""
    for i, (a, e) in enumerate(zip(_custom_second_order(minigrad, False), _custom_second_order(torch, False, device))):
        assert_close(a, e, f"gradient {i}")


def test_once_differentiable_refuses_the_second_backward() -> None:
    assert_same_error(lambda fw: _custom_second_order(fw, True))


def test_leaf_gradients_of_backward_with_create_graph_are_differentiable(device: str) -> None:
    """``backward(create_graph=True)`` accumulates into ``.grad`` a gradient with a graph (AccumulateGrad)."""
    def run(fw: Any, device: str | None) -> list[Any]:
        kwargs = {"device": device} if device else {}
        x = fw.tensor([[0.5, -1.5], [2.0, 0.25]], dtype=fw.float64, requires_grad=True, **kwargs)
        (x.exp() * x).sum().backward(create_graph=True)
        first = x.grad
        assert first.requires_grad
        (first * first).sum().backward()  # accumulates the second derivative into x.grad
        return [first, x.grad]
    for i, (a, e) in enumerate(zip(run(minigrad, None), run(torch, device))):
        assert_close(a, e, f"gradient {i}")


_PIECEWISE = {
    "abs": lambda fw, x: x.abs(),
    "linear": lambda fw, x: 3 * x + 1,
    "relu": lambda fw, x: fw.nn.functional.relu(x),
    "relu_": lambda fw, x: x.clone().relu_(),
    "hardtanh": lambda fw, x: fw.nn.functional.hardtanh(x, -0.5, 1.0),
    "relu6": lambda fw, x: fw.nn.functional.relu6(x),
    "leaky_relu": lambda fw, x: fw.nn.functional.leaky_relu(x, 0.1),
    "threshold": lambda fw, x: fw.nn.functional.threshold(x, 0.1, -2.0),
    "hardshrink": lambda fw, x: fw.nn.functional.hardshrink(x, 0.3),
    "softshrink": lambda fw, x: fw.nn.functional.softshrink(x, 0.3),
    "prelu": lambda fw, x: fw.nn.functional.prelu(x, fw.tensor([0.25], dtype=fw.float64)),
    "clamp": lambda fw, x: x.clamp(-0.5, 1.0),
    "sign": lambda fw, x: x.sign(),
    "floor": lambda fw, x: x.floor(),
    "hardsigmoid": lambda fw, x: fw.nn.functional.hardsigmoid(x * 4),
    "max_pool1d": lambda fw, x: fw.nn.functional.max_pool1d(x.view(1, 2, 4), 2),
    "max_pool2d": lambda fw, x: fw.nn.functional.max_pool2d(x.view(1, 2, 2, 2), 2, 1, 1),
    "adaptive_max_pool2d": lambda fw, x: fw.nn.functional.adaptive_max_pool2d(x.view(1, 2, 2, 2), 1),
}
# their first gradients have no graph (a linear function's, clamp's, sign's, floor's: constants), or one PyTorch
# cannot differentiate (hardsigmoid_backward has no derivative): PyTorch's errors
_NO_SECOND_DERIVATIVE = {"linear", "clamp", "sign", "floor", "hardsigmoid"}


@pytest.mark.parametrize("function", list(_PIECEWISE))
def test_identically_zero_second_derivative_as_torch(function: str) -> None:
    """A first gradient with x in its graph has a zero second derivative: abs's (through sign(x)), and the
    piecewise-linear activations' and max pooling's, whose PyTorch backward functions take x (or the result) with
    derivative 0
    (``backward_function``); the others raise PyTorch's error."""
    def run(fw: Any) -> Any:
        x = fw.tensor([0.5, -1.0, 2.0, 0.0, -0.2, 7.0, 0.1, 6.0], dtype=fw.float64, requires_grad=True)
        g, = fw.autograd.grad(_PIECEWISE[function](fw, x).sum(), x, create_graph=True)
        return fw.autograd.grad(g.sum(), x)[0]
    if function in _NO_SECOND_DERIVATIVE:
        assert_same_error(run)
    else:
        np.testing.assert_array_equal(run(minigrad).numpy(), np.zeros(8))
        assert not torch.any(run(torch))


def _three_orders(fw: Any, device: str | None) -> list[Any]:
    """A small net (conv2d, gelu, mse_loss: conv2d and mse_loss remake what forward saved from the inputs in their
    recorded backward, ``recomputed``) and its gradients of order 1 to 3, each the gradient of the previous ones'
    squares. (Not layer_norm: torch's own third derivative through its native layer_norm differs from that of the
    same function written with elementary ops by 33% here, while minigrad's agrees with the latter to 1e-15.)"""
    kwargs = {"device": device} if device else {}
    rng = np.random.default_rng(3)
    x, w, target = (fw.tensor(rng.standard_normal(shape), dtype=fw.float64, requires_grad=grad, **kwargs)
                    for shape, grad in (((2, 2, 5, 5), True), ((3, 2, 3, 3), True), ((2, 3, 3, 3), False)))
    f = fw.nn.functional
    y = f.mse_loss(f.gelu(f.conv2d(x, w)), target)
    results = []
    for k in range(3):
        grads = fw.autograd.grad(y, [x, w], create_graph=k < 2)
        results += grads
        y = sum((g * g).sum() for g in grads)
    return results


def test_third_order_through_recomputed_saves(device: str) -> None:
    for i, (a, e) in enumerate(zip(_three_orders(minigrad, None), _three_orders(torch, device))):
        assert_close(a, e, f"gradient {i}")


# ----- to third order through the recorded forms of gradient kernels and of saved intermediates ---------------------
def _bce(fw: Any, leaves: list[Any]) -> Any:
    p, y = leaves
    weight = fw.tensor(np.linspace(0.5, 2.0, 12).reshape(3, 4), dtype=fw.float64)
    return fw.nn.functional.binary_cross_entropy(p, y, weight=weight)


def _scatter_reduce_prod(fw: Any, leaves: list[Any]) -> Any:
    x, src = leaves
    index = fw.tensor([[0, 2, 1, 0], [2, 2, 0, 1]])
    return (x.scatter_reduce(0, index, src, "prod") + x.scatter_reduce(0, index, src, "prod", include_self=False)).sin()


def _lstm_cell(fw: Any, leaves: list[Any]) -> Any:
    x, h, c, *weights = leaves
    h, c = fw.lstm_cell(x, (h, c), *weights)
    return h * c


def _lstm(fw: Any, leaves: list[Any]) -> Any:
    """Both directions (the second runs LstmLayer with reverse)."""
    x, h, c, *weights = leaves
    return fw.lstm(x, (h, c), weights, True, 1, 0.0, False, True, False)[0]


def _svd(fw: Any, leaves: list[Any]) -> Any:
    """Functions of U and V^T that their signs do not change (PyTorch's gradgradcheck of svd takes such)."""
    a, = leaves
    u, s, vh = fw.linalg.svd(a, full_matrices=False)
    return [u.abs(), s, vh.abs(), (u * s.unsqueeze(-2)) @ vh]


def _eigen_and_singular_values(fw: Any, leaves: list[Any]) -> Any:
    a, = leaves
    return [fw.linalg.eigvalsh(a, UPLO="U"), fw.linalg.svdvals(a)]


_DRAWN = np.random.default_rng(24)
_THRICE = {  # the function and its inputs' values
    "binary_cross_entropy": (_bce, [_DRAWN.uniform(0.05, 0.95, (3, 4)), _DRAWN.uniform(0, 1, (3, 4))]),
    "scatter_reduce_prod": (_scatter_reduce_prod, [np.array([[1.5, -0.5, 0.0, 2.0], [0.7, 1.2, -1.1, 0.4],
                                                             [0.9, -2.0, 1.3, 0.6]]),
                                                   np.array([[0.8, 0.0, 1.4, -0.6], [1.1, 0.5, -0.9, 1.7]])]),
    "lstm_cell": (_lstm_cell, [_DRAWN.standard_normal(shape) * 0.5 for shape in ((3, 4), (3, 2), (3, 2), (8, 4),
                                                                                   (8, 2), (8,), (8,))]),
    "lstm": (_lstm, [_DRAWN.standard_normal(shape) * 0.5 for shape in ((3, 2, 2), (2, 2, 3), (2, 2, 3),
                                                                         *((12, 2), (12, 3), (12,), (12,)) * 2)]),
    "svd": (_svd, [_DRAWN.standard_normal((4, 3))]),
    "eigvalsh, svdvals": (_eigen_and_singular_values, [_DRAWN.standard_normal((3, 3))]),
}


def _thrice(fw: Any, program: str, device: str | None) -> list[Any]:
    """The program's gradients of order 1 to 3, each the gradient of the previous ones' squares."""
    kwargs = {"device": device} if device else {}
    function, values = _THRICE[program]
    leaves = [fw.tensor(v, dtype=fw.float64, requires_grad=True, **kwargs) for v in values]
    outputs = function(fw, leaves)
    rng = np.random.default_rng(7)
    y = sum((o * fw.tensor(rng.standard_normal(tuple(o.shape)), dtype=fw.float64, **kwargs)).sum()
            for o in (outputs if isinstance(outputs, list) else [outputs]))
    results = []
    for k in range(3):
        grads = fw.autograd.grad(y, leaves, create_graph=k < 2)
        results += grads
        y = sum((g * g).sum() for g in grads)
    return results


@pytest.mark.parametrize("program", list(_THRICE))
def test_third_order_as_torch(program: str, device: str) -> None:
    """binary_cross_entropy's gradient recorded as PyTorch's own op (its derivatives PyTorch's formulas, eps and
    all); scatter_reduce's prod and the LSTM kernels through their recorded forms; svd, eigvalsh and svdvals through
    their recorded decompositions (the last two remake V from A)."""
    for i, (a, e) in enumerate(zip(_thrice(minigrad, program, None), _thrice(torch, program, device))):
        assert_close(a, e, f"gradient {i}")


def test_scatter_reduce_prod_refuses_to_differentiate_src_again_as_torch() -> None:
    """Two zeros of src reduced into one place: PyTorch hands src's gradient on through a DelayedError node."""
    def run(fw: Any) -> Any:
        x = fw.tensor([1.0, 2.0], dtype=fw.float64, requires_grad=True)
        src = fw.tensor([0.0, 0.0, 3.0], dtype=fw.float64, requires_grad=True)
        _, g = fw.autograd.grad(x.scatter_reduce(0, fw.tensor([0, 0, 1]), src, "prod").sum(), [x, src],
                                create_graph=True)
        return fw.autograd.grad(g.sum(), [x, src])
    assert_same_error(run)


def test_backward_with_create_graph_copies_a_leafs_first_gradient(device: str) -> None:
    """backward(create_graph=True): a leaf's first .grad is a copy of the gradient (PyTorch's node: CopyBackwards), a
    second one adds to it (AddBackward0), both with their graphs; values and second derivatives as PyTorch's."""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor([1.0, 2.0, 3.0], requires_grad=True, device=dev)
        y = fw.tensor([2.0, 1.0, 0.5], requires_grad=True, device=dev)
        (x ** 2).sum().backward(create_graph=True)
        (x * y).sum().backward(create_graph=True)
        names = [type(t.grad.grad_fn).__name__ for t in (x, y)]
        grads = [t.grad.detach().clone() for t in (x, y)]
        second = fw.autograd.grad((x.grad * y.grad).sum(), (x, y))
        return names, grads, second

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # (the reference-cycle warning: the next test)
        ours, theirs = run(minigrad, "cpu"), run(torch, device)
    assert ours[0] == theirs[0] == ["AddBackward0", "CopyBackwards"]
    for a, b in zip([*ours[1], *ours[2]], [*theirs[1], *theirs[2]]):
        assert_close(a, b)


def test_backward_with_create_graph_warns_of_the_reference_cycle_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyTorch warns once a process that backward(create_graph=True) makes a cycle of each leaf and its .grad (its
    text, read from a fresh PyTorch process, less where in its C++ it was triggered); autograd.grad does not warn."""
    code = ("import torch, warnings\nwarnings.simplefilter('always')\nx = torch.ones(2, requires_grad=True)\n"
            "with warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n"
            "    torch.autograd.grad((x * x).sum(), x, create_graph=True)\n"
            "    (x * x).sum().backward(create_graph=True)\n    (x * x).sum().backward(create_graph=True)\n"
            "print(repr([(c.category.__name__, str(c.message)) for c in w]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True).stdout
    expected = [(kind, text.split(" (Triggered internally at")[0]) for kind, text in ast.literal_eval(out)]
    monkeypatch.setattr(minigrad.autograd.api, "_CYCLE_WARNED", False)
    x = minigrad.ones(2, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        minigrad.autograd.grad((x * x).sum(), x, create_graph=True)
        (x * x).sum().backward(create_graph=True)
        (x * x).sum().backward(create_graph=True)
    assert [(c.category.__name__, str(c.message)) for c in caught] == expected and len(expected) == 1


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_prelu_second_derivatives_as_pytorchs(dtype: str, device: str) -> None:
    """prelu's gradients differentiated again, in x, in the slopes and in the incoming gradient (through a product
    after prelu), with x = 0 among the points: PyTorch's _prelu_kernel_backward derivatives, which count 0 as
    positive (``PreluKernelBackward``)."""
    def run(fw: Any, dev: str) -> list[Any]:
        x = fw.tensor([[0.5, -1.0, 0.0], [-0.2, 0.0, 3.0]], dtype=getattr(fw, dtype), device=dev, requires_grad=True)
        w = fw.tensor([0.25, -0.5, 2.0], dtype=getattr(fw, dtype), device=dev, requires_grad=True)
        y = fw.nn.functional.prelu(x.view(2, 3, 1), w) * (x.view(2, 3, 1) + 1)  # (its gradient, x + 1, not 0 at 0)
        gx, gw = fw.autograd.grad(y.sum(), (x, w), create_graph=True)
        return [gx, gw, *fw.autograd.grad((gx * gx).sum() + (gw * x.sum()).sum(), (x, w))]
    for i, (a, e) in enumerate(zip(run(minigrad, "cpu"), run(torch, device))):
        assert_close(a.detach(), e.detach().cpu(), f"result {i}")
