"""``python -m minigrad.coverage``: docs/coverage.md is its current output, and it needs PyTorch only when run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import torch

from minigrad import coverage

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "coverage.md"


def test_page_is_current() -> None:
    assert PAGE.read_text() == coverage.report(torch.__version__), (
        "docs/coverage.md is out of date: regenerate it with `.venv/bin/python -m minigrad.coverage > docs/coverage.md`"
    )


def test_counts_add_up_and_name_what_is_missing() -> None:
    """Each namespace: has + missing = PyTorch's names, and a name minigrad has is never listed as missing."""
    page = coverage.report(torch.__version__)
    for theirs, ours in coverage.NAMESPACES:
        wanted, have = coverage.torch_names(theirs), coverage.minigrad_names(ours)
        row = f"| {coverage._label(theirs)} | {len(wanted)} | {len(wanted & have)} | {len(wanted - have)} |"
        assert row in page
    assert "`tensor`" not in page.split("## Missing from `torch` ")[1].split("##")[0]
    assert {"Optimizer", "Tensor"}.isdisjoint(coverage.torch_names("torch.optim.lr_scheduler"))
    assert "math" not in coverage.torch_names("torch.nn.functional")


def test_without_torch_it_says_how_to_install_it() -> None:
    result = subprocess.run([sys.executable, "-c", "import sys; sys.modules['torch'] = None\n"
                             "from minigrad import coverage; coverage.main()"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    assert "install it with pip install 'torch==2.13.0'" in result.stderr
