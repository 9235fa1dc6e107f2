"""Hooks on the graph (PyTorch's ``torch.autograd.graph``): what runs when a gradient or a saved tensor passes by.

- Hooks on a node's gradients (``Tensor.register_hook``, ``grad_fn.register_prehook``/``register_hook``), kept in
  a node's ``Hooks`` and run by the engine while it computes (``engine._run_hooked``), in PyTorch's order: the
  tensor hooks of each output, then the node's pre-hooks, its backward, its post-hooks. Each may return a
  replacement for what it was given.
- ``saved_tensors_hooks(pack, unpack)``: ``pack`` sees each array an op saves for backward and returns what to keep
  instead; ``unpack`` turns that back into a tensor when backward reads it.

Hooks are written for ``Tensor``\\ s, the layer above this one: ``minigrad.tensor`` hands its class over when it loads
(``use_tensor_class``), and the engine still sees only arrays.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import errors

_Tensor: Any = None  # minigrad.Tensor, set by ``use_tensor_class``
_ids = itertools.count()


def use_tensor_class(cls: type) -> None:
    """How hooks see arrays: as tensors of ``cls`` (``minigrad.Tensor``, which calls this when it loads)."""
    global _Tensor
    _Tensor = cls


def tensor_of(array: np.ndarray | None) -> Any:
    """``array`` as a tensor outside the graph, for a hook (None stays None: no gradient)."""
    return None if array is None else _Tensor._make(array)


class RemovableHandle:
    """What registering a hook returns: ``handle.remove()`` takes the hook away again (PyTorch's, from
    ``torch.utils.hooks``); also a context manager that removes it on exit."""

    def __init__(self, hooks_dict: dict[int, Any], extra_dict: dict[int, Any] | list[dict[int, Any]] | None = None
                 ) -> None:
        self.id = next(_ids)
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        extra = [] if extra_dict is None else extra_dict if isinstance(extra_dict, list) else [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extra)

    def remove(self) -> None:
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            hooks = ref()
            if hooks is not None:
                hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *args: object) -> None:
        self.remove()


class _HookDict(dict):
    """A dict of hooks by handle id (a plain dict cannot be weakly referenced)."""


class Hooks:
    """The hooks on one node, each under its handle's id, in the order registered: ``tensor``, (output, hook) pairs of
    the tensors it made (``Tensor.register_hook``: hook(grad) -> None or a new grad); ``pre``, hook(grad_outputs) ->
    None or new grad_outputs; ``post``, hook(grad_inputs, grad_outputs) -> None or new grad_inputs."""

    __slots__ = ("post", "pre", "tensor")

    def __init__(self) -> None:
        self.tensor: dict[int, tuple[int, Callable[[Any], Any]]] = _HookDict()
        self.pre: dict[int, Callable[[tuple[Any, ...]], Any]] = _HookDict()
        self.post: dict[int, Callable[[tuple[Any, ...], tuple[Any, ...]], Any]] = _HookDict()

    def add(self, kind: str, hook: Any) -> RemovableHandle:
        """Register ``hook`` in ``kind`` ("tensor", "pre" or "post"); returns its handle."""
        hooks = getattr(self, kind)
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        return handle


# ----- running hooks (called by the engine with arrays; the hooks see tensors) ------------------------------------
def _hook_name(hook: Any) -> str:
    return getattr(hook, "__name__", "<unknown>")


def _typename(value: Any) -> str:
    """A type as PyTorch's messages name it (C's tp_name: numpy arrays are ``numpy.ndarray``)."""
    return "numpy.ndarray" if isinstance(value, np.ndarray) else type(value).__name__


def _checked(original: np.ndarray | None, result: Any, hook: Any) -> np.ndarray | None:
    """The array of a hook's ``result`` standing for ``original``, after PyTorch's checks (None: no gradient)."""
    if result is None:
        return None
    if original is None:
        raise errors.hook_replaced_none()
    if not isinstance(result, _Tensor):
        raise errors.hook_returned_not_tensor(_typename(result))
    if result._data.dtype != original.dtype:
        raise errors.hook_changed_type(_hook_name(hook), tensor_of(original).type(), result.type())
    if result._data.shape != original.shape:
        raise errors.hook_changed_size(_hook_name(hook))
    return result._data


def _checked_tuple(originals: tuple[np.ndarray | None, ...], result: Any, hook: Any) -> tuple[np.ndarray | None, ...]:
    """A node hook's tuple ``result``, standing for ``originals``, as arrays after PyTorch's checks."""
    if not isinstance(result, tuple):
        raise errors.hook_returned_not_tuple(_typename(result))
    if len(result) != len(originals):
        raise errors.hook_value_count(_hook_name(hook), len(result), len(originals))
    return tuple(_checked(g, r, hook) for g, r in zip(originals, result))


def run_tensor_hooks(hooks: dict[int, tuple[int, Any]], grads: list[np.ndarray | None]) -> list[np.ndarray | None]:
    """The gradient of each output after its tensor hooks, each seeing what the one before returned."""
    for output, hook in list(hooks.values()):
        result = hook(tensor_of(grads[output]))
        if result is not None:
            grads[output] = _checked(grads[output], result, hook)
    return grads


def run_pre_hooks(hooks: dict[int, Any], grad_outputs: tuple[np.ndarray | None, ...]) -> tuple[np.ndarray | None, ...]:
    """The node's output gradients after its pre-hooks."""
    for hook in list(hooks.values()):
        result = hook(tuple(tensor_of(g) for g in grad_outputs))
        if result is not None:
            grad_outputs = _checked_tuple(grad_outputs, result, hook)
    return grad_outputs


def run_post_hooks(hooks: dict[int, Any], grad_inputs: tuple[np.ndarray | None, ...],
                   grad_outputs: tuple[np.ndarray | None, ...]) -> tuple[np.ndarray | None, ...]:
    """The gradients the node sends to its inputs, after its post-hooks (which also see its output gradients)."""
    outputs = tuple(tensor_of(g) for g in grad_outputs)
    for hook in list(hooks.values()):
        result = hook(tuple(tensor_of(g) for g in grad_inputs), outputs)
        if result is not None:
            grad_inputs = _checked_tuple(grad_inputs, result, hook)
    return grad_inputs


# ----- saved tensors ---------------------------------------------------------------------------------------------
# The (pack, unpack) pairs of the open saved_tensors_hooks contexts, innermost last (empty: save as they are).
saved_hooks: list[tuple[Callable[[Any], Any], Callable[[Any], Any]]] = []


class saved_tensors_hooks:  # (PyTorch's name)
    """Within this context, ``pack_hook(tensor)`` runs on every tensor an op saves for backward, and what it returns
    is kept instead; ``unpack_hook(packed)`` gives the tensor back when backward (or ``grad_fn._saved_...``) reads it.
    The innermost pair applies."""

    def __init__(self, pack_hook: Callable[[Any], Any], unpack_hook: Callable[[Any], Any]) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> None:
        saved_hooks.append((self.pack_hook, self.unpack_hook))

    def __exit__(self, *args: object) -> None:
        saved_hooks.pop()


class save_on_cpu(saved_tensors_hooks):  # (PyTorch's name)
    """Saved tensors kept on the CPU and brought back to their device when backward reads them: minigrad's tensors
    are on the CPU already, so they are kept as they are."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        super().__init__(lambda tensor: (tensor.device, tensor.cpu()), lambda packed: packed[1].to(packed[0]))


class _Packed:
    """A saved array as ``pack`` returned it, with the ``unpack`` that gives it back, and the id of the array it was
    made from (``repack``)."""

    __slots__ = ("source", "unpack", "value")

    def __init__(self, value: Any, unpack: Callable[[Any], Any], source: int) -> None:
        self.value, self.unpack, self.source = value, unpack, source


class PackedSaved(dict):
    """A context's saved arrays when some were packed: reading one unpacks it (each time, as PyTorch's)."""

    def __getitem__(self, name: str) -> Any:
        value = dict.__getitem__(self, name)
        return value.unpack(value.value)._data if isinstance(value, _Packed) else value


def packing() -> bool:
    """Whether a ``saved_tensors_hooks`` context is open (the engine reads ``saved_hooks`` itself, for speed)."""
    return bool(saved_hooks)


def pack(saved: dict[str, Any], arrays: dict[str, np.ndarray | None]) -> PackedSaved:
    """``saved`` with ``arrays`` added, each through the innermost ``pack`` hook (None: nothing saved, not packed)."""
    pack_hook, unpack_hook = saved_hooks[-1]
    out = saved if isinstance(saved, PackedSaved) else PackedSaved(saved)
    for name, array in arrays.items():
        out[name] = None if array is None else _Packed(pack_hook(tensor_of(array)), unpack_hook, id(array))
    return out


def repack(saved: Any, array: np.ndarray, copy: Callable[[np.ndarray], np.ndarray]) -> Any:
    """For ``Context.keep_own_copy``: ``saved`` packed from ``array`` (which an in-place op is about to overwrite)
    becomes a private copy of it, packed anew (PyTorch packs such a copy only: its pack sees one call less); else
    ``saved`` as it is."""
    if not (isinstance(saved, _Packed) and saved.source == id(array)):
        return saved
    return _Packed(saved_hooks[-1][0](tensor_of(copy(array))), saved.unpack, -1) if saved_hooks else saved
