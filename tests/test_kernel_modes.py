"""The two tiers of kernels: ``use_exact_kernels(False)`` runs the plain ones, and nothing of the exact or fast tier.

The cross-checks of every op (test_ops) and the seed's trajectories (test_training) run in both modes; here: the
switch itself, what plain mode computes, and that it never reaches into ``kernels/exact`` or ``kernels/fast``.
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import torch
from numba.core.dispatcher import Dispatcher

import minigrad
from minigrad.compile.trace import kernel_modules
from reference.convert import from_torch_state_dict

ROOT = Path(__file__).resolve().parent.parent
PLAIN_MODULES = sorted(p for p in (ROOT / "minigrad" / "kernels").glob("*.py") if p.name != "__init__.py")


def test_the_switch_and_its_errors() -> None:
    assert minigrad.are_exact_kernels_enabled() is True  # the default
    try:
        minigrad.use_exact_kernels(False)
        assert minigrad.are_exact_kernels_enabled() is False
        with pytest.raises(TypeError, match="use_exact_kernels expects a bool, but got int"):
            minigrad.use_exact_kernels(1)
        assert minigrad.are_exact_kernels_enabled() is False  # the refused call changed nothing
    finally:
        minigrad.use_exact_kernels(True)


@pytest.mark.parametrize(("value", "expected"), [("0", "False"), ("1", "True"), ("off", "False"), ("", "True")])
def test_the_environment_sets_the_mode_for_a_run(value: str, expected: str) -> None:
    result = subprocess.run([sys.executable, "-c", "import minigrad; print(minigrad.are_exact_kernels_enabled())"],
                            capture_output=True, text=True, env={"MINIGRAD_EXACT_KERNELS": value, "PATH": ""},
                            cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_wrong_environment_value_is_named() -> None:
    result = subprocess.run([sys.executable, "-c", "import minigrad"], capture_output=True, text=True,
                            env={"MINIGRAD_EXACT_KERNELS": "yes please"}, cwd=ROOT, timeout=300)
    assert result.returncode != 0
    assert "MINIGRAD_EXACT_KERNELS must be 0 or 1, not 'yes please'" in result.stderr


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_plain_sums_add_in_order_and_exact_ones_in_torchs_cascade(dtype: str) -> None:
    """The float sum of the plain kernels is 0 + x0 + x1 + ... in the dtype; the exact one is torch's, bit for bit.
    On 10,000 values the two orders round differently (so the check tells them apart)."""
    x = np.random.default_rng(3).standard_normal(10_000).astype(dtype)
    in_order = functools.reduce(lambda total, v: total + v, x, x.dtype.type(0))
    try:
        minigrad.use_exact_kernels(False)
        plain = minigrad.tensor(x).sum().item()
    finally:
        minigrad.use_exact_kernels(True)
    exact = minigrad.tensor(x).sum().item()
    assert plain == in_order
    assert exact == torch.tensor(x).sum().item()
    assert plain != exact


def _forbid(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every kernel and function of ``module`` raise (but the settings ``get/set_num_threads``)."""
    def refuse(name: str):
        def call(*args, **kwargs):
            raise AssertionError(f"plain mode called {module.__name__}.{name}")
        return call

    for name, value in vars(module).items():
        defined_here = getattr(value, "__module__", None) == module.__name__
        if name in ("get_num_threads", "set_num_threads"):
            continue
        if isinstance(value, Dispatcher) or (callable(value) and defined_here and not isinstance(value, type)):
            monkeypatch.setattr(module, name, refuse(name))


def _train(fw: ModuleType, state: dict | None = None) -> tuple[list[float], dict]:
    """20 Adam steps of a small classifier whose loss touches every kind of kernel: (losses, initial state)."""
    fw.manual_seed(0)
    model = fw.nn.Sequential(fw.nn.Linear(5, 16), fw.nn.Sigmoid(), fw.nn.Linear(16, 16), fw.nn.Tanh(),
                             fw.nn.Linear(16, 3))
    if state is not None:
        model.load_state_dict(state)
    initial = {k: v.detach().clone() for k, v in model.state_dict().items()}
    optimizer = fw.optim.Adam(model.parameters(), lr=0.01)
    x = fw.tensor(np.random.default_rng(1).standard_normal((64, 5)).astype(np.float32))
    y = fw.tensor(np.random.default_rng(2).integers(0, 3, 64))
    losses = []
    for _ in range(20):
        out = model(x)
        loss = fw.nn.functional.cross_entropy(out, y) + out.var() + out.relu().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, initial


def test_plain_mode_never_runs_an_exact_or_fast_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """With every function of ``kernels/exact`` and ``kernels/fast`` made to raise (but the thread-count settings),
    training steps that touch every kind of kernel run in plain mode and give torch's numbers to rounding."""
    tiers = [m for alias, m in kernel_modules().items() if alias.startswith(("exact_", "fast_"))]
    assert {m.__name__.rsplit(".", 1)[1] for m in tiers} >= {"sleef", "cascade", "sigmoid", "softmax", "copies",
                                                             "vectorized", "cache", "products", "order"}
    expected, initial = _train(torch)
    for module in tiers:
        _forbid(module, monkeypatch)
    try:
        minigrad.use_exact_kernels(False)
        losses, _ = _train(minigrad, from_torch_state_dict(initial))
    finally:
        minigrad.use_exact_kernels(True)
    np.testing.assert_allclose(losses, expected, rtol=1e-5)


def test_the_plain_modules_define_no_pytorch_emulation() -> None:
    """What a reader opens first, ``minigrad/kernels/*.py``, defines no SLEEF port, cascade or TensorIterator walk:
    those live in ``kernels/exact``, and the threads, block cache and vectorized loops in ``kernels/fast``."""
    for path in PLAIN_MODULES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                name = node.name.lower()
                assert not any(word in name for word in ("sleef", "cascade", "walk", "iteration", "lanes",
                                                         "vector", "thread", "cache")), f"{path.name}: {node.name}"


@pytest.mark.parametrize(("source", "target"), [((1, 200), (32, 200)), ((200,), (32, 200)), ((32, 1), (32, 200)),
                                                ((1, 4, 1), (3, 4, 5)), ((3, 1, 5), (2, 3, 4, 5)),
                                                ((3, 1, 5), (3, 4, 5)), ((4, 1), (3, 4, 5)), ((1,), (7,))])
@pytest.mark.parametrize(("source_dtype", "target_dtype"), [("float32", "float32"), ("float64", "float64"),
                                                              ("int64", "int64"), ("float32", "float64"),
                                                              ("float64", "int32")])
def test_broadcast_writes_are_the_plain_strided_copy(source: tuple, target: tuple, source_dtype: str,
                                                      target_dtype: str) -> None:
    """The fast tier's copies of a broadcast source (a row repeated, a column spread, a block of dims between 1s;
    the strided copy's odometer for a middle 1) and the plain strided copy both write what torch's ``copy_`` writes,
    byte for byte, casts included."""
    src = (np.random.default_rng(0).standard_normal(source) * 100).astype(source_dtype)
    expected = torch.zeros(target, dtype=getattr(torch, target_dtype)).copy_(torch.from_numpy(src)).numpy()
    for exact in (True, False):
        try:
            minigrad.use_exact_kernels(exact)
            dst = np.zeros(target, target_dtype)
            minigrad.kernels.write(dst, src)
        finally:
            minigrad.use_exact_kernels(True)
        assert dst.tobytes() == expected.tobytes(), f"exact={exact}"
