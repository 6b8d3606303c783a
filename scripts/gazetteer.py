"""Place names -> coordinates: the GeoNames gazetteer of Pakistan, Afghanistan and Iran.

``load_gazetteer`` reads ``data/gazetteer.csv`` (built by ``scripts/build_gazetteer.py``) and
validates it at the boundary, reporting every problem at once. ``lookup`` finds a place by its
name or any alternate name; ``district_seat`` finds the headquarters town of a Pakistani district,
so an incident known only by district can be placed there with precision ``district``. Matching
ignores case, accents and repeated spaces. Both take an already loaded frame to avoid re-reading
the file; caching belongs to the UI.
"""

import functools
import unicodedata
from pathlib import Path

import pandas as pd

from geo import harmonize, paths

# The file's columns, in order (scripts/build_gazetteer.py writes exactly these).
COLUMNS = (
    "geonameid",
    "name",
    "alternate_names",
    "lat",
    "lon",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "admin2_alternate_names",
    "admin2_code",
    "feature_code",
    "district_seat_of",
    "population",
)
# What lookups need; the GeoNames codes are kept for people checking a row, not required.
REQUIRED_COLUMNS = tuple(c for c in COLUMNS if not c.endswith("_code") or c == "feature_code")
COUNTRIES = ("AF", "IR", "PK")
ALTERNATE_SEPARATOR = "|"
ALTERNATES_OF = {"name": "alternate_names", "admin2": "admin2_alternate_names"}
# Words GeoNames appends to Pakistani admin2 names ("Kech District", "Orakzai Agency").
DISTRICT_SUFFIXES = ("district", "agency", "tribal district")
MAX_LISTED = 5


class GazetteerError(ValueError):
    """The gazetteer file is missing, lacks columns, or holds values out of range."""


# Every lookup normalises each name and alternate of the frame it searches; the same few thousand
# names recur from lookup to lookup (a build resolves hundreds of places), so each is normalised once.
@functools.cache
def _key(text: str) -> str:
    """Case-, accent- and space-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split()).casefold()


def _district_key(text: str) -> str:
    key = _key(text)
    for suffix in DISTRICT_SUFFIXES:
        if key.endswith(" " + suffix):
            return key[: -len(suffix) - 1]
    return key


def _listed(frame: pd.DataFrame, bad: pd.Series, column: str, expected: str) -> list[str]:
    """One message per bad row (the first few), naming CSV line, column, value and expectation."""
    rows = frame.index[bad]
    messages = [
        f"line {i + 2}, column {column}: {frame.at[i, column]!r} (expected {expected})"
        for i in rows[:MAX_LISTED]
    ]
    if len(rows) > MAX_LISTED:
        messages.append(f"... and {len(rows) - MAX_LISTED} more bad values in column {column}")
    return messages


def _range_problems(frame: pd.DataFrame, column: str, low: float, high: float) -> list[str]:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() | (values < low) | (values > high)
    return _listed(frame, bad, column, f"a number from {low} to {high}")


def _problems(frame: pd.DataFrame) -> list[str]:
    """Every problem in a gazetteer frame read as strings."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        return [f"missing required columns: {', '.join(missing)}"]
    problems = _range_problems(frame, "lat", -90, 90) + _range_problems(frame, "lon", -180, 180)
    problems += _listed(frame, ~frame["country"].isin(COUNTRIES), "country", f"one of {COUNTRIES}")
    bad_province = (frame["country"] == "PK") & ~frame["admin1"].isin(harmonize.PROVINCE_NAMES)
    problems += _listed(frame, bad_province, "admin1", "a province id for a PK row")
    population = pd.to_numeric(frame["population"], errors="coerce")
    bad_population = population.isna() | (population < 0) | (population % 1 != 0)
    problems += _listed(frame, bad_population, "population", "a whole number >= 0")
    problems += _listed(frame, frame["name"].str.strip() == "", "name", "a non-empty name")
    return problems


def load_gazetteer(path: Path | str = paths.GAZETTEER) -> pd.DataFrame:
    """The gazetteer at ``path``, validated; raises GazetteerError naming the file and problems.

    ``lat``/``lon`` are floats, ``population`` and ``geonameid`` integers, all else strings
    (empty where GeoNames gives nothing).
    """
    path = Path(path)
    if not path.exists():
        raise GazetteerError(f"{path}: gazetteer file not found")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    problems = _problems(frame)
    if problems:
        raise GazetteerError(f"{path}: " + "; ".join(problems))
    return frame.astype(
        {"lat": "float64", "lon": "float64", "population": "int64", "geonameid": "int64"}
    )


def _has_alternate(cell: str, key: str) -> bool:
    return any(_key(alt) == key for alt in cell.split(ALTERNATE_SEPARATOR) if alt)


def _best(candidates: pd.DataFrame, rank: pd.Series) -> pd.Series | None:
    """The candidate with the lowest rank, then the largest population, then the lowest id."""
    if candidates.empty:
        return None
    ordered = candidates.assign(_rank=rank).sort_values(
        ["_rank", "population", "geonameid"], ascending=[True, False, True]
    )
    return ordered.iloc[0].drop("_rank")


def _in_admin1(frame: pd.DataFrame, admin1: str) -> pd.Series:
    wanted = harmonize.province_id(admin1) or admin1
    return frame["admin1"].map(_key) == _key(wanted)


def lookup(
    name: str,
    country: str | None = None,
    admin1: str | None = None,
    gazetteer: pd.DataFrame | None = None,
) -> pd.Series | None:
    """The gazetteer row for place ``name``, or None if no place has that name.

    ``name`` is matched against each place's name and alternate names ignoring case and accents;
    an exact name beats an alternate, then the larger population wins. ``country`` (PK, AF, IR)
    and ``admin1`` (a province id or any spelling harmonize knows; a GeoNames admin1 name for
    AF/IR) narrow the search.
    """
    frame = load_gazetteer() if gazetteer is None else gazetteer
    if country is not None:
        frame = frame[frame["country"] == country.strip().upper()]
    if admin1 is not None:
        frame = frame[_in_admin1(frame, admin1)]
    key = _key(name)
    exact = frame["name"].map(_key) == key
    alternate = frame["alternate_names"].map(lambda cell: _has_alternate(cell, key))
    hits = exact | alternate
    return _best(frame[hits], (~exact[hits]).astype(int))


def _names_district(frame: pd.DataFrame, name_column: str, key: str) -> pd.Series:
    """Rows whose ``name_column`` or its alternates name district ``key``."""
    alternates = frame[ALTERNATES_OF[name_column]]
    flags = [
        any(_district_key(cell) == key for cell in [name, *alts.split(ALTERNATE_SEPARATOR)] if cell)
        for name, alts in zip(frame[name_column], alternates, strict=True)
    ]
    return pd.Series(flags, index=frame.index, dtype=bool)


def district_seat(
    district_name: str,
    province_id: str | None = None,
    gazetteer: pd.DataFrame | None = None,
) -> pd.Series | None:
    """The headquarters town of Pakistani district ``district_name``, or None if GeoNames has none.

    Seats are rows with ``district_seat_of`` set (GeoNames PPLA2, or a capital with an admin2).
    The district name is matched, ignoring case, accents and a trailing "District"/"Agency",
    against the seat's GeoNames admin2 name and alternates and against the seat's own names. A
    seat matching both beats one matching its admin2 only, which beats one matching by its own
    name only; then the larger population wins.
    """
    frame = load_gazetteer() if gazetteer is None else gazetteer
    seats = frame[(frame["country"] == "PK") & (frame["district_seat_of"] != "")]
    if province_id is not None:
        seats = seats[_in_admin1(seats, province_id)]
    key = _district_key(district_name)
    by_admin2 = _names_district(seats, "admin2", key)
    by_name = _names_district(seats, "name", key)
    hits = by_admin2 | by_name
    rank = (~by_admin2).astype(int) * 2 + (~by_name).astype(int)
    return _best(seats[hits], rank[hits])
