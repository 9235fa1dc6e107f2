"""``lstm_cell``: one LSTM step as one op, the step ``nn.LSTM`` and ``nn.LSTMCell`` run (PyTorch's ``lstm_cell``).

Written with the ops minigrad already has, a step records about a dozen nodes (two linears, their sum, four gate
slices, three sigmoids, two tanhs, three products and a sum), each paying Python's cost per op in forward and in
backward, and an LSTM over 50 steps runs 4.75 times PyTorch's time (batch 32, hidden 128, two layers; with the
fewest composed ops, 3.7 times). As one op, a step is two matrix products and one loop over the gates forward, one
loop and four products backward (``kernels/recurrent.py``).
"""

from __future__ import annotations

from typing import Any

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
        # W x^T rather than x W^T: both operands as BLAS reads them fastest, the gates transposed (4H, B)
        h_next, c_next, acts, c_t, tanh_c = K.lstm_forward(K.matmul(w_ih, x.T), K.matmul(w_hh, h.T), b_ih, b_hh, c)
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
