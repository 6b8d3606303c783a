"""Row-level repairs used by ``pipeline.finish``: text cells, ids and coordinates.

Coordinates written the wrong way round are the commonest fault in hand-made incident files
(the Kaggle drone files have 8 and 14 such rows). A point outside its country's box that falls
inside once lat and lon are exchanged is swapped back and reported. Points that are not finite
numbers or not on the globe are removed (the row stays, placed at province level), and rows whose
precision is province or country never keep a point, so the map never draws a centroid as if it
were the place of the event.
"""

import numpy as np
import pandas as pd

from geo import schema
from geo.importers import canon
from geo.importers.report import FIXED, WARNING, ImportReport

MAX_TEXT = 5000
TEXT_COLUMNS = ("place", "district", "province", "location_source", "perpetrator_raw", "target", "notes")
FORMULA_START = ("=", "+", "@")
HTML = r"<\s*/?\s*(?:script|a|b|i|div|span|img|iframe|p|br|style)\b"


def text_cells(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Cut overlong text, and warn about formula-like or HTML text (kept as plain text)."""
    for name in TEXT_COLUMNS:
        text = frame[name].astype("string")
        long = text.str.len() > MAX_TEXT
        report.add_rows(frame.index[long.fillna(False)], FIXED, name, text[long.fillna(False)].tolist(),
                        f"text longer than {MAX_TEXT} characters cut to that length")
        formula = text.str.startswith(FORMULA_START).fillna(False)
        report.add_rows(frame.index[formula], WARNING, name, text[formula].tolist(),
                        "looks like a spreadsheet formula; kept as text (CSV exports neutralise it)")
        html = text.str.contains(HTML, case=False, regex=True).fillna(False)
        report.add_rows(frame.index[html], WARNING, name, text[html].tolist(),
                        "contains HTML markup; kept and always shown as plain text")
        frame[name] = text.str.slice(0, MAX_TEXT).astype(object).where(text.notna(), None)
    return frame


def ids(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Give rows without an id ``<dataset>-row<N>``; make duplicate ids unique with a suffix."""
    prefix = report.layout or "import"
    generated = pd.Series([f"{prefix}-row{r}" for r in frame.index], index=frame.index)
    frame["id"] = frame["id"].astype("string").fillna(generated)
    repeat = frame.groupby("id").cumcount()
    duplicate = repeat > 0
    report.add_rows(frame.index[duplicate], FIXED, "id", frame.loc[duplicate, "id"].tolist(),
                    "id repeats an earlier row; a suffix was added")
    frame.loc[duplicate, "id"] = frame.loc[duplicate, "id"] + "-" + (repeat[duplicate] + 1).astype(str)
    return frame


def _inside(lon: pd.Series, lat: pd.Series, country: pd.Series) -> pd.Series:
    boxes = pd.DataFrame([canon.COUNTRY_BOXES.get(c, (-180, -90, 180, 90)) for c in country],
                         index=country.index, columns=["x0", "y0", "x1", "y1"])
    return lon.between(boxes.x0, boxes.x1) & lat.between(boxes.y0, boxes.y1)


def _swap(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    lon, lat = frame["lon"], frame["lat"]
    outside = lon.notna() & ~_inside(lon, lat, frame["country"])
    swapped = outside & _inside(lat, lon, frame["country"])
    report.add_rows(frame.index[swapped], FIXED, "lat",
                    [f"lat {a}, lon {o}" for a, o in zip(lat[swapped], lon[swapped], strict=True)],
                    "latitude and longitude were swapped (point outside the country, inside once exchanged)")
    frame.loc[swapped, ["lon", "lat"]] = frame.loc[swapped, ["lat", "lon"]].to_numpy()
    still = outside & ~swapped
    report.add_rows(frame.index[still], WARNING, "lon", [f"{o}, {a}" for o, a in zip(lon[still], lat[still],
                    strict=True)], "point lies outside the country's box; kept as given")
    return frame


def coordinates(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Numeric lon/lat, swaps fixed, impossible points removed, precision made consistent."""
    lon = pd.to_numeric(frame["lon"], errors="coerce").astype("float64")
    lat = pd.to_numeric(frame["lat"], errors="coerce").astype("float64")
    given = frame["lon"].notna() | frame["lat"].notna()
    ok = np.isfinite(lon) & np.isfinite(lat) & lon.between(-180, 180) & lat.between(-90, 90)
    bad = given & ~ok
    report.add_rows(frame.index[bad], FIXED, "lon", [f"{o}, {a}" for o, a in zip(frame.loc[bad, "lon"],
                    frame.loc[bad, "lat"], strict=True)], "not a finite lon/lat on the globe; point removed")
    frame["lon"], frame["lat"] = lon.where(ok), lat.where(ok)
    frame = _swap(frame, report)
    return _precision(frame, report)


def _precision(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    has_point = frame["lon"].notna()
    fallback = pd.Series(np.where(frame["province_id"].notna(), "province", "none"), index=frame.index)
    precision = frame["location_precision"].astype(object)
    precision = precision.where(precision.notna(), np.where(has_point, "town", fallback))
    pointless = ~precision.isin(schema.POINT_PRECISIONS)
    precision = precision.where(has_point | pointless, fallback)
    coarse = pointless & has_point
    report.add_rows(frame.index[coarse], FIXED, "lon", [f"{o}, {a}" for o, a in zip(frame.loc[coarse, "lon"],
                    frame.loc[coarse, "lat"], strict=True)], "placed only at province or country level; its point "
                    "(the region's centre) is not kept, so it is not drawn")
    frame.loc[coarse, ["lon", "lat"]] = np.nan
    frame["location_precision"] = precision
    return frame
