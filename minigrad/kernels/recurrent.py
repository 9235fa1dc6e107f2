"""The pointwise part of an LSTM step, forward and backward, each one loop over the gates (``ops/recurrent.py``).

The gates arrive transposed, (4 hidden, batch), as the matrix products W x^T give them without a copy; rows
0..H-1 are the input gate i, then the forget gate f, the cell gate g and the output gate o (PyTorch's order). The
states are (batch, hidden). sigmoid is PyTorch's vectorized one, 1 / (exp(0 - x) + 1) with SLEEF's exp; tanh is
computed in float64 (``_tanh``), so a float32 one is correctly rounded but for rare double roundings.
"""

import math

import numpy as np
from numba import njit

from ._scalar import like
from .exact.sleef import sleef_exp

_TANH_SMALL = 0.01  # below it, tanh's Taylor series; above, (e - 1) / (e + 1) loses at most eps / (2 |x|)
_TANH_ONE = 20.0  # from here on tanh is 1 in float64 (1 - tanh(20) = 8e-18)


@njit(cache=True, inline="always", error_model="numpy")
def _sigmoid(v):
    return like(1, v) / (sleef_exp(like(0, v) - v) + like(1, v))


@njit(cache=True, inline="always", error_model="numpy")
def _tanh(v):
    """tanh(v) in float64, rounded to v's type: x + x^3 P(x^2) (Taylor, to x^9) for |x| < 0.01, else
    (e - 1) / (e + 1) with e = exp(2 |x|), both with x's sign. Branch-free, so the loops vectorize."""
    x = np.float64(v)
    a = abs(x)
    a = _TANH_ONE if a > _TANH_ONE else a  # inf too; NaN stays NaN
    e = sleef_exp(2.0 * a)
    a2 = a * a
    series = a + a * a2 * (-1.0 / 3.0 + a2 * (2.0 / 15.0 + a2 * (-17.0 / 315.0 + a2 * (62.0 / 2835.0))))
    t = series if a < _TANH_SMALL else (e - 1.0) / (e + 1.0)
    return like(math.copysign(t, x), v)


@njit(cache=True, nogil=True, error_model="numpy")
def _lstm_forward_loop(gates_x, gates_h, b_ih, b_hh, c, acts, c_next, h_next, tanh_c):
    """The step on transposed arrays: gates (4H, B), states (H, B); each inner loop runs along the batch."""
    hidden, batch = c.shape
    for k in range(4 * hidden):
        bias_x, bias_h = b_ih[k], b_hh[k]
        if 2 * hidden <= k < 3 * hidden:
            for n in range(batch):
                acts[k, n] = _tanh((gates_x[k, n] + bias_x) + (gates_h[k, n] + bias_h))
        else:
            for n in range(batch):
                acts[k, n] = _sigmoid((gates_x[k, n] + bias_x) + (gates_h[k, n] + bias_h))
    for j in range(hidden):
        for n in range(batch):
            c2 = acts[hidden + j, n] * c[j, n] + acts[j, n] * acts[2 * hidden + j, n]
            t = _tanh(c2)
            c_next[j, n] = c2
            tanh_c[j, n] = t
            h_next[j, n] = acts[3 * hidden + j, n] * t


def lstm_forward(gates_x: np.ndarray, gates_h: np.ndarray, b_ih: np.ndarray | None, b_hh: np.ndarray | None,
                 c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """An LSTM step from its gates' products (4H, B) and the cell state c (B, H), as PyTorch's ``lstm_cell``:
    z = (gates_x + b_ih) + (gates_h + b_hh) (no biases: zeros); i, f, o = sigmoid, g = tanh of z's four row
    blocks; c' = f c + i g; h' = o tanh(c'). Returns h' and c' (B, H), and for the backward the activations
    (4H, B), c and tanh(c'), transposed (H, B)."""
    batch, hidden = c.shape
    dtype = np.result_type(gates_x.dtype, c.dtype)
    zeros = np.zeros(4 * hidden, gates_x.dtype)
    acts = np.empty((4 * hidden, batch), gates_x.dtype)
    c_t = np.ascontiguousarray(c.T)
    c_next, h_next, tanh_c = (np.empty((hidden, batch), dtype) for _ in range(3))
    _lstm_forward_loop(gates_x, gates_h, zeros if b_ih is None else b_ih, zeros if b_hh is None else b_hh, c_t, acts,
                       c_next, h_next, tanh_c)
    return np.ascontiguousarray(h_next.T), np.ascontiguousarray(c_next.T), acts, c_t, tanh_c


@njit(cache=True, nogil=True, error_model="numpy")
def _lstm_backward_loop(grad_h, grad_c, acts, c, tanh_c, d_gates, d_c, d_bias):
    """The backward on transposed arrays, as ``_lstm_forward_loop``; an empty gradient is one that did not come."""
    hidden, batch = c.shape
    for j in range(hidden):
        for n in range(batch):
            i, f, g, o = acts[j, n], acts[hidden + j, n], acts[2 * hidden + j, n], acts[3 * hidden + j, n]
            one = like(1, i)
            d_cell = grad_c[j, n] if grad_c.size else like(0, i)
            d_o = like(0, i)
            if grad_h.size:  # h' = o tanh(c'): to o, and through tanh to c' (added to c''s own gradient)
                t = tanh_c[j, n]
                d_o = grad_h[j, n] * t
                through = (grad_h[j, n] * o) * (one - t * t)
                d_cell = d_cell + through if grad_c.size else through
            d_c[j, n] = d_cell * f  # c' = f c + i g
            d_gates[j, n] = (d_cell * g) * (one - i) * i
            d_gates[hidden + j, n] = (d_cell * c[j, n]) * (one - f) * f
            d_gates[2 * hidden + j, n] = (d_cell * i) * (one - g * g)
            d_gates[3 * hidden + j, n] = d_o * (one - o) * o
    for n in range(batch):  # rows summed in order, the inner loop across them (vectorized)
        for k in range(4 * hidden):
            d_bias[k] += d_gates[k, n]


def lstm_backward(grad_h: np.ndarray | None, grad_c: np.ndarray | None, acts: np.ndarray, c_t: np.ndarray,
                  tanh_c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The gradients of ``lstm_forward``'s pre-activations z (4H, B, transposed as the gates), of c (B, H) and of
    the biases (z's rows summed), from those of h' and c' (B, H; None: no gradient reached it, PyTorch's undefined
    one), given what ``lstm_forward`` returned for the backward.

    dc' = grad_c + grad_h o (1 - tanh(c')^2); dz_i = dc' g (1 - i) i, dz_f = dc' c (1 - f) f,
    dz_g = dc' i (1 - g^2), dz_o = grad_h tanh(c') (1 - o) o; dc = dc' f."""
    hidden, batch = c_t.shape
    empty = np.empty((0, 0), acts.dtype)
    d_gates = np.empty((4 * hidden, batch), acts.dtype)
    d_c = np.empty((hidden, batch), c_t.dtype)
    d_bias = np.zeros(4 * hidden, acts.dtype)
    _lstm_backward_loop(empty if grad_h is None else np.ascontiguousarray(grad_h.T),
                        empty if grad_c is None else np.ascontiguousarray(grad_c.T), acts, c_t, tanh_c, d_gates, d_c,
                        d_bias)
    return d_gates, np.ascontiguousarray(d_c.T), d_bias
