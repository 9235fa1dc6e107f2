"""Grad mode: whether ops record a graph. Thread-local, as in PyTorch."""

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar


class _GradState(threading.local):
    """Each thread's grad mode: on until that thread turns it off."""

    enabled = True
    inference = False


grad_state = _GradState()
F = TypeVar("F", bound=Callable[..., Any])


def is_grad_enabled() -> bool:
    """True when new ops record a graph for backward (the default)."""
    return grad_state.enabled


class set_grad_enabled:
    """Turn graph recording on or off: at once when called, restored on exit when used in a ``with``."""

    def __init__(self, mode: bool) -> None:
        self.prev = is_grad_enabled()
        grad_state.enabled = bool(mode)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        grad_state.enabled = self.prev


class _GradModeContext:
    """A context manager and decorator that sets grad mode to ``mode`` and restores it afterwards."""

    mode: bool

    def __enter__(self) -> None:
        self.prev = is_grad_enabled()
        grad_state.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        grad_state.enabled = self.prev

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.__class__():
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeContext):
    """Ops inside record no graph: outputs have ``requires_grad=False`` and no ``grad_fn``."""

    mode = False


class enable_grad(_GradModeContext):
    """Ops inside record a graph, even within ``no_grad``."""

    mode = True


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()``."""
    return grad_state.inference


class inference_mode:
    """``no_grad`` for code that will never need a gradient: ops inside record no graph (PyTorch also skips
    its version counters there, a speed-up minigrad does not need). A context manager or a decorator, with or
    without parentheses; ``inference_mode(False)`` turns it off inside an enclosing one."""

    def __new__(cls, mode: bool | Callable[..., Any] = True) -> Any:
        if callable(mode):  # used bare, as @inference_mode
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)

    def __enter__(self) -> None:
        self.prev = grad_state.enabled, grad_state.inference
        grad_state.inference = self.mode
        if self.mode:
            grad_state.enabled = False

    def __exit__(self, *exc: object) -> None:
        grad_state.enabled, grad_state.inference = self.prev

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(self.mode):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]
