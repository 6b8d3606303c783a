"""Delimited text (CSV, TSV, semicolon- or pipe-separated) -> rows of strings, numbered as read.

The shape is checked before any table is built: at most ``MAX_LINES`` lines of at most
``MAX_LINE_CHARS`` characters and a header of at most ``MAX_COLUMNS`` columns, so a 5 MB line of
commas is refused at once instead of becoming five million columns.

Records are read one physical line at a time, so the line each record starts on is known. A
quoted cell may span lines (notes often do), but a quote that never closes, that runs over more
than ``MAX_QUOTED_LINES`` lines, that leaves its row with the wrong number of fields, or whose
lines read as rows of their own (the header's width, a first field shaped like the row's) is a stray
quote: that row is rejected (still counted, its cells read without quoting) and reading starts
again on the next line, so the rows the quote would have swallowed are read as rows. A short row
is padded and reported (a warning); a row with more non-blank fields than the header is rejected;
a last row that the file ends in the middle of (no line end) was cut off and is rejected.
"""

import csv
import re

from geo.importers.errors import ReadError
from geo.importers.limits import MAX_COLUMNS, MAX_LINE_CHARS, MAX_LINES, MAX_QUOTED_LINES
from geo.importers.report import REJECTED, WARNING, ImportReport

DELIMITERS = ("\t", ",", ";", "|")
LINE_ENDS = ("\n", "\r")
# Characters str.splitlines() breaks at but a CSV reader does not.
OTHER_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
csv.field_size_limit(MAX_LINE_CHARS * (MAX_QUOTED_LINES + 1))


def _glued(pieces: list[str]) -> list[str]:
    # Rejoin pieces str.splitlines() cut at characters that do not end a CSV line.
    lines, current = [], ""
    for piece in pieces:
        current += piece
        if current.endswith(LINE_ENDS):
            lines.append(current)
            current = ""
    return [*lines, current] if current else lines


def physical_lines(text: str) -> list[str]:
    """The lines of ``text`` with their line ends (``\\n``, ``\\r\\n`` or ``\\r``); ReadError when
    there are more than ``MAX_LINES`` or one is longer than ``MAX_LINE_CHARS``."""
    count = text.count("\n") or text.count("\r")
    if count > MAX_LINES:
        raise ReadError(f"the file has {count:,} lines; at most {MAX_LINES:,} are read")
    lines = text.splitlines(keepends=True)
    if OTHER_BREAKS.search(text):
        lines = _glued(lines)
    lengths = list(map(len, lines))
    if lines and max(lengths) > MAX_LINE_CHARS:
        longest = lengths.index(max(lengths))
        raise ReadError(f"line {longest + 1:,} is {lengths[longest]:,} characters long; lines of at most "
                        f"{MAX_LINE_CHARS:,} characters are read (is this a table?)")
    return lines


class _Lines:
    """The physical lines, handed to csv.reader one at a time: ``next`` is the index of the line
    it gets next, and no record is given more than ``MAX_QUOTED_LINES + 1`` lines."""

    def __init__(self, lines: list[str]):
        self.lines, self.next, self.stop = lines, 0, 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.next >= min(len(self.lines), self.stop):
            raise StopIteration
        self.next += 1
        return self.lines[self.next - 1]


def _records(lines: list[str], delimiter: str):
    """``(first line, end line, fields)`` per record; ``send(line)`` restarts reading at that line."""
    source = _Lines(lines)
    reader = csv.reader(source, delimiter=delimiter)
    while source.next < len(lines):
        start = source.stop = source.next
        source.stop += MAX_QUOTED_LINES + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ReadError(f"line {start + 1:,} cannot be read as {_name(delimiter)}-separated text: {error}") \
                from None
        restart = yield start, source.next, fields
        if restart is not None:
            source.next, reader = restart, csv.reader(source, delimiter=delimiter)
            yield None  # the value of send()


def _name(delimiter: str) -> str:
    return {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}[delimiter]


def _closes(lines: list[str], delimiter: str) -> bool:
    """True when the quotes in ``lines`` open and close properly (strict CSV)."""
    try:
        list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error:
        return False
    return True


def _unquoted(line: str, delimiter: str) -> list[str]:
    """The fields of one line read with quotes as ordinary characters."""
    return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter, quoting=csv.QUOTE_NONE), []) or [""]


def _shape(cell: str) -> str:
    """``2024-02-03`` -> ``9-9-9``, ``PAK123`` -> ``a9``: what a column's values have in common."""
    return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d+", "9", cell.strip()))


def _swallows_rows(lines: list[str], width: int, delimiter: str) -> bool:
    """True when a line inside the record reads as a row of its own: the header's number of
    fields, and a first field shaped like the record's own (a date like a date, an id like an id)."""
    first = _shape(_unquoted(lines[0], delimiter)[0])
    for line in lines[1:]:
        fields = _unquoted(line, delimiter)
        if len(fields) == width and _shape(fields[0]) == first:
            return True
    return False


def _stray(lines: list[str], start: int, end: int, fields: list[str], width: int, delimiter: str) -> str:
    """Why the record on ``lines[start:end]`` has a stray quote ("" when it has none)."""
    span = end - start
    if span <= 1:
        return ""
    if span > MAX_QUOTED_LINES:
        return f"is not closed within {MAX_QUOTED_LINES} lines"
    if not _closes(lines[start:end], delimiter):
        return "is never closed" if end == len(lines) else f"is not closed properly within {span} lines"
    if len(fields) != width:
        return f"runs over {span} lines and leaves the row {len(fields)} fields instead of {width}"
    if _swallows_rows(lines[start:end], width, delimiter):
        return f"runs over {span} lines that read as rows of their own"
    return ""


def _stray_row(line: str, header: list[str], delimiter: str, why: str, number: int,
               report: ImportReport) -> list[str]:
    fields = _unquoted(line, delimiter)
    opened = next((i for i, f in enumerate(fields) if f.lstrip().startswith('"') and f.count('"') % 2), 0)
    column = header[opened] if opened < len(header) else ""
    report.add(number, REJECTED, column, fields[opened],
               f"a quote (\") opens this cell and {why}; row not imported, the lines after it are read as rows")
    return fields


def _fitted(fields: list[str], header: list[str], number: int, cut_off: bool, report: ImportReport) -> list[str]:
    width = len(header)
    if len(fields) > width:
        extra = sum(1 for cell in fields[width:] if cell.strip())
        if extra:
            report.add(number, REJECTED, "", f"{len(fields)} fields", f"row has {len(fields)} fields, the header "
                       f"{width}")
        return fields[:width]
    if len(fields) < width:
        missing = header[len(fields):]
        named = missing[0] if len(missing) == 1 else f"{missing[0]} … {missing[-1]}"
        if cut_off:
            report.add(number, REJECTED, named, f"{len(fields)} of {width} fields", "the file ends in the middle "
                       "of this row (it was cut off); row not imported")
        else:
            report.add(number, WARNING, named, f"{len(fields)} of {width} fields", "row is short; the missing "
                       "fields are read as empty")
        return fields + [""] * (width - len(fields))
    return fields


def _header(records, lines: list[str], delimiter: str) -> list[str]:
    for start, end, fields in records:
        if not any(cell.strip() for cell in fields):
            continue
        if len(fields) > MAX_COLUMNS:
            raise ReadError(f"the header row has {len(fields):,} columns; at most {MAX_COLUMNS:,} are read")
        if len(fields) < 2:
            raise ReadError("no delimited header row found (expected comma- or tab-separated columns)")
        if _stray(lines, start, end, fields, len(fields), delimiter):
            raise ReadError(f"a quote (\") in the header row (line {start + 1}) does not close on that line")
        return fields
    raise ReadError("the file is empty")


def delimiter_of(lines: list[str]) -> str:
    """The delimiter the first non-blank line uses most."""
    first = next((line for line in lines if line.strip()), "")
    return max(DELIMITERS, key=first.count)


def read_rows(text: str, report: ImportReport) -> tuple[list[str], list[list[str]]]:
    """``(header, rows)`` of a delimited text; every row has the header's width and row ``n``
    (1-based, blank lines not counted) is ``rows[n - 1]``."""
    lines = physical_lines(text)
    delimiter = delimiter_of(lines)
    records = _records(lines, delimiter)
    header, rows = _header(records, lines, delimiter), []
    ends_cleanly = lines[-1].endswith(LINE_ENDS)
    for start, end, fields in records:
        if not any(cell.strip() for cell in fields):
            continue
        number = len(rows) + 1
        why = _stray(lines, start, end, fields, len(header), delimiter)
        if why:
            fields, end = _stray_row(lines[start], header, delimiter, why, number, report), start + 1
            records.send(end)
        cut_off = end == len(lines) and not ends_cleanly
        rows.append(_fitted(fields, header, number, cut_off, report))
    return header, rows
