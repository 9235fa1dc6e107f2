"""Every notebook in ``examples/notebooks`` runs top to bottom in a fresh kernel and shows what it should: each
chapter (the seed tutorial; convolution three ways and the digits CNN; forward and reverse mode, Hessians, Newton's
method and a gradient penalty) in Korean and in English.

The kernel is this interpreter (a kernelspec named ``python3`` written to a temporary folder), so the test
does not depend on which kernels the machine has installed; it starts in the repository root with the root
on ``PYTHONPATH``, so the notebooks can ``import minigrad`` and ``reference`` from the checkout.
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
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
_RUNS: dict[Path, tuple[nbformat.NotebookNode, float]] = {}  # each notebook executed once, whichever tests read it


def chapter_of(path: Path) -> str:
    return path.stem.rsplit("_", 1)[0]  # seed_tutorial_ko -> seed_tutorial


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


def execute(path: Path, kernel_dir: Path) -> tuple[nbformat.NotebookNode, float]:
    """The notebook after running every cell in a fresh kernel (a failing cell raises CellExecutionError), and the
    seconds it took; run once per session."""
    if path not in _RUNS:
        notebook = nbformat.read(path, as_version=4)
        manager = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[
            str(kernel_dir)]))
        client = nbclient.NotebookClient(notebook, km=manager, timeout=300, kernel_name="python3",
                                         resources={"metadata": {"path": str(ROOT)}})
        start = time.perf_counter()
        client.execute()
        _RUNS[path] = notebook, time.perf_counter() - start
    return _RUNS[path]


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda path: path.stem)
def executed(request: pytest.FixtureRequest, kernel_dir: Path) -> tuple[nbformat.NotebookNode, float]:
    return execute(request.param, kernel_dir)


@pytest.fixture(scope="module", params=[p for p in NOTEBOOKS if chapter_of(p) == "seed_tutorial"],
                ids=lambda path: path.stem)
def seed(request: pytest.FixtureRequest, kernel_dir: Path) -> tuple[nbformat.NotebookNode, float]:
    return execute(request.param, kernel_dir)


@pytest.fixture(scope="module", params=[p for p in NOTEBOOKS if chapter_of(p) == "conv_chapter"],
                ids=lambda path: path.stem)
def conv(request: pytest.FixtureRequest, kernel_dir: Path) -> tuple[nbformat.NotebookNode, float]:
    return execute(request.param, kernel_dir)


@pytest.fixture(scope="module", params=[p for p in NOTEBOOKS if chapter_of(p) == "autodiff_chapter"],
                ids=lambda path: path.stem)
def autodiff(request: pytest.FixtureRequest, kernel_dir: Path) -> tuple[nbformat.NotebookNode, float]:
    return execute(request.param, kernel_dir)


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
    assert {path.name for path in NOTEBOOKS} >= {"seed_tutorial_ko.ipynb", "seed_tutorial_en.ipynb",
                                                 "conv_chapter_ko.ipynb", "conv_chapter_en.ipynb",
                                                 "autodiff_chapter_ko.ipynb", "autodiff_chapter_en.ipynb"}


def test_runs_in_time(executed: tuple[nbformat.NotebookNode, float]) -> None:
    notebook, seconds = executed
    assert all(cell.get("execution_count") for cell in notebook.cells if cell.cell_type == "code")
    assert seconds < TIME_LIMIT_S, f"the notebook took {seconds:.1f} s"


def test_explain_shows_the_chain_rule(seed: tuple[nbformat.NotebookNode, float]) -> None:
    text = all_text(seed[0])
    assert "PowBackward0" in text and "w.grad = 8." in text
    assert "MseLossBackward0" in text and "BinaryCrossEntropyBackward0" in text
    assert "grad_W = grad^T @ x: (1, 3) @ (3, 1) → (1, 1)" in text  # the linear layer's product, as computed
    assert "✓ PyTorch sends the same gradients" in text
    assert "DIFFERS" not in text


def assert_comparisons_hold(notebook: nbformat.NotebookNode, at_least: int) -> None:
    comparisons = cells_tagged(notebook, "compare")
    assert len(comparisons) >= at_least
    for cell in comparisons:
        text = output_text(cell)
        assert "True" in text and "False" not in text, f"{cell.source}\nprinted\n{text}"


@needs_exact_small_products
def test_every_comparison_holds(seed: tuple[nbformat.NotebookNode, float]) -> None:
    assert_comparisons_hold(seed[0], 15)


@needs_exact_small_products
def test_comparison_table_is_bit_identical(seed: tuple[nbformat.NotebookNode, float]) -> None:
    text = all_text(seed[0])
    assert "verdict: bit-identical" in text
    assert "Epoch 2000/2000 Loss:" in text and "Epoch 1000/1000 Cost:" in text


def test_graph_is_displayed(seed: tuple[nbformat.NotebookNode, float]) -> None:
    notebook = seed[0]
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
    assert sorted(build.path_of(c, lang) for c in build.CHAPTERS for lang in build.LANGUAGES) == NOTEBOOKS
    for chapter in build.CHAPTERS:
        for language in build.LANGUAGES:
            path = build.path_of(chapter, language)
            assert path.read_text(encoding="utf-8") == build.text_of(chapter, language), (
                f"{path.name} differs from what examples/notebooks/build.py writes from "
                f"{build.script_of(chapter, language).name}: run it")


def _code_only(source: str) -> list[tuple[int, str]]:
    """The tokens of ``source`` without comments, and with every string's text blanked out."""
    strings = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)}
    skip = {tokenize.COMMENT, tokenize.NL}
    return [(token.type, "" if token.type in strings else token.string)
            for token in tokenize.generate_tokens(io.StringIO(source + "\n").readline) if token.type not in skip]


@pytest.mark.parametrize("chapter", ["seed_tutorial", "conv_chapter", "autodiff_chapter"])
def test_both_languages_run_the_same_code(build, chapter: str) -> None:
    """Only markdown, comments and printed labels are translated: cell for cell, the code is the same."""
    korean, english = (build.build(chapter, language).cells for language in build.LANGUAGES)
    assert [cell.cell_type for cell in korean] == [cell.cell_type for cell in english]
    for ko, en in zip(korean, english):
        if ko.cell_type == "code":
            assert ko.metadata == en.metadata and _code_only(ko.source) == _code_only(en.source), (
                f"the Korean and English cells differ beyond comments and strings:\n{ko.source}\n---\n{en.source}")


@pytest.mark.parametrize("chapter, programs", [("seed_tutorial", ["model = nn.Linear(1, 1)", "model = nn.Sequential("]),
                                               ("conv_chapter", ["model = nn.Sequential(", "digits = load_digits()"]),
                                               ("autodiff_chapter", ["x_data = [[1, 2], [2, 3]"])])
def test_program_cells_come_from_the_examples(build, chapter: str, programs: list[str]) -> None:
    """The example programs appear in the notebooks as the example scripts' cells, not as copies."""
    for language in build.LANGUAGES:
        script = build.script_of(chapter, language).read_text(encoding="utf-8")
        notebook = build.text_of(chapter, language)
        for program in programs:
            assert program not in script and program in notebook


def test_conv_chapter_checks_each_construction(conv: tuple[nbformat.NotebookNode, float]) -> None:
    """Loops, im2col and nn.Conv2d each printed beside PyTorch and agreeing; the digits CNN's two epochs too."""
    notebook = conv[0]
    assert_comparisons_hold(notebook, 7)
    text = all_text(notebook)
    assert text.count("minigrad [") >= 6 and text.count("PyTorch  [") >= 6  # each result beside PyTorch's
    assert "epoch 2: loss" in text and "epoch 3" not in text


def test_conv_chapter_explains_both_gradients(conv: tuple[nbformat.NotebookNode, float]) -> None:
    """explain on the one-channel convolution: both formulas with the call's geometry, and the worked sums."""
    text = all_text(conv[0])
    assert "grad_input = conv_transpose2d(grad, weight, stride=(1, 1), padding=(1, 1)" in text
    assert "grad_weight = correlate(input, grad, stride=(1, 1), padding=(1, 1)" in text
    assert "grad_input[1, 1] = grad[0, 0]·weight[2, 2]" in text and "grad_weight[0, 0] = grad[1, 1]·input[0, 0]" in text


def test_autodiff_chapter_puts_each_result_beside_pytorchs(autodiff: tuple[nbformat.NotebookNode, float]) -> None:
    """Forward mode's tangent, a gradient and H u, four Jacobians, two Hessians, Newton's theta and loss, the
    gradient penalty and the critic's gradients: each printed beside PyTorch's and agreeing (float64, 1e-12)."""
    notebook, seconds = autodiff
    assert seconds < 20, f"the chapter took {seconds:.1f} s"
    assert_comparisons_hold(notebook, 6)
    text = all_text(notebook)
    assert text.count("minigrad [") >= 14 and text.count("PyTorch  [") >= 14 and "agree: False" not in text


def test_autodiff_chapter_measures_both_modes(autodiff: tuple[nbformat.NotebookNode, float]) -> None:
    """The Jacobians' timings, measured: the passes each way, and milliseconds."""
    text = all_text(autodiff[0])
    assert re.search(r"wide: J is 4 x 256; by columns \(forward mode\) 256 passes, +[\d.]+ ms; "
                     r"by rows \(reverse mode\) +4 passes, +[\d.]+ ms", text)
    assert re.search(r"tall: J is 256 x 4; by columns \(forward mode\) +4 passes, +[\d.]+ ms; "
                     r"by rows \(reverse mode\) 256 passes, +[\d.]+ ms", text)


def test_autodiff_chapter_shows_both_modes_step_by_step(autodiff: tuple[nbformat.NotebookNode, float]) -> None:
    """explain_forward's tangents and JVP rules; the gradient's graph drawn; explain walking it, checked by PyTorch;
    Newton's method converging quadratically to a gradient at rounding level."""
    text = all_text(autodiff[0])
    assert "d(tanh x) = (1 - tanh(x)^2) * dx" in text and "its tangent J v = " in text
    assert "digraph minigrad" in text and "TanhBackward0" in text
    assert "✓ PyTorch sends the same gradients" in text and "DIFFERS" not in text
    norms = [float(g) for g in re.findall(r"step \d: loss [\d.]+, \|g\| ([\d.e+-]+)", text)]
    assert len(norms) == 7 and norms[-1] < 1e-14 and norms[4] < norms[3] ** 1.5
