"""The atlas's geographic scope for imported events, applied the same way to every layout.

In scope:

* every event in Pakistan (``country`` PK), with or without a point;
* events in the border regions of ``data/border_regions.geojson`` — Afghanistan's provinces on
  the Pakistan border, Iran's Sistan and Baluchestan, and the Pakistani belts and former FATA.
  An event outside Pakistan is placed there by its point when it has one (a point on a region's
  edge counts as inside), else by its province name;
* strikes launched from Pakistan (``origin_country`` PK) wherever they landed: the atlas's own
  records hold Pakistan's strike on Kabul, and its downloads must import back whole. Third-party
  layouts do not say who launched a strike across a border, so for them only the places count.

Everything else (the rest of Afghanistan and Iran, India, China, any other country) is out of
scope: the row is rejected with a reason starting ``out of scope``, so ``read = imported +
rejected`` still holds and the report counts how many rows were out of scope.
"""

import numpy as np
import pandas as pd
import shapely

from geo import boundaries, schema
from geo.importers.report import OUT_OF_SCOPE, REJECTED, ImportReport

HOME = "PK"
SCOPE = "the atlas takes events in Pakistan and in its neighbours' border regions"
# Spellings of the border provinces other than Natural Earth's, casefolded.
PROVINCE_ALIASES = {
    "helmand": "hilmand", "paktia": "paktya", "nimruz": "nimroz", "nooristan": "nuristan",
    "khowst": "khost", "badakshan": "badakhshan", "zabol": "zabul", "qandahar": "kandahar",
    "sistan and baluchistan": "sistan and baluchestan", "sistan-baluchestan": "sistan and baluchestan",
    "sistan va baluchestan": "sistan and baluchestan", "sistan and balochistan": "sistan and baluchestan",
}


def _province_key(name) -> str | None:
    if name is None or name != name:
        return None
    key = " ".join(str(name).replace("_", " ").split()).casefold()
    key = key.removesuffix(" province").removesuffix(" provinces")
    return PROVINCE_ALIASES.get(key, key)


def _areas() -> tuple[dict[str, set[str]], object]:
    """Border province names per neighbour, and the whole area in scope (Pakistan and every
    border region) as one prepared geometry."""
    regions = boundaries.load_border_regions()
    pakistan = boundaries.load_neighbours().set_index("id").geometry[HOME]
    neighbours = regions[regions["country"] != HOME]
    names = {country: {_province_key(n) for n in group["name"]} for country, group in neighbours.groupby("country")}
    area = shapely.union_all([pakistan, *regions.geometry])
    shapely.prepare(area)
    return names, area


def _country_name(code) -> str:
    return schema.COUNTRIES.get(code, str(code))


def in_scope(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """For each row: in scope (bool), and for the rows that are not, the column to name and the
    reason. ``frame`` holds the atlas's columns with numeric lon/lat."""
    country = frame["country"].astype(object)
    launched = (frame["origin_country"].astype(object) == HOME) & (frame["event_type"].astype(object)
                                                                  == "cross_border_strike")
    abroad = country.isin(list(schema.COUNTRIES)) & (country != HOME) & ~launched
    names, area = _areas() if abroad.any() else ({}, None)  # most files hold Pakistan only
    neighbour = abroad & country.isin(list(names))
    placed = frame["lon"].notna() & frame["lat"].notna()
    inside = pd.Series(False, index=frame.index)
    by_point = neighbour & placed
    points = shapely.points(frame.loc[by_point, "lon"].to_numpy(float), frame.loc[by_point, "lat"].to_numpy(float))
    inside[by_point] = shapely.covers(area, points)
    provinces = frame["province"].map(_province_key)
    by_name = neighbour & ~placed
    inside[by_name] = np.array([p in names[c] for p, c in zip(provinces[by_name], country[by_name], strict=True)],
                               dtype=bool)
    keep = (country == HOME) | launched | inside
    column = pd.Series(np.where(by_point, "lon", np.where(by_name, "province", "country")), index=frame.index)
    reason = _reasons(frame, country, by_point, by_name)
    return keep, column.where(~keep), reason.where(~keep)


def _reasons(frame, country, by_point, by_name) -> pd.Series:
    named = country.map(_country_name, na_action="ignore")
    elsewhere = (f"{OUT_OF_SCOPE}: " + ("an event in " + named).fillna("no country given")
                 + f" ({SCOPE})")
    point = f"{OUT_OF_SCOPE}: the point lies in " + named + " outside its border regions with Pakistan"
    given = frame["province"].astype("string")
    province = (f"{OUT_OF_SCOPE}: " + given + " is not a border region of " + named
                + " (the event has no point)").fillna(
        f"{OUT_OF_SCOPE}: an event in " + named + " with neither a point nor a province to place it "
        "in a border region")
    return pd.Series(np.where(by_point, point, np.where(by_name, province, elsewhere)), index=frame.index)


def apply(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """The rows in scope; every other row is rejected in the report with its reason."""
    if frame.empty:
        return frame
    keep, column, reason = in_scope(frame)
    out = frame[~keep]
    column = column[~keep]
    point = out["lon"].astype(str) + ", " + out["lat"].astype(str)
    value = np.where(column == "lon", point, np.where(column == "province", out["province"], out["country"]))
    # One pass over the rejected rows only: a worldwide export is mostly out of scope.
    for row, name, shown, why in zip(out.index, column, value, reason[~keep], strict=True):
        report.add(row, REJECTED, name, shown, why)
    return frame[keep]
