"""The steps every import shares, after an adapter has mapped its columns to the atlas's names.

An adapter returns a *draft*: the schema's columns (counts as floats, dates as timestamps, lon/lat
as floats) indexed by source row, plus ``_date_raw`` with the date text it read. ``finish`` then
checks dates, fixes swapped or impossible coordinates, keeps the events in the atlas's geographic
scope (``scope``: Pakistan and its neighbours' border regions), harmonises provinces and
perpetrators, rounds fractional counts without changing their total, fills the bookkeeping fields
and runs ``geo.validate_incidents`` so imported rows obey the same rules as the atlas's
own. Every change lands in the report; rejected rows are listed, never silently dropped.
"""

import numpy as np
import pandas as pd

from geo import harmonize, schema
from geo.importers import canon, clean, scope
from geo.importers.report import FIXED, NOTE, REJECTED, WARNING, ImportReport
from geo.incidents import validate_incidents
from geo.validation import RecordsError

COUNT_PAIRS = (("killed_low", "killed_high"), ("injured_low", "injured_high"))
COUNTS = ("killed_low", "killed_high", "killed_civilians", "killed_security", "killed_militants",
          "injured_low", "injured_high")
TOTALS = ("killed", "injured")  # a native file states them; otherwise they are derived from the lows
MAX_COUNT = 1_000_000
LATEST_YEAR_OFFSET = pd.Timedelta(days=1)  # a day's slack for time zones


def _reject(report, frame, mask, column, reason, values=None) -> pd.DataFrame:
    shown = frame.loc[mask, column] if values is None else values[mask]
    report.add_rows(frame.index[mask], REJECTED, column, shown.tolist(), reason)
    return frame[~mask]


def check_dates(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Reject rows without a readable date or dated in the future."""
    raw = frame.get("_date_raw", frame["occurred_on"].astype("string"))
    frame = _reject(report, frame, frame["occurred_on"].isna(), "occurred_on",
                    "no readable date from 1900 to 2100 (e.g. 2019-07-19, 19 July 2019, 7/19/2019)", raw)
    future = frame["occurred_on"] > pd.Timestamp.now() + LATEST_YEAR_OFFSET
    return _reject(report, frame, future, "occurred_on", "a date in the future", frame["occurred_on"].dt.date)


def _provinces(frame: pd.DataFrame, report: ImportReport) -> pd.Series:
    names = frame["province"].astype(object)
    ids = names.map(harmonize.province_id, na_action="ignore")
    # GED writes "Balochistan province"; try again without the suffix.
    bare = names.astype("string").str.replace(r"\s+province$", "", case=False, regex=True).astype(object)
    ids = ids.where(ids.notna(), bare.map(harmonize.province_id, na_action="ignore"))
    unknown = names.notna() & ids.isna() & (frame["country"] == "PK")
    report.add_rows(frame.index[unknown], WARNING, "province", frame.loc[unknown, "province"].tolist(),
                    "province name not in geo/aliases.csv; province_id left empty")
    return ids.where(frame["country"] == "PK")


def _numbers(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Counts as floats (adapters hand floats; anything else is reported, never lost silently),
    then rows with a count that is not a finite number up to MAX_COUNT rejected: such a cell is
    a typo or an overflow, and left in place it would skew the rounding of every other row."""
    for name in (*COUNTS, *TOTALS):
        values = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        lost = frame[name].notna() & values.isna()
        report.add_rows(frame.index[lost], FIXED, name, frame.loc[lost, name].tolist(), "not a number; left empty")
        frame[name] = values
    for name in (*COUNTS, *TOTALS):
        absurd = frame[name].notna() & ~(frame[name].abs() <= MAX_COUNT)
        frame = _reject(report, frame, absurd, name, f"a count of at most {MAX_COUNT:,} (a finite number)")
    return frame


def _round_counts(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Cumulative rounding of the fractional counts only: each moves by less than 1 and their
    column total is kept (GTD splits one incident's deaths over its parts, e.g. 0.25 each)."""
    for name in COUNTS:
        values = frame[name]
        negative = values < 0
        report.add_rows(frame.index[negative], FIXED, name, values[negative].tolist(), "negative count removed")
        values = values.mask(negative)
        fractional = values.notna() & (values % 1 != 0)
        if fractional.any():
            report.add_rows(frame.index[fractional], FIXED, name, values[fractional].tolist(),
                            "fractional count rounded so that the column total is unchanged")
            running = np.round(values[fractional].cumsum().to_numpy())
            values = values.copy()
            values[fractional] = np.diff(running, prepend=0.0)
        frame[name] = values
    return frame


def _ranges(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    for low, high in COUNT_PAIRS:
        swapped = frame[low] > frame[high]
        report.add_rows(frame.index[swapped], FIXED, low, frame.loc[swapped, low].tolist(),
                        f"larger than {high}; the two were swapped")
        frame.loc[swapped, [low, high]] = frame.loc[swapped, [high, low]].to_numpy()
    frame["killed"] = frame["killed_low"].where(frame["killed_low"].notna(), frame["killed"])
    frame["injured"] = frame["injured_low"].where(frame["injured_low"].notna(), frame["injured"])
    return frame


def _bookkeeping(frame: pd.DataFrame, report: ImportReport, dataset: str) -> pd.DataFrame:
    """Fill what imported data lacks; values a native file already has are kept, and one the
    schema does not allow is replaced with a line in the report."""
    known = frame["perpetrator"].isin(schema.PERPETRATORS)
    derived = frame["perpetrator_raw"].map(canon.perpetrator)
    unknown = frame["perpetrator"].notna() & ~known
    report.add_rows(frame.index[unknown], FIXED, "perpetrator", frame.loc[unknown, "perpetrator"].tolist(),
                    "not one of the atlas's perpetrators; replaced by the one perpetrator_raw names (or unknown)")
    frame["perpetrator"] = frame["perpetrator"].where(known, derived)
    defaults = {"status": "imported", "fully_sourced": False, "counts_in_totals": True, "dataset": dataset}
    for name, value in defaults.items():
        frame[name] = frame[name].astype(object).where(frame[name].notna(), value)
    frame["place"] = frame["place"].fillna(frame["district"]).fillna(frame["province"]).fillna("(not given)")
    return frame


def _validated(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Rows that pass ``validate_incidents``; the others are rejected with its reasons."""
    columns = [c for c in schema.columns(schema.INCIDENT_FIELDS, stored_only=True)]
    table = frame.reindex(columns=columns).reset_index(drop=True)
    try:
        return validate_incidents(table, source=report.source).set_axis(frame.index)
    except RecordsError as error:
        whole = [p for p in error.problems if p.row is None]
        if whole:
            raise ValueError(f"imported table does not fit the schema: {whole[0]}") from None
        bad = sorted({p.row - 1 for p in error.problems})
        for p in error.problems:
            report.add(frame.index[p.row - 1], REJECTED, p.column, p.value, f"expected {p.expected}")
        keep = np.setdiff1d(np.arange(len(frame)), bad)
        return validate_incidents(table.iloc[keep], report.source).set_axis(frame.index[keep])


def finish(draft: pd.DataFrame, report: ImportReport, dataset: str) -> pd.DataFrame:
    """The draft as validated native rows (index = source row); the report lists every change."""
    frame = draft.reindex(columns=list(dict.fromkeys([*draft.columns, *schema.columns(schema.INCIDENT_FIELDS)])))
    frame = frame.drop(index=[r for r in report.rows_with(REJECTED) if r in frame.index])
    frame = _numbers(frame, report)
    frame = check_dates(frame, report)
    frame = clean.text_cells(frame, report)
    frame = clean.ids(frame, report)
    frame["province_id"] = _provinces(frame, report)
    frame = clean.coordinates(frame, report)
    frame = scope.apply(frame, report)  # by country, then by point or province: after the repairs
    frame = _ranges(_round_counts(frame, report), report)
    frame = _bookkeeping(frame, report, dataset)
    if frame.empty:
        report.add(None, NOTE, "", "", "no row could be imported")
    valid = _validated(frame, report)
    valid["dataset"] = frame.loc[valid.index, "dataset"].astype("string")
    return valid
