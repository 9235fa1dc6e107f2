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
    """The ratio bound in a target's text (``≤ 1.0`` -> 1.0, ``≤ 0.264 at torch's 190 µs`` -> 0.264); None for
    bandwidth and missing targets."""
    match = re.match(r"≤ ([0-9.]+)", target)
    return float(match.group(1)) if match else None


def draw(saved: dict, path: Path) -> None:
    """Write the chart of ``saved`` (the JSON's contents) to ``path``: one panel per thread setting."""
    results = saved["results"]
    settings = list(dict.fromkeys(r["threads"] for r in results))
    workloads = list(dict.fromkeys(r["workload"] for r in results))
    colors = {True: "tab:green", False: "tab:red", None: "tab:gray"}
    figure, panels = plt.subplots(1, len(settings), figsize=(6.5 + 3.2 * len(settings), 0.26 * len(workloads) + 1.6),
                                  sharey=True, squeeze=False)
    for panel, setting in zip(panels[0], settings):
        rows = {r["workload"]: r for r in results if r["threads"] == setting}
        for y, name in enumerate(workloads):
            r = rows.get(name)
            if r is None:
                continue
            panel.barh(y, r["minigrad_s"] / r["torch_s"], color=colors[r["met"]])
            bound = target_ratio(r["target"])
            if bound is not None:
                panel.plot([bound, bound], [y - 0.45, y + 0.45], color="black", linewidth=2)
        panel.set_xscale("log")
        panel.axvline(1.0, color="black", linewidth=0.8, linestyle="--")
        panel.set_title(f"threads: {setting}", fontsize=9)
        panel.set_xlabel("minigrad / PyTorch time (log)", fontsize=8)
    panels[0][0].set_yticks(range(len(workloads)), workloads, fontsize=7)
    panels[0][0].invert_yaxis()
    machine = saved["environment"].split(";")[1].strip() if ";" in saved["environment"] else ""
    figure.suptitle(f"minigrad vs PyTorch 2.13 (CPU), {saved['date']}, {machine}. Below 1: minigrad faster. "
                    "Black tick: the target; green: met, red: missed, grey: no target", fontsize=8)
    figure.tight_layout()
    figure.subplots_adjust(left=0.32)  # room for the longest workload names
    figure.savefig(path, dpi=90)
    plt.close(figure)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        raise SystemExit("usage: python -m benchmarks.chart RESULTS.json CHART.png")
    draw(json.loads(Path(args[0]).read_text()), Path(args[1]))


if __name__ == "__main__":
    main()
