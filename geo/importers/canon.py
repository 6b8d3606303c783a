"""Lookup tables (data, not if-chains) that turn imported values into the atlas's canonical ones:
perpetrator names, country names and codes, and the box each atlas country fits in (used to
spot latitude and longitude written the wrong way round)."""

import re

# Checked in order; the first pattern found in the raw attribution wins.
PERPETRATOR_PATTERNS = (
    (r"\bTTP\b|Tehri[kc]-?[ei]?-?\s*Taliban Pakistan|Taliban \(Pakistan\)|Pakistani Taliban", "TTP"),
    (r"\bBLA\b|Baloch(istan)? Liberation Army", "BLA"),
    (r"\bBLF\b|Baloch(istan)? Liberation Front", "BLF"),
    (r"\bIS-?K\b|ISKP|Khorasan|Islamic State", "IS-K"),
    (r"Gul Bahadur", "Hafiz Gul Bahadur group"),
    (r"Jaish al-Fursan", "Jaish al-Fursan"),
    (r"Jaish al-Adl|Jaish ul-Adl|Jundallah \(Iran\)", "Jaish al-Adl"),
    (r"(Military|Police) Forces of Pakistan|Government of Pakistan|Pakistan military", "Pakistan military"),
    (r"Military Forces of (the )?United States|Government of United States|\bUS drone", "United States"),
    (r"Military Forces of Iran|Government of Iran", "Iran"),
    (r"Military Forces of India|Government of India", "India"),
    (r"Afghan Taliban|Islamic Emirate of Afghanistan|Government of Afghanistan", "Afghan Taliban"),
)
PERPETRATOR_REGEX = [(re.compile(p, re.IGNORECASE), name) for p, name in PERPETRATOR_PATTERNS]

COUNTRY_NAMES = {
    "pakistan": "PK", "afghanistan": "AF", "iran": "IR", "india": "IN", "china": "CN",
    "pk": "PK", "pak": "PK", "af": "AF", "afg": "AF", "ir": "IR", "irn": "IR", "in": "IN", "ind": "IN",
    "cn": "CN", "chn": "CN", "586": "PK", "4": "AF", "364": "IR", "356": "IN", "156": "CN",
    "united states": "US", "us": "US", "usa": "US",
}
GLEDITSCH_WARD = {"770": "PK", "700": "AF", "630": "IR", "750": "IN", "710": "CN", "2": "US"}
GTD_COUNTRIES = {"153": "PK", "4": "AF", "94": "IR", "92": "IN", "44": "CN", "217": "US"}

# (min lon, min lat, max lon, max lat), generous by a few tenths of a degree.
COUNTRY_BOXES = {
    "PK": (60.5, 23.5, 77.9, 37.2),
    "AF": (60.4, 29.3, 75.0, 38.6),
    "IR": (44.0, 25.0, 63.4, 39.8),
    "IN": (68.0, 6.5, 97.5, 35.7),
    "CN": (73.5, 18.0, 135.1, 53.6),
}


def perpetrator(raw) -> str:
    """The canonical perpetrator for a raw attribution (``unknown`` when nothing matches)."""
    if raw is None or raw != raw:
        return "unknown"
    for pattern, name in PERPETRATOR_REGEX:
        if pattern.search(str(raw)):
            return name
    return "unknown"


def country_code(value) -> str | None:
    """ISO alpha-2 code for a country name, ISO code or ISO numeric code; None if unknown."""
    if value is None or value != value:
        return None
    return COUNTRY_NAMES.get(str(value).strip().casefold())
