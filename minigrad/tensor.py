"""``Tensor``: a numpy array, plus what autograd needs (``requires_grad``, ``grad``, ``grad_fn``).

Every differentiable method ends in ``apply``, which runs an op from the registry on the tensors'
arrays and, when grad mode is on and an input requires grad, records the op in the graph.
"""

from __future__ import annotations

import math
import warnings
import weakref
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from . import dtypes, errors, random
from . import kernels as K
from .autograd import engine, versions
from .autograd.grad_mode import is_grad_enabled
from .device import check_device, device
from .dtypes import dtype as DType
from .ops import comparison, linalg, pointwise, reduction
from .ops import gather as gather_ops
from .ops import shape as shape_ops
from .ops.dims import normalize_dim
from .ops.registry import Op, Promotion
from .printing import tensor_repr
from .size import Size

Number = int | float | bool
Operand = "Tensor | Number"

class ReductionResult(NamedTuple):
    """What ``max``/``min`` along a dim return: ``values`` and the ``indices`` they came from."""

    values: Tensor
    indices: Tensor


def expect_tensor(value: Any, function: str, name: str = "input", position: int = 1) -> None:
    """PyTorch's TypeError when a function taking a tensor gets something else: nothing is turned into one."""
    if not isinstance(value, Tensor):
        raise errors.not_a_tensor(value, function, name, position)


def is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.number, np.bool_))


def _promote(op: type[Op], inputs: Sequence[Tensor | Number], scalars: tuple[Any, ...]) -> list[np.ndarray]:
    """The inputs as arrays, converted as ``op.promotion`` says.

    Python numbers among the inputs take part in type promotion as PyTorch's "wrapped numbers" and enter
    the kernel as their value in the computation dtype (so uint8 / -2 divides by -2.0, not by 254).
    """
    arrays = [x._data for x in inputs if isinstance(x, Tensor)]
    if arrays and len(arrays) == len(inputs) and not scalars and op.check is Op.check:
        dtype = arrays[0].dtype
        if all(a.dtype == dtype for a in arrays) and (op.promotion is not Promotion.FLOAT or dtype.kind == "f"):
            return arrays  # one dtype throughout: nothing to promote
    numbers = tuple(x for x in inputs if not isinstance(x, Tensor))
    for value in numbers:
        if not is_number(value):
            raise TypeError(f"unsupported operand type(s) for {op.__name__}: 'Tensor' and '{type(value).__name__}'")
    if op.check is not Op.check:  # the op refuses some dtypes
        op.check([x._data.dtype if isinstance(x, Tensor) else dtypes.scalar_dtype(x).np for x in inputs])
    if op.promotion is Promotion.NONE or op.promotion is Promotion.SAME:  # numbers take the first tensor's dtype
        return [x._data if isinstance(x, Tensor) else K.scalar(x, arrays[0].dtype) for x in inputs]
    target = dtypes.result_type([(dtypes.from_numpy(a.dtype), a.ndim) for a in arrays], numbers + scalars)
    if op.promotion is Promotion.FLOAT and not target.is_floating_point:
        target = dtypes.get_default_dtype()
    return [K.cast(x._data, target.np) if isinstance(x, Tensor) else K.scalar(x, target.np) for x in inputs]


def apply(op: type[Op], *inputs: Tensor | Number, scalars: tuple[Any, ...] = (), **params: Any) -> Any:
    """Run ``op`` on the inputs and record it in the graph when a gradient will be needed.

    Inputs may be Python numbers (constants); ``scalars`` are numbers the op takes as parameters, which
    take part in type promotion too. A tensor among ``params`` is a constant: its values are used, but
    no gradient flows to it (as for a loss's ``weight``).
    """
    arrays = _promote(op, inputs, scalars)
    if params:
        params = {k: v._data if isinstance(v, Tensor) else v for k, v in params.items()}
    ctx = engine.Context()
    needs = tuple([isinstance(x, Tensor) and x._requires_grad for x in inputs])
    recording = op.differentiable and True in needs and is_grad_enabled()
    ctx.needs_input_grad = needs if recording else (False,) * len(inputs)
    out = op.forward(ctx, *arrays, **params)
    first, rest = (out[0], out[1:]) if isinstance(out, tuple) else (out, ())
    grad_fn = None
    if recording:
        edges = [x._grad_edge() if isinstance(x, Tensor) else None for x in inputs]
        metas = [(a.shape, x._data.dtype if isinstance(x, Tensor) else a.dtype) for x, a in zip(inputs, arrays)]
        name = None if op.grad_fn_name is Op.grad_fn_name else op.grad_fn_name(ctx, *arrays, **params)
        grad_fn = engine.Node(op, ctx, edges, metas, name=name)
        ctx.replay = (arrays, params)
    result = Tensor._make(first, grad_fn=grad_fn)
    if not rest:
        return result
    return (result, *(Tensor._make(r) for r in rest))


def _index_key(key: Any, ndim: int) -> tuple[Any, ...]:
    """An indexing key as a tuple of ints, slices, None, Ellipsis and numpy index arrays, checked against a
    tensor of ``ndim`` dims with PyTorch's errors (too many indices, indexing a 0-d tensor, a float index)."""
    items = key if isinstance(key, tuple) else (key,)
    out = []
    for k in items:
        if isinstance(k, Tensor):
            if k.dtype not in (dtypes.int64, dtypes.int32, dtypes.uint8, dtypes.bool):
                raise errors.index_tensor_dtype()
            k = k._data
        elif isinstance(k, list):
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


class Tensor:
    """An n-dimensional array that can record the ops applied to it and compute their gradients."""

    __array_ufunc__ = None  # numpy scalars defer to Tensor's operators: np.float32(2) * t is a Tensor
    html_renderer: Callable[[Tensor], str | None] | None = None  # set by minigrad.viz: notebooks draw graphs

    def __init__(self, data: Any = (), dtype: DType | None = None) -> None:
        """PyTorch's legacy ``Tensor(data)`` constructor: the data as a default-float tensor."""
        array = np.array(data, dtype=(dtype or dtypes.get_default_dtype()).np)
        self._init(array, requires_grad=False, grad_fn=None)

    def _init(self, array: np.ndarray, requires_grad: bool, grad_fn: engine.Node | None) -> None:
        self._data = array
        self._requires_grad = requires_grad
        self._grad: Tensor | None = None
        self.grad_fn = grad_fn
        self._accumulator: weakref.ref[engine.AccumulateGrad] | None = None
        self._retains_grad = False

    @classmethod
    def _make(cls, array: np.ndarray, requires_grad: bool = False, grad_fn: engine.Node | None = None) -> Tensor:
        """A tensor around ``array`` (no copy): how ops and factories build their results."""
        if array.dtype not in dtypes.NUMPY_DTYPES:
            dtypes.from_numpy(array.dtype)  # raises, naming the dtype
        t = cls.__new__(cls)
        t._init(array, requires_grad or grad_fn is not None, grad_fn)
        return t

    # ----- autograd state -------------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        """Whether ops on this tensor record a graph so its gradient can be computed."""
        return self._requires_grad

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
        self._requires_grad = bool(flag)

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user (not by a recorded op); only leaves get ``.grad``."""
        return self.grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient (leaves, and tensors that called ``retain_grad()``), else None."""
        if not self.is_leaf and not self._retains_grad and self._grad is None:
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
        self._retains_grad = True
        # The hook holds the tensor weakly: a strong one would make a cycle (tensor -> grad_fn -> hook -> tensor)
        # that keeps the graph alive until the cycle collector runs. A tensor that is gone has no .grad to fill.
        ref = weakref.ref(self)

        def retain(grad: np.ndarray) -> None:
            tensor = ref()
            if tensor is not None:
                tensor._accumulate_grad([grad])

        self.grad_fn.pre_hooks.append(retain)

    def _accumulate_grad(self, handed: list[np.ndarray]) -> None:
        """Add the gradient handed over in a one-element list into ``.grad`` (in place once it exists, as PyTorch's
        AccumulateGrad does). A first gradient becomes ``.grad``: the array itself if nothing else holds it, else a
        copy."""
        if self._grad is None:
            kept = K.take(handed)
            self._grad = Tensor._make(kept if kept is not None else K.copy(handed[0]))
        else:
            K.add(self._grad._data, handed[0], out=self._grad._data)

    def _grad_edge(self) -> engine.Node | None:
        """The node a gradient for this tensor flows into: its grad_fn, or its leaf accumulator."""
        if self.grad_fn is not None:
            return self.grad_fn
        if not self._requires_grad:
            return None
        # The accumulator holds this tensor; the tensor holds it weakly (as PyTorch's grad_accumulator_), so the
        # pair is no cycle: it lives while some graph points at it, and a later graph gets a new one.
        accumulator = self._accumulator() if self._accumulator is not None else None
        if accumulator is None:
            # (the method looked up at each call: minigrad.compile's tracer replaces it while it records)
            accumulator = engine.AccumulateGrad(self, lambda handed: self._accumulate_grad(handed))
            self._accumulator = weakref.ref(accumulator)
        return accumulator

    def backward(self, gradient: Tensor | None = None, retain_graph: bool = False) -> None:
        """Compute the gradient of this tensor with respect to every leaf that requires grad.

        ``gradient`` is d(something)/d(self), the same shape as self; it may be omitted for a scalar (1).
        """
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
        engine.backward([self._grad_edge()], [seed], retain_graph=retain_graph)

    def detach(self) -> Tensor:
        """The same data (shared, not copied) cut off from the graph."""
        return Tensor._make(self._data)

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

    def size(self, dim: int | None = None) -> Size | int:
        """The shape, or the size of one dim."""
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
    def _check_inplace(self) -> None:
        """PyTorch's refusal to overwrite a leaf that requires grad (or a view of one) while grad mode is on."""
        if self.requires_grad and is_grad_enabled():
            if self.is_leaf:
                raise errors.leaf_inplace()
            if self.grad_fn.op is not None and self.grad_fn.op.returns_view:
                if isinstance(self.grad_fn.next_nodes[0], engine.AccumulateGrad):
                    raise errors.leaf_view_inplace()
                raise RuntimeError(
                    f"minigrad does not rewrite the graph for in-place ops on a view ({self.grad_fn.name()}); "
                    "use an out-of-place op instead (y = y + 1 rather than y += 1)"
                )
        if any(size > 1 and stride == 0 for size, stride in zip(self._data.shape, self._data.strides)):
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

    def _inplace(self, op: type[Op], *others: Tensor | Number, **params: Any) -> Tensor:
        """self = op(self, *others) in this tensor's memory; the graph, if recorded, continues from the result.

        The op sees self's old values (saved ones are copied before the write), and this tensor takes the
        result's ``grad_fn``, as PyTorch rebases history for in-place ops.
        """
        self._check_inplace()
        result = apply(op, self, *others, **params)
        if not dtypes.can_cast(result.dtype, self.dtype):
            raise errors.result_type_cast(result.dtype, self.dtype)
        if result.grad_fn is not None:
            result.grad_fn.ctx.keep_own_copy(self._data)
        self._write(result._data, result.grad_fn)
        if result.grad_fn is not None:
            self.grad_fn = result.grad_fn
            self._requires_grad = True
        return self

    def add_(self, other: Operand) -> Tensor:
        return self._inplace(pointwise.Add, other)

    def sub_(self, other: Operand) -> Tensor:
        return self._inplace(pointwise.Sub, other)

    def mul_(self, other: Operand) -> Tensor:
        return self._inplace(pointwise.Mul, other)

    def div_(self, other: Operand) -> Tensor:
        return self._inplace(pointwise.Div, other)

    def clamp_(self, min: Number | None = None, max: Number | None = None) -> Tensor:  # noqa: A002
        if min is None and max is None:
            raise errors.clamp_without_bounds()
        bounds = tuple(b for b in (min, max) if b is not None)
        return self._inplace(pointwise.Clamp, scalars=bounds, min=min, max=max)

    __iadd__, __isub__, __imul__, __itruediv__ = add_, sub_, mul_, div_

    def copy_(self, src: Tensor | Number) -> Tensor:
        """Overwrite this tensor's values with ``src`` (broadcast to this shape, cast to this dtype).

        Not recorded in the graph: a ``src`` that requires grad does not pass gradients through the copy.
        """
        self._check_inplace()
        return self._write(src._data if isinstance(src, Tensor) else K.scalar(src, self._data.dtype))

    def fill_(self, value: Number | Tensor) -> Tensor:
        """Set every element to ``value`` (a number or a 0-d tensor)."""
        if isinstance(value, Tensor) and value.dim() != 0:
            raise errors.fill_value_dims(value.dim())
        return self.copy_(value)

    def zero_(self) -> Tensor:
        """Set every element to 0."""
        return self.copy_(0)

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

    def __float__(self) -> float:
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
            raise errors.ambiguous_bool()
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
        return self.to(dtypes.from_legacy_name(dtype) if isinstance(dtype, str) else dtype)

    def float(self) -> Tensor:
        return self.to(dtypes.float32)

    def double(self) -> Tensor:
        return self.to(dtypes.float64)

    def long(self) -> Tensor:
        return self.to(dtypes.int64)

    def int(self) -> Tensor:
        return self.to(dtypes.int32)

    def bool(self) -> Tensor:
        return self.to(dtypes.bool)

    def byte(self) -> Tensor:
        return self.to(dtypes.uint8)

    def cpu(self) -> Tensor:
        return self

    def __repr__(self) -> str:
        suffixes = []
        default_dtypes = (dtypes.float32, dtypes.int64, dtypes.bool)
        if self.dtype not in default_dtypes or (self.numel() == 0 and self.dtype is not dtypes.float32):
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
    def add(self, other: Operand) -> Tensor:
        return apply(pointwise.Add, self, other)

    def sub(self, other: Operand) -> Tensor:
        return apply(pointwise.Sub, self, other)

    def mul(self, other: Operand) -> Tensor:
        return apply(pointwise.Mul, self, other)

    def div(self, other: Operand) -> Tensor:
        return apply(pointwise.Div, self, other)

    def rsub(self, other: Operand) -> Tensor:
        """other - self."""
        return apply(pointwise.Rsub, self, other)

    def pow(self, exponent: Operand) -> Tensor:
        """self ** exponent, for a number or a tensor exponent."""
        if isinstance(exponent, Tensor):
            return apply(pointwise.PowTensor, self, exponent)
        if not is_number(exponent):
            raise TypeError(f"unsupported exponent type: {type(exponent).__name__}")
        return apply(pointwise.Pow, self, scalars=(exponent,), exponent=exponent)

    def neg(self) -> Tensor:
        return apply(pointwise.Neg, self)

    def matmul(self, other: Tensor) -> Tensor:
        return apply(linalg.Matmul, self, other)

    __add__ = add
    __sub__ = sub
    __mul__ = mul
    __truediv__ = div
    __pow__ = pow
    __neg__ = neg
    __matmul__ = matmul

    def __radd__(self, other: Number) -> Tensor:
        return apply(pointwise.Add, other, self)

    def __rsub__(self, other: Number) -> Tensor:
        return apply(pointwise.Rsub, self, other)

    def __rmul__(self, other: Number) -> Tensor:
        return apply(pointwise.Mul, other, self)

    def __rtruediv__(self, other: Number) -> Tensor:
        return apply(pointwise.Div, other, self)

    def __rpow__(self, other: Number) -> Tensor:
        return apply(pointwise.PowTensor, other, self)

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

    __abs__ = abs

    def clamp(self, min: Number | None = None, max: Number | None = None) -> Tensor:  # noqa: A002
        """Each element limited to [min, max] (either bound may be None)."""
        if min is None and max is None:
            raise errors.clamp_without_bounds()
        bounds = tuple(b for b in (min, max) if b is not None)
        return apply(pointwise.Clamp, self, scalars=bounds, min=min, max=max)

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

    __eq__ = eq  # type: ignore[assignment]
    __ne__ = ne  # type: ignore[assignment]
    __lt__ = lt
    __le__ = le
    __gt__ = gt
    __ge__ = ge

    # ----- reductions ---------------------------------------------------------------------------------------
    def sum(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Tensor:
        return apply(reduction.Sum, self, dim=dim, keepdim=keepdim)

    def mean(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Tensor:
        return apply(reduction.Mean, self, dim=dim, keepdim=keepdim)

    def max(self, dim: int | None = None, keepdim: bool = False) -> Tensor | ReductionResult:
        """The largest element, or (values, indices) of the largest along ``dim``."""
        if dim is None:
            return apply(reduction.Max, self)
        return ReductionResult(*apply(reduction.MaxDim, self, dim=dim, keepdim=keepdim))

    def min(self, dim: int | None = None, keepdim: bool = False) -> Tensor | ReductionResult:
        """The smallest element, or (values, indices) of the smallest along ``dim``."""
        if dim is None:
            return apply(reduction.Min, self)
        return ReductionResult(*apply(reduction.MinDim, self, dim=dim, keepdim=keepdim))

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return apply(reduction.Argmax, self, dim=dim, keepdim=keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return apply(reduction.Argmin, self, dim=dim, keepdim=keepdim)

    def prod(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return apply(reduction.Prod, self, dim=dim, keepdim=keepdim)

    def var(self, dim: int | tuple[int, ...] | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None) -> Tensor:
        """The variance, dividing by N - correction (``unbiased=False`` is correction 0; the default is 1)."""
        return apply(reduction.Var, self, dim=dim, unbiased=unbiased, keepdim=keepdim, correction=correction)

    def std(self, dim: int | tuple[int, ...] | None = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None) -> Tensor:
        """The standard deviation: sqrt of ``var`` with the same arguments."""
        return apply(reduction.Std, self, dim=dim, unbiased=unbiased, keepdim=keepdim, correction=correction)

    def cumsum(self, dim: int) -> Tensor:
        return apply(reduction.Cumsum, self, dim=dim)

    def all(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """True where every element (along ``dim``) is nonzero."""
        return (self == 0).sum(dim=dim, keepdim=keepdim) == 0 if dim is not None else (self == 0).sum() == 0

    def any(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """True where some element (along ``dim``) is nonzero."""
        return (self != 0).sum(dim=dim, keepdim=keepdim) > 0 if dim is not None else (self != 0).sum() > 0

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

    def gather(self, dim: int, index: Tensor) -> Tensor:
        return apply(gather_ops.Gather, self, dim=dim, index=index)

    def scatter(self, dim: int, index: Tensor, src: Tensor | Number = None, value: Number | None = None) -> Tensor:
        """A copy with the values of ``src`` (or ``value``) written where ``index`` points along ``dim``."""
        return apply(gather_ops.Scatter, self, value if src is None else src, dim=dim, index=index)

    def scatter_(self, dim: int, index: Tensor, src: Tensor | Number = None, value: Number | None = None) -> Tensor:
        return self._inplace(gather_ops.Scatter, value if src is None else src, dim=dim, index=index)

    # ----- shape -------------------------------------------------------------------------------------------
    def expand(self, *sizes: int) -> Tensor:
        """A read-only view with size-1 dims stretched to ``sizes`` (-1 keeps a dim), without copying."""
        return apply(shape_ops.Expand, self, sizes=_dim_args(sizes), type_name=self.type())

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(*other.shape)

    def repeat(self, *repeats: int) -> Tensor:
        """A copy tiled ``repeats[i]`` times along dim i."""
        return apply(shape_ops.Repeat, self, repeats=_dim_args(repeats))

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
        return tuple(pieces)

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """At most ``chunks`` pieces of equal size along ``dim`` (the last may be smaller)."""
        length = self.shape[normalize_dim(dim, self.dim())]
        return self.split(max(1, -(-length // chunks)), dim)

    def view(self, *shape: int) -> Tensor:
        return apply(shape_ops.View, self, shape=_dim_args(shape))

    def reshape(self, *shape: int) -> Tensor:
        return apply(shape_ops.Reshape, self, shape=_dim_args(shape))

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        return apply(shape_ops.Transpose, self, dim0=dim0, dim1=dim1)

    def t(self) -> Tensor:
        return apply(shape_ops.T, self)

    def permute(self, *dims: int) -> Tensor:
        return apply(shape_ops.Permute, self, dims=_dim_args(dims))

    @property
    def T(self) -> Tensor:  # noqa: N802  (PyTorch's name)
        """All dims reversed."""
        return self.permute(*reversed(range(self.dim())))

    def squeeze(self, dim: int | None = None) -> Tensor:
        return apply(shape_ops.Squeeze, self, dim=dim)

    def unsqueeze(self, dim: int) -> Tensor:
        return apply(shape_ops.Unsqueeze, self, dim=dim)

    def __getitem__(self, key: Any) -> Tensor:
        return apply(shape_ops.Index, self, key=_index_key(key, self.dim()))

    def __iter__(self):
        return (self[i] for i in range(len(self)))
