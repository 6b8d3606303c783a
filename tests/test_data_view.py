"""The pure helpers behind the Data page: an import report kept in the store and read back, the
name rule for imports, and a record's correctable values (geo/importers/report.py, names.py,
geo/views/data.py), on the GTD fixture."""

import json
from pathlib import Path

import pandas as pd
import pytest

from geo.importers import import_file, names
from geo.importers.report import ImportReport, counts_of
from geo.views import data

GTD = Path(__file__).parent / "fixtures" / "gtd_subset.csv"
RECORD = "GTD-200801010001"  # Peshawar, killed 3


def test_a_report_survives_the_round_trip_through_json():
    report = import_file(GTD).report
    kept = json.loads(json.dumps(report.to_dict()))
    back = ImportReport.from_dict(kept)
    assert counts_of(kept) == report.counts() == back.counts()
    assert back.to_csv() == report.to_csv()
    pd.testing.assert_frame_equal(ImportReport.from_dict(kept).to_frame(), report.to_frame())


def test_counts_only_reports_give_counts_and_no_problems():
    kept = {"read": 3, "imported": 2, "fixed": 0, "rejected": 1}
    assert counts_of(kept) == kept
    assert ImportReport.from_dict(kept).to_frame().empty


@pytest.mark.parametrize(("file_name", "typed", "expected"), [
    ("gtd_subset.csv", "", "gtd_subset"), ("gtd_subset.csv", "  mine ", "mine"), ("a.b.geojson", "", "a.b")])
def test_an_upload_is_named_as_typed_else_by_its_file(file_name, typed, expected):
    assert names.upload_name(file_name, typed) == expected


@pytest.mark.parametrize("name", ["", "  ", "atlas", "![t](http://tracker.example/ds.png)"])
def test_empty_and_reserved_names_are_refused(name):
    with pytest.raises(ValueError):
        names.check_import_name(name)


def test_only_typed_changes_are_sent_and_empty_means_no_value():
    incidents = import_file(GTD).incidents
    current = data.record_values(incidents, RECORD)
    assert dict(zip(current["field"], current["value"], strict=True))["occurred_on"] == "2008-01-01"
    assert "id" not in set(current["field"]) and "dataset" not in set(current["field"])
    typed = {"killed": " 4 ", "place": "Peshawar", "district": "", "occurred_on": "2008-01-01"}
    assert data.changed_values(current, typed) == {"killed": "4"}
    assert data.changed_values(current, {"place": ""}) == {"place": None}
    assert data.record_values(incidents, "no-such-id").empty
