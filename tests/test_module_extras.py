"""Module's lookups and no-ops (get_submodule, get_parameter, get_buffer, cuda, share_memory, compile), nn.init's
deprecated names and sparse_, and nn.utils' get_total_norm, clip_grads_with_norm_ and clip_grad_norm, against
PyTorch: values, random draws, warnings and errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from conftest import assert_same_error

import minigrad


def _model(fw):
    fw.manual_seed(0)
    return fw.nn.Sequential(fw.nn.Linear(3, 2), fw.nn.Sequential(fw.nn.BatchNorm1d(2), fw.nn.ReLU()))


def test_lookups_by_dotted_path() -> None:
    found = []
    for fw in (torch, minigrad):
        model = _model(fw)
        found.append((model.get_submodule("") is model, type(model.get_submodule("1.0")).__name__,
                      model.get_parameter("0.weight").tolist(), model.get_buffer("1.0.running_var").tolist(),
                      model.share_memory() is model, model.compile()))
    assert found[0] == found[1]


@pytest.mark.parametrize("call", [
    lambda fw: _model(fw).get_submodule("2"),
    lambda fw: _model(fw).get_submodule("0.weight"),
    lambda fw: _model(fw).get_parameter("1.0.running_mean"),
    lambda fw: _model(fw).get_parameter("0.nothing"),
    lambda fw: _model(fw).get_buffer("0.weight"),
    lambda fw: _model(fw).get_buffer("1.0.nothing"),
    lambda fw: _model(fw).cuda(),
])
def test_lookup_errors(call) -> None:
    assert_same_error(call)


@pytest.mark.parametrize("name", ["uniform", "normal", "constant", "eye", "dirac", "xavier_uniform", "xavier_normal",
                                  "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse"])
def test_deprecated_init_names(name: str) -> None:
    """``nn.init.xavier_uniform(w)`` of older tutorials: the same draws as the new name, with PyTorch's warning."""
    arguments = {"constant": (0.3,), "sparse": (0.5,)}.get(name, ())
    found = []
    for fw in (torch, minigrad):
        fw.manual_seed(1)
        weight = fw.empty(4, 3, 3) if name == "dirac" else fw.empty(4, 3)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            getattr(fw.nn.init, name)(weight, *arguments)
        found.append((np.array(weight.tolist()), [(w.category, str(w.message)) for w in caught]))
    assert found[0][1] == found[1][1]
    if name == "orthogonal":  # (a QR of the draws: LAPACK's there, minigrad's here, equal to float32 rounding)
        np.testing.assert_allclose(found[1][0], found[0][0], rtol=2e-6, atol=1e-6)
    else:
        np.testing.assert_array_equal(found[1][0], found[0][0])


def test_gradient_norm_helpers() -> None:
    found = []
    for fw in (torch, minigrad):
        model = _model(fw)
        model(fw.ones(4, 3) * fw.arange(3.0)).pow(2).sum().backward()
        grads = [p.grad for p in model.parameters()]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            total = fw.nn.utils.clip_grad_norm(model.parameters(), 0.5)
        norms = [fw.nn.utils.get_total_norm(grads, p).item() for p in (1.0, 3.0, float("inf"))]
        fw.nn.utils.clip_grads_with_norm_(model.parameters(), 0.1, fw.nn.utils.get_total_norm(grads))
        found.append((total.item(), norms, [g.tolist() for g in grads], [str(w.message) for w in caught],
                      fw.nn.utils.get_total_norm([]).item()))
    assert found[0] == found[1]


@pytest.mark.parametrize("name", ["empty_cache", "synchronize", "memory_allocated", "max_memory_allocated",
                                  "memory_reserved", "max_memory_reserved", "get_device_name", "current_device",
                                  "is_initialized", "get_device_properties", "mem_get_info", "ipc_collect",
                                  "is_bf16_supported", "seed", "seed_all", "initial_seed", "get_rng_state",
                                  "get_device_capability", "init", "get_arch_list", "memory_stats",
                                  "get_rng_state_all", "manual_seed_all"])
def test_cuda_queries_answer_as_a_cpu_only_pytorch(name: str) -> None:
    """torch.cuda.empty_cache() and the like in training scripts: what a PyTorch without a GPU answers (a no-op, 0,
    or its error)."""
    arguments = {"get_device_properties": (0,), "manual_seed_all": (0,)}.get(name, ())
    found = []
    for fw in (torch, minigrad):
        try:
            found.append(("returned", repr(getattr(fw.cuda, name)(*arguments))))
        except AssertionError as error:
            found.append(("raised", str(error)))
    assert found[0] == found[1]
