"""SLEEF's exp and log, as PyTorch's vectorized CPU kernels call them (1-ulp versions, FMA builds), ported to numba.

PyTorch computes exp and log inside vectorized loops (sigmoid, softmax) with SLEEF, whose results can differ
from libm's in the last bit. These ports give SLEEF's bits, so those kernels agree with PyTorch's bit for bit.
"""

import math

import numpy as np
from numba import njit, types
from numba.extending import overload

from .._scalar import fma, like, pow2


def sleef_exp(x):
    """e^x as SLEEF's 1-ulp vector exp computes it in PyTorch (Sleef_expf8_u10 / Sleef_expd4_u10 for AVX2; the
    AVX512 builds give the same values). Pure-Python form (used without the JIT): picks the port by x's type.
    """
    return _sleef_expf(x) if isinstance(x, np.float32) else _sleef_expd(x)


@overload(sleef_exp)
def _sleef_exp_jit(x):
    return (lambda x: _sleef_expf(x)) if x == types.float32 else (lambda x: _sleef_expd(x))


@njit(cache=True)
def _sleef_expf(d):
    """SLEEF's xexpf on a float32, in float32 with its multiply-adds fused (FMA builds).

    q = rint(d * 1/ln2); s = d - q ln2 in two fmas (ln2 split as 0.693145751953125 + 1.4286068e-6);
    u = a degree-5 polynomial in s (Horner, fmas), then 1 + fma(s * s, u, s), scaled by 2^(q >> 1) and then
    by 2^(q - (q >> 1)). 0 below -104, inf above 100, NaN for NaN.

    Branch-free, as SLEEF's vector code is: out-of-range inputs are computed as 0 and their result selected
    at the end, so LLVM vectorizes loops that call it (several times faster than with early returns; same bits).
    """
    t = d if (d >= -104 and d <= 100) else like(0, d)
    q = np.rint(t * like(1.442695040888963407359924681001892137426645954152985934135449406931, t))
    s = fma(q, like(-0.693145751953125, t), t)
    s = fma(q, like(-1.428606765330187045e-06, t), s)
    u = like(0.000198527617612853646278381, t)
    u = fma(u, s, like(0.00139304355252534151077271, t))
    u = fma(u, s, like(0.00833336077630519866943359, t))
    u = fma(u, s, like(0.0416664853692054748535156, t))
    u = fma(u, s, like(0.166666671633720397949219, t))
    u = fma(u, s, like(0.5, t))
    u = like(1, t) + fma(s * s, u, s)
    return _scaled(u, np.int32(q), d, like(-104, d), like(100, d))


@njit(cache=True)
def _sleef_expd(d):
    """SLEEF's xexp on a float64, with its multiply-adds fused (FMA builds).

    q = rint(d * 1/ln2); s = d - q ln2 in two fmas; u = a degree-9 polynomial in s evaluated Estrin-style
    (fmas, with s^2, s^4, s^8), then u = fma(u, s, 0.5), fma(u, s, 1), fma(u, s, 1), scaled by
    2^(q >> 1) * 2^(q - (q >> 1)). 0 below -1000, inf above log(DBL_MAX) = 709.782712893384, NaN for NaN.
    Branch-free, as ``_sleef_expf``. (SLEEF's source cuts at 709.78271114955742909217217426; the exp torch 2.13
    runs gives finite values up to log(DBL_MAX), as measured, so that is the cut here.)
    """
    top = 709.78271289338399678773454114191
    t = d if (d >= -1000 and d <= top) else 0.0
    q = np.rint(t * 1.442695040888963407359924681001892137426645954152985934135449406931)
    s = fma(q, -0.69314718055966295651160180568695068359375, t)
    s = fma(q, -0.28235290563031577122588448175013436025525412068e-12, s)
    s2 = s * s
    s4 = s2 * s2
    s8 = s4 * s4
    high = fma(s2, fma(s, 0.2755762628169491192e-6, 0.2755723402025388239e-5),
               fma(s, 0.2480158687479686264e-4, 0.1984126989855865850e-3))
    low = fma(s2, fma(s, 0.1388888888914497797e-2, 0.8333333333314938210e-2),
              fma(s, 0.4166666666666602598e-1, 0.1666666666666669072e+0))
    u = fma(s8, fma(s, 0.2081276378237164457e-8, 0.2511210703042288022e-7), fma(s4, high, low))
    u = fma(u, s, 0.5)
    u = fma(u, s, 1.0)
    u = fma(u, s, 1.0)
    return _scaled(u, np.int32(q), d, -1000.0, top)


@njit(cache=True, inline="always")
def _scaled(u, q, d, bottom, top):
    """SLEEF's exp ending: u * 2^(q >> 1) * 2^(q - (q >> 1)), then 0 for d below ``bottom``, inf above ``top``
    and d itself for NaN (selects, not branches)."""
    half = q >> 1
    result = u * pow2(half, u) * pow2(q - half, u)
    result = like(0, d) if d < bottom else result
    result = like(math.inf, d) if d > top else result
    return d if d != d else result


# ----- log (xlogf_u1 / xlog_u1) ------------------------------------------------------------------------------
def sleef_log(x):
    """log x as SLEEF's 1-ulp vector log computes it in PyTorch (Sleef_logf8_u10 / Sleef_logd4_u10 for AVX2;
    AVX512 gives the same values). Pure-Python form (used without the JIT): picks the port by x's type.
    """
    return _sleef_logf(x) if isinstance(x, np.float32) else _sleef_logd(x)


@overload(sleef_log)
def _sleef_log_jit(x):
    return (lambda x: _sleef_logf(x)) if x == types.float32 else (lambda x: _sleef_logd(x))


@njit(cache=True, inline="always")
def _add2(x, y):
    """(s, e) with s = x + y rounded and e its exact error (SLEEF's dfadd2_vf2_vf_vf)."""
    s = x + y
    v = s - x
    return s, (x - (s - v)) + (y - v)


@njit(cache=True, inline="always")
def _log_reduce(d, tiny):
    """SLEEF's log, first half, for a positive finite d of either width: d = m 2^e with m in [0.75, 1.5)
    (d below ``tiny`` is scaled by 2^64 first), and x = (m - 1) / (m + 1) as a double-word (x_hi, x_lo).
    """
    one = like(1, d)
    shift = 0
    if d < tiny:
        d = d * like(18446744073709551616.0, d)
        shift = 64
    e = math.frexp(d * like(1.0 / 0.75, d))[1] - 1
    m = like(math.ldexp(d, -e), d)
    n_hi, n_lo = _add2(-one, m)
    d_hi, d_lo = _add2(one, m)
    t = one / d_hi
    x_hi = n_hi * t
    u = fma(t, n_hi, -x_hi)
    v = fma(-d_lo, t, fma(-d_hi, t, one))
    return e - shift, x_hi, fma(x_hi, v, fma(n_lo, t, u))


@njit(cache=True, inline="always")
def _log_finish(e, x_hi, x_lo, poly, ln2_hi, ln2_lo):
    """SLEEF's log, second half: e ln2 + 2x + x^3 P(x^2) summed in double-words, ``poly`` = P(x_hi^2)."""
    ef = like(e, x_hi)
    s_hi = ln2_hi * ef
    s_lo = fma(ln2_lo, ef, fma(ln2_hi, ef, -s_hi))
    two = like(2, x_hi)
    a_hi, a_lo = x_hi * two, x_lo * two
    total = s_hi + a_hi
    s_lo = (((s_hi - total) + a_hi) + s_lo) + a_lo
    s_hi = total
    w = (x_hi * x_hi * x_hi) * poly
    total = s_hi + w
    s_lo = ((s_hi - total) + w) + s_lo
    return total + s_lo


@njit(cache=True, inline="always")
def _log_special(d):
    """SLEEF's results outside the positive finite range: NaN for NaN or d < 0, -inf at 0, inf at inf."""
    if d != d or d < 0:
        return like(math.nan, d)
    if d == 0:
        return like(-math.inf, d)
    return d


@njit(cache=True)
def _sleef_logf(d):
    """SLEEF's xlogf_u1 on a float32: P(x^2) = (0.3027294874 x^2 + 0.3996108174) x^2 + 0.6666694880."""
    if not 0 < d < math.inf:
        return _log_special(d)
    e, x_hi, x_lo = _log_reduce(d, like(1.1754943508222875e-38, d))
    x2 = x_hi * x_hi
    poly = fma(fma(like(0.3027294874, d), x2, like(0.3996108174, d)), x2, like(0.6666694880, d))
    return _log_finish(e, x_hi, x_lo, poly, like(0.69314718246459960938, d), like(-1.904654323148236017e-09, d))


@njit(cache=True)
def _sleef_logd(d):
    """SLEEF's xlog_u1 on a float64: P(x^2) of degree 6, evaluated Estrin-style in x^2, x^4, x^8."""
    if not 0 < d < math.inf:
        return _log_special(d)
    e, x_hi, x_lo = _log_reduce(d, 2.2250738585072014e-308)
    x2 = x_hi * x_hi
    x4 = x2 * x2
    poly = fma(x4 * x4, fma(x4, 0.1532076988502701353, fma(x2, 0.1525629051003428716, 0.1818605932937785996)),
               fma(x4, fma(x2, 0.2222214519839380009, 0.2857142932794299317),
                   fma(x2, 0.3999999999635251990, 0.6666666666667333541)))
    return _log_finish(e, x_hi, x_lo, poly, 0.693147180559945286226764, 2.319046813846299558417771e-17)
