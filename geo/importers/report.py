"""The import report: how many rows were read, imported, fixed and rejected, and why.

Every fixed or rejected row is listed with its row number in the source file (1-based data row,
header not counted), the column, the value and the reason, so a user can correct the file in one
pass. The invariant ``read == imported + rejected`` always holds: no row is dropped silently, and
a row outside the atlas's geographic scope is a rejected row whose reason says so.
"""

from dataclasses import asdict, dataclass, field

import pandas as pd

from geo import export

FIXED, REJECTED, WARNING, NOTE = "fixed", "rejected", "warning", "note"
OUT_OF_SCOPE = "out of scope"  # how the reason of a row outside the atlas's scope starts (importers.scope)
COLUMNS = ["row", "action", "column", "value", "reason"]
COUNT_NAMES = ("read", "imported", "fixed", "rejected")
MAX_VALUE_CHARS = 200  # a 100,000-character cell is reported, not echoed in full


@dataclass(frozen=True)
class Entry:
    """One line of the report. ``row`` is None for a note about the whole file."""

    row: int | None
    action: str
    column: str
    value: str
    reason: str


def _short(value) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + f"… ({len(text)} characters)"


@dataclass
class ImportReport:
    """Counts and entries of one import; ``entries`` holds fixes, rejections, warnings, notes."""

    source: str
    layout: str = ""
    read: int = 0
    entries: list[Entry] = field(default_factory=list)

    def add(self, row, action: str, column: str, value, reason: str) -> None:
        """Record one entry (the value is shortened for display)."""
        self.entries.append(Entry(None if row is None else int(row), action, column, _short(value), reason))

    def add_rows(self, rows, action: str, column: str, values, reason: str) -> None:
        """Record the same reason for many rows at once (``rows`` and ``values`` align)."""
        for row, value in zip(rows, values, strict=True):
            self.add(row, action, column, value, reason)

    def rows_with(self, action: str) -> set[int]:
        """The source rows that have at least one entry of ``action``."""
        return {e.row for e in self.entries if e.action == action and e.row is not None}

    @property
    def rejected(self) -> int:
        """Rows not imported."""
        return len(self.rows_with(REJECTED))

    @property
    def imported(self) -> int:
        """Rows imported (read minus rejected)."""
        return self.read - self.rejected

    @property
    def out_of_scope(self) -> int:
        """Rejected rows that lie outside the atlas's geographic scope (see ``importers.scope``)."""
        return len({e.row for e in self.entries if e.action == REJECTED and e.reason.startswith(OUT_OF_SCOPE)})

    @property
    def fixed(self) -> int:
        """Imported rows in which at least one value was corrected."""
        return len(self.rows_with(FIXED) - self.rows_with(REJECTED))

    def counts(self) -> dict[str, int]:
        """``{"read", "imported", "fixed", "rejected"}``."""
        return {"read": self.read, "imported": self.imported, "fixed": self.fixed, "rejected": self.rejected}

    def summary(self) -> str:
        """One line for people: ``read 10, imported 9, fixed 2, rejected 1 (layout gtd)``."""
        counts = ", ".join(f"{k} {v}" for k, v in self.counts().items())
        scope = f" ({self.out_of_scope} of them out of scope)" if self.out_of_scope else ""
        return f"{self.source}: {counts}{scope} (layout {self.layout or 'unknown'})"

    def to_frame(self) -> pd.DataFrame:
        """The entries as a table (row, action, column, value, reason), file notes first."""
        frame = pd.DataFrame([e.__dict__ for e in self.entries], columns=COLUMNS)
        frame["row"] = frame["row"].astype("Int64")
        return frame.sort_values("row", kind="stable", na_position="first").reset_index(drop=True)

    def to_dict(self) -> dict:
        """The whole report as JSON-ready values (source, layout, counts, every entry): the form
        the store keeps, so the Data page shows the same report after a restart."""
        return {"source": self.source, "layout": self.layout, "counts": self.counts(),
                "entries": [asdict(entry) for entry in self.entries]}

    @classmethod
    def from_dict(cls, stored: dict) -> "ImportReport":
        """The report a stored dict describes (no entries when only counts were stored)."""
        entries = [Entry(**{k: entry.get(k) for k in COLUMNS}) for entry in stored.get("entries", [])]
        return cls(source=str(stored.get("source", "")), layout=str(stored.get("layout", "")),
                   read=counts_of(stored).get("read", 0), entries=entries)

    def to_csv(self) -> bytes:
        """The entries as CSV (formula-like cells neutralised by ``geo.export.to_csv``)."""
        return export.to_csv(self.to_frame(), COLUMNS)


def counts_of(stored: dict) -> dict[str, int]:
    """``{read, imported, fixed, rejected}`` of a stored report: ``to_dict``'s, or the bare counts
    ``python -m geo import --save`` kept in older stores."""
    counts = stored.get("counts", stored)
    return {name: int(counts[name]) for name in COUNT_NAMES if name in counts}
