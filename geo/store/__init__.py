"""The persistent incident store: datasets people import, kept between runs, read by filter.

``open_store()`` picks the backend: PostgreSQL + PostGIS when ``ATLAS_DATABASE_URL`` is set
(``postgresql://...``, a server several app instances share), else a GeoPackage file at
``$ATLAS_HOME/atlas.gpkg`` (default ``var/atlas.gpkg`` in the project), created on first use.
Both hold the same tables (see ``geo/store/sql.py``) and behave the same; one test suite runs
against both.

The shipped data in ``data/`` is always the dataset ``"atlas"`` (``schema.SHIPPED_DATASET``): read from
``data/incidents.csv`` through ``load_incidents`` on every call, never written to the
store, never removed or corrected here (maintainers edit the CSV and its sources instead).

Nothing is lost:

- an import is one transaction: the dataset and all its rows land together or not at all;
- a correction is validated like any record, and each changed field is logged with its old
  value, new value, time (UTC) and reason (``history``), in the same transaction;
- ``remove`` is a soft delete (the dataset is hidden from every read; ``undo_remove`` brings
  it back); ``purge_removed`` deletes removed datasets for real and is called once at app start,
  so a removal can be undone until the app restarts.

Who did what: every change takes ``by``, the ``geo.auth.Person`` asking for it, and is refused
(``geo.auth.NotAllowed``) unless that person is an editor; the store records their identity with
the change (the dataset's ``imported_by`` / ``removed_by``, each history row's ``changed_by``, and
one ``activity`` entry per change). Without ``by`` the change is the operator's: whoever runs
Python on the store directly (``python -m geo import --save``, scripts). ``version()`` is a counter
that every committed change raises: app instances key their cached reads by it.
"""

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import export, paths, settings
from geo.auth import NotAllowed, Person, require_editor
from geo.incidents import load_incidents
from geo.schema import SHIPPED_DATASET
from geo.store.common import (
    DatasetExists,
    Query,
    ReadOnlyDataset,
    StoreError,
    UnknownDataset,
    dataset_frame,
    empty_frame,
    plain_rows,
    validated,
)

__all__ = ["DatasetExists", "NotAllowed", "ReadOnlyDataset", "Store", "StoreError", "UnknownDataset",
           "default_path", "open_store"]
STORE_FILE = "atlas.gpkg"
EXPORT_FORMATS = ("geojson", "csv")


def default_path() -> Path:
    """Where the embedded store lives: ``$ATLAS_HOME/atlas.gpkg``, else ``var/atlas.gpkg``."""
    home = settings.get("ATLAS_HOME")
    return (Path(home) if home else paths.PROJECT_DIR / "var") / STORE_FILE


def _quiet(done: int, total: int) -> None:
    """Default import progress callback: say nothing."""


class Store:
    """One small interface over the records the app shows. Plain methods, frames out:
    incidents as GeoDataFrames in EPSG:4326 with the native columns plus ``dataset``."""

    def __init__(self, backend, shipped: Path = paths.INCIDENTS):
        self.backend = backend
        self.shipped = Path(shipped)
        self._shipped_rows: tuple[tuple[int, int], int] | None = None  # ((mtime_ns, size), rows)

    # --- datasets ---------------------------------------------------------------------------

    def datasets(self, include_removed: bool = False, include_shipped: bool = True) -> pd.DataFrame:
        """The datasets (shipped first unless ``include_shipped`` is False, then imports, oldest
        first): name, source_file, format, imported_at (UTC), rows, removed_at (NaT when live),
        the import report (a dict), who imported and who removed it, and ``data_version``: the
        store version of its last import or correction (0 when the store predates the log), which
        cached reads of it are keyed by. The app lists the data it shows itself, so it leaves the
        shipped row out and the store does not count the shipped file for it."""
        imported = self.backend.datasets(include_removed)
        if not include_shipped:
            return imported
        shipped = dataset_frame([(SHIPPED_DATASET, str(self.shipped), "csv", None, self._shipped_count(), None, {},
                                  None, None, 0)])
        return pd.concat([shipped, imported], ignore_index=True)

    def add_dataset(self, name: str, incidents: pd.DataFrame, source_file: str = "", fmt: str = "",
                    report: dict | None = None, progress=_quiet, by: Person | None = None) -> int:
        """Store ``incidents`` (native schema) as the dataset ``name``, all or nothing, imported
        ``by`` an editor (NotAllowed otherwise, before anything is read or written).

        The rows are validated first (``validation.RecordsError`` lists every problem); a name
        already in use raises DatasetExists. ``progress(done, total)`` is called per chunk
        written. Returns the number of records stored."""
        _check(by, "import")
        name = str(name).strip()
        if not name or name == SHIPPED_DATASET:
            raise StoreError(f"a dataset needs a name other than {SHIPPED_DATASET!r}")
        rows = plain_rows(validated(incidents, source=name), name)
        meta = {"source_file": str(source_file), "format": str(fmt), "report": dict(report or {})}
        self.backend.add(name, rows, meta, progress, by)
        return len(rows)

    def remove(self, name: str, by: Person | None = None) -> None:
        """Hide a dataset from every read; ``undo_remove`` restores it until the next purge."""
        self.backend.mark_removed(self._writable(name), True, by)

    def undo_remove(self, name: str, by: Person | None = None) -> None:
        """Bring back a removed dataset that was not yet purged."""
        self.backend.mark_removed(self._writable(name), False, by)

    def purge_removed(self, by: Person | None = None) -> list[str]:
        """Delete removed datasets for real (call once at app start); returns their names."""
        return self.backend.purge(by)

    # --- who did what, and the change counter ------------------------------------------------

    def version(self) -> int:
        """The store's change counter: raised by every committed import, removal, undo, correction
        and purge, by any process. A cheap query (one row), meant to be asked every few seconds."""
        return self.backend.version()

    def activity(self, dataset: str | None = None, limit: int = 200) -> pd.DataFrame:
        """The latest changes, newest first: version, done_at (UTC), done_by, action (import,
        remove, undo, correct, purge), dataset, record_id and detail. Kept after a purge."""
        return self.backend.activity(dataset, limit)

    # --- records ----------------------------------------------------------------------------

    def incidents(self, quarter=None, province_id=None, bbox=None, datasets=None) -> gpd.GeoDataFrame:
        """The live records matching every given filter: ``quarter`` ("2024Q2" or a list),
        ``province_id`` ("PK-KP" or a list), ``bbox`` (min_lon, min_lat, max_lon, max_lat) and
        ``datasets`` (names; default all). Filters run in SQL, so only matches are loaded."""
        query = Query.of(quarter, province_id, bbox, datasets)
        parts = [query.apply(self._shipped())] if query.wants(SHIPPED_DATASET) else []
        if query.datasets is None or set(query.datasets) - {SHIPPED_DATASET}:
            parts.append(self.backend.select(query))
        parts = [p for p in parts if len(p)] or [empty_frame()]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
        return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")

    def record(self, dataset: str, record_id: str) -> gpd.GeoDataFrame:
        """One record as a one-row frame (empty when there is no such live record)."""
        frame = self.incidents(datasets=[dataset])
        return frame[frame["id"] == record_id].reset_index(drop=True)

    def correct(self, dataset: str, record_id: str, changes: dict, reason: str,
                by: Person | None = None) -> list[tuple]:
        """Change fields of one record, e.g. ``{"killed": 5, "killed_low": 5}``, for ``reason``.

        The corrected record must pass the same checks as an import (RecordsError if not).
        Returns ``(field, old, new)`` per field that really changed; each is kept in history."""
        _check(by, "correct")
        if not str(reason or "").strip():
            raise StoreError("a correction needs a reason (what source or error motivates it)")
        return self.backend.correct(self._writable(dataset), record_id, dict(changes), str(reason), by)

    def history(self, dataset: str, record_id: str) -> pd.DataFrame:
        """Every correction of one record, oldest first: field, old_value, new_value (as text),
        changed_at (UTC), reason and changed_by (who). The shipped dataset has none."""
        return self.backend.history(dataset, record_id)

    def export(self, fmt: str = "geojson", **query) -> bytes:
        """The records matching ``query`` (see ``incidents``) as GeoJSON or CSV bytes."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, got {fmt!r}")
        frame = self.incidents(**query)
        if fmt == "csv":
            return export.to_csv(frame)
        return export.to_geojson(frame, metadata={"query": {k: v for k, v in query.items() if v is not None}})

    # --- helpers ----------------------------------------------------------------------------

    def _shipped(self) -> gpd.GeoDataFrame:
        return load_incidents(self.shipped).assign(dataset=SHIPPED_DATASET)

    def _shipped_count(self) -> int:
        # Counted once per version of the file: listing the datasets used to read and validate
        # the whole shipped file every time just to count its rows.
        stat = self.shipped.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._shipped_rows is None or self._shipped_rows[0] != stamp:
            self._shipped_rows = (stamp, len(self._shipped()))
        return self._shipped_rows[1]

    def _writable(self, name: str) -> str:
        if name == SHIPPED_DATASET:
            raise ReadOnlyDataset(f"the {SHIPPED_DATASET!r} dataset is data/incidents.csv: edit that file "
                                  "(with its sources) instead")
        return name


def _check(by: Person | None, action: str) -> None:
    # Refuse before validating anything (a large import takes a while); the backend checks again.
    if by is not None:
        require_editor(by, action)


def open_store(url: str | None = None, path: Path | None = None) -> Store:
    """The store the app uses: PostGIS at ``url`` (default ``$ATLAS_DATABASE_URL``) when given,
    else the GeoPackage at ``path`` (default ``default_path()``), created on first use."""
    url = url if url is not None else settings.get("ATLAS_DATABASE_URL")
    if url:
        if not url.startswith(("postgresql://", "postgres://")):
            raise StoreError(f"ATLAS_DATABASE_URL must start with postgresql://, got {url.split(':')[0]}:")
        from geo.store.postgis import PostgisBackend  # only this backend needs psycopg

        return Store(PostgisBackend(url))
    from geo.store.gpkg import GeoPackageBackend

    return Store(GeoPackageBackend(Path(path) if path else default_path()))
