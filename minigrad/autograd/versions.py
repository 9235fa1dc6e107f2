"""Version counters: how many times the memory under an array has been overwritten in place.

Every view of one numpy buffer shares one counter (the counter belongs to the array that owns the
memory), as PyTorch's views share their base's. Backward compares each saved array's version with the
one it had when it was saved, so a value changed in place after being saved is an error, not a silently
wrong gradient.
"""

import weakref
from typing import Any

import numpy as np

# id(owner) -> [weak reference to the owner, count, the node of its last recorded in-place write (weakly) or None];
# an entry leaves when its owner is freed.
_versions: dict[int, list] = {}


def owner(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory ``array`` looks at."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def version(array: np.ndarray) -> int:
    """How many in-place writes the memory under ``array`` has had."""
    while isinstance(array.base, np.ndarray):  # (``owner``, inline: every saved array is looked up)
        array = array.base
    entry = _versions.get(id(array))
    return entry[1] if entry is not None and entry[0]() is array else 0


def bump(array: np.ndarray, writer: Any = None) -> None:
    """Record one more in-place write to the memory under ``array``; ``writer``: the graph node that recorded it, if
    any (the error for a saved array modified in place names it)."""
    root = owner(array)
    key = id(root)
    entry = _versions.get(key)
    if entry is None or entry[0]() is not root:
        entry = _versions[key] = [weakref.ref(root, lambda _, key=key: _versions.pop(key, None)), 0, None]
    entry[1] += 1
    if writer is not None:
        entry[2] = weakref.ref(writer)


def writer(array: np.ndarray) -> Any:
    """The node of the last recorded in-place write to the memory under ``array``, if it is still alive."""
    root = owner(array)
    entry = _versions.get(id(root))
    return entry[2]() if entry is not None and entry[0]() is root and entry[2] is not None else None


def shared(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether ``a`` and ``b`` look at the same memory (one counter)."""
    return owner(a) is owner(b)
