"""Details of PyTorch's API that lecture programs print or rely on, found by running such programs on both frameworks:
a model's ``state_dict`` with a shared layer and a non-persistent buffer, an optimizer's state without momentum,
``add``/``sub`` with ``alpha`` (and the deprecated ``add_(alpha, other)`` of older tutorials), ``retains_grad``,
``is_inference``, text given as a tensor's data, and a learning-rate scheduler's state and ``get_lr`` warning. Each
program runs on both; what it returns is printed and compared (tensors as PyTorch prints them, to float32 rounding
where the values are computed)."""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad


def _on(device: str, fw: Any) -> str:
    return device if fw is torch else "cpu"


def _shared_layer_state(fw: Any, dev: str) -> Any:
    """A layer used twice in a Sequential (d2l's shared parameters): listed under both names in the state_dict, once in
    parameters(); a non-persistent buffer is left out of the state_dict but is a buffer."""
    fw.manual_seed(0)
    shared = fw.nn.Linear(2, 2)
    net = fw.nn.Sequential(shared, fw.nn.ReLU(), shared, fw.nn.BatchNorm1d(2)).to(dev)
    net[3].register_buffer("table", fw.ones(2, device=dev), persistent=False)
    net[3].register_buffer("kept", fw.zeros(1, device=dev))
    net[3].table = fw.zeros(2, device=dev)  # (assigning keeps it non-persistent)
    state = net.state_dict()
    return (list(state), [name for name, _ in net.named_parameters()],
            [name for name, _ in net.named_parameters(remove_duplicate=False)],
            [name for name, _ in net.named_modules(remove_duplicate=False)], [name for name, _ in net.named_buffers()],
            repr(net.load_state_dict(state)), state["2.weight"])


def _optimizer_state(fw: Any, dev: str) -> Any:
    """SGD keeps no state without momentum (its state_dict's state is empty), a buffer per parameter with it."""
    fw.manual_seed(0)
    layer = fw.nn.Linear(2, 1).to(dev)
    found = []
    for momentum in (0.0, 0.9):
        opt = fw.optim.SGD(layer.parameters(), lr=0.1, momentum=momentum)
        layer(fw.ones(3, 2, device=dev)).sum().backward()
        opt.step()
        found.append({k: sorted(v) for k, v in opt.state_dict()["state"].items()})
    return found, list(layer.parameters())


def _alpha(fw: Any, dev: str) -> Any:
    """add/sub with alpha (one rounding, as PyTorch fuses it), on tensors and numbers, in place, with gradients."""
    a = fw.tensor([0.1, 0.7, -2.5], device=dev, requires_grad=True)
    b = fw.tensor([0.3, 0.2, 1e-3], device=dev, requires_grad=True)
    outs = [fw.add(a, b, alpha=0.37), a.sub(b, alpha=-3), fw.add(a, 2, alpha=3), a.add(b, alpha=1.0)]
    sum(((k + 1) * out).sum() for k, out in enumerate(outs)).backward()
    integers = fw.add(fw.tensor([1, 2], device=dev), fw.tensor([3, 4], device=dev), alpha=-2)
    written = fw.ones(3, device=dev)
    written.sub_(fw.full((3,), 2.0, device=dev), alpha=0.25)
    return [(out, type(out.grad_fn).__name__) for out in outs], a.grad, b.grad, integers, written


def _deprecated_add(fw: Any, dev: str) -> Any:
    """Older tutorials' manual SGD: ``p.data.add_(-lr, p.grad.data)``, PyTorch's deprecated overload (its warning:
    ``test_deprecated_overload_warns_once_a_process``)."""
    p = fw.ones(3, device=dev)
    grad = fw.tensor([0.5, -1.0, 2.0], device=dev)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        p.add_(-0.1, grad)
        return p, p.sub(0.5, grad)


def _retained(fw: Any, dev: str) -> Any:
    x = fw.ones(2, device=dev, requires_grad=True)
    y = x * 2
    before = y.retains_grad
    y.retain_grad()
    x.retain_grad()  # (a leaf: no-op)
    (y * y).sum().backward()
    return before, y.retains_grad, x.retains_grad, y.detach().retains_grad, y.grad


def _inference(fw: Any, dev: str) -> Any:
    base = fw.ones(3, device=dev)
    with fw.inference_mode():
        made, view_of_normal, factory = base * 2, base[:2], fw.ones(3, device=dev)
    return (made.is_inference(), view_of_normal.is_inference(), factory.is_inference(), factory[:1].is_inference(),
            (factory * 2).is_inference(), base.is_inference())


def _scheduler(fw: Any, dev: str) -> Any:
    """A scheduler's state_dict as PyTorch lists it, and get_lr() called by the user: PyTorch's warning, and the rates
    of the next step's formula."""
    opt = fw.optim.SGD([fw.zeros(1, device=dev, requires_grad=True)], lr=0.1)
    schedule = fw.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            opt.step()
            schedule.step()
        asked = schedule.get_lr()
    return (schedule.state_dict(), asked, schedule.get_last_lr(),
            [(w.category.__name__, str(w.message)) for w in caught])


def _inplace_views(fw: Any, dev: str) -> Any:
    """transpose_, t_, squeeze_, unsqueeze_, swapaxes_, swapdims_: the tensor itself, seen with new sizes and strides,
    its node PyTorch's in-place one (TransposeBackward1, ...), the gradient through it; a view keeps writing its
    base."""
    x = fw.ones(1, 2, 3, device=dev, requires_grad=True)
    found = []
    for change in (lambda y: y.transpose_(0, 2), lambda y: y.squeeze_(0).t_(), lambda y: y.squeeze_(),
                   lambda y: y.squeeze_(0), lambda y: y.unsqueeze_(1), lambda y: y.swapaxes_(1, 2),
                   lambda y: y.swapdims_(0, 1)):
        y = x * fw.arange(6.0, device=dev).view(1, 2, 3)
        same = change(y) is y
        found.append((same, y.shape, y.stride(), y.is_contiguous(), type(y.grad_fn).__name__,
                      y.grad_fn.next_functions[0][0].name()))
        (y * fw.arange(float(y.numel()), device=dev).view(y.shape)).sum().backward()
        found.append(x.grad)
        x.grad = None
    base = fw.zeros(2, 3, device=dev)
    row = base[0]
    row.unsqueeze_(0)
    row.add_(1)
    return found, row.shape, base


def _degrees_of_freedom(fw: Any, dev: str) -> Any:
    """std, var, std_mean and var_mean over one value: NaN, and PyTorch's warning naming the function called."""
    x = fw.tensor([[1.0, 2.0]], device=dev, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = [x.std(0), *fw.std_mean(x, 0), *fw.var_mean(x, 0), x.var(0), fw.std(x, 0)]
    # (values only: PyTorch's std_mean and var_mean record one node for both results, minigrad one for each)
    return [t.detach() for t in found], [(w.category.__name__, str(w.message).split(" (Triggered internally")[0])
                                         for w in caught]


def _multinomial_method(fw: Any, dev: str) -> Any:
    """makemore's sampling as a method: ``p.multinomial(...)`` draws what ``torch.multinomial(p, ...)`` draws."""
    g = fw.Generator().manual_seed(2147483647)
    p = fw.tensor([0.1, 0.6, 0.3])
    rows = fw.tensor([[0.5, 0.5, 0.0], [0.0, 0.2, 0.8]])
    return p.multinomial(5, replacement=True, generator=g), rows.multinomial(2, generator=g), fw.multinomial(
        p, 1, generator=g)


def _decompositions(fw: Any, dev: str) -> Any:
    """What the decompositions return prints as PyTorch's ``torch.return_types`` (``linalg_svd(U=..., S=..., Vh=...)``,
    the older ``torch.svd``'s ``svd(U=..., S=..., V=...)``): the values of a matrix whose decompositions are exact."""
    a = fw.tensor([[2.0, 0.0], [0.0, 3.0]], device=dev)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (torch.qr's deprecation, tested with the function)
        return (fw.linalg.slogdet(a), fw.slogdet(a), a.slogdet(), fw.linalg.qr(a), a.qr(), fw.linalg.eigh(a),
                fw.linalg.svd(a), a.svd())


PROGRAMS: dict[str, Callable[[Any, str], Any]] = {
    "decompositions": _decompositions,
    "multinomial-method": _multinomial_method,
    "degrees-of-freedom": _degrees_of_freedom,
    "inplace-views": _inplace_views,
    "shared-layer-state": _shared_layer_state,
    "optimizer-state": _optimizer_state,
    "alpha": _alpha,
    "deprecated-add": _deprecated_add,
    "retains-grad": _retained,
    "inference": _inference,
    "scheduler": _scheduler,
}


def _printed(result: Any) -> str:
    """What print shows, minigrad's names read as torch's (the device left out: minigrad runs on the CPU)."""
    return repr(result).replace("minigrad.", "torch.").replace(", device='cuda:0'", "")


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_prints_as_on_pytorch(name: str, device: str) -> None:
    theirs, ours = PROGRAMS[name](torch, _on(device, torch)), PROGRAMS[name](minigrad, "cpu")
    assert _printed(ours) == _printed(theirs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_add_with_alpha_rounds_once_as_pytorch_does(dtype: str, device: str) -> None:
    """a + alpha * b is fma(b, alpha, a): bit for bit on 100,000 pairs, a tail shorter than a vector included (one
    rounding where a multiply then an add would round twice: checked to differ somewhere)."""
    rng = np.random.default_rng(3)
    a, b = (rng.standard_normal(100_003).astype(dtype) for _ in range(2))
    ours = minigrad.add(minigrad.tensor(a), minigrad.tensor(b), alpha=0.37).numpy()
    theirs = torch.add(torch.tensor(a, device=device), torch.tensor(b, device=device), alpha=0.37).cpu().numpy()
    if device == "cpu":
        assert np.array_equal(ours, theirs)
    else:  # (CUDA's kernel may fuse otherwise: the same to rounding)
        assert_close(minigrad.tensor(ours), torch.tensor(theirs))
    twice = (a + (np.asarray(0.37, dtype) * b)).astype(dtype)
    assert not np.array_equal(ours, twice)


def _made_in_inference_mode(fw: Any) -> Any:
    with fw.inference_mode():
        return fw.ones(2) * 2


@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.add(fw.ones(2, dtype=fw.int64), fw.ones(2, dtype=fw.int64), alpha=0.5), id="int-float"),
    pytest.param(lambda fw: fw.sub(fw.ones(2), fw.ones(2), alpha=True), id="bool-alpha"),
    pytest.param(lambda fw: fw.ones(2, dtype=fw.long).sub_(1, alpha=0.5), id="int-inplace"),
    pytest.param(lambda fw: fw.tensor("abc"), id="text"),
    pytest.param(lambda fw: fw.tensor(["a", "b"]), id="texts"),
    pytest.param(lambda fw: fw.tensor([1, "a"]), id="text-among"),
    pytest.param(lambda fw: fw.tensor([[1], [b"a"]]), id="bytes-among"),
    pytest.param(lambda fw: fw.FloatTensor("abc"), id="legacy-text"),
    pytest.param(lambda fw: fw.FloatTensor(["1", "2"]), id="legacy-texts"),
    pytest.param(lambda fw: fw.FloatTensor([1, "a"]), id="legacy-text-among"),
    pytest.param(lambda fw: fw.Tensor("x"), id="tensor-text"),
    pytest.param(lambda fw: fw.tensor([1.0, "a"], dtype=fw.float64), id="text-with-dtype"),
    pytest.param(lambda fw: fw.tensor(None), id="none"),
    pytest.param(lambda fw: fw.tensor({1: 2}), id="dict"),
    pytest.param(lambda fw: fw.ones(2, 3, 4).t_(), id="t_-3d"),
    pytest.param(lambda fw: fw.device("gpu"), id="device-gpu"),
    pytest.param(lambda fw: fw.zeros(2, device="GPU"), id="device-GPU"),
    pytest.param(lambda fw: fw.ones(2).to("mps"), id="to-mps"),
    pytest.param(lambda fw: fw.ones(2).to("xpu"), id="to-xpu"),
    pytest.param(lambda fw: fw.device("cuda:x"), id="device-index"),
    pytest.param(lambda fw: _made_in_inference_mode(fw).requires_grad_(), id="inference-requires-grad"),
    pytest.param(lambda fw: _made_in_inference_mode(fw).add_(1), id="inference-inplace"),
    pytest.param(lambda fw: _made_in_inference_mode(fw).__setitem__(0, 1.0), id="inference-setitem"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True).unsqueeze_(0), id="leaf-unsqueeze_"),
])
def test_mistake_raises_torch_error(bad: Callable[[Any], Any]) -> None:
    assert_same_error(bad)


def test_deprecated_overload_warns_once_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyTorch's argument parser warns once a process for a deprecated overload (``add_(alpha, other)``), whichever
    it is: its text read from a fresh PyTorch process (less where in its C++ it was triggered)."""
    code = ("import torch, warnings\np = torch.ones(2)\nwith warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n    p.add_(-0.1, torch.ones(2))\n    p.sub(0.5, torch.ones(2))\n"
            "    p.add_(2, torch.ones(2))\nprint(repr([(c.category.__name__, str(c.message)) for c in w]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True).stdout
    expected = [(kind, text.split(" (Triggered internally at")[0]) for kind, text in ast.literal_eval(out)]
    monkeypatch.setattr(sys.modules["minigrad.tensor"], "_OVERLOAD_WARNED", False)
    p = minigrad.ones(2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        p.add_(-0.1, minigrad.ones(2))
        p.sub(0.5, minigrad.ones(2))
        p.add_(2, minigrad.ones(2))
    assert [(c.category.__name__, str(c.message)) for c in caught] == expected and len(expected) == 1


def test_a_number_from_a_tensor_that_requires_grad_warns_once_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """float(loss), '%.2f' % loss, tensor([loss]): PyTorch warns the first time only, whichever it is (its text read
    from a fresh PyTorch process, less where in its C++ it was triggered)."""
    program = ("x = {fw}.ones(1, requires_grad=True)\nfloat(x)\n'%.2f' % (x * 2)\n{fw}.tensor([x * 3])\n"
               "float(x * 4)\n")
    code = ("import torch, warnings\nwith warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n" + "".join("    " + line + "\n" for line in
                                                         program.format(fw="torch").splitlines())
            + "print(repr([(c.category.__name__, str(c.message), c.lineno) for c in w]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True).stdout
    expected = [(kind, text.split(" (Triggered internally at")[0]) for kind, text, _ in ast.literal_eval(out)]
    monkeypatch.setattr(sys.modules["minigrad.tensor"], "_SCALAR_WARNED", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(program.format(fw="minigrad"), {"minigrad": minigrad})
    assert [(c.category.__name__, str(c.message)) for c in caught] == expected and len(expected) == 1
