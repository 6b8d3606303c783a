"""Robust reading: bytes of a CSV, TSV, zipped CSV or GeoJSON -> a table of strings.

Real files arrive in cp1252 or latin-1, with a byte-order mark (sometimes mangled into ``ï..``
by R), with ragged rows, an unnamed R index column, ``NA`` strings and blank or duplicate header
names. ``read_table`` repairs what it can, says what it did in the report's notes, and raises
``ReadError`` (one readable sentence) when the bytes are not a table at all. The returned frame
is indexed by the 1-based data row of the source file so every later problem names that row.
"""

import csv
import io
import re
import zipfile

import orjson
import pandas as pd

from geo.importers.report import NOTE, REJECTED, ImportReport

MISSING = {"", "na", "n/a", "nan", "null", "none", "-", "--"}
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".geojson", ".json")
BOM_JUNK = re.compile(r"^(\ufeff|ï»¿|ï\.\.|ï\.|\.\.)")
csv.field_size_limit(10_000_000)


class ReadError(ValueError):
    """The file could not be read as a table (empty, binary, unknown layout ...)."""


def _unzip(data: bytes, report: ImportReport) -> tuple[bytes, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith(TABLE_SUFFIXES) and "__MACOSX" not in n]
        if not names:
            raise ReadError("the zip archive holds no CSV, TSV or GeoJSON file")
        report.add(None, NOTE, "", names[0], f"read {names[0]!r} from the zip archive")
        return archive.read(names[0]), names[0]


def decode(data: bytes, report: ImportReport) -> str:
    """Text of ``data``: UTF-8 (with or without BOM), else cp1252, else latin-1; C1 controls
    left by a cp1252 file mis-decoded as latin-1 become the characters cp1252 meant."""
    if b"\x00" in data[:8192]:
        raise ReadError("this is a binary file, not a text table (was it renamed to .csv?)")
    try:
        text, encoding = data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    if encoding != "UTF-8":
        report.add(None, NOTE, "", encoding, f"the file is not UTF-8; decoded as {encoding}")
    if re.search("[\x80-\x9f]", text):
        text = re.sub("[\x80-\x9f]", lambda m: m[0].encode("latin-1").decode("cp1252", "replace"), text)
        report.add(None, NOTE, "", "", "C1 control characters (mis-decoded cp1252 quotes) replaced")
    return text


def _clean_headers(names: list[str]) -> list[str]:
    cleaned, seen = [], {}
    for position, name in enumerate(names, 1):
        text = BOM_JUNK.sub("", str(name)).strip() or f"column_{position}"
        seen[text] = seen.get(text, 0) + 1
        cleaned.append(text if seen[text] == 1 else f"{text}_{seen[text]}")
    return cleaned


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max(("\t", ",", ";", "|"), key=header.count)


def _rectangular(rows: list[list[str]], width: int, report: ImportReport) -> list[list[str]]:
    out = []
    for number, row in enumerate(rows, 1):
        if len(row) != width:
            extra = [c for c in row[width:] if c.strip()]
            if extra:
                report.add(number, REJECTED, "", f"{len(row)} fields", f"row has {len(row)} fields, the header {width}")
            row = (row + [""] * width)[:width]
        out.append(row)
    return out


def parse_csv(text: str, report: ImportReport) -> pd.DataFrame:
    """A CSV/TSV text as a frame of stripped strings (missing = None), index = data row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise ReadError("the file is empty")
    header, body = rows[0], rows[1:]
    if len(header) < 2:
        raise ReadError("no delimited header row found (expected comma- or tab-separated columns)")
    frame = pd.DataFrame(_rectangular(body, len(header), report), columns=_clean_headers(header), dtype=object)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return _drop_r_index(normalise_cells(frame), header[0], report)


def _cleaned(frame: pd.DataFrame, missing: set[str]) -> pd.DataFrame:
    def clean(column: pd.Series) -> pd.Series:
        text = column.astype("string").str.strip()
        return text.mask(text.str.casefold().isin(missing)).astype(object).where(text.notna(), None)

    return frame.apply(clean) if len(frame) else frame


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


def parse_geojson(text: str, report: ImportReport) -> pd.DataFrame:
    """A GeoJSON FeatureCollection as a frame of its properties plus ``_lon``/``_lat`` from
    Point geometries; other geometry types are rejected row by row."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise ReadError(f"not valid JSON: {error}") from None
    features = data.get("features") if isinstance(data, dict) else None
    if data.get("type") == "Feature":
        features = [data]
    if not isinstance(features, list):
        raise ReadError("a GeoJSON FeatureCollection was expected")
    records = []
    for number, feature in enumerate(features, 1):
        geometry = (feature or {}).get("geometry") or {}
        props = dict((feature or {}).get("properties") or {})
        coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        if geometry and geometry.get("type") != "Point":
            report.add(number, REJECTED, "geometry", geometry.get("type"), "only Point features can be imported")
        if isinstance(coords, list) and len(coords) >= 2:
            props["_lon"], props["_lat"] = coords[0], coords[1]
        records.append({k: None if v is None else str(v) for k, v in props.items()})
    frame = pd.DataFrame.from_records(records)
    frame.columns = _clean_headers(list(frame.columns))
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return normalise_cells(frame)


def read_table(data: bytes, name: str, report: ImportReport) -> pd.DataFrame:
    """The table in ``data`` (file ``name``), index = 1-based source row; ReadError if none."""
    if not data or not data.strip():
        raise ReadError("the file is empty")
    if data[:4] == b"PK\x03\x04":
        data, name = _unzip(data, report)
    text = decode(data, report)
    stripped = text.lstrip()
    frame = parse_geojson(stripped, report) if stripped.startswith("{") else parse_csv(text, report)
    if frame.empty:
        raise ReadError("the file has a header but no data rows")
    return frame
