"""Matrix multiplication, with PyTorch's rules for 1-D, 2-D and batched operands."""

import math

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .registry import Op, Promotion, register


def _check(a: np.ndarray, b: np.ndarray) -> None:
    """PyTorch's errors for operands that cannot be multiplied."""
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
    formulas = ("d(a@b)/da = grad @ b^T", "d(a@b)/db = a^T @ grad")
    promotion = Promotion.SAME

    @staticmethod
    def grad_fn_name(ctx: Context, a: np.ndarray, b: np.ndarray) -> str:
        return _GRAD_FN_NAMES.get((a.ndim, b.ndim), "MatmulBackward0")

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _check(a, b)
        ctx.save(a=a if ctx.needs(1) else None, b=b if ctx.needs(0) else None)
        ctx.ndims = (a.ndim, b.ndim)
        return K.matmul(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = ctx.saved["a"], ctx.saved["b"]
        a_ndim, b_ndim = ctx.ndims
        # Restore the dims a 1-D operand lost, so both products below are plain (batched) matrix products.
        g2 = np.expand_dims(grad, -1) if b_ndim == 1 else grad
        if a_ndim == 1:
            g2 = np.expand_dims(g2, -2)
        grad_a = grad_b = None
        if ctx.needs(0):
            grad_a = K.matmul(g2, np.swapaxes(b[:, None] if b_ndim == 1 else b, -1, -2))
            grad_a = grad_a[..., 0, :] if a_ndim == 1 else grad_a
        if ctx.needs(1):
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
    expandable = bias is None or (bias.ndim <= 2 and all(
        b in (1, o) for b, o in zip(reversed(bias.shape), reversed(out_shape))))
    if not expandable:
        raise errors.expand_size_mismatch(out_shape[1], bias.shape[-1], 1, out_shape, bias.shape)
    if x.dtype == np.bool_ and x.size and weight.size:
        raise errors.not_implemented("addmm_impl_cpu_", x.dtype)


@register
class Linear(Op):
    """x @ W^T + b for a batch of rows x (N, in), weight W (out, in) and optional bias b (out,).

    PyTorch's ``addmm``: the product is rounded, then the bias added (no fused multiply-add).
    """

    torch = "torch.nn.functional.linear"
    formulas = ("d(xW^T+b)/dx = grad @ W", "d(xW^T+b)/dW = grad^T @ x", "d(xW^T+b)/db = grad summed over the batch")
    promotion = Promotion.NONE

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> str:
        return "MmBackward0" if bias is None else "AddmmBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
        _check_linear(x, weight, bias)
        ctx.save(x=x if ctx.needs(1) else None, weight=weight if ctx.needs(0) else None)
        product = K.matmul(x, weight.T)
        return product if bias is None else K.add(product, bias)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        x, weight = ctx.saved["x"], ctx.saved["weight"]
        grad_x = K.matmul(grad, weight) if ctx.needs(0) else None
        grad_weight = K.matmul(grad.T, x) if ctx.needs(1) else None  # PyTorch's order for a transposed mat2 (W^T)
        return grad_x, grad_weight, grad  # the engine sums grad over the batch for b
