"""``minigrad.compile``: compiled training steps against eager minigrad (bit for bit) and PyTorch, and its guards."""

from __future__ import annotations

import ast
import copy
import sys
import warnings
from typing import Any

import numba
import numpy as np
import pytest
import torch
from conftest import DEVICES, assert_same_run, small_products_bit_exact
from test_training import RandomModel

import minigrad
from minigrad.compile import Compiled
from reference.programs import PROGRAMS
from reference.runner import train


def _compiled_epochs(program, steps_per_call: int = 1):
    """The seed program trained with a compiled step (returning loss and hypothesis), as ``train`` records it."""
    minigrad.manual_seed(program.seed)
    x, y = program.data(minigrad)
    model = program.model(minigrad)
    loss_fn = program.loss(minigrad)
    optimizer = program.optimizer(minigrad, model.parameters())

    def train_step():
        hypothesis = model(x)
        loss = loss_fn(hypothesis, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss, hypothesis

    step = minigrad.compile(train_step)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the seed's steps compile: no fallback warning
        for epoch in range(program.epochs + 1):
            loss, hypothesis = step()
            accuracy = None
            if program.classification:
                correct = (hypothesis >= minigrad.FloatTensor([0.5])).float() == y
                accuracy = correct.sum().item() / len(correct)
            yield (epoch, loss.item(), accuracy, {n: p.grad.numpy().copy() for n, p in model.named_parameters()},
                   {n: p.detach().numpy().copy() for n, p in model.named_parameters()})
    assert step.refused is None and step.source is not None


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", PROGRAMS)
def test_compiled_seed_program_matches_torch_at_every_epoch(name: str, device: str) -> None:
    """The compiled step replays eager minigrad's kernels, so it is as exact: bit for bit against PyTorch on the
    CPU (every loss, gradient, parameter and accuracy of every epoch) where its small products are sequential dots
    (small_products_bit_exact), to float32 rounding on a GPU or another host."""
    program = PROGRAMS[name]
    exact = device == "cpu" and small_products_bit_exact()
    count = 0
    for (epoch, loss, accuracy, grads, params), theirs in zip(_compiled_epochs(program), train(program, torch, device)):
        assert_same_run(loss, theirs.loss, exact, err_msg=f"loss at epoch {epoch}")
        assert accuracy == theirs.accuracy, f"accuracy at epoch {epoch}"
        for name_, value in grads.items():
            assert_same_run(value, theirs.gradients[name_], exact, err_msg=f"gradient {name_} at epoch {epoch}")
        for name_, value in params.items():
            assert_same_run(value, theirs.parameters[name_], exact, err_msg=f"parameter {name_} at epoch {epoch}")
        count += 1
    assert count == program.epochs + 1


def _random_model_run(problem: RandomModel, compiled: bool, steps: int = 50, per_call: int = 1):
    """``problem.run`` for minigrad, its step compiled or not; ``per_call`` steps per call of the compiled step."""
    spec = problem.spec()
    nn = minigrad.nn
    minigrad.manual_seed(problem.seed)
    layers = []
    widths = spec["widths"]
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(getattr(nn, spec["activation"])())
    model = nn.Sequential(*layers)
    x = minigrad.randn(spec["batch"], widths[0])
    if spec["loss"] == "bce":
        y = (minigrad.rand(spec["batch"], widths[-1]) > 0.5).float()
        loss_fn = lambda h, t: nn.functional.binary_cross_entropy(h.sigmoid(), t)  # noqa: E731
    else:
        y = minigrad.randn(spec["batch"], widths[-1])
        loss_fn = nn.functional.mse_loss
    optimizer = minigrad.optim.SGD(model.parameters(), lr=spec["lr"], momentum=spec["momentum"],
                                   weight_decay=spec["weight_decay"])

    def train_step():
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    step = minigrad.compile(train_step) if compiled else train_step
    trajectory = []
    for _ in range(steps // per_call):
        loss = step(steps=per_call) if per_call > 1 else step()
        trajectory.append((loss.item(), [p.detach().numpy().copy() for p in model.parameters()]))
    if compiled:
        assert step.refused is None, step.refused
    return trajectory


# One of test_training's random MLPs for each mix of activation, loss and momentum (the smallest of each: compiling
# a step takes LLVM seconds, as it optimizes every kernel the step calls as one module).
MIXES = [21, 11, 2, 30, 14, 1, 34, 23, 35, 31, 27]


@pytest.mark.parametrize("seed", MIXES)
def test_compiled_random_model_trajectory_equals_eager(seed: int) -> None:
    """50 SGD steps of a random MLP (sigmoid, relu or tanh; MSE or BCE; momentum, weight decay), compiled: every
    loss and parameter equals eager minigrad's bit for bit (so PyTorch's, as test_training checks)."""
    problem = RandomModel(seed)
    eager, compiled = _random_model_run(problem, False), _random_model_run(problem, True)
    for step, ((loss_a, params_a), (loss_b, params_b)) in enumerate(zip(compiled, eager)):
        assert loss_a == loss_b, f"{problem.spec()}: loss at step {step}"
        for a, b in zip(params_a, params_b):
            np.testing.assert_array_equal(a, b, err_msg=f"{problem.spec()} step {step}")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("seed", MIXES[::4])
def test_compiled_random_model_trajectory_matches_torch(seed: int, device: str) -> None:
    """Compiled, 10 steps per call: at every 10th step, losses and parameters equal PyTorch's to float32
    rounding (rtol 1e-5), as eager minigrad's do (test_training)."""
    problem = RandomModel(seed)
    ours = _random_model_run(problem, True, per_call=10)
    torch.manual_seed(seed)
    theirs = problem.run(torch)[9::10]
    assert len(ours) == len(theirs) == 5
    for step, ((loss_a, params_a), (loss_b, params_b)) in enumerate(zip(ours, theirs)):
        assert_same_run(loss_a, loss_b, exact=False, err_msg=f"loss at step {10 * step + 9}")
        for a, b in zip(params_a, params_b):
            assert_same_run(a, b, exact=False, err_msg=f"{problem.spec()} step {10 * step + 9}")


def test_steps_n_equals_n_calls() -> None:
    """step(steps=N) runs the loop inside the compiled function: the same bits as N calls of one step."""
    problem = RandomModel(MIXES[0])
    one_at_a_time = _random_model_run(problem, True, steps=60)[4::5]
    five_at_a_time = _random_model_run(problem, True, steps=60, per_call=5)
    assert len(one_at_a_time) == len(five_at_a_time) == 12
    for (loss_a, params_a), (loss_b, params_b) in zip(one_at_a_time, five_at_a_time):
        assert loss_a == loss_b
        for a, b in zip(params_a, params_b):
            np.testing.assert_array_equal(a, b)


def _wide_run(compiled: bool, steps: int = 6) -> list[tuple[float, list[np.ndarray]]]:
    """SGD with momentum on Linear(16, 4096) -> ReLU -> Linear(4096, 1), batch 64: the hidden activations and
    their gradients (1 MB each) come from the cache of large blocks (``kernels/memory.py``)."""
    minigrad.manual_seed(5)
    x, y = minigrad.randn(64, 16), minigrad.randn(64, 1)
    model = minigrad.nn.Sequential(minigrad.nn.Linear(16, 4096), minigrad.nn.ReLU(), minigrad.nn.Linear(4096, 1))
    optimizer = minigrad.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def train_step():
        loss = minigrad.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    step = minigrad.compile(train_step) if compiled else train_step
    return [(step().item(), [p.detach().numpy().copy() for p in model.parameters()]) for _ in range(steps)]


def test_compiled_step_with_cached_large_temporaries_equals_eager() -> None:
    """Temporaries from the block cache are scratch to the compiled step (the cache's own reference to a block
    does not make it state): its trajectory equals eager minigrad's bit for bit."""
    for (loss_a, params_a), (loss_b, params_b) in zip(_wide_run(True), _wide_run(False)):
        assert loss_a == loss_b
        for a, b in zip(params_a, params_b):
            np.testing.assert_array_equal(a, b)


def _scaled_run(compiled: bool, steps: int = 6) -> tuple[Any, list[tuple[float, list[np.ndarray]]]]:
    """A 0-d parameter that SGD changes every step scales a 64 x 128 one: the kernels must read the scale's
    memory at every step, not its value at the trace."""
    minigrad.manual_seed(6)
    weight, scale = minigrad.nn.Parameter(minigrad.randn(64, 128)), minigrad.nn.Parameter(minigrad.tensor(0.5))
    optimizer = minigrad.optim.SGD([weight, scale], lr=0.01)

    def train_step():
        scaled = weight * scale
        loss = (scaled * scaled).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    step = minigrad.compile(train_step) if compiled else train_step
    return step, [(step().item(), [weight.detach().numpy().copy(), scale.item()]) for _ in range(steps)]


def test_a_scale_that_changes_every_step_is_read_every_step() -> None:
    step, compiled = _scaled_run(True)
    _, eager = _scaled_run(False)
    assert step.refused is None, step.refused
    for (loss_a, params_a), (loss_b, params_b) in zip(compiled, eager):
        assert loss_a == loss_b
        np.testing.assert_array_equal(params_a[0], params_b[0])
        assert params_a[1] == params_b[1]


class _Seed:
    """The seed's linear regression, its step compiled: what the guard tests change."""

    def __init__(self, optimizer: str = "SGD") -> None:
        minigrad.manual_seed(777)
        self.x = minigrad.FloatTensor([[1], [2], [3]])
        self.y = minigrad.FloatTensor([[2], [4], [6]])
        self.model = minigrad.nn.Linear(1, 1)
        self.optimizer = getattr(minigrad.optim, optimizer)(self.model.parameters(), lr=0.01)

    def step(self, x=None):
        loss = minigrad.nn.functional.mse_loss(self.model(self.x if x is None else x), self.y)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss

    def parameters(self) -> list[np.ndarray]:
        return [p.detach().numpy().copy() for p in self.model.parameters()]


def _twins(optimizer: str = "SGD") -> tuple[_Seed, _Seed, Compiled]:
    eager, compiled = _Seed(optimizer), _Seed(optimizer)
    return eager, compiled, minigrad.compile(compiled.step)


def _same(a: _Seed, b: _Seed) -> None:
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q)


def test_source_is_a_readable_python_function() -> None:
    _, _, step = _twins()
    assert step.source is None
    for _ in range(3):
        step()
    tree = ast.parse(step.source)
    (function,) = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert function.name == "step" and function.args.args[0].arg == "steps"
    for text in ("# Linear.forward", "# MseLoss.backward: d(mse)/dx", "pointwise.SUB", "optim._sgd_loop",
                 "exact_cascade._short_sum", "for _ in range(steps):", "model_weight_grad", "fill(0)"):
        assert text in step.source, text
    assert "and model.training is True)" in step.guards and "model_weight._data is model_weight_data" in step.guards


@pytest.mark.parametrize("change", ["lr", "grad mode", "arguments", "data", "requires_grad", "eval", "training = 1"])
def test_a_failed_guard_runs_the_step_eagerly_with_a_warning(change: str) -> None:
    """After the change, the compiled step warns once, names the guard, and steps as eager minigrad does."""
    eager, compiled, step = _twins()
    for _ in range(4):
        eager.step()
        step()
    _same(eager, compiled)
    args: tuple = ()
    expected = {"lr": "lr is 0.1; it was 0.01", "grad mode": "grad mode is off",
                "arguments": "the step got 1 arguments; it was traced with 0", "data": "has new data",
                "requires_grad": "requires_grad is False", "eval": "model.training is False; it was True",
                "training = 1": "model.training is 1; it was True"}[change]
    for seed in (eager, compiled):
        if change == "lr":
            seed.optimizer.param_groups[0]["lr"] = 0.1
        elif change == "data":
            seed.model.bias.data = minigrad.tensor([0.5])
        elif change == "requires_grad":
            seed.model.bias.requires_grad_(False)
        elif change == "eval":
            seed.model.eval()
        elif change == "training = 1":  # not a bool (nn.Module allows it): the guard compares by identity
            seed.model.training = 1
    if change == "arguments":
        args = (minigrad.FloatTensor([[1], [2], [3]]),)
    if change == "grad mode":
        with minigrad.no_grad(), pytest.raises(RuntimeError), pytest.warns(UserWarning, match=expected):
            step()  # eagerly, backward without a graph fails as it does eagerly
        return
    with pytest.warns(UserWarning, match=expected):
        step(*args)
    eager.step(*args)
    _same(eager, compiled)


def test_a_step_compiles_on_either_kernels_and_runs_eagerly_when_they_change(kernels: str) -> None:
    """Traced on the plain kernels or the exact ones, the compiled step replays what it traced; the kernel mode is a
    guard: after ``use_exact_kernels`` changes it, the step runs eagerly (on the other kernels) with a warning."""
    eager, compiled, step = _twins()
    for _ in range(4):
        eager.step()
        step()
    _same(eager, compiled)
    assert ("exact_cascade._short_sum" in step.source) == (kernels == "exact")
    minigrad.use_exact_kernels(kernels != "exact")
    with pytest.warns(UserWarning, match=f"exact kernels are {'off' if kernels == 'exact' else 'on'}"):
        step()
    eager.step()
    _same(eager, compiled)


def test_guards_pass_again_after_the_change_is_undone() -> None:
    eager, compiled, step = _twins()
    for _ in range(4):
        eager.step()
        step()
    for seed in (eager, compiled):
        seed.optimizer.param_groups[0]["lr"] = 0.1
    with pytest.warns(UserWarning):
        step()
    eager.step()
    for seed in (eager, compiled):
        seed.optimizer.param_groups[0]["lr"] = 0.01
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            step()
            eager.step()
    _same(eager, compiled)
    assert eager.model.weight.grad.numpy() == compiled.model.weight.grad.numpy()


def _refused_and_exact(eager: _Seed, compiled: _Seed, step: Compiled, reason: str, calls: int) -> None:
    """The first ``calls`` calls warn that the step stays eager (``reason``); with five more, the trajectory is
    eager minigrad's (no step run twice, none skipped)."""
    with pytest.warns(UserWarning, match=f"stays eager: {reason}"):
        for _ in range(calls):
            step()
            eager.step()
    assert step.refused is not None
    for _ in range(5):
        step()
        eager.step()
    _same(eager, compiled)


def test_adam_is_refused_at_verification_and_stays_exact() -> None:
    """Adam's bias correction changes every step, so the replay differs from the eager step: compile refuses,
    says why, and the trajectory is eager minigrad's (no step run twice, none skipped)."""
    eager, compiled, step = _twins("Adam")
    _refused_and_exact(eager, compiled, step, "replayed, the step computes another", calls=3)
    assert compiled.optimizer.state[compiled.model.weight]["step"].item() == 8


class _Toggling(_Seed):
    """A step that flips its model between training and eval mode each call: a guarded setting it changes itself."""

    def step(self, x=None):
        loss = super().step(x)
        self.model.train(not self.model.training)
        return loss


def test_a_step_that_changes_what_its_guards_check_is_refused_and_stays_exact() -> None:
    """Verification replays from the state before the eager step, whose guards no longer hold after it: compile
    refuses, says why, and leaves the eager step's outcome (parameters and gradients) in place."""
    eager, compiled = _Toggling(), _Toggling()
    step = minigrad.compile(compiled.step)
    _refused_and_exact(eager, compiled, step, "the step changes what its guards check", calls=4)
    for p, q in zip(eager.model.parameters(), compiled.model.parameters()):
        np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())
    assert compiled.model.training == eager.model.training


def test_compiled_step_keeps_grad_attributes_live() -> None:
    """zero_grad outside the step (set_to_none) is undone by the next compiled step, as by an eager one."""
    eager, compiled, step = _twins()
    for _ in range(4):
        eager.step()
        step()
    compiled.optimizer.zero_grad()
    assert compiled.model.weight.grad is None
    step()
    eager.step()
    np.testing.assert_array_equal(compiled.model.weight.grad.numpy(), eager.model.weight.grad.numpy())


def test_returned_losses_are_not_overwritten_by_later_steps() -> None:
    _, _, step = _twins()
    losses = [step() for _ in range(6)]
    values = [loss.item() for loss in losses]
    assert len(set(values)) == 6 and values == sorted(values, reverse=True)


def test_arguments_are_copied_in_not_written() -> None:
    eager, compiled, step = _twins()
    x = minigrad.FloatTensor([[1], [2], [3]])
    for i in range(6):
        batch = x * (1 + 0.1 * i)
        kept = batch.numpy().copy()
        step(batch)
        eager.step(batch)
        np.testing.assert_array_equal(batch.numpy(), kept)
    _same(eager, compiled)


def test_bad_steps_and_non_functions_are_refused() -> None:
    with pytest.raises(TypeError, match="compile expects a function"):
        minigrad.compile(3)
    _, _, step = _twins()
    with pytest.raises(ValueError, match="steps must be a positive integer, but got 0"):
        step(steps=0)


def test_a_step_returning_a_number_stays_eager() -> None:
    seed = _Seed()
    step = minigrad.compile(lambda: seed.step().item())
    with pytest.warns(UserWarning, match="returned a float"):
        values = [step() for _ in range(3)]
    assert step.refused is not None and all(isinstance(v, float) for v in values)


_ANOTHER_ARGUMENT = {
    "shape": (lambda: minigrad.FloatTensor([[1], [2], [3], [4]]),
              r"argument 0 is a float32 tensor of shape \[4, 1\]; it was a float32 tensor of shape \[3, 1\]"),
    "dtype": (lambda: minigrad.DoubleTensor([[1], [2], [3]]),
              r"argument 0 is a float64 tensor of shape \[3, 1\]; it was a float32 tensor of shape \[3, 1\]"),
    "requires_grad": (lambda: minigrad.FloatTensor([[1], [2], [3]]).requires_grad_(),
                      r"argument 0 is a float32 tensor of shape \[3, 1\] requiring grad; it was a float32 tensor"),
    "a number": (lambda: 2.0, r"argument 0 is 2.0; it was a float32 tensor of shape \[3, 1\]"),
}


@pytest.mark.parametrize("change", list(_ANOTHER_ARGUMENT))
def test_another_kind_of_argument_runs_eagerly(change: str) -> None:
    """The arguments' guards (shape, dtype, requires_grad, being a tensor) each send the call to eager minigrad."""
    eager, compiled, step = _twins()
    x = minigrad.FloatTensor([[1], [2], [3]])
    for _ in range(4):
        step(x)
        eager.step(x)
    make, message = _ANOTHER_ARGUMENT[change]
    if change == "shape":
        eager.y = compiled.y = minigrad.FloatTensor([[2], [4], [6], [8]])
    with pytest.warns(UserWarning, match=message):
        compiled_outcome = _outcome(step, make())
    eager_outcome = _outcome(eager.step, make())
    if isinstance(eager_outcome, str):  # the step fails eagerly too (a float64 batch for float32 weights, say)
        assert compiled_outcome == eager_outcome
    else:
        np.testing.assert_array_equal(compiled_outcome, eager_outcome)
    _same(eager, compiled)


def _outcome(step: Any, argument: Any) -> np.ndarray | str:
    """The loss ``step(argument)`` returns, or the error it raises, in words."""
    try:
        return step(argument).detach().numpy()
    except (RuntimeError, TypeError) as error:
        return f"{type(error).__name__}: {error}"


def test_a_strided_argument_of_the_traced_shape_runs_compiled() -> None:
    """A view with other strides passes the guards (shape and dtype) and is copied in element by element."""
    eager, compiled, step = _twins()
    x = minigrad.FloatTensor([[1], [2], [3]])
    for _ in range(4):
        step(x)
        eager.step(x)
    strided = minigrad.FloatTensor([[1, 0], [2, 0], [3, 0]])[:, :1] * 1.5
    every_other = minigrad.FloatTensor([[1.5], [9], [3], [9], [4.5]])[::2]
    for batch in (strided, every_other):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no guard fails: the compiled function runs
            compiled_loss = step(batch)
        np.testing.assert_array_equal(compiled_loss.numpy(), eager.step(batch).detach().numpy())
    _same(eager, compiled)


def test_a_compiled_step_is_kept_in_numba_cache(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The source is written once, as a file named by its hash, so numba caches the machine code: the same step
    compiled again (here, or in a later process) loads it instead of compiling for seconds."""
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))
    steps = []
    for _ in range(2):
        _, _, step = _twins()
        for _ in range(3):
            step()
        steps.append(step)
    assert steps[0].source == steps[1].source
    assert len(list((tmp_path / "minigrad-compile").glob("step_*.py"))) == 1
    assert sum(steps[1]._program.function.stats.cache_hits.values()) == 1


def test_a_step_that_raises_while_traced_is_traced_again() -> None:
    eager, compiled, step = _twins()
    step()
    eager.step()
    with pytest.raises(RuntimeError, match="size of tensor a"):
        step(minigrad.FloatTensor([[1], [2]]))  # 2 samples against 3 targets: the eager error, during the trace
    for _ in range(5):
        step()
        eager.step()
    assert step.refused is None and step.source is not None
    _same(eager, compiled)


def test_without_a_writable_cache_the_step_compiles_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules["minigrad.compile.program"], "_cache_file", lambda source: None)
    eager, compiled, step = _twins()
    for _ in range(6):
        step()
        eager.step()
    assert step.refused is None and step.source is not None
    _same(eager, compiled)


def test_compiling_a_model_gives_pytorchs_wrapper_that_trains() -> None:
    """``model = torch.compile(model)`` as PyTorch 2 tutorials write it: PyTorch's OptimizedModule (its repr, the
    ``_orig_mod.`` state_dict keys, the model's attributes through it), and training through it gives PyTorch's
    losses, step after step (the forward's graph is recorded: it runs eagerly)."""
    found = []
    for fw in (torch, minigrad):
        fw.manual_seed(0)
        model = fw.nn.Sequential(fw.nn.Linear(3, 4), fw.nn.Tanh(), fw.nn.Linear(4, 1))
        compiled = fw.compile(model, mode="reduce-overhead", dynamic=False)
        opt = fw.optim.SGD(compiled.parameters(), lr=0.1)
        x, y = fw.linspace(-1, 1, 15).view(5, 3), fw.linspace(0, 1, 5).view(5, 1)
        losses = []
        for _ in range(6):
            loss = ((compiled(x) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        found.append((repr(compiled), list(compiled.state_dict()), compiled._orig_mod is model, compiled.training,
                      losses))
    assert found[0][:4] == found[1][:4]
    np.testing.assert_allclose(found[1][4], found[0][4], rtol=1e-6)


def test_a_compiled_forward_function_keeps_its_graph() -> None:
    """``@torch.compile`` on a function whose result goes on to backward: it stays eager (with minigrad's warning
    saying why), so its gradient is the eager one; ``@torch.compile(...)`` with options decorates too."""
    @minigrad.compile
    def forward(x: minigrad.Tensor) -> minigrad.Tensor:
        return x.sin() * x

    @minigrad.compile(fullgraph=True, backend="inductor")
    def double(x: minigrad.Tensor) -> minigrad.Tensor:
        return x * 2

    x = minigrad.tensor([0.5, 1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="stays eager: it returned a tensor with a graph"):
        for _ in range(4):
            forward(x).sum().backward()
    expected = 4 * (np.sin([0.5, 1.0, 2.0]) + np.array([0.5, 1.0, 2.0]) * np.cos([0.5, 1.0, 2.0]))
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6)
    assert double(minigrad.ones(2)).tolist() == [2.0, 2.0]
    assert minigrad.compile(forward, disable=True) is forward


def test_a_compiled_model_copies() -> None:
    """``copy.deepcopy(compiled)`` (a training loop keeping its best model): a copy of the wrapper and the model."""
    found = []
    for fw in (torch, minigrad):
        compiled = fw.compile(fw.nn.Linear(2, 3))
        twin = copy.deepcopy(compiled)
        found.append((type(twin).__name__, list(twin.state_dict()), twin.out_features,
                      twin._orig_mod is not compiled._orig_mod))
    assert found[0] == found[1]
