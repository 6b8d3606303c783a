"""AppTest for the Trends, Border and Sources pages, numbers checked against the data files."""

import math

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo import paths, provenance, schema
from geo.incidents import load_incidents
from geo.views import border
from tests.harness import map_view, open_app


def open_page(page: str, **query) -> AppTest:
    return open_app(page, **query)


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [frame.value for frame in at.dataframe]


def published(metric: str, org: str = "CRSS", period_type: str = "quarter") -> pd.DataFrame:
    figures = pd.read_csv(paths.FIGURES, dtype=str, keep_default_na=False)
    return figures[(figures["source_org"] == org) & (figures["metric"] == metric) & (figures["region_id"] == "PK")
                   & (figures["period_type"] == period_type)]


@pytest.fixture(scope="module")
def trends_page():
    return open_page("pages/trends.py")


@pytest.fixture(scope="module")
def border_page():
    return open_page("pages/border.py")


@pytest.fixture(scope="module")
def sources_page():
    return open_page("pages/sources.py")


def national_table(at: AppTest, metric: str) -> pd.DataFrame:
    return next(t for t in tables(at) if "metric" in t and set(t["metric"]) == {metric}
                and set(t["region"]) == {"Pakistan (national)"})


def cell(table: pd.DataFrame, org: str, period: str):
    rows = table[(table["source_org"] == org) & (table["period"] == period)]
    assert len(rows) == 1, rows
    return rows["value"].iloc[0]


def test_trends_page_runs_and_charts_every_series(trends_page):
    assert not trends_page.exception
    assert trends_page.title[0].value.startswith("Trends")
    assert len(trends_page.get("vega_lite_chart")) >= 6  # 3 national, province, victims, 3 atlas


def test_crss_2024q3_deaths_is_722_as_in_figures_csv(trends_page):
    expected = published("deaths").set_index("period")["value"]
    assert float(expected["2024Q3"]) == 722
    assert cell(national_table(trends_page, "deaths"), "CRSS", "2024Q3") == 722


def test_2023q4_has_no_crss_figure_and_shows_as_missing_not_zero(trends_page):
    assert "2023Q4" not in set(published("deaths")["period"])
    for metric in ("deaths", "injured", "incidents"):
        value = cell(national_table(trends_page, metric), "CRSS", "2023Q4")
        assert value is None or (isinstance(value, float) and math.isnan(value)), value


def test_every_quarterly_crss_value_in_the_table_matches_the_file(trends_page):
    table = national_table(trends_page, "incidents")
    for period, value in published("incidents").set_index("period")["value"].items():
        assert cell(table, "CRSS", period) == float(value)


def test_revised_2025q1_value_is_marked_and_first_published_series_switches(trends_page):
    table = national_table(trends_page, "deaths")
    row = table[(table["source_org"] == "CRSS") & (table["period"] == "2025Q1")].iloc[0]
    assert row["value"] == 900 and row["note"] == "revised"
    at = open_page("pages/trends.py")
    at.radio(key="series").set_value("first_published").run()
    row = national_table(at, "deaths").query("source_org == 'CRSS' and period == '2025Q1'").iloc[0]
    assert row["value"] == 897 and "later revised" in row["note"]


def test_trends_by_year_show_annual_reports_on_their_own_axis():
    at = open_page("pages/trends.py")
    at.radio(key="trend_granularity").set_value("year").run()
    assert not at.exception and at.title[0].value.startswith("Trends by year, 2023")
    table = national_table(at, "deaths")
    assert set(table["period"]) <= {"2023", "2024", "2025", "2026"}
    yearly = published("deaths", period_type="year")
    latest = yearly[yearly["series"].isin(schema.SERIES_CHOICES["latest"])].set_index("period")["value"]
    assert cell(table, "CRSS", "2024") == float(latest["2024"])


def test_trends_tables_carry_source_links_and_captions_name_the_source(trends_page):
    table = national_table(trends_page, "deaths")
    assert table["source"].dropna().str.startswith("http").all()
    captions = " ".join(c.value for c in trends_page.caption)
    assert "Source: CRSS" in captions and "not zero" in captions


def test_every_chart_has_a_csv_download(trends_page):
    labels = [b.label for b in trends_page.get("download_button")]
    assert len(labels) >= 7


def test_border_page_lists_every_cross_border_strike(border_page):
    incidents = pd.read_csv(paths.INCIDENTS, dtype=str, keep_default_na=False)
    expected = incidents[incidents["event_type"] == "cross_border_strike"]
    assert not border_page.exception
    strikes = tables(border_page)[0]
    assert len(strikes) == len(expected) == 12
    assert set(strikes["id"]) == set(expected["id"])
    assert strikes["source"].str.startswith("http").all()


def test_border_page_map_draws_the_strikes_and_the_border_regions(border_page):
    view = map_view(border_page)
    strikes = border.strikes(load_incidents())
    assert len(view["markers"]) == strikes.geometry.notna().sum() > 0  # one marker per located strike
    assert len(view["arrows"]) == 8  # those with a point and a known origin country
    assert any(colour is not None for colour, _ in view["border_regions"].values())


def test_border_page_totals_and_belt_share(border_page):
    totals = next(t for t in tables(border_page) if "region_id" in t)
    assert set(totals["region_id"]) >= {"PK-AF-BELT", "PK-FATA"}
    assert (totals["incidents"] > 0).all()
    share = next(m for m in border_page.metric if m.label == "All atlas records")
    assert share.value.endswith("%")


def test_sources_page_lists_every_data_file_with_its_licence(sources_page):
    assert not sources_page.exception
    files = tables(sources_page)[0]
    on_disk = {p.name for p in provenance.data_files()}
    assert set(files["file"]) == on_disk
    records = provenance.all_provenance()
    for name, licence in zip(files["file"], files["licence"], strict=True):
        assert licence == records[name]["licence"]


def test_sources_page_links_every_incident_and_shows_the_schema(sources_page):
    incidents = pd.read_csv(paths.INCIDENTS, dtype=str, keep_default_na=False)
    table = next(t for t in tables(sources_page) if "event_type" in t and "source" in t)
    assert len(table) == len(incidents)
    assert table["source"].str.startswith("http").all()
    fields = next(t for t in tables(sources_page) if "field" in t)
    assert "killed" in set(fields["field"])
    text = " ".join(m.value for m in sources_page.markdown)
    assert "pakistantoday" in text and "2023Q4" in text and "disputed" in text.lower()


@pytest.mark.parametrize("page", ["pages/map.py", "pages/trends.py", "pages/border.py", "pages/sources.py",
                                  "pages/data.py"])
def test_every_page_says_how_fresh_the_data_is(page):
    at = open_page(page)
    fresh = [c.value for c in at.caption if c.value.startswith("**How fresh**")]
    assert fresh, page
    assert "CRSS 2025" in fresh[0] and "PICSS 2026-02" in fresh[0]
    assert "incidents shown: 02 Jan 2024 to 11 Nov 2025 (64 records)" in fresh[0]


def test_official_figures_have_their_own_table_on_the_trends_page(trends_page):
    table = next(t for t in tables(trends_page) if "organisation" in t)
    assert set(table["organisation"]) <= {"ISPR (official)", "KP CTD (official)"} and len(table)
    assert table["source"].str.startswith("http").all()
    assert any("not comparable" in c.value for c in trends_page.caption)
