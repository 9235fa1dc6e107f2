"""The op registry and every op definition (see ``registry`` for what an op declares)."""

from . import activation, comparison, linalg, math_functions, pointwise, reduction, shape, special  # noqa: F401  (each module registers its ops)
from .registry import REGISTRY, Op, Promotion, register

__all__ = ["REGISTRY", "Op", "Promotion", "register"]
