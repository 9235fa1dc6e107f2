"""``minigrad.linalg``: PyTorch's ``torch.linalg`` namespace: norms, inverses, determinants, solves, the Cholesky,
QR, symmetric eigen- and singular value decompositions, and the cross product over the last dim."""

from __future__ import annotations

import math

import numpy as np

from . import errors, return_types
from .errors import LinAlgError
from .ops import linalg as ops
from .ops.dims import normalize_dim
from .tensor import Tensor, apply

__all__ = ["LinAlgError", "cholesky", "cross", "det", "eigh", "eigvalsh", "inv", "matrix_norm", "matrix_power", "norm",
           "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "vector_norm"]

Dims = int | tuple[int, ...] | list[int] | None


def vector_norm(x: Tensor, ord: float = 2, dim: Dims = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """||x||_ord = (sum_i |x_i|^ord)^(1/ord) over dim (every element for None): max |x_i| for inf, min for -inf,
    the number of nonzero x_i for 0."""
    return apply(ops.VectorNorm, x, p=ord, dim=dim, keepdim=keepdim)


def matrix_norm(A: Tensor, ord: float | str = "fro", dim: tuple[int, int] = (-2, -1),  # noqa: A002, N803
                keepdim: bool = False) -> Tensor:
    """The norm of each matrix over dims ``dim``: 'fro' sqrt(sum_ij A_ij^2); 1 (-1) the largest (smallest) sum
    of |A_ij| down a column; inf (-inf) the largest (smallest) along a row."""
    if A.dtype.is_floating_point is False:
        raise errors.linalg_not_floating("linalg.matrix_norm", A.dtype)
    if len(dim) != 2:
        raise errors.matrix_norm_dims(dim)
    if A.dim() < 2:
        raise errors.matrix_norm_ndim()
    rows, cols = (normalize_dim(d, A.dim()) for d in dim)
    if rows == cols:
        raise errors.matrix_norm_same_dims(dim)
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim)
    if ord in (2, -2, "nuc"):  # the largest or smallest singular value, or their sum
        others = [d for d in range(A.dim()) if d not in (rows, cols)]
        s = svdvals(A.permute(*others, rows, cols))
        out = s.sum(-1) if ord == "nuc" else s.amax(-1) if ord == 2 else s.amin(-1)
        return out.unsqueeze(min(rows, cols)).unsqueeze(max(rows, cols)) if keepdim else out
    if ord not in (1, -1, math.inf, -math.inf):
        raise errors.matrix_norm_order(ord)
    summed, extreme = (rows, cols) if abs(ord) == 1 else (cols, rows)  # 1: sum down the columns; inf: along rows
    sums = A.abs().sum(dim=summed, keepdim=True)
    out = sums.amax(dim=extreme, keepdim=True) if ord > 0 else sums.amin(dim=extreme, keepdim=True)
    return out if keepdim else out.squeeze(max(rows, cols)).squeeze(min(rows, cols))


def norm(A: Tensor, ord: float | str | None = None, dim: Dims = None, keepdim: bool = False) -> Tensor:  # noqa: A002, N803
    """A vector norm over one dim (or, with no ord and no dim, over every element), a matrix norm over two dims
    (or of a 2-D tensor given an ord but no dim)."""
    if isinstance(dim, int):
        dim = (dim,)
    if dim is None and ord is not None:
        if A.dim() not in (1, 2):
            raise errors.norm_ord_without_dim(A.dim())
        dim = tuple(range(A.dim()))
    if dim is not None and len(dim) == 2:
        return matrix_norm(A, "fro" if ord is None else ord, tuple(dim), keepdim)
    if isinstance(ord, str):
        raise errors.matrix_norm_dims(dim)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim)


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:  # noqa: A002
    """The cross product of the 3-vectors along ``dim`` (the last, by default)."""
    return apply(ops.Cross, input, other, dim=dim)


def inv(A: Tensor) -> Tensor:  # noqa: N803
    """A^-1 for each square matrix A (LinAlgError if one is singular)."""
    return apply(ops.Inv, A)


def det(A: Tensor) -> Tensor:  # noqa: N803
    """det A for each square matrix A."""
    return apply(ops.Det, A)


def solve(A: Tensor, B: Tensor) -> Tensor:  # noqa: N803
    """X with A X = B, for square matrices A and matrices (or vectors) B; batch dims broadcast."""
    return apply(ops.Solve, A, B)


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:  # noqa: N803
    """The lower-triangular L with L L^T = A (L^T with upper=True), for symmetric positive-definite A (read from
    its lower triangle; LinAlgError if it is not positive-definite)."""
    return apply(ops.Cholesky, A, upper=upper)


def svdvals(A: Tensor) -> Tensor:  # noqa: N803
    """The singular values of each matrix, decreasing."""
    return apply(ops.Svdvals, A)


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:  # noqa: N803
    """The eigenvalues of each symmetric matrix (read from its UPLO triangle), increasing."""
    return apply(ops.Eigvalsh, A, UPLO=UPLO)


def slogdet(A: Tensor) -> return_types.linalg_slogdet:  # noqa: N803
    """(sign, logabsdet) of each square matrix: det A = sign * exp(logabsdet), without overflow (sign 0 and
    logabsdet -inf for a singular A)."""
    return return_types.linalg_slogdet(*apply(ops.Slogdet, A))


def qr(A: Tensor, mode: str = "reduced") -> return_types.linalg_qr:  # noqa: N803
    """(Q, R) with A = Q R for each matrix: Q orthonormal, R upper-triangular. mode 'reduced' (k = min(m, n)
    columns of Q), 'complete' (Q square) or 'r' (R alone, Q empty)."""
    return return_types.linalg_qr(*apply(ops.Qr, A, mode=mode))


def eigh(A: Tensor, UPLO: str = "L") -> return_types.linalg_eigh:  # noqa: N803
    """(eigenvalues, eigenvectors) of each symmetric matrix (read from its UPLO triangle): the eigenvalues increasing,
    A = eigenvectors diag(eigenvalues) eigenvectors^T (LinAlgError where LAPACK does not converge: NaN)."""
    return return_types.linalg_eigh(*apply(ops.Eigh, A, UPLO=UPLO))


def svd(A: Tensor, full_matrices: bool = True, *, driver: str | None = None) -> return_types.linalg_svd:  # noqa: N803
    """(U, S, Vh) with A = U diag(S) Vh for each matrix, S decreasing; U and Vh square with full_matrices, else
    with min(m, n) columns and rows (LinAlgError for a matrix holding NaN)."""
    return return_types.linalg_svd(*apply(ops.Svd, A, full_matrices=full_matrices, driver=driver))


def matrix_power(A: Tensor, n: int) -> Tensor:  # noqa: N803
    """A^n for each square matrix A, by matrix products (A^-1 raised to -n for n < 0; the identity for n = 0)."""
    return A.matrix_power(n)


def pinv(A: Tensor, *, atol: float | None = None, rtol: float | None = None, hermitian: bool = False) -> Tensor:  # noqa: N803
    """The Moore-Penrose pseudoinverse of each matrix: V diag(1/S) U^T from A = U diag(S) V^T, singular values at or
    below max(atol, rtol * max S) taken as 0 (rtol: eps * max(m, n) unless given, or 0 where atol > 0 is given);
    ``hermitian``: A is symmetric, and its eigendecomposition is used."""
    if rtol is None:
        default = float(np.finfo(A._data.dtype).eps) * max(A.shape[-2:]) if A.is_floating_point() else 0.0
        rtol = 0.0 if atol is not None and atol > 0 else default
    return A._pinv(0.0 if atol is None else atol, rtol, hermitian)
