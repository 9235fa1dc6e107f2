"""Forward-mode AD (PyTorch's ``torch.autograd.forward_ad``): Jacobian-vector products in one forward pass.

Inside a ``dual_level``, ``make_dual(x, v)`` gives a tensor whose values are x's and whose tangent is v. Every op
applied to tensors carrying tangents computes its output's tangent J v beside its value (``propagate``, called by
``tensor.apply``), by the op's own ``jvp`` rule in the registry, or, for an op without one, exactly as the transpose
of its backward: the vector-Jacobian product g(u) = J^T u is linear in u, so J v = d<g(u), v>/du, one double backward
(the op's backward recorded on tensors, ``higher_order``). A custom ``autograd.Function`` gives its outputs' tangents
by its own ``jvp`` (its forward runs ``paused``: nothing inside it propagates). ``unpack_dual(y)`` reads the tangent
back.

Tangents are kept per array (the memory a tensor wraps), so every tensor that wraps the same array shares one
tangent, as the saved tensors of a recorded backward do: a gradient taken with ``create_graph=True`` inside the level
carries its tangent too, and a Hessian-vector product is the tangent of a gradient (forward-over-reverse). Tangents
are Tensors outside the graph: gradients do not flow back through them. As in PyTorch, one level at a time; exiting
it deletes every tangent.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

import numpy as np

from .. import kernels as K
from . import api
from .engine import Context
from .grad_mode import enable_grad

__all__ = ["UnpackedDualTensor", "dual_level", "enter_dual_level", "exit_dual_level", "make_dual", "unpack_dual"]

_SIZE = ("Trying to set a forward gradient that has a different size than that of the original Tensor, this is not "
         "supported. Tensor is of size {} while the given forward gradient is of size {}.")

Tensor = Any  # (a minigrad Tensor, in annotations)
_Tensor: Any = None  # minigrad.tensor's Tensor and apply, handed over by ``use`` (that layer sits above this one)
_apply: Callable[..., Any]

active = False  # a level is open and propagation is not paused: what ``tensor.apply`` checks (nothing else when off)
_level = -1  # the open level (-1: none)
_paused = False
# id(array) -> (a weak reference to the array, or the array itself where numpy takes none; its tangent)
_tangents: dict[int, tuple[Any, Tensor]] = {}


class UnpackedDualTensor(NamedTuple):
    """What ``unpack_dual`` returns: the primal (a view of the tensor, without tangent) and the tangent, or None."""

    primal: Tensor
    tangent: Tensor | None


def is_open() -> bool:
    """Whether a forward-AD level is open (a transform then cannot open its own)."""
    return _level >= 0


def enter_dual_level() -> int:
    """Open a forward-AD level (the only one: nested levels are refused, as PyTorch does); returns its number."""
    global _level
    if _level >= 0:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _level = 0
    _set_active()
    return _level


def exit_dual_level(*, level: int | None = None) -> None:
    """Close the level (the last one entered), deleting every tangent made in it."""
    global _level
    level = _level if level is None else level
    if level < 0:
        raise RuntimeError("Dual level must be a positive number.")
    if level != _level:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that was created. "
                           "This is not supported.")
    _tangents.clear()
    _level = level - 1
    _set_active()


class dual_level:
    """Context manager (or decorator) for forward AD: ``with dual_level(): ...`` runs inside a level."""

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc: object) -> None:
        exit_dual_level()

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with dual_level():
                return fn(*args, **kwargs)
        return wrapper


def make_dual(tensor: Tensor, tangent: Tensor, *, level: int | None = None) -> Tensor:
    """A view of ``tensor`` carrying ``tangent`` (same shape; cast to the tensor's dtype) at ``level``; gradients
    flow through it to ``tensor``, as through any view."""
    level = _level if level is None else level
    if level < 0:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, make sure to "
                           "enter_dual_level() first.")
    for name, t in (("primal", tensor), ("tangent", tangent)):
        if not t.dtype.is_floating_point:
            raise ValueError(f"Expected {name} to be floating point or complex, but got: {t.dtype}")
    if level != _level:
        raise RuntimeError("Invalid level given to _make_dual")
    if _tangent(tensor._data) is not None:
        raise RuntimeError("Making a dual Tensor based on a Tensor that already has a forward gradient at the same "
                           f"level {level} is not supported.")
    if tangent.shape != tensor.shape:
        raise RuntimeError(_SIZE.format(list(tensor.shape), list(tangent.shape)))
    dual = _alias(tensor)
    _set(dual._data, tangent if tangent.dtype is tensor.dtype else tangent.to(tensor.dtype))
    return dual


def unpack_dual(tensor: Tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """(primal, tangent) of ``tensor`` at ``level``: a view without the tangent, and the tangent (None if it has
    none); outside any level, the tensor itself and None."""
    level = _level if level is None else level
    if level < 0:
        return UnpackedDualTensor(tensor, None)
    tangent = _tangent(tensor._data)
    if level != _level and tangent is not None:
        raise RuntimeError("Invalid level given to _fw_primal")
    return UnpackedDualTensor(_alias(tensor), tangent if level == _level else None)


def pushforward(fn: Callable[[list[Tensor]], Any], primals: Sequence[Tensor], tangents: Sequence[Tensor],
                outputs: Callable[[Any], Sequence[Any]]) -> tuple[Any, list[Tensor | None]]:
    """Jacobian-vector products in one forward pass: ``fn`` run on the dual tensors (primal_i, tangent_i), in a level
    of its own, and J t, the tangent of each of ``outputs(result)`` (None for one that has none, or is no tensor).
    What ``minigrad.func.jvp`` and ``autograd.functional.jvp`` compute with. Tangents propagate in it even where they
    are paused outside (in a custom Function's forward), as torch.func turns forward grad on for its own level."""
    with dual_level(), paused(False):
        result = fn([make_dual(p, t) for p, t in zip(primals, tangents)])
        return result, [unpack_dual(o).tangent if isinstance(o, _Tensor) else None for o in outputs(result)]


@contextmanager
def paused(pause: bool = True) -> Iterator[None]:
    """No tangent propagates inside (PyTorch's forward-grad mode off): what runs in here is not differentiated
    forward (a custom Function's forward and jvp, an op rerun to record its backward). ``paused(False)``: they do."""
    global _paused
    before = _paused
    _paused = pause
    _set_active()
    try:
        yield
    finally:
        _paused = before
        _set_active()


def _alias(tensor: Tensor) -> Tensor:
    """A view of the whole tensor (its own array object, so its own tangent), recorded when it requires grad."""
    global active
    active = False  # the view takes no tangent from ``tensor``
    try:
        return tensor.view(tensor.shape)
    finally:
        _set_active()


def _set_active() -> None:
    global active
    active = _level >= 0 and not _paused


def use(tensor_class: type, apply: Callable[..., Any]) -> None:
    """Set the Tensor class and ``tensor.apply`` (minigrad.tensor calls this once it has defined them)."""
    global _Tensor, _apply
    _Tensor, _apply = tensor_class, apply


# ----- tangents, per array ----------------------------------------------------------------------------------------
def _tangent(array: Any) -> Tensor | None:
    entry = _tangents.get(id(array))
    if entry is None:
        return None
    held, tangent = entry
    return tangent if (held() if isinstance(held, weakref.ref) else held) is array else None


def _set(array: Any, tangent: Tensor) -> None:
    key = id(array)
    try:
        held: Any = weakref.ref(array, lambda _, key=key, table=_tangents: table.pop(key, None))
    except TypeError:  # a numpy scalar takes no weak reference: held until the level closes
        held = array
    _tangents[key] = (held, tangent)


def tangent_of(tensor: Tensor) -> Tensor | None:
    """The tangent ``tensor`` carries at the open level, or None (for tools that read tangents without a view)."""
    return _tangent(tensor._data)


def set_tangent(tensor: Tensor, tangent: Tensor, inplace: bool = False) -> None:
    """Give ``tensor`` the tangent ``tangent``, as it is (PyTorch's ``_set_fw_grad``, for a custom Function's jvp);
    ``inplace``: as for a tensor written in place (``written``)."""
    if tangent.shape != tensor.shape:
        raise RuntimeError(_SIZE.format(list(tensor.shape), list(tangent.shape)))
    if _tangent(tangent._data) is not None:
        raise RuntimeError(f"Setting a forward grad that itself has a forward gradient at the same level{_level} is "
                           "not supported.")
    if inplace:
        written(tensor, tangent)
    else:
        _set(tensor._data, tangent)


# ----- propagation: what ``tensor.apply`` calls while a level is open ---------------------------------------------
class Primals:
    """What an op's ``jvp`` rule sees: ``inputs`` (the arrays forward took, after promotion; numbers as 0-d arrays),
    ``output`` (forward's result: an array, or a tuple for several outputs), ``params`` (forward's keyword
    arguments), and, as attributes, whatever forward left on its own context (``ctx.axes``)."""

    def __init__(self, ctx: Context, inputs: list[np.ndarray], output: Any, params: dict[str, Any]) -> None:
        self._ctx, self.inputs, self.output, self.params = ctx, inputs, output, params

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)


def propagate(op: Any, ctx: Context, inputs: tuple[Any, ...], arrays: list[np.ndarray],
              params: dict[str, Any], result: Any) -> None:
    """Give the outputs of the registry op ``op`` (just applied) their tangents, where an input carries one."""
    tangents = [None if not isinstance(x, _Tensor) else _tangent(x._data) for x in inputs]
    if all(t is None for t in tangents) or not op.differentiable:
        return
    outputs = (result if isinstance(result, tuple) else (result,))[:op.differentiable_outputs]
    if outputs[0]._data.dtype.kind != "f":
        return
    tangents = [None if t is None else K.cast(t._data, a.dtype) for t, a in zip(tangents, arrays)]
    for x, a, t in zip(inputs, arrays, tangents):
        if t is not None and a is not x._data:  # promoted: a recorded backward meets this array, with its tangent
            _set(a, _Tensor._make(t))
    if op.jvp is not None:
        output = tuple(o._data for o in result) if isinstance(result, tuple) else result._data
        found = op.jvp(Primals(ctx, arrays, output, params), *tangents)
    else:
        found = _transposed_vjp(op, arrays, params, tangents)
    for o, t in zip(outputs, found if isinstance(found, tuple) else (found,)):
        if t is not None:
            t = K.cast(t, o._data.dtype)
            _set(o._data, _Tensor._make(t if t.shape == o._data.shape else K.expand(t, o._data.shape)))


def _transposed_vjp(op: Any, arrays: list[np.ndarray], params: dict[str, Any],
                    tangents: list[np.ndarray | None]) -> tuple[np.ndarray | None, ...]:
    """J v for an op without a jvp rule, from its backward: J v = d<J^T u, v>/du (the backward is linear in u, so
    this is exact at any u; u = 0 here). The op runs again on fresh leaves so that its backward can be recorded; an
    op whose backward cannot be recorded (``higher_order.NOT_YET``) refuses, naming itself."""
    try:
        with paused(), enable_grad():  # (the leaves share the inputs' arrays, hence their tangents)
            leaves = [_Tensor._make(a, requires_grad=t is not None) for a, t in zip(arrays, tangents)]
            result = _apply(op, *leaves, **params)
            outputs = (result if isinstance(result, tuple) else (result,))[:op.differentiable_outputs]
            us = [_Tensor._make(K.zeros(o._data.shape, o._data.dtype), requires_grad=True) for o in outputs]
            wanted = [(leaf, t) for leaf, t in zip(leaves, tangents) if t is not None]
            vjps = api.grad(outputs, [leaf for leaf, _ in wanted], us, create_graph=True, allow_unused=True)
            terms = [(g * _Tensor._make(t)).sum() for g, (_, t) in zip(vjps, wanted)
                     if g is not None and g.requires_grad]
            if not terms:
                return tuple(K.zeros(o._data.shape, o._data.dtype) for o in outputs)
            found = api.grad(sum(terms[1:], terms[0]), us, allow_unused=True, materialize_grads=True)
    except NotImplementedError as error:  # its backward, or a step of it, cannot be recorded
        raise NotImplementedError(f"Trying to use forward AD with {op.torch} ({op.__name__}) that does not support it "
                                  f"because it has not been implemented yet ({error})") from error
    return tuple(g._data for g in found)


def inplace(tensor: Tensor, result: Tensor) -> None:
    """After ``result`` was written into ``tensor`` in place: the tensor's tangent becomes the result's."""
    tangent = _tangent(result._data)
    if tangent is None and _tangent(tensor._data) is None:
        return
    if tangent is None:  # the new values do not depend on the old tangent (copy_, fill_ of a constant)
        tangent = _Tensor._make(K.zeros(tensor._data.shape, tensor._data.dtype))
    written(tensor, tangent)


def written(tensor: Tensor, tangent: Tensor) -> None:
    """``tensor`` was written in place and its tangent is now ``tangent``: so is its base's, where it lies in it."""
    _set(tensor._data, tangent)
    if tensor._view is not None:  # the base's tangent changes where the view lies in it (other views keep theirs)
        base = tensor._view.base
        old = _tangent(base._data)
        whole = K.zeros(base._data.shape, base._data.dtype) if old is None else K.copy(old._data)
        K.put(whole, K.view_positions(base._data, tensor._data), K.expand(tangent._data, tensor._data.shape))
        _set(base._data, _Tensor._make(whole))


def detached(tensor: Tensor) -> Tensor:
    """``tensor.detach()`` while a level is open: its own array object, so it carries no tangent (as in PyTorch)."""
    return _Tensor._make(tensor._data.view() if isinstance(tensor._data, np.ndarray) else tensor._data)
