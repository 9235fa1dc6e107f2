"""``create_graph=True``: the backward pass run on tensors, each of its steps a recorded op, so that a gradient can
be differentiated again, to any order.

Each op's backward is written once, over ``K``: the kernels, arrays in and arrays out. A first-order pass runs it so.
A recorded pass runs the same function with ``K`` bound to ``RECORDED``: the kernels' names over tensors, each made
of registry ops, so every step of the backward lands in the graph. What the op saved for backward comes to it as
tensors: an input as that input (the gradient of the gradient flows back to where the input came from), an output as
that output (it flows back into this very node, as PyTorch's saved outputs do; a reshape of either as that reshape),
an array the op names in ``recomputed`` made again from the inputs by the op's own function, recorded (``x - y`` for
mse_loss, the im2col columns for a convolution), anything else as a constant.

A kernel with no recorded form here still runs when none of its tensors requires grad (its result is a constant);
otherwise the pass stops with an error that names the op and the kernel.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FunctionType, MethodType, ModuleType
from typing import Any

import numpy as np

from .. import kernels as K
from ..autograd import api, engine, views
from ..autograd.grad_mode import enable_grad
from ..tensor import Tensor
from .recorded_kernels import NUMPY, RECORDED, _recorded_kernel, _RecordedModule, _running, _tensor

# ----- running an op's backward on tensors ------------------------------------------------------------------------
_GLOBALS: dict[str, dict[str, Any]] = {}
_REBOUND: dict[FunctionType, FunctionType] = {}


def _recorded_globals(module: str) -> dict[str, Any]:
    """The module's namespace with ``K`` bound to ``RECORDED`` and its op helpers rebound the same way."""
    namespace = _GLOBALS.get(module)
    if namespace is None:
        namespace = _GLOBALS[module] = dict(vars(sys.modules[module]))
        for name, value in list(namespace.items()):
            namespace[name] = _recorded_value(value)
    return namespace


def _recorded_value(value: Any) -> Any:
    """What a backward reaches by name (a global, or an attribute of its op), as the recorded pass sees it: the
    kernels as ``RECORDED``, numpy as ``NUMPY``, the ops' helpers and classes rebound, anything else as it is."""
    if value is K:
        return RECORDED
    if value is np:
        return NUMPY
    if isinstance(value, ModuleType):
        return _RecordedModule(value) if value.__name__.startswith("minigrad.kernels.") else value
    module = getattr(value, "__module__", None) or ""
    if module.startswith("minigrad.kernels") and callable(value):
        return _recorded_kernel(value.__name__, value)  # a kernel imported, or kept on an op, by its name
    if module.startswith("minigrad.ops"):
        if isinstance(value, FunctionType):
            return rebound(value)
        if isinstance(value, type):
            return _RecordedOp(value)
    return value


class _RecordedOp:
    """An op class as its recorded backward sees it (``cls.kernel``, ``Var.backward``): its methods rebound, its
    kernels recorded."""

    def __init__(self, op: type) -> None:
        self._op = op

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._op, name)
        if isinstance(value, MethodType):  # a classmethod: rebound, its ``cls`` this view of the class
            return MethodType(rebound(value.__func__), self)
        return _recorded_value(value)


def rebound(function: FunctionType) -> FunctionType:
    """``function`` as written, its ``K`` being ``RECORDED``: the same code, run over tensors."""
    copy = _REBOUND.get(function)
    if copy is None:
        copy = FunctionType(function.__code__, _recorded_globals(function.__module__), function.__name__,
                            function.__defaults__, function.__closure__)
        copy.__kwdefaults__ = function.__kwdefaults__
        _REBOUND[function] = copy
    return copy


class _SavedAsTensors:
    """An op's context as its recorded backward sees it: the saved arrays as tensors (see the module's docstring);
    everything else the op's own context."""

    def __init__(self, node: engine.Node) -> None:
        self._ctx = node.ctx
        self.saved = {name: _saved_tensor(node, array) for name, array in node.ctx.saved.items()}
        recomputed = getattr(node.op, "recomputed", {})  # arrays forward made from its inputs: made again, recorded
        for name, make in recomputed.items():
            if self.saved.get(name) is not None:
                self.saved[name] = rebound(make)(node.ctx, *_inputs(node), **node.ctx.replay[1])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)


def _inputs(node: engine.Node) -> list[Tensor]:
    """The node's forward inputs as tensors of the graph (each with its edge)."""
    return [Tensor._make(x) if edge is None else Tensor._make(x, grad_fn=edge[0], output_nr=edge[1])
            for x, edge in zip(node.ctx.replay[0], node.next_edges)]


def _saved_tensor(node: engine.Node, array: Any) -> Any:
    """A saved array as the tensor it is in the graph: an input (its edge), an output of the node, else a constant."""
    if not isinstance(array, np.ndarray) or array.dtype.kind not in "fc":  # (no gradient flows through integers)
        return array
    for x in _inputs(node) if node.ctx.replay is not None else ():
        if _same_elements(x._data, array):
            return x if x._data is array else x.reshape(array.shape)
    for i, output in enumerate(node.ctx.outputs):
        if _same_elements(output(), array):
            return Tensor._make(output(), grad_fn=node, output_nr=i).reshape(array.shape)
    return Tensor._make(array)


def _same_elements(a: Any, b: np.ndarray) -> bool:
    """Whether ``b`` is ``a``, or ``a`` reshaped (the same memory, in the same order: ``norm.reshape(...)``)."""
    if a is b:
        return True
    return (isinstance(a, np.ndarray) and a.size == b.size and a.dtype == b.dtype and a.flags.c_contiguous
            and b.flags.c_contiguous and (a.base is b or b.base is a or (a.base is not None and a.base is b.base))
            and a.__array_interface__["data"][0] == b.__array_interface__["data"][0])


# Ops whose backward does not record yet, and why: a recorded pass through one stops with an error rather than give a
# wrong second derivative. tests/test_double_backward.py checks every other op against PyTorch.
_GRADIENT_KERNEL = "its backward is a gradient kernel with no recorded form here yet"
_SAVED_INTERMEDIATE = ("its backward reads arrays its forward computed (not inputs or outputs), constants to the "
                       "recorded pass (the second derivative through them would be lost) and not in its ``recomputed``")
NOT_YET: dict[str, str] = {
    "BinaryCrossEntropy": ("PyTorch's second derivative is its own formula with eps = 1e-12 added to p and 1 - p; the "
                           "exact derivative of the first one differs from it by up to 5e-11 relative"),
    "Svdvals": _SAVED_INTERMEDIATE,
    "Prod": ("over the whole tensor with two zeros or more its backward returns constant zeros (PyTorch's have a "
             "graph); otherwise it records"),
    "Svd": ("U and V are unique up to each column's sign, which LAPACK picks differently for torch and numpy on some "
            "matrices: a cotangent on them gives another first gradient, so the double-backward check cannot compare "
            "(it records; its gauge-invariant uses are the op cross-check's)"),
    **dict.fromkeys(("LstmCell", "LstmLayer"), f"{_GRADIENT_KERNEL} (lstm_backward)"),
    "ScatterReduce": f"{_GRADIENT_KERNEL} (scatter_reduce)",
}


def _apply(node: engine.Node, grad: Any) -> tuple[Any, ...]:
    """``node.apply(grad)`` with every step recorded: its op's backward, rebound, on tensors."""
    if isinstance(node, views.CopySlices):  # its own step, recorded, with its in-place op's node recorded too
        return rebound(views.CopySlices.apply)(node, grad, _apply)
    if isinstance(node, views.AsStridedBackward):
        return rebound(views.AsStridedBackward.apply)(node, grad)
    if node.op is None or not hasattr(node.op, "backward"):  # custom Functions run theirs on tensors, recorded
        return node.apply(grad)
    if node.op.__name__ in NOT_YET:
        raise NotImplementedError(f"create_graph=True: minigrad cannot record the backward of {node.name()} yet; "
                                  "its gradient cannot be differentiated again")
    if node.ctx._versions and not node.ctx.freed:
        node._check_saved_versions()
    backward = node.op.backward  # a staticmethod's function, or a classmethod bound to its op
    backward = MethodType(rebound(backward.__func__), _RecordedOp(backward.__self__)) \
        if isinstance(backward, MethodType) else rebound(backward)
    ctx = _SavedAsTensors(node)
    _running.append(node.name())
    try:
        grads = backward(ctx, *grad) if node.outputs else backward(ctx, _tensor(grad))
    finally:
        _running.pop()
    return tuple(None if g is None else _tensor(g) for g in grads)


def _to_input(grad: Tensor, shape: tuple[int, ...], dtype: np.dtype) -> Tensor:
    return RECORDED.cast(RECORDED.sum_to_shape(grad, shape), dtype)


ON_TENSORS = engine.Arithmetic(RECORDED.add, _to_input, _apply)


def recorded(run: Callable[..., Any]) -> Callable[..., Any]:
    """``run`` (engine.backward or engine.grad) with gradients on tensors and grad mode on: the backward recorded."""
    def run_recorded(*args: Any, **kwargs: Any) -> Any:
        with enable_grad():
            return run(*args, k=ON_TENSORS, **kwargs)
    return run_recorded


api.use_recorded(backward=recorded(engine.backward), grad=recorded(engine.grad))
