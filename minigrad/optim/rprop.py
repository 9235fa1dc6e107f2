"""Rprop: resilient backpropagation, a step size per element adapted from the signs of the gradients alone."""

from typing import Any

from .. import errors
from .. import kernels as K
from ..factories import full_like, tensor, zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, count_step, count_writes


class Rprop(Optimizer):
    """Each element has its own step size d (``lr`` at first). At each step, with g the gradient (negated
    with ``maximize``) and g' the previous one used:

    d <- clamp(d * etaplus, *step_sizes) where g g' > 0 (same direction), d * etaminus where g g' < 0 (and g is
    then taken as 0: no move, and no sign change to see next time), d where g g' = 0;  p <- p - sign(g) * d.

    ``foreach``, ``differentiable`` and ``capturable`` are kept for PyTorch's API; the update is always its
    single-tensor one.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        errors.check_nonnegative(lr=lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise errors.invalid_etas(etas)
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        if not state:
            state["step"] = tensor(0.0)
            state["prev"] = zeros_like(param)
            state["step_size"] = full_like(param.grad, group["lr"])
        count_step(state)
        (etaminus, etaplus), (step_size_min, step_size_max) = group["etas"], group["step_sizes"]
        K.rprop(param._data, param.grad._data, state["prev"]._data, state["step_size"]._data, etaminus, etaplus,
                step_size_min, step_size_max, group["maximize"])
        count_writes(param, 1)
