"""Elementwise ops: arithmetic, pow, the unary math functions, activations, clamp, dtype conversion.

Inputs broadcast against each other; the engine sums each gradient back to its input's shape, so a
backward here returns gradients shaped like the output.
"""

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import kernels as K
from ..autograd.engine import Context
from .registry import (
    AWAY_FROM_KINK,
    NONZERO,
    POSITIVE,
    REAL,
    Domain,
    Op,
    Promotion,
    c_type_name,
    check_scalar,
    register,
)


def _mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return K.binary(K.MUL, a, b)


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return K.binary(K.DIV, a, b)


def _times(value: float, x: np.ndarray) -> np.ndarray:
    """value * x for a Python number ``value``, rounded to x's dtype first (PyTorch's scalar rule)."""
    return K.binary(K.MUL, K.scalar(value, x.dtype), x)


def _zero_where(cond: np.ndarray, x: np.ndarray) -> np.ndarray:
    """x, with 0 wherever ``cond`` holds."""
    return K.where(cond, K.scalar(0, x.dtype), x)


def _keep_where(cond: np.ndarray, x: np.ndarray) -> np.ndarray:
    """x where ``cond`` holds, 0 elsewhere (NaN comparisons are false, so NaN positions get 0)."""
    return K.where(cond, x, K.scalar(0, x.dtype))


@register
class Add(Op):
    """a + b."""

    torch = "torch.add"
    formulas = ("d(a+b)/da = grad", "d(a+b)/db = grad")
    domain = (REAL, REAL)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return K.binary(K.ADD, a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return grad, grad


_BOOL = np.dtype(np.bool_)
_INVERT_HINT = "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."


def _refuse_bool_subtraction(dtypes: list[np.dtype]) -> None:
    bools = sum(d == _BOOL for d in dtypes)
    if bools == 2:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    if bools:
        raise RuntimeError(f"Subtraction, the `-` operator, with a bool tensor is not supported. {_INVERT_HINT}")


def _refuse_bool(message: str, error: type[Exception] = RuntimeError) -> Callable[[list[np.dtype]], None]:
    """A ``check`` that raises ``error(message)`` when any input is bool."""

    def check(dtypes: list[np.dtype]) -> None:
        if _BOOL in dtypes:
            raise error(message)

    return check


@register
class Sub(Op):
    """a - b."""

    torch = "torch.sub"
    formulas = ("d(a-b)/da = grad", "d(a-b)/db = -grad")
    domain = (REAL, REAL)
    check = staticmethod(_refuse_bool_subtraction)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return K.binary(K.SUB, a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        return grad, K.unary(K.NEG, grad) if ctx.needs(1) else None


@register
class Rsub(Op):
    """b - a: what ``number - tensor`` records (``torch.rsub(a, b)``)."""

    torch = "torch.rsub"
    formulas = ("d(b-a)/da = -grad", "d(b-a)/db = grad")
    domain = (REAL, REAL)
    grad_fn = "RsubBackward1"
    check = staticmethod(_refuse_bool_subtraction)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return K.binary(K.SUB, b, a)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        return K.unary(K.NEG, grad) if ctx.needs(0) else None, grad


@register
class Mul(Op):
    """a * b."""

    torch = "torch.mul"
    formulas = ("d(a*b)/da = grad * b", "d(a*b)/db = grad * a")
    saves = ("a", "b")
    domain = (REAL, REAL)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save(a=a if ctx.needs(1) else None, b=b if ctx.needs(0) else None)
        return _mul(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        return _mul(grad, b) if ctx.needs(0) else None, _mul(grad, a) if ctx.needs(1) else None


@register
class Div(Op):
    """a / b (true division: integers divide to the default float dtype)."""

    torch = "torch.div"
    formulas = ("d(a/b)/da = grad / b", "d(a/b)/db = -grad * a / b^2")
    saves = ("a", "b")
    domain = (REAL, NONZERO)
    promotion = Promotion.FLOAT

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save(a=a if ctx.needs(1) else None, b=b)
        return _div(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        grad_a = _div(grad, b) if ctx.needs(0) else None
        # PyTorch's order of rounding: -grad * ((a / b) / b)
        return grad_a, _mul(K.unary(K.NEG, grad), _div(_div(a, b), b)) if ctx.needs(1) else None


def _pow_scalar(x: np.ndarray, exponent: float) -> np.ndarray:
    """x ** exponent, with PyTorch's exact shortcuts for the common exponents."""
    if exponent == 1:
        return K.copy(x)
    if exponent == 2:
        return _mul(x, x)
    if exponent == 3:
        return _mul(_mul(x, x), x)
    if exponent == 0.5:
        return K.unary(K.SQRT, x)
    if exponent == -0.5:
        return K.unary(K.RECIPROCAL, K.unary(K.SQRT, x))
    if exponent == -1:
        return K.unary(K.RECIPROCAL, x)
    if exponent == -2:
        return K.unary(K.RECIPROCAL, _mul(x, x))
    return K.binary(K.POW, x, K.scalar(exponent, x.dtype))


@register
class Pow(Op):
    """x ** exponent, for a Python number ``exponent``."""

    torch = "torch.pow"
    formulas = ("d(x^n)/dx = grad * n * x^(n-1)",)
    saves = ("x",)
    domain = (Domain("x > 0 (any x for an integer exponent)", 0.5, 2.0),)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, exponent: float) -> np.ndarray:
        if x.dtype.kind in "iub" and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        ctx.save(x=x)
        ctx.exponent = exponent
        return _pow_scalar(x, exponent)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x, n = ctx.saved["x"], ctx.exponent
        if n == 0:
            return (K.expand(K.scalar(0, grad.dtype), grad.shape),)
        return (_mul(grad, _times(n, _pow_scalar(x, n - 1))),)


@register
class PowTensor(Op):
    """a ** b, elementwise, with a tensor exponent."""

    torch = "torch.pow"
    formulas = ("d(a^b)/da = grad * b * a^(b-1)", "d(a^b)/db = grad * a^b * log(a)")
    saves = ("a", "b", "result")
    domain = (POSITIVE, REAL)
    grad_fn = "PowBackward1"

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        if all(d == _BOOL for d in dtypes):
            raise NotImplementedError('"pow" not implemented for \'Bool\'')

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        result = K.binary(K.POW, a, b)
        ctx.save(a=a, b=b, result=result)
        return result

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b, result = ctx.saved["a"], ctx.saved["b"], ctx.saved["result"]
        one = K.scalar(1, b.dtype)
        # PyTorch's order: 0 where b == 0, even where grad is inf or NaN ...
        da = _zero_where(K.compare(K.EQ, b, K.scalar(0, b.dtype)),
                         _mul(grad, _mul(b, K.binary(K.POW, a, K.binary(K.SUB, b, one)))))
        # ... but grad * 0 for the exponent where a == 0 and b >= 0 (0, not the NaN of 0 * log 0; NaN for a NaN grad)
        at_zero = K.binary(K.LOGICAL_AND, K.compare(K.EQ, a, K.scalar(0, a.dtype)),
                           K.compare(K.GE, b, K.scalar(0, b.dtype)))
        db = _mul(grad, _zero_where(at_zero, _mul(result, K.unary(K.LOG, a))))
        return da, db


class _Unary(Op):
    """An elementwise function of one input computed by one unary kernel."""

    code: int

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray) -> np.ndarray:
        y = K.unary(cls.code, x)
        ctx.save(**{name: value for name, value in (("x", x), ("result", y)) if name in cls.saves})
        return y


@register
class Neg(_Unary):
    """-x."""

    torch = "torch.neg"
    formulas = ("d(-x)/dx = -grad",)
    code = K.NEG
    check = staticmethod(_refuse_bool(f"Negation, the `-` operator, on a bool tensor is not supported. {_INVERT_HINT}"))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.unary(K.NEG, grad),)


@register
class Exp(_Unary):
    """e ** x."""

    torch = "torch.exp"
    formulas = ("d(exp x)/dx = grad * exp(x)",)
    saves = ("result",)
    promotion = Promotion.FLOAT
    code = K.EXP

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_mul(grad, ctx.saved["result"]),)


@register
class Log(_Unary):
    """The natural logarithm."""

    torch = "torch.log"
    formulas = ("d(log x)/dx = grad / x",)
    saves = ("x",)
    domain = (POSITIVE,)
    promotion = Promotion.FLOAT
    code = K.LOG

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_div(grad, ctx.saved["x"]),)


@register
class Sqrt(_Unary):
    """The square root."""

    torch = "torch.sqrt"
    formulas = ("d(sqrt x)/dx = grad / (2 * sqrt(x))",)
    saves = ("result",)
    domain = (POSITIVE,)
    promotion = Promotion.FLOAT
    code = K.SQRT

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_div(grad, _times(2, ctx.saved["result"])),)


@register
class Abs(_Unary):
    """|x|."""

    torch = "torch.abs"
    formulas = ("d|x|/dx = grad * sign(x)",)
    saves = ("x",)
    domain = (AWAY_FROM_KINK,)
    code = K.ABS
    check = staticmethod(_refuse_bool('"abs_cpu" not implemented for \'Bool\'', NotImplementedError))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_mul(grad, K.unary(K.SIGN, ctx.saved["x"])),)


@register
class Sigmoid(_Unary):
    """1 / (1 + e^-x)."""

    torch = "torch.sigmoid"
    formulas = ("d(sigmoid x)/dx = grad * (1 - s) * s, s = sigmoid(x)",)
    saves = ("result",)
    promotion = Promotion.FLOAT
    code = K.SIGMOID

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        s = ctx.saved["result"]
        return (K.binary(K.SIGMOID_GRAD, grad, s),)  # (grad * (1 - s)) * s in one pass


@register
class Relu(_Unary):
    """max(x, 0)."""

    torch = "torch.relu"
    formulas = ("d(relu x)/dx = grad if x > 0 else 0",)
    saves = ("result",)
    domain = (AWAY_FROM_KINK,)
    code = K.RELU
    check = staticmethod(_refuse_bool("Boolean inputs not supported for relu"))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        # PyTorch's threshold_backward: 0 where y <= 0, so NaN passes the gradient on
        return (K.binary(K.RELU_GRAD, grad, ctx.saved["result"]),)


@register
class Tanh(_Unary):
    """The hyperbolic tangent."""

    torch = "torch.tanh"
    formulas = ("d(tanh x)/dx = grad * (1 - tanh(x)^2)",)
    saves = ("result",)
    promotion = Promotion.FLOAT
    code = K.TANH

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.binary(K.TANH_GRAD, grad, ctx.saved["result"]),)  # grad * fma(-y, y, 1): PyTorch's rounding


@register
class Clamp(Op):
    """min(max(x, min), max), for Python numbers ``min`` and ``max`` (either may be None)."""

    torch = "torch.clamp"
    grad_fn = "ClampBackward1"  # PyTorch's name for clamp with number bounds
    formulas = ("d(clamp x)/dx = grad if min <= x <= max else 0",)
    saves = ("x",)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, min: float | None, max: float | None) -> np.ndarray:  # noqa: A002
        for bound in (min, max):
            if bound is not None:
                check_scalar(bound, x.dtype)
        ctx.save(x=x)
        ctx.bounds = (min, max)
        y = x
        # PyTorch's min(max(x, low), high), x kept where it ties with a bound (so -0.0 stays); a NaN bound gives NaN
        for code, bound in ((K.LT, min), (K.GT, max)):
            if bound is not None:
                b = K.scalar(bound, x.dtype)
                y = K.binary(K.MAXIMUM, y, b) if bound != bound else K.where(K.compare(code, y, b), b, y)
        return y

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        low, high = ctx.bounds
        for code, bound in ((K.GE, low), (K.LE, high)):
            if bound is not None:
                grad = _keep_where(K.compare(code, x, K.scalar(bound, x.dtype)), grad)
        return (grad,)


@register
class ToCopy(Op):
    """x converted to another dtype (``.float()``, ``.double()``, ``.to(dtype)``)."""

    torch = "torch.Tensor.to"
    formulas = ("d(x.to(dtype))/dx = grad converted back to x's dtype",)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dtype: np.dtype) -> np.ndarray:
        return K.cast(x, dtype)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (grad,)  # the engine casts every gradient to its input's dtype


@register
class Clone(Op):
    """A copy of x in new memory (``x.clone()``): later in-place changes to x do not show in it."""

    torch = "torch.clone"
    formulas = ("d(clone x)/dx = grad",)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        return K.copy(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (grad,)


class _Extremum(Op):
    """The elementwise larger (or smaller) of a and b; NaN wins. Ties split the gradient in half."""

    saves = ("a", "b")
    domain = (REAL, REAL)
    code: int  # MAXIMUM or MINIMUM
    loses: int  # the comparison under which a is not picked: LT for maximum, GT for minimum

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save(a=a, b=b)
        return K.binary(cls.code, a, b)

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        shared = K.where(K.compare(K.EQ, a, b), _div(grad, K.scalar(2, grad.dtype)), grad)
        swapped = {K.LT: K.GT, K.GT: K.LT}[cls.loses]
        return _zero_where(K.compare(cls.loses, a, b), shared), _zero_where(K.compare(swapped, a, b), shared)


@register
class Maximum(_Extremum):
    """max(a, b) elementwise."""

    torch = "torch.maximum"
    formulas = ("d(max(a,b))/da = grad where a > b, grad/2 where a == b", "d(max(a,b))/db = grad where b > a, ...")
    code, loses = K.MAXIMUM, K.LT


@register
class Minimum(_Extremum):
    """min(a, b) elementwise."""

    torch = "torch.minimum"
    formulas = ("d(min(a,b))/da = grad where a < b, grad/2 where a == b", "d(min(a,b))/db = grad where b < a, ...")
    code, loses = K.MINIMUM, K.GT


@register
class Where(Op):
    """x where ``condition`` holds, else y (all three broadcast together)."""

    torch = "torch.where"
    formulas = ("d(where(c, x, y))/dx = grad where c, else 0", "d(where(c, x, y))/dy = grad where not c, else 0")
    domain = (REAL, REAL)

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return [params["condition"], *inputs], {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, y: np.ndarray, condition: np.ndarray) -> np.ndarray:
        if condition.dtype != _BOOL:
            raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype "
                               f"{c_type_name(condition.dtype)}")
        K.broadcast_shapes(K.broadcast_shapes(condition.shape, x.shape), y.shape)  # PyTorch's order, for its errors
        ctx.condition = condition
        return K.where(condition, x, y)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _keep_where(ctx.condition, grad), _zero_where(ctx.condition, grad)


@register
class MaskedFill(Op):
    """x with ``value`` wherever the bool ``mask`` (broadcast to x's shape) is true."""

    torch = "torch.Tensor.masked_fill"
    formulas = ("d(masked_fill x)/dx = grad where the mask is false, else 0",)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, mask: np.ndarray, value: float) -> np.ndarray:
        if mask.dtype != _BOOL:
            raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                               f"{c_type_name(mask.dtype).lower()}")
        shape = K.broadcast_shapes(mask.shape, x.shape)
        if shape != x.shape:  # PyTorch fills a copy of x in place, hence its in-place error
            raise RuntimeError(f"output with shape {list(x.shape)} doesn't match the broadcast shape {list(shape)}")
        check_scalar(value, x.dtype)
        ctx.mask = mask
        return K.where(mask, K.scalar(value, x.dtype), x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_zero_where(ctx.mask, grad),)
