"""``save`` and ``load``: tensors and state dicts in a file format that cannot run code when it is read.

``torch.save`` pickles, and unpickling a hostile file can run any code. A minigrad file holds only a JSON
header and raw numbers, so loading one can build nothing but tensors, containers and plain values.

A whole model (``torch.save(model, PATH)``, PyTorch's tutorial's other way) or any other object this format cannot
hold is pickled instead, after the magic bytes ``PICKLE_MAGIC``; as in PyTorch 2.6 and later, ``load`` unpickles
such a file only when told ``weights_only=False`` (only for files from a trusted source), and refuses it with
PyTorch's error otherwise.

The format (version 1), all integers little-endian::

    offset  size  field
         0     8  magic: b"MINIGRAD"
         8     4  version: uint32, 1
        12     4  header CRC32: uint32, zlib.crc32 of the header's bytes as stored (padding included)
        16     8  header length H: uint64, at most 100 MB and at most what the file holds after byte 24
        24     H  header: UTF-8 JSON; save pads it with spaces so that the data starts at a multiple of 8
    24 + H   ...  data: every tensor's bytes, packed, in the order the header lists the tensors

The header is one JSON object, ``{"root": NODE}``, where NODE describes the saved object:

- ``null``, ``true``/``false``, an integer, a number with a fraction or exponent, a string: that value
  (None, bool, int, float, str). ``1`` loads as the int 1 and ``1.0`` as the float 1.0.
- ``{"float": "nan" | "inf" | "-inf"}``: a float JSON cannot write.
- ``{"list": [NODE, ...]}``, ``{"tuple": [NODE, ...]}``: a list or a tuple (a namedtuple saves as a tuple).
- ``{"dict": [[KEY, NODE], ...]}``, ``{"OrderedDict": [[KEY, NODE], ...]}``: a dict or an OrderedDict, items
  in order; KEY is a string or an integer (an optimizer's state is keyed by parameter index), never repeated.
- ``{"tensor": {"dtype": D, "shape": [n, ...], "data_offsets": [begin, end], "crc32": C, "requires_grad": R}}``:
  a tensor. D is one of float32, float64, float16, int64, int32, int16, int8, uint8, bool; the shape's sizes are
  non-negative integers (at most 64 of them); ``begin``/``end`` are byte offsets into the data section, whose bytes
  are the values in C (row-major) order, little-endian, one byte per bool (0 or 1); C is ``zlib.crc32`` of them.

The tensors are packed in the order a depth-first walk of the header meets them: the first begins at 0, each
begins where the previous ends, ``end - begin == prod(shape) * itemsize``, and the last ends at the end of the
file. So entries never overlap, never leave gaps, and nothing follows them.

``load`` checks all of this, and every checksum, before it builds anything: a pickle, a zip (``torch.save``'s
format), an empty, truncated, extended or corrupted file, an oversized header, a shape that does not match its
data, an unknown dtype or key, all raise ``ValueError`` saying what is wrong. Nothing in a file is executed,
and a failed load returns nothing, so ``model.load_state_dict(load(f))`` changes no parameter when ``f`` is bad.

Compared with ``torch.save``/``torch.load``: tuples, lists, dicts, OrderedDicts (and their order), int and
str keys, ints and floats, and ``requires_grad`` come back as torch gives them back. Deliberately different:
a view saves only its own elements, in C order, not its whole storage; tensors that shared memory when saved
(or one tensor saved twice) load as separate copies; an ``nn.Parameter`` loads as a plain tensor that requires
grad, a dict subclass other than OrderedDict (a defaultdict) as a dict, and a numpy.float64 (a subclass of
float) as a float; an object holding anything else (numpy arrays, a model) is pickled whole (see above).
"""

from __future__ import annotations

import json
import math
import os
import pickle
import pickletools
import struct
import zlib
from collections import OrderedDict
from typing import IO, Any

import numpy as np

from . import errors
from .tensor import Tensor

MAGIC = b"MINIGRAD"
PICKLE_MAGIC = b"MINIGRAD-PICKLE\n"  # a pickled object follows (see the module's docstring)
VERSION = 1
_PREFIX = struct.Struct("<8sIIQ")  # magic, version, header CRC32, header length
MAX_HEADER_BYTES = 100_000_000
MAX_DEPTH = 100  # containers nested deeper than this are refused, on save and on load
MAX_DIMS = 64
_DTYPES = {name: np.dtype(code) for name, code in (
    ("float32", "<f4"), ("float64", "<f8"), ("float16", "<f2"), ("int64", "<i8"), ("int32", "<i4"), ("int16", "<i2"),
    ("int8", "i1"), ("uint8", "u1"), ("bool", "?"),
)}
_SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_TENSOR_FIELDS = {"dtype", "shape", "data_offsets", "crc32", "requires_grad"}

FileLike = str | os.PathLike | IO[bytes]


# ----- save ---------------------------------------------------------------------------------------------------
def save(obj: Any, f: FileLike) -> None:
    """Write ``obj`` to ``f`` (a path, or a file opened for binary writing) in minigrad's format.

    ``obj`` is a tensor, or a (nested) dict, OrderedDict, list or tuple of tensors, None, bools, ints, floats
    and strings, with str or int dict keys: a module's ``state_dict()`` or an optimizer's. Anything else (a whole
    model) is pickled, as ``torch.save`` pickles it: ``load`` then needs ``weights_only=False``.

    A path is written atomically: into a new file beside it, which is then renamed onto it, so a save that
    fails or is interrupted (a full disk, Ctrl-C) leaves the previous file as it was, and no partial file.
    """
    buffers: list[bytes] = []
    try:
        root = _encode(obj, buffers, [0], "obj", 0)
    except _NotDataError:
        chunks = [PICKLE_MAGIC + pickle.dumps(obj, protocol=2)]  # (torch.save's protocol: classes by GLOBAL)
    else:
        header = json.dumps({"root": root}, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
        header += b" " * (-(_PREFIX.size + len(header)) % 8)
        prefix = _PREFIX.pack(MAGIC, VERSION, zlib.crc32(header), len(header))
        chunks = [prefix + header, *buffers]
    if not isinstance(f, (str, os.PathLike)):
        _write(f, chunks)
        return
    target = os.fspath(f)
    directory, name = os.path.split(target)
    temporary = os.path.join(directory, f".{name}.{os.urandom(6).hex()}.tmp")
    try:
        with open(temporary, "xb") as file:
            _write(file, chunks)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _write(file: IO[bytes], chunks: list[bytes]) -> None:
    """The file's bytes, chunk after chunk (the prefix and header, then each tensor's data)."""
    for chunk in chunks:
        file.write(chunk)


def _encode(obj: Any, buffers: list[bytes], offset: list[int], where: str, depth: int) -> Any:
    """The header node for ``obj``; its tensors' bytes are appended to ``buffers`` (``offset[0]`` is their end)."""
    if depth > MAX_DEPTH:
        raise ValueError(f"can't save {where}: containers nested more than {MAX_DEPTH} deep (does one contain itself?)")
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"float": repr(obj)}
    if isinstance(obj, Tensor):
        array = obj._data
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes(order="C")
        begin, offset[0] = offset[0], offset[0] + len(data)
        buffers.append(data)
        return {"tensor": {"dtype": obj.dtype.name, "shape": list(array.shape), "data_offsets": [begin, offset[0]],
                           "crc32": zlib.crc32(data), "requires_grad": obj.requires_grad}}
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [_encode(item, buffers, offset, f"{where}[{i}]", depth + 1) for i, item in enumerate(obj)]}
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise _NotDataError
            items.append([key, _encode(value, buffers, offset, f"{where}[{key!r}]", depth + 1)])
        return {"OrderedDict" if isinstance(obj, OrderedDict) else "dict": items}
    raise _NotDataError


class _NotDataError(Exception):
    """An object the format cannot hold (``save`` pickles the whole object instead)."""


# ----- load ---------------------------------------------------------------------------------------------------
def load(f: FileLike, map_location: Any = None, weights_only: bool = True) -> Any:
    """Read an object written by ``save`` from ``f`` (a path, or a file opened for binary reading, read from its
    position to its end).

    ``map_location`` may be None or ``"cpu"`` (minigrad's only device). ``weights_only``: a file ``save`` pickled
    (a whole model) is unpickled only when it is False, as PyTorch's; a data file holds only data, whatever its value.

    Every check in the module's description is made before any tensor is built; a file that fails one raises
    ``ValueError``. Tensors come back as leaves owning writable copies of their values.
    """
    if map_location is not None and str(map_location) != "cpu":
        raise ValueError(f"map_location={map_location!r} is not supported: minigrad loads onto the CPU only")
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as file:
            content = file.read()
    else:
        content = f.read()
    if not isinstance(content, bytes):
        raise ValueError("minigrad.load needs a file opened in binary mode ('rb'), not text mode")
    if content.startswith(PICKLE_MAGIC):
        pickled = content[len(PICKLE_MAGIC):]
        imported = _first_import(pickled)
        if weights_only and imported is not None:
            raise pickle.UnpicklingError(errors.weights_only_refused(imported))
        return pickle.loads(pickled)  # (weights_only=False asked for it, or it imports nothing: plain values)
    header, data = _split(content)
    tensors: list[tuple[dict[str, Any], str]] = []
    tree = _decode(header["root"], tensors, "obj", 0)
    arrays = [_array(spec, data, where) for spec, where in _check_layout(tensors, len(data))]
    return _build(tree, arrays)


def _first_import(pickled: bytes) -> str | None:
    """The first class or function a (protocol 2) pickle would import, as PyTorch's refusal names it
    (``module.name``); None for one that builds only plain values, which nothing can make run code."""
    return next((str(argument).replace(" ", ".") for opcode, argument, _ in pickletools.genops(pickled)
                 if opcode.name == "GLOBAL"), None)


def _split(content: bytes) -> tuple[dict[str, Any], memoryview]:
    """The parsed header and the data section of a file's bytes, after checking the prefix and the header."""
    if 0 < len(content) < _PREFIX.size and MAGIC.startswith(content[:len(MAGIC)]):
        raise ValueError(f"the file is truncated: {len(content)} bytes, less than the {_PREFIX.size}-byte prefix")
    if not content.startswith(MAGIC):
        raise ValueError(f"not a minigrad file: {_guess(content)}")
    _, version, crc, length = _PREFIX.unpack_from(content)
    if version != VERSION:
        raise ValueError(f"unsupported minigrad file version {version}: this minigrad reads version {VERSION}")
    if length > MAX_HEADER_BYTES:
        raise ValueError(f"the header length is {length} bytes, more than the {MAX_HEADER_BYTES} allowed")
    if _PREFIX.size + length > len(content):
        raise ValueError(
            f"the file is truncated: its header should be {length} bytes but only {len(content) - _PREFIX.size} follow"
        )
    raw = content[_PREFIX.size:_PREFIX.size + length]
    if zlib.crc32(raw) != crc:
        raise ValueError("the header is corrupted: its CRC32 does not match the one stored in the prefix")
    try:
        header = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:  # bad UTF-8 or JSON, NaN, an int with 5000 digits, [[[[...
        raise ValueError(f"the header is not well-formed JSON: {error}") from None
    if not isinstance(header, dict) or set(header) != {"root"}:
        raise ValueError('the header must be a JSON object with exactly one key, "root"')
    return header, memoryview(content)[_PREFIX.size + length:]


def _guess(content: bytes) -> str:
    """What a file that lacks minigrad's magic bytes seems to be."""
    if not content:
        return "the file is empty"
    if content.startswith(b"\x80"):
        return "it looks like a pickle, which minigrad refuses to load because unpickling can execute code"
    if content.startswith(b"PK\x03\x04"):
        return ("it looks like a zip archive, as torch.save writes; load it with torch.load(f, weights_only=True) and "
                "convert it with reference.convert.from_torch_state_dict")
    return f"it starts with {content[:8]!r}, not with the magic bytes {MAGIC!r}"


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


class _Slot:
    """Where the n-th tensor goes in a decoded tree."""

    def __init__(self, index: int) -> None:
        self.index = index


def _decode(node: Any, tensors: list[tuple[dict[str, Any], str]], where: str, depth: int) -> Any:
    """The object a header node describes, with a ``_Slot`` for each tensor (whose spec goes to ``tensors``)."""
    if depth > MAX_DEPTH:
        raise ValueError(f"{where}: containers nested more than {MAX_DEPTH} deep")
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if not isinstance(node, dict) or len(node) != 1:
        raise ValueError(f"{where}: a node must be a JSON value or an object with one key, not {_short(node)}")
    (kind, body), = node.items()
    if kind == "float" and body in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[body]
    if kind in ("list", "tuple") and isinstance(body, list):
        items = [_decode(item, tensors, f"{where}[{i}]", depth + 1) for i, item in enumerate(body)]
        return items if kind == "list" else tuple(items)
    if kind in ("dict", "OrderedDict") and isinstance(body, list):
        result: dict[Any, Any] = {} if kind == "dict" else OrderedDict()
        for item in body:
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], (str, int))
                    and not isinstance(item[0], bool)):
                raise ValueError(f"{where}: a dict item must be [key, node] with a str or int key, not {_short(item)}")
            key, value = item
            if key in result:
                raise ValueError(f"{where}: the key {key!r} appears twice")
            result[key] = _decode(value, tensors, f"{where}[{key!r}]", depth + 1)
        return result
    if kind == "tensor" and isinstance(body, dict):
        tensors.append((body, where))
        return _Slot(len(tensors) - 1)
    raise ValueError(f"{where}: unknown node {_short(node)}")


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_layout(tensors: list[tuple[dict[str, Any], str]], data_length: int) -> list[tuple[dict[str, Any], str]]:
    """``tensors`` after checking each one's fields and that their bytes tile the data section exactly."""
    end = 0
    for spec, where in tensors:
        if set(spec) != _TENSOR_FIELDS:
            raise ValueError(f"{where}: a tensor needs exactly the fields {sorted(_TENSOR_FIELDS)}, not {sorted(spec)}")
        dtype, shape, offsets = spec["dtype"], spec["shape"], spec["data_offsets"]
        if dtype not in _DTYPES:
            raise ValueError(f"{where}: unknown dtype {_short(dtype)}; minigrad files hold {', '.join(_DTYPES)}")
        if not (isinstance(shape, list) and len(shape) <= MAX_DIMS and all(_is_int(n) and n >= 0 for n in shape)):
            raise ValueError(f"{where}: the shape must be a list of at most {MAX_DIMS} non-negative ints, "
                             f"not {_short(shape)}")
        if math.prod(max(n, 1) for n in shape) * _DTYPES[dtype].itemsize >= 2**63:
            raise ValueError(f"{where}: the shape {shape} is too large for any array")
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(_is_int(n) for n in offsets)):
            raise ValueError(f"{where}: data_offsets must be [begin, end], not {_short(offsets)}")
        if not _is_int(spec["crc32"]) or not isinstance(spec["requires_grad"], bool):
            raise ValueError(f"{where}: crc32 must be an int and requires_grad a bool")
        if spec["requires_grad"] and dtype not in ("float32", "float64"):
            raise ValueError(f"{where}: a {dtype} tensor can't require grad")
        begin, stop = offsets
        if begin != end:
            raise ValueError(f"{where}: its data begins at byte {begin} of the data section, but the previous "
                             f"tensor's ends at {end} (tensors must be packed in order)")
        nbytes = math.prod(shape) * _DTYPES[dtype].itemsize
        if stop - begin != nbytes:
            raise ValueError(f"{where}: the shape {shape} of {dtype} needs {nbytes} bytes, but data_offsets "
                             f"{offsets} span {stop - begin}")
        if stop > data_length:
            raise ValueError(f"the file is truncated: {where} ends at byte {stop} of the data section, which holds "
                             f"only {data_length}")
        end = stop
    if end != data_length:
        raise ValueError(f"the file has {data_length - end} unexpected bytes after the last tensor's data")
    return tensors


def _array(spec: dict[str, Any], data: memoryview, where: str) -> tuple[np.ndarray, bool]:
    """A tensor's values (a checked, owned, native-order copy) and its requires_grad flag."""
    begin, end = spec["data_offsets"]
    raw = data[begin:end]
    if zlib.crc32(raw) != spec["crc32"]:
        raise ValueError(f"{where}: its data is corrupted (its CRC32 does not match the header's)")
    dtype = _DTYPES[spec["dtype"]]
    if spec["dtype"] == "bool" and np.frombuffer(raw, dtype=np.uint8).max(initial=0) > 1:
        raise ValueError(f"{where}: a bool tensor's bytes must be 0 or 1")
    array = np.frombuffer(raw, dtype=dtype).reshape(spec["shape"])
    return np.array(array, dtype=dtype.newbyteorder("="), order="C"), spec["requires_grad"]


def _build(tree: Any, arrays: list[tuple[np.ndarray, bool]]) -> Any:
    """``tree`` with each ``_Slot`` replaced by its tensor, made from ``arrays[slot.index]``."""
    if isinstance(tree, _Slot):
        array, requires_grad = arrays[tree.index]
        return Tensor._make(array, requires_grad=requires_grad)
    if isinstance(tree, list):
        return [_build(item, arrays) for item in tree]
    if isinstance(tree, tuple):
        return tuple(_build(item, arrays) for item in tree)
    if isinstance(tree, dict):
        result = type(tree)()
        for key, value in tree.items():
            result[key] = _build(value, arrays)
        return result
    return tree
