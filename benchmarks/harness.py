"""Timing utilities: a minigrad callable and its torch twin timed in one process, interleaved.

Absolute times drift on a shared machine (another tenant, frequency scaling, a noisy neighbour's cache);
the minigrad/torch ratio holds when both are sampled under the same conditions. So every figure here is a
median over repetitions in which the two frameworks take turns (the one that goes first alternates), after
a warm-up that runs each callable a few times (numba loads its cached kernels on a first call; torch
allocates its pools). A sample times ``number`` back-to-back calls with ``time.perf_counter`` and divides,
with ``number`` chosen so one sample lasts at least ``min_sample_s`` (timer resolution and call overhead
then vanish). The garbage collector stays on, as it is in a training loop.

Thread counts: ``threads(n)`` sets torch's intra-op threads (``torch.set_num_threads``) and minigrad's
(``minigrad.set_num_threads``: the threads its large kernels split over) to ``n``, and numpy's BLAS through
``threadpoolctl`` when it is installed; without it BLAS keeps its default (``BLAS_CONTROL`` says which, and the
label reads "1 (BLAS default)"). That matters where minigrad calls numpy's matmul (the MLP): OpenBLAS's idle
workers spin for a while after each product, on the core torch's next sample needs, so both frameworks' "1 thread"
figures are disturbed. With more threads the pools take turns on the same cores: ``benchmarks/__init__.py`` sends
OpenBLAS's workers to sleep at once, and
each sample starts with an untimed call.
"""

from __future__ import annotations

import contextlib
import cProfile
import os
import pstats
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import torch

import minigrad
from minigrad.kernels.fast.threads import in_pieces

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # optional: without it numpy's BLAS keeps its own thread count
    threadpool_limits = None

BLAS_CONTROL = "set with the others (threadpoolctl)" if threadpool_limits else "default (threadpoolctl not installed)"

# The process's own defaults, read before anything changes them: what "default" threads means.
DEFAULT_TORCH_THREADS = torch.get_num_threads()
DEFAULT_MINIGRAD_THREADS = minigrad.get_num_threads()

Sampler = Callable[[], float]  # takes one timing sample: seconds per call
T = TypeVar("T")


@dataclass(frozen=True)
class Result:
    """One workload's figures at one thread setting: medians in seconds per call, and the target's verdict."""

    workload: str
    group: str
    threads: str
    minigrad_s: float
    torch_s: float
    target: str  # the target in words, "—" where the issue sets none
    met: bool | None  # None where there is no target, or where it was not judged
    note: str = ""  # e.g. GB/s against the measured memory bandwidth
    judged: bool = True  # False where the run's sizes are not the ones the target is defined for (quick mode)

    @property
    def ratio(self) -> float:
        """minigrad's median over torch's: below 1 means minigrad is faster."""
        return self.minigrad_s / self.torch_s


@dataclass(frozen=True)
class PhaseResult:
    """One phase of a workload's step at one thread setting: medians in seconds per step, and the function calls
    the phase makes per step (``calls_per_phase``), with how many of them are built-ins."""

    workload: str
    threads: str
    phase: str
    minigrad_s: float
    torch_s: float
    minigrad_calls: float
    torch_calls: float
    minigrad_builtins: float
    torch_builtins: float


@contextlib.contextmanager
def threads(count: int | None) -> Iterator[str]:
    """Run the block with ``count`` threads in torch, minigrad (and BLAS, see ``BLAS_CONTROL``); None: the defaults.

    Yields the label the table shows; restores the previous counts on the way out.
    """
    n_torch, n_minigrad = (count, count) if count else (DEFAULT_TORCH_THREADS, DEFAULT_MINIGRAD_THREADS)
    before = torch.get_num_threads(), minigrad.get_num_threads()
    torch.set_num_threads(n_torch)
    minigrad.set_num_threads(n_minigrad)
    blas = threadpool_limits(limits=count, user_api="blas") if threadpool_limits and count else contextlib.nullcontext()
    try:
        with blas:
            yield (f"{count}{'' if threadpool_limits else ' (BLAS default)'}" if count
                   else f"default (torch {n_torch}, minigrad {n_minigrad})")
    finally:
        torch.set_num_threads(before[0])
        minigrad.set_num_threads(before[1])


def thread_env(count: int | None) -> dict[str, str]:
    """The environment for a child process with ``count`` threads everywhere (None: the inherited defaults)."""
    env = dict(os.environ)
    if count:
        for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS"):
            env[name] = str(count)
    return env


def _elapsed(fn: Callable[[], Any], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return time.perf_counter() - start


def calibrate(fn: Callable[[], Any], min_sample_s: float) -> int:
    """How many back-to-back calls of ``fn`` last at least ``min_sample_s`` (doubling from 1)."""
    number = 1
    while _elapsed(fn, number) < min_sample_s:
        number *= 2
    return number


def per_call(fn: Callable[[], Any], number: int) -> Sampler:
    """A sampler: the time of ``number`` calls of ``fn`` in a row, divided by ``number``, after one untimed call
    (which pays for the turn change: the other framework's thread pools winding down, caches refilled)."""
    def sample() -> float:
        fn()
        return _elapsed(fn, number) / number

    return sample


def in_turns(samplers: Sequence[Callable[[], T]], reps: int) -> list[list[T]]:
    """``reps`` samples from each sampler, taken in turns; repetition r starts with sampler r mod k."""
    samples: list[list[T]] = [[] for _ in samplers]
    for rep in range(reps):
        for k in range(len(samplers)):
            i = (rep + k) % len(samplers)
            samples[i].append(samplers[i]())
    return samples


def interleaved(samplers: Sequence[Sampler], reps: int) -> list[float]:
    """The median of ``reps`` samples from each sampler, taken in turns (``in_turns``)."""
    return [statistics.median(s) for s in in_turns(samplers, reps)]


def compare(minigrad_fn: Callable[[], Any], torch_fn: Callable[[], Any], reps: int, min_sample_s: float,
            warmup: int = 3) -> tuple[float, float]:
    """Median seconds per call of ``minigrad_fn`` and of ``torch_fn``: ``warmup`` calls each, then interleaved."""
    samplers = []
    for fn in (minigrad_fn, torch_fn):
        for _ in range(warmup):
            fn()
        samplers.append(per_call(fn, calibrate(fn, min_sample_s)))
    minigrad_s, torch_s = interleaved(samplers, reps)
    return minigrad_s, torch_s


def per_phase(phases: Sequence[Callable[[], Any]], number: int) -> Callable[[], list[float]]:
    """A sampler of a step made of ``phases`` (called in order): each phase's time over ``number`` steps in a row,
    divided by ``number``, after one untimed step. The clock is read around each phase (about 0.1 µs a phase of
    clock reads and the phase's call)."""
    clock = time.perf_counter

    def sample() -> list[float]:
        for phase in phases:
            phase()
        totals = [0.0] * len(phases)
        for _ in range(number):
            for i, phase in enumerate(phases):
                start = clock()
                phase()
                totals[i] += clock() - start
        return [total / number for total in totals]

    return sample


def compare_phases(minigrad_phases: Sequence[Callable[[], Any]], torch_phases: Sequence[Callable[[], Any]],
                   reps: int, min_sample_s: float, warmup: int = 3) -> tuple[list[float], list[float]]:
    """Median seconds per step of each phase of a minigrad step and of its torch twin (each a sequence of
    callables that make one step when called in order): ``warmup`` steps each, then samples taken in turns as
    ``compare`` does, each phase's median over the repetitions."""
    samplers = []
    for phases in (minigrad_phases, torch_phases):
        def step(phases: Sequence[Callable[[], Any]] = phases) -> None:
            for phase in phases:
                phase()

        for _ in range(warmup):
            step()
        samplers.append(per_phase(phases, calibrate(step, min_sample_s)))
    minigrad_s, torch_s = ([statistics.median(column) for column in zip(*samples)]
                           for samples in in_turns(samplers, reps))
    return minigrad_s, torch_s


def calls_per_phase(phases: Sequence[Callable[[], Any]], steps: int) -> list[tuple[float, float]]:
    """For each phase of a step (``phases``, called in order, ``steps`` times): the function calls it makes per
    step, as cProfile counts them (Python functions, a generator's every resumption, and built-ins: functions
    written in C called from Python, such as ``isinstance`` or PyTorch's operators), and how many of them are
    built-ins. The phase's own call and the profiler's are left out."""
    profiles = [cProfile.Profile() for _ in phases]
    for _ in range(steps):
        for phase, profile in zip(phases, profiles):
            profile.enable()
            phase()
            profile.disable()
    counts = []
    for phase, profile in zip(phases, profiles):
        own = cProfile.label(phase.__code__)
        calls = builtin = 0
        for key, (_, total, *_) in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
            if key != own and key[2] != "<method 'disable' of '_lsprof.Profiler' objects>":
                calls += total
                builtin += total if key[0] == "~" else 0
        counts.append((calls / steps, builtin / steps))
    return counts


def process_sampler(args: Sequence[str], env: dict[str, str] | Callable[[], dict[str, str]], cwd: str) -> Sampler:
    """A sampler: the wall time of running ``args`` as a child process to its exit (output captured, discarded).

    ``env`` may be a function, called before each run (for a fresh directory per run); the call is not timed.
    """
    def sample() -> float:
        environment = env() if callable(env) else env
        start = time.perf_counter()
        subprocess.run(args, env=environment, cwd=cwd, check=True, capture_output=True)
        return time.perf_counter() - start

    return sample


def memory_bandwidth(n_floats: int, reps: int) -> tuple[float, float]:
    """The machine's memory bandwidth in GB/s, two ways, medians of ``reps`` interleaved samples on float32 arrays
    of ``n_floats``, counting 8 bytes an element (one read, one write), on as many threads as minigrad's large
    kernels use (``minigrad.get_num_threads()``, in the same pieces: one core alone does not reach the memory's
    speed; two here reach about twice one core's figure):

    - copy (the reference the targets use): ``np.copyto(dst, src)``, STREAM's copy;
    - in place: ``np.negative(a, out=a)``. A copy's destination is read into cache before it is written
      (write-allocate), a traffic the count leaves out; an in-place update has none, so kernels that update
      in place (the optimizers) can pass the copy figure, up to about this one.
    """
    src, dst = np.ones(n_floats, np.float32), np.empty(n_floats, np.float32)
    np.copyto(dst, src)  # touch the pages before timing

    def copy() -> None:
        in_pieces(lambda start, stop: np.copyto(dst[start:stop], src[start:stop]), n_floats)

    def in_place() -> None:
        in_pieces(lambda start, stop: np.negative(src[start:stop], out=src[start:stop]), n_floats)

    copy_s, in_place_s = interleaved([per_call(copy, 1), per_call(in_place, 1)], reps)
    return 8 * n_floats / copy_s / 1e9, 8 * n_floats / in_place_s / 1e9
