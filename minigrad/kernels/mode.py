"""Which kernels run: PyTorch-exact ones (the default) or plain ones.

Exact kernels compute what PyTorch's CPU kernels compute, bit for bit: SLEEF's exp and log, the cascade sum in
TensorIterator's order, MKL's order for small products, plus the speed that costs nothing in exactness (vectorized
loops, threads, a block cache). Plain kernels are the textbook loops: each op's math, applied element by element
in the obvious order; their results agree with PyTorch's to rounding, not always to the bit.
``MINIGRAD_EXACT_KERNELS=0`` in the environment starts a run in plain mode.
"""

import os


def _from_environment() -> bool:
    value = os.environ.get("MINIGRAD_EXACT_KERNELS", "1").strip().lower()
    if value not in ("0", "1", "true", "false", "on", "off", ""):
        raise ValueError(f"MINIGRAD_EXACT_KERNELS must be 0 or 1, not {value!r}")
    return value not in ("0", "false", "off")


exact = _from_environment()  # read by every public kernel that has an exact variant


def use_exact_kernels(mode: bool) -> None:
    """Run PyTorch-exact kernels (True, the default) or the plain ones (False) from now on."""
    global exact
    if not isinstance(mode, bool):
        raise TypeError(f"use_exact_kernels expects a bool, but got {type(mode).__name__}")
    exact = mode


def are_exact_kernels_enabled() -> bool:
    """Whether the PyTorch-exact kernels run (see ``use_exact_kernels``)."""
    return exact
