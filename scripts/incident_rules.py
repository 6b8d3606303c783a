"""How a row of the reference compilation becomes a row of data/incidents.csv: the vocabulary
tables, the per-record decisions (scripts/incident_*.csv), casualty parsing and geocoding
against data/gazetteer.csv. Used by scripts/build_records.py."""

import math
import re
import unicodedata

import pandas as pd

from geo import harmonize, schema
from scripts import decisions, gazetteer

COUNTRY_CODES = {
    "Pakistan": "PK",
    "Pakistan (Pakistan-administered Kashmir)": "PK",
    "Afghanistan": "AF",
    "Iran": "IR",
    # The 11/12 Oct 2025 clashes ran along both sides of the border; ISPR reported them from
    # Pakistani posts, so the row is filed under Pakistan with no point and no single province.
    "Pakistan / Afghanistan": "PK",
}
NO_SINGLE_PROVINCE = {"Khyber Pakhtunkhwa / Balochistan (and Afghan border provinces)"}

# First matching prefix of the compiled perpetrator text wins (order matters).
PERPETRATOR_PREFIXES = (
    ("DISPUTED", "disputed"),
    ("Hafiz Gul Bahadur group / Aswad al-Harb", "disputed"),  # competing claims
    ("suicide bomber; TTP claim reported", "disputed"),  # claim reported, denied elsewhere
    ("Hafiz Gul Bahadur group", "Hafiz Gul Bahadur group"),
    ("Jaish-e-Fursan", "Jaish al-Fursan"),
    ("Jaish al-Fursan", "Jaish al-Fursan"),
    ("BLA", "BLA"),
    ("TTP", "TTP"),
    ("Pakistan military", "Pakistan military"),
    ("Pakistan security forces", "Pakistan military"),
    ("Pakistan (", "Pakistan military"),
    ("Iran", "Iran"),
    ("India", "India"),
    ("Afghan Taliban", "Afghan Taliban"),
    ("unknown", "unknown"),
    ("suicide bomber", "unknown"),
    ("militants attempting", "unknown"),
    ("VBIED", "unknown"),
)
ORIGIN_OF = {"Pakistan military": "PK", "Iran": "IR", "India": "IN", "Afghan Taliban": "AF"}

STATUS_OF = {
    "confirmed": "confirmed",
    "confirmed_single_source": "single_source",
    "partially_confirmed": "partly_confirmed",
    "confirmed_aggregate": "aggregate",
    "confirmed_event_disputed_cause": "disputed",
}

POINT_PRECISION = {
    "site": "site",
    "town": "town",
    "nearest_town_proxy": "town",
    "city_centre_proxy": "town",
    "district_proxy": "district",
}
PRECISION_REMARK = {
    "nearest_town_proxy": " [point is the nearest town, not the site]",
    "city_centre_proxy": " [point is the city centre, not the site]",
    "district_proxy": " [town used as a stand-in for the district]",
}

# Sentences about pending geocoding are stale once location_precision/location_source say
# how the row was placed.
STALE_NOTE = re.compile(r"\s*Coordinates (?:are )?to be geocoded[^.]*(?:\.[^ ]*)?\.?")

# Incidents: dates known only roughly; town names to look up for rows marked to_be_geocoded
# (taken from the row's own place text); compiler notes that quoted a source, in our words.
DATE_PRECISION = {k: r["date_precision"] for k, r in decisions.load("incident_dates.csv", "id").items()}
GEOCODE_NAMES = {k: tuple(filter(None, r["town_names"].split(" | ")))
                 for k, r in decisions.load("incident_places.csv", "id").items()}
NOTE_REWRITES = {k: r["note"] for k, r in decisions.load("incident_notes.csv", "id").items()}


def parse_count(text: str) -> tuple[int | None, int | None]:
    """Compiled casualty text -> (low, high). "3-4" -> (3, 4); "37+" -> (37, 37); "4 security +
    10 attackers" -> (14, 14); a labelled claim, "several" or an empty cell -> (None, None)."""
    options = [a for a in str(text).split(" / ") if a.strip() and "claim" not in a.lower()]
    if len(options) != 1:
        return None, None
    terms = re.split(r"\s\+\s", re.sub(r"\(.*?\)", "", options[0]).strip())
    matches = [re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?\+?(?:\s+[A-Za-z][\w .]*)?", t.strip())
               for t in terms]
    if not all(matches):
        return None, None
    low = sum(int(m[1]) for m in matches)
    return low, sum(int(m[2] or m[1]) for m in matches)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def canonical_perpetrator(raw: str) -> str:
    """The canonical perpetrator for the compiled text; KeyError if no prefix matches."""
    for prefix, name in PERPETRATOR_PREFIXES:
        if raw.startswith(prefix):
            return name
    raise KeyError(f"no canonical perpetrator for {raw!r}: add a prefix to PERPETRATOR_PREFIXES")


def _place(row, gaz, province_id) -> tuple[str, str, str, str]:
    """(lon, lat, location_precision, location_source) for one reference row."""
    kind = row["coord_precision"]
    if kind in POINT_PRECISION:
        source = row["coord_source"] + PRECISION_REMARK.get(kind, "")
        return row["longitude"], row["latitude"], POINT_PRECISION[kind], source
    if kind == "to_be_geocoded":
        placed = _geocode(row, gaz, province_id)
        if placed:
            return placed
        reason = "not placed: no named town or district seat found in data/gazetteer.csv"
    else:
        reason = "not placed: no single locality reported (district-level or multi-site event)"
    return "", "", "province" if row["province"] not in NO_SINGLE_PROVINCE else "none", reason


def _same_district(place: pd.Series, district: str) -> bool:
    # A town of the same name elsewhere in the province must not be taken for the right one.
    if not place["admin2"]:
        return True
    words = set(re.findall(r"[a-z]+", district.lower())) - {"district", "agency"}
    folded = unicodedata.normalize("NFKD", place["admin2"]).encode("ascii", "ignore").decode()
    return bool(words & set(re.findall(r"[a-z]+", folded.lower())))


def _geocode(row, gaz, province_id) -> tuple[str, str, str, str] | None:
    country = COUNTRY_CODES[row["country"]]
    admin1 = province_id or (row["province"] if country != "PK" else None)
    for name in GEOCODE_NAMES.get(row["id"], ()):
        hit = gazetteer.lookup(name, country, admin1, gazetteer=gaz)
        if hit is not None and _same_district(hit, row["district"]):
            source = (f"GeoNames via data/gazetteer.csv: {hit['name']} (looked up as {name})"
                      " [town named in the place description; the site itself is not placed]")
            return _coord(hit["lon"]), _coord(hit["lat"]), "town", source
    seat = gazetteer.district_seat(row["district"], province_id, gazetteer=gaz) if (
        country == "PK") else None
    if seat is None:
        return None
    source = f"GeoNames via data/gazetteer.csv: {seat['name']} (seat of {row['district']} district)"
    return _coord(seat["lon"]), _coord(seat["lat"]), "district", source


def _coord(value: float) -> str:
    return f"{value:.5f}"


def _notes(row) -> str:
    note = NOTE_REWRITES.get(row["id"]) or STALE_NOTE.sub("", row["notes"]).strip()
    detail = [f"{label} {row[col]}" for label, col in
              (("civilians", "killed_civilians"), ("security", "killed_security"),
               ("militants", "killed_militants"), ("injured", "injured"))
              if row[col] and not row[col].isdigit()]
    if detail:
        note += " Casualty detail as compiled: " + "; ".join(detail) + "."
    return note


def _casualties(row) -> dict:
    killed = {f"killed_{k}": _text(parse_count(row[f"killed_{k}"])[0])
              for k in ("civilians", "security", "militants")}
    low, high = parse_count(row["injured"])
    return {
        "killed_low": row["killed_low"],
        "killed_high": row["killed_high"],
        "killed": row["killed_low"],  # the conservative figure; empty when unknown
        **killed,
        "injured_low": _text(low),
        "injured_high": _text(high),
        "injured": _text(low),
    }


def incident_record(row, gaz, report: list[str]) -> dict:
    """One data/incidents.csv row (strings) from one reference row."""
    country = COUNTRY_CODES[row["country"]]
    province_id = harmonize.province_id(row["province"]) if country == "PK" else None
    if row["province"] in NO_SINGLE_PROVINCE:
        report.append(f"{row['id']}: spans several provinces; province_id left empty")
    elif country == "PK" and province_id is None:
        report.append(f"{row['id']}: province {row['province']!r} matches no alias; kept, "
                      "province_id left empty")
    lon, lat, precision, location_source = _place(row, gaz, province_id)
    perpetrator = canonical_perpetrator(row["perpetrator"])
    cross_border = row["event_type"] == "cross_border_strike"
    return {
        "id": row["id"],
        "occurred_on": row["date"],
        "date_precision": DATE_PRECISION.get(row["id"], "day"),
        "place": row["place"],
        "district": row["district"],
        "province": row["province"],
        "province_id": province_id or "",
        "country": country,
        "lon": lon,
        "lat": lat,
        "location_precision": precision,
        "location_source": location_source,
        "event_type": row["event_type"],
        "perpetrator": perpetrator,
        "perpetrator_raw": f"{row['perpetrator']}; claimed by: {row['claimed_by']}",
        "origin_country": ORIGIN_OF.get(perpetrator, "") if cross_border else "",
        "target": row["target"],
        **_casualties(row),
        "sources": row["urls"],
        "status": STATUS_OF[row["confirmation_status"]],
        "fully_sourced": "true" if row["fully_sourced"] == "yes" else "false",
        "counts_in_totals": "false" if row["confirmation_status"] == "confirmed_aggregate"
        else "true",
        "notes": _notes(row),
    }


def build_incidents(reference: pd.DataFrame, gaz: pd.DataFrame, report: list[str]) -> pd.DataFrame:
    """data/incidents.csv as a frame of strings, in the reference's row order."""
    rows = [incident_record(row, gaz, report) for _, row in reference.iterrows()]
    frame = pd.DataFrame(rows, columns=schema.columns(schema.INCIDENT_FIELDS, stored_only=True))
    for row in rows:
        if row["location_source"].startswith(("GeoNames via", "not placed: no named")):
            report.append(f"{row['id']}: {row['location_precision']}: {row['location_source']}")
    return frame
