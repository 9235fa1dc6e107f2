"""Optimizer updates: one fused pass over a parameter per step, in PyTorch's arithmetic.

PyTorch's single-tensor SGD runs one kernel per line of its update; each line rounds once (its
``add(x, alpha=a)`` is a fused multiply-add), so doing the same lines per element in one loop gives
the same bits. Hyperparameters arrive as Python floats and are rounded to the parameter's dtype.
"""

import numpy as np
from numba import njit

from ._scalar import fma, like
from .layout import copy, flat, write


@njit(cache=True)
def _sgd_loop(param, grad, buf, lr, weight_decay, momentum, dampening, nesterov, maximize, first_step):
    for i in range(param.size):
        p = param[i]
        g = -grad[i] if maximize else grad[i]
        if weight_decay != 0:
            g = fma(p, like(weight_decay, p), g)
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
    contiguous = param.flags.c_contiguous
    target = param.reshape(-1) if contiguous else copy(param).reshape(-1)
    _sgd_loop(target, flat(grad), buf.reshape(-1), lr, weight_decay, momentum, dampening, nesterov, maximize,
              first_step)
    if not contiguous:
        write(param, target.reshape(param.shape))
