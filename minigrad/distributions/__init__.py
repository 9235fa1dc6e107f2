"""``minigrad.distributions``: probability distributions with PyTorch's ``torch.distributions`` API.

    import minigrad as torch
    from minigrad.distributions import Normal, kl_divergence

    q = Normal(mu, sigma)                      # a VAE's posterior
    z = q.rsample()                            # z = mu + eps * sigma: the gradient reaches mu and sigma
    kl = kl_divergence(q, Normal(0.0, 1.0)).sum()

``Normal``, ``Bernoulli``, ``Categorical`` and ``Uniform``, each with ``sample``, ``log_prob``, ``entropy``, ``mean``,
``variance``, ``batch_shape``/``event_shape`` (``rsample`` for the continuous two), and ``kl_divergence`` between two
of the same family. The formulas are PyTorch's, composed from tensor ops (so each gradient is the ops' own), and
the samplers draw PyTorch's random numbers: under the same ``manual_seed`` a sample is the same values.
"""

from . import constraints, kl, utils  # noqa: F401  (submodules, as torch.distributions.constraints, ...)
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .kl import kl_divergence, register_kl
from .normal import Normal
from .uniform import Uniform

__all__ = ["Bernoulli", "Categorical", "Distribution", "Normal", "Uniform", "kl_divergence", "register_kl"]
