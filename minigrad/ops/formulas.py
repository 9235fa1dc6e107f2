"""Every op's derivative formulas on one page, made from the registry: the table in ``docs/formulas.md``.

    python -m minigrad.ops.formulas > docs/formulas.md
"""

import importlib
import sys

from . import classification, comparison, gather, join, linalg, loss, pointwise, reduction, shape
from .registry import REGISTRY, Op

# The order a reader meets them: elementwise math first, the losses last; then every other module of ops.
MODULES = (pointwise, comparison, reduction, linalg, shape, join, gather, loss, classification)


def _modules() -> list[str]:
    """The modules holding registered ops, in reading order (all of minigrad imported: every op registered)."""
    importlib.import_module("minigrad")
    first = [m.__name__ for m in MODULES]
    return first + sorted({op.__module__ for op in REGISTRY.values()} - set(first))

HEADER = """\
# Derivative formulas

Every op minigrad records, the PyTorch function it mirrors, and the derivative of each input, as the op
declares them (`torch` and `formulas` in `minigrad/ops/`). `grad` is the gradient arriving at the op's
output; where an input was broadcast, the engine sums its gradient back to the input's shape. A name in braces,
`{stride}`, is the call's parameter of that name (`minigrad.explain` prints the formula with its value).
The last column is forward mode's rule (`jvp_formulas`, `minigrad.autograd.forward_ad`): the output's tangent from
the inputs' tangents `dx`; an op without one takes J v from its backward, transposed (a double backward), and
refuses forward mode where that backward cannot be recorded.

Generated from the registry by `python -m minigrad.ops.formulas > docs/formulas.md`
(`tests/test_docs.py` fails when this page is not current).

"""


def _code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"  # a | would end the table cell, even inside code


Formulas = tuple[tuple[str, ...], tuple[str, ...]]  # (formulas, jvp_formulas)


def rows() -> list[tuple[list[type[Op]], Formulas]]:
    """(ops, (formulas, jvp formulas)) in reading order; neighbouring ops of one module with the same formulas share
    a row."""
    out: list[tuple[list[type[Op]], Formulas]] = []
    for module in _modules():
        previous = None
        for op in (op for op in REGISTRY.values() if op.__module__ == module):
            texts = (op.formulas, op.jvp_formulas)
            if previous is not None and texts == previous:
                out[-1][0].append(op)
            else:
                out.append(([op], texts))
            previous = texts
    return out


def markdown() -> str:
    """The page: one table row per op (or per group of ops with the same formulas)."""
    lines = ["| op | PyTorch | derivatives | forward mode |", "|---|---|---|---|"]
    for ops, (formulas, jvp_formulas) in rows():
        names = ", ".join(_code(op.__name__) for op in ops)
        torch_names = ", ".join(_code(op.torch) for op in ops)
        forward = "; ".join(_code(f) for f in jvp_formulas) or "its backward, transposed"
        lines.append(f"| {names} | {torch_names} | {'; '.join(_code(f) for f in formulas)} | {forward} |")
    return HEADER + "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
