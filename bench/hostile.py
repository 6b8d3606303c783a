"""Time and peak memory of importing the worst-shaped files someone can upload (issue 13): a zip
of 1 GB of newlines, a 5 MB header line of commas, 10,000 columns x 3 rows, and a table at the
column limit (1,000 x 2,000), which is imported and so measures the cleaning of a wide table.

    python bench/hostile.py [--timeout 120] [--only zip] [--only line] [--only wide] [--only limit]

Each shape is written to a temporary folder, then imported by ``geo.importers.import_bytes`` in a
fresh subprocess (so one shape's memory never counts towards the next), exactly as the Data page
imports an upload. Per shape it prints the outcome (records imported, or the refusal's sentence),
the wall time of the import and the process's peak resident memory (VmHWM; it includes the
~140 MB of Python, pandas and GeoPandas that every import process holds). A shape still running
after ``--timeout`` seconds is killed and reported with the peak memory seen until then. The
target is every shape refused or imported in under 2 s and 300 MB.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import server  # noqa: E402

CHUNK = 2**20

# The child imports the file and prints one JSON line; sys.path[0] is this checkout, so the bench
# measures the code beside it (also when copied into a checkout of an older commit).
CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from geo.importers import import_bytes
data = Path(sys.argv[2]).read_bytes()
start = time.perf_counter()
try:
    result = import_bytes(data, Path(sys.argv[2]).name)
    outcome = "imported " + str(result.report.imported) + " of " + str(result.report.read) + " rows"
except Exception as error:
    outcome = "refused (" + type(error).__name__ + "): " + str(error).splitlines()[0][:150]
seconds = time.perf_counter() - start
status = Path("/proc/self/status").read_text().splitlines()
peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_mb": peak}))
"""


def newline_zip(path: Path, megabytes: int = 1024) -> None:
    """A zip whose one CSV member is ``megabytes`` MB of newlines (about 1 MB compressed)."""
    block = b"\n" * CHUNK
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("data.csv", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(block)


def comma_line(path: Path, size: int = 5_000_000) -> None:
    """A header of one name and ``size`` commas (five million columns), no newline."""
    path.write_bytes(b"date" + b"," * size)


def wide_table(path: Path, columns: int = 10_000, rows: int = 3) -> None:
    """A table that would import (date, lat, lon, killed) padded to ``columns`` columns."""
    header = ["date", "lat", "lon", "killed", *(f"extra_{i}" for i in range(columns - 4))]
    row = ["2024-01-02", "33.6", "73.0", "1", *("x" for _ in range(columns - 4))]
    path.write_text("\n".join([",".join(header)] + [",".join(row)] * rows) + "\n")


def at_the_limit(path: Path) -> None:
    """1,000 columns (the most an import reads) x 2,000 rows: imported, so it measures cleaning."""
    wide_table(path, columns=1_000, rows=2_000)


SHAPES = {
    "zip": ("zip of 1 GB of newlines", "newlines.zip", newline_zip),
    "line": ("one 5 MB line of commas", "commas.csv", comma_line),
    "wide": ("10,000 columns x 3 rows", "wide.csv", wide_table),
    "limit": ("1,000 columns x 2,000 rows", "limit.csv", at_the_limit),
}


def run_one(path: Path, timeout: float) -> dict:
    """Import ``path`` in a subprocess; its outcome, seconds and peak MB (or a timeout)."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    start, peak = time.perf_counter(), 0.0
    while child.poll() is None:
        peak = max(peak, server.status_mb(child.pid, "VmHWM:", missing=0.0))
        if time.perf_counter() - start > timeout:
            child.kill()
            child.wait()
            return {"outcome": f"killed after {timeout:.0f} s, still working", "seconds": timeout, "peak_mb": peak}
        time.sleep(0.1)
    out, err = child.communicate()
    if child.returncode != 0:
        return {"outcome": f"crashed: {err.strip().splitlines()[-1:]}", "seconds": float("nan"), "peak_mb": peak}
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a shape is killed")
    parser.add_argument("--only", choices=list(SHAPES), action="append", help="run only these shapes")
    args = parser.parse_args()
    print(f"code: {ROOT}")
    print(f"{'shape':<26} {'file':>9} {'seconds':>8} {'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory(prefix="atlas-hostile-") as folder:
        for key in args.only or SHAPES:
            label, name, make = SHAPES[key]
            path = Path(folder) / name
            make(path)
            result = run_one(path, args.timeout)
            size = f"{path.stat().st_size / 1e6:.2f} MB"
            print(f"{label:<26} {size:>9} {result['seconds']:>8.2f} {result['peak_mb']:>8.0f}  {result['outcome']}",
                  flush=True)
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
