"""Containers: ``Sequential`` (modules applied one after another) and ``ModuleList`` (a list of modules)."""

import operator
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from .. import errors
from .module import Module, _indent, _typename


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
