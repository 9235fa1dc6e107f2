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


def test_public_names() -> None:
    assert minigrad.autograd.Function is minigrad.autograd.function.Function
    for name in minigrad.autograd.function.__all__:
        assert hasattr(torch.autograd.function, name), name
