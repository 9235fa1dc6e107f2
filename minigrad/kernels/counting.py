"""Counting: how often each integer occurs (``bincount``) and how many values fall in each of equal bins (``histc``).

Both walk the input once, in memory order, adding into the output as PyTorch's CPU loops do (float weights and
float bin counts are added in the output's dtype).
"""

import numpy as np
from numba import njit

from ._scalar import like
from .layout import flat


@njit(cache=True)
def _bincount_loop(x, weights, out):
    for i in range(x.size):
        out[x[i]] += weights[i]


@njit(cache=True)
def _count_loop(x, out):
    for i in range(x.size):
        out[x[i]] += 1


def bincount(x: np.ndarray, weights: np.ndarray | None, length: int) -> np.ndarray:
    """out[v] = how many times v occurs in the non-negative integers ``x`` (or the sum of their ``weights``), for
    v < ``length``: int64 counts, or sums in the weights' dtype."""
    out = np.zeros(length, np.int64 if weights is None else weights.dtype)
    if weights is None:
        _count_loop(flat(x), out)
    else:
        _bincount_loop(flat(x), flat(weights), out)
    return out


@njit(cache=True)
def _histc_loop(x, left, right, bins, out):
    """PyTorch's linear-interpolation histogram: v in [left, right] goes to bin (v − left)·bins/(right − left),
    truncated, in x's dtype; v = right to the last bin. NaNs and values outside are skipped. A position that
    overflows to inf converts (on x86) to the lowest int64, which PyTorch's address arithmetic wraps to bin 0."""
    n = like(bins, left)
    width = right - left
    for i in range(x.size):
        v = x[i]
        if not (v >= left and v <= right):
            continue
        q = (v - left) * n / width
        pos = 0 if not q < 9.2e18 else np.int64(q)
        if pos == bins:
            pos -= 1
        out[pos] += 1


def histc(x: np.ndarray, left: np.ndarray, right: np.ndarray, bins: int) -> np.ndarray:
    """The counts of the float values ``x`` in ``bins`` equal bins from ``left`` to ``right`` (0-d arrays of x's
    dtype: the first and last of PyTorch's linspace edges), in x's dtype."""
    out = np.zeros(bins, x.dtype)
    _histc_loop(flat(x), left[()], right[()], bins, out)
    return out


@njit(cache=True)
def _histogram_loop(x, weights, edges, linear, out):
    """PyTorch's torch.histogram: v in [edges[0], edges[-1]] goes to the bin k with edges[k] <= v < edges[k + 1] (v
    equal to the last edge to the last bin), adding its weight (1 when ``weights`` is empty). For ``linear`` edges (a
    linspace) the search starts at (v − left)·bins/(right − left), truncated in x's dtype, and looks at that bin's
    neighbours only; otherwise it runs over all edges. NaNs and values outside are skipped."""
    bins = edges.size - 1
    left, right = edges[0], edges[bins]
    for i in range(x.size):
        v = x[i]
        if not (v >= left and v <= right):
            continue
        low, high = 0, bins + 1
        if linear:
            guess = np.int64((v - left) * like(bins, left) / (right - left))
            low, high = max(0, guess - 1), min(guess + 2, bins + 1)
        while low < high and edges[low] <= v:  # the first edge above v, less one (upper_bound)
            low += 1
        pos = min(low - 1, bins - 1)
        out[pos] += weights[i] if weights.size else like(1, v)


def histogram(x: np.ndarray, weights: np.ndarray | None, edges: np.ndarray, linear: bool) -> np.ndarray:
    """The histogram of the float values ``x`` over the increasing ``edges`` (a linspace when ``linear``), each value
    counting 1 or its weight, in x's dtype."""
    out = np.zeros(edges.size - 1, x.dtype)
    _histogram_loop(flat(x), flat(weights if weights is not None else x[:0]), flat(edges), linear, out)
    return out
