"""Cross-check cases of the everyday API's shape ops (see op_cases.py, which gathers them)."""

from __future__ import annotations

from typing import Any

import numpy as np
from op_cases import Case, Domain, per_framework

CASES: list[Case] = []
DOMAINS: dict[str, tuple[Domain, ...]] = {}


def _index(label: str, values: Any, dtype: str = "int64") -> Any:
    """An index tensor built for each framework."""
    return per_framework(label, lambda fw: fw.tensor(np.array(values), dtype=getattr(fw, dtype)))


_RAISES = "an index out of range, which torch's CUDA kernel meets as a device-side assert (fatal to the process)"

CASES += [Case("Flip", (shape,), args=(dims,)) for shape, dims in [
    ((3, 4), (0,)), ((3, 4), (1,)), ((2, 3, 4), (0, 2)), ((2, 3, 4), (-1, 0, 1)), ((5,), (0,)), ((), ()),
    ((0, 3), (0, 1)), ((1, 3), (0,)), ((3, 4), ())]]
CASES += [Case("Flip", ((3, 4),), args=((0, 0),), gradcheck=False), Case("Flip", ((3, 4),), args=((2,),),
                                                                          gradcheck=False)]
CASES += [Case("Roll", (shape,), args=args) for shape, args in [
    ((5,), (2,)), ((3, 4), (1,)), ((3, 4), (-5,)), ((3, 4), (1, 0)), ((3, 4), ((1, 3), (0, 1))),
    ((2, 3, 4), ((2, -1), (-1, 0))), ((0, 3), (1, 1)), ((), (1,)), ((1, 3), (7, 0)), ((3, 4), ((1, 1), (1, 1)))]]
CASES += [Case("Roll", ((3, 4),), args=((1, 2), (0,)), gradcheck=False),
          Case("Roll", ((3, 4),), args=(1, 5), gradcheck=False)]

_ROWS = _index("[2,0,2]", [2, 0, 2])
CASES += [
    Case("IndexSelect", ((3, 4),), args=(0, _ROWS)),
    Case("IndexSelect", ((3, 4),), args=(1, _index("[3,1]", [3, 1]))),
    Case("IndexSelect", ((3, 4),), args=(-1, _index("int32 [0,0,3]", [0, 0, 3], "int32"))),
    Case("IndexSelect", ((2, 3, 4),), args=(1, _ROWS)),
    Case("IndexSelect", ((3, 4),), args=(0, _index("[]", np.zeros(0, np.int64)))),
    Case("IndexSelect", ((0, 4),), args=(1, _index("[1]", [1]))),
    Case("IndexSelect", ((3, 4),), args=(0, _index("0-d 1", 1))),
    Case("IndexSelect", ((),), args=(0, _index("[0]", [0]))),
    Case("IndexSelect", ((1, 3),), args=(0, _index("[0,0]", [0, 0]))),
    Case("IndexSelect", ((3, 4),), args=(0, _index("[0,5]", [0, 5])), gradcheck=False, cpu_only=_RAISES),
    Case("IndexSelect", ((3, 4),), args=(0, _index("[-1]", [-1])), gradcheck=False, cpu_only=_RAISES),
    Case("IndexSelect", ((3, 4),), args=(0, _index("float [0]", [0.0], "float32")), gradcheck=False),
    Case("IndexSelect", ((3, 4),), args=(0, _index("[[0]]", [[0]])), gradcheck=False),
]
CASES += [
    Case("Take", ((3, 4),), args=(_index("[[0,11],[5,5]]", [[0, 11], [5, 5]]),)),
    Case("Take", ((3, 4),), args=(_index("[-1,-12]", [-1, -12]),)),
    Case("Take", ((5,),), args=(_index("0-d 2", 2),)),
    Case("Take", ((),), args=(_index("[0,0]", [0, 0]),)),
    Case("Take", ((2, 3, 4),), args=(_index("[]", np.zeros(0, np.int64)),)),
    Case("Take", ((3, 4),), args=(_index("[12]", [12]),), gradcheck=False, cpu_only=_RAISES),
    Case("Take", ((3, 4),), args=(_index("int32 [1]", [1], "int32"),), gradcheck=False),
]
_MASK = np.array([[True, False, True, False], [False, False, False, False], [True, True, False, True]])
CASES += [
    Case("MaskedSelect", ((3, 4),), args=(per_framework("mask", lambda fw: fw.tensor(_MASK)),)),
    Case("MaskedSelect", ((3, 4),), args=(per_framework("mask row", lambda fw: fw.tensor(_MASK[0])),)),
    Case("MaskedSelect", ((4,),), args=(per_framework("mask", lambda fw: fw.tensor(_MASK)),)),
    Case("MaskedSelect", ((3, 1),), args=(per_framework("mask", lambda fw: fw.tensor(_MASK)),)),
    Case("MaskedSelect", ((),), args=(per_framework("mask", lambda fw: fw.tensor(_MASK)),)),
    Case("MaskedSelect", ((0, 4),), args=(per_framework("mask row", lambda fw: fw.tensor(_MASK[0])),)),
    Case("MaskedSelect", ((3, 4),), args=(per_framework("float mask", lambda fw: fw.ones(4)),), gradcheck=False),
    Case("MaskedSelect", ((3, 4),), args=(per_framework("mask (5)", lambda fw: fw.ones(5, dtype=fw.bool)),),
         gradcheck=False),
]


def _source(shape: tuple[int, ...]) -> Any:
    """A float64 source tensor (arange values), built for each framework.

    torch takes ``source``/``src`` after ``dim`` and ``index``, where the cases cannot put a leaf: so it is a constant
    here, float64, and the float32 runs check that both frameworks refuse the dtype mismatch."""
    return per_framework(f"src{shape}", lambda fw: fw.arange(float(np.prod(shape)), dtype=fw.float64).reshape(shape))


CASES += [
    Case("IndexAdd", ((3, 4),), args=(0, _ROWS, _source((3, 4)))),
    Case("IndexAdd", ((3, 4),), args=(1, _index("[3,1]", [3, 1]), _source((3, 2)))),
    Case("IndexAdd", ((3, 4),), args=(0, _ROWS, _source((3, 4))), kwargs={"alpha": 2.5}),
    Case("IndexAdd", ((2, 3, 4),), args=(1, _ROWS, _source((2, 3, 4)))),
    Case("IndexAdd", ((3, 4),), args=(0, _index("[]", np.zeros(0, np.int64)), _source((0, 4)))),
    Case("IndexAdd", ((5,),), args=(0, _index("0-d 4", 4), _source((1,)))),
    Case("IndexAdd", ((3, 4),), args=(0, _index("[0]", [0]), _source((2, 4))), gradcheck=False),
    Case("IndexAdd", ((3, 4),), args=(0, _index("[0]", [0]), _source((1, 5))), gradcheck=False),
    Case("IndexAdd", ((3, 4),), args=(0, _index("[5]", [5]), _source((1, 4))), gradcheck=False, cpu_only=_RAISES),
]
_SCATTER = np.array([[0, 2, 1, 0], [2, 2, 0, 1]])
CASES += [
    Case("ScatterAdd", ((3, 4),), args=(0, _index("index", _SCATTER), _source((2, 4)))),
    Case("ScatterAdd", ((3, 4),), args=(1, _index("index.T", _SCATTER.T[:3] % 4), _source((3, 5)))),
    Case("ScatterAdd", ((3, 4),), args=(-2, _index("index[:, :2]", _SCATTER[:, :2]), _source((2, 4)))),
    Case("ScatterAdd", ((5,),), args=(0, _index("[4,4,0]", [4, 4, 0]), _source((3,)))),
    Case("ScatterAdd", ((3, 4),), args=(0, _index("index 5", _SCATTER * 5), _source((2, 4))), gradcheck=False,
         cpu_only=_RAISES),
    Case("ScatterAdd", ((3, 4),), args=(0, _index("float index", _SCATTER, "float32"), _source((2, 4))),
         gradcheck=False),
]
