"""Fuzz generators of the everyday API's linalg ops (see test_fuzz.py, which imports this file to register them)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from test_fuzz import Arr, Dt, H, Step, _dims, _dtype, arrays, broadcast_partner, generator, path

# Constrained: beta and alpha are powers of two (or 0, or NaN), so that scaling is exact. MKL's gemv and gemm apply
# alpha to each term of the sum or to the sum (and fuse beta * c into it) as their blocking picks: with alpha = 1e30,
# -1e30 + 1e30 * (a . v) cancels to 0 in one order and to -3e23 in the other, beyond any tolerance.
_SCALE = st.sampled_from([1, 1.0, 0.5, -2.0, 0.0, 0, 2, -1, float("nan")])


def _partner(draw: st.DrawFn, h: Any) -> str:
    """A second operand's dtype: mostly h's, sometimes the other float or an integer (torch's products refuse
    mixed dtypes, and bools)."""
    return draw(st.sampled_from([_dtype(h)] * 8 + ["float32", "float64", "int64"]))


def _bmm_quirk(op: str, dtypes: list[str], *shapes: tuple[int, ...]) -> bool:
    # Constrained: bmm of an empty product (a size-0 dim anywhere) with mixed dtypes. torch's bmm returns the empty
    # result (or zeros, for an inner size of 0) before it checks dtypes, taking the second operand's dtype; its
    # mm, mv, dot, addmm, addmv and baddbmm check dtypes first (a RuntimeError), as minigrad does everywhere.
    return op == "Bmm" and len(set(dtypes)) > 1 and any(0 in s for s in shapes)


@generator("Mm", "Bmm")
def gen_mm(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    shape = tuple(h.shape)
    rank = 2 if op == "Mm" else 3
    if len(shape) != rank:
        return []
    dtype = _partner(draw, h)
    batch = shape[:-2]
    out = draw(st.integers(0, 3))
    form = draw(st.sampled_from(["left", "right", "self"] if shape[-1] == shape[-2] else ["left", "right"]))
    if form == "self":
        return [Step(op, path(op), (H, H))]
    other_shape = (*batch, shape[-1], out) if form == "left" else (*batch, out, shape[-2])
    if _bmm_quirk(op, [_dtype(h), dtype], shape, other_shape):
        return []
    other = draw(arrays(dtype, other_shape))
    return [Step(op, path(op), (H, other) if form == "left" else (other, H))]


@generator("Mv")
def gen_mv(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    shape = tuple(h.shape)
    dtype = _partner(draw, h)
    if len(shape) == 2:
        return [Step(op, path(op), (H, draw(arrays(dtype, (shape[1],)))))]
    if len(shape) == 1:
        return [Step(op, path(op), (draw(arrays(dtype, (draw(st.integers(0, 3)), shape[0]))), H))]
    return []


@generator("Dot", "Vdot")
def gen_dot(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    shape = tuple(h.shape)
    if len(shape) != 1:
        return []
    if draw(st.integers(0, 4)) == 0:
        return [Step(op, path(op), (H, H))]
    dtype = _partner(draw, h)
    other = draw(arrays(dtype, shape))
    return [Step(op, path(op), draw(st.sampled_from([(H, other), (other, H)])))]


def _scales(draw: st.DrawFn, h: Any) -> dict[str, Any]:
    # Constrained: integer beta and alpha for integer tensors. torch converts a float beta to the integer type in
    # its kernel (0.5 becomes 0) but multiplies by it as a float on its inner-size-0 path of addmm and baddbmm (a
    # RuntimeError: result type Float can't be cast to Long): the result depends on the code path.
    scale = _SCALE if h.is_floating_point() else st.sampled_from([1, 0, 2, -1, 3])
    kwargs = {}
    for name in ("beta", "alpha"):
        if draw(st.booleans()):
            kwargs[name] = draw(scale)
    return kwargs


@generator("Addmm", "Addmv", "Baddbmm")
def gen_addmm(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    """beta * input + alpha * (a @ b), with h as the input (broadcast to the product's shape) or as a factor."""
    shape = tuple(h.shape)
    own = _dtype(h)
    dtype = _partner(draw, h)
    # the product's dims: Addmm (n, k) @ (k, m); Addmv (n, k) @ (k,); Baddbmm (b, n, k) @ (b, k, m)
    a_rank, b_rank = {"Addmm": (2, 2), "Addmv": (2, 1), "Baddbmm": (3, 3)}[op]
    roles = ["input"] + (["a"] if len(shape) == a_rank else []) + (["b"] if len(shape) == b_rank else [])
    role = draw(st.sampled_from(roles))
    size = st.integers(0, 3)
    if role == "a":
        *batch, n, k = shape
    elif role == "b":
        if op == "Addmv":
            batch, k = [], shape[0]
        else:
            *batch, k, _ = shape
        n = draw(size)
    else:
        batch = [draw(size)] if op == "Baddbmm" else []
        n, k = draw(size), draw(size)
    if op == "Addmv":
        out_shape = (*batch, n)
        m = None
    else:
        m = shape[-1] if role == "b" else draw(size)
        out_shape = (*batch, n, m)
    a = H if role == "a" else draw(arrays(dtype, (*batch, n, k)))
    b = H if role == "b" else draw(arrays(dtype, (*batch, k) + (() if m is None else (m,))))
    if role == "input":
        if len(shape) > len(out_shape):
            return []
        # the input's shape, made to expand to the product's: its trailing dims are the product's, or 1
        tail = out_shape[len(out_shape) - len(shape):] if shape else ()
        n_m = [s if s == 1 else t for s, t in zip(shape, tail)]
        out_shape = (*out_shape[:len(out_shape) - len(shape)], *n_m) if shape else out_shape
        if op == "Addmv":
            n = out_shape[-1]
            a = draw(arrays(dtype, (n, k)))
        elif op == "Addmm":
            n, m = out_shape
            a, b = draw(arrays(dtype, (n, k))), draw(arrays(dtype, (k, m)))
        else:
            bb, n, m = out_shape
            a, b = draw(arrays(dtype, (bb, n, k))), draw(arrays(dtype, (bb, k, m)))
        c: Any = H
    else:
        c = draw(arrays(draw(st.sampled_from([own, own, dtype])), draw(broadcast_partner(out_shape, grow=False))))
    if own == "bool" and k == 0 and op != "Addmv":
        # Constrained: bool addmm and baddbmm with an inner size of 0. torch's kernel refuses bools (as minigrad's
        # does), but this path returns beta * input without it, and multiplying a bool by the default beta (the int
        # 1) raises "result type Long can't be cast to Bool" while beta=True passes: a quirk of that path.
        return []
    if op == "Addmv" and n * k == 0 and (shape if c is H else c.values.shape) != (n,):
        # Constrained: addmv of an empty matrix with an input that is not of shape (n,). torch then returns
        # beta * input without expanding it (shape () or (1,) where the result is (n,): a resize its own warning
        # calls deprecated), where its kernel path, and minigrad, expand the input to (n,).
        return []
    dtypes = {own if x is H else x.values.dtype.name for x in (c, a, b)}
    if op == "Baddbmm" and len(dtypes) > 1 and 0 in (*batch, n, k, m or 0):
        # Constrained: baddbmm of an empty product with mixed dtypes. As bmm's (_bmm_quirk), torch's kernel returns
        # the empty or beta-scaled result before it checks dtypes; minigrad checks them first (a RuntimeError).
        return []
    return [Step(op, path(op), (c, a, b), _scales(draw, h))]


@generator("Trace")
def gen_trace(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    return [Step(op, path(op), (H,))] if h.dim() == 2 else []


@generator("Tril", "Triu")
def gen_triangle(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if h.dim() < 2:
        return []
    diagonal = draw(st.integers(-h.shape[-2] - 1, h.shape[-1] + 1))
    form = draw(st.integers(0, 2))
    if form == 0:
        return [Step(op, path(op), (H,))]
    return [Step(op, path(op), (H, diagonal) if form == 1 else (H,), {} if form == 1 else {"diagonal": diagonal})]


@generator("Diag")
def gen_diag(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if h.dim() not in (1, 2):
        return []
    bound = max(h.shape) + 1
    if draw(st.booleans()):
        return [Step(op, path(op), (H,))]
    return [Step(op, path(op), (H, draw(st.integers(-bound, bound))))]


@generator("Diagonal")
def gen_diagonal(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    n = h.dim()
    if n < 2:
        return []
    dim1 = _dims(draw, n)
    dim2 = draw(st.sampled_from([d for d in range(-n, n) if d % n != dim1 % n]))
    offset = draw(st.integers(-4, 4))
    kwargs = draw(st.sampled_from([{}, {"offset": offset}, {"offset": offset, "dim1": dim1, "dim2": dim2},
                                   {"dim1": dim1, "dim2": dim2}]))
    return [Step(op, path(op), (H,), kwargs)]


@generator("DiagEmbed")
def gen_diag_embed(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    n = h.dim() + 1
    if n < 2:
        return []
    dim1 = _dims(draw, n)
    dim2 = draw(st.sampled_from([d for d in range(-n, n) if d % n != dim1 % n]))
    offset = draw(st.integers(-3, 3))
    kwargs = draw(st.sampled_from([{}, {"offset": offset}, {"offset": offset, "dim1": dim1, "dim2": dim2},
                                   {"dim1": dim1, "dim2": dim2}]))
    return [Step(op, path(op), (H,), kwargs)]


@generator("Cross")
def gen_cross(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    shape = tuple(h.shape)
    threes = [d for d, s in enumerate(shape) if s == 3]
    if not threes:
        return []
    dim = draw(st.sampled_from(threes))
    other_shape = list(draw(broadcast_partner(shape)))
    # the other's dim that lines up with h's ``dim`` is 3 too (where it has one)
    offset = len(other_shape) - len(shape)
    if dim + offset >= 0:
        other_shape[dim + offset] = 3
    other = draw(arrays(_partner(draw, h), tuple(other_shape)))
    args = draw(st.sampled_from([(H, other), (other, H), (H, H)]))
    negative = draw(st.booleans())
    return [Step(op, path(op), args, {"dim": dim - len(shape) if negative else dim})]


# Constrained: no ord=0. That norm counts non-zeros: torch's backward sends its input no gradient at all (None, which
# the cross-checks compare: test_ops), and the free-running check has no gradient to nudge there.
_ORDS = [2, 1, 3, 0.5, -1, 1.5, -2, float("inf"), -float("inf"), 2.0]


@generator("VectorNorm")
def gen_vector_norm(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    n = h.dim()
    kwargs: dict[str, Any] = {}
    if draw(st.booleans()):
        kwargs["ord"] = draw(st.sampled_from(_ORDS))
    choice = draw(st.integers(0, 3))
    if choice == 1 or (choice == 2 and n == 0):
        kwargs["dim"] = _dims(draw, n)
    elif choice == 2:
        dims = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
        kwargs["dim"] = tuple(d - n if draw(st.booleans()) else d for d in dims)
    if draw(st.booleans()):
        kwargs["keepdim"] = draw(st.booleans())
    return [Step(op, path(op), (H,), kwargs)]


# ----- einsum: equations over h's dims (transposes, sums, diagonals), and products with a second operand -----------
@generator("Einsum")
def gen_einsum(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if not h.is_floating_point():
        # Constrained: float operands only. torch's einsum on integers and bools takes the dtype of the kernel its
        # contraction reduces to (a sum gives int64, a mul keeps int32 or bool, bmm refuses bools), which minigrad's
        # einsum does not follow yet (it keeps the operands' dtype): a known gap, in the notes of issue 23.
        return []
    shape = tuple(h.shape)
    letters = "abcdefgh"
    # h's subscripts: a letter per dim; equal sizes may share a letter (a diagonal)
    mine: list[str] = []
    sizes: dict[str, int] = {}
    for s in shape:
        same = [c for c in mine if sizes[c] == s]
        if same and draw(st.integers(0, 3)) == 0:
            mine.append(draw(st.sampled_from(same)))
        else:
            c = letters[len(sizes)]
            sizes[c] = s
            mine.append(c)
    terms = ["".join(mine)]
    operands: list[Any] = [H]
    if draw(st.booleans()):  # a second operand: some of h's letters, some new ones
        theirs = [c for c in dict.fromkeys(mine) if draw(st.booleans())]
        for _ in range(draw(st.integers(0, 2))):
            c = letters[len(sizes)]
            sizes[c] = draw(st.integers(0, 3))
            theirs.append(c)
        theirs = list(draw(st.permutations(theirs)))
        if draw(st.integers(0, 4)) == 0:
            terms.append(terms[0])
            operands.append(H)
        else:
            # Constrained: the second operand has h's dtype. torch's einsum multiplies mixed dtypes with promotion
            # where it reduces to mul or sum, and refuses them where it reduces to bmm: the code path decides.
            operands.append(draw(arrays(_dtype(h), tuple(sizes[c] for c in theirs))))
            terms.append("".join(theirs))
        if draw(st.booleans()):
            terms.reverse()
            operands.reverse()
    used = list(dict.fromkeys("".join(terms)))
    if draw(st.integers(0, 3)) == 0:
        equation = ",".join(terms)  # implicit output: the letters used once, sorted
    else:
        out = [c for c in used if draw(st.booleans())]
        equation = ",".join(terms) + "->" + "".join(draw(st.permutations(out)))
    return [Step(op, path(op), (equation, *operands))]


# ----- torch.linalg: inputs made well posed -----------------------------------------------------------------------
def _moderate(h: Any) -> bool:
    """h holds floats that are finite and at most 1e4 in size (nothing a product of a few of them overflows)."""
    if not h.is_floating_point():
        return True
    x = h.detach().double().numpy()
    return bool(np.all(np.isfinite(x)) and np.all(np.abs(x) <= 1e4))


def _bound(h: Any) -> float:
    """An upper bound of the 2-norm of each of h's matrices: sqrt(||.||_1 ||.||_inf), at least 1."""
    x = np.abs(h.detach().double().numpy())
    if x.size == 0:
        return 1.0
    ones = x.sum(axis=-2).max(initial=0.0)
    infs = x.sum(axis=-1).max(initial=0.0)
    return float(max(1.0, np.sqrt(ones * infs)))


def _diagonal(h: Any, values: list[float], shape: tuple[int, int]) -> Arr:
    m = np.zeros(shape)
    for i, v in enumerate(values):
        m[i, i] = v
    dtype = _dtype(h) if h.is_floating_point() else "int64"
    return Arr(m.reshape(-1).tolist(), dtype, shape, grad=False)


def _shift(h: Any, spread: bool) -> list[Step]:
    """Steps adding c I (or c diag(1, 2, ..., k) when ``spread``) to h's matrices, with c = 4 ||h||_2 + 1: every
    singular value of the sum is then at least 3 ||h|| + 1 and their ratios at most 3 (well conditioned), and with
    ``spread`` the singular (or symmetric eigen-) values lie apart by at least 2 ||h|| + 1."""
    m, n = h.shape[-2], h.shape[-1]
    c = 4 * _bound(h) + 1
    if not h.is_floating_point():
        c = float(np.ceil(c))
    k = min(m, n)
    values = [c * (i + 1) if spread else c for i in range(k)]
    if not h.is_floating_point():
        values = [int(v) for v in values]
    return [Step("Add", path("Add"), (H, _diagonal(h, values, (m, n))))]


def _square(h: Any) -> bool:
    return h.dim() >= 2 and h.shape[-1] == h.shape[-2]


def _in_float64(h: Any) -> tuple[list[Step], Any]:
    """(the steps that bring a float32 h to float64, h as it then is); none for other dtypes.

    Constrained: the symmetric eigen- and singular value decompositions in float64 only. Their gradients go through
    the vectors, whose error in float32 LAPACK is about n eps ||A|| / gap (n eps for the spread _shift makes):
    torch's ssyevd and sgesdd reach the suite's float32 tolerance (1e-6) at n = 4, while numpy factors float32 in
    float64 (minigrad's is the closer to exact). test_ops compares float32 on its cases, with a tolerance to match.
    """
    if _dtype(h) != "float32":
        return [], h
    return [Step("ToCopy", path("ToCopy"), (H, Dt("float64")))], h.double()


def _refused(h: Any, op: str) -> list[Step] | None:
    """For an integer or bool h, the op on h as it is (torch.linalg refuses them, and minigrad must too); None
    for a float h."""
    return None if h.is_floating_point() else [Step(op, path(op), (H,))]


@generator("Inv", "Det")
def gen_inverse(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if not _square(h) or not _moderate(h):
        # Constrained: inf, NaN and huge values in LAPACK's getrf/getri give whatever the code path gives (undefined).
        return []
    if _refused(h, op) is not None:
        return _refused(h, op) or []
    # Constrained: h + c I, well conditioned (see _shift). The inverse of a singular or ill-conditioned matrix is
    # not continuous in it: rounding in LAPACK's LU (MKL's or OpenBLAS's) decides the result, and torch's det
    # backward at a singular matrix takes an SVD path whose result depends on the singular vectors it picks.
    return [*_shift(h, False), Step(op, path(op), (H,))]


@generator("Solve")
def gen_solve(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    shape = tuple(h.shape)
    if not _moderate(h) or not h.is_floating_point():
        # Constrained: inf, NaN and huge values in LAPACK's getrf/getrs (undefined, as for Inv).
        return []
    if _square(h) and draw(st.booleans()):  # h as A, well conditioned (as for Inv)
        n = shape[-1]
        b_shape = draw(st.sampled_from([(n,), (n, draw(st.integers(0, 2))), (*shape[:-2], n, 1), (*shape[:-1],)]))
        b = draw(arrays(_partner(draw, h), b_shape, mode="ordinary"))
        return [*_shift(h, False), Step(op, path(op), (H, b))]
    if len(shape) not in (1, 2, 3):
        return []
    # h as B: A drawn well conditioned (ordinary values plus c I, as _shift makes it)
    n = shape[-2] if len(shape) >= 2 else shape[0]
    if len(shape) >= 2 and draw(st.booleans()):
        n = shape[-1] if len(shape) == 2 else shape[-2]
    a_batch = draw(st.sampled_from([(), shape[:-2]] if len(shape) == 3 else [()]))
    a_dtype = draw(st.sampled_from([_dtype(h)] * 6 + ["float32", "float64"]))
    a = draw(arrays(a_dtype, (*a_batch, n, n), mode="ordinary"))
    raw = a.values.astype(np.float64)
    bound = float(np.sqrt(np.abs(raw).sum(-2).max(initial=0) * np.abs(raw).sum(-1).max(initial=0))) if n else 0.0
    well = raw + (4 * bound + 1) * np.eye(n)
    a = Arr(well.reshape(-1).tolist(), a_dtype, well.shape, grad=a.grad, strided=a.strided)
    return [Step(op, path(op), (a, H))]


@generator("Cholesky")
def gen_cholesky(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if not _square(h) or not _moderate(h):
        # Constrained: inf, NaN and huge values in LAPACK's potrf (undefined).
        return []
    if _refused(h, op) is not None:
        return _refused(h, op) or []
    # Constrained: h h^T + c I (c = 4 ||h h^T|| + 1), positive definite and well conditioned. potrf of a matrix
    # that is not positive definite (torch raises) or nearly so (its result is not continuous) depends on LAPACK's
    # rounding; the draw keeps to the ones it factors reliably. Both triangles are drawn (upper=True).
    steps = [Step("Einsum", path("Einsum"), ("...ij,...kj->...ik", H, H))]
    gram = h.detach().double() @ h.detach().double().mT
    c = 4 * _bound(gram) + 1
    n = h.shape[-1]
    values: list[Any] = [c] * n if h.is_floating_point() else [int(np.ceil(c))] * n
    steps.append(Step("Add", path("Add"), (H, _diagonal(h, values, (n, n)))))
    kwargs = draw(st.sampled_from([{}, {"upper": True}, {"upper": False}]))
    return [*steps, Step(op, path(op), (H,), kwargs)]


@generator("Eigvalsh")
def gen_eigvalsh(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if not _square(h) or not _moderate(h):
        # Constrained: inf, NaN and huge values in LAPACK's syevd (undefined).
        return []
    if _refused(h, op) is not None:
        return _refused(h, op) or []
    # Constrained: h + c diag(1, ..., n), whose eigenvalues lie apart (see _shift). The gradient V diag(g) V^T
    # depends on the eigenvectors syevd picks where eigenvalues are equal or nearly so (not unique there). In float64
    # (see _in_float64).
    kwargs = draw(st.sampled_from([{}, {"UPLO": "U"}, {"UPLO": "L"}]))
    cast, h = _in_float64(h)
    return [*cast, *_shift(h, True), Step(op, path(op), (H,), kwargs)]


@generator("Svdvals")
def gen_svdvals(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if h.dim() < 2 or not _moderate(h):
        # Constrained: inf, NaN and huge values in LAPACK's gesdd (undefined).
        return []
    if _refused(h, op) is not None:
        return _refused(h, op) or []
    # Constrained: h + c diag(1, ..., k), whose singular values lie apart and away from 0 (see _shift). The gradient
    # U diag(g) V^T depends on the singular vectors gesdd picks where singular values are equal or 0. In float64 (see
    # _in_float64).
    cast, h = _in_float64(h)
    return [*cast, *_shift(h, True), Step(op, path(op), (H,))]



# ----- decompositions into several outputs: a step keeps one of them (``pick``) ----------------------------------
# Constrained: eigh's eigenvectors and svd's singular vectors are never picked. Each is unique only up to its sign,
# which MKL (torch) and OpenBLAS (numpy) pick differently, so a step's output could not be compared as it is; their
# gradients are compared in the op cases instead (test_ops, in torch's gauge) and in test_linalg_decompositions.py.
def _refused_pick(h: Any, op: str, pick: int) -> list[Step] | None:
    """``_refused``, keeping output ``pick`` where torch does not refuse (eigh of an empty integer matrix)."""
    return None if h.is_floating_point() else [Step(op, path(op), (H,), pick=pick)]


@generator("Slogdet")
def gen_slogdet(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if not _square(h) or not _moderate(h):
        # Constrained: inf, NaN and huge values in LAPACK's getrf (undefined, as for Inv).
        return []
    pick = draw(st.sampled_from([0, 1, 1]))  # sign (no gradient flows back from it) or log|det|
    if _refused_pick(h, op, pick) is not None:
        return _refused_pick(h, op, pick) or []
    # Constrained: h + c I, well conditioned (see _shift): log|det A| and its gradient A^-T are not continuous where
    # A is singular or nearly so (LU's rounding decides them).
    return [*_shift(h, False), Step(op, path(op), (H,), pick=pick)]


@generator("Qr")
def gen_qr(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if h.dim() < 2 or not _moderate(h):
        # Constrained: inf, NaN and huge values in LAPACK's geqrf (undefined).
        return []
    mode = draw(st.sampled_from(["reduced", "reduced", "complete", "r"]))
    pick = draw(st.sampled_from([0, 1]))
    if _refused_pick(h, op, pick) is not None:
        return _refused_pick(h, op, pick) or []
    # Constrained: h + c I, of full rank and well conditioned (see _shift). Q's columns past the rank, and the signs
    # Householder picks where a column is nearly 0, depend on rounding. mode 'r' and 'complete' of a tall h: torch
    # refuses their backward, so must minigrad.
    return [*_shift(h, False), Step(op, path(op), (H,), {"mode": mode}, pick=pick)]


@generator("Eigh")
def gen_eigh(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if not _square(h) or not _moderate(h):
        # Constrained: inf, NaN and huge values in LAPACK's syevd (undefined).
        return []
    if _refused_pick(h, op, 0) is not None:
        return _refused_pick(h, op, 0) or []
    # Constrained: h + c diag(1, ..., n), eigenvalues apart (as for Eigvalsh), in float64 (see _in_float64); the
    # eigenvalues only (see above).
    kwargs = draw(st.sampled_from([{}, {"UPLO": "U"}, {"UPLO": "L"}, {"UPLO": "u"}]))
    cast, h = _in_float64(h)
    return [*cast, *_shift(h, True), Step(op, path(op), (H,), kwargs, pick=0)]


@generator("Svd")
def gen_svd(draw: st.DrawFn, h: Any, op: str) -> list[Step]:
    if h.dim() < 2 or not _moderate(h):
        # Constrained: inf, NaN and huge values in LAPACK's gesdd (undefined).
        return []
    if _refused_pick(h, op, 1) is not None:
        return _refused_pick(h, op, 1) or []
    # Constrained: h + c diag(1, ..., k), singular values apart and away from 0 (as for Svdvals), in float64 (see
    # _in_float64); the singular values only (see above).
    kwargs = draw(st.sampled_from([{}, {"full_matrices": False}]))
    cast, h = _in_float64(h)
    return [*cast, *_shift(h, True), Step(op, path(op), (H,), kwargs, pick=1)]
