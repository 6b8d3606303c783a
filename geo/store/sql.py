"""The SQL both backends run: three tables and the statements over them, written once.

Tables (the same names and meaning in the GeoPackage and in PostgreSQL):

- ``atlas_datasets``: one row per imported dataset: name (unique), source file, format, when it
  was imported (UTC), row count, the import report as JSON, and ``removed_at`` (NULL = live;
  set = soft-deleted, still undoable until ``purge_removed``).
- ``incidents``: the records, one column per schema field plus ``quarter`` and ``dataset``, a
  point geometry, unique (dataset, id), indexed on (dataset, quarter), province and location.
- ``atlas_history``: one row per corrected field: old and new value as text, when, and why.

Every write is one transaction: an import inserts its dataset row and all its records together,
so a failure or a killed process leaves nothing behind, and readers (one SELECT each, so one
snapshot) see a dataset either whole or not at all. Subclasses supply the connection, the
transaction start, the geometry handling and the bounding-box test.
"""

import json
from contextlib import AbstractContextManager
from datetime import UTC, datetime

import pandas as pd

from geo.store.common import (
    COLUMNS,
    HISTORY_COLUMNS,
    DatasetExists,
    Query,
    UnknownDataset,
    canonical,
    corrected,
    dataset_frame,
    frame_from_rows,
)

FEATURES = "incidents"  # the GeoPackage layer name GIS tools show; PostGIS uses the same table name
_SELECT = f"SELECT {', '.join('i.' + c for c in COLUMNS)} FROM {FEATURES} i"
_LIVE = " JOIN atlas_datasets d ON d.name = i.dataset AND d.removed_at IS NULL"


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

    # --- datasets ---------------------------------------------------------------------------

    def datasets(self, include_removed: bool = False) -> pd.DataFrame:
        """One row per stored dataset, oldest import first (see DATASET_COLUMNS)."""
        where = "" if include_removed else " WHERE removed_at IS NULL"
        with self.read() as cur:
            cur.execute("SELECT name, source_file, format, imported_at, row_count, removed_at, report"
                        f" FROM atlas_datasets{where} ORDER BY imported_at, name")
            rows = cur.fetchall()
        return dataset_frame(rows)

    def add(self, name: str, rows: list[tuple], meta: dict, progress) -> None:
        """Insert the dataset row and all its records in one transaction."""
        with self.write() as cur:
            cur.execute(self.sql("SELECT removed_at FROM atlas_datasets WHERE name = ?"), (name,))
            found = cur.fetchone()
            if found:
                raise DatasetExists(_clash_message(name, found[0] is not None))
            try:
                cur.execute(self.sql("INSERT INTO atlas_datasets (name, source_file, format, imported_at,"
                                     " row_count, report) VALUES (?, ?, ?, ?, ?, ?)"),
                            (name, meta["source_file"], meta["format"], self.stamp(datetime.now(UTC)),
                             len(rows), json.dumps(meta["report"], ensure_ascii=False, default=str)))
            except Exception as error:
                if self.is_clash(error):  # a concurrent import of the same name committed first
                    raise DatasetExists(_clash_message(name, False)) from None
                raise
            self.insert_rows(cur, rows, progress)

    def mark_removed(self, name: str, removed: bool) -> None:
        """Set (soft delete) or clear (undo) ``removed_at``; UnknownDataset if nothing matched."""
        when = self.stamp(datetime.now(UTC)) if removed else None
        state = "IS NULL" if removed else "IS NOT NULL"
        with self.write() as cur:
            cur.execute(self.sql(f"UPDATE atlas_datasets SET removed_at = ? WHERE name = ? AND removed_at {state}"),
                        (when, name))
            if cur.rowcount != 1:
                what = "live" if removed else "removed"
                raise UnknownDataset(f"no {what} dataset named {name!r} in the store")

    def purge(self) -> list[str]:
        """Delete every soft-deleted dataset for real (records and history cascade)."""
        with self.write() as cur:
            cur.execute("SELECT name FROM atlas_datasets WHERE removed_at IS NOT NULL ORDER BY name")
            names = [row[0] for row in cur.fetchall()]
            for name in names:
                for table in ("atlas_history", FEATURES, "atlas_datasets"):
                    key = "name" if table == "atlas_datasets" else "dataset"
                    cur.execute(self.sql(f"DELETE FROM {table} WHERE {key} = ?"), (name,))
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

    def correct(self, dataset: str, record_id: str, changes: dict, reason: str) -> list[tuple]:
        """Validate and apply ``changes`` to one record and log each changed field, atomically."""
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
                                     " changed_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                            [(*key, field, before, after, when, reason) for field, before, after in diffs])
        return diffs

    def history(self, dataset: str, record_id: str) -> pd.DataFrame:
        """Every correction of one record, oldest first."""
        with self.read() as cur:
            cur.execute(self.sql(f"SELECT {', '.join(HISTORY_COLUMNS)} FROM atlas_history"
                                 " WHERE dataset = ? AND record_id = ? ORDER BY seq"), (dataset, record_id))
            table = pd.DataFrame.from_records(cur.fetchall(), columns=HISTORY_COLUMNS)
        table["changed_at"] = pd.to_datetime(table["changed_at"], utc=True, format="ISO8601")
        return table.astype({c: "string" for c in HISTORY_COLUMNS if c != "changed_at"})


def _clash_message(name: str, removed: bool) -> str:
    if removed:
        return (f"a dataset named {name!r} was removed but not yet purged: undo the removal, "
                "or choose another name")
    return f"a dataset named {name!r} is already in the store: remove it first or choose another name"
