"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights; ``UninitializedParameter``,
one whose shape a lazy module learns from its first input."""

from collections.abc import Sequence
from typing import Any

from .. import factories
from ..dtypes import dtype as DType
from ..factories import zeros
from ..size import Size
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


class UninitializedParameter(Parameter):
    """A parameter without a shape yet (a lazy module's, until its first call): ``materialize`` gives it one, and
    from then on it is a plain ``Parameter`` (the same object, so an optimizer made before still holds it). Reading
    its shape before then raises PyTorch's error."""

    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: DType | None = None) -> None:
        super().__init__(factories.empty(0, dtype=dtype, device=device), requires_grad)

    def materialize(self, shape: Sequence[int], device: Any = None, dtype: DType | None = None) -> None:
        """Become a ``Parameter`` of ``shape`` (uninitialised values: the lazy module draws them next)."""
        self.data = factories.empty(*shape, dtype=dtype or self.dtype, device=device)
        self.__class__ = self.cls_to_become

    @property
    def shape(self) -> Size:
        raise RuntimeError("Can't access the shape of an uninitialized parameter or buffer. This error usually "
                           "happens in `load_state_dict` when trying to load an uninitialized parameter into an "
                           "initialized one. Call `forward` to initialize the parameters before accessing their "
                           "attributes.")

    def __repr__(self) -> str:
        return "<UninitializedParameter>"
