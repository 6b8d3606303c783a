"""AppTest for the Map page: quarter switching, KPIs, filters and URL state."""


import pytest
from streamlit.testing.v1 import AppTest

from geo.figures import load_figures, select_series
from geo.incidents import load_incidents
from tests.harness import map_args, map_view, open_app


def run_app(**query) -> AppTest:
    return open_app(**query)


def metric(at: AppTest, label_start: str):
    return next(m for m in at.metric if m.label.startswith(label_start))


def province_table(at: AppTest) -> dict[str, list[str]]:
    """The Map page's province table (Markdown), as column -> cells."""
    (text,) = [m.value for m in at.markdown if m.value.startswith("| province |")]
    header, _, *rows = [[cell.strip() for cell in line.strip("|").split(" | ")] for line in text.splitlines()]
    return {name: [row[i] for row in rows] for i, name in enumerate(header)}


@pytest.fixture(scope="module")
def default_view():
    return run_app()


def test_opens_on_the_latest_period_with_published_figures(default_view):
    # CRSS's latest national figures are its 2025 annual report (no 2025Q4 quarter was published).
    assert not default_view.exception
    assert default_view.radio(key="granularity").value == "year"
    assert default_view.selectbox(key="period_year").value == "2025"
    assert "2025" in default_view.title[0].value
    assert metric(default_view, "Deaths").value != "no data"
    view = map_view(default_view)
    assert view["period"] == "2025"
    assert view["provinces"]["PK-KP"][0] is not None and view["provinces"]["PK-BA"][0] is not None


def test_a_quarter_without_a_published_figure_stays_selectable_and_shows_no_data():
    at = run_app(quarter="2025Q4")
    assert at.selectbox(key="period_quarter").value == "2025Q4"
    assert metric(at, "Deaths").value == "no data"  # missing, never zero
    view = map_view(at)
    assert view["period"] == "2025Q4" and all(colour is None for colour, _ in view["provinces"].values())


def test_each_organisation_opens_on_its_own_latest_published_period():
    at = run_app(org="PICSS")
    assert not at.exception
    assert metric(at, "Deaths").value != "no data"
    assert at.query_params["period"] == map_view(at)["period"]


def test_switching_to_2024q2_shows_380_deaths_and_minus_12_percent(default_view):
    at = default_view
    at.radio(key="granularity").set_value("quarter").run()
    at.selectbox(key="period_quarter").select("2024Q2").run()
    deaths = metric(at, "Deaths")
    assert deaths.value == "380"
    assert deaths.delta == "-12%"
    assert metric(at, "Injured").value == "220"
    assert metric(at, "Incidents").value == "240"


def test_url_parameters_restore_the_view():
    at = run_app(quarter="2024Q2", org="CRSS", f_event_type="terror_attack")
    assert not at.exception
    assert at.selectbox(key="period_quarter").value == "2024Q2"
    assert at.multiselect(key="f_event_type").value == ["terror_attack"]


def test_a_filter_shrinks_the_table_and_the_map():
    at = run_app(quarter="2024Q1")
    before = int(metric(at, "Atlas records").value)
    markers_before = len(map_view(at)["markers"])
    at.multiselect(key="f_event_type").set_value(["terror_attack"]).run()
    after = int(metric(at, "Atlas records").value)
    assert 0 < after < before
    table = province_table(at)
    assert sum(int(n) for n in table["atlas records"]) <= after
    assert table["province"][0] == "Balochistan" and "no data" in table[r"published deaths \(CRSS\)"]
    assert 0 < len(map_view(at)["markers"]) < markers_before


def test_the_map_colours_provinces_and_draws_each_located_incident():
    at = run_app(quarter="2024Q1")
    view = map_view(at)
    assert view["provinces"]["PK-BA"][0] is not None and "178" in view["provinces"]["PK-BA"][1]
    assert view["provinces"]["PK-KP"][0] is None  # CRSS gave no KP figure for 2024Q1
    incidents = load_incidents()
    in_quarter = incidents[(incidents["quarter"] == "2024Q1") & incidents.geometry.notna()]
    assert len(view["markers"]) == len(in_quarter)
    assert "Deaths, 2024Q1 (CRSS)" in view["legend"]


def test_reruns_send_the_same_base_map_so_the_browser_keeps_it():
    at = run_app(quarter="2024Q1")
    before = map_args(at)
    at.selectbox(key="period_quarter").select("2024Q2").run()
    after = map_args(at)
    assert before["script"] == after["script"] and before["key"] == after["key"]
    assert before["feature_group"] != after["feature_group"]
    assert len(after["script"]) + len(after["feature_group"]) < 60_000  # no boundary geometry per rerun
    assert all(not link.startswith("http") for link in after["js_links"] + after["css_links"])


def test_an_old_quarter_link_still_opens_its_quarter():
    at = run_app(quarter="2024Q2")
    assert metric(at, "Deaths").value == "380" and metric(at, "Deaths").delta == "-12%"
    assert at.query_params["period"] == "2024Q2" and "quarter" not in at.query_params


def test_a_year_shows_the_annual_report_with_the_change_against_the_year_before():
    at = run_app(period="2024")
    assert at.radio(key="granularity").value == "year"
    deaths = metric(at, "Deaths")
    assert deaths.value != "no data" and deaths.delta is not None  # 2024 against 2023, both published
    assert map_view(at)["period"] == "2024"


def test_a_month_selects_that_months_incidents_only():
    at = run_app(period="2024-03")
    assert at.selectbox(key="period_month").value == "2024-03"
    incidents = load_incidents()
    in_month = incidents[(incidents["occurred_on"].dt.strftime("%Y-%m") == "2024-03") & incidents["counts_in_totals"]]
    assert metric(at, "Atlas records").value == str(len(in_month))
    assert len(map_view(at)["markers"]) == in_month.geometry.notna().sum()


def test_a_figure_resting_on_a_weaker_page_is_marked_lower_confidence():
    at = run_app(period="2025Q3")
    sindh = map_view(at)["provinces"]["PK-SD"]
    assert sindh[0] is not None and "lower confidence" in sindh[1]
    assert "lower confidence" not in map_view(at)["provinces"]["PK-BA"][1]
    table = province_table(at)
    row = table["province"].index("Sindh")
    assert table["source confidence"][row] in ("Low confidence", "Secondary page only")
    at = run_app(period="2025")
    assert "lower confidence" in metric(at, "Incidents").help


def test_picss_february_2026_shows_its_monthly_figures():
    at = run_app(period="2026-02", org="PICSS")
    assert at.selectbox(key="period_month").value == "2026-02"
    assert "2026-02" in at.title[0].value
    deaths = metric(at, "Deaths (PICSS)")
    figures = select_series(load_figures(), "latest")
    expected = figures[(figures["source_org"] == "PICSS") & (figures["period"] == "2026-02")
                       & (figures["region_id"] == "PK") & (figures["metric"] == "deaths")]["value"]
    assert len(expected) == 1 and deaths.value == f"{expected.iloc[0]:,.0f}"
    assert deaths.delta is not None  # against 2026-01, also published
    assert map_view(at)["period"] == "2026-02"
