"""Write the notebooks from their percent scripts, with the example programs' code included.

    python examples/notebooks/build.py      # {seed_tutorial,conv_chapter}_{ko,en}.py -> the same names .ipynb

Each chapter (CHAPTERS: the seed tutorial; convolution three ways and the digits CNN) is a jupytext percent script
per language: ``# %% [markdown]`` cells hold the text, ``# %%``
cells the code, each tagged ``minigrad``, ``torch`` (the same code on PyTorch), ``compare`` (prints ``True`` for
every equality it checks) or ``helper``. A cell that shows one of the example programs holds only a marker,
``# include: ../linear_regression.py, cell "data"``: the build puts there the code of the cell that
``examples/linear_regression.py`` starts with ``# %% data``, keeping of each bilingual comment
(``# 한국어 / English``) the notebook's language. A program's code therefore lives in one place, the example,
which tests/test_examples.py checks against PyTorch. The scripts' first line is for the linter only.

The notebooks are stored without outputs; tests/test_notebooks.py executes them and checks that the committed
files are what this script writes. Edit the scripts (or the examples), never the notebooks, then run it.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import jupytext
import nbformat

HERE = Path(__file__).resolve().parent
CHAPTERS = ("seed_tutorial", "conv_chapter", "autodiff_chapter")
LANGUAGES = ("ko", "en")
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
LINT_LINE = "# ruff: noqa:"
INCLUDE = re.compile(r'# include: (?P<path>\S+), cell "(?P<title>[^"]+)"')
BILINGUAL = re.compile(r"# (?P<ko>.*[가-힣].*?) / (?P<en>[^가-힣]+)")  # Korean, then English with no Hangul


def included(path: Path, title: str, language: str) -> str:
    """The code of the cell titled ``title`` in the script at ``path``, its bilingual comments in ``language``."""
    sources = [cell.source for cell in jupytext.read(path).cells if cell.metadata.get("title") == title]
    if len(sources) != 1:
        raise ValueError(f"{path.name} has {len(sources)} cells '# %% {title}', not one")
    lines = sources[0].splitlines()
    for token in tokenize.generate_tokens(io.StringIO(sources[0]).readline):
        if token.type == tokenize.COMMENT and (bilingual := BILINGUAL.fullmatch(token.string)):
            row, column = token.start
            lines[row - 1] = lines[row - 1][:column] + "# " + bilingual[language]
    return "\n".join(lines)


def build(chapter: str, language: str) -> nbformat.NotebookNode:
    """The chapter's notebook in ``language`` ("ko" or "en"), without outputs."""
    script = jupytext.read(script_of(chapter, language), fmt="py:percent")
    if not script.cells[0].source.startswith(LINT_LINE):
        raise ValueError(f"{script_of(chapter, language).name} must start with the linter's line, {LINT_LINE!r}")
    cells = []
    for index, cell in enumerate(script.cells[1:]):
        cell_id = f"{language}-{index:03d}"
        if cell.cell_type == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(cell.source, id=cell_id))
            continue
        source = cell.source
        if source.startswith("# include:"):
            if not (include := INCLUDE.fullmatch(source)):
                raise ValueError(f'{source!r}: an include marker reads # include: FILE, cell "TITLE"')
            source = included(HERE / include["path"], include["title"], language)
        metadata = {"tags": cell.metadata["tags"]} if "tags" in cell.metadata else {}
        cells.append(nbformat.v4.new_code_cell(source, id=cell_id, metadata=metadata))
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=METADATA)
    nbformat.validate(notebook)
    return notebook


def text_of(chapter: str, language: str) -> str:
    """The notebook file's text, exactly as ``nbformat.write`` writes it."""
    text = nbformat.writes(build(chapter, language))
    return text if text.endswith("\n") else text + "\n"


def script_of(chapter: str, language: str) -> Path:
    return HERE / f"{chapter}_{language}.py"


def path_of(chapter: str, language: str) -> Path:
    return HERE / f"{chapter}_{language}.ipynb"


def main() -> None:
    for chapter in CHAPTERS:
        for language in LANGUAGES:
            path_of(chapter, language).write_text(text_of(chapter, language), encoding="utf-8")
            print("wrote", path_of(chapter, language))


if __name__ == "__main__":
    main()
