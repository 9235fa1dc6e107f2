"""``lstm_cell``: one LSTM step as one op, the step ``nn.LSTMCell`` runs (PyTorch's ``lstm_cell``), as do
``nn.LSTM``'s packed and projected layers; ``LstmLayer``: a whole layer and direction over a padded sequence.

Written with the ops minigrad already has, a step records about a dozen nodes (two linears, their sum, four gate
slices, three sigmoids, two tanhs, three products and a sum), each paying Python's cost per op in forward and in
backward, and an LSTM over 50 steps runs 4.75 times PyTorch's time (batch 32, hidden 128, two layers; with the
fewest composed ops, 3.7 times). As one op, a step is two matrix products and one loop over the gates forward, one
loop and four products backward (``kernels/recurrent.py``).

Over a sequence, steps as ops still leave 50 nodes a layer, 2 products a step forward and 4 backward, and the
engine adding each step's weight gradients: 1.64 times PyTorch's time. ``LstmLayer`` is PyTorch's layout of the
work (oneDNN's): the input's products for all steps as one product, then per step one product and the gates' loop;
its backward runs through time inside, one product per step, then the weights' and the input's gradients one
product each over all steps.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .linalg import _check_linear
from .registry import Op, Promotion, register


def check_cell(input: Any, states: tuple[Any, ...], w_ih: Any, w_hh: Any) -> None:  # noqa: A002  (PyTorch's name)
    """PyTorch's checks of a cell's input and states (h, or (h, c)) against its weights, in its order and words
    (arrays or tensors: only shapes are read)."""
    if input.shape[1] != w_ih.shape[1]:
        raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} expected {w_ih.shape[1]}")
    for label, h in enumerate(states):
        if input.shape[0] != h.shape[0]:
            raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{label} batch size "
                               f"{h.shape[0]}")
        if h.shape[1] != w_hh.shape[1]:
            raise RuntimeError(f"hidden{label} has inconsistent hidden_size: got {h.shape[1]}, expected "
                               f"{w_hh.shape[1]}")


def _cell_gates(x: np.ndarray, h: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """W_ih x^T and W_hh h^T (4H, B): both operands as BLAS reads them fastest, the gates transposed."""
    return K.matmul(w_ih, x.T), K.matmul(w_hh, h.T)


def _cell_saves(ctx: Context, x: np.ndarray, h: np.ndarray, c: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray,
                b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """What a step saves for its backward (the activations, c^T, tanh(c'^T)), from its inputs."""
    return K.lstm_forward(*_cell_gates(x, h, w_ih, w_hh), b_ih, b_hh, c)[2:]


@register
class LstmCell(Op):
    """One LSTM step from x (B, I) and the states h, c (B, H): z = (x W_ih^T + b_ih) + (h W_hh^T + b_hh) (biases
    optional); i, f, g, o = z's four column blocks through sigmoid, sigmoid, tanh, sigmoid; c' = f c + i g;
    h' = o tanh(c'). Returns (h', c')."""

    torch = "torch.lstm_cell"
    grad_fn = "LstmCellBackward0"
    formulas = (
        "dc'_total = grad_c' + grad_h' o (1 - tanh(c')^2)",
        "dz = [dc' g i (1 - i), dc' c f (1 - f), dc' i (1 - g^2), grad_h' tanh(c') o (1 - o)]  (blocks i, f, g, o)",
        "dx = dz @ W_ih, dh = dz @ W_hh, dc = dc' f",
        "dW_ih = dz^T @ x, dW_hh = dz^T @ h, db_ih = db_hh = dz summed over the batch",
    )
    promotion = Promotion.NONE
    differentiable_outputs = 2
    # what forward saves, made again from the inputs by a create_graph pass (the kernel's loop as tensor ops)
    recomputed: ClassVar[dict[Any, Any]] = {("acts", "c_t", "tanh_c"): _cell_saves}

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        x, h, c, *weights = inputs
        return [x, (h, c), *weights], params

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, h: np.ndarray, c: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray,
                b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        # torch.lstm_cell's checks (``nn.rnn.lstm_cell`` makes them first, with c against W_hh too); here c's
        # size is the hidden size, which an LSTM with proj_size projects h from (h' W_hr^T, after this op)
        check_cell(x, (h,), w_ih, w_hh)
        if x.shape[0] != c.shape[0]:
            raise RuntimeError(f"Input batch size {x.shape[0]} doesn't match hidden1 batch size {c.shape[0]}")
        for name, weight in (("weight_ih", w_ih), ("weight_hh", w_hh)):
            if weight.shape[0] != 4 * c.shape[1]:
                raise RuntimeError(f"{name} first dim must be 4 * hidden_size = {4 * c.shape[1]}, but got "
                                   f"{weight.shape[0]}")
        _check_linear(x, w_ih, b_ih)
        _check_linear(h, w_hh, b_hh)
        if x.dtype.kind != "f":
            raise errors.not_implemented("sigmoid_cpu", x.dtype)
        h_next, c_next, acts, c_t, tanh_c = K.lstm_forward(*_cell_gates(x, h, w_ih, w_hh), b_ih, b_hh, c)
        ctx.save(x=x if ctx.needs(3) else None, h=h if ctx.needs(4) else None, w_ih=w_ih if ctx.needs(0) else None,
                 w_hh=w_hh if ctx.needs(1) else None, acts=acts, c_t=c_t, tanh_c=tanh_c)
        return h_next, c_next

    @staticmethod
    def backward(ctx: Context, grad_h: np.ndarray | None, grad_c: np.ndarray | None) -> tuple[np.ndarray | None, ...]:
        saved = ctx.saved
        d_z, d_c, d_bias = K.lstm_backward(grad_h, grad_c, saved["acts"], saved["c_t"], saved["tanh_c"])
        grads = [K.matmul(d_z.T, saved["w_ih"]) if ctx.needs(0) else None,
                 K.matmul(d_z.T, saved["w_hh"]) if ctx.needs(1) else None,
                 d_c if ctx.needs(2) else None,
                 K.matmul(d_z, saved["x"]) if ctx.needs(3) else None,
                 K.matmul(d_z, saved["h"]) if ctx.needs(4) else None]
        if len(ctx.needs_input_grad) > 5:  # with biases: both get z's gradient summed over the batch
            grads += [d_bias, K.copy(d_bias)]
        return tuple(grads)


def check_layer(x: np.ndarray, h0: np.ndarray, c0: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray,
                b_ih: np.ndarray | None, b_hh: np.ndarray | None) -> None:
    """The checks of ``LstmLayer``'s shapes (PyTorch's float64 ``lstm`` reaches them as errors of its matrix
    products and sums; its float32 one, oneDNN's, makes none), in ``lstm_cell``'s words."""
    if x.ndim != 3 or h0.ndim != 3 or c0.ndim != 3 or h0.shape[0] != 1 or c0.shape[0] != 1:
        raise RuntimeError(f"lstm layer: expected input (seq, batch, input_size) and states (1, batch, size), got "
                           f"{list(x.shape)}, {list(h0.shape)} and {list(c0.shape)}")
    if x.shape[0] == 0:
        raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
    check_cell(x[0], (h0[0], c0[0]), w_ih, w_hh)
    for name, weight in (("weight_ih", w_ih), ("weight_hh", w_hh)):
        if weight.shape[0] != 4 * c0.shape[2]:
            raise RuntimeError(f"{name} first dim must be 4 * hidden_size = {4 * c0.shape[2]}, but got "
                               f"{weight.shape[0]}")
    if any(bias is not None and bias.shape != (w_ih.shape[0],) for bias in (b_ih, b_hh)):
        raise RuntimeError("got an incorrect number of RNN parameters")
    if x.dtype.kind != "f":
        raise errors.not_implemented("sigmoid_cpu", x.dtype)


def _input_rows(x: np.ndarray) -> np.ndarray:
    """The sequence x (T, B, I) as T B rows."""
    return x.reshape(x.shape[0] * x.shape[1], x.shape[2])


def _input_gates(x_rows: np.ndarray, w_ih: np.ndarray, steps: int, batch: int) -> np.ndarray:
    """Every step's x_t W_ih^T at once, (4H, T, B), from x's rows."""
    return K.matmul(w_ih, x_rows.T).reshape(w_ih.shape[0], steps, batch)


def _layer_saves(ctx: Context, x: np.ndarray, h0: np.ndarray, c0: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray,
                 b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None,
                 reverse: bool = False) -> tuple[np.ndarray, ...]:
    """What a layer saves for its backward (the activations, cell states and tanh of the new ones), from its inputs."""
    gates_x = _input_gates(_input_rows(x), w_ih, x.shape[0], x.shape[1])
    return K.lstm_sequence_forward(gates_x, w_hh, b_ih, b_hh, h0[0], c0[0], reverse)[3:]


@register
class LstmLayer(Op):
    """One direction of one LSTM layer over a whole padded sequence x (T, B, I) from the states h_0, c_0
    (1, B, H): for t = 1..T (T..1 with ``reverse``), z_t = (x_t W_ih^T + b_ih) + (h_{t-1} W_hh^T + b_hh) and
    lstm_cell's gates (i, f, g, o = z_t's blocks through sigmoid, sigmoid, tanh, sigmoid; c_t = f c_{t-1} + i g;
    h_t = o tanh(c_t)). Returns (h_1..h_T as (T, B, H), h_T, c_T), as ``torch.lstm`` with one layer.

    As PyTorch's (oneDNN's) layer, the input's products for all steps are one matrix product X W_ih^T, leaving one
    product h W_hh^T and the gates' loop per step; the backward runs through time inside the op, one product per
    step, then the weights' and the input's gradients as one product each over all steps."""

    torch = "torch.lstm"
    grad_fn = "MkldnnRnnLayerBackward0"
    formulas = (
        "going back in time: dh_t = grad_out_t + dz_{t+1} @ W_hh (dh_T = grad_out_T + grad_h_T), dc_T = grad_c_T",
        "dc_t' = dc_t + dh_t o_t (1 - tanh(c_t)^2)",
        "dz_t = [dc_t' g_t i_t (1 - i_t), dc_t' c_{t-1} f_t (1 - f_t), dc_t' i_t (1 - g_t^2), "
        "dh_t tanh(c_t) o_t (1 - o_t)]  (blocks i, f, g, o); dc_{t-1} = dc_t' f_t",
        "dx_t = dz_t @ W_ih; dh_0 = dz_1 @ W_hh, dc_0 = dc_1' f_1",
        "dW_ih = sum_t dz_t^T @ x_t, dW_hh = sum_t dz_t^T @ h_{t-1}, db_ih = db_hh = sum_t dz_t summed over the batch",
    )
    promotion = Promotion.NONE
    differentiable_outputs = 3
    # what forward saves, made again from the inputs by a create_graph pass (the kernels' loops as tensor ops)
    recomputed: ClassVar[dict[Any, Any]] = {"x_rows": lambda ctx, x, *_, **__: _input_rows(x),
                                            ("acts", "cells", "tanh_c"): _layer_saves}

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        if params.get("reverse"):
            raise NotImplementedError("torch.lstm runs a reverse direction only beside a forward one")
        x, h0, c0, *weights = inputs
        return [x, (h0, c0), weights, len(weights) == 4, 1, 0.0, False, False, False], {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, h0: np.ndarray, c0: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray,
                b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None,
                reverse: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        check_layer(x, h0, c0, w_ih, w_hh, b_ih, b_hh)
        x_rows = _input_rows(x)
        gates_x = _input_gates(x_rows, w_ih, x.shape[0], x.shape[1])
        out, h, c, acts, cells, tanh_c = K.lstm_sequence_forward(gates_x, w_hh, b_ih, b_hh, h0[0], c0[0], reverse)
        ctx.save(x_rows=x_rows if ctx.needs(3) else None, h0=h0 if ctx.needs(4) else None,
                 out=out if ctx.needs(4) else None, w_ih=w_ih if ctx.needs(0) else None, w_hh=w_hh, acts=acts,
                 cells=cells, tanh_c=tanh_c)
        ctx.reverse = reverse
        return out, h[None], c[None]

    @staticmethod
    def backward(ctx: Context, grad_out: np.ndarray | None, grad_h: np.ndarray | None,
                 grad_c: np.ndarray | None) -> tuple[np.ndarray | None, ...]:
        saved = ctx.saved
        d_z, d_h0, d_c0, d_bias = K.lstm_sequence_backward(
            grad_out, None if grad_h is None else grad_h[0], None if grad_c is None else grad_c[0], saved["acts"],
            saved["cells"], saved["tanh_c"], saved["w_hh"], ctx.reverse, ctx.needs(1))
        gate_rows, steps, batch = d_z.shape
        d_z_rows = d_z.reshape(gate_rows, steps * batch)  # columns in x_rows' order
        w_ih = saved["w_ih"]
        grads = [K.matmul(d_z_rows.T, w_ih).reshape(steps, batch, w_ih.shape[1]) if ctx.needs(0) else None,
                 d_h0[None] if ctx.needs(1) else None,
                 d_c0[None] if ctx.needs(2) else None,
                 K.matmul(d_z_rows, saved["x_rows"]) if ctx.needs(3) else None,
                 K.matmul(d_z_rows, _previous_states(saved["h0"], saved["out"], ctx.reverse)) if ctx.needs(4)
                 else None]
        if len(ctx.needs_input_grad) > 5:
            grads += [d_bias, K.copy(d_bias)]
        return tuple(grads)


def _previous_states(h0: np.ndarray, out: np.ndarray, reverse: bool) -> np.ndarray:
    """h_{t-1} of each step t (h_{t+1} running backwards, h_0 for the first step run), as (T B, H) rows."""
    pieces = (out[1:], h0) if reverse else (h0, out[:-1])
    return np.concatenate(pieces).reshape(-1, out.shape[2])
