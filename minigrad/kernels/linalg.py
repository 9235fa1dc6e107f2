"""Matrix products: where PyTorch's order is known, a sequential dot in the operands' dtype; else BLAS.

PyTorch's CPU matmul (MKL) computes some products as a plain sequential dot, each product rounded and
then added (no fused multiply-add): 0 + a[i,0]*b[0,j] + a[i,1]*b[1,j] + ... . Measured against torch 2.13
on an AMD host, that holds for inner sizes K <= 3 in every layout, and for a single row (M = 1) times a
C-contiguous matrix; it is what makes the seed's Linear layers bit-exact. On Intel hosts with AVX512 MKL
fuses and reorders these too, except in its reproducible mode (MKL_CBWR=COMPATIBLE), where they are again
these sequential dots. Other products agree to rounding: MKL's blocking and FMAs cannot be reproduced, so
they go to BLAS (numpy), which is faster.
"""

import math

import numpy as np
from numba import njit

from ._scalar import like
from .layout import broadcast_shapes, copy, readonly

SEQUENTIAL_K = 3  # inner sizes up to which PyTorch's products are sequential dots, whatever the layout


@njit(cache=True)
def _sequential_matmul(a, b, out):
    """out[..., i, j] = sum_k a[..., i, k] * b[..., k, j], summed in order, in the operands' dtype."""
    for p in range(out.shape[0]):
        for i in range(out.shape[1]):
            for j in range(out.shape[2]):
                acc = like(0, out[p, i, j])  # a zero of out's dtype (the value read is unused)
                for k in range(a.shape[2]):
                    acc += a[p, i, k] * b[p, k, j]
                out[p, i, j] = acc


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
    sequential = k <= SEQUENTIAL_K or (m == 1 and b2.flags.c_contiguous)
    if not sequential or a.dtype.kind != "f":
        out = np.empty(shape, a.dtype)
        blas_matmul(a, b, out)
        return out
    a3, b3 = _batches(a2, batch, m, k), _batches(b2, batch, k, n)
    out = np.empty((a3.shape[0], m, n), a.dtype)
    _sequential_matmul(a3, b3, out)
    return out.reshape(shape)
