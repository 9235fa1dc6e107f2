"""PyTorch's CPU random number generator at the numpy level: the same seeds give the same values, bit for bit.

A ``Generator`` is PyTorch's ``CPUGeneratorImpl``: an mt19937 engine (numpy's ``MT19937`` bit generator,
seeded as PyTorch seeds it), the 64-bit initial seed, and the cached second value of the scalar Box–Muller
sampler. Its samplers draw exactly the 32-bit words PyTorch draws and transform them with the kernels of
``minigrad.kernels.random``, so interleaved calls keep the stream in step with torch's.

Generator (``torch.Generator``'s names)::

    Generator(device="cpu")                         seeded with 67280421310721, as torch.Generator() is
    .manual_seed(seed) -> Generator                 seed in [-2⁶³, 2⁶⁴), kept mod 2⁶⁴; clears the normal cache
    .initial_seed() -> int                          the seed as set (0 <= seed < 2⁶⁴)
    .seed() -> int                                  reseeds from os.urandom and returns the new seed
    .get_state() -> np.ndarray                      5056 uint8, the byte layout of torch.get_rng_state()
    .set_state(state) -> Generator                  that array, or anything whose .numpy() returns it
    .device                                         "cpu"

Draws (fresh C-contiguous arrays; ``dtype`` is a numpy dtype or a minigrad dtype; ``shape`` an int or ints):

    .uniform(shape, low=0., high=1., dtype=float32)   torch.rand / Tensor.uniform_(low, high)
    .normal(shape, mean=0., std=1., dtype=float32, contiguous=True)
                                                     torch.randn / Tensor.normal_(mean, std); contiguous=False
                                                     gives what normal_ writes (in memory order) into a
                                                     non-contiguous tensor: the scalar sampler for every size
    .integers(low, high, shape, dtype=int64)         torch.randint(low, high, shape)
    .permutation(n, dtype=int64)                     torch.randperm(n)
    .random64(n) -> uint64 array                     n raw 64-bit draws (2 words each, first word high)
    .random_int64(shape) -> int64 array              Tensor.random_() on int64: random64 mod 2⁶³

In place, in the order PyTorch's TensorIterator writes (memory order, whatever the array's strides):

    fill_uniform_(array, low=0., high=1., generator=None) -> array
    fill_normal_(array, mean=0., std=1., generator=None) -> array    (c-contiguous and 16+ values: the block
                                                                       sampler; otherwise the scalar one)
    fill_bernoulli_(array, p) (p a number or an array), fill_exponential_(array, lambd),
    fill_geometric_(array, p), fill_cauchy_(array, median, sigma), fill_log_normal_(array, mean, std),
    fill_random_(array, low=None, high=None)                         Tensor's samplers of the same names

New arrays from arrays: multinomial(probs, num_samples, replacement), poisson(rates).

The process-wide generator and torch's module functions acting on it:

    default_generator                                seeded from os.urandom at import, as torch 2.13 does
    manual_seed(seed) -> Generator, seed() -> int, initial_seed() -> int,
    get_rng_state() -> np.ndarray, set_rng_state(state) -> None

Bad arguments raise PyTorch's errors (same types, same messages) before any word is drawn. The values are
those of PyTorch's AVX2/AVX512 CPU kernels (fused multiply-adds; for float32 normals, the AVX2 kernel, which
AVX512 CPUs run too); PyTorch itself rounds differently under ``ATEN_CPU_CAPABILITY=default``.
"""

from __future__ import annotations

import operator
import os
import warnings
from collections.abc import Callable, Sequence

import numpy as np

from . import dtypes, errors
from . import kernels as K
from .kernels import random as KR

DTypeLike = np.dtype | type | str | dtypes.dtype

_DEFAULT_SEED = 67280421310721  # c10's default_rng_seed_val: the seed of a new torch.Generator()
_MT_N = 624
_WIDE_RANGE = 1 << 28  # randint takes 64-bit draws from this range up
_RANDPERM_SMALL = (2**32 - 1) // 20  # randperm's swap loop below this n; the inside-out shuffle from it
_RANDPERM_CHUNK = 1 << 22  # inside-out steps per batch of words (bounds the memory for the words)

# PyTorch's CPUGeneratorImplState (get_rng_state's bytes): the legacy mt19937 record, then a float cache.
_STATE = np.dtype({
    "names": ["seed", "left", "seeded", "next", "key", "normal_x", "normal_y", "normal_rho", "normal_is_valid",
              "float_normal", "float_normal_is_valid"],
    "formats": ["<u8", "<i4", "<i4", "<u8", ("<u8", _MT_N), "<f8", "<f8", "<f8", "<i4", "<f4", "u1"],
    "offsets": [0, 8, 12, 16, 24, 5016, 5024, 5032, 5040, 5048, 5052],
    "itemsize": 5056,
})

class Generator:
    """PyTorch's CPU generator: an mt19937 stream, its 64-bit initial seed and the cached scalar normal."""

    def __init__(self, device: str = "cpu") -> None:
        if str(device) != "cpu":
            raise RuntimeError(f"minigrad generators are CPU generators, got device {device!r}")
        self.device = "cpu"
        self._bits = np.random.MT19937(0)
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        """Seeds mt19937 with the low 32 bits of ``seed`` (init_genrand) and keeps seed mod 2⁶⁴; returns self."""
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
            raise errors.manual_seed_type(seed)
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:
            raise errors.long_overflow()
        self._seed = seed % 2**64
        key = np.random.RandomState(self._seed & 0xFFFFFFFF).get_state()[1]
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _MT_N}}
        self._fresh = True  # seeded, nothing drawn yet: torch's engine says next = 0 rather than 624
        self._normal: float | None = None
        return self

    def initial_seed(self) -> int:
        """The seed last set, as an unsigned 64-bit integer."""
        return self._seed

    def seed(self) -> int:
        """Reseeds with 64 bits from the OS (as torch reads /dev/urandom) and returns that seed."""
        seed = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(seed)
        return seed

    def get_state(self) -> np.ndarray:
        """The generator's state as 5056 bytes, laid out as ``torch.get_rng_state()`` lays them out."""
        state = self._bits.state["state"]
        pos = state["pos"]
        record = np.zeros((), _STATE)
        record["seed"] = self._seed
        record["left"] = 1 if pos == _MT_N else _MT_N + 1 - pos
        record["seeded"] = 1
        record["next"] = 0 if self._fresh else pos
        record["key"] = state["key"]
        if self._normal is not None:
            record["normal_y"] = self._normal
            record["normal_is_valid"] = 1
        return np.frombuffer(record.tobytes(), np.uint8).copy()

    def set_state(self, new_state: np.ndarray) -> Generator:
        """Restores a state from ``get_state`` (or from torch's ``get_rng_state().numpy()``); returns self.

        Any object with a ``.numpy()`` method giving that array is accepted too. The float normal cache of
        torch's layout is ignored (PyTorch's CPU samplers never fill it).
        """
        array = new_state.numpy() if hasattr(new_state, "numpy") else new_state
        if not isinstance(array, np.ndarray) or array.dtype != np.uint8:
            raise errors.rng_state_type()
        if array.size != _STATE.itemsize:
            raise errors.rng_state_size(_STATE.itemsize, array.size)
        record = np.ascontiguousarray(array).reshape(-1).view(_STATE)[0]
        left, next_ = int(record["left"]), int(record["next"])
        fresh = left == 1 and next_ == 0
        # torch's engine draws state[next] after regenerating the block when --left hits 0; numpy's holds
        # one position, so left must agree with next (as every state torch itself saves does).
        if not record["seeded"] or not (fresh or (1 <= next_ <= _MT_N and left == _MT_N + 1 - next_)):
            raise errors.rng_state_invalid()
        key = record["key"].astype(np.uint32)  # torch keeps the low 32 bits of each stored word
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _MT_N if left == 1 else next_}}
        self._seed = int(record["seed"])
        self._fresh = fresh
        self._normal = float(record["normal_y"]) if record["normal_is_valid"] else None
        return self

    def uniform(self, shape: int | Sequence[int], low: float = 0.0, high: float = 1.0,
                dtype: DTypeLike = np.float32) -> np.ndarray:
        """Values uniform in [low, high), as ``torch.rand(shape)`` / ``uniform_(low, high)`` give them."""
        shape = _shape(shape)
        dtype = _float_dtype(dtype, "check_uniform_bounds")
        low, high = _uniform_bounds(low, high, dtype)
        out = np.empty(shape, dtype)
        self._fill_uniform(out.reshape(-1), low, high)
        return out

    def normal(self, shape: int | Sequence[int], mean: float = 0.0, std: float = 1.0,
               dtype: DTypeLike = np.float32, contiguous: bool = True) -> np.ndarray:
        """Normal values, as ``torch.randn`` / ``normal_(mean, std)`` give them (see the module docstring).

        ``contiguous=False``: the values normal_ writes into a non-contiguous tensor, in memory order.
        """
        shape = _shape(shape)
        _check_std(std)
        out = np.empty(shape, _float_dtype(dtype, "normal_kernel_cpu", empty=0 in shape))
        self._fill_normal(out.reshape(-1), mean, std, blocks=contiguous)
        return out

    def integers(self, low: int, high: int, shape: int | Sequence[int], dtype: DTypeLike = np.int64) -> np.ndarray:
        """Integers uniform in [low, high) (as low + r mod (high − low)), as ``torch.randint`` gives them."""
        shape = _shape(shape)
        dtype = _np_dtype(dtype)
        low, high = _int64(low), _int64(high)
        if not low < high:
            raise errors.randint_range(low, high)
        if dtype.kind == "f":
            low, high = _update_from(low, dtype), _update_to(high, dtype)
            if not low < high:
                raise errors.randint_cast_range(low, high)
        _check_from_to_in_range(low, high - 1, dtype)
        span = high - low
        out = np.empty(shape, dtype)
        words = self._words(out.size * (2 if span >= _WIDE_RANGE else 1))
        K.random_from_to(words, np.uint64(span), np.int64(low), out.reshape(-1))
        return out

    def permutation(self, n: int, dtype: DTypeLike = np.int64) -> np.ndarray:
        """A random permutation of 0 .. n−1, as ``torch.randperm(n)`` gives it."""
        n = operator.index(n)
        if n < 0:
            raise errors.negative_dimension(n, [n])
        dtype = _np_dtype(dtype)
        _check_randperm(n, dtype)
        out = np.empty(n, dtype)
        if n < _RANDPERM_SMALL:
            K.randperm_swaps(self._words(max(n - 1, 0)), out)
        else:
            for start in range(0, n, _RANDPERM_CHUNK):
                K.randperm_inside_out(self._words(2 * min(_RANDPERM_CHUNK, n - start)), start, out)
        return out

    def random64(self, n: int) -> np.ndarray:
        """``n`` 64-bit draws (uint64): two words each, the first one high."""
        out = np.empty(operator.index(n), np.uint64)
        K.random64(self._words(2 * out.size), out)
        return out

    def random_int64(self, shape: int | Sequence[int] = ()) -> np.ndarray:
        """What ``Tensor.random_()`` puts in an int64 tensor: random64 mod 2⁶³ (DataLoader's base seed)."""
        out = np.empty(_shape(shape), np.int64)
        K.random_from_to(self._words(2 * out.size), np.uint64(2**63), np.int64(0), out.reshape(-1))
        return out

    def _words(self, count: int) -> np.ndarray:
        """The next ``count`` 32-bit words of the stream (as uint64)."""
        if count:
            self._fresh = False
        return self._bits.random_raw(count)

    def _fill_uniform(self, out: np.ndarray, low: float, high: float) -> None:
        """Uniform values into the flat contiguous float array ``out`` (bounds already checked)."""
        if out.dtype == np.float32:
            K.uniform_float32(self._words(out.size), np.float32(low), np.float32(high), out)
        else:
            K.uniform_float64(self._words(2 * out.size), float(low), float(high), out)

    def _fill_normal(self, out: np.ndarray, mean: float, std: float, blocks: bool) -> None:
        """Normal values into the flat contiguous float array ``out``: PyTorch's block sampler when ``blocks``
        and there are 16+ values, else its scalar sampler with the generator's cache."""
        n = out.size
        if n == 0:
            return
        if blocks and n >= 16:
            words = n + (16 if n % 16 else 0)
            if out.dtype == np.float32:
                K.normal_blocks_float32(self._words(words), np.float32(mean), np.float32(std), out)
            else:
                K.normal_blocks_float64(self._words(2 * words), float(mean), float(std), out)
            return
        has_cached = self._normal is not None
        pairs = (n - has_cached + 1) // 2
        words = self._words(4 * pairs)
        has_cached, cached = K.normal_box_muller(words, float(mean), float(std), has_cached, self._normal or 0.0, out)
        self._normal = cached if has_cached else None


default_generator = Generator()
default_generator.seed()


def manual_seed(seed: int) -> Generator:
    """Seeds the default generator with ``int(seed)`` and returns it (``torch.manual_seed``)."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Reseeds the default generator from the OS and returns the seed (``torch.seed``)."""
    return default_generator.seed()


def initial_seed() -> int:
    """The default generator's seed (``torch.initial_seed``)."""
    return default_generator.initial_seed()


def get_rng_state() -> np.ndarray:
    """The default generator's state as 5056 bytes (``torch.get_rng_state``)."""
    return default_generator.get_state()


def set_rng_state(new_state: np.ndarray) -> None:
    """Restores the default generator's state (``torch.set_rng_state``)."""
    default_generator.set_state(new_state)


def fill_uniform_(array: np.ndarray, low: float = 0.0, high: float = 1.0,
                  generator: Generator | None = None) -> np.ndarray:
    """``uniform_(low, high)`` on ``array`` in place, in memory order, whatever its strides; returns ``array``."""
    _float_dtype(array.dtype, "check_uniform_bounds")
    low, high = _uniform_bounds(low, high, array.dtype)
    gen = generator or default_generator
    return _fill_in_memory_order(array, lambda out: gen._fill_uniform(out, low, high))


def fill_normal_(array: np.ndarray, mean: float = 0.0, std: float = 1.0,
                 generator: Generator | None = None) -> np.ndarray:
    """``normal_(mean, std)`` on ``array`` in place, in memory order, whatever its strides; returns ``array``.

    As in PyTorch, a C-contiguous array of 16+ values takes the block sampler, any other the scalar one.
    """
    _check_std(std)
    _float_dtype(array.dtype, "normal_kernel_cpu", empty=array.size == 0)
    gen = generator or default_generator
    blocks = array.flags.c_contiguous
    return _fill_in_memory_order(array, lambda out: gen._fill_normal(out, mean, std, blocks))


def _fill_in_memory_order(array: np.ndarray, fill: Callable[..., None], *inputs: np.ndarray) -> np.ndarray:
    """Runs ``fill`` on a flat buffer whose order is the order of ``array``'s elements in memory, and puts
    the values in ``array``: directly when the array is dense, else by one assignment through a view.
    Each of ``inputs`` (broadcast to ``array``'s shape) is handed to ``fill`` flat, in the same order."""
    if not array.flags.writeable:
        raise ValueError("cannot fill a read-only array")
    axes = sorted(range(array.ndim), key=lambda d: -abs(array.strides[d]))  # outermost (largest stride) first
    flips = tuple(slice(None, None, -1 if array.strides[d] < 0 else 1) for d in axes)
    view = array.transpose(axes)[flips]
    flat_inputs = [np.ascontiguousarray(np.broadcast_to(x, array.shape).transpose(axes)[flips]).reshape(-1)
                   for x in inputs]
    if view.flags.c_contiguous:
        fill(view.reshape(-1), *flat_inputs)
    else:
        values = np.empty(array.size, array.dtype)
        fill(values, *flat_inputs)
        view[...] = values.reshape(view.shape)
    return array


def fill_bernoulli_(array: np.ndarray, p: float | np.ndarray, generator: Generator | None = None) -> np.ndarray:
    """``bernoulli_(p)`` on ``array`` in place: 1 with probability p, else 0, in memory order.

    A number p (and a float64 p array) compares a double uniform (two words) with it; a float32 p array a
    float uniform (one word), as PyTorch's kernels do.
    """
    gen = generator or default_generator
    if isinstance(p, np.ndarray):
        if p.dtype.kind != "f":
            raise errors.not_implemented("bernoulli_tensor_cpu_p_", p.dtype)
        if p.size and not (p.min() >= 0 and p.max() <= 1):
            raise errors.bernoulli_tensor_p()
        if p.dtype == np.float32:
            return _fill_in_memory_order(array, lambda out, q: KR.bernoulli_float32_p(gen._words(out.size), q, out), p)
        return _fill_in_memory_order(array, lambda out, q: KR.bernoulli_float64_p(gen._words(2 * out.size), q, out), p)
    if not 0 <= p <= 1:
        raise errors.distribution_parameter("bernoulli_", "p", "to be in [0, 1]", p)
    return _fill_in_memory_order(
        array, lambda out, q: KR.bernoulli_float64_p(gen._words(2 * out.size), q, out), np.float64(p))


def fill_exponential_(array: np.ndarray, lambd: float = 1.0, generator: Generator | None = None) -> np.ndarray:
    """``exponential_(λ)``: −log(1 − u)/λ for double uniforms u (density λ·e^(−λx)), two words each."""
    if array.dtype.kind != "f":
        raise errors.continuous_distribution("Exponential", array.dtype)
    if not lambd > 0:
        raise errors.distribution_parameter("exponential_", "lambda", "> 0.0", lambd)
    return _fill_from_doubles(array, lambda words, out: KR.exponential(words, float(lambd), out), generator)


def fill_geometric_(array: np.ndarray, p: float, generator: Generator | None = None) -> np.ndarray:
    """``geometric_(p)``: the number of Bernoulli(p) trials up to the first success, ⌈log u / log(1 − p)⌉."""
    if not 0 < p < 1:
        raise errors.distribution_parameter("geometric_", "p", "to be in (0, 1)", p)
    return _fill_from_doubles(array, lambda words, out: KR.geometric(words, float(p), out), generator)


def fill_cauchy_(array: np.ndarray, median: float = 0.0, sigma: float = 1.0,
                 generator: Generator | None = None) -> np.ndarray:
    """``cauchy_(median, σ)``: median + σ·tan(π(u − ½)) for double uniforms u."""
    if array.dtype.kind != "f":
        raise errors.continuous_distribution("Cauchy", array.dtype, cpp=True)
    if not sigma > 0:
        raise errors.distribution_parameter("cauchy_", "sigma", "> 0.0", sigma)
    return _fill_from_doubles(array, lambda words, out: KR.cauchy(words, float(median), float(sigma), out),
                              generator)


def fill_log_normal_(array: np.ndarray, mean: float = 1.0, std: float = 2.0,
                     generator: Generator | None = None) -> np.ndarray:
    """``log_normal_(mean, std)``: exp(z) for z ~ N(mean, std²) from the scalar Box–Muller sampler (and its
    cache), computed in double."""
    if array.dtype.kind != "f":
        raise errors.not_implemented("log_normal_cpu", array.dtype)
    if not std > 0:
        raise errors.distribution_parameter("log_normal_", "std", "> 0.0", std)
    gen = generator or default_generator

    def fill(out: np.ndarray) -> None:
        values = np.empty(out.size, np.float64)
        gen._fill_normal(values, mean, std, blocks=False)
        KR.exp_float64(values, values)
        out[...] = values

    return _fill_in_memory_order(array, fill)


def fill_random_(array: np.ndarray, low: int | None = None, high: int | None = None,
                 generator: Generator | None = None) -> np.ndarray:
    """``random_()``, ``random_(to)``, ``random_(from, to)`` on ``array`` in place, in memory order.

    Without bounds: 0 .. 2^digits for floats (24 or 53 mantissa bits, both ends included), 0 .. max for
    integers, r mod (max + 1) of one 32-bit word (two for int64 and float64); a bool takes the word's low bit.
    With bounds: ``Generator.integers(from, to)``'s values.
    """
    gen = generator or default_generator
    dtype = array.dtype
    if low is not None:
        low, high = (0, low) if high is None else (low, high)
        if not low < high:
            raise errors.random_from_to_order(low, high)
        return _fill_in_memory_order(array, lambda out: out.__setitem__(..., gen.integers(low, high, out.size, dtype)))
    if dtype.kind == "f":
        modulus = (1 << (np.finfo(dtype).nmant + 1)) + 1
    else:
        modulus = 2 if dtype.kind == "b" else int(np.iinfo(dtype).max) + 1
    wide = dtype.itemsize == 8

    def fill(out: np.ndarray) -> None:
        words = gen.random64(out.size) if wide else gen._words(out.size)
        KR.random_modulo(words, np.uint64(modulus), out)

    return _fill_in_memory_order(array, fill)


def multinomial(probs: np.ndarray, num_samples: int, replacement: bool = False,
                generator: Generator | None = None) -> np.ndarray:
    """``num_samples`` category indices per row of ``probs`` (1-D or 2-D, weights that need not sum to 1).

    Without replacement, or for one sample, PyTorch's Gumbel trick: q = probs / E with E ~ Exp(1) drawn as
    ``exponential_`` draws it (in probs' memory order), and the indices of the ``num_samples`` largest q in
    descending order. With replacement, each row's running sum (in its dtype, in order) divided by its total
    is searched for a double uniform per sample (two words each), row after row.
    """
    gen = generator or default_generator
    if probs.ndim not in (1, 2):
        raise errors.multinomial_error("dims")
    if probs.dtype.kind != "f":
        raise errors.multinomial_dtype(probs.dtype)
    if num_samples <= 0:
        raise errors.multinomial_error("samples")
    if not replacement and num_samples > probs.shape[-1]:
        raise errors.multinomial_error("too_many")
    if not replacement or num_samples == 1:
        if probs.size and not (probs.max() < np.inf and probs.min() >= 0):
            raise errors.multinomial_error("invalid")
        if (probs.sum(-1) == 0).any():
            raise errors.multinomial_error("zero_sum")
        q = probs / fill_exponential_(np.empty_like(probs), 1.0, gen)
        return np.argsort(-q, axis=-1, kind="stable")[..., :num_samples].astype(np.int64)
    rows = np.ascontiguousarray(probs).reshape(-1, probs.shape[-1])
    if not (rows >= 0).all():
        raise errors.multinomial_error("negative")
    if not np.isfinite(rows).all():
        raise errors.multinomial_error("not_finite")
    cumulative = np.cumsum(rows, axis=1)  # sequential, in the dtype
    totals = cumulative[:, -1:]
    if not (totals > 0).all():
        raise errors.multinomial_error("zero_sum")
    cumulative /= totals
    cumulative[:, -1] = 1
    out = np.empty((rows.shape[0], num_samples), np.int64)
    for row in range(rows.shape[0]):
        KR.multinomial_with_replacement(gen._words(2 * num_samples), cumulative[row], num_samples, out[row])
    return out.reshape(*probs.shape[:-1], num_samples)


def poisson(rates: np.ndarray, generator: Generator | None = None) -> np.ndarray:
    """One Poisson(λ) count per rate λ (in the rates' dtype), PyTorch's ``sample_poisson`` on its stream: a
    product of uniforms for λ < 10, transformed rejection above; the number of words drawn varies."""
    if rates.dtype.kind != "f":
        raise errors.not_implemented("poisson_cpu", rates.dtype)
    if not (rates >= 0).all():
        raise errors.poisson_rate()
    gen = generator or default_generator
    flat = np.ascontiguousarray(rates).reshape(-1)
    out = np.empty(flat.size, rates.dtype)
    count = 4 * flat.size + 64
    while True:  # draw ahead, then advance the stream by what the sampler used
        state = gen._bits.state
        used = KR.poisson(gen._bits.random_raw(count), flat.astype(np.float64), out)
        gen._bits.state = state
        if used >= 0:
            gen._words(used)
            return out.reshape(rates.shape)
        count *= 2


def _fill_from_doubles(array: np.ndarray, sample: Callable[[np.ndarray, np.ndarray], None],
                       generator: Generator | None) -> np.ndarray:
    """``array`` in place, in memory order, with ``sample(words, out)``'s double values (two words each),
    rounded to its dtype."""
    gen = generator or default_generator

    def fill(out: np.ndarray) -> None:
        values = np.empty(out.size, np.float64)
        sample(gen._words(2 * out.size), values)
        out[...] = values

    return _fill_in_memory_order(array, fill)


def _np_dtype(dtype: DTypeLike) -> np.dtype:
    return dtype.np if isinstance(dtype, dtypes.dtype) else np.dtype(dtype)


def _float_dtype(dtype: DTypeLike, kernel: str, empty: bool = False) -> np.dtype:
    """``dtype`` if it is float32 or float64, else PyTorch's dispatch error for ``kernel`` (none for an empty
    tensor when ``empty``: normal_ returns before it dispatches)."""
    dtype = _np_dtype(dtype)
    if dtype.name not in ("float32", "float64") and not empty:
        raise errors.not_implemented(kernel, dtype)
    return dtype


def _shape(shape: int | Sequence[int]) -> tuple[int, ...]:
    shape = (operator.index(shape),) if isinstance(shape, int | np.integer) else tuple(map(operator.index, shape))
    for size in shape:
        if size < 0:
            raise errors.negative_dimension(size, shape)
    return shape


def _int64(value: int) -> int:
    value = operator.index(value)
    if not -(2**63) <= value < 2**63:
        raise errors.long_overflow()
    return value


def _check_std(std: float) -> None:
    if not std >= 0.0:
        raise errors.normal_std(std)


def _uniform_bounds(low: float, high: float, dtype: np.dtype) -> tuple[float, float]:
    """PyTorch's checks on uniform_'s bounds (as doubles, against the dtype's finite range)."""
    low, high = float(low), float(high)
    limit = float(np.finfo(dtype).max)
    if not -limit <= low <= limit:
        raise errors.bound_out_of_range("from", dtype)
    if not -limit <= high <= limit:
        raise errors.bound_out_of_range("to", dtype)
    if not low <= high:
        raise errors.uniform_range(low, high)
    if not high - low <= limit:
        raise errors.uniform_span(dtype, low, high)
    return low, high


def _update_from(low: int, dtype: np.dtype) -> int:
    """PyTorch's ``update_from``: moves ``low`` up to an integer that stays >= low once cast to ``dtype``."""
    plus_1 = int(np.int64(low + 1).astype(dtype))  # int64 -> float rounds once, as the C++ cast does
    if plus_1 < low:
        return plus_1 + (1 << (abs(low + 1).bit_length() - 1 - np.finfo(dtype).nmant))
    return low


def _update_to(high: int, dtype: np.dtype) -> int:
    """PyTorch's ``update_to``: moves ``high`` down to an integer that stays < high once cast to ``dtype``."""
    minus_1 = int(np.int64(high - 1).astype(dtype))
    if minus_1 >= high:
        return minus_1 - (1 << (abs(high - 1).bit_length() - 1 - np.finfo(dtype).nmant))
    return high


def _check_from_to_in_range(low: int, high_inclusive: int, dtype: np.dtype) -> None:
    """PyTorch's ``check_from_to_in_range``: both ends fit the dtype (float dtypes warn past 2^digits)."""
    if dtype.kind == "f":
        digits = np.finfo(dtype).nmant + 1
        for value, name in ((low, "from"), (high_inclusive, "to - 1")):
            if not -(1 << digits) <= value <= 1 << digits:
                warnings.warn(errors.randint_precision_warning(name, digits, dtype), UserWarning, stacklevel=3)
        return
    if dtype.kind == "b":
        lowest, highest = 0, 1
    else:
        lowest, highest = int(np.iinfo(dtype).min), int(np.iinfo(dtype).max)
    for value, name in ((low, "from"), (high_inclusive, "to - 1")):
        if not lowest <= value <= highest:
            raise errors.bound_out_of_range(name, dtype)


def _check_randperm(n: int, dtype: np.dtype) -> None:
    """PyTorch's checks that ``n`` values fit ``dtype`` (``check_supported_max_int_with_precision``)."""
    if dtype.kind == "b":
        raise errors.not_implemented("randperm", dtype)
    if dtype.kind in "iu" and max(n - 1, 0) > np.iinfo(dtype).max:
        raise errors.scalar_overflow(dtype)
    if dtype.kind == "f":
        digits = np.finfo(dtype).nmant + 1
        if n > (1 << digits) + 1:
            raise errors.randperm_precision(digits, dtype)
