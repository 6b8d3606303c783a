"""ACLED export -> atlas rows (current 31-column layout, legacy and UPPERCASE variants).

``event_date`` is read as ``2023-02-16``, ``19 July 2019`` or ``16-Feb-19``; ``time_precision``
1-3 becomes date precision day / approximate / month; ``geo_precision`` 1-3 becomes town / town
(nearby town) / district (region-level point). ``fatalities`` is ACLED's conservative figure, so
low = high = fatalities. ``actor1`` is the attributed actor; state forces make it a security
operation. A file with only ``year`` (no ``event_date``) imports with year precision.
"""

import pandas as pd

from geo.importers import base, canon, parse

SOURCE_URL = "https://acleddata.com/data-export-tool/"
TIME_PRECISION = {"1": "day", "2": "approximate", "3": "month"}
GEO_PRECISION = {"1": "town", "2": "town", "3": "district"}
EVENT_TYPES = {
    "battles": "other", "explosions/remote violence": "terror_attack", "violence against civilians": "terror_attack",
    "riots": "other", "protests": "other", "strategic developments": "other",
}
STATE_ACTOR = r"^(?:Military|Police) Forces of Pakistan"


def matches(keys: set[str]) -> bool:
    """ACLED when its id or its actor/event-type columns are present."""
    return "event_id_cnty" in keys or {"event_type", "sub_event_type", "actor1"} <= keys


def _dates(table: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    occurred, raw = base.dates(table, "event_date")
    precision = base.text(table, "time_precision").map(TIME_PRECISION, na_action="ignore").fillna("day")
    if raw.isna().all():
        year = base.text(table, "year")
        blank = pd.Series(None, index=year.index, dtype=object)
        occurred, precision = parse.from_parts(year, blank, blank)
        raw = year
    return occurred, precision.where(occurred.notna()), raw


def _event_type(table: pd.DataFrame) -> pd.Series:
    kind = base.text(table, "event_type").astype("string").str.casefold().map(EVENT_TYPES).fillna("other")
    state = base.text(table, "actor1").astype("string").str.contains(STATE_ACTOR, regex=True).fillna(False)
    return kind.mask(state, "security_operation")


def to_draft(table: pd.DataFrame, report, mapping=None) -> pd.DataFrame:
    """The ACLED table as a draft in the atlas's columns."""
    occurred, precision, raw = _dates(table)
    fatalities = base.numbers(table, report, "fatalities")
    country = base.text(table, "country").map(canon.country_code, na_action="ignore")
    return base.draft(
        table,
        id=base.prefixed("ACLED", base.text(table, "event_id_cnty")),
        occurred_on=occurred, _date_raw=raw, date_precision=precision,
        place=base.text(table, "location"),
        district=base.text(table, "admin2"),
        province=base.text(table, "admin1"),
        country=country.fillna(base.text(table, "country")).fillna("PK"),
        lon=base.numbers(table, report, "longitude"),
        lat=base.numbers(table, report, "latitude"),
        location_precision=base.text(table, "geo_precision").map(GEO_PRECISION, na_action="ignore"),
        location_source="ACLED coordinates (geo_precision " + base.text(table, "geo_precision").fillna("?") + ")",
        event_type=_event_type(table),
        perpetrator_raw=base.text(table, "actor1"),
        target=base.text(table, "actor2"),
        killed_low=fatalities, killed_high=fatalities,
        sources=SOURCE_URL,
        notes=base.text(table, "notes"),
    )
