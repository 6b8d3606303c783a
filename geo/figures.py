"""The organisations' published figures: read and validate ``data/figures.csv``, the series of
revisions, and which series a page shows.

``load_figures`` returns the figures in long form (one row per published number), each with its
organisation, period, region, metric, value, confidence and source URL; a bad file raises one
``RecordsError`` listing every problem (geo/validation.py).
"""

from pathlib import Path

import numpy as np
import pandas as pd

from geo import harmonize, paths, schema
from geo.periods import parse_period
from geo.validation import Problem, RecordsError, duplicate_problems, parse_table, rule, url_problems


def region_id_of(name: str) -> str | None:
    """The region id for a region as a source names it: ``"national"`` -> ``"PK"``, a KP
    sub-region (``schema.REGION_NAMES``), a province by any alias, provinces joined by '+'
    (``"Khyber Pakhtunkhwa+Balochistan"`` -> ``"PK-KP+PK-BA"``) or an id itself; None if unknown."""
    text = str(name).strip()
    if text in schema.REGION_NAMES or text in schema.EXTRA_REGION_IDS:
        return schema.REGION_NAMES.get(text, text)
    parts = [harmonize.province_id(part) for part in text.split(schema.REGION_JOINER)]
    joined = None if None in parts else schema.REGION_JOINER.join(parts)
    return joined if joined and schema.is_region_id(joined) else None


SERIES_KEY = ["source_org", "period", "region_id", "metric"]
# What the loader expects of figures given twice; the checker (geo/figure_check.py) names them
# duplicates or conflicts instead.
ONE_FIGURE_PER = "one figure per source_org, period, region_id, metric, revision and variant"
_CONFIDENCE_RANK = {name: rank for rank, name in enumerate(schema.CONFIDENCES)}


def _preferred_first(figures: pd.DataFrame) -> pd.DataFrame:
    # Within one figure, the organisation's own version beats another outlet's variant, and a
    # better-sourced page beats a weaker one; the id breaks remaining ties deterministically.
    ranked = figures.assign(
        _variant=figures["variant"].notna(),
        _confidence=figures["confidence"].map(_CONFIDENCE_RANK),
    )
    return ranked.sort_values(["_variant", "_confidence", "figure_id"], kind="stable")


def assign_series(figures: pd.DataFrame) -> pd.Series:
    """Each figure's series membership (see ``schema.SERIES``), computed from ``revision`` and
    ``variant`` within each (source_org, period, region_id, metric).

    The first-published series holds revision 0; the latest-revision series holds the highest
    revision. A never-revised figure is in both ("first_and_latest").
    """
    ranked = _preferred_first(figures)
    firsts = ranked[ranked["revision"] == 0].drop_duplicates(SERIES_KEY).index
    top = ranked.groupby(SERIES_KEY, dropna=False)["revision"].transform("max")
    lasts = ranked[ranked["revision"] == top].drop_duplicates(SERIES_KEY).index
    is_first, is_last = figures.index.isin(firsts), figures.index.isin(lasts)
    revised = (figures["revision"] > 0).to_numpy(dtype=bool)
    choices = [is_first & is_last, is_first, is_last, revised]
    names = ["first_and_latest", "first_published", "latest_revision", "intermediate"]
    return pd.Series(np.select(choices, names, default="alternative"), index=figures.index,
                     dtype="string", name="series")


def select_series(figures: pd.DataFrame, which: str = "latest") -> pd.DataFrame:
    """The figures of one series: ``"latest"`` (each organisation's latest restatement, the
    default view) or ``"first_published"`` (as first published). One value per figure key."""
    if which not in schema.SERIES_CHOICES:
        raise ValueError(f"series must be one of {sorted(schema.SERIES_CHOICES)}, got {which!r}")
    return figures[figures["series"].isin(schema.SERIES_CHOICES[which])]


def _period_problems(frame: pd.DataFrame) -> list[Problem]:
    problems = []
    cells = frame[["period", "period_type", "period_start", "period_end"]]
    for row, (period, kind, start, end) in enumerate(cells.itertuples(index=False), 1):
        try:
            expected = parse_period(period) if pd.notna(period) else None
        except ValueError as error:
            problems.append(Problem(row, "period", str(period), str(error).split(":")[0]))
            continue
        if expected and not cells.iloc[row - 1].isna().any() and (kind, start, end) != expected:
            problems.append(Problem(row, "period_type", f"{kind} {start:%Y-%m-%d} {end:%Y-%m-%d}",
                                    f"{expected[0]} {expected[1]:%Y-%m-%d} {expected[2]:%Y-%m-%d}"))
    return problems


def value_problems(frame: pd.DataFrame) -> list[Problem]:
    """Values of the wrong kind for their metric: counts of people or events are whole numbers
    of at least 0, a share is a percentage from 0 to 100, a change at least -100 per cent, and
    anything else at least 0. ``frame`` holds ``metric`` and a numeric ``value``."""
    units = frame["metric"].map(lambda m: schema.METRICS.get(m, ("",))[0], na_action="ignore")
    value = frame["value"]
    share = frame["metric"].str.endswith("_share_pct").fillna(False).astype(bool)
    percent = frame["metric"].isin(schema.PERCENT_METRICS)
    count = units.isin(schema.COUNT_UNITS) & value.notna()  # a missing value is reported as such
    frame = frame.assign(value=value.map("{:g}".format, na_action="ignore"))  # 380, not 380.0
    return (
        rule(frame, count & ((value % 1 != 0) | (value < 0)), "value",
              "a whole number of at least 0 (a count of people or events)")
        + rule(frame, share & ~value.between(0, 100), "value", "a percentage from 0 to 100 (a share)")
        + rule(frame, percent & ~share & (value < -100), "value",
                "a percentage change of at least -100")
        + rule(frame, units.notna() & ~percent & ~count & (value < 0), "value", "at least 0")
    )


def _figure_rule_problems(frame: pd.DataFrame) -> list[Problem]:
    units = frame["metric"].map(lambda m: schema.METRICS.get(m, ("",))[0], na_action="ignore")
    region_ok = frame["region_id"].map(schema.is_region_id, na_action="ignore").astype("boolean")
    return (
        duplicate_problems(frame, "figure_id")
        + rule(frame, frame.duplicated(SERIES_KEY + ["revision", "variant"]), "revision", ONE_FIGURE_PER)
        + url_problems(frame, "url")
        + rule(frame, ~region_ok, "region_id", "PK, a province id or ids joined by '+'")
        + rule(frame, units.notna() & (frame["unit"] != units), "unit",
                "the unit schema.METRICS gives the metric")
        + _period_problems(frame)
        + value_problems(frame)
    )


def _series_problems(frame: pd.DataFrame) -> list[Problem]:
    return rule(frame, frame["series"] != assign_series(frame), "series",
                 "what assign_series() computes from revision and variant")


def validate_figures(raw: pd.DataFrame, source: str = "figures") -> pd.DataFrame:
    """Parse and check a published-figures table; return it typed, or raise RecordsError."""
    frame, problems = parse_table(raw, schema.FIGURE_FIELDS)
    if not any(p.row is None for p in problems):
        problems += _figure_rule_problems(frame)
    if not problems:
        # Series membership is recomputed from whole keys, so it needs every cell parsed.
        problems = _series_problems(frame)
    if problems:
        raise RecordsError(problems, source)
    return frame


def load_figures(path: Path = paths.FIGURES) -> pd.DataFrame:
    """The published figures (long form, one row per number) as a validated DataFrame."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    return validate_figures(raw, source=Path(path).name)


def matching(figures: pd.DataFrame, **wanted) -> pd.DataFrame:
    """The figures whose columns hold the wanted values, each given as one value or a collection:
    ``matching(figures, source_org="CRSS", period="2025Q1", metric=("deaths", "injured"))``. The
    one lookup of published figures: the map's cells, the KPI tiles and the Trends tables use it."""
    mask = np.ones(len(figures), dtype=bool)
    for column, value in wanted.items():
        values = list(value) if isinstance(value, (list, tuple, set, frozenset, dict)) else [value]
        mask &= figures[column].isin(values).to_numpy()
    return figures[mask]


def population(figures: pd.DataFrame) -> pd.Series:
    """Each region's census population (metric ``population``, people) by region id, from its
    latest census row: the one place the atlas keeps population (per-million values use it)."""
    rows = figures[(figures["metric"] == "population") & figures["value"].notna()]
    rows = rows.assign(_end=pd.to_datetime(rows["period_end"])).sort_values(["region_id", "_end"])
    return rows.drop_duplicates("region_id", keep="last").set_index("region_id")["value"].astype(float)
