"""The limits on what an import reads, so that one upload cannot hold the server for minutes.

Each limit is checked before the expensive step it protects: a zip member is unpacked in chunks
and stopped at the limit, lines and columns are counted before any table is built. A file beyond
a limit is refused with one sentence that names it. The values are far above any real incident
file: GTD's Pakistan extract is 16 MB and 138 columns, ACLED exports about 30 columns, UCDP GED 49.
"""

MB = 2**20

MAX_BYTES = 200 * MB  # the file, and the file inside a zip once unpacked
MAX_ZIP_RATIO = 100  # a zip may unpack to at most this many times its size ...
ZIP_RATIO_FREE_BYTES = 10 * MB  # ... once it has unpacked more than this
MAX_LINES = 5_000_000  # lines of a CSV or TSV file (features of a GeoJSON file)
MAX_LINE_CHARS = 1_000_000  # characters in one line of a CSV or TSV file
MAX_COLUMNS = 1_000  # columns of a table, properties of a GeoJSON file
MAX_QUOTED_LINES = 100  # a quoted cell spanning more lines has a stray quote (UCDP GED notes: up to 29)
