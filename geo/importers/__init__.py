"""Bring your own data: import incident files in other layouts into the atlas's schema.

``import_bytes`` (and ``import_file``) read a CSV, TSV, zipped CSV or GeoJSON robustly and within
the limits of ``limits`` (``read``), choose an adapter by the headers (``detect``), map the
layout's columns to the schema (``acled``, ``ged``, ``gtd``, ``kaggle``, ``native``, ``generic``),
then repair, harmonise and validate the rows (``pipeline``), keeping the events in the atlas's
geographic scope, Pakistan and its neighbours' border regions (``scope``); the others are
rejected as out of scope, by row. The result holds a GeoDataFrame in the
native schema with a ``dataset`` column and an ``ImportReport`` listing every fixed or rejected row;
``ImportResult.savable`` refuses a result without rows, so an empty dataset is never stored.
"""

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo.importers import detect, names, pipeline
from geo.importers.detect import FORMATS
from geo.importers.errors import ReadError
from geo.importers.generic import ROLES, NeedsMapping
from geo.importers.limits import MAX_BYTES
from geo.importers.read import drop_missing_spellings, read_table
from geo.importers.report import NOTE, ImportReport
from geo.incidents import points as _points

__all__ = ["FORMATS", "MAX_BYTES", "ROLES", "ImportReport", "ImportResult", "NeedsMapping", "NothingImported",
           "ReadError", "import_bytes", "import_file", "parse_mapping"]
SHOWN_REASONS = 3


class NothingImported(ReadError):
    """Every row of the file was rejected, so there is nothing to save."""


@dataclass
class ImportResult:
    """The imported records (native schema, EPSG:4326) and the report of the import."""

    incidents: gpd.GeoDataFrame
    report: ImportReport

    def savable(self) -> "ImportResult":
        """This result, or ``NothingImported`` (its commonest reasons) when no row was imported:
        an empty dataset is never stored."""
        if len(self.incidents):
            return self
        rejected = self.report.to_frame().query("action == 'rejected'")
        reasons = rejected.drop_duplicates("row")["reason"].value_counts().head(SHOWN_REASONS)
        why = "; ".join(f"{count:,} × {reason}" for reason, count in reasons.items())
        raise NothingImported(f"none of its {self.report.read:,} rows could be imported" + (f" ({why})" if why
                              else ""))


def parse_mapping(text: str | None) -> dict[str, str]:
    """``"date=When,lat=Y"`` -> ``{"date": "When", "lat": "Y"}``; ValueError on unknown roles."""
    mapping = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        role, sep, column = part.partition("=")
        if not sep or role.strip() not in ROLES:
            raise ValueError(f"bad mapping {part!r}: use ROLE=COLUMN with ROLE one of {', '.join(ROLES)}")
        mapping[role.strip()] = column.strip()
    return mapping


def _quiet(message: str) -> None:
    """Default progress callback: say nothing."""


def import_bytes(data: bytes, name: str, layout: str = "auto", mapping: dict | None = None,
                 dataset: str | None = None, progress=_quiet) -> ImportResult:
    """Import the file ``name`` given as bytes. ``ReadError`` (one sentence) when it is not a
    table at all; ``NeedsMapping`` when the layout is unknown and no mapping was given.
    ``progress(message)`` is called after each stage (read, converted, validated)."""
    report = ImportReport(source=names.file_label(name))
    table = read_table(data, name, report)
    adapter = detect.choose(list(table.columns), layout, mapping)
    if adapter.name != "native":
        table = drop_missing_spellings(table)
    report.layout, report.read = adapter.name, len(table)
    progress(f"{report.read} rows read; layout {adapter.name}")
    report.add(None, NOTE, "", adapter.name, f"layout: {adapter.label}")
    draft = adapter.to_draft(table, report, mapping)
    progress(f"{report.read} rows converted")
    frame = pipeline.finish(draft, report, dataset or Path(name).stem)
    progress(f"{report.read} rows checked and validated")
    incidents = gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=_points(frame), crs="EPSG:4326")
    incidents.attrs["source_rows"] = list(frame.index)
    return ImportResult(incidents, report)


def import_file(path, layout: str = "auto", mapping: dict | None = None, dataset: str | None = None,
                progress=_quiet) -> ImportResult:
    """Import the file at ``path`` (see ``import_bytes``)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(f"cannot read {path}: {error.strerror or error}") from None
    return import_bytes(data, path.name, layout, mapping, dataset, progress)
