"""Check rows of published figures before they reach the app (``python -m geo check-figures``).

A file holds either new rows in the layout of the reference compilation (``source_org, period,
region, metric, value, url``, and usually ``quote``), which a maintainer is about to add, or a
table in the layout of ``data/figures.csv``. Every row must cite an http(s) URL and name a known
organisation, a period the grammar reads (2025, 2025Q3, 2026-02, 2023H1, 2023Q1-Q3, 2023Jan-May),
a known region and metric, and a value of the metric's kind (a whole count, or a percentage).
The same figure given twice is named as a duplicate, and with different values as a conflict,
by row numbers (1-based data rows, the header not counted). Every problem is returned at once.
"""

from pathlib import Path

import pandas as pd

from geo import schema
from geo.figures import ONE_FIGURE_PER, SERIES_KEY, region_id_of, validate_figures, value_problems
from geo.periods import parse_period
from geo.validation import Problem, RecordsError, rows_where

REFERENCE_COLUMNS = ("source_org", "period", "region", "metric", "value", "url")
# How a label names its organisation: the id or full name, then a note in brackets or nothing.
_ORG_PREFIXES = sorted({**{org: org for org in schema.SOURCE_ORGS}, **schema.ORG_NAMES}.items(),
                       key=lambda item: -len(item[0]))
EXPECTED = {
    "url": "an http(s) URL",
    "source_org": f"an organisation the atlas knows ({', '.join(schema.SOURCE_ORGS)}), "
                  "optionally followed by a note in brackets",
    "period": "a period like 2025, 2025Q3, 2026-02, 2023H1, 2023Q1-Q3 or 2023Jan-May",
    "region": "national, a province, a KP sub-region ("
              + "; ".join(name for name in schema.REGION_NAMES if name != "national")
              + ") or provinces joined by '+'",
    "metric": "a metric of geo/schema.py METRICS",
    "value": "a number",
}


def organisation_of(label: str) -> str | None:
    """The organisation id a ``source_org`` label names (``"PICSS (revised, in Feb 2025
    report)"`` -> ``"PICSS"``), or None when it names none the atlas knows."""
    text = str(label).strip()
    for prefix, org in _ORG_PREFIXES:
        if text == prefix or text.startswith((prefix + " ", prefix + "(")):
            return org
    return None


def read_rows(path: Path) -> pd.DataFrame:
    """The file's cells as text; ValueError with one readable reason if it is not a CSV table."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except pd.errors.ParserError as error:  # names the line, e.g. "Expected 7 fields in line 3, saw 8"
        raise ValueError(f"not a CSV table: {str(error).strip().split('error: ')[-1]}") from None
    except (UnicodeDecodeError, pd.errors.EmptyDataError, OSError) as error:
        raise ValueError(f"not a readable UTF-8 CSV table ({type(error).__name__})") from None


def _empty_problems(raw: pd.DataFrame) -> list[Problem]:
    return [Problem(row, column, "", f"{EXPECTED[column]} (required)")
            for column in REFERENCE_COLUMNS for row in rows_where(raw[column].str.strip() == "")]


def _cell_problems(raw: pd.DataFrame, parsed: pd.DataFrame) -> list[Problem]:
    given = raw[list(REFERENCE_COLUMNS)].apply(lambda column: column.str.strip() != "")
    bad = {
        "url": ~raw["url"].str.strip().str.fullmatch(r"https?://\S+"),
        "source_org": parsed["org"].isna(),
        "period": ~parsed["period_ok"],
        "region": parsed["region_id"].isna(),
        "metric": ~raw["metric"].isin(list(schema.METRICS)),
        "value": parsed["value"].isna(),
    }
    return [Problem(row, column, raw[column].iloc[row - 1], EXPECTED[column])
            for column, mask in bad.items() for row in rows_where(mask & given[column])]


def _parsed(raw: pd.DataFrame) -> pd.DataFrame:
    def readable(period: str) -> bool:
        try:
            parse_period(period)
        except ValueError:
            return False
        return True

    return pd.DataFrame({
        "org": raw["source_org"].map(organisation_of),
        "period_ok": raw["period"].map(readable),
        "region_id": raw["region"].map(region_id_of),
        "metric": raw["metric"].astype("string"),
        "value": pd.to_numeric(raw["value"].str.strip(), errors="coerce"),
    }, index=raw.index)


def repeated_figures(raw: pd.DataFrame, key: list[str], what: str) -> list[Problem]:
    """Rows that give a figure an earlier row already gave: a duplicate when the value is the
    same, a conflict when it differs. ``key`` names the columns that identify one figure."""
    raw = raw.reset_index(drop=True)
    problems = []
    later = raw.groupby(key, sort=False, dropna=False).cumcount() > 0
    earliest = raw.groupby(key, sort=False, dropna=False).head(1)
    lookup = {tuple(row[k] for k in key): (i + 1, row["value"]) for i, row in earliest.iterrows()}
    for row in rows_where(later):
        cells = raw.iloc[row - 1]
        earlier, value = lookup[tuple(cells[k] for k in key)]
        if _same_number(cells["value"], value):
            problems.append(Problem(row, "value", cells["value"],
                                    f"a figure not given before: row {earlier} gives the same {what} "
                                    "with the same value (duplicate)"))
        else:
            problems.append(Problem(row, "value", cells["value"],
                                    f"one value per figure: row {earlier} gives {value} for the same "
                                    f"{what} (conflicting values)"))
    return problems


def _same_number(a: str, b: str) -> bool:
    numbers = pd.to_numeric(pd.Series([a, b], dtype="string").str.strip(), errors="coerce")
    return bool(numbers.notna().all() and numbers[0] == numbers[1]) or a == b


def check_reference_rows(raw: pd.DataFrame) -> list[Problem]:
    """Every problem of rows in the reference layout (see the module docstring)."""
    parsed = _parsed(raw)
    problems = _empty_problems(raw) + _cell_problems(raw, parsed)
    known = parsed["metric"].isin(list(schema.METRICS)) & parsed["value"].notna()
    problems += _in_file_rows(value_problems(parsed[known].reset_index(drop=True)), known)
    complete = parsed["org"].notna() & parsed["period_ok"] & parsed["region_id"].notna() & known
    figures = raw.assign(region=parsed["region_id"])[complete].reset_index(drop=True)
    key = ["source_org", "period", "region", "metric"]
    problems += _in_file_rows(repeated_figures(figures, key, "source_org, period, region and metric"),
                              complete)
    return problems


def _in_file_rows(problems: list[Problem], subset: pd.Series) -> list[Problem]:
    # Problems found in a subset of the rows carry the subset's row numbers; give the file's.
    rows = rows_where(subset)
    return [Problem(rows[p.row - 1], p.column, p.value, p.expected) for p in problems]


def check_atlas_rows(raw: pd.DataFrame) -> list[Problem]:
    """Every problem of a table in the layout of data/figures.csv: the loader's rules, with
    figures given twice named as duplicates or conflicts."""
    try:
        validate_figures(raw, "figures")
        problems = []
    except RecordsError as error:
        problems = [p for p in error.problems if p.expected != ONE_FIGURE_PER]
    if all(column in raw.columns for column in [*SERIES_KEY, "revision", "variant", "value"]):
        problems += repeated_figures(raw, [*SERIES_KEY, "revision", "variant"],
                                     "source_org, period, region_id, metric, revision and variant")
    return problems


def check_figures(path: Path) -> tuple[int, list[Problem]]:
    """``(rows, problems)`` of the figure rows in ``path``; ValueError with one readable reason
    when the file cannot be read or is in neither layout."""
    raw = read_rows(Path(path))
    if "figure_id" in raw.columns:
        problems = check_atlas_rows(raw)
    elif set(REFERENCE_COLUMNS) <= set(raw.columns):
        problems = check_reference_rows(raw)
    else:
        missing = ", ".join(c for c in REFERENCE_COLUMNS if c not in raw.columns)
        raise ValueError(f"columns {missing} missing: expected {', '.join(REFERENCE_COLUMNS)} "
                         "(the reference layout) or the columns of data/figures.csv")
    return len(raw), sorted(problems, key=lambda p: (p.row or 0, p.column))
