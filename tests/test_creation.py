"""Creation, tensor metadata and global settings against torch: the same values, dtypes and errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import torch

import minigrad

LINSPACE_ENDS = [(0, 1), (-3.7, 11.3), (2, -5), (0.1, 0.7), (-10, 1e3), (5, 5)]
LINSPACE_STEPS = [0, 1, 2, 3, 7, 15, 16, 17, 33, 100, 1001, 40000]
DTYPES = ["float32", "float64", "int64", "int32"]


def assert_same(ours: minigrad.Tensor, theirs: torch.Tensor) -> None:
    """Same dtype, shape and values, bit for bit."""
    expected = theirs.detach().numpy()
    got = ours.detach().numpy()
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert np.array_equal(got, expected, equal_nan=True)
    assert ours.requires_grad == theirs.requires_grad


def same_error(ours: Callable[[], Any], theirs: Callable[[], Any]) -> None:
    """Both raise the same exception type with the same text."""
    with pytest.raises(Exception) as expected:
        theirs()
    with pytest.raises(type(expected.value)) as got:
        ours()
    assert str(got.value) == str(expected.value)


@pytest.fixture
def default_float64() -> Iterator[None]:
    minigrad.set_default_dtype(minigrad.float64)
    torch.set_default_dtype(torch.float64)
    yield
    minigrad.set_default_dtype(minigrad.float32)
    torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ends", LINSPACE_ENDS)
def test_linspace_is_bit_exact(ends: tuple[float, float], dtype: str) -> None:
    for steps in LINSPACE_STEPS:
        assert_same(minigrad.linspace(*ends, steps, dtype=getattr(minigrad, dtype)),
                    torch.linspace(*ends, steps, dtype=getattr(torch, dtype)))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
@pytest.mark.parametrize("base", [10.0, 2.0, 2.718281828459045, 0.5])
def test_logspace_is_bit_exact(base: float, dtype: str) -> None:
    for start, end in LINSPACE_ENDS[:4]:
        for steps in LINSPACE_STEPS[:-1]:
            assert_same(minigrad.logspace(start, end, steps, base, dtype=getattr(minigrad, dtype)),
                        torch.logspace(start, end, steps, base, dtype=getattr(torch, dtype)))


def test_linspace_defaults_and_errors() -> None:
    assert_same(minigrad.linspace(0, 1, 5, requires_grad=True), torch.linspace(0, 1, 5, requires_grad=True))
    assert_same(minigrad.logspace(-1, 1, 3), torch.logspace(-1, 1, 3))
    same_error(lambda: minigrad.linspace(0, 1, -1), lambda: torch.linspace(0, 1, -1))
    same_error(lambda: minigrad.logspace(0, 1, -2), lambda: torch.logspace(0, 1, -2))
    same_error(lambda: minigrad.linspace(0, 1, 3, dtype=minigrad.bool),
               lambda: torch.linspace(0, 1, 3, dtype=torch.bool))


def test_eye() -> None:
    for args in [(0,), (1,), (3,), (2, 4), (4, 2), (3, 0)]:
        assert_same(minigrad.eye(*args), torch.eye(*args))
    assert_same(minigrad.eye(3, dtype=minigrad.int64), torch.eye(3, dtype=torch.int64))
    assert_same(minigrad.eye(2, requires_grad=True), torch.eye(2, requires_grad=True))
    same_error(lambda: minigrad.eye(-1), lambda: torch.eye(-1))
    same_error(lambda: minigrad.eye(2, -3), lambda: torch.eye(2, -3))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_like_factories(dtype: str) -> None:
    x, tx = minigrad.zeros(2, 3, dtype=getattr(minigrad, dtype)), torch.zeros(2, 3, dtype=getattr(torch, dtype))
    assert_same(minigrad.full_like(x, 2.7), torch.full_like(tx, 2.7))
    assert_same(minigrad.full_like(x, 7, dtype=minigrad.float64), torch.full_like(tx, 7, dtype=torch.float64))
    empty, tempty = minigrad.empty_like(x), torch.empty_like(tx)
    assert empty.shape == tuple(tempty.shape) and empty.dtype.name == str(tempty.dtype).split(".")[1]
    assert_same(minigrad.empty_like(x).fill_(3), torch.empty_like(tx).fill_(3))


@pytest.mark.parametrize("seed", [0, 42, 2024])
@pytest.mark.parametrize("shape", [(3,), (4, 5), (100,), (2, 0)])
def test_random_like_factories_draw_torchs_values(shape: tuple[int, ...], seed: int) -> None:
    for dtype in ("float32", "float64"):
        x, tx = minigrad.zeros(shape, dtype=getattr(minigrad, dtype)), torch.zeros(shape, dtype=getattr(torch, dtype))
        minigrad.manual_seed(seed)
        torch.manual_seed(seed)
        assert_same(minigrad.rand_like(x), torch.rand_like(tx))
        assert_same(minigrad.randn_like(x), torch.randn_like(tx))
        assert_same(minigrad.randint_like(x, 10), torch.randint_like(tx, 10))
        assert_same(minigrad.randint_like(x, -3, 5, dtype=minigrad.int64),
                    torch.randint_like(tx, -3, 5, dtype=torch.int64))
        assert_same(minigrad.randn_like(x, requires_grad=True), torch.randn_like(tx, requires_grad=True))


@pytest.mark.filterwarnings("ignore:To copy construct from a tensor")  # torch's advice on new_tensor(tensor)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_new_factories(dtype: str) -> None:
    x, tx = minigrad.zeros(2, dtype=getattr(minigrad, dtype)), torch.zeros(2, dtype=getattr(torch, dtype))
    assert_same(x.new_ones(2, 3), tx.new_ones(2, 3))
    assert_same(x.new_zeros((3,)), tx.new_zeros((3,)))
    assert_same(x.new_full((2, 2), 3.5), tx.new_full((2, 2), 3.5))
    assert_same(x.new_tensor([1, 2.5]), tx.new_tensor([1, 2.5]))
    assert_same(x.new_tensor(minigrad.tensor([4, 5])), tx.new_tensor(torch.tensor([4, 5])))
    assert_same(x.new_ones(2, dtype=minigrad.float64, requires_grad=True),
                tx.new_ones(2, dtype=torch.float64, requires_grad=True))
    assert_same(x.new_empty(2, 3).fill_(1), tx.new_empty(2, 3).fill_(1))


def test_as_tensor_shares_memory_when_it_can() -> None:
    array = np.array([1.0, 2.0])
    shared = minigrad.as_tensor(array)
    array[0] = 5.0
    assert shared[0].item() == 5.0 == torch.as_tensor(array)[0].item()
    assert_same(minigrad.as_tensor(array, dtype=minigrad.float32), torch.as_tensor(array, dtype=torch.float32))
    assert_same(minigrad.as_tensor([1, 2]), torch.as_tensor([1, 2]))
    t = minigrad.ones(2)
    assert minigrad.as_tensor(t) is t
    assert_same(minigrad.as_tensor(t, dtype=minigrad.float64), torch.as_tensor(torch.ones(2), dtype=torch.float64))


def test_predicates_and_metadata() -> None:
    assert minigrad.is_tensor(minigrad.ones(1)) and not minigrad.is_tensor([1.0])
    assert minigrad.is_floating_point(minigrad.ones(1)) and not minigrad.is_floating_point(minigrad.tensor([1]))
    assert minigrad.numel(minigrad.zeros(2, 3)) == torch.numel(torch.zeros(2, 3)) == 6
    for make in (lambda m: m.zeros(4, 5, dtype=m.float64), lambda m: m.zeros(4, 5)[:, 1:],
                 lambda m: m.zeros(4, 5)[1:, 2], lambda m: m.zeros(3, 4).t(), lambda m: m.zeros(1, 3).expand(4, 3)):
        ours, theirs = make(minigrad), make(torch)
        assert ours.stride() == theirs.stride() and ours.stride(-1) == theirs.stride(-1)
        assert ours.storage_offset() == theirs.storage_offset()
        assert ours.element_size() == theirs.element_size()
        assert ours.nelement() == theirs.nelement() and ours.ndimension() == theirs.ndimension()
    x = minigrad.zeros(4, 5)
    assert x[1:].data_ptr() - x.data_ptr() == 5 * 4
    assert isinstance(x.data_ptr(), int)


def test_set_default_dtype(default_float64: None) -> None:
    assert minigrad.get_default_dtype() is minigrad.float64
    for make in (lambda m: m.tensor([1.5, 2.0]), lambda m: m.zeros(2), lambda m: m.ones(2), lambda m: m.rand(2),
                 lambda m: m.linspace(0, 1, 3), lambda m: m.arange(0, 1, 0.5), lambda m: m.full((2,), 1.5),
                 lambda m: m.tensor([1, 2]) * 1.5, lambda m: m.tensor(2.5), lambda m: m.eye(2)):
        ours, theirs = make(minigrad), make(torch)
        assert ours.dtype.name == str(theirs.dtype).split(".")[1]
    assert (minigrad.zeros(2, dtype=minigrad.float32) * 1.5).dtype is minigrad.float32


def test_set_default_dtype_refuses_integers() -> None:
    same_error(lambda: minigrad.set_default_dtype(minigrad.int64), lambda: torch.set_default_dtype(torch.int64))
    assert minigrad.get_default_dtype() is minigrad.float32


def test_inference_mode() -> None:
    w = minigrad.ones(2, requires_grad=True)
    with minigrad.inference_mode():
        assert minigrad.is_inference_mode_enabled() and not minigrad.is_grad_enabled()
        assert not (w * 2).requires_grad
        with minigrad.inference_mode(False):
            assert not minigrad.is_inference_mode_enabled()
    assert minigrad.is_grad_enabled() and not minigrad.is_inference_mode_enabled()
    assert (w * 2).requires_grad

    @minigrad.inference_mode
    def bare() -> bool:
        return minigrad.is_grad_enabled()

    @minigrad.inference_mode()
    def called() -> bool:
        return minigrad.is_inference_mode_enabled()

    assert bare() is False and called() is True and minigrad.is_grad_enabled()


def test_accelerator_and_cuda() -> None:
    assert minigrad.accelerator.is_available() is torch.accelerator.is_available() is False
    assert minigrad.accelerator.current_accelerator() is None is torch.accelerator.current_accelerator()
    same_error(lambda: minigrad.zeros(2).cuda(), lambda: torch.zeros(2).cuda())
    same_error(lambda: minigrad.zeros(2).to("cuda"), lambda: torch.zeros(2).to("cuda"))
    same_error(lambda: minigrad.rand(2, device="cuda"), lambda: torch.rand(2, device="cuda"))
    same_error(lambda: minigrad.linspace(0, 1, 2, device="cuda:0"), lambda: torch.linspace(0, 1, 2, device="cuda:0"))


def test_default_device_and_backends() -> None:
    """What device-choosing programs ask (examples/pytorch_tutorials): set_default_device("cpu") or None is
    accepted, the default device is the CPU, and no GPU backend is there."""
    for fw in (minigrad, torch):
        fw.set_default_device("cpu")
        fw.set_default_device(fw.device("cpu"))
        fw.set_default_device(None)
    assert repr(minigrad.get_default_device()) == repr(torch.get_default_device()) == "device(type='cpu')"
    assert minigrad.zeros(2).device == "cpu"
    same_error(lambda: minigrad.set_default_device("cuda"), lambda: torch.set_default_device("cuda") or torch.zeros(1))
    torch.set_default_device(None)
    for fw in (minigrad, torch):
        assert fw.backends.mps.is_available() is fw.backends.mps.is_built() is False
        cudnn = fw.backends.cudnn
        assert cudnn.is_available() is cudnn.deterministic is cudnn.benchmark is False and cudnn.enabled is True


def test_every_factory_takes_a_device() -> None:
    for make in (lambda m, d: m.zeros(2, device=d), lambda m, d: m.ones(2, device=d),
                 lambda m, d: m.full((2,), 1.0, device=d), lambda m, d: m.tensor([1.0], device=d),
                 lambda m, d: m.arange(3, device=d), lambda m, d: m.zeros_like(m.ones(2), device=d),
                 lambda m, d: m.empty(2, device=d), lambda m, d: m.eye(2, device=d)):
        assert make(minigrad, "cpu").shape == tuple(make(torch, "cpu").shape)
        same_error(lambda make=make: make(minigrad, "cuda"), lambda make=make: make(torch, "cuda"))
