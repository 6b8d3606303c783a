"""Writers for what users take away: GeoJSON (RFC 7946) and CSV of the filtered incidents.

GeoJSON is written by hand with orjson rather than ``GeoDataFrame.to_json``: it is several times
faster, handles dates and missing values explicitly, and lets us emit exactly RFC 7946 (lon/lat
order, no ``crs`` member, ``null`` geometry for records without a point). A top-level ``atlas``
member (a foreign member, allowed by RFC 7946 section 6.1) describes the filters and provenance.
CSV cells that a spreadsheet would run as formulas are neutralised.
"""

import io
import math
from collections.abc import Iterable, Mapping

import numpy as np
import orjson
import pandas as pd
import shapely

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    """A JSON-ready Python value: NaN/NA -> None, timestamps -> ISO dates, numpy -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return value


def _point_coordinates(geometry: Iterable) -> list:
    """``[lon, lat]`` per geometry, or None where a record has no point."""
    geoms = np.asarray(list(geometry), dtype=object)
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    xs = np.full(len(geoms), np.nan)
    ys = np.full(len(geoms), np.nan)
    xs[present] = shapely.get_x(geoms[present])
    ys[present] = shapely.get_y(geoms[present])
    return [[round(float(x), 6), round(float(y), 6)] if ok else None for x, y, ok in zip(xs, ys, present, strict=True)]


def to_geojson(frame, properties: list[str] | None = None, metadata: Mapping | None = None) -> bytes:
    """Serialise a point GeoDataFrame as an RFC 7946 FeatureCollection (UTF-8 bytes).

    ``properties`` chooses and orders the property columns (default: every non-geometry column).
    ``metadata`` becomes the top-level ``atlas`` member. The frame must be in EPSG:4326.
    """
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        raise ValueError(f"GeoJSON needs lon/lat (EPSG:4326); got {frame.crs}")
    columns = properties or [c for c in frame.columns if c != frame.geometry.name]
    records = frame[columns].astype(object).to_dict("records")
    coords = _point_coordinates(frame.geometry)
    features = [
        {
            "type": "Feature",
            "geometry": None if xy is None else {"type": "Point", "coordinates": xy},
            "properties": {k: _plain(v) for k, v in record.items()},
        }
        for record, xy in zip(records, coords, strict=True)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    if metadata:
        collection["atlas"] = dict(metadata)
    return orjson.dumps(collection, default=str)


def neutralise_cell(value):
    """Prefix text that a spreadsheet would treat as a formula with a quote, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame, columns: list[str] | None = None) -> bytes:
    """The frame as UTF-8 CSV, formula-like text cells neutralised, geometry left out."""
    table = pd.DataFrame(frame)
    keep = columns or [c for c in table.columns if c != "geometry"]
    table = table[keep]
    text_columns = [c for c in keep if not pd.api.types.is_numeric_dtype(table[c])]
    table = table.assign(**{c: table[c].map(neutralise_cell) for c in text_columns})
    buffer = io.StringIO()
    table.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")
