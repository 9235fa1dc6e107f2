"""float16 behaves as PyTorch's half on the CPU: computed in float32 ("opmath") and rounded once per op.

- Names and limits: ``float16``/``half``, ``.half()``, ``HalfTensor``, ``x.type()``, ``finfo(float16)``.
- Creation, conversion (double -> float -> half, as PyTorch rounds), overflow to inf, printing (``str``/``repr``).
- Ops, forward and gradients, on random inputs: bit for bit where PyTorch too computes in float32 and rounds once
  (``EXACT``); within ``ULPS[op]`` units in the last place of float16, measured at the tensor's largest magnitude,
  where PyTorch's kernel or backward formula rounds to half more than once or sums in another order (``CLOSE``).
- Gradients of float16 leaves are float16; ``model.half()``/``Module.to(float16)``; a float16 linear model trained
  by hand (``w -= lr * w.grad``) is PyTorch's bit for bit, epoch by epoch; SGD and Adam steps (computed in float32
  per element and rounded when stored) stay within the units measured below.
- What minigrad refuses for float16 (linspace, logspace) says so, naming the dtype.

Every expected value is torch's, computed in the test, on each device of the ``device`` fixture.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import dtype_name, numpy_of

import minigrad


def ulps(actual: np.ndarray, expected: np.ndarray) -> float:
    """The largest |actual - expected| in units of float16's spacing at ``expected``'s largest magnitude."""
    expected = expected.astype(np.float32)
    if expected.size == 0:
        return 0.0
    scale = np.spacing(np.float16(np.abs(expected).max())).astype(np.float32)
    return float(np.abs(actual.astype(np.float32) - expected).max() / scale)


def run(fw: Any, compute: Callable[..., Any], device: str, arrays: list[np.ndarray],
        grad: np.ndarray) -> list[np.ndarray]:
    """compute(fw, *leaves) on float16 leaves made from ``arrays``, then its gradients for ``grad``: the values."""
    leaves = [fw.tensor(a, requires_grad=True, **({"device": device} if fw is torch else {})) for a in arrays]
    y = compute(fw, *leaves)
    seed = fw.tensor(grad[:y.numel()].reshape(tuple(y.shape)), **({"device": device} if fw is torch else {}))
    y.backward(seed)
    assert dtype_name(y) == "float16"
    for leaf in leaves:
        assert dtype_name(leaf.grad) == "float16"
    return [numpy_of(y), *[numpy_of(leaf.grad) for leaf in leaves]]


def cross_entropy(fw: Any, a: Any, b: Any) -> Any:
    return fw.nn.functional.cross_entropy(a * b, fw.tensor([0, 3, 1, 4], device=a.device if fw is torch else None))


EXACT = {
    "add": lambda fw, a, b: a + b,
    "sub": lambda fw, a, b: a - b,
    "mul": lambda fw, a, b: a * b,
    "add-number": lambda fw, a, b: a + 0.1 + b,
    "mul-number": lambda fw, a, b: a * 0.1 + b,
    "div-number": lambda fw, a, b: a / 3 + b,
    "number-mul": lambda fw, a, b: 0.1 * a + b,
    "matmul": lambda fw, a, b: a @ b.T,
    "sum": lambda fw, a, b: (a * b).sum(),
    "sum-dim": lambda fw, a, b: (a * b).sum(1),
    "mean": lambda fw, a, b: (a * b).mean(),
    "exp": lambda fw, a, b: a.exp() * b,
    "log": lambda fw, a, b: a.abs().log() * b,
    "tanh": lambda fw, a, b: a.tanh() * b,
    "relu": lambda fw, a, b: a.relu() * b,
    "sqrt": lambda fw, a, b: a.abs().sqrt() * b,
    "softmax": lambda fw, a, b: a.softmax(1) * b,
    "linear": lambda fw, a, b: fw.nn.functional.linear(a, b, b[:, 0]),
    "reshape-transpose-index": lambda fw, a, b: a.T.reshape(20)[::3] * b.reshape(20)[:7],
    "cat-stack": lambda fw, a, b: fw.stack([fw.cat([a, b]), fw.cat([b, a])]),
    "where-max": lambda fw, a, b: fw.where(a > 0, a, b).max(1).values,
}

CLOSE = {  # op: (compute, the largest difference measured, in float16 units at the tensor's scale)
    "div": (lambda fw, a, b: a / b, 1),  # backward: PyTorch rounds (a / b) / b to half twice
    "number-div": (lambda fw, a, b: 3 / a + b, 1),  # backward: PyTorch rounds -grad * (r * r) to half twice
    "sigmoid": (lambda fw, a, b: a.sigmoid() * b, 1),
    "log_softmax": (lambda fw, a, b: fw.nn.functional.log_softmax(a, 1) * b, 1),
    "cross_entropy": (cross_entropy, 1),
    "mse_loss": (lambda fw, a, b: fw.nn.functional.mse_loss(a, b), 1),
    "layer_norm": (lambda fw, a, b: fw.nn.functional.layer_norm(a, (5,)) * b, 2),
    "var": (lambda fw, a, b: (a * b).var(1), 1),
    "prod": (lambda fw, a, b: (a * b).prod(1), 2),  # PyTorch multiplies in half, rounding each product
}


def _inputs(seed: int) -> tuple[list[np.ndarray], np.ndarray]:
    rng = np.random.default_rng(seed)
    a, b = (rng.standard_normal((4, 5)).astype(np.float16) for _ in range(2))
    return [a, b + np.float16(0.5) * np.sign(b)], rng.standard_normal(128).astype(np.float16)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("compute", EXACT.values(), ids=EXACT.keys())
def test_ops_bit_for_bit(compute: Callable[..., Any], seed: int, device: str) -> None:
    arrays, grad = _inputs(seed)
    expected = run(torch, compute, device, arrays, grad)
    actual = run(minigrad, compute, device, arrays, grad)
    for what, a, e in zip(("forward", "grad a", "grad b"), actual, expected):
        np.testing.assert_array_equal(a, e, err_msg=what)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", CLOSE)
def test_ops_within_half_rounding(name: str, seed: int, device: str) -> None:
    compute, allowed = CLOSE[name]
    arrays, grad = _inputs(seed)
    expected = run(torch, compute, device, arrays, grad)
    actual = run(minigrad, compute, device, arrays, grad)
    for what, a, e in zip(("forward", "grad a", "grad b"), actual, expected):
        assert ulps(a, e) <= allowed, f"{what}: {ulps(a, e)} units of float16 from torch"


CREATIONS = {
    "tensor": lambda fw: fw.tensor([0.1, 1 / 3, 2.5, -7.0], dtype=fw.float16),
    "beyond-range-is-inf": lambda fw: fw.tensor([70000.0, -1e6, 65504.0], dtype=fw.half),
    "from-float64-through-float32": lambda fw: fw.tensor(np.float64(1) + 2.0 ** -11 + 2.0 ** -40).half(),
    "half-method": lambda fw: fw.tensor([1.0001, 2.5]).half(),
    "type-dtype": lambda fw: fw.tensor([1.5, 2.5]).type(fw.float16),
    "type-name": lambda fw: fw.tensor([1.5, 2.5]).type("torch.HalfTensor"),
    "to": lambda fw: fw.arange(6).to(fw.float16),
    "legacy-class": lambda fw: fw.HalfTensor([1, 2]),
    "zeros": lambda fw: fw.zeros(2, 3, dtype=fw.half),
    "full": lambda fw: fw.full((2,), 0.1, dtype=fw.float16),
    "arange": lambda fw: fw.arange(0, 1, 0.1, dtype=fw.float16),
    "back-to-float": lambda fw: fw.tensor([0.1], dtype=fw.float16).float(),
    "to-int": lambda fw: fw.tensor([2.7, -3.9], dtype=fw.float16).long(),
    "promoted-by-float32": lambda fw: fw.tensor([0.1], dtype=fw.float16) * fw.tensor([3.0]),
    "kept-by-int": lambda fw: fw.tensor([0.1], dtype=fw.float16) * fw.tensor([3]),
    "kept-by-0d-float32": lambda fw: fw.tensor([0.1], dtype=fw.float16) + fw.tensor(0.1),
    "overflow": lambda fw: fw.tensor([300.0], dtype=fw.float16) * 300,
    "in-place": lambda fw: fw.tensor([0.1, 0.2], dtype=fw.float16).add_(0.1).mul_(3).sub_(fw.ones(2), alpha=0.3),
    "setitem": lambda fw: _set(fw.zeros(3, dtype=fw.float16)),
    "isfinite": lambda fw: (fw.tensor([1.0, 0.0], dtype=fw.float16) / 0).isfinite(),
    "dropout": lambda fw: (fw.manual_seed(0), fw.nn.functional.dropout(fw.ones(10, dtype=fw.float16), 0.3))[1],
}


def _set(x: Any) -> Any:
    x[1] = 0.1
    x[2:] = x[1] * 3
    return x


@pytest.mark.parametrize("make", CREATIONS.values(), ids=CREATIONS.keys())
def test_creation_and_conversion_match_torch(make: Callable[[Any], Any], device: str) -> None:
    with torch.device(device):
        expected = make(torch)
    actual = make(minigrad)
    assert dtype_name(actual) == dtype_name(expected)
    np.testing.assert_array_equal(numpy_of(actual), numpy_of(expected))


PRINTED = {
    "small": lambda fw: fw.tensor([1.0, 2.0], dtype=fw.float16),
    "fractions": lambda fw: fw.tensor([0.1, 1 / 3, -2.5], dtype=fw.float16),
    "large": lambda fw: fw.tensor([[1000.0, 65504.0], [-3.0, 0.5]], dtype=fw.float16),
    "tiny": lambda fw: fw.tensor([1e-4, 3e-5], dtype=fw.float16),
    "special": lambda fw: fw.tensor([float("inf"), float("nan"), -0.0], dtype=fw.float16),
    "scalar": lambda fw: fw.tensor(0.1, dtype=fw.float16),
    "with-grad": lambda fw: fw.ones(2, dtype=fw.half, requires_grad=True) * 2,
}


@pytest.mark.parametrize("make", PRINTED.values(), ids=PRINTED.keys())
def test_printing_matches_torch(make: Callable[[Any], Any]) -> None:
    """On the CPU only: a CUDA tensor prints its device, which minigrad's never have."""
    assert repr(make(minigrad)) == repr(make(torch)).replace("torch.", "minigrad.")
    assert str(make(minigrad)) == str(make(torch)).replace("torch.", "minigrad.")


def test_names_and_limits_are_torchs() -> None:
    assert minigrad.half is minigrad.float16
    assert repr(minigrad.float16) == "minigrad.float16"
    assert minigrad.ones(1).half().type() == "minigrad.HalfTensor"
    assert isinstance(minigrad.ones(1).half(), minigrad.HalfTensor)
    assert minigrad.ones(1).half().element_size() == 2
    assert minigrad.ones(1).half().is_floating_point()
    assert repr(minigrad.finfo(minigrad.float16)) == repr(torch.finfo(torch.float16))
    info, expected = minigrad.finfo(minigrad.half), torch.finfo(torch.half)
    assert (info.bits, info.eps, info.max, info.min, info.tiny) == (
        expected.bits, expected.eps, expected.max, expected.min, expected.tiny)
    assert minigrad.promote_types(minigrad.float16, minigrad.int8) is minigrad.float16


def test_modules_convert_to_half(device: str) -> None:
    model = minigrad.nn.Sequential(minigrad.nn.Linear(3, 4), minigrad.nn.ReLU(), minigrad.nn.Linear(4, 1))
    assert model.half() is model
    assert all(p.dtype is minigrad.float16 for p in model.parameters())
    model.to(minigrad.float32).to(minigrad.float16)
    assert all(p.dtype is minigrad.float16 for p in model.parameters())
    model(minigrad.ones(2, 3, dtype=minigrad.half)).sum().backward()
    assert all(p.grad.dtype is minigrad.float16 for p in model.parameters())


def _train(fw: Any, device: str, step: Callable[[Any, Any], None] | None, optimizer: str = "",
           **options: Any) -> list[list[np.ndarray]]:
    """A float16 linear model fitted by mean squared error for 15 epochs: each epoch's loss, weight and bias."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 3)).astype(np.float16)
    y = (x @ np.array([[1.5], [-2.0], [0.5]], np.float16) + np.float16(0.3)).astype(np.float16)
    on = {"device": device} if fw is torch else {}
    model = fw.nn.Linear(3, 1)
    with fw.no_grad():
        model.weight.copy_(fw.tensor(rng.standard_normal((1, 3)).astype(np.float32)))
        model.bias.zero_()
    model = model.half().to(**on)
    opt = getattr(fw.optim, optimizer)(model.parameters(), **options) if optimizer else None
    inputs, targets = fw.tensor(x, **on), fw.tensor(y, **on)
    history = []
    for _ in range(15):
        loss = ((model(inputs) - targets) ** 2).mean()  # (mse_loss: PyTorch rounds the squares to half first)
        model.zero_grad()
        loss.backward()
        if opt is not None:
            opt.step()
        else:
            with fw.no_grad():
                for p in model.parameters():
                    step(p, p.grad)
        history.append([numpy_of(t) for t in (loss, model.weight, model.bias)])
    return history


def test_training_by_hand_is_torchs_bit_for_bit(device: str) -> None:
    def step(p: Any, g: Any) -> None:
        p -= 0.05 * g

    for epoch, (actual, expected) in enumerate(zip(_train(minigrad, device, step), _train(torch, device, step))):
        for what, a, e in zip(("loss", "weight", "bias"), actual, expected):
            np.testing.assert_array_equal(a, e, err_msg=f"epoch {epoch}: {what}")


OPTIMIZERS = {  # (optimizer, its options, the largest difference measured over the run, in float16 units)
    "SGD": ("SGD", {"lr": 0.05}, 4),
    "Adam": ("Adam", {"lr": 0.01}, 2),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizers_step_float16_within_half_rounding(name: str, device: str) -> None:
    """PyTorch's half step rounds some intermediates (SGD's alpha, Adam's averages) to half where minigrad's
    float32 kernel keeps them: the runs stay within a few units of float16 over 15 epochs."""
    optimizer, options, allowed = OPTIMIZERS[name]
    actual = _train(minigrad, device, None, optimizer, **options)
    expected = _train(torch, device, None, optimizer, **options)
    for epoch, (a_epoch, e_epoch) in enumerate(zip(actual, expected)):
        for what, a, e in zip(("loss", "weight", "bias"), a_epoch, e_epoch):
            assert a.dtype == e.dtype == np.float16
            assert ulps(a, e) <= allowed, f"epoch {epoch}: {what}: {ulps(a, e)} units of float16 from torch"


@pytest.mark.parametrize("function", ["linspace", "logspace"])
def test_what_minigrad_refuses_names_the_dtype(function: str) -> None:
    with pytest.raises(NotImplementedError, match="float16"):
        getattr(minigrad, function)(0, 1, 5, dtype=minigrad.float16)
