"""Comparisons: elementwise ==, !=, <, <=, >, >= giving bool tensors. Not differentiable."""

from collections.abc import Callable

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
