"""nn.utils.weight_norm and spectral_norm (PyTorch's hook-based ones), against PyTorch: parameter and buffer names,
the power iteration's draws and in-place updates, training steps, eval mode, removal, warnings and errors."""

from __future__ import annotations

import warnings

import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad


def _train(fw, dtype: str):
    fw.manual_seed(0)
    nn = fw.nn
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = nn.Sequential(nn.utils.spectral_norm(nn.Linear(3, 4)), nn.ReLU(), nn.utils.weight_norm(nn.Linear(4, 2)),
                            nn.utils.weight_norm(nn.Linear(2, 2), dim=None),
                            nn.utils.spectral_norm(nn.Linear(2, 2), n_power_iterations=3)).to(getattr(fw, dtype))
    opt = fw.optim.SGD(net.parameters(), lr=0.1)
    x = fw.linspace(-1, 1, 15, dtype=getattr(fw, dtype)).view(5, 3)
    losses = []
    for _ in range(4):
        loss = net(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    net.eval()
    evaluated = net(x).detach()
    names = ([n for n, _ in net.named_parameters()], list(net.state_dict()))
    tensors = [*losses, evaluated, *[v.detach() for v in net.state_dict().values()]]
    fw.nn.utils.remove_spectral_norm(net[0])
    fw.nn.utils.remove_weight_norm(net[2])
    return names, [n for n, _ in net.named_parameters()], tensors, net[0].weight.detach(), [
        (w.category.__name__, str(w.message)) for w in caught]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_training_through_normalized_layers(dtype: str) -> None:
    (names, after, tensors, weight, warned), (their_names, their_after, theirs, their_weight, their_warned) = (
        _train(minigrad, dtype), _train(torch, dtype))
    assert (names, after, warned) == (their_names, their_after, their_warned)
    for ours, their in zip([*tensors, weight], [*theirs, their_weight]):
        assert_close(ours, their)


@pytest.mark.parametrize("call", [
    lambda fw: fw.nn.utils.spectral_norm(fw.nn.utils.spectral_norm(fw.nn.Linear(2, 2))),
    lambda fw: fw.nn.utils.spectral_norm(fw.nn.Linear(2, 2), n_power_iterations=0),
    lambda fw: fw.nn.utils.spectral_norm(fw.nn.Linear(2, 2, bias=False), name="bias"),
    lambda fw: fw.nn.utils.remove_spectral_norm(fw.nn.Linear(2, 2)),
    lambda fw: fw.nn.utils.remove_weight_norm(fw.nn.Linear(2, 2)),
])
def test_errors(call) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same_error(call)
