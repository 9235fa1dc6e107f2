"""Tensor functions: those taking several tensors at once (``minigrad.cat``, ``stack``, ``where``), and the
module-level forms of Tensor's methods (``minigrad.exp(x)`` is ``x.exp()``)."""

import functools
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from . import errors
from . import kernels as K
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


def _check_list(name: str, tensors: Sequence[Tensor]) -> None:
    """A non-empty sequence of tensors, as the joining functions take."""
    _check_sequence(name, tensors)
    if not tensors:
        raise errors.empty_tensor_list(name)


def atleast_1d(*tensors: Tensor | Sequence[Tensor]) -> Tensor | tuple[Tensor, ...]:
    """Each tensor with at least 1 dim (a 0-d tensor becomes shape (1,))."""
    return _atleast(tensors, lambda t: t.reshape(1) if t.dim() == 0 else t)


def atleast_2d(*tensors: Tensor | Sequence[Tensor]) -> Tensor | tuple[Tensor, ...]:
    """Each tensor with at least 2 dims: shape (n,) becomes (1, n)."""
    return _atleast(tensors, lambda t: atleast_1d(t).unsqueeze(0) if t.dim() < 2 else t)


def atleast_3d(*tensors: Tensor | Sequence[Tensor]) -> Tensor | tuple[Tensor, ...]:
    """Each tensor with at least 3 dims: (n,) becomes (1, n, 1) and (m, n) becomes (m, n, 1)."""
    return _atleast(tensors, lambda t: atleast_2d(t).unsqueeze(-1) if t.dim() < 3 else t)


def _atleast(tensors: tuple[Any, ...], grow: Callable[[Tensor], Tensor]) -> Tensor | tuple[Tensor, ...]:
    """One tensor for one tensor given, a tuple for several (or for one sequence)."""
    if len(tensors) == 1 and isinstance(tensors[0], Tensor):
        return grow(tensors[0])
    many = tensors[0] if len(tensors) == 1 else tensors
    return tuple(grow(t) for t in many)


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """The tensors joined along dim 1 (dim 0 for 1-D ones), after ``atleast_1d``."""
    _check_list("hstack", tensors)
    pieces = atleast_1d(tensors)
    return cat(pieces, 0 if pieces[0].dim() == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """The tensors joined along dim 0, after ``atleast_2d``: rows stacked."""
    _check_list("vstack", tensors)
    return cat(atleast_2d(tensors), 0)


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """The tensors joined along dim 2, after ``atleast_3d``: depth-wise."""
    _check_list("dstack", tensors)
    return cat(atleast_3d(tensors), 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """The tensors side by side as columns: 0-d and 1-D ones become (n, 1) columns, then ``hstack``."""
    _check_list("column_stack", tensors)
    return hstack([t.reshape(t.numel(), 1) if t.dim() <= 1 else t for t in tensors])


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The tensors expanded to their common broadcast shape (views)."""
    shape: tuple[int, ...] = ()
    for t in tensors:
        shape = K.broadcast_shapes(shape, tuple(t.shape))
    return tuple(t.expand(*shape) for t in tensors)


def meshgrid(*tensors: Tensor | Sequence[Tensor], indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids of 0-d or 1-D tensors (views): out[k][i0, i1, ...] = tensors[k][i_k] with ``indexing="ij"``
    (the default, with PyTorch's warning when not given); ``"xy"`` swaps the first two dims of every grid."""
    many = list(tensors[0]) if len(tensors) == 1 and not isinstance(tensors[0], Tensor) else list(tensors)
    _check_list("meshgrid", many)
    if indexing is None:
        warnings.warn(errors.meshgrid_indexing_warning(), UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("xy", "ij"):
        raise errors.meshgrid_indexing(indexing)
    for t in many:
        if t.dim() > 1:
            raise errors.meshgrid_dims(t.dim())
    order = list(range(len(many)))
    if indexing == "xy" and len(many) >= 2:
        order[0], order[1] = 1, 0
    shape = [many[k].numel() for k in order]
    grids = []
    for k, t in enumerate(many):
        sizes = [1] * len(many)
        sizes[order.index(k)] = -1
        grids.append(t.reshape(*sizes).expand(*shape))
    return tuple(grids)
