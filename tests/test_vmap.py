"""vmap (a loop over the mapped dim, stacked) against torch.func.vmap: values, in_dims/out_dims trees, nesting,
per-sample gradients (vmap over grad), and PyTorch's errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad

X, Y = np.arange(12.0).reshape(3, 4), np.arange(12.0).reshape(3, 4) / 10 - 0.5


def _cases(fw):
    x, y = fw.tensor(X), fw.tensor(Y)
    vmap = fw.func.vmap
    return [vmap(fw.dot)(x, y), fw.vmap(fw.dot, in_dims=(0, None))(x, y[0]),
            *vmap(lambda a: (a * 2, a.sum()), out_dims=(1, 0))(x), vmap(lambda d: d["a"] * 2)({"a": x}),
            vmap(lambda a: a.sum(0), in_dims=1)(x), vmap(vmap(fw.mul))(x, y),
            vmap(fw.outer, in_dims=(0, 1))(x, y[:, :3]),
            vmap(lambda a, pair: a * pair[0] + pair[1], in_dims=(0, (None, 0)))(x, (y[0], y)),
            vmap(lambda a: a.exp(), in_dims=-1)(x)]


def test_values_as_pytorchs() -> None:
    for ours, theirs in zip(_cases(minigrad), _cases(torch)):
        assert_close(ours, theirs)


def _per_sample_gradients(fw):
    fw.manual_seed(0)
    model = fw.nn.Linear(3, 1)
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss(p, xb, yb):
        out = fw.func.functional_call(model, p, (xb.unsqueeze(0),))
        return fw.nn.functional.mse_loss(out.squeeze(0), yb)

    features, targets = fw.tensor(X[:, :3], dtype=fw.float32), fw.tensor(Y[:, :1], dtype=fw.float32)
    return fw.func.vmap(fw.func.grad(loss), in_dims=(None, 0, 0))(params, features, targets)


def test_per_sample_gradients_as_the_tutorial_computes_them() -> None:
    ours, theirs = _per_sample_gradients(minigrad), _per_sample_gradients(torch)
    assert list(ours) == list(theirs)
    for name in ours:
        assert_close(ours[name], theirs[name])


@pytest.mark.parametrize("call", [
    lambda fw: fw.vmap(fw.dot)(fw.ones(3, 4), fw.ones(2, 4)),
    lambda fw: fw.vmap(fw.dot, in_dims=(0,))(fw.ones(3, 4), fw.ones(3, 4)),
    lambda fw: fw.vmap(lambda a: a, in_dims=2)(fw.ones(3, 4)),
    lambda fw: fw.vmap(lambda a: 3)(fw.ones(3, 4)),
    lambda fw: fw.vmap(lambda a: a)(3),
    lambda fw: fw.vmap(lambda a, b: a + b, in_dims=(None, None))(fw.ones(2), fw.ones(2)),
])
def test_errors(call) -> None:
    assert_same_error(call)
