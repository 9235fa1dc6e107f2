"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights."""

from ..factories import zeros
from ..tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad by default and that modules collect in ``parameters()``.

    It shares memory with the tensor it wraps, as ``torch.nn.Parameter`` does.
    """

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        data = zeros(0) if data is None else data
        self._init(data._data, requires_grad=False, grad_fn=None)
        self._set_requires_grad(requires_grad, "factory")  # PyTorch words it as its factories do

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
