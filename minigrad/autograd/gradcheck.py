"""Finite-difference gradient checkers: oracles for backward that need no PyTorch.

``gradcheck``: for a random cotangent v, the analytic gradient of <v, f(x)> (from backward) must equal its numeric
central difference, (<v, f(x + eps e_i)> - <v, f(x - eps e_i)>) / 2 eps, at every element i of every input.
``gradgradcheck``: the same check on the gradient function (x, v) -> d<v, f(x)>/dx, recorded with
``create_graph=True``: the second derivatives against differences of the first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .. import dtypes
from . import api


class GradcheckError(AssertionError):
    """An analytic gradient that disagrees with the finite-difference one."""


def _vjp_value(outputs: tuple[Any, ...], vs: list[Any]) -> float:
    """sum_k <v_k, out_k> as a Python float."""
    return sum((out.detach() * v).sum().item() for out, v in zip(outputs, vs))


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


class Comparison(NamedTuple):
    """One element's analytic and numeric gradient."""

    input: int
    index: tuple[int, ...]
    analytic: float
    numeric: float
    ok: bool


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    *,
    nondet_tol: float = 0.0,
    fast_mode: bool = False,
    check_forward_ad: bool = False,
    check_batched_grad: bool = False,
    seed: int = 0,
    report: bool = False,
) -> bool:
    """Check ``func``'s gradients at ``inputs`` (float64 tensors: one, or a sequence) against central differences.

    ``func`` returns a tensor or a tuple of them. Every input that requires grad is perturbed element by element,
    and each output's random cotangent stays fixed. Returns True; on a mismatch raises ``GradcheckError`` naming the
    op, the input, the element, and both values (returns False instead when not ``raise_exception``).
    ``report=True`` also prints every element's analytic and numeric gradient side by side (a summary for large
    inputs). PyTorch's ``nondet_tol`` and ``fast_mode`` change nothing here: minigrad's backward is deterministic
    and this check always projects on one random cotangent. ``.grad`` is left untouched.
    """
    if check_forward_ad or check_batched_grad:
        raise NotImplementedError("gradcheck: check_forward_ad and check_batched_grad need forward-mode AD and vmap, "
                                  "which minigrad does not have")
    inputs = list(_as_tuple(inputs))
    checked = [i for i, x in enumerate(inputs) if getattr(x, "requires_grad", False)]
    for i in checked:
        if inputs[i].dtype.name != "float64":
            raise ValueError(f"gradcheck needs float64 inputs; input {i} is {inputs[i].dtype!r}")
    outputs = _as_tuple(func(*inputs))
    rng = np.random.default_rng(seed)
    vs = [type(out)(rng.standard_normal(out.shape), dtype=out.dtype) for out in outputs]
    graded = [(out, v) for out, v in zip(outputs, vs) if out.requires_grad]
    found = [None] * len(checked)
    if graded and checked:
        found = api.grad([out for out, _ in graded], [inputs[i] for i in checked], [v for _, v in graded],
                         allow_unused=True)
    op = next((out.grad_fn.name() for out in outputs if out.grad_fn is not None), getattr(func, "__name__", "fn"))
    rows = []
    for i, grad in zip(checked, found):
        x = inputs[i].detach().numpy()
        analytic = np.zeros(x.shape) if grad is None else grad.numpy()
        for index in np.ndindex(x.shape):
            saved = x[index]
            x[index] = saved + eps
            plus = _vjp_value(_as_tuple(func(*inputs)), vs)
            x[index] = saved - eps
            minus = _vjp_value(_as_tuple(func(*inputs)), vs)
            x[index] = saved
            numeric = (plus - minus) / (2 * eps)
            ok = abs(analytic[index] - numeric) <= atol + rtol * abs(numeric)
            rows.append(Comparison(i, index, float(analytic[index]), numeric, ok))
    if report:
        print(render_report(op, rows))
    bad = next((row for row in rows if not row.ok), None)
    if bad is None:
        return True
    if not raise_exception:
        return False
    raise GradcheckError(
        f"gradcheck failed for {op}: input {bad.input}, element {bad.index}: "
        f"analytic {bad.analytic!r} vs numeric {bad.numeric!r}"
    )


def gradgradcheck(
    func: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    fast_mode: bool = False,
    seed: int = 0,
) -> bool:
    """Check ``func``'s second derivatives: ``gradcheck`` of its first-order gradient function
    (x, v) -> d<v, func(x)>/dx, computed with ``create_graph=True``, against central differences of it, in x and in
    the cotangents v (``grad_outputs``, random and requiring grad if not given; non-contiguous for
    ``gen_non_contig_grad_outputs``). Returns True, or raises ``GradcheckError`` (False if not ``raise_exception``).
    """
    tupled_inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outputs = [out for out in _as_tuple(func(*tupled_inputs)) if out.requires_grad]
        rng = np.random.default_rng(seed)
        tupled_grad_outputs = tuple(_random_like(out, rng, gen_non_contig_grad_outputs) for out in outputs)
    else:
        tupled_grad_outputs = _as_tuple(grad_outputs)
    num_outputs = len(tupled_grad_outputs)
    diff_inputs = {i for i, x in enumerate(tupled_inputs) if getattr(x, "requires_grad", False)}

    def first_order(*args: Any) -> tuple[Any, ...]:
        xs, vs = args[:-num_outputs], args[-num_outputs:]
        outputs = [out for out in _as_tuple(func(*xs)) if out.requires_grad]
        grads = api.grad(outputs, [xs[i] for i in sorted(diff_inputs)], vs, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_order, tupled_inputs + tupled_grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol, fast_mode=fast_mode, seed=seed + 1)


def _random_like(out: Any, rng: np.random.Generator, non_contiguous: bool) -> Any:
    """Uniform in [-1, 1), out's shape and dtype (float64 for an integer output), requiring grad; every other
    element of a buffer twice as long for ``non_contiguous``, as torch.testing.make_tensor does."""
    dtype = out.dtype if out.is_floating_point() else dtypes.float64
    values = rng.uniform(-1, 1, out.shape)
    if not non_contiguous or out.numel() <= 1:
        return type(out)(values, dtype=dtype).requires_grad_()
    wide = np.zeros((*out.shape[:-1], 2 * out.shape[-1]))
    wide[..., ::2] = values
    return type(out)(wide, dtype=dtype)[..., ::2].detach().requires_grad_()


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
