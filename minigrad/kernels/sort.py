"""Ordering along rows: a stable merge sort, and running maxima and minima.

Each takes the sorted (or scanned) axis to the end as contiguous rows (``reduce.as_rows``). NaN orders after every
number, as in PyTorch (first when descending).
"""

import numpy as np
from numba import njit

from .reduce import as_rows
from .scan import _from_rows


@njit(cache=True, inline="always")
def _before(a, b, descending):
    """True when ``a`` goes strictly before ``b``: a < b (a > b when ``descending``), NaN counting as the largest."""
    if descending:
        return (a != a and b == b) or a > b
    return (b != b and a == a) or a < b


@njit(cache=True)
def _merge_sort_rows(x, descending, order):
    """order[i] = the positions of row i of x in sorted order; equal elements keep their order (stable).

    Bottom-up merge sort: runs of width 1, 2, 4, ... are merged pairwise into a second buffer, taking from the
    left run unless the right run's head goes strictly before it.
    """
    n = x.shape[1]
    for i in range(x.shape[0]):
        src = np.arange(n)
        dst = np.empty(n, np.int64)
        width = 1
        while width < n:
            for lo in range(0, n, 2 * width):
                mid = min(lo + width, n)
                hi = min(lo + 2 * width, n)
                a, b = lo, mid
                for k in range(lo, hi):
                    if a < mid and (b >= hi or not _before(x[i, src[b]], x[i, src[a]], descending)):
                        dst[k] = src[a]
                        a += 1
                    else:
                        dst[k] = src[b]
                        b += 1
            src, dst = dst, src
            width *= 2
        order[i, :] = src


@njit(cache=True)
def _running_extreme_rows(x, pick_min, values, indices):
    """values[i, j] = max (or min) of x[i, :j+1] and indices[i, j] where it is: the latest of equal extremes, and
    once a NaN is met, NaN at the latest NaN (PyTorch's cummax/cummin: isnan(v) or v >= best, v <= best)."""
    for i in range(x.shape[0]):
        best = x[i, 0]
        at = 0
        for j in range(x.shape[1]):
            v = x[i, j]
            if v != v or (best == best and (v <= best if pick_min else v >= best)):
                best = v
                at = j
            values[i, j] = best
            indices[i, j] = at


def sort(x: np.ndarray, axis: int, descending: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(values, int64 indices) of ``x`` sorted stably along ``axis`` (ascending unless ``descending``)."""
    rows, _ = as_rows(x, (axis,))
    order = np.empty(rows.shape, np.int64)
    _merge_sort_rows(rows, descending, order)
    values = np.take_along_axis(rows, order, 1)
    return _from_rows(values, x.shape, (axis,)), _from_rows(order, x.shape, (axis,))


def running_extreme(x: np.ndarray, axis: int, pick_min: bool) -> tuple[np.ndarray, np.ndarray]:
    """(values, int64 indices) of the running max (or min) of ``x`` along ``axis``: PyTorch's cummax (cummin)."""
    rows, _ = as_rows(x, (axis,))
    values = np.empty(rows.shape, x.dtype)
    indices = np.empty(rows.shape, np.int64)
    if rows.shape[1]:
        _running_extreme_rows(rows, pick_min, values, indices)
    return _from_rows(values, x.shape, (axis,)), _from_rows(indices, x.shape, (axis,))


@njit(cache=True)
def _mode_rows(values, order, out_values, out_indices):
    """For rows sorted ascending (``values``, with ``order`` their original positions): the value that repeats
    most (the smallest among equally frequent ones) and the last position where it occurs, as PyTorch's mode; the
    value is the one at that position (0.0 or -0.0, which are equal)."""
    for i in range(values.shape[0]):
        best_count = 0
        start = 0
        n = values.shape[1]
        while start < n:
            end = start + 1
            last = order[i, start]
            while end < n and values[i, end] == values[i, start]:
                last = max(last, order[i, end])
                end += 1
            if end - start > best_count:
                best_count = end - start
                out_values[i] = values[i, end - 1]
                out_indices[i] = last
            start = end


def most_frequent(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(values, int64 indices) of the most frequent value of ``x`` along ``axis``, which is removed."""
    values, order = sort(x, axis)
    rows, kept_shape = as_rows(values, (axis,))
    order_rows, _ = as_rows(order, (axis,))
    out_values = np.empty(rows.shape[0], x.dtype)
    out_indices = np.empty(rows.shape[0], np.int64)
    _mode_rows(rows, order_rows, out_values, out_indices)
    return out_values.reshape(kept_shape), out_indices.reshape(kept_shape)


# ----- unique: runs of equal values, in sorted or in given order -------------------------------------------------
@njit(cache=True, inline="always")
def _row_before(rows, a, b):
    """Row a goes strictly before row b: at the first position where one is less than the other (PyTorch's
    ``unique(dim=...)`` comparator, for which a NaN decides nothing)."""
    for k in range(rows.shape[1]):
        if rows[a, k] < rows[b, k]:
            return True
        if rows[a, k] > rows[b, k]:
            return False
    return False


@njit(cache=True)
def _merge_sort_lexicographic(rows, order):
    """order = the rows' positions in lexicographic order, equal rows keeping their order (the merge sort of
    ``_merge_sort_rows``, comparing whole rows)."""
    n = rows.shape[0]
    src = np.arange(n)
    dst = np.empty(n, np.int64)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            a, b = lo, mid
            for k in range(lo, hi):
                if a < mid and (b >= hi or not _row_before(rows, src[b], src[a])):
                    dst[k] = src[a]
                    a += 1
                else:
                    dst[k] = src[b]
                    b += 1
        src, dst = dst, src
        width *= 2
    order[:] = src


@njit(cache=True)
def _runs(rows, order, firsts, inverse, counts):
    """Walk the rows in ``order``; a new run starts where a row differs from the one before (some element !=, so a
    NaN never equals anything and -0.0 equals 0.0). firsts[r] = the first row of run r, inverse[i] = the run of row
    i, counts[r] = its length. Returns the number of runs."""
    runs = 0
    for k in range(order.size):
        i = order[k]
        same = k > 0
        for m in range(rows.shape[1] if same else 0):
            if rows[i, m] != rows[order[k - 1], m]:
                same = False
                break
        if same:
            counts[runs - 1] += 1
        else:
            firsts[runs] = i
            counts[runs] = 1
            runs += 1
        inverse[i] = runs - 1
    return runs


def unique_rows(rows: np.ndarray, order: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(firsts, inverse, counts) for the rows of a C-contiguous 2-D array, all int64: the first row of each run of
    equal rows, the run of each row, and each run's length. ``order``: "values" sorts single values (a stable sort,
    NaN last), "rows" sorts the rows lexicographically (stably), "given" keeps the rows' order (consecutive runs
    only)."""
    if rows.dtype == np.bool_:
        rows = rows.view(np.uint8)
    n = rows.shape[0]
    sorted_order = np.empty(n, np.int64)
    if order == "values":
        _merge_sort_rows(rows.reshape(1, n), False, sorted_order.reshape(1, n))
    elif order == "rows":
        _merge_sort_lexicographic(rows, sorted_order)
    else:
        sorted_order[:] = np.arange(n)
    firsts, inverse, counts = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    runs = _runs(rows, sorted_order, firsts, inverse, counts)
    return firsts[:runs], inverse, counts[:runs]


@njit(cache=True)
def _search_rows(boundaries, values, right, out):
    """out[r, j]: how many of row r's sorted boundaries lie before values[r, j] (below it; or equal, if ``right``), by
    bisection."""
    for r in range(values.shape[0]):
        for j in range(values.shape[1]):
            value, lo, hi = values[r, j], 0, boundaries.shape[1]
            while lo < hi:
                mid = (lo + hi) // 2
                if boundaries[r, mid] < value or (right and boundaries[r, mid] == value):
                    lo = mid + 1
                else:
                    hi = mid
            out[r, j] = lo


def search_sorted(boundaries: np.ndarray, values: np.ndarray, right: bool) -> np.ndarray:
    """For rows of sorted ``boundaries`` (R, B) and of ``values`` (R, V), of one dtype: the int64 (R, V) positions
    where each value would be inserted to keep its row sorted (before equal boundaries; after them if ``right``)."""
    out = np.empty(values.shape, np.int64)
    _search_rows(boundaries, values, right, out)
    return out
