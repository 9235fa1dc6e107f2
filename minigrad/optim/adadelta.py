"""Adadelta: steps scaled by the ratio of running RMS of past updates to that of the gradients."""

from typing import Any

from .. import errors
from .. import kernels as K
from ..factories import tensor, zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, count_step, count_writes


class Adadelta(Optimizer):
    """With g the gradient (negated with ``maximize``) plus ``weight_decay`` * p:

    v <- rho * v + (1 - rho) * g²;  d = √(u + eps) / √(v + eps) * g;  u <- rho * u + (1 - rho) * d²;
    p <- p - lr * d.

    ``foreach``, ``capturable`` and ``differentiable`` are kept for PyTorch's API; the update is always its
    single-tensor one.
    """

    def __init__(self, params: ParamsT, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        errors.check_nonnegative(lr=lr)
        if not 0.0 <= rho <= 1.0:
            raise errors.invalid_rho(rho)
        errors.check_nonnegative(eps=eps, weight_decay=weight_decay)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        if not state:
            state["step"] = tensor(0.0)
            state["square_avg"] = zeros_like(param)
            state["acc_delta"] = zeros_like(param)
        count_step(state)
        K.adadelta(param._data, param.grad._data, state["square_avg"]._data, state["acc_delta"]._data, group["lr"],
                   group["rho"], group["eps"], group["weight_decay"], group["maximize"])
        count_writes(param, 1)
