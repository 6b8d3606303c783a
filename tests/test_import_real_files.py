"""The real third-party files in ../shared/datasets import with read = imported + rejected and the
killed totals of the imported rows preserved (never copied into the project)."""

import time

import pandas as pd
import pytest

from geo import boundaries
from geo.importers import base, import_file, read
from geo.importers import ged as ged_adapter
from geo.importers.report import ImportReport
from scripts import inputs

D = inputs.DATASETS_DIR
pytestmark = pytest.mark.skipif(not D.is_dir(), reason=f"the real files folder {D} is not present")
RAHUL = "rahulchandnani-pk-attacks"


def source_table(path):
    report = ImportReport(path.name)
    return read.read_table(path.read_bytes(), path.name, report)


def source_sum(table, rows, low, high=None):
    """Sum of the conservative source figure (min of low/high, blank low -> high) over ``rows``."""
    low_values = base.numbers(table, ImportReport("x"), low)
    values = low_values if high is None else pd.concat(
        [low_values, base.numbers(table, ImportReport("x"), high)], axis=1).min(axis=1)
    return values.loc[rows].sum()


def check(path, low, high=None, read_rows=None):
    result = import_file(path)
    report = result.report
    assert report.read == report.imported + report.rejected
    if read_rows is not None:
        assert report.read == read_rows
    table = source_table(path)
    expected = source_sum(table, result.incidents.attrs["source_rows"], low, high)
    assert result.incidents["killed"].sum() == pytest.approx(expected, abs=0.51)
    return result


def test_gtd_zip_all_rows_fast_with_totals_kept():
    start = time.perf_counter()
    result = check(D / RAHUL / "globalterrorismdbPak.csv.zip", "nkill", read_rows=12_768)
    assert time.perf_counter() - start < 10
    assert result.report.rejected == 0 and result.incidents["killed"].sum() == 21_597
    incidents = result.incidents
    assert (incidents["location_precision"] == "none").sum() >= 44
    assert incidents.loc[incidents["location_precision"].isin(["none", "province"]), "lon"].isna().all()
    assert incidents["province_id"].notna().sum() > 12_600  # NWFP, SIndh, Bolochistan via aliases


def test_gtd_suicide_subset():
    check(D / RAHUL / "globalterrorismdbPak_Suicide.csv", "nkill", read_rows=448)


def test_kaggle_suicide_files():
    result = check(D / RAHUL / "SuicideAttacks_Pakistan.csv", "Killed Max", "Killed Min", read_rows=476)
    assert result.report.rejected == 1  # the totals row
    assert result.incidents["occurred_on"].notna().all()
    check(D / "taharif-suicide-cleaned" / "PakistanSuicideAttacks_Cleaned (1).csv", "Killed Max", "Killed Min",
          read_rows=496)


def test_drone_file_swapped_rows_fixed_and_reported():
    result = check(D / RAHUL / "DroneAttacks_Pakistan.csv", "Total Died Mix", "Total Died Min", read_rows=398)
    report = result.report.to_frame()
    swapped = report[report["reason"].str.startswith("latitude and longitude were swapped")]
    assert len(swapped) == 8
    assert result.incidents.geometry.dropna().y.between(23, 38).all()


def test_shadab_and_merged_drone_files():
    result = check(D / "shadab-drone" / "PkDroneAttacks.csv", "Total_Died", read_rows=404)
    assert (result.report.to_frame()["reason"].str.startswith("latitude and longitude")).sum() == 14
    check(D / RAHUL / "mergedData_Suicide_Drone.csv", "Total.Died.Max", "Total.Died.Min", read_rows=873)


def test_ged_geojson_reads_and_rejects_foreign_rows_by_country():
    path = D / "optgeo-ged231-car-geojson" / "GEDEvent_v23_1.geojson"
    result = import_file(path)
    report = result.report
    assert report.layout == "ged" and report.read == 1848 == report.imported + report.rejected
    assert set(report.to_frame().query("action == 'rejected'")["column"]) == {"country"}
    # Adapter level: every date parsed and the killed total equals the sum of `best`.
    table = source_table(path)
    draft = ged_adapter.to_draft(table, ImportReport("ged"))
    assert draft["occurred_on"].notna().all()
    assert draft["killed_low"].sum() == pd.to_numeric(table["best"]).sum()


def test_ucdp_candidate_keeps_pakistan_and_its_border_regions_and_reports_the_rest():
    """Every country of March-April 2026 in one file: Pakistan's 83 events and those in the Afghan
    border provinces and Sistan and Baluchestan are imported; the rest are out of scope, by row."""
    result = check(D / "ucdp-candidate-2026-04" / "GEDEvent_v26_0_4.csv", "best", read_rows=1675)
    report, incidents = result.report, result.incidents
    assert incidents["country"].value_counts().to_dict() == {"PK": 83, "AF": 11, "IR": 4}
    border = set(boundaries.load_border_regions()["name"])
    provinces = incidents.loc[incidents["country"] != "PK", "province"].str.removesuffix(" province")
    assert set(provinces) <= border
    assert incidents["occurred_on"].between("2026-03-01", "2026-04-30").all()
    rejected = report.to_frame().query("action == 'rejected'")
    assert report.rejected == report.out_of_scope == 1577 == rejected["row"].nunique()
    assert rejected["reason"].str.startswith("out of scope: ").all()
    outside = rejected[rejected["column"] != "country"]  # Afghanistan and Iran beyond the border regions
    assert set(outside["column"]) == {"lon", "province"} and len(outside) == 26
