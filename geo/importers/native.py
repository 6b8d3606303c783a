"""The atlas's own layout (the columns of ``geo/schema.py``), as CSV or as GeoJSON.

The layout is read by ``geo.incidents.native_table``, as for the files the app opens: a CSV
written by ``geo.export.to_csv`` imports back unchanged (formula-like text unquoted), and in
GeoJSON a Point geometry gives lon/lat when the properties do not. Here, the derived ``quarter``
column and columns outside the schema are ignored with a note, and unreadable counts, dates and
coordinates are reported row by row instead of refusing the file.
"""

import pandas as pd

from geo import schema
from geo.importers import base, parse
from geo.incidents import native_table

REQUIRED = {"id", "occurred_on", "location_precision", "event_type"}
COUNTS = [f.name for f in schema.INCIDENT_FIELDS if f.dtype == "int" and f.stored]


def matches(keys: set[str]) -> bool:
    """Native when the schema's key columns are present."""
    return REQUIRED <= keys


def to_draft(table: pd.DataFrame, report, mapping=None) -> pd.DataFrame:
    """The native table as a draft (text and flags as they are; dates, counts and points parsed)."""
    columns = schema.columns(schema.INCIDENT_FIELDS, stored_only=True)
    table = native_table(table)
    frame = table.reindex(columns=[c for c in table.columns if c in columns])
    occurred, bad = parse.dates(base.text(table, "occurred_on"))
    frame["occurred_on"], frame["_date_raw"] = occurred, base.text(table, "occurred_on")
    for name in ("lon", "lat", *[c for c in COUNTS if c in table]):
        frame[name] = base.numbers(table, report, name)
    ignored = [c for c in table.columns if c not in columns and c != "quarter"]
    for name in ignored:
        report.add(None, "note", name, "", "column not in the atlas schema; ignored")
    return frame
