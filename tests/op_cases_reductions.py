"""Cross-check cases of the everyday API's reductions ops (see op_cases.py, which gathers them).

Sorting ties: minigrad's sort is stable, as torch's ``stable=True`` and, on the CPU, its default. topk, kthvalue and
median along a dim pick among equal values by a partial sort (std::nth_element) whose choice of index minigrad
does not reproduce, so their cases draw distinct values; mode's index rule (the last occurrence) is checked on ties.
"""

from __future__ import annotations

from op_cases import Case, Domain

CASES: list[Case] = []
DOMAINS: dict[str, tuple[Domain, ...]] = {}

for name in ("Amax", "Amin"):
    CASES += [Case(name, ((3, 4, 5),)), Case(name, ((),)), Case(name, ((4, 5),), discrete=True),
              Case(name, ((3, 4, 5),), args=(1,)), Case(name, ((3, 4, 5),), args=((0, 2),), kwargs={"keepdim": True}),
              Case(name, ((4, 5),), args=(-1,), discrete=True), Case(name, ((4, 1),), args=(1,)),
              Case(name, ((0, 3),), args=(1,)), Case(name, ((0, 3),), gradcheck=False),
              Case(name, ((0, 3),), args=(0,), gradcheck=False), Case(name, ((3, 4),), args=((0, 0),), gradcheck=False)]
CASES += [Case("Aminmax", (shape,), kwargs=kwargs) for shape, kwargs in [
    ((3, 4, 5), {}), ((), {}), ((3, 4, 5), {"dim": 1}), ((3, 4, 5), {"dim": -1, "keepdim": True}), ((4, 1), {"dim": 1}),
    ((0, 3), {"dim": 1}), ((), {"dim": 0, "keepdim": True}), ((2, 3), {"keepdim": True})]]
CASES += [Case("Aminmax", ((4, 5),), kwargs=kwargs, discrete=True) for kwargs in ({}, {"dim": 0})]  # ties share
CASES += [Case("Aminmax", (shape,), kwargs=kwargs, gradcheck=False) for shape, kwargs in [
    ((0, 3), {}), ((0, 3), {"dim": 0}), ((3, 4), {"dim": (0, 1)}), ((3, 4), {"dim": 2})]]
CASES += [Case("Logsumexp", (shape,), args=(dim,), kwargs=kwargs) for shape, dim, kwargs in [
    ((3, 4), 1, {}), ((3, 4), 0, {"keepdim": True}), ((2, 3, 4), (0, 2), {}), ((5,), 0, {}), ((), 0, {}),
    ((0, 3), 1, {}), ((0, 3), 0, {}), ((4, 1), 1, {})]]
CASES += [Case("Logsumexp", ((3, 4),), args=(1,), domain=(Domain("x near 1e3: exp(x) overflows", 1e3, 1e3 + 4),))]
CASES += [Case("Sort", (shape,), kwargs=kwargs) for shape, kwargs in [
    ((7,), {}), ((3, 4), {"dim": 0}), ((3, 4), {"descending": True}), ((2, 3, 4), {"dim": 1, "stable": True}),
    ((), {}), ((0, 3), {"dim": 0}), ((0, 3), {}), ((4, 1), {}), ((33,), {"descending": True})]]
CASES += [Case("Sort", ((4, 9),), kwargs=kwargs, discrete=True) for kwargs in [
    {"stable": True}, {"descending": True, "stable": True}, {"dim": 0}]]
CASES += [Case("Topk", (shape,), args=(k,), kwargs=kwargs) for shape, k, kwargs in [
    ((7,), 3, {}), ((3, 5), 2, {"dim": 0}), ((3, 5), 5, {"largest": False}), ((2, 3, 4), 1, {"dim": 1}),
    ((), 1, {}), ((3, 4), 0, {}), ((0, 3), 2, {"dim": 1})]]
CASES += [Case("Topk", ((3, 4),), args=(k,), gradcheck=False) for k in (5, -1)]
CASES += [Case("Kthvalue", (shape,), args=(k,), kwargs=kwargs) for shape, k, kwargs in [
    ((7,), 3, {}), ((3, 5), 2, {"dim": 0}), ((3, 5), 5, {"keepdim": True}), ((2, 3, 4), 1, {"dim": 1}),
    ((), 1, {}), ((4, 1), 1, {})]]
CASES += [Case("Kthvalue", ((3, 4),), args=(k,), gradcheck=False) for k in (0, 5)]
CASES += [Case("MedianDim", (shape,), args=(dim,), kwargs=kwargs) for shape, dim, kwargs in [
    ((7,), 0, {}), ((3, 4), 1, {}), ((3, 5), 0, {"keepdim": True}), ((2, 3, 4), -1, {}), ((), 0, {}),
    ((0, 3), 1, {}), ((4, 1), 1, {})]]
CASES += [Case("MedianDim", ((0, 3),), args=(0,), gradcheck=False)]
CASES += [Case("Median", (shape,)) for shape in [(7,), (3, 4), (), (1,)]]
CASES += [Case("Median", ((4, 5),), discrete=True), Case("Median", ((0, 3),), gradcheck=False)]
CASES += [Case("ModeDim", (shape,), kwargs=kwargs, discrete=discrete) for shape, kwargs, discrete in [
    ((4, 9), {}, True), ((9, 4), {"dim": 0, "keepdim": True}, True), ((2, 3, 6), {"dim": 1}, True), ((5,), {}, False),
    ((), {}, False), ((0, 3), {}, False), ((4, 1), {}, False)]]
CASES += [Case("ModeDim", ((0, 3),), kwargs={"dim": 0}, gradcheck=False)]
for name in ("Cumprod", "Cummax", "Cummin", "Logcumsumexp"):
    CASES += [Case(name, (shape,), args=(dim,)) for shape, dim in [
        ((5,), 0), ((3, 4), 1), ((3, 4), -2), ((2, 3, 4), 1), ((), 0), ((0, 3), 0), ((0, 3), 1), ((4, 1), 1)]]
CASES += [Case(name, ((4, 7),), args=(1,), discrete=True) for name in ("Cumprod", "Cummax", "Cummin")]
CASES += [Case("CountNonzero", (shape,), kwargs=kwargs, discrete=True) for shape, kwargs in [
    ((3, 4), {}), ((3, 4), {"dim": 1}), ((2, 3, 4), {"dim": (0, 2)}), ((), {}), ((0, 3), {"dim": 0})]]
CASES += [Case("Nonzero", (shape,), discrete=True) for shape in [(7,), (3, 4), (2, 3, 4), (), (0, 3)]]
