"""Cross-check cases of the recurrent ops: ``lstm_cell`` and ``LstmLayer`` (see op_cases.py, which gathers them).

The tensors are x, h, c, W_ih, W_hh and the biases; h and c go in as lstm_cell's tuple hx. ``LstmLayer`` is
exercised through ``torch.lstm`` with one layer (two directions: the second runs the op with ``reverse``), h_0 and
c_0 as its tuple hx, the weights as its list params. No error cases for it: PyTorch's float32 ``lstm`` (oneDNN's)
does not check sizes, and writes past its buffers on a wrong input size. float32: the gates are
sums of I + H products, which BLAS (minigrad) and MKL (PyTorch) add in different orders, as are the weights'
gradients (sums over the batch): ``_ATOL`` allows K * eps * sum|terms| for them, as op_cases_conv's does for
convolutions.
"""

from __future__ import annotations

from op_cases import Case, Domain

CASES: list[Case] = []
DOMAINS: dict[str, tuple[Domain, ...]] = {}

_ATOL = 1e-5


def _lstm(batch: int, inputs: int, hidden: int, bias: bool = True, **options: object) -> Case:
    shapes = [(batch, inputs), (batch, hidden), (batch, hidden), (4 * hidden, inputs), (4 * hidden, hidden)]
    shapes += [(4 * hidden,), (4 * hidden,)] if bias else []
    return Case("LstmCell", tuple(shapes), grouped=(1, 3), float32_atol=_ATOL, **options)  # type: ignore[arg-type]


CASES += [_lstm(3, 5, 4), _lstm(3, 5, 4, bias=False), _lstm(1, 2, 3), _lstm(4, 1, 1), _lstm(2, 3, 8)]
CASES += [_lstm(0, 3, 2, gradcheck=False)]  # an empty batch: empty states, zero weight gradients
CASES += [Case("LstmCell", shapes, grouped=(1, 3), gradcheck=False) for shapes in [  # torch's errors
    ((3, 4), (3, 2), (3, 2), (8, 5), (8, 2)),  # input size
    ((3, 5), (2, 2), (3, 2), (8, 5), (8, 2)),  # h's batch
    ((3, 5), (3, 2), (3, 3), (8, 5), (8, 2)),  # c's hidden size
    ((3, 5), (3, 2), (3, 2), (7, 5), (8, 2)),  # W_ih's rows
    ((5,), (2,), (2,), (8, 5), (8, 2)),  # unbatched: torch.lstm_cell takes batches only
]]


def _layer(steps: int, batch: int, inputs: int, hidden: int, bias: bool = True, bidirectional: bool = False,
           batch_first: bool = False, **options: object) -> Case:
    """torch.lstm(x, (h_0, c_0), params, bias, 1 layer, no dropout, not training, bidirectional, batch_first)."""
    directions = 2 if bidirectional else 1
    x = (batch, steps, inputs) if batch_first else (steps, batch, inputs)
    weights = [(4 * hidden, inputs), (4 * hidden, hidden)] + [(4 * hidden,), (4 * hidden,)] * bias
    shapes = [x, (directions, batch, hidden), (directions, batch, hidden), *weights * directions]
    return Case("LstmLayer", tuple(shapes), args=(bias, 1, 0.0, False, bidirectional, batch_first), grouped=(1, 3),
                listed=(3, len(shapes)), float32_atol=_ATOL, **options)  # type: ignore[arg-type]


CASES += [_layer(5, 3, 4, 6), _layer(4, 3, 5, 4, bias=False), _layer(1, 1, 1, 1), _layer(4, 2, 3, 2, batch_first=True),
          _layer(3, 2, 3, 5, bidirectional=True), _layer(6, 1, 2, 3, bidirectional=True, batch_first=True)]
CASES += [_layer(3, 0, 2, 3, gradcheck=False)]  # an empty batch: empty states, zero weight gradients
