"""UCDP GED (CSV or GeoJSON) -> atlas rows.

``date_start`` is the date (``date_end`` differing makes it approximate; ``date_prec`` 4 and 5
mean month and year). ``where_prec`` 1-7 becomes site / town / district / province (no point) /
province (no point) / none / none, so country centroids and points at sea are never drawn.
``best`` is the figure the atlas counts (``killed_low``), ``high`` the upper end; ``low`` is not
used because ``best`` can fall below it. ``country_id`` is a Gleditsch-Ward code (770 = Pakistan).
"""

import pandas as pd

from geo.importers import base, canon

SOURCE_URL = "https://ucdp.uu.se/downloads/index.html#ged_global"
WHERE_PREC = {"1": "site", "2": "town", "3": "district", "4": "province", "5": "province", "6": "none", "7": "none"}
DATE_PREC = {"1": "day", "2": "approximate", "3": "approximate", "4": "month", "5": "year"}
TYPES = {"1": "other", "2": "other", "3": "terror_attack"}


def matches(keys: set[str]) -> bool:
    """GED when its precision codes or its best/side columns are present."""
    return {"where_prec", "date_start"} <= keys or {"best", "side_a", "type_of_violence"} <= keys


def _country(table: pd.DataFrame) -> pd.Series:
    gw = base.text(table, "country_id").map(canon.GLEDITSCH_WARD.get, na_action="ignore")
    named = base.text(table, "country").map(canon.country_code, na_action="ignore")
    return gw.fillna(named).fillna(base.text(table, "country"))


def _precision(table: pd.DataFrame, occurred: pd.Series) -> pd.Series:
    end, _ = base.dates(table, "date_end")
    coded = base.text(table, "date_prec").map(DATE_PREC, na_action="ignore")
    ranged = pd.Series("approximate", index=table.index).where(end.notna() & (end != occurred), "day")
    return coded.fillna(ranged).where(occurred.notna())


def _event_type(table: pd.DataFrame) -> pd.Series:
    kind = base.text(table, "type_of_violence").map(TYPES, na_action="ignore").fillna("other")
    state = base.text(table, "side_a").astype("string").str.startswith("Government of Pakistan").fillna(False)
    return kind.where(~(state & (kind == "terror_attack")), "security_operation")


def to_draft(table: pd.DataFrame, report, mapping=None) -> pd.DataFrame:
    """The GED table as a draft in the atlas's columns."""
    occurred, raw = base.dates(table, "date_start")
    best = base.numbers(table, report, "best")
    high = base.numbers(table, report, "high")
    return base.draft(
        table,
        id=base.prefixed("GED", base.text(table, "id")),
        occurred_on=occurred, _date_raw=raw, date_precision=_precision(table, occurred),
        place=base.text(table, "where_coordinates"),
        district=base.text(table, "adm_2"),
        province=base.text(table, "adm_1"),
        country=_country(table),
        lon=base.numbers(table, report, "longitude", "_lon"),
        lat=base.numbers(table, report, "latitude", "_lat"),
        location_precision=base.text(table, "where_prec").map(WHERE_PREC, na_action="ignore"),
        location_source="UCDP GED coordinates (where_prec " + base.text(table, "where_prec").fillna("?") + ")",
        event_type=_event_type(table),
        perpetrator_raw=base.text(table, "side_a"),
        target=base.text(table, "side_b"),
        killed_low=best, killed_high=pd.concat([best, high], axis=1).max(axis=1),
        killed_civilians=base.numbers(table, report, "deaths_civilians"),
        sources=SOURCE_URL,
        notes=base.text(table, "where_description"),
    )
