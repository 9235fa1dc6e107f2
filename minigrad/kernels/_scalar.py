"""Typed scalar constants for kernels.

A float literal inside a numba kernel is float64, so ``1.0 - x`` silently computes a float32 ``x`` in
double precision. ``like(1.0, x)`` is the constant 1 in ``x``'s own type, so kernels do their arithmetic
in the tensor's dtype, as PyTorch's kernels do.
"""

from numba import types
from numba.extending import overload


def like(value, ref):
    """``value`` converted to the type of the scalar ``ref`` (pure-Python form, used without the JIT)."""
    return type(ref)(value)


@overload(like)
def _like_jit(value, ref):
    if isinstance(ref, (types.Float, types.Integer, types.Boolean)):
        target = ref
        return lambda value, ref: target(value)
    return None
