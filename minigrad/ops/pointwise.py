"""Elementwise ops: arithmetic, pow, the unary math functions, activations, clamp, dtype conversion.

Inputs broadcast against each other; the engine sums each gradient back to its input's shape, so a
backward here returns gradients shaped like the output.
"""

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .jvp import linear_jvp
from .registry import Op, Promotion, register


def _times(value: float, x: np.ndarray) -> np.ndarray:
    """value * x for a Python number ``value``, rounded to x's dtype first (PyTorch's scalar rule)."""
    return K.mul(K.scalar(value, x.dtype), x)


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
    jvp_formulas = ("d(a+b) = da + db",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return K.add(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return grad, grad


_BOOL = np.dtype(np.bool_)


def _refuse_bool_subtraction(dtypes: list[np.dtype]) -> None:
    bools = sum(d == _BOOL for d in dtypes)
    if bools:
        raise errors.bool_subtraction(both=bools == 2)


def _refuse_bool(error: Callable[[], Exception]) -> Callable[[list[np.dtype]], None]:
    """A ``check`` that raises ``error()`` when any input is bool."""

    def check(dtypes: list[np.dtype]) -> None:
        if _BOOL in dtypes:
            raise error()

    return check


@register
class Sub(Op):
    """a - b."""

    torch = "torch.sub"
    formulas = ("d(a-b)/da = grad", "d(a-b)/db = -grad")
    jvp_formulas = ("d(a-b) = da - db",)
    jvp = classmethod(linear_jvp)
    check = staticmethod(_refuse_bool_subtraction)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return K.sub(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        return grad, K.neg(grad) if ctx.needs(1) else None


@register
class Rsub(Op):
    """b - a: what ``number - tensor`` records (``torch.rsub(a, b)``)."""

    torch = "torch.rsub"
    formulas = ("d(b-a)/da = -grad", "d(b-a)/db = grad")
    jvp_formulas = ("d(b-a) = db - da",)
    jvp = classmethod(linear_jvp)
    check = staticmethod(_refuse_bool_subtraction)

    @staticmethod
    def grad_fn_name(ctx: Context, a: np.ndarray, b: np.ndarray, number: bool = False) -> str:
        return "RsubBackward1" if number else "RsubBackward0"  # PyTorch's rsub of a number, of a tensor

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return inputs, {}

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray, number: bool = False) -> np.ndarray:
        return K.sub(b, a)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        return K.neg(grad) if ctx.needs(0) else None, grad


@register
class AddScaled(Op):
    """a + alpha * b for a number alpha (``torch.add(a, b, alpha=...)``), rounded once, as PyTorch's kernel fuses
    it. alpha is not part of type promotion: a float alpha with integer tensors is PyTorch's error."""

    torch = "torch.add"
    grad_fn = "AddBackward0"
    formulas = ("d(a+alpha*b)/da = grad", "d(a+alpha*b)/db = alpha * grad")
    sign = 1  # (``SubScaled``: -1)
    half_params = ("alpha",)

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray, b: np.ndarray, alpha: float) -> np.ndarray:
        if a.dtype.kind in "iub" and isinstance(alpha, float):
            raise errors.alpha_not_integral()
        if isinstance(alpha, bool) and a.dtype != _BOOL:
            raise errors.alpha_not_boolean()
        ctx.alpha = cls.sign * alpha
        if a.dtype == _BOOL:  # a or (b and alpha != 0)
            return K.add(a, b if alpha else K.zeros(b.shape, b.dtype))
        return K.add_scaled(a, b, ctx.alpha)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        return grad, K.mul(grad, K.scalar(ctx.alpha, grad.dtype)) if ctx.needs(1) else None


@register
class SubScaled(AddScaled):
    """a - alpha * b for a number alpha (``torch.sub(a, b, alpha=...)``): PyTorch's add with -alpha."""

    torch = "torch.sub"
    grad_fn = "SubBackward0"
    formulas = ("d(a-alpha*b)/da = grad", "d(a-alpha*b)/db = -alpha * grad")
    sign = -1
    check = staticmethod(_refuse_bool_subtraction)


@register
class Mul(Op):
    """a * b."""

    torch = "torch.mul"
    saved_names: ClassVar[dict[str, Any]] = {"self": "a", "other": "b"}
    opmath_scalar = True
    formulas = ("d(a*b)/da = grad * b", "d(a*b)/db = grad * a")

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save(a=a if ctx.needs(1) else None, b=b if ctx.needs(0) else None)
        return K.mul(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        return K.mul(grad, b) if ctx.needs(0) else None, K.mul(grad, a) if ctx.needs(1) else None

    jvp_formulas = ("d(a*b) = da * b + a * db",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray | None, db: np.ndarray | None) -> np.ndarray:
        a, b = ctx.inputs
        return _sum_of(K.mul(da, b) if da is not None else None, K.mul(a, db) if db is not None else None)


@register
class Div(Op):
    """a / b (true division: integers divide to the default float dtype)."""

    torch = "torch.div"
    saved_names: ClassVar[dict[str, Any]] = {"self": "a", "other": "b"}
    formulas = ("d(a/b)/da = grad / b", "d(a/b)/db = -grad * a / b^2")
    promotion = Promotion.FLOAT
    opmath_scalar = True

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save(a=a if ctx.needs(1) else None, b=b)
        return K.div(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        grad_a = K.div(grad, b) if ctx.needs(0) else None
        # PyTorch's order of rounding: -grad * ((a / b) / b)
        return grad_a, K.mul(K.neg(grad), K.div(K.div(a, b), b)) if ctx.needs(1) else None

    jvp_formulas = ("d(a/b) = da / b - db * (a / b) / b",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray | None, db: np.ndarray | None) -> np.ndarray:
        a, b = ctx.inputs
        return _sum_of(K.div(da, b) if da is not None else None,
                       K.neg(K.mul(db, K.div(K.div(a, b), b))) if db is not None else None)


def _sum_of(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray:
    """a + b, where either may be None (a term with no tangent); not both."""
    return b if a is None else a if b is None else K.add(a, b)


def _pow_scalar(x: np.ndarray, exponent: float) -> np.ndarray:
    """x ** exponent, with PyTorch's exact shortcuts for the common exponents."""
    if exponent == 1:
        return K.copy(x)
    if exponent == 2:
        return K.mul(x, x)
    if exponent == 3:
        return K.mul(K.mul(x, x), x)
    if exponent == 0.5:
        return K.sqrt(x)
    if exponent == -0.5:
        return K.reciprocal(K.sqrt(x))
    if exponent == -1:
        return K.reciprocal(x)
    if exponent == -2:
        return K.reciprocal(K.mul(x, x))
    return K.pow(x, K.scalar(exponent, x.dtype))


@register
class Pow(Op):
    """x ** exponent, for a Python number ``exponent``."""

    torch = "torch.pow"
    saved_names: ClassVar[dict[str, Any]] = {"self": "x", "exponent": lambda ctx: ctx.exponent}
    formulas = ("d(x^n)/dx = grad * n * x^(n-1)",)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, exponent: float) -> np.ndarray:
        if x.dtype.kind in "iub" and exponent < 0:
            raise errors.integer_negative_power()
        ctx.save(x=x)
        ctx.exponent = exponent
        return _pow_scalar(x, exponent)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x, n = ctx.saved["x"], ctx.exponent
        if n == 0:
            return (K.expand(K.scalar(0, grad.dtype), grad.shape),)
        return (K.mul(grad, _times(n, _pow_scalar(x, n - 1))),)

    jvp_formulas = ("d(x^n) = n * x^(n-1) * dx",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        x, n = ctx.inputs[0], ctx.exponent
        return K.zeros(dx.shape, dx.dtype) if n == 0 else K.mul(dx, _times(n, _pow_scalar(x, n - 1)))


@register
class PowTensor(Op):
    """a ** b, elementwise, with a tensor exponent."""

    torch = "torch.pow"
    saved_names: ClassVar[dict[str, Any]] = {"self": "a", "exponent": "b", "result": "result"}
    formulas = ("d(a^b)/da = grad * b * a^(b-1)", "d(a^b)/db = grad * a^b * log(a)")
    grad_fn = "PowBackward1"

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        if all(d == _BOOL for d in dtypes):
            raise errors.not_implemented("pow", _BOOL)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        result = K.pow(a, b)
        ctx.save(a=a, b=b, result=result)
        return result

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b, result = ctx.saved["a"], ctx.saved["b"], ctx.saved["result"]
        one = K.scalar(1, b.dtype)
        # PyTorch's order: 0 where b == 0, even where grad is inf or NaN ...
        da = _zero_where(K.eq(b, K.scalar(0, b.dtype)), K.mul(grad, K.mul(b, K.pow(a, K.sub(b, one)))))
        # ... but grad * 0 for the exponent where a == 0 and b >= 0 (0, not the NaN of 0 * log 0; NaN for a NaN grad)
        at_zero = K.logical_and(K.eq(a, K.scalar(0, a.dtype)), K.ge(b, K.scalar(0, b.dtype)))
        db = K.mul(grad, _zero_where(at_zero, K.mul(result, K.log(a))))
        return da, db

    jvp_formulas = ("d(a^b) = b * a^(b-1) * da + a^b * log(a) * db",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray | None, db: np.ndarray | None) -> np.ndarray:
        (a, b), result = ctx.inputs, ctx.output
        term_a = term_b = None
        if da is not None:  # 0 where b == 0, 0 * log 0 taken as 0 where a == 0 and b >= 0: backward's choices
            power = K.pow(a, K.sub(b, K.scalar(1, b.dtype)))
            term_a = _zero_where(K.eq(b, K.scalar(0, b.dtype)), K.mul(da, K.mul(b, power)))
        if db is not None:
            at_zero = K.logical_and(K.eq(a, K.scalar(0, a.dtype)), K.ge(b, K.scalar(0, b.dtype)))
            term_b = K.mul(db, _zero_where(at_zero, K.mul(result, K.log(a))))
        return _sum_of(term_a, term_b)


@register
class PowScalarBase(PowTensor):
    """a ** b for a number a and a tensor b (``2 ** x``): PowTensor's math, under the name PyTorch's node has."""

    grad_fn = "PowBackward2"


@register
class Neg(Op):
    """-x."""

    torch = "torch.neg"
    formulas = ("d(-x)/dx = -grad",)
    jvp_formulas = ("d(-x) = -dx",)
    jvp = classmethod(linear_jvp)
    check = staticmethod(_refuse_bool(errors.bool_negation))

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        return K.neg(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.neg(grad),)


@register
class Exp(Op):
    """e ** x."""

    torch = "torch.exp"
    saved_names: ClassVar[dict[str, Any]] = {"result": "result"}
    formulas = ("d(exp x)/dx = grad * exp(x)",)
    promotion = Promotion.FLOAT

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        result = K.exp(x)
        ctx.save(result=result)
        return result

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, ctx.saved["result"]),)

    jvp_formulas = ("d(exp x) = exp(x) * dx",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        return K.mul(dx, ctx.output)


@register
class Log(Op):
    """The natural logarithm."""

    torch = "torch.log"
    saved_names: ClassVar[dict[str, Any]] = {"self": "x"}
    formulas = ("d(log x)/dx = grad / x",)
    promotion = Promotion.FLOAT

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        ctx.save(x=x)
        return K.log(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.div(grad, ctx.saved["x"]),)

    jvp_formulas = ("d(log x) = dx / x",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        return K.div(dx, ctx.inputs[0])


@register
class Sqrt(Op):
    """The square root."""

    torch = "torch.sqrt"
    saved_names: ClassVar[dict[str, Any]] = {"result": "result"}
    formulas = ("d(sqrt x)/dx = grad / (2 * sqrt(x))",)
    promotion = Promotion.FLOAT

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        result = K.sqrt(x)
        ctx.save(result=result)
        return result

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.div(grad, _times(2, ctx.saved["result"])),)

    jvp_formulas = ("d(sqrt x) = dx / (2 * sqrt(x))",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        return K.div(dx, _times(2, ctx.output))


@register
class Abs(Op):
    """|x|."""

    torch = "torch.abs"
    formulas = ("d|x|/dx = grad * sign(x)",)
    check = staticmethod(_refuse_bool(lambda: errors.not_implemented("abs_cpu", _BOOL)))

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        ctx.save(x=x)
        return K.abs(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, K.sign(ctx.saved["x"])),)

    jvp_formulas = ("d|x| = sign(x) * dx",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        return K.mul(dx, K.sign(ctx.inputs[0]))


@register
class Sigmoid(Op):
    """1 / (1 + e^-x)."""

    torch = "torch.sigmoid"
    saved_names: ClassVar[dict[str, Any]] = {"result": "result"}
    formulas = ("d(sigmoid x)/dx = grad * (1 - s) * s, s = sigmoid(x)",)
    promotion = Promotion.FLOAT

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        result = K.sigmoid(x)
        ctx.save(result=result)
        return result

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.sigmoid_grad(grad, ctx.saved["result"]),)  # (grad * (1 - s)) * s in one pass

    jvp_formulas = ("d(sigmoid x) = (1 - s) * s * dx, s = sigmoid(x)",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        return K.sigmoid_grad(dx, ctx.output)


@register
class Relu(Op):
    """max(x, 0)."""

    torch = "torch.relu"
    saved_names: ClassVar[dict[str, Any]] = {"result": "result"}
    formulas = ("d(relu x)/dx = grad if x > 0 else 0",)
    backward_function: ClassVar[tuple[str, str]] = ("threshold_backward", "result")
    check = staticmethod(_refuse_bool(errors.relu_bool))

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        result = K.relu(x)
        ctx.save(result=result)
        return result

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        # PyTorch's threshold_backward: 0 where y <= 0, so NaN passes the gradient on
        return (K.relu_grad(grad, ctx.saved["result"]),)

    jvp_formulas = ("d(relu x) = dx if x > 0 else 0",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        return K.relu_grad(dx, ctx.output)


@register
class Tanh(Op):
    """The hyperbolic tangent."""

    torch = "torch.tanh"
    saved_names: ClassVar[dict[str, Any]] = {"result": "result"}
    formulas = ("d(tanh x)/dx = grad * (1 - tanh(x)^2)",)
    promotion = Promotion.FLOAT

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        result = K.tanh(x)
        ctx.save(result=result)
        return result

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.tanh_grad(grad, ctx.saved["result"]),)  # grad * fma(-y, y, 1): PyTorch's rounding

    jvp_formulas = ("d(tanh x) = (1 - tanh(x)^2) * dx",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        return K.tanh_grad(dx, ctx.output)


_CLAMP_NAMES = {"clamp": "ClampBackward1", "clamp_min": "ClampMinBackward0", "clamp_max": "ClampMaxBackward0"}


@register
class Clamp(Op):
    """min(max(x, min), max), for Python numbers ``min`` and ``max`` (either may be None)."""

    torch = "torch.clamp"
    grad_fn = "ClampBackward1"  # PyTorch's name for clamp with number bounds (clamp_min's: see grad_fn_name)
    formulas = ("d(clamp x)/dx = grad if min <= x <= max else 0",)

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, min: float | None, max: float | None,  # noqa: A002
                     function: str = "clamp") -> str:
        return _CLAMP_NAMES[function]  # PyTorch's names for clamp, clamp_min and clamp_max with number bounds

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return inputs, {"min": params["min"], "max": params["max"]}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, min: float | None, max: float | None,  # noqa: A002
                function: str = "clamp") -> np.ndarray:
        for bound in (min, max):
            if bound is not None:
                errors.check_scalar(bound, x.dtype)
        ctx.save(x=x)
        ctx.bounds = (min, max)
        y = x
        # PyTorch's min(max(x, low), high), x kept where it ties with a bound (so -0.0 stays); a NaN bound gives NaN
        for beyond, bound in ((K.lt, min), (K.gt, max)):
            if bound is not None:
                b = K.scalar(bound, x.dtype)
                y = K.maximum(y, b) if bound != bound else K.where(beyond(y, b), b, y)
        return y

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_within_bounds(ctx.saved["x"], ctx.bounds, grad),)

    jvp_formulas = ("d(clamp x) = dx if min <= x <= max else 0",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        return _within_bounds(ctx.inputs[0], ctx.bounds, dx)


def _within_bounds(x: np.ndarray, bounds: tuple[float | None, float | None], grad: np.ndarray) -> np.ndarray:
    """grad where min <= x <= max (either bound may be None), else 0."""
    for within, bound in zip((K.ge, K.le), bounds):
        if bound is not None:
            grad = _keep_where(within(x, K.scalar(bound, x.dtype)), grad)
    return grad


_CLAMP_TENSOR_NAMES = {"clamp": "ClampBackward0", "clamp_min": "ClampMinBackward1", "clamp_max": "ClampMaxBackward1"}


@register
class ClampTensor(Op):
    """min(max(x, min), max) for TENSOR bounds (either may be absent), all three broadcast together; a NaN anywhere
    gives NaN. Gradients go to x where it lies within its bounds, and to a bound where it is the value taken (as
    PyTorch's ``clamp_backward_min_max``: where min > max the result is max, and only max gets the gradient)."""

    torch = "torch.clamp"
    grad_fn = "ClampBackward0"  # PyTorch's name for clamp with tensor bounds (clamp_min's: see grad_fn_name)
    formulas = ("d(clamp x)/dx = grad where min <= x <= max, else 0",
                "d(clamp x)/dmin = grad where x < min (and min < max), else 0",
                "d(clamp x)/dmax = grad where x > max (or max < min), else 0")
    saved_names: ClassVar[dict[str, Any]] = {"self": "x", "min": "min", "max": "max"}

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, *bounds: np.ndarray, max_only: bool = False,
                     function: str = "clamp") -> str:
        return _CLAMP_TENSOR_NAMES[function]  # clamp(min=t): ClampBackward0; clamp_min(t): ClampMinBackward1

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        if params.get("max_only"):
            return [inputs[0]], {"max": inputs[1]}
        return inputs, {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *bounds: np.ndarray, max_only: bool = False,
                function: str = "clamp") -> np.ndarray:
        low, high = (None, bounds[0]) if max_only else (*bounds, None)[:2]
        if high is not None and low is not None:
            K.broadcast_shapes(K.broadcast_shapes(x.shape, low.shape), high.shape)  # PyTorch's order, for its errors
            if x.dtype == _BOOL:  # (with one bound: maximum or minimum, which take bools)
                raise errors.not_implemented("clamp_cpu", x.dtype)
        ctx.save(x=x, min=low, max=high)
        ctx.function = function
        y = x if low is None else K.maximum(x, low)  # PyTorch's maximum_stub, then minimum_stub: NaN propagates
        return y if high is None else K.minimum(y, high)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        x, low, high = ctx.saved["x"], ctx.saved["min"], ctx.saved["max"]
        if low is not None and high is not None:
            # PyTorch (2.13) forms the masks in place, into x >= min for x and min, into x > max for max: where that
            # comparison has fewer elements than the result it refuses, and so does minigrad
            for needed, bound in ((ctx.needs(0) or ctx.needs(1), low), (ctx.needs(2), high)):
                shape = K.broadcast_shapes(x.shape, bound.shape)
                if needed and shape != grad.shape:
                    raise errors.output_shape_mismatch(shape, grad.shape)
        grads: list[np.ndarray | None] = [_within_tensor_bounds(x, low, high, grad)]
        if low is not None:
            below = K.lt(x, low)
            grads.append(_keep_where(below if high is None else K.logical_and(below, K.lt(low, high)), grad))
        if high is not None:
            above = _keep_where(K.gt(x, high), grad)
            grads.append(above if low is None else K.where(K.lt(high, low), grad, above))
        return tuple(grads)

    jvp_formulas = ("d(clamp x) = dmax where min > max, else dmin where x < min, dmax where x > max, dx elsewhere",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray | None, *dbounds: np.ndarray | None) -> np.ndarray:
        """PyTorch's clamp_jvp (clamp_min and clamp_max: their own ``where(x >= min, dx, dmin)``)."""
        x, *bounds = ctx.inputs
        max_only = ctx.params.get("max_only", False)
        low, high = (None, bounds[0]) if max_only else (*bounds, None)[:2]
        d_low, d_high = (None, dbounds[0]) if max_only else (*dbounds, None)[:2]
        dtype = ctx.output.dtype

        def tangent(t: np.ndarray | None, like: np.ndarray) -> np.ndarray:
            return K.zeros(like.shape, dtype) if t is None else t

        dx = tangent(dx, x)
        if low is not None and high is not None:
            d_low, d_high = tangent(d_low, low), tangent(d_high, high)
            inner = K.where(K.lt(x, low), d_low, K.where(K.gt(x, high), d_high, dx))
            return K.where(K.gt(low, high), d_high, inner)
        exact = ctx.function != "clamp"  # clamp_min/clamp_max keep dx on ties with the bound, clamp gives the bound's
        if low is not None:
            return K.where(K.ge(x, low) if exact else K.gt(x, low), dx, tangent(d_low, low))
        return K.where(K.le(x, high) if exact else K.lt(x, high), dx, tangent(d_high, high))


def _within_tensor_bounds(x: np.ndarray, low: np.ndarray | None, high: np.ndarray | None,
                          grad: np.ndarray) -> np.ndarray:
    """grad where low <= x <= high (either bound may be None), else 0: PyTorch's clamp_backward."""
    if low is not None:
        grad = _keep_where(K.ge(x, low), grad)
    if high is not None:
        grad = _keep_where(K.le(x, high), grad)
    return grad


@register
class ToCopy(Op):
    """x converted to another dtype (``.float()``, ``.double()``, ``.to(dtype)``)."""

    torch = "torch.Tensor.to"
    formulas = ("d(x.to(dtype))/dx = grad converted back to x's dtype",)
    jvp_formulas = ("d(x.to(dtype)) = dx.to(dtype)",)
    jvp = classmethod(linear_jvp)
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
    jvp_formulas = ("d(clone x) = dx",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        return K.copy(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (grad,)


class _Extremum(Op):
    """The elementwise larger (or smaller) of a and b; NaN wins. Ties split the gradient in half."""

    kernel: Callable[[np.ndarray, np.ndarray], np.ndarray]  # K.maximum or K.minimum
    a_loses: Callable[[np.ndarray, np.ndarray], np.ndarray]  # where b is picked: a < b for maximum
    b_loses: Callable[[np.ndarray, np.ndarray], np.ndarray]  # where a is picked: a > b for maximum

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save(a=a, b=b)
        return cls.kernel(a, b)

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        shared = K.where(K.eq(a, b), K.div(grad, K.scalar(2, grad.dtype)), grad)
        return _zero_where(cls.a_loses(a, b), shared), _zero_where(cls.b_loses(a, b), shared)

    jvp_formulas = ("d(max(a,b)) = da where a wins, db where b wins, (da + db) / 2 where a == b",)

    @classmethod
    def jvp(cls, ctx: Any, da: np.ndarray | None, db: np.ndarray | None) -> np.ndarray:
        """PyTorch's db + w (da - db), w = 1 where a wins, 1/2 on ties, else 0."""
        a, b = ctx.inputs
        dtype = ctx.output.dtype
        da = K.zeros(a.shape, dtype) if da is None else da
        db = K.zeros(b.shape, dtype) if db is None else db
        w = K.where(K.eq(a, b), K.scalar(0.5, dtype), K.cast(cls.b_loses(a, b), dtype))
        return K.add(db, K.mul(w, K.sub(da, db)))


@register
class Maximum(_Extremum):
    """max(a, b) elementwise."""

    torch = "torch.maximum"
    formulas = ("d(max(a,b))/da = grad where a > b, grad/2 where a == b", "d(max(a,b))/db = grad where b > a, ...")
    kernel = staticmethod(K.maximum)
    a_loses, b_loses = staticmethod(K.lt), staticmethod(K.gt)


@register
class Minimum(_Extremum):
    """min(a, b) elementwise."""

    torch = "torch.minimum"
    formulas = ("d(min(a,b))/da = grad where a < b, grad/2 where a == b", "d(min(a,b))/db = grad where b < a, ...")
    kernel = staticmethod(K.minimum)
    a_loses, b_loses = staticmethod(K.gt), staticmethod(K.lt)


@register
class Where(Op):
    """x where ``condition`` holds, else y (all three broadcast together)."""

    torch = "torch.where"
    formulas = ("d(where(c, x, y))/dx = grad where c, else 0", "d(where(c, x, y))/dy = grad where not c, else 0")
    jvp_formulas = ("d(where(c, x, y)) = where(c, dx, dy)",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return [params["condition"], *inputs], {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, y: np.ndarray, condition: np.ndarray) -> np.ndarray:
        if condition.dtype != _BOOL:
            raise errors.where_condition_dtype(condition.dtype)
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
            raise errors.masked_fill_mask_dtype(mask.dtype)
        shape = K.broadcast_shapes(mask.shape, x.shape)
        if shape != x.shape:  # PyTorch fills a copy of x in place, hence its in-place error
            raise errors.output_shape_mismatch(x.shape, shape)
        errors.check_scalar(value, x.dtype)
        ctx.mask = mask
        return K.where(mask, K.scalar(value, x.dtype), x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_zero_where(ctx.mask, grad),)
