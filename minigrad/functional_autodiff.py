"""``minigrad.autograd.functional``: derivatives of whole functions, as ``torch.autograd.functional`` has them.

For ``f`` taking tensors x = (x_1, ...) to tensors y = (y_1, ...), with Jacobian J = dy/dx:

- ``vjp(f, x, v)``: f(x) and v^T J (reverse mode: one backward pass);
- ``jvp(f, x, v)``: f(x) and J v, by forward-mode AD (f run once on dual tensors), or as PyTorch computes it, by the
  double-backward trick: g(u) = J^T u is linear in u, so J v = d<g(u), v>/du, one backward pass through the backward
  pass (u's value does not matter; it is zeros);
- ``jacobian(f, x)``: J, one row e_k^T J per output element k (the seed one-hot, so no indexing op is recorded);
- ``hessian(f, x)``: the Jacobian of the gradient, H = d^2 f / dx^2 for a scalar f;
- ``vhp(f, x, v)``: v^T H, and ``hvp(f, x, v)``: H v (the double-backward trick again).

This module is the PyTorch implementation (torch/autograd/functional.py) on minigrad's tensors, with PyTorch's
arguments, results and error messages. ``create_graph=True`` keeps the results differentiable; ``strict=True`` raises
where an output is independent of an input (instead of giving zeros). ``vectorize=True`` needs ``vmap``, which
minigrad does not have; ``strategy="forward-mode"`` needs forward-mode AD and ``vectorize=True``, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import errors
from .autograd import api, forward_ad
from .autograd.grad_mode import enable_grad
from .factories import ones_like, zeros_like
from .functions import stack
from .tensor import Tensor

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]

Tensors = Tensor | tuple[Tensor, ...]


def __dir__() -> list[str]:
    return __all__


def _as_tuple(inp: Any, arg_name: str, fn_name: str) -> tuple[bool, tuple[Tensor, ...]]:
    """Whether ``inp`` was a tuple, and it as a tuple of tensors (PyTorch's TypeError for anything else)."""
    is_tuple = isinstance(inp, tuple)
    inp = inp if is_tuple else (inp,)
    for i, el in enumerate(inp):
        if not isinstance(el, Tensor):
            where = f"the value at index {i}" if is_tuple else f"the given {arg_name}"
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of Tensors but "
                            f"{where} has type {type(el)}.")
    return is_tuple, inp


def _tuple_postprocess(res: Any, to_unpack: bool | tuple[bool, bool]) -> Any:
    """Undo ``_as_tuple`` on a result: unwrap one level per False (outer: outputs, inner: inputs)."""
    outer, inner = to_unpack if isinstance(to_unpack, tuple) else (to_unpack, True)
    if not inner:
        res = tuple(el[0] for el in res)
    return res if outer else res[0]


def _grad_preprocess(inputs: tuple[Tensor, ...], create_graph: bool, need_graph: bool) -> tuple[Tensor, ...]:
    """New tensor objects for the inputs (so that f's own captures of them are not mistaken for them): linked to
    the caller's graph for ``create_graph``, else detached (requiring grad if ``need_graph``)."""
    return tuple(inp.view_as(inp) if create_graph and inp.requires_grad else inp.detach().requires_grad_(need_graph)
                 for inp in inputs)


def _grad_postprocess(inputs: Any, create_graph: bool) -> Any:
    """The results, detached unless the caller asked for a graph (nested tuples for a Jacobian)."""
    if isinstance(inputs[0], Tensor):
        return inputs if create_graph else tuple(inp.detach() for inp in inputs)
    return tuple(_grad_postprocess(inp, create_graph) for inp in inputs)


def _validate_v(v: tuple[Tensor, ...], other: tuple[Tensor, ...], is_other_tuple: bool) -> None:
    if len(other) != len(v):
        if is_other_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(other)} but got {len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for idx, (el_v, el_other) in enumerate(zip(v, other)):
        if el_v.size() != el_other.size():
            prepend = f"Entry {idx} in " if is_other_tuple else ""
            raise RuntimeError(f"{prepend}v has invalid size: should be {el_other.size()} but got {el_v.size()}.")


_INDEPENDENT = {
    "outputs": "Output {i} of the user-provided function does not require gradients. The outputs must be computed "
               "in a differentiable manner from the input when running in strict mode.",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of the user-provided "
                   "function. This is not allowed in strict mode.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided function with respect to "
                "input {i} is independent of the input. This is not allowed in strict mode. You should ensure that "
                "your function is twice differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example).",
    "hessian": "The hessian of the user-provided function with respect to input {i} is independent of the input. "
               "This is not allowed in strict mode. You should ensure that your function is thrice differentiable "
               "and that the hessian depends on the inputs.",
}


def _check_requires_grad(inputs: tuple[Tensor | None, ...], input_type: str, strict: bool) -> None:
    """In strict mode, PyTorch's error for the first of ``inputs`` that is missing or does not require grad."""
    if not strict:
        return
    for i, inp in enumerate(inputs):
        if inp is None:  # (only gradients can be missing)
            raise RuntimeError(f"The output of the user-provided function is independent of input {i}. "
                               "This is not allowed in strict mode.")
        if not inp.requires_grad:
            raise RuntimeError(_INDEPENDENT[input_type].format(i=i))


def _autograd_grad(outputs: tuple[Tensor | None, ...], inputs: tuple[Tensor, ...], grad_outputs: Any = None,
                   create_graph: bool = False, retain_graph: bool | None = None) -> tuple[Tensor | None, ...]:
    """``autograd.grad`` that skips the outputs which are None or need no grad (None for every input if none is
    left), and gives None for an input that no output reaches."""
    given = (None,) * len(outputs) if grad_outputs is None else grad_outputs
    kept = [(out, g) for out, g in zip(outputs, given) if out is not None and out.requires_grad]
    if not kept:
        return (None,) * len(inputs)
    outs, seeds = zip(*kept)
    return api.grad(outs, inputs, seeds, create_graph=create_graph, retain_graph=retain_graph, allow_unused=True)


_MISSING = {
    "back": "The output of the user-provided function is independent of input {i}. This is not allowed in strict "
            "mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the grad_outputs when "
                  "using the double backward trick to compute forward mode gradients. This is not allowed in strict "
                  "mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. This is not allowed in "
                   "strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry {i} in the "
                         "grad_jacobian. This is not allowed in strict mode as it prevents from using the double "
                         "backward trick to replace forward mode AD.",
}


def _fill_in_zeros(grads: tuple[Tensor | None, ...], refs: tuple[Tensor, ...], strict: bool, create_graph: bool,
                   stage: str) -> tuple[Tensor, ...]:
    """Missing gradients as zeros shaped like ``refs`` (strict mode: PyTorch's error for the ``stage`` instead)."""
    res = []
    for i, grad in enumerate(grads):
        if grad is None:
            if strict:
                raise RuntimeError(_MISSING[stage].format(i=i))
            grad = zeros_like(refs[i])
        elif strict and create_graph and not grad.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of input {i}. This is not "
                               "allowed in strict mode when create_graph=True.")
        res.append(grad)
    return tuple(res)


def _prepare_v(v: Any, against: tuple[Tensor, ...], is_tuple: bool, create_graph: bool, fn_name: str,
               none_message: str) -> Any:
    """``v`` as a tuple of tensors shaped like ``against``; None only where ``against`` is one single-element
    tensor (then the result is None too: the gradient starts from 1)."""
    if v is None:
        if len(against) != 1 or against[0].nelement() != 1:
            raise RuntimeError(none_message)
        return None
    v = _grad_preprocess(_as_tuple(v, "v", fn_name)[1], create_graph=create_graph, need_graph=False)
    _validate_v(v, against, is_tuple)
    return v


_V_FOR_SCALAR_INPUT = ("The vector v can only be None if the input to the user-provided function is a single Tensor "
                       "with a single element.")


def _outputs(func: Callable[..., Any], inputs: tuple[Tensor, ...], strict: bool, fn_name: str
             ) -> tuple[bool, tuple[Tensor, ...]]:
    is_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", fn_name)
    _check_requires_grad(outputs, "outputs", strict=strict)
    return is_tuple, outputs


def vjp(func: Callable[..., Any], inputs: Tensors, v: Tensors | None = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), v^T J)``: the vector-Jacobian product, for v shaped like the outputs (None for a
    single-element output)."""
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        is_outputs_tuple, outputs = _outputs(func, inputs, strict, "vjp")
        v = _prepare_v(v, outputs, is_outputs_tuple, create_graph, "vjp", "The vector v can only be None if the "
                       "user-provided function returns a single Tensor with a single element.")
    grads = _autograd_grad(outputs, inputs, v, create_graph=create_graph)
    result = _fill_in_zeros(grads, inputs, strict, create_graph, "back")
    return (_tuple_postprocess(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _tuple_postprocess(_grad_postprocess(result, create_graph), is_inputs_tuple))


def jvp(func: Callable[..., Any], inputs: Tensors, v: Tensors | None = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), J v)``: the Jacobian-vector product, for v shaped like the inputs (None for a single-element
    input: v = 1).

    By forward-mode AD: func runs once on the dual tensors (x, v), which require grad as PyTorch's inputs do, and J v
    is read off its outputs' tangents. PyTorch computes it by the double-backward trick (see the module docstring),
    and so does this function where forward AD cannot serve: for ``create_graph=True`` (minigrad's tangents carry no
    graph), for ``strict=True`` (its checks are statements about that trick's intermediate results), inside an open
    forward-AD level (levels do not nest), and where forward AD refuses on the way (a custom Function without
    ``jvp``, an op with neither a forward rule nor a recordable backward): func then runs a second time, that way."""
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        v = _prepare_v(v, inputs, is_inputs_tuple, create_graph, "jvp", "The vector v can only be None if the input "
                       "to the user-provided function is a single Tensor with a single element.")
    found = None
    if not (create_graph or strict or forward_ad.is_open()):
        try:
            found = _jvp_by_forward_ad(func, inputs, v)
        except NotImplementedError:  # forward AD refused on the way: PyTorch's way below
            pass
    is_outputs_tuple, outputs, result = found or _jvp_by_double_backward(func, inputs, v, create_graph, strict)
    return (_tuple_postprocess(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _tuple_postprocess(_grad_postprocess(result, create_graph), is_outputs_tuple))


def _jvp_by_forward_ad(func: Callable[..., Any], inputs: tuple[Tensor, ...], v: tuple[Tensor, ...] | None
                       ) -> tuple[bool, tuple[Tensor, ...], tuple[Tensor, ...]]:
    """(whether func returned a tuple, its outputs, J v) by forward-mode AD; zeros for an output without tangent."""
    tangents = [ones_like(inputs[0])] if v is None else [t.to(x.dtype) for t, x in zip(v, inputs)]
    with enable_grad():
        (is_outputs_tuple, outputs), pushed = forward_ad.pushforward(
            lambda duals: _outputs(func, tuple(duals), False, "jvp"), inputs, tangents, lambda found: found[1])
    for out in outputs:
        if not out.dtype.is_floating_point:  # (PyTorch's error, from making its u require grad)
            raise errors.integer_requires_grad("factory")
    return is_outputs_tuple, outputs, tuple(zeros_like(out) if t is None else t for t, out in zip(pushed, outputs))


def _jvp_by_double_backward(func: Callable[..., Any], inputs: tuple[Tensor, ...], v: tuple[Tensor, ...] | None,
                            create_graph: bool, strict: bool) -> tuple[bool, tuple[Tensor, ...], tuple[Tensor, ...]]:
    """(whether func returned a tuple, its outputs, J v) by the double-backward trick, as PyTorch computes them."""
    with enable_grad():
        is_outputs_tuple, outputs = _outputs(func, inputs, strict, "jvp")
        grad_outputs = tuple(zeros_like(out, requires_grad=True) for out in outputs)  # u: any finite value works
        grad_inputs = _autograd_grad(outputs, inputs, grad_outputs, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict=strict)
    grads = _autograd_grad(grad_inputs, grad_outputs, v, create_graph=create_graph)
    return is_outputs_tuple, outputs, _fill_in_zeros(grads, outputs, strict, create_graph, "back_trick")


def jacobian(func: Callable[..., Any], inputs: Tensors, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:
    """J = d func(inputs) / d inputs: for output i and input j, a tensor of shape ``out_i.shape + in_j.shape``
    (a tensor for one output and one input, else tuples indexed [i][j], as PyTorch nests them)."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                             'function has more outputs than inputs, "forward-mode" tends to be more performant. '
                             'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        return _jacfwd(inputs, create_graph, strict, vectorize)
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        is_outputs_tuple, outputs = _outputs(func, inputs, strict, "jacobian")
        if vectorize:
            if strict:
                raise RuntimeError("minigrad.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                                   "supported together. Please either set `strict=False` or `vectorize=False`.")
            raise NotImplementedError("minigrad.autograd.functional.jacobian: vectorize=True needs vmap, which "
                                      "minigrad does not have; use vectorize=False (one backward pass per row)")
        rows = tuple(_jacobian_rows(i, out, inputs, create_graph, strict) for i, out in enumerate(outputs))
        jac = tuple(tuple(stack(rows_j, dim=0).view(out.size() + inp.size()) for rows_j, inp in zip(out_rows, inputs))
                    for out_rows, out in zip(rows, outputs))
    return _tuple_postprocess(_grad_postprocess(jac, create_graph), (is_outputs_tuple, is_inputs_tuple))


def _jacobian_rows(i: int, out: Tensor, inputs: tuple[Tensor, ...], create_graph: bool, strict: bool
                   ) -> tuple[list[Tensor], ...]:
    """For each input, the rows e_k^T J of output ``i`` (k over its elements, in order), one backward pass each."""
    rows: tuple[list[Tensor], ...] = tuple([] for _ in inputs)
    for k in range(out.nelement()):
        seed = zeros_like(out).reshape(-1)
        seed[k] = 1
        grads = _autograd_grad((out,), inputs, (seed.view_as(out),), create_graph=create_graph, retain_graph=True)
        for j, (grad, inp) in enumerate(zip(grads, inputs)):
            if grad is None and strict:
                raise RuntimeError(f"Output {i} of the user-provided function is independent of input {j}. This is "
                                   "not allowed in strict mode.")
            if grad is not None and strict and create_graph and not grad.requires_grad:
                # (PyTorch names the output's index here, not the input's)
                raise RuntimeError(f"The jacobian of the user-provided function is independent of input {i}. This "
                                   "is not allowed in strict mode when create_graph=True.")
            rows[j].append(zeros_like(inp) if grad is None else grad)
    return rows


def _jacfwd(inputs: Tensors, create_graph: bool, strict: bool, vectorize: bool) -> Any:
    """``strategy="forward-mode"``: PyTorch's errors, then vmap (which minigrad does not have)."""
    if create_graph:
        raise NotImplementedError('minigrad.autograd.functional.jacobian: `create_graph=True` and '
                                  '`strategy="forward-mode"` are not supported together (yet). Please either set '
                                  '`create_graph=False` or `strategy="reverse-mode"`.')
    if strict:
        raise RuntimeError('minigrad.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` are not '
                           'supported together (yet). Please either set `strict=False` or '
                           '`strategy="reverse-mode"`.')
    _as_tuple(inputs, "inputs", "jacobian")
    if vectorize:
        raise NotImplementedError('minigrad.autograd.functional.jacobian: strategy="forward-mode" with vectorize=True '
                                  'needs vmap, which minigrad does not have; use strategy="reverse-mode"')
    raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
                              "only implemented for `vectorize=True`.")  # (PyTorch's text, space missing and all)


def hessian(func: Callable[..., Any], inputs: Tensors, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """H = d^2 func / d inputs^2 for a function returning one single-element tensor: the Jacobian of its gradient,
    of shape ``in_i.shape + in_j.shape`` for inputs i, j (tuples indexed [i][j] for a tuple of inputs)."""
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def ensure_single_output_function(*inp: Tensor) -> Tensor:
        out = func(*inp)
        is_out_tuple, t_out = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(t_out, "outputs", strict=strict)
        if is_out_tuple or not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.nelement() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single element")
        return out.squeeze()

    def jac_func(*inp: Tensor) -> tuple[Tensor, ...]:
        jac = jacobian(ensure_single_output_function, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        return jac

    res = jacobian(jac_func, inputs, create_graph=create_graph, strict=strict, vectorize=vectorize,
                   strategy=outer_jacobian_strategy)
    return _tuple_postprocess(res, (is_inputs_tuple, is_inputs_tuple))


def _scalar_output(func: Callable[..., Any], inputs: tuple[Tensor, ...], strict: bool, fn_name: str
                   ) -> tuple[bool, tuple[Tensor, ...]]:
    is_outputs_tuple, outputs = _outputs(func, inputs, strict, fn_name)
    if is_outputs_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].nelement() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should contain a single element")
    return is_outputs_tuple, outputs


def vhp(func: Callable[..., Any], inputs: Tensors, v: Tensors | None = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), v^T H)`` for a function returning one single-element tensor: the gradient of <grad f, v>."""
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vhp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        v = _prepare_v(v, inputs, is_inputs_tuple, create_graph, "vhp", _V_FOR_SCALAR_INPUT)
        is_outputs_tuple, outputs = _scalar_output(func, inputs, strict, "vhp")
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
    grads = _autograd_grad(jac, inputs, v, create_graph=create_graph)
    result = _fill_in_zeros(grads, inputs, strict, create_graph, "double_back")
    return (_tuple_postprocess(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _tuple_postprocess(_grad_postprocess(result, create_graph), is_inputs_tuple))


def hvp(func: Callable[..., Any], inputs: Tensors, v: Tensors | None = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """``(func(inputs), H v)`` for a function returning one single-element tensor, by the double-backward trick
    on the gradient: H u = d<grad f, u>/dx is linear in u, and H v is the gradient of <H u, v> with respect to u."""
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hvp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        v = _prepare_v(v, inputs, is_inputs_tuple, create_graph, "hvp", _V_FOR_SCALAR_INPUT)
        is_outputs_tuple, outputs = _scalar_output(func, inputs, strict, "hvp")
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        grad_jac = tuple(zeros_like(inp, requires_grad=True) for inp in inputs)
        double_back = _autograd_grad(jac, inputs, grad_jac, create_graph=True)
        _check_requires_grad(jac, "hessian", strict=strict)  # (jac, as PyTorch checks it: never raises here)
    grads = _autograd_grad(double_back, grad_jac, v, create_graph=create_graph)
    result = _fill_in_zeros(grads, inputs, strict, create_graph, "double_back_trick")
    return (_tuple_postprocess(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _tuple_postprocess(_grad_postprocess(result, create_graph), is_inputs_tuple))
