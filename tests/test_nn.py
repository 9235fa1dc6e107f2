"""nn, functional, init and optim against PyTorch: module behaviour, reprs, losses, initial values, updates."""

from __future__ import annotations

import math
import warnings
from collections import OrderedDict

import numpy as np
import pytest
import torch
from conftest import DEVICES, assert_close, assert_same_error

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
    with pytest.raises(RuntimeError, match="CPU only"):
        x.to("cuda")
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
