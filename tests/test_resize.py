"""Resizing against PyTorch: interpolate and the Upsample layers, max unpooling, pixel (un)shuffle, and the download
refusals of ``minigrad.hub``.

Each layer runs in both frameworks on the same input (batch size 1 and non-contiguous inputs included) and is
backpropagated under the same random cotangent: float64 agrees to 1e-10 relative, float32 to rounding (each output
weighs at most four inputs; each input gradient sums the few shares of the outputs around it). Nearest modes copy
values, so their outputs must be bit for bit PyTorch's: the grid of sizes and scale factors below checks that both
pick the same input for every output, on either of PyTorch's loops (outputs of H + W over 128 take its separable one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_same_error, numpy_of

import minigrad
import minigrad.hub
import minigrad.utils.model_zoo

RTOL = {"float32": 1e-6, "float64": 1e-10}
ATOL = {"float32": 1e-6, "float64": 1e-12}

# (layer constructor source, input shape): each built as fw.nn.<source>.
LAYERS = [
    ("Upsample(scale_factor=2)", (2, 3, 4, 5)),
    ("Upsample(size=(7, 3))", (1, 2, 4, 5)),
    ("Upsample(size=9)", (2, 3, 4)),
    ("Upsample(scale_factor=1.7, mode='nearest-exact')", (2, 2, 5, 3)),
    ("Upsample(size=11, mode='nearest-exact')", (1, 3, 4)),
    ("Upsample(scale_factor=2.5, mode='linear')", (2, 3, 4)),
    ("Upsample(size=3, mode='linear', align_corners=True)", (1, 2, 7)),
    ("Upsample(scale_factor=(1.5, 2.0), mode='bilinear')", (2, 3, 4, 5)),
    ("Upsample(size=(6, 9), mode='bilinear', align_corners=True)", (1, 1, 4, 5)),
    ("Upsample(scale_factor=0.6, mode='bilinear', recompute_scale_factor=True)", (2, 2, 7, 6)),
    ("Upsample(size=(3, 2), mode='area')", (2, 3, 7, 6)),
    ("UpsamplingNearest2d(scale_factor=3)", (1, 2, 3, 4)),
    ("UpsamplingBilinear2d(size=(5, 8))", (2, 2, 3, 4)),
    ("UpsamplingBilinear2d(scale_factor=2)", (1, 3, 4, 4)),
    ("PixelShuffle(2)", (2, 8, 3, 4)),
    ("PixelShuffle(3)", (9, 2, 2)),
    ("PixelUnshuffle(2)", (1, 3, 4, 6)),
    ("PixelUnshuffle(3)", (2, 1, 6, 3)),
]


def _run(fw: Any, layer: Any, x: np.ndarray, strided: bool, device: str) -> tuple[Any, list[np.ndarray]]:
    """(output's grad_fn name, [output, input gradient]) of layer on x, under a fixed random cotangent."""
    kwargs = {"device": device} if fw is torch else {}
    if strided:  # x seen through a transpose of its last two dims
        leaf = fw.tensor(np.ascontiguousarray(np.swapaxes(x, -1, -2)), requires_grad=True, **kwargs)
        inp = leaf.transpose(-1, -2)
    else:
        leaf = inp = fw.tensor(x, requires_grad=True, **kwargs)
    out = layer(inp)
    cotangent = np.random.default_rng(1).standard_normal(tuple(out.shape)).astype(x.dtype)
    out.backward(fw.tensor(cotangent, **kwargs))
    name = type(out.grad_fn).__name__ if fw is torch else out.grad_fn.name()
    return name, [numpy_of(out), numpy_of(leaf.grad)]


@pytest.mark.parametrize("strided", [False, True], ids=["contiguous", "noncontiguous"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("source", "shape"), LAYERS, ids=[s for s, _ in LAYERS])
def test_layer_matches_torch(source: str, shape: tuple[int, ...], dtype: str, strided: bool, device: str) -> None:
    x = np.random.default_rng(len(source)).uniform(-2, 2, shape).astype(dtype)
    mine_name, mine = _run(minigrad, eval(f"minigrad.nn.{source}"), x, strided, "cpu")
    torch_name, theirs = _run(torch, eval(f"torch.nn.{source}"), x, strided, device)
    assert mine_name == torch_name
    for what, a, b in zip(["output", "input gradient"], mine, theirs):
        assert a.shape == b.shape and a.dtype == b.dtype, what
        np.testing.assert_allclose(a, b, rtol=RTOL[dtype], atol=ATOL[dtype], err_msg=what)


REPRS = ["Upsample(scale_factor=2)", "Upsample(size=(7, 3), mode='bilinear', align_corners=True)",
         "Upsample(scale_factor=(1.5, 2))", "Upsample(size=5, mode='linear')", "UpsamplingNearest2d(size=4)",
         "UpsamplingBilinear2d(scale_factor=2)", "PixelShuffle(3)", "PixelUnshuffle(2)", "MaxUnpool2d(2)",
         "MaxUnpool2d((3, 2), stride=1, padding=(1, 0))", "MaxUnpool1d(3, stride=2, padding=1)"]


@pytest.mark.parametrize("source", REPRS)
def test_repr_is_pytorchs(source: str) -> None:
    assert repr(eval(f"minigrad.nn.{source}")) == repr(eval(f"torch.nn.{source}"))


# ----- nearest: the same input picked for every output --------------------------------------------------------------
def _interpolate_both(x: np.ndarray, **kwargs: Any) -> tuple[np.ndarray, np.ndarray]:
    return tuple(numpy_of(fw.nn.functional.interpolate(fw.tensor(x), **kwargs)) for fw in (minigrad, torch))


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
def test_nearest_picks_pytorchs_inputs_for_every_size(mode: str) -> None:
    """Every input size 1..12 to every output size 1..70 (past 64 along both dims PyTorch's 2-d loop changes), and
    scale factors given (the float 1 / scale then replaces in / out) or recomputed, in float32 and float64."""
    for dtype in ("float32", "float64"):
        for size in range(1, 13):
            x = np.arange(size, dtype=dtype).reshape(1, 1, size)
            for out in range(1, 71):
                mine, theirs = _interpolate_both(x, size=out, mode=mode)
                np.testing.assert_array_equal(mine, theirs, err_msg=f"{size} -> {out}")
                plane = np.arange(size * 3, dtype=dtype).reshape(1, 1, 3, size)
                mine, theirs = _interpolate_both(plane, size=(out, out), mode=mode)
                np.testing.assert_array_equal(mine, theirs, err_msg=f"{size} x {size} -> {out} x {out}")
            for scale in (0.3, 0.5, 0.7, 1.3, 1.5, 1.7, 2.0, 2.5, 3.0, 10 / 3, 7.1, 35.0):
                if int(size * scale) == 0:  # both refuse an output of no positions (see ERRORS)
                    continue
                for recompute in (None, True):
                    mine, theirs = _interpolate_both(x, scale_factor=scale, mode=mode,
                                                     recompute_scale_factor=recompute)
                    np.testing.assert_array_equal(mine, theirs, err_msg=f"{size} x {scale}")


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
@pytest.mark.parametrize("shape", [(2, 3, 5), (2, 3, 4, 5)])
def test_nearest_gradient_adds_onto_the_picked_inputs(mode: str, shape: tuple[int, ...]) -> None:
    """Integer cotangents: every sum is exact, so the gradients must be equal, whatever the order of the adds."""
    x = np.zeros(shape)
    for kwargs in ({"scale_factor": 1.7}, {"size": 3}, {"size": 67}, {"scale_factor": 0.45}):
        grads = []
        for fw in (minigrad, torch):
            leaf = fw.tensor(x, requires_grad=True)
            out = fw.nn.functional.interpolate(leaf, mode=mode, **kwargs)
            out.backward(fw.arange(out.numel(), dtype=fw.float64).reshape(out.shape))
            grads.append(numpy_of(leaf.grad))
        np.testing.assert_array_equal(*grads)


def test_uint8_nearest_as_pytorch() -> None:
    x = np.arange(2 * 3 * 4 * 5, dtype=np.uint8).reshape(2, 3, 4, 5)
    for kwargs in ({"size": (7, 3)}, {"scale_factor": 2.5, "mode": "nearest-exact"}, {"size": (80, 70)}):
        mine, theirs = _interpolate_both(x, **kwargs)
        assert mine.dtype == theirs.dtype == np.uint8
        np.testing.assert_array_equal(mine, theirs)
    mine, theirs = _interpolate_both(x[0], size=9)
    np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize("mode", ["linear", "bilinear"])
def test_linear_over_sizes_and_scales(mode: str) -> None:
    """Linear and bilinear modes over a grid of sizes and given or recomputed scale factors, with and without
    align_corners, to the suite's tolerance (float64)."""
    rng = np.random.default_rng(0)
    for size in (1, 2, 3, 5, 8):
        x = rng.uniform(-2, 2, (1, 2, size) if mode == "linear" else (1, 2, size, size + 1))
        for align in (False, True):
            scales = [{"scale_factor": s, "recompute_scale_factor": r}
                      for s in (0.5, 1.5, 2.0, 3.3) for r in (None, True)]
            for kwargs in [{"size": out} for out in (1, 2, 3, 7, 16)] + scales:
                if int(size * kwargs.get("scale_factor", 1)) == 0:
                    continue
                mine, theirs = _interpolate_both(x, mode=mode, align_corners=align, **kwargs)
                np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-12, err_msg=f"{size} {kwargs}")


# ----- max unpooling: the inverse of the indices max pooling returns ------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("pool", "unpool", "shape", "output_size"), [
    ("MaxPool2d(2, return_indices=True)", "MaxUnpool2d(2)", (2, 3, 4, 6), None),
    ("MaxPool2d(2, return_indices=True)", "MaxUnpool2d(2)", (1, 2, 5, 5), (5, 5)),
    ("MaxPool2d(3, stride=2, padding=1, return_indices=True)", "MaxUnpool2d(3, stride=2, padding=1)", (2, 2, 7, 6),
     "input"),
    ("MaxPool2d((2, 3), stride=1, return_indices=True)", "MaxUnpool2d((2, 3), stride=1)", (3, 5, 6), None),
    ("MaxPool1d(2, return_indices=True)", "MaxUnpool1d(2)", (2, 3, 8), None),
    ("MaxPool1d(3, stride=2, return_indices=True)", "MaxUnpool1d(3, stride=2)", (1, 2, 10), "input"),
    ("MaxPool1d(2, return_indices=True)", "MaxUnpool1d(2)", (3, 7), [7]),
])
def test_max_unpool_inverts_max_pool(pool: str, unpool: str, shape: tuple[int, ...], output_size: Any,
                                     dtype: str, device: str) -> None:
    """Pooled, then unpooled to the input's size (``output_size``: "input" passes x.size() with its batch and
    channel sizes), in both frameworks; the gradient reaches the pooled values (through the unpooling and the
    pooling), non-contiguous pooled inputs included."""
    x = np.random.default_rng(len(pool) + len(shape)).uniform(-2, 2, shape).astype(dtype)
    results = []
    for fw in (minigrad, torch):
        kwargs = {"device": device} if fw is torch else {}
        leaf = fw.tensor(x, requires_grad=True, **kwargs)
        values, indices = eval(f"fw.nn.{pool}")(leaf)
        size = leaf.size() if output_size == "input" else output_size
        out = eval(f"fw.nn.{unpool}")(values.transpose(-1, -2).contiguous().transpose(-1, -2), indices, size)
        cotangent = np.random.default_rng(2).standard_normal(tuple(out.shape)).astype(dtype)
        out.backward(fw.tensor(cotangent, **kwargs))
        name = type(out.grad_fn).__name__ if fw is torch else out.grad_fn.name()
        results.append([name, numpy_of(out), numpy_of(leaf.grad)])
    assert results[0][0] == results[1][0]
    for a, b in zip(results[0][1:], results[1][1:]):
        np.testing.assert_allclose(a, b, rtol=RTOL[dtype], atol=ATOL[dtype])


def test_pixel_shuffle_of_an_empty_batch() -> None:
    """pixel_shuffle's forward as PyTorch's. PyTorch's pixel_unshuffle returns an empty input as it is, shape and
    all (so its pixel_shuffle's backward fails on an empty batch, see op_cases_resize.py); minigrad's gives the
    shape the function promises."""
    shuffle = [tuple(fw.nn.functional.pixel_shuffle(fw.ones(0, 8, 2, 3), 2).shape) for fw in (minigrad, torch)]
    assert shuffle[0] == shuffle[1] == (0, 2, 4, 6)
    assert tuple(minigrad.nn.functional.pixel_unshuffle(minigrad.ones(0, 2, 4, 6), 2).shape) == (0, 8, 2, 3)


def test_grad_fn_names_are_pytorchs() -> None:
    def names(fw: Any) -> list[str]:
        f = fw.nn.functional
        x3, x4 = fw.ones(1, 4, 6, requires_grad=True), fw.ones(1, 4, 6, 6, requires_grad=True)
        outs = [f.interpolate(x3, scale_factor=2), f.interpolate(x4, size=3), f.interpolate(x3, size=4, mode="linear"),
                f.interpolate(x4, size=9, mode="bilinear"), f.interpolate(x3, size=5, mode="nearest-exact"),
                f.interpolate(x4, size=5, mode="nearest-exact"), f.interpolate(x4, size=2, mode="area"),
                f.pixel_shuffle(x4, 2), f.pixel_unshuffle(x4, 3)]
        return [type(o.grad_fn).__name__ if fw is torch else o.grad_fn.name() for o in outs]

    assert names(minigrad) == names(torch)


# ----- errors: PyTorch's types and texts -------------------------------------------------------------------------
def _call(name: str, shape: tuple[int, ...], *args: Any, dtype: str = "float32", **kwargs: Any) -> Any:
    def run(fw: Any) -> Any:
        return getattr(fw.nn.functional, name)(fw.ones(*shape, dtype=getattr(fw, dtype)), *args, **kwargs)

    return run


def _unpool(name: str, shape: tuple[int, ...], *args: Any, index: Any = None, **kwargs: Any) -> Any:
    """max_unpool of ones whose indices are ``index`` (default: each position's own flat index times 2, valid for
    windows of 2 along the last dim)."""
    def run(fw: Any) -> Any:
        values = fw.ones(*shape)
        indices = fw.arange(values.numel()).reshape(shape) * 2 % (shape[-1] * 2) if index is None else index(fw)
        return getattr(fw.nn.functional, name)(values, indices, *args, **kwargs)

    return run


ERRORS = [
    _call("interpolate", (2, 3, 5), size=0),
    _call("interpolate", (2, 3, 5), size=0, mode="linear"),
    _call("interpolate", (2, 3, 4, 5), size=(0, 2)),
    _call("interpolate", (2, 3, 4, 5), size=(2, -1), mode="bilinear"),
    _call("interpolate", (2, 3, 5), scale_factor=-1.0),
    _call("interpolate", (2, 3, 5), scale_factor=0.1),
    _call("interpolate", (2, 3, 5), mode="linear"),
    _call("interpolate", (2, 3, 5), size=2, scale_factor=2.0),
    _call("interpolate", (2, 3, 5), size=2, align_corners=True),
    _call("interpolate", (2, 3, 5), size=2, mode="nearest-exact", align_corners=False),
    _call("interpolate", (2, 3, 5), size=(2, 3)),
    _call("interpolate", (2, 3, 5), scale_factor=(2.0, 3.0)),
    _call("interpolate", (2, 3, 5), size=[2.5]),
    _call("interpolate", (2, 3, 5), size=3, recompute_scale_factor=True),
    _call("interpolate", (2, 3, 5), size=3, mode="bilinear"),
    _call("interpolate", (2, 3, 4, 5), size=3, mode="linear"),
    _call("interpolate", (2, 3, 4, 5), size=3, mode="trilinear"),
    _call("interpolate", (2, 3, 4, 5), size=3, mode="foo"),
    _call("interpolate", (4, 5), size=3),
    _call("interpolate", (3, 4, 5), size=3, mode="bilinear"),
    _call("interpolate", (2, 3, 4, 5), size=3, antialias=True),
    _call("interpolate", (2, 0, 5), size=3),
    _call("interpolate", (2, 0, 4, 4), size=3, mode="bilinear"),
    _call("interpolate", (2, 1, 0, 4), size=3, mode="bilinear"),
    _call("interpolate", (2, 3, 4, 4), size=3, dtype="int64"),
    _call("interpolate", (2, 3, 4, 4), size=70, dtype="int64"),
    _call("interpolate", (2, 3, 4, 4), size=3, dtype="bool", mode="nearest-exact"),
    _call("interpolate", (2, 3, 4, 4), size=3, dtype="int32", mode="bilinear"),
    _call("interpolate", (2, 2, 4, 4), size=70, dtype="int64", mode="bilinear"),
    _call("interpolate", (2, 3, 4), size=3, dtype="int64"),
    _call("interpolate", (2, 3, 4), size=3, dtype="uint8", mode="linear"),
    _call("upsample", (2, 3, 5), size=2, align_corners=True),
    _call("pixel_shuffle", (2, 8, 3, 3), 3),
    _call("pixel_shuffle", (2, 8, 3, 3), 0),
    _call("pixel_shuffle", (2, 8, 3, 3), -2),
    _call("pixel_shuffle", (8, 3), 2),
    _call("pixel_shuffle", (2, 8, 3, 3), 2.0),
    _call("pixel_unshuffle", (2, 8, 3, 3), 2),
    _call("pixel_unshuffle", (1, 1, 4, 3), 2),
    _call("pixel_unshuffle", (2, 8, 3, 3), 0),
    _call("pixel_unshuffle", (8, 3), 1),
    _unpool("max_unpool2d", (1, 2, 2, 2), 2, index=lambda fw: fw.zeros(1, 2, 2, 2, dtype=fw.int32)),
    _unpool("max_unpool2d", (1, 2, 2, 2), 2, index=lambda fw: fw.zeros(2, 2, 2, dtype=fw.int64)),
    _unpool("max_unpool2d", (2, 2), 2),
    _unpool("max_unpool2d", (1, 2, 2, 2), 2, output_size=(6, 5)),
    _unpool("max_unpool2d", (1, 2, 2, 2), 2, output_size=(5,)),
    _unpool("max_unpool2d", (1, 2, 2, 2), 2, output_size=[1, 2, 9, 4]),
    _unpool("max_unpool2d", (1, 2, 2, 2), 2, stride=1, index=lambda fw: fw.full((1, 2, 2, 2), 14)),
    _unpool("max_unpool2d", (1, 2, 2, 2), 2, index=lambda fw: fw.full((1, 2, 2, 2), -6)),
    _unpool("max_unpool2d", (1, 2, 2, 2), (2, 2, 2)),
    _unpool("max_unpool2d", (1, 0, 2, 2), 2),
    _unpool("max_unpool1d", (1, 2, 3), 2, index=lambda fw: fw.full((1, 2, 3), 24)),
    _unpool("max_unpool1d", (1, 2, 3), 2, output_size=(9,)),
    _unpool("max_unpool1d", (1, 2, 3), 2, output_size=7),
    _unpool("max_unpool1d", (3,), 2),
    _unpool("max_unpool1d", (1, 0, 3), 2),
    _unpool("max_unpool1d", (1, 2, 3), 2, index=lambda fw: fw.zeros(1, 2, 2, dtype=fw.int64)),
]


@pytest.mark.parametrize("call", ERRORS, ids=range(len(ERRORS)))
def test_errors_are_pytorchs(call: Any) -> None:
    assert_same_error(call)


def test_dtype_errors_of_max_unpool_are_pytorchs() -> None:
    for dtype in ("int64", "int32", "int16", "int8", "uint8", "bool"):
        assert_same_error(lambda fw, d=dtype: fw.nn.functional.max_unpool2d(
            fw.ones(1, 2, 2, 2, dtype=getattr(fw, d)), fw.zeros(1, 2, 2, 2, dtype=fw.int64), 2))


def test_errors_change_nothing() -> None:
    """A refused call leaves its input as it was and records nothing."""
    x = minigrad.ones(1, 2, 3, 3, requires_grad=True)
    with pytest.raises(RuntimeError):
        minigrad.nn.functional.interpolate(x, size=(0, 3))
    assert x.grad is None and bool((x == 1).all())


def test_modes_minigrad_lacks_say_so() -> None:
    """PyTorch's other kernels (3-d volumes, bicubic, lanczos, antialiasing, uint8 bilinear) are refused in words."""
    f = minigrad.nn.functional
    for call in (lambda: f.interpolate(minigrad.ones(1, 1, 2, 2, 2), size=3),
                 lambda: f.interpolate(minigrad.ones(1, 1, 2, 2), size=3, mode="bicubic"),
                 lambda: f.interpolate(minigrad.ones(1, 1, 2, 2), size=3, mode="bilinear", antialias=True),
                 lambda: f.interpolate(minigrad.ones(1, 1, 2, 2, dtype=minigrad.uint8), size=3, mode="bilinear")):
        with pytest.raises(NotImplementedError, match="minigrad"):
            call()


# ----- minigrad.hub and minigrad.utils.model_zoo: local files only ----------------------------------------------
def test_load_state_dict_from_url_loads_a_local_file(tmp_path: Path) -> None:
    state = minigrad.nn.Linear(3, 2).state_dict()
    path = tmp_path / "weights.mg"
    minigrad.save(state, path)
    for url in (str(path), path.as_uri()):
        for load in (minigrad.hub.load_state_dict_from_url, minigrad.utils.model_zoo.load_url):
            loaded = load(url, map_location="cpu")
            assert list(loaded) == list(state)
            for name in state:
                np.testing.assert_array_equal(loaded[name].numpy(), state[name].numpy())


@pytest.mark.parametrize("url", ["https://download.pytorch.org/models/resnet18-f37072fd.pth",
                                 "http://example.com/w.pth", "s3://bucket/w.pth"])
def test_load_state_dict_from_url_refuses_to_download(url: str) -> None:
    with pytest.raises(RuntimeError, match="minigrad downloads nothing") as raised:
        minigrad.hub.load_state_dict_from_url(url)
    assert url in str(raised.value) and "minigrad.load" in str(raised.value)
    with pytest.raises(RuntimeError, match="download the file yourself"):
        minigrad.utils.model_zoo.load_url(url, model_dir="/tmp", progress=False)


def test_hub_signatures_are_pytorchs() -> None:
    import inspect

    import torch.hub
    import torch.utils.model_zoo

    def parameters(fn: Any) -> list[tuple[str, Any]]:
        return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]

    assert parameters(minigrad.hub.load_state_dict_from_url) == parameters(torch.hub.load_state_dict_from_url)
    assert parameters(minigrad.utils.model_zoo.load_url) == parameters(torch.utils.model_zoo.load_url)
