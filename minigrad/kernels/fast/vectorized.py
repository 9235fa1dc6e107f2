"""Elementwise loops LLVM vectorizes, split over threads on large arrays: the same IEEE operations on each element
as ``pointwise``'s loops, so the same bits, several times faster.

``pointwise``'s loops branch on the op code inside the loop and read with a step; these have one loop per op, the
op and the steps fixed, which LLVM turns into vector instructions. They take long to compile (seconds a dtype), so
they are used from ``VECTORIZED_SIZE`` elements on, but for float arithmetic, which takes them at any size.
"""

import numpy as np
from numba import njit

from .. import memory
from ..layout import flat, readonly
from ..pointwise import (
    ABS,
    ADD,
    DIV,
    MUL,
    NEG,
    RELU,
    RELU_GRAD,
    SIGMOID_GRAD,
    SUB,
    binary_scalar,
    unary_loop,
    unary_scalar,
)
from . import direct, threads

VECTORIZED_SIZE = 1 << 12  # elements from which the loops below are used
SIMPLE_UNARY = (NEG, ABS, RELU)  # the ops ``_simple_unary_loop`` has loops for
ARITHMETIC = (ADD, SUB, MUL, DIV, SIGMOID_GRAD, RELU_GRAD)  # the ops ``_arithmetic_loop`` has loops for
WITH_VALUE = (ADD, SUB, MUL, DIV)  # the ops ``_value_loop`` has loops for


@njit(cache=True, inline="always", error_model="numpy")
def _unary_elements(op, x, out):
    for i in range(out.size):
        out[i] = unary_scalar(op, x[i])


@njit(cache=True, nogil=True, error_model="numpy")
def _simple_unary_loop(op, x, out):
    """``unary_loop`` for one of ``SIMPLE_UNARY`` on a contiguous array: a loop per op, with the op fixed."""
    if op == NEG:
        _unary_elements(NEG, x, out)
    elif op == ABS:
        _unary_elements(ABS, x, out)
    else:
        _unary_elements(RELU, x, out)


@njit(cache=True, inline="always", error_model="numpy")
def _binary_elements(op, a, b, out):
    for i in range(out.size):
        out[i] = binary_scalar(op, a[i], b[i])


@njit(cache=True, nogil=True, error_model="numpy")
def _arithmetic_loop(op, a, b, out):
    """``binary_loop`` for one of ``ARITHMETIC`` on contiguous operands: a loop per op, with the op and the steps
    fixed. ``a`` and ``b`` each hold all of out's elements or one row of them, repeated (a bias added to a batch):
    the loop runs row by row."""
    row = min(a.size, b.size)
    for start in range(0, out.size, row):
        ra = a[start % a.size:start % a.size + row]
        rb = b[start % b.size:start % b.size + row]
        ro = out[start:start + row]
        if op == ADD:
            _binary_elements(ADD, ra, rb, ro)
        elif op == SUB:
            _binary_elements(SUB, ra, rb, ro)
        elif op == MUL:
            _binary_elements(MUL, ra, rb, ro)
        elif op == DIV:
            _binary_elements(DIV, ra, rb, ro)
        elif op == SIGMOID_GRAD:
            _binary_elements(SIGMOID_GRAD, ra, rb, ro)
        else:
            _binary_elements(RELU_GRAD, ra, rb, ro)


@njit(cache=True, inline="always", error_model="numpy")
def _value_elements(op, a, b, out):
    """out[i] = op(a[i], v) where b is the one value v, else op(v, b[i]) with a's (read once, before the loop)."""
    if b.size == 1:
        value = b[0]
        for i in range(out.size):
            out[i] = binary_scalar(op, a[i], value)
    else:
        value = a[0]
        for i in range(out.size):
            out[i] = binary_scalar(op, value, b[i])


@njit(cache=True, nogil=True, error_model="numpy")
def _value_loop(op, a, b, out):
    """``binary_loop`` for one of ``WITH_VALUE`` on contiguous operands, one of them a single value (a step size, a
    scale), the other as many as out: a loop per op and side, with the op fixed."""
    if op == ADD:
        _value_elements(ADD, a, b, out)
    elif op == SUB:
        _value_elements(SUB, a, b, out)
    elif op == MUL:
        _value_elements(MUL, a, b, out)
    else:
        _value_elements(DIV, a, b, out)


def unary(op: int, x: np.ndarray) -> np.ndarray:
    """A new array holding op(x) elementwise: vectorized for the simple ops, on several threads when large."""
    out = memory.empty(x.shape, x.dtype)
    simple = op in SIMPLE_UNARY and x.flags.c_contiguous and out.size >= VECTORIZED_SIZE
    threads.split(out.size, _simple_unary_loop if simple else unary_loop, op, flat(x), out.reshape(-1))
    return out


def arithmetic(op: int, a: np.ndarray, b: np.ndarray, out: np.ndarray) -> bool:
    """out = op(a, b), if a vectorized loop can compute it (a contiguous ``out``, large or of floats, operands each
    all of out's elements or its rows repeated, or one of them a single value): on several threads, pieces of whole
    rows. False, and nothing done, otherwise."""
    if op not in ARITHMETIC or not out.size or (out.size < VECTORIZED_SIZE and out.dtype.kind != "f"):
        return False
    ra, rb = _repeated_rows(a, out.shape), _repeated_rows(b, out.shape)
    if ra is None or rb is None:
        return False
    with_value = (ra.size == 1) != (rb.size == 1)
    if with_value and op not in WITH_VALUE:
        return False
    if not threads.worth_splitting(out.size):
        run = _value_direct if with_value else _arithmetic_direct
        run((a.dtype, b.dtype, out.dtype), op, ra, rb, out.reshape(-1))
        return True
    row = min(ra.size, rb.size)  # pieces of whole rows (of any length if neither operand is a row)
    threads.split(out.size, _value_loop if with_value else _arithmetic_loop, op, readonly(ra), readonly(rb),
                  out.reshape(-1), block=row if 1 < row < out.size else 1)
    return True


_arithmetic_direct = direct.Direct(_arithmetic_loop, written=(3,))
_value_direct = direct.Direct(_value_loop, written=(3,))


def _repeated_rows(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """``x`` as a flat buffer holding all of ``shape``'s elements, whole rows of them, repeated (a bias (C,) against
    (N, C): its shape, less leading 1s, is a trailing part of ``shape``), or one value; None if it is none of these.
    (One value stays one, read by the loop: spread into a row, that copy would not be a kernel, and
    ``minigrad.compile`` replays kernels only, so it would keep the value of its trace.)"""
    if x.size == 1:
        return x.reshape(1)
    if not x.flags.c_contiguous:
        return None
    dims = x.shape
    while dims[0] == 1:
        dims = dims[1:]
    return x.ravel() if dims == shape[len(shape) - len(dims):] else None
