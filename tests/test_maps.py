"""Map builders: inspect the Folium objects and their rendered HTML."""

import math

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo import classify, crossborder, maps

NAN = float("nan")


@pytest.fixture
def countries():
    return gpd.GeoDataFrame(
        {"id": ["PK", "AF"], "name": ["Pakistan", "Afghanistan"]},
        geometry=[box(66, 24, 75, 36), box(60, 29, 66, 38)],
        crs=4326,
    )


@pytest.fixture
def regions():
    return gpd.GeoDataFrame(
        {"id": ["PK-KP", "PK-BA", "PK-SD"], "name": ["Khyber Pakhtunkhwa", "Balochistan", "Sindh"],
         "kind": ["province"] * 3},
        geometry=[box(70, 32, 72, 36), box(66, 26, 70, 31), box(67, 24, 70, 26)],
        crs=4326,
    )


def incidents(**overrides):
    row = {
        "id": "x1", "occurred_on": pd.Timestamp("2024-03-18"), "place": "Mir Ali", "location_precision": "town",
        "event_type": "terror_attack", "perpetrator": "TTP", "target": "security forces",
        "killed_low": 7.0, "killed_high": 13.0, "killed": 7.0, "injured": NAN, "status": "confirmed",
        "sources": "https://www.dawn.com/news/1 | javascript:alert(1)", "origin_country": None,
    }
    row.update(overrides)
    return gpd.GeoDataFrame([row], geometry=[Point(70.27, 32.97)], crs=4326)


def rendered(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def test_class_breaks_and_colours_keep_missing_apart_from_zero():
    breaks = classify.class_breaks([0, 5, NAN, 40])
    assert breaks == [0.0, 5.0, 40.0]
    assert classify.colour_for(0.0, breaks) is not None
    assert classify.colour_for(NAN, breaks) is None
    assert classify.class_breaks([NAN, NAN]) == []


def test_class_breaks_use_natural_breaks_for_many_values():
    breaks = classify.class_breaks(list(range(100)))
    assert len(breaks) == 5 and breaks[-1] == 99.0


def test_choropleth_draws_no_data_distinctly_and_shows_a_legend(countries, regions):
    fmap = maps.base_map(countries)
    values = pd.Series({"PK-KP": 567.0, "PK-BA": 0.0})  # Sindh: no figure
    maps.choropleth(fmap, regions, values, layer_name="Deaths", metric_label="Deaths", source_label="CRSS")
    page = rendered(fmap)
    assert "no data" in page and "atlas-legend" in page
    layer = next(c for c in fmap._children.values() if getattr(c, "layer_name", "") == "Deaths")
    props = {f["properties"]["id"]: f["properties"] for f in layer.data["features"]}
    assert props["PK-SD"]["colour"] is None and props["PK-SD"]["value_text"] == "no data"
    assert props["PK-BA"]["colour"] is not None and props["PK-BA"]["value_text"] == "0"
    assert props["PK-KP"]["value_text"] == "567"


def test_map_uses_no_tiles_by_default(countries):
    page = rendered(maps.base_map(countries))
    assert "tile.openstreetmap" not in page and "Afghanistan" in page


def test_popup_escapes_user_text_and_drops_non_http_links():
    row = incidents(place="<script>alert('x')</script>", notes="<b>").iloc[0]
    popup = maps.popup_html(row)
    assert "<script>" not in popup and "&lt;script&gt;" in popup
    assert 'href="https://www.dawn.com/news/1"' in popup
    assert "javascript:" not in popup.split("href=")[-1].split(">")[0]
    assert "7–13" in popup and "Injured</th><td>unknown" in popup


def test_incident_markers_in_rendered_html_escape_hostile_text(countries):
    fmap = maps.base_map(countries)
    maps.incident_markers(fmap, incidents(place="<img src=x onerror=alert(1)>"))
    page = rendered(fmap)
    assert "<img src=x" not in page
    assert "\\u0026lt;img src=x" in page  # escaped by us, then JSON-escaped by folium
    assert page.count('"tip": ') == 1


def test_all_markers_go_out_as_one_geojson_layer(countries):
    many = pd.concat([incidents(id=f"x{n}") for n in range(50)])
    fmap = maps.base_map(countries)
    maps.incident_markers(fmap, gpd.GeoDataFrame(many, crs=4326))
    page = rendered(fmap)
    assert page.count('"tip": ') == 50
    assert page.count("new L.CircleMarker(") == 1  # one pointToLayer function, not 50 elements


def test_cross_border_arrow_starts_in_the_origin_country(countries):
    strike = incidents(event_type="cross_border_strike", origin_country="PK", place="Barmal")
    strike = strike.set_geometry([Point(63.0, 32.0)])
    (arrow,) = crossborder.arrows(strike, countries)
    assert arrow.end == (32.0, 63.0)
    assert arrow.start == (32.0, 66.0)  # nearest point of Pakistan's box
    assert arrow.head[0] == arrow.end and len(arrow.head) == 3
    assert arrow.label.startswith("Pakistan → Barmal (2024-03-18)")


def test_strikes_without_point_or_origin_get_no_arrow(countries):
    no_origin = incidents(event_type="cross_border_strike", origin_country=None)
    no_point = incidents(event_type="cross_border_strike", origin_country="PK").set_geometry([None])
    assert crossborder.arrows(pd.concat([no_origin, no_point]), countries) == []


def test_arrow_head_points_at_the_target():
    head = crossborder._head((30.0, 60.0), (30.0, 61.0))
    assert all(lon < 61.0 for _, lon in head[1:])  # the barbs trail behind the tip
    assert math.isclose(head[1][1], head[2][1])


def test_popup_shows_missing_values_as_unknown_and_names_the_dataset():
    row = incidents(place=pd.NA, target=pd.NA, sources=pd.NA, status=pd.NA, killed_low=pd.NA,
                    killed_high=pd.NA, dataset="gtd.csv").iloc[0]
    popup = maps.popup_html(row)
    assert "Target</th><td>unknown" in popup and "Killed</th><td>unknown" in popup
    assert "no source recorded" in popup and "Dataset</th><td>gtd.csv" in popup


def test_pakistan_is_drawn_apart_from_its_neighbours(countries):
    fmap = maps.base_map(countries)
    layer = next(c for c in fmap._children.values() if getattr(c, "layer_name", "") == "Neighbouring countries")
    styles = {f["properties"]["id"]: layer.style_function(f) for f in layer.data["features"]}
    assert styles["PK"] == maps.HOME_STYLE and styles["AF"] == maps.NEIGHBOUR_STYLE
