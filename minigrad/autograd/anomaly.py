"""Anomaly detection (PyTorch's ``detect_anomaly``): find the forward line behind a failing backward.

While it is on, every graph node remembers the stack of the forward call that made it (``Node.metadata``'s
``"traceback_"``), and backward checks each node's gradients for NaN (unless ``check_nan=False``). When a node fails,
a warning shows where it was made, then the error propagates. Off (the default), nodes store nothing and backward
checks nothing: the engine's one test per node is ``anomaly.enabled``.
"""

from __future__ import annotations

import os
import traceback
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K

enabled = False  # read by the engine: whether nodes store their forward stack and backward checks them
check_nan = True  # while enabled: whether a NaN in a gradient is an error

_PACKAGE = str(Path(__file__).resolve().parent.parent) + os.sep  # minigrad's own frames are left out of the stacks


def is_anomaly_enabled() -> bool:
    """Whether anomaly detection is on."""
    return enabled


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly detection, when on, treats a NaN gradient as an error."""
    return check_nan


def set_anomaly_enabled(mode: bool, nan: bool = True) -> None:
    """Turn anomaly detection on or off (``nan``: whether it checks for NaN)."""
    global enabled, check_nan
    enabled, check_nan = bool(mode), bool(nan)


class detect_anomaly:  # (PyTorch's name)
    """Context manager that turns anomaly detection on (and warns that it slows everything down)."""

    def __init__(self, check_nan: bool = True) -> None:
        self.prev, self.prev_check_nan = enabled, is_anomaly_check_nan_enabled()
        self.check_nan = check_nan
        warnings.warn(errors.anomaly_enabled_warning(), UserWarning, stacklevel=2)

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


class set_detect_anomaly:  # (PyTorch's name)
    """Turn anomaly detection on or off: as a call, or as a context manager that restores the mode on exit."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev, self.prev_check_nan = enabled, is_anomaly_check_nan_enabled()
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


def forward_stack() -> list[str]:
    """The user's stack here, as ``traceback.format_list`` lines, outermost first, without minigrad's own frames."""
    return traceback.format_list([frame for frame in traceback.extract_stack()
                                  if not frame.filename.startswith(_PACKAGE)])


def check(name: str, grads_in: tuple[np.ndarray | None, ...]) -> None:
    """PyTorch's error if a gradient a node named ``name`` sends on holds NaN (anomaly mode with ``check_nan``)."""
    if not check_nan:
        return
    for i, g in enumerate(grads_in):
        if g is not None and g.dtype.kind == "f" and K.sum(K.ne(g, g), tuple(range(g.ndim))) > 0:  # NaN != NaN
            raise errors.anomaly_nan(name, i)


def warn_failed(name: str, metadata: dict[str, Any]) -> None:
    """The warning of a node named ``name`` whose backward failed: where its forward call was (from its metadata)."""
    stack = metadata.get("traceback_")
    text = (errors.anomaly_no_trace_warning(name) if stack is None else
            errors.anomaly_trace_warning(name, "".join(stack)))
    warnings.warn(text, UserWarning, stacklevel=2)
