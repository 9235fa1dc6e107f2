"""``autocast`` and ``GradScaler`` (``torch.amp``) as a CPU-only engine honours them: mixed precision off.

Training loops written for a GPU compute their forward under ``autocast(device_type="cuda", ...)`` and scale the loss
with a ``GradScaler``; without CUDA, PyTorch turns both off with a warning, and so does minigrad: the loop then runs
in float32, as PyTorch's does there. Mixed precision on the CPU (bfloat16 products) is refused: minigrad has no
bfloat16 or float16.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

_CPU_REFUSED = ("{what} on the CPU computes in bfloat16 or float16, which minigrad does not have: pass "
                "enabled=False (minigrad computes in float32)")


class autocast:
    """``with autocast(device_type, dtype=None, enabled=True):`` its block as it is (see the module's docstring)."""

    def __init__(self, device_type: str, dtype: Any = None, enabled: bool = True, cache_enabled: bool | None = None):
        if device_type not in ("cpu", "cuda"):
            raise RuntimeError(f"Expected one of cpu, cuda device type at start of device string: {device_type}")
        if enabled and device_type == "cuda":
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.", UserWarning,
                          stacklevel=2)
        elif enabled:
            raise NotImplementedError(_CPU_REFUSED.format(what="autocast"))
        self.device_type, self.fast_dtype, self._enabled = device_type, dtype, False

    def __enter__(self) -> autocast:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """As a decorator: ``function`` run under this autocast."""
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return function(*args, **kwargs)

        return run


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """False: autocast never turns on here."""
    return False


class GradScaler:
    """Loss scaling for float16 gradients: off here (the gradients are float32), so ``scale`` returns the loss as it
    is, ``step`` steps the optimizer, ``unscale_`` and ``update`` do nothing and the scale reads 1.0."""

    def __init__(self, device: str = "cuda", init_scale: float = 2.0**16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True) -> None:
        if enabled and device == "cuda":
            warnings.warn("minigrad.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.",
                          UserWarning, stacklevel=2)
        elif enabled:
            raise NotImplementedError(_CPU_REFUSED.format(what="GradScaler"))

    def is_enabled(self) -> bool:
        return False

    def scale(self, outputs: Any) -> Any:
        return outputs

    def unscale_(self, optimizer: Any) -> None:
        return None

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale: float | None = None) -> None:
        return None

    def get_scale(self) -> float:
        return 1.0

    def state_dict(self) -> dict[str, Any]:
        return {}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        return None
