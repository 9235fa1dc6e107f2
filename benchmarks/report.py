"""``python -m benchmarks.report [RESULTS.json [README.md]]``: the benchmark's page, from a saved run.

``benchmarks/README.md`` is generated: the figures of one full run (the JSON that ``python -m benchmarks.run
--save`` writes) set in the fixed text below: how the figures are taken, each target with its verdict read from
the figures, where the time goes, and every row. ``python -m benchmarks.run --readme`` writes it after a full run;
this command writes it again from a saved run, after the text here changes. Edit this file, not the page:
``tests/test_benchmarks.py`` checks that the page is this rendering of ``benchmarks/results.json``.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
README = HERE / "README.md"
CHART = HERE / "results.png"
WIDTH = 116  # the page's prose is wrapped to this many characters

Row = Mapping[str, object]  # one result as saved: workload, group, threads, minigrad_s, torch_s, target, met, note


def format_time(seconds: float) -> str:
    """Seconds with a readable unit, three significant figures."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


HEADER = ["workload", "threads", "minigrad", "torch", "minigrad/torch", "target", "met?", "note"]
NOT_JUDGED = "not judged (quick sizes)"


def cells(r: Row) -> list[str]:
    """A result as the table's cells (``HEADER``)."""
    met = {True: "yes", False: "no", None: "—"}[r["met"]] if r.get("judged", True) else NOT_JUDGED
    return [str(r["workload"]), str(r["threads"]), format_time(r["minigrad_s"]), format_time(r["torch_s"]),
            f"{r['minigrad_s'] / r['torch_s']:.3g}", str(r["target"]), met, str(r["note"])]


PHASE_TITLE = ("The step phase by phase: median times per step, and the function calls each phase makes per step "
               "(cProfile)")
PHASE_HEADER = ["workload", "threads", "phase", "minigrad", "torch", "minigrad/torch", "minigrad calls",
                "torch calls"]
WHOLE_STEP = "whole step (sum)"


def phase_lines(phases: Sequence[Row]) -> list[list[str]]:
    """Phase results (as saved) as the phase table's cells (``PHASE_HEADER``), each step's phases followed by
    their sum."""
    def calls(count: float, builtins: float) -> str:
        return f"{count:.0f} ({builtins:.0f} built-in)"

    lines = []
    for step in dict.fromkeys((p["workload"], p["threads"]) for p in phases):
        rows = [p for p in phases if (p["workload"], p["threads"]) == step]
        total = {key: sum(float(p[key]) for p in rows)  # type: ignore[arg-type]
                 for key in ("minigrad_s", "torch_s", "minigrad_calls", "torch_calls", "minigrad_builtins",
                             "torch_builtins")}
        for p in [*rows, {"workload": step[0], "threads": step[1], "phase": WHOLE_STEP, **total}]:
            lines.append([str(p["workload"]), str(p["threads"]), str(p["phase"]), format_time(p["minigrad_s"]),
                          format_time(p["torch_s"]), f"{p['minigrad_s'] / p['torch_s']:.3g}",
                          calls(p["minigrad_calls"], p["minigrad_builtins"]),
                          calls(p["torch_calls"], p["torch_builtins"])])
    return lines


def markdown_table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> str:
    """Rows of cells as a Markdown table."""
    rows = [header, ["---"] * len(header), *lines]
    return "\n".join("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows)


def setting_name(label: str) -> str:
    """A thread setting as a column title: ``1`` -> ``1 thread``, ``default (torch 2, minigrad 2)`` -> ``default:
    2 threads``."""
    both = re.fullmatch(r"default \(torch (\d+), minigrad (\d+)\)", label)
    if both and both[1] == both[2]:
        return f"default: {both[1]} thread{'s' * (both[1] != '1')}"
    if label.isdigit():
        return f"{label} thread{'s' * (label != '1')}"
    return label


def share_of_copy(r: Row) -> str | None:
    """The bandwidth a large-group row reached, as its note gives it (``90%`` of the copy's), or None."""
    found = re.search(r"= (\d+%) of copy", str(r["note"]))
    return found[1] if found else None


def verdict(r: Row, show_target: bool = False) -> str:
    """A section table's cell: the ratio (or the share of the copy's bandwidth), with ``show_target`` the row's
    target beside it, and whether the target is met."""
    figure = share_of_copy(r) or f"{r['minigrad_s'] / r['torch_s']:.3g}"
    if show_target:
        figure += f" ({r['target']})"
    return figure + {True: ", met", False: ", **missed**", None: ""}[r["met"]]


def phase_table(saved: Mapping[str, object]) -> str:
    """The saved run's phase table in Markdown, under its title; "" when the run timed no phases."""
    phases: list[Row] = list(saved.get("phases", []))  # type: ignore[call-overload]
    if not phases:
        return ""
    return f"{PHASE_TITLE}:\n\n{markdown_table(PHASE_HEADER, phase_lines(phases))}\n"


@dataclass(frozen=True)
class Section:
    """A family of workloads (picked from the results by ``picks``): its target in words, and where the time goes;
    with ``show_target``, each row's target in its table (a bound that depends on the host), and ``details``, more
    of the saved run below the text (Markdown)."""

    title: str
    picks: Callable[[Row], bool]
    target: str
    why: str  # Markdown; may name the figures ``figures`` computes, as {name}
    show_target: bool = False
    details: Callable[[Mapping[str, object]], str] | None = None


def _group(name: str, has: str = "", lacks: str = "") -> Callable[[Row], bool]:
    """Rows of group ``name`` whose workload names ``has`` (if given) and not ``lacks`` (if given)."""
    def picks(r: Row) -> bool:
        label = str(r["workload"])
        return r["group"] == name and (not has or has in label) and (not lacks or lacks not in label)

    return picks


SECTIONS = [
    Section(
        "Seed training step, eager", _group("seed"),
        "one step of the seed's linear and logistic regression (forward, loss, `zero_grad`, backward, `step`) in at "
        "most 0.2 of PyTorch's time on a host where PyTorch's step takes 250 µs or more, and at most 0.5 where it "
        "takes 100 µs or less. In between, 50 µs, the time both ends give (0.2 × 250 µs = 0.5 × 100 µs; about "
        "micrograd's scalar step), so the bound runs on without a jump. Each row gives the bound as it applies "
        "at PyTorch's time on this host.",
        "The arithmetic is nothing (3 to 6 samples): the time is Python, per op. Each of the step's ops builds views, "
        "checks shapes and dtypes, records a node and calls a kernel, where PyTorch dispatches in C++ (the per-op "
        "rows below). The table below times the step phase by phase (medians of interleaved repetitions, the "
        "clock read around each phase; the whole step is their sum), and counts with cProfile the function calls "
        "each phase makes per step: Python functions and, in parentheses, built-ins (functions written in C: "
        "`isinstance`, numba's dispatchers, PyTorch's operators). PyTorch's count is its own Python: "
        "`Module.__call__`, the functional wrappers, the optimizer's. Taking minigrad's Python away is what "
        "`minigrad.compile` does (the next two sections).",
        show_target=True, details=phase_table,
    ),
    Section(
        "Compiled step, one per call", _group("compiled", lacks="steps="),
        "the same step through `minigrad.compile` (traced once, replayed as one numba function) in at most 0.01 of "
        "PyTorch's eager step, per call.",
        "What is left is the call, not the step. Timed piece by piece on an Intel Xeon (AVX512, 2 CPUs), with the "
        "code `step.guards` shows: the guard expression about 330 ns (its flags compared by identity, the step's "
        "globals read through their bound `get`), numba's entry point about 235 ns for 5 arrays (each array "
        "argument is unboxed into a new array struct, about 30 ns), the loss as a new tensor about 290 ns, the two "
        "`.grad` checks 45 ns, the wrapper's `*args` call about 100 ns; the steps themselves about 300 ns. A step "
        "that takes arguments copies them in (two arguments: about 0.6 µs more, with their guards). The target "
        "is {compiled_bound} a call here.",
    ),
    Section(
        "Compiled step, `steps=1000`", _group("compiled", has="steps="),
        "with `steps=1000` the loop runs inside numba: at most 0.001 of PyTorch's step, per step.",
        "The linear regression's step is a few dozen floating-point operations. The logistic regression's keeps what "
        "bit-exactness with PyTorch asks for, and that is most of its time: sigmoid's six libm `expf` calls "
        "(PyTorch's own scalar tail for rows shorter than a SLEEF block, about 37 ns) and binary cross-entropy's "
        "twelve libm `logf`/`log1pf` (about 41 ns).",
    ),
    Section(
        "One op on 3×3 tensors", _group("ops"),
        "a lone op that records a node (`requires_grad`) in at most 2.0 of PyTorch's time; none for the others. "
        "These rows show the fixed cost that each op of the seed's step pays.",
        "minigrad's cost per op is Python: argument checks, type promotion (worked out once per op and pattern of "
        "dtypes), the result tensor, with `requires_grad` a graph node (an edge per input, a new `AccumulateGrad` "
        "for each leaf of a new graph), and the kernel: for a few elements its compiled loop called past numba's "
        "dispatcher, about 1 µs with the allocation and the flat views. The backward row is the engine alone, "
        "walking a small graph.",
    ),
    Section(
        "Eager programs as people write them", _group("lean"),
        "each in at most PyTorch's time: a recorded chain of four ops on 3×3 tensors and its backward, a training "
        "step of the character-level MLP of Karpathy's makemore part 3, and an epoch of a DataLoader feeding a "
        "small MLP trained with Adam.",
        "Small tensors throughout (the makemore step's largest product is 32×30 by 30×200), so the time is each "
        "op's fixed cost, as in the rows above, times the ops a step runs: the makemore step indexes, embeds, "
        "normalizes by hand (mean, unbiased std, the running statistics under `no_grad`) and updates six parameters "
        "through `.data`. Its arrays of a few thousand floats take the vectorized loops, a bias row or a step size "
        "read in place rather than spread into a copy, and its tanh is computed in float64 with SLEEF's exp in one "
        "such loop (libm's `tanhf` took four times PyTorch's time). The epoch runs 157 steps, each a batch of the "
        "TensorDataset (its rows gathered at once: "
        "what `default_collate` stacking the 64 samples gives), two linear layers, cross-entropy and Adam over four "
        "parameters.",
    ),
    Section(
        "MLP 784-256-10, batch 512", _group("mlp"),
        "one SGD training step in at most PyTorch's time.",
        "The step is mostly matrix products: numpy's OpenBLAS here against PyTorch's MKL. Phase by phase at one "
        "thread (sigmoid and MSE, medians of 60, on an Intel Xeon with AVX512): the first layer 1,478 µs against "
        "1,250, the backward 1,614 against 1,396; activation, loss, `zero_grad` and the SGD step even or ahead. The "
        "first product alone, 512×784 by 784×256, takes 1.21–1.35 ms in OpenBLAS against 1.11–1.21 ms in MKL, the "
        "weight gradient's likewise, and the skinny products (512×256 by 256×10 and its gradients) 55, 47 and "
        "40 µs against 35, 23 and 22. At two threads OpenBLAS scales less (the first product 0.69–0.77 ms against "
        "0.61–0.63). None of these closed the gap: OpenBLAS's transposed layouts, two Python threads each running "
        "one-thread OpenBLAS on half the rows, the `blis` wheel, `OPENBLAS_CORETYPE` (OpenBLAS already runs its "
        "SkylakeX kernels). MKL is not a dependency minigrad takes. The elementwise work on 131k elements stays on "
        "one thread: waking a pool thread costs 10–70 µs, as much as the work (a 131k-element sigmoid takes about "
        "72 µs).",
    ),
    Section(
        "Networks: a CNN, a convolution, an LSTM", _group("nets"),
        "a training step of the digits CNN in at most 2.0 of PyTorch's time, and of a 2-layer LSTM in at most 1.5; "
        "none for the convolution alone.",
        "Profiled with cProfile at one thread. The CNN step (batch 64 of 8×8 images) is small work in many pieces: "
        "the bias gradients' sums in PyTorch's cascade order (`_cascade_sum`) about 1.7 ms of ~10 under the "
        "profiler, the matrix products of the im2col convolutions and the linear layer 1.5 ms, max pooling forward "
        "and backward 1.4 ms, col2im (the second convolution's input gradient) 1.3 ms, ReLU's backward and the other "
        "elementwise loops 1.1 ms, im2col 0.5 ms, the rest Python per op and the engine. The convolution alone is "
        "its three matrix products (forward, weight and input gradients over 50,176 im2col rows of 144 values, "
        "each about 20 ms in OpenBLAS here, where the products need about 6 ms at full speed: a skinny product of "
        "32 columns), im2col about 11 ms and col2im about 4 ms. The LSTM step is one `LstmLayer` op per layer "
        "(`ops/recurrent.py`), oneDNN's layout of the work, as PyTorch runs it: the input's products for all 50 "
        "time steps as one matrix product, then each step's product h W_hh^T (512×128 by 128×32, about 50 µs) and "
        "the gates' loop, all steps in one numba kernel that calls numpy's OpenBLAS gemm itself "
        "(`kernels/recurrent.py`, `kernels/fast/blas.py`); backward likewise, then the input's and weights' "
        "gradients one product each. At one thread the seven large products take about 16 ms of the ~37, the four "
        "runs through time (two layers, forward and backward) about 19, the loss, SGD and Python the rest. At two "
        "threads the large products take OpenBLAS's two threads (about 12 ms: each first wakes OpenBLAS's thread, "
        "asleep since the last product, 0.2 ms), and the batch is cut in two pieces of 16 sequences, each run by a "
        "thread of its own from the first step to the last (runs through time about 2.5 ms each instead of 4.5; "
        "the cut does not depend on the thread count, so neither do the bits). Before, each step's 50 µs product "
        "was OpenBLAS's to share between its threads, which met after every product: with another process on the "
        "second core each meeting waited for the scheduler (0.9 ms a product), and the step ran slower on two "
        "threads than on one (two threads, 19 runs each, alone and with the group: 1.02–1.77 of PyTorch's time "
        "before, 0.92–1.48 after). Where "
        "OpenBLAS's idle threads spin for long (`OPENBLAS_THREAD_TIMEOUT` unset: 0.1 s), one of them holds the "
        "second core, and the pieces run on one thread, the per-step products on OpenBLAS's threads.",
    ),
    Section(
        "Second order: a gradient and a Hessian-vector product", _group("second-order"),
        "none: the rows show what a Hessian-vector product costs against the gradient, in each library.",
        "The Hessian-vector product is the gradient taken with `create_graph=True` (its backward recorded as ops: "
        "`minigrad/higher_order/`), then the gradient of its dot with v through that recorded graph: about three "
        "passes' worth of work in either library, each op of the recorded backward paying minigrad's per-op "
        "Python as a forward op does.",
    ),
    Section(
        "Large elementwise", _group("large", lacks="step"),
        "elementwise ops and their backward on 10M floats at 80% or more of the memory bandwidth a copy reaches on "
        "as many threads (the least bytes each must move, over its time).",
        "Kernels of a million elements or more run in pieces, one per thread (`minigrad.set_num_threads`); a piece "
        "starts on a whole row of a broadcast operand and a whole SLEEF block, so the bits are the same at any "
        "thread count. Their results come from the block cache: a fresh 40 MB array page-faults on its first write, "
        "about as much time as the write itself, and a reused block does not. add, mul and sigmoid's backward run "
        "at about the copy's speed. mul's backward computes its two products in two passes, each reading the "
        "incoming gradient: 24 bytes an element move where 20 are counted (one fused loop doing both is not "
        "vectorized by numba, and is slower). sigmoid is compute-bound: SLEEF's branch-free `exp`, vector division "
        "included, would need about twice the speed per core to keep up with the copy at 8 bytes an element; a "
        "second thread halves its time, as it doubles the bandwidth.",
    ),
    Section(
        "Optimizer steps over 10M parameters", _group("large", has="step"),
        "SGD with momentum and Adam at 80% or more of the copy's bandwidth.",
        "Each updates its parameter and state in place, in one fused pass, in pieces over the threads. An in-place "
        "update has none of the write-allocate traffic of a copy (whose destination is read into cache before it is "
        "written), so it can pass the copy's figure, up to the in-place one given above.",
    ),
    Section(
        "Whole process", _group("startup"),
        "`python examples/linear_regression.py` in at most 0.5 of its PyTorch twin's time with numba's cache warm, "
        "and at most 1.5 with the cache empty.",
        "Most of PyTorch's time is importing torch and, at the first `optim.SGD`, `torch._dynamo`. minigrad's is "
        "importing numpy and numba and loading its cached kernels; with an empty cache numba first compiles every "
        "kernel the program uses.",
    ),
]

INTRO = """\
# Benchmarks: minigrad against PyTorch

<!-- Generated by `python -m benchmarks.report` from results.json: edit benchmarks/report.py, not this page. -->

minigrad and PyTorch 2.13 (CPU) timed on the same workloads in one process: the seed's training steps, eager (also
phase by phase) and compiled, single ops, small eager programs, an MLP, networks, second-order gradients, large
elementwise kernels and optimizer steps, and whole processes. Every figure is a median; the ratio is minigrad's time
over PyTorch's (below 1, minigrad is faster). Each workload family has a target; where one is missed, its section
says where the time goes.

```sh
python -m benchmarks.run --readme   # time everything (minutes); write results.json, results.png and this page
python -m benchmarks.run --quick    # every workload at small sizes: checks that the harness runs (the suite does)
python -m benchmarks.report         # this page again from results.json, after the text in report.py changes
```

`python -m benchmarks.run` also takes `--threads 1,default`, `--only GROUP,...` (`seed`, `compiled`, `ops`,
`lean`, `mlp`, `nets`, `second-order`, `large`, `startup`), `--markdown` and `--save FILE.json`; `python -m
benchmarks.chart FILE.json chart.png` draws a saved run.
"""

METHOD = """\
## How the figures are taken

- **In one process, interleaved.** minigrad and PyTorch take turns (the one that goes first alternates), after
  three warm-up calls each; every figure is the median of the repetitions. A sample times enough back-to-back
  calls to last 20 ms, after one untimed call that pays for the change of turn. Absolute times drift on a shared
  machine; the ratio holds, as both frameworks are sampled under the same conditions. The garbage collector
  stays on, as in a training loop (`benchmarks/harness.py`).
- **Threads.** A setting gives PyTorch's intra-op threads, minigrad's (`minigrad.set_num_threads`) and numpy's
  BLAS (through `threadpoolctl`) the same count; "default" is each library's own. `benchmarks/__init__.py` sets
  `OPENBLAS_THREAD_TIMEOUT=20`: otherwise OpenBLAS's idle workers spin on the cores PyTorch's next sample needs
  (its 2-thread MLP step then measures 4–55 ms instead of 2.0–2.3).
- **Memory bandwidth.** STREAM's copy (`np.copyto`) on 80 MB float32 arrays, in pieces on as many threads as
  minigrad's kernels use, counting one read and one write per element. The large-group targets are fractions of
  it; the in-place figure (`np.negative` into its input) is the most an in-place update can reach.
- **Whole processes** run as child processes; the empty-cache runs each get a fresh `NUMBA_CACHE_DIR`.
- **PyTorch as shipped.** The suite sets `MKL_CBWR=COMPATIBLE` to compare the seed's tiny products bit for bit;
  the benchmark does not, as it makes MKL's large products about four times slower (the 512×784 by 784×256
  product: 4.9 ms instead of 1.2 on an Intel Xeon with AVX512).
- **Quick mode** (`--quick`, what `tests/test_benchmarks.py` runs) cuts the large arrays to 10,000 elements, the
  MLP's batch to 16, the DataLoader epoch's dataset to 640 samples and the repetitions to 3. It checks that every
  workload runs; its figures are not to quote, and it judges no target defined for sizes it does not run.
- **Phases.** The seed's step is also timed phase by phase, in turns with PyTorch's as the whole steps are, the
  clock read around each phase; cProfile then counts the calls each phase makes, over 20 steps.
"""

WORKLOADS = """\
## The workloads

Each is written once for both frameworks (`benchmarks/workloads.py`):

- `seed`: one training step of the seed tutorial's linear and logistic regression (forward, loss, `zero_grad`,
  backward, `step`), set up as the tutorial does (`reference/programs.py`); and the same step phase by phase, each
  phase timed and its function calls counted (cProfile) apart.
- `compiled`: the same steps through `minigrad.compile`, one step per call and `steps=1000` per call (time per
  step), against PyTorch's eager step.
- `ops`: add, mul, matmul and sigmoid on 3×3 tensors, with and without `requires_grad`, the backward of
  `(a * b).sum()`, and 32 rows indexed out of 200,000 (forward, and with backward).
- `lean`: `(a * b + a).sigmoid().sum().backward()` on 3×3 leaves; a training step of Karpathy's makemore part 3
  MLP as the lecture writes it (embedding 27×10, 32 contexts of 3 characters drawn from 50,000, a 30×200
  product, batch normalization by hand, tanh, 200×27 and a bias, cross-entropy, `p.grad = None`, backward,
  `p.data += -0.1 * p.grad`); an epoch of a DataLoader over a TensorDataset (10,000 samples of 20 features,
  batch 64, shuffled) training a 20-64-5 ReLU MLP with cross-entropy and Adam.
- `mlp`: one SGD training step of Linear(784, 256), Sigmoid or ReLU, Linear(256, 10) on a random batch of 512,
  MSE or cross-entropy.
- `nets`: a training step of `examples/digits_cnn.py`'s network (batch 64, SGD with momentum), the forward and
  backward of Conv2d(16, 32, 3, padding=1) on 64×16×28×28, and a training step of a 2-layer LSTM (input and
  hidden 128, batch 32, 50 steps, MSE, SGD).
- `second-order`: the gradient of a small tanh network's loss (float64), and a Hessian-vector product of it
  (reverse over reverse).
- `large`: add, mul, sigmoid and the backward of mul and sigmoid on 10M float32 elements, and SGD-momentum and
  Adam steps over 10M parameters, judged in GB/s from the least bytes each must move.
- `startup`: the whole process of `examples/linear_regression.py` against its PyTorch twin.
"""


def figures(results: Sequence[Row]) -> dict[str, str]:
    """Bounds the sections' text names, from PyTorch's figures at the first thread setting ("—" when absent)."""
    rows = [r for r in results if _group("compiled", lacks="steps=")(r) and "linear" in str(r["workload"])]
    return {"compiled_bound": format_time(0.01 * float(rows[0]["torch_s"])) if rows else "—"}  # type: ignore[arg-type]


def section(s: Section, saved: Mapping[str, object], settings: Sequence[str], named: Mapping[str, str]) -> str:
    """One section: its target, a table of its rows' ratios (or bandwidth shares) per thread setting, why, and its
    details."""
    rows = [r for r in saved["results"] if s.picks(r)]  # type: ignore[attr-defined]
    if not rows:
        return ""
    workloads = list(dict.fromkeys(str(r["workload"]) for r in rows))
    by = {(r["workload"], r["threads"]): r for r in rows}
    table = markdown_table(["workload", *(setting_name(t) for t in settings)],
                           [[w, *(verdict(by[w, t], s.show_target) if (w, t) in by else "" for t in settings)]
                            for w in workloads])
    details = s.details(saved) if s.details else ""
    return (f"### {s.title}\n\n{wrap('Target: ' + s.target)}\n\n{table}\n\n{wrap(s.why.format_map(named))}\n"
            + (f"\n{details}" if details else ""))


def wrap(text: str, bullet: bool = False) -> str:
    """A paragraph (or a list item) wrapped to ``WIDTH``."""
    return textwrap.fill(text, WIDTH, initial_indent="- " if bullet else "", subsequent_indent="  " if bullet else "",
                         break_long_words=False, break_on_hyphens=False)


def render(saved: Mapping[str, object]) -> str:
    """The page for a saved full run (``saved``: the JSON's contents)."""
    if saved.get("quick"):
        raise ValueError("a quick run's figures are not to quote: the page is made from a full run")
    results: list[Row] = list(saved["results"])  # type: ignore[call-overload]
    settings = list(dict.fromkeys(str(r["threads"]) for r in results))
    environment = str(saved["environment"]).splitlines()
    when = (f"Run on {saved['date']} at commit {saved.get('commit', 'not recorded')}, at "
            f"{len(settings)} thread setting{'s' * (len(settings) > 1)}: {', '.join(map(setting_name, settings))}.")
    run = (f"## The run\n\n{wrap(when)}\n\n" + "\n".join(wrap(line, bullet=True) for line in environment)
           + "\n\n![minigrad/PyTorch ratio per workload, log scale, with the targets](results.png)\n")
    named = figures(results)
    targets = "## Targets, and where the time goes\n\n" + "\n".join(
        filter(None, (section(s, saved, settings, named) for s in SECTIONS)))
    every = "## Every figure\n\n" + markdown_table(HEADER, [cells(r) for r in results]) + "\n"
    return "\n".join([INTRO, run, targets, every, METHOD, WORKLOADS]).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 2:
        raise SystemExit("usage: python -m benchmarks.report [RESULTS.json [README.md]]")
    source = Path(args[0]) if args else RESULTS
    target = Path(args[1]) if len(args) > 1 else README
    try:
        target.write_text(render(json.loads(source.read_text())))
    except ValueError as error:
        raise SystemExit(f"{source}: {error}") from None


if __name__ == "__main__":
    main()
