"""Geometry of cross-border strike arrows: from the origin country to the strike location.

Launch sites are not known, so an arrow starts at the point of the origin country nearest to
the strike location and ends at the strike; its head is a small triangle computed here, so the
map needs no arrow plugin. Strikes without a point or without a known origin get no arrow.
"""

import math
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.ops import nearest_points

from geo.schema import COUNTRIES

HEAD_LENGTH_DEG = 0.22
HEAD_HALF_ANGLE = math.radians(24)


@dataclass(frozen=True)
class Arrow:
    start: tuple[float, float]  # (lat, lon)
    end: tuple[float, float]
    head: list[tuple[float, float]]
    label: str
    row: pd.Series


def _head(start: tuple[float, float], end: tuple[float, float]) -> list[tuple[float, float]]:
    (lat0, lon0), (lat1, lon1) = start, end
    angle = math.atan2(lat1 - lat0, (lon1 - lon0) * math.cos(math.radians(lat1)))
    corners = []
    for side in (-1, 1):
        theta = angle + math.pi + side * HEAD_HALF_ANGLE
        dlon = HEAD_LENGTH_DEG * math.cos(theta) / math.cos(math.radians(lat1))
        corners.append((lat1 + HEAD_LENGTH_DEG * math.sin(theta), lon1 + dlon))
    return [end, corners[0], corners[1]]


def arrows(strikes: gpd.GeoDataFrame, countries: gpd.GeoDataFrame) -> list[Arrow]:
    """One Arrow per strike that has a point and an origin country present in ``countries``.

    ``countries`` needs columns ``id`` (ISO2, e.g. PK, AF, IR, IN) and geometry.
    """
    outlines = dict(zip(countries["id"], countries.geometry, strict=True))
    result = []
    for _, row in strikes.iterrows():
        origin = row.get("origin_country")
        point = row.geometry
        if point is None or point.is_empty or pd.isna(origin) or origin not in outlines:
            continue
        source, _ = nearest_points(outlines[origin], point)
        start, end = (source.y, source.x), (point.y, point.x)
        place = "" if pd.isna(row.get("place")) else row.get("place")
        label = f"{COUNTRIES.get(origin, origin)} → {place} ({row.get('occurred_on'):%Y-%m-%d})"
        result.append(Arrow(start, end, _head(start, end), label, row))
    return result
