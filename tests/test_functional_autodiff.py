"""``minigrad.autograd.functional``, ``minigrad.func`` and ``gradgradcheck`` against PyTorch's.

Each API runs on the same functions and inputs in both frameworks (elementwise maps, a matrix product, reductions
with two outputs, a small tanh MLP and its loss, the seed tutorial's logistic regression loss written out), float64
and float32, with and without ``create_graph``; results must match in nesting, shape, dtype, values, and in whether
they carry a graph. With ``create_graph=True`` the inputs require grad and the results are differentiated once more:
the inputs' gradients must match too. Bad calls raise PyTorch's exception type and message.

Tolerances: float64 1e-10 relative (1e-12 absolute). float32: the suite's 2e-6 absolute, and 1e-5 relative instead
of the suite's 1e-6, which one case needs: the third derivative of the logistic loss (the gradient of the sum of its
Hessian), where minigrad and PyTorch differ by 4.8e-6 relative (-0.8401166 vs -0.8401126); each is off the float64
value by about as much (its Hessian: 2.9e-6 and 3.9e-6 of the largest entry), sums of sigmoid products rounded in
other orders. Every other float32 result agrees to the suite's 1e-6.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import numpy_of, outcome
from torch.autograd.gradcheck import GradcheckError as TorchGradcheckError

import minigrad

TOL = {"float64": (1e-10, 1e-12), "float32": (1e-5, 2e-6)}
X_DATA = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]]  # the seed tutorial's data
Y_DATA = [[0], [0], [0], [1], [1], [1]]


def _mlp(x: Any, w1: Any, b1: Any, w2: Any) -> Any:
    return (x @ w1 + b1).tanh() @ w2


def _mlp_loss(x: Any, w1: Any, b1: Any, w2: Any) -> Any:
    target = x.new_tensor(np.linspace(-1, 1, 8).reshape(4, 2))
    return ((_mlp(x, w1, b1, w2) - target) ** 2).mean()


def _logistic_loss(w: Any, b: Any) -> Any:
    """Binary cross-entropy of sigmoid(x w + b), written out (minigrad cannot differentiate its fused op twice)."""
    x, y = w.new_tensor(X_DATA), w.new_tensor(Y_DATA)
    p = (x @ w + b).sigmoid()
    return -(y * p.log() + (1 - y) * (1 - p).log()).mean()


# name: (function, input shapes, whether it returns one single-element tensor)
FUNCTIONS: dict[str, tuple[Callable[..., Any], list[tuple[int, ...]], bool]] = {
    "elementwise": (lambda x: (x * x.tanh()).exp() / (1 + x.sigmoid()), [(3, 2)], False),
    "two_inputs": (lambda x, y: (x ** 2 + 1).log() * y.exp() - x / (y ** 2 + 1), [(4,), (4,)], False),
    "matmul": (lambda a, b: a @ b, [(2, 3), (3, 4)], False),
    "reductions": (lambda x: ((x ** 3).sum(0), x.exp().mean()), [(3, 4)], False),
    "mlp": (_mlp, [(4, 3), (3, 5), (5,), (5, 2)], False),
    "scalar_poly": (lambda x: (x ** 3 * x.sigmoid()).sum(), [(5,)], True),
    "mlp_loss": (_mlp_loss, [(4, 3), (3, 5), (5,), (5, 2)], True),
    "logistic_loss": (_logistic_loss, [(2, 1), (1,)], True),
}
SCALAR = [name for name, (_, _, scalar) in FUNCTIONS.items() if scalar]


def _arrays(name: str, dtype: str) -> list[np.ndarray]:
    rng = np.random.default_rng(len(name))
    return [rng.uniform(-1, 1, shape).astype(dtype) for shape in FUNCTIONS[name][1]]


def _tensors(fw: Any, arrays: list[np.ndarray], device: str, requires_grad: bool) -> list[Any]:
    kwargs = {"device": device} if fw is torch else {}
    return [fw.tensor(a, requires_grad=requires_grad, **kwargs) for a in arrays]


def _like(fw: Any, tree: Any, rng: np.random.Generator, device: str) -> Any:
    """Random tensors shaped like ``tree`` (a tensor or a tuple of them), built from numpy so both frameworks agree."""
    if isinstance(tree, tuple):
        return tuple(_like(fw, t, rng, device) for t in tree)
    values = rng.uniform(-1, 1, tuple(tree.shape)).astype(str(tree.dtype).split(".")[-1])
    return fw.tensor(values, device=device) if fw is torch else fw.tensor(values)


def _flat(tree: Any) -> list[Any]:
    if isinstance(tree, (tuple, list)):
        return [x for t in tree for x in _flat(t)]
    return [tree]


def assert_same(ours: Any, theirs: Any, what: str = "result") -> None:
    """Same nesting; each tensor the same shape, dtype and values, and carrying a graph where torch's does."""
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, type(theirs)) and len(ours) == len(theirs), f"{what}: {ours!r} vs {theirs!r}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{what}[{i}]")
        return
    assert isinstance(ours, minigrad.Tensor), f"{what}: {type(ours)}"
    assert tuple(ours.shape) == tuple(theirs.shape), f"{what}: shape {tuple(ours.shape)} vs {tuple(theirs.shape)}"
    dtype = str(theirs.dtype).split(".")[-1]
    assert str(ours.dtype).split(".")[-1] == dtype, f"{what}: dtype {ours.dtype} vs {theirs.dtype}"
    assert ours.requires_grad == theirs.requires_grad, f"{what}: requires_grad"
    assert (ours.grad_fn is None) == (theirs.grad_fn is None), f"{what}: grad_fn {ours.grad_fn} vs {theirs.grad_fn}"
    rtol, atol = TOL[dtype]
    np.testing.assert_allclose(numpy_of(ours), numpy_of(theirs), rtol=rtol, atol=atol, err_msg=what)


def _run_both(program: Callable[[Any, list[Any]], Any], name: str, dtype: str, device: str,
              create_graph: bool) -> None:
    """``program(fw, inputs)`` in both frameworks; with ``create_graph``, also d(sum of the results)/d inputs."""
    results = []
    for fw in (minigrad, torch):
        inputs = _tensors(fw, _arrays(name, dtype), device, requires_grad=create_graph)
        result = program(fw, inputs)
        grads = None
        if create_graph:
            differentiable = [r.sum() for r in _flat(result) if r.requires_grad]
            grads = fw.autograd.grad(sum(differentiable[1:], differentiable[0]), inputs, allow_unused=True,
                                     materialize_grads=True)
        results.append((result, grads))
    (ours, our_grads), (theirs, their_grads) = results
    assert_same(ours, theirs)
    if create_graph:
        assert_same(our_grads, their_grads, "gradient of the results")


def _single(inputs: list[Any]) -> Any:
    """One input as a tensor, several as a tuple: both forms PyTorch accepts."""
    return inputs[0] if len(inputs) == 1 else tuple(inputs)


# ----- torch.autograd.functional ------------------------------------------------------------------------------------
def _functional_program(api: str, name: str, device: str, create_graph: bool) -> Callable[[Any, list[Any]], Any]:
    f = FUNCTIONS[name][0]

    def program(fw: Any, inputs: list[Any]) -> Any:
        functional, rng = fw.autograd.functional, np.random.default_rng(7)
        x = _single(inputs)
        if api == "vjp":
            out = f(*[t.detach() for t in inputs])
            return functional.vjp(f, x, _like(fw, out, rng, device), create_graph=create_graph)
        if api in ("jvp", "hvp", "vhp"):
            v = _like(fw, x, rng, device)
            return getattr(functional, api)(f, x, v, create_graph=create_graph)
        return getattr(functional, api)(f, x, create_graph=create_graph)
    return program


FUNCTIONAL_CASES = [(api, name) for api in ("vjp", "jvp", "jacobian") for name in FUNCTIONS] + \
                   [(api, name) for api in ("hessian", "hvp", "vhp") for name in SCALAR]


@pytest.mark.parametrize("create_graph", [False, True], ids=["no_graph", "create_graph"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("api", "name"), FUNCTIONAL_CASES, ids=[f"{a}-{n}" for a, n in FUNCTIONAL_CASES])
def test_functional_matches_torch(api: str, name: str, dtype: str, create_graph: bool, device: str) -> None:
    _run_both(_functional_program(api, name, device, create_graph), name, dtype, device, create_graph)


def test_functional_with_plain_inputs_and_create_graph(device: str) -> None:
    """create_graph=True on inputs that do not require grad: the results still carry a graph, as PyTorch's do."""
    for api in ("vjp", "jacobian"):
        results = [_functional_program(api, "matmul", device, True)(fw, _tensors(fw, _arrays("matmul", "float64"),
                                                                                 device, False))
                   for fw in (minigrad, torch)]
        assert_same(*results)


def test_functional_under_no_grad_and_v_none(device: str) -> None:
    """v may be left out for a single-element input or output; no_grad outside changes nothing."""
    f = FUNCTIONS["scalar_poly"][0]
    results = []
    for fw in (minigrad, torch):
        x = _tensors(fw, [np.array([0.7])], device, False)[0]
        with fw.no_grad():
            results.append([fw.autograd.functional.vjp(f, x), fw.autograd.functional.jvp(f, x),
                            fw.autograd.functional.hvp(f, x), fw.autograd.functional.vhp(f, x)])
    assert_same(*results)


def test_functional_is_importable_under_torchs_name() -> None:
    from minigrad.autograd.functional import hessian, jacobian

    assert minigrad.autograd.functional.jacobian is jacobian and callable(hessian)


# ----- torch.func -----------------------------------------------------------------------------------------------------
def _func_program(api: str, name: str, argnums: Any, device: str) -> Callable[[Any, list[Any]], Any]:
    f = FUNCTIONS[name][0]

    def program(fw: Any, inputs: list[Any]) -> Any:
        func, rng = fw.func, np.random.default_rng(11)
        if api == "vjp":
            out, vjp_fn = func.vjp(f, *inputs)
            return out, vjp_fn(_like(fw, out, rng, device))
        if api == "jvp":
            return func.jvp(f, tuple(inputs), _like(fw, tuple(inputs), rng, device))
        return getattr(func, api)(f, argnums)(*inputs)
    return program


ARGNUMS = {"first": 0, "last": -1, "all": "all"}
FUNC_CASES = [(api, name, "first") for api in ("vjp", "jvp") for name in FUNCTIONS] + \
             [(api, name, which) for api in ("jacrev", "jacfwd") for name in FUNCTIONS for which in ARGNUMS] + \
             [(api, name, which) for api in ("grad", "grad_and_value", "hessian") for name in SCALAR
              for which in ARGNUMS]


@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain", "requires_grad"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("api", "name", "which"), FUNC_CASES, ids=["-".join(c) for c in FUNC_CASES])
def test_func_matches_torch(api: str, name: str, which: str, dtype: str, requires_grad: bool, device: str) -> None:
    count = len(FUNCTIONS[name][1])
    argnums = tuple(range(count)) if ARGNUMS[which] == "all" else ARGNUMS[which]
    if argnums == -1 and api in ("jacfwd", "hessian"):
        argnums = count - 1  # torch.func's jacfwd misses a negative argnums (_replace_args compares i == argnums)
    _run_both(_func_program(api, name, argnums, device), name, dtype, device, requires_grad)


def test_func_has_aux_and_nesting(device: str) -> None:
    """has_aux hands aux back untouched; grad nests (a third derivative), and a closure's tensor keeps its graph."""
    def run(fw: Any) -> list[Any]:
        x, w = _tensors(fw, [np.array([0.3, -0.8, 1.1]), np.array([0.5, 2.0, -1.0])], device, False)
        w.requires_grad_()

        def loss(x: Any) -> Any:
            y = (w * x).tanh()
            return y.sum(), {"y": y.detach()}

        grad_x, aux = fw.func.grad(loss, has_aux=True)(x)
        (value_grad, (value, aux2)) = fw.func.grad_and_value(loss, has_aux=True)(x)
        jac, aux3 = fw.func.jacrev(lambda x: (x.sin() * x, x.cos()), has_aux=True)(x)
        fwd, aux4 = fw.func.jacfwd(lambda x: (x.sin() * x, x.cos()), has_aux=True)(x)
        out, jv, aux5 = fw.func.jvp(lambda x: (x.exp(), x), (x,), (x * 0 + 1,), has_aux=True)
        x0 = _tensors(fw, [np.array(0.7)], device, False)[0]
        third = fw.func.grad(fw.func.grad(fw.func.grad(lambda y: y ** 4 / 4)))(x0)
        return [grad_x, aux["y"], value_grad, value, aux2["y"], jac, aux3, fwd, aux4, out, jv, aux5, third]
    ours, theirs = run(minigrad), run(torch)
    assert_same(ours, theirs)


def test_func_under_no_grad_gives_no_graph(device: str) -> None:
    results = []
    for fw in (minigrad, torch):
        x = _tensors(fw, [np.array([0.3, -0.8])], device, True)[0]
        with fw.no_grad():
            results.append([fw.func.grad(lambda x: (x ** 3).sum())(x), fw.func.jacrev(lambda x: x.exp())(x)])
        results[-1].append(fw.func.grad(lambda x: (x ** 3).sum())(x))
    assert_same(*results)


def test_jacfwd_and_jvp_run_forward_mode(device: str) -> None:
    """func.jacfwd and func.jvp push tangents forward (forward_ad): minigrad's f gets dual tensors (here through
    binary_cross_entropy's forward rule), and the results are PyTorch's."""
    results, duals = [], []
    for fw in (minigrad, torch):
        p, y = _tensors(fw, [np.array([0.2, 0.7, 0.4]), np.array([0.0, 1.0, 1.0])], device, False)

        def bce(p: Any, y: Any = y, fw: Any = fw) -> Any:
            if fw is minigrad:
                duals.append(minigrad.autograd.forward_ad.unpack_dual(p).tangent is not None)
            return fw.nn.functional.binary_cross_entropy(p.sigmoid(), y, reduction="none")

        results.append([fw.func.jacfwd(bce)(p), *fw.func.jvp(bce, (p,), (fw.ones_like(p),))])
    assert_same(*results)
    assert True in duals


def _cube(fw: Any, with_jvp: bool) -> Any:
    """x^3 as a custom Function, with or without its jvp."""
    class Cube(fw.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            ctx.save_for_forward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return 3 * x ** 2 * grad

        if with_jvp:
            @staticmethod
            def jvp(ctx, x_t):
                x, = ctx.saved_tensors
                return 3 * x ** 2 * x_t

    return Cube


def test_functional_jvp_runs_forward_mode(device: str) -> None:
    """autograd.functional.jvp runs f once, on dual tensors (minigrad; PyTorch on the double-backward trick), with the
    same results: through an op whose backward minigrad may not record (svdvals), a custom Function with a jvp, one
    without (forward AD refuses: f runs again, the double-backward way), a gradient taken inside f (forward over
    reverse), f returning an input as it is (J v is v's memory in both), v of another dtype, v left out, inside a
    custom Function's forward (where tangents are paused), inside an open forward-AD level (the double-backward way:
    no tangent comes out)."""
    seen: list[Any] = []

    def program(fw: Any) -> list[Any]:
        functional, dual = fw.autograd.functional, fw.autograd.forward_ad
        x, v = _tensors(fw, [np.array([0.3, -0.8, 1.1]), np.array([0.5, 2.0, -1.0])], device, False)
        m, w = _tensors(fw, [np.array([[1.0, 2.0], [3.0, 5.0], [0.5, -1.0]]),
                             np.array([[0.1, -0.2], [0.3, 0.4], [1.0, 0.5]])], device, False)
        calls = []

        class JvpInForward(fw.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return functional.jvp(lambda b: b.exp(), a, a * 0 + 1)[1]

            @staticmethod
            def backward(ctx, grad):
                return grad

        def f(a: Any) -> Any:
            calls.append(fw is minigrad and dual.unpack_dual(a).tangent is not None)
            return (a.sin() * a, a.exp())

        identity = functional.jvp(lambda a: a, x, v)
        results = [functional.jvp(f, x, v), len(calls), identity,
                   np.shares_memory(numpy_of(identity[1]), numpy_of(v)),
                   functional.jvp(fw.linalg.svdvals, m, w),
                   functional.jvp(_cube(fw, True).apply, x, v),
                   functional.jvp(_cube(fw, False).apply, x, v),
                   functional.jvp(lambda a: fw.autograd.grad((a ** 3).sum(), a, create_graph=True)[0], x, v),
                   functional.jvp(lambda a: a * 2, x, v.float()),
                   functional.jvp(lambda a: a * 2, x.float(), v),
                   functional.jvp(lambda a: a * 2, x, fw.tensor([1, 2, 3], device=device)),
                   functional.jvp(lambda a: (a.exp(), a), x[:1]), JvpInForward.apply(x)]
        with dual.dual_level():
            outputs, jv = functional.jvp(lambda a: a.exp(), dual.make_dual(x, v), v)
            results += [outputs, jv, dual.unpack_dual(outputs).tangent, dual.unpack_dual(jv).tangent]
        seen.append(calls)
        return results

    ours, theirs = program(minigrad), program(torch)
    assert seen == [[True], [False]]  # minigrad's f saw a dual tensor
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if isinstance(b, torch.Tensor) or isinstance(b, tuple):
            assert_same(a, b, f"result {i}")
        else:
            assert a == b, f"result {i}: {a!r} vs {b!r}"


# ----- errors ---------------------------------------------------------------------------------------------------------
def _errors(fw: Any, device: str) -> dict[str, Callable[[], Any]]:
    kwargs = {"device": device} if fw is torch else {}
    x = fw.tensor([0.5, -1.5, 2.0], dtype=fw.float64, **kwargs)
    y = fw.tensor([1.0, 2.0], dtype=fw.float64, **kwargs)
    functional, func = fw.autograd.functional, fw.func
    return {
        # torch.autograd.functional
        "inputs not tensors": lambda: functional.vjp(lambda a: a, [x]),
        "tuple with a non-tensor": lambda: functional.jacobian(lambda a, b: a, (x, 3)),
        "output not a tensor": lambda: functional.jacobian(lambda a: 3, x),
        "v wrong size": lambda: functional.vjp(lambda a: a * 2, x, y),
        "v wrong length": lambda: functional.jvp(lambda a, b: a, (x, y), (x,)),
        "v entry wrong size": lambda: functional.jvp(lambda a, b: a, (x, y), (x, x)),
        "v for one tensor": lambda: functional.jvp(lambda a: a, x, (x, x)),
        "v None, output not scalar": lambda: functional.vjp(lambda a: a * 2, x),
        "v None, input not scalar": lambda: functional.jvp(lambda a: a * 2, x),
        "jvp of an integer output": lambda: functional.jvp(lambda a: (a * 2, (a > 0).long()), x, x),
        "hvp v None": lambda: functional.hvp(lambda a: a.sum(), x),
        "strict: output needs no grad": lambda: functional.vjp(lambda a: a.detach(), x, x, strict=True),
        "strict: output independent of input 1": lambda: functional.vjp(lambda a, b: a * 2, (x, y), x, strict=True),
        "strict jacobian": lambda: functional.jacobian(lambda a, b: a * 2, (x, y), strict=True),
        "strict jacobian create_graph": lambda: functional.jacobian(lambda a: a * 2, x, strict=True, create_graph=True),
        "strict jvp": lambda: functional.jvp(lambda a, b: a * 2, (x, y), (x, y), strict=True),
        "strict jvp create_graph": lambda: functional.jvp(lambda a: a * 2, x, x, strict=True, create_graph=True),
        "strict vjp create_graph": lambda: functional.vjp(lambda a: a * 2, x, x, strict=True, create_graph=True),
        "strict hessian of a linear function": lambda: functional.hessian(lambda a: (a * 2).sum(), x, strict=True),
        "strict vhp": lambda: functional.vhp(lambda a: (a * 2).sum(), x, x, strict=True),
        "strict hvp": lambda: functional.hvp(lambda a: (a * 2).sum(), x, x, strict=True),
        "strict hvp of a quadratic": lambda: functional.hvp(lambda a, b: (a * a).sum() + b.sum(), (x, y), (x, y),
                                                            strict=True),
        "hessian of a vector": lambda: functional.hessian(lambda a: a * 2, x),
        "hessian of a tuple": lambda: functional.hessian(lambda a: (a.sum(), a.sum()), x),
        "vhp of a vector": lambda: functional.vhp(lambda a: a * 2, x, x),
        "hvp of a tuple": lambda: functional.hvp(lambda a: (a.sum(),), x, x),
        "bad strategy": lambda: functional.jacobian(lambda a: a, x, strategy="sideways"),
        "forward-mode create_graph": lambda: functional.jacobian(lambda a: a, x, create_graph=True,
                                                                 strategy="forward-mode"),
        "forward-mode strict": lambda: functional.jacobian(lambda a: a, x, strict=True, strategy="forward-mode"),
        "forward-mode": lambda: functional.jacobian(lambda a: a, x, strategy="forward-mode"),
        "vectorize strict": lambda: functional.jacobian(lambda a: a, x, strict=True, vectorize=True),
        "hessian bad strategy": lambda: functional.hessian(lambda a: a.sum(), x, outer_jacobian_strategy="no"),
        # torch.func
        "argnums out of range": lambda: func.grad(lambda a: a.sum(), argnums=1)(x),
        "argnums negative out of range": lambda: func.jacrev(lambda a: a, argnums=-2)(x),
        "argnums repeated": lambda: func.grad(lambda a, b: a.sum(), argnums=(0, 0))(x, y),
        "argnums empty": lambda: func.grad(lambda a, b: a.sum(), argnums=())(x, y),
        "argnums a list": lambda: func.grad(lambda a: a.sum(), argnums=[0])(x),
        "argnums a float": lambda: func.jacfwd(lambda a: a, argnums=(0.0,))(x),
        "grad of a vector": lambda: func.grad(lambda a: a * 2)(x),
        "grad of a non-tensor": lambda: func.grad(lambda a: 2.0)(x),
        "grad has_aux not a pair": lambda: func.grad(lambda a: a.sum(), has_aux=True)(x),
        "grad of a non-tensor argument": lambda: func.grad(lambda a: a.sum())(2.0),
        "vjp has_aux not a pair": lambda: func.vjp(lambda a: a, x, has_aux=True),
        "vjp of an integer output": lambda: func.vjp(lambda a: (a > 0).long(), x),
        "vjp of nothing": lambda: func.vjp(lambda a: None, x),
        "vjp of a non-tensor": lambda: func.vjp(lambda a: (a, 2), x),
        "vjp_fn cotangent structure": lambda: func.vjp(lambda a: (a, a), x)[1](x),
        "jvp primals not a tuple": lambda: func.jvp(lambda a: a, x, (x,)),
        "jvp structure": lambda: func.jvp(lambda a, b: a, (x, y), (x,)),
        "jvp tangent size": lambda: func.jvp(lambda a: a, (x,), (y,)),
        "jvp no primals": lambda: func.jvp(lambda: x, (), ()),
        "jvp non-tensor tangent": lambda: func.jvp(lambda a: a, (x,), (1.0,)),
        "jvp strict": lambda: func.jvp(lambda a: x * 0 + 1, (y,), (y,), strict=True),
        "jvp has_aux": lambda: func.jvp(lambda a: a, (x,), (x,), has_aux=True),
        "jacrev chunk_size": lambda: func.jacrev(lambda a: a, chunk_size=0),
        "jacfwd randomness": lambda: func.jacfwd(lambda a: a, randomness="sometimes")(x),
    }


ERROR_CASES = list(_errors(minigrad, "cpu"))


@pytest.mark.parametrize("case", ERROR_CASES)
def test_errors_match_torch(case: str, device: str) -> None:
    _, theirs = outcome(lambda fw: _errors(fw, device)[case](), torch)
    _, ours = outcome(lambda fw: _errors(fw, "cpu")[case](), minigrad)
    assert theirs is not None, "torch did not raise"
    assert type(ours) is type(theirs), f"torch raised {theirs!r}, minigrad {ours!r}"
    assert str(ours) == str(theirs).replace("torch.", "minigrad.")


def test_vectorize_is_not_implemented() -> None:
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(NotImplementedError, match="vectorize=True needs vmap"):
        minigrad.autograd.functional.jacobian(lambda a: a * 2, x, vectorize=True)
    with pytest.raises(NotImplementedError, match="vectorize=True"):
        minigrad.autograd.functional.jacobian(lambda a: a * 2, x, vectorize=True, strategy="forward-mode")


# ----- gradgradcheck --------------------------------------------------------------------------------------------------
def _square(fw: Any, detached: bool = False) -> Any:
    """x^2 as a custom Function, backward 2 x grad. ``detached``: x detached in backward, so backward is right but
    its own derivative misses the 2 grad term."""
    class Square(fw.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            (x,) = ctx.saved_tensors
            return 2 * (x.detach() if detached else x) * grad
    return Square


def test_custom_function_backward_is_recorded(device: str) -> None:
    """create_graph=True records a custom Function's backward, run with grad mode on, as PyTorch does."""
    results = []
    for fw in (minigrad, torch):
        x = _tensors(fw, [np.array([0.5, -1.2, 2.0])], device, True)[0]
        y = _square(fw).apply(x.tanh())
        (g,) = fw.autograd.grad(y.sum(), x, create_graph=True)
        results.append([g, *fw.autograd.grad((g * g).sum(), x)])
    assert_same(*results)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_gradgradcheck_passes_on_good_functions(name: str, device: str) -> None:
    for fw in (minigrad, torch):
        inputs = _tensors(fw, _arrays(name, "float64"), device, True)
        assert fw.autograd.gradgradcheck(FUNCTIONS[name][0], tuple(inputs))
        assert fw.autograd.gradcheck(FUNCTIONS[name][0], inputs[0] if len(inputs) == 1 else inputs, eps=1e-6,
                                     atol=1e-5, rtol=1e-3, raise_exception=True)


def test_gradgradcheck_options(device: str) -> None:
    f = FUNCTIONS["two_inputs"][0]
    for fw in (minigrad, torch):
        x, y = _tensors(fw, _arrays("two_inputs", "float64"), device, True)
        v = fw.tensor(np.linspace(-1, 1, 4), requires_grad=True, **({"device": device} if fw is torch else {}))
        assert fw.autograd.gradgradcheck(f, (x, y), v)
        assert fw.autograd.gradgradcheck(f, (x, y), gen_non_contig_grad_outputs=True, eps=1e-6, atol=1e-5, rtol=1e-3)


def test_gradgradcheck_catches_a_wrong_double_backward(device: str) -> None:
    for fw in (minigrad, torch):
        x = _tensors(fw, [np.array([0.5, -1.2, 2.0])], device, True)[0]
        assert fw.autograd.gradgradcheck(_square(fw).apply, (x,))
        square = _square(fw, detached=True)
        assert fw.autograd.gradcheck(square.apply, (x,))  # the first derivative is right
        assert fw.autograd.gradgradcheck(square.apply, (x,), raise_exception=False) is False
        with pytest.raises(TorchGradcheckError if fw is torch else minigrad.autograd.GradcheckError):
            fw.autograd.gradgradcheck(square.apply, (x,))


def test_gradcheck_returns_false_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from minigrad.ops.pointwise import Mul

    monkeypatch.setattr(Mul, "backward", staticmethod(lambda ctx, grad: (grad, grad)))
    a = minigrad.tensor([[1.0, 2.0]], dtype=minigrad.float64, requires_grad=True)
    assert minigrad.autograd.gradcheck(lambda x: x * x, a, raise_exception=False) is False
