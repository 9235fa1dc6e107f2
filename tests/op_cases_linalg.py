"""Cross-check cases of the everyday API's linalg ops (see op_cases.py, which gathers them)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from op_cases import Case, Domain, sample

CASES: list[Case] = []
DOMAINS: dict[str, tuple[Domain, ...]] = {}


def _cases(op: str, good: list[tuple[tuple[int, ...], ...]], refused: list[tuple[tuple[int, ...], ...]]) -> list[Case]:
    """The op on shapes it takes, and on shapes PyTorch refuses (where minigrad must raise as torch does)."""
    return [Case(op, shapes) for shapes in good] + [Case(op, shapes, gradcheck=False) for shapes in refused]


# ----- the products of fixed ranks: size-0 and size-1 dims, and each rank or size PyTorch refuses -----------------
CASES += _cases("Mm", [((3, 4), (4, 5)), ((1, 4), (4, 1)), ((0, 4), (4, 3)), ((3, 0), (0, 2)), ((3, 4), (4, 0))],
                [((3, 4), (5, 2)), ((4,), (4, 2)), ((3, 4), (4,)), ((2, 3, 4), (4, 5)), ((), (2, 2))])
CASES += _cases("Bmm", [((2, 3, 4), (2, 4, 5)), ((1, 1, 4), (1, 4, 1)), ((0, 3, 4), (0, 4, 2)), ((2, 3, 0), (2, 0, 2))],
                [((2, 3, 4), (2, 5, 2)), ((2, 3, 4), (1, 4, 2)), ((3, 4), (4, 5)), ((2, 3, 4), (4, 5))])
CASES += _cases("Mv", [((3, 4), (4,)), ((1, 1), (1,)), ((0, 4), (4,)), ((3, 0), (0,))],
                [((3, 4), (5,)), ((4,), (4,)), ((3, 4), (4, 1)), ((2, 3, 4), (4,))])
for name in ("Dot", "Vdot"):
    CASES += _cases(name, [((5,), (5,)), ((1,), (1,)), ((0,), (0,))],
                    [((5,), (4,)), ((2, 3), (3,)), ((3,), (2, 3)), ((), ())])

# ----- beta * input + alpha * product: the input broadcast (expanded) to the product's shape; beta 0 ignores it ----
_SCALES = [{}, {"beta": 0.5, "alpha": 2.0}, {"beta": 0.0}, {"alpha": 0.0}]
CASES += [Case("Addmm", ((3, 5), (3, 4), (4, 5)), kwargs=k) for k in _SCALES]
CASES += _cases("Addmm", [((5,), (3, 4), (4, 5)), ((3, 1), (3, 4), (4, 5)), ((), (3, 4), (4, 5)),
                          ((0, 2), (0, 3), (3, 2)), ((3, 2), (3, 0), (0, 2))],
                [((4,), (3, 4), (4, 5)), ((2, 3, 5), (3, 4), (4, 5)), ((3, 5), (4,), (4, 5)), ((3, 5), (3, 4), (5, 4))])
CASES += [Case("Addmv", ((3,), (3, 4), (4,)), kwargs=k) for k in _SCALES]
CASES += _cases("Addmv", [((1,), (3, 4), (4,)), ((), (3, 4), (4,)), ((0,), (0, 4), (4,)), ((3,), (3, 0), (0,))],
                [((5,), (3, 4), (4,)), ((3,), (3, 4), (5,)), ((3, 3), (3, 4), (4,)), ((3,), (4,), (4,))])
CASES += [Case("Baddbmm", ((2, 3, 5), (2, 3, 4), (2, 4, 5)), kwargs=k) for k in _SCALES]
CASES += _cases("Baddbmm", [((5,), (2, 3, 4), (2, 4, 5)), ((3, 1), (2, 3, 4), (2, 4, 5)), ((), (2, 3, 4), (2, 4, 5)),
                            ((0, 3, 2), (0, 3, 4), (0, 4, 2))],
                [((4,), (2, 3, 4), (2, 4, 5)), ((3, 2, 3, 5), (2, 3, 4), (2, 4, 5)), ((2, 3, 5), (3, 4), (2, 4, 5)),
                 ((2, 3, 5), (2, 3, 4), (2, 5, 4)), ((2, 3, 5), (2, 3, 4), (1, 4, 5))])

# ----- diagonals and triangles: offsets past the edge, size-0 and size-1 dims, the dims PyTorch refuses -------------
CASES += _cases("Trace", [((3, 4),), ((4, 3),), ((1, 1),), ((0, 3),)], [((3,),), ((2, 3, 4),), ((),)])
CASES += [Case("Diagonal", ((3, 4),), kwargs=k) for k in [
    {}, {"offset": 1}, {"offset": -2}, {"offset": 5}, {"offset": 1, "dim1": 1, "dim2": 0}]]
CASES += [Case("Diagonal", ((2, 3, 4),), kwargs=k) for k in [{"dim1": -1, "dim2": 0}, {"offset": -1, "dim1": 2}]]
CASES += [Case("Diagonal", ((0, 3),))]
CASES += [Case("Diagonal", shapes, kwargs=k, gradcheck=False) for shapes, k in [
    (((3, 4),), {"dim1": 0, "dim2": 0}), (((3, 4),), {"dim2": 2}), (((3,),), {})]]
CASES += [Case("DiagEmbed", ((3,),), kwargs=k) for k in [{}, {"offset": 1}, {"offset": -2}]]
CASES += [Case("DiagEmbed", ((2, 3),), kwargs=k) for k in [
    {}, {"offset": 1, "dim1": 0, "dim2": 2}, {"dim1": 2, "dim2": 0}]]
CASES += [Case("DiagEmbed", ((0,),)), Case("DiagEmbed", ((2, 0),))]
CASES += [Case("DiagEmbed", shapes, kwargs=k, gradcheck=False) for shapes, k in [
    (((2, 3),), {"dim1": 0, "dim2": 0}), (((2, 3),), {"dim1": 3}), (((),), {})]]
CASES += [Case("Diag", shapes, args=args) for shapes, args in [
    (((3,),), ()), (((3,),), (2,)), (((3,),), (-1,)), (((1,),), ()), (((0,),), ()),
    (((3, 4),), ()), (((3, 4),), (1,)), (((3, 4),), (-2,)), (((3, 4),), (7,)), (((0, 2),), ())]]
CASES += [Case("Diag", shapes, gradcheck=False) for shapes in [((),), ((2, 3, 4),)]]
for name in ("Tril", "Triu"):
    CASES += [Case(name, shapes, args=args) for shapes, args in [
        (((4, 5),), ()), (((4, 5),), (1,)), (((4, 5),), (-2,)), (((4, 5),), (9,)), (((2, 3, 4),), ()),
        (((0, 3),), ()), (((1, 1),), ())]]
    CASES += [Case(name, shapes, gradcheck=False) for shapes in [((3,),), ((),)]]
CASES += [Case("Cross", shapes, kwargs={"dim": dim}) for shapes, dim in [
    (((4, 3), (4, 3)), 1), (((3, 4), (3, 4)), 0), (((1, 3), (5, 3)), -1), (((2, 3, 1), (1, 3, 4)), 1),
    (((0, 3), (0, 3)), 1)]]
CASES += [Case("Cross", shapes, kwargs={"dim": dim}, gradcheck=False) for shapes, dim in [
    (((4, 3), (4, 3)), 0), (((3,), (2, 3)), -1), (((2, 3), (4, 3)), 1), (((4, 3), (4, 3)), 2)]]

# ----- einsum: implicit and explicit outputs, repeated letters (diagonals), ellipses that broadcast, and errors -----
_EINSUM = [
    ("ij,jk", ((2, 3), (3, 4))), ("ij,jk->ik", ((2, 3), (3, 4))), ("bij,bjk->bik", ((2, 3, 4), (2, 4, 5))),
    ("ij,jk,kl->il", ((2, 3), (3, 4), (4, 2))), ("i,j->ij", ((3,), (4,))), ("i,i->", ((3,), (3,))), ("ij->", ((2, 3),)),
    ("ij->j", ((2, 3),)), ("ij->ji", ((2, 3),)), ("ba", ((2, 3),)), ("Ba", ((2, 3),)), ("bA,Ab", ((2, 3), (3, 2))),
    ("ii", ((3, 3),)), ("ii->i", ((3, 3),)), ("iij->ji", ((2, 2, 3),)), ("a...a->...", ((2, 3, 2),)),
    ("...j,j->...", ((2, 1, 3), (3,))), ("...ij,...jk", ((2, 2, 3), (1, 3, 4))), ("i...->...", ((2, 3, 4),)),
    ("ijk,ik->j", ((2, 3, 4), (2, 4))), ("ij,jk", ((2, 1), (3, 4))), ("ij,ij->ij", ((2, 1), (2, 4))),
    ("i j , j k -> i k", ((2, 3), (3, 4))), ("ijk->", ((0, 2, 3),)), ("ij,jk", ((2, 0), (0, 3))), ("...", ((),)),
    (",->", ((), ())), ("ii->", ((1, 1),)),
]
_EINSUM_REFUSED = [
    ("ij,jk", ((2, 3),)), ("ij", ((2, 3), (3, 4))), ("ijk", ((2, 3),)), ("ij->ii", ((2, 3),)), ("ij->k", ((2, 3),)),
    ("i1", ((2, 3),)), ("ii", ((2, 3),)), ("i,i", ((2,), (3,))), ("...ij,...jk", ((2, 2, 3), (5, 3, 4))),
    ("ij-", ((2, 3),)), ("ijk...", ((2, 3),)), ("i.,i", ((2,), (2,))), ("i,i->i->i", ((2,), (2,))),
]
CASES += [Case("Einsum", shapes, leading=(equation,)) for equation, shapes in _EINSUM]
CASES += [Case("Einsum", shapes, leading=(equation,), gradcheck=False) for equation, shapes in _EINSUM_REFUSED]

# ----- norms: p = 1, 2, inf, -inf, 0 and others, over every element, one dim or several, keepdim, and errors -------
_INF = float("inf")
CASES += [Case("VectorNorm", ((3, 4),), kwargs=k) for k in [
    {}, {"ord": 1}, {"ord": _INF}, {"ord": -_INF}, {"ord": 0}, {"ord": 3}, {"ord": 0.5}, {"ord": -1},
    {"dim": 1}, {"ord": 1, "dim": 0, "keepdim": True}, {"ord": _INF, "dim": -1}, {"dim": (0, 1), "keepdim": True}]]
CASES += [Case("VectorNorm", shapes, kwargs=k) for shapes, k in [
    (((),), {}), (((5,),), {"ord": 3}), (((2, 3, 4),), {"dim": (0, 2)}), (((0, 3),), {}),
    (((0, 3),), {"ord": _INF, "dim": 1}), (((1, 3),), {"ord": 1, "dim": 0})]]
CASES += [Case("VectorNorm", ((3, 4),), kwargs=k, discrete=True) for k in [{"ord": _INF}, {"ord": 2}, {"dim": 1}]]
CASES += [Case("VectorNorm", shapes, kwargs=k, gradcheck=False) for shapes, k in [
    (((0, 3),), {"ord": _INF}), (((0, 3),), {"ord": -_INF, "dim": 0}), (((3, 4),), {"dim": 2}),
    (((3, 4),), {"dim": (0, 0)})]]
DOMAINS["VectorNorm"] = (Domain("x != 0 (|x| is not differentiable at 0)", 0.1, 2.0, symmetric=True),)

# ----- torch.linalg: random matrices are invertible (the draws are fixed); batches, size-1 and empty matrices --------
_SQUARE = [((3, 3),), ((2, 3, 3),), ((1, 1),), ((0, 0),), ((2, 0, 0),), ((4, 4),)]
_NOT_SQUARE = [((2, 3),), ((3,),), ((),)]
for name in ("Inv", "Det"):
    CASES += _cases(name, _SQUARE, _NOT_SQUARE)
CASES += _cases("Solve", [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (3,)), ((2, 3, 3), (2, 3)),
                          ((2, 3, 3), (1, 3, 4)), ((3, 3), (2, 3, 1)), ((1, 1), (1,)), ((0, 0), (0, 2))],
                [((3, 3), (4,)), ((2, 3), (2,)), ((3, 3), (2, 3))])


def _positive_definite(case: Case) -> bool:
    """Whether the lower triangle of each drawn matrix is that of a positive-definite matrix (well away from 0)."""
    a = sample(case, "float64")[0]
    a = np.swapaxes(a, -1, -2) if case.kwargs.get("upper") else a  # upper=True reads the upper triangle
    symmetric = np.tril(a) + np.swapaxes(np.tril(a, -1), -1, -2)
    return bool(np.all(np.linalg.eigvalsh(symmetric) > 0.1)) if a.size else True


# Cholesky reads only the lower triangle: of the candidates, the cases are those whose (fixed) draws make it
# positive-definite, well away from singular (2x2x2 and 1x2x2 among them).
DOMAINS["Cholesky"] = (Domain("the lower triangle of a symmetric positive-definite matrix", 0.5, 2.0),)
_CHOLESKY = [Case("Cholesky", shapes, kwargs=k, domain=DOMAINS["Cholesky"]) for shapes in [
    ((1, 1),), ((2, 2),), ((3, 3),), ((2, 2, 2),), ((1, 2, 2),), ((3, 2, 2),), ((0, 0),)]
    for k in [{}, {"upper": True}, {"upper": False}]]
# Off the diagonal, PyTorch's gradient is that of a symmetric perturbation (A + dA with dA symmetric), while a finite
# difference moves one triangle only: gradcheck checks the 1x1 cases; torch checks the others.
CASES += [replace(case, gradcheck=case.shapes[0][-1] < 2) for case in _CHOLESKY if _positive_definite(case)]
CASES += _cases("Cholesky", [], _NOT_SQUARE)

# ----- singular values and symmetric eigenvalues (distinct, for the random draws) ------------------------------
CASES += _cases("Svdvals", [((3, 4),), ((4, 3),), ((2, 3, 3),), ((1, 1),), ((1, 3),)], [((3,),), ((),)])
# eigvalsh reads one triangle: as for Cholesky, gradcheck checks the 1x1 cases and torch the others.
CASES += [Case("Eigvalsh", shapes, kwargs=k, gradcheck=shapes[0][-1] < 2) for shapes in [
    ((3, 3),), ((2, 3, 3),), ((1, 1),), ((2, 1, 1),)] for k in [{}, {"UPLO": "U"}]]
CASES += [Case("Eigvalsh", shapes, kwargs=k, gradcheck=False) for shapes, k in [
    (((2, 3),), {}), (((3,),), {}), (((2, 2),), {"UPLO": "X"})]]
