"""A throwaway PostgreSQL + PostGIS server for the store tests: started once per test session,
stopped (and its files deleted) when the session's process exits.

``initdb`` into a temporary directory, then ``pg_ctl start`` listening only on a unix socket in
that directory (no TCP port, nothing shared with the machine). PostgreSQL refuses to run as
root, so as root the server runs as the ``postgres`` user that the Debian package creates. Speed
settings (no fsync) are fine for a server whose data is thrown away. Each test gets a fresh
database copied from a template that already has PostGIS (``fresh_url``).

When the binaries or psycopg are missing, the PostGIS tests fail with the install line: a store
backend that is never tested must not look green.
"""

import atexit
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

INSTALL = ("PostgreSQL with PostGIS is needed for the PostGIS store tests. `make test` installs it; by hand: "
           "`apt-get install -y postgresql postgresql-postgis` (Debian/Ubuntu; any PostgreSQL >= 15 with PostGIS 3 "
           "works: the tests look in /usr/lib/postgresql/*/bin and on PATH) and the driver with "
           "`.venv/bin/pip install 'psycopg[binary]>=3.2'`.")
TEMPLATE = "atlas_template"
_server = None
_numbers = itertools.count(1)


def find_bindir() -> Path | None:
    """The directory of the newest installed ``pg_ctl`` (Debian keeps it off PATH)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if candidates:
        return candidates[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _postgis_installed(bindir: Path) -> bool:
    share = subprocess.run([bindir / "pg_config", "--sharedir"], capture_output=True, text=True)
    sharedir = Path(share.stdout.strip()) if share.returncode == 0 else Path("/usr/share/postgresql") / bindir.parts[-2]
    return (sharedir / "extension" / "postgis.control").exists()


class PgServer:
    """One PostgreSQL server in a temporary directory, reachable through a unix socket there."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
        self.data = self.root / "data"
        self.port = 5432  # only names the socket file; no TCP listener is opened
        self.as_user = []
        if os.geteuid() == 0:  # PostgreSQL refuses root: run it as the packaged postgres user
            account = pwd.getpwnam("postgres")
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args) -> None:
        done = subprocess.run([*self.as_user, *map(str, args)], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        """initdb, start, and build the PostGIS template database."""
        self._run(self.bindir / "initdb", "-D", self.data, "-U", "atlas", "-A", "trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        options = (f"-c listen_addresses='' -k {self.root} -p {self.port} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run(self.bindir / "pg_ctl", "-D", self.data, "-l", self.root / "server.log", "-o", options,
                  "-w", "-t", "60", "start")
        self.sql("postgres", f"CREATE DATABASE {TEMPLATE}")
        self.sql(TEMPLATE, "CREATE EXTENSION postgis")

    def url(self, database: str) -> str:
        return f"postgresql://atlas@/{database}?host={self.root}&port={self.port}"

    def sql(self, database: str, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(statement)

    def fresh_url(self) -> str:
        """A new empty database with PostGIS (copied from the template: a fraction of a second)."""
        name = f"atlas_test_{next(_numbers)}"
        self.sql("postgres", f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once and delete its files."""
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                        "-w", "stop"], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def server() -> PgServer:
    """The session's server, started on first use; fails the calling test when it cannot be."""
    global _server
    if _server is None:
        bindir = find_bindir()
        if bindir is None or not _postgis_installed(bindir):
            pytest.fail(f"PostgreSQL/PostGIS server binaries not found. {INSTALL}", pytrace=False)
        try:
            import psycopg  # noqa: F401
        except ImportError:
            pytest.fail(f"psycopg is not installed. {INSTALL}", pytrace=False)
        candidate = PgServer(bindir)
        atexit.register(candidate.stop)  # also when start() fails half-way
        candidate.start()
        _server = candidate
    return _server


def shutdown() -> None:
    """Stop the session's server if one was started (called when the test session ends)."""
    global _server
    if _server is not None:
        _server.stop()
        _server = None
