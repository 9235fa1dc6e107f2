"""Scalar helpers for kernels: typed constants (``like``) and fused multiply-add (``fma``).

A float literal inside a numba kernel is float64, so ``1.0 - x`` silently computes a float32 ``x`` in
double precision. ``like(1.0, x)`` is the constant 1 in ``x``'s own type, so kernels do their arithmetic
in the tensor's dtype, as PyTorch's kernels do.
"""

from fractions import Fraction

import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic, overload


def like(value, ref):
    """``value`` converted to the type of the scalar ``ref`` (pure-Python form, used without the JIT)."""
    return type(ref)(value)


@overload(like)
def _like_jit(value, ref):
    if isinstance(ref, (types.Float, types.Integer, types.Boolean)):
        target = ref
        return lambda value, ref: target(value)
    return None


def fma(a, b, c):
    """a * b + c with a single rounding (float64), as compilers fuse it in PyTorch's kernels.

    Integer operands are exact anyway: a * b + c. (Pure-Python form, used without the JIT.)
    """
    if all(isinstance(v, (int, np.integer)) for v in (a, b, c)):
        return a * b + c
    return float(Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c)))


@intrinsic
def _fma_f64(typingctx, a, b, c):
    def codegen(context, builder, signature, args):
        double = ir.DoubleType()
        values = [context.cast(builder, v, t, types.float64) for v, t in zip(args, signature.args)]
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(double, [double] * 3), "llvm.fma.f64")
        return builder.call(fn, values)

    return types.float64(a, b, c), codegen


@overload(fma)
def _fma_jit(a, b, c):
    if all(isinstance(t, types.Integer) for t in (a, b, c)):
        return lambda a, b, c: a * b + c
    return lambda a, b, c: _fma_f64(a, b, c)
