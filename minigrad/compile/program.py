"""The program: a trace turned into the source of one numba function over fixed buffers, compiled, verified.

``Program`` classifies the buffers (state, scratch, constants), leaves out dead calls, writes the source
(``source``), compiles it through numba's cache, and around it does the Python a call needs: copy arguments
in, point ``.grad`` at the buffers written, hand back the result.
"""

from __future__ import annotations

import builtins
import functools
import gc
import hashlib
import importlib.util
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numba
import numpy as np

from ..ops.registry import REGISTRY
from ..tensor import Tensor
from .guards import Guards, Names, identifier
from .trace import HOST_KERNELS, Call, CompileError, Tracer, View, kernel_modules, owner_of, views_of
from .views import strided_view

GUARD_FAILED = object()  # what a compiled call returns when a guard fails (it then runs nothing)

# The op-code argument of the elementwise loops, printed by name in the source.
_BINARY_OPS = ("ADD", "SUB", "MUL", "DIV", "POW", "MAXIMUM", "MINIMUM", "LOGICAL_AND", "TANH_GRAD", "SIGMOID_GRAD",
               "RELU_GRAD", "ATAN2", "HYPOT", "LOGADDEXP", "FMOD", "REMAINDER", "FLOOR_DIVIDE", "BITWISE_AND",
               "BITWISE_OR", "BITWISE_XOR")
_UNARY_OPS = ("NEG", "EXP", "LOG", "SQRT", "ABS", "SIGN", "SIGMOID", "RELU", "TANH", "RECIPROCAL", "SIN", "COS", "TAN",
              "ASIN", "ACOS", "ATAN", "SINH", "COSH", "ASINH", "ACOSH", "ATANH", "LOG1P", "EXPM1", "LOG2", "LOG10",
              "EXP2", "RSQRT", "ERF", "ERFC", "ERFINV", "FLOOR", "CEIL", "ROUND", "TRUNC", "BITWISE_NOT")
_OP_CODES = {
    "unary_loop": _UNARY_OPS,
    "_simple_unary_loop": _UNARY_OPS,
    "binary_loop": _BINARY_OPS,
    "_arithmetic_loop": _BINARY_OPS,
    "compare_loop": ("EQ", "NE", "LT", "LE", "GT", "GE"),
}


def _still_referenced(buffers: list[np.ndarray]) -> set[int]:
    """Indices of the buffers something besides the tracer refers to: the step's state, which outlives it."""
    gc.collect()
    buffers.append(np.empty(0))  # referred to by the list alone: the count to beat
    counts = [sys.getrefcount(b) for b in buffers]
    buffers.pop()
    return {i for i, c in enumerate(counts[:-1]) if c > counts[-1]}


class Program:
    """A traced step as numba source over fixed buffers, and the Python around it (arguments in, results out)."""

    def __init__(self, tracer: Tracer, result: Any, args: tuple[Any, ...], step_fn: Callable[..., Any],
                 named: list[tuple[str, Tensor]]) -> None:
        """``named``: the tensors the step refers to (parameters, data, optimizer state), to name buffers by."""
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
        if not tracer.leaves and any(t.grad_fn is not None for t in outputs):  # a forward (no backward ran in it)
            raise CompileError("it returned a tensor with a graph (a forward whose backward runs later), which the "
                               "compiled function cannot record")
        self.outputs = None if result is None else [tracer.view(t._data) for t in outputs]
        state = _still_referenced(tracer.buffers)
        self.tracer, self.state, self.step_fn = tracer, state, step_fn
        self.buffers = list(tracer.buffers)
        # Arguments get private buffers: later calls copy their data in, never writing the caller's arrays. Those,
        # the gradients (their tensors are pointed back at them after each call) and the result are the state the
        # program owns: in the blocks with the scratch, so that the compiled function takes fewer arguments.
        self.private: set[int] = set()
        self.inputs: list[tuple[int, View]] = []
        for i, arg in enumerate(args):
            if isinstance(arg, Tensor) and id(owner_of(arg._data)) in tracer._index:  # an argument the kernels read
                if arg.requires_grad:
                    raise CompileError(f"argument {i} requires grad; pass parameters through a module or closure")
                view = tracer.view(arg._data)
                self.buffers[view.buffer] = self.buffers[view.buffer].copy(order="K")
                self.inputs.append((i, view))
                self.private.add(view.buffer)
        self.grads: list[tuple[str, Tensor, View]] = []
        names: dict[int, str] = {}
        for name, t in named:
            for array, suffix in ((t._data, ""), (t._grad._data if t._grad is not None else None, ".grad")):
                if array is None or id(owner_of(array)) not in tracer._index:
                    continue
                view = tracer.view(array)
                names.setdefault(view.buffer, name + suffix)
                if suffix:
                    self.grads.append((name, t, view))
                    self.private.add(view.buffer)
        for n, view in enumerate(self.outputs or []):
            if view.buffer not in names:  # a result of its own (not a parameter): the traced call's tensor keeps it
                names[view.buffer] = "loss" if n == 0 else f"output{n}"
                self.buffers[view.buffer] = self.buffers[view.buffer].copy(order="K")
                self.private.add(view.buffer)
        taken = {"steps", "np", "math", "numba", "fast_copies", "pointwise", "returned", "strided_view",
                 *(c.module for c in tracer.calls)}
        self.names = {}
        for i in range(len(self.buffers)):
            label = names.get(i, f"state{i}" if i in state else f"t{i}")
            self.names[i] = identifier(label, taken)
        self.taken = taken
        self.placed: dict[int, tuple[str, int]] = {}  # buffer -> (block, first element), filled by _generate
        self.source, self.parameters = self._generate()

    def _generate(self) -> tuple[str, list[tuple[str, Callable[[], np.ndarray]]]]:
        """The source of ``step(steps, ...)`` and, for each parameter after ``steps``, how to make its array.

        The parameters are few, as each costs the call time: the state buffers the caller owns, and one block per
        dtype holding the rest (scratch, constants, the program's own state) in pieces. Every array a kernel got is
        rebuilt inside as a view (``strided_view``) with the numba type it had: a kernel meeting a new type is compiled
        anew, which takes seconds."""
        parameters: list[tuple[str, Callable[[], np.ndarray]]] = []
        blocks: dict[str, list[np.ndarray]] = {}  # block name: its pieces' first contents
        placed = self.placed
        described: list[str] = []

        def place(name: str, contents: np.ndarray) -> tuple[str, int]:
            block = f"scratch_{contents.dtype.name}"
            pieces = blocks.setdefault(block, [])
            start = sum(_padded(piece.size) for piece in pieces)
            pieces.append(contents)
            described.append(f"#   {name}: {_shape_of(contents)}, {block} from element {start}")
            return block, start

        for i in sorted({v.buffer for c in self.tracer.calls for v in views_of(c)}):
            owner, name = self.buffers[i], self.names[i]
            if i in self.state - self.private or not owner.flags.c_contiguous:
                parameters.append((name, lambda owner=owner: owner))
                described.append(f"#   {name}: {_shape_of(owner)}{' (state)' if i in self.state else ''}")
            elif i in self.state:
                placed[i] = place(f"{name} (state)", owner)
            else:
                constant = i in self.tracer.read_first and i not in self.tracer.written  # else any contents do
                placed[i] = place(name + (f" (constant: {_summary(owner)})" if constant else ""), owner)
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
                        view_names[view] = identifier(f"{base}_{count[view.buffer]}", self.taken)
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
                spelled[0] = f"pointwise.{_OP_CODES[call.name][call.args[0]]}"
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
                initial = place(f"{self.names[i]}_initial ({_summary(first)})", first)
                resets.append(f"        fast_copies._copy_flat(strided_view({initial[0]}, {initial[1]}, "
                              f"({first.size},), ({first.itemsize},), 'C', True), {name_of(flat)})")
        for block, pieces in blocks.items():
            parameters.append((block, lambda pieces=pieces: _pack(pieces)))
        modules = kernel_modules()
        imports = ["from {} import {} as {}".format(*modules[alias].__name__.rpartition(".")[::2], alias)
                   for alias in sorted({"fast_copies", "pointwise", *(c.module for c in self.tracer.calls)})]
        lines = ['"""A training step, generated by minigrad.compile from the kernel calls of its eager run."""',
                 "import math", "", "import numba", "import numpy as np", "",
                 *imports, f"from {strided_view.__module__} import strided_view",
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
                needed.update(v.buffer for v in views_of(call))
        return live

    def _module(self, call: Call) -> ModuleType:
        return kernel_modules()[call.module]

    def compile(self, guards: Guards) -> None:
        """Compile the step and generate the Python that calls it (``call``). The source is a module in the cache
        (``_cache_file``), so numba's cache keeps the machine code: the same step in a later process loads in
        milliseconds, not seconds."""
        arguments = [make() for _, make in self.parameters]
        path = _cache_file(self.source)
        if path is not None:
            spec = importlib.util.spec_from_file_location(path.stem, path)
            module = sys.modules.setdefault(path.stem, importlib.util.module_from_spec(spec))  # numba's cache
            spec.loader.exec_module(module)  # looks the module up by name
            self.function = module.step
        else:  # no writable cache: compiled in this process only (numba cannot cache a function without a file)
            namespace: dict[str, Any] = {}
            source = self.source.replace("@numba.njit(cache=True)", "@numba.njit")
            exec(builtins.compile(source, "<minigrad.compile>", "exec"), namespace)
            self.function = namespace["step"]
        try:
            self.function(0, *arguments)  # compiles (or loads from the cache); runs no step
        except Exception as error:
            raise CompileError(f"numba cannot compile the generated step: {str(error).splitlines()[0]}") from error
        blocks = {name: array for (name, _), array in zip(self.parameters, arguments)}
        for i in self.private & self.placed.keys():  # the program's own state lives in its block from now on
            block, start = self.placed[i]
            self.buffers[i] = blocks[block][start:start + self.buffers[i].size].reshape(self.buffers[i].shape)
        self.call_source, self.call = self._caller(guards, arguments)

    def _caller(self, guards: Guards, arguments: list[np.ndarray]) -> tuple[str, Callable[..., Any]]:
        """The Python of a compiled call, as source and function ``call(args, steps)``: the guards (or
        ``GUARD_FAILED``), the arguments copied in, the compiled function, each ``.grad`` pointed back at the
        buffer the function writes (eager code may have replaced it), and the result as new tensors."""
        # The function's own entry point, past numba's dispatcher: its arguments' types never change.
        entry = self.function.overloads[self.function.signatures[0]].entry_point
        names = Names({"args", "steps"}, {})
        bind = names.bind
        lines = ["def call(args, steps):", f"    if not {guards.expression(names)}:",
                 f"        return {bind('GUARD_FAILED', GUARD_FAILED)}"]
        for i, view in self.inputs:
            array = bind(self.names[view.buffer], view.on(self.buffers[view.buffer]))
            lines.append(f"    {array}[...] = args[{i}]._data")
        spelled = [bind(name, array) for (name, _), array in zip(self.parameters, arguments)]
        lines.append(f"    {bind('step', entry)}(steps, {', '.join(spelled)})")
        tensor = bind("tensor", Tensor._make)
        for name, t, view in self.grads:
            t, grad = bind(name, t), bind(self.names[view.buffer], view.on(self.buffers[view.buffer]))
            lines += [f"    if {t}._grad is None or {t}._grad._data is not {grad}:",
                      f"        {t}._grad = {tensor}({grad})"]
        results = [f"{tensor}({bind(self.names[v.buffer], v.on(self.buffers[v.buffer]))}.copy())"
                   for v in self.outputs or []]
        returned = "None" if self.outputs is None else (f"({', '.join(results)},)" if self.as_tuple else results[0])
        source = "\n".join([*lines, f"    return {returned}"]) + "\n"
        exec(builtins.compile(source, "<minigrad.compile call>", "exec"), names.bound)
        return source, names.bound["call"]

    def verify(self, args: tuple[Any, ...]) -> Any:
        """Run one step eagerly, then compiled from the same start: CompileError if they differ anywhere (the
        eager step's outcome is then left in place)."""
        grad_buffers = {v.buffer for _, _, v in self.grads}
        output_buffers = {v.buffer for v in self.outputs or []}
        input_buffers = {v.buffer for _, v in self.inputs}
        state = [i for i in sorted(self.state) if i not in grad_buffers | output_buffers | input_buffers]
        start = {i: self.buffers[i].copy(order="K") for i in state}
        self.eager_result = result = self.step_fn(*args)
        eager = {i: self.buffers[i].copy(order="K") for i in state}
        eager_grads = [(t, t._grad) for _, t, _ in self.grads]
        for i in state:
            np.copyto(self.buffers[i], start[i])
        replayed = self.call(args, 1)
        if replayed is GUARD_FAILED:
            failure = "the step changes what its guards check (a module's mode, a tensor's data, an optimizer setting)"
        else:
            mismatch = [self.names[i] for i in state if self.buffers[i].tobytes() != eager[i].tobytes()]
            mismatch += [self.names[v.buffer] for (_, t, v), (_, g) in zip(self.grads, eager_grads)
                         if g is None or t._grad._data.tobytes() != g._data.tobytes()]
            outputs = result if isinstance(result, (tuple, list)) else (result,)
            if self.outputs is not None:
                mismatch += [self.names[v.buffer] for v, t, r in zip(self.outputs, outputs, replayed if self.as_tuple
                                                                       else (replayed,))
                             if r._data.tobytes() != t._data.tobytes()]
            failure = mismatch and (f"replayed, the step computes another {', '.join(sorted(set(mismatch)))} than "
                                    "eagerly (a number or array that changes from step to step outside the kernels, "
                                    "such as Adam's step count)")
        if failure:
            for i in state:  # leave the eager step's outcome in place
                np.copyto(self.buffers[i], eager[i])
            for t, grad in eager_grads:
                t._grad = grad
            raise CompileError(failure)
        return replayed


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
    for module in kernel_modules().values():
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def _padded(size: int) -> int:
    """The elements a piece of ``size`` takes in a block: a multiple of 16, so pieces start on 64-byte lines."""
    return -(-max(size, 1) // 16) * 16


def _pack(pieces: list[np.ndarray]) -> np.ndarray:
    """One flat block holding the arrays one after the other, each from a multiple of 16 elements."""
    block = np.empty(sum(_padded(piece.size) for piece in pieces), pieces[0].dtype)
    start = 0
    for piece in pieces:
        block[start:start + piece.size] = piece.reshape(-1)
        start += _padded(piece.size)
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
