"""The shape and selection functions built from other ops (issue 23) against PyTorch: forward values, input
gradients, views where torch returns views, and torch's errors.

Each function runs on the same inputs in both frameworks (float64, then float32 at the suite's tolerance); a random
cotangent flows back from every output, and each input's gradient is compared. An output is a view when it shares
memory with an input: minigrad's outputs are views exactly where torch's are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad


def _idx(fw: Any, values: Any) -> Any:
    return fw.tensor(values, dtype=fw.int64)


# (id, fn(fw, *inputs), the inputs' shapes). Every input is a float leaf that requires grad.
CASES: list[tuple[str, Callable[..., Any], tuple[tuple[int, ...], ...]]] = [
    ("index_add", lambda fw, x, s: x.index_add(0, _idx(fw, [2, 0, 2]), s, alpha=2.0), ((3, 4), (3, 4))),
    ("index_add-function", lambda fw, x, s: fw.index_add(x, 1, _idx(fw, [3, 1]), s), ((3, 4), (3, 2))),
    ("index_add_", lambda fw, x, s: x.clone().index_add_(0, _idx(fw, [1, 1]), s, alpha=-0.5), ((3, 4), (2, 4))),
    ("scatter_add", lambda fw, x, s: x.scatter_add(1, _idx(fw, [[0, 1, 1], [3, 3, 0]]), s), ((2, 4), (2, 3))),
    ("scatter_add_", lambda fw, x, s: x.clone().scatter_add_(0, _idx(fw, [[1, 0], [1, 1]]), s), ((2, 2), (2, 2))),
    ("unflatten", lambda fw, x: x.unflatten(1, (2, -1)), ((3, 4),)),
    ("unflatten-function", lambda fw, x: fw.unflatten(x, -1, (2, 1, 2)), ((3, 4),)),
    ("view_as", lambda fw, x: x.view_as(fw.ones(4, 3)), ((3, 4),)),
    ("reshape_as", lambda fw, x: x.reshape_as(fw.ones(12)), ((3, 4),)),
    ("reshape_as-transposed", lambda fw, x: x.t().reshape_as(fw.ones(12)), ((3, 4),)),
    ("contiguous", lambda fw, x: x.contiguous(), ((3, 4),)),
    ("contiguous-transposed", lambda fw, x: x.t().contiguous(), ((3, 4),)),
    ("swapaxes", lambda fw, x: x.swapaxes(0, 2), ((2, 3, 4),)),
    ("swapdims", lambda fw, x: fw.swapdims(x, -1, 0), ((2, 3, 4),)),
    ("movedim", lambda fw, x: fw.movedim(x, (0, 2), (2, 0)), ((2, 3, 4),)),
    ("movedim-int", lambda fw, x: x.movedim(0, 1), ((2, 3, 4),)),
    ("moveaxis", lambda fw, x: fw.moveaxis(x, 0, -1), ((2, 3, 4),)),
    ("narrow", lambda fw, x: x.narrow(1, -3, 2), ((3, 4),)),
    ("narrow-function", lambda fw, x: fw.narrow(x, 0, 1, 0), ((3, 4),)),
    ("unbind", lambda fw, x: x.unbind(1), ((3, 4),)),
    ("unbind-function", lambda fw, x: fw.unbind(x), ((2, 3),)),
    ("tensor_split-sections", lambda fw, x: x.tensor_split(3, 1), ((3, 7),)),
    ("tensor_split-indices", lambda fw, x: fw.tensor_split(x, [1, 5, 3], dim=1), ((3, 7),)),
    ("split-sizes", lambda fw, x: x.split([2, 1, 4], 1), ((3, 7),)),
    ("broadcast_to", lambda fw, x: fw.broadcast_to(x, (2, 3, 4)), ((3, 1),)),
    ("broadcast_tensors", lambda fw, x, y: fw.broadcast_tensors(x, y), ((3, 1), (4,))),
    ("hstack", lambda fw, x, y: fw.hstack([x, y]), ((3, 1), (3, 4))),
    ("hstack-1d", lambda fw, x, y: fw.hstack([x, y]), ((3,), (4,))),
    ("vstack", lambda fw, x, y: fw.vstack([x, y]), ((4,), (2, 4))),
    ("dstack", lambda fw, x, y: fw.dstack([x, y]), ((4,), (1, 4))),
    ("column_stack", lambda fw, x, y, z: fw.column_stack([x, y, z]), ((3,), (3, 2), (3,))),
    ("atleast_1d", lambda fw, x: fw.atleast_1d(x), ((),)),
    ("atleast_2d", lambda fw, x: fw.atleast_2d(x), ((5,),)),
    ("atleast_3d", lambda fw, x, y: fw.atleast_3d(x, y), ((), (3, 2))),
    ("atleast_3d-1d", lambda fw, x: fw.atleast_3d(x), ((4,),)),
    ("flip-dims-keyword", lambda fw, x: fw.flip(x, dims=(0, -1)), ((3, 4),)),
    ("fliplr", lambda fw, x: x.fliplr(), ((3, 4),)),
    ("flipud", lambda fw, x: fw.flipud(x), ((3, 4),)),
    ("rot90", lambda fw, x: x.rot90(1, (0, 1)), ((3, 4),)),
    ("rot90-2", lambda fw, x: x.rot90(2, (1, 2)), ((2, 3, 4),)),
    ("rot90-minus-1", lambda fw, x: fw.rot90(x, -1, (0, 1)), ((3, 4),)),
    ("rot90-0", lambda fw, x: x.rot90(0), ((3, 4),)),
    ("tile", lambda fw, x: x.tile((2,)), ((3, 4),)),
    ("tile-more-dims", lambda fw, x: fw.tile(x, (2, 1, 3)), ((3, 4),)),
    ("repeat_interleave-flat", lambda fw, x: x.repeat_interleave(3), ((3, 4),)),
    ("repeat_interleave-dim", lambda fw, x: x.repeat_interleave(2, dim=1), ((3, 4),)),
    ("repeat_interleave-tensor", lambda fw, x: x.repeat_interleave(_idx(fw, [1, 0, 3]), dim=0), ((3, 4),)),
    ("take_along_dim", lambda fw, x: x.take_along_dim(_idx(fw, [[0], [3], [1]]), 1), ((3, 4),)),
    ("take_along_dim-broadcast", lambda fw, x: fw.take_along_dim(x, _idx(fw, [[0], [2]]), 0), ((3, 4),)),
    ("take_along_dim-broadcast-index", lambda fw, x: x.take_along_dim(_idx(fw, [[1, 2, 0, 0]]), 1), ((3, 4),)),
    ("take_along_dim-broadcast-input", lambda fw, x: x.take_along_dim(_idx(fw, [[1, 0, 1]]), 0), ((2, 1),)),
    ("take_along_dim-flat", lambda fw, x: x.take_along_dim(_idx(fw, [5, 0, 5])), ((3, 4),)),
    ("meshgrid-ij", lambda fw, x, y: fw.meshgrid(x, y, indexing="ij"), ((3,), (4,))),
    ("meshgrid-xy", lambda fw, x, y, z: fw.meshgrid(x, y, z, indexing="xy"), ((3,), (4,), (2,))),
    ("meshgrid-list", lambda fw, x, y: fw.meshgrid([x, y], indexing="ij"), ((), (4,))),
]


def _outputs(result: Any) -> list[Any]:
    return list(result) if isinstance(result, (tuple, list)) else [result]


def _numpy(t: Any) -> np.ndarray:
    return t.detach().numpy()


def _run(fw: Any, fn: Callable[..., Any], values: list[np.ndarray], cotangents: list[np.ndarray] | None) -> Any:
    inputs = [fw.tensor(v, requires_grad=True) for v in values]
    outputs = _outputs(fn(fw, *inputs))
    views = [any(np.shares_memory(_numpy(o), _numpy(x)) for x in inputs) for o in outputs]
    if cotangents is not None:
        total = sum((o * fw.tensor(c)).sum() for o, c in zip(outputs, cotangents))
        total.backward()
    return inputs, outputs, views


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("fn", "shapes"), [pytest.param(fn, shapes, id=name) for name, fn, shapes in CASES])
def test_matches_torch(fn: Callable[..., Any], shapes: tuple[tuple[int, ...], ...], dtype: str) -> None:
    rng = np.random.default_rng(0)
    values = [rng.standard_normal(shape).astype(dtype) for shape in shapes]
    _, probe, _ = _run(torch, fn, values, None)
    cotangents = [rng.standard_normal(tuple(o.shape)).astype(dtype) for o in probe]
    torch_inputs, torch_outputs, torch_views = _run(torch, fn, values, cotangents)
    inputs, outputs, views = _run(minigrad, fn, values, cotangents)
    assert len(outputs) == len(torch_outputs)
    for k, (out, expected) in enumerate(zip(outputs, torch_outputs)):
        assert_close(out, expected, f"output {k}")
    assert views == torch_views, f"views: minigrad {views}, torch {torch_views}"
    for k, (x, expected) in enumerate(zip(inputs, torch_inputs)):
        assert (x.grad is None) == (expected.grad is None), f"input {k}: gradient presence differs"
        if expected.grad is not None:
            assert_close(x.grad, expected.grad, f"gradient of input {k}")


ERRORS: list[tuple[str, Callable[[Any], Any]]] = [
    ("unflatten-wrong-sizes", lambda fw: fw.ones(3, 4).unflatten(1, (3, 2))),
    ("view_as-wrong-numel", lambda fw: fw.ones(3, 4).view_as(fw.ones(5))),
    ("swapaxes-out-of-range", lambda fw: fw.ones(3, 4).swapaxes(0, 2)),
    ("movedim-repeated", lambda fw: fw.movedim(fw.ones(2, 3, 4), (0, 0), (1, 2))),
    ("movedim-lengths", lambda fw: fw.movedim(fw.ones(2, 3, 4), (0, 1), (1,))),
    ("narrow-past-the-end", lambda fw: fw.ones(3, 4).narrow(1, 2, 3)),
    ("unbind-0d", lambda fw: fw.unbind(fw.tensor(1.0))),
    ("tensor_split-zero-sections", lambda fw: fw.ones(3, 4).tensor_split(0)),
    ("broadcast_to-incompatible", lambda fw: fw.broadcast_to(fw.ones(3, 2), (3, 4))),
    ("broadcast_tensors-incompatible", lambda fw: fw.broadcast_tensors(fw.ones(3), fw.ones(4))),
    ("fliplr-1d", lambda fw: fw.ones(3).fliplr()),
    ("flipud-0d", lambda fw: fw.flipud(fw.tensor(1.0))),
    ("rot90-same-dims", lambda fw: fw.ones(3, 4).rot90(1, (1, 1))),
    ("rot90-three-dims", lambda fw: fw.ones(3, 4).rot90(1, (0, 1, 1))),
    ("rot90-1d", lambda fw: fw.rot90(fw.ones(3))),
    ("repeat_interleave-negative", lambda fw: fw.ones(3).repeat_interleave(-1)),
    ("repeat_interleave-wrong-count", lambda fw: fw.ones(3, 2).repeat_interleave(_idx(fw, [1, 2]), dim=0)),
    ("take_along_dim-not-broadcastable", lambda fw: fw.ones(3, 4).take_along_dim(_idx(fw, [[0, 2]]), 0)),
    ("take_along_dim-int32", lambda fw: fw.ones(3, 4).take_along_dim(fw.tensor([[0]], dtype=fw.int32), 0)),
    ("take_along_dim-dims", lambda fw: fw.ones(3, 4).take_along_dim(_idx(fw, [0, 1]), 1)),
    ("hstack-empty", lambda fw: fw.hstack([])),
    ("meshgrid-indexing", lambda fw: fw.meshgrid(fw.ones(3), fw.ones(2), indexing="ji")),
    ("index_select-0d-two-indices", lambda fw: fw.index_select(fw.tensor(1.0), 0, _idx(fw, [0, 0]))),
    ("index_add-0d-source-two-indices", lambda fw: fw.index_add(fw.ones(3), 0, _idx(fw, [0, 1]), fw.tensor(1.0))),
    ("index_add-0d-source-into-1d", lambda fw: fw.index_add(fw.ones(3), 0, _idx(fw, [0]), fw.tensor(1.0))),
    ("index_add-1-element-source-into-0d", lambda fw: fw.index_add(fw.tensor(1.0), 0, _idx(fw, [0]), fw.ones(1))),
    ("index_add-source-lacks-dim", lambda fw: fw.index_add(fw.ones(3, 4), 1, _idx(fw, [0]), fw.ones(3))),
    ("index_add_-dtype", lambda fw: fw.ones(3).index_add_(0, _idx(fw, [0]), fw.ones(1, dtype=fw.float64))),
]


@pytest.mark.parametrize("fn", [pytest.param(fn, id=name) for name, fn in ERRORS])
def test_same_error_as_torch(fn: Callable[[Any], Any]) -> None:
    assert_same_error(fn)
