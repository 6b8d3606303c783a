"""What the Data page says about stored datasets, as frames and sentences: the list of datasets,
each one's life (imported, removed: when and by whom), its activity, and a record's correctable
values and corrections.

Who did what comes from the store (``geo/store``): each dataset says who imported (and removed) it,
each correction who made it, and the activity log every change; stores older than that record
say "not recorded" rather than guess.
"""

from pathlib import Path

import pandas as pd

from geo.store.common import NOT_CORRECTABLE, STORED

EDITABLE_FIELDS = tuple(name for name in STORED if name not in NOT_CORRECTABLE)
LISTED_COLUMNS = ["name", "source_file", "format", "imported_at", "imported_by", "rows"]
HISTORY_SHOWN = ["changed_at", "changed_by", "field", "old_value", "new_value", "reason"]
ACTIVITY_SHOWN = ["done_at", "done_by", "action", "record_id", "detail"]
NOT_RECORDED = "not recorded"  # who did a change made before the store recorded it


def listed(stored: pd.DataFrame, shipped_label: str, shipped_file: str, shipped_rows: int) -> pd.DataFrame:
    """Every dataset as people read it (name, source file, format, imported at and by, rows): the
    app's shipped data first (``shipped_label``: the atlas, or the file $ATLAS_INCIDENTS names;
    it has no import time), then the imports ``stored`` (``Store.datasets(include_shipped=False)``)."""
    shipped = pd.DataFrame([{"name": shipped_label, "source_file": shipped_file,
                             "format": Path(shipped_file).suffix.lstrip(".") or "csv", "rows": shipped_rows,
                             "imported_by": None}])
    imported = stored[LISTED_COLUMNS].copy()
    imported["imported_by"] = imported["imported_by"].fillna(NOT_RECORDED)
    table = pd.concat([shipped.astype({"rows": "int64", "imported_by": "string"}), imported], ignore_index=True)
    return table[LISTED_COLUMNS]


def done_by(who) -> str:
    """Who did a change, as shown: their identity, or "not recorded" for an older store."""
    return NOT_RECORDED if pd.isna(who) or not str(who) else str(who)


def provenance_line(row) -> str:
    """One sentence on a stored dataset's life: imported when and by whom, removed when and by whom."""
    text = f"Imported {row.imported_at:%Y-%m-%d %H:%M} UTC by {done_by(row.imported_by)}"
    if not pd.isna(row.removed_at):
        text += f"; removed {row.removed_at:%Y-%m-%d %H:%M} UTC by {done_by(row.removed_by)}"
    return text + "."


def activity_table(activity: pd.DataFrame) -> pd.DataFrame:
    """A dataset's changes as the Data page lists them, newest first: when, who, what, which record."""
    table = activity[ACTIVITY_SHOWN].reset_index(drop=True)
    table["done_by"] = table["done_by"].fillna(NOT_RECORDED)
    return table


def record_values(incidents: pd.DataFrame, record_id: str) -> pd.DataFrame:
    """The correctable fields of one record as a (field, value) table, empty when there is no
    such record. A frame joined to the regions shows the province the record itself states."""
    found = incidents[incidents["id"] == str(record_id).strip()]
    if found.empty:
        return pd.DataFrame(columns=["field", "value"])
    row = found.iloc[0]
    if "recorded_province_id" in found.columns:
        row = row.copy()
        row["province_id"] = row["recorded_province_id"]
    return pd.DataFrame({"field": list(EDITABLE_FIELDS), "value": [_text(row[name]) for name in EDITABLE_FIELDS]})


def _text(value) -> str:
    """A cell as a person would type it back: dates as 2024-03-31, missing as empty."""
    if pd.isna(value):
        return ""
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)


def changed_values(current: pd.DataFrame, typed: dict[str, str]) -> dict:
    """The fields whose typed text differs from the record's (``current`` as ``record_values``
    gives it), each as the value the store should get: None for an empty box, else the text as
    typed (the store parses and validates it like a cell of an imported CSV)."""
    now = dict(zip(current["field"], current["value"], strict=True))
    typed = {name: str(text or "").strip() for name, text in typed.items()}
    return {name: text or None for name, text in typed.items() if text != now.get(name, "")}


def history_line(shown: pd.DataFrame) -> str:
    """One sentence under a record's history (``history_table``'s rows): how many fields were
    corrected, and the latest correction's author and time."""
    if shown.empty:
        return "Never corrected."
    latest = shown.iloc[0]
    fields = "1 field" if len(shown) == 1 else f"{len(shown)} fields"
    when = f"{latest['changed_at']:%Y-%m-%d %H:%M}"
    return f"{fields} corrected; latest by {done_by(latest['changed_by'])} on {when} UTC."


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """A record's corrections, newest first: when, by whom, field, previous value, new value, reason."""
    table = history[HISTORY_SHOWN].iloc[::-1].reset_index(drop=True)
    table["changed_by"] = table["changed_by"].fillna(NOT_RECORDED)
    return table
