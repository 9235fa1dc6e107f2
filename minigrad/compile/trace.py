"""Tracing: a step run eagerly while every kernel it calls from Python is recorded.

Each call becomes a ``Call``: the kernel, its numbers, and for each array a ``View`` — which buffer (the array
that owns the memory) it looks at, from which byte, with which shape and strides. The ``Tracer`` also learns,
by running kernels on copies, which buffers' first contents are read (``read_first``), and which buffers each
call may write (those it got writeable: numba cannot write the others).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np
from numba.core.dispatcher import Dispatcher

from .. import kernels
from ..kernels.fast import direct, threads
from ..tensor import Tensor

# Functions the tracer records besides numba kernels: they run in numba's object mode in the compiled step.
HOST_KERNELS = {(kernels.linalg, "blas_matmul")}


class CompileError(Exception):
    """Why a step cannot be compiled (it then runs eagerly)."""


def owner_of(array: np.ndarray) -> np.ndarray:
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
        owner = owner_of(array)
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
        new = {id(owner_of(a)) for a in args if isinstance(a, np.ndarray)} - set(self._index)
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
        self.calls.append(Call(module, name, spec, returned, _label(), frozenset(writes)))
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
    def recording(cls) -> Recording:
        return Recording(cls())


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


class Recording:
    """Context manager: while active, every kernel called from Python (through its module) is recorded, each call
    whole, on this thread (large kernels are not split across threads meanwhile: the trace is one sequence)."""

    def __init__(self, tracer: Tracer) -> None:
        self.tracer = tracer
        self._saved: list[tuple[Any, str, Any]] = []
        self._threads = 1  # the thread count to restore, noted on entry

    def __enter__(self) -> Tracer:
        self._threads = threads.get_num_threads()
        threads.set_num_threads(1)
        direct.enabled = False
        accumulate = Tensor._accumulate_grad
        leaves = self.tracer.leaves

        def accumulate_and_note(tensor: Tensor, handed: list[np.ndarray]) -> None:
            """Note the leaves that get gradients; copy every first gradient (a gradient taken without a copy
            would be a buffer made in the step, yet state)."""
            if all(leaf is not tensor for leaf in leaves):
                leaves.append(tensor)
            accumulate(tensor, list(handed))  # a second holder: the first gradient is copied

        self._saved.append((Tensor, "_accumulate_grad", accumulate))
        Tensor._accumulate_grad = accumulate_and_note
        for alias, module in kernel_modules().items():
            for name, value in list(vars(module).items()):
                if isinstance(value, Dispatcher) or (module, name) in HOST_KERNELS:
                    self._saved.append((module, name, value))
                    setattr(module, name, self._proxy(alias, name, value))
        return self.tracer

    def _proxy(self, module: str, name: str, kernel: Callable[..., Any]) -> Callable[..., Any]:
        def proxy(*args: Any) -> Any:
            return self.tracer.record(module, name, kernel, args)
        return proxy

    def __exit__(self, *exc: object) -> None:
        for module, name, value in self._saved:
            setattr(module, name, value)
        threads.set_num_threads(self._threads)
        direct.enabled = True


def kernel_modules() -> dict[str, ModuleType]:
    """Every loaded module of the kernel layer, by the name the generated source gives it (``fast.threads``:
    ``fast_threads``)."""
    prefix = kernels.__name__ + "."
    return {name[len(prefix):].replace(".", "_"): module for name, module in sorted(sys.modules.items())
            if name.startswith(prefix) and isinstance(module, ModuleType)}


def views_of(call: Call) -> list[View]:
    returned = call.returned if isinstance(call.returned, tuple) else ()
    return [v for v in (*call.args, *returned) if isinstance(v, View)]
