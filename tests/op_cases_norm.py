"""Cross-check cases of batch, layer and group normalization (see op_cases.py, which gathers them).

Only the input is a case's tensor (each functional takes running statistics or a shape before its weight, and a
case's other arguments cannot take its dtype): weight, bias and running statistics, with their gradients and
updates, are compared in test_normalization.py; here they appear in refused calls only. The suite's tolerance
holds: PyTorch's layer and group norm sum in a cascade (Welford's) in float32, minigrad in float64, a difference
within float32 rounding for these well-conditioned groups.
"""

from __future__ import annotations

import numpy as np
from op_cases import Case, Domain, per_framework

CASES: list[Case] = []
DOMAINS: dict[str, tuple[Domain, ...]] = {}

_RNG = np.random.default_rng(25)


def _vector(label: str, values: np.ndarray) -> object:
    """A float64 tensor built for each framework."""
    return per_framework(label, lambda fw: fw.tensor(values))


def _params(channels: int) -> dict[str, object]:
    return {"weight": _vector(f"w{channels}", _RNG.uniform(0.5, 1.5, channels)),
            "bias": _vector(f"b{channels}", _RNG.uniform(-1, 1, channels))}


def _refused(op: str, shapes: tuple[tuple[int, ...], ...], *args: object, **kwargs: object) -> Case:
    return Case(op, shapes, args=args, kwargs=kwargs, gradcheck=False)


# ----- batch norm: training (batch statistics), evaluation (running ones), 1-d to 3-d, batch of 1 ------------------
_C = 3
for shape in [(4, _C), (5, _C, 4), (2, _C, 4, 5), (2, _C, 2, 3, 2), (1, _C, 6), (7, _C, 1), (0, _C, 2)]:
    CASES += [Case("BatchNorm", (shape,), args=(None, None), kwargs={"training": True})]
CASES += [Case("BatchNorm", ((3, _C, 4),), args=(None, None), kwargs={"training": True, "eps": 1e-2})]
CASES += [_refused("BatchNorm", ((1, _C),), None, None, training=True),
          _refused("BatchNorm", ((4, _C),), None, None, training=True, eps=0.0),
          _refused("BatchNorm", ((4, _C),), None, None),  # evaluation without running statistics
          _refused("BatchNorm", ((4, _C + 1),), None, None, training=True, **_params(_C))]

# ----- layer norm: one to all dims, with and without weight and bias ------------------------------------------------
for shape, normalized in [((2, 3, 4), (4,)), ((2, 3, 4), (3, 4)), ((5, 6), (6,)), ((6,), (6,)), ((1, 1, 5), (5,)),
                          ((0, 4), (4,))]:
    CASES += [Case("LayerNorm", (shape,), args=(normalized,))]
CASES += [Case("LayerNorm", ((3, 5),), args=((5,),), kwargs={"eps": 1e-2})]
CASES += [_refused("LayerNorm", ((2, 3, 4),), (3,)), _refused("LayerNorm", ((2, 3, 4),), ()),
          _refused("LayerNorm", ((2, 3, 4),), (4,), **_params(5))]

# ----- group norm: one group, a group per channel, several; 2-d to 4-d --------------------------------------------
for shape, groups in [((2, 6, 4), 1), ((2, 6, 4), 2), ((2, 6, 4), 6), ((3, 4), 2), ((2, 4, 3, 3), 2), ((1, 2, 5), 1)]:
    CASES += [Case("GroupNorm", (shape,), args=(groups,))]
CASES += [Case("GroupNorm", ((2, 6, 5),), args=(3,), kwargs={"eps": 1e-3})]
CASES += [_refused("GroupNorm", ((2, 6, 4),), 4), _refused("GroupNorm", ((2, 6, 4),), -2),
          _refused("GroupNorm", ((1, 6),), 6), _refused("GroupNorm", ((2, 6, 4),), 3, **_params(5))]
