"""Samplers: the order in which a DataLoader visits a dataset's indices, and how it groups them into batches.

``RandomSampler`` draws exactly what PyTorch's draws, from the same generator and at the same moment, so a
shuffled epoch visits the same indices as PyTorch's under the same seed and leaves the generators where
PyTorch leaves them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Generic, TypeVar

from ... import errors, random
from ...dtypes import float64
from ...factories import as_tensor
from ...tensor import Tensor

T_co = TypeVar("T_co", covariant=True)


class Sampler(Generic[T_co]):
    """Base class: subclasses define ``__iter__`` (indices, or lists of indices) and usually ``__len__``."""

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """0, 1, ..., len(data_source) − 1, every epoch. Draws nothing."""

    data_source: Sized

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """Indices in random order: a fresh permutation each epoch (or, with ``replacement``, independent draws).

    Draws, as PyTorch's sampler makes them, all lazily (at the first ``next()`` of an epoch, not at ``iter()``):

    - without ``generator``: first seed = int64 ``random_()`` from the default generator (2 words), and a
      private ``Generator().manual_seed(seed)`` supplies the rest; with ``generator``: it supplies everything;
    - without replacement (n = len(data_source)): ``num_samples // n`` permutations ``randperm(n)`` (n − 1
      words each) yielded whole, then one more randperm(n) of which the first ``num_samples % n`` are yielded.
      That last randperm is drawn even when it yields nothing (the usual num_samples = n), when the iterator
      is asked for the index after the last one: an epoch that is run to its end draws it, one left early
      does not;
    - with replacement: ``randint(0, n, (32,))`` per 32 samples, then one ``randint`` for the remainder.
    """

    data_source: Sized
    replacement: bool

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator: random.Generator | None = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise errors.sampler_replacement(self.replacement)
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise errors.sampler_num_samples(self.num_samples)

    @property
    def num_samples(self) -> int:
        """How many indices an epoch yields: ``num_samples`` if given, else len(data_source)."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        if self.generator is None:
            seed = int(random.default_generator.random_int64())
            generator = random.Generator().manual_seed(seed)
        else:
            generator = self.generator
        if self.replacement:
            for _ in range(self.num_samples // 32):
                yield from generator.integers(0, n, 32).tolist()
            yield from generator.integers(0, n, self.num_samples % 32).tolist()
        else:
            for _ in range(self.num_samples // n):
                yield from generator.permutation(n).tolist()
            yield from generator.permutation(n).tolist()[: self.num_samples % n]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given ``indices`` in a random order, a new one each epoch: ``indices[i]`` for i in
    ``randperm(len(indices))``, drawn (n − 1 words) from ``generator``, or from the default generator itself
    (no private generator, unlike RandomSampler), when the epoch starts."""

    def __init__(self, indices: Sequence[int], generator: random.Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for i in (self.generator or random.default_generator).permutation(len(self.indices)).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices i drawn with probability weights[i] / Σ weights: ``multinomial(weights,
    num_samples, replacement)`` on the float64 weights each epoch, from ``generator`` or the default
    generator (with replacement: two words per sample), as PyTorch's draws them."""

    weights: Tensor

    def __init__(self, weights: Sequence[float] | Tensor, num_samples: int, replacement: bool = True,
                 generator: random.Generator | None = None) -> None:
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise errors.sampler_num_samples(num_samples)
        if not isinstance(replacement, bool):
            raise errors.weighted_sampler_replacement(replacement)
        weights = as_tensor(weights, dtype=float64)
        if weights.dim() != 1:
            raise errors.sampler_weights_shape(tuple(weights.shape))
        self.weights = weights
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        yield from random.multinomial(self.weights._data, self.num_samples, self.replacement, self.generator).tolist()

    def __len__(self) -> int:
        return self.num_samples


class _InfiniteConstantSampler(Sampler[None]):
    """None, forever: what a DataLoader over an IterableDataset batches (the dataset's stream decides the end)."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None


class BatchSampler(Sampler[list[int]]):
    """The indices of ``sampler`` in lists of ``batch_size``; the last list is shorter unless ``drop_last``.

    Like PyTorch's, it asks ``sampler`` for one index past a full last batch before it stops (which is when
    a RandomSampler draws its trailing permutation).
    """

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int, drop_last: bool) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise errors.batch_size_not_positive(batch_size)
        if not isinstance(drop_last, bool):
            raise errors.drop_last_not_bool(drop_last)
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        indices = iter(self.sampler)
        if self.drop_last:
            yield from (list(batch) for batch in zip(*[indices] * self.batch_size))
        else:
            while batch := list(itertools.islice(indices, self.batch_size)):
                yield batch

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
