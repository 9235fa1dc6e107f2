"""Cross-check cases of the everyday API's math ops (see op_cases.py, which gathers them).

Tolerances are conftest's float32 rounding throughout: PyTorch's float32 sin, cos, ... are SLEEF's vectorized
functions (1 ulp), minigrad's libm's, so the two agree to rounding, not to the bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from op_cases import AWAY_FROM_KINK, BINARY_SHAPES, NONZERO, POSITIVE, REAL, Case, Domain, per_framework

CASES: list[Case] = []

_OPEN_UNIT = Domain("-1 < x < 1", -0.9, 0.9)
DOMAINS: dict[str, tuple[Domain, ...]] = {
    "Asin": (_OPEN_UNIT,),
    "Acos": (_OPEN_UNIT,),
    "Atanh": (_OPEN_UNIT,),
    "Erfinv": (_OPEN_UNIT,),
    "Acosh": (Domain("x > 1", 1.1, 3.0),),
    "Log1p": (Domain("x > -1", -0.9, 2.0),),
    "Log2": (POSITIVE,),
    "Log10": (POSITIVE,),
    "Rsqrt": (POSITIVE,),
    "Reciprocal": (NONZERO,),
    "Hypot": (NONZERO,),
    "Fmod": (REAL, NONZERO),
    "Remainder": (REAL, NONZERO),
    "Addcdiv": (REAL, REAL, NONZERO),
    "Sign": (AWAY_FROM_KINK,),
}

_SHAPES = [(), (5,), (3, 4), (0, 4), (1, 3)]
for name in ("Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Log1p", "Expm1",
             "Log2", "Log10", "Exp2", "Rsqrt", "Reciprocal", "Erf", "Erfc", "Erfinv", "Sign", "Floor", "Ceil", "Trunc",
             "Frac", "Round"):
    CASES += [Case(name, (shape,)) for shape in _SHAPES]
CASES += [Case("Sin", ((2, 3, 4),)), Case("Erfinv", ((4, 5),), domain=(Domain("the tails: 0.7 < |x| < 1", 0.75, 0.99,
                                                                                    symmetric=True),))]
CASES += [Case("Round", ((3, 4),), kwargs={"decimals": d}) for d in (1, 2, -1)]
# halves round to even in both; no gradcheck: a finite difference at a jump of the step function is not its gradient
CASES += [Case("Round", ((3, 4),), domain=(Domain("halves", 0.5, 0.5, symmetric=True),), gradcheck=False)]
for name in ("Atan2", "Hypot", "Logaddexp", "Fmod", "Remainder"):
    CASES += [Case(name, shapes) for shapes in BINARY_SHAPES]
# floor_divide of floats only on integers below: torch records a grad_fn for it (NotImplemented, which raises on
# backward), minigrad none, which the cross-check counts as a different graph
CASES += [Case("Logaddexp", ((3, 4), (3, 4)), domain=(Domain("large x", 50.0, 100.0, symmetric=True),))]
CASES += [Case("Lerp", shapes) for shapes in [((3, 4), (3, 4), (3, 4)), ((3, 4), (4,), (3, 1)), ((), (3,), ()),
                                              ((0, 3), (3,), (1,))]]
CASES += [Case("Lerp", ((3, 4), (3, 4)), args=(w,)) for w in (0.3, 0.5, 0.9, -1.5)]
for name in ("Addcmul", "Addcdiv"):
    CASES += [Case(name, shapes) for shapes in [((3, 4), (3, 4), (3, 4)), ((3, 4), (4,), (3, 1)), ((), (3,), ()),
                                                ((0, 3), (3,), (1,))]]
    CASES += [Case(name, ((3, 4), (3, 4), (3, 4)), kwargs={"value": 0.5}), Case(name, ((2, 3), (3,), (2, 1)),
                                                                                kwargs={"value": -2})]


def _ints(label: str, values: Any, dtype: str = "int64") -> Any:
    """An integer (or bool) tensor built for each framework."""
    return per_framework(label, lambda fw: fw.tensor(np.array(values), dtype=getattr(fw, dtype)))


_A = _ints("a", [[7, -7, 5, 0], [-3, 12, -12, 9]])
_B = _ints("b", [3, -3, 4, -5])
_P = _ints("p", [[True, False, True, False]], "bool")
_Q = _ints("q", [True, True, False, False], "bool")
for name in ("Remainder", "Fmod", "FloorDivide", "BitwiseAnd", "BitwiseOr", "BitwiseXor"):
    CASES += [Case(name, (), leading=(_A, _B), gradcheck=False), Case(name, (), leading=(_A, _ints("2", 2)),
                                                                      gradcheck=False)]
for name in ("BitwiseAnd", "BitwiseOr", "BitwiseXor"):
    CASES += [Case(name, (), leading=(_P, _Q), gradcheck=False),
              Case(name, ((3, 4), (3, 4)), gradcheck=False)]  # floats: torch raises
CASES += [Case("BitwiseNot", (), leading=(x,), gradcheck=False) for x in (_A, _P)]
CASES += [Case("BitwiseNot", ((3,),), gradcheck=False)]
# integer inputs (no gradient: gradcheck=False on these and the ones below)
CASES += [Case(name, (), leading=(_A,), gradcheck=False) for name in ("Floor", "Ceil", "Trunc", "Round", "Sign")]
for name in ("Floor", "Frac", "Hypot", "Logaddexp"):  # refused integer or bool dtypes
    CASES += [Case(name, (), leading=(_P,) * (2 if name in ("Hypot", "Logaddexp") else 1), gradcheck=False)]
CASES += [Case("Frac", (), leading=(_A,), gradcheck=False)]

# in-place comparisons (eq_, ...): the 0/1 result in the first tensor's dtype, zero gradients for both operands
for name in ("EqInPlace", "NeInPlace", "LtInPlace", "LeInPlace", "GtInPlace", "GeInPlace"):
    CASES += [Case(name, shapes, discrete=True, inplace=True) for shapes in [((3, 4), (3, 4)), ((3, 4), (4,)),
                                                                          ((3, 4), ()), ((5,), (1,)), ((0, 3), (3,))]]
    CASES += [Case(name, ((3, 4),), args=(0.0,), discrete=True, inplace=True),
              Case(name, ((3, 4),), args=(1,), discrete=True, inplace=True),
              Case(name, ((3, 4), (4,)), inplace=True)]  # (no ties: finite differences see the zero gradients)
CASES += [Case("EqInPlace", ((3,), (2, 3)), inplace=True, gradcheck=False)]  # the result's shape is not self's
CASES += [Case(name, (), leading=(_A, _B), gradcheck=False) for name in ("EqInPlace", "LtInPlace")]  # into integers

# more math (ops/special.py)
DOMAINS.update({
    "Lgamma": (Domain("x > 0 and x < 0 off the poles", 0.2, 4.0, symmetric=True),),
    "Digamma": (Domain("x > 0 and x < 0 off the poles", 0.2, 4.0, symmetric=True),),
    "Polygamma": (Domain("x > 0", 0.2, 4.0),),
    "Logit": (Domain("0 < x < 1", 0.05, 0.95),),
    "Xlogy": (REAL, POSITIVE),
    "Copysign": (AWAY_FROM_KINK, REAL),
})
for name in ("Deg2Rad", "Rad2Deg", "Lgamma", "Digamma", "Logit", "Sinc", "NanToNum"):
    CASES += [Case(name, (shape,)) for shape in _SHAPES]
for name in ("Xlogy", "Copysign", "Fmax", "Fmin"):
    CASES += [Case(name, shapes) for shapes in BINARY_SHAPES]
CASES += [Case("Polygamma", (shape,), leading=(n,)) for n in (0, 1, 2, 3) for shape in ((3, 4), ())]
CASES += [Case("Polygamma", ((3,),), leading=(-1,), gradcheck=False)]
CASES += [Case("Logit", ((3, 4),), kwargs={"eps": eps}, domain=(Domain("around [0, 1]", -0.2, 1.2),))
          for eps in (0.1, 0.25)]
CASES += [Case("Logit", ((3, 4),), domain=(Domain("around [0, 1]", -0.2, 1.2),), gradcheck=False)]  # NaN outside
CASES += [Case("Sinc", ((3, 4),), discrete=True)]  # zeros among the inputs: sinc 1, gradient 0
CASES += [Case(name, shapes, discrete=True) for name in ("Fmax", "Fmin") for shapes in BINARY_SHAPES[:3]]  # ties
CASES += [Case("Xlogy", ((3, 4), (3, 4)), discrete=True, domain=(REAL, POSITIVE), gradcheck=False)]  # x = 0
CASES += [Case("NanToNum", (), leading=(_A,), gradcheck=False), Case("NanToNum", (), leading=(_P,), gradcheck=False)]
CASES += [Case("Copysign", ((3, 4),), args=(-1.0,)), Case("Copysign", ((3, 4),), args=(0.0,))]
CASES += [Case("Xlogy", ((3, 4),), args=(2.0,)), Case("Xlogy", ((3, 4),), leading=(3.0,), domain=(POSITIVE,))]
CASES += [Case("Nansum", ((3, 4),), kwargs=kwargs) for kwargs in ({}, {"dim": 1}, {"dim": (0, 1), "keepdim": True},
                                                                  {"dim": -1, "keepdim": True})]
CASES += [Case("Nansum", ((),)), Case("Nansum", ((0, 3),), kwargs={"dim": 0})]
CASES += [Case("Nansum", (), leading=(_A,), kwargs=kwargs, gradcheck=False) for kwargs in ({}, {"dim": 0})]
# (NaN and infinities among the inputs: in test_other_names.py, whose inputs are given values)
