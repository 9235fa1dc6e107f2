"""Elementwise kernels: a unary op on every element, a binary one on every pair of broadcast elements.

The math of each op, one element at a time, and the plain loops are in ``pointwise``. Here: the result's
shape (broadcasting), its allocation, and the choice of loop. Exact mode takes PyTorch's sigmoid (its order,
SLEEF's exp), a float32 tanh computed in float64 (``exact.tanh``: PyTorch's to within its last bit) and, on large
arrays, vectorized loops on several threads (same bits); plain mode the plain loops.
"""

from collections.abc import Callable

import numpy as np

from . import memory, mode
from .exact import sigmoid as exact_sigmoid
from .exact import tanh as exact_tanh
from .fast import direct, vectorized
from .layout import broadcast_shapes, flat, flat_broadcast, scalar, write
from .pointwise import (
    ABS,
    ACOS,
    ACOSH,
    ADD,
    ASIN,
    ASINH,
    ATAN,
    ATAN2,
    ATANH,
    BITWISE_AND,
    BITWISE_NOT,
    BITWISE_OR,
    BITWISE_XOR,
    CEIL,
    COS,
    COSH,
    DIV,
    EQ,
    ERF,
    ERFC,
    ERFINV,
    EXP,
    EXP2,
    EXPM1,
    FLOOR,
    FLOOR_DIVIDE,
    FMOD,
    GE,
    GT,
    HYPOT,
    LE,
    LOG,
    LOG1P,
    LOG2,
    LOG10,
    LOGADDEXP,
    LOGICAL_AND,
    LT,
    MAXIMUM,
    MINIMUM,
    MUL,
    NE,
    NEG,
    POW,
    RECIPROCAL,
    RELU,
    RELU_GRAD,
    REMAINDER,
    ROUND,
    RSQRT,
    SIGMOID,
    SIGMOID_GRAD,
    SIGN,
    SIN,
    SINH,
    SQRT,
    SUB,
    TAN,
    TANH,
    TANH_GRAD,
    TRUNC,
    add_scaled_loop,
    binary_loop,
    compare_loop,
    unary_loop,
    where_loop,
)

SMALL = vectorized.VECTORIZED_SIZE  # fewer elements than this: the plain loops, past numba's dispatcher
_unary_direct = direct.Direct(unary_loop, written=(2,))
_binary_direct = direct.Direct(binary_loop, written=(5,))


def unary(op: int, x: np.ndarray) -> np.ndarray:
    """A new array holding op(x) elementwise, for the unary op code ``op`` (sigmoid: float ``x`` only)."""
    if mode.exact and (op == SIGMOID or (op == TANH and x.dtype == np.float32)):  # PyTorch's sigmoid, its float32
        return exact_sigmoid.sigmoid(x) if op == SIGMOID else exact_tanh.tanh(x)  # tanh to within its last bit
    if x.size < SMALL and x.flags.c_contiguous:  # a few elements: the loop every path below runs on so few, called
        out = np.empty(x.shape, x.dtype)  # directly
        _unary_direct(x.dtype, op, x.ravel(), out.ravel())
        return out
    if mode.exact:  # vectorized, on several threads when large
        return vectorized.unary(op, x)
    out = memory.empty(x.shape, x.dtype)
    unary_loop(op, flat(x), out.reshape(-1))
    return out


def binary(op: int, a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """op(a, b) elementwise with broadcasting; ``a`` and ``b`` share a dtype. Writes into ``out`` if given (any
    view of the result's shape: a strided one gets the result written through it)."""
    same = a.shape == b.shape
    if (out is None or out is a) and (same or (b.size == 1 and b.ndim <= a.ndim)) and \
            a.size < SMALL and a.flags.c_contiguous and b.flags.c_contiguous:
        # a few elements, b all of a or one value, into a new array or into a: the loop below, called directly
        if out is None:
            out = np.empty(a.shape, a.dtype)
        _binary_direct((a.dtype, b.dtype), op, a.ravel(), 1, b.ravel(), 1 if same else 0, out.ravel())
        return out
    shape = broadcast_shapes(a.shape, b.shape)
    if out is None:
        out = memory.empty(shape, a.dtype)
    elif not out.flags.c_contiguous:
        write(out, binary(op, a, b))
        return out
    if mode.exact and vectorized.arithmetic(op, a, b, out):  # vectorized loops (threads when large)
        return out
    fa, step_a = flat_broadcast(a, shape)
    fb, step_b = flat_broadcast(b, shape)
    binary_loop(op, fa, step_a, fb, step_b, out.reshape(-1))
    return out


def add_scaled(a: np.ndarray, b: np.ndarray, alpha: float) -> np.ndarray:
    """a + alpha * b elementwise with broadcasting, rounded once; ``a`` and ``b`` share a dtype (not bool), which
    ``alpha`` is converted to."""
    shape = broadcast_shapes(a.shape, b.shape)
    out = memory.empty(shape, a.dtype)
    fa, step_a = flat_broadcast(a, shape)
    fb, step_b = flat_broadcast(b, shape)
    add_scaled_loop(fa, step_a, fb, step_b, scalar(alpha, a.dtype)[()], out.reshape(-1))
    return out


def compare(op: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The bool array a <op> b, with broadcasting; ``a`` and ``b`` share a dtype."""
    shape = broadcast_shapes(a.shape, b.shape)
    out = memory.empty(shape, np.bool_)
    fa, step_a = flat_broadcast(a, shape)
    fb, step_b = flat_broadcast(b, shape)
    compare_loop(op, fa, step_a, fb, step_b, out.reshape(-1))
    return out


def where(cond: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a where cond is true, else b, with broadcasting of all three."""
    shape = broadcast_shapes(cond.shape, broadcast_shapes(a.shape, b.shape))
    out = memory.empty(shape, a.dtype)
    fc, step_c = flat_broadcast(cond, shape)
    fa, step_a = flat_broadcast(a, shape)
    fb, step_b = flat_broadcast(b, shape)
    where_loop(fc, step_c, fa, step_a, fb, step_b, out.reshape(-1))
    return out


# ----- the same kernels by name, as the ops call them: ``mul(a, b)`` is ``binary(MUL, a, b)`` -------------------------
def _unary_kernel(code: int, name: str) -> Callable[[np.ndarray], np.ndarray]:
    def kernel(x: np.ndarray) -> np.ndarray:
        return unary(code, x)

    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = f"{name}(x) elementwise, as a new array."
    return kernel


def _binary_kernel(code: int, name: str) -> Callable[..., np.ndarray]:
    def kernel(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return binary(code, a, b, out)

    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = f"{name}(a, b) elementwise with broadcasting (into ``out`` if given)."
    return kernel


def _compare_kernel(code: int, name: str) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    def kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return compare(code, a, b)

    kernel.__name__ = kernel.__qualname__ = name
    kernel.__doc__ = f"The bool array {name}(a, b), with broadcasting."
    return kernel


neg = _unary_kernel(NEG, "neg")
exp = _unary_kernel(EXP, "exp")
log = _unary_kernel(LOG, "log")
sqrt = _unary_kernel(SQRT, "sqrt")
abs = _unary_kernel(ABS, "abs")  # noqa: A001
sign = _unary_kernel(SIGN, "sign")
sigmoid = _unary_kernel(SIGMOID, "sigmoid")
relu = _unary_kernel(RELU, "relu")
tanh = _unary_kernel(TANH, "tanh")
reciprocal = _unary_kernel(RECIPROCAL, "reciprocal")
add = _binary_kernel(ADD, "add")
sub = _binary_kernel(SUB, "sub")
mul = _binary_kernel(MUL, "mul")
div = _binary_kernel(DIV, "div")
pow = _binary_kernel(POW, "pow")  # noqa: A001
maximum = _binary_kernel(MAXIMUM, "maximum")
minimum = _binary_kernel(MINIMUM, "minimum")
logical_and = _binary_kernel(LOGICAL_AND, "logical_and")
tanh_grad = _binary_kernel(TANH_GRAD, "tanh_grad")  # a * (1 - b * b): the gradient a through tanh, given its output b
sigmoid_grad = _binary_kernel(SIGMOID_GRAD, "sigmoid_grad")  # a * (1 - b) * b: through sigmoid, given its output b
relu_grad = _binary_kernel(RELU_GRAD, "relu_grad")  # a where b > 0, else 0
eq = _compare_kernel(EQ, "eq")
ne = _compare_kernel(NE, "ne")
lt = _compare_kernel(LT, "lt")
le = _compare_kernel(LE, "le")
gt = _compare_kernel(GT, "gt")
ge = _compare_kernel(GE, "ge")
# the math functions
sin = _unary_kernel(SIN, "sin")
cos = _unary_kernel(COS, "cos")
tan = _unary_kernel(TAN, "tan")
asin = _unary_kernel(ASIN, "asin")
acos = _unary_kernel(ACOS, "acos")
atan = _unary_kernel(ATAN, "atan")
sinh = _unary_kernel(SINH, "sinh")
cosh = _unary_kernel(COSH, "cosh")
asinh = _unary_kernel(ASINH, "asinh")
acosh = _unary_kernel(ACOSH, "acosh")
atanh = _unary_kernel(ATANH, "atanh")
log1p = _unary_kernel(LOG1P, "log1p")
expm1 = _unary_kernel(EXPM1, "expm1")
log2 = _unary_kernel(LOG2, "log2")
log10 = _unary_kernel(LOG10, "log10")
exp2 = _unary_kernel(EXP2, "exp2")
rsqrt = _unary_kernel(RSQRT, "rsqrt")
erf = _unary_kernel(ERF, "erf")
erfc = _unary_kernel(ERFC, "erfc")
erfinv = _unary_kernel(ERFINV, "erfinv")
floor = _unary_kernel(FLOOR, "floor")
ceil = _unary_kernel(CEIL, "ceil")
rint = _unary_kernel(ROUND, "rint")  # halves to even
trunc = _unary_kernel(TRUNC, "trunc")
bitwise_not = _unary_kernel(BITWISE_NOT, "bitwise_not")
atan2 = _binary_kernel(ATAN2, "atan2")
hypot = _binary_kernel(HYPOT, "hypot")
logaddexp = _binary_kernel(LOGADDEXP, "logaddexp")
fmod = _binary_kernel(FMOD, "fmod")
remainder = _binary_kernel(REMAINDER, "remainder")
floor_divide = _binary_kernel(FLOOR_DIVIDE, "floor_divide")
bitwise_and = _binary_kernel(BITWISE_AND, "bitwise_and")
bitwise_or = _binary_kernel(BITWISE_OR, "bitwise_or")
bitwise_xor = _binary_kernel(BITWISE_XOR, "bitwise_xor")
