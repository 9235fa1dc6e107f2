"""``autograd.grad`` and ``autograd.backward``: the engine's entry points for tensors, as ``torch.autograd`` has them.

``backward`` adds the gradients into the leaves' ``.grad`` (or, given ``inputs``, into those tensors' only);
``grad`` returns the gradients of the chosen tensors and writes nothing. Both run only the nodes on a path from the
outputs to what they are asked for. The tensors come in from the caller: this module works through their
``_grad_edge()`` and arrays, and builds results with their class.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import errors
from .. import kernels as K
from . import engine

# engine.backward and engine.grad run on tensors, each step recorded (``create_graph=True``): the Tensor layer hands
# them over when it loads (``minigrad.higher_order``).
_recorded: dict[str, Callable[..., Any]] = {}


_CYCLE_WARNED = False  # backward(create_graph=True)'s warning is given once, as PyTorch's


def use_recorded(**runs: Callable[..., Any]) -> None:
    """Set the recorded forms of ``backward`` and ``grad``."""
    _recorded.update(runs)


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def _roots(outputs: tuple[Any, ...], grad_outputs: Any, create_graph: bool = False
           ) -> tuple[list[engine.Edge], list[Any]]:
    """Each output's edge and the gradient it starts from (1 for a scalar given none), with PyTorch's errors: arrays,
    or for ``create_graph`` tensors (a given gradient may itself require grad)."""
    given = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    if len(given) != len(outputs):
        raise errors.grad_outputs_count(len(given), len(outputs))
    edges, seeds = [], []
    for i, (out, g) in enumerate(zip(outputs, given)):
        if not out.requires_grad:
            raise errors.backward_without_graph(i)
        if g is None:
            if out.numel() != 1:
                raise errors.implicit_grad_not_scalar()
            seeds.append(K.scalar(1, out._data.dtype).reshape(out._data.shape))
        else:
            if tuple(g.shape) != tuple(out.shape):
                raise errors.grad_output_shape(g.shape, out.shape, i)
            seeds.append(g.to(out.dtype) if create_graph else K.cast(g._data, out._data.dtype))
        if create_graph and g is None:
            seeds[-1] = type(out)._make(seeds[-1])
        edges.append(out._grad_edge())
    return edges, seeds


def _targets(inputs: tuple[Any, ...]) -> list[engine.Edge]:
    targets = []
    for t in inputs:
        if not t.requires_grad:
            raise errors.differentiated_without_grad()
        targets.append(t._grad_edge())
    return targets


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool | None = None,
         materialize_grads: bool = False) -> tuple[Any, ...]:
    """d(outputs)/d(inputs) as a vector-Jacobian product: for each input, the sum over outputs of
    grad_output · d(output)/d(input) (grad_output 1 for a scalar output). ``.grad`` is left untouched."""
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    roots, seeds = _roots(outputs, grad_outputs, create_graph)
    targets = _targets(inputs)
    run = _recorded["grad"] if create_graph else engine.grad
    found = run(roots, seeds, targets, retain_graph=create_graph if retain_graph is None else retain_graph)
    results = []
    for i, (t, g) in enumerate(zip(inputs, found)):
        if g is None and materialize_grads:
            g = K.zeros(t._data.shape, t._data.dtype)
        elif g is None and not allow_unused:
            raise errors.unused_input(i)
        if isinstance(g, (np.ndarray, np.generic)):  # (a recorded pass gives tensors already; numpy scalars: 0-dim)
            g = type(t)._make(np.asarray(g))
        results.append(None if g is None else g.to(t.dtype))
    return tuple(results)


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
             inputs: Sequence[Any] | None = None) -> None:
    """Add d(tensors)/d(leaf) into every leaf's ``.grad`` (``grad_tensors``: the gradients to start from), or, given
    ``inputs``, into those tensors' ``.grad`` only (leaves or not)."""
    roots, seeds = _roots(_as_tuple(tensors), grad_tensors, create_graph)
    retain_graph = create_graph if retain_graph is None else retain_graph
    global _CYCLE_WARNED
    if create_graph and not _CYCLE_WARNED:
        _CYCLE_WARNED = True
        warnings.warn(errors.create_graph_cycle_warning(), UserWarning, stacklevel=3)
    if inputs is None:
        (_recorded["backward"] if create_graph else engine.backward)(roots, seeds, retain_graph=retain_graph)
        return
    inputs = _as_tuple(inputs)
    if not inputs:
        raise errors.empty_backward_inputs()
    for t in inputs:
        if not t.requires_grad:
            raise errors.retain_grad_without_grad()
    found = (_recorded["grad"] if create_graph else engine.grad)(roots, seeds, _targets(inputs),
                                                                 retain_graph=retain_graph)
    for t, g in zip(inputs, found):
        if g is not None:
            t._accumulate_grad([g.to(t.dtype) if create_graph else K.cast(g, t._data.dtype)])
