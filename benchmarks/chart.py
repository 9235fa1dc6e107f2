"""``python -m benchmarks.chart RESULTS.json CHART.png``: the benchmark's ratios as a bar chart.

One bar per workload and thread setting: minigrad's time over PyTorch's, on a log scale (below 1: minigrad is
faster), with each workload's target drawn as a tick where the issue sets one. The title carries the date and
the machine, from the JSON that ``python -m benchmarks.run --save`` wrote.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def target_ratio(target: str) -> float | None:
    """The ratio bound in a target's text (``≤ 0.2, < 50 µs`` -> 0.2); None for bandwidth and missing targets."""
    match = re.match(r"≤ ([0-9.]+)", target)
    return float(match.group(1)) if match else None


def draw(saved: dict, path: Path) -> None:
    """Write the chart of ``saved`` (the JSON's contents) to ``path``."""
    results = saved["results"]
    labels = [f"{r['workload']} ({r['threads']} thr.)" for r in results]
    ratios = [r["minigrad_s"] / r["torch_s"] for r in results]
    colors = {True: "tab:green", False: "tab:red", None: "tab:gray"}
    figure, axes = plt.subplots(figsize=(11, 0.32 * len(results) + 1.8))
    y = range(len(results))
    axes.barh(y, ratios, color=[colors[r["met"]] for r in results])
    for i, r in enumerate(results):
        bound = target_ratio(r["target"])
        if bound is not None:
            axes.plot([bound, bound], [i - 0.4, i + 0.4], color="black", linewidth=2)
    axes.set_xscale("log")
    axes.axvline(1.0, color="black", linewidth=0.8, linestyle="--")
    axes.set_yticks(list(y), labels, fontsize=7)
    axes.invert_yaxis()
    axes.set_xlabel("minigrad time / PyTorch time (log scale; < 1: minigrad faster). Black tick: the target. "
                    "Green: target met, red: missed, grey: no ratio target")
    machine = saved["environment"].split(";")[1].strip() if ";" in saved["environment"] else ""
    axes.set_title(f"minigrad vs PyTorch 2.13 (CPU), {saved['date']}, {machine}", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        raise SystemExit("usage: python -m benchmarks.chart RESULTS.json CHART.png")
    draw(json.loads(Path(args[0]).read_text()), Path(args[1]))


if __name__ == "__main__":
    main()
