"""The reverse-mode engine: graph nodes and the backward pass.

Each op application that needs a gradient records a ``Node`` (PyTorch's ``grad_fn``): the op, a
``Context`` with what the op saved for backward, and one edge per input pointing at the node that made
that input. Leaves that require grad end in an ``AccumulateGrad`` node, which adds into ``.grad``.

``backward`` runs the nodes in PyTorch's order: a node runs once every node that feeds it a gradient
has run; among ready nodes the most recently created goes first. The walk is iterative, so a graph of
any depth works. This engine works on numpy arrays and calls only kernels; it never sees a ``Tensor``.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

from .. import errors
from .. import kernels as K
from . import anomaly, graph, versions

_BACKWARD_SUFFIX = re.compile(r"Backward\d*$")
_sequence = itertools.count()
Grads = tuple[np.ndarray | None, ...]  # a gradient for each input of a node (None: none flows there)
Edge = tuple["Node", int]  # where a gradient goes: a node and which of its outputs it is the gradient of
Meta = tuple[tuple[int, ...], np.dtype]  # the shape and dtype of a node's input or output
Observer = Callable[["Node", np.ndarray, Grads], None]  # sees (node, its gradient, what it sends to each input)
Ran = tuple["Node", np.ndarray | None, Grads | None]  # a node that ran, its gradient, what it sent


_NOTHING: Mapping[str, Any] = MappingProxyType({})  # what a context that saved nothing holds (read-only, shared)


class Context:
    """What an op's forward leaves for its backward: saved arrays (freed after backward) and attributes."""

    outputs: tuple[Callable[[], np.ndarray | None], ...] = ()  # weak references to the outputs, where it saved any
    needs_input_grad: tuple[bool, ...] = ()  # set before forward when the graph is recorded
    replay: tuple[list[np.ndarray], dict[str, Any]] | None = None  # forward's inputs, for teaching tools
    freed = False
    _saved: Mapping[str, np.ndarray | None] | None = _NOTHING  # the saved arrays by name (None once freed)
    _versions: Mapping[str, int | None] = _NOTHING  # each saved array's version when saved (None: packed by hooks)

    def needs(self, i: int) -> bool:
        """Whether input ``i`` will want a gradient (unknown counts as yes): what forward must save for."""
        return not self.needs_input_grad or self.needs_input_grad[i]

    def save(self, **arrays: np.ndarray | None) -> None:
        """Keep arrays for backward, by name; they are freed when backward is done with them."""
        if graph.saved_hooks and True in self.needs_input_grad:  # saved_tensors_hooks: kept packed, not versioned
            self._saved = graph.pack({} if self._saved is _NOTHING else self._saved, arrays)
            self._versions = {**self._versions, **{name: None for name, a in arrays.items() if a is not None}}
            return
        saved_versions = {name: versions.version(array) for name, array in arrays.items() if array is not None}
        if self._saved is _NOTHING:  # the first save: the dict of its arguments, made for this call, is kept
            self._saved, self._versions = arrays, saved_versions
        else:
            self._saved.update(arrays)
            self._versions.update(saved_versions)

    @property
    def saved(self) -> dict[str, np.ndarray]:
        """The saved arrays by name; an error once backward has freed them."""
        if self.freed:
            raise errors.graph_freed()
        return self._saved

    def keep_own_copy(self, array: np.ndarray) -> None:
        """Replace the saved ``array`` by a private copy: an in-place op is about to overwrite it with its result."""
        for name, saved in self._saved.items():
            if saved is array:
                self._saved[name] = K.copy(array)
                self._versions[name] = 0
                if self.replay is not None:  # the input as forward saw it (``create_graph`` knows it as the input)
                    inputs, params = self.replay
                    self.replay = ([self._saved[name] if x is array else x for x in inputs], params)
            elif self._versions.get(name, 0) is None:  # packed (saved_tensors_hooks): pack a copy instead
                self._saved[name] = graph.repack(saved, array, K.copy)

    def release(self) -> None:
        """Free the saved arrays (backward without ``retain_graph``). Ops that saved nothing stay usable."""
        self.replay = None
        if self._saved:
            self._saved = None
            self.freed = True  # (``_versions`` stays: which names held an array, for ``Node.__getattr__``)


class Node:
    """One recorded op application: PyTorch's ``grad_fn``."""

    hooks: graph.Hooks | None = None  # hooks on its gradients (see ``graph``), made when the first is registered
    _metadata: dict[str, Any] | None = None
    # (output, hook) pairs: see ``backward``. Most nodes have none: a node gets its own list from ``add_pre_hook``.
    pre_hooks: Sequence[tuple[int, Callable[[np.ndarray], None]]] = ()

    def __init__(self, op: Any, ctx: Context, edges: tuple[Edge | None, ...], inputs: tuple[Meta, ...],
                 name: str | None = None, outputs: tuple[Meta, ...] = ()) -> None:
        self.op = op
        self._name = name  # PyTorch's name for this node when the op's varies with its inputs (else op.grad_fn)
        self.ctx = ctx
        self.next_edges = edges  # per input: (the node its gradient goes to, which output of it), or None
        self.inputs = inputs  # (shape, dtype) of each input, to shape the gradients sent back
        self.outputs = outputs  # (shape, dtype) of each output of an op with several differentiable outputs, else ()
        self.sequence = next(_sequence)
        if anomaly.enabled:  # anomaly mode: remember the forward call that made this node
            self.metadata["traceback_"] = anomaly.forward_stack()

    def name(self) -> str:
        """PyTorch's name for this node, e.g. ``MulBackward0``."""
        return self._name or self.op.grad_fn

    @property
    def next_nodes(self) -> tuple[Node | None, ...]:
        """The node each input's gradient goes to (None: a constant)."""
        return tuple(None if edge is None else edge[0] for edge in self.next_edges)

    @property
    def next_functions(self) -> tuple[tuple[Node | None, int], ...]:
        """PyTorch's view of the edges: (node, which of its outputs) per input, (None, 0) for a constant, in the order
        of PyTorch's node (the op's ``torch_edges``)."""
        edges = tuple((None, 0) if edge is None else edge for edge in self.next_edges)
        return edges if self.op is None else self.op.torch_edges(edges)

    @property
    def metadata(self) -> dict[str, Any]:
        """A dict for the user's notes on this node (anomaly mode keeps the forward stack under ``"traceback_"``)."""
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def register_hook(self, hook: Callable[[tuple[Any, ...], tuple[Any, ...]], Any]) -> graph.RemovableHandle:
        """Run ``hook(grad_inputs, grad_outputs)`` after this node's backward; it may return new ``grad_inputs``."""
        return self._hooks().add("post", hook)

    def register_prehook(self, hook: Callable[[tuple[Any, ...]], Any]) -> graph.RemovableHandle:
        """Run ``hook(grad_outputs)`` before this node's backward; it may return new ``grad_outputs``."""
        return self._hooks().add("pre", hook)

    def add_pre_hook(self, hook: tuple[int, Callable[[np.ndarray], None]]) -> None:
        """Show ``hook = (output, f)`` that output's gradient once backward has computed it (``retain_grad``)."""
        self.pre_hooks = [*self.pre_hooks, hook]

    def _hooks(self) -> graph.Hooks:
        if self.hooks is None:
            self.hooks = graph.Hooks()
        return self.hooks

    def formulas(self) -> tuple[str, ...]:
        """The derivative of each input, as a reader writes it (the op's)."""
        return self.op.formulas if self.op is not None else ()

    def apply(self, grad: np.ndarray | list[np.ndarray | None]) -> tuple[np.ndarray | None, ...]:
        """The gradient for each input, given the gradient of the output (of each output, for several: None for
        an output no gradient reached, PyTorch's undefined gradient, whose terms the op skips: zeros in their place
        would differ where those terms are 0 / 0, and where PyTorch gives an input no gradient at all)."""
        if self.ctx._versions and not self.ctx.freed:
            self._check_saved_versions()
        if not self.outputs:
            return tuple(self.op.backward(self.ctx, K.widened(grad)))
        return tuple(self.op.backward(self.ctx, *[None if g is None else K.widened(g) for g in grad]))

    def _check_saved_versions(self) -> None:
        """PyTorch's error if a saved array has been overwritten in place since it was saved."""
        for name, saved_version in self.ctx._versions.items():
            if saved_version is None:  # packed by saved_tensors_hooks: PyTorch checks no version either
                continue
            array = self.ctx._saved[name]
            now = versions.version(array)
            if now != saved_version:
                raise errors.saved_tensor_modified(array, self._made_by(array), now, saved_version, anomaly.enabled)

    def _made_by(self, array: np.ndarray) -> str | None:
        """The op PyTorch names in that error (``which is output 0 of Exp``), None for a leaf: for an input, the
        node that made it (or last wrote it in place, as that tensor's grad_fn is now); else this node, whose
        output it is."""
        inputs = self.ctx.replay[0] if self.ctx.replay is not None else ()
        maker = next((versions.writer(array) or nxt for nxt, x in zip(self.next_nodes, inputs)
                      if versions.shared(x, array)), self)
        if maker is None or isinstance(maker, AccumulateGrad):
            return None
        return re.sub(_BACKWARD_SUFFIX, "", maker.name())

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"


_NODE_CLASSES: dict[str, type[Node]] = {}


def node_class(name: str) -> type[Node]:
    """The ``Node`` subclass called ``name`` (``MulBackward0``), made on first use: PyTorch's nodes are of classes
    that bear their names, and programs print ``type(t.grad_fn).__name__``."""
    cls = _NODE_CLASSES.get(name)
    if cls is None:
        # (printed as PyTorch's are, <class 'MulBackward0'>: no module)
        cls = _NODE_CLASSES[name] = type(name, (Node,), {"__module__": "builtins"})
    return cls


def _saved_attribute(name: str) -> property:
    """``Node._saved_<name>``: what the node's op saved under PyTorch's ``name`` (its ``saved_names``: the name of a
    saved array, or a function of the context); PyTorch's AttributeError for a node whose op has no such name."""
    def get(node: Node) -> Any:
        where = getattr(node.op, "saved_names", {}).get(name)
        if where is None:
            raise errors.node_no_attribute(node.name(), f"_saved_{name}")
        ctx = node.ctx
        freed_none = ctx.freed and where not in ctx._versions  # nothing was saved there: None, freed or not
        value = where(ctx) if callable(where) else None if freed_none else ctx.saved[where]
        return graph.tensor_of(value) if isinstance(value, np.ndarray) else value

    return property(get)


def expose_saved(names: Sequence[str]) -> None:
    """Give nodes the attributes ``_saved_<name>`` for these names (``register`` passes each op's ``saved_names``).
    Properties, not ``__getattr__``, which would slow every attribute read of every node."""
    for name in names:
        if not hasattr(Node, f"_saved_{name}"):
            setattr(Node, f"_saved_{name}", _saved_attribute(name))


class AccumulateGrad(Node):
    """The node behind a leaf that requires grad: hands each gradient that reaches it to the leaf, whose
    ``_accumulate_grad`` adds it into ``.grad``. ``variable`` is the leaf (as PyTorch shows it)."""

    ctx = Context()  # (saves nothing: one empty context serves them all)
    op, _name, next_edges, inputs, outputs = None, None, (), (), ()
    sequence = math.inf  # runs as soon as it is ready, as in PyTorch

    def __init__(self, variable: Any) -> None:
        if anomaly.enabled:  # (what Node's __init__ does here: the rest are the class's constants above)
            self.metadata["traceback_"] = anomaly.forward_stack()
        self.variable = variable
        self.hooks = getattr(variable, "_hooks", None)  # the leaf's hooks (they outlive this node, as in PyTorch)

    def accumulate(self, handed: list[np.ndarray]) -> None:
        """Hand the gradient, in a one-element list (see ``backward``), to the leaf (its method looked up at each call:
        ``minigrad.compile``'s tracer replaces it while it records)."""
        self.variable._accumulate_grad(handed)

    def name(self) -> str:
        """PyTorch's name for it, C++-qualified as its C++ class (``type(node).__name__`` is the short one)."""
        return "torch::autograd::AccumulateGrad"

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self):#x}>"

    def apply(self, grad: np.ndarray) -> Grads:
        """Nothing: a leaf's gradient goes on to ``.grad`` at the end of backward, not to other nodes."""
        return ()


def to_input(grad: np.ndarray, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A gradient brought back to an input's shape (summing broadcast dims) and dtype."""
    if grad.shape == shape and grad.dtype == dtype:  # most are already
        return grad
    return K.cast(K.sum_to_shape(grad, shape), dtype)


class Arithmetic(NamedTuple):
    """What the backward pass does with gradients: add two, bring one to an input's shape and dtype, run a node's
    backward. ``ON_ARRAYS`` does it on arrays with kernels: a first-order pass. ``create_graph=True`` passes one that
    does it on tensors, each step a recorded op (``minigrad.higher_order``), so the gradients have a graph too."""

    add: Callable[[Any, Any], Any]
    to_input: Callable[[Any, tuple[int, ...], np.dtype], Any]
    apply: Callable[[Node, Any], tuple[Any, ...]]


def _apply(node: Node, grad: Any) -> tuple[Any, ...]:
    return node.apply(grad)


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a + b, two gradients of one tensor (float16 ones added in float32 and rounded once, as PyTorch adds them)."""
    if a.dtype == K.HALF:
        return K.cast(K.add(K.widened(a), K.widened(b)), K.HALF)
    return K.add(a, b)


ON_ARRAYS = Arithmetic(_add, to_input, _apply)


def _reach(roots: Sequence[Node]) -> dict[Node, int]:
    """For every node reachable from ``roots``: how many edges point at it (its pending inputs)."""
    pending: dict[Node, int] = {root: 0 for root in roots}
    stack, seen = list(pending), set(pending)  # (a node that is several roots, for several outputs: walked once)
    while stack:
        node = stack.pop()
        for edge in node.next_edges:
            if edge is None:
                continue
            nxt = edge[0]
            pending[nxt] = pending.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return pending


def _compute(roots: Sequence[Edge], grads: Sequence[Any], observe: Observer | None, only: set[Node] | None = None,
             k: Arithmetic = ON_ARRAYS) -> list[Ran]:
    """Every node's gradient, nodes in the order they run (a node runs once all its inputs have arrived): for each,
    (node, the gradient it got if the end needs it, what it sent on if observed). Nothing is written yet. ``only``:
    the nodes to run (and keep the gradients of), where not all are wanted; ``k``: gradients as tensors (see below)."""
    pending = _reach([root for root, _ in roots])
    buffers: dict[Node, Any] = {}
    for (root, output), grad in zip(roots, grads):
        _add_into(buffers, root, output, grad, k.add)
    arrival = itertools.count()  # among equals (leaves' accumulators), the first ready runs first: a fixed order
    ready = [(-root.sequence, next(arrival), root) for root in buffers if pending[root] == 0]
    heapq.heapify(ready)
    ran: list[Ran] = []  # what to apply at the end
    while ready:
        _, _, node = heapq.heappop(ready)
        grad = buffers.pop(node, None)
        if grad is None or (only is not None and node not in only):  # nothing flowed here, or not wanted
            grads_in: Grads = (None,) * len(node.next_nodes)
        else:
            hooked = node.hooks is not None or anomaly.enabled  # hooks may change the gradients: ``_run_hooked``
            grad, grads_in = _run_hooked(node, grad, k) if hooked else (
                grad, node.apply(grad) if k is ON_ARRAYS else k.apply(node, grad))
            keep = isinstance(node, AccumulateGrad) or node.pre_hooks or observe or only  # only where needed
            ran.append((node, grad if keep else None, grads_in if observe is not None else None))
        for edge, (shape, dtype), g in zip(node.next_edges, node.inputs, grads_in):
            if edge is None:
                continue
            nxt = edge[0]
            if g is not None and (nxt.outputs or nxt in buffers):
                _add_into(buffers, nxt, edge[1], k.to_input(g, shape, dtype), k.add)
            elif g is not None:  # the first gradient of a node with one output: kept as it is
                buffers[nxt] = k.to_input(g, shape, dtype)
            pending[nxt] -= 1
            if pending[nxt] == 0:
                heapq.heappush(ready, (-nxt.sequence, next(arrival), nxt))
    return ran


def _run_hooked(node: Node, grad: Any, k: Arithmetic) -> tuple[Any, Grads]:
    """``node.apply(grad)`` with the node's hooks, in PyTorch's order: the tensor hooks of each output, the node's
    pre-hooks, its backward, its post-hooks (which see the gradients brought to the inputs' shapes, None for an input
    that takes none unless the op ``keeps_all_gradients``, as PyTorch's custom Functions). Returns the gradient after
    the tensor hooks (what ``retain_grad`` keeps; for a leaf, after the pre-hooks too: what accumulates) and what the
    node sends on. In anomaly mode, a NaN in what it sends on is an error, and a node that fails warns where its
    forward call was."""
    try:
        hooks, several = node.hooks, bool(node.outputs)
        if hooks is not None and hooks.tensor:
            grad = graph.run_tensor_hooks(hooks.tensor, list(grad) if several else [grad])
            grad = grad if several else grad[0]
        grad_outputs = tuple(grad) if several else (grad,)
        if hooks is not None and hooks.pre:
            grad_outputs = graph.run_pre_hooks(hooks.pre, grad_outputs)
        if isinstance(node, AccumulateGrad):
            grad, grads_in = grad_outputs[0], ()
        else:
            grads_in = k.apply(node, list(grad_outputs) if several else grad_outputs[0])
            keep_all = getattr(node.op, "keeps_all_gradients", False)
            grads_in = tuple(None if g is None or (edge is None and not keep_all) else k.to_input(g, shape, dtype)
                             for g, edge, (shape, dtype) in zip(grads_in, node.next_edges, node.inputs))
        if hooks is not None and hooks.post:
            grads_in = graph.run_post_hooks(hooks.post, grads_in, grad_outputs)
        if anomaly.enabled:
            anomaly.check(node.name(), grads_in)
    except Exception:
        if anomaly.enabled:
            anomaly.warn_failed(node.name(), node.metadata)
        raise
    return grad, grads_in


def _add_into(buffers: dict[Node, Any], node: Node, output: int, grad: Any, add: Callable[[Any, Any], Any]) -> None:
    """Add ``grad`` into what ``node`` has gathered for its output ``output`` (a list, one per output, for a node
    with several)."""
    if not node.outputs:
        buffers[node] = grad if node not in buffers else add(buffers[node], grad)
        return
    gathered = buffers.setdefault(node, [None] * len(node.outputs))
    gathered[output] = grad if gathered[output] is None else add(gathered[output], grad)


def backward(roots: Sequence[Edge], grads: Sequence[Any], retain_graph: bool = False,
             observe: Observer | None = None, k: Arithmetic = ON_ARRAYS) -> None:
    """Run backward from each root node with its output gradient: every node's gradient is computed first (where
    the errors are), then the hooks run, the leaves get their gradients and the saved arrays are freed, in the
    order the nodes ran, so a failed backward changes nothing. A leaf gets its gradient in a one-element list the
    engine no longer holds otherwise: it may keep the array without a copy (``kernels.take``). A root is an edge:
    a node and which of its outputs the gradient is for. A pre-hook ``(output, hook)`` sees that output's gradient.
    ``observe(node, grad, grads_in)`` sees each node as it runs (the teaching tools' view); ``k``: ``Arithmetic``."""
    ran = _compute(roots, grads, observe, k=k)
    for step in range(len(ran)):
        node, grad, grads_in = ran[step]
        ran[step] = (node, None, None)  # from here on ``grad`` is the engine's only hold on the gradient
        for output, hook in node.pre_hooks:
            if not node.outputs:
                hook(grad)
            elif grad[output] is not None:
                hook(grad[output])
        if isinstance(node, AccumulateGrad):
            handed = [grad]
            if observe is None:
                del grad  # the gradient moves into ``handed`` (an observer, below, still sees it)
            node.accumulate(handed)
        if observe is not None:
            observe(node, grad, grads_in)
    if not retain_graph:
        for node, _, _ in ran:
            node.ctx.release()


def grad(roots: Sequence[Edge], grads: Sequence[Any], targets: Sequence[Edge], retain_graph: bool = False,
         k: Arithmetic = ON_ARRAYS) -> list[Any]:
    """The gradient reaching each target (a node, which of its outputs) from the roots, as ``autograd.grad`` returns
    it: only the nodes on a path to a target run, and nothing is written (no leaf accumulates, no hook runs)."""
    wanted = {node for node, _ in targets}
    ran = _compute(roots, grads, None, only=_on_paths_to(roots, wanted), k=k)
    reached = {node: g for node, g, _ in ran if node in wanted}
    if not retain_graph:
        for node, _, _ in ran:
            node.ctx.release()
    picked = [reached.get(node) for node, _ in targets]
    return [g[output] if g is not None and node.outputs else g for g, (node, output) in zip(picked, targets)]


def _on_paths_to(roots: Sequence[Edge], wanted: set[Node]) -> set[Node]:
    """The nodes from which a node of ``wanted`` can be reached (``wanted`` included): the ones ``grad`` runs."""
    on_path: set[Node] = set()
    stack: list[tuple[Node, bool]] = [(root, False) for root, _ in roots]
    seen: set[Node] = set()
    while stack:
        node, after_children = stack.pop()
        if after_children:
            if node in wanted or any(nxt in on_path for nxt in node.next_nodes):
                on_path.add(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((nxt, False) for nxt in node.next_nodes if nxt is not None and nxt not in seen)
    return on_path
