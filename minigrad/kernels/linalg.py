"""Matrix products: the textbook loop, each output a dot product summed in order in the operands' dtype.

Exact mode keeps that loop where PyTorch's MKL sums in order too (``exact.products``) and hands the other products
to BLAS (numpy), which agrees with MKL to rounding and is faster.
"""

import ctypes
import functools
import math
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit

from . import mode
from .exact import products
from .fast import direct
from .layout import broadcast_shapes, copy


@njit(cache=True)
def _matmul_loop(a, b, out):
    """out[..., i, j] = sum_k a[..., i, k] * b[..., k, j], summed in order of k, in the operands' dtype. (Row i of
    out gathers a[i, k] times row k of b for each k in turn: each sum still runs in order of k, and the innermost
    loop walks rows, which is kind to the cache.)"""
    for p in range(out.shape[0]):
        for i in range(out.shape[1]):
            out[p, i, :] = 0
            for k in range(a.shape[2]):
                for j in range(out.shape[2]):
                    out[p, i, j] += a[p, i, k] * b[p, k, j]


def _batches(x: np.ndarray, batch: tuple[int, ...], rows: int, cols: int) -> np.ndarray:
    """``x`` broadcast over ``batch`` as one C-contiguous (count, rows, cols) array (the direct call below passes it on
    read-only to the dispatcher, so one compiled version serves all)."""
    if batch and x.shape != (*batch, rows, cols):
        x = np.broadcast_to(x, (*batch, rows, cols))
    x = x if x.flags.c_contiguous else copy(x)
    return x.reshape(math.prod(batch), rows, cols) if batch else x[None]


def blas_matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """out = a @ b through numpy's BLAS: not a numba kernel (``minigrad.compile`` calls it in object mode)."""
    with np.errstate(all="ignore"):  # inf * 0 is NaN, as in PyTorch: no RuntimeWarning for the user
        np.matmul(a, b, out=out)


_matmul_direct = direct.Direct(_matmul_loop, written=(2,))  # (three C-contiguous 3-D arrays)


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b with numpy's rules for 1-D and batched operands (shapes already checked by the caller)."""
    if a.ndim == 2 and b.ndim == 2:  # two matrices, the common case: no batch
        a2, b2, (m, k), n, batch = a, b, a.shape, b.shape[1], ()
        shape = (m, n)
    else:
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        m, k, n = a2.shape[-2], a2.shape[-1], b2.shape[-1]
        batch = broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        shape = (*batch, *((m,) if a.ndim > 1 else ()), *((n,) if b.ndim > 1 else ()))
    if a.dtype.kind != "f" or (mode.exact and not products.in_sequence(m, k, b2)):  # BLAS, as PyTorch's MKL
        out = np.empty(shape, a.dtype)
        blas_matmul(a, b, out)
        return out
    a3, b3 = _batches(a2, batch, m, k), _batches(b2, batch, k, n)
    out = np.empty((a3.shape[0], m, n), a.dtype)
    _matmul_direct((a.dtype, b.dtype), a3, b3, out)
    return out.reshape(shape)


# ----- diagonals and triangles -------------------------------------------------------------------------------------
@njit(cache=True)
def _trace_loop(x, out):
    """out[0] = sum_i x[i, i], summed in order of i."""
    for i in range(min(x.shape[0], x.shape[1])):
        out[0] += x[i, i]


def trace(x: np.ndarray) -> np.ndarray:
    """The sum of a matrix's diagonal, as a 0-d array: floats in their dtype, integers in int64 (as sums are)."""
    out = np.zeros(1, x.dtype if x.dtype.kind == "f" else np.int64)
    _trace_loop(x, out)
    return out.reshape(())


def diagonal(x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """The view of x's elements (i, i + offset) over dims (dim1, dim2), that diagonal as the last dim (writeable
    where x is, as PyTorch's: x.diagonal().fill_(1) writes x)."""
    view = np.diagonal(x, offset, dim1, dim2)
    view.flags.writeable = x.flags.writeable  # numpy makes its diagonal read-only
    return view


def diag_embed(values: np.ndarray, shape: tuple[int, ...], offset: int, dim1: int, dim2: int) -> np.ndarray:
    """Zeros of ``shape`` with ``values`` (their last dim along the diagonal) on diagonal(out, offset, dim1, dim2)."""
    out = np.zeros(shape, values.dtype)
    i = np.arange(values.shape[-1])
    np.moveaxis(out, (dim1, dim2), (-2, -1))[..., i + max(-offset, 0), i + max(offset, 0)] = values
    return out


def tril(x: np.ndarray, diagonal: int) -> np.ndarray:
    """x[..., i, j] where j <= i + diagonal, else 0."""
    return np.tril(x, diagonal)


def triu(x: np.ndarray, diagonal: int) -> np.ndarray:
    """x[..., i, j] where j >= i + diagonal, else 0."""
    return np.triu(x, diagonal)


def cross(a: np.ndarray, b: np.ndarray, dim: int) -> np.ndarray:
    """The cross product of the 3-vectors along ``dim`` of a and b (broadcast together)."""
    a0, a1, a2 = (np.take(a, i, axis=dim) for i in range(3))
    b0, b1, b2 = (np.take(b, i, axis=dim) for i in range(3))
    with np.errstate(all="ignore"):  # inf * 0 is NaN, as in PyTorch
        return np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=dim)


# ----- einsum ----------------------------------------------------------------------------------------------------
def einsum(equation: str, operands: list[np.ndarray]) -> np.ndarray:
    """numpy's einsum of an explicit equation (one letter per dim, '->' and the output given), through BLAS where
    it contracts pairs: not a numba kernel, as ``blas_matmul``."""
    with np.errstate(all="ignore"):  # inf * 0 is NaN, as in PyTorch
        return np.asarray(np.einsum(equation, *operands, optimize=len(operands) > 1))


def einsum_diagonal_write(values: np.ndarray, subscripts: str, labels: str, shape: tuple[int, ...]) -> np.ndarray:
    """Zeros of ``shape`` (whose dims are named by ``subscripts``, some letters repeated) with ``values`` (dims named
    by ``labels``, each letter once) written where the repeated letters' indices are equal."""
    out = np.zeros(shape, values.dtype)
    np.einsum(f"{subscripts}->{labels}", out)[...] = values  # a writable view of that generalized diagonal
    return out


# ----- norms -----------------------------------------------------------------------------------------------------
def p_norm(x: np.ndarray, p: float, axes: tuple[int, ...], keepdim: bool) -> np.ndarray:
    """(sum |x|^p)^(1/p) over ``axes``: max |x| for p inf, min |x| for -inf, the count of nonzeros for 0."""
    a = np.abs(x)
    with np.errstate(all="ignore"):
        if p != 0 and math.prod(x.shape[i] for i in axes) == 1:  # PyTorch's norm of one element is |x| (no
            out = a if keepdim else np.squeeze(a, axis=axes)  # underflow in |x|^p)
        elif math.isinf(p):
            out = (np.max if p > 0 else np.min)(a, axis=axes, keepdims=keepdim)
        elif p == 0:
            out = np.sum(a != 0, axis=axes, keepdims=keepdim)
        elif p == 1:
            out = np.sum(a, axis=axes, keepdims=keepdim)
        elif p == 2:
            out = np.sqrt(np.sum(a * a, axis=axes, keepdims=keepdim))
        else:
            out = np.sum(a ** x.dtype.type(p), axis=axes, keepdims=keepdim) ** x.dtype.type(1 / p)
    return np.asarray(out, x.dtype)


def p_norm_grad(x: np.ndarray, norm: np.ndarray, grad: np.ndarray, p: float,
                     axes: tuple[int, ...]) -> np.ndarray:
    """The gradient of p_norm(x) (``norm`` and ``grad`` with the reduced dims kept, as size 1) for p != 0,
    PyTorch's: sgn(x) grad for 1; x grad / norm for 2; sgn(x) grad / (the number of ties) at the extremes for
    +-inf; x |x|^(p-2) grad / norm^(p-1) otherwise; 0 where the norm is 0 (for p 2 and the others)."""
    with np.errstate(all="ignore"):
        if p == 1:
            return np.sign(x) * grad
        if math.isinf(p):
            a = np.abs(x)
            mask = (a == norm) | np.isnan(a)
            return np.sign(x) * ((grad / np.sum(mask, axis=axes, keepdims=True, dtype=x.dtype)) * mask)
        if p == 2:
            return np.where(norm == 0, x.dtype.type(0), x / norm) * grad  # x / norm first, as PyTorch (subnormals)
        if p < 1:  # |x|^(p-1) is inf at 0: PyTorch masks it to 0 there (and then does not mask the norm)
            scaled = np.sign(x) * np.where(x == 0, x.dtype.type(0), np.abs(x) ** x.dtype.type(p - 1))
            return scaled * grad * norm ** x.dtype.type(1 - p)
        scale = np.where(norm == 0, x.dtype.type(0), grad / norm ** x.dtype.type(p - 1))
        if p < 2:  # sgn(x) |x|^(p-1), 0 at x = 0 (x |x|^(p-2) would be 0 * inf there)
            return np.sign(x) * np.abs(x) ** x.dtype.type(p - 1) * scale
        return x * np.abs(x) ** x.dtype.type(p - 2) * scale


# ----- decompositions: LAPACK through numpy (as PyTorch calls LAPACK), and the textbook loops that find where a
# ----- matrix fails (the pivot or minor PyTorch's errors name) -----------------------------------------------------
@njit(cache=True)
def _first_zero_pivot(a):
    """Gaussian elimination with partial pivoting (LAPACK's getrf, unblocked) on a copy of the square matrix a:
    the first pivot, counted from 1, that is exactly zero; 0 if there is none."""
    u = a.copy()
    n = u.shape[0]
    first = 0
    for k in range(n):
        p = k
        for i in range(k + 1, n):
            if abs(u[i, k]) > abs(u[p, k]):
                p = i
        if u[p, k] == 0:
            if first == 0:
                first = k + 1
            continue
        for j in range(n):
            u[k, j], u[p, j] = u[p, j], u[k, j]
        for i in range(k + 1, n):
            f = u[i, k] / u[k, k]
            for j in range(k, n):
                u[i, j] -= f * u[k, j]
    return first


@njit(cache=True)
def _failing_minor(a):
    """The textbook Cholesky of the lower triangle of a: the order, from 1, of the first leading minor that is not
    positive-definite; 0 if there is none."""
    n = a.shape[0]
    low = np.zeros_like(a)
    for j in range(n):
        d = a[j, j]
        for k in range(j):
            d -= low[j, k] * low[j, k]
        if not d > 0:
            return j + 1
        low[j, j] = np.sqrt(d)
        for i in range(j + 1, n):
            s = a[i, j]
            for k in range(j):
                s -= low[i, k] * low[j, k]
            low[i, j] = s / low[j, j]
    return 0


def _first_failure(a: np.ndarray, find) -> tuple[int | None, int]:
    """(which matrix of the batch, or None for one matrix; what ``find`` reports for it) for the first matrix of
    a (..., n, n) where ``find`` reports a failure."""
    matrices = np.ascontiguousarray(a).reshape(-1, *a.shape[-2:])
    for i, m in enumerate(matrices):
        where = find(m)
        if where:
            return (i if a.ndim > 2 else None), where
    return None, 0


def singular_pivot(a: np.ndarray) -> tuple[int | None, int]:
    """For a batch of square matrices: (batch element, first zero pivot) of the first singular one (pivot 0: none)."""
    return _first_failure(a, _first_zero_pivot)


def failing_minor(a: np.ndarray) -> tuple[int | None, int]:
    """For a batch of square matrices: (batch element, order of the failing minor) of the first that is not
    positive-definite (order 0: none)."""
    return _first_failure(a, _failing_minor)


def inv(a: np.ndarray) -> np.ndarray | None:
    """A^-1 for each matrix (LAPACK's getrf and getri); None if one is singular."""
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        return None


def solve(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """X with A X = B for each matrix A and (..., n, k) B, the batches broadcast (LAPACK's gesv); None if an A is
    singular."""
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        return None


def det(a: np.ndarray) -> np.ndarray:
    """det A for each matrix (the product of LU's pivots, with the sign of the row swaps)."""
    return np.asarray(np.linalg.det(a), a.dtype)


def cholesky(a: np.ndarray) -> np.ndarray | None:
    """The lower-triangular L with L L^T = A, from A's lower triangle (LAPACK's potrf); None if an A is not
    positive-definite."""
    try:
        return np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        return None


def det_grad(a: np.ndarray) -> np.ndarray:
    """d(det A)/dA = adj(A)^T for each matrix: det(A) A^-T where A is invertible, by one LU solve as PyTorch's
    backward does; else from the SVD A = U S V^T (singular matrices have it too): det(U) det(V) U diag(prod_{j != i}
    s_j) V^T."""
    det = np.linalg.det(a)
    if np.all(det != 0) and np.all(np.isfinite(det)):
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
        return np.linalg.solve(np.swapaxes(a, -1, -2), det[..., None, None] * eye)
    u, s, vt = np.linalg.svd(a)
    n = s.shape[-1]
    others = np.stack([np.prod(np.delete(s, i, axis=-1), axis=-1) for i in range(n)], axis=-1) if n else s
    signs = np.linalg.det(u) * np.linalg.det(vt)
    return (u * (others * signs[..., None])[..., None, :]) @ vt


def svd(a: np.ndarray, full_matrices: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(U, S, V^T) with A = U diag(S) V^T for each matrix, S decreasing (LAPACK's gesdd): U (m, k) and V^T (k, n)
    with k = min(m, n), or (m, m) and (n, n) with ``full_matrices``. None if gesdd refuses a matrix (one holding NaN).
    Each singular vector is unique up to its sign only, which LAPACK's implementation picks (MKL's and OpenBLAS's
    often differ)."""
    try:
        return np.linalg.svd(a, full_matrices=full_matrices)
    except np.linalg.LinAlgError:
        return None


def eigh(a: np.ndarray, uplo: str, vectors: bool = True) -> tuple[np.ndarray, np.ndarray | None] | None:
    """(w, V) with A = V diag(w) V^T for each symmetric A read from its ``uplo`` ('L' or 'U') triangle, w
    increasing (LAPACK's syevd; V None without ``vectors``, which syevd then computes otherwise); None if syevd
    fails on a matrix (see ``eigh_failure``). Each eigenvector is unique up to its sign only (for distinct
    eigenvalues), which LAPACK's implementation picks."""
    try:
        return np.linalg.eigh(a, UPLO=uplo) if vectors else (np.linalg.eigvalsh(a, UPLO=uplo), None)
    except np.linalg.LinAlgError:
        return None


def has_nan(a: np.ndarray) -> tuple[int | None, bool]:
    """For a batch of matrices: (batch element, or None for one matrix; True) of the first that holds a NaN, or
    (None, False) if none does."""
    return _first_failure(a, lambda m: bool(np.isnan(m).any()))


def eigh_failure(a: np.ndarray, uplo: str, vectors: bool = True) -> tuple[int | None, int]:
    """For a batch of symmetric matrices that ``eigh`` could not decompose: (batch element, LAPACK's info) of the
    first that syevd fails on (info: how many off-diagonal elements of the tridiagonal form did not converge, which
    depends on whether syevd computes the eigenvectors)."""
    return _first_failure(a, lambda m: _syevd_info(m, uplo, vectors) if eigh(m, uplo, vectors) is None else 0)


def _syevd_info(m: np.ndarray, uplo: str, vectors: bool) -> int:
    """LAPACK's info from syevd on m, as PyTorch's MKL reports it. numpy calls syevd but says only that it failed;
    PyTorch's error shows info. So the same routine is called here directly, from numpy's bundled OpenBLAS
    (reference LAPACK). With the eigenvectors, its info is MKL's (1200 of 1200 matrices with NaN or inf, n < 40);
    without them (sterf), MKL counts one fewer element (measured for n <= 32; beyond, the two differ otherwise).
    Where that library cannot be found: n - 1 (n - 2 without the eigenvectors), what they report when NaN fills
    the tridiagonal form (the usual way syevd fails)."""
    routine = _lapack_routine(("d" if m.dtype == np.float64 else "s") + "syevd")
    n = m.shape[-1]
    if routine is None:
        return max(n - 1 if vectors else n - 2, 1)
    integer = ctypes.c_int64 if routine.ilp64 else ctypes.c_int32
    a = np.array(m, order="F")
    w = np.empty(n, a.dtype)
    lwork, liwork = 1 + 6 * n + 2 * n * n, 3 + 5 * n  # the sizes syevd asks for, with eigenvectors
    work, iwork = np.empty(lwork, a.dtype), np.empty(liwork, np.int64 if routine.ilp64 else np.int32)
    info = integer(0)

    def ref(value: int) -> Any:
        return ctypes.byref(integer(value))

    def data(array: np.ndarray) -> Any:
        return array.ctypes.data_as(ctypes.c_void_p)

    routine(b"V" if vectors else b"N", uplo.encode(), ref(n), data(a), ref(max(n, 1)), data(w), data(work),
            ref(lwork), data(iwork), ref(liwork), ctypes.byref(info), ctypes.c_size_t(1), ctypes.c_size_t(1))
    return info.value if vectors or info.value <= 0 else max(info.value - 1, 1)


@functools.cache
def _lapack_routine(name: str) -> Any:
    """The Fortran LAPACK routine ``name`` (``dsyevd``) of numpy's bundled OpenBLAS, with ``ilp64`` telling whether
    it takes 64-bit integers; None where numpy has no bundled OpenBLAS."""
    for library in sorted((Path(np.__file__).parent.parent / "numpy.libs").glob("libscipy_openblas*")):
        lib = ctypes.CDLL(str(library))
        for symbol, ilp64 in ((f"scipy_{name}_64_", True), (f"scipy_{name}_", False)):
            routine = getattr(lib, symbol, None)
            if routine is not None:
                routine.restype = None
                routine.ilp64 = ilp64
                return routine
    return None


def slogdet(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sign, log|det A|) for each square matrix, from LU's pivots (LAPACK's getrf): the product of the pivots'
    signs and of the row swaps', and the sum of the pivots' log |.|. A zero pivot gives sign 0 and -inf; a NaN pivot
    sign 0 (PyTorch's sgn(NaN)) and NaN. A NaN anywhere reaches a pivot, in MKL's getrf as PyTorch calls it (OpenBLAS's
    stops at it and reports a zero pivot)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        sign, logabsdet = np.linalg.slogdet(a)
    logabsdet = np.where(np.isnan(a).any(axis=(-2, -1)), np.nan, logabsdet)
    sign = np.where(np.isnan(logabsdet), 0, sign)
    return np.asarray(sign, a.dtype), np.asarray(logabsdet, a.dtype)


def qr(a: np.ndarray, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """(Q, R) with A = Q R for each matrix (m, n), Q orthonormal and R upper-triangular, by Householder reflections
    (LAPACK's geqrf and orgqr; R's diagonal carries their signs). mode 'reduced': Q (m, k), R (k, n), k = min(m, n);
    'complete': Q (m, m), R (m, n); 'r': R (k, n) alone, Q empty (0,)."""
    with np.errstate(invalid="ignore"):
        if mode == "r":
            return np.zeros(0, a.dtype), np.asarray(np.linalg.qr(a, mode="r"), a.dtype)
        q, r = np.linalg.qr(a, mode=mode)
    return np.asarray(q, a.dtype), np.asarray(r, a.dtype)


@njit(cache=True, error_model="numpy")
def _upper_solve_loop(r, b, x):
    """x[p] = r[p]^-1 b[p] for upper-triangular r (P, n, n) and b, x (P, n, k): back substitution, row n-1 first (a
    zero on r's diagonal gives inf or NaN, as LAPACK's trsm)."""
    n = r.shape[1]
    for p in range(r.shape[0]):
        for c in range(b.shape[2]):
            for i in range(n - 1, -1, -1):
                s = b[p, i, c]
                for j in range(i + 1, n):
                    s -= r[p, i, j] * x[p, j, c]
                x[p, i, c] = s / r[p, i, i]


def solve_upper_right(b: np.ndarray, r: np.ndarray) -> np.ndarray:
    """X with X R^T = B, i.e. B R^-T, for each upper-triangular R (n, n) and B (m, n), batches broadcast (PyTorch's
    solve_triangular(R^T, B, upper=False, left=False))."""
    batch = broadcast_shapes(r.shape[:-2], b.shape[:-2])
    count = math.prod(batch)
    rr = np.ascontiguousarray(np.broadcast_to(r, (*batch, *r.shape[-2:]))).reshape(count, *r.shape[-2:])
    bt = np.ascontiguousarray(np.broadcast_to(np.swapaxes(b, -1, -2), (*batch, b.shape[-1], b.shape[-2])))
    bt = bt.reshape(count, b.shape[-1], b.shape[-2])
    x = np.empty_like(bt)
    _upper_solve_loop(rr, bt, x)
    return np.swapaxes(x.reshape(*batch, b.shape[-1], b.shape[-2]), -1, -2)


@njit(cache=True, error_model="numpy")
def _lu_solve_loop(a, b, x):
    """x[p] = a[p]^-1 b[p] for square a (P, n, n) and b, x (P, n, k), by Gaussian elimination with partial pivoting
    (LAPACK's getrf, unblocked, then getrs) that does not stop at a zero pivot: it is skipped, and the substitution
    divides by it (inf or NaN, as PyTorch's lu_solve gives)."""
    n = a.shape[1]
    for p in range(a.shape[0]):
        u = a[p].copy()
        y = b[p].copy()
        for k in range(n):
            q = k
            for i in range(k + 1, n):
                if abs(u[i, k]) > abs(u[q, k]):
                    q = i
            for j in range(n):
                u[k, j], u[q, j] = u[q, j], u[k, j]
            for j in range(y.shape[1]):
                y[k, j], y[q, j] = y[q, j], y[k, j]
            if u[k, k] == 0:
                continue
            for i in range(k + 1, n):
                f = u[i, k] / u[k, k]
                for j in range(k + 1, n):
                    u[i, j] -= f * u[k, j]
                for j in range(y.shape[1]):
                    y[i, j] -= f * y[k, j]
        for c in range(y.shape[1]):
            for i in range(n - 1, -1, -1):
                s = y[i, c]
                for j in range(i + 1, n):
                    s -= u[i, j] * x[p, j, c]
                x[p, i, c] = s / u[i, i]


def solve_through_zero_pivots(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """X with A X = B for each square A (n, n) and B (n, k) of the same batch: ``solve``, but where an A is singular,
    the inf and NaN that LU with partial pivoting makes of its zero pivot, where PyTorch's lu_solve gives them too."""
    x = solve(a, b)
    if x is not None:
        return x
    aa = np.ascontiguousarray(a).reshape(math.prod(a.shape[:-2]), *a.shape[-2:])
    x = np.empty(aa.shape[:2] + b.shape[-1:], np.result_type(a, b))
    _lu_solve_loop(aa, np.ascontiguousarray(np.broadcast_to(b, a.shape[:-2] + b.shape[-2:])).reshape(x.shape), x)
    return x.reshape(a.shape[:-2] + b.shape[-2:])
