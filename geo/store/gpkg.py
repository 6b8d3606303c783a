"""The embedded store: one GeoPackage file (SQLite) written with the standard ``sqlite3`` module.

The file is a valid GeoPackage (application id, ``gpkg_spatial_ref_sys``, ``gpkg_contents``,
``gpkg_geometry_columns``), so QGIS or ``pyogrio.read_dataframe(path, layer="incidents")`` open
its ``incidents`` layer. The tables are created here with plain SQL rather than through GDAL
because GDAL's R-tree triggers call SQL functions only GDAL registers; without them every insert
from ``sqlite3`` would fail. Bounding boxes use an index on (lon, lat) instead of an R-tree.

Why this is safe to share between processes: WAL mode lets readers keep reading the last
committed snapshot while one writer works; ``BEGIN IMMEDIATE`` takes the write lock up front, so
two imports queue (for up to ``BUSY_SECONDS``) instead of failing half-way; ``synchronous=FULL``
makes a commit durable before it returns. A killed writer leaves an uncommitted WAL tail that
SQLite discards the next time the file is opened.
"""

import sqlite3
import struct
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np
import shapely

from geo.store.common import CHUNK_ROWS, COLUMNS, DTYPES, StoreError
from geo.store.sql import FEATURES, MIGRATIONS, SqlBackend, log_tables

BUSY_SECONDS = 60.0
GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_VERSION = 10400  # GeoPackage 1.4
WGS84_WKT = ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
             'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
             'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
             'AUTHORITY["EPSG","4326"]]')
_TYPES = {"string": "TEXT", "int": "INTEGER", "float": "DOUBLE", "date": "DATE", "bool": "BOOLEAN"}

_GPKG_TABLES = """
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
  description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
  identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (table_name TEXT NOT NULL UNIQUE
  REFERENCES gpkg_contents(table_name), column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL REFERENCES gpkg_spatial_ref_sys(srs_id), z TINYINT NOT NULL, m TINYINT NOT NULL,
  PRIMARY KEY (table_name, column_name));
"""

_ATLAS_TABLES = f"""
CREATE TABLE IF NOT EXISTS atlas_datasets (name TEXT PRIMARY KEY, source_file TEXT, format TEXT,
  imported_at TEXT NOT NULL, row_count INTEGER NOT NULL, report TEXT, removed_at TEXT);
CREATE TABLE IF NOT EXISTS {FEATURES} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT,
  {', '.join(f'{c} {_TYPES[DTYPES[c]]}' for c in COLUMNS)},
  UNIQUE (dataset, id), FOREIGN KEY (dataset) REFERENCES atlas_datasets(name));
CREATE INDEX IF NOT EXISTS {FEATURES}_dataset_quarter ON {FEATURES} (dataset, quarter);
CREATE INDEX IF NOT EXISTS {FEATURES}_province ON {FEATURES} (province_id, quarter);
CREATE INDEX IF NOT EXISTS {FEATURES}_lon_lat ON {FEATURES} (lon, lat);
CREATE TABLE IF NOT EXISTS atlas_history (seq INTEGER PRIMARY KEY AUTOINCREMENT,
  dataset TEXT NOT NULL REFERENCES atlas_datasets(name), record_id TEXT NOT NULL, field TEXT NOT NULL,
  old_value TEXT, new_value TEXT, changed_at TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS atlas_history_record ON atlas_history (dataset, record_id);
"""

_REGISTER = [
    ("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
     ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system")),
    ("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
     ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system")),
    ("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
     ("WGS 84 geodetic", 4326, "EPSG", 4326, WGS84_WKT, "longitude/latitude coordinates in decimal degrees")),
    ("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)"
     " VALUES (?, 'features', ?, ?, 4326)", (FEATURES, FEATURES, "Pakistan Security Atlas incidents")),
    ("INSERT OR IGNORE INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)", (FEATURES,)),
]


_HEADER = b"GP\x00\x01" + struct.pack("<i", 4326)


def point_blob(lon, lat) -> bytes | None:
    """A GeoPackage geometry blob for a point: 'GP', version 0, flags (little endian, no
    envelope), SRS id 4326, then standard WKB. None when the record has no point."""
    if lon is None or lat is None:
        return None
    return _HEADER + shapely.to_wkb(shapely.Point(lon, lat), byte_order=1)


def point_blobs(lons: list, lats: list) -> list:
    """``point_blob`` for many points at once (vectorised WKB; the header is the same for all)."""
    xs = np.array([np.nan if v is None else v for v in lons], dtype=float)
    ys = np.array([np.nan if v is None else v for v in lats], dtype=float)
    located = ~(np.isnan(xs) | np.isnan(ys))
    wkb = shapely.to_wkb(shapely.points(xs[located], ys[located]), byte_order=1)
    blobs = [None] * len(xs)
    for index, body in zip(np.flatnonzero(located).tolist(), wkb.tolist(), strict=True):
        blobs[index] = _HEADER + body
    return blobs


@contextmanager
def _plain_errors(path: Path):
    """SQLite's errors about the file itself as a StoreError sentence; a clash of names
    (IntegrityError) and programming errors pass through unchanged."""
    try:
        yield
    except sqlite3.OperationalError as error:
        raise StoreError(f"the store {path} cannot be used: {error}") from None
    except sqlite3.DatabaseError as error:
        if type(error) is not sqlite3.DatabaseError:
            raise
        raise StoreError(f"the store {path} is damaged or not a GeoPackage ({error}); move it away and the "
                         "atlas starts a new, empty store there") from None


class GeoPackageBackend(SqlBackend):
    """The store in one GeoPackage file, created with its tables on first use."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"the store's folder {self.path.parent} cannot be created ({error.strerror or error}); "
                             "set ATLAS_HOME to a folder") from None
        with _plain_errors(self.path):
            self._create()

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; every write says BEGIN IMMEDIATE itself.
        connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    def _create(self) -> None:
        with closing(self._connect()) as connection:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")  # persistent: stored in the file
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {GPKG_VERSION}")
            for statement in (_GPKG_TABLES + _ATLAS_TABLES).split(";"):
                if statement.strip():
                    connection.execute(statement)
            for statement in log_tables("TEXT"):
                connection.execute(statement)
            for table, column in MIGRATIONS:
                if column not in {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}:
                    connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
            for statement, params in _REGISTER:
                connection.execute(statement, params)
            connection.execute("COMMIT")

    @contextmanager
    def write(self):
        with _plain_errors(self.path), closing(self._connect()) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection.cursor()
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    @contextmanager
    def read(self):
        with _plain_errors(self.path), closing(self._connect()) as connection:
            yield connection.cursor()

    def stamp(self, when) -> str:
        return when.isoformat()

    def is_clash(self, error: Exception) -> bool:
        return isinstance(error, sqlite3.IntegrityError)

    def bbox_filter(self, bbox: tuple) -> tuple[str, list]:
        x0, y0, x1, y1 = bbox
        return "i.lon BETWEEN ? AND ? AND i.lat BETWEEN ? AND ?", [x0, x1, y0, y1]

    def insert_rows(self, cursor, rows: list[tuple], progress) -> None:
        lon, lat = COLUMNS.index("lon"), COLUMNS.index("lat")
        statement = (f"INSERT INTO {FEATURES} (geom, {', '.join(COLUMNS)})"
                     f" VALUES ({', '.join('?' * (len(COLUMNS) + 1))})")
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[start:start + CHUNK_ROWS]
            blobs = point_blobs([r[lon] for r in chunk], [r[lat] for r in chunk])
            cursor.executemany(statement, [(blob, *r) for blob, r in zip(blobs, chunk, strict=True)])
            progress(start + len(chunk), len(rows))

    def geometry_sets(self, old: dict, new: dict) -> list[tuple]:
        if (old["lon"], old["lat"]) == (new["lon"], new["lat"]):
            return []
        return [("geom", point_blob(new["lon"], new["lat"]))]
