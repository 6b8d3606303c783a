"""Build data/incidents.csv and data/figures.csv (with provenance) from the reference compilation.

The reference folder (default ../shared/reference, beside the project) holds facts gathered from public reporting,
each with its page address and a verbatim quote. This script carries over the facts (numbers,
dates, places, coordinates, URLs, organisation names), never the quotes; maps names to canonical
ids through the vocabulary tables in this file and geo/aliases.csv; places rows marked
``to_be_geocoded`` with data/gazetteer.csv; and writes the files byte for byte the same on every
run.

    python scripts/build_records.py [--reference-dir DIR] [--out-dir data]

The editorial decisions about single records are CSV files beside this script, one row per
decision, so a maintainer edits data rather than code:

    incident_dates.csv    id -> date_precision (and why) for events dated only roughly
    incident_places.csv   id -> town names to look up in data/gazetteer.csv (" | " between them)
    incident_notes.csv    id -> the compiler's note restated in our words
    figure_sources.csv    raw source_org label -> organisation, report period of the publication
                          (empty = the latest period its page reports), restates (yes/no),
                          variant, publication name, caveat
    figure_flags.csv      (label, period, region, metric) -> confidence and caveat
    figure_pages.csv      url -> confidence and caveat (pages not found again)
    primary_domains.csv   sites whose pages count as primary (the organisations, outlets of record)

Names that no table knows are printed in a report and kept (with the id left empty), never
dropped; a perpetrator, country or source label that no table knows stops the build instead,
because those columns are required.
"""

import argparse
import csv
import hashlib
import math
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import harmonize, paths, provenance, schema  # noqa: E402
from geo.figures import assign_series, region_id_of, validate_figures  # noqa: E402
from geo.incidents import validate_incidents  # noqa: E402
from geo.periods import parse_period  # noqa: E402
from scripts import gazetteer, inputs  # noqa: E402

DEFAULT_REFERENCE = inputs.REFERENCE_DIR
# The reference files of published figures, read in this order (figure ids follow it, so a new
# file goes at the end and the ids of earlier figures never change).
FIGURE_INPUTS = ("figures.csv", "figures-added-2026-11.csv")
# The day each file's reference snapshot was built in; fixed so reruns are byte-identical.
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

# --- per-record decisions: CSV files beside this script ---------------------------------------

DECISIONS_DIR = Path(__file__).resolve().parent


def _decisions(name: str, key: str | tuple[str, ...]) -> dict:
    """``scripts/<name>`` as ``{key: row}``; a key given twice stops the build."""
    with open(DECISIONS_DIR / name, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    keys = [row[key] if isinstance(key, str) else tuple(row[k] for k in key) for row in rows]
    repeated = {k for k in keys if keys.count(k) > 1}
    if repeated:
        raise ValueError(f"scripts/{name}: {sorted(repeated)} given more than once")
    return dict(zip(keys, rows, strict=True))


# Incidents: dates known only roughly; town names to look up for rows marked to_be_geocoded
# (taken from the row's own place text); compiler notes that quoted a source, in our words.
DATE_PRECISION = {k: r["date_precision"] for k, r in _decisions("incident_dates.csv", "id").items()}
GEOCODE_NAMES = {k: tuple(filter(None, r["town_names"].split(" | ")))
                 for k, r in _decisions("incident_places.csv", "id").items()}
NOTE_REWRITES = {k: r["note"] for k, r in _decisions("incident_notes.csv", "id").items()}
# Figures: what each raw source_org label stands for (organisation, the report that gave the
# figure, whether it restates an earlier one, ...); doubtful figures; pages not found again;
# the sites whose pages count as primary.
SOURCE_LABELS = _decisions("figure_sources.csv", "source_label")
FLAGS = _decisions("figure_flags.csv", ("source_label", "period", "region", "metric"))
PAGE_VERDICTS = _decisions("figure_pages.csv", "url")
PRIMARY_DOMAINS = tuple(_decisions("primary_domains.csv", "domain"))

# --- figures: mapping tables -----------------------------------------------------------------

# The compiler ends a label with this when a figure rests on a secondary page only.
SECONDARY_ONLY = "secondary page only"
SECONDARY_ONLY_CAVEAT = ("Rests on a secondary page only: neither the organisation's own page nor"
                         " an outlet of record was found for this figure.")
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


def _publication_name(period: str) -> str:
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
    region_id = region_id_of(region)
    if region_id is None:
        report.append(f"figures: region {region!r} matches no alias; kept with empty region_id")
    return region_id or ""


def _confidence(row) -> tuple[str, str]:
    flag = FLAGS.get((row["source_org"], row["period"], row["region"], row["metric"]))
    flag = flag or PAGE_VERDICTS.get(row["url"])
    if flag:
        return flag["confidence"], flag["caveat"]
    if row["source_org"].removesuffix(")").endswith(SECONDARY_ONLY):
        return "secondary_only", SECONDARY_ONLY_CAVEAT
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
    if row["source_org"] not in SOURCE_LABELS:
        raise KeyError(f"source label {row['source_org']!r}: add a row to scripts/figure_sources.csv")
    label = SOURCE_LABELS[row["source_org"]]
    kind, start, end = parse_period(row["period"])
    confidence, caveat = _confidence(row)
    report_period = label["report_period"] or page_period
    return {
        "source_org": label["source_org"],
        "publication": label["publication"] or _publication_name(report_period),
        "_report_end": parse_period(report_period)[2],
        "_restated": label["restates"] == "yes",
        "variant": label["variant"],
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
        "caveat": caveat or label["caveat"],
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


def provenance_record(kind: str, rows: int, inputs: dict) -> dict:
    """The provenance record of ``kind`` (``built_on`` and ``sha256`` are filled in by
    geo.provenance.write)."""
    what = {
        "incidents": ("Incidents: militant attacks, security operations and cross-border strikes "
                      "in and around Pakistan, 2024-01-02 to 2025-11-11",
                      "Outlets cited per row in the `sources` column (Dawn, The News, Express "
                      "Tribune, Reuters, AFP, AP, ISPR statements and others); coordinates: "
                      "GeoNames (CC BY 4.0) and the pages named in `location_source`",
                      "reference/incidents.csv and incidents-notes.md"),
        "figures": ("Published figures: CRSS, PICSS and PIPS security reports (2023 to February "
                    "2026), ISPR and KP CTD official figures, and census population",
                    "CRSS, PICSS, PIPS, ISPR, KP Counter Terrorism Department, Pakistan Bureau of "
                    "Statistics, via the pages in `url`",
                    f"reference/{', '.join(FIGURE_INPUTS)} and figures-notes.md"),
    }[kind]
    return {
        "title": what[0],
        "source": f"Reference compilation of public reporting ({what[2]}); each row cites its "
                  "own pages",
        "licence": LICENCE,
        "attribution": what[1],
        "build_command": BUILD_COMMAND,
        "built_on": None,
        "rows": rows,
        "schema": f"geo/schema.py {kind.upper().rstrip('S')}_FIELDS",
        "inputs": inputs,
        "sha256": None,
        "notes": "Facts only: the reference quotes are not copied. Missing values are empty, "
                 "never zero or estimated.",
    }


def _write_with_provenance(frame, kind: str, out_dir: Path, inputs: dict) -> Path:
    path = out_dir / f"{kind}.csv"
    write_csv(frame, path)
    # A build into another folder (the rebuild test) keeps the shipped record's built_on too.
    provenance.write(path, provenance_record(kind, len(frame), inputs), earlier=(paths.DATA_DIR / path.name,))
    return path


def build(reference_dir: Path, out_dir: Path, gazetteer_path: Path = paths.GAZETTEER) -> list[str]:
    """Build both files into ``out_dir``; return the report of unmatched names and placements."""
    report: list[str] = []
    read = {"dtype": str, "keep_default_na": False, "encoding": "utf-8"}
    incidents_ref = pd.read_csv(reference_dir / "incidents.csv", **read)
    figures_ref = pd.concat([pd.read_csv(reference_dir / name, **read) for name in FIGURE_INPUTS],
                            ignore_index=True)
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
                           {name: _sha256(reference_dir / name) for name in FIGURE_INPUTS})
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
