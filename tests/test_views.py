"""What the Map page computes, on the shipped data: KPIs, choropleth values, table, downloads."""

import io
import json
import math

import geopandas as gpd
import pandas as pd
import pytest

from geo import atlas as atlas_flow
from geo import boundaries, export, join
from geo.figures import load_figures, select_series
from geo.figures import population as load_population
from geo.incidents import load_incidents
from geo.views import map as views


@pytest.fixture(scope="module")
def atlas():
    provinces = boundaries.load_provinces()
    incidents = join.assign_regions(load_incidents(), provinces, boundaries.load_border_regions())
    figures = select_series(load_figures(), "latest")
    return incidents, figures, provinces


def test_kpis_for_2024q2(atlas):
    _, figures, _ = atlas
    kpis = views.kpis(figures, "CRSS", "2024Q2").set_index("metric")
    assert kpis.loc["deaths", "value"] == 380 and kpis.loc["deaths", "previous"] == 432
    assert views.delta(kpis.loc["deaths", "change_pct"]) == "-12%"
    assert kpis.loc["deaths", "url"].startswith("https://")


def test_quarter_without_published_total_is_no_data_not_zero(atlas):
    _, figures, _ = atlas
    kpis = views.kpis(figures, "CRSS", "2023Q4").set_index("metric")
    assert math.isnan(kpis.loc["deaths", "value"])
    assert views.number(kpis.loc["deaths", "value"]) == "no data"
    assert views.delta(views.kpis(figures, "CRSS", "2024Q1").set_index("metric").loc["deaths", "change_pct"]) is None


def test_published_choropleth_leaves_provinces_without_a_figure_missing(atlas):
    incidents, figures, provinces = atlas
    choice = views.Choice("2025Q1", "published", "deaths")
    values, labels = views.province_values(choice, figures, views.province_totals(incidents.iloc[0:0]), provinces)
    assert values["PK-KP"] == 567 and values["PK-BA"] == 317
    assert math.isnan(values["PK-SD"]) and labels["PK-SD"] == ""
    assert labels["PK-KP"] == "CRSS"


def test_per_million_divides_by_population(atlas):
    incidents, figures, provinces = atlas
    choice = views.Choice("2025Q1", "published", "deaths", per_million=True)
    values, _ = views.province_values(choice, figures, views.province_totals(incidents.iloc[0:0]), provinces)
    assert values["PK-KP"] == pytest.approx(567 / 40_856_097 * 1e6)  # the PBS 2023 census row of figures.csv


def test_population_comes_from_the_latest_census_row_of_each_region():
    figures = pd.DataFrame({
        "region_id": ["PK-GB", "PK-GB", "PK-KP", "PK-KP"], "metric": ["population"] * 3 + ["deaths"],
        "period_end": ["2017-12-31", "2023-12-31", "2023-12-31", "2023-12-31"],
        "value": [1_492_685.0, 1_787_000.0, 40_856_097.0, 5.0],
    })
    assert load_population(figures).to_dict() == {"PK-GB": 1_787_000.0, "PK-KP": 40_856_097.0}


def test_atlas_mode_counts_records_and_keeps_unknown_deaths_missing(atlas):
    incidents, figures, provinces = atlas
    selected = atlas_flow.period_incidents(incidents, "2024Q1", {})
    totals = views.province_totals(selected)
    counts, _ = views.province_values(views.Choice("2024Q1", "atlas", "incidents"), figures, totals, provinces)
    deaths, _ = views.province_values(views.Choice("2024Q1", "atlas", "deaths"), figures, totals, provinces)
    in_provinces = selected[selected["province_id"].notna() & selected["counts_in_totals"]]
    assert counts.sum() == len(in_provinces)
    assert counts["PK-GB"] == 0 and math.isnan(deaths["PK-GB"])


def test_province_table_totals_match_the_records(atlas):
    incidents, figures, _ = atlas
    selected = atlas_flow.period_incidents(incidents, "2024Q2", {})
    table = views.province_table(figures, "CRSS", "2024Q2", views.province_totals(selected))
    countable = selected[selected["province_id"].notna() & selected["counts_in_totals"]]
    assert table["atlas records"].sum() == len(countable)
    assert table["atlas killed"].sum() == countable["killed"].sum()
    assert len(table) == 7


def test_download_round_trips_to_the_filtered_frame(atlas):
    incidents, _, _ = atlas
    selected = atlas_flow.period_incidents(incidents, "2024Q1", {"event_type": ["terror_attack"]})
    meta = export.download_metadata("2024Q1", {"event_type": ["terror_attack"]}, {})
    data = export.to_geojson(selected, export.export_columns(selected), meta)
    doc = json.loads(data)
    assert doc["atlas"]["filters"] == {"event_type": ["terror_attack"]}
    back = gpd.read_file(io.BytesIO(data))
    assert back["id"].tolist() == selected["id"].tolist()
    assert back["killed"].tolist() == pytest.approx(selected["killed"].astype(float).tolist(), nan_ok=True)
    located = selected.geometry.notna()
    assert back.geometry[located.to_numpy()].geom_equals_exact(
        selected.geometry[located].reset_index(drop=True), tolerance=1e-6).all()
    assert back["sources"].tolist() == selected["sources"].astype(str).tolist()
    assert pd.Series(back["quarter"]).eq("2024Q1").all()


@pytest.mark.parametrize("state", [{}, {"event_type": ["terror_attack"]}, {"min_killed": 5}])
def test_quarter_slices_select_exactly_what_the_mask_selects(atlas, state):
    incidents, _, _ = atlas
    ordered, bounds = atlas_flow.index_by_quarter(incidents)
    assert sorted(ordered["id"]) == sorted(incidents["id"])
    for quarter in ["2023Q1", "2024Q1", "2024Q2", "2025Q4", "1999Q1"]:
        sliced = atlas_flow.period_incidents(ordered, quarter, state, bounds)
        masked = atlas_flow.period_incidents(incidents, quarter, state)
        assert sorted(sliced["id"]) == sorted(masked["id"])


def test_index_by_quarter_puts_undated_records_last_and_outside_every_quarter():
    frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "quarter": pd.array(["2024Q2", None, "2024Q1", "2024Q2"],
                                                                           dtype="string")})
    ordered, bounds = atlas_flow.index_by_quarter(frame)
    assert ordered["id"].tolist() == ["c", "a", "d", "b"]
    assert bounds == {"2024Q1": (0, 1), "2024Q2": (1, 3)}


def test_latest_published_skips_periods_without_a_national_headline_figure():
    figures = pd.DataFrame({
        "source_org": ["CRSS", "CRSS", "CRSS", "CRSS", "PICSS", "PICSS", "PIPS"],
        "region_id": ["PK", "PK-KP", "PK", "PK", "PK", "PK", "PK"],
        "period": ["2024Q1", "2024Q3", "2024Q2", "2024", "2025", "2025-12", "2024-11"],
        "metric": ["deaths", "deaths", "deaths_share_pct", "deaths", "deaths", "deaths", "incidents"],
        "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
    })
    assert views.latest_published(figures, "CRSS") == "2024"  # the year ends after 2024Q1
    assert views.latest_published(figures, "CRSS", "quarter") == "2024Q1"
    assert views.latest_published(figures, "PICSS") == "2025"  # a year and its December: the year
    assert views.latest_published(figures, "PICSS", "month") == "2025-12"
    assert views.latest_published(figures, "PIPS") == "2024-11"
    assert views.latest_published(figures, "nobody") is None


def test_markdown_table_escapes_text_and_shows_missing_as_no_data():
    frame = pd.DataFrame({"province": ["[x](http://tracker.example) *b*"], "deaths": [float("nan")], "n": [1200]})
    lines = views.markdown_table(frame).splitlines()
    assert lines[0] == "| province | deaths | n |"
    assert lines[2] == r"| \[x\]\(http://tracker\.example\) \*b\* | no data | 1,200 |"


def test_a_stated_percentage_change_is_shown_as_a_percentage_with_its_source():
    rows = [("2024", "deaths", 1000.0, "https://e.org/a"), ("2025", "deaths", 1340.0, "https://e.org/b"),
            ("2025", "deaths_change_vs_prev_year_pct", 34.0, "https://e.org/c")]
    figures = pd.DataFrame([{"source_org": "CRSS", "period": p, "region_id": "PK", "metric": m, "value": v, "url": u}
                            for p, m, v, u in rows])
    deaths = next(views.kpis(figures, "CRSS", "2025").itertuples())
    assert deaths.value == 1340 and round(deaths.change_pct) == 34 and deaths.stated_pct == 34
    help_text = views.source_help(deaths)
    assert "Source: https://e.org/b" in help_text and "stated change against the previous period: +34%" in help_text
    assert "https://e.org/c" in help_text
    injured = views.kpis(figures, "CRSS", "2025").iloc[1]
    assert pd.isna(injured["value"]) and pd.isna(injured["stated_pct"])  # missing, not zero
