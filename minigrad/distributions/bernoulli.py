"""``Bernoulli(probs=p)`` or ``Bernoulli(logits=l)``: 1 with probability p = sigmoid(l), 0 with probability 1 - p."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .. import factories
from ..autograd.grad_mode import no_grad
from ..nn import functional as F
from ..size import Size
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all, lazy_property, logits_to_probs, probs_to_logits

__all__ = ["Bernoulli"]


class Bernoulli(Distribution):
    """The Bernoulli distribution over {0, 1}, given by ``probs`` p (in [0, 1]) or by ``logits`` l = log(p / (1 - p)),
    not both; the other is computed on first use (p = sigmoid(l); l from p clamped to [eps, 1 - eps]).

    Mass: P(x) = p^x (1 - p)^(1-x), so log P(x) = x log p + (1 - x) log(1 - p) = -bce_with_logits(l, x).
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {"probs": constraints.unit_interval,
                                                                    "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(self, probs: Tensor | float | None = None, logits: Tensor | float | None = None,
                 validate_args: bool | None = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            is_scalar = not isinstance(probs, Tensor)
            (self.probs,) = broadcast_all(probs)
        else:
            is_scalar = not isinstance(logits, Tensor)
            (self.logits,) = broadcast_all(logits)  # type: ignore[arg-type]
        self._param = self.probs if probs is not None else self.logits
        batch_shape = Size() if is_scalar else self._param.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Distribution | None = None) -> Bernoulli:
        new = self._get_checked_instance(Bernoulli, _instance)
        batch_shape = Size(batch_shape)
        if "probs" in self.__dict__:
            new.probs = self.probs.expand(batch_shape)
            new._param = new.probs
        if "logits" in self.__dict__:
            new.logits = self.logits.expand(batch_shape)
            new._param = new.logits
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """E[X] = p."""
        return self.probs

    @property
    def mode(self) -> Tensor:
        """1 where p > 1/2, 0 where p < 1/2, NaN where p = 1/2."""
        mode = (self.probs >= 0.5).to(self.probs)
        mode[self.probs == 0.5] = float("nan")
        return mode

    @property
    def variance(self) -> Tensor:
        """p (1 - p)."""
        return self.probs * (1 - self.probs)

    @lazy_property
    def logits(self) -> Tensor:
        """l = log p - log(1 - p), p clamped to [eps, 1 - eps]."""
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Tensor:
        """p = sigmoid(l)."""
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    def sample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        """0/1 in ``sample_shape + batch_shape`` (p's dtype): ``torch.bernoulli(probs)``'s draws, no graph."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            return factories.bernoulli(self.probs.expand(shape))

    def log_prob(self, value: Tensor) -> Tensor:
        """log P(x) = x log p + (1 - x) log(1 - p) = -bce_with_logits(l, x), elementwise."""
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -F.binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self) -> Tensor:
        """H = -p log p - (1 - p) log(1 - p) = bce_with_logits(l, p)."""
        return F.binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """[0, 1] along dim 0, in p's dtype (``expand``: broadcast over the batch)."""
        values = factories.arange(2, dtype=self._param.dtype)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1, *self._batch_shape))
        return values
