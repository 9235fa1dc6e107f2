"""Every notebook in ``examples/notebooks`` runs top to bottom in a fresh kernel and shows what it should.

The kernel is this interpreter (a kernelspec named ``python3`` written to a temporary folder), so the test
does not depend on which kernels the machine has installed; it starts in the repository root with the root
on ``PYTHONPATH``, so the notebooks can ``import minigrad`` and ``reference`` from the checkout.
"""

from __future__ import annotations

import importlib.util
import io
import os
import time
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

NEEDS = "the notebook tests need {} (pip install 'minigrad[notebooks]')"
nbformat = pytest.importorskip("nbformat", reason=NEEDS.format("nbformat"))
nbclient = pytest.importorskip("nbclient", reason=NEEDS.format("nbclient"))
kernelspec = pytest.importorskip("ipykernel.kernelspec", reason=NEEDS.format("ipykernel"))

from conftest import needs_exact_small_products  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402 (nbclient's dependency: import after the skip)
from jupyter_client.manager import AsyncKernelManager  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "examples" / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
TIME_LIMIT_S = 60  # each notebook, kernel start included


@pytest.fixture(scope="module")
def build():
    """examples/notebooks/build.py, which writes the notebooks from their percent scripts (needs jupytext)."""
    pytest.importorskip("jupytext", reason=NEEDS.format("jupytext"))
    spec = importlib.util.spec_from_file_location("notebooks_build", FOLDER / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A kernels folder holding ``python3``: an ipykernel that runs this very interpreter."""
    kernels = tmp_path_factory.mktemp("jupyter") / "kernels"
    kernelspec.write_kernel_spec(kernels / "python3")  # argv[0] is sys.executable
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        yield kernels


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda path: path.stem)
def executed(request: pytest.FixtureRequest, kernel_dir: Path) -> tuple[nbformat.NotebookNode, float]:
    """The notebook after running every cell in a fresh kernel (a failing cell raises CellExecutionError)."""
    notebook = nbformat.read(request.param, as_version=4)
    manager = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[
        str(kernel_dir)]))
    client = nbclient.NotebookClient(notebook, km=manager, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    start = time.perf_counter()
    client.execute()
    return notebook, time.perf_counter() - start


def output_text(cell: nbformat.NotebookNode, mime: str = "text/plain") -> str:
    """Everything a code cell printed, and its displays in ``mime``."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.data.get(mime, ""))
    return "".join(parts)


def cells_tagged(notebook: nbformat.NotebookNode, tag: str) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if tag in cell.metadata.get("tags", [])]


def all_text(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(output_text(cell) for cell in notebook.cells if cell.cell_type == "code")


def test_there_are_notebooks() -> None:
    assert {path.name for path in NOTEBOOKS} >= {"seed_tutorial_ko.ipynb", "seed_tutorial_en.ipynb"}


def test_runs_in_time(executed: tuple[nbformat.NotebookNode, float]) -> None:
    notebook, seconds = executed
    assert all(cell.get("execution_count") for cell in notebook.cells if cell.cell_type == "code")
    assert seconds < TIME_LIMIT_S, f"the notebook took {seconds:.1f} s"


def test_explain_shows_the_chain_rule(executed: tuple[nbformat.NotebookNode, float]) -> None:
    text = all_text(executed[0])
    assert "PowBackward0" in text and "w.grad = 8." in text
    assert "MseLossBackward0" in text and "BinaryCrossEntropyBackward0" in text
    assert "✓ PyTorch sends the same gradients" in text
    assert "DIFFERS" not in text


@needs_exact_small_products
def test_every_comparison_holds(executed: tuple[nbformat.NotebookNode, float]) -> None:
    comparisons = cells_tagged(executed[0], "compare")
    assert len(comparisons) >= 15
    for cell in comparisons:
        text = output_text(cell)
        assert "True" in text and "False" not in text, f"{cell.source}\nprinted\n{text}"


@needs_exact_small_products
def test_comparison_table_is_bit_identical(executed: tuple[nbformat.NotebookNode, float]) -> None:
    text = all_text(executed[0])
    assert "verdict: bit-identical" in text
    assert "Epoch 2000/2000 Loss:" in text and "Epoch 1000/1000 Cost:" in text


def test_graph_is_displayed(executed: tuple[nbformat.NotebookNode, float]) -> None:
    notebook = executed[0]
    html = "".join(output_text(cell, "text/html") for cell in notebook.cells if cell.cell_type == "code")
    assert "MseLossBackward0" in html and "PowBackward0" in html
    assert "digraph minigrad" in all_text(notebook)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_stored_clean(path: Path) -> None:
    """No outputs in the committed file, and no cell that needs the network."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"stored with outputs:\n{cell.source}"
            assert "http" not in cell.source


def test_notebooks_are_what_build_writes(build) -> None:
    for language in build.LANGUAGES:
        path = build.path_of(language)
        assert path.read_text(encoding="utf-8") == build.text_of(language), (
            f"{path.name} differs from what examples/notebooks/build.py writes from {build.script_of(language).name}: "
            "run it")


def _code_only(source: str) -> list[tuple[int, str]]:
    """The tokens of ``source`` without comments, and with every string's text blanked out."""
    strings = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)}
    skip = {tokenize.COMMENT, tokenize.NL}
    return [(token.type, "" if token.type in strings else token.string)
            for token in tokenize.generate_tokens(io.StringIO(source + "\n").readline) if token.type not in skip]


def test_both_languages_run_the_same_code(build) -> None:
    """Only markdown, comments and printed labels are translated: cell for cell, the code is the same."""
    korean, english = (build.build(language).cells for language in build.LANGUAGES)
    assert [cell.cell_type for cell in korean] == [cell.cell_type for cell in english]
    for ko, en in zip(korean, english):
        if ko.cell_type == "code":
            assert ko.metadata == en.metadata and _code_only(ko.source) == _code_only(en.source), (
                f"the Korean and English cells differ beyond comments and strings:\n{ko.source}\n---\n{en.source}")


def test_program_cells_come_from_the_examples(build) -> None:
    """The seed's programs appear in the notebooks as the example scripts' cells, not as copies."""
    for language in build.LANGUAGES:
        script = build.script_of(language).read_text(encoding="utf-8")
        assert "model = nn.Linear(1, 1)" not in script and "model = nn.Sequential(" not in script
        notebook = build.text_of(language)
        assert "model = nn.Linear(1, 1)" in notebook and "model = nn.Sequential(" in notebook
