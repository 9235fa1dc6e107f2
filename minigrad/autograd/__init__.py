"""Reverse-mode automatic differentiation: the graph engine, grad mode and the gradient checker."""

from .engine import AccumulateGrad, Context, Node, backward
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck

__all__ = [
    "AccumulateGrad", "Context", "GradcheckError", "Node", "backward", "enable_grad", "gradcheck",
    "is_grad_enabled", "no_grad", "set_grad_enabled",
]
