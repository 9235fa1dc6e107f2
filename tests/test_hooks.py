"""Hooks and graph introspection, against PyTorch: tensor hooks, node hooks, ``next_functions``/``_saved_*``,
``saved_tensors_hooks`` and module hooks (forward, full backward). Each program runs on both frameworks with the
same data: torch on the device under test, minigrad on the CPU. What the hooks saw, the values and the gradients are
compared (tensors within tolerance, everything else exactly), errors by type and text.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad

RNG = np.random.default_rng(24)
X = RNG.standard_normal((2, 3)).astype(np.float32)
W = RNG.standard_normal((2, 3)).astype(np.float32)


def name(node: Any) -> str | None:
    """A node's name, without the namespace torch gives its C++ nodes (torch::autograd::AccumulateGrad)."""
    return None if node is None else node.name().removeprefix("torch::autograd::")


def same(ours: Any, theirs: Any, what: str = "result") -> None:
    """Two results alike: tensors within tolerance, tuples and lists item by item, anything else equal."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, minigrad.Tensor), f"{what}: {ours!r} is no tensor"
        assert_close(ours, theirs, what)
    elif isinstance(theirs, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(theirs), f"{what}: {ours!r} != {theirs!r}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            same(a, b, f"{what}[{i}]")
    else:
        assert ours == theirs, f"{what}: {ours!r} != {theirs!r}"


def both(program: Any, device: str) -> None:
    """Run ``program(fw, dev)`` on minigrad (CPU) and torch (``device``) and compare what it returns."""
    same(program(minigrad, "cpu"), program(torch, device))


def kept(t: Any) -> Any:
    """A copy of what a hook was given, for the log (None stays None)."""
    return None if t is None else t.detach().clone()


# ----- tensor hooks ---------------------------------------------------------------------------------------------
def test_hook_on_a_leaf_replaces_what_accumulates(device: str) -> None:
    """A leaf used twice: its hook runs once, on the summed gradient, and what it returns accumulates (twice over
    two backward passes); a removed hook no longer runs."""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        seen = []
        handle = x.register_hook(lambda g: seen.append(kept(g)) or g * 10)
        (x * x + x).sum().backward()
        first = x.grad.clone()
        (x * 3).sum().backward()
        handle.remove()
        (x * 3).sum().backward()
        return seen, first, x.grad

    both(run, device)


def test_hook_on_a_non_leaf_changes_what_flows_on(device: str) -> None:
    """y = x * w with two hooks (the second sees the first's result) and retain_grad (which sees the result of
    both, whatever the order they were registered in); the gradients of x and w follow the replaced gradient."""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        w = fw.tensor(W, requires_grad=True, device=dev)
        y = x * w
        seen = []
        y.retain_grad()
        y.register_hook(lambda g: seen.append(kept(g)) or g * 3)
        y.register_hook(lambda g: seen.append(kept(g)))  # None: the gradient is left as it is
        y.register_hook(lambda g: seen.append(kept(g)) or g + 1)
        y.sin().sum().backward()
        return seen, y.grad, x.grad, w.grad

    both(run, device)


def test_hooks_run_in_pytorchs_order(device: str) -> None:
    """Tensor hook, then retain_grad, then the node's pre-hook, its backward, its post-hook: each step's values."""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        y = x * 3
        log = []
        y.grad_fn.register_prehook(lambda go: log.append(("pre", [kept(g) for g in go])) or (go[0] * 2,))
        y.grad_fn.register_hook(lambda gi, go: log.append(("post", [kept(g) for g in gi], [kept(g) for g in go]))
                                or (gi[0] + 1, None))
        y.register_hook(lambda g: log.append(("tensor", kept(g))) or g * 5)
        y.retain_grad()
        y.sum().backward()
        return log, x.grad, y.grad

    both(run, device)


def test_hooks_stay_with_the_grad_fn_across_an_in_place_op(device: str) -> None:
    """A hook registered before y.mul_(3) stays on y's old grad_fn (it sees the gradient of y's value before the
    write), one registered after runs on the new one; retain_grad follows y (PyTorch's documented rule)."""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        y = x * 2
        log = []
        y.register_hook(lambda g: log.append(("before", kept(g))) or g * 10)
        y.retain_grad()
        y.mul_(3)
        y.register_hook(lambda g: log.append(("after", kept(g))) or g * 100)
        y.sum().backward()
        return log, x.grad, y.grad

    both(run, device)


def test_hook_on_an_output_no_gradient_reached_sees_none(device: str) -> None:
    """Q, R = qr(a); only Q is used: R's hook runs with None (PyTorch's undefined gradient), Q's with its gradient."""
    a = RNG.standard_normal((4, 3))

    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(a, requires_grad=True, device=dev)
        q, r = fw.linalg.qr(x)
        log = []
        r.register_hook(lambda g: log.append(("r", g is None)))
        q.register_hook(lambda g: log.append(("q", g is None)))
        q.sum().backward()
        return sorted(log), x.grad

    both(run, device)


@pytest.mark.parametrize("program", [
    pytest.param(lambda fw: fw.ones(3).register_hook(lambda g: g), id="no-grad"),
    pytest.param(lambda fw: _backward_with_hook(fw, lambda g: fw.ones(2)), id="shape"),
    pytest.param(lambda fw: _backward_with_hook(fw, lambda g: g.double()), id="dtype"),
    pytest.param(lambda fw: _backward_with_hook(fw, lambda g: 5), id="not-a-tensor"),
    pytest.param(lambda fw: _backward_with_hook(fw, lambda g: fw.ones(4), leaf=False), id="non-leaf-shape"),
    pytest.param(lambda fw: _replace_none(fw), id="replace-none"),
])
def test_tensor_hook_errors(program: Any) -> None:
    assert_same_error(program)


def _backward_with_hook(fw: Any, hook: Any, leaf: bool = True) -> None:
    x = fw.ones(3, requires_grad=True)
    y = x if leaf else x * 2
    y.register_hook(hook)
    (y * 2).sum().backward()


def _replace_none(fw: Any) -> None:
    x = fw.tensor(np.eye(3) + 0.1, requires_grad=True)
    q, r = fw.linalg.qr(x)
    r.register_hook(lambda g: fw.ones(3, 3, dtype=fw.float64))
    q.sum().backward()


# ----- node hooks and introspection -----------------------------------------------------------------------------
def _node_hook_program(fw: Any, kind: str, result: Any) -> None:
    x = fw.ones(2, requires_grad=True)
    w = fw.ones(2, requires_grad=True)
    y = x * w

    def bad(*grads: Any) -> Any:
        return result(fw, grads[0])

    (y.grad_fn.register_hook if kind == "post" else y.grad_fn.register_prehook)(bad)
    y.sum().backward()


@pytest.mark.parametrize("kind", ["pre", "post"])
@pytest.mark.parametrize("result", [
    pytest.param(lambda fw, g: g[0], id="not-a-tuple"),
    pytest.param(lambda fw, g: (g[0],) * 3, id="count"),
    pytest.param(lambda fw, g: tuple(fw.ones(5) if x is not None else None for x in g), id="shape"),
])
def test_node_hook_errors(kind: str, result: Any) -> None:
    assert_same_error(lambda fw: _node_hook_program(fw, kind, result))


def _graph(t: Any) -> Any:
    """The graph behind t as nested (name, output_nr, [inputs]) from next_functions; a leaf's node names whether its
    .variable is the leaf (by value)."""
    node = t.grad_fn

    def walk(node: Any, output_nr: int) -> Any:
        if node is None:
            return None
        if name(node) == "AccumulateGrad":
            return ("AccumulateGrad", output_nr, kept(node.variable))
        return (name(node), output_nr, [walk(n, i) for n, i in node.next_functions])

    return walk(node, 0)


def test_next_functions_name_and_metadata(device: str) -> None:
    """The graph of (x * w + x * 2).exp().sum() through next_functions (None edges included), AccumulateGrad's
    variable, an AccumulateGrad's own next_functions (empty), and metadata, a dict of the user's. (``2 * x`` would
    differ: minigrad records it as mul(2, x), PyTorch as mul(x, 2).)"""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        w = fw.tensor(W, requires_grad=True, device=dev)
        loss = (x * w + x * 2).exp().sum()
        accumulate = loss.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions[0][0]
        loss.grad_fn.metadata["note"] = 1
        return (_graph(loss), accumulate.variable is x, accumulate.next_functions, dict(loss.grad_fn.metadata),
                type(loss.grad_fn.metadata).__name__)

    both(run, device)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
@pytest.mark.parametrize("shape", [(5, 4), (4,), (2, 5, 4)], ids=["rows", "one_sample", "batch_of_sequences"])
def test_linear_layers_record_pytorchs_graph(shape: tuple[int, ...], bias: bool, device: str) -> None:
    """nn.Linear records what PyTorch's linear does: addmm(b, x, W.t()) (mm(x, W.t()) without a bias), its edges in
    that order, W's gradient through a TBackward0 node; a 1-D or 3-D input views its rows (ViewBackward0), or, without
    a bias, goes through matmul (SqueezeBackward4, UnsafeViewBackward0). The 60-minute blitz prints
    loss.grad_fn.next_functions[0][0].next_functions[0][0]: the last layer's bias (AccumulateGrad)."""
    data = RNG.standard_normal(shape).astype(np.float32)

    def run(fw: Any, dev: str) -> Any:
        fw.manual_seed(0)
        net = fw.nn.Sequential(fw.nn.Linear(4, 3, bias=bias), fw.nn.ReLU(), fw.nn.Linear(3, 2, bias=bias)).to(dev)
        out = net(fw.tensor(data, device=dev))
        loss = fw.nn.functional.mse_loss(out, fw.zeros(out.shape, device=dev))
        walked = name(loss.grad_fn.next_functions[0][0].next_functions[0][0])
        saved = out.grad_fn._saved_mat2 if out.dim() == 2 else None  # W^T (mat1 is x)
        graph = _graph(loss)
        loss.backward()
        return graph, walked, saved, [p.grad for p in net.parameters()]

    both(run, device)


SAVED = [  # (program making y from x and w, the _saved_ attributes of y.grad_fn to read)
    (lambda fw, x, w: x * w, ["self", "other"]),
    (lambda fw, x, w: x * w.detach(), ["self", "other"]),
    (lambda fw, x, w: x / w, ["self", "other"]),
    (lambda fw, x, w: x ** 2, ["self", "exponent"]),
    (lambda fw, x, w: x.abs() ** w, ["self", "exponent", "result"]),
    (lambda fw, x, w: x.exp(), ["result"]),
    (lambda fw, x, w: x.abs().log(), ["self"]),
    (lambda fw, x, w: x.abs().sqrt(), ["result"]),
    (lambda fw, x, w: x.sigmoid(), ["result"]),
    (lambda fw, x, w: x.tanh(), ["result"]),
    (lambda fw, x, w: x.relu(), ["result"]),
    (lambda fw, x, w: x @ w.t(), ["self", "mat2"]),
    (lambda fw, x, w: fw.mm(x, w.t()), ["self", "mat2"]),
    (lambda fw, x, w: fw.mv(x, w[0]), ["self", "vec"]),
    (lambda fw, x, w: fw.nn.functional.linear(x, w), ["self", "mat2"]),
    (lambda fw, x, w: x.sum(), ["self_sym_sizes"]),
    (lambda fw, x, w: x.mean(), ["self_sym_sizes", "self_sym_numel"]),
]


@pytest.mark.parametrize("program, names", SAVED, ids=[f"saved{i}" for i in range(len(SAVED))])
def test_saved_tensors_by_pytorchs_names(program: Any, names: list[str], device: str) -> None:
    """grad_fn._saved_<name> equals torch's (None where the op saved nothing); after backward the saved tensors are
    freed: reading one is PyTorch's error, while numbers and sizes stay readable."""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        w = fw.tensor(W, requires_grad=True, device=dev)
        y = program(fw, x, w)
        node = y.grad_fn
        before = [getattr(node, f"_saved_{n}") for n in names]
        y.sum().backward()
        after = []
        for n in names:
            try:
                value = getattr(node, f"_saved_{n}")
                after.append(kept(value) if hasattr(value, "shape") else value)
            except RuntimeError as error:
                after.append(str(error).replace("torch.", "minigrad."))
        return name(node), [kept(v) if hasattr(v, "shape") else v for v in before], after

    both(run, device)


def test_saved_name_of_another_op() -> None:
    """_saved_other on an ExpBackward0 is PyTorch's AttributeError, naming the node. (A name no op saves under is
    Python's own error, naming the class Node: minigrad's nodes share one class.)"""
    assert_same_error(lambda fw: fw.ones(2, requires_grad=True).exp().grad_fn._saved_other)


def test_accumulate_grad_hooks(device: str) -> None:
    """A leaf's AccumulateGrad node takes pre- and post-hooks too: the pre-hook's result accumulates."""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        y = x * 3
        node = y.grad_fn.next_functions[0][0]
        log = []
        node.register_prehook(lambda go: log.append(("pre", [kept(g) for g in go])) or (go[0] + 1,))
        node.register_hook(lambda gi, go: log.append(("post", list(gi), [kept(g) for g in go])))
        y.sum().backward()
        return log, x.grad

    both(run, device)


# ----- saved_tensors_hooks --------------------------------------------------------------------------------------
def test_saved_tensors_hooks_count_and_copy(device: str) -> None:
    """PyTorch's tutorial: pack sees every tensor an op saves (x and w for x * w, the result for exp, x for pow),
    unpack each as backward reads it; packing copies keeps gradients exact; no_grad ops save nothing; outside the
    context nothing is packed."""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        w = fw.tensor(W, requires_grad=True, device=dev)
        packed, unpacked = [], []

        def pack(t: Any) -> Any:
            packed.append(kept(t))
            return t.clone()

        def unpack(t: Any) -> Any:
            unpacked.append(kept(t))
            return t

        with fw.autograd.graph.saved_tensors_hooks(pack, unpack):
            y = (x * w).exp() + x ** 2
            with fw.no_grad():
                (x * w).exp()
        z = (y * 1).sum()
        counts = (len(packed), len(unpacked))
        z.backward()
        return counts, len(packed), len(unpacked), packed, x.grad, w.grad

    ours, theirs = run(minigrad, "cpu"), run(torch, device)
    same(ours[:3], theirs[:3], "counts")
    # The same tensors were packed, perhaps in another order within one op: compare as sorted by their sums.
    same(sorted(ours[3], key=lambda t: t.sum().item()), sorted(theirs[3], key=lambda t: t.sum().item()), "packed")
    same(ours[4:], theirs[4:], "gradients")


def test_saved_tensors_hooks_innermost_pair_applies_and_save_on_cpu(device: str) -> None:
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        log = []
        outer = fw.autograd.graph.saved_tensors_hooks(lambda t: log.append("outer") or t, lambda t: t)
        inner = fw.autograd.graph.saved_tensors_hooks(lambda t: log.append("inner") or t, lambda t: t)
        with outer:
            with inner:
                y = x.exp()
            y = y.sqrt()
        with fw.autograd.graph.save_on_cpu():
            y = y.tanh()
        y.sum().backward()
        return log, x.grad

    both(run, device)


def test_saved_tensors_hooks_and_an_in_place_op(device: str) -> None:
    """y.sin_() saves y's value before the write: packed by identity hooks, the gradient is still sin's, not computed
    from the overwritten memory (minigrad packs a private copy, as PyTorch does)."""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        with fw.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            y = x * 1
            y.sin_()
        (y * y).sum().backward()
        return y, x.grad

    both(run, device)


def test_saved_tensor_read_through_unpack(device: str) -> None:
    """grad_fn._saved_result goes through unpack too."""
    def run(fw: Any, dev: str) -> Any:
        x = fw.tensor(X, requires_grad=True, device=dev)
        with fw.autograd.graph.saved_tensors_hooks(lambda t: t * 2, lambda t: t / 2):
            y = x.exp()
        return y.grad_fn._saved_result

    both(run, device)


# ----- module hooks ---------------------------------------------------------------------------------------------
class TwoInputs:
    """A module of two inputs, built for either framework: forward(a, b) = a * b.sum() + a @ W."""

    def __new__(cls, fw: Any) -> Any:
        class Module(fw.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.w = fw.nn.Parameter(fw.tensor(np.eye(3, dtype=np.float32) * 0.5))

            def forward(self, a: Any, b: Any, scale: float = 1.0) -> Any:
                return (a * b.sum() + a @ self.w) * scale

        return Module()


def _model(fw: Any, kind: str, dev: str) -> Any:
    fw.manual_seed(0)
    if kind == "linear":
        return fw.nn.Linear(3, 2).to(dev)
    if kind == "sequential":
        return fw.nn.Sequential(fw.nn.Linear(3, 4), fw.nn.Tanh(), fw.nn.Linear(4, 2)).to(dev)
    return TwoInputs(fw).to(dev)


def _inputs(fw: Any, kind: str, dev: str, grad: tuple[bool, bool]) -> tuple[Any, ...]:
    x = fw.tensor(X, requires_grad=grad[0], device=dev)
    if kind != "two":
        return (x,)
    return x, fw.tensor(W, requires_grad=grad[1], device=dev)


@pytest.mark.parametrize("kind", ["linear", "sequential", "two"])
@pytest.mark.parametrize("grad", [(True, True), (True, False), (False, True)], ids=["both", "first", "second"])
def test_full_backward_hooks(kind: str, grad: tuple[bool, bool], device: str) -> None:
    """register_full_backward_pre_hook and register_full_backward_hook: what each sees (grad_output; grad_input, None
    for an input that takes no gradient) and their replacements, on a Linear, a Sequential (hooks on it and on its
    first layer) and a module of two inputs; the parameters' and inputs' gradients after them."""
    if kind != "two" and not grad[0]:
        grad = (False, False)  # one input, not requiring grad: the hook fires on the outputs (a warning)

    def run(fw: Any, dev: str) -> Any:
        model = _model(fw, kind, dev)
        log = []
        model.register_full_backward_pre_hook(lambda m, go: log.append(("pre", [kept(g) for g in go])))
        model.register_full_backward_pre_hook(lambda m, go: (go[0] * 2,))
        model.register_full_backward_hook(
            lambda m, gi, go: log.append(("hook", [kept(g) for g in gi], [kept(g) for g in go])))
        if any(grad):
            model.register_full_backward_hook(lambda m, gi, go: tuple(None if g is None else g * 3 for g in gi))
        if kind == "sequential":
            model[0].register_full_backward_hook(
                lambda m, gi, go: log.append(("first layer", [kept(g) for g in gi], [kept(g) for g in go])))
        inputs = _inputs(fw, kind, dev, grad)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = model(*inputs)
            (out * out).sum().backward()
        params = [p.grad for p in model.parameters()]
        return (log, [x.grad for x in inputs], params, name(out.grad_fn),
                [str(w.message) for w in caught if "backward hook" in str(w.message)])

    both(run, device)


def test_forward_hooks(device: str) -> None:
    """Forward pre-hooks may replace the input (a tuple, or one value), forward hooks the output; with_kwargs gives
    them the keyword arguments (a pre-hook may replace both); prepend puts a hook first; removed hooks no longer run."""
    def run(fw: Any, dev: str) -> Any:
        model = _model(fw, "two", dev)
        log = []
        model.register_forward_pre_hook(lambda m, args: log.append("pre") or (args[0] * 2, args[1]))
        model.register_forward_pre_hook(lambda m, args: log.append("pre first"), prepend=True)
        handle = model.register_forward_pre_hook(lambda m, args: args[0])  # one value: the only argument
        handle.remove()
        model.register_forward_pre_hook(lambda m, args, kwargs: (args, {**kwargs, "scale": 10.0}), with_kwargs=True)
        model.register_forward_hook(lambda m, args, out: log.append(("out", kept(out))) or out + 1)
        model.register_forward_hook(lambda m, args, kwargs, out: log.append(("kwargs", kwargs)) or out * 2,
                                    with_kwargs=True)
        a, b = _inputs(fw, "two", dev, (True, True))
        out = model(a, b, scale=0.5)
        out.sum().backward()
        return log, out, a.grad, b.grad

    both(run, device)


def test_forward_hook_always_call() -> None:
    """An always_call forward hook runs when forward raises, and the error propagates."""
    def run(fw: Any) -> Any:
        model = fw.nn.Linear(3, 2)
        log = []
        model.register_forward_hook(lambda m, args, out: log.append(out), always_call=True)
        model.register_forward_hook(lambda m, args, out: log.append("not always"))
        try:
            model(fw.ones(2, 4))
        except RuntimeError as error:
            log.append(str(error))
        return log

    assert run(minigrad) == run(torch)


@pytest.mark.parametrize("program", [
    pytest.param(lambda fw, m: m.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0])), id="hook-count"),
    pytest.param(lambda fw, m: m.register_full_backward_pre_hook(lambda m, go: (go[0], go[0])), id="pre-hook-count"),
    pytest.param(lambda fw, m: m.register_forward_pre_hook(lambda m, a, k: a, with_kwargs=True), id="pre-kwargs"),
])
def test_module_hook_errors(program: Any) -> None:
    def run(fw: Any) -> None:
        model = fw.nn.Linear(3, 2)
        program(fw, model)
        model(fw.ones(2, 3, requires_grad=True)).sum().backward()

    assert_same_error(run)


def test_full_backward_hook_without_input_grads_must_return_none() -> None:
    def run(fw: Any) -> None:
        model = fw.nn.Linear(3, 2)
        model.register_full_backward_hook(lambda m, gi, go: (fw.ones(2, 3),))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model(fw.ones(2, 3)).sum().backward()

    assert_same_error(run)


def test_accumulate_grad_names_and_repr_as_pytorch_s(device: str) -> None:
    """A leaf's node: ``name()`` is PyTorch's C++-qualified one, its class is ``AccumulateGrad``, and it prints
    (alone and inside ``next_functions``) as ``<AccumulateGrad object at 0x...>``."""
    def seen(fw: Any, dev: str) -> list[Any]:
        x = fw.ones(2, requires_grad=True, device=dev)
        node = (x * 2).grad_fn.next_functions[0][0]
        return [node.name(), type(node).__name__, repr(node) == f"<AccumulateGrad object at {id(node):#x}>",
                str(node) == repr(node), repr((x * 2).grad_fn.next_functions).startswith("((<AccumulateGrad object")]

    ours, theirs = seen(minigrad, "cpu"), seen(torch, device)
    assert ours == theirs and theirs[0] == "torch::autograd::AccumulateGrad"
