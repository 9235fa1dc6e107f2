"""nn.Embedding, nn.EmbeddingBag, F.embedding and F.embedding_bag against PyTorch.

The lookup and its gradient are bit for bit PyTorch's in float32 too: a lookup copies rows, and the gradient adds
grad's rows into the table in the order of the indices, as PyTorch's CPU backward adds them (with scale_grad_by_freq
each addition is fma(grad, f32(1/count), row), its add with alpha). The initial table is ``normal_()``'s, drawn
as PyTorch draws it. ``max_norm`` renormalises rows by their norm, a reduction whose float32 summation order is
PyTorch's own: to rounding there. EmbeddingBag is composed (a lookup, then index_add or scatter_reduce into the
bags): its float32 sums are to rounding.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_same_error, numpy_of

import minigrad
from reference.convert import from_torch_state_dict, to_torch_state_dict

FRAMEWORKS = (minigrad, torch)


def assert_same(actual: Any, expected: Any, what: str, exact: bool = True) -> None:
    a, e = numpy_of(actual), numpy_of(expected)
    assert a.shape == e.shape and a.dtype == e.dtype, f"{what}: {a.shape} {a.dtype} != {e.shape} {e.dtype}"
    if exact:
        np.testing.assert_array_equal(a, e, err_msg=what)
    else:
        rtol = 1e-12 if a.dtype == np.float64 else 2e-6
        np.testing.assert_allclose(a, e, rtol=rtol, atol=rtol, err_msg=what)


# ----- initial values ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["Embedding", "EmbeddingBag"])
@pytest.mark.parametrize("size,options", [
    ((10, 3), {}), ((4, 3), {"padding_idx": 1}), ((40, 7), {"padding_idx": -1}), ((3, 5), {"dtype": "float64"}),
    ((100, 16), {}),
], ids=str)
def test_initial_table_is_torchs(kind: str, size: tuple[int, int], options: dict[str, Any]) -> None:
    """normal_() over the whole table (each of PyTorch's three normal paths: under 16 values, 16 or more in float32,
    float64), then the padding row set to 0."""
    tables = []
    for fw in FRAMEWORKS:
        fw.manual_seed(5)
        kwargs = {k: getattr(fw, v) if k == "dtype" else v for k, v in options.items()}
        module = getattr(fw.nn, kind)(*size, **kwargs)
        tables.append(module.weight)
        assert module.weight.requires_grad
    assert_same(*tables, "initial table")
    assert list(getattr(minigrad.nn, kind)(*size).state_dict()) == ["weight"]


# ----- F.embedding -------------------------------------------------------------------------------------------------
INDICES = {
    "1-D": [4, 0, 4],
    "2-D with repeats": [[1, 2, 1], [5, 1, 0]],
    "0-d": 3,
    "3-D": [[[0, 5], [5, 5]], [[2, 3], [1, 1]]],
    "empty": np.zeros((2, 0), np.int64),
}
OPTIONS = [{}, {"padding_idx": 1}, {"padding_idx": -1}, {"scale_grad_by_freq": True},
           {"padding_idx": 5, "scale_grad_by_freq": True}]


@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("index_dtype", ["int64", "int32"])
@pytest.mark.parametrize("indices", INDICES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_embedding_is_torchs_bit_for_bit(dtype: str, indices: str, index_dtype: str, options: dict[str, Any],
                                         device: str) -> None:
    """Forward and the table's gradient under a random cotangent, equal to torch's in every bit (a non-contiguous
    table too)."""
    rng = np.random.default_rng(0)
    table = rng.standard_normal((3, 6)).astype(dtype)  # stored transposed: the (6, 3) table is a strided view
    index = np.array(INDICES[indices], dtype=index_dtype)
    cotangent = rng.standard_normal((*index.shape, 3)).astype(dtype)
    results = []
    for fw, dev in ((minigrad, None), (torch, device)):
        kwargs = {"device": dev} if dev else {}
        leaf = fw.tensor(table, requires_grad=True, **kwargs)
        out = fw.nn.functional.embedding(fw.tensor(index, **kwargs), leaf.t(), **options)
        out.backward(fw.tensor(cotangent, **kwargs))
        results.append((out, leaf.grad, out.grad_fn.name()))
    (out, grad, name), (out_t, grad_t, name_t) = results
    assert name == name_t == "EmbeddingBackward0"
    assert_same(out, out_t, "lookup")
    assert_same(grad, grad_t, "gradient of the table", exact=device == "cpu")


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.5])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_max_norm_renormalises_the_rows_read_in_place(dtype: str, norm_type: float) -> None:
    rng = np.random.default_rng(1)
    table = (3 * rng.standard_normal((6, 4))).astype(dtype)
    cotangent = rng.standard_normal((2, 3, 4)).astype(dtype)
    results = []
    for fw in FRAMEWORKS:
        module = fw.nn.Embedding.from_pretrained(fw.tensor(table), freeze=False, max_norm=1.5, norm_type=norm_type)
        out = module(fw.tensor([[1, 1, 3], [0, 3, 3]]))
        out.backward(fw.tensor(cotangent))
        results.append([out, module.weight, module.weight.grad])
    for i, (a, e) in enumerate(zip(*results)):
        assert_same(a, e, f"value {i}", exact=False)
    untouched = [0, 1, 3]  # rows 2, 4, 5 were not read: unchanged
    assert np.array_equal(numpy_of(results[0][1])[[2, 4, 5]], table[[2, 4, 5]])
    assert (np.linalg.norm(numpy_of(results[0][1])[untouched], ord=norm_type, axis=1) <= 1.5 + 1e-6).all()


def test_from_pretrained_shares_and_freezes() -> None:
    for fw in FRAMEWORKS:
        table = fw.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        frozen = fw.nn.Embedding.from_pretrained(table)
        assert not frozen.weight.requires_grad
        out = frozen(fw.tensor([2, 0]))
        assert out.tolist() == [[5.0, 6.0], [1.0, 2.0]] and not out.requires_grad
        trainable = fw.nn.Embedding.from_pretrained(table, freeze=False, padding_idx=0)
        trainable(fw.tensor([0, 1, 0])).sum().backward()
        assert trainable.weight.grad.tolist() == [[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
        with fw.no_grad():
            trainable.weight[1, 0] = 9.0
        assert table[1, 0].item() == 9.0  # the table is shared, not copied
        bag = fw.nn.EmbeddingBag.from_pretrained(table, mode="sum")
        assert not bag.weight.requires_grad


def test_state_dict_moves_between_libraries() -> None:
    minigrad.manual_seed(0)
    ours = minigrad.nn.Sequential(minigrad.nn.Embedding(7, 3, padding_idx=0), minigrad.nn.Linear(3, 2))
    theirs = torch.nn.Sequential(torch.nn.Embedding(7, 3, padding_idx=0), torch.nn.Linear(3, 2))
    theirs.load_state_dict(to_torch_state_dict(ours.state_dict()))
    indices = [[0, 6, 2], [3, 3, 1]]
    assert_same(ours(minigrad.tensor(indices)), theirs(torch.tensor(indices)), "output", exact=False)
    back = minigrad.nn.Sequential(minigrad.nn.Embedding(7, 3, padding_idx=0), minigrad.nn.Linear(3, 2))
    back.load_state_dict(from_torch_state_dict(theirs.state_dict()))
    assert_same(back[0].weight, theirs[0].weight, "table")


def test_reprs_match_torch() -> None:
    for build in [
        lambda fw: fw.nn.Embedding(10, 3),
        lambda fw: fw.nn.Embedding(10, 3, padding_idx=0, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True),
        lambda fw: fw.nn.Embedding(10, 3, max_norm=2, norm_type=2.0, padding_idx=-2),
        lambda fw: fw.nn.Embedding(10, 3, sparse=True),
        lambda fw: fw.nn.EmbeddingBag(10, 3),
        lambda fw: fw.nn.EmbeddingBag(10, 3, max_norm=2.0, mode="sum", padding_idx=2, norm_type=3),
    ]:
        assert repr(build(minigrad)) == repr(build(torch))


# ----- F.embedding_bag -----------------------------------------------------------------------------------------------
BAGS = {  # (input, offsets): a 1-D input cut at offsets, or a 2-D one (a bag per row)
    "offsets": ([1, 2, 4, 5, 4, 3, 2, 0], [0, 4]),
    "empty bag": ([1, 2, 4, 5, 4, 3, 2, 0], [0, 4, 4]),
    "one bag": ([3, 3, 1], [0]),
    "2-D": ([[1, 2, 4, 5], [4, 3, 2, 0]], None),
    "last offset": ([1, 2, 4, 5, 4, 3, 2, 0], [0, 2, 8]),
}  # (include_last_offset with a last offset short of the input is not PyTorch's to compare with: its float64 sums run
#  to the end of the input, its float32 ones stop at the offset and its float32 mean divides by the count to the end)
BAG_CASES = [(bags, mode, psw, padding) for bags, mode, psw, padding in
             itertools.product(BAGS, ["sum", "mean", "max"], (False, True), (None, 2)) if not psw or mode == "sum"]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", BAG_CASES, ids=str)
def test_embedding_bag_matches_torch(case: tuple[Any, ...], dtype: str, device: str) -> None:
    bags, mode, psw, padding_idx = case
    values, offsets = BAGS[bags]
    include_last = bags == "last offset"
    rng = np.random.default_rng(3)
    table = rng.standard_normal((6, 3)).astype(dtype)
    weights = rng.standard_normal(np.shape(values)).astype(dtype)
    results = []
    for fw, dev in ((minigrad, None), (torch, device)):
        kwargs = {"device": dev} if dev else {}
        leaf = fw.tensor(table, requires_grad=True, **kwargs)
        sample_weights = fw.tensor(weights, requires_grad=True, **kwargs) if psw else None
        out = fw.nn.functional.embedding_bag(
            fw.tensor(values, **kwargs), leaf, None if offsets is None else fw.tensor(offsets, **kwargs), mode=mode,
            per_sample_weights=sample_weights, include_last_offset=include_last, padding_idx=padding_idx)
        out.backward(fw.tensor(np.random.default_rng(4).standard_normal(tuple(out.shape)).astype(dtype), **kwargs))
        results.append([out, leaf.grad] + ([sample_weights.grad] if psw else []))
    for i, (a, e) in enumerate(zip(*results)):
        assert_same(a, e, f"value {i}", exact=False)


def test_embedding_bag_module_matches_torch() -> None:
    outs = []
    for fw in FRAMEWORKS:
        fw.manual_seed(2)
        bag = fw.nn.EmbeddingBag(8, 4, mode="sum", padding_idx=0)
        outs.append(bag(fw.tensor([1, 0, 3, 3, 7]), fw.tensor([0, 2]), fw.ones(5)))
    assert_same(*outs, "EmbeddingBag", exact=False)


# ----- errors ------------------------------------------------------------------------------------------------------
def _table(fw: Any, *shape: int) -> Any:
    return fw.zeros(*shape, requires_grad=True)


ERRORS = {
    "index too large": lambda fw: fw.nn.functional.embedding(fw.tensor([5]), _table(fw, 5, 3)),
    "negative index": lambda fw: fw.nn.functional.embedding(fw.tensor([[-1]]), _table(fw, 5, 3)),
    "float indices": lambda fw: fw.nn.functional.embedding(fw.tensor([1.0]), _table(fw, 5, 3)),
    "bool indices": lambda fw: fw.nn.functional.embedding(fw.tensor([True]), _table(fw, 5, 3)),
    "1-D table": lambda fw: fw.nn.functional.embedding(fw.tensor([1]), fw.zeros(5)),
    "3-D table": lambda fw: fw.nn.functional.embedding(fw.tensor([1]), fw.zeros(5, 2, 2)),
    "padding_idx too large": lambda fw: fw.nn.functional.embedding(fw.tensor([1]), fw.zeros(5, 2), padding_idx=5),
    "padding_idx too small": lambda fw: fw.nn.Embedding(5, 2, padding_idx=-6),
    "pretrained shape": lambda fw: fw.nn.Embedding(5, 2, _weight=fw.zeros(4, 2)),
    "pretrained 1-D": lambda fw: fw.nn.Embedding.from_pretrained(fw.zeros(4)),
    "bag offsets[0]": lambda fw: fw.nn.functional.embedding_bag(fw.tensor([1, 2, 3]), fw.zeros(5, 2),
                                                                fw.tensor([1, 2])),
    "bag offsets[-1]": lambda fw: fw.nn.functional.embedding_bag(fw.tensor([1, 2, 3]), fw.zeros(5, 2),
                                                                 fw.tensor([0, 4])),
    "bag index range": lambda fw: fw.nn.functional.embedding_bag(fw.tensor([1, 9]), fw.zeros(5, 2), fw.tensor([0])),
    "bag mode": lambda fw: fw.nn.functional.embedding_bag(fw.tensor([1]), fw.zeros(5, 2), fw.tensor([0]),
                                                          mode="median"),
    "bag weights mode": lambda fw: fw.nn.functional.embedding_bag(
        fw.tensor([1, 2]), fw.zeros(5, 2), fw.tensor([0]), mode="mean", per_sample_weights=fw.ones(2)),
    "bag weights shape": lambda fw: fw.nn.functional.embedding_bag(
        fw.tensor([1, 2]), fw.zeros(5, 2), fw.tensor([0]), mode="sum", per_sample_weights=fw.ones(3)),
    "bag weights dtype": lambda fw: fw.nn.functional.embedding_bag(
        fw.tensor([1, 2]), fw.zeros(5, 2), fw.tensor([0]), mode="sum", per_sample_weights=fw.ones(2).double()),
    "bag 2-D with offsets": lambda fw: fw.nn.functional.embedding_bag(fw.tensor([[1, 2]]), fw.zeros(5, 2),
                                                                      fw.tensor([0])),
    "bag no offsets": lambda fw: fw.nn.functional.embedding_bag(fw.tensor([1, 2]), fw.zeros(5, 2)),
    "bag 3-D input": lambda fw: fw.nn.functional.embedding_bag(fw.tensor([[[1]]]), fw.zeros(5, 2)),
    "bag 1-D table": lambda fw: fw.nn.functional.embedding_bag(fw.tensor([[1]]), fw.zeros(5)),
    "bag float indices": lambda fw: fw.nn.functional.embedding_bag(fw.tensor([1.0]), fw.zeros(5, 2),
                                                                   fw.tensor([0])),
    "bag max with scaling": lambda fw: fw.nn.functional.embedding_bag(
        fw.tensor([[1]]), fw.zeros(5, 2), mode="max", scale_grad_by_freq=True),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name: str) -> None:
    assert_same_error(ERRORS[name])
