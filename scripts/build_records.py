"""Build data/incidents.csv and data/figures.csv (with provenance) from the reference compilation.

The reference folder (default ../shared/reference, beside the project) holds facts gathered from public reporting,
each with its page address and a verbatim quote. This script carries over the facts (numbers,
dates, places, coordinates, URLs, organisation names), never the quotes; maps names to canonical
ids through tables in this file and geo/aliases.csv; places rows marked ``to_be_geocoded`` with
data/gazetteer.csv; and writes the files byte for byte the same on every run.

    python scripts/build_records.py [--reference-dir DIR] [--out-dir data]

Names that no table knows are printed in a report and kept (with the id left empty), never
dropped; a perpetrator, country or source label that no table knows stops the build instead,
because those columns are required.
"""

import argparse
import hashlib
import json
import math
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import gazetteer, harmonize, paths, schema  # noqa: E402
from geo.records import (  # noqa: E402
    assign_series,
    parse_period,
    validate_figures,
    validate_incidents,
)
from scripts import inputs  # noqa: E402

DEFAULT_REFERENCE = inputs.REFERENCE_DIR
BUILT_ON = "2026-11-26"  # the day the reference snapshot was compiled in; fixed for reproducibility
BUILD_COMMAND = "python scripts/build_records.py"
LICENCE = "CC BY 4.0 (this compilation of facts); the facts belong to the cited outlets"

# --- incidents: mapping tables ---------------------------------------------------------------

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

DATE_PRECISION = {
    "PK-2024-06-KURRAM-SADDA": "approximate",  # only the page date is known
    "PK-2025-09-BAJAUR-IBO": "approximate",  # ISPR gives a 10-13 Sep window
    "PK-2025-0902-KECH": "approximate",  # a headline bullet; date assumed
    "PK-2024-0308-NWAZ-IBO": "announcement",
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

# Town names to look up for rows marked to_be_geocoded, taken from the row's own place text.
# Names the compiler flagged as unverified readings (Saddam -> Sadda) are deliberately absent.
GEOCODE_NAMES = {
    "PK-2024-0205-CHODHWAN": ("Chaudhwan", "Chodhwan", "Daraban"),
    "AF-2024-0318-BARMAL": ("Laman", "Barmal"),
    "AF-2024-0318-KHOST": ("Sepri", "Speen Khwah"),
    "PK-2024-0326-BESHAM": ("Besham", "Lahore Nala"),
    "PK-2024-0509-GWADAR": ("Surbandar", "Sarbandar"),
    "PK-2024-0526-HASSANKHEL": ("Hassan Khel",),
    "PK-2024-0527-KHYBER-BAGH": ("Bagh",),
    "PK-2024-06-KURRAM-SADDA": (),
    "PK-2024-0826-BOLAN": ("Dozan",),
    "PK-2024-1024-DIKHAN-ZAM": ("Zam", "Darazinda"),
    "PK-2024-1119-BANNU-MALIKHEL": ("Mali Khel",),
    "PK-2024-1121-KURRAM": ("Mandori", "Bagan", "Ochat"),
    "AF-2024-1224-BARMAL": ("Barmal", "Laman", "Murg Bazaar"),
    "PK-2025-0116-KURRAM-BAGAN": ("Bagan",),
    "PK-2025-0201-KALAT-MANGOCHAR": ("Mangocher", "Mangochar"),
    "PK-2025-0311-JAFFAREXPRESS": ("Mashkaf", "Pehro Kunri", "Gudalar", "Dhadar"),
    "PK-2025-0913-SWAZIRISTAN-BADAR": ("Badar",),
    "PK-2025-0922-TIRAH": ("Matre Dara", "Matur Dara", "Tirah"),
    "PK-2025-1008-ORAKZAI": ("Ali Sherzai",),
}

# Compiler notes that quote a source word for word, restated in our own words.
NOTE_REWRITES = {
    "PK-2024-0116-PANJGUR": "Strike on Tuesday 16 Jan 2024 (a CBC report dated 17 Jan dates it to"
    " the Tuesday). Injured 3 (CBC/Foreign Office) vs 4 (Makran commissioner). Coordinates are"
    " Panjgur town, not the village.",
    "IR-2024-0118-SARAVAN": "Toll rose from 7 (3 women, 4 children) to 9 (2 men added) per Iranian"
    " officials; Xinhua/Shine cites an official giving 10 Pakistanis. Pakistan reported militants"
    " killed without a number. Coordinates are Saravan city, not the unnamed village 3-4 km from"
    " the border.",
    "AF-2024-0318-KHOST": "District named differently by sources (Sepri per RFE/RL, Speen Khwah per"
    " Khaama via MENAFN); not matched with confidence to a gazetteer place.",
    "PK-2024-0325-TURBAT": "Attack began ~22:00-22:30 on Mon 25 Mar and went on into 26 Mar. BLA"
    " claimed more than twelve personnel killed (unverified, not used in the range). Other"
    " summaries say the soldier was Frontier Corps.",
    "PK-2024-06-KURRAM-SADDA": "DATE APPROXIMATE: page dated 2024-06-21; event date not stated"
    " (that day or the day before). The source spells the place Saddam; reading it as Sadda"
    " (Lower Kurram) is unverified.",
    "PK-2024-1024-DIKHAN-ZAM": "Attack late on Thu 24 Oct 2024 (interior ministry statement Fri"
    " 25 Oct). Injured 3 (ministry) vs 7 (secondary).",
    "PK-2024-1101-MASTUNG": "~08:35 Fri 1 Nov 2024. 7 (Dawn/UrduPoint) vs 9 (Adnkronos citing"
    " Pakistan Today); a later Dawn report (9 Nov) gave 8 dead, 5 of them children. Injured"
    " 15/17/22/30 across reports.",
    "PK-2025-0116-KURRAM-BAGAN": "Date inferred: a Daily Times page dated 2025-01-18 calls it"
    " Thursday's attack -> Thu 16 Jan 2025. 10 victims (2 security, 6 drivers, 2 passengers) +"
    " 6 attackers = 16.",
    "PK-2025-0311-JAFFAREXPRESS": "Hijack 11 Mar 2025 ~13:00; operation ended 12 Mar. ISPR: 21"
    " passengers + 4 FC killed, 33 militants. Security sources via Munsif Daily: 50 militants."
    " TRT World (16 Mar 2025, in its Noshki report): 26 passengers + 5 troops killed. Range 58"
    " (21+4+33) to 81 (26+5+50). Per ISPR, 21 hostages died before the clearance operation; 3 FC"
    " at a railway picket + 1 FC during the operation. Train Quetta->Peshawar, ~440 aboard. BLA"
    " claimed many more hostages executed (unverified). 37 injured taken for treatment (The"
    " Nation, mid-operation).",
    "PK-2025-0507-AHMEDPUREAST": "Night of 6/7 May 2025. Coordinates = Bahawalpur city (GeoNames):"
    " Dawn puts the mosque on the outskirts of Bahawalpur and AFP ~7 km from it, whereas the"
    " GeoNames town of Ahmadpur East is much further away. ISPR first briefing: 5 killed/31"
    " injured here (8 killed nationwide); later briefing: 13 killed/37 injured. India says it"
    " struck a Jaish-e-Mohammed HQ in Bahawalpur. Pakistani figures only; the Indian side gave no"
    " casualty figures in the cited sources.",
    "PK-2025-0521-KHUZDAR": "Wed 21 May 2025. Toll rose 4-5 -> 6 -> 8 by 23-25 May. Accounts of"
    " the dead differ: Dunya, 7 children and 1 teacher; AP via Devdiscourse, children plus two"
    " soldiers on board. killed_high 10 = 8 + possibly separately counted soldiers + bomber"
    " (upper bound).",
    "PK-2025-0902-BANNU-FC": "Same day as the Quetta BNP blast (page dated 2025-09-03); ~12-hour"
    " gunfight per regional police chief Sajjad Khan. Single secondary source.",
}
# Sentences about pending geocoding are stale once location_precision/location_source say
# how the row was placed.
STALE_NOTE = re.compile(r"\s*Coordinates (?:are )?to be geocoded[^.]*(?:\.[^ ]*)?\.?")

# --- figures: mapping tables -----------------------------------------------------------------

# raw source_org label -> organisation, report period of the publication (None = derive from
# the page), whether it restates an earlier figure, variant label, publication name override.
SOURCE_LABELS = {
    "CRSS": ("CRSS", None, False, "", ""),
    "PICSS": ("PICSS", None, False, "", ""),
    "PIPS": ("PIPS", None, False, "", ""),
    "CRSS (revised, in Annual Report 2024)": ("CRSS", "2024", True, "", ""),
    "CRSS (revised, in Annual Report 2025)": ("CRSS", "2025", True, "", ""),
    "CRSS (as cited in Q3 2024 report)": ("CRSS", "2024Q3", True, "", ""),
    "CRSS (revised, in Q2 2025 report)": ("CRSS", "2025Q2", True, "", ""),
    "CRSS (revised, in Q3 2025 report)": ("CRSS", "2025Q3", True, "", ""),
    "CRSS (in Q1 2025 report)": ("CRSS", "2025Q1", False, "", ""),
    "CRSS (in Q2 2025 report)": ("CRSS", "2025Q2", False, "", ""),
    "CRSS (in Q3 2025 report)": ("CRSS", "2025Q3", False, "", ""),
    "CRSS (per particle.news summary; low confidence)": ("CRSS", "2025", False, "", ""),
    "PICSS (revised, in 2025 annual report)": ("PICSS", "2025", True, "", ""),
    "PICSS (as reported by AP)": ("PICSS", "2025", False, "as reported by AP", ""),
    "PICSS (per newsguru.pk, which files it under a CRSS story)": (
        "PICSS", "2023", False, "per newsguru.pk (filed under a CRSS story)", ""),
    "PIPS (in 2025 report)": ("PIPS", "2025", False, "", ""),
    "Pakistan Bureau of Statistics (7th Population & Housing Census 2023)": (
        "PBS", None, False, "", "7th Population and Housing Census 2023 (press release)"),
    "PBS 2023 census (via pakinformation.com, secondary)": (
        "PBS", None, False, "", "7th Population and Housing Census 2023 (exact counts)"),
    "AJK 2017 census (AJK Census Commissioner, via The Nation)": (
        "AJK Census", None, False, "", "AJK census 2017"),
    "2023 census, GB figures per Daily Dunya (Urdu; 'government sources')": (
        "GB government", None, False, "", "Daily Dunya, citing government sources"),
    "2017 census, GB figure per Daily Dunya (Urdu)": (
        "GB government", None, False, "", "2017 census figure, via Daily Dunya"),
}
REGION_IDS = {
    "national": "PK",
    "Khyber Pakhtunkhwa (mainland, excl. ex-FATA)": "PK-KP-MAINLAND",
    "Khyber Pakhtunkhwa (tribal districts, ex-FATA)": "PK-KP-FATA",
}
PRIMARY_DOMAINS = (
    "picss.net", "pakpips.com", "dawn.com", "thenews.com.pk", "tribune.com.pk", "geo.tv",
    "nation.com.pk", "brecorder.com", "pakistantoday.com.pk",
)
UNVERIFIED_URLS = {"https://www.pakistantoday.com.pk/?p=277226"}
LOW_CONFIDENCE = {
    # (source label, period, region, metric) -> caveat in our words
    ("CRSS", "2025Q3", "Sindh", "deaths"): "Possibly an outlet's copying error: the same pair of"
    " numbers (8 -> 21) is CRSS's Punjab Q1 -> Q2 2025 figure.",
    ("CRSS (per particle.news summary; low confidence)", "2025", "national", "incidents"): "From"
    " an AI-generated news summary; no reliable page gives this figure.",
}
CAVEATS = {
    "unverified": "The cited page could not be found again on a second check.",
    "2023 census, GB figures per Daily Dunya (Urdu; 'government sources')": "Provisional: the PBS"
    " census excludes Gilgit-Baltistan; a newspaper figure citing government sources.",
}
HEDGES = {"over": "over", "more than": "over", "nearly": "nearly", "almost": "nearly",
          "about": "about", "around": "about", "approximately": "about"}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


# --- small parsers -------------------------------------------------------------------------


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


# --- incidents -------------------------------------------------------------------------------


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


# --- figures ---------------------------------------------------------------------------------


def _publication_name(org: str, period: str) -> str:
    kind, _, end = parse_period(period)
    if kind == "year":
        return f"Annual Report {period}"
    if kind == "month":
        return f"{MONTH_NAMES[end.month - 1]} {end.year} monthly report"
    if kind == "half":
        return f"{period[-2:]} {period[:4]} report"
    if kind == "span" and not re.search(r"Q\d$", period):
        return f"{period[4:]} {period[:4]} report"
    return f"Q{(end.month - 1) // 3 + 1} {end.year} report"


def _page_periods(reference: pd.DataFrame) -> dict[str, str]:
    # A page reporting several periods is the report on the latest of them (a Q2 report also
    # gives the Q1 figures it compares against).
    ends = reference["period"].map(lambda p: parse_period(p)[2])
    latest = reference.assign(_end=ends).sort_values("_end", kind="stable")
    return latest.groupby("url")["period"].last().to_dict()


def _region_id(region: str, report: list[str]) -> str:
    if region in REGION_IDS:
        return REGION_IDS[region]
    parts = [harmonize.province_id(p) for p in region.split("+")]
    if None in parts:
        report.append(f"figures: region {region!r} matches no alias; kept with empty region_id")
        return ""
    return schema.REGION_JOINER.join(parts)


def _confidence(row) -> tuple[str, str]:
    key = (row["source_org"], row["period"], row["region"], row["metric"])
    if key in LOW_CONFIDENCE:
        return "low", LOW_CONFIDENCE[key]
    if row["url"] in UNVERIFIED_URLS:
        return "unverified", CAVEATS["unverified"]
    domain = urlparse(row["url"]).netloc.removeprefix("www.")
    return ("primary" if domain in PRIMARY_DOMAINS else "secondary"), ""


def _qualifier(row) -> str:
    if not row["metric"].endswith("_pct"):
        return ""
    value = re.escape(row["value"].lstrip("-"))
    pattern = rf"\b({'|'.join(HEDGES)})\s+{value}\s*(%|per ?cent|pc)"
    match = re.search(pattern, row["quote"], flags=re.IGNORECASE)
    return HEDGES[match[1].lower()] if match else ""


def figure_record(row, page_period: str, report: list[str]) -> dict:
    """One data/figures.csv row (strings, without revision/series) from one reference row."""
    org, pub_period, restated, variant, pub_name = SOURCE_LABELS[row["source_org"]]
    kind, start, end = parse_period(row["period"])
    confidence, caveat = _confidence(row)
    caveat = caveat or CAVEATS.get(row["source_org"], "")
    report_period = pub_period or page_period
    return {
        "source_org": org,
        "publication": pub_name or _publication_name(org, report_period),
        "_report_end": parse_period(report_period)[2],
        "_restated": restated,
        "variant": variant,
        "period": row["period"],
        "period_type": kind,
        "period_start": f"{start:%Y-%m-%d}",
        "period_end": f"{end:%Y-%m-%d}",
        "region_id": _region_id(row["region"], report),
        "region": row["region"],
        "metric": row["metric"],
        "value": row["value"],
        "unit": schema.METRICS[row["metric"]][0],
        "qualifier": _qualifier(row),
        "confidence": confidence,
        "caveat": caveat,
        "url": row["url"],
    }


def _revisions(frame: pd.DataFrame) -> pd.Series:
    # Revision 0 = as first published. Each restating publication of the same figure, in the
    # order the reports came out, adds one.
    key = ["source_org", "period", "region_id", "metric"]
    restated = frame[frame["_restated"]]
    order = restated.groupby(key)["_report_end"].rank(method="dense").astype(int)
    return order.reindex(frame.index, fill_value=0)


def build_figures(reference: pd.DataFrame, report: list[str]) -> pd.DataFrame:
    """data/figures.csv as a frame of strings, in the reference's row order."""
    pages = _page_periods(reference)
    rows = [figure_record(row, pages[row["url"]], report) for _, row in reference.iterrows()]
    frame = pd.DataFrame(rows)
    frame.insert(0, "figure_id", [f"F{i:04d}" for i in range(1, len(frame) + 1)])
    frame["revision"] = _revisions(frame)
    typed = frame.assign(variant=frame["variant"].replace("", None),
                         confidence=frame["confidence"])
    frame["series"] = assign_series(typed).to_numpy()
    frame["revision"] = frame["revision"].astype(str)
    return frame[schema.columns(schema.FIGURE_FIELDS, stored_only=True)]


# --- writing ---------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` (all strings) with LF line ends so reruns are byte-identical."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def provenance(kind: str, path: Path, rows: int, inputs: dict) -> dict:
    """The provenance record written beside ``path``."""
    what = {
        "incidents": ("Incidents: militant attacks, security operations and cross-border strikes "
                      "in and around Pakistan, 2024-01-02 to 2025-11-11",
                      "Outlets cited per row in the `sources` column (Dawn, The News, Express "
                      "Tribune, Reuters, AFP, AP, ISPR statements and others); coordinates: "
                      "GeoNames (CC BY 4.0) and the pages named in `location_source`"),
        "figures": ("Published figures: CRSS, PICSS and PIPS security reports and census "
                    "population, 2023-2025",
                    "CRSS, PICSS, PIPS, Pakistan Bureau of Statistics, via the pages in `url`"),
    }[kind]
    return {
        "title": what[0],
        "source": f"Reference compilation of public reporting (reference/{kind}.csv and "
                  f"{kind}-notes.md); each row cites its own pages",
        "licence": LICENCE,
        "attribution": what[1],
        "build_command": BUILD_COMMAND,
        "built_on": BUILT_ON,
        "rows": rows,
        "schema": f"geo/schema.py {kind.upper().rstrip('S')}_FIELDS",
        "inputs": inputs,
        "sha256": _sha256(path),
        "notes": "Facts only: the reference quotes are not copied. Missing values are empty, "
                 "never zero or estimated.",
    }


def _write_with_provenance(frame, kind: str, out_dir: Path, inputs: dict) -> Path:
    path = out_dir / f"{kind}.csv"
    write_csv(frame, path)
    record = provenance(kind, path, len(frame), inputs)
    text = json.dumps(record, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    paths.provenance_path(path).write_text(text, encoding="utf-8")
    return path


def build(reference_dir: Path, out_dir: Path, gazetteer_path: Path = paths.GAZETTEER) -> list[str]:
    """Build both files into ``out_dir``; return the report of unmatched names and placements."""
    report: list[str] = []
    read = {"dtype": str, "keep_default_na": False, "encoding": "utf-8"}
    incidents_ref = pd.read_csv(reference_dir / "incidents.csv", **read)
    figures_ref = pd.read_csv(reference_dir / "figures.csv", **read)
    gaz = gazetteer.load_gazetteer(gazetteer_path)
    incidents = build_incidents(incidents_ref, gaz, report)
    figures = build_figures(figures_ref, report)
    validate_incidents(incidents, "built incidents")  # never write a file the loader rejects
    validate_figures(figures, "built figures")
    out_dir.mkdir(parents=True, exist_ok=True)
    ref_hash = {"reference": _sha256(reference_dir / "incidents.csv"),
                "gazetteer": _sha256(gazetteer_path)}
    _write_with_provenance(incidents, "incidents", out_dir, ref_hash)
    _write_with_provenance(figures, "figures", out_dir,
                           {"reference": _sha256(reference_dir / "figures.csv")})
    return report


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out-dir", type=Path, default=paths.DATA_DIR)
    args = parser.parse_args(argv)
    for line in build(args.reference_dir, args.out_dir):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
