"""nn.RNN, nn.LSTM, nn.GRU, their cells, and nn.utils.rnn against PyTorch.

For each module over its options (layers, directions, batch_first, proj_size, bias, nonlinearity, given or zero
initial states; batched, unbatched, batch of 1, non-contiguous and packed inputs): the initial parameters bit for
bit under one seed (names, shapes and order too), then the outputs, the final states, and the gradients of the
input, of the initial states and of every parameter under random cotangents on all outputs.

Tolerances. float64: 1e-10 relative (the two libraries do the same operations; only the order of the terms inside
a matrix product differs). float32: 8 units in the last place *of the tensor's largest element*: PyTorch's matrix
products (MKL sgemm) add their terms in another order than minigrad's, and its float32 tanh is MKL's, not
correctly rounded (torch-semantics.md, §0 and §3); either error is absolute, at the scale of the terms summed, so
an element of a gradient that cancels to near 0 has a small error relative to the tensor, not to itself.
"""

from __future__ import annotations

import itertools
import warnings
from contextlib import nullcontext
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_same_error, numpy_of

import minigrad
from reference.convert import from_torch_state_dict, to_torch_state_dict

EPS32 = 2.0**-23


def assert_matches(actual: Any, expected: Any, what: str) -> None:
    """minigrad's tensor equals torch's: same shape and dtype; values to the module docstring's tolerance."""
    a, e = numpy_of(actual), numpy_of(expected)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != {e.dtype}"
    if a.dtype.kind != "f":
        np.testing.assert_array_equal(a, e, err_msg=what)
        return
    scale = float(np.abs(e).max()) if e.size else 0.0
    if a.dtype == np.float64:
        np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12 * scale, err_msg=what)
    else:
        np.testing.assert_allclose(a, e, rtol=1e-6, atol=8 * EPS32 * scale, err_msg=what)


def exact_fp32(device: str) -> Any:
    """On CUDA, cuDNN's float32 recurrent kernels would use TF32 (10-bit mantissas): compare to full float32."""
    return torch.backends.cudnn.flags(enabled=True, allow_tf32=False) if device == "cuda" else nullcontext()


def module_pair(kind: str, *args: Any, dtype: str = "float64", device: str = "cpu",
                **kwargs: Any) -> tuple[minigrad.nn.Module, torch.nn.Module]:
    """The same module built by each library under one seed: its parameters bit for bit the same (checked), then
    converted to ``dtype`` and (torch's) moved to ``device``."""
    minigrad.manual_seed(7)
    torch.manual_seed(7)
    ours, theirs = getattr(minigrad.nn, kind)(*args, **kwargs), getattr(torch.nn, kind)(*args, **kwargs)
    named_ours, named_theirs = list(ours.named_parameters()), list(theirs.named_parameters())
    assert [n for n, _ in named_ours] == [n for n, _ in named_theirs]
    for (name, p), (_, q) in zip(named_ours, named_theirs):
        assert tuple(p.shape) == tuple(q.shape), name
        np.testing.assert_array_equal(numpy_of(p), numpy_of(q), err_msg=f"initial {name}")
    if dtype == "float64":
        ours.double()
        theirs.double()
    return ours, theirs.to(device)


def cotangent_loss(fw: Any, outputs: list[Any], seed: int, device: str | None) -> Any:
    """sum_i <out_i, v_i> with random v_i: backward from it sends v_i into each output."""
    rng = np.random.default_rng(seed)
    kwargs = {"device": device} if device else {}
    terms = [(o * fw.tensor(rng.standard_normal(tuple(o.shape)).astype(numpy_of(o).dtype), **kwargs)).sum()
             for o in outputs]
    return sum(terms[1:], terms[0])


def leaf(fw: Any, values: np.ndarray, device: str | None, transposed: bool = False) -> tuple[Any, Any]:
    """(leaf, input): the input is the leaf, or (``transposed``) a non-contiguous view of a leaf holding the
    values with the first two dims swapped."""
    kwargs = {"device": device} if device else {}
    if not transposed:
        t = fw.tensor(values, requires_grad=True, **kwargs)
        return t, t
    t = fw.tensor(np.ascontiguousarray(np.swapaxes(values, 0, 1)), requires_grad=True, **kwargs)
    return t, t.transpose(0, 1)


def flat_states(hidden: Any) -> list[Any]:
    """The tensors of a result (a tensor, or nested tuples of them), in order."""
    return [t for part in hidden for t in flat_states(part)] if isinstance(hidden, tuple) else [hidden]


# ----- RNN, LSTM, GRU over padded input --------------------------------------------------------------------------
KINDS = {  # name: (module, constructor keywords)
    "RNN": ("RNN", {}),
    "RNN-relu": ("RNN", {"nonlinearity": "relu"}),
    "LSTM": ("LSTM", {}),
    "LSTM-proj": ("LSTM", {"proj_size": 3}),
    "GRU": ("GRU", {}),
}
VARIANTS = ["batched", "unbatched", "batch of 1", "non-contiguous"]
MODULE_CASES = [
    (kind, layers, bidirectional, batch_first, h0, VARIANTS[i % len(VARIANTS)], i % 3 != 2)
    for i, (kind, layers, bidirectional, batch_first, h0) in enumerate(
        itertools.product(KINDS, (1, 2), (False, True), (False, True), (False, True)))
]


def _case_id(case: tuple[Any, ...]) -> str:
    kind, layers, bidirectional, batch_first, h0, variant, bias = case
    return (f"{kind}-L{layers}{'-bi' if bidirectional else ''}{'-bf' if batch_first else ''}{'-h0' if h0 else ''}"
            f"-{variant.replace(' ', '')}{'' if bias else '-nobias'}")


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", MODULE_CASES, ids=_case_id)
def test_module_matches_torch(case: tuple[Any, ...], dtype: str, device: str) -> None:
    kind, layers, bidirectional, batch_first, h0, variant, bias = case
    module, options = KINDS[kind]
    input_size, hidden_size, seq, batch = 4, 5, 4, (1 if variant == "batch of 1" else 3)
    pair = module_pair(module, input_size, hidden_size, num_layers=layers, bidirectional=bidirectional,
                       batch_first=batch_first, bias=bias, dtype=dtype, device=device, **options)
    directions = 2 if bidirectional else 1
    out_size = options.get("proj_size", hidden_size)
    rng = np.random.default_rng(len(_case_id(case)))
    unbatched = variant == "unbatched"
    shape = (seq, input_size) if unbatched else (batch, seq, input_size) if batch_first else (seq, batch, input_size)
    x = rng.standard_normal(shape).astype(dtype)
    state_batch = () if unbatched else (batch,)
    h = rng.standard_normal((layers * directions, *state_batch, out_size)).astype(dtype)
    c = rng.standard_normal((layers * directions, *state_batch, hidden_size)).astype(dtype)
    results = []
    for fw, model, dev in ((minigrad, pair[0], None), (torch, pair[1], device)):
        x_leaf, x_in = leaf(fw, x, dev, transposed=variant == "non-contiguous")
        states = [leaf(fw, v, dev)[0] for v in ((h, c) if module == "LSTM" else (h,))] if h0 else []
        with exact_fp32(device):
            output, hidden = model(x_in, (tuple(states) if module == "LSTM" else states[0]) if h0 else None)
            outputs = [output, *flat_states(hidden)]
            cotangent_loss(fw, outputs, 3, dev).backward()
        results.append((outputs, [x_leaf, *states], list(model.named_parameters())))
    (outs, leaves, params), (outs_t, leaves_t, params_t) = results
    for i, (a, e) in enumerate(zip(outs, outs_t)):
        assert_matches(a, e, f"output {i}")
    for i, (a, e) in enumerate(zip(leaves, leaves_t)):
        assert_matches(a.grad, e.grad, f"gradient of input {i}")
    for (name, p), (_, q) in zip(params, params_t):
        assert_matches(p.grad, q.grad, f"gradient of {name}")


# ----- packed sequences -----------------------------------------------------------------------------------------
PACKED_CASES = list(itertools.product(["RNN", "LSTM", "LSTM-proj", "GRU"], (1, 2), (False, True), (True, False),
                                      (False, True)))


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", PACKED_CASES,
                         ids=lambda c: f"{c[0]}-L{c[1]}{'-bi' if c[2] else ''}{'-sorted' if c[3] else ''}"
                                       f"{'-h0' if c[4] else ''}")
def test_packed_input_matches_torch(case: tuple[Any, ...], dtype: str, device: str) -> None:
    """A PackedSequence in, a PackedSequence out; h_n holds each sequence's state after its own last step, in the
    order the batch was given (unsorted when enforce_sorted=False)."""
    kind, layers, bidirectional, enforce_sorted, h0 = case
    if dtype == "float32" and (layers, bidirectional) != (2, True):
        pytest.skip("float32: the largest network of each kind suffices")
    module, options = KINDS[kind]
    batch_first = not h0  # both layouts, varied with the other options
    pair = module_pair(module, 3, 4, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first,
                       dtype=dtype, device=device, **options)
    lengths = [5, 3, 3, 1] if enforce_sorted else [3, 5, 1, 3]
    directions = 2 if bidirectional else 1
    rng = np.random.default_rng(11)
    x = rng.standard_normal((4, 5, 3) if batch_first else (5, 4, 3)).astype(dtype)
    h = rng.standard_normal((layers * directions, 4, options.get("proj_size", 4))).astype(dtype)
    c = rng.standard_normal((layers * directions, 4, 4)).astype(dtype)
    results = []
    for fw, model, dev in ((minigrad, pair[0], None), (torch, pair[1], device)):
        rnn = fw.nn.utils.rnn
        x_leaf = leaf(fw, x, dev)[0]
        states = [leaf(fw, v, dev)[0] for v in ((h, c) if module == "LSTM" else (h,))] if h0 else []
        packed = rnn.pack_padded_sequence(x_leaf, lengths if h0 else fw.tensor(lengths), batch_first=batch_first,
                                          enforce_sorted=enforce_sorted)
        with exact_fp32(device):
            output, hidden = model(packed, (tuple(states) if module == "LSTM" else states[0]) if h0 else None)
            padded, got_lengths = rnn.pad_packed_sequence(output, batch_first=batch_first, total_length=6)
            outputs = [padded, *flat_states(hidden)]
            cotangent_loss(fw, outputs, 5, dev).backward()
        assert isinstance(output, rnn.PackedSequence)
        results.append((outputs, [output.batch_sizes, got_lengths], [x_leaf, *states], list(model.parameters())))
    (outs, ints, leaves, params), (outs_t, ints_t, leaves_t, params_t) = results
    for i, (a, e) in enumerate(zip(outs + ints, outs_t + ints_t)):
        assert_matches(a, e, f"output {i}")
    for i, (a, e) in enumerate(zip(leaves + params, leaves_t + params_t)):
        assert_matches(a.grad, e.grad, f"gradient {i}")


# ----- cells ------------------------------------------------------------------------------------------------------
CELL_CASES = list(itertools.product(["RNNCell", "RNNCell-relu", "LSTMCell", "GRUCell"], (True, False),
                                    (False, True), (True, False)))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", CELL_CASES,
                         ids=lambda c: f"{c[0]}{'' if c[1] else '-unbatched'}{'-hx' if c[2] else ''}"
                                       f"{'' if c[3] else '-nobias'}")
def test_cell_matches_torch(case: tuple[Any, ...], dtype: str, device: str) -> None:
    kind, batched, given, bias = case
    module = kind.split("-")[0]
    options = {"nonlinearity": "relu"} if kind.endswith("relu") else {}
    pair = module_pair(module, 3, 4, bias=bias, dtype=dtype, device=device, **options)
    rng = np.random.default_rng(2)
    batch = (5,) if batched else ()
    x, h, c = (rng.standard_normal((*batch, n)).astype(dtype) for n in (3, 4, 4))
    results = []
    for fw, cell, dev in ((minigrad, pair[0], None), (torch, pair[1], device)):
        leaves = [leaf(fw, v, dev)[0] for v in (x, h, c)]
        hx = ((leaves[1], leaves[2]) if module == "LSTMCell" else leaves[1]) if given else None
        with exact_fp32(device):
            out = flat_states(cell(leaves[0], hx))
            cotangent_loss(fw, out, 1, dev).backward()
        results.append((out, leaves, list(cell.parameters())))
    (outs, leaves, params), (outs_t, leaves_t, params_t) = results
    for i, (a, e) in enumerate(zip(outs, outs_t)):
        assert_matches(a, e, f"output {i}")
    for i, (a, e) in enumerate(zip(leaves + params, leaves_t + params_t)):
        if e.grad is None:
            assert a.grad is None, f"gradient {i}: torch has none"
        else:
            assert_matches(a.grad, e.grad, f"gradient {i}")


# ----- dropout between layers, training and evaluation --------------------------------------------------------
@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_dropout_between_layers_draws_torchs_masks(kind: str, packed: bool, device: str) -> None:
    if device != "cpu":
        pytest.skip("the masks are the CPU generator's (CUDA draws from another generator)")
    results = []
    for fw in (minigrad, torch):
        fw.manual_seed(3)
        model = getattr(fw.nn, kind)(3, 5, num_layers=3, dropout=0.4, bidirectional=True).double()
        x = fw.tensor(np.random.default_rng(1).standard_normal((6, 4, 3)), requires_grad=True)
        seq = fw.nn.utils.rnn.pack_padded_sequence(x, [6, 4, 4, 2]) if packed else x
        first, _ = model(seq)  # a fresh mask after layers 0 and 1, on each call
        second, _ = model(seq)
        (first.data if packed else first).sum().backward()
        model.eval()
        evaluated, _ = model(seq)
        results.append([first.data if packed else first, second.data if packed else second,
                        evaluated.data if packed else evaluated, x.grad, fw.rand(3)])
    for i, (a, e) in enumerate(zip(*results)):
        assert_matches(a, e, f"value {i}")


def test_dropout_with_one_layer_warns_as_torch() -> None:
    for fw in (minigrad, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fw.nn.GRU(2, 3, dropout=0.5)
        assert [str(w.message) for w in caught] == [
            "dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers "
            "greater than 1, but got dropout=0.5 and num_layers=1"]


# ----- initialisation, state dicts, reprs ------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ("RNN", (7, 9), {"num_layers": 3, "bidirectional": True, "nonlinearity": "relu"}),
    ("LSTM", (7, 9), {"num_layers": 2, "bidirectional": True, "proj_size": 4}),
    ("LSTM", (7, 9), {"num_layers": 2, "bias": False, "proj_size": 2}),
    ("GRU", (1, 20), {"num_layers": 2, "bias": False}),
    ("RNNCell", (5, 6), {}), ("LSTMCell", (5, 6), {"bias": False}), ("GRUCell", (16, 3), {}),
], ids=lambda a: f"{a[0]}{a[1]}{a[2]}")
@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
def test_init_and_state_dict_move_between_libraries(args: tuple[Any, ...]) -> None:
    """Bit-identical initial values (module_pair checks names, shapes, order and values), and a state dict of one
    library loads into the other, computing the same outputs."""
    kind, sizes, options = args
    ours, theirs = module_pair(kind, *sizes, dtype="float32", **options)
    fresh = getattr(torch.nn, kind)(*sizes, **options)
    fresh.load_state_dict(to_torch_state_dict(ours.state_dict()))
    back = getattr(minigrad.nn, kind)(*sizes, **options)
    back.load_state_dict(from_torch_state_dict(theirs.state_dict()))
    x = np.random.default_rng(0).standard_normal((2, sizes[0])).astype("float32")
    for model in (ours, back):
        out = flat_states(model(minigrad.tensor(x)))
        for a, e in zip(out, flat_states(fresh(torch.tensor(x)))):
            assert_matches(a, e, "output after loading")
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_reprs_and_attributes_match_torch() -> None:
    for build in [
        lambda fw: fw.nn.RNN(10, 20, 2, nonlinearity="relu", bias=False, batch_first=True, dropout=0.5,
                             bidirectional=True),
        lambda fw: fw.nn.LSTM(10, 20, proj_size=5), lambda fw: fw.nn.GRU(3, 4), lambda fw: fw.nn.RNN(3, 4, dropout=0),
        lambda fw: fw.nn.RNNCell(3, 4, nonlinearity="relu", bias=False), lambda fw: fw.nn.LSTMCell(3, 4),
        lambda fw: fw.nn.GRUCell(3, 4, bias=False),
        lambda fw: fw.nn.Sequential(fw.nn.Embedding(10, 4), fw.nn.LSTM(4, 8, batch_first=True)),
    ]:
        assert repr(build(minigrad)) == repr(build(torch))
    ours, theirs = minigrad.nn.LSTM(3, 4, 2, proj_size=2), torch.nn.LSTM(3, 4, 2, proj_size=2)
    assert ours._flat_weights_names == theirs._flat_weights_names
    assert [[tuple(p.shape) for p in ws] for ws in ours.all_weights] == [
        [tuple(p.shape) for p in ws] for ws in theirs.all_weights]
    assert (ours.mode, ours.dropout, ours.proj_size) == (theirs.mode, theirs.dropout, theirs.proj_size)


# ----- errors ---------------------------------------------------------------------------------------------------------
def _randn(fw: Any, *shape: int) -> Any:
    return fw.tensor(np.ones(shape, np.float32))


ERRORS = {
    "input size": lambda fw: fw.nn.RNN(10, 20)(_randn(fw, 5, 3, 5)),
    "h0 shape": lambda fw: fw.nn.RNN(10, 20)(_randn(fw, 5, 3, 10), _randn(fw, 2, 3, 20)),
    "h0 dims batched": lambda fw: fw.nn.GRU(10, 20)(_randn(fw, 5, 3, 10), _randn(fw, 3, 20)),
    "h0 dims unbatched": lambda fw: fw.nn.RNN(10, 20)(_randn(fw, 5, 10), _randn(fw, 1, 3, 20)),
    "input dims": lambda fw: fw.nn.RNN(10, 20)(_randn(fw, 5, 10, 3, 3)),
    "input dims LSTM": lambda fw: fw.nn.LSTM(10, 20)(_randn(fw, 5, 10, 3, 3)),
    "input dims GRU": lambda fw: fw.nn.GRU(10, 20)(_randn(fw, 5, 10, 3, 3)),
    "input dtype": lambda fw: fw.nn.LSTM(10, 20)(_randn(fw, 5, 3, 10).double()),
    "empty sequence": lambda fw: fw.nn.RNN(10, 20)(_randn(fw, 0, 3, 10)),
    "c0 shape": lambda fw: fw.nn.LSTM(10, 20)(_randn(fw, 5, 3, 10), (_randn(fw, 1, 3, 20), _randn(fw, 1, 3, 21))),
    "h0 shape LSTM": lambda fw: fw.nn.LSTM(10, 20, proj_size=4)(_randn(fw, 5, 3, 10),
                                                                (_randn(fw, 1, 3, 20), _randn(fw, 1, 3, 20))),
    "hx one state": lambda fw: fw.nn.LSTM(10, 20)(_randn(fw, 5, 3, 10), (_randn(fw, 1, 3, 20),)),
    "hx dims batched": lambda fw: fw.nn.LSTM(10, 20)(_randn(fw, 5, 3, 10), (_randn(fw, 3, 20), _randn(fw, 1, 3, 20))),
    "hx dims unbatched": lambda fw: fw.nn.LSTM(10, 20)(_randn(fw, 5, 10), (_randn(fw, 1, 3, 20),
                                                                          _randn(fw, 1, 3, 20))),
    "proj_size on RNN": lambda fw: fw.nn.RNN(10, 20, proj_size=3),
    "proj_size on GRU": lambda fw: fw.nn.GRU(10, 20, proj_size=3),
    "proj_size too large": lambda fw: fw.nn.LSTM(10, 20, proj_size=20),
    "proj_size negative": lambda fw: fw.nn.LSTM(10, 20, proj_size=-1),
    "nonlinearity": lambda fw: fw.nn.RNN(10, 20, nonlinearity="sigmoid"),
    "dropout range": lambda fw: fw.nn.RNN(10, 20, dropout=1.5),
    "dropout bool": lambda fw: fw.nn.RNN(10, 20, 2, dropout=True),
    "hidden_size 0": lambda fw: fw.nn.RNN(10, 0),
    "input_size 0": lambda fw: fw.nn.LSTM(0, 3),
    "num_layers 0": lambda fw: fw.nn.GRU(2, 3, num_layers=0),
    "input_size float": lambda fw: fw.nn.RNN(2.0, 3),
    "hidden_size float": lambda fw: fw.nn.RNN(2, 3.0),
    "bias int": lambda fw: fw.nn.RNN(2, 3, bias=1),
    "batch_first int": lambda fw: fw.nn.LSTM(2, 3, batch_first=1),
    "cell input size": lambda fw: fw.nn.RNNCell(10, 20)(_randn(fw, 3, 5)),
    "cell batch": lambda fw: fw.nn.RNNCell(10, 20)(_randn(fw, 3, 10), _randn(fw, 2, 20)),
    "cell hidden size": lambda fw: fw.nn.GRUCell(10, 20)(_randn(fw, 3, 10), _randn(fw, 3, 21)),
    "cell input dims": lambda fw: fw.nn.RNNCell(10, 20)(_randn(fw, 3, 10, 1)),
    "cell input 0-d": lambda fw: fw.nn.GRUCell(10, 20)(fw.tensor(1.0)),
    "cell hidden dims": lambda fw: fw.nn.GRUCell(10, 20)(_randn(fw, 3, 10), _randn(fw, 3, 20, 1)),
    "cell nonlinearity": lambda fw: fw.nn.RNNCell(10, 20, nonlinearity="x")(_randn(fw, 3, 10)),
    "LSTMCell c batch": lambda fw: fw.nn.LSTMCell(10, 20)(_randn(fw, 3, 10), (_randn(fw, 3, 20), _randn(fw, 2, 20))),
    "LSTMCell c size": lambda fw: fw.nn.LSTMCell(10, 20)(_randn(fw, 3, 10), (_randn(fw, 3, 20), _randn(fw, 3, 21))),
    "LSTMCell hx dims": lambda fw: fw.nn.LSTMCell(10, 20)(_randn(fw, 3, 10), (_randn(fw, 3, 20, 1),
                                                                              _randn(fw, 3, 20))),
    "cell dtype": lambda fw: fw.nn.RNNCell(10, 20)(_randn(fw, 3, 10).double()),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name: str) -> None:
    assert_same_error(ERRORS[name])


# ----- nn.utils.rnn -------------------------------------------------------------------------------------------------
def _sequences(fw: Any, lengths: list[int], dtype: str = "float64") -> list[Any]:
    rng = np.random.default_rng(sum(lengths))
    return [fw.tensor(rng.standard_normal((n, 2)).astype(dtype), requires_grad=True) for n in lengths]


@pytest.mark.parametrize("padding_side", ["right", "left"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_pad_sequence_matches_torch(batch_first: bool, padding_side: str) -> None:
    results = []
    for fw in (minigrad, torch):
        seqs = _sequences(fw, [3, 5, 1])
        out = fw.nn.utils.rnn.pad_sequence(seqs, batch_first=batch_first, padding_value=-1.5,
                                           padding_side=padding_side)
        cotangent_loss(fw, [out], 0, None).backward()
        results.append([out] + [s.grad for s in seqs])
    for i, (a, e) in enumerate(zip(*results)):
        assert_matches(a, e, f"value {i}")
    ints = [fw.nn.utils.rnn.pad_sequence([fw.tensor([1, 2]), fw.tensor([3])]) for fw in (minigrad, torch)]
    assert_matches(*ints, "int64 padding")


@pytest.mark.parametrize("lengths_as", ["list", "tensor"])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("lengths", [[5, 3, 3, 1], [3, 5, 1, 3], [2, 2, 2]], ids=str)
def test_pack_and_pad_round_trip_match_torch(lengths: list[int], batch_first: bool, lengths_as: str) -> None:
    results = []
    enforce_sorted = lengths == sorted(lengths, reverse=True)
    for fw in (minigrad, torch):
        rnn = fw.nn.utils.rnn
        shape = (len(lengths), 5, 2) if batch_first else (5, len(lengths), 2)
        x = fw.tensor(np.random.default_rng(0).standard_normal(shape), requires_grad=True)
        given = lengths if lengths_as == "list" else fw.tensor(lengths)
        packed = rnn.pack_padded_sequence(x, given, batch_first=batch_first, enforce_sorted=enforce_sorted)
        padded, got = rnn.pad_packed_sequence(packed, batch_first=batch_first, padding_value=9.0, total_length=6)
        cotangent_loss(fw, [packed.data, padded], 2, None).backward()
        sequences = rnn.unpack_sequence(packed)
        unpadded = rnn.unpad_sequence(padded.clone(), got, batch_first=batch_first)  # torch transposes it in place
        results.append([packed.data, packed.batch_sizes, padded, got, x.grad, *sequences, *unpadded] +
                       [t for t in (packed.sorted_indices, packed.unsorted_indices) if t is not None])
    assert len(results[0]) == len(results[1])
    for i, (a, e) in enumerate(zip(*results)):
        assert_matches(a, e, f"value {i}")


@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_pack_sequence_matches_torch(enforce_sorted: bool) -> None:
    lengths = [5, 3, 1] if enforce_sorted else [3, 5, 1]
    results = []
    for fw in (minigrad, torch):
        seqs = _sequences(fw, lengths, "float32")
        packed = fw.nn.utils.rnn.pack_sequence(seqs, enforce_sorted=enforce_sorted)
        cotangent_loss(fw, [packed.data], 4, None).backward()
        results.append([packed.data, packed.batch_sizes, *[s.grad for s in seqs]])
        assert (packed.sorted_indices is None) == enforce_sorted
    for i, (a, e) in enumerate(zip(*results)):
        assert_matches(a, e, f"value {i}")
    for fw in (minigrad, torch):
        assert fw.nn.utils.rnn.invert_permutation(fw.tensor([2, 0, 1])).tolist() == [1, 2, 0]
        packed = fw.nn.utils.rnn.PackedSequence(fw.tensor([1.0, 2.0]), fw.tensor([1, 1]))
        assert packed._fields == ("data", "batch_sizes", "sorted_indices", "unsorted_indices")
        assert packed.double().data.dtype == fw.float64


PACKING_ERRORS = {
    "unsorted": lambda fw: fw.nn.utils.rnn.pack_padded_sequence(_randn(fw, 5, 3, 2), [3, 5, 1]),
    "zero length": lambda fw: fw.nn.utils.rnn.pack_padded_sequence(_randn(fw, 5, 3, 2), [5, 3, 0]),
    "lengths count": lambda fw: fw.nn.utils.rnn.pack_padded_sequence(_randn(fw, 5, 3, 2), [5, 3]),
    "empty": lambda fw: fw.nn.utils.rnn.pack_padded_sequence(_randn(fw, 0, 3, 2), [5, 3, 1]),
    "lengths 2-D": lambda fw: fw.nn.utils.rnn.pack_padded_sequence(_randn(fw, 5, 3, 2), fw.tensor([[5, 3, 1]])),
    "pack_sequence unsorted": lambda fw: fw.nn.utils.rnn.pack_sequence([_randn(fw, 1, 2), _randn(fw, 3, 2)]),
    "total_length": lambda fw: fw.nn.utils.rnn.pad_packed_sequence(
        fw.nn.utils.rnn.pack_padded_sequence(_randn(fw, 5, 2), [5, 3]), total_length=4),
    "pad empty list": lambda fw: fw.nn.utils.rnn.pad_sequence([]),
    "pad not iterable": lambda fw: fw.nn.utils.rnn.pad_sequence(5),
    "padding_side": lambda fw: fw.nn.utils.rnn.pad_sequence([_randn(fw, 2)], padding_side="middle"),
    "pad shapes": lambda fw: fw.nn.utils.rnn.pad_sequence([_randn(fw, 3, 2), _randn(fw, 5, 3)]),
}


@pytest.mark.parametrize("name", PACKING_ERRORS)
def test_packing_errors_match_torch(name: str) -> None:
    assert_same_error(PACKING_ERRORS[name])


def test_unbatched_and_zero_batch_shapes() -> None:
    """An empty batch runs (shapes only); unbatched states come back without their batch dim."""
    for fw in (minigrad, torch):
        out, (h, c) = fw.nn.LSTM(3, 4, proj_size=2)(fw.zeros(5, 3))
        assert (tuple(out.shape), tuple(h.shape), tuple(c.shape)) == ((5, 2), (1, 2), (1, 4))
        out, h = fw.nn.GRU(3, 4, 2, batch_first=True)(fw.zeros(0, 5, 3))
        assert (tuple(out.shape), tuple(h.shape)) == ((0, 5, 4), (2, 0, 4))


@pytest.mark.parametrize("options", [{"batch_first": True}, {"batch_first": True, "num_layers": 2,
                                                             "bidirectional": True}, {}],
                         ids=["batch_first", "batch_first-2-layers-bidirectional", "seq_first"])
@pytest.mark.parametrize("shape", [(2, 6, 5), (6, 5)], ids=["batched", "unbatched"])
@pytest.mark.parametrize("layer", ["RNN", "GRU", "LSTM"])
def test_output_nodes_and_layout_match_torch(layer: str, shape: tuple[int, ...], options: dict[str, Any],
                                             device: str) -> None:
    """With batch_first, PyTorch's RNN and GRU turn their output around in place (``TransposeBackward1``, a tensor of
    its own), its LSTM as a view (``TransposeBackward0``): the nodes down the output, whether it is a view, and its
    strides are PyTorch's."""
    x = np.random.default_rng(3).random(shape).astype(np.float32)
    seen = []
    for fw in (torch, minigrad):
        fw.manual_seed(0)
        module = getattr(fw.nn, layer)(5, 5, **options)
        inp = fw.tensor(x)
        if fw is torch:
            module, inp = module.to(device), inp.to(device)
        out, _ = module(inp)
        names, node = [], out.grad_fn
        while node is not None and len(names) < 3:
            names.append(type(node).__name__ if fw is torch else node.name())
            node = node.next_functions[0][0] if node.next_functions else None
        is_view = out._base is not None if fw is torch else out._view is not None
        seen.append((names, is_view, tuple(out.stride()), numpy_of(out)))
    if device == "cpu":  # (torch's CUDA layers record cuDNN's nodes, CudnnRnnBackward0: the values are compared there)
        assert seen[1][:3] == seen[0][:3]
    np.testing.assert_allclose(seen[1][3], seen[0][3], rtol=1e-5, atol=1e-6)
