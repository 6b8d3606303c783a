"""The provenance record that sits beside every shipped data file: one key set, read and written here.

Each ``data/X`` has ``data/X.provenance.json``, written by the build script that made ``X``
through ``write`` and read by the footer and the Sources page through ``read_provenance``. Every
record has the keys in ``REQUIRED_KEYS`` and no key outside ``KEYS`` (a test reads them all).
"""

import datetime
import hashlib
import json
from pathlib import Path

from geo import paths

KEYS = {
    "title": "What the file holds, in a line",
    "source": "Where its content comes from",
    "source_url": "The source's page",
    "version": "The version of the source package used",
    "licence": "The licence the file is shared under",
    "attribution": "The credit its licence asks for",
    "build_command": "The command that rebuilds the file from its inputs",
    "built_on": "The day the content last changed (UTC), kept while a rebuild gives the same bytes",
    "sha256": "SHA-256 of the file's bytes",
    "rows": "How many records it holds",
    "schema": "The table of fields in geo/schema.py its columns follow",
    "inputs": "The input files, with their SHA-256 (a changed input is a new build)",
    "tarball_sha256": "SHA-256 of the source package",
    "processing": "What was done to the source geometry",
    "equal_area_crs": "The projection areas were measured in",
    "source_areas_km2": "Areas of the source polygons, to check the simplified ones against",
    "band_km": "Width of the border belts",
    "district_seats": "How many places are a district's seat",
    "disputed_boundaries_note": "What drawing a disputed line does and does not mean",
    "notes": "Anything else a reader of the file should know",
}
REQUIRED_KEYS = ("title", "source", "licence", "attribution", "build_command", "built_on", "sha256")
DATA_SUFFIXES = (".csv", ".geojson", ".json", ".gpkg", ".parquet")


class ProvenanceError(ValueError):
    """A data file has no provenance record, or the record lacks required keys or has unknown ones."""


def _problems(record: dict) -> list[str]:
    missing = [f"missing {key}" for key in REQUIRED_KEYS if not record.get(key)]
    return missing + [f"unknown key {key!r} (see geo.provenance.KEYS)" for key in record if key not in KEYS]


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
    problems = _problems(record)
    if problems:
        raise ProvenanceError(f"{record_path.name}: {', '.join(problems)}")
    return record


def all_provenance(data_dir: Path = paths.DATA_DIR) -> dict[str, dict]:
    """``{file name: provenance record}`` for every data file shipped in ``data_dir``."""
    return {p.name: read_provenance(p) for p in data_files(data_dir)}


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, as provenance records give it (also for build inputs)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _unchanged_since(record: dict, candidates) -> str | None:
    # The built_on of an earlier record of the same bytes from the same inputs, if there is one.
    for path in candidates:
        if not path.exists():
            continue
        old = json.loads(path.read_text(encoding="utf-8"))
        if old.get("sha256") == record["sha256"] and old.get("inputs") == record.get("inputs"):
            return old.get("built_on")
    return None


def write(data_file: Path, record: dict, earlier: tuple[Path, ...] = (), today: str | None = None) -> dict:
    """Write ``record`` beside ``data_file`` (already written) and return it, completed.

    ``sha256`` is the file's; ``built_on``, unless the record sets it, is carried over from the
    record already beside the file or from one of the ``earlier`` data files' records when the
    bytes and inputs are the same, so a rebuild that changes nothing is byte-identical, else
    ``today`` (UTC). ProvenanceError if a required key is missing or a key is not in ``KEYS``.
    """
    record = {**record, "sha256": sha256_of(data_file)}
    if not record.get("built_on"):
        candidates = [paths.provenance_path(Path(data_file)), *(paths.provenance_path(Path(e)) for e in earlier)]
        record["built_on"] = (_unchanged_since(record, candidates) or today
                              or datetime.datetime.now(datetime.UTC).date().isoformat())
    problems = _problems(record)
    if problems:
        raise ProvenanceError(f"{Path(data_file).name}: {', '.join(problems)}")
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    paths.provenance_path(Path(data_file)).write_text(text, encoding="utf-8")
    return record
