"""``minigrad.linalg``: PyTorch's ``torch.linalg`` namespace: norms, inverses, determinants, solves, the Cholesky,
QR, symmetric eigen- and singular value decompositions, and the cross product over the last dim."""

from __future__ import annotations

import math

import numpy as np

from . import errors, return_types
from .dtypes import int64 as _INT64
from .errors import LinAlgError
from .functions import cat
from .ops import linalg as ops
from .ops.dims import normalize_dim
from .tensor import Tensor, apply

__all__ = ["LinAlgError", "cholesky", "cond", "cross", "det", "diagonal", "eigh", "eigvalsh", "inv", "lstsq", "matmul",
           "matrix_norm", "matrix_power", "matrix_rank", "multi_dot", "norm", "pinv", "qr", "slogdet", "solve",
           "solve_triangular", "svd", "svdvals", "vander", "vecdot", "vector_norm"]


def __dir__() -> list[str]:
    return __all__


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
    return A._pinv(0.0 if atol is None else atol, _default_rtol(A, atol, rtol), hermitian)


def _default_rtol(A: Tensor, atol: float | None, rtol: float | None) -> float:  # noqa: N803
    """The relative tolerance of matrix_rank and pinv: eps * max(m, n) of A's dtype unless given, 0 where only a
    positive ``atol`` is."""
    if rtol is not None:
        return rtol
    if atol is not None and atol > 0:
        return 0.0
    return float(np.finfo(A._data.dtype).eps) * max(A.shape[-2:]) if A.is_floating_point() else 0.0


def matrix_rank(A: Tensor, tol: float | None = None, hermitian: bool = False, *, atol: float | None = None,  # noqa: N803
                rtol: float | None = None) -> Tensor:
    """The number of singular values of each matrix above max(atol, rtol * the largest) (``tol``, PyTorch's older
    spelling: atol = tol, rtol = 0); ``hermitian``: the eigenvalues' magnitudes of a symmetric A instead."""
    if A.dim() < 2:
        raise errors.matrix_rank_not_matrix()
    if tol is not None:
        atol, rtol = tol, 0.0
    values = eigvalsh(A).abs() if hermitian else svdvals(A)
    rtol = _default_rtol(A, atol, rtol)
    largest = values.amax(-1, keepdim=True) if values.shape[-1] else values.new_zeros((*values.shape[:-1], 1))
    cut = (largest * rtol).clamp_min(0.0 if atol is None else atol)
    return (values > cut).sum(-1)


def cond(A: Tensor, p: float | str | None = None) -> Tensor:  # noqa: N803
    """The condition number of each matrix: largest over smallest singular value (p None or 2; -2 the inverse), else
    ||A||_p ||A^-1||_p for a square A (p 'fro', 'nuc', 1, -1, inf, -inf)."""
    if A.dim() < 2:
        raise errors.cond_not_matrix()
    if p is None or p in (2, -2):
        values = svdvals(A)
        largest, smallest = values.amax(-1), values.amin(-1)
        return smallest / largest if p == -2 else largest / smallest
    if A.shape[-1] != A.shape[-2]:
        raise errors.cond_not_square(p, A.shape[-2], A.shape[-1])
    return matrix_norm(A, p) * matrix_norm(inv(A), p)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:  # noqa: N803
    """The diagonal of each matrix over the last two dims (``Tensor.diagonal`` with matrices' defaults)."""
    return A.diagonal(offset, dim1, dim2)


def matmul(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """``input @ other`` (``torch.matmul``)."""
    return input.matmul(other)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """sum_i x_i y_i along ``dim`` (the vectors broadcast against each other), composed as PyTorch composes it."""
    return (x * y).sum(dim)


def multi_dot(tensors: list[Tensor] | tuple[Tensor, ...]) -> Tensor:
    """A_1 A_2 ... A_n, multiplied in the order that costs the fewest scalar products (PyTorch's choice, so the same
    rounding); a first vector is a row, a last one a column, and the result drops those dims again."""
    if len(tensors) < 2:
        raise errors.multi_dot_count(len(tensors))
    for tensor, position in ((tensors[0], "first"), (tensors[-1], "last")):
        if tensor.dim() not in (1, 2):
            raise errors.multi_dot_dims(position, tensor.dim())
    for position, tensor in enumerate(tensors[1:-1], 1):
        if tensor.dim() != 2:
            raise errors.multi_dot_dims(position, tensor.dim())
    first, last = tensors[0].dim() == 1, tensors[-1].dim() == 1
    matrices = [tensors[0].unsqueeze(0) if first else tensors[0], *tensors[1:-1],
                tensors[-1].unsqueeze(-1) if last else tensors[-1]]
    result = _chain_product(matrices, _chain_order([m.shape[0] for m in matrices] + [matrices[-1].shape[1]]), 0,
                            len(matrices) - 1)
    if first:
        result = result.squeeze(0)
    return result.squeeze(-1) if last else result


def _chain_order(sizes: list[int]) -> list[list[int]]:
    """split[i][j]: where the product of matrices i..j (matrix k of sizes[k] x sizes[k + 1]) is cut in two at least
    cost (the textbook dynamic program; two matrices: the one product, three: PyTorch compares the two orders, the
    same choice)."""
    n = len(sizes) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = -1
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + sizes[i] * sizes[k + 1] * sizes[j + 1]
                if cost[i][j] < 0 or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def _chain_product(matrices: list[Tensor], split: list[list[int]], i: int, j: int) -> Tensor:
    if i == j:
        return matrices[i]
    k = split[i][j]
    return _chain_product(matrices, split, i, k).mm(_chain_product(matrices, split, k + 1, j))


def vander(x: Tensor, N: int | None = None) -> Tensor:  # noqa: N803
    """The Vandermonde matrix of the vector(s) x: columns x^0, x^1, ..., x^(N-1) (N = len(x) by default), the powers
    composed as PyTorch composes them, a running product (cumprod) after a column of ones."""
    n = x.shape[-1] if N is None else N
    if n <= 1:
        raise errors.vander_size()
    powers = x.unsqueeze(-1).expand(*x.shape, n - 1).cumprod(-1)
    return cat([powers.new_ones((*x.shape, 1)), powers], -1)


def lstsq(A: Tensor, B: Tensor, rcond: float | None = None, *, driver: str | None = None,  # noqa: N803
          ) -> return_types.linalg_lstsq:
    """The X minimising ||A X - B|| for each matrix A (m x n) and B (m x k, or a vector): X = pinv(A) B, the
    minimum-norm solution where A's rank is short, as LAPACK's drivers find it (to rounding: minigrad composes it
    from the SVD, so its gradient is pinv's). With it, as PyTorch's CPU drivers give them: ``residuals``, the squared
    residual norm of each column of B (not for the default gelsy; only where m > n and A has full rank), ``rank``
    (singular values above rcond times the largest; not for gels), ``singular_values`` (gelsd and gelss)."""
    driver = "gelsy" if driver is None else driver
    if driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise errors.lstsq_driver()
    vector = B.dim() == A.dim() - 1
    rhs = B.unsqueeze(-1) if vector else B
    if A.shape[-2] != rhs.shape[-2]:
        raise errors.lstsq_rows()
    if A.dtype != B.dtype:
        raise errors.lstsq_dtypes(A.dtype, B.dtype)
    rows, cols = A.shape[-2:]
    rcond = float(np.finfo(A._data.dtype).eps) * max(rows, cols) if rcond is None or rcond <= 0 else rcond
    solution = A._pinv(0.0, rcond, hermitian=False).matmul(rhs)
    values = svdvals(A).detach()
    rank = (values > values.narrow(-1, 0, 1) * rcond).sum(-1) if values.shape[-1] else values.new_zeros(
        values.shape[:-1], dtype=_INT64)
    empty = A.new_empty((0,))
    residuals = empty
    if driver != "gelsy" and rows > cols and bool((rank == cols).all()):
        residuals = ((A.matmul(solution) - rhs) ** 2).sum(-2)
    return return_types.linalg_lstsq(solution.squeeze(-1) if vector else solution, residuals,
                                     rank if driver != "gels" else empty.long(),
                                     values if driver in ("gelsd", "gelss") else empty)


def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True,  # noqa: N803
                     unitriangular: bool = False) -> Tensor:
    """X with A X = B (X A = B with ``left=False``) for triangular A, read from its upper or lower triangle (ones on
    the diagonal with ``unitriangular``): composed as the solve of that triangle, so the gradient reaching A is
    triangular too, as PyTorch's."""
    triangle = A.triu() if upper else A.tril()
    if unitriangular:
        triangle = triangle - triangle.diagonal(0, -2, -1).diag_embed() + A.new_ones(A.shape[-1]).diag_embed()
    if left:
        return solve(triangle, B)
    return solve(triangle.mT, B.mT).mT
