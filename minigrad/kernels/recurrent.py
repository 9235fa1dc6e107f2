"""The pointwise part of an LSTM step, forward and backward, each one loop over the gates (``ops/recurrent.py``),
and the steps of a whole sequence around them (``lstm_sequence_forward``, ``lstm_sequence_backward``).

The gates arrive transposed, (4 hidden, batch), as the matrix products W x^T give them without a copy; rows
0..H-1 are the input gate i, then the forget gate f, the cell gate g and the output gate o (PyTorch's order). The
states are (batch, hidden) outside, (hidden, batch) inside, where a sequence keeps them from step to step. sigmoid
is PyTorch's vectorized one, 1 / (exp(0 - x) + 1) with SLEEF's exp; tanh is computed in float64 (``_tanh``), so a
float32 one is correctly rounded but for rare double roundings.
"""

import math

import numpy as np
from numba import njit

from ._scalar import like
from .exact.sleef import sleef_exp
from .linalg import matmul

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
def _lstm_forward_loop(gates_x, column, gates_h, b_ih, b_hh, c, acts, c_next, h_next, tanh_c):
    """The step on transposed arrays: gates (4H, B) (gates_x's from ``column`` on), states (H, B); each inner loop
    runs along the batch."""
    hidden, batch = c.shape
    for k in range(4 * hidden):
        bias_x, bias_h = b_ih[k], b_hh[k]
        if 2 * hidden <= k < 3 * hidden:
            for n in range(batch):
                acts[k, n] = _tanh((gates_x[k, column + n] + bias_x) + (gates_h[k, n] + bias_h))
        else:
            for n in range(batch):
                acts[k, n] = _sigmoid((gates_x[k, column + n] + bias_x) + (gates_h[k, n] + bias_h))
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
    _lstm_forward_loop(gates_x, 0, gates_h, zeros if b_ih is None else b_ih, zeros if b_hh is None else b_hh, c_t,
                       acts, c_next, h_next, tanh_c)
    return np.ascontiguousarray(h_next.T), np.ascontiguousarray(c_next.T), acts, c_t, tanh_c


@njit(cache=True, nogil=True, error_model="numpy")
def _lstm_backward_loop(grad_h, grad_c, acts, c, tanh_c, d_gates, column, d_c, d_bias):
    """The backward on transposed arrays, as ``_lstm_forward_loop`` (d_gates' columns from ``column`` on); an empty
    gradient is one that did not come. d_bias gets z's gradient added, summed over the batch."""
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
            d_gates[j, column + n] = (d_cell * g) * (one - i) * i
            d_gates[hidden + j, column + n] = (d_cell * c[j, n]) * (one - f) * f
            d_gates[2 * hidden + j, column + n] = (d_cell * i) * (one - g * g)
            d_gates[3 * hidden + j, column + n] = d_o * (one - o) * o
    for n in range(batch):  # rows summed in order, the inner loop across them (vectorized)
        for k in range(4 * hidden):
            d_bias[k] += d_gates[k, column + n]


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
                        empty if grad_c is None else np.ascontiguousarray(grad_c.T), acts, c_t, tanh_c, d_gates, 0, d_c,
                        d_bias)
    return d_gates, np.ascontiguousarray(d_c.T), d_bias


def _order(steps: int, reverse: bool) -> range:
    """The time steps in the order a direction runs them."""
    return range(steps - 1, -1, -1) if reverse else range(steps)


def lstm_sequence_forward(gates_x: np.ndarray, w_hh: np.ndarray, b_ih: np.ndarray | None, b_hh: np.ndarray | None,
                          h0: np.ndarray, c0: np.ndarray, reverse: bool) -> tuple[np.ndarray, ...]:
    """``lstm_forward``'s steps over a whole sequence (``LstmLayer``), from t = 0 (from the last with ``reverse``):
    gates_x = W_ih x_t^T for every step t (4H, T, B), the initial states h0, c0 (B, H). Each step is one product
    W_hh h^T and the gates' loop; the states stay transposed (H, B) in between.

    Returns the outputs h_t (T, B, H), the last h and c (B, H), and for the backward, by the order the steps ran
    (the k-th at k), the activations (T, 4H, B), the cell states (T + 1, H, B: c before the k-th step at k, the last
    at T) and tanh of the new cell states (T, H, B)."""
    gate_rows, steps, batch = gates_x.shape
    hidden = gate_rows // 4
    dtype = np.result_type(gates_x.dtype, c0.dtype)
    zeros = np.zeros(gate_rows, gates_x.dtype)
    columns = gates_x.reshape(gate_rows, steps * batch)  # the loop reads step t's gates from column t B on
    acts = np.empty((steps, gate_rows, batch), gates_x.dtype)
    cells = np.empty((steps + 1, hidden, batch), dtype)
    cells[0] = c0.T
    tanh_c = np.empty((steps, hidden, batch), dtype)
    outputs = np.empty((steps, hidden, batch), dtype)  # h_t transposed, by time
    h = np.ascontiguousarray(h0.T)
    for k, t in enumerate(_order(steps, reverse)):
        _lstm_forward_loop(columns, t * batch, matmul(w_hh, h), zeros if b_ih is None else b_ih,
                           zeros if b_hh is None else b_hh, cells[k], acts[k], cells[k + 1], outputs[t], tanh_c[k])
        h = outputs[t]
    return (np.ascontiguousarray(outputs.transpose(0, 2, 1)), np.ascontiguousarray(h.T),
            np.ascontiguousarray(cells[steps].T), acts, cells, tanh_c)


def lstm_sequence_backward(grad_out: np.ndarray | None, grad_h: np.ndarray | None, grad_c: np.ndarray | None,
                           acts: np.ndarray, cells: np.ndarray, tanh_c: np.ndarray, w_hh: np.ndarray, reverse: bool,
                           to_h0: bool) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]:
    """Backpropagation through ``lstm_sequence_forward``'s steps, last run first, from the gradients of the outputs
    (T, B, H) and of the last h and c (B, H) (None: none reached them), given what it returned for the backward.
    At each step, h's gradient is its output's plus dz_{next} W_hh (one product), then ``lstm_backward``'s loop.

    Returns dz (4H, T, B: the pre-activations' gradients, by time), the gradients of h0 (where ``to_h0``, else
    None) and c0 (B, H), and dz summed over steps and batch (the biases')."""
    steps, gate_rows, batch = acts.shape
    empty = np.empty((0, 0), acts.dtype)
    outs = None if grad_out is None else np.ascontiguousarray(grad_out.transpose(0, 2, 1))  # (T, H, B)
    d_h = None if grad_h is None else np.ascontiguousarray(grad_h.T)
    d_c = empty if grad_c is None else np.ascontiguousarray(grad_c.T)
    d_z = np.empty((gate_rows, steps * batch), acts.dtype)
    d_bias = np.zeros(gate_rows, acts.dtype)
    w_hh_t = w_hh.T
    order = _order(steps, reverse)
    for k in range(steps - 1, -1, -1):
        t = order[k]
        if outs is not None:
            d_h = outs[t] if d_h is None else d_h + outs[t]
        d_prev = np.empty_like(cells[k])
        _lstm_backward_loop(empty if d_h is None else d_h, d_c, acts[k], cells[k], tanh_c[k], d_z, t * batch, d_prev,
                            d_bias)
        d_c = d_prev
        if k or to_h0:
            d_h = matmul(w_hh_t, d_z[:, t * batch:(t + 1) * batch])
    d_h0 = np.ascontiguousarray(d_h.T) if to_h0 else None
    return d_z.reshape(gate_rows, steps, batch), d_h0, np.ascontiguousarray(d_c.T), d_bias
