"""minigrad.random against torch's CPU generator: the same seeds give the same values and states, bit for bit."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

import minigrad.random as mrandom

SEEDS = [0, 777, 42, 2**40 + 5, -1]
SIZES = [1, 3, 15, 16, 17, 31, 32, 100, 1003, 4099, 100003]
DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "int32": torch.int32,
          "uint8": torch.uint8, "bool": torch.bool}


def pair(seed: int) -> tuple[mrandom.Generator, torch.Generator]:
    """A minigrad generator and a torch generator, both seeded with ``seed``."""
    return mrandom.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)


def assert_same(ours: np.ndarray, theirs: torch.Tensor) -> None:
    expected = theirs.numpy()
    assert ours.shape == expected.shape and ours.dtype == expected.dtype
    assert np.array_equal(ours, expected), f"{np.count_nonzero(ours != expected)} of {ours.size} values differ"


def assert_same_state(g: mrandom.Generator, tg: torch.Generator | None = None) -> None:
    """Same position in the stream, same seed, same cached normal: the bytes of get_rng_state agree."""
    expected = (tg.get_state() if tg is not None else torch.get_rng_state()).numpy()
    assert np.array_equal(g.get_state(), expected)


SAMPLERS = {
    "rand": (lambda g, n, dt: g.uniform(n, dtype=dt), lambda tg, n, dt: torch.rand(n, dtype=dt, generator=tg)),
    "randn": (lambda g, n, dt: g.normal(n, dtype=dt), lambda tg, n, dt: torch.randn(n, dtype=dt, generator=tg)),
    "uniform_": (lambda g, n, dt: g.uniform(n, -0.3, 2.7, dt),
                 lambda tg, n, dt: torch.empty(n, dtype=dt).uniform_(-0.3, 2.7, generator=tg)),
    "normal_": (lambda g, n, dt: g.normal(n, 2.5, 0.3, dt),
                lambda tg, n, dt: torch.empty(n, dtype=dt).normal_(2.5, 0.3, generator=tg)),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("sampler", sorted(SAMPLERS))
def test_float_samplers_match_torch(sampler: str, n: int, seed: int, dtype: str) -> None:
    ours, theirs = SAMPLERS[sampler]
    g, tg = pair(seed)
    assert_same(ours(g, n, dtype), theirs(tg, n, DTYPES[dtype]))
    assert_same(ours(g, n, dtype), theirs(tg, n, DTYPES[dtype]))  # a second call, from where the first left off
    assert_same_state(g, tg)


@pytest.mark.parametrize("seed", SEEDS)
def test_raw_stream_and_seeds(seed: int) -> None:
    g, tg = pair(seed)
    assert g.initial_seed() == tg.initial_seed() == seed % 2**64
    assert_same_state(g, tg)  # a fresh seed: torch's engine reports next = 0, not 624
    assert_same(g.random_int64(1000), torch.empty(1000, dtype=torch.int64).random_(generator=tg))
    assert_same_state(g, tg)
    assert g.random64(3).dtype == np.uint64


def test_state_after_exactly_one_block() -> None:
    g, tg = pair(5)
    assert_same(g.uniform(624), torch.rand(624, generator=tg))  # the engine's position is now 624, not fresh
    assert_same_state(g, tg)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_normal_cache(dtype: str) -> None:
    g, tg = pair(3)
    six = g.normal(6, dtype=dtype)
    g.manual_seed(3)
    assert np.array_equal(np.concatenate([g.normal(3, dtype=dtype), g.normal(3, dtype=dtype)]), six)
    g.manual_seed(3)
    assert_same(g.normal(3, dtype=dtype), torch.randn(3, dtype=DTYPES[dtype], generator=tg))  # caches a value
    assert_same_state(g, tg)
    g.manual_seed(3)  # manual_seed drops the cached value
    tg.manual_seed(3)
    assert_same_state(g, tg)
    assert_same(g.normal(1, dtype=dtype), torch.randn(1, dtype=DTYPES[dtype], generator=tg))
    # The block samplers (contiguous, 16+ values) neither read nor clear the cache.
    for n, dt in [(16, "float32"), (1, dtype), (20, "float64"), (1, dtype), (5, dtype), (17, "float32"), (2, dtype)]:
        assert_same(g.normal(n, 2.5, 0.3, dt), torch.empty(n, dtype=DTYPES[dt]).normal_(2.5, 0.3, generator=tg))
        assert_same_state(g, tg)


RANDINT_CASES = [
    (0, 10, "int64"), (-5, 5, "int64"), (0, 2**28 - 1, "int64"), (-3, 2**28 - 3, "int64"), (0, 2**32, "int64"),
    (-(2**62), 2**62, "int64"), (-(2**63), 2**63 - 1, "int64"), (5, 6, "int64"), (-7, 300, "int32"),
    (0, 256, "uint8"), (0, 2, "bool"), (-100, 100, "float32"), (0, 2**24, "float32"), (0, 2**53, "float64"),
]


@pytest.mark.parametrize("low,high,dtype", RANDINT_CASES)
def test_randint_matches_torch(low: int, high: int, dtype: str) -> None:
    g, tg = pair(777)
    for shape in [(1000,), (3, 4), (0,)]:
        assert_same(g.integers(low, high, shape, dtype),
                    torch.randint(low, high, shape, dtype=DTYPES[dtype], generator=tg))
    assert_same_state(g, tg)


def test_randint_float_bounds_move_and_warn() -> None:
    """Float dtypes: the bounds move to integers the dtype holds (update_from/update_to), with torch's warnings."""
    g, tg = pair(1)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        expected = torch.randint(2**25 + 1, 2**25 + 50, (40,), dtype=torch.float32, generator=tg)
    with pytest.warns(UserWarning) as ours:
        assert_same(g.integers(2**25 + 1, 2**25 + 50, (40,), np.float32), expected)
    assert [str(w.message) for w in ours] == [str(w.message).split(" (Triggered internally")[0] for w in theirs]
    assert len(ours) == 2
    assert_same_state(g, tg)


@pytest.mark.parametrize("n", [0, 1, 2, 10, 1000, 60000])
def test_randperm_matches_torch(n: int) -> None:
    g, tg = pair(42)
    assert_same(g.permutation(n), torch.randperm(n, generator=tg))
    assert_same(g.permutation(n), torch.randperm(n, generator=tg))
    assert_same_state(g, tg)


@pytest.mark.parametrize("n,dtype", [(1000, "int32"), (1000, "float32"), (50, "float64"), (256, "uint8")])
def test_randperm_dtypes(n: int, dtype: str) -> None:
    g, tg = pair(7)
    assert_same(g.permutation(n, dtype), torch.randperm(n, dtype=DTYPES[dtype], generator=tg))


def test_interleaved_draws_on_the_default_generator() -> None:
    mrandom.manual_seed(2024)
    torch.manual_seed(2024)
    g = mrandom.default_generator
    assert_same(g.uniform(5), torch.rand(5))
    assert_same(g.integers(-3, 9, (2, 3)), torch.randint(-3, 9, (2, 3)))
    assert_same(g.normal(20), torch.randn(20))
    assert_same(g.uniform(3), torch.rand(3))
    assert_same(g.normal(3, dtype=np.float64), torch.randn(3, dtype=torch.float64))  # leaves a cached value
    assert_same(g.permutation(7), torch.randperm(7))
    assert_same(g.integers(0, 2**40, (3,)), torch.randint(0, 2**40, (3,)))
    assert_same(g.normal((2, 9)), torch.randn(2, 9))  # blocks: the cache stays
    assert_same(g.normal(1), torch.randn(1))  # takes the cached value
    assert_same(g.random_int64(), torch.empty((), dtype=torch.int64).random_())
    assert_same(g.uniform((4, 5), -2.0, 0.5, np.float64), torch.empty(4, 5, dtype=torch.float64).uniform_(-2.0, 0.5))
    assert_same_state(g)
    assert mrandom.initial_seed() == torch.initial_seed() == 2024


@pytest.mark.parametrize("seed", [777, 0, 42])
@pytest.mark.parametrize("fan_in,fan_out", [(1, 1), (2, 1), (1, 2), (4, 3), (784, 256)])
def test_linear_init(fan_in: int, fan_out: int, seed: int) -> None:
    """nn.Linear's kaiming_uniform_(a=√5) weight, then its bias, from one generator."""
    torch.manual_seed(seed)
    layer = torch.nn.Linear(fan_in, fan_out)
    g = mrandom.Generator().manual_seed(seed)
    a = math.sqrt(5)
    weight_bound = math.sqrt(3) * (math.sqrt(2 / (1 + a * a)) / math.sqrt(fan_in))
    bias_bound = 1 / math.sqrt(fan_in)
    weight = g.uniform((fan_out, fan_in), -weight_bound, weight_bound)
    bias = g.uniform(fan_out, -bias_bound, bias_bound)
    assert_same(weight, layer.weight.detach())
    assert_same(bias, layer.bias.detach())
    if (seed, fan_in, fan_out) == (777, 1, 1):
        assert (round(float(weight[0, 0]), 4), round(float(bias[0]), 4)) == (-0.8362, -0.0177)


def permute(x: np.ndarray | torch.Tensor, *axes: int) -> np.ndarray | torch.Tensor:
    return x.permute(*axes) if isinstance(x, torch.Tensor) else x.transpose(axes)


# Views (the same for a numpy array and a torch tensor) of a zero-filled base of the given shape.
LAYOUTS = {
    "contiguous": ((5, 7), lambda x: x),
    "small": ((2, 3), lambda x: x),
    "transposed": ((4, 6), lambda x: permute(x, 1, 0)),
    "transposed-small": ((3, 2), lambda x: permute(x, 1, 0)),
    "permuted": ((2, 3, 4), lambda x: permute(x, 2, 0, 1)),
    "strided": ((5, 8), lambda x: x[:, ::2]),
    "column": ((20, 3), lambda x: x[:, 1]),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_fill_in_place_in_memory_order(layout: str, dtype: str) -> None:
    """uniform_ and normal_ write a view in memory order; normal_ takes the scalar sampler unless contiguous."""
    shape, view = LAYOUTS[layout]
    g, tg = pair(11)
    base, tensor_base = np.zeros(shape, dtype), torch.zeros(shape, dtype=DTYPES[dtype])
    array, tensor = view(base), view(tensor_base)
    assert array.strides == tuple(s * array.itemsize for s in tensor.stride())
    assert mrandom.fill_uniform_(array, -1.0, 4.0, generator=g) is array
    tensor.uniform_(-1.0, 4.0, generator=tg)
    assert_same(array, tensor)
    mrandom.fill_normal_(array, 2.5, 0.3, generator=g)
    tensor.normal_(2.5, 0.3, generator=tg)
    assert_same(array, tensor)
    assert_same(base, tensor_base)  # and the rest of the base is untouched
    assert_same_state(g, tg)


def test_fill_follows_negative_strides_through_memory() -> None:
    g1, g2 = mrandom.Generator().manual_seed(9), mrandom.Generator().manual_seed(9)
    reversed_view = np.zeros(10, np.float32)[::-1]
    mrandom.fill_uniform_(reversed_view, generator=g1)
    assert np.array_equal(reversed_view[::-1], g2.uniform(10))


def test_non_contiguous_normal_uses_the_scalar_sampler() -> None:
    g, tg = pair(4)
    for dtype in ["float32", "float64", "float32"]:
        column = torch.empty(20, 2, dtype=DTYPES[dtype])[:, 0]
        assert_same(g.normal(20, 1.0, 2.0, dtype, contiguous=False), column.normal_(1.0, 2.0, generator=tg))
        assert_same_state(g, tg)


def test_state_round_trip_and_exchange_with_torch() -> None:
    g = mrandom.Generator().manual_seed(123)
    g.normal(3)  # leaves a cached normal
    g.uniform(700)  # crosses a block of 624 words
    saved = g.get_state()
    assert saved.dtype == np.uint8 and saved.shape == (5056,)
    first = g.normal(5), g.integers(0, 10, (4,)), g.uniform(2, dtype=np.float64)
    assert g.set_state(saved) is g
    again = g.normal(5), g.integers(0, 10, (4,)), g.uniform(2, dtype=np.float64)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))

    tg = torch.Generator().set_state(torch.from_numpy(saved))  # our state in torch
    assert_same(first[0], torch.randn(5, generator=tg))
    other = mrandom.Generator().set_state(tg.get_state())  # torch's state (a tensor: .numpy()) in ours
    assert_same(other.integers(0, 10, (4,)), torch.randint(0, 10, (4,), generator=tg))
    assert_same_state(other, tg)
    assert other.initial_seed() == 123

    mrandom.manual_seed(8)
    module_state = mrandom.get_rng_state()
    mrandom.default_generator.normal(1)
    mrandom.set_rng_state(module_state)
    assert np.array_equal(mrandom.get_rng_state(), module_state)


def test_generators_are_independent() -> None:
    g, tg = mrandom.Generator(), torch.Generator()
    assert g.initial_seed() == tg.initial_seed() == 67280421310721
    assert g.device == "cpu"
    mrandom.manual_seed(5)
    torch.manual_seed(5)
    default = mrandom.default_generator
    assert_same(default.uniform(4), torch.rand(4))
    assert_same(g.normal(3), torch.randn(3, generator=tg))
    assert_same(default.normal(5), torch.randn(5))  # g's cached normal is not the default generator's
    assert_same(g.normal(1), torch.randn(1, generator=tg))
    assert_same(default.permutation(9), torch.randperm(9))
    assert_same_state(g, tg)
    assert_same_state(default)


def test_nondeterministic_seeds() -> None:
    g = mrandom.Generator()
    seeds = {g.seed() for _ in range(3)}
    assert len(seeds) == 3 and all(0 <= s < 2**64 for s in seeds)
    assert g.initial_seed() in seeds
    assert mrandom.seed() == mrandom.initial_seed()
    result = subprocess.run([sys.executable, "-c", "import minigrad.random as r; print(r.initial_seed())"],
                            capture_output=True, text=True, check=True)
    assert int(result.stdout) != 67280421310721


def test_seed_values_wrap_like_torch() -> None:
    for seed in [-1, -(2**63), 2**64 - 1, 2**32 + 7]:
        g, tg = pair(seed)
        assert g.initial_seed() == tg.initial_seed()
        assert_same_state(g, tg)
    assert mrandom.manual_seed(1.5).initial_seed() == torch.manual_seed(1.5).initial_seed() == 1


def torch_error(call: Callable[[], object]) -> BaseException:
    with warnings.catch_warnings(), pytest.raises(Exception) as info:
        warnings.simplefilter("ignore")
        call()
    return info.value


# (ours on a minigrad Generator g, theirs on a torch.Generator tg): both must fail, alike.
BAD_CALLS = {
    "randint-empty-range": (lambda g: g.integers(5, 5, (3,)), lambda tg: torch.randint(5, 5, (3,), generator=tg)),
    "randint-reversed": (lambda g: g.integers(5, 3, (0,)), lambda tg: torch.randint(5, 3, (0,), generator=tg)),
    "randint-high-0": (lambda g: g.integers(0, 0, (3,)), lambda tg: torch.randint(0, (3,), generator=tg)),
    "randint-overflow": (lambda g: g.integers(0, 2**63, (3,)), lambda tg: torch.randint(0, 2**63, (3,), generator=tg)),
    "randint-uint8": (lambda g: g.integers(-3, 5, (3,), np.uint8),
                      lambda tg: torch.randint(-3, 5, (3,), dtype=torch.uint8, generator=tg)),
    "randint-int32": (lambda g: g.integers(0, 2**40, (3,), np.int32),
                      lambda tg: torch.randint(0, 2**40, (3,), dtype=torch.int32, generator=tg)),
    "randint-bool": (lambda g: g.integers(0, 3, (3,), np.bool_),
                     lambda tg: torch.randint(0, 3, (3,), dtype=torch.bool, generator=tg)),
    "randint-shape": (lambda g: g.integers(0, 3, (-1,)), lambda tg: torch.randint(0, 3, (-1,), generator=tg)),
    "randperm-negative": (lambda g: g.permutation(-1), lambda tg: torch.randperm(-1, generator=tg)),
    "randperm-bool": (lambda g: g.permutation(3, np.bool_),
                      lambda tg: torch.randperm(3, dtype=torch.bool, generator=tg)),
    "randperm-uint8": (lambda g: g.permutation(257, np.uint8),
                       lambda tg: torch.randperm(257, dtype=torch.uint8, generator=tg)),
    "randperm-float32": (lambda g: g.permutation(2**24 + 2, np.float32),
                         lambda tg: torch.randperm(2**24 + 2, dtype=torch.float32, generator=tg)),
    "rand-shape": (lambda g: g.uniform((2, -1)), lambda tg: torch.rand(2, -1, generator=tg)),
    "rand-int64": (lambda g: g.uniform(3, dtype=np.int64), lambda tg: torch.rand(3, dtype=torch.int64, generator=tg)),
    "uniform-reversed": (lambda g: g.uniform(3, 2.0, 1.0), lambda tg: torch.empty(3).uniform_(2, 1, generator=tg)),
    "uniform-nan": (lambda g: g.uniform(3, math.nan, 1.0),
                    lambda tg: torch.empty(3).uniform_(math.nan, 1, generator=tg)),
    "uniform-inf": (lambda g: g.uniform(3, 0.0, math.inf),
                    lambda tg: torch.empty(3).uniform_(0, math.inf, generator=tg)),
    "uniform-span32": (lambda g: g.uniform(3, -3e38, 3e38),
                       lambda tg: torch.empty(3).uniform_(-3e38, 3e38, generator=tg)),
    "uniform-span64": (lambda g: g.uniform(3, -1e308, 1e308, np.float64),
                       lambda tg: torch.empty(3, dtype=torch.float64).uniform_(-1e308, 1e308, generator=tg)),
    "normal-std": (lambda g: g.normal(3, 0.0, -1.0), lambda tg: torch.empty(3).normal_(0, -1, generator=tg)),
    "normal-std-nan": (lambda g: g.normal(0, 0.0, math.nan),
                       lambda tg: torch.empty(0).normal_(0, math.nan, generator=tg)),
    "normal-std-small": (lambda g: g.normal(3, 0.0, -0.25), lambda tg: torch.empty(3).normal_(0, -0.25, generator=tg)),
    "randn-int64": (lambda g: g.normal(3, dtype=np.int64), lambda tg: torch.randn(3, dtype=torch.int64, generator=tg)),
    "randn-shape": (lambda g: g.normal(-1), lambda tg: torch.randn(-1, generator=tg)),
    "seed-too-big": (lambda g: g.manual_seed(2**64), lambda tg: tg.manual_seed(2**64)),
    "seed-too-small": (lambda g: g.manual_seed(-(2**63) - 1), lambda tg: tg.manual_seed(-(2**63) - 1)),
    "seed-float": (lambda g: g.manual_seed(1.5), lambda tg: tg.manual_seed(1.5)),
    "state-size": (lambda g: g.set_state(np.zeros(10, np.uint8)),
                   lambda tg: tg.set_state(torch.zeros(10, dtype=torch.uint8))),
    "state-dtype": (lambda g: g.set_state(np.zeros(5056)), lambda tg: tg.set_state(torch.zeros(5056))),
    "state-invalid": (lambda g: g.set_state(np.zeros(5056, np.uint8)),
                      lambda tg: tg.set_state(torch.zeros(5056, dtype=torch.uint8))),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_bad_arguments_raise_torchs_error_before_drawing(case: str) -> None:
    ours, theirs = BAD_CALLS[case]
    g, tg = pair(0)
    g.normal(1)  # a cached normal, which must survive too
    expected = torch_error(lambda: theirs(tg))
    before = g.get_state()
    with pytest.raises(type(expected)) as info:
        ours(g)
    assert str(info.value) == str(expected)
    assert np.array_equal(g.get_state(), before)


def test_normal_of_no_values_skips_the_dtype_check() -> None:
    assert mrandom.Generator().normal(0, dtype=np.int64).dtype == np.int64  # as torch.randn(0, dtype=torch.int64)


def test_kernels_run_bit_exact_without_the_jit() -> None:
    """NUMBA_DISABLE_JIT=1: the kernels run as plain Python (fma's exact fallback) and still match torch."""
    code = (
        "import numpy as np, torch, minigrad.random as mr\n"
        "for n in (3, 17):\n"
        "    for dt in ('float32', 'float64'):\n"
        "        g = mr.Generator().manual_seed(777); torch.manual_seed(777); t = getattr(torch, dt)\n"
        "        pairs = [(g.uniform(n, -1, 3, dt), torch.empty(n, dtype=t).uniform_(-1, 3)),\n"
        "                 (g.normal(n, 2.5, 0.3, dt), torch.empty(n, dtype=t).normal_(2.5, 0.3)),\n"
        "                 (g.normal(n, dtype=dt), torch.randn(n, dtype=t)),\n"
        "                 (g.integers(-5, 2**40, (n,)), torch.randint(-5, 2**40, (n,))),\n"
        "                 (g.permutation(n), torch.randperm(n))]\n"
        "        assert all(np.array_equal(a, b.numpy()) for a, b in pairs), (n, dt)\n"
        "        assert np.array_equal(g.get_state(), torch.get_rng_state().numpy())\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                            capture_output=True, text=True, timeout=300, env={**os.environ, "NUMBA_DISABLE_JIT": "1"})
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]


# ----- samplers beyond uniform and normal: the same draws as torch's, and torch's errors -----------------------
import minigrad  # noqa: E402

SAMPLER_SHAPES = [(1,), (7,), (16,), (33,), (4, 5)]


def _both(make: Callable[[object], object], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``make(minigrad)`` and ``make(torch)`` after the same manual_seed, as arrays; the streams end level."""
    minigrad.manual_seed(seed)
    torch.manual_seed(seed)
    ours, theirs = make(minigrad), make(torch)
    assert np.array_equal(minigrad.get_rng_state().numpy(), torch.get_rng_state().numpy())
    return ours.numpy(), theirs.numpy()


def _assert_same_draws(make: Callable[[object], object], seed: int) -> None:
    ours, theirs = _both(make, seed)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    assert np.array_equal(ours, theirs, equal_nan=True), f"{np.count_nonzero(ours != theirs)} values differ"


@pytest.mark.parametrize("seed", [0, 42, 2**40 + 5])
@pytest.mark.parametrize("shape", SAMPLER_SHAPES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_in_place_samplers_match_torch(dtype: str, shape: tuple[int, ...], seed: int) -> None:
    for fill in (lambda t: t.exponential_(), lambda t: t.exponential_(2.5), lambda t: t.geometric_(0.3),
                 lambda t: t.cauchy_(), lambda t: t.cauchy_(1.5, 0.5), lambda t: t.log_normal_(),
                 lambda t: t.log_normal_(0.1, 0.5), lambda t: t.random_(), lambda t: t.random_(10),
                 lambda t: t.random_(-5, 20), lambda t: t.bernoulli_(), lambda t: t.bernoulli_(0.2)):
        _assert_same_draws(lambda m, fill=fill: fill(m.empty(shape, dtype=getattr(m, dtype))), seed)
    _assert_same_draws(lambda m: m.empty(shape, dtype=getattr(m, dtype)).t().log_normal_()
                       if len(shape) == 2 else m.empty(shape).random_(3), seed)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8", "bool"])
def test_random_and_geometric_on_integer_tensors(dtype: str) -> None:
    for fill in (lambda t: t.random_(), lambda t: t.random_(2), lambda t: t.bernoulli_(0.7)):
        _assert_same_draws(lambda m, fill=fill: fill(m.empty(50, dtype=getattr(m, dtype))), 3)
    if dtype != "bool":
        _assert_same_draws(lambda m: m.empty(50, dtype=getattr(m, dtype)).geometric_(0.4), 3)


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bernoulli_with_probability_tensors(dtype: str, seed: int) -> None:
    probs = np.random.RandomState(seed).rand(5, 7)

    def p(m: object) -> object:
        return m.tensor(probs, dtype=getattr(m, dtype))

    _assert_same_draws(lambda m: m.bernoulli(p(m)), seed)
    _assert_same_draws(lambda m: m.bernoulli(p(m), 0.25), seed)
    _assert_same_draws(lambda m: m.bernoulli(p(m).t()), seed)
    _assert_same_draws(lambda m: m.zeros(5, 7).bernoulli_(p(m)[0]), seed)


@pytest.mark.parametrize("seed", [0, 42])
@pytest.mark.parametrize("shape", [(3,), (20,), (4, 5)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_normal_in_its_four_forms(dtype: str, shape: tuple[int, ...], seed: int) -> None:
    values = np.random.RandomState(seed).rand(*shape)

    def t(m: object, scale: float = 1.0) -> object:
        return m.tensor(values * scale, dtype=getattr(m, dtype))

    _assert_same_draws(lambda m: m.normal(2.0, 3.0, shape, dtype=getattr(m, dtype)), seed)
    _assert_same_draws(lambda m: m.normal(2.0, 3.0, size=shape), seed)
    _assert_same_draws(lambda m: m.normal(t(m)), seed)
    _assert_same_draws(lambda m: m.normal(t(m), 0.5), seed)
    _assert_same_draws(lambda m: m.normal(1.5, t(m, 2.0)), seed)
    _assert_same_draws(lambda m: m.normal(t(m), t(m, 3.0)), seed)
    _assert_same_draws(lambda m: m.normal(t(m)[:1], t(m, 3.0)), seed)


@pytest.mark.parametrize("seed", [0, 42, 123])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_multinomial(dtype: str, seed: int) -> None:
    weights = np.random.RandomState(seed).rand(4, 9)
    weights[1, 3] = 0.0

    def w(m: object) -> object:
        return m.tensor(weights, dtype=getattr(m, dtype))

    for n, replacement in ((1, False), (1, True), (5, False), (9, False), (5, True), (40, True)):
        _assert_same_draws(lambda m, n=n, r=replacement: m.multinomial(w(m), n, r), seed)
        _assert_same_draws(lambda m, n=n, r=replacement: m.multinomial(w(m)[2], n, r), seed)


@pytest.mark.parametrize("seed", [0, 42])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_poisson(dtype: str, seed: int) -> None:
    rates = np.array([0.0, 0.1, 1.0, 3.5, 9.99, 10.0, 12.5, 100.0, 1e4, 2.0, 0.0, 57.0])
    _assert_same_draws(lambda m: m.poisson(m.tensor(rates, dtype=getattr(m, dtype))), seed)
    _assert_same_draws(lambda m: m.poisson(m.tensor(np.full((30, 20), 4.0), dtype=getattr(m, dtype))), seed)


def _same_error(make: Callable[[object], object]) -> None:
    with pytest.raises(Exception) as expected:
        make(torch)
    state = minigrad.get_rng_state().numpy()
    with pytest.raises(type(expected.value)) as got:
        make(minigrad)
    assert str(got.value) == str(expected.value)
    assert np.array_equal(minigrad.get_rng_state().numpy(), state)


@pytest.mark.parametrize("make", [
    lambda m: m.zeros(3).exponential_(0), lambda m: m.zeros(3).exponential_(-1.5),
    lambda m: m.zeros(3, dtype=m.int64).exponential_(), lambda m: m.zeros(3).geometric_(1.5),
    lambda m: m.zeros(3).geometric_(0), lambda m: m.zeros(3).log_normal_(0, 0),
    lambda m: m.zeros(3, dtype=m.int64).log_normal_(), lambda m: m.zeros(3).cauchy_(0, -1),
    lambda m: m.zeros(3, dtype=m.int64).cauchy_(), lambda m: m.zeros(3).bernoulli_(1.5),
    lambda m: m.bernoulli(m.tensor([0.5, 1.5])), lambda m: m.bernoulli(m.tensor([1, 0])),
    lambda m: m.zeros(3).random_(5, 2), lambda m: m.multinomial(m.tensor([-0.1, 0.5]), 1),
    lambda m: m.multinomial(m.tensor([0.0, 0.0]), 1), lambda m: m.multinomial(m.tensor([0.0, 0.0]), 2, True),
    lambda m: m.multinomial(m.tensor([1.0, 0.0]), 3), lambda m: m.multinomial(m.tensor([1.0, 0.0]), 0),
    lambda m: m.multinomial(m.tensor([-1.0, 2.0]), 2, True),
    lambda m: m.multinomial(m.tensor([float("inf"), 2.0]), 2, True), lambda m: m.multinomial(m.tensor(1.0), 2),
    lambda m: m.multinomial(m.tensor([1, 2]), 2, True), lambda m: m.poisson(m.tensor([-1.0])),
    lambda m: m.poisson(m.tensor([1])), lambda m: m.normal(m.zeros(2), m.tensor([-1.0, 1.0])),
    lambda m: m.normal(0.0, m.tensor([-1.0, 1.0])), lambda m: m.normal(m.zeros(2), -1.0),
    lambda m: m.normal(m.zeros(2), m.ones(3)),
])
def test_sampler_errors_are_torchs(make: Callable[[object], object]) -> None:
    _same_error(make)
