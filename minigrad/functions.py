"""Tensor functions that take several tensors at once: ``minigrad.cat``, ``minigrad.stack``, ``minigrad.where``."""

from collections.abc import Sequence

from .ops import join, pointwise
from .tensor import Number, Tensor, apply


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
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")


def where(condition: Tensor, input: Tensor | Number, other: Tensor | Number) -> Tensor:  # noqa: A002
    """input where the bool ``condition`` holds, else other (all three broadcast together)."""
    return apply(pointwise.Where, input, other, condition=condition)
