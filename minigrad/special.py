"""``minigrad.special``: PyTorch's ``torch.special`` names for the special functions minigrad has (most are other names
of tensor methods), and the few it composes from them: ``ndtr``, ``entr``, ``xlog1py``, ``multigammaln``."""

from __future__ import annotations

import math

from .dtypes import dtype as DType
from .functions import where
from .tensor import Tensor

__all__ = ["digamma", "entr", "erf", "erfc", "erfinv", "exp2", "expit", "expm1", "gammaln", "log1p", "log_softmax",
           "logit", "logsumexp", "multigammaln", "ndtr", "polygamma", "psi", "round", "sinc", "softmax", "xlog1py",
           "xlogy"]


def __dir__() -> list[str]:
    return __all__


def expit(input: Tensor) -> Tensor:  # noqa: A002
    """The logistic sigmoid 1 / (1 + e^-x)."""
    return input.sigmoid()


def erf(input: Tensor) -> Tensor:  # noqa: A002
    return input.erf()


def erfc(input: Tensor) -> Tensor:  # noqa: A002
    return input.erfc()


def erfinv(input: Tensor) -> Tensor:  # noqa: A002
    return input.erfinv()


def exp2(input: Tensor) -> Tensor:  # noqa: A002
    return input.exp2()


def expm1(input: Tensor) -> Tensor:  # noqa: A002
    return input.expm1()


def log1p(input: Tensor) -> Tensor:  # noqa: A002
    return input.log1p()


def round(input: Tensor, decimals: int = 0) -> Tensor:  # noqa: A001, A002
    return input.round(decimals=decimals)


def softmax(input: Tensor, dim: int, dtype: DType | None = None) -> Tensor:  # noqa: A002
    return input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int, dtype: DType | None = None) -> Tensor:  # noqa: A002
    return input.log_softmax(dim, dtype=dtype)


def logsumexp(input: Tensor, dim: int | tuple[int, ...], keepdim: bool = False) -> Tensor:  # noqa: A002
    return input.logsumexp(dim, keepdim=keepdim)


def logit(input: Tensor, eps: float | None = None) -> Tensor:  # noqa: A002
    """log(p / (1 - p)), p clamped to [eps, 1 - eps] when eps is given."""
    return input.logit(eps)


def xlogy(input: Tensor | float, other: Tensor | float) -> Tensor:  # noqa: A002
    """x log y, 0 where x is 0."""
    return input.xlogy(other) if isinstance(input, Tensor) else other.new_full(other.shape, input).xlogy(other)


def gammaln(input: Tensor) -> Tensor:  # noqa: A002
    """log |Gamma(x)|."""
    return input.lgamma()


def digamma(input: Tensor) -> Tensor:  # noqa: A002
    """d/dx log Gamma(x)."""
    return input.digamma()


psi = digamma


def polygamma(n: int, input: Tensor) -> Tensor:  # noqa: A002
    """The n-th derivative of digamma."""
    return input.polygamma(n)


def sinc(input: Tensor) -> Tensor:  # noqa: A002
    """sin(pi x) / (pi x), 1 at 0."""
    return input.sinc()


def ndtr(input: Tensor) -> Tensor:  # noqa: A002
    """The standard normal CDF: (1 + erf(x / sqrt 2)) / 2, as PyTorch composes it."""
    return ((input * (1 / math.sqrt(2))).erf() + 1) * 0.5


def entr(input: Tensor) -> Tensor:  # noqa: A002
    """-x log x elementwise: 0 at 0, -inf below 0 (composed: PyTorch's node is SpecialEntrBackward0)."""
    return where(input > 0, -input * input.log(), where(input == 0, input * 0, input * 0 - math.inf))


def xlog1py(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """x log(1 + y), 0 where x is 0 (composed: PyTorch's node is SpecialXlog1PyBackward0)."""
    return where(input == 0, input * 0, input * other.log1p())


def multigammaln(input: Tensor, p: int) -> Tensor:  # noqa: A002
    """The log of the multivariate gamma function of dimension p: p(p - 1)/4 log pi + sum_i lgamma(x - i/2)."""
    return sum((input - i / 2).lgamma() for i in range(p)) + p * (p - 1) / 4 * math.log(math.pi)
