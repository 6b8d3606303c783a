"""Periods as the atlas names them: years ("2025"), quarters ("2025Q3") and months ("2026-02").

The organisations publish per year, quarter and month, and a page can show any of the three.
Each label has one granularity; the previous period is the one before at the same granularity
(2025 -> 2024, 2025Q1 -> 2024Q4, 2026-01 -> 2025-12). Nothing here derives a figure: a quarter is
never made by adding months or subtracting quarters from a year.
"""

import re
from dataclasses import dataclass

import pandas as pd

GRANULARITIES = ("year", "quarter", "month")
_PATTERNS = {
    "year": re.compile(r"^(\d{4})$"),
    "quarter": re.compile(r"^(\d{4})Q([1-4])$"),
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
}
_PER_YEAR = {"year": 1, "quarter": 4, "month": 12}
_QUARTER = _PATTERNS["quarter"]

FIRST_QUARTER = "2023Q1"
LAST_QUARTER = "2025Q4"


@dataclass(frozen=True, order=True)
class Period:
    year: int
    index: int  # 1 for a year, 1-4 for a quarter, 1-12 for a month
    granularity: str

    @property
    def label(self) -> str:
        if self.granularity == "year":
            return f"{self.year}"
        if self.granularity == "quarter":
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def start(self) -> pd.Timestamp:
        months = 12 // _PER_YEAR[self.granularity]
        return pd.Timestamp(self.year, (self.index - 1) * months + 1, 1)

    @property
    def end(self) -> pd.Timestamp:
        """The last day of the period."""
        return (self.start + pd.DateOffset(months=12 // _PER_YEAR[self.granularity])) - pd.Timedelta(days=1)


def parse(label) -> Period:
    """``"2025"``, ``"2025Q3"`` or ``"2026-02"`` as a Period; ValueError naming the bad label."""
    text = str(label).strip()
    for granularity, pattern in _PATTERNS.items():
        match = pattern.match(text)
        if match:
            index = int(match.group(2)) if granularity != "year" else 1
            return Period(int(match.group(1)), index, granularity)
    raise ValueError(f"not a period (expected a year like 2025, a quarter like 2025Q3 or a month like 2026-02): "
                     f"{label!r}")


def is_period(label) -> bool:
    try:
        parse(label)
    except ValueError:
        return False
    return True


def granularity(label: str) -> str:
    return parse(label).granularity


def previous(label: str) -> str:
    """The period before ``label`` at the same granularity."""
    period = parse(label)
    if period.index > 1:
        return Period(period.year, period.index - 1, period.granularity).label
    return Period(period.year - 1, _PER_YEAR[period.granularity], period.granularity).label


def quarters_in(label: str) -> list[str]:
    """The quarters a period lies in: a year's four, a quarter itself, a month's one quarter."""
    period = parse(label)
    if period.granularity == "year":
        return [f"{period.year}Q{q}" for q in range(1, 5)]
    if period.granularity == "quarter":
        return [period.label]
    return [f"{period.year}Q{(period.index - 1) // 3 + 1}"]


def span(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last`` inclusive (same granularity), oldest first."""
    start, stop = parse(first), parse(last)
    if start.granularity != stop.granularity:
        raise ValueError(f"{first} and {last} are not of the same granularity")
    labels, period = [], start
    while period <= stop:
        labels.append(period.label)
        period = parse(_next(period))
    return labels


def _next(period: Period) -> str:
    if period.index < _PER_YEAR[period.granularity]:
        return Period(period.year, period.index + 1, period.granularity).label
    return Period(period.year + 1, 1, period.granularity).label


def of_dates(dates: pd.Series, granularity_: str) -> pd.Series:
    """The period label of each date at ``granularity_`` (missing dates stay missing)."""
    freq = {"year": "Y", "quarter": "Q", "month": "M"}[granularity_]
    labels = pd.to_datetime(dates).dt.to_period(freq).astype("string")
    return labels


def options(granularity_: str, quarters_with_data=(), last: str = LAST_QUARTER) -> list[str]:
    """The periods a page offers at ``granularity_``: 2023 to the end of ``last`` (a quarter),
    plus the periods of any quarter the incidents shown have, oldest first."""
    present = [q for q in quarters_with_data if isinstance(q, str) and _QUARTER.match(q)]
    first_q = min([FIRST_QUARTER, *present], key=parse)
    last_q = max([last, *present], key=parse)
    first, final = parse(first_q), parse(last_q)
    if granularity_ == "quarter":
        covered = span(first_q, last_q)
        return sorted(set(covered) | set(present), key=parse) if present else covered
    if granularity_ == "year":
        return span(str(first.year), str(final.year))
    return span(f"{first.year}-{(first.index - 1) * 3 + 1:02d}", f"{final.year}-{final.index * 3:02d}")


def latest(labels, granularity_: str | None = None) -> str | None:
    """The period among ``labels`` (only those of ``granularity_`` if given) that ends last; of a
    year and its last quarter or month, which end on the same day, the coarser. Labels that are
    no year, quarter or month (halves, spans) are passed over; None when nothing is left."""
    rank = {name: index for index, name in enumerate(GRANULARITIES)}
    found = [parse(label) for label in set(labels) if is_period(label)]
    found = [p for p in found if granularity_ in (None, p.granularity)]
    return max(found, key=lambda p: (p.end, -rank[p.granularity])).label if found else None


# --- quarters: the unit the incident index is kept in ------------------------------------------


def parse_quarter(label: str) -> tuple[int, int]:
    """``"2024Q2"`` -> ``(2024, 2)``; raises ValueError naming the bad label."""
    match = _QUARTER.match(str(label))
    if not match:
        raise ValueError(f"not a quarter label (expected like 2024Q2): {label!r}")
    return int(match.group(1)), int(match.group(2))


def quarter_range(first: str = FIRST_QUARTER, last: str = LAST_QUARTER) -> list[str]:
    """Every quarter from ``first`` to ``last`` inclusive, oldest first."""
    parse_quarter(first), parse_quarter(last)
    return span(first, last)


def quarters_of(dates: pd.Series) -> pd.Series:
    """The quarter label of each date (missing dates stay missing)."""
    return of_dates(dates, "quarter")


# --- the period codes of published figures: also halves and spans ------------------------------

_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                           "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


def _months(year: int, first: int, last: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(year, first, 1), pd.Period(f"{year}-{last:02d}", "M").end_time.normalize()


_PERIODS = (
    (r"(\d{4})", "year", lambda m: _months(int(m[1]), 1, 12)),
    (r"(\d{4})Q([1-4])", "quarter", lambda m: _months(int(m[1]), 3 * int(m[2]) - 2, 3 * int(m[2]))),
    (r"(\d{4})H([12])", "half", lambda m: _months(int(m[1]), 6 * int(m[2]) - 5, 6 * int(m[2]))),
    (r"(\d{4})-(0[1-9]|1[0-2])", "month", lambda m: _months(int(m[1]), int(m[2]), int(m[2]))),
    (r"(\d{4})Q([1-4])-Q([1-4])", "span",
     lambda m: _months(int(m[1]), 3 * int(m[2]) - 2, 3 * int(m[3]))),
    (r"(\d{4})([A-Z][a-z]{2})-([A-Z][a-z]{2})", "span",
     lambda m: _months(int(m[1]), _MONTHS[m[2]], _MONTHS[m[3]])),
)


def parse_period(period: str) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """``"2024Q2"`` -> ``("quarter", 2024-04-01, 2024-06-30)``; also years, halves (2023H1),
    months (2024-03) and spans (2023Q1-Q3, 2025Jan-Nov). ValueError for anything else."""
    for pattern, kind, bounds in _PERIODS:
        match = re.fullmatch(pattern, str(period))
        if match:
            try:
                start, end = bounds(match)
            except (KeyError, ValueError):
                break
            if start <= end:
                return kind, start, end
    raise ValueError(f"not a period (expected like 2024, 2024Q2, 2023H1, 2024-03, 2023Q1-Q3, "
                     f"2025Jan-Nov): {period!r}")
