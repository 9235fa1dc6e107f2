"""Shared test helpers: the device parameter, tolerances, and minigrad <-> torch conversion."""

from __future__ import annotations

import os

# PyTorch's MKL picks its kernels by CPU. On Intel hosts with AVX512 its small matrix products fuse multiply-adds
# and change order with shape and layout; in MKL's reproducible mode (and on the AMD host of torch-semantics.md)
# they are sequential dots, each product rounded: the arithmetic minigrad reproduces. Set before torch loads MKL,
# for this process and the programs it starts; a value already set is kept (MKL_CBWR=AUTO: MKL's own choice,
# and see small_products_bit_exact).
os.environ.setdefault("MKL_CBWR", "COMPATIBLE")

import functools
import itertools
from collections.abc import Iterator

import numpy as np
import pytest
import torch

import minigrad

torch.set_num_threads(1)

# |minigrad - torch| <= atol + rtol * |torch|, elementwise. float32: a few units in the last place
# (torch's float32 exp/log/sqrt/tanh are MKL VML, not correctly rounded; its sums accumulate in
# float32 in another order). float64: near machine precision.
TOLERANCES = {"float32": (2e-6, 1e-6), "float64": (1e-12, 1e-12)}

DEVICES = [
    "cpu",
    pytest.param(
        "cuda",
        marks=pytest.mark.skipif(
            not torch.cuda.is_available(), reason="CUDA not available (torch.cuda.is_available() is False)"
        ),
    ),
]


@pytest.fixture(params=DEVICES)
def device(request: pytest.FixtureRequest) -> str:
    """The device torch's side runs on; minigrad always runs on the CPU."""
    return request.param


@pytest.fixture(params=["exact", "plain"])
def kernels(request: pytest.FixtureRequest) -> Iterator[str]:
    """The kernels minigrad runs on (``minigrad.use_exact_kernels``): PyTorch-exact ones, then the plain ones."""
    minigrad.use_exact_kernels(request.param == "exact")
    yield request.param
    minigrad.use_exact_kernels(True)


def numpy_of(t: minigrad.Tensor | torch.Tensor) -> np.ndarray:
    """A tensor's values as a numpy array, from either framework."""
    if isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy()
    return t.detach().numpy()


def dtype_name(t: minigrad.Tensor | torch.Tensor) -> str:
    return str(t.dtype).split(".")[-1]


@functools.cache
def small_products_bit_exact() -> bool:
    """Whether PyTorch computes small matrix products here as minigrad does: a sequential dot, each product
    rounded, then added (``minigrad.kernels.linalg``). Checked on random Linear layers (inner sizes up to 3, and
    one output column over up to 6 samples: every product the bit-exact trajectories take), forward and all
    three gradients, float32 and float64.

    It holds on the AMD host of torch-semantics.md, and on an Intel AVX512 host (a Xeon, measured 2026-12-05) in
    MKL's reproducible mode, which this file sets (MKL_CBWR=COMPATIBLE). Without it, that host's MKL fuses
    multiply-adds and orders the dot by shape and layout (plain, fused, or neither, from one (M, K, N, transposes)
    to the next): closed source, not reproducible. Where it does not hold, training runs are compared to float32
    rounding and the printed-output comparisons are skipped, with this reason.
    """
    rng = np.random.default_rng(0)
    for dtype in ("float32", "float64"):
        for batch, fan_in, fan_out in itertools.product(range(1, 7), range(1, 4), range(1, 4)):
            if batch > 3 and fan_out > 1:  # grad_W's inner size is the batch: BLAS in minigrad, beyond this
                continue
            arrays = [rng.standard_normal(shape).astype(dtype)
                      for shape in ((batch, fan_in), (fan_out, fan_in), (fan_out,), (batch, fan_out))]
            results = []
            for fw in (minigrad, torch):
                x, weight, bias = (fw.tensor(a, requires_grad=True) for a in arrays[:3])
                y = fw.nn.functional.linear(x, weight, bias)
                y.backward(fw.tensor(arrays[3]))
                results.append([numpy_of(t) for t in (y, x.grad, weight.grad, bias.grad)])
            if not all(np.array_equal(a, b) for a, b in zip(*results)):
                return False
    return True


SMALL_PRODUCTS = ("bit for bit: this host's PyTorch sums small matrix products in order, unfused, as minigrad"
                  if small_products_bit_exact() else
                  f"to float32 rounding only: this host's PyTorch (MKL_CBWR={os.environ.get('MKL_CBWR')}) fuses or "
                  "reorders small matrix products (see small_products_bit_exact)")


# For tests that compare printed digits or whole states with ==: they hold only where the products are exact.
needs_exact_small_products = pytest.mark.skipif(not small_products_bit_exact(),
                                                reason=f"training runs: {SMALL_PRODUCTS}")


def assert_same_run(actual, expected, exact: bool, err_msg: str = "") -> None:
    """Values from two training runs: bit for bit when ``exact``, else to float32 rounding compounded over the run
    (rtol 1e-5, atol 1e-6: a GPU, or a host whose small products PyTorch fuses, see small_products_bit_exact)."""
    if exact:
        np.testing.assert_array_equal(actual, expected, err_msg=err_msg)
    else:
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6, err_msg=err_msg)


def pytest_report_header() -> str:
    return f"training runs against PyTorch on the CPU: {SMALL_PRODUCTS}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(pytest_report_header())  # also under -q, which leaves the header out


def assert_close(actual: minigrad.Tensor, expected: torch.Tensor, what: str = "value",
                 float32_atol: float | None = None) -> None:
    """minigrad's tensor equals torch's: same shape, same dtype, values within the dtype's tolerance."""
    assert tuple(actual.shape) == tuple(expected.shape), f"{what}: shape {actual.shape} != {tuple(expected.shape)}"
    assert dtype_name(actual) == dtype_name(expected), f"{what}: dtype {actual.dtype} != {expected.dtype}"
    rtol, atol = TOLERANCES.get(dtype_name(expected), (0, 0))
    if float32_atol is not None and dtype_name(expected) == "float32":
        atol = float32_atol
    np.testing.assert_allclose(numpy_of(actual), numpy_of(expected), rtol=rtol, atol=atol, equal_nan=True,
                               err_msg=what)


def outcome(fn, fw):
    """(result, None) or (None, exception) of fn(fw)."""
    try:
        return fn(fw), None
    except Exception as error:
        return None, error


def assert_same_error(fn) -> None:
    """fn raises in torch; minigrad raises the same exception type with the same message.

    Type names in torch's message read as minigrad's (``torch.Size([3])`` is ``minigrad.Size([3])``).
    """
    _, expected = outcome(fn, torch)
    _, actual = outcome(fn, minigrad)
    assert expected is not None, "torch did not raise"
    assert type(actual) is type(expected), f"torch raised {expected!r}, minigrad {actual!r}"
    assert str(actual) == str(expected).replace("torch.", "minigrad.")
