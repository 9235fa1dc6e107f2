"""Elementwise kernels: one loop each for unary, binary, comparison and select (``where``) ops.

An op is chosen by an integer code; the branch on it is loop-invariant, so LLVM hoists it out of the
loop. Arithmetic stays in the operands' dtype (constants come from ``like``), as in PyTorch's kernels: every
branch returns the operand's type, so integer ops never pass through float64. Division by zero gives
inf or nan (numba's numpy error model), as in PyTorch.
Operands broadcast against each other: see ``layout.flat_broadcast``.
"""

import functools
import math
import os

import llvmlite.binding as llvm
import numpy as np
from numba import njit, types
from numba.extending import overload

from . import memory, threads
from ._scalar import fma, like, pow2
from .layout import broadcast_shapes, copy, flat, flat_broadcast, readonly, reorder_dimensions, write

# Unary op codes.
NEG, EXP, LOG, SQRT, ABS, SIGN, SIGMOID, RELU, TANH, RECIPROCAL = range(10)
# Binary op codes (operands and result share one dtype). TANH_GRAD: a * (1 - b * b) with 1 - b * b fused (one
# rounding), as PyTorch's tanh_backward kernel computes it; SIGMOID_GRAD: a * (1 - b) * b, rounded after each
# operation, as its sigmoid_backward does; RELU_GRAD: 0 where b <= 0, else a (its threshold_backward: NaN passes a).
ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, LOGICAL_AND, TANH_GRAD, SIGMOID_GRAD, RELU_GRAD = range(11)
# Comparison codes (bool result).
EQ, NE, LT, LE, GT, GE = range(6)


@njit(cache=True, inline="always", error_model="numpy")
def _unary_scalar(op, x):
    if op == NEG:
        return -x
    if op == EXP:
        return like(math.exp(x), x)
    if op == LOG:
        if x < 0:
            return like(math.nan, x)
        if x == 0:
            return like(-math.inf, x)
        return like(math.log(x), x)
    if op == SQRT:
        return like(math.sqrt(x), x) if x >= 0 else like(math.nan, x)
    if op == ABS:
        return abs(x)
    if op == SIGN:
        if x > 0:
            return like(1, x)
        return like(-1, x) if x < 0 else like(0, x)  # torch.sign(nan) is 0
    if op == RELU:
        return like(0, x) if x < 0 else x  # keeps NaN and -0.0, as torch.relu does
    if op == TANH:
        return like(math.tanh(x), x)
    return like(like(1, x) / x, x)  # RECIPROCAL


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
    at the end, so LLVM vectorizes loops that call it (sigmoid's: float32 about 6x faster than with early
    returns, float64 1.5x; same bits).
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


@njit(cache=True, inline="always", error_model="numpy")
def _unary_elements(op, x, out):
    for i in range(out.size):
        out[i] = _unary_scalar(op, x[i])


@njit(cache=True, nogil=True, error_model="numpy")
def _unary_loop(op, x, out):
    """out[i] = op(x[i]). Written out, not through ``_unary_elements``: numba's inlining costs compile time, and
    every program compiles this loop."""
    for i in range(out.size):
        out[i] = _unary_scalar(op, x[i])


@njit(cache=True, nogil=True, error_model="numpy")
def _simple_unary_loop(op, x, out):
    """``_unary_loop`` for one of ``SIMPLE_UNARY`` on a contiguous array: a loop per op, with the op fixed, which
    LLVM vectorizes (the same negation, absolute value or select on each element). ``unary`` calls it for large
    arrays only."""
    if op == NEG:
        _unary_elements(NEG, x, out)
    elif op == ABS:
        _unary_elements(ABS, x, out)
    else:
        _unary_elements(RELU, x, out)


@njit(cache=True, error_model="numpy")
def _sigmoid_sleef(x, out):
    """out[i] = 1 / (exp(0 - x[i]) + 1) with SLEEF's exp. A loop of its own, from 0: LLVM vectorizes it (the same
    loop over range(start, stop) inside ``_sigmoid_loop`` it does not, 2x slower)."""
    for i in range(out.size):
        v = x[i]
        out[i] = like(1, v) / (sleef_exp(like(0, v) - v) + like(1, v))


@njit(cache=True, nogil=True, error_model="numpy")
def _sigmoid_loop(x, out, row, block):
    """PyTorch's sigmoid of floats laid out in the order it walks them, in rows of ``row`` elements (0: none).

    As its vectorized loop: in each row, whole blocks of ``block`` elements (two vectors; 0: no SLEEF) give
    1 / (exp(0 - x) + 1) with SLEEF's exp (``sleef_exp``), the rest of the row 1 / (1 + exp(-x)) with libm's.
    """
    length = row if row else max(out.size, 1)
    vector = row // block * block if block else 0
    for start in range(0, out.size, length):
        _sigmoid_sleef(x[start:start + vector], out[start:start + vector])
        for i in range(start + vector, min(start + length, out.size)):
            v = x[i]
            out[i] = like(1, v) / (like(1, v) + like(math.exp(-v), v))


@njit(cache=True, inline="always", error_model="numpy")
def _binary_scalar(op, a, b):
    if op == ADD:
        return a + b
    if op == SUB:
        return a - b
    if op == MUL:
        return a * b
    if op == DIV:
        return like(a / b, a)
    if op == POW:
        return _pow(a, b)
    if op == MAXIMUM:
        return a if (a > b or a != a) else b
    if op == MINIMUM:
        return a if (a < b or a != a) else b
    if op == TANH_GRAD:
        return a * fma(-b, b, like(1, b))
    if op == SIGMOID_GRAD:
        return a * (like(1, b) - b) * b
    if op == RELU_GRAD:
        return like(0, a) if b <= like(0, b) else a
    return a and b  # LOGICAL_AND


def _pow(a, b):
    """a ** b in a's type: floats through ``**``; integers as PyTorch's powi (pure-Python form, used without the
    JIT)."""
    if isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_)):
        return _powi(a, b)
    return like(a**b, a)


@overload(_pow)
def _pow_jit(a, b):
    if isinstance(a, types.Integer):
        return lambda a, b: _powi(a, b)
    return lambda a, b: like(a**b, a)


@njit(cache=True)
def _powi(a, b):
    """PyTorch's integer pow: a negative exponent gives 1 for a == 1, +-1 for a == -1 and 0 otherwise; else
    repeated squaring, wrapping around on overflow as its C++ does."""
    if b < 0:
        if a == 1:
            return like(1, a)
        if a == -1:
            return like(-1, a) if (-b) % 2 else like(1, a)
        return like(0, a)
    result = like(1, a)
    while b:
        if b & 1:
            result = like(result * a, a)
        b //= 2
        a = like(a * a, a)
    return result


@njit(cache=True, inline="always", error_model="numpy")
def _binary_elements(op, a, step_a, b, step_b, out):
    for i in range(out.size):
        out[i] = _binary_scalar(op, a[i * step_a], b[i * step_b])


@njit(cache=True, error_model="numpy")
def _binary_loop(op, a, step_a, b, step_b, out):
    """out[i] = op(a[i * step_a], b[i * step_b]). Written out, not through ``_binary_elements``: numba's inlining
    costs compile time (0.1-0.3 s here), and every program compiles this loop."""
    for i in range(out.size):
        out[i] = _binary_scalar(op, a[i * step_a], b[i * step_b])


@njit(cache=True, nogil=True, error_model="numpy")
def _arithmetic_loop(op, a, b, out):
    """``_binary_loop`` for one of ``ARITHMETIC`` on contiguous operands: a loop per op, with the op and the steps
    fixed, which LLVM vectorizes (same bits: the same IEEE operations on each element either way). ``a`` and ``b``
    each hold all of out's elements or one row of them, repeated (a bias added to a batch): the loop runs row by
    row. Its loops take about a second to compile, so ``binary`` calls it for large arrays only."""
    row = min(a.size, b.size)
    for start in range(0, out.size, row):
        ra = a[start % a.size:start % a.size + row]
        rb = b[start % b.size:start % b.size + row]
        ro = out[start:start + row]
        if op == ADD:
            _binary_elements(ADD, ra, 1, rb, 1, ro)
        elif op == SUB:
            _binary_elements(SUB, ra, 1, rb, 1, ro)
        elif op == MUL:
            _binary_elements(MUL, ra, 1, rb, 1, ro)
        elif op == DIV:
            _binary_elements(DIV, ra, 1, rb, 1, ro)
        elif op == SIGMOID_GRAD:
            _binary_elements(SIGMOID_GRAD, ra, 1, rb, 1, ro)
        else:
            _binary_elements(RELU_GRAD, ra, 1, rb, 1, ro)


@njit(cache=True)
def _compare_loop(op, a, step_a, b, step_b, out):
    for i in range(out.size):
        x = a[i * step_a]
        y = b[i * step_b]
        if op == EQ:
            out[i] = x == y
        elif op == NE:
            out[i] = x != y
        elif op == LT:
            out[i] = x < y
        elif op == LE:
            out[i] = x <= y
        elif op == GT:
            out[i] = x > y
        else:
            out[i] = x >= y


@njit(cache=True)
def _where_loop(cond, step_c, a, step_a, b, step_b, out):
    for i in range(out.size):
        out[i] = a[i * step_a] if cond[i * step_c] else b[i * step_b]


def _walk(x: np.ndarray) -> tuple[list[int], int]:
    """How PyTorch's TensorIterator walks ``x`` for a unary op: (perm, row) such that x.transpose(perm) in C order
    is its order, in rows of ``row`` elements that its vectorized loop runs along (0: none, it loops on scalars).

    Dims of size 1 drop out; the rest are insertion-sorted by stride, fastest last (reorder_dimensions: equal
    strides put the smaller dim inside; a zero stride leaves the order open). A row is the innermost dim, if
    its step is 1 (or 0: a broadcast value), merged with the next dims while they continue it in memory. So a
    C-contiguous ``x`` is walked in memory order, as one row (what the rest gives, without the sort).
    """
    if x.flags.c_contiguous and x.size > 1:
        return list(range(x.ndim)), x.size

    def after(d0: int, d1: int) -> int:  # 1 if d0 is walked faster than d1 should be, -1 if slower, 0 if open
        s0, s1 = x.strides[d0], x.strides[d1]
        if s0 == 0 or s1 == 0:
            return 0
        if s0 != s1:
            return 1 if s0 > s1 else -1
        return 1 if x.shape[d0] > x.shape[d1] else 0

    order = reorder_dimensions(x.shape, after)  # fastest first
    row = 0
    if order and x.strides[order[0]] in (0, x.itemsize):  # contiguous, or one value broadcast along the row
        row, step = 1, x.strides[order[0]]
        for d in order:
            if x.strides[d] != step:
                break
            row, step = row * x.shape[d], step * x.shape[d]
    perm = [d for d in range(x.ndim) if x.shape[d] == 1] + order[::-1]
    return perm, row


@functools.cache
def vector_bytes() -> int:
    """The bytes in a vector of PyTorch's CPU kernels built per capability (sigmoid's is; its sum is AVX2 only).

    64 with AVX512 (the host has AVX512 VL, BW, DQ and FMA), 32 with AVX2 (AVX2 and FMA), else 0: the generic
    build, whose vectors use libm. ``ATEN_CPU_CAPABILITY`` (avx512, avx2, default) overrides it, as in PyTorch.
    """
    try:
        features = llvm.get_host_cpu_features()
    except RuntimeError:
        features = {}
    if all(features.get(f, False) for f in ("avx512vl", "avx512bw", "avx512dq", "fma")):
        hardware = "avx512"
    elif all(features.get(f, False) for f in ("avx2", "fma")):
        hardware = "avx2"
    else:
        hardware = "default"
    return {"avx512": 64, "avx2": 32}.get(os.environ.get("ATEN_CPU_CAPABILITY") or hardware, 0)  # empty: unset


_VECTORIZED_SIZE = 1 << 12  # elements from which ``unary`` and ``binary`` use their vectorized loops
SIMPLE_UNARY = (NEG, ABS, RELU)  # the ops ``_simple_unary_loop`` has loops for
ARITHMETIC = (ADD, SUB, MUL, DIV, SIGMOID_GRAD, RELU_GRAD)  # the ops ``_arithmetic_loop`` has loops for


def unary(op: int, x: np.ndarray) -> np.ndarray:
    """A new array holding f(x) elementwise, for the unary op code ``op`` (sigmoid: float ``x`` only)."""
    if op == SIGMOID:  # position-dependent: walk x in PyTorch's order
        perm, row = _walk(x)
        walked = x.transpose(perm)
        out = memory.empty(walked.shape, x.dtype)
        source, target, block = flat(walked), out.reshape(-1), 2 * vector_bytes() // x.itemsize
        if row == x.size and threads.worth_splitting(row):  # one row: pieces of whole blocks compute what it does
            threads.in_pieces(lambda start, stop: _sigmoid_loop(source[start:stop], target[start:stop], stop - start,
                                                                block), x.size, block or 1)
        else:
            _sigmoid_loop(source, target, row, block)
        result = out.transpose(sorted(range(x.ndim), key=perm.__getitem__))  # perm undone
        return result if result.flags.c_contiguous else copy(result)  # (moving size-1 dims copies nothing)
    out = memory.empty(x.shape, x.dtype)
    simple = op in SIMPLE_UNARY and x.flags.c_contiguous and out.size >= _VECTORIZED_SIZE
    threads.split(out.size, _simple_unary_loop if simple else _unary_loop, op, flat(x), out.reshape(-1))
    return out


def binary(op: int, a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """f(a, b) elementwise with broadcasting; ``a`` and ``b`` share a dtype. Writes into ``out`` if given (any
    view of the result's shape: a strided one gets the result written through it)."""
    shape = broadcast_shapes(a.shape, b.shape)
    if out is None:
        out = memory.empty(shape, a.dtype)
    elif not out.flags.c_contiguous:
        write(out, binary(op, a, b))
        return out
    if op in ARITHMETIC and out.size >= _VECTORIZED_SIZE:
        ra, rb = _repeated_rows(a, shape), _repeated_rows(b, shape)
        if ra is not None and rb is not None:
            row = min(ra.size, rb.size)  # pieces of whole rows (of any length if neither operand is a row)
            threads.split(out.size, _arithmetic_loop, op, ra, rb, out.reshape(-1), block=row if row < out.size else 1)
            return out
    fa, sa = flat_broadcast(a, shape)
    fb, sb = flat_broadcast(b, shape)
    _binary_loop(op, fa, sa, fb, sb, out.reshape(-1))
    return out


def _repeated_rows(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """``x`` as a flat buffer holding all of ``shape``'s elements or whole rows of them (2 or more), repeated (a
    bias (C,) against (N, C): its shape, less leading 1s, is a trailing part of ``shape``), for
    ``_arithmetic_loop``; None if it is neither. (A single value is not spread into a row: that copy would not be
    a kernel, and ``minigrad.compile`` replays kernels only, so it would keep the value of its trace.)"""
    if x.size == 1 or not x.flags.c_contiguous:
        return None
    dims = x.shape[next((i for i, n in enumerate(x.shape) if n != 1), x.ndim):]
    return readonly(x, -1) if shape[len(shape) - len(dims):] == dims else None


def compare(op: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The bool array a <op> b, with broadcasting; ``a`` and ``b`` share a dtype."""
    shape = broadcast_shapes(a.shape, b.shape)
    out = memory.empty(shape, np.bool_)
    fa, sa = flat_broadcast(a, shape)
    fb, sb = flat_broadcast(b, shape)
    _compare_loop(op, fa, sa, fb, sb, out.reshape(-1))
    return out


def where(cond: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a where cond is true, else b, with broadcasting of all three."""
    shape = broadcast_shapes(cond.shape, broadcast_shapes(a.shape, b.shape))
    out = memory.empty(shape, a.dtype)
    fc, sc = flat_broadcast(cond, shape)
    fa, sa = flat_broadcast(a, shape)
    fb, sb = flat_broadcast(b, shape)
    _where_loop(fc, sc, fa, sa, fb, sb, out.reshape(-1))
    return out
