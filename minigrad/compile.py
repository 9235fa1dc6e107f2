"""``minigrad.compile``: a training step traced once into one numba function (``torch.compile``, shown small).

    step = minigrad.compile(train_step)   # train_step: forward, loss, zero_grad, backward, optimizer.step()
    loss = step()                          # a call is one step; step(steps=100) runs 100 steps in one call
    print(step.source)                     # the generated function, readable like hand-written numpy

A call of the step runs kernels on arrays; everything else (tensors, graph, optimizer bookkeeping) is Python
deciding which kernels to run on which arrays. When those decisions repeat, the kernel calls can be written
down once and replayed. The first three calls run eagerly, each doing one more stage:

1. **Warm-up**: kernels compile, optimizers create their state (momentum buffers, step counts).
2. **Trace**: every kernel call is recorded (``_Tracer``): the kernel, its numbers, and for each array the
   memory (*buffer*) it views and how. Buffers still referenced when the step returns (parameters, gradients,
   optimizer state, data, the loss) are the step's *state*; the others were temporaries, kept from now on as
   preallocated scratch. A probe finds the temporaries whose contents at allocation are read (a sum's zeroed
   accumulator): the generated step resets those. From the calls comes the source of one function
   (``source``), with a loop for ``steps=N``, which numba compiles.
3. **Verify**: the step runs eagerly, then compiled from the same starting state; the two must agree bit for
   bit. Work the trace cannot see (a number that changes every step, like Adam's bias correction, or data
   computed outside the kernels) makes them differ, and the step then stays eager.

Later calls check guards (the arguments' shapes, dtypes and requires_grad, grad mode, and the tensors, modules
and optimizer settings the step refers to) and run the compiled function; a failed guard runs that call
eagerly, with a warning saying why. A compiled step returns its loss as a plain tensor (no ``grad_fn``).
"""

from __future__ import annotations

import builtins
import functools
import gc
import hashlib
import importlib.util
import inspect
import math
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numba
import numpy as np
from numba.core.dispatcher import Dispatcher

from . import kernels
from .autograd.grad_mode import is_grad_enabled
from .nn.module import Module
from .ops.registry import REGISTRY
from .optim.optimizer import Optimizer
from .tensor import Tensor

# Functions the tracer records besides numba kernels: they run in numba's object mode in the compiled step.
HOST_KERNELS = {(kernels.linalg, "blas_matmul")}
# The op-code argument of the elementwise loops, printed by name in the source.
_OP_CODES = {
    "_unary_loop": ("NEG", "EXP", "LOG", "SQRT", "ABS", "SIGN", "SIGMOID", "RELU", "TANH", "RECIPROCAL"),
    "_binary_loop": ("ADD", "SUB", "MUL", "DIV", "POW", "MAXIMUM", "MINIMUM", "LOGICAL_AND", "TANH_GRAD"),
    "_compare_loop": ("EQ", "NE", "LT", "LE", "GT", "GE"),
}


class CompileError(Exception):
    """Why a step cannot be compiled (it then runs eagerly)."""


# ----- tracing ---------------------------------------------------------------------------------------------------

def _owner(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory ``array`` views (walking ``.base``, through as_strided's wrapper too)."""
    while True:
        parent = array.base
        if parent is not None and not isinstance(parent, np.ndarray) and hasattr(parent, "__array_interface__"):
            parent = getattr(parent, "base", None)  # numpy's stride_tricks wrapper
        if not isinstance(parent, np.ndarray):
            return array
        array = parent


def _address(array: np.ndarray) -> int:
    return array.__array_interface__["data"][0]


@dataclass(frozen=True)
class View:
    """How an array a kernel got views a buffer: at ``offset`` bytes, with this shape, strides and dtype."""

    buffer: int
    offset: int
    shape: tuple[int, ...]
    strides: tuple[int, ...]
    dtype: np.dtype
    writeable: bool

    def on(self, owner: np.ndarray) -> np.ndarray:
        """This view of ``owner`` (the buffer itself when the view is all of it)."""
        if self.offset == 0 and self.shape == owner.shape and self.strides == owner.strides and \
                self.dtype == owner.dtype and self.writeable == owner.flags.writeable:
            return owner
        view = np.ndarray(self.shape, self.dtype, buffer=owner, offset=self.offset, strides=self.strides)
        view.flags.writeable = self.writeable
        return view


@dataclass
class Call:
    """One recorded kernel call: arguments are ``View``s or numbers; ``returned``: the views of the arrays it
    returned, or the number it returned (which the compiled step checks, as eager code may branch on it)."""

    module: str
    name: str
    kernel: Callable[..., Any]
    args: tuple[Any, ...]
    returned: tuple[View, ...] | Any
    label: str
    writes: frozenset[int]  # the buffers it may write: those it got writeable (numba cannot write the others)


@dataclass
class Tracer:
    """Records kernel calls while a step runs eagerly (``recording`` swaps itself in for the kernels)."""

    buffers: list[np.ndarray] = field(default_factory=list)  # owners, held so their memory is not reused
    first: dict[int, np.ndarray] = field(default_factory=dict)  # each buffer's contents when first seen
    read_first: set[int] = field(default_factory=set)  # buffers whose contents at first use are read
    written: set[int] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    failure: str | None = None  # why the calls cannot be replayed (the step itself runs on regardless)
    leaves: list[Tensor] = field(default_factory=list)  # tensors whose .grad the step set (its parameters)
    _index: dict[int, int] = field(default_factory=dict)

    def view(self, array: np.ndarray) -> View:
        owner = _owner(array)
        if id(owner) not in self._index:
            self._index[id(owner)] = len(self.buffers)
            self.buffers.append(owner)
            self.first[len(self.buffers) - 1] = owner.copy(order="K")
        return View(self._index[id(owner)], _address(array) - _address(owner), array.shape, array.strides,
                    array.dtype, bool(array.flags.writeable))

    def record(self, module: str, name: str, kernel: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        """Run ``kernel(*args)``, recording it (calls on numbers only are constants, not recorded)."""
        if not any(isinstance(a, np.ndarray) for a in args):
            return kernel(*args)
        new = {id(_owner(a)) for a in args if isinstance(a, np.ndarray)} - set(self._index)
        spec = tuple(self.view(a) if isinstance(a, np.ndarray) else self._number(a, name) for a in args)
        involved = sorted({v.buffer for v in spec if isinstance(v, View)})
        fresh = [i for i in involved if id(self.buffers[i]) in new]
        self.read_first.update(i for i in fresh if self._is_read(kernel, spec, involved, i))
        before = {i: self.buffers[i].tobytes() for i in involved}
        result = kernel(*args)
        writes = {i for i in involved if self.buffers[i].tobytes() != before[i]}
        writes.update(v.buffer for v in spec if isinstance(v, View) and v.writeable)
        arrays = result if isinstance(result, tuple) else (result,)
        if all(isinstance(r, np.ndarray) for r in arrays):
            returned = tuple(self.view(r) for r in arrays)
            writes.update(v.buffer for v in returned)
        else:
            returned = self._number(result, name)
        self.written.update(writes)
        self.calls.append(Call(module, name, kernel, spec, returned, _label(), frozenset(writes)))
        return result

    def _is_read(self, kernel: Callable[..., Any], spec: tuple[Any, ...], involved: list[int], i: int) -> bool:
        """Whether the kernel reads buffer ``i``'s present contents. It is run on copies of its arrays twice, with
        buffer ``i`` filled with NaN and then with 1.0: if it reads them, some result differs (elements of
        buffer ``i`` it left alone are set aside). Non-float buffers count as read: filling an index array with
        junk could make a kernel write out of bounds."""
        if self.buffers[i].dtype.kind != "f" or self.buffers[i].size == 0:
            return True

        def run(poison: float) -> tuple[list[bytes], np.ndarray]:
            copies = {j: self.buffers[j].copy(order="K") for j in involved}
            copies[i].fill(poison)
            returned = kernel(*(a.on(copies[a.buffer]) if isinstance(a, View) else a for a in spec))
            returned = returned if isinstance(returned, tuple) else (returned,)
            others = [c.tobytes() for j, c in copies.items() if j != i] + [np.asarray(r).tobytes() for r in returned]
            return others, copies[i].reshape(-1)

        others_nan, nan = run(np.nan)
        others_one, one = run(1.0)
        untouched = np.isnan(nan) & (one == 1.0)
        return others_nan != others_one or not np.array_equal(nan[~untouched], one[~untouched], equal_nan=True)

    def _number(self, value: Any, kernel: str) -> Any:
        """``value`` if the source can spell it (numbers, None, tuples of them); else the trace fails."""
        if not _spellable(value):
            self.failure = f"kernel {kernel} got or returned a {type(value).__name__}, which the source cannot spell"
        return value

    @classmethod
    def recording(cls) -> _Recording:
        return _Recording(cls())


def _spellable(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        return True
    return isinstance(value, tuple) and all(_spellable(v) for v in value)


def _label() -> str:
    """The caller outside the kernels of the kernel being recorded, e.g. ``Mul.backward`` or ``SGD._update``."""
    frame = sys._getframe(3)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(kernels.__name__):
        frame = frame.f_back
    if frame is None:
        return "?"
    return getattr(frame.f_code, "co_qualname", frame.f_code.co_name)


class _Recording:
    """Context manager: while active, every kernel called from Python (through its module) is recorded."""

    def __init__(self, tracer: Tracer) -> None:
        self.tracer = tracer
        self._saved: list[tuple[Any, str, Any]] = []

    def __enter__(self) -> Tracer:
        accumulate = Tensor._accumulate_grad
        leaves = self.tracer.leaves

        def accumulate_and_note(tensor: Tensor, grad: np.ndarray) -> None:  # the leaves that get gradients
            if all(leaf is not tensor for leaf in leaves):
                leaves.append(tensor)
            accumulate(tensor, grad)

        self._saved.append((Tensor, "_accumulate_grad", accumulate))
        Tensor._accumulate_grad = accumulate_and_note
        for module in _kernel_modules():
            for name, value in list(vars(module).items()):
                if isinstance(value, Dispatcher) or (module, name) in HOST_KERNELS:
                    self._saved.append((module, name, value))
                    setattr(module, name, self._proxy(module.__name__.rsplit(".", 1)[-1], name, value))
        return self.tracer

    def _proxy(self, module: str, name: str, kernel: Callable[..., Any]) -> Callable[..., Any]:
        def proxy(*args: Any) -> Any:
            return self.tracer.record(module, name, kernel, args)
        return proxy

    def __exit__(self, *exc: object) -> None:
        for module, name, value in self._saved:
            setattr(module, name, value)


def _kernel_modules() -> list[ModuleType]:
    prefix = kernels.__name__ + "."
    return [m for m in vars(kernels).values() if isinstance(m, ModuleType) and m.__name__.startswith(prefix)]


# ----- what the step refers to: named tensors, modules and optimizers, for names and guards --------------------

def _referenced(step_fn: Callable[..., Any], args: tuple[Any, ...]) -> dict[str, Any]:
    """The objects ``step_fn`` refers to (closure variables, globals it names) and its arguments, by name."""
    found: dict[str, Any] = {}
    try:
        refs = inspect.getclosurevars(step_fn)
        found.update(refs.globals)
        found.update(refs.nonlocals)
    except TypeError:  # not a Python function (a callable object)
        pass
    owner = getattr(step_fn, "__self__", None)  # a bound method: its object's attributes
    if owner is not None and hasattr(owner, "__dict__"):
        found.update(vars(owner))
    try:
        names = list(inspect.signature(step_fn).parameters)
    except (TypeError, ValueError):
        names = []
    for i, arg in enumerate(args):
        found[names[i] if i < len(names) else f"arg{i}"] = arg
    return found


def _named_tensors(objects: dict[str, Any]) -> Iterator[tuple[str, Tensor]]:
    """Tensors reachable from ``objects``: themselves, a module's parameters and buffers, an optimizer's
    parameters and state (named after their parameter), and inside lists, tuples and dicts."""
    names: dict[int, str] = {}
    for name, obj in objects.items():
        if isinstance(obj, Module):
            for sub, t in [*obj.named_parameters(), *obj.named_buffers()]:
                names.setdefault(id(t), f"{name}.{sub}")
                yield names[id(t)], t
    for name, obj in objects.items():
        if isinstance(obj, Tensor):
            names.setdefault(id(obj), name)
            yield names[id(obj)], obj
        elif isinstance(obj, (list, tuple)):
            yield from _named_tensors({f"{name}{i}": v for i, v in enumerate(obj)})
        elif isinstance(obj, dict):
            yield from _named_tensors({f"{name}_{k}": v for k, v in obj.items() if isinstance(k, (str, int))})
        elif isinstance(obj, Optimizer):
            for group in obj.param_groups:
                for i, p in enumerate(group["params"]):
                    base = names.setdefault(id(p), f"{name}.param{i}")
                    yield base, p
                    for key, value in obj.state.get(p, {}).items():
                        if isinstance(value, Tensor):
                            yield f"{base}.{key}", value


def _identifier(name: str, taken: set[str]) -> str:
    """``name`` as a fresh Python identifier (model.0.weight -> model_0_weight)."""
    base = re.sub(r"\W", "_", name)
    base = base if base and not base[0].isdigit() else "_" + base
    unique, n = base, 1
    while unique in taken:
        n += 1
        unique = f"{base}_{n}"
    taken.add(unique)
    return unique


# ----- guards ------------------------------------------------------------------------------------------------------

@dataclass
class Guards:
    """What must hold for the compiled step to do what the eager one would. ``holds(args)``, made by ``compile``,
    is the quick test made on every call; ``failure`` says in words what failed."""

    grad_mode: bool
    arguments: list[tuple[Any, ...]]  # per argument: ("tensor", shape, dtype, requires_grad) or ("value", v)
    cells: list[tuple[str, Any, Any]]  # (name, closure cell, object it held)
    globals: list[tuple[str, dict[str, Any], Any]]  # (name, the step's globals, object it named)
    tensors: list[tuple[str, Tensor, np.ndarray, bool]]  # (name, tensor, its array, requires_grad)
    groups: list[tuple[str, dict[str, Any], dict[str, Any]]]  # (optimizer, a group, the group's items then)
    modes: list[tuple[str, Module, bool]]  # (name, module, training flag)

    def source(self) -> tuple[str, dict[str, Any]]:
        """The guards as one Python expression, the function ``holds`` (as ``torch.compile`` generates its guard
        code: a call's checks are one pass through it, with no loop), and the objects it names."""
        taken: set[str] = {"args", "is_grad_enabled", "argument_spec"}
        bound = {"is_grad_enabled": is_grad_enabled, "argument_spec": _argument_spec}
        names: dict[int, str] = {}  # one name per object

        def bind(name: str, obj: Any) -> str:
            if id(obj) not in names:
                names[id(obj)] = _identifier(name, taken)
                bound[names[id(obj)]] = obj
            return names[id(obj)]

        checks = [f"is_grad_enabled() == {self.grad_mode}", f"len(args) == {len(self.arguments)}"]
        checks += [f"argument_spec(args[{i}]) == {bind(f'argument{i}', spec)}" for i, spec in enumerate(self.arguments)]
        for name, cell, obj in self.cells:
            checks.append(f"{bind(name + '_cell', cell)}.cell_contents is {bind(name, obj)}")
        for name, namespace, obj in self.globals:
            checks.append(f"{bind('step_globals', namespace)}.get({name!r}) is {bind(name, obj)}")
        for name, tensor, array, requires_grad in self.tensors:
            t = bind(name, tensor)
            checks.append(f"{t}._data is {bind(name + '_data', array)} and {t}._requires_grad == {requires_grad}")
        for name, group, items in self.groups:  # the params list is shared: its length tells a change
            g = bind(name + "_group", group)
            checks.append(f"{g} == {bind(name + '_group_then', items)} and len({g}['params']) == "
                          f"{len(items['params'])}")
        checks += [f"{bind(name, module)}.training == {training}" for name, module, training in self.modes]
        return "def holds(args):\n    return (" + "\n            and ".join(checks) + ")\n", bound

    def compile(self) -> None:
        """Make ``holds`` from ``source``."""
        source, namespace = self.source()
        exec(builtins.compile(source, "<minigrad.compile guards>", "exec"), namespace)
        self.holds = namespace["holds"]

    def failure(self, args: tuple[Any, ...]) -> str:
        """What ``holds`` found false, in words."""
        if is_grad_enabled() != self.grad_mode:
            return f"grad mode is {'on' if is_grad_enabled() else 'off'}; it was {'on' if self.grad_mode else 'off'}"
        if len(args) != len(self.arguments):
            return f"the step got {len(args)} arguments; it was traced with {len(self.arguments)}"
        for i, (arg, traced) in enumerate(zip(args, self.arguments)):
            if _argument_spec(arg) != traced:
                return f"argument {i} is {_describe(_argument_spec(arg))}; it was {_describe(traced)}"
        for name, cell, obj in self.cells:
            if cell.cell_contents is not obj:
                return f"{name} now refers to another object"
        for name, namespace, obj in self.globals:
            if namespace.get(name) is not obj:
                return f"{name} now refers to another object"
        for name, tensor, array, requires_grad in self.tensors:
            if tensor._data is not array:
                return f"{name} has new data (assigned to .data, or loaded)"
            if tensor._requires_grad != requires_grad:
                return f"{name}.requires_grad is {tensor._requires_grad}; it was {requires_grad}"
        for name, group, items in self.groups:
            for key in sorted(set(group) | set(items)):
                if key == "params" and len(group["params"]) != len(items["params"]):
                    return f"{name} has {len(group['params'])} parameters; it had {len(items['params'])}"
                if key != "params" and group.get(key) != items.get(key):
                    return f"{name}'s {key} is {group.get(key)}; it was {items.get(key)}"
        for name, module, training in self.modes:
            if module.training != training:
                return f"{name} is in {'training' if module.training else 'eval'} mode; it was traced in the other"
        return "the guards changed"


def _argument_spec(arg: Any) -> tuple[Any, ...]:
    if isinstance(arg, Tensor):
        return ("tensor", tuple(arg.shape), arg._data.dtype, arg.requires_grad)
    return ("value", arg)


def _describe(spec: tuple[Any, ...]) -> str:
    if spec[0] == "tensor":
        return f"a {spec[2]} tensor of shape {list(spec[1])}" + (" requiring grad" if spec[3] else "")
    return repr(spec[1])


def _guards(step_fn: Callable[..., Any], args: tuple[Any, ...]) -> Guards:
    code = getattr(step_fn, "__code__", None)
    cells = [(name, cell, cell.cell_contents) for name, cell in
             zip(getattr(code, "co_freevars", ()), getattr(step_fn, "__closure__", None) or ())]
    namespace = getattr(step_fn, "__globals__", {})
    watched = (Tensor, Module, Optimizer)
    globals_ = [(name, namespace, namespace[name]) for name in getattr(code, "co_names", ())
                if isinstance(namespace.get(name), watched)]
    objects = _referenced(step_fn, args)
    tensors, seen = [], set()
    for name, t in _named_tensors(objects):
        if id(t) not in seen:
            seen.add(id(t))
            tensors.append((name, t, t._data, t._requires_grad))
    groups, modes = [], []
    for name, obj in objects.items():
        if isinstance(obj, Optimizer):
            groups += [(name, group, dict(group)) for group in obj.param_groups]
        if isinstance(obj, Module):
            modes += [(f"{name}.{sub}" if sub else name, m, m.training) for sub, m in obj.named_modules()]
    guards = Guards(is_grad_enabled(), [_argument_spec(a) for a in args], cells, globals_, tensors, groups, modes)
    guards.compile()
    return guards


# ----- the compiled step -------------------------------------------------------------------------------------------

class Compiled:
    """A step function that runs eagerly for three calls (warm-up, trace, verify), then as one numba function.

    Call it as the step itself: ``step(*args)`` runs one step and returns what the step returns (a tensor, a
    tuple of tensors, or None); ``step(*args, steps=N)`` runs N steps and returns the last one's.
    """

    def __init__(self, step_fn: Callable[..., Any]) -> None:
        self.step_fn = step_fn
        self.calls = 0  # eager calls so far, while not compiled
        self.refused: str | None = None  # why the step stays eager
        self.source: str | None = None  # the generated function, once traced
        self.guards: str | None = None  # the generated guard function, once traced
        self._function: Callable[..., None] | None = None
        self._arguments: tuple[np.ndarray, ...] = ()
        self._guards: Guards | None = None
        self._program: Program | None = None
        self._warned: set[str] = set()
        self._verified = False  # the compiled function agreed with the eager step: later calls replay it

    def __call__(self, *args: Any, steps: int = 1) -> Any:
        if self._verified and type(steps) is int and steps > 0 and self._guards.holds(args):  # the fast path
            return self._replay(args, steps)
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise ValueError(f"steps must be a positive integer, but got {steps!r}")
        result = None
        while steps:
            if self._verified and self._guards.holds(args):
                return self._replay(args, steps)
            if self._verified:
                self._warn(f"running {self._name()} eagerly this call: {self._guards.failure(args)}")
            result = self._eager_stage(args)
            steps -= 1
        return result

    def _eager_stage(self, args: tuple[Any, ...]) -> Any:
        """One step before the compiled function can be trusted: warm-up, trace, then verify (eagerly too)."""
        if self.refused is not None or self._verified:
            return self.step_fn(*args)
        self.calls += 1
        if self.calls == 1:
            return self.step_fn(*args)
        if self.calls == 2:
            return self._trace(args)
        if not self._guards.holds(args):
            self.calls -= 1  # verify at the next call that passes the guards
            return self.step_fn(*args)
        try:
            result = self._program.verify(self._function, self._arguments, args)
        except CompileError as error:
            self._refuse(str(error))
            return self._program.eager_result
        self._verified = True
        return result

    def _name(self) -> str:
        return getattr(self.step_fn, "__name__", "the step")

    def _warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            warnings.warn(f"minigrad.compile: {message}", UserWarning, stacklevel=4)

    def _refuse(self, reason: str) -> None:
        self.refused = reason
        self._function = None
        self._warn(f"{self._name()} stays eager: {reason}")

    # --- stage 2: trace and generate
    def _trace(self, args: tuple[Any, ...]) -> Any:
        """Run the step eagerly, recording it; compile the recording (or refuse, saying why)."""
        guards = _guards(self.step_fn, args)
        with Tracer.recording() as tracer:
            result = self.step_fn(*args)
        try:
            self._program = Program(tracer, result, args, self.step_fn)
            self._function, self._arguments = self._program.compile()
        except CompileError as error:
            self._refuse(str(error))
            return result
        known = {id(t) for _, t, _, _ in guards.tensors}
        guards.tensors += [(f"param{k}", t, t._data, t._requires_grad) for k, t in enumerate(tracer.leaves)
                           if id(t) not in known]
        guards.compile()
        self._guards = guards
        self.source = self._program.source
        self.guards = guards.source()[0]
        return result

    # --- stage 3 and after: replay
    def _replay(self, args: tuple[Any, ...], steps: int) -> Any:
        program = self._program
        if program.inputs:
            program.load_arguments(args)
        self._function(steps, *self._arguments)
        program.rebind_grads()
        return program.result()


def _still_referenced(buffers: list[np.ndarray]) -> set[int]:
    """Indices of the buffers something besides the tracer refers to: the step's state, which outlives it."""
    gc.collect()
    buffers.append(np.empty(0))  # referred to by the list alone: the count to beat
    counts = [sys.getrefcount(b) for b in buffers]
    buffers.pop()
    return {i for i, c in enumerate(counts[:-1]) if c > counts[-1]}


class Program:
    """A traced step as numba source over fixed buffers, and the Python around it (arguments in, results out)."""

    def __init__(self, tracer: Tracer, result: Any, args: tuple[Any, ...], step_fn: Callable[..., Any]) -> None:
        if numba.config.DISABLE_JIT:
            raise CompileError("the JIT is off (NUMBA_DISABLE_JIT=1)")
        if tracer.failure is not None:
            raise CompileError(tracer.failure)
        if not tracer.calls:
            raise CompileError("the step ran no kernel")
        self.as_tuple = isinstance(result, (tuple, list))
        outputs = result if self.as_tuple else (result,)
        if result is not None and not all(isinstance(t, Tensor) for t in outputs):
            raise CompileError(f"the step returned a {type(result).__name__}; a compiled step returns tensors")
        self.outputs = None if result is None else [tracer.view(t._data) for t in outputs]
        state = _still_referenced(tracer.buffers)
        self.tracer, self.state, self.step_fn = tracer, state, step_fn
        self.buffers = list(tracer.buffers)
        objects = _referenced(step_fn, args)
        named = list(_named_tensors(objects))
        named += [(f"param{k}", leaf) for k, leaf in enumerate(tracer.leaves)]  # those not found by name
        # Arguments get private buffers: later calls copy their data in, never writing the caller's arrays.
        self.inputs: list[tuple[int, View]] = []
        for i, arg in enumerate(args):
            if isinstance(arg, Tensor) and id(_owner(arg._data)) in tracer._index:  # an argument the kernels read
                if arg.requires_grad:
                    raise CompileError(f"argument {i} requires grad; pass parameters through a module or closure")
                view = tracer.view(arg._data)
                self.buffers[view.buffer] = self.buffers[view.buffer].copy(order="K")
                self.inputs.append((i, view))
        self.grads: list[tuple[Tensor, View]] = []
        names: dict[int, str] = {}
        seen: set[int] = set()
        for name, t in named:
            if id(t) in seen:
                continue
            seen.add(id(t))
            for array, suffix in ((t._data, ""), (t._grad._data if t._grad is not None else None, ".grad")):
                if array is None or id(_owner(array)) not in tracer._index:
                    continue
                view = tracer.view(array)
                names.setdefault(view.buffer, name + suffix)
                if suffix:
                    self.grads.append((t, view))
        for n, view in enumerate(self.outputs or []):
            if view.buffer not in names:  # a result of its own (not a parameter): the traced call's tensor keeps it
                names[view.buffer] = "loss" if n == 0 else f"output{n}"
                self.buffers[view.buffer] = self.buffers[view.buffer].copy(order="K")
        taken = {"steps", "np", "math", "numba", "layout", "returned", "strided_view",
                 *(c.module for c in tracer.calls)}
        self.names = {}
        for i in range(len(self.buffers)):
            label = names.get(i, f"state{i}" if i in state else f"t{i}")
            self.names[i] = _identifier(label, taken)
        self.taken = taken
        self.source, self.parameters = self._generate()
        self.grad_arrays = [(t, v.on(self.buffers[v.buffer])) for t, v in self.grads]
        self.output_arrays = [v.on(self.buffers[v.buffer]) for v in self.outputs or []]

    def _generate(self) -> tuple[str, list[tuple[str, Callable[[], np.ndarray]]]]:
        """The source of ``step(steps, ...)`` and, for each parameter after ``steps``, how to make its array.

        The parameters are few, as each costs the call time: the state buffers, and one block per dtype holding
        the scratch (the eager step's temporaries) and constants in pieces. Every array a kernel got is rebuilt
        inside as a view (``strided_view``) with the numba type it had: a kernel meeting a new type is compiled
        anew, which takes seconds."""
        parameters: list[tuple[str, Callable[[], np.ndarray]]] = []
        blocks: dict[str, list[tuple[int, np.ndarray | None]]] = {}  # block name: (buffer or -1, contents) pieces
        placed: dict[int, tuple[str, int]] = {}  # buffer -> (block, first element)
        described: list[str] = []

        def place(name: str, array: np.ndarray, buffer: int, contents: np.ndarray | None) -> tuple[str, int]:
            block = f"scratch_{array.dtype.name}"
            pieces = blocks.setdefault(block, [])
            start = sum(-(-max(a.size, 1) // 16) * 16 for _, a in pieces)  # pieces start on 64-byte lines
            pieces.append((buffer, contents if contents is not None else array))
            if contents is None:
                pieces[-1] = (buffer, np.empty_like(array))
            described.append(f"#   {name}: {_shape_of(array)}, {block} from element {start}")
            return block, start

        for i in sorted({v.buffer for c in self.tracer.calls for v in _views(c)}):
            owner, name = self.buffers[i], self.names[i]
            if i in self.state or not owner.flags.c_contiguous:
                parameters.append((name, lambda owner=owner: owner))
                described.append(f"#   {name}: {_shape_of(owner)}{' (state)' if i in self.state else ''}")
            else:
                constant = i in self.tracer.read_first and i not in self.tracer.written
                placed[i] = place(name + (f" (constant: {_summary(owner)})" if constant else ""), owner, i,
                                  owner if constant else None)
        view_names: dict[View, str] = {}
        views: list[str] = []
        count: dict[int, int] = {}

        def view_of(buffer: int, view: View) -> str:
            """The source making ``view`` of ``buffer``: its name when it is an argument as it is."""
            owner, name = self.buffers[buffer], self.names[buffer]
            traced = numba.typeof(view.on(owner))
            if buffer not in placed and view.on(owner) is owner and traced == numba.typeof(owner):
                return name
            base, start = placed.get(buffer, (name, 0))
            return (f"strided_view({base}, {start + view.offset // view.dtype.itemsize}, {view.shape}, "
                    f"{view.strides}, {traced.layout!r}, {not traced.mutable})")

        def name_of(view: View) -> str:
            if view not in view_names:
                expression, base = view_of(view.buffer, view), self.names[view.buffer]
                if expression == base:
                    view_names[view] = base
                else:
                    count[view.buffer] = count.get(view.buffer, 0) + 1
                    if count[view.buffer] == 1 and view.buffer in placed:  # a piece of a block: its name is free
                        view_names[view] = base
                    else:
                        view_names[view] = _identifier(f"{base}_{count[view.buffer]}", self.taken)
                    views.append(f"    {view_names[view]} = {expression}")
            return view_names[view]

        body = []
        label = None
        live = self._live_calls()
        for call in self.tracer.calls:
            if call.label != label:
                label = call.label
                body.append(f"        # {label}{_formulas(label)}")
            if id(call) not in live:
                body.append(f"        # (dead code, left out: nothing reads what {call.module}.{call.name} writes)")
                continue
            spelled = [name_of(a) if isinstance(a, View) else _literal(a) for a in call.args]
            if call.name in _OP_CODES and isinstance(call.args[0], int):
                spelled[0] = f"{call.module}.{_OP_CODES[call.name][call.args[0]]}"
            line = f"{call.module}.{call.name}({', '.join(spelled)})"
            if (self._module(call), call.name) in HOST_KERNELS:
                body += ["        with numba.objmode():", f"            {line}"]
            elif isinstance(call.returned, tuple) and call.returned and isinstance(call.returned[0], View):
                body.append(f"        returned = {line}")
                for k, view in enumerate(call.returned):
                    item = "returned" if len(call.returned) == 1 else f"returned[{k}]"
                    body.append(f"        {name_of(view)}[...] = {item}")
            elif isinstance(call.returned, (bool, np.bool_, int, np.integer)):
                body += [f"        if {line} != {_literal(call.returned)}:",
                         f"            raise ValueError('{call.name} returned another value than when traced: "
                         "eager minigrad would take another path here (run the step eagerly for its error)')"]
            else:
                body.append(f"        {line}")
        resets = []
        for i in sorted(self.tracer.read_first & self.tracer.written - self.state):
            owner, first = self.buffers[i], self.tracer.first[i]
            flat = View(i, 0, (owner.size,), (owner.itemsize,), owner.dtype, True)
            if i not in placed:
                raise CompileError(f"scratch buffer {self.names[i]} is not C-contiguous")
            if not first.any():
                resets.append(f"        {name_of(flat)}.fill(0)")
            else:
                initial = place(f"{self.names[i]}_initial ({_summary(first)})", first, -1, first)
                resets.append(f"        layout._copy_flat(strided_view({initial[0]}, {initial[1]}, ({first.size},), "
                              f"({first.itemsize},), 'C', True), {name_of(flat)})")
        for block, pieces in blocks.items():
            parameters.append((block, lambda pieces=pieces: _pack(pieces)))
        modules = ", ".join(sorted({"layout", *(c.module for c in self.tracer.calls)}))
        lines = ['"""A training step, generated by minigrad.compile from the kernel calls of its eager run."""',
                 "import math", "", "import numba", "import numpy as np", "",
                 f"from {kernels.__name__} import {modules}", f"from {kernels.__name__}.layout import strided_view",
                 "", "",
                 "# One training step: the kernel calls of the eager step, in its order, on buffers made once:",
                 *described,
                 "@numba.njit(cache=True)",
                 f"def step({', '.join(['steps', *(p[0] for p in parameters)])}):"]
        if views:
            lines += ["    # the arrays the kernels were given: views (first element, shape, strides in bytes)", *views]
        lines.append("    for _ in range(steps):")
        if resets:
            lines += ["        # scratch whose first contents are read (a sum's accumulator starts at zero)", *resets]
        return "\n".join(lines + body) + "\n", parameters

    def _live_calls(self) -> set[int]:
        """Dead-code elimination (the ids of the live calls): walking back from the end, a call is live if it may
        write a buffer that is state (or the result) or that a later live call reads, or if it returns a number the
        step checks. Scratch holds nothing from one step to the next (what is read first is reset), so the rest
        cannot matter: the gradient of a target that needs none, say."""
        needed = set(self.state) | {v.buffer for v in self.outputs or []}
        live = set()
        for call in reversed(self.tracer.calls):
            if call.writes & needed or (call.returned is not None and not isinstance(call.returned, tuple)):
                live.add(id(call))
                needed.update(v.buffer for v in _views(call))
        return live

    def _module(self, call: Call) -> ModuleType:
        return getattr(kernels, call.module)

    def compile(self) -> tuple[Callable[..., None], tuple[np.ndarray, ...]]:
        """The compiled step and its arguments. The source is a module in the cache (``_cache_file``), so numba's
        cache keeps the machine code: the same step in a later process loads in milliseconds, not seconds."""
        arguments = tuple(make() for _, make in self.parameters)
        path = _cache_file(self.source)
        if path is not None:
            spec = importlib.util.spec_from_file_location(path.stem, path)
            module = sys.modules.setdefault(path.stem, importlib.util.module_from_spec(spec))  # numba's cache
            spec.loader.exec_module(module)  # looks the module up by name
            function = module.step
        else:  # no writable cache: compiled in this process only
            namespace: dict[str, Any] = {}
            exec(builtins.compile(self.source, "<minigrad.compile>", "exec"), namespace)
            function = numba.njit(namespace["step"].py_func)
        try:
            function(0, *arguments)  # compiles (or loads from the cache); runs no step
        except Exception as error:
            raise CompileError(f"numba cannot compile the generated step: {str(error).splitlines()[0]}") from error
        return function, arguments

    def load_arguments(self, args: tuple[Any, ...]) -> None:
        for i, view in self.inputs:
            np.copyto(view.on(self.buffers[view.buffer]), args[i]._data)

    def rebind_grads(self) -> None:
        """Point each ``.grad`` back at the buffer the compiled step writes (eager code may have replaced it)."""
        for tensor, array in self.grad_arrays:
            grad = tensor._grad
            if grad is None or grad._data is not array:
                tensor._grad = Tensor._make(array)

    def result(self) -> Any:
        if self.outputs is None:
            return None
        if not self.as_tuple:
            return Tensor._make(self.output_arrays[0].copy())
        return tuple(Tensor._make(a.copy()) for a in self.output_arrays)

    def verify(self, function: Callable[..., None], arguments: tuple[np.ndarray, ...], args: tuple[Any, ...]) -> Any:
        """Run one step eagerly, then compiled from the same start: CompileError if they differ anywhere."""
        grad_buffers = {v.buffer for _, v in self.grads}
        output_buffers = {v.buffer for v in self.outputs or []}
        input_buffers = {v.buffer for _, v in self.inputs}
        state = [i for i in sorted(self.state) if i not in grad_buffers | output_buffers | input_buffers]
        start = {i: self.buffers[i].copy(order="K") for i in state}
        self.eager_result = result = self.step_fn(*args)
        eager = {i: self.buffers[i].copy(order="K") for i in state}
        eager_grads = [(t, t._grad) for t, _ in self.grads]
        for i in state:
            np.copyto(self.buffers[i], start[i])
        self.load_arguments(args)
        function(1, *arguments)
        mismatch = [self.names[i] for i in state if self.buffers[i].tobytes() != eager[i].tobytes()]
        mismatch += [self.names[v.buffer] for (t, v), (_, g) in zip(self.grads, eager_grads)
                     if g is None or v.on(self.buffers[v.buffer]).tobytes() != g._data.tobytes()]
        outputs = result if isinstance(result, (tuple, list)) else (result,)
        if self.outputs is not None:
            mismatch += [self.names[v.buffer] for v, t in zip(self.outputs, outputs)
                         if v.on(self.buffers[v.buffer]).tobytes() != t._data.tobytes()]
        if mismatch:
            for i in state:  # leave the eager step's outcome in place
                np.copyto(self.buffers[i], eager[i])
            raise CompileError(f"replayed, the step computes another {', '.join(sorted(set(mismatch)))} than eagerly "
                               "(a number or array that changes from step to step outside the kernels, such as "
                               "Adam's step count)")
        self.rebind_grads()
        return self.result()


def _geometry(view: View) -> str:
    """``shape [3], strides [1]`` (in elements), with the offset and read-only flag when there are."""
    text = f"shape {list(view.shape)}, strides {[st // view.dtype.itemsize for st in view.strides]}"
    if view.offset:
        text += f", from element {view.offset // view.dtype.itemsize}"
    return text + ("" if view.writeable else ", read-only")


def _cache_file(source: str) -> Path | None:
    """A file holding ``source``, named by its hash, under numba's cache directory (``NUMBA_CACHE_DIR``) or
    ~/.cache: numba caches only functions that live in files. None if neither can be written."""
    root = Path(numba.config.CACHE_DIR) if numba.config.CACHE_DIR else Path.home() / ".cache"
    digest = hashlib.sha256((source + _kernels_fingerprint()).encode()).hexdigest()[:20]
    path = root / "minigrad-compile" / f"step_{digest}.py"
    try:
        if not path.exists():  # written once: numba's cache is keyed on the file's time stamp
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(source)
            os.replace(partial, path)
    except OSError:
        return None
    return path


@functools.cache
def _kernels_fingerprint() -> str:
    """A hash of the kernels' source files and numba's version. numba's cache of the step does not notice a change
    in the kernels it calls (their machine code is inside it), so a change in them must give another file."""
    digest = hashlib.sha256(numba.__version__.encode())
    for module in sorted(_kernel_modules(), key=lambda m: m.__name__):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def _views(call: Call) -> list[View]:
    returned = call.returned if isinstance(call.returned, tuple) else ()
    return [v for v in (*call.args, *returned) if isinstance(v, View)]


def _pack(pieces: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """One flat block holding the arrays one after the other, each from a multiple of 16 elements."""
    sizes = [-(-max(a.size, 1) // 16) * 16 for _, a in pieces]
    block = np.empty(sum(sizes), pieces[0][1].dtype)
    start = 0
    for (_, array), size in zip(pieces, sizes):
        block[start:start + array.size] = array.reshape(-1)
        start += size
    return block


def _summary(array: np.ndarray) -> str:
    """``array``'s dtype, shape and first values on one line: ``int64 [2] [3, 1]``."""
    values = array.reshape(-1).tolist()
    shown = ", ".join(repr(v) for v in values[:8]) + (", ..." if len(values) > 8 else "")
    return f"{array.dtype} {list(array.shape)} [{shown}]"


def _shape_of(array: np.ndarray) -> str:
    return f"{array.dtype} {list(array.shape)}"


def _formulas(label: str) -> str:
    """`` (d(a*b)/da = grad * b; ...)`` for an op's backward, from the registry."""
    op, _, method = label.partition(".")
    if method == "backward" and op in REGISTRY:
        return ": " + "; ".join(REGISTRY[op].formulas)
    return ""


def _literal(value: Any) -> str:
    """``value`` as source numba types as the eager call's value: 0.01, np.float32(0.5), np.int64(1), math.nan."""
    if isinstance(value, tuple):
        return "(" + "".join(f"{_literal(v)}, " for v in value) + ")"
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):  # as for ints below: np.bool_ is typed bool, not Literal[bool]
        return f"np.bool_({bool(value)})"
    if isinstance(value, np.generic):
        inner = _literal(value.item())
        return f"np.{value.dtype.name}({inner})"
    if isinstance(value, float) and not math.isfinite(value):
        return "math.nan" if math.isnan(value) else ("math.inf" if value > 0 else "-math.inf")
    if isinstance(value, int):  # a bare 1 would be typed Literal[int](1), and the kernel compiled again for it
        return f"np.int64({value})"
    return repr(value)


def compile(step_fn: Callable[..., Any]) -> Compiled:  # noqa: A001  (PyTorch's name)
    """``step_fn`` (a training step: forward, loss, backward, optimizer step) as a ``Compiled`` step."""
    if not callable(step_fn):
        raise TypeError(f"compile expects a function, but got {type(step_fn).__name__}")
    return Compiled(step_fn)
