"""Load the committed boundary files (provinces, border regions, neighbour outlines) and check them.

The files are built offline by ``scripts/build_boundaries.py`` from Natural Earth and shipped in
``data/``. Each loader returns a GeoDataFrame in EPSG:4326 after checking that the file reads, has
the expected columns, non-empty valid polygons, unique ids and the expected ids or count. Every
problem found is reported at once in one ``BoundaryError`` that names the file.
"""

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from geo import paths
from geo.schema import PROVINCE_NAMES

POLYGONAL = {"Polygon", "MultiPolygon"}


class BoundaryError(ValueError):
    """A boundary file is missing, unreadable or fails validation; the message names the file."""


@dataclass(frozen=True)
class Spec:
    """What one boundary file must contain."""

    columns: tuple[str, ...]
    ids: frozenset[str] = field(default_factory=frozenset)  # ids that must all be present
    count: int | None = None  # exact number of features, when fixed


PROVINCES_SPEC = Spec(
    columns=("id", "name", "area_km2"),
    ids=frozenset(PROVINCE_NAMES),
    count=len(PROVINCE_NAMES),
)
BORDER_REGIONS_SPEC = Spec(
    columns=("id", "name", "kind", "country", "derivation"),
    ids=frozenset({"PK-FATA", "PK-AF-BELT", "PK-IR-BELT"}),
)
NEIGHBOURS_SPEC = Spec(columns=("id", "name"), ids=frozenset({"AF", "IR", "IN", "CN"}))


def load_provinces(path: Path = paths.PROVINCES) -> gpd.GeoDataFrame:
    """The seven provinces and territories (ISO 3166-2 ids), with their areas (their census
    population is in data/figures.csv: geo.figures.population)."""
    return load_checked(path, PROVINCES_SPEC)


def load_border_regions(path: Path = paths.BORDER_REGIONS) -> gpd.GeoDataFrame:
    """Former FATA, the Pak-Afghan and Pak-Iran border belts and the neighbouring provinces."""
    return load_checked(path, BORDER_REGIONS_SPEC)


def load_neighbours(path: Path = paths.NEIGHBOURS) -> gpd.GeoDataFrame:
    """Outlines of Afghanistan, Iran, India and China (and Pakistan, id ``PK``)."""
    return load_checked(path, NEIGHBOURS_SPEC)


def load_checked(path: Path, spec: Spec) -> gpd.GeoDataFrame:
    """Read ``path`` and check it against ``spec``; raise BoundaryError listing every problem."""
    path = Path(path)
    frame = _read(path)
    problems = problems_in(frame, spec)
    if problems:
        raise BoundaryError(f"{path.name}: " + "; ".join(problems))
    return frame


def _read(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise BoundaryError(f"{path.name}: file not found at {path}")
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for a broken file
        raise BoundaryError(f"{path.name}: cannot be read as GeoJSON ({exc})") from exc
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise BoundaryError(f"{path.name}: CRS is {frame.crs}, expected EPSG:4326")
    return frame


def problems_in(frame: gpd.GeoDataFrame, spec: Spec) -> list[str]:
    """Every way ``frame`` falls short of ``spec``, as readable sentences (empty if none)."""
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        return [f"missing columns {missing}"]
    return _geometry_problems(frame) + _id_problems(frame, spec)


def _geometry_problems(frame: gpd.GeoDataFrame) -> list[str]:
    geoms = frame.geometry
    bad_type = ~geoms.geom_type.isin(POLYGONAL) | geoms.is_empty
    invalid = ~bad_type & ~geoms.is_valid
    problems = []
    if bad_type.any():
        problems.append(f"no polygon geometry for ids {frame.loc[bad_type, 'id'].tolist()}")
    if invalid.any():
        problems.append(f"invalid geometry for ids {frame.loc[invalid, 'id'].tolist()}")
    return problems


def _id_problems(frame: gpd.GeoDataFrame, spec: Spec) -> list[str]:
    ids = frame["id"]
    problems = []
    duplicated = sorted(set(ids[ids.duplicated()].astype(str)))
    if duplicated:
        problems.append(f"duplicate ids {duplicated}")
    absent = sorted(spec.ids - set(ids))
    if absent:
        problems.append(f"expected ids {absent} not found")
    if spec.count is not None and len(frame) != spec.count:
        problems.append(f"{len(frame)} features, expected {spec.count}")
    return problems
