"""Map builders: inspect the Folium objects and their rendered HTML."""

import json
import math
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo import boundaries
from geo.render import arrows as crossborder
from geo.render import classify, maps

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


def rendered_group(group: folium.FeatureGroup) -> str:
    fmap = folium.Map(tiles=None)
    group.add_to(fmap)
    return rendered(fmap)


def test_class_breaks_and_colours_keep_missing_apart_from_zero():
    breaks = classify.class_breaks([0, 5, NAN, 40])
    assert breaks == [0.0, 5.0, 40.0]
    assert classify.colour_for(0.0, breaks) is not None
    assert classify.colour_for(NAN, breaks) is None
    assert classify.class_breaks([NAN, NAN]) == []


def test_class_breaks_use_natural_breaks_for_many_values():
    breaks = classify.class_breaks(list(range(100)))
    assert len(breaks) == 5 and breaks[-1] == 99.0


def test_regions_without_a_value_get_no_colour_and_say_no_data():
    values = pd.Series({"PK-KP": 567.0, "PK-BA": 0.0})  # Sindh: no figure
    colours, breaks = maps.region_colours(["PK-KP", "PK-BA", "PK-SD"], values, "Deaths", "CRSS")
    assert colours["PK-SD"][0] is None and "Deaths: no data" in colours["PK-SD"][1]
    assert colours["PK-BA"][0] is not None and "Deaths: 0" in colours["PK-BA"][1]  # zero is a colour
    assert "Deaths: 567<br>Source: CRSS" in colours["PK-KP"][1]
    assert breaks == [0.0, 567.0]


def test_region_tooltips_escape_labels_and_sources():
    colours, _ = maps.region_colours(["PK-KP"], pd.Series({"PK-KP": 1.0}), "<b>x</b>", "<img src=y>")
    assert "<b>x</b>" not in colours["PK-KP"][1] and "&lt;img src=y&gt;" in colours["PK-KP"][1]


def test_base_map_loads_only_the_apps_own_files_and_no_tiles():
    fmap = maps.base_map()
    links = [url for _, url in fmap.default_js + fmap.default_css]
    assert links and all(url.startswith(maps.ASSET_URL) for url in links)
    for url in links + [maps.ASSET_URL + path for path in maps.BOUNDARY_FILES.values()]:
        assert (maps.STATIC_DIR / url.removeprefix(maps.ASSET_URL)).is_file(), url
    page = rendered(fmap)
    assert "tile.openstreetmap" not in page and "atlasMap.init(" in page
    assert "cdn." not in page and "https://" not in page.split("<body>")[0]


def test_base_map_script_is_the_same_on_every_build():
    # streamlit-folium keeps the map iframe only while the base map's script is unchanged.
    first, second = rendered(maps.base_map()), rendered(maps.base_map())
    strip = re.compile(r"_[0-9a-f]{32}")
    assert strip.sub("", first) == strip.sub("", second)


def test_view_layer_hands_the_payload_to_the_client_and_escapes_script_ends():
    group = maps.view_layer({"period": "2024Q2", "legend": "</script><script>alert(1)</script>"})
    script = rendered_group(group)
    assert "atlasMap.update(" in script and '"period":"2024Q2"' in script
    assert "<script>alert(1)" not in script and "\\u003c/script>" in script


def test_popup_escapes_user_text_and_drops_non_http_links():
    row = incidents(place="<script>alert('x')</script>", notes="<b>").iloc[0]
    popup = maps.popup_html(row)
    assert "<script>" not in popup and "&lt;script&gt;" in popup
    assert 'href="https://www.dawn.com/news/1"' in popup
    assert "javascript:" not in popup.split("href=")[-1].split(">")[0]
    assert "7–13" in popup and "Injured</th><td>unknown" in popup


def test_incident_markers_escape_hostile_text():
    layer = maps.incident_layer(incidents(place="<img src=x onerror=alert(1)>"))
    (marker,) = layer["markers"]
    lat, lon, radius, colour, hollow, tip, popup = marker
    assert (lat, lon) == (32.97, 70.27)  # Leaflet's order: lat, lon
    assert "<img src=x" not in tip + popup and "&lt;img src=x" in tip
    assert colour == maps.COLOUR_INDEX["terror_attack"] and hollow == 0  # a town is drawn filled


def test_district_level_places_are_drawn_hollow():
    (marker,) = maps.incident_layer(incidents(location_precision="district"))["markers"]
    assert marker[4] == 1


def test_unknown_tolls_get_the_smallest_marker_not_zero_deaths():
    (marker,) = maps.incident_layer(incidents(killed=NAN, killed_low=NAN, killed_high=NAN))["markers"]
    assert marker[2] == 4.0 and "unknown killed" in marker[5]


def test_strike_arrows_carry_escaped_labels(countries):
    strike = incidents(event_type="cross_border_strike", origin_country="PK", place="<b>Barmal</b>")
    strike = strike.set_geometry([Point(63.0, 32.0)])
    (arrow,) = maps.strike_arrows(strike, countries)
    start, end, head, tip, popup = arrow
    assert end == [32.0, 63.0] and start == [32.0, 66.0] and len(head) == 3
    assert "&lt;b&gt;Barmal" in tip and "<b>Barmal" not in popup


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


def test_pakistan_is_drawn_apart_from_its_neighbours():
    assert maps.STYLES["home"]["fillColor"] != maps.STYLES["neighbour"]["fillColor"]
    assert '"home":"PK"' in rendered(maps.base_map())


def test_static_boundary_files_hold_every_region_by_id():
    for name, loader in (("provinces", "load_provinces"), ("border_regions", "load_border_regions"),
                         ("neighbours", "load_neighbours")):
        doc = json.loads((maps.STATIC_DIR / maps.BOUNDARY_FILES[name]).read_text())
        ids = [f["properties"]["id"] for f in doc["features"]]
        assert sorted(ids) == sorted(getattr(boundaries, loader)()["id"]), name


def test_online_tiles_are_an_option_off_by_default():
    assert "tile.openstreetmap" not in rendered(maps.base_map())
    assert "tile.openstreetmap" in rendered(maps.base_map(online_tiles=True))
