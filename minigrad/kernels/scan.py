"""Products and running sums along rows: ``prod``, the products that leave one factor out, and ``cumsum``.

Each takes the reduced (or scanned) axes to the end as contiguous rows (``reduce.as_rows``).
"""

import numpy as np
from numba import njit

from ._scalar import like
from .layout import copy
from .reduce import as_rows


@njit(cache=True)
def _prod_rows(x, out):
    """out[i] = x[i, 0] * x[i, 1] * ..., in order, in out's dtype."""
    for i in range(x.shape[0]):
        acc = like(1, out[i])
        for j in range(x.shape[1]):
            acc *= x[i, j]
        out[i] = acc


@njit(cache=True)
def _leave_one_out_rows(x, one, out):
    """out[i, j] = the product of row i without x[i, j]: prefix product times suffix product (zeros work).

    As PyTorch's prod_safe_zeros_backward: each exclusive running product accumulates in ``one``'s type (float64
    for floats: its CPU cumprod) and is rounded to out's dtype; the two are then multiplied in out's dtype.
    """
    for i in range(x.shape[0]):
        acc = one
        for j in range(x.shape[1]):
            out[i, j] = acc
            acc *= x[i, j]
        acc = one
        for j in range(x.shape[1] - 1, -1, -1):
            out[i, j] = out[i, j] * like(acc, out[i, j])
            acc *= x[i, j]


@njit(cache=True)
def _cumsum_rows(x, reverse, acc_zero, out):
    """out[i, j] = x[i, 0] + ... + x[i, j] (or x[i, j] + ... + x[i, n-1] when ``reverse``), accumulated in
    acc_zero's type (float64 for float32, as PyTorch's CPU cumsum does) and rounded per element."""
    n = x.shape[1]
    for i in range(x.shape[0]):
        acc = acc_zero
        for k in range(n):
            j = n - 1 - k if reverse else k
            acc += x[i, j]
            out[i, j] = acc


def prod(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """The product over ``axes`` (removed), in x's dtype (integers and bools in int64)."""
    rows, kept_shape = as_rows(x, axes)
    out = np.empty(rows.shape[0], x.dtype if x.dtype.kind == "f" else np.int64)
    _prod_rows(rows, out)
    return out.reshape(kept_shape)


def leave_one_out_products(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """For each element, the product of the other elements of its slice over ``axes``: d(prod)/dx."""
    rows, _ = as_rows(x, axes)
    out = np.empty(rows.shape, x.dtype)
    _leave_one_out_rows(rows, np.float64(1) if x.dtype.kind == "f" else x.dtype.type(1), out)
    return _from_rows(out, x.shape, axes)


def cumsum(x: np.ndarray, axis: int, dtype: np.dtype, reverse: bool = False) -> np.ndarray:
    """Running sums of ``x`` along ``axis`` in ``dtype`` (from the end when ``reverse``)."""
    rows, _ = as_rows(x, (axis,))
    out = np.empty(rows.shape, dtype)
    acc_zero = np.float64(0) if dtype.kind == "f" else dtype.type(0)
    _cumsum_rows(rows, reverse, acc_zero, out)
    return _from_rows(out, x.shape, (axis,))


def _from_rows(rows: np.ndarray, shape: tuple[int, ...], axes: tuple[int, ...]) -> np.ndarray:
    """The inverse of ``as_rows`` for per-element results: rows back to an array of ``shape``."""
    kept = [d for d in range(len(shape)) if d not in axes]
    order = kept + list(axes)
    moved = rows.reshape([shape[d] for d in order])
    return copy(moved.transpose(np.argsort(order)))
