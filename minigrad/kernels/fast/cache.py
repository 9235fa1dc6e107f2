"""A cache of large blocks for kernel results: blocks their last user has dropped are handed out again (PyTorch's
caching allocator, shown small).

A fresh large array costs more than the work done on it: glibc takes blocks over 32 MB straight from the
operating system, which hands over zero-filled pages one fault at a time as they are first written, so writing
into a new 40 MB array takes longer than into a used one. ``empty``
keeps each block it makes for a request of ``CACHED_BYTES`` or more. A block is free again once nothing but the
cache refers to it (every array made from it is gone), and the next request of its size takes it. Free blocks
beyond ``MAX_FREE_BYTES`` in all are given back to the system, oldest size first.

Each array handed out views its block through a fresh ``memoryview``: it owns its memory as far as version
counters and ``minigrad.compile`` can tell, and the memoryview holds the block for as long as any view of the
array lives.
"""

import math
import sys
import threading

import numpy as np

CACHED_BYTES = 1 << 20  # smaller arrays come from numpy (malloc reuses small freed blocks itself)
MAX_FREE_BYTES = 1 << 29

_blocks: dict[int, list[np.ndarray]] = {}  # bytes -> every block of that size, in use or free (uint8)
_lock = threading.Lock()  # two threads must not both take one free block


def _counts(blocks: list[np.ndarray]) -> list[int]:
    return list(map(sys.getrefcount, blocks))


_UNUSED = _counts([np.empty(0)])[0]  # a block's count when only its list refers to it


def _free(blocks: list[np.ndarray]) -> list[np.ndarray]:
    """The blocks nothing but ``blocks`` refers to (counted before this list is made)."""
    return [block for block, count in zip(blocks, _counts(blocks)) if count == _UNUSED]


def empty(shape: tuple[int, ...], dtype: np.dtype | type) -> np.ndarray:
    """A new C-contiguous array of ``shape`` and ``dtype``, its contents arbitrary (as ``np.empty``)."""
    array = np.empty(shape, dtype)  # every op allocates: the small case, taken most, costs one numpy call
    if array.nbytes < CACHED_BYTES:
        return array
    nbytes, dtype, count = array.nbytes, array.dtype, array.size
    del array  # untouched, so only address space: no page was faulted in
    with _lock:
        blocks = _blocks.setdefault(nbytes, [])
        free = _free(blocks)
        if free:
            block = free[0]
        else:
            _release(MAX_FREE_BYTES - nbytes)
            block = np.empty(nbytes, np.uint8)
            blocks.append(block)
        return np.frombuffer(memoryview(block), dtype, count).reshape(shape)


def _release(keep: int) -> None:
    """Give free blocks back until at most ``keep`` bytes of them are left, starting with the oldest size."""
    free = {size: _free(blocks) for size, blocks in _blocks.items()}
    total = sum(size * len(blocks) for size, blocks in free.items())
    for size, blocks in free.items():
        if total <= keep:
            return
        dropped = {id(block) for block in blocks[:math.ceil((total - keep) / size)]}
        if dropped:
            _blocks[size] = [block for block in _blocks[size] if id(block) not in dropped]
            total -= size * len(dropped)
            if not _blocks[size]:
                del _blocks[size]


def empty_cache() -> None:
    """Give every free block back to the system (``torch.cuda.empty_cache``'s counterpart)."""
    with _lock:
        _release(0)


def cached_bytes() -> tuple[int, int]:
    """(bytes in blocks in use, bytes in free blocks) held by the cache."""
    with _lock:
        free = sum(size * len(_free(blocks)) for size, blocks in _blocks.items())
        return sum(size * len(blocks) for size, blocks in _blocks.items()) - free, free
