"""Robust reading: bytes of a CSV, TSV, zipped table or GeoJSON -> a table of strings.

Real files arrive in cp1252, latin-1, UTF-16 or a mixture (``decode``), zipped (``archive``),
with a byte-order mark (sometimes mangled into ``ï..`` by R), stray quotes and ragged rows
(``delimited``), an unnamed R index column, ``NA`` strings and blank or duplicate header names.
``read_table`` repairs what it can, says what it did in the report, and raises ``ReadError``
(one readable sentence) when the bytes are not a table at all or exceed a limit (``limits``).
The returned frame is indexed by the 1-based data row of the source file so every later problem
names that row. Cells are cleaned for the whole table at once, not column by column, so a file
of a thousand columns costs no more than one of a thousand rows.
"""

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.importers import archive, delimited, geojson
from geo.importers.decode import decode
from geo.importers.errors import ReadError
from geo.importers.limits import MAX_BYTES, MB
from geo.importers.report import NOTE, ImportReport

__all__ = ["MISSING", "ReadError", "drop_missing_spellings", "normalise_cells", "read_table"]
MISSING = {"", "na", "n/a", "nan", "null", "none", "-", "--"}
JSON_SUFFIXES = (".geojson", ".json")
BOM_JUNK = re.compile(r"^(\ufeff|ï»¿|ï\.\.|ï\.|\.\.)")
JSON_START = re.compile(r"\s*\{")


def _clean_headers(names: list[str]) -> list[str]:
    cleaned, seen = [], {}
    for position, name in enumerate(names, 1):
        text = BOM_JUNK.sub("", str(name)).strip() or f"column_{position}"
        seen[text] = seen.get(text, 0) + 1
        cleaned.append(text if seen[text] == 1 else f"{text}_{seen[text]}")
    return cleaned


def _cleaned(frame: pd.DataFrame, missing: set[str]) -> pd.DataFrame:
    """Every cell stripped, and None where it is blank or (in lower case) in ``missing``: one
    pass of Arrow's string kernels over all cells (they strip exactly what ``str.strip`` does)."""
    if frame.empty:
        return frame
    cells = pa.array(frame.to_numpy(dtype=object).ravel(), type=pa.string(), from_pandas=True)  # NaN -> null
    text = pc.utf8_trim_whitespace(cells)
    gone = pc.is_in(pc.utf8_lower(text), value_set=pa.array(sorted(missing)))
    values = pc.if_else(gone, None, text).to_numpy(zero_copy_only=False).reshape(frame.shape)
    return pd.DataFrame(values, index=frame.index, columns=frame.columns, dtype=object)


def normalise_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip cells and turn blank ones into None (what every layout means by an empty cell)."""
    return _cleaned(frame, {""})


def drop_missing_spellings(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn NA spellings (``NA``, ``N/A``, ``nan``, ``null``, ``-`` ...) into None.

    For third-party layouts only: the atlas's own CSV writes a missing value as a blank cell,
    so in a native file "NULL" or "-" is text someone wrote and is kept.
    """
    return _cleaned(frame, MISSING)


def _drop_r_index(frame: pd.DataFrame, first_header: str, report: ImportReport) -> pd.DataFrame:
    if first_header.strip() or frame.empty:
        return frame
    first = frame.columns[0]
    if frame[first].fillna("").str.fullmatch(r"\d+").all():
        report.add(None, NOTE, first, "", "unnamed first column of row numbers (R index) dropped")
        return frame.drop(columns=first)
    return frame


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def parse_csv(text: str, report: ImportReport) -> pd.DataFrame:
    """A CSV/TSV text as a frame of stripped strings (missing = None), index = data row."""
    header, rows = delimited.read_rows(text, report)
    frame = _numbered(pd.DataFrame(rows, columns=_clean_headers(header), dtype=object))
    return _drop_r_index(normalise_cells(frame), header[0], report)


def parse_geojson(text: str, report: ImportReport) -> pd.DataFrame:
    """A GeoJSON FeatureCollection as a frame of its properties plus ``_lon``/``_lat`` from
    Point geometries; other geometry types are rejected row by row."""
    frame = pd.DataFrame.from_records(geojson.read_records(text, report))
    frame.columns = _clean_headers(list(frame.columns))
    return _numbered(normalise_cells(frame))


def _is_json(text: str, name: str) -> bool:
    return bool(JSON_START.match(text)) or name.lower().endswith(JSON_SUFFIXES)


def read_table(data: bytes, name: str, report: ImportReport) -> pd.DataFrame:
    """The table in ``data`` (file ``name``), index = 1-based source row; ReadError if none."""
    if len(data) > MAX_BYTES:
        raise ReadError(f"the file is larger than {MAX_BYTES // MB} MB")
    if not data or data.isspace():
        raise ReadError("the file is empty")
    if archive.is_zip(data):
        data, name = archive.unzip(data, report)
        if not data or data.isspace():
            raise ReadError(f"{name!r} in the zip archive is empty")
    text = decode(data, report)
    del data  # a zip member's bytes are no longer needed once decoded
    frame = parse_geojson(text, report) if _is_json(text, name) else parse_csv(text, report)
    if frame.empty:
        raise ReadError("the file has a header but no data rows")
    return frame
