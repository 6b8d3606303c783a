"""Any other table: find the columns by their common names, or take a mapping from the user.

``ROLES`` lists, for each thing the atlas needs, the header names that usually hold it. When a
date (or year) and a location (lat+lon, a province or a place) cannot be found, detection is
unsure and ``NeedsMapping`` names the missing roles; the user then maps them (``--map
date=When,lat=Y,lon=X`` on the CLI, the mapping form in the app). A year column without a date
imports with year precision, year+month with month precision.
"""

import pandas as pd

from geo.importers import base, canon, parse
from geo.importers.errors import ReadError
from geo.importers.report import FIXED

ROLES = {
    "date": ("date", "event_date", "date_start", "occurred_on", "incident_date"),
    "year": ("year", "iyear"), "month": ("month", "imonth"),
    "lat": ("lat", "latitude", "geo_lat", "y", "_lat"),
    "lon": ("lon", "lng", "long", "longitude", "geo_lon", "x", "_lon"),
    "killed": ("killed", "fatalities", "deaths", "nkill", "total_low", "killed_min", "dead", "best"),
    "killed_high": ("killed_high", "total_high", "killed_max", "deaths_high", "high"),
    "injured": ("injured", "wounded", "nwound", "injuries"),
    "province": ("province", "admin1", "adm_1", "provstate", "state", "region"),
    "district": ("district", "admin2", "adm_2"),
    "place": ("place", "location", "city", "town", "village"),
    "country": ("country", "country_code", "iso2", "iso3"),
    "perpetrator": ("perpetrator", "actor", "actor1", "group", "gname", "attacker"),
    "target": ("target", "victims", "target_type"),
    "notes": ("notes", "description", "summary", "details"),
    "sources": ("sources", "source", "url", "link", "source_url"),
    "id": ("id", "event_id", "incident_id"),
}


class NeedsMapping(ReadError):
    """Detection is unsure: ``missing`` roles could not be found among ``columns``."""

    def __init__(self, missing: list[str], columns: list[str]):
        self.missing, self.columns = missing, columns
        super().__init__(f"unknown layout: no column found for {', '.join(missing)}; map them, e.g. "
                         f"--map {','.join(f'{m}=COLUMN' for m in missing)}")


def resolve(columns: list[str], mapping: dict | None = None) -> dict[str, str]:
    """``{role: column}`` from the user's mapping first, then the usual names."""
    keys = {parse.key(c): c for c in columns}
    found = {}
    for role, names in ROLES.items():
        hit = next((keys[parse.key(n)] for n in names if parse.key(n) in keys), None)
        if hit is not None:
            found[role] = hit
    for role, column in (mapping or {}).items():
        if column not in columns:
            raise ReadError(f"--map {role}={column}: no column {column!r} in the file")
        found[role] = column
    return found


def missing_roles(found: dict) -> list[str]:
    """Roles still needed: a date (or year) and a location (lat+lon, province or place)."""
    missing = [] if {"date"} & found.keys() or "year" in found else ["date"]
    if not ({"lat", "lon"} <= found.keys() or {"province", "place"} & found.keys()):
        missing += [r for r in ("lat", "lon") if r not in found]
    return missing


def matches(keys: set[str]) -> bool:
    """Generic fits any table whose roles can be found."""
    return not missing_roles(resolve(list(keys)))


def _dates(table: pd.DataFrame, found: dict) -> tuple[pd.Series, pd.Series, pd.Series]:
    if "date" in found:
        occurred, _ = parse.dates(table[found["date"]])
        return occurred, pd.Series("day", index=table.index), table[found["date"]]
    year = table[found["year"]]
    blank = pd.Series(None, index=year.index, dtype=object)
    month = parse.month_numbers(table[found["month"]]) if "month" in found else blank
    occurred, precision = parse.from_parts(year, month, blank)
    return occurred, precision, year


def to_draft(table: pd.DataFrame, report, mapping=None) -> pd.DataFrame:
    """The table as a draft, each role read from the column found or mapped for it."""
    found = resolve(list(table.columns), mapping)
    missing = missing_roles(found)
    if missing:
        raise NeedsMapping(missing, list(table.columns))
    col = {role: table[name] for role, name in found.items()}
    none = pd.Series(None, index=table.index, dtype=object)
    num = {r: base.numbers(table, report, found[r]) if r in found else none.astype(float)
           for r in ("lat", "lon", "killed", "killed_high", "injured")}
    occurred, precision, raw = _dates(table, found)
    country = col.get("country", none).map(canon.country_code, na_action="ignore").astype(object)
    return base.draft(
        table, id=col.get("id", none), occurred_on=occurred, _date_raw=raw, date_precision=precision,
        place=col.get("place", none), district=col.get("district", none), province=col.get("province", none),
        country=country.fillna(col.get("country", none)).fillna("PK"), lon=num["lon"], lat=num["lat"],
        location_source="coordinates as given in the imported file", event_type="other",
        perpetrator_raw=col.get("perpetrator", none), target=col.get("target", none),
        killed_low=num["killed"].fillna(num["killed_high"]), killed_high=num["killed_high"].fillna(num["killed"]),
        injured_low=num["injured"], injured_high=num["injured"],
        sources=_links(col.get("sources", none), report), notes=col.get("notes", none),
    )


def _links(sources: pd.Series, report) -> pd.Series:
    """Sources that are http(s) links; any other (``javascript:``, ``data:``, a bare name) is
    dropped with a line in the report, since the app shows sources as links."""
    link = sources.astype("string").str.match(r"https?://", case=False).fillna(False).astype(bool)
    dropped = sources.notna() & ~link
    report.add_rows(sources.index[dropped], FIXED, str(sources.name or "sources"), sources[dropped].tolist(),
                    "not an http(s) link; source left empty")
    return sources.where(link)
