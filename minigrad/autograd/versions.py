"""Version counters: how many times the memory under an array has been overwritten in place.

Every view of one numpy buffer shares one counter (the counter belongs to the array that owns the
memory), as PyTorch's views share their base's. Backward compares each saved array's version with the
one it had when it was saved, so a value changed in place after being saved is an error, not a silently
wrong gradient.
"""

import weakref

import numpy as np

# id(owner) -> [weak reference to the owner, count]; an entry leaves when its owner is freed.
_versions: dict[int, list] = {}


def _owner(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory ``array`` looks at."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def version(array: np.ndarray) -> int:
    """How many in-place writes the memory under ``array`` has had."""
    owner = _owner(array)
    entry = _versions.get(id(owner))
    return entry[1] if entry is not None and entry[0]() is owner else 0


def bump(array: np.ndarray) -> None:
    """Record one more in-place write to the memory under ``array``."""
    owner = _owner(array)
    key = id(owner)
    entry = _versions.get(key)
    if entry is None or entry[0]() is not owner:
        entry = _versions[key] = [weakref.ref(owner, lambda _, key=key: _versions.pop(key, None)), 0]
    entry[1] += 1
