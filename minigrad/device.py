"""Devices: minigrad computes on the CPU only, but device-agnostic PyTorch programs still run.

``minigrad.device("cpu")`` and the string ``"cpu"`` are accepted wherever PyTorch takes a device;
anything else is an error that says so. ``minigrad.cuda.is_available()`` is False.
"""

from __future__ import annotations

from typing import Any

from . import errors

# The device types PyTorch knows, in the order its error lists them
TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia", "xla", "lazy",
         "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")


class device:
    """A device name, as ``torch.device``: ``device("cpu")``, ``device("cuda", 0)``; PyTorch's errors for a type it
    does not know ("gpu") or an index that is no number."""

    def __init__(self, type: str, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index  # noqa: A001
        name, colon, number = str(type).partition(":")
        if name not in TYPES:
            raise errors.unknown_device_type(TYPES, type)
        if colon and not number.isdigit():
            raise errors.invalid_device_string(type)
        self.type = name
        self.index = int(number) if number else index

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (device, str)) and str(self) == str(device(other))

    def __hash__(self) -> int:
        return hash(str(self))


def set_default_device(where: Any) -> None:
    """``torch.set_default_device``: the device tensors are made on when a call names none. minigrad has only the
    CPU, so "cpu" (or None, PyTorch's reset) is accepted and changes nothing; any other device is refused at once
    (a CPU-only PyTorch accepts "cuda" here and refuses it at the next tensor, with the same error)."""
    check_device(where)


def get_default_device() -> device:
    """``torch.get_default_device``: always ``device(type='cpu')``."""
    return device("cpu")


def check_device(where: Any) -> None:
    """Accept None, "cpu" or ``device("cpu")``; refuse CUDA as a PyTorch built without it does, and any other
    device with a clear error."""
    if where is None:
        return
    kind = device(where).type
    if kind == "cuda":
        raise errors.no_cuda()
    if kind == "xpu":
        raise errors.no_xpu()
    if kind != "cpu":  # (PyTorch's words for the other backends it was built without)
        raise errors.backend_not_linked(kind)
