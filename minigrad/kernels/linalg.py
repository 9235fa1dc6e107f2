"""Matrix products: the textbook loop, each output a dot product summed in order in the operands' dtype.

Exact mode keeps that loop where PyTorch's MKL sums in order too (``exact.products``) and hands the other products
to BLAS (numpy), which agrees with MKL to rounding and is faster.
"""

import math

import numpy as np
from numba import njit

from . import mode
from .exact import products
from .layout import broadcast_shapes, copy, readonly


@njit(cache=True)
def _matmul_loop(a, b, out):
    """out[..., i, j] = sum_k a[..., i, k] * b[..., k, j], summed in order of k, in the operands' dtype. (Row i of
    out gathers a[i, k] times row k of b for each k in turn: each sum still runs in order of k, and the innermost
    loop walks rows, which is kind to the cache.)"""
    for p in range(out.shape[0]):
        for i in range(out.shape[1]):
            out[p, i, :] = 0
            for k in range(a.shape[2]):
                for j in range(out.shape[2]):
                    out[p, i, j] += a[p, i, k] * b[p, k, j]


def _batches(x: np.ndarray, batch: tuple[int, ...], rows: int, cols: int) -> np.ndarray:
    """``x`` broadcast over ``batch`` as one read-only C-contiguous (count, rows, cols) array (one kernel type)."""
    if x.shape != (*batch, rows, cols):
        x = np.broadcast_to(x, (*batch, rows, cols))
    return readonly(x if x.flags.c_contiguous else copy(x), (math.prod(batch), rows, cols))


def blas_matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """out = a @ b through numpy's BLAS: not a numba kernel (``minigrad.compile`` calls it in object mode)."""
    with np.errstate(all="ignore"):  # inf * 0 is NaN, as in PyTorch: no RuntimeWarning for the user
        np.matmul(a, b, out=out)


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b with numpy's rules for 1-D and batched operands (shapes already checked by the caller)."""
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    m, k, n = a2.shape[-2], a2.shape[-1], b2.shape[-1]
    batch = broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    shape = (*batch, *((m,) if a.ndim > 1 else ()), *((n,) if b.ndim > 1 else ()))
    if a.dtype.kind != "f" or (mode.exact and not products.in_sequence(m, k, b2)):  # BLAS, as PyTorch's MKL
        out = np.empty(shape, a.dtype)
        blas_matmul(a, b, out)
        return out
    a3, b3 = _batches(a2, batch, m, k), _batches(b2, batch, k, n)
    out = np.empty((a3.shape[0], m, n), a.dtype)
    _matmul_loop(a3, b3, out)
    return out.reshape(shape)
