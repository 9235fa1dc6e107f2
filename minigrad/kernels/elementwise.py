"""Elementwise kernels: one loop each for unary, binary, comparison and select (``where``) ops.

An op is chosen by an integer code; the branch on it is loop-invariant, so LLVM hoists it out of the
loop. Arithmetic stays in the operands' dtype (constants come from ``like``), as in PyTorch's kernels: every
branch returns the operand's type, so integer ops never pass through float64. Division by zero gives
inf or nan (numba's numpy error model), as in PyTorch.
Operands broadcast against each other: see ``layout.flat_broadcast``.
"""

import math

import numpy as np
from numba import njit

from ._scalar import like
from .layout import broadcast_shapes, flat, flat_broadcast

# Unary op codes.
NEG, EXP, LOG, SQRT, ABS, SIGN, SIGMOID, RELU, TANH, RECIPROCAL = range(10)
# Binary op codes (operands and result share one dtype).
ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, LOGICAL_AND = range(8)
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
    if op == SIGMOID:
        return like(1, x) / (like(1, x) + like(math.exp(-x), x))
    if op == RELU:
        return like(0, x) if x < 0 else x  # keeps NaN and -0.0, as torch.relu does
    if op == TANH:
        return like(math.tanh(x), x)
    return like(like(1, x) / x, x)  # RECIPROCAL


@njit(cache=True, error_model="numpy")
def _unary_loop(op, x, out):
    for i in range(out.size):
        out[i] = _unary_scalar(op, x[i])


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
        return like(a**b, a)
    if op == MAXIMUM:
        return a if (a > b or a != a) else b
    if op == MINIMUM:
        return a if (a < b or a != a) else b
    return a and b  # LOGICAL_AND


@njit(cache=True, error_model="numpy")
def _binary_loop(op, a, step_a, b, step_b, out):
    for i in range(out.size):
        out[i] = _binary_scalar(op, a[i * step_a], b[i * step_b])


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


def unary(op: int, x: np.ndarray) -> np.ndarray:
    """A new array holding f(x) elementwise, for the unary op code ``op``."""
    out = np.empty(x.shape, x.dtype)
    _unary_loop(op, flat(x), out.reshape(-1))
    return out


def binary(op: int, a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """f(a, b) elementwise with broadcasting; ``a`` and ``b`` share a dtype. Writes into ``out`` if given."""
    shape = broadcast_shapes(a.shape, b.shape)
    if out is None:
        out = np.empty(shape, a.dtype)
    fa, sa = flat_broadcast(a, shape)
    fb, sb = flat_broadcast(b, shape)
    _binary_loop(op, fa, sa, fb, sb, out.reshape(-1))
    return out


def compare(op: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The bool array a <op> b, with broadcasting; ``a`` and ``b`` share a dtype."""
    shape = broadcast_shapes(a.shape, b.shape)
    out = np.empty(shape, np.bool_)
    fa, sa = flat_broadcast(a, shape)
    fb, sb = flat_broadcast(b, shape)
    _compare_loop(op, fa, sa, fb, sb, out.reshape(-1))
    return out


def where(cond: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a where cond is true, else b, with broadcasting of all three."""
    shape = broadcast_shapes(cond.shape, broadcast_shapes(a.shape, b.shape))
    out = np.empty(shape, a.dtype)
    fc, sc = flat_broadcast(cond, shape)
    fa, sa = flat_broadcast(a, shape)
    fb, sb = flat_broadcast(b, shape)
    _where_loop(fc, sc, fa, sa, fb, sb, out.reshape(-1))
    return out
