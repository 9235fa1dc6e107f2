"""``python -m benchmarks.run [--quick] [--threads 1,default] [--only NAME,...] [--markdown] [--save FILE]``

Times every workload of ``benchmarks.workloads`` on minigrad and on torch in this one process, interleaved
(``benchmarks.harness``), at each thread setting, and prints one table: workload, threads, minigrad's median,
torch's median, their ratio, the issue's target and whether it is met. ``--markdown`` prints the table as
Markdown (for README.md); ``--quick`` uses small sizes and few repetitions (what the suite runs: it checks that
the harness works, not how fast anything is); ``--only`` keeps the workloads with these keys or group names;
``--save`` writes the results and the environment as JSON (``python -m benchmarks.chart`` draws them).
Progress goes to stderr, a row per workload as it finishes.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numba
import numpy as np
import torch

import minigrad

from .harness import BLAS_CONTROL, Result, compare, interleaved, memory_bandwidth, thread_env, threads
from .workloads import WORKLOADS, Sizes, Workload, startup_samplers


@dataclass(frozen=True)
class Config:
    """How long to measure: sizes, interleaved repetitions per group, and the shortest sample."""

    sizes: Sizes
    reps: int  # repetitions for the seed and ops groups
    big_reps: int  # for the mlp and large groups (each call takes milliseconds or more)
    startup_reps: int  # for whole processes (seconds each)
    min_sample_s: float  # a sample repeats the call until it lasts this long
    bandwidth_floats: int  # size of the arrays the memory-bandwidth measurement uses


FULL = Config(Sizes(big=10_000_000, batch=512), reps=21, big_reps=7, startup_reps=3, min_sample_s=0.02,
              bandwidth_floats=20_000_000)  # 80 MB an array
QUICK = Config(Sizes(big=10_000, batch=16), reps=3, big_reps=3, startup_reps=1, min_sample_s=0.0005,
               bandwidth_floats=1_000_000)
GROUPS = tuple(dict.fromkeys(w.group for w in WORKLOADS))


def parse_threads(text: str) -> list[int | None]:
    """``"1,default"`` -> [1, None]: thread counts, None for the process's defaults."""
    counts: list[int | None] = []
    for item in text.split(","):
        if item.strip() == "default":
            counts.append(None)
        elif item.strip().isdigit() and int(item) > 0:
            counts.append(int(item))
        else:
            raise argparse.ArgumentTypeError(f"thread counts are positive integers or 'default', not {item!r}")
    return counts


def select(only: str | None) -> list[Workload]:
    """The workloads named (by key or group, comma-separated) in ``only``; all of them when None."""
    if only is None:
        return list(WORKLOADS)
    names = {name.strip() for name in only.split(",")}
    unknown = names - {w.key for w in WORKLOADS} - set(GROUPS)
    if unknown:
        keys = ", ".join(w.key for w in WORKLOADS)
        raise SystemExit(f"unknown workload(s) {', '.join(sorted(unknown))}; groups: {', '.join(GROUPS)}; "
                         f"workloads: {keys}")
    return [w for w in WORKLOADS if w.key in names or w.group in names]


def measure(workload: Workload, config: Config, label: str, bandwidth: float) -> Result:
    """One in-process workload: build it on each framework, time both interleaved, judge against its target."""
    reps = config.big_reps if workload.group in ("mlp", "large") else config.reps
    minigrad_s, torch_s = compare(workload.build(minigrad, config.sizes), workload.build(torch, config.sizes), reps,
                                  config.min_sample_s)
    minigrad_s /= workload.steps
    fraction, note = None, ""
    if workload.bytes_per_element:
        moved = workload.bytes_per_element * config.sizes.big
        fraction = moved / minigrad_s / 1e9 / bandwidth
        note = (f"minigrad {moved / minigrad_s / 1e9:.1f} GB/s = {fraction:.0%} of copy, torch "
                f"{moved / torch_s / 1e9:.1f} GB/s ({workload.bytes_per_element} B/element)")
    return Result(workload.label(config.sizes), workload.group, label, minigrad_s, torch_s, workload.target.text,
                  workload.target.met(minigrad_s, torch_s, fraction), note)


def measure_startup(workloads: list[Workload], config: Config, count: int | None, label: str) -> list[Result]:
    """The whole-process workloads: minigrad with an empty and with a warm numba cache, and the torch twin, run in
    turns as child processes with ``count`` threads. Repetition 0 starts with the empty-cache run, which fills the
    cache the warm runs use (without empty-cache workloads, one unmeasured empty run does). No other warm-up is
    needed: this process has already imported torch, numba and minigrad, so the OS holds their files in memory."""
    keys = [k for k in ("startup-empty", "startup-warm") if k in {w.key for w in workloads}]
    with tempfile.TemporaryDirectory(prefix="minigrad-startup-") as workdir:
        empty, warm, twin = startup_samplers(Path(workdir), thread_env(count))
        if keys[0] != "startup-empty":
            empty()
        samplers = {"startup-empty": empty, "startup-warm": warm}
        medians = dict(zip([*keys, "torch"], interleaved([*(samplers[k] for k in keys), twin], config.startup_reps)))
    return [
        Result(w.label(config.sizes), w.group, label, medians[w.key], medians["torch"], w.target.text,
               w.target.met(medians[w.key], medians["torch"], None),
               "python examples/linear_regression.py vs its torch twin")
        for w in workloads
    ]


def format_time(seconds: float) -> str:
    """Seconds with a readable unit, three significant figures."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


HEADER = ["workload", "threads", "minigrad", "torch", "minigrad/torch", "target", "met?", "note"]


def row(result: Result) -> list[str]:
    """A result as the table's cells."""
    met = {True: "yes", False: "no", None: "—"}[result.met]
    return [result.workload, result.threads, format_time(result.minigrad_s), format_time(result.torch_s),
            f"{result.ratio:.3g}", result.target, met, result.note]


def plain_table(results: Sequence[Result]) -> str:
    """The results as an aligned text table."""
    cells = [HEADER, *(row(r) for r in results)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in cells)


def markdown_table(results: Sequence[Result]) -> str:
    """The results as a Markdown table."""
    lines = [HEADER, ["---"] * len(HEADER), *(row(r) for r in results)]
    return "\n".join("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in lines)


def progress(results: Sequence[Result]) -> None:
    """Print finished rows to stderr, so a long run shows where it is."""
    for r in results:
        print(f"threads {r.threads}: {r.workload}: minigrad {format_time(r.minigrad_s)}, "
              f"torch {format_time(r.torch_s)}, ratio {r.ratio:.3g}", file=sys.stderr, flush=True)


def environment() -> str:
    """Versions, CPU and how BLAS threads are set: what a reader needs to compare two tables."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                    if line.startswith("model name")), cpu)
    return (f"Python {platform.python_version()}, torch {torch.__version__}, numpy {np.__version__}, "
            f"numba {numba.__version__}; {cpu}, {os.cpu_count()} logical CPUs; "
            f"numpy's BLAS threads: {BLAS_CONTROL}")


def main(argv: Sequence[str] | None = None) -> list[Result]:
    """Run the benchmark as the command line says, print the table, and return the results."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[1])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repetitions (for the test suite)")
    parser.add_argument("--threads", type=parse_threads, default=[1, None],
                        help="comma-separated thread counts, 'default' for the process's own (default: 1,default)")
    parser.add_argument("--only", help=f"workload keys or groups, comma-separated (groups: {', '.join(GROUPS)})")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--save", type=Path, help="write the results as JSON to this file")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    workloads = select(args.only)
    results: list[Result] = []
    bandwidths: list[str] = []
    load_before = f"{os.getloadavg()[0]:.2f}"  # other processes on the machine: 2-thread figures suffer most
    for count in args.threads:
        with threads(count) as label:
            bandwidth, in_place = memory_bandwidth(config.bandwidth_floats, config.big_reps)
            bandwidths.append(f"threads {label}: copy {bandwidth:.1f} GB/s, in place {in_place:.1f} GB/s")
            for workload in workloads:
                if workload.build is not None:
                    results.append(measure(workload, config, label, bandwidth))
                    progress(results[-1:])
            startup = [w for w in workloads if w.build is None]
            if startup:
                results.extend(measure_startup(startup, config, count, label))
                progress(results[-len(startup):])
    print(markdown_table(results) if args.markdown else plain_table(results))
    footer = (f"{'quick mode (sizes and repetitions cut: not figures to quote); ' if args.quick else ''}"
              f"{environment()}; load average {load_before} before, {os.getloadavg()[0]:.2f} after.\n"
              f"Memory bandwidth ({config.bandwidth_floats * 4 // 1_000_000} MB float32 arrays, read + write "
              f"counted; the targets use the copy): {'; '.join(bandwidths)}. Medians of interleaved repetitions "
              f"({config.reps} per workload, {config.big_reps} for the mlp and large groups, "
              f"{config.startup_reps} for whole processes).")
    print("\n" + footer)
    if args.save is not None:
        args.save.write_text(json.dumps({"date": datetime.date.today().isoformat(), "environment": footer,
                                         "results": [dataclasses.asdict(r) for r in results]}, indent=1))
    return results


if __name__ == "__main__":
    main()
