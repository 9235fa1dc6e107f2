"""Stochastic gradient descent, with momentum, dampening, Nesterov momentum and weight decay."""

from typing import Any

from .. import errors
from .. import kernels as K
from ..factories import zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, count_writes


class SGD(Optimizer):
    """p <- p - lr * g, where g is the gradient plus ``weight_decay`` * p, smoothed by momentum when asked:

    buf <- momentum * buf + (1 - dampening) * g (buf = g at the first step);
    g <- g + momentum * buf (Nesterov) or buf.  With ``maximize``, g is the negated gradient.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        errors.check_nonnegative(lr=lr, momentum=momentum, weight_decay=weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise errors.nesterov_momentum()
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)

    def _keeps_state(self, group: dict[str, Any]) -> bool:
        return group["momentum"] != 0  # (the momentum buffer)

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        first_step = "momentum_buffer" not in state
        if group["momentum"] != 0 and first_step:
            state["momentum_buffer"] = zeros_like(param)
        # Without momentum there is no buffer; the kernel never touches the one it is given then.
        buf = state["momentum_buffer"] if group["momentum"] != 0 else param
        K.sgd(param._data, param.grad._data, buf._data, group["lr"], group["weight_decay"], group["momentum"],
              group["dampening"], group["nesterov"], group["maximize"], first_step)
        count_writes(param, 1)
