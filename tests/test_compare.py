"""The compare command: runs both frameworks in lockstep and prints the side-by-side table."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import needs_exact_small_products

import minigrad
from minigrad import compare
from minigrad.progress import progress

ROOT = Path(__file__).resolve().parent.parent


@needs_exact_small_products
@pytest.mark.parametrize("program", ["linear_regression", "logistic_regression"])
def test_table_shows_logged_epochs_final_parameters_and_verdict(program: str, capsys) -> None:
    assert compare.main([program]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("minigrad vs PyTorch 2.13.0")
    assert "epoch" in lines[3] and "minigrad loss" in lines[3] and "torch loss" in lines[3]
    rows = [line.split() for line in lines[4:] if line.strip() and line.split()[0].isdigit()]
    last = 2000 if program == "linear_regression" else 1000
    step = 100 if program == "linear_regression" else 10
    assert [int(r[0]) for r in rows] == list(range(0, last + 1, step))
    assert all(r[1] == r[2] and float(r[3]) == 0 for r in rows)  # minigrad's loss is torch's, digit for digit
    if program == "logistic_regression":
        assert rows[-1][4:] == ["100.00%", "100.00%"]
    assert "final parameters" in out and f"over all {last + 1} epochs" in out
    assert lines[-1] == "verdict: bit-identical"


def test_autograd_cell(capsys) -> None:
    compare.main(["autograd_cell"])
    out = capsys.readouterr().out
    assert "w.grad" in out and "8.000000" in out and out.rstrip().endswith("verdict: bit-identical")


def test_plot_saves_both_loss_curves(tmp_path: Path, capsys) -> None:
    pytest.importorskip("matplotlib", reason="matplotlib (the 'plot' extra) is not installed")
    target = tmp_path / "curves.png"
    compare.main(["linear_regression", "--plot", str(target)])
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"loss curves saved to {target}" in capsys.readouterr().out


def test_cuda_device_without_a_gpu_is_a_clear_error(capsys) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("a GPU is present: --device cuda is valid here")
    with pytest.raises(SystemExit):
        compare.main(["linear_regression", "--device", "cuda"])
    assert "torch.cuda.is_available() is False" in capsys.readouterr().err


def test_module_and_console_script_run() -> None:
    result = subprocess.run([sys.executable, "-m", "minigrad.compare", "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and "linear_regression" in result.stdout
    script = Path(sys.executable).parent / "minigrad-compare"
    assert script.exists(), "the minigrad-compare console script is not installed (pip install -e .)"


class _Stream(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_is_a_bar_on_a_terminal_and_log_lines_elsewhere(terminal: bool) -> None:
    stream = _Stream(terminal)
    assert list(progress(range(8), 8, "training", stream)) == list(range(8))
    text = stream.getvalue()
    if terminal:
        assert text.count("\r") == 8 and "[" + "#" * 30 + "] 8/8" in text and text.endswith("s\n")
    else:
        assert "\r" not in text and text.splitlines()[-1].startswith("training: 8/8 (100%")
        assert len(text.splitlines()) == 4  # a line at each quarter


def test_compare_reports_progress_on_stderr(capsys) -> None:
    compare.main(["logistic_regression"])
    assert "training logistic_regression on both: 1001/1001 (100%" in capsys.readouterr().err


def test_a_difference_on_the_cpu_names_mkls_reproducible_mode(monkeypatch, capsys) -> None:
    """Where PyTorch's MKL fuses small products (Intel AVX512 hosts), the verdict says how to get its sequential
    ones; not when MKL_CBWR is set already."""
    monkeypatch.setattr(compare, "compare_program", lambda *args: 2.15e-06)
    monkeypatch.delenv("MKL_CBWR")
    compare.main(["linear_regression"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == ["verdict: agree within 2.15e-06", compare.MKL_HINT.format(program="linear_regression")]
    monkeypatch.setenv("MKL_CBWR", "AUTO")
    compare.main(["linear_regression"])
    assert capsys.readouterr().out.splitlines()[-1] == "verdict: agree within 2.15e-06"


def test_plain_runs_minigrad_on_its_plain_kernels_and_says_why_digits_differ(capsys) -> None:
    """``--plain``: the table of the plain kernels against PyTorch, within float32 rounding, and the note on why two
    correct engines print other last digits; the kernel mode is back to exact afterwards."""
    assert compare.main(["logistic_regression", "--plain"]) == 0
    out = capsys.readouterr().out
    assert "minigrad on plain kernels" in out.splitlines()[0]
    verdict = next(line for line in out.splitlines() if line.startswith("verdict: "))
    assert verdict == "verdict: bit-identical" or float(verdict.rsplit(" ", 1)[1]) < 1e-5
    assert out.rstrip().endswith("Without --plain minigrad runs PyTorch's own order.)")
    assert minigrad.are_exact_kernels_enabled()
