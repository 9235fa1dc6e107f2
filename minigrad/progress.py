"""Progress of a long loop: a bar redrawn in place on a terminal, plain log lines elsewhere (files, CI logs)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")
WIDTH = 30  # characters of bar
LOG_EVERY = 0.25  # without a terminal: a line at each quarter of the way


def progress(items: Iterable[T], total: int, what: str, stream: TextIO | None = None) -> Iterator[T]:
    """Yield ``items`` (``total`` of them) while showing how far along ``what`` is on ``stream`` (stderr)."""
    stream = stream or sys.stderr
    on_terminal = stream.isatty()
    start = time.perf_counter()
    next_log = LOG_EVERY
    done = 0
    for done, item in enumerate(items, 1):
        yield item
        share = done / total
        if on_terminal:
            filled = int(WIDTH * share)
            stream.write(f"\r{what} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}")
            stream.flush()
        elif share >= next_log or done == total:
            stream.write(f"{what}: {done}/{total} ({share:.0%}, {time.perf_counter() - start:.1f} s)\n")
            next_log = share + LOG_EVERY
    if on_terminal and done:
        stream.write(f"  done in {time.perf_counter() - start:.1f} s\n")
