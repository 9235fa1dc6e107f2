"""Ops that move elements without changing them: view/reshape, transposes, squeeze, indexing.

Their outputs are numpy views of their inputs where PyTorch's are views, so they share storage the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim
from .jvp import linear_jvp
from .registry import Op, Promotion, register


def infer_shape(shape: Sequence[int], numel: int) -> tuple[int, ...]:
    """``shape`` with a -1 entry filled in; PyTorch's error if it does not hold ``numel`` elements."""
    shape = tuple(int(s) for s in shape)
    known = math.prod(s for s in shape if s != -1)
    if shape.count(-1) > 1:
        raise errors.several_inferred_dims()
    if -1 in shape and known and numel % known == 0:
        shape = tuple(numel // known if s == -1 else s for s in shape)
    if any(s < 0 for s in shape) or math.prod(shape) != numel:
        raise errors.shape_invalid(shape, numel)
    return shape


def reshape(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``x`` in ``shape``: a view when the strides allow, else a copy."""
    try:
        return np.reshape(x, shape, copy=False)
    except ValueError:
        return K.copy(x).reshape(shape)


@register
class View(Op):
    """The same elements in another shape, sharing storage (-1 infers one size)."""

    returns_view = True

    torch = "torch.Tensor.view"
    formulas = ("d(x.view(s))/dx = grad.view(x.shape)",)
    jvp_formulas = ("d(x.view(s)) = dx.view(s)",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return [*inputs, tuple(params["shape"])], {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, shape: Sequence[int]) -> np.ndarray:
        ctx.shape = x.shape
        try:
            return np.reshape(x, infer_shape(shape, x.size), copy=False)
        except ValueError:
            raise errors.view_incompatible() from None

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (reshape(grad, ctx.shape),)


class UnsafeView(View):
    """``View`` as PyTorch's matmul ends a folded product (``_unsafe_view``): the same gradient, recorded as
    ``UnsafeViewBackward0``, and a tensor of its own (it views only the fresh product). (Not in the registry, as
    ``TransposeInPlace``: ``tests/test_ops.py`` checks it through matmul's cases.)"""

    grad_fn = "UnsafeViewBackward0"
    returns_view = False


@register
class Reshape(View):
    """As ``view``, but copies when the input's strides do not allow a view."""

    torch = "torch.reshape"
    formulas = ("d(x.reshape(s))/dx = grad.reshape(x.shape)",)
    jvp_formulas = ("d(x.reshape(s)) = dx.reshape(s)",)
    jvp = classmethod(linear_jvp)
    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, shape: Sequence[int]) -> str:
        return "UnsafeViewBackward0" if ctx.copied else "ViewBackward0"  # PyTorch's _unsafe_view of a clone, or view

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, shape: Sequence[int]) -> np.ndarray:
        ctx.shape = x.shape
        out = reshape(x, infer_shape(shape, x.size))
        ctx.copied = x.size > 0 and not np.may_share_memory(out, x)
        return out


@register
class Transpose(Op):
    """x with dims ``dim0`` and ``dim1`` swapped (a view)."""

    returns_view = True

    torch = "torch.transpose"
    formulas = ("d(x.transpose(i, j))/dx = grad.transpose(i, j)",)
    jvp_formulas = ("d(x.transpose(i, j)) = dx.transpose(i, j)",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, dim0: int, dim1: int) -> np.ndarray:
        ctx.dims = (normalize_dim(dim0, x.ndim), normalize_dim(dim1, x.ndim))
        return np.swapaxes(x, *ctx.dims) if x.ndim > 1 else x.view()

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (np.swapaxes(grad, *ctx.dims) if grad.ndim > 1 else grad,)


class TransposeInPlace(Transpose):
    """x.transpose_(i, j): the same values and gradient as ``Transpose``, recorded as PyTorch records the in-place op
    (``TransposeBackward1``), and a tensor of its own, not a view: ``Tensor.transpose_`` and PyTorch's RNN and GRU,
    which turn their (seq, batch, ...) output to (batch, seq, ...) with ``batch_first``. (The in-place view ops are
    not in the registry: PyTorch refuses the leaves the generated cross-checks give them; ``tests/test_rnn.py`` and
    ``tests/test_program_details.py`` check their nodes.)"""

    torch = "torch.Tensor.transpose_"
    grad_fn = "TransposeBackward1"
    returns_view = False


@register
class T(Transpose):
    """The matrix transpose of a tensor with at most 2 dims (``x.t()``)."""

    torch = "torch.t"
    formulas = ("d(x.t())/dx = grad.t()",)
    jvp_formulas = ("d(x.t()) = dx.t()",)
    jvp = classmethod(linear_jvp)

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray) -> np.ndarray:
        if x.ndim > 2:
            raise errors.t_too_many_dims(x.ndim, cls.torch.rsplit(".", 1)[1])
        return super().forward(ctx, x, 0, -1)


class TInPlace(T):
    """x.t_(): ``T`` recorded as PyTorch records the in-place op (``TBackward1``) (see ``TransposeInPlace``)."""

    torch = "torch.Tensor.t_"
    grad_fn = "TBackward1"
    returns_view = False


@register
class Permute(Op):
    """x with its dims reordered: output dim i is input dim ``dims[i]`` (a view)."""

    returns_view = True

    torch = "torch.permute"
    formulas = ("d(x.permute(p))/dx = grad.permute(inverse of p)",)
    jvp_formulas = ("d(x.permute(p)) = dx.permute(p)",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dims: Sequence[int]) -> np.ndarray:
        if len(dims) != x.ndim:
            raise errors.permute_dims_count(x.ndim, len(dims))
        axes = [normalize_dim(d, x.ndim) for d in dims]
        if len(set(axes)) != len(axes):
            raise errors.permute_duplicate_dims()
        ctx.axes = axes
        return np.transpose(x, axes)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (np.transpose(grad, np.argsort(ctx.axes)),)


@register
class Squeeze(Op):
    """x without its size-1 dims (only ``dim``, when given)."""

    returns_view = True

    torch = "torch.squeeze"
    formulas = ("d(x.squeeze())/dx = grad.reshape(x.shape)",)
    jvp_formulas = ("d(x.squeeze()) = dx.squeeze()",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, dim: int | None = None) -> str:
        return "SqueezeBackward0" if dim is None else "SqueezeBackward1"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | None = None) -> np.ndarray:
        ctx.shape = x.shape
        if dim is None:
            return np.squeeze(x)
        axis = normalize_dim(dim, x.ndim)
        return np.squeeze(x, axis) if x.ndim and x.shape[axis] == 1 else x.view()

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (grad.reshape(ctx.shape),)



class SqueezeInPlace(Squeeze):
    """x.squeeze_(dim): ``Squeeze`` recorded as PyTorch records the in-place op (see ``TransposeInPlace``)."""

    torch = "torch.Tensor.squeeze_"
    returns_view = False

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, dim: int | None = None) -> str:
        return "SqueezeBackward3" if dim is None else "SqueezeBackward4"


@register
class Unsqueeze(Op):
    """x with a size-1 dim inserted at ``dim``."""

    returns_view = True

    torch = "torch.unsqueeze"
    formulas = ("d(x.unsqueeze(d))/dx = grad.squeeze(d)",)
    jvp_formulas = ("d(x.unsqueeze(d)) = dx.unsqueeze(d)",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.axis = normalize_dim(dim, x.ndim + 1)
        return np.expand_dims(x, ctx.axis)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (np.squeeze(grad, ctx.axis),)


class UnsqueezeInPlace(Unsqueeze):
    """x.unsqueeze_(dim): ``Unsqueeze`` recorded as PyTorch records the in-place op (``UnsqueezeBackward1``; see
    ``TransposeInPlace``)."""

    torch = "torch.Tensor.unsqueeze_"
    grad_fn = "UnsqueezeBackward1"
    returns_view = False


def _is_basic(key: tuple[Any, ...]) -> bool:
    """True when the key holds only ints, slices, None and Ellipsis (the result is then a view)."""
    return all(k is None or k is Ellipsis or (isinstance(k, (int, slice)) and not isinstance(k, bool)) for k in key)


def _is_array(k: Any) -> bool:
    return isinstance(k, np.ndarray)


def _is_rows(key: tuple[Any, ...]) -> bool:
    """True for x[idx] with idx an int64 array (not 0-d): whole rows picked (a minibatch by index, an embedding's
    rows for a batch of token ids)."""
    return len(key) == 1 and _is_array(key[0]) and key[0].dtype == np.int64 and key[0].ndim >= 1


def _index(x: np.ndarray, key: tuple[Any, ...]) -> np.ndarray:
    """x[key] with PyTorch's rules, and its wording for an index out of range.

    PyTorch applies ints, slices and None first and the index arrays after, on what remains; numpy
    applies them together. They differ where an int sits between index arrays and slices:
    for x of shape (2, 3, 4), x[1, :, [0, 3]] is (3, 2) in PyTorch and (2, 3) in numpy.
    """
    try:
        if not any([isinstance(k, np.ndarray) for k in key]):  # a view, 0-d too (x[0] of a vector: numpy's is a copy)
            return x[key if Ellipsis in key else (*key, Ellipsis)]
        basic, rest = _steps(key)
        return x[basic][rest]
    except IndexError as error:
        raise errors.index_error(error) from None


def _steps(key: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """PyTorch's two steps for a key with index arrays: ints, slices and None (full slices where the arrays go),
    then the index arrays over the dims the first step left (full slices, or Ellipsis, elsewhere)."""
    basic: list[Any] = []
    rest: list[Any] = []
    for k in key:
        if _is_array(k):
            basic += [slice(None)] * (k.ndim if k.dtype == bool else 1)
            rest.append(k)
        else:
            basic.append(k)
            if not isinstance(k, int):
                rest.append(Ellipsis if k is Ellipsis else slice(None))
    return tuple(basic), tuple(rest)


def _c_strides(shape: tuple[int, ...]) -> list[int]:
    """The strides, in elements, of a C-contiguous array of ``shape``."""
    return [math.prod(shape[d + 1:]) for d in range(len(shape))]


def _source_positions(shape: tuple[int, ...], key: tuple[Any, ...]) -> np.ndarray:
    """For each element of x[key], the flat position in x it comes from."""
    return _offsets(shape, _c_strides(shape), key)


def _view_layout(shape: tuple[int, ...], strides: Sequence[int],
                 key: tuple[Any, ...]) -> tuple[int, list[int], list[int]]:
    """Where the view x[key] starts in x's memory, and its sizes and strides (all in elements), for x of ``shape``
    and ``strides`` and a key of ints, slices, None and Ellipsis that numpy has already checked."""
    filled = len(shape) - sum(k is not None and k is not Ellipsis for k in key)  # the dims Ellipsis stands for
    start, sizes, steps, d = 0, [], [], 0
    for k in key if Ellipsis in key else (*key, Ellipsis):
        if k is Ellipsis:
            sizes += shape[d:d + filled]
            steps += strides[d:d + filled]
            d += filled
        elif k is None:
            sizes.append(1)
            steps.append(0)
        elif isinstance(k, slice):
            first, stop, step = k.indices(shape[d])
            sizes.append(len(range(first, stop, step)))
            steps.append(step * strides[d])
            start += first * strides[d]
            d += 1
        else:
            start += (k + shape[d] if k < 0 else k) * strides[d]
            d += 1
    return start, sizes, steps


def _along(values: np.ndarray, dim: int, ndim: int) -> np.ndarray:
    """1-D ``values`` laid along ``dim`` of ``ndim`` dims, to broadcast against the others."""
    return values.reshape([-1 if d == dim else 1 for d in range(ndim)])


_NOTHING = np.zeros(1, np.bool_)  # the one element of a stand-in for x: every stride 0
_NOTHING.flags.writeable = False


def _offsets(shape: tuple[int, ...], strides: Sequence[int], key: tuple[Any, ...]) -> np.ndarray:
    """For each element of x[key], its offset (in elements) in the memory of x, an array of ``shape`` and
    ``strides``: in time and memory proportional to x[key] and the key, never to x.

    numpy's rules and errors come from indexing a stand-in for x with zero strides (it allocates nothing). The
    ints, slices and None make a view (a start, sizes, strides). The index arrays pick along some of its dims:
    their combined offsets go along the dim of the first, in a grid q holding only the elements picked, and
    indexing q with the key's arrays, replaced by positions along that dim, lays them out as numpy would.
    """
    stand_in = np.ndarray(shape, np.bool_, _NOTHING, strides=(0,) * len(shape))  # (np.broadcast_to: slower)
    picked = _index(stand_in, key)  # numpy's checks and errors, and x[key]'s shape
    if not picked.size:
        return np.zeros(picked.shape, np.int64)
    if any(isinstance(k, (bool, np.bool_)) for k in key):  # True or False among index arrays: rare, numpy's rules
        grid = np.zeros(shape, np.int64)  # each element's offset, for all of x
        for d, (n, step) in enumerate(zip(shape, strides)):
            grid += _along(np.arange(n) * step, d, len(shape))
        return _index(grid, key)
    basic, rest = _steps(key)
    start, sizes, steps = _view_layout(shape, strides, basic)
    dims = [1 if isinstance(k, slice) else 0 if k is Ellipsis else k.ndim if k.dtype == bool else 1 for k in rest]
    dims = [len(sizes) - sum(dims) if k is Ellipsis else n for k, n in zip(rest, dims)]  # view dims each indexes
    index: list[Any] = []  # rest, for q
    picks: dict[int, np.ndarray] = {}  # a view dim: the index along it (a mask gives its nonzero() arrays)
    d = slot = 0
    for k, n in zip(rest, dims):
        if not (_is_array(k) and n):
            index.append(k)  # a full slice, Ellipsis, or a 0-d bool (True: a new dim of one; False picked nothing)
            d += n
            continue
        for along in np.nonzero(k) if k.dtype == bool else (k,):
            slot = slot if picks else len(index)
            picks[d] = along.astype(np.int64)
            picks[d][along < 0] += sizes[d]
            index.append(np.zeros(along.shape, np.intp))
            d += 1
    grid = [1 if d in picks else n for d, n in enumerate(sizes)]  # q's shape: x[key]'s elements
    if picks:
        first = next(iter(picks))
        together = np.broadcast_shapes(*(a.shape for a in picks.values()),
                                       *((1,) for k in rest if _is_array(k) and k.dtype == bool and not k.ndim))
        grid[first] = math.prod(together)
        index[slot] = np.arange(grid[first]).reshape(together)
    q = np.full(grid, start, np.int64)
    for d, (n, step) in enumerate(zip(grid, steps)):
        if d not in picks and n > 1 and step:
            q += _along(np.arange(n) * step, d, len(grid))
    if picks:
        offsets = np.zeros(together, np.int64)
        for d, a in picks.items():
            offsets += steps[d] * a
        q += _along(offsets.reshape(-1), first, len(grid))
    return q[tuple(index)]


def _expanded_shape(shape: tuple[int, ...], sizes: Sequence[int], type_name: str) -> tuple[int, ...]:
    """The shape ``expand(*sizes)`` gives (-1 keeps a dim), with PyTorch's errors."""
    if len(sizes) < len(shape):
        raise errors.expand_too_few_sizes(type_name, shape, sizes)
    lead = len(sizes) - len(shape)
    out = []
    for i, size in enumerate(sizes):
        old = shape[i - lead] if i >= lead else None
        if size == -1 and old is not None:
            size = old
        if old is not None and old != 1 and size != old:
            raise errors.expand_size_mismatch(size, old, i, sizes, shape)
        out.append(size)
    return tuple(out)


@register
class Expand(Op):
    """x repeated along its size-1 dims (and new leading dims) without copying: a read-only view."""

    returns_view = True

    torch = "torch.Tensor.expand"
    formulas = ("d(x.expand(s))/dx = grad summed over the expanded dims",)
    jvp_formulas = ("d(x.expand(s)) = dx.expand(s)",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return [*inputs, *params["sizes"]], {}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, sizes: tuple[int, ...], type_name: str) -> np.ndarray:
        return np.broadcast_to(x, _expanded_shape(x.shape, sizes, type_name))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (grad,)  # the engine sums a gradient back to its input's shape


@register
class Repeat(Op):
    """x tiled ``repeats[i]`` times along each dim i (new leading dims when there are more repeats than dims)."""

    torch = "torch.Tensor.repeat"
    formulas = ("d(x.repeat(r))/dx = the sum of grad over the tiles",)
    jvp_formulas = ("d(x.repeat(r)) = dx.repeat(r)",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, repeats: tuple[int, ...]) -> np.ndarray:
        if len(repeats) < x.ndim:
            raise errors.repeat_too_few_dims()
        shape = (1,) * (len(repeats) - x.ndim) + x.shape
        ctx.shape = x.shape
        ctx.tiled = [s for pair in zip(repeats, shape) for s in pair]  # (r0, s0, r1, s1, ...)
        interleaved = x.reshape([s for size in shape for s in (1, size)])
        tiled = K.copy(np.broadcast_to(interleaved, ctx.tiled))
        return tiled.reshape([r * size for r, size in zip(repeats, shape)])

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        tiles = tuple(range(0, len(ctx.tiled), 2))
        return (K.sum(grad.reshape(ctx.tiled), tiles).reshape(ctx.shape),)


@register
class Index(Op):
    """x[key]: ints, slices, None, Ellipsis, and integer or bool index arrays."""

    returns_view = True

    torch = "torch.Tensor.__getitem__"
    formulas = ("d(x[key])/dx = zeros like x, with grad added at the indexed positions (repeats add up)",)
    jvp_formulas = ("d(x[key]) = dx[key]",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return [*inputs, params["key"]], {}  # x[key] is x.__getitem__(key)

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, key: tuple[Any, ...]) -> str:
        """PyTorch's node name for x[key]: that of the last view op the key applies, or of the gather."""
        if any(_is_array(k) for k in key):
            return "IndexBackward0"
        name = "AliasBackward0"  # x[:] and x[...]
        for k in key:
            if k is None:
                name = "UnsqueezeBackward0"
            elif isinstance(k, int):
                name = "SelectBackward0"
            elif isinstance(k, slice) and k != slice(None):
                name = "SliceBackward0"
        return name

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, key: tuple[Any, ...]) -> np.ndarray:
        ctx.shape, ctx.key = x.shape, key
        if len(key) == 1 and type(key[0]) is int:  # x[i]: a view of one sample
            return _index(x, key)
        if _is_rows(key) and x.flags.c_contiguous:  # x[idx] (a minibatch's rows, an embedding's): rows copied
            index = key[0]
            rows = K.select_rows(x, index if index.ndim == 1 else index.reshape(-1))
            if rows is not None:  # else an index is out of range: the general path raises numpy's error
                return rows if index.ndim == 1 else rows.reshape(*index.shape, *x.shape[1:])
        # an empty list ([] reaches here as an empty float64 array) indexes as an empty long tensor, as in PyTorch
        key = tuple(k.astype(np.int64) if isinstance(k, np.ndarray) and k.size == 0 and k.dtype.kind == "f" else k
                    for k in key)
        for k in key:
            if isinstance(k, slice) and k.step is not None and k.step <= 0:
                raise errors.slice_step()
        ctx.shape, ctx.key = x.shape, key
        if _is_basic(key):
            return _index(x, key)
        if any(s < 0 for s in x.strides):
            x = K.copy(x)
        memory, strides = K.strided_buffer(x) if x.size else (x.reshape(-1), np.zeros(x.ndim, np.int64))
        return K.gather(memory, _offsets(x.shape, strides[:x.ndim].tolist(), key))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        out = np.zeros(ctx.shape, grad.dtype)
        if _is_basic(ctx.key):  # each position is picked at most once: copy grad in, keeping -0.0 as PyTorch does
            view = out[ctx.key] if Ellipsis in ctx.key else out[(*ctx.key, Ellipsis)]  # a view even when 0-d
            K.write(view, grad)
        elif _is_rows(ctx.key):
            rows = ctx.key[0].reshape(-1)
            K.index_add(out, 0, np.where(rows < 0, rows + ctx.shape[0], rows), grad.reshape(rows.size, *ctx.shape[1:]))
        else:
            K.add_at(out, _source_positions(ctx.shape, ctx.key), grad)
        return (out,)


def _flipped(x: np.ndarray, axes: Sequence[int]) -> np.ndarray:
    """A copy of ``x`` read backwards along ``axes``: slices picked in the order n - 1, ..., 0."""
    out = K.copy(x)
    for axis in axes:
        out = K.index_select(out, axis, np.arange(x.shape[axis] - 1, -1, -1))
    return out


@register
class Flip(Op):
    """x read backwards along each dim in ``dims``: out[i] = x[n - 1 - i] (a copy, as in PyTorch)."""

    torch = "torch.flip"
    formulas = ("d(x.flip(dims))/dx = grad.flip(dims)",)
    jvp_formulas = ("d(x.flip(dims)) = dx.flip(dims)",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dims: Sequence[int]) -> np.ndarray:
        axes = [normalize_dim(d, x.ndim) for d in dims]
        for axis in axes:
            if axes.count(axis) > 1:
                raise errors.dim_appears_twice(axis)
        ctx.axes = axes if x.ndim else []
        return _flipped(x, ctx.axes)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (_flipped(grad, ctx.axes),)


def _rolled(x: np.ndarray, shifts: Sequence[int], axes: Sequence[int]) -> np.ndarray:
    """A copy of ``x`` with each element moved ``shifts[k]`` places along ``axes[k]``, wrapping around."""
    out = K.copy(x)
    for shift, axis in zip(shifts, axes):
        n = out.shape[axis]
        if n == 0 or shift % n == 0:
            continue
        s = shift % n
        source, out = out, np.empty_like(out)
        before = (slice(None),) * axis
        K.write(out[(*before, slice(s, None))], source[(*before, slice(None, n - s))])
        K.write(out[(*before, slice(None, s))], source[(*before, slice(n - s, None))])
    return out


@register
class Roll(Op):
    """out[(i + shift) mod n] = x[i] along each dim; without dims, along x flattened (then reshaped back)."""

    torch = "torch.roll"
    formulas = ("d(x.roll(shifts, dims))/dx = grad.roll(-shifts, dims)",)
    jvp_formulas = ("d(x.roll(shifts, dims)) = dx.roll(shifts, dims)",)
    jvp = classmethod(linear_jvp)
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, shifts: Sequence[int], dims: Sequence[int]) -> np.ndarray:
        if not shifts:
            raise errors.roll_shifts_required()
        if not dims:
            if len(shifts) != 1:
                raise errors.roll_shifts_dims(len(shifts), 0)
            ctx.shifts, ctx.axes, ctx.shape = shifts, (0,), x.shape
            return _rolled(reshape(x, (x.size,)), shifts, ctx.axes).reshape(x.shape)
        if len(shifts) != len(dims):
            raise errors.roll_shifts_dims(len(shifts), len(dims))
        ctx.shifts, ctx.axes, ctx.shape = shifts, [normalize_dim(d, x.ndim) for d in dims], None
        return _rolled(x, shifts, ctx.axes)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        back = [-s for s in ctx.shifts]
        if ctx.shape is None:
            return (_rolled(grad, back, ctx.axes),)
        return (_rolled(reshape(grad, (math.prod(grad.shape),)), back, ctx.axes).reshape(ctx.shape),)


@register
class UnfoldDim(Op):
    """The windows of ``size`` elements, ``step`` apart, along ``dimension``, as a view of x: that dim counts the
    windows, a new last dim runs along each. Overlapping windows share elements, so their gradients add up.
    (``Tensor.unfold``; ``nn.functional.unfold``, im2col, is another op.)"""

    torch = "torch.Tensor.unfold"
    grad_fn = "UnfoldBackward0"
    formulas = ("d(unfold x)/dx_j = the sum of grad over the windows' places that read x_j",)
    returns_view = True
    jvp_formulas = ("d(unfold x) = unfold dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dimension: int, size: int, step: int) -> np.ndarray:
        axis = normalize_dim(dimension, x.ndim)
        length = x.shape[axis] if x.ndim else 1
        if size > length:
            raise errors.unfold_size(axis, length, size)
        if step <= 0:
            raise errors.unfold_step(step)
        if size < 0:
            raise errors.unfold_negative_size(size)
        ctx.shape = x.shape
        ctx.positions = K.unfold(K.arange(x.size).reshape(x.shape), axis, size, step)  # where each element came from
        return K.unfold(x, axis, size, step)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.scatter_add(grad, ctx.positions, ctx.shape),)
