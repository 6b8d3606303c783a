"""Adapters on small fixtures written in each layout, robust reading, hostile inputs, and the
round trip: whatever the native CSV writer produces imports back unchanged."""

import functools
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import export
from geo.importers import NeedsMapping, ReadError, detect, import_bytes, import_file, parse_mapping
from geo.incidents import load_incidents

FIXTURES = Path(__file__).parent / "fixtures"


@functools.cache
def imported(name):
    """The fixture ``name`` imported once for this file (an import costs ~0.1 s, most of it fixed
    per file); tests only read the result, never change it."""
    return import_file(FIXTURES / name)


def entries(result, action):
    frame = result.report.to_frame()
    return frame[frame["action"] == action]


@pytest.mark.parametrize(("name", "layout"), [
    ("acled_current.csv", "acled"), ("acled_legacy.csv", "acled"), ("ged.csv", "ged"), ("gtd_subset.csv", "gtd"),
    ("kaggle_suicide.csv", "kaggle"), ("kaggle_drone.csv", "kaggle"), ("shadab_drone.csv", "kaggle"),
    ("generic_named.csv", "generic"), ("year_only.csv", "generic"), ("points.geojson", "generic"),
])
def test_layout_is_chosen_by_headers_and_counts_add_up(name, layout):
    result = imported(name)
    report = result.report
    assert report.layout == layout
    assert report.read == report.imported + report.rejected
    assert len(result.incidents) == report.imported
    assert result.incidents.crs.to_epsg() == 4326


def test_acled_dates_precisions_and_actors():
    current = imported("acled_current.csv").incidents.set_index("id")
    assert current.loc["ACLED-PAK101", "occurred_on"] == pd.Timestamp("2023-02-16")
    assert list(current["date_precision"]) == ["day", "approximate", "month"]
    assert current.loc["ACLED-PAK101", "perpetrator"] == "TTP"
    assert current.loc["ACLED-PAK102", "event_type"] == "security_operation"
    assert current["killed"].sum() == 7
    legacy = imported("acled_legacy.csv").incidents.set_index("id")
    assert legacy.loc["ACLED-PAK9", "occurred_on"] == pd.Timestamp("2019-07-19")
    assert legacy.loc["ACLED-PAK10", "occurred_on"] == pd.Timestamp("2019-02-16")
    assert list(legacy["province_id"]) == ["PK-KP", "PK-BA"]


def test_ged_where_prec_country_centroid_has_no_point():
    ged = imported("ged.csv").incidents.set_index("id")
    assert ged.loc["GED-501", "location_precision"] == "site"
    assert ged.loc["GED-501", "province_id"] == "PK-KP"  # "Khyber Pakhtunkwa province"
    assert ged.loc["GED-502", "location_precision"] == "none" and ged.loc["GED-502", "geometry"] is None
    assert ged.loc["GED-502", "date_precision"] == "month"
    assert ged.loc["GED-503", "date_precision"] == "approximate"
    assert ged.loc["GED-503", "geometry"] is None  # where_prec 4: province centroid, not drawn
    assert ged["killed"].sum() == 10 and ged.loc["GED-501", "killed_high"] == 7


def test_gtd_unknown_day_month_fractions_and_historic_names():
    result = imported("gtd_subset.csv")
    gtd = result.incidents.set_index("id")
    assert gtd.loc["GTD-200802000001", "date_precision"] == "month"
    assert gtd.loc["GTD-200800000001", "date_precision"] == "year"
    assert gtd.loc["GTD-200800000001", "location_precision"] == "none"
    assert gtd.loc["GTD-200801010001", "province_id"] == "PK-KP"  # North-West Frontier Province
    assert gtd.loc["GTD-200802000001", "province_id"] == "PK-SD"  # SIndh
    assert gtd.loc["GTD-200803050001", "geometry"] is None  # specificity 4
    assert gtd["killed"].sum() == 3 + 0.5 + 0.5 + 2.25 + 1.75
    assert "Atlantis" in set(entries(result, "warning")["value"])


def test_kaggle_totals_row_ragged_rows_and_swaps():
    suicide = imported("kaggle_suicide.csv")
    assert suicide.report.counts() == {"read": 4, "imported": 3, "fixed": 1, "rejected": 1}
    assert suicide.incidents["killed"].tolist() == [14, 2, 3]  # blank min -> max; min > max swapped
    assert suicide.incidents["occurred_on"].min() == pd.Timestamp("1995-11-19")
    drone = imported("kaggle_drone.csv")
    fixed = entries(drone, "fixed")
    assert fixed["row"].tolist() == [2] and "swapped" in fixed["reason"].iloc[0]
    assert drone.incidents.iloc[1]["lat"] == pytest.approx(32.9746)
    assert set(drone.incidents["event_type"]) == {"cross_border_strike"}
    shadab = imported("shadab_drone.csv").incidents
    assert shadab["occurred_on"].tolist() == [pd.Timestamp("2004-06-18"), pd.Timestamp("2005-05-08")]


def test_generic_needs_mapping_then_imports_with_it():
    with pytest.raises(NeedsMapping) as caught:
        imported("generic_unsure.tsv")
    assert caught.value.missing == ["date"]
    result = import_file(FIXTURES / "generic_unsure.tsv", mapping=parse_mapping("date=When"))
    assert result.report.counts() == {"read": 3, "imported": 3, "fixed": 2, "rejected": 0}
    assert result.incidents["sources"].iloc[0] == "https://example.org/1"
    assert result.incidents["geometry"].iloc[2] is None  # nan/inf coordinates removed


def test_year_only_variant_imports_with_year_precision():
    frame = imported("year_only.csv").incidents
    assert frame["date_precision"].tolist() == ["year", "month"]


def test_geojson_polygon_is_rejected_points_kept():
    result = imported("points.geojson")
    assert entries(result, "rejected")["value"].tolist() == ["Polygon"]
    assert result.incidents["location_precision"].tolist() == ["town", "province"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"), (b"   \n\n", "empty"), (b"\x00\x01\x02PNG", "binary"), (b"a,b\n", "no data rows"),
    (b"just one column\nx\n", "header"),
])
def test_unreadable_inputs_give_one_readable_reason(data, message):
    with pytest.raises(ReadError, match=message):
        import_bytes(data, "x.csv")


def test_hostile_cells_are_reported_never_crash():
    long = "x" * 100_000
    text = ("date,lat,lon,killed,province,place,notes\n"
            f"2024-01-01,31.5,74.3,1,Punjab,Lahore,{long}\n"
            "2024-01-02,nan,inf,1,Punjab,Lahore,<b>bold</b>\n"
            "2099-01-01,31.5,74.3,1,Punjab,Lahore,=1+1\n"
            "not a date,31.5,74.3,1,Punjab,Lahore,\n")
    result = import_bytes(text.encode(), "hostile.csv")
    report = result.report.to_frame()
    assert result.report.counts() == {"read": 4, "imported": 2, "fixed": 2, "rejected": 2}
    assert report["value"].str.len().max() < 300
    assert len(result.incidents["notes"].iloc[0]) == 5000
    reasons = set(report["reason"])
    assert {"a date in the future", "contains HTML markup; kept and always shown as plain text"} <= reasons


def test_encodings_delimiters_and_zip(tmp_path):
    import zipfile
    source = (FIXTURES / "generic_named.csv").read_text(encoding="utf-8")
    variants = [source.encode("utf-8-sig"), source.replace(",", "\t").encode("cp1252"),
                source.encode("latin-1")]
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("inner/data.csv", source)
    variants.append(archive.read_bytes())
    for data in variants:
        assert import_bytes(data, "file.bin").report.imported == 2


def test_unknown_format_and_bad_mapping_are_value_errors():
    with pytest.raises(ValueError, match="unknown format"):
        detect.choose(["a"], "excel")
    with pytest.raises(ValueError, match="ROLE=COLUMN"):
        parse_mapping("when")
    with pytest.raises(ValueError, match="no column"):
        import_file(FIXTURES / "generic_unsure.tsv", mapping={"date": "Nope"})


def test_report_csv_lists_rows_and_neutralises_formulas():
    result = imported("generic_named.csv")
    csv_text = result.report.to_csv().decode()
    assert "row,action,column,value,reason" in csv_text.splitlines()[0]
    assert "'=HYPERLINK" in csv_text


# --- round trip ---------------------------------------------------------------------------

SHIPPED = load_incidents()
COMPARED = [c for c in SHIPPED.columns if c not in ("geometry", "quarter")]
texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)


# An import costs ~0.1 s whatever the file's rows (1 or 64 alike), so each example is a file of 1
# to 32 shipped rows (a uniform count; hypothesis's own lists stay near 4 rows) with their own notes
# and counts: 10 such files check about as many rows, ~160, as the 40 files of up to 8 rows this
# test once wrote, in a quarter of the time.
ROUND_TRIP_ROWS = 32


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(len(SHIPPED))), count=st.integers(1, ROUND_TRIP_ROWS),
       notes=st.lists(texts, min_size=ROUND_TRIP_ROWS, max_size=ROUND_TRIP_ROWS),
       killed=st.lists(st.integers(0, 10**6), min_size=ROUND_TRIP_ROWS, max_size=ROUND_TRIP_ROWS))
def test_native_csv_writer_output_imports_back_unchanged(order, count, notes, killed):
    frame = SHIPPED.iloc[order[:count]].copy()
    frame["notes"] = [n or None for n in notes[: len(frame)]]
    frame["killed_low"] = frame["killed"] = killed[: len(frame)]
    frame["killed_high"] = frame[["killed_high", "killed_low"]].max(axis=1)
    result = import_bytes(export.to_csv(frame), "native.csv")
    assert result.report.layout == "native" and result.report.rejected == 0
    back = result.incidents[COMPARED].reset_index(drop=True)
    expected = frame[COMPARED].reset_index(drop=True)
    expected["killed_low"] = expected["killed_low"].astype("Int64")
    for column in COMPARED:
        left, right = back[column].tolist(), expected[column].tolist()
        same = [(pd.isna(a) and pd.isna(b)) if pd.isna(a) or pd.isna(b)
                else (math.isclose(a, b) if isinstance(a, float) else a == b)
                for a, b in zip(left, right, strict=True)]
        assert all(same), (column, left, right)


def test_native_geojson_round_trip():
    frame = SHIPPED.head(10)
    result = import_bytes(export.to_geojson(frame), "native.geojson")
    assert result.report.layout == "native" and result.report.imported == 10
    assert result.incidents["id"].tolist() == frame["id"].tolist()


def test_native_text_that_spells_na_is_kept_but_third_party_na_is_missing():
    frame = SHIPPED.head(4).copy()
    frame["notes"] = ["NULL", "-", "NA", None]
    back = import_bytes(export.to_csv(frame), "native.csv").incidents
    assert back["notes"].tolist()[:3] == ["NULL", "-", "NA"] and pd.isna(back["notes"].iloc[3])
    generic = import_bytes(b"date,lat,lon,killed\n2024-01-02,33.0,70.0,NA\n", "other.csv").incidents
    assert pd.isna(generic["killed"].iloc[0])
