"""Normalization and feature dropout layers against PyTorch: BatchNorm1d/2d/3d, LayerNorm, GroupNorm,
InstanceNorm1d/2d/3d, LocalResponseNorm, RMSNorm; Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout.

Each module runs several training steps on both frameworks (float32 and float64, contiguous and not, batch of 1
where allowed), then one evaluation: outputs, every gradient (input, weight, bias), buffers (running statistics,
num_batches_tracked), grad_fn names, state_dict keys, reprs, bit-identical initialisation, and errors (type and
message) are compared. Tolerances: conftest's TOLERANCES (float32 rtol 2e-6 atol 1e-6, float64 1e-12), on groups of
at least 4 values (a group of 2 close values is ill-conditioned: float32 Welford in PyTorch and float64 sums here
then differ by 1.4e-5 relative, measured on GroupNorm(2, 4) of (3, 4)). Batch norm's
forward and running statistics are PyTorch's bit for bit on the CPU (its kernel's order of summation, fused
multiply-adds). Dropout masks are compared bit for bit under the same seed, with the random state after the draws.
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


def _on(fw: Any, module: Any, dtype: str, device: str) -> Any:
    if fw is torch:
        module = module.to(device)
    return module.double() if dtype == "float64" else module


def _input(fw: Any, values: np.ndarray, layout: str, device: str) -> tuple[Any, Any]:
    """(leaf, input): the input is the leaf or a non-contiguous view of it (its last two dims swapped back)."""
    kwargs = {"device": device} if fw is torch else {}
    if layout == "contiguous" or values.ndim < 2:
        leaf = fw.tensor(values, requires_grad=True, **kwargs)
        return leaf, leaf
    leaf = fw.tensor(np.ascontiguousarray(np.swapaxes(values, -1, -2)), requires_grad=True, **kwargs)
    return leaf, leaf.transpose(-1, -2)


def _steps(fw: Any, build: Callable[[Any], Any], shape: tuple[int, ...], dtype: str, layout: str, device: str,
           steps: int = 3) -> dict[str, Any]:
    """Train ``steps`` batches through a fresh module, backpropagate each, then evaluate once: what to compare."""
    fw.manual_seed(0)
    module = _on(fw, build(fw), dtype, device)
    rng = np.random.default_rng(11)
    seen: dict[str, Any] = {}
    for step in range(steps):
        leaf, x = _input(fw, (rng.standard_normal(shape) * (step + 1) + step).astype(dtype), layout, device)
        out = module(x)
        cotangent = fw.tensor(rng.standard_normal(shape).astype(dtype))
        out.backward(cotangent.to(device) if fw is torch else cotangent)
        seen[f"out{step}"], seen[f"grad{step}"] = out, leaf.grad
    seen["grad_fn"] = type(out.grad_fn).__name__ if fw is torch else out.grad_fn.name()
    for name, param in module.named_parameters():
        seen[f"{name}.grad"] = param.grad
    seen.update(dict(module.named_buffers()))
    module.eval()
    seen["eval"] = module(_input(fw, rng.standard_normal(shape).astype(dtype), layout, device)[1])
    return seen


def _compare(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    assert list(ours) == list(theirs)
    for key, value in ours.items():
        if key == "grad_fn":
            assert value == theirs[key]
        elif key == "num_batches_tracked":
            assert value.item() == theirs[key].item()
        else:
            assert_close(value, theirs[key], key)


MODULES: dict[str, tuple[Callable[[Any], Any], list[tuple[int, ...]]]] = {
    "BatchNorm1d": (lambda fw: fw.nn.BatchNorm1d(4), [(8, 4), (5, 4, 3), (1, 4, 6)]),
    "BatchNorm2d": (lambda fw: fw.nn.BatchNorm2d(4), [(3, 4, 5, 6), (1, 4, 3, 2)]),
    "BatchNorm2d-cumulative": (lambda fw: fw.nn.BatchNorm2d(4, momentum=None), [(2, 4, 3, 3)]),
    "BatchNorm2d-not-affine": (lambda fw: fw.nn.BatchNorm2d(4, affine=False, eps=1e-3), [(2, 4, 3, 3)]),
    "BatchNorm2d-no-bias": (lambda fw: fw.nn.BatchNorm2d(4, bias=False, momentum=0.5), [(2, 4, 3, 3)]),
    "BatchNorm2d-untracked": (lambda fw: fw.nn.BatchNorm2d(4, track_running_stats=False), [(2, 4, 3, 3)]),
    "BatchNorm3d": (lambda fw: fw.nn.BatchNorm3d(4), [(2, 4, 3, 2, 3)]),
    "LayerNorm": (lambda fw: fw.nn.LayerNorm(6), [(4, 6), (2, 3, 6), (6,)]),
    "LayerNorm-2d": (lambda fw: fw.nn.LayerNorm([3, 6], eps=1e-3), [(2, 3, 6)]),
    "LayerNorm-not-affine": (lambda fw: fw.nn.LayerNorm(6, elementwise_affine=False), [(4, 6)]),
    "LayerNorm-no-bias": (lambda fw: fw.nn.LayerNorm(6, bias=False), [(4, 6)]),
    "GroupNorm": (lambda fw: fw.nn.GroupNorm(2, 4), [(3, 4, 5), (2, 4, 3, 3), (1, 4, 2)]),
    "GroupNorm-2d": (lambda fw: fw.nn.GroupNorm(2, 12), [(3, 12)]),
    "GroupNorm-per-channel": (lambda fw: fw.nn.GroupNorm(4, 4, affine=False), [(2, 4, 5)]),
    "GroupNorm-no-bias": (lambda fw: fw.nn.GroupNorm(1, 4, bias=False, eps=1e-3), [(2, 4, 5)]),
    "InstanceNorm1d": (lambda fw: fw.nn.InstanceNorm1d(4), [(3, 4, 5), (4, 5)]),
    "InstanceNorm1d-tracked": (lambda fw: fw.nn.InstanceNorm1d(4, affine=True, track_running_stats=True),
                               [(3, 4, 5), (4, 5)]),
    "InstanceNorm2d": (lambda fw: fw.nn.InstanceNorm2d(4, affine=True), [(2, 4, 3, 3), (4, 3, 2)]),
    "InstanceNorm2d-cumulative": (lambda fw: fw.nn.InstanceNorm2d(4, momentum=None, track_running_stats=True),
                                  [(2, 4, 3, 3)]),
    "InstanceNorm3d": (lambda fw: fw.nn.InstanceNorm3d(4, affine=True), [(2, 4, 2, 3, 2)]),
    "RMSNorm": (lambda fw: fw.nn.RMSNorm(6), [(4, 6), (2, 3, 6)]),
    "RMSNorm-eps": (lambda fw: fw.nn.RMSNorm([3, 6], eps=1e-3, elementwise_affine=False), [(2, 3, 6)]),
    "LocalResponseNorm": (lambda fw: fw.nn.LocalResponseNorm(3), [(2, 5, 4), (2, 5, 3, 2)]),
    "LocalResponseNorm-even": (lambda fw: fw.nn.LocalResponseNorm(2, alpha=0.1, beta=0.5, k=2.0), [(2, 6, 3, 3)]),
}
GRID = [(name, shape) for name, (_, shapes) in MODULES.items() for shape in shapes]


@pytest.mark.parametrize("layout", ["contiguous", "noncontiguous"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("name", "shape"), GRID, ids=[f"{n}-{'x'.join(map(str, s))}" for n, s in GRID])
def test_module_trains_and_evaluates_like_torch(name: str, shape: tuple[int, ...], dtype: str, layout: str,
                                                device: str) -> None:
    build = MODULES[name][0]
    _compare(_steps(minigrad, build, shape, dtype, layout, "cpu"), _steps(torch, build, shape, dtype, layout, device))


@pytest.mark.parametrize("shape", [(8, 4), (5, 4, 3), (3, 4, 5, 6), (2, 4, 3, 2, 3), (16, 4, 9, 9)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_batch_norm_forward_and_running_statistics_are_bit_exact(shape: tuple[int, ...], dtype: str) -> None:
    """PyTorch's CPU kernel: sums in its order, the output fma(x, alpha, beta), the running update's arithmetic."""
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal(shape) * 3 + 2, rng.standard_normal(4), rng.standard_normal(4),
              rng.standard_normal(4), rng.uniform(0.5, 2, 4)]
    results = []
    for fw in FRAMEWORKS:
        x, w, b, mean, var = (fw.tensor(a.astype(dtype)) for a in arrays)
        train = fw.nn.functional.batch_norm(x, mean, var, w, b, training=True, momentum=0.3)
        evaluation = fw.nn.functional.batch_norm(x, mean, var, w, b)
        results.append([numpy_of(t) for t in (train, mean, var, evaluation)])
    for ours, theirs, what in zip(*results, ("training output", "running mean", "running var", "eval output")):
        np.testing.assert_array_equal(ours, theirs, err_msg=what)


INITS = {
    "BatchNorm2d": lambda fw: fw.nn.BatchNorm2d(3), "BatchNorm3d": lambda fw: fw.nn.BatchNorm3d(3, affine=False),
    "LayerNorm": lambda fw: fw.nn.LayerNorm([2, 3]), "LayerNorm-no-bias": lambda fw: fw.nn.LayerNorm(3, bias=False),
    "GroupNorm": lambda fw: fw.nn.GroupNorm(3, 6),
    "GroupNorm-no-affine": lambda fw: fw.nn.GroupNorm(1, 2, affine=False),
    "InstanceNorm1d": lambda fw: fw.nn.InstanceNorm1d(3),
    "InstanceNorm2d": lambda fw: fw.nn.InstanceNorm2d(3, affine=True, track_running_stats=True),
    "InstanceNorm3d": lambda fw: fw.nn.InstanceNorm3d(3, bias=False, affine=True),
    "RMSNorm": lambda fw: fw.nn.RMSNorm(4), "RMSNorm-eps": lambda fw: fw.nn.RMSNorm([2, 4], eps=1e-6),
    "RMSNorm-no-affine": lambda fw: fw.nn.RMSNorm(4, elementwise_affine=False),
    "LocalResponseNorm": lambda fw: fw.nn.LocalResponseNorm(2), "LRN": lambda fw: fw.nn.LocalResponseNorm(3, 0.1, 1, 2),
    "Dropout1d": lambda fw: fw.nn.Dropout1d(), "Dropout2d": lambda fw: fw.nn.Dropout2d(0.2, True),
    "Dropout3d": lambda fw: fw.nn.Dropout3d(1), "AlphaDropout": lambda fw: fw.nn.AlphaDropout(0.1),
    "FeatureAlphaDropout": lambda fw: fw.nn.FeatureAlphaDropout(0.3, inplace=True),
    "model": lambda fw: fw.nn.Sequential(fw.nn.Conv2d(3, 4, 3), fw.nn.BatchNorm2d(4), fw.nn.ReLU(),
                                         fw.nn.Dropout2d(0.1), fw.nn.GroupNorm(2, 4), fw.nn.Flatten(),
                                         fw.nn.LayerNorm(36)),
}


@pytest.mark.parametrize("name", INITS)
def test_repr_state_dict_and_initialisation_equal_torch(name: str) -> None:
    modules = []
    for fw in FRAMEWORKS:
        fw.manual_seed(0)
        modules.append(INITS[name](fw))
    ours, theirs = modules
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    for key, value in ours.state_dict().items():
        expected = theirs.state_dict()[key]
        assert str(value.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1], key
        np.testing.assert_array_equal(numpy_of(value), numpy_of(expected), err_msg=key)


def test_functionals_record_torch_nodes() -> None:
    names = []
    for fw in FRAMEWORKS:
        x = fw.ones(2, 4, 3, requires_grad=True) * fw.arange(24.0).view(2, 4, 3)
        f = fw.nn.functional
        outs = [f.batch_norm(x, None, None, training=True), f.layer_norm(x, (3,)), f.group_norm(x, 2),
                f.instance_norm(x), f.rms_norm(x, (3,)), f.local_response_norm(x, 2)]
        names.append([type(o.grad_fn).__name__ if fw is torch else o.grad_fn.name() for o in outs])
    assert names[0] == names[1]


ERRORS = {
    "bn2d-rank": lambda fw: fw.nn.BatchNorm2d(3)(fw.ones(2, 3, 4)),
    "bn3d-rank": lambda fw: fw.nn.BatchNorm3d(3)(fw.ones(2, 3, 4, 4)),
    "bn2d-one-value": lambda fw: fw.nn.BatchNorm2d(3)(fw.ones(1, 3, 1, 1)),
    "bn2d-channels": lambda fw: fw.nn.BatchNorm2d(3)(fw.ones(2, 4, 2, 2)),
    "bn2d-channels-eval": lambda fw: fw.nn.BatchNorm2d(3).eval()(fw.ones(2, 4, 2, 2)),
    "bn-eps": lambda fw: fw.nn.functional.batch_norm(fw.ones(2, 3, 2), None, None, training=True, eps=0.0),
    "ln-shape": lambda fw: fw.nn.LayerNorm(5)(fw.ones(2, 6, 4)),
    "ln-shape-2d": lambda fw: fw.nn.functional.layer_norm(fw.ones(2, 6, 4), (2, 6, 4, 1)),
    "ln-empty-shape": lambda fw: fw.nn.functional.layer_norm(fw.ones(2, 6, 4), ()),
    "ln-weight": lambda fw: fw.nn.functional.layer_norm(fw.ones(2, 6, 4), (4,), fw.ones(5)),
    "ln-bias": lambda fw: fw.nn.functional.layer_norm(fw.ones(2, 6, 4), (4,), None, fw.ones(5)),
    "ln-int": lambda fw: fw.nn.functional.layer_norm(fw.ones(2, 4, dtype=fw.int64), (4,)),
    "ln-mixed": lambda fw: fw.nn.functional.layer_norm(fw.ones(2, 4), (4,), fw.ones(4, dtype=fw.float64)),
    "gn-module": lambda fw: fw.nn.GroupNorm(4, 6),
    "gn-module-zero": lambda fw: fw.nn.GroupNorm(0, 6),
    "gn-divisible": lambda fw: fw.nn.functional.group_norm(fw.ones(2, 6, 4), 4),
    "gn-negative": lambda fw: fw.nn.functional.group_norm(fw.ones(2, 6, 4), -2),
    "gn-zero": lambda fw: fw.nn.functional.group_norm(fw.ones(2, 6, 4), 0),
    "gn-weight": lambda fw: fw.nn.functional.group_norm(fw.ones(2, 6, 4), 3, fw.ones(5)),
    "gn-bias": lambda fw: fw.nn.functional.group_norm(fw.ones(2, 6, 4), 3, None, fw.ones(5)),
    "gn-rank": lambda fw: fw.nn.functional.group_norm(fw.ones(6), 3),
    "gn-one-value": lambda fw: fw.nn.GroupNorm(6, 6)(fw.ones(1, 6)),
    "gn-channels": lambda fw: fw.nn.GroupNorm(2, 4)(fw.ones(2, 6, 3)),
    "gn-int": lambda fw: fw.nn.functional.group_norm(fw.ones(2, 6, dtype=fw.int64), 3),
    "in-spatial": lambda fw: fw.nn.functional.instance_norm(fw.ones(2, 3, 1)),
    "in-rank": lambda fw: fw.nn.InstanceNorm2d(3)(fw.ones(2, 3)),
    "in-features": lambda fw: fw.nn.InstanceNorm1d(3, affine=True)(fw.ones(2, 4, 5)),
    "in-running": lambda fw: fw.nn.functional.instance_norm(fw.ones(2, 6, 4), fw.zeros(5), fw.ones(6)),
    "in-weight": lambda fw: fw.nn.functional.instance_norm(fw.ones(2, 6, 4), weight=fw.ones(5)),
    "in-int": lambda fw: fw.nn.functional.instance_norm(fw.ones(2, 3, 4, dtype=fw.int64)),
    "rms-shape": lambda fw: fw.nn.functional.rms_norm(fw.ones(2, 6, 4), (3, 4)),
    "rms-weight": lambda fw: fw.nn.functional.rms_norm(fw.ones(2, 6, 4), (4,), fw.ones(5)),
    "rms-int": lambda fw: fw.nn.functional.rms_norm(fw.ones(2, 4, dtype=fw.int64), (4,)),
    "lrn-rank": lambda fw: fw.nn.LocalResponseNorm(2)(fw.ones(2, 3)),
    "dropout1d-rank": lambda fw: fw.nn.Dropout1d()(fw.ones(2, 4, 5, 5)),
    "dropout2d-p": lambda fw: fw.nn.functional.dropout2d(fw.ones(3), 1.5),
    "dropout2d-module-p": lambda fw: fw.nn.Dropout2d(-0.5),
    "alpha-dropout-p": lambda fw: fw.nn.functional.alpha_dropout(fw.ones(3), -1),
    "feature-alpha-1d": lambda fw: fw.nn.functional.feature_alpha_dropout(fw.ones(3), 0.5, True),
    "alpha-dropout-int": lambda fw: fw.nn.functional.alpha_dropout(fw.ones(3, dtype=fw.int64), 0.5, True),
    "dropout3d-int": lambda fw: fw.nn.functional.dropout3d(fw.ones(2, 3, 2, 2, 2, dtype=fw.int64), 0.5),
}


@pytest.mark.parametrize("name", ERRORS)
def test_bad_input_raises_torch_error(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same_error(ERRORS[name])


def test_instance_norm_warns_of_unused_num_features() -> None:
    messages = []
    for fw in FRAMEWORKS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fw.nn.InstanceNorm1d(3)(fw.ones(2, 4, 5))
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and len(messages[0]) == 1


# ----- feature and alpha dropout: masks, outputs and gradients bit for bit under the same seed ------------------------
DROPOUTS = {
    "dropout1d": ("dropout1d", [(4, 5, 6), (5, 6)]),
    "dropout2d": ("dropout2d", [(3, 4, 5, 5), (3, 4, 5), (2, 3, 4, 5, 6)]),
    "dropout3d": ("dropout3d", [(2, 3, 2, 3, 4), (3, 2, 3, 4), (2, 3, 4)]),
    "alpha_dropout": ("alpha_dropout", [(4, 5, 6), (7,), ()]),
    "feature_alpha_dropout": ("feature_alpha_dropout", [(4, 5, 6), (3, 4, 2, 2)]),
}
DROPOUT_GRID = [(name, shape) for name, (_, shapes) in DROPOUTS.items() for shape in shapes]


def _assert_same_bits(ours: Any, theirs: Any) -> None:
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert np.ascontiguousarray(numpy_of(ours)).tobytes() == np.ascontiguousarray(numpy_of(theirs)).tobytes()


@pytest.mark.parametrize("layout", ["contiguous", "noncontiguous"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 1.0])
@pytest.mark.parametrize(("name", "shape"), DROPOUT_GRID, ids=[f"{n}-{'x'.join(map(str, s))}" for n, s in DROPOUT_GRID])
def test_dropout_masks_outputs_and_gradients_equal_torch(name: str, shape: tuple[int, ...], p: float, dtype: str,
                                                         layout: str) -> None:
    values = np.random.default_rng(5).standard_normal(shape).astype(dtype)
    results = []
    for fw in FRAMEWORKS:
        fn = getattr(fw.nn.functional, DROPOUTS[name][0])
        leaf, x = _input(fw, values, layout, "cpu")
        fw.manual_seed(42)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = fn(x, p, True)
        (out * fw.arange(float(out.numel())).view(out.shape).to(out.dtype)).sum().backward()
        grad_fn = None if out.grad_fn is None else (type(out.grad_fn).__name__ if fw is torch else out.grad_fn.name())
        results.append((out, leaf.grad, grad_fn, [str(w.message) for w in caught], np.asarray(fw.get_rng_state())))
    (out, grad, grad_fn, warned, state), (t_out, t_grad, t_grad_fn, t_warned, t_state) = results
    _assert_same_bits(out, t_out)
    _assert_same_bits(grad, t_grad)
    assert (grad_fn, warned) == (t_grad_fn, t_warned)
    assert np.array_equal(state, t_state)


@pytest.mark.parametrize("name", ["Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"])
def test_dropout_modules_draw_in_training_only(name: str) -> None:
    results = []
    for fw in FRAMEWORKS:
        fw.manual_seed(3)
        x = fw.randn(2, 3, 4, 4, 2) if name == "Dropout3d" else fw.randn(2, 3, 4) if name == "Dropout1d" else \
            fw.randn(2, 3, 4, 4)
        layer = getattr(fw.nn, name)(0.4)
        first, second = layer(x), layer(x)
        layer.eval()
        identity = layer(x)
        results.append((first, second, identity is x, np.asarray(fw.get_rng_state())))
    (a, b, same, state), (ta, tb, t_same, t_state) = results
    _assert_same_bits(a, ta)
    _assert_same_bits(b, tb)
    assert same == t_same and np.array_equal(state, t_state)


def test_dropout_inplace_writes_into_the_input() -> None:
    results = []
    for fw in FRAMEWORKS:
        fw.manual_seed(4)
        x, y = fw.randn(3, 4, 5), fw.randn(4, 5)
        out = fw.nn.functional.dropout1d(x, 0.5, True, True)
        unbatched = fw.nn.functional.dropout1d(y, 0.5, True, True)
        results.append((out is x, unbatched is y, x, y))
    assert results[0][:2] == results[1][:2]
    _assert_same_bits(results[0][2], results[1][2])
    _assert_same_bits(results[0][3], results[1][3])
