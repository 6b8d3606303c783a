"""Assign incidents to provinces and border regions by a spatial join.

Rules, tested in ``tests/test_join.py``:

* A point strictly inside a province gets that province. A point on a shared border (it
  touches two provinces and lies inside neither) goes to the province whose id sorts first, so
  the answer is the same on every run and every incident is counted exactly once.
* A point outside Pakistan (a strike in Khost, Paktika or Saravan) gets no Pakistani province
  from the join; its ``province_id`` stays as recorded (usually empty) and it joins the Afghan or
  Iranian border region it falls in.
* A record without a point keeps its recorded ``province_id`` and joins no border region.
* Border regions overlap (the Pak-Afghan belt contains most of the merged districts), so an
  incident can be in several: they are listed in ``border_region_ids``, separated by ``;``.
"""

import geopandas as gpd
import pandas as pd

REGION_SEPARATOR = ";"


def _check_crs(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, what: str) -> None:
    if points.crs is None or polygons.crs is None:
        raise ValueError(f"{what}: both frames need a CRS (points {points.crs}, polygons {polygons.crs})")
    if not points.crs.equals(polygons.crs):
        raise ValueError(f"{what}: CRS mismatch, points {points.crs} vs polygons {polygons.crs}")


def _located(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    has_point = points.geometry.notna() & ~points.geometry.is_empty
    return points.loc[has_point, [points.geometry.name]]


def province_of_points(points: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame) -> pd.Series:
    """The province id each point lies in (first id for a point on a border; NA outside Pakistan)."""
    _check_crs(points, provinces, "province join")
    hits = gpd.sjoin(_located(points), provinces[["id", "geometry"]], how="inner", predicate="intersects")
    first = hits.sort_values("id").groupby(level=0)["id"].first()
    return first.reindex(points.index).astype("string")


def border_regions_of_points(points: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> pd.Series:
    """``;``-joined ids of every border region each point lies in (empty string where none)."""
    _check_crs(points, regions, "border-region join")
    hits = gpd.sjoin(_located(points), regions[["id", "geometry"]], how="inner", predicate="intersects")
    joined = hits.sort_values("id").groupby(level=0)["id"].agg(REGION_SEPARATOR.join)
    return joined.reindex(points.index).fillna("").astype("string")


def assign_regions(
    incidents: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame, border_regions: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """A copy of ``incidents`` with ``province_id`` from the join and ``border_region_ids`` added.

    ``recorded_province_id`` keeps what the record itself said, so disagreements can be shown.
    """
    out = incidents.copy()
    joined = province_of_points(incidents, provinces)
    out["recorded_province_id"] = incidents["province_id"].astype("string")
    out["province_id"] = joined.fillna(out["recorded_province_id"])
    out["border_region_ids"] = border_regions_of_points(incidents, border_regions)
    return out


def in_region(incidents: pd.DataFrame, region_id: str) -> pd.Series:
    """True for incidents in ``region_id``: a province id or a border-region id."""
    border = incidents["border_region_ids"].fillna("").str.split(REGION_SEPARATOR)
    return (incidents["province_id"] == region_id).fillna(False) | border.map(lambda ids: region_id in ids)
