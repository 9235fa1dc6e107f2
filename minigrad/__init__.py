"""minigrad: a small reverse-mode autograd engine with PyTorch's API, for learning how backward works.

    import minigrad as torch      # a beginner's PyTorch program, run on minigrad
    w = torch.tensor(2.0, requires_grad=True)
    z = 2 * w**2 + 5
    z.backward()                  # w.grad is tensor(8.)
"""

import sys as _sys

from . import autograd, cuda, hub, nn, optim, utils, viz
from . import errors as _errors
from .autograd import enable_grad, no_grad, set_grad_enabled
from .autograd.grad_mode import is_grad_enabled
from .compile import compile  # noqa: A004  (PyTorch's name)
from .device import device, get_default_device, set_default_device
from .dtypes import (
    bool,  # noqa: A004  (PyTorch's name)
    dtype,
    finfo,
    float16,
    float32,
    float64,
    get_default_dtype,
    iinfo,
    int8,
    int16,
    int32,
    int64,
    promote_types,
    uint8,
)
from .explain import explain, explain_forward
from .factories import (
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
    arange,
    empty,
    from_numpy,
    full,
    get_rng_state,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    randperm,
    set_rng_state,
    tensor,
    zeros,
    zeros_like,
)
from .functions import cat, stack, where
from .functions import module_form as _module_form
from .functions import out_form as _out_form
from .kernels import are_exact_kernels_enabled, use_exact_kernels
from .kernels.fast.threads import get_num_threads, set_num_threads
from .ops import reduction as _reduction
from .random import Generator, initial_seed, manual_seed, seed
from .serialization import load, save
from .size import Size
from .tensor import Number as _Number
from .tensor import Tensor, _dim, _takes_axis  # (dim's other name, axis=)
from .tensor import apply as _apply
from .tensor import expect_tensor as _expect_tensor

float = float32  # noqa: A001  (PyTorch's aliases)
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16

# The module-level forms of Tensor's methods: minigrad.exp(x) is x.exp(), and minigrad.exp(2.0) a TypeError.
add, sub, mul, div = map(_out_form, (Tensor.add, Tensor.sub, Tensor.mul, Tensor.div))  # numbers too: add(2, 3) is 5
multiply, subtract, divide, true_divide = map(  # PyTorch's aliases (numpy's names)
    _out_form, (Tensor.multiply, Tensor.subtract, Tensor.divide, Tensor.true_divide))
pow = _module_form(Tensor.pow, number_input=True)  # noqa: A001  (pow(2, x) is 2 ** x; pow(2, 3) a TypeError)
rsub, neg, matmul = map(_module_form, (Tensor.rsub, Tensor.neg, Tensor.matmul))
matmul = _out_form(matmul)  # out=: torch.matmul(a, b, out=c)
exp, log, sqrt, abs, sigmoid, relu, tanh, clamp = map(  # noqa: A001
    _module_form, (Tensor.exp, Tensor.log, Tensor.sqrt, Tensor.abs, Tensor.sigmoid, Tensor.relu, Tensor.tanh,
                  Tensor.clamp)
)
eq, ne, lt, le, gt, ge = map(_module_form, (Tensor.eq, Tensor.ne, Tensor.lt, Tensor.le, Tensor.gt, Tensor.ge))
sum, mean, max, min, argmax, argmin = map(  # noqa: A001
    _module_form, (Tensor.sum, Tensor.mean, Tensor.max, Tensor.min, Tensor.argmax, Tensor.argmin)
)
prod, var, std, cumsum, all, any = map(  # noqa: A001
    _module_form, (Tensor.prod, Tensor.var, Tensor.std, Tensor.cumsum, Tensor.all, Tensor.any)
)
maximum, minimum, masked_fill, gather, scatter = map(
    _module_form, (Tensor.maximum, Tensor.minimum, Tensor.masked_fill, Tensor.gather, Tensor.scatter)
)
flatten, split, chunk = map(_module_form, (Tensor.flatten, Tensor.split, Tensor.chunk))
clone, reshape, transpose, t, permute, squeeze, unsqueeze = map(
    _module_form, (Tensor.clone, Tensor.reshape, Tensor.transpose, Tensor.t, Tensor.permute, Tensor.squeeze,
                  Tensor.unsqueeze)
)

__all__ = [
    "BoolTensor",
    "ByteTensor",
    "CharTensor",
    "DoubleTensor",
    "FloatTensor",
    "Generator",
    "HalfTensor",
    "IntTensor",
    "LongTensor",
    "ShortTensor",
    "Size",
    "Tensor",
    "abs",
    "add",
    "all",
    "any",
    "arange",
    "are_exact_kernels_enabled",
    "argmax",
    "argmin",
    "autograd",
    "bool",
    "cat",
    "chunk",
    "clamp",
    "clone",
    "compile",
    "cuda",
    "cumsum",
    "device",
    "div",
    "double",
    "dtype",
    "empty",
    "enable_grad",
    "eq",
    "exp",
    "explain",
    "explain_forward",
    "finfo",
    "flatten",
    "float",
    "float16",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "gather",
    "ge",
    "get_default_dtype",
    "get_num_threads",
    "get_rng_state",
    "gt",
    "half",
    "hub",
    "iinfo",
    "initial_seed",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_grad_enabled",
    "le",
    "load",
    "log",
    "long",
    "lt",
    "manual_seed",
    "masked_fill",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mul",
    "ne",
    "neg",
    "nn",
    "no_grad",
    "ones",
    "ones_like",
    "optim",
    "permute",
    "pow",
    "prod",
    "promote_types",
    "rand",
    "randint",
    "randn",
    "randperm",
    "relu",
    "reshape",
    "rsub",
    "save",
    "scatter",
    "seed",
    "set_grad_enabled",
    "set_num_threads",
    "set_rng_state",
    "short",
    "sigmoid",
    "split",
    "sqrt",
    "squeeze",
    "stack",
    "std",
    "sub",
    "sum",
    "t",
    "tanh",
    "tensor",
    "transpose",
    "uint8",
    "unsqueeze",
    "use_exact_kernels",
    "utils",
    "var",
    "viz",
    "where",
    "zeros",
    "zeros_like",
]

# ----- creation, randomness, metadata and global settings -----------------------------------------------------
from . import accelerator, amp  # noqa: E402
from .accelerator import backends  # noqa: E402
from .amp import autocast  # noqa: E402
from .switches import (  # noqa: E402
    are_deterministic_algorithms_enabled,
    get_float32_matmul_precision,
    is_deterministic_algorithms_warn_only_enabled,
    set_float32_matmul_precision,
    use_deterministic_algorithms,
)

__version__ = "0.1.0"  # (pyproject.toml's)
__all__ += ["amp", "autocast"]
__all__ += ["are_deterministic_algorithms_enabled", "get_float32_matmul_precision",
            "is_deterministic_algorithms_warn_only_enabled", "set_float32_matmul_precision",
            "use_deterministic_algorithms"]
from .autograd.anomaly import is_anomaly_check_nan_enabled, is_anomaly_enabled  # noqa: E402
from .autograd.grad_mode import inference_mode, is_inference_mode_enabled  # noqa: E402
from .factories import (  # noqa: E402
    as_tensor,
    bernoulli,
    empty_like,
    eye,
    full_like,
    is_floating_point,
    is_tensor,
    linspace,
    logspace,
    multinomial,
    normal,
    numel,
    poisson,
    rand_like,
    randint_like,
    randn_like,
    set_default_dtype,
)
from .printing import set_printoptions  # noqa: E402

__all__ += ["accelerator", "as_tensor", "backends", "bernoulli", "empty_like", "eye", "full_like", "get_default_device",
            "inference_mode", "is_anomaly_check_nan_enabled", "is_anomaly_enabled", "is_floating_point",
            "is_inference_mode_enabled", "is_tensor", "linspace", "logspace",
            "multinomial", "normal", "numel", "poisson", "rand_like", "randint_like", "randn_like",
            "set_default_device", "set_default_dtype", "set_printoptions"]


# ----- linalg: the matrix products -----
mm, bmm, mv, dot, vdot, outer, inner, addmm, addmv, baddbmm = map(
    _module_form, (Tensor.mm, Tensor.bmm, Tensor.mv, Tensor.dot, Tensor.vdot, Tensor.outer, Tensor.inner,
                  Tensor.addmm, Tensor.addmv, Tensor.baddbmm)
)
__all__ += ["addmm", "addmv", "baddbmm", "bmm", "dot", "inner", "mm", "mv", "outer", "vdot"]
trace, diag, diagonal, diag_embed, tril, triu, kron, cross = map(
    _module_form, (Tensor.trace, Tensor.diag, Tensor.diagonal, Tensor.diag_embed, Tensor.tril, Tensor.triu,
                  Tensor.kron, Tensor.cross)
)
__all__ += ["cross", "diag", "diag_embed", "diagonal", "kron", "trace", "tril", "triu"]
slogdet, logdet, svd, qr = map(_module_form, (Tensor.slogdet, Tensor.logdet, Tensor.svd, Tensor.qr))
__all__ += ["logdet", "qr", "slogdet", "svd"]


def einsum(equation: str, *operands: Tensor | list[Tensor]) -> Tensor:
    """The sum, over the letters of ``equation`` missing from its output, of the product of the operands at their
    letters: ``einsum("ij,jk->ik", a, b)`` is a @ b. The operands may also come as one list."""
    from .ops.linalg import Einsum
    from .tensor import apply

    tensors = operands[0] if len(operands) == 1 and isinstance(operands[0], list | tuple) else operands
    return apply(Einsum, *tensors, equation=equation)


__all__ += ["einsum"]

from .nn.rnn import lstm, lstm_cell  # noqa: E402  (torch.lstm, and one LSTM step: torch.lstm_cell)

__all__ += ["lstm", "lstm_cell"]

# linalg, create_graph=True (higher_order) and the derivatives of functions built on it build on the Tensor above
from . import func, functional_autodiff, higher_order, linalg, special, testing, variable  # noqa: E402, F401

autograd.functional = functional_autodiff  # torch.autograd.functional's name; importable by it too:
_sys.modules[f"{__name__}.autograd.functional"] = functional_autodiff
autograd.Variable = variable.Variable  # torch.autograd.Variable, a tensor-level name the autograd package is given

norm, inverse, det, dist = map(_module_form, (Tensor.norm, Tensor.inverse, Tensor.det, Tensor.dist))
__all__ += ["det", "dist", "func", "inverse", "linalg", "norm"]
from .dtypes import can_cast  # noqa: E402
from .factories import asarray, set_default_tensor_type, tril_indices, triu_indices  # noqa: E402
from .factories import deprecated_range as range  # noqa: A004, E402  (torch.range)
from .functions import (  # noqa: E402
    block_diag,
    broadcast_shapes,
    bucketize,
    cartesian_prod,
    cdist,
    concat,
    concatenate,
    isin,
    result_type,
    searchsorted,
    tensordot,
    trapezoid,
    trapz,
)

# torch's forms of functional ops whose arguments are F's (torch.conv2d(x, w) is F.conv2d(x, w))
from .nn.functional import (  # noqa: E402
    adaptive_avg_pool1d,
    avg_pool1d,
    bilinear,
    conv1d,
    conv2d,
    conv_transpose1d,
    conv_transpose2d,
    cosine_similarity,
    group_norm,
    hardshrink,
    layer_norm,
    max_pool1d,
    max_pool2d,
    pairwise_distance,
    pdist,
    pixel_shuffle,
    pixel_unshuffle,
    prelu,
)

__all__ += ["adaptive_avg_pool1d", "avg_pool1d", "bilinear", "conv1d", "conv2d", "conv_transpose1d",
            "conv_transpose2d", "cosine_similarity", "group_norm", "hardshrink", "layer_norm", "max_pool1d",
            "max_pool2d", "pairwise_distance", "pdist", "pixel_shuffle", "pixel_unshuffle", "prelu"]


def dropout(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """``F.dropout(input, p, training=train)`` (torch's form: ``train`` required)."""
    return nn.functional.dropout(input, p, train)


def alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """``F.alpha_dropout(input, p, training=train)``."""
    return nn.functional.alpha_dropout(input, p, train)


def feature_alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """``F.feature_alpha_dropout(input, p, training=train)``."""
    return nn.functional.feature_alpha_dropout(input, p, train)


__all__ += ["alpha_dropout", "dropout", "feature_alpha_dropout"]
__all__ += ["asarray", "block_diag", "broadcast_shapes", "bucketize", "can_cast", "cartesian_prod", "cdist", "concat",
            "concatenate", "isin", "range", "result_type", "searchsorted", "set_default_tensor_type", "tensordot",
            "trapezoid", "trapz", "tril_indices", "triu_indices"]
matrix_power, pinverse = map(_module_form, (Tensor.matrix_power, Tensor.pinverse))
__all__ += ["cholesky", "matrix_power", "pinverse"]
_CHOLESKY_WARNED = False  # torch.cholesky's deprecation warning is given once


def cholesky(input: Tensor, upper: bool = False) -> Tensor:  # noqa: A002  (PyTorch's name)
    """``linalg.cholesky`` under its older name (deprecated in PyTorch: a warning, once)."""
    global _CHOLESKY_WARNED
    if not _CHOLESKY_WARNED:
        _CHOLESKY_WARNED = True
        import warnings

        from .errors import cholesky_deprecated_warning
        warnings.warn(cholesky_deprecated_warning(), UserWarning, stacklevel=2)
    return linalg.cholesky(input, upper=upper)

from . import distributions  # noqa: E402  (torch.distributions: Normal, Categorical, ..., on the tensor ops above)

__all__ += ["distributions"]

relu_, sigmoid_, tanh_ = map(_module_form, (Tensor.relu_, Tensor.sigmoid_, Tensor.tanh_))
from .nn.functional import celu, celu_, selu, selu_, threshold, threshold_  # noqa: E402  (torch's forms of them too)

__all__ += ["celu", "celu_", "relu_", "selu", "selu_", "sigmoid_", "tanh_", "threshold", "threshold_"]

hsplit, vsplit, dsplit, isposinf, isneginf, isreal, diagflat, adjoint = map(
    _module_form, (Tensor.hsplit, Tensor.vsplit, Tensor.dsplit, Tensor.isposinf, Tensor.isneginf, Tensor.isreal,
                   Tensor.diagflat, Tensor.adjoint))
__all__ += ["adjoint", "diagflat", "dsplit", "hsplit", "isneginf", "isposinf", "isreal", "vsplit"]
quantile, nanquantile = map(_module_form, (Tensor.quantile, Tensor.nanquantile))
__all__ += ["nanquantile", "quantile"]
vmap = func.vmap  # (torch.vmap, torch.func's)
__all__ += ["vmap"]


# ----- reductions and ordering -----
amax, amin, logsumexp, sort, argsort, msort, topk, kthvalue, median, mode = map(
    _module_form, (Tensor.amax, Tensor.amin, Tensor.logsumexp, Tensor.sort, Tensor.argsort, Tensor.msort, Tensor.topk,
                  Tensor.kthvalue, Tensor.median, Tensor.mode)
)
cumprod, cummax, cummin, logcumsumexp, count_nonzero, nonzero, argwhere = map(
    _module_form, (Tensor.cumprod, Tensor.cummax, Tensor.cummin, Tensor.logcumsumexp, Tensor.count_nonzero,
                  Tensor.nonzero, Tensor.argwhere)
)


def var_mean(input: Tensor, dim: "int | tuple[int, ...] | None" = None, unbiased: "bool | None" = None,  # noqa: A002
             keepdim: "bool" = False, *, correction: "float | None" = None,
             axis: "int | tuple[int, ...] | None" = None) -> tuple[Tensor, Tensor]:
    """(var, mean) of ``input`` over ``dim``, each with its own gradient (``var`` and ``mean`` as they are)."""
    return _with_mean(_reduction.Var, "var_mean", input, _dim(dim, axis, "var_mean"), unbiased, keepdim, correction)


def std_mean(input: Tensor, dim: "int | tuple[int, ...] | None" = None, unbiased: "bool | None" = None,  # noqa: A002
             keepdim: "bool" = False, *, correction: "float | None" = None,
             axis: "int | tuple[int, ...] | None" = None) -> tuple[Tensor, Tensor]:
    """(std, mean) of ``input`` over ``dim``, each with its own gradient (``std`` and ``mean`` as they are)."""
    return _with_mean(_reduction.Std, "std_mean", input, _dim(dim, axis, "std_mean"), unbiased, keepdim, correction)


def _with_mean(op: type, function: str, input: Tensor, dim: "int | tuple[int, ...] | None",  # noqa: A002
               unbiased: "bool | None", keepdim: bool, correction: "float | None") -> tuple[Tensor, Tensor]:
    """(``op``: var or std, and the mean) over ``dim``, ``op``'s warnings naming ``function``."""
    spread = _apply(op, input, dim=dim, unbiased=unbiased, keepdim=keepdim, correction=correction, function=function)
    return spread, input.mean(dim, keepdim)


from .functions import aminmax  # noqa: E402  (dim and keepdim keyword-only)

__all__ += ["amax", "amin", "aminmax", "argsort", "argwhere", "count_nonzero", "cummax", "cummin", "cumprod",
            "kthvalue", "logcumsumexp", "logsumexp", "median", "mode", "msort", "nonzero", "sort", "std_mean", "topk",
            "var_mean"]

# ----- shape and selection ------------------------------------------------------------------------------------------
from .functions import (  # noqa: E402
    atleast_1d,
    atleast_2d,
    atleast_3d,
    broadcast_tensors,
    column_stack,
    dstack,
    hstack,
    meshgrid,
    vstack,
)

unflatten, swapaxes, swapdims, movedim, moveaxis, narrow, unbind, tensor_split, broadcast_to = map(
    _module_form, (Tensor.unflatten, Tensor.swapaxes, Tensor.swapdims, Tensor.movedim, Tensor.moveaxis, Tensor.narrow,
                   Tensor.unbind, Tensor.tensor_split, Tensor.broadcast_to)
)
unflatten = _module_form(_takes_axis(Tensor.unflatten))  # torch.unflatten takes axis=; its method, a Python one, not
flip, fliplr, flipud, roll, rot90, tile, repeat_interleave = map(
    _module_form, (Tensor.flip, Tensor.fliplr, Tensor.flipud, Tensor.roll, Tensor.rot90, Tensor.tile,
                   Tensor.repeat_interleave)
)
index_select, masked_select, take, take_along_dim, index_add, scatter_add = map(
    _module_form, (Tensor.index_select, Tensor.masked_select, Tensor.take, Tensor.take_along_dim, Tensor.index_add,
                   Tensor.scatter_add)
)
__all__ += ["atleast_1d", "atleast_2d", "atleast_3d", "broadcast_tensors", "broadcast_to", "column_stack", "dstack",
            "flip", "fliplr", "flipud", "hstack", "index_add", "index_select", "masked_select", "meshgrid", "moveaxis",
            "movedim", "narrow", "repeat_interleave", "roll", "rot90", "scatter_add", "swapaxes", "swapdims", "take",
            "take_along_dim", "tensor_split", "tile", "unbind", "unflatten", "vstack"]
index_put = _module_form(Tensor.index_put)
__all__ += ["index_put"]
__all__ += ["divide", "multiply", "subtract", "true_divide"]

from .storage import TypedStorage, UntypedStorage  # noqa: E402  (Tensor.storage()'s and untyped_storage()'s types)

__all__ += ["TypedStorage", "UntypedStorage"]

# ----- math ----------------------------------------------------------------------------------------------------------
_MATH = ("sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "asinh", "acosh", "atanh", "log1p",
         "expm1", "log2", "log10", "exp2", "rsqrt", "reciprocal", "square", "erf", "erfc", "erfinv", "sign", "sgn",
         "floor", "ceil", "round", "trunc", "frac", "fmod", "remainder", "floor_divide", "lerp", "hypot", "logaddexp",
         "addcmul", "addcdiv", "clip", "clamp_min", "clamp_max", "bitwise_and", "bitwise_or", "bitwise_xor",
         "bitwise_not", "logical_not", "logical_and", "logical_or", "logical_xor", "isnan", "isinf", "isfinite",
         "isclose", "allclose", "equal")
globals().update({_name: _module_form(getattr(Tensor, _name)) for _name in _MATH})
__all__ += list(_MATH)

# ----- nn: softmax and the activations PyTorch also has at top level -----------------------------------------------
softmax, log_softmax = map(_module_form, (Tensor.softmax, Tensor.log_softmax))
__all__ += ["log_softmax", "softmax"]

# ----- index_copy, index_fill, scatter_reduce; unique, bincount, histc ----------------------------------------------
from .functions import unique, unique_consecutive  # noqa: E402

index_copy, index_fill, scatter_reduce, bincount, histc, histogram = map(
    _module_form, (Tensor.index_copy, Tensor.index_fill, Tensor.scatter_reduce, Tensor.bincount, Tensor.histc,
                   Tensor.histogram)
)
__all__ += ["bincount", "histc", "histogram", "index_copy", "index_fill", "scatter_reduce", "unique",
            "unique_consecutive"]


# ----- PyTorch's other names (numpy's, mostly), and small functions -------------------------------------------------
_OTHER_NAMES = ("absolute", "negative", "negative_", "positive", "fix", "fix_", "arccos", "arccos_", "arcsin",
                "arcsin_", "arctan", "arctan_", "arccosh", "arccosh_", "arcsinh", "arcsinh_", "arctanh", "arctanh_",
                "arctan2", "greater", "greater_equal", "less", "less_equal", "not_equal", "ravel", "select",
                "float_power", "is_complex", "is_nonzero", "is_same_size", "is_signed", "get_device", "deg2rad",
                "deg2rad_", "rad2deg", "rad2deg_", "lgamma", "digamma", "logit", "logit_", "sinc", "sinc_",
                "nan_to_num", "nan_to_num_", "copysign", "signbit", "nansum", "nanmean", "diff", "cov", "corrcoef",
                "masked_scatter")
globals().update({_name: _module_form(getattr(Tensor, _name)) for _name in _OTHER_NAMES})
xlogy_ = _module_form(Tensor.xlogy_)


def xlogy(input: Tensor | _Number, other: Tensor | _Number) -> Tensor:  # noqa: A002  (PyTorch's name)
    """input * log(other), 0 where input is 0 (other not NaN); either may be a number."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise _errors.xlogy_arguments(input, other)
    return Tensor.xlogy(input, other)


def fmax(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The larger of the two elementwise, NaN losing to a number."""
    _expect_tensor(input, "fmax")
    _expect_tensor(other, "fmax", "other", 2)
    return input.fmax(other)


def fmin(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The smaller of the two elementwise, NaN losing to a number."""
    _expect_tensor(input, "fmin")
    _expect_tensor(other, "fmin", "other", 2)
    return input.fmin(other)


def polygamma(n: int, input: Tensor) -> Tensor:  # noqa: A002  (PyTorch's name)
    """The n-th derivative of digamma at each element of ``input``."""
    _expect_tensor(input, "polygamma", "input", 2)
    return input.polygamma(n)


__all__ += [*_OTHER_NAMES, "fmax", "fmin", "polygamma", "xlogy", "xlogy_"]

def __dir__() -> list[str]:  # dir() and tab completion: the names above, not the files this package is built from
    return __all__
