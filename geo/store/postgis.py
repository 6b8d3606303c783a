"""The shared store: the same tables on PostgreSQL with PostGIS (``ATLAS_DATABASE_URL``).

Differences from the GeoPackage, and why:

- ``geom`` is a generated column (``ST_MakePoint(lon, lat)``, SRID 4326) with a GiST index, so
  the point can never disagree with lon/lat, and a bounding box is answered by the index
  (``geom && ST_MakeEnvelope(...)``; edges included, like the GeoPackage's BETWEEN).
- Records are written with COPY (several times faster than INSERTs); still one transaction.
- PostgreSQL's MVCC gives readers the last committed snapshot; a second import of the same
  name waits on the unique key and then fails with DatasetExists; a correction locks its row.
- Schema creation takes an advisory lock, because two app processes starting at once would
  otherwise race on ``CREATE TABLE IF NOT EXISTS``. A missing column is added only when the
  catalogue says it is missing: ``ALTER TABLE`` would otherwise wait for every running import.

PostgreSQL text cannot hold the NUL character; every other string is stored as given.
"""

from contextlib import contextmanager

import psycopg

from geo.store.common import CHUNK_ROWS, COLUMNS, DTYPES, StoreError
from geo.store.sql import FEATURES, MIGRATIONS, SqlBackend, log_tables

_SCHEMA_LOCK = 7_420_910  # any constant: the advisory-lock key guarding schema creation
_TYPES = {"string": "text", "int": "bigint", "float": "double precision", "date": "date", "bool": "boolean"}
_POINT = "CASE WHEN lon IS NULL OR lat IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END"

_TABLES = f"""
CREATE TABLE IF NOT EXISTS atlas_datasets (name text PRIMARY KEY, source_file text, format text,
  imported_at timestamptz NOT NULL, row_count bigint NOT NULL, report text, removed_at timestamptz);
CREATE TABLE IF NOT EXISTS {FEATURES} (fid bigserial PRIMARY KEY,
  {', '.join(f'{c} {_TYPES[DTYPES[c]]}' for c in COLUMNS)},
  geom geometry(Point, 4326) GENERATED ALWAYS AS ({_POINT}) STORED,
  UNIQUE (dataset, id), FOREIGN KEY (dataset) REFERENCES atlas_datasets(name));
CREATE INDEX IF NOT EXISTS {FEATURES}_dataset_quarter ON {FEATURES} (dataset, quarter);
CREATE INDEX IF NOT EXISTS {FEATURES}_province ON {FEATURES} (province_id, quarter);
CREATE INDEX IF NOT EXISTS {FEATURES}_geom ON {FEATURES} USING gist (geom);
CREATE TABLE IF NOT EXISTS atlas_history (seq bigserial PRIMARY KEY,
  dataset text NOT NULL REFERENCES atlas_datasets(name), record_id text NOT NULL, field text NOT NULL,
  old_value text, new_value text, changed_at timestamptz NOT NULL, reason text NOT NULL);
CREATE INDEX IF NOT EXISTS atlas_history_record ON atlas_history (dataset, record_id);
"""


class PostgisBackend(SqlBackend):
    """The store in a PostgreSQL database with PostGIS; tables created on first use."""

    lock_clause = " FOR UPDATE OF i"

    def __init__(self, url: str):
        self.url = url
        self._create()

    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as error:
            raise StoreError(f"cannot reach the database in ATLAS_DATABASE_URL: {error}".strip()) from None

    def _create(self) -> None:
        with self.write() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            try:
                cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except psycopg.errors.InsufficientPrivilege:
                raise StoreError("the database lacks PostGIS and this user may not add it: ask its "
                                 "administrator to run CREATE EXTENSION postgis") from None
            for statement in [s for s in _TABLES.split(";") if s.strip()] + log_tables("timestamptz"):
                cur.execute(statement)
            for table, column in MIGRATIONS:
                cur.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                            " AND table_name = %s AND column_name = %s", (table, column))
                if cur.fetchone() is None:
                    cur.execute(f"ALTER TABLE {table} ADD COLUMN {column} text")

    @contextmanager
    def write(self):
        with self._connect() as connection, connection.transaction(), connection.cursor() as cur:
            yield cur

    @contextmanager
    def read(self):
        with self._connect() as connection, connection.cursor() as cur:
            yield cur

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    def stamp(self, when):
        return when

    def is_clash(self, error: Exception) -> bool:
        return isinstance(error, psycopg.errors.UniqueViolation)

    def bbox_filter(self, bbox: tuple) -> tuple[str, list]:
        return "i.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)", list(bbox)

    def insert_rows(self, cursor, rows: list[tuple], progress) -> None:
        statement = f"COPY {FEATURES} ({', '.join(COLUMNS)}) FROM STDIN"
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[start:start + CHUNK_ROWS]
            with cursor.copy(statement) as copy:
                for row in chunk:
                    copy.write_row(row)
            progress(start + len(chunk), len(rows))

    def geometry_sets(self, old: dict, new: dict) -> list[tuple]:
        return []  # geom is generated from lon/lat by the database
