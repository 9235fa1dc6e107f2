"""Dtypes with PyTorch's names, and PyTorch's type promotion rules."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np


class dtype:
    """A tensor element type: ``minigrad.float32``, ``minigrad.int64``, ...

    Each carries the names PyTorch's messages give it (all in the table below):

    - ``scalar_name``: c10's ScalarType, as dtype errors print it: ``Float``, ``Long``;
    - ``legacy_name``: the old tensor type, as ``x.type()`` gives it: ``FloatTensor``;
    - ``cpp_name``: the C++ type as its ``typeid`` prints it (mm's dtype error, ``from is out of bounds for
      long int``): ``float``, ``long int``, ``unsigned char``;
    - ``cpp_source_name``: the C++ type as PyTorch's source spells it (``value cannot be converted to type
      int64_t without overflow``): ``float``, ``int64_t``, ``uint8_t``.
    """

    def __init__(self, name: str, np_dtype: type, scalar_name: str, cpp_name: str, cpp_source_name: str) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        self.scalar_name = scalar_name
        self.legacy_name = f"{scalar_name}Tensor"
        self.cpp_name = cpp_name
        self.cpp_source_name = cpp_source_name
        self.is_floating_point = self.np.kind == "f"
        self.itemsize = self.np.itemsize

    def __repr__(self) -> str:
        return f"minigrad.{self.name}"

    def __reduce__(self) -> str:
        return self.name


#               name       numpy       ScalarType  C++ (typeid)     C++ (source)
float32 = dtype("float32", np.float32, "Float",    "float",         "float")
float64 = dtype("float64", np.float64, "Double",   "double",        "double")
float16 = dtype("float16", np.float16, "Half",     "c10::Half",     "at::Half")
int64 = dtype("int64",     np.int64,   "Long",     "long int",      "int64_t")
int32 = dtype("int32",     np.int32,   "Int",      "int",           "int32_t")
int16 = dtype("int16",     np.int16,   "Short",    "short int",     "int16_t")
int8 = dtype("int8",       np.int8,    "Char",     "signed char",   "int8_t")
uint8 = dtype("uint8",     np.uint8,   "Byte",     "unsigned char", "uint8_t")
bool = dtype("bool",       np.bool_,   "Bool",     "bool",          "bool")  # noqa: A001  (PyTorch's name)

_BY_NUMPY = {d.np: d for d in (float32, float64, float16, int64, int32, int16, int8, uint8, bool)}
# The numpy dtypes kernels compute in: every dtype minigrad has but float16, computed in float32 (an array's dtype is
# found in it as it is).
COMPUTED_DTYPES = frozenset(_BY_NUMPY) - {float16.np}
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


_default_float = float32


def get_default_dtype() -> dtype:
    """The dtype of tensors made from Python floats: float32 unless ``set_default_dtype`` changed it."""
    return _default_float


def _set_default_dtype(d: dtype) -> None:
    """Make ``d`` the default float dtype (``minigrad.set_default_dtype`` checks it first)."""
    global _default_float
    _default_float = d


def from_numpy(np_dtype: Any) -> dtype:
    """The minigrad dtype for a numpy dtype; an error naming it if minigrad has none."""
    found = _BY_NUMPY.get(np_dtype)  # an array's dtype is found as it is: every op's result comes here
    if found is None:
        found = _BY_NUMPY.get(np.dtype(np_dtype))
    if found is None:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        )
    return found


def from_legacy_name(name: str) -> dtype:
    """The dtype of a legacy tensor type name: ``'torch.FloatTensor'`` (or ``minigrad.``, or bare) is float32."""
    short = name.rsplit(".", 1)[-1]
    for d in _BY_NUMPY.values():
        if d.legacy_name == short:
            return d
    raise ValueError(f"invalid type: '{name}'")


def can_cast(source: dtype, target: dtype) -> bool:
    """Whether an in-place op may write ``source`` values into a ``target`` tensor (no float to integer, no
    number to bool), as ``torch.can_cast``."""
    return _CATEGORY[source.np.kind] <= _CATEGORY[target.np.kind]


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` convert to; a float beats any integer, an integer any bool."""
    ca, cb = _CATEGORY[a.np.kind], _CATEGORY[b.np.kind]
    if ca != cb:
        return a if ca > cb else b
    return from_numpy(np.promote_types(a.np, b.np))


def scalar_dtype(value: Any) -> dtype:
    """The dtype a Python number takes as an operand: bool, int64, or the default float."""
    if isinstance(value, (np.bool_, builtins.bool)):
        return bool
    if isinstance(value, (int, np.integer)):
        return int64
    if isinstance(value, (float, np.floating)):
        return get_default_dtype()
    raise TypeError(f"unsupported operand type: {type(value).__name__}")


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    """PyTorch's combine_categories: a lower-priority operand only counts if its category is higher."""
    if higher is None:
        return lower
    if lower is None or higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type(tensors: list[tuple[dtype, int]], scalars: tuple[Any, ...] = ()) -> dtype:
    """The dtype of an op's result, from its tensors' (dtype, ndim) and its Python-number operands.

    Tensors with dims outrank 0-d tensors, which outrank Python numbers: a lower rank changes the result
    only by being of a higher category (bool < integer < float), e.g. float32 tensor + 2.5 is float32, int64
    tensor + 2.5 is float32, and float32 tensor + float64 0-d tensor is float32.
    """
    ranked: list[dtype | None] = [None, None, None]
    for dt, ndim in tensors:
        rank = 0 if ndim > 0 else 1
        ranked[rank] = dt if ranked[rank] is None else promote_types(ranked[rank], dt)
    for value in scalars:
        dt = scalar_dtype(value)
        ranked[2] = dt if ranked[2] is None else promote_types(ranked[2], dt)
    return _combine(ranked[0], _combine(ranked[1], ranked[2]))


class finfo:
    """The limits of a float dtype (the default one when none is given), as PyTorch's ``finfo`` gives them:
    ``bits``, ``eps`` (the gap above 1), ``max``, ``min``, ``tiny`` (= ``smallest_normal``), ``resolution``."""

    def __init__(self, type: dtype | None = None) -> None:  # noqa: A002  (PyTorch's name)
        target = type or get_default_dtype()
        if not target.is_floating_point:
            raise TypeError("minigrad.finfo() requires a floating point input type. Use minigrad.iinfo to handle "
                            "'minigrad.finfo'")
        info = np.finfo(target.np)
        self.bits, self.dtype = info.bits, target.name
        self.eps, self.max, self.min = builtins.float(info.eps), builtins.float(info.max), builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.smallest_normal)
        self.resolution = 10.0 ** -builtins.int(info.precision)  # (10^-6 exactly as a Python float, not float32's)

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """The limits of an integer dtype, as PyTorch's ``iinfo`` gives them: ``bits``, ``max``, ``min``."""

    def __init__(self, type: dtype) -> None:  # noqa: A002  (PyTorch's name)
        if type.name == "bool":
            raise TypeError("minigrad.bool is not supported by minigrad.iinfo")
        if type.is_floating_point:
            raise TypeError("minigrad.iinfo() requires an integer input type. Use minigrad.finfo to handle "
                            "'minigrad.iinfo'")
        info = np.iinfo(type.np)
        self.bits, self.max, self.min, self.dtype = info.bits, builtins.int(info.max), builtins.int(info.min), type.name

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"
