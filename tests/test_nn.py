"""nn, functional, init and optim against PyTorch: module behaviour, reprs, losses, initial values, updates."""

from __future__ import annotations

import inspect
import math
import warnings
from collections import OrderedDict
from typing import Any

import numpy as np
import pytest
import torch
from conftest import DEVICES, assert_close, assert_same_error, numpy_of

import minigrad

FRAMEWORKS = [minigrad, torch]


def both(build):
    """build(fw) for minigrad and for torch."""
    return build(minigrad), build(torch)


# ----- modules ---------------------------------------------------------------------------------------------
class TwoLayer:
    """A user subclass of Module, defined once for each framework: registration by attribute assignment."""

    @staticmethod
    def make(fw):
        class Net(fw.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.hidden = fw.nn.Linear(3, 4)
                self.act = fw.nn.Tanh()
                self.head = fw.nn.Sequential(fw.nn.Linear(4, 2, bias=False), fw.nn.Sigmoid())
                self.scale = fw.nn.Parameter(fw.ones(2))
                self.register_buffer("steps", fw.zeros(1))
                self.note = "not registered"

            def forward(self, x):
                return self.head(self.act(self.hidden(x))) * self.scale

        fw.manual_seed(3)
        return Net()


def test_user_module_registers_parameters_and_submodules_like_torch() -> None:
    ours, theirs = both(TwoLayer.make)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [type(m).__name__ for m in ours.children()] == [type(m).__name__ for m in theirs.children()]
    assert repr(ours) == repr(theirs)
    for (_, a), (_, b) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert np.array_equal(a.detach().numpy(), b.detach().numpy())


def test_forward_backward_and_zero_grad_of_a_user_module() -> None:
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    results = []
    for fw in FRAMEWORKS:
        net = TwoLayer.make(fw)
        out = net(fw.tensor(x))
        out.sum().backward()
        grads = {n: p.grad.numpy().copy() for n, p in net.named_parameters()}
        net.zero_grad()
        assert all(p.grad is None for p in net.parameters())
        results.append((out.detach().numpy(), grads))
    (out_m, grads_m), (out_t, grads_t) = results
    np.testing.assert_allclose(out_m, out_t, rtol=2e-6, atol=1e-6)
    for name in grads_t:
        np.testing.assert_allclose(grads_m[name], grads_t[name], rtol=2e-6, atol=1e-6, err_msg=name)


@pytest.mark.parametrize("build", [
    lambda fw: fw.nn.Linear(1, 1),
    lambda fw: fw.nn.Linear(3, 2, bias=False),
    lambda fw: fw.nn.Sequential(fw.nn.Linear(2, 1), fw.nn.Sigmoid()),
    lambda fw: fw.nn.Sequential(fw.nn.Linear(2, 4), fw.nn.ReLU(), fw.nn.Sequential(fw.nn.Linear(4, 1)), fw.nn.Tanh()),
    lambda fw: fw.nn.Sequential(OrderedDict([("fc", fw.nn.Linear(2, 2)), ("out", fw.nn.Identity())])),
    lambda fw: fw.nn.MSELoss(), lambda fw: fw.nn.BCELoss(), lambda fw: fw.nn.BCEWithLogitsLoss(),
    lambda fw: fw.nn.L1Loss(reduction="sum"), lambda fw: fw.nn.ReLU(inplace=True),
    lambda fw: [fw.nn.Parameter(fw.tensor([[-0.8362]])), fw.nn.Parameter(fw.tensor([1, 2]), requires_grad=False)],
], ids=["linear", "linear-nobias", "seq", "nested", "ordered", "mse", "bce", "bcelogits", "l1", "relu", "params"])
def test_repr_equals_torch(build) -> None:
    ours, theirs = both(build)
    assert repr(ours) == repr(theirs)


def test_state_dict_round_trip_and_train_eval() -> None:
    ours, theirs = both(TwoLayer.make)
    state = ours.state_dict()
    assert all(not t.requires_grad for t in state.values())
    fresh = TwoLayer.make(minigrad)
    with minigrad.no_grad():
        for p in fresh.parameters():
            p.fill_(0.5)
    result = fresh.load_state_dict(state)
    assert repr(result) == repr(theirs.load_state_dict(theirs.state_dict())) == "<All keys matched successfully>"
    for name, value in fresh.state_dict().items():
        assert np.array_equal(value.numpy(), state[name].numpy())
    assert ours.training and not ours.eval().training and not ours.head[0].training
    assert ours.train().head[1].training


def test_to_float64_converts_parameters_in_place() -> None:
    for fw in FRAMEWORKS:
        fw.manual_seed(0)
        model = fw.nn.Linear(2, 1)
        weight = model.weight
        model.to(fw.float64)
        assert model.weight is weight and model.weight.dtype == fw.float64 and model.bias.dtype == fw.float64
        assert model(fw.ones(3, 2, dtype=fw.float64)).dtype == fw.float64
        assert model.to("cpu") is model


# ----- errors ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.nn.Linear(2, 1)(fw.ones(4, 3)), id="linear-shapes"),
    pytest.param(lambda fw: fw.nn.Linear(2, 1)(fw.ones(4, 2, dtype=fw.float64)), id="linear-dtype"),
    pytest.param(lambda fw: fw.nn.functional.linear(fw.ones(4, 3), fw.ones(2, 3), fw.ones(3)), id="linear-bias"),
    pytest.param(lambda fw: fw.nn.functional.mse_loss(fw.ones(3), fw.ones(3), reduction="avg"), id="reduction"),
    pytest.param(lambda fw: fw.nn.functional.binary_cross_entropy(fw.ones(3, 1), fw.ones(3)), id="bce-shapes"),
    pytest.param(lambda fw: fw.nn.functional.binary_cross_entropy(fw.tensor([1.5]), fw.ones(1)), id="bce-input"),
    pytest.param(lambda fw: fw.nn.functional.binary_cross_entropy(fw.ones(1) / 2, fw.tensor([-1.0])),
                 id="bce-target"),
    pytest.param(lambda fw: fw.nn.functional.binary_cross_entropy(fw.tensor([float("nan")]), fw.ones(1)),
                 id="bce-nan"),
    pytest.param(lambda fw: fw.nn.functional.binary_cross_entropy(fw.ones(2) / 2, fw.ones(2, dtype=fw.float64)),
                 id="bce-dtype"),
    pytest.param(lambda fw: fw.nn.functional.binary_cross_entropy_with_logits(fw.ones(3), fw.ones(3, 1)),
                 id="bcelogits-shapes"),
    pytest.param(lambda fw: fw.nn.functional.mse_loss(fw.ones(3), fw.ones(3), weight=fw.ones(2)), id="mse-weight"),
    pytest.param(lambda fw: fw.nn.Module()(1), id="no-forward"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).nothing, id="no-attribute"),
    pytest.param(lambda fw: setattr(fw.nn.Linear(1, 1), "weight", fw.ones(1, 1)), id="assign-tensor-as-param"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).load_state_dict({"weight": fw.ones(1, 1)}), id="missing-key"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).load_state_dict(
        {"weight": fw.ones(1, 1), "bias": fw.ones(1), "extra": fw.ones(1)}), id="unexpected-key"),
    pytest.param(lambda fw: fw.nn.Linear(1, 1).load_state_dict({"weight": fw.ones(2, 1), "bias": fw.ones(1)}),
                 id="state-shape"),
    pytest.param(lambda fw: fw.nn.init.xavier_uniform_(fw.ones(3)), id="fan-1d"),
    pytest.param(lambda fw: fw.nn.init.kaiming_uniform_(fw.ones(3, 3), mode="fan_avg"), id="fan-mode"),
    pytest.param(lambda fw: fw.nn.init.calculate_gain("swish"), id="gain"),
    pytest.param(lambda fw: fw.optim.SGD([], lr=0.1), id="sgd-empty"),
    pytest.param(lambda fw: fw.optim.SGD(fw.ones(2, requires_grad=True), lr=0.1), id="sgd-tensor"),
    pytest.param(lambda fw: fw.optim.SGD([fw.ones(2, requires_grad=True) * 2], lr=0.1), id="sgd-non-leaf"),
    pytest.param(lambda fw: fw.optim.SGD([fw.ones(2, requires_grad=True)], lr=-1), id="sgd-lr"),
    pytest.param(lambda fw: fw.optim.SGD([fw.ones(2, requires_grad=True)], lr=0.1, momentum=-1), id="sgd-momentum"),
    pytest.param(lambda fw: fw.optim.SGD([fw.ones(2, requires_grad=True)], weight_decay=-1), id="sgd-wd"),
    pytest.param(lambda fw: fw.optim.SGD([fw.ones(2, requires_grad=True)], nesterov=True), id="sgd-nesterov"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).uniform_(), id="inplace-leaf"),
    pytest.param(lambda fw: fw.zeros(2, 3).copy_(fw.ones(4)), id="copy-shape"),
])
def test_bad_input_raises_torch_error(bad) -> None:
    assert_same_error(bad)


def test_mse_warns_about_broadcast_targets_like_torch() -> None:
    messages = []
    for fw in FRAMEWORKS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fw.nn.functional.mse_loss(fw.ones(3, 1), fw.ones(3))
        messages.append(str(caught[0].message).replace("torch.", "minigrad."))
    assert messages[0] == messages[1]


# ----- losses -----------------------------------------------------------------------------------------------
LOSS_CALLS = {
    "mse": lambda f, x, y, w: f.mse_loss(x, y),
    "mse-weighted": lambda f, x, y, w: f.mse_loss(x, y, weight=w),
    "mse-weighted-sum": lambda f, x, y, w: f.mse_loss(x, y, weight=w, reduction="sum"),
    "l1": lambda f, x, y, w: f.l1_loss(x, y),
    "l1-weighted-none": lambda f, x, y, w: f.l1_loss(x, y, weight=w, reduction="none"),
    "bce": lambda f, x, y, w: f.binary_cross_entropy(x.sigmoid(), y),
    "bce-weighted": lambda f, x, y, w: f.binary_cross_entropy(x.sigmoid(), y, weight=w),
    "bce-weight-row": lambda f, x, y, w: f.binary_cross_entropy(x.sigmoid(), y, weight=w[0]),
    "bce-logits": lambda f, x, y, w: f.binary_cross_entropy_with_logits(x, y),
    "bce-logits-weighted": lambda f, x, y, w: f.binary_cross_entropy_with_logits(x, y, weight=w, reduction="sum"),
    "bce-logits-pos-weight": lambda f, x, y, w: f.binary_cross_entropy_with_logits(x, y, pos_weight=w[0] * 3),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", LOSS_CALLS)
def test_loss_options_match_torch(name: str, dtype: str, device: str) -> None:
    rng = np.random.default_rng(len(name))
    x, y, w = (rng.uniform(-3, 3, (4, 5)), rng.uniform(0, 1, (4, 5)), rng.uniform(0.1, 2, (4, 5)))
    x, y, w = (a.astype(dtype) for a in (x, y, w))
    out = {}
    for fw, dev in ((minigrad, None), (torch, device)):
        kw = {"device": dev} if dev else {}
        xt = fw.tensor(x, requires_grad=True, **kw)
        yt = fw.tensor(y, requires_grad=True, **kw)
        loss = LOSS_CALLS[name](fw.nn.functional, xt, yt, fw.tensor(w, **kw))
        loss.backward(fw.ones_like(loss))
        out[fw.__name__] = (loss, xt.grad, yt.grad)
    for a, b, what in zip(out["minigrad"], out["torch"], ("loss", "input grad", "target grad")):
        assert_close(a, b, what)


def test_bce_clamps_log_at_minus_100_with_torch_gradient() -> None:
    results = []
    for fw in FRAMEWORKS:
        p = fw.tensor([0.0, 1.0, 0.0, 1.0, 0.5], requires_grad=True)
        y = fw.tensor([1.0, 0.0, 0.0, 1.0, 0.5])
        loss = fw.nn.functional.binary_cross_entropy(p, y, reduction="none")
        loss.sum().backward()
        results.append((loss.detach().numpy(), p.grad.numpy()))
    assert np.array_equal(results[0][0], results[1][0])
    assert np.array_equal(results[0][1], results[1][1])
    assert results[0][0][0] == 100 and results[0][1][0] == np.float32(-999999995904.0)


# ----- init -----------------------------------------------------------------------------------------------------
INITS = {
    "uniform": lambda fw, t: fw.nn.init.uniform_(t, -0.3, 0.7),
    "normal": lambda fw, t: fw.nn.init.normal_(t, 0.5, 2.0),
    "zeros": lambda fw, t: fw.nn.init.zeros_(t),
    "ones": lambda fw, t: fw.nn.init.ones_(t),
    "constant": lambda fw, t: fw.nn.init.constant_(t, 0.1),
    "kaiming": lambda fw, t: fw.nn.init.kaiming_uniform_(t),
    "kaiming-relu-out": lambda fw, t: fw.nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"),
    "xavier": lambda fw, t: fw.nn.init.xavier_uniform_(t),
    "xavier-tanh": lambda fw, t: fw.nn.init.xavier_uniform_(t, gain=fw.nn.init.calculate_gain("tanh")),
    "xavier-normal": lambda fw, t: fw.nn.init.xavier_normal_(t),
    "kaiming-normal": lambda fw, t: fw.nn.init.kaiming_normal_(t),
    "kaiming-normal-relu": lambda fw, t: fw.nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
}


@pytest.mark.parametrize("shape", [(1, 1), (4, 3), (16, 20), (3, 2, 5)])
@pytest.mark.parametrize("name", INITS)
def test_init_draws_torch_values_bit_for_bit(name: str, shape: tuple[int, ...]) -> None:
    values = []
    for fw in FRAMEWORKS:
        fw.manual_seed(2024)
        t = fw.empty(*shape, requires_grad=True)
        INITS[name](fw, t)
        values.append((t.detach().numpy().copy(), fw.rand(3).numpy()))  # and the stream continues in step
    for ours, theirs in zip(*values):
        assert np.array_equal(ours, theirs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("features", [(1, 1), (1, 2), (2, 1), (4, 3), (20, 7), (784, 256)])
def test_linear_initialisation_equals_torch(features: tuple[int, int], dtype: str) -> None:
    layers = []
    for fw in FRAMEWORKS:
        fw.manual_seed(42)
        layers.append(fw.nn.Linear(*features, dtype=getattr(fw, dtype)))
    for a, b in zip(layers[0].parameters(), layers[1].parameters()):
        assert a.dtype == minigrad.float32 if dtype == "float32" else minigrad.float64
        assert np.array_equal(a.detach().numpy(), b.detach().numpy())


def test_seed_777_gives_the_tutorials_initial_parameters() -> None:
    """The tutorial prints weight -0.8362 and bias -0.0177 after manual_seed(777); torch gives these arrays."""
    minigrad.manual_seed(777)
    ours = minigrad.nn.Linear(1, 1)
    torch.manual_seed(777)
    theirs = torch.nn.Linear(1, 1)
    assert np.array_equal(ours.weight.detach().numpy(), theirs.weight.detach().numpy())
    assert np.array_equal(ours.bias.detach().numpy(), theirs.bias.detach().numpy())
    assert f"{ours.weight.item():.4f}" == "-0.8362" and f"{ours.bias.item():.4f}" == "-0.0177"


# ----- optim ----------------------------------------------------------------------------------------------------
SGD_OPTIONS = [
    {"lr": 0.1},
    {"lr": 0.01, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.9, "dampening": 0.3},
    {"lr": 0.05, "momentum": 0.8, "nesterov": True},
    {"lr": 0.1, "weight_decay": 0.01},
    {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.1, "maximize": True},
    {},
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("options", SGD_OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_sgd_is_bit_exact_over_50_steps(options: dict, dtype: str) -> None:
    rng = np.random.default_rng(7)
    shapes = [(1,), (3,), (1003,), (17, 9)]
    starts = [rng.standard_normal(s).astype(dtype) for s in shapes]
    grads = [[rng.standard_normal(s).astype(dtype) for s in shapes] for _ in range(50)]
    finals = []
    for fw in FRAMEWORKS:
        params = [fw.tensor(s, requires_grad=True) for s in starts]
        optimizer = fw.optim.SGD(params, **options)
        trajectory = []
        for step in grads:
            optimizer.zero_grad()
            for p, g in zip(params, step):
                p.grad = fw.tensor(g)
            optimizer.step()
            trajectory.append([p.detach().numpy().copy() for p in params])
        finals.append(trajectory)
    for step, (ours, theirs) in enumerate(zip(*finals)):
        for a, b in zip(ours, theirs):
            assert np.array_equal(a, b), f"step {step}"


def test_optimizer_groups_state_dict_repr_and_zero_grad() -> None:
    outputs = []
    for fw in FRAMEWORKS:
        fw.manual_seed(0)
        model = fw.nn.Sequential(fw.nn.Linear(2, 2), fw.nn.Linear(2, 1))
        optimizer = fw.optim.SGD([{"params": model[0].parameters()}, {"params": model[1].parameters(), "lr": 0.5}],
                                 lr=0.1, momentum=0.9)
        for _ in range(3):
            optimizer.zero_grad()
            model(fw.ones(4, 2)).pow(2).sum().backward()
            optimizer.step()
        state = optimizer.state_dict()
        optimizer.zero_grad(set_to_none=False)
        zeroed = [p.grad.numpy().tolist() for p in model.parameters()]
        clone = fw.optim.SGD(model.parameters(), lr=1)
        with pytest.raises(ValueError):
            clone.load_state_dict(state)
        outputs.append((repr(optimizer), state["param_groups"], sorted(state["state"]), zeroed,
                        [p.detach().numpy() for p in model.parameters()]))
    ours, theirs = outputs
    assert ours[:4] == theirs[:4]
    for a, b in zip(ours[4], theirs[4]):
        np.testing.assert_allclose(a, b, rtol=2e-6, atol=1e-6)


def test_sgd_state_dict_restores_momentum() -> None:
    """A loaded momentum buffer is the saved tensor itself (PyTorch casts, it does not copy): both steps show."""
    results = []
    for fw in FRAMEWORKS:
        p = fw.tensor([1.0, 2.0], requires_grad=True)
        q = fw.tensor([1.0, 2.0], requires_grad=True)
        first, second = fw.optim.SGD([p], lr=0.1, momentum=0.9), fw.optim.SGD([q], lr=0.1, momentum=0.9)
        for step in range(2):
            p.grad = fw.tensor([0.5, -1.0])
            first.step()
            if step == 0:
                with fw.no_grad():
                    q.copy_(p)
                second.load_state_dict(first.state_dict())
        q.grad = fw.tensor([0.5, -1.0])
        second.step()
        results.append((p.tolist(), q.tolist()))
    assert results[0] == results[1]


# ----- misc API -------------------------------------------------------------------------------------------------
def test_device_agnostic_program_runs() -> None:
    device = minigrad.device("cuda" if minigrad.cuda.is_available() else "cpu")
    assert str(device) == "cpu" and repr(device) == repr(torch.device("cpu"))
    x = minigrad.ones(2, 2).to(device)
    model = minigrad.nn.Linear(2, 1).to(device)
    assert model(x).shape == minigrad.Size([2, 1]) and repr(x.shape) == "minigrad.Size([2, 2])"
    assert x.device == "cpu" and x.to("cpu") is x
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):  # PyTorch's words, CPU build
        x.to("cuda")
    if not torch.cuda.is_available():
        assert_same_error(lambda fw: fw.ones(2, 2).to("cuda"))
    assert minigrad.cuda.manual_seed_all(0) is None and math.isclose(minigrad.cuda.device_count(), 0)


@pytest.mark.parametrize("device", DEVICES)
def test_linear_forward_on_any_torch_device(device: str) -> None:
    x = np.random.default_rng(1).standard_normal((6, 2)).astype(np.float32)
    minigrad.manual_seed(5)
    ours = minigrad.nn.Linear(2, 3)
    torch.manual_seed(5)
    theirs = torch.nn.Linear(2, 3).to(device)
    assert_close(ours(minigrad.tensor(x)), theirs(torch.tensor(x, device=device)))


def test_reassigning_a_layer_keeps_its_place() -> None:
    orders = []
    for fw in FRAMEWORKS:
        model = TwoLayer.make(fw)
        model.hidden = fw.nn.Linear(3, 4)
        model.scale = fw.nn.Parameter(fw.zeros(2))
        orders.append((list(model.state_dict()), repr(model)))
    assert orders[0] == orders[1]


# ----- activations and softmin (issue 23) ----------------------------------------------------------------------------
ACTIVATION_MODULES = [
    lambda fw: fw.nn.GELU(), lambda fw: fw.nn.GELU(approximate="tanh"), lambda fw: fw.nn.SiLU(),
    lambda fw: fw.nn.Mish(), lambda fw: fw.nn.ELU(alpha=0.5), lambda fw: fw.nn.SELU(), lambda fw: fw.nn.CELU(2.0),
    lambda fw: fw.nn.ReLU6(), lambda fw: fw.nn.Hardtanh(-0.5, 2.0), lambda fw: fw.nn.Hardsigmoid(),
    lambda fw: fw.nn.Hardswish(), lambda fw: fw.nn.Softsign(), lambda fw: fw.nn.Tanhshrink(),
    lambda fw: fw.nn.Softshrink(0.3), lambda fw: fw.nn.Hardshrink(), lambda fw: fw.nn.Threshold(0.1, -2.0),
    lambda fw: fw.nn.LogSigmoid(), lambda fw: fw.nn.GLU(dim=1), lambda fw: fw.nn.Softmin(dim=0),
    lambda fw: fw.nn.PReLU(), lambda fw: fw.nn.PReLU(4, init=0.1),
]
ACTIVATION_IDS = ["gelu", "gelu-tanh", "silu", "mish", "elu", "selu", "celu", "relu6", "hardtanh", "hardsigmoid",
                  "hardswish", "softsign", "tanhshrink", "softshrink", "hardshrink", "threshold", "logsigmoid", "glu",
                  "softmin", "prelu", "prelu-channels"]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("build", ACTIVATION_MODULES, ids=ACTIVATION_IDS)
def test_activation_module_matches_torch(build, dtype: str) -> None:
    """Each activation module: its repr, output, input gradient and (PReLU) weight gradient equal torch's."""
    ours, theirs = both(build)
    assert repr(ours) == repr(theirs)
    values = np.random.default_rng(7).uniform(-4, 4, size=(3, 4, 2)).astype(dtype)
    cotangent = np.random.default_rng(8).standard_normal((3, 2, 2) if ACTIVATION_MODULES.index(build) == 17
                                                         else (3, 4, 2)).astype(dtype)
    outputs = []
    for fw, module in ((minigrad, ours), (torch, theirs)):
        module.to(getattr(fw, dtype))
        x = fw.tensor(values, requires_grad=True)
        y = module(x)
        y.backward(fw.tensor(cotangent))
        outputs.append((y, x.grad, [p.grad for p in module.parameters()]))
    (y, grad, params), (ty, tgrad, tparams) = outputs
    assert_close(y, ty.detach())
    assert_close(grad, tgrad)
    for p, tp in zip(params, tparams, strict=True):
        assert_close(p, tp)


def test_inplace_activation_reprs_match_torch() -> None:
    for build in (lambda fw: fw.nn.SiLU(inplace=True), lambda fw: fw.nn.ELU(2.0, inplace=True),
                  lambda fw: fw.nn.Hardtanh(inplace=True), lambda fw: fw.nn.Threshold(1, 2, True)):
        ours, theirs = both(build)
        assert repr(ours) == repr(theirs)


def test_functional_activations_match_torch() -> None:
    """The functional forms that compose other ops, and the top-level and Tensor softmax forms."""
    values = np.random.default_rng(3).uniform(-3, 3, size=(4, 6))
    calls = [
        lambda fw, x: fw.nn.functional.selu(x), lambda fw, x: fw.nn.functional.relu6(x * 3),
        lambda fw, x: fw.nn.functional.softsign(x), lambda fw, x: fw.nn.functional.tanhshrink(x),
        lambda fw, x: fw.nn.functional.glu(x), lambda fw, x: fw.nn.functional.glu(x, 0),
        lambda fw, x: fw.nn.functional.prelu(x, fw.tensor([0.2, -0.1, 0.3, 0.5, 0.0, 1.5], dtype=x.dtype)),
        lambda fw, x: fw.nn.functional.prelu(x[0], fw.tensor(0.2, dtype=x.dtype)),
        lambda fw, x: fw.nn.functional.softmin(x, 1), lambda fw, x: fw.nn.functional.softmin(x, 0, dtype=fw.float64),
        lambda fw, x: fw.softmax(x, 1), lambda fw, x: fw.log_softmax(x, dim=0), lambda fw, x: x.softmax(-1),
        lambda fw, x: x.log_softmax(1, dtype=fw.float64),
    ]
    for call in calls:
        results = []
        for fw in FRAMEWORKS:
            x = fw.tensor(values, requires_grad=True)
            y = call(fw, x)
            y.sum().backward()
            results.append((y, x.grad))
        assert_close(results[0][0], results[1][0].detach())
        assert_close(results[0][1], results[1][1])


def test_softmin_without_dim_warns_like_torch() -> None:
    messages = []
    for fw in FRAMEWORKS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fw.nn.functional.softmin(fw.ones(2, 3))
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and messages[0]


@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.nn.functional.gelu(fw.ones(2), approximate="fast"), id="gelu-approximate"),
    pytest.param(lambda fw: fw.nn.functional.gelu(fw.ones(2, dtype=fw.int64)), id="gelu-int"),
    pytest.param(lambda fw: fw.nn.functional.silu(fw.ones(2, dtype=fw.int64)), id="silu-int"),
    pytest.param(lambda fw: fw.nn.functional.hardtanh(fw.ones(2), 1.0, -1.0), id="hardtanh-bounds"),
    pytest.param(lambda fw: fw.nn.Hardtanh(1.0, 1.0), id="hardtanh-module-bounds"),
    pytest.param(lambda fw: fw.nn.functional.softshrink(fw.ones(2), -1.0), id="softshrink-lambda"),
    pytest.param(lambda fw: fw.nn.functional.softshrink(fw.ones(2, dtype=fw.float64), -0.5), id="softshrink-double"),
    pytest.param(lambda fw: fw.nn.functional.softshrink(fw.ones(2, dtype=fw.int64), -0.5), id="softshrink-int-lambda"),
    pytest.param(lambda fw: fw.nn.functional.softshrink(fw.ones(2, dtype=fw.bool), -0.5), id="softshrink-bool-lambda"),
    pytest.param(lambda fw: fw.nn.functional.celu(fw.ones(2), 0.0), id="celu-alpha"),
    pytest.param(lambda fw: fw.nn.functional.glu(fw.ones(3)), id="glu-odd"),
    pytest.param(lambda fw: fw.nn.functional.glu(fw.ones(2, 3), -1), id="glu-odd-negative-dim"),
    pytest.param(lambda fw: fw.nn.functional.glu(fw.tensor(1.0)), id="glu-scalar"),
    pytest.param(lambda fw: fw.nn.functional.prelu(fw.ones(2, 3), fw.ones(2)), id="prelu-channels"),
    pytest.param(lambda fw: fw.nn.functional.prelu(fw.ones(2, 3), fw.ones(1, 1)), id="prelu-weight-dims"),
    pytest.param(lambda fw: fw.nn.functional.logsigmoid(fw.ones(2, dtype=fw.int64)), id="logsigmoid-int"),
    pytest.param(lambda fw: fw.nn.functional.prelu(fw.ones(2, 3, dtype=fw.float64), fw.ones(1)), id="prelu-dtypes"),
    pytest.param(lambda fw: fw.nn.functional.glu(fw.ones(2, 4), 2), id="glu-dim"),
])
def test_activation_bad_input_raises_torch_error(bad) -> None:
    assert_same_error(bad)


# ----- containers: ModuleDict, ParameterList, ParameterDict, Unflatten (issue 23) ---------------------------------
def _containers(fw):
    nn = fw.nn
    fw.manual_seed(0)
    modules = nn.ModuleDict({"a": nn.Linear(1, 2), "b": nn.ReLU()})
    modules["c"] = nn.Linear(2, 1)
    del modules["b"]
    plist = nn.ParameterList([nn.Parameter(fw.ones(2)), fw.ones(2, 3, dtype=fw.float64)])
    plist.append(fw.zeros(1))
    pdict = nn.ParameterDict({"w": nn.Parameter(fw.ones(2)), "b": fw.zeros(3)})
    pdict.update(OrderedDict([("z", fw.ones(1)), ("c", fw.ones(()))]))
    return modules, plist, pdict, nn.Unflatten(1, (2, 3)), nn.ModuleDict(), nn.ParameterList(), nn.ParameterDict()


def test_containers_register_and_print_like_torch() -> None:
    ours, theirs = both(_containers)
    for mine, reference in zip(ours, theirs, strict=True):
        assert repr(mine) == repr(reference).replace("torch.", "minigrad.")
        assert [name for name, _ in mine.named_parameters()] == [name for name, _ in reference.named_parameters()]
        assert all(isinstance(p, minigrad.nn.Parameter) for p in mine.parameters())
    modules, plist, pdict = ours[:3]
    assert list(modules) == ["a", "c"] and "a" in modules and len(modules) == 2
    assert len(plist) == 3 and plist[-1].shape == (1,) and list(pdict) == ["b", "w", "z", "c"]
    assert pdict.pop("z").shape == (1,) and "z" not in pdict


def test_unflatten_matches_torch() -> None:
    values = np.arange(24.0).reshape(4, 6)
    results = []
    for fw in FRAMEWORKS:
        x = fw.tensor(values, requires_grad=True)
        y = fw.nn.Unflatten(1, (2, 3))(x)
        (y * fw.tensor(np.arange(24.0).reshape(4, 2, 3))).sum().backward()
        results.append((y, x.grad))
    assert_close(results[0][0], results[1][0].detach())
    assert_close(results[0][1], results[1][1])


# ----- nn.utils: gradient clipping, parameters as one vector (issue 23) -------------------------------------------
def _model_with_gradients(fw, dtype):
    fw.manual_seed(5)
    model = fw.nn.Sequential(fw.nn.Linear(3, 4), fw.nn.Tanh(), fw.nn.Linear(4, 2)).to(getattr(fw, dtype))
    x = fw.tensor(np.random.default_rng(1).standard_normal((6, 3)) * 3, dtype=getattr(fw, dtype))
    (model(x) ** 2).sum().backward()
    return model


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, math.inf])
def test_clip_grad_norm_matches_torch(norm_type: float, dtype: str) -> None:
    results = []
    for fw in FRAMEWORKS:
        model = _model_with_gradients(fw, dtype)
        total = fw.nn.utils.clip_grad_norm_(model.parameters(), 0.5, norm_type=norm_type)
        results.append((total, [p.grad for p in model.parameters()]))
    assert_close(results[0][0], results[1][0])
    for ours, theirs in zip(results[0][1], results[1][1], strict=True):
        assert_close(ours, theirs)


def test_clip_grad_value_and_vectors_match_torch() -> None:
    results = []
    for fw in FRAMEWORKS:
        model = _model_with_gradients(fw, "float64")
        fw.nn.utils.clip_grad_value_(model.parameters(), 0.25)
        vector = fw.nn.utils.parameters_to_vector(model.parameters())
        fw.nn.utils.vector_to_parameters(vector * 2, model.parameters())
        empty = fw.nn.utils.clip_grad_norm_([fw.ones(2, requires_grad=True)], 1.0)
        results.append(([p.grad for p in model.parameters()], vector, list(model.parameters()), empty))
    for ours, theirs in zip(results[0][0] + [results[0][1]] + results[0][2] + [results[0][3]],
                            results[1][0] + [results[1][1]] + results[1][2] + [results[1][3]], strict=True):
        assert_close(ours, theirs.detach())


@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.nn.utils.vector_to_parameters([1.0], [fw.ones(1, requires_grad=True)]), id="not-vector"),
    pytest.param(lambda fw: _nonfinite_clip(fw), id="nonfinite"),
])
def test_nn_utils_bad_input_raises_torch_error(bad) -> None:
    assert_same_error(bad)


def _nonfinite_clip(fw):
    p = fw.ones(3, requires_grad=True)
    (p * fw.tensor([float("inf"), 1.0, 1.0])).sum().backward()
    return fw.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


# ----- F.pad (issue 23) ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("amounts", "mode", "value"), [
    ((1, 2), "constant", None), ((1, 2, 0, 1), "constant", 3.5), ((-1, 2), "constant", None),
    ((1, 1, 1, 1, 1, 1), "constant", -1.0), ((1, 2), "reflect", None), ((-1, 2, 2, 1), "reflect", None),
    ((2, 3, 1, 2), "replicate", None), ((-2, 1), "replicate", None), ((1, 2), "circular", None),
    ((-1, 2, -1, 1), "circular", None), ((0, 0), "reflect", None),
])
def test_pad_matches_torch(amounts: tuple[int, ...], mode: str, value: float | None, dtype: str) -> None:
    """Values and gradients, exactly: each output position is a copy of one input position or the fill value."""
    values = np.random.default_rng(4).standard_normal((2, 3, 4)).astype(dtype)
    results = []
    for fw in FRAMEWORKS:
        x = fw.tensor(values, requires_grad=True)
        y = fw.nn.functional.pad(x, amounts, mode=mode, value=value)
        cotangent = np.random.default_rng(5).standard_normal(tuple(y.shape)).astype(dtype)
        y.backward(fw.tensor(cotangent))
        results.append((y, x.grad))
    assert_close(results[0][0], results[1][0].detach())
    assert_close(results[0][1], results[1][1])


@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.nn.functional.pad(fw.ones(2, 3), (1,)), id="odd"),
    pytest.param(lambda fw: fw.nn.functional.pad(fw.ones(2, 3), (1, 1, 1, 1, 1, 1)), id="too-long"),
    pytest.param(lambda fw: fw.nn.functional.pad(fw.ones(2, 3), (3, 3), mode="reflect"), id="reflect-size"),
    pytest.param(lambda fw: fw.nn.functional.pad(fw.ones(2, 3), (1, 1), mode="wrap"), id="mode"),
    pytest.param(lambda fw: fw.nn.functional.pad(fw.ones(2, 3), (1, 1, 1, 1), mode="reflect"), id="rank"),
    pytest.param(lambda fw: fw.nn.functional.pad(fw.ones(3), (1, 1), mode="replicate"), id="rank-1d"),
    pytest.param(lambda fw: fw.nn.functional.pad(fw.ones(2, 3), (4, 1), mode="circular"), id="circular-wraps"),
    pytest.param(lambda fw: fw.nn.functional.pad(fw.ones(2, 3), (1, 1), mode="replicate", value=2.0), id="value"),
])
def test_pad_bad_input_raises_torch_error(bad) -> None:
    assert_same_error(bad)


# ----- losses and distances composed in functional (issue 23) ------------------------------------------------
def _loss_inputs(dtype: str) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    return {
        "x": rng.standard_normal((4, 5)), "y": rng.standard_normal((4, 5)), "positive": rng.uniform(0.1, 2, (4, 5)),
        "sign": np.where(rng.standard_normal(4) > 0, 1.0, -1.0),
        "signs": np.where(rng.standard_normal((4, 5)) > 0, 1.0, -1.0),
        "multi": (rng.uniform(size=(4, 5)) > 0.5).astype(float), "probs": rng.dirichlet(np.ones(5), 4),
        "counts": rng.integers(0, 6, (4, 5)).astype(float), "column": rng.standard_normal(4),
        "other_column": rng.standard_normal(4), "class_weight": rng.uniform(0.5, 2, 5),
    } | {"dtype": np.dtype(dtype)}


LOSSES = {  # name: (module, its options, the inputs (name, requires grad), functional-only options)
    "smooth_l1_loss": ("SmoothL1Loss", {"beta": 0.7}, [("x", True), ("y", True)]),
    "huber_loss": ("HuberLoss", {"delta": 0.8}, [("x", True), ("y", True)]),
    "soft_margin_loss": ("SoftMarginLoss", {}, [("x", True), ("signs", False)]),
    "kl_div": ("KLDivLoss", {}, [("log_probs", True), ("probs_reversed", True)]),
    "kl_div-log_target": ("KLDivLoss", {"log_target": True}, [("log_probs", True), ("log_probs_reversed", True)]),
    "poisson_nll_loss": ("PoissonNLLLoss", {"full": True}, [("x", True), ("counts", False)]),
    "poisson_nll_loss-rates": ("PoissonNLLLoss", {"log_input": False}, [("positive", True), ("counts", False)]),
    "gaussian_nll_loss": ("GaussianNLLLoss", {"full": True}, [("x", True), ("y", True), ("positive", True)]),
    "margin_ranking_loss": ("MarginRankingLoss", {"margin": 0.3}, [("column", True), ("other_column", True),
                                                                   ("sign", False)]),
    "hinge_embedding_loss": ("HingeEmbeddingLoss", {"margin": 1.2}, [("positive", True), ("signs", False)]),
    "cosine_embedding_loss": ("CosineEmbeddingLoss", {"margin": 0.1}, [("x", True), ("y", True), ("sign", False)]),
    "triplet_margin_loss": ("TripletMarginLoss", {"margin": 1.5}, [("x", True), ("y", True), ("positive", True)]),
    "triplet_margin_loss-swap": ("TripletMarginLoss", {"p": 1.0, "swap": True},
                                 [("x", True), ("y", True), ("positive", True)]),
    "multilabel_soft_margin_loss": ("MultiLabelSoftMarginLoss", {}, [("x", True), ("multi", False)]),
    "multi_margin_loss": ("MultiMarginLoss", {"p": 2, "margin": 0.9}, [("x", True), ("labels", False)]),
}


def _loss_input(fw, values: dict[str, np.ndarray], name: str, grad: bool):
    derived = {"log_probs": np.log(values["probs"]), "probs_reversed": values["probs"][::-1].copy(),
               "log_probs_reversed": np.log(values["probs"][::-1])}
    if name == "labels":
        return fw.tensor([0, 3, 4, 1])
    return fw.tensor(derived.get(name, values.get(name)).astype(values["dtype"]), requires_grad=grad)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("case", list(LOSSES))
def test_composed_loss_module_matches_torch(case: str, reduction: str, dtype: str) -> None:
    """Each loss module (and so its function): the loss and every input's gradient, against torch's."""
    module_name, options, inputs = LOSSES[case]
    values = _loss_inputs(dtype)
    results = []
    for fw in FRAMEWORKS:
        module = getattr(fw.nn, module_name)(**options, reduction=reduction)
        tensors = [_loss_input(fw, values, name, grad) for name, grad in inputs]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # kl_div's 'mean' warning (checked below)
            loss = module(*tensors)
        loss.backward(fw.ones_like(loss))
        results.append((loss, [t.grad for t in tensors if t.requires_grad], repr(module)))
    (loss, grads, text), (torch_loss, torch_grads, torch_text) = results
    assert text == torch_text
    assert_close(loss, torch_loss.detach())
    for ours, theirs in zip(grads, torch_grads, strict=True):
        assert_close(ours, theirs)


@pytest.mark.parametrize("call", [
    lambda fw, a, b: fw.nn.functional.kl_div(a.log_softmax(1), b.softmax(1), reduction="batchmean"),
    lambda fw, a, b: fw.nn.functional.smooth_l1_loss(a, b, beta=0.0),
    lambda fw, a, b: fw.nn.functional.huber_loss(a, b, weight=b.abs()),
    lambda fw, a, b: fw.nn.functional.multi_margin_loss(a, fw.tensor([1, 0, 4, 2]), weight=b[0].abs().detach()),
    lambda fw, a, b: fw.nn.functional.multi_margin_loss(a[0], fw.tensor(3)),
    lambda fw, a, b: fw.nn.functional.multilabel_soft_margin_loss(a, b.sigmoid(), weight=b[1].abs()),
    lambda fw, a, b: fw.nn.functional.gaussian_nll_loss(a, b, b[:, 0].abs() + 0.5),
    lambda fw, a, b: fw.nn.functional.gaussian_nll_loss(a, b, b[:, :1].abs() * 1e-8, reduction="sum"),
    lambda fw, a, b: fw.nn.functional.normalize(a), lambda fw, a, b: fw.nn.functional.normalize(a, p=1.0, dim=0),
    lambda fw, a, b: fw.nn.functional.normalize(a, p=math.inf),
    lambda fw, a, b: fw.nn.functional.cosine_similarity(a, b), lambda fw, a, b: fw.nn.functional.cosine_similarity(
        a, b[:1], dim=1), lambda fw, a, b: fw.nn.functional.cosine_similarity(a * 1e-9, b, eps=1e-8),
    lambda fw, a, b: fw.nn.functional.pairwise_distance(a, b),
    lambda fw, a, b: fw.nn.functional.pairwise_distance(a, b, p=3.0, keepdim=True),
    lambda fw, a, b: fw.nn.functional.pairwise_distance(a[0], b[0], p=math.inf),
    lambda fw, a, b: fw.nn.functional.pdist(a), lambda fw, a, b: fw.nn.functional.pdist(a, p=1.5),
    lambda fw, a, b: fw.nn.functional.pdist(a[:1]),
], ids=["kl-batchmean", "smooth_l1-beta0", "huber-weight", "multi_margin-weight", "multi_margin-1d",
        "multilabel-weight", "gaussian-var-1-dim-less", "gaussian-var-clamped", "normalize", "normalize-p1",
        "normalize-inf", "cosine", "cosine-broadcast", "cosine-eps", "pairwise", "pairwise-p3", "pairwise-inf",
        "pdist", "pdist-p1.5", "pdist-one-row"])
def test_functional_losses_and_distances_match_torch(call) -> None:
    rng = np.random.default_rng(2)
    first, second = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    results = []
    for fw in FRAMEWORKS:
        a, b = fw.tensor(first, requires_grad=True), fw.tensor(second, requires_grad=True)
        out = call(fw, a, b)
        out.backward(fw.ones_like(out))
        results.append((out, a.grad, b.grad))
    for ours, theirs in zip(results[0], results[1], strict=True):
        assert (ours is None) == (theirs is None)
        if theirs is not None:
            assert_close(ours, theirs.detach())


def test_kl_div_mean_warns_like_torch() -> None:
    messages = []
    for fw in FRAMEWORKS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fw.nn.functional.kl_div(fw.zeros(2), fw.ones(2) / 2)
        messages.append([(w.category, str(w.message)) for w in caught])
    assert messages[0] == messages[1] and messages[0]


@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.nn.functional.smooth_l1_loss(fw.ones(2), fw.ones(2), beta=-1.0), id="beta"),
    pytest.param(lambda fw: fw.nn.functional.huber_loss(fw.ones(2), fw.ones(2), delta=0.0), id="delta"),
    pytest.param(lambda fw: fw.nn.functional.gaussian_nll_loss(fw.ones(2, 3), fw.ones(2, 3), fw.ones(3, 3)),
                 id="var-size"),
    pytest.param(lambda fw: fw.nn.functional.gaussian_nll_loss(fw.ones(2, 3), fw.ones(2, 3), -fw.ones(2, 3)),
                 id="var-negative"),
    pytest.param(lambda fw: fw.nn.functional.margin_ranking_loss(fw.ones(2), fw.ones(2, 1), fw.ones(2)),
                 id="ranking-dims"),
    pytest.param(lambda fw: fw.nn.functional.cosine_embedding_loss(fw.ones(2, 3), fw.ones(2, 3), fw.ones(2, 1)),
                 id="cosine-target"),
    pytest.param(lambda fw: fw.nn.functional.cosine_embedding_loss(fw.ones(2, 3), fw.ones(2), fw.ones(2)),
                 id="cosine-inputs"),
    pytest.param(lambda fw: fw.nn.functional.triplet_margin_loss(fw.ones(2, 3), fw.ones(2), fw.ones(2, 3)),
                 id="triplet-dims"),
    pytest.param(lambda fw: fw.nn.functional.multi_margin_loss(fw.ones(2, 3), fw.tensor([0, 1]), p=3), id="p"),
    pytest.param(lambda fw: fw.nn.MultiMarginLoss(p=3), id="module-p"),
    pytest.param(lambda fw: fw.nn.functional.multi_margin_loss(
        fw.ones(2, 3), fw.tensor([0, 1]), weight=fw.ones(3, requires_grad=True)), id="weight-grad"),
    pytest.param(lambda fw: fw.nn.functional.kl_div(fw.ones(2), fw.ones(2), reduction="bad"), id="reduction"),
    pytest.param(lambda fw: fw.nn.functional.pdist(fw.ones(3)), id="pdist-dims"),
    pytest.param(lambda fw: fw.nn.functional.pdist(fw.ones(3, 2), p=-1.0), id="pdist-p"),
    pytest.param(lambda fw: fw.nn.functional.pdist(fw.ones(3, 2, dtype=fw.int64)), id="pdist-dtype"),
])
def test_composed_loss_bad_input_raises_torch_error(bad) -> None:
    assert_same_error(bad)


# ----- nn.init: trunc_normal_, eye_, dirac_ (issue 23) -----------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(5,), (20,), (3, 7), (1000,)])
@pytest.mark.parametrize("bounds", [(0.5, 2.0, -1.0, 3.0), (0.0, 1.0, -2.0, 2.0), (0.0, 1.0, 1.5, 4.0),
                                    (0.0, 1.0, -0.1, 0.1)], ids=["wide", "default", "tail", "narrow"])
def test_trunc_normal_draws_torch_values_bit_for_bit(bounds: tuple[float, ...], shape: tuple[int, ...],
                                                     dtype: str) -> None:
    """Both rejection samplers (normal draws for wide bounds, uniform proposals for narrow ones), and the
    generator's position afterwards."""
    results = []
    for fw in FRAMEWORKS:
        fw.manual_seed(3)
        tensor = fw.empty(*shape, dtype=getattr(fw, dtype))
        assert fw.nn.init.trunc_normal_(tensor, *bounds) is tensor
        results.append((tensor.numpy(), fw.rand(1).item()))
    assert np.array_equal(results[0][0], results[1][0]) and results[0][1] == results[1][1]


@pytest.mark.parametrize(("shape", "groups"), [((4, 2, 3), 2), ((3, 3, 3, 3), 1), ((6, 4, 2, 3, 4), 3), ((2, 5, 3), 1)])
def test_dirac_and_eye_equal_torch(shape: tuple[int, ...], groups: int) -> None:
    ours, theirs = both(lambda fw: fw.nn.init.dirac_(fw.empty(*shape), groups))
    assert np.array_equal(ours.numpy(), theirs.numpy())
    ours, theirs = both(lambda fw: fw.nn.init.eye_(fw.empty(*shape[:2], dtype=fw.float64)))
    assert np.array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.nn.init.eye_(fw.ones(3)), id="eye-dims"),
    pytest.param(lambda fw: fw.nn.init.dirac_(fw.ones(3, 3)), id="dirac-dims"),
    pytest.param(lambda fw: fw.nn.init.dirac_(fw.ones(3, 3, 3), groups=2), id="dirac-groups"),
])
def test_init_bad_input_raises_torch_error(bad) -> None:
    assert_same_error(bad)


# ----- the deprecated size_average / reduce flags, and the losses' nodes ----------------------------------------
def _legacy_inputs(fw: Any, name: str, device: str | None) -> tuple[Any, ...]:
    """Inputs each loss accepts (torch's on ``device``), from one seed's numpy values."""
    rng = np.random.default_rng(5)
    x, y = rng.random((4, 3)).astype(np.float32), rng.random((4, 3)).astype(np.float32)
    put = (lambda a: fw.tensor(a).to(device)) if device else fw.tensor
    sign = np.where(y > 0.5, 1.0, -1.0).astype(np.float32)
    classes = np.array([0, 2, 1, 0])
    log_probs = np.log(x / x.sum(1, keepdims=True))
    return {"NLLLoss": (put(log_probs), put(classes)), "CrossEntropyLoss": (put(x), put(classes)),
            "MultiMarginLoss": (put(x), put(classes)), "SoftMarginLoss": (put(x), put(sign)),
            "HingeEmbeddingLoss": (put(x), put(sign)), "KLDivLoss": (put(log_probs), put(y)),
            "MarginRankingLoss": (put(x[:, 0]), put(y[:, 0]), put(sign[:, 0])),
            "CosineEmbeddingLoss": (put(x), put(y), put(sign[:, 0])),
            "TripletMarginLoss": (put(x), put(y), put(y[::-1].copy()))}.get(name, (put(x), put(y)))


LEGACY_LOSSES = {
    "MSELoss": "mse_loss", "L1Loss": "l1_loss", "BCELoss": "binary_cross_entropy",
    "BCEWithLogitsLoss": "binary_cross_entropy_with_logits", "NLLLoss": "nll_loss", "CrossEntropyLoss": "cross_entropy",
    "SmoothL1Loss": "smooth_l1_loss", "SoftMarginLoss": "soft_margin_loss", "KLDivLoss": "kl_div",
    "PoissonNLLLoss": "poisson_nll_loss", "MarginRankingLoss": "margin_ranking_loss",
    "HingeEmbeddingLoss": "hinge_embedding_loss", "CosineEmbeddingLoss": "cosine_embedding_loss",
    "TripletMarginLoss": "triplet_margin_loss", "MultiLabelSoftMarginLoss": "multilabel_soft_margin_loss",
    "MultiMarginLoss": "multi_margin_loss"}


@pytest.mark.parametrize("flags", [(True, None), (False, None), (None, False), (False, True), (None, None)],
                         ids=lambda f: f"size_average={f[0]},reduce={f[1]}")
@pytest.mark.parametrize("name", LEGACY_LOSSES)
def test_legacy_size_average_and_reduce_match_torch(name: str, flags: tuple[Any, Any], device: str) -> None:
    """Every loss module and function that has the deprecated flags takes them, as keywords and in PyTorch's
    positional order (the signatures are PyTorch's), warns as PyTorch warns, and reduces as they say."""
    results = []
    for fw in (torch, minigrad):
        inputs = _legacy_inputs(fw, name, device if fw is torch else None)
        size_average, reduce = flags
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module = getattr(fw.nn, name)(size_average=size_average, reduce=reduce)
            by_module = module(*inputs)
            by_function = getattr(fw.nn.functional, LEGACY_LOSSES[name])(*inputs, size_average=size_average,
                                                                          reduce=reduce)
        signatures = (str(inspect.signature(getattr(fw.nn, name).__init__)).replace("torch.", "minigrad."),
                      str(inspect.signature(getattr(fw.nn.functional, LEGACY_LOSSES[name]))).split(" -> ")[0])
        results.append((module.reduction, [(w.category, str(w.message)) for w in caught], by_module, by_function,
                        [name for name in inspect.signature(getattr(fw.nn.functional, LEGACY_LOSSES[name])).parameters],
                        signatures[0].count("size_average")))
    (reduction, caught, module_out, function_out, parameters, flagged), expected = results[1], results[0]
    assert (reduction, caught, parameters, flagged) == (expected[0], expected[1], expected[4], expected[5])
    assert_close(module_out, expected[2])
    assert_close(function_out, expected[3])


def test_legacy_warning_is_shown_once_per_place_like_torch() -> None:
    """Under the default filter each warning shows once per line that raised it: PyTorch's lines, which minigrad's
    mirror (the module's __init__, each function's line, or one line for the losses PyTorch sends through
    ``legacy_get_enum``)."""
    counts = []
    for fw in (torch, minigrad):
        x, y, sign = fw.rand(3), fw.rand(3), fw.ones(3)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            fw.nn.MSELoss(size_average=True), fw.nn.L1Loss(reduce=False), fw.nn.SmoothL1Loss(size_average=True)
            for _ in range(2):
                fw.nn.functional.mse_loss(x, y, size_average=False)
                fw.nn.functional.binary_cross_entropy(x, y, reduce=False)
            fw.nn.functional.soft_margin_loss(x, sign, reduce=False)
        counts.append([str(w.message) for w in caught])
    assert counts[0] == counts[1]


LOSS_NODES = {
    "HuberLoss": lambda fw, x, y, r: fw.nn.HuberLoss(reduction=r)(x, y),
    "HuberLoss-delta": lambda fw, x, y, r: fw.nn.HuberLoss(reduction=r, delta=0.3)(x, y),
    "HuberLoss-weight": lambda fw, x, y, r: fw.nn.functional.huber_loss(x, y, r, weight=y),
    "SmoothL1Loss": lambda fw, x, y, r: fw.nn.SmoothL1Loss(reduction=r)(x, y),
    "SmoothL1Loss-beta": lambda fw, x, y, r: fw.nn.SmoothL1Loss(reduction=r, beta=0.3)(x, y),
    "SmoothL1Loss-beta0": lambda fw, x, y, r: fw.nn.SmoothL1Loss(reduction=r, beta=0.0)(x, y),
    "SmoothL1Loss-float64-input": lambda fw, x, y, r: fw.nn.functional.smooth_l1_loss(x.double(), y, reduction=r),
    "L1Loss": lambda fw, x, y, r: fw.nn.L1Loss(reduction=r)(x, y),
    "MSELoss": lambda fw, x, y, r: fw.nn.MSELoss(reduction=r)(x, y),
    "BCELoss": lambda fw, x, y, r: fw.nn.BCELoss(reduction=r)(x.sigmoid(), y.sigmoid()),
    "BCEWithLogitsLoss": lambda fw, x, y, r: fw.nn.BCEWithLogitsLoss(reduction=r)(x, y),
    "KLDivLoss": lambda fw, x, y, r: fw.nn.KLDivLoss(reduction=r)(x, y.abs()),
    "PoissonNLLLoss": lambda fw, x, y, r: fw.nn.PoissonNLLLoss(reduction=r)(x, y),
    "MultiLabelSoftMarginLoss": lambda fw, x, y, r: fw.nn.MultiLabelSoftMarginLoss(reduction=r)(x, y),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", LOSS_NODES)
def test_loss_nodes_values_and_gradients_match_torch(case: str, reduction: str, device: str) -> None:
    """The node each loss records is PyTorch's (HuberLossBackward0, SmoothL1LossBackward0, ...), and its values and
    both inputs' gradients are too (bit for bit, where the cases meet no kink)."""
    rng = np.random.default_rng(9)
    x, y = (rng.standard_normal((5, 7)) * 2).astype(np.float32), rng.standard_normal((5, 7)).astype(np.float32)
    results = []
    for fw in (torch, minigrad):
        a = fw.tensor(x, requires_grad=True) if fw is minigrad else torch.tensor(x, device=device, requires_grad=True)
        b = fw.tensor(y, requires_grad=True) if fw is minigrad else torch.tensor(y, device=device, requires_grad=True)
        out = LOSS_NODES[case](fw, a, b, reduction)
        out.backward(fw.ones_like(out) * 0.5)
        results.append((type(out.grad_fn).__name__ if fw is torch else out.grad_fn.name(), out, a.grad, b.grad))
    assert results[1][0] == results[0][0]
    for ours, theirs in zip(results[1][1:], results[0][1:]):
        assert_close(ours, theirs)
        if device == "cpu" and case.startswith(("HuberLoss", "SmoothL1Loss")) and "float64" not in case:
            assert np.array_equal(numpy_of(ours), numpy_of(theirs))  # PyTorch's kernels' arithmetic, to the bit
