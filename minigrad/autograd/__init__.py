"""Reverse-mode automatic differentiation: the graph engine, grad mode and the gradient checker."""

from .engine import AccumulateGrad, Context, Node, backward
from .grad_mode import enable_grad, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck

__all__ = [
    "AccumulateGrad", "Context", "GradcheckError", "Node", "backward", "enable_grad", "gradcheck", "no_grad",
    "set_grad_enabled",
]


def __dir__() -> list[str]:
    return __all__
