"""Forward-mode rules shared by many ops (an op sets ``jvp = classmethod(<rule>)`` and its ``jvp_formulas``).

Each takes the op, what its forward had (``primals``: inputs, output, params, the op's context) and one tangent per
input (None for an input without one), and returns the output's tangent. Where a rule runs the op's own forward or
backward again, it is exact by the op's own arithmetic: nothing here approximates.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import kernels as K
from ..autograd.engine import Context


def _fresh(tangents: tuple[np.ndarray | None, ...]) -> Context:
    ctx = Context()
    ctx.needs_input_grad = tuple(t is not None for t in tangents)  # (an input without a tangent: a constant)
    return ctx


def _or_zeros(tangent: np.ndarray | None, x: np.ndarray) -> np.ndarray:
    """The tangent, zeros for a float input without one; other inputs (indices, masks) as they are."""
    return tangent if tangent is not None else K.zeros(x.shape, x.dtype) if x.dtype.kind == "f" else x


def linear_jvp(op: Any, primals: Any, *tangents: np.ndarray | None) -> np.ndarray:
    """f linear in its float inputs: d f(x) = f(dx), the op itself on the tangents."""
    return op.forward(_fresh(tangents), *map(_or_zeros, tangents, primals.inputs), **primals.params)


def bilinear_jvp(op: Any, primals: Any, *tangents: np.ndarray | None) -> np.ndarray:
    """f(a, b, c...) = B(a, b) + L(c...), B linear in a and in b apart, L linear (a product plus a bias: conv, cross):
    d f = B(da, b) + B(a, db) + L(dc...) = f(da, b, 0...) + f(a, db, dc...)."""
    (a, b, *rest), (da, db, *drest) = primals.inputs, tangents
    terms = []
    if da is not None:
        zeros = [_or_zeros(None, c) for c in rest]
        terms.append(op.forward(_fresh((da, None, *[None] * len(rest))), da, b, *zeros, **primals.params))
    if db is not None or any(t is not None for t in drest):
        others = (None, db, *drest)
        terms.append(op.forward(_fresh(others), a, _or_zeros(db, b), *map(_or_zeros, drest, rest), **primals.params))
    return terms[0] if len(terms) == 1 else K.add(*terms)


def multilinear_jvp(op: Any, primals: Any, *tangents: np.ndarray | None) -> np.ndarray:
    """f linear in each input apart (einsum): d f = sum over k of f(x_1, ..., dx_k, ..., x_n)."""
    terms = []
    for k, t in enumerate(tangents):
        if t is not None:
            inputs = [*primals.inputs[:k], t, *primals.inputs[k + 1:]]
            terms.append(op.forward(_fresh(tuple(t if i == k else None for i in range(len(inputs)))), *inputs,
                                    **primals.params))
    total = terms[0]
    for term in terms[1:]:
        total = K.add(total, term)
    return total


def _backward_again(op: Any, primals: Any, grad: np.ndarray) -> tuple[Context, np.ndarray | None]:
    """(the context of forward run again, saving for backward; backward's gradient of the first input for grad)."""
    ctx = Context()
    op.forward(ctx, *primals.inputs, **primals.params)
    return ctx, op.backward(ctx, grad)[0]


def self_adjoint_jvp(op: Any, primals: Any, dx: np.ndarray) -> np.ndarray:
    """An op of one input whose Jacobian is symmetric (elementwise ones: it is diagonal) has J dx = J^T dx: its
    backward applied to the tangent."""
    return _backward_again(op, primals, dx)[1]


def reduction_jvp(op: Any, primals: Any, dx: np.ndarray) -> np.ndarray:
    """A reduction over ``ctx.axes``, each output reading its own slice of x: d y = sum over the slice of w dx, with
    w = J^T 1 (backward of a gradient of ones)."""
    output = primals.output
    ctx, w = _backward_again(op, primals, K.expand(K.scalar(1, output.dtype), output.shape))
    if w is None:  # a piecewise-constant reduction (a count)
        return K.zeros(output.shape, output.dtype)
    return K.sum(K.mul(w, dx), ctx.axes).reshape(output.shape)
