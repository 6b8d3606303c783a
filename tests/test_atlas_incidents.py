"""ATLAS_INCIDENTS: the app opens on another incidents file (native CSV or the atlas's GeoJSON)."""



from geo import export
from geo.incidents import load_incidents
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
