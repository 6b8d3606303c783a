"""Read and validate the atlas's two record files against ``geo/schema.py``.

``load_incidents`` returns a GeoDataFrame of events (EPSG:4326, a Point where the event was
placed, None where it was not); ``load_figures`` returns the organisations' published figures in
long form. Both parse every cell by its schema dtype, check allowed values and cross-field rules,
and raise one ``RecordsError`` listing *every* problem (row, column, value, what was expected), so
a bad file is fixed in one pass and no row is ever dropped silently. ``validate_incidents`` and
``validate_figures`` do the same for frames that did not come from our CSV files (user imports).
"""

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import export, harmonize, paths, schema
from geo.parse import parse_column
from geo.periods import quarters_of

SOURCE_SEPARATOR = " | "
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


def _rows_where(mask: pd.Series) -> list[int]:
    return [i + 1 for i in np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))]


def _shown(value) -> str:
    return "" if pd.isna(value) else str(value)


def _rule(frame, mask, column, expected) -> list[Problem]:
    cells = frame[column]
    return [Problem(r, column, _shown(cells.iloc[r - 1]), expected) for r in _rows_where(mask)]


def _duplicate_problems(frame: pd.DataFrame, column: str) -> list[Problem]:
    return _rule(frame, frame[column].duplicated(keep="first"), column, "a value unique in the table")


_URL_LIST = r"\s*https?://\S+\s*(?:\|\s*https?://\S+\s*)*"


def _url_problems(frame: pd.DataFrame, column: str) -> list[Problem]:
    cells = frame[column].astype("string")
    mask = cells.notna() & ~cells.str.fullmatch(_URL_LIST).fillna(False).astype(bool)
    return _rule(frame, mask, column, "http(s) URLs separated by ' | '")


def _range_problems(frame, low: str, high: str) -> list[Problem]:
    return _rule(frame, frame[low] > frame[high], low, f"at most {high}")


def _location_problems(frame: pd.DataFrame) -> list[Problem]:
    has_lon, has_lat = frame["lon"].notna(), frame["lat"].notna()
    wants_point = frame["location_precision"].isin(schema.POINT_PRECISIONS)
    precise = frame["location_precision"].notna()
    return (
        _rule(frame, has_lon != has_lat, "lat", "lon and lat both given or both empty")
        + _rule(frame, precise & (wants_point != has_lon), "location_precision",
                "site/town/district exactly when lon/lat are given")
        + _rule(frame, ~frame["lon"].between(-180, 180) & has_lon, "lon", "-180 to 180")
        + _rule(frame, ~frame["lat"].between(-90, 90) & has_lat, "lat", "-90 to 90")
    )


def _incident_rule_problems(frame: pd.DataFrame) -> list[Problem]:
    cross_border = frame["event_type"] == "cross_border_strike"
    aggregate = frame["status"] == "aggregate"
    killed_rule = frame["killed_low"].notna() & (frame["killed"] != frame["killed_low"])
    outside_pk = frame["province_id"].notna() & (frame["country"] != "PK")
    unsourced = frame["sources"].isna() & (frame["status"] != "imported")
    return (
        _duplicate_problems(frame, "id")
        + _url_problems(frame, "sources")
        + _rule(frame, unsourced, "sources", "at least one URL (only imported rows may have none)")
        + _location_problems(frame)
        + _range_problems(frame, "killed_low", "killed_high")
        + _range_problems(frame, "injured_low", "injured_high")
        + _rule(frame, killed_rule, "killed", "equal to killed_low (the figure used in totals)")
        + _rule(frame, cross_border & frame["origin_country"].isna(), "origin_country",
                "the country a cross-border strike came from")
        + _rule(frame, aggregate & frame["counts_in_totals"], "counts_in_totals",
                "false for an aggregate row (it overlaps other rows)")
        + _rule(frame, outside_pk, "province_id", "empty when country is not PK")
    )


def validate_incidents(raw: pd.DataFrame, source: str = "incidents") -> pd.DataFrame:
    """Parse and check an incidents table (strings or typed values); return it typed as in the
    schema with a derived ``quarter`` column, or raise RecordsError listing every problem."""
    frame, problems = parse_table(raw, schema.INCIDENT_FIELDS)
    if not any(p.row is None for p in problems):
        problems += _incident_rule_problems(frame)
    if problems:
        raise RecordsError(problems, source)
    frame.insert(frame.columns.get_loc("date_precision") + 1, "quarter",
                 quarters_of(frame["occurred_on"]))
    return frame


def _points(frame: pd.DataFrame) -> np.ndarray:
    # One vectorised call for all rows; a row without lon/lat gets no geometry at all.
    xs = frame["lon"].to_numpy(dtype=float, na_value=np.nan)
    ys = frame["lat"].to_numpy(dtype=float, na_value=np.nan)
    points = shapely.points(xs, ys).astype(object)
    points[np.isnan(xs) | np.isnan(ys)] = None
    return points


def _read_native_geojson(path: Path) -> pd.DataFrame:
    # The atlas's own GeoJSON download: properties carry every field, geometry fills lon/lat.
    layer = gpd.read_file(path)
    dates = layer.select_dtypes(include=["datetime", "datetimetz"]).columns  # GDAL parses ISO dates
    layer[dates] = layer[dates].apply(lambda column: column.dt.strftime("%Y-%m-%d"))
    raw = pd.DataFrame(layer.drop(columns=layer.geometry.name)).astype(object)
    located = layer.geometry.notna()
    raw["lon"] = np.where(located, layer.geometry.x.where(located), None)
    raw["lat"] = np.where(located, layer.geometry.y.where(located), None)
    known = set(schema.columns(schema.INCIDENT_FIELDS))
    return raw[[c for c in raw.columns if c in known]]


def _read_native_csv(path: Path) -> pd.DataFrame:
    # pyarrow's reader is ~5x faster on large files and reads the same cells; a file it refuses
    # is read again by pandas' own parser, whose error messages name the line.
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow")
    except (ValueError, OSError):
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    # A CSV the app wrote (a download) has formula-like text quoted; take the quote off again.
    # Only columns holding such a quote are touched: the rest keep pyarrow's fast strings
    # (converting every column cost seconds at a million rows).
    text = [f.name for f in schema.INCIDENT_FIELDS if f.dtype == "string" and f.name in raw.columns]
    quoted = [name for name in text if raw[name].str.startswith("'").any()]
    return raw.assign(**{name: export.restore_column(raw[name]).fillna("") for name in quoted})


def load_incidents(path: Path = paths.INCIDENTS) -> gpd.GeoDataFrame:
    """An incidents file in the native schema (CSV, or the atlas's own GeoJSON) as a validated
    GeoDataFrame in EPSG:4326 (Point or None per row)."""
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json"):
        raw = _read_native_geojson(path)
    else:
        raw = _read_native_csv(path)
    frame = validate_incidents(raw, source=path.name)
    return gpd.GeoDataFrame(frame, geometry=_points(frame), crs="EPSG:4326")


# --- periods --------------------------------------------------------------------------------

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


# --- figures ---------------------------------------------------------------------------------


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
    percent = units == "percent"
    count = units.isin(schema.COUNT_UNITS) & value.notna()  # a missing value is reported as such
    frame = frame.assign(value=value.map("{:g}".format, na_action="ignore"))  # 380, not 380.0
    return (
        _rule(frame, count & ((value % 1 != 0) | (value < 0)), "value",
              "a whole number of at least 0 (a count of people or events)")
        + _rule(frame, share & ~value.between(0, 100), "value", "a percentage from 0 to 100 (a share)")
        + _rule(frame, percent & ~share & (value < -100), "value",
                "a percentage change of at least -100")
        + _rule(frame, units.notna() & ~percent & ~count & (value < 0), "value", "at least 0")
    )


def _figure_rule_problems(frame: pd.DataFrame) -> list[Problem]:
    units = frame["metric"].map(lambda m: schema.METRICS.get(m, ("",))[0], na_action="ignore")
    region_ok = frame["region_id"].map(schema.is_region_id, na_action="ignore").astype("boolean")
    return (
        _duplicate_problems(frame, "figure_id")
        + _rule(frame, frame.duplicated(SERIES_KEY + ["revision", "variant"]), "revision",
                "one figure per source_org, period, region_id, metric, revision and variant")
        + _url_problems(frame, "url")
        + _rule(frame, ~region_ok, "region_id", "PK, a province id or ids joined by '+'")
        + _rule(frame, units.notna() & (frame["unit"] != units), "unit",
                "the unit schema.METRICS gives the metric")
        + _period_problems(frame)
        + value_problems(frame)
    )


def _series_problems(frame: pd.DataFrame) -> list[Problem]:
    return _rule(frame, frame["series"] != assign_series(frame), "series",
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
