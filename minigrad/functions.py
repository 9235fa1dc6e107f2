"""Tensor functions that take several tensors at once: ``minigrad.cat``, ``minigrad.stack``."""

from collections.abc import Sequence

from .ops import join
from .tensor import Tensor, apply


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors joined along ``dim`` (every other dim must match): ``cat([a, b])``."""
    _check_sequence("cat", tensors)
    if not tensors:
        raise ValueError("minigrad.cat(): expected a non-empty list of Tensors")
    return apply(join.Cat, *tensors, dim=dim)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors (all of one shape) stacked along a new dim ``dim``."""
    _check_sequence("stack", tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    return apply(join.Stack, *tensors, dim=dim)


def _check_sequence(name: str, tensors: Sequence[Tensor]) -> None:
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
