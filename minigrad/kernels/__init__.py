"""Kernels: every loop over array data in minigrad, as numba ``@njit(cache=True)`` functions.

This layer knows nothing of tensors or graphs; it takes numpy arrays and returns numpy arrays. Set
``NUMBA_DISABLE_JIT=1`` before importing minigrad to run every kernel as plain Python (slow, but a
debugger can step through it).
"""

from .elementwise import (
    ABS,
    ADD,
    DIV,
    EQ,
    EXP,
    GE,
    GT,
    LE,
    LOG,
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
    SIGMOID,
    SIGN,
    SQRT,
    SUB,
    TANH,
    binary,
    compare,
    unary,
    where,
)
from .index import gather, scatter_add
from .layout import broadcast_shapes, cast, copy, expand, scalar
from .linalg import matmul
from .reduce import extreme, sum, sum_to_shape  # noqa: A004

__all__ = [
    "ABS",
    "ADD",
    "DIV",
    "EQ",
    "EXP",
    "GE",
    "GT",
    "LE",
    "LOG",
    "LOGICAL_AND",
    "LT",
    "MAXIMUM",
    "MINIMUM",
    "MUL",
    "NE",
    "NEG",
    "POW",
    "RECIPROCAL",
    "RELU",
    "SIGMOID",
    "SIGN",
    "SQRT",
    "SUB",
    "TANH",
    "binary",
    "broadcast_shapes",
    "cast",
    "compare",
    "copy",
    "expand",
    "extreme",
    "gather",
    "matmul",
    "scalar",
    "scatter_add",
    "sum",
    "sum_to_shape",
    "unary",
    "where",
]
