"""``minigrad.accelerator``: PyTorch's device-agnostic accelerator queries, answered for a CPU-only engine."""

from __future__ import annotations

from types import SimpleNamespace

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


def _absent() -> bool:
    """False: minigrad has no such backend."""
    return False


# ``minigrad.backends``: what device-choosing programs ask of PyTorch's backends (``torch.backends.mps.is_available()``
# before they settle on the CPU), answered for a CPU-only engine. cudnn's switches may be set; they change nothing.
backends = SimpleNamespace(
    mps=SimpleNamespace(is_available=_absent, is_built=_absent),
    cudnn=SimpleNamespace(is_available=_absent, enabled=True, deterministic=False, benchmark=False),
)
