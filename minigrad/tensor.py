"""``Tensor``: a numpy array, plus what autograd needs (``requires_grad``, ``grad``, ``grad_fn``).

Every differentiable method ends in ``apply``, which runs an op from the registry on the tensors'
arrays and, when grad mode is on and an input requires grad, records the op in the graph.
"""

from __future__ import annotations

import functools
import math
import operator
import warnings
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from . import dtypes, errors, random, return_types
from . import kernels as K
from .autograd import api, engine, forward_ad, graph, versions
from .autograd.grad_mode import grad_state, is_grad_enabled
from .autograd.views import AsStridedBackward, CopySlices
from .device import check_device, device
from .dtypes import dtype as DType
from .ops import (
    assign,
    classification,
    comparison,
    counting,
    join,
    linalg,
    math_functions,
    pointwise,
    reduction,
    special,
)
from .ops import gather as gather_ops
from .ops import shape as shape_ops
from .ops.dims import normalize_dim
from .ops.registry import Op, Promotion
from .printing import tensor_repr
from .size import Size
from .storage import TypedStorage, UntypedStorage

Number = int | float | bool
Operand = "Tensor | Number"

def expect_tensor(value: Any, function: str, name: str = "input", position: int = 1) -> None:
    """PyTorch's TypeError when a function taking a tensor gets something else: nothing is turned into one."""
    if not isinstance(value, Tensor):
        raise errors.not_a_tensor(value, function, name, position)


def is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.number, np.bool_))


def _promote(op: type[Op], inputs: Sequence[Tensor | Number], scalars: tuple[Any, ...]) -> list[np.ndarray]:
    """The inputs as arrays, converted as ``op.promotion`` says.

    Python numbers among the inputs take part in type promotion as PyTorch's "wrapped numbers" and enter
    the kernel as their value in the computation dtype (so uint8 / -2 divides by -2.0, not by 254). What to
    convert to depends only on the op, its operands' dtypes and kinds, and the default dtype: it is worked out
    once for each such pattern (``_CONVERSIONS``).
    """
    arrays = [x._data for x in inputs if isinstance(x, Tensor)]
    if len(arrays) == len(inputs) and arrays and not scalars and op.unchecked:
        dtype = arrays[0].dtype
        if op.as_given or (all([a.dtype == dtype for a in arrays]) and (dtype.kind == "f" or not op.to_float)):
            return arrays  # one dtype throughout (or the op takes its inputs as they are): nothing to promote
    pattern = (op, dtypes.get_default_dtype(), *[(x._data.dtype, x._data.ndim == 0) if isinstance(x, Tensor) else
                                                 type(x) for x in inputs], *map(type, scalars))
    target = _CONVERSIONS.get(pattern)
    if target is None:
        target = _CONVERSIONS[pattern] = _conversion(op, inputs, scalars)
    if target is _SAME_AS_FIRST:  # numbers take the first tensor's dtype
        target = arrays[0].dtype
        return [x._data if isinstance(x, Tensor) else K.scalar(x, target) for x in inputs]
    return [K.cast(x._data, target) if isinstance(x, Tensor) else K.scalar(x, target) for x in inputs]


_SAME_AS_FIRST = np.dtype(np.void)  # (a marker: tensors kept as they are, numbers in the first tensor's dtype)
_CONVERSIONS: dict[tuple[Any, ...], np.dtype] = {}  # (op, default dtype, each input's (dtype, 0-d) or number type,
# the scalars' types) -> the dtype every input is converted to


def _conversion(op: type[Op], inputs: Sequence[Tensor | Number], scalars: tuple[Any, ...]) -> np.dtype:
    """The dtype ``_promote`` converts the inputs to (PyTorch's errors for the operands ``op`` refuses)."""
    arrays = [x._data for x in inputs if isinstance(x, Tensor)]
    numbers = tuple(x for x in inputs if not isinstance(x, Tensor))
    for value in numbers:
        if not is_number(value):
            raise TypeError(f"unsupported operand type(s) for {op.__name__}: 'Tensor' and '{type(value).__name__}'")
    if not op.unchecked:  # the op refuses some dtypes
        op.check([x._data.dtype if isinstance(x, Tensor) else dtypes.scalar_dtype(x).np for x in inputs])
    if op.promotion is Promotion.NONE or op.promotion is Promotion.SAME:
        return _SAME_AS_FIRST
    target = dtypes.result_type([(dtypes.from_numpy(a.dtype), a.ndim) for a in arrays], numbers + scalars)
    if op.promotion is Promotion.FLOAT and not target.is_floating_point:
        target = dtypes.get_default_dtype()
    return target.np


def apply(op: type[Op], *inputs: Tensor | Number, scalars: tuple[Any, ...] = (), **params: Any) -> Any:
    """Run ``op`` on the inputs and record it in the graph when a gradient will be needed.

    Inputs may be Python numbers (constants); ``scalars`` are numbers the op takes as parameters, which
    take part in type promotion too. A tensor among ``params`` is a constant: its values are used, but
    no gradient flows to it (as for a loss's ``weight``).
    """
    arrays = _promote(op, inputs, scalars)
    if params:
        params = {k: v._data if isinstance(v, Tensor) else v for k, v in params.items()}
    half = _HALF_MADE and _in_half(arrays, params)
    if half and op.returns_view:  # (moves elements, computes none: moved as their bits, so a view stays a view)
        arrays = [a.view(np.int16) if a.dtype == K.HALF else a for a in arrays]
    elif half:  # numba has no float16: computed in float32, as PyTorch's CPU kernels compute half ("opmath")
        arrays = [K.widened(a) for a in arrays]
        if op.opmath_scalar:
            arrays = [K.scalar(x, K.FLOAT) if not isinstance(x, Tensor) else
                      K.cast(x._data, K.FLOAT) if i == 1 and x._data.ndim == 0 else a
                      for i, (x, a) in enumerate(zip(inputs, arrays))]
        params = {k: K.widened(v) if isinstance(v, np.ndarray) else _half_number(v) if k in op.half_params else v
                  for k, v in params.items()}
    needs = _needs_grad(inputs) if grad_state.enabled and op.differentiable else None  # (is_grad_enabled(), inline)
    recording = needs is not None and True in needs
    ctx = engine.Context()
    ctx.needs_input_grad = needs if recording else (False,) * len(inputs)
    out = op.forward(ctx, *arrays, **params)
    if half:
        as_half = _as_half if op.returns_view else _rounded
        out = tuple(map(as_half, out)) if isinstance(out, tuple) else as_half(out)
    several = isinstance(out, tuple)
    grad_fn = None
    if recording and (out[0] if several else out).dtype.kind == "f":  # only floating-point results carry gradients
        grad_fn = _node(op, ctx, inputs, needs, arrays, params, out if several else (out,))
    if not several:
        result = Tensor._make(out, grad_fn=grad_fn)
        if op.returns_view and out.base is not None and versions.shared(out, arrays[0]):
            result._view = View(inputs[0])
    else:  # the first ``differentiable_outputs`` outputs are the node's (indices and the like are not)
        result = tuple(Tensor._make(o, grad_fn=grad_fn if i < op.differentiable_outputs else None, output_nr=i)
                       for i, o in enumerate(out))
    if forward_ad.active:  # forward-mode AD: a dual level is open; the outputs' tangents from the inputs' ones
        forward_ad.propagate(op, ctx, inputs, arrays, params, result)
    return result


_HALF_MADE = False  # whether a float16 tensor has been made (``_admit``): until then no op looks for one


def _admit(dtype: np.dtype) -> None:
    """A new tensor's dtype that kernels do not compute in: float16, from now on looked for by every op (``apply``),
    or a dtype minigrad has not (PyTorch's error, naming it)."""
    global _HALF_MADE
    if dtype == K.HALF:
        _HALF_MADE = True
    else:
        dtypes.from_numpy(dtype)  # raises, naming the dtype


def _in_half(arrays: list[np.ndarray], params: dict[str, Any]) -> bool:
    """Whether an op computes in float16: some input is float16, and no input, nor a dtype it is asked for (``to``,
    ``sum(dtype=)``), is another float dtype."""
    kinds = [a.dtype for a in arrays]
    if params:
        kinds += [v.dtype if isinstance(v, np.ndarray) else v for v in params.values()
                  if isinstance(v, (np.ndarray, np.dtype))]
    return K.HALF in kinds and K.FLOAT not in kinds and _DOUBLE not in kinds


_DOUBLE = np.dtype(np.float64)


def _rounded(out: np.ndarray) -> np.ndarray:
    """A float32 result of an op computed for float16 inputs, rounded once to float16 (other results as they are).
    The float32 array is overwritten with the rounded values too, so that what forward saved for backward (an
    output, as exp saves) holds what PyTorch's saves: the float16 result."""
    if out.dtype != K.FLOAT:
        return out
    rounded = K.cast(out, K.HALF)
    if isinstance(out, np.ndarray) and out.flags.writeable:
        K.write(out, rounded)
    return rounded


def _half_number(value: Any) -> Any:
    """A number param (not a bool) rounded to float16, as PyTorch converts it to a half tensor's dtype."""
    return value if isinstance(value, (bool, np.bool_)) else float(K.scalar(value, K.HALF))


def _as_half(out: np.ndarray) -> np.ndarray:
    """An int16 result of an op that moved float16 elements as their bits, seen as float16 again."""
    return out.view(K.HALF) if out.dtype == np.int16 else out


def _needs_grad(inputs: Sequence[Tensor | Number]) -> tuple[bool, ...]:
    """Which inputs are tensors that require grad (a view requires grad when its base does)."""
    return tuple([isinstance(x, Tensor) and (x._requires_grad or (
        x._view is not None and x._view.base._requires_grad and x.requires_grad))
                  for x in inputs])


def _node(op: type[Op], ctx: engine.Context, inputs: Sequence[Tensor | Number], needs: tuple[bool, ...],
          arrays: list[np.ndarray], params: dict[str, Any], out: tuple[np.ndarray, ...]) -> engine.Node:
    """The graph node of ``op``'s application: an edge for each input that ``needs`` a gradient, and the (shape,
    dtype) of each input (the gradient is brought back to the input's dtype, which may differ from the array the op
    computed with)."""
    edges = tuple([x._grad_edge() if need else None for x, need in zip(inputs, needs)])
    metas = tuple([(a.shape, x._data.dtype if isinstance(x, Tensor) else a.dtype) for x, a in zip(inputs, arrays)])
    name = None if op.fixed_name else op.grad_fn_name(ctx, *arrays, **params)
    n = op.differentiable_outputs
    node = engine.node_class(name or op.grad_fn)(op, ctx, edges, metas, name,
                                                  tuple([(o.shape, o.dtype) for o in out[:n]]) if n > 1 else ())
    ctx.replay = (arrays, params)
    if ctx._saved:  # a saved output is told from a constant by these (``higher_order``)
        ctx.outputs = tuple(map(_weak, out[:n]))
    return node


def matrix_transposed(matrix: Tensor) -> Tensor:
    """``matrix.t()`` for a 2-D tensor (a weight), with the same node, TBackward0, made directly: the op's checks,
    promotion and view bookkeeping are not needed for an operand that goes straight into another op (``linear``)."""
    if forward_ad.active:  # (tangents go through the op)
        return matrix.t()
    array = matrix._data
    if not (grad_state.enabled and matrix.requires_grad):
        return Tensor._make(array.T)
    ctx = engine.Context()
    ctx.dims, ctx.replay = (0, 1), ([array], {})
    node = engine.node_class(shape_ops.T.grad_fn)(shape_ops.T, ctx, (matrix._grad_edge(),),
                                                  ((array.shape, array.dtype),))
    return Tensor._make(array.T, grad_fn=node)


def _weak(array: np.ndarray) -> Callable[[], np.ndarray | None]:
    """A weak reference to ``array`` (to a numpy scalar, which takes none: one that is always dead)."""
    return weakref.ref(array) if isinstance(array, np.ndarray) else lambda: None


def _keep(keepdim: bool, keepdims: bool | None) -> bool:
    """A reduction's ``keepdim``, also spelled ``keepdims`` (numpy's spelling, which PyTorch takes too)."""
    return keepdim if keepdims is None else keepdims


def _dim(dim: Any, axis: Any, name: str, default: Any = None, required: bool = False) -> Any:
    """A function's ``dim``, also named ``axis`` (numpy's name, which PyTorch's argument parser takes for the ``dim``
    of every native function: d2l writes ``X.sum(axis=0)``). Given both (``dim`` other than its ``default``), or
    neither where ``dim`` is ``required``: PyTorch's TypeError. One call on the hot path, where ``axis`` is None."""
    if axis is None:
        if required and dim is None:
            raise errors.missing_dim(name)
        return dim
    if dim is not default:
        raise errors.dim_and_axis(name)
    return axis


def _takes_axis(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method``, also taking its ``dim`` as ``axis=`` (see ``_dim``): for the few whose ``dim`` comes before other
    required arguments (``gather(dim, index)``), which cannot name ``axis`` in their signature. A wrapper: a call
    costs some 0.1 µs more, so the reductions, called in every training step, take ``axis`` in their signature."""
    position, name = method.__code__.co_varnames.index("dim"), method.__name__

    @functools.wraps(method)
    def taking_axis(*args: Any, **kwargs: Any) -> Any:
        if "axis" in kwargs:
            if "dim" in kwargs or len(args) > position:
                raise errors.dim_and_axis(name)
            kwargs["dim"] = kwargs.pop("axis")
        return method(*args, **kwargs)

    return taking_axis


def legacy_sizes(args: tuple[Any, ...]) -> tuple[int, ...] | None:
    """The sizes PyTorch's legacy constructors (``Tensor(2, 3)``, ``FloatTensor(size)``, ``Tensor()``: size 0) take
    from their arguments, or None where they are data (one sequence, array or tensor). PyTorch leaves a new tensor's
    memory uninitialised; minigrad's are zeros."""
    if len(args) == 1 and isinstance(args[0], Size):
        return tuple(args[0])
    if all(isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_)) for a in args):
        return tuple(map(int, args)) if args else (0,)
    if len(args) > 1:
        raise errors.legacy_constructor_arguments(args)
    if is_number(args[0]):
        raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
    return None


def refuse_text(data: Any) -> None:
    """PyTorch's errors for text (str, bytes) given as a tensor's data: as the data itself, "invalid data type"; where
    the first element at each depth leads to it, "too many dimensions" (to PyTorch a string is a sequence, of
    strings). (Text elsewhere: ``invalid_data_type`` while the dtype is inferred, else ``text_not_number``.)"""
    if isinstance(data, (str, bytes)):
        raise errors.invalid_data_type(data)
    first = data
    while isinstance(first, (list, tuple)) and first:
        first = first[0]
    if isinstance(first, (str, bytes)):
        raise errors.too_many_dimensions(first)


_QR_WARNED = False  # torch.qr's deprecation warning is given once


class View:
    """How a tensor views another's memory (PyTorch's view metadata). ``base``: the tensor whose memory it is (never
    itself a view); ``version``: the base memory's version when the view's ``grad_fn`` was last set; ``made``: how
    it was made, "default", "no_grad" (in no_grad mode), "multi" (by a function returning several views, as
    ``unbind``) or "custom" (an output of a custom autograd Function): PyTorch refuses recorded in-place writes into
    the last three."""

    __slots__ = ("base", "function", "made", "output", "version")

    def __init__(self, of: Tensor) -> None:
        self.base = of._view.base if of._view is not None else of
        self.version = versions.version(of._data)
        self.made = "default" if grad_state.enabled else "no_grad"
        self.function, self.output = "", 0  # for "multi": PyTorch's name of the function (e.g. "Unbind"), which output

    @staticmethod
    def mark_several(views: Sequence[Tensor], function: str) -> tuple[Tensor, ...]:
        """Mark ``views`` as the outputs of one function returning several views."""
        for i, t in enumerate(views):
            if t._view is not None:
                t._view.made, t._view.function, t._view.output = "multi", function, i
        return tuple(views)


def _index_key(key: Any, ndim: int) -> tuple[Any, ...]:
    """An indexing key as a tuple of ints, slices, None, Ellipsis and numpy index arrays, checked against a
    tensor of ``ndim`` dims with PyTorch's errors (too many indices, indexing a 0-d tensor, a float index)."""
    if type(key) is int and ndim:  # x[i], a sample: nothing to check
        return (key,)
    if isinstance(key, Tensor) and ndim and key._data.dtype == np.int64:  # x[idx], a minibatch's rows: nothing to check
        return (key._data,)
    items = key if isinstance(key, tuple) else (key,)
    out = []
    for k in items:
        if isinstance(k, Tensor):
            if k.dtype not in (dtypes.int64, dtypes.int32, dtypes.uint8, dtypes.bool):
                raise errors.index_tensor_dtype()
            k = k._data
        elif isinstance(k, (list, range)):
            k = np.asarray(k)
        elif isinstance(k, np.integer):
            k = int(k)
        out.append(k)
    # Dims the key indexes: None, Ellipsis and Python bools add or keep dims; a bool mask covers its own dims.
    used = sum(0 if k is None or k is Ellipsis or isinstance(k, (bool, np.bool_)) else
               k.ndim if isinstance(k, np.ndarray) and k.dtype == np.bool_ else 1 for k in out)
    if used > ndim:
        if ndim == 0 and len(out) == 1 and isinstance(out[0], int):
            raise errors.index_of_0d()
        if ndim == 0 and len(out) == 1 and isinstance(out[0], slice):
            raise errors.slice_of_0d()
        raise errors.too_many_indices(ndim)
    for k in out:
        if not (k is None or k is Ellipsis or isinstance(k, (int, slice, str, np.ndarray, np.bool_))):
            raise errors.invalid_index(k)
    return tuple(out)


def _dim_args(dims: tuple[Any, ...]) -> tuple[int, ...]:
    """Sizes or dims given as f(2, 3) or f((2, 3))."""
    return tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else tuple(dims)


def _keyword_sizes(args: tuple[Any, ...], keyword: Any, function: str, name: str) -> tuple[int, ...]:
    """Sizes or dims given by PyTorch's keyword for them (``x.view(size=(6,))``, ``x.reshape(shape=...)``,
    ``x.permute(dims=...)``): a tuple or list, not with positional ones (PyTorch's TypeErrors). Off the hot path: the
    methods call it only when the keyword is given."""
    if args:
        raise errors.sizes_twice(function, name)
    if not isinstance(keyword, (tuple, list)):
        raise errors.sizes_not_tuple(function, name, keyword)
    return tuple(keyword)


def _scaled(method: str, other: Any, args: tuple[Any, ...], alpha: Number) -> tuple[Any, Number]:
    """(other, alpha) from ``add``/``sub``'s arguments, PyTorch's deprecated ``x.add_(alpha, other)`` included, with
    its warning."""
    if not args:
        return other, alpha
    if len(args) > 1 or not is_number(other) or not isinstance(args[0], Tensor):
        raise errors.positional_arguments(method, 1, 1 + len(args))
    global _OVERLOAD_WARNED
    if not _OVERLOAD_WARNED:  # (once a process, for any deprecated overload, as PyTorch's argument parser warns)
        _OVERLOAD_WARNED = True
        warnings.warn(errors.deprecated_alpha_overload(method), UserWarning, stacklevel=3)
    return args[0], other


_OVERLOAD_WARNED = False
_STORAGE_WARNED = False  # (Tensor.storage's deprecation: once a process, as PyTorch warns)


def warn_scalar_of_graph() -> None:
    """PyTorch's warning for a Python number taken from a tensor that requires grad (``float(loss)``, ``'%.2f' % loss``,
    ``tensor([loss])``): once a process, wherever it happens."""
    global _SCALAR_WARNED
    if not _SCALAR_WARNED:
        _SCALAR_WARNED = True
        warnings.warn(errors.tensor_of_grad_tensor_warning(), UserWarning, stacklevel=errors.outside_minigrad())


_SCALAR_WARNED = False


def _unscaled(alpha: Number) -> bool:
    """Whether ``add``/``sub`` with ``alpha`` is the plain op: an int 1 (PyTorch checks a float or bool one against
    the dtypes even when it is 1)."""
    return type(alpha) is int and alpha == 1


def _folds(batch: Tensor, other: Tensor) -> bool:
    """Whether PyTorch's matmul folds ``batch`` (of 3 dims or more) times a matrix or vector into one product
    (``should_fold``): when ``other`` requires grad, or ``batch`` is empty, or its rows need no copy to be folded (its
    leading dims continue each other in memory)."""
    if other.dim() > 2:
        return False
    if other.requires_grad or batch.numel() == 0:
        return True
    shape, strides = batch._data.shape, batch._data.strides
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(batch.dim() - 2))


def _alias(method: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``method`` under PyTorch's other ``name`` (which its errors and ``__name__`` give): the same op, the same node
    (``absolute`` records AbsBackward0)."""
    @functools.wraps(method)
    def alias(*args: Any, **kwargs: Any) -> Any:
        return method(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = name
    return alias


def _operator(op: type[Op], ufunc: np.ufunc | None = None) -> Callable[[Tensor, Any], Tensor]:
    """``self <op> other`` for a binary operator: ``op`` applied to a tensor or a number. A numpy array, which
    PyTorch's operators refuse: numpy computes ``ufunc`` (``Tensor._computed_by_numpy``), or, without one (<, <=, >,
    >=, !=), NotImplemented (``Tensor._not_for_arrays``)."""
    def operator(self: Tensor, other: Any) -> Tensor:
        try:
            return apply(op, self, other)
        except TypeError:
            return self._not_for_arrays(other) if ufunc is None else self._computed_by_numpy(ufunc, other)

    return operator


class Tensor:
    """An n-dimensional array that can record the ops applied to it and compute their gradients."""

    __module__ = "minigrad"  # (its public name, as type(x) shows it: minigrad.Tensor)
    __array_ufunc__ = None  # numpy scalars defer to Tensor's operators: np.float32(2) * t is a Tensor
    html_renderer: Callable[[Tensor], str | None] | None = None  # set by minigrad.viz: notebooks draw graphs

    def __init__(self, *args: Any, dtype: DType | None = None) -> None:
        """PyTorch's legacy ``Tensor(...)`` constructor: ``Tensor(data)`` the data as a default-float tensor (or of
        ``dtype``), ``Tensor(2, 3)`` a new one of those sizes (``legacy_sizes``)."""
        sizes, target = legacy_sizes(args), (dtype or dtypes.get_default_dtype()).np
        if sizes is None:
            refuse_text(args[0])
        try:
            array = np.zeros(sizes, target) if sizes is not None else np.array(args[0], dtype=target)
        except ValueError:  # text among the numbers
            raise errors.text_not_number() from None
        self._init(array, requires_grad=False, grad_fn=None)

    # What most tensors never set: read from the class until a tensor sets its own.
    _grad: Tensor | None = None
    _output_nr = 0  # which output of grad_fn this tensor is
    _view: View | None = None  # set when this tensor looks at another tensor's memory
    _accumulator: weakref.ref[engine.AccumulateGrad] | None = None
    _retains_grad: tuple[int, Callable[[np.ndarray], None]] | None = None  # retain_grad's hook on grad_fn
    _inference = False  # made in inference_mode

    def _init(self, array: np.ndarray, requires_grad: bool, grad_fn: engine.Node | None, output_nr: int = 0) -> None:
        if array.dtype not in dtypes.COMPUTED_DTYPES:
            _admit(array.dtype)
        self._data = array
        self._requires_grad = requires_grad
        self._grad_fn = grad_fn
        if output_nr:
            self._output_nr = output_nr

    @classmethod
    def _make(cls, array: np.ndarray, requires_grad: bool = False, grad_fn: engine.Node | None = None,
              output_nr: int = 0) -> Tensor:
        """A tensor around ``array`` (no copy): how ops and factories build their results."""
        if array.dtype not in dtypes.COMPUTED_DTYPES:
            _admit(array.dtype)
        t = cls.__new__(cls)
        t._data, t._grad_fn = array, grad_fn  # (``_init``, inline: every op result is made here)
        t._requires_grad = requires_grad or grad_fn is not None
        if output_nr and grad_fn is not None:
            t._output_nr = output_nr
        if grad_state.inference:
            t._inference = True
        return t

    # ----- autograd state -------------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        """Whether ops on this tensor record a graph so its gradient can be computed (for a view: also when its base
        requires grad)."""
        if self._view is not None:
            self._update_view_history()
            return self._requires_grad or self._view.base.requires_grad
        return self._requires_grad

    @property
    def grad_fn(self) -> engine.Node | None:
        """The graph node that made this tensor (None for a leaf)."""
        if self._view is not None:
            self._update_view_history()
        return self._grad_fn

    @grad_fn.setter
    def grad_fn(self, node: engine.Node | None) -> None:
        self._grad_fn = node

    def _update_view_history(self) -> None:
        """A view whose base memory was written in place since its ``grad_fn`` was set takes its gradient to the base
        as the base is now: its ``grad_fn`` becomes AsStridedBackward0, pointing at the base's history (PyTorch's)."""
        view = self._view
        now = versions.version(self._data)
        if view.version == now:
            return
        view.version = now
        base = view.base
        if base.requires_grad:
            meta = (base._data.shape, base._data.dtype)
            self._grad_fn = AsStridedBackward(base._grad_edge(), meta, K.view_positions(base._data, self._data))
            self._requires_grad, self._output_nr = True, 0

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self._set_requires_grad(flag, "attribute")

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place; returns self."""
        self._set_requires_grad(requires_grad, "method")
        return self

    def _set_requires_grad(self, flag: bool, asked_by: str) -> None:
        """Set the flag on a leaf; ``asked_by`` picks PyTorch's wording for a non-float tensor, which differs
        between the setter, ``requires_grad_()`` and the factories (see ``errors.integer_requires_grad``)."""
        if not self.is_leaf:
            raise errors.requires_grad_not_leaf()
        if flag and not self.dtype.is_floating_point:
            raise errors.integer_requires_grad(asked_by)
        if flag and self.is_inference() and not grad_state.inference:
            raise errors.inference_tensor_requires_grad()
        self._requires_grad = bool(flag)

    def is_inference(self) -> bool:
        """Whether this tensor was made in ``inference_mode`` (a view: whether its base was)."""
        return self._inference if self._view is None else self._view.base._inference

    @property
    def _base(self) -> Tensor | None:
        """The tensor whose memory this view looks at (never itself a view), None for a tensor that is no view."""
        return None if self._view is None else self._view.base

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user (not by a recorded op); only leaves get ``.grad``."""
        return (self._grad_fn if self._view is None else self.grad_fn) is None

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient (leaves, and tensors that called ``retain_grad()``), else None."""
        if self._grad is None and not self._retains_grad and not self.is_leaf:
            warnings.warn(errors.non_leaf_grad_warning(), UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        """Assign ``.grad``: None, or a tensor of this tensor's dtype and shape (PyTorch's checks and errors)."""
        if value is not None and not isinstance(value, Tensor):
            raise errors.grad_not_tensor(value)
        if value is not None and value.dtype is not self.dtype:
            raise errors.grad_dtype_mismatch(value.dtype, self.dtype)
        if value is not None and value.shape != self.shape:
            raise errors.grad_size_mismatch(value.shape, self.shape)
        self._grad = value

    def _reset_grad(self, set_to_none: bool) -> None:
        """What ``zero_grad`` does to one parameter: ``.grad`` becomes None, or zeros (detached)."""
        if self._grad is not None:
            self._grad = None if set_to_none else self._grad.detach().zero_()

    def retain_grad(self) -> None:
        """Keep the gradient of this non-leaf tensor in ``.grad`` during backward."""
        if not self.requires_grad:
            raise errors.retain_grad_without_grad()
        if self.is_leaf or self._retains_grad:
            return
        # The hook holds the tensor weakly: a strong one would make a cycle (tensor -> grad_fn -> hook -> tensor)
        # that keeps the graph alive until the cycle collector runs. A tensor that is gone has no .grad to fill.
        ref = weakref.ref(self)

        def retain(grad: np.ndarray) -> None:
            tensor = ref()
            if tensor is not None:
                tensor._accumulate_grad([grad])

        self._retains_grad = (self._output_nr, retain)
        self.grad_fn.add_pre_hook(self._retains_grad)

    @property
    def retains_grad(self) -> bool:
        """Whether ``retain_grad()`` keeps this non-leaf tensor's gradient in ``.grad`` (a leaf's is kept anyway)."""
        return self._retains_grad is not None

    _hooks: graph.Hooks | None = None  # a leaf's hooks (``register_hook``), made when the first is registered

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> graph.RemovableHandle:
        """Run ``hook(grad)`` whenever the gradient of this tensor is computed; it may return a gradient to use instead.
        On a leaf it runs before the gradient accumulates (what it returns accumulates); otherwise before the tensor's
        grad_fn uses it. It stays with that grad_fn when an in-place op gives the tensor a new one (PyTorch's rule;
        ``retain_grad`` moves on, and sees the gradient after the hooks)."""
        if not self.requires_grad:
            raise errors.hook_without_grad()
        node = self.grad_fn
        if node is not None:
            return node._hooks().add("tensor", (self._output_nr, hook))
        if self._hooks is None:  # a leaf: its AccumulateGrad nodes, this one and any later, share the hooks
            self._hooks = graph.Hooks()
            accumulator = self._accumulator() if self._accumulator is not None else None
            if accumulator is not None:
                accumulator.hooks = self._hooks
        return self._hooks.add("tensor", (0, hook))

    def _accumulate_grad(self, handed: list[np.ndarray]) -> None:
        """Add the gradient handed over in a one-element list into ``.grad`` (in place once it exists, as PyTorch's
        AccumulateGrad does). A first gradient becomes ``.grad``: the array itself if nothing else holds it, else a
        copy. A gradient with a graph (``create_graph=True``) is a tensor: it is added out of place, and recorded."""
        if isinstance(handed[0], Tensor):
            # (a copy into a new tensor, as PyTorch makes it: its node is CopyBackwards)
            self._grad = handed[0].new_empty(self.shape).copy_(handed[0]) if self._grad is None else \
                self._grad + handed[0]
        elif self._grad is None:
            kept = K.take(handed)
            self._grad = Tensor._make(kept if kept is not None else K.copy(handed[0]))
        elif self._grad._data.dtype == K.HALF:
            K.write(self._grad._data, engine.ON_ARRAYS.add(self._grad._data, handed[0]))
        else:
            K.add(self._grad._data, handed[0], out=self._grad._data)

    def _grad_edge(self) -> engine.Edge | None:
        """Where a gradient for this tensor flows: (its grad_fn, which output of it this tensor is), or its leaf
        accumulator."""
        if self._view is None:
            node, wanted = self._grad_fn, self._requires_grad
        else:
            node, wanted = self.grad_fn, self.requires_grad
        if node is not None:
            return node, self._output_nr
        if not wanted:
            return None
        # The accumulator holds this tensor; the tensor holds it weakly (as PyTorch's grad_accumulator_), so the
        # pair is no cycle: it lives while some graph points at it, and a later graph gets a new one.
        accumulator = self._accumulator() if self._accumulator is not None else None
        if accumulator is None:
            accumulator = engine.AccumulateGrad(self)
            self._accumulator = weakref.ref(accumulator)
        return accumulator, 0

    def backward(self, gradient: Tensor | None = None, retain_graph: bool | None = None, create_graph: bool = False,
                 inputs: Sequence[Tensor] | None = None) -> None:
        """Add the gradient of this tensor into the ``.grad`` of every leaf that requires grad (or of ``inputs`` only);
        ``gradient`` is d(something)/d(self), the same shape as self, omitted for a scalar (1)."""
        if inputs is not None or create_graph:
            return api.backward(self, gradient, retain_graph, create_graph, inputs)
        if not self.requires_grad:
            raise errors.backward_without_graph()
        if gradient is None:
            if self.numel() != 1:
                raise errors.implicit_grad_not_scalar()
            seed = K.scalar(1, self._data.dtype).reshape(self._data.shape)
        else:
            if tuple(gradient.shape) != self.shape:
                raise errors.grad_output_shape(gradient.shape, self.shape)
            seed = K.cast(gradient._data, self._data.dtype)
        engine.backward([self._grad_edge()], [seed], retain_graph=bool(retain_graph))

    def detach_(self) -> Tensor:
        """Cut this tensor off from the graph in place: a leaf that does not require grad (PyTorch's error for a view
        of a tensor that requires grad)."""
        if self._view is not None and self.requires_grad:
            raise errors.detach_view_inplace()
        self._grad_fn, self._requires_grad, self._output_nr, self._retains_grad = None, False, 0, None
        return self

    def detach(self) -> Tensor:
        """The same data (shared, not copied) cut off from the graph (and from forward AD's tangents)."""
        return forward_ad.detached(self) if forward_ad.active else Tensor._make(self._data)

    @property
    def data(self) -> Tensor:
        """The same data as a tensor outside the graph (PyTorch's ``.data``)."""
        return self.detach()

    @data.setter
    def data(self, value: Tensor) -> None:
        self._data = value._data

    # ----- metadata ---------------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None, *, axis: int | None = None) -> Size | int:
        """The shape, or the size of one dim."""
        dim = _dim(dim, axis, "size")
        return self.shape if dim is None else self._data.shape[normalize_dim(dim, self.dim())]

    def dim(self) -> int:
        return self._data.ndim

    ndim = property(dim)

    def numel(self) -> int:
        return self._data.size

    @property
    def dtype(self) -> DType:
        return dtypes.from_numpy(self._data.dtype)

    @property
    def device(self) -> device:
        return device("cpu")

    def is_contiguous(self) -> bool:
        return self._data.flags.c_contiguous

    def __len__(self) -> int:
        if self.dim() == 0:
            raise errors.len_of_0d()
        return self.shape[0]

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    # ----- in-place ops ---------------------------------------------------------------------------------------
    def _check_inplace(self, *others: Any) -> None:
        """PyTorch's refusals of an in-place write that grad mode would record (this tensor or one of ``others``
        requires grad): into a leaf that requires grad, a view of one, a view made in no_grad mode, or one of the
        views a function like ``unbind`` returns; and, outside ``inference_mode``, into a tensor made in it."""
        if (self._inference or (self._view is not None and self._view.base._inference)) and not grad_state.inference:
            raise errors.inference_tensor_inplace()  # (``is_inference()``, inline: every in-place op checks it)
        recorded = is_grad_enabled() and (self.requires_grad or any(
            isinstance(x, Tensor) and x.requires_grad for x in others))
        if recorded and self._view is not None:
            view = self._view
            if view.made == "multi":
                raise errors.multi_view_inplace(view.output, view.function)
            if view.made == "custom":  # an output of a custom autograd Function (autograd.function)
                raise errors.custom_function_view_inplace(view.output, view.function)
            if view.made == "no_grad":
                raise errors.no_grad_view_inplace()
            if view.base.is_leaf and view.base.requires_grad:
                raise errors.leaf_view_inplace()
        if recorded and self.requires_grad and self.is_leaf:
            raise errors.leaf_inplace()
        if self._data.size and any(size > 1 and stride == 0 for size, stride in zip(self._data.shape,
                                                                                   self._data.strides)):
            raise errors.overlapping_write()  # an expanded view: one memory location stands for several elements

    def _write(self, values: np.ndarray, writer: engine.Node | None = None) -> Tensor:
        """Overwrite this tensor's memory with ``values`` (broadcast, cast) and count the write (recorded in the graph
        by the node ``writer``, if any)."""
        shape = K.broadcast_shapes(self.shape, values.shape)
        if shape != self.shape:
            raise errors.output_shape_mismatch(self.shape, shape)
        K.write(self._data, values)
        versions.bump(self._data, writer)
        return self

    def _inplace(self, op: type[Op], *others: Tensor | Number, grad_fn: str | None = None, **params: Any) -> Tensor:
        """self = op(self, *others) in this tensor's memory; the graph, if recorded, continues from the result.

        The op sees self's old values (saved ones are copied before the write), and this tensor takes the
        result's ``grad_fn``, as PyTorch rebases history for in-place ops. ``grad_fn``: PyTorch's name for the node
        where its in-place variant has a node of its own (``leaky_relu_``'s LeakyReluBackward1, whose backward reads
        the result: the same gradient, where PyTorch allows the in-place variant).
        """
        self._check_inplace(*others)
        result = apply(op, self, *others, **params)
        if not dtypes.can_cast(result.dtype, self.dtype):
            raise errors.result_type_cast(result.dtype, self.dtype)
        node = result.grad_fn
        if node is not None:
            node.ctx.keep_own_copy(self._data)
            if grad_fn is not None:
                node.__class__, node._name = engine.node_class(grad_fn), grad_fn
        self._write(result._data, node)
        if node is not None:
            self._rebase_history(node)
        if forward_ad.active:  # forward-mode AD: this tensor's tangent becomes the result's
            forward_ad.inplace(self, result)
        return self

    def _inplace_view(self, op: type[Op], **params: Any) -> Tensor:
        """self turned into op(self) in place: its memory seen with other sizes and strides (PyTorch's transpose_, t_,
        squeeze_, unsqueeze_), no element written; the graph, if recorded, continues from the op's node."""
        self._check_inplace()
        result = apply(op, self, **params)
        self._data = result._data
        if result._grad_fn is not None:
            if self._view is None:
                self._rebase_history(result._grad_fn)
            else:  # (a view's base is not written: its history stays)
                self._grad_fn, self._output_nr, self._requires_grad = result._grad_fn, 0, True
        return self

    def _rebase_history(self, node: engine.Node) -> None:
        """Make ``node`` (an in-place op's, just written into this tensor) this tensor's history. For a view, the
        base's history is rewritten (CopySlices: the op's node for the viewed part, the old history elsewhere), and
        the view's own grad_fn follows from the base's."""
        old = self._grad_fn
        if self._view is None:
            self._grad_fn, self._output_nr, self._requires_grad = node, 0, True
        else:
            base = self._view.base
            meta = (base._data.shape, base._data.dtype)
            base._grad_fn = CopySlices(base._grad_edge(), meta, node, K.view_positions(base._data, self._data))
            base._output_nr, base._requires_grad = 0, True
            self._update_view_history()
        if self._retains_grad is not None:  # retain_grad follows the tensor to its new grad_fn, as in PyTorch
            old.pre_hooks.remove(self._retains_grad)
            self._retains_grad = (0, self._retains_grad[1])
            self._grad_fn.add_pre_hook(self._retains_grad)

    def add_(self, other: Operand, *args: Tensor, alpha: Number = 1) -> Tensor:
        other, alpha = _scaled("add_", other, args, alpha)
        if _unscaled(alpha):
            return self._inplace(pointwise.Add, other)
        return self._inplace(pointwise.AddScaled, other, alpha=alpha)

    def sub_(self, other: Operand, *args: Tensor, alpha: Number = 1) -> Tensor:
        other, alpha = _scaled("sub_", other, args, alpha)
        if _unscaled(alpha):
            return self._inplace(pointwise.Sub, other)
        return self._inplace(pointwise.SubScaled, other, alpha=alpha)

    def mul_(self, other: Operand) -> Tensor:
        return self._inplace(pointwise.Mul, other)

    def div_(self, other: Operand, *, rounding_mode: str | None = None) -> Tensor:
        """self /= other; with a ``rounding_mode``, the rounded quotient of ``div`` written back."""
        if rounding_mode is None:
            return self._inplace(pointwise.Div, other)
        return self.copy_(self.div(other, rounding_mode=rounding_mode))

    def true_divide_(self, other: Operand) -> Tensor:
        """self /= other (PyTorch's alias of ``div_``, without its ``rounding_mode``)."""
        return self._inplace(pointwise.Div, other)

    # PyTorch's aliases (numpy's names): the same methods, so the same grad_fn (MulBackward0, ...)
    multiply_, subtract_, divide_ = mul_, sub_, div_

    def clamp_(self, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        return self._clamp("clamp_", min, max)

    __iadd__, __isub__, __imul__, __itruediv__ = add_, sub_, mul_, div_

    def copy_(self, src: Tensor | Number) -> Tensor:
        """Overwrite this tensor's values with ``src`` (broadcast to this shape, cast to this dtype); gradients flow
        to ``src``, none to the old values."""
        return self._inplace(assign.Copy, src)

    def fill_(self, value: Number | Tensor) -> Tensor:
        """Set every element to ``value`` (a number or a 0-d tensor)."""
        if isinstance(value, Tensor):
            if value.dim() != 0:
                raise errors.fill_value_dims(value.dim())
            return self.copy_(value)
        return self._inplace(assign.Fill, value=value)

    def zero_(self) -> Tensor:
        """Set every element to 0."""
        return self._inplace(assign.Fill, value=0, zero=True)

    def __setitem__(self, key: Any, value: Tensor | Number) -> None:
        """``x[key] = value``, for every key ``x[key]`` takes; ``value`` broadcasts to the shape of x[key]. As in
        PyTorch: ints, slices, None and Ellipsis pick a view of x that ``copy_`` writes into; index arrays, lists and
        masks then write through ``index_put_`` (on that view). Both are recorded, so gradients flow to x's other
        elements and to ``value``."""
        key = _index_key(key, self.dim())
        if any(k is False for k in key):  # x[False] selects nothing (a Python bool, not a mask)
            return
        key = tuple(None if k is True else k for k in key)
        basic, rest = shape_ops._steps(key) if any(isinstance(k, np.ndarray) for k in key) else (key, ())
        whole = all(k is Ellipsis or (isinstance(k, slice) and k == slice(None)) for k in basic)
        target = self if whole else self[basic]
        if not rest:
            if isinstance(value, Tensor):  # PyTorch expands the value (its leading 1s dropped) to x[key]'s shape
                lead = next((i for i, n in enumerate(value.shape) if n != 1), value.dim())
                value = value.reshape(value.shape[lead:])
                shape_ops._expanded_shape(value.shape, target.shape, value.type())
            target.copy_(value)
            return
        if not isinstance(value, Tensor):
            value = Tensor._make(K.scalar(value, self._data.dtype))
        target.index_put_(rest, value)

    def index_put_(self, indices: Sequence[Any], values: Tensor, accumulate: bool = False) -> Tensor:
        """Write ``values`` (added, when ``accumulate``) at the positions ``self[indices]`` reads, in place."""
        expect_tensor(values, "index_put_", "values", 2)
        return self._inplace(assign.IndexPut, values, key=_index_key(tuple(indices), self.dim()),
                             accumulate=accumulate)

    def index_put(self, indices: Sequence[Any], values: Tensor, accumulate: bool = False) -> Tensor:
        """A copy of this tensor with ``values`` written (added, when ``accumulate``) at ``self[indices]``."""
        expect_tensor(values, "index_put", "values", 2)
        return apply(assign.IndexPut, self, values, key=_index_key(tuple(indices), self.dim()), accumulate=accumulate)

    def uniform_(self, a: float = 0.0, b: float = 1.0, generator: random.Generator | None = None) -> Tensor:
        """Fill with values drawn uniformly from [a, b), from PyTorch's random stream."""
        self._check_inplace()
        random.fill_uniform_(self._data, a, b, generator)
        versions.bump(self._data)
        return self

    def normal_(self, mean: float = 0.0, std: float = 1.0, generator: random.Generator | None = None) -> Tensor:
        """Fill with values drawn from N(mean, std^2), from PyTorch's random stream."""
        self._check_inplace()
        random.fill_normal_(self._data, mean, std, generator)
        versions.bump(self._data)
        return self

    def multinomial(self, num_samples: int, replacement: bool = False, *,
                    generator: random.Generator | None = None) -> Tensor:
        """``num_samples`` indices per row drawn with probabilities proportional to its entries (``random.multinomial``
        says how), the same as ``torch.multinomial`` under the same seed."""
        return Tensor._make(random.multinomial(self._data, operator.index(num_samples), replacement, generator))

    # ----- conversion ---------------------------------------------------------------------------------
    def item(self) -> Number:
        """The single value of a one-element tensor as a Python number."""
        if self.numel() != 1:
            raise errors.item_numel(self.numel())
        return self._data.reshape(-1)[0].item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def numpy(self) -> np.ndarray:
        """The data as a numpy array sharing memory with this tensor."""
        if self.requires_grad:
            raise errors.numpy_requires_grad()
        return self._data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """What numpy sees of this tensor (``np.asarray(t)``, ``plt.plot(t)``): ``numpy()``, in ``dtype`` if given."""
        array = self.numpy()
        if dtype is not None and np.dtype(dtype) != array.dtype:
            return array.astype(dtype)
        return array.copy() if copy else array

    def __float__(self) -> float:
        if self.requires_grad:
            warn_scalar_of_graph()
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def _scalar(self) -> Number:
        """The single value, for ``float()`` and ``int()``: PyTorch raises ValueError there, not ``item``'s error."""
        if self.numel() != 1:
            raise errors.python_scalar_numel()
        return self.item()

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise errors.ambiguous_bool(self.numel())
        return bool(self.item())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self.numel() != 1:
            raise errors.not_an_index()
        return int(self.item())

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """This tensor with another dtype (a differentiable copy) or device; self when nothing changes."""
        target = kwargs.get("dtype")
        for arg in [*args, kwargs.get("device")]:
            if isinstance(arg, DType):
                target = arg
            elif isinstance(arg, Tensor):
                target = arg.dtype
            else:
                check_device(arg)
        if target is None or target is self.dtype:
            return self
        if self.requires_grad and not target.is_floating_point:
            return Tensor._make(K.cast(self._data, target.np))
        return apply(pointwise.ToCopy, self, dtype=target.np)

    def clone(self) -> Tensor:
        """A copy of this tensor in new memory; gradients flow through it."""
        return apply(pointwise.Clone, self)

    def type(self, dtype: DType | str | None = None) -> str | Tensor:
        """The legacy type name (``minigrad.FloatTensor``), or this tensor converted to ``dtype`` (a dtype, or a
        legacy name such as ``'torch.DoubleTensor'``)."""
        if dtype is None:
            return f"minigrad.{self.dtype.legacy_name}"
        if isinstance(dtype, type):  # a legacy type: minigrad.FloatTensor
            dtype = dtype.dtype
        return self.to(dtypes.from_legacy_name(dtype) if isinstance(dtype, str) else dtype)

    def float(self) -> Tensor:
        return self.to(dtypes.float32)

    def double(self) -> Tensor:
        return self.to(dtypes.float64)

    def half(self) -> Tensor:
        return self.to(dtypes.float16)

    def long(self) -> Tensor:
        return self.to(dtypes.int64)

    def int(self) -> Tensor:
        return self.to(dtypes.int32)

    def short(self) -> Tensor:
        return self.to(dtypes.int16)

    def char(self) -> Tensor:
        return self.to(dtypes.int8)

    def bool(self) -> Tensor:
        return self.to(dtypes.bool)

    def byte(self) -> Tensor:
        return self.to(dtypes.uint8)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def mT(self) -> Tensor:  # noqa: N802  (PyTorch's name)
        """The last two dims swapped (a batch of matrices, each transposed)."""
        if self.dim() < 2:
            raise errors.mt_needs_matrices(self.dim())
        return self.transpose(-2, -1)

    @property
    def mH(self) -> Tensor:  # noqa: N802  (PyTorch's name)
        """The conjugate transpose of each matrix: ``mT`` (minigrad's tensors are real)."""
        return self.mT

    @property
    def H(self) -> Tensor:  # noqa: N802  (PyTorch's name)
        """The conjugate transpose of a matrix: its transpose (real)."""
        if self.dim() != 2:
            raise errors.h_needs_a_matrix(self.dim())
        return self.transpose(0, 1)

    def adjoint(self) -> Tensor:
        """``mH``."""
        return self.mT

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor in ``other``'s dtype."""
        return self.to(other.dtype)

    def cpu(self) -> Tensor:
        return self

    def __repr__(self) -> str:
        suffixes = []
        default_dtypes = (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool)
        if self.dtype not in default_dtypes or (self.numel() == 0 and self.dtype is not default_dtypes[0]):
            suffixes.append(f"dtype={self.dtype!r}")
        if self.grad_fn is not None:
            suffixes.append(f"grad_fn=<{self.grad_fn.name()}>")
        elif self.requires_grad:
            suffixes.append("requires_grad=True")
        return tensor_repr(self._data, suffixes)

    def _repr_html_(self) -> str | None:
        """Jupyter's rich display: the tensor's graph (see ``minigrad.viz``); None shows the plain repr."""
        return None if Tensor.html_renderer is None else Tensor.html_renderer(self)

    def __format__(self, format_spec: str) -> str:
        """A 0-d tensor formats as its number (``f"{loss:.4f}"``); others only without a format spec."""
        if self.dim() == 0 and type(self) is Tensor:
            return self.item().__format__(format_spec)
        if format_spec:
            raise errors.format_spec_not_0d()
        return str(self)

    __hash__ = object.__hash__

    # ----- arithmetic ----------------------------------------------------------------------------------
    def add(self, other: Operand, *args: Tensor, alpha: Number = 1) -> Tensor:
        """self + alpha * other (``alpha`` rounded in once, as PyTorch fuses it)."""
        other, alpha = _scaled("add", other, args, alpha)
        return apply(pointwise.Add, self, other) if _unscaled(alpha) else \
            apply(pointwise.AddScaled, self, other, alpha=alpha)

    def sub(self, other: Operand, *args: Tensor, alpha: Number = 1) -> Tensor:
        """self - alpha * other."""
        other, alpha = _scaled("sub", other, args, alpha)
        return apply(pointwise.Sub, self, other) if _unscaled(alpha) else \
            apply(pointwise.SubScaled, self, other, alpha=alpha)

    def mul(self, other: Operand) -> Tensor:
        return apply(pointwise.Mul, self, other)

    def div(self, other: Operand, *, rounding_mode: str | None = None) -> Tensor:
        """self / other; ``rounding_mode`` "floor" rounds the quotient down (``//``), "trunc" toward zero."""
        if rounding_mode is None:
            return apply(pointwise.Div, self, other)
        if rounding_mode == "floor":
            return self.floor_divide(other)
        if rounding_mode != "trunc":
            raise errors.rounding_mode(rounding_mode)
        if self.is_floating_point() or isinstance(other, float) or (
                isinstance(other, Tensor) and other.is_floating_point()):
            return (self / other).trunc()
        return (self - self.fmod(other)).floor_divide(other)  # (exact: what is left divides evenly)

    def true_divide(self, other: Operand) -> Tensor:
        """self / other (PyTorch's alias of ``div``, without its ``rounding_mode``)."""
        return apply(pointwise.Div, self, other)

    # PyTorch's aliases (numpy's names): the same methods, so the same grad_fn (MulBackward0, ...)
    multiply, subtract, divide = mul, sub, div

    def rsub(self, other: Operand) -> Tensor:
        """other - self."""
        return apply(pointwise.Rsub, self, other, number=is_number(other))

    def pow(self, exponent: Operand) -> Tensor:
        """self ** exponent, for a number or a tensor exponent."""
        if isinstance(exponent, Tensor):  # (self a number: minigrad.pow(2, x), PyTorch's pow of a scalar base)
            return apply(pointwise.PowScalarBase if is_number(self) else pointwise.PowTensor, self, exponent)
        if not is_number(exponent):
            raise TypeError(f"unsupported exponent type: {type(exponent).__name__}")
        return apply(pointwise.Pow, self, scalars=(exponent,), exponent=exponent)

    def neg(self) -> Tensor:
        return apply(pointwise.Neg, self)

    def matmul(self, other: Tensor) -> Tensor:
        """self @ other, with numpy's rules for 1-D and batched operands, recorded as PyTorch's matmul records it: a
        vector times a matrix as a row (unsqueeze, mm, then SqueezeBackward4); a batch of rows times a matrix or a
        vector folded into one product (reshape, mm or mv, then UnsafeViewBackward0), where PyTorch folds; else one
        node (Dot, Mv and Mm as PyTorch's; MatmulBackward0 for batches of matrices)."""
        ndims = (self._data.ndim, other._data.ndim) if isinstance(other, Tensor) else ()
        if ndims == (1, 2) or (ndims and ndims[0] >= 3 and _folds(self, other)):
            linalg.check_matmul(self._data, other._data)  # (PyTorch's errors, before any node)
            if self.dim() == 1:
                return self.unsqueeze(0).mm(other).squeeze_(0)
            rows = self.reshape(math.prod(self.shape[:-1]), self.shape[-1])  # (not -1: the last dim may be 0)
            product = rows.mm(other) if other.dim() == 2 else rows.mv(other)
            return apply(shape_ops.UnsafeView, product, shape=(*self.shape[:-1], *other.shape[1:]))
        return apply(linalg.Matmul, self, other)

    def inverse(self) -> Tensor:
        """A^-1 for each square matrix A (``linalg.inv``)."""
        return apply(linalg.Inv, self)

    def det(self) -> Tensor:
        """det A for each square matrix A (``linalg.det``)."""
        return apply(linalg.Det, self)

    def matrix_power(self, n: int) -> Tensor:
        """A^n for each square matrix A (``linalg.matrix_power``), as PyTorch composes it from matrix products: A^-1
        raised to -n for n < 0, and for n > 3, squarings of A times the results where n's bits (least first) are 1."""
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
            raise errors.matrix_power_exponent(n)
        if self.dim() < 2:
            raise errors.linalg_ndim("linalg.matrix_power")
        if self.shape[-1] != self.shape[-2]:
            raise errors.linalg_not_square("linalg.matrix_power", self.shape[-2], self.shape[-1])
        if n == 0:  # the identity, written over a copy of A (so the result is in the graph, with gradient 0)
            return self.clone().copy_(Tensor._make(np.eye(self.shape[-1], dtype=self._data.dtype)))  # (broadcast)
        if n in (1, -1):
            return self.clone() if n == 1 else self.inverse()
        a, n = (self.inverse() if n < 0 else self), abs(int(n))
        if n <= 3:
            return a.matmul(a) if n == 2 else a.matmul(a).matmul(a)
        z = result = None
        while n > 0:
            bit, n = n % 2, n // 2
            z = a if z is None else z.matmul(z)  # A^(2^k)
            if bit:
                result = z if result is None else result.matmul(z)
        return result

    def pinverse(self, rcond: float = 1e-15) -> Tensor:
        """The Moore-Penrose pseudoinverse of each matrix (``linalg.pinv`` with rtol=rcond)."""
        return self._pinv(0.0, rcond, hermitian=False)

    def _pinv(self, atol: float, rtol: float, hermitian: bool) -> Tensor:
        """``linalg.pinv`` as PyTorch composes it: A = U diag(S) V^T, then V diag(1/S) U^T with 1/S set to 0 where
        S <= max(atol, rtol * max S) (the tolerances in float64); for a symmetric A, its eigendecomposition (|S|)."""
        if self.dim() < 2 or not self.is_floating_point():
            raise errors.pinv_input(self.dtype, self.shape)
        if hermitian:
            s, u = apply(linalg.Eigh, self, UPLO="L")
            magnitude = s.abs()
            largest, v, uh = magnitude.amax(-1, keepdim=True), u, u.mT
        else:
            u, s, v = self.svd()
            magnitude, uh = s, u.mT
            largest = s.narrow(-1, 0, 1)  # (decreasing)
        tol = Tensor._make(np.array([atol])).maximum(Tensor._make(np.array([rtol])) * largest)
        inverted = apply(pointwise.Where, s.reciprocal(), 0.0, condition=magnitude > tol)
        return (v * inverted.unsqueeze(-2)).matmul(uh)

    # The operators take tensors and numbers (``add`` and the rest); given a numpy array they do what PyTorch's do,
    # which refuse it and so leave the operator to numpy (``_computed_by_numpy``): the tensor first (``t + array``),
    # numpy computes; the array first (``array + t``), a TypeError. (A ``try``, not a test: tensors and numbers
    # take the path they took before, at its cost.)
    __add__ = _operator(pointwise.Add, np.add)
    __sub__ = _operator(pointwise.Sub, np.subtract)
    __mul__ = _operator(pointwise.Mul, np.multiply)
    __truediv__ = _operator(pointwise.Div, np.true_divide)
    __mod__ = _operator(math_functions.Remainder, np.remainder)
    __floordiv__ = _operator(math_functions.FloorDivide, np.floor_divide)

    def __pow__(self, other: Operand | np.ndarray) -> Tensor:
        try:
            return self.pow(other)
        except TypeError:
            return self._computed_by_numpy(np.power, other)

    def __matmul__(self, other: Tensor | np.ndarray) -> Tensor:
        try:
            return self.matmul(other)
        except TypeError:
            return self._computed_by_numpy(np.matmul, other)
        except RuntimeError:  # (a number: PyTorch's @ refuses it, and Python raises its TypeError)
            if is_number(other):
                return NotImplemented
            raise

    __neg__ = neg

    def _computed_by_numpy(self, ufunc: np.ufunc, other: Any) -> Tensor:
        """``self <op> array`` as PyTorch gives it: its operator refuses the array, so Python asks the array's reflected
        operator, and numpy computes ``ufunc(self.numpy(), array)`` in numpy's dtypes (float32 with a float64 or int64
        array: float64), then hands the result back as a tensor through ``Tensor.__array_wrap__`` (a bool result as
        uint8), with no graph (a tensor that requires grad: numpy()'s error). NumPy 2 warns there that PyTorch's
        ``__array_wrap__`` takes too few arguments; that warning is given here too, from the caller's line. Anything
        other than an array: the TypeError ``apply`` raised."""
        if not isinstance(other, np.ndarray):
            raise  # (called inside the operator's ``except TypeError``: that error, again)
        result = np.asarray(ufunc(self.__array__(), other))
        if int(np.__version__.split(".")[0]) >= 2:
            warnings.warn(errors.numpy_array_wrap_warning(), DeprecationWarning, stacklevel=3)
        return Tensor._make(result.astype(np.uint8) if result.dtype == np.bool_ else result)

    def __radd__(self, other: Number) -> Tensor:
        if isinstance(other, np.ndarray):  # (numpy's ``array + t``: PyTorch's operator refuses it too)
            return NotImplemented
        return apply(pointwise.Add, other, self)

    def __rsub__(self, other: Number) -> Tensor:
        if isinstance(other, np.ndarray):
            return NotImplemented
        return apply(pointwise.Rsub, self, other, number=True)

    def __rmul__(self, other: Number) -> Tensor:
        if isinstance(other, np.ndarray):
            return NotImplemented
        return apply(pointwise.Mul, other, self)

    def __rtruediv__(self, other: Number) -> Tensor:
        """other / self, as PyTorch computes it: self's reciprocal times other (two roundings, a MulBackward0). (A numpy
        array: numpy multiplies, see ``__mul__``; where numpy refuses it, NotImplemented, as PyTorch gives.)"""
        try:
            return self.reciprocal() * other
        except TypeError:
            return self._not_for_arrays(other)

    def __rpow__(self, other: Number) -> Tensor:
        if isinstance(other, np.ndarray):
            return NotImplemented
        return apply(pointwise.PowScalarBase, other, self)

    # ----- elementwise functions ---------------------------------------------------------------------------
    def exp(self) -> Tensor:
        return apply(pointwise.Exp, self)

    def log(self) -> Tensor:
        return apply(pointwise.Log, self)

    def sqrt(self) -> Tensor:
        return apply(pointwise.Sqrt, self)

    def abs(self) -> Tensor:
        return apply(pointwise.Abs, self)

    def sigmoid(self) -> Tensor:
        return apply(pointwise.Sigmoid, self)

    def relu(self) -> Tensor:
        return apply(pointwise.Relu, self)

    def tanh(self) -> Tensor:
        return apply(pointwise.Tanh, self)

    # their in-place forms: x.exp_() overwrites x with exp x
    def exp_(self) -> Tensor:
        return self._inplace(pointwise.Exp)

    def log_(self) -> Tensor:
        return self._inplace(pointwise.Log)

    def sqrt_(self) -> Tensor:
        return self._inplace(pointwise.Sqrt)

    def abs_(self) -> Tensor:
        return self._inplace(pointwise.Abs)

    def sigmoid_(self) -> Tensor:
        return self._inplace(pointwise.Sigmoid)

    def relu_(self) -> Tensor:
        return self._inplace(pointwise.Relu)

    def tanh_(self) -> Tensor:
        return self._inplace(pointwise.Tanh)

    def neg_(self) -> Tensor:
        return self._inplace(pointwise.Neg)

    def pow_(self, exponent: Operand) -> Tensor:
        if isinstance(exponent, Tensor):
            return self._inplace(pointwise.PowTensor, exponent)
        return self._inplace(pointwise.Pow, scalars=(exponent,), exponent=exponent)

    __abs__ = abs

    def clamp(self, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        """Each element limited to [min, max] (either bound may be None): numbers, or tensors that broadcast with
        this one (then the result takes the broadcast shape, and the bounds get gradients too)."""
        return self._clamp("clamp", min, max)

    def _clamp(self, function: str, min: Operand | None, max: Operand | None) -> Tensor:  # noqa: A002
        """``clamp`` and its other names (``clip``, ``clamp_min``, ``clamp_max``; in place where ``function`` ends
        in "_"): PyTorch's two overloads, number bounds (``Clamp``) or tensor bounds (``ClampTensor``), not mixed."""
        name = function.rstrip("_").replace("clip", "clamp")
        given = (min,) if name == "clamp_min" else (max,) if name == "clamp_max" else (min, max)
        bounds = [b for b in (min, max) if b is not None]
        kinds = {isinstance(b, Tensor) or (is_number(b) and "number") for b in given if b is not None}
        missing = any(b is None for b in given) and name != "clamp"  # (not ``None in given``: that compares tensors)
        if len(kinds) > 1 or False in kinds or missing:  # mixed bounds, a bound neither kind, or a missing one
            raise errors.clamp_arguments(function, self, *given)
        if True in kinds:
            op, params = pointwise.ClampTensor, {"max_only": min is None, "function": name}
        elif not bounds:
            raise errors.clamp_without_bounds()
        else:
            op, params = pointwise.Clamp, {"scalars": tuple(bounds), "min": min, "max": max, "function": name}
            bounds = []  # numbers: parameters of the op, not inputs
        return self._inplace(op, *bounds, **params) if function.endswith("_") else apply(op, self, *bounds, **params)

    # ----- comparisons (bool results, not differentiable) ------------------------------------------------
    def eq(self, other: Operand) -> Tensor:
        return apply(comparison.Eq, self, other)

    def ne(self, other: Operand) -> Tensor:
        return apply(comparison.Ne, self, other)

    def lt(self, other: Operand) -> Tensor:
        return apply(comparison.Lt, self, other)

    def le(self, other: Operand) -> Tensor:
        return apply(comparison.Le, self, other)

    def gt(self, other: Operand) -> Tensor:
        return apply(comparison.Gt, self, other)

    def ge(self, other: Operand) -> Tensor:
        return apply(comparison.Ge, self, other)

    # in place: the 0/1 result written in this tensor's dtype; PyTorch records a node (EqBackward0 for a number,
    # EqBackward1 for a tensor) whose gradients are zeros
    def _compare_(self, op: type[Op], other: Operand) -> Tensor:
        return self._inplace(op, other, dtype=self._data.dtype, number=not isinstance(other, Tensor))

    def eq_(self, other: Operand) -> Tensor:
        return self._compare_(comparison.EqInPlace, other)

    def ne_(self, other: Operand) -> Tensor:
        return self._compare_(comparison.NeInPlace, other)

    def lt_(self, other: Operand) -> Tensor:
        return self._compare_(comparison.LtInPlace, other)

    def le_(self, other: Operand) -> Tensor:
        return self._compare_(comparison.LeInPlace, other)

    def gt_(self, other: Operand) -> Tensor:
        return self._compare_(comparison.GtInPlace, other)

    def ge_(self, other: Operand) -> Tensor:
        return self._compare_(comparison.GeInPlace, other)

    # (a numpy array: PyTorch's <, <=, > and >= refuse it, and so does numpy's reflected one)
    __lt__ = _operator(comparison.Lt)
    __le__ = _operator(comparison.Le)
    __gt__ = _operator(comparison.Gt)
    __ge__ = _operator(comparison.Ge)

    @staticmethod
    def _not_for_arrays(other: Any) -> Any:
        """NotImplemented for a numpy array (Python then asks the array, and raises its TypeError when the array
        declines too); anything else: the TypeError the operator's ``apply`` raised, again."""
        if not isinstance(other, np.ndarray):
            raise  # (called inside the operator's ``except TypeError``: that error, again)
        return NotImplemented

    def __eq__(self, other: Operand | np.ndarray) -> Tensor:  # type: ignore[override]
        try:
            return apply(comparison.Eq, self, other)
        except TypeError:  # PyTorch's == alone takes a numpy array, as a tensor of its dtype (numpy's order too)
            if not isinstance(other, np.ndarray) or other.dtype.kind not in "biufc":  # (not numbers: NotImplemented)
                return self._not_for_arrays(other)
        return apply(comparison.Eq, self, Tensor._make(other))  # (a dtype minigrad lacks: its TypeError, naming it)

    __ne__ = _operator(comparison.Ne)  # (a numpy array: PyTorch's != refuses it, and Python compares identities: True)

    # ----- reductions ---------------------------------------------------------------------------------------
    def sum(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False, *,
            keepdims: bool | None = None, axis: int | tuple[int, ...] | None = None) -> Tensor:
        return apply(reduction.Sum, self, dim=_dim(dim, axis, "sum"), keepdim=_keep(keepdim, keepdims))

    def mean(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False, *,
             keepdims: bool | None = None, axis: int | tuple[int, ...] | None = None) -> Tensor:
        return apply(reduction.Mean, self, dim=_dim(dim, axis, "mean"), keepdim=_keep(keepdim, keepdims))

    def max(self, dim: int | Tensor | None = None, keepdim: bool = False, *,
            keepdims: bool | None = None, axis: int | None = None) -> Tensor | tuple[Tensor, Tensor]:
        """The largest element, (values, indices) of the largest along ``dim``, or given a tensor in place of ``dim``,
        the elementwise ``maximum`` with it (PyTorch's ``max(input, other)``)."""
        dim = _dim(dim, axis, "max")
        if isinstance(dim, Tensor) and not _keep(keepdim, keepdims):
            return self.maximum(dim)
        if dim is None:
            return apply(reduction.Max, self)
        return return_types.max(*apply(reduction.MaxDim, self, dim=dim, keepdim=_keep(keepdim, keepdims)))

    def min(self, dim: int | Tensor | None = None, keepdim: bool = False, *,
            keepdims: bool | None = None, axis: int | None = None) -> Tensor | tuple[Tensor, Tensor]:
        """The smallest element, (values, indices) of the smallest along ``dim``, or given a tensor in place of
        ``dim``, the elementwise ``minimum`` with it (PyTorch's ``min(input, other)``)."""
        dim = _dim(dim, axis, "min")
        if isinstance(dim, Tensor) and not _keep(keepdim, keepdims):
            return self.minimum(dim)
        if dim is None:
            return apply(reduction.Min, self)
        return return_types.min(*apply(reduction.MinDim, self, dim=dim, keepdim=_keep(keepdim, keepdims)))

    def argmax(self, dim: int | None = None, keepdim: bool = False, *, keepdims: bool | None = None,
               axis: int | None = None) -> Tensor:
        return apply(reduction.Argmax, self, dim=_dim(dim, axis, "argmax"), keepdim=_keep(keepdim, keepdims))

    def argmin(self, dim: int | None = None, keepdim: bool = False, *, keepdims: bool | None = None,
               axis: int | None = None) -> Tensor:
        return apply(reduction.Argmin, self, dim=_dim(dim, axis, "argmin"), keepdim=_keep(keepdim, keepdims))

    def prod(self, dim: int | None = None, keepdim: bool = False, *, keepdims: bool | None = None,
             axis: int | None = None) -> Tensor:
        return apply(reduction.Prod, self, dim=_dim(dim, axis, "prod"), keepdim=_keep(keepdim, keepdims))

    def var(self, dim: int | tuple[int, ...] | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
            keepdims: bool | None = None,
            correction: float | None = None, axis: int | tuple[int, ...] | None = None) -> Tensor:
        """The variance, dividing by N - correction (``unbiased=False`` is correction 0; the default is 1)."""
        return apply(reduction.Var, self, dim=_dim(dim, axis, "var"), unbiased=unbiased,
                     keepdim=_keep(keepdim, keepdims), correction=correction)

    def std(self, dim: int | tuple[int, ...] | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
            keepdims: bool | None = None,
            correction: float | None = None, axis: int | tuple[int, ...] | None = None) -> Tensor:
        """The standard deviation: sqrt of ``var`` with the same arguments."""
        return apply(reduction.Std, self, dim=_dim(dim, axis, "std"), unbiased=unbiased,
                     keepdim=_keep(keepdim, keepdims), correction=correction)

    def cumsum(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        return apply(reduction.Cumsum, self, dim=_dim(dim, axis, "cumsum", required=True))

    def all(self, dim: int | None = None, keepdim: bool = False, *, keepdims: bool | None = None,
            axis: int | None = None) -> Tensor:
        """True where every element (along ``dim``) is nonzero."""
        dim = _dim(dim, axis, "all")
        return (self == 0).sum(dim=dim, keepdim=_keep(keepdim, keepdims)) == 0 if dim is not None else \
            (self == 0).sum() == 0

    def any(self, dim: int | None = None, keepdim: bool = False, *, keepdims: bool | None = None,
            axis: int | None = None) -> Tensor:
        """True where some element (along ``dim``) is nonzero."""
        dim = _dim(dim, axis, "any")
        return (self != 0).sum(dim=dim, keepdim=_keep(keepdim, keepdims)) > 0 if dim is not None else \
            (self != 0).sum() > 0

    # ----- selecting and combining elementwise ------------------------------------------------------------
    def maximum(self, other: Tensor) -> Tensor:
        return apply(pointwise.Maximum, self, other)

    def minimum(self, other: Tensor) -> Tensor:
        return apply(pointwise.Minimum, self, other)

    def where(self, condition: Tensor, other: Operand) -> Tensor:
        """self where ``condition`` holds, else other."""
        return apply(pointwise.Where, self, other, condition=condition)

    def masked_fill(self, mask: Tensor, value: Number) -> Tensor:
        return apply(pointwise.MaskedFill, self, mask=mask, value=value)

    def masked_fill_(self, mask: Tensor, value: Number) -> Tensor:
        return self._inplace(pointwise.MaskedFill, mask=mask, value=value)

    @_takes_axis
    def gather(self, dim: int, index: Tensor) -> Tensor:
        return apply(gather_ops.Gather, self, dim=dim, index=index)

    @_takes_axis
    def scatter(self, dim: int, index: Tensor, src: Tensor | Number = None, value: Number | None = None) -> Tensor:
        """A copy with the values of ``src`` (or ``value``) written where ``index`` points along ``dim``."""
        return apply(gather_ops.Scatter, self, value if src is None else src, dim=dim, index=index)

    @_takes_axis
    def scatter_(self, dim: int, index: Tensor, src: Tensor | Number = None, value: Number | None = None) -> Tensor:
        return self._inplace(gather_ops.Scatter, value if src is None else src, dim=dim, index=index)

    # ----- shape -------------------------------------------------------------------------------------------
    def expand(self, *sizes: int, size: Sequence[int] | None = None) -> Tensor:
        """A read-only view with size-1 dims stretched to ``sizes`` (-1 keeps a dim), without copying; PyTorch's
        keyword for them is ``size``."""
        if size is not None:
            sizes = _keyword_sizes(sizes, size, "expand", "size")
        return apply(shape_ops.Expand, self, sizes=_dim_args(sizes), type_name=self.type())

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(*other.shape)

    def repeat(self, *counts: int, repeats: Sequence[int] | None = None) -> Tensor:
        """A copy tiled ``repeats[i]`` times along dim i (given as ``counts``, or PyTorch's ``repeats=``)."""
        return apply(shape_ops.Repeat, self, repeats=_dim_args(counts) if repeats is None else
                     _keyword_sizes(counts, repeats, "repeat", "repeats"))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dims start_dim..end_dim merged into one."""
        if self.dim() == 0:
            return self.reshape(1)
        start, end = normalize_dim(start_dim, self.dim()), normalize_dim(end_dim, self.dim())
        if start > end:
            raise errors.flatten_dims_order()
        if start == end:
            return self
        shape = self.shape
        return self.reshape(*shape[:start], math.prod(shape[start:end + 1]), *shape[end + 1:])

    def split(self, split_size: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        """Consecutive pieces along ``dim``: of ``split_size`` each (the last may be shorter), or of the given sizes."""
        axis = normalize_dim(dim, self.dim())
        length = self.shape[axis]
        if isinstance(split_size, int):
            sizes = [min(split_size, length - start) for start in range(0, length, split_size)] or [0]
        else:
            sizes = list(split_size)
            if sum(sizes) != length:
                raise errors.split_sizes_sum(length, axis, sizes)
        pieces, start = [], 0
        for size in sizes:
            pieces.append(self[(slice(None),) * axis + (slice(start, start + size),)])
            start += size
        return View.mark_several(pieces, "Split" if isinstance(split_size, int) else "SplitWithSizes")

    def chunk(self, chunks: int, dim: int = 0, *, axis: int | None = None) -> tuple[Tensor, ...]:
        """At most ``chunks`` pieces of equal size along ``dim`` (the last may be smaller)."""
        dim = _dim(dim, axis, "chunk", 0)
        length = self.shape[normalize_dim(dim, self.dim())]
        return self.split(max(1, -(-length // chunks)), dim)

    def view(self, *shape: int, size: Sequence[int] | None = None) -> Tensor:
        """The same memory seen with another shape: ``view(2, 3)``, ``view((2, 3))`` or PyTorch's ``view(size=...)``."""
        return apply(shape_ops.View, self, shape=_dim_args(shape) if size is None else
                     _keyword_sizes(shape, size, "view", "size"))

    def reshape(self, *sizes: int, shape: Sequence[int] | None = None) -> Tensor:
        """``view`` where the memory allows, else a copy: ``reshape(2, 3)``, ``reshape((2, 3))`` or PyTorch's
        ``reshape(shape=...)``."""
        return apply(shape_ops.Reshape, self, shape=_dim_args(sizes) if shape is None else
                     _keyword_sizes(sizes, shape, "reshape", "shape"))

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        return apply(shape_ops.Transpose, self, dim0=dim0, dim1=dim1)

    def t(self) -> Tensor:
        return apply(shape_ops.T, self)

    def transpose_(self, dim0: int, dim1: int) -> Tensor:
        return self._inplace_view(shape_ops.TransposeInPlace, dim0=dim0, dim1=dim1)

    def t_(self) -> Tensor:
        return self._inplace_view(shape_ops.TInPlace)

    def permute(self, *order: int, dims: Sequence[int] | None = None) -> Tensor:
        """The dims reordered: ``permute(1, 0)``, ``permute((1, 0))`` or PyTorch's ``permute(dims=...)``."""
        return apply(shape_ops.Permute, self, dims=_dim_args(order) if dims is None else
                     _keyword_sizes(order, dims, "permute", "dims"))

    @property
    def T(self) -> Tensor:  # noqa: N802  (PyTorch's name)
        """All dims reversed."""
        return self.permute(*reversed(range(self.dim())))

    def squeeze(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        return apply(shape_ops.Squeeze, self, dim=_dim(dim, axis, "squeeze"))

    def unsqueeze(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        return apply(shape_ops.Unsqueeze, self, dim=_dim(dim, axis, "unsqueeze", required=True))

    def squeeze_(self, dim: int | None = None) -> Tensor:
        return self._inplace_view(shape_ops.SqueezeInPlace, dim=dim)

    def unsqueeze_(self, dim: int) -> Tensor:
        return self._inplace_view(shape_ops.UnsqueezeInPlace, dim=dim)

    def __getitem__(self, key: Any) -> Tensor:
        return apply(shape_ops.Index, self, key=_index_key(key, self.dim()))

    def __iter__(self) -> Iterator[Tensor]:
        """The slices along dim 0, as PyTorch iterates: ``unbind(0)``'s views (not to be written in place while the
        graph is recorded)."""
        if self.dim() == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    # ----- math ----------------------------------------------------------------------------------------------------
    # The math functions, each with its in-place form (x.sin_() overwrites x with sin x).
    def sin(self) -> Tensor:
        return apply(math_functions.Sin, self)

    def sin_(self) -> Tensor:
        return self._inplace(math_functions.Sin)

    def cos(self) -> Tensor:
        return apply(math_functions.Cos, self)

    def cos_(self) -> Tensor:
        return self._inplace(math_functions.Cos)

    def tan(self) -> Tensor:
        return apply(math_functions.Tan, self)

    def tan_(self) -> Tensor:
        return self._inplace(math_functions.Tan)

    def asin(self) -> Tensor:
        return apply(math_functions.Asin, self)

    def asin_(self) -> Tensor:
        return self._inplace(math_functions.Asin)

    def acos(self) -> Tensor:
        return apply(math_functions.Acos, self)

    def acos_(self) -> Tensor:
        return self._inplace(math_functions.Acos)

    def atan(self) -> Tensor:
        return apply(math_functions.Atan, self)

    def atan_(self) -> Tensor:
        return self._inplace(math_functions.Atan)

    def sinh(self) -> Tensor:
        return apply(math_functions.Sinh, self)

    def sinh_(self) -> Tensor:
        return self._inplace(math_functions.Sinh)

    def cosh(self) -> Tensor:
        return apply(math_functions.Cosh, self)

    def cosh_(self) -> Tensor:
        return self._inplace(math_functions.Cosh)

    def asinh(self) -> Tensor:
        return apply(math_functions.Asinh, self)

    def asinh_(self) -> Tensor:
        return self._inplace(math_functions.Asinh)

    def acosh(self) -> Tensor:
        return apply(math_functions.Acosh, self)

    def acosh_(self) -> Tensor:
        return self._inplace(math_functions.Acosh)

    def atanh(self) -> Tensor:
        return apply(math_functions.Atanh, self)

    def atanh_(self) -> Tensor:
        return self._inplace(math_functions.Atanh)

    def log1p(self) -> Tensor:
        return apply(math_functions.Log1p, self)

    def log1p_(self) -> Tensor:
        return self._inplace(math_functions.Log1p)

    def expm1(self) -> Tensor:
        return apply(math_functions.Expm1, self)

    def expm1_(self) -> Tensor:
        return self._inplace(math_functions.Expm1)

    def log2(self) -> Tensor:
        return apply(math_functions.Log2, self)

    def log2_(self) -> Tensor:
        return self._inplace(math_functions.Log2)

    def log10(self) -> Tensor:
        return apply(math_functions.Log10, self)

    def log10_(self) -> Tensor:
        return self._inplace(math_functions.Log10)

    def exp2(self) -> Tensor:
        return apply(math_functions.Exp2, self)

    def exp2_(self) -> Tensor:
        return self._inplace(math_functions.Exp2)

    def rsqrt(self) -> Tensor:
        return apply(math_functions.Rsqrt, self)

    def rsqrt_(self) -> Tensor:
        return self._inplace(math_functions.Rsqrt)

    def reciprocal(self) -> Tensor:
        return apply(math_functions.Reciprocal, self)

    def reciprocal_(self) -> Tensor:
        return self._inplace(math_functions.Reciprocal)

    def erf(self) -> Tensor:
        return apply(math_functions.Erf, self)

    def erf_(self) -> Tensor:
        return self._inplace(math_functions.Erf)

    def erfc(self) -> Tensor:
        return apply(math_functions.Erfc, self)

    def erfc_(self) -> Tensor:
        return self._inplace(math_functions.Erfc)

    def erfinv(self) -> Tensor:
        return apply(math_functions.Erfinv, self)

    def erfinv_(self) -> Tensor:
        return self._inplace(math_functions.Erfinv)

    def sign(self) -> Tensor:
        return apply(math_functions.Sign, self)

    def sign_(self) -> Tensor:
        return self._inplace(math_functions.Sign)

    def sgn(self) -> Tensor:
        """x / |x| (0 at 0): for real x, the sign."""
        return self.sign()

    def sgn_(self) -> Tensor:
        return self.sign_()

    def floor(self) -> Tensor:
        return apply(math_functions.Floor, self)

    def floor_(self) -> Tensor:
        return self._inplace(math_functions.Floor)

    def ceil(self) -> Tensor:
        return apply(math_functions.Ceil, self)

    def ceil_(self) -> Tensor:
        return self._inplace(math_functions.Ceil)

    def trunc(self) -> Tensor:
        return apply(math_functions.Trunc, self)

    def trunc_(self) -> Tensor:
        return self._inplace(math_functions.Trunc)

    def frac(self) -> Tensor:
        return apply(math_functions.Frac, self)

    def frac_(self) -> Tensor:
        return self._inplace(math_functions.Frac)

    def atan2(self, other: Operand) -> Tensor:
        return apply(math_functions.Atan2, self, other)

    def atan2_(self, other: Operand) -> Tensor:
        return self._inplace(math_functions.Atan2, other)

    def hypot(self, other: Operand) -> Tensor:
        return apply(math_functions.Hypot, self, other)

    def hypot_(self, other: Operand) -> Tensor:
        return self._inplace(math_functions.Hypot, other)

    def logaddexp(self, other: Tensor) -> Tensor:
        return apply(math_functions.Logaddexp, self, other)

    def fmod(self, other: Operand) -> Tensor:
        return apply(math_functions.Fmod, self, other)

    def fmod_(self, other: Operand) -> Tensor:
        return self._inplace(math_functions.Fmod, other)

    def remainder(self, other: Operand) -> Tensor:
        return apply(math_functions.Remainder, self, other)

    def remainder_(self, other: Operand) -> Tensor:
        return self._inplace(math_functions.Remainder, other)

    def floor_divide(self, other: Operand) -> Tensor:
        return apply(math_functions.FloorDivide, self, other)

    def floor_divide_(self, other: Operand) -> Tensor:
        return self._inplace(math_functions.FloorDivide, other)

    def bitwise_and(self, other: Operand) -> Tensor:
        return apply(math_functions.BitwiseAnd, self, other)

    def bitwise_and_(self, other: Operand) -> Tensor:
        return self._inplace(math_functions.BitwiseAnd, other)

    def bitwise_or(self, other: Operand) -> Tensor:
        return apply(math_functions.BitwiseOr, self, other)

    def bitwise_or_(self, other: Operand) -> Tensor:
        return self._inplace(math_functions.BitwiseOr, other)

    def bitwise_xor(self, other: Operand) -> Tensor:
        return apply(math_functions.BitwiseXor, self, other)

    def bitwise_xor_(self, other: Operand) -> Tensor:
        return self._inplace(math_functions.BitwiseXor, other)

    def logical_not(self) -> Tensor:
        """The bool tensor: True where this one is zero (False)."""
        return self == 0

    def logical_and(self, other: Tensor) -> Tensor:
        """The bool tensor: True where both are nonzero (broadcast together)."""
        return (self != 0) & (other != 0)

    def logical_or(self, other: Tensor) -> Tensor:
        """The bool tensor: True where either is nonzero (broadcast together)."""
        return (self != 0) | (other != 0)

    def logical_xor(self, other: Tensor) -> Tensor:
        """The bool tensor: True where exactly one of the two is nonzero (broadcast together)."""
        return (self != 0) ^ (other != 0)

    def bitwise_not(self) -> Tensor:
        return apply(math_functions.BitwiseNot, self)

    def bitwise_not_(self) -> Tensor:
        return self._inplace(math_functions.BitwiseNot)

    def round(self, decimals: int | None = None) -> Tensor:
        """Each element rounded to ``decimals`` decimal places (none given: to an integer), halves to even."""
        return apply(math_functions.Round, self, decimals=decimals)

    def round_(self, decimals: int | None = None) -> Tensor:
        return self._inplace(math_functions.Round, decimals=decimals)

    def square(self) -> Tensor:
        """x * x: PyTorch's ``pow(x, 2)``."""
        return self.pow(2)

    def square_(self) -> Tensor:
        return self._inplace(pointwise.Pow, scalars=(2,), exponent=2)

    def lerp(self, end: Tensor, weight: Operand) -> Tensor:
        """self + weight * (end - self)."""
        return apply(math_functions.Lerp, self, end, weight, number=is_number(weight))

    def lerp_(self, end: Tensor, weight: Operand) -> Tensor:
        return self._inplace(math_functions.Lerp, end, weight, number=is_number(weight))

    def addcmul(self, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
        """self + value * tensor1 * tensor2."""
        return apply(math_functions.Addcmul, self, tensor1, tensor2, value=value)  # value takes no part in promotion

    def addcmul_(self, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
        return self._inplace(math_functions.Addcmul, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
        """self + value * tensor1 / tensor2."""
        return apply(math_functions.Addcdiv, self, tensor1, tensor2, value=value)

    def addcdiv_(self, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
        return self._inplace(math_functions.Addcdiv, tensor1, tensor2, value=value)

    def clamp_min(self, min: Operand) -> Tensor:  # noqa: A002
        return self._clamp("clamp_min", min, None)

    def clamp_min_(self, min: Operand) -> Tensor:  # noqa: A002
        return self._clamp("clamp_min_", min, None)

    def clamp_max(self, max: Operand) -> Tensor:  # noqa: A002
        return self._clamp("clamp_max", None, max)

    def clamp_max_(self, max: Operand) -> Tensor:  # noqa: A002
        return self._clamp("clamp_max_", None, max)

    def clip(self, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        """``clamp``'s other name."""
        return self._clamp("clip", min, max)

    def clip_(self, min: Operand | None = None, max: Operand | None = None) -> Tensor:  # noqa: A002
        return self._clamp("clip_", min, max)

    def __rmod__(self, other: Number) -> Tensor:
        if isinstance(other, np.ndarray):
            return NotImplemented
        return apply(math_functions.Remainder, other, self)

    def __rfloordiv__(self, other: Number) -> Tensor:
        if isinstance(other, np.ndarray):
            return NotImplemented
        return apply(math_functions.FloorDivide, other, self)

    def __rand__(self, other: Number) -> Tensor:
        return apply(math_functions.BitwiseAnd, other, self)

    def __ror__(self, other: Number) -> Tensor:
        return apply(math_functions.BitwiseOr, other, self)

    def __rxor__(self, other: Number) -> Tensor:
        return apply(math_functions.BitwiseXor, other, self)

    def __invert__(self) -> Tensor:
        if self.is_floating_point():
            raise errors.invert_float()
        return self.bitwise_not()

    __and__, __or__, __xor__ = bitwise_and, bitwise_or, bitwise_xor
    __imod__, __ifloordiv__ = remainder_, floor_divide_
    __iand__, __ior__, __ixor__ = bitwise_and_, bitwise_or_, bitwise_xor_

    # The tests of values (bool results, not differentiable).
    def isnan(self) -> Tensor:
        values = K.widened(self._data)
        return Tensor._make(K.ne(values, values))  # NaN is the one value not equal to itself

    def isinf(self) -> Tensor:
        values = K.widened(self._data)
        if not self.is_floating_point():
            return Tensor._make(K.ne(values, values))  # all False
        return Tensor._make(K.eq(K.abs(values), K.scalar(math.inf, values.dtype)))

    def isposinf(self) -> Tensor:
        """Where the elements are +inf."""
        return self.isinf() & (self > 0)

    def isneginf(self) -> Tensor:
        """Where the elements are -inf."""
        return self.isinf() & (self < 0)

    def isreal(self) -> Tensor:
        """Where the elements are real: everywhere (minigrad has no complex dtypes)."""
        return self.isinf() | ~self.isinf()

    def isfinite(self) -> Tensor:
        values = K.widened(self._data)
        if not self.is_floating_point():
            return Tensor._make(K.eq(values, values))  # all True
        return Tensor._make(K.lt(K.abs(values), K.scalar(math.inf, values.dtype)))  # false for inf and NaN

    def isclose(self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
        """|self - other| <= atol + rtol * |other| elementwise (equal infinities are close; NaNs if ``equal_nan``)."""
        if self.dtype != other.dtype:
            raise errors.isclose_dtypes(self.dtype, other.dtype)
        a, b = self.detach(), other.detach()
        close = a == b
        if equal_nan:
            close = close | (a.isnan() & b.isnan())
        difference = (a - b).abs()
        return close | (difference.isfinite() & (difference <= atol + (rtol * b).abs()))

    def allclose(self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        """Whether every element is close to ``other``'s (see ``isclose``)."""
        return bool(self.isclose(other, rtol, atol, equal_nan).all())

    def equal(self, other: Tensor) -> bool:
        """Whether both have the same shape and the same values."""
        return self.shape == other.shape and bool((self.detach() == other.detach()).all())

    # ----- shape and selection ------------------------------------------------------------------------------------
    def unflatten(self, dim: int, sizes: Sequence[int]) -> Tensor:
        """Dim ``dim`` split into dims of ``sizes`` (one may be -1), a view."""
        axis = normalize_dim(dim, self.dim())
        sizes, size = tuple(sizes), self.shape[axis]
        if not sizes:
            raise errors.unflatten_empty()
        known = math.prod(s for s in sizes if s != -1)
        filled = tuple(size // known if s == -1 and known else s for s in sizes)
        if math.prod(filled) != size or sizes.count(-1) > 1:
            raise errors.unflatten_sizes(sizes, axis, size)
        return self.view(*self.shape[:axis], *filled, *self.shape[axis + 1:])

    def view_as(self, other: Tensor) -> Tensor:
        return self.view(*other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return self.reshape(*other.shape)

    def contiguous(self) -> Tensor:
        """self when its elements lie in row-major order in memory, else a copy that does."""
        return self if self.is_contiguous() else self.clone()

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        return self.transpose(axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        return self.transpose(dim0, dim1)

    def swapaxes_(self, axis0: int, axis1: int) -> Tensor:
        return self.transpose_(axis0, axis1)

    def swapdims_(self, dim0: int, dim1: int) -> Tensor:
        return self.transpose_(dim0, dim1)

    def movedim(self, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
        """The dims ``source`` moved to positions ``destination``, the others keeping their order (a view)."""
        src = [source] if isinstance(source, int) else list(source)
        dst = [destination] if isinstance(destination, int) else list(destination)
        if len(src) != len(dst):
            raise errors.movedim_counts(src, dst)
        src_axes = [normalize_dim(d, self.dim()) for d in src]
        dst_axes = [normalize_dim(d, self.dim()) for d in dst]
        for name, given, axes in (("source", src, src_axes), ("destination", dst, dst_axes)):
            if len(set(axes)) != len(axes):
                raise errors.movedim_repeated(name, given)
        rest = iter(d for d in range(self.dim()) if d not in src_axes)
        moved = dict(zip(dst_axes, src_axes))
        return self.permute(*(moved[i] if i in moved else next(rest) for i in range(self.dim())))

    moveaxis = movedim

    @_takes_axis
    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        """``length`` elements along ``dim`` from ``start`` (negative counts from the end), a view."""
        axis = normalize_dim(dim, self.dim())
        size = self.shape[axis]
        if not -size <= start <= size:
            raise errors.narrow_start_range(start, size)
        if length < 0:
            raise errors.narrow_negative_length()
        start %= max(size, 1)
        if start + length > size:
            raise errors.narrow_past_end(start, length, size)
        return self[(slice(None),) * axis + (slice(start, start + length),)]

    def unbind(self, dim: int = 0, *, axis: int | None = None) -> tuple[Tensor, ...]:
        """The slices along ``dim``, each without that dim."""
        dim = _dim(dim, axis, "unbind", 0)
        if self.dim() == 0:
            raise errors.unbind_0d()
        axis = normalize_dim(dim, self.dim())
        return View.mark_several([self[(slice(None),) * axis + (i,)] for i in range(self.shape[axis])], "Unbind")

    def tensor_split(self, indices_or_sections: int | Sequence[int] | Tensor, dim: int = 0, *,
                     axis: int | None = None) -> tuple[Tensor, ...]:
        """Views along ``dim``: n sections of sizes differing by at most one (the first ones larger), or the pieces
        between the given indices."""
        dim = _dim(dim, axis, "tensor_split", 0)
        axis = normalize_dim(dim, self.dim())
        size = self.shape[axis]
        if isinstance(indices_or_sections, Tensor):
            indices_or_sections = indices_or_sections.tolist()
        if isinstance(indices_or_sections, int):
            n = indices_or_sections
            if n <= 0:
                raise errors.tensor_split_sections(n)
            bounds = [i * (size // n) + min(i, size % n) for i in range(1, n)]
        else:
            bounds = list(indices_or_sections)
        starts, stops = [0, *bounds], [*bounds, size]
        return tuple(self[(slice(None),) * axis + (slice(a, max(a, b)),)] for a, b in zip(starts, stops))

    def hsplit(self, sections: int | Sequence[int]) -> tuple[Tensor, ...]:
        """``tensor_split`` along the columns (dim 1; a vector's dim 0), equal sections only (PyTorch's error)."""
        return self._split_along("hsplit", 1 if self.dim() > 1 else 0, 1, sections)

    def vsplit(self, sections: int | Sequence[int]) -> tuple[Tensor, ...]:
        """``tensor_split`` along the rows (dim 0) of a tensor of 2 dims or more."""
        return self._split_along("vsplit", 0, 2, sections)

    def dsplit(self, sections: int | Sequence[int]) -> tuple[Tensor, ...]:
        """``tensor_split`` along the depth (dim 2) of a tensor of 3 dims or more."""
        return self._split_along("dsplit", 2, 3, sections)

    def _split_along(self, name: str, dim: int, least: int, sections: int | Sequence[int]) -> tuple[Tensor, ...]:
        if self.dim() < least:
            raise errors.split_needs_dims(name, least, self.dim())
        if isinstance(sections, int) and (sections == 0 or self.shape[dim] % sections):
            raise errors.split_not_divisible(name, dim, self.shape[dim], sections)
        return self.tensor_split(sections, dim)

    def broadcast_to(self, size: Sequence[int]) -> Tensor:
        return self.expand(*size)

    def flip(self, *args: int, **kwargs: Sequence[int]) -> Tensor:
        """A copy read backwards along ``dims`` (given as flip(0, 1), flip((0, 1)) or flip(dims=(0, 1)))."""
        if "dims" in kwargs and not args and len(kwargs) == 1:
            return apply(shape_ops.Flip, self, dims=tuple(kwargs["dims"]))
        if kwargs:
            raise TypeError(f"flip() got an unexpected keyword argument '{next(iter(kwargs))}'")
        return apply(shape_ops.Flip, self, dims=_dim_args(args))

    def fliplr(self) -> Tensor:
        if self.dim() < 2:
            raise errors.too_few_dims(2)
        return self.flip(1)

    def flipud(self) -> Tensor:
        if self.dim() < 1:
            raise errors.too_few_dims(1)
        return self.flip(0)

    def roll(self, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
        """A copy with elements moved ``shifts`` places along ``dims``, wrapping around (flattened when no dims)."""
        shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
        dims = () if dims is None else (dims,) if isinstance(dims, int) else tuple(dims)
        return apply(shape_ops.Roll, self, shifts=shifts, dims=dims)

    def rot90(self, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
        """Rotated by 90 degrees ``k`` times, from the first of ``dims`` towards the second."""
        if len(dims) != 2:
            raise errors.rot90_dims_count(len(dims))
        if self.dim() < 2:
            raise errors.rot90_total_dims(self.dim())
        d0, d1 = (normalize_dim(d, self.dim()) for d in dims)
        if d0 == d1:
            raise errors.rot90_same_dims(d0, d1)
        k %= 4
        if k == 1:
            return self.flip(d1).transpose(d0, d1)
        if k == 2:
            return self.flip(d0, d1)
        if k == 3:
            return self.flip(d0).transpose(d0, d1)
        return self.clone()

    def tile(self, *counts: int, dims: Sequence[int] | None = None) -> Tensor:
        """``repeat`` with ``dims`` (given as ``counts``, or PyTorch's ``dims=``) padded by leading 1s to the
        tensor's dims."""
        reps = _dim_args(counts) if dims is None else _keyword_sizes(counts, dims, "tile", "dims")
        return self.repeat(*(1,) * (self.dim() - len(reps)), *reps)

    def repeat_interleave(self, repeats: int | Tensor, dim: int | None = None, *,
                          output_size: int | None = None, axis: int | None = None) -> Tensor:
        """Each element (or slice along ``dim``) repeated ``repeats`` times in place (flattened when no dim)."""
        dim = _dim(dim, axis, "repeat_interleave")
        x = self.flatten() if dim is None else self
        axis = normalize_dim(0 if dim is None else dim, x.dim())
        if isinstance(repeats, Tensor) and repeats.numel() == 1:
            repeats = int(repeats.item())
        if isinstance(repeats, int):
            if repeats < 0:
                raise errors.repeats_negative()
            shape = x.shape
            stretched = x.unsqueeze(axis + 1).expand(*shape[:axis + 1], repeats, *shape[axis + 1:])
            return stretched.reshape(*shape[:axis], shape[axis] * repeats, *shape[axis + 1:])
        counts = repeats._data.reshape(-1)
        if counts.size != x.shape[axis]:
            raise errors.repeats_size(counts.size, x.shape[axis], axis)
        if (counts < 0).any():
            raise errors.repeats_tensor_negative()
        index = Tensor._make(np.repeat(np.arange(counts.size), counts))
        return x.index_select(axis, index)

    @_takes_axis
    def index_select(self, dim: int, index: Tensor) -> Tensor:
        """The slices along ``dim`` at the positions of ``index`` (a copy)."""
        return apply(gather_ops.IndexSelect, self, dim=dim, index=index)

    def masked_select(self, mask: Tensor) -> Tensor:
        """The elements where the bool ``mask`` (broadcast with self) holds, as a 1-D tensor."""
        return apply(gather_ops.MaskedSelect, self, mask=mask)

    def take(self, index: Tensor) -> Tensor:
        """Elements by their position in the flattened tensor, shaped like ``index``."""
        return apply(gather_ops.Take, self, index=index)

    def take_along_dim(self, indices: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        """``gather`` along ``dim`` with self and ``indices`` broadcast together (flattened when no dim)."""
        dim = _dim(dim, axis, "take_along_dim")
        if indices.dtype != dtypes.int64:
            raise errors.take_along_dim_dtype(indices.dtype)
        if dim is None:
            return self.reshape(-1).gather(0, indices.reshape(-1))
        if self.dim() != indices.dim():
            raise errors.take_along_dim_dims(self.dim(), indices.dim())
        axis = normalize_dim(dim, self.dim())
        # PyTorch broadcasts the two shapes but along dim, where each keeps its own size
        shape = list(K.broadcast_shapes(*(tuple(1 if i == axis else s for i, s in enumerate(t.shape))
                                          for t in (self, indices))))
        self_shape, index_shape = list(shape), list(shape)
        self_shape[axis], index_shape[axis] = self.shape[axis], indices.shape[axis]
        return self.expand(*self_shape).gather(axis, indices.expand(*index_shape))

    @_takes_axis
    def index_add(self, dim: int, index: Tensor, source: Tensor, *, alpha: Number = 1) -> Tensor:
        """A copy with ``alpha * source``'s slices added at the positions ``index`` along ``dim``."""
        return apply(gather_ops.IndexAdd, self, source, dim=dim, index=index, alpha=alpha)

    @_takes_axis
    def index_add_(self, dim: int, index: Tensor, source: Tensor, *, alpha: Number = 1) -> Tensor:
        return self._inplace(gather_ops.IndexAdd, source, dim=dim, index=index, alpha=alpha)

    @_takes_axis
    def scatter_add(self, dim: int, index: Tensor, src: Tensor) -> Tensor:
        """A copy with src[i][j] added at [index[i][j]][j] (for dim 0); repeats add up."""
        return apply(gather_ops.ScatterAdd, self, src, dim=dim, index=index)

    @_takes_axis
    def scatter_add_(self, dim: int, index: Tensor, src: Tensor) -> Tensor:
        return self._inplace(gather_ops.ScatterAdd, src, dim=dim, index=index)

    # ----- reductions and ordering ------------------------------------------------------------------------------
    def amax(self, dim: int | tuple[int, ...] = (), keepdim: bool = False, *, keepdims: bool | None = None,
             axis: int | tuple[int, ...] | None = None) -> Tensor:
        """The max over ``dim`` (every dim when empty); ties share the gradient."""
        return apply(reduction.Amax, self, dim=_dim(dim, axis, "amax", ()), keepdim=_keep(keepdim, keepdims))

    def amin(self, dim: int | tuple[int, ...] = (), keepdim: bool = False, *, keepdims: bool | None = None,
             axis: int | tuple[int, ...] | None = None) -> Tensor:
        """The min over ``dim`` (every dim when empty); ties share the gradient."""
        return apply(reduction.Amin, self, dim=_dim(dim, axis, "amin", ()), keepdim=_keep(keepdim, keepdims))

    def aminmax(self, *args: Any, dim: int | None = None, keepdim: bool = False,
                axis: int | None = None) -> tuple[Tensor, Tensor]:
        """(min, max) over ``dim`` (of every element when None), as a named tuple; ties share each gradient.
        ``dim`` and ``keepdim`` are keyword-only, as in PyTorch."""
        dim = _dim(dim, axis, "aminmax")
        if args:
            raise errors.positional_arguments("aminmax", 0, len(args))
        if dim is not None and (isinstance(dim, bool) or not isinstance(dim, (int, np.integer))):
            raise errors.argument_type("aminmax", "dim", "int", dim)
        if not isinstance(keepdim, bool):
            raise errors.argument_type("aminmax", "keepdim", "bool", keepdim)
        return return_types.aminmax(*apply(reduction.Aminmax, self, dim=None if dim is None else int(dim),
                                           keepdim=keepdim))

    def logsumexp(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False, *,
                  keepdims: bool | None = None, axis: int | tuple[int, ...] | None = None) -> Tensor:
        dim = _dim(dim, axis, "logsumexp", required=True)
        return apply(reduction.Logsumexp, self, dim=dim, keepdim=_keep(keepdim, keepdims))

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool | None = None,
             axis: int | None = None) -> tuple[Tensor, Tensor]:
        """(values, indices) sorted along ``dim``; minigrad's sort is always stable."""
        dim = _dim(dim, axis, "sort", -1)
        return return_types.sort(*apply(reduction.Sort, self, dim=dim, descending=descending, stable=stable))

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False,
                axis: int | None = None) -> Tensor:
        return self.detach().sort(_dim(dim, axis, "argsort", -1), descending, stable=stable).indices

    def msort(self) -> Tensor:
        """Sorted along dim 0."""
        return self.sort(0).values

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True, *,  # noqa: A002
             axis: int | None = None) -> tuple[Tensor, Tensor]:
        dim = _dim(dim, axis, "topk", -1)
        return return_types.topk(*apply(reduction.Topk, self, k=k, dim=dim, largest=largest, sorted=sorted))

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False, *,
                 keepdims: bool | None = None, axis: int | None = None) -> tuple[Tensor, Tensor]:
        dim = _dim(dim, axis, "kthvalue", -1)
        return return_types.kthvalue(*apply(reduction.Kthvalue, self, k=k, dim=dim, keepdim=_keep(keepdim, keepdims)))

    def median(self, dim: int | None = None, keepdim: bool = False, *,
               keepdims: bool | None = None, axis: int | None = None) -> Tensor | tuple[Tensor, Tensor]:
        """The lower median of all elements, or (values, indices) of the lower median along ``dim``."""
        dim = _dim(dim, axis, "median")
        if dim is None:
            return apply(reduction.Median, self)
        return return_types.median(*apply(reduction.MedianDim, self, dim=dim, keepdim=_keep(keepdim, keepdims)))

    def mode(self, dim: int = -1, keepdim: bool = False, *, keepdims: bool | None = None,
             axis: int | None = None) -> tuple[Tensor, Tensor]:
        dim = _dim(dim, axis, "mode", -1)
        return return_types.mode(*apply(reduction.ModeDim, self, dim=dim, keepdim=_keep(keepdim, keepdims)))

    def cumprod(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        return apply(reduction.Cumprod, self, dim=_dim(dim, axis, "cumprod", required=True))

    def cummax(self, dim: int | None = None, *, axis: int | None = None) -> tuple[Tensor, Tensor]:
        return return_types.cummax(*apply(reduction.Cummax, self, dim=_dim(dim, axis, "cummax", required=True)))

    def cummin(self, dim: int | None = None, *, axis: int | None = None) -> tuple[Tensor, Tensor]:
        return return_types.cummin(*apply(reduction.Cummin, self, dim=_dim(dim, axis, "cummin", required=True)))

    def logcumsumexp(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        return apply(reduction.Logcumsumexp, self, dim=_dim(dim, axis, "logcumsumexp", required=True))

    def count_nonzero(self, dim: int | tuple[int, ...] | None = None, *,
                      axis: int | tuple[int, ...] | None = None) -> Tensor:
        return apply(reduction.CountNonzero, self, dim=_dim(dim, axis, "count_nonzero"))

    def nonzero(self, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
        """The coordinates of the nonzero elements: one row each, or with ``as_tuple`` one 1-D tensor per dim."""
        rows = apply(reduction.Nonzero, self)
        if not as_tuple:
            return rows
        return tuple(rows[:, d] for d in range(self.dim())) if self.dim() else (rows.new_zeros(len(rows)),)

    def argwhere(self) -> Tensor:
        """The coordinates of the nonzero elements, one row each (``nonzero()``)."""
        return self.nonzero()

    # ----- linalg ---------------------------------------------------------------------------------------------
    def mm(self, mat2: Tensor) -> Tensor:
        """self @ mat2 for two matrices."""
        return apply(linalg.Mm, self, mat2)

    def bmm(self, mat2: Tensor) -> Tensor:
        """self[i] @ mat2[i] for each i, for two batches of matrices of the same length."""
        return apply(linalg.Bmm, self, mat2)

    def mv(self, vec: Tensor) -> Tensor:
        """self @ vec for a matrix and a vector."""
        return apply(linalg.Mv, self, vec)

    def dot(self, other: Tensor) -> Tensor:
        """sum_i self_i * other_i for two vectors."""
        return apply(linalg.Dot, self, other)

    def vdot(self, other: Tensor) -> Tensor:
        """sum_i conj(self_i) * other_i for two vectors (the dot product, for real tensors)."""
        return apply(linalg.Vdot, self, other)

    def outer(self, vec2: Tensor) -> Tensor:
        """out[i, j] = self[i] * vec2[j] for two vectors: PyTorch's self.reshape(n, 1) * vec2 (its MulBackward0)."""
        for argument, t in (("self", self), ("vec2", vec2)):
            if t.dim() != 1:
                raise errors.outer_dims(argument, t.dim())
        return self.reshape(-1, 1) * vec2

    def inner(self, other: Tensor) -> Tensor:
        """sum_k self[..., k] * other[..., k] for every pair of leading positions (self * other if one is 0-d):
        PyTorch's tensordot, a matrix product between reshapes."""
        if self.dim() == 0 or other.dim() == 0:
            return self * other
        if self.dtype != other.dtype:
            raise errors.inner_dtypes()
        if self.shape[-1] != other.shape[-1]:
            raise errors.inner_sizes(self.shape, other.shape)
        k = self.shape[-1]
        product = self.reshape(-1, k).mm(other.reshape(-1, k).t())
        return product.reshape(*self.shape[:-1], *other.shape[:-1])

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        """beta * self + alpha * (mat1 @ mat2)."""
        return apply(linalg.Addmm, self, mat1, mat2, beta=beta, alpha=alpha)

    def addmv(self, mat: Tensor, vec: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        """beta * self + alpha * (mat @ vec)."""
        return apply(linalg.Addmv, self, mat, vec, beta=beta, alpha=alpha)

    def baddbmm(self, batch1: Tensor, batch2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        """beta * self + alpha * (batch1[i] @ batch2[i] for each i)."""
        return apply(linalg.Baddbmm, self, batch1, batch2, beta=beta, alpha=alpha)

    # ----- decompositions under their older names: torch.slogdet, logdet, svd, qr (torch.linalg's ops) -------------
    def slogdet(self) -> return_types.slogdet:
        """(sign, logabsdet) of each square matrix: det = sign * exp(logabsdet) (as torch.linalg.slogdet)."""
        return return_types.slogdet(*apply(linalg.Slogdet, self))

    def logdet(self) -> Tensor:
        """log det of each square matrix: NaN where the determinant is negative, -inf where it is 0."""
        linalg.check_square_matrices("logdet", self._data)
        sign, logabsdet = apply(linalg.Slogdet, self)
        return apply(pointwise.Where, math.nan, logabsdet, condition=sign == -1)

    def svd(self, some: bool = True, compute_uv: bool = True) -> return_types.svd:
        """(U, S, V) with self = U diag(S) V^T: torch.linalg.svd's, with V = Vh^T (U and V square unless ``some``).
        Without ``compute_uv``: S only (U and V zeros, square, with no gradient)."""
        if self.dim() < 2:
            raise errors.svd_ndim(self.dim())
        if not compute_uv:
            m, n = self.shape[-2:]
            s = apply(linalg.Svdvals, self)
            zeros = [Tensor._make(K.zeros((*self.shape[:-2], k, k), self._data.dtype)) for k in (m, n)]
            return return_types.svd(zeros[0], s, zeros[1])
        u, s, vh = apply(linalg.Svd, self, full_matrices=not some)
        return return_types.svd(u, s, vh.transpose(-2, -1))

    def qr(self, some: bool = True) -> return_types.qr:
        """(Q, R) of torch.linalg.qr, mode 'reduced' (some) or 'complete' (deprecated in PyTorch: a warning, once)."""
        global _QR_WARNED
        if not _QR_WARNED:
            _QR_WARNED = True
            warnings.warn(errors.qr_deprecated_warning(), UserWarning, stacklevel=2)
        return return_types.qr(*apply(linalg.Qr, self, mode="reduced" if some else "complete"))

    def trace(self) -> Tensor:
        """sum_i self[i, i] for a matrix."""
        return apply(linalg.Trace, self)

    def diagflat(self, offset: int = 0) -> Tensor:
        """The flattened tensor on the ``offset`` diagonal of a square matrix, zeros elsewhere."""
        return self.flatten().diag_embed(offset)

    def diag(self, diagonal: int = 0) -> Tensor:
        """A vector as a matrix with it on the given diagonal; a matrix's given diagonal, as a vector."""
        return apply(linalg.Diag, self, diagonal=diagonal)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """self[..., i, i + offset] over dims (dim1, dim2), as the last dim of a view."""
        return apply(linalg.Diagonal, self, offset=offset, dim1=dim1, dim2=dim2)

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        """Zeros with self's last dim on the offset diagonal of the new dims (dim1, dim2)."""
        return apply(linalg.DiagEmbed, self, offset=offset, dim1=dim1, dim2=dim2)

    def tril(self, diagonal: int = 0) -> Tensor:
        """self[..., i, j] where j <= i + diagonal, else 0."""
        return apply(linalg.Tril, self, diagonal=diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        """self[..., i, j] where j >= i + diagonal, else 0."""
        return apply(linalg.Triu, self, diagonal=diagonal)

    def kron(self, other: Tensor) -> Tensor:
        """The Kronecker product: out[i*m + k, ...] = self[i, ...] * other[k, ...] in every dim (the shorter shape
        padded with leading 1s): PyTorch's product of interleaved reshapes, reshaped back."""
        ndim = max(self.dim(), other.dim())
        a_shape = (1,) * (ndim - self.dim()) + tuple(self.shape)
        b_shape = (1,) * (ndim - other.dim()) + tuple(other.shape)
        a = self.reshape(*[s for n in a_shape for s in (n, 1)])
        b = other.reshape(*[s for n in b_shape for s in (1, n)])
        return (a * b).reshape(*[m * n for m, n in zip(a_shape, b_shape)])

    def cross(self, other: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        """The cross product of the 3-vectors along dim (without one: the first dim of length 3, with a warning)."""
        dim = _dim(dim, axis, "cross")
        if dim is None:
            warnings.warn(errors.cross_without_dim_warning(), UserWarning, stacklevel=2)
        return apply(linalg.Cross, self, other, dim=dim)

    def dist(self, other: Tensor, p: float = 2) -> Tensor:
        """||self - other||_p over every element (composed, as PyTorch's forward computes it; its node is DistBackward0,
        minigrad's the norm's)."""
        return (self - other).norm(p)

    def norm(self, p: float | str | None = "fro", dim: int | tuple[int, ...] | None = None,
             keepdim: bool = False) -> Tensor:
        """The p-norm (sum |x|^p)^(1/p) over dim (every element for None); 'fro' is the 2-norm over at most 2 dims,
        'nuc' the sum of the singular values of the matrices over 2 dims."""
        if p is None or p == "fro":
            if dim is not None and not isinstance(dim, int) and len(dim) > 2:
                raise errors.matrix_norm_dims(dim)
            p = 2
        elif p == "nuc":  # the sum of the singular values of the matrices over dim (the two dims there are)
            dims = tuple(range(self.dim())) if dim is None else (dim,) if isinstance(dim, int) else tuple(dim)
            if len(dims) != 2:
                raise errors.matrix_norm_dims(dims)
            rows, cols = (normalize_dim(d, self.dim()) for d in dims)
            others = [d for d in range(self.dim()) if d not in (rows, cols)]
            out = apply(linalg.Svdvals, self.permute(*others, rows, cols)).sum(-1)
            return out.unsqueeze(min(rows, cols)).unsqueeze(max(rows, cols)) if keepdim else out
        elif isinstance(p, str):
            raise errors.matrix_norm_order(p)
        return apply(linalg.VectorNorm, self, p=p, dim=dim, keepdim=keepdim)

    # ----- creation, metadata and devices ---------------------------------------------------------------------
    def new_full(self, size: Sequence[int], fill_value: Number, *, dtype: DType | None = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:
        """A new tensor of ``size`` filled with ``fill_value``, with this tensor's dtype unless given."""
        check_device(device)
        new = Tensor._make(K.expand(K.scalar(fill_value, (dtype or self.dtype).np), tuple(size)).copy())
        return new.requires_grad_() if requires_grad else new

    def new_zeros(self, *sizes: Any, size: Sequence[int] | None = None, dtype: DType | None = None,
                  device: Any = None, requires_grad: bool = False) -> Tensor:
        """Zeros of ``sizes`` (or PyTorch's ``size=``), with this tensor's dtype unless given."""
        shape = _dim_args(sizes) if size is None else _keyword_sizes(sizes, size, "new_zeros", "size")
        return self.new_full(shape, 0, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_ones(self, *sizes: Any, size: Sequence[int] | None = None, dtype: DType | None = None,
                 device: Any = None, requires_grad: bool = False) -> Tensor:
        """Ones of ``sizes`` (or PyTorch's ``size=``), with this tensor's dtype unless given."""
        shape = _dim_args(sizes) if size is None else _keyword_sizes(sizes, size, "new_ones", "size")
        return self.new_full(shape, 1, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_empty(self, *sizes: Any, size: Sequence[int] | None = None, dtype: DType | None = None,
                  device: Any = None, requires_grad: bool = False) -> Tensor:
        """An uninitialized tensor of ``sizes`` (or PyTorch's ``size=``), with this tensor's dtype unless given."""
        check_device(device)
        shape = _dim_args(sizes) if size is None else _keyword_sizes(sizes, size, "new_empty", "size")
        new = Tensor._make(np.empty(shape, (dtype or self.dtype).np))
        return new.requires_grad_() if requires_grad else new

    def new(self, *args: Any) -> Tensor:
        """PyTorch's legacy constructor in this tensor's dtype: ``x.new(2, 3)`` a new tensor of those sizes (zeros
        here; PyTorch's memory is uninitialised), ``x.new(data)`` the data, ``x.new()`` an empty one."""
        sizes = legacy_sizes(args)
        if sizes is not None:
            return self.new_zeros(sizes)
        return self.new_tensor(args[0])

    def new_tensor(self, data: Any, *, dtype: DType | None = None, device: Any = None,
                   requires_grad: bool = False) -> Tensor:
        """A copy of ``data`` (numbers, lists, an array or a tensor) with this tensor's dtype unless given."""
        check_device(device)
        array = data._data if isinstance(data, Tensor) else np.asarray(data)
        new = Tensor._make(K.copy(array, (dtype or self.dtype).np))
        return new.requires_grad_() if requires_grad else new

    def stride(self, dim: int | None = None, *, axis: int | None = None) -> tuple[int, ...] | int:
        """How many elements apart in memory consecutive indices of each dim are (of ``dim`` if given)."""
        dim = _dim(dim, axis, "stride")
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[normalize_dim(dim, self.dim())]

    def storage_offset(self) -> int:
        """Where this tensor's first element is in the memory it shares with its base, in elements."""
        base = self._data
        while isinstance(base.base, np.ndarray):
            base = base.base
        return (self.data_ptr() - base.__array_interface__["data"][0]) // self._data.itemsize

    def element_size(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    def nelement(self) -> int:
        """The number of elements (``numel``)."""
        return self.numel()

    def ndimension(self) -> int:
        """The number of dims (``dim``)."""
        return self.dim()

    def data_ptr(self) -> int:
        """The address of the first element."""
        return self._data.__array_interface__["data"][0]

    def storage(self) -> TypedStorage:
        """The whole memory this tensor's elements live in (its base's, for a view), as elements of its dtype:
        Karpathy prints it to show a ``view`` copies nothing. A read-only view over that memory. PyTorch deprecates
        it, with a UserWarning at the first call of a process, which minigrad gives too."""
        global _STORAGE_WARNED
        if not _STORAGE_WARNED:
            _STORAGE_WARNED = True
            warnings.warn(errors.typed_storage_deprecated(), UserWarning, stacklevel=2)
        return TypedStorage(self._data, self.dtype)

    def untyped_storage(self) -> UntypedStorage:
        """The whole memory this tensor's elements live in (its base's, for a view), as bytes (read-only)."""
        return UntypedStorage(self._data)

    def cuda(self, device: Any = None) -> Tensor:
        """A CUDA copy: PyTorch's error here, as minigrad (like a CPU-only PyTorch) has no CUDA."""
        raise errors.no_cuda()

    # ----- nn -------------------------------------------------------------------------------------------------------
    def softmax(self, dim: int | None = None, dtype: DType | None = None, *, axis: int | None = None) -> Tensor:
        """exp(x_i - max) / sum_j exp(x_j - max) along ``dim`` (``dtype``: cast first); see ``nn.functional``."""
        dim = _dim(dim, axis, "softmax", required=True)
        return apply(classification.Softmax, self if dtype is None else self.to(dtype), dim=dim)

    def log_softmax(self, dim: int | None = None, dtype: DType | None = None, *, axis: int | None = None) -> Tensor:
        """x_i - max - log(sum_j exp(x_j - max)) along ``dim`` (``dtype``: cast first)."""
        dim = _dim(dim, axis, "log_softmax", required=True)
        return apply(classification.LogSoftmax, self if dtype is None else self.to(dtype), dim=dim)

    def _sample_(self, fill: Callable[..., np.ndarray], *args: Any) -> Tensor:
        """Overwrite with ``fill(array, *args)`` (a sampler of ``minigrad.random``), as an in-place op."""
        self._check_inplace()
        fill(self._data, *args)
        versions.bump(self._data)
        return self

    def bernoulli_(self, p: float | Tensor = 0.5, *, generator: random.Generator | None = None) -> Tensor:
        """Fill with 1 with probability p (a number, or a tensor broadcast to this one's shape), else 0."""
        return self._sample_(random.fill_bernoulli_, p._data if isinstance(p, Tensor) else p, generator)

    def exponential_(self, lambd: float = 1.0, *, generator: random.Generator | None = None) -> Tensor:
        """Fill with draws of the exponential distribution, density λ·e^(−λx)."""
        return self._sample_(random.fill_exponential_, lambd, generator)

    def geometric_(self, p: float, *, generator: random.Generator | None = None) -> Tensor:
        """Fill with draws of the geometric distribution: P(k) = (1 − p)^(k−1)·p for k = 1, 2, ..."""
        return self._sample_(random.fill_geometric_, p, generator)

    def log_normal_(self, mean: float = 1.0, std: float = 2.0, *, generator: random.Generator | None = None) -> Tensor:
        """Fill with exp(z), z ~ N(mean, std²)."""
        return self._sample_(random.fill_log_normal_, mean, std, generator)

    def cauchy_(self, median: float = 0.0, sigma: float = 1.0, *, generator: random.Generator | None = None) -> Tensor:
        """Fill with draws of the Cauchy distribution, density 1/(πσ(1 + ((x − median)/σ)²))."""
        return self._sample_(random.fill_cauchy_, median, sigma, generator)

    def random_(self, from_: int | None = None, to: int | None = None, *,
                generator: random.Generator | None = None) -> Tensor:
        """Fill with integers uniform in [from, to) (``random_(to)``: [0, to); ``random_()``: 0 up to the
        dtype's largest integer, 2^mantissa bits for floats)."""
        return self._sample_(random.fill_random_, from_, to, generator)

    # ----- index_copy, index_fill, scatter_reduce -----------------------------------------------------------------
    @_takes_axis
    def index_copy(self, dim: int, index: Tensor, source: Tensor) -> Tensor:
        """A copy whose slices ``index`` names along ``dim`` are ``source``'s slices, in order."""
        return apply(gather_ops.IndexCopy, self, source, dim=dim, index=index)

    @_takes_axis
    def index_copy_(self, dim: int, index: Tensor, source: Tensor) -> Tensor:
        return self._inplace(gather_ops.IndexCopy, source, dim=dim, index=index)

    @_takes_axis
    def index_fill(self, dim: int, index: Tensor, value: Number | Tensor) -> Tensor:
        """A copy whose slices ``index`` names along ``dim`` hold ``value`` (a number or a 0-d tensor)."""
        if isinstance(value, Tensor):
            return apply(gather_ops.IndexFill, self, value, dim=dim, index=index)
        return apply(gather_ops.IndexFill, self, dim=dim, index=index, value=value)

    @_takes_axis
    def index_fill_(self, dim: int, index: Tensor, value: Number | Tensor) -> Tensor:
        if isinstance(value, Tensor):
            return self._inplace(gather_ops.IndexFill, value, dim=dim, index=index)
        return self._inplace(gather_ops.IndexFill, dim=dim, index=index, value=value)

    @_takes_axis
    def scatter_reduce(self, dim: int, index: Tensor, src: Tensor, reduce: str, *, include_self: bool = True) -> Tensor:
        """A copy with src[i][j] reduced into [index[i][j]][j] (for dim 0) by ``reduce``: "sum", "prod", "mean",
        "amax" or "amin", self's own values taking part unless ``include_self`` is False."""
        return apply(gather_ops.ScatterReduce, self, src, dim=dim, index=index, reduce=reduce,
                     include_self=include_self)

    @_takes_axis
    def scatter_reduce_(self, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                        include_self: bool = True) -> Tensor:
        return self._inplace(gather_ops.ScatterReduce, src, dim=dim, index=index, reduce=reduce,
                             include_self=include_self)

    # ----- counting: unique, bincount, histc ------------------------------------------------------------------------
    def unique(self, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,  # noqa: A002
               dim: int | None = None) -> Tensor | tuple[Tensor, ...]:
        """The distinct values in ascending order (or the distinct slices along ``dim``); with ``return_inverse``
        also where each element (slice) went in them, with ``return_counts`` how often each occurs. On the CPU
        PyTorch sorts them whether ``sorted`` or not, and so does minigrad."""
        values, inverse, counts = apply(counting.Unique, self, dim=dim)
        return _unique_results(values, inverse if return_inverse else None, counts if return_counts else None)

    def unique_consecutive(self, return_inverse: bool = False, return_counts: bool = False,
                           dim: int | None = None) -> Tensor | tuple[Tensor, ...]:
        """The first of each run of equal consecutive values (or slices along ``dim``); with ``return_inverse`` also
        the run each element (slice) is in, with ``return_counts`` each run's length."""
        values, inverse, counts = apply(counting.UniqueConsecutive, self, dim=dim)
        return _unique_results(values, inverse if return_inverse else None, counts if return_counts else None)

    def bincount(self, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
        """How often each of 0, 1, ..., max(self) occurs in this 1-D tensor of non-negative integers (at least
        ``minlength`` counts); with ``weights``, the sum of the weights of its occurrences instead."""
        if isinstance(minlength, bool) or not isinstance(minlength, int):
            raise errors.argument_type("bincount", "minlength", "int", minlength)
        if weights is not None and not isinstance(weights, Tensor):
            raise errors.argument_type("bincount", "weights", "Tensor", weights)
        if self.dim() == 1 and self.numel() == 0 and minlength >= 0 and self.dtype.np.kind in "iu":
            return Tensor._make(np.zeros(minlength, np.int64))  # int64 zeros: no graph, even for weights
        if weights is None:
            return apply(counting.Bincount, self, minlength=minlength)
        return apply(counting.Bincount, self, weights, minlength=minlength)

    def histc(self, bins: int = 100, min: Number = 0, max: Number = 0) -> Tensor:  # noqa: A002
        """The counts of the values in ``bins`` equal bins from ``min`` to ``max`` (the data's min and max when the
        two are equal); values outside are not counted. Float tensors only; not differentiable."""
        if isinstance(bins, bool) or not isinstance(bins, int):
            raise errors.argument_type("histc", "bins", "int", bins)
        return apply(counting.Histc, self, bins=bins, min=float(min), max=float(max))

    def histogram(self, bins: int | Tensor = 100, *, range: tuple[float, float] | None = None,  # noqa: A002
                  weight: Tensor | None = None, density: bool = False) -> tuple[Tensor, Tensor]:
        """(hist, bin_edges): the counts of the values (or their summed ``weight``) in ``bins`` equal bins over
        ``range`` (the values' min and max by default), or between the edges of a 1-D tensor ``bins``; ``density``
        makes each a probability density."""
        edges = {"edges": bins} if isinstance(bins, Tensor) else {"bins": bins}
        return return_types.histogram(*apply(counting.Histogram, self, range=range, weight=weight, density=density,
                                             **edges))


    # ----- PyTorch's other names (numpy's, mostly): the same ops, so the same nodes (absolute records AbsBackward0) ---
    absolute, absolute_ = _alias(abs, "absolute"), _alias(abs_, "absolute_")
    negative, negative_ = _alias(neg, "negative"), _alias(neg_, "negative_")
    fix, fix_ = _alias(trunc, "fix"), _alias(trunc_, "fix_")
    arccos, arccos_ = _alias(acos, "arccos"), _alias(acos_, "arccos_")
    arcsin, arcsin_ = _alias(asin, "arcsin"), _alias(asin_, "arcsin_")
    arctan, arctan_ = _alias(atan, "arctan"), _alias(atan_, "arctan_")
    arccosh, arccosh_ = _alias(acosh, "arccosh"), _alias(acosh_, "arccosh_")
    arcsinh, arcsinh_ = _alias(asinh, "arcsinh"), _alias(asinh_, "arcsinh_")
    arctanh, arctanh_ = _alias(atanh, "arctanh"), _alias(atanh_, "arctanh_")
    arctan2, arctan2_ = _alias(atan2, "arctan2"), _alias(atan2_, "arctan2_")
    greater, greater_ = _alias(gt, "greater"), _alias(gt_, "greater_")
    greater_equal, greater_equal_ = _alias(ge, "greater_equal"), _alias(ge_, "greater_equal_")
    less, less_ = _alias(lt, "less"), _alias(lt_, "less_")
    less_equal, less_equal_ = _alias(le, "less_equal"), _alias(le_, "less_equal_")
    not_equal, not_equal_ = _alias(ne, "not_equal"), _alias(ne_, "not_equal_")

    def positive(self) -> Tensor:
        """+self: this very tensor (PyTorch refuses it for bool)."""
        if self.dtype == dtypes.bool:
            raise errors.positive_of_bool()
        return self

    def ravel(self) -> Tensor:
        """The elements as one dim, in row-major order: PyTorch's ``contiguous().view(-1)`` (a view when the tensor
        is contiguous, a copy otherwise)."""
        return self.contiguous().view(-1)

    def select(self, dim: int, index: int) -> Tensor:
        """The slice at ``index`` along ``dim``, a view without that dim: ``self[:, ..., index]`` (SelectBackward0)."""
        if self.dim() == 0:
            raise errors.select_0d()
        axis = normalize_dim(dim, self.dim())
        if not -self.shape[axis] <= index < self.shape[axis]:
            raise errors.select_index(index, self.shape, axis)
        return self[(slice(None),) * axis + (index,)]

    def sum_to_size(self, *size: int | Sequence[int]) -> Tensor:
        """The sum of this tensor down to ``size``, a shape it is an expansion of: summed over the leading dims it
        lacks and the dims where ``size`` has 1 (PyTorch's ``sum_to``: one sum keeping dims, then a view)."""
        target = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)
        shape = tuple(self.shape)
        lead = len(shape) - len(target)
        if lead < 0 or any(s != t and s != 1 for s, t in zip(target, shape[lead:])):
            raise errors.not_expandable(target, shape)
        dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(target) if s == 1 and shape[lead + i] != 1)
        result = self.sum(dims, keepdim=True) if dims else self
        return result.view(target) if lead > 0 else result

    def float_power(self, exponent: Operand) -> Tensor:
        """self ** exponent computed in float64 (both converted to it first): PyTorch's ``to(double).pow(...)``."""
        return self.double().pow(exponent.double() if isinstance(exponent, Tensor) else float(exponent))

    def float_power_(self, exponent: Operand) -> Tensor:
        if self.dtype != dtypes.float64:
            raise errors.float_power_inplace_dtype(self._data.dtype)
        return self.pow_(exponent.double() if isinstance(exponent, Tensor) else float(exponent))

    # in-place forms of matrix and scan methods
    def tril_(self, diagonal: int = 0) -> Tensor:
        return self._inplace(linalg.Tril, diagonal=diagonal)

    def triu_(self, diagonal: int = 0) -> Tensor:
        return self._inplace(linalg.Triu, diagonal=diagonal)

    def cumsum_(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        return self._inplace(reduction.Cumsum, dim=_dim(dim, axis, "cumsum_", required=True))

    def cumprod_(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        return self._inplace(reduction.Cumprod, dim=_dim(dim, axis, "cumprod_", required=True))

    def addmm_(self, mat1: Tensor, mat2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        return self._inplace(linalg.Addmm, mat1, mat2, beta=beta, alpha=alpha)

    # logical ops in place: the 0/1 result written in this tensor's dtype; not differentiable, so PyTorch records
    # nothing (the tensor keeps its grad_fn, and a leaf that requires grad may be written)
    def _overwrite(self, result: Tensor) -> Tensor:
        return self._write(K.cast(result._data, self._data.dtype))

    def logical_not_(self) -> Tensor:
        return self._overwrite(self.logical_not())

    def logical_and_(self, other: Tensor) -> Tensor:
        return self._overwrite(self.logical_and(other))

    def logical_or_(self, other: Tensor) -> Tensor:
        return self._overwrite(self.logical_or(other))

    def logical_xor_(self, other: Tensor) -> Tensor:
        return self._overwrite(self.logical_xor(other))

    # ----- more math: degrees, the gamma family, logit, xlogy, sinc, nan_to_num, copysign, fmax, fmin, nansum -----
    def deg2rad(self) -> Tensor:
        return apply(special.Deg2Rad, self)

    def deg2rad_(self) -> Tensor:
        return self._inplace(special.Deg2Rad)

    def rad2deg(self) -> Tensor:
        return apply(special.Rad2Deg, self)

    def rad2deg_(self) -> Tensor:
        return self._inplace(special.Rad2Deg)

    def lgamma(self) -> Tensor:
        return apply(special.Lgamma, self)

    def lgamma_(self) -> Tensor:
        return self._inplace(special.Lgamma)

    def digamma(self) -> Tensor:
        return apply(special.Digamma, self)

    def digamma_(self) -> Tensor:
        return self._inplace(special.Digamma)

    def polygamma(self, n: int) -> Tensor:
        """The n-th derivative of digamma at each element (``torch.polygamma(n, x)``)."""
        return apply(special.Polygamma, self, n=n)

    def polygamma_(self, n: int) -> Tensor:
        return self._inplace(special.Polygamma, n=n, inplace=True)

    def logit(self, eps: float | None = None) -> Tensor:
        """log(p / (1 - p)), p this tensor clamped to [eps, 1 - eps] when ``eps`` is given."""
        return apply(special.Logit, self, eps=eps)

    def logit_(self, eps: float | None = None) -> Tensor:
        return self._inplace(special.Logit, eps=eps)

    def xlogy(self, other: Operand) -> Tensor:
        """self * log(other), 0 where self is 0 (other not NaN)."""
        return apply(special.Xlogy, self, other, numbers=tuple(x if is_number(x) else None for x in (self, other)))

    def xlogy_(self, other: Operand) -> Tensor:
        return self._inplace(special.Xlogy, other, numbers=(None, other if is_number(other) else None))

    def sinc(self) -> Tensor:
        return apply(special.Sinc, self)

    def sinc_(self) -> Tensor:
        return self._inplace(special.Sinc)

    def nan_to_num(self, nan: float | None = 0.0, posinf: float | None = None, neginf: float | None = None) -> Tensor:
        """NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (by default 0 and the dtype's largest
        and lowest finite values)."""
        return apply(special.NanToNum, self, nan=nan, posinf=posinf, neginf=neginf)

    def nan_to_num_(self, nan: float | None = 0.0, posinf: float | None = None,
                    neginf: float | None = None) -> Tensor:
        return self._inplace(special.NanToNum, nan=nan, posinf=posinf, neginf=neginf)

    def copysign(self, other: Operand) -> Tensor:
        """|self| with the sign of other."""
        return apply(special.Copysign, self, other, number=is_number(other))

    def copysign_(self, other: Operand) -> Tensor:
        return self._inplace(special.Copysign, other, number=is_number(other))

    def fmax(self, other: Tensor) -> Tensor:
        """The larger of the two elementwise, NaN losing to a number."""
        expect_tensor(other, "fmax", "other", 1)
        return apply(special.Fmax, self, other)

    def fmin(self, other: Tensor) -> Tensor:
        """The smaller of the two elementwise, NaN losing to a number."""
        expect_tensor(other, "fmin", "other", 1)
        return apply(special.Fmin, self, other)

    def signbit(self) -> Tensor:
        """True where the sign bit is set: negative numbers and -0.0 (not differentiable)."""
        return Tensor._make(K.signbit(self._data))

    def nansum(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False, *,
               dtype: DType | None = None) -> Tensor:
        """The sum with NaNs counted as 0."""
        return apply(special.Nansum, self if dtype is None else self.to(dtype), dim=dim, keepdim=keepdim)

    def nanmean(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False, *,
                dtype: DType | None = None) -> Tensor:
        """The mean of the elements that are not NaN: PyTorch's nansum / (count of non-NaNs) (a DivBackward0)."""
        if not self.is_floating_point():
            raise errors.nanmean_dtype(self._data.dtype)
        counted = self.isnan().logical_not().sum(dim, keepdim) if dim is not None else self.isnan().logical_not().sum()
        return self.nansum(dim, keepdim, dtype=dtype).div(counted)

    def quantile(self, q: float | Tensor, dim: int | None = None, keepdim: bool = False, *,
                 interpolation: str = "linear") -> Tensor:
        """The q-th quantiles along ``dim`` (of every element for None): each a value of the sorted data at rank
        q (n - 1), between neighbours as ``interpolation`` says (linear, lower, higher, nearest, midpoint); NaN where
        the data holds one. A 1-D q gives one result per q, along a new first dim."""
        return self._quantile(q, dim, keepdim, interpolation, ignore_nan=False)

    def nanquantile(self, q: float | Tensor, dim: int | None = None, keepdim: bool = False, *,
                    interpolation: str = "linear") -> Tensor:
        """``quantile`` of the elements that are not NaN (NaN where all are)."""
        return self._quantile(q, dim, keepdim, interpolation, ignore_nan=True)

    def _quantile(self, q: float | Tensor, dim: int | None, keepdim: bool, interpolation: str,
                  ignore_nan: bool) -> Tensor:
        """PyTorch's quantile_compute, composed as it composes it (sort, ranks in the input's dtype, gather, lerp_)."""
        scalar_q = not isinstance(q, Tensor)
        q = Tensor._make(K.scalar(q, self._data.dtype)) if scalar_q else q
        errors.check_quantile(self, q, interpolation)
        if dim is None:  # (kept dims: the data viewed as 1 x ... x 1 x n, so the results come out so)
            ordered = self.flatten().sort().values
            ordered = ordered.view(*[1] * self.dim(), -1) if keepdim else ordered
        else:
            dim = normalize_dim(dim, self.dim())
            ordered = self.unsqueeze(-1).transpose(dim, -1).sort().values
        if ignore_nan:  # ranks over the values that are not NaN (0 where all are: the result is NaN)
            ranks = q * (ordered.isnan().logical_not().sum(-1, True) - 1)
            ranks = ranks.masked_fill(ranks < 0, 0)
        else:  # a NaN anywhere: the last rank, where the sort put it
            last = ordered.shape[-1] - 1
            ranks, nan = q * last, ordered.isnan().any(-1, True)
            shape = K.broadcast_shapes(tuple(ranks.shape), tuple(nan.shape))
            ranks = ranks.expand(*shape).masked_fill(nan.expand(*shape), last)
        if interpolation in ("lower", "higher", "nearest"):
            ranks = {"lower": ranks.floor, "higher": ranks.ceil, "nearest": ranks.round}[interpolation]()
        below = ranks.long()
        values = ordered.gather(-1, below)
        if interpolation in ("linear", "midpoint"):
            weights = ranks.new_full(ranks.shape, 0.5) if interpolation == "midpoint" else ranks - below
            values = values.lerp_(ordered.gather(-1, ranks.ceil().long()), weights)
        if scalar_q or q.dim() == 0:
            values = values.squeeze_(-1)
        else:
            values = values.unsqueeze_(0).transpose_(0, -1).squeeze_(-1)
        if dim is not None and not keepdim:
            values = values.squeeze_(dim + (0 if scalar_q or q.dim() == 0 else 1))
        return values

    def diff(self, n: int = 1, dim: int = -1, prepend: Tensor | None = None, append: Tensor | None = None) -> Tensor:
        """The n-th forward difference along ``dim`` (after joining ``prepend`` and ``append`` to its ends): PyTorch's
        narrow(dim, 1, L - 1) - narrow(dim, 0, L - 1), n times (logical_xor for bool)."""
        if self.dim() == 0:
            raise errors.diff_0d()
        if n < 0:
            raise errors.diff_order(n)
        if any(t is not None and t.dim() != self.dim() for t in (prepend, append)):
            raise errors.diff_ends_dims()
        if n == 0:  # PyTorch's zeros_like(self).copy_(self): a CopyBackwards node
            return Tensor._make(K.zeros(self.shape, self._data.dtype)).copy_(self)
        parts = [t for t in (prepend, self, append) if t is not None]
        result = apply(join.Cat, *parts, dim=dim) if len(parts) > 1 else self
        for _ in range(n):
            length = result.shape[dim]
            if length == 0:
                break
            later, earlier = result.narrow(dim, 1, length - 1), result.narrow(dim, 0, length - 1)
            result = later.logical_xor(earlier) if result.dtype == dtypes.bool else later - earlier
        return result

    def cov(self, *, correction: int = 1, fweights: Tensor | None = None, aweights: Tensor | None = None) -> Tensor:
        """The covariance matrix of the variables in the rows (observations in the columns), each observation
        weighted by ``fweights`` (counts) times ``aweights``: PyTorch's mean-centred x @ x.T / (N - correction)."""
        if self.dim() > 2:
            raise errors.cov_dims("cov", self.dim())
        if self.dtype == dtypes.bool:
            raise errors.cov_bool()
        x = self.view(1, -1) if self.dim() < 2 else self
        observations = x.shape[1]
        weights = None
        for name, given in (("fweights", fweights), ("aweights", aweights)):
            if given is not None:
                _check_cov_weights(name, given, observations)
                weights = given if weights is None else weights * given
        total = weights.sum() if weights is not None else Tensor._make(np.array(observations, np.int64))
        if weights is not None and not bool(total.ne(0)):
            raise errors.cov_weights_sum()
        average = (x * weights if weights is not None else x).sum(1) / total
        if weights is not None and correction != 0 and aweights is not None:
            norm = total - correction * (weights * aweights).sum() / total
        else:
            norm = total - correction
        if bool(norm.le(0)):
            warnings.warn(errors.cov_freedom_warning(), UserWarning, stacklevel=2)
            norm = norm * 0
        x = x - average.unsqueeze(1)
        return x.mm((x * weights if weights is not None else x).t()).true_divide(norm).squeeze()

    def corrcoef(self) -> Tensor:
        """Pearson's correlation of the rows: cov / (std_i std_j), clipped to [-1, 1] (c / c for one variable)."""
        if self.dim() > 2:
            raise errors.cov_dims("corrcoef", self.dim())
        c = self.cov()
        if c.dim() == 0:
            return c / c
        deviation = c.diagonal().sqrt()
        c = c / deviation.view(-1, 1)
        c = c / deviation.view(1, -1)
        return c.clip(-1, 1)

    def bernoulli(self, p: float | None = None, *, generator: random.Generator | None = None) -> Tensor:
        """0 or 1 in each element, 1 with probability this tensor's element (or ``p``), in this tensor's dtype."""
        out = np.empty(self.shape, self._data.dtype)
        return Tensor._make(random.fill_bernoulli_(out, self._data if p is None else p, generator))

    def unfold(self, dimension: int, size: int, step: int) -> Tensor:
        """The windows of ``size`` elements, ``step`` apart, along ``dimension``: a view with one more dim (the
        windows' elements, last)."""
        return apply(shape_ops.UnfoldDim, self, dimension=dimension, size=size, step=step)

    def masked_scatter(self, mask: Tensor, source: Tensor) -> Tensor:
        """A copy with source's elements, in order, written where ``mask`` (broadcast with this tensor) is True."""
        expect_tensor(source, "masked_scatter", "source", 2)
        return apply(gather_ops.MaskedScatter, self, source, mask=mask)

    def masked_scatter_(self, mask: Tensor, source: Tensor) -> Tensor:
        expect_tensor(source, "masked_scatter_", "source", 2)
        if mask.dim() > self.dim():
            raise errors.expand_too_few_sizes("CPUBoolType", mask.shape, self.shape)
        return self._inplace(gather_ops.MaskedScatter, source, mask=mask)

    # ----- small properties --------------------------------------------------------------------------------------
    @property
    def is_cpu(self) -> bool:
        return True

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        """Bytes of the elements: numel * itemsize (an expanded view's repeated elements counted each time)."""
        return self.numel() * self._data.itemsize

    @property
    def output_nr(self) -> int:
        """Which output of its ``grad_fn`` this tensor is (0 for a leaf)."""
        return self._output_nr

    def get_device(self) -> int:
        """The device's index: -1 for the CPU."""
        return -1

    def is_complex(self) -> bool:
        return False

    def is_signed(self) -> bool:
        """Whether the dtype holds negative numbers (floats and signed integers; not bool or uint8)."""
        return self._data.dtype.kind in "if"

    def is_nonzero(self) -> bool:
        """Whether the one element is nonzero (NaN is); PyTorch's error for more or fewer elements."""
        if self.numel() != 1:
            raise errors.ambiguous_bool(self.numel())
        return bool(self.item())

    def is_same_size(self, other: Tensor) -> bool:
        expect_tensor(other, "is_same_size", "other")
        return self.shape == other.shape


graph.use_tensor_class(Tensor)  # hooks see gradients and saved arrays as Tensors


forward_ad.use(Tensor, apply)  # forward-mode AD (a layer below) makes tangents and reruns ops with these


def _check_cov_weights(name: str, weights: Any, observations: int) -> None:
    """PyTorch's checks of cov's ``fweights`` (integer counts) or ``aweights`` (float weights), one per observation."""
    if weights.dim() > 1:
        raise errors.cov_weights(name, f"to have one or fewer dimensions but got {name} with {weights.dim()} "
                                       "dimensions")
    integral = name == "fweights"
    if weights.is_floating_point() == integral:
        raise errors.cov_weights(name, f"to have {'integral' if integral else 'floating point'} dtype but got {name} "
                                       f"with {weights.dtype.scalar_name} dtype")
    if weights.numel() != observations:
        raise errors.cov_weights(name, f"to have the same numel as there are observations in the input but got "
                                       f"{weights.numel()} != {observations}")
    if weights.numel() and bool(weights.min() < 0):
        raise errors.cov_negative_weights(name)


def _unique_results(values: Tensor, inverse: Tensor | None, counts: Tensor | None) -> Tensor | tuple[Tensor, ...]:
    """unique's values alone, or (values, inverse, counts) without those not asked for."""
    picked = tuple(t for t in (inverse, counts) if t is not None)
    return (values, *picked) if picked else values
