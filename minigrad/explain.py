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
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import errors
from .autograd import engine, function
from .tensor import Tensor

SMALL = 8  # tensors with at most this many elements print their values; larger ones a summary
CONSTANT = "a constant"  # the target of an input that does not require grad


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

    def __init__(self, leaf_names: dict[int, str], check: bool) -> None:
        self.steps: list[Step] = []
        self.leaf_names = leaf_names
        self.torch = importlib.import_module("torch") if check else None

    def target(self, node: engine.Node | None) -> str:
        if node is None:
            return CONSTANT
        if isinstance(node, engine.AccumulateGrad):
            return self.leaf_names.get(id(node.variable), "a leaf")
        return node.name()

    def __call__(self, node: engine.Node, grad: np.ndarray, grads_in: tuple[np.ndarray | None, ...]) -> None:
        index = len(self.steps) + 1
        if isinstance(node, engine.AccumulateGrad):
            variable = node.variable
            name = self.leaf_names.get(id(variable), "a leaf")
            self.steps.append(Step(index, node.name(), ("leaf: .grad += grad",), [tuple(variable.shape)], grad,
                                   leaf=name, leaf_grad=variable._grad._data.copy()))
            return
        shapes = [shape for shape, _ in node.inputs]
        sent = [None if g is None else engine.to_input(g, shape, dtype)
                for g, (shape, dtype) in zip(grads_in, node.inputs)]
        ones = [None if g is None else np.ones(g.shape, g.dtype) for g in grad] if node.outputs else np.ones(
            grad.shape, grad.dtype)
        local = [None if g is None else engine.to_input(g, shape, dtype)
                 for g, (shape, dtype) in zip(node.apply(ones), node.inputs)]
        step = Step(index, node.name(), node.formulas(), shapes, grad, local, sent,
                    [self.target(n) for n in node.next_nodes])
        if self.torch is not None:
            step.torch_agrees, step.torch_note = _check_with_torch(self.torch, node, grad, sent)
        self.steps.append(step)


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


def render(steps: list[Step], title: str) -> str:
    """The steps as text, one block per node."""
    lines = [title]
    for step in steps:
        if step.leaf is not None:
            lines.append(f"[{step.index}] {step.leaf}: a leaf; .grad += {describe(step.upstream)}  "
                         f"→ {step.leaf}.grad = {describe(step.leaf_grad)}")
            continue
        shapes = ", ".join(str(s) for s in step.input_shapes)
        lines.append(f"[{step.index}] {step.node}  (inputs of shape {shapes})")
        lines.extend(f"      {formula}" for formula in step.formulas)
        lines.append(f"    upstream grad: {describe(step.upstream)}")
        for i, (local, sent, target) in enumerate(zip(step.local, step.sent, step.targets)):
            if target == CONSTANT:
                lines.append(f"    input {i}: a constant, no gradient")
            else:
                lines.append(f"    input {i}: local grad {describe(local)}, sends {describe(sent)} → {target}")
        if step.torch_agrees is not None or step.torch_note:
            mark = {True: "✓", False: "✗ DIFFERS", None: "?"}[step.torch_agrees]
            lines.append(f"    torch: {mark} {step.torch_note}")
    return "\n".join(lines)


def explain(output: Tensor, gradient: Tensor | None = None, names: Mapping[str, Tensor] | None = None,
            check: bool = False, show: bool = True, retain_graph: bool = False) -> list[Step]:
    """Run ``output.backward(gradient)``, print each step the engine takes, and return them as ``Step`` records.

    ``names`` labels leaves (``{"w": w}``); ``check=True`` replays every step in PyTorch (it must be
    installed) and marks steps that differ; ``show=False`` only returns the records.
    """
    if output.grad_fn is None:
        raise errors.backward_without_graph()
    if gradient is None and output.numel() != 1:
        raise errors.implicit_grad_not_scalar()
    dtype = output._data.dtype
    seed = np.ones(output.shape, dtype) if gradient is None else gradient._data.astype(dtype)
    recorder = _Recorder({id(t): name for name, t in (names or {}).items()}, check)
    engine.backward([(output.grad_fn, output._output_nr)], [seed], retain_graph=retain_graph, observe=recorder)
    if show:
        print(render(recorder.steps, f"backward of {output!r}, in the order the engine runs it:"))
    return recorder.steps
