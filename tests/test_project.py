"""Project rules: minigrad stands alone, compiles lazily, layers import downwards, and runs without the JIT."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "minigrad"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env})


def test_minigrad_never_imports_torch() -> None:
    result = run_python(
        "import sys; sys.modules['torch'] = None\n"  # any 'import torch' now raises ImportError
        "import minigrad\n"
        "w = minigrad.tensor(2.0, requires_grad=True); (2 * w**2 + 5).backward(); print(w.grad.item())"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "8.0"


def test_import_compiles_no_kernel() -> None:
    result = run_python(
        "import numba.core.registry, minigrad, minigrad.kernels as K, sys\n"
        "from numba.core.dispatcher import Dispatcher\n"
        "mods = [m for n, m in sys.modules.items() if n.startswith('minigrad.kernels')]\n"
        "ds = [v for m in mods for v in vars(m).values() if isinstance(v, Dispatcher)]\n"
        "print(len(ds), sum(len(d.signatures) for d in ds))"
    )
    assert result.returncode == 0, result.stderr
    kernels, compiled = map(int, result.stdout.split())
    assert kernels >= 8 and compiled == 0


# Which minigrad modules each layer may import: kernels -> autograd -> ops -> tensor -> nn, optim -> compile, compare.
_TENSOR = {"kernels", "autograd", "ops", "dtypes", "errors", "device", "size", "return_types", "printing", "random",
           "storage", "tensor", "factories"}
LAYERS = {
    "kernels": set(),
    "dtypes": set(),
    "errors": {"dtypes"},
    "autograd": {"kernels", "dtypes", "errors"},
    "ops": {"kernels", "autograd", "dtypes", "errors"},
    "random": {"kernels", "dtypes", "errors"},
    "storage": {"autograd", "device", "dtypes"},  # Tensor.storage(): a read-only view over the memory's owner
    # (``autograd.versions.owner``, the walk the version counters use)
    "tensor": _TENSOR - {"factories"},
    "nn": _TENSOR | {"functions"},
    "linalg": _TENSOR | {"functions"},  # vander joins its columns with cat
    "optim": _TENSOR,
    "distributions": _TENSOR | {"functions", "nn"},  # composed from tensor ops and nn.functional's losses
    "utils": _TENSOR | {"functions", "hub", "serialization"},  # model_zoo: hub's loader under its old name
    "hub": _TENSOR | {"serialization"},
    "higher_order": _TENSOR | {"functions", "linalg"},
    "functional_autodiff": _TENSOR | {"functions"},  # minigrad.autograd.functional, on create_graph=True
    "func": _TENSOR | {"functions", "functional_autodiff"},
    "explain": _TENSOR,
    "coverage": set(),  # it reads minigrad's namespaces by name (importlib), above every layer
    "progress": set(),
    "accelerator": {"device"},
    "serialization": _TENSOR,
    "testing": _TENSOR,
    "special": _TENSOR | {"functions"},
    "viz": _TENSOR | {"explain"},
    "compile": _TENSOR | {"nn", "optim"},
}


def _minigrad_imports(path: Path) -> set[str]:
    """The first-level minigrad modules that ``path`` imports."""
    package = path.relative_to(ROOT).parent.parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = [*base, *(node.module or "").split(".")] if node.module else [*base]
            if len(target) > 1:
                found.add(target[1])
            elif node.names:  # from . import x (at the top of minigrad)
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found.update(n.split(".")[1] for n in names if n.startswith("minigrad."))
    return found


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_layers_import_only_downwards(layer: str) -> None:
    module = PACKAGE / f"{layer}.py"
    for path in [module] if module.exists() else (PACKAGE / layer).rglob("*.py"):
        extra = _minigrad_imports(path) - LAYERS[layer] - {layer}
        assert not extra, f"{path.relative_to(ROOT)} imports {sorted(extra)} (above its layer)"


def test_kernels_are_cached_njit_functions() -> None:
    for path in (PACKAGE / "kernels").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "njit":
                assert any(k.arg == "cache" and getattr(k.value, "value", None) is True for k in node.keywords), (
                    f"{path.name}:{node.lineno}: njit without cache=True"
                )


@pytest.mark.slow
def test_suite_subset_passes_without_the_jit() -> None:
    """NUMBA_DISABLE_JIT=1 runs every kernel as plain Python, exact and plain ones: the cross-checks must still
    pass."""
    cases = ["Mul[3x4,4]", "Sigmoid[3x4]", "Sum[3x4x5;dim=0]", "Matmul[2x3,3x4]", "Index[4x5;[0, 2, 2]]",
             "MaxDim[3x4x5;dim=1,keepdim=False]", "Div[2x1x4,3x1]", "Log[2x3x4]", "Linear[6x2,1x2,1]",
             "MseLoss[4x5,4x5;reduction='mean']", "BinaryCrossEntropy[17,17;reduction='mean']"]
    ids = [f"tests/test_ops.py::test_op_matches_torch[cpu-{kernels}-{case}-{dtype}-{layout}]" for kernels in
           ("exact", "plain") for case in cases for dtype in ("float32", "float64")
           for layout in ("contiguous", "noncontiguous")]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", *ids,
         "tests/test_engine.py::test_seed_autograd_cell", "tests/test_engine.py::test_retain_grad_matches_torch"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, "NUMBA_DISABLE_JIT": "1"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"{len(ids) + 2} passed" in result.stdout
