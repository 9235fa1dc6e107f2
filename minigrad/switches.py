"""Global switches PyTorch programs set at the top, before any tensor: determinism and float32 matmul precision.

minigrad's kernels are deterministic and its float32 products are computed in float32 whatever they say; the
switches keep what was set, so that programs reading them back see it, and refuse what PyTorch refuses.
"""

from __future__ import annotations

import warnings

_deterministic = False
_warn_only = False
_matmul_precision = "highest"
_PRECISIONS = ("highest", "high", "medium")


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Ask for deterministic algorithms (minigrad's always are)."""
    global _deterministic, _warn_only
    if not isinstance(mode, bool):
        raise TypeError("_set_deterministic_algorithms(): argument 'mode' (position 1) must be bool, not "
                        f"{type(mode).__name__}")
    _deterministic, _warn_only = mode, warn_only


def are_deterministic_algorithms_enabled() -> bool:
    return _deterministic


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _warn_only


def set_float32_matmul_precision(precision: str) -> None:
    """PyTorch's permission to use TF32 or bfloat16 inside float32 products ("high", "medium"); minigrad's stay full
    float32, as "highest" asks. An unknown name warns and changes nothing, as in PyTorch."""
    global _matmul_precision
    if precision not in _PRECISIONS:
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.", UserWarning, stacklevel=2)
        return
    _matmul_precision = precision


def get_float32_matmul_precision() -> str:
    return _matmul_precision
