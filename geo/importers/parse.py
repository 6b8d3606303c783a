"""Vectorised cell parsers shared by the adapters: numbers, dates, header names.

Each parser works on a whole column (a Series of strings or None) and returns the parsed column
plus a mask of the cells that held something but could not be parsed, so the adapters can report
them row by row without a Python loop per row.
"""

import re

import numpy as np
import pandas as pd

from geo.dtypes import FIRST_DAY, LAST_DAY, in_date_range

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%B %d %Y", "%b %d %Y",
                "%Y/%m/%d", "%d.%m.%Y")
SLASH_FORMATS = ("%m/%d/%Y", "%d/%m/%Y", "%m/%d/%y", "%d/%m/%y")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
WEEKDAY_PREFIX = re.compile(r"^[A-Za-z]+\s*[-,]\s*(?=[A-Za-z]{3})")


def key(name: str) -> str:
    """A header's comparable form: lower case, runs of non-alphanumerics as one underscore."""
    return re.sub(r"[^0-9a-z]+", "_", str(name).casefold()).strip("_")


def column(frame: pd.DataFrame, *names: str) -> pd.Series:
    """The first of ``names`` (compared by ``key``) present in ``frame``; all-None if none is."""
    keys = {key(c): c for c in frame.columns}
    for name in names:
        if key(name) in keys:
            return frame[keys[key(name)]]
    return pd.Series(None, index=frame.index, dtype=object)


def numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Floats from text (thousands commas allowed); ``(parsed, bad)`` where bad = unparseable."""
    # "40+" (at least 40) reads as 40; thousands separators are dropped.
    text = values.astype("string").str.replace(",", "", regex=False).str.strip().str.rstrip("+")
    parsed = pd.to_numeric(text, errors="coerce").astype("float64") + 0.0  # + 0.0: -0 reads as 0
    bad = text.notna() & parsed.isna()
    return parsed, bad.fillna(False).astype(bool)


def _try_formats(text: pd.Series, formats) -> pd.Series:
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = result.isna() & text.notna()
        if not todo.any():
            break
        result[todo] = in_date_range(pd.to_datetime(text[todo], format=fmt, errors="coerce"))
    return result


def _slash_order(text: pd.Series) -> tuple[str, ...]:
    """M/D first unless some first part exceeds 12 (then the column is D/M)."""
    first = pd.to_numeric(text.str.extract(r"^(\d{1,2})/\d{1,2}/", expand=False), errors="coerce")
    return SLASH_FORMATS[1::2] + SLASH_FORMATS[::2] if (first > 12).any() else SLASH_FORMATS


def dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from many spellings (ISO, ISO with time, ``19 July 2019``, ``16-Feb-19``, M/D/YYYY,
    ``Sunday-November 19-1995``, ``Friday, June 18, 2004``); ``(parsed, bad)``."""
    text = values.astype("string").str.strip()
    iso = text.str.extract(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+Z?)?$", expand=False)
    parsed = in_date_range(pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce"))
    rest = parsed.isna() & text.notna()
    if rest.any():
        loose = text[rest].str.replace(WEEKDAY_PREFIX, "", regex=True)
        words = loose.str.replace(r"(?<=[A-Za-z])[-,]\s*|,\s*|(?<=\d)-(?=\d{4}$)", " ", regex=True)
        words = words.str.replace(r"\s+", " ", regex=True)
        parsed[rest] = _try_formats(loose, DATE_FORMATS).fillna(_try_formats(words, DATE_FORMATS))
        slashed = rest & parsed.isna()
        parsed[slashed] = _try_formats(text[slashed], _slash_order(text[slashed].fillna("")))
    bad = text.notna() & parsed.isna()
    return parsed, bad.fillna(False).astype(bool)


def month_numbers(values: pd.Series) -> pd.Series:
    """Month numbers from ``6``, ``06``, ``June`` or ``Jun`` (NaN when unreadable)."""
    text = values.astype("string").str.strip().str.casefold()
    named = text.str[:3].map({m[:3]: i for i, m in enumerate(MONTHS, 1)})
    return pd.to_numeric(text.astype(object), errors="coerce").astype("float64").fillna(named.astype("float64"))


def from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from year/month/day numbers where 0 or blank means unknown: ``(date, precision)``
    with precision ``day``, ``month`` (day unknown -> 1st) or ``year`` (month unknown -> 1 Jan)."""
    y, m, d = (pd.to_numeric(s.astype(object), errors="coerce").astype("float64") for s in (year, month, day))
    m_known = m.between(1, 12)
    d_known = m_known & d.between(1, 31)
    precision = pd.Series(np.select([d_known, m_known], ["day", "month"], "year"), index=year.index)
    parts = pd.DataFrame({"year": y, "month": m.where(m_known, 1), "day": d.where(d_known, 1)})
    valid = parts["year"].between(FIRST_DAY.year, LAST_DAY.year)
    parsed = in_date_range(pd.to_datetime(parts.where(valid), errors="coerce"))
    return parsed, precision.where(parsed.notna())
