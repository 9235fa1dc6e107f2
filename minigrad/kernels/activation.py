"""Kernels for the activations of ``nn.functional``: one loop per function f and one per its gradient, g * f'(x).

Each loop reads like the math, in the dtype of x (``like`` makes a constant float32 for a float32 x), with
PyTorch's formula from its CPU kernels (``Activation.cpp``), so float32 results agree to rounding. These kernels
have no exact variant: PyTorch computes them with SLEEF's vector exp, erf and tanh, which minigrad does not port.
"""

import math

import numpy as np
from numba import njit

from ._scalar import like
from .layout import flat

__all__ = [
    "elu", "elu_grad", "gelu", "gelu_grad", "glu", "glu_grad", "hardshrink", "hardsigmoid", "hardsigmoid_grad",
    "hardswish", "hardswish_grad", "hardtanh", "hardtanh_grad", "log_sigmoid_grad", "mish", "mish_grad",
    "shrink_grad", "silu", "silu_grad", "softshrink", "threshold", "threshold_grad",
]


def _map(loop, x: np.ndarray, *params: float) -> np.ndarray:
    """``loop(x, out, *params)`` over x's elements, the parameters in x's dtype: a new array shaped as x."""
    out = np.empty(x.shape, x.dtype)
    loop(flat(x), out.reshape(-1), *(x.dtype.type(p) for p in params))
    return out


def _map_grad(loop, x: np.ndarray, grad: np.ndarray, *params: float) -> np.ndarray:
    """``loop(x, grad, out, *params)`` over x's elements and the gradient broadcast to x's shape."""
    out = np.empty(x.shape, x.dtype)
    loop(flat(x), flat(np.broadcast_to(grad, x.shape)), out.reshape(-1), *(x.dtype.type(p) for p in params))
    return out


# ----- gelu ----------------------------------------------------------------------------------------------------------
@njit(cache=True, error_model="numpy")
def _gelu_erf_loop(x, out):
    for i in range(out.size):  # x Phi(x), Phi(x) = (1 + erf(x / sqrt 2)) / 2
        out[i] = x[i] * like(0.5, x[i]) * (like(1, x[i]) + like(math.erf(x[i] * like(math.sqrt(0.5), x[i])), x[i]))


@njit(cache=True, error_model="numpy")
def _gelu_erf_grad_loop(x, grad, out):
    for i in range(out.size):  # g (Phi(x) + x phi(x)), phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
        v = x[i]
        cdf = like(0.5, v) * (like(1, v) + like(math.erf(v * like(math.sqrt(0.5), v)), v))
        pdf = like(math.exp(like(-0.5, v) * v * v), v) * like(1 / math.sqrt(2 * math.pi), v)
        out[i] = grad[i] * (cdf + v * pdf)


@njit(cache=True, error_model="numpy")
def _gelu_tanh_loop(x, out):
    for i in range(out.size):  # x (1 + tanh(u)) / 2, u = sqrt(2 / pi) (x + 0.044715 x^3)
        v = x[i]
        u = like(math.sqrt(2 / math.pi), v) * (v + like(0.044715, v) * v * v * v)
        out[i] = like(0.5, v) * v * (like(1, v) + like(math.tanh(u), v))


@njit(cache=True, error_model="numpy")
def _gelu_tanh_grad_loop(x, grad, out):
    for i in range(out.size):  # g ((1 + t) / 2 + x / 2 (1 - t^2) du/dx), t = tanh(u), du/dx = k (1 + 3 c x^2)
        v = x[i]
        k = like(math.sqrt(2 / math.pi), v)
        c = like(0.044715, v)
        t = like(math.tanh(k * (v + c * v * v * v)), v)
        left = like(0.5, v) * (like(1, v) + t)
        right = like(0.5, v) * v * (like(1, v) - t * t) * k * (like(1, v) + like(3, v) * c * v * v)
        out[i] = grad[i] * (left + right)


def gelu(x: np.ndarray, approximate: str) -> np.ndarray:
    """x Phi(x) (Phi: the standard normal CDF), or with approximate='tanh'
    x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2."""
    return _map(_gelu_tanh_loop if approximate == "tanh" else _gelu_erf_loop, x)


def gelu_grad(x: np.ndarray, grad: np.ndarray, approximate: str) -> np.ndarray:
    """grad * d gelu / dx, for either approximation."""
    return _map_grad(_gelu_tanh_grad_loop if approximate == "tanh" else _gelu_erf_grad_loop, x, grad)


# ----- silu, mish ----------------------------------------------------------------------------------------------------
@njit(cache=True, error_model="numpy")
def _silu_loop(x, out):
    for i in range(out.size):  # x sigmoid(x)
        out[i] = x[i] / (like(1, x[i]) + like(math.exp(-x[i]), x[i]))


@njit(cache=True, error_model="numpy")
def _silu_grad_loop(x, grad, out):
    for i in range(out.size):  # g s (1 + x (1 - s)), s = sigmoid(x)
        v = x[i]
        s = like(1, v) / (like(1, v) + like(math.exp(-v), v))
        out[i] = grad[i] * s * (like(1, v) + v * (like(1, v) - s))


@njit(cache=True, error_model="numpy")
def _mish_loop(x, out):
    for i in range(out.size):  # x tanh(softplus(x))
        v = x[i]
        out[i] = v * like(math.tanh(like(math.log1p(like(math.exp(v), v)), v)), v)


@njit(cache=True, error_model="numpy")
def _mish_grad_loop(x, grad, out):
    for i in range(out.size):  # g (t + x s (1 - t^2)), t = tanh(softplus(x)), s = sigmoid(x)
        v = x[i]
        s = like(1, v) / (like(1, v) + like(math.exp(-v), v))
        t = like(math.tanh(like(math.log1p(like(math.exp(v), v)), v)), v)
        out[i] = grad[i] * (t + v * s * (like(1, v) - t * t))


def silu(x: np.ndarray) -> np.ndarray:
    """x sigmoid(x) = x / (1 + exp(-x))."""
    return _map(_silu_loop, x)


def silu_grad(x: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """grad * s (1 + x (1 - s)), s = sigmoid(x)."""
    return _map_grad(_silu_grad_loop, x, grad)


def mish(x: np.ndarray) -> np.ndarray:
    """x tanh(log(1 + exp(x)))."""
    return _map(_mish_loop, x)


def mish_grad(x: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """grad * (t + x sigmoid(x) (1 - t^2)), t = tanh(softplus(x))."""
    return _map_grad(_mish_grad_loop, x, grad)


# ----- elu (selu, celu) ----------------------------------------------------------------------------------------------
@njit(cache=True, error_model="numpy")
def _elu_loop(x, out, alpha, scale, input_scale):
    for i in range(out.size):  # alpha scale (exp(input_scale x) - 1) for x < 0, else scale x (0, NaN too)
        v = x[i]
        out[i] = like(math.expm1(v * input_scale), v) * (alpha * scale) if v < 0 else v * scale


@njit(cache=True, error_model="numpy")
def _elu_grad_loop(x, grad, out, alpha, scale, input_scale):
    for i in range(out.size):  # g input_scale alpha scale exp(input_scale x) for x <= 0, else g scale (NaN too)
        v = x[i]
        if v <= 0:
            out[i] = grad[i] * input_scale * (alpha * scale) * like(math.exp(v * input_scale), v)
        else:
            out[i] = grad[i] * scale


def elu(x: np.ndarray, alpha: float, scale: float, input_scale: float) -> np.ndarray:
    """scale x where x > 0, else alpha scale (exp(input_scale x) - 1) (selu and celu are its special cases)."""
    return _map(_elu_loop, x, alpha, scale, input_scale)


def elu_grad(x: np.ndarray, grad: np.ndarray, alpha: float, scale: float, input_scale: float) -> np.ndarray:
    """grad * scale where x > 0, else grad * input_scale alpha scale exp(input_scale x)."""
    return _map_grad(_elu_grad_loop, x, grad, alpha, scale, input_scale)


# ----- piecewise linear: hardtanh, hardsigmoid, hardswish, softshrink, hardshrink, threshold -------------------------
@njit(cache=True, error_model="numpy")
def _hardtanh_loop(x, out, low, high):
    for i in range(out.size):
        out[i] = low if x[i] < low else (high if x[i] > high else x[i])


@njit(cache=True, error_model="numpy")
def _hardtanh_grad_loop(x, grad, out, low, high):
    for i in range(out.size):
        out[i] = like(0, x[i]) if x[i] <= low or x[i] >= high else grad[i]  # NaN passes grad, as in PyTorch


@njit(cache=True, error_model="numpy")
def _hardsigmoid_loop(x, out):
    for i in range(out.size):  # min(max(x + 3, 0), 6) / 6
        out[i] = min(max(x[i] + like(3, x[i]), like(0, x[i])), like(6, x[i])) / like(6, x[i])


_ONE_SIXTH = float(np.float32(1) / np.float32(6))  # PyTorch's 1.0f / 6.0f, float32 even for float64 tensors


@njit(cache=True, error_model="numpy")
def _hardsigmoid_grad_loop(x, grad, out):
    for i in range(out.size):
        out[i] = grad[i] * like(_ONE_SIXTH, x[i]) if -3 < x[i] < 3 else like(0, x[i])


@njit(cache=True, error_model="numpy")
def _hardswish_loop(x, out):
    for i in range(out.size):  # x min(max(x + 3, 0), 6) / 6
        out[i] = x[i] * min(max(x[i] + like(3, x[i]), like(0, x[i])), like(6, x[i])) / like(6, x[i])


@njit(cache=True, error_model="numpy")
def _hardswish_grad_loop(x, grad, out):
    for i in range(out.size):  # 0 up to -3, x / 3 + 1/2 strictly between, 1 from 3 on (PyTorch's kinks)
        v = x[i]
        if v <= -3:
            out[i] = like(0, v)
        elif v < 3:
            out[i] = grad[i] * (v / like(3, v) + like(0.5, v))
        else:
            out[i] = grad[i]


@njit(cache=True, error_model="numpy")
def _softshrink_loop(x, out, lambd):
    for i in range(out.size):  # PyTorch's a * 0 between: NaN stays NaN, a zero keeps x's sign
        v = x[i]
        out[i] = v - lambd if v > lambd else (v + lambd if v < -lambd else v * like(0, v))


@njit(cache=True, error_model="numpy")
def _hardshrink_loop(x, out, lambd):
    for i in range(out.size):
        out[i] = like(0, x[i]) if -lambd <= x[i] <= lambd else x[i]


@njit(cache=True, error_model="numpy")
def _shrink_grad_loop(x, grad, out, lambd):
    for i in range(out.size):  # both shrinks: 0 inside [-lambd, lambd], slope 1 outside
        out[i] = like(0, x[i]) if -lambd <= x[i] <= lambd else grad[i]


@njit(cache=True, error_model="numpy")
def _threshold_loop(x, out, threshold, value):
    for i in range(out.size):
        out[i] = value if x[i] <= threshold else x[i]


@njit(cache=True, error_model="numpy")
def _threshold_grad_loop(x, grad, out, threshold):
    for i in range(out.size):
        out[i] = like(0, x[i]) if x[i] <= threshold else grad[i]


def hardtanh(x: np.ndarray, min_val: float, max_val: float) -> np.ndarray:
    """x limited to [min_val, max_val]."""
    return _map(_hardtanh_loop, x, min_val, max_val)


def hardtanh_grad(x: np.ndarray, grad: np.ndarray, min_val: float, max_val: float) -> np.ndarray:
    """grad where min_val < x < max_val, else 0."""
    return _map_grad(_hardtanh_grad_loop, x, grad, min_val, max_val)


def hardsigmoid(x: np.ndarray) -> np.ndarray:
    """min(max(x + 3, 0), 6) / 6."""
    return _map(_hardsigmoid_loop, x)


def hardsigmoid_grad(x: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """grad / 6 where -3 < x < 3, else 0 (as grad times float32(1/6), as PyTorch)."""
    return _map_grad(_hardsigmoid_grad_loop, x, grad)


def hardswish(x: np.ndarray) -> np.ndarray:
    """x min(max(x + 3, 0), 6) / 6."""
    return _map(_hardswish_loop, x)


def hardswish_grad(x: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """0 where x < -3, grad (x / 3 + 1/2) where x <= 3, grad above."""
    return _map_grad(_hardswish_grad_loop, x, grad)


def softshrink(x: np.ndarray, lambd: float) -> np.ndarray:
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""
    return _map(_softshrink_loop, x, lambd)


def hardshrink(x: np.ndarray, lambd: float) -> np.ndarray:
    """x outside [-lambd, lambd], 0 inside."""
    return _map(_hardshrink_loop, x, lambd)


def shrink_grad(x: np.ndarray, grad: np.ndarray, lambd: float) -> np.ndarray:
    """The gradient of softshrink and hardshrink: grad outside [-lambd, lambd], 0 inside."""
    return _map_grad(_shrink_grad_loop, x, grad, lambd)


def threshold(x: np.ndarray, threshold: float, value: float) -> np.ndarray:
    """value where x <= threshold, else x."""
    return _map(_threshold_loop, x, threshold, value)


def threshold_grad(x: np.ndarray, grad: np.ndarray, threshold: float) -> np.ndarray:
    """0 where x <= threshold, else grad."""
    return _map_grad(_threshold_grad_loop, x, grad, threshold)


# ----- logsigmoid's gradient (its forward is ``loss.log_sigmoid``) ----------------------------------------------------
@njit(cache=True, error_model="numpy")
def _log_sigmoid_grad_loop(x, grad, out):
    for i in range(out.size):  # g (1 - sigmoid(x)), from z = exp(-|x|) so it cannot overflow
        v = x[i]
        z = like(math.exp(-abs(v)), v)
        out[i] = grad[i] * (like(1, v) - z / (like(1, v) + z)) if v < 0 else grad[i] * (z / (like(1, v) + z))


def log_sigmoid_grad(x: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """grad * (1 - sigmoid(x)) = grad * sigmoid(-x)."""
    return _map_grad(_log_sigmoid_grad_loop, x, grad)


# ----- glu -----------------------------------------------------------------------------------------------------------
@njit(cache=True, error_model="numpy")
def _glu_loop(x, out, outer, half, inner):
    for o in range(outer):  # x seen as (outer, 2 half, inner): a = x[o, i, j], b = x[o, half + i, j]
        for i in range(half):
            for j in range(inner):
                a = x[(o * 2 * half + i) * inner + j]
                b = x[(o * 2 * half + half + i) * inner + j]
                out[(o * half + i) * inner + j] = a * (like(1, b) / (like(1, b) + like(math.exp(-b), b)))


@njit(cache=True, error_model="numpy")
def _glu_grad_loop(x, grad, out, outer, half, inner):
    for o in range(outer):  # dL/da = s g, dL/db = (1 - s) s g a, s = sigmoid(b)
        for i in range(half):
            for j in range(inner):
                first = (o * 2 * half + i) * inner + j
                second = (o * 2 * half + half + i) * inner + j
                b = x[second]
                s = like(1, b) / (like(1, b) + like(math.exp(-b), b))
                g = grad[(o * half + i) * inner + j]
                out[first] = s * g
                out[second] = (like(1, b) - s) * s * g * x[first]


def _halves(shape: tuple[int, ...], axis: int) -> tuple[int, int, int]:
    """(outer, half, inner): ``shape`` seen as (outer, 2 half, inner) with ``axis`` in the middle."""
    return math.prod(shape[:axis]), shape[axis] // 2, math.prod(shape[axis + 1:])


def _halved(shape: tuple[int, ...], axis: int) -> tuple[int, ...]:
    """``shape`` with dim ``axis`` halved: glu's output shape."""
    return (*shape[:axis], shape[axis] // 2, *shape[axis + 1:])


def glu(x: np.ndarray, axis: int) -> np.ndarray:
    """a sigmoid(b), a and b the first and second halves of x along ``axis`` (of even size)."""
    out = np.empty(_halved(x.shape, axis), x.dtype)
    _glu_loop(flat(x), out.reshape(-1), *_halves(x.shape, axis))
    return out


def glu_grad(x: np.ndarray, grad: np.ndarray, axis: int) -> np.ndarray:
    """The gradient of glu, shaped as x: sigmoid(b) grad for the first half, (1 - s) s grad a for the second."""
    out = np.empty(x.shape, x.dtype)
    _glu_grad_loop(flat(x), flat(np.broadcast_to(grad, _halved(x.shape, axis))), out.reshape(-1),
                   *_halves(x.shape, axis))
    return out
