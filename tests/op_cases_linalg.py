"""Cross-check cases of the everyday API's linalg ops (see op_cases.py, which gathers them)."""

from __future__ import annotations

from collections.abc import Callable
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

# ----- decompositions into several outputs: slogdet, qr, eigh, svd (each output gets its own random cotangent) ------
# The draws: uniform in [-2, 2], fixed per case. Their matrices are invertible and their eigenvalues and singular values
# distinct (checked below, ``_well_separated``): the gradients of eigenvectors and singular vectors divide by the gaps
# between them (1 / (w_j - w_i), 1 / (s_j^2 - s_i^2)) and those of log|det A| go through A^-1, so a gap or a determinant
# near 0 would amplify the last-bit differences of two LAPACKs beyond any fixed tolerance.
CASES += _cases("Slogdet", _SQUARE, _NOT_SQUARE)

# QR: Q and R are unique (LAPACK's Householder reflections fix R's signs, and MKL's and OpenBLAS's agree): compared as
# they are. 'complete' of a tall matrix and 'r' have no backward in torch (it raises; so must minigrad).
_QR = [((4, 3),), ((3, 4),), ((3, 3),), ((2, 4, 3),), ((2, 3, 4),), ((1, 1),), ((1, 3),), ((3, 1),), ((0, 3),),
       ((3, 0),), ((2, 0, 0),)]
CASES += [Case("Qr", shapes, kwargs=k, gradcheck=k.get("mode") != "r" and (k.get("mode") != "complete"
                                                                           or shapes[0][-2] <= shapes[0][-1]))
          for shapes in _QR for k in [{}, {"mode": "complete"}, {"mode": "r"}]]
CASES += [Case("Qr", shapes, kwargs=k, gradcheck=False) for shapes, k in [
    (((3,),), {}), (((),), {}), (((3, 3),), {"mode": "R"})]]

# eigh reads one triangle: as for eigvalsh, gradcheck checks the 1x1 cases and torch the others (its gradient is that
# of a symmetric perturbation). Eigenvectors are unique up to sign: see GAUGES.
_EIGH = [((3,3),), ((2, 3, 3),), ((4, 4),), ((1, 1),), ((2, 1, 1),), ((0, 0),), ((2, 0, 0),)]
CASES += [Case("Eigh", shapes, kwargs=k, gradcheck=shapes[0][-1] < 2) for shapes in _EIGH
          for k in [{}, {"UPLO": "U"}, {"UPLO": "l"}]]
CASES += [Case("Eigh", shapes, kwargs=k, gradcheck=False) for shapes, k in [
    (((2, 3),), {}), (((3,),), {}), (((2, 2),), {"UPLO": "X"})]]

# SVD: singular vectors unique up to a common sign per pair (see GAUGES). With full_matrices, U's columns and Vh's rows
# past min(m, n) are not determined by A at all: both frameworks give them no gradient, and finite differences would
# see them move, so gradcheck takes the reduced and the square cases.
# float32: numpy's LAPACK computes a float32 decomposition in float64 and rounds once, torch's sgesdd rounds at every
# step; torch's own error in the vectors reaches ~10 ulp (1.2e-6 for 2x3x4) and the gradient's ~2e-6 relative to its
# largest element (~2.5), hence 1e-5 absolute (float64 agrees to 1e-13).
_SVD = [((3, 4),), ((4, 3),), ((3, 3),), ((5, 2),), ((2, 5),), ((2, 3, 4),), ((2, 4, 3),), ((1, 1),), ((1, 3),),
        ((3, 1),), ((0, 3),), ((3, 0),), ((2, 0, 0),)]
CASES += [Case("Svd", shapes, kwargs=k, gradcheck=not k.get("full_matrices", True) or shapes[0][-1] == shapes[0][-2],
               float32_atol=1e-5)
          for shapes in _SVD for k in [{}, {"full_matrices": False}]]
CASES += [Case("Svd", shapes, kwargs=k, gradcheck=False) for shapes, k in [(((3,),), {}), (((),), {})]]
CASES += [Case("Svd", ((3, 3),), kwargs={"driver": "gesvd"}, gradcheck=False,
               cpu_only="driver= picks a cuSOLVER routine: torch takes it on CUDA and refuses it on the CPU")]


def _signs(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """+1 or -1 for each column of the matrices ``mine`` (..., m, k): the sign that turns it toward the same column
    of ``theirs`` (shape (..., 1, k))."""
    return np.where(np.sum(mine * theirs, axis=-2, keepdims=True) < 0, -1, 1).astype(mine.dtype)


def _svd_gauge(mine: list[np.ndarray], theirs: list[np.ndarray]) -> Callable[[list[np.ndarray]], list[np.ndarray]]:
    """A = U diag(S) Vh determines each pair (U's column i, Vh's row i) up to one sign (distinct singular values, as
    drawn): the signs LAPACK picks differ between MKL and OpenBLAS (about 20% of these shapes). The map flips minigrad's
    pairs to torch's signs; for a cotangent, the same flips (then minigrad's loss is torch's, so are the gradients).
    With full_matrices, the columns of U (rows of Vh) past k = min(m, n) are any orthonormal basis of what A leaves
    out; the map rotates minigrad's onto torch's within the span of minigrad's (so they match only if the spans do;
    their cotangents count for nothing in either backward)."""
    (u, s, vh), (their_u, _, their_vh) = mine, theirs
    k = s.shape[-1]
    signs = _signs(u[..., :k], their_u[..., :k])
    u_turn = np.swapaxes(u[..., k:], -1, -2) @ their_u[..., k:]
    vh_turn = their_vh[..., k:, :] @ np.swapaxes(vh[..., k:, :], -1, -2)

    def align(arrays: list[np.ndarray]) -> list[np.ndarray]:
        u, s, vh = arrays
        u = np.concatenate([u[..., :k] * signs, u[..., k:] @ u_turn], axis=-1)
        vh = np.concatenate([vh[..., :k, :] * np.swapaxes(signs, -1, -2), vh_turn @ vh[..., k:, :]], axis=-2)
        return [u, s, vh]

    return align


def _eigh_gauge(mine: list[np.ndarray], theirs: list[np.ndarray]) -> Callable[[list[np.ndarray]], list[np.ndarray]]:
    """A = V diag(w) V^T determines each eigenvector up to its sign (distinct eigenvalues, as drawn), which MKL and
    OpenBLAS pick differently (about half the time): the map flips minigrad's to torch's (and a cotangent the same)."""
    signs = _signs(mine[1], theirs[1])
    return lambda arrays: [arrays[0], arrays[1] * signs]


GAUGES = {"Svd": _svd_gauge, "Eigh": _eigh_gauge}


def _well_separated(case: Case) -> bool:
    """Whether the case's float64 draws keep what the gradients divide by away from 0 (see above)."""
    if case.op not in ("Slogdet", "Eigh", "Svd"):
        return True
    a = sample(case, "float64")[0]
    refused = a.ndim < 2 or (case.op != "Svd" and a.shape[-1] != a.shape[-2]) or case.kwargs.get("driver")
    if refused or a.size == 0 or case.kwargs.get("UPLO") == "X":
        return True
    if case.op == "Slogdet":
        return bool(np.all(np.abs(np.linalg.det(a)) > 0.1))
    if case.op == "Eigh":
        low = case.kwargs.get("UPLO", "L").upper() == "L"
        tri = np.tril(a) if low else np.triu(a)
        w = np.linalg.eigvalsh(tri + np.swapaxes(tri, -1, -2) - tri * np.eye(a.shape[-1]))
        return bool(np.all(np.diff(w, axis=-1) > 0.1))
    s = np.linalg.svd(a, compute_uv=False)
    return bool(np.all(s > 0.1) and np.all(-np.diff(s ** 2, axis=-1) > 0.1))
