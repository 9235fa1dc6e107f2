"""``create_graph=True``: the backward pass run on tensors, each of its steps a recorded op, so that a gradient can
be differentiated again, to any order.

Each op's backward is written once, over ``K``: the kernels, arrays in and arrays out. A first-order pass runs it so.
A recorded pass runs the same function with ``K`` bound to ``RECORDED``: the kernels' names over tensors, each made
of registry ops, so every step of the backward lands in the graph. What the op saved for backward comes to it as
tensors: an input as that input (the gradient of the gradient flows back to where the input came from), an output as
that output (it flows back into this very node, as PyTorch's saved outputs do; a reshape of either as that reshape),
an array the op names in ``recomputed`` made again from the inputs by the op's own function, recorded (``x - y`` for
mse_loss, the im2col columns for a convolution; a tuple of names, several arrays one function makes together: an LSTM
step's activations and cell states), anything else as a constant.

PyTorch writes the backward of a piecewise-linear op as a function of its own that takes the op's input or output
(``threshold_backward(grad, result, 0)`` for relu) with derivative 0 there (derivatives.yaml's ``self:
zeros_like(grad)``): the gradient has a graph wherever that input has one, and differentiating it again gives 0 rather
than an error. Such an op names that function and the saved array (or, by position, the input) in
``backward_function``; its recorded gradient
goes through ``_BackwardFunction``, which gives it that dependence (or, for a function PyTorch gives no derivative,
``hardsigmoid_backward``, PyTorch's error when differentiated again). An op whose backward PyTorch hands some gradients
on through a DelayedError node (scatter_reduce's prod, for src with two zeros reduced into one place) says which, and
the error, in ``refused_twice(ctx)``: those go through ``_Refused``, PyTorch's error when differentiated again.

A kernel with no recorded form here still runs when none of its tensors requires grad (its result is a constant);
otherwise the pass stops with an error that names the op and the kernel.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from types import FunctionType, MethodType, ModuleType
from typing import Any

import numpy as np

from .. import kernels as K
from ..autograd import api, engine, views
from ..autograd.grad_mode import enable_grad
from ..ops.registry import Op
from ..tensor import Tensor, apply
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
        for names, make in recomputed.items():  # a name, or a tuple of names one function makes together
            names = names if isinstance(names, tuple) else (names,)
            if any(self.saved.get(name) is not None for name in names):
                made = rebound(make)(node.ctx, *_inputs(node), **node.ctx.replay[1])
                self.saved.update(zip(names, made if len(names) > 1 else (made,)))

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


# Ops whose backward does not record yet, and why (none now): a recorded pass through one stops with an error rather
# than give a wrong second derivative. tests/test_double_backward.py checks every other op against PyTorch.
NOT_YET: dict[str, str] = {}


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
    if node.op.recorded_backward is not None:  # an op of its own computes the gradients (its derivatives PyTorch's)
        return tuple(apply(node.op.recorded_backward, _tensor(grad), *_inputs(node)))
    backward = node.op.backward  # a staticmethod's function, or a classmethod bound to its op
    backward = MethodType(rebound(backward.__func__), _RecordedOp(backward.__self__)) \
        if isinstance(backward, MethodType) else rebound(backward)
    ctx = _SavedAsTensors(node)
    _running.append(node.name())
    try:
        grads = backward(ctx, *grad) if node.outputs else backward(ctx, _tensor(grad))
    finally:
        _running.pop()
    grads = [None if g is None else _tensor(g) for g in grads]
    function = getattr(node.op, "backward_function", None)
    if function is not None:
        name, taken = function  # the saved array, or the input at that position (max pooling saves only indices)
        taken = _inputs(node)[taken] if isinstance(taken, int) else ctx.saved[taken]
        grads = [_as_backward_function(g, taken, name) for g in grads]
    refused = getattr(node.op, "refused_twice", None)
    for i, message in (refused(node.ctx) if refused is not None else {}).items():
        grads[i] = apply(_Refused, grads[i], name="Error", message=message)
    return tuple(grads)


def _as_backward_function(grad: Tensor | None, taken: Tensor, function: str) -> Tensor | None:
    """``grad`` as the result of PyTorch's backward ``function`` of (grad, taken): a function of both wherever either
    has a graph, its derivative in ``taken`` 0, or, for a function without a derivative, PyTorch's error."""
    if grad is None or not (grad.requires_grad or taken.requires_grad):
        return grad
    if function in _UNDIFFERENTIATED:
        return apply(_Refused, grad, taken, name="NotImplemented",
                     message=f"derivative for aten::{function} is not implemented")
    return apply(_BackwardFunction, grad, taken, function=function)


# PyTorch's backward functions that have no derivative of their own (no entry in derivatives.yaml)
_UNDIFFERENTIATED = frozenset({"hardsigmoid_backward"})


class _BackwardFunction(Op):
    """A gradient, recorded as the result of PyTorch's backward function that made it (``backward_function``) of the
    gradient and the saved array it takes: itself, its derivative 1 in the gradient and 0 in that array."""

    torch = "torch.autograd.grad"
    formulas = ("d/d(gradient) = grad", "d/d(the saved array) = 0 (PyTorch's self: zeros_like(grad))")
    jvp_formulas = ("d(gradient) = its tangent",)

    @staticmethod
    def grad_fn_name(ctx: engine.Context, grad: np.ndarray, taken: np.ndarray, function: str) -> str:
        """PyTorch's node: ``ThresholdBackwardBackward0`` for threshold_backward (a dims suffix capitalized:
        ``MaxPool2DWithIndicesBackwardBackward0``)."""
        return re.sub(r"(\d)d", r"\1D", "".join(part.capitalize() for part in function.split("_"))) + "Backward0"

    @staticmethod
    def forward(ctx: engine.Context, grad: np.ndarray, taken: np.ndarray, function: str) -> np.ndarray:
        ctx.taken = (taken.shape, taken.dtype)
        return K.copy(grad)  # its own array: a tangent, or an in-place write, is this tensor's alone

    @staticmethod
    def backward(ctx: engine.Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return grad, K.zeros(*ctx.taken)

    @staticmethod
    def jvp(ctx: Any, dgrad: np.ndarray | None, dtaken: np.ndarray | None) -> np.ndarray:
        return K.zeros(ctx.output.shape, ctx.output.dtype) if dgrad is None else dgrad


class _Refused(Op):
    """A gradient that PyTorch refuses to differentiate again: itself, recorded (as a function of the ``linked``
    arrays too), its backward PyTorch's error (a backward function without a derivative, or a DelayedError node)."""

    torch = "torch.autograd.grad"
    formulas = ("none: PyTorch's error",)
    jvp_formulas = ("none: PyTorch's error",)

    @staticmethod
    def grad_fn_name(ctx: engine.Context, grad: np.ndarray, *linked: np.ndarray, name: str, message: str) -> str:
        return name

    @staticmethod
    def forward(ctx: engine.Context, grad: np.ndarray, *linked: np.ndarray, name: str, message: str) -> np.ndarray:
        ctx.message = message
        return K.copy(grad)

    @staticmethod
    def backward(ctx: engine.Context, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        raise RuntimeError(ctx.message)

    @staticmethod
    def jvp(ctx: Any, *tangents: np.ndarray | None) -> np.ndarray:
        raise RuntimeError(ctx.message)


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
