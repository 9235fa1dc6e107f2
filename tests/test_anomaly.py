"""Anomaly detection against PyTorch: ``detect_anomaly`` / ``set_detect_anomaly`` and their modes, the NaN check
(its error), the warning that shows the forward line behind a failing node, and what a failed backward leaves.

Each program runs on both frameworks with the same data, torch on the device under test, minigrad on the CPU, and
from the same line, so that the forward stacks the warnings show are the same (minigrad leaves its own frames out;
torch's C++ ops have none). torch's warnings end with where its C++ raised them, which minigrad has no counterpart of.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close

import minigrad

_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\.\)$")


def anomaly_modes(fw: Any) -> tuple[bool, bool]:
    """(enabled, check_nan), as torch.is_anomaly_enabled() and torch.is_anomaly_check_nan_enabled() say."""
    where = fw if hasattr(fw, "is_anomaly_enabled") else fw.autograd.anomaly
    return where.is_anomaly_enabled(), where.is_anomaly_check_nan_enabled()


def run_recording(program: Any, fw: Any, dev: str) -> tuple[Any, str | None, list[tuple[str, str]]]:
    """program(fw, dev) with warnings recorded: (its result, or None; the error's type and text, or None; the
    warnings as (category, text)), anomaly mode restored afterwards."""
    before = anomaly_modes(fw)
    result = error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = program(fw, dev)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}".replace("torch.", "minigrad.")
    fw.autograd.set_detect_anomaly(*before)
    texts = [(w.category.__name__, _TRIGGERED.sub("", str(w.message)).replace("torch.", "minigrad."))
             for w in caught]
    return result, error, texts


def same_run(program: Any, device: str) -> tuple[Any, Any]:
    """Run ``program`` on both (from one line: the same stack) and compare errors and warnings; returns the results."""
    ours, theirs = (run_recording(program, fw, dev) for fw, dev in ((minigrad, "cpu"), (torch, device)))
    assert ours[1] == theirs[1], "error"
    assert ours[2] == theirs[2], "warnings"
    return ours[0], theirs[0]


def test_modes_and_the_entering_warning() -> None:
    """detect_anomaly() warns when made and turns the mode on inside; set_detect_anomaly works as a call and as a
    context manager; check_nan is kept; everything is restored on exit."""
    def run(fw: Any, dev: str) -> list[Any]:
        seen = [anomaly_modes(fw)]
        with fw.autograd.detect_anomaly():
            seen.append(anomaly_modes(fw))
        with fw.autograd.detect_anomaly(check_nan=False):
            seen.append(anomaly_modes(fw))
        seen.append(anomaly_modes(fw))
        fw.autograd.set_detect_anomaly(True, check_nan=False)
        seen.append(anomaly_modes(fw))
        with fw.autograd.set_detect_anomaly(False):
            seen.append(anomaly_modes(fw))
        seen.append(anomaly_modes(fw))
        fw.autograd.set_detect_anomaly(False)
        seen.append(anomaly_modes(fw))
        return seen

    ours, theirs = same_run(run, "cpu")
    assert ours == theirs


def _sqrt_of_negative(fw: Any, dev: str) -> Any:
    x = fw.tensor([-1.0, 4.0], requires_grad=True, device=dev)
    with fw.autograd.detect_anomaly():
        y = x.sqrt()
        y.sum().backward()
    return x.grad


def _zero_over_zero(fw: Any, dev: str) -> Any:
    fw.autograd.set_detect_anomaly(True)
    x = fw.tensor([0.0, 1.0], requires_grad=True, device=dev)
    w = fw.tensor([2.0, 3.0], requires_grad=True, device=dev)
    y = (x * w) / x  # inf for x's gradient, NaN for (x * w)'s: the error names the 1th output
    y.sum().backward()
    return x.grad


def _without_nan_check(fw: Any, dev: str) -> Any:
    x = fw.tensor([-1.0, 4.0], requires_grad=True, device=dev)
    with fw.autograd.detect_anomaly(check_nan=False):
        x.sqrt().sum().backward()
    return x.grad


def _made_before_anomaly_mode(fw: Any, dev: str) -> Any:
    x = fw.tensor([-1.0, 4.0], requires_grad=True, device=dev)
    y = x.sqrt()
    fw.autograd.set_detect_anomaly(True)
    y.sum().backward()


def _saved_tensor_changed(fw: Any, dev: str) -> Any:
    fw.autograd.set_detect_anomaly(True, check_nan=False)
    x = fw.tensor([1.0, 2.0], requires_grad=True, device=dev)
    y = x.exp()
    y.add_(1)
    (y * 2).sum().backward()


def _hook_fails(fw: Any, dev: str) -> Any:
    fw.autograd.set_detect_anomaly(True)
    x = fw.tensor([1.0, 2.0], requires_grad=True, device=dev)
    y = x * 3
    y.register_hook(lambda g: g[:1])
    y.sum().backward()


def _deeper_stack(fw: Any, dev: str) -> Any:
    def layer(t: Any) -> Any:
        return (t * 0).log()

    with fw.autograd.detect_anomaly():
        x = fw.tensor([1.0, 2.0], requires_grad=True, device=dev)
        y = layer(x) * x
        y.sum().backward()


def _no_anomaly_no_trace(fw: Any, dev: str) -> Any:
    x = fw.tensor([1.0, 2.0], requires_grad=True, device=dev)
    y = x.sqrt()
    with fw.autograd.detect_anomaly():
        z = y.exp()
    return sorted(y.grad_fn.metadata), sorted(z.grad_fn.metadata), type(z.grad_fn.metadata["traceback_"]).__name__


@pytest.mark.parametrize("program", [
    _sqrt_of_negative, _zero_over_zero, _without_nan_check, _made_before_anomaly_mode, _saved_tensor_changed,
    _hook_fails, _deeper_stack,
], ids=lambda f: f.__name__.strip("_"))
def test_failing_backward_in_anomaly_mode(program: Any, device: str) -> None:
    """The error (PyTorch's text), the warnings (the entering one; "Error detected in <node>" with the forward stack
    that made it, or that there is none), and the gradients, which a failed backward leaves untouched."""
    ours, theirs = same_run(program, device)
    if theirs is None:
        assert ours is None
    else:
        assert_close(ours, theirs, "x.grad")


def test_nodes_store_their_forward_stack_only_in_anomaly_mode() -> None:
    ours, theirs = same_run(_no_anomaly_no_trace, "cpu")
    assert ours == theirs == ([], ["traceback_"], "list")


def test_default_backward_stores_and_checks_nothing() -> None:
    """Off, a NaN gradient is no error and nodes keep no metadata (the default path does no anomaly work)."""
    assert not minigrad.autograd.anomaly.enabled
    x = minigrad.tensor([-1.0, 4.0], requires_grad=True)
    y = x.sqrt()
    y.sum().backward()
    assert y.grad_fn._metadata is None
    np.testing.assert_equal(x.grad.numpy(), [np.nan, 0.25])
