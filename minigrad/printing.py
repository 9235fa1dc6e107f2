"""``repr`` of tensors exactly as PyTorch prints them (a port of ``torch/_tensor_str.py``'s defaults)."""

from __future__ import annotations

import math

import numpy as np

PRECISION = 4
THRESHOLD = 1000  # more elements than this: print only the edges of each dim
EDGEITEMS = 3
LINEWIDTH = 80


class _Formatter:
    """Chooses one format (integer, fixed or scientific) and one width for all of a tensor's elements."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        if not self.floating:
            for v in values.reshape(-1).tolist():
                self.width = max(self.width, len(f"{v}"))
            return
        flat = values.reshape(-1).astype(np.float64)
        shown = flat[np.isfinite(flat) & (flat != 0)]
        if shown.size == 0:
            return
        magnitudes = np.abs(shown)
        low, high = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(shown == np.ceil(shown)))
        wide_range = high / low > 1000.0 or high > 1.0e8
        self.sci_mode = wide_range or (not self.int_mode and low < 1.0e-4)
        for v in shown.tolist():
            if self.sci_mode:
                self.width = max(self.width, len(f"{v:.{PRECISION}e}"))
            elif self.int_mode:
                self.width = max(self.width, len(f"{v:.0f}") + 1)
            else:
                self.width = max(self.width, len(f"{v:.{PRECISION}f}"))

    def format(self, value: float | int | bool) -> str:
        if not self.floating:
            text = f"{value}"
        elif self.sci_mode:
            text = f"{value:{self.width}.{PRECISION}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{PRECISION}f}"
        return text.rjust(self.width)


def _summarized(x: np.ndarray) -> np.ndarray:
    """Only the first and last EDGEITEMS entries of every long dim (what a summarized print shows)."""
    for axis in range(x.ndim):
        if x.shape[axis] > 2 * EDGEITEMS:
            keep = list(range(EDGEITEMS)) + list(range(x.shape[axis] - EDGEITEMS, x.shape[axis]))
            x = np.take(x, keep, axis=axis)
    return x


def _body(x: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if x.ndim == 0:
        return fmt.format(x.item())
    long_dim = summarize and x.shape[0] > 2 * EDGEITEMS
    rows = [*range(EDGEITEMS), None, *range(x.shape[0] - EDGEITEMS, x.shape[0])] if long_dim else range(x.shape[0])
    if x.ndim == 1:
        items = [" ..." if i is None else fmt.format(x[i].item()) for i in rows]
        per_line = max(1, math.floor((LINEWIDTH - indent) / (fmt.width + 2)))
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
        summarize = x.size > THRESHOLD
        fmt = _Formatter(_summarized(x) if summarize else x)
        body = _body(x, indent, summarize, fmt)
    text = prefix + body
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > LINEWIDTH:
            text += ",\n" + " " * indent + suffix
            last_line_len = indent + len(suffix)
        else:
            text += ", " + suffix
            last_line_len += len(suffix) + 2
    return text + ")"
