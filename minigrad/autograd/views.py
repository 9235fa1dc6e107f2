"""In-place writes into views: how the graph of the viewed tensor (the base) is rewritten, as PyTorch does.

``y = b[0]; y.mul_(2)`` changes ``b``. Its gradient must now go through the multiplication for the
elements under ``y`` and straight through for the others. PyTorch records this as a ``CopySlices`` node
that replaces ``b``'s ``grad_fn``: it takes ``b``'s gradient, hands the part under the view to the
in-place op's own node (``MulBackward0``), puts what that sends back for the view in place of the part, and
passes the result on to ``b``'s old history. A view whose base has changed since the view was made gets
an ``AsStridedBackward0`` node: its gradient lands at its positions in a zero gradient of the base.

Both nodes place a view in its base by ``positions``: each view element's flat position in the base
(``kernels.view_positions``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import kernels as K
from .engine import Context, Edge, Meta, Node, _apply


class CopySlices(Node):
    """The base's new history after the in-place op recorded by ``fn`` wrote into its view at ``positions``:

    grad_base = grad with grad[view] replaced by fn's gradient for its first input (the view),
    grad_other_i = fn's gradient for its input i (the in-place op's other operands).
    """

    def __init__(self, base_edge: Edge | None, base_meta: Meta, fn: Node,
                 positions: np.ndarray) -> None:
        super().__init__(op=fn.op, ctx=fn.ctx, edges=(base_edge, *fn.next_edges[1:]),
                         inputs=(base_meta, *fn.inputs[1:]))
        self.fn = fn
        self.positions = positions

    def name(self) -> str:
        return "CopySlices"

    def formulas(self) -> tuple[str, ...]:
        return ("d(base after base[view] written in place)/d(base) = grad, with grad[view] replaced by what the "
                f"in-place op ({self.fn.name()}) sends its input",
                *(f"d/d(operand {i}) = what {self.fn.name()} sends it" for i in range(1, len(self.inputs))))

    def apply(self, grad: np.ndarray, apply_fn: Callable[[Node, Any], tuple[Any, ...]] = _apply
              ) -> tuple[np.ndarray | None, ...]:
        """(``apply_fn``: how the in-place op's node runs; a recorded pass gives its own, and runs this with the
        kernels recorded: ``higher_order``.)"""
        result = K.copy(grad)
        grads = apply_fn(self.fn, K.gather(result, self.positions))
        view_grad = grads[0] if grads[0] is not None else K.zeros(self.positions.shape, result.dtype)
        K.put(result, self.positions, K.sum_to_shape(view_grad, self.positions.shape))
        return (result, *grads[1:])


class AsStridedBackward(Node):
    """A view's history once its base was written in place: grad_base = zeros, plus grad at the view's positions
    (repeated positions add up)."""

    def __init__(self, base_edge: Edge | None, base_meta: Meta,
                 positions: np.ndarray) -> None:
        super().__init__(op=None, ctx=Context(), edges=(base_edge,), inputs=(base_meta,))
        self.positions = positions

    def name(self) -> str:
        return "AsStridedBackward0"

    def formulas(self) -> tuple[str, ...]:
        return ("d(view)/d(base) = zeros like base, with grad added at the view's positions",)

    def apply(self, grad: np.ndarray) -> Sequence[np.ndarray]:
        shape, _ = self.inputs[0]
        return (K.scatter_add(grad, self.positions, shape),)
