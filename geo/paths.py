"""Where the atlas keeps its files, resolved from this module's location, never the working directory."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"

PROVINCES = DATA_DIR / "provinces.geojson"
BORDER_REGIONS = DATA_DIR / "border_regions.geojson"
NEIGHBOURS = DATA_DIR / "neighbours.geojson"
GAZETTEER = DATA_DIR / "gazetteer.csv"
INCIDENTS = DATA_DIR / "incidents.csv"
FIGURES = DATA_DIR / "figures.csv"

ALIASES = PACKAGE_DIR / "aliases.csv"

PROVENANCE_SUFFIX = ".provenance.json"


def provenance_path(data_file: Path) -> Path:
    """The provenance file that sits beside ``data_file`` (``x.csv`` -> ``x.csv.provenance.json``)."""
    return data_file.with_name(data_file.name + PROVENANCE_SUFFIX)
