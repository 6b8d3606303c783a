"""The atlas's own layout (the columns of ``geo/schema.py``), as CSV or as GeoJSON.

A CSV written by ``geo.export.to_csv`` imports back unchanged: the quote that the writer puts
before formula-like text is taken off again, and the derived ``quarter`` column is ignored. In
GeoJSON, a Point geometry gives lon/lat when the properties do not.
"""

import pandas as pd

from geo import schema
from geo.export import restore_column
from geo.importers import base, parse

REQUIRED = {"id", "occurred_on", "location_precision", "event_type"}
TEXT = [f.name for f in schema.INCIDENT_FIELDS if f.dtype == "string" and f.stored]
COUNTS = [f.name for f in schema.INCIDENT_FIELDS if f.dtype == "int" and f.stored]


def matches(keys: set[str]) -> bool:
    """Native when the schema's key columns are present."""
    return REQUIRED <= keys


def to_draft(table: pd.DataFrame, report, mapping=None) -> pd.DataFrame:
    """The native table as a draft (text and flags as they are; dates, counts and points parsed)."""
    columns = schema.columns(schema.INCIDENT_FIELDS, stored_only=True)
    frame = table.reindex(columns=[c for c in table.columns if c in columns])
    for name in TEXT:
        if name in frame:
            frame[name] = restore_column(frame[name])
    occurred, bad = parse.dates(base.text(table, "occurred_on"))
    frame["occurred_on"], frame["_date_raw"] = occurred, base.text(table, "occurred_on")
    frame["lon"] = base.numbers(table, report, "lon", "_lon")
    frame["lat"] = base.numbers(table, report, "lat", "_lat")
    for name in COUNTS:
        if name in frame:
            frame[name] = base.numbers(table, report, name)
    ignored = [c for c in table.columns if c not in columns and c not in ("quarter", "_lon", "_lat")]
    for name in ignored:
        report.add(None, "note", name, "", "column not in the atlas schema; ignored")
    return frame
