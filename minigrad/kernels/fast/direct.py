"""Kernels called past numba's dispatcher: the small-array paths, where the call is most of the work.

Before a numba kernel's loop starts, its dispatcher types every argument to pick the compiled version, and callers
hand it read-only views so that one version serves all: for three-element arrays that is most of the kernel's time
(``benchmarks``). A ``Direct`` kernel calls the compiled version the dispatcher picked for the first call with a key
its caller chooses (a dtype): the same machine code, so the same bits.

The compiled version hardly checks its arguments (an array's item size, not its dtype, dimensions or layout): the
key must tell apart every argument type the caller may pass (each array's dtype; the caller fixes dimensions and
C-contiguity), and the arguments for a key are of the types of its first call (read-only or not does not matter to
the machine code). Without the JIT (``NUMBA_DISABLE_JIT=1``) a kernel is a Python function, called as it is.
``minigrad.compile``'s tracer records kernels as their modules name them, so while it runs (``enabled`` off) every
call goes there; in plain mode too (``kernels.mode``: speed is the exact mode's).
"""

import sys
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
from numba.core.dispatcher import Dispatcher

from .. import mode
from ..layout import readonly

enabled = True  # off while ``minigrad.compile`` traces a step


class Direct:
    """``kernel``, called without its dispatcher: ``direct(key, *args)`` is ``kernel(*args)``. The first call for a key
    goes through the dispatcher, with the arrays not in ``written`` (positions) as read-only views, as the ordinary
    paths pass them (one compiled version serves both); later ones run the version it picked."""

    def __init__(self, kernel: Dispatcher, written: tuple[int, ...]) -> None:
        self.kernel = kernel
        self.written = written
        self.module, self.name = sys.modules[getattr(kernel, "py_func", kernel).__module__], kernel.__name__
        self.versions: dict[Hashable, Callable[..., Any]] = {}

    def __call__(self, key: Hashable, *args: Any) -> Any:
        run = self.versions.get(key)
        if run is None or not enabled or not mode.exact:
            return self._dispatched(key, args)
        return run(*args)

    def _dispatched(self, key: Hashable, args: tuple[Any, ...]) -> Any:
        args = tuple(readonly(a) if isinstance(a, np.ndarray) and i not in self.written else a
                     for i, a in enumerate(args))
        result = getattr(self.module, self.name)(*args)  # (the module's name for it: the tracer may wrap it)
        if enabled and isinstance(self.kernel, Dispatcher):
            self.versions[key] = self.kernel.overloads[tuple(map(self.kernel.typeof_pyval, args))].entry_point
        return result
