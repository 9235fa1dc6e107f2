"""Fuzz generators of the everyday API's math ops (see test_fuzz.py, which imports this file to register them)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st
from test_fuzz import ORDINARY, SPECIAL, Arr, H, Step, _dim_or_dims, arrays, generator, operand, path

MATH_UNARY = (
    "Sin",
    "Cos",
    "Tan",
    "Asin",
    "Acos",
    "Atan",
    "Sinh",
    "Cosh",
    "Asinh",
    "Acosh",
    "Atanh",
    "Log1p",
    "Expm1",
    "Log2",
    "Log10",
    "Exp2",
    "Rsqrt",
    "Reciprocal",
    "Erf",
    "Erfc",
    "Erfinv",
    "Sign",
    "Floor",
    "Ceil",
    "Trunc",
    "Frac",
    "Deg2Rad",
    "Rad2Deg",
    "Lgamma",
    "Digamma",
)


@generator(*MATH_UNARY)
def gen_math_unary(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    return [Step(op, path(op), (H,))]


@generator("Round")
def gen_round(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    decimals = draw(st.sampled_from([None, 0, 1, 2, -1, 3]))
    if decimals is None:
        return [Step(op, path(op), (H,))]
    return [Step(op, path(op), (H,), {"decimals": decimals})]


@generator("Atan2", "Hypot", "Logaddexp", "Fmod", "Remainder")
def gen_math_binary(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    takes_number = op in ("Fmod", "Remainder")
    other = draw(operand(h, numbers=takes_number))
    if isinstance(other, Arr):
        forms = [(H, other), (other, H)]
        if op == "Atan2" and not h.is_floating_point():
            # Constrained: atan2 of an integer or bool first operand gives the second no gradient. torch's backward
            # computes the second's gradient as grad * -self / (self * self + other * other) with each product in
            # its operand's own dtype: -self is refused for a bool tensor (a RuntimeError in backward: "Negation
            # ... on a bool tensor"), and self * self wraps around for large integers.
            other = Arr(other.values, other.values.dtype.name, other.values.shape, False, other.strided)
            forms = [(H, other), (other, H)]
        elif op == "Atan2" and other.values.dtype != h.numpy().dtype:
            # Constrained: with a float first operand, the second has its dtype. torch's backward squares each
            # operand in its own dtype (other * other in float32 rounds, overflows or underflows to 0 where
            # minigrad's promoted float64 does not; int64's wraps around), so the gradients differ by more than
            # rounding; the same with -self for a bool second operand first (see above).
            other = draw(arrays(h.numpy().dtype.name, other.values.shape))
            forms = [(H, other), (other, H)]
        elif op == "Logaddexp" and (h.dtype == torch.bool or other.values.dtype == np.bool_):
            # Constrained: logaddexp with a bool operand gives no gradient (a bool partner is uint8's 0 and 1).
            # torch's backward computes other - self, a subtraction it refuses with a bool tensor (a RuntimeError
            # in backward: "Subtraction ... with a bool tensor"); a torch quirk, not logaddexp's arithmetic.
            dtype = other.values.dtype.name if h.dtype == torch.bool else "uint8"
            other = Arr(other.values, dtype, other.values.shape, other.grad and h.dtype != torch.bool, other.strided)
            forms = [(H, other), (other, H)]
        args = draw(st.sampled_from(forms))
        if op in ("Fmod", "Remainder"):
            args = _no_overflowing_quotient(h, args)
        return [Step(op, path(op), args)]
    if op in ("Fmod", "Remainder") and other is not H:
        return [Step(op, path(op), _no_overflowing_quotient(h, (H, other)))]
    return [Step(op, path(op), (H, other))]


def _no_overflowing_quotient(h: Any, args: tuple[Any, Any]) -> tuple[Any, Any]:
    """fmod/remainder's operands with 0 in place of the partner's elements (or 2 in place of a number divisor) where
    a finite a / b overflows.

    Constrained: torch's vectorized fmod and remainder of floats compute a - b * trunc(a / b), NaN where a / b
    overflows (fmod(1.0, 1e-310) in float64, fmod(1e30, 1e-30) in float32), while its scalar loop (the tail of a
    tensor, or a small one) computes the exact remainder: the result depends on the tensor's size. Judged in
    float64 where every tensor operand is float64, in float32 otherwise (the computation's dtype or a
    narrower one)."""
    a_value, b_value = (h.numpy() if x is H else x.values if isinstance(x, Arr) else x for x in args)
    a, b = np.asarray(a_value), np.asarray(b_value)
    if a.dtype.kind != "f" and b.dtype.kind != "f":
        return args
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:  # broadcast_partner's new leading dim can make shapes that do not broadcast: both raise
        return args
    tensors = [a.dtype for x, a in zip(args, (a, b), strict=True) if x is H or isinstance(x, Arr)]
    dtype = np.float64 if all(t == np.float64 for t in tensors) else np.float32
    with np.errstate(all="ignore"):
        af, bf = a.astype(dtype), b.astype(dtype)
        quotient = np.abs(af) / np.abs(bf)
        overflow = np.isinf(quotient) & np.isfinite(af) & np.isfinite(bf) & (bf != 0)
    if not overflow.any():
        return args
    if not isinstance(args[1], Arr) and args[1] is not H:  # a number divisor
        return (args[0], 2.0)
    partner = 0 if isinstance(args[0], Arr) else 1
    values = args[partner].values
    hit = np.broadcast_to(_reduce_to(overflow, values.shape), values.shape)
    fixed = np.where(hit, 2 * partner, values).astype(values.dtype)
    old = args[partner]
    new = Arr(fixed, values.dtype.name, values.shape, old.grad, old.strided)
    return (new, args[1]) if partner == 0 else (args[0], new)


def _reduce_to(mask: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``mask`` (of the broadcast shape) or-ed down to ``shape``."""
    lead = mask.ndim - len(shape)
    mask = mask.any(axis=tuple(range(lead))) if lead else mask
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and mask.shape[i] != 1)
    return mask.any(axis=axes, keepdims=True) if axes else mask


@generator("Lerp")
def gen_lerp(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    end = draw(operand(h, numbers=False))
    if draw(st.booleans()):
        weight: Any = draw(st.one_of(ORDINARY, st.sampled_from([0.0, 0.5, 1.0, -1.5, 0.3, 0.9])))
    else:
        weight = draw(operand(h, numbers=False))
        if isinstance(weight, Arr) and weight.values.ndim == 0 and h.dim() == 0:
            # Constrained: a 0-d weight tensor with a 0-d h has h's dtype. torch then promotes all three to the
            # weight's dtype in the forward but computes the backward's end - start in the inputs' own dtype (a
            # float64 weight's gradient rounded through float32), and takes an integer start to float: minigrad
            # matches the forward's dtype, not that backward (a known gap, in the notes of issue 23).
            weight = Arr(weight.values, str(h.numpy().dtype), weight.values.shape, weight.grad, weight.strided)
        if isinstance(weight, Arr) and weight.values.dtype == np.bool_:
            # Constrained: no bool weight tensor. torch takes a 0-d one, then its backward computes 1 - weight,
            # which it refuses for a bool tensor (a RuntimeError in backward); a torch quirk, not lerp's arithmetic.
            weight = Arr(weight.values, "float32", weight.values.shape, weight.grad, weight.strided)
    first = draw(st.sampled_from([H, end] if isinstance(end, Arr) else [H]))
    second = end if first is H else H
    return [Step(op, path(op), (first, second, weight))]


@generator("Addcmul", "Addcdiv")
def gen_addc(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    a, b = draw(operand(h, numbers=False)), draw(operand(h, numbers=False))
    if op == "Addcdiv":
        # Constrained: addcdiv's partners are floats. With an integer tensor2 and a float result, torch's backward
        # fails ("result type Float can't be cast to the desired output type Long", a RuntimeError in backward).
        # Constrained: the float partners take h's float dtype. torch's backward computes value / tensor2 in tensor2's
        # own dtype and then promotes (float32 rounding of a float64 gradient), minigrad in the promoted dtype: a
        # last-bit difference of where the rounding happens, as for atan2 and pow's tensor exponent.
        dtype = h.numpy().dtype.name if h.is_floating_point() else "float32"
        a, b = (Arr(x.values, dtype, x.values.shape, x.grad, x.strided) if isinstance(x, Arr) else x for x in (a, b))
    elif h.is_floating_point():
        # Constrained (addcmul): the partners of a float h take its dtype, for the same reason: torch's backward
        # computes tensor2 * value in tensor2's own dtype (a float32 product in a float64 gradient)
        dtype = h.numpy().dtype.name
        a, b = (Arr(x.values, dtype, x.values.shape, x.grad, x.strided) if isinstance(x, Arr) else x for x in (a, b))
    # Constrained (addcdiv): an integer h stays the input. As tensor2 with a float result, torch's backward fails
    # ("result type Float can't be cast to the desired output type Long", a RuntimeError in backward).
    integer_h = op == "Addcdiv" and not h.is_floating_point()
    args = [H, a, b] if integer_h else draw(st.permutations([H, a, b]))
    kwargs = {} if draw(st.booleans()) else {"value": draw(st.sampled_from([0.5, -2, 1, 0, 2.5, -0.25]))}
    return [Step(op, path(op), tuple(args), kwargs)]


@generator("EqInPlace", "NeInPlace", "LtInPlace", "LeInPlace", "GtInPlace", "GeInPlace")
def gen_compare_inplace(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    """h.eq_(other), written into a clone of h: other a number or a tensor that broadcasts to h (or, now and then,
    one that grows it: the error is compared)."""
    other = draw(operand(h, grow=draw(st.integers(0, 9)) == 0))
    if isinstance(other, Arr) and not h.requires_grad:
        # Constrained: an h that does not require grad takes no operand that does. For an integer or bool h torch
        # then records the node on h itself (a bool tensor with grad_fn=<EqBackward1>); minigrad records gradients
        # of floating-point results only. For a float h, the lockstep check would read torch's clone after the write
        # made it require grad, and minigrad's before.
        other = Arr(other.values, other.values.dtype.name, other.values.shape, False, other.strided)
    return [Step("Clone", "torch.clone", (H,)), Step(op, path(op), (H, other))]



@generator("Sinc")
def gen_sinc(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if h.dtype == torch.float32 and bool(((h.abs() < 0.25) & (h != 0)).any()):
        # Constrained: no float32 sinc of small nonzero x. Its gradient's pi x cos(pi x) - sin(pi x) cancels to about
        # -(pi x)^3 / 3, so the last bits of float32 sin and cos (SLEEF's in torch, libm's here) decide its leading
        # digits: both are that far from the true value, and from each other.
        return []
    return [Step(op, path(op), (H,))]


@generator("Polygamma")
def gen_polygamma(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if h.numel() and h.is_floating_point() and bool((h < -1e4).any()):
        # Constrained: order 0 only where h goes below -10^4. Orders from 2 (and order 1's gradient, order 2) sum
        # Hurwitz's zeta, whose first loop steps x + 1, x + 2, ... up to 9, as PyTorch's does: about |x| steps
        # (both take minutes at -10^9).
        return [Step(op, path(op), (0, H))]
    return [Step(op, path(op), (draw(st.integers(0, 4)), H))]


@generator("Logit")
def gen_logit(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    eps = draw(st.sampled_from([None, 0.0, 1e-6, 0.1, 0.25]))
    if eps is not None and bool(h.isnan().any()):
        # Constrained: no eps where h holds NaN. PyTorch's logit_backward gives a NaN x the gradient 0 in its
        # vectorized loop (blocks of 32 float32 elements) and NaN in its scalar tail; minigrad NaN throughout.
        eps = None
    return [Step(op, path(op), (H,), {} if eps is None else {"eps": eps})]


@generator("NanToNum")
def gen_nan_to_num(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    kwargs = {name: draw(st.one_of(st.none(), ORDINARY, st.sampled_from(SPECIAL))) for name in
              draw(st.sets(st.sampled_from(["nan", "posinf", "neginf"])))}
    return [Step(op, path(op), (H,), kwargs)]


@generator("Xlogy", "Copysign", "Fmax", "Fmin")
def gen_special_binary(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    """A tensor partner either side; for xlogy and copysign a number too (xlogy's on either side)."""
    if op == "Copysign" and bool(h.isnan().any()):
        # Constrained: copysign takes no sign from a NaN of h. copysign(a, NaN) reads the NaN's sign bit, which the
        # two set differently where a kernel makes a NaN (x86's default NaN, PyTorch's, has the sign bit set;
        # minigrad's kernels return numpy's NaN, which has not). h's magnitude takes a drawn tensor's signs.
        return [Step(op, path(op), (H, draw(arrays(h.numpy().dtype.name, tuple(h.shape)))))]
    other = draw(operand(h, numbers=op in ("Xlogy", "Copysign")))
    if op == "Copysign" and not isinstance(other, Arr) and other is not H:
        return [Step(op, path(op), (H, other))]  # (a number sign: copysign(tensor, number) only)
    if op in ("Copysign", "Xlogy") and isinstance(other, Arr) and h.is_floating_point() and \
            other.values.dtype.kind == "f" and other.values.dtype != h.numpy().dtype:
        # Constrained: a float partner takes h's float dtype. torch's backward computes in each operand's own dtype
        # (copysign's result / self with self in float64 where the result was rounded to float32, 1e-284 there):
        # a rounding of where the promotion happens, as for atan2.
        other = Arr(other.values, h.numpy().dtype.name, other.values.shape, other.grad, other.strided)
    return [Step(op, path(op), draw(st.sampled_from([(H, other), (other, H)])))]


@generator("Nansum")
def gen_nansum(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    dim = _dim_or_dims(draw, h.dim(), allow_tuple=True)
    if dim is None:
        return [Step(op, path(op), (H,))]
    return [Step(op, path(op), (H, dim), {"keepdim": draw(st.booleans())})]
