"""Read the provenance record that sits beside every shipped data file.

Each ``data/X`` has ``data/X.provenance.json`` with at least the keys in ``REQUIRED_KEYS``.
The footer and the Sources page show these records; a test fails on a data file without one.
"""

import json
from pathlib import Path

from geo import paths

REQUIRED_KEYS = ("title", "source", "licence", "attribution", "build_command", "built_on")
DATA_SUFFIXES = (".csv", ".geojson", ".json", ".gpkg", ".parquet")


class ProvenanceError(ValueError):
    """A data file has no provenance record, or the record lacks required keys."""


def data_files(data_dir: Path = paths.DATA_DIR) -> list[Path]:
    """Every data file in ``data_dir`` (provenance records themselves excluded)."""
    return sorted(
        p
        for p in data_dir.iterdir()
        if p.suffix in DATA_SUFFIXES and not p.name.endswith(paths.PROVENANCE_SUFFIX)
    )


def read_provenance(data_file: Path) -> dict:
    """The provenance record of ``data_file``; raises ProvenanceError naming the file and the gap."""
    record_path = paths.provenance_path(data_file)
    if not record_path.exists():
        raise ProvenanceError(f"{data_file.name}: no provenance file {record_path.name}")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    missing = [key for key in REQUIRED_KEYS if not record.get(key)]
    if missing:
        raise ProvenanceError(f"{record_path.name}: missing {', '.join(missing)}")
    return record


def all_provenance(data_dir: Path = paths.DATA_DIR) -> dict[str, dict]:
    """``{file name: provenance record}`` for every data file shipped in ``data_dir``."""
    return {p.name: read_provenance(p) for p in data_files(data_dir)}
