"""Cross-check cases of the everyday API's nn ops (see op_cases.py, which gathers them)."""

from __future__ import annotations

from op_cases import AWAY_FROM_KINK, REAL, UNARY_SHAPES, Case, Domain

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
