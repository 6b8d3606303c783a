"""GTD (Global Terrorism Database) CSV -> atlas rows.

Dates come from ``iyear/imonth/iday`` where 0 means unknown (day -> month precision, month ->
year precision). ``specificity`` 1-5 becomes location precision: 1 town, 2-3 district (centroid of
the smallest admin region), 4 province (ADM1 centroid: no point kept), 5 none. ``nkill`` counts
attackers too and may be blank or fractional (rounded later without changing the total);
``nkillter`` gives militants killed. Historic ``provstate`` names go through the alias table. A
subset of GTD's columns imports with the precision it allows.
"""

import pandas as pd

from geo.importers import base, canon
from geo.importers.parse import from_parts

SOURCE_URL = "https://www.start.umd.edu/gtd/search/IncidentSummary.aspx?gtdid="
SPECIFICITY = {"1": "town", "2": "district", "3": "district", "4": "province", "5": "none"}


def matches(keys: set[str]) -> bool:
    """GTD when the date parts and at least one GTD-only column are present."""
    return "iyear" in keys and bool({"nkill", "gname", "provstate", "specificity", "eventid"} & keys)


def _country(table: pd.DataFrame) -> pd.Series:
    """ISO code from ``country_txt`` or GTD's own ``country`` code; unknown values stay as they
    are (and are rejected later); no country column at all means a Pakistan extract."""
    named, code = base.text(table, "country_txt"), base.text(table, "country")
    result = named.map(canon.country_code, na_action="ignore").astype(object).fillna(named)
    result = result.fillna(code.map(canon.GTD_COUNTRIES.get, na_action="ignore").astype(object).fillna(code))
    return result.fillna("PK")


def to_draft(table: pd.DataFrame, report, mapping=None) -> pd.DataFrame:
    """The GTD table as a draft in the atlas's columns."""
    occurred, precision = from_parts(base.text(table, "iyear"), base.text(table, "imonth"), base.text(table, "iday"))
    eventid = base.text(table, "eventid")
    nkill = base.numbers(table, report, "nkill")
    nwound = base.numbers(table, report, "nwound")
    specificity = base.text(table, "specificity").map(SPECIFICITY, na_action="ignore")
    target = base.text(table, "target1").fillna(base.text(table, "targtype1_txt"))
    return base.draft(
        table,
        id=base.prefixed("GTD", eventid),
        occurred_on=occurred,
        _date_raw=base.text(table, "iyear").astype("string") + "/" + base.text(table, "imonth").astype("string")
        + "/" + base.text(table, "iday").astype("string"),
        date_precision=precision,
        place=base.text(table, "city").where(base.text(table, "city").str.casefold() != "unknown"),
        province=base.text(table, "provstate").where(base.text(table, "provstate").str.casefold() != "unknown"),
        country=_country(table),
        lon=base.numbers(table, report, "longitude"),
        lat=base.numbers(table, report, "latitude"),
        location_precision=specificity,
        location_source="GTD coordinates (specificity " + base.text(table, "specificity").fillna("?") + ")",
        event_type="terror_attack",
        perpetrator_raw=base.text(table, "gname"),
        target=target,
        killed_low=nkill, killed_high=nkill,
        killed_militants=base.numbers(table, report, "nkillter"),
        injured_low=nwound, injured_high=nwound,
        sources=(SOURCE_URL + eventid.astype("string")).where(eventid.notna(), "https://www.start.umd.edu/gtd/"),
        notes=base.text(table, "summary"),
    )
