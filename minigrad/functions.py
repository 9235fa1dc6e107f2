"""Tensor functions: those taking several tensors at once (``minigrad.cat``, ``stack``, ``where``), and the
module-level forms of Tensor's methods (``minigrad.exp(x)`` is ``x.exp()``)."""

import functools
import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import dtypes, errors, factories
from . import kernels as K
from .autograd.grad_mode import is_grad_enabled
from .ops import counting, join, pointwise
from .size import Size
from .tensor import Number, Tensor, _dim, apply, expect_tensor, is_number


def cat(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """The tensors joined along ``dim`` (every other dim must match): ``cat([a, b])``; ``axis=``: see ``_dim``."""
    _check_sequence("cat", tensors)
    if not tensors:
        raise errors.cat_empty()
    return apply(join.Cat, *tensors, dim=_dim(dim, axis, "cat", 0))


def stack(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """The tensors (all of one shape) stacked along a new dim ``dim``."""
    _check_sequence("stack", tensors)
    if not tensors:
        raise errors.stack_empty()
    return apply(join.Stack, *tensors, dim=_dim(dim, axis, "stack", 0))


def _check_sequence(name: str, tensors: Sequence[Tensor]) -> None:
    if isinstance(tensors, Tensor):
        raise errors.tensors_not_a_sequence(name)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise errors.not_a_tensor_element(i, t)


def where(condition: Tensor, input: Tensor | Number | None = None,  # noqa: A002
          other: Tensor | Number | None = None) -> Tensor | tuple[Tensor, ...]:
    """input where the bool ``condition`` holds, else other (all three broadcast together); ``where(condition)``
    alone is ``condition.nonzero(as_tuple=True)``, the coordinates where it holds, one tensor per dim."""
    if input is None and other is None:
        expect_tensor(condition, "where", "condition")
        return condition.nonzero(as_tuple=True)
    if input is None or other is None:
        raise errors.where_arguments(condition, input, other)
    return apply(pointwise.Where, input, other, condition=condition)


def aminmax(input: Tensor, *args: Any, dim: int | None = None, keepdim: bool = False,  # noqa: A002
            axis: int | None = None) -> tuple[Tensor, Tensor]:
    """``minigrad.aminmax(x, dim=..., keepdim=...)``: ``x.aminmax(...)``; ``dim`` and ``keepdim`` keyword-only."""
    expect_tensor(input, "aminmax")
    if args:
        raise errors.positional_arguments("aminmax", 1, 1 + len(args))
    return input.aminmax(dim=dim, keepdim=keepdim, axis=axis)


def module_form(method: Callable[..., Any], number_input: bool = False) -> Callable[..., Any]:
    """``minigrad.<name>(input, ...)``: ``input.<name>(...)`` for a tensor ``input``, PyTorch's TypeError for
    anything else (a method called on the class would take a number as ``self`` and make it a tensor). With
    ``number_input``, a number ``input`` is taken when the second argument is a tensor: ``pow(2, x)``."""
    name = method.__name__

    @functools.wraps(method)
    def function(input: Tensor, *args: Any, **kwargs: Any) -> Any:  # noqa: A002  (PyTorch's name)
        second = args[0] if args else next(iter(kwargs.values()), None)
        if not (number_input and is_number(input) and isinstance(second, Tensor)):
            expect_tensor(input, name)
        return method(input, *args, **kwargs)

    return function


def out_form(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` that also takes PyTorch's ``out=``: ``minigrad.add(x, y, out=result)`` writes x + y into
    ``result`` and returns it. ``result`` keeps its dtype (one the result casts to) and takes the result's shape
    (resized, with PyTorch's warning, when it held elements of another shape). As in PyTorch, no gradient flows
    through such a call: it refuses inputs that require grad while grad mode is on."""
    name = function.__name__

    @functools.wraps(function)
    def with_out(*args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:
        if kwargs and "input" in kwargs:  # (PyTorch's name for the first argument: add(input=x, other=y))
            if args:
                raise TypeError(f"{name}() got multiple values for argument 'input'")
            args = (kwargs.pop("input"),)
        if out is None:
            return function(*args, **kwargs)
        if is_grad_enabled() and any(isinstance(t, Tensor) and t.requires_grad for t in (*args, *kwargs.values(), out)):
            raise errors.out_requires_grad(name)
        result = function(*args, **kwargs)
        if not dtypes.can_cast(result.dtype, out.dtype):
            raise errors.result_type_cast(result.dtype, out.dtype)
        if out.shape == result.shape:
            return out.copy_(result)
        if out.numel():
            warnings.warn(errors.out_resized_warning(out.shape, result.shape), UserWarning, stacklevel=2)
        out.data = result.to(out.dtype)
        return out

    return with_out


def _check_list(name: str, tensors: Sequence[Tensor]) -> None:
    """A non-empty sequence of tensors, as the joining functions take."""
    _check_sequence(name, tensors)
    if not tensors:
        raise errors.empty_tensor_list(name)


def atleast_1d(*tensors: Tensor | Sequence[Tensor]) -> Tensor | tuple[Tensor, ...]:
    """Each tensor with at least 1 dim (a 0-d tensor becomes shape (1,))."""
    return _atleast(tensors, lambda t: t.reshape(1) if t.dim() == 0 else t)


def atleast_2d(*tensors: Tensor | Sequence[Tensor]) -> Tensor | tuple[Tensor, ...]:
    """Each tensor with at least 2 dims: shape (n,) becomes (1, n)."""
    return _atleast(tensors, lambda t: atleast_1d(t).unsqueeze(0) if t.dim() < 2 else t)


def atleast_3d(*tensors: Tensor | Sequence[Tensor]) -> Tensor | tuple[Tensor, ...]:
    """Each tensor with at least 3 dims: (n,) becomes (1, n, 1) and (m, n) becomes (m, n, 1)."""
    return _atleast(tensors, lambda t: atleast_2d(t).unsqueeze(-1) if t.dim() < 3 else t)


def _atleast(tensors: tuple[Any, ...], grow: Callable[[Tensor], Tensor]) -> Tensor | tuple[Tensor, ...]:
    """One tensor for one tensor given, a tuple for several (or for one sequence)."""
    if len(tensors) == 1 and isinstance(tensors[0], Tensor):
        return grow(tensors[0])
    many = tensors[0] if len(tensors) == 1 else tensors
    return tuple(grow(t) for t in many)


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """The tensors joined along dim 1 (dim 0 for 1-D ones), after ``atleast_1d``."""
    _check_list("hstack", tensors)
    pieces = atleast_1d(tensors)
    return cat(pieces, 0 if pieces[0].dim() == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """The tensors joined along dim 0, after ``atleast_2d``: rows stacked."""
    _check_list("vstack", tensors)
    return cat(atleast_2d(tensors), 0)


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """The tensors joined along dim 2, after ``atleast_3d``: depth-wise."""
    _check_list("dstack", tensors)
    return cat(atleast_3d(tensors), 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """The tensors side by side as columns: 0-d and 1-D ones become (n, 1) columns, then ``hstack``."""
    _check_list("column_stack", tensors)
    return hstack([t.reshape(t.numel(), 1) if t.dim() <= 1 else t for t in tensors])


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The tensors expanded to their common broadcast shape (views)."""
    shape: tuple[int, ...] = ()
    for t in tensors:
        shape = K.broadcast_shapes(shape, tuple(t.shape))
    return tuple(t.expand(*shape) for t in tensors)


def meshgrid(*tensors: Tensor | Sequence[Tensor], indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids of 0-d or 1-D tensors (views): out[k][i0, i1, ...] = tensors[k][i_k] with ``indexing="ij"``
    (the default, with PyTorch's warning when not given); ``"xy"`` swaps the first two dims of every grid."""
    many = list(tensors[0]) if len(tensors) == 1 and not isinstance(tensors[0], Tensor) else list(tensors)
    _check_list("meshgrid", many)
    if indexing is None:
        warnings.warn(errors.meshgrid_indexing_warning(), UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("xy", "ij"):
        raise errors.meshgrid_indexing(indexing)
    for t in many:
        if t.dim() > 1:
            raise errors.meshgrid_dims(t.dim())
    order = list(range(len(many)))
    if indexing == "xy" and len(many) >= 2:
        order[0], order[1] = 1, 0
    shape = [many[k].numel() for k in order]
    grids = []
    for k, t in enumerate(many):
        sizes = [1] * len(many)
        sizes[order.index(k)] = -1
        grids.append(t.reshape(*sizes).expand(*shape))
    return tuple(grids)



def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None) -> Tensor | tuple[Tensor, ...]:
    """``input.unique(...)``: the distinct values (or slices along ``dim``), sorted, and on request the inverse
    and the counts (PyTorch's type error names the function it dispatches to, _unique2 or unique_dim)."""
    expect_tensor(input, "_unique2" if dim is None else "unique_dim")
    return input.unique(sorted, return_inverse, return_counts, dim)


def unique_consecutive(*args: Any, **kwargs: Any) -> Tensor | tuple[Tensor, ...]:
    """``unique_consecutive(input, return_inverse=False, return_counts=False, dim=None)``, as ``input``'s method
    computes it.

    Which results come back is decided as PyTorch's ``boolean_dispatch`` decides it: from ``return_inverse`` as the
    third argument and ``return_counts`` as the second. So flags given by position compute one thing and return
    another (``unique_consecutive(x, True)`` gives the values and an empty tensor): pass them by keyword."""
    input, return_inverse, return_counts, dim = _unique_consecutive_arguments(*args, **kwargs)  # noqa: A001
    expect_tensor(input, "unique_consecutive")
    values, inverse, counts = apply(counting.UniqueConsecutive, input, dim=dim)
    wants_inverse = kwargs["return_inverse"] if "return_inverse" in kwargs else len(args) > 2 and args[2]
    wants_counts = kwargs["return_counts"] if "return_counts" in kwargs else len(args) > 1 and args[1]
    empty = Tensor._make(K.zeros((0,), dtypes.int64.np))  # what PyTorch returns for a result it did not compute
    picked = [(inverse if return_inverse else empty, wants_inverse), (counts if return_counts else empty, wants_counts)]
    picked = [t for t, wanted in picked if wanted]
    return (values, *picked) if picked else values


def _unique_consecutive_arguments(input: Any, return_inverse: bool = False, return_counts: bool = False,  # noqa: A002
                                  dim: int | None = None) -> tuple[Any, bool, bool, int | None]:
    return input, return_inverse, return_counts, dim


_CDIST_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str = _CDIST_MODES[0]) -> Tensor:
    """||x1_i - x2_j||_p for every row i of x1 (..., P, M) and row j of x2 (..., R, M): a (..., P, R) tensor.

    Euclidean distances between more than 25 rows (or with ``compute_mode="use_mm_for_euclid_dist"``) take PyTorch's
    matrix-product form, sqrt(max(|x|^2 + |y|^2 - 2 x.y, 1e-30)), composed as PyTorch composes it (its rounding:
    not the differences' own); other distances are composed from the differences (PyTorch has a kernel of its own:
    the same values to float rounding, one node CdistBackward0 where minigrad records the composition's)."""
    expect_tensor(x1, "cdist")
    expect_tensor(x2, "cdist", "x2", 2)
    if x1.dim() < 2 or x2.dim() < 2:
        raise errors.cdist_dims(min(x1.dim(), x2.dim()))
    if x1.shape[-1] != x2.shape[-1]:
        raise errors.cdist_columns(x1.shape[-1], x2.shape[-1])
    if p < 0:
        raise errors.cdist_negative_p()
    if compute_mode not in _CDIST_MODES:
        raise errors.cdist_compute_mode(compute_mode)
    if not x1.is_floating_point():
        raise errors.cdist_dtype(x1.dtype)
    if x1.dtype != x2.dtype:
        raise errors.expected_scalar_type(x1.dtype, x2.dtype)
    rows = max(x1.shape[-2], x2.shape[-2])
    if p == 2 and (compute_mode == _CDIST_MODES[1] or (compute_mode == _CDIST_MODES[0] and rows > 25)):
        norm1, norm2 = ((x ** 2).sum(-1, keepdim=True) for x in (x1, x2))  # (PyTorch's _euclidean_dist)
        left = cat([x1 * -2, norm1, norm1.new_ones(norm1.shape)], -1)
        right = cat([x2, norm2.new_ones(norm2.shape), norm2], -1)
        return left.matmul(right.mT).clamp_min(1e-30).sqrt()
    differences = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    if p == 0:
        return (differences != 0).sum(-1).to(x1.dtype)
    if p == float("inf"):
        return differences.abs().amax(-1)
    if p == 2:
        return (differences * differences).sum(-1).sqrt()
    return (differences.abs() ** p).sum(-1) ** (1.0 / p)


def searchsorted(sorted_sequence: Tensor, input: Tensor | Number, *, out_int32: bool = False,  # noqa: A002
                 right: bool = False, side: str | None = None, sorter: Tensor | None = None) -> Tensor:
    """Where each value of ``input`` would go in ``sorted_sequence`` (sorted along its last dim; one row for all
    values, or a row per row of ``input``) to keep it sorted: the index of the first boundary >= the value (> with
    ``right=True`` or ``side="right"``). ``sorter``: the indices that sort each row, for a sequence not sorted."""
    if side is not None and right and side == "left":
        raise errors.searchsorted_side(side)
    right = right or side == "right"
    boundaries = sorted_sequence if sorter is None else sorted_sequence.gather(-1, sorter)
    values = input._data if isinstance(input, Tensor) else np.asarray(input, boundaries._data.dtype)
    if boundaries.dim() > 1 and boundaries.shape[:-1] != values.shape[:-1]:
        raise errors.searchsorted_shapes(boundaries.shape, values.shape)
    common = np.promote_types(boundaries._data.dtype, values.dtype)
    rows = K.cast(boundaries._data.reshape(-1, boundaries.shape[-1]), common)
    flat = K.cast(values.reshape(rows.shape[0] if boundaries.dim() > 1 else 1, -1), common)
    found = K.search_sorted(rows, flat, right).reshape(values.shape)
    return Tensor._make(found.astype(np.int32) if out_int32 else found)


def bucketize(input: Tensor | Number, boundaries: Tensor, *, out_int32: bool = False,  # noqa: A002
              right: bool = False) -> Tensor:
    """The bucket of each value of ``input`` between the sorted 1-D ``boundaries``: ``searchsorted(boundaries, input)``
    (bucket i holds boundaries[i-1] < x <= boundaries[i]; with ``right=True``, boundaries[i-1] <= x < boundaries[i])."""
    if boundaries.dim() != 1:
        raise errors.bucketize_boundaries(boundaries.dim())
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def result_type(tensor1: Tensor | Number, tensor2: Tensor | Number) -> dtypes.dtype:
    """The dtype an op of the two operands computes in: PyTorch's type promotion (see ``dtypes.result_type``)."""
    operands = (tensor1, tensor2)
    return dtypes.result_type([(x.dtype, x.dim()) for x in operands if isinstance(x, Tensor)],
                              tuple(x for x in operands if not isinstance(x, Tensor)))


def concat(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """``cat``'s other name (also ``concatenate``, numpy's)."""
    return cat(tensors, _dim(dim, axis, "concat", 0))


concatenate = concat


def tensordot(a: Tensor, b: Tensor, dims: int | Sequence[Any] = 2) -> Tensor:
    """The sum over the paired dims of a and b of their products: the last ``dims`` of a with the first ``dims`` of
    b, or the dims listed (``([1, 2], [0, 1])``). Composed as PyTorch composes it: each operand permuted and viewed
    as a matrix, one matrix product, viewed back."""
    if isinstance(dims, int):
        first, second = list(range(a.dim() - dims, a.dim())), list(range(dims))
    else:
        first, second = ([d] if isinstance(d, int) else list(d) for d in dims)
    if len(first) != len(second):
        raise errors.tensordot_dims()
    first, second = [d % a.dim() for d in first], [d % b.dim() for d in second]
    free_a = [d for d in range(a.dim()) if d not in first]
    free_b = [d for d in range(b.dim()) if d not in second]
    size = math.prod(a.shape[d] for d in first)
    left = a.permute(*free_a, *first).reshape(math.prod(a.shape[d] for d in free_a), size)
    right = b.permute(*second, *free_b).reshape(size, math.prod(b.shape[d] for d in free_b))
    return left.mm(right).view(*[a.shape[d] for d in free_a], *[b.shape[d] for d in free_b])


def isin(elements: Tensor | Number, test_elements: Tensor | Number, *, assume_unique: bool = False,
         invert: bool = False) -> Tensor:
    """Whether each element of ``elements`` is among ``test_elements`` (not, with ``invert``): found by bisection in
    the sorted test elements."""
    source = elements if isinstance(elements, Tensor) else factories.tensor(elements)
    tests = test_elements if isinstance(test_elements, Tensor) else factories.tensor(test_elements)
    table = tests.reshape(-1).sort().values
    if table.numel() == 0:
        return factories.full(source.shape, invert, dtype=dtypes.bool)
    position = searchsorted(table, source).clamp(max=table.numel() - 1)
    found = table[position] == source
    return ~found if invert else found


def block_diag(*tensors: Tensor) -> Tensor:
    """The matrices (numbers and vectors as 1 x n) along the diagonal of one matrix, zeros elsewhere (composed: rows
    of zeros and blocks joined; PyTorch's node is BlockDiagBackward0, the gradients the same)."""
    blocks = [t.reshape(1, -1) if t.dim() < 2 else t for t in tensors]
    dtype = functools.reduce(dtypes.promote_types, [b.dtype for b in blocks]) if blocks else dtypes.float32
    width = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        rows.append(cat([factories.zeros(b.shape[0], left, dtype=dtype), b.to(dtype),
                         factories.zeros(b.shape[0], width - left - b.shape[1], dtype=dtype)], 1))
        left += b.shape[1]
    return cat(rows, 0) if rows else factories.zeros(0, 0, dtype=dtype)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every combination of one element of each 1-D tensor, a row each, in order (the first varying slowest)."""
    if len(tensors) == 1:
        return tensors[0]
    return stack([grid.flatten() for grid in meshgrid(*tensors, indexing="ij")], 1)


def broadcast_shapes(*shapes: int | Sequence[int]) -> Size:
    """The shape tensors of ``shapes`` broadcast to together (a Size), PyTorch's error if they cannot be."""
    given = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    result = [1] * max((len(s) for s in given), default=0)
    for index, shape in enumerate(given):
        for i in range(-1, -1 - len(shape), -1):
            if shape[i] != 1 and shape[i] != result[i]:
                if result[i] != 1:
                    raise errors.broadcast_shapes_mismatch(shape[i], i, index, shape, result)
                result[i] = shape[i]
    return Size(result)


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1) -> Tensor:
    """The trapezoid rule's integral of y along ``dim``: sum of (x_{i+1} - x_i) (y_i + y_{i+1}) / 2 at the points
    x, or with spacing dx (default 1): dx (sum y - (y_first + y_last) / 2), as PyTorch computes each."""
    if x is not None:
        length, axis = y.shape[dim], dim % y.dim()
        if x.dim() == 1:  # (the points along ``dim``)
            x = x.view(*[-1 if d == axis else 1 for d in range(y.dim())])
        gaps = x.narrow(axis, 1, length - 1) - x.narrow(axis, 0, length - 1)
        return (gaps * (y.narrow(axis, 1, length - 1) + y.narrow(axis, 0, length - 1))).sum(axis) / 2.0
    if y.shape[dim] == 0:
        return y.sum(dim)
    axis = dim % y.dim()
    ends = y.narrow(axis, 0, 1).squeeze(axis) + y.narrow(axis, y.shape[axis] - 1, 1).squeeze(axis)
    return (y.sum(dim) - ends * 0.5) * (1 if dx is None else dx)


def trapz(y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1) -> Tensor:
    """``trapezoid``'s older name."""
    return trapezoid(y, x, dx=dx, dim=dim)
