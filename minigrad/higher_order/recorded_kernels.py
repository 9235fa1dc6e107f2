"""The kernels as a recorded backward calls them: ``RECORDED`` has each kernel's name (``K.mul(grad, b)``) over tensors,
made of registry ops, so that each step of the backward lands in the graph; ``NUMPY`` maps the numpy layout calls a
backward makes on its gradients to tensor ops. See the package's docstring for how a backward comes to call them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np

from .. import dtypes
from .. import kernels as K
from ..autograd.grad_mode import enable_grad
from ..ops import classification, join, loss
from ..ops import linalg as linalg_ops
from ..tensor import Tensor, apply


def _tensor(x: Any) -> Any:
    """Arrays as constant tensors; tensors and everything else as they are."""
    return Tensor._make(x) if isinstance(x, np.ndarray) else x


def _array(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _dtype(dtype: Any) -> Any:
    """minigrad's dtype for a numpy one (a tensor's ``.dtype`` is already minigrad's)."""
    return dtype if isinstance(dtype, dtypes.dtype) else dtypes.from_numpy(np.dtype(dtype))


class _RecordedKernels:
    """The kernels as the recorded backward calls them (``K.mul(grad, b)``), over tensors."""

    # ----- elementwise -------------------------------------------------------------------------------------------
    @staticmethod
    def add(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a) + _tensor(b)

    @staticmethod
    def sub(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a) - _tensor(b)

    @staticmethod
    def mul(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a) * _tensor(b)

    @staticmethod
    def div(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a) / _tensor(b)

    @staticmethod
    def pow(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a) ** _tensor(b)

    @staticmethod
    def maximum(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a).maximum(_tensor(b))

    @staticmethod
    def minimum(a: Any, b: Any, out: None = None) -> Tensor:
        return _tensor(a).minimum(_tensor(b))

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Tensor:
        from ..functions import where
        return where(_tensor(cond), _tensor(a), _tensor(b))

    @staticmethod
    def sigmoid_grad(grad: Any, y: Any, out: None = None) -> Tensor:
        """grad (1 - y) y, as the kernel rounds it."""
        y = _tensor(y)
        return _tensor(grad) * (1 - y) * y

    @staticmethod
    def tanh_grad(grad: Any, y: Any, out: None = None) -> Tensor:
        """grad (1 - y²)."""
        y = _tensor(y)
        return _tensor(grad) * (1 - y * y)

    @staticmethod
    def relu_grad(grad: Any, x: Any, out: None = None) -> Tensor:
        """grad where x > 0, else 0 (NaN in grad passes, as PyTorch's threshold_backward)."""
        return _masked(grad, _array(x) <= 0)

    @staticmethod
    def threshold_grad(x: Any, grad: Any, threshold: float) -> Tensor:
        return _masked(grad, _array(x) <= threshold)

    @staticmethod
    def softplus_grad(x: Any, grad: Any, beta: float, threshold: float) -> Tensor:
        """grad sigmoid(beta x), or grad where beta x > threshold."""
        x, grad = _tensor(x), _tensor(grad)
        z = x * beta
        return RECORDED.where((z > threshold)._data, grad, grad * z.sigmoid())

    @staticmethod
    def elu_grad(x: Any, grad: Any, alpha: float, scale: float, input_scale: float) -> Tensor:
        x, grad = _tensor(x), _tensor(grad)
        slope = grad * (alpha * scale * input_scale)
        # exp of x <= 0 only (where x > 0 picks the other branch, an overflow there would make NaN of its zero
        # gradient), and at x = 0 no x at all (PyTorch's second derivative is 0 there)
        negative = RECORDED.where((x < 0)._data, slope * (x * input_scale).clamp(max=0).exp(), slope)
        return RECORDED.where((x > 0)._data, grad * scale, negative)

    @staticmethod
    def gelu_grad(x: Any, grad: Any, approximate: str) -> Tensor:
        """grad (Phi(x) + x phi(x)), or the tanh form's derivative."""
        x, grad = _tensor(x), _tensor(grad)
        if approximate == "tanh":
            k = math.sqrt(2 / math.pi)
            t = ((x + x * x * x * 0.044715) * k).tanh()
            return grad * ((1 + t) * 0.5 + x * 0.5 * (1 - t * t) * k * (1 + x * x * (3 * 0.044715)))
        cdf = ((x * math.sqrt(0.5)).erf() + 1) * 0.5
        return grad * (cdf + x * (x * x * -0.5).exp() * (1 / math.sqrt(2 * math.pi)))

    @staticmethod
    def silu_grad(x: Any, grad: Any) -> Tensor:
        """grad s (1 + x (1 - s)), s = sigmoid(x)."""
        x = _tensor(x)
        s = x.sigmoid()
        return _tensor(grad) * s * (1 + x * (1 - s))

    @staticmethod
    def mish_grad(x: Any, grad: Any) -> Tensor:
        """grad (t + x sigmoid(x) (1 - t²)), t = tanh(softplus(x))."""
        x = _tensor(x)
        t = apply(classification.Softplus, x, beta=1.0, threshold=20.0).tanh()
        return _tensor(grad) * (t + x * x.sigmoid() * (1 - t * t))

    @staticmethod
    def log_sigmoid_grad(x: Any, grad: Any) -> Tensor:
        """grad sigmoid(-x)."""
        return _tensor(grad) * (-_tensor(x)).sigmoid()

    @staticmethod
    def hardtanh_grad(x: Any, grad: Any, min_val: float, max_val: float) -> Tensor:
        x = _array(x)
        return _masked(grad, (x <= min_val) | (x >= max_val))

    @staticmethod
    def hardsigmoid_grad(x: Any, grad: Any) -> Tensor:
        x = _array(x)
        return _masked(_tensor(grad) * float(np.float32(1) / np.float32(6)), ~((x > -3) & (x < 3)))

    @staticmethod
    def hardswish_grad(x: Any, grad: Any) -> Tensor:
        """0 up to -3, grad (x / 3 + 1/2) below 3, grad from 3 on."""
        x, grad = _tensor(x), _tensor(grad)
        middle = RECORDED.where(x._data < 3, grad * (x / 3 + 0.5), grad)
        return _masked(middle, x._data <= -3)

    @staticmethod
    def shrink_grad(x: Any, grad: Any, lambd: float) -> Tensor:
        x = _array(x)
        return _masked(grad, (x >= -lambd) & (x <= lambd))

    @staticmethod
    def glu_grad(x: Any, grad: Any, axis: int) -> Tensor:
        """(sigmoid(b) grad, (1 - s) s grad a) for the halves a, b of x."""
        x = _tensor(x)
        half = x.shape[axis] // 2
        a, b = x.narrow(axis, 0, half), x.narrow(axis, half, half)
        s, grad = b.sigmoid(), _tensor(grad)
        from ..functions import cat
        return cat([s * grad, (1 - s) * s * grad * a], axis)

    @staticmethod
    def log_sigmoid(x: Any) -> Tensor:
        """log(sigmoid x) = min(x, 0) - log1p(exp(-|x|)), as -log1p(exp(-x)) for x >= 0 and x - log1p(exp(x))
        below, each branch on its own side of 0 (min and |x| have kinks at 0 their sum does not: their derivatives
        would not add up to sigmoid(-x) there)."""
        x = _tensor(x)
        above, below = x.clamp(min=0), x.clamp(max=0)
        return RECORDED.where((x >= 0)._data, -(-above).exp().log1p(), below - below.exp().log1p())

    @staticmethod
    def softmax_backward(grad: Any, y: Any, axis: int, log: bool) -> Tensor:
        """y (grad - sum(grad y)) for softmax; grad - exp(y) sum(grad) for log_softmax."""
        grad, y = _tensor(grad), _tensor(y)
        if log:
            return grad - y.exp() * grad.sum(axis, keepdim=True)
        return y * (grad - (grad * y).sum(axis, keepdim=True))

    @staticmethod
    def bce_grad(p: Any, y: Any, grad: Any) -> Tensor:
        """grad (p - y) / max((1 - p) p, 1e-12), as PyTorch records it: its own op, with PyTorch's derivatives."""
        return apply(loss.BinaryCrossEntropyBackward, _tensor(p), _tensor(y), _tensor(grad))

    @staticmethod
    def huber_grad(x: Any, y: Any, grad: Any, norm: float, delta: float) -> Tensor:
        """norm clamp(x - y, -delta, delta) grad: its derivative norm grad where |x - y| < delta, else 0 (PyTorch's
        huber_loss_double_backward)."""
        return RECORDED._piecewise_grad(x, y, grad, norm, delta, divide=False)

    @staticmethod
    def smooth_l1_grad(x: Any, y: Any, grad: Any, norm: float, beta: float) -> Tensor:
        """norm clamp((x - y) / beta, -1, 1) grad: its derivative norm grad / beta where |x - y| < beta, else 0."""
        return RECORDED._piecewise_grad(x, y, grad, norm, beta, divide=True)

    @staticmethod
    def _piecewise_grad(x: Any, y: Any, grad: Any, norm: float, width: float, divide: bool) -> Tensor:
        d = _tensor(x) - _tensor(y)
        edge = 1.0 if divide else width
        outside = np.where(d._data > 0, edge, -edge).astype(d._data.dtype)  # constant beyond the kink
        slope = RECORDED.where((d.abs() < width)._data, d / width if divide else d, outside)
        return slope * norm * _tensor(grad)

    @staticmethod
    def bce_target_grad(p: Any, grad: Any) -> Tensor:
        """-log(p / (1 - p)) grad."""
        p = _tensor(p)
        return -(p / (1 - p)).log() * _tensor(grad)

    # ----- layout ------------------------------------------------------------------------------------------------
    @staticmethod
    def scalar(value: float, dtype: Any) -> Tensor:
        return Tensor._make(K.scalar(value, _dtype(dtype).np))

    @staticmethod
    def zeros(shape: Sequence[int], dtype: Any) -> Tensor:
        return Tensor._make(K.zeros(tuple(shape), _dtype(dtype).np))

    @staticmethod
    def cast(x: Any, dtype: Any) -> Tensor:
        x, dtype = _tensor(x), _dtype(dtype)
        return x if x.dtype is dtype else x.to(dtype)

    @staticmethod
    def copy(x: Any, dtype: Any = None) -> Tensor:
        x = _tensor(x).clone()
        return x if dtype is None else RECORDED.cast(x, dtype)

    @staticmethod
    def expand(x: Any, shape: Sequence[int]) -> Tensor:
        """A fresh tensor (a backward may write into it, as into the kernel's array) of x broadcast to ``shape``."""
        return _tensor(x).expand(tuple(shape)).clone()

    @staticmethod
    def write(dst: Tensor, src: Any) -> None:
        with enable_grad():
            dst.copy_(_tensor(src))

    # ----- reductions and products -------------------------------------------------------------------------------
    @staticmethod
    def sum(x: Any, axes: Sequence[int], dtype: Any = None) -> Tensor:
        x = _tensor(x)
        total = x.sum(tuple(axes)) if len(axes) else x.clone()
        return total if dtype is None else RECORDED.cast(total, dtype)

    @staticmethod
    def sum_to_shape(grad: Any, shape: Sequence[int]) -> Tensor:
        grad, shape = _tensor(grad), tuple(shape)
        if tuple(grad.shape) == shape:
            return grad
        lead = grad.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(lead + d for d, n in enumerate(shape) if n == 1 and grad.shape[lead + d] != 1)
        return (grad.sum(axes) if axes else grad).reshape(shape)

    @staticmethod
    def matmul(a: Any, b: Any) -> Tensor:
        return _tensor(a) @ _tensor(b)

    @staticmethod
    def cumsum(x: Any, axis: int, dtype: Any, reverse: bool = False) -> Tensor:
        x = RECORDED.cast(x, dtype)
        return x.flip(axis).cumsum(axis).flip(axis) if reverse else x.cumsum(axis)

    # ----- selection and scatter ---------------------------------------------------------------------------------
    @staticmethod
    def gather(src: Any, index: Any) -> Tensor:
        """out[i...] = src.flat[index[i...]]."""
        return _tensor(src).reshape(-1)[Tensor._make(np.ascontiguousarray(_array(index)))]

    @staticmethod
    def scatter_add(values: Any, index: Any, shape: Sequence[int]) -> Tensor:
        """Zeros of ``shape`` but for out.flat[index[i...]] += values[i...]."""
        values = _tensor(values)
        out = Tensor._make(K.zeros((math.prod(shape),), values._data.dtype))
        flat_index = Tensor._make(np.ascontiguousarray(_array(index)).reshape(-1))
        return out.index_add(0, flat_index, values.reshape(-1)).reshape(tuple(shape))

    @staticmethod
    def masked_gather(values: Any, mask: Any, shape: Sequence[int]) -> Tensor:
        """The values where mask holds, in order, then zeros, as an array of ``shape``."""
        taken = _tensor(values).masked_select(_tensor(mask))
        rest = Tensor._make(K.zeros((math.prod(shape) - taken.numel(),), taken._data.dtype))
        return apply(join.Cat, taken, rest, dim=0).reshape(tuple(shape))

    @staticmethod
    def index_select(src: Any, axis: int, index: Any) -> Tensor:
        return _tensor(src).index_select(axis, _tensor(index))

    @staticmethod
    def index_add(out: Tensor, axis: int, index: Any, values: Any, alpha: float = 1) -> None:
        with enable_grad():
            out.index_add_(axis, _tensor(index), _tensor(values), alpha=alpha)

    @staticmethod
    def add_at(out: Tensor, index: Any, values: Any) -> None:
        flat_index = Tensor._make(np.ascontiguousarray(_array(index)).reshape(-1))
        with enable_grad():
            out.view(-1).index_add_(0, flat_index, _tensor(values).reshape(-1))

    @staticmethod
    def scatter_reduce(out: Tensor, index: Any, values: Any, reduction: str, include_self: bool) -> None:
        """out.flat[index[i...]] reduced in place with values[i...], in order: scatter_reduce (recorded, so its own
        backward differentiates it) on the flat tensors, as PyTorch's scatter_reduce_backward calls it."""
        flat_index = Tensor._make(np.ascontiguousarray(_array(index)).reshape(-1))
        with enable_grad():
            out.view(-1).scatter_reduce_(0, flat_index, _tensor(values).reshape(-1), reduction,
                                         include_self=include_self)

    @staticmethod
    def put(out: Tensor, index: Any, values: Any) -> None:
        flat_index = Tensor._make(np.ascontiguousarray(_array(index)).reshape(-1))
        with enable_grad():
            out.view(-1).index_put_((flat_index,), _tensor(values).reshape(-1))

    @staticmethod
    def index_fill(out: Tensor, axis: int, index: Any, value: Any) -> None:
        with enable_grad():
            out.index_fill_(axis, _tensor(index), _tensor(value).reshape(()))

    @staticmethod
    def floor_divide(a: Any, b: Any, out: None = None) -> Tensor:
        """floor(a / b): piecewise constant, so a constant (its derivative is 0 almost everywhere)."""
        return Tensor._make(K.floor_divide(_array(a), _array(b)))

    @staticmethod
    def nll_loss_backward(grad: Any, target: Any, weight: Any, ignore_index: int, shape: Sequence[int],
                          total_weight: Any = None) -> Tensor:
        """Zeros of ``shape`` (N, C, S) but -weight[t] grad[n, s] (/ total_weight) at each kept [n, t, s]."""
        grad, target = _tensor(grad), np.ascontiguousarray(_array(target)).reshape(-1)
        kept = np.flatnonzero(target != ignore_index)
        classes, spatial = shape[1], shape[2]
        g = RECORDED.gather(grad, kept) if grad.ndim else grad.expand(kept.size)
        g = -(g / _tensor(total_weight)) if total_weight is not None else -g
        if weight is not None:
            g = RECORDED.gather(weight, target[kept]) * g
        n, s = np.divmod(kept, spatial)
        return RECORDED.scatter_add(g, (n * classes + target[kept]) * spatial + s, shape)

    @staticmethod
    def p_norm_grad(x: Any, norm: Any, grad: Any, p: float, axes: tuple[int, ...]) -> Tensor:
        """The gradient of the p-norm, as the kernel computes it (see there)."""
        x, norm, grad = _tensor(x), _tensor(norm), _tensor(grad)
        if p == 1:
            return x.sign() * grad
        zero = K.scalar(0, x._data.dtype)
        if math.isinf(p):
            ties = (x.abs() == norm) | x.isnan()
            return x.sign() * ((grad / ties.sum(axes, keepdim=True).to(x.dtype)) * ties)
        if p == 2:
            return RECORDED.where((norm == 0)._data, zero, x / norm) * grad
        if p < 1:
            scaled = x.sign() * RECORDED.where((x == 0)._data, zero, x.abs() ** (p - 1))
            return scaled * grad * norm ** (1 - p)
        scale = RECORDED.where((norm == 0)._data, zero, grad / norm ** (p - 1))
        if p < 2:
            return x.sign() * x.abs() ** (p - 1) * scale
        return x * x.abs() ** (p - 2) * scale

    @staticmethod
    def im2col(x: Any, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int],
               dilation: tuple[int, int], out_size: tuple[int, int]) -> Tensor:
        """The windows of x as columns: a gather of x's elements (0 where a window reads the padding)."""
        x = _tensor(x)
        positions = _window_positions(tuple(x.shape), kernel, stride, padding, dilation, out_size)
        padded = RECORDED.zeros((1,), x.dtype)
        from ..functions import cat
        return RECORDED.gather(cat([padded, x.reshape(-1)]), positions)

    @staticmethod
    def col2im(cols: Any, shape: Sequence[int], kernel: tuple[int, int], stride: tuple[int, int],
               padding: tuple[int, int], dilation: tuple[int, int]) -> Tensor:
        """im2col's adjoint: each column's values added where im2col read them (those read from padding dropped)."""
        cols, shape = _tensor(cols), tuple(shape)
        positions = _window_positions(shape, kernel, stride, padding, dilation, tuple(cols.shape[2:]))
        return RECORDED.scatter_add(cols, positions, (math.prod(shape) + 1,))[1:].reshape(shape)

    @staticmethod
    def scatter_to_indices(grad: Any, indices: Any, shape: Sequence[int]) -> Tensor:
        """Zeros of ``shape`` (P, *plane) with grad (P, *out) added at each plane's flat ``indices`` (those outside
        the plane dropped)."""
        planes, size = shape[0], math.prod(shape[1:])
        indices = np.ascontiguousarray(_array(indices)).reshape(planes, -1)
        inside = (indices >= 0) & (indices < size)
        positions = (np.arange(planes)[:, None] * size + indices)[inside]
        picked = RECORDED.gather(grad, np.flatnonzero(inside))
        return RECORDED.scatter_add(picked, positions, tuple(shape))

    @staticmethod
    def gather_per_plane(grad: Any, indices: Any) -> Tensor:
        """out[p, k] = grad[p, indices[p, k]] for grad (P, size)."""
        grad, indices = _tensor(grad), _array(indices)
        return RECORDED.gather(grad, np.arange(grad.shape[0])[:, None] * grad.shape[1] + indices)

    @staticmethod
    def nearest_grad(grad: Any, rows: Any, cols: Any, shape: Sequence[int]) -> Tensor:
        """Zeros of ``shape`` (P, H, W) with grad[p, oy, ox] added at [p, rows[oy], cols[ox]]."""
        planes, height, width = shape
        positions = (np.arange(planes)[:, None, None] * (height * width) + _array(rows)[None, :, None] * width
                     + _array(cols)[None, None, :])
        return RECORDED.scatter_add(grad, positions, tuple(shape))

    # ----- scans and products along dims ----------------------------------------------------------------------------
    @staticmethod
    def leave_one_out_products(x: Any, axes: tuple[int, ...]) -> Tensor:
        """For each element, the product of the others of its slice over ``axes``: exclusive running products from
        both ends, multiplied (no division, so zeros are right)."""
        x = _tensor(x)
        kept = [d for d in range(x.ndim) if d not in axes]
        rows = x.permute(*kept, *axes).reshape(*(x.shape[d] for d in kept), -1)
        ones = RECORDED.zeros((*rows.shape[:-1], 1), x.dtype) + 1
        from ..functions import cat
        before = cat([ones, rows[..., :-1]], -1).cumprod(-1)
        after = cat([ones, rows.flip(-1)[..., :-1]], -1).cumprod(-1).flip(-1)
        moved = (before * after).reshape(*(x.shape[d] for d in kept), *(x.shape[d] for d in axes))
        return moved.permute(*np.argsort([*kept, *axes]).tolist())

    @staticmethod
    def cumprod_grad(x: Any, grad: Any, axis: int) -> Tensor:
        """grad_i = sum over j >= i of grad_j (x_0 ... x_j without x_i): for each i, the running product of x with
        x_i made 1 (n of them at once: O(n²) along the dim), no division."""
        x, grad = _tensor(x).movedim(axis, -1), _tensor(grad).movedim(axis, -1)
        n = x.shape[-1]
        if math.prod(x.shape) <= 1 or n == 1:
            return grad.movedim(-1, axis)
        eye = np.eye(n, dtype=bool)
        without = RECORDED.where(eye, K.scalar(1, x._data.dtype), x.unsqueeze(-2))  # row i: x with x_i = 1
        products = without.cumprod(-1) * Tensor._make(np.triu(np.ones((n, n), x._data.dtype)))  # only j >= i
        return (products * grad.unsqueeze(-2)).sum(-1).movedim(-1, axis)

    @staticmethod
    def logcumsumexp_grad(x: Any, result: Any, grad: Any, axis: int) -> Tensor:
        """grad_i = sum over j >= i of grad_j exp(x_i - result_j)."""
        x, result, grad = _tensor(x), _tensor(result), _tensor(grad)
        return x.exp() * RECORDED.cumsum(grad * (-result).exp(), axis, x.dtype, reverse=True)

    @staticmethod
    def cross(a: Any, b: Any, dim: int) -> Tensor:
        """(a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0) along ``dim``."""
        a, b = _tensor(a), _tensor(b)
        a0, a1, a2 = (a.narrow(dim, i, 1).squeeze(dim) for i in range(3))
        b0, b1, b2 = (b.narrow(dim, i, 1).squeeze(dim) for i in range(3))
        from ..functions import stack
        return stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], dim)

    # ----- linear algebra ---------------------------------------------------------------------------------------
    @staticmethod
    def det_grad(a: Any) -> Tensor:
        """det(A) A^-T for invertible matrices (singular ones: not recorded yet)."""
        det = np.linalg.det(_array(a))
        if not (np.all(det != 0) and np.all(np.isfinite(det))):
            return _on_constants("det_grad (of a singular matrix)", K.det_grad)(a)
        from ..linalg import det as determinant
        a = _tensor(a)
        eye = Tensor._make(np.broadcast_to(np.eye(a.shape[-1], dtype=a._data.dtype), a._data.shape).copy())
        return RECORDED.solve(a.transpose(-1, -2), determinant(a)[..., None, None] * eye)

    @staticmethod
    def solve_through_zero_pivots(a: Any, b: Any) -> Tensor:
        """A^-1 B (singular A: not recorded yet)."""
        if K.solve(_array(a), _array(b)) is None:
            return _on_constants("solve_through_zero_pivots (of a singular matrix)", K.solve_through_zero_pivots)(a, b)
        return RECORDED.solve(a, b)

    @staticmethod
    def cholesky(a: Any) -> Tensor:
        from ..linalg import cholesky
        return cholesky(_tensor(a))

    @staticmethod
    def solve_upper_right(b: Any, r: Any) -> Tensor:
        """B R^-T: (R^-1 B^T)^T."""
        return RECORDED.solve(r, _tensor(b).transpose(-1, -2)).transpose(-1, -2)

    # ----- LSTM: the gates' loops of kernels/recurrent.py as tensor ops, on the same transposed layouts -------------
    @staticmethod
    def lstm_forward(gates_x: Any, gates_h: Any, b_ih: Any, b_hh: Any, c: Any) -> tuple[Tensor, ...]:
        """An LSTM step (see the kernel): h', c' (B, H), and the activations (4H, B), c and tanh(c') (H, B)."""
        c_t = _tensor(c).T
        acts, c_next, tanh_c, h_next = _lstm_step(gates_x, gates_h, b_ih, b_hh, c_t)
        return h_next.T, c_next.T, acts, c_t, tanh_c

    @staticmethod
    def lstm_backward(grad_h: Any, grad_c: Any, acts: Any, c_t: Any, tanh_c: Any) -> tuple[Tensor, Tensor, Tensor]:
        """The step's backward (see the kernel): dz (4H, B), dc (B, H), dz summed over the batch."""
        d_gates, d_c = _lstm_step_backward(None if grad_h is None else _tensor(grad_h).T,
                                           None if grad_c is None else _tensor(grad_c).T, acts, c_t, tanh_c)
        return d_gates, d_c.T, d_gates.sum(1)

    @staticmethod
    def lstm_sequence_forward(gates_x: Any, w_hh: Any, b_ih: Any, b_hh: Any, h0: Any, c0: Any,
                              reverse: bool) -> tuple[Tensor, ...]:
        """The steps over a sequence (see the kernel), the same outputs, stacked as it lays them out."""
        from ..functions import stack
        gates_x, w_hh = _tensor(gates_x), _tensor(w_hh)
        steps = gates_x.shape[1]
        h, c = _tensor(h0).T, _tensor(c0).T
        outputs: list[Any] = [None] * steps
        acts, cells, tanhs = [], [c], []
        for t in _steps(steps, reverse):
            a, c, tanh_c, h = _lstm_step(gates_x[:, t], w_hh @ h, b_ih, b_hh, c)
            acts.append(a)
            cells.append(c)
            tanhs.append(tanh_c)
            outputs[t] = h
        return stack(outputs).transpose(1, 2), h.T, c.T, stack(acts), stack(cells), stack(tanhs)

    @staticmethod
    def lstm_sequence_backward(grad_out: Any, grad_h: Any, grad_c: Any, acts: Any, cells: Any, tanh_c: Any,
                               w_hh: Any, reverse: bool, to_h0: bool) -> tuple[Any, ...]:
        """Backpropagation through the steps (see the kernel): dz (4H, T, B), dh0 (or None), dc0, dz's sum."""
        from ..functions import stack
        acts, cells, tanh_c, w_hh = _tensor(acts), _tensor(cells), _tensor(tanh_c), _tensor(w_hh)
        steps = acts.shape[0]
        outs = None if grad_out is None else _tensor(grad_out).transpose(1, 2)  # (T, H, B)
        d_h = None if grad_h is None else _tensor(grad_h).T
        d_c = None if grad_c is None else _tensor(grad_c).T
        d_z: list[Any] = [None] * steps
        order = _steps(steps, reverse)
        for k in range(steps - 1, -1, -1):
            t = order[k]
            if outs is not None:
                d_h = outs[t] if d_h is None else d_h + outs[t]
            d_z[t], d_c = _lstm_step_backward(d_h, d_c, acts[k], cells[k], tanh_c[k])
            if k or to_h0:
                d_h = w_hh.T @ d_z[t]
        gates = stack(d_z, 1)
        return gates, d_h.T if to_h0 else None, d_c.T, gates.sum((1, 2))

    # ----- normalization over groups: x (A, B, S), a group per b --------------------------------------------------
    @staticmethod
    def moments(x: Any) -> tuple[Tensor, Tensor]:
        """(each group's mean, its sum of squared deviations)."""
        x = _tensor(x)
        mean = x.mean((0, 2))
        deviations = x - mean[None, :, None]
        return mean, (deviations * deviations).sum((0, 2))

    @staticmethod
    def inverse_std(var: Any, eps: float) -> Tensor:
        """1 / sqrt(var + eps), 0 where var and eps are both 0."""
        var = _tensor(var)
        return _masked((var + eps).rsqrt(), (var._data == 0) & (eps == 0))

    @staticmethod
    def normalize(x: Any, mean: Any, invstd: Any) -> Tensor:
        """(x - mean_b) invstd_b."""
        return (_tensor(x) - _tensor(mean)[None, :, None]) * _tensor(invstd)[None, :, None]

    @staticmethod
    def normalized_grad(g: Any, x: Any, mean: Any, invstd: Any) -> Tensor:
        """invstd (g - mean(g) - (x - mean) invstd² mean(g (x - mean))), the means over each group."""
        g, x = _tensor(g), _tensor(x)
        centered, invstd = x - _tensor(mean)[None, :, None], _tensor(invstd)[None, :, None]
        count = x.shape[0] * x.shape[2]
        k = (g * centered).sum((0, 2), keepdim=True) * invstd * invstd / count
        return (g - g.mean((0, 2), keepdim=True) - centered * k) * invstd

    @staticmethod
    def avg_pool2d_grad(grad: Any, shape: Sequence[int], kernel: tuple[int, int], stride: tuple[int, int],
                        padding: tuple[int, int], count_include_pad: bool, divisor_override: int | None) -> Tensor:
        """Each window's gradient / its divisor added over the window (the kernel's windows and divisors)."""
        from ..kernels.conv import _avg_pool_window
        (height, width), (out_h, out_w) = shape[1:], _tensor(grad).shape[1:]
        windows = [(oy * out_w + ox, _avg_pool_window(oy, ox, *kernel, *stride, *padding, height, width,
                                                      count_include_pad, divisor_override or 0))
                   for oy in range(out_h) for ox in range(out_w)]
        return _spread(grad, shape, [(o, y0, y1, x0, x1, 1 / divisor) for o, (y0, y1, x0, x1, divisor) in windows])

    @staticmethod
    def adaptive_avg_pool2d_grad(grad: Any, shape: Sequence[int]) -> Tensor:
        """Each cell's gradient / its size added over the cell."""
        from ..kernels.conv import _cell
        (height, width), (out_h, out_w) = shape[1:], _tensor(grad).shape[1:]
        cells = [(oy * out_w + ox, *_cell(oy, out_h, height), *_cell(ox, out_w, width))
                 for oy in range(out_h) for ox in range(out_w)]
        return _spread(grad, shape, [(o, y0, y1, x0, x1, 1 / ((y1 - y0) * (x1 - x0))) for o, y0, y1, x0, x1 in cells])

    @staticmethod
    def bilinear_grad(grad: Any, rows: Any, cols: Any, shape: Sequence[int]) -> Tensor:
        """Each output's gradient shared out over its (two or) four inputs, by the interpolation weights."""
        grad = _tensor(grad)
        c0, c1, v0, v1 = cols
        row_weights = ((rows[0], rows[2]), (rows[1], rows[3])) if rows is not None else ((np.zeros(1, np.int64),
                                                                                          np.ones(1)),)
        terms = []
        for r, u in row_weights:
            for c, v in ((c0, v0), (c1, v1)):
                weights = Tensor._make(np.asarray(u, np.float64)[:, None] * np.asarray(v, np.float64)[None, :])
                positions = (np.arange(shape[0])[:, None, None] * (shape[1] * shape[2]) + r[None, :, None] * shape[2]
                             + c[None, None, :])
                terms.append(RECORDED.scatter_add(grad * weights.to(grad.dtype), positions, tuple(shape)))
        return sum(terms[1:], terms[0])

    @staticmethod
    def einsum(equation: str, operands: Sequence[Any]) -> Tensor:
        return apply(linalg_ops.Einsum, *[_tensor(x) for x in operands], equation=equation)

    @staticmethod
    def einsum_diagonal_write(g: Any, labels: str, unique: str, shape: Sequence[int]) -> Tensor:
        """Zeros of ``shape`` (x's, its ``labels`` repeating letters) with g (one dim per letter of ``unique``) on
        the diagonals the repeated letters make."""
        positions = np.einsum(f"{labels}->{unique}", np.arange(math.prod(shape)).reshape(shape))
        return RECORDED.scatter_add(g, positions, tuple(shape))

    @staticmethod
    def diag_embed(values: Any, shape: Sequence[int], offset: int, dim1: int, dim2: int) -> Tensor:
        """Zeros of ``shape`` with ``values`` on its offset diagonal of (dim1, dim2)."""
        positions = np.diagonal(np.arange(math.prod(shape)).reshape(shape), offset, dim1, dim2)
        return RECORDED.scatter_add(_tensor(values).expand(positions.shape), positions, tuple(shape))

    @staticmethod
    def diagonal(x: Any, offset: int, dim1: int, dim2: int) -> Tensor:
        return _tensor(x).diagonal(offset, dim1, dim2)

    @staticmethod
    def tril(x: Any, diagonal: int) -> Tensor:
        return _tensor(x).tril(diagonal)

    @staticmethod
    def triu(x: Any, diagonal: int) -> Tensor:
        return _tensor(x).triu(diagonal)

    @staticmethod
    def solve(a: Any, b: Any) -> Tensor:
        from ..linalg import solve
        return solve(_tensor(a), _tensor(b))

    @staticmethod
    def eigh(a: Any, uplo: str, vectors: bool) -> tuple[Tensor, Tensor]:
        """(w, V), the outputs of a recorded eigh (which always computes V)."""
        return apply(linalg_ops.Eigh, _tensor(a), UPLO=uplo)

    @staticmethod
    def svd(a: Any, full_matrices: bool) -> tuple[Tensor, Tensor, Tensor]:
        """(U, S, V^T), the outputs of a recorded svd."""
        return apply(linalg_ops.Svd, _tensor(a), full_matrices=full_matrices)

    def __getattr__(self, name: str) -> Any:
        """A kernel with no recorded form: run as it is on constants (nothing in it requires grad), else an error."""
        return _recorded_kernel(name, getattr(K, name))

    # unary math functions: the tensor method of the same name
    for _name in ("neg", "exp", "log", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "sinh", "cosh", "tanh",
                  "sigmoid", "abs", "sign", "log1p", "expm1", "erf", "trunc", "floor", "ceil", "lgamma", "digamma"):
        locals()[_name] = staticmethod(lambda x, out=None, _name=_name: getattr(_tensor(x), _name)())
    del _name

    @staticmethod
    def polygamma(n: int, x: Any) -> Tensor:
        return _tensor(x).polygamma(n)

    @staticmethod
    def logical_and(a: Any, b: Any) -> Tensor:
        return Tensor._make(K.logical_and(_array(a), _array(b)))

    for _name in ("eq", "ne", "lt", "le", "gt", "ge"):  # comparisons: no gradient flows, so on the arrays
        locals()[_name] = staticmethod(lambda a, b, _name=_name: Tensor._make(getattr(K, _name)(_array(a), _array(b))))
    del _name


RECORDED = _RecordedKernels()


def _on_constants(name: str, kernel: Callable[..., Any]) -> Callable[..., Any]:
    """``kernel`` (which has no recorded form) run on arrays: allowed where nothing given to it requires grad."""
    def on_constants(*args: Any, **kwargs: Any) -> Any:
        values = [*args, *kwargs.values()]
        if any(isinstance(v, Tensor) and v.requires_grad for v in values):
            raise NotImplementedError(
                f"create_graph=True: {_running[-1] if _running else 'a backward'} uses the kernel {name}, which "
                "minigrad cannot record yet; its gradient cannot be differentiated again")
        result = kernel(*[_array(a) for a in args], **{k: _array(v) for k, v in kwargs.items()})
        return _tensor(result) if not isinstance(result, tuple) else tuple(_tensor(r) for r in result)

    return on_constants


def _recorded_kernel(name: str, kernel: Any) -> Any:
    """The recorded form of the kernel ``name`` (``kernel`` itself where it is no function)."""
    if not callable(kernel):
        return kernel
    own = _RecordedKernels.__dict__.get(name)
    return own.__func__ if isinstance(own, staticmethod) else _on_constants(name, kernel)


class _RecordedModule:
    """A kernels module an op imports by its own name (``from ..kernels import normalization as N``), recorded as
    ``K`` is: each name the recorded kernel of that name."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return _recorded_kernel(name, getattr(self._module, name))


def _window_positions(shape: tuple[int, ...], kernel: tuple[int, int], stride: tuple[int, int],
                      padding: tuple[int, int], dilation: tuple[int, int], out_size: tuple[int, int]) -> np.ndarray:
    """Where im2col reads each column entry from in x of ``shape``: 1 + its flat position, 0 in the padding (the
    kernel run on the positions themselves, exact in float64)."""
    numbered = np.arange(1, math.prod(shape) + 1, dtype=np.float64).reshape(shape)
    return K.im2col(numbered, kernel, stride, padding, dilation, out_size).astype(np.int64)


def _spread(grad: Any, shape: Sequence[int], windows: list[tuple[int, int, int, int, int, float]]) -> Tensor:
    """Zeros of ``shape`` (P, H, W), with grad (P, OH, OW)'s output o times w added over rows y0:y1 and columns
    x0:x1 of each plane, for each window (o, y0, y1, x0, x1, w)."""
    grad = _tensor(grad)
    planes, plane, outputs = shape[0], shape[1] * shape[2], math.prod(grad.shape[1:])
    src, dst, weights = [], [], []
    for o, y0, y1, x0, x1, w in windows:
        spots = (np.arange(y0, y1)[:, None] * shape[2] + np.arange(x0, x1)[None, :]).reshape(-1)
        src += [o] * spots.size
        dst += spots.tolist()
        weights += [w] * spots.size
    src, dst = np.asarray(src, np.int64), np.asarray(dst, np.int64)
    picked = RECORDED.gather(grad, np.arange(planes)[:, None] * outputs + src[None, :])
    values = picked * Tensor._make(np.asarray(weights, np.float64)).to(grad.dtype)
    return RECORDED.scatter_add(values, np.arange(planes)[:, None] * plane + dst[None, :], tuple(shape))


def _lstm_step(gates_x: Any, gates_h: Any, b_ih: Any, b_hh: Any, c: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """An LSTM step on transposed tensors, gates (4H, B), c (H, B): z = (gates_x + b_ih) + (gates_h + b_hh); i, f, o
    = sigmoid, g = tanh of its row blocks; c' = f c + i g; h' = o tanh(c'). Returns the activations (4H, B), c',
    tanh(c') and h'."""
    from ..functions import cat
    z_x, z_h = _tensor(gates_x), _tensor(gates_h)
    if b_ih is not None:
        z_x = z_x + _tensor(b_ih)[:, None]
    if b_hh is not None:
        z_h = z_h + _tensor(b_hh)[:, None]
    z, hidden = z_x + z_h, c.shape[0]
    i, f, g, o = (z[k * hidden:(k + 1) * hidden] for k in range(4))
    i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
    c_next = f * c + i * g
    tanh_c = c_next.tanh()
    return cat([i, f, g, o]), c_next, tanh_c, o * tanh_c


def _lstm_step_backward(d_h: Tensor | None, d_c: Tensor | None, acts: Tensor, c: Tensor,
                        tanh_c: Tensor) -> tuple[Tensor, Tensor]:
    """An LSTM step's backward on transposed tensors, from the gradients of h' and c' (H, B; None: none came):
    dc' = dc + dh o (1 - tanh(c')^2); dz = [dc' g (1 - i) i, dc' c (1 - f) f, dc' i (1 - g^2), dh tanh(c') (1 - o) o];
    returns dz (4H, B) and dc = dc' f."""
    from ..functions import cat
    hidden = c.shape[0]
    i, f, g, o = (acts[k * hidden:(k + 1) * hidden] for k in range(4))
    zeros = RECORDED.zeros(tuple(c.shape), c.dtype)
    d_cell, d_o = d_c, zeros
    if d_h is not None:  # h' = o tanh(c'): to o, and through tanh to c'
        d_o = d_h * tanh_c * (1 - o) * o
        through = (d_h * o) * (1 - tanh_c * tanh_c)
        d_cell = through if d_cell is None else d_cell + through
    d_cell = zeros if d_cell is None else d_cell
    d_gates = cat([(d_cell * g) * (1 - i) * i, (d_cell * c) * (1 - f) * f, (d_cell * i) * (1 - g * g), d_o])
    return d_gates, d_cell * f


def _steps(steps: int, reverse: bool) -> range:
    """The time steps in the order a direction runs them."""
    return range(steps - 1, -1, -1) if reverse else range(steps)


def _masked(grad: Any, zero: np.ndarray) -> Tensor:
    """grad, with 0 where ``zero`` (a constant mask; NaN in grad passes elsewhere)."""
    grad = _tensor(grad)
    return RECORDED.where(zero, K.scalar(0, grad._data.dtype), grad)


class _NumpyOnTensors:
    """numpy as the recorded backward calls it: the layout functions a backward uses on its gradients run as tensor
    ops when given tensors; everything else is numpy's own (a minigrad dtype read as numpy's)."""

    LAYOUT: ClassVar[dict[str, Callable[..., Any]]] = {
        "expand_dims": lambda x, axis: x.unsqueeze(axis) if isinstance(axis, int) else _unsqueezed(x, axis),
        "swapaxes": lambda x, a, b: x.transpose(a, b),
        "moveaxis": lambda x, source, destination: x.movedim(source, destination),
        "squeeze": lambda x, axis=None: x.squeeze() if axis is None else x.squeeze(axis),
        "reshape": lambda x, shape, copy=None: x.reshape(shape),
        "transpose": lambda x, axes=None: x.permute(*(axes if axes is not None else reversed(range(x.ndim)))),
        "broadcast_to": lambda x, shape: x.expand(tuple(shape)),
        "ascontiguousarray": lambda x: x.contiguous(),
        "concatenate": lambda arrays, axis=0: _cat([_tensor(a) for a in arrays], axis),
        "array": lambda x, copy=True: x.clone() if copy else x,
        # the one einsum a backward writes through: the diagonals' view (``_with_diagonal``)
        "einsum": lambda equation, x: x.diagonal(0, -2, -1) if equation == "...ii->...i" else _no_layout(equation),
    }

    # new arrays for a recorded backward to write its gradient into (given a tensor's dtype, or a tensor): tensors
    CREATION = frozenset({"zeros", "empty", "ones", "full", "zeros_like", "empty_like", "ones_like", "full_like"})

    def __getattr__(self, name: str) -> Any:
        function = getattr(np, name)
        layout = self.LAYOUT.get(name)
        if not callable(function) or isinstance(function, type):  # constants, and types (np.ndarray, np.int64)
            return function

        def call(*args: Any, **kwargs: Any) -> Any:
            if layout is not None and any(_holds_tensor(a) for a in args):
                return layout(*args, **kwargs)
            values = [*args, *kwargs.values()]
            result = function(*[_numpy_dtype(_array(a)) for a in args],
                              **{k: _numpy_dtype(_array(v)) for k, v in kwargs.items()})
            on_tensors = any(isinstance(v, (Tensor, dtypes.dtype)) for v in values)
            return Tensor._make(result) if name in self.CREATION and on_tensors else result

        return call


def _holds_tensor(x: Any) -> bool:
    """Whether ``x`` is a tensor, or a list or tuple of them (numpy's concatenate)."""
    return isinstance(x, Tensor) or (isinstance(x, (list, tuple)) and any(isinstance(a, Tensor) for a in x))


def _cat(tensors: list[Tensor], axis: int) -> Tensor:
    from ..functions import cat
    return cat(tensors, axis)


def _no_layout(what: str) -> Any:
    raise NotImplementedError(f"create_graph=True: {_running[-1] if _running else 'a backward'} uses numpy's {what} "
                              "on a gradient, which minigrad cannot record yet")


def _unsqueezed(x: Tensor, axes: Sequence[int]) -> Tensor:
    for axis in sorted(a % (x.ndim + len(axes)) for a in axes):
        x = x.unsqueeze(axis)
    return x


def _numpy_dtype(x: Any) -> Any:
    return x.np if isinstance(x, dtypes.dtype) else x


NUMPY = _NumpyOnTensors()
_running: list[str] = []  # the node whose backward is being recorded (for the error above)


