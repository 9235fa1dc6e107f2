"""``minigrad.compile``: a training step traced once into one numba function (``torch.compile``, shown small).

    step = minigrad.compile(train_step)   # train_step: forward, loss, zero_grad, backward, optimizer.step()
    loss = step()                          # a call is one step; step(steps=100) runs 100 steps in one call
    print(step.source)                     # the generated function, readable like hand-written numpy

A call of the step runs kernels on arrays; everything else (tensors, graph, optimizer bookkeeping) is Python
deciding which kernels to run on which arrays. When those decisions repeat, the kernel calls can be written
down once and replayed. The first three calls run eagerly, each doing one more stage:

1. **Warm-up**: kernels compile, optimizers create their state (momentum buffers, step counts).
2. **Trace** (``trace.py``): every kernel call is recorded: the kernel, its numbers, and for each array the
   memory (*buffer*) it views and how. Buffers still referenced when the step returns (parameters, gradients,
   optimizer state, data, the loss) are the step's *state*; the others were temporaries, kept from now on as
   preallocated scratch. A probe finds the temporaries whose contents at allocation are read (a sum's zeroed
   accumulator): the generated step resets those. From the calls comes the source of one function
   (``source``), with a loop for ``steps=N``, which numba compiles (``program.py``).
3. **Verify**: the step runs eagerly, then compiled from the same starting state; the two must agree bit for
   bit. Work the trace cannot see (a number that changes every step, like Adam's bias correction, or data
   computed outside the kernels) makes them differ, and the step then stays eager.

Later calls run generated Python (``guards``): the guards (``guards.py``: the arguments' shapes, dtypes and
requires_grad, grad mode, and the tensors, modules and optimizer settings the step refers to), then the compiled
function; a failed guard runs that call eagerly, with a warning saying why. A compiled step returns its loss as a
plain tensor (no ``grad_fn``). ``README.md`` in this folder shows the generated code of the seed's step.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

from ..nn import Module
from .guards import Guards, make_guards
from .program import GUARD_FAILED, Program
from .trace import CompileError, Tracer

__all__ = ["CompileError", "Compiled", "OptimizedModule", "compile"]


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
        self.guards: str | None = None  # the generated Python of a call (its guards, then the function), once traced
        self._guards: Guards | None = None
        self._program: Program | None = None
        self._call: Callable[[tuple[Any, ...], int], Any] | None = None  # once verified: the compiled call
        self._warned: set[str] = set()

    def __call__(self, *args: Any, steps: int = 1) -> Any:
        if self._call is not None and type(steps) is int and steps > 0:  # the fast path
            result = self._call(args, steps)
            if result is not GUARD_FAILED:
                return result
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise ValueError(f"steps must be a positive integer, but got {steps!r}")
        result = None
        while steps:
            if self._call is not None:
                result = self._call(args, steps)
                if result is not GUARD_FAILED:
                    return result
                self._warn(f"running {self._name()} eagerly this call: {self._guards.failure(args)}")
            result = self._eager_stage(args)
            steps -= 1
        return result

    def _eager_stage(self, args: tuple[Any, ...]) -> Any:
        """One step before the compiled function can be trusted: warm-up, trace, then verify (eagerly too)."""
        if self.refused is not None or self._call is not None:
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
            result = self._program.verify(args)
        except CompileError as error:
            self._refuse(str(error))
            return self._program.eager_result
        self._call = self._program.call
        return result

    def _name(self) -> str:
        return getattr(self.step_fn, "__name__", "the step")

    def _warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            warnings.warn(f"minigrad.compile: {message}", UserWarning, stacklevel=4)

    def _refuse(self, reason: str) -> None:
        self.refused = reason
        self._warn(f"{self._name()} stays eager: {reason}")

    # --- stage 2: trace and generate
    def _trace(self, args: tuple[Any, ...]) -> Any:
        """Run the step eagerly, recording it; compile the recording (or refuse, saying why)."""
        guards = make_guards(self.step_fn, args)
        with Tracer.recording() as tracer:
            try:
                result = self.step_fn(*args)
            except BaseException:
                self.calls -= 1  # the step raised (as it would eagerly): trace the next call instead
                raise
        known = {id(t) for _, t, _, _ in guards.tensors}  # the leaves that got gradients, if not found by name
        guards.tensors += [(f"param{k}", t, t._data, t._requires_grad) for k, t in enumerate(tracer.leaves)
                           if id(t) not in known]
        try:
            self._program = Program(tracer, result, args, self.step_fn, [(n, t) for n, t, _, _ in guards.tensors])
            self._program.compile(guards)
        except CompileError as error:
            self._refuse(str(error))
            return result
        guards.compile()
        self._guards = guards
        self.source = self._program.source
        self.guards = self._program.call_source
        return result


class OptimizedModule(Module):
    """What ``compile(model)`` returns, as PyTorch's does: a module holding the model as ``_orig_mod`` (its
    parameters, state_dict keys ``_orig_mod.<name>``, attributes read through), whose forward is the model's, run
    eagerly: training through it records the graph backward needs, which a compiled function would not."""

    def __init__(self, mod: Module) -> None:
        super().__init__()
        self._orig_mod = mod

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self._orig_mod(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            if "_modules" not in self.__dict__:  # (not set up yet: being copied or unpickled)
                raise
            return getattr(self._modules["_orig_mod"], name)


def compile(model: Callable[..., Any] | None = None, *, fullgraph: bool = False, dynamic: bool | None = None,  # noqa: A001
            backend: str | Callable[..., Any] | None = None, mode: str | None = None,
            options: dict[str, Any] | None = None, disable: bool = False, **kwargs: Any) -> Any:
    """``model`` (a training step: forward, loss, backward, optimizer step) as a ``Compiled`` step; an ``nn.Module`` as
    an ``OptimizedModule`` (PyTorch's wrapper, run eagerly). Without ``model``, the decorator that compiles what it is
    given (``@compile(mode=...)``). PyTorch's options (``mode``, ``backend``, ``fullgraph``, ...) are taken and change
    nothing; ``disable=True`` returns ``model`` itself."""
    if model is None:
        return functools.partial(compile, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                                 options=options, disable=disable, **kwargs)
    if not callable(model):
        raise TypeError(f"compile expects a function, but got {type(model).__name__}")
    if disable:
        return model
    return OptimizedModule(model) if isinstance(model, Module) else Compiled(model)
