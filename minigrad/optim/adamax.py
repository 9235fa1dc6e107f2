"""Adamax: Adam with the infinity norm of past gradients in place of their root mean square."""

from typing import Any

from .. import errors
from .. import kernels as K
from ..factories import tensor, zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, count_step, count_writes


class Adamax(Optimizer):
    """At step t, with g the gradient (negated with ``maximize``) plus ``weight_decay`` * p:

    m <- beta1 * m + (1 - beta1) * g;  u <- max(beta2 * u, |g| + eps);  p <- p - lr / (1 - beta1^t) * m / u.

    ``foreach``, ``differentiable`` and ``capturable`` are kept for PyTorch's API; the update is always its
    single-tensor one.
    """

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        errors.check_nonnegative(lr=lr, eps=eps)
        errors.check_betas(betas)
        errors.check_nonnegative(weight_decay=weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        if not state:
            state["step"] = tensor(0.0)
            state["exp_avg"] = zeros_like(param)
            state["exp_inf"] = zeros_like(param)
        step = count_step(state)
        lr, (beta1, beta2) = group["lr"], group["betas"]
        K.adamax(param._data, param.grad._data, state["exp_avg"]._data, state["exp_inf"]._data, lr, beta1, beta2,
                 group["eps"], group["weight_decay"], group["maximize"], step_size=lr / (1 - beta1**step))
        count_writes(param, 1)
