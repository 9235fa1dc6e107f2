"""Fuzz generators of the recurrent layers (see test_fuzz.py, which imports this file to register them).

``LstmCell`` is a registry op: its generator calls ``torch.lstm_cell`` on H reshaped to (batch, input_size).
``LstmLayer`` is one too: its generator calls ``torch.lstm`` with one layer (with two directions, the second is the
op with ``reverse``) on H reshaped to a sequence. The
layers (``RNN``, ``LSTM``, ``GRU``) and the cells (``RNNCell``, ``LSTMCell``, ``GRUCell``) are modules built from
registry ops: each is drawn as an op is (``LAYERS``), with random options (layers, directions, batch_first,
proj_size, bias, nonlinearity, given or zero initial states, batched or not), its parameters drawn values (leaves
whose gradients are compared), and the step keeps one of its outputs (the output, h_n or c_n).

Constrained throughout: H finite and at most 4 in size, parameters and states ordinary values at the scale of the
layers' own initialisation (at most 1), and input and hidden sizes up to 3. Every matrix product then sums at most 3
terms (the gates' products x W_ih^T and h W_hh^T; 6 for a layer over two directions), which both frameworks add in
order, and the recurrence, whose gain is at most the weights' sizes, does not grow a last-bit difference (tanh's and
sigmoid's differ from PyTorch's by an ulp) past the suite's tolerance over the few steps H holds.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from hypothesis import strategies as st
from test_fuzz import LAYERS, ZERO_SIGN_UNSPECIFIED, Arr, H, Step, _dtype, arrays, generator, path

# The gates are matrix products: zeros take their sign from the product's code path (see test_fuzz).
ZERO_SIGN_UNSPECIFIED.update({"LstmCell", "LstmLayer", "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"})
_CELLS = ("RNNCell", "LSTMCell", "GRUCell")
LAYERS.extend(["RNN", "LSTM", "GRU", *_CELLS])
_GATES = {"RNN": 1, "RNNCell": 1, "LSTM": 4, "LSTMCell": 4, "GRU": 3, "GRUCell": 3}


def _moderate(h: torch.Tensor) -> bool:
    return bool(h.numel()) and h.is_floating_point() and bool(h.isfinite().all()) and float(h.abs().max()) <= 4


def _small(draw: st.DrawFn, dtype: str, shape: tuple[int, ...]) -> Arr:
    """A leaf of ordinary values scaled to at most 1 (a layer's initialisation draws from U(-1, 1) at most)."""
    leaf = draw(arrays(dtype, shape, grad=True, mode="ordinary"))
    return Arr(leaf.values / 4, dtype, shape, grad=True, strided=leaf.strided)


def _input(draw: st.DrawFn, h: torch.Tensor, dims: int) -> tuple[list[Step], tuple[int, ...]]:
    """Steps that make H's first elements a (dims)-d input whose last size is 1 to 3: flattened, cut to the
    drawn size, reshaped."""
    features = draw(st.integers(1, 3))
    sizes = (*(draw(st.integers(1, 3)) for _ in range(dims - 1)), features)
    n = math.prod(sizes)
    if h.numel() < n:
        sizes = (*(1 for _ in range(dims - 1)), 1)
        n = 1
    steps = [Step("Reshape", path("Reshape"), (H, (-1,))), Step("Index", path("Index"), (H, slice(0, n))),
             Step("Reshape", path("Reshape"), (H, sizes))]
    return steps, sizes


@generator("LstmCell")
def gen_lstm_cell(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not _moderate(h):
        return []
    steps, (batch, inputs) = _input(draw, h, 2)
    dtype, hidden = _dtype(h), draw(st.integers(1, 3))
    hx = (_small(draw, dtype, (batch, hidden)), _small(draw, dtype, (batch, hidden)))
    weights = [_small(draw, dtype, (4 * hidden, inputs)), _small(draw, dtype, (4 * hidden, hidden))]
    if draw(st.booleans()):
        weights += [_small(draw, dtype, (4 * hidden,)), _small(draw, dtype, (4 * hidden,))]
    return [*steps, Step(op, path(op), (H, hx, *weights), pick=draw(st.integers(0, 1)))]


@generator("LstmLayer")
def gen_lstm_layer(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not _moderate(h):
        return []
    steps, sizes = _input(draw, h, 3)
    batch_first, directions, bias = draw(st.booleans()), draw(st.integers(1, 2)), draw(st.booleans())
    dtype, hidden, batch = _dtype(h), draw(st.integers(1, 3)), sizes[0 if batch_first else 1]
    hx = (_small(draw, dtype, (directions, batch, hidden)), _small(draw, dtype, (directions, batch, hidden)))
    weights = []
    for _ in range(directions):
        weights += [_small(draw, dtype, (4 * hidden, sizes[-1])), _small(draw, dtype, (4 * hidden, hidden))]
        weights += [_small(draw, dtype, (4 * hidden,)) for _ in range(2 * bias)]
    args = (H, hx, weights, bias, 1, 0.0, False, directions == 2, batch_first)
    return [*steps, Step(op, path(op), args, pick=draw(st.integers(0, 2)))]


class Layer(Arr):
    """A recurrent module built alike in both frameworks: ``kind`` (``torch.nn.LSTM``...) with ``options``, its
    parameters set to ``weights`` (in the module's order, each a leaf), called on H and the initial states
    ``hx`` (None: zeros); ``pick`` is the path to the output kept in what it returns ((1, 0): h_n of (out, (h, c)))."""

    def __init__(self, kind: str, options: dict[str, Any], weights: list[Arr], pick: tuple[int, ...] = ()):
        self.kind, self.options, self.weights, self.pick = kind, options, weights, pick

    def __repr__(self) -> str:
        return f"Layer({self.kind!r}, {self.options!r}, {self.weights!r}, {self.pick!r})"

    def build(self, fw: Any, leaves: list[Any]) -> Any:
        dtype = getattr(fw, self.weights[0].values.dtype.name)
        module = getattr(fw.nn, self.kind)(**self.options, dtype=dtype)
        with fw.no_grad():
            for parameter, values in zip(module.parameters(), self.weights):
                parameter.copy_(fw.tensor(values.values))
        leaves.extend(module.parameters())

        def call(*args: Any) -> Any:
            out = module(*args)
            for i in self.pick:
                out = out[i]
            return out

        return call


@generator(*_GATES)
def gen_layer(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if not _moderate(h):
        return []
    dtype, hidden = _dtype(h), draw(st.integers(1, 3))
    batched = draw(st.booleans())
    cell = op in _CELLS
    steps, sizes = _input(draw, h, (2 if cell else 3) if batched else (1 if cell else 2))
    options: dict[str, Any] = {"input_size": sizes[-1], "hidden_size": hidden, "bias": draw(st.booleans())}
    if op in ("RNN", "RNNCell"):
        options["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]))
    layers = directions = 1
    proj = 0
    if not cell:
        layers, directions = draw(st.integers(1, 2)), draw(st.integers(1, 2))
        options.update(num_layers=layers, bidirectional=directions == 2, batch_first=batched and draw(st.booleans()))
        if op == "LSTM" and hidden > 1 and draw(st.booleans()):
            proj = options["proj_size"] = draw(st.integers(1, hidden - 1))
    gate_rows, out_size = _GATES[op] * hidden, proj or hidden
    weights = []
    for layer in range(layers):
        for _ in range(directions):
            in_size = sizes[-1] if layer == 0 else out_size * directions
            weights += [_small(draw, dtype, (gate_rows, in_size)), _small(draw, dtype, (gate_rows, out_size))]
            weights += [_small(draw, dtype, (gate_rows,)) for _ in range(2 * options["bias"])]
            weights += [_small(draw, dtype, (proj, hidden))] if proj else []
    args: list[Any] = [H]
    if draw(st.booleans()):  # initial states given (leaves), else zeros
        batch = () if not batched else (sizes[1],) if not cell and not options["batch_first"] else (sizes[0],)
        lead = () if cell else (layers * directions,)
        h0 = _small(draw, dtype, (*lead, *batch, out_size))
        c0 = _small(draw, dtype, (*lead, *batch, hidden))
        args.append((h0, c0) if op in ("LSTM", "LSTMCell") else h0)
    if op == "LSTM":
        pick = draw(st.sampled_from([(0,), (1, 0), (1, 1)]))
    elif op == "LSTMCell":
        pick = draw(st.sampled_from([(0,), (1,)]))
    else:
        pick = () if cell else draw(st.sampled_from([(0,), (1,)]))
    return [*steps, Step(op, "operator.call", (Layer(op, options, weights, pick), *args))]
