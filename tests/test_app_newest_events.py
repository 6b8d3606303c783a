"""The newest real events on the map: a UCDP Candidate file (March-April 2026) imported into the
store shows at ?period=2026-04. The file is read from ../shared/datasets, never committed."""

import pytest
import streamlit as st

from geo import store
from geo.importers import import_file
from scripts import inputs
from tests.harness import map_view, open_app

UCDP = inputs.DATASETS_DIR / "ucdp-candidate-2026-04" / "GEDEvent_v26_0_4.csv"
pytestmark = pytest.mark.skipif(not UCDP.exists(), reason=f"the real file {UCDP} is not present")


@pytest.fixture
def imported(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ATLAS_DATABASE_URL", "")
    result = import_file(UCDP)
    store.open_store().add_dataset("ucdp-candidate", result.incidents, UCDP.name, result.report.layout,
                                   result.report.to_dict())
    yield result.incidents
    st.cache_resource.clear()


def test_april_2026_shows_the_imported_ucdp_candidate_events(imported):
    at = open_app(period="2026-04")
    assert not at.exception
    assert at.selectbox(key="period_month").value == "2026-04"
    april = imported[imported["occurred_on"].dt.strftime("%Y-%m") == "2026-04"]
    records_tile = next(m for m in at.metric if m.label.startswith("Atlas records"))
    assert int(records_tile.value.replace(",", "")) == april["counts_in_totals"].sum() > 0
    markers = map_view(at)["markers"]
    assert len(markers) == april.geometry.notna().sum()
    assert all("Dataset</th><td>ucdp-candidate" in marker[6] for marker in markers)
