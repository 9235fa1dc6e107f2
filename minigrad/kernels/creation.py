"""Evenly spaced values: PyTorch's CPU ``linspace`` loop, rounded as its kernel rounds."""

import numpy as np
from numba import njit

from ._scalar import fma, like


@njit(cache=True)
def _linspace_loop(start, end, step, out):
    """Element j is start + step·j in the first half and end − step·(n−1−j) in the second, so both ends are
    exact (one fused multiply-add each, as PyTorch's serial kernel compiles)."""
    n = out.size
    halfway = n // 2
    for j in range(n):
        if j < halfway:
            out[j] = fma(step, like(j, step), start)
        else:
            out[j] = fma(-step, like(n - 1 - j, step), end)


def linspace(start: float, end: float, steps: int, dtype: np.dtype) -> np.ndarray:
    """``steps`` values from ``start`` to ``end``, both included, as ``torch.linspace`` computes them.

    step = (end − start)/(steps − 1), in the dtype for floats and in double for integers (whose values are
    truncated toward zero); see ``_linspace_loop`` for the order of the operations.
    """
    out = np.empty(steps, dtype)
    if steps == 1:
        out[0] = dtype.type(start)
    elif steps > 1:
        compute = dtype.type if dtype.kind == "f" else np.float64
        first, last = compute(dtype.type(start)), compute(dtype.type(end))
        step = compute((last - first) / compute(steps - 1))
        _linspace_loop(first, last, step, out)
    return out


@njit(cache=True)
def _logspace_loop(start, end, step, base, out):
    """base ** (the linspace exponents in double, each from its nearer end), rounded to the output dtype."""
    n = out.size
    halfway = n // 2
    for j in range(n):
        if j < halfway:
            out[j] = base ** (start + step * float(j))
        else:
            out[j] = base ** (end - step * float(n - 1 - j))


def logspace(start: float, end: float, steps: int, base: float, dtype: np.dtype) -> np.ndarray:
    """base ** e for ``steps`` exponents e evenly spaced from ``start`` to ``end``, as ``torch.logspace``.

    The ends are first cast to the dtype, their difference taken there and divided by steps − 1 in double; the
    powers are computed in double (libm ``pow``) and then rounded to the dtype.
    """
    out = np.empty(steps, dtype)
    if steps == 1:
        out[0] = float(base) ** float(start)
    elif steps > 1:
        first, last = dtype.type(start), dtype.type(end)
        step = float(last - first) / (steps - 1)
        _logspace_loop(float(first), float(last), step, float(base), out)
    return out
