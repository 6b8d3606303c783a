"""What both store backends share: the stored columns, the errors, the read filter and the
conversions between typed incident frames and plain database rows.

A row goes into the database as plain Python values (str, int, float, bool, ISO date text, None)
in the order of ``COLUMNS``, and comes back through ``frame_from_rows``, which restores the
schema's pandas dtypes and the point geometry from lon/lat. Keeping the conversion in one place
is what makes the GeoPackage and PostGIS stores return identical frames.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import schema
from geo.incidents import points, validate_incidents

STORED = schema.columns(schema.INCIDENT_FIELDS, stored_only=True)
COLUMNS = [*schema.columns(schema.INCIDENT_FIELDS)]  # stored fields + derived quarter + dataset
DTYPES = {f.name: f.dtype for f in schema.INCIDENT_FIELDS}
NOT_CORRECTABLE = ("id", "quarter", "dataset")  # the record's key and values derived from others
CHUNK_ROWS = 5_000
DATASET_COLUMNS = ["name", "source_file", "format", "imported_at", "rows", "removed_at", "report",
                   "imported_by", "removed_by", "data_version"]
HISTORY_COLUMNS = ["dataset", "record_id", "field", "old_value", "new_value", "changed_at", "reason", "changed_by"]
ACTIVITY_COLUMNS = ["version", "done_at", "done_by", "action", "dataset", "record_id", "detail"]


def dataset_frame(rows: list[tuple]) -> pd.DataFrame:
    """Dataset rows (in DATASET_COLUMNS order) as a typed table: times as UTC timestamps (NaT
    when unset), ``rows`` and ``data_version`` as int64, ``report`` as a dict (stored as JSON
    text), who imported and who removed as text (missing for stores older than the record)."""
    table = pd.DataFrame.from_records(rows, columns=DATASET_COLUMNS)
    for column in ("imported_at", "removed_at"):
        table[column] = utc_times(table[column])
    table["report"] = [text if isinstance(text, dict) else json.loads(text or "{}") for text in table["report"]]
    table["data_version"] = table["data_version"].fillna(0)
    return table.astype({"name": "string", "source_file": "string", "format": "string", "rows": "int64",
                         "imported_by": "string", "removed_by": "string", "data_version": "int64"})


def utc_times(column: pd.Series) -> pd.Series:
    """Stored times (ISO text in the GeoPackage, timestamptz in PostgreSQL) as UTC timestamps."""
    return pd.to_datetime(column.astype(object), utc=True, format="ISO8601")


class StoreError(ValueError):
    """A request the store refuses, with a sentence a person can act on."""


class DatasetExists(StoreError):
    """A dataset of that name is already in the store (live or removed, not yet purged)."""


class UnknownDataset(StoreError):
    """No dataset (or no record in it) of that name."""


class ReadOnlyDataset(StoreError):
    """The shipped dataset is read from data/ and cannot be changed through the store."""


def _names(value) -> tuple | None:
    """None (no filter), or a tuple of values from one string or an iterable of them."""
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Query:
    """Which incidents to read. Each field None = no filter; filters combine with AND.

    ``bbox`` is (min_lon, min_lat, max_lon, max_lat), edges included; records without a point
    never match a bbox. ``datasets`` None = every live dataset, the shipped one included.
    """

    quarter: tuple | None = None
    province_id: tuple | None = None
    bbox: tuple | None = None
    datasets: tuple | None = None

    @classmethod
    def of(cls, quarter=None, province_id=None, bbox=None, datasets=None) -> "Query":
        """A Query from the loose arguments a page passes (a string or a list of strings)."""
        if bbox is not None:
            bbox = tuple(float(v) for v in bbox)
            if len(bbox) != 4 or bbox[0] > bbox[2] or bbox[1] > bbox[3]:
                raise StoreError(f"bbox must be (min_lon, min_lat, max_lon, max_lat), got {bbox}")
        return cls(_names(quarter), _names(province_id), bbox, _names(datasets))

    def wants(self, dataset: str) -> bool:
        """Whether this query reads ``dataset`` at all."""
        return self.datasets is None or dataset in self.datasets

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The same filter as the SQL, in pandas (for the shipped dataset, read from CSV)."""
        keep = pd.Series(True, index=frame.index)
        if self.quarter is not None:
            keep &= frame["quarter"].isin(self.quarter).fillna(False)
        if self.province_id is not None:
            keep &= frame["province_id"].isin(self.province_id).fillna(False)
        if self.bbox is not None:
            x0, y0, x1, y1 = self.bbox
            keep &= frame["lon"].between(x0, x1).fillna(False) & frame["lat"].between(y0, y1).fillna(False)
        return frame[keep.astype(bool)]


def validated(incidents: pd.DataFrame, source: str) -> pd.DataFrame:
    """The stored columns of ``incidents`` checked and typed by ``validate_incidents``
    (RecordsError lists every problem), so nothing the loaders would reject enters a store."""
    missing = [c for c in STORED if c not in incidents.columns]
    if missing:
        raise StoreError(f"{source}: not in the atlas's schema, missing columns {', '.join(missing)}")
    return validate_incidents(pd.DataFrame(incidents[STORED]), source=source)


def _plain(series: pd.Series, dtype: str) -> list:
    """One typed column as plain Python values for a database driver (missing -> None)."""
    if dtype == "date":
        return series.dt.strftime("%Y-%m-%d").astype(object).where(series.notna(), None).tolist()
    if dtype == "float":
        values = series.to_numpy(dtype=float)
        out = values.astype(object)
        out[np.isnan(values)] = None
        return out.tolist()
    return series.astype(object).where(series.notna(), None).tolist()


def plain_rows(frame: pd.DataFrame, dataset: str) -> list[tuple]:
    """Rows of a validated frame as tuples in ``COLUMNS`` order, ``dataset`` filled in."""
    frame = frame.assign(dataset=dataset)
    columns = [_plain(frame[c], DTYPES[c]) for c in COLUMNS]
    return list(zip(*columns, strict=True))


def frame_from_rows(rows: Iterable, columns: list[str] = COLUMNS) -> gpd.GeoDataFrame:
    """Database rows back into the native typed frame (EPSG:4326, a Point or None per row)."""
    raw = pd.DataFrame.from_records(list(rows), columns=columns)
    typed = {}
    for name in columns:
        cells = raw[name].astype(object).where(raw[name].notna(), None)
        if DTYPES[name] == "date":
            typed[name] = pd.to_datetime(cells.astype("string")).astype("datetime64[ns]")
        else:
            typed[name] = cells.astype(schema.PANDAS_DTYPES[DTYPES[name]])
    frame = pd.DataFrame(typed, columns=columns)
    return gpd.GeoDataFrame(frame, geometry=points(frame), crs="EPSG:4326")


def empty_frame() -> gpd.GeoDataFrame:
    """No incidents, with every column, dtype and the CRS (empty is normal)."""
    return frame_from_rows([])


def as_text(value) -> str | None:
    """A stored value as the text kept in the history (None stays None, booleans true/false)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def corrected(old: dict, changes: dict, where: str) -> tuple[dict, list[tuple]]:
    """Apply ``changes`` to one stored row (a dict of plain values) and validate the result.

    Returns the new row (plain values, quarter recomputed) and ``(field, old, new)`` text per
    field whose value really changed. Raises StoreError / RecordsError for bad corrections.
    """
    bad = [f for f in changes if f not in STORED or f in NOT_CORRECTABLE]
    if bad:
        raise StoreError(f"cannot correct {', '.join(map(str, bad))}: not a correctable field "
                         f"(the id, quarter and dataset are fixed; see geo/schema.py for the rest)")
    draft = pd.DataFrame([{**{c: old[c] for c in STORED}, **changes}], dtype=object)
    typed = validate_incidents(draft, source=where)
    new = dict(zip(COLUMNS, plain_rows(typed, old["dataset"])[0], strict=True))
    diffs = [(f, as_text(old[f]), as_text(new[f])) for f in changes if as_text(old[f]) != as_text(new[f])]
    return new, diffs


def canonical(row) -> dict:
    """One database row as plain values the same for both backends (SQLite's 0/1 and text
    dates, PostgreSQL's booleans and date objects both become what ``plain_rows`` gives)."""
    frame = frame_from_rows([row])
    return dict(zip(COLUMNS, plain_rows(frame, frame["dataset"].iloc[0])[0], strict=True))
