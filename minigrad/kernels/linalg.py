"""Matrix products: tiny ones as a sequential dot in the operands' dtype, the rest through BLAS (numpy).

PyTorch's CPU matmul (MKL) computes tiny products as a plain sequential dot, each product rounded and
then added (no fused multiply-add): 0 + a[i,0]*b[0,j] + a[i,1]*b[1,j] + ... . Doing the same for
tiny shapes makes the seed's Linear layers bit-exact; larger products agree to rounding (BLAS's
blocking and FMAs differ from MKL's and cannot be reproduced).
"""

import math

import numpy as np
from numba import njit

from ._scalar import like

SMALL_PRODUCT = 256  # M*K*N at or below which the sequential dot runs (checked against torch on these sizes)


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


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b with numpy's rules for 1-D and batched operands (shapes already checked by the caller)."""
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    m, k, n = a2.shape[-2], a2.shape[-1], b2.shape[-1]
    if m * k * n > SMALL_PRODUCT or a.dtype.kind != "f":
        return np.matmul(a, b)
    batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    count = math.prod(batch)
    a3 = np.broadcast_to(a2, (*batch, m, k)).reshape(count, m, k)
    b3 = np.broadcast_to(b2, (*batch, k, n)).reshape(count, k, n)
    out = np.empty((count, m, n), a.dtype)
    _sequential_matmul(a3, b3, out)
    out = out.reshape(*batch, m, n)
    if a.ndim == 1:
        out = out[..., 0, :]
    if b.ndim == 1:
        out = out[..., 0]
    return out
