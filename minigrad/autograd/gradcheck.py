"""A finite-difference gradient checker: an oracle for backward that needs no PyTorch.

For a random cotangent v, the analytic gradient of <v, f(x)> (from backward) must equal its numeric
central difference, (<v, f(x + eps e_i)> - <v, f(x - eps e_i)>) / 2 eps, at every element i of every input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np


class GradcheckError(AssertionError):
    """An analytic gradient that disagrees with the finite-difference one."""


def _vjp_value(out: Any, v: Any) -> float:
    """<v, out> as a Python float."""
    return (out.detach() * v).sum().item()


class Comparison(NamedTuple):
    """One element's analytic and numeric gradient."""

    input: int
    index: tuple[int, ...]
    analytic: float
    numeric: float
    ok: bool


def gradcheck(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
    report: bool = False,
) -> bool:
    """Check ``fn``'s gradients at ``inputs`` (float64 tensors) against central differences.

    Every input that requires grad is perturbed element by element. Returns True, or raises
    ``GradcheckError`` naming the op, the input, the element, and both values. ``report=True`` also prints
    every element's analytic and numeric gradient side by side (a summary for large inputs).
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
    rows = []
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
            ok = abs(analytic[index] - numeric) <= atol + rtol * abs(numeric)
            rows.append(Comparison(i, index, float(analytic[index]), numeric, ok))
    if report:
        print(render_report(op, rows))
    bad = next((row for row in rows if not row.ok), None)
    if bad is not None:
        raise GradcheckError(
            f"gradcheck failed for {op}: input {bad.input}, element {bad.index}: "
            f"analytic {bad.analytic!r} vs numeric {bad.numeric!r}"
        )
    return True


def render_report(op: str, rows: list[Comparison], most: int = 12) -> str:
    """The comparison as a table: every element for small inputs, else the worst ``most`` of them."""
    worst = sorted(rows, key=lambda r: -abs(r.analytic - r.numeric))[:most] if len(rows) > most else rows
    lines = [f"gradcheck of {op}: {sum(r.ok for r in rows)} of {len(rows)} elements agree "
             "(analytic = from backward, numeric = central difference)",
             f"{'input':>5}  {'element':<12} {'analytic':>14} {'numeric':>14} {'|diff|':>10}"]
    lines += [f"{r.input:>5}  {r.index!s:<12} {r.analytic:>14.8g} {r.numeric:>14.8g} "
              f"{abs(r.analytic - r.numeric):>10.2g} {'ok' if r.ok else 'WRONG'}" for r in worst]
    if len(rows) > most:
        lines.append(f"(the {most} largest differences of {len(rows)} shown)")
    return "\n".join(lines)
