"""Totals, changes and shares: by region and quarter, from incidents and from published figures.

Missing stays missing. A sum over values that are all missing is missing (``min_count=1``), not
zero; a change against a quarter with no figure is missing. Incident rows with
``counts_in_totals`` false (province-wide tallies that overlap other rows) are left out of every
total, so nothing is counted twice.
"""

import pandas as pd

from geo import periods, schema
from geo.figures import matching
from geo.join import REGION_SEPARATOR

NATIONAL = "PK"
HEADLINE_METRICS = ("deaths", "injured", "incidents")


def number(value, digits: int = 0) -> str:
    """A total as people read it (``1,234``); a missing one reads "no data", never 0."""
    if value is None or pd.isna(value):
        return "no data"
    return f"{value:,.{digits}f}"


def countable(incidents: pd.DataFrame) -> pd.DataFrame:
    """The rows that enter totals (aggregate tallies that overlap other rows are left out)."""
    if "counts_in_totals" not in incidents:
        return incidents
    return incidents[incidents["counts_in_totals"].fillna(True).astype(bool)]


def _totals(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(keys, dropna=False, observed=True)
    table = pd.DataFrame(
        {
            "incidents": grouped.size(),
            "killed": grouped["killed"].sum(min_count=1),
            "injured": grouped["injured"].sum(min_count=1),
        }
    )
    by_type = frame.pivot_table(index=keys, columns="event_type", values="id", aggfunc="count")
    by_type = by_type.reindex(columns=list(schema.EVENT_TYPES)).fillna(0).astype(int)
    table = table.join(by_type.add_prefix("n_"), how="left")
    return table.reset_index()


def by_province(incidents: pd.DataFrame, keys: tuple[str, ...] = ("province_id", "quarter")) -> pd.DataFrame:
    """Incidents, killed, injured and counts per event type, per province and quarter."""
    frame = countable(incidents)
    return _totals(frame[frame["province_id"].notna()], list(keys))


def by_border_region(incidents: pd.DataFrame, keys: tuple[str, ...] = ("quarter",)) -> pd.DataFrame:
    """The same totals per border region (an incident in two overlapping regions counts in both)."""
    frame = countable(incidents)[["id", "event_type", "killed", "injured", "border_region_ids", *keys]]
    exploded = frame.assign(
        region_id=frame["border_region_ids"].fillna("").str.split(REGION_SEPARATOR)
    ).explode("region_id")
    exploded = exploded[exploded["region_id"].fillna("") != ""]
    return _totals(exploded, ["region_id", *keys])


def national(incidents: pd.DataFrame) -> dict:
    """Atlas totals for the given rows: incidents, killed, injured (missing when none known)."""
    frame = countable(incidents)
    return {
        "incidents": len(frame),
        "killed": frame["killed"].sum(min_count=1),
        "injured": frame["injured"].sum(min_count=1),
    }


def change_pct(current, previous) -> float:
    """Percentage change from ``previous`` to ``current``; NaN when either is missing or zero."""
    if current is None or previous is None or pd.isna(current) or pd.isna(previous) or previous == 0:
        return float("nan")
    return (float(current) - float(previous)) / float(previous) * 100.0


def figure_cell(figures: pd.DataFrame, org: str, period: str, region_id: str, metric: str) -> pd.Series | None:
    """The published row of one cell (its value, url, confidence ...), or None when the
    organisation published none for it."""
    match = matching(figures, source_org=org, period=period, region_id=region_id, metric=metric)
    return match.iloc[0] if len(match) else None


def _value(cell: pd.Series | None) -> float:
    return float("nan") if cell is None else float(cell["value"])


def headline(figures: pd.DataFrame, org: str, period: str, region_id: str = NATIONAL) -> pd.DataFrame:
    """Published deaths, injured and incidents for ``period`` (a year, quarter or month) beside
    the period before it at the same granularity (geo.periods.previous).

    Columns: metric, value, previous, change_pct, url, confidence. Missing cells stay NaN.
    """
    before = periods.previous(period)
    rows = []
    for metric in HEADLINE_METRICS:
        cell = figure_cell(figures, org, period, region_id, metric)
        value, previous = _value(cell), _value(figure_cell(figures, org, before, region_id, metric))
        rows.append(
            {
                "metric": metric,
                "value": value,
                "previous": previous,
                "change_pct": change_pct(value, previous),
                "url": None if cell is None else cell["url"],
                "confidence": None if cell is None else cell.get("confidence"),
            }
        )
    return pd.DataFrame(rows)


def shares(totals: pd.DataFrame, value: str, region_ids: tuple[str, ...]) -> dict[str, float]:
    """Each region's share (percent) of ``value`` summed over ``totals``; NaN if the total is unknown."""
    whole = totals[value].sum(min_count=1)
    if pd.isna(whole) or whole == 0:
        return dict.fromkeys(region_ids, float("nan"))
    parts = totals.groupby("province_id")[value].sum()
    return {region_id: float(parts.get(region_id, 0.0)) / whole * 100 for region_id in region_ids}
