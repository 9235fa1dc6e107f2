"""Datasets: indexable collections of samples (``torch.utils.data``'s map-style datasets), and streams of
samples (``IterableDataset``)."""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from ... import errors, random
from ...tensor import Tensor

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Dataset(Generic[T_co]):
    """A collection of samples by index: subclasses define ``__getitem__`` (and ``__len__`` for shuffling,
    batching and ``len(loader)``). ``a + b`` chains two datasets (``ConcatDataset``).

    A subclass may also define ``__getitems__(indices) -> list of samples``; the DataLoader then fetches a
    whole batch with one call.
    """

    def __getitem__(self, index: Any) -> T_co:
        raise errors.dataset_getitem()

    def __add__(self, other: Dataset[T_co]) -> ConcatDataset[T_co]:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[T_co], Iterable[T_co]):
    """A stream of samples: subclasses define ``__iter__``. A DataLoader takes its samples in order, in batches,
    without a sampler (and refuses ``shuffle``, ``sampler`` and ``batch_sampler``). ``a + b`` chains two
    (``ChainDataset``)."""

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError

    def __add__(self, other: Dataset[T_co]) -> ChainDataset[T_co]:  # type: ignore[override]
        return ChainDataset([self, other])


class ChainDataset(IterableDataset[T_co]):
    """The samples of several IterableDatasets, one stream after the other."""

    def __init__(self, datasets: Iterable[Dataset[T_co]]) -> None:
        self.datasets = datasets

    def __iter__(self) -> Iterator[T_co]:
        for dataset in self.datasets:
            if not isinstance(dataset, IterableDataset):
                raise errors.chain_dataset_only()
            yield from dataset

    def __len__(self) -> int:
        total = 0
        for dataset in self.datasets:
            if not isinstance(dataset, IterableDataset):
                raise errors.chain_dataset_only()
            total += len(dataset)
        return total


class TensorDataset(Dataset[tuple[Tensor, ...]]):
    """Sample i is ``tuple(t[i] for t in tensors)``: tensors that share their first dim (features, labels)."""

    tensors: tuple[Tensor, ...]

    def __init__(self, *tensors: Tensor) -> None:
        if any(tensors[0].size(0) != tensor.size(0) for tensor in tensors):
            raise errors.tensor_dataset_sizes()
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(tensor[index] for tensor in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class StackDataset(Dataset[Any]):
    """Sample i of several datasets of one length together: ``StackDataset(a, b)[i] == (a[i], b[i])``, or,
    given by name, ``StackDataset(x=a, y=b)[i] == {"x": a[i], "y": b[i]}``."""

    datasets: tuple[Dataset[Any], ...] | dict[str, Dataset[Any]]

    def __init__(self, *args: Dataset[Any], **kwargs: Dataset[Any]) -> None:
        if args and kwargs:
            raise errors.stack_dataset_arguments("both")
        if not args and not kwargs:
            raise errors.stack_dataset_arguments("none")
        datasets = list(args or kwargs.values())
        self._length = len(datasets[0])
        if any(self._length != len(dataset) for dataset in datasets):
            raise errors.stack_dataset_arguments("sizes")
        self.datasets = args or kwargs

    def __getitem__(self, index: Any) -> tuple[Any, ...] | dict[str, Any]:
        if isinstance(self.datasets, dict):
            return {key: dataset[index] for key, dataset in self.datasets.items()}
        return tuple(dataset[index] for dataset in self.datasets)

    def __getitems__(self, indices: list[int]) -> list[tuple[Any, ...]] | list[dict[str, Any]]:
        """One batch: each dataset's samples through its own ``__getitems__`` where it has one."""
        named = self.datasets if isinstance(self.datasets, dict) else dict(enumerate(self.datasets))
        columns = {}
        for key, dataset in named.items():
            if callable(getattr(dataset, "__getitems__", None)):
                columns[key] = dataset.__getitems__(indices)
                if len(columns[key]) != len(indices):
                    raise errors.nested_items_count(len(indices), len(columns[key]))
            else:
                columns[key] = [dataset[index] for index in indices]
        if isinstance(self.datasets, dict):
            return [dict(zip(columns, sample)) for sample in zip(*columns.values())]
        return list(zip(*columns.values()))

    def __len__(self) -> int:
        return self._length


class ConcatDataset(Dataset[T_co]):
    """The samples of several datasets, one after the other (negative indices count from the end)."""

    datasets: list[Dataset[T_co]]
    cumulative_sizes: list[int]

    def __init__(self, datasets: Iterable[Dataset[T_co]]) -> None:
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise errors.concat_dataset_empty()
        if any(isinstance(d, IterableDataset) for d in self.datasets):
            raise errors.concat_iterable()
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: int) -> T_co:
        if idx < 0:
            if -idx > len(self):
                raise errors.concat_dataset_index()
            idx = len(self) + idx
        dataset_idx = bisect.bisect_right(self.cumulative_sizes, idx)
        sample_idx = idx - (self.cumulative_sizes[dataset_idx - 1] if dataset_idx else 0)
        return self.datasets[dataset_idx][sample_idx]


class Subset(Dataset[T_co]):
    """The samples of ``dataset`` at ``indices``, in that order."""

    dataset: Dataset[T_co]
    indices: Sequence[int]

    def __init__(self, dataset: Dataset[T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx: int | list[int]) -> T_co:
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list[int]) -> list[T_co]:
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[idx] for idx in indices])
        return [self.dataset[self.indices[idx]] for idx in indices]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(dataset: Dataset[T], lengths: Sequence[int | float],
                 generator: random.Generator | None = random.default_generator) -> list[Subset[T]]:
    """``dataset`` split into non-overlapping Subsets of the given lengths, by a random permutation.

    ``lengths`` may be fractions summing to 1: each split gets floor(fraction · len(dataset)) samples and
    the remainder is dealt out one by one from the first split. The permutation is ``randperm(len(dataset))``
    from ``generator`` (N − 1 words), as PyTorch draws it.
    """
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        subset_lengths = []
        for i, fraction in enumerate(lengths):
            if fraction < 0 or fraction > 1:
                raise errors.split_fraction(i)
            subset_lengths.append(math.floor(len(dataset) * fraction))
        for i in range(len(dataset) - sum(subset_lengths)):
            subset_lengths[i % len(subset_lengths)] += 1
        lengths = subset_lengths
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn(errors.empty_split_warning(i), stacklevel=2)
    if sum(lengths) != len(dataset):
        raise errors.split_lengths()
    indices = (generator or random.default_generator).permutation(sum(lengths)).tolist()
    return [Subset(dataset, indices[offset - length: offset])
            for offset, length in zip(itertools.accumulate(lengths), lengths)]
