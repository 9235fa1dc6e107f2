"""More elementwise math: degrees and radians, the gamma family (lgamma, digamma, polygamma), logit, xlogy, sinc,
nan_to_num, copysign, fmax and fmin (numpy's NaN-ignoring max and min), and nansum.

As in ``math_functions``, inputs broadcast against each other and a backward returns gradients shaped like the output.
"""

import math
from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dims
from .math_functions import _Function, _one
from .pointwise import _times, _zero_where
from .reduction import _expand_back, _reduction_arguments
from .registry import Op, Promotion, register


def _isnan(x: np.ndarray) -> np.ndarray:
    return K.ne(x, x)


def _number_name(name: str, self_number: bool, other_number: bool) -> str:
    """PyTorch's node of a binary op with a number operand: ``XlogyBackward1`` for a number self, 2 for a number
    other (0 for two tensors)."""
    return f"{name}Backward{1 if self_number else 2 if other_number else 0}"


@register
class Deg2Rad(_Function):
    """x * pi / 180: degrees in radians."""

    torch = "torch.deg2rad"
    formulas = ("d(deg2rad x)/dx = grad * pi/180",)
    kernel = staticmethod(lambda x: _times(math.pi / 180, x))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_times(math.pi / 180, grad),)


@register
class Rad2Deg(_Function):
    """x * 180 / pi: radians in degrees."""

    torch = "torch.rad2deg"
    formulas = ("d(rad2deg x)/dx = grad * 180/pi",)
    kernel = staticmethod(lambda x: _times(180 / math.pi, x))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_times(180 / math.pi, grad),)


@register
class Lgamma(_Function):
    """log |Gamma(x)| (inf at the poles 0, -1, -2, ...)."""

    torch = "torch.lgamma"
    formulas = ("d(lgamma x)/dx = grad * digamma(x)",)
    kernel = staticmethod(K.lgamma)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, K.digamma(ctx.saved["x"])),)


@register
class Digamma(_Function):
    """psi(x) = d/dx log Gamma(x) (NaN at the negative poles, -inf at +0.0)."""

    torch = "torch.digamma"
    formulas = ("d(digamma x)/dx = grad * polygamma(1, x)",)
    kernel = staticmethod(K.digamma)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, K.polygamma(1, ctx.saved["x"])),)


@register
class Polygamma(Op):
    """psi^(n)(x): the n-th derivative of digamma, (-1)^(n+1) n! zeta(n + 1, x) for n >= 1."""

    torch = "torch.polygamma"
    formulas = ("d(polygamma(n, x))/dx = grad * polygamma(n + 1, x)",)
    promotion = Promotion.FLOAT

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, n: int, inplace: bool = False) -> str:
        return "PolygammaBackward1" if inplace else "PolygammaBackward0"  # (x.polygamma_(n): another overload)

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return [params["n"], *inputs], {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, n: int, inplace: bool = False) -> np.ndarray:
        if n < 0:
            raise errors.polygamma_negative()
        ctx.save(x=x)
        ctx.n = n
        return K.polygamma(n, x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad, K.polygamma(ctx.n + 1, ctx.saved["x"])),)


@register
class Logit(Op):
    """log(x / (1 - x)), the inverse of sigmoid; with ``eps``, of x clamped to [eps, 1 - eps] first."""

    torch = "torch.logit"
    formulas = ("d(logit x)/dx = grad / (x (1 - x)) (0 outside [eps, 1 - eps] with eps, NaN outside [0, 1] without)",)
    promotion = Promotion.FLOAT

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, eps: float | None = None) -> np.ndarray:
        ctx.save(x=x)
        ctx.eps = eps
        if eps is not None:  # (x < lo ? lo : x > hi ? hi : x, as PyTorch's kernel: NaN stays NaN)
            low, high = K.scalar(eps, x.dtype), K.scalar(1 - eps, x.dtype)
            x = K.where(K.lt(x, low), low, K.where(K.gt(x, high), high, x))
        return K.log(K.div(x, K.sub(_one(x), x)))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x, eps = ctx.saved["x"], ctx.eps
        low, high = (0, 1) if eps is None else (eps, 1 - eps)
        denominator = K.mul(x, K.sub(_one(x), x))
        slope = K.div(grad, denominator)
        # at x = 0 and 1, grad * inf as PyTorch (+inf at -0.0 too), chosen by grad's sign: a constant, not a product
        # with inf, whose derivative in grad (inf * 0) would be NaN where the branch is not taken
        infinity = K.scalar(math.inf, grad.dtype)
        signed = K.where(K.gt(grad, K.scalar(0, grad.dtype)), infinity,
                         K.where(K.lt(grad, K.scalar(0, grad.dtype)), K.neg(infinity), K.scalar(math.nan, grad.dtype)))
        slope = K.where(K.eq(denominator, K.scalar(0, x.dtype)), signed, slope)
        outside = K.scalar(math.nan if eps is None else 0, grad.dtype)  # (x < low or x > high: a NaN x is neither)
        return (K.where(K.lt(x, K.scalar(low, x.dtype)), outside, K.where(K.gt(x, K.scalar(high, x.dtype)), outside,
                                                                          slope)),)


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x log y, 0 where x is 0 (unless y is NaN)."""
    product = K.where(K.eq(x, K.scalar(0, x.dtype)), K.scalar(0, x.dtype), K.mul(x, K.log(y)))
    return K.where(_isnan(y), y, product)


@register
class Xlogy(Op):
    """x log y, with 0 log y = 0 (for y not NaN): the term of an entropy."""

    torch = "torch.xlogy"
    formulas = ("d(xlogy(x,y))/dx = xlogy(grad, y) (0 where x = 0 and y <= 0, or y a number not > 0)",
                "d(xlogy(x,y))/dy = grad * x / y")
    promotion = Promotion.FLOAT

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, y: np.ndarray, numbers: tuple[Any, Any]) -> str:
        return _number_name("Xlogy", *(n is not None for n in numbers))

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return inputs, {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, y: np.ndarray, numbers: tuple[Any, Any]) -> np.ndarray:
        """``numbers``: each operand given as a Python number (else None), whose sign the gradient's mask reads in
        double, as PyTorch's Scalar comparison does (a tiny y is 0 in float32, but not <= 0)."""
        ctx.save(x=x, y=y)
        ctx.y_number = numbers[1]
        return _xlogy(x, y)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = ctx.saved["x"], ctx.saved["y"]
        return _xlogy_x_slope(grad, x, y, ctx.y_number), K.div(K.mul(grad, x), y)

    jvp_formulas = ("d(xlogy(x,y)) = xlogy(dx, y) (0 where x = 0 and y <= 0) + dy * x / y",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray | None, dy: np.ndarray | None) -> np.ndarray:
        x, y = ctx.inputs
        terms = [] if dx is None else [_xlogy_x_slope(dx, x, y, ctx.y_number)]
        terms += [] if dy is None else [K.div(K.mul(dy, x), y)]
        return terms[0] if len(terms) == 1 else K.add(*terms)


def _xlogy_x_slope(grad: np.ndarray, x: np.ndarray, y: np.ndarray, y_number: Any) -> np.ndarray:
    """PyTorch's gradient of xlogy(x, y) for x: xlogy(grad, y), 0 where x = 0 and y <= 0 (for a number y, where
    x = 0 and y is not > 0: NaN too)."""
    zero = K.scalar(0, x.dtype)
    slope = _xlogy(grad, y)
    if y_number is None:
        return _zero_where(K.logical_and(K.eq(x, zero), K.le(y, zero)), slope)
    return _zero_where(K.eq(x, zero), slope) if not y_number > 0 else slope


def _sinc_backward(grad: np.ndarray, x: np.ndarray) -> np.ndarray:
    """grad * sinc'(x), as PyTorch's sinc_backward computes it (0 where pi x^2 is 0)."""
    x_pi = _times(math.pi, x)
    squared_pi = _times(math.pi, K.mul(x, x))
    out = K.div(K.mul(grad, K.sub(K.mul(x_pi, K.cos(x_pi)), K.sin(x_pi))), squared_pi)
    return _zero_where(K.eq(squared_pi, K.scalar(0, x.dtype)), out)


@register
class Sinc(Op):
    """sin(pi x) / (pi x), and 1 at x = 0."""

    torch = "torch.sinc"
    formulas = ("d(sinc x)/dx = grad * (pi x cos(pi x) - sin(pi x)) / (pi x^2) (0 at x = 0)",)
    promotion = Promotion.FLOAT

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        ctx.save(x=x)
        product = _times(math.pi, x)
        return K.where(K.eq(x, K.scalar(0, x.dtype)), _one(x), K.div(K.sin(product), product))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_sinc_backward(grad, ctx.saved["x"]),)

    jvp_formulas = ("d(sinc x) = dx * (pi x cos(pi x) - sin(pi x)) / (pi x^2) (0 at x = 0)",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        return _sinc_backward(dx, ctx.inputs[0])


@register
class NanToNum(Op):
    """x with NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (by default 0 and the dtype's
    largest and lowest finite values); integer and bool tensors unchanged."""

    torch = "torch.nan_to_num"
    formulas = ("d(nan_to_num x)/dx = grad where x is finite, else 0",)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, nan: float | None = 0.0, posinf: float | None = None,
                neginf: float | None = None) -> np.ndarray:
        ctx.save(x=x)
        if x.dtype.kind != "f":
            return K.copy(x)
        largest = float(np.finfo(x.dtype).max)
        infinity = K.scalar(math.inf, x.dtype)
        x = K.where(K.eq(x, infinity), K.scalar(largest if posinf is None else posinf, x.dtype), x)
        x = K.where(K.eq(x, K.neg(infinity)), K.scalar(-largest if neginf is None else neginf, x.dtype), x)
        return K.where(_isnan(x), K.scalar(0.0 if nan is None else nan, x.dtype), x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]
        finite = K.lt(K.abs(x), K.scalar(math.inf, x.dtype))  # (false for NaN too)
        return (K.mul(grad, K.cast(finite, grad.dtype)),)


@register
class Copysign(Op):
    """|a| with the sign of b (its sign bit: -0.0 counts as negative)."""

    torch = "torch.copysign"
    formulas = ("d(copysign(a,b))/da = grad * copysign(a,b) / a (0 where a = 0)", "d(copysign(a,b))/db = 0")
    promotion = Promotion.FLOAT

    @staticmethod
    def grad_fn_name(ctx: Context, a: np.ndarray, b: np.ndarray, number: bool) -> str:
        return "CopysignBackward1" if number else "CopysignBackward0"

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray, number: bool) -> np.ndarray:
        result = K.copysign(a, b)
        ctx.save(a=a, y=result)
        ctx.b_shape = b.shape
        return result

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, y = ctx.saved["a"], ctx.saved["y"]
        ratio = _zero_where(K.eq(a, K.scalar(0, a.dtype)), K.div(y, a))
        return K.mul(grad, ratio), K.expand(K.scalar(0, grad.dtype), grad.shape)


class _NanIgnoring(Op):
    """The larger (fmax) or smaller (fmin) of a and b, elementwise, a NaN losing to a number (NaN where both are).
    The gradient goes to a where a wins or ties or b is NaN, to b elsewhere (PyTorch's rule)."""

    a_wins: Any  # K.ge for fmax, K.le for fmin
    a_loses: Any  # K.lt for fmax, K.gt for fmin
    a_beats: Any  # where forward mode's tangent is a's: K.gt for fmax, K.le for fmin

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save(a=a, b=b)
        # (std::max(a, b) as PyTorch's kernel: b only where it beats a, so fmax(-0.0, 0.0) is -0.0)
        return K.where(_isnan(b), a, K.where(_isnan(a), b, K.where(cls.a_loses(a, b), b, a)))

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        to_a = cls.to_a(ctx.saved["a"], ctx.saved["b"])
        zero = K.scalar(0, grad.dtype)
        return K.where(to_a, grad, zero), K.where(to_a, zero, grad)

    @classmethod
    def to_a(cls, a: np.ndarray, b: np.ndarray, ties: bool = True) -> np.ndarray:
        """Where the gradient goes to a: a wins or ties (or, not ``ties``, ``a_beats``), or b is NaN."""
        return K.where(_isnan(b), _isnan(b), cls.a_wins(a, b) if ties else cls.a_beats(a, b))

    jvp_formulas = ("d(fmax(a,b)) = da where a > b or b is NaN, else db (fmin: a <= b)",)

    @classmethod
    def jvp(cls, ctx: Any, da: np.ndarray | None, db: np.ndarray | None) -> np.ndarray:
        """PyTorch's db + w (da - db), w = 1 where ``a_beats`` or b is NaN, else 0."""
        a, b = ctx.inputs
        dtype = ctx.output.dtype
        da = K.zeros(a.shape, dtype) if da is None else da
        db = K.zeros(b.shape, dtype) if db is None else db
        return K.add(db, K.mul(K.cast(cls.to_a(a, b, ties=False), dtype), K.sub(da, db)))


@register
class Fmax(_NanIgnoring):
    """max(a, b) elementwise, ignoring NaN: the number where one of the two is NaN."""

    torch = "torch.fmax"
    formulas = ("d(fmax(a,b))/da = grad where a >= b or b is NaN", "d(fmax(a,b))/db = grad elsewhere")
    a_wins, a_beats, a_loses = staticmethod(K.ge), staticmethod(K.gt), staticmethod(K.lt)


@register
class Fmin(_NanIgnoring):
    """min(a, b) elementwise, ignoring NaN: the number where one of the two is NaN."""

    torch = "torch.fmin"
    formulas = ("d(fmin(a,b))/da = grad where a <= b or b is NaN", "d(fmin(a,b))/db = grad elsewhere")
    # (PyTorch's forward rule for fmin, unlike fmax's, gives ties to a: a <= b)
    a_wins, a_beats, a_loses = staticmethod(K.le), staticmethod(K.le), staticmethod(K.gt)


@register
class Nansum(Op):
    """The sum over ``dim`` (all elements when None) with NaNs counted as 0; bools and integers sum to int64."""

    torch = "torch.nansum"
    formulas = ("d(nansum x)/dx_i = grad * (x_i is not NaN)",)
    promotion = Promotion.NONE
    torch_arguments = staticmethod(_reduction_arguments)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | tuple[int, ...] | None = None,
                keepdim: bool = False) -> np.ndarray:
        axes = normalize_dims(dim, x.ndim)
        ctx.save(x=x)
        ctx.shape, ctx.axes = x.shape, axes
        out = K.sum(_zero_where(_isnan(x), x) if x.dtype.kind == "f" else x, axes)
        return out.reshape([1 if d in axes else n for d, n in enumerate(x.shape)]) if keepdim else out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        x = ctx.saved["x"]  # (grad times 0 or 1, as PyTorch: an inf or NaN grad makes NaN at a NaN x)
        return (K.mul(_expand_back(grad, ctx.shape, ctx.axes), K.cast(K.eq(x, x), grad.dtype)),)
