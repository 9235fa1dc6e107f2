"""Large kernels on several threads (``minigrad.set_num_threads``): the same bits at any thread count, PyTorch's
API and errors, safe from several Python threads at once and after ``fork``, and one thread while a step is traced.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import threading
from collections.abc import Iterator

import numpy as np
import pytest
import torch

import minigrad
from minigrad.compile.trace import Tracer
from minigrad.kernels.fast import threads

LARGE = 3 * threads.PIECE + 37  # three pieces and a tail that is not a whole SLEEF block


@pytest.fixture(autouse=True)
def restore_threads() -> Iterator[None]:
    count = minigrad.get_num_threads()
    yield
    minigrad.set_num_threads(count)


def _data(dtype: str, size: int = LARGE) -> np.ndarray:
    return (np.random.default_rng(size).standard_normal(size) * 8).astype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", ["sigmoid", "exp", "tanh", "log"])
def test_a_large_op_gives_the_same_bits_on_any_number_of_threads(op: str, dtype: str) -> None:
    x = minigrad.tensor(np.abs(_data(dtype)) if op == "log" else _data(dtype))
    results = []
    for count in (1, 2, 3, 4):
        minigrad.set_num_threads(count)
        results.append(getattr(x, op)().numpy())
    for result in results[1:]:
        np.testing.assert_array_equal(result, results[0])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(LARGE,), (1571, 1000), (224_699, 7)])
def test_large_arithmetic_and_its_backward_give_numpys_and_pytorchs_bits_on_any_number_of_threads(
        shape: tuple[int, ...], dtype: str) -> None:
    """Pieces of add, sub, mul, div, relu and the sigmoid and relu gradients cut a broadcast row only at its ends
    (a prime count of rows: an even split into 2, 3 or 4 pieces would cut rows)."""
    columns = None if len(shape) == 1 else shape[1]  # None: operands of one shape; else a bias row, broadcast
    x_data, w_data = _data(dtype)[:math.prod(shape)].reshape(shape), np.roll(_data(dtype), 1)
    w_data = w_data[:math.prod(shape)].reshape(shape) if columns is None else w_data[:columns]
    expected_forward = [x_data + w_data, x_data - w_data, x_data * w_data, x_data / w_data, np.maximum(x_data, 0)]
    runs = []
    for count in (1, 2, 3, 4):
        minigrad.set_num_threads(count)
        x, w = minigrad.tensor(x_data, requires_grad=True), minigrad.tensor(w_data, requires_grad=True)
        forward = [x + w, x - w, x * w, x / w, x.relu()]
        for result, want in zip(forward, expected_forward):
            np.testing.assert_array_equal(result.detach().numpy(), want)
        ((x * w).sigmoid() * x.relu()).sum().backward()
        runs.append((x.grad.numpy(), w.grad.numpy()))
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        x, w = (torch.tensor(data, requires_grad=True) for data in (x_data, w_data))
        ((x * w).sigmoid() * x.relu()).sum().backward()
    finally:
        torch.set_num_threads(before)
    for grads in runs:
        for grad, expected in zip(grads, (x.grad.numpy(), w.grad.numpy())):
            np.testing.assert_array_equal(grad, expected)


@pytest.mark.parametrize("optimizer,settings", [("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
                                                ("SGD", {"lr": 0.1, "weight_decay": 0.01}),
                                                ("Adam", {"lr": 0.01, "amsgrad": True}), ("AdamW", {"lr": 0.01}),
                                                ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True}),
                                                ("Adagrad", {"lr": 0.1}), ("Adadelta", {}), ("NAdam", {})])
def test_a_large_optimizer_step_gives_the_same_bits_on_any_number_of_threads(optimizer: str,
                                                                            settings: dict) -> None:
    results = []
    for count in (1, 2, 3):
        minigrad.set_num_threads(count)
        param = minigrad.nn.Parameter(minigrad.tensor(_data("float32")))
        step = getattr(minigrad.optim, optimizer)([param], **settings)
        for k in range(2):
            param.grad = minigrad.tensor(np.roll(_data("float32"), k + 1))
            step.step()
        results.append(param.detach().numpy())
    for result in results[1:]:
        np.testing.assert_array_equal(result, results[0])


def test_a_large_sgd_momentum_step_on_two_threads_is_pytorchs_bit_for_bit() -> None:
    minigrad.set_num_threads(2)
    params = [minigrad.nn.Parameter(minigrad.tensor(_data("float32"))),
              torch.nn.Parameter(torch.from_numpy(_data("float32")))]
    steps = [minigrad.optim.SGD(params[:1], lr=0.1, momentum=0.9), torch.optim.SGD(params[1:], lr=0.1, momentum=0.9)]
    for k in range(3):
        params[0].grad = minigrad.tensor(np.roll(_data("float32"), k + 1))
        params[1].grad = torch.from_numpy(np.roll(_data("float32"), k + 1))
        for step in steps:
            step.step()
    np.testing.assert_array_equal(params[0].detach().numpy(), params[1].detach().numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_large_sigmoid_on_two_threads_is_pytorchs_on_one_bit_for_bit(dtype: str) -> None:
    """Pieces start at whole SLEEF blocks, so each is computed as in the one pass PyTorch makes on one thread."""
    x = _data(dtype)
    minigrad.set_num_threads(2)
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        expected = torch.from_numpy(x).sigmoid().numpy()
    finally:
        torch.set_num_threads(before)
    np.testing.assert_array_equal(minigrad.tensor(x).sigmoid().numpy(), expected)


@pytest.mark.parametrize("size,block,count", [(LARGE, 32, 2), (LARGE, 32, 3), (LARGE, 1, 4), (2 * threads.PIECE, 16, 2),
                                              (2 * threads.PIECE - 1, 32, 2), (10, 32, 2)])
def test_pieces_cover_the_range_once_from_whole_blocks(size: int, block: int, count: int) -> None:
    minigrad.set_num_threads(count)
    seen: list[tuple[int, int]] = []
    lock = threading.Lock()

    def task(start: int, stop: int) -> None:
        with lock:
            seen.append((start, stop))

    threads.in_pieces(task, size, block)
    seen.sort()
    assert seen[0][0] == 0 and seen[-1][1] == size
    assert all(a[1] == b[0] for a, b in itertools.pairwise(seen))
    assert all(start % block == 0 for start, _ in seen)
    assert len(seen) == (min(count, size // threads.PIECE) or 1)
    assert len(seen) == 1 or all(stop - start >= threads.PIECE for start, stop in seen[:-1])


def test_an_error_in_a_piece_is_raised_after_every_piece_is_done() -> None:
    minigrad.set_num_threads(3)
    finished = []

    def task(start: int, stop: int) -> None:
        if start == 0:
            raise ValueError("piece 0")
        finished.append(start)

    with pytest.raises(ValueError, match="piece 0"):
        threads.in_pieces(task, LARGE)
    assert len(finished) == 2


def test_set_num_threads_takes_pytorchs_arguments_with_its_errors() -> None:
    for fw in (torch, minigrad):
        before = fw.get_num_threads()
        fw.set_num_threads(1)
        assert fw.get_num_threads() == 1
        fw.set_num_threads(before)
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(RuntimeError) as expected:
            torch.set_num_threads(bad)
        with pytest.raises(RuntimeError) as actual:
            minigrad.set_num_threads(bad)
        assert str(actual.value) == str(expected.value)


def test_omp_num_threads_sets_the_default_as_in_pytorch(monkeypatch: pytest.MonkeyPatch) -> None:
    cpus = threads._default_threads()
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert threads._default_threads() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", str(cpus + 5))  # no more than the CPUs (PyTorch: 2 for 7 on 2 CPUs)
    assert threads._default_threads() == cpus
    monkeypatch.setenv("OMP_NUM_THREADS", "x")
    assert threads._default_threads() == cpus


def test_python_threads_running_large_kernels_at_once_get_their_own_results() -> None:
    minigrad.set_num_threads(2)
    inputs = [minigrad.tensor(_data("float32", LARGE + k)) for k in range(4)]
    expected = [torch.from_numpy(x.numpy()).sigmoid().numpy() for x in inputs]
    results: list[np.ndarray | None] = [None] * 4

    def run(k: int) -> None:
        for _ in range(3):
            results[k] = inputs[k].sigmoid().numpy()

    workers = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    for result, want in zip(results, expected):
        np.testing.assert_array_equal(result, want)


def _sigmoid_sum(x: np.ndarray, queue: multiprocessing.Queue) -> None:
    queue.put(minigrad.tensor(x).sigmoid().numpy().astype(np.float64).sum())


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform")
def test_a_forked_child_runs_large_kernels_on_threads_of_its_own() -> None:
    """The parent's pool threads do not exist in a child made by fork: the child starts its own, and does not hang."""
    minigrad.set_num_threads(2)
    x = _data("float32")
    expected = minigrad.tensor(x).sigmoid().numpy().astype(np.float64).sum()  # the parent's pool now exists
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_sigmoid_sum, args=(x, queue))
    child.start()
    child.join(timeout=120)
    assert child.exitcode == 0
    assert queue.get(timeout=10) == expected


def test_a_step_is_traced_on_one_thread() -> None:
    minigrad.set_num_threads(3)
    with Tracer.recording():
        assert minigrad.get_num_threads() == 1
    assert minigrad.get_num_threads() == 3


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("batch", [1, 20, 48])
def test_an_lstm_step_gives_the_same_bits_on_any_number_of_threads(batch: int, dtype: str) -> None:
    """The LSTM's batch is cut into pieces by its size alone (two threads run one each): outputs, states and every
    gradient are the same at any thread count, for batches below, at and above one piece."""
    rng = np.random.default_rng(batch)
    x = rng.standard_normal((7, batch, 5)).astype(dtype)
    results = []
    for count in (1, 2, 3):
        minigrad.set_num_threads(count)
        minigrad.manual_seed(0)
        lstm = minigrad.nn.LSTM(5, 16, num_layers=2, bidirectional=True).to(getattr(minigrad, dtype))
        inputs = minigrad.tensor(x, requires_grad=True)
        out, (h, c) = lstm(inputs)
        (out.sum() + (h * c).sum()).backward()
        results.append([out, h, c, inputs.grad, *(p.grad for p in lstm.parameters())])
    for result in results[1:]:
        for a, e in zip(result, results[0]):
            np.testing.assert_array_equal(a.detach().numpy(), e.detach().numpy())
