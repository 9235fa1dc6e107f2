"""Adagrad: per-element learning rates scaled down by the accumulated squared gradients."""

from typing import Any

from .. import errors
from .. import kernels as K
from ..factories import full, tensor
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, count_step, count_writes


class Adagrad(Optimizer):
    """At step t, with g the gradient (negated with ``maximize``) plus ``weight_decay`` * p:

    sum <- sum + g² (sum starts at ``initial_accumulator_value``);
    p <- p - lr / (1 + (t - 1) * lr_decay) * g / (√sum + eps).

    State is created for every parameter at construction, as PyTorch does. ``foreach``, ``differentiable``
    and ``fused`` are kept for PyTorch's API; the update is always its single-tensor one.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        errors.check_nonnegative(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                          initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        errors.check_fused(fused, differentiable, foreach)
        for group in self.param_groups:
            for param in group["params"]:
                self._init_state(param, self.state[param])

    def _init_state(self, param: Tensor, state: dict[str, Any]) -> None:
        # PyTorch fills the sum from the optimizer's default, not from the parameter's group.
        state["step"] = tensor(0.0)
        state["sum"] = full(param.shape, self.defaults["initial_accumulator_value"], dtype=param.dtype)

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        if not state:
            self._init_state(param, state)
        step = count_step(state)
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        K.adagrad(param._data, param.grad._data, state["sum"]._data, clr, group["weight_decay"], group["eps"],
                  group["maximize"])
        count_writes(param, 1)
