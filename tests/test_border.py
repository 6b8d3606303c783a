"""Unit tests for geo/views/border.py: strike table, totals per border region, the belt share."""

import math

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box

from geo.views import border


def incidents(*rows) -> pd.DataFrame:
    columns = ["id", "occurred_on", "quarter", "place", "country", "origin_country", "event_type", "perpetrator",
               "status", "killed_low", "killed_high", "killed", "injured_low", "injured_high", "injured", "lon",
               "border_region_ids", "counts_in_totals", "sources"]
    table = pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows], columns=columns)
    table["occurred_on"] = pd.to_datetime(table["occurred_on"])
    return table.astype({"killed": "Int64", "injured": "Int64", "killed_low": "Int64", "killed_high": "Int64",
                         "injured_low": "Int64", "injured_high": "Int64"})


def row(id_, killed, regions, event="terror_attack", quarter="2024Q1", counts=True, lon=70.0, country="PK",
        origin=None, low=None, high=None):
    low = killed if low is None else low
    high = killed if high is None else high
    return (id_, "2024-01-16", quarter, f"place {id_}", country, origin, event, "unknown", "confirmed", low, high,
            killed, None, None, None, lon, regions, counts, f"https://a.example/{id_} | https://b.example/{id_}")


def test_belt_share_counts_an_incident_in_both_belts_once():
    table = incidents(
        row("a", 10, "PK-AF-BELT;PK-IR-BELT"),  # in both belts: counted once
        row("b", 5, "PK-AF-BELT;PK-FATA"),
        row("c", 25, ""),
        row("d", 100, "PK-AF-BELT", counts=False),  # aggregate row: left out everywhere
        row("e", 7, None, lon=None),  # no point: cannot be in a belt
    )
    share = border.belt_share(table)
    assert share["killed_in_belts"] == 15
    assert share["killed_total"] == 47
    assert math.isclose(share["share_pct"], 15 / 47 * 100)
    assert share["records_in_belts"] == 2 and share["records_total"] == 4
    assert share["unplaced"] == 1
    assert border.share_text(share) == "32%"


def test_belt_share_without_any_known_toll_is_missing_not_zero():
    share = border.belt_share(incidents(row("a", None, "PK-AF-BELT")))
    assert math.isnan(share["share_pct"]) and share["killed_total"] is None
    assert border.share_text(share) == "no data"


def test_fata_alone_is_not_a_belt():
    assert list(border.in_belts(incidents(row("a", 1, "PK-FATA"), row("b", 1, "PK-IR-BELT")))) == [False, True]


def test_strike_table_keeps_only_strikes_with_ranges_countries_and_links():
    table = incidents(
        row("s", 15, "AF-PKA", event="cross_border_strike", country="AF", origin="PK", low=15, high=46),
        row("t", 2, "", event="cross_border_strike", country="PK", origin="IR"),
        row("x", 9, "", event="terror_attack"),
    )
    strikes = border.strike_table(border.strikes(table))
    assert list(strikes["id"]) == ["s", "t"]
    assert list(strikes["killed"]) == ["15–46", "2"]
    assert list(strikes["injured"]) == ["unknown", "unknown"]
    assert list(strikes["origin_country"]) == ["Pakistan", "Iran"]
    assert list(strikes["country"]) == ["Afghanistan", "Pakistan"]
    assert strikes["source"].iloc[0] == "https://a.example/s"
    assert "https://b.example/s" in strikes["sources"].iloc[0]


def test_region_totals_count_overlapping_regions_in_each_and_keep_unknown_tolls_missing():
    table = incidents(row("a", 10, "PK-AF-BELT;PK-FATA"), row("b", None, "PK-AF-BELT", quarter="2024Q2"))
    totals = border.region_totals(table, {"PK-AF-BELT": "Belt", "PK-FATA": "FATA"},
                                  region_order=["PK-FATA", "PK-AF-BELT"])
    assert list(totals["region_id"]) == ["PK-FATA", "PK-AF-BELT", "PK-AF-BELT"]
    assert list(totals["incidents"]) == [1, 1, 1]
    assert totals["killed"].iloc[1] == 10 and pd.isna(totals["killed"].iloc[2])
    assert list(totals["region"]) == ["FATA", "Belt", "Belt"]


def test_region_totals_of_nothing_is_an_empty_table_with_columns():
    totals = border.region_totals(incidents(row("a", 3, "")), {})
    assert totals.empty and "killed" in totals.columns


def test_range_text():
    assert border.range_text(15, 46) == "15–46"
    assert border.range_text(2, 2) == "2"
    assert border.range_text(None, None) == "unknown"
    assert border.range_text(3, None) == "3"


def test_frame_bounds_wrap_every_frame_with_a_margin():
    frames = gpd.GeoDataFrame(geometry=[box(60, 25, 70, 35)], crs="EPSG:4326")
    points = gpd.GeoDataFrame(geometry=[Point(74, 31)], crs="EPSG:4326")
    assert border.frame_bounds(frames, points) == [[24.5, 59.5], [35.5, 74.5]]
