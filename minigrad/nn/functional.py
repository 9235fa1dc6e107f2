"""``minigrad.nn.functional``: layers and losses as plain functions (``import minigrad.nn.functional as F``).

Each loss is one op from ``minigrad/ops/loss.py`` (with its hand-derived gradient), or composed from
tensor ops exactly as PyTorch composes it. Arguments are checked first, with PyTorch's messages.
"""

import math
import warnings

from .. import dtypes, errors
from .. import kernels as K
from ..autograd.grad_mode import is_grad_enabled, no_grad
from ..dtypes import dtype as DType
from ..ops import classification, linalg, loss
from ..tensor import Tensor, apply, expect_tensor
from .dropout import dropout as dropout  # F.dropout, defined with its module

# PyTorch's names: what `from minigrad.nn.functional import *`, dir() and tab completion show (not the imports above).
__all__ = [
    "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "dropout", "l1_loss",
    "leaky_relu", "linear", "log_softmax", "mse_loss", "nll_loss", "one_hot", "relu", "sigmoid", "softmax",
    "softplus", "tanh",
]


def __dir__() -> list[str]:
    return __all__


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
    if input.dim() == 2:
        return apply(linalg.Linear, input, weight, *([] if bias is None else [bias]))
    if input.dim() == 1:
        out = input.matmul(weight.t())
        return out if bias is None else out + bias
    flat = input.reshape(math.prod(input.shape[:-1]), input.shape[-1])  # not -1: the last dim may be 0
    rows = apply(linalg.Linear, flat, weight, *([] if bias is None else [bias]))
    return rows.view(*input.shape[:-1], weight.shape[0])


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x), elementwise."""
    expect_tensor(input, "sigmoid")
    return input.sigmoid()


def relu(input: Tensor) -> Tensor:
    """max(x, 0), elementwise."""
    expect_tensor(input, "relu")
    return input.relu()


def tanh(input: Tensor) -> Tensor:
    """(e^x - e^-x) / (e^x + e^-x), elementwise."""
    expect_tensor(input, "tanh")
    return input.tanh()


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """Mean squared error: mean of (x - y)^2 (or the sum, or each, by ``reduction``).

    Gradient, by hand: d/dx = 2 (x - y) / N.
    """
    errors.check_reduction(reduction)
    _warn_if_broadcast(input, target)
    input, target = _broadcast_dtypes(input, target)
    if weight is None:
        return apply(loss.MseLoss, input, target, reduction=reduction)
    _check_weight(weight, input)
    return _weighted_reduction((input - target) ** 2, weight, reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """Mean absolute error: mean of |x - y| (or the sum, or each, by ``reduction``).

    Gradient, by hand: d/dx = sign(x - y) / N.
    """
    errors.check_reduction(reduction)
    _warn_if_broadcast(input, target)
    input, target = _broadcast_dtypes(input, target)
    losses = (input - target).abs()
    if weight is not None:
        _check_weight(weight, input)
        return _weighted_reduction(losses, weight, reduction)
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.mean()


def _check_probabilities(name: str, values: Tensor) -> None:
    if not K.in_unit_interval(values._data):  # NaN fails too, as in PyTorch
        raise errors.probabilities_range(name)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         reduction: str = "mean") -> Tensor:
    """-mean(y log p + (1 - y) log(1 - p)) for probabilities p = ``input`` and targets y in [0, 1].

    Each log is clamped at -100, so p = 0 or 1 gives a finite loss. Gradient, by hand:
    d/dp = (p - y) / (p (1 - p)) / N; after a sigmoid, p = sigmoid(z), it becomes d/dz = (p - y) / N.
    """
    errors.check_reduction(reduction)
    if target.shape != input.shape:
        raise errors.bce_target_size(target.shape, input.shape)
    if target.dtype != input.dtype:
        raise errors.bce_dtype(target.dtype, input.dtype)
    _check_probabilities("input", input)
    _check_probabilities("target", target)
    return apply(loss.BinaryCrossEntropy, input, target, weight=weight, reduction=reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     reduction: str = "mean", pos_weight: Tensor | None = None) -> Tensor:
    """binary_cross_entropy(sigmoid(x), y), computed from the logits x without overflow.

    Gradient, by hand: d/dx = (sigmoid(x) - y) / N.
    """
    errors.check_reduction(reduction)
    if target.shape != input.shape:
        raise errors.bce_logits_target_size(target.shape, input.shape)
    return apply(loss.BinaryCrossEntropyWithLogits, input, target, weight=weight, pos_weight=pos_weight,
                 reduction=reduction)



# ----- classification: softmax, nll_loss, cross_entropy, one_hot; leaky_relu, softplus; batch_norm --------------
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


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, ignore_index: int = -100,
             reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of log-probabilities ``input`` at class indices ``target``: l_n = -w[t_n] x[n, t_n].

    ``input`` is (C), (N, C) or (N, C, d1, ...) with ``target`` (), (N) or (N, d1, ...) of int64 (or uint8)
    class indices. Targets equal to ``ignore_index`` give 0 and weigh nothing; 'mean' divides the sum by the
    kept targets' total weight. Gradient, by hand: dL/dx[n, c] = -w[c] / W where c = t_n (W: that total for
    'mean', else 1), 0 elsewhere.
    """
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


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, ignore_index: int = -100,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy of the logits ``input`` (C), (N, C) or (N, C, d1, ...) against ``target``.

    Class indices (``target`` shaped as ``input`` without its class dim): nll_loss(log_softmax(x)), and with
    ``label_smoothing`` s: (1 - s) * that + s / C * (the mean over classes of -log_softmax(x), weighted).
    Class probabilities (``target`` shaped as ``input``, floats): -sum_c w_c y_c log_softmax(x)_c, after
    y = (1 - s) y + s / C; 'mean' divides by the number of samples. Gradient, by hand, unweighted without
    smoothing: dL/dx = (softmax(x) - onehot(t)) / N.
    """
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
    return nll_loss(log_softmax(input, class_dim), target, weight, ignore_index, reduction)


def _class_shape(ndim: int, class_dim: int, classes: int) -> tuple[int, ...]:
    """The shape that broadcasts per-class weights along ``class_dim``."""
    return tuple(classes if d == class_dim else 1 for d in range(ndim))


def _smoothed_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None, ignore_index: int, reduction: str,
                            label_smoothing: float, class_dim: int) -> Tensor:
    """(1 - s) nll + s / C * smooth, smooth = -sum_c w_c log_softmax(x)_c (0 where ignored), reduced as nll is."""
    log_probs = log_softmax(input, class_dim)
    nll = nll_loss(log_probs, target, weight, ignore_index, reduction)
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


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x where x > 0, else negative_slope * x. Gradient, by hand: 1 where x > 0, else negative_slope."""
    expect_tensor(input, "leaky_relu")
    return apply(classification.LeakyRelu, input, negative_slope=negative_slope)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (the two agree there to rounding).

    Gradient, by hand: sigmoid(beta x) (1 past the threshold).
    """
    expect_tensor(input, "softplus")
    return apply(classification.Softplus, input, beta=beta, threshold=threshold)


def _check_batch_norm_arguments(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
                                weight: Tensor | None, bias: Tensor | None, training: bool, eps: float) -> None:
    """PyTorch's checks of batch_norm's arguments (functional.py, then Normalization.cpp), in its order."""
    if training and math.prod(input.shape[i] for i in range(input.dim()) if i != 1) == 1:
        raise errors.batch_norm_one_value(input.shape)
    if training and eps <= 0.0:
        raise errors.batch_norm_eps(eps, training=True)
    if eps < 0.0:
        raise errors.batch_norm_eps(eps, training=False)
    features = input.shape[1]
    for name, value in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                        ("bias", bias)):
        if value is None and name.startswith("running") and not training:
            raise errors.batch_norm_missing(name)
        if value is not None and value.numel() != features:
            raise errors.batch_norm_size(name, features, value.numel())
    errors.check_floating_kernel("batch_norm", input.dtype)
    if any(t is not None and t.dtype != input.dtype for t in (running_mean, running_var, weight, bias)):
        raise errors.batch_norm_dtypes()


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """y = (x - mean) / sqrt(var + eps) * weight + bias per channel (dim 1), over all other dims.

    In training, mean and the biased var come from the batch, and the running statistics (when given) move
    toward the batch's: running = (1 - momentum) * running + momentum * batch, with the unbiased variance
    (n / (n - 1) times the biased one). Otherwise the running statistics normalize. Composed from tensor ops,
    so autograd differentiates through the batch statistics too.
    """
    expect_tensor(input, "batch_norm")
    for name, position, statistic in (("running_mean", 4, running_mean), ("running_var", 5, running_var)):
        if statistic is not None:
            expect_tensor(statistic, "batch_norm", name, position)
    _check_batch_norm_arguments(input, running_mean, running_var, weight, bias, training, eps)
    dims = (0, *range(2, input.dim()))
    stat_shape = _class_shape(input.dim(), 1, input.shape[1])
    if training:
        mean = input.mean(dims, keepdim=True)
        centered = input - mean
        squares = (centered * centered).sum(dims, keepdim=True)
        count = input.numel() // input.shape[1]
        var = squares / count
        if running_mean is not None:
            with no_grad():
                running_mean.copy_(momentum * mean.view(-1) + (1 - momentum) * running_mean)
                running_var.copy_(momentum * (squares / (count - 1)).view(-1) + (1 - momentum) * running_var)
    else:
        centered = input - running_mean.view(*stat_shape)
        var = running_var.view(*stat_shape)
    out = centered / (var + eps).sqrt()
    if weight is not None:
        out = out * weight.view(*stat_shape)
    return out if bias is None else out + bias.view(*stat_shape)
