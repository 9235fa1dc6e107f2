"""``minigrad.nn.init``: fill parameters in place, drawing from the same random streams as ``torch.nn.init``.

The bounds are computed in Python floats in PyTorch's order of operations, so under one seed a layer
gets exactly PyTorch's initial values.
"""

import math
import warnings
from collections.abc import Callable
from typing import Any

from .. import errors, factories
from ..autograd.grad_mode import no_grad
from ..functions import cat, where
from ..ops import linalg as linalg_ops
from ..random import Generator
from ..tensor import Tensor, apply

_UNIT_GAIN = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
              "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor that keeps activations' variance steady through ``nonlinearity`` (as ``torch.nn.init``)."""
    if nonlinearity in _UNIT_GAIN:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            negative_slope = param
        else:
            raise errors.negative_slope_invalid(param)
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise errors.unsupported_nonlinearity(nonlinearity)


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out): inputs and outputs each weight connects, times the receptive field (dims past 2)."""
    if tensor.dim() < 2:
        raise errors.fan_of_1d()
    receptive_field = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise errors.fan_mode(mode)
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Fill with values drawn uniformly from [a, b)."""
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Fill with values drawn from the normal distribution N(mean, std^2)."""
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``."""
    with no_grad():
        return tensor.fill_(val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0."""
    return constant_(tensor, 0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    return constant_(tensor, 1)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    """He's standard deviation: gain / sqrt(fan), gain = calculate_gain(nonlinearity, a)."""
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    return gain / math.sqrt(fan)


def _empty_warning(tensor: Tensor) -> bool:
    if 0 in tensor.shape:
        warnings.warn(errors.zero_element_init_warning(), stacklevel=3)
        return True
    return False


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator: Generator | None = None) -> Tensor:
    """He initialisation, uniform: U(-bound, bound) with bound = sqrt(3) * gain / sqrt(fan)."""
    if _empty_warning(tensor):
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator=generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator: Generator | None = None) -> Tensor:
    """He initialisation, normal: N(0, std^2) with std = gain / sqrt(fan)."""
    if _empty_warning(tensor):
        return tensor
    return normal_(tensor, 0, _kaiming_std(tensor, a, mode, nonlinearity), generator=generator)


def _xavier_std(tensor: Tensor, gain: float) -> float:
    """Glorot's standard deviation: gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return gain * math.sqrt(2.0 / float(fan_in + fan_out))


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Glorot initialisation, uniform: U(-a, a) with a = sqrt(3) * gain * sqrt(2 / (fan_in + fan_out))."""
    a = math.sqrt(3.0) * _xavier_std(tensor, gain)
    return uniform_(tensor, -a, a, generator=generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Glorot initialisation, normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    return normal_(tensor, 0.0, _xavier_std(tensor, gain), generator=generator)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  generator: Generator | None = None) -> Tensor:
    """Fill with draws of N(mean, std^2) truncated to [a, b], by rejection, drawing what PyTorch draws.

    When [a, b] holds more than 30% of the mass: normal draws, each outside [a, b] replaced by a fresh draw
    until none is. Otherwise: uniform proposals x in [a, b], each kept when log(u) <= log(pdf(x) / pdf(mode))
    for a uniform u, the rejected ones proposed again.
    """
    def cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn(errors.trunc_normal_mean_warning(), stacklevel=2)
    with no_grad():
        if cdf((b - mean) / std) - cdf((a - mean) / std) > 0.3:
            low, high = (factories.tensor(bound, dtype=tensor.dtype).item() for bound in (a, b))
            result = tensor.normal_(mean, std, generator=generator)
            while (outside := (result < low) | (result > high)).any():
                fresh = factories.empty_like(result).normal_(mean, std, generator=generator)
                result = where(outside, fresh, result)
            return tensor if result is tensor else tensor.copy_(result)
        log_peak = -0.5 * ((max(a, min(mean, b)) - mean) / std) ** 2

        def rejected(candidates: Tensor) -> Tensor:
            log_density = ((candidates - mean) / std).pow(2) * -0.5 - log_peak
            return factories.empty_like(tensor).uniform_(generator=generator).log() > log_density

        tensor.uniform_(a, b, generator=generator)
        pending = rejected(tensor)
        result = tensor
        while pending.any():
            candidates = factories.empty_like(tensor).uniform_(a, b, generator=generator)
            result = where(pending, candidates, result)
            pending = where(pending, rejected(candidates), pending)
        return tensor if result is tensor else tensor.copy_(result)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D tensor with the identity matrix (1 on the diagonal, 0 elsewhere)."""
    if tensor.dim() != 2:
        raise errors.init_dims("2")
    with no_grad():
        return tensor.copy_(factories.eye(*tensor.shape, dtype=tensor.dtype))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fill a 3-, 4- or 5-D convolution weight so that the convolution is the identity: in each of ``groups``,
    output channel d has a 1 at input channel d, at the kernel's center (as many as both channel counts allow)."""
    if tensor.dim() not in (3, 4, 5):
        raise errors.init_dims("3, 4, or 5")
    out_channels, in_channels, *kernel = tensor.shape
    if out_channels % groups:
        raise errors.dirac_groups()
    per_group = out_channels // groups
    channels = cat([factories.eye(per_group, in_channels, dtype=tensor.dtype)] * groups, 0)
    center = factories.ones((), dtype=tensor.dtype)
    for size in kernel:  # the outer product of one-hot vectors at each kernel dim's center
        center = center.unsqueeze(-1) * (factories.arange(size) == size // 2).to(tensor.dtype)
    with no_grad():
        return tensor.copy_(channels.view(out_channels, in_channels, *[1] * len(kernel)) * center)


def orthogonal_(tensor: Tensor, gain: float = 1, generator: Generator | None = None) -> Tensor:
    """Fill with a (semi-)orthogonal matrix (Saxe et al., 2013), the dims after the first flattened: Q of the QR
    factorization of a standard normal draw (rows x the rest, transposed when wider than tall), each column's sign
    made that of R's diagonal (so Q is uniformly distributed), times ``gain``. The draw is PyTorch's, bit for bit;
    Q is LAPACK's, to rounding (numpy factors float32 in float64, PyTorch in float32)."""
    if tensor.dim() < 2:
        raise errors.init_dims("2 or more")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    with no_grad():
        flattened = factories.empty((rows, cols), dtype=tensor.dtype).normal_(0, 1, generator=generator)
        if rows < cols:
            flattened = flattened.t()
        q, r = apply(linalg_ops.Qr, flattened)
        q = q * r.diagonal().sign()
        if rows < cols:
            q = q.t()
        tensor.copy_(q.reshape(tensor.shape))
        return tensor.mul_(gain)


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator: Generator | None = None) -> Tensor:
    """A 2-D tensor drawn from N(0, std^2), then ceil(sparsity * rows) entries of each column zeroed, at rows a fresh
    randperm picks for each column (PyTorch's draws, in its order)."""
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    zeros = math.ceil(sparsity * rows)
    with no_grad():
        tensor.normal_(0, std, generator=generator)
        for column in range(cols):
            tensor[factories.randperm(rows)[:zeros], column] = 0
    return tensor


def _deprecated(function: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """``function`` under its old name, without the trailing underscore (``nn.init.xavier_uniform``), with PyTorch's
    FutureWarning at each call."""
    new_name = function.__name__
    old_name = new_name[:-1]

    def deprecated_init(*args: Any, **kwargs: Any) -> Tensor:
        warnings.warn(f"`nn.init.{old_name}` is now deprecated in favor of `nn.init.{new_name}`.", FutureWarning,
                      stacklevel=2)
        return function(*args, **kwargs)

    deprecated_init.__name__ = deprecated_init.__qualname__ = old_name
    deprecated_init.__doc__ = f"``{new_name}``'s old name (deprecated)."
    return deprecated_init


uniform, normal, constant, eye, dirac, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, orthogonal, \
    sparse = map(_deprecated, (uniform_, normal_, constant_, eye_, dirac_, xavier_uniform_, xavier_normal_,
                               kaiming_uniform_, kaiming_normal_, orthogonal_, sparse_))

__all__ = ["calculate_gain", "constant", "constant_", "dirac", "dirac_", "eye", "eye_", "kaiming_normal",
           "kaiming_normal_", "kaiming_uniform", "kaiming_uniform_", "normal", "normal_", "ones_", "orthogonal",
           "orthogonal_", "sparse", "sparse_", "trunc_normal_", "uniform", "uniform_", "xavier_normal",
           "xavier_normal_", "xavier_uniform", "xavier_uniform_", "zeros_"]


def __dir__() -> list[str]:
    return __all__
