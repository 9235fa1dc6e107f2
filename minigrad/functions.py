"""Tensor functions: those taking several tensors at once (``minigrad.cat``, ``stack``, ``where``), and the
module-level forms of Tensor's methods (``minigrad.exp(x)`` is ``x.exp()``)."""

import functools
from collections.abc import Callable, Sequence
from typing import Any

from . import errors
from .ops import join, pointwise
from .tensor import Number, Tensor, apply, expect_tensor, is_number


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors joined along ``dim`` (every other dim must match): ``cat([a, b])``."""
    _check_sequence("cat", tensors)
    if not tensors:
        raise errors.cat_empty()
    return apply(join.Cat, *tensors, dim=dim)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """The tensors (all of one shape) stacked along a new dim ``dim``."""
    _check_sequence("stack", tensors)
    if not tensors:
        raise errors.stack_empty()
    return apply(join.Stack, *tensors, dim=dim)


def _check_sequence(name: str, tensors: Sequence[Tensor]) -> None:
    if isinstance(tensors, Tensor):
        raise errors.tensors_not_a_sequence(name)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise errors.not_a_tensor_element(i, t)


def where(condition: Tensor, input: Tensor | Number, other: Tensor | Number) -> Tensor:  # noqa: A002
    """input where the bool ``condition`` holds, else other (all three broadcast together)."""
    return apply(pointwise.Where, input, other, condition=condition)


def module_form(method: Callable[..., Any], number_input: bool = False) -> Callable[..., Any]:
    """``minigrad.<name>(input, ...)``: ``input.<name>(...)`` for a tensor ``input``, PyTorch's TypeError for
    anything else (a method called on the class would take a number as ``self`` and make it a tensor). With
    ``number_input``, a number ``input`` is taken when the second argument is a tensor: ``pow(2, x)``."""
    name = method.__name__

    @functools.wraps(method)
    def function(input: Tensor, *args: Any, **kwargs: Any) -> Any:  # noqa: A002  (PyTorch's name)
        second = args[0] if args else next(iter(kwargs.values()), None)
        if not (number_input and is_number(input) and isinstance(second, Tensor)):
            expect_tensor(input, name)
        return method(input, *args, **kwargs)

    return function
