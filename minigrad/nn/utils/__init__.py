"""``minigrad.nn.utils``: gradient clipping, flattening parameters into one vector, and (``rnn``) padded and packed
sequences, as ``torch.nn.utils``."""

import math
import warnings
from collections.abc import Iterable

from ... import errors, factories
from ...autograd.grad_mode import no_grad
from ...functions import cat, stack
from ...tensor import Tensor
from . import rnn
from .spectral_norm import remove_spectral_norm, spectral_norm
from .weight_norm import remove_weight_norm, weight_norm

Parameters = Tensor | Iterable[Tensor]

__all__ = ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
           "parameters_to_vector", "remove_spectral_norm", "remove_weight_norm", "rnn", "spectral_norm",
           "vector_to_parameters", "weight_norm"]


def __dir__() -> list[str]:
    return __all__


def _as_list(parameters: Parameters) -> list[Tensor]:
    """One tensor or an iterable of them (a generator such as ``model.parameters()``), as a list."""
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def _norm(x: Tensor, norm_type: float) -> Tensor:
    """||x||_p over all elements: (sum |x_i|^p)^(1/p), or max |x_i| for p = inf."""
    if norm_type == math.inf:
        return x.abs().max()
    if norm_type == 2:
        return (x * x).sum().sqrt()
    return (x.abs() ** norm_type).sum() ** (1.0 / norm_type)


def get_total_norm(tensors: Parameters, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:
    """The p-norm of all ``tensors`` together (the norm of their norms); PyTorch's error for a non-finite one if
    ``error_if_nonfinite``."""
    tensors = _as_list(tensors)
    if not tensors:
        return factories.tensor(0.0)
    with no_grad():
        total = _norm(stack([_norm(t, norm_type) for t in tensors]), float(norm_type))
    if error_if_nonfinite and not math.isfinite(total.item()):
        raise errors.nonfinite_grad_norm(norm_type)
    return total


def clip_grads_with_norm_(parameters: Parameters, max_norm: float, total_norm: Tensor,
                          foreach: bool | None = None) -> None:
    """Scale every gradient in place by min(1, max_norm / (total_norm + 1e-6))."""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    with no_grad():
        scale = (max_norm / (total_norm + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(scale)


def clip_grad_norm_(parameters: Parameters, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Scale every gradient by min(1, max_norm / (total + 1e-6)) in place, total = the p-norm of all gradients
    together (``get_total_norm``); returns total. Parameters without a gradient are skipped."""
    parameters = _as_list(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite)
    if grads:
        clip_grads_with_norm_(parameters, max_norm, total)
    return total


def clip_grad_norm(parameters: Parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:
    """``clip_grad_norm_``'s old name (deprecated: PyTorch's FutureWarning)."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`.",
                  FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite)


def clip_grad_value_(parameters: Parameters, clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient to [-clip_value, clip_value] in place."""
    with no_grad():
        for p in _as_list(parameters):
            if p.grad is not None:
                p.grad.clamp_(-clip_value, clip_value)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and joined into one vector (differentiable: it is a concatenation)."""
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters (each slice shaped as its parameter) as new data."""
    if not isinstance(vec, Tensor):
        raise errors.expected_tensor_got(type(vec).__name__)
    start = 0
    for p in parameters:
        count = p.numel()
        p.data = vec[start:start + count].view_as(p).data
        start += count
