"""``DataLoader``: a dataset's samples in (shuffled) batches, epoch after epoch, as PyTorch's gives them.

Every ``iter(loader)`` (each epoch) draws what PyTorch's single-process loader draws, in the same order:

1. at ``iter()``: the workers' base seed, an int64 ``random_()`` (2 words) from ``generator`` if given, else
   from the default generator; drawn even without shuffling, and unused (minigrad starts no workers);
2. with ``shuffle=True``, at the first ``next()``: the RandomSampler's draws (see ``RandomSampler``): a seed
   from the default generator (2 words) for a private generator that draws randperm(n), or, with
   ``generator``, randperm(n) from it directly; and a trailing randperm(n) once the epoch runs to its end.

So under the same seed a minigrad loop yields the same batches as PyTorch's and leaves the default
generator (and ``generator``) in the same state.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from ... import errors, random
from .collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, _InfiniteConstantSampler

T_co = TypeVar("T_co", covariant=True)


def get_worker_info() -> None:
    """Inside a DataLoader worker process, PyTorch describes the worker; minigrad loads every batch in the main
    process, where PyTorch's answer, and so this one, is None (a dataset's ``__iter__`` then yields all of it)."""
    return None


class DataLoader(Generic[T_co]):
    """Iterates over ``dataset`` in batches of ``batch_size`` samples merged by ``collate_fn``.

    - ``shuffle=True``: a new random order each epoch (``RandomSampler(dataset, generator=generator)``);
      otherwise ``sampler`` (any iterable of indices) or the indices in order.
    - ``batch_sampler``: an iterable of index lists, instead of batch_size/shuffle/sampler/drop_last.
    - ``batch_size=None``: no batching; each sample goes through ``default_convert`` (numpy to tensors).
    - ``drop_last``: drop the last batch when it is short.
    - ``collate_fn``: merges a list of samples; default ``default_collate`` (tensors stacked, numbers made
      tensors, tuples/lists/dicts collated field by field).
    - ``num_workers``: minigrad always loads in the main process. A positive value is accepted, with a
      warning, so PyTorch code runs unchanged: the batches, and the draws the loader itself makes, are
      those of PyTorch's multi-process loader; only random numbers drawn inside ``dataset[i]`` differ (in
      PyTorch each worker draws from its own generator, seeded base_seed + worker id).
    - ``generator``: the generator for the base seed and the shuffling, instead of the default generator.
    - ``pin_memory``: page-locked memory for copies to an accelerator, which minigrad has not: PyTorch's warning at
      each epoch, and batches as without it. ``timeout``, ``worker_init_fn``, ``multiprocessing_context``,
      ``prefetch_factor``, ``persistent_workers``, ``pin_memory_device``, ``in_order``: options of worker processes,
      checked as PyTorch checks them and kept; minigrad starts no workers, so ``worker_init_fn`` is never called
      (PyTorch calls it in each worker, whose random state is not the main process's).
    - An ``IterableDataset`` is read in order, ``batch_size`` samples at a time, until its stream ends (a
      short last batch is dropped with ``drop_last``); it takes no ``shuffle``, ``sampler`` or ``batch_sampler``.

    Argument errors are PyTorch's (types and messages).
    """

    def __init__(self, dataset: Dataset[T_co], batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable | None = None, batch_sampler: Sampler[list] | Iterable[list] | None = None,
                 num_workers: int = 0, collate_fn: Callable[[list[T_co]], Any] | None = None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Callable[[int], None] | None = None, multiprocessing_context: Any = None,
                 generator: random.Generator | None = None, *, prefetch_factor: int | None = None,
                 persistent_workers: bool = False, pin_memory_device: str = "", in_order: bool = True) -> None:
        if num_workers < 0:
            raise errors.negative_num_workers()
        if timeout < 0:
            raise errors.negative_loader_timeout()
        if num_workers == 0 and prefetch_factor is not None:
            raise errors.prefetch_without_workers()
        if prefetch_factor is not None and prefetch_factor < 0:
            raise errors.negative_prefetch_factor()
        if persistent_workers and num_workers == 0:
            raise errors.persistent_without_workers()
        if num_workers > 0:
            warnings.warn(f"minigrad loads data in the main process: num_workers={num_workers} runs as num_workers=0 "
                          "(same batches; random draws inside the dataset come from the default generator, not "
                          "from per-worker generators)", stacklevel=2)
        if isinstance(dataset, IterableDataset):
            if shuffle not in {False, None}:
                raise errors.iterable_loader_option("shuffle", shuffle)
            if sampler is not None:
                raise errors.iterable_loader_option("sampler", sampler)
            if batch_sampler is not None:
                raise errors.iterable_loader_option("batch_sampler", batch_sampler)
            sampler = _InfiniteConstantSampler()
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise errors.sampler_with_shuffle()
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise errors.batch_sampler_exclusive()
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise errors.no_batching_with_drop_last()
        if sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers
        self.generator = generator
        self.pin_memory, self.pin_memory_device, self.timeout = pin_memory, pin_memory_device, timeout
        self.worker_init_fn, self.multiprocessing_context = worker_init_fn, multiprocessing_context
        self.prefetch_factor = 2 if num_workers > 0 and prefetch_factor is None else prefetch_factor
        self.persistent_workers, self.in_order = persistent_workers, in_order
        self.collate_fn = collate_fn or (default_collate if batch_sampler is not None else default_convert)

    @property
    def _index_sampler(self) -> Iterable:
        """What each step takes its indices from: the batch sampler (lists of indices) when batching."""
        return self.batch_sampler if self.batch_sampler is not None else self.sampler

    def __iter__(self) -> _DataLoaderIter:
        """A new epoch: draws the base seed now (see the module docstring) and samples lazily."""
        return _DataLoaderIter(self)

    def __len__(self) -> int:
        """Batches per epoch (samples when not batching): the length of the (batch) sampler, or for an
        IterableDataset, from the dataset's ``len`` (which it may lack)."""
        if isinstance(self.dataset, IterableDataset):
            length = len(self.dataset)
            if self.batch_size is None:
                return length
            return length // self.batch_size if self.drop_last else -(-length // self.batch_size)
        return len(self._index_sampler)


class _DataLoaderIter(Iterator[Any]):
    """One epoch of a DataLoader: PyTorch's ``_SingleProcessDataLoaderIter``."""

    def __init__(self, loader: DataLoader) -> None:
        if loader.pin_memory:
            warnings.warn(errors.pin_memory_without_accelerator_warning(), stacklevel=3)
        self._dataset = loader.dataset
        self._batched = loader.batch_sampler is not None
        self._collate_fn = loader.collate_fn
        self._index_sampler = loader._index_sampler
        self._sampler_iter = iter(self._index_sampler)
        (loader.generator or random.default_generator).random_int64()  # PyTorch's _base_seed, for its workers
        if loader.num_workers == 0 and loader.timeout != 0:  # (PyTorch's single-process loader asserts it, here)
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        self._drop_last = loader.drop_last
        self._stream = iter(self._dataset) if isinstance(self._dataset, IterableDataset) else None
        self._ended = False
        # default_collate stacks the samples of a TensorDataset into each tensor's rows at the batch's indices: taken
        # at once, they are the same tensors (a graph through the samples would differ: not for tensors needing one)
        self._rows_at_once = (self._batched and type(self._dataset) is TensorDataset and self._collate_fn is
                              default_collate and not any(t.requires_grad for t in self._dataset.tensors))

    def __next__(self) -> Any:
        index = next(self._sampler_iter)
        if self._stream is not None:
            return self._collate_fn(self._from_stream(index))
        if not self._batched:
            return self._collate_fn(self._dataset[index])
        if self._rows_at_once and all(type(i) is int for i in index):
            return [tensor[index] for tensor in self._dataset.tensors]
        getitems = getattr(self._dataset, "__getitems__", None)
        samples = getitems(index) if callable(getitems) else [self._dataset[i] for i in index]
        return self._collate_fn(samples)

    def _from_stream(self, index: list[None] | None) -> Any:
        """The next sample of an IterableDataset, or (batching) up to ``len(index)`` of them."""
        if self._ended:
            raise StopIteration
        if not self._batched:
            return next(self._stream)
        samples = list(itertools.islice(self._stream, len(index)))
        self._ended = len(samples) < len(index)
        if not samples or (self._drop_last and self._ended):
            raise StopIteration
        return samples

    def __len__(self) -> int:
        return len(self._index_sampler)
