"""The benchmark's workloads, each written once as a function of the framework module ``fw``.

As in ``reference/programs.py``, ``fw`` is ``minigrad`` or ``torch`` (their APIs are the same), so one
definition gives the timed callable and its twin. A workload's ``build(fw, sizes)`` sets up the data, model
and optimizer (untimed) and returns the callable whose calls are timed. Groups:

- ``seed``: one training step of the seed tutorial's linear and logistic regression (forward, loss,
  ``zero_grad``, backward, ``step``), from ``reference.programs``; and the same step as its five phases
  (``Workload.phases``), each timed and its function calls counted apart.
- ``compiled``: the same steps through ``minigrad.compile`` (against torch's eager step): one step per call, and
  ``steps=1000`` per call (time per step).
- ``ops``: per-op overhead on 3×3 tensors (add, mul, matmul, sigmoid; with and without ``requires_grad``, which
  records a graph node) and a small backward; and ``x[idx]``, 32 rows out of 200,000 (forward, and with backward).
- ``lean``: small eager programs as people write them: a recorded chain of four ops on 3×3 tensors and its
  backward, a training step of Karpathy's makemore part 3 MLP, and an epoch of a DataLoader training a small MLP
  with Adam.
- ``mlp``: one training step (same five parts, SGD) of a 784-256-10 MLP, sigmoid or ReLU, MSE or cross-entropy.
- ``nets``: a training step of ``examples/digits_cnn.py``'s network (batch 64), one Conv2d's forward and backward
  on 28×28 images, and a training step of a 2-layer LSTM (batch 32, 50 steps, hidden 128).
- ``large``: elementwise ops, their backward, and SGD-momentum and Adam steps on ``sizes.big`` float32 elements
  (10M in the full run), judged in GB/s from the least traffic each must make (``bytes_per_element``).
- ``startup``: the whole process of ``examples/linear_regression.py`` against its torch twin (``startup_samplers``).
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from reference.programs import LINEAR_REGRESSION, LOGISTIC_REGRESSION, Program

from .harness import Sampler, process_sampler
from .report import format_time

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SCRIPT = ROOT / "examples" / "linear_regression.py"


@dataclass(frozen=True)
class Sizes:
    """How big the workloads are: the full run's sizes, or the quick mode's smaller ones."""

    big: int  # elements of each tensor in the ``large`` group
    batch: int  # the MLP's batch
    samples: int  # the DataLoader epoch's dataset


@dataclass(frozen=True)
class Target:
    """A target from the issue: minigrad/torch at most ``max_ratio`` (a number, or a function of PyTorch's seconds
    where the issue's bound depends on how fast the host runs PyTorch), and/or minigrad's GB/s at least
    ``min_bandwidth`` of the measured copy bandwidth. Neither: no target."""

    text: str
    max_ratio: float | Callable[[float], float] | None = None
    min_bandwidth: float | None = None

    def ratio_at(self, torch_s: float) -> float | None:
        """The ratio bound where PyTorch takes ``torch_s``; None when the target sets none."""
        return self.max_ratio(torch_s) if callable(self.max_ratio) else self.max_ratio

    def text_at(self, torch_s: float) -> str:
        """The target in a row's words: a bound that depends on the host given as it applies here, with
        PyTorch's time beside it."""
        if callable(self.max_ratio):
            return f"≤ {self.max_ratio(torch_s):.3g} at torch's {format_time(torch_s)}"
        return self.text

    def met(self, minigrad_s: float, torch_s: float, bandwidth_fraction: float | None) -> bool | None:
        """Whether every stated bound holds; None when the target states none."""
        checks = []
        ratio = self.ratio_at(torch_s)
        if ratio is not None:
            checks.append(minigrad_s / torch_s <= ratio)
        if self.min_bandwidth is not None:
            checks.append(bandwidth_fraction is not None and bandwidth_fraction >= self.min_bandwidth)
        return all(checks) if checks else None


SEED_BOUND_S = 50e-6  # micrograd's scalar step takes about 50 µs


def seed_ratio(torch_s: float) -> float:
    """The issue's bound on the seed steps: at most 0.2 of PyTorch's time where PyTorch's step takes 250 µs or
    more, at most 0.5 where it takes 100 µs or less. In between, 50 µs, the time both ends give (0.2 × 250 µs =
    0.5 × 100 µs), so the bound runs on without a jump; as a ratio, 50 µs over PyTorch's time."""
    return min(0.5, max(0.2, SEED_BOUND_S / torch_s))


NO_TARGET = Target("—")
SEED_TARGET = Target("≤ 0.5 (torch ≤ 100 µs) to ≤ 0.2 (torch ≥ 250 µs)", max_ratio=seed_ratio)
MLP_TARGET = Target("≤ 1.0", max_ratio=1.0)
LEAN_TARGET = Target("≤ 1.0", max_ratio=1.0)
NODE_TARGET = Target("≤ 2.0", max_ratio=2.0)  # one op on 3×3 tensors that records a node
CNN_TARGET = Target("≤ 2.0", max_ratio=2.0)
LSTM_TARGET = Target("≤ 1.5", max_ratio=1.5)
BANDWIDTH_TARGET = Target("≥ 80% of copy GB/s", min_bandwidth=0.8)
STARTUP_WARM_TARGET = Target("≤ 0.5", max_ratio=0.5)
STARTUP_EMPTY_TARGET = Target("≤ 1.5", max_ratio=1.5)
COMPILED_TARGET = Target("≤ 0.01", max_ratio=0.01)
COMPILED_LOOP_TARGET = Target("≤ 0.001", max_ratio=0.001)
LOOP_STEPS = 1000  # steps per call of the compiled loop workloads

Build = Callable[[ModuleType, Sizes], Callable[[], Any]]
PhaseBuild = Callable[[ModuleType, Sizes], dict[str, Callable[[], None]]]  # a step's phases, named, in order


@dataclass(frozen=True)
class Workload:
    """A timed callable, defined once for both frameworks (``build``), or a whole process (``build`` None: timed
    through ``startup_samplers``). ``title`` may name ``{n}`` and ``{batch}``, filled in from the sizes."""

    key: str  # what ``--only`` selects (as does the group's name)
    group: str
    title: str
    build: Build | None
    target: Target = NO_TARGET
    bytes_per_element: int = 0  # large group: the least bytes each element must move (reads + writes, float32)
    steps: int = 1  # training steps in one call of minigrad's callable (its time is reported per step)
    phases: PhaseBuild | None = None  # the callable's step as phases, each timed and its calls counted apart

    @property
    def sized(self) -> bool:
        """Whether ``Sizes`` sets how big the workload is (its title names ``{n}``, ``{batch}`` or ``{samples}``):
        quick mode shrinks these, so their targets, defined for the full sizes, cannot be judged there."""
        return any(f"{{{name}}}" in self.title for name in ("n", "batch", "samples"))

    def label(self, sizes: Sizes) -> str:
        """The title with the sizes filled in (10M written as "10M")."""
        n = f"{sizes.big // 1_000_000}M" if sizes.big % 1_000_000 == 0 else f"{sizes.big:,}"
        return self.title.format(n=n, batch=sizes.batch, samples=f"{sizes.samples:,}")


def _training_step(model: Any, loss_fn: Callable[[Any, Any], Any], optimizer: Any, x: Any, y: Any) -> Callable[[], Any]:
    """One training step as the seed writes it: forward, loss, zero_grad, backward, step."""
    def step() -> Any:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    return step


def _training_phases(model: Any, loss_fn: Callable[[Any, Any], Any], optimizer: Any, x: Any,
                     y: Any) -> dict[str, Callable[[], None]]:
    """``_training_step``'s five statements as five functions, called in this order (each result the next phase
    needs is kept in between), so that each can be timed and profiled alone."""
    held: dict[str, Any] = {}

    def forward() -> None:
        held["h"] = model(x)

    def loss() -> None:
        held["loss"] = loss_fn(held.pop("h"), y)

    def zero_grad() -> None:
        optimizer.zero_grad()

    def backward() -> None:
        held["loss"].backward()

    def step() -> None:
        optimizer.step()

    return {"forward": forward, "loss": loss, "zero_grad": zero_grad, "backward": backward, "step": step}


def _seed_setup(program: Program, fw: ModuleType) -> tuple[Any, Callable[[Any, Any], Any], Any, Any, Any]:
    """One of the seed's programs set up as the tutorial does: model, loss, optimizer, x, y (seeded first)."""
    fw.manual_seed(program.seed)
    x, y = program.data(fw)
    model = program.model(fw)
    return model, program.loss(fw), program.optimizer(fw, model.parameters()), x, y


def _seed_step(program: Program) -> Build:
    """A step of one of the seed's programs, set up as the tutorial does (seed, data, model, optimizer)."""
    return lambda fw, sizes: _training_step(*_seed_setup(program, fw))


def _seed_phases(program: Program) -> PhaseBuild:
    """The same step, phase by phase (``_training_phases``)."""
    return lambda fw, sizes: _training_phases(*_seed_setup(program, fw))


def _compiled_seed_step(program: Program, steps: int) -> Build:
    """The seed step, through ``minigrad.compile`` on minigrad (warmed up: traced, compiled and verified), running
    ``steps`` steps a call; torch's eager step as it is."""
    eager = _seed_step(program)

    def build(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
        step = eager(fw, sizes)
        if fw.__name__ != "minigrad":
            return step
        compiled = fw.compile(step)
        for _ in range(3):
            compiled()
        return (lambda: compiled(steps=steps)) if steps > 1 else compiled

    return build


def _pair(fw: ModuleType, shape: tuple[int, ...], requires_grad: bool) -> tuple[Any, Any]:
    """Two standard-normal float32 tensors of ``shape``."""
    fw.manual_seed(0)
    return fw.randn(*shape, requires_grad=requires_grad), fw.randn(*shape, requires_grad=requires_grad)


Op = Callable[[ModuleType, Any, Any], Any]
OPS: dict[str, Op] = {
    "add": lambda fw, a, b: a + b,
    "mul": lambda fw, a, b: a * b,
    "matmul": lambda fw, a, b: a @ b,
    "sigmoid": lambda fw, a, b: fw.sigmoid(a),
}


def _tiny_op(op: Op, requires_grad: bool) -> Build:
    """One op on 3×3 tensors: dispatch, promotion, allocation, and with ``requires_grad`` the graph node."""
    def build(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
        a, b = _pair(fw, (3, 3), requires_grad)
        return lambda: op(fw, a, b)

    return build


def _backward(op: Op, tiny: bool) -> Build:
    """The backward pass alone, of ``op`` on two leaves: 3×3 and summed to a scalar when ``tiny``, else of
    ``sizes.big`` elements and seeded with a random gradient. The graph is built once and kept (``retain_graph``);
    each call clears the leaves' ``.grad`` (as ``zero_grad`` does) and runs backward, so what is timed is the
    engine, the gradient kernels and the leaves' gradient accumulation."""
    def build(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
        shape = (3, 3) if tiny else (sizes.big,)
        a, b = _pair(fw, shape, requires_grad=True)
        out = op(fw, a, b).sum() if tiny else op(fw, a, b)
        seed = None if tiny else fw.randn(*shape)

        def step() -> None:
            a.grad = b.grad = None
            out.backward(seed, retain_graph=True)

        return step

    return build


def _index_rows(backward: bool) -> Build:
    """``x[idx]``: 32 random rows of a 200,000×3 float32 ``x`` picked by a long tensor, as a minibatch loop picks
    ``Xtr[ix]``; with ``backward``, then ``.sum().backward()`` into ``x.grad`` (cleared each call)."""
    def build(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
        fw.manual_seed(0)
        x = fw.randn(200_000, 3, requires_grad=backward)
        idx = fw.randint(0, 200_000, (32,))
        if not backward:
            return lambda: x[idx]

        def step() -> None:
            x.grad = None
            x[idx].sum().backward()

        return step

    return build


def _chain(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
    """``(a * b + a).sigmoid().sum().backward()`` on two 3×3 leaves: four recorded ops and the engine's walk back
    through them (the leaves' ``.grad`` cleared each call, as ``zero_grad`` does)."""
    a, b = _pair(fw, (3, 3), requires_grad=True)

    def step() -> None:
        a.grad = b.grad = None
        (a * b + a).sigmoid().sum().backward()

    return step


def _makemore_step(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
    """A training step of the character-level MLP of Karpathy's makemore part 3 (BatchNorm), as the lecture writes
    it: a minibatch of 32 three-character contexts drawn from 50,000, embedded by C (27×10) and flattened to 30,
    times W1 (30×200, no bias), batch-normalized by hand (the batch's mean and unbiased std, a gain and a bias; the
    running statistics updated under ``no_grad``), tanh, times W2 (200×27) plus b2, cross-entropy; then the
    gradients set to None, backward, and SGD by hand, ``p.data += -0.1 * p.grad``. The words are random
    characters: the lecture's names dataset would not change the work."""
    fw.manual_seed(0)
    vocab, n_embd, block, n_hidden, batch = 27, 10, 3, 200, 32
    x, y = fw.randint(0, vocab, (50_000, block)), fw.randint(0, vocab, (50_000,))
    c = fw.randn((vocab, n_embd))
    w1 = fw.randn((n_embd * block, n_hidden)) * (5 / 3) / (n_embd * block) ** 0.5
    w2 = fw.randn((n_hidden, vocab)) * 0.01
    b2 = fw.randn(vocab) * 0
    bngain, bnbias = fw.ones((1, n_hidden)), fw.zeros((1, n_hidden))
    running = {"mean": fw.zeros((1, n_hidden)), "std": fw.ones((1, n_hidden))}
    parameters = [c, w1, w2, b2, bngain, bnbias]
    for p in parameters:
        p.requires_grad = True

    def step() -> Any:
        ix = fw.randint(0, x.shape[0], (batch,))
        xb, yb = x[ix], y[ix]
        emb = c[xb]
        hpreact = emb.view(emb.shape[0], -1) @ w1
        bnmeani = hpreact.mean(0, keepdim=True)
        bnstdi = hpreact.std(0, keepdim=True)
        hpreact = bngain * (hpreact - bnmeani) / bnstdi + bnbias
        with fw.no_grad():
            running["mean"] = 0.999 * running["mean"] + 0.001 * bnmeani
            running["std"] = 0.999 * running["std"] + 0.001 * bnstdi
        h = fw.tanh(hpreact)
        logits = h @ w2 + b2
        loss = fw.nn.functional.cross_entropy(logits, yb)
        for p in parameters:
            p.grad = None
        loss.backward()
        for p in parameters:
            p.data += -0.1 * p.grad
        return loss

    return step


def _loader_epoch(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
    """An epoch of a DataLoader over a TensorDataset (``sizes.samples`` samples of 20 features, random labels of 5
    classes; batches of 64, shuffled: with 10,000 samples, 157 steps, the last of 16) training a 20-64-5 ReLU MLP,
    cross-entropy, Adam."""
    nn = fw.nn
    fw.manual_seed(0)
    data = fw.utils.data.TensorDataset(fw.randn(sizes.samples, 20), fw.randint(0, 5, (sizes.samples,)))
    loader = fw.utils.data.DataLoader(data, batch_size=64, shuffle=True)
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 5))
    optimizer = fw.optim.Adam(model.parameters())

    def epoch() -> Any:
        for xb, yb in loader:
            loss = nn.functional.cross_entropy(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return loss

    return epoch


def _mlp_step(activation: str, loss: str) -> Build:
    """A training step of Linear(784, 256) → ``activation`` → Linear(256, 10) on a random batch, SGD(lr=0.01);
    ``loss`` is ``mse`` (against random targets) or ``cross_entropy`` (against random class labels)."""
    def build(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
        nn = fw.nn
        fw.manual_seed(0)
        model = nn.Sequential(nn.Linear(784, 256), getattr(nn, activation)(), nn.Linear(256, 10))
        x = fw.randn(sizes.batch, 784)
        if loss == "mse":
            y, loss_fn = fw.randn(sizes.batch, 10), nn.functional.mse_loss
        else:
            y, loss_fn = fw.randint(0, 10, (sizes.batch,)), nn.functional.cross_entropy
        return _training_step(model, loss_fn, fw.optim.SGD(model.parameters(), lr=0.01), x, y)

    return build


def _digits_cnn_step(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
    """A training step of ``examples/digits_cnn.py``'s network (conv 1→16, ReLU, max-pool, conv 16→32, ReLU,
    max-pool, linear 128→10; cross-entropy, SGD with momentum 0.9) on a random batch of 64 8×8 images."""
    nn = fw.nn
    fw.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 2 * 2, 10),
    )
    x, y = fw.rand(64, 1, 8, 8), fw.randint(0, 10, (64,))
    optimizer = fw.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return _training_step(model, nn.functional.cross_entropy, optimizer, x, y)


def _conv_forward_backward(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
    """Conv2d(16, 32, 3, padding=1) on a 64×16×28×28 input that requires grad, and the backward of a random
    cotangent into the input and both parameters (their gradients cleared each call)."""
    fw.manual_seed(0)
    conv = fw.nn.Conv2d(16, 32, kernel_size=3, padding=1)
    x = fw.randn(64, 16, 28, 28, requires_grad=True)
    seed = fw.randn(64, 32, 28, 28)

    def step() -> None:
        x.grad = conv.weight.grad = conv.bias.grad = None
        conv(x).backward(seed)

    return step


def _lstm_step(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
    """A training step of a 2-layer LSTM (input 128, hidden 128) on a random (50 steps, batch 32) sequence: MSE of
    every step's output against a random target, SGD."""
    fw.manual_seed(0)
    model = fw.nn.LSTM(128, 128, num_layers=2)
    x, y = fw.randn(50, 32, 128), fw.randn(50, 32, 128)
    return _training_step(model, lambda out, target: fw.nn.functional.mse_loss(out[0], target),
                          fw.optim.SGD(model.parameters(), lr=0.01), x, y)


def _second_order(hvp: bool) -> Build:
    """The gradient of a small network's loss (64 samples, 32 -> 64 -> 1, tanh, MSE, float64) with respect to its
    first layer's weight W; with ``hvp``, the Hessian-vector product H v along a fixed v: the gradient, recorded
    (``create_graph=True``), then the gradient of its dot with v (reverse over reverse)."""
    def build(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
        fw.manual_seed(0)
        x, y, v = (fw.randn(*shape, dtype=fw.float64) for shape in ((64, 32), (64, 1), (64, 32)))
        w1, w2 = fw.randn(64, 32, dtype=fw.float64, requires_grad=True), fw.randn(1, 64, dtype=fw.float64)

        def step() -> Any:
            loss = ((x @ w1.t()).tanh() @ w2.t() - y).pow(2).mean()
            (g,) = fw.autograd.grad(loss, w1, create_graph=hvp)
            return fw.autograd.grad((g * v).sum(), w1) if hvp else g

        return step

    return build


def _big_op(op: Op) -> Build:
    """``op`` on two tensors of ``sizes.big`` float32 elements (no graph recorded)."""
    def build(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
        a, b = _pair(fw, (sizes.big,), requires_grad=False)
        return lambda: op(fw, a, b)

    return build


def _optimizer_step(make: Callable[[ModuleType, list[Any]], Any]) -> Build:
    """``optimizer.step()`` over one parameter of ``sizes.big`` elements with a fixed gradient (after the warm-up,
    the state exists: the timed step is the steady-state update)."""
    def build(fw: ModuleType, sizes: Sizes) -> Callable[[], Any]:
        fw.manual_seed(0)
        param = fw.nn.Parameter(fw.randn(sizes.big))
        param.grad = fw.randn(sizes.big)
        return make(fw, [param]).step

    return build


WORKLOADS: list[Workload] = [
    *(
        Workload(program.name.split("_")[0], "seed", f"seed {program.name.replace('_', ' ')}: training step",
                 _seed_step(program), SEED_TARGET, phases=_seed_phases(program))
        for program in (LINEAR_REGRESSION, LOGISTIC_REGRESSION)
    ),
    *(
        Workload(f"{program.name.split('_')[0]}-compiled{'-loop' if steps > 1 else ''}", "compiled",
                 f"seed {program.name.replace('_', ' ')}: compiled step" + (f", steps={steps} (per step)" if steps > 1
                                                                             else ""),
                 _compiled_seed_step(program, steps), COMPILED_LOOP_TARGET if steps > 1 else COMPILED_TARGET,
                 steps=steps)
        for program in (LINEAR_REGRESSION, LOGISTIC_REGRESSION) for steps in (1, LOOP_STEPS)
    ),
    *(
        Workload(f"{name}{'-grad' if grad else ''}", "ops", f"{name} 3×3{', requires_grad' if grad else ''}",
                 _tiny_op(op, grad), NODE_TARGET if grad else NO_TARGET)
        for name, op in OPS.items() for grad in (False, True)
    ),
    Workload("backward", "ops", "backward of (a * b).sum(), 3×3", _backward(OPS["mul"], tiny=True)),
    Workload("index-rows", "ops", "index 32 rows of 200,000", _index_rows(backward=False)),
    Workload("index-rows-backward", "ops", "index 32 rows of 200,000: forward and backward",
             _index_rows(backward=True)),
    Workload("chain", "lean", "(a * b + a).sigmoid().sum().backward(), 3×3", _chain, LEAN_TARGET),
    Workload("makemore-step", "lean", "makemore part 3 MLP (BatchNorm), batch 32: step", _makemore_step,
             LEAN_TARGET),
    Workload("loader-epoch", "lean", "DataLoader epoch, {samples}×20, batch 64: 20-64-5 MLP, Adam", _loader_epoch,
             LEAN_TARGET),
    *(
        Workload(f"mlp-{activation.lower()}-{loss}", "mlp",
                 f"MLP 784-256-10 {activation}, {loss}, batch {{batch}}: step", _mlp_step(activation, loss), MLP_TARGET)
        for activation in ("Sigmoid", "ReLU") for loss in ("mse", "cross_entropy")
    ),
    Workload("cnn-step", "nets", "digits CNN, batch 64: step", _digits_cnn_step, CNN_TARGET),
    Workload("conv2d", "nets", "Conv2d 16→32 3×3 on 64×16×28×28: forward + backward", _conv_forward_backward),
    Workload("lstm-step", "nets", "LSTM 2 layers, hidden 128, batch 32, 50 steps: step", _lstm_step, LSTM_TARGET),
    Workload("gradient", "second-order", "gradient of a 32-64-1 tanh network's loss, float64", _second_order(False)),
    Workload("hvp", "second-order", "Hessian-vector product of the same loss (reverse over reverse)",
             _second_order(True)),
    # Least traffic per element, float32 (4 bytes): each input read once, each output written once.
    # a + b, a * b: read a, b; write the result: 12 bytes.
    Workload("big-add", "large", "add, {n} floats", _big_op(OPS["add"]), BANDWIDTH_TARGET, 12),
    Workload("big-mul", "large", "mul, {n} floats", _big_op(OPS["mul"]), BANDWIDTH_TARGET, 12),
    # sigmoid(a): read a; write the result: 8 bytes.
    Workload("big-sigmoid", "large", "sigmoid, {n} floats", _big_op(OPS["sigmoid"]), BANDWIDTH_TARGET, 8),
    # backward of a * b: read the incoming gradient g, a and b; write a.grad = g * b and b.grad = g * a: 20 bytes.
    Workload("big-mul-backward", "large", "mul backward, {n} floats", _backward(OPS["mul"], tiny=False),
             BANDWIDTH_TARGET, 20),
    # backward of y = sigmoid(a): read g and the saved y; write a.grad = g * y * (1 - y): 12 bytes.
    Workload("big-sigmoid-backward", "large", "sigmoid backward, {n} floats",
             _backward(OPS["sigmoid"], tiny=False), BANDWIDTH_TARGET, 12),
    # SGD with momentum: read param, grad, momentum buffer; write param, buffer: 20 bytes.
    Workload("sgd-momentum", "large", "SGD-momentum step, {n} params",
             _optimizer_step(lambda fw, params: fw.optim.SGD(params, lr=0.01, momentum=0.9)), BANDWIDTH_TARGET, 20),
    # Adam: read param, grad, exp_avg, exp_avg_sq; write param, exp_avg, exp_avg_sq: 28 bytes.
    Workload("adam", "large", "Adam step, {n} params", _optimizer_step(lambda fw, params: fw.optim.Adam(params)),
             BANDWIDTH_TARGET, 28),
    Workload("startup-warm", "startup", "whole process, warm numba cache", None, STARTUP_WARM_TARGET),
    Workload("startup-empty", "startup", "whole process, empty numba cache", None, STARTUP_EMPTY_TARGET),
]


def torch_twin(source: str) -> str:
    """The same program on PyTorch: every ``minigrad`` name becomes ``torch`` (as ``tests/test_examples.py``)."""
    return re.sub(r"\bminigrad\b", "torch", source)


def startup_samplers(workdir: Path, env: dict[str, str]) -> tuple[Sampler, Sampler, Sampler]:
    """Samplers of ``python examples/linear_regression.py``'s wall time with an empty numba cache and with a warm
    one, and of its torch twin's (written under ``workdir``), each a child process with ``env``.

    The empty sampler gives each run a fresh ``NUMBA_CACHE_DIR``, so the run compiles every kernel it uses and
    fills that directory; the warm sampler runs with the directory the latest empty run filled, so it needs one
    empty run before its first (the "run once before timing" that warms the cache)."""
    twin = workdir / "linear_regression_torch.py"
    twin.write_text(torch_twin(STARTUP_SCRIPT.read_text()))
    caches: list[str] = []

    def empty_env() -> dict[str, str]:
        caches.append(tempfile.mkdtemp(prefix="numba-cache-", dir=workdir))
        return {**env, "NUMBA_CACHE_DIR": caches[-1]}

    def warm_env() -> dict[str, str]:
        return {**env, "NUMBA_CACHE_DIR": caches[-1]}

    return (
        process_sampler([sys.executable, str(STARTUP_SCRIPT)], empty_env, str(ROOT)),
        process_sampler([sys.executable, str(STARTUP_SCRIPT)], warm_env, str(ROOT)),
        process_sampler([sys.executable, str(twin)], env, str(ROOT)),
    )
