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
# Binary op codes (operands and result share one dtype). TANH_GRAD: a * (1 - b * b) with 1 - b * b fused (one
# rounding), as PyTorch's tanh_backward kernel computes it; SIGMOID_GRAD: a * (1 - b) * b, rounded after each
# operation, as its sigmoid_backward does; RELU_GRAD: 0 where b <= 0, else a (its threshold_backward: NaN passes a).
ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, LOGICAL_AND, TANH_GRAD, SIGMOID_GRAD, RELU_GRAD = range(11)
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
    if op == SIGMOID:
        return like(1, x) / (like(1, x) + like(math.exp(-x), x))
    if op == RELU:
        return like(0, x) if x < 0 else x  # keeps NaN and -0.0, as torch.relu does
    if op == TANH:
        return like(math.tanh(x), x)
    return like(like(1, x) / x, x)  # RECIPROCAL


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
