"""Draw the graph behind a tensor: ``to_dot`` gives Graphviz DOT source (no dependency), ``draw`` renders it.

One box per op (its grad_fn name and output shape), one oval per leaf tensor (blue for tensors made by
the user, green for ``Parameter``s, grey for constants), and the output at the bottom. Small tensors show
their values, and leaves their ``.grad`` once backward has run. In Jupyter a tensor with a graph displays
itself as the picture (``Tensor._repr_html_``), when Graphviz is installed, and as DOT text otherwise.

    print(minigrad.viz.to_dot(loss))          # paste into any Graphviz viewer
    minigrad.viz.draw(loss, "graph.svg")      # needs: pip install graphviz, and the system's `dot`
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np

from .autograd import engine
from .explain import describe
from .tensor import Tensor

COLOURS = {"leaf": "lightblue", "parameter": "palegreen", "constant": "lightgrey", "op": "white",
           "output": "khaki"}
INSTALL_HINT = ("drawing needs Graphviz: pip install graphviz (or minigrad[viz]) and the system's `dot` program "
                "(apt install graphviz / brew install graphviz / conda install graphviz); to_dot() needs neither")


def _label(*lines: str) -> str:
    return "\\n".join(line.replace('"', '\\"').replace("\n", "\\n") for line in lines)


def _values(array: np.ndarray, what: str) -> list[str]:
    return [f"{what} {describe(array)}"] if array.size <= 4 else []


def to_dot(output: Tensor, names: dict[str, Tensor] | None = None) -> str:
    """Graphviz DOT source for the graph that produced ``output`` (leaves, ops, constants, the output)."""
    leaf_names = {id(t): name for name, t in (names or {}).items()}
    lines = ["digraph minigrad {", '  rankdir="BT";', '  node [fontname="Helvetica", fontsize=10];']

    def node(key: str, label: str, kind: str) -> None:
        shape = "box" if kind == "op" else "ellipse"
        lines.append(f'  {key} [label="{label}", shape={shape}, style=filled, fillcolor={COLOURS[kind]}];')

    out_key = "output"
    node(out_key, _label("output", f"shape {tuple(output.shape)}", *_values(output._data, "value")), "output")
    if output.grad_fn is None:
        return "\n".join([*lines, "}"])
    seen: dict[int, str] = {}
    stack: list[engine.Node] = [output.grad_fn]
    lines.append(f"  {_key(output.grad_fn)} -> {out_key};")
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen[id(current)] = _key(current)
        if isinstance(current, engine.AccumulateGrad):
            variable = current.variable
            kind = "parameter" if type(variable).__name__ == "Parameter" else "leaf"
            title = leaf_names.get(id(variable), "Parameter" if kind == "parameter" else "leaf")
            grad = [] if variable._grad is None else _values(variable._grad._data, "grad")
            node(_key(current), _label(title, f"shape {tuple(variable.shape)}", *_values(variable._data, "value"),
                                       *grad), kind)
            continue
        node(_key(current), _label(current.name(), f"inputs {', '.join(str(s) for s, _ in current.inputs)}"), "op")
        replay = current.ctx.replay
        for i, nxt in enumerate(current.next_nodes):
            if nxt is None:
                constant = f"{_key(current)}_c{i}"
                shape = current.inputs[i][0]
                shown = _values(replay[0][i], "value") if replay is not None else []
                node(constant, _label("constant", f"shape {shape}", *shown), "constant")
                lines.append(f"  {constant} -> {_key(current)};")
            else:
                lines.append(f"  {_key(nxt)} -> {_key(current)};")
                stack.append(nxt)
    return "\n".join([*lines, "}"])


def _key(node: engine.Node) -> str:
    return f"n{id(node)}"


def _graphviz():
    try:
        import graphviz
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return graphviz


def draw(output: Tensor, path: str | Path, names: dict[str, Tensor] | None = None) -> Path:
    """Render the graph to ``path`` (.svg, .png or .pdf, by its suffix); returns the path written."""
    path = Path(path)
    graphviz = _graphviz()
    source = graphviz.Source(to_dot(output, names))
    try:
        written = source.render(outfile=str(path), format=path.suffix.lstrip(".") or "svg", cleanup=True)
    except graphviz.ExecutableNotFound:
        raise RuntimeError(INSTALL_HINT) from None
    return Path(written)


def _notebook_html(tensor: Tensor) -> str | None:
    """What Jupyter shows for a tensor with a graph: the picture (or the DOT text, without Graphviz)."""
    if tensor.grad_fn is None:
        return None
    source = to_dot(tensor)
    text = f"<pre>{html.escape(repr(tensor))}</pre>"
    try:
        return text + _graphviz().Source(source).pipe(format="svg").decode()
    except Exception:  # no graphviz package, or no `dot` program
        return text + f"<details><summary>graph (DOT source)</summary><pre>{html.escape(source)}</pre></details>"


Tensor.html_renderer = staticmethod(_notebook_html)
