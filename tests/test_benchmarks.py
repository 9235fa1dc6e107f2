"""The benchmark harness runs, so it cannot rot: ``python -m benchmarks.run --quick`` times every workload.

Quick mode cuts sizes and repetitions; nothing here is asserted about speed, only that each workload gave a
finite positive median for both frameworks and that the table printed.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_quick_run_times_every_workload(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    monkeypatch.syspath_prepend(str(ROOT))  # benchmarks/ is not an installed package
    from benchmarks import chart, run
    from benchmarks.workloads import WORKLOADS

    results = run.main(["--quick", "--threads", "1", "--markdown", "--save", str(tmp_path / "results.json")])
    chart.main([str(tmp_path / "results.json"), str(tmp_path / "chart.png")])
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")

    assert [r.group for r in results] == [w.group for w in WORKLOADS]
    for r in results:
        assert math.isfinite(r.minigrad_s) and r.minigrad_s > 0, r
        assert math.isfinite(r.torch_s) and r.torch_s > 0, r
    table = capsys.readouterr().out
    assert table.startswith("| workload | threads | minigrad | torch |")
    for r in results:
        assert f"| {r.workload} | {r.threads} |" in table
