"""Choose the adapter for a table by its header names, never by the file name.

Layouts are tried from the most specific to the least: the atlas's own columns, UCDP GED, ACLED,
GTD, the Kaggle files, then the generic adapter, which fits any table whose date and location
columns it can find. ``choose`` raises ``NeedsMapping`` when even the generic adapter is unsure.
"""

from geo.importers import acled, ged, generic, gtd, kaggle, native, parse
from geo.importers.base import Adapter

ADAPTERS = {
    "native": Adapter("native", native.matches, native.to_draft, "Atlas CSV / GeoJSON (schema columns)"),
    "ged": Adapter("ged", ged.matches, ged.to_draft, "UCDP GED"),
    "acled": Adapter("acled", acled.matches, acled.to_draft, "ACLED export"),
    "gtd": Adapter("gtd", gtd.matches, gtd.to_draft, "Global Terrorism Database"),
    "kaggle": Adapter("kaggle", kaggle.matches, kaggle.to_draft, "Kaggle Pakistan suicide / drone attacks"),
    "generic": Adapter("generic", generic.matches, generic.to_draft, "Other table (columns found by name)"),
}
FORMATS = ("auto", *ADAPTERS)


def detect(columns: list[str]) -> str | None:
    """The name of the first layout whose header test passes, or None when none does."""
    keys = {parse.key(c) for c in columns}
    return next((name for name, adapter in ADAPTERS.items() if adapter.matches(keys)), None)


def choose(columns: list[str], layout: str = "auto", mapping: dict | None = None) -> Adapter:
    """The adapter to use: the one asked for, the generic one when a mapping is given, else the
    detected one. ``NeedsMapping`` when no layout fits and no mapping says where things are."""
    if layout not in FORMATS:
        raise ValueError(f"unknown format {layout!r}; choose one of {', '.join(FORMATS)}")
    if layout != "auto":
        return ADAPTERS[layout]
    if mapping:
        return ADAPTERS["generic"]
    name = detect(columns)
    if name is None:
        found = generic.resolve(columns)
        raise generic.NeedsMapping(generic.missing_roles(found), columns)
    return ADAPTERS[name]
