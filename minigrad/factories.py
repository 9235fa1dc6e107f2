"""Making tensors: ``tensor``, ``zeros``, ``ones``, ``full``, ``arange``, ``from_numpy`` and friends."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import dtypes, errors, random
from . import kernels as K
from .device import check_device
from .dtypes import dtype as DType
from .tensor import Tensor

Size = int | Sequence[int]


def _infer_dtype(data: Any) -> DType:
    """PyTorch's dtype for nested sequences of numbers: the promotion of every element's own dtype.

    A Python float counts as the default float, an int as int64, a bool as bool, and a numpy scalar as
    its own dtype: [1.5] is float32, [np.float64(1.5)] float64, [np.int32(1)] int32.
    """
    if isinstance(data, np.generic):
        return dtypes.from_numpy(data.dtype)
    if isinstance(data, (list, tuple)):
        found = [_infer_dtype(item) for item in data]
        return functools.reduce(dtypes.promote_types, found) if found else dtypes.get_default_dtype()
    try:
        return dtypes.scalar_dtype(data)
    except TypeError:
        raise errors.cannot_infer_dtype(data) from None


def _leaf(array: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._make(array)
    if requires_grad:
        t._set_requires_grad(True, "factory")  # raises for integer dtypes before anything is returned
    return t


def tensor(data: Any, dtype: DType | None = None, requires_grad: bool = False) -> Tensor:
    """A new leaf tensor holding a copy of ``data`` (numbers, nested lists, a numpy array or a tensor).

    Python floats become float32, ints int64 and bools bool; a numpy array keeps its dtype.
    """
    if isinstance(data, Tensor):
        data = data._data
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
        target = dtype or dtypes.from_numpy(array.dtype)
    else:
        array = np.array(data)
        target = dtype or _infer_dtype(data)
    return _leaf(K.copy(array, target.np), requires_grad)


def FloatTensor(data: Any) -> Tensor:  # noqa: N802  (PyTorch's name)
    """A float32 tensor from (nested lists of) numbers."""
    return tensor(data, dtype=dtypes.float32)


def DoubleTensor(data: Any) -> Tensor:  # noqa: N802
    """A float64 tensor from (nested lists of) numbers."""
    return tensor(data, dtype=dtypes.float64)


def LongTensor(data: Any) -> Tensor:  # noqa: N802
    """An int64 tensor from (nested lists of) numbers."""
    return tensor(data, dtype=dtypes.int64)


def ByteTensor(data: Any) -> Tensor:  # noqa: N802
    """A uint8 tensor from (nested lists of) numbers."""
    return tensor(data, dtype=dtypes.uint8)


def BoolTensor(data: Any) -> Tensor:  # noqa: N802
    """A bool tensor from (nested lists of) values."""
    return tensor(data, dtype=dtypes.bool)


def _shape(size: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)


def full(size: Sequence[int], fill_value: float, dtype: DType | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` with every element ``fill_value`` (dtype inferred from it when not given)."""
    target = dtype or dtypes.scalar_dtype(fill_value)
    return _leaf(K.expand(K.scalar(fill_value, target.np), tuple(size)), requires_grad)


def empty(*size: Size, dtype: DType | None = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` whose values are whatever the memory held (fill it before reading it)."""
    check_device(device)
    return _leaf(np.empty(_shape(size), (dtype or dtypes.get_default_dtype()).np), requires_grad)


def zeros(*size: Size, dtype: DType | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros (float32 unless ``dtype`` says otherwise)."""
    return full(_shape(size), 0.0, dtype or dtypes.get_default_dtype(), requires_grad)


def ones(*size: Size, dtype: DType | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones (float32 unless ``dtype`` says otherwise)."""
    return full(_shape(size), 1.0, dtype or dtypes.get_default_dtype(), requires_grad)


def zeros_like(x: Tensor, dtype: DType | None = None, requires_grad: bool = False) -> Tensor:
    """Zeros with the shape (and, unless given, the dtype) of ``x``."""
    return full(x.shape, 0, dtype or x.dtype, requires_grad)


def ones_like(x: Tensor, dtype: DType | None = None, requires_grad: bool = False) -> Tensor:
    """Ones with the shape (and, unless given, the dtype) of ``x``."""
    return full(x.shape, 1, dtype or x.dtype, requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, dtype: DType | None = None,
           requires_grad: bool = False) -> Tensor:
    """start, start + step, ... up to but excluding end (``arange(n)`` is 0 .. n-1)."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise errors.arange_zero_step()
    if (end - start) * step < 0:
        raise errors.arange_step_sign()
    target = dtype or dtypes.result_type([], (start, end, step))
    count = max(0, math.ceil((end - start) / step))
    return _leaf(K.arange(count, start, step, target.np), requires_grad)


def rand(*size: Size, generator: random.Generator | None = None, dtype: DType | None = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """Values drawn uniformly from [0, 1), the same as ``torch.rand`` draws under the same seed."""
    check_device(device)
    source = generator or random.default_generator
    return _leaf(source.uniform(_shape(size), dtype=(dtype or dtypes.get_default_dtype()).np), requires_grad)


def randn(*size: Size, generator: random.Generator | None = None, dtype: DType | None = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    """Values drawn from the standard normal distribution, the same as ``torch.randn`` draws under the same seed."""
    check_device(device)
    source = generator or random.default_generator
    return _leaf(source.normal(_shape(size), dtype=(dtype or dtypes.get_default_dtype()).np), requires_grad)


def randint(*args: Any, size: Size | None = None, generator: random.Generator | None = None,
            dtype: DType | None = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or ``randint(low, high, size)``."""
    check_device(device)
    if size is None:
        *args, size = args
    low, high = (0, *args) if len(args) == 1 else args
    source = generator or random.default_generator
    return _leaf(source.integers(low, high, _shape((size,)), dtype=(dtype or dtypes.int64).np), requires_grad)


def randperm(n: int, generator: random.Generator | None = None, dtype: DType | None = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """A random permutation of 0 .. n-1, the same as ``torch.randperm`` draws under the same seed."""
    check_device(device)
    source = generator or random.default_generator
    return _leaf(source.permutation(n, dtype=(dtype or dtypes.int64).np), requires_grad)


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
