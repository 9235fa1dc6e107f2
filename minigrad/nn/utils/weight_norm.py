"""Weight normalization (Salimans and Kingma, 2016) as PyTorch's older hook-based ``torch.nn.utils.weight_norm``:
a layer's weight w becomes two parameters, its magnitude g and its direction v, and a forward pre-hook computes
w = g v / ||v|| (the norm over every dim but ``dim``) before each forward."""

from __future__ import annotations

import warnings
from typing import Any, TypeVar

from ...autograd.grad_mode import no_grad
from ...tensor import Tensor
from ..module import Module
from ..parameter import Parameter

__all__ = ["WeightNorm", "remove_weight_norm", "weight_norm"]

ModuleType = TypeVar("ModuleType", bound=Module)


def norm_except_dim(v: Tensor, power: float, dim: int) -> Tensor:
    """||v||_power over every dim but ``dim`` (kept, the others of size 1); over everything for dim -1."""
    if dim == -1:
        return v.norm(power)
    others = tuple(d for d in range(v.dim()) if d != dim % v.dim())
    return v.norm(power, dim=others, keepdim=True) if others else v.abs()


class WeightNorm:
    """The forward pre-hook: ``<name> = <name>_g * <name>_v / ||<name>_v||``."""

    def __init__(self, name: str, dim: int | None) -> None:
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module: Module) -> Tensor:
        g, v = getattr(module, self.name + "_g"), getattr(module, self.name + "_v")
        return v * (g / norm_except_dim(v, 2, self.dim))

    @staticmethod
    def apply(module: Module, name: str, dim: int | None) -> WeightNorm:
        warnings.warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
                      "`torch.nn.utils.parametrizations.weight_norm`.", FutureWarning, stacklevel=3)
        if any(isinstance(hook, WeightNorm) and hook.name == name for hook in module._forward_pre_hooks.values()):
            raise RuntimeError(f"Cannot register two weight_norm hooks on the same parameter {name}")
        fn = WeightNorm(name, dim)
        weight = getattr(module, name)
        del module._parameters[name]
        with no_grad():
            module.register_parameter(name + "_g", Parameter(norm_except_dim(weight, 2, fn.dim).detach()))
        module.register_parameter(name + "_v", Parameter(weight.detach()))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module: Module) -> None:
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.detach()))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module: ModuleType, name: str = "weight", dim: int | None = 0) -> ModuleType:
    """``module`` with its ``name`` parameter split into ``name_g`` and ``name_v`` (see the module's docstring);
    ``dim=None``: one norm over the whole weight. Deprecated in PyTorch (its FutureWarning)."""
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module: ModuleType, name: str = "weight") -> ModuleType:
    """``module`` with its weight a single parameter again (its current value)."""
    return remove_hook(module, WeightNorm, name, "weight_norm")


def remove_hook(module: ModuleType, kind: type, name: str, function: str) -> ModuleType:
    """``module`` without its forward pre-hook of ``kind`` on parameter ``name`` (the hook's own ``remove`` puts the
    parameter back); PyTorch's error if ``function`` put none there."""
    for key, hook in module._forward_pre_hooks.items():
        if isinstance(hook, kind) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[key]
            return module
    raise ValueError(f"{function} of '{name}' not found in {module}")
