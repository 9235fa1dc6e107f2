"""``Variable``: the wrapper PyTorch 0.3 put around tensors, a name PyTorch keeps (and older lecture notebooks use):
``Variable(t, requires_grad=True)`` is a new leaf sharing t's data that requires grad; every tensor is a Variable."""

from __future__ import annotations

from typing import Any

from .tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(data, requires_grad=False)``: ``data.detach()``, requiring grad if asked (``volatile`` is ignored,
    as PyTorch ignores it now)."""

    def __new__(cls, data: Tensor, requires_grad: bool = False, volatile: bool = False) -> Tensor:  # type: ignore[misc]
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        return data.detach().requires_grad_(requires_grad)
