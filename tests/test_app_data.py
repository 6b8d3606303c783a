"""AppTest for the Data page.

AppTest cannot drive ``st.file_uploader`` (it has no upload API), so the page's import path is
tested in two halves: ``geo.importers.import_bytes`` on the fixture (what the page calls with the
uploaded bytes), and the page rendering a dataset that sits in ``st.session_state["datasets"]``
exactly as the page stores it after an upload.
"""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.importers import import_file

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "data.py")
FIXTURES = Path(__file__).parent / "fixtures"


def run_page(datasets=None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if datasets is not None:
        at.session_state["datasets"] = datasets
    return at.run()


def test_page_without_uploads_lists_shipped_records():
    at = run_page()
    assert not at.exception and not at.error
    assert "200 MB" in at.caption[0].value
    (table,) = at.dataframe
    assert set(table.value["dataset"]) == {"atlas"}


def test_page_shows_report_of_an_imported_dataset():
    result = import_file(FIXTURES / "kaggle_drone.csv")
    entry = {"incidents": result.incidents, "report": result.report}
    at = run_page({"kaggle_drone.csv": entry})
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Read": "3", "Imported": "2", "Fixed": "1", "Rejected": "1"}
    report_table, records_table = at.dataframe
    assert "swapped" in " ".join(report_table.value["reason"])
    assert set(records_table.value["dataset"]) == {"atlas", "kaggle_drone"}
    assert any(b.label == "Download report (CSV)" for b in at.get("download_button"))
