"""The activations of ``nn.functional`` that PyTorch differentiates with a kernel of their own: y = f(x; params)
elementwise, with dL/dx = grad * f'(x) from the saved input (``kernels/activation.py`` has both loops).

selu is elu with fixed alpha and scale, celu elu with input_scale 1/alpha, relu6 hardtanh(0, 6): as in PyTorch.
glu (two halves of one input) and prelu (a learned slope, a second input) follow them.
"""

from typing import Any, ClassVar

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim
from .jvp import self_adjoint_jvp
from .registry import Op, Promotion, register


class _Activation(Op):
    """y = K.<kernel>(x, **params); dL/dx = K.<gradient>(x, grad, **params) (``kernel``_grad by default)."""

    promotion = Promotion.NONE
    kernel: ClassVar[str]
    gradient: ClassVar[str] = ""
    torch_kernel: ClassVar[str] = ""  # PyTorch's kernel name in its error for a non-float dtype ("": any dtype)
    jvp_formulas = ("d(f(x)) = f'(x) dx, elementwise (its backward on dx)",)
    jvp = classmethod(self_adjoint_jvp)

    @classmethod
    def check(cls, dtypes: list[np.dtype]) -> None:
        if cls.torch_kernel:
            errors.check_floating_kernel(cls.torch_kernel, dtypes[0])

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, **params: Any) -> np.ndarray:
        ctx.save(x=x)
        ctx.params = params
        return getattr(K, cls.kernel)(x, **params)

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (getattr(K, cls.gradient or f"{cls.kernel}_grad")(ctx.saved["x"], grad, **ctx.params),)


@register
class Gelu(_Activation):
    """x Phi(x), Phi the standard normal CDF: (1 + erf(x / sqrt 2)) / 2; approximate='tanh' uses
    Phi(x) ~ (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2."""

    torch = "torch.nn.functional.gelu"
    formulas = ("d(gelu)/dx = grad * (Phi(x) + x phi(x)), phi(x) = exp(-x^2/2) / sqrt(2 pi) (or the tanh form's)",)
    kernel, torch_kernel = "gelu", "GeluKernelImpl"


@register
class Silu(_Activation):
    """x sigmoid(x) (also called swish)."""

    torch = "torch.nn.functional.silu"
    formulas = ("d(silu)/dx = grad * s (1 + x (1 - s)), s = sigmoid(x)",)
    kernel, torch_kernel = "silu", "silu_cpu"


@register
class Mish(_Activation):
    """x tanh(softplus(x)) = x tanh(log(1 + e^x))."""

    torch = "torch.nn.functional.mish"
    formulas = ("d(mish)/dx = grad * (t + x sigmoid(x) (1 - t^2)), t = tanh(softplus(x))",)
    kernel, torch_kernel = "mish", "mish_cpu"


@register
class Elu(_Activation):
    """scale x for x > 0, else alpha scale (exp(input_scale x) - 1) (elu: scale = input_scale = 1; selu: PyTorch's
    fixed alpha and scale)."""

    torch = "torch.nn.functional.elu"
    formulas = ("d(elu)/dx = grad * scale where x > 0, else grad * input_scale alpha scale exp(input_scale x)",)
    kernel, torch_kernel = "elu", "elu_cpu"


@register
class Celu(Elu):
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1)): elu with input_scale = 1 / alpha."""

    torch = "torch.nn.functional.celu"
    formulas = ("d(celu)/dx = grad where x > 0, else grad * exp(x / alpha)",)

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        # PyTorch's derivative (derivatives.yaml) takes input_scale = 1.0 / alpha.toFloat(): alpha as a float32
        params = {**ctx.params, "input_scale": 1.0 / float(np.float32(ctx.params["alpha"]))}
        return (K.elu_grad(ctx.saved["x"], grad, **params),)


@register
class Hardtanh(_Activation):
    """x limited to [min_val, max_val] (relu6: [0, 6])."""

    torch = "torch.nn.functional.hardtanh"
    formulas = ("d(hardtanh)/dx = grad where min_val < x < max_val, else 0",)
    backward_function: ClassVar[tuple[str, str]] = ("hardtanh_backward", "x")
    kernel = "hardtanh"

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        if dtypes[0].kind == "b":
            raise errors.hardtanh_bool()

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, min_val: float, max_val: float) -> np.ndarray:
        if x.dtype.kind in "iu":  # PyTorch's hardtanh_out: the bounds as int64 (toLong), then clamp's own checks
            for bound in (min_val, max_val):
                errors.check_scalar(bound, np.dtype(np.int64))
            min_val, max_val = int(min_val), int(max_val)
            if x.dtype.kind == "u" and (min_val < 0 or max_val < 0):
                raise errors.hardtanh_unsigned()
            for bound in (min_val, max_val):
                errors.check_scalar(bound, x.dtype)
        return super().forward(ctx, x, min_val=min_val, max_val=max_val)


@register
class Hardsigmoid(_Activation):
    """min(max(x + 3, 0), 6) / 6: 0 below -3, 1 above 3, linear between."""

    torch = "torch.nn.functional.hardsigmoid"
    formulas = ("d(hardsigmoid)/dx = grad / 6 where -3 < x < 3, else 0",)
    kernel, torch_kernel = "hardsigmoid", "hardsigmoid_cpu"
    backward_function: ClassVar[tuple[str, str]] = ("hardsigmoid_backward", "x")


@register
class Hardswish(_Activation):
    """x hardsigmoid(x) = x min(max(x + 3, 0), 6) / 6."""

    torch = "torch.nn.functional.hardswish"
    formulas = ("d(hardswish)/dx = 0 where x < -3, grad (x / 3 + 1/2) where x <= 3, else grad",)
    kernel, torch_kernel = "hardswish", "hardswish_cpu"


@register
class Softshrink(_Activation):
    """x - lambd where x > lambd, x + lambd where x < -lambd, else 0."""

    torch = "torch.nn.functional.softshrink"
    formulas = ("d(softshrink)/dx = grad where |x| > lambd, else 0",)
    kernel, gradient, torch_kernel = "softshrink", "shrink_grad", "softshrink_check"
    backward_function: ClassVar[tuple[str, str]] = ("softshrink_backward", "x")


@register
class Hardshrink(_Activation):
    """x where |x| > lambd, else 0."""

    torch = "torch.nn.functional.hardshrink"
    formulas = ("d(hardshrink)/dx = grad where |x| > lambd, else 0",)
    kernel, gradient, torch_kernel = "hardshrink", "shrink_grad", "hardshrink_cpu"
    backward_function: ClassVar[tuple[str, str]] = ("hardshrink_backward", "x")


@register
class Threshold(_Activation):
    """value where x <= threshold, else x."""

    torch = "torch.nn.functional.threshold"
    formulas = ("d(threshold)/dx = 0 where x <= threshold, else grad",)
    backward_function: ClassVar[tuple[str, str]] = ("threshold_backward", "x")
    kernel = "threshold"

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        if dtypes[0].kind == "b":
            raise errors.not_implemented("threshold_cpu", dtypes[0])

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, threshold: float, value: float) -> np.ndarray:
        if x.dtype.kind in "iu":  # PyTorch converts both numbers to x's dtype, checked
            errors.check_scalar(threshold, x.dtype)
            errors.check_scalar(value, x.dtype)
            if x.dtype.kind == "u":  # negative integers wrap, as in C++
                wrap = int(np.iinfo(x.dtype).max) + 1
                threshold, value = (v % wrap if isinstance(v, int) else v for v in (threshold, value))
        return super().forward(ctx, x, threshold=threshold, value=value)

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.threshold_grad(ctx.saved["x"], grad, ctx.params["threshold"]),)


@register
class LogSigmoid(_Activation):
    """log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)), which never overflows."""

    torch = "torch.nn.functional.logsigmoid"
    formulas = ("d(logsigmoid)/dx = grad * (1 - sigmoid(x))",)
    kernel, gradient, torch_kernel = "log_sigmoid", "log_sigmoid_grad", "log_sigmoid_cpu"


@register
class Glu(Op):
    """a sigmoid(b), a and b the first and second halves of x along ``dim`` (a gated linear unit)."""

    torch = "torch.nn.functional.glu"
    formulas = ("d(glu)/da = grad * sigmoid(b)", "d(glu)/db = grad * a sigmoid(b) (1 - sigmoid(b))")
    promotion = Promotion.NONE

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        errors.check_floating_kernel("glu_cpu", dtypes[0])

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int = -1) -> np.ndarray:
        ctx.axis = normalize_dim(dim, x.ndim)
        ctx.save(x=x)
        return K.glu(x, ctx.axis)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.glu_grad(ctx.saved["x"], grad, ctx.axis),)


@register
class PreluKernel(Op):
    """x where x > 0, else w x, the slope w broadcast against x (one slope, or one per channel)."""

    torch = "torch.nn.functional.prelu"
    formulas = ("d(prelu)/dx = grad where x > 0, else w * grad",
                "d(prelu)/dw = 0 where x > 0, else x * grad (summed over the positions sharing w)")
    promotion = Promotion.NONE

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        if dtypes[1] != dtypes[0]:  # PyTorch refuses mixed dtypes before its kernel looks at them
            raise errors.prelu_promotion(dtypes[0], dtypes[1])
        errors.check_floating_kernel("prelu_cpu", dtypes[0])

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
        if weight.dtype != x.dtype:
            raise errors.prelu_promotion(x.dtype, weight.dtype)
        positive = K.gt(x, K.scalar(0, x.dtype))
        ctx.save(x=x, weight=weight, positive=positive)
        return K.where(positive, x, K.mul(weight, x))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        x, weight, positive = ctx.saved["x"], ctx.saved["weight"], ctx.saved["positive"]
        return _prelu_gradients(grad, x, weight, positive, ctx.needs(1))


def _prelu_gradients(grad: np.ndarray, x: np.ndarray, weight: np.ndarray, positive: np.ndarray,
                     weight_too: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """prelu's gradients: (grad where x > 0, else w grad; 0 where x > 0, else x grad)."""
    grad_x = K.where(positive, grad, K.mul(weight, grad))
    grad_weight = K.where(positive, K.scalar(0, x.dtype), K.mul(x, grad)) if weight_too else None
    return grad_x, grad_weight


class PreluKernelBackward(Op):
    """prelu's two gradients as one op of (grad, x, w), PyTorch's ``_prelu_kernel_backward``: what a recorded backward
    (``create_graph=True``) records for prelu (``PreluKernel.recorded_backward``). Its derivatives are PyTorch's
    (derivatives.yaml), which count x = 0 as positive where the gradients themselves (x > 0) do not."""

    torch = "torch.nn.functional.prelu"
    formulas = ("d/d(grad) = gg_x where x >= 0, else gg_x w + gg_w x",
                "d/dx = 0 where x >= 0, else grad gg_w", "d/dw = 0 where x >= 0, else grad gg_x")
    grad_fn = "PreluKernelBackwardBackward0"
    promotion = Promotion.NONE
    differentiable_outputs = 2

    @staticmethod
    def forward(ctx: Context, grad: np.ndarray, x: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ctx.save(grad=grad, x=x, weight=weight)
        return _prelu_gradients(grad, x, weight, K.gt(x, K.scalar(0, x.dtype)))

    @staticmethod
    def backward(ctx: Context, gg_x: np.ndarray | None, gg_w: np.ndarray | None
                 ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
        grad, x, weight = ctx.saved["grad"], ctx.saved["x"], ctx.saved["weight"]
        nonnegative, zero = K.ge(x, K.scalar(0, x.dtype)), K.scalar(0, x.dtype)
        elsewhere = [term for term in (None if gg_x is None else K.mul(gg_x, weight),
                                       None if gg_w is None else K.mul(gg_w, x)) if term is not None]
        d_grad = None if not elsewhere else K.where(nonnegative, zero if gg_x is None else gg_x,
                                                    elsewhere[0] if len(elsewhere) == 1 else K.add(*elsewhere))
        none = K.zeros(x.shape, x.dtype)  # (PyTorch's zeros_like(self) for a gradient that did not arrive)
        d_x = none if gg_w is None else K.where(nonnegative, zero, K.mul(grad, gg_w))
        d_weight = none if gg_x is None else K.where(nonnegative, zero, K.mul(grad, gg_x))
        return d_grad, d_x, d_weight


PreluKernel.recorded_backward = PreluKernelBackward
