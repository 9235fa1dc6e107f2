"""Layers with weights: ``Linear``, ``LazyLinear``, ``Bilinear`` (and ``F.bilinear``); and ``Identity``, which
passes its input through."""

import math
from typing import Any

from .. import factories
from ..autograd.grad_mode import no_grad
from ..dtypes import dtype as DType
from ..tensor import Tensor
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter, UninitializedParameter


class Identity(Module):
    """y = x (a placeholder layer; any constructor arguments are ignored)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """y = x W^T + b, with W of shape (out_features, in_features) and b of shape (out_features,).

    Initialised as PyTorch does, from the same random stream: W ~ U(-1/sqrt(in), 1/sqrt(in)) by way of
    ``kaiming_uniform_(a=sqrt(5))``, then b ~ U(-1/sqrt(in), 1/sqrt(in)).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device: Any = None,
                 dtype: DType | None = None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(factories.empty(out_features, in_features, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(factories.empty(out_features, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh initial values (weight first, then bias), as ``torch.nn.Linear`` does."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"



class LazyLinear(Linear):
    """A ``Linear`` whose ``in_features`` is read from its first input's last dim.

    Until then ``weight`` and ``bias`` are ``UninitializedParameter``s and it prints ``in_features=0``. Its first
    call gives them their shapes, draws them as ``Linear`` does (from the random stream at that moment) and turns
    the module into a ``Linear`` (PyTorch's ``cls_to_become``).
    """

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device: Any = None, dtype: DType | None = None) -> None:
        super().__init__(0, 0, False)
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)

    def reset_parameters(self) -> None:
        """Linear's draws, once the parameters have their shapes (nothing before)."""
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def has_uninitialized_params(self) -> bool:
        return any(isinstance(p, UninitializedParameter) for p in self.parameters())

    def initialize_parameters(self, input: Tensor) -> None:
        """Shapes from ``input``: weight (out_features, input's last dim), bias (out_features,); then the draws."""
        if self.has_uninitialized_params():
            with no_grad():
                self.in_features = input.shape[-1]
                self.weight.materialize((self.out_features, self.in_features))
                if self.bias is not None:
                    self.bias.materialize((self.out_features,))
                self.reset_parameters()

    def forward(self, input: Tensor) -> Tensor:
        self.initialize_parameters(input)
        self.__class__ = self.cls_to_become
        return self.forward(input)

def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_k = x1ᵀ A_k x2 + b_k for each output k, A = ``weight`` (out, in1, in2), over the leading (batch) dims.

    Composed as PyTorch's ``at::bilinear`` (which flattens the batch and calls ``_trilinear``): for each k, x1 A_k
    by one matrix product (all k at once), then its row-wise dot with x2. The sums run in another order than
    ``_trilinear``'s, so the values agree to float rounding."""
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and {input2.dim()}")
    for i in range(input1.dim() - 1):
        if input1.size(i) != input2.size(i):
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: got {input1.size(i)} "
                               f"and {input2.size(i)}")
    for name, size, expected in (("input1", input1.size(-1), weight.size(1)), ("input2", input2.size(-1),
                                                                                weight.size(2))):
        if size != expected:
            raise RuntimeError(f"bilinear(): {name} size does not match weight size: got {size} but expected "
                               f"{expected}")
    if bias is not None and bias.size(0) != weight.size(0):
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got {bias.size(0)} but expected "
                           f"{weight.size(0)}")
    out_features, in1, in2 = weight.shape
    x1, x2 = input1.reshape(-1, in1), input2.reshape(-1, in2)
    left = x1.matmul(weight.permute(1, 0, 2).reshape(in1, out_features * in2)).view(-1, out_features, in2)
    output = (left * x2.unsqueeze(1)).sum(-1).reshape(*input1.shape[:-1], out_features)
    return output if bias is None else output + bias


class Bilinear(Module):
    """y = x1ᵀ A x2 + b (``bilinear``), A (out_features, in1_features, in2_features), b (out_features,).

    Initialised as PyTorch does: A, then b, from U(−1/sqrt(in1_features), 1/sqrt(in1_features)).
    """

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: DType | None = None) -> None:
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = Parameter(factories.empty(out_features, in1_features, in2_features, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(factories.empty(out_features, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh initial values (weight first, then bias), as ``torch.nn.Bilinear`` does."""
        if self.in1_features <= 0:
            raise ValueError(f"in1_features must be > 0, but got (in1_features={self.in1_features})")
        bound = 1 / math.sqrt(self.weight.size(1))
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
