"""Folium map builders. Each returns a Folium object; only pages hand it to ``st_folium``.

The map never depends on internet tiles: the outlines of the neighbouring countries, the
provinces and the border regions come from ``data/`` and are drawn as their own layers, so the
map reads the same offline. An online tile layer is optional and off by default.
"""

import folium
import geopandas as gpd

PAKISTAN_CENTRE = (30.0, 69.5)
PAKISTAN_BOUNDS = [[23.5, 60.8], [37.1, 77.9]]

NEIGHBOUR_STYLE = {"fillColor": "#e4e1da", "color": "#8a877f", "weight": 1, "fillOpacity": 1.0}
PROVINCE_OUTLINE = {"fillColor": "#fbfaf7", "color": "#4a4a4a", "weight": 1.2, "fillOpacity": 1.0}
SEA_COLOUR = "#cfe0ea"


def base_map(neighbours: gpd.GeoDataFrame, online_tiles: bool = False) -> folium.Map:
    """An empty map framed on Pakistan with the neighbouring countries drawn as a base layer.

    ``maxZoom`` is passed as a Leaflet option because with ``tiles=None`` folium sets no
    maximum zoom, and marker clusters refuse to work without one.
    """
    fmap = folium.Map(
        location=PAKISTAN_CENTRE,
        zoom_start=5,
        tiles="OpenStreetMap" if online_tiles else None,
        maxZoom=12,
        minZoom=4,
        control_scale=True,
        prefer_canvas=False,
    )
    fmap.get_root().header.add_child(
        folium.Element(f"<style>.leaflet-container {{ background: {SEA_COLOUR}; }}</style>")
    )
    folium.GeoJson(
        neighbours[["id", "name", "geometry"]],
        name="Neighbouring countries",
        style_function=lambda _feature: NEIGHBOUR_STYLE,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        control=False,
    ).add_to(fmap)
    fmap.fit_bounds(PAKISTAN_BOUNDS)
    return fmap


def add_province_outlines(fmap: folium.Map, provinces: gpd.GeoDataFrame) -> folium.Map:
    """Draw the provinces as plain outlines with their names as tooltips."""
    folium.GeoJson(
        provinces[["id", "name", "geometry"]],
        name="Provinces",
        style_function=lambda _feature: PROVINCE_OUTLINE,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(fmap)
    return fmap
