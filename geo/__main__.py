"""Command line for scripted use.

* ``python -m geo import FILE [--format ...] [--map role=column,...] [--out OUT.geojson]
  [--report REPORT.csv] [--save]``: prints the counts; exit status 0 when the file was read (even
  with rejected rows), 2 with a one-line reason when it could not be read (or not saved).
* ``python -m geo datasets``: lists the datasets in the store (GeoPackage, or PostGIS when
  ``ATLAS_DATABASE_URL`` is set).
"""

import argparse
import sys
from pathlib import Path

from geo import datasets, export, importers, store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Pakistan Security Atlas tools")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("import", help="import an incident file into the atlas's schema")
    run.add_argument("file", type=Path)
    run.add_argument("--format", default="auto", choices=importers.FORMATS)
    run.add_argument("--map", default="", help="role=column pairs, e.g. date=When,lat=Y,lon=X "
                     f"(roles: {', '.join(importers.ROLES)})")
    run.add_argument("--dataset", help="dataset name (default: the file name)")
    run.add_argument("--out", type=Path, help="write the imported records as GeoJSON")
    run.add_argument("--report", type=Path, help="write the import report as CSV")
    run.add_argument("--save", action="store_true", help="store the dataset (all or nothing) so the app shows it")
    commands.add_parser("datasets", help="list the datasets in the store")
    return parser


def _progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def run_import(args) -> int:
    """Import ``args.file``; write the outputs; print the counts. Returns the exit status."""
    try:
        mapping = importers.parse_mapping(args.map)
        print(f"reading {args.file} ...", file=sys.stderr)
        result = importers.import_file(args.file, args.format, mapping, args.dataset, progress=_progress)
    except ValueError as error:  # ReadError, NeedsMapping and bad mappings are ValueErrors
        print(f"error: {args.file}: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - a user's file must never produce a traceback
        print(f"error: {args.file}: could not be imported ({type(error).__name__}: {error})", file=sys.stderr)
        return 3
    report = result.report
    if args.out:
        args.out.write_bytes(export.to_geojson(result.incidents, metadata={"import": report.counts()}))
    if args.report:
        args.report.write_bytes(report.to_csv())
    print(report.summary())
    return save(args, result) if args.save else 0


def _store_progress(done: int, total: int) -> None:
    _progress(f"saved {done:,} of {total:,} rows")


def save(args, result) -> int:
    """Store the imported dataset; a clash or refusal is one line and exit status 2."""
    name = args.dataset or args.file.name
    try:
        rows = store.open_store().add_dataset(name, result.incidents, str(args.file), result.report.layout,
                                              datasets.report_to_dict(result.report), progress=_store_progress)
    except (store.StoreError, ValueError) as error:
        print(f"error: {name}: not saved: {error}", file=sys.stderr)
        return 2
    print(f"saved {rows:,} rows as dataset {name!r}")
    return 0


def list_datasets() -> int:
    """Print the store's datasets: name, source file, format, import time, rows."""
    table = store.open_store().datasets()
    print(table[["name", "source_file", "format", "imported_at", "rows"]].to_string(index=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``python -m geo``."""
    args = _parser().parse_args(argv)
    return list_datasets() if args.command == "datasets" else run_import(args)


if __name__ == "__main__":
    sys.exit(main())
