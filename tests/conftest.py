"""Shared test helpers: the device parameter, tolerances, and minigrad <-> torch conversion."""

from __future__ import annotations

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


def numpy_of(t: minigrad.Tensor | torch.Tensor) -> np.ndarray:
    """A tensor's values as a numpy array, from either framework."""
    if isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy()
    return t.detach().numpy()


def dtype_name(t: minigrad.Tensor | torch.Tensor) -> str:
    return str(t.dtype).split(".")[-1]


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
