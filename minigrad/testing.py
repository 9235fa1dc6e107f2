"""``minigrad.testing.assert_close``: PyTorch's check that two results agree, with its tolerances and messages.

Tensors (and numbers, and lists, tuples and dicts of them, compared item by item) are close where
|actual - expected| <= atol + rtol |expected| elementwise, NaN never (unless ``equal_nan``), infinities only to
themselves; shapes must match, and dtypes unless ``check_dtype=False``. Without ``rtol``/``atol`` each dtype has
PyTorch's: float16 1e-3/1e-5, float32 1.3e-6/1e-5, float64 and Python floats 1e-7/1e-7, integers and bools exact.
A failure is an AssertionError saying what PyTorch's says: how many elements differ, and the greatest absolute and
relative differences with where they are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import dtypes
from .tensor import Tensor

__all__ = ["assert_close"]


def __dir__() -> list[str]:
    return __all__


_TOLERANCES = {"float16": (1e-3, 1e-5), "float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7)}  # (rtol, atol)


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True, rtol: float | None = None,
                 atol: float | None = None, equal_nan: bool = False, check_device: bool = True,
                 check_dtype: bool = True, check_layout: bool = True, check_stride: bool = False,
                 msg: str | None = None) -> None:
    """Raise an AssertionError unless ``actual`` is close to ``expected`` (see the module's docstring); ``msg``
    replaces the message."""
    if (rtol is None) != (atol is None):
        missing = "atol" if atol is None else "rtol"
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got no {missing}.")
    problem = _compare(actual, expected, rtol, atol, equal_nan, check_dtype, "")
    if problem is not None:
        raise AssertionError(msg if msg is not None else problem)


def _compare(actual: Any, expected: Any, rtol: float | None, atol: float | None, equal_nan: bool, check_dtype: bool,
             item: str) -> str | None:
    """What is wrong with ``actual`` against ``expected`` (PyTorch's text), or None if they are close."""
    if isinstance(actual, Tensor) and isinstance(expected, Tensor):
        return _compare_tensors(actual, expected, rtol, atol, equal_nan, check_dtype, item)
    numbers = (int, float, bool, np.number, np.bool_)
    if isinstance(actual, numbers) and isinstance(expected, numbers):
        return _compare_numbers(actual, expected, rtol, atol, equal_nan, item)
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        if set(actual) != set(expected):
            return _at(f"The keys of the mappings do not match:\nMissing keys in the actual mapping: "
                       f"{sorted(set(expected) - set(actual))}\nAdditional keys in the actual mapping: "
                       f"{sorted(set(actual) - set(expected))}", item)
        pairs = [(actual[key], expected[key], f"{item}[{key!r}]") for key in expected]
    elif _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            return f"The length of the sequences mismatch: {len(actual)} != {len(expected)}"
        pairs = [(a, e, f"{item}[{i}]") for i, (a, e) in enumerate(zip(actual, expected))]
    else:
        raise TypeError(f"No comparison pair was able to handle inputs of type {type(actual)} and {type(expected)}.")
    for a, e, where in pairs:
        problem = _compare(a, e, rtol, atol, equal_nan, check_dtype, where)
        if problem is not None:
            return problem
    return None


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _compare_tensors(actual: Tensor, expected: Tensor, rtol: float | None, atol: float | None, equal_nan: bool,
                     check_dtype: bool, item: str) -> str | None:
    if actual.shape != expected.shape:
        return _at(f"The values for attribute 'shape' do not match: {actual.shape} != {expected.shape}.", item)
    if check_dtype and actual.dtype != expected.dtype:
        return _at(f"The values for attribute 'dtype' do not match: {actual.dtype} != {expected.dtype}.", item)
    common = dtypes.promote_types(actual.dtype, expected.dtype)
    if rtol is None:
        rtol, atol = (max(pair) for pair in zip(*(_TOLERANCES.get(d.name, (0.0, 0.0))
                                                  for d in (actual.dtype, expected.dtype))))
    a, e = (t.detach().to(common if common.is_floating_point else dtypes.int64) for t in (actual, expected))
    matches = a.isclose(e, rtol=rtol, atol=atol, equal_nan=equal_nan)
    if bool(matches.all()):
        return None
    if actual.dim() == 0:
        return _at(_scalar_message(actual.item(), expected.item(), rtol, atol), item)
    absolute = (a - e).abs().flatten()
    absolute[matches.flatten()] = 0
    relative = absolute / e.abs().flatten()
    relative[matches.flatten()] = 0
    mismatched, count = int((~matches).sum()), matches.numel()
    extra = f"Mismatched elements: {mismatched} / {count} ({mismatched / count:.1%})"
    where = [tuple(int(i) for i in np.unravel_index(int(d.argmax()), tuple(actual.shape)))
             for d in (absolute, relative)]
    return _at(_message("Tensor-likes", extra, absolute.max().item(), where[0], atol, relative.max().item(), where[1],
                        rtol), item)


def _compare_numbers(actual: Any, expected: Any, rtol: float | None, atol: float | None, equal_nan: bool,
                     item: str) -> str | None:
    if rtol is None:
        rtol, atol = (1e-7, 1e-7) if isinstance(actual, (float, np.floating)) or isinstance(
            expected, (float, np.floating)) else (0.0, 0.0)
    if math.isnan(actual) or math.isnan(expected):
        close = equal_nan and math.isnan(actual) and math.isnan(expected)
    else:
        close = actual == expected or abs(actual - expected) <= atol + rtol * abs(expected)
    return None if close else _at(_scalar_message(actual, expected, rtol, atol), item)


def _scalar_message(actual: Any, expected: Any, rtol: float, atol: float) -> str:
    difference = abs(actual - expected)
    relative = math.inf if expected == 0 else difference / abs(expected)
    return _message("Scalars", f"Expected {expected} but got {actual}.", difference, None, atol, relative, None, rtol)


def _message(what: str, extra: str, absolute: Any, absolute_at: Any, atol: float, relative: Any, relative_at: Any,
             rtol: float) -> str:
    """PyTorch's mismatch message (``_make_mismatch_msg``)."""
    text = f"{what} are not {'equal' if rtol == 0 and atol == 0 else 'close'}!\n\n{extra}\n"
    for kind, difference, at, tolerance in (("absolute", absolute, absolute_at, atol),
                                            ("relative", relative, relative_at, rtol)):
        text += f"{kind.title()} difference: {difference}" if at is None else \
            f"Greatest {kind} difference: {difference} at index {at}"
        text += f" (up to {tolerance} allowed)\n" if tolerance > 0 else "\n"
    return text.strip()


def _at(message: str, item: str) -> str:
    """The message, and which item of the containers compared it is about."""
    return f"{message}\n\nThe failure occurred for item {item}" if item else message
