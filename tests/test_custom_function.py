"""``minigrad.autograd.Function`` against ``torch.autograd.Function``: the same custom Functions, written once for
either framework, give the same values, gradients, graph nodes (names, reprs), saved-tensor rules and errors.

Each program runs on both frameworks with the same data; torch on the device under test, minigrad on the CPU.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, numpy_of

import minigrad

Program = Callable[[Any, str], Any]
X = np.array([[1.5, -0.5, 2.0], [-1.0, 0.25, -2.5]], np.float32)


def run(program: Program, device: str) -> tuple[Any, Any]:
    """(minigrad's result, torch's result) of ``program(fw, device)``."""
    return program(minigrad, "cpu"), program(torch, device)


def error_of(program: Program, fw: Any, device: str) -> Exception:
    try:
        program(fw, device)
    except Exception as error:
        return error
    raise AssertionError(f"{fw.__name__} did not raise")


def assert_same_error(program: Program, device: str, as_written: bool = False) -> None:
    """Both raise, the same type and message; torch's type names read as minigrad's (``torch.FloatTensor``), unless
    ``as_written`` (a message with a link to PyTorch's documentation). PyTorch's hint on anomaly detection is left
    out where minigrad's message does not give it."""
    ours, theirs = error_of(program, minigrad, "cpu"), error_of(program, torch, device)
    assert type(ours) is type(theirs), f"torch raised {theirs!r}, minigrad {ours!r}"
    expected = str(theirs) if as_written else re.sub(r"\btorch\.(cuda\.)?", "minigrad.", str(theirs))
    if " Hint:" not in str(ours):
        expected = expected.split(" Hint:")[0]
    assert str(ours) == expected


def node_name(node: Any) -> str | None:
    """A node's name (torch names its C++ nodes with their namespace: torch::autograd::CopySlices)."""
    return None if node is None else node.name().removeprefix("torch::autograd::")


def shown(text: str) -> str:
    """A repr with addresses blanked and torch's module names read as minigrad's."""
    return re.sub(r"0x[0-9a-f]+", "0x", re.sub(r"\btorch\b", "minigrad", text))


def assert_same_values(ours: list[Any], theirs: list[Any]) -> None:
    assert len(ours) == len(theirs)
    for i, (a, e) in enumerate(zip(ours, theirs)):
        if isinstance(e, torch.Tensor):
            assert_close(a, e, what=f"item {i}")
        else:
            assert a == e, f"item {i}: {a!r} != {e!r}"


# ----- the Functions, written once for either framework ---------------------------------------------------------
def legendre_polynomial3(fw: Any) -> Any:
    class LegendrePolynomial3(fw.autograd.Function):
        """P3(x) = (5x^3 - 3x) / 2, with P3'(x) = 1.5 (5x^2 - 1)."""

        @staticmethod
        def forward(ctx, input):  # noqa: A002 (the tutorial's name)
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors  # noqa: A001
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    return LegendrePolynomial3


def my_relu(fw: Any) -> Any:
    class MyReLU(fw.autograd.Function):
        @staticmethod
        def forward(ctx, input):  # noqa: A002
            ctx.save_for_backward(input)
            return input.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors  # noqa: A001
            grad_input = grad_output.clone()
            grad_input[input < 0] = 0
            return grad_input

    return MyReLU


def my_exp(fw: Any, seen: list[Any] | None = None) -> Any:
    class MyExp(fw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            result, = ctx.saved_tensors
            if seen is not None:
                seen.append((node_name(result.grad_fn), result.requires_grad, result.is_leaf))
            return grad_output * result

    return MyExp


def scaled_pair(fw: Any, seen: list[Any]) -> Any:
    """Two inputs and a number in, two outputs out: (k a b, a + b)."""

    class ScaledPair(fw.autograd.Function):
        @staticmethod
        def forward(ctx, a, b, k):
            seen.append(("forward", ctx.needs_input_grad, fw.is_grad_enabled()))
            ctx.save_for_backward(a, b)
            ctx.k = k
            return a * b * k, a + b

        @staticmethod
        def backward(ctx, grad_product, grad_sum):
            seen.append(("backward", numpy_of(grad_product).tolist(), numpy_of(grad_sum).tolist(),
                         ctx.needs_input_grad, fw.is_grad_enabled()))
            a, b = ctx.saved_tensors
            return grad_product * b * ctx.k + grad_sum, grad_product * a * ctx.k + grad_sum, None

    return ScaledPair


def doubled_in_place(fw: Any) -> Any:
    class DoubleInPlace(fw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            ctx.save_for_backward(x)
            return x

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 2

    return DoubleInPlace


def sorted_with_indices(fw: Any, seen: list[Any], materialize: bool = True) -> Any:
    """sort, its indices marked non-differentiable (as argsort's)."""

    class SortWithIndices(fw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            values, indices = x.sort()
            ctx.mark_non_differentiable(indices)
            ctx.save_for_backward(indices)
            ctx.set_materialize_grads(materialize)
            return values, indices

        @staticmethod
        def backward(ctx, grad_values, grad_indices):
            seen.append(None if grad_indices is None else (str(grad_indices.dtype).split(".")[-1],
                                                           numpy_of(grad_indices).tolist()))
            indices, = ctx.saved_tensors
            grad = fw.zeros_like(grad_values)
            grad[indices] = grad_values
            return grad

    return SortWithIndices


# ----- the PyTorch tutorial's Functions -------------------------------------------------------------------------
def test_legendre_polynomial3_trains_as_in_torch(device: str) -> None:
    """The tutorial's polynomial fit, 50 steps of gradient descent: every loss and weight."""

    def program(fw: Any, dev: str) -> list[Any]:
        p3 = legendre_polynomial3(fw).apply
        x = fw.linspace(-math.pi, math.pi, 200, device=dev)
        y = fw.tensor(np.sin(np.linspace(-math.pi, math.pi, 200)).astype(np.float32), device=dev)
        weights = [fw.tensor(v, requires_grad=True, device=dev) for v in (0.0, -1.0, 0.0, 0.3)]
        a, b, c, d = weights
        shown = []
        for _ in range(50):
            y_pred = a + b * p3(c + d * x)
            loss = (y_pred - y).pow(2).sum()
            loss.backward()
            shown.append(loss.detach())
            with fw.no_grad():
                for w in weights:
                    w -= 1e-4 * w.grad
                    w.grad = None
        return [*shown, *(w.detach() for w in weights), node_name(y_pred.grad_fn.next_functions[1][0]
                                                                  .next_functions[1][0])]

    ours, theirs = run(program, device)
    assert ours[-1] == theirs[-1] == "LegendrePolynomial3Backward"
    assert_same_values(ours, theirs)


def test_my_relu(device: str) -> None:
    def program(fw: Any, dev: str) -> list[Any]:
        x = fw.tensor(X, requires_grad=True, device=dev)
        y = my_relu(fw).apply(x)
        (y * fw.tensor(X + 1, device=dev)).sum().backward()
        return [y.detach(), x.grad, node_name(y.grad_fn), y.requires_grad, y.is_leaf]

    assert_same_values(*run(program, device))


# ----- saved tensors, several inputs and outputs -----------------------------------------------------------------
def test_exp_saving_its_output(device: str) -> None:
    """backward gets the saved output back as an output of the Function's node."""

    def program(fw: Any, dev: str) -> list[Any]:
        seen: list[Any] = []
        x = fw.tensor(X, requires_grad=True, device=dev)
        y = my_exp(fw, seen).apply(x)
        (y * 2).sum().backward()
        return [y.detach(), x.grad, *seen]

    ours, theirs = run(program, device)
    assert ours[-1] == ("MyExpBackward", True, False)
    assert_same_values(ours, theirs)


@pytest.mark.parametrize("used", ["both", "product", "sum"])
def test_two_outputs_two_inputs_and_a_number(used: str, device: str) -> None:
    """Gradients per output (zeros for an output no gradient reached), None for the number, needs_input_grad."""

    def program(fw: Any, dev: str) -> list[Any]:
        seen: list[Any] = []
        a = fw.tensor(X, requires_grad=True, device=dev)
        b = fw.tensor(X[::-1].copy(), requires_grad=True, device=dev)
        product, total = scaled_pair(fw, seen).apply(a, b, 3.0)
        loss = {"both": lambda: (product * total).sum(), "product": lambda: product.sum(),
                "sum": lambda: (total * total).sum()}[used]()
        loss.backward()
        return [product.detach(), total.detach(), a.grad, b.grad, node_name(product.grad_fn),
                product.grad_fn is total.grad_fn, *seen]

    assert_same_values(*run(program, device))


def test_needs_input_grad(device: str) -> None:
    """One flag per argument of forward, in forward and in backward: a tensor that requires grad (even in no-grad
    mode, where nothing is recorded)."""

    def program(fw: Any, dev: str) -> list[Any]:
        seen: list[Any] = []

        class Flags(fw.autograd.Function):
            @staticmethod
            def forward(ctx, *args):
                seen.append(ctx.needs_input_grad)
                return args[0] * 1

            @staticmethod
            def backward(ctx, grad):
                seen.append(ctx.needs_input_grad)
                return (grad, *(None,) * (len(ctx.needs_input_grad) - 1))

        x = fw.tensor(X, requires_grad=True, device=dev)
        ints = fw.tensor([1, 2], device=dev)
        y = Flags.apply(x, fw.ones(2, device=dev), 3, None, "text", ints, x * 2)
        y.sum().backward()
        with fw.no_grad():
            z = Flags.apply(x, 2.0)
        return [*seen, z.requires_grad, z.grad_fn is None, x.grad]

    assert_same_values(*run(program, device))


def test_set_materialize_grads_false_gives_none(device: str) -> None:
    def program(fw: Any, dev: str) -> list[Any]:
        seen: list[Any] = []

        class Pair(fw.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                ctx.set_materialize_grads(False)
                return a * 2, b * 3

            @staticmethod
            def backward(ctx, grad_a, grad_b):
                seen.append((grad_a is None, grad_b is None))
                return (None if grad_a is None else grad_a * 2), (None if grad_b is None else grad_b * 3)

        a = fw.tensor(X, requires_grad=True, device=dev)
        b = fw.tensor(X, requires_grad=True, device=dev)
        _, doubled_b = Pair.apply(a, b)
        doubled_b.sum().backward()
        return [*seen, a.grad is None, b.grad]

    assert_same_values(*run(program, device))


def test_mark_non_differentiable(device: str) -> None:
    """argsort-like indices: no grad_fn, and backward still gets a gradient for them (int zeros, or None)."""

    def program(fw: Any, dev: str) -> list[Any]:
        out = []
        for materialize in (True, False):
            seen: list[Any] = []
            x = fw.tensor(X[0], requires_grad=True, device=dev)
            values, indices = sorted_with_indices(fw, seen, materialize).apply(x)
            (values * fw.tensor([1.0, 2.0, 3.0], device=dev)).sum().backward()
            out += [values.detach(), indices, indices.requires_grad, indices.grad_fn is None, indices.is_leaf,
                    node_name(values.grad_fn), x.grad, *seen]
        return out

    assert_same_values(*run(program, device))


def test_mark_non_differentiable_float_output_and_non_tensor_outputs(device: str) -> None:
    """A float output marked non-differentiable does not require grad; a non-tensor output passes through and its
    gradient is None."""

    def program(fw: Any, dev: str) -> list[Any]:
        seen: list[Any] = []

        class Mixed(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                scale = x.abs().max()
                ctx.mark_non_differentiable(scale)
                return x * 2, 5, scale

            @staticmethod
            def backward(ctx, grad, grad_five, grad_scale):
                seen.append((grad_five is None, numpy_of(grad_scale).tolist()))
                return grad * 2

        x = fw.tensor(X, requires_grad=True, device=dev)
        doubled, five, scale = Mixed.apply(x)
        doubled.sum().backward()
        return [doubled.detach(), five, scale, scale.requires_grad, x.grad, *seen]

    assert_same_values(*run(program, device))


# ----- in-place forward (mark_dirty) and inputs returned as they are ---------------------------------------------
def test_mark_dirty_rebases_the_history_of_the_input(device: str) -> None:
    def program(fw: Any, dev: str) -> list[Any]:
        x = fw.tensor(X, requires_grad=True, device=dev)
        h = x * 1
        y = doubled_in_place(fw).apply(h)
        saved = y.grad_fn.saved_tensors[0]
        (y * y).sum().backward()
        return [y is h, node_name(h.grad_fn), node_name(saved.grad_fn), y.detach(), x.grad]

    ours, theirs = run(program, device)
    assert ours[:3] == [True, "DoubleInPlaceBackward", "DoubleInPlaceBackward"]
    assert_same_values(ours, theirs)


def test_mark_dirty_on_a_view_rewrites_the_base(device: str) -> None:
    def program(fw: Any, dev: str) -> list[Any]:
        x = fw.tensor(X, requires_grad=True, device=dev)
        base = x * 1
        view = base[1]
        y = doubled_in_place(fw).apply(view)
        (base * fw.tensor(X, device=dev)).sum().backward()
        return [y is view, node_name(base.grad_fn), node_name(view.grad_fn), base.detach(), x.grad]

    ours, theirs = run(program, device)
    assert ours[1:3] == ["CopySlices", "AsStridedBackward0"]
    assert_same_values(ours, theirs)


def test_mark_dirty_errors_and_warning(device: str) -> None:
    def on_a_leaf(fw: Any, dev: str) -> None:
        doubled_in_place(fw).apply(fw.tensor(X, requires_grad=True, device=dev))

    def not_returned(fw: Any, dev: str) -> None:
        class NotReturned(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x * 1

            @staticmethod
            def backward(ctx, grad):
                return grad * 2

        NotReturned.apply(fw.tensor(X, requires_grad=True, device=dev) * 1)

    def view_among_several_outputs(fw: Any, dev: str) -> None:
        class Two(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x, x * 1

            @staticmethod
            def backward(ctx, g1, g2):
                return g1 * 2 + g2 * 2

        Two.apply((fw.tensor(X, requires_grad=True, device=dev) * 1)[0])

    for program in (on_a_leaf, not_returned, view_among_several_outputs):
        assert_same_error(program, device)

    def not_an_input(fw: Any, dev: str) -> list[Any]:
        class NotAnInput(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = x * 2
                ctx.mark_dirty(y)
                return y

            @staticmethod
            def backward(ctx, grad):
                return grad * 2

        x = fw.tensor(X, requires_grad=True, device=dev)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = NotAnInput.apply(x)
        y.sum().backward()
        return [[str(w.message).split(" (Triggered internally")[0] for w in caught], y.detach(), x.grad]

    assert_same_values(*run(not_an_input, device))


def test_an_input_returned_as_it_is_is_a_new_view(device: str) -> None:
    """The output is a new tensor on the input's memory, with the Function's node; the input keeps its history.
    In-place writes into it are refused, as into views of several outputs."""

    def program(fw: Any, dev: str) -> list[Any]:
        class Identity(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, grad):
                return grad * 2

        x = fw.tensor(X, requires_grad=True, device=dev)
        y = Identity.apply(x)
        same = [y is x, y.is_leaf, x.is_leaf, node_name(y.grad_fn)]
        y.sum().backward()
        with fw.no_grad():
            x.add_(1)  # the same memory
        constant = fw.ones(3, device=dev)
        z = Identity.apply(constant)
        return [*same, x.grad, y.detach(), z is constant, z.requires_grad]

    assert_same_values(*run(program, device))

    def write_into_it(fw: Any, dev: str) -> None:
        class Identity(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, grad):
                return grad

        Identity.apply(fw.tensor(X, requires_grad=True, device=dev) * 1).mul_(2)

    def write_into_one_of_two_views(fw: Any, dev: str) -> None:
        class Halves(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x[0], x[1]

            @staticmethod
            def backward(ctx, g1, g2):
                return fw.stack([g1, g2])

        Halves.apply(fw.tensor(X, requires_grad=True, device=dev) * 1)[1].mul_(2)

    assert_same_error(write_into_it, device)
    assert_same_error(write_into_one_of_two_views, device)


# ----- once_differentiable and setup_context ---------------------------------------------------------------------
def test_once_differentiable(device: str) -> None:
    def program(fw: Any, dev: str) -> list[Any]:
        from_forward: list[Any] = []
        once = fw.autograd.function.once_differentiable

        class Square(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                from_forward.append(ctx)
                ctx.save_for_backward(x)
                return x ** 2

            @staticmethod
            @once
            def backward(ctx, grad):
                x, = ctx.saved_tensors
                return 2 * x * grad

        x = fw.tensor(X, requires_grad=True, device=dev)
        Square.apply(x).sum().backward(retain_graph=True)
        grad = fw.ones(2, 3, requires_grad=True, device=dev)  # backward called again by hand, in grad mode
        again = Square.backward(from_forward[0], grad)
        return [x.grad, again.detach(), again.requires_grad, node_name(again.grad_fn), Square.backward.__name__]

    ours, theirs = run(program, device)
    assert ours[3] == "Error"
    assert_same_values(ours, theirs)

    def differentiate_twice(fw: Any, dev: str) -> None:
        class Square(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x ** 2

            @staticmethod
            @fw.autograd.function.once_differentiable
            def backward(ctx, grad):
                return 2 * grad

        Square.backward(None, fw.ones(3, requires_grad=True, device=dev)).sum().backward()

    assert_same_error(differentiate_twice, device)


def test_setup_context_style(device: str) -> None:
    """forward without ctx, setup_context(ctx, inputs, output) with every argument (defaults filled in)."""

    def program(fw: Any, dev: str) -> list[Any]:
        seen: list[Any] = []

        class Scale(fw.autograd.Function):
            @staticmethod
            def forward(x, k=2.0):
                seen.append(fw.is_grad_enabled())
                return x * k, x + 1

            @staticmethod
            def setup_context(ctx, inputs, output):
                x, k = inputs
                seen.append((k, fw.is_grad_enabled(), ctx.needs_input_grad, output[0].requires_grad))
                ctx.k = k
                ctx.save_for_backward(x)

            @staticmethod
            def backward(ctx, grad_scaled, grad_shifted):
                return grad_scaled * ctx.k + grad_shifted, None

        x = fw.tensor(X, requires_grad=True, device=dev)
        scaled, shifted = Scale.apply(x)
        (scaled + shifted).sum().backward()
        rescaled, _ = Scale.apply(x, k=3.0)
        return [scaled.detach(), x.grad, rescaled.detach(), *seen]

    assert_same_values(*run(program, device))

    def saves_an_input_returned_as_is(fw: Any, dev: str) -> None:
        class Same(fw.autograd.Function):
            @staticmethod
            def forward(x):
                return x

            @staticmethod
            def setup_context(ctx, inputs, output):
                ctx.save_for_backward(output)

            @staticmethod
            def backward(ctx, grad):
                return grad

        Same.apply(fw.tensor(X, requires_grad=True, device=dev) * 1)

    assert_same_error(saves_an_input_returned_as_is, device)


def test_keyword_arguments_of_apply(device: str) -> None:
    def program(fw: Any, dev: str) -> list[Any]:
        class Scale(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x, offset=None, k=1.0):
                return x * k

            @staticmethod
            def backward(ctx, grad):
                return grad, None, None

        x = fw.tensor(X, requires_grad=True, device=dev)
        return [Scale.apply(x, None, k=2.0).detach(), Scale.apply(x=x).detach()]

    assert_same_values(*run(program, device))

    def call(**kwargs: Any) -> Program:
        def program(fw: Any, dev: str) -> None:
            class Scale(fw.autograd.Function):
                @staticmethod
                def forward(ctx, x, offset, k=1.0):
                    return x * k

                @staticmethod
                def backward(ctx, grad):
                    return grad, None, None

            Scale.apply(fw.tensor(X, requires_grad=True, device=dev), **kwargs)

        return program

    for kwargs in ({"k": 2.0}, {"z": 1}, {"x": 1}, {"ctx": 1}):
        assert_same_error(call(**kwargs), device)


# ----- PyTorch's errors ------------------------------------------------------------------------------------------
def returning(gradients: Callable[[Any, Any], Any], non_tensor: bool = False) -> Program:
    """A program whose Function (of X, and of a number if ``non_tensor``) returns ``gradients(fw, grad)``."""

    def program(fw: Any, dev: str) -> list[Any]:
        class Doubled(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x, *rest):
                return x * 2

            @staticmethod
            def backward(ctx, grad):
                return gradients(fw, grad)

        x = fw.tensor(X, requires_grad=True, device=dev)
        y = Doubled.apply(x, 3) if non_tensor else Doubled.apply(x)
        y.sum().backward()
        return [x.grad]

    return program


@pytest.mark.parametrize("gradients, non_tensor", [
    (lambda fw, g: g, True),  # one gradient for two arguments
    (lambda fw, g: (g, g), False),
    (lambda fw, g: [g], False),  # a list is one (bad) gradient
    (lambda fw, g: (g, g), True),  # a gradient for the number
    (lambda fw, g: g.sum(0), False),  # [3] for [2, 3]
    (lambda fw, g: g[..., None], False),  # [2, 3, 1] for [2, 3]
    (lambda fw, g: 3.0, False),
    (lambda fw, g: np.ones((2, 3)), False),
], ids=["too-few", "too-many", "a-list", "not-none-for-a-number", "shape", "shape-expanded", "a-float", "an-array"])
def test_backward_returning_wrong_gradients(gradients: Callable[[Any, Any], Any], non_tensor: bool,
                                            device: str) -> None:
    assert_same_error(returning(gradients, non_tensor), device)


@pytest.mark.parametrize("gradients, non_tensor", [
    (lambda fw, g: (g, None, None, None), True),  # extra Nones are dropped
    (lambda fw, g: None, False),  # no gradient
    (lambda fw, g: g[None, None] * fw.ones(4, 1, 1, 1, device=g.device), False),  # summed back to [2, 3]
    (lambda fw, g: g.double(), False),  # cast to the input's dtype
    (lambda fw, g: fw.ones(2, 3, dtype=fw.int64, device=g.device), False),
    (lambda fw, g: (g, None), True),
], ids=["extra-nones", "none", "broadcast", "float64", "int64", "none-for-a-number"])
def test_backward_gradients_torch_accepts(gradients: Callable[[Any, Any], Any], non_tensor: bool,
                                          device: str) -> None:
    ours, theirs = run(returning(gradients, non_tensor), device)
    assert (ours[0] is None) == (theirs[0] is None)
    if theirs[0] is not None:
        assert_close(ours[0], theirs[0])


def test_saved_tensor_modified_in_place(device: str) -> None:
    def output_modified(fw: Any, dev: str) -> None:
        y = my_exp(fw).apply(fw.tensor(X, requires_grad=True, device=dev))
        y.add_(1)
        y.sum().backward()

    def input_modified(fw: Any, dev: str) -> None:
        a = fw.tensor(X, requires_grad=True, device=dev) * 1
        y = my_relu(fw).apply(a)
        a.add_(1)
        y.sum().backward()

    def leaf_modified(fw: Any, dev: str) -> None:
        x = fw.tensor(X, requires_grad=True, device=dev)
        y = my_relu(fw).apply(x)
        with fw.no_grad():
            x.mul_(2)
        y.sum().backward()

    def second_output_modified(fw: Any, dev: str) -> None:
        class Pair(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                doubled, tripled = x * 2, x * 3
                ctx.save_for_backward(tripled)
                return doubled, tripled

            @staticmethod
            def backward(ctx, g1, g2):
                _ = ctx.saved_tensors
                return g1 * 2 + g2 * 3

        _, tripled = Pair.apply(fw.tensor(X, requires_grad=True, device=dev))
        tripled.add_(1)
        tripled.sum().backward()

    for program in (output_modified, input_modified, leaf_modified, second_output_modified):
        assert_same_error(program, device)


def test_backward_twice(device: str) -> None:
    def twice(fw: Any, dev: str) -> None:
        y = my_relu(fw).apply(fw.tensor(X, requires_grad=True, device=dev))
        y.sum().backward()
        y.sum().backward()

    def reads_nothing_saved_twice(fw: Any, dev: str) -> None:
        class Doubled(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, grad):
                _ = ctx.saved_tensors  # freed after the first backward, though empty
                return grad * 2

        y = Doubled.apply(fw.tensor(X, requires_grad=True, device=dev))
        y.sum().backward()
        y.sum().backward()

    assert_same_error(twice, device)
    assert_same_error(reads_nothing_saved_twice, device)

    def allowed(fw: Any, dev: str) -> list[Any]:
        """With retain_graph; and a Function that neither saves nor reads saved tensors runs again (and again adds)."""
        x = fw.tensor(X, requires_grad=True, device=dev)
        y = my_relu(fw).apply(x)
        y.sum().backward(retain_graph=True)
        y.sum().backward()
        w = fw.tensor(X, requires_grad=True, device=dev)
        z = _doubled_wrongly(fw).apply(w)
        z.sum().backward()
        z.sum().backward()
        return [x.grad, w.grad]

    assert_same_values(*run(allowed, device))


def test_legacy_style_and_missing_methods(device: str) -> None:
    def call_an_instance(fw: Any, dev: str) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            my_relu(fw)()(fw.tensor(X, device=dev))

    def no_forward(fw: Any, dev: str) -> None:
        class Empty(fw.autograd.Function):
            pass

        Empty.apply(fw.tensor(X, requires_grad=True, device=dev))

    def no_backward(fw: Any, dev: str) -> None:
        class ForwardOnly(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

        ForwardOnly.apply(fw.tensor(X, requires_grad=True, device=dev)).sum().backward()

    def saves_a_number(fw: Any, dev: str) -> None:
        class SavesANumber(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x, 3)
                return x * 2

            @staticmethod
            def backward(ctx, grad):
                return grad

        SavesANumber.apply(fw.tensor(X, requires_grad=True, device=dev))

    assert_same_error(call_an_instance, device, as_written=True)
    for program in (no_forward, no_backward, saves_a_number):
        assert_same_error(program, device)
    for fw in (minigrad, torch):
        with pytest.warns(DeprecationWarning, match="should not be instantiated. Methods on autograd functions"):
            my_relu(fw)()


# ----- the node: names, reprs, introspection, teaching tools -----------------------------------------------------
def test_grad_fn_name_repr_and_introspection(device: str) -> None:
    def program(fw: Any, dev: str) -> list[Any]:
        x = fw.tensor(X, requires_grad=True, device=dev)
        y = my_relu(fw).apply(x * 2)
        seen: list[Any] = []
        product, _ = scaled_pair(fw, seen).apply(x, fw.ones(3, device=dev), 2.5)
        node = product.grad_fn
        return [y.grad_fn.name(), shown(repr(y.grad_fn)), shown(repr(y.cpu() if dev != "cpu" else y)),
                type(y.grad_fn).__name__, [node_name(n) for n, _ in y.grad_fn.next_functions],
                [(node_name(n), i) for n, i in node.next_functions], node.needs_input_grad, node.k,
                shown(repr(type(y.grad_fn)))]

    ours, theirs = run(program, device)
    assert ours[0] == "MyReLUBackward"
    assert ours[1] == "<minigrad.autograd.function.MyReLUBackward object at 0x>"
    theirs[2] = theirs[2].replace("grad_fn=<ToCopyBackward0>", "grad_fn=<MyReLUBackward>")  # (y.cpu() on CUDA)
    assert ours == theirs


def test_explain_shows_the_custom_node(capsys: pytest.CaptureFixture[str]) -> None:
    x = minigrad.tensor(X, requires_grad=True)
    y = legendre_polynomial3(minigrad).apply(x * 0.5)
    steps = minigrad.explain(y.sum(), names={"x": x}, check=True)
    printed = capsys.readouterr().out
    custom = next(step for step in steps if step.node == "LegendrePolynomial3Backward")
    assert custom.formulas == ("P3(x) = (5x^3 - 3x) / 2, with P3'(x) = 1.5 (5x^2 - 1).",)
    assert custom.torch_note.startswith("not checked: a custom Function")
    assert "LegendrePolynomial3Backward" in printed and "P3'(x) = 1.5 (5x^2 - 1)" in printed
    np.testing.assert_allclose(custom.sent[0], 1.5 * (5 * (X * 0.5) ** 2 - 1), rtol=1e-6)
    reference = torch.tensor(X, requires_grad=True)
    legendre_polynomial3(torch).apply(reference * 0.5).sum().backward()
    assert_close(x.grad, reference.grad)
    undocumented = my_relu(minigrad).apply(minigrad.tensor(X, requires_grad=True))
    step = next(s for s in minigrad.explain(undocumented.sum(), show=False) if s.node == "MyReLUBackward")
    assert step.formulas == ("custom backward of MyReLU",)


def test_gradcheck_passes_on_a_custom_function(device: str) -> None:
    rng = np.random.default_rng(24)
    a, b = rng.standard_normal((2, 3, 4))
    seen: list[Any] = []
    pair = scaled_pair(minigrad, seen)
    inputs = [minigrad.tensor(a, requires_grad=True), minigrad.tensor(b, requires_grad=True)]
    assert minigrad.autograd.gradcheck(lambda x, y: pair.apply(x, y, 1.5)[0], inputs)
    assert minigrad.autograd.gradcheck(legendre_polynomial3(minigrad).apply, inputs[:1])
    theirs = [torch.tensor(v, requires_grad=True, device=device) for v in (a, b)]
    assert torch.autograd.gradcheck(lambda x, y: scaled_pair(torch, []).apply(x, y, 1.5)[0], theirs)
    with pytest.raises(minigrad.autograd.GradcheckError):  # a wrong backward is caught
        minigrad.autograd.gradcheck(_doubled_wrongly(minigrad).apply, inputs[:1])


def _doubled_wrongly(fw: Any) -> Any:
    """x * 2 whose backward multiplies by 3."""

    class DoubledWrongly(fw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 3

    return DoubledWrongly


# ----- forward mode: jvp and save_for_forward ---------------------------------------------------------------------
T = np.array([[0.5, -1.0, 0.25], [2.0, -0.75, 1.5]])
XD = X.astype(np.float64)


def dual_of(fw: Any, dev: str, values: np.ndarray = XD, tangent: np.ndarray = T, requires_grad: bool = False) -> Any:
    """A dual tensor (inside a level): ``values`` carrying ``tangent``, float64."""
    primal = fw.tensor(values, dtype=fw.float64, device=dev, requires_grad=requires_grad)
    return fw.autograd.forward_ad.make_dual(primal, fw.tensor(tangent, dtype=fw.float64, device=dev))


def unpacked(fw: Any, *outputs: Any) -> list[Any]:
    """Each output's primal and tangent (None where it has none), and whether the tangent carries a graph."""
    found = []
    for out in outputs:
        primal, tangent = fw.autograd.forward_ad.unpack_dual(out)
        found += [primal.detach(), None if tangent is None else tangent.detach(),
                  None if tangent is None else tangent.requires_grad]
    return found


def scaled_product(fw: Any, seen: list[Any]) -> Any:
    """PyTorch's save_for_forward example: z x y, its jvp z (y x_t + x y_t)."""

    class ScaledProduct(fw.autograd.Function):
        @staticmethod
        def forward(ctx, x, y, z):
            ctx.save_for_backward(x, y)
            ctx.save_for_forward(x, y)
            ctx.z = z
            return x * y * z

        @staticmethod
        def jvp(ctx, x_t, y_t, z_t):
            x, y = ctx.saved_tensors
            seen.append(("jvp", x_t, y_t, z_t, fw.is_grad_enabled(), ctx.needs_input_grad))
            return ctx.z * (y * x_t + x * y_t)

        @staticmethod
        def backward(ctx, grad):
            x, y = ctx.saved_tensors
            return grad * y * ctx.z, grad * x * ctx.z, None

    return ScaledProduct


@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain", "requires_grad"])
def test_jvp_gives_the_outputs_tangents(requires_grad: bool, device: str) -> None:
    """jvp gets the dual input's tangent, zeros for the other tensor, None for the number, in grad mode, reading what
    save_for_forward kept; its result is the output's tangent, which carries a graph where it was computed from
    tensors that require grad. Backward still reads what save_for_backward kept."""

    def program(fw: Any, dev: str) -> list[Any]:
        seen: list[Any] = []
        function = scaled_product(fw, seen)
        y = fw.tensor(XD[::-1].copy(), device=dev, requires_grad=requires_grad)
        with fw.autograd.forward_ad.dual_level():
            x = dual_of(fw, dev, requires_grad=requires_grad)
            out = function.apply(x, y, 3.0)
            found = unpacked(fw, out)
            with fw.no_grad():
                found += unpacked(fw, function.apply(x, y, 0.5))
            found.append(fw.autograd.forward_ad.unpack_dual(function.apply(y, y, 2.0)).tangent)  # jvp not called
        if requires_grad:
            found += list(fw.autograd.grad(out.sum(), [y]))
        return found + [item for entry in seen for item in entry]

    assert_same_values(*run(program, device))


@pytest.mark.parametrize("materialize", [True, False], ids=["materialized", "not-materialized"])
def test_jvp_with_several_outputs(materialize: bool, device: str) -> None:
    """One tangent per output: None for a non-tensor output, none for an output marked non-differentiable (and for
    an integer one); without materialized grads, jvp gets None for an input that has no tangent."""

    def program(fw: Any, dev: str) -> list[Any]:
        seen: list[Any] = []

        class SortedAndScaled(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x, w):
                ctx.set_materialize_grads(materialize)
                ctx.save_for_forward(x, w)
                values, indices = x.sort()
                ctx.mark_non_differentiable(values)
                return values, x * w, "label", indices

            @staticmethod
            def jvp(ctx, x_t, w_t):
                x, w = ctx.saved_tensors
                seen.append(w_t)
                return None, x_t * w + (0 if w_t is None else x * w_t), None, None

            @staticmethod
            def backward(ctx, *grads):
                return None, None

        with fw.autograd.forward_ad.dual_level():
            values, scaled, label, indices = SortedAndScaled.apply(dual_of(fw, dev), fw.tensor(XD + 1, device=dev))
            return [*unpacked(fw, values, scaled, indices), label, *seen]

    assert_same_values(*run(program, device))


def test_saved_tensors_in_jvp(device: str) -> None:
    """Without save_for_forward, jvp finds nothing saved (save_for_backward's tensors are kept after it); with
    setup_context, save_for_forward is called there."""

    def program(fw: Any, dev: str) -> list[Any]:
        seen: list[Any] = []

        class Exp(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                result = x.exp()
                ctx.save_for_backward(result)
                return result

            @staticmethod
            def jvp(ctx, x_t):
                seen.append(len(ctx.saved_tensors))
                return x_t * 2

            @staticmethod
            def backward(ctx, grad):
                result, = ctx.saved_tensors
                return grad * result

        class Cube(fw.autograd.Function):
            @staticmethod
            def forward(x, k=1.0):
                return x ** 3 * k

            @staticmethod
            def setup_context(ctx, inputs, output):
                x, k = inputs
                ctx.save_for_forward(x, None)
                ctx.k = k

            @staticmethod
            def jvp(ctx, x_t, k_t):
                x, nothing = ctx.saved_tensors
                seen.append((nothing, k_t))
                return 3 * ctx.k * x ** 2 * x_t

            @staticmethod
            def backward(ctx, grad):
                return grad, None

        with fw.autograd.forward_ad.dual_level():
            x = dual_of(fw, dev, requires_grad=True)
            y = Exp.apply(x)
            found = unpacked(fw, y, Cube.apply(x, k=2.0))
        found += list(fw.autograd.grad(y.sum(), x))
        return found + seen

    assert_same_values(*run(program, device))


def test_jvp_of_views_and_in_place_functions(device: str) -> None:
    """An output viewing an input with a tangent takes a view of that tangent (the input returned as it is, a
    slice); an input modified in place (mark_dirty) has its tangent modified in place, or, without one, takes the
    jvp's; an input returned as it is but marked non-differentiable keeps the input's tangent. An output viewing an
    input without tangent takes the jvp's as an in-place write, and PyTorch gives the outputs after it none."""

    def program(fw: Any, dev: str) -> list[Any]:
        class AsIs(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def jvp(ctx, x_t):
                return x_t.view_as(x_t)

        class FirstRow(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x[0]

            @staticmethod
            def jvp(ctx, x_t):
                return x_t[0]

        class Double(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.mark_dirty(x)
                return x.mul_(2)

            @staticmethod
            def jvp(ctx, x_t):
                return x_t.mul_(2)

        class TimesInPlace(fw.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                ctx.mark_dirty(a)
                ctx.save_for_forward(a, b)
                return a.mul_(b)

            @staticmethod
            def jvp(ctx, a_t, b_t):
                return b_t * 3

        class NonDifferentiable(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.mark_non_differentiable(x)
                return x

            @staticmethod
            def jvp(ctx, x_t):
                return None

        class RowOfTheOther(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x, other):
                return other[0], x * 2

            @staticmethod
            def jvp(ctx, x_t, other_t):
                return x_t[0] * 2, x_t * 2

        with fw.autograd.forward_ad.dual_level():
            found = unpacked(fw, AsIs.apply(dual_of(fw, dev)), FirstRow.apply(dual_of(fw, dev)),
                             Double.apply(dual_of(fw, dev).clone()),
                             TimesInPlace.apply(fw.tensor(XD, device=dev), dual_of(fw, dev)),
                             NonDifferentiable.apply(dual_of(fw, dev)),
                             *RowOfTheOther.apply(dual_of(fw, dev), fw.tensor(XD, device=dev)))
            plain = fw.tensor(XD, device=dev)
            found.append(AsIs.apply(plain) is plain)
        return found

    assert_same_values(*run(program, device))


def test_jvp_through_func_transforms(device: str) -> None:
    """func.jvp runs the Function's jvp (torch.func wants setup_context)."""

    def program(fw: Any, dev: str) -> list[Any]:
        class Cube(fw.autograd.Function):
            @staticmethod
            def forward(x):
                return x ** 3

            @staticmethod
            def setup_context(ctx, inputs, output):
                ctx.save_for_forward(inputs[0])
                ctx.save_for_backward(inputs[0])

            @staticmethod
            def jvp(ctx, x_t):
                x, = ctx.saved_tensors
                return 3 * x ** 2 * x_t

            @staticmethod
            def backward(ctx, grad):
                x, = ctx.saved_tensors
                return 3 * x ** 2 * grad

        x, t = (fw.tensor(a, device=dev) for a in (XD, T))
        return list(fw.func.jvp(Cube.apply, (x,), (t,)))

    assert_same_values(*run(program, device))


def _jvp_error(forward: Callable[..., Any], jvp: Callable[..., Any] | None, dirty: bool = False,
               setup_context: Callable[..., Any] | None = None) -> Program:
    """A program applying a one-input Function (forward and jvp as given, backward the identity) to a dual tensor."""

    def program(fw: Any, dev: str) -> None:
        methods: dict[str, Any] = {"backward": staticmethod(lambda ctx, *grads: grads)}
        if setup_context is None:
            methods["forward"] = staticmethod(lambda ctx, x: forward(fw, ctx, x))
        else:
            methods["forward"] = staticmethod(lambda x: forward(fw, None, x))
            methods["setup_context"] = staticmethod(setup_context)
        if jvp is not None:
            methods["jvp"] = staticmethod(lambda ctx, x_t: jvp(fw, x_t))
        function = type("Bad", (fw.autograd.Function,), methods)
        with fw.autograd.forward_ad.dual_level():
            x = dual_of(fw, dev)
            function.apply(x.clone() if dirty else x)

    return program


def _dirty_double(fw: Any, ctx: Any, x: Any) -> Any:
    ctx.mark_dirty(x)
    return x.mul_(2)


def _non_differentiable(fw: Any, ctx: Any, x: Any) -> Any:
    y = x * 2
    ctx.mark_non_differentiable(y)
    return y


def _doubled_then_cloned(fw: Any, x_t: Any) -> Any:
    x_t.mul_(2)
    return x_t.clone()


def _tangent_view_of_another(fw: Any, dev: str) -> None:
    """The input's tangent is a view (of a bigger tensor: so is the primal, else PyTorch would store a copy); jvp
    returns a view of a copy of it."""
    class FirstRow(fw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x[0]

        @staticmethod
        def jvp(ctx, x_t):
            return x_t.clone()[0]

    with fw.autograd.forward_ad.dual_level():
        primal, tangent = (fw.tensor(np.concatenate([a, a]), dtype=fw.float64, device=dev)[:2] for a in (XD, T))
        FirstRow.apply(fw.autograd.forward_ad.make_dual(primal, tangent))


def _saves_for_forward(fw: Any, ctx: Any, x: Any) -> Any:
    ctx.save_for_forward(x, 3)
    return x * 2


JVP_ERRORS: dict[str, Program] = {
    "no jvp": _jvp_error(lambda fw, ctx, x: x * 2, None),
    "too many": _jvp_error(lambda fw, ctx, x: x * 2, lambda fw, x_t: (x_t, x_t)),
    "too few": _jvp_error(lambda fw, ctx, x: (x * 2, x * 3), lambda fw, x_t: x_t),
    "not a tensor": _jvp_error(lambda fw, ctx, x: x * 2, lambda fw, x_t: 3.0),
    "a list": _jvp_error(lambda fw, ctx, x: (x * 2, x), lambda fw, x_t: (x_t, [x_t])),
    "shape": _jvp_error(lambda fw, ctx, x: x * 2, lambda fw, x_t: x_t[0]),
    "for an integer output": _jvp_error(lambda fw, ctx, x: (x * 2).long(), lambda fw, x_t: x_t),
    "for a non-differentiable output": _jvp_error(_non_differentiable, lambda fw, x_t: x_t),
    "a dual tangent": _jvp_error(lambda fw, ctx, x: x * 2, lambda fw, x_t: fw.autograd.forward_ad.make_dual(
        x_t.clone(), x_t.clone())),
    "input as is, no view": _jvp_error(lambda fw, ctx, x: x, lambda fw, x_t: x_t * 1),
    "view, no view": _jvp_error(lambda fw, ctx, x: x[0], lambda fw, x_t: x_t[0].clone()),
    "view of another tensor": _jvp_error(lambda fw, ctx, x: x[0], lambda fw, x_t: x_t.clone()[0]),
    "view of another base": _tangent_view_of_another,
    "in place, tangent not": _jvp_error(_dirty_double, lambda fw, x_t: x_t * 2, dirty=True),
    "in place, another tensor": _jvp_error(_dirty_double, lambda fw, x_t: x_t.mul_(2).view_as(x_t), dirty=True),
    "in place, then copied": _jvp_error(_dirty_double, _doubled_then_cloned, dirty=True),
    "save_for_forward of a number": _jvp_error(_saves_for_forward, lambda fw, x_t: x_t),
    "setup_context saves an input returned as is": _jvp_error(
        lambda fw, ctx, x: x, lambda fw, x_t: x_t.view_as(x_t),
        setup_context=lambda ctx, inputs, output: ctx.save_for_forward(inputs[0])),
}


@pytest.mark.parametrize("case", JVP_ERRORS)
def test_jvp_errors(case: str, device: str) -> None:
    assert_same_error(JVP_ERRORS[case], device)


def test_jvp_returning_none_for_a_differentiable_output() -> None:
    """PyTorch fails on an internal assert (its message names its C++ source); minigrad raises the same type."""
    program = _jvp_error(lambda fw, ctx, x: x * 2, lambda fw, x_t: None)
    ours, theirs = error_of(program, minigrad, "cpu"), error_of(program, torch, "cpu")
    assert type(ours) is type(theirs) is RuntimeError
    assert "INTERNAL ASSERT FAILED" in str(theirs) and "returned None at position 0" in str(ours)


def test_public_names() -> None:
    assert minigrad.autograd.Function is minigrad.autograd.function.Function
    for name in minigrad.autograd.function.__all__:
        assert hasattr(torch.autograd.function, name), name
