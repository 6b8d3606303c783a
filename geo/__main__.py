"""Command line for scripted use.

* ``python -m geo import FILE [--format ...] [--map role=column,...] [--out OUT.geojson]
  [--report REPORT.csv] [--save [--dataset NAME]]``: prints the counts; exit status 0 when the
  file was read (even with rejected rows), 2 with a one-line reason when it could not be read, an
  output could not be written, or it was not saved (a file of which no row could be imported is
  never saved).
* ``python -m geo datasets``: lists the datasets in the store (GeoPackage, or PostGIS when
  ``ATLAS_DATABASE_URL`` is set).
* ``python -m geo check-figures FILE [FILE ...]``: checks rows of published figures (new rows in
  the reference layout, or a table like data/figures.csv) before they reach the app; exit status
  0 when every file is clean, 2 with one line per problem (row, column, value, what was expected).

Whatever the file, the folders or the store, a problem is one line starting ``error:``, never a
traceback. Every check that needs no import (the dataset name, the output folders) runs first.
"""

import argparse
import sys
from pathlib import Path

from geo import export, figure_check, importers, store
from geo.importers import names


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
    check = commands.add_parser("check-figures", help="check rows of published figures before they reach the app")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    return parser


def _progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def _fail(where, message) -> int:
    print(f"error: {where}: {message}", file=sys.stderr)
    return 2


def dataset_name(args) -> str:
    """The name ``--save`` stores under (``--dataset``, else the file name); ValueError if unsafe
    or reserved for the shipped data."""
    return names.check_import_name(args.dataset or names.file_label(args.file.name))


def _check_outputs(args) -> None:
    for option, path in (("--out", args.out), ("--report", args.report)):
        if path is not None and not path.parent.is_dir():
            raise ValueError(f"{option} {path}: the folder {path.parent} does not exist")


def _write_outputs(args, result) -> None:
    outputs = (("--out", args.out, lambda: export.to_geojson(result.incidents,
                                                               metadata={"import": result.report.counts()})),
               ("--report", args.report, result.report.to_csv))
    for option, path, content in outputs:
        if path is not None:
            try:
                path.write_bytes(content())
            except OSError as error:
                raise ValueError(f"{option} {path}: cannot be written ({error.strerror or error})") from None


def run_import(args) -> int:
    """Import ``args.file``; write the outputs; print the counts. Returns the exit status."""
    try:
        mapping = importers.parse_mapping(args.map)
        _check_outputs(args)
        name = dataset_name(args) if args.save else None
    except ValueError as error:
        return _fail(args.file, error)
    try:
        print(f"reading {args.file} ...", file=sys.stderr)
        result = importers.import_file(args.file, args.format, mapping, name or args.dataset, progress=_progress)
        _write_outputs(args, result)
    except ValueError as error:  # ReadError, NeedsMapping, bad mappings and unwritable outputs
        return _fail(args.file, error)
    except Exception as error:  # noqa: BLE001 - a user's file must never produce a traceback
        print(f"error: {args.file}: could not be imported ({type(error).__name__}: {error})", file=sys.stderr)
        return 3
    print(result.report.summary())
    return save(name, args.file, result) if args.save else 0


def _store_progress(done: int, total: int) -> None:
    _progress(f"saved {done:,} of {total:,} rows")


def save(name: str, file: Path, result) -> int:
    """Store the imported dataset under ``name`` with the file's name (never its folder); a
    clash, an empty import or a store that cannot be opened is one line and exit status 2."""
    try:
        rows = store.open_store().add_dataset(name, result.savable().incidents, names.file_label(file.name),
                                              result.report.layout, result.report.to_dict(),
                                              progress=_store_progress)
    except ValueError as error:  # StoreError, NothingImported and RecordsError are ValueErrors
        return _fail(name, f"not saved: {error}")
    print(f"saved {rows:,} rows as dataset {name!r}")
    return 0


def list_datasets() -> int:
    """Print the store's datasets: name, source file, format, import time, rows."""
    try:
        table = store.open_store().datasets()
    except store.StoreError as error:
        return _fail("datasets", error)
    print(table[["name", "source_file", "format", "imported_at", "rows"]].to_string(index=False))
    return 0


def check_figures(files: list[Path]) -> int:
    """Check each file of figure rows; one ``error:`` line per problem. Exit status 0 when every
    file is clean, else 2."""
    status = 0
    for path in files:
        try:
            rows, problems = figure_check.check_figures(path)
        except ValueError as error:
            status = _fail(path, error)
            continue
        for problem in problems:
            print(f"error: {path}: {problem}", file=sys.stderr)
        if problems:
            status = 2
        else:
            print(f"{path}: {rows:,} rows, no problems")
    return status


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``python -m geo``."""
    args = _parser().parse_args(argv)
    if args.command == "check-figures":
        return check_figures(args.files)
    return list_datasets() if args.command == "datasets" else run_import(args)


if __name__ == "__main__":
    sys.exit(main())
