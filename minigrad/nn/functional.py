"""``minigrad.nn.functional``: layers and losses as plain functions (``import minigrad.nn.functional as F``).

Each loss is one op from ``minigrad/ops/loss.py`` (with its hand-derived gradient), or composed from
tensor ops exactly as PyTorch composes it. Arguments are checked first, with PyTorch's messages.
"""

import math
import warnings
from collections.abc import Sequence

from .. import dtypes, errors, factories
from .. import kernels as K
from ..autograd.grad_mode import is_grad_enabled, no_grad
from ..dtypes import dtype as DType
from ..functions import broadcast_tensors, cat, out_form, where
from ..ops import activation, classification, linalg, loss
from ..ops.dims import normalize_dim
from ..tensor import Tensor, _dim, apply, expect_tensor, matrix_transposed
from .batchnorm import batch_norm as batch_norm  # F.batch_norm, defined with its modules
from .conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d, fold, unfold  # defined with their modules
from .dropout import alpha_dropout, dropout1d, dropout2d, dropout3d, feature_alpha_dropout  # with their modules
from .dropout import dropout as dropout  # F.dropout, defined with its module
from .linear import bilinear
from .normalization import group_norm, instance_norm, layer_norm, local_response_norm, rms_norm
from .pixelshuffle import pixel_shuffle, pixel_unshuffle
from .pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
    max_unpool1d,
    max_unpool2d,
)
from .sparse import embedding as embedding  # F.embedding and F.embedding_bag, defined with their modules
from .sparse import embedding_bag as embedding_bag
from .upsampling import interpolate, upsample, upsample_bilinear, upsample_nearest

# PyTorch's names: what `from minigrad.nn.functional import *`, dir() and tab completion show (not the imports above).
__all__ = [
    "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "celu", "cosine_embedding_loss",
    "cosine_similarity", "cross_entropy", "dropout", "elu", "embedding", "embedding_bag", "gaussian_nll_loss",
    "gelu", "glu", "hardshrink",
    "hardsigmoid", "hardswish", "hardtanh", "hinge_embedding_loss", "huber_loss", "kl_div", "l1_loss", "leaky_relu",
    "linear", "log_softmax", "logsigmoid", "margin_ranking_loss", "mish", "mse_loss", "multi_margin_loss",
    "multilabel_soft_margin_loss", "nll_loss", "normalize", "one_hot", "pad", "pairwise_distance", "pdist",
    "poisson_nll_loss", "prelu", "relu", "relu6", "selu", "sigmoid", "silu", "smooth_l1_loss", "soft_margin_loss",
    "softmax", "softmin", "softplus", "softshrink", "softsign", "tanh", "tanhshrink", "threshold",
    "triplet_margin_loss",
]
__all__ += ["celu_", "elu_", "hardtanh_", "leaky_relu_", "relu_", "selu_", "threshold_"]  # in place, as PyTorch's
__all__ += ["adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool2d", "avg_pool1d", "avg_pool2d", "conv1d",
            "conv2d", "conv_transpose1d", "conv_transpose2d", "fold", "max_pool1d", "max_pool2d", "unfold"]


__all__ += ["interpolate", "max_unpool1d", "max_unpool2d", "pixel_shuffle", "pixel_unshuffle", "upsample",
            "upsample_bilinear", "upsample_nearest"]


__all__ += ["bilinear"]
__all__ += ["alpha_dropout", "dropout1d", "dropout2d", "dropout3d", "feature_alpha_dropout", "group_norm",
            "instance_norm", "layer_norm", "local_response_norm", "rms_norm"]


def __dir__() -> list[str]:
    return __all__


def _legacy_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """``reduction``, unless the deprecated ``size_average``/``reduce`` flags are given: then what they mean
    (PyTorch's ``legacy_get_string``): 'none' where reduce is False, else 'mean' or, where size_average is False,
    'sum' (a flag left None counts as True), with PyTorch's warning. The warning names the line that called this
    function, as PyTorch's names the line that called ``legacy_get_string`` (so it is shown once per such line)."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(errors.size_average_warning(reduction), stacklevel=2)
    return reduction


def _legacy_enum_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """``_legacy_reduction`` for the losses that PyTorch sends through ``legacy_get_enum``: their warning names the
    line below (PyTorch's names one line of ``legacy_get_enum``), whichever loss gave the flags."""
    return _legacy_reduction(size_average, reduce, reduction)


def _warn_if_broadcast(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(errors.target_size_warning(target.shape, input.shape), stacklevel=3)


def _broadcast_dtypes(input: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    """Both converted to their promoted dtype as PyTorch's mse_loss and l1_loss promote them: after
    ``broadcast_tensors``, so a 0-d operand counts as a tensor with dims (float32 (3,) and float64 () give float64)."""
    if input.dtype is target.dtype:
        return input, target
    ndim = len(K.broadcast_shapes(tuple(input.shape), tuple(target.shape)))
    common = dtypes.result_type([(input.dtype, ndim), (target.dtype, ndim)])
    return input.to(common), target.to(common)


def _check_weight(weight: Tensor, input: Tensor) -> None:
    if weight.shape != input.shape:
        raise errors.weight_size()


def _weighted_reduction(losses: Tensor, weight: Tensor, reduction: str) -> Tensor:
    """PyTorch's weighted mse/l1: weighted losses, their sum, or their sum divided by the sum of weights."""
    weighted = losses * weight
    if reduction == "none":
        return weighted
    total = weighted.sum()
    return total if reduction == "sum" else total / weight.sum()


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x W^T + b over the last dim of ``input``; W is (out_features, in_features)."""
    expect_tensor(input, "linear")
    expect_tensor(weight, "linear", "weight", 2)
    if input.dim() == 0 or weight.dim() == 0:
        raise errors.needs_1d("linear", input.dim(), weight.dim())
    if weight.dim() != 2:  # PyTorch's general case, matmul(x, W.t()): a 1-D W is a vector, t() refuses 3-D
        out = input.matmul(weight.t())
        return out if bias is None else out + bias
    weight_t = matrix_transposed(weight)  # W.t(), recorded as its TBackward0 node
    if input.dim() == 2:  # PyTorch's addmm(b, x, W.t()), or mm(x, W.t())
        return apply(linalg.Linear, input, weight_t, *([] if bias is None else [bias]))
    if bias is None or not (input.is_contiguous() and (input.dim() == 3 or bias.dim() == 1)):
        out = input.matmul(weight_t)  # PyTorch's general case: matmul, then the bias added (AddBackward0)
        return out if bias is None else out + bias
    # PyTorch's _flatten_nd_linear: the rows (one sample: one row) through addmm, viewed back (ViewBackward0)
    flat = input.reshape(math.prod(input.shape[:-1]), input.shape[-1])  # not -1: the last dim may be 0
    rows = apply(linalg.Linear, flat, weight_t, bias)
    return rows.view(*input.shape[:-1], weight.shape[0])


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x), elementwise."""
    expect_tensor(input, "sigmoid")
    return input.sigmoid()


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0), elementwise (``inplace``: into ``input``'s memory, ``input.relu_()``)."""
    expect_tensor(input, "relu")
    return input.relu_() if inplace else input.relu()


def relu_(input: Tensor) -> Tensor:
    """``relu`` into ``input``'s memory."""
    return relu(input, inplace=True)


def _activation(op: type, input: Tensor, inplace: bool, grad_fn: str | None = None, **params: object) -> Tensor:
    """``op`` applied to ``input``, or, ``inplace``, written into ``input``'s memory as PyTorch's in-place variant
    (``F.elu(x, inplace=True)`` is ``torch.elu_(x)``): ``input`` is returned, its history continuing from the op's
    node, named ``grad_fn`` where the variant's node has a name of its own."""
    return input._inplace(op, grad_fn=grad_fn, **params) if inplace else apply(op, input, **params)


def tanh(input: Tensor) -> Tensor:
    """(e^x - e^-x) / (e^x + e^-x), elementwise."""
    expect_tensor(input, "tanh")
    return input.tanh()


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
             reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """Mean squared error: mean of (x - y)^2 (or the sum, or each, by ``reduction``).

    Gradient, by hand: d/dx = 2 (x - y) / N.
    """
    _warn_if_broadcast(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    input, target = _broadcast_dtypes(input, target)
    if weight is None:
        return apply(loss.MseLoss, input, target, reduction=reduction)
    _check_weight(weight, input)
    return _weighted_reduction((input - target) ** 2, weight, reduction)


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
            reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """Mean absolute error: mean of |x - y| (or the sum, or each, by ``reduction``).

    Gradient, by hand: d/dx = sign(x - y) / N.
    """
    _warn_if_broadcast(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    input, target = _broadcast_dtypes(input, target)
    losses = (input - target).abs()
    if weight is not None:
        _check_weight(weight, input)
        return _weighted_reduction(losses, weight, reduction)
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.mean()


def _check_probabilities(name: str, values: Tensor) -> None:
    if not K.in_unit_interval(K.widened(values._data)):  # NaN fails too, as in PyTorch
        raise errors.probabilities_range(name)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """-mean(y log p + (1 - y) log(1 - p)) for probabilities p = ``input`` and targets y in [0, 1].

    Each log is clamped at -100, so p = 0 or 1 gives a finite loss. Gradient, by hand:
    d/dp = (p - y) / (p (1 - p)) / N; after a sigmoid, p = sigmoid(z), it becomes d/dz = (p - y) / N.
    """
    reduction = _legacy_enum_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    if target.shape != input.shape:
        raise errors.bce_target_size(target.shape, input.shape)
    if target.dtype != input.dtype:
        raise errors.bce_dtype(target.dtype, input.dtype)
    _check_probabilities("input", input)
    _check_probabilities("target", target)
    return apply(loss.BinaryCrossEntropy, input, target, weight=weight, reduction=reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: bool | None = None, reduce: bool | None = None,
                                     reduction: str = "mean", pos_weight: Tensor | None = None) -> Tensor:
    """binary_cross_entropy(sigmoid(x), y), computed from the logits x without overflow.

    Gradient, by hand: d/dx = (sigmoid(x) - y) / N.
    """
    reduction = _legacy_enum_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    if target.shape != input.shape:
        raise errors.bce_logits_target_size(target.shape, input.shape)
    return apply(loss.BinaryCrossEntropyWithLogits, input, target, weight=weight, pos_weight=pos_weight,
                 reduction=reduction)



# ----- classification: softmax, nll_loss, cross_entropy, one_hot; leaky_relu, softplus ------------------------
def _implicit_softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    """PyTorch's deprecated choice of dim when none is given: 0 for 0-D, 1-D and 3-D inputs, else 1."""
    warnings.warn(errors.implicit_dim_warning(name), stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DType | None = None) -> Tensor:
    """y_i = exp(x_i - max) / sum_j exp(x_j - max) along ``dim``: positive, summing to 1 (``dtype``: cast first).

    Gradient, by hand: the Jacobian is dy_i/dx_j = y_i (delta_ij - y_j), so dL/dx = y * (g - sum(g * y, dim)).
    """
    if dim is None:
        dim = _implicit_softmax_dim("softmax", input.dim(), _stacklevel)
    return apply(classification.Softmax, input if dtype is None else input.to(dtype), dim=dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DType | None = None) -> Tensor:
    """y_i = x_i - max - log(sum_j exp(x_j - max)) along ``dim``: log(softmax(x)) without overflow or log(0).

    Gradient, by hand: dL/dx = g - exp(y) * sum(g, dim).
    """
    if dim is None:
        dim = _implicit_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return apply(classification.LogSoftmax, input if dtype is None else input.to(dtype), dim=dim)


def _check_nll_arguments(input: Tensor, target: Tensor, weight: Tensor | None) -> None:
    """PyTorch's checks of nll_loss's arguments (nll_loss_nd, nll_loss, nll_loss2d), in PyTorch's order."""
    if input.dim() < 1:
        raise errors.nll_input_dims(input.dim())
    if input.dim() != 1 and input.shape[0] != (target.shape[0] if target.dim() else 0):
        raise errors.nll_batch_size(input.shape[0], target.shape[0] if target.dim() else 0)
    spatial = input.shape[2:]
    if (input.dim() == 3 or input.dim() > 4) and target.shape[1:] != spatial:
        raise errors.nll_target_size([input.shape[0], *spatial], list(target.shape))
    if weight is not None and weight.requires_grad and is_grad_enabled():
        raise errors.nll_weight_requires_grad()
    if input.dim() == 4 and target.dim() != 3:
        raise errors.nll_spatial_target_dims(target.dim())
    if input.dim() <= 2 and target.dim() > 1:
        raise errors.nll_multi_target()
    if target.dtype not in (dtypes.int64, dtypes.uint8):
        raise errors.nll_target_dtype(target.dtype)
    classes = input.shape[1] if input.dim() > 1 else input.shape[0]
    if input.dim() == 1 and target.dim() == 1 and target.shape[0] != 1:
        raise errors.nll_1d_target_size(target.shape[0])
    if input.dim() <= 2 and weight is not None and (weight.dim() != 1 or weight.numel() != classes):
        raise errors.nll_weight_classes(classes, list(weight.shape))
    if input.dim() > 2 and weight is not None and weight.numel() != classes:
        raise errors.nll_weight_all_classes()
    if input.dim() == 4 and target.shape != (input.shape[0], *spatial):
        raise errors.nll_spatial_size(list(input.shape), list(target.shape))


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
             ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of log-probabilities ``input`` at class indices ``target``: l_n = -w[t_n] x[n, t_n].

    ``input`` is (C), (N, C) or (N, C, d1, ...) with ``target`` (), (N) or (N, d1, ...) of int64 (or uint8)
    class indices. Targets equal to ``ignore_index`` give 0 and weigh nothing; 'mean' divides the sum by the
    kept targets' total weight. Gradient, by hand: dL/dx[n, c] = -w[c] / W where c = t_n (W: that total for
    'mean', else 1), 0 elsewhere.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    expect_tensor(input, "nll_loss_nd")
    expect_tensor(target, "nll_loss_nd", "target", 2)
    _check_nll_arguments(input, target, weight)
    if input.dim() in (1, 2, 4):
        return apply(classification.NllLoss, input, target=target, weight=weight, ignore_index=ignore_index,
                     reduction=reduction)
    # other ranks go through the 4-D kernel as (N, C, 1, d1 * d2 ...), as PyTorch's nll_loss_nd sends them
    rows, spatial = input.shape[0], input.shape[2:]
    flat_shape = (rows, input.shape[1], 1, -1) if input.numel() else (rows, input.shape[1], 0, 0)
    losses = apply(classification.NllLoss, input.reshape(*flat_shape),
                   target=target.reshape(rows, 1, -1) if target.numel() else target.reshape(rows, 0, 0),
                   weight=weight, ignore_index=ignore_index, reduction=reduction)
    return losses.view(rows, *spatial) if reduction == "none" else losses


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
                  ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy of the logits ``input`` (C), (N, C) or (N, C, d1, ...) against ``target``.

    Class indices (``target`` shaped as ``input`` without its class dim): nll_loss(log_softmax(x)), and with
    ``label_smoothing`` s: (1 - s) * that + s / C * (the mean over classes of -log_softmax(x), weighted).
    Class probabilities (``target`` shaped as ``input``, floats): -sum_c w_c y_c log_softmax(x)_c, after
    y = (1 - s) y + s / C; 'mean' divides by the number of samples. Gradient, by hand, unweighted without
    smoothing: dL/dx = (softmax(x) - onehot(t)) / N.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    expect_tensor(input, "cross_entropy_loss")
    expect_tensor(target, "cross_entropy_loss", "target", 2)
    class_dim = 0 if input.dim() == 1 else 1
    if input.shape == target.shape:
        return _cross_entropy_with_probabilities(input, target, weight, reduction, ignore_index, label_smoothing,
                                                 class_dim)
    if label_smoothing > 0:
        errors.check_label_smoothing(label_smoothing)
        return _smoothed_cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing, class_dim)
    return nll_loss(log_softmax(input, class_dim), target, weight, ignore_index=ignore_index, reduction=reduction)


def _class_shape(ndim: int, class_dim: int, classes: int) -> tuple[int, ...]:
    """The shape that broadcasts per-class weights along ``class_dim``."""
    return tuple(classes if d == class_dim else 1 for d in range(ndim))


def _smoothed_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int, reduction: str,
                            label_smoothing: float, class_dim: int) -> Tensor:
    """(1 - s) nll + s / C * smooth, smooth = -sum_c w_c log_softmax(x)_c (0 where ignored), reduced as nll is."""
    log_probs = log_softmax(input, class_dim)
    nll = nll_loss(log_probs, target, weight, ignore_index=ignore_index, reduction=reduction)
    classes = log_probs.shape[class_dim]
    weighted = log_probs if weight is None else log_probs * weight.view(*_class_shape(log_probs.dim(), class_dim,
                                                                                        classes))
    smooth = (-weighted.sum(class_dim)).masked_fill(target == ignore_index, 0.0)
    if reduction == "mean":
        kept = target != ignore_index
        kept_weight = kept.sum() if weight is None else weight[target[kept]].sum()
        smooth = smooth.sum() / kept_weight
    elif reduction == "sum":
        smooth = smooth.sum()
    return (1 - label_smoothing) * nll + smooth * (label_smoothing / classes)


def _cross_entropy_with_probabilities(input: Tensor, target: Tensor, weight: Tensor | None, reduction: str,
                                      ignore_index: int, label_smoothing: float, class_dim: int) -> Tensor:
    """-sum_c w_c y_c log_softmax(x)_c per sample, reduced ('mean': over the samples, N d1 d2 ...)."""
    if not target.is_floating_point():
        raise errors.cross_entropy_target_dtype(target.dtype)
    if ignore_index >= 0:
        raise errors.cross_entropy_ignore_index()
    classes = input.shape[class_dim]
    if weight is not None and (weight.dim() != 1 or weight.numel() != classes):
        raise errors.cross_entropy_weight(classes, list(weight.shape))
    log_probs = log_softmax(input, class_dim)
    if label_smoothing > 0:
        errors.check_label_smoothing(label_smoothing)
        target = target * (1 - label_smoothing) + label_smoothing / classes
    terms = log_probs * target
    if weight is not None:
        terms = terms * (weight if input.dim() == 1 else weight.view(*_class_shape(input.dim(), 1, classes)))
    if reduction == "none":
        return -terms.sum(class_dim)
    total = -terms.sum()
    return total if reduction == "sum" else total / (input.numel() // classes if classes else 0)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """An int64 tensor shaped tensor.shape + (num_classes,), 1 at [..., tensor[...]] and 0 elsewhere.

    ``num_classes`` -1 means one more than the largest class index. Not differentiable.
    """
    expect_tensor(tensor, "one_hot")
    if tensor.dtype != dtypes.int64:
        raise errors.one_hot_dtype()
    if tensor.numel() == 0:
        if num_classes <= 0:
            raise errors.one_hot_empty()
        return Tensor._make(K.one_hot(tensor._data, num_classes))
    if tensor.min().item() < 0:
        raise errors.one_hot_negative()
    largest = tensor.max().item()
    if num_classes == -1:
        num_classes = largest + 1
    elif num_classes <= largest:
        raise errors.one_hot_too_large()
    return Tensor._make(K.one_hot(tensor._data, num_classes))


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope * x. Gradient, by hand: 1 where x > 0, else negative_slope."""
    expect_tensor(input, "leaky_relu")
    return _activation(classification.LeakyRelu, input, inplace, "LeakyReluBackward1", negative_slope=negative_slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """``leaky_relu`` into ``input``'s memory."""
    return leaky_relu(input, negative_slope, inplace=True)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (the two agree there to rounding).

    Gradient, by hand: sigmoid(beta x) (1 past the threshold).
    """
    expect_tensor(input, "softplus")
    return apply(classification.Softplus, input, beta=beta, threshold=threshold)


# ----- activations: softmin, gelu, silu, mish, elu, selu, celu, hardtanh, relu6, ..., glu, prelu ----------------------
def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DType | None = None) -> Tensor:
    """softmax(-x) along ``dim``: y_i = exp(-x_i) / sum_j exp(-x_j), largest where x is smallest."""
    if dim is None:
        dim = _implicit_softmax_dim("softmin", input.dim(), _stacklevel)
    return softmax(-(input if dtype is None else input.to(dtype)), dim)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x Phi(x), Phi the standard normal CDF; approximate='tanh': x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2."""
    expect_tensor(input, "gelu")
    if approximate not in ("none", "tanh"):
        raise errors.gelu_approximate()
    return apply(activation.Gelu, input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x sigmoid(x). (``inplace``, here and below: into ``input``'s memory, see ``_activation``.)"""
    expect_tensor(input, "silu")
    return _activation(activation.Silu, input, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x tanh(softplus(x))."""
    expect_tensor(input, "mish")
    return _activation(activation.Mish, input, inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, else alpha (exp(x) - 1)."""
    expect_tensor(input, "elu")
    return _activation(activation.Elu, input, inplace, "EluBackward1", alpha=alpha, scale=1.0, input_scale=1.0)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``elu`` into ``input``'s memory."""
    return elu(input, alpha, inplace=True)


_SELU_ALPHA = 1.6732632423543772848170429916717  # PyTorch's constants (Klambauer et al., 2017)
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with PyTorch's fixed alpha = 1.6733 and scale = 1.0507 (self-normalizing)."""
    expect_tensor(input, "selu")
    return _activation(activation.Elu, input, inplace, "EluBackward1", alpha=_SELU_ALPHA, scale=_SELU_SCALE,
                       input_scale=1.0)


def selu_(input: Tensor) -> Tensor:
    """``selu`` into ``input``'s memory."""
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1))."""
    expect_tensor(input, "celu")
    if alpha == 0:
        raise errors.celu_alpha()
    return _activation(activation.Celu, input, inplace, "CeluBackward1", alpha=alpha, scale=1.0,
                       input_scale=1.0 / alpha)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """``celu`` into ``input``'s memory."""
    return celu(input, alpha, inplace=True)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x limited to [min_val, max_val]."""
    expect_tensor(input, "hardtanh")
    if min_val > max_val:
        raise errors.hardtanh_bounds()
    return _activation(activation.Hardtanh, input, inplace, min_val=min_val, max_val=max_val)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """``hardtanh`` into ``input``'s memory."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6): hardtanh(x, 0, 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x + 3, 0), 6) / 6."""
    expect_tensor(input, "hardsigmoid")
    return _activation(activation.Hardsigmoid, input, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x hardsigmoid(x)."""
    expect_tensor(input, "hardswish")
    return _activation(activation.Hardswish, input, inplace)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|), composed as PyTorch composes it (so its gradient is the composition's)."""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x), composed as PyTorch composes it."""
    return input - input.tanh()


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 between (lambd >= 0)."""
    expect_tensor(input, "softshrink")
    if lambd < 0 and input.dtype.is_floating_point:  # (other dtypes: the op's own error, as PyTorch checks them first)
        raise errors.softshrink_lambda(lambd, input.dtype)
    return apply(activation.Softshrink, input, lambd=lambd)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    expect_tensor(input, "hardshrink")
    return apply(activation.Hardshrink, input, lambd=lambd)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """value where x <= threshold, else x."""
    expect_tensor(input, "threshold")
    return _activation(activation.Threshold, input, inplace, "ThresholdBackward1", threshold=threshold, value=value)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """``threshold`` into ``input``'s memory (its parameter shadows the function: the op is applied here)."""
    expect_tensor(input, "threshold_")
    return _activation(activation.Threshold, input, True, "ThresholdBackward1", threshold=threshold, value=value)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|))."""
    expect_tensor(input, "log_sigmoid")
    return apply(activation.LogSigmoid, input)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a sigmoid(b), where a and b are the two halves of ``input`` along ``dim`` (a gated linear unit)."""
    expect_tensor(input, "glu")
    if input.dim() == 0:
        raise errors.glu_scalar()
    axis = normalize_dim(dim, input.dim())
    if input.shape[axis] % 2:
        raise errors.glu_odd(axis, input.shape[axis])
    return apply(activation.Glu, input, dim=dim)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, else a x, with a learned slope a: one for all, or one per channel (dim 1) of ``input``."""
    expect_tensor(input, "prelu")
    expect_tensor(weight, "prelu", "weight", 2)
    if weight.dim() > 1:
        raise errors.prelu_weight_dims(weight.dim())
    channels = input.shape[1] if input.dim() > 1 else 1
    if weight.numel() != 1:
        if weight.numel() != channels:
            raise errors.prelu_channels(weight.numel(), channels)
        weight = weight.view(channels, *[1] * (input.dim() - 2))
    elif input.dim() == 0 and weight.dim() == 1:
        weight = weight.view(())  # PyTorch reshapes the weight to the input's dims: a 0-d input stays 0-d
    return apply(activation.PreluKernel, input, weight)


# ----- pad -----------------------------------------------------------------------------------------------------------
def _source_index(mode: str, j: int, size: int) -> int:
    """Which input position fills output position ``j`` (in input coordinates: j < 0 or j >= size lies outside)."""
    if mode == "reflect":
        return -j if j < 0 else (2 * (size - 1) - j if j >= size else j)
    if mode == "replicate":
        return min(max(j, 0), size - 1)
    return j % size  # circular


def _check_pad(input: Tensor, pad: Sequence[int], mode: str, value: float | None) -> None:
    """PyTorch's checks of pad's arguments (functional.py, then PadNd.cpp), in its order."""
    if len(pad) % 2:
        raise errors.pad_odd_length()
    if len(pad) // 2 > input.dim():
        raise errors.pad_too_long(len(pad), input.dim())
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise errors.pad_mode(mode)
    if mode == "constant":
        return
    if value is not None and value != 0:
        raise errors.pad_value_with_mode(mode)
    if input.dim() - len(pad) // 2 not in (1, 2) or len(pad) > 6:
        raise errors.pad_non_constant_size(len(pad), input.dim())
    for i in range(len(pad) // 2):
        dim = input.dim() - 1 - i
        before, after, size = pad[2 * i], pad[2 * i + 1], input.shape[dim]
        if mode == "reflect" and (before >= size or after >= size):
            raise errors.pad_reflect_size(before, after, dim, list(input.shape))
        if mode == "circular" and (before > size or after > size):
            raise errors.pad_circular_wraps()


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """``input`` extended along its last len(pad) / 2 dims: pad = (before, after) for the last dim, then the one
    before it, ... Mode 'constant' fills with ``value`` (negative amounts crop); 'reflect' mirrors without
    repeating the edge, 'replicate' repeats the edge, 'circular' wraps around. Composed of cat and index_select,
    so the gradient of each output position goes back to the input position it came from (summed for repeats)."""
    expect_tensor(input, "pad")
    _check_pad(input, pad, mode, value)
    out = input
    for i in range(len(pad) // 2):
        dim = input.dim() - 1 - i
        before, after, size = pad[2 * i], pad[2 * i + 1], out.shape[dim]
        if mode == "constant":
            out = out.narrow(dim, max(-before, 0), size - max(-before, 0) - max(-after, 0))
            shape = list(out.shape)
            blocks = []
            for amount in (before, after):
                shape[dim] = max(amount, 0)
                blocks.append(out.new_full(shape, 0 if value is None else value))
            out = cat([blocks[0], out, blocks[1]], dim)
        else:
            if mode == "circular":  # PyTorch crops first, then wraps around what is left
                out = out.narrow(dim, max(-before, 0), size - max(-before, 0) - max(-after, 0))
                size, before, after = out.shape[dim], max(before, 0), max(after, 0)
            index = [_source_index(mode, j, size) for j in range(-before, size + after)]
            out = out.index_select(dim, factories.tensor(index, dtype=dtypes.int64))
    return out


# ----- distances: normalize, cosine_similarity, pairwise_distance ----------------------------------------------------
def _vector_norm(x: Tensor, p: float, dim: int, keepdim: bool = False) -> Tensor:
    """||x||_p along ``dim``: (sum |x_i|^p)^(1/p), max |x_i| for p = inf (composed: its gradient is 0/0 where the
    norm is exactly 0, where PyTorch's norm gives 0)."""
    if p == math.inf:
        return x.abs().amax(dim, keepdim=keepdim)
    if p == 2:
        return (x * x).sum(dim, keepdim=keepdim).sqrt()
    return (x.abs() ** p).sum(dim, keepdim=keepdim) ** (1.0 / p)


@out_form
def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """x / max(||x||_p, eps) along ``dim``: unit vectors (zero vectors stay zero); ``out=``: written into that tensor
    (spectral norm's power iteration keeps its vectors so)."""
    expect_tensor(input, "normalize")
    return input / _vector_norm(input, p, dim, keepdim=True).clamp_min(eps).expand_as(input)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8, *, axis: int | None = None) -> Tensor:
    """sum(x1 x2) / (max(||x1||, eps) max(||x2||, eps)) along ``dim``, as PyTorch computes it: each input divided
    by its norm first (the clamp at eps made without recording, so the gradient sees the plain norm), after the two
    are broadcast to one shape. Unlike the other functions here, a native one in PyTorch: it takes ``axis=`` for
    ``dim``."""
    expect_tensor(x1, "cosine_similarity")
    expect_tensor(x2, "cosine_similarity", "x2", 2)
    dim = _dim(dim, axis, "cosine_similarity", 1)
    x1, x2 = broadcast_tensors(x1, x2)  # first: a broadcast along ``dim`` counts in the norm
    norms = []
    for x in (x1, x2):
        norm = _vector_norm(x, 2, dim, keepdim=True).clone()
        with no_grad():
            norm.clamp_min_(eps)
        norms.append(norm)
    return ((x1 / norms[0]) * (x2 / norms[1])).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p along the last dim (eps keeps the norm away from 0, where it has no gradient)."""
    expect_tensor(x1, "pairwise_distance")
    expect_tensor(x2, "pairwise_distance", "x2", 2)
    return _vector_norm(x1 - x2 + eps, p, max(x1.dim(), x2.dim()) - 1, keepdim=keepdim)


# ----- losses composed as PyTorch composes them ----------------------------------------------------------------------
def _reduce(losses: Tensor, reduction: str) -> Tensor:
    """The elementwise losses, their mean or their sum."""
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.mean()


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta, d = x - y; beta = 0 is l1_loss.

    Gradient, by hand: d/dx = clamp(d / beta, -1, 1) / N (one op, ``SmoothL1Loss``)."""
    _warn_if_broadcast(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    if beta < 0:
        raise errors.negative_loss_parameter("smooth_l1_loss", "beta")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    return apply(loss.SmoothL1Loss, input, target, reduction=reduction, beta=beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta), d = x - y (times ``weight``).

    Gradient, by hand: d/dx = clamp(d, -delta, delta) / N (one op, ``HuberLoss``)."""
    errors.check_reduction(reduction)
    if delta <= 0:
        raise errors.negative_loss_parameter("huber_loss", "delta")
    _warn_if_broadcast(input, target)
    if weight is None:
        return apply(loss.HuberLoss, input, target, reduction=reduction, delta=delta)
    _check_weight(weight, input)
    return _reduce(apply(loss.HuberLoss, input, target, reduction="none", delta=delta) * weight, reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """log(1 + exp(-y x)) for labels y = +-1. Composed (PyTorch's own kernel: the same to float rounding)."""
    reduction = _legacy_enum_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    return _reduce((-target * input).exp().log1p(), reduction)


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """KL(target || exp(input)) per element, input being log-probabilities: y (log y - x), or with ``log_target``
    exp(y) (y - x). 'batchmean' divides the sum by the batch size (the definition's KL divergence); 'mean' by
    the element count, with PyTorch's warning."""
    batchmean = reduction == "batchmean"  # divides by the batch size even after the legacy flags, as PyTorch's does
    if size_average is not None or reduce is not None:  # then no warning about 'mean'
        reduction = _legacy_enum_reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn(errors.kl_div_mean_warning(), stacklevel=2)
    if reduction != "batchmean":
        errors.check_reduction(reduction)
    if log_target:
        losses = target.exp() * (target - input)
    else:
        losses = where(target > 0, target * target.log(), 0.0) - target * input
    if reduction == "batchmean":
        return losses.sum() / input.shape[0] if input.dim() else losses.sum()
    reduced = _reduce(losses, reduction)
    return reduced / input.shape[0] if batchmean and input.dim() else reduced


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """Poisson negative log-likelihood of counts y with rate exp(x) (``log_input``) or x: exp(x) - y x, or
    x - y log(x + eps); ``full`` adds Stirling's y log y - y + log(2 pi y) / 2 where y > 1."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    losses = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        losses = losses + stirling.masked_fill(target <= 1, 0.0)
    return _reduce(losses, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """Gaussian negative log-likelihood of y under N(x, var): (log max(var, eps) + (x - y)^2 / max(var, eps)) / 2
    (+ log(2 pi) / 2 with ``full``); the clamp at eps is made without recording, as in PyTorch."""
    errors.check_reduction(reduction)
    if not isinstance(var, Tensor):
        var = factories.full_like(input, var)
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = var.unsqueeze(-1)
        elif not (input.shape[:-1] == var.shape[:-1] and var.shape[-1] == 1):
            raise errors.gaussian_nll_var_size()
    if (var < 0).any().item():
        raise errors.gaussian_nll_var_negative()
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    losses = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        losses = losses + 0.5 * math.log(2 * math.pi)
    return _reduce(losses, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, -y (x1 - x2) + margin) for y = +-1: x1 should rank above x2 where y = 1."""
    reduction = _legacy_enum_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    if not input1.dim() == input2.dim() == target.dim():
        raise errors.margin_ranking_dims(input1.shape, input2.shape, target.shape)
    return _reduce((-target * (input1 - input2) + margin).clamp_min(0), reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average: bool | None = None,
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """x where y = 1, max(0, margin - x) where y = -1 (x a distance, y = +-1 similar or not)."""
    reduction = _legacy_enum_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    zeros = factories.zeros_like(input)
    margin_part = where(target != 1, (margin - input).clamp_min(0), zeros)
    return _reduce(margin_part + where(target != -1, input, zeros), reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1, cos computed as PyTorch does:
    sum(x1 x2) / sqrt((sum(x1^2) + 1e-12) (sum(x2^2) + 1e-12)) along the last dim."""
    reduction = _legacy_enum_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    dim = target.dim()
    if dim > 1:
        raise errors.cosine_embedding_target_dims()
    if not input1.dim() == input2.dim() == dim + 1:
        raise errors.cosine_embedding_input_dims(dim, input1.shape, input2.shape)
    squares1 = (input1 * input1).sum(dim) + 1e-12
    squares2 = (input2 * input2).sum(dim) + 1e-12
    cos = (input1 * input2).sum(dim) / (squares1 * squares2).sqrt()
    zeros = factories.zeros_like(cos)
    losses = where(target == 1, 1 - cos, zeros) + where(target == -1, (cos - margin).clamp_min(0), zeros)
    return _reduce(losses, reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: bool | None = None,
                        reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """max(0, d(a, p) - d(a, n) + margin), d the pairwise distance (``swap``: d(a, n) replaced by d(p, n) where
    that is smaller)."""
    reduction = _legacy_enum_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    if not anchor.dim() == positive.dim() == negative.dim():
        raise errors.triplet_dims(anchor.dim(), positive.dim(), negative.dim())
    positive_distance = pairwise_distance(anchor, positive, p, eps)
    negative_distance = pairwise_distance(anchor, negative, p, eps)
    if swap:
        negative_distance = negative_distance.minimum(pairwise_distance(positive, negative, p, eps))
    return _reduce((margin + positive_distance - negative_distance).clamp_min(0), reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """-(y logsigmoid(x) + (1 - y) logsigmoid(-x)) per class (times ``weight``), averaged over the classes."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    losses = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        losses = losses * weight
    class_dim = input.dim() - 1
    return _reduce(losses.sum(class_dim) / input.shape[class_dim], reduction)


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average: bool | None = None, reduce: bool | None = None,
                      reduction: str = "mean") -> Tensor:
    """sum over classes i != y of max(0, margin - x[y] + x[i])^p (times weight[y]), divided by the class count.

    Composed (PyTorch has a kernel of its own: the same values to float rounding)."""
    reduction = _legacy_enum_reduction(size_average, reduce, reduction)
    errors.check_reduction(reduction)
    if p not in (1, 2):
        raise errors.multi_margin_p()
    if weight is not None and weight.requires_grad and is_grad_enabled():
        raise errors.not_differentiable_argument("multi_margin_loss", "weight")
    rows = input if input.dim() == 2 else input.reshape(1, -1)
    labels = target.reshape(-1, 1)
    hinge = (margin - rows.gather(1, labels) + rows).clamp_min(0)
    if p == 2:
        hinge = hinge * hinge
    if weight is not None:
        hinge = hinge * weight[labels]
    own_class = one_hot(labels.reshape(-1), rows.shape[1]) == 1
    losses = hinge.masked_fill(own_class, 0.0).sum(1) / rows.shape[1]
    return _reduce(losses if input.dim() == 2 else losses.reshape(()), reduction)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:
    """||x_i - x_j||_p for every pair of rows i < j of an (N, M) input, in row-major order: N (N - 1) / 2 values.

    Composed (PyTorch has a kernel of its own: the same values to float rounding; no gradient where two rows are
    equal)."""
    expect_tensor(input, "pdist")
    if input.dim() != 2:
        raise errors.pdist_dims(input.dim())
    if not input.is_floating_point():
        raise errors.pdist_dtype()
    if p < 0:
        raise errors.pdist_negative_p()
    rows = input.shape[0]
    pairs = [(i, j) for i in range(rows) for j in range(i + 1, rows)]
    first, second = (factories.tensor([pair[k] for pair in pairs], dtype=dtypes.int64) for k in (0, 1))
    return _vector_norm(input.index_select(0, first) - input.index_select(0, second), p, 1)


# Attention, composed in its own file (which reads this module's linear, softmax and pad when called).
from .multihead_attention import multi_head_attention_forward, scaled_dot_product_attention  # noqa: E402

__all__ += ["multi_head_attention_forward", "scaled_dot_product_attention"]
