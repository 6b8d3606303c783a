"""The atlas's incident records: read and validate an incidents file against ``geo/schema.py``.

``load_incidents`` returns a GeoDataFrame of events (EPSG:4326, a Point where the event was
placed, None where it was not). Every cell is parsed by its schema dtype, allowed values and
cross-field rules are checked, and one ``RecordsError`` lists *every* problem (see
geo/validation.py). ``validate_incidents`` does the same for frames that did not come from our
files (user imports). The published figures are geo/figures.py's.
"""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import export, paths, schema
from geo.periods import quarters_of
from geo.validation import Problem, RecordsError, duplicate_problems, parse_table, rule, url_problems

SOURCE_SEPARATOR = " | "


def _range_problems(frame, low: str, high: str) -> list[Problem]:
    return rule(frame, frame[low] > frame[high], low, f"at most {high}")


def _location_problems(frame: pd.DataFrame) -> list[Problem]:
    has_lon, has_lat = frame["lon"].notna(), frame["lat"].notna()
    wants_point = frame["location_precision"].isin(schema.POINT_PRECISIONS)
    precise = frame["location_precision"].notna()
    return (
        rule(frame, has_lon != has_lat, "lat", "lon and lat both given or both empty")
        + rule(frame, precise & (wants_point != has_lon), "location_precision",
                "site/town/district exactly when lon/lat are given")
        + rule(frame, ~frame["lon"].between(-180, 180) & has_lon, "lon", "-180 to 180")
        + rule(frame, ~frame["lat"].between(-90, 90) & has_lat, "lat", "-90 to 90")
    )


def _incident_rule_problems(frame: pd.DataFrame) -> list[Problem]:
    cross_border = frame["event_type"] == "cross_border_strike"
    aggregate = frame["status"] == "aggregate"
    killed_rule = frame["killed_low"].notna() & (frame["killed"] != frame["killed_low"])
    outside_pk = frame["province_id"].notna() & (frame["country"] != "PK")
    unsourced = frame["sources"].isna() & (frame["status"] != "imported")
    return (
        duplicate_problems(frame, "id")
        + url_problems(frame, "sources")
        + rule(frame, unsourced, "sources", "at least one URL (only imported rows may have none)")
        + _location_problems(frame)
        + _range_problems(frame, "killed_low", "killed_high")
        + _range_problems(frame, "injured_low", "injured_high")
        + rule(frame, killed_rule, "killed", "equal to killed_low (the figure used in totals)")
        + rule(frame, cross_border & frame["origin_country"].isna(), "origin_country",
                "the country a cross-border strike came from")
        + rule(frame, aggregate & frame["counts_in_totals"], "counts_in_totals",
                "false for an aggregate row (it overlaps other rows)")
        + rule(frame, outside_pk, "province_id", "empty when country is not PK")
    )


def validate_incidents(raw: pd.DataFrame, source: str = "incidents") -> pd.DataFrame:
    """Parse and check an incidents table (strings or typed values); return it typed as in the
    schema with a derived ``quarter`` column, or raise RecordsError listing every problem."""
    frame, problems = parse_table(raw, schema.INCIDENT_FIELDS)
    if not any(p.row is None for p in problems):
        problems += _incident_rule_problems(frame)
    if problems:
        raise RecordsError(problems, source)
    frame.insert(frame.columns.get_loc("date_precision") + 1, "quarter",
                 quarters_of(frame["occurred_on"]))
    return frame


def points(frame: pd.DataFrame) -> np.ndarray:
    # One vectorised call for all rows; a row without lon/lat gets no geometry at all.
    xs = frame["lon"].to_numpy(dtype=float, na_value=np.nan)
    ys = frame["lat"].to_numpy(dtype=float, na_value=np.nan)
    points = shapely.points(xs, ys).astype(object)
    points[np.isnan(xs) | np.isnan(ys)] = None
    return points


def _read_native_geojson(path: Path) -> pd.DataFrame:
    # The atlas's own GeoJSON download: properties carry every field, geometry fills lon/lat.
    layer = gpd.read_file(path)
    dates = layer.select_dtypes(include=["datetime", "datetimetz"]).columns  # GDAL parses ISO dates
    layer[dates] = layer[dates].apply(lambda column: column.dt.strftime("%Y-%m-%d"))
    raw = pd.DataFrame(layer.drop(columns=layer.geometry.name)).astype(object)
    located = layer.geometry.notna()
    raw["lon"] = np.where(located, layer.geometry.x.where(located), None)
    raw["lat"] = np.where(located, layer.geometry.y.where(located), None)
    known = set(schema.columns(schema.INCIDENT_FIELDS))
    return raw[[c for c in raw.columns if c in known]]


def _read_native_csv(path: Path) -> pd.DataFrame:
    # pyarrow's reader is ~5x faster on large files and reads the same cells; a file it refuses
    # is read again by pandas' own parser, whose error messages name the line.
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow")
    except (ValueError, OSError):
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    # A CSV the app wrote (a download) has formula-like text quoted; take the quote off again.
    # Only columns holding such a quote are touched: the rest keep pyarrow's fast strings
    # (converting every column cost seconds at a million rows).
    text = [f.name for f in schema.INCIDENT_FIELDS if f.dtype == "string" and f.name in raw.columns]
    quoted = [name for name in text if raw[name].str.startswith("'").any()]
    return raw.assign(**{name: export.restore_column(raw[name]).fillna("") for name in quoted})


def load_incidents(path: Path = paths.INCIDENTS) -> gpd.GeoDataFrame:
    """An incidents file in the native schema (CSV, or the atlas's own GeoJSON) as a validated
    GeoDataFrame in EPSG:4326 (Point or None per row)."""
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json"):
        raw = _read_native_geojson(path)
    else:
        raw = _read_native_csv(path)
    frame = validate_incidents(raw, source=path.name)
    return gpd.GeoDataFrame(frame, geometry=points(frame), crs="EPSG:4326")
