"""``minigrad.utils``: helpers around training, named as in ``torch.utils`` (``minigrad.utils.data``)."""

from . import data

__all__ = ["data"]
