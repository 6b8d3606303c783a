"""Map the many spellings of Pakistan's provinces to canonical ISO 3166-2 ids.

The aliases are data (``geo/aliases.csv``), not if-chains. Matching ignores case, surrounding
spaces and repeated inner spaces. A name that matches no alias is reported by the caller, never
dropped or guessed.
"""

import csv
from functools import lru_cache

from geo import paths
from geo.schema import PROVINCE_NAMES


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


@lru_cache(maxsize=1)
def alias_table() -> dict[str, str]:
    """The alias table as ``{normalised alias: region id}``, read once from ``geo/aliases.csv``."""
    with open(paths.ALIASES, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = {_key(row["alias"]): row["region_id"] for row in rows}
    unknown = {rid for rid in table.values() if rid not in PROVINCE_NAMES}
    if unknown:
        raise ValueError(f"{paths.ALIASES}: region ids not in PROVINCE_NAMES: {sorted(unknown)}")
    return table


def province_id(name: str | None) -> str | None:
    """The canonical province id for ``name`` (any known spelling), or None if it is unknown.

    A canonical id passed in (``"PK-KP"``) is returned as it is.
    """
    if name is None:
        return None
    text = str(name).strip()
    if text in PROVINCE_NAMES:
        return text
    return alias_table().get(_key(text))
