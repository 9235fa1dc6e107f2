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

Generated from the registry by `python -m minigrad.ops.formulas > docs/formulas.md`
(`tests/test_docs.py` fails when this page is not current).

"""


def _code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"  # a | would end the table cell, even inside code


def rows() -> list[tuple[list[type[Op]], tuple[str, ...]]]:
    """(ops, formulas) in reading order; neighbouring ops of one module with the same formulas share a row."""
    out: list[tuple[list[type[Op]], tuple[str, ...]]] = []
    for module in _modules():
        previous = None
        for op in (op for op in REGISTRY.values() if op.__module__ == module):
            if previous is not None and op.formulas == previous:
                out[-1][0].append(op)
            else:
                out.append(([op], op.formulas))
            previous = op.formulas
    return out


def markdown() -> str:
    """The page: one table row per op (or per group of ops with the same formulas)."""
    lines = ["| op | PyTorch | derivatives |", "|---|---|---|"]
    for ops, formulas in rows():
        names = ", ".join(_code(op.__name__) for op in ops)
        torch_names = ", ".join(_code(op.torch) for op in ops)
        lines.append(f"| {names} | {torch_names} | {'; '.join(_code(f) for f in formulas)} |")
    return HEADER + "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
