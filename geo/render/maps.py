"""Folium map builders. Each returns a Folium object; only pages hand it to ``st_folium``.

A map is two parts. The *base map* is the same on every rerun of a page: Leaflet and the
atlas's map client (``static/atlas/atlas-map.js``) come from the app's own static files, and the
client fetches the boundary layers (neighbouring countries, provinces, border regions) from
there once. The *view* is what changes with the quarter and the filters: the colours and
tooltips of the regions, the incident markers (or grid cells), the cross-border arrows and the
legend, sent as one small JSON payload in a feature group that streamlit-folium adds to the live
map. Because the base map's script never changes, streamlit-folium keeps the map iframe and
redraws the view in place: no CDN, no boundary geometry per rerun, pan and zoom kept.

Every string that comes from data is escaped here before it reaches a tooltip or popup; links
are kept only for http(s) URLs. Missing values are "no data", never the colour of zero.
"""

import html
import json
import math

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo import paths
from geo.render import arrows, classify, grid
from geo.summarize import number

PAKISTAN_CENTRE = (30.0, 69.5)
PAKISTAN_BOUNDS = [[23.5, 60.8], [37.1, 77.9]]
SEA_COLOUR = "#cfe0ea"

# Where the map iframe (…/component/streamlit_folium.st_folium/index.html) finds the app's
# static files (/app/static/…): relative, so the atlas also works under a proxy's path prefix.
STATIC_DIR = paths.PROJECT_DIR / "static"
ASSET_URL = "../../app/static/"
LEAFLET_VERSION = "1.9.4"
LEAFLET_DIR = f"vendor/leaflet-{LEAFLET_VERSION}"
CLIENT_JS = "atlas/atlas-map.js"
BOUNDARY_FILES = {
    "neighbours": "atlas/neighbours.json",
    "provinces": "atlas/provinces.json",
    "border_regions": "atlas/border_regions.json",
}

STYLES = {
    "neighbour": {"fillColor": "#e4e1da", "color": "#8a877f", "weight": 1, "fillOpacity": 1.0},
    # Pakistan itself is drawn lighter, so it stands out from its neighbours.
    "home": {"fillColor": "#fbfaf7", "color": "#4a4a4a", "weight": 1.5, "fillOpacity": 1.0},
    "province": {"fillColor": "#fbfaf7", "color": "#4a4a4a", "weight": 1.2, "fillOpacity": 1.0,
                 "dashArray": None},
    "province_filled": {"color": "#4a4a4a", "weight": 1.2, "fillOpacity": 0.85, "dashArray": None},
    "no_data": {"fillColor": "#ffffff", "color": "#4a4a4a", "weight": 1.2, "fillOpacity": 0.6,
                "dashArray": "4 4"},
    "border": {"color": "#5e3c99", "weight": 2, "dashArray": "6 4", "fillOpacity": 0.0},
    "border_filled": {"color": "#5e3c99", "weight": 2, "dashArray": "6 4", "fillOpacity": 0.45},
}
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
EVENT_COLOURS = {
    "terror_attack": "#D55E00",
    "security_operation": "#0072B2",
    "cross_border_strike": "#CC79A7",
    "other": "#999999",
}
STRIKE_COLOUR = "#7B2D8E"
MARKERS_UP_TO = 1500  # above this many located incidents, draw grid cells instead of markers
LAYER_NAMES = {"incidents": "Incidents", "strikes": "Cross-border strikes", "border_regions": "Border regions"}


class _Script(MacroElement):
    """JavaScript run where folium places the element: ``code(element)`` returns it, so it can name
    the element's parent (the map) by the variable folium gave it."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code(this) }}{% endmacro %}")

    def __init__(self, code):
        super().__init__()
        self._name = "AtlasScript"
        self.code = code


def _json(value) -> str:
    # "<" escaped so no text can close the <script> that holds it when folium renders a whole page.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def base_map(bounds=None, online_tiles: bool = False) -> folium.Map:
    """The part of the map that never changes: Leaflet, the atlas client and its boundary layers.

    It has no data in it, so its script is identical on every rerun and streamlit-folium keeps
    the iframe alive. ``maxZoom`` is passed as a Leaflet option because with ``tiles=None``
    folium sets none. ``online_tiles`` adds OpenStreetMap tiles (needs internet; off by default).
    """
    fmap = folium.Map(location=PAKISTAN_CENTRE, zoom_start=5, tiles="OpenStreetMap" if online_tiles else None,
                      maxZoom=12, minZoom=4, control_scale=True)
    # Only what the atlas uses, from the app itself: no jQuery, Bootstrap, Font Awesome or markers.
    fmap.default_js = [("leaflet", ASSET_URL + LEAFLET_DIR + "/leaflet.js"), ("atlas_map", ASSET_URL + CLIENT_JS)]
    fmap.default_css = [("leaflet_css", ASSET_URL + LEAFLET_DIR + "/leaflet.css")]
    fmap.get_root().header.add_child(
        folium.Element(f"<style>.leaflet-container {{ background: {SEA_COLOUR}; }} "
                       ".atlas-legend, .atlas-key { background: #fff; padding: 6px 8px; border: 1px solid #999; "
                       "font: 12px sans-serif; } .atlas-legend:empty { display: none; }</style>")
    )
    options = {
        "boundaries": {name: ASSET_URL + path for name, path in BOUNDARY_FILES.items()},
        "home": "PK",
        "styles": STYLES,
        "colours": list(EVENT_COLOURS.values()),
        "strike_colour": STRIKE_COLOUR,
        "names": LAYER_NAMES,
        "key": marker_legend_html(),
    }
    _Script(lambda this: f"atlasMap.init({this._parent.get_name()}, {_json(options)});").add_to(fmap)
    fmap.fit_bounds(bounds or PAKISTAN_BOUNDS)
    return fmap


def view_layer(view: dict) -> folium.FeatureGroup:
    """The view as a feature group for streamlit-folium's ``feature_group_to_add``.

    The group itself stays empty: its script hands ``view`` to the atlas client, which redraws
    the regions, markers, arrows and legend in the live map.
    """
    group = folium.FeatureGroup(name="view", control=False)
    _Script(lambda this: f"atlasMap.update({_json(view)});").add_to(group)
    return group


def region_colours(ids, values: pd.Series, label: str, sources: pd.Series | str | None = None,
                   digits: int = 0, palette=classify.PALETTE) -> tuple[dict, list[float]]:
    """``{region id: [fill colour or None, tooltip html]}`` and the class breaks used.

    A region without a value gets no colour (drawn "no data"), never the colour of zero.
    """
    values_by_id = values.reindex(list(ids)).to_numpy(dtype=float)
    breaks = classify.class_breaks(values_by_id)
    if not isinstance(sources, pd.Series):
        sources = pd.Series(sources or "", index=list(ids))
    result = {}
    for rid, value in zip(ids, values_by_id, strict=True):
        tip = f"{html.escape(label)}: {html.escape(number(value, digits))}"
        source = sources.get(rid, "")
        if isinstance(source, str) and source:
            tip += f"<br>Source: {html.escape(source)}"
        result[str(rid)] = [classify.colour_for(value, breaks, palette), tip]
    return result, breaks


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
        return number(low)
    return f"{number(low)}–{number(high)}"


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
        ("Injured", html.escape(number(row.get("injured")) if pd.notna(row.get("injured")) else "unknown")),
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


COLOUR_INDEX = {kind: index for index, kind in enumerate(EVENT_COLOURS)}


def _marker(row) -> list:
    kind = COLOUR_INDEX.get(row.get("event_type"), COLOUR_INDEX["other"])
    hollow = int(row.get("location_precision") not in ("site", "town"))
    tip = html.escape(f"{_text(row.get('place'))} ({_killed_text(row)} killed)")
    return [round(row.geometry.y, 5), round(row.geometry.x, 5), round(_radius(row.get("killed")), 1), kind, hollow,
            tip, popup_html(row)]


def _located(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return incidents[incidents.geometry.notna() & ~incidents.geometry.is_empty]


def incident_layer(incidents: gpd.GeoDataFrame) -> dict:
    """The view's incidents: ``{"markers": [...]}`` up to ``MARKERS_UP_TO`` located incidents,
    else ``{"cells": [...]}`` (one circle per grid cell, area by record count).

    A marker is ``[lat, lon, radius, colour index, hollow, tooltip, popup]``: colour by event
    type, area by deaths, hollow where the point stands for a whole district, so nobody reads it
    as the exact site. A cell is ``[lat, lon, radius, tooltip]``.
    """
    located = _located(incidents)
    if len(located) <= MARKERS_UP_TO:
        return {"markers": [_marker(row) for _, row in located.iterrows()]}
    cells = grid.bin_points(located)
    scale = 18.0 / np.sqrt(cells["records"].max())
    return {"cells": [
        [round(y, 4), round(x, 4), round(3 + scale * math.sqrt(n), 1), f"{n:,} records, {number(k)} killed"]
        for x, y, n, k in cells[["lon", "lat", "records", "killed"]].itertuples(index=False)
    ]}


def strike_arrows(strikes: gpd.GeoDataFrame, countries: gpd.GeoDataFrame) -> list:
    """An arrow from the origin country to each strike location, styled apart from attacks.

    Arrows start at the point of the origin country nearest to the strike: launch sites are not
    known, and the arrow claims only the direction. ``[start, end, head, tooltip, popup]``.
    """
    def point(lat_lon):
        return [round(lat_lon[0], 4), round(lat_lon[1], 4)]

    return [
        [point(arrow.start), point(arrow.end), [point(p) for p in arrow.head], html.escape(arrow.label),
         popup_html(arrow.row)]
        for arrow in arrows.arrows(strikes, countries)
    ]


def view(period: str, *, legend: str, provinces: dict | None = None, border_regions: dict | None = None,
         incidents: gpd.GeoDataFrame | None = None, strikes: list | None = None) -> dict:
    """Everything a map shows for one period and filter state, as the client's JSON payload."""
    payload = {"period": period, "legend": legend, "provinces": provinces, "border_regions": border_regions,
               "arrows": strikes or []}
    if incidents is not None:
        payload.update(incident_layer(incidents))
    return payload


def marker_legend_html() -> str:
    """Legend for incident markers and cross-border arrows."""
    items = "".join(
        f"<div><span style='display:inline-block;width:10px;height:10px;border-radius:50%;"
        f"background:{colour}'></span> {html.escape(kind.replace('_', ' '))}</div>"
        for kind, colour in EVENT_COLOURS.items()
    )
    return (
        f"<b>Incidents</b>{items}<div><span style='color:{STRIKE_COLOUR}'>&#10230;</span> "
        "cross-border strike (from origin country)</div><div>hollow: placed at district seat</div>"
    )
