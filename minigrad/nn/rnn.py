"""Recurrent layers, as ``torch.nn``'s: ``RNN`` (tanh or relu), ``LSTM`` (with ``proj_size``), ``GRU``, and the
one-step cells ``RNNCell``, ``LSTMCell``, ``GRUCell``.

**A layer is a Python loop over the steps** (but an LSTM's over padded input: see below), and the graph recorded
is the network unrolled in time, so ``backward()`` on it *is* backpropagation through time, run by the engine: the
gradient reaching a hidden state h_t is the sum of what comes back from the output at step t (through ``stack``)
and from step t+1 (through W_hh), added by the engine because h_t is an input of both, exactly the sum a BPTT
derivation writes. A weight is used at every step, so its gradient is the sum over steps, accumulated the same way.

**The steps**, in PyTorch's gate order (``aten/src/ATen/native/RNN.cpp``). RNN's and GRU's are written with ops
minigrad already has (``F.linear``, ``+``, ``*``, ``sigmoid``, ``tanh``, ``relu``, ``chunk``), so their gradient
is the composition's. LSTM's is one op, ``lstm_cell`` (``ops/recurrent.py``, with its hand-derived backward): as a
composition it recorded about a dozen nodes a step, and Python's cost per node made an LSTM 4.75 times slower than
PyTorch's (see that module). Over a padded sequence, without ``proj_size``, a whole layer and direction is one op,
``LstmLayer``, as PyTorch's CPU LSTM (oneDNN's) is: x_t W_ih^T for all steps in one matrix product, and
backpropagation through time inside its backward, the weights' gradients one product each over all steps::

    RNN   h' = tanh((h W_hh^T + b_hh) + (x W_ih^T + b_ih))                 (relu with nonlinearity='relu')
    LSTM  i, f, g, o = the 4 chunks of (x W_ih^T + b_ih) + (h W_hh^T + b_hh)
          c' = σ(f) * c + σ(i) * tanh(g);   h' = σ(o) * tanh(c');   h' = h' W_hr^T  (with proj_size)
    GRU   r_i, z_i, n_i = chunks of x W_ih^T + b_ih;  r_h, z_h, n_h = chunks of h W_hh^T + b_hh
          r = σ(r_h + r_i);  z = σ(z_h + z_i);  n = tanh(n_i + n_h * r);  h' = (h - n) * z + n

The other layers step through ``unbind`` of the layer's input (one op, whose backward stacks the steps'
gradients once; slices would each send back a gradient the size of the whole sequence), and each step computes its
own x W_ih^T (PyTorch computes it for all steps at once).

A layer with ``bidirectional`` runs a second set of weights (``..._reverse``) from the last step to the first and
joins the two outputs feature-wise; layer l + 1 reads layer l's output, through ``dropout`` while training (drawn
by ``F.dropout`` on that whole output, as PyTorch draws it). A ``PackedSequence`` runs the same steps on fewer and
fewer rows: at each step only the sequences still running (``batch_sizes``), and each one's final state is its
state after its own last step.

**Parameters** are PyTorch's, by name, shape and order (``weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0``,
then ``weight_hr_l0`` with proj_size, then the ``_reverse`` ones, then layer 1...), each drawn from
U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) in that order, so a state dict moves between the two libraries and
one seed gives both the same initial values.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable
from typing import Any

from .. import factories
from ..dtypes import dtype as DType
from ..functions import cat, stack
from ..ops.recurrent import LstmCell, LstmLayer, check_cell
from ..ops.shape import TransposeInPlace
from ..tensor import Tensor, apply
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter
from .utils.rnn import PackedSequence

Hidden = Tensor | tuple[Tensor, Tensor]  # h, or an LSTM's (h, c)
Weights = tuple[Tensor, Tensor, Tensor | None, Tensor | None, Tensor | None]  # w_ih, w_hh, b_ih, b_hh, w_hr


def lstm_cell(input: Tensor, hx: tuple[Tensor, Tensor] | list[Tensor], w_ih: Tensor, w_hh: Tensor,
              b_ih: Tensor | None = None, b_hh: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """One LSTM step, (h', c') from input (batch, input_size) and hx = (h, c) (batch, hidden_size each), as
    ``torch.lstm_cell``: z = (x W_ih^T + b_ih) + (h W_hh^T + b_hh); i, f, g, o = z's four blocks through
    sigmoid, sigmoid, tanh, sigmoid; c' = f c + i g; h' = o tanh(c') (one op: ``ops/recurrent.py``)."""
    if len(hx) != 2:
        raise RuntimeError("lstm_cell expects two hidden states")
    check_cell(input, tuple(hx), w_ih, w_hh)
    if (b_ih is None) != (b_hh is None):  # one bias alone: the other is zeros
        b_ih, b_hh = (b if b is not None else factories.zeros(w_ih.shape[0], dtype=w_ih.dtype) for b in (b_ih, b_hh))
    biases = () if b_ih is None else (b_ih, b_hh)
    return apply(LstmCell, input, hx[0], hx[1], w_ih, w_hh, *biases)


# ----- one step of each cell, from the step's input x ---------------------------------------------------------
def _tanh_step(x: Tensor, h: Tensor, w: Weights) -> Tensor:
    return (F.linear(h, w[1], w[3]) + F.linear(x, w[0], w[2])).tanh()


def _relu_step(x: Tensor, h: Tensor, w: Weights) -> Tensor:
    return (F.linear(h, w[1], w[3]) + F.linear(x, w[0], w[2])).relu()


def _lstm_step(x: Tensor, hc: tuple[Tensor, Tensor], w: Weights) -> tuple[Tensor, Tensor]:
    h_next, c_next = apply(LstmCell, x, *hc, *(w[:2] if w[2] is None else w[:4]))  # lstm_cell less its checks
    if w[4] is not None:  # the projection: h' = h' W_hr^T
        h_next = h_next.matmul(w[4].t())
    return h_next, c_next


def _gru_step(x: Tensor, h: Tensor, w: Weights) -> Tensor:
    r_i, z_i, n_i = F.linear(x, w[0], w[2]).chunk(3, 1)
    r_h, z_h, n_h = F.linear(h, w[1], w[3]).chunk(3, 1)
    r = (r_h + r_i).sigmoid()
    z = (z_h + z_i).sigmoid()
    n = (n_i + n_h * r).tanh()
    return (h - n) * z + n


_STEPS: dict[str, Callable[[Tensor, Any, Weights], Any]] = {
    "RNN_TANH": _tanh_step, "RNN_RELU": _relu_step, "LSTM": _lstm_step, "GRU": _gru_step}


def _output(hidden: Hidden) -> Tensor:
    """What a step outputs: h (of an LSTM's (h, c))."""
    return hidden[0] if isinstance(hidden, tuple) else hidden


def _rows(hidden: Hidden, start: int, end: int) -> Hidden:
    """The batch rows start..end-1 of a hidden state."""
    if isinstance(hidden, tuple):
        return hidden[0][start:end], hidden[1][start:end]
    return hidden[start:end]


def _joined(pieces: list[Hidden]) -> Hidden:
    """Hidden states of consecutive batch rows, joined into one."""
    if isinstance(pieces[0], tuple):
        return cat([p[0] for p in pieces], 0), cat([p[1] for p in pieces], 0)
    return cat(pieces, 0)


# ----- one direction of one layer ------------------------------------------------------------------------------
def _run_padded(step: Callable[..., Any], layer_input: Tensor, hidden: Hidden, w: Weights,
                reverse: bool) -> tuple[Tensor, Hidden]:
    """Steps over a padded sequence (steps, batch, features): the outputs (steps, batch, hidden) and the last
    state. An LSTM without projections is one op, ``LstmLayer``; the other layers run a step at a time."""
    if step is _lstm_step and w[4] is None:
        output, h, c = apply(LstmLayer, layer_input, hidden[0].unsqueeze(0), hidden[1].unsqueeze(0),
                             *(w[:2] if w[2] is None else w[:4]), reverse=reverse)
        return output, (h.squeeze(0), c.squeeze(0))
    steps = layer_input.unbind(0)
    outputs: list[Any] = [None] * len(steps)  # output t, filled in the order the steps run
    for t in (reversed(range(len(steps))) if reverse else range(len(steps))):
        hidden = step(steps[t], hidden, w)
        outputs[t] = _output(hidden)
    return stack(outputs, 0), hidden


def _run_packed(step: Callable[..., Any], data: Tensor, hidden: Hidden, w: Weights, batch_sizes: list[int],
                reverse: bool) -> tuple[Tensor, Hidden]:
    """Steps over packed data (batch_sizes[t] rows at step t): the outputs packed alike, and each sequence's state
    after its own last step (sequences are sorted longest first, so the running ones are the first rows)."""
    outputs: list[Tensor] = []
    if not reverse:
        finished: list[Hidden] = []  # final states of the sequences that ended, the shortest (last rows) first
        offset, running = 0, batch_sizes[0]
        for size in batch_sizes:
            if size < running:
                finished.append(_rows(hidden, size, running))
                hidden = _rows(hidden, 0, size)
            running = size
            hidden = step(data[offset:offset + size], hidden, w)
            outputs.append(_output(hidden))
            offset += size
        return cat(outputs, 0), _joined([hidden, *reversed(finished)])
    # Backwards in time, sequences join as their last step comes: the shortest start first, from their h0.
    initial, running, offset = hidden, batch_sizes[-1], data.shape[0]
    hidden = _rows(initial, 0, running)
    for size in reversed(batch_sizes):
        if size > running:
            hidden = _joined([hidden, _rows(initial, running, size)])
        running = size
        hidden = step(data[offset - size:offset], hidden, w)
        outputs.append(_output(hidden))
        offset -= size
    return cat(outputs[::-1], 0), hidden


def _run_layers(mode: str, input: Tensor, hx: Hidden, weights: list[Weights], batch_sizes: list[int] | None,
                num_layers: int, dropout: float, training: bool, bidirectional: bool,
                batch_first: bool) -> tuple[Tensor, Hidden]:
    """The whole network (PyTorch's ``_rnn_impl``): (output, final states stacked as (layers * directions, ...))."""
    step = _STEPS[mode]
    directions = 2 if bidirectional else 1
    padded = batch_sizes is None
    if padded and batch_first:
        input = input.transpose(0, 1)
    if padded and input.shape[0] == 0:
        raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
    if isinstance(hx, tuple):
        initial: list[Hidden] = list(zip(hx[0].unbind(0), hx[1].unbind(0)))
    else:
        initial = list(hx.unbind(0))
    finals: list[Hidden] = []
    layer_input = input
    for layer in range(num_layers):
        outputs = []
        for direction in range(directions):
            index = layer * directions + direction
            if padded:
                out, final = _run_padded(step, layer_input, initial[index], weights[index], direction == 1)
            else:
                out, final = _run_packed(step, layer_input, initial[index], weights[index], batch_sizes, direction == 1)
            outputs.append(out)
            finals.append(final)
        layer_input = outputs[0] if directions == 1 else cat(outputs, -1)  # the two directions' features side by side
        if dropout != 0 and training and layer < num_layers - 1:  # drawn on the whole output, as PyTorch draws it
            layer_input = F.dropout(layer_input, dropout, True)
    output = layer_input
    if padded and batch_first:  # PyTorch's RNN and GRU transpose their result in place, its LSTM as a view
        output = layer_input.transpose(0, 1) if mode == "LSTM" else apply(TransposeInPlace, layer_input, dim0=0, dim1=1)
    if isinstance(hx, tuple):
        return output, (stack([f[0] for f in finals], 0), stack([f[1] for f in finals], 0))
    return output, stack(finals, 0)


def lstm(input: Tensor, hx: tuple[Tensor, Tensor] | list[Tensor], params: list[Tensor] | tuple[Tensor, ...],
         has_biases: bool, num_layers: int, dropout: float, train: bool, bidirectional: bool,
         batch_first: bool) -> tuple[Tensor, Tensor, Tensor]:
    """An LSTM over a padded sequence, as ``torch.lstm`` (the function ``nn.LSTM`` calls): input (seq, batch,
    features), or (batch, seq, ...) with ``batch_first``; hx = (h_0, c_0), each (layers * directions, batch, size);
    params the weights of each layer and direction in ``nn.LSTM``'s order (w_ih, w_hh, then b_ih, b_hh with
    ``has_biases``, then w_hr where h_0's size is not c_0's: projections). Returns (output, h_n, c_n)."""
    if len(hx) != 2:
        raise RuntimeError("lstm expects two hidden states")
    projected = hx[0].shape[-1] != hx[1].shape[-1]
    per_layer = 2 + 2 * has_biases + projected
    if len(params) != per_layer * num_layers * (2 if bidirectional else 1):
        raise RuntimeError("got an incorrect number of RNN parameters")
    weights: list[Weights] = []
    for k in range(0, len(params), per_layer):
        w = params[k:k + per_layer]
        weights.append((w[0], w[1], w[2] if has_biases else None, w[3] if has_biases else None,
                        w[-1] if projected else None))
    output, (h, c) = _run_layers("LSTM", input, (hx[0], hx[1]), weights, None, num_layers, dropout, train,
                                 bidirectional, batch_first)
    return output, h, c


# ----- the modules --------------------------------------------------------------------------------------------------
def _type_name(value: Any) -> str:
    return type(value).__name__


class RNNBase(Module):
    """What RNN, LSTM and GRU share: the parameters (PyTorch's names, shapes, order and initialisation), the checks
    of the input and hidden state, and the repr. ``mode`` is "RNN_TANH", "RNN_RELU", "LSTM" or "GRU"."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: DType | None = None) -> None:
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        num_directions = 2 if bidirectional else 1
        if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an element "
                             "being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                          stacklevel=2)
        for name, value, kind in (("bias", bias, bool), ("batch_first", batch_first, bool),
                                  ("input_size", input_size, int)):
            if not isinstance(value, kind):
                raise TypeError(f"{name} should be of type {kind.__name__}, got: {_type_name(value)}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {_type_name(hidden_size)}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        gates = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}.get(mode)
        if gates is None:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = gates * hidden_size
        real_hidden_size = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input_size = input_size if layer == 0 else real_hidden_size * num_directions
                shapes = {"weight_ih": (gate_size, layer_input_size), "weight_hh": (gate_size, real_hidden_size)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if proj_size > 0:
                    shapes["weight_hr"] = (proj_size, hidden_size)
                suffix = "_reverse" if direction == 1 else ""
                names = [f"{kind}_l{layer}{suffix}" for kind in shapes]
                for name, shape in zip(names, shapes.values()):
                    setattr(self, name, Parameter(factories.empty(*shape, dtype=dtype, device=device)))
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self) -> list[Tensor]:
        return [getattr(self, name) for name in self._flat_weights_names]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters of each layer and direction, in order (a list per layer and direction)."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self) -> None:
        """Nothing to do: PyTorch packs the weights into one buffer for cuDNN; minigrad runs on the CPU."""

    def reset_parameters(self) -> None:
        """Draw every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), in registration order."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _weights(self) -> list[Weights]:
        """(w_ih, w_hh, b_ih, b_hh, w_hr) of each layer and direction, None where absent."""
        found = []
        for names in self._all_weights:
            kinds = {name.split("_l")[0]: getattr(self, name) for name in names}
            found.append((kinds["weight_ih"], kinds["weight_hh"], kinds.get("bias_ih"), kinds.get("bias_hh"),
                          kinds.get("weight_hr")))
        return found

    def check_input(self, input: Tensor, batch_sizes: list[int] | None) -> None:
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). Convert "
                             f"input: input.to({weight_dtype}), or convert model: model.to({input.dtype})")
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(f"input must have {expected_input_dim} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                               f"{input.size(-1)}")

    def get_expected_hidden_size(self, input: Tensor, batch_sizes: list[int] | None) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return self.num_layers * num_directions, mini_batch, size

    def check_hidden_size(self, hx: Tensor, expected_hidden_size: tuple[int, int, int],
                          msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.size()) != expected_hidden_size:
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input: Tensor, hidden: Tensor, batch_sizes: list[int] | None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx: Tensor, permutation: Tensor | None) -> Tensor:
        return hx if permutation is None else hx.index_select(1, permutation)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    def _zeros(self, batch: int, size: int, like: Tensor) -> Tensor:
        num_directions = 2 if self.bidirectional else 1
        return factories.zeros(self.num_layers * num_directions, batch, size, dtype=like.dtype)

    def _run(self, input: Tensor, hx: Hidden, batch_sizes: list[int] | None) -> tuple[Tensor, Hidden]:
        return _run_layers(self.mode, input, hx, self._weights(), batch_sizes, self.num_layers, self.dropout,
                           self.training, self.bidirectional, self.batch_first)

    def _forward_single_state(self, input: Tensor | PackedSequence, hx: Tensor | None,
                              name: str, tensor_word: str) -> tuple[Any, Tensor]:
        """RNN's and GRU's forward (one state tensor h): PyTorch's steps, checks and messages."""
        orig_input = input
        if isinstance(orig_input, PackedSequence):
            input, batch_sizes_t, sorted_indices, unsorted_indices = orig_input
            batch_sizes = batch_sizes_t.tolist()
            if hx is None:
                hx = self._zeros(batch_sizes[0], self.hidden_size, input)
            else:
                hx = self.permute_hidden(hx, sorted_indices)
        else:
            batch_sizes = None
            if input.dim() not in (2, 3):
                raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D{tensor_word} instead")
            is_batched = input.dim() == 3
            batch_dim = 0 if self.batch_first else 1
            if not is_batched:
                input = input.unsqueeze(batch_dim)
                if hx is not None:
                    if hx.dim() != 2:
                        raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D "
                                           "tensor")
                    hx = hx.unsqueeze(1)
            elif hx is not None and hx.dim() != 3:
                raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor")
            max_batch_size = input.size(0) if self.batch_first else input.size(1)
            sorted_indices = unsorted_indices = None
            if hx is None:
                hx = self._zeros(max_batch_size, self.hidden_size, input)
        self.check_forward_args(input, hx, batch_sizes)
        output, hidden = self._run(input, hx, batch_sizes)
        if isinstance(orig_input, PackedSequence):
            return (PackedSequence(output, batch_sizes_t, sorted_indices, unsorted_indices),
                    self.permute_hidden(hidden, unsorted_indices))
        if not is_batched:
            output = output.squeeze(batch_dim)
            hidden = hidden.squeeze(1)
        return output, self.permute_hidden(hidden, unsorted_indices)


class RNN(RNNBase):
    """An Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (relu with ``nonlinearity='relu'``),
    over ``num_layers`` layers; input (seq, batch, input_size), or (batch, seq, ...) with ``batch_first``, or
    (seq, input_size) unbatched, or a PackedSequence. Returns (output, h_n)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)

    def forward(self, input: Tensor | PackedSequence, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        return self._forward_single_state(input, hx, "RNN", " tensor")


class GRU(RNNBase):
    """A gated recurrent unit network (gates r, z, n; see the module docstring), with RNN's options and shapes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input: Tensor | PackedSequence, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        return self._forward_single_state(input, hx, "GRU", "")


class LSTM(RNNBase):
    """A long short-term memory network (gates i, f, g, o; see the module docstring): states (h, c); with
    ``proj_size`` > 0, h is projected to proj_size features by ``weight_hr_l{k}``. Returns (output, (h_n, c_n))."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input: Tensor, batch_sizes: list[int] | None) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        return self.num_layers * num_directions, mini_batch, self.hidden_size

    def check_forward_args(self, input: Tensor, hidden: tuple[Tensor, Tensor],  # type: ignore[override]
                           batch_sizes: list[int] | None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx: tuple[Tensor, Tensor],  # type: ignore[override]
                       permutation: Tensor | None) -> tuple[Tensor, Tensor]:
        if permutation is None:
            return hx
        return hx[0].index_select(1, permutation), hx[1].index_select(1, permutation)

    def forward(self, input: Tensor | PackedSequence,
                hx: tuple[Tensor, Tensor] | None = None) -> tuple[Any, tuple[Tensor, Tensor]]:
        orig_input = input
        batch_sizes = None
        real_hidden_size = self.proj_size if self.proj_size > 0 else self.hidden_size
        if isinstance(orig_input, PackedSequence):
            input, batch_sizes_t, sorted_indices, unsorted_indices = orig_input
            batch_sizes = batch_sizes_t.tolist()
            if hx is None:
                hx = (self._zeros(batch_sizes[0], real_hidden_size, input),
                      self._zeros(batch_sizes[0], self.hidden_size, input))
            else:
                hx = self.permute_hidden(hx, sorted_indices)
        else:
            if input.dim() not in (2, 3):
                raise ValueError(f"LSTM: Expected input to be 2D or 3D, got {input.dim()}D instead")
            is_batched = input.dim() == 3
            batch_dim = 0 if self.batch_first else 1
            if not is_batched:
                input = input.unsqueeze(batch_dim)
            max_batch_size = input.size(0) if self.batch_first else input.size(1)
            sorted_indices = unsorted_indices = None
            if hx is None:
                hx = (self._zeros(max_batch_size, real_hidden_size, input),
                      self._zeros(max_batch_size, self.hidden_size, input))
                self.check_forward_args(input, hx, batch_sizes)
            else:
                if is_batched:
                    if hx[0].dim() != 3 or hx[1].dim() != 3:
                        raise RuntimeError("For batched 3-D input, hx and cx should also be 3-D but got "
                                           f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
                else:
                    if hx[0].dim() != 2 or hx[1].dim() != 2:
                        raise RuntimeError("For unbatched 2-D input, hx and cx should also be 2-D but got "
                                           f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors")
                    hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
                self.check_forward_args(input, hx, batch_sizes)
                hx = self.permute_hidden(hx, sorted_indices)
        if batch_sizes is not None:  # PyTorch leaves a packed LSTM's states to its C++ kernel, whose errors (the same
            # type) read "got an incorrect number of RNN parameters" and the like: minigrad checks them as for padding
            self.check_forward_args(input, hx, batch_sizes)
        output, hidden = self._run(input, hx, batch_sizes)
        if isinstance(orig_input, PackedSequence):
            return (PackedSequence(output, batch_sizes_t, sorted_indices, unsorted_indices),
                    self.permute_hidden(hidden, unsorted_indices))
        if not is_batched:
            output = output.squeeze(batch_dim)
            hidden = (hidden[0].squeeze(1), hidden[1].squeeze(1))
        return output, self.permute_hidden(hidden, unsorted_indices)


# ----- the cells ----------------------------------------------------------------------------------------------------
class RNNCellBase(Module):
    """What the cells share: weight_ih (chunks * hidden, input), weight_hh (chunks * hidden, hidden), the biases,
    drawn from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) in that order."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device: Any = None,
                 dtype: DType | None = None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(factories.empty(num_chunks * hidden_size, input_size, dtype=dtype, device=device))
        self.weight_hh = Parameter(factories.empty(num_chunks * hidden_size, hidden_size, dtype=dtype,
                                                   device=device))
        if bias:
            self.bias_ih = Parameter(factories.empty(num_chunks * hidden_size, dtype=dtype, device=device))
            self.bias_hh = Parameter(factories.empty(num_chunks * hidden_size, dtype=dtype, device=device))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += f", bias={self.bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _step(self, step: Callable[..., Any], input: Tensor, hx: Hidden) -> Any:
        """One step, after PyTorch's checks of the sizes (its C++ cell functions')."""
        check_cell(input, hx if isinstance(hx, tuple) else (hx,), self.weight_ih, self.weight_hh)
        return step(input, hx, (self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, None))

    def _one_state(self, name: str, input: Tensor, hx: Tensor | None, step: Callable[[Tensor, Tensor], Tensor]
                   ) -> Tensor:
        """``step(input, hx)`` for a cell with one hidden state (RNNCell, GRUCell), with PyTorch's handling of an
        unbatched input and of no hx (zeros)."""
        is_batched = self._check_dims(name, input, hx)
        if not is_batched:
            input = input.unsqueeze(0)
        if hx is None:
            hx = factories.zeros(input.size(0), self.hidden_size, dtype=input.dtype)
        else:
            hx = hx.unsqueeze(0) if not is_batched else hx
        ret = step(input, hx)
        return ret.squeeze(0) if not is_batched else ret

    def _check_dims(self, name: str, input: Tensor, hx: Any, what: str = "hidden") -> bool:
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if what == "hidden" and hx is not None and hx.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected hidden to be 1D or 2D, got {hx.dim()}D instead")
        return input.dim() == 2


class RNNCell(RNNCellBase):
    """One step of an Elman RNN: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: DType | None = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._one_state("RNNCell", input, hx, self._nonlinear_step)

    def _nonlinear_step(self, input: Tensor, hx: Tensor) -> Tensor:
        if self.nonlinearity == "tanh":
            return self._step(_tanh_step, input, hx)
        if self.nonlinearity == "relu":
            return self._step(_relu_step, input, hx)
        raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")


class LSTMCell(RNNCellBase):
    """One step of an LSTM: (h', c') from (x, (h, c)), gates i, f, g, o (see the module docstring)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: DType | None = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        if input.dim() not in (1, 2):
            raise ValueError(f"LSTMCell: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None:
            for idx, value in enumerate(hx):
                if value.dim() not in (1, 2):
                    raise ValueError(f"LSTMCell: Expected hx[{idx}] to be 1D or 2D, got {value.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if hx is None:
            zeros = factories.zeros(input.size(0), self.hidden_size, dtype=input.dtype)
            hx = (zeros, zeros)
        else:
            hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0)) if not is_batched else hx
        ret = self._step(_lstm_step, input, (hx[0], hx[1]))
        if not is_batched:
            ret = (ret[0].squeeze(0), ret[1].squeeze(0))
        return ret


class GRUCell(RNNCellBase):
    """One step of a GRU: h' from (x, h), gates r, z, n (see the module docstring)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: DType | None = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._one_state("GRUCell", input, hx, lambda x, h: self._step(_gru_step, x, h))
