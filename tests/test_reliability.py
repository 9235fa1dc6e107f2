"""Reliability: every misuse raises PyTorch's error before anything changes; scale, memory and threads hold up.

- Errors: a table of misuses run on torch and on minigrad must raise the same exception type with the same
  message (``torch.`` read as ``minigrad.``). It extends, and does not repeat, the error tables of
  ``test_engine.py``, ``test_nn.py``, ``test_toolkit.py``, ``test_inplace.py``, ``test_classification.py`` and
  ``test_data.py``.
- No state change: after each stateful misuse raises, the tensors (values, dtype, ``grad``, ``grad_fn``, version
  counter), the model, the optimizer and the random generator are exactly as before. Where PyTorch itself
  changes state before raising (``load_state_dict`` copies the good keys first, ``scatter_`` writes the rows
  before the bad index, backward accumulates into leaves reached before the failing node, ``AdamW`` decays the
  weight before finding a bad buffer), the test says so and checks minigrad only.
- Scale: a 10,000-wide fan-in, a 10,000-piece ``stack`` and a 100,000-node chain whose every node is used twice
  run backward without recursion errors, each in under 10 s (they take about 0.7-3.5 s here).
- Memory: 10,000 steps of the seed's logistic regression and of a small MLP, with the cycle collector off,
  leave the count of allocated blocks and of gc-tracked objects flat, and the cycle collector then finds
  nothing to collect (no reference cycle keeps graphs alive); tracemalloc over 500 more steps measures
  the growth and the peak.
- Threads: grad mode is per thread, and two threads training their own models give exactly the results of
  two sequential runs.
"""

from __future__ import annotations

import functools
import gc
import re
import sys
import threading
import time
import tracemalloc
import weakref

import numpy as np
import pytest
import torch
from conftest import assert_same_error, outcome

import minigrad
from minigrad.autograd import versions
from reference.programs import LOGISTIC_REGRESSION

FRAMEWORKS = (minigrad, torch)


# ----- errors: the same exception, the same message -----------------------------------------------------------
def _twice_through_freed_graph(fw):
    x = fw.ones(2, requires_grad=True)
    y = x.exp().sum()
    y.backward(retain_graph=True)
    y.backward()  # frees the graph
    y.backward()


def _backward_after_graph_freed_from_another_root(fw):
    x = fw.ones(2, requires_grad=True)
    h = x.exp()
    h.sum().backward()  # frees ExpBackward's saved result
    (h * 2).sum().backward()


def _add_param_group(fw, extra):
    p = fw.nn.Parameter(fw.ones(2))
    fw.optim.SGD([p], lr=0.1).add_param_group({"params": extra(p)})


def _step_with_buffers_of_another_model(fw, optimizer="SGD", **options):
    """An optimizer loads the state of one for another model with the same number of parameters, then steps."""
    fw.manual_seed(0)
    first, second = fw.nn.Linear(2, 3), fw.nn.Linear(3, 2)
    opt_first = getattr(fw.optim, optimizer)(first.parameters(), **options)
    opt_second = getattr(fw.optim, optimizer)(second.parameters(), **options)
    first(fw.ones(1, 2)).sum().backward()
    opt_first.step()
    opt_second.load_state_dict(opt_first.state_dict())
    second(fw.ones(1, 3)).sum().backward()
    return second, opt_second


def _empty_pairs(fw):
    return fw.utils.data.TensorDataset(fw.zeros(0, 2), fw.zeros(0))


def _two_layers(fw):
    fw.manual_seed(0)
    return fw.nn.Sequential(fw.nn.Linear(2, 3), fw.nn.Linear(3, 1))


MISUSES = [
    # shapes (both named)
    pytest.param(lambda fw: fw.ones(2, 2, 3) @ fw.ones(2, 4, 2), id="bmm-shapes"),
    pytest.param(lambda fw: fw.ones(3, 2, 3) @ fw.ones(2, 3, 2), id="matmul-batch-broadcast"),
    pytest.param(lambda fw: fw.matmul(fw.ones(2, 3), fw.ones(2, 3)), id="matmul-function"),
    pytest.param(lambda fw: fw.ones(2, 3) - fw.ones(3, 2), id="broadcast-2d"),
    pytest.param(lambda fw: fw.maximum(fw.ones(2), fw.ones(3)), id="maximum-shapes"),
    pytest.param(lambda fw: fw.nn.Linear(3, 1)(fw.ones(2)), id="linear-1d-input"),
    pytest.param(lambda fw: fw.nn.BCELoss()(fw.ones(2, 1) / 2, fw.ones(2)), id="bce-module-shapes"),
    pytest.param(lambda fw: setattr(fw.ones(2, requires_grad=True), "grad", fw.ones(3)), id="grad-assign-size"),
    pytest.param(lambda fw: setattr(fw.ones(2, requires_grad=True), "grad", fw.ones(())), id="grad-assign-0d"),
    pytest.param(lambda fw: fw.ones(3).fill_(fw.ones(2)), id="fill-with-1d-tensor"),
    # dtypes
    pytest.param(lambda fw: fw.nn.Linear(2, 1)(fw.ones(3, 2, dtype=fw.int64)), id="linear-int-input"),
    pytest.param(lambda fw: fw.nn.functional.cross_entropy(fw.zeros(2, 3, dtype=fw.float64), fw.tensor([0, 1]),
                                                           weight=fw.ones(3)), id="ce-weight-dtype"),
    pytest.param(lambda fw: fw.nn.functional.mse_loss(fw.ones(2, dtype=fw.int64), fw.ones(2, dtype=fw.int64)),
                 id="mse-int"),
    pytest.param(lambda fw: setattr(fw.ones(2, requires_grad=True), "grad", fw.ones(2, dtype=fw.float64)),
                 id="grad-assign-double"),
    pytest.param(lambda fw: setattr(fw.ones(2, requires_grad=True), "grad", fw.ones(2, dtype=fw.int64)),
                 id="grad-assign-long"),
    pytest.param(lambda fw: setattr(fw.ones(2, dtype=fw.float64, requires_grad=True), "grad", fw.ones(2)),
                 id="grad-assign-float-to-double"),
    pytest.param(lambda fw: setattr(fw.ones(2, requires_grad=True), "grad", [1.0, 2.0]), id="grad-assign-list"),
    # binary cross-entropy outside [0, 1]
    pytest.param(lambda fw: fw.nn.functional.binary_cross_entropy(fw.ones(2) / 2, fw.tensor([0.0, 2.0])),
                 id="bce-target-2"),
    pytest.param(lambda fw: fw.nn.functional.binary_cross_entropy(fw.ones(1) / 2, fw.tensor([float("nan")])),
                 id="bce-target-nan"),
    pytest.param(lambda fw: fw.nn.functional.binary_cross_entropy(fw.tensor([-0.5]), fw.ones(1)), id="bce-input-neg"),
    pytest.param(lambda fw: fw.nn.BCELoss()(fw.tensor([0.5]), fw.tensor([1.5])), id="bce-module-target"),
    # class indices out of range
    pytest.param(lambda fw: fw.nn.CrossEntropyLoss()(fw.zeros(2, 3), fw.tensor([0, 3])), id="ce-module-3-of-3"),
    pytest.param(lambda fw: fw.nn.functional.cross_entropy(fw.zeros(2, 3), fw.tensor([0, -1])), id="ce-minus-1"),
    pytest.param(lambda fw: fw.nn.functional.cross_entropy(fw.zeros(3), fw.tensor(3)), id="ce-unbatched"),
    pytest.param(lambda fw: fw.nn.functional.cross_entropy(fw.zeros(2, 3), fw.tensor([-100, 3])),
                 id="ce-ignored-and-out-of-range"),
    pytest.param(lambda fw: fw.nn.functional.cross_entropy(fw.zeros(2, 3, 4), fw.tensor([[0, 1, 2, 3], [0] * 4])),
                 id="ce-3d-out-of-range"),
    pytest.param(lambda fw: fw.nn.NLLLoss()(fw.zeros(2, 3), fw.tensor([5, 0])), id="nll-module"),
    pytest.param(lambda fw: fw.nn.functional.nll_loss(fw.zeros(2, 3), fw.tensor([0, 3]), weight=fw.ones(3)),
                 id="nll-weighted"),
    # backward
    pytest.param(_twice_through_freed_graph, id="backward-third-time"),
    pytest.param(_backward_after_graph_freed_from_another_root, id="backward-through-freed-subgraph"),
    pytest.param(lambda fw: fw.ones(2, 2, requires_grad=True).exp().backward(), id="backward-2d"),
    pytest.param(lambda fw: fw.ones(0, requires_grad=True).exp().backward(), id="backward-empty"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).backward(), id="backward-leaf-non-scalar"),
    pytest.param(lambda fw: fw.ones(1).backward(), id="backward-without-grad"),
    # in-place on a leaf that requires grad (and on memory shared by several elements)
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).zero_(), id="leaf-zero_"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).fill_(3), id="leaf-fill_"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).copy_(fw.zeros(2)), id="leaf-copy_"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).normal_(), id="leaf-normal_"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).clamp_(0, 1), id="leaf-clamp_"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).masked_fill_(fw.tensor([True, False]), 0.0),
                 id="leaf-masked_fill_"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).scatter_(0, fw.tensor([0]), 0.0), id="leaf-scatter_"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).__iadd__(1), id="leaf-iadd"),
    pytest.param(lambda fw: fw.nn.Linear(2, 1).weight.add_(1), id="parameter-add_"),
    pytest.param(lambda fw: fw.ones(2, 2, requires_grad=True).t().mul_(2), id="transposed-leaf-mul_"),
    pytest.param(lambda fw: fw.ones(3, 1).expand(3, 3).mul_(2), id="expanded-mul_"),
    pytest.param(lambda fw: fw.ones(1).expand(3).add_(1), id="expanded-add_"),
    pytest.param(lambda fw: fw.ones(3, 1).expand(3, 3).copy_(fw.zeros(3, 3)), id="expanded-copy_"),
    pytest.param(lambda fw: fw.ones(3, 1).expand(3, 3).uniform_(), id="expanded-uniform_"),
    # optimizers
    pytest.param(lambda fw: fw.optim.Adam([fw.ones(2, requires_grad=True) * 2]), id="adam-non-leaf"),
    pytest.param(lambda fw: fw.optim.Adam([]), id="adam-empty"),
    pytest.param(lambda fw: fw.optim.SGD(iter([]), lr=0.1), id="sgd-empty-iterator"),
    pytest.param(lambda fw: fw.optim.SGD(fw.nn.Linear(1, 1), lr=0.1), id="sgd-given-a-module"),
    pytest.param(lambda fw: _add_param_group(fw, lambda p: [p]), id="add-param-group-duplicate"),
    pytest.param(lambda fw: _add_param_group(fw, lambda p: [p * 2]), id="add-param-group-non-leaf"),
    pytest.param(lambda fw: _step_with_buffers_of_another_model(fw, momentum=0.9)[1].step(), id="sgd-step-buffers"),
    pytest.param(lambda fw: _step_with_buffers_of_another_model(fw, "Adam")[1].step(), id="adam-step-buffers"),
    pytest.param(lambda fw: _step_with_buffers_of_another_model(fw, "RMSprop")[1].step(), id="rmsprop-step-buffers"),
    # data
    pytest.param(lambda fw: fw.utils.data.DataLoader(_empty_pairs(fw), shuffle=True), id="loader-empty-shuffled"),
    pytest.param(lambda fw: fw.utils.data.DataLoader(_empty_pairs(fw), batch_size=2, shuffle=True),
                 id="loader-empty-shuffled-batches"),
    # state dicts
    pytest.param(lambda fw: _two_layers(fw).load_state_dict({"0.weight": fw.ones(3, 2), "0.bias": fw.ones(3),
                                                              "1.weight": fw.ones(1, 2), "1.bias": fw.ones(1)}),
                 id="state-dict-one-bad-shape"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).load_state_dict({"weight": fw.ones(1, 1), "b": fw.ones(1)}),
                 id="state-dict-missing-and-unexpected"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).load_state_dict({"weight": fw.ones(2, 1)}),
                 id="state-dict-shape-and-missing"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).load_state_dict({"weight": fw.ones(2, 1)}, strict=False),
                 id="state-dict-non-strict-shape"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).load_state_dict({"weight": fw.ones(1, 1), "bias": fw.tensor(1.0)}),
                 id="state-dict-0d-for-1d"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).load_state_dict([("weight", fw.ones(1, 1))]), id="state-dict-list"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).load_state_dict({"weight": [[1.0]], "bias": fw.ones(2)}),
                 id="state-dict-not-a-tensor"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).to(fw.int64), id="module-to-long"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).to(dtype=fw.bool), id="module-to-bool"),
    # conversions
    pytest.param(lambda fw: fw.ones(0).item(), id="item-of-none"),
    pytest.param(lambda fw: fw.ones(2, 2).item(), id="item-of-4"),
    pytest.param(lambda fw: float(fw.ones(2)), id="float-of-2"),
    pytest.param(lambda fw: int(fw.ones(2)), id="int-of-2"),
    pytest.param(lambda fw: bool(fw.ones(2)), id="bool-of-2"),
    pytest.param(lambda fw: (fw.ones(2, requires_grad=True) * 2).numpy(), id="numpy-of-non-leaf"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).weight.numpy(), id="numpy-of-parameter"),
    # views of non-contiguous tensors
    pytest.param(lambda fw: fw.ones(2, 3, 4).transpose(0, 2).view(-1), id="view-transposed-3d"),
    pytest.param(lambda fw: fw.ones(2, 3, 4).permute(2, 0, 1).view(24), id="view-permuted"),
    pytest.param(lambda fw: fw.ones(3, 1).expand(3, 4).view(12), id="view-expanded"),
    pytest.param(lambda fw: fw.ones(4, 4)[::2, :3].view(6), id="view-strided-rows"),
    pytest.param(lambda fw: fw.ones(6).view(-1, -1), id="view-two-inferred"),
    # indexing
    pytest.param(lambda fw: fw.ones(2, 3)[1, 3], id="index-second-dim"),
    pytest.param(lambda fw: fw.ones(3)[-4], id="index-negative"),
    pytest.param(lambda fw: fw.ones(2, 3)[:, -4], id="index-negative-second-dim"),
    pytest.param(lambda fw: fw.ones(3)[fw.tensor([0, 3])], id="index-tensor"),
    pytest.param(lambda fw: fw.ones(3)[fw.tensor([-4])], id="index-tensor-negative"),
    pytest.param(lambda fw: fw.ones(3)[fw.tensor([3], dtype=fw.int32)], id="index-int32-tensor"),
    pytest.param(lambda fw: fw.ones(2, 3)[fw.tensor([0, 1]), fw.tensor([0, 3])], id="index-two-tensors"),
    pytest.param(lambda fw: fw.ones(3)[[0, 5]], id="index-list"),
    pytest.param(lambda fw: fw.ones(3)[0, 0], id="index-too-many"),
    pytest.param(lambda fw: fw.ones(3)[..., 0, 0], id="index-too-many-with-ellipsis"),
    pytest.param(lambda fw: fw.ones(2, 2)[fw.ones(2, 2, dtype=fw.bool), 0], id="index-too-many-after-mask"),
    pytest.param(lambda fw: fw.tensor(1.0)[0], id="index-0d"),
    pytest.param(lambda fw: fw.tensor(1.0)[0:1], id="slice-0d"),
    pytest.param(lambda fw: fw.tensor(1.0)[None, 0], id="index-0d-after-none"),
    pytest.param(lambda fw: fw.tensor(1.0)[fw.tensor(0)], id="index-0d-with-tensor"),
    pytest.param(lambda fw: fw.ones(3)[1.0], id="index-float"),
    pytest.param(lambda fw: fw.ones(3)[{}], id="index-dict"),
    # joins
    pytest.param(lambda fw: fw.cat([fw.ones(2, 2), fw.ones(2, 2)], dim=2), id="cat-dim"),
    pytest.param(lambda fw: fw.cat([fw.ones(2, 2), fw.ones(2, 2)], dim=-3), id="cat-negative-dim"),
    pytest.param(lambda fw: fw.cat([fw.ones(2, 3, 4), fw.ones(2, 4, 4)], dim=2), id="cat-3d-sizes"),
    pytest.param(lambda fw: fw.stack([fw.ones(2), fw.ones(2)], dim=3), id="stack-dim"),
    pytest.param(lambda fw: fw.stack([fw.ones(2), fw.ones(2, 1)]), id="stack-ndim"),
    pytest.param(lambda fw: fw.stack([fw.ones(2, 3), fw.ones(2, 3), fw.ones(3, 2)]), id="stack-third-entry"),
    pytest.param(lambda fw: fw.stack(fw.ones(2, 2)), id="stack-tensor"),
    # integer tensors cannot require grad
    pytest.param(lambda fw: fw.zeros(2, dtype=fw.int32, requires_grad=True), id="int32-requires-grad"),
    pytest.param(lambda fw: fw.tensor([True], requires_grad=True), id="bool-requires-grad"),
    pytest.param(lambda fw: fw.arange(3, requires_grad=True), id="arange-requires-grad"),
    pytest.param(lambda fw: fw.randint(0, 3, (2,), requires_grad=True), id="randint-requires-grad"),
    pytest.param(lambda fw: fw.nn.Parameter(fw.arange(3)), id="int-parameter"),
    # Worded by the kernel matmul dispatches to, by where's broadcasting order, by cat's argument check, and by
    # which way requires_grad is set:
    pytest.param(lambda fw: fw.ones(2, 2) @ fw.ones(2, 2, dtype=fw.int64), id="mm-dtypes"),
    pytest.param(lambda fw: fw.ones(3, dtype=fw.float64) @ fw.ones(3), id="dot-dtypes"),
    pytest.param(lambda fw: fw.ones(2, 3, dtype=fw.float64) @ fw.ones(3), id="mv-dtypes"),
    pytest.param(lambda fw: fw.where(fw.ones(2) > 0, fw.ones(3), fw.ones(2)), id="where-shapes"),
    pytest.param(lambda fw: fw.cat([fw.ones(2), None]), id="cat-none"),
    pytest.param(lambda fw: setattr(fw.arange(3), "requires_grad", True), id="int-requires-grad-setter"),
    pytest.param(lambda fw: fw.arange(3).requires_grad_(), id="int-requires-grad-method"),
]


@pytest.mark.parametrize("bad", MISUSES)
def test_misuse_raises_torch_error(bad) -> None:
    """torch raises; minigrad raises the same exception type with the same message."""
    assert_same_error(bad)


def _index(fw):
    return fw.zeros(2, dtype=fw.int64)


def _function(path: str):
    """fw -> fw.<path>: ``nn.functional.relu`` is fw.nn.functional.relu."""
    return lambda fw: functools.reduce(getattr, path.split("."), fw)


# A number where a function takes a tensor: (name, fw -> the function, fw -> its other arguments).
_SECOND = {name: lambda fw: (fw.ones(2),) for name in ("rsub", "matmul", "maximum", "minimum", "eq", "ne", "lt", "le",
                                                         "gt", "ge")}
_NUMBER_AS_TENSOR = [
    *[(name, _function(name), _SECOND.get(name, lambda fw: ())) for name in (
        "rsub", "neg", "matmul", "exp", "log", "sqrt", "abs", "sigmoid", "relu", "tanh", "eq", "ne", "lt", "le", "gt",
        "ge", "sum", "mean", "max", "min", "argmax", "argmin", "prod", "var", "std", "all", "any", "maximum", "minimum",
        "flatten", "clone", "t", "squeeze")],
    *[(name, _function(name), others) for name, others in (
        ("clamp", lambda fw: (0.0, 1.0)), ("cumsum", lambda fw: (0,)),
        ("masked_fill", lambda fw: (fw.ones(2) > 0, 0.0)),
        ("gather", lambda fw: (0, _index(fw))), ("scatter", lambda fw: (0, _index(fw), fw.ones(2))),
        ("split", lambda fw: (1,)), ("chunk", lambda fw: (2,)), ("reshape", lambda fw: ((2,),)),
        ("transpose", lambda fw: (0, 0)), ("permute", lambda fw: ((0,),)), ("unsqueeze", lambda fw: (0,)),
        ("pow", lambda fw: (3.0,)),
        ("nn.functional.linear", lambda fw: (fw.ones(1, 1),)),
        ("nn.functional.cross_entropy", lambda fw: (_index(fw),)),
        ("nn.functional.nll_loss", lambda fw: (_index(fw),)), ("nn.functional.batch_norm", lambda fw: (None, None)),
        *[(f"nn.functional.{name}", lambda fw: ()) for name in ("relu", "sigmoid", "tanh", "leaky_relu", "softplus",
                                                                 "dropout", "one_hot")])],
    ("nn.Linear", lambda fw: fw.nn.Linear(1, 1), lambda fw: ()),
    ("nn.Sigmoid", lambda fw: fw.nn.Sigmoid(), lambda fw: ()),
    ("nn.ReLU", lambda fw: fw.nn.ReLU(), lambda fw: ()),
]


@pytest.mark.parametrize("function,others", [case[1:] for case in _NUMBER_AS_TENSOR],
                         ids=[case[0] for case in _NUMBER_AS_TENSOR])
def test_a_number_where_a_tensor_goes_is_a_type_error(function, others) -> None:
    """Nothing makes a number a tensor: minigrad raises PyTorch's TypeError, with its message where PyTorch's
    argument parser gives the same one ("must be Tensor"). Where PyTorch's message is another (overloads: "invalid
    combination of arguments") or it fails later (an AttributeError in Python code), minigrad still names the
    function and the argument."""
    _, expected = outcome(lambda fw: function(fw)(2.0, *others(fw)), torch)
    _, actual = outcome(lambda fw: function(fw)(2.0, *others(fw)), minigrad)
    assert isinstance(expected, (TypeError, AttributeError)), f"torch: {expected!r}"
    assert type(actual) is TypeError, f"minigrad: {actual!r}"
    if "must be Tensor, not float" in str(expected):
        assert str(actual) == str(expected)
    else:
        assert re.fullmatch(r"\w+\(\): argument 'input' \(position 1\) must be Tensor, not float", str(actual))


@pytest.mark.parametrize("call", [
    lambda fw: fw.add(2, 3), lambda fw: fw.add(2.0, fw.ones(2)), lambda fw: fw.sub(2.0, 3.0),
    lambda fw: fw.sub(2, fw.arange(3)), lambda fw: fw.mul(True, fw.ones(2)), lambda fw: fw.div(1, 3),
    lambda fw: fw.div(2, fw.arange(1, 4)), lambda fw: fw.pow(2.0, fw.ones(3)), lambda fw: fw.pow(2, fw.arange(3)),
    lambda fw: fw.pow(2.0, exponent=fw.ones(2)),
], ids=["add-numbers", "add-number-tensor", "sub-numbers", "sub-int-tensor", "mul-bool", "div-ints", "div-int-tensor",
        "pow-number-tensor", "pow-int-tensor", "pow-exponent-keyword"])
def test_numbers_pytorch_takes_as_input_give_its_result(call) -> None:
    """add, sub, mul and div take numbers in either place, pow a number base: the result's values and dtype."""
    expected, actual = call(torch), call(minigrad)
    assert str(actual.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1]
    np.testing.assert_array_equal(actual.numpy(), expected.numpy())


def test_empty_loader_without_shuffle_yields_nothing_like_torch() -> None:
    """Over an empty dataset an unshuffled loader has length 0 and yields no batch (no error), as in torch."""
    for fw in FRAMEWORKS:
        for batch_size in (1, 3, None):
            loader = fw.utils.data.DataLoader(_empty_pairs(fw), batch_size=batch_size)
            assert len(loader) == 0 and list(loader) == []


# ----- no state change -----------------------------------------------------------------------------------------
def _version(fw, t) -> int:
    return t._version if fw is torch else versions.version(t._data)


def _rng(fw) -> np.ndarray:
    state = fw.get_rng_state()
    return state.numpy().copy() if isinstance(state, torch.Tensor) else np.array(state)


def _snapshot(fw, *tensors) -> list[tuple]:
    """Everything a misuse could change about each tensor: values, dtype, grad, grad_fn, flags and version."""
    return [(t.detach().numpy().copy(), str(t.dtype),
             None if not t.is_leaf or t.grad is None else t.grad.detach().numpy().copy(),
             t.grad_fn, t.requires_grad, _version(fw, t)) for t in tensors]


def _assert_unchanged(before: list[tuple], after: list[tuple]) -> None:
    assert len(before) == len(after)
    for i, (old, new) in enumerate(zip(before, after)):
        (data, dtype, grad, grad_fn, flag, version), (data2, dtype2, grad2, grad_fn2, flag2, version2) = old, new
        assert dtype == dtype2 and data.dtype == data2.dtype and np.array_equal(data, data2, equal_nan=True), i
        assert (grad is None) == (grad2 is None) and (grad is None or np.array_equal(grad, grad2)), i
        assert grad_fn is grad_fn2 and flag == flag2 and version == version2, i


INPLACE_MISUSES = {
    "broadcast-shape": (lambda fw: fw.ones(2), lambda fw, t: t.add_(fw.ones(2, 2))),
    "float-into-long": (lambda fw: fw.arange(4), lambda fw, t: t.add_(1.5)),
    "divide-long": (lambda fw: fw.arange(4), lambda fw, t: t.div_(2)),
    "long-into-bool": (lambda fw: fw.ones(2, dtype=fw.bool), lambda fw, t: t.add_(1)),
    "clamp_-no-bounds": (lambda fw: fw.ones(3), lambda fw, t: t.clamp_()),
    "leaf-add_": (lambda fw: fw.ones(2, requires_grad=True), lambda fw, t: t.add_(1)),
    "leaf-zero_": (lambda fw: fw.ones(2, requires_grad=True), lambda fw, t: t.zero_()),
    "leaf-uniform_": (lambda fw: fw.ones(2, requires_grad=True), lambda fw, t: t.uniform_()),
    "leaf-normal_": (lambda fw: fw.ones(2, requires_grad=True), lambda fw, t: t.normal_()),
    "view-of-leaf": (lambda fw: fw.ones(2, 2, requires_grad=True), lambda fw, t: t[0].add_(1)),
    "copy_-shape": (lambda fw: fw.zeros(2, 3), lambda fw, t: t.copy_(fw.ones(4))),
    "masked_fill_-float-mask": (lambda fw: fw.ones(2, 3), lambda fw, t: t.masked_fill_(fw.ones(2, 3), 0.0)),
    "non-leaf-broadcast": (lambda fw: fw.ones(2, requires_grad=True) * 2, lambda fw, t: t.mul_(fw.ones(3))),
    "normal_-negative-std": (lambda fw: fw.ones(3), lambda fw, t: t.normal_(0, -1)),
    "uniform_-empty-range": (lambda fw: fw.ones(3), lambda fw, t: t.uniform_(1, 0)),
    "bool-minus-bool": (lambda fw: fw.ones(3, dtype=fw.bool), lambda fw, t: t.sub_(fw.ones(3, dtype=fw.bool))),
    "fill_-1d-tensor": (lambda fw: fw.ones(3), lambda fw, t: t.fill_(fw.ones(2))),
    "expanded-uniform_": (lambda fw: fw.ones(3, 1).expand(3, 3), lambda fw, t: t.uniform_()),
}


@pytest.mark.parametrize("name", INPLACE_MISUSES)
def test_failed_inplace_op_changes_nothing(name: str) -> None:
    """The tensor keeps its values, dtype, grad_fn and version counter, and the generator its state, in both."""
    make, misuse = INPLACE_MISUSES[name]
    for fw in FRAMEWORKS:
        fw.manual_seed(0)
        t = make(fw)
        before, rng = _snapshot(fw, t), _rng(fw)
        with pytest.raises(RuntimeError):
            misuse(fw, t)
        _assert_unchanged(before, _snapshot(fw, t))
        assert np.array_equal(rng, _rng(fw)), fw.__name__


def test_failed_scatter_writes_nothing_where_torch_writes_the_rows_before_the_bad_index() -> None:
    """scatter_ with an index out of range: same error; minigrad's tensor is untouched, torch's row 0 is written."""
    index = [[0], [5], [1]]
    results = []
    for fw in FRAMEWORKS:
        t = fw.zeros(3, 4)
        before = _snapshot(fw, t)
        with pytest.raises(RuntimeError, match="index 5 is out of bounds for dimension 1 with size 4"):
            t.scatter_(1, fw.tensor(index), 1.0)
        results.append(t.tolist())
        if fw is minigrad:
            _assert_unchanged(before, _snapshot(fw, t))
    assert results[0] == [[0.0] * 4] * 3 and results[1][0] == [1.0, 0.0, 0.0, 0.0]


STATE_DICT_MISUSES = {
    "one-bad-shape": lambda fw: {"0.weight": fw.full((3, 2), 7.0), "0.bias": fw.full((3,), 7.0),
                                 "1.weight": fw.full((1, 2), 7.0), "1.bias": fw.full((1,), 7.0)},
    "non-strict-bad-shape": lambda fw: ({"0.weight": fw.full((3, 2), 7.0), "1.weight": fw.full((2, 3), 7.0)}, False),
    "missing-key": lambda fw: {"0.weight": fw.full((3, 2), 7.0), "0.bias": fw.full((3,), 7.0),
                               "1.weight": fw.full((1, 3), 7.0)},
    "unexpected-key": lambda fw: {**_two_layers(fw).state_dict(), "2.weight": fw.ones(1)},
    "not-a-tensor": lambda fw: {"0.weight": fw.full((3, 2), 7.0), "0.bias": [7.0, 7.0, 7.0],
                                "1.weight": fw.full((1, 3), 7.0), "1.bias": fw.full((1,), 7.0)},
    "not-a-dict": lambda fw: list(_two_layers(fw).state_dict().items()),
}


@pytest.mark.parametrize("name", STATE_DICT_MISUSES)
def test_failed_load_state_dict_changes_no_parameter(name: str) -> None:
    """Every parameter keeps its values and version when load_state_dict raises (minigrad checks every key and
    shape before copying; torch copies each good key as it goes, so its model is partly loaded, see below)."""
    model = _two_layers(minigrad)
    params = list(model.parameters())
    before = _snapshot(minigrad, *params)
    args = STATE_DICT_MISUSES[name](minigrad)
    state, strict = args if isinstance(args, tuple) else (args, True)
    with pytest.raises((RuntimeError, TypeError)):
        model.load_state_dict(state, strict=strict)
    _assert_unchanged(before, _snapshot(minigrad, *params))


def test_torch_partly_loads_a_state_dict_that_minigrad_refuses_whole() -> None:
    """The documented difference: same error, but torch has copied the keys of the right shape before raising."""
    loaded = []
    for fw in FRAMEWORKS:
        model = _two_layers(fw)
        with pytest.raises(RuntimeError, match=r"size mismatch for 1\.weight"):
            model.load_state_dict(STATE_DICT_MISUSES["one-bad-shape"](fw))
        loaded.append(bool((model[0].weight == 7.0).all()))
    assert loaded == [False, True]


@pytest.mark.parametrize("optimizer,options", [
    ("SGD", {"momentum": 0.9}), ("Adam", {}), ("AdamW", {}), ("Adagrad", {}), ("RMSprop", {"centered": True}),
    ("Adadelta", {}), ("NAdam", {}),
])
def test_failed_optimizer_step_changes_nothing(optimizer: str, options: dict) -> None:
    """A step over state buffers shaped for another model raises torch's broadcasting error before any update:
    parameters, gradients, version counters and every state tensor (step counts included) are as before.
    (torch raises the same error, but its AdamW has decayed the weight by then.)"""
    _, expected = outcome(lambda fw: _step_with_buffers_of_another_model(fw, optimizer, **options)[1].step(), torch)
    model, opt = _step_with_buffers_of_another_model(minigrad, optimizer, **options)
    params = list(model.parameters())
    before = _snapshot(minigrad, *params)
    state_before = [{k: v.detach().numpy().copy() for k, v in opt.state[p].items()} for p in params]
    with pytest.raises(RuntimeError) as raised:
        opt.step()
    assert str(raised.value) == str(expected)
    _assert_unchanged(before, _snapshot(minigrad, *params))
    for p, old in zip(params, state_before):
        now = {k: v.detach().numpy().tolist() for k, v in opt.state[p].items()}
        assert now == {k: v.tolist() for k, v in old.items()}


def test_failed_param_group_changes_no_group() -> None:
    """add_param_group refusing a duplicate or a non-leaf leaves the optimizer's groups as they were."""
    p, q = minigrad.nn.Parameter(minigrad.ones(2)), minigrad.nn.Parameter(minigrad.ones(3))
    opt = minigrad.optim.SGD([p], lr=0.1)
    groups = [dict(g) for g in opt.param_groups]
    for extra in ([p], [q, p], [q * 2]):
        with pytest.raises(ValueError):
            opt.add_param_group({"params": extra})
        assert [dict(g) for g in opt.param_groups] == groups and opt.param_groups[0]["params"] == [p]


def test_refused_conversions_and_assignments_change_nothing() -> None:
    """Module.to(an integer dtype), assigning a wrong grad, requires_grad on an integer tensor: all refused
    before anything changes, in both frameworks."""
    for fw in FRAMEWORKS:
        model = _two_layers(fw)
        params = list(model.parameters())
        params[0].grad = fw.ones(3, 2)
        before = _snapshot(fw, *params)
        with pytest.raises(TypeError):
            model.to(fw.int64)
        for bad in (fw.ones(3, 2, dtype=fw.float64), fw.ones(2, 3), [1.0]):
            with pytest.raises((RuntimeError, TypeError)):
                params[0].grad = bad
        _assert_unchanged(before, _snapshot(fw, *params))
        counts = fw.arange(3)
        with pytest.raises(RuntimeError):
            counts.requires_grad_()
        assert not counts.requires_grad and counts.dtype == fw.int64


def _failing_backward(fw, how: str):
    """A graph over two leaves whose backward fails after the branch of ``a`` has run: that branch was recorded
    last, so it runs first, and its AccumulateGrad before the branch of ``b`` fails (at ExpBackward, whose saved
    result was freed by a first backward or modified in place)."""
    a, b = fw.ones(2, requires_grad=True), fw.ones(2, requires_grad=True)
    e = b.exp()
    from_b = (e * 2).sum()
    h = a + 1
    h.retain_grad()
    z = from_b + h.sum()
    if how == "freed":
        z.backward()
    else:
        e.add_(1)
    return a, b, h, z


@pytest.mark.parametrize("how", ["freed", "modified"])
def test_failed_backward_changes_no_grad_and_frees_nothing(how: str) -> None:
    """backward through a freed graph, or over a saved tensor modified in place, raises torch's error with
    every leaf's .grad and every retained .grad as before, and (for the second) the graph still whole: a retry
    raises the same error, not the freed-graph one. torch has accumulated into ``a`` by the time it raises."""
    grads = {}
    for fw in FRAMEWORKS:
        a, b, h, z = _failing_backward(fw, how)
        before = [None if t.grad is None else t.grad.tolist() for t in (a, b, h)]
        with pytest.raises(RuntimeError) as first:
            z.backward()
        grads[fw.__name__] = ([None if t.grad is None else t.grad.tolist() for t in (a, b, h)], before)
        if fw is minigrad:
            with pytest.raises(RuntimeError) as again:
                z.backward()
            assert str(again.value) == str(first.value)
    after, before = grads["minigrad"]
    assert after == before
    torch_after, torch_before = grads["torch"]
    assert torch_after[0] != torch_before[0]  # torch's a.grad changed before its error


def test_random_misuses_leave_the_generator_where_it_was() -> None:
    """A random function or a shuffled loader that refuses its arguments draws nothing (both frameworks)."""
    misuses = [
        lambda fw: fw.randint(5, 2, (3,)),
        lambda fw: fw.rand(-1),
        lambda fw: fw.randperm(-1),
        lambda fw: fw.nn.functional.dropout(fw.ones(3), p=1.5),
        lambda fw: fw.nn.init.xavier_uniform_(fw.ones(3)),
        lambda fw: fw.utils.data.DataLoader(_empty_pairs(fw), shuffle=True),
        lambda fw: fw.utils.data.random_split(range(5), [2, 2]),
    ]
    for fw in FRAMEWORKS:
        fw.manual_seed(3)
        for misuse in misuses:
            state = _rng(fw)
            _, error = outcome(misuse, fw)
            assert error is not None and np.array_equal(state, _rng(fw)), (fw.__name__, error)


# ----- scale --------------------------------------------------------------------------------------------------
SCALE_SECONDS = 10.0  # each graph below builds and runs backward well within this (0.3-2 s here)


def test_fan_in_of_10000_products_of_one_leaf() -> None:
    """y = sum_i x * i over 10,000 products: 10,000 edges into one leaf (and a 10,000-deep chain of additions).
    The gradient is exactly sum(i) = 49,995,000 (float64), as in torch."""
    start = time.perf_counter()
    grads = []
    for fw in FRAMEWORKS:
        x = fw.tensor(1.0, dtype=fw.float64, requires_grad=True)
        sum(x * float(i) for i in range(10_000)).backward()
        grads.append(x.grad.item())
    assert grads == [49_995_000.0, 49_995_000.0]
    assert time.perf_counter() - start < SCALE_SECONDS


def test_stack_of_10000_pieces() -> None:
    """stack of 10,000 pieces x[i] * 2: one node with 10,000 inputs, each an index of the same leaf."""
    start = time.perf_counter()
    x = minigrad.arange(10_000.0).requires_grad_()
    pieces = [x[i] * 2 for i in range(10_000)]
    minigrad.stack(pieces).sum().backward()
    assert x.grad.shape == (10_000,) and bool((x.grad == 2).all())
    assert time.perf_counter() - start < SCALE_SECONDS


def test_100000_nodes_each_used_twice_then_freed_without_the_collector() -> None:
    """y = (y + y) * 0.5, 50,000 times: 100,000 nodes, each feeding the next twice (every node waits for two
    gradients). The gradient is exactly 1; and once backward has run and the output is deleted, the whole graph
    is freed by reference counting alone (a weakref to its first node dies with the cycle collector off), without
    a recursion error while the 100,000 nested nodes are deallocated."""
    start = time.perf_counter()
    x = minigrad.tensor(1.0, requires_grad=True)
    y = (x + x) * 0.5
    first = weakref.ref(y.grad_fn.next_nodes[0])
    for _ in range(49_999):
        y = (y + y) * 0.5
    y.backward()
    assert x.grad.item() == 1.0
    enabled = gc.isenabled()
    gc.disable()
    try:
        del y
        assert first() is None
    finally:
        if enabled:
            gc.enable()
    assert time.perf_counter() - start < SCALE_SECONDS


# ----- memory -----------------------------------------------------------------------------------------------------
def _logistic_regression():
    """The seed's logistic regression (reference/programs.py): Linear(2, 1) + Sigmoid, BCE, SGD(lr=1)."""
    fw, program = minigrad, LOGISTIC_REGRESSION
    fw.manual_seed(program.seed)
    x, y = program.data(fw)
    model = program.model(fw)
    return model, program.optimizer(fw, model.parameters()), x, y, program.loss(fw)


def _mlp(fw=minigrad):
    """A small MLP on XOR: Linear(2, 8), Sigmoid, Linear(8, 1), MSE, SGD(lr=0.1, momentum=0.9)."""
    fw.manual_seed(0)
    x = fw.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = fw.tensor([[0.0], [1.0], [1.0], [0.0]])
    model = fw.nn.Sequential(fw.nn.Linear(2, 8), fw.nn.Sigmoid(), fw.nn.Linear(8, 1))
    return model, fw.optim.SGD(model.parameters(), lr=0.1, momentum=0.9), x, y, fw.nn.functional.mse_loss


def _fill_free_lists() -> None:
    """Fill CPython's free lists (2,000 tuples of each size under 20, floats, dicts, lists) before tracing, so
    that their filling is not read as growth: ``tuple(generator)`` builds a tuple in one size and frees it in
    another, so the free list of the second size gains a block most steps until it holds 2,000 (over ~20,000
    steps); untraced blocks taken from a full list and freed leave the traced total unchanged."""
    keep = [tuple(range(n)) for n in range(1, 20) for _ in range(2000)]
    keep += [float(i) + 0.5 for i in range(200)] + [{} for _ in range(200)] + [[] for _ in range(200)]
    del keep


def _settle_interned_strings() -> None:
    """Resize CPython's table of interned strings while tracemalloc traces, so that its resizing is not read as
    growth. numpy's ``__array_interface__`` (read by every strided copy) interns a fresh key each call, and
    CPython rebuilds the table (a 1.9 MB block) every ~20,000 such reads: the first rebuild under tracing would
    count the new block and not the untraced old one it frees; later ones free a traced block of the same size."""
    array = np.empty(0)
    start = tracemalloc.get_traced_memory()[0]
    for _ in range(200_000):
        _ = array.__array_interface__
        if tracemalloc.get_traced_memory()[0] - start > 1_000_000:
            break


STEPS = 10_000
WARM_UP = 300  # untraced steps first: the kernels' types and the model's state settle
TRACED_STEPS = 500
MAX_BLOCKS = 500  # allocated blocks (live Python objects) added over 10,000 steps: < 1 per 20 steps
MAX_GROWTH = 32 * 1024  # bytes left allocated after 500 traced steps: < 64 bytes a step
MAX_PEAK = 256 * 1024  # bytes above the baseline at any moment of those steps: one step's graph is ~15 KB


def _memory_profile(build) -> dict[str, float]:
    """Train with the cycle collector off: warm up, trace TRACED_STEPS steps (growth, peak), then run STEPS
    steps untraced counting allocated blocks and gc-tracked objects; finally, what the collector finds."""
    model, optimizer, x, y, loss_fn = build()

    def step() -> None:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    for _ in range(WARM_UP):
        step()
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        _fill_free_lists()
        tracemalloc.start()
        try:
            _settle_interned_strings()
            for _ in range(50):
                step()
            base = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            for _ in range(TRACED_STEPS):
                step()
            current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        blocks, objects = sys.getallocatedblocks(), len(gc.get_objects())
        start = time.perf_counter()
        for _ in range(STEPS):
            step()
        seconds = time.perf_counter() - start
        blocks, objects = sys.getallocatedblocks() - blocks, len(gc.get_objects()) - objects
        unreachable = gc.collect()
    finally:
        if enabled:
            gc.enable()
    return {"growth": current - base, "peak": peak - base, "blocks": blocks, "objects": objects,
            "unreachable": unreachable, "seconds": seconds}


@pytest.mark.parametrize("build", [_logistic_regression, _mlp], ids=["logistic-regression", "mlp"])
def test_training_memory_is_flat_without_the_cycle_collector(build) -> None:
    """10,000 steps with gc disabled: fewer than MAX_BLOCKS allocated blocks and fewer than 10 gc-tracked
    objects more (one leaked object a step would be 10,000), and nothing for the collector to find afterwards
    (no cycle keeps a graph alive). Over 500 traced steps: growth < MAX_GROWTH, peak < MAX_PEAK above the
    baseline. Measured here: growth ~1.5-2 KB, peak ~14-15 KB, blocks 2-25, objects 0, unreachable 0; 10,000
    steps in ~3 s, the whole test ~6 s. (tracemalloc slows a step ~4x, so it traces 500 steps; the block and
    object counts cover all 10,000.)"""
    profile = _memory_profile(build)
    assert profile["blocks"] < MAX_BLOCKS, profile
    assert profile["objects"] < 10, profile
    assert profile["unreachable"] == 0, profile
    assert profile["growth"] < MAX_GROWTH, profile
    assert profile["peak"] < MAX_PEAK, profile


def test_graphs_are_freed_by_reference_counting() -> None:
    """With the cycle collector off: the loss's grad_fn dies with ``del loss`` once backward ran; so does a leaf
    made each step with requires_grad (its AccumulateGrad node) and a retained non-leaf (its retain_grad hook),
    over 1,000 steps with no gc-tracked object left behind (fewer than 10 more, for one-off caches)."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        model, optimizer, x, y, loss_fn = _mlp()
        loss = loss_fn(model(x), y)
        loss.backward()
        node = weakref.ref(loss.grad_fn)
        del loss
        assert node() is None

        def step() -> list[weakref.ref]:
            inputs = minigrad.tensor([[0.0, 1.0], [1.0, 0.0]], requires_grad=True)
            hidden = model[0](inputs)
            hidden.retain_grad()
            loss = loss_fn(model[2](model[1](hidden)), y[:2])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            assert hidden.grad is not None and inputs.grad is not None
            return [weakref.ref(t) for t in (inputs, hidden, loss)] + [weakref.ref(loss.grad_fn)]

        assert all(ref() is None for ref in step())
        objects = len(gc.get_objects())
        alive = sum(ref() is not None for _ in range(1_000) for ref in step())
        assert alive == 0 and len(gc.get_objects()) - objects < 10  # a leak of one object a step would be 1,000
    finally:
        if enabled:
            gc.enable()


# ----- threads ----------------------------------------------------------------------------------------------------
def test_no_grad_in_one_thread_does_not_affect_another_running_at_the_same_time() -> None:
    """Thread A sits inside ``no_grad`` (and thread C inside ``set_grad_enabled(False)``) while thread B records
    a graph; then A records none. The steps interleave in a fixed order (events), so the check is deterministic."""
    x = minigrad.ones(2, requires_grad=True)
    a_inside, b_done, c_inside = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def thread_a() -> None:
        with minigrad.no_grad():
            a_inside.set()
            b_done.wait(10)
            seen["a"] = ((x * 2).grad_fn, minigrad.is_grad_enabled())

    def thread_c() -> None:
        minigrad.set_grad_enabled(False)
        c_inside.set()
        b_done.wait(10)
        seen["c"] = ((x * 2).grad_fn, minigrad.is_grad_enabled())

    def thread_b() -> None:
        a_inside.wait(10)
        c_inside.wait(10)
        y = (x * 3).sum()
        y.backward()
        seen["b"] = (y.grad_fn is not None, minigrad.is_grad_enabled(), x.grad.tolist())
        b_done.set()

    threads = [threading.Thread(target=f) for f in (thread_a, thread_b, thread_c)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert seen == {"a": (None, False), "b": (True, True, [3.0, 3.0]), "c": (None, False)}
    assert minigrad.is_grad_enabled()


def _train(build, steps: int, start: threading.Barrier | None = None, evaluate: bool = False):
    """Train a model built (and seeded) by ``build``, with its own data and optimizer; the losses and the final
    parameters. With ``evaluate``, also run the model under no_grad after each step (no graph may appear)."""
    model, optimizer, x, y, loss_fn = build
    if start is not None:
        start.wait(30)
    losses = []
    for _ in range(steps):
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if evaluate:
            with minigrad.no_grad():
                assert model(x).grad_fn is None
    return losses, [p.detach().numpy().copy() for p in model.parameters()]


def test_two_threads_training_match_two_sequential_runs() -> None:
    """The seed's logistic regression and the MLP, trained for 500 steps each in two threads at once (one also
    evaluating under no_grad after each step), give bit for bit the losses and parameters of two sequential
    runs. Both models are built (all random draws made) before the threads start; a 10 us switch interval
    makes the threads interleave often."""
    steps = 500
    sequential = [_train(_logistic_regression(), steps), _train(_mlp(), steps)]
    builds = [_logistic_regression(), _mlp()]
    results: list = [None, None]
    start = threading.Barrier(2)

    def run(i: int) -> None:
        results[i] = _train(builds[i], steps, start, evaluate=i == 1)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        sys.setswitchinterval(interval)
    for (losses, params), (seq_losses, seq_params) in zip(results, sequential):
        assert losses == seq_losses
        assert all(np.array_equal(a, b) for a, b in zip(params, seq_params))
