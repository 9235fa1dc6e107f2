"""``python -m minigrad.compare PROGRAM``: train a seed program on minigrad and on PyTorch in lockstep.

Both frameworks start from the same seed, so they draw the same initial weights; then every epoch's loss,
gradients and parameters are compared. The table shows the epochs the tutorial prints; the summary gives
the largest difference over *every* epoch. PROGRAM is one of ``reference.programs.PROGRAMS`` or
``autograd_cell``. PyTorch comes from the ``reference`` package (minigrad itself never imports it). ``--plain``
runs minigrad on its plain kernels, to show what PyTorch-exactness is: the same math, other last digits.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

import numpy as np

from reference.programs import PROGRAMS, Program, autograd_cell
from reference.runner import Epoch, train

from .progress import progress

CHOICES = ["autograd_cell", *PROGRAMS]

MKL_HINT = (
    "(PyTorch's MKL picks its kernels by CPU: on Intel hosts with AVX512 it fuses and reorders small matrix "
    "products. `MKL_CBWR=COMPATIBLE minigrad-compare {program}` runs the sequential ones minigrad reproduces.)"
)

PLAIN_NOTE = (
    "(plain kernels: each op's textbook loop, sums added in order, exp and log from the C library. PyTorch's CPU "
    "kernels sum in a cascade, in vector lanes, and take exp and log from SLEEF: the same math, rounded "
    "elsewhere, so the last digits differ and the differences grow with training. Without --plain minigrad runs "
    "PyTorch's own order.)"
)


def _torch() -> ModuleType:
    try:
        return importlib.import_module("torch")
    except ImportError:
        sys.exit("minigrad.compare runs PyTorch beside minigrad: install it with pip install 'torch==2.13.0'")


def _difference(a: np.ndarray | float, b: np.ndarray | float) -> float:
    """The largest |a - b| (0 when both are NaN at the same places)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    gap = np.where(np.isnan(a) & np.isnan(b), 0.0, np.abs(a - b))
    return float(gap.max()) if gap.size else 0.0


def _fmt(values: np.ndarray) -> str:
    return np.array2string(np.asarray(values), precision=6, floatmode="fixed", separator=", ")


def compare_cell(torch: ModuleType, out: list[str]) -> float:
    """The autograd cell on both frameworks: y, z and w.grad side by side."""
    import minigrad

    ours, theirs = autograd_cell(minigrad), autograd_cell(torch)
    largest = 0.0
    out.append(f"{'value':<8}{'minigrad':>14}{'torch':>14}{'|difference|':>14}")
    for name in ours:
        a, b = ours[name].item(), theirs[name].item()
        largest = max(largest, _difference(a, b))
        out.append(f"{name:<8}{a:>14.6f}{b:>14.6f}{_difference(a, b):>14.3g}")
    return largest


def compare_program(program: Program, torch: ModuleType, device: str, out: list[str],
                    plot: str | None = None) -> float:
    """Train ``program`` on both frameworks in lockstep; append the table to ``out``; return the largest gap."""
    import minigrad

    header = f"{'epoch':>6}  {'minigrad loss':>14}  {'torch loss':>14}  {'|difference|':>12}"
    if program.classification:
        header += f"  {'minigrad acc':>12}  {'torch acc':>10}"
    out.append(header)
    largest = {"loss": 0.0, "gradients": 0.0, "parameters": 0.0}
    curves: list[tuple[float, float]] = []
    last: tuple[Epoch, Epoch] | None = None
    lockstep = zip(train(program, minigrad), train(program, torch, device))
    for ours, theirs in progress(lockstep, program.epochs + 1, f"training {program.name} on both"):
        gap = _difference(ours.loss, theirs.loss)
        largest["loss"] = max(largest["loss"], gap)
        for kind in ("gradients", "parameters"):
            for name, value in getattr(ours, kind).items():
                largest[kind] = max(largest[kind], _difference(value, getattr(theirs, kind)[name]))
        curves.append((ours.loss, theirs.loss))
        if ours.epoch % program.log_every == 0:
            row = f"{ours.epoch:>6}  {ours.loss:>14.8f}  {theirs.loss:>14.8f}  {gap:>12.3g}"
            if program.classification:
                row += f"  {ours.accuracy * 100:>11.2f}%  {theirs.accuracy * 100:>9.2f}%"
            out.append(row)
        last = (ours, theirs)
    ours, theirs = last
    out.append("")
    out.append("final parameters")
    for name, value in ours.parameters.items():
        out.append(f"  {name:<10} minigrad {_fmt(value)}   torch {_fmt(theirs.parameters[name])}")
    out.append("")
    out.append("largest |difference| over all {} epochs: loss {:.3g}, gradients {:.3g}, parameters {:.3g}".format(
        program.epochs + 1, largest["loss"], largest["gradients"], largest["parameters"]))
    if plot:
        _plot(program, curves, plot)
        out.append(f"loss curves saved to {plot}")
    return max(largest.values())


def _plot(program: Program, curves: list[tuple[float, float]], path: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("--plot needs matplotlib: pip install 'minigrad[plot]'")
    ours, theirs = zip(*curves)
    figure, axes = plt.subplots(figsize=(7, 4))
    axes.plot(ours, label="minigrad", linewidth=2.5)
    axes.plot(theirs, label="PyTorch", linestyle="--")
    axes.set(xlabel="epoch", ylabel="loss", yscale="log", title=program.name.replace("_", " "))
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print the table (the console script ``minigrad-compare``)."""
    parser = argparse.ArgumentParser(prog="minigrad-compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("program", choices=CHOICES, help="which seed program to run")
    parser.add_argument("--device", default="cpu", help="where PyTorch runs: cpu (default) or cuda")
    parser.add_argument("--plot", metavar="FILE.png", help="save both loss curves (needs matplotlib)")
    parser.add_argument("--plain", action="store_true", help="minigrad on its plain kernels, not PyTorch-exact ones")
    args = parser.parse_args(argv)
    torch = _torch()
    if args.device != "cpu" and not torch.cuda.is_available():
        parser.error(f"--device {args.device}: PyTorch sees no GPU here (torch.cuda.is_available() is False)")
    torch.set_num_threads(1)
    import minigrad

    exact = minigrad.are_exact_kernels_enabled()
    minigrad.use_exact_kernels(not args.plain)
    try:
        out = _run(args.program, args.device, args.plot, torch, args.plain)
    finally:
        minigrad.use_exact_kernels(exact)
    if args.plain:
        out.append(PLAIN_NOTE)
    print("\n".join(out))
    return 0


def _run(name: str, device: str, plot: str | None, torch: ModuleType, plain: bool) -> list[str]:
    """The comparison's lines: the table, the summary and the verdict."""
    kernels = ", minigrad on plain kernels" if plain else ""
    out: list[str] = []
    if name == "autograd_cell":
        out.append(f"minigrad vs PyTorch {torch.__version__}{kernels}: the seed's autograd cell, y = w**2, z = 2*y + 5 "
                   "at w = 2")
        largest = compare_cell(torch, out)
    else:
        program = PROGRAMS[name]
        out.append(f"minigrad vs PyTorch {torch.__version__} ({device}{kernels}): {program.title}")
        out.append(f"seed {program.seed}, epochs 0..{program.epochs}, every {program.log_every}th shown")
        out.append("")
        largest = compare_program(program, torch, device, out, plot)
    verdict = "bit-identical" if largest == 0 else f"agree within {largest:.3g}"
    out.append(f"verdict: {verdict}")
    if largest and device == "cpu" and not plain and "MKL_CBWR" not in os.environ:
        out.append(MKL_HINT.format(program=name))
    return out


if __name__ == "__main__":
    raise SystemExit(main())
