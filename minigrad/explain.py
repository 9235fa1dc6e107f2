"""``minigrad.explain(output)``: run backward and show each step the engine takes, as the chain rule on paper.

For every node, in the order the engine runs it: the op, its inputs' shapes, the derivative formula stored
with the op, the gradient arriving from above (upstream), and how each input's gradient is made from it (``Vjp``):

- an **elementwise** op (tested, not assumed: its backward must be upstream times one local derivative per entry):
  the local gradient, and what it sends, upstream × local, then summed over the dims the input was broadcast along;
- an op with **one output entry** (a loss): the local gradient is the Jacobian's one row, sends = upstream × local;
- any other op's local derivative is a Jacobian, and what it sends is the vector-Jacobian product, shown as the op
  computes it, with shapes and numbers that multiply out: matrix products (``grad_W = grad^T @ x: (1, 3) @ (3, 1)``,
  each entry as its sum of products), a bias (grad summed over the batch), sum and mean (grad copied back, / N),
  softmax (``y * (grad - sum(grad * y))``); on small tensors any other op by its Jacobian J, built a row per output
  entry, sends = grad @ J; on larger ones the op's formula and the shapes.

Leaves show their accumulated ``.grad``.

    w = minigrad.tensor(2.0, requires_grad=True)
    z = 2 * w**2 + 5
    minigrad.explain(z, names={"w": w})   # dz/d(w**2) = 2, d(w**2)/dw = 2w = 4, dz/dw = 8

``explain`` returns the same steps as a list of ``Step`` records. With ``check=True`` it replays each node's
op in PyTorch on the same inputs and upstream gradient, and marks any step whose gradients differ.

A gradient taken with ``create_graph=True`` has a graph of ordinary nodes (the recorded backward: ``MulBackward0``
and the like, reaching back into the forward graph through what the ops saved): ``explain`` on it walks the steps of
that backward's backward, a second derivative. ``explain_forward(f, inputs, tangents)`` shows forward mode instead:
each op as the tangents flow forward beside the values, with the op's JVP rule (``jvp_formulas``).

Two views go further than the chain rule's bookkeeping:

- **A convolution of one channel** (one sample, one channel in and one out, planes of at most 8 x 8): its
  formulas carry the call's stride, padding and dilation, the planes print in full (input, weight, upstream
  grad, and the two gradients), and one entry of each gradient is written out as its sum of products:
  grad_input = conv_transpose2d(grad, weight) adds grad[o] weight[k] over the windows that read the entry
  (o stride + k dilation - padding = its position), grad_weight = correlate(input, grad) adds
  grad[o] input[o stride + k dilation - padding] over every output position o.
- **Backpropagation through time**: name the hidden states too (``names={"h1": h1, "h2": h2, "h3": h3, ...}``,
  tensors that are not leaves), and the steps print grouped by the state whose step computes them: the output
  and the loss first, then each time step from the last to the first, then what several steps share (the
  weights). Before a state's node runs, the gradient arriving at it is shown piece by piece, from the output
  and from the next step (through its W_hh), and their sum: the engine adds them because the state is an
  input of both, the sum a BPTT derivation writes.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import errors
from .autograd import engine, forward_ad, function, views
from .ops.conv import Convolution
from .tensor import Tensor

SMALL = 8  # tensors with at most this many elements print their values; larger ones a summary
CONSTANT = "a constant"  # the target of an input that does not require grad
PLANE = 8  # a one-channel convolution's planes are printed and worked out up to this size a side
AFTER = "after the last named state: the output and the loss"  # the groups of a backward through named states
SHARED = "used by several steps: the shared weights"
WIDTH = 110  # worked sums wrap at this many characters
WORKED = 4  # entries of a matrix product (or of a Jacobian's product) written out, at most
TERMS = 16  # an entry is written out when its sum has at most this many terms


@dataclass
class Product:
    """One term of a worked sum: a value of the upstream gradient (or of a matrix made from it, as ``grad^T``)
    times the value it multiplies (none where ``other`` is empty: a sum of gradients)."""

    grad_index: tuple[int, ...]  # where in the upstream grad's plane
    grad_value: float
    other: str  # what it multiplies: "weight", "input", "x", "J", ...; "" for a plain sum
    other_index: tuple[int, ...]
    other_value: float
    first: str = "grad"  # the name of the first factor


@dataclass
class WorkedSum:
    """One entry of a gradient written out as the products that make it (a learner can redo the sum)."""

    gradient: str  # "grad_input" or "grad_weight"
    index: tuple[int, ...]  # the entry, in that gradient's plane
    terms: list[Product]
    value: float  # the entry as backward computed it
    factor: float = 1.0  # what the sum is multiplied by (addmm's alpha or beta)


ELEMENTWISE = "elementwise"  # out[k] depends on in[k] alone: sends = upstream × local, then summed over broadcast dims
ROW = "one output"  # the output is one number: local grad is the Jacobian's only row, sends = upstream × local
MATMUL = "matrix product"  # sends = a product of two matrices (grad @ b^T, a^T @ grad), written out
SUMMED = "summed"  # sends = grad summed over dims (a bias, beta * c)
SPREAD = "spread"  # sends = grad copied back over the reduced dims (sum; / N for mean)
SOFTMAX = "softmax"  # sends = y (grad - sum(grad y)): no Jacobian matrix is formed
JACOBIAN = "Jacobian"  # small tensors: the Jacobian built row by row (a backward per output entry), sends = grad @ J
VJP = "vector-Jacobian product"  # larger ones: the op's formula and the shapes


@dataclass
class Vjp:
    """How one input's gradient was computed from the upstream gradient, as the op computes it: for an elementwise
    op the local derivative times upstream; for the others (matrix products, reductions, softmax) the
    vector-Jacobian product itself, with its operands' shapes and values, so the numbers multiply out."""

    kind: str  # one of the constants above
    text: str = ""  # the product as a formula with its shapes, e.g. "grad_W = grad^T @ x: (1, 3) @ (3, 1) → (1, 1)"
    operands: dict[str, np.ndarray] = field(default_factory=dict)  # the values it combines, by the formula's names
    product: np.ndarray | None = None  # elementwise, broadcast input: upstream × local, before summing
    summed: tuple[int, ...] = ()  # the dims of ``product`` summed away to reach the input's shape
    worked: list[WorkedSum] = field(default_factory=list)  # entries written out as sums of products
    lines: list[str] = field(default_factory=list)  # further worked lines (softmax, mean)


Vjps = list[Vjp | None]  # one per input (None: no gradient)
Arrays = list[np.ndarray | None]  # one per input (None: no gradient)


@dataclass
class Step:
    """One node of the backward pass, as the engine ran it."""

    index: int
    node: str  # PyTorch's grad_fn name, e.g. "PowBackward0", or "AccumulateGrad" for a leaf
    formulas: tuple[str, ...]  # the derivative of each input, as stored with the op
    input_shapes: list[tuple[int, ...]]
    upstream: np.ndarray | list[np.ndarray | None]  # the gradient this node received (of each output, for several)
    local: list[np.ndarray | None] = field(default_factory=list)  # per input: ∂out/∂in where it is elementwise
    # (per output entry: backward of ones, before broadcast dims are summed) or a row (one output); else None
    sent: list[np.ndarray | None] = field(default_factory=list)  # per input: the gradient passed on
    targets: list[str] = field(default_factory=list)  # per input: where that gradient goes
    leaf: str | None = None  # for a leaf: its name
    leaf_grad: np.ndarray | None = None  # for a leaf: .grad after this step
    torch_agrees: bool | None = None  # with check=True: whether PyTorch sends the same gradients
    torch_note: str = ""  # why a step could not be checked, or how it differs
    group: str = ""  # with named states: the step of time this node belongs to (a state's name, AFTER or SHARED)
    state: str | None = None  # the name of the state this node computes, if one was named
    arrivals: list[tuple[str, int, np.ndarray]] = field(default_factory=list)  # per sender: (from, its index, grad)
    planes: dict[str, np.ndarray] = field(default_factory=dict)  # a one-channel convolution's planes, by name
    worked: list[WorkedSum] = field(default_factory=list)  # entries of its gradients, written out
    vjps: Vjps = field(default_factory=list)  # per input: how its gradient was computed


def describe(values: np.ndarray | None) -> str:
    """Small arrays as their values; larger ones as shape and summary statistics."""
    if values is None:
        return "none (no gradient needed)"
    if isinstance(values, list):  # one per output of a node with several
        return "; ".join(f"output {i}: {describe(v)}" for i, v in enumerate(values))
    values = np.asarray(values)
    if values.size <= SMALL:
        flat = values.reshape(-1) if values.ndim > 1 else values  # one line: printed after a label
        text = np.array2string(flat, precision=4, separator=", ", suppress_small=True, max_line_width=10**6)
        if values.ndim > 1:
            text += f" (shape {tuple(values.shape)})"
        return text if values.ndim else text.rstrip(".") + ("." if float(values).is_integer() else "")
    as_float = values.astype(np.float64)
    return (f"shape {tuple(values.shape)}, mean {as_float.mean():.4g}, min {as_float.min():.4g}, "
            f"max {as_float.max():.4g}")


class _Recorder:
    """The observer the engine calls at each node; turns what it sees into ``Step`` records."""

    def __init__(self, leaf_names: dict[int, str], check: bool, states: dict[tuple[int, int], str],
                 groups: dict[int, str]) -> None:
        self.steps: list[Step] = []
        self.leaf_names = leaf_names
        self.torch = importlib.import_module("torch") if check else None
        self.states = states  # (id of node, output) -> name of a named state that is not a leaf
        self.groups = groups  # id of node -> its group (see ``_groups``)
        self.received: dict[tuple[int, int], list[tuple[str, int, np.ndarray]]] = {}  # what each state got, so far

    def target(self, node: engine.Node | None) -> str:
        if node is None:
            return CONSTANT
        if isinstance(node, engine.AccumulateGrad):
            return self.leaf_names.get(id(node.variable), "a leaf")
        return node.name()

    def tracked(self, node: engine.Node, output: int) -> bool:
        """Whether to show what reaches this node piece by piece: a named state's, or with states a named leaf's."""
        if isinstance(node, engine.AccumulateGrad):
            return bool(self.states) and id(node.variable) in self.leaf_names
        return (id(node), output) in self.states

    def __call__(self, node: engine.Node, grad: np.ndarray, grads_in: tuple[np.ndarray | None, ...]) -> None:
        index = len(self.steps) + 1
        group = self.groups.get(id(node), "")
        if isinstance(node, engine.AccumulateGrad):
            variable = node.variable
            name = self.leaf_names.get(id(variable), "a leaf")
            self.steps.append(Step(index, type(node).__name__, ("leaf: .grad += grad",), [tuple(variable.shape)], grad,
                                   leaf=name, leaf_grad=variable._grad._data.copy(), group=group,
                                   arrivals=self.received.get((id(node), 0), [])))
            return
        shapes = [shape for shape, _ in node.inputs]
        sent = [None if g is None else engine.to_input(g, shape, dtype)
                for g, (shape, dtype) in zip(grads_in, node.inputs)]
        local, vjps = _vjps(node, grad, grads_in, sent)
        params = node.ctx.replay[1] if node.ctx.replay is not None else {}
        step = Step(index, node.name(), _filled(node.formulas(), params), shapes, grad, local, sent,
                    [self.target(n) for n in node.next_nodes], group=group, vjps=vjps)
        step.state = next((name for (at, _), name in self.states.items() if at == id(node)), None)
        step.arrivals = [arrival for output in range(max(1, len(node.outputs)))
                         for arrival in self.received.get((id(node), output), [])]
        for edge, g in zip(node.next_edges, sent):
            if edge is not None and g is not None and self.tracked(edge[0], edge[1]):
                self.received.setdefault((id(edge[0]), edge[1]), []).append((group, index, g))
        if self.torch is not None:
            step.torch_agrees, step.torch_note = _check_with_torch(self.torch, node, grad, sent)
        if isinstance(node.op, type) and issubclass(node.op, Convolution) and node.ctx.replay is not None:
            step.planes, step.worked = _convolution_worked(node.ctx.replay, grad, sent)
        self.steps.append(step)


def _shown(value: Any) -> str:
    """A parameter as a call writes it: padding given as (before, after) pairs that are equal as one number each."""
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) and len(set(v)) == 1 for v in value):
        value = tuple(v[0] for v in value)
    return str(value)


def _filled(formulas: tuple[str, ...], params: Mapping[str, Any]) -> tuple[str, ...]:
    """The op's formulas with ``{name}`` replaced by the value of the call's parameter ``name`` (where it has one)."""
    def fill(match: re.Match[str]) -> str:
        return _shown(params[match[1]]) if match[1] in params else match[0]

    return tuple(re.sub(r"\{(\w+)\}", fill, formula) for formula in formulas)


def _convolution_worked(replay: tuple[list[np.ndarray], dict[str, Any]], grad: np.ndarray,
                        sent: list[np.ndarray | None]) -> tuple[dict[str, np.ndarray], list[WorkedSum]]:
    """A one-channel convolution's planes, and one entry of each gradient as its sum of products (nothing for
    several samples or channels, groups, or planes larger than PLANE a side)."""
    (x, weight, *_), params = replay
    if x.shape[:2] != (1, 1) or weight.shape[:2] != (1, 1) or max(x.shape[2:] + grad.shape[2:]) > PLANE:
        return {}, []
    x, weight, g = x[0, 0], weight[0, 0], grad[0, 0]
    stride, dilation = params["stride"], params["dilation"]
    before = tuple(pair[0] for pair in params["padding"])

    def read(o: tuple[int, ...], k: tuple[int, ...]) -> tuple[int, ...]:  # the input position tap k reads at output o
        return tuple(o[d] * stride[d] + k[d] * dilation[d] - before[d] for d in range(len(o)))

    pairs = [(o, k, read(o, k)) for o in np.ndindex(g.shape) for k in np.ndindex(weight.shape)]
    inside = [(o, k, p) for o, k, p in pairs if all(0 <= p[d] < x.shape[d] for d in range(len(p)))]
    planes = {"input": x, "weight": weight, "grad": g}
    worked = []
    if sent[0] is not None:
        planes["grad_input"] = sent[0][0, 0]
        reach = {p: [(o, k) for o, k, q in inside if q == p] for p in np.ndindex(x.shape)}
        p = max(reach, key=lambda q: len(reach[q]))  # the first entry with the most terms: a whole kernel, flipped
        terms = [Product(o, float(g[o]), "weight", k, float(weight[k])) for o, k in reach[p]]
        worked.append(WorkedSum("grad_input", p, terms, float(sent[0][0, 0][p])))
    if len(sent) > 1 and sent[1] is not None:
        planes["grad_weight"] = sent[1][0, 0]
        k = (0,) * weight.ndim  # the first tap
        terms = [Product(o, float(g[o]), "input", p, float(x[p])) for o, tap, p in inside if tap == k]
        worked.append(WorkedSum("grad_weight", k, terms, float(sent[1][0, 0][k])))
    return planes, worked




def _vjps(node: engine.Node, grad: Any, grads_in: tuple[np.ndarray | None, ...],
          sent: Arrays) -> tuple[Arrays, Vjps]:
    """Per input: its local derivative, where there is one to show, and how its gradient was computed (see ``Vjp``).

    Elementwise is tested, not assumed: the op's backward applied to ones gives the local derivative of each output
    entry, and applied to a random gradient it must give that gradient times it. One output entry in all: the
    local derivative is the Jacobian's one row. Matrix products, sum and mean, softmax and log_softmax are shown
    as the op computes them; any other op, on small tensors, by its Jacobian, built one row per output entry."""
    count = len(node.inputs)
    if node.outputs:  # several outputs: each input's gradient gathers all of theirs
        text = f"the op's formulas above, from the gradients of its {len(node.outputs)} outputs"
        return [None] * count, [None if g is None else Vjp(VJP, text) for g in sent]
    special = _special(node, grad, sent)
    if special is not None:
        return [None] * count, special
    ones = node.apply(np.ones(grad.shape, grad.dtype))
    probe = np.random.default_rng(0).uniform(0.5, 1.5, grad.shape).astype(grad.dtype)
    probed = node.apply(probe) if grad.size > 1 else ()
    rows: list[tuple[np.ndarray | None, ...]] = []  # the backward of each unit gradient, computed once if needed
    local: Arrays = [None] * count
    vjps: Vjps = [None] * count
    for i, (raw, one, (shape, dtype)) in enumerate(zip(grads_in, ones, node.inputs)):
        if raw is None or sent[i] is None or one is None:
            continue
        if grad.size == 1 and _close(sent[i], grad.reshape(()) * engine.to_input(one, shape, dtype)):
            local[i], vjps[i] = engine.to_input(one, shape, dtype), Vjp(ROW)
        elif (grad.size > 1 and one.shape == raw.shape == grad.shape and _close(raw, grad * one)
              and _close(probed[i], probe * one)):
            local[i] = one
            vjps[i] = Vjp(ELEMENTWISE) if one.shape == shape else Vjp(ELEMENTWISE, product=raw,
                                                                     summed=_summed_dims(grad.shape, shape))
        elif grad.size <= SMALL and int(np.prod(shape)) <= SMALL:
            if not rows:
                rows = [node.apply(unit.reshape(grad.shape)) for unit in np.eye(grad.size, dtype=grad.dtype)]
            vjps[i] = _jacobian(grad, [engine.to_input(row[i], shape, dtype) for row in rows], sent[i])
        else:
            vjps[i] = Vjp(VJP, f"not elementwise: the op's formula above, upstream {tuple(grad.shape)} → "
                               f"{tuple(shape)}")
    return local, vjps


def _close(ours: np.ndarray, theirs: np.ndarray) -> bool:
    return ours.shape == np.shape(theirs) and bool(np.allclose(ours, theirs, rtol=1e-5, atol=1e-7, equal_nan=True))


def _summed_dims(out: tuple[int, ...], shape: tuple[int, ...]) -> tuple[int, ...]:
    """The dims of an output of shape ``out`` summed away to bring its gradient to an input of ``shape``."""
    lead = len(out) - len(shape)
    return (*range(lead), *(lead + d for d, size in enumerate(shape) if size == 1 and out[lead + d] != 1))


def _jacobian(grad: np.ndarray, rows: list[np.ndarray], sent: np.ndarray) -> Vjp:
    """The Jacobian J[k, j] = ∂out[k]/∂in[j] (row k: the backward of the k-th unit gradient), sends = grad @ J."""
    jacobian = np.stack([row.reshape(-1) for row in rows]) if rows else np.zeros((0, sent.size), sent.dtype)
    flat = grad.reshape(-1)
    worked = [WorkedSum("sends", tuple(int(i) for i in np.unravel_index(j, sent.shape)),
                        [Product(tuple(int(i) for i in np.unravel_index(k, grad.shape)), float(flat[k]), "J", (k, j),
                                 float(jacobian[k, j])) for k in range(flat.size) if jacobian[k, j] != 0],
                        float(sent.reshape(-1)[j]))
              for j in range(min(sent.size, WORKED // 2))]
    text = (f"not elementwise: the Jacobian J (rows: the output's {flat.size} entries, columns: the input's "
            f"{sent.size}), a row per output entry; sends = grad @ J (the terms where J is 0 left out)")
    return Vjp(JACOBIAN, text, {"J": jacobian}, worked=worked)


def _special(node: engine.Node, grad: np.ndarray, sent: Arrays) -> Vjps | None:
    """The vector-Jacobian products of matrix products, sum and mean, softmax and log_softmax, as computed."""
    name = node.op.__name__ if isinstance(node.op, type) else ""
    if node.ctx.replay is None or name not in _SPECIAL:
        return None
    arrays, params = node.ctx.replay
    return _SPECIAL[name](arrays, params, grad, sent)


def _product(label: str, left: tuple[str, np.ndarray], right: tuple[str, np.ndarray], sent: np.ndarray | None,
             factor: float = 1.0) -> Vjp | None:
    """``label = factor · L @ R`` for matrices L and R, its first entries written out as sums of products."""
    if sent is None:
        return None
    (lname, lhs), (rname, rhs) = left, right
    scale = "" if factor == 1 else f"{_number(factor)} · "
    text = f"{label} = {scale}{lname} @ {rname}: {tuple(lhs.shape)} @ {tuple(rhs.shape)} → {tuple(sent.shape)}"
    worked = [] if lhs.shape[1] > TERMS else [
        WorkedSum(label, (i, j), [Product((i, k), float(lhs[i, k]), rname, (k, j), float(rhs[k, j]), lname)
                                  for k in range(lhs.shape[1])], float(sent[i, j]), factor)
        for i, j in list(np.ndindex(sent.shape))[:WORKED]]
    return Vjp(MATMUL, text, {lname: lhs, rname: rhs}, worked=worked)


def _summed(label: str, grad: np.ndarray, sent: np.ndarray | None, factor: float = 1.0) -> Vjp | None:
    """``label = factor · grad`` summed over the dims its input was broadcast along (a bias)."""
    if sent is None:
        return None
    dims = _summed_dims(grad.shape, sent.shape)
    scale = "" if factor == 1 else f"{_number(factor)} · "
    text = f"{label} = {scale}grad summed over dims {dims}: {tuple(grad.shape)} → {tuple(sent.shape)}"
    lead = grad.ndim - sent.ndim
    worked = []
    for index in list(np.ndindex(sent.shape))[:WORKED]:
        reach = [o for o in np.ndindex(grad.shape)
                 if all(a == (0 if size == 1 else b) for a, b, size in zip(index, o[lead:], sent.shape))]
        if len(reach) <= TERMS:
            worked.append(WorkedSum(label, index, [Product(o, float(grad[o]), "", (), 0.0) for o in reach],
                                    float(sent[index]), factor))
    return Vjp(SUMMED, text, worked=worked)


def _matmul(arrays: list[np.ndarray], params: dict[str, Any], grad: np.ndarray, sent: Arrays) -> Vjps | None:
    a, b = arrays
    if a.ndim != 2 or b.ndim != 2:
        return None
    return [_product("grad_a", ("grad", grad), ("b^T", b.T), sent[0]),
            _product("grad_b", ("a^T", a.T), ("grad", grad), sent[1])]


def _linear(arrays: list[np.ndarray], params: dict[str, Any], grad: np.ndarray, sent: Arrays) -> Vjps | None:
    x, weight_t = arrays[:2]
    if x.ndim != 2:
        return None
    return [_product("grad_x", ("grad", grad), ("W", weight_t.T), sent[0]),  # (W^T's node sends grad_W on to W)
            _product("grad_W", ("grad^T", grad.T), ("x", x), None if sent[1] is None else sent[1].T),
            *(_summed("grad_b", grad, g) for g in sent[2:])]


def _addmm(arrays: list[np.ndarray], params: dict[str, Any], grad: np.ndarray, sent: Arrays) -> Vjps:
    _, a, b = arrays
    alpha, beta = params.get("alpha", 1), params.get("beta", 1)
    return [_summed("grad_c", grad, sent[0], beta), _product("grad_a", ("grad", grad), ("b^T", b.T), sent[1], alpha),
            _product("grad_b", ("a^T", a.T), ("grad", grad), sent[2], alpha)]


def _spread(mean: bool) -> Any:
    def spread(arrays: list[np.ndarray], params: dict[str, Any], grad: np.ndarray, sent: Arrays) -> Vjps:
        """sum: grad copied back along the reduced dims; mean: and divided by N, the count of each mean."""
        (x,), dim = arrays, params.get("dim")
        if sent[0] is None:
            return [None]
        axes = tuple(range(x.ndim)) if dim is None else tuple(int(d) % x.ndim for d in np.atleast_1d(dim))
        count = int(np.prod([x.shape[d] for d in axes]))
        kept = grad.ndim == x.ndim  # keepdim: the reduced dims are there, of size 1
        divide = f", divided by N = {count}" if mean else ""
        text = f"grad of shape {tuple(grad.shape)} copied back along dims {axes} to {tuple(x.shape)}{divide}"
        lines = []
        for index in list(np.ndindex(x.shape))[:2]:
            at = tuple(0 if d in axes else i for d, i in enumerate(index) if kept or d not in axes)
            source, value = _at("grad", at), _number(float(grad[at]))
            worked = f"{source} / {count} = {value} / {count} = {float(sent[0][index]):.6g}" if mean else \
                f"{source} = {value}"
            lines.append(f"      {_at('sends', index)} = {worked}")
        return [Vjp(SPREAD, text, {"grad": grad}, lines=lines)]

    return spread


def _softmax(log: bool) -> Any:
    def vjp(arrays: list[np.ndarray], params: dict[str, Any], grad: np.ndarray, sent: Arrays) -> Vjps:
        """softmax: y (grad - s), s = sum(grad y); log_softmax: grad - exp(y) S, S = sum(grad): no matrix formed."""
        (x,), dim = arrays, params["dim"]
        if sent[0] is None or not x.size:
            return [None]
        shifted = np.exp(x - x.max(axis=dim, keepdims=True))
        p = shifted / shifted.sum(axis=dim, keepdims=True)
        index = (0,) * x.ndim
        at = tuple(0 if d == dim % x.ndim else i for d, i in enumerate(index))
        value = float(sent[0][index])
        if log:
            total = grad.sum(axis=dim, keepdims=True)
            text = f"sends = grad - exp(y) * S, S = sum(grad, dim={dim}): {tuple(x.shape)}"
            operands = {"exp(y)": p, "grad": grad, "S": total}
            line = (f"{_at('sends', index)} = {_at('grad', index)} - {_at('exp(y)', index)}·{_at('S', at)} = "
                    f"{_number(grad[index])} - {_number(p[index])}·{_number(total[at])} = {value:.6g}")
        else:
            total = (grad * p).sum(axis=dim, keepdims=True)
            text = f"sends = y * (grad - s), s = sum(grad * y, dim={dim}): {tuple(x.shape)}"
            operands = {"y": p, "grad": grad, "s": total}
            line = (f"{_at('sends', index)} = {_at('y', index)}·({_at('grad', index)} - {_at('s', at)}) = "
                    f"{_number(p[index])}·({_number(grad[index])} - {_number(total[at])}) = {value:.6g}")
        return [Vjp(SOFTMAX, text, operands, lines=[f"      {line}"])]

    return vjp


_SPECIAL = {"Matmul": _matmul, "Mm": _matmul, "Linear": _linear, "Addmm": _addmm, "Sum": _spread(False),
            "Mean": _spread(True), "Softmax": _softmax(False), "LogSoftmax": _softmax(True)}


def _check_with_torch(torch: Any, node: engine.Node, grad: np.ndarray,
                      sent: list[np.ndarray | None]) -> tuple[bool | None, str]:
    """Replay the node's op in PyTorch on the same inputs and upstream gradient; compare what it sends back."""
    if isinstance(node, function.BackwardCFunction):
        return None, "not checked: a custom Function's backward, the same Python code in PyTorch"
    if isinstance(node, (views.CopySlices, views.AsStridedBackward)):  # no single op of PyTorch's to replay
        return None, "not checked: an in-place write into a view, which PyTorch records the same way"
    if node.ctx.replay is None:
        return None, "not checked: the forward inputs were not kept"
    arrays, params = node.ctx.replay
    fn: Any = torch
    for part in node.op.torch.split(".")[1:]:
        fn = getattr(fn, part)
    def to_torch(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            return torch.tensor(value)
        return type(value)(to_torch(v) for v in value) if isinstance(value, (tuple, list)) else value

    try:
        inputs = [torch.tensor(a, requires_grad=g is not None) for a, g in zip(arrays, sent)]
        given = {k: to_torch(v) for k, v in params.items() if v is not None}  # torch spells "not given" by omission
        args, kwargs = node.op.torch_arguments(inputs, given)
        out = fn(*args, **kwargs)
        outs = list(out[:len(node.outputs)]) if node.outputs else [out[0] if isinstance(out, tuple) else out]
        grads = grad if node.outputs else [grad]
        reached = [(o, torch.tensor(g)) for o, g in zip(outs, grads) if g is not None]
        wanted = [t for t in inputs if t.requires_grad]
        theirs = iter(torch.autograd.grad([o for o, _ in reached], wanted, [g for _, g in reached], allow_unused=True))
    except Exception as error:  # an op whose arguments do not map onto torch's call one to one
        return None, f"not checked: {type(error).__name__} replaying {node.op.torch}"
    for i, ours in enumerate(sent):
        if ours is None:
            continue
        reference = next(theirs)
        reference = np.zeros_like(ours) if reference is None else reference.numpy()
        if not np.allclose(ours, reference, rtol=2e-6, atol=1e-6, equal_nan=True):
            gap = float(np.max(np.abs(ours.astype(np.float64) - reference)))
            return False, f"differs from PyTorch for input {i} by up to {gap:.3g}"
    return True, "PyTorch sends the same gradients"


def _number(value: float) -> str:
    text = f"{value:.4g}"
    return f"({text})" if text.startswith("-") else text


def _index(index: tuple[int, ...]) -> str:
    return ", ".join(str(i) for i in index)


def _at(name: str, index: tuple[int, ...]) -> str:
    """``name[i, j]``, or ``name`` alone for a 0-d tensor's one entry."""
    return f"{name}[{_index(index)}]" if len(index) else name


def _wrapped(head: str, pieces: list[str]) -> list[str]:
    """``head`` then the pieces joined by " + ", broken between pieces at WIDTH, continued under the first."""
    lines, line = [], head
    for i, piece in enumerate(pieces):
        joined = piece if i == 0 else f" + {piece}"
        if i and len(line) + len(joined) > WIDTH:
            lines.append(line)
            line = " " * (len(head) - 2) + "+ " + piece
        else:
            line += joined
    return [*lines, line]


def _worked_lines(worked: WorkedSum) -> list[str]:
    """``grad_input[1, 1] = grad[0, 0]·weight[2, 2] + ...``, then the same with numbers, then the total."""
    head = f"      {_at(worked.gradient, worked.index)} = "
    if not worked.terms:
        return [f"{head}0 (no term reaches it)"]
    equals = " " * (len(head) - 2) + "= "

    def term(t: Product, first: str, other: str) -> str:
        return f"{first}·{other}" if t.other else first

    scale, close = ("", "") if worked.factor == 1 else (f"{_number(worked.factor)}·(", ")")
    names = [term(t, _at(t.first, t.grad_index), _at(t.other, t.other_index)) for t in worked.terms]
    numbers = [term(t, _number(t.grad_value), _number(t.other_value)) for t in worked.terms]
    names[0], numbers[0] = scale + names[0], scale + numbers[0]
    names[-1], numbers[-1] = names[-1] + close, numbers[-1] + close
    return [*_wrapped(head, names), *_wrapped(equals, numbers), f"{equals}{worked.value:.6g}"]


def _plane_lines(planes: dict[str, np.ndarray]) -> list[str]:
    lines = ["    the planes (one sample, one channel in and one out):"]
    for name, plane in planes.items():
        text = np.array2string(plane, precision=4, separator=", ", suppress_small=True, max_line_width=WIDTH)
        lines.append(f"      {name}:")
        lines.extend(f"        {row}" for row in text.splitlines())
    return lines


def _from(group: str) -> str:
    """Where a gradient arriving at a named state was sent from, by the group of the node that sent it."""
    return {AFTER: "from the output", SHARED: "from a shared node"}.get(group, f"from the step that computes {group}")


def _arrival_lines(name: str, step: Step) -> list[str]:
    """The gradients arriving at a named state or leaf, each from where it was sent, and their sum."""
    return [f"    gradient arriving at {name}:",
            *(f"      {_from(group)} ([{index}]): {describe(grad)}" for group, index, grad in step.arrivals),
            f"      sum: {describe(step.upstream)}"]


def _operand_lines(name: str, value: np.ndarray) -> list[str]:
    """A matrix of at most SMALL x SMALL entries in full (a row per line), anything else as ``describe`` shows it."""
    if value.size > SMALL * SMALL or value.ndim != 2:
        return [f"      {name} = {describe(value)}"]
    text = np.array2string(value, precision=4, separator=", ", suppress_small=True, max_line_width=WIDTH)
    rows = text.splitlines()
    pad = " " * (len(name) + 3)
    return [f"      {name} = {rows[0]}", *(f"      {pad}{row}" for row in rows[1:])]


def _input_lines(i: int, local: np.ndarray | None, sent: np.ndarray | None, target: str,
                 vjp: Vjp | None) -> list[str]:
    """What input ``i`` receives and how: upstream × local where the op is elementwise (or has one output entry),
    else the vector-Jacobian product as computed, with its operands and entries written out."""
    if vjp is None:
        return [f"    input {i}: sends {describe(sent)} → {target}"]
    if vjp.kind == ROW:
        return [f"    input {i}: local grad {describe(local)} (one output entry: the Jacobian's one row), "
                f"sends upstream × local = {describe(sent)} → {target}"]
    if vjp.kind == ELEMENTWISE and vjp.product is None:
        return [f"    input {i}: local grad {describe(local)}, sends upstream × local = {describe(sent)} → {target}"]
    if vjp.kind == ELEMENTWISE:
        return [f"    input {i}: local grad {describe(local)} (elementwise, one per output entry)",
                f"      upstream × local = {describe(vjp.product)}",
                f"      summed over dims {vjp.summed} (input {i} was broadcast): sends {describe(sent)} → {target}"]
    lines = [f"    input {i} → {target}: {vjp.text}"]
    for name, value in vjp.operands.items():
        lines.extend(_operand_lines(name, value))
    for worked in vjp.worked:
        lines.extend(_worked_lines(worked))
    return [*lines, *vjp.lines, f"      sends {describe(sent)} → {target}"]


def _step_lines(step: Step) -> list[str]:
    if step.leaf is not None:
        return [*(_arrival_lines(step.leaf, step) if step.arrivals else []),
                f"[{step.index}] {step.leaf}: a leaf; .grad += {describe(step.upstream)}  "
                f"→ {step.leaf}.grad = {describe(step.leaf_grad)}"]
    lines = _arrival_lines(step.state, step) if step.state is not None else []
    shapes = ", ".join(str(s) for s in step.input_shapes)
    computes = f" computes {step.state}" if step.state is not None else ""
    lines.append(f"[{step.index}] {step.node}{computes}  (inputs of shape {shapes})")
    lines.extend(f"      {formula}" for formula in step.formulas)
    lines.append(f"    upstream grad: {describe(step.upstream)}")
    for i, (local, sent, target) in enumerate(zip(step.local, step.sent, step.targets)):
        vjp = step.vjps[i] if i < len(step.vjps) else None
        if target == CONSTANT:
            lines.append(f"    input {i}: a constant, no gradient")
        else:
            lines.extend(_input_lines(i, local, sent, target, vjp))
    if step.planes:
        lines.extend(_plane_lines(step.planes))
        lines.append("    worked out (grad is the upstream grad; a product per window that reads the entry):")
        for worked in step.worked:
            lines.extend(_worked_lines(worked))
    if step.torch_agrees is not None or step.torch_note:
        mark = {True: "✓", False: "✗ DIFFERS", None: "?"}[step.torch_agrees]
        lines.append(f"    torch: {mark} {step.torch_note}")
    return lines


def render(steps: list[Step], title: str, states: Sequence[str] = ()) -> str:
    """The steps as text, one block per node; with named ``states`` (in forward order), grouped by the state whose
    step computes them: the output and the loss, each state's step from the last to the first, what they share."""
    lines = [title]
    order = [AFTER, *reversed(states), SHARED] if states else [""]
    for group in order:
        members = [step for step in steps if step.group == group]
        if states and members:
            lines.append(f"── {group if group in (AFTER, SHARED) else f'the step that computes {group}'} ──")
        for step in members:
            lines.extend(_step_lines(step))
    return "\n".join(lines)


def _groups(states: list[engine.Node], names: list[str]) -> dict[int, str]:
    """Each node's group: the name of the one state whose step reaches it (walking from that state's node towards
    the leaves, stopping at the other states' nodes), SHARED if several do, AFTER (the output, the loss) if none."""
    owners: dict[int, set[str]] = {}
    stops = {id(node) for node in states}
    for start, name in zip(states, names):
        stack, seen = [start], {id(start)}
        while stack:
            node = stack.pop()
            owners.setdefault(id(node), set()).add(name)
            for nxt in node.next_nodes:
                if nxt is not None and id(nxt) not in seen and id(nxt) not in stops:
                    seen.add(id(nxt))
                    stack.append(nxt)
    return {node: next(iter(owner)) if len(owner) == 1 else SHARED for node, owner in owners.items()}


def _all_nodes(root: engine.Node) -> list[engine.Node]:
    found, stack = {id(root): root}, [root]
    while stack:
        for nxt in stack.pop().next_nodes:
            if nxt is not None and id(nxt) not in found:
                found[id(nxt)] = nxt
                stack.append(nxt)
    return list(found.values())


def explain(output: Tensor, gradient: Tensor | None = None, names: Mapping[str, Tensor] | None = None,
            check: bool = False, show: bool = True, retain_graph: bool = False) -> list[Step]:
    """Run ``output.backward(gradient)``, print each step the engine takes, and return them as ``Step`` records.

    ``names`` labels leaves (``{"w": w}``) and states, tensors that are not leaves (``{"h1": h1}``: the steps
    are then grouped by state, see the module docstring); ``check=True`` replays every step in PyTorch (it must
    be installed) and marks steps that differ; ``show=False`` only returns the records.
    """
    if output.grad_fn is None:
        raise errors.backward_without_graph()
    if gradient is None and output.numel() != 1:
        raise errors.implicit_grad_not_scalar()
    dtype = output._data.dtype
    seed = np.ones(output.shape, dtype) if gradient is None else gradient._data.astype(dtype)
    named = sorted(((t.grad_fn.sequence, name, t) for name, t in (names or {}).items() if t.grad_fn is not None),
                   key=lambda entry: entry[0])
    groups: dict[int, str] = {}
    if named:
        groups = {id(node): AFTER for node in _all_nodes(output.grad_fn)}
        groups.update(_groups([t.grad_fn for _, _, t in named], [name for _, name, _ in named]))
    states = {(id(t.grad_fn), t._output_nr): name for _, name, t in named}
    recorder = _Recorder({id(t): name for name, t in (names or {}).items()}, check, states, groups)
    engine.backward([(output.grad_fn, output._output_nr)], [seed], retain_graph=retain_graph, observe=recorder)
    if show:
        title = f"backward of {output!r}, in the order the engine runs it"
        title += ", grouped by the step that computes each named state:" if named else ":"
        print(render(recorder.steps, title, [name for _, name, _ in named]))
    return recorder.steps


@dataclass
class ForwardStep:
    """One op of a forward-mode pass: the values and tangents (directional derivatives) going in and coming out."""

    index: int
    op: str  # the registry op's PyTorch name, e.g. "torch.mul"
    formulas: tuple[str, ...]  # its JVP rule as a reader writes it, or how the tangent was found without one
    inputs: list[tuple[str, np.ndarray, np.ndarray | None]]  # (label, value, tangent or None: a constant)
    output: str  # the label given to its output, t1, t2, ...
    value: np.ndarray
    tangent: np.ndarray | None


TRANSPOSED = "no JVP rule: J v found from the op's backward, J v = d<J^T u, v>/du (one double backward)"


def explain_forward(fn: Callable[..., Tensor], inputs: Sequence[Tensor], tangents: Sequence[Tensor],
                    names: Sequence[str] | None = None, show: bool = True) -> tuple[Tensor, Tensor | None,
                                                                                       list[ForwardStep]]:
    """Forward mode: run ``fn(*inputs)`` with each input carrying its tangent (``forward_ad.make_dual``), print each op
    as the tangents flow forward beside the values (its JVP formula, what goes in, what comes out), and return the
    output, its tangent J v, and the steps as ``ForwardStep`` records. ``names`` labels the inputs (x0, x1, ...)."""
    labels = list(names or (f"x{i}" for i in range(len(inputs))))
    steps: list[ForwardStep] = []
    known: dict[int, str] = {}  # id of an array -> its label
    propagate = forward_ad.propagate

    def observed(op: Any, ctx: engine.Context, given: tuple[Any, ...], arrays: list[np.ndarray],
                 params: dict[str, Any], result: Any) -> None:
        propagate(op, ctx, given, arrays, params, result)
        output = result[0] if isinstance(result, tuple) else result
        tangent = forward_ad.tangent_of(output)
        if tangent is None:  # no input carried a tangent: a constant computation
            return
        seen = []
        for x, array in zip(given, arrays):
            t = forward_ad.tangent_of(x) if isinstance(x, Tensor) else None
            label = known.get(id(x._data), "a constant") if isinstance(x, Tensor) else "a constant"
            seen.append((label, array, None if t is None else t._data))
        label = f"t{len(steps) + 1}"
        known[id(output._data)] = label
        steps.append(ForwardStep(len(steps) + 1, op.torch, tuple(op.jvp_formulas) or (TRANSPOSED,), seen, label,
                                 output._data, tangent._data))

    with forward_ad.dual_level():
        duals = [forward_ad.make_dual(x, t) for x, t in zip(inputs, tangents)]
        known.update((id(d._data), label) for d, label in zip(duals, labels))
        forward_ad.propagate = observed
        try:
            out = fn(*duals)
        finally:
            forward_ad.propagate = propagate
        primal, tangent = forward_ad.unpack_dual(out)
        primal, tangent = primal.detach(), None if tangent is None else tangent.detach()
    if show:
        print(render_forward(steps, labels, inputs, tangents, out=(primal, tangent)))
    return primal, tangent, steps


def render_forward(steps: list[ForwardStep], labels: Sequence[str], inputs: Sequence[Tensor],
                   tangents: Sequence[Tensor], out: tuple[Tensor, Tensor | None]) -> str:
    """The forward-mode steps as text: the seeds, then each op with its JVP rule, then the output's tangent J v."""
    lines = ["forward mode: each value carries its tangent (its derivative along the seed direction), op by op:"]
    lines.extend(f"  {label} = {describe(x._data)},  tangent d{label} = {describe(t._data)}"
                 for label, x, t in zip(labels, inputs, tangents))
    for step in steps:
        lines.append(f"[{step.index}] {step.output} = {step.op}({', '.join(label for label, _, _ in step.inputs)})")
        lines.extend(f"      {formula}" for formula in step.formulas)
        for label, value, tangent in step.inputs:
            if tangent is None:
                lines.append(f"    {label}: {describe(value)}, no tangent (a constant)")
            elif label != "a constant":
                lines.append(f"    {label} = {describe(value)}, d{label} = {describe(tangent)}")
        lines.append(f"    → {step.output} = {describe(step.value)}, d{step.output} = {describe(step.tangent)}")
    primal, tangent = out
    lines.append(f"output {describe(primal._data)}, its tangent J v = "
                 f"{describe(None if tangent is None else tangent._data)}")
    return "\n".join(lines)
