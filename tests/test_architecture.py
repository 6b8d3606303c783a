"""Guards on the layout: geo/ stays pure Python, pages stay thin."""

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_geo_never_imports_streamlit():
    offenders = [
        str(path.relative_to(PROJECT))
        for path in (PROJECT / "geo").rglob("*.py")
        if {"streamlit", "streamlit_folium"} & imported_modules(path)
    ]
    assert offenders == [], f"geo/ must stay pure Python; these import streamlit: {offenders}"


def test_the_guard_sees_a_streamlit_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from streamlit import session_state\nimport os\n")
    assert imported_modules(sample) == {"streamlit", "os"}


def test_only_pages_call_st_folium():
    callers = {
        str(path.relative_to(PROJECT))
        for path in PROJECT.rglob("*.py")
        if not {".venv", "tests", "bench", ".cache"} & set(path.parts)
        and "st_folium(" in path.read_text(encoding="utf-8")
    }
    assert callers and all(c.startswith("pages/") for c in callers), callers


def test_pages_stay_thin():
    """A page reads widgets, calls geo and renders; helpers it needs live in pages/ui/."""
    pages = list((PROJECT / "pages").glob("*.py"))
    long = {path.name: lines for path in pages if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 80}
    assert len(pages) == 5 and long == {}, long
