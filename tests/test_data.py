"""minigrad.utils.data against torch.utils.data: the same batches epoch after epoch, the same RNG draws."""

from __future__ import annotations

import itertools
import warnings
from collections import OrderedDict, namedtuple
from types import ModuleType

import numpy as np
import pytest
import torch
import torch.utils.data
from conftest import assert_same_error, assert_same_run, small_products_bit_exact

import minigrad
import minigrad.utils.data

Point = namedtuple("Point", ["x", "y"])


def frameworks() -> tuple[ModuleType, ModuleType]:
    return minigrad, torch


def assert_same_batch(ours, theirs, where: str = "batch") -> None:
    """Same container types all the way down; tensors of the same dtype, shape and values, bit for bit."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, minigrad.Tensor), f"{where}: {type(ours).__name__} is not a tensor"
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1], f"{where}: dtype"
        assert tuple(ours.shape) == tuple(theirs.shape), f"{where}: shape"
        assert np.array_equal(ours.numpy(), theirs.numpy()), f"{where}: values"
        return
    assert type(ours) is type(theirs), f"{where}: {type(ours).__name__} != {type(theirs).__name__}"
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs), f"{where}: keys"
        for key in theirs:
            assert_same_batch(ours[key], theirs[key], f"{where}[{key!r}]")
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs), f"{where}: length"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same_batch(a, b, f"{where}[{i}]")
    else:
        assert ours == theirs, f"{where}: {ours!r} != {theirs!r}"


def assert_same_rng(generator: minigrad.Generator | None = None,
                    torch_generator: torch.Generator | None = None) -> None:
    """The default generators (and the given pair) are at the same position of the same stream."""
    assert np.array_equal(minigrad.random.get_rng_state(), torch.get_rng_state().numpy()), "default generator"
    if generator is not None:
        assert np.array_equal(generator.get_state(), torch_generator.get_state().numpy()), "generator="


def seed_both(seed: int) -> None:
    minigrad.manual_seed(seed)
    torch.manual_seed(seed)


def generators(seed: int | None) -> tuple[minigrad.Generator | None, torch.Generator | None]:
    if seed is None:
        return None, None
    return minigrad.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)


def tensor_dataset(fw: ModuleType, n: int):
    """TensorDataset(x, y) with x = randn(n, 3) (float32) and y = arange(n) (int64), drawn from seed 0."""
    fw.manual_seed(0)
    return fw.utils.data.TensorDataset(fw.randn(n, 3), fw.arange(n))


class MixedDataset:
    """A user dataset whose samples hold every kind default_collate handles."""

    def __init__(self, fw: ModuleType, n: int) -> None:
        self.fw = fw
        self.features = np.arange(n * 2, dtype=np.float32).reshape(n, 2) / 7

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, i: int):
        fw = self.fw
        return (fw.tensor(self.features[i]), float(i) / 3, i, i % 2 == 0, f"s{i}", [i, float(i)],
                {"a": fw.tensor([i, -i]), "b": np.float32(i) / 2, "c": Point(i, np.arange(3) * i)},
                self.features[i].astype(np.float64))


def dict_dataset(fw: ModuleType, n: int):
    """A subclass of the framework's Dataset whose samples are dicts of a tensor and an int."""

    class DictDataset(fw.utils.data.Dataset):
        def __len__(self) -> int:
            return n

        def __getitem__(self, i: int):
            return OrderedDict(x=fw.tensor([[i, 2 * i]]).double(), label=i)

    return DictDataset()


def run_epochs(fw: ModuleType, loader, epochs: int, stop_after: int | None = None) -> list:
    """Every batch of ``epochs`` epochs (leaving the second epoch after ``stop_after`` batches, if given)."""
    batches = []
    for epoch in range(epochs):
        for k, batch in enumerate(loader):
            batches.append(batch)
            if epoch == 1 and stop_after is not None and k + 1 == stop_after:
                break
    return batches


@pytest.mark.parametrize("generator_seed", [None, 3])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("batch_size", [1, 4, 5, 23])
@pytest.mark.parametrize("n", [1, 10, 23, 100])
def test_tensor_dataset_batches_and_rng_equal_torch(n: int, batch_size: int, drop_last: bool, shuffle: bool,
                                                      generator_seed: int | None) -> None:
    """3 epochs: every batch (x and y) bit for bit, len(loader), and both generators' states afterwards."""
    (g, tg), batches = generators(generator_seed), []
    for fw, gen in zip(frameworks(), (g, tg)):
        dataset = tensor_dataset(fw, n)
        fw.manual_seed(7)
        loader = fw.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last,
                                          generator=gen)
        batches.append((len(loader), run_epochs(fw, loader, 3)))
    (length, ours), (torch_length, theirs) = batches
    assert length == torch_length == (n // batch_size if drop_last else -(-n // batch_size))
    assert len(ours) == 3 * length
    assert_same_batch(ours, theirs)
    assert_same_rng(g, tg)


def test_tensor_dataset_samples_taken_one_by_one_where_the_batch_would_show_it() -> None:
    """The rows of a TensorDataset are gathered at once only where stacking its samples gives the same tensors: a
    subclass's ``__getitem__``, a custom ``collate_fn`` and tensors that require grad (a graph through each sample,
    ending in ``StackBackward0``) still see every sample, as in PyTorch."""
    class Doubled(torch.utils.data.TensorDataset):
        def __getitem__(self, i):
            return tuple(2 * t[i] for t in self.tensors)

    class DoubledOurs(minigrad.utils.data.TensorDataset):
        def __getitem__(self, i):
            return tuple(2 * t[i] for t in self.tensors)

    def first_batch(fw: ModuleType, dataset_class: type, requires_grad: bool = False, collate_fn=None):
        fw.manual_seed(0)
        x = fw.randn(10, 3, requires_grad=requires_grad)
        loader = fw.utils.data.DataLoader(dataset_class(x, fw.arange(10)), batch_size=4, shuffle=True,
                                          collate_fn=collate_fn)
        return next(iter(loader))

    assert_same_batch(first_batch(minigrad, DoubledOurs), first_batch(torch, Doubled))
    ours = first_batch(minigrad, minigrad.utils.data.TensorDataset, requires_grad=True)
    theirs = first_batch(torch, torch.utils.data.TensorDataset, requires_grad=True)
    assert ours[0].grad_fn.name() == theirs[0].grad_fn.name() == "StackBackward0"
    assert_same_batch([t.detach() for t in ours], [t.detach() for t in theirs])
    ours, theirs = (first_batch(fw, fw.utils.data.TensorDataset, collate_fn=list) for fw in frameworks())
    assert_same_batch(ours, theirs)


@pytest.mark.parametrize("generator_seed", [None, 3])
@pytest.mark.parametrize("stop_after", [1, 2, 3])
def test_leaving_an_epoch_early_draws_as_torch(stop_after: int, generator_seed: int | None) -> None:
    """A ``break`` skips the trailing randperm (on ``generator=``); the next epochs still match torch's."""
    (g, tg), batches = generators(generator_seed), []
    for fw, gen in zip(frameworks(), (g, tg)):
        dataset = tensor_dataset(fw, 10)
        fw.manual_seed(11)
        loader = fw.utils.data.DataLoader(dataset, batch_size=4, shuffle=True, generator=gen)
        batches.append(run_epochs(fw, loader, 3, stop_after=stop_after))
    assert_same_batch(*batches)
    assert_same_rng(g, tg)


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("batch_size", [1, 3, 4])
def test_user_dataset_of_mixed_samples_collates_as_torch(batch_size: int, shuffle: bool) -> None:
    """Tuples of tensors, floats, ints, bools, strings, lists, dicts, namedtuples, numpy arrays and scalars."""
    batches = []
    for fw in frameworks():
        fw.manual_seed(5)
        loader = fw.utils.data.DataLoader(MixedDataset(fw, 10), batch_size=batch_size, shuffle=shuffle)
        batches.append(run_epochs(fw, loader, 2))
    assert_same_batch(*batches)
    assert_same_rng()


def test_dataset_subclass_with_dict_samples_and_drop_last() -> None:
    batches = []
    for fw in frameworks():
        fw.manual_seed(2)
        loader = fw.utils.data.DataLoader(dict_dataset(fw, 9), batch_size=2, shuffle=True, drop_last=True)
        batches.append(run_epochs(fw, loader, 3))
    assert_same_batch(*batches)
    assert_same_rng()


@pytest.mark.parametrize(
    "samples",
    [
        [1.5, 2.0],  # float64
        [1, 2],  # int64
        [True, False],  # bool
        [1, 2.5],  # the first sample decides (int): torch.tensor([1, 2.5]) is float32
        [np.float32(1.5), np.float32(2)],
        [np.int32(1), np.int32(2)],
        [np.array([1, 2], np.int32), np.array([3, 4], np.int32)],
        [np.zeros((2, 3)), np.ones((2, 3))],
        ["a", "b"],
        [b"a", b"b"],
        [(1, 2.0), (3, 4.0)],
        [[1, 2], [3, 4]],
        [{"x": 1, "y": [1.0]}, {"x": 2, "y": [2.0]}],
        [Point(1, 2.0), Point(3, 4.0)],
    ],
)
def test_default_collate_types_equal_torch(samples: list) -> None:
    assert_same_batch(minigrad.utils.data.default_collate(samples), torch.utils.data.default_collate(samples))


def test_default_collate_stacks_tensors_along_a_new_dim() -> None:
    def batch(fw: ModuleType):
        return fw.utils.data.default_collate([fw.tensor([[1.0, 2.0]]), fw.tensor([[3.0, 4.0]])])

    assert_same_batch(batch(minigrad), batch(torch))
    assert tuple(batch(minigrad).shape) == (2, 1, 2)


@pytest.mark.parametrize("sample", [np.float64(2.5), np.arange(3), (np.arange(2), 1), {"a": np.ones(2)}, "text", 3])
def test_batch_size_none_converts_each_sample_as_torch(sample) -> None:
    """Without batching, each sample goes through default_convert: numpy arrays and scalars become tensors."""
    ours, theirs = (list(fw.utils.data.DataLoader([sample, sample], batch_size=None)) for fw in frameworks())
    assert_same_batch(ours, theirs)


@pytest.mark.parametrize("generator_seed", [None, 4])
@pytest.mark.parametrize("num_samples", [None, 5, 23, 70])
@pytest.mark.parametrize("replacement", [False, True])
def test_random_sampler_options_equal_torch(replacement: bool, num_samples: int | None,
                                            generator_seed: int | None) -> None:
    (g, tg), orders = generators(generator_seed), []
    for fw, gen in zip(frameworks(), (g, tg)):
        fw.manual_seed(9)
        sampler = fw.utils.data.RandomSampler(range(23), replacement, num_samples, gen)
        orders.append([list(sampler) for _ in range(3)] + [len(sampler)])
    assert orders[0] == orders[1]
    assert_same_rng(g, tg)


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.25, 0.25, 0.5], [10, 0]])
def test_random_split_equals_torch(lengths: list) -> None:
    splits = []
    for fw in frameworks():
        fw.manual_seed(1)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            parts = fw.utils.data.random_split(range(10), lengths)
        splits.append(([list(part) for part in parts], [str(w.message) for w in caught]))
    assert splits[0] == splits[1]
    assert_same_rng()


def test_samplers_batch_sampler_subset_and_concat_equal_torch() -> None:
    def run(fw: ModuleType):
        data = fw.utils.data
        fw.manual_seed(3)
        dataset = data.Subset(tensor_dataset(fw, 12), [11, 0, 5, 7, 2]) + tensor_dataset(fw, 4)
        batch_sampler = data.BatchSampler(data.SequentialSampler(dataset), 3, drop_last=False)
        by_batches = list(data.DataLoader(dataset, batch_sampler=batch_sampler))
        by_sampler = list(data.DataLoader(dataset, batch_size=2, sampler=data.RandomSampler(dataset)))
        return by_batches, by_sampler, len(dataset), dataset[-1]

    assert_same_batch(run(minigrad), run(torch))
    assert_same_rng()


def test_workers_run_in_the_main_process_with_a_warning() -> None:
    """num_workers > 0 warns, and gives the batches torch's loader gives (here, torch's in-process one)."""
    fw_batches = []
    for fw in frameworks():
        dataset = tensor_dataset(fw, 10)
        fw.manual_seed(4)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loader = fw.utils.data.DataLoader(dataset, batch_size=3, shuffle=True,
                                              num_workers=2 if fw is minigrad else 0)
        fw_batches.append(run_epochs(fw, loader, 2))
        if fw is minigrad:
            assert [str(w.message).split(":")[0] for w in caught] == ["minigrad loads data in the main process"]
    assert_same_batch(*fw_batches)
    assert_same_rng()


def test_worker_options_are_taken_as_pytorch_takes_them() -> None:
    """A tutorial's loader, ``DataLoader(data, 32, True, num_workers=..., pin_memory=True, persistent_workers=True,
    ...)``: the same batches as PyTorch's, its options kept as its attributes, and PyTorch's warning for
    ``pin_memory`` without an accelerator at each epoch (the option reaches its place positionally too)."""
    found = []
    for fw in frameworks():
        fw.manual_seed(2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loader = fw.utils.data.DataLoader(tensor_dataset(fw, 10), 4, True, None, None, 0, None, True,
                                              worker_init_fn=print, in_order=False)
            batches = run_epochs(fw, loader, 2)
        workers = fw.utils.data.DataLoader(tensor_dataset(fw, 4), num_workers=2, persistent_workers=True)
        found.append((batches, [str(w.message) for w in caught if "pin_memory" in str(w.message)],
                      [loader.pin_memory, loader.timeout, loader.worker_init_fn, loader.prefetch_factor,
                       loader.persistent_workers, loader.in_order, loader.multiprocessing_context,
                       loader.pin_memory_device, workers.prefetch_factor, workers.persistent_workers]))
    (our_batches, *ours), (their_batches, *theirs) = found
    assert_same_batch(our_batches, their_batches)
    assert ours == theirs
    assert_same_rng()


@pytest.mark.parametrize("generator_seed", [None, 1])
@pytest.mark.parametrize("n", [23, 100])
def test_minibatch_training_is_bit_exact_with_torch(n: int, generator_seed: int | None) -> None:
    """Linear(3, 1) + MSE + SGD(lr=0.1), 5 epochs of shuffled batches of 4: the same batches, and every loss and
    the final parameters equal torch's bit for bit where its small products are sequential dots
    (small_products_bit_exact; inner sizes 3 and 4), else to float32 rounding."""
    runs = []
    for fw, gen in zip(frameworks(), generators(generator_seed)):
        fw.manual_seed(0)
        x, y = fw.randn(n, 3), fw.randn(n, 1)
        model = fw.nn.Linear(3, 1)
        optimizer = fw.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = fw.nn.MSELoss()
        loader = fw.utils.data.DataLoader(fw.utils.data.TensorDataset(x, y), batch_size=4, shuffle=True,
                                          generator=gen)
        losses = []
        for _ in range(5):
            for xb, yb in loader:
                optimizer.zero_grad()
                loss = loss_fn(model(xb), yb)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        runs.append((losses, model.weight.detach().numpy().copy(), model.bias.detach().numpy().copy()))
    (losses, weight, bias), (torch_losses, torch_weight, torch_bias) = runs
    assert len(losses) == 5 * -(-n // 4)
    exact = small_products_bit_exact()
    assert_same_run(losses, torch_losses, exact, err_msg="losses")
    assert_same_run(weight, torch_weight, exact, err_msg="weight")
    assert_same_run(bias, torch_bias, exact, err_msg="bias")
    assert_same_rng()


class EmptyDataset:
    def __len__(self) -> int:
        return 0

    def __getitem__(self, i: int):
        raise IndexError(i)


def _pairs(fw: ModuleType, n: int = 5):
    return fw.utils.data.TensorDataset(fw.zeros(n, 2), fw.zeros(n))


@pytest.mark.parametrize(
    "bad",
    [
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), batch_size=0),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), batch_size=-1),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), batch_size=2.5),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), batch_size=True),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), drop_last="yes"),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), shuffle=True, sampler=[0, 1]),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), batch_size=2, batch_sampler=[[0, 1]]),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), drop_last=True, batch_sampler=[[0, 1]]),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), batch_size=None, drop_last=True),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), num_workers=-1),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), timeout=-1),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), prefetch_factor=2),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), num_workers=2, prefetch_factor=-1),
        lambda fw: fw.utils.data.DataLoader(_pairs(fw), persistent_workers=True),
        lambda fw: next(iter(fw.utils.data.DataLoader(_pairs(fw), timeout=5))),
        lambda fw: fw.utils.data.DataLoader(EmptyDataset(), shuffle=True),
        lambda fw: len(fw.utils.data.DataLoader(_pairs(fw), sampler=iter([0]))),
        lambda fw: next(iter(fw.utils.data.DataLoader(_pairs(fw, 0)))),
        lambda fw: fw.utils.data.TensorDataset(fw.zeros(3), fw.zeros(4)),
        lambda fw: fw.utils.data.RandomSampler(range(3), replacement=1),
        lambda fw: fw.utils.data.RandomSampler(range(3), num_samples=0),
        lambda fw: fw.utils.data.RandomSampler(range(3), num_samples=2.5),
        lambda fw: fw.utils.data.default_collate([[1, 2], [3]]),
        lambda fw: fw.utils.data.default_collate([object(), object()]),
        lambda fw: fw.utils.data.default_collate([None, None]),
        lambda fw: fw.utils.data.default_collate([np.array(["a"]), np.array(["b"])]),
        lambda fw: fw.utils.data.default_collate([fw.zeros(2), fw.zeros(3)]),
        lambda fw: fw.utils.data.random_split(range(5), [2, 2]),
        lambda fw: fw.utils.data.random_split(range(5), [1.5, -0.5]),
        lambda fw: fw.utils.data.Dataset()[0],
        lambda fw: fw.utils.data.ConcatDataset([]),
        lambda fw: fw.utils.data.ConcatDataset([range(3)])[-4],
    ],
)
def test_bad_arguments_raise_torch_errors(bad) -> None:
    seed_both(1)
    assert_same_error(bad)
    assert_same_rng()


def test_loader_and_epoch_lengths() -> None:
    for fw in frameworks():
        dataset = _pairs(fw, 10)
        loader = fw.utils.data.DataLoader(dataset, batch_size=4)
        epoch = iter(loader)
        assert (len(loader), len(epoch), len(fw.utils.data.DataLoader(dataset, batch_size=None))) == (3, 3, 10)
        assert len(fw.utils.data.DataLoader(dataset, batch_size=4, drop_last=True)) == 2


def test_shuffle_off_still_draws_the_base_seed_each_epoch() -> None:
    """Each iter() takes 2 words (torch's worker base seed), even unshuffled and without a next()."""
    for fw in frameworks():
        fw.manual_seed(0)
        loader = fw.utils.data.DataLoader(_pairs(fw), batch_size=2)
        for _ in itertools.repeat(None, 3):
            iter(loader)
    assert_same_rng()


# ----- IterableDataset, StackDataset, SubsetRandomSampler -------------------------------------------------------
def counting_stream(fw: ModuleType, n: int, sized: bool = True):
    """An IterableDataset of n samples (a float tensor and an int each), with a len() when ``sized``."""
    class Stream(fw.utils.data.IterableDataset):
        def __iter__(self):
            return iter((fw.full((2,), float(i)), i) for i in range(n))

    if sized:
        Stream.__len__ = lambda self: n
    return Stream()


@pytest.mark.parametrize(("n", "batch_size", "drop_last"),
                         [(10, 3, False), (10, 3, True), (9, 3, True), (0, 2, False), (5, None, False)])
def test_iterable_dataset_batches_equal_torch(n: int, batch_size: int | None, drop_last: bool) -> None:
    """In order, batch_size at a time, the short last one kept or dropped; the base seed drawn each epoch."""
    def run(fw):
        fw.manual_seed(5)
        loader = fw.utils.data.DataLoader(counting_stream(fw, n), batch_size=batch_size, drop_last=drop_last)
        chained = counting_stream(fw, 2) + counting_stream(fw, n)
        worker = fw.utils.data.get_worker_info()  # None: not in a worker process
        return [list(loader) for _ in range(2)], len(loader), list(chained), len(chained), worker

    assert_same_batch(run(minigrad), run(torch))
    assert_same_rng()


@pytest.mark.parametrize("make", [
    lambda fw, stream: fw.utils.data.DataLoader(stream, shuffle=True),
    lambda fw, stream: fw.utils.data.DataLoader(stream, sampler=[0, 1]),
    lambda fw, stream: fw.utils.data.DataLoader(stream, batch_sampler=[[0, 1]]),
    lambda fw, stream: len(fw.utils.data.DataLoader(stream)),
    lambda fw, stream: fw.utils.data.ConcatDataset([stream]),
    lambda fw, stream: list(fw.utils.data.ChainDataset([stream, [1, 2]])),
], ids=["shuffle", "sampler", "batch_sampler", "len-unsized", "concat", "chain-of-a-list"])
def test_iterable_dataset_errors_equal_torch(make) -> None:
    assert_same_error(lambda fw: make(fw, counting_stream(fw, 3, sized=False)))


def test_stack_dataset_equals_torch() -> None:
    """By position (tuples) and by name (dicts), indexed and batched (through each part's __getitems__)."""
    def run(fw):
        data = fw.utils.data
        pairs, labels = tensor_dataset(fw, 7), list(range(10, 17))
        by_position, by_name = data.StackDataset(pairs, labels), data.StackDataset(x=pairs, label=labels)
        batches = [list(data.DataLoader(dataset, batch_size=3)) for dataset in (by_position, by_name)]
        return by_position[2], by_name[-1], len(by_name), batches, by_position.__getitems__([])

    assert_same_batch(run(minigrad), run(torch))


@pytest.mark.parametrize("make", [
    lambda data, fw: data.StackDataset(range(2), x=range(2)),
    lambda data, fw: data.StackDataset(),
    lambda data, fw: data.StackDataset(range(2), range(3)),
    lambda data, fw: data.StackDataset(a=range(2), b=range(3)),
], ids=["both", "none", "sizes", "sizes-by-name"])
def test_stack_dataset_errors_equal_torch(make) -> None:
    assert_same_error(lambda fw: make(fw.utils.data, fw))


@pytest.mark.parametrize("generator_seed", [None, 8])
def test_subset_random_sampler_equals_torch(generator_seed: int | None) -> None:
    """A permutation of the indices per epoch, from the default generator itself (or ``generator``)."""
    (g, tg), orders = generators(generator_seed), []
    for fw, gen in zip(frameworks(), (g, tg)):
        fw.manual_seed(2)
        sampler = fw.utils.data.SubsetRandomSampler([4, 8, 15, 16, 23, 42, 7], gen)
        dataset = tensor_dataset(fw, 50)
        fw.manual_seed(2)
        orders.append([list(sampler) for _ in range(3)] + [len(sampler)]
                      + list(fw.utils.data.DataLoader(dataset, batch_size=3, sampler=sampler)))
    assert_same_batch(orders[0], orders[1])
    assert_same_rng(g, tg)


@pytest.mark.parametrize(("replacement", "num_samples"), [(True, 40), (False, 6), (True, 1)])
@pytest.mark.parametrize("generator_seed", [None, 11])
def test_weighted_random_sampler_equals_torch(replacement: bool, num_samples: int, generator_seed: int | None) -> None:
    """The indices of multinomial(weights) each epoch (weights given as a list or a tensor), and the same draws."""
    (g, tg), orders = generators(generator_seed), []
    for fw, gen in zip(frameworks(), (g, tg)):
        fw.manual_seed(6)
        weights = [0.1, 2.0, 0.0, 1.5, 3, 0.25, 1.0, 0.7]
        by_list = fw.utils.data.WeightedRandomSampler(weights, num_samples, replacement, gen)
        by_tensor = fw.utils.data.WeightedRandomSampler(fw.tensor(weights[:7]), num_samples, replacement, gen)
        orders.append([list(by_list), list(by_tensor), list(by_list), len(by_list)])
    assert orders[0] == orders[1]
    assert_same_rng(g, tg)


@pytest.mark.parametrize("arguments", [([1.0, 2.0], 0), ([1.0, 2.0], True), ([1.0, 2.0], 2, 1),
                                       ([[1.0, 2.0]], 2)], ids=["zero", "bool", "replacement", "2d"])
def test_weighted_random_sampler_errors_equal_torch(arguments: tuple) -> None:
    assert_same_error(lambda fw: fw.utils.data.WeightedRandomSampler(*arguments))
