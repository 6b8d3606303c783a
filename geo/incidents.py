"""The atlas's incident records: read and validate an incidents file against ``geo/schema.py``.

``load_incidents`` returns a GeoDataFrame of events (EPSG:4326, a Point where the event was
placed, None where it was not). Every cell is parsed by its schema dtype, allowed values and
cross-field rules are checked, and one ``RecordsError`` lists *every* problem (see
geo/validation.py). ``validate_incidents`` does the same for frames that did not come from our
files (user imports). ``native_table`` is the one reading of the atlas's own layout, shared with
the importer of that layout. The published figures are geo/figures.py's.
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


def _has_quote(values: pd.Series) -> bool:
    # Straight on the reader's strings: a cast to "string" first cost 0.2 s at a million rows.
    if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
        return False
    return bool(values.str.startswith("'", na=False).any())


def native_table(table: pd.DataFrame) -> pd.DataFrame:
    """A table in the atlas's own layout, read back from one of its files (CSV or GeoJSON, cells
    as text): the quote the CSV writer puts before formula-like text taken off again, and a
    GeoJSON Point (``_lon``/``_lat``, see geo/importers/geojson.py) giving lon/lat when the
    properties have none. The one reading of the layout, for the files the app opens
    (``load_incidents``) and for imports (geo/importers/native.py); other columns are kept for
    the caller to refuse (a file of ours) or to note and ignore (an import)."""
    table = table.rename(columns={f"_{axis}": axis for axis in ("lon", "lat") if axis not in table.columns})
    table = table.drop(columns=[c for c in ("_lon", "_lat") if c in table.columns])
    # Only columns holding such a quote are touched: the rest keep the reader's fast strings
    # (converting every column cost seconds at a million rows).
    text = [f.name for f in schema.INCIDENT_FIELDS if f.dtype == "string" and f.stored and f.name in table.columns]
    quoted = [name for name in text if _has_quote(table[name])]
    return table.assign(**{name: export.restore_column(table[name]) for name in quoted})


def _read_csv(path: Path) -> pd.DataFrame:
    # pyarrow's reader is ~5x faster on large files and reads the same cells; a file it refuses
    # is read again by pandas' own parser, whose error messages name the line. (Uploads go
    # through geo/importers/read.py instead, which also survives hostile bytes.)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow")
    except (ValueError, OSError):
        return pd.read_csv(path, dtype=str, keep_default_na=False)


def _read_geojson(path: Path) -> pd.DataFrame:
    # The importers' GeoJSON reader (imported here: geo.importers itself imports this module).
    # A feature it would reject or repair is a problem in a file of ours, not a row to drop.
    from geo.importers.geojson import read_records
    from geo.importers.report import ImportReport

    report = ImportReport(source=path.name)
    table = pd.DataFrame.from_records(read_records(path.read_bytes(), report))
    problems = [Problem(line.row, line.column, line.value, line.reason) for line in report.entries]
    if problems:
        raise RecordsError(problems, path.name)
    return table


def load_incidents(path: Path = paths.INCIDENTS) -> gpd.GeoDataFrame:
    """An incidents file in the native schema (CSV, or the atlas's own GeoJSON) as a validated
    GeoDataFrame in EPSG:4326 (Point or None per row)."""
    path = Path(path)
    raw = _read_geojson(path) if path.suffix.lower() in (".geojson", ".json") else _read_csv(path)
    frame = validate_incidents(native_table(raw), source=path.name)
    return gpd.GeoDataFrame(frame, geometry=points(frame), crs="EPSG:4326")
