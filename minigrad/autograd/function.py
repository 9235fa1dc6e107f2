"""Custom differentiable operations: ``Function``, PyTorch's ``torch.autograd.Function``.

A ``Function`` is an op written by its user, as two static methods on tensors: ``forward`` computes the output
(in no-grad mode: what it does inside is not recorded) and ``backward`` turns the gradient of each output into the
gradient of each input. ``MyReLU.apply(x)`` runs forward and records one graph node, ``MyReLUBackward``, whose
step in the engine is to call ``backward``::

    class MyReLU(minigrad.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)              # kept for backward (version-checked, freed after it)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):           # one gradient per output
            x, = ctx.saved_tensors
            return grad_output * (x > 0)          # one gradient per input (None: no gradient)

    y = MyReLU.apply(x)                           # y.grad_fn is a MyReLUBackward

``forward`` may instead leave out ``ctx`` and a ``setup_context(ctx, inputs, output)`` fill it (PyTorch 2's style).
The engine works on arrays; the node below wraps them in tensors for ``backward`` and checks what it returns with
PyTorch's errors. Everything observable follows PyTorch's ``custom_function.cpp`` and ``python_function.cpp``:
which outputs get the node, inputs returned as they are (a new view of them), ``mark_dirty`` (the input's history
is rebased, as for an in-place op), ``mark_non_differentiable``, gradient materialization, saved tensors.

Forward mode (``autograd.forward_ad``): forward runs with tangent propagation paused, and when an input carries a
tangent, the Function's ``jvp(ctx, *tangents)`` gives its outputs theirs (the J v of the op), with what forward kept
by ``ctx.save_for_forward`` in ``ctx.saved_tensors``::

        @staticmethod
        def jvp(ctx, x_t):                        # one tangent per argument of forward (zeros where none)
            x, = ctx.saved_tensors                # (forward called ctx.save_for_forward(x))
            return x_t * (x > 0)                  # one tangent per output

A Function without ``jvp`` used on tensors that carry tangents raises PyTorch's NotImplementedError.
"""

from __future__ import annotations

import functools
import inspect
import re
import warnings
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from . import anomaly, engine, forward_ad, graph, versions
from .grad_mode import is_grad_enabled, no_grad, set_grad_enabled

__all__ = ["BackwardCFunction", "Function", "FunctionCtx", "once_differentiable"]

_BACKWARD_SUFFIX = re.compile(r"Backward\d*$")
Meta = engine.Meta  # (shape, dtype) of a tensor


def _tensor_class() -> type:
    """``minigrad.Tensor``: this layer sits below it and never imports it; ``minigrad.tensor`` hands its class to the
    graph module when it loads (``graph.use_tensor_class``)."""
    return graph._Tensor


def _typename(value: Any) -> str:
    """A type as PyTorch's C++ messages name it (its tp_name: ``int``, ``numpy.ndarray``, a class's own name)."""
    kind = type(value)
    if kind.__module__ == "builtins" or kind.__flags__ & (1 << 9):  # Py_TPFLAGS_HEAPTYPE: a class defined in Python
        return kind.__name__
    return f"{kind.__module__}.{kind.__qualname__}"


class _Saved:
    """One tensor given to ``save_for_backward``, as backward gets it back: an input or any other tensor as itself;
    an output of the Function as its array (the output holds the node, which holds this: no cycle), made a tensor of
    the node again when unpacked. Its version is checked when it is unpacked, as PyTorch's ``SavedVariable``."""

    __slots__ = ("array", "is_output", "output_nr", "packed", "tensor", "version")

    def __init__(self, tensor: Any, node: BackwardCFunction) -> None:
        self.array = tensor._data
        self.is_output = tensor._grad_fn is node
        self.output_nr = tensor._output_nr
        self.tensor = None if self.is_output else tensor
        self.version = versions.version(self.array)
        self.packed = None
        if graph.packing():  # saved_tensors_hooks: kept as its pack hook returned it, unversioned
            self.packed, self.array, self.tensor = graph.pack({}, {"saved": self.array}), None, None

    def unpack(self, node: BackwardCFunction | None) -> Any:
        tensor_class = _tensor_class()
        if self.packed is not None:
            array = self.packed["saved"]
            return tensor_class._make(array, grad_fn=node if self.is_output else None, output_nr=self.output_nr)
        now = versions.version(self.array)
        if now != self.version:
            raise self._modified(node, now)
        if self.tensor is not None:
            return self.tensor
        return tensor_class._make(self.array, grad_fn=node, output_nr=self.output_nr)

    def _modified(self, node: BackwardCFunction | None, now: int) -> RuntimeError:
        """PyTorch's error: it names the node whose output the tensor is (for an input, the one it has now)."""
        maker = node if self.is_output else self.tensor.grad_fn
        made_by = None if maker is None else re.sub(_BACKWARD_SUFFIX, "", maker.name())
        error = errors.saved_tensor_modified(self.array, made_by, now, self.version, anomaly.enabled)
        if made_by is not None and self.output_nr:  # the shared text always says output 0
            error.args = (error.args[0].replace("output 0 of", f"output {self.output_nr} of", 1),)
        return error


class FunctionCtx:
    """``ctx``: what forward (or ``setup_context``) leaves for backward. Any attribute may be set on it; these methods
    tell the Function's node what it needs to know."""

    def __init__(self) -> None:
        self.to_save: tuple[Any, ...] = ()
        self.dirty_tensors: tuple[Any, ...] = ()
        self.non_differentiable: tuple[Any, ...] = ()
        self.materialize_grads = True
        self.saved_for_forward: tuple[Any, ...] | None = None  # (only while ``apply`` runs, as in PyTorch)
        self.needs_input_grad: tuple[bool, ...] = ()  # per argument of forward: a tensor that requires grad
        self._saved: list[_Saved | None] = []
        self._freed = False
        self._node: Callable[[], BackwardCFunction | None] = lambda: None  # (weakly: the node holds this context)

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep ``tensors`` (or None) for backward, which reads them back from ``ctx.saved_tensors``. They are checked
        to be unchanged since (no in-place write) and freed after backward, unless it retains the graph."""
        self.to_save = tensors

    def save_for_forward(self, *tensors: Any) -> None:
        """Keep ``tensors`` (or None) for ``jvp``, which reads them back, as they are, from ``ctx.saved_tensors``."""
        if not all(t is None or isinstance(t, _tensor_class()) for t in tensors):
            raise AssertionError("save_for_forward expects all arguments to be tensors; you should save non-tensors "
                                 "as attributes on ctx.")
        self.saved_for_forward = tensors

    def mark_dirty(self, *tensors: Any) -> None:
        """Tell the node that forward changed these inputs in place (and returns them): their history continues from
        this node, as after an in-place op."""
        self.dirty_tensors = tensors

    def mark_non_differentiable(self, *tensors: Any) -> None:
        """These outputs get no gradient (indices, masks): they do not require grad. Backward is still given a
        gradient for each of them (zeros, or None without materialization)."""
        self.non_differentiable = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """Whether backward gets zeros (the default) or None for an output no gradient reached."""
        self.materialize_grads = bool(value)

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """What forward gave ``save_for_backward``: PyTorch's errors if one was modified in place since, or after a
        backward that freed them. While ``apply`` runs (in ``jvp``), what was given ``save_for_forward``, if any: else
        nothing is saved yet, ``()``."""
        if self.saved_for_forward is not None:
            return self.saved_for_forward
        if self._freed:
            raise errors.graph_freed()
        node = self._node()
        return tuple(None if saved is None else saved.unpack(node) for saved in self._saved)

    def _save(self, node: BackwardCFunction) -> None:
        """Record ``to_save`` once the outputs have their node (an output is saved as one)."""
        self._saved = [None if t is None else _Saved(t, node) for t in self.to_save]
        self._node = weakref.ref(node)

    def _free(self) -> None:
        self._saved, self.to_save, self._freed = [], (), True


class _Released(engine.Context):
    """The engine's context of a Function's node: backward without ``retain_graph`` frees the saved tensors through
    it (even when none were saved: reading ``saved_tensors`` then fails, as in PyTorch)."""

    def __init__(self, ctx: FunctionCtx) -> None:
        super().__init__()
        self.function_ctx = ctx

    def release(self) -> None:
        super().release()
        self.function_ctx._free()


def _expandable(shape: tuple[int, ...], to: tuple[int, ...]) -> bool:
    """Whether ``shape`` broadcasts to ``to`` (a gradient of shape ``to`` then sums back to ``shape``)."""
    return len(shape) <= len(to) and all(n == m or n == 1 for n, m in zip(shape[::-1], to[::-1]))


class BackwardCFunction(engine.Node):
    """The graph node of one ``Function.apply``: an instance of ``<Function>Backward``, a class made for each Function
    (PyTorch's names). Its step in the engine: wrap the gradient of each output in a tensor (zeros where none arrived,
    unless the ctx says otherwise), call the Function's ``backward`` in no-grad mode, check what it returns (one
    gradient per argument of forward, None for those that are not tensors, each of a shape that broadcasts to its
    input's), and hand the engine an array per tensor input (it sums and casts them to the input)."""

    _forward_cls: type[Function]

    def __init__(self, ctx: FunctionCtx, edges: Sequence[engine.Edge | None], inputs: Sequence[Meta],
                 output_meta: Sequence[Meta | None], several: bool, tensor_arguments: Sequence[bool]) -> None:
        super().__init__(op=None, ctx=_Released(ctx), edges=tuple(edges), inputs=tuple(inputs),
                         outputs=tuple([meta or ((), None) for meta in output_meta]) if several else ())
        self.function_ctx = ctx
        self.output_meta = tuple(output_meta)  # per output of forward: (shape, dtype), None for a non-tensor
        self.tensor_arguments = tuple(tensor_arguments)  # per argument of forward: whether it was a tensor

    def name(self) -> str:
        return type(self).__name__

    def formulas(self) -> tuple[str, ...]:
        """The Function's docstring (its first paragraph), or what the node is."""
        doc = self._forward_cls.__doc__
        if doc:
            return (" ".join(inspect.cleandoc(doc).split("\n\n")[0].split()),)
        return (f"custom backward of {self._forward_cls.__name__}",)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} object at {id(self):#x}>"

    def __getattr__(self, name: str) -> Any:
        """What forward set on ``ctx`` reads from the node too (PyTorch's ctx is the node): ``grad_fn.saved_tensors``,
        ``grad_fn.needs_input_grad``, the Function's own attributes."""
        ctx = self.__dict__.get("function_ctx")
        if ctx is not None and not name.startswith("__") and hasattr(ctx, name):
            return getattr(ctx, name)
        return super().__getattr__(name)

    def apply(self, grad: np.ndarray | list[np.ndarray | None] | None) -> tuple[np.ndarray | None, ...]:
        """backward on the gradients: arrays, or, in a ``create_graph=True`` pass, tensors; then backward runs with
        grad mode on, as in PyTorch, so that its own steps are recorded, and its results stay tensors."""
        tensor_class = _tensor_class()
        ctx = self.function_ctx
        grads = list(grad) if self.outputs else [grad]
        recorded = any(isinstance(g, tensor_class) for g in grads)
        if ctx.materialize_grads:  # zeros for outputs no gradient reached (not for non-tensor outputs)
            grads = [K.zeros(*meta) if g is None and meta is not None else g
                     for g, meta in zip(grads, self.output_meta)]
        with set_grad_enabled(recorded):
            result = self._forward_cls._user_backward()(
                ctx, *[g if g is None or isinstance(g, tensor_class) else tensor_class._make(g) for g in grads])
        checked = self._checked(result, tensor_class)
        return checked if recorded else tuple(None if g is None else g._data for g in checked)

    def _checked(self, result: Any, tensor_class: type) -> tuple[Any, ...]:
        """backward's result as one tensor (or None) per tensor input, after PyTorch's checks."""
        result = result if isinstance(result, tuple) else (result,)
        expected = len(self.tensor_arguments)
        if len(result) > expected and all(g is None for g in result[expected:]):  # extra Nones are allowed
            result = result[:expected]
        if len(result) != expected:
            raise errors.function_gradient_count(self.name(), expected, len(result))
        grads = []
        for position, (g, is_tensor) in enumerate(zip(result, self.tensor_arguments)):
            if not is_tensor:
                if g is not None:
                    raise errors.function_gradient_not_none(self.name(), position + 1)
                continue
            if g is not None and not isinstance(g, tensor_class):
                raise errors.function_gradient_type(_typename(g))
            grads.append(g)
        for index, (g, edge, (shape, _)) in enumerate(zip(grads, self.next_edges, self.inputs)):
            if g is not None and edge is not None and not _expandable(shape, g._data.shape):
                raise errors.function_gradient_shape(self.name(), index, g._data.shape, shape)
        return tuple(grads)


def _positional(forward: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """``apply``'s keyword arguments moved to their places among forward's positional parameters (after ctx), as
    PyTorch's C++ ``apply`` does: up to the last one given, with no defaults filled in between."""
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    names = [p.name for p in inspect.signature(forward).parameters.values() if p.kind in kinds][1:]
    placed = dict(enumerate(args))
    for name, value in kwargs.items():
        if name not in names:
            raise errors.function_unexpected_keyword(name)
        if names.index(name) in placed:
            raise errors.function_repeated_argument(name)
        placed[names.index(name)] = value
    for position in range(max(placed) + 1):
        if position not in placed:
            raise errors.function_missing_argument(names[position], position)
    return tuple(placed[position] for position in range(len(placed)))


class Function:
    """Base class of custom differentiable ops: subclass it with static ``forward`` and ``backward`` methods, then
    call ``apply`` (see the module's docstring). Never instantiated: its methods are all static."""

    _backward_cls: type[BackwardCFunction]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__name__ + "Backward"
        cls._backward_cls = type(name, (BackwardCFunction,), {"_forward_cls": cls, "__module__": __name__,
                                                               "__qualname__": name})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(errors.function_instantiated_warning(type(self)), DeprecationWarning, stacklevel=2)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise errors.function_legacy_call()

    @staticmethod
    def forward(*args: Any, **kwargs: Any) -> Any:
        """The output(s) from the inputs: ``forward(ctx, *args)``, or ``forward(*args)`` with ``setup_context``."""
        raise errors.function_forward_missing()

    @staticmethod
    def setup_context(ctx: FunctionCtx, inputs: tuple[Any, ...], output: Any) -> Any:
        """Fill ``ctx`` from forward's inputs and output (only for a forward without ctx)."""
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Any) -> Any:
        """The gradient of each input of forward from the gradient of each output (None: no gradient)."""
        raise errors.function_backward_missing()

    vjp = backward  # PyTorch's other name for backward

    @staticmethod
    def jvp(ctx: FunctionCtx, *grad_inputs: Any) -> Any:
        """Forward mode: the tangent of each output of forward from the tangent of each of its arguments (None for
        one that is not a tensor), None for an output that is not a differentiable tensor."""
        raise NotImplementedError("You must implement the jvp function for custom autograd.Function to use it with "
                                  "forward mode AD.")

    @classmethod
    def _user_backward(cls) -> Callable[..., Any]:
        if cls.backward is not Function.backward and cls.vjp is not Function.vjp:
            raise errors.function_backward_and_vjp()
        return cls.vjp if cls.vjp is not Function.vjp else cls.backward

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run forward in no-grad mode and, when grad mode is on and an input requires grad, give its tensor outputs
        this Function's node (``<Function>Backward``) so that backward runs the Function's ``backward``."""
        with_setup_context = cls.setup_context is not Function.setup_context
        if with_setup_context:  # the inputs setup_context sees: every argument, defaults filled in
            bound = inspect.signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, bound.kwargs
        elif kwargs:
            args, kwargs = _positional(cls.forward, args, kwargs), {}
        tensor_class = _tensor_class()
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, tensor_class) and a.requires_grad for a in args)
        recording = is_grad_enabled() and True in ctx.needs_input_grad
        with no_grad(), forward_ad.paused():
            if with_setup_context:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        return _wrap_outputs(cls, ctx, args, output, recording, with_setup_context)


def _wrap_outputs(cls: type[Function], ctx: FunctionCtx, args: tuple[Any, ...], output: Any, recording: bool,
                  with_setup_context: bool) -> Any:
    """forward's output(s), each given its place in the graph as PyTorch's ``_process_backward_mode_ad`` does."""
    tensor_class = _tensor_class()
    inputs = [a for a in args if isinstance(a, tensor_class)]
    several = isinstance(output, tuple)
    raw = list(output) if several else [output]
    node = None
    if recording:
        for index, t in enumerate(ctx.to_save):
            if t is not None and not isinstance(t, tensor_class):
                raise errors.function_save_not_tensor(index, _typename(t))
        node = cls._backward_cls(
            ctx, [t._grad_edge() for t in inputs], [(t._data.shape, t._data.dtype) for t in inputs],
            [(o._data.shape, o._data.dtype) if isinstance(o, tensor_class) else None for o in raw], several,
            [isinstance(a, tensor_class) for a in args])
    # setup_context may not save an input returned as is
    saved_as_is = (*ctx.to_save, *(ctx.saved_for_forward or ())) if with_setup_context else ()
    for t in ctx.dirty_tensors:  # each counts as written once more, by this node
        versions.bump(t._data, node)
        if not _among(t, inputs):
            warnings.warn(errors.function_dirty_not_input_warning(), UserWarning, stacklevel=3)

    results, differentiable_outputs = [], 0
    for i, o in enumerate(raw):
        if not isinstance(o, tensor_class):
            results.append(o)
            continue
        is_input, is_modified = _among(o, inputs), _among(o, ctx.dirty_tensors)
        differentiable = (node is not None and not _among(o, ctx.non_differentiable)
                          and o._data.dtype.kind == "f")
        if not differentiable:
            if not o.requires_grad:
                if is_input and not is_modified:  # a new view of the input, which keeps its own history
                    if _among(o, saved_as_is):
                        raise errors.function_input_returned_saved()
                    o = _view_of(o)
            elif is_input:  # an input that requires grad: a detached alias of it
                o = o.detach()
        elif is_modified:  # an input written in place: its history now continues from this node
            if o.is_leaf and o.requires_grad:
                raise errors.function_dirty_leaf()
            if o._view is not None and len(raw) > 1:
                raise errors.function_dirty_view_several_outputs()
            o._grad = None
            o._rebase_history(node)
            if o._view is None:
                o._output_nr = i
        else:
            if is_input:  # returned as it is: a new view of it, which takes this node (the input keeps its own)
                if _among(o, saved_as_is):
                    raise errors.function_input_returned_saved()
                o = _view_of(o)
            o._grad_fn, o._output_nr, o._requires_grad = node, i, True
        if o._view is not None and not (is_input and is_modified):  # PyTorch refuses in-place writes into it
            o._view.made, o._view.function, o._view.output = "custom", cls.__name__, i
        differentiable_outputs += differentiable
        results.append(o)
    if differentiable_outputs > 1:  # views among several outputs: as for the views unbind returns
        for o in results:
            if isinstance(o, tensor_class) and o._view is not None:
                o._view.made = "multi"
    for t in ctx.dirty_tensors:
        if not _among(t, raw):
            raise errors.function_dirty_not_returned()
    if forward_ad.active:
        _forward_mode(cls, ctx, args, inputs, raw, results)
    ctx.saved_for_forward = None
    if node is not None:
        ctx._save(node)
    return tuple(results) if several else results[0]


def _among(t: Any, tensors: Sequence[Any]) -> bool:
    """Whether ``t`` itself (not an equal tensor) is one of ``tensors``."""
    return any(t is x for x in tensors)


def _position(t: Any, tensors: Sequence[Any]) -> int | None:
    """Where ``t`` itself is in ``tensors``, or None."""
    return next((k for k, x in enumerate(tensors) if x is t), None)


def _base(t: Any) -> Any:
    """The tensor whose memory ``t`` views (``t`` itself if it is no view)."""
    return t if t._view is None else t._view.base


def _forward_mode(cls: type[Function], ctx: FunctionCtx, args: tuple[Any, ...], inputs: list[Any], raw: list[Any],
                  results: list[Any]) -> None:
    """Forward-mode AD through the Function, where an input carries a tangent, as PyTorch's
    ``_process_forward_mode_AD``: ``jvp`` gets one tangent per argument of forward (zeros for a floating-point tensor
    without one, unless the ctx does not materialize grads; None for a non-tensor) and returns one per output (None
    for an output that is not a differentiable tensor), each set as that output's tangent. PyTorch's checks: an output
    viewing an input that has a tangent needs a view of that tangent, and an input modified in place (``mark_dirty``)
    needs its tangent modified in place and returned as it is."""
    tangents = [forward_ad.tangent_of(t) for t in inputs]
    if all(t is None for t in tangents):
        return
    tensor_class = _tensor_class()
    written_before = [None if t is None else versions.version(t._data) for t in tangents]
    given, k = [], 0
    for a in args:
        if isinstance(a, tensor_class):
            t = tangents[k]
            if t is None and ctx.materialize_grads and a._data.dtype.kind == "f":
                t = tensor_class._make(K.zeros(a._data.shape, a._data.dtype))
            given.append(t)
            k += 1
        else:
            given.append(None)
    with forward_ad.paused():
        found = cls.jvp(ctx, *given)
    found = found if isinstance(found, tuple) else (found,)
    for i, g in enumerate(found):
        if g is not None and not isinstance(g, tensor_class):
            raise RuntimeError(f"expected Variable or None (got {_typename(g)}) for grad output {i}.")
    if len(found) != len(raw):
        raise RuntimeError(f"Function's jvp returned an invalid number of forward gradients (expected {len(raw)} but "
                           f"got {len(found)})")
    bases: dict[int, int] = {}
    for k, t in enumerate(inputs):
        bases.setdefault(id(_base(t)), k)
    for i, (o, out, g) in enumerate(zip(raw, results, found)):
        if not isinstance(o, tensor_class):
            continue
        if _among(o, ctx.non_differentiable) or o._data.dtype.kind != "f":
            if g is not None:
                raise RuntimeError(f"Function's jvp returned a gradient at position {i}, but  the corresponding "
                                   "forward output is not a differentiable Tensor.You should return None at that "
                                   "position instead.")
            continue
        if g is None:  # (PyTorch fails here on an internal assert, setting an undefined forward grad)
            raise RuntimeError(f"Function's jvp returned None at position {i}, for a differentiable output: return "
                               "its tangent (zeros for none).")
        if _among(o, ctx.dirty_tensors):
            k = _position(o, inputs)
            if k is None:
                raise RuntimeError("Only input Tensors should be given to ctx.mark_dirty(). If a Tensor is not an "
                                   "input, there is no need to pass it to mark_dirty().")
            if tangents[k] is None:
                forward_ad.set_tangent(out, g, inplace=True)
            elif versions.version(g._data) == written_before[k]:
                raise RuntimeError("An inplace custom Function is not modifying the forward mode gradients inplace. "
                                   "If the forward is modifying an input inplace, then the jvp function must modify "
                                   "the corresponding gradient inplace.")
            elif g is not tangents[k]:
                raise RuntimeError("An inplace custom Function is not returning the forward mode gradients as-is. If "
                                   "the forward is modifying an input inplace, then the jvp function must modify the "
                                   "gradient inplace and return it as-is.")
            continue
        k = bases.get(id(out._view.base)) if out._view is not None else None
        if k is not None:  # a view of an input (or the input returned as it is)
            tangent = tangents[k]
            if tangent is None:  # as an in-place write into it; PyTorch gives the outputs after it no tangent
                forward_ad.set_tangent(out, g, inplace=True)
                return
            if g._view is None:
                raise RuntimeError("A custom Function's forward is returning a view (or an input as-is) but the jvp "
                                   "is not returning a view.")
            if g._view.base is not _base(tangent):
                raise RuntimeError("A custom Function is returning a view but the jvp is not returning a view of "
                                   + ("the same base as the given grad input." if tangent._view is not None
                                      else "the given grad input."))
        forward_ad.set_tangent(out, g)


def _view_of(t: Any) -> Any:
    """``t.view_as(t)`` made in no-grad mode: the same memory under a new tensor (PyTorch's ``view_as_self``)."""
    with no_grad():
        return t.view_as(t)


class _DelayedError(engine.Node):
    """What a ``once_differentiable`` backward's outputs point to when grad mode is on: differentiating them again is
    PyTorch's error (its ``DelayedError`` node, named ``Error``)."""

    def __init__(self, edges: Sequence[engine.Edge | None], metas: Sequence[Meta]) -> None:
        super().__init__(op=None, ctx=engine.Context(), edges=tuple(edges), inputs=tuple(metas),
                         outputs=tuple(metas) if len(metas) > 1 else ())

    def name(self) -> str:
        return "Error"

    def formulas(self) -> tuple[str, ...]:
        return ("none: the backward that made this was marked @once_differentiable",)

    def apply(self, grad: Any) -> tuple[np.ndarray | None, ...]:
        raise errors.once_differentiable_twice()


def once_differentiable(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a Function's ``backward`` that cannot itself be differentiated: it runs in no-grad mode, and if grad
    mode is on and a gradient given to it requires grad, its outputs point to a node whose backward is an error."""

    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        with no_grad():
            outputs = fn(ctx, *args, **kwargs)
        tensor_class = _tensor_class()
        if not is_grad_enabled() or not any(isinstance(a, tensor_class) and a.requires_grad for a in args):
            return outputs
        fakes = [None if o is None else o.detach().requires_grad_()
                 for o in (outputs if isinstance(outputs, tuple) else (outputs,))]
        node = _DelayedError([None if f is None else f._grad_edge() for f in fakes],
                             [((), None) if f is None else (f._data.shape, f._data.dtype) for f in fakes])
        results = tuple(None if f is None else tensor_class._make(f._data, grad_fn=node, output_nr=i)
                        for i, f in enumerate(fakes))
        return results[0] if len(results) == 1 else results

    return wrapper
