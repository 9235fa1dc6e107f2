"""The tensor toolkit beginners use, against PyTorch: joins, splits, selections, reductions, dtypes, errors.

The differentiable ops among these are also cross-checked through ``tests/op_cases.py``; this file covers
what those cases do not: module-level forms, multi-output splits, integer and bool dtypes, and errors.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error, numpy_of

import minigrad

X = np.array([[1.5, -2.0, 0.0, 4.0], [3.0, 0.5, -1.0, 2.0], [0.0, 0.0, 7.0, -3.0]], np.float32)


def values(build):
    """build(fw) on both frameworks, as plain Python values (tensors become nested lists; dtypes names)."""
    out = []
    for fw in (minigrad, torch):
        result = build(fw)
        items = result if isinstance(result, (tuple, list)) else [result]
        out.append([(x.tolist(), str(x.dtype).split(".")[-1], tuple(x.shape)) if hasattr(x, "tolist")
                    else x.replace("torch.", "minigrad.") if isinstance(x, str) else x for x in items])
    return out


@pytest.mark.parametrize("build", [
    pytest.param(lambda fw: fw.tensor(X).split(2), id="split-size"),
    pytest.param(lambda fw: fw.tensor(X).split([1, 3], dim=1), id="split-sizes"),
    pytest.param(lambda fw: fw.tensor(X).split(5, dim=1), id="split-larger-than-dim"),
    pytest.param(lambda fw: fw.tensor(X).chunk(2, dim=1), id="chunk"),
    pytest.param(lambda fw: fw.arange(5).chunk(3), id="chunk-uneven"),
    pytest.param(lambda fw: fw.tensor(X).flatten(), id="flatten"),
    pytest.param(lambda fw: fw.ones(2, 3, 4).flatten(1), id="flatten-from-1"),
    pytest.param(lambda fw: fw.ones(2, 3, 4, 5).flatten(1, 2), id="flatten-middle"),
    pytest.param(lambda fw: fw.tensor(3.0).flatten(), id="flatten-0d"),
    pytest.param(lambda fw: (fw.tensor(X).all(), fw.tensor(X).any(), fw.tensor(X).all(1), fw.tensor(X).any(0)),
                 id="all-any"),
    pytest.param(lambda fw: (fw.zeros(0).all(), fw.zeros(0).any(), fw.tensor([True, False]).all()), id="all-any-edge"),
    pytest.param(lambda fw: (fw.arange(5).cumsum(0), fw.tensor([True, True]).cumsum(0), fw.arange(4).prod()),
                 id="integer-scans"),
    pytest.param(lambda fw: fw.arange(1, 5, dtype=fw.int32).cumsum(0), id="int32-cumsum"),
    pytest.param(lambda fw: fw.where(fw.tensor(X) > 0, fw.tensor(X), 0.0), id="where-number"),
    pytest.param(lambda fw: fw.where(fw.tensor(X) > 0, 1.0, fw.arange(4)), id="where-number-first"),
    pytest.param(lambda fw: fw.maximum(fw.arange(4), fw.tensor(X)), id="maximum-promotes"),
    pytest.param(lambda fw: fw.cat([fw.arange(3), fw.ones(2)]), id="cat-promotes"),
    pytest.param(lambda fw: (fw.ByteTensor([1, 2, 255]), fw.BoolTensor([1, 0]), fw.LongTensor([[1], [2]])),
                 id="legacy-constructors"),
    pytest.param(lambda fw: (fw.tensor(X).byte(), fw.tensor(X).bool(), fw.tensor(X).long(), fw.tensor(X).int()),
                 id="conversions"),
    pytest.param(lambda fw: (fw.tensor(X).type(), fw.tensor(X).type(fw.float64), fw.arange(3).type(
        f"{fw.__name__}.FloatTensor")), id="type"),
    pytest.param(lambda fw: fw.tensor(X).cpu().detach().numpy().tolist(), id="cpu-detach-numpy"),
    pytest.param(lambda fw: fw.tensor(X).masked_fill(fw.tensor(X) < 0, 0.0), id="masked-fill"),
    pytest.param(lambda fw: fw.zeros(3, 4).scatter_(1, fw.tensor([[0], [3], [1]]), 1.0), id="scatter_-one-hot"),
    pytest.param(lambda fw: fw.arange(12.0).view(3, 4).gather(1, fw.tensor([[3, 0], [1, 1], [2, 0]])), id="gather"),
    pytest.param(lambda fw: fw.tensor(X).expand(2, 3, 4).sum(0), id="expand"),
    pytest.param(lambda fw: fw.tensor([1, 2]).repeat(2, 2), id="repeat-int"),
    pytest.param(lambda fw: (fw.tensor(X).var(), fw.tensor(X).std(1, unbiased=False),
                             fw.tensor(X).var(0, correction=2)), id="var-std"),
    pytest.param(lambda fw: (fw.tensor(X).max(1).values, fw.tensor(X).max(1).indices, fw.tensor(X).argmax(0)),
                 id="max-values-indices"),
    pytest.param(lambda fw: (fw.tensor(X).eq(0), fw.tensor(X).ne(0), fw.tensor(X).lt(1), fw.tensor(X).ge(2)),
                 id="comparison-methods"),
])
def test_matches_torch(build) -> None:
    ours, theirs = values(build)
    assert ours == theirs


def test_split_pieces_pass_gradients_back() -> None:
    grads = []
    for fw in (minigrad, torch):
        x = fw.tensor(X, requires_grad=True)
        a, b = x.split([1, 3], dim=1)
        (a * 2).sum().backward(retain_graph=True)
        (b ** 2).sum().backward()
        grads.append(x.grad)
    assert_close(*grads)


def test_var_warns_when_degrees_of_freedom_run_out() -> None:
    with pytest.warns(UserWarning, match=r"var\(\): degrees of freedom is <= 0"):
        value = minigrad.ones(1).var()
    assert np.isnan(value.item())


def test_cuda_seeding_is_a_no_op_without_a_gpu() -> None:
    assert minigrad.cuda.manual_seed_all(3) is None and minigrad.cuda.manual_seed(3) is None


@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.cat([]), id="cat-empty"),
    pytest.param(lambda fw: fw.cat(fw.ones(2)), id="cat-tensor"),
    pytest.param(lambda fw: fw.cat([fw.ones(2, 2), fw.ones(2, 3)]), id="cat-sizes"),
    pytest.param(lambda fw: fw.cat([fw.tensor(1.0), fw.tensor(2.0)]), id="cat-0d"),
    pytest.param(lambda fw: fw.cat([fw.ones(2), fw.ones(2, 2)]), id="cat-ndim"),
    pytest.param(lambda fw: fw.stack([]), id="stack-empty"),
    pytest.param(lambda fw: fw.stack([fw.ones(2), fw.ones(3)]), id="stack-sizes"),
    pytest.param(lambda fw: fw.ones(3).split([1, 1]), id="split-sizes"),
    pytest.param(lambda fw: fw.ones(2, 3).expand(3, 3), id="expand-size"),
    pytest.param(lambda fw: fw.ones(2, 3).expand(3), id="expand-ndim"),
    pytest.param(lambda fw: fw.ones(2, 3).repeat(2), id="repeat-ndim"),
    pytest.param(lambda fw: fw.ones(2, 3).gather(0, fw.tensor([[5, 0, 0]])), id="gather-range"),
    pytest.param(lambda fw: fw.ones(2, 3).gather(0, fw.tensor([0, 0, 0])), id="gather-ndim"),
    pytest.param(lambda fw: fw.ones(2, 3).scatter(0, fw.tensor([[0, 0, 0]]), fw.ones(1, 3, dtype=fw.float64)),
                 id="scatter-dtype"),
    pytest.param(lambda fw: fw.ones(2, 3).masked_fill(fw.ones(2, 3), 0.0), id="masked-fill-float-mask"),
    pytest.param(lambda fw: fw.where(fw.ones(2), fw.ones(2), fw.ones(2)), id="where-float-condition"),
    pytest.param(lambda fw: fw.arange(3).var(), id="var-int"),
    pytest.param(lambda fw: fw.ones(2, 3).flatten(1, 0), id="flatten-order"),
    pytest.param(lambda fw: fw.ones(2).type("NoSuchTensor"), id="type-name"),
])
def test_bad_input_raises_torch_error(bad) -> None:
    assert_same_error(bad)


def test_numpy_of_a_tensor_shares_memory() -> None:
    t = minigrad.tensor(X)
    t.numpy()[0, 0] = 9.0
    assert t[0, 0].item() == 9.0 and numpy_of(t)[0, 0] == 9.0
