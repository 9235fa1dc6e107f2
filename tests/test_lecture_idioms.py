"""Idioms of lecture notebooks and beginner programs, found by running such programs on both frameworks: each prints
on minigrad what it prints on PyTorch (makemore's ``keepdims=`` and indexing with a ``range``, d2l's ``size=`` and
``detach_()``, ``torch.tensor`` of a list of losses, numpy reading a tensor, ``max``'s and ``sort``'s return types,
the legacy constructors, PyTorch's ``other / x``), or raises its error."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_same_error, outcome

import minigrad


def _on(device: str, fw: Any) -> str:
    return device if fw is torch else "cpu"


def _ranged(fw: Any, dev: str) -> Any:
    x = fw.zeros(4, 3, device=dev)
    x[range(4), fw.tensor([0, 1, 2, 0], device=dev)] = 1
    logits = fw.arange(12.0, device=dev).view(4, 3).requires_grad_()
    return x, logits[range(4), fw.tensor([2, 1, 0, 0], device=dev)]


def _detached(fw: Any, dev: str) -> Any:
    state = fw.ones(2, device=dev, requires_grad=True) * 3
    state.detach_()
    return state, state.requires_grad, state.is_leaf, state.grad_fn


def _losses(fw: Any, dev: str) -> Any:
    losses = [fw.tensor(0.5, device=dev), fw.tensor(0.25, device=dev)]
    return fw.tensor(losses), fw.tensor(range(4)), fw.tensor([fw.tensor(1.0, dtype=fw.float64), 2])


def _clamped(fw: Any, dev: str) -> Any:
    """clamp's tensor bounds in each of its spellings (and number bounds beside them, for the node names): values,
    PyTorch's node names, and the gradients of x and of both bound tensors (broadcast against x)."""
    x = fw.tensor([[-2.0, 0.5, 3.0], [1.0, 1.0, -1.0]], device=dev, requires_grad=True)
    low = fw.tensor([0.0, 0.5, 1.0], device=dev, requires_grad=True)
    high = fw.tensor([[1.0], [0.0]], device=dev, requires_grad=True)
    written = x * 1
    written.clamp_(low, high)
    outs = [fw.clamp(x, max=high), x.clamp_min(low), x.clamp_max(high), fw.clip(x, low, high), x.clip(min=low),
            fw.clamp(x, low), fw.clamp_min(x, 0.5), x.clamp_max(0.5), x.clamp(-1.0, 1.0), written]
    sum(((k + 1) * out).sum() for k, out in enumerate(outs)).backward()
    integers = fw.zeros(3, dtype=fw.int64, device=dev).clamp_(fw.tensor([1, 2, 3], device=dev))
    widened = fw.clamp(fw.arange(3, device=dev), fw.tensor([0.5, 1.5, 1.5], device=dev))  # int input, float bound
    return [(out, type(out.grad_fn).__name__) for out in outs], integers, widened, x.grad, low.grad, high.grad


IDIOMS: dict[str, Callable[[Any, str], Any]] = {
    "clamp-tensor-bounds": _clamped,
    "aminmax": lambda fw, dev: [(r, type(r).__name__, r.min.grad_fn.name()) for x in (
        fw.tensor([[1.0, 5, 5], [7, 3, 7]], device=dev, requires_grad=True),)
        for r in (fw.aminmax(x), x.aminmax(dim=1, keepdim=True), fw.aminmax(x, dim=-2))],
    "randint-by-name": lambda fw, dev: [t.to(dev) for t in (
        fw.manual_seed(0), fw.randint(high=10, size=(5,)), fw.randint(low=2, high=9, size=(2, 2)),
        fw.randint(0, high=5, size=[3]), fw.randint(4, fw.Size([2])))[1:]],
    "keepdims": lambda fw, dev: [getattr(fw.arange(6.0, device=dev).view(2, 3), name)(1, keepdims=True)
                                 for name in ("sum", "mean", "std", "var", "amax", "logsumexp", "prod", "argmax")],
    "keepdims-values-indices": lambda fw, dev: fw.tensor([[1.0, 5, 2], [7, 3, 4]], device=dev).max(1, keepdims=True),
    "return-types": lambda fw, dev: [getattr(fw.tensor([[1.0, 5, 2], [7, 3, 4]], device=dev), name)(*args)
                                     for name, args in (("max", (1,)), ("min", (0,)), ("sort", ()), ("topk", (2,)),
                                                        ("median", (1,)), ("kthvalue", (1,)), ("cummax", (1,)))],
    "return-type-name": lambda fw, dev: type(fw.ones(2, 2, device=dev).max(0)).__name__,
    "max-of-two": lambda fw, dev: (fw.max(fw.tensor([1.0, 5], device=dev), fw.tensor([3.0, 2], device=dev)),
                                   fw.tensor([1.0, 5], device=dev).min(fw.tensor([3.0, 2], device=dev))),
    "where-condition-alone": lambda fw, dev: fw.where(fw.tensor([[1, 0], [0, 1]], device=dev) > 0),
    "range-index": _ranged,
    "size-keyword": lambda fw, dev: [getattr(fw, name)(size=(2, 3), device=dev).shape
                                     for name in ("zeros", "ones", "empty", "rand", "randn")],
    "detach_": _detached,
    "tensor-of-tensors": _losses,
    "legacy-constructors": lambda fw, dev: (fw.Tensor(2, 3).shape, fw.Tensor(3).shape, fw.Tensor().shape,
                                            fw.Tensor([1, 2]), fw.FloatTensor(2, 2).shape, fw.LongTensor(3).dtype,
                                            fw.LongTensor([1, 2])),
    "legacy-types": lambda fw, dev: (fw.ones(2).type(fw.LongTensor), isinstance(fw.ones(2), fw.FloatTensor),
                                     isinstance(fw.ones(2), fw.LongTensor), fw.FloatTensor, fw.FloatTensor.dtype,
                                     fw.IntTensor([1, 2]), fw.ones(2).type(fw.DoubleTensor).type()),
    "numpy-reads-tensors": lambda fw, dev: (np.asarray(fw.linspace(0, 1, 3)), np.asarray(fw.ones(2), np.float64),
                                            np.mean([fw.tensor(0.5), fw.tensor(0.25)])),
    "number-over-tensor": lambda fw, dev: [3.0 / fw.linspace(0.1, 9, 50, device=dev), 1 / fw.tensor([2, 3]),
                                           (2 / fw.ones(2, device=dev, requires_grad=True)).grad_fn.name()],
    "number-base-power": lambda fw, dev: [(y, y.grad_fn.name()) for x in (fw.tensor([1.0, 2], device=dev,
                                                                                   requires_grad=True),)
                                          for y in (2 ** x, fw.pow(0.5, x), fw.tensor(2.0, device=dev) ** x)],
    "node-class-names": lambda fw, dev: [type(t.grad_fn).__name__ for t in (
        (fw.ones(2, device=dev, requires_grad=True) * 2).sum(), fw.ones(2, 2, device=dev, requires_grad=True)[0])],
    "size-slices": lambda fw, dev: (fw.ones(2, 3, 4).shape[1:], type(fw.ones(2).shape[0]).__name__,
                                    fw.ones(2, 3).shape + (1,), (1,) + fw.ones(2).shape),  # noqa: RUF005  (under test)
    "type-names": lambda fw, dev: (str(type(fw.ones(2))), str(type(fw.ones(2).shape))),
    "rounding-modes": lambda fw, dev: [fw.div(fw.tensor([7, -7, 6], device=dev), d, rounding_mode=mode)
                                       for d in (2, -4) for mode in ("trunc", "floor")]
                                      + [fw.tensor([7.5, -7.5], device=dev).div(2, rounding_mode="trunc")],
    "logical": lambda fw, dev: [getattr(fw, f"logical_{name}")(fw.tensor([0.0, 1, 2], device=dev),
                                                                 fw.tensor([1, 0, 3], device=dev))
                                for name in ("and", "or", "xor")] + [fw.tensor([0, 2], device=dev).logical_not()],
    "histogram": lambda fw, dev: [fw.histogram(x, *args, **kwargs) for x in (fw.linspace(-3, 3, 7001),)
                                  for args, kwargs in (((37,), {}), ((4,), {"range": (-1.0, 1.0), "density": True}),
                                                       ((), {"bins": fw.tensor([-1.0, 0.5, 3.0]),
                                                             "weight": fw.linspace(0, 1, 7001)}))]
                                 + [fw.ones(3).histogram(2), fw.histogram(fw.tensor([]), 2)],
    "finfo-iinfo": lambda fw, dev: [(info, info.bits, info.max, info.min, info.dtype) for info in (
        fw.finfo(), fw.finfo(fw.float64), fw.iinfo(fw.int32), fw.iinfo(fw.uint8), fw.iinfo(fw.int64))]
                                   + [(fw.finfo(fw.float32).eps, fw.finfo(fw.float32).tiny,
                                       fw.finfo(fw.float64).resolution)],
    "one-sample-linear": lambda fw, dev: (fw.manual_seed(0), fw.nn.Linear(3, 2).to(dev)(fw.randn(3).to(dev)),
                                          fw.nn.Linear(3, 2).to(dev)(fw.randn(3, requires_grad=True).to(dev))
                                          .grad_fn.next_functions[0][0].name())[1:],
    "inverse-det": lambda fw, dev: [(f(m), f(m).grad_fn.name()) for m in (fw.tensor([[2.0, 1], [1, 3]], device=dev,
                                                                                 requires_grad=True),)
                                    for f in (fw.inverse, fw.det, lambda a: a.inverse(), lambda a: a.det())],
    "methods": lambda fw, dev: (fw.ones(2, 3, 4, device=dev).mT.shape, fw.ones(2).is_cuda,
                                fw.ones(2, dtype=fw.int64).type_as(fw.ones(1, dtype=fw.float64))),
}


def _printed(value: Any) -> str:
    """What ``print`` shows of a result, torch's CUDA tensors brought to the CPU and its names read as minigrad's."""
    if isinstance(value, torch.Tensor):
        value = value.cpu()
    elif type(value).__module__ == "torch.return_types":  # (a structseq: built from one sequence)
        value = type(value)([v.cpu() for v in value])
    elif isinstance(value, (list, tuple)) and type(value).__module__ != "minigrad.return_types":
        return type(value).__name__ + "(" + ", ".join(map(_printed, value)) + ")"
    return repr(value).replace("torch.", "minigrad.").replace("'torch'", "'minigrad'")


@pytest.mark.parametrize("name", IDIOMS)
def test_idiom_prints_as_on_pytorch(name: str, device: str) -> None:
    idiom = IDIOMS[name]
    if name == "methods" and device == "cuda":
        pytest.skip("is_cuda is True there, by design")
    if name == "histogram" and device == "cuda":
        pytest.skip("torch.histogram has no CUDA kernel (histc has): the CPU case is the comparison")
    theirs, ours = idiom(torch, _on(device, torch)), idiom(minigrad, "cpu")
    assert _printed(ours) == _printed(theirs)


@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.where(fw.tensor([True, False]), fw.ones(2)), id="where-two-arguments"),
    pytest.param(lambda fw: fw.clamp(fw.ones(3), 0.0, fw.ones(3)), id="clamp-number-and-tensor"),
    pytest.param(lambda fw: fw.randint(0, 5, 3), id="randint-int-size"),
    pytest.param(lambda fw: fw.randint(5, 3), id="randint-high-and-int-size"),
    pytest.param(lambda fw: fw.randint(5), id="randint-no-size"),
    pytest.param(lambda fw: fw.randint(0, 5, size=3), id="randint-int-size-by-name"),
    pytest.param(lambda fw: fw.randint(5.5, (3,)), id="randint-float-high"),
    pytest.param(lambda fw: fw.randint(0, 5.0, (3,)), id="randint-float-high-with-low"),
    pytest.param(lambda fw: fw.randint(0, 5, (3, 4.0)), id="randint-float-in-size"),
    pytest.param(lambda fw: fw.aminmax(fw.ones(2, 3), 1), id="aminmax-positional-dim"),
    pytest.param(lambda fw: fw.ones(2, 3).aminmax(1), id="aminmax-method-positional-dim"),
    pytest.param(lambda fw: fw.aminmax(fw.ones(2, 3), dim=(0, 1)), id="aminmax-dims-tuple"),
    pytest.param(lambda fw: fw.aminmax(fw.ones(0)), id="aminmax-empty"),
    pytest.param(lambda fw: fw.aminmax(fw.ones(0, 3), dim=0), id="aminmax-empty-dim"),
    pytest.param(lambda fw: fw.clip(fw.ones(3), fw.zeros(3), 1), id="clip-tensor-and-number"),
    pytest.param(lambda fw: fw.clamp_min(fw.ones(3), None), id="clamp_min-none"),
    pytest.param(lambda fw: fw.clamp(fw.ones(3), "0"), id="clamp-string-bound"),
    pytest.param(lambda fw: fw.clamp(fw.ones(3)), id="clamp-no-bounds"),
    pytest.param(lambda fw: fw.ones(3).clamp_(min=fw.zeros(2, 3)), id="clamp_-bound-beyond-self"),
    pytest.param(lambda fw: fw.ones(3, dtype=fw.int64).clamp_(min=fw.zeros(3)), id="clamp_-float-bound-into-int"),
    pytest.param(lambda fw: fw.clamp(fw.ones(3, dtype=fw.bool), fw.ones(3, dtype=fw.bool), fw.ones(3, dtype=fw.bool)),
                 id="clamp-bools-both-bounds"),
    pytest.param(lambda fw: fw.clamp(fw.ones(3), fw.ones(2), fw.ones(4)), id="clamp-bounds-not-broadcasting"),
    pytest.param(lambda fw: fw.zeros(2, size=(2, 2)), id="size-twice"),
    pytest.param(lambda fw: fw.Tensor(2.5), id="legacy-number"),
    pytest.param(lambda fw: fw.tensor([fw.ones(2), fw.zeros(2)]), id="tensor-of-vectors"),
    pytest.param(lambda fw: fw.tensor([1, 2]) // fw.tensor([0, 1]), id="integer-floor-division-by-zero"),
    pytest.param(lambda fw: fw.tensor([4]) // 0, id="integer-floor-division-by-zero-number"),
    pytest.param(lambda fw: fw.div(fw.tensor([4]), 0, rounding_mode="trunc"), id="integer-trunc-division-by-zero"),
    pytest.param(lambda fw: fw.div(fw.ones(2), 2, rounding_mode="round"), id="rounding-mode"),
    pytest.param(lambda fw: np.asarray(fw.ones(2, requires_grad=True)), id="numpy-of-grad-tensor"),
    pytest.param(lambda fw: fw.ones(2, requires_grad=True)[0:1].detach_(), id="detach-view"),
    pytest.param(lambda fw: fw.ones(2).mT, id="mT-of-a-vector"),
    pytest.param(lambda fw: fw.finfo(fw.int64), id="finfo-of-an-integer-type"),
    pytest.param(lambda fw: fw.iinfo(fw.float32), id="iinfo-of-a-float-type"),
    pytest.param(lambda fw: fw.iinfo(fw.bool), id="iinfo-of-bool"),
    pytest.param(lambda fw: fw.tensor([[1, 2], [3]]), id="ragged-rows"),
    pytest.param(lambda fw: fw.tensor([[[1], [2]], [[1], [2, 3]]]), id="ragged-deeper"),
    pytest.param(lambda fw: fw.tensor([[1, 2], 3]), id="number-for-a-row"),
    pytest.param(lambda fw: list(fw.tensor(1.0)), id="iterating-a-0-d-tensor"),
    pytest.param(lambda fw: fw.histogram(fw.tensor([1, 2]), 3), id="histogram-of-integers"),
    pytest.param(lambda fw: fw.histogram(fw.ones(3), 0), id="histogram-no-bins"),
    pytest.param(lambda fw: fw.histogram(fw.ones(3), 3, range=(1.0, 0.0)), id="histogram-range-reversed"),
    pytest.param(lambda fw: fw.histogram(fw.ones(3), 3, range=(0.0, float("inf"))), id="histogram-range-infinite"),
])
def test_idiom_mistake_raises_torch_error(bad: Callable[[Any], Any]) -> None:
    assert_same_error(bad)



@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histogram_counts_and_edges_are_pytorchs_bit_for_bit(dtype: str, device: str) -> None:
    """Values of any scale, many landing on or beside an edge (the search around the interpolated bin), weighted
    and as densities (makemore part 3 plots ``torch.histogram(t, density=True)``)."""
    if device == "cuda":
        pytest.skip("torch.histogram has no CUDA kernel (histc has): the CPU case is the comparison")
    rng = np.random.default_rng(0)
    for scale, bins in ((1.0, 100), (1e-3, 7), (50.0, 33), (0.1, 1000)):
        values = (rng.standard_normal(5000) * scale).astype(dtype)
        low, high = -scale, scale * 1.3
        edges = torch.linspace(low, high, bins + 1, dtype=getattr(torch, dtype)).numpy()
        near = np.concatenate([edges, np.nextafter(edges, np.inf), np.nextafter(edges, -np.inf)])
        values[:near.size] = near[:5000]  # on each edge and a bit either side: where interpolation alone misplaces
        weights = rng.random(5000).astype(dtype)
        for kwargs in ({}, {"density": True}, {"weight": weights}, {"range": (low, high)}):
            results = []
            for fw, dev in ((torch, device), (minigrad, "cpu")):
                args = {k: fw.tensor(v, device=dev) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
                hist, edges = fw.histogram(fw.tensor(values, device=dev), bins, **args)
                results.append((hist.cpu().numpy(), edges.cpu().numpy()))
            np.testing.assert_array_equal(results[1][1], results[0][1], err_msg=f"edges {scale} {kwargs}")
            np.testing.assert_array_equal(results[1][0], results[0][0], err_msg=f"hist {scale} {kwargs}")


def test_copying_a_tensor_through_tensor_warns_as_pytorch_does() -> None:
    messages = []
    for fw in (torch, minigrad):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fw.tensor(fw.ones(2))
        messages.append([str(w.message).replace("torch.", "minigrad.") for w in caught])
    assert messages[0] == messages[1] and len(messages[0]) == 1


def test_iterating_a_tensor_gives_unbinds_views(device: str) -> None:
    """``for row in x`` is ``x.unbind(0)``: the rows' values, and PyTorch's refusal to write into one in place while
    the graph is recorded (they are views of one op's several outputs)."""
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        x = fw.arange(6.0, device=dev).view(2, 3).requires_grad_()
        rows = [row * 1 for row in x.clone()]
        assert [r.tolist() for r in rows] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert_same_error(lambda fw: [row.add_(1) for row in fw.ones(2, 3, requires_grad=True).clone()])


def test_the_switches_a_program_sets_first_read_back_as_set() -> None:
    """``use_deterministic_algorithms`` and ``set_float32_matmul_precision`` (reproducibility and speed boilerplate):
    what was set reads back, in both frameworks; a bad value is refused or ignored as PyTorch does. Restored after."""
    for fw in (torch, minigrad):
        try:
            fw.use_deterministic_algorithms(True, warn_only=True)
            fw.set_float32_matmul_precision("high")
            with pytest.warns(UserWarning, match="is not one of 'highest', 'high', or 'medium'"):
                fw.set_float32_matmul_precision("low")
            assert fw.are_deterministic_algorithms_enabled() and fw.is_deterministic_algorithms_warn_only_enabled()
            assert fw.get_float32_matmul_precision() == "high"
        finally:
            fw.use_deterministic_algorithms(False)
            fw.set_float32_matmul_precision("highest")
    assert_same_error(lambda fw: fw.use_deterministic_algorithms("yes"))


def test_version_is_the_projects() -> None:
    """``print(torch.__version__)`` opens many notebooks: minigrad's is its pyproject.toml's."""
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert f'version = "{minigrad.__version__}"' in pyproject


@pytest.mark.skipif(torch.cuda.is_available(), reason="with CUDA, torch's autocast and GradScaler turn on: they "
                    "compute in float16 there, which minigrad does not have")
def test_a_mixed_precision_loop_without_cuda_runs_in_float32_as_pytorchs_does() -> None:
    """A GPU training loop's autocast and GradScaler on a host without CUDA: both turned off with PyTorch's warnings,
    the same losses and weights; mixed precision on the CPU is refused (minigrad has no bfloat16 or float16)."""
    runs = []
    for fw in (torch, minigrad):
        fw.manual_seed(0)
        model, x = fw.nn.Linear(3, 1), fw.randn(8, 3)
        optimizer = fw.optim.SGD(model.parameters(), lr=0.1)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scaler = fw.amp.GradScaler("cuda")
            losses = []
            for _ in range(3):
                with fw.autocast(device_type="cuda"):
                    loss = (model(x) ** 2).mean()
                optimizer.zero_grad()
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
                losses.append(loss.item())
        messages = sorted({str(w.message).replace("torch.", "minigrad.") for w in caught
                           if "autocast" in str(w.message) or "GradScaler is enabled" in str(w.message)})
        runs.append((losses, model.weight.tolist(), scaler.is_enabled(), scaler.get_scale(), messages))
    assert runs[0] == runs[1]
    with pytest.raises(NotImplementedError, match="which minigrad does not have"):
        minigrad.autocast(device_type="cpu")


# ----- axis=, numpy's name for dim -----------------------------------------------------------------------------------
# PyTorch's argument parser takes ``axis=`` for the ``dim`` of every native function and method (d2l writes
# ``y_hat.argmax(axis=1)``, ``X.sum(axis=0)``); its Python-level ones (``F.softmax``, ``split``, ``norm``, ``unique``,
# ``Tensor.unflatten``) refuse it. Each case: (its arguments before dim, after dim), dim given as ``axis=``.
_AXIS_BOTH_FORMS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    name: ((), {}) for name in ("sum", "mean", "max", "min", "argmax", "argmin", "prod", "var", "std", "all", "any",
                                "cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "logsumexp", "amax", "amin",
                                "softmax", "log_softmax", "squeeze", "unsqueeze", "unbind", "sort", "argsort",
                                "median", "mode", "count_nonzero")
} | {
    "sum-keepdims": ((), {"keepdims": True}), "mean-dims": ((), {}), "chunk": ((2,), {}), "tensor_split": ((2,), {}),
    "repeat_interleave": ((2,), {}), "topk": ((1,), {}), "kthvalue": ((1,), {"keepdim": True}),
    "take_along_dim": (("indices",), {}), "cross": (("other",), {}), "gather": ((), {"index": "indices"}),
    "index_select": ((), {"index": "row"}), "narrow": ((), {"start": 1, "length": 2}),
    "scatter": ((), {"index": "indices", "src": "other"}), "scatter_add": ((), {"index": "indices", "src": "other"}),
    "scatter_reduce": ((), {"index": "indices", "src": "other", "reduce": "amax"}),
    "index_add": ((), {"index": "row", "source": "other"}), "index_copy": ((), {"index": "row", "source": "other"}),
    "index_fill": ((), {"index": "row", "value": -1.0}),
}
_AXIS_METHODS_ONLY = {"size": ((), {}), "stride": ((), {}), "scatter_": ((), {"index": "indices", "src": "other"}),
                      "scatter_add_": ((), {"index": "indices", "src": "other"}),
                      "scatter_reduce_": ((), {"index": "indices", "src": "other", "reduce": "sum"}),
                      "index_add_": ((), {"index": "row", "source": "other"}),
                      "index_copy_": ((), {"index": "row", "source": "other"}),
                      "index_fill_": ((), {"index": "row", "value": -1.0})}
AXIS_CASES = [f"Tensor.{name}" for name in (*_AXIS_BOTH_FORMS, *_AXIS_METHODS_ONLY)] + \
             [f"torch.{name}" for name in _AXIS_BOTH_FORMS] + \
             ["torch.cat", "torch.stack", "torch.unflatten", "torch.aminmax", "Tensor.aminmax", "torch.var_mean",
              "torch.std_mean", "F.cosine_similarity"]


def _axis_call(case: str, fw: Any, dev: str, dim: dict[str, int]) -> Any:
    """The case's call with its dim given as ``dim`` says (``{"axis": 1}``, or both names), on a (2, 3, 3) tensor
    that requires grad (a copy without, for the in-place ones)."""
    where, name = case.split(".")
    x = fw.tensor([[[3.0, 1, 2], [0.5, 4, -1], [2, 2, 7]], [[1, 0, 5], [6, 1, 1], [-2, 3, 3]]], device=dev,
                  requires_grad=True)
    named = {"indices": fw.tensor([[[0, 2, 1], [1, 1, 0], [2, 0, 0]], [[1, 0, 2], [0, 0, 1], [2, 1, 2]]],
                                  device=dev),
             "other": fw.linspace(-1, 1, 18, device=dev).view(2, 3, 3), "row": fw.tensor([2, 0, 1], device=dev)}
    if where == "F":
        return fw.nn.functional.cosine_similarity(x, named["other"], **dim)
    if name in ("cat", "stack"):
        return getattr(fw, name)([x, named["other"]], **dim)
    if name == "unflatten":
        return fw.unflatten(x.reshape(2, 9), sizes=(3, 3), **dim)
    if name in ("aminmax", "var_mean", "std_mean"):
        return getattr(x, name)(**dim) if where == "Tensor" else getattr(fw, name)(x, **dim)
    args, kwargs = (_AXIS_BOTH_FORMS | _AXIS_METHODS_ONLY)[name]
    args = tuple(named.get(a, a) if isinstance(a, str) else a for a in args)
    kwargs = {k: named.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
    method = name.split("-")[0]
    if name == "mean-dims":
        dim = {k: (0, 2) for k in dim}
    if method.endswith("_"):
        x = x.detach().clone()
    return getattr(x, method)(*args, **dim, **kwargs) if where == "Tensor" else \
        getattr(fw, method)(x, *args, **dim, **kwargs)


# Nodes minigrad names apart from PyTorch, with dim as with axis (differences of their own, not axis's): the views of
# unbind and chunk (Select/SliceBackward0 for Unbind/SplitBackward0), repeat_interleave's (View for UnsafeView),
# var_mean's and std_mean's two (composed of var or std and mean). Their values are compared, without the nodes.
_VIEWS_NAMED_APART = ("Tensor.unbind", "torch.unbind", "Tensor.chunk", "torch.chunk", "Tensor.repeat_interleave",
                      "torch.repeat_interleave", "torch.var_mean", "torch.std_mean")


def _with_nodes(result: Any, nodes: bool = True) -> Any:
    """Each tensor of a result beside the name of the node that made it (PyTorch's, for each op taking axis)."""
    if isinstance(result, (tuple, list)):
        return [_with_nodes(r, nodes) for r in result]
    if isinstance(result, (torch.Tensor, minigrad.Tensor)):
        return (result, type(result.grad_fn).__name__) if nodes else result.detach()
    return result


@pytest.mark.parametrize("case", AXIS_CASES)
def test_axis_is_dims_other_name_where_pytorch_takes_it(case: str, device: str) -> None:
    """Values and node names as PyTorch's with ``axis=``, which are those with ``dim=`` (the first check would pass
    for a call that ignored its dim, had both frameworks done so: the second rules that out)."""
    nodes = case not in _VIEWS_NAMED_APART
    theirs = _with_nodes(_axis_call(case, torch, _on(device, torch), {"axis": 1}), nodes)
    ours = _with_nodes(_axis_call(case, minigrad, "cpu", {"axis": 1}), nodes)
    assert _printed(ours) == _printed(theirs)
    assert _printed(ours) == _printed(_with_nodes(_axis_call(case, minigrad, "cpu", {"dim": 1}), nodes))


@pytest.mark.parametrize("case", AXIS_CASES)
def test_dim_and_axis_both_given_is_pytorchs_type_error(case: str) -> None:
    """Both names at once: PyTorch's parser says the second is unexpected; for a function with several overloads
    it lists them all instead ("received an invalid combination of arguments"), a text minigrad does not
    reproduce: there the exception's type is the check. (minigrad tells both apart from ``dim`` left at its default
    only by its value: ``dim`` given as its default beside ``axis`` would pass unnoticed, hence -2, no default.)"""
    _, expected = outcome(lambda fw: _axis_call(case, fw, "cpu", {"dim": -2, "axis": 1}), torch)
    _, actual = outcome(lambda fw: _axis_call(case, fw, "cpu", {"dim": -2, "axis": 1}), minigrad)
    assert type(expected) is TypeError and type(actual) is TypeError, (expected, actual)
    if "invalid combination" not in str(expected):
        assert str(actual) == str(expected)


@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.nn.functional.softmax(fw.ones(2, 3), axis=1), id="F.softmax"),
    pytest.param(lambda fw: fw.nn.functional.log_softmax(fw.ones(2, 3), axis=1), id="F.log_softmax"),
    pytest.param(lambda fw: fw.nn.functional.softmin(fw.ones(2, 3), axis=1), id="F.softmin"),
    pytest.param(lambda fw: fw.nn.functional.normalize(fw.ones(2, 3), axis=1), id="F.normalize"),
    pytest.param(lambda fw: fw.nn.functional.glu(fw.ones(2, 4), axis=1), id="F.glu"),
    pytest.param(lambda fw: fw.ones(2, 4).split(2, axis=1), id="Tensor.split"),
    pytest.param(lambda fw: fw.ones(2, 4).norm(axis=1), id="Tensor.norm"),
    pytest.param(lambda fw: fw.ones(2, 4).unique(axis=1), id="Tensor.unique"),
    pytest.param(lambda fw: fw.ones(2, 4).unflatten(axis=1, sizes=(2, 2)), id="Tensor.unflatten"),
    pytest.param(lambda fw: fw.ones(2, 4).cumsum(), id="cumsum-without-dim"),
    pytest.param(lambda fw: fw.softmax(fw.ones(2, 4)), id="softmax-without-dim"),
    pytest.param(lambda fw: fw.ones(2, 4).unsqueeze(), id="unsqueeze-without-dim"),
    pytest.param(lambda fw: fw.ones(2, 4).logsumexp(keepdim=True), id="logsumexp-without-dim"),
])
def test_axis_where_pytorch_refuses_it(bad: Callable[[Any], Any]) -> None:
    """PyTorch's Python-level functions name their parameter ``dim`` only; and a ``dim`` that is required stays so
    when it may be given as ``axis``."""
    assert_same_error(bad)


@pytest.mark.parametrize("bad", [
    pytest.param(lambda fw: fw.split(fw.ones(2, 4), 2, axis=1), id="torch.split"),
    pytest.param(lambda fw: fw.ones(2, 4).roll(1, axis=1), id="Tensor.roll"),
    pytest.param(lambda fw: fw.roll(fw.ones(2, 4), 1, axis=1), id="torch.roll"),
    pytest.param(lambda fw: fw.ones(2, 4).transpose(axis0=0, axis1=1), id="Tensor.transpose"),
])
def test_axis_refused_as_pytorch_refuses_it_in_other_words(bad: Callable[[Any], Any]) -> None:
    """Refused too, by Python itself, whose words differ from PyTorch's parser's ("Tensor.roll() got an unexpected
    keyword argument" for "roll() got ..."): the exception's type is the check."""
    (_, expected), (_, actual) = outcome(bad, torch), outcome(bad, minigrad)
    assert type(expected) is TypeError and type(actual) is TypeError, (expected, actual)
