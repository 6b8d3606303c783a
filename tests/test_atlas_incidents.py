"""ATLAS_INCIDENTS: the app opens on another incidents file (native CSV or the atlas's GeoJSON),
read as an import of the same file would read it."""

import orjson
import pytest

from geo import export, schema
from geo.importers import import_bytes
from geo.incidents import load_incidents
from geo.validation import RecordsError
from tests.harness import open_app


def test_native_geojson_download_loads_back_as_incidents(tmp_path):
    shipped = load_incidents()
    subset = shipped[shipped["quarter"] == "2024Q1"]
    path = tmp_path / "subset.geojson"
    path.write_bytes(export.to_geojson(subset, export.export_columns(subset)))
    back = load_incidents(path)
    assert back["id"].tolist() == subset["id"].tolist()
    assert back["killed"].tolist() == subset["killed"].tolist()
    assert back.geometry.notna().sum() == subset.geometry.notna().sum()


def test_app_opens_on_the_file_named_by_atlas_incidents(tmp_path, monkeypatch):
    shipped = load_incidents()
    subset = shipped[shipped["event_type"] == "cross_border_strike"]
    path = tmp_path / "strikes.csv"
    path.write_bytes(export.to_csv(subset, [c for c in export.export_columns(subset) if c != "quarter"]))
    monkeypatch.setenv("ATLAS_INCIDENTS", str(path))
    at = open_app(quarter="2024Q1")
    assert not at.exception
    records_tile = next(m for m in at.metric if m.label.startswith("Atlas records"))
    expected = ((subset["quarter"] == "2024Q1") & subset["counts_in_totals"]).sum()
    assert records_tile.value == str(expected)


def test_a_csv_download_with_formula_like_text_loads_back_unchanged(tmp_path):
    shipped = load_incidents()
    subset = shipped.head(3).copy()
    subset["notes"] = ["=HYPERLINK(\"http://x\")", "-5 killed per ISPR", "@mention <b>bold</b>"]
    path = tmp_path / "download.csv"
    path.write_bytes(export.to_csv(subset, [c for c in export.export_columns(subset) if c != "quarter"]))
    assert "'=HYPERLINK" in path.read_text()  # the download itself is neutralised
    back = load_incidents(path)
    assert back["notes"].tolist() == subset["notes"].tolist()
    assert back["place"].tolist() == subset["place"].tolist()


def cells(frame, column: str) -> list:
    return frame[column].astype(object).where(frame[column].notna(), None).tolist()  # None == None; NaN != NaN


@pytest.mark.parametrize("name", ["download.csv", "download.geojson"])
def test_the_app_and_an_import_read_a_download_alike(tmp_path, name):
    """One reading of the native layout: a download opened by the app and the same bytes
    imported on the Data page give the same records, field by field and point by point."""
    shipped = load_incidents()
    subset = shipped[shipped["quarter"].isin(["2024Q1", "2025Q2"])].copy()
    subset.loc[subset.index[:3], "notes"] = ["=HYPERLINK(\"http://x\")", "-5 killed per ISPR", "@mention"]
    columns = export.export_columns(subset)
    data = export.to_csv(subset, columns) if name.endswith(".csv") else export.to_geojson(subset, columns)
    (tmp_path / name).write_bytes(data)
    opened, imported = load_incidents(tmp_path / name), import_bytes(data, name)
    assert imported.report.rejected == 0 and len(opened) == len(subset) > 3
    for column in schema.columns(schema.INCIDENT_FIELDS, stored_only=True):
        assert cells(opened, column) == cells(imported.incidents, column) == cells(subset, column), column
    assert opened.geometry.reset_index(drop=True).equals(imported.incidents.geometry)


def test_a_geojson_feature_an_import_would_reject_is_a_problem_in_a_file_the_app_opens(tmp_path):
    shipped = load_incidents().head(2)
    collection = orjson.loads(export.to_geojson(shipped, export.export_columns(shipped)))
    collection["features"][1]["geometry"] = {"type": "LineString", "coordinates": [[70, 33], [71, 34]]}
    path = tmp_path / "lines.geojson"
    path.write_bytes(orjson.dumps(collection))
    with pytest.raises(RecordsError, match="row 2, column 'geometry'.*only Point features"):
        load_incidents(path)
