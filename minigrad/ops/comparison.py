"""Comparisons: elementwise ==, !=, <, <=, >, >= giving bool tensors. Not differentiable."""

import numpy as np

from .. import kernels as K
from ..autograd.engine import Context
from .registry import Op, register


class _Compare(Op):
    """a <op> b elementwise, after promoting both to a common dtype."""

    code: int
    differentiable = False
    formulas = ("not differentiable (a bool result)",)

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return K.compare(cls.code, a, b)


@register
class Eq(_Compare):
    """a == b."""

    torch = "torch.eq"
    code = K.EQ


@register
class Ne(_Compare):
    """a != b."""

    torch = "torch.ne"
    code = K.NE


@register
class Lt(_Compare):
    """a < b."""

    torch = "torch.lt"
    code = K.LT


@register
class Le(_Compare):
    """a <= b."""

    torch = "torch.le"
    code = K.LE


@register
class Gt(_Compare):
    """a > b."""

    torch = "torch.gt"
    code = K.GT


@register
class Ge(_Compare):
    """a >= b."""

    torch = "torch.ge"
    code = K.GE
