"""``Module``: the base of every layer and model, as ``torch.nn.Module``.

Assigning a ``Parameter`` or a ``Module`` to an attribute registers it (``self.fc = Linear(2, 1)``),
so ``parameters()``, ``state_dict()``, ``zero_grad()`` and ``repr`` find everything a model holds.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .. import errors
from .. import kernels as K
from ..autograd import engine
from ..autograd.grad_mode import is_grad_enabled, no_grad
from ..autograd.graph import RemovableHandle
from ..dtypes import dtype as DType
from ..dtypes import float16, float32, float64
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
        object.__setattr__(self, "_non_persistent_buffers_set", set())  # buffers kept out of the state_dict
        for hooks in _HOOK_DICTS:  # see "hooks" below
            object.__setattr__(self, hooks, OrderedDict())

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise errors.missing_forward(type(self).__name__)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        hooks = self.__dict__  # one attribute read (this class's __getattr__ makes each one slow), then dict reads
        if (hooks["_forward_pre_hooks"] or hooks["_forward_hooks"] or hooks["_backward_hooks"]
                or hooks["_backward_pre_hooks"]):
            return self._call_with_hooks(args, kwargs)
        return self.forward(*args, **kwargs)

    # ----- hooks -------------------------------------------------------------------------------------------------
    def register_forward_pre_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """Run ``hook(module, args)`` before each ``forward``; it may return new args (a tuple, or one value). With
        ``with_kwargs``: ``hook(module, args, kwargs)``, which may return new ``(args, kwargs)``."""
        return _add_hook(self._forward_pre_hooks, hook, prepend,
                         [(self._forward_pre_hooks_with_kwargs, with_kwargs)])

    def register_forward_hook(self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """Run ``hook(module, args, output)`` after each ``forward``; it may return a new output. With ``with_kwargs``:
        ``hook(module, args, kwargs, output)``; with ``always_call``, it runs even when forward raises."""
        return _add_hook(self._forward_hooks, hook, prepend, [(self._forward_hooks_with_kwargs, with_kwargs),
                                                              (self._forward_hooks_always_called, always_call)])

    def register_full_backward_pre_hook(self, hook: Callable[..., Any], prepend: bool = False) -> RemovableHandle:
        """Run ``hook(module, grad_output)`` when the gradients of the module's outputs are computed; it may return
        new ones. (The module's tensor inputs and outputs pass through identity nodes, as in PyTorch.)"""
        return _add_hook(self._backward_pre_hooks, hook, prepend, [])

    def register_full_backward_hook(self, hook: Callable[..., Any], prepend: bool = False) -> RemovableHandle:
        """Run ``hook(module, grad_input, grad_output)`` when the gradients of the module's positional inputs are
        computed (None for an input that is no tensor or does not require grad); it may return new ``grad_input``. If
        no input requires grad, it runs with the outputs' gradients (and a warning)."""
        return _add_hook(self._backward_hooks, hook, prepend, [])

    def _call_with_hooks(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """``forward`` with this module's hooks around it, in PyTorch's order (``Module._call_impl``)."""
        result, called = None, set()
        try:
            for hook_id, hook in list(self._forward_pre_hooks.items()):
                if hook_id in self._forward_pre_hooks_with_kwargs:
                    changed = hook(self, args, kwargs)
                    if changed is not None:
                        if not (isinstance(changed, tuple) and len(changed) == 2):
                            raise errors.forward_pre_hook_result(changed)
                        args, kwargs = changed
                else:
                    changed = hook(self, args)
                    if changed is not None:
                        args = changed if isinstance(changed, tuple) else (changed,)
            backward_hook = None
            if self._backward_hooks or self._backward_pre_hooks:
                backward_hook = _BackwardHook(self, list(self._backward_hooks.values()),
                                              list(self._backward_pre_hooks.values()))
                args = backward_hook.setup_input_hook(args)
            result = self.forward(*args, **kwargs)
            for hook_id, hook in list(self._forward_hooks.items()):
                called.add(hook_id)
                if hook_id in self._forward_hooks_with_kwargs:
                    changed = hook(self, args, kwargs, result)
                else:
                    changed = hook(self, args, result)
                if changed is not None:
                    result = changed
            if backward_hook is not None:
                if not isinstance(result, (Tensor, tuple)):
                    warnings.warn(errors.backward_hook_output_warning(result), UserWarning, stacklevel=3)
                result = backward_hook.setup_output_hook(result)
            return result
        except Exception:
            for hook_id, hook in list(self._forward_hooks.items()):  # the always_call hooks that have not run
                if hook_id in self._forward_hooks_always_called and hook_id not in called:
                    try:
                        if hook_id in self._forward_hooks_with_kwargs:
                            changed = hook(self, args, kwargs, result)
                        else:
                            changed = hook(self, args, result)
                        result = changed if changed is not None else result
                    except Exception as error:
                        warnings.warn("module forward hook with ``always_call=True`` raised an exception that was "
                                      f"silenced as another error was raised in forward: {error}", stacklevel=3)
            raise

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
        if keep is not self._buffers:
            self._non_persistent_buffers_set.discard(name)
        for registry in (self._parameters, self._buffers, self._modules):
            if registry is not keep:
                registry.pop(name, None)

    def __getattr__(self, name: str) -> Any:
        state = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            found = state.get(registry)
            if found is not None and name in found:
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

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register a tensor that is state but not learnable (not in ``parameters``); saved in ``state_dict`` unless
        it is not ``persistent`` (a value the module recomputes, such as a positional-encoding table)."""
        self._forget(name)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as the child ``name``."""
        self._forget(name)
        self._modules[name] = module

    register_module = add_module

    # ----- walking the tree -----------------------------------------------------------------------------
    def named_modules(self, memo: set[Module] | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module and every descendant, depth first; a module met again under another
        name (shared) only the first time, unless not ``remove_duplicate``. (``memo``: modules to leave out.)"""
        seen: set[int] = {id(m) for m in memo or ()}
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen and remove_duplicate:
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

    def _named_members(self, registry: str, prefix: str, recurse: bool,
                       remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        seen: set[int] = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or (id(value) in seen and remove_duplicate):
                    continue
                seen.add(id(value))
                yield (f"{module_name}.{name}" if module_name else name), value

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) for every parameter; a shared one once, unless not ``remove_duplicate``."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

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

    def half(self) -> Module:
        return self.to(float16)

    def cpu(self) -> Module:
        return self

    def cuda(self, device: Any = None) -> Module:
        """Parameters and buffers to the GPU: PyTorch's error, as minigrad (like a CPU-only PyTorch) has no CUDA."""
        raise errors.no_cuda()

    def share_memory(self) -> Module:
        """PyTorch's move into shared memory for worker processes: minigrad's tensors stay as they are."""
        return self

    def compile(self, *args: Any, **kwargs: Any) -> None:
        """PyTorch's ``model.compile()``, compiling the forward in place: minigrad's forward stays eager (see
        ``minigrad.compile``: a forward whose backward runs later needs its graph)."""

    def get_submodule(self, target: str) -> Module:
        """The submodule at the dotted path ``target`` ("" is this module), with PyTorch's errors."""
        module = self
        for item in target.split(".") if target else ():
            if not hasattr(module, item):
                raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path ``target`` (``"0.weight"``), with PyTorch's errors."""
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        if not hasattr(module, name):
            raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
        found = getattr(module, name)
        if not isinstance(found, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return found

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path ``target``, with PyTorch's errors."""
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        if name not in module._buffers:
            raise AttributeError(f"`{name}` is not a buffer" if hasattr(module, name) else
                                 f"{type(module).__name__} has no attribute `{name}`")
        return module._buffers[name]

    # ----- state_dict ------------------------------------------------------------------------------------
    def state_dict(self, *, destination: OrderedDict[str, Tensor] | None = None, prefix: str = "",
                   keep_vars: bool = False) -> OrderedDict[str, Tensor]:
        """Every parameter and persistent buffer by dotted name (detached tensors sharing memory, unless
        ``keep_vars``), this module's first, then each child's under its name: a module shared by two names is
        listed under both, as PyTorch lists it."""
        state: OrderedDict[str, Tensor] = OrderedDict() if destination is None else destination
        for name, value in self._parameters.items():
            if value is not None:
                state[prefix + name] = value if keep_vars else value.detach()
        for name, value in self._buffers.items():
            if value is not None and name not in self._non_persistent_buffers_set:
                state[prefix + name] = value if keep_vars else value.detach()
        for name, child in self._modules.items():
            if child is not None:
                child.state_dict(destination=state, prefix=f"{prefix}{name}.", keep_vars=keep_vars)
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


# A module's hooks, each dict by handle id (with_kwargs and always_call: the ids of the hooks registered so).
_HOOK_DICTS = ("_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_forward_hooks", "_forward_hooks_with_kwargs",
               "_forward_hooks_always_called", "_backward_pre_hooks", "_backward_hooks")


def _add_hook(hooks: OrderedDict[int, Any], hook: Callable[..., Any], prepend: bool,
              flags: list[tuple[OrderedDict[int, bool], bool]]) -> RemovableHandle:
    """Register ``hook`` in ``hooks`` (first if ``prepend``), its id also in each flag dict whose flag is set."""
    handle = RemovableHandle(hooks, extra_dict=[flag_dict for flag_dict, _ in flags])
    hooks[handle.id] = hook
    for flag_dict, flag in flags:
        if flag:
            flag_dict[handle.id] = True
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


class _BackwardHookFunction:
    """The op of PyTorch's ``BackwardHookFunctionBackward`` node: an identity, there so that a module's backward hooks
    see the gradients of its inputs (and outputs) pass by."""

    grad_fn = "BackwardHookFunctionBackward"
    torch = "torch.nn.modules._functions.BackwardHookFunction.apply"
    formulas = ("d(x)/dx = grad",)
    keeps_all_gradients = True  # a custom Function in PyTorch: its hooks see even the inputs' that need none

    @staticmethod
    def backward(ctx: engine.Context, *grads: Any) -> tuple[Any, ...]:
        """The gradients passed on as they are; zeros for an output no gradient reached (PyTorch materializes them
        for a custom Function)."""
        return tuple(K.zeros(shape, dtype) if g is None else g for g, (shape, dtype) in zip(grads, ctx.metas))


def _through_identity(tensors: list[Tensor]) -> tuple[Tensor, ...]:
    """``tensors`` passed through one identity node; each that requires grad comes out as its output (same memory),
    the others as they are."""
    metas = tuple([(t._data.shape, t._data.dtype) for t in tensors])
    ctx = engine.Context()
    ctx.metas = metas
    edges = tuple([t._grad_edge() for t in tensors])
    node = engine.node_class(_BackwardHookFunction.grad_fn)(_BackwardHookFunction, ctx, edges, metas,
                                                            outputs=metas if len(tensors) > 1 else ())
    return tuple(Tensor._make(t._data, grad_fn=node, output_nr=i) if t.requires_grad else t
                 for i, t in enumerate(tensors))


class _BackwardHook:
    """PyTorch's ``torch.utils.hooks.BackwardHook``, for one call of a module with full backward hooks: the tensors
    going in and coming out pass through identity nodes; the outputs' node, as its gradients pass, records them and
    runs the backward pre-hooks; the inputs' node then runs the backward hooks with both."""

    def __init__(self, module: Module, user_hooks: list[Callable[..., Any]],
                 user_pre_hooks: list[Callable[..., Any]]) -> None:
        self.module, self.user_hooks, self.user_pre_hooks = module, user_hooks, user_pre_hooks
        self.grad_outputs: tuple[Any, ...] | None = None
        self.n_outputs = self.n_inputs = -1
        self.output_tensors_index: list[int] | None = None
        self.input_tensors_index: list[int] | None = None

    @staticmethod
    def _pack_with_none(indices: list[int], values: tuple[Any, ...], size: int) -> tuple[Any, ...]:
        res = [None] * size
        for idx, val in zip(indices, values):
            res[idx] = val
        return tuple(res)

    def _set_user_hook(self, grad_fn: engine.Node) -> None:
        def hook(grad_input: tuple[Any, ...], _: tuple[Any, ...]) -> tuple[Any, ...] | None:
            if self.grad_outputs is None:  # the gradient reached the inputs without passing the outputs
                return None
            res = self._pack_with_none(self.input_tensors_index, grad_input, self.n_inputs)
            for user_hook in self.user_hooks:
                out = user_hook(self.module, res, self.grad_outputs)
                if out is None:
                    continue
                if len(out) != len(res):
                    raise errors.backward_hook_count(len(out), len(res))
                res = out
            self.grad_outputs = None
            return tuple(res[i] for i in self.input_tensors_index)

        grad_fn.register_hook(hook)

    def _apply_on_tensors(self, fn: Callable[[engine.Node], None], args: tuple[Any, ...]
                          ) -> tuple[tuple[Any, ...], list[int] | None]:
        """``args`` with its tensors through an identity node (``fn`` then registers on it), and where they were;
        ``args`` as they are and None when no tensor among them requires grad."""
        tensors_idx = [i for i, arg in enumerate(args) if isinstance(arg, Tensor)]
        tensors = [args[i] for i in tensors_idx]
        if not (any(t.requires_grad for t in tensors) and is_grad_enabled()):
            return args, None
        new_tensors = _through_identity(tensors)
        fn(next(t.grad_fn for t in new_tensors if t.grad_fn is not None))
        arg_list = list(args)
        for idx, val in zip(tensors_idx, new_tensors):
            arg_list[idx] = val
        return (tuple(arg_list) if type(args) is tuple else type(args)(*arg_list)), tensors_idx

    def setup_input_hook(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        res, self.input_tensors_index = self._apply_on_tensors(self._set_user_hook, args)
        self.n_inputs = len(args)
        return res

    def setup_output_hook(self, args: Any) -> Any:
        def fn(grad_fn: engine.Node) -> None:
            def hook(_: tuple[Any, ...], grad_output: tuple[Any, ...]) -> tuple[Any, ...] | None:
                self.grad_outputs = self._pack_with_none(self.output_tensors_index, grad_output, self.n_outputs)
                for user_pre_hook in self.user_pre_hooks:
                    changed = user_pre_hook(self.module, self.grad_outputs)
                    if changed is None:
                        continue
                    if len(changed) != len(self.grad_outputs):
                        raise errors.backward_pre_hook_count(len(changed), len(self.grad_outputs))
                    self.grad_outputs = changed
                local_grad_outputs = self.grad_outputs
                if self.input_tensors_index is None:  # no input requires grad: the hooks run here, on the outputs
                    warnings.warn(errors.backward_hook_no_input_grads_warning(), UserWarning, stacklevel=5)
                    grad_inputs = (None,) * self.n_inputs
                    for user_hook in self.user_hooks:
                        res = user_hook(self.module, grad_inputs, self.grad_outputs)
                        if res is not None and not (isinstance(res, tuple) and all(el is None for el in res)):
                            raise errors.backward_hook_without_input_grads()
                    self.grad_outputs = None
                if local_grad_outputs is None:
                    return None
                return tuple(local_grad_outputs[i] for i in self.output_tensors_index)

            grad_fn.register_hook(hook)

        is_tuple = isinstance(args, tuple)
        res, self.output_tensors_index = self._apply_on_tensors(fn, args if is_tuple else (args,))
        self.n_outputs = len(args) if is_tuple else 1
        return res if is_tuple else res[0]


def _typename(value: Any) -> str:
    """PyTorch's ``torch.typename``: a tensor's legacy type name, else the class name."""
    return value.type() if isinstance(value, Tensor) else type(value).__name__

