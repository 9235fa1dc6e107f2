"""Optimizer updates: one fused pass over a parameter per step, in PyTorch's arithmetic.

PyTorch's single-tensor optimizers run one kernel per line of their update; each line rounds once, so
doing the same lines per element in one loop gives the same bits. How its lines round:

- ``add(x, alpha=a)`` is fma(x, a, self), and ``addcmul(t1, t2, value=v)`` is fma(v * t1, t2, self);
- ``addcdiv(t1, t2, value=v)`` is self + (v * t1) / t2, and ``x / s`` a true division;
- ``lerp(end, w)`` is fma(w, end - self, self) for |w| < 0.5, else fma(w - 1, end - self, end).

Hyperparameters arrive as Python floats; any algebra on them is done in double precision (as PyTorch's
Python does), and the result is rounded to the parameter's dtype where it meets the data (``like``).
Square roots are correctly rounded; PyTorch's (MKL VML) are not always, so those updates can differ
from PyTorch's in the last place.
"""

from collections.abc import Callable

import numpy as np
from numba import njit

from . import mode
from ._scalar import fma, like
from .fast import threads
from .layout import copy, flat, write


def _in_place(loop: Callable[..., None], param: np.ndarray, grad: np.ndarray, buffers: tuple[np.ndarray, ...],
              *hyperparameters: float | bool) -> None:
    """Run ``loop(param, grad, *buffers, *hyperparameters)`` over flat C-order views, updating ``param`` in place.

    The state ``buffers`` are C-contiguous and of param's shape; a non-contiguous ``param`` is updated
    through a contiguous copy that is written back. Numbers are passed as floats (one compilation per dtype).
    """
    contiguous = param.flags.c_contiguous
    target = param.reshape(-1) if contiguous else copy(param).reshape(-1)
    numbers = [h if isinstance(h, bool) else float(h) for h in hyperparameters]
    arrays = (target, flat(grad), *(b.reshape(-1) for b in buffers))
    if mode.exact:  # large parameters in pieces, on several threads (the same bits)
        threads.split(target.size, loop, *arrays, *numbers)
    else:
        loop(*arrays, *numbers)
    if not contiguous:
        write(param, target.reshape(param.shape))


@njit(cache=True)
def _decay(p, grad, lr, weight_decay, decoupled, maximize):
    """(p, g): g is ``grad``, negated to maximize; weight decay adds weight_decay * p to g (L2 penalty) or,
    ``decoupled``, scales p by 1 - lr * weight_decay."""
    g = -grad if maximize else grad
    if weight_decay != 0:
        if decoupled:
            p = p * like(1 - lr * weight_decay, p)
        else:
            g = fma(p, like(weight_decay, p), g)
    return p, g


@njit(cache=True)
def _lerp(start, end, weight):
    """start + weight * (end - start), as PyTorch's ``lerp`` rounds it."""
    if abs(weight) < 0.5:
        return fma(weight, end - start, start)
    return fma(weight - like(1, weight), end - start, end)


@njit(cache=True, nogil=True)
def _sgd_loop(param, grad, buf, lr, weight_decay, momentum, dampening, nesterov, maximize, first_step):
    for i in range(param.size):
        p, g = _decay(param[i], grad[i], lr, weight_decay, False, maximize)
        if momentum != 0:
            if first_step:
                buf[i] = g
            else:
                buf[i] = fma(g, like(1 - dampening, p), buf[i] * like(momentum, p))
            g = fma(buf[i], like(momentum, p), g) if nesterov else buf[i]
        param[i] = fma(g, like(-lr, p), p)


def sgd(param: np.ndarray, grad: np.ndarray, buf: np.ndarray, lr: float, weight_decay: float, momentum: float,
        dampening: float, nesterov: bool, maximize: bool, first_step: bool) -> None:
    """One SGD step, updating ``param`` and the momentum buffer ``buf`` (same shape; unused without momentum):

    g = -grad if maximize else grad;  g += weight_decay * p;
    buf = g (first step) or momentum * buf + (1 - dampening) * g;  g = g + momentum * buf if nesterov else buf;
    p -= lr * g.
    """
    _in_place(_sgd_loop, param, grad, (buf,), lr, weight_decay, momentum, dampening, nesterov, maximize, first_step)


@njit(cache=True, nogil=True, error_model="numpy")
def _adagrad_loop(param, grad, state_sum, lr, weight_decay, eps, maximize):
    for i in range(param.size):
        p, g = _decay(param[i], grad[i], lr, weight_decay, False, maximize)
        state_sum[i] = fma(g, g, state_sum[i])
        param[i] = p + (like(-lr, p) * g) / (np.sqrt(state_sum[i]) + like(eps, p))


def adagrad(param: np.ndarray, grad: np.ndarray, state_sum: np.ndarray, lr: float, weight_decay: float, eps: float,
            maximize: bool) -> None:
    """One Adagrad step, with ``lr`` already decayed for this step; updates ``param`` and ``state_sum``:

    g = ±grad + weight_decay * p;  sum += g²;  p -= lr * g / (√sum + eps).
    """
    _in_place(_adagrad_loop, param, grad, (state_sum,), lr, weight_decay, eps, maximize)


@njit(cache=True, nogil=True, error_model="numpy")
def _adadelta_loop(param, grad, square_avg, acc_delta, lr, rho, eps, weight_decay, maximize):
    for i in range(param.size):
        p, g = _decay(param[i], grad[i], lr, weight_decay, False, maximize)
        square_avg[i] = fma(like(1 - rho, p) * g, g, square_avg[i] * like(rho, p))
        std = np.sqrt(square_avg[i] + like(eps, p))
        delta = np.sqrt(acc_delta[i] + like(eps, p)) / std * g
        acc_delta[i] = fma(like(1 - rho, p) * delta, delta, acc_delta[i] * like(rho, p))
        param[i] = fma(delta, like(-lr, p), p)


def adadelta(param: np.ndarray, grad: np.ndarray, square_avg: np.ndarray, acc_delta: np.ndarray, lr: float,
             rho: float, eps: float, weight_decay: float, maximize: bool) -> None:
    """One Adadelta step, updating ``param``, ``square_avg`` (v) and ``acc_delta`` (u):

    g = ±grad + weight_decay * p;  v = rho * v + (1 - rho) * g²;  d = √(u + eps) / √(v + eps) * g;
    u = rho * u + (1 - rho) * d²;  p -= lr * d.
    """
    _in_place(_adadelta_loop, param, grad, (square_avg, acc_delta), lr, rho, eps, weight_decay, maximize)


@njit(cache=True, nogil=True, error_model="numpy")
def _rmsprop_loop(param, grad, square_avg, grad_avg, momentum_buffer, lr, alpha, eps, weight_decay, momentum,
                  centered, maximize):
    for i in range(param.size):
        p, g = _decay(param[i], grad[i], lr, weight_decay, False, maximize)
        square_avg[i] = fma(like(1 - alpha, p) * g, g, square_avg[i] * like(alpha, p))
        if centered:
            grad_avg[i] = _lerp(grad_avg[i], g, like(1 - alpha, p))
            avg = np.sqrt(fma(-grad_avg[i], grad_avg[i], square_avg[i]))
        else:
            avg = np.sqrt(square_avg[i])
        avg = avg + like(eps, p)
        if momentum > 0:
            momentum_buffer[i] = momentum_buffer[i] * like(momentum, p) + g / avg
            param[i] = fma(momentum_buffer[i], like(-lr, p), p)
        else:
            param[i] = p + (like(-lr, p) * g) / avg


def rmsprop(param: np.ndarray, grad: np.ndarray, square_avg: np.ndarray, grad_avg: np.ndarray,
            momentum_buffer: np.ndarray, lr: float, alpha: float, eps: float, weight_decay: float, momentum: float,
            centered: bool, maximize: bool) -> None:
    """One RMSprop step, updating ``param``, ``square_avg`` (v), ``grad_avg`` (ḡ, used if ``centered``) and
    ``momentum_buffer`` (b, used if momentum > 0):

    g = ±grad + weight_decay * p;  v = alpha * v + (1 - alpha) * g²;
    a = √(v - ḡ²) + eps with ḡ = alpha * ḡ + (1 - alpha) * g if centered, else √v + eps;
    b = momentum * b + g / a and p -= lr * b if momentum > 0, else p -= lr * g / a.
    """
    _in_place(_rmsprop_loop, param, grad, (square_avg, grad_avg, momentum_buffer), lr, alpha, eps, weight_decay,
              momentum, centered, maximize)


@njit(cache=True, nogil=True, error_model="numpy")
def _adam_loop(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, lr, beta1, beta2, eps, weight_decay, decoupled,
               amsgrad, maximize, step_size, bias_correction2_sqrt):
    for i in range(param.size):
        p, g = _decay(param[i], grad[i], lr, weight_decay, decoupled, maximize)
        exp_avg[i] = _lerp(exp_avg[i], g, like(1 - beta1, p))
        exp_avg_sq[i] = v = fma(like(1 - beta2, p) * g, g, exp_avg_sq[i] * like(beta2, p))
        if amsgrad:
            max_exp_avg_sq[i] = v = np.maximum(max_exp_avg_sq[i], v)
        denom = np.sqrt(v) / like(bias_correction2_sqrt, p) + like(eps, p)
        param[i] = p + (like(-step_size, p) * exp_avg[i]) / denom


def adam(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray,
         max_exp_avg_sq: np.ndarray, lr: float, beta1: float, beta2: float, eps: float, weight_decay: float,
         decoupled: bool, amsgrad: bool, maximize: bool, step_size: float, bias_correction2_sqrt: float) -> None:
    """One Adam (``decoupled``: AdamW) step, updating ``param``, ``exp_avg`` (m), ``exp_avg_sq`` (v) and, with
    ``amsgrad``, ``max_exp_avg_sq`` (v̂):

    g = ±grad, plus weight_decay * p unless decoupled (then p *= 1 - lr * weight_decay);
    m = m + (1 - beta1) * (g - m);  v = beta2 * v + (1 - beta2) * g²;  v̂ = max(v̂, v) replaces v with amsgrad;
    p -= step_size * m / (√v / bias_correction2_sqrt + eps), where step_size = lr / (1 - beta1^t) and
    bias_correction2_sqrt = (1 - beta2^t)^0.5.
    """
    _in_place(_adam_loop, param, grad, (exp_avg, exp_avg_sq, max_exp_avg_sq), lr, beta1, beta2, eps, weight_decay,
              decoupled, amsgrad, maximize, step_size, bias_correction2_sqrt)


@njit(cache=True, nogil=True, error_model="numpy")
def _nadam_loop(param, grad, exp_avg, exp_avg_sq, lr, beta1, beta2, eps, weight_decay, decoupled, maximize,
                bias_correction2, grad_step, avg_step):
    for i in range(param.size):
        p, g = _decay(param[i], grad[i], lr, weight_decay, decoupled, maximize)
        exp_avg[i] = _lerp(exp_avg[i], g, like(1 - beta1, p))
        exp_avg_sq[i] = fma(like(1 - beta2, p) * g, g, exp_avg_sq[i] * like(beta2, p))
        denom = np.sqrt(exp_avg_sq[i] / like(bias_correction2, p)) + like(eps, p)
        p = p + (like(grad_step, p) * g) / denom
        param[i] = p + (like(avg_step, p) * exp_avg[i]) / denom


def nadam(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray, lr: float, beta1: float,
          beta2: float, eps: float, weight_decay: float, decoupled: bool, maximize: bool, bias_correction2: float,
          grad_step: float, avg_step: float) -> None:
    """One NAdam step, updating ``param``, ``exp_avg`` (m) and ``exp_avg_sq`` (v):

    g = ±grad, plus weight_decay * p unless decoupled (then p *= 1 - lr * weight_decay);
    m = m + (1 - beta1) * (g - m);  v = beta2 * v + (1 - beta2) * g²;  d = √(v / (1 - beta2^t)) + eps;
    p += grad_step * g / d;  p += avg_step * m / d, where grad_step = -lr * (1 - μ_t) / (1 - Π_{i≤t} μ_i)
    and avg_step = -lr * μ_{t+1} / (1 - Π_{i≤t+1} μ_i).
    """
    _in_place(_nadam_loop, param, grad, (exp_avg, exp_avg_sq), lr, beta1, beta2, eps, weight_decay, decoupled,
              maximize, bias_correction2, grad_step, avg_step)


@njit(cache=True, nogil=True, error_model="numpy")
def _adamax_loop(param, grad, exp_avg, exp_inf, lr, beta1, beta2, eps, weight_decay, maximize, step_size):
    for i in range(param.size):
        p, g = _decay(param[i], grad[i], lr, weight_decay, False, maximize)
        exp_avg[i] = _lerp(exp_avg[i], g, like(1 - beta1, p))
        exp_inf[i] = np.maximum(exp_inf[i] * like(beta2, p), abs(g) + like(eps, p))
        param[i] = p + (like(-step_size, p) * exp_avg[i]) / exp_inf[i]


def adamax(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_inf: np.ndarray, lr: float, beta1: float,
           beta2: float, eps: float, weight_decay: float, maximize: bool, step_size: float) -> None:
    """One Adamax step, updating ``param``, ``exp_avg`` (m) and ``exp_inf`` (u):

    g = ±grad + weight_decay * p;  m = m + (1 - beta1) * (g - m);  u = max(beta2 * u, |g| + eps);
    p -= step_size * m / u, where step_size = lr / (1 - beta1^t).
    """
    _in_place(_adamax_loop, param, grad, (exp_avg, exp_inf), lr, beta1, beta2, eps, weight_decay, maximize, step_size)


@njit(cache=True, nogil=True, error_model="numpy")
def _radam_loop(param, grad, exp_avg, exp_avg_sq, lr, beta1, beta2, eps, weight_decay, decoupled, maximize,
                bias_correction1, bias_correction2_sqrt, rectified, rect):
    for i in range(param.size):
        p, g = _decay(param[i], grad[i], lr, weight_decay, decoupled, maximize)
        exp_avg[i] = _lerp(exp_avg[i], g, like(1 - beta1, p))
        exp_avg_sq[i] = fma(like(1 - beta2, p) * g, g, exp_avg_sq[i] * like(beta2, p))
        update = exp_avg[i] / like(bias_correction1, p) * like(lr, p)
        if rectified:
            # PyTorch's scalar / tensor is the tensor's reciprocal times the scalar
            adaptive = like(1, p) / (np.sqrt(exp_avg_sq[i]) + like(eps, p)) * like(bias_correction2_sqrt, p)
            update = update * adaptive * like(rect, p)
        param[i] = p - update


def radam(param: np.ndarray, grad: np.ndarray, exp_avg: np.ndarray, exp_avg_sq: np.ndarray, lr: float, beta1: float,
          beta2: float, eps: float, weight_decay: float, decoupled: bool, maximize: bool, bias_correction1: float,
          bias_correction2_sqrt: float, rectified: bool, rect: float) -> None:
    """One RAdam step, updating ``param``, ``exp_avg`` (m) and ``exp_avg_sq`` (v):

    g = ±grad, plus weight_decay * p unless decoupled (then p *= 1 - lr * weight_decay);
    m = m + (1 - beta1) * (g - m);  v = beta2 * v + (1 - beta2) * g²;  m̂ = m / (1 - beta1^t);
    p -= m̂ * lr * √(1 - beta2^t) / (√v + eps) * rect when ``rectified`` (the variance is tractable, ρ_t > 5),
    else p -= m̂ * lr.
    """
    _in_place(_radam_loop, param, grad, (exp_avg, exp_avg_sq), lr, beta1, beta2, eps, weight_decay, decoupled,
              maximize, bias_correction1, bias_correction2_sqrt, rectified, rect)


@njit(cache=True, nogil=True, error_model="numpy")
def _asgd_loop(param, grad, ax, lambd, weight_decay, maximize, eta, mu):
    for i in range(param.size):
        p, g = _decay(param[i], grad[i], 0.0, weight_decay, False, maximize)
        p = p * like(1 - lambd * eta, p)
        p = fma(g, like(-eta, p), p)
        param[i] = p
        ax[i] = ax[i] + (p - ax[i]) * like(mu, p) if mu != 1 else p


def asgd(param: np.ndarray, grad: np.ndarray, ax: np.ndarray, lambd: float, weight_decay: float, maximize: bool,
         eta: float, mu: float) -> None:
    """One ASGD step with this step's rate ``eta`` and averaging weight ``mu``; updates ``param`` and ``ax``:

    g = ±grad + weight_decay * p;  p = p * (1 - lambd * eta) - eta * g;  ax = ax + mu * (p - ax) (ax = p if mu = 1).
    """
    _in_place(_asgd_loop, param, grad, (ax,), lambd, weight_decay, maximize, eta, mu)


@njit(cache=True, nogil=True, error_model="numpy")
def _rprop_loop(param, grad, prev, step_size, etaminus, etaplus, step_size_min, step_size_max, maximize):
    for i in range(param.size):
        p = param[i]
        g = -grad[i] if maximize else grad[i]
        sign = np.sign(g * prev[i])
        if sign > 0:
            sign = like(etaplus, p)
        elif sign < 0:
            sign = like(etaminus, p)
        elif sign == 0:
            sign = like(1, p)
        step_size[i] = min(max(step_size[i] * sign, like(step_size_min, p)), like(step_size_max, p))
        if sign == like(etaminus, p):
            g = like(0, p)
        param[i] = fma(-np.sign(g), step_size[i], p)
        prev[i] = g


def rprop(param: np.ndarray, grad: np.ndarray, prev: np.ndarray, step_size: np.ndarray, etaminus: float,
          etaplus: float, step_size_min: float, step_size_max: float, maximize: bool) -> None:
    """One Rprop step, updating ``param``, ``prev`` (the last gradient used) and ``step_size`` (per element):

    s = etaplus, etaminus or 1 as g * prev is positive, negative or 0;  step_size = clamp(step_size * s, min, max);
    g = 0 where s = etaminus;  p -= sign(g) * step_size;  prev = g.
    """
    _in_place(_rprop_loop, param, grad, (prev, step_size), etaminus, etaplus, step_size_min, step_size_max, maximize)
