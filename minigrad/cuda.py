"""``minigrad.cuda``: there is no GPU in minigrad; these let device-agnostic programs run on the CPU."""

from types import SimpleNamespace

from . import amp as _amp

amp = SimpleNamespace(autocast=_amp.autocast, GradScaler=_amp.GradScaler)  # the older spelling: torch.cuda.amp


def is_available() -> bool:
    """False: minigrad computes on the CPU only."""
    return False


def device_count() -> int:
    return 0


def manual_seed(seed: int) -> None:
    """No GPU generator to seed (a no-op, as in PyTorch without a GPU)."""


def manual_seed_all(seed: int) -> None:
    """No GPU generators to seed (a no-op, as in PyTorch without a GPU)."""
