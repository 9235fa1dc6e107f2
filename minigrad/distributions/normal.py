"""``Normal(loc, scale)``: the Gaussian N(μ, σ²), density p(x) = exp(-(x - μ)² / (2σ²)) / (σ √(2π))."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from .. import factories
from ..autograd.grad_mode import no_grad
from ..size import Size
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import _standard_normal, broadcast_all

__all__ = ["Normal"]


class Normal(Distribution):
    """The normal distribution with mean ``loc`` (μ) and standard deviation ``scale`` (σ > 0), numbers or tensors
    broadcast together (``batch_shape``: their shape; () when both are numbers).

    ``rsample`` is the reparameterization trick, x = μ + ε·σ with ε ~ N(0, 1) drawn as PyTorch draws it
    (``empty(shape).normal_()``), so the gradient reaches μ (dx/dμ = 1) and σ (dx/dσ = ε); ``sample`` draws the
    same numbers as ``torch.normal(loc, scale)`` (ε·σ + μ), without a graph.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {"loc": constraints.real,
                                                                    "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Tensor | float, scale: Tensor | float, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        batch_shape = Size() if not isinstance(loc, Tensor) and not isinstance(scale, Tensor) else self.loc.size()
        super().__init__(batch_shape, validate_args=validate_args)

    @property
    def mean(self) -> Tensor:
        """E[X] = μ."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """μ."""
        return self.loc

    @property
    def stddev(self) -> Tensor:
        """σ."""
        return self.scale

    @property
    def variance(self) -> Tensor:
        """σ²."""
        return self.stddev.pow(2)

    def expand(self, batch_shape: Sequence[int], _instance: Distribution | None = None) -> Normal:
        new = self._get_checked_instance(Normal, _instance)
        batch_shape = Size(batch_shape)
        new.loc = self.loc.expand(batch_shape)
        new.scale = self.scale.expand(batch_shape)
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def sample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        """x = ε·σ + μ, ε ~ N(0, 1): ``torch.normal(loc, scale)`` in ``sample_shape + batch_shape``, no graph."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            return factories.normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        """x = μ + ε·σ, ε ~ N(0, 1) in ``sample_shape + batch_shape``: differentiable in μ and σ."""
        shape = self._extended_shape(sample_shape)
        eps = _standard_normal(shape, dtype=self.loc.dtype)
        return self.loc + eps * self.scale

    def log_prob(self, value: Tensor) -> Tensor:
        """log p(x) = -(x - μ)² / (2σ²) - log σ - log √(2π)."""
        if self._validate_args:
            self._validate_sample(value)
        var = self.scale**2
        return -((value - self.loc) ** 2) / (2 * var) - self.scale.log() - math.log(math.sqrt(2 * math.pi))

    def cdf(self, value: Tensor) -> Tensor:
        """P(X <= x) = (1 + erf((x - μ) / (σ√2))) / 2."""
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 * (1 + ((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)).erf())

    def icdf(self, value: Tensor) -> Tensor:
        """x = μ + σ √2 erfinv(2q - 1): the quantile of probability q."""
        return self.loc + self.scale * (2 * value - 1).erfinv() * math.sqrt(2)

    def entropy(self) -> Tensor:
        """H = 1/2 + log(2π)/2 + log σ."""
        return 0.5 + 0.5 * math.log(2 * math.pi) + self.scale.log()
