"""Making tensors: ``tensor``, ``zeros``, ``ones``, ``full``, ``arange``, ``from_numpy`` and friends."""

from __future__ import annotations

import functools
import math
import operator
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import dtypes, errors, random
from . import kernels as K
from .device import check_device
from .dtypes import dtype as DType
from .tensor import Tensor, legacy_sizes, refuse_text, warn_scalar_of_graph

Size = int | Sequence[int]


def _infer_dtype(data: Any) -> DType:
    """PyTorch's dtype for nested sequences of numbers: the promotion of every element's own dtype.

    A Python float counts as the default float, an int as int64, a bool as bool, and a numpy scalar as
    its own dtype: [1.5] is float32, [np.float64(1.5)] float64, [np.int32(1)] int32.
    """
    if isinstance(data, (np.generic, np.ndarray)):
        return dtypes.from_numpy(data.dtype)
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, (list, tuple, range)):
        found = [_infer_dtype(item) for item in data]
        return functools.reduce(dtypes.promote_types, found) if found else dtypes.get_default_dtype()
    if isinstance(data, (str, bytes)):
        raise errors.invalid_data_type(data)
    try:
        return dtypes.scalar_dtype(data)
    except TypeError:
        raise errors.cannot_infer_dtype(data) from None


def _leaf(array: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._make(array)
    if requires_grad:
        t._set_requires_grad(True, "factory")  # raises for integer dtypes before anything is returned
    return t


def tensor(data: Any, dtype: DType | None = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A new leaf tensor holding a copy of ``data`` (numbers, nested lists, a numpy array or a tensor).

    Python floats become the default dtype (float32), ints int64 and bools bool; a numpy array keeps its dtype.
    """
    check_device(device)
    if isinstance(data, Tensor):
        warnings.warn(errors.tensor_of_tensor_warning(), UserWarning, stacklevel=2)
        data = data._data
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
        target = dtype or dtypes.from_numpy(array.dtype)
    else:
        refuse_text(data)
        target = dtype or _infer_dtype(data)
        try:
            array = np.array(_numbers(data))
        except ValueError as error:  # nested sequences of different lengths: PyTorch's message, where it has one
            raise _ragged(data) or error from None
        if array.dtype.kind in "US":  # text among the numbers, with the dtype given
            raise errors.text_not_number()
    return _leaf(K.copy(array, target.np), requires_grad)


def _ragged(data: Any) -> Exception | None:
    """PyTorch's error for nested sequences that do not form a box: the sizes are those of the first element at each
    depth, and the first sequence (depth first) of another length, or a number where a sequence should be, is named."""
    sizes, first = [], data
    while isinstance(first, (list, tuple, range)):
        sizes.append(len(first))
        first = first[0] if len(first) else None

    def walk(items: Any, dim: int) -> Exception | None:
        if len(items) != sizes[dim]:
            return ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(items)})")
        for item in items if dim + 1 < len(sizes) else ():
            if not isinstance(item, (list, tuple, range)):
                return TypeError("not a sequence")
            found = walk(item, dim + 1)
            if found is not None:
                return found
        return None

    return walk(data, 0) if sizes else None


def _numbers(data: Any) -> Any:
    """Nested sequences (ranges too) as numpy reads them: a one-element tensor among them is its value (PyTorch's
    ``torch.tensor([loss1, loss2])``), a larger one PyTorch's error."""
    if isinstance(data, Tensor):
        if data.numel() != 1:
            raise errors.python_scalar_numel()
        if data.requires_grad:
            warn_scalar_of_graph()
        return data._data.reshape(())
    if isinstance(data, (list, tuple, range)) and any(isinstance(x, (Tensor, list, tuple, range)) for x in data):
        return [_numbers(x) for x in data]
    return data


def _legacy(args: tuple[Any, ...], dtype: DType) -> Tensor:
    """What ``FloatTensor(...)`` and its kin make: a copy of the data in ``dtype``, or zeros of the sizes given."""
    sizes = legacy_sizes(args)
    return tensor(args[0], dtype=dtype) if sizes is None else _leaf(np.zeros(sizes, dtype.np), False)


class _LegacyType(type):
    """A legacy tensor type (``FloatTensor`` and kin), as PyTorch keeps them: calling one makes a tensor of its dtype
    (``_legacy``); a tensor of that dtype is an instance of it; ``x.type(FloatTensor)`` converts to it."""

    dtype: DType

    def __call__(cls, *args: Any) -> Tensor:
        return _legacy(args, cls.dtype)

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, Tensor) and instance.dtype is cls.dtype

    def __repr__(cls) -> str:
        return f"<class 'minigrad.{cls.__name__}'>"


def _legacy_type(dtype: DType) -> _LegacyType:
    return _LegacyType(dtype.legacy_name, (), {"dtype": dtype, "__module__": "minigrad", "__doc__": (
        f"A {dtype.name} tensor from (nested lists of) values, or of the sizes given ({dtype.legacy_name}(2, 3)).")})


(FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor,
 BoolTensor) = map(_legacy_type, (dtypes.float32, dtypes.float64, dtypes.float16, dtypes.int64, dtypes.int32,
                                  dtypes.int16, dtypes.int8, dtypes.uint8, dtypes.bool))


def _shape(size: tuple[Any, ...], keyword: Sequence[int] | None = None, function: str = "") -> tuple[int, ...]:
    """Sizes given as f(2, 3), f((2, 3)) or f(size=(2, 3)) (``keyword``: the last, not with the others)."""
    if keyword is not None:
        if size:
            raise TypeError(f"{function}() got multiple values for argument 'size'")
        return tuple(keyword)
    return tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)


def full(size: Sequence[int], fill_value: float, dtype: DType | None = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` with every element ``fill_value`` (dtype inferred from it when not given)."""
    check_device(device)
    target = dtype or dtypes.scalar_dtype(fill_value)
    return _leaf(K.expand(K.scalar(fill_value, target.np), tuple(size)), requires_grad)


def empty(*sizes: Size, size: Size | None = None, dtype: DType | None = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` whose values are whatever the memory held (fill it before reading it)."""
    check_device(device)
    return _leaf(np.empty(_shape(sizes, size, "empty"), (dtype or dtypes.get_default_dtype()).np), requires_grad)


def zeros(*sizes: Size, size: Size | None = None, dtype: DType | None = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    """A tensor of zeros (of the default dtype, float32, unless ``dtype`` says otherwise)."""
    return full(_shape(sizes, size, "zeros"), 0.0, dtype or dtypes.get_default_dtype(), device, requires_grad)


def ones(*sizes: Size, size: Size | None = None, dtype: DType | None = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """A tensor of ones (of the default dtype, float32, unless ``dtype`` says otherwise)."""
    return full(_shape(sizes, size, "ones"), 1.0, dtype or dtypes.get_default_dtype(), device, requires_grad)


def zeros_like(input: Tensor, dtype: DType | None = None, device: Any = None,  # noqa: A002  (PyTorch's name)
               requires_grad: bool = False) -> Tensor:
    """Zeros with the shape (and, unless given, the dtype) of ``input``."""
    return full(input.shape, 0, dtype or input.dtype, device, requires_grad)


def ones_like(input: Tensor, dtype: DType | None = None, device: Any = None,  # noqa: A002  (PyTorch's name)
              requires_grad: bool = False) -> Tensor:
    """Ones with the shape (and, unless given, the dtype) of ``input``."""
    return full(input.shape, 1, dtype or input.dtype, device, requires_grad)


def _computed_in(target: DType) -> np.dtype:
    """The dtype a factory's kernel computes ``target``'s values in: float32 for float16 (PyTorch's accumulate type
    for half, and numba has no float16), else ``target`` itself."""
    return K.FLOAT if target.np == K.HALF else target.np


def arange(start: float, end: float | None = None, step: float = 1, dtype: DType | None = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """start, start + step, ... up to but excluding end (``arange(n)`` is 0 .. n-1)."""
    check_device(device)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise errors.arange_zero_step()
    if (end - start) * step < 0:
        raise errors.arange_step_sign()
    target = dtype or dtypes.result_type([], (start, end, step))
    count = max(0, math.ceil((end - start) / step))
    return _leaf(K.cast(K.arange(count, start, step, _computed_in(target)), target.np), requires_grad)


def rand(*sizes: Size, size: Size | None = None, generator: random.Generator | None = None,
         dtype: DType | None = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Values drawn uniformly from [0, 1), the same as ``torch.rand`` draws under the same seed."""
    check_device(device)
    source = generator or random.default_generator
    shape = _shape(sizes, size, "rand")
    return _leaf(source.uniform(shape, dtype=(dtype or dtypes.get_default_dtype()).np), requires_grad)


def randn(*sizes: Size, size: Size | None = None, generator: random.Generator | None = None,
          dtype: DType | None = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Values drawn from the standard normal distribution, the same as ``torch.randn`` draws under the same seed."""
    check_device(device)
    source = generator or random.default_generator
    shape = _shape(sizes, size, "randn")
    return _leaf(source.normal(shape, dtype=(dtype or dtypes.get_default_dtype()).np), requires_grad)


def randint(*args: Any, generator: random.Generator | None = None, dtype: DType | None = None, device: Any = None,
            requires_grad: bool = False, **named: Any) -> Tensor:
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or ``randint(low, high, size)``, each
    argument also by name; ``size`` a tuple of ints (not one int: PyTorch refuses ``randint(0, 5, 3)``)."""
    low, high, size = _randint_arguments(args, named, generator is not None)
    check_device(device)
    source = generator or random.default_generator
    return _leaf(source.integers(low, high, size, dtype=(dtype or dtypes.int64).np), requires_grad)


# PyTorch's randint overloads: the parameters, then how many arguments each takes at least and at most (its
# Python argument parser names the one overload an argument count fits in its error, else lists them all)
_RANDINT_OVERLOADS = ((("high", "size"), 3, 9), (("high", "size"), 2, 8), (("low", "high", "size"), 4, 10),
                      (("low", "high", "size"), 3, 9))  # (the first and third: with a generator, which they require)


def _randint_arguments(args: tuple[Any, ...], named: dict[str, Any], generated: bool) -> tuple[int, int, tuple]:
    """(low, high, size) from randint's arguments, with the TypeError PyTorch's argument parser gives otherwise."""
    for params in (("high", "size"), ("low", "high", "size")):
        found = _randint_match(params, args, named)
        if isinstance(found, dict):
            return found.get("low", 0), found["high"], found["size"]
    given = len(args) + len(named) + generated
    fits = [params for params, least, most in _RANDINT_OVERLOADS if least <= given <= most]
    if len(fits) == 1:
        raise _randint_match(fits[0], args, named) or errors.randint_arguments(args, named)
    raise errors.randint_arguments(args, named)


def _randint_match(params: tuple[str, ...], args: tuple[Any, ...],
                   named: dict[str, Any]) -> dict[str, Any] | TypeError | None:
    """The arguments by parameter where they fit ``params``; else the TypeError for the first that does not (None
    where the count or the names do not fit)."""
    if len(args) > len(params) or set(named) - set(params[len(args):]) or len(args) + len(named) != len(params):
        return None
    values = {**dict(zip(params, args)), **named}
    for position, name in enumerate(params, 1):
        value, where = values[name], f" (position {position})" if position <= len(args) else ""
        if name != "size":
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                return TypeError(f"randint(): argument '{name}'{where} must be int, not {type(value).__name__}")
            continue
        if not isinstance(value, (tuple, list)):
            return TypeError(f"randint(): argument 'size'{where} must be tuple of ints, not {type(value).__name__}")
        for i, size in enumerate(value):
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)):  # (raised at once, as in PyTorch)
                raise TypeError(f"randint(): argument 'size' failed to unpack the object at pos {i + 1} with error "
                                 f"\"type must be tuple of ints,but got {type(size).__name__}\"")
        values["size"] = tuple(int(n) for n in value)
    return values


def randperm(n: int, generator: random.Generator | None = None, dtype: DType | None = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """A random permutation of 0 .. n-1, the same as ``torch.randperm`` draws under the same seed."""
    check_device(device)
    source = generator or random.default_generator
    return _leaf(source.permutation(n, dtype=(dtype or dtypes.int64).np), requires_grad)


def linspace(start: float, end: float, steps: int, *, dtype: DType | None = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` values evenly spaced from ``start`` to ``end``, both included: start + j·(end − start)/(steps − 1).

    As PyTorch computes them, bit for bit: the first half counts up from ``start``, the second down from
    ``end`` (so the last value is ``end`` exactly); integer dtypes truncate.
    """
    check_device(device)
    steps = operator.index(steps)
    if steps < 0:
        raise errors.negative_steps()
    target = dtype or dtypes.get_default_dtype()
    if target is dtypes.bool and steps > 1:
        raise errors.not_implemented("linspace_cpu", target)
    if target is dtypes.float16:
        raise errors.half_not_supported("linspace", "PyTorch steps in half arithmetic")
    return _leaf(K.linspace(start, end, steps, target.np), requires_grad)


def logspace(start: float, end: float, steps: int, base: float = 10.0, *, dtype: DType | None = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    """base ** e for ``steps`` exponents e evenly spaced from ``start`` to ``end`` (as PyTorch computes them)."""
    check_device(device)
    steps = operator.index(steps)
    if steps < 0:
        raise errors.negative_steps()
    target = dtype or dtypes.get_default_dtype()
    if target is dtypes.float16:
        raise errors.half_not_supported("logspace", "PyTorch steps in half arithmetic")
    return _leaf(K.logspace(start, end, steps, base, target.np), requires_grad)


def eye(n: int, m: int | None = None, *, dtype: DType | None = None, device: Any = None,
        requires_grad: bool = False) -> Tensor:
    """The n × m identity matrix (m = n unless given): ones on the diagonal, zeros elsewhere."""
    check_device(device)
    n = operator.index(n)
    m = n if m is None else operator.index(m)
    for name, value in (("n", n), ("m", m)):
        if value < 0:
            raise errors.eye_negative(name, value)
    return _leaf(np.eye(n, m, dtype=(dtype or dtypes.get_default_dtype()).np), requires_grad)


def empty_like(input: Tensor, *, dtype: DType | None = None, device: Any = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:
    """An uninitialized tensor with the shape (and, unless given, the dtype) of ``input``."""
    return empty(input.shape, dtype=dtype or input.dtype, device=device, requires_grad=requires_grad)


def full_like(input: Tensor, fill_value: float, *, dtype: DType | None = None, device: Any = None,  # noqa: A002
              requires_grad: bool = False) -> Tensor:
    """``fill_value`` in every element, with the shape (and, unless given, the dtype) of ``input``."""
    return full(input.shape, fill_value, dtype or input.dtype, device, requires_grad)


def rand_like(input: Tensor, *, generator: random.Generator | None = None, dtype: DType | None = None,  # noqa: A002
              device: Any = None, requires_grad: bool = False) -> Tensor:
    """``rand`` with the shape (and, unless given, the dtype) of ``input``: the same draws as ``torch.rand_like``."""
    return rand(input.shape, generator=generator, dtype=dtype or input.dtype, device=device,
                requires_grad=requires_grad)


def randn_like(input: Tensor, *, generator: random.Generator | None = None, dtype: DType | None = None,  # noqa: A002
               device: Any = None, requires_grad: bool = False) -> Tensor:
    """``randn`` with the shape (and, unless given, the dtype) of ``input``: the same draws as ``torch.randn_like``."""
    return randn(input.shape, generator=generator, dtype=dtype or input.dtype, device=device,
                 requires_grad=requires_grad)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *,  # noqa: A002  (PyTorch's name)
                 generator: random.Generator | None = None,
                 dtype: DType | None = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """``randint(low, high)`` with the shape (and, unless given, the dtype) of ``input``; ``randint_like(x, high)``
    draws from [0, high)."""
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, generator=generator, dtype=dtype or input.dtype, device=device,
                   requires_grad=requires_grad)


def normal(mean: float | Tensor, std: float | Tensor = 1.0, size: Size | None = None, *,
           generator: random.Generator | None = None, dtype: DType | None = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Values drawn from N(mean, std²), the same as ``torch.normal`` draws under the same seed, in its four forms:

    - ``normal(mean, std, size)``, numbers: ``randn(size)`` scaled, fma(z, std, mean);
    - ``normal(mean_tensor, std=1.0)``: z·std drawn in mean's shape and dtype, then + mean;
    - ``normal(mean, std_tensor)``: z drawn in std's shape and dtype, then ⊗ std ⊕ mean;
    - ``normal(mean_tensor, std_tensor)``: z in their broadcast shape (mean's dtype), then ⊗ std ⊕ mean.
    """
    check_device(device)
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise errors.normal_needs_size()
        source = generator or random.default_generator
        return _leaf(source.normal(_shape((size,)), mean, std, dtype=(dtype or dtypes.get_default_dtype()).np),
                     requires_grad)
    if not isinstance(std, Tensor):
        out = random.fill_normal_(np.empty(mean.shape, mean.dtype.np), 0.0, std, generator)
        return _leaf(out + mean._data, requires_grad)
    if std.numel() and not std._data.min() >= 0:
        raise errors.normal_std_tensor()
    if isinstance(mean, Tensor):
        shape, target, shift = K.broadcast_shapes(mean.shape, std.shape), mean.dtype.np, mean._data
    else:
        shape, target, shift = std.shape, std.dtype.np, std.dtype.np.type(mean)
    out = random.fill_normal_(np.empty(shape, target), 0.0, 1.0, generator)
    out *= std._data
    out += shift
    return _leaf(out, requires_grad)


def bernoulli(input: Tensor, p: float | None = None, *, generator: random.Generator | None = None) -> Tensor:  # noqa: A002
    """0 or 1 in each element, 1 with probability ``input`` (elementwise) or ``p``: PyTorch's draws, in
    ``input``'s dtype."""
    return input.bernoulli(p, generator=generator)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,  # noqa: A002
                generator: random.Generator | None = None) -> Tensor:
    """``input.multinomial``: ``num_samples`` indices per row of ``input``, drawn with probabilities proportional to its
    entries."""
    return input.multinomial(num_samples, replacement, generator=generator)


def poisson(input: Tensor, generator: random.Generator | None = None) -> Tensor:  # noqa: A002
    """A Poisson(λ) count for each rate λ of ``input`` (same dtype), as ``torch.poisson`` draws it."""
    return Tensor._make(random.poisson(input._data, generator))


def as_tensor(data: Any, dtype: DType | None = None, device: Any = None) -> Tensor:
    """``data`` as a tensor, sharing its memory when it is already a tensor or a numpy array of that dtype
    (a copy otherwise, as ``tensor(data)``)."""
    check_device(device)
    if isinstance(data, Tensor) and (dtype is None or dtype is data.dtype):
        return data
    if isinstance(data, np.ndarray) and dtypes.from_numpy(data.dtype) is (dtype or dtypes.from_numpy(data.dtype)):
        return from_numpy(data) if all(s >= 0 for s in data.strides) else tensor(data)
    if isinstance(data, Tensor):
        return data.to(dtype)
    return tensor(data, dtype=dtype)


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a minigrad tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:  # noqa: A002
    """Whether ``input``'s dtype is a floating point type."""
    return input.is_floating_point()


def numel(input: Tensor) -> int:  # noqa: A002
    """The number of elements of ``input`` (the product of its sizes)."""
    return input.numel()


def set_default_dtype(d: DType) -> None:
    """Make ``d`` (float32 or float64) the dtype of tensors made from Python floats, of the float factories
    (``zeros``, ``rand``, ``linspace``...) and of Python floats in type promotion (int tensor * 1.5)."""
    if not isinstance(d, DType) or not d.is_floating_point:
        raise errors.default_dtype_not_float()
    dtypes._set_default_dtype(d)


def get_rng_state() -> Tensor:
    """The default generator's state, as the uint8 tensor ``torch.get_rng_state()`` gives (same bytes)."""
    return Tensor._make(random.get_rng_state())


def set_rng_state(new_state: Tensor) -> None:
    """Restore the default generator from a state ``get_rng_state()`` returned (or torch's own)."""
    random.set_rng_state(new_state)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` (changes to one show in the other)."""
    if not isinstance(array, np.ndarray):
        raise errors.not_an_ndarray(array)
    if any(s < 0 for s in array.strides):
        raise errors.negative_strides()
    return Tensor._make(array)


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: DType | None = None, device: Any = None) -> Tensor:
    """The (row, column) positions of the lower triangle of a row x col matrix (below its diagonal ``offset``), a
    2 x N int64 tensor in row-major order."""
    return _triangle_indices(row, col, offset, lower=True, dtype=dtype)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: DType | None = None, device: Any = None) -> Tensor:
    """The (row, column) positions of the upper triangle of a row x col matrix (above its diagonal ``offset``)."""
    return _triangle_indices(row, col, offset, lower=False, dtype=dtype)


def _triangle_indices(row: int, col: int, offset: int, lower: bool, dtype: DType | None) -> Tensor:
    rows = arange(row).view(row, 1).expand(row, col)
    cols = arange(col).view(1, col).expand(row, col)
    inside = (cols - rows <= offset) if lower else (cols - rows >= offset)
    chosen = [rows[inside]._data.reshape(1, -1), cols[inside]._data.reshape(1, -1)]
    found = np.empty((2, chosen[0].shape[1]), np.int64)
    K.concatenate(chosen, 0, found)
    return Tensor._make(found) if dtype is None else Tensor._make(found).to(dtype)


def asarray(obj: Any, *, dtype: DType | None = None, device: Any = None, copy: bool | None = None,
            requires_grad: bool = False) -> Tensor:
    """``obj`` as a tensor: a tensor or numpy array shared where its dtype allows (copied with ``copy=True``), other
    data copied (``as_tensor``, with numpy's ``copy`` and ``requires_grad``)."""
    result = tensor(obj, dtype=dtype) if copy else as_tensor(obj, dtype=dtype)
    return result.requires_grad_() if requires_grad else result


_TENSOR_TYPE_WARNED = False


def set_default_tensor_type(t: Any) -> None:
    """PyTorch's deprecated way to set the default float dtype: ``torch.FloatTensor`` or ``torch.DoubleTensor`` (or
    their names), with its warning (once a process, as PyTorch's)."""
    global _TENSOR_TYPE_WARNED
    if not _TENSOR_TYPE_WARNED:
        _TENSOR_TYPE_WARNED = True
        warnings.warn(errors.set_default_tensor_type_warning(), UserWarning, stacklevel=2)
    name = t if isinstance(t, str) else getattr(t, "__name__", str(t))
    set_default_dtype(dtypes.from_legacy_name(name.split(".")[-1]))


def deprecated_range(start: float, end: float, step: float = 1, *, dtype: DType | None = None, device: Any = None,
                     requires_grad: bool = False) -> Tensor:
    """start, start + step, ..., up to and including ``end``: PyTorch's deprecated ``torch.range`` (with its
    warning), in the default float dtype unless ``dtype`` is given; each value start + i step computed in float64."""
    warnings.warn(errors.range_deprecated_warning(), UserWarning, stacklevel=2)
    count = math.floor((end - start) / step) + 1
    values = arange(count, dtype=dtypes.float64) * step + start
    return values.to(dtype or dtypes.get_default_dtype()).requires_grad_(requires_grad)
