"""Every op in the registry against PyTorch: forward values, and the gradient of every input.

For each case in ``op_cases.CASES``, in float32 and float64, with contiguous inputs and with
non-contiguous ones (a transposed or strided view of a larger leaf), the test runs the op on minigrad
and on torch, backpropagates the same random cotangent through both, and compares outputs and every
leaf's gradient. Where torch raises, minigrad must raise the same exception type. Both kernel modes are checked
(PyTorch-exact and plain), to the same tolerance.

An op with several differentiable outputs (``differentiable_outputs``) gets a random cotangent on each. Where
its outputs are unique only up to a gauge (the signs of singular vectors and eigenvectors), ``GAUGES`` brings
minigrad's outputs, and the cotangents minigrad backpropagates, into torch's gauge before comparing (the same loss
then, so the same gradient).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, numpy_of
from op_cases import CASES, DOMAINS, Case, resolve, sample
from op_cases_linalg import GAUGES

import minigrad
from minigrad.ops.registry import REGISTRY, Promotion


def make_leaf(fw: Any, x: np.ndarray, layout: str, device: str | None) -> tuple[Any, Any]:
    """(leaf, input): the input is the leaf itself, or a non-contiguous view of a larger leaf."""
    kwargs = {"device": device} if device else {}
    if layout == "contiguous" or x.ndim == 0:
        leaf = fw.tensor(x, requires_grad=True, **kwargs)
        return leaf, leaf
    if x.ndim == 1:  # every other element of a leaf twice as long
        base = np.zeros(2 * x.shape[0], dtype=x.dtype)
        base[::2] = x
        leaf = fw.tensor(base, requires_grad=True, **kwargs)
        return leaf, leaf[::2]
    leaf = fw.tensor(np.ascontiguousarray(np.swapaxes(x, -1, -2)), requires_grad=True, **kwargs)
    return leaf, leaf.transpose(-1, -2)


Align = Callable[[list[np.ndarray]], list[np.ndarray]]


def alignment(case: Case, outs: list[Any], reference: list[Any] | None) -> Align:
    """The map that brings arrays laid out as ``outs`` into the gauge of torch's outputs ``reference`` (identity for
    ops whose outputs are unique)."""
    if reference is None or case.op not in GAUGES:
        return lambda arrays: arrays
    return GAUGES[case.op]([numpy_of(o) for o in outs], [numpy_of(o) for o in reference])


def run(fw: Any, case: Case, values: list[np.ndarray], layout: str, device: str | None, cotangent_seed: int,
        reference: list[Any] | None = None) -> tuple[Any, list[Any], BaseException | None, Align]:
    """Run the case on one framework: (outputs, leaves, exception, the alignment of the outputs with
    ``reference``'s, by which the cotangents were aligned too)."""
    op = REGISTRY[case.op]
    fn = resolve(op.torch, fw)
    leaves, inputs = zip(*(make_leaf(fw, v, layout, device) for v in values)) if values else ((), ())
    try:
        out = case.call(fn, inputs, fw, device)
    except (RuntimeError, IndexError, ValueError, TypeError) as error:
        return None, list(leaves), error, alignment(case, [], None)
    outs = list(out) if isinstance(out, tuple) else [out]
    first = outs[0]
    align = alignment(case, outs, reference)
    if op.differentiable and first.dtype.is_floating_point:
        rng = np.random.default_rng(cotangent_seed)
        graded = outs[:op.differentiable_outputs]
        kwargs = {"device": device} if device else {}
        vs = [fw.tensor(v, **kwargs) for v in align([rng.standard_normal(tuple(o.shape)).astype(values[0].dtype)
                                                      for o in graded])]
        try:
            if len(graded) == 1:
                first.backward(vs[0])
            else:  # the gradient of sum_i <out_i, v_i> reaching out_i is v_i, exactly
                terms = [(o * v).sum() for o, v in zip(graded, vs)]
                sum(terms[1:], terms[0]).backward()
        except (RuntimeError, IndexError, ValueError, TypeError) as error:  # torch refuses some backward passes
            return outs, list(leaves), error, align
    return outs, list(leaves), None, align


# Ops whose result PyTorch records as several nodes where minigrad records one node of its own (the op, with the
# derivative on one screen): that node's name, which stands for PyTorch's. Every other node is compared. (On CUDA
# PyTorch has nodes of its own for some kernels, as cuDNN's RNN: node names are compared on the CPU.)
COMPOSED_IN_TORCH = {
    "Einsum": "EinsumBackward0",  # PyTorch's einsum permutes, views and multiplies: its last step names the node
    "LstmCell": "LstmCellBackward0",  # PyTorch's lstm_cell: linear, chunk, sigmoid, tanh and mul nodes
    "LstmLayer": "MkldnnRnnLayerBackward0",  # PyTorch's CPU LSTM stacks per-step outputs (StackBackward0)
    "Matmul": "MatmulBackward0",  # batches of matrices: PyTorch's expand, views and bmm
}


@pytest.mark.parametrize("layout", ["contiguous", "noncontiguous"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_op_matches_torch(case: Case, dtype: str, layout: str, device: str, kernels: str) -> None:
    if device != "cpu" and case.cpu_only:
        pytest.skip(f"compared on the CPU only: {case.cpu_only}")
    values = sample(case, dtype)
    seed = case.seed
    expected, torch_leaves, torch_error, _ = run(torch, case, values, layout, device, seed + 1)
    actual, leaves, error, align = run(minigrad, case, values, layout, None, seed + 1, expected)
    if torch_error is not None:
        assert type(error) is type(torch_error), f"torch raised {torch_error!r}, minigrad {error!r}"
        return
    assert error is None, f"minigrad raised {error!r} where torch did not"
    assert len(actual) == len(expected)
    for i, (a, e) in enumerate(zip(align([numpy_of(a) for a in actual]), expected)):
        assert_close(minigrad.tensor(a), e, f"output {i}", case.float32_atol)
    assert (actual[0].grad_fn is None) == (expected[0].grad_fn is None), "graph recorded differently"
    if actual[0].grad_fn is not None and device == "cpu":
        name, torch_name = type(actual[0].grad_fn).__name__, type(expected[0].grad_fn).__name__
        assert name in (torch_name, COMPOSED_IN_TORCH.get(case.op)), f"node {name}, PyTorch's {torch_name}"
    for i, (leaf, torch_leaf) in enumerate(zip(leaves, torch_leaves)):
        if torch_leaf.grad is None:
            assert leaf.grad is None, f"input {i}: torch has no gradient, minigrad has one"
        else:
            assert_close(leaf.grad, torch_leaf.grad, f"gradient of input {i}", case.float32_atol)


def test_every_op_has_cases_and_complete_metadata() -> None:
    covered = {case.op for case in CASES}
    assert set(REGISTRY) <= covered, f"ops without cross-check cases: {sorted(set(REGISTRY) - covered)}"
    assert set(DOMAINS) <= set(REGISTRY), f"domains of ops not in the registry: {sorted(set(DOMAINS) - set(REGISTRY))}"
    for name, op in REGISTRY.items():
        resolve(op.torch, torch)  # the torch counterpart exists
        resolve(op.torch, minigrad)  # and minigrad's twin sits at the same path
        assert op.formulas and all(isinstance(f, str) for f in op.formulas), name
        assert isinstance(op.promotion, Promotion), name
        assert op.__doc__, f"{name} needs a docstring saying its math"


def test_registry_rejects_an_incomplete_op() -> None:
    from minigrad.ops.registry import Op, register

    class Half(Op):
        """x / 2."""

        torch = "torch.half"

    with pytest.raises(TypeError, match="formulas"):
        register(Half)
    assert "Half" not in REGISTRY
