"""RAdam: Adam whose adaptive step is switched on, and rectified, once the variance estimate is reliable."""

from typing import Any

from .. import errors
from .. import kernels as K
from ..factories import tensor, zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, count_step, count_writes


class RAdam(Optimizer):
    """At step t, with g the gradient (negated with ``maximize``) plus ``weight_decay`` * p (or, with
    ``decoupled_weight_decay``, p scaled by 1 - lr * weight_decay):

    m <- beta1 * m + (1 - beta1) * g;  v <- beta2 * v + (1 - beta2) * g²;  m̂ = m / (1 - beta1^t);
    ρ_∞ = 2 / (1 - beta2) - 1;  ρ_t = ρ_∞ - 2 t beta2^t / (1 - beta2^t);
    if ρ_t > 5: r = √((ρ_t - 4)(ρ_t - 2) ρ_∞ / ((ρ_∞ - 4)(ρ_∞ - 2) ρ_t)) and
    p <- p - m̂ * lr * √(1 - beta2^t) / (√v + eps) * r;  otherwise p <- p - m̂ * lr.

    ``foreach``, ``capturable`` and ``differentiable`` are kept for PyTorch's API; the update is always its
    single-tensor one.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        errors.check_nonnegative(lr=lr, eps=eps)
        errors.check_betas(betas)
        errors.check_nonnegative(weight_decay=weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        if not state:
            state["step"] = tensor(0.0)
            state["exp_avg"] = zeros_like(param)
            state["exp_avg_sq"] = zeros_like(param)
        step = count_step(state)
        lr, (beta1, beta2) = group["lr"], group["betas"]
        bias_correction2 = 1 - beta2**step
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
        rectified = rho_t > 5.0
        rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5 if rectified \
            else 0.0
        K.radam(param._data, param.grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data, lr, beta1, beta2,
                group["eps"], group["weight_decay"], group["decoupled_weight_decay"], group["maximize"],
                bias_correction1=1 - beta1**step, bias_correction2_sqrt=bias_correction2**0.5, rectified=rectified,
                rect=rect)
        count_writes(param, 2 if group["decoupled_weight_decay"] and group["weight_decay"] != 0 else 1)
