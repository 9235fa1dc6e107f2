"""Cross-check cases of the everyday API's nn ops (see op_cases.py, which gathers them)."""

from __future__ import annotations

import numpy as np
from op_cases import AWAY_FROM_KINK, REAL, UNARY_SHAPES, Case, Domain, per_framework

# The piecewise activations' kinks (the tests sample away from them: there the derivative is one-sided).
WIDE = Domain("any real x, across the kinks at +-3", -5.0, 5.0)
AWAY_FROM_HALF = Domain("|x| != 0.5 (kinks at +-lambd)", 0.6, 2.0, symmetric=True)
AWAY_FROM_THREE = Domain("|x| != 3 (kinks at +-3)", 0.1, 2.9, symmetric=True)

CASES: list[Case] = []
for name in ("Gelu", "Silu", "Mish", "Elu", "Celu", "Hardtanh", "Hardsigmoid", "Hardswish", "Softshrink",
             "Hardshrink", "LogSigmoid"):
    CASES += [Case(name, (shape,)) for shape in UNARY_SHAPES]
CASES += [Case("Gelu", ((3, 4),), kwargs={"approximate": "tanh"}), Case("Gelu", ((3, 4),), domain=(WIDE,)),
          Case("Gelu", ((3, 4),), kwargs={"approximate": "tanh"}, domain=(WIDE,)),
          Case("Gelu", ((3, 4),), kwargs={"approximate": "sigmoid"}, gradcheck=False)]
CASES += [Case("Silu", ((3, 4),), domain=(WIDE,)), Case("Mish", ((3, 4),), domain=(WIDE,)),
          Case("LogSigmoid", ((3, 4),), domain=(Domain("large |x|", 10.0, 40.0, symmetric=True),))]
CASES += [Case("Elu", ((3, 4),), kwargs={"alpha": alpha}) for alpha in (0.5, 2.0)]
CASES += [Case("Celu", ((3, 4),), kwargs={"alpha": alpha}) for alpha in (0.5, 2.0)]
CASES += [Case("Hardtanh", ((3, 4),), args=bounds) for bounds in ((-0.5, 0.75), (0.0, 6.0), (1.0, 1.0))]
CASES += [Case("Hardtanh", ((3, 4),), args=(1.0, -1.0), gradcheck=False)]
CASES += [Case(name, ((3, 4),), domain=(WIDE,)) for name in ("Hardsigmoid", "Hardswish")]
CASES += [Case(name, ((3, 4),), kwargs={"lambd": lambd}) for name in ("Softshrink", "Hardshrink")
          for lambd in (0.0, 1.0)]
CASES += [Case("Softshrink", ((3, 4),), kwargs={"lambd": -1.0}, gradcheck=False)]
CASES += [Case("Threshold", (shape,), args=(0.5, -2.0)) for shape in UNARY_SHAPES]
CASES += [Case("Threshold", ((3, 4),), args=(-1.5, 0.25), domain=(AWAY_FROM_KINK,))]
CASES += [Case("Glu", shapes, kwargs=kwargs) for shapes, kwargs in [
    (((4, 6),), {}), (((4, 6),), {"dim": 0}), (((2, 4, 3),), {"dim": 1}), (((0, 4),), {}), (((2,),), {})]]
CASES += [Case("Glu", ((3, 5),), kwargs={"dim": 1}, gradcheck=False)]
CASES += [Case("PreluKernel", shapes) for shapes in [((2, 3, 4), (3,)), ((3, 4), (1,)), ((5,), (1,)), ((2, 3), ()),
                                                      ((0, 3), (3,)), ((2, 1, 3), (1,))]]


def _indices(label: str, values: object, dtype: str = "int64") -> object:
    """An index tensor (``embedding``'s first argument), built alike for each framework."""
    return per_framework(label, lambda fw: fw.tensor(np.array(values), dtype=getattr(fw, dtype)))


# Embedding: the table is the tensor input; the indices come first (F.embedding(indices, weight, ...)). A case's id
# names its shapes and keywords, not its leading arguments: each case here has a table shape or keywords of its own.
# padding_idx and scale_grad_by_freq make the gradient, by design, other than the derivative (none for the padding
# row, 1/count of it for the others): PyTorch is their check, finite differences are not.
CASES += [Case("Embedding", (table,), leading=(_indices(label, values, dtype),), kwargs=kwargs, gradcheck=not kwargs)
          for table, label, values, dtype, kwargs in [
              ((6, 3), "[[1,2,1],[5,1,0]]", [[1, 2, 1], [5, 1, 0]], "int64", {}),
              ((6, 2), "[4,4,4,0]", [4, 4, 4, 0], "int32", {}),
              ((6, 4), "2", 2, "int64", {}),
              ((6, 5), "[]", np.zeros(0, np.int64), "int64", {}),
              ((5, 2), "[[[0,1],[1,3]]]", [[[0, 1], [1, 3]]], "int64", {"padding_idx": 1}),
              ((5, 2), "[0,4,4,2]", [0, 4, 4, 2], "int64", {"padding_idx": -1}),
              ((5, 4), "[[3,1,3],[3,0,1]]", [[3, 1, 3], [3, 0, 1]], "int64", {"scale_grad_by_freq": True}),
              ((5, 4), "[[3,1,3],[3,0,1]]", [[3, 1, 3], [3, 0, 1]], "int64",
               {"scale_grad_by_freq": True, "padding_idx": 3}),
              ((1, 3), "[0,0]", [0, 0], "int64", {}),
          ]]
CASES += [Case("Embedding", (table,), leading=(_indices(label, values, dtype),), gradcheck=False)
          for table, label, values, dtype in [((4, 2), "[4]", [4], "int64"), ((4, 3), "[-1]", [-1], "int64"),
                                              ((4, 5), "float [1]", [1.0], "float32"), ((4,), "[1]", [1], "int64")]]

DOMAINS: dict[str, tuple[Domain, ...]] = {
    "Elu": (AWAY_FROM_KINK,),
    "Celu": (AWAY_FROM_KINK,),
    "Hardtanh": (Domain("|x| != 1 (kinks at min_val, max_val)", 0.1, 0.9, symmetric=True),),
    "Hardsigmoid": (AWAY_FROM_THREE,),
    "Hardswish": (AWAY_FROM_THREE,),
    "Softshrink": (AWAY_FROM_HALF,),
    "Hardshrink": (AWAY_FROM_HALF,),
    "PreluKernel": (AWAY_FROM_KINK, REAL),
    "Threshold": (Domain("x != 0.5 (the threshold)", 0.6, 2.0, symmetric=True),),
}
