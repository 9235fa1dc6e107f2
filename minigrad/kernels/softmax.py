"""Kernels for classification: softmax and log_softmax (and their backward), nll_loss, one_hot, softplus.

softmax along an axis: m = the max, e_i = exp(x_i - m), s = the sum of the e_i; softmax_i = e_i / s and
log_softmax_i = (x_i - m) - log(s). Subtracting the max changes nothing in exact arithmetic and keeps exp from
overflowing. Exact mode runs PyTorch's kernels (``exact.softmax``: SLEEF's exp and log, its vector order).
"""

import math

import numpy as np
from numba import njit

from . import mode
from ._scalar import like
from .exact import softmax as exact
from .layout import flat


def _around(shape: tuple[int, ...], axis: int) -> tuple[int, int, int]:
    """(outer, dim, inner): an array of ``shape`` seen as (outer, dim, inner) with ``axis`` in the middle."""
    shape = shape or (1,)
    return math.prod(shape[:axis]), shape[axis], math.prod(shape[axis + 1:])


@njit(cache=True, error_model="numpy")
def _softmax_loop(x, out, outer, dim, inner, log):
    """softmax (or log_softmax) of x, seen as (outer, dim, inner), along dim; as the module says."""
    for o in range(outer):
        for j in range(inner):
            start = o * dim * inner + j
            m = x[start]
            for i in range(1, dim):
                v = x[start + i * inner]
                m = v if (v > m or v != v) else m
            total = like(0, m)
            for i in range(dim):
                total += like(math.exp(x[start + i * inner] - m), m)
            for i in range(dim):
                shifted = x[start + i * inner] - m
                if log:
                    out[start + i * inner] = shifted - like(math.log(total), m)
                else:
                    out[start + i * inner] = like(math.exp(shifted), m) / total


@njit(cache=True, error_model="numpy")
def _softmax_backward_loop(grad, y, out, outer, dim, inner, log):
    """softmax: dL/dx_i = y_i (g_i - sum_k g_k y_k); log_softmax: dL/dx_i = g_i - exp(y_i) sum_k g_k."""
    for o in range(outer):
        for j in range(inner):
            start = o * dim * inner + j
            total = like(0, y[start])
            for i in range(dim):
                p = start + i * inner
                total += grad[p] if log else grad[p] * y[p]
            for i in range(dim):
                p = start + i * inner
                out[p] = grad[p] - like(math.exp(y[p]), y[p]) * total if log else y[p] * (grad[p] - total)


def softmax(x: np.ndarray, axis: int, log: bool) -> np.ndarray:
    """softmax(x) = exp(x - max) / sum(exp(x - max)) along ``axis`` (a non-negative axis; 0 for a 0-d x),
    or with ``log`` log_softmax(x) = (x - max) - log(sum(exp(x - max))): a new C-contiguous array.
    """
    if mode.exact:
        return exact.softmax(x, axis, log)
    out = np.empty(x.shape, x.dtype)
    if x.size:
        _softmax_loop(flat(x), out.reshape(-1), *_around(x.shape, axis), log)
    return out


def softmax_backward(grad: np.ndarray, y: np.ndarray, axis: int, log: bool) -> np.ndarray:
    """The gradient of softmax (or, with ``log``, log_softmax) along ``axis``, from its output ``y``.

    softmax: dL/dx = y * (g - sum(g * y)); log_softmax: dL/dx = g - exp(y) * sum(g), sums along ``axis``.
    """
    if mode.exact:
        return exact.softmax_backward(grad, y, axis, log)
    out = np.empty(y.shape, y.dtype)
    if y.size:
        _softmax_backward_loop(flat(grad), flat(y), out.reshape(-1), *_around(y.shape, axis), log)
    return out


# ----- nll_loss ------------------------------------------------------------------------------------------------------
@njit(cache=True)
def _first_bad_target(target, classes, ignore_index):
    """The position of the first target outside [0, classes) that is not ``ignore_index``, or -1."""
    for i in range(target.size):
        t = target[i]
        if t != ignore_index and (t < 0 or t >= classes):
            return i
    return -1


@njit(cache=True)
def _nll_each(x, target, weight, ignore_index, classes, spatial, out):
    """out[p] = -x[n, t, s] * weight[t] at each position p = (n, s) with target t (0 where t is ignored)."""
    for p in range(target.size):
        t = target[p]
        if t == ignore_index:
            out[p] = 0
            continue
        n, s = divmod(p, spatial)
        value = x[(n * classes + t) * spatial + s]
        out[p] = -value * weight[t] if weight.size else -value


@njit(cache=True)
def _nll_sum(x, target, weight, ignore_index, classes, spatial, sums):
    """sums[0] = the sum, in order, of -x[n, t, s] * weight[t] over the kept positions; sums[1] = the sum of their
    weights (their count without ``weight``)."""
    sums[0] = 0
    sums[1] = 0
    for p in range(target.size):
        t = target[p]
        if t == ignore_index:
            continue
        n, s = divmod(p, spatial)
        w = weight[t] if weight.size else like(1, sums[0])
        sums[0] -= x[(n * classes + t) * spatial + s] * w
        sums[1] += w


@njit(cache=True, error_model="numpy")
def _nll_backward_loop(grad, step, target, weight, ignore_index, classes, spatial, total_weight, mean, out):
    """out[n, t, s] = weight[t] * -g at each kept position p, g = grad[p * step] (``step`` 0: one gradient for
    all), or g = grad / total_weight for a mean."""
    for p in range(target.size):
        t = target[p]
        if t == ignore_index:
            continue
        n, s = divmod(p, spatial)
        g = -(grad[p * step] / total_weight) if mean else -grad[p * step]
        out[(n * classes + t) * spatial + s] = weight[t] * g if weight.size else g


def _weights(weight: np.ndarray | None, dtype: np.dtype) -> np.ndarray:
    """``weight`` as a flat buffer; an empty one stands for no weights (every class weighs 1)."""
    return np.empty(0, dtype) if weight is None else flat(weight)


def nll_loss(x: np.ndarray, target: np.ndarray, weight: np.ndarray | None, ignore_index: int,
             reduce: bool) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's nll_loss of log-probabilities ``x`` (N, C, S) at the int64 class indices ``target`` (N, S).

    Each kept position (target != ``ignore_index``) gives -x[n, t, s] * weight[t] (weight 1 if None).
    Returns (the losses, shaped (N, S), with 0 where ignored; 0) or, with ``reduce``, (their sum, the sum
    of their weights), both 0-d (exact mode: added up in PyTorch's cascade). Raises PyTorch's IndexError for the
    first target outside [0, C) that is not ignored.
    """
    classes, spatial = x.shape[1], x.shape[2]
    target = flat(target)
    bad = _first_bad_target(target, classes, ignore_index)
    if bad >= 0:
        raise IndexError(f"Target {target[bad]} is out of bounds.")
    w = _weights(weight, x.dtype)
    if not reduce:
        out = np.empty(target.size, x.dtype)
        _nll_each(flat(x), target, w, ignore_index, classes, spatial, out)
        return out.reshape(x.shape[0], spatial), np.zeros((), x.dtype)
    if mode.exact:
        return exact.nll_sums(x, target, w, ignore_index)
    sums = np.empty(2, x.dtype)
    _nll_sum(flat(x), target, w, ignore_index, classes, spatial, sums)
    return sums[:1].reshape(()), sums[1:].reshape(())  # (0-d arrays: sums[0] would be a numpy scalar)


def nll_loss_backward(grad: np.ndarray, target: np.ndarray, weight: np.ndarray | None, ignore_index: int,
                      shape: tuple[int, int, int], total_weight: np.ndarray | None = None) -> np.ndarray:
    """The gradient of ``nll_loss`` for an input of ``shape`` (N, C, S): zero but at each kept position's
    target, -weight[t] * grad[n, s] for per-position losses (``grad`` (N, S)), or -weight[t] * grad for a
    reduced loss (``grad`` 0-d), with grad / ``total_weight`` when that is given (a mean).
    """
    out = np.zeros(shape, grad.dtype)
    mean = total_weight is not None
    scale = grad.dtype.type(total_weight if mean else 1)
    _nll_backward_loop(flat(grad), 1 if grad.ndim else 0, flat(target), _weights(weight, grad.dtype), ignore_index,
                       shape[1], shape[2], scale, mean, out.reshape(-1))
    return out


# ----- one_hot, softplus ---------------------------------------------------------------------------------------------
@njit(cache=True)
def _one_hot_loop(index, classes, out):
    for i in range(index.size):
        out[i * classes + index[i]] = 1


def one_hot(index: np.ndarray, classes: int) -> np.ndarray:
    """An int64 array shaped index.shape + (classes,): 1 at [..., index[...]], 0 elsewhere (indices in range)."""
    out = np.zeros((*index.shape, classes), np.int64)
    _one_hot_loop(flat(index), classes, out.reshape(-1))
    return out


@njit(cache=True, error_model="numpy")
def _softplus_loop(x, beta, threshold, out):
    for i in range(out.size):
        z = x[i] * beta
        out[i] = x[i] if z > threshold else like(math.log1p(like(math.exp(z), z)), z) / beta


@njit(cache=True, error_model="numpy")
def _softplus_grad_loop(x, grad, beta, threshold, out):
    one = like(1, beta)
    for i in range(out.size):
        z = x[i] * beta
        e = like(math.exp(z), z)
        out[i] = grad[i] if z > threshold else grad[i] * e / (e + one)


def softplus(x: np.ndarray, beta: float, threshold: float) -> np.ndarray:
    """log(1 + exp(beta x)) / beta, or x itself where beta x > threshold; beta and threshold in x's dtype."""
    out = np.empty(x.shape, x.dtype)
    _softplus_loop(flat(x), x.dtype.type(beta), x.dtype.type(threshold), out.reshape(-1))
    return out


def softplus_grad(x: np.ndarray, grad: np.ndarray, beta: float, threshold: float) -> np.ndarray:
    """grad * e / (e + 1) with e = exp(beta x) (the sigmoid of beta x), or grad where beta x > threshold."""
    out = np.empty(x.shape, x.dtype)
    _softplus_grad_loop(flat(x), flat(np.broadcast_to(grad, x.shape)), x.dtype.type(beta), x.dtype.type(threshold),
                        out.reshape(-1))
    return out
