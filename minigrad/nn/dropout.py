"""Dropout: zero each element with probability p while training, and scale the kept ones by 1/(1 − p).

The masks are PyTorch's, bit for bit, under the same seed (on CPUs other than Intel's, where PyTorch's
CPU bernoulli_ uses MKL instead): ``dropout(x, p)`` draws one 64-bit value (two words) per element of x
from the default generator, in x's memory order, and keeps the element when
(r64 & (2⁵³−1))·2⁻⁵³ < 1 − p. The output is x ⊗ noise, with noise = mask ⊘ (1 − p) rounded to x's dtype,
recorded as ``MulBackward0``: the gradient is grad ⊗ noise.
"""

import numpy as np

from .. import dtypes, errors, random
from .. import kernels as K
from ..autograd.grad_mode import is_grad_enabled
from ..tensor import Tensor, expect_tensor
from .module import Module


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Each element of ``input`` zeroed with probability ``p``, the rest scaled by 1/(1 − p) (PyTorch's draws).

    - ``training=False``, p = 0 or an empty input: returns ``input`` itself and draws nothing.
    - p = 1: input ⊗ 0 (so inf and nan give nan), recorded as MulBackward0; draws nothing.
    - otherwise: 2·numel words from the default generator (see the module docstring); an integer input
      then fails as in PyTorch (after the draws, as there).

    ``inplace=True`` writes the result into ``input`` and returns it, as PyTorch does. minigrad records no
    in-place op in the graph, so when the call has to be recorded (grad mode on and ``input`` requires
    grad), a leaf gets PyTorch's in-place error and any other tensor gets the result out of place
    (``input`` unchanged; the result and its gradient are PyTorch's).
    """
    errors.check_dropout_probability(p)
    expect_tensor(input, "dropout")
    if p == 0 or not training or input.numel() == 0:
        return input
    array = input._data
    if p == 1:
        noise = np.zeros((), array.dtype)
    else:
        r64 = random.default_generator.random64(array.size)
        if not input.is_floating_point():
            raise errors.result_type_cast(dtypes.float32, input.dtype)
        noise = K.dropout_noise(r64, p, array)
    out = input * Tensor._make(noise)
    if not inplace or (input.requires_grad and is_grad_enabled() and not input.is_leaf):
        return out
    return input.copy_(out.detach())


class Dropout(Module):
    """Zeroes each element with probability ``p`` in training mode (``train()``); the identity in ``eval()``.

    Each call in training mode draws a fresh mask from the default generator: see ``dropout``.
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        errors.check_dropout_probability(p)
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
