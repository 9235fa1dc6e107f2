"""Guards: what must still hold for the compiled step to do what the eager step would.

The objects a step refers to (closure variables, the globals it names, its arguments, a bound method's object)
are found once; their tensors, modules and optimizers are checked on every call by a generated function.
"""

from __future__ import annotations

import builtins
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..autograd.grad_mode import grad_state, is_grad_enabled
from ..kernels import mode as kernel_mode
from ..nn.module import Module
from ..optim.optimizer import Optimizer
from ..tensor import Tensor


def referenced(step_fn: Callable[..., Any], args: tuple[Any, ...]) -> dict[str, Any]:
    """The objects ``step_fn`` refers to (closure variables, globals it names) and its arguments, by name."""
    found: dict[str, Any] = {}
    try:
        refs = inspect.getclosurevars(step_fn)
        found.update(refs.globals)
        found.update(refs.nonlocals)
    except TypeError:  # not a Python function (a callable object)
        pass
    owner = getattr(step_fn, "__self__", None)  # a bound method: its object's attributes
    if owner is not None and hasattr(owner, "__dict__"):
        found.update(vars(owner))
    try:
        names = list(inspect.signature(step_fn).parameters)
    except (TypeError, ValueError):
        names = []
    for i, arg in enumerate(args):
        found[names[i] if i < len(names) else f"arg{i}"] = arg
    return found


def named_tensors(objects: dict[str, Any]) -> list[tuple[str, Tensor]]:
    """Each tensor reachable from ``objects`` once, named: the tensors themselves, a module's parameters and
    buffers, an optimizer's parameters and state (named after their parameter), inside lists, tuples and dicts."""
    found: dict[int, tuple[str, Tensor]] = {}
    for name, t in _reachable(objects, {}):
        found.setdefault(id(t), (name, t))
    return list(found.values())


def _reachable(objects: dict[str, Any], names: dict[int, str]) -> Iterator[tuple[str, Tensor]]:
    for name, obj in objects.items():
        if isinstance(obj, Module):
            for sub, t in [*obj.named_parameters(), *obj.named_buffers()]:
                names.setdefault(id(t), f"{name}.{sub}")
                yield names[id(t)], t
    for name, obj in objects.items():
        if isinstance(obj, Tensor):
            names.setdefault(id(obj), name)
            yield names[id(obj)], obj
        elif isinstance(obj, (list, tuple)):
            yield from _reachable({f"{name}{i}": v for i, v in enumerate(obj)}, names)
        elif isinstance(obj, dict):
            yield from _reachable({f"{name}_{k}": v for k, v in obj.items() if isinstance(k, (str, int))}, names)
        elif isinstance(obj, Optimizer):
            for group in obj.param_groups:
                for i, p in enumerate(group["params"]):
                    base = names.setdefault(id(p), f"{name}.param{i}")
                    yield base, p
                    for key, value in obj.state.get(p, {}).items():
                        if isinstance(value, Tensor):
                            yield f"{base}.{key}", value


def identifier(name: str, taken: set[str]) -> str:
    """``name`` as a fresh Python identifier (model.0.weight -> model_0_weight)."""
    base = re.sub(r"\W", "_", name)
    base = base if base and not base[0].isdigit() else "_" + base
    unique, n = base, 1
    while unique in taken:
        n += 1
        unique = f"{base}_{n}"
    taken.add(unique)
    return unique


class Names:
    """The objects generated code refers to, each under one identifier: ``bound`` is the code's namespace."""

    def __init__(self, taken: set[str], bound: dict[str, Any]) -> None:
        self.taken, self.bound = taken, bound
        self._by_id: dict[int, str] = {}

    def bind(self, name: str, obj: Any) -> str:
        """The identifier of ``obj`` (``name``, made unique, the first time it is bound)."""
        if id(obj) not in self._by_id:
            self._by_id[id(obj)] = identifier(name, self.taken)
            self.bound[self._by_id[id(obj)]] = obj
        return self._by_id[id(obj)]


@dataclass
class Guards:
    """What must hold for the compiled step to do what the eager one would. ``holds(args)``, made by ``compile``,
    is the quick test made on every call; ``failure`` says in words what failed."""

    grad_mode: bool
    exact_kernels: bool  # the kernel mode: the step replays the kernels it traced
    arguments: list[tuple[Any, ...]]  # per argument: ("tensor", shape, dtype, requires_grad) or ("value", v)
    cells: list[tuple[str, Any, Any]]  # (name, closure cell, object it held)
    globals: list[tuple[str, Callable[[str], Any], Any]]  # (name, the step's globals' get, object it named)
    tensors: list[tuple[str, Tensor, np.ndarray, bool]]  # (name, tensor, its array, requires_grad)
    groups: list[tuple[str, dict[str, Any], dict[str, Any]]]  # (optimizer, a group, the group's items then)
    modes: list[tuple[str, Module, bool]]  # (name, module, training flag)

    def expression(self, names: Names) -> str:
        """The guards as one Python expression over ``args`` and the objects it binds in ``names`` (as
        ``torch.compile`` generates its guard code: a call's checks are one pass through it, with no loop)."""
        bind = names.bind
        checks = [f"{bind('grad_state', grad_state)}.enabled {_same(self.grad_mode)}",
                  f"{bind('kernel_mode', kernel_mode)}.exact {_same(self.exact_kernels)}",
                  f"len(args) == {len(self.arguments)}"]
        for i, spec in enumerate(self.arguments):
            if spec[0] == "tensor":  # checked inline: a call to _argument_spec costs more than the step's arithmetic
                _, shape, dtype, requires_grad = spec
                arg = identifier(f"arg{i}", names.taken)
                checks.append(f"isinstance({arg} := args[{i}], {bind('Tensor', Tensor)}) and {arg}._data.shape == "
                              f"{shape} and {arg}._data.dtype == {bind(dtype.name, dtype)} and {arg}._requires_grad "
                              f"{_same(requires_grad)}")
            else:
                checks.append(f"{bind('argument_spec', _argument_spec)}(args[{i}]) == {bind(f'argument{i}', spec)}")
        for name, cell, obj in self.cells:
            checks.append(f"{bind(name + '_cell', cell)}.cell_contents is {bind(name, obj)}")
        for name, lookup, obj in self.globals:  # lookup: the globals' bound get (one attribute lookup less)
            checks.append(f"{bind('step_globals_get', lookup)}({name!r}) is {bind(name, obj)}")
        for name, tensor, array, requires_grad in self.tensors:
            t = bind(name, tensor)
            checks.append(f"{t}._data is {bind(name + '_data', array)} and {t}._requires_grad {_same(requires_grad)}")
        for name, group, items in self.groups:  # the params list is shared: its length tells a change
            g = bind(name + "_group", group)
            checks.append(f"{g} == {bind(name + '_group_then', items)} and len({g}['params']) == "
                          f"{len(items['params'])}")
        checks += [f"{bind(name, module)}.training {_same(training)}" for name, module, training in self.modes]
        return "(" + "\n            and ".join(checks) + ")"

    def compile(self) -> None:
        """Make ``holds(args)``, the guards as a function."""
        names = Names({"args"}, {})
        source = f"def holds(args):\n    return {self.expression(names)}\n"
        exec(builtins.compile(source, "<minigrad.compile guards>", "exec"), names.bound)
        self.holds = names.bound["holds"]

    def failure(self, args: tuple[Any, ...]) -> str:
        """What ``holds`` found false, in words."""
        if _changed(is_grad_enabled(), self.grad_mode):
            return f"grad mode is {'on' if is_grad_enabled() else 'off'}; it was {'on' if self.grad_mode else 'off'}"
        if _changed(kernel_mode.exact, self.exact_kernels):
            state = {True: "on", False: "off"}
            return f"exact kernels are {state[kernel_mode.exact]}; they were {state[self.exact_kernels]}"
        if len(args) != len(self.arguments):
            return f"the step got {len(args)} arguments; it was traced with {len(self.arguments)}"
        for i, (arg, traced) in enumerate(zip(args, self.arguments)):
            if _argument_spec(arg) != traced:
                return f"argument {i} is {_describe(_argument_spec(arg))}; it was {_describe(traced)}"
        for name, cell, obj in self.cells:
            if cell.cell_contents is not obj:
                return f"{name} now refers to another object"
        for name, lookup, obj in self.globals:
            if lookup(name) is not obj:
                return f"{name} now refers to another object"
        for name, tensor, array, requires_grad in self.tensors:
            if tensor._data is not array:
                return f"{name} has new data (assigned to .data, or loaded)"
            if _changed(tensor._requires_grad, requires_grad):
                return f"{name}.requires_grad is {tensor._requires_grad}; it was {requires_grad}"
        for name, group, items in self.groups:
            for key in sorted(set(group) | set(items)):
                if key == "params" and len(group["params"]) != len(items["params"]):
                    return f"{name} has {len(group['params'])} parameters; it had {len(items['params'])}"
                if key != "params" and group.get(key) != items.get(key):
                    return f"{name}'s {key} is {group.get(key)}; it was {items.get(key)}"
        for name, module, training in self.modes:
            if _changed(module.training, training):
                return f"{name}.training is {module.training!r}; it was {training!r}"
        return "the guards changed"


def _same(flag: Any) -> str:
    """How the guards compare a flag with its traced value: ``is`` for a bool (an identity test, no ``__eq__`` call)."""
    return f"is {flag}" if isinstance(flag, bool) else f"== {flag!r}"


def _changed(now: Any, then: Any) -> bool:
    """Whether a flag fails its guard (``_same``)."""
    return now is not then if isinstance(then, bool) else now != then


def _argument_spec(arg: Any) -> tuple[Any, ...]:
    if isinstance(arg, Tensor):
        return ("tensor", tuple(arg.shape), arg._data.dtype, arg.requires_grad)
    return ("value", arg)


def _describe(spec: tuple[Any, ...]) -> str:
    if spec[0] == "tensor":
        return f"a {spec[2]} tensor of shape {list(spec[1])}" + (" requiring grad" if spec[3] else "")
    return repr(spec[1])


def make_guards(step_fn: Callable[..., Any], args: tuple[Any, ...]) -> Guards:
    """The guards of ``step_fn`` called with ``args`` (``compile`` them once the trace has added its leaves)."""
    code = getattr(step_fn, "__code__", None)
    cells = [(name, cell, cell.cell_contents) for name, cell in
             zip(getattr(code, "co_freevars", ()), getattr(step_fn, "__closure__", None) or ())]
    namespace = getattr(step_fn, "__globals__", {})
    watched = (Tensor, Module, Optimizer)
    lookup = namespace.get  # one bound method for every global: the guards bind it once
    globals_ = [(name, lookup, namespace[name]) for name in getattr(code, "co_names", ())
                if isinstance(namespace.get(name), watched)]
    objects = referenced(step_fn, args)
    tensors = [(name, t, t._data, t._requires_grad) for name, t in named_tensors(objects)]
    groups, modes = [], []
    for name, obj in objects.items():
        if isinstance(obj, Optimizer):
            groups += [(name, group, dict(group)) for group in obj.param_groups]
        if isinstance(obj, Module):
            modes += [(f"{name}.{sub}" if sub else name, m, m.training) for sub, m in obj.named_modules()]
    return Guards(is_grad_enabled(), kernel_mode.exact, [_argument_spec(a) for a in args], cells, globals_, tensors,
                  groups, modes)
