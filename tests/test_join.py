"""Spatial join rules on tiny hand-made geometry: two boxes and a border strip."""

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo import join


@pytest.fixture
def provinces():
    # PK-AA on the left, PK-BB on the right, sharing the line x = 1.
    return gpd.GeoDataFrame({"id": ["PK-BB", "PK-AA"]}, geometry=[box(1, 0, 2, 1), box(0, 0, 1, 1)], crs=4326)


@pytest.fixture
def regions():
    return gpd.GeoDataFrame(
        {"id": ["BELT", "AF-XX"]}, geometry=[box(-0.5, 0, 0.5, 1), box(-2, 0, 0, 1)], crs=4326
    )


def incidents(points, recorded=None):
    recorded = recorded or [None] * len(points)
    return gpd.GeoDataFrame(
        {"id": [f"i{n}" for n in range(len(points))], "province_id": recorded}, geometry=points, crs=4326
    )


def test_point_inside_a_province_gets_it(provinces, regions):
    out = join.assign_regions(incidents([Point(1.5, 0.5)]), provinces, regions)
    assert out["province_id"].tolist() == ["PK-BB"]
    assert out["border_region_ids"].tolist() == [""]


def test_point_on_a_shared_border_goes_to_the_first_id_once(provinces, regions):
    out = join.assign_regions(incidents([Point(1.0, 0.5)]), provinces, regions)
    assert len(out) == 1
    assert out["province_id"].tolist() == ["PK-AA"]


def test_point_outside_pakistan_joins_the_border_region_not_a_province(provinces, regions):
    out = join.assign_regions(incidents([Point(-1.0, 0.5)]), provinces, regions)
    assert out["province_id"].isna().all()
    assert out["border_region_ids"].tolist() == ["AF-XX"]


def test_point_in_overlapping_regions_lists_all_of_them(provinces, regions):
    out = join.assign_regions(incidents([Point(0.0, 0.5)]), provinces, regions)
    assert out["province_id"].tolist() == ["PK-AA"]
    assert out["border_region_ids"].tolist() == ["AF-XX;BELT"]


def test_record_without_point_keeps_its_recorded_province(provinces, regions):
    out = join.assign_regions(incidents([None, Point(1.5, 0.5)], ["PK-KP", "PK-AA"]), provinces, regions)
    assert out["province_id"].tolist() == ["PK-KP", "PK-BB"]  # the join wins where there is a point
    assert out["recorded_province_id"].tolist() == ["PK-KP", "PK-AA"]
    assert out["border_region_ids"].tolist() == ["", ""]


def test_join_never_loses_or_duplicates_rows(provinces, regions):
    points = [Point(x / 10, 0.5) for x in range(-15, 25)] + [None]
    out = join.assign_regions(incidents(points), provinces, regions)
    assert out["id"].tolist() == [f"i{n}" for n in range(len(points))]


def test_crs_mismatch_raises(provinces, regions):
    with pytest.raises(ValueError, match="CRS mismatch"):
        join.assign_regions(incidents([Point(1.5, 0.5)]).to_crs(3857), provinces, regions)


def test_in_region_matches_provinces_and_border_regions(provinces, regions):
    out = join.assign_regions(incidents([Point(0.0, 0.5), Point(1.5, 0.5), Point(-1, 0.5)]), provinces, regions)
    assert join.in_region(out, "BELT").tolist() == [True, False, False]
    assert join.in_region(out, "PK-BB").tolist() == [False, True, False]
    assert join.in_region(out, "AF-XX").tolist() == [True, False, True]
