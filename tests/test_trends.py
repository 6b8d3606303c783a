"""Unit tests for geo/views/trends.py on tiny side-by-side tables: gaps, separate series, revisions."""

import math

import numpy as np
import pandas as pd

from geo import periods
from geo.figures import load_figures, select_series
from geo.views import trends


def figure(org, period, value, metric="deaths", region="PK", revision=0, series="first_and_latest",
           period_type="quarter", url="https://example.org/a"):
    return {"source_org": org, "period": period, "period_type": period_type, "region_id": region,
            "metric": metric, "value": value, "revision": revision, "series": series, "variant": None,
            "confidence": "primary", "url": url}


def frame(*rows) -> pd.DataFrame:
    table = pd.DataFrame(list(rows))
    return table.astype({"series": "string", "revision": "Int64"})


def value(table, org, quarter, metric="deaths", region="PK"):
    row = table[(table["source_org"] == org) & (table["period"] == quarter) & (table["metric"] == metric)
                & (table["region_id"] == region)]
    assert len(row) == 1
    return row.iloc[0]


def test_every_quarter_is_present_and_gaps_stay_nan_not_zero():
    table = trends.period_series(frame(figure("CRSS", "2023Q1", 358), figure("CRSS", "2023Q3", 445)),
                                    ["deaths"], orgs=("CRSS",))
    assert list(table["period"]) == periods.quarter_range()
    assert len(table["period"]) == 12 and table["period"].iloc[0] == "2023Q1" and table["period"].iloc[-1] == "2025Q4"
    assert value(table, "CRSS", "2023Q1")["value"] == 358
    assert math.isnan(value(table, "CRSS", "2023Q2")["value"])
    assert (table["value"] == 0).sum() == 0
    assert table.loc[table["value"].isna(), "period"].tolist()[:2] == ["2023Q2", "2023Q4"]


def test_a_published_zero_stays_zero():
    table = trends.period_series(frame(figure("CRSS", "2025Q1", 0, region="PK-JK")), ["deaths"],
                                    region_ids=("PK-JK",), orgs=("CRSS",))
    assert value(table, "CRSS", "2025Q1", region="PK-JK")["value"] == 0


def test_organisations_are_kept_apart_in_the_same_quarter():
    table = trends.period_series(frame(figure("CRSS", "2024Q1", 432), figure("PICSS", "2024Q1", 300)),
                                    ["deaths"], orgs=("CRSS", "PICSS"))
    assert value(table, "CRSS", "2024Q1")["value"] == 432
    assert value(table, "PICSS", "2024Q1")["value"] == 300
    assert len(table) == 2 * 12


def test_only_quarterly_periods_reach_the_quarterly_axis():
    figures = frame(figure("CRSS", "2024", 2546, period_type="year"), figure("CRSS", "2024Q1-Q3", 1534,
                                                                               period_type="span"))
    assert trends.period_series(figures, ["deaths"], orgs=("CRSS",))["value"].isna().all()
    annual = trends.annual_figures(figures, orgs=("CRSS",))
    assert list(annual["period"]) == ["2024"] and annual["value"].iloc[0] == 2546


def test_revisions_are_marked_in_both_series():
    figures = frame(
        figure("CRSS", "2025Q1", 897, revision=0, series="first_published", url="https://example.org/q1"),
        figure("CRSS", "2025Q1", 900, revision=1, series="latest_revision", url="https://example.org/q2"),
        figure("CRSS", "2025Q2", 615),
    )
    latest = trends.period_series(select_series(figures, "latest"), ["deaths"], orgs=("CRSS",))
    first = trends.period_series(select_series(figures, "first_published"), ["deaths"], orgs=("CRSS",))
    assert value(latest, "CRSS", "2025Q1")["value"] == 900
    assert value(latest, "CRSS", "2025Q1")["revised"]
    assert value(latest, "CRSS", "2025Q1")["note"] == "revised"
    assert value(latest, "CRSS", "2025Q1")["source"] == "https://example.org/q2"
    assert value(first, "CRSS", "2025Q1")["value"] == 897
    assert value(first, "CRSS", "2025Q1")["note"] == "first publication (later revised)"
    assert value(latest, "CRSS", "2025Q2")["note"] == "as published"
    assert pd.isna(value(latest, "CRSS", "2025Q3")["note"])


def test_organisations_without_values_are_named_and_dropped():
    table = trends.period_series(frame(figure("CRSS", "2024Q1", 432)), ["deaths"])
    assert trends.without_values(table) == ["PICSS", "PIPS"]
    assert set(trends.with_values(table)["source_org"]) == {"CRSS"}
    caption = trends.source_caption(table, "National deaths")
    assert "CRSS" in caption and "PICSS, PIPS" in caption and "not zero" in caption


def test_target_group_takes_the_first_named_target():
    assert trends.target_group("police; civilians") == "police"
    assert trends.target_group("militants (TTP, per officials); Taliban says civilians") == "militants"
    assert trends.target_group(None) == "unknown"
    assert trends.target_group(" ") == "unknown"


def test_atlas_counts_per_quarter_skip_overlapping_rows_and_fill_covered_quarters():
    incidents = pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "occurred_on": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-07-09", "2024-08-30"]),
        "perpetrator": ["TTP", "BLA", "TTP", "BLA"],
        "target": ["police", "civilians; police", "police", "x"],
        "event_type": ["terror_attack"] * 4,
        "counts_in_totals": [True, True, True, False],
    })
    counts = trends.atlas_counts(incidents, "perpetrator").set_index("period")
    assert list(counts.index) == ["2024Q1", "2024Q2", "2024Q3"]
    assert counts.loc["2024Q1", "TTP"] == 1 and counts.loc["2024Q1", "BLA"] == 1
    assert counts.loc["2024Q2"].sum() == 0
    assert counts.loc["2024Q3", "BLA"] == 0  # the aggregate row is not counted
    targets = trends.atlas_counts(incidents, "target_group").set_index("period")
    assert targets.loc["2024Q1", "police"] == 1 and targets.loc["2024Q1", "civilians"] == 1
    by_month = trends.atlas_counts(incidents, "perpetrator", "month").set_index("period")
    assert list(by_month.index) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"]
    assert by_month.loc["2024-02", "BLA"] == 1 and by_month.loc["2024-05"].sum() == 0


def test_a_series_by_month_or_year_uses_only_periods_of_that_kind():
    figures = frame(figure("PICSS", "2026-02", 91, period_type="month"),
                    figure("PICSS", "2025", 1000, period_type="year"), figure("PICSS", "2025Q4", 300))
    months = trends.period_series(figures, ["deaths"], "month", orgs=("PICSS",))
    assert months["period"].iloc[0] == "2023-01" and months["period"].iloc[-1] == "2026-02"  # to the last published
    assert months.set_index("period").loc["2026-02", "value"] == 91 and months["value"].notna().sum() == 1
    years = trends.period_series(figures, ["deaths"], "year", orgs=("PICSS",)).set_index("period")
    assert list(years.index) == ["2023", "2024", "2025"] and years.loc["2025", "value"] == 1000
    assert math.isnan(years.loc["2024", "value"])  # never summed from months or quarters


def test_line_chart_breaks_at_gaps_and_spans_all_quarters():
    table = trends.period_series(frame(figure("CRSS", "2024Q1", 432)), ["deaths"], orgs=("CRSS",))
    spec = trends.line_chart(table, "source_org", "Organisation", "deaths").to_dict()
    line, points = spec["layer"]
    assert line["mark"]["invalid"] == "break-paths-show-domains"
    assert line["encoding"]["x"]["scale"]["domain"] == periods.quarter_range()
    assert points["mark"]["type"] == "point" and "shape" in points["encoding"]
    data = next(iter(spec["datasets"].values()))
    assert sum(1 for row in data if row["value"] is None) == 11  # nulls, not zeros


def test_on_the_shipped_data_crss_2024q3_is_722_and_2023q4_is_missing():
    figures = select_series(load_figures(), "latest")
    table = trends.period_series(figures, ["deaths"], orgs=("CRSS",))
    assert value(table, "CRSS", "2024Q3")["value"] == 722
    assert np.isnan(value(table, "CRSS", "2023Q4")["value"])
    assert np.isnan(value(table, "CRSS", "2025Q4")["value"])


def test_official_series_come_apart_from_the_think_tanks():
    figures = frame(figure("ISPR", "2025", 5397, metric="terrorist_incidents", period_type="year"),
                    figure("PICSS", "2025", 1063, metric="incidents", period_type="year"))
    table = trends.official_figures(figures)
    assert table["organisation"].tolist() == ["ISPR (official)"] and table["value"].tolist() == [5397]
    chart = trends.period_series(figures, ["incidents", "terrorist_incidents"], "year")
    assert "ISPR" not in set(chart["source_org"])  # the charts offer only the think tanks
