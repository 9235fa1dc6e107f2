"""Normalization's statistics, affine map and gradient: batch, layer and group norm as loops over (A, B, S) arrays.

Each norm views its input as x (A, B, S) with one group of values per b, all of x[:, b, :] (n = A S values):
batch norm is (N, C, spatial), layer norm (1, rows, normalized size), group norm (1, N G, C/G spatial).
The statistics are PyTorch's CPU batch-norm ones (``batch_norm_kernel.cpp``), bit for bit on one thread:

- spatial size S > 1 (its contiguous kernel): the sum in float64 in memory order, the mean rounded to x's dtype,
  then the sum of (x - mean)² in float64, each square in x's dtype;
- S = 1, an (N, C) input (its channels-last kernel): both sums row after row in x's dtype, the squares fused
  (fma(d, d, sum), as the compiler fuses PyTorch's vector loop).

The sum of squares is stored in x's dtype, as PyTorch's ``var_sum`` is.
"""

import numpy as np
from numba import njit

from ._scalar import fma, like


@njit(cache=True)
def _moments(x, mean, var_sum, zero, fused):
    count = like(x.shape[0] * x.shape[2], zero)
    for b in range(x.shape[1]):
        total = zero
        for a in range(x.shape[0]):
            for s in range(x.shape[2]):
                total += x[a, b, s]
        mean[b] = total / count
        squares = zero
        for a in range(x.shape[0]):
            for s in range(x.shape[2]):
                d = x[a, b, s] - mean[b]
                squares = fma(d, d, squares) if fused else squares + d * d
        var_sum[b] = squares


def moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean (B,), sum of squared deviations (B,)) of each group x[:, b, :], both in x's dtype."""
    x = np.ascontiguousarray(x)
    mean = np.empty(x.shape[1], x.dtype)
    var_sum = np.empty(x.shape[1], x.dtype)
    if x.shape[0] * x.shape[2] == 0:  # groups of no values
        return np.full(x.shape[1], np.nan, x.dtype), np.zeros(x.shape[1], x.dtype)
    rows = x.shape[2] == 1
    _moments(x, mean, var_sum, x.dtype.type(0) if rows else 0.0, rows)
    return mean, var_sum


def inverse_std(var: np.ndarray, eps: float) -> np.ndarray:
    """1 / sqrt(var + eps) in float64, rounded to var's dtype; 0 where var and eps are both 0 (PyTorch's InvStd)."""
    wide = var.astype(np.float64)
    with np.errstate(divide="ignore"):
        invstd = np.where((wide == 0) & (eps == 0), 0.0, 1.0 / np.sqrt(wide + eps))
    return invstd.astype(var.dtype)


@njit(cache=True)
def _scale_shift(x, alpha, beta, out):
    for a in range(x.shape[0]):
        for b in range(x.shape[1]):
            for s in range(x.shape[2]):
                out[a, b, s] = fma(x[a, b, s], alpha[a, b], beta[a, b])


def scale_shift(x: np.ndarray, alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """y = x alpha_ab + beta_ab for x (A, B, S), alpha and beta (A, B) (or broadcast to it), fused as PyTorch's
    compiled loop fuses it."""
    out = np.empty(x.shape, x.dtype)
    _scale_shift(x, np.broadcast_to(alpha, x.shape[:2]), np.broadcast_to(beta, x.shape[:2]), out)
    return out


@njit(cache=True)
def _fused(a, b, c, out):
    for i in range(out.size):
        out[i] = fma(a[i], b[i], c[i])


def fused_multiply_add(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """a b + c elementwise (broadcast), rounded once: the per-channel terms as PyTorch's compiled loops fuse them."""
    shape = np.broadcast_shapes(a.shape, b.shape, c.shape)
    a, b, c = (np.ascontiguousarray(np.broadcast_to(v, shape)).reshape(-1) for v in (a, b, c))
    out = np.empty(a.shape, a.dtype)
    _fused(a, b, c, out)
    return out


@njit(cache=True)
def _normalize(x, mean, invstd, out):
    for a in range(x.shape[0]):
        for b in range(x.shape[1]):
            for s in range(x.shape[2]):
                out[a, b, s] = (x[a, b, s] - mean[b]) * invstd[b]


def normalize(x: np.ndarray, mean: np.ndarray, invstd: np.ndarray) -> np.ndarray:
    """x̂ = (x - mean_b) invstd_b for x (A, B, S)."""
    out = np.empty(x.shape, x.dtype)
    _normalize(x, mean, invstd, out)
    return out


@njit(cache=True)
def _normalized_grad(g, x, mean, invstd, out):
    count = g.shape[0] * g.shape[2]
    for b in range(g.shape[1]):
        total = 0.0
        dot = 0.0
        for a in range(g.shape[0]):
            for s in range(g.shape[2]):
                total += g[a, b, s]
                dot += g[a, b, s] * (x[a, b, s] - mean[b])
        grad_mean = total / count
        k = dot * invstd[b] * invstd[b] / count
        for a in range(g.shape[0]):
            for s in range(g.shape[2]):
                out[a, b, s] = (g[a, b, s] - grad_mean - (x[a, b, s] - mean[b]) * k) * invstd[b]


def normalized_grad(g: np.ndarray, x: np.ndarray, mean: np.ndarray, invstd: np.ndarray) -> np.ndarray:
    """dL/dx of x̂ = (x - mean) invstd when mean and invstd are x's own group statistics, given g = dL/dx̂:
    invstd (g - mean(g) - x̂ mean(g x̂)) per group, the two means accumulated in float64."""
    out = np.empty(x.shape, x.dtype)
    _normalized_grad(np.ascontiguousarray(g), x, mean, invstd, out)
    return out


@njit(cache=True)
def _running_update(running_mean, running_var, mean, var_sum, count, momentum):
    keep = like(1, momentum) - momentum
    for c in range(mean.size):
        running_mean[c] = momentum * mean[c] + keep * running_mean[c]
        unbiased = var_sum[c] / like(count - 1, var_sum[c])
        running_var[c] = np.float64(momentum) * np.float64(unbiased) + keep * running_var[c]


def running_update(running_mean: np.ndarray, running_var: np.ndarray, mean: np.ndarray, var_sum: np.ndarray,
                   count: int, momentum: float) -> tuple[np.ndarray, np.ndarray]:
    """The running statistics moved toward the batch's: momentum batch + (1 - momentum) running, with the unbiased
    variance var_sum / (count - 1); PyTorch's arithmetic: momentum and 1 - momentum in the statistics' dtype, the
    variance's update in float64."""
    new_mean, new_var = running_mean.copy(), running_var.copy()
    _running_update(new_mean, new_var, mean.astype(new_mean.dtype), var_sum.astype(new_var.dtype), count,
                    new_mean.dtype.type(momentum))
    return new_mean, new_var
