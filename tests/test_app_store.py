"""The app on the persistent store: a stored dataset reaches every page, the Data page's choice,
removal with undo and corrections work, and a restart (new AppTest, caches cleared) keeps them.

(The pure helpers the Data page uses are tested in tests/test_data_view.py.) The store is a fresh
GeoPackage under a temporary $ATLAS_HOME per test; the app keys its cached store handle by that
path, so tests never share a store even though st.cache_resource lives for the whole process.
"""

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import store
from geo.importers import import_file
from tests.harness import map_view

APP = str(Path(__file__).resolve().parents[1] / "app.py")
GTD = Path(__file__).parent / "fixtures" / "gtd_subset.csv"
QUARTER = "2008Q1"  # every record of the GTD fixture is in this quarter
RECORD = "GTD-200801010001"  # Peshawar, killed 3


# --- the app --------------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A store holding the GTD fixture as dataset "gtd", at a fresh $ATLAS_HOME."""
    monkeypatch.setenv("ATLAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ATLAS_DATABASE_URL", "")
    result = import_file(GTD)
    store.open_store().add_dataset("gtd", result.incidents, GTD.name, result.report.layout,
                                   result.report.to_dict())
    yield tmp_path / "home"
    st.cache_resource.clear()


def open_app(page: str = "pages/data.py", **query) -> AppTest:
    """A new visitor following a link: the query is there from the first run on."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update(query)
    return switch(at.run(), page, **query)


def switch(at: AppTest, page: str, **query) -> AppTest:
    at.switch_page(page)
    at.query_params.clear()
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def restart() -> AppTest:
    """A new server process: every cached resource gone (the store is opened and purged again)."""
    st.cache_resource.clear()
    st.cache_data.clear()
    return open_app()


def atlas_records(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label.startswith("Atlas records"))


def records_table(at: AppTest) -> pd.DataFrame:
    return next(e.value for e in at.dataframe if "link" in e.value)


def history_table(at: AppTest) -> pd.DataFrame:
    return next(e.value for e in at.dataframe if "changed_at" in e.value)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_the_map_counts_the_stored_dataset_and_its_popups_name_it(home):
    at = switch(open_app(), "pages/map.py", quarter=QUARTER)
    assert at.selectbox(key="period_quarter").value == QUARTER
    assert atlas_records(at) == "6"
    markers = map_view(at)["markers"]
    located = import_file(GTD).incidents.geometry.notna().sum()
    gtd_popups = [m for m in markers if "<th>Dataset</th><td>gtd</td>" in m[6]]
    assert len(gtd_popups) == located == 4  # one marker per located record, its popup naming the dataset


def test_deselecting_a_dataset_takes_it_off_every_page(home):
    at = open_app()
    assert at.multiselect(key="datasets_shown").value == ["atlas", "gtd"]
    at.multiselect(key="datasets_shown").set_value(["atlas"]).run()
    assert set(records_table(at)["dataset"]) == {"atlas"}
    at = switch(at, "pages/map.py", quarter=QUARTER)
    assert QUARTER not in at.selectbox(key="period_quarter").options
    at = switch(at, "pages/data.py")
    assert at.multiselect(key="datasets_shown").value == ["atlas"]  # the choice holds across pages
    at.multiselect(key="datasets_shown").set_value(["gtd"]).run()
    assert set(records_table(at)["dataset"]) == {"gtd"}


def test_a_link_with_the_choice_opens_any_page_with_it(home):
    at = open_app("pages/map.py", quarter=QUARTER, datasets_shown="atlas")
    assert QUARTER not in at.selectbox(key="period_quarter").options
    at = open_app("pages/map.py", quarter=QUARTER)
    assert atlas_records(at) == "6"


def test_removing_needs_confirmation_and_can_be_undone(home):
    at = open_app()
    assert at.button(key="remove_gtd").disabled
    at.checkbox(key="sure_gtd").check().run()
    at.button(key="remove_gtd").click().run()
    assert not at.exception
    assert any("removed" in s.value for s in at.success)
    assert set(records_table(at)["dataset"]) == {"atlas"}
    assert at.multiselect(key="datasets_shown").options == ["atlas"]
    assert QUARTER not in switch(at, "pages/map.py", quarter=QUARTER).selectbox(key="period_quarter").options
    at = switch(at, "pages/data.py")
    at.button(key="undo_gtd").click().run()
    assert any("is back" in s.value for s in at.success)
    assert set(records_table(at)["dataset"]) == {"atlas", "gtd"}
    assert atlas_records(switch(at, "pages/map.py", quarter=QUARTER)) == "6"


def test_a_removal_not_undone_is_gone_after_a_restart(home):
    at = open_app()
    at.checkbox(key="sure_gtd").check().run()
    at.button(key="remove_gtd").click().run()
    at = restart()
    assert not any(b.key == "undo_gtd" for b in at.button)
    assert set(records_table(at)["dataset"]) == {"atlas"}
    assert store.open_store().datasets(include_removed=True)["name"].tolist() == ["atlas"]


def correct(at: AppTest, changes: dict, reason: str) -> AppTest:
    at.text_input(key="correct_id").set_value(RECORD).run()
    at.multiselect(key="correct_fields").set_value(list(changes)).run()
    for field, value in changes.items():
        at.text_input(key=f"correct_{RECORD}_{field}").set_value(value)
    at.text_input(key="correct_reason").set_value(reason)
    button(at, "Save correction").click().run()
    assert not at.exception
    return at


def test_a_correction_is_saved_shown_in_history_and_kept_after_a_restart(home):
    at = correct(open_app(), {"killed": "4", "killed_low": "4", "killed_high": "4"}, "Dawn, 2 Jan 2008: four dead")
    assert not at.error
    assert any("killed 3 → 4" in s.value for s in at.success)
    history = history_table(at)
    assert history[["field", "old_value", "new_value"]].values.tolist()[-1] == ["killed", "3", "4"]
    assert set(history["reason"]) == {"Dawn, 2 Jan 2008: four dead"} and history["changed_at"].notna().all()
    records = records_table(at)
    assert records.loc[records["id"] == RECORD, "killed"].tolist() == [4]  # cache cleared after the correction

    at = restart()
    records = records_table(at)
    assert records.loc[records["id"] == RECORD, "killed"].tolist() == [4]
    at.text_input(key="correct_id").set_value(RECORD).run()
    assert len(history_table(at)) == 3


@pytest.mark.parametrize(("changes", "reason", "message"), [
    ({"killed": "4"}, "   ", "needs a reason"),
    ({"killed": "many", "killed_low": "many"}, "typo", "column 'killed'"),
    ({"killed": "4"}, "only one of the three", "expected equal to killed_low"),
])
def test_a_bad_correction_is_refused_with_a_readable_error(home, changes, reason, message):
    at = correct(open_app(), changes, reason)
    (error,) = at.error
    assert "not saved" in error.value and message in error.value
    assert history_table(at).empty
    assert store.open_store().record("gtd", RECORD)["killed"].tolist() == [3]
