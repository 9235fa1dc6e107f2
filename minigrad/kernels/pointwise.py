"""What each elementwise op does to one element, and the plain loops that do it to every element.

An op is chosen by an integer code; the branch on it is loop-invariant, so LLVM hoists it out of the
loop. Arithmetic stays in the operands' dtype (constants come from ``like``), as in PyTorch's kernels: every
branch returns the operand's type, so integer ops never pass through float64. Division by zero gives
inf or nan (numba's numpy error model), as in PyTorch.
"""

import math

import numpy as np
from numba import njit, types
from numba.extending import overload

from ._scalar import fma, like

# Unary op codes.
NEG, EXP, LOG, SQRT, ABS, SIGN, SIGMOID, RELU, TANH, RECIPROCAL = range(10)
# The math functions (float inputs; FLOOR to TRUNC on integers too) and ~ (integers and bools only).
(SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH, LOG1P, EXPM1, LOG2, LOG10, EXP2, RSQRT, ERF, ERFC,
 ERFINV, FLOOR, CEIL, ROUND, TRUNC, BITWISE_NOT) = range(10, 35)
# Binary op codes (operands and result share one dtype). TANH_GRAD: a * (1 - b * b) with 1 - b * b fused (one
# rounding), as PyTorch's tanh_backward kernel computes it; SIGMOID_GRAD: a * (1 - b) * b, rounded after each
# operation, as its sigmoid_backward does; RELU_GRAD: 0 where b <= 0, else a (its threshold_backward: NaN passes a).
ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, LOGICAL_AND, TANH_GRAD, SIGMOID_GRAD, RELU_GRAD = range(11)
# The two-argument math functions (ATAN2, HYPOT, LOGADDEXP: floats only) and & | ^ (integers and bools only).
ATAN2, HYPOT, LOGADDEXP, FMOD, REMAINDER, FLOOR_DIVIDE, BITWISE_AND, BITWISE_OR, BITWISE_XOR = range(11, 20)
# Comparison codes (bool result).
EQ, NE, LT, LE, GT, GE = range(6)


@njit(cache=True, inline="always", error_model="numpy")
def unary_scalar(op, x):
    """op(x) for one element ``x``, in x's type."""
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
    if op == SIGMOID:  # (in x's type, as every branch: one branch of another type would retype them all)
        return like(like(1, x) / (like(1, x) + like(math.exp(-x), x)), x)
    if op == RELU:
        return like(0, x) if x < 0 else x  # keeps NaN and -0.0, as torch.relu does
    if op == TANH:
        return like(math.tanh(x), x)
    if op == RECIPROCAL:
        return like(like(1, x) / x, x)
    return math_scalar(op, x)


@njit(cache=True, inline="always", error_model="numpy")
def math_scalar(op, x):
    """op(x) for the math functions (codes SIN to BITWISE_NOT), through libm in x's type. numpy's functions, not
    ``math``'s, so that out-of-domain inputs give NaN or inf, not Python's errors, when run without the JIT."""
    if op == SIN:
        return like(np.sin(x), x)
    if op == COS:
        return like(np.cos(x), x)
    if op == TAN:
        return like(np.tan(x), x)
    if op == ASIN:
        return like(np.arcsin(x), x)
    if op == ACOS:
        return like(np.arccos(x), x)
    if op == ATAN:
        return like(np.arctan(x), x)
    if op == SINH:
        return like(np.sinh(x), x)
    if op == COSH:
        return like(np.cosh(x), x)
    if op == ASINH:
        return like(np.arcsinh(x), x)
    if op == ACOSH:
        return like(np.arccosh(x), x)
    if op == ATANH:
        return like(np.arctanh(x), x)
    if op == LOG1P:
        return like(np.log1p(x), x)
    if op == EXPM1:
        return like(np.expm1(x), x)
    if op == LOG2:
        return like(np.log2(x), x)
    if op == LOG10:
        return like(np.log10(x), x)
    if op == EXP2:
        return like(np.exp2(x), x)
    if op == RSQRT:
        return like(like(1, x) / np.sqrt(x), x)
    if op == ERF:
        return like(math.erf(x), x)
    if op == ERFC:
        return like(math.erfc(x), x)
    if op == ERFINV:
        return like(_erfinv(np.float64(x)), x)
    if op == FLOOR:
        return like(np.floor(x), x)
    if op == CEIL:
        return like(np.ceil(x), x)
    if op == ROUND:
        return like(np.rint(x), x)  # halves to even, as C's nearbyint
    if op == TRUNC:
        return like(np.trunc(x), x)
    return _invert(x)  # BITWISE_NOT


@njit(cache=True, error_model="numpy")
def _erfinv(y):
    """The inverse of erf in double, as PyTorch's calc_erfinv: a rational first guess (one for |y| <= 0.7, one for
    the tails), then two Newton steps on erf(x) = y."""
    if abs(y) > 1:
        return math.nan
    if abs(y) == 1:
        return math.copysign(math.inf, y)
    if abs(y) <= 0.7:
        z = y * y
        num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899
        den = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1.0
        x = y * num / den
    else:
        z = math.sqrt(-math.log((1.0 - abs(y)) / 2.0))
        num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454
        den = (1.637067800 * z + 3.543889200) * z + 1.0
        x = math.copysign(num, y) / den
    for _ in range(2):
        x = x - (math.erf(x) - y) / (2.0 / math.sqrt(math.pi) * math.exp(-x * x))
    return x


def _invert(x):
    """~x: the bits flipped for integers, logical not for bools (pure-Python form; floats never get here)."""
    if isinstance(x, (bool, np.bool_)):
        return not x
    return ~x


@overload(_invert)
def _invert_jit(x):
    if isinstance(x, types.Boolean):
        return lambda x: not x
    if isinstance(x, types.Integer):
        return lambda x: ~x
    return lambda x: x  # floats: the ops refuse them before any kernel runs


@njit(cache=True, inline="always", error_model="numpy")
def binary_scalar(op, a, b):
    """op(a, b) for one pair of elements of one type."""
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
    if op == LOGICAL_AND:
        return a and b
    return math_binary_scalar(op, a, b)


@njit(cache=True, inline="always", error_model="numpy")
def math_binary_scalar(op, a, b):
    """op(a, b) for the two-argument math functions and the bitwise ops (codes ATAN2 to BITWISE_XOR)."""
    if op == ATAN2:
        return like(np.arctan2(a, b), a)
    if op == HYPOT:
        return like(np.hypot(a, b), a)
    if op == LOGADDEXP:  # PyTorch's form: m + log1p(exp(-|a - b|)), m = max(a, b); equal infinities give themselves
        if np.isinf(a) and a == b:
            return a
        m = a if a > b else b
        return m + like(np.log1p(np.exp(-abs(a - b))), a)
    if op == FMOD:
        return _fmod(a, b)
    if op == REMAINDER:  # the sign of b, as Python's %
        r = _fmod(a, b)
        return r + b if r != 0 and (r < 0) != (b < 0) else r
    if op == FLOOR_DIVIDE:
        return _floor_divide(a, b)
    return _bitwise(op, a, b)


def _fmod(a, b):
    """a - b * trunc(a / b), with a's sign, as C's fmod (pure-Python form)."""
    return like(np.fmod(a, b), a)


@overload(_fmod)
def _fmod_jit(a, b):
    if isinstance(a, (types.Integer, types.Boolean)):  # numba's np.fmod reads signed integers as unsigned
        return lambda a, b: _fmod_integer(a, b)
    return lambda a, b: like(np.fmod(a, b), a)


@njit(cache=True, error_model="numpy")
def _fmod_integer(a, b):
    """fmod for integers, from Python's floor-rounded %: 0 for b = 0."""
    if b == 0:
        return like(0, a)
    r = like(a % b, a)
    return like(r - b, a) if r != 0 and (r < 0) != (a < 0) else r


def _floor_divide(a, b):
    """a // b as PyTorch rounds it (pure-Python form): Python's floor for integers; for floats, from fmod, so
    that a = b * q + fmod(a, b) holds as well as the rounding allows."""
    if isinstance(a, (int, np.integer, bool, np.bool_)):
        return like(a // b, a) if b != 0 else like(0, a)
    return _floor_divide_float(a, b)


@overload(_floor_divide)
def _floor_divide_jit(a, b):
    if isinstance(a, (types.Integer, types.Boolean)):
        return lambda a, b: like(a // b, a) if b != 0 else like(0, a)
    return lambda a, b: _floor_divide_float(a, b)


@njit(cache=True, error_model="numpy")
def _floor_divide_float(a, b):
    """PyTorch's div_floor_floating, in a's type."""
    if b == 0:
        return like(a / b, a)
    mod = like(np.fmod(a, b), a)
    div = like((a - mod) / b, a)
    if mod != 0 and (b < 0) != (mod < 0):
        div -= like(1, a)
    if div == 0:
        return like(math.copysign(0.0, a / b), a)
    floor = like(np.floor(div), a)
    return floor + like(1, a) if div - floor > like(0.5, a) else floor


def _bitwise(op, a, b):
    """a & b, a | b or a ^ b for integers and bools (pure-Python form; floats never get here)."""
    if op == BITWISE_AND:
        return a & b
    return a | b if op == BITWISE_OR else a ^ b


@overload(_bitwise)
def _bitwise_jit(op, a, b):
    if isinstance(a, (types.Integer, types.Boolean)):
        return lambda op, a, b: like(a & b, a) if op == BITWISE_AND else like(a | b if op == BITWISE_OR else a ^ b, a)
    return lambda op, a, b: a  # floats: the ops refuse them before any kernel runs


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


@njit(cache=True, nogil=True, error_model="numpy")
def unary_loop(op, x, out):
    """out[i] = op(x[i])."""
    for i in range(out.size):
        out[i] = unary_scalar(op, x[i])


@njit(cache=True, error_model="numpy")
def binary_loop(op, a, step_a, b, step_b, out):
    """out[i] = op(a[i * step_a], b[i * step_b]): a step of 0 reads one value for every i (a broadcast scalar)."""
    for i in range(out.size):
        out[i] = binary_scalar(op, a[i * step_a], b[i * step_b])


@njit(cache=True)
def add_scaled_loop(a, step_a, b, step_b, alpha, out):
    """out[i] = a[i] + alpha * b[i], rounded once (PyTorch's add with alpha: fma(b, alpha, a); exact for integers)."""
    for i in range(out.size):
        out[i] = fma(b[i * step_b], alpha, a[i * step_a])


@njit(cache=True)
def compare_loop(op, a, step_a, b, step_b, out):
    """out[i] = a[i * step_a] <op> b[i * step_b], a bool."""
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
def where_loop(cond, step_c, a, step_a, b, step_b, out):
    """out[i] = a[i] if cond[i] else b[i] (each read with its step)."""
    for i in range(out.size):
        out[i] = a[i * step_a] if cond[i * step_c] else b[i * step_b]
