"""``minigrad.accelerator``: PyTorch's device-agnostic accelerator queries, answered for a CPU-only engine."""

from __future__ import annotations

from .device import device


def is_available() -> bool:
    """False: minigrad has no accelerator (no CUDA, MPS or XPU)."""
    return False


def current_accelerator(check_available: bool = False) -> device | None:
    """None: there is no accelerator to use."""
    return None


def device_count() -> int:
    """0: no accelerator devices."""
    return 0
