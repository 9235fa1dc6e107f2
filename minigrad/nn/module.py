"""``Module``: the base of every layer and model, as ``torch.nn.Module``.

Assigning a ``Parameter`` or a ``Module`` to an attribute registers it (``self.fc = Linear(2, 1)``),
so ``parameters()``, ``state_dict()``, ``zero_grad()`` and ``repr`` find everything a model holds.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .. import errors
from ..autograd.grad_mode import no_grad
from ..dtypes import dtype as DType
from ..dtypes import float32, float64
from ..size import Size
from ..tensor import Tensor
from .parameter import Parameter


class IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` reports: keys the model has but the dict lacks, and keys it does not know."""

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()


def _indent(text: str, spaces: int) -> str:
    """Every line of ``text`` after the first, indented (how nested modules print)."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [" " * spaces + line for line in rest])


class Module:
    """Base class for layers and models: subclasses assign parameters and submodules, and define ``forward``."""

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise errors.missing_forward(type(self).__name__)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # ----- registration by attribute assignment -------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__ and isinstance(value, (Parameter, Module)):
            kind = "parameters" if isinstance(value, Parameter) else "modules"
            raise errors.assigned_before_init(kind)
        if isinstance(value, Parameter):
            self._forget(name, keep=self._parameters)
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._forget(name, keep=self._modules)
            self._modules[name] = value
        elif name in self.__dict__.get("_parameters", {}):
            if value is not None:
                raise errors.assigned_wrong_type(_typename(value), "parameter", name)
            self._parameters[name] = None
        elif name in self.__dict__.get("_modules", {}):
            if value is not None:
                raise errors.assigned_wrong_type(_typename(value), "child module", name)
            self._modules[name] = None
        elif name in self.__dict__.get("_buffers", {}):
            if value is not None and not isinstance(value, Tensor):
                raise errors.assigned_wrong_type(_typename(value), "buffer", name)
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str, keep: dict[str, Any] | None = None) -> None:
        """Remove ``name`` from wherever it was registered, before registering it anew (in ``keep``, the entry
        stays where it is, so that re-assigning a layer keeps its place in the repr and the state_dict)."""
        self.__dict__.pop(name, None)
        for registry in (self._parameters, self._buffers, self._modules):
            if registry is not keep:
                registry.pop(name, None)

    def __getattr__(self, name: str) -> Any:
        for registry in ("_parameters", "_buffers", "_modules"):
            found = self.__dict__.get(registry, {})
            if name in found:
                return found[name]
        raise errors.no_attribute(type(self).__name__, name)

    def __delattr__(self, name: str) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (or None, a declared but absent parameter such as a missing bias) as ``name``."""
        if param is not None and not isinstance(param, Parameter):
            raise errors.register_not_parameter(_typename(param), name)
        self._forget(name)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None) -> None:
        """Register a tensor that is state but not learnable (saved in ``state_dict``, not in ``parameters``)."""
        self._forget(name)
        self._buffers[name] = tensor

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as the child ``name``."""
        self._forget(name)
        self._modules[name] = module

    register_module = add_module

    # ----- walking the tree -----------------------------------------------------------------------------
    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module and every descendant, depth first, each once."""
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{key}" if name else key, child) for key, child in module._modules.items()
                        if child is not None]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for name, module in self._modules.items():
            if module is not None:
                yield name, module

    def children(self) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def _named_members(self, registry: str, prefix: str, recurse: bool) -> Iterator[tuple[str, Tensor]]:
        seen: set[int] = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{module_name}.{name}" if module_name else name), value

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) for every parameter, each shared parameter once."""
        yield from self._named_members("_parameters", prefix, recurse)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        yield from self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call ``fn`` on every submodule (children first) and then on this module."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ----- training state ---------------------------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (``mode=True``) or evaluation mode, here and in every submodule."""
        if not isinstance(mode, bool):
            raise errors.training_mode_not_bool()
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's ``.grad``: to None (the default), or to zeros."""
        for param in self.parameters():
            param._reset_grad(set_to_none)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Convert every parameter and buffer in place to a dtype (``.to(minigrad.float64)``); 'cpu' is a no-op.

        A dtype that is not floating point is refused before anything changes (PyTorch's TypeError).
        """
        for arg in [*args, kwargs.get("dtype")]:
            target = arg.dtype if isinstance(arg, Tensor) else arg
            if isinstance(target, DType) and not target.is_floating_point:
                raise errors.module_to_dtype(target)
        with no_grad():
            for module in self.modules():
                for registry in (module._parameters, module._buffers):
                    for value in registry.values():
                        if value is not None and value.is_floating_point():
                            value.data = value.to(*args, **kwargs)
        return self

    def float(self) -> Module:
        return self.to(float32)

    def double(self) -> Module:
        return self.to(float64)

    def cpu(self) -> Module:
        return self

    # ----- state_dict ------------------------------------------------------------------------------------
    def state_dict(self, prefix: str = "", keep_vars: bool = False) -> OrderedDict[str, Tensor]:
        """Every parameter and buffer by dotted name (detached tensors sharing memory, unless ``keep_vars``)."""
        state: OrderedDict[str, Tensor] = OrderedDict()
        for module_name, module in self.named_modules(prefix.rstrip(".")):
            for registry in (module._parameters, module._buffers):
                for name, value in registry.items():
                    if value is not None:
                        key = f"{module_name}.{name}" if module_name else name
                        state[key] = value if keep_vars else value.detach()
        return state

    def load_state_dict(self, state_dict: dict[str, Tensor], strict: bool = True) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into this module's parameters and buffers, by name.

        Everything is checked before anything is copied: with ``strict``, missing or unexpected keys are
        an error; a shape mismatch is always one.
        """
        if not isinstance(state_dict, Mapping):
            raise errors.state_dict_not_mapping(state_dict)
        own = self.state_dict(keep_vars=True)
        missing = [key for key in own if key not in state_dict]
        unexpected = [key for key in state_dict if key not in own]
        problems = []
        if strict:
            if missing:
                problems.append(errors.missing_keys(missing))
            if unexpected:
                problems.append(errors.unexpected_keys(unexpected))
        for key, value in own.items():
            if key in state_dict and not isinstance(state_dict[key], Tensor):
                problems.append(errors.state_dict_not_tensor(key, state_dict[key]))
            elif key in state_dict and tuple(state_dict[key].shape) != tuple(value.shape):
                problems.append(errors.state_dict_size_mismatch(key, Size(state_dict[key].shape), Size(value.shape)))
        if problems:
            raise errors.state_dict_problems(type(self).__name__, problems)
        with no_grad():
            for key, value in own.items():
                if key in state_dict:
                    value.copy_(state_dict[key])
        return IncompatibleKeys(missing, unexpected)

    # ----- printing ----------------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text between the parentheses of this module's repr; layers override it."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr().split("\n") if self.extra_repr() else []
        children = [f"({key}): {_indent(repr(module), 2)}" for key, module in self._modules.items()]
        lines = extra + children
        body = ""
        if len(extra) == 1 and not children:
            body = extra[0]
        elif lines:
            body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{type(self).__name__}({body})"

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers) | set(self._modules))


def _typename(value: Any) -> str:
    """PyTorch's ``torch.typename``: a tensor's legacy type name, else the class name."""
    return value.type() if isinstance(value, Tensor) else type(value).__name__

