"""Bytes -> text for the importers: UTF-8, UTF-16, cp1252 and latin-1, and mixtures of them.

A file that is valid UTF-8 (with or without a byte-order mark) is read as UTF-8. UTF-16 (what
Excel saves as "Unicode text") is recognised by its byte-order mark or by the zero bytes every
other byte of ASCII text has. Anything else is decoded line by line: a line that is valid UTF-8
stays UTF-8, the others are cp1252 (latin-1 for the five bytes cp1252 leaves undefined), so a
file pasted together from a UTF-8 and a latin-1 source keeps both halves readable, and the note
names the lines that were not UTF-8. C1 control characters (cp1252 quotes mis-decoded as latin-1
somewhere upstream) become the characters cp1252 meant.
"""

import codecs
import re

from geo.importers.errors import ReadError
from geo.importers.report import NOTE, ImportReport

SAMPLE = 8192
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
C1 = re.compile("[\x80-\x9f]")
SHOWN_LINES = 10


def _utf16(data: bytes) -> str | None:
    """The UTF-16 codec ``data`` is written in, or None."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = data[:SAMPLE]
    odd, even = sample[1::2], sample[0::2]
    if len(sample) >= 4 and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(sample) >= 4 and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _single_byte(line: bytes) -> tuple[str, str]:
    try:
        return line.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return line.decode("latin-1"), "latin-1"


def _line_by_line(data: bytes, report: ImportReport) -> str:
    if not UTF8_MULTIBYTE.search(data):  # no UTF-8 anywhere: one single-byte encoding throughout
        text, encoding = _single_byte(data)
        report.add(None, NOTE, "", encoding, f"the file is not UTF-8; decoded as {encoding}")
        return text
    lines, other = data.split(b"\n"), []
    for number, line in enumerate(lines):
        try:
            lines[number] = line.decode("utf-8")
        except UnicodeDecodeError:
            lines[number] = _single_byte(line)[0]
            other.append(number + 1)
    shown = ", ".join(map(str, other[:SHOWN_LINES])) + (" ..." if len(other) > SHOWN_LINES else "")
    lines_are = "line is" if len(other) == 1 else "lines are"
    report.add(None, NOTE, "", f"lines {shown}", f"{len(other):,} {lines_are} not UTF-8 and decoded as cp1252 "
               "(Windows Western); the other lines are UTF-8")
    return "\n".join(lines).removeprefix("\ufeff")


def decode(data: bytes, report: ImportReport) -> str:
    """The text of ``data``; ReadError when it is binary, not text."""
    codec = _utf16(data)
    if codec:
        try:
            text = data.decode(codec).removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise ReadError("the file looks like UTF-16 text but is not valid UTF-16") from None
        report.add(None, NOTE, "", "UTF-16", "the file is UTF-16 (Excel's \"Unicode text\"); decoded as such")
    elif b"\x00" in data[:SAMPLE]:
        raise ReadError("this is a binary file, not a text table (was it renamed to .csv?)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _line_by_line(data, report)
    if C1.search(text):
        text = C1.sub(lambda m: m[0].encode("latin-1").decode("cp1252", "replace"), text)
        report.add(None, NOTE, "", "", "C1 control characters (mis-decoded cp1252 quotes) replaced")
    return text
