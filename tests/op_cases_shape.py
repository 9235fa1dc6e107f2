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

# index_copy: unique indices only. With a repeated index PyTorch's result is nondeterministic (its docs say so, and
# its CPU kernel's order is not a promise); minigrad keeps the last slice written.
CASES += [
    Case("IndexCopy", ((3, 4),), args=(0, _index("[2,0]", [2, 0]), _source((2, 4)))),
    Case("IndexCopy", ((3, 4),), args=(1, _index("[3,1]", [3, 1]), _source((3, 2)))),
    Case("IndexCopy", ((3, 4),), args=(-1, _index("[0,3,1,2]", [0, 3, 1, 2]), _source((3, 4)))),
    Case("IndexCopy", ((2, 3, 4),), args=(1, _index("[2,0]", [2, 0]), _source((2, 2, 4)))),
    Case("IndexCopy", ((3, 4),), args=(0, _index("[]", np.zeros(0, np.int64)), _source((0, 4)))),
    Case("IndexCopy", ((5,),), args=(0, _index("0-d 4", 4), _source(()))),
    Case("IndexCopy", ((),), args=(0, _index("[0]", [0]), _source((1,)))),
    Case("IndexCopy", ((0, 4),), args=(1, _index("[1]", [1]), _source((0, 1)))),
    Case("IndexCopy", ((3, 4),), args=(0, _index("int32 [0]", [0], "int32"), _source((1, 4))), gradcheck=False),
    Case("IndexCopy", ((3, 4),), args=(0, _index("[0]", [0]), _source((2, 4))), gradcheck=False),
    Case("IndexCopy", ((3, 4),), args=(0, _index("[0]", [0]), _source((1, 5))), gradcheck=False),
    Case("IndexCopy", ((3, 4),), args=(0, _index("[[0]]", [[0]]), _source((1, 4))), gradcheck=False),
    Case("IndexCopy", ((3, 4),), args=(0, _index("[0]", [0]), _source((4,))), gradcheck=False),
    Case("IndexCopy", ((3, 4),), args=(0, _index("[3]", [3]), _source((1, 4))), gradcheck=False, cpu_only=_RAISES),
    Case("IndexCopy", ((3, 4),), args=(0, _index("[-1]", [-1]), _source((1, 4))), gradcheck=False, cpu_only=_RAISES),
]
_VALUE = per_framework("tensor(2.5)", lambda fw: fw.tensor(2.5))
CASES += [
    Case("IndexFill", ((3, 4),), args=(1, _index("[2,0]", [2, 0]), -1.5)),
    Case("IndexFill", ((3, 4),), args=(0, _index("[2,-3,2]", [2, -3, 2]), 2.0)),
    Case("IndexFill", ((2, 3, 4),), args=(-1, _index("[3]", [3]), 0)),
    Case("IndexFill", ((3, 4),), args=(0, _index("0-d 1", 1), _VALUE)),
    Case("IndexFill", ((3, 4),), args=(1, _index("[]", np.zeros(0, np.int64)), 1.0)),
    Case("IndexFill", ((),), args=(0, _index("[0]", [0]), 3.0)),
    Case("IndexFill", ((0, 4),), args=(1, _index("[1]", [1]), 3.0)),
    Case("IndexFill", ((3, 4),), args=(1, _index("int32 [0]", [0], "int32"), 1.0), gradcheck=False),
    Case("IndexFill", ((3, 4),), args=(1, _index("[[0]]", [[0]]), 1.0), gradcheck=False),
    Case("IndexFill", ((3, 4),), args=(1, _index("[0]", [0]), per_framework("tensor([1.])", lambda fw: fw.ones(1))),
         gradcheck=False),
    Case("IndexFill", ((3, 4),), args=(2, _index("[0]", [0]), 1.0), gradcheck=False),
    Case("IndexFill", ((3, 4),), args=(1, _index("[4]", [4]), 1.0), gradcheck=False, cpu_only=_RAISES),
    Case("IndexFill", ((3, 4),), args=(1, _index("[-5]", [-5]), 1.0), gradcheck=False, cpu_only=_RAISES),
]


def _src(label: str, values: Any) -> Any:
    """A float64 src tensor of the given values, built for each framework (a constant, as ``_source``)."""
    return per_framework(label, lambda fw: fw.tensor(np.array(values, dtype=np.float64)))


# scatter_reduce: src is the float64 constant of ``_source`` (arange values, 0 among them: prod's zero handling), so
# the float32 runs compare the dtype error. Where src is larger than the index, torch's backward of prod, amax and
# amin compares src with index-shaped values, and fails: the error is compared.
_TWO_ZEROS = _src("src with two 0s into one place", [[0.0, 2.0], [0.0, 3.0]])
for reduce in ("sum", "prod", "mean", "amax", "amin"):
    for include_self in (True, False):
        kwargs = {"include_self": include_self}
        CASES += [
            Case("ScatterReduce", ((3, 4),), args=(0, _index("index", _SCATTER), _source((2, 4)), reduce),
                 kwargs=kwargs),
            Case("ScatterReduce", ((3, 4),), args=(1, _index("index.T", _SCATTER.T[:3] % 4), _source((3, 2)), reduce),
                 kwargs=kwargs),
            Case("ScatterReduce", ((2, 3, 4),), args=(-1, _index("3-D", np.arange(24).reshape(2, 3, 4) % 3),
                                                      _source((2, 3, 4)), reduce), kwargs=kwargs),
            Case("ScatterReduce", ((5,),), args=(0, _index("[4,4,0,1]", [4, 4, 0, 1]), _source((4,)), reduce),
                 kwargs=kwargs),
            Case("ScatterReduce", ((),), args=(0, _index("0-d 0", 0), _source(()), reduce), kwargs=kwargs),
            Case("ScatterReduce", ((2, 2),), args=(0, _index("[[0,0],[0,1]]", [[0, 0], [0, 1]]), _TWO_ZEROS, reduce),
                 kwargs=kwargs),
            Case("ScatterReduce", ((4, 5),), args=(0, _index("index", _SCATTER), _source((2, 4)), reduce),
                 kwargs=kwargs, discrete=True),  # ties among x and src: amax/amin share the gradient
            Case("ScatterReduce", ((3, 4),), args=(0, _index("[]", np.zeros((0, 4), np.int64)), _source((0, 4)),
                                                   reduce), kwargs=kwargs),
            Case("ScatterReduce", ((3, 4),), args=(0, _index("[]", np.zeros((0, 4), np.int64)), _source((2, 4)),
                                                   reduce), kwargs=kwargs, gradcheck=reduce in ("sum", "mean")),
        ]
    CASES += [Case("ScatterReduce", ((3, 4),), args=(0, _index("index 5", _SCATTER * 5), _source((2, 4)), reduce),
                   gradcheck=False, cpu_only=_RAISES)]
for reduce in ("sum", "prod", "mean", "amax", "amin"):
    CASES += [Case("ScatterReduce", ((3, 4),), args=(0, _index("index[:, :2]", _SCATTER[:, :2]), _source((3, 4)),
                                                     reduce), kwargs={"include_self": False},
                   gradcheck=reduce in ("sum", "mean"))]
CASES += [
    Case("ScatterReduce", ((3, 4),), args=(0, _index("float index", _SCATTER, "float32"), _source((2, 4)), "sum"),
         gradcheck=False),
    Case("ScatterReduce", ((3, 4),), args=(0, _index("int32 index", _SCATTER, "int32"), _source((2, 4)), "amax")),
    Case("ScatterReduce", ((3, 4),), args=(0, _index("index", _SCATTER), _source((2, 4)), "median"), gradcheck=False),
    Case("ScatterReduce", ((3, 4),), args=(0, _index("index", _SCATTER), _source((2, 2)), "sum"), gradcheck=False),
    Case("ScatterReduce", ((3, 4),), args=(0, _index("1-D index", _SCATTER[0]), _source((2, 4)), "sum"),
         gradcheck=False),
    Case("ScatterReduce", ((3, 4),), args=(1, _index("index", _SCATTER), _source((4,)), "sum"), gradcheck=False),
    Case("ScatterReduce", ((3, 4),), args=(1, _index("index", _SCATTER), _source(()), "sum"), gradcheck=False),
    Case("ScatterReduce", ((3, 4),), args=(2, _index("index", _SCATTER), _source((2, 4)), "sum"), gradcheck=False),
]

# Tensor.unfold (UnfoldDim): windows along a dim, overlapping, disjoint, with gaps between them, of every length
CASES += [Case("UnfoldDim", (shape,), args=args) for shape, args in [
    ((3, 4), (1, 2, 1)), ((3, 4), (0, 2, 1)), ((3, 4), (-1, 3, 2)), ((2, 3, 5), (2, 2, 3)), ((7,), (0, 3, 2)),
    ((7,), (0, 7, 1)), ((7,), (0, 0, 1)), ((2, 5), (1, 1, 1)), ((), (0, 1, 1)), ((), (0, 0, 1)), ((0, 3), (1, 2, 1)),
    ]]
CASES += [Case("UnfoldDim", ((3, 4),), args=args, gradcheck=False)  # refused: too long, step 0, no such dim
          for args in [(0, 4, 1), (0, 2, 0), (2, 1, 1), (1, -1, 1)]]

# masked_scatter(x, mask, source): the mask (a bool tensor) goes between the two tensors
_ROW_MASK = per_framework("mask [T,F,T,T]", lambda fw: fw.tensor([True, False, True, True]))
_FULL_MASK = per_framework("mask 3x4", lambda fw: fw.tensor(np.arange(12).reshape(3, 4) % 3 == 0))
_TALL_MASK = per_framework("mask 2x1x4", lambda fw: fw.tensor([[[True, False, False, True]], [[False] * 4]]))
CASES += [Case("MaskedScatter", shapes, inserted=((1, mask),)) for shapes, mask in [
    (((3, 4), (2, 5)), _ROW_MASK), (((3, 4), (12,)), _FULL_MASK), (((3, 4), (3, 4)), _TALL_MASK),
    (((4,), (9,)), _ROW_MASK), (((0, 4), (3,)), _ROW_MASK), (((), (3,)), _ROW_MASK)]]
CASES += [Case("MaskedScatter", ((3, 4), (2,)), inserted=((1, _FULL_MASK),), gradcheck=False),  # too few elements
          Case("MaskedScatter", ((3, 4), (12,)), inserted=((1, per_framework(
              "int mask", lambda fw: fw.ones(3, 4, dtype=fw.int64))),), gradcheck=False)]
