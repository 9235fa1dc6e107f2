"""Reverse-mode automatic differentiation: the graph engine, grad mode and the gradient checker."""

from . import forward_ad, function, graph
from .anomaly import detect_anomaly, set_detect_anomaly
from .api import backward, grad
from .engine import AccumulateGrad, Context, Node
from .function import Function
from .grad_mode import enable_grad, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = [
    "AccumulateGrad", "Context", "Function", "GradcheckError", "Node", "Variable", "backward", "detect_anomaly",
    "enable_grad",
    "forward_ad", "function", "functional", "grad", "gradcheck", "gradgradcheck",
    "graph", "no_grad", "set_detect_anomaly", "set_grad_enabled",
]


def __dir__() -> list[str]:
    return __all__
