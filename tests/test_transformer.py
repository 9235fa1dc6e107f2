"""nn.TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder and Transformer against
PyTorch.

Every module is built by both libraries under one seed, and its parameters are compared bit for bit (names, shapes,
order) with its repr and state_dict keys, before anything runs. Each case then runs the same program on both (torch's
side on ``device``) and compares the output and the gradients of the input, the memory and every parameter under a
random cotangent, in float32 and float64, in train mode (dropout 0) and in eval mode.

Tolerances: float64 1e-12 (test_attention's); float32 rtol 1e-6 and an absolute 64 units in the last place of the
tensor's largest element. PyTorch's CPU attention without dropout is a fused flash-attention kernel, equal to the
composed math to float rounding, and a stack (up to two encoder and two decoder layers, seven LayerNorms deep)
compounds that rounding in its gradients: the largest difference measured was 28 such units (the pre-norm Transformer
with every mask), against test_attention's 8 for one attention.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_same_error, numpy_of
from test_attention import _leaf, _on, _run_both, assert_matches

import minigrad

EPS32 = 2.0**-23
D, HEADS, FF, N, S, T = 8, 2, 12, 3, 5, 4


def assert_stack_matches(actual: Any, expected: Any, what: str) -> None:
    """Same shape and dtype; values to the module docstring's tolerance."""
    a, e = numpy_of(actual), numpy_of(expected)
    if a.dtype != np.float32:
        assert_matches(actual, expected, what)
        return
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    scale = float(np.abs(e).max()) if e.size else 0.0
    np.testing.assert_allclose(a, e, rtol=1e-6, atol=64 * EPS32 * max(scale, 1.0), err_msg=what)


def _activation(fw: Any, name: str) -> Any:
    return {"relu": "relu", "gelu": "gelu", "F.gelu": fw.nn.functional.gelu, "GELU()": fw.nn.GELU(),
            "tanh": fw.tanh}[name]


def build_pair(kind: str, *, dtype: str = "float32", device: str = "cpu", num_layers: int = 2,
               activation: str = "relu", **options: Any) -> tuple[Any, Any]:
    """The module ``kind`` built by each library under one seed: parameters equal bit for bit, repr and state_dict
    keys equal. Encoder and decoder stacks get ``num_layers`` copies of a layer and a final LayerNorm."""
    built = []
    for fw in (minigrad, torch):
        fw.manual_seed(0)
        nn = fw.nn
        layer_options = {"dim_feedforward": FF, "activation": _activation(fw, activation), **options}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # enable_nested_tensor's (compared in its own test)
            if kind == "Transformer":
                module = nn.Transformer(D, HEADS, num_layers, num_layers, **layer_options)
            elif kind in ("TransformerEncoder", "TransformerDecoder"):
                layer = getattr(nn, kind + "Layer")(D, HEADS, **layer_options)
                module = getattr(nn, kind)(layer, num_layers, nn.LayerNorm(D))
            else:
                module = getattr(nn, kind)(D, HEADS, **layer_options)
        built.append(module)
    ours, theirs = built
    named_ours, named_theirs = list(ours.named_parameters()), list(theirs.named_parameters())
    assert [(n, tuple(p.shape)) for n, p in named_ours] == [(n, tuple(p.shape)) for n, p in named_theirs]
    for (name, p), (_, q) in zip(named_ours, named_theirs):
        np.testing.assert_array_equal(numpy_of(p), numpy_of(q), err_msg=f"initial {name}")
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    if dtype == "float64":
        ours.double()
        theirs.double()
    return ours, theirs.to(device)


def _causal(length: int) -> np.ndarray:
    return ~np.tril(np.ones((length, length), bool))


def _padding(length: int) -> np.ndarray:
    return np.array([[False] * (length - 1) + [True], [False] * length, [False] * (length - 2) + [True] * 2])


def _float_mask(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    return np.random.default_rng(8).standard_normal(shape).astype(dtype)


# name: (module kind, constructor options, batched, forward keyword arrays from dtype)
Masks = Callable[[str], dict[str, Any]]
CASES: dict[str, tuple[str, dict[str, Any], bool, Masks]] = {
    "encoder-layer": ("TransformerEncoderLayer", {}, True, lambda dt: {}),
    "encoder-layer-norm-first": ("TransformerEncoderLayer", {"norm_first": True}, True, lambda dt: {}),
    "encoder-layer-gelu": ("TransformerEncoderLayer", {"activation": "gelu"}, True, lambda dt: {}),
    "encoder-layer-gelu-module": ("TransformerEncoderLayer", {"activation": "GELU()"}, True, lambda dt: {}),
    "encoder-layer-callable": ("TransformerEncoderLayer", {"activation": "tanh"}, True, lambda dt: {}),
    "encoder-layer-batch-first": ("TransformerEncoderLayer", {"batch_first": True}, True, lambda dt: {}),
    "encoder-layer-no-bias": ("TransformerEncoderLayer", {"bias": False, "layer_norm_eps": 1e-3}, True,
                              lambda dt: {}),
    "encoder-layer-unbatched": ("TransformerEncoderLayer", {}, False, lambda dt: {}),
    "encoder-layer-bool-mask": ("TransformerEncoderLayer", {}, True, lambda dt: {"src_mask": _causal(S)}),
    "encoder-layer-float-mask": ("TransformerEncoderLayer", {}, True, lambda dt: {
        "src_mask": _float_mask((S, S), dt)}),
    "encoder-layer-padding": ("TransformerEncoderLayer", {}, True, lambda dt: {
        "src_key_padding_mask": _padding(S)}),
    "encoder-layer-causal": ("TransformerEncoderLayer", {"norm_first": True}, True, lambda dt: {
        "src_mask": _causal(S), "is_causal": True}),
    "encoder": ("TransformerEncoder", {}, True, lambda dt: {}),
    "encoder-masks": ("TransformerEncoder", {"batch_first": True}, True, lambda dt: {
        "mask": _causal(S), "src_key_padding_mask": _padding(S)}),
    "encoder-causal-detected": ("TransformerEncoder", {"norm_first": True}, True, lambda dt: {
        "mask": np.triu(np.full((S, S), -np.inf, dt), 1)}),
    "decoder-layer": ("TransformerDecoderLayer", {}, True, lambda dt: {}),
    "decoder-layer-masks": ("TransformerDecoderLayer", {"norm_first": True}, True, lambda dt: {
        "tgt_mask": _causal(T), "tgt_is_causal": True, "memory_mask": _float_mask((T, S), dt),
        "tgt_key_padding_mask": _padding(T), "memory_key_padding_mask": np.where(_padding(S), -np.inf, 0).astype(dt)}),
    "decoder-layer-unbatched": ("TransformerDecoderLayer", {"activation": "gelu"}, False, lambda dt: {}),
    "decoder": ("TransformerDecoder", {"batch_first": True}, True, lambda dt: {"tgt_mask": _causal(T)}),
    "transformer": ("Transformer", {}, True, lambda dt: {
        "tgt_mask": np.triu(np.full((T, T), -np.inf, dt), 1)}),
    "transformer-all-masks": ("Transformer", {"batch_first": True, "norm_first": True}, True, lambda dt: {
        "src_mask": _float_mask((S, S), dt), "src_key_padding_mask": np.where(_padding(S), -np.inf, 0).astype(dt),
        "tgt_mask": _causal(T),
        "tgt_key_padding_mask": _padding(T), "memory_key_padding_mask": _padding(S), "tgt_is_causal": True}),
    "transformer-unbatched": ("Transformer", {"activation": "gelu"}, False, lambda dt: {}),
}


def _inputs(kind: str, batched: bool, batch_first: bool, dtype: str) -> list[np.ndarray]:
    """src (and memory or tgt) arrays for ``kind``: (L, N, D), (N, L, D) with batch_first, or (L, D)."""
    rng = np.random.default_rng(10)

    def shaped(length: int) -> np.ndarray:
        shape = (length, D) if not batched else (N, length, D) if batch_first else (length, N, D)
        return rng.standard_normal(shape).astype(dtype)
    if kind.startswith("TransformerEncoder"):
        return [shaped(S)]
    if kind.startswith("TransformerDecoder"):
        return [shaped(T), shaped(S)]
    return [shaped(S), shaped(T)]


def _case_program(case: str, dtype: str, device: str, train: bool) -> Callable[[Any, str], tuple[list, list]]:
    kind, options, batched, masks = CASES[case]
    options = dict(options)
    activation = options.pop("activation", "relu")
    modules = dict(zip((minigrad, torch), build_pair(kind, dtype=dtype, device=device, dropout=0.0,
                                                     activation=activation, **options)))
    arrays = _inputs(kind, batched, options.get("batch_first", False), dtype)

    def program(fw: Any, dev: str) -> tuple[list[Any], list[Any]]:
        module = modules[fw].train(train)
        inputs = [_leaf(fw, a, dev) for a in arrays]
        extra = {k: fw.tensor(v, device=_on(fw, dev)) if isinstance(v, np.ndarray) else v
                 for k, v in masks(dtype).items()}
        return [module(*inputs, **extra)], inputs + list(module.parameters())
    return program


@pytest.mark.parametrize("train", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_transformer_matches_torch(case: str, dtype: str, train: bool, device: str) -> None:
    """Values and every gradient. In eval mode with gradients on, PyTorch takes its composed path too."""
    _run_both(_case_program(case, dtype, device, train), device, compare=assert_stack_matches)


@pytest.mark.parametrize("case", ["encoder-layer-batch-first", "encoder-masks", "encoder-layer-gelu"])
def test_eval_fast_path_under_no_grad(case: str, device: str) -> None:
    """Eval mode under no_grad: PyTorch's fused layer (and, with a padding mask, nested tensors, which leave 0 at
    the padded positions before the final norm); the same values to float rounding."""
    kind, options, batched, masks = CASES[case]
    options = dict(options)
    activation = options.pop("activation", "relu")
    modules = dict(zip((minigrad, torch), build_pair(kind, device=device, activation=activation, **options)))
    arrays = _inputs(kind, batched, options.get("batch_first", False), "float32")
    forward = {k: v for k, v in masks("float32").items() if k != "mask"}  # no src mask: the nested path's condition
    results = []
    for fw in (minigrad, torch):
        modules[fw].eval()
        with fw.no_grad():
            dev = _on(fw, device)
            extra = {k: fw.tensor(v, device=dev) for k, v in forward.items()}
            results.append(modules[fw](*(fw.tensor(a, device=dev) for a in arrays), **extra))
    assert_stack_matches(results[0], results[1], "eval output")


def test_encoder_pads_with_zeros_on_pytorch_nested_path_only() -> None:
    """The nested path's zeros show only where PyTorch takes it: eval, no_grad, batch_first, a left-aligned padding
    mask, no src mask (without the final norm, so the zeros reach the output)."""
    outputs = []
    for fw in (minigrad, torch):
        fw.manual_seed(0)
        layer = fw.nn.TransformerEncoderLayer(D, HEADS, FF, batch_first=True)
        encoder = fw.nn.TransformerEncoder(layer, 2).eval()
        x = fw.tensor(_inputs("TransformerEncoder", True, True, "float32")[0])
        padding = fw.tensor(_padding(S))
        unaligned = fw.tensor(np.array([[True] + [False] * (S - 1)] * N))
        with fw.no_grad():
            runs = [encoder(x, src_key_padding_mask=padding), encoder(x, src_key_padding_mask=unaligned)]
        runs.append(encoder(x, src_key_padding_mask=padding))  # gradients on: the composed path
        outputs.append(runs)
    for k, (a, e) in enumerate(zip(*outputs)):
        assert_stack_matches(a, e, f"run {k}")
    assert numpy_of(outputs[0][0])[0, -1].tolist() == [0.0] * D
    assert numpy_of(outputs[0][2])[0, -1].any()


def test_dropout_draws_torch_masks() -> None:
    """Training with dropout > 0: the attention's and the three Dropouts' draws are PyTorch's under one seed."""
    for kind in ("TransformerEncoder", "TransformerDecoderLayer", "Transformer"):
        modules = dict(zip((minigrad, torch), build_pair(kind, dtype="float64", dropout=0.3)))
        arrays = _inputs(kind, True, False, "float64")

        def program(fw: Any, dev: str, kind: str = kind, arrays: list = arrays, modules: dict = modules) -> tuple:
            inputs = [_leaf(fw, a, dev) for a in arrays]
            fw.manual_seed(5)
            return [modules[fw](*inputs)], inputs + list(modules[fw].parameters())
        _run_both(program, "cpu", compare=assert_stack_matches)


def test_state_dict_loads_across_and_reprs() -> None:
    """A state_dict saved by PyTorch loads into minigrad's model (and back), which then computes PyTorch's output."""
    ours, theirs = build_pair("Transformer", dtype="float64", num_layers=1, dim_feedforward=6, batch_first=True)
    torch.manual_seed(3)
    for p in theirs.parameters():
        torch.nn.init.normal_(p)
    ours.load_state_dict({k: minigrad.tensor(numpy_of(v)) for k, v in theirs.state_dict().items()})
    arrays = _inputs("Transformer", True, True, "float64")
    ours.eval()
    theirs.eval()
    assert_stack_matches(ours(*(minigrad.tensor(a) for a in arrays)), theirs(*(torch.tensor(a) for a in arrays)),
                         "out")
    theirs.load_state_dict({k: torch.tensor(numpy_of(v)) for k, v in ours.state_dict().items()})
    for options in ({"norm_first": True, "bias": False, "layer_norm_eps": 1e-6}, {"activation": "GELU()"}):
        for kind in ("TransformerEncoderLayer", "TransformerDecoderLayer", "Transformer"):
            build_pair(kind, num_layers=3, **options)


def test_generate_square_subsequent_mask() -> None:
    for args, kwargs in (((4,), {}), ((3,), {"dtype": "float64"}), ((1,), {})):
        masks = [fw.nn.Transformer.generate_square_subsequent_mask(
            *args, **{k: getattr(fw, v) for k, v in kwargs.items()}) for fw in (minigrad, torch)]
        assert masks[0].dtype == getattr(minigrad, str(masks[1].dtype).split(".")[-1])
        np.testing.assert_array_equal(numpy_of(masks[0]), numpy_of(masks[1]))


def test_enable_nested_tensor_warnings() -> None:
    """TransformerEncoder warns, as PyTorch does, why it cannot use nested tensors (each reason in turn)."""
    configs: list[dict[str, Any]] = [{}, {"batch_first": True}, {"batch_first": True, "norm_first": True},
                                     {"batch_first": True, "bias": False}, {"batch_first": True, "activation": "tanh"},
                                     {"batch_first": True, "nhead": 1}]
    for config in configs:
        messages = []
        for fw in (minigrad, torch):
            options = dict(config)
            nhead = options.pop("nhead", HEADS)
            if "activation" in options:
                options["activation"] = _activation(fw, options["activation"])
            layer = fw.nn.TransformerEncoderLayer(D, nhead, FF, **options)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                encoder = fw.nn.TransformerEncoder(layer, 1)
                fw.nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
            messages.append(([str(w.message) for w in caught], encoder.use_nested_tensor))
        assert messages[0] == messages[1], config


def test_layers_are_deep_copies() -> None:
    """The stack's layers start equal and are independent parameters, as PyTorch's ``_get_clones``."""
    ours, _ = build_pair("TransformerEncoder", num_layers=2)
    first, second = ours.layers[0].linear1.weight, ours.layers[1].linear1.weight
    assert first is not second and bool((first == second).all())


def test_transformer_errors() -> None:
    assert_same_error(lambda fw: fw.nn.TransformerEncoderLayer(D, HEADS, activation="tanh"))
    assert_same_error(lambda fw: fw.nn.TransformerDecoderLayer(D, HEADS, activation="sigmoid"))
    assert_same_error(lambda fw: fw.nn.TransformerEncoderLayer(D, 3))

    def call(src: tuple[int, ...], tgt: tuple[int, ...], **options: Any) -> Callable[[Any], Any]:
        def run(fw: Any) -> Any:
            fw.manual_seed(0)
            model = fw.nn.Transformer(D, HEADS, 1, 1, FF, **options)
            return model(fw.zeros(*src), fw.zeros(*tgt))
        return run
    assert_same_error(call((S, N, D), (T, N + 1, D)))
    assert_same_error(call((N, S, D), (N + 1, T, D), batch_first=True))
    assert_same_error(call((S, N, D), (T, N, D + 1)))
    assert_same_error(call((S, N, D + 1), (T, N, D)))

    def masked(**masks: Any) -> Callable[[Any], Any]:
        def run(fw: Any) -> Any:
            fw.manual_seed(0)
            layer = fw.nn.TransformerEncoderLayer(D, HEADS, FF)
            return layer(fw.zeros(S, N, D), **{k: fw.tensor(v) for k, v in masks.items()})
        return run
    assert_same_error(masked(src_mask=np.zeros((S, S), "int64")))
    assert_same_error(masked(src_mask=np.zeros((S + 1, S), bool)))
    assert_same_error(masked(src_key_padding_mask=np.zeros((N, S + 1), bool)))


def test_mismatched_mask_types_warn_like_torch() -> None:
    messages = []
    for fw in (minigrad, torch):
        fw.manual_seed(0)
        layer = fw.nn.TransformerEncoderLayer(D, HEADS, FF, dropout=0.0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            layer(fw.zeros(S, N, D), src_mask=fw.zeros(S, S), src_key_padding_mask=fw.zeros(N, S, dtype=fw.bool))
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] and messages[0]


def _tiny_model(fw: Any, vocab: int) -> Any:
    """Embedding, a two-layer causal TransformerEncoder, and a Linear head to next-token logits."""
    nn = fw.nn

    class TinyModel(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(vocab, D)
            layer = nn.TransformerEncoderLayer(D, HEADS, FF, dropout=0.0, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, 2)
            self.head = nn.Linear(D, vocab)

        def forward(self, x: Any) -> Any:
            mask = nn.Transformer.generate_square_subsequent_mask(x.size(1))
            return self.head(self.encoder(self.embed(x), mask=mask, is_causal=True))
    return TinyModel()


def test_tiny_sequence_model_trains_like_torch() -> None:
    """Embedding + TransformerEncoder + Linear, next-token cross-entropy under a causal mask, 8 Adam steps: the loss
    at each step and the final parameters agree with PyTorch's."""
    vocab, length, batch = 11, 6, 4
    tokens = np.random.default_rng(21).integers(0, vocab, (batch, length + 1))
    runs = []
    for fw in (minigrad, torch):
        fw.manual_seed(0)
        model = _tiny_model(fw, vocab)
        optimizer = fw.optim.Adam(model.parameters(), lr=0.01)
        data = fw.tensor(tokens)
        losses = []
        for _ in range(8):
            logits = model(data[:, :-1])
            loss = fw.nn.functional.cross_entropy(logits.reshape(-1, vocab), data[:, 1:].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        runs.append((losses, [numpy_of(p) for p in model.parameters()]))
    (our_losses, our_params), (their_losses, their_params) = runs
    np.testing.assert_allclose(our_losses, their_losses, rtol=1e-5)
    assert their_losses[-1] < their_losses[0]
    for a, e in zip(our_params, their_params):
        if a.shape == (3 * D,):  # in_proj_bias: its key part has gradient 0 (softmax ignores a shift common to a
            a, e = np.delete(a, np.s_[D:2 * D]), np.delete(e, np.s_[D:2 * D])  # row), Adam steps on rounding noise
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5)
