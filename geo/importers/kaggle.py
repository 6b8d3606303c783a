"""Kaggle "Pakistan Suicide Attacks" and "Pakistan Drone Attacks" layouts -> atlas rows.

Both give fatalities as ranges (``Killed Min/Max``; ``Total Died Min`` / ``Total Died Mix`` [sic]);
a blank minimum means "use the maximum", so killed_low = min or max. The reshaped drone file
(Shadab) splits the date into ``Year/Month/Day`` and gives one ``Total_Died``. The R merge of the
two files has dotted names and ``Is_Suicide``/``Is_Drone`` flags. Suicide attacks are terror
attacks; drone strikes are cross-border strikes by the United States. A trailing column-totals
row (no serial number and no date) is rejected as such.
"""

import numpy as np
import pandas as pd

from geo.importers import base, parse
from geo.importers.report import REJECTED

SUICIDE_URL = "https://www.kaggle.com/datasets/zusmani/pakistansuicideattacks"
DRONE_URL = "https://www.kaggle.com/datasets/zusmani/pakistandroneattacks"


def matches(keys: set[str]) -> bool:
    """Kaggle when the suicide or drone fatality-range columns are present."""
    return bool({"killed_max", "total_died_mix", "total_died_max"} & keys) or {"total_died", "no_of_strike"} <= keys


def _is_drone(table: pd.DataFrame, keys: set[str]) -> pd.Series:
    flag = base.text(table, "Is_Drone")
    if flag.notna().any():
        return flag.fillna("0").eq("1")
    drone = bool({"total_died_mix", "total_died", "al_qaeda"} & keys)
    return pd.Series(drone, index=table.index)


def _dates(table: pd.DataFrame, report) -> tuple[pd.Series, pd.Series, pd.Series]:
    occurred, raw = base.dates(table, "Date")
    precision = pd.Series("day", index=table.index)
    if raw.isna().all():
        year, month, day = (base.text(table, n) for n in ("Year", "Month", "Day"))
        occurred, precision = parse.from_parts(year, parse.month_numbers(month), day)
        raw = year.astype("string") + "-" + month.astype("string") + "-" + day.astype("string")
    return occurred, precision, raw


def _totals_rows(table: pd.DataFrame, raw_date: pd.Series, report) -> None:
    serial = base.text(table, "S#", "column_1")
    totals = serial.isna() & raw_date.isna()
    report.add_rows(table.index[totals], REJECTED, "S#", [""] * int(totals.sum()),
                    "a totals row (no serial number and no date), not an event")


def _range(table: pd.DataFrame, report, lows: tuple, highs: tuple) -> tuple[pd.Series, pd.Series]:
    """(low, high) of a Min/Max pair; a blank end takes the other end's value."""
    low, high = base.numbers(table, report, *lows), base.numbers(table, report, *highs)
    return low.fillna(high), high.fillna(low)


def to_draft(table: pd.DataFrame, report, mapping=None) -> pd.DataFrame:
    """The Kaggle table as a draft in the atlas's columns."""
    keys = {parse.key(c) for c in table.columns}
    drone = _is_drone(table, keys)
    occurred, precision, raw = _dates(table, report)
    _totals_rows(table, raw, report)
    low, high = _range(table, report, ("Killed Min", "Total Died Min"),
                       ("Killed Max", "Total Died Mix", "Total Died Max", "Total_Died"))
    injured_low, injured_high = _range(table, report, ("Injured Min",), ("Injured Max",))
    militants = base.total_of(base.numbers(table, report, "Al-Qaeda", "Al_Qaeda"),
                              base.numbers(table, report, "Taliban"))
    prefix = np.where(drone, "KDA", "KSA")
    serial = base.text(table, "S#").astype("string")
    return base.draft(
        table,
        id=pd.Series(prefix, index=table.index) + "-" + serial,
        occurred_on=occurred, _date_raw=raw, date_precision=precision,
        place=base.text(table, "Location").fillna(base.text(table, "City")),
        district=base.text(table, "City"),
        province=base.text(table, "Province"),
        country="PK",
        lon=base.numbers(table, report, "Longitude"),
        lat=base.numbers(table, report, "Latitude"),
        location_source="Kaggle dataset coordinates (city level)",
        event_type=np.where(drone, "cross_border_strike", "terror_attack"),
        origin_country=np.where(drone, "US", None),
        perpetrator_raw=np.where(drone, "United States (drone strike)", None),
        target=base.text(table, "Target Type", "Special Mention (Site)"),
        killed_low=low, killed_high=high,
        killed_civilians=base.numbers(table, report, "Civilians Min", "Civilians"),
        killed_militants=militants,
        injured_low=injured_low, injured_high=injured_high,
        sources=np.where(drone, DRONE_URL, SUICIDE_URL),
        notes=base.text(table, "Comments", "Influencing Event/Event"),
    )
