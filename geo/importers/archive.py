"""A zipped table: pick the one table in the archive and unpack it within the limits.

A zip may hold one table (CSV, TSV, GeoJSON; a ``.txt`` only when nothing else is there); an
archive with several is refused with their names, since silently importing the first would lose
the others. The member is unpacked in chunks and stopped as soon as it passes ``MAX_BYTES``,
``MAX_ZIP_RATIO`` times the archive's size or ``MAX_LINES`` lines, so a zip bomb (1 MB of zip,
1 GB of newlines) costs a fraction of a second instead of minutes and gigabytes. A damaged or
encrypted archive is one sentence, never a Python error.
"""

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from geo.importers.errors import ReadError
from geo.importers.limits import MAX_BYTES, MAX_LINES, MAX_ZIP_RATIO, MB, ZIP_RATIO_FREE_BYTES
from geo.importers.report import NOTE, ImportReport

TABLE_SUFFIXES = (".csv", ".tsv", ".geojson", ".json")
TEXT_SUFFIX = ".txt"
CHUNK = MB
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError)


def is_zip(data: bytes) -> bool:
    """True when ``data`` starts like a zip archive."""
    return data[:4] == b"PK\x03\x04"


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    def hidden(name: str) -> bool:
        return "__MACOSX" in name or PurePosixPath(name).name.startswith(".")

    return [info for info in archive.infolist() if not info.is_dir() and not hidden(info.filename)]


def _the_table(archive: zipfile.ZipFile, report: ImportReport) -> zipfile.ZipInfo:
    members = _members(archive)
    tables = [m for m in members if m.filename.lower().endswith(TABLE_SUFFIXES)]
    tables = tables or [m for m in members if m.filename.lower().endswith(TEXT_SUFFIX)]
    if not tables:
        raise ReadError("the zip archive holds no CSV, TSV or GeoJSON file")
    if len(tables) > 1:
        names = ", ".join(m.filename for m in tables[:5]) + (" ..." if len(tables) > 5 else "")
        raise ReadError(f"the zip archive holds {len(tables)} tables ({names}); zip or upload them one at "
                           "a time, so that each is imported and reported on its own")
    table = tables[0]
    others = [m.filename for m in members if m is not table]
    report.add(None, NOTE, "", table.filename, f"read {table.filename!r} from the zip archive"
               + (f"; not read: {', '.join(others)}" if others else ""))
    return table


def _limit(compressed: int) -> tuple[int, str]:
    by_ratio = max(ZIP_RATIO_FREE_BYTES, MAX_ZIP_RATIO * compressed)
    if by_ratio < MAX_BYTES:
        return by_ratio, (f"it unpacks to more than {MAX_ZIP_RATIO} times the archive's size (a zip bomb?); "
                          "unzip it and upload the table itself")
    return MAX_BYTES, f"it is larger than {MAX_BYTES // MB} MB once unpacked"


def _unpack(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int, why: str) -> bytearray:
    refused = f"{member.filename!r} in the zip archive was not read: "
    if member.file_size > limit:
        raise ReadError(refused + why)
    data, lines = bytearray(), 0
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            data += chunk
            lines += chunk.count(b"\n")
            if len(data) > limit:
                raise ReadError(refused + why)
            if lines > MAX_LINES:
                raise ReadError(refused + f"it has more than {MAX_LINES:,} lines")
    return data  # not bytes(data): that copy would double the peak memory


def unzip(data: bytes, report: ImportReport) -> tuple[bytearray, str]:
    """``(bytes, name)`` of the one table in the zip ``data``; ReadError (a sentence) if none."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            member = _the_table(archive, report)
            return _unpack(archive, member, *_limit(len(data))), member.filename
    except RuntimeError as error:  # zipfile's word for an encrypted member
        raise ReadError(f"the zip archive cannot be read: {error}") from None
    except NotImplementedError as error:
        raise ReadError(f"the zip archive uses a compression this importer cannot unpack ({error})") from None
    except DAMAGED as error:
        raise ReadError(f"the zip archive is damaged or incomplete (was the download cut short?): {error}") \
            from None
