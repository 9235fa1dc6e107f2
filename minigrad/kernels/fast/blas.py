"""numpy's own BLAS (the OpenBLAS its wheels bundle) for numba kernels: its ``gemm``, callable without the GIL,
and its thread count.

A kernel that runs many small products in a loop (an LSTM's step after step) pays Python's cost per product
through numpy, and holds the GIL for it, so two threads running such loops take turns. Given ``gemm``, a numba
kernel calls the very routine numpy's ``matmul`` calls (same arguments, so the same bits) and runs the whole loop
with the GIL released. Where numpy has no bundled OpenBLAS (another build), ``gemm`` is None and callers keep
their numpy loop.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROW_MAJOR, NO_TRANS, TRANS = 101, 111, 112  # CBLAS's enums
SOON = 21  # OPENBLAS_THREAD_TIMEOUT up to which an idle OpenBLAS thread spins under a millisecond (2^21 cycles)


@functools.cache
def _library() -> tuple[ctypes.CDLL, str, Any] | None:
    """numpy's bundled OpenBLAS, its symbols' suffix and integer type (64-bit in the ILP64 build); None if none."""
    for path in sorted((Path(np.__file__).parent.parent / "numpy.libs").glob("libscipy_openblas*")):
        lib = ctypes.CDLL(str(path))
        for suffix, integer in (("64_", ctypes.c_int64), ("", ctypes.c_int)):
            if hasattr(lib, f"scipy_cblas_sgemm{suffix}"):
                return lib, suffix, integer
    return None


@functools.cache
def gemm(dtype: np.dtype) -> Any:
    """cblas_sgemm or cblas_dgemm (float32, float64) as a ctypes function a numba kernel takes as an argument and
    calls: (order, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc), arrays as ``x.ctypes``.
    None for other dtypes or where numpy bundles no OpenBLAS."""
    found = _library()
    if found is None or dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        return None
    lib, suffix, integer = found
    real = ctypes.c_float if dtype == np.float32 else ctypes.c_double
    routine = getattr(lib, f"scipy_cblas_{'s' if dtype == np.float32 else 'd'}gemm{suffix}")
    prototype = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_int, ctypes.c_int, integer, integer, integer, real,
                                 ctypes.c_void_p, integer, ctypes.c_void_p, integer, real, ctypes.c_void_p, integer)
    return prototype(ctypes.cast(routine, ctypes.c_void_p).value)


@functools.cache
def idle_threads_sleep_soon() -> bool:
    """Whether numpy's OpenBLAS puts an idle thread to sleep within a millisecond. After each product its threads
    spin for 2^x cycles, x = ``OPENBLAS_THREAD_TIMEOUT`` as it was when OpenBLAS loaded (28 where unset: a tenth of
    a second), each holding a core that this process's other threads then wait for: an LSTM's two batch pieces ran
    one after the other, 36 ms a training step, against 27 ms with one thread and OpenBLAS's threads in each
    product (29 before the pieces), and 25 ms with x = 20 (``benchmarks/__init__.py``)."""
    found = _library()
    timeout = getattr(found[0], "openblas_thread_timeout", None) if found else None
    return timeout is not None and 0 < timeout() <= SOON


_lock = threading.Lock()
_users = 0  # blocks inside ``one_thread`` now, on any thread
_before = 0  # OpenBLAS's thread count when the first of them entered


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """numpy's BLAS on one thread inside the block (for every caller, as ``threadpoolctl`` sets it). For loops of
    small products: OpenBLAS's threads meet after each product, and when another process holds a core, each meeting
    waits for the scheduler (a product of 50 µs took 0.9 ms); several threads calling it at once would also queue
    for its threads. Its count comes back when the last such block, on any thread, ends."""
    global _users, _before
    found = _library()
    get, put = (getattr(found[0], f"scipy_openblas_{verb}_num_threads{found[1]}", None) if found else None
                for verb in ("get", "set"))
    if get is None or put is None:
        yield
        return
    with _lock:
        if _users == 0:
            _before = get()
            put(1)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                put(_before)
