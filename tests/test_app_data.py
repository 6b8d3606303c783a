"""AppTest for the Data page on a fresh store ($ATLAS_HOME in a temporary directory).

AppTest cannot drive ``st.file_uploader`` (it has no upload API), so datasets are saved through
``geo.store`` exactly as the page saves an upload (``import_file`` + ``add_dataset`` with the
report as ``ImportReport.to_dict``); the browser journey (tests/browser/test_data_journey.py)
uploads a real file. Cross-page behaviour (Map counts, remove/undo, corrections, restart) is in
tests/test_app_store.py.
"""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo import store
from geo.importers import import_file

APP = str(Path(__file__).resolve().parents[1] / "app.py")
FIXTURES = Path(__file__).parent / "fixtures"


def save(atlas_store: store.Store, fixture: str, name: str, report: dict | None = None) -> None:
    result = import_file(FIXTURES / fixture)
    atlas_store.add_dataset(name, result.incidents, fixture, result.report.layout,
                            result.report.to_dict() if report is None else report)


def data_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def tables(at: AppTest) -> dict[str, object]:
    """The page's tables by what they hold (AppTest does not expose st.dataframe keys)."""
    found = {}
    for frame in (element.value for element in at.dataframe):
        kind = ("datasets" if "source_file" in frame else "records" if "link" in frame
                else "report" if "action" in frame else "history" if "changed_at" in frame else "other")
        found.setdefault(kind, frame)
    return found


def test_a_fresh_store_lists_only_the_shipped_data(atlas_store):
    at = data_page()
    assert not at.error
    assert "200 MB" in at.caption[0].value
    listed = tables(at)["datasets"]
    assert listed["name"].tolist() == ["atlas"] and listed["rows"].tolist() == [64]
    assert set(tables(at)["records"]["dataset"]) == {"atlas"}
    assert at.multiselect(key="datasets_shown").value == ["atlas"]
    assert any("read-only" in caption.value for caption in at.caption)
    assert any("shipped data is read-only" in info.value for info in at.info)


def test_a_stored_dataset_is_listed_with_its_import_report(atlas_store):
    save(atlas_store, "kaggle_drone.csv", "drones")
    at = data_page()
    assert not at.error
    listed = tables(at)["datasets"]
    assert listed["name"].tolist() == ["atlas", "drones"]
    assert listed.iloc[1][["source_file", "format", "rows"]].tolist() == ["kaggle_drone.csv", "kaggle", 2]
    assert listed["imported_at"].iloc[1] is not None
    assert {m.label: m.value for m in at.metric} == {"Read": "3", "Imported": "2", "Fixed": "1", "Rejected": "1"}
    assert "swapped" in " ".join(tables(at)["report"]["reason"])
    assert any(b.label == "Download report (CSV)" for b in at.get("download_button"))
    assert set(tables(at)["records"]["dataset"]) == {"atlas", "drones"}
    assert at.multiselect(key="datasets_shown").value == ["atlas", "drones"]


def test_a_dataset_saved_with_counts_only_still_shows_them(atlas_store):
    # `python -m geo run --save` stores just report.counts()
    save(atlas_store, "gtd_subset.csv", "gtd", report={"read": 6, "imported": 6, "fixed": 4, "rejected": 0})
    at = data_page()
    assert not at.error
    assert {m.label: m.value for m in at.metric} == {"Read": "6", "Imported": "6", "Fixed": "4", "Rejected": "0"}
    assert tables(at)["report"].empty


def test_the_shipped_data_cannot_be_corrected_or_removed(atlas_store):
    save(atlas_store, "gtd_subset.csv", "gtd")
    at = data_page()
    assert at.selectbox(key="correct_dataset").options == ["gtd"]
    assert [b.key for b in at.button if b.key and b.key.startswith("remove_")] == ["remove_gtd"]


def test_an_unknown_record_id_says_so(atlas_store):
    save(atlas_store, "gtd_subset.csv", "gtd")
    at = data_page()
    at.text_input(key="correct_id").set_value("no-such-id").run()
    assert not at.exception
    assert any("no record with the ID 'no-such-id'" in w.value for w in at.warning)
