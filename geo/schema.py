"""The one table of fields: every column the atlas stores or derives, with its meaning.

Loaders (``geo/incidents.py``), filters, popups, exports and the Sources page read names, types,
units, allowed values and help texts from here, so a field is described once. Two tables:
``INCIDENT_FIELDS`` (one row per event, ``data/incidents.csv``) and ``FIGURE_FIELDS`` (one row per
figure an organisation published, ``data/figures.csv``). The canonical value lists (event types,
perpetrators, countries, metrics, ...) are data in this module, not if-chains in the code.

Dtypes are the atlas's own small vocabulary, mapped to pandas by ``PANDAS_DTYPES``:
``string``, ``int`` (nullable whole number), ``float``, ``date`` and ``bool``.
"""

from dataclasses import dataclass

PANDAS_DTYPES = {
    "string": "string",
    "int": "Int64",
    "float": "float64",
    "date": "datetime64[ns]",
    "bool": "boolean",
}


@dataclass(frozen=True)
class Field:
    """One column: its name, atlas dtype, unit, whether a value is required, the allowed values
    (empty tuple = any value of the dtype) and a one-line description for people.

    ``stored`` is False for columns the loader derives (e.g. ``quarter``) rather than reads.
    """

    name: str
    dtype: str
    unit: str
    required: bool
    allowed: tuple = ()
    description: str = ""
    label: str = ""
    stored: bool = True

    @property
    def title(self) -> str:
        """The human label (``label`` or the name with underscores as spaces, capitalised)."""
        return self.label or self.name.replace("_", " ").capitalize()


# --- canonical value lists -------------------------------------------------------------------

# The `dataset` of the records the atlas ships (data/incidents.csv), in the store and on every page;
# no import may take it.
SHIPPED_DATASET = "atlas"

# The Pakistani units by ISO 3166-2 id; geo/aliases.csv maps their other spellings to these.
PROVINCE_NAMES = {
    "PK-BA": "Balochistan",
    "PK-KP": "Khyber Pakhtunkhwa",
    "PK-PB": "Punjab",
    "PK-SD": "Sindh",
    "PK-IS": "Islamabad Capital Territory",
    "PK-GB": "Gilgit-Baltistan",
    "PK-JK": "Azad Jammu and Kashmir",
}

COUNTRIES = {"PK": "Pakistan", "AF": "Afghanistan", "IR": "Iran", "IN": "India", "CN": "China",
             "US": "United States"}  # US: origin of the drone strikes in imported Kaggle data

EVENT_TYPES = {
    "terror_attack": "Attack by a militant group (bombing, raid, ambush, hijacking)",
    "security_operation": "Operation by Pakistani security forces against militants",
    "cross_border_strike": "Strike or armed clash across an international border",
    "other": "Event whose nature is disputed or fits no other type",
}

# Canonical perpetrators. Raw attributions are kept verbatim in ``perpetrator_raw``.
PERPETRATORS = (
    "TTP",
    "BLA",
    "BLF",
    "IS-K",
    "Hafiz Gul Bahadur group",
    "Jaish al-Fursan",
    "Jaish al-Adl",
    "Pakistan military",
    "Iran",
    "India",
    "Afghan Taliban",
    "disputed",
    "unknown",
    "United States",  # drone strikes in imported datasets
)

DATE_PRECISIONS = {
    "day": "The event happened on this day",
    "approximate": "Within a few days of this date (source gives a window or only a page date)",
    "announcement": "Date of the official announcement; the event date was not stated",
    "month": "Only the month is known; occurred_on is its first day (imported datasets)",
    "year": "Only the year is known; occurred_on is 1 January (imported datasets)",
}

# Precision of the stored point. site/town/district carry a point; province/none carry none,
# so ``lon``/``lat`` are present exactly when the precision is one of POINT_PRECISIONS.
LOCATION_PRECISIONS = {
    "site": "Point at the site itself",
    "town": "Point at the centre of the town where (or next to which) it happened",
    "district": "Point at the district headquarters town; the locality is not placed",
    "province": "No point: only the province is known",
    "none": "No point and no single province (multi-site or cross-border event)",
}
POINT_PRECISIONS = ("site", "town", "district")

STATUSES = {
    "confirmed": "Two or more independent outlets, or an official statement and an outlet",
    "single_source": "One source only",
    "partly_confirmed": "Date, place or casualties incomplete in the sources",
    "aggregate": "Province-wide official tally that overlaps other rows; not counted in totals",
    "disputed": "The event is confirmed but its cause is disputed",
    "imported": "From a third-party dataset a user imported; not checked against sources here",
}

SOURCE_ORGS = {
    "CRSS": "Center for Research and Security Studies, Islamabad",
    "PICSS": "Pakistan Institute for Conflict and Security Studies",
    "PIPS": "Pak Institute for Peace Studies",
    "ISPR": "Inter-Services Public Relations, the media wing of Pakistan's armed forces",
    "KP CTD": "Counter Terrorism Department of the Khyber Pakhtunkhwa police",
    "PBS": "Pakistan Bureau of Statistics (2023 census)",
    "AJK Census": "AJK Census Commissioner (2017 census)",
    "GB government": "Gilgit-Baltistan government figures as reported by Daily Dunya",
}
# Short names for legends, tables and tooltips; an official series says so in its label.
ORG_LABELS = {
    "CRSS": "CRSS",
    "PICSS": "PICSS",
    "PIPS": "PIPS",
    "ISPR": "ISPR (official)",
    "KP CTD": "KP CTD (official)",
    "PBS": "PBS census",
    "AJK Census": "AJK census",
    "GB government": "GB government",
}

# Organisations as the sources name them in full (a label may also start with the id itself).
ORG_NAMES = {
    "Center for Research and Security Studies": "CRSS",
    "Pakistan Institute for Conflict and Security Studies": "PICSS",
    "Pak Institute for Peace Studies": "PIPS",
    "Inter-Services Public Relations": "ISPR",
    "KP Counter Terrorism Department": "KP CTD",
    "Pakistan Bureau of Statistics": "PBS",
}

# The three think tanks whose security figures pages offer side by side (each its own series).
REPORTING_ORGS = ("CRSS", "PICSS", "PIPS")
# Government and military figures. They define an incident differently (ISPR counted 5,397
# "terrorist incidents" in 2025 where PICSS counted 1,063 militant attacks), so they are shown
# as official figures of their own, never beside a think tank's number as if comparable.
OFFICIAL_ORGS = ("ISPR", "KP CTD")
OFFICIAL_NOTE = ("Official figure: the government counts incidents differently from the think "
                 "tanks; not comparable with CRSS, PICSS or PIPS.")

PERIOD_TYPES = ("quarter", "half", "year", "month", "span")

SERIES = {
    "first_and_latest": "Never revised: the figure in both series",
    "first_published": "As first published; a later report revised it",
    "intermediate": "A restatement later revised again",
    "latest_revision": "The organisation's latest restatement of a figure",
    "alternative": "Another outlet's differing version of a figure that exists in the series",
}

# The two views of the figures a page offers: which stored series each takes, and its label.
SERIES_CHOICES = {
    "latest": ("first_and_latest", "latest_revision"),
    "first_published": ("first_and_latest", "first_published"),
}
SERIES_LABELS = {"latest": "Latest revision", "first_published": "As first published"}

CONFIDENCES = {
    "primary": "Organisation's own site or an outlet of record reproducing its release",
    "secondary": "Mirror, aggregator or other secondary page; check before relying on it",
    "secondary_only": "Lower confidence: rests on one secondary page only; neither the "
                      "organisation's own page nor an outlet of record was found for it",
    "low": "Doubtful figure (possible copying error or AI summary)",
    "unverified": "The cited page could not be found again on a second check",
}
CONFIDENCE_LABELS = {
    "primary": "Primary source",
    "secondary": "Secondary page",
    "secondary_only": "Secondary page only",
    "low": "Low confidence",
    "unverified": "Unverified page",
}
# Confidences a page marks wherever the figure is shown (tooltip, table column, CSV).
LOWER_CONFIDENCES = ("secondary_only", "low", "unverified")

# Combined and sub-regions the organisations report besides provinces (ids are data too).
EXTRA_REGION_IDS = {
    "PK": "Pakistan (national)",
    "PK-KP-MAINLAND": "Khyber Pakhtunkhwa, settled districts (excluding ex-FATA)",
    "PK-KP-FATA": "Khyber Pakhtunkhwa, tribal districts (ex-FATA)",
}
REGION_JOINER = "+"  # "PK-KP+PK-BA" = the two provinces together, as the source reported them
# Names the sources give regions that are not provinces (provinces go through geo/aliases.csv).
REGION_NAMES = {
    "national": "PK",
    "Khyber Pakhtunkhwa (mainland, excl. ex-FATA)": "PK-KP-MAINLAND",
    "Khyber Pakhtunkhwa (tribal districts, ex-FATA)": "PK-KP-FATA",
}

# metric -> (unit, description). Definitions differ by organisation: see figures-notes.
METRICS = {
    "deaths": ("people", "Deaths (CRSS: attacks + operations; PICSS: combined)"),
    "injured": ("people", "Injured (CRSS: attacks + operations; PICSS: combined)"),
    "incidents": ("events", "Incidents (CRSS: attacks + operations; PICSS: combined)"),
    "casualties_deaths_plus_injured": ("people", "CRSS casualties: deaths plus injured"),
    "deaths_civilians": ("people", "Civilians killed"),
    "deaths_security": ("people", "Security personnel killed"),
    "deaths_security_and_govt_officials": ("people", "Security personnel and officials killed"),
    "deaths_civilians_and_security": ("people", "Civilians and security personnel killed"),
    "deaths_militants": ("people", "Militants (CRSS: outlaws) killed"),
    "deaths_peace_committee": ("people", "Peace-committee members killed"),
    "deaths_in_terror_attacks": ("people", "Deaths in terror attacks (attackers included)"),
    "deaths_in_terror_attacks_civilians": ("people", "Civilians killed in terror attacks"),
    "deaths_in_terror_attacks_security": ("people", "Security personnel killed in terror attacks"),
    "deaths_in_terror_attacks_militants": ("people", "Militants killed in terror attacks"),
    "deaths_in_militant_attacks": ("people", "PICSS: deaths in militant attacks only"),
    "deaths_in_militant_attacks_civilians": ("people", "PICSS: civilians killed in attacks"),
    "deaths_in_militant_attacks_security": ("people", "PICSS: security killed in attacks"),
    "deaths_in_militant_attacks_militants": ("people", "PICSS: militants killed in attacks"),
    "deaths_in_ct_operations": ("people", "Deaths in counter-terrorism operations"),
    "deaths_militants_in_ct_operations": ("people", "Militants killed in CT operations"),
    "militants_killed_by_security_forces": ("people", "Militants killed by security forces (PICSS; "
                                            "ISPR and KP CTD in their official figures)"),
    "militants_killed_in_military_operations": ("people", "PIPS: militants killed in operations"),
    "injured_in_terror_attacks": ("people", "Injured in terror attacks"),
    "injured_in_militant_attacks": ("people", "PICSS: injured in militant attacks"),
    "terror_attacks": ("events", "Terror attacks"),
    "terror_attacks_on_security_forces": ("events", "Terror attacks on security forces"),
    "militant_attacks": ("events", "PICSS: militant attacks"),
    "ct_operations": ("events", "Counter-terrorism operations"),
    "intelligence_based_operations": ("events", "ISPR: intelligence-based operations conducted"),
    "terrorist_incidents": ("events", "Official count of terrorist incidents (ISPR, KP CTD); not "
                            "the think tanks' attacks"),
    "incidents_all_conflict_related": ("events", "PIPS: all conflict-related incidents, not only "
                                       "terror attacks"),
    "deaths_share_pct": ("percent", "Region's share of national deaths, as the source states it"),
    "incidents_share_pct": ("percent", "Region's share of national incidents, as stated"),
    "deaths_change_vs_prev_quarter_pct": ("percent", "Change in deaths from the previous quarter"),
    "deaths_change_vs_prev_year_pct": ("percent", "Change in deaths from the previous year"),
    "terror_attacks_change_vs_prev_month_pct": ("percent", "Change in terror attacks from the "
                                                "previous month"),
    "deaths_civilians_and_security_in_terror_attacks_change_vs_prev_month_pct": (
        "percent", "Change from the previous month in civilians and security personnel killed in "
        "terror attacks"),
    "population": ("people", "Census population"),
    "population_million": ("million people", "Census population in millions"),
}
QUALIFIERS = ("over", "nearly", "about")  # how a source hedged a share ("over 90%")
# Published percentages (shares and changes): shown as the percentages they are, never turned
# into counts. Units whose values are whole numbers of people or events:
PERCENT_METRICS = tuple(name for name, (unit, _) in METRICS.items() if unit == "percent")
COUNT_UNITS = ("people", "events")


def _f(name, dtype, unit="", required=False, allowed=(), description="", **extra) -> Field:
    return Field(name, dtype, unit, required, tuple(allowed), description, **extra)


INCIDENT_FIELDS = (
    _f("id", "string", required=True, description="Stable id: country-date-place", label="ID"),
    _f("occurred_on", "date", required=True, description="Local date of the event (start date "
       "when it ran overnight)", label="Date"),
    _f("date_precision", "string", required=True, allowed=DATE_PRECISIONS,
       description="How exact occurred_on is"),
    _f("quarter", "string", description="Calendar quarter of occurred_on, e.g. 2024Q2",
       stored=False),
    _f("place", "string", required=True, description="Place as reported"),
    _f("district", "string", description="District (or foreign district) as reported"),
    _f("province", "string", description="Province as reported (incl. Afghan/Iranian provinces)"),
    _f("province_id", "string", allowed=tuple(PROVINCE_NAMES),
       description="Canonical Pakistani province id; empty outside Pakistan or for "
       "multi-province events", label="Province ID"),
    _f("country", "string", required=True, allowed=COUNTRIES,
       description="ISO 3166-1 alpha-2 code of the country where it happened"),
    _f("lon", "float", "degrees east", description="Longitude (WGS84); empty when not placed",
       label="Longitude"),
    _f("lat", "float", "degrees north", description="Latitude (WGS84); empty when not placed",
       label="Latitude"),
    _f("location_precision", "string", required=True, allowed=LOCATION_PRECISIONS,
       description="What the point stands for (site, town, district HQ) or why there is none"),
    _f("location_source", "string", description="Where the coordinate came from"),
    _f("event_type", "string", required=True, allowed=EVENT_TYPES, description="Kind of event"),
    _f("perpetrator", "string", required=True, allowed=PERPETRATORS,
       description="Canonical perpetrator (claimed or officially attributed)"),
    _f("perpetrator_raw", "string", description="Attribution as compiled, incl. claims",
       label="Attribution (as reported)"),
    _f("origin_country", "string", allowed=COUNTRIES,
       description="For a cross-border strike: the country it came from"),
    _f("target", "string", description="Who or what was targeted, as compiled"),
    _f("killed_low", "int", "people", description="Lowest total deaths across cited sources "
       "(attackers included where counted)"),
    _f("killed_high", "int", "people", description="Highest total deaths across cited sources"),
    _f("killed", "int", "people", description="Deaths used in totals = killed_low (the "
       "conservative figure); empty when unknown"),
    _f("killed_civilians", "int", "people", description="Civilians killed (low end of a range)"),
    _f("killed_security", "int", "people", description="Security personnel killed (low end)"),
    _f("killed_militants", "int", "people", description="Militants/attackers killed (low end)"),
    _f("injured_low", "int", "people", description="Lowest injured figure across sources"),
    _f("injured_high", "int", "people", description="Highest injured figure across sources"),
    _f("injured", "int", "people", description="Injured used in totals = injured_low; empty "
       "when no number was reported"),
    _f("sources", "string", description="Source page URLs, separated by ' | '; required except on "
       "imported rows whose file named no source (those say so instead of inventing one)"),
    _f("status", "string", required=True, allowed=STATUSES, description="How well confirmed"),
    _f("fully_sourced", "bool", required=True, description="Cited sources back date, place and "
       "casualties; date exact; not an aggregate"),
    _f("counts_in_totals", "bool", required=True, description="False for rows overlapping "
       "others (aggregates), so no death is counted twice"),
    _f("notes", "string", description="Compiler's notes in our own words"),
    _f("dataset", "string", description="Which dataset a record came from (set by the importers; "
       "empty for the atlas's own records)", stored=False),
)

FIGURE_FIELDS = (
    _f("figure_id", "string", required=True, description="Stable id of the published figure",
       label="ID"),
    _f("source_org", "string", required=True, allowed=SOURCE_ORGS,
       description="Organisation whose figure it is; series of different organisations count "
       "different things and are never mixed; ISPR and KP CTD are official (OFFICIAL_ORGS)",
       label="Organisation"),
    _f("publication", "string", required=True, description="Report or release that gave it"),
    _f("revision", "int", required=True, description="0 = as first published; 1, 2 = the "
       "organisation's later restatements, oldest first"),
    _f("series", "string", required=True, allowed=SERIES,
       description="Membership in the first-published and latest-revision series"),
    _f("variant", "string", description="Set when another outlet's report of the figure is kept "
       "beside the organisation's own (a differing version, or a second copy)"),
    _f("period", "string", required=True, description="Period as the source gives it: 2024Q2, "
       "2024, 2023H1, 2024-03, 2023Q1-Q3, 2025Jan-Nov"),
    _f("period_type", "string", required=True, allowed=PERIOD_TYPES,
       description="quarter, half, year, month, or span (e.g. 2023Q1-Q3)"),
    _f("period_start", "date", required=True, description="First day of the period"),
    _f("period_end", "date", required=True, description="Last day of the period"),
    _f("region_id", "string", required=True, description="PK (national), a province id, "
       "PK-KP-MAINLAND / PK-KP-FATA, or province ids joined by '+' for a combined region",
       label="Region ID"),
    _f("region", "string", required=True, description="Region as the source names it"),
    _f("metric", "string", required=True, allowed=METRICS,
       description="What is counted; see schema.METRICS (definitions differ by organisation)"),
    _f("value", "float", required=True, description="The published number"),
    _f("unit", "string", required=True, description="Unit of value (from METRICS)"),
    _f("qualifier", "string", allowed=QUALIFIERS, description="Hedge the source put on the "
       "number (over / nearly / about)"),
    _f("confidence", "string", required=True, allowed=CONFIDENCES,
       description="How far the page can be trusted (see schema.CONFIDENCES); secondary_only, "
       "low and unverified are lower confidence and marked wherever the figure is shown"),
    _f("caveat", "string", description="Why to be careful with this figure, in our words"),
    _f("url", "string", required=True, description="Page the figure was taken from",
       label="Source URL"),
)


# --- helpers ---------------------------------------------------------------------------------

_ALL = {f.name: f for f in INCIDENT_FIELDS + FIGURE_FIELDS}


def field(name: str, fields: tuple = ()) -> Field:
    """The Field called ``name`` (looked up in ``fields``, or in both tables); KeyError if none."""
    table = {f.name: f for f in fields} if fields else _ALL
    if name not in table:
        raise KeyError(f"no field called {name!r}")
    return table[name]


def columns(fields: tuple, stored_only: bool = False) -> list[str]:
    """The column names of ``fields`` in order (only those written to CSV if ``stored_only``)."""
    return [f.name for f in fields if f.stored or not stored_only]


def labels(fields: tuple) -> dict[str, str]:
    """``{column: human label}`` for tables, popups and CSV headers meant for people."""
    return {f.name: f.title for f in fields}


def is_region_id(region_id: str) -> bool:
    """True if ``region_id`` is PK, a sub-region id, a province id, or province ids joined by '+'."""
    provinces = field("province_id").allowed
    parts = str(region_id).split(REGION_JOINER)
    if len(parts) == 1:
        return parts[0] in EXTRA_REGION_IDS or parts[0] in provinces
    return all(part in provinces for part in parts) and len(set(parts)) == len(parts)
