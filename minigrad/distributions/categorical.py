"""``Categorical(probs=p)`` or ``Categorical(logits=l)``: one of K classes, class k with probability p_k."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from .. import factories, functions
from ..dtypes import finfo, int64
from ..size import Size
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution, _full_nan
from .utils import lazy_property, logits_to_probs, probs_to_logits

__all__ = ["Categorical"]


class Categorical(Distribution):
    """A categorical distribution over {0, ..., K-1}, K = the last dim of ``probs`` or ``logits`` (not both); the
    dims before it are the batch.

    ``probs`` are normalized to sum to 1 (p / sum p); ``logits`` are unnormalized log-probabilities, stored
    normalized: l - logsumexp(l), so that ``logits`` is log p. The other one is computed on first use
    (p = softmax(l); l = log p, p clamped to [eps, 1 - eps]). Samples are class indices (int64), drawn as
    ``torch.multinomial(p, n, replacement=True)`` draws them.
    """

    arg_constraints: ClassVar[dict[str, constraints.Constraint]] = {"probs": constraints.simplex,
                                                                    "logits": constraints.real_vector}
    has_enumerate_support = True

    def __init__(self, probs: Tensor | None = None, logits: Tensor | None = None,
                 validate_args: bool | None = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            if probs.dim() < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = probs / probs.sum(-1, keepdim=True)
        else:
            if logits.dim() < 1:  # type: ignore[union-attr]
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = logits - logits.logsumexp(dim=-1, keepdim=True)  # type: ignore[union-attr]
        self._param = self.probs if probs is not None else self.logits
        self._num_events = self._param.size()[-1]
        batch_shape = self._param.size()[:-1] if self._param.ndimension() > 1 else Size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: Sequence[int], _instance: Distribution | None = None) -> Categorical:
        new = self._get_checked_instance(Categorical, _instance)
        batch_shape = Size(batch_shape)
        param_shape = Size((*batch_shape, self._num_events))
        if "probs" in self.__dict__:
            new.probs = self.probs.expand(param_shape)
            new._param = new.probs
        if "logits" in self.__dict__:
            new.logits = self.logits.expand(param_shape)
            new._param = new.logits
        new._num_events = self._num_events
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        """The integers 0 .. K-1."""
        return constraints.integer_interval(0, self._num_events - 1)

    @lazy_property
    def logits(self) -> Tensor:
        """log p (p clamped to [eps, 1 - eps])."""
        return probs_to_logits(self.probs)

    @lazy_property
    def probs(self) -> Tensor:
        """p = softmax(l) over the last dim."""
        return logits_to_probs(self.logits)

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    @property
    def mean(self) -> Tensor:
        """NaN: class indices have no meaningful mean."""
        return _full_nan(self._extended_shape(), self.probs)

    @property
    def mode(self) -> Tensor:
        """argmax_k p_k."""
        return self.probs.argmax(dim=-1)

    @property
    def variance(self) -> Tensor:
        """NaN, as the mean."""
        return _full_nan(self._extended_shape(), self.probs)

    def sample(self, sample_shape: Sequence[int] = Size()) -> Tensor:
        """Class indices in ``sample_shape + batch_shape``: ``multinomial(p, n, True)`` per batch row, transposed."""
        sample_shape = Size(sample_shape)
        probs_2d = self.probs.reshape(-1, self._num_events)
        samples_2d = factories.multinomial(probs_2d, sample_shape.numel(), True).T
        return samples_2d.reshape(self._extended_shape(sample_shape))

    def log_prob(self, value: Tensor) -> Tensor:
        """log P(k) = l_k (the normalized logits), picked by ``gather`` along the last dim."""
        if self._validate_args:
            self._validate_sample(value)
        value = value.long().unsqueeze(-1)
        value, log_pmf = functions.broadcast_tensors(value, self.logits)
        value = value[..., :1]
        return log_pmf.gather(-1, value).squeeze(-1)

    def entropy(self) -> Tensor:
        """H = -Σ_k p_k log p_k (log p clamped at the dtype's lowest value, so that 0 · log 0 is 0)."""
        min_real = finfo(self.logits.dtype).min
        logits = self.logits.clamp(min=min_real)
        p_log_p = logits * self.probs
        return -p_log_p.sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """0 .. K-1 along dim 0, int64 (``expand``: broadcast over the batch)."""
        values = factories.arange(self._num_events, dtype=int64)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1, *self._batch_shape))
        return values
