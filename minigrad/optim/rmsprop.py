"""RMSprop: gradients divided by a running root mean square of their recent values."""

from typing import Any

from .. import errors
from .. import kernels as K
from ..factories import tensor, zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, count_step, count_writes


class RMSprop(Optimizer):
    """With g the gradient (negated with ``maximize``) plus ``weight_decay`` * p:

    v <- alpha * v + (1 - alpha) * g²;  a = √v + eps, or with ``centered`` a = √(v - ḡ²) + eps where
    ḡ <- alpha * ḡ + (1 - alpha) * g;  p <- p - lr * b with b <- momentum * b + g / a if momentum > 0,
    else p <- p - lr * g / a.

    ``foreach``, ``capturable`` and ``differentiable`` are kept for PyTorch's API; the update is always its
    single-tensor one.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        errors.check_nonnegative(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        if not state:
            state["step"] = tensor(0.0)
            state["square_avg"] = zeros_like(param)
            if group["momentum"] > 0:
                state["momentum_buffer"] = zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = zeros_like(param)
        count_step(state)
        # A buffer the options leave out is never touched by the kernel: the parameter stands in for it.
        K.rmsprop(param._data, param.grad._data, state["square_avg"]._data, state.get("grad_avg", param)._data,
                  state.get("momentum_buffer", param)._data, group["lr"], group["alpha"], group["eps"],
                  group["weight_decay"], group["momentum"], group["centered"], group["maximize"])
        count_writes(param, 1)
