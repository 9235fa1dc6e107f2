"""Special functions elementwise: log-gamma, digamma, polygamma (through Hurwitz's zeta), and the sign-bit functions
(``signbit``, ``copysign``), which arithmetic cannot tell for -0.0 and NaN.

Each follows PyTorch's series (its ``calc_digamma``, ``calc_trigamma`` and ``zeta``, Cephes' algorithms: a recurrence
that pushes x up, then an asymptotic series) in the input's own dtype where PyTorch computes in it (``like``).
"""

import math

import numpy as np
from numba import njit

from ._scalar import like
from .layout import broadcast_shapes, flat, flat_broadcast

_PSI_10 = 2.25175258906672110764  # digamma(10)
_DIGAMMA_SERIES = (8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3,
                   -4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3,
                   8.33333333333333333333e-2)
# Euler-Maclaurin's coefficients of zeta's tail: (2k)! / B_2k
_ZETA_SERIES = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
                -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15,
                1.8152105401943546773e17, -7.1661652561756670113e18)
_MACHEP = 1.11022302462515654042e-16


@njit(cache=True, error_model="numpy")
def _digamma(x):
    """psi(x) = d/dx log Gamma(x) in x's type: reflection for x < 0, the recurrence psi(x) = psi(x + 1) - 1/x up to
    10, then the asymptotic series log x - 1/(2x) - sum B_2k / (2k x^2k)."""
    if x == 0:
        return like(math.copysign(math.inf, -x), x)  # +inf at -0.0, -inf at +0.0, as PyTorch
    reflected = like(0, x)
    if x < 0:
        if x == np.trunc(x):
            return like(math.nan, x)  # the poles
        fraction = np.float64(x) - np.trunc(np.float64(x))  # (pi times the fraction: tan's argument loses less)
        reflected = like(math.pi / math.tan(math.pi * fraction), x)
        x = like(1, x) - x
    result = like(0, x)
    while x < like(10, x):
        result -= like(1, x) / x
        x += like(1, x)
    if x == like(10, x):
        return result + like(_PSI_10, x) - reflected
    y = like(0, x)
    if x < like(1.0e17, x):
        z = like(1, x) / (x * x)
        polynomial = like(_DIGAMMA_SERIES[0], x)
        for k in range(1, 7):
            polynomial = polynomial * z + like(_DIGAMMA_SERIES[k], x)
        y = z * polynomial
    return result + like(np.log(x), x) - like(0.5, x) / x - y - reflected


@njit(cache=True, error_model="numpy")
def _trigamma(x):
    """psi'(x) in x's type: reflection for x < 1/2, six steps of psi'(x) = psi'(x + 1) + 1/x^2, then the asymptotic
    series (its tail in float64, as PyTorch's double constants make it)."""
    sign, result = like(1, x), like(0, x)
    if x < like(0.5, x):
        sign = like(-1, x)
        sin_pi_x = like(np.sin(like(math.pi, x) * x), x)
        result -= like(math.pi, x) * like(math.pi, x) / (sin_pi_x * sin_pi_x)
        x = like(1, x) - x
    for _ in range(6):
        result += like(1, x) / (x * x)
        x += like(1, x)
    ixx = np.float64(like(1, x) / (x * x))
    head = np.float64(like(1, x) + like(1, x) / (like(2, x) * x))
    tail = ixx * (1.0 / 6 - ixx * (1.0 / 30 - ixx * (1.0 / 42)))
    result = like(np.float64(result) + (head + tail) / np.float64(x), x)
    return sign * result


@njit(cache=True, error_model="numpy")
def _zeta(s: float, q: float) -> float:
    """Hurwitz's zeta(s, q) = sum over k >= 0 of (k + q)^-s: the first terms summed, then Euler-Maclaurin's tail."""
    if s == 1:
        return math.inf
    if s < 1:
        return math.nan
    if q <= 0:
        if q == math.floor(q):
            return math.inf
        if s != math.floor(s):
            return math.nan
    total = q ** -s
    a, b, i = q, 0.0, 0
    while i < 9 or a <= 9.0:
        i += 1
        a += 1.0
        b = a ** -s
        total += b
        if -_MACHEP * total < b < _MACHEP * total:
            return total
    w = a
    total += b * w / (s - 1.0)
    total -= 0.5 * b
    a, k = 1.0, 0.0
    for j in range(12):
        a *= s + k
        b /= w
        t = a * b / _ZETA_SERIES[j]
        total += t
        if abs(t / total) < _MACHEP:
            return total
        k += 1.0
        a *= s + k
        b /= w
        k += 1.0
    return total


@njit(cache=True, error_model="numpy")
def _polygamma(n, x):
    """psi^(n)(x), the n-th derivative of digamma, in x's type: (-1)^(n+1) n! zeta(n + 1, x) (zeta in float64)."""
    if n == 0:
        return _digamma(x)
    if n == 1:
        return _trigamma(x)
    factorial = like(np.exp(like(math.lgamma(n + 1.0), x)), x)
    return like(1 if n % 2 else -1, x) * factorial * like(_zeta(n + 1.0, np.float64(x)), x)


@njit(cache=True, error_model="numpy")
def _lgamma(x):
    if np.isinf(x) or (x <= 0 and x == np.floor(x)):
        return like(math.inf, x)  # (and the poles)
    return like(math.lgamma(np.float64(x)), x)


@njit(cache=True, error_model="numpy")
def _special_loop(function, n, x, out):
    for i in range(x.size):
        out[i] = _lgamma(x[i]) if function == 0 else _polygamma(n, x[i])


def _special(function: int, n: int, x: np.ndarray) -> np.ndarray:
    out = np.empty(x.shape, x.dtype)
    _special_loop(function, n, flat(x), out.reshape(-1))
    return out


def lgamma(x: np.ndarray) -> np.ndarray:
    """log |Gamma(x)| elementwise (inf at the poles 0, -1, -2, ...), in x's float dtype."""
    return _special(0, 0, x)


def digamma(x: np.ndarray) -> np.ndarray:
    """psi(x) = Gamma'(x) / Gamma(x) elementwise (NaN at the negative poles, -inf at +0.0)."""
    return _special(1, 0, x)


def polygamma(n: int, x: np.ndarray) -> np.ndarray:
    """psi^(n)(x), the n-th derivative of digamma, elementwise (n >= 0)."""
    return _special(1, n, x)


@njit(cache=True)
def _signbit_loop(x: np.ndarray, out: np.ndarray) -> None:
    for i in range(x.size):
        out[i] = np.signbit(x[i])


def signbit(x: np.ndarray) -> np.ndarray:
    """True where x's sign bit is set: negative numbers, -0.0 and NaNs that carry it."""
    out = np.empty(x.shape, np.bool_)
    _signbit_loop(flat(x), out.reshape(-1))
    return out


@njit(cache=True)
def _copysign_loop(a: np.ndarray, a_step: int, b: np.ndarray, b_step: int, out: np.ndarray) -> None:
    for i in range(out.size):
        out[i] = np.copysign(a[i * a_step], b[i * b_step])


def copysign(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a| with the sign bit of b, elementwise with broadcasting (a and b of one float dtype)."""
    shape = broadcast_shapes(a.shape, b.shape)
    out = np.empty(shape, a.dtype)
    _copysign_loop(*flat_broadcast(a, shape), *flat_broadcast(b, shape), out.reshape(-1))
    return out
