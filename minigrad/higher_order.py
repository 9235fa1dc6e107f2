"""``create_graph=True``: the backward pass run on tensors, each of its steps a recorded op, so that a gradient can
be differentiated again, to any order.

Each op's backward is written once, over ``K``: the kernels, arrays in and arrays out. A first-order pass runs it so.
A recorded pass runs the same function with ``K`` bound to ``RECORDED``: the kernels' names over tensors, each made
of registry ops, so every step of the backward lands in the graph. What the op saved for backward comes to it as
tensors: an input as that input (the gradient of the gradient flows back to where the input came from), an output as
that output (it flows back into this very node, as PyTorch's saved outputs do), anything else as a constant.

A kernel with no recorded form here still runs when none of its tensors requires grad (its result is a constant);
otherwise the pass stops with an error that names the op and the kernel.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from types import FunctionType, MethodType
from typing import Any, ClassVar

import numpy as np

from . import dtypes
from . import kernels as K
from .autograd import api, engine
from .autograd.grad_mode import enable_grad
from .tensor import Tensor


def _tensor(x: Any) -> Any:
    """Arrays as constant tensors; tensors and everything else as they are."""
    return Tensor._make(x) if isinstance(x, np.ndarray) else x


def _array(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _dtype(dtype: Any) -> Any:
    """minigrad's dtype for a numpy one (a tensor's ``.dtype`` is already minigrad's)."""
    return dtype if isinstance(dtype, dtypes.dtype) else dtypes.from_numpy(np.dtype(dtype))


class _RecordedKernels:
    """The kernels as the recorded backward calls them (``K.mul(grad, b)``), over tensors."""

    # ----- elementwise -------------------------------------------------------------------------------------------
    @staticmethod
    def add(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a) + _tensor(b)

    @staticmethod
    def sub(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a) - _tensor(b)

    @staticmethod
    def mul(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a) * _tensor(b)

    @staticmethod
    def div(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a) / _tensor(b)

    @staticmethod
    def pow(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a) ** _tensor(b)

    @staticmethod
    def maximum(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a).maximum(_tensor(b))

    @staticmethod
    def minimum(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a).minimum(_tensor(b))

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Tensor:
        from .functions import where
        return where(_tensor(cond), _tensor(a), _tensor(b))

    @staticmethod
    def sigmoid_grad(grad: Any, y: Any, out: None = None) -> Tensor:
        """grad (1 - y) y, as the kernel rounds it."""
        y = _tensor(y)
        return _tensor(grad) * (1 - y) * y

    @staticmethod
    def tanh_grad(grad: Any, y: Any, out: None = None) -> Tensor:
        """grad (1 - y²)."""
        y = _tensor(y)
        return _tensor(grad) * (1 - y * y)

    @staticmethod
    def relu_grad(grad: Any, x: Any, out: None = None) -> Tensor:
        """grad where x > 0, else 0 (NaN in grad passes, as PyTorch's threshold_backward)."""
        grad = _tensor(grad)
        return RECORDED.where(_array(x) <= 0, K.scalar(0, grad._data.dtype), grad)

    @staticmethod
    def threshold_grad(x: Any, grad: Any, threshold: float) -> Tensor:
        grad = _tensor(grad)
        return RECORDED.where(_array(x) <= threshold, K.scalar(0, grad._data.dtype), grad)

    @staticmethod
    def softplus_grad(x: Any, grad: Any, beta: float, threshold: float) -> Tensor:
        """grad sigmoid(beta x), or grad where beta x > threshold."""
        x, grad = _tensor(x), _tensor(grad)
        z = x * beta
        return RECORDED.where((z > threshold)._data, grad, grad * z.sigmoid())

    @staticmethod
    def elu_grad(x: Any, grad: Any, alpha: float, scale: float, input_scale: float) -> Tensor:
        x, grad = _tensor(x), _tensor(grad)
        negative = grad * (alpha * scale * input_scale) * (x * input_scale).exp()
        return RECORDED.where((x > 0)._data, grad * scale, negative)

    @staticmethod
    def log_sigmoid(x: Any) -> Tensor:
        """log(sigmoid x) = min(x, 0) - log1p(exp(-|x|))."""
        x = _tensor(x)
        return x.clamp(max=0) - (-x.abs()).exp().log1p()

    @staticmethod
    def softmax_backward(grad: Any, y: Any, axis: int, log: bool) -> Tensor:
        """y (grad - sum(grad y)) for softmax; grad - exp(y) sum(grad) for log_softmax."""
        grad, y = _tensor(grad), _tensor(y)
        if log:
            return grad - y.exp() * grad.sum(axis, keepdim=True)
        return y * (grad - (grad * y).sum(axis, keepdim=True))

    @staticmethod
    def bce_grad(p: Any, y: Any, grad: Any) -> Tensor:
        """grad (p - y) / max((1 - p) p, 1e-12)."""
        p, y, grad = _tensor(p), _tensor(y), _tensor(grad)
        return grad * (p - y) / ((1 - p) * p).clamp(min=1e-12)

    @staticmethod
    def bce_target_grad(p: Any, grad: Any) -> Tensor:
        """-log(p / (1 - p)) grad."""
        p = _tensor(p)
        return -(p / (1 - p)).log() * _tensor(grad)

    # ----- layout ------------------------------------------------------------------------------------------------
    @staticmethod
    def scalar(value: float, dtype: Any) -> Tensor:
        return Tensor._make(K.scalar(value, _dtype(dtype).np))

    @staticmethod
    def zeros(shape: Sequence[int], dtype: Any) -> Tensor:
        return Tensor._make(K.zeros(tuple(shape), _dtype(dtype).np))

    @staticmethod
    def cast(x: Any, dtype: Any) -> Tensor:
        x, dtype = _tensor(x), _dtype(dtype)
        return x if x.dtype is dtype else x.to(dtype)

    @staticmethod
    def copy(x: Any, dtype: Any = None) -> Tensor:
        x = _tensor(x).clone()
        return x if dtype is None else RECORDED.cast(x, dtype)

    @staticmethod
    def expand(x: Any, shape: Sequence[int]) -> Tensor:
        return _tensor(x).expand(tuple(shape)).contiguous()

    @staticmethod
    def write(dst: Tensor, src: Any) -> None:
        with enable_grad():
            dst.copy_(_tensor(src))

    # ----- reductions and products -------------------------------------------------------------------------------
    @staticmethod
    def sum(x: Any, axes: Sequence[int], dtype: Any = None) -> Tensor:
        x = _tensor(x)
        total = x.sum(tuple(axes)) if len(axes) else x.clone()
        return total if dtype is None else RECORDED.cast(total, dtype)

    @staticmethod
    def sum_to_shape(grad: Any, shape: Sequence[int]) -> Tensor:
        grad, shape = _tensor(grad), tuple(shape)
        if tuple(grad.shape) == shape:
            return grad
        lead = grad.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(lead + d for d, n in enumerate(shape) if n == 1 and grad.shape[lead + d] != 1)
        return (grad.sum(axes) if axes else grad).reshape(shape)

    @staticmethod
    def matmul(a: Any, b: Any) -> Tensor:
        return _tensor(a) @ _tensor(b)

    @staticmethod
    def cumsum(x: Any, axis: int, dtype: Any, reverse: bool = False) -> Tensor:
        x = RECORDED.cast(x, dtype)
        return x.flip(axis).cumsum(axis).flip(axis) if reverse else x.cumsum(axis)

    # ----- selection and scatter ---------------------------------------------------------------------------------
    @staticmethod
    def gather(src: Any, index: Any) -> Tensor:
        """out[i...] = src.flat[index[i...]]."""
        return _tensor(src).reshape(-1)[Tensor._make(np.ascontiguousarray(_array(index)))]

    @staticmethod
    def scatter_add(values: Any, index: Any, shape: Sequence[int]) -> Tensor:
        """Zeros of ``shape`` but for out.flat[index[i...]] += values[i...]."""
        values = _tensor(values)
        out = Tensor._make(K.zeros((math.prod(shape),), values._data.dtype))
        flat_index = Tensor._make(np.ascontiguousarray(_array(index)).reshape(-1))
        return out.index_add(0, flat_index, values.reshape(-1)).reshape(tuple(shape))

    @staticmethod
    def index_select(src: Any, axis: int, index: Any) -> Tensor:
        return _tensor(src).index_select(axis, _tensor(index))

    @staticmethod
    def index_add(out: Tensor, axis: int, index: Any, values: Any, alpha: float = 1) -> None:
        with enable_grad():
            out.index_add_(axis, _tensor(index), _tensor(values), alpha=alpha)

    @staticmethod
    def add_at(out: Tensor, index: Any, values: Any) -> None:
        flat_index = Tensor._make(np.ascontiguousarray(_array(index)).reshape(-1))
        with enable_grad():
            out.view(-1).index_add_(0, flat_index, _tensor(values).reshape(-1))

    @staticmethod
    def put(out: Tensor, index: Any, values: Any) -> None:
        flat_index = Tensor._make(np.ascontiguousarray(_array(index)).reshape(-1))
        with enable_grad():
            out.view(-1).index_put_((flat_index,), _tensor(values).reshape(-1))

    @staticmethod
    def diag_embed(values: Any, shape: Sequence[int], offset: int, dim1: int, dim2: int) -> Tensor:
        return _tensor(values).diag_embed(offset, dim1, dim2)

    @staticmethod
    def diagonal(x: Any, offset: int, dim1: int, dim2: int) -> Tensor:
        return _tensor(x).diagonal(offset, dim1, dim2)

    @staticmethod
    def tril(x: Any, diagonal: int) -> Tensor:
        return _tensor(x).tril(diagonal)

    @staticmethod
    def triu(x: Any, diagonal: int) -> Tensor:
        return _tensor(x).triu(diagonal)

    @staticmethod
    def solve(a: Any, b: Any) -> Tensor:
        from .linalg import solve
        return solve(_tensor(a), _tensor(b))

    def __getattr__(self, name: str) -> Any:
        """A kernel with no recorded form: run as it is on constants (nothing in it requires grad), else an error."""
        kernel = getattr(K, name)
        if not callable(kernel):
            return kernel

        def on_constants(*args: Any, **kwargs: Any) -> Any:
            values = [*args, *kwargs.values()]
            if any(isinstance(v, Tensor) and v.requires_grad for v in values):
                raise NotImplementedError(
                    f"create_graph=True: {_running[-1] if _running else 'a backward'} uses the kernel {name}, which "
                    "minigrad cannot record yet; its gradient cannot be differentiated again")
            result = kernel(*[_array(a) for a in args], **{k: _array(v) for k, v in kwargs.items()})
            return _tensor(result) if not isinstance(result, tuple) else tuple(_tensor(r) for r in result)

        return on_constants

    # unary math functions: the tensor method of the same name
    for _name in ("neg", "exp", "log", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "sinh", "cosh", "tanh",
                  "sigmoid", "abs", "sign", "log1p", "expm1", "erf", "trunc", "floor", "ceil"):
        locals()[_name] = staticmethod(lambda x, out=None, _name=_name: getattr(_tensor(x), _name)())
    del _name

    @staticmethod
    def logical_and(a: Any, b: Any) -> Tensor:
        return Tensor._make(K.logical_and(_array(a), _array(b)))

    for _name in ("eq", "ne", "lt", "le", "gt", "ge"):  # comparisons: no gradient flows, so on the arrays
        locals()[_name] = staticmethod(lambda a, b, _name=_name: Tensor._make(getattr(K, _name)(_array(a), _array(b))))
    del _name


RECORDED = _RecordedKernels()


class _NumpyOnTensors:
    """numpy as the recorded backward calls it: the layout functions a backward uses on its gradients run as tensor
    ops when given tensors; everything else is numpy's own (a minigrad dtype read as numpy's)."""

    LAYOUT: ClassVar[dict[str, Callable[..., Any]]] = {
        "expand_dims": lambda x, axis: x.unsqueeze(axis) if isinstance(axis, int) else _unsqueezed(x, axis),
        "swapaxes": lambda x, a, b: x.transpose(a, b),
        "moveaxis": lambda x, source, destination: x.movedim(source, destination),
        "squeeze": lambda x, axis=None: x.squeeze() if axis is None else x.squeeze(axis),
        "reshape": lambda x, shape, copy=None: x.reshape(shape),
        "transpose": lambda x, axes=None: x.permute(*(axes if axes is not None else reversed(range(x.ndim)))),
        "broadcast_to": lambda x, shape: x.expand(tuple(shape)),
        "ascontiguousarray": lambda x: x.contiguous(),
    }

    def __getattr__(self, name: str) -> Any:
        function = getattr(np, name)
        layout = self.LAYOUT.get(name)
        if not callable(function):
            return function

        def call(*args: Any, **kwargs: Any) -> Any:
            if layout is not None and isinstance(args[0], Tensor):
                return layout(*args, **kwargs)
            return function(*[_numpy_dtype(a) for a in args], **{k: _numpy_dtype(v) for k, v in kwargs.items()})

        return call


def _unsqueezed(x: Tensor, axes: Sequence[int]) -> Tensor:
    for axis in sorted(a % (x.ndim + len(axes)) for a in axes):
        x = x.unsqueeze(axis)
    return x


def _numpy_dtype(x: Any) -> Any:
    return x.np if isinstance(x, dtypes.dtype) else x


NUMPY = _NumpyOnTensors()
_running: list[str] = []  # the node whose backward is being recorded (for the error above)


# ----- running an op's backward on tensors ------------------------------------------------------------------------
_GLOBALS: dict[str, dict[str, Any]] = {}
_REBOUND: dict[FunctionType, FunctionType] = {}


def _recorded_globals(module: str) -> dict[str, Any]:
    """The module's namespace with ``K`` bound to ``RECORDED`` and its op helpers rebound the same way."""
    namespace = _GLOBALS.get(module)
    if namespace is None:
        namespace = _GLOBALS[module] = dict(vars(sys.modules[module]))
        namespace["K"], namespace["np"] = RECORDED, NUMPY
        for name, value in list(namespace.items()):
            if isinstance(value, FunctionType) and value.__module__.startswith("minigrad.ops"):
                namespace[name] = rebound(value)
    return namespace


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

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)


def _saved_tensor(node: engine.Node, array: Any) -> Any:
    """A saved array as the tensor it is in the graph: an input (its edge), an output of the node, else a constant."""
    if not isinstance(array, np.ndarray):
        return array
    inputs = node.ctx.replay[0] if node.ctx.replay is not None else ()
    for x, edge in zip(inputs, node.next_edges):
        if x is array:
            return Tensor._make(array) if edge is None else Tensor._make(array, grad_fn=edge[0], output_nr=edge[1])
    for i, output in enumerate(node.ctx.outputs):
        if output() is array:
            return Tensor._make(array, grad_fn=node, output_nr=i)
    return Tensor._make(array)


# Ops whose backward does not record yet (it calls a kernel or a numpy function with no recorded form above, or keeps
# a kernel in a class attribute, out of this module's reach): a recorded pass through one stops with an error rather
# than give a wrong second derivative. tests/test_double_backward.py checks every other op against PyTorch.
NOT_YET = frozenset({
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "Amax", "Amin", "AvgPool1d", "AvgPool2d",
    "BatchNorm", "BinaryCrossEntropy", "Cholesky", "Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d",
    "Cross", "Cummax", "Cummin", "Cumprod", "Cumsum", "Det", "Diag", "Diagonal", "Eigh", "Einsum", "Embedding",
    "Fold", "Gelu", "Glu", "GroupNorm", "Hardshrink", "Hardsigmoid", "Hardswish", "Hardtanh", "Index", "IndexCopy",
    "IndexFill", "IndexSelect", "Kthvalue", "LayerNorm", "LogSigmoid", "Logcumsumexp", "Logsumexp", "LstmCell",
    "MaxDim", "MaxPool1d", "MaxPool2d", "MaxUnpool2d", "Maximum", "MedianDim", "MinDim", "Minimum", "Mish",
    "ModeDim", "MseLoss", "NllLoss", "Prod", "Qr", "Remainder", "Roll", "ScatterReduce", "Silu", "Slogdet",
    "Softshrink", "Solve", "Sort", "Std", "Svd", "Svdvals", "Topk", "Trace", "Tril", "Triu", "Unfold",
    "UpsampleBilinear2d", "UpsampleLinear1d", "UpsampleNearest1d", "UpsampleNearest2d", "UpsampleNearestExact1d",
    "UpsampleNearestExact2d", "Var", "VectorNorm"
})


def _apply(node: engine.Node, grad: Any) -> tuple[Any, ...]:
    """``node.apply(grad)`` with every step recorded: its op's backward, rebound, on tensors."""
    if node.op is None or not hasattr(node.op, "backward"):  # special nodes (views, custom Functions) run their own
        return node.apply(grad)
    if node.op.__name__ in NOT_YET:
        raise NotImplementedError(f"create_graph=True: minigrad cannot record the backward of {node.name()} yet; "
                                  "its gradient cannot be differentiated again")
    if node.ctx._versions and not node.ctx.freed:
        node._check_saved_versions()
    backward = node.op.backward  # a staticmethod's function, or a classmethod bound to its op
    backward = MethodType(rebound(backward.__func__), backward.__self__) if isinstance(backward, MethodType) \
        else rebound(backward)
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
