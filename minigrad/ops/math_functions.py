"""The math functions, elementwise: trigonometric, hyperbolic, logarithms and exponentials, erf, rounding, the
two-argument ones (atan2, hypot, logaddexp, fmod, remainder), lerp, addcmul, addcdiv and the bitwise ops.

As in ``pointwise``, inputs broadcast against each other and a backward returns gradients shaped like the output.
"""

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .pointwise import _times
from .registry import Op, Promotion, register


def _one(x: np.ndarray) -> np.ndarray:
    return K.scalar(1, x.dtype)


def _square(x: np.ndarray) -> np.ndarray:
    return K.mul(x, x)


def _refuse(kernel: str, kinds: str) -> Callable[[list[np.dtype]], None]:
    """A ``check`` raising PyTorch's NotImplementedError for ``kernel`` when an input's dtype kind is in ``kinds``
    ("b" bool, "iu" integers, "f" floats)."""

    def check(dtypes: list[np.dtype]) -> None:
        for dtype in dtypes:
            if dtype.kind in kinds:
                raise errors.not_implemented(kernel, dtype)

    return check


def _refuse_promoted(kernel: str, kinds: str) -> Callable[[list[np.dtype]], None]:
    """A ``check`` raising PyTorch's NotImplementedError for ``kernel`` when the inputs promote to a dtype whose kind
    is in ``kinds`` (hypot(float, bool) is a float op, hypot(int, bool) refused; fmod(bool, 2) an integer op)."""

    def check(dtypes: list[np.dtype]) -> None:
        promoted = np.result_type(*dtypes)
        if promoted.kind in kinds:
            raise errors.not_implemented(kernel, promoted)

    return check


class _Function(Op):
    """y = f(x) elementwise, for a float x (integer and bool inputs become the default float dtype)."""

    kernel: Callable[[np.ndarray], np.ndarray]
    promotion = Promotion.FLOAT

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray) -> np.ndarray:
        result = cls.kernel(x)
        ctx.save(x=x, y=result)
        return result


@register
class Sin(_Function):
    """sin x."""

    torch = "torch.sin"
    formulas = ("d(sin x)/dx = grad * cos(x)",)
    kernel = staticmethod(K.sin)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, K.cos(ctx.saved["x"])),)


@register
class Cos(_Function):
    """cos x."""

    torch = "torch.cos"
    formulas = ("d(cos x)/dx = -grad * sin(x)",)
    kernel = staticmethod(K.cos)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, K.neg(K.sin(ctx.saved["x"]))),)


@register
class Tan(_Function):
    """tan x."""

    torch = "torch.tan"
    formulas = ("d(tan x)/dx = grad * (1 + tan(x)^2)",)
    kernel = staticmethod(K.tan)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        y = ctx.saved["y"]
        return (K.mul(grad, K.add(_square(y), _one(y))),)


@register
class Asin(_Function):
    """arcsin x, for -1 <= x <= 1."""

    torch = "torch.asin"
    formulas = ("d(asin x)/dx = grad / sqrt(1 - x^2)",)
    kernel = staticmethod(K.asin)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        return (K.mul(grad, K.rsqrt(K.sub(_one(x), _square(x)))),)


@register
class Acos(_Function):
    """arccos x, for -1 <= x <= 1."""

    torch = "torch.acos"
    formulas = ("d(acos x)/dx = -grad / sqrt(1 - x^2)",)
    kernel = staticmethod(K.acos)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        return (K.mul(grad, K.neg(K.rsqrt(K.sub(_one(x), _square(x))))),)


@register
class Atan(_Function):
    """arctan x."""

    torch = "torch.atan"
    formulas = ("d(atan x)/dx = grad / (1 + x^2)",)
    kernel = staticmethod(K.atan)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        return (K.div(grad, K.add(_square(x), _one(x))),)


@register
class Sinh(_Function):
    """sinh x = (e^x - e^-x) / 2."""

    torch = "torch.sinh"
    formulas = ("d(sinh x)/dx = grad * cosh(x)",)
    kernel = staticmethod(K.sinh)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, K.cosh(ctx.saved["x"])),)


@register
class Cosh(_Function):
    """cosh x = (e^x + e^-x) / 2."""

    torch = "torch.cosh"
    formulas = ("d(cosh x)/dx = grad * sinh(x)",)
    kernel = staticmethod(K.cosh)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, K.sinh(ctx.saved["x"])),)


@register
class Asinh(_Function):
    """arsinh x = log(x + sqrt(x^2 + 1))."""

    torch = "torch.asinh"
    formulas = ("d(asinh x)/dx = grad / sqrt(x^2 + 1)",)
    kernel = staticmethod(K.asinh)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        return (K.mul(grad, K.rsqrt(K.add(_square(x), _one(x)))),)


@register
class Acosh(_Function):
    """arcosh x = log(x + sqrt(x^2 - 1)), for x >= 1."""

    torch = "torch.acosh"
    formulas = ("d(acosh x)/dx = grad / sqrt(x^2 - 1)",)
    kernel = staticmethod(K.acosh)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        return (K.mul(grad, K.rsqrt(K.sub(_square(x), _one(x)))),)


@register
class Atanh(_Function):
    """artanh x = log((1 + x) / (1 - x)) / 2, for -1 < x < 1."""

    torch = "torch.atanh"
    formulas = ("d(atanh x)/dx = grad / (1 - x^2)",)
    kernel = staticmethod(K.atanh)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        return (K.div(grad, K.sub(_one(x), _square(x))),)


@register
class Log1p(_Function):
    """log(1 + x), accurate for small x."""

    torch = "torch.log1p"
    grad_fn = "Log1PBackward0"
    formulas = ("d(log1p x)/dx = grad / (1 + x)",)
    kernel = staticmethod(K.log1p)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        return (K.div(grad, K.add(x, _one(x))),)


@register
class Expm1(_Function):
    """e^x - 1, accurate for small x."""

    torch = "torch.expm1"
    formulas = ("d(expm1 x)/dx = grad * (expm1(x) + 1)",)
    kernel = staticmethod(K.expm1)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        y = ctx.saved["y"]
        return (K.mul(grad, K.add(y, _one(y))),)


@register
class Log2(_Function):
    """log2 x = log(x) / log(2)."""

    torch = "torch.log2"
    formulas = ("d(log2 x)/dx = grad / (x * log(2))",)
    kernel = staticmethod(K.log2)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.div(grad, _times(math.log(2), ctx.saved["x"])),)


@register
class Log10(_Function):
    """log10 x = log(x) / log(10)."""

    torch = "torch.log10"
    formulas = ("d(log10 x)/dx = grad / (x * log(10))",)
    kernel = staticmethod(K.log10)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.div(grad, _times(math.log(10), ctx.saved["x"])),)


@register
class Exp2(_Function):
    """2^x."""

    torch = "torch.exp2"
    formulas = ("d(exp2 x)/dx = grad * 2^x * log(2)",)
    kernel = staticmethod(K.exp2)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, _times(math.log(2), ctx.saved["y"])),)


@register
class Rsqrt(_Function):
    """1 / sqrt(x)."""

    torch = "torch.rsqrt"
    formulas = ("d(rsqrt x)/dx = -grad * rsqrt(x)^3 / 2",)
    kernel = staticmethod(K.rsqrt)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        y = ctx.saved["y"]
        return (K.mul(grad, _times(-0.5, K.mul(_square(y), y))),)


@register
class Reciprocal(_Function):
    """1 / x."""

    torch = "torch.reciprocal"
    formulas = ("d(1/x)/dx = -grad / x^2 = -grad * (1/x)^2",)
    kernel = staticmethod(K.reciprocal)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        y = ctx.saved["y"]
        return (K.neg(K.mul(grad, _square(y))),)


@register
class Erf(_Function):
    """erf x = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt."""

    torch = "torch.erf"
    formulas = ("d(erf x)/dx = grad * 2/sqrt(pi) * exp(-x^2)",)
    kernel = staticmethod(K.erf)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        return (K.mul(grad, _times(2 / math.sqrt(math.pi), K.exp(K.neg(_square(x))))),)


@register
class Erfc(_Function):
    """erfc x = 1 - erf x."""

    torch = "torch.erfc"
    formulas = ("d(erfc x)/dx = -grad * 2/sqrt(pi) * exp(-x^2)",)
    kernel = staticmethod(K.erfc)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        return (K.mul(grad, _times(-2 / math.sqrt(math.pi), K.exp(K.neg(_square(x))))),)


@register
class Erfinv(_Function):
    """The inverse of erf, for -1 < x < 1."""

    torch = "torch.erfinv"
    formulas = ("d(erfinv x)/dx = grad * sqrt(pi)/2 * exp(erfinv(x)^2)",)
    kernel = staticmethod(K.erfinv)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, _times(math.sqrt(math.pi) / 2, K.exp(_square(ctx.saved["y"])))),)


class _Piecewise(Op):
    """A step function of x: its gradient is 0 wherever it is defined (zeros, as PyTorch's: not grad * 0, which is
    NaN where grad is inf or NaN)."""

    formulas = ("d(f x)/dx = 0",)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.expand(K.scalar(0, grad.dtype), grad.shape),)


@register
class Sign(_Piecewise):
    """-1, 0 or 1 as x is negative, zero or positive (0 for NaN)."""

    torch = "torch.sign"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        return K.sign(x)


class _Rounding(_Piecewise):
    """x rounded to an integer value; integers are their own rounding, bools are refused."""

    kernel: Callable[[np.ndarray], np.ndarray]

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray) -> np.ndarray:
        return K.copy(x) if x.dtype.kind in "iu" else cls.kernel(x)


@register
class Floor(_Rounding):
    """The largest integer <= x."""

    torch = "torch.floor"
    check = staticmethod(_refuse("floor_vml_cpu", "b"))
    kernel = staticmethod(K.floor)


@register
class Ceil(_Rounding):
    """The smallest integer >= x."""

    torch = "torch.ceil"
    check = staticmethod(_refuse("ceil_vml_cpu", "b"))
    kernel = staticmethod(K.ceil)


@register
class Trunc(_Rounding):
    """x with its fraction dropped: the integer nearest to x towards 0."""

    torch = "torch.trunc"
    check = staticmethod(_refuse("trunc_vml_cpu", "b"))
    kernel = staticmethod(K.trunc)


@register
class Round(_Piecewise):
    """x rounded to ``decimals`` decimal places, halves to even: rint(x * 10^d) / 10^d (rint(x / 10^-d) * 10^-d
    for d < 0), as PyTorch computes it."""

    torch = "torch.round"
    check = staticmethod(_refuse("round_vml_cpu", "b"))

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, decimals: int | None = None) -> str:
        return "RoundBackward0" if decimals is None else "RoundBackward1"  # PyTorch's round(), round(decimals=)

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return inputs, {} if params.get("decimals") is None else params

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, decimals: int | None = None) -> np.ndarray:
        decimals = decimals or 0
        if x.dtype.kind in "iu":
            if decimals:
                raise errors.not_implemented("round_decimals_cpu", x.dtype)
            return K.copy(x)
        if decimals == 0:
            return K.rint(x)
        scale = K.scalar(10.0 ** abs(decimals), x.dtype)
        if decimals > 0:
            return K.div(K.rint(K.mul(x, scale)), scale)
        return K.mul(K.rint(K.div(x, scale)), scale)


@register
class Frac(Op):
    """x - trunc(x): the fractional part, with x's sign."""

    torch = "torch.frac"
    formulas = ("d(frac x)/dx = grad",)
    check = staticmethod(_refuse("frac_cpu", "biu"))

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        return K.sub(x, K.trunc(x))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (grad,)


@register
class Atan2(Op):
    """The angle of the point (b, a) from the positive x axis: arctan(a / b), in the right quadrant."""

    torch = "torch.atan2"
    formulas = ("d(atan2(a,b))/da = grad * b / (a^2 + b^2)", "d(atan2(a,b))/db = -grad * a / (a^2 + b^2)")
    promotion = Promotion.FLOAT

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save(a=a, b=b)
        return K.atan2(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        # as PyTorch: grad * b * recip with recip = 1 / (a^2 + b^2), and 0 where a^2 + b^2 is 0
        denominator = K.add(_square(a), _square(b))
        zero = K.scalar(0, denominator.dtype)
        recip = K.where(K.eq(denominator, zero), zero, K.reciprocal(denominator))
        return K.mul(K.mul(grad, b), recip), K.mul(K.mul(grad, K.neg(a)), recip)


@register
class Hypot(Op):
    """sqrt(a^2 + b^2), without overflow on the way."""

    torch = "torch.hypot"
    formulas = ("d(hypot(a,b))/da = grad * a / hypot(a,b)", "d(hypot(a,b))/db = grad * b / hypot(a,b)")
    check = staticmethod(_refuse_promoted("hypot_cpu", "biu"))

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        result = K.hypot(a, b)
        ctx.save(a=a, b=b, y=result)
        return result

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b, y = ctx.saved["a"], ctx.saved["b"], ctx.saved["y"]
        return K.div(K.mul(grad, a), y), K.div(K.mul(grad, b), y)  # (grad * a) / y, in PyTorch's order


@register
class Logaddexp(Op):
    """log(e^a + e^b), computed as max(a, b) + log1p(e^-|a - b|) so that it does not overflow."""

    torch = "torch.logaddexp"
    formulas = ("d(logaddexp(a,b))/da = grad / (1 + exp(b - a))", "d(logaddexp(a,b))/db = grad / (1 + exp(a - b))")
    check = staticmethod(_refuse_promoted("logaddexp_cpu", "biu"))

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save(a=a, b=b)
        return K.logaddexp(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        one = _one(grad)
        return (K.div(grad, K.add(one, K.exp(K.sub(b, a)))), K.div(grad, K.add(one, K.exp(K.sub(a, b)))))


def _integer_division_check(b: np.ndarray) -> None:
    """PyTorch's integer fmod, remainder and floor division refuse a zero divisor (a RuntimeError; floats give NaN
    or infinities)."""
    if b.dtype.kind in "iu" and K.eq(b, K.scalar(0, b.dtype)).any():
        raise RuntimeError("ZeroDivisionError")


@register
class Fmod(Op):
    """a - b * trunc(a / b): the remainder of a / b with a's sign (C's fmod)."""

    torch = "torch.fmod"
    formulas = ("d(fmod(a,b))/da = grad", "d(fmod(a,b))/db = -grad * trunc(a / b)")
    grad_fn = "FmodBackward1"
    check = staticmethod(_refuse_promoted("fmod_cpu", "b"))

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _integer_division_check(b)
        ctx.save(a=a, b=b)
        return K.fmod(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        return grad, K.mul(K.neg(grad), K.trunc(K.div(a, b)))


@register
class Remainder(Op):
    """a - b * floor(a / b): the remainder of a / b with b's sign (Python's %)."""

    torch = "torch.remainder"
    formulas = ("d(remainder(a,b))/da = grad", "d(remainder(a,b))/db = -grad * floor(a / b)")
    grad_fn = "RemainderBackward1"
    check = staticmethod(_refuse_promoted("remainder_cpu", "b"))

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _integer_division_check(b)
        ctx.save(a=a, b=b)
        return K.remainder(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        return grad, K.mul(K.neg(grad), K.floor_divide(a, b))


@register
class FloorDivide(Op):
    """floor(a / b) (Python's //); not differentiable."""

    torch = "torch.floor_divide"
    formulas = ("not differentiable (a step function)",)
    differentiable = False

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _integer_division_check(b)
        return K.floor_divide(a, b)


_CPP = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int", "int16": "short int",
        "uint8": "unsigned char", "int8": "signed char", "bool": "bool"}


@register
class Lerp(Op):
    """start + weight * (end - start), computed as end - (end - start) * (1 - weight) where |weight| >= 0.5, as
    PyTorch does, so that weight = 1 gives end exactly."""

    torch = "torch.lerp"
    formulas = ("d(lerp)/dstart = grad * (1 - weight)", "d(lerp)/dend = grad * weight",
                "d(lerp)/dweight = grad * (end - start)")

    promotion = Promotion.NONE

    @staticmethod
    def grad_fn_name(ctx: Context, start: np.ndarray, end: np.ndarray, weight: np.ndarray,
                     number: bool = False) -> str:
        return "LerpBackward0" if number else "LerpBackward1"  # PyTorch's lerp with a number weight, a tensor one

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return inputs, {}

    @staticmethod
    def forward(ctx: Context, start: np.ndarray, end: np.ndarray, weight: np.ndarray,
                number: bool = False) -> np.ndarray:
        # PyTorch does not promote: a float start, an end of its dtype, and a weight of its dtype (or 0-d)
        for name, x in (("end", end), ("weight", weight)):
            if x.dtype != start.dtype and (name == "end" or weight.ndim):
                raise RuntimeError(f"expected dtype {_CPP[start.dtype.name]} for `{name}` but got dtype "
                                   f"{_CPP.get(x.dtype.name, x.dtype.name)}")
        K.broadcast_shapes(K.broadcast_shapes(start.shape, end.shape), weight.shape)  # torch's shape error comes first
        # A 0-d float weight promotes integer and bool ends to its dtype (its category is higher), and 0-d float ends
        # to the wider float
        if weight.ndim == 0 and weight.dtype.kind == "f" and (start.dtype.kind != "f" or start.ndim == end.ndim == 0):
            dtype = weight.dtype if start.dtype.kind != "f" else np.promote_types(start.dtype, weight.dtype)
            start, end = K.cast(start, dtype), K.cast(end, dtype)
        if start.dtype.kind != "f":
            raise errors.not_implemented("lerp_kernel_tensor", start.dtype)
        weight = K.cast(weight, start.dtype)
        ctx.save(start=start, end=end, weight=weight)
        span = K.sub(end, start)
        near_start = K.lt(K.abs(weight), K.scalar(0.5, weight.dtype))
        from_end = K.sub(end, K.mul(span, K.sub(_one(weight), weight)))
        return K.where(near_start, K.add(start, K.mul(weight, span)), from_end)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        start, end, weight = ctx.saved["start"], ctx.saved["end"], ctx.saved["weight"]
        return (K.mul(grad, K.sub(_one(weight), weight)), K.mul(grad, weight), K.mul(grad, K.sub(end, start)))


@register
class Addcmul(Op):
    """input + value * tensor1 * tensor2."""

    torch = "torch.addcmul"
    formulas = ("d(addcmul)/dinput = grad", "d(addcmul)/dtensor1 = grad * value * tensor2",
                "d(addcmul)/dtensor2 = grad * value * tensor1")

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        if all(d == np.bool_ for d in dtypes):
            raise errors.not_implemented("addcmul_cpu_out", np.dtype(np.bool_))

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float = 1) -> np.ndarray:
        ctx.save(t1=t1, t2=t2)
        ctx.value = value
        return K.add(x, K.mul(_times(value, t1), t2))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        t1, t2 = ctx.saved["t1"], ctx.saved["t2"]  # grad * (t2 * value), in PyTorch's order
        return grad, K.mul(grad, _times(ctx.value, t2)), K.mul(grad, _times(ctx.value, t1))


@register
class Addcdiv(Op):
    """input + value * tensor1 / tensor2."""

    torch = "torch.addcdiv"

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        if dtypes[1].kind in "biu" and dtypes[2].kind in "biu":
            raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future  release "
                               "addcdiv will perform a true division of tensor1 and tensor2.")
    formulas = ("d(addcdiv)/dinput = grad", "d(addcdiv)/dtensor1 = grad * value / tensor2",
                "d(addcdiv)/dtensor2 = -grad * value * tensor1 / tensor2^2")

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float = 1) -> np.ndarray:
        ctx.save(t1=t1, t2=t2)
        ctx.value = value
        return K.add(x, K.div(_times(value, t1), t2))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        t1, t2 = ctx.saved["t1"], ctx.saved["t2"]  # in PyTorch's order: grad * (value / t2), ...
        return (grad, K.mul(grad, K.div(K.scalar(ctx.value, t2.dtype), t2)),
                K.mul(K.neg(grad), K.div(_times(ctx.value, t1), K.mul(t2, t2))))


class _Bitwise(Op):
    """a & b, a | b or a ^ b, bit by bit, for integers and bools; not differentiable."""

    kernel: Callable[[np.ndarray, np.ndarray], np.ndarray]
    differentiable = False
    formulas = ("not differentiable (integers)",)

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return cls.kernel(a, b)


@register
class BitwiseAnd(_Bitwise):
    """a & b."""

    torch = "torch.bitwise_and"
    check = staticmethod(_refuse("bitwise_and_cpu", "f"))
    kernel = staticmethod(K.bitwise_and)


@register
class BitwiseOr(_Bitwise):
    """a | b."""

    torch = "torch.bitwise_or"
    check = staticmethod(_refuse("bitwise_or_cpu", "f"))
    kernel = staticmethod(K.bitwise_or)


@register
class BitwiseXor(_Bitwise):
    """a ^ b."""

    torch = "torch.bitwise_xor"
    check = staticmethod(_refuse("bitwise_xor_cpu", "f"))
    kernel = staticmethod(K.bitwise_xor)


@register
class BitwiseNot(Op):
    """~x: every bit flipped (integers), not x (bools); not differentiable."""

    torch = "torch.bitwise_not"
    formulas = ("not differentiable (integers)",)
    differentiable = False
    check = staticmethod(_refuse("bitwise_not_cpu", "f"))

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        return K.bitwise_not(x)

