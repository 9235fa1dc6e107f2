"""ASGD: SGD with a decaying step size and a running average of the iterates."""

from typing import Any

from .. import errors
from .. import kernels as K
from ..factories import tensor, zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, count_step, count_writes


class ASGD(Optimizer):
    """At step t, with g the gradient (negated with ``maximize``) plus ``weight_decay`` * p, and η, μ the
    step size and averaging weight set by the previous step (η = lr and μ = 1 at first):

    p <- p * (1 - lambd * η) - η * g;  ax <- ax + μ * (p - ax) (ax <- p while μ = 1);
    then η = lr / (1 + lambd * lr * t)^alpha and μ = 1 / max(1, t - t0), kept as float32 0-d tensors
    (``state['eta']``, ``state['mu']``) as PyTorch keeps them. ``ax`` is the averaged parameter.

    ``foreach``, ``differentiable`` and ``capturable`` are kept for PyTorch's API; the update is always its
    single-tensor one.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        errors.check_nonnegative(lr=lr, weight_decay=weight_decay)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        if not state:
            state["step"] = tensor(0.0)
            state["eta"] = tensor(float(group["lr"]))
            state["mu"] = tensor(1.0)
            state["ax"] = zeros_like(param)
        step = count_step(state)
        lr, lambd = group["lr"], group["lambd"]
        K.asgd(param._data, param.grad._data, state["ax"]._data, lambd, group["weight_decay"], group["maximize"],
               eta=float(state["eta"]._data), mu=float(state["mu"]._data))
        # Made as a tensor of the default dtype, then copied in (PyTorch's as_tensor and copy_): a state loaded
        # into a float64 optimizer is float64, yet holds float32-rounded values.
        state["eta"]._data[...] = tensor(lr / ((1 + lambd * lr * step) ** group["alpha"]))._data
        state["mu"]._data[...] = tensor(1 / max(1, step - group["t0"]))._data
        count_writes(param, 2)
