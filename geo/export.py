"""Writers for what users take away: GeoJSON (RFC 7946) and CSV of the filtered incidents.

GeoJSON is written by hand with orjson rather than ``GeoDataFrame.to_json``: it is several times
faster, handles dates and missing values explicitly, and lets us emit exactly RFC 7946 (lon/lat
order, no ``crs`` member, ``null`` geometry for records without a point). A top-level ``atlas``
member (a foreign member, allowed by RFC 7946 section 6.1) describes the filters and provenance.
CSV cells that a spreadsheet would run as formulas are neutralised.
"""

import io
from collections.abc import Mapping
from typing import BinaryIO

import numpy as np
import orjson
import pandas as pd
import shapely

from geo import schema

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


CHUNK_ROWS = 50_000


def _plain_values(series: pd.Series) -> list:
    """A column as JSON-ready Python values, vectorised: NaN/NA -> None, dates -> ISO strings."""
    if pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%d")
        return text.astype(object).where(series.notna(), None).tolist()
    if pd.api.types.is_float_dtype(series) and not isinstance(series.dtype, pd.api.extensions.ExtensionDtype):
        values = series.to_numpy(dtype=float)
        out = values.astype(object)
        out[~np.isfinite(values)] = None
        return out.tolist()
    return series.astype(object).where(series.notna(), None).tolist()


def _point_coordinates(geometry) -> list:
    """``[lon, lat]`` per geometry, or None where a record has no point."""
    geoms = np.asarray(geometry.array if hasattr(geometry, "array") else list(geometry), dtype=object)
    present = ~shapely.is_missing(geoms)
    present[present] = ~shapely.is_empty(geoms[present])
    xs = np.round(shapely.get_x(geoms[present]), 6).tolist()
    ys = np.round(shapely.get_y(geoms[present]), 6).tolist()
    coords = [None] * len(geoms)
    for index, x, y in zip(np.flatnonzero(present).tolist(), xs, ys, strict=True):
        coords[index] = {"type": "Point", "coordinates": [x, y]}
    return coords


def _features(chunk, columns: list[str]) -> list[dict]:
    values = [_plain_values(chunk[c]) for c in columns]
    geometries = _point_coordinates(chunk.geometry)
    return [
        {"type": "Feature", "geometry": geometry, "properties": dict(zip(columns, row, strict=True))}
        for geometry, row in zip(geometries, zip(*values, strict=True), strict=True)
    ] if columns else [{"type": "Feature", "geometry": g, "properties": {}} for g in geometries]


def write_geojson(frame, stream: BinaryIO, properties: list[str] | None = None,
                  metadata: Mapping | None = None) -> None:
    """Stream a point GeoDataFrame to ``stream`` as an RFC 7946 FeatureCollection.

    Features are serialised ``CHUNK_ROWS`` at a time, so memory stays flat however large the
    frame. ``properties`` chooses and orders the property columns (default: every non-geometry
    column); ``metadata`` becomes the top-level ``atlas`` member. The frame must be in EPSG:4326.
    """
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        raise ValueError(f"GeoJSON needs lon/lat (EPSG:4326); got {frame.crs}")
    columns = properties or [c for c in frame.columns if c != frame.geometry.name]
    stream.write(b'{"type":"FeatureCollection","features":[')
    for start in range(0, len(frame), CHUNK_ROWS):
        body = orjson.dumps(_features(frame.iloc[start:start + CHUNK_ROWS], columns), default=str)
        stream.write((b"," if start else b"") + body[1:-1])
    stream.write(b"]")
    if metadata:
        stream.write(b',"atlas":' + orjson.dumps(dict(metadata), default=str))
    stream.write(b"}")


def to_geojson(frame, properties: list[str] | None = None, metadata: Mapping | None = None) -> bytes:
    """The frame as RFC 7946 GeoJSON bytes (see ``write_geojson``)."""
    buffer = io.BytesIO()
    write_geojson(frame, buffer, properties, metadata)
    return buffer.getvalue()


def neutralise_cell(value):
    """Prefix text that a spreadsheet would treat as a formula with a quote, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every formula-like text cell neutralised (see ``neutralise_cell``).

    For tables shown on screen: their toolbar's "Download as CSV" exports what is shown, and
    cannot be turned off, so what is shown must already be safe in a spreadsheet.
    """
    text = [name for name in frame.columns
            if pd.api.types.is_object_dtype(frame[name]) or pd.api.types.is_string_dtype(frame[name])]
    risky = [name for name in text if frame[name].astype("string").str.startswith(FORMULA_PREFIXES).any()]
    if not risky:
        return frame
    return frame.assign(**{name: frame[name].map(neutralise_cell) for name in risky})


def restore_column(values: pd.Series) -> pd.Series:
    """Undo ``neutralise_cell`` on a text column read back from one of our CSV files."""
    text = values.astype("string")
    quoted = text.str.startswith("'") & text.str.slice(1, 2).isin(list(FORMULA_PREFIXES))
    return text.where(~quoted.fillna(False), text.str.slice(1)).astype(object).where(text.notna(), None)


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


# Downloads carry the schema's fields plus what the spatial join added, in schema order.
EXPORT_EXTRAS = ("border_region_ids",)


def export_columns(frame: pd.DataFrame) -> list[str]:
    """The columns a download carries: the schema's fields present in ``frame``, then the join's."""
    names = [f.name for f in schema.INCIDENT_FIELDS] + list(EXPORT_EXTRAS)
    return [name for name in names if name in frame.columns]


def download_metadata(period: str, state: dict, provenance: dict[str, dict]) -> dict:
    """The top-level ``atlas`` member of a GeoJSON download: the period (year, quarter or month),
    the filters and the data's provenance."""
    files = ("incidents.csv", "provinces.geojson", "border_regions.geojson")
    return {
        "period": period,
        "filters": {key: value for key, value in state.items() if value},
        "provenance": {name: {k: provenance[name].get(k) for k in ("title", "source", "licence", "attribution")}
                       for name in files if name in provenance},
        "notes": "killed = the lowest total across the cited sources; a missing value is unknown, not zero.",
    }
