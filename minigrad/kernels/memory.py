"""Where kernel results come from (``empty``, ``zeros``), and when an array may be kept without a copy (``take``)."""

import sys

import numpy as np

from . import mode
from .fast import cache


def empty(shape: tuple[int, ...], dtype: np.dtype | type) -> np.ndarray:
    """A new C-contiguous array of ``shape`` and ``dtype``, its contents arbitrary (as ``np.empty``)."""
    return cache.empty(shape, dtype) if mode.exact else np.empty(shape, dtype)


def zeros(shape: tuple[int, ...], dtype: np.dtype | type) -> np.ndarray:
    """A new array of ``shape`` and ``dtype`` filled with zeros."""
    return np.zeros(shape, dtype)


def take(handed: list[np.ndarray]) -> np.ndarray | None:
    """The array handed over in the one-element list ``handed``, taken out of it if it may be kept and written in
    place as it is: nothing else refers to it and nothing else views its memory. None if not (the caller copies).

    (What the engine hands over it no longer holds: a count of the array's references tells whether anyone does.)
    """
    array = handed[0]
    alone = sys.getrefcount(array) == _REFS_IN_TAKE
    if alone and array.flags.c_contiguous and array.flags.writeable and _owns_its_memory(array):
        handed.clear()
        return array
    return None


def _refs_in_take(handed: list[np.ndarray]) -> int:
    array = handed[0]
    return sys.getrefcount(array)


_REFS_IN_TAKE = _refs_in_take([np.empty(0)])  # the list, the local name, getrefcount's argument


def _base_refs(array: np.ndarray) -> int:
    return sys.getrefcount(array.base)


_ONE_VIEW = _base_refs(np.frombuffer(memoryview(np.empty(1, np.uint8)), np.uint8).reshape(1))


def _owns_its_memory(array: np.ndarray) -> bool:
    """Whether ``array`` is the only way to its memory: it owns it, or it is the one view of an array that owns
    it (a result reshaped on its way out) or of an array ``cache.empty`` made over a cache block."""
    if array.base is None:
        return True
    owner = array.base.base
    return (owner is None or type(owner) is memoryview) and _base_refs(array) == _ONE_VIEW
