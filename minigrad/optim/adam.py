"""Adam and AdamW: adaptive moment estimation, with L2 or decoupled weight decay and the AMSGrad variant."""

from typing import Any

from .. import errors
from .. import kernels as K
from ..factories import tensor, zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, count_step, count_writes


class Adam(Optimizer):
    """At step t, with g the gradient (negated with ``maximize``) plus ``weight_decay`` * p:

    m <- beta1 * m + (1 - beta1) * g;  v <- beta2 * v + (1 - beta2) * g²;
    p <- p - lr / (1 - beta1^t) * m / (√v / √(1 - beta2^t) + eps),
    where with ``amsgrad`` the running maximum v̂ <- max(v̂, v) takes the place of v.

    With ``decoupled_weight_decay`` (AdamW), the decay scales p by 1 - lr * weight_decay instead of adding
    to g. ``foreach``, ``capturable``, ``differentiable`` and ``fused`` are kept for PyTorch's API; the
    update is always its single-tensor one.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        errors.check_nonnegative(lr=lr, eps=eps)
        errors.check_betas(betas)
        errors.check_nonnegative(weight_decay=weight_decay)
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)):
            raise errors.betas_types()
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused, "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        errors.check_fused(fused, differentiable, foreach)

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        if not state:
            state["step"] = tensor(0.0)
            state["exp_avg"] = zeros_like(param)
            state["exp_avg_sq"] = zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = zeros_like(param)
        step = count_step(state)
        lr, (beta1, beta2) = group["lr"], group["betas"]
        # Without amsgrad there is no maximum; the kernel never touches the buffer it is given then.
        max_exp_avg_sq = state["max_exp_avg_sq"] if group["amsgrad"] else param
        K.adam(param._data, param.grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data,
               max_exp_avg_sq._data, lr, beta1, beta2, group["eps"], group["weight_decay"],
               group["decoupled_weight_decay"], group["amsgrad"], group["maximize"],
               step_size=lr / (1 - beta1**step), bias_correction2_sqrt=(1 - beta2**step) ** 0.5)
        count_writes(param, 2 if group["decoupled_weight_decay"] and group["weight_decay"] != 0 else 1)


class AdamW(Adam):
    """Adam with decoupled weight decay (default 1e-2): p <- p * (1 - lr * weight_decay) before Adam's step."""

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
