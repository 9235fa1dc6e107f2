"""Large kernels on several cores: ``set_num_threads(n)`` Python threads, each running a kernel compiled with
``nogil=True`` on its own piece of the arrays.

numba's ``parallel=True`` is not used: its threading layers here are OpenMP (not safe after ``fork``) and
workqueue (two Python threads launching parallel kernels at once abort the process). Kernels that release the
GIL, run on a pool of ordinary threads, are safe with both. Pieces start at multiples of a kernel's ``block``, so
a kernel whose arithmetic depends on an element's position (sigmoid's SLEEF blocks) computes on each piece what
one thread computes on the whole: results do not depend on the thread count.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

PIECE = 1 << 19  # the fewest elements worth a thread of their own (waking a thread costs more than less work)


def _default_threads() -> int:
    """PyTorch's default: the CPUs this process may run on, or ``OMP_NUM_THREADS`` if set to fewer."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    asked = os.environ.get("OMP_NUM_THREADS", "")
    return min(int(asked), cpus) if asked.isdigit() and int(asked) > 0 else cpus


_threads = _default_threads()
_pool: ThreadPoolExecutor | None = None


def get_num_threads() -> int:
    """The threads large kernels use (PyTorch's ``get_num_threads``)."""
    return _threads


def set_num_threads(count: int) -> None:
    """Use ``count`` threads for large kernels from now on (PyTorch's ``set_num_threads``)."""
    global _threads
    if isinstance(count, bool) or not isinstance(count, int):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(count).__name__}")
    if count <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _threads = count


def worth_splitting(size: int) -> bool:
    """Whether ``in_pieces`` would split ``size`` elements (callers of small kernels ask first, and skip it)."""
    return _threads > 1 and size >= 2 * PIECE


def in_pieces(task: Callable[[int, int], None], size: int, block: int = 1) -> None:
    """``task(start, stop)`` over pieces covering ``range(size)``: one piece per thread, each of ``PIECE`` elements or
    more, starting at multiples of ``block``; the calling thread takes the first. Returns when all are done."""
    count = min(_threads, size // PIECE)
    if count <= 1:
        task(0, size)
        return
    step = -(-size // count // block) * block  # ceil(size / count), rounded up to whole blocks
    together([functools.partial(task, start, min(start + step, size)) for start in range(0, size, step)])


def together(tasks: Sequence[Callable[[], None]]) -> None:
    """Each task on a thread of its own, the calling thread taking the first (with ``set_num_threads(1)``: all in
    turn on this one). Returns when all are done, or raises the first error once every task has ended."""
    if _threads == 1 or len(tasks) == 1:
        for task in tasks:
            task()
        return
    others = [_executor().submit(task) for task in tasks[1:]]
    try:
        tasks[0]()
    finally:
        for piece in others:  # every piece finishes before this returns (or raises the first error)
            piece.result()


def split(size: int, kernel: Callable[..., None], *args: Any, block: int = 1) -> None:
    """``kernel(*args)`` for a kernel that treats each of ``size`` elements on its own: on large arrays, in pieces
    over the threads (``in_pieces``), each piece given elements start:stop of every array argument of ``size``
    elements (a shorter one, a row repeated or an unused buffer, whole; ``block``: the row's length)."""
    if not worth_splitting(size):
        kernel(*args)
        return
    in_pieces(lambda start, stop: kernel(*(a[start:stop] if isinstance(a, np.ndarray) and a.size == size else a
                                           for a in args)), size, block)


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(thread_name_prefix="minigrad")
    return _pool


def _forget_pool() -> None:
    """In a child made by ``fork``: the parent's pool threads do not exist here; a new pool starts when needed."""
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)
