"""The docs hold what the code holds: generated pages are current."""

from pathlib import Path

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
