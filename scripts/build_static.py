"""Build the files the app serves to the map itself, under static/ (Streamlit's static serving).

    python scripts/build_static.py            # boundaries only (what a data change needs)
    python scripts/build_static.py --vendor   # also Leaflet from the npm registry

The map iframe fetches the boundaries once from these files instead of receiving them over the
websocket on every rerun, and loads Leaflet from the app instead of a CDN, so the map draws
with no internet. Boundaries are simplified for the screen (the spatial join keeps using the
full geometry in data/); a test checks that a rebuild is byte for byte the committed files.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import boundaries  # noqa: E402
from geo.render import maps  # noqa: E402

STATIC_DIR = maps.STATIC_DIR
# Degrees of simplification per layer: the neighbouring countries are only context.
TOLERANCE = {"neighbours": 0.02, "provinces": 0.003, "border_regions": 0.003}
DECIMALS = 4
LEAFLET_FILES = ["dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png", "dist/images/layers-2x.png",
                 "dist/images/marker-icon.png", "dist/images/marker-icon-2x.png",
                 "dist/images/marker-shadow.png", "LICENSE"]


def boundary_layers() -> dict:
    return {"neighbours": boundaries.load_neighbours(), "provinces": boundaries.load_provinces(),
            "border_regions": boundaries.load_border_regions()}


def screen_geojson(frame, tolerance: float) -> bytes:
    """Id, name and simplified geometry of each region as compact GeoJSON (RFC 7946 order)."""
    geometry = shapely.set_precision(frame.geometry.simplify(tolerance, preserve_topology=True).array,
                                     10 ** -DECIMALS)
    features = [
        {"type": "Feature", "properties": {"id": rid, "name": name}, "geometry": shapely.geometry.mapping(geom)}
        for rid, name, geom in zip(frame["id"], frame["name"], geometry, strict=True)
    ]
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def build_boundaries(out_dir: Path) -> list[Path]:
    written = []
    for name, frame in boundary_layers().items():
        path = out_dir / maps.BOUNDARY_FILES[name]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(screen_geojson(frame, TOLERANCE[name]))
        written.append(path)
    return written


def vendor_leaflet(out_dir: Path) -> Path:
    """Leaflet's built files and licence, from the npm registry at the pinned version."""
    target = out_dir / maps.LEAFLET_DIR
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"leaflet@{maps.LEAFLET_VERSION}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        with tarfile.open(Path(tmp) / f"leaflet-{maps.LEAFLET_VERSION}.tgz") as archive:
            archive.extractall(tmp, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        for name in LEAFLET_FILES:
            source = Path(tmp) / "package" / name
            destination = target / name.removeprefix("dist/")
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", action="store_true", help="also fetch Leaflet from the npm registry")
    parser.add_argument("--out", type=Path, default=STATIC_DIR, help="folder to write into (default static/)")
    args = parser.parse_args()
    for path in build_boundaries(args.out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    if args.vendor:
        print(f"wrote {vendor_leaflet(args.out)}")


if __name__ == "__main__":
    main()
