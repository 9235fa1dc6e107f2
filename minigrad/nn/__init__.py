"""``minigrad.nn``: modules, parameters, layers and losses, named as in ``torch.nn``."""

from . import functional, init
from .activation import ReLU, Sigmoid, Tanh
from .container import Sequential
from .linear import Identity, Linear
from .loss import BCELoss, BCEWithLogitsLoss, L1Loss, MSELoss
from .module import Module
from .parameter import Parameter

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "Identity", "L1Loss", "Linear", "MSELoss", "Module", "Parameter", "ReLU",
    "Sequential", "Sigmoid", "Tanh", "functional", "init",
]
