"""A finite-difference gradient checker: an oracle for backward that needs no PyTorch.

For a random cotangent v, the analytic gradient of <v, f(x)> (from backward) must equal its numeric
central difference, (<v, f(x + eps e_i)> - <v, f(x - eps e_i)>) / 2 eps, at every element i of every input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


class GradcheckError(AssertionError):
    """An analytic gradient that disagrees with the finite-difference one."""


def _vjp_value(out: Any, v: Any) -> float:
    """<v, out> as a Python float."""
    return (out.detach() * v).sum().item()


def gradcheck(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check ``fn``'s gradients at ``inputs`` (float64 tensors) against central differences.

    Every input that requires grad is perturbed element by element. Returns True, or raises
    ``GradcheckError`` naming the op, the input, the element, and both values.
    """
    inputs = list(inputs)
    checked = [i for i, x in enumerate(inputs) if getattr(x, "requires_grad", False)]
    for i in checked:
        if inputs[i].dtype.name != "float64":
            raise ValueError(f"gradcheck needs float64 inputs; input {i} is {inputs[i].dtype!r}")
    out = fn(*inputs)
    v = type(out)(np.random.default_rng(seed).standard_normal(out.shape), dtype=out.dtype)
    for i in checked:
        inputs[i].grad = None
    out.backward(v)
    op = out.grad_fn.name() if out.grad_fn is not None else getattr(fn, "__name__", "fn")
    for i in checked:
        x = inputs[i].detach().numpy()
        grad = inputs[i].grad
        analytic = np.zeros(x.shape) if grad is None else grad.numpy()
        for index in np.ndindex(x.shape):
            saved = x[index]
            x[index] = saved + eps
            plus = _vjp_value(fn(*inputs), v)
            x[index] = saved - eps
            minus = _vjp_value(fn(*inputs), v)
            x[index] = saved
            numeric = (plus - minus) / (2 * eps)
            if not abs(analytic[index] - numeric) <= atol + rtol * abs(numeric):
                raise GradcheckError(
                    f"gradcheck failed for {op}: input {i}, element {index}: "
                    f"analytic {analytic[index]!r} vs numeric {numeric!r}"
                )
    return True
