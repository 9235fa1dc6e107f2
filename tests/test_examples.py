"""Each example prints exactly what its PyTorch twin in reference/ prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def stdout_of(script: Path) -> str:
    result = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_prints_what_torch_prints(example: Path) -> None:
    twin = ROOT / "reference" / example.name
    assert twin.exists(), f"{example.name} has no torch twin in reference/"
    assert stdout_of(example) == stdout_of(twin)
