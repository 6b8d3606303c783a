"""The per-record editorial decisions of scripts/build_records.py: CSV files beside this module,
one row per decision, so a maintainer edits data rather than code (the files are listed in
build_records.py's docstring)."""

import csv
from pathlib import Path

DECISIONS_DIR = Path(__file__).resolve().parent


def load(name: str, key: str | tuple[str, ...]) -> dict:
    """``scripts/<name>`` as ``{key: row}``; a key given twice stops the build."""
    with open(DECISIONS_DIR / name, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    keys = [row[key] if isinstance(key, str) else tuple(row[k] for k in key) for row in rows]
    repeated = {k for k in keys if keys.count(k) > 1}
    if repeated:
        raise ValueError(f"scripts/{name}: {sorted(repeated)} given more than once")
    return dict(zip(keys, rows, strict=True))
