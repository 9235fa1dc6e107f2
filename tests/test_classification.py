"""Classification against PyTorch: softmax, log_softmax, nll_loss, cross_entropy and one_hot; the activation and
loss modules, Flatten, ModuleList and BatchNorm1d: values, gradients, running statistics, reprs and errors.

On the CPU (one thread, as conftest sets) softmax, log_softmax, nll_loss and cross_entropy are compared bit for
bit; everything else within conftest's TOLERANCES.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error, numpy_of

import minigrad

FRAMEWORKS = (minigrad, torch)


def tensor(fw: Any, values: Any, device: str, **kwargs: Any) -> Any:
    """fw.tensor(values), on ``device`` when fw is torch."""
    return fw.tensor(values, **kwargs) if fw is minigrad else fw.tensor(values, device=device, **kwargs)


def run_both(fn: Callable[..., Any], arrays: list[np.ndarray], device: str = "cpu",
             backward: bool = True) -> list[tuple[Any, list[Any]]]:
    """[(output, input gradients)] for minigrad, then torch: fn(fw, *leaves), backpropagating one random cotangent."""
    results = []
    for fw in FRAMEWORKS:
        leaves = [tensor(fw, a, device, requires_grad=backward) for a in arrays]
        out = fn(fw, *leaves)
        if backward:
            cotangent = np.random.default_rng(7).standard_normal(tuple(out.shape)).astype(arrays[0].dtype)
            out.backward(tensor(fw, cotangent, device))
        results.append((out, [leaf.grad for leaf in leaves] if backward else []))
    return results


def assert_same(actual: Any, expected: Any, what: str, device: str) -> None:
    """Bit for bit on the CPU; within TOLERANCES on another torch device."""
    if device != "cpu":
        assert_close(actual, expected, what)
        return
    assert tuple(actual.shape) == tuple(expected.shape), what
    assert str(actual.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1], what
    a, e = numpy_of(actual), numpy_of(expected)
    assert np.array_equal(a, e, equal_nan=True), f"{what}: max |difference| {np.nanmax(np.abs(a - e))}"


def assert_runs_match(results: list[tuple[Any, list[Any]]], device: str, exact: bool = True) -> None:
    (out, grads), (torch_out, torch_grads) = results
    check = assert_same if exact else lambda a, e, what, _: assert_close(a, e, what)
    check(out, torch_out, "output", device)
    for i, (grad, torch_grad) in enumerate(zip(grads, torch_grads)):
        check(grad, torch_grad, f"gradient of input {i}", device)


RNG = np.random.default_rng(2024)
LOGITS = {"2d": (RNG.standard_normal((9, 5)) * 3), "3d": RNG.standard_normal((3, 4, 6)) * 3,
          "1d": RNG.standard_normal(6) * 3}
INDICES = {"2d": np.array([0, 4, 1, 1, 3, 2, 4, 0, 3]), "3d": RNG.integers(0, 4, (3, 6)), "1d": np.array(2)}
IGNORED = {"2d": np.array([0, -100, 1, 1, 3, -100, 4, 0, 3]), "3d": np.where(INDICES["3d"] == 2, -100, INDICES["3d"]),
           "1d": np.array(-100)}


def _probabilities(shape: tuple[int, ...]) -> np.ndarray:
    """Random class probabilities: positive, summing to 1 along the class dim (0 for 1-D, else 1)."""
    p = RNG.uniform(0.05, 1.0, shape)
    return p / p.sum(axis=0 if len(shape) == 1 else 1, keepdims=True)


PROBABILITIES = {key: _probabilities(x.shape) for key, x in LOGITS.items()}
CLASS_WEIGHTS = {"2d": np.array([0.5, 2.0, 1.0, 3.0, 0.25]), "3d": np.array([1.5, 0.5, 2.0, 1.0]),
                 "1d": np.array([1.0, 2.0, 0.5, 0.5, 3.0, 1.0])}

CE_CASES = {
    "indices": {"target": INDICES},
    "ignored": {"target": IGNORED},
    "ignore-index-1": {"target": INDICES, "ignore_index": 1},
    "weighted": {"target": IGNORED, "weight": True},
    "smoothing": {"target": IGNORED, "label_smoothing": 0.2},
    "smoothing-weighted": {"target": IGNORED, "weight": True, "label_smoothing": 0.1},
    "probabilities": {"target": PROBABILITIES},
    "probabilities-weighted-smoothing": {"target": PROBABILITIES, "weight": True, "label_smoothing": 0.3},
}


@pytest.mark.parametrize("rank", ["2d", "3d", "1d"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", CE_CASES)
def test_cross_entropy_matches_torch_bit_for_bit(case: str, dtype: str, reduction: str, rank: str,
                                                 device: str) -> None:
    options = CE_CASES[case]
    target = options["target"][rank]
    soft = target.dtype.kind == "f"

    def loss(fw: Any, x: Any) -> Any:
        kwargs = {k: v for k, v in options.items() if k in ("ignore_index", "label_smoothing")}
        if options.get("weight"):
            kwargs["weight"] = tensor(fw, CLASS_WEIGHTS[rank].astype(dtype), device)
        y = tensor(fw, target.astype(dtype) if soft else target, device)
        return fw.nn.functional.cross_entropy(x, y, reduction=reduction, **kwargs)

    if device == "cuda" and rank == "1d" and reduction == "mean" and not soft and target.item() == -100 \
            and "label_smoothing" not in options:
        # PyTorch's CUDA kernel returns 0 for the mean over one ignored target (a 1-d input), its CPU kernel 0/0 = nan
        # (ATen's nll_loss_forward_reduce_cuda_kernel_1d, pytorch/pytorch#64572). minigrad follows the CPU.
        assert loss(torch, tensor(torch, LOGITS[rank].astype(dtype), device)).item() == 0.0
        device = "cpu"
    assert_runs_match(run_both(loss, [LOGITS[rank].astype(dtype)], device), device)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_nll_loss_cascade_sum_is_bit_exact_over_many_samples(dtype: str, reduction: str, weighted: bool) -> None:
    rng = np.random.default_rng(5)
    x = rng.standard_normal((5003, 7)).astype(dtype)
    target = np.where(rng.random(5003) < 0.1, -100, rng.integers(0, 7, 5003))
    weight = rng.uniform(0.1, 3.0, 7).astype(dtype)

    def loss(fw: Any, logp: Any) -> Any:
        return fw.nn.functional.nll_loss(logp, fw.tensor(target), weight=fw.tensor(weight) if weighted else None,
                                         reduction=reduction)

    assert_runs_match(run_both(loss, [x]), "cpu")


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_nll_loss_of_4d_input_matches_torch(dtype: str, reduction: str, device: str) -> None:
    """(N, C, H, W) inputs, NllLoss2DBackward0 (not in op_cases: torch's backward refuses non-contiguous ones)."""
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, 3, 4, 5)).astype(dtype)
    target = np.where(rng.random((2, 4, 5)) < 0.2, 7, rng.integers(0, 3, (2, 4, 5)))

    def loss(fw: Any, logp: Any) -> Any:
        weight = tensor(fw, np.array([0.5, 1.5, 2.0], dtype), device)
        out = fw.nn.functional.nll_loss(logp, tensor(fw, target, device), weight=weight, ignore_index=7,
                                        reduction=reduction)
        assert repr(out.grad_fn).startswith("<NllLoss2DBackward0 ")
        return out

    assert_runs_match(run_both(loss, [x], device), device)


def test_nll_loss_of_1d_input_with_a_one_element_target_matches_torch_forward() -> None:
    """torch accepts target (1,) for a (C,) input in forward, but its backward then refuses it: forward only."""
    x = np.array([0.5, -1.0, 2.0], np.float32)
    outs = [fw.nn.functional.nll_loss(fw.tensor(x), fw.tensor([2]), reduction=r) for fw in FRAMEWORKS
            for r in ("mean", "none")]
    for ours, theirs in zip(outs[:2], outs[2:]):
        assert_same(ours, theirs, "loss", "cpu")


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("shape", "dim", "scale"), [
    ((6,), 0, 3.0), ((4, 10), 1, 3.0), ((4, 10), 0, 3.0), ((2, 33, 3), 1, 3.0), ((2, 3, 33), -1, 3.0),
    ((3, 1000), 1, 3.0), ((1000, 3), 0, 3.0), ((5, 6), 1, 1e4), ((6, 5), 0, 1e4), ((), 0, 1.0),
    ((300, 10), 1, 3.0), ((2, 3000), 1, 3.0)])  # rows in blocks of 2048 elements: a partial last block; one row each
def test_softmax_and_log_softmax_match_torch_bit_for_bit(shape: tuple[int, ...], dim: int, scale: float, dtype: str,
                                                         log: bool, device: str) -> None:
    x = (np.random.default_rng(len(shape) + dim).uniform(-1, 1, shape) * scale).astype(dtype)

    def fn(fw: Any, x: Any) -> Any:
        return (fw.nn.functional.log_softmax if log else fw.nn.functional.softmax)(x, dim)

    assert_runs_match(run_both(fn, [x], device), device)


def test_softmax_of_huge_logits_is_finite_and_sums_to_one() -> None:
    x = minigrad.tensor([[1e4, 1e4 - 1, -1e4], [-1e4, -1e4 + 2, -1e4 + 1]])
    probabilities = minigrad.nn.functional.softmax(x, dim=1)
    log_probabilities = minigrad.nn.functional.log_softmax(x, dim=1)
    assert np.isfinite(probabilities.numpy()).all() and np.isfinite(log_probabilities.numpy()).all()
    np.testing.assert_allclose(probabilities.sum(1).numpy(), [1, 1], rtol=1e-6)
    np.testing.assert_allclose(log_probabilities.exp().numpy(), probabilities.numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_dtype_argument_and_implicit_dim_warning_match_torch(name: str) -> None:
    x = np.random.default_rng(1).standard_normal((2, 3, 4)).astype(np.float32)
    results = []
    for fw in FRAMEWORKS:
        fn = getattr(fw.nn.functional, name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            implicit = fn(fw.tensor(x))
        cast = fn(fw.tensor(x), 1, dtype=fw.float64)
        module = (fw.nn.Softmax if name == "softmax" else fw.nn.LogSoftmax)()
        with warnings.catch_warnings(record=True) as caught_module:
            warnings.simplefilter("always")
            module(fw.tensor(x))
        results.append((implicit, cast, [str(w.message) for w in caught], caught[0].filename,
                        caught_module[0].filename))
    (ours, ours_cast, messages, file, module_file), (theirs, theirs_cast, torch_messages, *_) = results
    assert_same(ours, theirs, "implicit dim 0 (3-D input)", "cpu")
    assert_same(ours_cast, theirs_cast, "dtype=float64", "cpu")
    assert messages == torch_messages
    assert file == module_file == __file__  # both warnings point at the caller, as torch's do


@pytest.mark.parametrize(("values", "num_classes"), [
    ([0, 2, 1], -1), ([0, 2, 1], 5), ([[1, 0], [3, 3]], -1), (4, 6), ([], 3), ([[]], 2)])
def test_one_hot_matches_torch(values: Any, num_classes: int, device: str) -> None:
    ours = minigrad.nn.functional.one_hot(minigrad.tensor(values, dtype=minigrad.int64), num_classes)
    theirs = torch.nn.functional.one_hot(torch.tensor(values, dtype=torch.int64, device=device), num_classes)
    assert_same(ours, theirs, "one_hot", "cpu" if device == "cpu" else device)
    assert not ours.requires_grad


ACTIVATIONS = {
    "leaky_relu": lambda fw, x: fw.nn.functional.leaky_relu(x),
    "leaky_relu-0.2": lambda fw, x: fw.nn.functional.leaky_relu(x, 0.2),
    "LeakyReLU-1.5": lambda fw, x: fw.nn.LeakyReLU(1.5)(x),
    "softplus": lambda fw, x: fw.nn.functional.softplus(x * 8),
    "Softplus-2-1": lambda fw, x: fw.nn.Softplus(beta=2, threshold=1)(x),
    "Softmax": lambda fw, x: fw.nn.Softmax(dim=0)(x),
    "LogSoftmax": lambda fw, x: fw.nn.LogSoftmax(-1)(x),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activations_match_torch(name: str, dtype: str, device: str) -> None:
    x = np.random.default_rng(3).uniform(-3, 3, (5, 7)).astype(dtype)
    assert_runs_match(run_both(ACTIVATIONS[name], [x], device), device, exact=False)


LOSS_MODULES = {
    "CrossEntropyLoss": lambda fw: fw.nn.CrossEntropyLoss(),
    "CrossEntropyLoss-options": lambda fw: fw.nn.CrossEntropyLoss(weight=fw.tensor(CLASS_WEIGHTS["2d"]).float(),
                                                                  ignore_index=1, reduction="sum",
                                                                  label_smoothing=0.25),
    "NLLLoss": lambda fw: fw.nn.NLLLoss(),
    "NLLLoss-options": lambda fw: fw.nn.NLLLoss(weight=fw.tensor(CLASS_WEIGHTS["2d"]).float(), ignore_index=4,
                                                reduction="none"),
}


@pytest.mark.parametrize("name", LOSS_MODULES)
def test_loss_modules_match_torch(name: str) -> None:
    target = INDICES["2d"]

    def loss(fw: Any, x: Any) -> Any:
        module = LOSS_MODULES[name](fw)
        return module(x if name.startswith("Cross") else fw.nn.functional.log_softmax(x, 1), fw.tensor(target))

    assert_runs_match(run_both(loss, [LOGITS["2d"].astype(np.float32)]), "cpu")


def test_loss_modules_keep_torch_attributes_and_legacy_reduction_flags() -> None:
    modules = []
    for fw in FRAMEWORKS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            legacy = fw.nn.NLLLoss(size_average=False)
        module = fw.nn.CrossEntropyLoss(weight=fw.ones(3), ignore_index=2, label_smoothing=0.1)
        modules.append((legacy.reduction, [str(w.message) for w in caught], module.ignore_index,
                        module.label_smoothing, module.reduction, list(module.state_dict()), repr(module)))
    assert modules[0] == modules[1]


@pytest.mark.parametrize(("shape", "start", "end"), [((2, 3, 4), 1, -1), ((2, 3, 4, 5), 0, 2), ((2, 3, 4, 5), 2, 3),
                                                     ((2, 3), 1, 1), ((4,), 0, -1)])
def test_flatten_matches_torch(shape: tuple[int, ...], start: int, end: int, device: str) -> None:
    x = np.random.default_rng(4).standard_normal(shape).astype(np.float32)
    assert_runs_match(run_both(lambda fw, t: fw.nn.Flatten(start, end)(t), [x], device), device)


REPRS = {
    "Softmax": lambda fw: fw.nn.Softmax(),
    "Softmax-1": lambda fw: fw.nn.Softmax(dim=1),
    "LogSoftmax": lambda fw: fw.nn.LogSoftmax(-1),
    "LeakyReLU": lambda fw: fw.nn.LeakyReLU(),
    "LeakyReLU-inplace": lambda fw: fw.nn.LeakyReLU(0.2, inplace=True),
    "Softplus": lambda fw: fw.nn.Softplus(),
    "Softplus-2-10": lambda fw: fw.nn.Softplus(2, 10),
    "CrossEntropyLoss": lambda fw: fw.nn.CrossEntropyLoss(label_smoothing=0.1),
    "NLLLoss": lambda fw: fw.nn.NLLLoss(weight=fw.ones(3)),
    "Flatten": lambda fw: fw.nn.Flatten(),
    "Flatten-0-2": lambda fw: fw.nn.Flatten(0, 2),
    "BatchNorm1d": lambda fw: fw.nn.BatchNorm1d(3),
    "BatchNorm1d-options": lambda fw: fw.nn.BatchNorm1d(3, eps=1e-3, momentum=None, affine=False,
                                                        track_running_stats=False),
    "BatchNorm1d-no-bias": lambda fw: fw.nn.BatchNorm1d(4, momentum=0.5, bias=False),
    "ModuleList-empty": lambda fw: fw.nn.ModuleList(),
    "ModuleList": lambda fw: fw.nn.ModuleList([fw.nn.Linear(2, 2), fw.nn.Linear(2, 2), fw.nn.Linear(2, 3),
                                               fw.nn.Sequential(fw.nn.Linear(1, 1), fw.nn.Tanh()), fw.nn.ReLU(),
                                               fw.nn.ReLU(), fw.nn.ReLU(), fw.nn.Flatten()]),
    "model": lambda fw: fw.nn.Sequential(fw.nn.Flatten(), fw.nn.Linear(12, 8), fw.nn.BatchNorm1d(8),
                                         fw.nn.LeakyReLU(0.1), fw.nn.Linear(8, 3), fw.nn.LogSoftmax(dim=1)),
}


@pytest.mark.parametrize("name", REPRS)
def test_repr_equals_torch(name: str) -> None:
    ours, theirs = (REPRS[name](fw) for fw in FRAMEWORKS)
    assert repr(ours) == repr(theirs)


def _module_list_story(fw: Any) -> list[Any]:
    """The same sequence of ModuleList operations, and what each shows."""
    layers = fw.nn.ModuleList([fw.nn.Linear(2, 2), fw.nn.ReLU()])
    shown = [len(layers), repr(layers)]
    layers.append(fw.nn.Linear(2, 1))
    layers.extend([fw.nn.Tanh(), fw.nn.Sigmoid()])
    layers.insert(1, fw.nn.Linear(2, 2, bias=False))
    shown += [len(layers), [type(m).__name__ for m in layers], type(layers[-1]).__name__, type(layers[1]).__name__]
    shown += [[n for n, _ in layers.named_parameters()], list(layers.state_dict())]
    part = layers[1:4]
    shown += [type(part).__name__, len(part), [type(m).__name__ for m in part], part[0] is layers[1]]
    layers[0] = fw.nn.Identity()
    del layers[2]
    shown += [repr(layers), [n for n, _ in layers.named_children()]]
    del layers[::2]
    popped = layers.pop(0)
    shown += [type(popped).__name__, repr(layers)]
    layers += [fw.nn.ReLU()]
    combined = layers + fw.nn.ModuleList([fw.nn.ReLU()])
    shown += [repr(layers), repr(combined), "0" in dir(layers)]
    holder = fw.nn.Module()
    holder.blocks = layers
    shown += [[n for n, _ in holder.named_modules()]]
    return shown


def test_module_list_behaves_like_torch() -> None:
    ours, theirs = _module_list_story(minigrad), _module_list_story(torch)
    assert [str(x).replace("minigrad.", "torch.") for x in ours] == [str(x) for x in theirs]


def test_module_list_parameters_train_with_the_model() -> None:
    for fw in FRAMEWORKS:
        fw.manual_seed(0)
        layers = fw.nn.ModuleList([fw.nn.Linear(3, 3) for _ in range(2)])
        x = fw.ones(4, 3)
        for layer in layers:
            x = layer(x).relu()
        x.sum().backward()
        assert all(p.grad is not None for p in layers.parameters())
        assert len(list(layers.parameters())) == 4


def _batch_norm_steps(fw: Any, build: Callable[[Any], Any], shape: tuple[int, ...], dtype: str, device: str,
                      steps: int = 3) -> dict[str, Any]:
    """Train ``steps`` batches through a fresh BatchNorm1d, backpropagate the last, then evaluate once."""
    bn = build(fw)
    if fw is torch:
        bn = bn.to(device)
    if dtype == "float64":
        bn = bn.double()
    rng = np.random.default_rng(11)
    seen: dict[str, Any] = {}
    for step in range(steps):
        x = tensor(fw, (rng.standard_normal(shape) * (step + 1) + step).astype(dtype), device, requires_grad=True)
        out = bn(x)
    out.backward(tensor(fw, rng.standard_normal(shape).astype(dtype), device))
    seen.update(train_out=out, input_grad=x.grad)
    for name, param in bn.named_parameters():
        seen[f"{name}.grad"] = param.grad
    seen.update({name: buffer for name, buffer in bn.named_buffers()})
    bn.eval()
    seen["eval_out"] = bn(tensor(fw, rng.standard_normal(shape).astype(dtype), device))
    return seen


BATCH_NORMS = {
    "default": lambda fw: fw.nn.BatchNorm1d(4),
    "cumulative": lambda fw: fw.nn.BatchNorm1d(4, momentum=None),
    "momentum-0.5": lambda fw: fw.nn.BatchNorm1d(4, momentum=0.5, eps=1e-3),
    "not-affine": lambda fw: fw.nn.BatchNorm1d(4, affine=False),
    "no-bias": lambda fw: fw.nn.BatchNorm1d(4, bias=False),
    "untracked": lambda fw: fw.nn.BatchNorm1d(4, track_running_stats=False),
}


@pytest.mark.parametrize("shape", [(8, 4), (5, 4, 3), (1, 4, 6)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", BATCH_NORMS)
def test_batch_norm_1d_trains_and_evaluates_like_torch(name: str, dtype: str, shape: tuple[int, ...],
                                                       device: str) -> None:
    ours = _batch_norm_steps(minigrad, BATCH_NORMS[name], shape, dtype, "cpu")
    theirs = _batch_norm_steps(torch, BATCH_NORMS[name], shape, dtype, device)
    assert list(ours) == list(theirs)
    for key, value in ours.items():
        if key == "num_batches_tracked":
            assert value.item() == theirs[key].item() == 3
        else:
            assert_close(value, theirs[key], key)


def test_batch_norm_1d_state_dict_and_buffers_match_torch() -> None:
    for build in (lambda fw: fw.nn.BatchNorm1d(3), lambda fw: fw.nn.BatchNorm1d(3, affine=False),
                  lambda fw: fw.nn.BatchNorm1d(3, track_running_stats=False)):
        ours, theirs = build(minigrad), build(torch)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
        for key, value in ours.state_dict().items():
            assert_same(value, theirs.state_dict()[key], key, "cpu")


def test_small_classifier_trains_like_torch() -> None:
    """Flatten -> Linear -> BatchNorm1d -> LeakyReLU -> Linear, cross-entropy, SGD: the same losses step by step."""
    rng = np.random.default_rng(12)
    images = rng.standard_normal((16, 2, 3)).astype(np.float32)
    labels = rng.integers(0, 3, 16)
    losses = []
    for fw in FRAMEWORKS:
        fw.manual_seed(0)
        model = fw.nn.Sequential(fw.nn.Flatten(), fw.nn.Linear(6, 8), fw.nn.BatchNorm1d(8), fw.nn.LeakyReLU(0.1),
                                 fw.nn.Linear(8, 3))
        optimizer = fw.optim.SGD(model.parameters(), lr=0.1)
        criterion = fw.nn.CrossEntropyLoss(label_smoothing=0.05)
        history = []
        for _ in range(5):
            optimizer.zero_grad()
            loss = criterion(model(fw.tensor(images)), fw.tensor(labels))
            loss.backward()
            optimizer.step()
            history.append(loss.item())
        losses.append(history)
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-5)


# ----- errors ---------------------------------------------------------------------------------------------------
def _nll(x_shape: tuple[int, ...], target: Any, target_dtype: str = "int64", input_dtype: str = "float32",
         **kwargs: Any) -> Callable[[Any], Any]:
    def call(fw: Any) -> Any:
        x = fw.zeros(x_shape, dtype=getattr(fw, input_dtype))
        return fw.nn.functional.nll_loss(x, fw.tensor(target, dtype=getattr(fw, target_dtype)), **kwargs)

    return call


def _ce(x_shape: tuple[int, ...], target: Any, target_dtype: str = "int64", **kwargs: Any) -> Callable[[Any], Any]:
    def call(fw: Any) -> Any:
        return fw.nn.functional.cross_entropy(fw.zeros(*x_shape), fw.tensor(target, dtype=getattr(fw, target_dtype)),
                                              **kwargs)

    return call


ERRORS = {
    "nll-float-target": _nll((3, 4), [0, 1, 2], "float32"),
    "nll-int32-target": _nll((3, 4), [0, 1, 2], "int32"),
    "nll-bool-target": _nll((3, 4), [True, False, True], "bool"),
    "nll-class-4-of-4": _nll((3, 4), [0, 4, 2]),
    "nll-class-minus-2": _nll((3, 4), [0, -2, 2]),
    "nll-out-of-range-none": _nll((3, 4), [0, 1, 9], reduction="none"),
    "nll-out-of-range-3d": _nll((2, 3, 2), [[0, 3], [1, 2]]),
    "nll-out-of-range-4d": _nll((1, 3, 2, 1), [[[0], [5]]]),
    "nll-uint8-255": _nll((3, 4), [0, 255, 1], "uint8"),
    "nll-batch-mismatch": _nll((3, 4), [0, 1]),
    "nll-float-target-batch-mismatch": _nll((3, 4), [0.0, 1.0], "float32"),
    "nll-2d-target": _nll((3, 4), [[0], [1], [2]]),
    "nll-0d-target-2d-input": _nll((3, 4), 1),
    "nll-0d-input": _nll((), 1),
    "nll-1d-input-2-targets": _nll((4,), [1, 2]),
    "nll-weight-size": lambda fw: fw.nn.functional.nll_loss(fw.zeros(3, 4), fw.tensor([0, 1, 2]), weight=fw.ones(3)),
    "nll-weight-2d": lambda fw: fw.nn.functional.nll_loss(fw.zeros(3, 4), fw.tensor([0, 1, 2]), weight=fw.ones(1, 4)),
    "nll-weight-dtype": lambda fw: fw.nn.functional.nll_loss(fw.zeros(3, 4), fw.tensor([0, 1, 2]),
                                                             weight=fw.ones(4, dtype=fw.float64)),
    "nll-weight-requires-grad": lambda fw: fw.nn.functional.nll_loss(fw.zeros(3, 4), fw.tensor([0, 1, 2]),
                                                                     weight=fw.ones(4, requires_grad=True)),
    "nll-int-input": _nll((3, 4), [0, 1, 2], input_dtype="int64"),
    "nll-int-input-4d": _nll((1, 3, 2, 1), [[[0], [1]]], input_dtype="int64"),
    "nll-3d-target-size": _nll((2, 3, 4), [[0, 1, 2], [0, 1, 2]]),
    "nll-4d-target-rank": _nll((2, 3, 4, 5), [[0, 1, 2, 0], [0, 1, 2, 0]]),
    "nll-4d-size-mismatch": _nll((2, 3, 4, 5), np.zeros((2, 4, 6), int)),
    "nll-4d-weight": lambda fw: fw.nn.functional.nll_loss(fw.zeros(2, 3, 4, 5), fw.zeros(2, 4, 5, dtype=fw.int64),
                                                          weight=fw.ones(2)),
    "nll-3d-uint8-target": _nll((2, 3, 4), np.zeros((2, 4), int), "uint8"),
    "nll-reduction": _nll((3, 4), [0, 1, 2], reduction="avg"),
    "ce-float-class-target": _ce((3, 4), [0.0, 1.0, 2.0], "float32"),
    "ce-class-out-of-range": _ce((3, 4), [0, 1, 4]),
    "ce-int-probabilities": _ce((3, 4), np.zeros((3, 4), int)),
    "ce-probabilities-ignore-index": _ce((3, 4), np.zeros((3, 4)), "float32", ignore_index=1),
    "ce-smoothing-1.5": _ce((3, 4), [0, 1, 2], label_smoothing=1.5),
    "ce-probabilities-smoothing-2": _ce((3, 4), np.zeros((3, 4)), "float32", label_smoothing=2.0),
    "ce-probabilities-weight": lambda fw: fw.nn.functional.cross_entropy(fw.zeros(3, 4), fw.zeros(3, 4),
                                                                         weight=fw.ones(3)),
    "ce-int-logits": lambda fw: fw.nn.functional.cross_entropy(fw.zeros(3, 4, dtype=fw.int64), fw.tensor([0, 1, 2])),
    "ce-reduction": _ce((3, 4), [0, 1, 2], reduction="mean "),
    "softmax-int-last-dim": lambda fw: fw.nn.functional.softmax(fw.ones(3, 4, dtype=fw.int64), 1),
    "softmax-int-dim-0": lambda fw: fw.nn.functional.softmax(fw.ones(3, 4, dtype=fw.int64), 0),
    "softmax-bool": lambda fw: fw.nn.functional.softmax(fw.ones(3, dtype=fw.bool), 0),
    "log-softmax-int": lambda fw: fw.nn.functional.log_softmax(fw.ones(3, 4, dtype=fw.int64), -1),
    "softmax-dim": lambda fw: fw.nn.functional.softmax(fw.ones(3, 4), 2),
    "log-softmax-dim": lambda fw: fw.nn.functional.log_softmax(fw.ones(3, 4), -3),
    "leaky-relu-int": lambda fw: fw.nn.functional.leaky_relu(fw.ones(3, dtype=fw.int64)),
    "leaky-relu-bool": lambda fw: fw.nn.LeakyReLU()(fw.ones(3, dtype=fw.bool)),
    "softplus-int": lambda fw: fw.nn.functional.softplus(fw.ones(3, dtype=fw.int64)),
    "one-hot-float": lambda fw: fw.nn.functional.one_hot(fw.tensor([0.0, 1.0])),
    "one-hot-int32": lambda fw: fw.nn.functional.one_hot(fw.tensor([0, 1], dtype=fw.int32)),
    "one-hot-negative": lambda fw: fw.nn.functional.one_hot(fw.tensor([0, -1])),
    "one-hot-too-few-classes": lambda fw: fw.nn.functional.one_hot(fw.tensor([0, 3]), 3),
    "one-hot-zero-classes": lambda fw: fw.nn.functional.one_hot(fw.tensor([0, 3]), 0),
    "one-hot-empty": lambda fw: fw.nn.functional.one_hot(fw.zeros(0, dtype=fw.int64)),
    "batch-norm-one-sample": lambda fw: fw.nn.BatchNorm1d(3)(fw.ones(1, 3)),
    "batch-norm-one-value-3d": lambda fw: fw.nn.BatchNorm1d(3)(fw.ones(1, 3, 1)),
    "batch-norm-1d-input": lambda fw: fw.nn.BatchNorm1d(3)(fw.ones(3)),
    "batch-norm-4d-input": lambda fw: fw.nn.BatchNorm1d(3)(fw.ones(2, 3, 2, 2)),
    "batch-norm-channels": lambda fw: fw.nn.BatchNorm1d(3)(fw.ones(2, 4)),
    "batch-norm-channels-eval": lambda fw: fw.nn.BatchNorm1d(3).eval()(fw.ones(2, 4)),
    "batch-norm-weight-channels": lambda fw: fw.nn.BatchNorm1d(3, track_running_stats=False)(fw.ones(2, 4)),
    "batch-norm-eps-0": lambda fw: fw.nn.BatchNorm1d(3, eps=0)(fw.ones(2, 3)),
    "batch-norm-int": lambda fw: fw.nn.BatchNorm1d(3)(fw.ones(2, 3, dtype=fw.int64)),
    "batch-norm-mixed-dtype": lambda fw: fw.nn.BatchNorm1d(3)(fw.ones(2, 3, dtype=fw.float64)),
    "batch-norm-eval-without-stats": lambda fw: fw.nn.functional.batch_norm(fw.ones(2, 3), None, None),
    "module-list-index": lambda fw: fw.nn.ModuleList([fw.nn.ReLU()])[1],
    "module-list-negative-index": lambda fw: fw.nn.ModuleList([fw.nn.ReLU()])[-2],
    "module-list-append-int": lambda fw: fw.nn.ModuleList().append(3),
    "module-list-extend-int": lambda fw: fw.nn.ModuleList().extend(3),
    "module-list-str-index": lambda fw: fw.nn.ModuleList([fw.nn.ReLU()])["0"],
    "module-list-forward": lambda fw: fw.nn.ModuleList([fw.nn.ReLU()])(fw.ones(2)),
    "flatten-dims": lambda fw: fw.nn.Flatten(2, 1)(fw.ones(2, 3, 4)),
}


@pytest.mark.parametrize("name", ERRORS)
def test_bad_input_raises_torch_error(name: str) -> None:
    assert_same_error(ERRORS[name])
