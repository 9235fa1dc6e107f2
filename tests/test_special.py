"""minigrad.special against torch.special: each function's values and gradient, float32 and float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import assert_close

import minigrad

FUNCTIONS = {
    "expit": lambda sp, x: sp.expit(x),
    "erf": lambda sp, x: sp.erf(x),
    "erfc": lambda sp, x: sp.erfc(x),
    "erfinv": lambda sp, x: sp.erfinv(x.tanh()),
    "exp2": lambda sp, x: sp.exp2(x),
    "expm1": lambda sp, x: sp.expm1(x),
    "log1p": lambda sp, x: sp.log1p(x.abs()),
    "round": lambda sp, x: sp.round(x * 10, decimals=1),
    "softmax": lambda sp, x: sp.softmax(x, 1),
    "log_softmax": lambda sp, x: sp.log_softmax(x, 0),
    "logsumexp": lambda sp, x: sp.logsumexp(x, 1),
    "logit": lambda sp, x: sp.logit(x.sigmoid(), eps=1e-3),
    "xlogy": lambda sp, x: sp.xlogy(x, x.abs() + 0.5),
    "xlogy-number": lambda sp, x: sp.xlogy(2.0, x.abs() + 0.5),
    "gammaln": lambda sp, x: sp.gammaln(x.abs() + 0.5),
    "digamma": lambda sp, x: sp.digamma(x.abs() + 0.5),
    "psi": lambda sp, x: sp.psi(x.abs() + 0.5),
    "polygamma": lambda sp, x: sp.polygamma(1, x.abs() + 0.5),
    "sinc": lambda sp, x: sp.sinc(x),
    "ndtr": lambda sp, x: sp.ndtr(x),
    "entr": lambda sp, x: sp.entr(x),
    "xlog1py": lambda sp, x: sp.xlog1py(x, x.abs()),
    "multigammaln": lambda sp, x: sp.multigammaln(x.abs() + 2, 3),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", FUNCTIONS)
def test_special_function(name: str, dtype: str, device: str) -> None:
    values = np.random.default_rng(len(name)).standard_normal((3, 4))
    values[0, 0] = 0.0  # (entr's and xlog1py's zero)
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        x = fw.tensor(values, dtype=getattr(fw, dtype), device=dev, requires_grad=True)
        out = FUNCTIONS[name](fw.special, x)
        if out.requires_grad:
            (out * fw.arange(float(out.numel()), dtype=out.dtype, device=dev).view(out.shape)).sum().backward()
        found.append((out.detach(), x.grad))
    (theirs, their_grad), (ours, our_grad) = found
    assert_close(ours, theirs.cpu())
    if their_grad is not None:
        assert_close(our_grad, their_grad.cpu(), "gradient")
