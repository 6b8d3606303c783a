"""Nothing lost when the importing process dies: a writer is SIGKILLed in the middle of an import
(after it wrote its first chunks, inside the transaction) and the store must then open normally,
without a trace of the half-written dataset, and accept the same import again. Both backends.
"""

import os
import signal
import subprocess
import sys

from geo import store
from geo.incidents import load_incidents
from geo.paths import PROJECT_DIR
from geo.store.common import CHUNK_ROWS
from geo.store.sql import FEATURES
from tests.test_store import copies

ROWS = 20 * CHUNK_ROWS
WRITER = f"""
import sys, time
from geo import store
from geo.incidents import load_incidents
from tests.test_store import copies

def report(done, total):
    print(done, total, flush=True)  # the test kills us once it sees this
    time.sleep(0.3)  # a slow disk: keeps the import open long enough to be killed mid-way

big = copies(load_incidents(), {ROWS})
store.open_store().add_dataset("doomed", big, "big.csv", "native", {{}}, progress=report)
print("finished", flush=True)
"""


def kill_mid_import(env: dict) -> list[str]:
    """Run the writer, SIGKILL it after its second chunk is written; return what it printed."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER], cwd=PROJECT_DIR, env={**os.environ, **env},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        while len(lines) < 2:
            line = writer.stdout.readline()
            assert line, f"writer ended before writing: {writer.stderr.read()}"
            lines.append(line.strip())
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.wait(60)
    assert writer.returncode == -signal.SIGKILL
    return lines


def raw_count(atlas_store: store.Store) -> int:
    """Records of the doomed dataset in the table itself, removed or not (no JOIN, no filter)."""
    with atlas_store.backend.read() as cur:
        cur.execute(atlas_store.backend.sql(f"SELECT count(*) FROM {FEATURES} WHERE dataset = ?"), ("doomed",))
        return cur.fetchone()[0]


def test_a_writer_killed_mid_import_leaves_no_partial_dataset(env, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    store.open_store().add_dataset("before", load_incidents())
    printed = kill_mid_import(env)
    if "ATLAS_HOME" in env:  # the uncommitted pages really reached the disk before the kill
        assert (store.default_path().with_name("atlas.gpkg-wal")).stat().st_size > 1_000_000
    assert printed == [f"{CHUNK_ROWS} {ROWS}", f"{2 * CHUNK_ROWS} {ROWS}"]  # killed after writing, before the end

    reopened = store.open_store()
    assert reopened.datasets(include_removed=True)["name"].tolist() == ["atlas", "before"]
    assert raw_count(reopened) == 0 and reopened.incidents(datasets="doomed").empty
    assert len(reopened.incidents(datasets="before")) == 64
    if "ATLAS_HOME" in env:
        with reopened.backend.read() as cur:
            assert cur.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert reopened.add_dataset("doomed", copies(load_incidents(), 3 * CHUNK_ROWS)) == 3 * CHUNK_ROWS
