"""Validation of a table against ``geo/schema.py``: the problem report and the rules every
loader shares.

``parse_table`` parses every cell by its schema dtype; rule helpers find cross-field problems. A
loader gathers every ``Problem`` (row, column, value, what was expected) and raises one
``RecordsError`` listing them all, so a bad file is fixed in one pass and no row is ever dropped
silently.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo import schema
from geo.dtypes import parse_column

SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a table. ``row`` is the 1-based data row (header not counted), None
    when the problem concerns the whole table (e.g. a missing column)."""

    row: int | None
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "table"
        return f"{where}, column {self.column!r}: got {self.value!r}, expected {self.expected}"


class RecordsError(ValueError):
    """A table failed validation; ``.problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem], source: str = "records"):
        # Table-level problems first, then by row, so the message reads top to bottom.
        self.problems = sorted(problems, key=lambda p: (p.row is not None, p.row or 0))
        self.source = source
        lines = [f"{len(self.problems)} problem(s) in {source}:"]
        lines += [f"  - {p}" for p in self.problems[:SHOWN_PROBLEMS]]
        if len(self.problems) > SHOWN_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - SHOWN_PROBLEMS} more")
        super().__init__("\n".join(lines))


def _column_problems(raw: pd.DataFrame, fields: tuple) -> list[Problem]:
    known = set(schema.columns(fields))
    problems = [
        Problem(None, f.name, "", "a column of this name (required)")
        for f in fields
        if f.stored and f.required and f.name not in raw.columns
    ]
    problems += [
        Problem(None, str(c), "", "no such column (see geo/schema.py)")
        for c in raw.columns
        if c not in known
    ]
    return problems


def parse_table(raw: pd.DataFrame, fields: tuple) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse ``raw`` column by column into the schema's dtypes; return the typed frame (bad
    cells missing) and the problems found. Absent optional columns come back empty."""
    problems = _column_problems(raw, fields)
    typed = {}
    for spec in fields:
        if not spec.stored:
            continue
        source = raw[spec.name] if spec.name in raw.columns else pd.Series([None] * len(raw), dtype=object)
        typed[spec.name], bad = parse_column(source, spec)
        problems += [Problem(row, spec.name, value, expected) for row, value, expected in bad]
    return pd.DataFrame(typed), problems


# --- cross-field rules: each returns the problems it found -----------------------------------


def rows_where(mask: pd.Series) -> list[int]:
    return [i + 1 for i in np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))]


def shown(value) -> str:
    return "" if pd.isna(value) else str(value)


def rule(frame, mask, column, expected) -> list[Problem]:
    cells = frame[column]
    return [Problem(r, column, shown(cells.iloc[r - 1]), expected) for r in rows_where(mask)]


def duplicate_problems(frame: pd.DataFrame, column: str) -> list[Problem]:
    return rule(frame, frame[column].duplicated(keep="first"), column, "a value unique in the table")


_URL_LIST = r"\s*https?://\S+\s*(?:\|\s*https?://\S+\s*)*"


def url_problems(frame: pd.DataFrame, column: str) -> list[Problem]:
    cells = frame[column].astype("string")
    mask = cells.notna() & ~cells.str.fullmatch(_URL_LIST).fillna(False).astype(bool)
    return rule(frame, mask, column, "http(s) URLs separated by ' | '")
