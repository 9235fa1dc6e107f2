"""What a newcomer tab-completes: each public module shows PyTorch's names, plus minigrad's few documented extras.

The reference is the installed torch itself: a name passes when the same module of torch has it too (torch's
dir() also holds some of its own imports, such as ``math`` or ``Tensor``, so those pass here as well).
"""

from __future__ import annotations

import importlib
import types

import pytest
import torch
import torch.utils.model_zoo  # (a submodule shows in dir() of its package once imported: both are

import minigrad.utils.model_zoo  # noqa: F401  imported here, so that the tests' order does not decide what it shows)

# minigrad's own public names, which no torch module has: the teaching tools and the engine's parts.
EXTRAS = {
    "minigrad": {"explain", "explain_forward", "viz", "use_exact_kernels", "are_exact_kernels_enabled"},
    "minigrad.autograd": {"AccumulateGrad", "Context", "GradcheckError", "Node"},  # the engine's parts, as read
}

MODULES = ["minigrad", "minigrad.nn", "minigrad.nn.functional", "minigrad.nn.init", "minigrad.nn.utils",
           "minigrad.nn.utils.rnn",
           "minigrad.optim",
           "minigrad.optim.lr_scheduler", "minigrad.utils", "minigrad.utils.data", "minigrad.autograd",
           "minigrad.autograd.functional", "minigrad.func",
           "minigrad.cuda", "minigrad.distributions", "minigrad.distributions.constraints",
           "minigrad.distributions.kl", "minigrad.linalg", "minigrad.special", "minigrad.testing"]

# Still show internals; their files belong to other parts of issue 22's work (see the reasons).
NOT_YET: dict[str, str] = {}


def counterpart(name: str) -> types.ModuleType:
    return importlib.import_module("torch" + name.removeprefix("minigrad"))


def public(names: list[str]) -> set[str]:
    return {name for name in names if not name.startswith("_")}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[name])) if name in NOT_YET else name
    for name in MODULES
])
def test_dir_shows_only_pytorch_names(name: str) -> None:
    module = importlib.import_module(name)
    unknown = public(dir(module)) - set(dir(counterpart(name))) - EXTRAS.get(name, set())
    assert not unknown, f"dir({name}) shows names torch's module lacks: {sorted(unknown)}"


@pytest.mark.parametrize("name", MODULES)
def test_dir_lists_only_real_attributes(name: str) -> None:
    module = importlib.import_module(name)
    missing = [attribute for attribute in dir(module) if not hasattr(module, attribute)]
    assert not missing, f"{name}.__all__ names what it does not have: {missing}"


@pytest.mark.parametrize("name", MODULES)
def test_nothing_defined_in_minigrad_is_hidden(name: str) -> None:
    """A function, class or value that minigrad defines and binds without an underscore is shown (listed in
    ``__all__`` where the module has one): a new name left out of it would be missed by tab completion."""
    module = importlib.import_module(name)
    hidden = {
        attribute for attribute, value in vars(module).items()
        if not attribute.startswith("_") and not isinstance(value, types.ModuleType)
        and ((getattr(value, "__module__", None) or "") + ".").startswith(name + ".")  # (minigrad.func: not .functions)
    } - set(dir(module))
    assert not hidden, f"{name} defines {sorted(hidden)} but dir() does not show them (add them to __all__)"


def test_star_import_of_functional_gives_pytorchs_names() -> None:
    namespace: dict[str, object] = {}
    exec("from minigrad.nn.functional import *", namespace)
    names = public(list(namespace))
    assert names and names <= set(dir(torch.nn.functional))
