"""The docs hold what the code holds: generated pages are current."""

import re
from pathlib import Path

import minigrad
from minigrad.ops import formulas

ROOT = Path(__file__).resolve().parent.parent


def test_formulas_page_is_current() -> None:
    """docs/formulas.md is the table the registry gives today (each op's torch name and derivative formulas)."""
    page = ROOT / "docs" / "formulas.md"
    written = page.read_text(encoding="utf-8") if page.exists() else ""
    assert written == formulas.markdown(), (
        "docs/formulas.md is not the registry's current table: regenerate it with "
        "`python -m minigrad.ops.formulas > docs/formulas.md`"
    )


# A stop of the reading guide: a heading naming a file and a line range, then the code quoted from it.
_STOP = re.compile(r"^#{2,4} [^\n]*`(?P<path>[\w/.]+\.py)`, lines (?P<first>\d+)[–-](?P<last>\d+)\n+```python\n"
                   r"(?P<code>.*?)```", re.MULTILINE | re.DOTALL)


def _reading_guide_stops() -> list[tuple[str, int, int, str]]:
    text = (ROOT / "docs" / "reading-guide.md").read_text(encoding="utf-8")
    return [(m["path"], int(m["first"]), int(m["last"]), m["code"]) for m in _STOP.finditer(text)]


def test_reading_guide_quotes_the_code_at_the_lines_it_names() -> None:
    """Every stop of docs/reading-guide.md quotes its file's lines exactly, so the guide cannot drift from the code."""
    stops = _reading_guide_stops()
    assert len(stops) >= 5
    for path, first, last, code in stops:
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines(keepends=True)
        quoted = code.splitlines(keepends=True)
        held = "".join(lines[first - 1:last])
        if held != code:
            moved = [i + 1 for i in range(len(lines)) if lines[i:i + len(quoted)] == quoted]
            where = f"it now stands at lines {moved[0]}-{moved[0] + len(quoted) - 1}" if moved else "it changed"
            raise AssertionError(f"docs/reading-guide.md: {path}, lines {first}-{last} no longer hold the quoted "
                                 f"code ({where})")


def test_reading_guide_reaches_the_first_kernel_in_four_files() -> None:
    """The path from ``loss.backward()`` to the first kernel loop, as the guide walks it: at most 4 files, about 150
    lines, ending in a numba kernel of the plain tier (``minigrad/kernels/*.py``, not ``exact/`` or ``fast/``)."""
    to_first_kernel = []
    for stop in _reading_guide_stops():
        to_first_kernel.append(stop)
        if "@njit" in stop[3]:
            break
    path, _, _, code = to_first_kernel[-1]
    assert "@njit" in code and re.fullmatch(r"minigrad/kernels/\w+\.py", path), "the walk ends at a plain kernel"
    assert len({stop[0] for stop in to_first_kernel}) <= 4
    assert sum(last - first + 1 for _, first, last, _ in to_first_kernel) <= 160


def test_reading_guide_program_does_what_it_says() -> None:
    """The guide's opening program runs, and its gradients are the ones its comment gives."""
    text = (ROOT / "docs" / "reading-guide.md").read_text(encoding="utf-8")
    program = re.search(r"```python\n(.*?)```", text, re.DOTALL)[1]
    namespace: dict = {}
    try:
        exec(program, namespace)
    finally:
        minigrad.use_exact_kernels(True)
    a, b = namespace["a"], namespace["b"]
    assert a.grad.tolist() == b.tolist() and b.grad.tolist() == a.tolist()
    assert namespace["loss"].grad_fn.name() == "SumBackward0"
