"""The picture scripts in examples/pictures/ run and each writes a real PNG where it is told to."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib", reason="the picture scripts draw with matplotlib (pip install minigrad[plot])")

ROOT = Path(__file__).resolve().parent.parent
PICTURES = sorted(path for path in (ROOT / "examples" / "pictures").glob("*.py") if not path.name.startswith("_"))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_the_five_pictures_are_there() -> None:
    assert {path.stem for path in PICTURES} == {
        "gradient_descent", "optimizer_paths", "epochs_minibatches", "sigmoid_mse_vs_bce", "cross_entropy_curves"
    }


@pytest.mark.parametrize("script", PICTURES, ids=lambda path: path.stem)
def test_picture_script_writes_a_png(script: Path, tmp_path: Path) -> None:
    out = tmp_path / "picture.png"
    result = subprocess.run([sys.executable, str(script), str(out)], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk, always first
    assert 400 <= width <= 2000 and 300 <= height <= 1500, (width, height)
    assert len(data) > 20_000, "suspiciously small: an empty figure?"
    assert list(tmp_path.iterdir()) == [out], "the script wrote somewhere else too"
