"""Cross-check cases for the ops that write into a tensor: copy_, fill_, zero_ and index_put (what ``x[key] = v``
runs; tests/test_setitem.py checks the assignment itself, gradients of the value included)."""

from __future__ import annotations

from typing import Any

import numpy as np
from op_cases import Case, Domain, per_framework

CASES: list[Case] = []
DOMAINS: dict[str, tuple[Domain, ...]] = {}


def _constant(label: str, values: Any, dtype: str = "float64") -> Any:
    """A tensor built for each framework (a constant: in-place ops take their other operands after self, where the
    cases cannot put a leaf; gradients of those operands are checked in tests/test_setitem.py). float64: the float32
    runs check that both frameworks accept (copy_) or refuse (index_put) the dtype mismatch."""
    return per_framework(label, lambda fw: fw.tensor(np.array(values), dtype=getattr(fw, dtype)))


def _indices(label: str, *arrays: Any) -> Any:
    return per_framework(label, lambda fw: tuple(fw.tensor(np.array(a)) for a in arrays))


CASES += [
    Case("Copy", ((3, 4),), args=(_constant("arange(4)", np.arange(4.0)),), inplace=True),
    Case("Copy", ((2, 3),), args=(_constant("int 7", 7, "int64"),), inplace=True),
    Case("Copy", ((),), args=(_constant("0-d", 2.5),), inplace=True),
    Case("Copy", ((0, 3),), args=(_constant("[1,2,3]", [1.0, 2.0, 3.0]),), inplace=True),
    Case("Copy", ((3, 4),), args=(_constant("ones(3)", np.ones(3)),), inplace=True, gradcheck=False),
    Case("Copy", ((3,),), args=(_constant("ones(2,3)", np.ones((2, 3))),), inplace=True, gradcheck=False),
    Case("Fill", ((3, 4),), args=(2.5,), inplace=True),
    Case("Fill", ((),), args=(-1,), inplace=True),
    Case("Fill", ((0, 2),), args=(1.0,), inplace=True),
]
_ROWS = _indices("([2,0,2],)", [2, 0, 2])
CASES += [
    Case("IndexPut", ((3, 4),), args=(_ROWS, _constant("arange(4)", np.arange(4.0)))),
    Case("IndexPut", ((3, 4),), args=(_ROWS, _constant("arange(4)", np.arange(4.0))), kwargs={"accumulate": True}),
    Case("IndexPut", ((3, 4),), args=(_indices("([0,2],[1,3])", [0, 2], [1, 3]), _constant("0-d", 5.0))),
    Case("IndexPut", ((2, 3, 4),), args=(_indices("([1,0],[2,2])", [1, 0], [2, 2]),
                                         _constant("(2,4)", np.ones((2, 4))))),
    Case("IndexPut", ((3, 4),), args=(_indices("mask", np.array([True, False, True])), _constant("0-d", 1.0)),
         kwargs={"accumulate": True}),
    Case("IndexPut", ((3, 4),), args=(_ROWS, _constant("(2,)", np.ones(2))), gradcheck=False),
    Case("IndexPut", ((3, 4),), args=(_indices("([3],)", [3]), _constant("0-d", 1.0)), gradcheck=False,
         cpu_only="an index out of range, which torch's CUDA kernel meets as a device-side assert"),
]
