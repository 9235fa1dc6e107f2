"""Helpers of ``minigrad.distributions`` (PyTorch's ``torch.distributions.utils``): parameters broadcast to one
shape, probabilities <-> logits, and the cached property that holds whichever of the two was not given."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, Generic, TypeVar

from .. import factories, functions
from ..autograd.grad_mode import enable_grad
from ..dtypes import finfo, get_default_dtype
from ..nn import functional as F
from ..tensor import Tensor

__all__ = ["broadcast_all", "clamp_probs", "lazy_property", "logits_to_probs", "probs_to_logits"]

Number = int | float  # (bool is an int)


def broadcast_all(*values: Tensor | float) -> tuple[Tensor, ...]:
    """The values as tensors of one broadcast shape (views). A number becomes a tensor of the first tensor's dtype
    (the default dtype when all are numbers)."""
    if not all(isinstance(v, Tensor | Number) for v in values):
        raise ValueError("Input arguments must all be instances of Number, "
                         "minigrad.Tensor or objects implementing __torch_function__.")
    if not all(isinstance(v, Tensor) for v in values):
        options: dict[str, Any] = {"dtype": get_default_dtype()}
        for value in values:
            if isinstance(value, Tensor):
                options = {"dtype": value.dtype}
                break
        values = tuple(v if isinstance(v, Tensor) else factories.tensor(v, **options) for v in values)
    return functions.broadcast_tensors(*values)  # type: ignore[arg-type]


def _standard_normal(shape: tuple[int, ...], dtype: Any) -> Tensor:
    """z ~ N(0, 1) in ``shape``, drawn as PyTorch's ``_standard_normal`` draws it: ``empty(shape).normal_()``."""
    return factories.empty(shape, dtype=dtype).normal_()


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """Binary: p = sigmoid(logit). Otherwise p = softmax(logits) over the last dim."""
    if is_binary:
        return logits.sigmoid()
    return F.softmax(logits, dim=-1)


def clamp_probs(probs: Tensor) -> Tensor:
    """p clamped to [eps, 1 - eps], eps the dtype's machine epsilon (so that log p and log(1 - p) are finite)."""
    eps = finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """Binary: logit = log p - log(1 - p). Otherwise the log-probabilities log p. (p clamped first.)"""
    ps_clamped = clamp_probs(probs)
    if is_binary:
        return ps_clamped.log() - (-ps_clamped).log1p()
    return ps_clamped.log()


T = TypeVar("T")
R = TypeVar("R")


class lazy_property(Generic[T, R]):  # (PyTorch's name)
    """A property computed on first use (with grad enabled) and then stored on the instance: ``Bernoulli(probs=p)``
    computes ``logits`` only when asked, and keeps it."""

    def __init__(self, wrapped: Callable[[T], R]) -> None:
        self.wrapped = wrapped
        update_wrapper(self, wrapped)  # type: ignore[arg-type]

    def __get__(self, instance: T | None, obj_type: Any = None) -> Any:
        if instance is None:
            return self
        with enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value
