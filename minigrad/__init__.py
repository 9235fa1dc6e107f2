"""minigrad: a small reverse-mode autograd engine with PyTorch's API, for learning how backward works.

    import minigrad as torch      # a beginner's PyTorch program, run on minigrad
    w = torch.tensor(2.0, requires_grad=True)
    z = 2 * w**2 + 5
    z.backward()                  # w.grad is tensor(8.)
"""

from . import autograd, cuda, nn, optim, utils, viz
from .autograd import enable_grad, no_grad, set_grad_enabled
from .autograd.grad_mode import is_grad_enabled
from .compile import compile  # noqa: A004  (PyTorch's name)
from .device import device
from .dtypes import bool, dtype, float32, float64, get_default_dtype, int32, int64, promote_types, uint8  # noqa: A004
from .explain import explain
from .factories import (
    BoolTensor,
    ByteTensor,
    DoubleTensor,
    FloatTensor,
    LongTensor,
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
from .kernels import are_exact_kernels_enabled, use_exact_kernels
from .kernels.fast.threads import get_num_threads, set_num_threads
from .random import Generator, initial_seed, manual_seed, seed
from .serialization import load, save
from .size import Size
from .tensor import Tensor

float = float32  # noqa: A001  (PyTorch's aliases)
double = float64
long = int64
int = int32  # noqa: A001

# The module-level forms of Tensor's methods: minigrad.exp(x) is x.exp(), and minigrad.exp(2.0) a TypeError.
add, sub, mul, div = Tensor.add, Tensor.sub, Tensor.mul, Tensor.div  # as in PyTorch, numbers too: add(2, 3) is 5
pow = _module_form(Tensor.pow, number_input=True)  # noqa: A001  (pow(2, x) is 2 ** x; pow(2, 3) a TypeError)
rsub, neg, matmul = map(_module_form, (Tensor.rsub, Tensor.neg, Tensor.matmul))
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
    "DoubleTensor",
    "FloatTensor",
    "Generator",
    "LongTensor",
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
    "flatten",
    "float",
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
    "initial_seed",
    "int",
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


def __dir__() -> list[str]:  # dir() and tab completion: the names above, not the files this package is built from
    return __all__
