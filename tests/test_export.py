import io
import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo import export


@pytest.fixture
def incidents():
    return gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c"],
            "occurred_on": pd.to_datetime(["2024-01-02", "2024-02-03", "2024-03-04"]),
            "killed": [3.0, float("nan"), 0.0],
            "notes": ["=HYPERLINK(\"http://x\")", "<script>alert(1)</script>", "-2+3"],
        },
        geometry=[Point(71.5249, 34.0151), None, Point(66.99, 30.18)],
        crs="EPSG:4326",
    )


def test_geojson_is_an_rfc7946_feature_collection(incidents):
    doc = json.loads(export.to_geojson(incidents, metadata={"quarter": "2024Q1"}))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert doc["atlas"] == {"quarter": "2024Q1"}
    first, missing, _ = doc["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [71.5249, 34.0151]}  # lon, lat
    assert missing["geometry"] is None
    assert missing["properties"]["killed"] is None  # missing stays missing, never zero
    assert doc["features"][2]["properties"]["killed"] == 0.0
    assert first["properties"]["occurred_on"] == "2024-01-02"


def test_geojson_round_trips_through_geopandas(incidents):
    back = gpd.read_file(io.BytesIO(export.to_geojson(incidents)))
    assert back["id"].tolist() == incidents["id"].tolist()
    assert back.geometry.iloc[0].equals(incidents.geometry.iloc[0])
    assert back.geometry.iloc[1] is None
    assert back["notes"].tolist() == incidents["notes"].tolist()


def test_geojson_refuses_projected_data(incidents):
    with pytest.raises(ValueError, match="EPSG:4326"):
        export.to_geojson(incidents.to_crs(3857))


def test_csv_neutralises_formula_cells_and_keeps_numbers(incidents):
    text = export.to_csv(incidents).decode()
    rows = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert rows["notes"].tolist() == [
        "'=HYPERLINK(\"http://x\")",
        "<script>alert(1)</script>",
        "'-2+3",
    ]
    assert "geometry" not in rows.columns
    killed = pd.read_csv(io.StringIO(text))["killed"]
    assert killed[0] == 3.0 and pd.isna(killed[1]) and killed[2] == 0.0


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1"])
def test_each_formula_prefix_is_neutralised(cell):
    assert export.neutralise_cell(cell) == "'" + cell


def test_plain_text_and_numbers_are_untouched():
    assert export.neutralise_cell("Quetta") == "Quetta"
    assert export.neutralise_cell(-5) == -5


def test_tables_shown_on_screen_are_neutralised_like_the_downloads():
    frame = pd.DataFrame({"place": ["=HYPERLINK(\"http://x\",\"y\")", "Quetta", None], "killed": [-1, 2, 3]})
    shown = export.neutralise_frame(frame)
    assert shown["place"].tolist()[:2] == ["'=HYPERLINK(\"http://x\",\"y\")", "Quetta"]
    assert pd.isna(shown["place"].iloc[2])  # missing stays missing
    assert shown["killed"].tolist() == [-1, 2, 3]  # numbers are not text
    safe = pd.DataFrame({"place": ["Quetta"]})
    assert export.neutralise_frame(safe) is safe
