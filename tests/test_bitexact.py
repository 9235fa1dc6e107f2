"""Float ``sum``/``mean`` and ``sigmoid`` are bit-exact with PyTorch's CPU kernels (one thread).

Sums follow PyTorch's cascade_sum as its TensorIterator walks the input (any layout, any reduced dims);
sigmoid follows its vectorized loop (SLEEF's exp in whole blocks of two vectors, libm's expf/exp elsewhere).
Every comparison is ``np.array_equal`` (NaNs equal), not a tolerance. The float32 tanh, whose PyTorch kernel (MKL's)
cannot be reproduced, is the correctly rounded value, which PyTorch's is for all but a tenth of a percent of floats.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numba
import numpy as np
import pytest
import torch

import minigrad
from minigrad import kernels as K
from minigrad.kernels._scalar import pow2

DTYPES = ["float32", "float64"]
SIZES = [*range(1, 71), 100, 1003, 4099, 32768, 100003]
SHAPES_2D = [(3, 1), (6, 1), (5, 3), (17, 9), (100, 40), (64, 256), (512, 10), (1000, 33), (1, 40), (7, 1000)]
SHAPES_3D = [(2, 3, 4), (7, 5, 9), (4, 33, 17), (10, 1, 20), (3, 40, 2), (31, 7, 64)]


@pytest.fixture(autouse=True, scope="module")
def one_thread() -> Iterator[None]:
    """PyTorch's float sums over more than 32768 elements depend on the thread count."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def data(shape: tuple[int, ...], dtype: str, seed: int = 0, scale: float = 1.0) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(dtype)


def assert_same(actual: np.ndarray, expected: np.ndarray, what: str = "") -> None:
    assert actual.shape == expected.shape and actual.dtype == expected.dtype, what
    same = (actual == expected) | (np.isnan(actual) & np.isnan(expected))
    assert same.all(), f"{what}: {np.count_nonzero(~same)} of {same.size} differ, first at {np.argwhere(~same)[0]}"


def compare(fn: Callable, x: np.ndarray, what: str = "") -> None:
    """fn on a minigrad tensor and on a torch tensor holding ``x``, element for element."""
    assert_same(fn(minigrad.tensor(x)).numpy(), fn(torch.from_numpy(x)).numpy(), what)


def shapes_of(n: int) -> list[tuple[int, ...]]:
    """Contiguous 2-D and 3-D shapes with n elements."""
    a = next((d for d in range(2, int(n**0.5) + 1) if n % d == 0), 1)
    b = next((d for d in range(2, int((n // a) ** 0.5) + 1) if (n // a) % d == 0), 1)
    return [(a, n // a), (n // a, a), (a, b, n // a // b)]


# sum / mean


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_sum_of_all_elements(n: int, dtype: str) -> None:
    x = data((n,), dtype, seed=n)
    compare(lambda t: t.sum(), x, "1-D")
    for shape in shapes_of(n):
        compare(lambda t: t.sum(), x.reshape(shape), str(shape))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES_2D, ids=str)
def test_sum_and_mean_of_a_matrix(shape: tuple[int, int], dtype: str) -> None:
    x = data(shape, dtype, seed=sum(shape))
    for name, fn in {"sum(0)": lambda t: t.sum(0), "sum(1)": lambda t: t.sum(1), "sum((0, 1))": lambda t: t.sum((0, 1)),
                     "mean()": lambda t: t.mean(), "mean(0)": lambda t: t.mean(0), "mean(1)": lambda t: t.mean(1),
                     "sum(1, keepdim)": lambda t: t.sum(1, keepdim=True)}.items():
        compare(fn, x, name)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES_3D, ids=str)
@pytest.mark.parametrize("dim", [0, 1, 2, (0, 2), (0, 1), (1, 2), (2, 0, 1)], ids=str)
def test_sum_and_mean_of_a_3d_tensor(shape: tuple[int, ...], dim: int | tuple[int, ...], dtype: str) -> None:
    x = data(shape, dtype, seed=len(str(dim)))
    compare(lambda t: t.sum(dim), x, "sum")
    compare(lambda t: t.mean(dim), x, "mean")


@pytest.mark.parametrize("dtype", DTYPES)
def test_mean_of_a_big_vector(dtype: str) -> None:
    compare(lambda t: t.mean(), data((1_000_003,), dtype, scale=3.0) + 1)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sum_of_float32_values_is_not_numpys(dtype: str) -> None:
    x = (np.arange(1, 18) / 10).astype(dtype)  # np.sum gives 15.300000190734863 in float32
    compare(lambda t: t.sum(), x)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sums_start_from_positive_zero(dtype: str) -> None:
    for x, fn in [(np.array([-0.0]), lambda t: t.sum()), (np.full((3, 1), -0.0), lambda t: t.sum(1)),
                  (np.full((1, 3), -0.0), lambda t: t.sum(0)), (np.full(40, -0.0), lambda t: t.mean())]:
        actual = fn(minigrad.tensor(x.astype(dtype))).numpy()
        assert_same(actual, fn(torch.from_numpy(x.astype(dtype))).numpy())
        assert not np.signbit(actual).any()


@pytest.mark.parametrize("dtype", DTYPES)
def test_short_sums_add_in_torchs_order(dtype: str) -> None:
    """Fewer elements than a vector (the seed's losses take a short path): values whose sum depends on the order
    of the additions (1e8 absorbs 1 in float32, not 3; in float64 1e17 and 3e17), -0.0 among them."""
    big = 1e8 if dtype == "float32" else 1e17
    values = np.array([big, -big, 3 * big, 1.0, 3.0, 0.5, -0.0, -1.5], dtype)
    rng = np.random.default_rng(0)
    for n in range(1, 17):
        for _ in range(40):
            compare(lambda t: t.sum(), rng.choice(values, n), f"n={n}")


@pytest.mark.parametrize("dtype", DTYPES)
def test_sum_with_inf_nan_and_empty_dims(dtype: str) -> None:
    compare(lambda t: t.sum(), np.array([np.inf, -np.inf, 1.0], dtype))
    compare(lambda t: t.sum(0), np.array([[np.nan, 1.0], *[[1.0, 2.0]] * 20], dtype))
    compare(lambda t: t.sum(1), np.zeros((3, 0), dtype))
    compare(lambda t: t.sum(), np.zeros((0, 4), dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_sum_of_views_walks_them_as_torch_does(dtype: str) -> None:
    x = data((40, 33, 5), dtype)
    views = {"transpose": lambda t: t.transpose(0, 2), "permute": lambda t: t.permute(1, 2, 0),
             "step": lambda t: t[::2], "slice": lambda t: t[:, 1:, :4]}
    for name, view in views.items():
        for dim in [None, 0, 1, 2, (0, 2)]:
            compare(lambda t, view=view, dim=dim: view(t).sum(dim), x, f"{name}.sum({dim})")


@pytest.mark.parametrize("dtype", DTYPES)
def test_sum_kernel_of_broadcast_views(dtype: str) -> None:
    """Zero strides (as in gradients of broadcasts) follow TensorIterator's order too."""
    for base_shape, shape in [((1, 33), (40, 33)), ((40, 1), (40, 33)), ((5, 1, 9), (5, 17, 9))]:
        base = data(base_shape, dtype)
        for axes in [(0,), (1,), tuple(range(len(shape)))]:
            expected = torch.from_numpy(base).expand(shape).sum(axes).numpy()
            assert_same(K.sum(np.broadcast_to(base, shape), axes), expected, f"{shape} {axes}")


def test_integer_sums_are_exact_and_dtype_converts_first() -> None:
    x = np.arange(-50, 52, dtype=np.int64).reshape(3, -1)
    assert_same(K.sum(x, (0, 1)), torch.from_numpy(x).sum().numpy())
    assert_same(K.sum(x > 0, (1,)), (torch.from_numpy(x) > 0).sum(1).numpy())
    y = data((1003,), "float32")
    assert_same(K.sum(y, (0,), np.dtype(np.float64)), torch.from_numpy(y).sum(dtype=torch.float64).numpy())


@pytest.mark.parametrize("dtype", DTYPES)
def test_bias_gradient_is_the_outer_cascade(dtype: str) -> None:
    """Undoing a broadcast (sum_to_shape) sums like torch: the bias gradient of x + b is g.sum(0)."""
    x, b, g = data((64, 40), dtype, 1), data((40,), dtype, 2), data((64, 40), dtype, 3)
    grads = []
    for fw in (minigrad, torch):
        leaf = fw.tensor(b, requires_grad=True)
        (fw.tensor(x) + leaf).backward(fw.tensor(g))
        grads.append(leaf.grad.numpy())
    assert_same(*grads)


# sigmoid


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [*range(1, 70), 1003, 4099])
def test_sigmoid(n: int, dtype: str) -> None:
    compare(lambda t: t.sigmoid(), data((n,), dtype, seed=n, scale=8.0))


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_on_a_grid_with_specials(dtype: str) -> None:
    specials = [np.inf, -np.inf, np.nan, 0.0, -0.0, -104.0, 100.0, 88.72, -88.72, 709.8, -745.2, -1000.0, 1e-30]
    x = np.concatenate([np.linspace(-120, 120, 24001), specials]).astype(dtype)
    compare(lambda t: t.sigmoid(), x)
    compare(lambda t: t.sigmoid(), np.random.default_rng(0).permutation(x))


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_at_the_edges_of_exp_and_on_any_bits(dtype: str) -> None:
    """SLEEF's exp selects 0 below its range and inf above it (exp(-x): x > 104 or x < -100 in float32, x > 1000
    or x < -log(DBL_MAX) in float64; also SLEEF's own 709.7827111495574 cut, which torch's exp does not apply):
    the edges and their neighbours, then 200,000 random bit patterns (subnormals, infinities, NaNs, huge values),
    each in the vector blocks and in the libm tail."""
    edges = [104.0, -100.0, -88.72283] if dtype == "float32" else [1000.0, -709.782712893384, -709.7827111495574]
    edges = np.array(edges, dtype)
    near = np.concatenate([edges, np.nextafter(edges, np.inf), np.nextafter(edges, -np.inf)])
    bits = np.random.default_rng(0).integers(0, 2**63, 200_000, dtype=np.int64)
    anything = (bits.astype(np.uint32).view(np.int32) if dtype == "float32" else bits).view(dtype)
    x = np.concatenate([np.repeat(near, 5), anything])
    compare(lambda t: t.sigmoid(), x)
    compare(lambda t: t.sigmoid(), x[:37])


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_of_views(dtype: str) -> None:
    """Blocks count in the order torch walks a view: memory order, restarting at each contiguous row."""
    x = data((40, 33, 5), dtype, scale=8.0)
    for name, view in {"transpose": lambda t: t.transpose(0, 2), "step": lambda t: t[::2],
                       "slice": lambda t: t[:, 1:, :], "column": lambda t: t[:, 3]}.items():
        compare(lambda t, view=view: view(t).sigmoid(), x, name)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(7,), (33,), (1003,), (17, 9)], ids=str)
def test_sigmoid_backward(shape: tuple[int, ...], dtype: str) -> None:
    x, g = data(shape, dtype, 1, scale=6.0), data(shape, dtype, 2)
    grads = []
    for fw in (minigrad, torch):
        leaf = fw.tensor(x, requires_grad=True)
        leaf.sigmoid().backward(fw.tensor(g))
        grads.append(leaf.grad.numpy())
    assert_same(*grads)


# float32 tanh


def test_float32_tanh_is_correctly_rounded_and_pytorchs_but_for_its_last_bit_in_a_few() -> None:
    """Against tanh in float64 rounded once (numpy's): random bit patterns (subnormals, infinities, NaNs), the edges
    of the Taylor series (0.01) and of 1 (20), small and large arrays (threads), a transposed view. Against PyTorch
    on normal data: at most one ulp apart, in under 0.5% of the elements (about 0.1% differ; libm's tanhf, 20%)."""
    bits = np.random.default_rng(0).integers(0, 2**32, 200_000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    edges = np.array([0.01, 20.0, 0.0, -0.0, 1e-30, 9.0, 8.66], np.float32)
    near = np.concatenate([edges, -edges, np.nextafter(edges, np.float32(np.inf)), np.nextafter(edges, np.float32(0))])
    x = np.concatenate([near, bits])
    with np.errstate(invalid="ignore"):
        rounded = np.tanh(x.astype(np.float64)).astype(np.float32)
    assert_same(minigrad.tensor(x).tanh().numpy(), rounded, "any bits")
    assert_same(minigrad.tensor(x[:37]).tanh().numpy(), rounded[:37], "a few")
    grid = data((300, 700), "float32", scale=3.0)
    assert_same(minigrad.tensor(grid).t().tanh().numpy(), np.tanh(grid.T.astype(np.float64)).astype(np.float32), "view")
    ours, theirs = minigrad.tensor(grid).tanh().numpy(), torch.tanh(torch.from_numpy(grid)).numpy()
    ulps = np.abs(ours.view(np.int32).astype(np.int64) - theirs.view(np.int32))
    assert ulps.max() <= 1 and np.count_nonzero(ulps) < 0.005 * grid.size


@numba.njit
def _fill_powers(ks: np.ndarray, out: np.ndarray) -> None:
    for i in range(ks.size):
        out[i] = pow2(ks[i], out[0])


@pytest.mark.parametrize("dtype, low, high", [("float32", -126, 127), ("float64", -1022, 1023)])
def test_pow2_sets_exponent_bits_exactly(dtype: str, low: int, high: int) -> None:
    """SLEEF's scaling by 2^k in sigmoid's exp (``kernels._scalar.pow2``): compiled, it writes the exponent bits;
    over every normal power of the dtype it equals ``ldexp``, as its pure-Python form does."""
    ks = np.arange(low, high + 1)
    expected = np.array([math.ldexp(1.0, int(k)) for k in ks], dtype)
    out = np.zeros(ks.size, dtype)
    _fill_powers(ks, out)
    assert np.array_equal(out, expected)
    assert all(pow2(k, out[0]) == e for k, e in zip(ks, expected))


def _run_with_capability(code: str, capability: str) -> None:
    """Run ``code`` in a fresh process whose torch and minigrad both take ``ATEN_CPU_CAPABILITY=capability``."""
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "ATEN_CPU_CAPABILITY": capability})
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("capability", ["avx2", "default"])
def test_softmax_rows_follow_aten_cpu_capability(capability: str) -> None:
    """softmax and log_softmax along rows, bit for bit, with AVX2's vectors and with the build without vectors (libm's
    exp and log): short rows in blocks, a partial last block, rows longer than a block."""
    code = (
        "import numpy as np, torch, minigrad\n"
        "torch.set_num_threads(1)\n"
        "rng = np.random.default_rng(0)\n"
        "for shape in [(512, 10), (300, 7), (2, 3000), (3, 17)]:\n"
        "    for dtype in (np.float32, np.float64):\n"
        "        x = (rng.standard_normal(shape) * 4).astype(dtype)\n"
        "        for name in ('softmax', 'log_softmax'):\n"
        "            a = getattr(minigrad.nn.functional, name)(minigrad.tensor(x), 1).numpy()\n"
        "            b = getattr(torch.nn.functional, name)(torch.from_numpy(x), 1).numpy()\n"
        "            assert np.array_equal(a.view(np.uint8), b.view(np.uint8)), (name, shape, dtype)\n"
    )
    _run_with_capability(code, capability)


def test_sigmoid_follows_aten_cpu_capability() -> None:
    """The block of SLEEF lanes is two vectors of the capability torch runs (AVX2 here, whatever the host)."""
    code = (
        "import numpy as np, torch, minigrad\n"
        "x = (np.random.default_rng(0).standard_normal(1003) * 8).astype(np.float32)\n"
        "for y in (x, x.astype(np.float64)):\n"
        "    a, b = minigrad.tensor(y).sigmoid().numpy(), torch.from_numpy(y).sigmoid().numpy()\n"
        "    assert np.array_equal(a, b), np.count_nonzero(a != b)\n"
    )
    _run_with_capability(code, "avx2")
