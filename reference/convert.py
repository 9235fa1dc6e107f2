"""State dicts between minigrad and PyTorch, value for value: train in one, continue or deploy in the other.

    import minigrad.nn as nn, torch
    from reference.convert import to_torch_state_dict, from_torch_state_dict
    model = nn.Linear(3, 1)                                                    # ... trained in minigrad
    model_t = torch.nn.Linear(3, 1)
    model_t.load_state_dict(to_torch_state_dict(model.state_dict()))           # and back:
    model.load_state_dict(from_torch_state_dict(model_t.state_dict()))

Each tensor is copied into the other framework with the same dtype (float32, float64, float16, int64, int32, int16,
int8, uint8 or bool; any other torch dtype is a ``TypeError``), the same shape and the same values, bit for bit, in C
order; the keys keep their order. The copies are detached: ``requires_grad`` is not carried over. Values that are not
tensors pass through unchanged, and dicts, lists and tuples are converted item by item, so an optimizer's
``state_dict()`` converts too (``torch.optim.Adam.load_state_dict`` accepts minigrad's, and the reverse).

``save_for_torch``/``load_from_torch`` go through a file in ``torch.save``'s format, read back with
``torch.load(..., weights_only=True)``. For minigrad's own files, which cannot run code on load, use
``minigrad.serialization.save``/``load``.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import torch

import minigrad

_DTYPE_NAMES = ("float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")
_TO_TORCH = {getattr(minigrad, name): getattr(torch, name) for name in _DTYPE_NAMES}
_FROM_TORCH = {getattr(torch, name): getattr(minigrad, name) for name in _DTYPE_NAMES}


def to_torch(obj: Any) -> Any:
    """``obj`` with every minigrad tensor replaced by a torch tensor of the same dtype, shape and values."""
    if isinstance(obj, minigrad.Tensor):
        return torch.from_numpy(np.array(obj.detach().numpy(), order="C"))
    return _map(obj, to_torch)


def from_torch(obj: Any) -> Any:
    """``obj`` with every torch tensor replaced by a minigrad tensor of the same dtype, shape and values."""
    if isinstance(obj, torch.Tensor):
        if obj.dtype not in _FROM_TORCH:
            raise TypeError(f"minigrad has no dtype for {obj.dtype}; it has {', '.join(_DTYPE_NAMES)}")
        return minigrad.from_numpy(np.array(obj.detach().cpu().numpy(), order="C"))
    return _map(obj, from_torch)


def _map(obj: Any, convert: Callable[[Any], Any]) -> Any:
    """A container's items converted by ``convert``, in order: an OrderedDict stays one, other mappings become
    dicts, lists lists and tuples tuples. Anything else is returned unchanged."""
    if isinstance(obj, Mapping):
        return (OrderedDict if isinstance(obj, OrderedDict) else dict)((k, convert(v)) for k, v in obj.items())
    if isinstance(obj, list):
        return [convert(item) for item in obj]
    if isinstance(obj, tuple):
        return tuple(convert(item) for item in obj)
    return obj


def to_torch_state_dict(minigrad_state: Mapping[str, Any]) -> OrderedDict[str, Any]:
    """A minigrad ``state_dict()`` as torch tensors, in the same order: ready for ``torch_module.load_state_dict``."""
    return OrderedDict((key, to_torch(value)) for key, value in minigrad_state.items())


def from_torch_state_dict(torch_state: Mapping[str, Any]) -> OrderedDict[str, Any]:
    """A torch ``state_dict()`` as minigrad tensors, in the same order: ready for ``module.load_state_dict``."""
    return OrderedDict((key, from_torch(value)) for key, value in torch_state.items())


def save_for_torch(state: Mapping[str, Any], path: str | os.PathLike) -> None:
    """Write a minigrad state dict where ``torch.load(path, weights_only=True)`` reads it as torch tensors."""
    torch.save(to_torch_state_dict(state), path)


def load_from_torch(path: str | os.PathLike) -> OrderedDict[str, Any]:
    """Read a state dict written by ``torch.save`` (with ``weights_only=True``: no code runs) as minigrad tensors."""
    return from_torch_state_dict(torch.load(path, map_location="cpu", weights_only=True))
