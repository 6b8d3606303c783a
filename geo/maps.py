"""Folium map builders. Each returns a Folium object; only pages hand it to ``st_folium``.

The map never depends on internet tiles: the neighbouring countries, the provinces and the
border regions come from ``data/`` and are drawn as their own layers, so it reads the same
offline. An online tile layer is optional and off by default. Legends are plain HTML (no branca
colormap), so the map needs no d3. Every string that comes from data is escaped before it
reaches a tooltip or popup; links are kept only for http(s) URLs.
"""

import html
import math

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo import classify, crossborder, grid

PAKISTAN_CENTRE = (30.0, 69.5)
PAKISTAN_BOUNDS = [[23.5, 60.8], [37.1, 77.9]]
SEA_COLOUR = "#cfe0ea"
NEIGHBOUR_STYLE = {"fillColor": "#e4e1da", "color": "#8a877f", "weight": 1, "fillOpacity": 1.0}
# Pakistan itself is drawn lighter, so it stands out from its neighbours on maps without provinces.
HOME_STYLE = {"fillColor": "#fbfaf7", "color": "#4a4a4a", "weight": 1.5, "fillOpacity": 1.0}
PROVINCE_OUTLINE = {"fillColor": "#fbfaf7", "color": "#4a4a4a", "weight": 1.2, "fillOpacity": 1.0}
NO_DATA_STYLE = {"fillColor": "#ffffff", "color": "#4a4a4a", "weight": 1.2, "fillOpacity": 0.6,
                 "dashArray": "4 4"}
BORDER_STYLE = {"color": "#5e3c99", "weight": 2, "dashArray": "6 4", "fillOpacity": 0.0}
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
EVENT_COLOURS = {
    "terror_attack": "#D55E00",
    "security_operation": "#0072B2",
    "cross_border_strike": "#CC79A7",
    "other": "#999999",
}
STRIKE_COLOUR = "#7B2D8E"
MARKERS_UP_TO = 1500  # above this many located incidents, draw grid cells instead of markers


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
    )
    fmap.get_root().header.add_child(
        folium.Element(f"<style>.leaflet-container {{ background: {SEA_COLOUR}; }}</style>")
    )
    folium.GeoJson(
        neighbours[["id", "name", "geometry"]],
        name="Neighbouring countries",
        style_function=lambda feature: HOME_STYLE if feature["properties"]["id"] == "PK" else NEIGHBOUR_STYLE,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        control=False,
    ).add_to(fmap)
    fmap.fit_bounds(PAKISTAN_BOUNDS)
    return fmap


def _fmt(value, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "no data"
    return f"{value:,.{digits}f}"


def choropleth(
    fmap: folium.Map,
    regions: gpd.GeoDataFrame,
    values: pd.Series,
    *,
    layer_name: str,
    metric_label: str,
    source_label: pd.Series | str,
    digits: int = 0,
) -> folium.Map:
    """Colour ``regions`` (columns id, name, geometry) by ``values`` (indexed by region id).

    A region without a value is drawn white with a dashed outline and "no data" in its tooltip,
    never in the colour of zero. Class breaks come from mapclassify (see ``geo.classify``).
    """
    value_by_id = values.reindex(regions["id"]).to_numpy()
    breaks = classify.class_breaks(value_by_id)
    sources = source_label if isinstance(source_label, pd.Series) else pd.Series(source_label, regions["id"])
    layer = regions[["id", "name", "geometry"]].copy()
    layer["value"] = value_by_id
    layer["value_text"] = [html.escape(_fmt(v, digits)) for v in value_by_id]
    layer["colour"] = [classify.colour_for(v, breaks) for v in value_by_id]
    layer["source"] = [html.escape(str(sources.get(i, "")) or "") for i in regions["id"]]
    layer["name"] = layer["name"].map(lambda n: html.escape(str(n)))

    def style(feature):
        colour = feature["properties"]["colour"]
        return dict(NO_DATA_STYLE) if colour is None else {**PROVINCE_OUTLINE, "fillColor": colour, "fillOpacity": 0.85}

    folium.GeoJson(
        layer.drop(columns=["value"]),
        name=layer_name,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "value_text", "source"],
            aliases=["", html.escape(metric_label), "Source"],
        ),
    ).add_to(fmap)
    add_legend(fmap, classify.legend_html(breaks, metric_label, digits))
    return fmap


def border_layer(
    fmap: folium.Map, regions: gpd.GeoDataFrame, values: pd.Series, metric_label: str, show: bool = True
) -> folium.Map:
    """Outline the border regions, coloured by ``values`` (by region id), as a toggleable layer."""
    value_by_id = values.reindex(regions["id"]).to_numpy()
    breaks = classify.class_breaks(value_by_id)
    layer = regions[["id", "name", "kind", "geometry"]].copy()
    layer["value_text"] = [html.escape(_fmt(v)) for v in value_by_id]
    layer["colour"] = [classify.colour_for(v, breaks, classify.BORDER_PALETTE) for v in value_by_id]
    layer["name"] = layer["name"].map(lambda n: html.escape(str(n)))
    group = folium.FeatureGroup(name="Border regions", show=show)

    def style(feature):
        colour = feature["properties"]["colour"]
        return {**BORDER_STYLE, "fillColor": colour or "#ffffff", "fillOpacity": 0.45 if colour else 0.0}

    folium.GeoJson(
        layer,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=["name", "value_text"], aliases=["", html.escape(metric_label)]),
    ).add_to(group)
    group.add_to(fmap)
    return fmap


def _link(url: str) -> str:
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return html.escape(url)
    shown = html.escape(url.split("//", 1)[1].split("/", 1)[0])
    return f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">{shown}</a>'


def _killed_text(row) -> str:
    low, high = row.get("killed_low"), row.get("killed_high")
    if pd.isna(low) and pd.isna(high):
        return "unknown"
    if pd.isna(high) or low == high:
        return _fmt(low)
    return f"{_fmt(low)}–{_fmt(high)}"


def _text(value, default: str = "") -> str:
    """A cell as text for display; missing (None, NaN, NA) becomes ``default``."""
    return default if value is None or pd.isna(value) or value == "" else str(value)


def popup_html(row) -> str:
    """The popup of one incident: every value escaped, sources as links."""
    date = row.get("occurred_on")
    date_text = date.date().isoformat() if isinstance(date, pd.Timestamp) else _text(date, "unknown")
    lines = [
        ("Date", html.escape(date_text)),
        ("Place", f"{html.escape(_text(row.get('place')))} "
                  f"<i>(location: {html.escape(_text(row.get('location_precision'), 'unknown'))})</i>"),
        ("Type", html.escape(_text(row.get("event_type"), "").replace("_", " "))),
        ("Perpetrator", html.escape(_text(row.get("perpetrator"), "unknown"))),
        ("Target", html.escape(_text(row.get("target"), "unknown"))),
        ("Killed", html.escape(_killed_text(row))),
        ("Injured", html.escape(_fmt(row.get("injured")) if pd.notna(row.get("injured")) else "unknown")),
        ("Status", html.escape(_text(row.get("status"), ""))),
    ]
    if _text(row.get("dataset")):
        lines.append(("Dataset", html.escape(_text(row.get("dataset")))))
    urls = [u for u in _text(row.get("sources"), "").split(" | ") if u.strip()]
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in lines)
    links = "<br>".join(_link(u) for u in urls) or "no source recorded"
    return f"<table class='atlas-popup'>{body}<tr><th>Sources</th><td>{links}</td></tr></table>"


def _radius(killed) -> float:
    return 4.0 if pd.isna(killed) else 4.0 + 2.2 * math.sqrt(float(killed))


def _marker_feature(row) -> dict:
    colour = EVENT_COLOURS.get(row.get("event_type"), EVENT_COLOURS["other"])
    approximate = row.get("location_precision") not in ("site", "town")
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(row.geometry.x, 5), round(row.geometry.y, 5)]},
        "properties": {
            "popup": popup_html(row),
            "tip": html.escape(f"{_text(row.get('place'))} ({_killed_text(row)} killed)"),
            "style": {"radius": round(_radius(row.get("killed")), 1), "color": colour, "fillColor": colour,
                      "fillOpacity": 0.0 if approximate else 0.7, "weight": 2,
                      "dashArray": "3 3" if approximate else None},
        },
    }


def incident_markers(fmap: folium.Map, incidents: gpd.GeoDataFrame, show: bool = True) -> folium.Map:
    """One circle per located incident: colour by event type, area by deaths.

    All markers go out as one GeoJSON layer (far cheaper through st_folium than one Folium
    element each). Records whose point stands for a whole district are drawn hollow, so nobody
    reads them as the exact site. Above ``MARKERS_UP_TO`` located incidents the map shows grid
    cells instead (``incident_cells``). Popup and tooltip text is escaped in ``popup_html``.
    """
    located = incidents[incidents.geometry.notna() & ~incidents.geometry.is_empty]
    if len(located) > MARKERS_UP_TO:
        return incident_cells(fmap, located, show)
    group = folium.FeatureGroup(name="Incidents", show=show)
    features = [_marker_feature(row) for _, row in located.iterrows()]
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            marker=folium.CircleMarker(fill=True),
            style_function=lambda feature: feature["properties"]["style"],
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=380),
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        ).add_to(group)
    group.add_to(fmap)
    return fmap


def incident_cells(fmap: folium.Map, incidents: gpd.GeoDataFrame, show: bool = True) -> folium.Map:
    """Many incidents as one circle per grid cell (area by record count), with a count tooltip.

    The cells go out as one GeoJSON layer with two properties each, so the payload stays small
    however many incidents there are.
    """
    cells = grid.bin_points(incidents)
    scale = 18.0 / np.sqrt(cells["records"].max())
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(x, 4), round(y, 4)]},
         "properties": {"r": round(3 + scale * np.sqrt(n), 1),
                        "t": f"{n:,} records, {_fmt(k)} killed"}}
        for x, y, n, k in cells[["lon", "lat", "records", "killed"]].itertuples(index=False)
    ]
    group = folium.FeatureGroup(name="Incidents", show=show)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        marker=folium.CircleMarker(color=EVENT_COLOURS["terror_attack"], fill=True, fill_opacity=0.6, weight=1),
        style_function=lambda feature: {"radius": feature["properties"]["r"]},
        tooltip=folium.GeoJsonTooltip(fields=["t"], labels=False),
    ).add_to(group)
    group.add_to(fmap)
    return fmap


def cross_border_arrows(
    fmap: folium.Map, strikes: gpd.GeoDataFrame, countries: gpd.GeoDataFrame, show: bool = True
) -> folium.Map:
    """An arrow from the origin country to each strike location, styled apart from attacks.

    Arrows start at the point of the origin country nearest to the strike: launch sites are not
    known, and the arrow claims only the direction.
    """
    group = folium.FeatureGroup(name="Cross-border strikes", show=show)
    for arrow in crossborder.arrows(strikes, countries):
        folium.PolyLine(
            [arrow.start, arrow.end], color=STRIKE_COLOUR, weight=3, dash_array="8 5",
            tooltip=html.escape(arrow.label),
        ).add_to(group)
        folium.Polygon(
            arrow.head, color=STRIKE_COLOUR, fill=True, fill_color=STRIKE_COLOUR, fill_opacity=1.0, weight=1,
            popup=folium.Popup(popup_html(arrow.row), max_width=360),
            tooltip=html.escape(arrow.label),
        ).add_to(group)
    group.add_to(fmap)
    return fmap


def add_legend(fmap: folium.Map, legend: str) -> None:
    """Pin an HTML legend (already escaped) to the bottom-left corner of the map."""
    fmap.get_root().html.add_child(folium.Element(legend))


def marker_legend_html() -> str:
    """Legend for incident markers and cross-border arrows."""
    items = "".join(
        f"<div><span style='display:inline-block;width:10px;height:10px;border-radius:50%;"
        f"background:{colour}'></span> {html.escape(kind.replace('_', ' '))}</div>"
        for kind, colour in EVENT_COLOURS.items()
    )
    return (
        "<div class='atlas-legend' style='position:fixed;bottom:24px;right:12px;z-index:9999;"
        "background:#fff;padding:6px 8px;border:1px solid #999;font:12px sans-serif'>"
        f"<b>Incidents</b>{items}<div><span style='color:{STRIKE_COLOUR}'>&#10230;</span> "
        "cross-border strike (from origin country)</div><div>hollow: placed at district seat</div></div>"
    )


def layer_control(fmap: folium.Map) -> folium.Map:
    """The layer switcher (expanded, so the layers can be toggled with one click or key press)."""
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap
