"""How a row of the reference compilation becomes a row of data/figures.csv: what each source
label stands for, the doubtful figures and lost pages (scripts/figure_*.csv), which sites count as
primary, and the numbering of revisions. Used by scripts/build_records.py."""

import re
from urllib.parse import urlparse

import pandas as pd

from geo import schema
from geo.figures import assign_series, region_id_of
from geo.periods import parse_period
from scripts import decisions

# Figures: what each raw source_org label stands for (organisation, the report that gave the
# figure, whether it restates an earlier one, ...); doubtful figures; pages not found again;
# the sites whose pages count as primary.
SOURCE_LABELS = decisions.load("figure_sources.csv", "source_label")
FLAGS = decisions.load("figure_flags.csv", ("source_label", "period", "region", "metric"))
PAGE_VERDICTS = decisions.load("figure_pages.csv", "url")
PRIMARY_DOMAINS = tuple(decisions.load("primary_domains.csv", "domain"))

# The compiler ends a label with this when a figure rests on a secondary page only.
SECONDARY_ONLY = "secondary page only"
SECONDARY_ONLY_CAVEAT = ("Rests on a secondary page only: neither the organisation's own page nor"
                         " an outlet of record was found for this figure.")
HEDGES = {"over": "over", "more than": "over", "nearly": "nearly", "almost": "nearly",
          "about": "about", "around": "about", "approximately": "about"}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


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
