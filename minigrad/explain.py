"""``minigrad.explain(output)``: run backward and show each step the engine takes, as the chain rule on paper.

For every node, in the order the engine runs it: the op, its inputs' shapes, the derivative formula stored
with the op, the gradient arriving from above (upstream), the local gradient (what each input receives
per unit of upstream gradient: the op's backward applied to ones), and the gradient it sends to each input
(upstream times local, summed back over broadcast dims). Leaves show their accumulated ``.grad``.

    w = minigrad.tensor(2.0, requires_grad=True)
    z = 2 * w**2 + 5
    minigrad.explain(z, names={"w": w})   # dz/d(w**2) = 2, d(w**2)/dw = 2w = 4, dz/dw = 8

``explain`` returns the same steps as a list of ``Step`` records. With ``check=True`` it replays each node's
op in PyTorch on the same inputs and upstream gradient, and marks any step whose gradients differ.

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import errors
from .autograd import engine, function
from .ops.conv import Convolution
from .tensor import Tensor

SMALL = 8  # tensors with at most this many elements print their values; larger ones a summary
CONSTANT = "a constant"  # the target of an input that does not require grad
PLANE = 8  # a one-channel convolution's planes are printed and worked out up to this size a side
AFTER = "after the last named state: the output and the loss"  # the groups of a backward through named states
SHARED = "used by several steps: the shared weights"
WIDTH = 110  # worked sums wrap at this many characters


@dataclass
class Product:
    """One term of a worked sum: a value of the upstream gradient times the value it multiplies."""

    grad_index: tuple[int, ...]  # where in the upstream grad's plane
    grad_value: float
    other: str  # "weight" or "input"
    other_index: tuple[int, ...]
    other_value: float


@dataclass
class WorkedSum:
    """One entry of a gradient written out as the products that make it (a learner can redo the sum)."""

    gradient: str  # "grad_input" or "grad_weight"
    index: tuple[int, ...]  # the entry, in that gradient's plane
    terms: list[Product]
    value: float  # the entry as backward computed it


@dataclass
class Step:
    """One node of the backward pass, as the engine ran it."""

    index: int
    node: str  # PyTorch's grad_fn name, e.g. "PowBackward0", or "AccumulateGrad" for a leaf
    formulas: tuple[str, ...]  # the derivative of each input, as stored with the op
    input_shapes: list[tuple[int, ...]]
    upstream: np.ndarray | list[np.ndarray | None]  # the gradient this node received (of each output, for several)
    local: list[np.ndarray | None] = field(default_factory=list)  # per input: backward of ones
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
            self.steps.append(Step(index, node.name(), ("leaf: .grad += grad",), [tuple(variable.shape)], grad,
                                   leaf=name, leaf_grad=variable._grad._data.copy(), group=group,
                                   arrivals=self.received.get((id(node), 0), [])))
            return
        shapes = [shape for shape, _ in node.inputs]
        sent = [None if g is None else engine.to_input(g, shape, dtype)
                for g, (shape, dtype) in zip(grads_in, node.inputs)]
        ones = [None if g is None else np.ones(g.shape, g.dtype) for g in grad] if node.outputs else np.ones(
            grad.shape, grad.dtype)
        local = [None if g is None else engine.to_input(g, shape, dtype)
                 for g, (shape, dtype) in zip(node.apply(ones), node.inputs)]
        params = node.ctx.replay[1] if node.ctx.replay is not None else {}
        step = Step(index, node.name(), _filled(node.formulas(), params), shapes, grad, local, sent,
                    [self.target(n) for n in node.next_nodes], group=group)
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


def _check_with_torch(torch: Any, node: engine.Node, grad: np.ndarray,
                      sent: list[np.ndarray | None]) -> tuple[bool | None, str]:
    """Replay the node's op in PyTorch on the same inputs and upstream gradient; compare what it sends back."""
    if isinstance(node, function.BackwardCFunction):
        return None, "not checked: a custom Function's backward, the same Python code in PyTorch"
    if type(node) is not engine.Node:  # CopySlices, AsStridedBackward0: no single op of PyTorch's to replay
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
    head = f"      {worked.gradient}[{_index(worked.index)}] = "
    if not worked.terms:
        return [f"{head}0 (no window reads it)"]
    equals = " " * (len(head) - 2) + "= "
    return [*_wrapped(head, [f"grad[{_index(t.grad_index)}]·{t.other}[{_index(t.other_index)}]"
                             for t in worked.terms]),
            *_wrapped(equals, [f"{_number(t.grad_value)}·{_number(t.other_value)}" for t in worked.terms]),
            f"{equals}{worked.value:.6g}"]


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
        if target == CONSTANT:
            lines.append(f"    input {i}: a constant, no gradient")
        else:
            lines.append(f"    input {i}: local grad {describe(local)}, sends {describe(sent)} → {target}")
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
