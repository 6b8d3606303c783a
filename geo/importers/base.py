"""Helpers the adapters share: read a column as numbers or dates (reporting unreadable cells),
and assemble a draft frame in the atlas's column names."""

from dataclasses import dataclass, field

import pandas as pd

from geo.importers import parse
from geo.importers.report import FIXED, ImportReport


@dataclass
class Adapter:
    """One layout: its name, a test on the normalised header names, the converter, and the
    header names it uses (for the mapping form)."""

    name: str
    matches: object  # callable(set[str]) -> bool
    to_draft: object  # callable(table, report, mapping) -> draft DataFrame
    label: str = ""
    roles: tuple = field(default_factory=tuple)


def numbers(table: pd.DataFrame, report: ImportReport, *names: str) -> pd.Series:
    """The first present of ``names`` as floats; unreadable cells are reported and left empty,
    and ``40+`` (at least 40) is reported as read as 40."""
    values = parse.column(table, *names)
    parsed, bad = parse.numbers(values)
    column = str(values.name or names[0])
    report.add_rows(table.index[bad], FIXED, column, values[bad].tolist(), "not a number; left empty")
    at_least = (parsed.notna() & values.astype("string").str.endswith("+")).fillna(False).astype(bool)
    report.add_rows(table.index[at_least], FIXED, column, values[at_least].tolist(),
                    "'at least' figure read as the number itself")
    return parsed


def dates(table: pd.DataFrame, *names: str) -> tuple[pd.Series, pd.Series]:
    """``(parsed dates, raw text)`` of the first present of ``names``."""
    raw = parse.column(table, *names)
    parsed, _ = parse.dates(raw)
    return parsed, raw


def text(table: pd.DataFrame, *names: str) -> pd.Series:
    """The first present of ``names`` as text (None where blank)."""
    return parse.column(table, *names)


def prefixed(prefix: str, values: pd.Series) -> pd.Series:
    """``prefix-value`` ids, None where the value is missing."""
    return (prefix + "-" + values.astype("string")).astype(object).where(values.notna(), None)


def draft(table: pd.DataFrame, **columns) -> pd.DataFrame:
    """A draft frame on the table's index; scalars are broadcast to every row."""
    frame = pd.DataFrame(index=table.index)
    for name, values in columns.items():
        frame[name] = values
    return frame


def total_of(*parts: pd.Series) -> pd.Series:
    """Row sums of count columns, empty where every part is empty."""
    stacked = pd.concat(parts, axis=1)
    return stacked.sum(axis=1, min_count=1)
