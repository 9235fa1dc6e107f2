"""``Optimizer``: parameter groups, per-parameter state, ``zero_grad`` and ``state_dict``, as ``torch.optim``."""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from .. import errors
from .. import kernels as K
from ..autograd import versions
from ..autograd.grad_mode import enable_grad, no_grad
from ..dtypes import float16, float32
from ..tensor import Tensor

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]]


class Optimizer:
    """Base class: holds ``param_groups`` (dicts of parameters and hyperparameters) and ``state``.

    Subclasses define ``_update`` (one parameter's step, called by ``step``) or ``step`` itself; either reads
    each parameter's ``.grad`` and updates the parameter in place.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise errors.params_is_tensor(params.type())
        groups = list(params)
        if not groups:
            raise errors.empty_params()
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters, with hyperparameters that default to the optimizer's."""
        if not isinstance(param_group, dict):
            raise errors.param_group_not_dict(param_group)
        params = param_group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        for param in params:
            if not isinstance(param, Tensor):
                raise errors.not_optimizable(param)
            if not param.is_leaf:
                raise errors.non_leaf_param()
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in seen for p in params):
            raise errors.duplicate_params()
        self.param_groups.append({**param_group, "params": params})

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradient of every parameter: to None (the default), or to zeros."""
        for group in self.param_groups:
            for param in group["params"]:
                param._reset_grad(set_to_none)

    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        """Update every parameter that has a gradient; ``closure`` (re-evaluating the loss) is called first."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        self._check_state()
        with no_grad():
            for group in self.param_groups:
                for param in group["params"]:
                    if param.grad is None:
                        continue
                    state = self.state[param] if self._keeps_state(group) else {}
                    if param.dtype is float16:
                        self._update_half(param, group, state)
                    else:
                        self._update(param, group, state)
        return loss

    def _keeps_state(self, group: dict[str, Any]) -> bool:
        """Whether a step with ``group``'s hyperparameters keeps per-parameter state (``self.state``, in the
        ``state_dict``): PyTorch's SGD without momentum keeps none."""
        return True

    def _check_state(self) -> None:
        """Refuse a step before it changes anything: every state tensor of a parameter to update (a momentum or
        average buffer, perhaps loaded from another model's optimizer) must have the parameter's shape.

        PyTorch finds the mismatch in the middle of its update (after earlier parameters, or part of this one,
        have changed) and raises its broadcasting error; this raises the same error before any update.
        """
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None or param not in self.state:
                    continue
                for value in self.state[param].values():
                    if isinstance(value, Tensor) and value.dim() > 0 and value.shape != param.shape:
                        shape = K.broadcast_shapes(tuple(value.shape), tuple(param.shape))  # may raise torch's error
                        out = value if shape != tuple(value.shape) else param
                        raise errors.output_shape_mismatch(out.shape, shape)

    def _update_half(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        """``_update`` of a float16 parameter (numba has no float16): the step computed in float32 on float32 copies
        of the parameter, its gradient and its state, each written back rounded to float16, the dtype PyTorch keeps
        them in."""
        wide = Tensor._make(K.widened(param._data))
        wide.grad = Tensor._make(K.widened(param.grad._data))
        wide_state = {k: Tensor._make(K.widened(v._data)) if isinstance(v, Tensor) and v.dtype is float16 else v
                      for k, v in state.items()}
        self._update(wide, group, wide_state)
        K.write(param._data, wide._data)
        count_writes(param, versions.version(wide._data))  # (the writes the step made to the copy)
        for k, v in wide_state.items():
            if isinstance(v, Tensor) and v.dtype is float32 and (k not in state or state[k].dtype is float16):
                if k in state:
                    K.write(state[k]._data, v._data)
                else:
                    state[k] = Tensor._make(K.cast(v._data, K.HALF))
            else:
                state[k] = v

    def _update(self, param: Tensor, group: dict[str, Any], state: dict[str, Any]) -> None:
        """One step of ``param`` from its ``.grad``, with ``group``'s hyperparameters and its ``state`` (empty at
        first, to be filled)."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """The state and hyperparameters, with parameters replaced by their position (0, 1, ...) in the groups."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            for param in group["params"]:
                index.setdefault(id(param), len(index))
            groups.append({**{k: v for k, v in group.items() if k != "params"},
                           "params": [index[id(p)] for p in group["params"]]})
        state = {index[id(p)]: value for p, value in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore state and hyperparameters saved by ``state_dict`` (checked against this optimizer's groups)."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise errors.state_dict_groups()
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(self.param_groups, saved_groups)):
            raise errors.state_dict_group_size()
        params = {i: p for s, g in zip(saved_groups, self.param_groups) for i, p in zip(s["params"], g["params"])}
        self.state = defaultdict(dict)
        for i, value in state_dict["state"].items():
            param = params[i]
            # As in PyTorch, state tensors are cast to the parameter's dtype, not copied: a buffer of the same
            # dtype is shared with the optimizer that saved it. The step count is shared whatever its dtype.
            self.state[param] = {k: (v if k == "step" else v.to(param.dtype)) if isinstance(v, Tensor)
                                 else copy.deepcopy(v) for k, v in value.items()}
        for group, saved in zip(self.param_groups, saved_groups):
            group.update({k: v for k, v in saved.items() if k != "params"})

    def __repr__(self) -> str:
        text = f"{type(self).__name__} ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {key}: {group[key]}\n" for key in sorted(group) if key != "params")
        return text + ")"


def count_step(state: dict[str, Any]) -> float:
    """Add one to ``state['step']``, a 0-d tensor (float32, as PyTorch keeps it), and return the new count."""
    step = state["step"]._data
    step += 1
    return float(step)


def count_writes(param: Tensor, writes: int) -> None:
    """Count ``writes`` in-place writes to ``param``, one per in-place op of PyTorch's update: its version counter
    then reads as PyTorch's (a graph that saved ``param`` before the step fails at backward, with its versions)."""
    for _ in range(writes):
        versions.bump(param._data)
