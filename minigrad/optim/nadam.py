"""NAdam: Adam with Nesterov momentum and a warming-up momentum schedule."""

from typing import Any

from .. import errors
from .. import kernels as K
from ..factories import tensor, zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, count_step, count_writes


class NAdam(Optimizer):
    """At step t, with g the gradient (negated with ``maximize``) plus ``weight_decay`` * p (or, with
    ``decoupled_weight_decay``, p scaled by 1 - lr * weight_decay), and μ_t = beta1 * (1 - 0.96^(t *
    momentum_decay) / 2), Π_t = μ_1 ⋯ μ_t:

    m <- beta1 * m + (1 - beta1) * g;  v <- beta2 * v + (1 - beta2) * g²;  d = √(v / (1 - beta2^t)) + eps;
    p <- p - lr * (1 - μ_t) / (1 - Π_t) * g / d - lr * μ_{t+1} / (1 - Π_{t+1}) * m / d.

    Π_t is kept in ``state['mu_product']``, a 0-d tensor rounded at each step as PyTorch rounds it.
    ``foreach``, ``capturable`` and ``differentiable`` are kept for PyTorch's API; the update is always its
    single-tensor one.
    """

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        errors.check_nonnegative(lr=lr, eps=eps)
        errors.check_betas(betas)
        errors.check_nonnegative(weight_decay=weight_decay, momentum_decay=momentum_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        if not state:
            state["step"] = tensor(0.0)
            state["mu_product"] = tensor(1.0)
            state["exp_avg"] = zeros_like(param)
            state["exp_avg_sq"] = zeros_like(param)
        step = count_step(state)
        lr, (beta1, beta2), momentum_decay = group["lr"], group["betas"], group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        product = state["mu_product"]._data
        product *= product.dtype.type(mu)
        mu_product = float(product)
        K.nadam(param._data, param.grad._data, state["exp_avg"]._data, state["exp_avg_sq"]._data, lr, beta1, beta2,
                group["eps"], group["weight_decay"], group["decoupled_weight_decay"], group["maximize"],
                bias_correction2=1 - beta2**step, grad_step=-lr * (1.0 - mu) / (1.0 - mu_product),
                avg_step=(-lr * mu_next) / (1.0 - mu_product * mu_next))
        count_writes(param, 3 if group["decoupled_weight_decay"] and group["weight_decay"] != 0 else 2)
