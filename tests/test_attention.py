"""F.scaled_dot_product_attention, nn.MultiheadAttention (F.multi_head_attention_forward) and torch.func.functional_call
against PyTorch.

Each case runs the same program on both frameworks (torch's tensors on ``device``, minigrad's on the CPU) from the
same random arrays and compares the outputs, the attention weights, the node names, and the gradients of every input
and parameter under a random cotangent. MultiheadAttention's initial parameters are compared bit for bit under one
seed (names, shapes and order too) before anything else.

Tolerances. float64: 1e-12. float32: rtol 1e-6 and an absolute 8 units in the last place of the tensor's largest
element. PyTorch's CPU ``scaled_dot_product_attention`` (and MultiheadAttention with ``need_weights=False``) runs a
fused flash-attention kernel that blocks its sums differently from the composed math; the composed math is also
compared with PyTorch's own math path (``sdpa_kernel(SDPBackend.MATH)``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_same_error, numpy_of
from torch.nn.attention import SDPBackend, sdpa_kernel

import minigrad

EPS32 = 2.0**-23


def assert_matches(actual: Any, expected: Any, what: str) -> None:
    """Same shape and dtype; values to the module docstring's tolerance."""
    a, e = numpy_of(actual), numpy_of(expected)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != {e.dtype}"
    scale = float(np.abs(e).max()) if e.size else 0.0
    if a.dtype == np.float64:
        np.testing.assert_allclose(a, e, rtol=1e-12, atol=1e-12 * max(scale, 1.0), err_msg=what)
    else:
        np.testing.assert_allclose(a, e, rtol=1e-6, atol=8 * EPS32 * max(scale, 1.0), err_msg=what)


def _on(fw: Any, device: str) -> str:
    return device if fw is torch else "cpu"


def _leaf(fw: Any, array: np.ndarray, device: str, grad: bool = True) -> Any:
    return fw.tensor(array, device=_on(fw, device), requires_grad=grad and array.dtype.kind == "f")


def _run_both(program: Callable[[Any, str], tuple[list[Any], list[Any]]], device: str,
              torch_context: Callable[[], Any] = nullcontext,
              compare: Callable[[Any, Any, str], None] = assert_matches) -> None:
    """``program(fw, device)`` returns (outputs, leaves); each output gets a random cotangent, and the outputs, their
    node names and the leaves' gradients must agree (by ``compare``)."""
    results = []
    for fw in (minigrad, torch):
        with torch_context() if fw is torch else nullcontext():
            outputs, leaves = program(fw, device)
            rng = np.random.default_rng(11)
            differentiable = [o for o in outputs if o is not None and o.requires_grad]
            cotangents = [fw.tensor(rng.standard_normal(tuple(o.shape)).astype(numpy_of(o).dtype),
                                    device=_on(fw, device)) for o in differentiable]
            if differentiable:
                fw.autograd.backward(differentiable, cotangents)
        results.append((outputs, leaves))
    (ours, our_leaves), (theirs, their_leaves) = results
    assert len(ours) == len(theirs)
    for k, (a, e) in enumerate(zip(ours, theirs)):
        assert (a is None) == (e is None), f"output {k}"
        if a is not None:
            compare(a, e, f"output {k}")
    for k, (a, e) in enumerate(zip(our_leaves, their_leaves)):
        assert (a.grad is None) == (e.grad is None), f"grad of leaf {k}: {a.grad} vs {e.grad}"
        if a.grad is not None:
            compare(a.grad, e.grad, f"grad of leaf {k}")


# ----- scaled_dot_product_attention ----------------------------------------------------------------------------------
def _bool_mask(shape: tuple[int, ...], seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).random(shape) > 0.4


# name: (query, key, value shapes; keyword arguments built from (fw, device, dtype))
SDPA_CASES: dict[str, tuple[tuple[tuple[int, ...], ...], Callable[[Any, str, str], dict[str, Any]]]] = {
    "4d": (((2, 3, 5, 4), (2, 3, 6, 4), (2, 3, 6, 7)), lambda fw, dev, dt: {}),
    "3d": (((3, 5, 4), (3, 6, 4), (3, 6, 4)), lambda fw, dev, dt: {}),
    "2d": (((5, 4), (6, 4), (6, 3)), lambda fw, dev, dt: {}),
    "bool-mask": (((2, 3, 5, 4), (2, 3, 6, 4), (2, 3, 6, 4)),
                  lambda fw, dev, dt: {"attn_mask": fw.tensor(_bool_mask((5, 6)), device=dev)}),
    "float-mask": (((2, 3, 5, 4), (2, 3, 6, 4), (2, 3, 6, 4)), lambda fw, dev, dt: {"attn_mask": fw.tensor(
        np.random.default_rng(4).standard_normal((2, 1, 5, 6)).astype(dt), device=dev)}),
    "float32-mask": (((2, 5, 4), (2, 6, 4), (2, 6, 4)), lambda fw, dev, dt: {"attn_mask": fw.tensor(
        np.random.default_rng(4).standard_normal((5, 6)).astype("float32"), device=dev)}),
    "masked-row": (((1, 2, 3, 4), (1, 2, 3, 4), (1, 2, 3, 4)), lambda fw, dev, dt: {"attn_mask": fw.tensor(
        [[True, True, False], [False, False, False], [True, False, True]], device=dev)}),
    "causal": (((2, 3, 5, 4), (2, 3, 6, 4), (2, 3, 6, 4)), lambda fw, dev, dt: {"is_causal": True}),
    "causal-long-query": (((2, 6, 4), (2, 4, 4), (2, 4, 4)), lambda fw, dev, dt: {"is_causal": True}),
    "scale": (((2, 3, 5, 4), (2, 3, 6, 4), (2, 3, 6, 4)), lambda fw, dev, dt: {"scale": 0.3}),
    "negative-scale": (((2, 3, 5, 4), (2, 3, 6, 4), (2, 3, 6, 4)), lambda fw, dev, dt: {"scale": -0.7}),
    "gqa": (((2, 6, 5, 4), (2, 2, 6, 4), (2, 3, 6, 4)), lambda fw, dev, dt: {"enable_gqa": True}),
    "broadcast-heads": (((2, 3, 5, 4), (2, 1, 6, 4), (2, 1, 6, 4)), lambda fw, dev, dt: {}),
}


def _sdpa_program(case: str, dtype: str) -> Callable[[Any, str], tuple[list[Any], list[Any]]]:
    shapes, options = SDPA_CASES[case]

    def program(fw: Any, device: str) -> tuple[list[Any], list[Any]]:
        rng = np.random.default_rng(5)
        q, k, v = (_leaf(fw, rng.standard_normal(s).astype(dtype), device) for s in shapes)
        out = fw.nn.functional.scaled_dot_product_attention(q, k, v, **options(fw, _on(fw, device), dtype))
        return [out], [q, k, v]
    return program


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(SDPA_CASES))
def test_sdpa_matches_torch(case: str, dtype: str, device: str) -> None:
    _run_both(_sdpa_program(case, dtype), device)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(SDPA_CASES))
def test_sdpa_matches_torch_math_path(case: str, dtype: str, device: str) -> None:
    _run_both(_sdpa_program(case, dtype), device, lambda: sdpa_kernel(SDPBackend.MATH))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sdpa_dropout_draws_torch_mask(dtype: str, device: str) -> None:
    """With dropout PyTorch runs its math path on the CPU: the same draws under one seed, so the same output."""
    if device == "cuda":
        pytest.skip("CUDA draws its dropout masks from another generator")

    def program(fw: Any, dev: str) -> tuple[list[Any], list[Any]]:
        rng = np.random.default_rng(6)
        q, k, v = (_leaf(fw, rng.standard_normal((2, 2, 4, 3)).astype(dtype), dev) for _ in range(3))
        fw.manual_seed(3)
        out = fw.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=0.4)
        return [out], [q, k, v]
    _run_both(program, device)


def test_sdpa_errors(device: str) -> None:
    q = np.zeros((2, 3, 5, 4), "float32")

    def sdpa(*arrays: Any, **options: Any) -> Callable[[Any], Any]:
        def call(fw: Any) -> Any:
            dev = _on(fw, device)
            with sdpa_kernel(SDPBackend.MATH) if fw is torch else nullcontext():
                tensors = [fw.tensor(a, device=dev) for a in arrays]
                extra = {k: fw.tensor(v, device=dev) if isinstance(v, np.ndarray) else v for k, v in options.items()}
                return fw.nn.functional.scaled_dot_product_attention(*tensors, **extra)
        return call
    assert_same_error(sdpa(q, q, q.astype("float64")))
    assert_same_error(sdpa(q[0, 0, 0], q[0, 0, 0], q[0, 0, 0]))
    assert_same_error(sdpa(q, q, q, attn_mask=np.ones((5, 5), "int64")))
    assert_same_error(sdpa(q, q, q, attn_mask=np.ones((5, 5), bool), is_causal=True))
    assert_same_error(sdpa(q, q[:, :2], q[:, :2], enable_gqa=True))
    assert_same_error(sdpa(q, q[..., :3], q))


# ----- MultiheadAttention --------------------------------------------------------------------------------------------
def module_pair(*args: Any, dtype: str, device: str, **kwargs: Any) -> tuple[Any, Any]:
    """The module built by each library under one seed: parameters equal bit for bit (names, shapes, order)."""
    minigrad.manual_seed(0)
    torch.manual_seed(0)
    ours, theirs = minigrad.nn.MultiheadAttention(*args, **kwargs), torch.nn.MultiheadAttention(*args, **kwargs)
    named_ours, named_theirs = list(ours.named_parameters()), list(theirs.named_parameters())
    assert [(n, tuple(p.shape)) for n, p in named_ours] == [(n, tuple(p.shape)) for n, p in named_theirs]
    for (name, p), (_, q) in zip(named_ours, named_theirs):
        np.testing.assert_array_equal(numpy_of(p), numpy_of(q), err_msg=f"initial {name}")
    if dtype == "float64":
        ours.double()
        theirs.double()
    return ours, theirs.to(device)


# name: (constructor kwargs, inputs ("self", "kv", "separate"), batched, forward kwargs from (fw, dev, dtype, N, L, S))
E, HEADS, N, L, S = 8, 2, 3, 4, 5
MHA_CASES: dict[str, tuple[dict[str, Any], str, bool, Callable[..., dict[str, Any]]]] = {
    "self": ({}, "self", True, lambda fw, dev, dt: {}),
    "cross": ({}, "separate", True, lambda fw, dev, dt: {}),
    "encoder-decoder": ({}, "kv", True, lambda fw, dev, dt: {}),
    "batch-first-self": ({"batch_first": True}, "self", True, lambda fw, dev, dt: {}),
    "batch-first-cross": ({"batch_first": True}, "separate", True, lambda fw, dev, dt: {}),
    "unbatched": ({}, "separate", False, lambda fw, dev, dt: {}),
    "unbatched-kpm": ({}, "separate", False, lambda fw, dev, dt: {"key_padding_mask": fw.tensor(
        [False, True, False, False, True], device=dev)}),
    "per-head-weights": ({}, "separate", True, lambda fw, dev, dt: {"average_attn_weights": False}),
    "no-weights": ({}, "separate", True, lambda fw, dev, dt: {"need_weights": False}),
    "bool-attn-mask": ({}, "separate", True, lambda fw, dev, dt: {"attn_mask": fw.tensor(
        _bool_mask((L, S)) & ~np.eye(L, S, dtype=bool), device=dev)}),
    "float-attn-mask-3d": ({}, "separate", True, lambda fw, dev, dt: {"attn_mask": fw.tensor(
        np.random.default_rng(8).standard_normal((N * HEADS, L, S)).astype(dt), device=dev)}),
    "key-padding-mask": ({}, "separate", True, lambda fw, dev, dt: {"key_padding_mask": fw.tensor(
        np.array([[False] * 4 + [True], [True, False, False, True, False], [False] * 5]), device=dev)}),
    "float-key-padding-mask": ({}, "separate", True, lambda fw, dev, dt: {"key_padding_mask": fw.tensor(
        np.random.default_rng(9).standard_normal((N, S)).astype(dt), device=dev)}),
    "both-masks": ({}, "separate", True, lambda fw, dev, dt: {
        "attn_mask": fw.tensor(_bool_mask((L, S)) & ~np.eye(L, S, dtype=bool), device=dev),
        "key_padding_mask": fw.tensor(np.array([[False] * 4 + [True]] * N), device=dev)}),
    "both-masks-no-weights": ({}, "separate", True, lambda fw, dev, dt: {
        "attn_mask": fw.tensor(_bool_mask((L, S)) & ~np.eye(L, S, dtype=bool), device=dev),
        "key_padding_mask": fw.tensor(np.array([[False] * 4 + [True]] * N), device=dev), "need_weights": False}),
    "causal-self": ({}, "self", True, lambda fw, dev, dt: {
        "attn_mask": fw.tensor(~np.tril(np.ones((L, L), bool)), device=dev), "is_causal": True}),
    "causal-no-weights": ({}, "self", True, lambda fw, dev, dt: {
        "attn_mask": fw.tensor(~np.tril(np.ones((L, L), bool)), device=dev), "is_causal": True,
        "need_weights": False}),
    "kdim-vdim": ({"kdim": 3, "vdim": 5}, "separate", True, lambda fw, dev, dt: {}),
    "no-bias": ({"bias": False}, "separate", True, lambda fw, dev, dt: {}),
    "bias-kv-zero-attn": ({"add_bias_kv": True, "add_zero_attn": True}, "separate", True, lambda fw, dev, dt: {
        "key_padding_mask": fw.tensor(np.array([[False] * 4 + [True]] * N), device=dev),
        "attn_mask": fw.tensor(_bool_mask((L, S)) & ~np.eye(L, S, dtype=bool), device=dev)}),
    "one-head": ({"num_heads": 1}, "separate", True, lambda fw, dev, dt: {}),
}


def _mha_inputs(kind: str, batched: bool, batch_first: bool, kdim: int, vdim: int, dtype: str) -> list[np.ndarray]:
    rng = np.random.default_rng(10)

    def shaped(length: int, size: int) -> np.ndarray:
        shape = (length, size) if not batched else (N, length, size) if batch_first else (length, N, size)
        return rng.standard_normal(shape).astype(dtype)
    if kind == "self":
        return [shaped(L, E)]
    if kind == "kv":
        return [shaped(L, E), shaped(S, kdim)]
    return [shaped(L, E), shaped(S, kdim), shaped(S, vdim)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(MHA_CASES))
def test_multihead_attention_matches_torch(case: str, dtype: str, device: str) -> None:
    options, kind, batched, forward_options = MHA_CASES[case]
    options = {"embed_dim": E, "num_heads": HEADS, **options}
    modules = dict(zip((minigrad, torch), module_pair(dtype=dtype, device=device, **options)))
    arrays = _mha_inputs(kind, batched, options.get("batch_first", False), options.get("kdim", E),
                         options.get("vdim", E), dtype)

    def program(fw: Any, dev: str) -> tuple[list[Any], list[Any]]:
        inputs = [_leaf(fw, a, dev) for a in arrays]
        q, k, v = inputs * 3 if kind == "self" else (inputs[0], inputs[1], inputs[1]) if kind == "kv" else inputs
        out, weights = modules[fw](q, k, v, **forward_options(fw, _on(fw, dev), dtype))
        return [out, weights], inputs + list(modules[fw].parameters())
    _run_both(program, device)


@pytest.mark.parametrize("case", ["self", "unbatched", "batch-first-self", "both-masks", "bias-kv-zero-attn",
                                  "per-head-weights", "no-weights"])
def test_multihead_attention_node_names(case: str) -> None:
    options, kind, batched, forward_options = MHA_CASES[case]
    options = {"embed_dim": E, "num_heads": HEADS, **options}
    modules = dict(zip((minigrad, torch), module_pair(dtype="float32", device="cpu", **options)))
    arrays = _mha_inputs(kind, batched, options.get("batch_first", False), E, E, "float32")
    names = []
    for fw in (minigrad, torch):
        inputs = [_leaf(fw, a, "cpu") for a in arrays]
        q, k, v = inputs * 3 if kind == "self" else inputs
        out, weights = modules[fw](q, k, v, **forward_options(fw, "cpu", "float32"))
        names.append((out.grad_fn.name(), None if weights is None else weights.grad_fn.name()))
    assert names[0] == names[1]


def test_multihead_attention_dropout_draws_torch_masks() -> None:
    """Training with dropout: the weights' dropout draws PyTorch's masks under one seed."""
    modules = dict(zip((minigrad, torch), module_pair(E, HEADS, dropout=0.3, dtype="float64", device="cpu")))
    arrays = _mha_inputs("separate", True, False, E, E, "float64")

    def program(fw: Any, dev: str) -> tuple[list[Any], list[Any]]:
        inputs = [_leaf(fw, a, dev) for a in arrays]
        fw.manual_seed(5)
        return list(modules[fw](*inputs)), inputs + list(modules[fw].parameters())
    _run_both(program, "cpu")


def test_multihead_attention_eval_fast_path() -> None:
    """Eval mode under no_grad, batch-first self-attention: PyTorch's fused fast path; the same values to rounding."""
    modules = dict(zip((minigrad, torch), module_pair(E, HEADS, batch_first=True, dropout=0.5, dtype="float32",
                                                      device="cpu")))
    x = _mha_inputs("self", True, True, E, E, "float32")[0]
    mask = np.array([[False] * 3 + [True]] * N)
    results = []
    for fw in (minigrad, torch):
        modules[fw].eval()
        with fw.no_grad():
            t = fw.tensor(x)
            results.append(modules[fw](t, t, t, key_padding_mask=fw.tensor(mask)))
    for a, e in zip(*results):
        assert_matches(a, e, "eval output")


def test_multihead_attention_repr_and_state_dict() -> None:
    for options in ({}, {"kdim": 3, "vdim": 5, "add_bias_kv": True, "bias": False}):
        ours, theirs = module_pair(E, HEADS, dtype="float32", device="cpu", **options)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert (ours.bias_k is None) == (theirs.bias_k is None)


def test_multihead_attention_mismatched_mask_types_warn() -> None:
    messages = []
    arrays = _mha_inputs("self", True, False, E, E, "float32")
    for fw, module in zip((minigrad, torch), module_pair(E, HEADS, dtype="float32", device="cpu")):
        x = fw.tensor(arrays[0])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module(x, x, x, attn_mask=fw.zeros(L, L), key_padding_mask=fw.zeros(N, L, dtype=fw.bool))
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and messages[0]


def test_multihead_attention_errors() -> None:
    def build(*args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        return lambda fw: fw.nn.MultiheadAttention(*args, **kwargs)
    assert_same_error(build(8, 3))
    assert_same_error(build(0, 2))

    def call(shapes: list[tuple[int, ...]], **options: Any) -> Callable[[Any], Any]:
        def run(fw: Any) -> Any:
            fw.manual_seed(0)
            module = fw.nn.MultiheadAttention(E, HEADS)
            extra = {k: fw.tensor(v) for k, v in options.items()}
            return module(*(fw.zeros(*s) for s in shapes), **extra)
        return run
    assert_same_error(call([(L, N, E), (S, E), (S, E)]))
    assert_same_error(call([(L, E), (S, N, E), (S, N, E)]))
    assert_same_error(call([(N, L, N, E)] * 3))
    assert_same_error(call([(L, N, 6)] * 3))
    assert_same_error(call([(L, N, E), (S, N, E), (S + 1, N, E)]))
    assert_same_error(call([(L, N, E), (S, N, E), (S, N, E)], attn_mask=np.zeros((L, L), bool)))
    assert_same_error(call([(L, N, E), (S, N, E), (S, N, E)], attn_mask=np.zeros((N, L, S), bool)))
    assert_same_error(call([(L, N, E), (S, N, E), (S, N, E)], attn_mask=np.zeros((L, S), "int64")))
    assert_same_error(call([(L, N, E), (S, N, E), (S, N, E)], key_padding_mask=np.zeros((N, S + 1), bool)))
    assert_same_error(call([(L, N, E), (S, N, E), (S, N, E)], key_padding_mask=np.zeros((N + 1, S), bool)))
    assert_same_error(call([(L, E), (S, E), (S, E)], attn_mask=np.zeros((1, L, S), bool)))
    assert_same_error(lambda fw: fw.nn.MultiheadAttention(E, HEADS)(*[fw.zeros(L, N, E)] * 3, is_causal=True))


def test_functional_multi_head_attention_forward_static_kv(device: str) -> None:
    """``F.multi_head_attention_forward`` called directly: separate projection weights and static keys/values."""
    rng = np.random.default_rng(12)
    arrays = [rng.standard_normal(s) for s in ((L, N, E), (S, N, E), (S, N, E), (E, E), (E, E), (E, E), (3 * E,),
                                               (E, E), (E,), (N * HEADS, S + 1, E // HEADS), (N * HEADS, S + 1, 4))]

    def program(fw: Any, dev: str) -> tuple[list[Any], list[Any]]:
        t = [_leaf(fw, a, dev) for a in arrays]
        out = fw.nn.functional.multi_head_attention_forward(
            t[0], t[1], t[2], E, HEADS, None, t[6], None, None, False, 0.0, t[7], t[8], training=False,
            use_separate_proj_weight=True, q_proj_weight=t[3], k_proj_weight=t[4], v_proj_weight=t[5],
            static_k=t[9], static_v=t[10])
        return list(out), t
    _run_both(program, device)


# ----- torch.func.functional_call ------------------------------------------------------------------------------------
class _Tied:
    """A module whose output layer shares its weight with its input layer (tied weights), and a buffer."""

    @staticmethod
    def build(fw: Any) -> Any:
        class Net(fw.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.inner = fw.nn.Linear(3, 3)
                self.outer = fw.nn.Linear(3, 3, bias=False)
                self.outer.weight = self.inner.weight
                self.register_buffer("shift", fw.ones(3))

            def forward(self, x: Any, scale: float = 1.0) -> Any:
                return self.outer(self.inner(x) + self.shift) * scale
        fw.manual_seed(0)
        return Net()


@pytest.mark.parametrize("tie_weights", [True, False])
def test_functional_call_matches_torch(tie_weights: bool, device: str) -> None:
    rng = np.random.default_rng(13)
    arrays = {"inner.weight": rng.standard_normal((3, 3)), "inner.bias": rng.standard_normal(3),
              "shift": rng.standard_normal(3)}
    x = rng.standard_normal((2, 3))

    def program(fw: Any, dev: str) -> tuple[list[Any], list[Any]]:
        module = _Tied.build(fw).double().to(_on(fw, dev))
        given = {name: _leaf(fw, a, dev) for name, a in arrays.items()}
        out = fw.func.functional_call(module, (given,), _leaf(fw, x, dev, grad=False), {"scale": 2.0},
                                      tie_weights=tie_weights)
        restored = module(_leaf(fw, x, dev, grad=False))  # the module's own parameters again
        return [out, restored], list(given.values()) + list(module.parameters())
    _run_both(program, device)


def test_functional_call_with_grad_transform() -> None:
    """d loss / d θ through ``grad(lambda θ: loss(functional_call(model, θ, x)))``, as torch.func does."""
    results = []
    for fw in (minigrad, torch):
        fw.manual_seed(0)
        model = fw.nn.Sequential(fw.nn.Linear(3, 4), fw.nn.Tanh(), fw.nn.Linear(4, 1)).double()
        params = {k: v.detach() for k, v in model.named_parameters()}
        x = fw.tensor(np.random.default_rng(14).standard_normal((5, 3)))
        def loss(p: dict[str, Any], fw: Any = fw, model: Any = model, x: Any = x) -> Any:
            return fw.func.functional_call(model, p, (x,)).pow(2).sum()
        grads = fw.func.grad(loss)(params)
        results.append(grads)
        assert all(p.grad is None for p in model.parameters())
    assert list(results[0]) == list(results[1])
    for name in results[1]:
        assert_matches(results[0][name], results[1][name], name)


def test_functional_call_errors() -> None:
    def call(dicts: Any, **options: Any) -> Callable[[Any], Any]:
        def run(fw: Any) -> Any:
            module = _Tied.build(fw)
            given = [{k: fw.zeros(3, 3) if "weight" in k else fw.zeros(3) for k in d} for d in dicts] \
                if isinstance(dicts, list) else dicts
            return fw.func.functional_call(module, given, fw.zeros(1, 3), **options)
        return run
    assert_same_error(call([{"inner.bias": 0}, {"inner.bias": 0}]))
    assert_same_error(call(("inner.bias",)))
    assert_same_error(call(3))
    assert_same_error(call([{"inner.weight": 0, "extra": 0}], strict=True))
    tied = lambda fw: fw.func.functional_call(  # noqa: E731
        _Tied.build(fw), {"inner.weight": fw.zeros(3, 3), "outer.weight": fw.ones(3, 3)}, fw.zeros(1, 3))
    assert_same_error(tied)
