"""Reductions over rows: sum, and max/min with the index of the first extreme.

``_rows`` puts the reduced axes last and copies the view to a contiguous (rows, row_length) buffer, so
each kernel reduces one contiguous row per output element.
"""

import numpy as np
from numba import njit

from .layout import cast, copy


@njit(cache=True)
def _sum_rows(x, out):
    """out[i] += x[i, 0] + x[i, 1] + ..., accumulated in out's dtype (float64 for floats)."""
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i] += x[i, j]


@njit(cache=True)
def _extreme_rows(x, pick_min, values, indices):
    """Max (or min) of each row and the index of its first occurrence; NaN wins, as in PyTorch."""
    for i in range(x.shape[0]):
        best = x[i, 0]
        at = 0
        for j in range(1, x.shape[1]):
            v = x[i, j]
            if best != best:
                break
            if v != v or (v < best if pick_min else v > best):
                best = v
                at = j
        values[i] = best
        indices[i] = at


def _rows(x: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, tuple[int, ...]]:
    """``x`` as a contiguous 2-D array (kept elements, reduced elements) and the kept axes' shape."""
    kept = [d for d in range(x.ndim) if d not in axes]
    view = x.transpose(kept + list(axes))
    if not view.flags.c_contiguous:
        view = copy(view)
    kept_shape = tuple(x.shape[d] for d in kept)
    row_length = int(np.prod([x.shape[d] for d in axes]))
    return view.reshape(int(np.prod(kept_shape)), row_length), kept_shape


def _accumulator(dtype: np.dtype) -> np.dtype:
    """The dtype sums accumulate in: float64 for floats, int64 for integers and bools."""
    return np.dtype(np.float64) if dtype.kind == "f" else np.dtype(np.int64)


def sum(x: np.ndarray, axes: tuple[int, ...], dtype: np.dtype | None = None) -> np.ndarray:  # noqa: A001
    """The sum of ``x`` over ``axes`` (kept axes stay, reduced ones go), in ``dtype``.

    By default floats sum to their own dtype, integers and bools to int64 (as in PyTorch).
    """
    rows, kept_shape = _rows(x, axes)
    acc = np.zeros(rows.shape[0], _accumulator(x.dtype))
    _sum_rows(rows, acc)
    if dtype is None:
        dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.int64)
    return cast(acc, np.dtype(dtype)).reshape(kept_shape)


def extreme(x: np.ndarray, axis: int, pick_min: bool) -> tuple[np.ndarray, np.ndarray]:
    """(values, int64 indices) of the max (or min) of ``x`` along ``axis``, which is removed."""
    rows, kept_shape = _rows(x, (axis,))
    values = np.empty(rows.shape[0], x.dtype)
    indices = np.empty(rows.shape[0], np.int64)
    _extreme_rows(rows, pick_min, values, indices)
    return values.reshape(kept_shape), indices.reshape(kept_shape)


def sum_to_shape(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Undo broadcasting: sum ``grad`` over the dimensions that broadcasting added or stretched from 1."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + d for d, n in enumerate(shape) if n == 1 and grad.shape[lead + d] != 1
    )
    return sum(grad, axes).reshape(shape)
