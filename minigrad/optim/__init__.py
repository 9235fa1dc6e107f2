"""``minigrad.optim``: optimizers that update parameters from their ``.grad``, named as in ``torch.optim``."""

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .nadam import NAdam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "NAdam", "Optimizer", "RMSprop", "lr_scheduler"]


def __dir__() -> list[str]:  # dir() and tab completion: the names above, not the files this package is built from
    return __all__
