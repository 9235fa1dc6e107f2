"""Kernels: every loop over array data in minigrad, as numba ``@njit(cache=True)`` functions.

This layer knows nothing of tensors or graphs; it takes numpy arrays and returns numpy arrays. The modules here
are the plain kernels, the loops a reader meets first; ``exact/`` holds the variants that compute what PyTorch's
CPU kernels compute, bit for bit, and ``fast/`` the ones that compute the same faster. Each public kernel picks
its variant in one line, by ``mode.exact`` (``use_exact_kernels``). Set ``NUMBA_DISABLE_JIT=1`` before importing
minigrad to run every kernel as plain Python (slow, but a debugger can step through it).
"""

from .dropout import dropout_noise
from .elementwise import (
    abs,  # noqa: A004
    add,
    binary,
    compare,
    div,
    eq,
    exp,
    ge,
    gt,
    le,
    log,
    logical_and,
    lt,
    maximum,
    minimum,
    mul,
    ne,
    neg,
    pow,  # noqa: A004
    reciprocal,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    sign,
    sqrt,
    sub,
    tanh,
    tanh_grad,
    unary,
    where,
)
from .index import arange, gather, positions, put, scatter_add
from .layout import broadcast_shapes, cast, copy, expand, scalar, write
from .linalg import matmul
from .loss import bce, bce_grad, bce_target_grad, in_unit_interval, log_sigmoid
from .memory import take
from .mode import are_exact_kernels_enabled, use_exact_kernels
from .optim import adadelta, adagrad, adam, nadam, rmsprop, sgd
from .random import (
    normal_blocks_float32,
    normal_blocks_float64,
    normal_box_muller,
    random64,
    random_from_to,
    randperm_inside_out,
    randperm_swaps,
    uniform_float32,
    uniform_float64,
)
from .reduce import extreme, sum, sum_to_shape, variance  # noqa: A004
from .scan import cumsum, leave_one_out_products, prod
from .softmax import nll_loss, nll_loss_backward, one_hot, softmax, softmax_backward, softplus, softplus_grad

__all__ = [
    "abs",
    "adadelta",
    "adagrad",
    "adam",
    "add",
    "arange",
    "are_exact_kernels_enabled",
    "bce",
    "bce_grad",
    "bce_target_grad",
    "binary",
    "broadcast_shapes",
    "cast",
    "compare",
    "copy",
    "cumsum",
    "div",
    "dropout_noise",
    "eq",
    "exp",
    "expand",
    "extreme",
    "gather",
    "ge",
    "gt",
    "in_unit_interval",
    "le",
    "leave_one_out_products",
    "log",
    "log_sigmoid",
    "logical_and",
    "lt",
    "matmul",
    "maximum",
    "minimum",
    "mul",
    "nadam",
    "ne",
    "neg",
    "nll_loss",
    "nll_loss_backward",
    "normal_blocks_float32",
    "normal_blocks_float64",
    "normal_box_muller",
    "one_hot",
    "positions",
    "pow",
    "prod",
    "put",
    "random64",
    "random_from_to",
    "randperm_inside_out",
    "randperm_swaps",
    "reciprocal",
    "relu",
    "relu_grad",
    "rmsprop",
    "scalar",
    "scatter_add",
    "sgd",
    "sigmoid",
    "sigmoid_grad",
    "sign",
    "softmax",
    "softmax_backward",
    "softplus",
    "softplus_grad",
    "sqrt",
    "sub",
    "sum",
    "sum_to_shape",
    "take",
    "tanh",
    "tanh_grad",
    "unary",
    "uniform_float32",
    "uniform_float64",
    "use_exact_kernels",
    "variance",
    "where",
    "write",
]
