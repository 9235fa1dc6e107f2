"""Containers: ``Sequential`` (modules applied one after another), ``ModuleList`` and ``ModuleDict`` (modules in a
list, by name), ``ParameterList`` and ``ParameterDict`` (parameters in a list, by name)."""

import operator
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .. import errors
from ..tensor import Tensor
from .module import Module, _indent, _typename
from .parameter import Parameter


class Sequential(Module):
    """Calls its modules in order, each on the previous one's output: ``Sequential(Linear(2, 1), Sigmoid())``.

    Modules are named "0", "1", ... or by the keys of an ``OrderedDict`` passed as the only argument.
    """

    def __init__(self, *args: Module) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(args):
                if not isinstance(module, Module):
                    raise errors.not_a_module(type(module).__name__)
                self.add_module(str(index), module)

    def forward(self, input: Any) -> Any:
        for module in self:
            input = module(input)
        return input

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __len__(self) -> int:
        return len(self._modules)

    def __getitem__(self, index: int | slice) -> Module:
        modules = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict(modules[index]))
        if not -len(modules) <= index < len(modules):
            raise errors.module_index(index)
        return modules[index][1]

    def append(self, module: Module) -> "Sequential":
        self.add_module(str(len(self)), module)
        return self


class ModuleList(Module):
    """Holds modules in a list, registered as "0", "1", ... so that ``parameters()`` and ``repr`` see them.

    It has no ``forward``: the model that owns it decides how to call its modules.
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _absolute(self, index: int) -> str:
        """The key of list position ``index`` (negative counts from the end), with PyTorch's IndexError."""
        index = operator.index(index)
        if not -len(self) <= index < len(self):
            raise errors.module_index(index)
        return str(index % len(self))

    def __getitem__(self, index: int | slice) -> "Module | ModuleList":
        if isinstance(index, slice):
            return type(self)(list(self._modules.values())[index])
        return self._modules[self._absolute(index)]

    def __setitem__(self, index: int, module: Module) -> None:
        setattr(self, self._absolute(index), module)  # a Module keeps its place; anything else: PyTorch's TypeError

    def __delitem__(self, index: int | slice) -> None:
        for key in [str(k) for k in range(len(self))[index]] if isinstance(index, slice) else [self._absolute(index)]:
            delattr(self, key)
        self._modules = OrderedDict((str(i), module) for i, module in enumerate(self._modules.values()))

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __iadd__(self, modules: Iterable[Module]) -> "ModuleList":
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> "ModuleList":
        return ModuleList([*self, *other])

    def append(self, module: Module) -> "ModuleList":
        """Add ``module`` at the end."""
        _check_module(module)
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> "ModuleList":
        """Add each of ``modules`` at the end, in order."""
        if not isinstance(modules, Iterable):
            raise errors.extend_not_iterable(modules)
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Put ``module`` before position ``index``, shifting the later modules up by one."""
        for i in range(len(self), index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module

    def pop(self, index: int | slice) -> "Module | ModuleList":
        """Remove and return the module(s) at ``index``."""
        module = self[index]
        del self[index]
        return module

    def __repr__(self) -> str:
        """PyTorch's ModuleList repr: runs of equal modules print once, as "(2-4): 3 x Linear(...)"."""
        if not len(self):
            return "ModuleList()"
        runs: list[list] = []  # [first index, last index, repr]
        for i, module in enumerate(self):
            text = repr(module)
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        lines = [_indent(f"({first}): {text}" if first == last else f"({first}-{last}): {last - first + 1} x {text}", 2)
                 for first, last, text in runs]
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"

    def __dir__(self) -> list[str]:
        return [key for key in super().__dir__() if not key.isdigit()]


def _check_module(module: object) -> None:
    """PyTorch's add_module error for something that is not a Module (None is allowed)."""
    if module is not None and not isinstance(module, Module):
        raise errors.not_a_module(_typename(module))


class ModuleDict(Module):
    """Holds modules by name, registered under their keys, in insertion order (a dict that ``parameters()`` sees)."""

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        _check_module(module)
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> Iterable[str]:
        return self._modules.keys()

    def values(self) -> Iterable[Module]:
        return self._modules.values()

    def items(self) -> Iterable[tuple[str, Module]]:
        return self._modules.items()

    def pop(self, key: str) -> Module:
        """Remove the module ``key`` and return it."""
        return self._modules.pop(key)

    def clear(self) -> None:
        self._modules.clear()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add (or replace) each (name, module) of a mapping or of an iterable of pairs, in order."""
        for key, module in modules.items() if isinstance(modules, Mapping) else modules:
            self[key] = module


def _as_parameter(value: Any) -> Any:
    """A tensor that is not yet a Parameter becomes one (as PyTorch's ParameterList and ParameterDict do)."""
    return Parameter(value) if isinstance(value, Tensor) and not isinstance(value, Parameter) else value


def _parameter_line(key: str, value: Any, type_name: str) -> str:
    """How ParameterList and ParameterDict print an entry: its kind, type name and size."""
    kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
    return f"  ({key}): {kind} containing: [{type_name} of size {'x'.join(map(str, value.shape))}]"


class ParameterList(Module):
    """Holds parameters in a list, registered as "0", "1", ... (tensors given become Parameters)."""

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        if values is not None:
            self.extend(values)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return ParameterList(list(self)[index])
        return self._parameters[str(range(len(self))[index])]

    def __setitem__(self, index: int, value: Any) -> None:
        self.register_parameter(str(range(len(self))[index]), _as_parameter(value))

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._parameters.values())

    def __iadd__(self, values: Iterable[Any]) -> "ParameterList":
        return self.extend(values)

    def append(self, value: Any) -> "ParameterList":
        """Add ``value`` at the end."""
        self.register_parameter(str(len(self)), _as_parameter(value))
        return self

    def extend(self, values: Iterable[Any]) -> "ParameterList":
        """Add each of ``values`` at the end, in order."""
        for value in values:
            self.append(value)
        return self

    def extra_repr(self) -> str:
        return "\n".join(_parameter_line(str(i), p, repr(p.dtype)) for i, p in enumerate(self))


class ParameterDict(Module):
    """Holds parameters by name (tensors given become Parameters); a plain dict's keys are taken in sorted order,
    an ``OrderedDict``'s or iterable's in theirs, as in PyTorch."""

    def __init__(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None) -> None:
        super().__init__()
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Any:
        return self._parameters[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.register_parameter(key, _as_parameter(value))

    def __delitem__(self, key: str) -> None:
        del self._parameters[key]

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __contains__(self, key: object) -> bool:
        return key in self._parameters

    def keys(self) -> Iterable[str]:
        return self._parameters.keys()

    def values(self) -> Iterable[Any]:
        return self._parameters.values()

    def items(self) -> Iterable[tuple[str, Any]]:
        return self._parameters.items()

    def get(self, key: str, default: Any = None) -> Any:
        return self._parameters.get(key, default)

    def pop(self, key: str) -> Any:
        """Remove the parameter ``key`` and return it."""
        return self._parameters.pop(key)

    def clear(self) -> None:
        self._parameters.clear()

    def update(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        """Add (or replace) each (name, value): a plain mapping's in sorted key order, others in their order."""
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs: Iterable[tuple[str, Any]] = parameters.items()
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())
        else:
            pairs = parameters
        for key, value in pairs:
            self[key] = value

    def extra_repr(self) -> str:
        return "\n".join(_parameter_line(key, p, _typename(p)) for key, p in self.items())
