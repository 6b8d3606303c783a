"""The SQL both backends run: five tables and the statements over them, written once.

Tables (the same names and meaning in the GeoPackage and in PostgreSQL):

- ``atlas_datasets``: one row per imported dataset: name (unique), source file, format, when it
  was imported (UTC) and by whom, row count, the import report as JSON, and ``removed_at`` /
  ``removed_by`` (NULL = live; set = soft-deleted, still undoable until ``purge_removed``).
- ``incidents``: the records, one column per schema field plus ``quarter`` and ``dataset``, a
  point geometry, unique (dataset, id), indexed on (dataset, quarter), province and location.
- ``atlas_history``: one row per corrected field: old and new value as text, when, why, by whom.
- ``atlas_log``: one row per change (import, remove, undo, correct, purge): its version, when,
  who, which dataset (and record), and what. It outlives a purged dataset.
- ``atlas_version``: one row, the store's change counter. Every write transaction raises it by
  one as its last statement and logs the change under the new number, so the counter only ever
  shows committed changes, in commit order (the row lock makes concurrent writers take turns
  for that last moment only). App instances poll it to know when their cached reads are stale.

Every write is one transaction: an import inserts its dataset row, all its records and its log
entry together, so a failure or a killed process leaves nothing behind, and readers (one SELECT
each, so one snapshot) see a dataset either whole or not at all. Stores made before a column or
table existed get it when opened (``MIGRATIONS``); their old rows say nothing of who did them.
Subclasses supply the connection, the transaction start, the geometry handling and the
bounding-box test.
"""

import json
from contextlib import AbstractContextManager
from datetime import UTC, datetime

import pandas as pd

from geo.auth import Person, operator, require_editor
from geo.store.common import (
    ACTIVITY_COLUMNS,
    COLUMNS,
    HISTORY_COLUMNS,
    DatasetExists,
    Query,
    UnknownDataset,
    canonical,
    corrected,
    dataset_frame,
    frame_from_rows,
    utc_times,
)

FEATURES = "incidents"  # the GeoPackage layer name GIS tools show; PostGIS uses the same table name
_SELECT = f"SELECT {', '.join('i.' + c for c in COLUMNS)} FROM {FEATURES} i"
_LIVE = " JOIN atlas_datasets d ON d.name = i.dataset AND d.removed_at IS NULL"
# Columns added after the first stores were made: (table, column); their type is text.
MIGRATIONS = (("atlas_datasets", "imported_by"), ("atlas_datasets", "removed_by"), ("atlas_history", "changed_by"))
# The last import or correction of each dataset: cached reads of its records are keyed by it.
_DATA_VERSION = ("(SELECT max(l.version) FROM atlas_log l WHERE l.dataset = atlas_datasets.name"
                 " AND l.action IN ('import', 'correct'))")


def log_tables(time_type: str) -> list[str]:
    """The change counter and the log, in either database (``time_type``: how it stores times)."""
    return ["CREATE TABLE IF NOT EXISTS atlas_version (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)",
            "INSERT INTO atlas_version (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING",
            f"CREATE TABLE IF NOT EXISTS atlas_log (version bigint PRIMARY KEY, done_at {time_type} NOT NULL,"
            " done_by text NOT NULL, action text NOT NULL, dataset text NOT NULL, record_id text, detail text)",
            "CREATE INDEX IF NOT EXISTS atlas_log_dataset ON atlas_log (dataset, version)"]


def _editor(by: Person | None, action: str) -> str:
    """Who to record for ``action``; NotAllowed unless ``by`` is an editor (None: the operator)."""
    return require_editor(operator() if by is None else by, action)


class SqlBackend:
    """Shared statements; a subclass implements ``write``, ``read``, ``insert_rows``,
    ``geometry_sets``, ``bbox_filter``, ``is_clash`` and ``stamp``."""

    lock_clause = ""  # PostgreSQL locks the corrected row ("FOR UPDATE"); SQLite locks the file

    def write(self) -> AbstractContextManager:
        """A cursor inside one write transaction, committed on exit, rolled back on error."""
        raise NotImplementedError

    def read(self) -> AbstractContextManager:
        """A cursor for reading (each SELECT sees one committed snapshot)."""
        raise NotImplementedError

    def sql(self, text: str) -> str:
        """The driver's spelling of a statement written with ``?`` placeholders."""
        return text

    def stamp(self, when):
        """A time as the driver stores it."""
        raise NotImplementedError

    def _log(self, cur, by: str, action: str, dataset: str, record_id: str | None = None, detail: str = "") -> int:
        """Raise the change counter and log this change under it: the last statement of a write,
        so the counter's row is locked only from here to the commit. Returns the new version."""
        cur.execute("UPDATE atlas_version SET version = version + 1 WHERE id = 1")
        cur.execute("SELECT version FROM atlas_version WHERE id = 1")
        version = int(cur.fetchone()[0])
        cur.execute(self.sql("INSERT INTO atlas_log (version, done_at, done_by, action, dataset, record_id, detail)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?)"),
                    (version, self.stamp(datetime.now(UTC)), by, action, dataset, record_id, detail))
        return version

    def version(self) -> int:
        """The store's change counter: it rises with every committed change, in any process."""
        with self.read() as cur:
            cur.execute("SELECT version FROM atlas_version WHERE id = 1")
            return int(cur.fetchone()[0])

    def activity(self, dataset: str | None = None, limit: int = 200) -> pd.DataFrame:
        """The latest ``limit`` changes (of one dataset, or all), newest first (ACTIVITY_COLUMNS)."""
        where, params = (" WHERE dataset = ?", [dataset]) if dataset is not None else ("", [])
        with self.read() as cur:
            cur.execute(self.sql(f"SELECT {', '.join(ACTIVITY_COLUMNS)} FROM atlas_log{where}"
                                 " ORDER BY version DESC LIMIT ?"), [*params, int(limit)])
            table = pd.DataFrame.from_records(cur.fetchall(), columns=ACTIVITY_COLUMNS)
        table["done_at"] = utc_times(table["done_at"])
        return table.astype({"version": "int64", **{c: "string" for c in ACTIVITY_COLUMNS[2:]}})

    # --- datasets ---------------------------------------------------------------------------

    def datasets(self, include_removed: bool = False) -> pd.DataFrame:
        """One row per stored dataset, oldest import first (see DATASET_COLUMNS)."""
        where = "" if include_removed else " WHERE removed_at IS NULL"
        with self.read() as cur:
            cur.execute("SELECT name, source_file, format, imported_at, row_count, removed_at, report, imported_by,"
                        f" removed_by, {_DATA_VERSION} FROM atlas_datasets{where} ORDER BY imported_at, name")
            rows = cur.fetchall()
        return dataset_frame(rows)

    def add(self, name: str, rows: list[tuple], meta: dict, progress, by: Person | None = None) -> None:
        """Insert the dataset row, all its records and the log entry in one transaction."""
        who = _editor(by, "import")
        with self.write() as cur:
            cur.execute(self.sql("SELECT removed_at FROM atlas_datasets WHERE name = ?"), (name,))
            found = cur.fetchone()
            if found:
                raise DatasetExists(_clash_message(name, found[0] is not None))
            try:
                cur.execute(self.sql("INSERT INTO atlas_datasets (name, source_file, format, imported_at,"
                                     " row_count, report, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                            (name, meta["source_file"], meta["format"], self.stamp(datetime.now(UTC)),
                             len(rows), json.dumps(meta["report"], ensure_ascii=False, default=str), who))
            except Exception as error:
                if self.is_clash(error):  # a concurrent import of the same name committed first
                    raise DatasetExists(_clash_message(name, False)) from None
                raise
            self.insert_rows(cur, rows, progress)
            self._log(cur, who, "import", name, detail=f"{len(rows)} records from {meta['source_file']}")

    def mark_removed(self, name: str, removed: bool, by: Person | None = None) -> None:
        """Set (soft delete) or clear (undo) ``removed_at`` and ``removed_by``, and log it;
        UnknownDataset if nothing matched."""
        action = "remove" if removed else "undo"
        who = _editor(by, action)
        when = self.stamp(datetime.now(UTC)) if removed else None
        state = "IS NULL" if removed else "IS NOT NULL"
        with self.write() as cur:
            cur.execute(self.sql(f"UPDATE atlas_datasets SET removed_at = ?, removed_by = ? WHERE name = ?"
                                 f" AND removed_at {state}"), (when, who if removed else None, name))
            if cur.rowcount != 1:
                what = "live" if removed else "removed"
                raise UnknownDataset(f"no {what} dataset named {name!r} in the store")
            self._log(cur, who, action, name)

    def purge(self, by: Person | None = None) -> list[str]:
        """Delete every soft-deleted dataset for real (records and history; the log stays)."""
        who = _editor(by, "purge removed datasets")
        with self.write() as cur:
            cur.execute("SELECT name FROM atlas_datasets WHERE removed_at IS NOT NULL ORDER BY name")
            names = [row[0] for row in cur.fetchall()]
            for name in names:
                for table in ("atlas_history", FEATURES, "atlas_datasets"):
                    key = "name" if table == "atlas_datasets" else "dataset"
                    cur.execute(self.sql(f"DELETE FROM {table} WHERE {key} = ?"), (name,))
                self._log(cur, who, "purge", name, detail="removed earlier; deleted for good")
        return names

    # --- records ----------------------------------------------------------------------------

    def select(self, query: Query) -> pd.DataFrame:
        """The live records matching ``query``, in import order, filtered in SQL."""
        clauses, params = [], []
        for column in ("quarter", "province_id", "dataset"):
            values = getattr(query, "datasets" if column == "dataset" else column)
            if values is not None:
                clauses.append(f"i.{column} IN ({', '.join('?' * len(values))})" if values else "1 = 0")
                params += values
        if query.bbox is not None:
            clause, values = self.bbox_filter(query.bbox)
            clauses.append(clause)
            params += values
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.read() as cur:
            cur.execute(self.sql(f"{_SELECT}{_LIVE}{where} ORDER BY i.fid"), params)
            return frame_from_rows(cur.fetchall())

    def correct(self, dataset: str, record_id: str, changes: dict, reason: str,
                by: Person | None = None) -> list[tuple]:
        """Validate and apply ``changes`` to one record and log each changed field, atomically."""
        who = _editor(by, "correct")
        with self.write() as cur:
            key = (dataset, record_id)
            cur.execute(self.sql(f"{_SELECT}{_LIVE} WHERE i.dataset = ? AND i.id = ?{self.lock_clause}"), key)
            row = cur.fetchone()
            if row is None:
                raise UnknownDataset(f"no record {record_id!r} in a live dataset {dataset!r}")
            old = canonical(row)
            new, diffs = corrected(old, changes, f"correction of {record_id}")
            if not diffs:
                return []
            sets = [(c, new[c]) for c in COLUMNS if new[c] != old[c]] + self.geometry_sets(old, new)
            cur.execute(self.sql(f"UPDATE {FEATURES} SET {', '.join(c + ' = ?' for c, _ in sets)}"
                                 " WHERE dataset = ? AND id = ?"), [v for _, v in sets] + list(key))
            when = self.stamp(datetime.now(UTC))
            cur.executemany(self.sql("INSERT INTO atlas_history (dataset, record_id, field, old_value, new_value,"
                                     " changed_at, reason, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                            [(*key, field, before, after, when, reason, who) for field, before, after in diffs])
            self._log(cur, who, "correct", dataset, record_id, ", ".join(field for field, _, _ in diffs))
        return diffs

    def history(self, dataset: str, record_id: str) -> pd.DataFrame:
        """Every correction of one record, oldest first."""
        with self.read() as cur:
            cur.execute(self.sql(f"SELECT {', '.join(HISTORY_COLUMNS)} FROM atlas_history"
                                 " WHERE dataset = ? AND record_id = ? ORDER BY seq"), (dataset, record_id))
            table = pd.DataFrame.from_records(cur.fetchall(), columns=HISTORY_COLUMNS)
        table["changed_at"] = utc_times(table["changed_at"])
        return table.astype({c: "string" for c in HISTORY_COLUMNS if c != "changed_at"})


def _clash_message(name: str, removed: bool) -> str:
    if removed:
        return (f"a dataset named {name!r} was removed but not yet purged: undo the removal, "
                "or choose another name")
    return f"a dataset named {name!r} is already in the store: remove it first or choose another name"
