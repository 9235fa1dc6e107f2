"""``minigrad.optim``: optimizers that update parameters from their ``.grad``, named as in ``torch.optim``."""

from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Optimizer"]
