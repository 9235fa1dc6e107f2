"""Every differentiable op's backward against finite differences: a second oracle that needs no torch. Then
``gradcheck`` itself against PyTorch's: the calls it makes, its warnings, its errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from op_cases import CASES, Case, resolve, sample
from torch.autograd.gradcheck import GradcheckError as TorchGradcheckError

import minigrad
from minigrad.autograd import GradcheckError, gradcheck
from minigrad.ops.registry import REGISTRY


def _checkable(case: Case) -> bool:
    """Cases whose op is differentiable at the sampled inputs (ties make max/min kinked)."""
    op = REGISTRY[case.op]
    return op.differentiable and case.gradcheck and not case.discrete and all(np.prod(s) > 0 for s in case.shapes)


CHECKED = [case for case in CASES if _checkable(case) and case.op != "ToCopy"]


@pytest.mark.parametrize("case", CHECKED, ids=lambda c: c.id)
def test_backward_matches_finite_differences(case: Case) -> None:
    fn = resolve(REGISTRY[case.op].torch, minigrad)
    inputs = [minigrad.tensor(x, requires_grad=True) for x in sample(case, "float64")]

    graded = REGISTRY[case.op].differentiable_outputs
    rng = np.random.default_rng(case.seed)

    def f(*xs: minigrad.Tensor) -> minigrad.Tensor:
        out = case.call(fn, xs, minigrad)
        if not isinstance(out, tuple) or graded == 1:
            return out[0] if isinstance(out, tuple) else out
        # several differentiable outputs: one value that depends on each, sum_i <w_i, out_i> with fixed weights w_i
        weights.extend(rng.standard_normal(tuple(o.shape)) for o in out[len(weights):graded])
        terms = [(o * minigrad.tensor(w, dtype=o.dtype)).sum() for o, w in zip(out[:graded], weights)]
        return sum(terms[1:], terms[0])

    weights: list[np.ndarray] = []

    assert gradcheck(f, inputs)


def test_every_differentiable_op_is_gradchecked() -> None:
    differentiable = {name for name, op in REGISTRY.items() if op.differentiable} - {"ToCopy"}
    assert differentiable <= {case.op for case in CHECKED}


def _torch_text(text: str) -> str:
    """minigrad's printout of a tensor as PyTorch's reads (dtypes print as ``minigrad.float64``)."""
    return text.replace("minigrad.", "torch.")


def test_gradcheck_failure_names_op_input_index_and_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong backward of a built-in op: PyTorch's message, both Jacobians, those PyTorch computes for a custom
    Function with the same wrong backward."""
    from minigrad.ops.pointwise import Mul

    def wrong_backward(ctx, grad):
        return grad, grad  # forgets the other factor

    monkeypatch.setattr(Mul, "backward", staticmethod(wrong_backward))
    values = ([[1.0, 2.0]], [[3.0, 5.0]])
    a, b = (minigrad.tensor(v, dtype=minigrad.float64, requires_grad=True) for v in values)
    with pytest.raises(GradcheckError) as ours:
        gradcheck(lambda x, y: x * y, [a, b])

    class WrongMul(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    with pytest.raises(TorchGradcheckError) as theirs:
        torch.autograd.gradcheck(WrongMul.apply, [torch.tensor(v, dtype=torch.float64, requires_grad=True)
                                                  for v in values])
    assert str(ours.value).startswith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor(")
    assert _torch_text(str(ours.value)) == str(theirs.value)
    assert isinstance(ours.value, RuntimeError)


def test_gradcheck_warns_for_float32_as_pytorch_does() -> None:
    """Not float64: PyTorch warns (its text, UserWarning) and checks anyway; here too."""
    def check(fw, **tolerances):
        x = fw.tensor([1.0, 2.0], requires_grad=True)
        with pytest.warns(UserWarning) as caught:
            assert fw.autograd.gradcheck(lambda c, t: c * t * t, (fw.ones(1), x), **tolerances)
        return [(w.category, str(w.message)) for w in caught]

    ours, theirs = check(minigrad, eps=1e-3, atol=1e-2), check(torch, eps=1e-3, atol=1e-2)
    assert ours == theirs and "Input #1 requires gradient" in theirs[0][1]


def _counting(fw, log: list[str]):
    """x * y and x + y as a custom Function that logs each forward (F) and backward (B) call."""

    class Two(fw.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            log.append("F")
            ctx.save_for_backward(x, y)
            return x * y, x + y

        @staticmethod
        def backward(ctx, g1, g2):
            log.append("B")
            x, y = ctx.saved_tensors
            return y * g1 + g2, x * g1 + g2

    return Two


OPTIONS = [{}, {"check_undefined_grad": False}, {"fast_mode": True}, {"check_batched_grad": True}]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: ",".join(o) or "default")
@pytest.mark.parametrize("outputs", [1, 2])
def test_gradcheck_calls_forward_and_backward_as_pytorch_does(options: dict, outputs: int, device: str) -> None:
    """The whole Jacobian, column by column and row by row (or fast mode's one projection): the same calls of a
    custom Function's forward and backward, in the same order, in gradcheck and gradgradcheck."""
    def calls(fw, dev=None):
        log: list[str] = []
        two = _counting(fw, log).apply
        f = two if outputs == 2 else (lambda x, y: two(x, y)[0])
        kw = {"device": dev} if dev else {}
        inputs = (fw.tensor([1.0, 2.0], dtype=fw.float64, requires_grad=True, **kw),
                  fw.tensor([[4.0, 5.0, 6.0]], dtype=fw.float64, requires_grad=True, **kw)[0, 1:])
        fw.manual_seed(3)
        first = fw.autograd.gradcheck(f, inputs, **options), "".join(log)
        log.clear()
        if options.get("check_batched_grad"):  # (PyTorch's vmap runs one more backward: minigrad has none)
            return first, fw.rand(3).tolist()
        second = fw.autograd.gradgradcheck(f, inputs, **options), "".join(log)
        return first, second, fw.rand(3).tolist()  # both draw the same random numbers, if any

    ours, theirs = calls(minigrad), calls(torch, device)
    if options.get("check_batched_grad"):  # PyTorch's vmapped backward follows each output's two: take it out
        batched = "BBB" * outputs
        assert batched in theirs[0][1]
        theirs = ((theirs[0][0], theirs[0][1].replace(batched, "BB" * outputs, 1)), theirs[1])
    assert ours == theirs


def test_gradcheck_fast_mode_message_as_pytorch_s() -> None:
    """Fast mode projects on PyTorch's random vectors: the same two numbers in its message, then the slow Jacobians."""
    def message(fw):
        class Wrong(fw.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, g):
                return g

        x = fw.tensor([1.0, 2.0, -0.5], dtype=fw.float64, requires_grad=True)
        assert fw.autograd.gradcheck(Wrong.apply, x, fast_mode=True, raise_exception=False) is False
        with pytest.raises(RuntimeError) as caught:
            fw.autograd.gradcheck(Wrong.apply, x, fast_mode=True)
        return str(caught.value)

    ours, theirs = message(minigrad), message(torch)
    assert "in fast mode" in theirs and _torch_text(ours) == theirs


@pytest.mark.parametrize("case", ["no input requires grad", "stride 0", "no differentiable output",
                                  "neither mode", "zero gradient not zero"])
def test_gradcheck_errors_as_pytorch_s(case: str) -> None:
    def outcome(fw):
        x = fw.tensor([1.0, 2.0], dtype=fw.float64, requires_grad=True)
        call = {
            "no input requires grad": lambda: fw.autograd.gradcheck(lambda t: t * 2, (x.detach(),)),
            "stride 0": lambda: fw.autograd.gradcheck(
                lambda t: t.sum(), (fw.ones(3, dtype=fw.float64).expand(2, 3).requires_grad_(),)),
            "no differentiable output": lambda: fw.autograd.gradcheck(lambda t: t.detach() * 2, x),
            "neither mode": lambda: fw.autograd.gradcheck(lambda t: t, x, check_backward_ad=False),
            "zero gradient not zero": lambda: fw.autograd.gradcheck(_plus_one(fw).apply, x),
        }[case]
        try:
            return call()
        except Exception as e:  # (the outcome compared is the exception itself)
            return type(e).__name__, _torch_text(str(e))

    assert outcome(minigrad) == outcome(torch)


def _plus_one(fw):
    """x + x²/2, whose backward adds 1 where the whole output gradient is zero: its Jacobian is right, but it does
    not send zeros for zero gradients."""

    class PlusOne(fw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x + x * x / 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * (1 + x) + (g.abs().sum() == 0).to(g.dtype)

    return PlusOne
