"""The op registry: every op minigrad can record, each defined once (PyTorch's ``derivatives.yaml``).

An op is a class with a ``forward`` (arrays in, array out, through kernels) and a ``backward`` (the
output's gradient in, one gradient per input out), plus data for people and for the tests:

- ``formulas``: the derivative of each input, as a reader writes it on paper (printed by teaching tools, and
  gathered in ``docs/formulas.md``);
- ``torch``: the PyTorch callable it mirrors (a dotted name: minigrad never imports torch); minigrad's
  twin is the same path under ``minigrad``, and the tests call both;
- ``grad_fn``: PyTorch's name for the recorded node (``MulBackward0``), or ``grad_fn_name`` for ops whose
  name depends on the inputs (``SumBackward0`` over everything, ``SumBackward1`` over a dim);
- ``promotion``: how input dtypes combine (see ``Promotion``), and ``check``: dtypes it refuses;
- ``returns_view``: the output may be a view of the input's memory (reshaping, transposing, indexing);
- ``saved_names``: what PyTorch's node shows as ``_saved_<name>`` (``_saved_self``), by the name this op saves it
  under, or a function of the context (``grad_fn._saved_self`` reads it);
- ``opmath_scalar``, ``half_params``: how number operands and params enter the op's float16 computation (see the
  attributes);
- ``jvp`` (optional) with ``jvp_formulas``: forward mode's rule, the output's tangent from the inputs' tangents (None
  for an input without one), written beside backward over the same kernels, with its text (``d(a*b) = da*b + a*db``).
  It sees the inputs, the output and the params forward had (``autograd.forward_ad.Primals``); ``ops.jvp`` has the
  rules many ops share (linear ops: the op on the tangents). An op without one gets its tangent from its backward,
  transposed (see ``autograd.forward_ad``).
- for ``create_graph`` (see ``higher_order``), optionally: ``recomputed``, arrays forward made that a recorded backward
  makes again from the inputs; ``backward_function``, PyTorch's backward function of a piecewise-linear op and the
  saved array (or input position) it takes with derivative 0, so the gradient differentiates again to zeros; or
  ``recorded_backward``, an op of (grad, *inputs) that computes the gradients when they are recorded, where PyTorch's
  backward function has derivatives of its own (prelu's).

``@register`` checks the data is complete, so an op cannot be added without it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from ..autograd.engine import Context, expose_saved


class Promotion(enum.Enum):
    """How an op's tensor inputs are converted before forward."""

    NONE = "inputs used as they are"
    COMMON = "all inputs cast to their promoted dtype (PyTorch's type promotion)"
    FLOAT = "as COMMON, then integer and bool results become the default float dtype"
    SAME = "inputs must already share a dtype (an error otherwise, as for matmul)"


class Op:
    """Base of every op. Subclasses set the class attributes below and define forward and backward."""

    torch: ClassVar[str]
    formulas: ClassVar[tuple[str, ...]]
    promotion: ClassVar[Promotion] = Promotion.COMMON
    differentiable: ClassVar[bool] = True
    returns_view: ClassVar[bool] = False  # the output may share memory with the first input
    differentiable_outputs: ClassVar[int] = 1  # how many leading outputs gradients flow from (backward takes each)
    saved_names: ClassVar[dict[str, Any]] = {}  # PyTorch's _saved_<name> -> the saved array's name, or f(ctx)
    grad_fn: ClassVar[str]  # default: the class name + "Backward0"
    jvp: ClassVar[Callable[..., Any] | None] = None  # (primals, *tangents) -> the output's tangent (see above)
    jvp_formulas: ClassVar[tuple[str, ...]] = ()
    backward_function: ClassVar[tuple[str, str | int] | None] = None  # (PyTorch's backward function, what it takes)
    recorded_backward: ClassVar[type[Op] | None] = None  # an op of (grad, *inputs) giving the gradients when recorded
    # float16 inputs: a number operand (or a 0-d tensor as the second) enters as its own value in float32, not
    # rounded to float16 first (PyTorch's CPU mul and div kernels read it so: ``original_scalar_value<opmath_t>``)
    opmath_scalar: ClassVar[bool] = False
    half_params: ClassVar[tuple[str, ...]] = ()  # number params PyTorch converts to a float16 tensor's dtype first
    # Worked out once per op from the above (``__init_subclass__``), so that each application reads one flag:
    unchecked: ClassVar[bool] = True  # no ``check``: every input dtype is accepted
    as_given: ClassVar[bool] = False  # promotion NONE: the inputs are used as they are
    to_float: ClassVar[bool] = False  # promotion FLOAT: integer and bool inputs are converted
    fixed_name: ClassVar[bool] = True  # no ``grad_fn_name``: every node of the op is called ``grad_fn``

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.unchecked = cls.check is Op.check
        cls.as_given, cls.to_float = cls.promotion is Promotion.NONE, cls.promotion is Promotion.FLOAT
        cls.fixed_name = cls.grad_fn_name is Op.grad_fn_name

    @staticmethod
    def grad_fn_name(ctx: Context, *inputs: np.ndarray, **params: Any) -> str:
        """PyTorch's name for the node of this application, where it depends on the inputs or params (called with
        forward's arguments, after forward, when the graph is recorded). Ops with one name set ``grad_fn`` only."""
        raise NotImplementedError

    @staticmethod
    def check(dtypes: list[np.dtype]) -> None:
        """Raise PyTorch's error for input dtypes the op refuses (given before promotion; numbers too)."""

    @staticmethod
    def torch_edges(edges: tuple[Any, ...]) -> tuple[Any, ...]:
        """The node's edges (one per input of forward) in the order PyTorch's node lists them (``next_functions``),
        where its op takes its inputs in another order."""
        return edges

    @staticmethod
    def torch_arguments(inputs: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        """How the ``torch`` callable takes forward's inputs and params (for replaying a step in PyTorch)."""
        return inputs, params

    @staticmethod
    def forward(ctx: Context, *inputs: np.ndarray, **params: Any) -> np.ndarray | tuple[np.ndarray, ...]:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        raise NotImplementedError


REGISTRY: dict[str, type[Op]] = {}


def register(op: type[Op]) -> type[Op]:
    """Add ``op`` to the registry after checking it carries its formulas and torch name."""
    name = op.__name__
    if name in REGISTRY:
        raise ValueError(f"op {name} is registered twice")
    for field in ("torch", "formulas"):
        if not getattr(op, field, None):
            raise TypeError(f"op {name} must define {field!r}")
    if (op.jvp is None) != (not op.jvp_formulas):
        raise TypeError(f"op {name} must define jvp and jvp_formulas together")
    if not op.torch.startswith("torch."):
        raise TypeError(f"op {name}: torch counterpart must be a dotted name under torch, got {op.torch!r}")
    if "grad_fn" not in op.__dict__:
        op.grad_fn = f"{name}Backward0"
    REGISTRY[name] = op
    expose_saved(op.saved_names)
    return op

