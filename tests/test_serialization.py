"""minigrad.serialization: round trips, state dicts to and from torch, and files that must be refused unread."""

from __future__ import annotations

import ast
import io
import json
import math
import pickle
import struct
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
import minigrad.nn as nn
import minigrad.optim as optim
from minigrad import serialization
from minigrad.serialization import load, save
from reference import convert
from reference.convert import from_torch_state_dict, load_from_torch, save_for_torch, to_torch_state_dict

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]
SHAPES = [(), (0,), (5,), (2, 0, 3), (3, 4), (2, 3, 2)]


def to_bytes(obj: Any) -> bytes:
    buffer = io.BytesIO()
    save(obj, buffer)
    return buffer.getvalue()


def from_bytes(content: bytes) -> Any:
    return load(io.BytesIO(content))


def sample(dtype: str, shape: tuple[int, ...], seed: int = 0) -> minigrad.Tensor:
    """A tensor of ``dtype`` with awkward values: nan, infinities, -0.0, subnormals, integer extremes."""
    rng = np.random.default_rng(seed)
    np_dtype = np.dtype(dtype)
    if np_dtype.kind == "f":
        special = np.array([np.nan, np.inf, -np.inf, -0.0, np.finfo(np_dtype).smallest_subnormal], np_dtype)
        values = rng.standard_normal(shape).astype(np_dtype)
    elif np_dtype.kind == "b":
        special = np.array([True, False])
        values = rng.integers(0, 2, shape).astype(bool)
    else:
        special = np.array([np.iinfo(np_dtype).min, np.iinfo(np_dtype).max, 0], np_dtype)
        values = rng.integers(np.iinfo(np_dtype).min, np.iinfo(np_dtype).max, shape, dtype=np_dtype, endpoint=True)
    flat = values.reshape(-1)
    flat[: min(flat.size, special.size)] = special[: flat.size]
    return minigrad.from_numpy(values)


def assert_same(actual: Any, expected: Any, where: str = "obj") -> None:
    """Same structure, container types, key order, dtypes, shapes, bits and requires_grad."""
    assert type(actual) is type(expected) or (isinstance(expected, minigrad.Tensor)
                                              and type(actual) is minigrad.Tensor), where
    if isinstance(expected, minigrad.Tensor):
        assert (actual.dtype, actual.shape, actual.requires_grad) == (
            expected.dtype, expected.shape, expected.requires_grad), where
        assert actual._data.tobytes() == np.ascontiguousarray(expected._data).tobytes(), where
    elif isinstance(expected, dict):
        assert list(actual) == list(expected), where
        for key in expected:
            assert_same(actual[key], expected[key], f"{where}[{key!r}]")
    elif isinstance(expected, (list, tuple)):
        assert len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same(a, e, f"{where}[{i}]")
    elif isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(actual), where
    else:
        assert actual == expected and repr(actual) == repr(expected), where  # repr tells -0.0 from 0.0


def trained_adam() -> tuple[nn.Module, optim.Optimizer]:
    minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    optimizer = optim.Adam(model.parameters(), lr=0.01, betas=(0.8, 0.99))
    for _ in range(3):
        optimizer.zero_grad()
        model(minigrad.randn(5, 3)).pow(2).mean().backward()
        optimizer.step()
    return model, optimizer


# ----- round trips ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_tensor_round_trip(dtype: str, shape: tuple[int, ...]) -> None:
    x = sample(dtype, shape)
    assert_same(from_bytes(to_bytes(x)), x)


def test_views_are_saved_in_c_order_and_only_their_elements() -> None:
    base = minigrad.arange(24, dtype=minigrad.float64).reshape(2, 3, 4)
    for view in (base.transpose(0, 2), base[:, ::2, 1:], base.permute(1, 2, 0)[1], base[1].t()):
        assert not view.is_contiguous()
        content = to_bytes(view)
        (header_length,) = struct.unpack_from("<Q", content, 16)
        assert content[24 + header_length:] == np.ascontiguousarray(view._data).tobytes()  # not base's storage
        loaded = from_bytes(content)
        assert loaded.is_contiguous() and np.array_equal(loaded._data, view._data)


def test_loaded_tensors_own_writable_memory() -> None:
    content = to_bytes({"a": minigrad.ones(3), "b": minigrad.ones(3)})
    first, second = from_bytes(content), from_bytes(content)
    assert all(t._data.flags.owndata and t._data.flags.writeable for t in first.values())
    first["a"].add_(1)
    assert np.array_equal(second["a"]._data, np.ones(3, np.float32)) and np.array_equal(first["b"]._data, np.ones(3))


def test_requires_grad_is_kept_and_a_parameter_loads_as_a_leaf_tensor() -> None:
    w = minigrad.randn(2, requires_grad=True)
    loaded = from_bytes(to_bytes({"w": w, "y": w * 2, "p": nn.Parameter(minigrad.ones(1))}))
    assert all(t.requires_grad and t.is_leaf and type(t) is minigrad.Tensor for t in loaded.values())
    assert np.array_equal(loaded["y"]._data, w._data * 2)


def test_module_state_dict_round_trip_and_load_state_dict() -> None:
    model, _ = trained_adam()
    state = model.state_dict()
    loaded = from_bytes(to_bytes(state))
    assert type(loaded) is OrderedDict and list(loaded) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert_same(loaded, state)
    fresh = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    fresh.load_state_dict(loaded)
    for (name, a), b in zip(fresh.named_parameters(), model.parameters()):
        assert np.array_equal(a._data, b._data), name


def test_nested_containers_and_plain_values() -> None:
    obj = {
        "model": OrderedDict([("z", minigrad.zeros(2)), ("a", minigrad.tensor(3))]),
        7: [minigrad.tensor([True]), (1, 2.5, None, "é", True)],
        "floats": [math.nan, math.inf, -math.inf, -0.0, 1e-308, 0.1],
        "ints": [0, -1, 2**70],
        "empty": [{}, OrderedDict(), [], ()],
    }
    assert_same(from_bytes(to_bytes(obj)), obj)


def test_optimizer_state_dict_round_trips_as_torch_pickle_does() -> None:
    model, optimizer = trained_adam()
    state = optimizer.state_dict()
    loaded = from_bytes(to_bytes(state))
    assert_same(loaded, state)
    # torch.save/torch.load of torch's Adam state dict gives these same types: int keys, a tuple of betas, ints.
    model_t = torch.nn.Linear(3, 4)
    buffer = io.BytesIO()
    torch.save(torch.optim.Adam(model_t.parameters(), betas=(0.8, 0.99)).state_dict(), buffer)
    buffer.seek(0)
    group_t = torch.load(buffer, weights_only=True)["param_groups"][0]
    assert {k: type(v) for k, v in loaded["param_groups"][0].items()} == {k: type(v) for k, v in group_t.items()}
    # A fresh optimizer loaded from the file steps exactly as the original does.
    twin = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    twin.load_state_dict(from_bytes(to_bytes(model.state_dict())))
    twin_optimizer = optim.Adam(twin.parameters())
    twin_optimizer.load_state_dict(loaded)
    x = minigrad.randn(5, 3)
    for m, o in ((model, optimizer), (twin, twin_optimizer)):
        o.zero_grad()
        m(x).pow(2).mean().backward()
        o.step()
    for a, b in zip(twin.parameters(), model.parameters()):
        assert np.array_equal(a._data, b._data)


def test_paths_and_file_objects(tmp_path: Path) -> None:
    x = sample("float64", (3, 2))
    for target in (str(tmp_path / "a.mg"), tmp_path / "b.mg"):
        save(x, target)
        assert_same(load(target), x)
    with open(tmp_path / "c.mg", "wb") as f:
        f.write(b"a preamble")
        save(x, f)
    with open(tmp_path / "c.mg", "rb") as f:
        f.seek(len(b"a preamble"))  # load reads from the file's position to its end
        assert_same(load(f), x)


def test_map_location_and_weights_only() -> None:
    content = to_bytes(minigrad.ones(2))
    for where in (None, "cpu", minigrad.device("cpu"), torch.device("cpu")):
        assert_same(load(io.BytesIO(content), map_location=where, weights_only=False), minigrad.ones(2))
    for where in ("cuda", "cuda:0", {"cuda:0": "cpu"}, lambda storage, loc: storage):
        with pytest.raises(ValueError, match="CPU only"):
            load(io.BytesIO(content), map_location=where)


@pytest.mark.parametrize(("obj", "imports"), [
    ({"a": np.float32(1.0)}, True), ({"a": [np.int64(1)]}, True), ([minigrad.ones(1), np.ones(2)], True),
    ({(1, 2): minigrad.ones(1)}, True), ({True: 1}, False), ({1.5: 1}, False),
], ids=["numpy float32", "numpy int64", "numpy array", "tuple key", "bool key", "float key"])
def test_other_objects_are_pickled_and_loaded_only_when_asked(tmp_path: Path, obj: Any, imports: bool) -> None:
    """What the data format cannot hold is pickled, as torch.save pickles everything: load refuses a pickle that
    imports anything (a class, a function) by default (PyTorch 2.6's weights_only=True) and gives it back with
    weights_only=False; plain values under keys the format lacks import nothing, and load by default."""
    save(obj, tmp_path / "x.mg")
    assert (tmp_path / "x.mg").read_bytes().startswith(serialization.PICKLE_MAGIC)
    if imports:
        with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
            load(tmp_path / "x.mg")
    else:
        assert repr(load(tmp_path / "x.mg")) == repr(obj)
    assert repr(load(tmp_path / "x.mg", weights_only=False)) == repr(obj)


def test_an_unpicklable_object_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises((pickle.PicklingError, AttributeError)):  # (pickle's errors, as torch.save's)
        save({"f": lambda: None}, tmp_path / "x.mg")
    assert not (tmp_path / "x.mg").exists()


def test_a_whole_model_saves_and_loads_as_pytorchs(tmp_path: Path) -> None:
    """PyTorch's tutorial's "save/load entire model": torch.save(model, PATH); torch.load(PATH) refuses it (PyTorch's
    error, naming the model's class), torch.load(PATH, weights_only=False) gives it back, computing as before."""
    found = []
    for fw in (torch, minigrad):
        fw.manual_seed(0)
        model = fw.nn.Sequential(fw.nn.Linear(3, 4), fw.nn.ReLU(), fw.nn.Linear(4, 1))
        path = tmp_path / f"{fw.__name__}.pth"
        fw.save(model, path)
        with pytest.raises(pickle.UnpicklingError) as refused:
            fw.load(path)
        loaded = fw.load(path, weights_only=False)
        found.append((str(refused.value), repr(loaded), loaded(fw.ones(2, 3)).detach().numpy(),
                      [type(p).__name__ for p in loaded.parameters()]))
    (their_error, *theirs), (our_error, *ours) = found
    prefix = their_error.split("GLOBAL ")[0]
    assert our_error.startswith(prefix) and our_error.endswith(
        "GLOBAL minigrad.nn.container.Sequential was not an allowed global by default.")
    assert ours[0] == theirs[0] and ours[2] == theirs[2]
    np.testing.assert_array_equal(ours[1], theirs[1])


def test_save_refuses_a_container_that_contains_itself() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="contain itself"):
        to_bytes(loop)


def test_header_is_documented_json_and_data_is_aligned() -> None:
    content = to_bytes(OrderedDict([("w", minigrad.tensor([[1.0, 2.0]])), ("n", minigrad.tensor(3))]))
    magic, version, crc, length = struct.unpack_from("<8sIIQ", content)
    header = content[24:24 + length]
    assert (magic, version, crc) == (b"MINIGRAD", 1, zlib.crc32(header)) and (24 + length) % 8 == 0
    assert json.loads(header) == {"root": {"OrderedDict": [
        ["w", {"tensor": {"dtype": "float32", "shape": [1, 2], "data_offsets": [0, 8],
                          "crc32": zlib.crc32(np.array([1, 2], "<f4").tobytes()), "requires_grad": False}}],
        ["n", {"tensor": {"dtype": "int64", "shape": [], "data_offsets": [8, 16],
                          "crc32": zlib.crc32(np.array(3, "<i8").tobytes()), "requires_grad": False}}],
    ]}}
    assert content[24 + length:] == np.array([1, 2], "<f4").tobytes() + np.array(3, "<i8").tobytes()


# ----- torch interchange -----------------------------------------------------------------------------------
def test_minigrad_file_to_torch_linear_and_back() -> None:
    minigrad.manual_seed(3)
    model = nn.Linear(4, 2)
    state = load(io.BytesIO(to_bytes(model.state_dict())))
    model_t = torch.nn.Linear(4, 2)
    model_t.load_state_dict(to_torch_state_dict(state))
    assert np.array_equal(model_t.weight.detach().numpy(), model.weight._data)
    assert np.array_equal(model_t.bias.detach().numpy(), model.bias._data)
    back = from_torch_state_dict(model_t.state_dict())
    assert_same(back, model.state_dict())
    fresh = nn.Linear(4, 2)
    fresh.load_state_dict(back)
    assert np.array_equal(fresh.weight._data, model.weight._data) and np.array_equal(fresh.bias._data, model.bias._data)


@pytest.mark.parametrize("dtype", DTYPES)
def test_conversion_keeps_dtype_shape_bits_and_order(dtype: str) -> None:
    state = OrderedDict((f"k{i}", sample(dtype, shape, seed=i)) for i, shape in enumerate(SHAPES))
    state["view"] = sample(dtype, (4, 3)).t()
    torch_state = to_torch_state_dict(state)
    assert list(torch_state) == list(state)
    for key, value in state.items():
        assert torch_state[key].dtype == getattr(torch, dtype) and torch_state[key].shape == value.shape
        assert torch_state[key].numpy().tobytes() == np.ascontiguousarray(value._data).tobytes()
    assert_same(from_torch_state_dict(torch_state), state)


def test_conversion_refuses_dtypes_minigrad_lacks() -> None:
    with pytest.raises(TypeError, match=r"minigrad has no dtype for torch.bfloat16"):
        from_torch_state_dict({"w": torch.ones(2, dtype=torch.bfloat16)})


def test_optimizer_state_converts_both_ways() -> None:
    model, optimizer = trained_adam()
    model_t = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    model_t.load_state_dict(to_torch_state_dict(model.state_dict()))
    optimizer_t = torch.optim.Adam(model_t.parameters())
    optimizer_t.load_state_dict(to_torch_state_dict(optimizer.state_dict()))
    back = convert.from_torch(optimizer_t.state_dict())
    assert_same(back["state"], optimizer.state_dict()["state"])
    assert back["param_groups"][0]["betas"] == (0.8, 0.99)


def test_save_for_torch_and_load_from_torch(tmp_path: Path) -> None:
    model, _ = trained_adam()
    save_for_torch(model.state_dict(), tmp_path / "model.pt")
    model_t = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    model_t.load_state_dict(torch.load(tmp_path / "model.pt", weights_only=True))
    torch.save(model_t.state_dict(), tmp_path / "back.pt")
    assert_same(load_from_torch(tmp_path / "back.pt"), model.state_dict())


def test_the_conversion_docstring_example_runs() -> None:
    lines = [line[4:] for line in convert.__doc__.splitlines() if line.startswith("    ")]
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), namespace)  # the example ends with both models holding the same values
    assert np.array_equal(namespace["model"].weight._data, namespace["model_t"].weight.detach().numpy())


# ----- files that must be refused ---------------------------------------------------------------------------
F32 = np.array([1.5, -2.0], "<f4").tobytes()


def forge(header: Any = None, data: bytes = b"", *, raw: bytes | None = None, version: int = 1,
          crc: int | None = None, length: int | None = None) -> bytes:
    """A file with this header (JSON-encoded, or ``raw`` bytes) and data; the prefix fields are right unless given."""
    raw = json.dumps(header).encode() if raw is None else raw
    crc = zlib.crc32(raw) if crc is None else crc
    return struct.pack("<8sIIQ", b"MINIGRAD", version, crc, len(raw) if length is None else length) + raw + data


def entry(data: bytes = F32, dtype: str = "float32", shape: Any = (2,), begin: int = 0, end: int | None = None,
          **fields: Any) -> dict[str, Any]:
    """A tensor node for ``data``, right unless told otherwise."""
    spec = {"dtype": dtype, "shape": list(shape), "data_offsets": [begin, begin + len(data) if end is None else end],
            "crc32": zlib.crc32(data), "requires_grad": False}
    return {"tensor": {k: v for k, v in {**spec, **fields}.items() if v is not None}}


def nest(depth: int) -> Any:
    node: Any = 1
    for _ in range(depth):
        node = {"list": [node]}
    return node


GOOD = to_bytes({"w": minigrad.tensor([1.5, -2.0])})
HOSTILE = {
    "empty": (b"", "the file is empty"),
    "magic cut short": (b"MINI", "truncated: 4 bytes"),
    "prefix cut short": (GOOD[:20], "truncated: 20 bytes"),
    "pickle": (pickle.dumps({"w": [1.5, -2.0]}), "looks like a pickle, which minigrad refuses to load because"),
    "zip": (b"PK\x03\x04" + bytes(40), "looks like a zip archive, as torch.save writes"),
    "npy": (b"\x93NUMPY\x01\x00", "not a minigrad file: it starts with"),
    "version": (forge({"root": 1}, version=2), "unsupported minigrad file version 2"),
    "header CRC": (forge({"root": 1}, crc=12345), "header is corrupted"),
    "oversized header": (forge({"root": 1}, length=2**40), "header length is 1099511627776 bytes, more than"),
    "header past the end": (forge({"root": 1}, length=100), "truncated: its header should be 100 bytes"),
    "not JSON": (forge(raw=b"{root: 1}"), "not well-formed JSON"),
    "not UTF-8": (forge(raw=b'{"root": "\xff"}'), "not well-formed JSON"),
    "NaN": (forge(raw=b'{"root": NaN}'), "not well-formed JSON: NaN"),
    "5000-digit int": (forge(raw=b'{"root": ' + b"1" * 5000 + b"}"), "not well-formed JSON"),
    "deep JSON": (forge(raw=b'{"root": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"), "not well-formed JSON"),
    "deep nodes": (forge({"root": nest(150)}), "nested more than 100 deep"),
    "no root": (forge({"model": 1}), 'exactly one key, "root"'),
    "a list": (forge([1]), 'exactly one key, "root"'),
    "unknown node": (forge({"root": {"set": [1]}}), "unknown node"),
    "two-key node": (forge({"root": {"list": [], "tuple": []}}), "an object with one key"),
    "duplicate key": (forge({"root": {"dict": [["a", 1], ["a", 2]]}}), "the key 'a' appears twice"),
    "bool key": (forge({"root": {"dict": [[True, 1]]}}), "with a str or int key"),
    "bad dict item": (forge({"root": {"dict": [["a"]]}}), "must be \\[key, node\\]"),
    "unknown dtype": (forge({"root": entry(dtype="bfloat16")}, F32), "unknown dtype \"bfloat16\""),
    "missing field": (forge({"root": entry(crc32=None)}, F32), "needs exactly the fields"),
    "extra field": (forge({"root": entry(byteorder="big")}, F32), "needs exactly the fields"),
    "lying shape": (forge({"root": entry(shape=(3,))}, F32), "the shape \\[3\\] of float32 needs 12 bytes"),
    "lying shape and offsets": (forge({"root": entry(shape=(3,), end=12)}, F32), "truncated: obj ends at byte 12"),
    "negative dim": (forge({"root": entry(shape=(-1, -2))}, F32), "non-negative ints"),
    "bool dim": (forge({"root": entry(shape=(True, 2))}, F32), "non-negative ints"),
    "float dim": (forge({"root": entry(shape=(2.0,))}, F32), "non-negative ints"),
    "65 dims": (forge({"root": entry(shape=(1,) * 65)}, F32), "at most 64"),
    "huge dims": (forge({"root": entry(shape=(2**62, 0, 2**62))}, b""), "too large for any array"),
    "huge dim, offsets agree": (forge({"root": entry(shape=(2**40,), end=2**42)}, F32), "truncated"),
    "bad offsets": (forge({"root": entry(data_offsets=[0])}, F32), "data_offsets must be \\[begin, end\\]"),
    "overlap": (forge({"root": {"list": [entry(), entry()]}}, F32), "previous tensor's ends at 8"),
    "gap": (forge({"root": entry(begin=8)}, F32 + F32), "begins at byte 8 of the data section"),
    "truncated data": (forge({"root": entry()}, F32[:5]), "truncated: obj ends at byte 8"),
    "trailing garbage": (forge({"root": entry()}, F32 + b"\x00"), "1 unexpected bytes after the last tensor"),
    "corrupted data": (forge({"root": entry()}, F32[:7] + b"\x01"), "data is corrupted"),
    "bool byte 2": (forge({"root": entry(b"\x02", dtype="bool", shape=(1,))}, b"\x02"), "must be 0 or 1"),
    "int requires grad": (forge({"root": entry(np.ones(2, "<i8").tobytes(), dtype="int64", requires_grad=True)},
                                np.ones(2, "<i8").tobytes()), "int64 tensor can't require grad"),
    "bad requires_grad": (forge({"root": entry(requires_grad=1)}, F32), "requires_grad a bool"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_raise_a_clear_error(name: str, tmp_path: Path) -> None:
    content, message = HOSTILE[name]
    with pytest.raises(ValueError, match=message):
        from_bytes(content)
    (tmp_path / "f").write_bytes(content)
    with pytest.raises(ValueError, match=message):
        load(tmp_path / "f")


def test_forged_files_are_well_formed_when_untouched() -> None:
    """The hostile cases differ from a good file only where they say: forge and entry make loadable files."""
    assert_same(from_bytes(forge({"root": entry()}, F32)), minigrad.tensor([1.5, -2.0]))
    assert_same(from_bytes(GOOD), {"w": minigrad.tensor([1.5, -2.0])})


def test_a_file_from_torch_save_is_refused_with_the_way_to_convert_it() -> None:
    buffer = io.BytesIO()
    torch.save(torch.nn.Linear(2, 1).state_dict(), buffer)
    with pytest.raises(ValueError, match="from_torch_state_dict"):
        from_bytes(buffer.getvalue())


def test_a_text_mode_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(GOOD)
    with open(tmp_path / "f", encoding="latin-1") as f, pytest.raises(ValueError, match="binary mode"):
        load(f)  # type: ignore[arg-type]


class _Payload:
    """Unpickling this creates ``marker``: the harmless stand-in for code a hostile file would run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return Path.touch, (self.marker,)


def test_a_pickle_payload_is_never_executed(tmp_path: Path) -> None:
    payload = pickle.dumps({"weight": _Payload(tmp_path / "ran")})
    pickle.loads(pickle.dumps(_Payload(tmp_path / "live")))
    assert (tmp_path / "live").exists()  # the payload works when unpickled
    (tmp_path / "model.pt").write_bytes(payload)
    with pytest.raises(ValueError, match="unpickling can execute code"):
        load(tmp_path / "model.pt")
    with pytest.raises(ValueError, match="unpickling can execute code"):
        load(io.BytesIO(payload), weights_only=False)
    assert not (tmp_path / "ran").exists()


def test_minigrad_serialization_never_imports_torch() -> None:
    tree = ast.parse(Path(serialization.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])}
    assert not imported & {"torch", "marshal", "shelve", "dill"}


def test_load_never_unpickles_unless_told(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With weights_only=True (the default), no file makes load unpickle: a data file is parsed, a pickled one refused
    before a byte of it is unpickled."""
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("load unpickled")

    save(nn.Linear(2, 1), tmp_path / "model.mg")
    save(nn.Linear(2, 1).state_dict(), tmp_path / "state.mg")
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    assert list(load(tmp_path / "state.mg")) == ["weight", "bias"]
    with pytest.raises(pickle.UnpicklingError):
        load(tmp_path / "model.mg")


def test_a_bad_file_leaves_the_model_unchanged() -> None:
    model, _ = trained_adam()
    before = {k: v._data.copy() for k, v in model.state_dict().items()}
    other = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    content = to_bytes(other.state_dict())
    for bad in (content[:-1], content[:-4] + bytes(4), content + b"\x00"):
        with pytest.raises(ValueError):
            model.load_state_dict(from_bytes(bad))
        for key, value in model.state_dict().items():
            assert np.array_equal(value._data, before[key]), key


# ----- random damage -----------------------------------------------------------------------------------------
ORIGINAL = {
    "model": OrderedDict([("w", sample("float32", (3, 2))), ("b", sample("float64", (2,)))]),
    "steps": minigrad.tensor(7), "mask": sample("bool", (4,)), "ids": sample("int32", (2, 2)),
    "bytes": sample("uint8", (0, 3)), "groups": [{"lr": 0.1, "betas": (0.9, 0.999), "params": [0, 1]}],
}
VALID = to_bytes(ORIGINAL)


def _load_damaged(content: bytes) -> None:
    """Load a damaged copy of VALID: a ValueError, or (only if no byte changed) the original object."""
    try:
        result = from_bytes(content)
    except ValueError:
        return
    assert content == VALID, "a damaged file loaded without an error"
    assert_same(result, ORIGINAL)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=4))
def test_random_byte_changes_are_caught(changes: list[tuple[int, int]]) -> None:
    content = bytearray(VALID)
    for position, value in changes:
        content[position] = value
    _load_damaged(bytes(content))


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.integers(0, len(VALID) - 1), st.binary(max_size=16))
def test_truncations_and_appended_bytes_are_caught(cut: int, tail: bytes) -> None:
    _load_damaged(VALID[:cut])
    _load_damaged(VALID + tail)


def _well_formed(obj: Any) -> bool:
    """Whether ``obj`` is made only of what a minigrad file can hold, tensors owning well-formed arrays."""
    if isinstance(obj, minigrad.Tensor):
        return (obj._data.dtype.name in DTYPES and obj._data.flags.owndata and obj._data.flags.writeable
                and obj.is_leaf and (obj.dtype.is_floating_point or not obj.requires_grad))
    if isinstance(obj, dict):
        return type(obj) in (dict, OrderedDict) and all(
            type(k) in (str, int) and _well_formed(v) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj) in (list, tuple) and all(_well_formed(item) for item in obj)
    return obj is None or type(obj) in (bool, int, float, str)


def _load_forged(content: bytes) -> None:
    """Load a file whose checksums a forger made right: a ValueError, or a well-formed object."""
    try:
        result = from_bytes(content)
    except ValueError:
        return
    assert _well_formed(result)


HEADER_LENGTH = struct.unpack_from("<Q", VALID, 16)[0]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.integers(0, HEADER_LENGTH - 1), st.integers(0, 255)), min_size=1, max_size=3))
def test_changed_headers_with_a_forged_checksum_are_caught_or_harmless(changes: list[tuple[int, int]]) -> None:
    header = bytearray(VALID[24:24 + HEADER_LENGTH])
    for position, value in changes:
        header[position] = value
    _load_forged(forge(data=VALID[24 + HEADER_LENGTH:], raw=bytes(header)))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 2**64) | st.floats() | st.sampled_from(
        ["tensor", "list", "tuple", "dict", "OrderedDict", "float", "nan", "float32", "bool", "int64"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
        ["root", "tensor", "list", "dict", "dtype", "shape", "data_offsets", "crc32", "requires_grad"]), inner,
        max_size=5),
    max_leaves=12,
)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(JSON_VALUES, st.binary(max_size=24))
def test_arbitrary_headers_are_caught_or_harmless(header: Any, data: bytes) -> None:
    _load_forged(forge(data=data, raw=json.dumps({"root": header}).encode()))


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_an_interrupted_save_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     interruption: type[BaseException]) -> None:
    target = tmp_path / "model.mg"
    save({"w": minigrad.ones(3)}, target)
    before = target.read_bytes()
    real_write = serialization._write

    def write_half_then_fail(file: Any, chunks: list[bytes]) -> None:
        real_write(file, chunks[: len(chunks) // 2])
        raise interruption("interrupted half way")

    monkeypatch.setattr(serialization, "_write", write_half_then_fail)
    with pytest.raises(interruption):
        save({"w": minigrad.zeros(1000), "b": minigrad.zeros(5), "c": minigrad.zeros(7)}, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.mg"]  # no temporary file left behind
    monkeypatch.undo()
    save({"w": minigrad.full((2,), 5.0)}, target)
    assert load(target)["w"].tolist() == [5.0, 5.0]
    assert [p.name for p in tmp_path.iterdir()] == ["model.mg"]
