"""``repr`` of tensors exactly as PyTorch prints them (a port of ``torch/_tensor_str.py``), and its options."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass
class _PrintOptions:
    precision: int = 4  # digits after the point
    threshold: float = 1000  # more elements than this: print only the edges of each dim
    edgeitems: int = 3  # how many entries at each edge of a summarized dim
    linewidth: int = 80  # characters per line before wrapping
    sci_mode: bool | None = None  # None: scientific notation when the values need it


_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}
OPTIONS = _PrintOptions()


def set_printoptions(precision: int | None = None, threshold: float | None = None, edgeitems: int | None = None,
                     linewidth: int | None = None, profile: str | None = None, sci_mode: bool | None = None) -> None:
    """Change how tensors print, as ``torch.set_printoptions``: a ``profile`` ("default", "short", "full") sets
    the first four, the arguments given override it; ``sci_mode`` is always set (None: automatic)."""
    if profile is not None:
        OPTIONS.precision, OPTIONS.threshold, OPTIONS.edgeitems, OPTIONS.linewidth = _PROFILES[profile]
    for name, value in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                        ("linewidth", linewidth)):
        if value is not None:
            setattr(OPTIONS, name, value)
    OPTIONS.sci_mode = sci_mode


def get_printoptions() -> dict[str, float | bool | None]:
    """The current print options, as ``torch.get_printoptions``."""
    return dict(vars(OPTIONS))


class _Formatter:
    """Chooses one format (integer, fixed or scientific) and one width for all of a tensor's elements
    (scientific when the values need it, unless the options' ``sci_mode`` says otherwise)."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        precision = OPTIONS.precision
        if not self.floating:
            for v in values.reshape(-1).tolist():
                self.width = max(self.width, len(f"{v}"))
            return
        flat = values.reshape(-1).astype(np.float64)
        shown = flat[np.isfinite(flat) & (flat != 0)]
        if shown.size:
            magnitudes = np.abs(shown)
            low, high = magnitudes.min(), magnitudes.max()
            self.int_mode = bool(np.all(shown == np.ceil(shown)))
            automatic = high / low > 1000.0 or high > 1.0e8 or (not self.int_mode and low < 1.0e-4)
            self.sci_mode = automatic if OPTIONS.sci_mode is None else OPTIONS.sci_mode
            for v in shown.tolist():
                if self.sci_mode:
                    self.width = max(self.width, len(f"{v:.{precision}e}"))
                elif self.int_mode:
                    self.width = max(self.width, len(f"{v:.0f}") + 1)
                else:
                    self.width = max(self.width, len(f"{v:.{precision}f}"))

    def format(self, value: float | int | bool) -> str:
        if not self.floating:
            text = f"{value}"
        elif self.sci_mode:
            text = f"{value:{self.width}.{OPTIONS.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{OPTIONS.precision}f}"
        return text.rjust(self.width)


def _summarized(x: np.ndarray) -> np.ndarray:
    """Only the first and last ``edgeitems`` entries of every long dim (what a summarized print shows; with
    edgeitems 0, PyTorch keeps a whole vector and nothing of a matrix)."""
    edge = OPTIONS.edgeitems
    if edge == 0:
        return x if x.ndim == 1 else x[(slice(0, 0),) * x.ndim]
    for axis in range(x.ndim):
        if x.shape[axis] > 2 * edge:
            keep = list(range(edge)) + list(range(x.shape[axis] - edge, x.shape[axis]))
            x = np.take(x, keep, axis=axis)
    return x


def _body(x: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if x.ndim == 0:
        return fmt.format(x.item())
    edge = OPTIONS.edgeitems
    long_dim = summarize and x.shape[0] > 2 * edge
    rows = [*range(edge), None, *range(x.shape[0] - edge, x.shape[0])] if long_dim else range(x.shape[0])
    if x.ndim == 1:
        items = ["..."] if summarize and not edge else [" ..." if i is None else fmt.format(x[i].item()) for i in rows]
        per_line = max(1, math.floor((OPTIONS.linewidth - indent) / (fmt.width + 2)))
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    parts = ["..." if i is None else _body(x[i], indent + 1, summarize, fmt) for i in rows]
    return "[" + ("," + "\n" * (x.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def tensor_repr(x: np.ndarray, suffixes: list[str], prefix: str = "tensor(") -> str:
    """``prefix`` + the values of ``x`` laid out as PyTorch does + the ``suffixes`` (dtype=, grad_fn=, ...)."""
    indent = len(prefix)
    if x.size == 0:
        body = "[]"
        if x.ndim != 1:
            suffixes = [f"size={tuple(x.shape)}", *suffixes]
    else:
        if not OPTIONS.edgeitems:
            suffixes = [f"size={tuple(x.shape)}", *suffixes]
        summarize = x.size > OPTIONS.threshold
        fmt = _Formatter(_summarized(x) if summarize else x)
        body = _body(x, indent, summarize, fmt)
    text = prefix + body
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        length = len(suffix.replace("minigrad.", "torch."))  # (lines break where PyTorch's, with its names, do)
        if last_line_len + length + 2 > OPTIONS.linewidth:
            text += ",\n" + " " * indent + suffix
            last_line_len = indent + length
        else:
            text += ", " + suffix
            last_line_len += length + 2
    return text + ")"
