"""The benchmark harness runs, so it cannot rot: ``python -m benchmarks.run --quick`` times every workload.

Quick mode cuts sizes and repetitions; nothing here is asserted about speed, only that each workload gave a
finite positive median for both frameworks, that the table printed each row once, and that quick mode says what
it is and judges no target defined for the sizes it cuts. And ``benchmarks/README.md`` is what
``benchmarks.report`` renders from ``benchmarks/results.json``, so the page and its figures cannot drift apart.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def benchmarks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))  # benchmarks/ is not an installed package


@pytest.mark.usefixtures("benchmarks")
def test_quick_run_times_every_workload(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from benchmarks import chart, report, run
    from benchmarks.workloads import WORKLOADS

    results = run.main(["--quick", "--threads", "1", "--markdown", "--save", str(tmp_path / "results.json")])
    chart.main([str(tmp_path / "results.json"), str(tmp_path / "chart.png")])
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")

    assert [r.group for r in results] == [w.group for w in WORKLOADS]
    for r in results:
        assert math.isfinite(r.minigrad_s) and r.minigrad_s > 0, r
        assert math.isfinite(r.torch_s) and r.torch_s > 0, r
    out, err = capsys.readouterr()
    assert out.startswith("Quick mode: ")  # it says what it is, before the table
    assert "| workload | threads | minigrad | torch |" in out
    for r in results:  # each row once: the table, not also a progress line
        assert (out + err).count(f"| {r.workload} | {r.threads} |") == 1
        assert r.workload not in err

    # Targets defined for the full sizes (the MLP's batch, the 10M-element arrays) are not judged on quick sizes;
    # the others (the seed's steps, whole processes) are.
    for w, r in zip(WORKLOADS, results):
        assert r.judged is not w.sized, r
        if w.sized:
            assert r.met is None and "% of copy" not in r.note, r
            assert f"| {report.NOT_JUDGED} |" in next(line for line in out.splitlines() if f"| {r.workload} |" in line)
        elif w.target.text != "—":
            assert r.met is not None, r
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["quick"] is True and saved["commit"]
    with pytest.raises(ValueError, match="quick"):
        report.render(saved)


@pytest.mark.usefixtures("benchmarks")
def test_readme_needs_a_full_run(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import run

    for argv in (["--quick", "--readme"], ["--only", "seed", "--readme"]):
        with pytest.raises(SystemExit):
            run.main(argv)
        assert "--readme publishes a full run" in capsys.readouterr().err


@pytest.mark.usefixtures("benchmarks")
def test_benchmark_page_is_generated_from_the_saved_run() -> None:
    from benchmarks import report

    saved = json.loads(report.RESULTS.read_text())
    assert report.README.read_text() == report.render(saved), (
        "benchmarks/README.md is generated: run python -m benchmarks.report after editing benchmarks/report.py")
    page = report.README.read_text()
    for r in saved["results"]:  # every figure, and a verdict for every target
        assert f"| {r['workload']} | {r['threads']} |" in page
    assert page.count("### ") == len(report.SECTIONS)
