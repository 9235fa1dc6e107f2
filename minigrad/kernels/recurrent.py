"""The pointwise part of an LSTM step, forward and backward, each one loop over the gates (``ops/recurrent.py``),
and the steps of a whole sequence around them (``lstm_sequence_forward``, ``lstm_sequence_backward``).

The gates arrive transposed, (4 hidden, batch), as the matrix products W x^T give them without a copy; rows
0..H-1 are the input gate i, then the forget gate f, the cell gate g and the output gate o (PyTorch's order). The
states are (batch, hidden) outside, (hidden, batch) inside, where a sequence keeps them from step to step. sigmoid
is PyTorch's vectorized one, 1 / (exp(0 - x) + 1) with SLEEF's exp; tanh is computed in float64 and rounded once
(``exact.tanh``).

A sequence's steps are its per-step products h W_hh^T and these loops. Where numpy's bundled OpenBLAS computes
those products (exact kernels, float32 or float64, more than 3 hidden units), a numba kernel runs every step, calling
the gemm numpy's matmul calls (``fast.blas``: the same bits) with the GIL released, on the batch cut in two pieces
(``fast.recurrent``): a thread each where threads share the work, else each step runs both pieces' products, then
one loop. Elsewhere the steps run from Python, one ``matmul`` and one loop each.
"""

import functools
from typing import Any

import numpy as np
from numba import njit

from . import memory, mode
from ._scalar import like
from .exact import products
from .exact.sleef import sleef_exp
from .exact.tanh import rounded_tanh
from .fast import blas, threads
from .fast import recurrent as fast_recurrent
from .fast.blas import NO_TRANS, ROW_MAJOR, TRANS
from .linalg import matmul


@njit(cache=True, inline="always", error_model="numpy")
def _sigmoid(v):
    return like(1, v) / (sleef_exp(like(0, v) - v) + like(1, v))


@njit(cache=True, nogil=True, error_model="numpy")
def _lstm_forward_loop(gates_x, column, gates_h, b_ih, b_hh, c, acts, c_next, h_next, tanh_c, start, stop):
    """The step on transposed arrays, on batch columns start:stop: gates (4H, B) (gates_x's from ``column`` on,
    gates_h's those columns alone, from 0), states (H, B). Each inner loop runs along a row's columns, the rows
    taken as 1-d views (LLVM vectorizes those loops; indexing the 2-d arrays in them took 1.5 times as long)."""
    hidden = c.shape[0]
    width = stop - start
    for k in range(4 * hidden):
        bias_x, bias_h = b_ih[k], b_hh[k]
        x, h, a = gates_x[k, column + start:column + stop], gates_h[k], acts[k, start:stop]
        if 2 * hidden <= k < 3 * hidden:
            for n in range(width):
                a[n] = rounded_tanh((x[n] + bias_x) + (h[n] + bias_h))
        else:
            for n in range(width):
                a[n] = _sigmoid((x[n] + bias_x) + (h[n] + bias_h))
    for j in range(hidden):
        i, f, g, o = (acts[j, start:stop], acts[hidden + j, start:stop], acts[2 * hidden + j, start:stop],
                      acts[3 * hidden + j, start:stop])
        cell, cell_next = c[j, start:stop], c_next[j, start:stop]
        h_row, tanh_row = h_next[j, start:stop], tanh_c[j, start:stop]
        for n in range(width):
            c2 = f[n] * cell[n] + i[n] * g[n]
            t = rounded_tanh(c2)
            cell_next[n] = c2
            tanh_row[n] = t
            h_row[n] = o[n] * t


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
                       acts, c_next, h_next, tanh_c, 0, batch)
    return np.ascontiguousarray(h_next.T), np.ascontiguousarray(c_next.T), acts, c_t, tanh_c


@njit(cache=True, nogil=True, error_model="numpy")
def _lstm_backward_loop(grad_h, grad_c, acts, c, tanh_c, d_gates, column, d_c, start, stop):
    """The backward on transposed arrays, as ``_lstm_forward_loop`` (batch columns start:stop; grad_h, grad_c and
    d_c hold those columns alone, from 0; d_gates' columns from ``column`` on); an empty gradient is one that did
    not come."""
    hidden = c.shape[0]
    width = stop - start
    has_h, has_c = grad_h.size != 0, grad_c.size != 0
    for j in range(hidden):
        i, f, g, o = (acts[j, start:stop], acts[hidden + j, start:stop], acts[2 * hidden + j, start:stop],
                      acts[3 * hidden + j, start:stop])
        cell, tanh_row, d_prev = c[j, start:stop], tanh_c[j, start:stop], d_c[j]
        d_i, d_f = d_gates[j, column + start:column + stop], d_gates[hidden + j, column + start:column + stop]
        d_g, d_o = (d_gates[2 * hidden + j, column + start:column + stop],
                    d_gates[3 * hidden + j, column + start:column + stop])
        for n in range(width):
            one = like(1, i[n])
            d_cell = grad_c[j, n] if has_c else like(0, i[n])
            d_out = like(0, i[n])
            if has_h:  # h' = o tanh(c'): to o, and through tanh to c' (added to c''s own gradient)
                t = tanh_row[n]
                d_out = grad_h[j, n] * t
                through = (grad_h[j, n] * o[n]) * (one - t * t)
                d_cell = d_cell + through if has_c else through
            d_prev[n] = d_cell * f[n]  # c' = f c + i g
            d_i[n] = (d_cell * g[n]) * (one - i[n]) * i[n]
            d_f[n] = (d_cell * cell[n]) * (one - f[n]) * f[n]
            d_g[n] = (d_cell * i[n]) * (one - g[n] * g[n])
            d_o[n] = d_out * (one - o[n]) * o[n]


@njit(cache=True, nogil=True)
def _bias_loop(d_gates, steps, batch, first, last, d_bias):
    """d_bias += the sums of d_gates' rows first:last (a multiple of 4 apart) over the columns of each step in
    ``steps`` in turn, each step's ``batch`` columns in order. Four rows at a time, a running sum each, each row
    read along (3 times as fast as adding whole columns, which reads across the rows)."""
    for k in range(first, last, 4):
        row0, row1, row2, row3 = d_gates[k], d_gates[k + 1], d_gates[k + 2], d_gates[k + 3]
        sum0, sum1, sum2, sum3 = d_bias[k], d_bias[k + 1], d_bias[k + 2], d_bias[k + 3]
        for t in steps:
            for n in range(t * batch, (t + 1) * batch):
                sum0 += row0[n]
                sum1 += row1[n]
                sum2 += row2[n]
                sum3 += row3[n]
        d_bias[k], d_bias[k + 1], d_bias[k + 2], d_bias[k + 3] = sum0, sum1, sum2, sum3


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
                        0, batch)
    _bias_loop(d_gates, np.zeros(1, np.int64), batch, 0, 4 * hidden, d_bias)
    return d_gates, np.ascontiguousarray(d_c.T), d_bias


def _order(steps: int, reverse: bool) -> range:
    """The time steps in the order a direction runs them."""
    return range(steps - 1, -1, -1) if reverse else range(steps)


def _gemm(w_hh: np.ndarray, batch: int, *arrays: np.ndarray) -> Any:
    """``blas.gemm`` for a sequence's per-step products where it computes what ``matmul`` would (exact kernels, a
    C-contiguous w_hh of the arrays' dtype, more than ``SEQUENTIAL_K`` hidden units, at least 2 columns: no
    products summed in order, no matrix-vector ones); else None."""
    if (not mode.exact or w_hh.shape[1] <= products.SEQUENTIAL_K or batch < 2 or not w_hh.flags.c_contiguous
            or any(a.dtype != w_hh.dtype for a in arrays)):
        return None
    return blas.gemm(w_hh.dtype)


@njit(cache=True, nogil=True, error_model="numpy")
def _forward_steps(gemm, gates_x, batch, order, w_hh, b_ih, b_hh, h0, cells, acts, outputs, tanh_c, cuts, gates_h):
    """``lstm_sequence_forward``'s steps on batch columns cuts[0]:cuts[-1]: each step, the product W_hh h^T of
    each piece (columns cuts[p]:cuts[p + 1]) through ``gemm`` as numpy calls it, into gates_h (those columns,
    from 0), then the gates' loop."""
    rows, hidden = w_hh.shape
    start, stop = cuts[0], cuts[-1]
    one, zero = like(1, w_hh[0, 0]), like(0, w_hh[0, 0])
    for k in range(order.size):
        h = h0 if k == 0 else outputs[order[k - 1]]
        for p in range(cuts.size - 1):
            gemm(ROW_MAJOR, NO_TRANS, NO_TRANS, rows, cuts[p + 1] - cuts[p], hidden, one, w_hh.ctypes, hidden,
                 h[:, cuts[p]:].ctypes, batch, zero, gates_h[:, cuts[p] - start:].ctypes, stop - start)
        _lstm_forward_loop(gates_x, order[k] * batch, gates_h, b_ih, b_hh, cells[k], acts[k], cells[k + 1],
                           outputs[order[k]], tanh_c[k], start, stop)


def lstm_sequence_forward(gates_x: np.ndarray, w_hh: np.ndarray, b_ih: np.ndarray | None, b_hh: np.ndarray | None,
                          h0: np.ndarray, c0: np.ndarray, reverse: bool) -> tuple[np.ndarray, ...]:
    """``lstm_forward``'s steps over a whole sequence (``LstmLayer``), from t = 0 (from the last with ``reverse``):
    gates_x = W_ih x_t^T for every step t (4H, T, B), the initial states h0, c0 (B, H). Each step is one product
    W_hh h^T and the gates' loop (by pieces of the batch, see the module's docstring); the states stay transposed
    (H, B) in between.

    Returns the outputs h_t (T, B, H), the last h and c (B, H), and for the backward, by the order the steps ran
    (the k-th at k), the activations (T, 4H, B), the cell states (T + 1, H, B: c before the k-th step at k, the last
    at T) and tanh of the new cell states (T, H, B)."""
    gate_rows, steps, batch = gates_x.shape
    hidden = gate_rows // 4
    dtype = np.result_type(gates_x.dtype, c0.dtype)
    zeros = np.zeros(gate_rows, gates_x.dtype)
    b_ih, b_hh = zeros if b_ih is None else b_ih, zeros if b_hh is None else b_hh
    columns = gates_x.reshape(gate_rows, steps * batch)  # the loop reads step t's gates from column t B on
    acts = memory.empty((steps, gate_rows, batch), gates_x.dtype)  # the block cache: no page faults on each call
    cells = np.empty((steps + 1, hidden, batch), dtype)
    cells[0] = c0.T
    tanh_c = np.empty((steps, hidden, batch), dtype)
    outputs = np.empty((steps, hidden, batch), dtype)  # h_t transposed, by time
    h = np.ascontiguousarray(h0.T)
    order = _order(steps, reverse)
    gemm = _gemm(w_hh, batch, gates_x, b_ih, b_hh, h0, c0)
    if gemm is not None:
        sequence = np.array(order, np.int64)
        fast_recurrent.run(fast_recurrent.pieces(batch), lambda cuts: _forward_steps(
            gemm, columns, batch, sequence, w_hh, b_ih, b_hh, h, cells, acts, outputs, tanh_c, cuts,
            np.empty((gate_rows, cuts[-1] - cuts[0]), dtype)))
        h = outputs[order[-1]]
    else:
        for k, t in enumerate(order):
            _lstm_forward_loop(columns, t * batch, matmul(w_hh, h), b_ih, b_hh, cells[k], acts[k], cells[k + 1],
                               outputs[t], tanh_c[k], 0, batch)
            h = outputs[t]
    return (np.ascontiguousarray(outputs.transpose(0, 2, 1)), np.ascontiguousarray(h.T),
            np.ascontiguousarray(cells[steps].T), acts, cells, tanh_c)


@njit(cache=True, nogil=True, error_model="numpy")
def _backward_steps(gemm, outs, grad_h, grad_c, acts, cells, tanh_c, w_hh, batch, order, to_h0, d_z, d_h0, d_c0,
                    cuts):
    """``lstm_sequence_backward``'s steps on batch columns cuts[0]:cuts[-1], as ``_forward_steps``: the products
    dz W_hh of each piece through ``gemm`` as numpy calls it for W_hh^T dz (W_hh read transposed). An empty
    gradient is one that did not come; d_h0 and d_c0 get those columns."""
    rows, hidden = w_hh.shape
    start, stop = cuts[0], cuts[-1]
    width = stop - start
    one, zero = like(1, w_hh[0, 0]), like(0, w_hh[0, 0])
    nothing = np.empty((0, 0), d_c0.dtype)
    d_h, total = np.empty((hidden, width), d_h0.dtype), np.empty((hidden, width), d_h0.dtype)
    d_c, d_prev = np.empty((hidden, width), d_c0.dtype), np.empty((hidden, width), d_c0.dtype)
    has_h, has_c = grad_h.size != 0, grad_c.size != 0
    if has_h:
        d_h[:] = grad_h[:, start:stop]
    if has_c:
        d_c[:] = grad_c[:, start:stop]
    for k in range(order.size - 1, -1, -1):
        t = order[k]
        g = d_h
        if outs.size != 0:  # h's gradient: its output's, plus what came from the next step
            out = outs[t]
            for j in range(hidden):
                for n in range(width):
                    total[j, n] = d_h[j, n] + out[j, start + n] if has_h else out[j, start + n]
            g, has_h = total, True
        _lstm_backward_loop(g if has_h else nothing, d_c if has_c else nothing, acts[k], cells[k], tanh_c[k], d_z,
                            t * batch, d_prev, start, stop)
        d_c, d_prev, has_c = d_prev, d_c, True
        if k or to_h0:
            for p in range(cuts.size - 1):
                gemm(ROW_MAJOR, TRANS, NO_TRANS, hidden, cuts[p + 1] - cuts[p], rows, one, w_hh.ctypes, hidden,
                     d_z[:, t * batch + cuts[p]:].ctypes, order.size * batch, zero, d_h[:, cuts[p] - start:].ctypes,
                     width)
            has_h = True
    d_c0[:, start:stop] = d_c
    if to_h0:
        d_h0[:, start:stop] = d_h


def lstm_sequence_backward(grad_out: np.ndarray | None, grad_h: np.ndarray | None, grad_c: np.ndarray | None,
                           acts: np.ndarray, cells: np.ndarray, tanh_c: np.ndarray, w_hh: np.ndarray, reverse: bool,
                           to_h0: bool) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]:
    """Backpropagation through ``lstm_sequence_forward``'s steps, last run first, from the gradients of the outputs
    (T, B, H) and of the last h and c (B, H) (None: none reached them), given what it returned for the backward.
    At each step, h's gradient is its output's plus dz_{next} W_hh (one product), then ``lstm_backward``'s loop
    (by pieces of the batch, see the module's docstring). Then the biases' gradient: dz summed over the steps as
    they ran backwards, each step's columns in order.

    Returns dz (4H, T, B: the pre-activations' gradients, by time), the gradients of h0 (where ``to_h0``, else
    None) and c0 (B, H), and dz summed over steps and batch (the biases')."""
    steps, gate_rows, batch = acts.shape
    hidden = gate_rows // 4
    empty = np.empty((0, 0), acts.dtype)
    outs = None if grad_out is None else np.ascontiguousarray(grad_out.transpose(0, 2, 1))  # (T, H, B)
    d_h = None if grad_h is None else np.ascontiguousarray(grad_h.T)
    d_c = empty if grad_c is None else np.ascontiguousarray(grad_c.T)
    d_z = memory.empty((gate_rows, steps * batch), acts.dtype)
    order = _order(steps, reverse)
    gemm = _gemm(w_hh, batch, acts, cells, tanh_c, *(g for g in (grad_out, grad_h, grad_c) if g is not None))
    if gemm is not None:
        d_h0, d_c0 = np.empty((hidden, batch), acts.dtype), np.empty((hidden, batch), acts.dtype)
        sequence = np.array(order, np.int64)
        fast_recurrent.run(fast_recurrent.pieces(batch), lambda cuts: _backward_steps(
            gemm, np.empty((0, 0, 0), acts.dtype) if outs is None else outs, empty if d_h is None else d_h, d_c,
            acts, cells, tanh_c, w_hh, batch, sequence, to_h0, d_z, d_h0, d_c0, cuts))
        d_h, d_c = d_h0, d_c0
    else:
        w_hh_t = w_hh.T
        for k in range(steps - 1, -1, -1):
            t = order[k]
            if outs is not None:
                d_h = outs[t] if d_h is None else d_h + outs[t]
            d_prev = np.empty_like(cells[k])
            _lstm_backward_loop(empty if d_h is None else d_h, d_c, acts[k], cells[k], tanh_c[k], d_z, t * batch,
                                d_prev, 0, batch)
            d_c = d_prev
            if k or to_h0:
                d_h = matmul(w_hh_t, d_z[:, t * batch:(t + 1) * batch])
    d_bias = np.zeros(gate_rows, acts.dtype)
    backwards = np.array(order[::-1], np.int64)
    if gemm is not None and fast_recurrent.shared():  # the rows in two, each a multiple of 4, a thread each
        half = gate_rows // 8 * 4
        threads.together([functools.partial(_bias_loop, d_z, backwards, batch, first, last, d_bias)
                          for first, last in ((0, half), (half, gate_rows))])
    else:
        _bias_loop(d_z, backwards, batch, 0, gate_rows, d_bias)
    return (d_z.reshape(gate_rows, steps, batch), np.ascontiguousarray(d_h.T) if to_h0 else None,
            np.ascontiguousarray(d_c.T), d_bias)
