"""``minigrad.cuda``: there is no GPU in minigrad; these let device-agnostic programs run on the CPU."""

from . import amp  # noqa: F401  (the older spelling: torch.cuda.amp.GradScaler, torch.cuda.amp.autocast)


def is_available() -> bool:
    """False: minigrad computes on the CPU only."""
    return False


def device_count() -> int:
    return 0


def manual_seed(seed: int) -> None:
    """No GPU generator to seed (a no-op, as in PyTorch without a GPU)."""


def manual_seed_all(seed: int) -> None:
    """No GPU generators to seed (a no-op, as in PyTorch without a GPU)."""
