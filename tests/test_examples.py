"""Each example prints exactly what its PyTorch twin prints.

The twin is the example itself with ``minigrad`` swapped for ``torch`` in its source: the very change
a reader makes to move a program between the frameworks.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import needs_exact_small_products

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def stdout_of(source: str) -> str:
    result = subprocess.run([sys.executable, "-c", source], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def torch_twin(source: str) -> str:
    """The same program on PyTorch: every ``minigrad`` name becomes ``torch``."""
    return re.sub(r"\bminigrad\b", "torch", source)


@needs_exact_small_products
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_prints_what_torch_prints(example: Path) -> None:
    source = example.read_text()
    assert "import minigrad" in source and "import torch" not in source
    ours, theirs = stdout_of(source), stdout_of(torch_twin(source))
    assert ours.strip(), "the example printed nothing"
    if example.stem in TO_ROUNDING:
        assert_same_up_to_rounding(ours, theirs, TO_ROUNDING[example.stem])
    else:
        assert ours == theirs


# Examples whose float32 numbers PyTorch reaches to rounding only: their matrix products are large enough that
# PyTorch's MKL and oneDNN add the terms in another order than BLAS. Their text must be the same, their numbers
# equal within this relative tolerance (tests/test_conv.py runs digits_cnn in float64 too, to 1e-9).
TO_ROUNDING = {"digits_cnn": 1e-3}
NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")


def assert_same_up_to_rounding(ours: str, theirs: str, rtol: float) -> None:
    assert NUMBER.sub("#", ours) == NUMBER.sub("#", theirs)
    mine, expected = ([float(v) for v in NUMBER.findall(text)] for text in (ours, theirs))
    np.testing.assert_allclose(mine, expected, rtol=rtol)
