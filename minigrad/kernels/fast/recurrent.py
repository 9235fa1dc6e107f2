"""An LSTM sequence's batch in two pieces, each run through all its steps by a thread of its own
(``kernels/recurrent.py``).

The elements of a batch are independent LSTMs, so two threads, each running every step of its piece, never wait for
each other: they meet once a sequence. Sharing each step's product between OpenBLAS's threads instead (as before),
they met after each product, 50 µs of work; when another process held the second core, each meeting waited for the
scheduler (0.9 ms a product), and the LSTM ran slower on two threads than on one. The cut depends on the batch alone,
so the results do not depend on the thread count.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable

import numpy as np

from . import blas, threads

BLOCK = 16  # the batch is cut at a multiple of this many columns (whole blocks of BLAS's float32 kernels)


def shared() -> bool:
    """Whether the work is shared between threads: there are several, and numpy's BLAS puts its idle threads to
    sleep soon (``blas.idle_threads_sleep_soon``; else one of them keeps the other core, and one thread runs both
    pieces, each step's products on BLAS's threads)."""
    return threads.get_num_threads() > 1 and blas.idle_threads_sleep_soon()


def pieces(batch: int) -> list[np.ndarray]:
    """The batch's columns as the bounds each thread runs: two pieces, cut at a whole number of ``BLOCK`` columns
    about the middle (one piece below 2 ``BLOCK``), a thread each where ``shared()``, else both on this one."""
    cut = batch // (2 * BLOCK) * BLOCK
    if cut == 0:
        return [np.array([0, batch])]
    return [np.array([0, cut]), np.array([cut, batch])] if shared() else [np.array([0, cut, batch])]


def run(groups: list[np.ndarray], steps: Callable[[np.ndarray], None]) -> None:
    """``steps(bounds)`` for each of ``pieces``' groups: each on a thread of its own, numpy's BLAS on one thread
    meanwhile (two threads calling OpenBLAS's threaded products would queue for its threads); one group on this
    thread with BLAS's threads as they are, sharing each product."""
    with blas.one_thread() if len(groups) > 1 else contextlib.nullcontext():
        threads.together([functools.partial(steps, bounds) for bounds in groups])
