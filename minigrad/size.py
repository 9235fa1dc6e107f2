"""``Size``: a tensor's shape, a tuple of ints that prints as PyTorch's ``torch.Size`` does."""

from __future__ import annotations

import math


class Size(tuple):
    """The shape of a tensor: ``x.shape == (2, 3)``; prints as ``minigrad.Size([2, 3])``."""

    __module__ = "minigrad"  # (its public name, as type(x.shape) shows it: minigrad.Size)

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        return math.prod(self)

    def __getitem__(self, key: int | slice) -> int | Size:  # type: ignore[override]
        """A size (an int), or for a slice the sizes as a Size: ``x.shape[1:]``."""
        item = tuple.__getitem__(self, key)
        return Size(item) if isinstance(key, slice) else item

    def __add__(self, other: tuple[int, ...]) -> Size:  # type: ignore[override]
        return Size(tuple.__add__(self, other))

    def __radd__(self, other: tuple[int, ...]) -> Size:
        return Size(tuple.__add__(other, self))

    def __repr__(self) -> str:
        return f"minigrad.Size([{', '.join(map(str, self))}])"

    __str__ = __repr__
