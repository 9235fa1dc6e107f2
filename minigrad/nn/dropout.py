"""Dropout: zero each element (or each channel) with probability p while training, and scale the kept ones.

The masks are PyTorch's, bit for bit, under the same seed (on CPUs other than Intel's, where PyTorch's
CPU bernoulli_ uses MKL instead). PyTorch's ``_dropout_impl`` (Dropout.cpp) fills a noise tensor with
``bernoulli_(1 − p)``: one 64-bit value (two words) per element from the default generator, in the noise's
memory order, the element kept when (r64 & (2⁵³−1))·2⁻⁵³ < 1 − p. The noise is like the input for ``dropout``
and ``alpha_dropout``, and (N, C, 1, ..., 1) for the feature (channel) dropouts, a draw per channel of each sample.

- dropout, dropout1d/2d/3d: output x ⊗ noise, noise = mask ⊘ (1 − p) in x's dtype (``MulBackward0``).
- alpha_dropout, feature_alpha_dropout: dropped values go to SELU's negative saturation α' = −1.7581 and the
  result is scaled back to mean 0, variance 1: output x ⊗ (a mask) + b, a = 1 / sqrt((α'² p + 1)(1 − p)),
  b = (mask − 1) α' a + α' a p (``AddBackward0``).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import dtypes, errors, random
from .. import kernels as K
from ..autograd.grad_mode import is_grad_enabled
from ..tensor import Tensor, expect_tensor
from .module import Module

_ALPHA = 1.7580993408473766  # -SELU's negative saturation: scale * alpha


def _dropout_impl(input: Tensor, p: float, training: bool, inplace: bool, feature: bool = False,
                  alpha: bool = False) -> Tensor:
    """PyTorch's _dropout_impl<feature, alpha>: see the module docstring."""
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        return _result(input, input * Tensor._make(np.zeros((), input._data.dtype)), inplace)
    if feature:
        if input.dim() < 2:
            raise errors.feature_dropout_dims()
        like = np.empty(tuple(input.shape[:2]) + (1,) * (input.dim() - 2), input._data.dtype)
    else:
        like = input._data
    r64 = random.default_generator.random64(like.size)
    if not input.is_floating_point():
        raise errors.result_type_cast(dtypes.float32, input.dtype)
    if not alpha:
        return _result(input, input * Tensor._make(K.dropout_noise(r64, p, like)), inplace)
    mask = K.dropout_noise(r64, p, like, scaled=False)
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    dtype = mask.dtype.type  # PyTorch's scalars in the tensor's dtype
    b = K.add(K.mul(K.add(mask, dtype(-1)), dtype(_ALPHA * a)), dtype(_ALPHA * a * p))
    return _result(input, input * Tensor._make(K.mul(mask, dtype(a))) + Tensor._make(b), inplace)


def _result(input: Tensor, out: Tensor, inplace: bool) -> Tensor:
    """``out``, written into ``input`` when ``inplace``. minigrad records no in-place op in the graph, so when the
    call has to be recorded (grad mode on and ``input`` requires grad), a leaf gets PyTorch's in-place error and
    any other tensor gets the result out of place (``input`` unchanged; the result and its gradient are PyTorch's).
    """
    if not inplace or (input.requires_grad and is_grad_enabled() and not input.is_leaf):
        return out
    return input.copy_(out.detach())


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Each element of ``input`` zeroed with probability ``p``, the rest scaled by 1/(1 − p) (PyTorch's draws).

    - ``training=False``, p = 0 or an empty input: returns ``input`` itself and draws nothing.
    - p = 1: input ⊗ 0 (so inf and nan give nan), recorded as MulBackward0; draws nothing.
    - otherwise: 2·numel words from the default generator (see the module docstring); an integer input
      then fails as in PyTorch (after the draws, as there).

    ``inplace=True`` writes the result into ``input`` and returns it, as PyTorch does (see ``_result``).
    """
    errors.check_dropout_probability(p)
    expect_tensor(input, "dropout")
    return _dropout_impl(input, p, training, inplace)


def _unbatched(input: Tensor, batched: bool, p: float, training: bool, inplace: bool) -> Tensor:
    """Feature dropout of ``input``, seen as a batch of one sample unless ``batched``."""
    if batched:
        return _dropout_impl(input, p, training, inplace, feature=True)
    return _result(input, _dropout_impl(input.unsqueeze(0), p, training, False, feature=True).squeeze(0), inplace)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Each channel of (N, C, L) (or (C, L)) zeroed with probability ``p``, the rest scaled by 1/(1 − p)."""
    errors.check_dropout_probability(p)
    expect_tensor(input, "dropout1d")
    if input.dim() not in (2, 3):
        raise errors.dropout1d_dims(input.dim())
    return _unbatched(input, input.dim() == 3, p, training, inplace)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Each channel of (N, C, H, W) zeroed with probability ``p``, the rest scaled by 1/(1 − p). As in PyTorch, a
    3-d input is read as (N, C, L), with a warning, and other ranks are accepted with another."""
    errors.check_dropout_probability(p)
    expect_tensor(input, "dropout2d")
    if input.dim() not in (3, 4):
        warnings.warn(errors.dropout_nd_warning("dropout2d", input.dim()), stacklevel=2)
    if input.dim() == 3:
        warnings.warn(errors.dropout2d_3d_warning(), stacklevel=2)
    return _dropout_impl(input, p, training, inplace, feature=True)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Each channel of (N, C, D, H, W) (or (C, D, H, W)) zeroed with probability ``p``, the rest scaled by
    1/(1 − p); other ranks are accepted with PyTorch's warning."""
    errors.check_dropout_probability(p)
    expect_tensor(input, "dropout3d")
    if input.dim() not in (4, 5):
        warnings.warn(errors.dropout_nd_warning("dropout3d", input.dim()), stacklevel=2)
    return _unbatched(input, input.dim() == 5, p, training, inplace)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Each element set to SELU's saturation with probability ``p``, then all scaled and shifted to keep
    mean 0 and variance 1 (see the module docstring)."""
    errors.check_dropout_probability(p)
    expect_tensor(input, "alpha_dropout")
    return _dropout_impl(input, p, training, inplace, alpha=True)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """``alpha_dropout`` of whole channels: one draw per channel of each sample."""
    errors.check_dropout_probability(p)
    expect_tensor(input, "feature_alpha_dropout")
    return _dropout_impl(input, p, training, inplace, feature=True, alpha=True)


class _DropoutNd(Module):
    """A dropout layer: its probability ``p`` and ``inplace``; active in training mode (``train()``) only."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        errors.check_dropout_probability(p)
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Zeroes each element with probability ``p`` in training mode; the identity in ``eval()``. Each call in
    training mode draws a fresh mask from the default generator: see ``dropout``."""

    def forward(self, input: Tensor) -> Tensor:
        return dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Zeroes whole channels of (N, C, L) or (C, L) inputs: see ``dropout1d``."""

    def forward(self, input: Tensor) -> Tensor:
        return dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zeroes whole channels of (N, C, H, W) inputs: see ``dropout2d``."""

    def forward(self, input: Tensor) -> Tensor:
        return dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) inputs: see ``dropout3d``."""

    def forward(self, input: Tensor) -> Tensor:
        return dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """``alpha_dropout`` in training mode, for SELU networks (``inplace`` is shown, but unused, as in PyTorch)."""

    def forward(self, input: Tensor) -> Tensor:
        return alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """``feature_alpha_dropout`` in training mode (``inplace`` is shown, but unused, as in PyTorch)."""

    def forward(self, input: Tensor) -> Tensor:
        return feature_alpha_dropout(input, self.p, self.training)
