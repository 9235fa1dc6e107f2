"""Matrix products (with PyTorch's rules for 1-D, 2-D and batched operands), diagonals, triangles and cross products."""

import math
import string
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from .. import dtypes, errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim, normalize_dims
from .jvp import bilinear_jvp, linear_jvp, multilinear_jvp, reduction_jvp
from .registry import Op, Promotion, register
from .shape import _expanded_shape


def check_matmul(a: np.ndarray, b: np.ndarray) -> None:
    """PyTorch's errors for operands that matmul cannot multiply."""
    if a.ndim == 0 or b.ndim == 0:
        raise errors.needs_1d("matmul", a.ndim, b.ndim)
    if a.dtype != b.dtype:  # worded by the kernel matmul dispatches to: dot, addmv, or mm/bmm
        if a.ndim == b.ndim == 1:
            raise errors.dot_dtypes(a.dtype, b.dtype)
        if a.ndim == 2 and b.ndim == 1:
            raise errors.addmv_dtypes(a.dtype, b.dtype)
        raise errors.mm_dtypes(a.dtype, b.dtype)
    k_a, k_b = a.shape[-1], b.shape[0] if b.ndim == 1 else b.shape[-2]
    if k_a == k_b:
        if a.ndim > 2 or b.ndim > 2:
            K.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        if a.dtype == np.bool_ and (a.ndim == b.ndim == 1 or (k_a and _result_size(a, b))):
            # the BLAS kernel matmul dispatches to is not built for bools (an empty product never dispatches)
            kernel = "dot" if a.ndim == b.ndim == 1 else {1: "addmv_impl_cpu", 2: "addmm_impl_cpu_"}.get(b.ndim, "bmm")
            raise errors.not_implemented(kernel, a.dtype)
        return
    if a.ndim == 1 and b.ndim == 1:
        raise errors.dot_sizes(k_a, k_b)
    if a.ndim == 2 and b.ndim == 1:
        raise errors.addmv_sizes(a.shape, k_b)
    if a.ndim <= 2 and b.ndim <= 2:
        raise errors.mm_shapes(a.shape if a.ndim == 2 else (1, k_a), b.shape)
    raise errors.bmm_sizes(a.shape, b.shape, k_a, k_b)


def _result_size(a: np.ndarray, b: np.ndarray) -> int:
    """The number of elements in a @ b (shapes already checked)."""
    batch = K.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    return math.prod(batch) * (a.shape[-2] if a.ndim > 1 else 1) * (b.shape[-1] if b.ndim > 1 else 1)


_GRAD_FN_NAMES = {(1, 1): "DotBackward0", (2, 1): "MvBackward0", (2, 2): "MmBackward0"}  # by (a.ndim, b.ndim)


@register
class Matmul(Op):
    """a @ b: a 1-D a is a row vector and a 1-D b a column vector (then dropped); batch dims broadcast."""

    torch = "torch.matmul"
    # PyTorch names the node, and so its saved b, by the operands' dims: MmBackward0's mat2, Mv's vec, Dot's tensor
    saved_names: ClassVar[dict[str, Any]] = {"self": "a", "mat2": "b", "vec": "b", "tensor": "b"}
    formulas = ("d(a@b)/da = grad @ b^T", "d(a@b)/db = a^T @ grad")
    promotion = Promotion.SAME

    @staticmethod
    def grad_fn_name(ctx: Context, a: np.ndarray, b: np.ndarray) -> str:
        return _GRAD_FN_NAMES.get((a.ndim, b.ndim), "MatmulBackward0")

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        check_matmul(a, b)
        ctx.save(a=a if ctx.needs(1) else None, b=b if ctx.needs(0) else None)
        ctx.ndims = (a.ndim, b.ndim)
        return K.matmul(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        return _product_grads(grad, ctx.saved["a"], ctx.saved["b"], ctx.ndims, (ctx.needs(0), ctx.needs(1)))

    jvp_formulas = ("d(a@b) = da @ b + a @ db",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray | None, db: np.ndarray | None) -> np.ndarray:
        a, b = ctx.inputs
        if da is None or db is None:
            return K.matmul(a, db) if da is None else K.matmul(da, b)
        return K.add(K.matmul(da, b), K.matmul(a, db))


def _product_grads(grad: np.ndarray, a: np.ndarray | None, b: np.ndarray | None, ndims: tuple[int, int],
                   needs: tuple[bool, bool]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(grad @ b^T, a^T @ grad) for the product a @ b of operands of ``ndims`` dims, each where ``needs`` asks."""
    a_ndim, b_ndim = ndims
    # Restore the dims a 1-D operand lost, so both products below are plain (batched) matrix products.
    g2 = np.expand_dims(grad, -1) if b_ndim == 1 else grad
    if a_ndim == 1:
        g2 = np.expand_dims(g2, -2)
    grad_a = grad_b = None
    if needs[0]:
        grad_a = K.matmul(g2, np.swapaxes(b[:, None] if b_ndim == 1 else b, -1, -2))
        grad_a = grad_a[..., 0, :] if a_ndim == 1 else grad_a
    if needs[1]:
        grad_b = K.matmul(np.swapaxes(a[None, :] if a_ndim == 1 else a, -1, -2), g2)
        grad_b = grad_b[..., 0] if b_ndim == 1 else grad_b
    return grad_a, grad_b  # the engine sums broadcast batch dims away


def _check_linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None) -> None:
    """PyTorch's errors for ``linear`` (its ``addmm`` names x "mat1" and weight^T "mat2")."""
    if x.dtype != weight.dtype:
        raise errors.linear_dtypes(x.dtype, weight.dtype)
    if x.shape[1] != weight.shape[1]:
        raise errors.mm_shapes(x.shape, weight.shape[::-1])
    out_shape = (x.shape[0], weight.shape[0])
    expandable = bias is None or bias.shape == out_shape[1:] or (bias.ndim <= 2 and all(
        b in (1, o) for b, o in zip(reversed(bias.shape), reversed(out_shape))))
    if not expandable:
        raise errors.expand_size_mismatch(out_shape[1], bias.shape[-1], 1, out_shape, bias.shape)
    if x.dtype == np.bool_ and x.size and weight.size:
        raise errors.not_implemented("addmm_impl_cpu_", x.dtype)


@register
class Linear(Op):
    """x @ W^T + b for a batch of rows x (N, in), the weight transposed W^T (in, out) and an optional bias b (out,).

    PyTorch's ``linear`` records ``addmm(b, x, W.t())`` (``mm(x, W.t())`` without a bias): ``F.linear`` hands this op
    W^T from a TBackward0 node, through which W gets its gradient, and the node shows its edges in PyTorch's order,
    the bias first (``torch_edges``). The product is rounded, then the bias added (no fused multiply-add).
    """

    torch = "torch.nn.functional.linear"
    saved_names: ClassVar[dict[str, Any]] = {"self": "x", "mat1": "x", "mat2": "weight_t"}  # (PyTorch's Mm, Addmm)
    formulas = ("d(xW^T+b)/dx = grad @ W", "d(xW^T+b)/d(W^T) = (grad^T @ x)^T",
                "d(xW^T+b)/db = grad summed over the batch")
    promotion = Promotion.NONE

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, weight_t: np.ndarray, bias: np.ndarray | None = None) -> str:
        return "MmBackward0" if bias is None else "AddmmBackward0"

    @staticmethod
    def torch_edges(edges: tuple[Any, ...]) -> tuple[Any, ...]:
        """The edges (x, W^T, b) as PyTorch's node lists them: addmm's (b, x, W^T), mm's (x, W^T)."""
        return edges[2:] + edges[:2]

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        x, weight_t, *bias = inputs
        return [x, weight_t.T, *bias], params

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight_t: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
        _check_linear(x, weight_t.T, bias)
        ctx.save(x=x if ctx.needs(1) else None, weight_t=weight_t if ctx.needs(0) else None)
        product = K.matmul(x, weight_t)
        return product if bias is None else K.add(product, bias)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        x, weight_t = ctx.saved["x"], ctx.saved["weight_t"]
        grad_x = K.matmul(grad, weight_t.T) if ctx.needs(0) else None
        # PyTorch's mm computes the gradient of a matrix laid out by columns (W^T) transposed: W's own, grad^T @ x
        grad_weight_t = K.matmul(grad.T, x).T if ctx.needs(1) else None
        return grad_x, grad_weight_t, grad  # the engine sums grad over the batch for b


# ----- the products of fixed ranks: Matmul's rule for the operands each PyTorch function takes, and only those -----
@register
class Mm(Op):
    """a @ b for matrices a (n, k) and b (k, m)."""

    torch = "torch.mm"
    saved_names: ClassVar[dict[str, Any]] = {"self": "a", "mat2": "b"}
    formulas = Matmul.formulas
    promotion = Promotion.SAME
    backward = staticmethod(Matmul.backward)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.ndim != 2 or b.ndim != 2:
            raise errors.not_a_matrix("self" if a.ndim != 2 else "mat2")
        return Matmul.forward(ctx, a, b)


def _check_bmm(a: np.ndarray, b: np.ndarray) -> None:
    """PyTorch's errors for batches of matrices a (p, n, k) and b (p, k, m) that bmm cannot multiply."""
    if a.ndim != 3 or b.ndim != 3:
        raise errors.not_3d("batch1" if a.ndim != 3 else "batch2")
    if a.dtype != b.dtype:
        raise errors.bmm_dtypes(a.dtype, b.dtype)
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:  # no broadcasting of the batch
        raise errors.bmm_sizes(a.shape, b.shape, a.shape[2], b.shape[1])


@register
class Bmm(Op):
    """a[i] @ b[i] for each i, for batches of matrices a (p, n, k) and b (p, k, m) of the same length p."""

    torch = "torch.bmm"
    saved_names: ClassVar[dict[str, Any]] = {"self": "a", "mat2": "b"}
    formulas = Matmul.formulas
    promotion = Promotion.SAME
    backward = staticmethod(Matmul.backward)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _check_bmm(a, b)
        return Matmul.forward(ctx, a, b)


@register
class Mv(Op):
    """A @ v for a matrix A (n, k) and a vector v (k,): the vector of the rows' dot products with v."""

    torch = "torch.mv"
    saved_names: ClassVar[dict[str, Any]] = {"self": "a", "vec": "b"}
    formulas = ("d(Av)/dA = outer(grad, v)", "d(Av)/dv = A^T @ grad")
    promotion = Promotion.SAME
    backward = staticmethod(Matmul.backward)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, v: np.ndarray) -> np.ndarray:
        if a.ndim != 2 or v.ndim != 1:
            raise errors.mv_dims(1, a.ndim, v.ndim)
        return Matmul.forward(ctx, a, v)


@register
class Dot(Op):
    """sum_i a_i * b_i for vectors a and b of the same length."""

    torch = "torch.dot"
    saved_names: ClassVar[dict[str, Any]] = {"self": "a", "tensor": "b"}
    formulas = ("d(a.b)/da = grad * b", "d(a.b)/db = grad * a")
    promotion = Promotion.SAME
    backward = staticmethod(Matmul.backward)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.ndim != 1 or b.ndim != 1:
            raise errors.dot_dims(a.ndim, b.ndim)
        return Matmul.forward(ctx, a, b)


@register
class Vdot(Dot):
    """sum_i conj(a_i) * b_i: for the real dtypes minigrad has, the dot product."""

    torch = "torch.vdot"


# ----- the input plus a product: beta * c + alpha * (a @ b), the input c expanded to the product's shape ---------
def _add_product(ctx: Context, c: np.ndarray, a: np.ndarray, b: np.ndarray, beta: float,
                 alpha: float, blas: bool = False) -> np.ndarray:
    """beta * c + alpha * (a @ b) (shapes and dtypes already checked; c is ignored where beta is 0)."""
    product = K.matmul(a, b)
    _check_expands(c, product.shape)
    ctx.save(a=a if ctx.needs(2) else None, b=b if ctx.needs(1) else None)
    ctx.ndims, ctx.beta, ctx.alpha = (a.ndim, b.ndim), beta, alpha
    empty = a.shape[-1] == 0  # PyTorch skips a product over nothing: alpha (even NaN) never meets it
    if (empty or (blas and alpha == 0)) and product.dtype.kind == "f":  # BLAS's gemm and gemv skip it for alpha 0
        kept = np.zeros_like(product) if beta == 0 else _times(c, beta)  # (inf and NaN in a or b do not reach it)
        return np.array(np.broadcast_to(kept, product.shape))
    scaled = _times(product, alpha)
    return scaled if beta == 0 else K.add(_times(c, beta), scaled)


def _check_expands(c: np.ndarray, shape: tuple[int, ...]) -> None:
    """PyTorch's error where c cannot be expanded to ``shape``."""
    _expanded_shape(c.shape, shape, f"torch.{dtypes.from_numpy(c.dtype).legacy_name}")


def _times(x: np.ndarray | None, factor: float) -> np.ndarray | None:
    """x * factor (x itself for a factor of 1, or no x)."""
    return x if x is None or factor == 1 else K.mul(x, K.scalar(factor, x.dtype))


def _add_product_grads(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
    """(beta * grad, alpha * grad @ b^T, alpha * a^T @ grad): the gradients of beta * c + alpha * (a @ b)."""
    grad_a, grad_b = _product_grads(grad, ctx.saved["a"], ctx.saved["b"], ctx.ndims, (ctx.needs(1), ctx.needs(2)))
    grad_input = _times(grad, ctx.beta) if ctx.needs(0) else None
    return grad_input, _times(grad_a, ctx.alpha), _times(grad_b, ctx.alpha)  # the engine sums c's expansion away


_ADD_PRODUCT_FORMULAS = ("d/dc = beta * grad", "d/da = alpha * grad @ b^T", "d/db = alpha * a^T @ grad")


@register
class Addmm(Op):
    """beta * c + alpha * (a @ b) for matrices a (n, k) and b (k, m), c expandable to (n, m)."""

    torch = "torch.addmm"
    formulas = _ADD_PRODUCT_FORMULAS
    promotion = Promotion.NONE
    backward = staticmethod(_add_product_grads)

    @staticmethod
    def forward(ctx: Context, c: np.ndarray, a: np.ndarray, b: np.ndarray, beta: float = 1,
                alpha: float = 1) -> np.ndarray:
        if a.ndim != 2 or b.ndim != 2:
            raise errors.not_a_matrix("mat1", a.ndim) if a.ndim != 2 else errors.not_a_matrix("mat2", b.ndim)
        if c.dtype != b.dtype or a.dtype != b.dtype:
            raise errors.addmm_dtypes("self", c.dtype, b.dtype) if c.dtype != b.dtype else \
                errors.addmm_dtypes("mat1", a.dtype, b.dtype)
        if a.shape[1] == b.shape[0]:  # PyTorch expands c before its kernel refuses bools
            _check_expands(c, (a.shape[0], b.shape[1]))
        check_matmul(a, b)
        return _add_product(ctx, c, a, b, beta, alpha, blas=True)


@register
class Addmv(Op):
    """beta * c + alpha * (A @ v) for a matrix A (n, k) and a vector v (k,), c expandable to (n,)."""

    torch = "torch.addmv"
    formulas = _ADD_PRODUCT_FORMULAS
    promotion = Promotion.NONE
    backward = staticmethod(_add_product_grads)

    @staticmethod
    def forward(ctx: Context, c: np.ndarray, a: np.ndarray, v: np.ndarray, beta: float = 1,
                alpha: float = 1) -> np.ndarray:
        if c.ndim > 1 or a.ndim != 2 or v.ndim != 1:
            raise errors.mv_dims(c.ndim, a.ndim, v.ndim)
        if not c.dtype == a.dtype == v.dtype:
            raise errors.addmv_input_dtypes(c.dtype, a.dtype, v.dtype)
        if a.shape[1] != v.shape[0] or c.size not in (1, a.shape[0]):
            raise errors.addmv_input_sizes(c.size, a.shape, v.shape[0])
        if a.dtype == np.bool_ and a.size:  # PyTorch returns beta * c for an empty matrix before its kernel
            raise errors.not_implemented("addmv_impl_cpu", a.dtype)
        return _add_product(ctx, c, a, v, beta, alpha, blas=True)


@register
class Baddbmm(Op):
    """beta * c + alpha * (a[i] @ b[i] for each i), for batches a (p, n, k) and b (p, k, m), c expandable
    to (p, n, m)."""

    torch = "torch.baddbmm"
    formulas = _ADD_PRODUCT_FORMULAS
    promotion = Promotion.NONE
    backward = staticmethod(_add_product_grads)

    @staticmethod
    def forward(ctx: Context, c: np.ndarray, a: np.ndarray, b: np.ndarray, beta: float = 1,
                alpha: float = 1) -> np.ndarray:
        if a.ndim == 3 and c.dtype != a.dtype:
            raise errors.baddbmm_dtypes(c.dtype, a.dtype, b.dtype)
        if b.ndim < 3:  # PyTorch expands c to (a.shape[0], a.shape[1], b.shape[2]) before it checks the batches
            raise errors.dim_out_of_range(2, b.ndim)
        _check_expands(c, (a.shape[0], a.shape[1], b.shape[2]))
        _check_bmm(a, b)
        if a.dtype == np.bool_ and a.shape[2] and a.shape[0] * a.shape[1] * b.shape[2]:  # the BLAS-free kernel
            raise errors.not_implemented("baddbmm", a.dtype)
        return _add_product(ctx, c, a, b, beta, alpha)


# ----- diagonals and triangles ---------------------------------------------------------------------------------------
def _diagonal_dims(ndim: int, dim1: int, dim2: int) -> tuple[int, int]:
    """dim1 and dim2 as axes of a tensor of ``ndim`` dims, with PyTorch's errors (they must differ)."""
    d1, d2 = normalize_dim(dim1, ndim), normalize_dim(dim2, ndim)
    if d1 == d2:
        raise errors.diagonal_dims_identical(dim1, dim2)
    return d1, d2


def _embedded_shape(shape: tuple[int, ...], offset: int, dim1: int, dim2: int) -> tuple[int, ...]:
    """The shape of diag_embed's output: shape's last dim (grown by |offset|) as dims dim1 and dim2."""
    n = shape[-1] + abs(offset)
    out = list(shape[:-1])
    for d in sorted((dim1, dim2)):
        out.insert(d, n)
    return tuple(out)


@register
class Trace(Op):
    """sum_i x[i, i] for a matrix x."""

    torch = "torch.trace"
    formulas = ("d(tr x)/dx = grad on the diagonal, 0 elsewhere",)
    jvp_formulas = ("d(tr x) = tr dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        if x.ndim != 2:
            raise errors.trace_not_matrix(x.ndim)
        if x.dtype == np.bool_:
            raise errors.not_implemented("trace", x.dtype)
        ctx.shape = x.shape
        return K.trace(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.diag_embed(np.broadcast_to(grad, (min(ctx.shape),)), ctx.shape, 0, 0, 1),)


@register
class Diagonal(Op):
    """x[..., i, i + offset] over dims (dim1, dim2), that diagonal as the last dim (a view of x)."""

    torch = "torch.diagonal"
    formulas = ("d(diagonal x)/dx = grad written on that diagonal, 0 elsewhere",)
    returns_view = True
    jvp_formulas = ("d(diagonal x) = diagonal dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, offset: int = 0, dim1: int = 0, dim2: int = 1) -> np.ndarray:
        d1, d2 = _diagonal_dims(x.ndim, dim1, dim2)
        ctx.embedding = (x.shape, offset, d1, d2)
        return K.diagonal(x, offset, d1, d2)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.diag_embed(grad, *ctx.embedding),)


@register
class DiagEmbed(Op):
    """Zeros with x's last dim written on the offset diagonal of the new dims (dim1, dim2)."""

    torch = "torch.diag_embed"
    formulas = ("d(diag_embed x)/dx = that diagonal of grad",)
    jvp_formulas = ("d(diag_embed x) = diag_embed dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, offset: int = 0, dim1: int = -2, dim2: int = -1) -> np.ndarray:
        d1, d2 = _diagonal_dims(x.ndim + 1, dim1, dim2)
        ctx.diagonal = (offset, d1, d2)
        return K.diag_embed(x, _embedded_shape(x.shape, offset, d1, d2), offset, d1, d2)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.copy(K.diagonal(grad, *ctx.diagonal)),)


@register
class Diag(Op):
    """A vector x as the matrix with x on its diagonal'th diagonal; a matrix x's diagonal'th diagonal, as a vector."""

    torch = "torch.diag"
    formulas = ("d(diag x)/dx = diag(grad, diagonal)",)
    jvp_formulas = ("d(diag x) = diag dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, diagonal: int = 0) -> str:
        return "DiagEmbedBackward0" if x.ndim == 1 else "DiagonalBackward0_copy"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, diagonal: int = 0) -> np.ndarray:
        if x.ndim not in (1, 2):
            raise errors.diag_dims(x.ndim)
        ctx.shape, ctx.offset = x.shape, diagonal
        if x.ndim == 1:
            return K.diag_embed(x, _embedded_shape(x.shape, diagonal, 0, 1), diagonal, 0, 1)
        return K.copy(K.diagonal(x, diagonal, 0, 1))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        if len(ctx.shape) == 1:
            return (K.copy(K.diagonal(grad, ctx.offset, 0, 1)),)
        return (K.diag_embed(grad, ctx.shape, ctx.offset, 0, 1),)


class _Triangle(Op):
    """One triangle of each matrix (the last two dims), the rest 0; its gradient is the same triangle of grad."""

    kernel: Callable[[np.ndarray, int], np.ndarray]
    jvp_formulas = ("d(tril x) = tril dx (triu likewise)",)
    jvp = classmethod(linear_jvp)

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, diagonal: int = 0) -> np.ndarray:
        if x.ndim < 2:
            raise errors.triangle_dims(cls.torch.rsplit(".", 1)[1])
        ctx.diagonal = diagonal
        return cls.kernel(x, diagonal)

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (cls.kernel(grad, ctx.diagonal),)


@register
class Tril(_Triangle):
    """x[..., i, j] where j <= i + diagonal, else 0: the lower triangle of each matrix."""

    torch = "torch.tril"
    formulas = ("d(tril x)/dx = tril(grad)",)
    kernel = staticmethod(K.tril)


@register
class Triu(_Triangle):
    """x[..., i, j] where j >= i + diagonal, else 0: the upper triangle of each matrix."""

    torch = "torch.triu"
    formulas = ("d(triu x)/dx = triu(grad)",)
    kernel = staticmethod(K.triu)


@register
class Cross(Op):
    """a x b = (a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0) for the 3-vectors along dim (other dims broadcast);
    without a dim, the first dim of length 3."""

    torch = "torch.cross"
    grad_fn = "LinalgCrossBackward0"
    formulas = ("d(a x b)/da = b x grad", "d(a x b)/db = grad x a")
    jvp_formulas = ("d(a x b) = da x b + a x db",)
    jvp = classmethod(bilinear_jvp)
    promotion = Promotion.SAME

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray, dim: int | None = None) -> np.ndarray:
        if a.dtype != b.dtype:
            raise errors.bmm_dtypes(a.dtype, b.dtype)
        if a.ndim != b.ndim:
            raise errors.cross_ndims()
        if dim is None:
            dim = next((i for i, n in enumerate(a.shape) if n == 3), None)
            if dim is None:
                raise errors.cross_no_length_3()
        dim = normalize_dim(dim, a.ndim)
        if a.shape[dim] != 3 or b.shape[dim] != 3:
            raise errors.cross_length(dim, a.shape[dim], b.shape[dim])
        K.broadcast_shapes(a.shape, b.shape)
        if a.dtype == np.bool_:
            raise errors.not_implemented("cross", a.dtype)
        ctx.save(a=a if ctx.needs(1) else None, b=b if ctx.needs(0) else None)
        ctx.dim = dim
        return K.cross(a, b, dim)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        grad_a = K.cross(b, grad, ctx.dim) if ctx.needs(0) else None
        grad_b = K.cross(grad, a, ctx.dim) if ctx.needs(1) else None
        return grad_a, grad_b  # the engine sums broadcast dims away


# ----- einsum ----------------------------------------------------------------------------------------------------
def _einsum_terms(equation: str) -> tuple[list[list[str]], list[str] | None]:
    """Each operand's labels and the output's (None when implicit), '...' a label of its own, with PyTorch's
    errors for characters that cannot stand in an equation."""
    terms: list[list[str]] = [[]]
    arrow = False
    i = 0
    while i < len(equation):
        ch = equation[i]
        if ch in string.ascii_letters:
            terms[-1].append(ch)
        elif ch == "." and equation[i:i + 3] == "...":
            terms[-1].append("...")
            i += 2
        elif ch == ".":
            raise errors.einsum_stray_dot(len(terms) - 1)
        elif (ch == "," and not arrow) or ch == " ":
            terms += [[]] if ch == "," else []
        elif ch == "-" and equation[i + 1:i + 2] == ">" and not arrow:
            arrow = True
            terms.append([])
            i += 1
        else:
            raise errors.einsum_invalid_subscript(i)
        i += 1
    return (terms[:-1], terms[-1]) if arrow else (terms, None)


def _einsum_subscripts(equation: str, shapes: list[tuple[int, ...]]) -> tuple[list[str], str]:
    """The equation made explicit, one letter per dim: each operand's subscripts and the output's. An ellipsis
    becomes letters the equation does not use, aligned from the right; an implicit output is the ellipsis, then the
    letters used once, in ASCII order (uppercase first), as in PyTorch. PyTorch's errors for what does not fit."""
    terms, output = _einsum_terms(equation)
    if len(shapes) != len(terms):
        raise errors.einsum_operand_count(more=len(shapes) > len(terms))
    ellipsis_dims = []
    for k, (labels, shape) in enumerate(zip(terms, shapes)):
        count = len([label for label in labels if label != "..."])
        if ("..." in labels and count > len(shape)) or ("..." not in labels and count != len(shape)):
            raise errors.einsum_subscript_count(count, len(shape), k, "..." in labels)
        ellipsis_dims.append(len(shape) - count if "..." in labels else 0)
    spare = [c for c in string.ascii_letters if c not in equation][:max(ellipsis_dims, default=0)]
    subscripts = ["".join("".join(spare[len(spare) - e:]) if label == "..." else label for label in labels)
                  for labels, e in zip(terms, ellipsis_dims)]
    used = "".join(subscripts)
    if output is None:
        out = "".join(spare) + "".join(sorted(c for c in set(used) if c not in spare and used.count(c) == 1))
    else:
        for label in output:
            if label != "..." and output.count(label) > 1:
                raise errors.einsum_output_repeated(label)
            if label != "..." and label not in used:
                raise errors.einsum_output_unknown(label)
        out = "".join("".join(spare) if label == "..." else label for label in output)
    _check_einsum_sizes(subscripts, shapes, spare)
    return subscripts, out


def _check_einsum_sizes(subscripts: list[str], shapes: list[tuple[int, ...]], spare: list[str]) -> None:
    """PyTorch's errors for a letter whose sizes differ within an operand, or do not broadcast across operands."""
    seen: dict[str, int] = {}
    for k, (labels, shape) in enumerate(zip(subscripts, shapes)):
        own: dict[str, int] = {}
        for label, size in zip(labels, shape):
            if label in own and own[label] != size:
                raise errors.einsum_repeated_sizes(label, k, size, own[label])
            own[label] = size
        for label, size in own.items():
            previous = seen.get(label, 1)
            if size != previous and 1 not in (size, previous):
                if label in spare:
                    dim = [c for c in labels if c in spare].index(label)
                    raise errors.einsum_ellipsis_sizes(dim, k, size, previous)
                raise errors.einsum_sizes(label, size, k, previous)
            seen[label] = size if size != 1 else previous


@register
class Einsum(Op):
    """out[output letters] = sum, over the letters not in the output, of the product of the operands at their
    letters (one letter per dim; a repeated letter is one index; '...' the dims that broadcast)."""

    torch = "torch.einsum"
    formulas = ("d(einsum)/dx_i = einsum of grad and the other operands, onto x_i's letters (its diagonal where a "
                "letter repeats; the same value along letters only x_i has)",)
    promotion = Promotion.SAME
    jvp_formulas = ("d(einsum(x_1, ..., x_n)) = sum over i of einsum(x_1, ..., dx_i, ..., x_n)",)
    jvp = classmethod(multilinear_jvp)

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return [params["equation"], *inputs], {}

    @staticmethod
    def forward(ctx: Context, *operands: np.ndarray, equation: str) -> np.ndarray:
        for x in operands[1:]:
            if x.dtype != operands[0].dtype:
                raise errors.bmm_dtypes(operands[0].dtype, x.dtype)
        subscripts, out = _einsum_subscripts(equation, [x.shape for x in operands])
        ctx.save(**{f"x{i}": x for i, x in enumerate(operands)})
        ctx.subscripts = (subscripts, out)
        return K.einsum(",".join(subscripts) + "->" + out, list(operands))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        subscripts, out = ctx.subscripts
        xs = [ctx.saved[f"x{i}"] for i in range(len(subscripts))]
        grads: list[np.ndarray | None] = []
        for i, (labels, x) in enumerate(zip(subscripts, xs)):
            if not ctx.needs(i):
                grads.append(None)
                continue
            others = [j for j in range(len(xs)) if j != i]
            unique = "".join(dict.fromkeys(labels))
            kept = "".join(c for c in unique if c in out or any(c in subscripts[j] for j in others))
            equation = ",".join([out, *(subscripts[j] for j in others)]) + "->" + kept
            g = K.einsum(equation, [grad, *(xs[j] for j in others)])
            # Along letters only x has (summed in forward) or that the others have at size 1, the gradient is the
            # same everywhere: broadcast it there; where x has size 1 and the others do not, sum it.
            size = dict(zip(labels, x.shape))
            g = np.expand_dims(g, tuple(p for p, c in enumerate(unique) if c not in kept))
            g = np.broadcast_to(g, tuple(size[c] if g.shape[p] == 1 else g.shape[p] for p, c in enumerate(unique)))
            g = K.sum_to_shape(g, tuple(size[c] for c in unique))
            grads.append(g if unique == labels else K.einsum_diagonal_write(g, labels, unique, x.shape))
        return tuple(grads)


# ----- norms -----------------------------------------------------------------------------------------------------
@register
class VectorNorm(Op):
    """||x||_p = (sum_i |x_i|^p)^(1/p) over dim (every dim for None): max_i |x_i| for p = inf, min_i |x_i| for
    p = -inf, the number of nonzero x_i for p = 0."""

    torch = "torch.linalg.vector_norm"
    grad_fn = "LinalgVectorNormBackward0"
    formulas = ("d||x||_p/dx = grad * x |x|^(p-2) / ||x||^(p-1): sgn(x) for p = 1, x / ||x|| for p = 2, sgn(x) "
                "shared among the extremes for p = inf, 0 where ||x|| = 0",)
    jvp_formulas = ("d||x||_p = sum(x |x|^(p-2) dx) / ||x||^(p-1) (sgn(x) dx for p = 1, ...: backward's weights)",)
    jvp = classmethod(reduction_jvp)

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return inputs, {"ord": params["p"], "dim": params["dim"], "keepdim": params["keepdim"]}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, p: float = 2, dim: int | tuple[int, ...] | None = None,
                keepdim: bool = False) -> np.ndarray:
        if x.dtype.kind != "f":
            raise errors.linalg_not_floating("linalg.vector_norm", x.dtype)
        axes = normalize_dims(dim, x.ndim)
        empty = [a for a in axes if x.shape[a] == 0]
        if (math.isinf(p) or p < 0) and empty:  # max, min and sums of |x|^p for p < 0 have no identity
            raise errors.norm_empty(p, None if dim is None else empty[0])
        norm = K.p_norm(x, p, axes, keepdim=True)
        ctx.save(x=x, norm=norm)
        ctx.p, ctx.axes = p, axes
        return norm if keepdim else norm.reshape([n for a, n in enumerate(x.shape) if a not in axes])

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None]:
        if ctx.p == 0:  # a count: PyTorch gives no gradient at all (None, not zeros)
            return (None,)
        x, norm = ctx.saved["x"], ctx.saved["norm"]
        return (K.p_norm_grad(x, norm, grad.reshape(norm.shape), ctx.p, ctx.axes),)


# ----- torch.linalg: inverses, determinants, solves and decompositions (PyTorch's gradient formulas) -------------
def _check_matrices(function: str, a: np.ndarray, square: bool = True) -> None:
    """PyTorch's errors for a torch.linalg function given something other than (batches of) float matrices: the
    rank, then the shape, then the dtype (``solve`` checks the dtype first)."""
    if a.ndim < 2:
        raise errors.linalg_ndim(function)
    if square and a.shape[-1] != a.shape[-2]:
        raise errors.linalg_not_square(function, a.shape[-2], a.shape[-1])
    if a.dtype.kind != "f":
        raise errors.linalg_not_floating(function, a.dtype)


def _mT(a: np.ndarray) -> np.ndarray:  # noqa: N802  (PyTorch's name: the transpose of each matrix)
    return np.swapaxes(a, -1, -2)


@register
class Inv(Op):
    """A^-1 for each square matrix A."""

    torch = "torch.linalg.inv"
    grad_fn = "LinalgInvExBackward0"
    formulas = ("d(A^-1)/dA = -A^-T @ grad @ A^-T",)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray) -> np.ndarray:
        _check_matrices("linalg.inv", a)
        out = K.inv(a)
        if out is None:
            raise errors.singular_inverse("linalg.inv", *K.singular_pivot(a))
        ctx.save(inv=out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        inv_t = _mT(ctx.saved["inv"])
        return (K.neg(K.matmul(K.matmul(inv_t, grad), inv_t)),)


@register
class Det(Op):
    """det A for each square matrix A."""

    torch = "torch.linalg.det"
    grad_fn = "LinalgDetBackward0"
    formulas = ("d(det A)/dA = grad * adj(A)^T (= grad * det A * A^-T where A is invertible)",)

    @staticmethod
    def forward(ctx: Context, a: np.ndarray) -> np.ndarray:
        _check_matrices("linalg.det", a)
        ctx.save(a=a)
        return K.det(a)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        return (K.mul(grad[..., None, None], K.cast(K.det_grad(ctx.saved["a"]), grad.dtype)),)

    jvp_formulas = ("d(det A) = sum(adj(A)^T * dA) (= det A tr(A^-1 dA) where A is invertible)",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray) -> np.ndarray:
        a = ctx.inputs[0]
        return K.sum(K.mul(K.det_grad(a).astype(da.dtype), da), (a.ndim - 2, a.ndim - 1))


@register
class Solve(Op):
    """X with A X = B for square matrices A and matrices B (..., n, k), or vectors B (n,) or (..., n) (batch dims
    broadcast)."""

    torch = "torch.linalg.solve"
    grad_fn = "LinalgSolveExBackward0"
    formulas = ("dX/dA = -(A^-T @ grad) @ X^T", "dX/dB = A^-T @ grad")
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.dtype.kind != "f":
            raise errors.linalg_not_floating("linalg.solve", a.dtype)
        _check_matrices("linalg.solve", a)
        if b.dtype != a.dtype:
            raise errors.solve_dtypes(a.dtype, b.dtype)
        vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
        b2 = b[..., None] if vector else b
        if b2.shape[-2] != a.shape[-1]:
            raise errors.solve_shapes(a.shape[-2:], b2.shape[-2:])
        K.broadcast_shapes(a.shape[:-2], b2.shape[:-2])
        x = K.solve(a, b2)
        if x is None:
            raise errors.singular_solve()
        ctx.save(a=a, x=x)
        ctx.vector = vector
        return x[..., 0] if vector else x

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, x = ctx.saved["a"], ctx.saved["x"]
        grad_b = K.solve(_mT(a), grad[..., None] if ctx.vector else grad)
        grad_a = K.neg(K.matmul(grad_b, _mT(x))) if ctx.needs(0) else None
        if not ctx.needs(1):
            return grad_a, None
        return grad_a, (grad_b[..., 0] if ctx.vector else grad_b)  # the engine sums broadcast batch dims away


@register
class Cholesky(Op):
    """The lower-triangular L with L L^T = A, for each symmetric positive-definite A (read from its lower
    triangle); with upper=True, the upper-triangular U with U^T U = A (read from its upper triangle)."""

    torch = "torch.linalg.cholesky"
    grad_fn = "LinalgCholeskyExBackward0"
    formulas = ("dL/dA = L^-T Phi(L^T @ grad) L^-1, Phi(M) = (tril(M) + tril(M, -1)^T) / 2",)
    # L, made again from A by a create_graph pass (for upper=True the output is a copy of L^T, not L itself)
    recomputed: ClassVar[dict[str, Any]] = {
        "low": lambda ctx, a, upper=False, **_: K.cholesky(_mT(a) if upper else a)}

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, upper: bool = False) -> np.ndarray:
        _check_matrices("linalg.cholesky", a)
        a = _mT(a) if upper else a  # upper=True reads the upper triangle: U^T U = A is L L^T = A^T with U = L^T
        low = K.cholesky(a)
        if low is None:
            raise errors.not_positive_definite(*K.failing_minor(a))
        ctx.save(low=low)
        ctx.upper = upper
        return K.copy(_mT(low)) if upper else low

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        low = ctx.saved["low"]
        g = K.tril(K.matmul(_mT(low), _mT(grad) if ctx.upper else grad), 0)
        g = K.mul(K.add(g, _mT(K.tril(g, -1))), K.scalar(0.5, g.dtype))
        g = K.solve(_mT(low), g)  # L^-T g
        return (_mT(K.solve(_mT(low), _mT(g))),)  # (L^-T g) L^-1

    jvp_formulas = ("dL = L Phi(L^-1 dA L^-T), Phi(X) = tril(X) with its diagonal halved (dL^T for upper)",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray) -> np.ndarray:
        low = ctx.saved["low"]
        phi = _mT(K.solve(low, _mT(K.solve(low, da))))  # L^-1 dA L^-T
        phi = _with_diagonal(K.tril(phi, 0), K.mul(K.diagonal(phi, 0, -2, -1), K.scalar(0.5, phi.dtype)))
        d_low = K.matmul(low, phi)
        return K.copy(_mT(d_low)) if ctx.upper else d_low


@register
class Svdvals(Op):
    """The singular values s_1 >= ... >= s_k of each matrix A = U diag(s) V^T."""

    torch = "torch.linalg.svdvals"
    grad_fn = "LinalgSvdBackward0"
    formulas = ("ds/dA = U diag(grad) V^T",)
    # U and V^T, made again from A by a create_graph pass: the outputs of a recorded svd, as PyTorch's svdvals saves
    # them (so that the gradient of the gradient flows through svd's backward)
    recomputed: ClassVar[dict[Any, Any]] = {("u", "vt"): lambda ctx, a: _svd(a, full_matrices=False)[::2]}

    @staticmethod
    def forward(ctx: Context, a: np.ndarray) -> np.ndarray:
        _check_matrices("linalg.svd", a, square=False)
        u, s, vt = _svd(a, full_matrices=False)
        ctx.save(u=u, vt=vt)
        return s

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        u, vt = ctx.saved["u"], ctx.saved["vt"]
        return (K.matmul(K.mul(u, grad[..., None, :]), vt),)

    jvp_formulas = ("ds = diag(U^T dA V)",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray) -> np.ndarray:
        u, vt = ctx.saved["u"], ctx.saved["vt"]
        return K.copy(K.diagonal(K.matmul(K.matmul(_mT(u), da), _mT(vt)), 0, -2, -1))


@register
class Eigvalsh(Op):
    """The eigenvalues w_1 <= ... <= w_n of each symmetric matrix A = V diag(w) V^T (read from its UPLO triangle)."""

    torch = "torch.linalg.eigvalsh"
    grad_fn = "LinalgEighBackward0"
    formulas = ("dw/dA = V diag(grad) V^T",)
    # V, made again from A by a create_graph pass: an output of a recorded eigh, as PyTorch's eigvalsh saves it
    recomputed: ClassVar[dict[str, Any]] = {"v": lambda ctx, a, UPLO="L": K.eigh(a, UPLO.upper(), True)[1]}  # noqa: N803

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, UPLO: str = "L") -> np.ndarray:  # noqa: N803  (PyTorch's name)
        w, v = _eigh(a, UPLO, vectors=ctx.needs(0))  # PyTorch's computes the eigenvectors only for a gradient
        ctx.save(v=v)
        return w

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        v = ctx.saved["v"]
        return (K.matmul(K.mul(v, grad[..., None, :]), _mT(v)),)


# ----- torch.linalg's decompositions into several outputs, each carrying a gradient (PyTorch's formulas) ----------
# The backward of each takes one gradient per output, None for an output no gradient reached (PyTorch's "undefined"):
# its terms are skipped, as PyTorch skips them, which matters where they would be 0 / 0 (repeated singular values or
# eigenvalues, with a loss on the values alone).
def check_square_matrices(function: str, a: np.ndarray) -> None:
    """PyTorch's errors for a function of square float matrices (``logdet`` checks in Tensor's method)."""
    _check_matrices(function, a)


def _with_diagonal(m: np.ndarray, diagonal: np.ndarray) -> np.ndarray:
    """A copy of the matrices m with ``diagonal`` (..., n) on their diagonals."""
    out = np.array(m)
    np.einsum("...ii->...i", out)[...] = diagonal
    return out


@register
class Slogdet(Op):
    """(sign, log|det A|) for each square matrix A, so that det A = sign * exp(log|det A|) without overflow: from
    A's LU factorization (sign 0 and log|det A| = -inf where A is singular)."""

    torch = "torch.linalg.slogdet"
    grad_fn = "LinalgSlogdetBackward0"
    formulas = ("dA = grad_logabsdet * A^-T (sign is constant where it is differentiable: its gradient is 0)",)
    differentiable_outputs = 2

    @staticmethod
    def forward(ctx: Context, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        _check_matrices("linalg.slogdet", a)
        ctx.save(a=a)
        return K.slogdet(a)

    @staticmethod
    def backward(ctx: Context, grad_sign: np.ndarray | None,
                 grad_logabsdet: np.ndarray | None) -> tuple[np.ndarray | None]:
        if grad_logabsdet is None:  # sign's gradient is 0: PyTorch gives none at all
            return (None,)
        a = ctx.saved["a"]
        scaled_eye = K.mul(grad_logabsdet[..., None, None], np.eye(a.shape[-1], dtype=a.dtype))
        # A^-T g by LU, as PyTorch's lu_solve; a singular A (not differentiable) gives its inf and NaN
        return (K.solve_through_zero_pivots(_mT(a), scaled_eye),)

    jvp_formulas = ("d(sign) = 0, d(log|det A|) = tr(A^-1 dA)",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, (sign, _) = ctx.inputs[0], ctx.output
        inverse = K.solve_through_zero_pivots(a, np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape))
        return K.zeros(sign.shape, sign.dtype), K.sum(K.mul(_mT(inverse), da), (a.ndim - 2, a.ndim - 1))


_QR_MODES = ("reduced", "complete", "r")



def _differentiable_qr(ctx: Any) -> tuple[np.ndarray, np.ndarray, int, int]:
    """The saved Q, R and m, n, with PyTorch's errors where QR has no derivative (mode "r"; "complete", m > n)."""
    if ctx.mode == "r":
        raise errors.qr_backward_without_q()
    q, r = ctx.saved["q"], ctx.saved["r"]
    m, n = q.shape[-2], r.shape[-1]
    if ctx.mode == "complete" and m > n:
        raise errors.qr_backward_complete_tall()
    return q, r, m, n

@register
class Qr(Op):
    """A = Q R for each matrix A (m, n): Q with orthonormal columns, R upper-triangular, by Householder reflections
    (whose signs LAPACK fixes, so Q and R are unique). mode 'reduced': Q (m, k) and R (k, n) with k = min(m, n);
    'complete': Q (m, m) and R (m, n); 'r': R alone (Q empty, and no gradient)."""

    torch = "torch.linalg.qr"
    grad_fn = "LinalgQrBackward0"
    formulas = ("m >= n: dA = (gQ + Q sym(triu(N))) R^-T, N = gR R^T - Q^T gQ, sym(X) = X + X^T - diag(X); "
                "m < n: dA = [Q tril(N^T - N) R1^-T, 0] + Q gR, R1 = R's first m columns",)
    differentiable_outputs = 2

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, mode: str = "reduced") -> tuple[np.ndarray, np.ndarray]:
        _check_matrices("linalg.qr", a, square=False)
        if mode not in _QR_MODES:
            raise errors.qr_mode(mode)
        q, r = K.qr(a, mode)
        ctx.save(q=q, r=r)
        ctx.mode = mode
        return q, r

    @staticmethod
    def backward(ctx: Context, grad_q: np.ndarray | None, grad_r: np.ndarray | None) -> tuple[np.ndarray]:
        q, r, m, n = _differentiable_qr(ctx)
        terms = [] if grad_r is None else [K.matmul(grad_r, _mT(r))]  # N = gR R^T - Q^T gQ
        terms += [] if grad_q is None else [K.neg(K.matmul(_mT(q), grad_q))]
        big_n = terms[0] if len(terms) == 1 else K.add(*terms)
        if m >= n:
            grad_a = K.matmul(q, K.add(K.triu(big_n, 0), _mT(K.triu(big_n, 1))))
            return (K.solve_upper_right(grad_a if grad_q is None else K.add(grad_a, grad_q), r),)
        grad_a = np.zeros((*q.shape[:-2], m, n), q.dtype)
        grad_a[..., :m] = K.solve_upper_right(K.matmul(q, K.tril(K.sub(_mT(big_n), big_n), 0)), r[..., :m])
        return (grad_a if grad_r is None else K.add(grad_a, K.matmul(q, grad_r)),)

    jvp_formulas = ("X = Q^T dA1 R1^-1 (A1, R1: the first k = min(m, n) columns), W = tril(X, -1) - tril(X, -1)^T: "
                    "dQ = dA1 R1^-1 - Q (X - W), dR = (X - W) R1 and, for R's further columns, Q^T dA2 - W R2",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q, r, m, n = _differentiable_qr(ctx)
        k = min(m, n)
        da_r1_inverse = _mT(K.solve_through_zero_pivots(_mT(r[..., :k]), _mT(da[..., :k])))  # dA1 R1^-1
        x = K.matmul(_mT(q), da_r1_inverse)
        lower = K.tril(x, -1)
        w = K.sub(lower, _mT(lower))
        core = K.sub(x, w)
        d_r = K.matmul(core, r)
        if n > m:
            K.write(d_r[..., k:], K.sub(K.matmul(_mT(q), da[..., k:]), K.matmul(w, r[..., k:])))
        return K.sub(da_r1_inverse, K.matmul(q, core)), d_r


def _eigh(a: np.ndarray, uplo: str, vectors: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """(w, V) of each symmetric matrix read from its ``uplo`` triangle (V None without ``vectors``), after PyTorch's
    checks and errors (the shape, then the triangle, then the dtype, which its kernel checks: empty integer matrices
    pass)."""
    if a.ndim < 2:
        raise errors.linalg_ndim("linalg.eigh")
    if a.shape[-1] != a.shape[-2]:
        raise errors.linalg_not_square("linalg.eigh", a.shape[-2], a.shape[-1])
    if uplo not in ("L", "U", "l", "u"):
        raise errors.eigh_uplo(uplo)
    if a.dtype.kind != "f":
        if a.size:
            raise errors.not_implemented("linalg_eigh_cpu", a.dtype)
        return np.zeros(a.shape[:-1], a.dtype), np.zeros(a.shape, a.dtype)
    out = K.eigh(a, uplo.upper(), vectors)
    if out is None:
        raise errors.eigh_failed(*K.eigh_failure(a, uplo.upper(), vectors))
    return out


@register
class Eigh(Op):
    """A = V diag(w) V^T for each symmetric matrix A (read from its UPLO triangle): the eigenvalues w increasing,
    the eigenvectors V orthonormal (each unique up to its sign where the eigenvalues are distinct)."""

    torch = "torch.linalg.eigh"
    grad_fn = "LinalgEighBackward0"
    formulas = ("dA = V (diag(gw) + skew(V^T gV) / E) V^T, skew(X) = (X - X^T) / 2, E_ij = w_j - w_i (i != j)",)
    differentiable_outputs = 2

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, UPLO: str = "L") -> tuple[np.ndarray, np.ndarray]:  # noqa: N803
        w, v = _eigh(a, UPLO)
        ctx.save(w=w, v=v)
        return w, v

    @staticmethod
    def backward(ctx: Context, grad_w: np.ndarray | None, grad_v: np.ndarray | None) -> tuple[np.ndarray]:
        w, v = ctx.saved["w"], ctx.saved["v"]
        if grad_v is None:  # the eigenvalues alone: V diag(gw) V^T
            return (K.matmul(K.mul(v, grad_w[..., None, :]), _mT(v)),)
        vt_gv = K.matmul(_mT(v), grad_v)
        skew = K.mul(K.sub(vt_gv, _mT(vt_gv)), K.scalar(0.5, w.dtype))
        gaps = _with_diagonal(K.sub(w[..., None, :], w[..., :, None]), np.ones_like(w))  # E, 1 on the diagonal
        inner = K.div(skew, gaps)  # its diagonal is 0: skew's
        inner = inner if grad_w is None else _with_diagonal(inner, grad_w)
        return (K.matmul(v, K.matmul(inner, _mT(v))),)

    jvp_formulas = ("dw = diag(V^T dA V), dV = V ((V^T dA V) / E), E_ij = w_j - w_i, 0 on the diagonal (PyTorch's)",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w, v = ctx.saved["w"], ctx.saved["v"]
        projected = K.matmul(K.matmul(_mT(v), da), v)
        gaps = _with_diagonal(K.sub(w[..., None, :], w[..., :, None]), np.ones_like(w))
        rotation = _with_diagonal(K.div(projected, gaps), np.zeros_like(w))
        return K.copy(K.diagonal(projected, 0, -2, -1)), K.matmul(v, rotation)


def _svd(a: np.ndarray, full_matrices: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(U, S, V^T) of each matrix (checked), or PyTorch's LinAlgError for one holding NaN, which gesdd refuses."""
    out = K.svd(a, full_matrices)
    if out is None:
        batch, _ = K.has_nan(a)
        raise errors.svd_non_finite(batch)
    return out


@register
class Svd(Op):
    """A = U diag(S) Vh for each matrix A (m, n): S (k,) decreasing, k = min(m, n); U (m, k) and Vh (k, n) with
    orthonormal columns and rows (each pair unique up to a common sign where the singular values are distinct), or
    square U (m, m) and Vh (n, n) with full_matrices (their last columns and rows not unique at all)."""

    torch = "torch.linalg.svd"
    grad_fn = "LinalgSvdBackward0"
    formulas = ("dA = U [(skew(U^T gU) S + S skew(Vh gVh^T)) / E + diag(gS)] Vh + (I - U U^T) gU S^-1 Vh (m > n) "
                "or + U S^-1 gVh (I - Vh^T Vh) (m < n), skew(X) = X - X^T, E_jk = S_k^2 - S_j^2 (j != k); "
                "with full_matrices, only U's first k columns and Vh's first k rows count",)
    differentiable_outputs = 3

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        return inputs, {k: v for k, v in params.items() if k != "driver" or v is not None}

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, full_matrices: bool = True,
                driver: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        _check_matrices("linalg.svd", a, square=False)
        if driver is not None:
            raise errors.svd_driver()
        u, s, vh = _svd(a, full_matrices)
        ctx.save(u=u, s=s, vh=vh)
        ctx.full_matrices = full_matrices
        return u, s, vh

    @staticmethod
    def backward(ctx: Context, grad_u: np.ndarray | None, grad_s: np.ndarray | None,
                 grad_vh: np.ndarray | None) -> tuple[np.ndarray]:
        u, s, vh = ctx.saved["u"], ctx.saved["s"], ctx.saved["vh"]
        k = s.shape[-1]
        if ctx.full_matrices:  # the columns and rows past k are not determined by A: they get no gradient
            u, vh = u[..., :k], vh[..., :k, :]
            grad_u = None if grad_u is None else grad_u[..., :k]
            grad_vh = None if grad_vh is None else grad_vh[..., :k, :]
        m, n = u.shape[-2], vh.shape[-1]
        has_u, has_vh = grad_u is not None, grad_vh is not None
        if not has_u and not has_vh:  # the singular values alone (svdvals): U diag(gS) Vh
            return (K.matmul(K.mul(u, grad_s[..., None, :]), vh),)
        squares = K.mul(s, s)
        gaps = _with_diagonal(K.sub(squares[..., None, :], squares[..., :, None]), np.ones_like(s))  # E
        inner = np.zeros((*u.shape[:-2], k, k), u.dtype)
        if has_u:
            ut_gu = K.matmul(_mT(u), grad_u)
            inner = K.mul(K.sub(ut_gu, _mT(ut_gu)), s[..., None, :])  # skew(U^T gU) S
        if has_vh:
            vt_gv = K.matmul(vh, _mT(grad_vh))
            inner = K.add(inner, K.mul(s[..., :, None], K.sub(vt_gv, _mT(vt_gv))))  # + S skew(V^T gV)
        inner = K.div(inner, gaps)  # its diagonal is 0
        inner = inner if grad_s is None else _with_diagonal(inner, grad_s)
        if m > n and has_u:  # + (I - U U^T) gU S^-1, then times Vh
            gu_sinv = K.div(grad_u, s[..., None, :])
            grad_a = K.add(K.matmul(u, inner), K.sub(gu_sinv, K.matmul(u, K.matmul(_mT(u), gu_sinv))))
            return (K.matmul(grad_a, vh),)
        if m < n and has_vh:  # + S^-1 gVh (I - Vh^T Vh), then U times
            sinv_gvh = K.div(grad_vh, s[..., :, None])
            grad_a = K.add(K.matmul(inner, vh), K.sub(sinv_gvh, K.matmul(K.matmul(sinv_gvh, _mT(vh)), vh)))
            return (K.matmul(u, grad_a),)
        return (K.matmul(u, K.matmul(inner, vh)) if m >= n else K.matmul(K.matmul(u, inner), vh),)

    jvp_formulas = ("dP = U^T dA V; dS = diag(dP); dU = U (dP S + S dP^T) / E + (I - U U^T) dA V S^-1; "
                    "dV = V (S dP + dP^T S) / E + (I - V V^T) dA^T U S^-1, E_jk = S_k^2 - S_j^2 (0 on the diagonal); "
                    "full_matrices' further columns and rows: 0",)

    @staticmethod
    def jvp(ctx: Any, da: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        full_u, s, full_vh = ctx.saved["u"], ctx.saved["s"], ctx.saved["vh"]
        k = s.shape[-1]
        u, v = full_u[..., :k], _mT(full_vh[..., :k, :])
        dp = K.matmul(K.matmul(_mT(u), da), v)
        squares = K.mul(s, s)
        gaps = _with_diagonal(K.sub(squares[..., None, :], squares[..., :, None]), np.ones_like(s))
        zeros = np.zeros_like(s)
        dp_s, s_dp = K.mul(dp, s[..., None, :]), K.mul(s[..., :, None], dp)
        du = K.matmul(u, _with_diagonal(K.div(K.add(dp_s, _mT(dp_s)), gaps), zeros))
        dv = K.matmul(v, _with_diagonal(K.div(K.add(s_dp, _mT(s_dp)), gaps), zeros))
        if u.shape[-2] > k:  # + (I - U U^T) dA V S^-1
            du = K.add(du, K.div(K.sub(K.matmul(da, v), K.matmul(u, dp)), s[..., None, :]))
        if v.shape[-2] > k:  # + (I - V V^T) dA^T U S^-1
            dv = K.add(dv, K.div(K.sub(K.matmul(_mT(da), u), K.matmul(v, _mT(dp))), s[..., None, :]))
        d_full_u, d_full_vh = K.zeros(full_u.shape, du.dtype), K.zeros(full_vh.shape, dv.dtype)
        K.write(d_full_u[..., :k], du)
        K.write(d_full_vh[..., :k, :], _mT(dv))
        return d_full_u, K.copy(K.diagonal(dp, 0, -2, -1)), d_full_vh
