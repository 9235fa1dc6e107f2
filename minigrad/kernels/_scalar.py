"""Scalar helpers for kernels: typed constants (``like``), fused multiply-add (``fma``) and powers of two (``pow2``).

A float literal inside a numba kernel is float64, so ``1.0 - x`` silently computes a float32 ``x`` in
double precision. ``like(1.0, x)`` is the constant 1 in ``x``'s own type, so kernels do their arithmetic
in the tensor's dtype, as PyTorch's kernels do.
"""

import math
from fractions import Fraction

import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic, overload


def like(value, ref):
    """``value`` converted to the type of the scalar ``ref`` (pure-Python form, used without the JIT).

    As PyTorch's C++ casts compile on x86, a float goes to an unsigned integer through int64, so -2.5 becomes 254
    as uint8 (LLVM's direct conversion is undefined for negative values, and vectorized it gives 0).
    """
    if isinstance(value, (float, np.floating)) and np.dtype(type(ref)).kind == "u":
        return np.array(np.int64(value)).astype(type(ref))[()]
    return type(ref)(value)


@overload(like)
def _like_jit(value, ref):
    if isinstance(ref, types.Integer) and not ref.signed and isinstance(value, types.Float):
        target = ref
        return lambda value, ref: target(np.int64(value))
    if isinstance(ref, (types.Float, types.Integer, types.Boolean)):
        target = ref
        return lambda value, ref: target(value)
    return None


def fma(a, b, c):
    """a * b + c with a single rounding, as compilers fuse it in PyTorch's kernels.

    All-float32 operands give a float32 (rounded once, from the exact value); any other float operand
    makes it float64. Integer operands are exact anyway: a * b + c. (Pure-Python form, used without the JIT.)
    """
    if all(isinstance(v, (int, np.integer)) for v in (a, b, c)):
        return a * b + c
    exact = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    if all(isinstance(v, np.float32) for v in (a, b, c)):
        return np.float32(_round_to_float32(exact))
    return float(exact)


def _round_to_float32(exact: Fraction) -> float:
    """The float32 nearest to ``exact`` (ties to even), computed without double rounding."""
    nearest = np.float32(float(exact))
    below, above = sorted((nearest, np.nextafter(nearest, np.float32(np.inf if exact > nearest else -np.inf))))
    gap = (Fraction(float(below)) + Fraction(float(above))) / 2
    if exact < gap or (exact == gap and int(below.view(np.int32)) % 2 == 0):
        return float(below)
    return float(above)


def _fma_intrinsic(bits: int):
    """An LLVM ``llvm.fma.f32``/``llvm.fma.f64`` call for operands cast to that float width."""
    numba_type = types.float32 if bits == 32 else types.float64

    @intrinsic
    def fused(typingctx, a, b, c):
        def codegen(context, builder, signature, args):
            width = ir.FloatType() if bits == 32 else ir.DoubleType()
            values = [context.cast(builder, v, t, numba_type) for v, t in zip(args, signature.args)]
            name = f"llvm.fma.f{bits}"
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(width, [width] * 3), name)
            return builder.call(fn, values)

        return numba_type(a, b, c), codegen

    return fused


_fma_f32 = _fma_intrinsic(32)
_fma_f64 = _fma_intrinsic(64)


@overload(fma)
def _fma_jit(a, b, c):
    if all(isinstance(t, types.Integer) for t in (a, b, c)):
        return lambda a, b, c: a * b + c
    if all(t == types.float32 for t in (a, b, c)):
        return lambda a, b, c: _fma_f32(a, b, c)
    return lambda a, b, c: _fma_f64(a, b, c)


def pow2(k, ref):
    """2^k in the float type of the scalar ``ref``, for an integer k whose power is a normal number of that type
    (pure-Python form, used without the JIT). Compiled, the float is built from its exponent bits: no table and
    no libm call, so loops using it can be vectorized."""
    return type(ref)(math.ldexp(1.0, int(k)))


def _pow2_intrinsic(bits: int):
    """(k + bias) << mantissa bits, read as a float32/float64: exactly 2^k for a normal power."""
    numba_type, mantissa, bias = (types.float32, 23, 127) if bits == 32 else (types.float64, 52, 1023)

    @intrinsic
    def power(typingctx, k):
        def codegen(context, builder, signature, args):
            integer = ir.IntType(bits)
            k64 = context.cast(builder, args[0], signature.args[0], types.int64)
            exponent = builder.trunc(k64, integer) if bits == 32 else k64
            pattern = builder.shl(builder.add(exponent, ir.Constant(integer, bias)), ir.Constant(integer, mantissa))
            return builder.bitcast(pattern, ir.FloatType() if bits == 32 else ir.DoubleType())

        return numba_type(k), codegen

    return power


_pow2_f32 = _pow2_intrinsic(32)
_pow2_f64 = _pow2_intrinsic(64)


@overload(pow2)
def _pow2_jit(k, ref):
    if ref == types.float32:
        return lambda k, ref: _pow2_f32(k)
    return lambda k, ref: _pow2_f64(k)
