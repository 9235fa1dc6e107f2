"""The cache of large blocks (``minigrad/kernels/fast/cache.py``): reuse only of memory nothing refers to, fresh version
counters, threads, the limit on free blocks; and large arithmetic (its vectorized loops) against PyTorch."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
from conftest import assert_close

import minigrad
from minigrad.autograd import versions
from minigrad.kernels.fast import cache as memory
from minigrad.kernels.fast import vectorized

N = memory.CACHED_BYTES // 4 + 1  # float32 elements: just over the size the cache serves


def _address(t: minigrad.Tensor) -> int:
    return t.numpy().__array_interface__["data"][0]


def test_a_dropped_large_result_is_reused() -> None:
    x = minigrad.randn(N)
    y = x + x
    first = _address(y)
    del y
    z = x * x
    assert _address(z) == first
    np.testing.assert_array_equal(z.numpy(), x.numpy() * x.numpy())


def test_memory_still_referred_to_is_never_handed_out() -> None:
    """A tensor, a view of it, or the numpy array a user took from it keeps its block."""
    x = minigrad.randn(N)
    y1, y2, y3 = x + 1, x + 2, x + 3
    starts = {_address(y) for y in (y1, y2, y3)}
    kept = [y1[5:9].numpy(), y2.numpy(), y3.numpy()]
    expected = [k.copy() for k in kept]
    del y1, y2, y3
    others = [x * 7 for _ in range(3)]  # made while the others live
    for k, e in zip(kept, expected):
        np.testing.assert_array_equal(k, e)
    assert not starts & {_address(o) for o in others}


def test_reused_memory_starts_a_fresh_version_counter() -> None:
    x = minigrad.randn(N)
    y = x + x
    y.add_(1)
    assert versions.version(y._data) == 1
    first = _address(y)
    del y
    z = x + x
    assert _address(z) == first and versions.version(z._data) == 0


def test_threads_never_share_a_block() -> None:
    """Four threads allocate, fill and check arrays at once; none sees another's values."""
    failures: list[str] = []
    start = threading.Barrier(4)

    def work(k: int) -> None:
        start.wait()
        for _ in range(50):
            arrays = [memory.empty((N,), np.float32) for _ in range(2)]
            for a in arrays:
                a.fill(k)
            if any((a != k).any() for a in arrays):
                failures.append(f"thread {k} found another thread's values")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


def test_free_blocks_beyond_the_limit_are_given_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new block is made after giving back free ones beyond ``MAX_FREE_BYTES`` less its own size."""
    size = memory.CACHED_BYTES
    memory.empty_cache()
    monkeypatch.setattr(memory, "MAX_FREE_BYTES", 4 * size)
    before = memory.cached_bytes()[0]  # blocks other tests' arrays still use
    kept = memory.empty((size,), np.uint8)
    for k in range(1, 9):  # eight sizes, each dropped at once
        memory.empty((size + 4096 * k,), np.uint8)
    last = memory.empty((size,), np.uint8)  # a new block: kept's is in use
    in_use, free = memory.cached_bytes()
    assert in_use - before == kept.nbytes + last.nbytes and 0 < free <= 3 * size
    memory.empty_cache()
    assert memory.cached_bytes() == (in_use, 0)


def test_small_arrays_come_from_numpy() -> None:
    a = memory.empty((N - 2,), np.float32)
    assert a.base is None and a.flags.c_contiguous and a.shape == (N - 2,)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
def test_large_arithmetic_matches_torch_bit_for_bit(op: str, dtype: str, device: str) -> None:
    """The vectorized loops (contiguous operands of at least ``_VECTORIZED_SIZE`` elements, one of them possibly a
    single value, on either side; floats' repeated rows at any size), and the strided loop on a broadcast operand,
    against PyTorch; gradients too. Bit for bit on the CPU (one IEEE operation per element; infinities, NaN, signed
    zeros and a zero divisor among them); on CUDA within conftest's tolerance."""
    rng = np.random.default_rng(3)
    n = vectorized.VECTORIZED_SIZE + 3
    a, b, c = rng.standard_normal((3, n)).astype(dtype)
    a[:5] = [np.inf, -np.inf, np.nan, 0.0, -0.0]
    rows = rng.standard_normal((2, n)).astype(dtype)
    small, bias = rng.standard_normal((32, 27)).astype(dtype), rng.standard_normal(27).astype(dtype)
    results = []
    for fw, kwargs in ((minigrad, {}), (torch, {"device": device})):
        x = fw.tensor(a, requires_grad=True, **kwargs)
        y = fw.tensor(b, requires_grad=True, **kwargs)
        out = getattr(x, op)(y)
        out.backward(fw.tensor(c, **kwargs))
        values = [getattr(x.detach(), op)(fw.tensor(v, **kwargs)) for v in (-1.7, 0.0, -0.0)]
        values += [getattr(fw.tensor(v, dtype=x.dtype, **kwargs), op)(x.detach()) for v in (2.5, 0.0)]
        values += [getattr(x.detach(), op)(0.1), getattr(fw.tensor(small, **kwargs), op)(fw.tensor(bias, **kwargs))]
        results.append([out, getattr(fw.tensor(rows, **kwargs), op)(x), x.grad, y.grad, *values])
    for i, (ours, theirs) in enumerate(zip(*results)):
        if device == "cpu":
            np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy(), err_msg=str(i))
        else:
            assert_close(ours, theirs, str(i))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_large_activation_backward_matches_torch_bit_for_bit(activation: str, dtype: str, device: str) -> None:
    """The activations' gradients in one pass, vectorized on large arrays: sigmoid's (grad * (1 - s)) * s
    (SIGMOID_GRAD), relu's grad where the result is > 0, else 0 (RELU_GRAD; zeros, -0.0 and NaN included)."""
    rng = np.random.default_rng(4)
    x, grad = rng.standard_normal((2, vectorized.VECTORIZED_SIZE + 5)).astype(dtype) * 4
    x[:4] = [0.0, -0.0, np.nan, -np.nan]
    grad[4:6] = [np.nan, -0.0]
    results = []
    for fw, kwargs in ((minigrad, {}), (torch, {"device": device})):
        leaf = fw.tensor(x, requires_grad=True, **kwargs)
        getattr(leaf, activation)().backward(fw.tensor(grad, **kwargs))
        results.append(leaf.grad)
    ours, theirs = results
    if device == "cpu":
        a, b = ours.numpy(), theirs.numpy()
        np.testing.assert_array_equal(a, b)
        assert np.array_equal(np.signbit(a[~np.isnan(a)]), np.signbit(b[~np.isnan(b)]))  # -0.0 where torch has it
    else:
        assert_close(ours, theirs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", ["neg", "abs", "relu"])
def test_large_simple_unary_ops_match_torch_bit_for_bit(op: str, dtype: str, device: str) -> None:
    """neg, abs and relu on large contiguous arrays (their vectorized loops), zeros of both signs, infinities and
    NaN included, and on a transposed view (the strided loop)."""
    x = np.random.default_rng(5).standard_normal((2, vectorized.VECTORIZED_SIZE)).astype(dtype)
    x[0, :5] = [0.0, -0.0, np.inf, -np.inf, np.nan]
    results = []
    for fw, kwargs in ((minigrad, {}), (torch, {"device": device})):
        t = fw.tensor(x, **kwargs)
        results.append([getattr(t, op)(), getattr(t.t(), op)()])
    for ours, theirs in zip(*results):
        if device == "cpu":
            a, b = ours.numpy(), theirs.numpy()
            np.testing.assert_array_equal(a, b)
            assert np.array_equal(np.signbit(a[~np.isnan(a)]), np.signbit(b[~np.isnan(b)]))
        else:
            assert_close(ours, theirs)
