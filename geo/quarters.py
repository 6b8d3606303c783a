"""Calendar quarters as the atlas names them ("2024Q2"): parsing, ranges and neighbours."""

import re

import pandas as pd

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")

FIRST_QUARTER = "2023Q1"
LAST_QUARTER = "2025Q4"


def parse_quarter(label: str) -> tuple[int, int]:
    """``"2024Q2"`` -> ``(2024, 2)``; raises ValueError naming the bad label."""
    match = _QUARTER.match(str(label))
    if not match:
        raise ValueError(f"not a quarter label (expected like 2024Q2): {label!r}")
    return int(match.group(1)), int(match.group(2))


def quarter_label(year: int, quarter: int) -> str:
    """``(2024, 2)`` -> ``"2024Q2"``."""
    return f"{year}Q{quarter}"


def previous_quarter(label: str) -> str:
    """The quarter before ``label`` (``2024Q1`` -> ``2023Q4``)."""
    year, quarter = parse_quarter(label)
    return quarter_label(year - 1, 4) if quarter == 1 else quarter_label(year, quarter - 1)


def quarter_range(first: str = FIRST_QUARTER, last: str = LAST_QUARTER) -> list[str]:
    """Every quarter from ``first`` to ``last`` inclusive, oldest first."""
    year, quarter = parse_quarter(first)
    end = parse_quarter(last)
    labels = []
    while (year, quarter) <= end:
        labels.append(quarter_label(year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return labels


def quarters_of(dates: pd.Series) -> pd.Series:
    """The quarter label of each date (missing dates stay missing)."""
    return pd.to_datetime(dates).dt.to_period("Q").astype("string")


def with_data(labels) -> list[str]:
    """2023Q1-2025Q4 plus any other quarter among ``labels`` (missing ones ignored), oldest first."""
    series = labels if isinstance(labels, pd.Series) else pd.Series(list(labels), dtype=object)
    distinct = series.dropna().unique()  # a few labels, however many rows
    present = {label for label in distinct if isinstance(label, str) and _QUARTER.match(label)}
    return sorted(set(quarter_range()) | present, key=parse_quarter)
