"""AppTest for the Map page: quarter switching, KPIs, filters and URL state."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def run_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def metric(at: AppTest, label_start: str):
    return next(m for m in at.metric if m.label.startswith(label_start))


def map_script(at: AppTest) -> str:
    (component,) = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    return json.loads(component.proto.json_args)["script"]


@pytest.fixture(scope="module")
def default_view():
    return run_app()


def test_opens_on_the_latest_quarter_without_errors(default_view):
    assert not default_view.exception
    assert default_view.selectbox(key="quarter").value == "2025Q4"
    assert "2025Q4" in default_view.title[0].value


def test_latest_quarter_without_a_published_figure_shows_no_data(default_view):
    # CRSS published no 2025Q4 quarterly total: missing, never zero.
    assert metric(default_view, "Deaths").value == "no data"


def test_switching_to_2024q2_shows_380_deaths_and_minus_12_percent(default_view):
    at = default_view
    at.selectbox(key="quarter").select("2024Q2").run()
    deaths = metric(at, "Deaths")
    assert deaths.value == "380"
    assert deaths.delta == "-12%"
    assert metric(at, "Injured").value == "220"
    assert metric(at, "Incidents").value == "240"


def test_url_parameters_restore_the_view():
    at = run_app(quarter="2024Q2", org="CRSS", f_event_type="terror_attack")
    assert not at.exception
    assert at.selectbox(key="quarter").value == "2024Q2"
    assert at.multiselect(key="f_event_type").value == ["terror_attack"]


def test_a_filter_shrinks_the_table_and_the_map():
    at = run_app(quarter="2024Q1")
    before = int(metric(at, "Atlas records").value)
    markers_before = map_script(at).count('"tip": ')
    at.multiselect(key="f_event_type").set_value(["terror_attack"]).run()
    after = int(metric(at, "Atlas records").value)
    assert 0 < after < before
    table = at.dataframe[0].value
    assert table["atlas records"].sum() <= after
    assert 0 < map_script(at).count('"tip": ') < markers_before


def test_the_map_draws_provinces_and_each_located_incident():
    at = run_app(quarter="2024Q1")
    script = map_script(at)
    assert "Khyber Pakhtunkhwa" in script and "Balochistan" in script
    from geo import records

    incidents = records.load_incidents()
    in_quarter = incidents[(incidents["quarter"] == "2024Q1") & incidents.geometry.notna()]
    assert script.count('"tip": ') == len(in_quarter)
    assert "tile.openstreetmap" not in script

