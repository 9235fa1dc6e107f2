"""Random-number transforms: PyTorch's CPU samplers applied to raw 32-bit words of its mt19937 stream.

The kernels know nothing of generators: each takes ``words`` (a uint64 array of 32-bit values, in stream
order) and writes ``out``. The caller draws exactly as many words as PyTorch would (the count is given in
each docstring), so the stream stays in step with ``torch.manual_seed``. A 64-bit draw is two words, the
first one high: r64 = w0·2³² + w1. Notation: ⊕ ⊖ ⊗ are float32 operations; fma(a, b, c) = a·b + c rounded
once, as the compiler fuses it in PyTorch's AVX2/AVX512 kernels.
"""

import math

import numpy as np
from numba import njit

from ._scalar import fma, like

_MASK24 = np.uint64((1 << 24) - 1)
_MASK53 = np.uint64((1 << 53) - 1)
_TWO_POW_M24 = np.float32(2.0**-24)
_TWO_POW_M53 = 2.0**-53
_SHIFT32 = np.uint64(32)
_WIDE_RANGE = np.uint64(1 << 28)  # randint draws 64 bits per value from this range up

# Cephes constants of avx_mathfun.h's log256_ps and sincos256_ps (float32 from the same decimal literals).
_SQRTHF = np.float32(0.707106781186547524)
_LOG_P = tuple(np.float32(p) for p in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
                                       1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
                                       3.3333331174e-1))
_LOG_Q1 = np.float32(-2.12194440e-4)
_LOG_Q2 = np.float32(0.693359375)
_FOPI = np.float32(1.27323954473516)  # 4/π
_MINUS_DP = (np.float32(-0.78515625), np.float32(-2.4187564849853515625e-4), np.float32(-3.77489497744594108e-8))
_SINCOF = (np.float32(-1.9515295891e-4), np.float32(8.3321608736e-3), np.float32(-1.6666654611e-1))
_COSCOF = (np.float32(2.443315711809948e-005), np.float32(-1.388731625493765e-003), np.float32(4.166664568298827e-002))
_TWO_PI_F32 = np.float32(2.0 * math.pi)


@njit(cache=True, inline="always")
def _unit32(word):
    """A float32 in [0, 1) from one word: (w & (2²⁴−1))·2⁻²⁴, exact."""
    return np.float32(word & _MASK24) * _TWO_POW_M24


@njit(cache=True, inline="always")
def _random64(high, low):
    return (high << _SHIFT32) | low


@njit(cache=True, inline="always")
def _unit64(high, low):
    """A float64 in [0, 1) from two words: (r64 & (2⁵³−1))·2⁻⁵³, exact."""
    return np.float64(_random64(high, low) & _MASK53) * _TWO_POW_M53


@njit(cache=True)
def uniform_float32(words, low, high, out):
    """out[i] = fma(u_i, high ⊖ low, low) with u_i = _unit32(words[i]); float32 low/high; one word per value."""
    span = high - low
    for i in range(out.size):
        out[i] = fma(_unit32(words[i]), span, low)


@njit(cache=True)
def uniform_float64(words, low, high, out):
    """out[i] = fma(u_i, high − low, low) in double with u_i = _unit64(two words); two words per value."""
    span = high - low
    for i in range(out.size):
        out[i] = fma(_unit64(words[2 * i], words[2 * i + 1]), span, low)


@njit(cache=True)
def normal_box_muller(words, mean, std, has_cached, cached, out):
    """PyTorch's scalar normal sampler (``at::normal_distribution<double>``), with its cached second value.

    Each value takes the cached z if there is one (and clears it). Otherwise it draws u₁, u₂ as float64
    uniforms (4 words), computes r = √(−2·log1p(−u₂)) and θ = 2π·u₁, caches r·sin θ and takes z = r·cos θ.
    out[i] = fma(z, std, mean) in double, rounded to out's dtype. Words: 4·⌈(n − has_cached)/2⌉ for n > 0.
    Returns the cache afterwards: (has_cached, cached).
    """
    k = 0
    for i in range(out.size):
        if has_cached:
            z = cached
            has_cached = False
        else:
            u1 = _unit64(words[k], words[k + 1])
            u2 = _unit64(words[k + 2], words[k + 3])
            k += 4
            r = math.sqrt(-2.0 * math.log1p(-u2))
            theta = 2.0 * math.pi * u1
            cached = r * math.sin(theta)
            has_cached = True
            z = r * math.cos(theta)
        out[i] = fma(z, std, mean)
    return has_cached, cached


@njit(cache=True, inline="always")
def _log_cephes(x):
    """avx_mathfun's ``log256_ps`` for one float32 in (0, 1], with the FMAs GCC fuses into it.

    x = m·2^e with m in [0.5, 1); if m < √½: e −= 1, x = (m ⊖ 1) ⊕ m, else x = m ⊖ 1. With z = x ⊗ x, a
    Horner polynomial P (fma steps) gives y = fma(P ⊗ x, z, e ⊗ q₁), y = fma(z, −½, y), and the result
    fma(e, q₂, x ⊕ y), where q₁ + q₂ = ln 2.
    """
    mantissa, exponent = math.frexp(np.float64(x))
    x = np.float32(mantissa)
    e = np.float32(exponent)
    if x < _SQRTHF:
        e = e - like(1, e)
        x = (x - like(1, x)) + x
    else:
        x = x - like(1, x)
    z = x * x
    y = _LOG_P[0]
    for p in _LOG_P[1:]:
        y = fma(y, x, p)
    y = fma(y * x, z, e * _LOG_Q1)
    y = fma(z, like(-0.5, z), y)
    return fma(e, _LOG_Q2, x + y)


@njit(cache=True, inline="always")
def _sincos_cephes(x):
    """avx_mathfun's ``sincos256_ps`` for one float32 x ≥ 0, with the FMAs GCC fuses into it: (sin x, cos x).

    j = octant of x·4/π rounded up to even; x −= j·π/4 in three fma steps (Cody–Waite). With z = x ⊗ x,
    cos ≈ fma(P ⊗ z, z, −(z ⊗ ½)) ⊕ 1 and sin ≈ fma(Q ⊗ z, x, x) (P, Q Horner polynomials of fma steps);
    bit 1 of j swaps them, and bit 2 of j (of j − 2 for the cosine) sets the signs.
    """
    j = (int(x * _FOPI) + 1) & ~1
    y = np.float32(j)
    for dp in _MINUS_DP:
        x = fma(y, dp, x)
    z = x * x
    c = fma(fma(_COSCOF[0], z, _COSCOF[1]), z, _COSCOF[2])
    c = fma(c * z, z, -(z * like(0.5, z))) + like(1, z)
    s = fma(fma(_SINCOF[0], z, _SINCOF[1]), z, _SINCOF[2])
    s = like(0, z) + fma(s * z, x, x)  # the vector select adds +0, which turns a -0 into +0
    if j & 2:
        s, c = c, s
    if j & 4:
        s = -s
    if not (j - 2) & 4:
        c = -c
    return s, c


@njit(cache=True, inline="always")
def _box_muller16_float32(d, start, mean, std):
    """PyTorch's ``normal_fill_16_AVX2`` on d[start:start+16], uniforms in place, in float32.

    For j < 8: u₁ = 1 ⊖ d[j], u₂ = d[j+8], ρ = √(−2 ⊗ log u₁), θ = f32(2π) ⊗ u₂;
    d[j] = fma(ρ ⊗ cos θ, std, mean) and d[j+8] = fma(ρ ⊗ sin θ, std, mean).
    """
    for j in range(start, start + 8):
        u1 = like(1, d[j]) - d[j]
        u2 = d[j + 8]
        radius = like(math.sqrt(like(-2, u1) * _log_cephes(u1)), u1)
        sin, cos = _sincos_cephes(_TWO_PI_F32 * u2)
        d[j] = fma(radius * cos, std, mean)
        d[j + 8] = fma(radius * sin, std, mean)


@njit(cache=True, inline="always")
def _box_muller16_float64(d, start, mean, std):
    """PyTorch's ``normal_fill_16<double>`` on d[start:start+16]: as the float32 block, in double with libm."""
    for j in range(start, start + 8):
        u1 = 1.0 - d[j]
        u2 = d[j + 8]
        radius = math.sqrt(-2.0 * math.log(u1))
        theta = 2.0 * math.pi * u2
        d[j] = fma(radius * math.cos(theta), std, mean)
        d[j + 8] = fma(radius * math.sin(theta), std, mean)


@njit(cache=True)
def normal_blocks_float32(words, mean, std, out):
    """PyTorch's float32 normal fill for contiguous tensors of n ≥ 16 values (``normal_fill_AVX2``).

    out[i] = _unit32(words[i]) for all n values, then each whole block of 16 becomes 16 normals
    (``_box_muller16_float32``). If n % 16 ≠ 0, 16 more words give fresh uniforms for the last 16 slots,
    which are transformed again as one block. Words: n, plus 16 if n % 16 ≠ 0. mean, std: float32.
    """
    n = out.size
    for i in range(n):
        out[i] = _unit32(words[i])
    for start in range(0, n - 15, 16):
        _box_muller16_float32(out, start, mean, std)
    if n % 16:
        for k in range(16):
            out[n - 16 + k] = _unit32(words[n + k])
        _box_muller16_float32(out, n - 16, mean, std)


@njit(cache=True)
def normal_blocks_float64(words, mean, std, out):
    """PyTorch's float64 normal fill for contiguous tensors of n ≥ 16 values (``normal_fill<double>``).

    As ``normal_blocks_float32`` with float64 uniforms (two words each) and ``_box_muller16_float64``.
    Words: 2n, plus 32 if n % 16 ≠ 0.
    """
    n = out.size
    for i in range(n):
        out[i] = _unit64(words[2 * i], words[2 * i + 1])
    for start in range(0, n - 15, 16):
        _box_muller16_float64(out, start, mean, std)
    if n % 16:
        for k in range(16):
            out[n - 16 + k] = _unit64(words[2 * (n + k)], words[2 * (n + k) + 1])
        _box_muller16_float64(out, n - 16, mean, std)


@njit(cache=True)
def random_from_to(words, span, low, out):
    """randint / random_(low, high): out[i] = low + (r mod span) in int64, cast to out's dtype (span = high − low).

    r is one word when span < 2²⁸, else a 64-bit draw (two words), as PyTorch's public builds do.
    """
    wide = span >= _WIDE_RANGE
    for i in range(out.size):
        r = _random64(words[2 * i], words[2 * i + 1]) if wide else words[i]
        out[i] = np.int64(r % span) + low


@njit(cache=True)
def random64(words, out):
    """out[i] = words[2i]·2³² + words[2i+1] (uint64)."""
    for i in range(out.size):
        out[i] = _random64(words[2 * i], words[2 * i + 1])


@njit(cache=True)
def randperm_swaps(words, out):
    """PyTorch's randperm for n < ⌊(2³²−1)/20⌋: out = 0..n−1, then for i < n−1 swap out[i] and out[i + z]
    with z = words[i] mod (n − i). Words: n − 1 (none for n ≤ 1)."""
    n = out.size
    for i in range(n):
        out[i] = i
    for i in range(n - 1):
        z = i + np.int64(words[i] % np.uint64(n - i))
        out[i], out[z] = out[z], out[i]


@njit(cache=True)
def randperm_inside_out(words, start, out):
    """Steps start .. start + len(words)/2 − 1 of PyTorch's randperm for large n (inside-out Fisher–Yates):
    z = r64 mod (i + 1), out[i] = out[z], out[z] = i. Words: two per step (2n in all)."""
    for k in range(words.size // 2):
        i = start + k
        z = np.int64(_random64(words[2 * k], words[2 * k + 1]) % np.uint64(i + 1))
        out[i] = out[z]
        out[z] = i


@njit(cache=True)
def bernoulli_float32_p(words, p, out):
    """out[i] = u_i < p[i] with u_i = _unit32(words[i]) (``bernoulli_distribution<float>``); one word each."""
    for i in range(out.size):
        out[i] = _unit32(words[i]) < p[i]


@njit(cache=True)
def bernoulli_float64_p(words, p, out):
    """out[i] = u_i < p[i] with the double uniform u_i of two words (``bernoulli_distribution<double>``)."""
    for i in range(out.size):
        out[i] = _unit64(words[2 * i], words[2 * i + 1]) < p[i]


@njit(cache=True)
def exponential(words, lambd, out):
    """out[i] = (−1/λ)·log1p(−u_i) in double (rounded twice, as PyTorch's ``transformation::exponential``), two
    words each."""
    scale = -1.0 / lambd
    for i in range(out.size):
        out[i] = scale * math.log1p(-_unit64(words[2 * i], words[2 * i + 1]))


@njit(cache=True)
def geometric(words, p, out):
    """out[i] = ⌈log(u_i) / log1p(−p)⌉ in double (the number of trials up to the first success); two words each."""
    denominator = math.log1p(-p)
    for i in range(out.size):
        out[i] = math.ceil(math.log(_unit64(words[2 * i], words[2 * i + 1])) / denominator)


@njit(cache=True)
def cauchy(words, median, sigma, out):
    """out[i] = fma(σ, tan(π·(u_i − ½)), median) in double; two words each."""
    for i in range(out.size):
        out[i] = fma(sigma, math.tan(math.pi * (_unit64(words[2 * i], words[2 * i + 1]) - 0.5)), median)


@njit(cache=True)
def exp_float64(values, out):
    """out[i] = exp(values[i]) with libm's exp in double (log_normal_ applies it to its normal draws)."""
    for i in range(out.size):
        out[i] = math.exp(values[i])


@njit(cache=True)
def random_modulo(words, modulus, out):
    """out[i] = words[i] mod ``modulus``: ``random_()`` on a dtype drawn 32 bits at a time (int32)."""
    for i in range(out.size):
        out[i] = words[i] % modulus


@njit(cache=True)
def multinomial_with_replacement(words, cumulative, samples, out):
    """PyTorch's sampler with replacement for one row: ``cumulative`` is the running sum of the probabilities
    divided by their total, its last entry set to 1. Sample j takes a double uniform u (two words) and is the
    first index k with cumulative[k] >= u (a binary search)."""
    n = cumulative.size
    for j in range(samples):
        u = _unit64(words[2 * j], words[2 * j + 1])
        left, right = 0, n
        while right > left:
            mid = left + (right - left) // 2
            if cumulative[mid] < u:
                left = mid + 1
            else:
                right = mid
        out[j] = left


@njit(cache=True)
def poisson(words, rates, out):
    """PyTorch's ``sample_poisson`` for each rate λ, drawing double uniforms (two words each) as it needs them.

    λ < 10: multiply uniforms until the product falls to e^−λ or below; the count of factors before it is the
    sample. λ >= 10: Hörmann's transformed rejection (PTRS). Returns the number of words used, or −1 if
    ``words`` ran out (the caller draws more and runs it again).
    """
    k = 0
    for i in range(out.size):
        lam = rates[i]
        if lam == 0.0:
            out[i] = 0.0
        elif lam < 10.0:
            enlam = math.exp(-lam)
            x = 0
            prod = 1.0
            while True:
                if k + 2 > words.size:
                    return -1
                prod *= _unit64(words[k], words[k + 1])
                k += 2
                if prod > enlam:
                    x += 1
                else:
                    break
            out[i] = x
        else:
            slam = math.sqrt(lam)
            loglam = math.log(lam)
            b = 0.931 + 2.53 * slam
            a = -0.059 + 0.02483 * b
            invalpha = 1.1239 + 1.1328 / (b - 3.4)
            vr = 0.9277 - 3.6224 / (b - 2)
            while True:
                if k + 4 > words.size:
                    return -1
                u = _unit64(words[k], words[k + 1]) - 0.5
                v = _unit64(words[k + 2], words[k + 3])
                k += 4
                us = 0.5 - abs(u)
                x = np.int64(math.floor((2 * a / us + b) * u + lam + 0.43))
                if us >= 0.07 and v <= vr:
                    break
                if x < 0 or (us < 0.013 and v > us):
                    continue
                if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                        <= -lam + x * loglam - math.lgamma(x + 1.0)):
                    break
            out[i] = x
    return k
