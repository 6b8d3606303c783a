"""What the Sources page lists: data files and their provenance, the schema, how each organisation
counts, revisions and doubtful figures, and every incident with its own links.

Notes on the organisations are written in our own words from the reference compilation's notes
(``../shared/reference/figures-notes.md``); numbers quoted in them are the ones in ``data/``.
Tables keep source URLs as plain strings: a ``source`` column (the first URL, for a link column)
and a ``sources`` column (all URLs, separated by " | " as in the data file).
"""

import pandas as pd

from geo import periods
from geo.incidents import SOURCE_SEPARATOR

PROVENANCE_COLUMNS = ("title", "source", "licence", "attribution", "built_on", "build_command")

HOW_ORGS_COUNT = {
    "CRSS": "Counts people killed and injured in violence linked to militancy: terror attacks **and** "
            "counter-terrorism operations. Its deaths include militants (it calls them outlaws); its "
            "incidents are attacks plus operations. Publishes quarterly and annual reports.",
    "PICSS": "Separates militant attacks (attack-only deaths, injured and attack counts) from a "
             "combined figure that adds security-force actions; the atlas's plain `deaths`, `injured` "
             "and `incidents` for PICSS are the combined ones. Publishes monthly, half-yearly and annual "
             "figures, no quarterly ones.",
    "PIPS": "Counts terrorist attacks only. Its deaths in attacks include the attackers who died; "
            "militants killed in military operations are a separate number. Publishes annual reports "
            "(and some monthly ones).",
}

GAPS = (
    "CRSS published no quarterly total for 2023Q4 or 2025Q4 in the pages found: it seems to fold the "
    "fourth quarter into its annual report. The atlas shows these quarters as gaps and does not derive "
    "them by subtraction.",
    "CRSS 2024Q4: deaths only (from a later report); no injured or incidents.",
    "CRSS provincial deaths are sparse: for 2024Q1-Q3 mostly percentage shares and Balochistan.",
    "Punjab, Sindh, Islamabad, Gilgit-Baltistan and AJK have almost no quarterly figures.",
    "PICSS: no quarterly reports (monthly and half-yearly only; months are not summed into quarters "
    "here); no provincial breakdown for 2025.",
    "PIPS: no 2023 annual totals; no 2024 figures for Sindh, Punjab or Islamabad.",
    "The CRSS 2025 injured total has no reliable page; its 2025 incidents figure comes from an AI news "
    "summary and is marked low confidence.",
)

DISAGREEMENTS = (
    "CRSS restated its 2023 total (1,524 deaths first, 1,523 in a later quarterly report, 1,533 in the "
    "2024 annual report) and its 2024 total (2,546 first, 2,555 a year later); both series are kept.",
    "CRSS 2025Q1 deaths: 897 as first published, 900 in the next quarterly report.",
    "CRSS January-September 2024: 1,534 first, 1,527 a year later.",
    "PICSS 2024 was restated in its 2025 report (1,969 deaths first, 1,950 later); PICSS 2023 and 2025 "
    "circulate in two versions (the organisation's own and another outlet's), both kept and labelled.",
    "The five CRSS 2023Q3 rows from pakistantoday.com.pk (attacks, deaths and injured in attacks, "
    "operations, militants killed) could not be found again on a second check: they are marked "
    "unverified.",
    "CRSS 2025Q3 Sindh deaths (21) may be an outlet's copying error and is marked low confidence.",
)

BOUNDARY_NOTE = (
    "Boundaries are Natural Earth's de facto lines, drawn so the map works offline. Showing them is not "
    "an endorsement of any claim in disputed areas: Azad Jammu and Kashmir, Gilgit-Baltistan and the Line "
    "of Control. The former FATA has been part of Khyber Pakhtunkhwa since 2018; it is drawn as a border "
    "region for reference."
)


def provenance_table(provenance: dict[str, dict]) -> pd.DataFrame:
    """One row per shipped data file with its provenance record's main keys."""
    rows = [{"file": name, **{key: record.get(key) for key in PROVENANCE_COLUMNS}}
            for name, record in sorted(provenance.items())]
    # "origin", not "source": the record's source is prose, and pages show a "source" column as a link.
    return pd.DataFrame(rows, columns=["file", *PROVENANCE_COLUMNS]).rename(columns={"source": "origin"})


def schema_table(fields: tuple) -> pd.DataFrame:
    """The schema's fields as a table: name, label, type, unit, required, allowed values, meaning."""
    rows = [
        {"field": f.name, "label": f.title, "type": f.dtype, "unit": f.unit, "required": f.required,
         "allowed values": ", ".join(map(str, f.allowed)), "description": f.description}
        for f in fields
    ]
    return pd.DataFrame(rows)


def source_list(cell) -> list[str]:
    """The URLs of a ``sources`` cell ("a | b" -> ["a", "b"]); empty when there are none."""
    if cell is None or pd.isna(cell):
        return []
    return [url.strip() for url in str(cell).split(SOURCE_SEPARATOR.strip()) if url.strip()]


def first_source(cell) -> str | None:
    """The first URL of a ``sources`` cell, or None."""
    urls = source_list(cell)
    return urls[0] if urls else None


def incident_sources(incidents: pd.DataFrame) -> pd.DataFrame:
    """Every incident with its own links: the first source (for a link column) and all of them."""
    table = pd.DataFrame({
        "id": incidents["id"],
        "date": pd.to_datetime(incidents["occurred_on"]).dt.date,
        "place": incidents["place"],
        "event_type": incidents["event_type"],
        "killed": incidents["killed"],
        "status": incidents["status"],
        "source": incidents["sources"].map(first_source),
        "sources": incidents["sources"],
    })
    order = ["date", "place", "source", "event_type", "killed", "status", "id", "sources"]
    return table.sort_values(["date", "id"])[order].reset_index(drop=True)


def revisions(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures that were restated, with every version (first, intermediate, latest)."""
    restated = figures[figures["series"].isin(["first_published", "intermediate", "latest_revision"])]
    columns = ["source_org", "period", "region_id", "metric", "revision", "value", "publication", "url"]
    return (restated.sort_values(["source_org", "period", "region_id", "metric", "revision"])[columns]
            .rename(columns={"url": "source"}).reset_index(drop=True))


def doubtful(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures to use with care: unverified or low confidence, or another outlet's variant."""
    mask = figures["confidence"].isin(["unverified", "low"]) | figures["variant"].notna()
    columns = ["source_org", "period", "region_id", "metric", "value", "confidence", "variant", "caveat", "url"]
    return figures[mask][columns].rename(columns={"url": "source"}).reset_index(drop=True)


def latest_periods(figures: pd.DataFrame, orgs) -> dict[str, str | None]:
    """Per organisation, the latest year, quarter or month it published in ``figures`` (by the
    period's last day; the coarser one on a tie), or None."""
    return {org: periods.latest(figures.loc[figures["source_org"] == org, "period"]) for org in orgs}


def freshness(figures: pd.DataFrame, incidents: pd.DataFrame, orgs) -> str:
    """One line for every page: how fresh the figures of each organisation and the incidents are."""
    latest = latest_periods(figures, orgs)
    published = ", ".join(f"{org} {label or 'none'}" for org, label in latest.items())
    dates = incidents["occurred_on"].dropna() if "occurred_on" in incidents else pd.Series(dtype="datetime64[ns]")
    shown = (f"{dates.min():%d %b %Y} to {dates.max():%d %b %Y} ({len(incidents):,} records)"
             if len(dates) else "none")
    return f"**How fresh** · latest published figures: {published} · incidents shown: {shown}."
