"""Convolution, its transpose, im2col (unfold) and col2im (fold), and pooling, over 1-d and 2-d inputs.

One convolution serves both ranks: a 1-d signal (N, C, L) is a plane of height 1 (N, C, 1, L), and every
kernel below works on planes. The convolution itself is im2col and a matrix product per sample (``kernels/conv.py``):

    cols = im2col(x)              (N, C kh kw, OH OW): column (oy, ox) of sample n is the window under output (oy, ox)
    y    = W (O, C kh kw) @ cols  (N, O, OH OW), plus the bias

so its gradients are the two other products of the same three matrices, read backwards:

    dL/dcols = W^T @ g, and dL/dx = col2im(dL/dcols): the transposed convolution of g with W
    dL/dW    = g @ cols^T summed over the samples: the correlation of x with g
    dL/db    = g summed over the batch and every position

With groups, the channels split into ``groups`` independent convolutions: W is (G, O/G, C/G kh kw) and each
sample's cols (G, C/G kh kw, OH OW), a batch of G products. A transposed convolution is the convolution's adjoint:
its forward is the convolution's input gradient (col2im of W^T @ x), and its gradients are a convolution and a
correlation again. im2col and col2im are PyTorch's ``unfold`` and ``fold``, each other's adjoint.

Why im2col rather than direct loops over output, channel and tap: the products dominate, and BLAS runs them near
the core's peak; ``python -m benchmarks.conv_choice`` measures both (im2col 5-8x faster on the digits CNN's batches,
20x on 28 x 28 images of 16 and 32 channels).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, NamedTuple

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .jvp import bilinear_jvp, linear_jvp
from .registry import Op, Promotion, register

Pair = tuple[int, int]


class Geometry(NamedTuple):
    """A sliding window over planes: kernel, stride, padding before (top, left), dilation, and the output size."""

    kernel: Pair
    stride: Pair
    padding: Pair
    dilation: Pair
    out_size: Pair


def _plane(values: tuple[int, ...], one: int) -> Pair:
    """A 1-d parameter as a plane's (``one`` for the height of 1), a 2-d one as it is."""
    return (one, values[0]) if len(values) == 1 else (values[0], values[1])


def _planes(x: np.ndarray, spatial: int) -> np.ndarray:
    """An (N, C, L) array as planes (N, C, 1, L); an (N, C, H, W) one as it is."""
    return x[:, :, None, :] if spatial == 1 else x


# ----- convolution: checks --------------------------------------------------------------------------------------
def expand_parameter(values: tuple[int, ...], name: str, dims: int) -> tuple[int, ...]:
    """PyTorch's expand_param_if_needed: one value for every spatial dim of the weight, or one each."""
    if len(values) == 1:
        return values * dims
    if len(values) != dims:
        raise errors.conv_parameter_length(name, dims, values)
    return tuple(values)


def check_convolution(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, stride: tuple[int, ...],
                      padding: tuple[tuple[int, int], ...], dilation: tuple[int, ...], groups: int,
                      transposed: bool, output_padding: tuple[int, ...] = ()) -> None:
    """PyTorch's check_shape_forward and the dtype checks of its CPU kernels, in its order."""
    if any(p < 0 for pair in padding for p in pair):
        raise errors.conv_negative("padding")
    if any(p < 0 for p in output_padding):
        raise errors.conv_negative("output_padding")
    if any(s <= 0 for s in stride):
        raise errors.conv_non_positive("stride")
    if any(d <= 0 for d in dilation):
        raise errors.conv_dilation(dilation)
    if groups <= 0:
        raise errors.conv_non_positive("groups")
    if weight.ndim != x.ndim:
        raise errors.conv_input_rank(weight.shape, x.shape)
    if weight.shape[0] < groups:
        raise errors.conv_weight_groups(groups, weight.shape, "at least")
    if weight.shape[0] % groups:
        raise errors.conv_weight_groups(groups, weight.shape, "divisible by")
    if not transposed:
        if x.shape[1] != weight.shape[1] * groups:
            raise errors.conv_channels(f"groups={groups}", weight.shape, x.shape, weight.shape[1] * groups)
        if bias is not None and (bias.ndim != 1 or bias.shape[0] != weight.shape[0]):
            raise errors.conv_bias("", weight.shape, weight.shape[0], bias.shape)
        padded = [x.shape[2 + i] + 2 * padding[i][0] for i in range(len(stride))]
        dilated = [dilation[i] * (weight.shape[2 + i] - 1) + 1 for i in range(len(stride))]
        if any(p < k for p, k in zip(padded, dilated)):
            raise errors.conv_kernel_too_large(padded, dilated)
    else:
        if x.shape[1] != weight.shape[0]:
            raise errors.conv_channels("transposed=1", weight.shape, x.shape, weight.shape[0])
        if bias is not None and (bias.ndim != 1 or bias.shape[0] != weight.shape[1] * groups):
            raise errors.conv_bias("transposed=1, ", weight.shape, weight.shape[1] * groups, bias.shape)
    if x.dtype != weight.dtype:
        raise errors.bmm_dtypes(x.dtype, weight.dtype)  # "expected scalar type Float but found Double"
    if x.dtype == np.bool_ or (transposed and x.dtype.kind != "f" and x.dtype != np.int64):
        raise errors.not_implemented("slow_conv_transpose2d_out_cpu" if transposed else "slow_conv2d_cpu", x.dtype)


def _geometry(in_size: tuple[int, ...], kernel: tuple[int, ...], stride: tuple[int, ...],
              padding: tuple[tuple[int, int], ...], dilation: tuple[int, ...]) -> Geometry:
    """The window of a convolution over inputs of ``in_size``, as a plane's."""
    out = tuple(K.convolved_size(in_size[i], kernel[i], stride[i], *padding[i], dilation[i])
                for i in range(len(kernel)))
    return Geometry(_plane(kernel, 1), _plane(stride, 1), _plane(tuple(p[0] for p in padding), 0),
                    _plane(dilation, 1), _plane(out, 1))


# ----- convolution: the three products ----------------------------------------------------------------------------
def _weights(weight4: np.ndarray, groups: int) -> np.ndarray:
    """W (O, C / G, kh, kw) as one matrix per group: (G, O / G, C / G kh kw)."""
    return weight4.reshape(groups, weight4.shape[0] // groups, math.prod(weight4.shape[1:]))


def _per_group(a: np.ndarray, groups: int) -> np.ndarray:
    """a (N, G m, *positions) as (N, G, m, positions): each sample's matrix of each group."""
    return a.reshape(a.shape[0], groups, a.shape[1] // groups, math.prod(a.shape[2:]))


def _convolve(x4: np.ndarray, weight4: np.ndarray, groups: int, g: Geometry) -> tuple[np.ndarray, np.ndarray]:
    """(W @ im2col(x), im2col(x)): the convolution's product (N, O, OH, OW), per sample and group, and its columns."""
    cols = _columns(x4, g)
    y = K.matmul(_weights(weight4, groups), _per_group(cols, groups))  # (N, G, O / G, OH OW)
    return y.reshape(x4.shape[0], weight4.shape[0], *g.out_size), cols


def _columns(x4: np.ndarray, g: Geometry) -> np.ndarray:
    """im2col(x): the windows of x (N, C, H, W) as columns (N, C kh kw, OH, OW)."""
    return K.im2col(x4, g.kernel, g.stride, g.padding, g.dilation, g.out_size)


def _convolve_transposed(rows: np.ndarray, weight4: np.ndarray, groups: int, shape: tuple[int, ...],
                         g: Geometry) -> np.ndarray:
    """col2im(W^T @ rows): the transposed convolution of rows (N, O, OH, OW) with W (O, C / G, kh, kw), as an array
    of ``shape`` (N, C, H, W): each position's value spreads over the window it was read from."""
    cols = K.matmul(np.swapaxes(_weights(weight4, groups), 1, 2), _per_group(rows, groups))  # (N, G, C/G k, OH OW)
    cols = cols.reshape(shape[0], cols.shape[1] * cols.shape[2], *rows.shape[2:])
    return K.col2im(cols, shape, g.kernel, g.stride, g.padding, g.dilation)


def _correlation(rows: np.ndarray, cols: np.ndarray, groups: int, shape: tuple[int, ...]) -> np.ndarray:
    """sum over samples of rows (N, O, OH, OW) @ cols^T (N, OH OW, C kh kw), per group, as a weight of ``shape``:
    each tap's value is the sum over every position of every sample of rows times the input under that tap."""
    products = K.matmul(_per_group(rows, groups), np.swapaxes(_per_group(cols, groups), 2, 3))  # (N, G, O/G, C/G k)
    return K.sum(products, (0,)).reshape(shape)


def _bias_gradient(ctx: Context, grad: np.ndarray) -> np.ndarray | None:
    if len(ctx.needs_input_grad) < 3 or not ctx.needs(2):
        return None
    return K.sum(grad, (0, *range(2, grad.ndim)))


def _with_bias(y: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    """y + b per channel, b in y's dtype (the kernels take a bias of another dtype: the functions that refuse one,
    ``conv2d`` with numeric padding, check it first, as PyTorch's do)."""
    return y if bias is None else K.add(y, K.cast(bias, y.dtype).reshape(-1, 1, 1))


def _spatial(a: np.ndarray, spatial: int) -> np.ndarray:
    """A plane-shaped result (N, C, H, W) back in the rank of the op's input: (N, C, L) for 1-d."""
    return a.reshape(a.shape[:2] + a.shape[4 - spatial:])


class Convolution(Op):
    """The convolution of 1-d or 2-d inputs (N, C, *size) with a kernel W (O, C / groups, *k), plus b (O,):
    y[n, o, p] = b[o] + sum over c, i of W[o, c, i] x[n, c, p stride + i dilation - padding], computed as
    W @ im2col(x) (see the module docstring). Not registered: Conv1d and Conv2d are its two PyTorch faces."""

    # {stride}, {padding}, ...: the call's values, filled in by minigrad.explain
    formulas = ("grad_input = conv_transpose(grad, weight, stride={stride}, padding={padding}, dilation={dilation}, "
                "groups={groups}): col2im(weight^T @ grad), each position's grad spread back over the window it read",
                "grad_weight = correlate(input, grad, stride={stride}, padding={padding}, dilation={dilation}): "
                "weight[o, c, k] = the sum over samples n and positions p of grad[n, o, p] "
                "input[n, c, p stride + k dilation - padding]; as matrices grad @ im2col(input)^T, summed over the "
                "batch",
                "grad_bias = grad summed over the batch and every position")
    promotion = Promotion.NONE
    grad_fn = "ConvolutionBackward0"
    jvp_formulas = ("d(conv(x, W) + b) = conv(dx, W) + conv(x, dW) + db",)
    # the saved columns, from the inputs again (a create_graph pass: so that the weight's gradient depends on x)
    recomputed: ClassVar[dict[str, Any]] = {
        "cols": lambda ctx, x, *_, **__: _columns(_planes(x, x.ndim - 2), ctx.geometry)}
    jvp = classmethod(bilinear_jvp)

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        """The padding as PyTorch's convolution takes it: one amount per dim ("same" where before and after differ:
        only padding="same" pads unevenly)."""
        padding = params["padding"]
        even = all(before == after for before, after in padding)
        return inputs, {**params, "padding": tuple(before for before, _ in padding) if even else "same"}

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, *,
                stride: tuple[int, ...], padding: tuple[tuple[int, int], ...], dilation: tuple[int, ...],
                groups: int) -> np.ndarray:
        check_convolution(x, weight, bias, stride, padding, dilation, groups, transposed=False)
        spatial = x.ndim - 2
        g = _geometry(x.shape[2:], weight.shape[2:], stride, padding, dilation)
        x4, weight4 = _planes(x, spatial), _planes(weight, spatial)
        y, cols = _convolve(x4, weight4, groups, g)
        ctx.save(cols=cols if ctx.needs(1) else None, weight=weight4 if ctx.needs(0) else None)
        ctx.geometry, ctx.groups, ctx.shapes = g, groups, (x4.shape, weight.shape)
        return _spatial(_with_bias(y, bias), spatial)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        g, groups, (x_shape, weight_shape) = ctx.geometry, ctx.groups, ctx.shapes
        grad4 = _planes(grad, grad.ndim - 2)
        grad_x = grad_w = None
        if ctx.needs(0):
            grad_x = _spatial(_convolve_transposed(grad4, ctx.saved["weight"], groups, x_shape, g), grad.ndim - 2)
        if ctx.needs(1):
            grad_w = _correlation(grad4, ctx.saved["cols"], groups, weight_shape)
        return grad_x, grad_w, _bias_gradient(ctx, grad)


@register
class Conv2d(Convolution):
    """2-d convolution: x (N, C, H, W) with W (O, C / groups, kh, kw), plus b (O,) (see ``Convolution``)."""

    torch = "torch.nn.functional.conv2d"
    formulas = ("grad_input = conv_transpose2d(grad, weight, stride={stride}, padding={padding}, "
                "dilation={dilation}, groups={groups}): col2im(weight^T @ grad)", *Convolution.formulas[1:])
    grad_fn = "ConvolutionBackward0"


@register
class Conv1d(Convolution):
    """1-d convolution: x (N, C, L) with W (O, C / groups, k), plus b (O,): a plane of height 1 to Conv2d."""

    torch = "torch.nn.functional.conv1d"
    formulas = ("grad_input = conv_transpose1d(grad, weight, stride={stride}, padding={padding}, "
                "dilation={dilation}, groups={groups}): col2im(weight^T @ grad)", *Convolution.formulas[1:])
    grad_fn = "ConvolutionBackward0"


class TransposedConvolution(Op):
    """The adjoint of a convolution, x (N, C, *size) with W (C, O / groups, *k), plus b (O,): each input value
    spreads W's taps over the output, stride apart (col2im(W^T @ x)). Its output is the input size of the
    convolution it reverses, plus ``output_padding`` (which picks among the sizes that stride folds together)."""

    formulas = ("grad_input = conv(grad, weight, stride={stride}, padding={padding}, dilation={dilation}, "
                "groups={groups}): weight @ im2col(grad)",
                "grad_weight = correlate(grad, input, stride={stride}, padding={padding}, dilation={dilation}): "
                "weight[c, o, k] = the sum over samples n and positions p of input[n, c, p] "
                "grad[n, o, p stride + k dilation - padding]; as matrices input @ im2col(grad)^T, summed over the "
                "batch",
                "grad_bias = grad summed over the batch and every position")
    promotion = Promotion.NONE
    grad_fn = "ConvolutionBackward0"
    jvp_formulas = ("d(conv_transpose(x, W) + b) = conv_transpose(dx, W) + conv_transpose(x, dW) + db",)
    jvp = classmethod(bilinear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, *,
                stride: tuple[int, ...], padding: tuple[int, ...], output_padding: tuple[int, ...],
                dilation: tuple[int, ...], groups: int) -> np.ndarray:
        pads = tuple((p, p) for p in padding)
        check_convolution(x, weight, bias, stride, pads, dilation, groups, True, output_padding)
        spatial = x.ndim - 2
        if any(o >= s and o >= d for o, s, d in zip(output_padding, stride, dilation)):
            raise errors.conv_output_padding(_plane(output_padding, 0), _plane(stride, 1), _plane(dilation, 1))
        out = tuple(K.transposed_size(x.shape[2 + i], weight.shape[2 + i], stride[i], padding[i], dilation[i],
                                      output_padding[i]) for i in range(spatial))
        if any(o < 1 for o in out):  # PyTorch's message gives a 1-d signal's sizes as a plane's too
            raise errors.conv_transpose_too_small(_plane(x.shape[2:], 1), _plane(out, 1))
        # The convolution this one reverses: from an output-sized input (N, O, *out) to x's size.
        g = Geometry(_plane(weight.shape[2:], 1), _plane(stride, 1), _plane(padding, 0), _plane(dilation, 1),
                     _plane(x.shape[2:], 1))
        x4, weight4 = _planes(x, spatial), _planes(weight, spatial)
        y = _convolve_transposed(x4, weight4, groups, (x.shape[0], weight.shape[1] * groups, *_plane(out, 1)), g)
        ctx.save(x=x4 if ctx.needs(1) else None, weight=weight4 if ctx.needs(0) else None)
        ctx.geometry, ctx.groups, ctx.shapes = g, groups, (x.shape, weight.shape)
        return _spatial(_with_bias(y, bias), spatial)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        g, groups, (x_shape, weight_shape) = ctx.geometry, ctx.groups, ctx.shapes
        grad4 = _planes(grad, grad.ndim - 2)
        cols = K.im2col(grad4, g.kernel, g.stride, g.padding, g.dilation, g.out_size)  # (N, O kh kw, H, W)
        grad_x = grad_w = None
        if ctx.needs(0):
            weight4 = ctx.saved["weight"]
            grad_x = K.matmul(_weights(weight4, groups), _per_group(cols, groups)).reshape(x_shape)
        if ctx.needs(1):
            grad_w = _correlation(ctx.saved["x"], cols, groups, weight_shape)
        return grad_x, grad_w, _bias_gradient(ctx, grad)


@register
class ConvTranspose2d(TransposedConvolution):
    """2-d transposed convolution: x (N, C, H, W) with W (C, O / groups, kh, kw), plus b (O,)."""

    torch = "torch.nn.functional.conv_transpose2d"
    formulas = ("grad_input = conv2d(grad, weight, stride={stride}, padding={padding}, dilation={dilation}, "
                "groups={groups}): weight @ im2col(grad)", *TransposedConvolution.formulas[1:])
    grad_fn = "ConvolutionBackward0"


@register
class ConvTranspose1d(TransposedConvolution):
    """1-d transposed convolution: x (N, C, L) with W (C, O / groups, k), plus b (O,)."""

    torch = "torch.nn.functional.conv_transpose1d"
    formulas = ("grad_input = conv1d(grad, weight, stride={stride}, padding={padding}, dilation={dilation}, "
                "groups={groups}): weight @ im2col(grad)", *TransposedConvolution.formulas[1:])
    grad_fn = "ConvolutionBackward0"


# ----- im2col and col2im: PyTorch's unfold and fold -----------------------------------------------------------
@register
class Unfold(Op):
    """im2col: x (N, C, H, W) -> (N, C kh kw, L), column l the window under output position l (row-major), its
    rows ordered (c, i, j); positions in the zero padding read 0."""

    torch = "torch.nn.functional.unfold"
    formulas = ("d(unfold(x))/dx = fold(grad): each window's gradient added back where it was read",)
    promotion = Promotion.NONE
    grad_fn = "Im2ColBackward0"
    jvp_formulas = ("d(unfold x) = unfold dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, kernel_size: Pair, dilation: Pair, padding: Pair,
                stride: Pair) -> np.ndarray:
        check_unfold(x, kernel_size, dilation, padding, stride)
        if x.dtype.kind != "f" and x.dtype != np.bool_:
            raise errors.not_implemented("im2col_out_cpu", x.dtype)
        batched = x if x.ndim == 4 else x[None]
        out = tuple(K.convolved_size(batched.shape[2 + i], kernel_size[i], stride[i], padding[i], padding[i],
                                     dilation[i]) for i in range(2))
        g = Geometry(kernel_size, stride, padding, dilation, (out[0], out[1]))
        ctx.geometry, ctx.shape = g, batched.shape
        cols = K.im2col(batched, g.kernel, g.stride, g.padding, g.dilation, g.out_size)
        cols = cols.reshape(*cols.shape[:2], out[0] * out[1])
        return cols if x.ndim == 4 else cols[0]

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        g, shape = ctx.geometry, ctx.shape
        batched = grad if grad.ndim == 3 else grad[None]
        out = K.col2im(batched.reshape(*batched.shape[:2], *g.out_size), shape, g.kernel, g.stride, g.padding,
                       g.dilation)
        return (out if grad.ndim == 3 else out[0],)


@register
class Fold(Op):
    """col2im: x (N, C kh kw, L) -> (N, C, H, W) of ``output_size``: unfold's adjoint, each column's values added
    onto the positions of its window (overlapping windows add up)."""

    torch = "torch.nn.functional.fold"
    formulas = ("d(fold(x))/dx = unfold(grad): each column reads its window of the gradient",)
    promotion = Promotion.NONE
    grad_fn = "Col2ImBackward0"
    jvp_formulas = ("d(fold x) = fold dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, output_size: Pair, kernel_size: Pair, dilation: Pair,
                padding: Pair, stride: Pair) -> np.ndarray:
        blocks = check_fold(x, output_size, kernel_size, dilation, padding, stride)
        if x.dtype.kind != "f" and x.dtype != np.bool_:
            raise errors.not_implemented("col2im_out_cpu", x.dtype)
        batched = x if x.ndim == 3 else x[None]
        count, rows = batched.shape[0], batched.shape[1]
        g = Geometry(kernel_size, stride, padding, dilation, blocks)
        ctx.geometry = g
        cols = batched.reshape(count, rows, *blocks)
        source = cols if x.dtype != np.bool_ else cols.astype(np.int64)  # a bool sum is "any"
        shape = (count, rows // (kernel_size[0] * kernel_size[1]), *output_size)
        out = K.col2im(source, shape, g.kernel, g.stride, g.padding, g.dilation)
        out = out if x.dtype != np.bool_ else out.astype(np.bool_)
        return out if x.ndim == 3 else out[0]

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        g = ctx.geometry
        batched = grad if grad.ndim == 4 else grad[None]
        cols = K.im2col(batched, g.kernel, g.stride, g.padding, g.dilation, g.out_size)
        cols = cols.reshape(*cols.shape[:2], g.out_size[0] * g.out_size[1])
        return (cols if grad.ndim == 4 else cols[0],)


def check_unfold(x: np.ndarray, kernel: Pair, dilation: Pair, padding: Pair, stride: Pair) -> None:
    """PyTorch's im2col_shape_check."""
    if kernel[0] <= 0 or kernel[1] <= 0:
        raise errors.window_parameter("kernel size", "greater than zero", "kernel", kernel)
    if dilation[0] <= 0 or dilation[1] <= 0:
        raise errors.window_parameter("dilation", "greater than zero", "dilation", dilation)
    if padding[0] < 0 or padding[1] < 0:
        raise errors.window_parameter("padding", "non-negative", "pad", padding)
    if stride[0] <= 0 or stride[1] <= 0:
        raise errors.window_parameter("stride", "greater than zero", "stride", stride)
    if x.ndim < 3:
        raise errors.dim_out_of_range(2, x.ndim)
    if not ((x.ndim == 3 and x.shape[0] and x.shape[1] and x.shape[2])
            or (x.ndim == 4 and x.shape[1] and x.shape[2] and x.shape[3])):
        raise errors.unfold_input(x.shape)
    size = x.shape[-2:]
    out = [K.convolved_size(size[i], kernel[i], stride[i], padding[i], padding[i], dilation[i]) for i in range(2)]
    if out[0] < 1 or out[1] < 1:
        raise errors.unfold_too_small(size, kernel, dilation, padding, out)


def check_fold(x: np.ndarray, output_size: Pair, kernel: Pair, dilation: Pair, padding: Pair,
               stride: Pair) -> Pair:
    """PyTorch's col2im_shape_check; the number of blocks along each dim."""
    if kernel[0] <= 0 or kernel[1] <= 0:
        raise errors.window_parameter("kernel size", "greater than zero", "kernel", kernel)
    if stride[0] <= 0 or stride[1] <= 0:
        raise errors.window_parameter("stride", "greater than zero", "stride", stride)
    if dilation[0] <= 0 or dilation[1] <= 0:
        raise errors.window_parameter("dilation", "greater than zero", "dilation", dilation)
    if not ((x.ndim == 2 and x.shape[0] and x.shape[1]) or (x.ndim == 3 and x.shape[1] and x.shape[2])):
        raise errors.fold_input(x.shape)
    rows, length = x.shape[-2], x.shape[-1]
    if rows % (kernel[0] * kernel[1]):
        raise errors.fold_rows(rows, kernel)
    blocks = tuple(K.convolved_size(output_size[i], kernel[i], stride[i], padding[i], padding[i], dilation[i])
                   for i in range(2))
    if length != blocks[0] * blocks[1]:
        raise errors.fold_blocks(output_size, kernel, dilation, padding, stride, blocks, length)
    return blocks[0], blocks[1]


# ----- pooling ------------------------------------------------------------------------------------------------------
def _as_planes(x: np.ndarray, spatial: int) -> np.ndarray:
    """x (..., *size) as (planes, H, W): one plane per sample and channel (a 1-d signal of height 1)."""
    size = x.shape[x.ndim - spatial:]
    return x.reshape(-1, *_plane(size, 1))


def _pool_shape(x: np.ndarray, spatial: int, out: tuple[int, ...]) -> tuple[int, ...]:
    return x.shape[:x.ndim - spatial] + tuple(out)


def pool_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int:
    """PyTorch's pooling_output_shape, with its checks."""
    if stride == 0:
        raise errors.pool_stride_zero()
    if padding < 0:
        raise errors.pool_negative_pad(padding)
    if padding > ((kernel - 1) * dilation + 1) // 2:
        raise errors.pool_pad_too_large(padding, kernel, dilation)
    return K.pooled_size(size, kernel, stride, padding, dilation, ceil_mode)


def check_pool2d(x: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair, ceil_mode: bool,
                 what: str) -> Pair:
    """The output size of 2-d pooling over x (C, H, W) or (N, C, H, W), with PyTorch's checks in its order
    (max_pool2d's and avg_pool2d's own, pooling_output_shape's, then pool2d_shape_check's)."""
    if what == "max" and x.ndim not in (3, 4):
        raise errors.max_pool2d_dims()
    if x.ndim < 3:
        raise errors.dim_out_of_range(-3, x.ndim)
    out = tuple(pool_output_size(x.shape[-2 + i], kernel[i], stride[i], padding[i], dilation[i], ceil_mode)
                for i in range(2))
    if kernel[0] <= 0 or kernel[1] <= 0:
        raise errors.pool_parameter("kernel size", kernel)
    if stride[0] <= 0 or stride[1] <= 0:
        raise errors.pool_parameter("stride", stride)
    if dilation[0] <= 0 or dilation[1] <= 0:
        raise errors.pool_parameter("dilation", dilation)
    if not ((x.ndim == 3 and x.shape[0] and x.shape[1] and x.shape[2])
            or (x.ndim == 4 and x.shape[1] and x.shape[2] and x.shape[3])):
        raise errors.pool_input(x.shape)
    if out[0] < 1 or out[1] < 1:
        raise errors.pool_too_small(x.shape[-3], x.shape[-2:], out)
    return out[0], out[1]


def check_max_pool1d(x: np.ndarray, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int:
    """PyTorch's check_max_pool1d: its own messages."""
    if not ((x.ndim == 2 and x.shape[0] and x.shape[1]) or (x.ndim == 3 and x.shape[1] and x.shape[2])):
        raise errors.max_pool1d_input(x.shape)
    if kernel <= 0:
        raise errors.max_pool1d_parameter("kernel_size must be greater than zero", kernel)
    if stride <= 0:
        raise errors.max_pool1d_parameter("stride must be greater than zero", stride)
    if padding < 0:
        raise errors.max_pool1d_parameter("padding must be non-negative", padding)
    if padding > kernel // 2:
        raise errors.max_pool1d_padding(padding, kernel)
    if dilation <= 0:
        raise errors.max_pool1d_parameter("dilation must be greater than zero", dilation)
    out = K.pooled_size(x.shape[-1], kernel, stride, padding, dilation, ceil_mode)
    if out <= 0:
        raise errors.max_pool1d_output(out)
    return out


class MaxPool(Op):
    """The maximum of each window (PyTorch's choice among ties: the first maximum; a NaN wins). With
    ``return_indices``, also each maximum's flat index in its plane. Not registered: see MaxPool1d, MaxPool2d."""

    formulas = ("d(max_pool(x))/dx = grad at each window's maximum (its index), 0 elsewhere; summed where windows "
                "overlap",)
    promotion = Promotion.NONE
    backward_function: ClassVar[tuple[str, int]] = ("max_pool2d_with_indices_backward", 0)

    @staticmethod
    def _max_pool(ctx: Context, x: np.ndarray, spatial: int, kernel: tuple[int, ...], stride: tuple[int, ...],
                  padding: tuple[int, ...], dilation: tuple[int, ...], out: tuple[int, ...],
                  return_indices: bool) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        planes = _as_planes(x, spatial)
        values, indices = K.max_pool2d(planes, _plane(kernel, 1), _plane(stride, 1), _plane(padding, 0),
                                       _plane(dilation, 1), _plane(out, 1))
        ctx.save(indices=indices)
        ctx.shape = (planes.shape, x.shape)
        shape = _pool_shape(x, spatial, out)
        return (values.reshape(shape), indices.reshape(shape)) if return_indices else values.reshape(shape)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        planes_shape, shape = ctx.shape
        return (K.scatter_to_indices(grad, ctx.saved["indices"], planes_shape).reshape(shape),)

    jvp_formulas = ("d(max_pool x) = dx at each window's maximum (its index)",)

    @staticmethod
    def jvp(ctx: Any, dx: np.ndarray) -> np.ndarray:
        planes = ctx.shape[0][0]
        values = ctx.output[0] if isinstance(ctx.output, tuple) else ctx.output
        picked = K.gather_per_plane(dx.reshape(planes, -1), ctx.saved["indices"].reshape(planes, -1))
        return picked.reshape(values.shape)


@register
class MaxPool2d(MaxPool):
    """2-d max pooling of x (C, H, W) or (N, C, H, W) (see ``MaxPool``)."""

    torch = "torch.nn.functional.max_pool2d"
    grad_fn = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, kernel_size: Pair, stride: Pair, padding: Pair, dilation: Pair,
                ceil_mode: bool, return_indices: bool) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        out = check_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode, "max")
        if x.dtype == np.bool_:
            raise errors.not_implemented("max_pool2d", x.dtype)
        return MaxPool._max_pool(ctx, x, 2, kernel_size, stride, padding, dilation, out, return_indices)


@register
class MaxPool1d(MaxPool):
    """1-d max pooling of x (C, L) or (N, C, L) (see ``MaxPool``; PyTorch runs it as 2-d pooling of height 1)."""

    torch = "torch.nn.functional.max_pool1d"
    grad_fn = "SqueezeBackward1"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, kernel_size: tuple[int, ...], stride: tuple[int, ...],
                padding: tuple[int, ...], dilation: tuple[int, ...], ceil_mode: bool,
                return_indices: bool) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        stride = stride or kernel_size
        if return_indices:  # PyTorch's max_pool1d_with_indices: max_pool2d of height 1, with its checks
            if x.ndim not in (2, 3):
                raise errors.avg_pool1d_dims(x.ndim, "max_pool1d")
            for name, values in (("kernel_size", kernel_size), ("stride", stride), ("padding", padding),
                                 ("dilation", dilation)):
                errors.check_1d_argument("max_pool1d", name, len(values))
            out = check_pool2d(x[..., None, :], (1, kernel_size[0]), (1, stride[0]), (0, padding[0]),
                               (1, dilation[0]), ceil_mode, "max")[1]
            if x.dtype == np.bool_:
                raise errors.not_implemented("max_pool2d", x.dtype)
        else:
            if not ((x.ndim == 2 and x.shape[0] and x.shape[1]) or (x.ndim == 3 and x.shape[1] and x.shape[2])):
                raise errors.max_pool1d_input(x.shape)
            for name, values in (("kernel_size", kernel_size), ("stride", stride), ("padding", padding),
                                 ("dilation", dilation)):
                if len(values) != 1:
                    raise errors.max_pool1d_argument(name, len(values))
            out = check_max_pool1d(x, kernel_size[0], stride[0], padding[0], dilation[0], ceil_mode)
            if x.dtype.kind != "f":
                raise errors.not_implemented("max_pool1d_impl", x.dtype)
        return MaxPool._max_pool(ctx, x, 1, kernel_size, stride, padding, dilation, (out,), return_indices)


class AvgPool(Op):
    """The mean of each window: its sum divided by the window's size (clipped to the padded input with
    ``count_include_pad``, else to the input), or by ``divisor_override``. Not registered: see AvgPool1d, AvgPool2d."""

    formulas = ("d(avg_pool(x))/dx = each window's grad / its divisor, spread over the window; summed where windows "
                "overlap",)
    promotion = Promotion.NONE
    jvp_formulas = ("d(avg_pool x) = avg_pool dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def _avg_pool(ctx: Context, x: np.ndarray, spatial: int, kernel: tuple[int, ...], stride: tuple[int, ...],
                  padding: tuple[int, ...], out: tuple[int, ...], count_include_pad: bool,
                  divisor_override: int | None) -> np.ndarray:
        planes = _as_planes(x, spatial)
        window = (_plane(kernel, 1), _plane(stride, 1), _plane(padding, 0))
        ctx.window, ctx.options, ctx.shape = window, (count_include_pad, divisor_override), (planes.shape, x.shape)
        values = K.avg_pool2d(planes, *window, _plane(out, 1), count_include_pad, divisor_override)
        return values.reshape(_pool_shape(x, spatial, out))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        planes_shape, shape = ctx.shape
        out = K.avg_pool2d_grad(grad.reshape(planes_shape[0], *ctx.out_plane), planes_shape, *ctx.window, *ctx.options)
        return (out.reshape(shape),)


def _check_divisor(divisor_override: int | None) -> None:
    if divisor_override is not None and divisor_override == 0:
        raise errors.pool_divisor_zero()


@register
class AvgPool2d(AvgPool):
    """2-d average pooling of x (C, H, W) or (N, C, H, W) (see ``AvgPool``)."""

    torch = "torch.nn.functional.avg_pool2d"
    grad_fn = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, kernel_size: Pair, stride: Pair, padding: Pair, ceil_mode: bool,
                count_include_pad: bool, divisor_override: int | None) -> np.ndarray:
        _check_divisor(divisor_override)
        out = check_pool2d(x, kernel_size, stride, padding, (1, 1), ceil_mode, "avg")
        if x.dtype.kind != "f" and x.dtype != np.int64:
            raise errors.not_implemented("avg_pool2d", x.dtype)
        ctx.out_plane = out
        return AvgPool._avg_pool(ctx, x, 2, kernel_size, stride, padding, out, count_include_pad, divisor_override)


@register
class AvgPool1d(AvgPool):
    """1-d average pooling of x (C, L) or (N, C, L) (PyTorch runs it as 2-d pooling of height 1)."""

    torch = "torch.nn.functional.avg_pool1d"
    grad_fn = "SqueezeBackward1"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, kernel_size: tuple[int, ...], stride: tuple[int, ...],
                padding: tuple[int, ...], ceil_mode: bool, count_include_pad: bool) -> np.ndarray:
        stride = stride or kernel_size
        if x.ndim not in (2, 3):
            raise errors.avg_pool1d_dims(x.ndim, "avg_pool1d")
        for name, values in (("kernel_size", kernel_size), ("stride", stride), ("padding", padding)):
            errors.check_1d_argument("avg_pool1d", name, len(values))
        kernel_size, stride, padding = kernel_size[0], stride[0], padding[0]
        out = check_pool2d(x[..., None, :], (1, kernel_size), (1, stride), (0, padding), (1, 1), ceil_mode, "avg")
        if x.dtype.kind != "f" and x.dtype != np.int64:
            raise errors.not_implemented("avg_pool2d", x.dtype)
        ctx.out_plane = out
        return AvgPool._avg_pool(ctx, x, 1, (kernel_size,), (stride,), (padding,), (out[1],), count_include_pad, None)


def check_adaptive(x: np.ndarray, name: str, spatial: int) -> None:
    """PyTorch's adaptive pooling checks (the 1-d function runs the 2-d kernel on a plane of height 1)."""
    if x.ndim not in (spatial + 1, spatial + 2):
        if spatial == 1:
            raise errors.avg_pool1d_dims(x.ndim, name)
        raise errors.adaptive_dims(name, x.shape)
    if spatial == 1:
        if x.shape[-1] == 0:
            raise errors.adaptive_empty("adaptive_avg_pool2d", (*x.shape[:-1], 1, *x.shape[-1:]), x.ndim)
        return
    for d in range(1 if name == "adaptive_max_pool2d" else x.ndim - 2, x.ndim):  # max: every non-batch dim
        if x.shape[d] == 0:
            raise errors.adaptive_empty(name, x.shape, d)


@register
class AdaptiveAvgPool2d(Op):
    """The mean over each cell of an output grid laid over the input: output (oy, ox) of (OH, OW) covers rows
    [floor(oy H / OH), ceil((oy + 1) H / OH)) and the columns likewise (cells overlap where OH does not divide H).
    An output of 1 x 1 is the mean over the plane, as PyTorch computes it."""

    torch = "torch.nn.functional.adaptive_avg_pool2d"
    formulas = ("d(adaptive_avg_pool(x))/dx = each cell's grad / its size, spread over the cell",)
    promotion = Promotion.NONE
    grad_fn = "AdaptiveAvgPool2DBackward0"
    jvp_formulas = ("d(adaptive_avg_pool x) = adaptive_avg_pool dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, output_size: Pair) -> np.ndarray:
        check_adaptive(x, "adaptive_avg_pool2d", 2)
        if x.dtype.kind != "f":
            raise errors.not_implemented("adaptive_avg_pool2d", x.dtype)
        return _adaptive_avg(ctx, x, 2, output_size)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        planes_shape, shape = ctx.shape
        out = K.adaptive_avg_pool2d_grad(grad.reshape(planes_shape[0], *ctx.out_plane), planes_shape)
        return (out.reshape(shape),)


def _adaptive_avg(ctx: Context, x: np.ndarray, spatial: int, out: tuple[int, ...]) -> np.ndarray:
    planes = _as_planes(x, spatial)
    ctx.shape, ctx.out_plane = (planes.shape, x.shape), _plane(out, 1)
    return K.adaptive_avg_pool2d(planes, ctx.out_plane).reshape(_pool_shape(x, spatial, out))


@register
class AdaptiveAvgPool1d(Op):
    """The mean over each cell of an output grid of ``output_size`` laid over the signal (see AdaptiveAvgPool2d)."""

    torch = "torch.nn.functional.adaptive_avg_pool1d"
    formulas = AdaptiveAvgPool2d.formulas
    promotion = Promotion.NONE
    grad_fn = "SqueezeBackward1"
    backward = staticmethod(AdaptiveAvgPool2d.backward)
    jvp_formulas = ("d(adaptive_avg_pool x) = adaptive_avg_pool dx",)
    jvp = classmethod(linear_jvp)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, output_size: int) -> np.ndarray:
        check_adaptive(x, "adaptive_avg_pool1d", 1)
        if x.dtype.kind != "f":
            raise errors.not_implemented("adaptive_avg_pool2d", x.dtype)
        return _adaptive_avg(ctx, x, 1, (output_size,))


@register
class AdaptiveMaxPool2d(Op):
    """The maximum over each cell of an output grid laid over the input (cells as in AdaptiveAvgPool2d; ties and
    NaN as in max pooling), and with ``return_indices`` each maximum's flat index in its plane."""

    torch = "torch.nn.functional.adaptive_max_pool2d"
    formulas = ("d(adaptive_max_pool(x))/dx = grad at each cell's maximum, 0 elsewhere",)
    promotion = Promotion.NONE
    grad_fn = "AdaptiveMaxPool2DBackward0"
    backward_function: ClassVar[tuple[str, int]] = ("adaptive_max_pool2d_backward", 0)
    backward = staticmethod(MaxPool.backward)
    jvp, jvp_formulas = staticmethod(MaxPool.jvp), ("d(adaptive_max_pool x) = dx at each cell's maximum",)

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *, output_size: Pair,
                return_indices: bool) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        check_adaptive(x, "adaptive_max_pool2d", 2)
        if x.dtype.kind != "f":
            raise errors.not_implemented("adaptive_max_pool2d", x.dtype)
        planes = _as_planes(x, 2)
        values, indices = K.adaptive_max_pool2d(planes, output_size)
        ctx.save(indices=indices)
        ctx.shape = (planes.shape, x.shape)
        shape = _pool_shape(x, 2, output_size)
        return (values.reshape(shape), indices.reshape(shape)) if return_indices else values.reshape(shape)
