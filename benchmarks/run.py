"""``python -m benchmarks.run [--quick] [--threads 1,default] [--only NAME,...] [--markdown] [--save FILE] [--readme]``

Times every workload of ``benchmarks.workloads`` on minigrad and on torch in this one process, interleaved
(``benchmarks.harness``), at each thread setting, and prints one table: workload, threads, minigrad's median,
torch's median, their ratio, the target and whether it is met; then, for the workloads timed phase by phase (the
seed's steps), each phase's medians, ratio and the function calls it makes per step. ``--markdown`` prints the
tables as Markdown; ``--quick`` uses small sizes and few repetitions (what the suite runs: it checks that the
harness works, not how fast anything is, and judges no target defined for the full sizes); ``--only`` keeps the
workloads with these keys or group names; ``--save`` writes the results and the environment as JSON (``python -m
benchmarks.chart`` draws them); ``--readme`` makes the run the published one: ``benchmarks/results.json``, its
chart ``results.png`` and the page ``benchmarks/README.md`` (``benchmarks.report``). Progress goes to stderr: a
bar on a terminal, a line each quarter of the way elsewhere.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numba
import numpy as np
import torch

import minigrad
from minigrad.progress import progress

from . import report
from .harness import (
    BLAS_CONTROL,
    PhaseResult,
    Result,
    calls_per_phase,
    compare,
    compare_phases,
    interleaved,
    memory_bandwidth,
    thread_env,
    threads,
)
from .workloads import ROOT, WORKLOADS, Sizes, Workload, startup_samplers


@dataclass(frozen=True)
class Config:
    """How long to measure: sizes, interleaved repetitions per group, and the shortest sample."""

    sizes: Sizes
    reps: int  # repetitions for the seed, ops and lean groups, and the phases
    big_reps: int  # for the mlp, nets and large groups (each call takes milliseconds or more)
    startup_reps: int  # for whole processes (seconds each)
    min_sample_s: float  # a sample repeats the call until it lasts this long
    bandwidth_floats: int  # size of the arrays the memory-bandwidth measurement uses
    quick: bool = False  # sizes cut: the targets of workloads sized by ``sizes`` are not judged


FULL = Config(Sizes(big=10_000_000, batch=512, samples=10_000), reps=21, big_reps=7, startup_reps=3,
              min_sample_s=0.02, bandwidth_floats=20_000_000)  # 80 MB an array
QUICK = Config(Sizes(big=10_000, batch=16, samples=640), reps=3, big_reps=3, startup_reps=1,
               min_sample_s=0.0005, bandwidth_floats=1_000_000, quick=True)
GROUPS = tuple(dict.fromkeys(w.group for w in WORKLOADS))
PROFILED_STEPS = 20  # steps over which cProfile counts the calls of each phase


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
    """One in-process workload: build it on each framework, time both interleaved, judge against its target
    (unless the run's sizes are not the ones the target is defined for)."""
    reps = config.big_reps if workload.group in ("mlp", "nets", "large") else config.reps
    minigrad_s, torch_s = compare(workload.build(minigrad, config.sizes), workload.build(torch, config.sizes), reps,
                                  config.min_sample_s)
    minigrad_s /= workload.steps
    judged = not (config.quick and workload.sized)
    fraction, note = None, ""
    if workload.bytes_per_element:
        moved = workload.bytes_per_element * config.sizes.big
        fraction = moved / minigrad_s / 1e9 / bandwidth
        share = f" = {fraction:.0%} of copy" if judged else ""
        note = (f"minigrad {moved / minigrad_s / 1e9:.1f} GB/s{share}, torch "
                f"{moved / torch_s / 1e9:.1f} GB/s ({workload.bytes_per_element} B/element)")
    met = workload.target.met(minigrad_s, torch_s, fraction) if judged else None
    return Result(workload.label(config.sizes), workload.group, label, minigrad_s, torch_s,
                  workload.target.text_at(torch_s),
                  met, note, judged)


def measure_phases(workload: Workload, config: Config, label: str) -> list[PhaseResult]:
    """A workload's step phase by phase (``workload.phases``), built afresh on each framework: each phase's median
    time, the two frameworks interleaved as ``measure`` does, then the function calls each phase makes per step,
    counted by cProfile over ``PROFILED_STEPS`` steps."""
    assert workload.phases is not None
    mine, twin = (workload.phases(fw, config.sizes) for fw in (minigrad, torch))
    minigrad_s, torch_s = compare_phases(list(mine.values()), list(twin.values()), config.reps, config.min_sample_s)
    minigrad_calls, torch_calls = (calls_per_phase(list(phases.values()), PROFILED_STEPS) for phases in (mine, twin))
    return [PhaseResult(workload.label(config.sizes), label, name, m_s, t_s, m_calls, t_calls, m_builtins, t_builtins)
            for name, m_s, t_s, (m_calls, m_builtins), (t_calls, t_builtins)
            in zip(mine, minigrad_s, torch_s, minigrad_calls, torch_calls)]


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


def row(result: Result) -> list[str]:
    """A result as the table's cells (``report.HEADER``)."""
    return report.cells(dataclasses.asdict(result))


def plain_table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> str:
    """Rows of cells as an aligned text table."""
    lines = [header, *lines]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines)


def tables(results: Sequence[Result], phases: Sequence[PhaseResult], markdown: bool) -> str:
    """The results' table and, when phases were timed, the phase table, as Markdown or aligned text."""
    layout = report.markdown_table if markdown else plain_table
    text = layout(report.HEADER, [row(r) for r in results])
    if phases:
        text += (f"\n\n{report.PHASE_TITLE}\n\n"
                 + layout(report.PHASE_HEADER, report.phase_lines([dataclasses.asdict(p) for p in phases])))
    return text


def quick_note(config: Config) -> str:
    """What a quick run is, printed above its table."""
    return report.wrap(f"Quick mode: large arrays of {config.sizes.big:,} elements (the full run: {FULL.sizes.big:,}), "
                       f"the MLP's batch {config.sizes.batch} ({FULL.sizes.batch}), a DataLoader epoch over "
                       f"{config.sizes.samples:,} samples ({FULL.sizes.samples:,}), {config.reps} repetitions. It "
                       f"checks that every workload runs; its figures are not to quote, and targets defined for the "
                       f"full sizes are {report.NOT_JUDGED}.")


def commit() -> str:
    """The checkout's commit, "with uncommitted changes" when the tracked files differ from it ("unknown" without
    git)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()

    try:
        head, changed = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes" if changed else "")


def run_setting(count: int | None, workloads: list[Workload], config: Config,
                bandwidths: list[str]) -> Iterator[tuple[list[Result], list[PhaseResult]]]:
    """Time ``workloads`` with ``count`` threads (None: the defaults): the memory bandwidth first (into
    ``bandwidths``), then the results of each in-process workload (with its phases, if it has them), then those of
    the whole processes."""
    with threads(count) as label:
        bandwidth, in_place = memory_bandwidth(config.bandwidth_floats, config.big_reps)
        bandwidths.append(f"threads {label}: copy {bandwidth:.1f} GB/s, in place {in_place:.1f} GB/s")
        for workload in workloads:
            if workload.build is not None:
                yield ([measure(workload, config, label, bandwidth)],
                       measure_phases(workload, config, label) if workload.phases else [])
        startup = [w for w in workloads if w.build is None]
        if startup:
            yield measure_startup(startup, config, count, label), []


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
    parser.add_argument("--readme", action="store_true",
                        help="write benchmarks/results.json, results.png and README.md from this run")
    args = parser.parse_args(argv)
    if args.readme and (args.quick or args.only):
        parser.error("--readme publishes a full run of every workload: not with --quick or --only")
    config = QUICK if args.quick else FULL
    workloads = select(args.only)
    bandwidths: list[str] = []
    load_before = f"{os.getloadavg()[0]:.2f}"  # other processes on the machine: 2-thread figures suffer most
    per_setting = sum(w.build is not None for w in workloads) + any(w.build is None for w in workloads)
    timed = (result for count in args.threads for result in run_setting(count, workloads, config, bandwidths))
    done = list(progress(timed, per_setting * len(args.threads), "timing"))
    results = [r for found, _ in done for r in found]
    phases = [p for _, found in done for p in found]
    if args.quick:
        print(quick_note(config) + "\n")
    print(tables(results, phases, args.markdown))
    footer = (f"{environment()}; load average {load_before} before, {os.getloadavg()[0]:.2f} after.\n"
              f"Memory bandwidth ({config.bandwidth_floats * 4 // 1_000_000} MB float32 arrays, read + write "
              f"counted; the targets use the copy): {'; '.join(bandwidths)}. Medians of interleaved repetitions "
              f"({config.reps} per workload, {config.big_reps} for the mlp, nets and large groups, "
              f"{config.startup_reps} for whole processes).")
    print("\n" + footer)
    saved = {"date": datetime.date.today().isoformat(), "commit": commit(), "quick": args.quick,
             "environment": footer, "results": [dataclasses.asdict(r) for r in results],
             "phases": [dataclasses.asdict(p) for p in phases]}
    for path in [args.save, report.RESULTS if args.readme else None]:
        if path is not None:
            path.write_text(json.dumps(saved, indent=1) + "\n")
    if args.readme:
        from . import chart  # needs matplotlib

        chart.draw(saved, report.CHART)
        report.README.write_text(report.render(saved))
    return results


if __name__ == "__main__":
    main()
