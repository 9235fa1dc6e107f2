"""Finite-difference gradient checkers, run as PyTorch runs them: oracles for backward that need no PyTorch.

``gradcheck`` (PyTorch's default, slow mode) builds the whole Jacobian of every output with respect to every input
that requires grad, twice over: numerically, a column per input element, from central differences
(f(x + eps e_k) - f(x - eps e_k)) / 2 eps, and analytically, a row per output element, from backward with a one-hot
gradient (run twice: a backward that gives different values the second time is not reentrant). The two must agree
as ``allclose(analytical, numerical, rtol, atol)``. Then backward with zero gradients must give zeros, also for
"undefined" output gradients (minigrad passes zeros there, which is what a custom Function's backward receives in
PyTorch too). ``fast_mode=True`` compares one number per (input, output) instead, v^T J u for random unit vectors
u, v drawn as PyTorch draws them. The calls of ``func`` and of backward come in PyTorch's number and order, so a
``print`` in a custom Function shows as often as it does there.

``gradgradcheck`` runs ``gradcheck`` on the gradient function (x, v) -> d<v, f(x)>/dx, recorded with
``create_graph=True``: the second derivatives against differences of the first.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .. import dtypes
from . import api


class GradcheckError(RuntimeError):
    """An analytical gradient that disagrees with the finite-difference one (PyTorch's class: a RuntimeError)."""


class Comparison(NamedTuple):
    """One Jacobian entry, d output[out_index] / d input[index]: analytical and numerical, and whether they agree."""

    input: int
    index: tuple[int, ...]
    output: int
    out_index: tuple[int, ...]
    analytic: float
    numeric: float
    ok: bool


_NONDET_NOTE = """\n
NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""

_FAST_FAIL_SLOW_OK = """
Fast gradcheck failed but element-wise differences are small. This means that the
test might've passed in slow_mode!

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck:

If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `fast_mode=False` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_fast_mode=False`
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_fast_mode=False`
""".strip()

_DEFAULT_GENERATOR_SEED = 67280421310721  # a new torch.Generator()'s seed: fast mode draws u and v from one


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def _is_tensor(x: Any) -> bool:
    return hasattr(x, "_grad_edge")


def _differentiable_outputs(x: Any) -> tuple[Any, ...]:
    return tuple(o for o in _as_tuple(x) if o.requires_grad)


def _is_float(t: Any) -> bool:
    return _is_tensor(t) and t.is_floating_point()


def _diff_inputs(inputs: tuple[Any, ...]) -> list[tuple[int, Any]]:
    """(position, tensor) of every input that requires grad."""
    return [(i, x) for i, x in enumerate(inputs) if _is_tensor(x) and x.requires_grad]


def _array(t: Any) -> np.ndarray:
    """A copy of ``t``'s values (what PyTorch's ``clone`` of an output keeps)."""
    return np.array(t.detach().numpy(), copy=True)


def _show(like: Any, array: np.ndarray) -> str:
    """``array`` printed as a tensor (the Jacobians in the error messages)."""
    return str(type(like)._make(np.ascontiguousarray(array)))


def _allclose(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    """``torch.allclose(a, b, rtol, atol)`` after promoting both to one dtype: |a - b| <= atol + rtol |b|."""
    dtype = np.result_type(a, b)
    return bool(np.all(np.isclose(a.astype(dtype), b.astype(dtype), rtol=rtol, atol=atol)))


def _check_inputs(inputs: tuple[Any, ...]) -> None:
    """PyTorch's checks: a warning for each input requiring grad that is not float64, an error for one with a stride
    0 (a perturbed element would move others), and one when no input requires grad."""
    if not _diff_inputs(inputs):
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of them have requires_grad=True.")
    for idx, inp in _diff_inputs(inputs):
        if inp.dtype.name != "float64":
            warnings.warn(f"Input #{idx} requires gradient and is not a double precision floating point or complex. "
                          "This check will likely fail if all the inputs are not of double precision floating point "
                          "or complex. ", stacklevel=2)
        if not all(st > 0 or sz <= 1 for st, sz in zip(inp.stride(), inp.shape)):
            raise RuntimeError(f"The {idx}th input has a dimension with stride 0. gradcheck only supports inputs that "
                               "are non-overlapping to be able to compute the numerical gradients correctly. You "
                               "should call .contiguous on the input before passing it to gradcheck.")


def _same_dtype_and_shape(a: np.ndarray, b: np.ndarray, eps: Any, idx: tuple[int, ...] | None = None) -> None:
    on_index = f"on index {idx} " if idx is not None else ""
    if a.shape != b.shape:
        raise AssertionError(f"Expected `func` to return outputs with the same shape when inputs are perturbed "
                             f"{on_index}by {eps}, but got: shapes {_size(a.shape)} and {_size(b.shape)}.")
    if a.dtype != b.dtype:
        raise AssertionError(f"Expected `func` to return outputs with the same dtype when inputs are perturbed "
                             f"{on_index}by {eps}, but got: dtypes {a.dtype} and {b.dtype}.")


def _size(shape: tuple[int, ...]) -> str:
    return f"torch.Size({list(shape)})"


def _central_difference(func: Callable[..., Any], inputs: tuple[Any, ...], data: np.ndarray, where: Any,
                        step: Any, eps: float, idx: tuple[int, ...] | None) -> list[np.ndarray]:
    """(f(x + step) - f(x - step)) / 2 eps, flat, for every output: ``data[where]`` (an input's values, written in
    place, as PyTorch writes ``x.data``) moved down, then up, then back."""
    orig = data[where].copy()
    data[where] = orig - step
    below = [_array(o) for o in _as_tuple(func(*inputs))]
    data[where] = orig + step
    above = [_array(o) for o in _as_tuple(func(*inputs))]
    data[where] = orig
    columns = []
    for a, b in zip(below, above):
        _same_dtype_and_shape(a, b, eps, idx)
        columns.append(((b - a) / (2 * eps)).reshape(-1))
    return columns


def _numerical_jacobians(func: Callable[..., Any], inputs: tuple[Any, ...], outputs: tuple[Any, ...],
                         eps: float) -> list[list[np.ndarray]]:
    """For each input requiring grad, for each float output: the Jacobian (input elements x output elements),
    a column at a time: two calls of ``func`` per input element, in row-major order."""
    floats = [o for o in outputs if _is_float(o)]
    jacobians = []
    for _, inp in _diff_inputs(inputs):
        data = inp.detach().numpy()
        per_output = [np.zeros((inp.numel(), o.numel()), o.detach().numpy().dtype) for o in floats]
        for k, idx in enumerate(itertools.product(*[range(m) for m in inp.shape])):
            columns = _central_difference(func, inputs, data, idx, eps, eps, idx)
            for jac, column in zip(per_output, columns):
                jac[k] = column
        jacobians.append(per_output)
    return jacobians


def _vjps(output: Any, diff: list[Any], grad_output: np.ndarray) -> list[np.ndarray | None]:
    """d<grad_output, output>/d(each input), as copies (None where the input is unused)."""
    grads = api.grad(output, diff, type(output)._make(grad_output), retain_graph=True, allow_unused=True)
    return [None if g is None else _array(g) for g in grads]


def _stack(rows: list[list[np.ndarray | None]], diff: list[Any], numel_out: int
           ) -> tuple[list[np.ndarray], bool, bool]:
    """Rows of vjps into one (input elements x rows) matrix per input, and whether every vjp had its input's size
    and dtype."""
    sizes_ok = types_ok = True
    jacobians = []
    for inp, per_row in zip(diff, rows):
        jac = np.zeros((inp.numel(), numel_out), inp.detach().numpy().dtype)
        for j, g in enumerate(per_row):
            if g is None:
                continue
            if g.shape != tuple(inp.shape):
                sizes_ok = False
            elif g.dtype != jac.dtype:
                types_ok = False
            if g.size != inp.numel():
                raise AssertionError(f"Expected out_jacobian column to have {g.size} elements, but got {inp.numel()}")
            jac[:, j] = g.reshape(-1)
        jacobians.append(jac)
    return jacobians, sizes_ok, types_ok


def _analytical_jacobians(inputs: tuple[Any, ...], output: Any, nondet_tol: float, check_grad_dtypes: bool,
                          v: np.ndarray | None = None) -> list[np.ndarray]:
    """The Jacobian of ``output`` with respect to each input requiring grad, a row per backward with a one-hot
    gradient (with ``v``: the single row v^T J), computed twice: the two must agree to ``nondet_tol``."""
    diff = [x for _, x in _diff_inputs(inputs)]
    shape, dtype = tuple(output.shape), output.detach().numpy().dtype

    def rows() -> list[list[np.ndarray | None]]:
        if v is not None:
            return [[g] for g in _vjps(output, diff, v.reshape(shape).astype(dtype))]
        found: list[list[np.ndarray | None]] = [[] for _ in diff]
        for j in range(output.numel()):
            one_hot = np.zeros(output.numel(), dtype)
            one_hot[j] = 1
            for per_input, g in zip(found, _vjps(output, diff, one_hot.reshape(shape))):
                per_input.append(g)
        return found

    numel = 1 if v is not None else output.numel()
    first, second = rows(), rows()
    jacobians, sizes_ok, types_ok = _stack(first, diff, numel)
    again, _, _ = _stack(second, diff, numel)
    reentrant = all(a.size == 0 or np.abs(a - b).max() <= nondet_tol for a, b in zip(jacobians, again))
    # (PyTorch's names for these two flags are swapped, and so are its two messages: kept as it raises them)
    if not sizes_ok and check_grad_dtypes:
        raise GradcheckError("Gradient has dtype mismatch")
    if not types_ok:
        raise GradcheckError("Analytical gradient has incorrect size")
    if not reentrant:
        raise GradcheckError("Backward is not reentrant, i.e., running backward with same input and grad_output "
                             "multiple times gives different values, although analytical gradient matches numerical "
                             f"gradient.The tolerance for nondeterminism was {nondet_tol}." + _NONDET_NOTE)
    return jacobians


def _mismatch(analytical: str, numerical: str, output_idx: int, input_idx: int) -> str:
    return (f"Jacobian mismatch for output {output_idx:d} with respect to input {input_idx:d},\n"
            f"numerical:{numerical}\nanalytical:{analytical}\n")


def _slow_gradcheck(func: Callable[..., Any], func_out: Any, inputs: tuple[Any, ...], outputs: tuple[Any, ...],
                    eps: float, rtol: float, atol: float, check_grad_dtypes: bool, nondet_tol: float,
                    report: bool) -> bool:
    """PyTorch's slow mode: every numerical Jacobian first, then each output's analytical ones, compared whole."""
    func_out = _as_tuple(func_out)
    numerical = _numerical_jacobians(func, inputs, func_out, eps)
    if not outputs:
        if any(np.any(jac != 0) for per_output in numerical for jac in per_output):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    by_output = [[per_output[k] for per_output in numerical] for k in range(len(numerical[0]))] if numerical else []
    by_output = [n for o, n in zip([o for o in func_out if _is_float(o)], by_output) if o.requires_grad]
    rows: list[Comparison] = []
    for i, o in enumerate(outputs):
        analytical = _analytical_jacobians(inputs, o, nondet_tol, check_grad_dtypes)
        for j, (a, n) in enumerate(zip(analytical, by_output[i])):
            if report:
                rows += _comparisons(a, n, j, i, _diff_inputs(inputs)[j][1], o, rtol, atol)
            if not _allclose(a, n, rtol, atol):
                if report:
                    print(render_report(_op_name(func, outputs), rows))
                raise GradcheckError(_mismatch(_show(o, a), _show(o, n), i, j))
    if report:
        print(render_report(_op_name(func, outputs), rows))
    return True


def _torch_unit_vectors(sizes: list[tuple[int, np.dtype]]) -> list[np.ndarray]:
    """For each (numel, dtype): ``torch.rand(numel, generator=torch.Generator()).to(dtype)``, normalized, all from
    one new generator: fast mode's u and v, as PyTorch draws them (float32 from a 32-bit mt19937 word each)."""
    bits = np.random.MT19937(0)
    key = np.random.RandomState(_DEFAULT_GENERATOR_SEED & 0xFFFFFFFF).get_state()[1]
    bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 624}}
    vectors = []
    for numel, dtype in sizes:
        words = bits.random_raw(numel) if numel else np.zeros(0, np.uint64)
        vec = ((words & 0xFFFFFF).astype(np.float32) * np.float32(2.0**-24)).astype(dtype)
        vectors.append(vec / np.sqrt(np.sum(vec * vec)))
    return vectors


def _fast_gradcheck(func: Callable[..., Any], func_out: Any, inputs: tuple[Any, ...], outputs: tuple[Any, ...],
                    eps: float, rtol: float, atol: float, check_grad_dtypes: bool, nondet_tol: float,
                    report: bool) -> bool:
    """PyTorch's fast mode: for random unit u (per input) and v (per output), v^T (J u) with J u from one central
    difference along u against (v^T J) u from one backward with gradient v (twice, for reentrancy). atol scales by
    sum(u) sum(v); on a mismatch the slow Jacobians of that pair are computed for the message."""
    diff = _diff_inputs(inputs)
    vectors = _torch_unit_vectors([(x.numel(), x.detach().numpy().dtype) for _, x in diff]
                                  + [(o.numel(), o.detach().numpy().dtype) for o in outputs])
    all_u, all_v = vectors[:len(diff)], vectors[len(diff):]
    func_out = _as_tuple(func_out)
    numerical = []
    for (_, inp), u in zip(diff, all_u):
        data = inp.detach().numpy()
        columns = _central_difference(func, inputs, data, ..., u.reshape(data.shape) * eps, eps, None)
        ju = [c for c, o in zip(columns, func_out) if _is_float(o)]
        numerical.append([np.sum(v * c) for v, c in zip(all_v, ju)])
        if not outputs and any(c.size and np.abs(c).max() > nondet_tol for c in columns):
            raise GradcheckError("Numerical gradient for function expected to be zero")
    analytical = [[np.dot(vj[:, 0], u) for vj, u in zip(_analytical_jacobians(inputs, o, nondet_tol,
                                                                               check_grad_dtypes, v), all_u)]
                  for o, v in zip(outputs, all_v)]
    for i, per_output in enumerate(numerical):
        for j, n in enumerate(per_output):
            a = analytical[j][i]
            if not _allclose(np.asarray(a), np.asarray(n), rtol, atol * float(all_u[i].sum()) * float(all_v[j].sum())):
                raise GradcheckError(_mismatch(repr(float(a)), repr(float(n)), j, i)
                                     + _slow_mode_error(func, inputs, outputs, i, j, rtol, atol, eps, nondet_tol))
    if report:
        return _slow_gradcheck(func, func_out, inputs, outputs, eps, rtol, atol, check_grad_dtypes, nondet_tol, True)
    return True


def _slow_mode_error(func: Callable[..., Any], inputs: tuple[Any, ...], outputs: tuple[Any, ...], input_idx: int,
                     output_idx: int, rtol: float, atol: float, eps: float, nondet_tol: float) -> str:
    """The slow Jacobians of one (input, output) pair, for fast mode's error message."""
    numerical = _numerical_jacobians(func, inputs, outputs, eps)[input_idx][output_idx]
    analytical = _analytical_jacobians(inputs, outputs[output_idx], float("inf"), False)[input_idx]
    like = outputs[output_idx]
    msg = ("\nThe above quantities relating the numerical and analytical jacobians are computed \n"
           "in fast mode. See: https://github.com/pytorch/pytorch/issues/53876 for more background \n"
           "about fast mode. Below, we recompute numerical and analytical jacobians in slow mode:\n\n"
           f"Numerical:\n {_show(like, numerical)}\n"
           f"Analytical:\n{_show(like, analytical)}\n\n"
           f"The max per-element difference (slow mode) is: {float(np.abs(numerical - analytical).max())}.\n")
    return msg + _FAST_FAIL_SLOW_OK if _allclose(analytical, numerical, rtol, atol) else msg


def _test_batched_grad(inputs: tuple[Any, ...], output: Any) -> None:
    """What PyTorch's batched-gradient check runs before its ``vmap``: two backwards with ``randn_like(output)``
    gradients (drawn from the global random stream). minigrad has no vmap, so the batched backward it would compare
    them with (one more backward call in PyTorch) is not run."""
    diff = [x for _, x in _diff_inputs(inputs)]
    for _ in range(2):
        grad_output = output.detach().new_empty(tuple(output.shape)).normal_()
        api.grad(output, diff, grad_output, retain_graph=True, allow_unused=True)


def _test_backward_mul_by_grad_output(outputs: tuple[Any, ...], inputs: tuple[Any, ...]) -> None:
    """Backward with zero output gradients must give zero input gradients, of the inputs' dtype and size."""
    diff = [x for _, x in _diff_inputs(inputs)]
    zeros = [type(o)._make(np.zeros(tuple(o.shape), o.detach().numpy().dtype)) for o in outputs]
    for gi, di in zip(api.grad(outputs, diff, zeros, allow_unused=True), diff):
        if gi is None:
            continue
        if np.any(gi.detach().numpy() != 0):
            raise GradcheckError("backward not multiplied by grad_output")
        if gi.dtype != di.dtype:
            raise GradcheckError("grad is incorrect type")
        if tuple(gi.shape) != tuple(di.shape):
            raise GradcheckError("grad is incorrect size")


def _test_undefined_backward_mode(func: Callable[..., Any], outputs: tuple[Any, ...], inputs: tuple[Any, ...]) -> None:
    """Backward must cope with undefined (absent) output gradients and give zeros (or none) for them: all outputs'
    at once, then, for several outputs, each output's alone, each on a new call of ``func``. minigrad has no
    undefined gradient: it passes zeros, what PyTorch hands a custom Function's backward in their place."""
    diff = [x for _, x in _diff_inputs(inputs)]
    to_check = [[o for o in _differentiable_outputs(func(*inputs)) if _is_tensor(o)]]
    if len(to_check[0]) > 1:
        to_check += [list(_differentiable_outputs(func(*inputs))) for _ in range(len(outputs))]

    def warn_bc_breaking() -> None:
        warnings.warn('Backwards compatibility: New undefined gradient support checking feature is enabled by '
                      'default, but it may break existing callers of this function. If this is true for you, you can '
                      'call this function with "check_undefined_grad=False" to disable the feature', stacklevel=2)

    for checked in to_check:
        zeros = [type(o)._make(np.zeros(tuple(o.shape), o.detach().numpy().dtype)) for o in checked]
        try:
            grads = api.grad(checked, diff, zeros, allow_unused=True)
        except RuntimeError as e:
            warn_bc_breaking()
            raise GradcheckError('Expected backward function to handle undefined output grads. Please look at "Notes '
                                 'about undefined output gradients" in "tools/autograd/derivatives.yaml"') from e
        if any(g is not None and np.any(g.detach().numpy() != 0) for g in grads):
            warn_bc_breaking()
            raise GradcheckError('Expected all input grads to be undefined or zero when all output grads are '
                                 'undefined or zero. Please look at "Notes about undefined output gradients" in '
                                 '"tools/autograd/derivatives.yaml"')


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
    report: bool = False,
) -> bool:
    """Check ``func``'s gradients at ``inputs`` (a tensor or a tuple; float64 for inputs requiring grad, else a
    warning) against central differences, as ``torch.autograd.gradcheck`` does (see the module docstring).

    ``func`` returns a tensor or a tuple of them. Returns True; on a mismatch raises ``GradcheckError`` with
    PyTorch's message (both Jacobians), or returns False when not ``raise_exception``. ``report=True`` (minigrad's
    own) also prints every Jacobian entry, analytical beside numerical (the worst ones for large inputs).
    ``check_forward_ad`` and ``check_batched_forward_grad`` are not supported; ``masked`` (sparse) changes nothing.
    """
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to be True")
    if check_batched_grad and not check_backward_ad:
        raise AssertionError("Setting check_batched_grad=True requires check_backward_ad to be True")
    if check_batched_forward_grad and not check_forward_ad:
        raise AssertionError("Setting check_batched_forward_grad=True requires check_forward_ad to be True")
    if check_forward_ad:
        raise NotImplementedError("gradcheck: check_forward_ad is not supported by minigrad's gradcheck")
    try:
        tupled = _as_tuple(inputs)
        _check_inputs(tupled)
        func_out = func(*tupled)
        outputs = _differentiable_outputs(func_out)
        check = _fast_gradcheck if fast_mode else _slow_gradcheck
        check(func, func_out, tupled, outputs, eps, rtol, atol, check_grad_dtypes, nondet_tol, report)
        if check_batched_grad:
            for o in outputs:
                _test_batched_grad(tupled, o)
        _test_backward_mul_by_grad_output(outputs, tupled)
        if check_undefined_grad:
            _test_undefined_backward_mode(func, outputs, tupled)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


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
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
) -> bool:
    """Check ``func``'s second derivatives: ``gradcheck`` of its first-order gradient function
    (x, v) -> d<v, func(x)>/dx, computed with ``create_graph=True``, in x and in the cotangents v (``grad_outputs``;
    if not given, uniform in [-1, 1) from the global random stream as ``torch.testing.make_tensor`` draws them,
    requiring grad, non-contiguous for ``gen_non_contig_grad_outputs``). Returns True, or raises ``GradcheckError``
    (False if not ``raise_exception``).
    """
    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True")
    if check_undefined_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_undefined_grad=True requires check_rev_over_rev to be True")
    if check_batched_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_batched_grad=True requires check_rev_over_rev to be True")
    tupled_inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outputs = _differentiable_outputs(func(*tupled_inputs))
        tupled_grad_outputs = tuple(_random_like(out, gen_non_contig_grad_outputs) for out in outputs)
    else:
        tupled_grad_outputs = _as_tuple(grad_outputs)
    num_outputs = len(tupled_grad_outputs)
    diff_inputs = {i for i, x in enumerate(tupled_inputs) if _is_tensor(x) and x.requires_grad}
    diff_grad_outputs = {i for i, x in enumerate(tupled_grad_outputs) if x.requires_grad}

    def restore(x: Any) -> Any:  # (PyTorch calls requires_grad_() on each, a no-op where it requires grad already)
        return x if x.requires_grad else x.requires_grad_()

    def first_order(*args: Any) -> tuple[Any, ...]:
        xs = tuple(restore(x) if i in diff_inputs else x for i, x in enumerate(args[:-num_outputs]))
        outputs = _differentiable_outputs(func(*xs))
        vs = tuple(restore(x) if i in diff_grad_outputs else x for i, x in enumerate(args[-num_outputs:]))
        grads = api.grad(outputs, tuple(x for i, x in enumerate(xs) if i in diff_inputs), vs, create_graph=True,
                         allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_order, tupled_inputs + tupled_grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol, check_undefined_grad=check_undefined_grad,
                     check_grad_dtypes=check_grad_dtypes, check_batched_grad=check_batched_grad, fast_mode=fast_mode,
                     check_forward_ad=check_fwd_over_rev, check_backward_ad=check_rev_over_rev, masked=masked)


def _random_like(out: Any, non_contiguous: bool) -> Any:
    """``torch.testing.make_tensor(out.shape, low=-1, high=1, requires_grad=True, noncontiguous=...)``: uniform from
    the global random stream, out's dtype (float64 for an integer output); non-contiguous: the odd elements of a
    last dim twice as long."""
    dtype = out.dtype if out.is_floating_point() else dtypes.float64
    shape = tuple(out.shape)
    non_contiguous = non_contiguous and out.numel() > 1
    if non_contiguous:
        shape = (*shape[:-1], 2 * shape[-1])
    made = out.detach().new_empty(shape, dtype=dtype).uniform_(-1, 1)
    return (made[..., 1::2] if non_contiguous else made).requires_grad_()


def _op_name(func: Callable[..., Any], outputs: tuple[Any, ...]) -> str:
    return next((o.grad_fn.name() for o in outputs if o.grad_fn is not None), getattr(func, "__name__", "fn"))


def _comparisons(a: np.ndarray, n: np.ndarray, input_idx: int, output_idx: int, inp: Any, out: Any, rtol: float,
                 atol: float) -> list[Comparison]:
    """Every entry of one Jacobian pair, with whether it agrees."""
    in_index, out_index = list(np.ndindex(tuple(inp.shape))), list(np.ndindex(tuple(out.shape)))
    return [Comparison(input_idx, in_index[r], output_idx, out_index[c], float(a[r, c]), float(n[r, c]),
                       bool(np.isclose(a[r, c], n[r, c], rtol=rtol, atol=atol)))
            for r in range(a.shape[0]) for c in range(a.shape[1])]


def render_report(op: str, rows: list[Comparison], most: int = 12) -> str:
    """The comparison as a table: every Jacobian entry for small inputs, else the worst ``most`` of them."""
    worst = sorted(rows, key=lambda r: -abs(r.analytic - r.numeric))[:most] if len(rows) > most else rows
    lines = [f"gradcheck of {op}: {sum(r.ok for r in rows)} of {len(rows)} Jacobian entries agree "
             "(d output[out] / d input[element]; analytic = from backward, numeric = central difference)",
             f"{'input':>5}  {'element':<12} {'output':>6}  {'out':<12} {'analytic':>14} {'numeric':>14} "
             f"{'|diff|':>10}"]
    lines += [f"{r.input:>5}  {r.index!s:<12} {r.output:>6}  {r.out_index!s:<12} {r.analytic:>14.8g} "
              f"{r.numeric:>14.8g} {abs(r.analytic - r.numeric):>10.2g} {'ok' if r.ok else 'WRONG'}" for r in worst]
    if len(rows) > most:
        lines.append(f"(the {most} largest differences of {len(rows)} shown)")
    return "\n".join(lines)
