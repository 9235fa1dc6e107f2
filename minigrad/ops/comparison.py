"""Comparisons: elementwise ==, !=, <, <=, >, >= giving bool tensors (not differentiable), and their in-place forms
(``eq_``: the 0/1 result in the first tensor's dtype, a node whose gradients are zeros, as PyTorch records)."""

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import kernels as K
from ..autograd.engine import Context
from .registry import Op, register


class _Compare(Op):
    """a <op> b elementwise, after promoting both to a common dtype."""

    kernel: Callable[[np.ndarray, np.ndarray], np.ndarray]  # K.eq, K.lt, ...
    differentiable = False
    formulas = ("not differentiable (a bool result)",)

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return cls.kernel(a, b)


@register
class Eq(_Compare):
    """a == b."""

    torch = "torch.eq"
    kernel = staticmethod(K.eq)


@register
class Ne(_Compare):
    """a != b."""

    torch = "torch.ne"
    kernel = staticmethod(K.ne)


@register
class Lt(_Compare):
    """a < b."""

    torch = "torch.lt"
    kernel = staticmethod(K.lt)


@register
class Le(_Compare):
    """a <= b."""

    torch = "torch.le"
    kernel = staticmethod(K.le)


@register
class Gt(_Compare):
    """a > b."""

    torch = "torch.gt"
    kernel = staticmethod(K.gt)


@register
class Ge(_Compare):
    """a >= b."""

    torch = "torch.ge"
    kernel = staticmethod(K.ge)


class _CompareInPlace(Op):
    """a <op> b written into a as 0 or 1 (``a.eq_(b)``): a step function of both, so both gradients are zeros.
    PyTorch names the node ``EqBackward0`` when b is a number, ``EqBackward1`` when it is a tensor."""

    kernel: Callable[[np.ndarray, np.ndarray], np.ndarray]
    formulas = ("d(a <op> b)/da = 0", "d(a <op> b)/db = 0")

    @classmethod
    def grad_fn_name(cls, ctx: Context, a: np.ndarray, b: np.ndarray, dtype: np.dtype, number: bool) -> str:
        return f"{cls.__name__.removesuffix('InPlace')}Backward{0 if number else 1}"

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray, b: np.ndarray, dtype: np.dtype, number: bool) -> np.ndarray:
        return K.cast(cls.kernel(a, b), dtype)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[Any, Any]:
        zeros = K.expand(K.scalar(0, grad.dtype), grad.shape)
        return zeros, zeros


@register
class EqInPlace(_CompareInPlace):
    """a == b, as 0 or 1 in a's dtype (``a.eq_(b)``)."""

    torch = "torch.Tensor.eq_"
    kernel = staticmethod(K.eq)


@register
class NeInPlace(_CompareInPlace):
    """a != b, as 0 or 1 in a's dtype (``a.ne_(b)``)."""

    torch = "torch.Tensor.ne_"
    kernel = staticmethod(K.ne)


@register
class LtInPlace(_CompareInPlace):
    """a < b, as 0 or 1 in a's dtype (``a.lt_(b)``)."""

    torch = "torch.Tensor.lt_"
    kernel = staticmethod(K.lt)


@register
class LeInPlace(_CompareInPlace):
    """a <= b, as 0 or 1 in a's dtype (``a.le_(b)``)."""

    torch = "torch.Tensor.le_"
    kernel = staticmethod(K.le)


@register
class GtInPlace(_CompareInPlace):
    """a > b, as 0 or 1 in a's dtype (``a.gt_(b)``)."""

    torch = "torch.Tensor.gt_"
    kernel = staticmethod(K.gt)


@register
class GeInPlace(_CompareInPlace):
    """a >= b, as 0 or 1 in a's dtype (``a.ge_(b)``)."""

    torch = "torch.Tensor.ge_"
    kernel = staticmethod(K.ge)
