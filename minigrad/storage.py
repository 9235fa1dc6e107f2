"""``Tensor.storage()`` and ``Tensor.untyped_storage()``: the memory a tensor's elements live in, as PyTorch shows it.

A view shares its base's memory, so its storage is the WHOLE of that memory, not just the elements the view sees:
``arange(6).view(2, 3)[1].storage()`` has 6 elements, and ``data_ptr()`` is the same for the base's and each view's
storage. Karpathy's makemore lecture prints one to show that ``view`` copies nothing::

    >>> print(minigrad.arange(6).storage())
     0
     1
     ...
     5
    [minigrad.storage.TypedStorage(dtype=minigrad.int64, device=cpu) of size 6]

Here a storage is a thin, read-only view over the numpy array at the root of the tensor's ``.base`` chain (the array
its memory was allocated as): reading it copies nothing, and writing through it is refused (``TypeError``), as
minigrad's tensors are the one way to change their memory. ``TypedStorage`` sees that memory as elements of the
tensor's dtype; ``UntypedStorage`` as bytes (its elements, ints 0-255), as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from .autograd.versions import owner
from .device import device
from .dtypes import dtype as DType


def _flat(array: np.ndarray) -> np.ndarray:
    """``array``'s elements in memory order, as a 1-d view (no copy for a C- or F-contiguous array, the ones
    allocations make)."""
    return array.reshape(-1, order="F" if array.flags.f_contiguous and not array.flags.c_contiguous else "C")


class _Storage:
    """What both storages share: a 1-d read-only view ``_elements`` of the root memory, indexed, measured and
    listed element by element."""

    _elements: np.ndarray

    def __len__(self) -> int:
        return self._elements.shape[0]

    def size(self) -> int:
        """The number of elements (``len``)."""
        return len(self)

    def __getitem__(self, index: int) -> Any:
        """One element, a Python number; an index past either end: PyTorch's IndexError. Slices: TypeError (a
        TypedStorage in PyTorch refuses them too)."""
        if not isinstance(index, (int, np.integer)) or isinstance(index, bool):
            raise TypeError(f"can't index a {type(self).__name__} with {type(index).__name__}")
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} out of range for storage of size {len(self)}")
        return self._elements[index].item()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tolist())

    def tolist(self) -> list[Any]:
        """The elements as a list of Python numbers."""
        return self._elements.tolist()

    def data_ptr(self) -> int:
        """The address of the memory's first element: the same for a tensor's storage and for each view's."""
        return self._elements.__array_interface__["data"][0]

    def nbytes(self) -> int:
        """The memory's size in bytes."""
        return self._elements.nbytes

    @property
    def device(self) -> device:
        """Where the memory is: minigrad's is on the CPU."""
        return device("cpu")

    def _header(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        """Each element on its own line, indented by a space, then the storage's type, device and size (PyTorch's
        format, with ``minigrad.`` where it says ``torch.``)."""
        body = " " + "\n ".join(str(value) for value in self.tolist())
        return f"{body}\n[{type(self).__module__}.{type(self).__qualname__}({self._header()}) of size {len(self)}]"

    __repr__ = __str__


class TypedStorage(_Storage):
    """The memory as elements of the tensor's dtype (``Tensor.storage()``, which PyTorch deprecates, with a warning
    once a process)."""

    def __init__(self, array: np.ndarray, dtype: DType) -> None:
        flat = _flat(owner(array)).view()
        flat.flags.writeable = False
        self._elements, self.dtype = flat, dtype

    def element_size(self) -> int:
        """Bytes per element."""
        return self._elements.itemsize

    def untyped(self) -> UntypedStorage:
        """The same memory as bytes."""
        return UntypedStorage(self._elements)

    def _header(self) -> str:
        return f"dtype={self.dtype}, device={self.device}"


class UntypedStorage(_Storage):
    """The memory as bytes (``Tensor.untyped_storage()``): its elements are ints 0-255, its size a count of bytes."""

    def __init__(self, array: np.ndarray) -> None:
        flat = _flat(owner(array)).view(np.uint8).view()  # (the root is contiguous: a byte view of it)
        flat.flags.writeable = False
        self._elements = flat

    def _header(self) -> str:
        return f"device={self.device}"
