"""GeoJSON -> rows of properties, with ``_lon``/``_lat`` from each feature's Point.

A file that is not a FeatureCollection (or one Feature), or a feature that is not an object, or
whose geometry or properties are not objects, is refused with the feature's number: such a file
was not written by a GIS tool and guessing at it would import nonsense. Within well-formed
features, a geometry other than a Point rejects that row, and a Point without two coordinates
keeps its row without a point, with a line in the report.
"""

import orjson

from geo.importers.errors import ReadError
from geo.importers.limits import MAX_COLUMNS, MAX_LINES
from geo.importers.report import FIXED, REJECTED, ImportReport

SCALARS = (str, int, float)


def _kind(value) -> str:
    names = {list: "a list", dict: "an object", str: "a text", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _features(text) -> list:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise ReadError(f"not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise ReadError(f"a GeoJSON FeatureCollection was expected, but the file holds {_kind(data)}")
    features = [data] if data.get("type") == "Feature" else data.get("features")
    if not isinstance(features, list):
        raise ReadError("a GeoJSON FeatureCollection was expected (an object with a list of \"features\")")
    if len(features) > MAX_LINES:
        raise ReadError(f"the file has {len(features):,} features; at most {MAX_LINES:,} are read")
    return features


def _parts(number: int, feature) -> tuple[dict, dict]:
    if not isinstance(feature, dict):
        raise ReadError(f"feature {number} is {_kind(feature)}, not a GeoJSON Feature object")
    geometry, props = feature.get("geometry"), feature.get("properties")
    if geometry is not None and not isinstance(geometry, dict):
        raise ReadError(f"feature {number}: its geometry is {_kind(geometry)}, not a GeoJSON geometry object")
    if props is not None and not isinstance(props, dict):
        raise ReadError(f"feature {number}: its properties are {_kind(props)}, not an object of names and values")
    return geometry or {}, props or {}


def _cell(value) -> str | None:
    if value is None:
        return None
    return str(value) if isinstance(value, SCALARS) else orjson.dumps(value).decode()


def _point(number: int, geometry: dict, report: ImportReport) -> dict:
    """``{"_lon", "_lat"}`` of a Point geometry ({} without one), problems reported."""
    if not geometry:
        return {}
    if geometry.get("type") != "Point":
        report.add(number, REJECTED, "geometry", geometry.get("type"), "only Point features can be imported")
        return {}
    coords = geometry.get("coordinates")
    if isinstance(coords, list) and len(coords) >= 2 and all(isinstance(c, SCALARS) for c in coords[:2]):
        return {"_lon": _cell(coords[0]), "_lat": _cell(coords[1])}
    report.add(number, FIXED, "geometry", _cell(coords), "a Point needs two coordinates [lon, lat]; no point kept")
    return {}


def read_records(text, report: ImportReport) -> list[dict]:
    """One dict of text cells per feature (row ``n`` is item ``n - 1``)."""
    records, names = [], set()
    for number, feature in enumerate(_features(text), 1):
        geometry, props = _parts(number, feature)
        cells = {str(k): _cell(v) for k, v in props.items()} | _point(number, geometry, report)
        names.update(cells)
        if len(names) > MAX_COLUMNS:
            raise ReadError(f"the features have more than {MAX_COLUMNS:,} different properties; at most "
                            f"{MAX_COLUMNS:,} columns are read")
        records.append(cells)
    return records
