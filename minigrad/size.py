"""``Size``: a tensor's shape, a tuple of ints that prints as PyTorch's ``torch.Size`` does."""

import math


class Size(tuple):
    """The shape of a tensor: ``x.shape == (2, 3)``; prints as ``minigrad.Size([2, 3])``."""

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        return math.prod(self)

    def __repr__(self) -> str:
        return f"minigrad.Size([{', '.join(map(str, self))}])"

    __str__ = __repr__
