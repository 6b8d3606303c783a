"""The sidebar filters as one declarative table, applied by one pure function.

Pages build their widgets by looping over ``FILTERS``; ``passes`` takes a plain
``{key: value}`` state (the same keys live in the URL), so every view (map, KPIs, table,
downloads) filters the same way. An empty selection means "no restriction". A record whose
value is missing never passes a restricting filter: an unknown death toll is not "at least 5".
"""

from dataclasses import dataclass

import pandas as pd

from geo.join import in_region


@dataclass(frozen=True)
class Filter:
    key: str  # widget key and URL query parameter
    label: str
    column: str
    kind: str  # "region" | "choice" | "minimum" | "categories"
    help: str


FILTERS = (
    Filter("region", "Province or border region", "province_id", "region",
           "Incidents located in any of the chosen provinces or border regions."),
    Filter("event_type", "Event type", "event_type", "choice",
           "Terror attack, security operation, cross-border strike or other."),
    Filter("perpetrator", "Perpetrator group", "perpetrator", "choice",
           "The group the sources attribute the incident to (canonical names)."),
    Filter("target", "Target", "target", "categories",
           "Who or what was targeted (an incident with several targets matches each of them)."),
    Filter("min_killed", "Minimum killed", "killed", "minimum",
           "Only incidents with at least this many deaths (unknown tolls are left out when above 0)."),
    Filter("location_precision", "Location precision", "location_precision", "choice",
           "How exactly the place is known: site, town, district, province or none."),
)

BY_KEY = {f.key: f for f in FILTERS}


TARGET_CATEGORIES = ("civilians", "foreign_nationals", "infrastructure", "militants", "police", "security_forces")


def target_parts(text) -> list[str]:
    """The targets named in a free-text target cell, in order: parts separated by ``;``, each
    without its remark in brackets (``"civilians (convoy); police"`` -> civilians, police).
    The one rule for reading targets, used by the filter and the Trends page."""
    if not isinstance(text, str):
        return []
    parts = (part.split("(")[0].strip() for part in text.split(";"))
    return [part for part in parts if part]


def categories(text) -> set[str]:
    """The target categories in a text such as ``"civilians (convoy); security_forces"``: the
    parts (``target_parts``) whose first word is one of ``TARGET_CATEGORIES``. Claims by one side
    ("Pakistan: civilians") are the compiler's detail, not categories."""
    return {part.split(" ")[0] for part in target_parts(text)} & set(TARGET_CATEGORIES)


def _mask(frame: pd.DataFrame, spec: Filter, value) -> pd.Series:
    if spec.kind == "minimum":
        return (frame[spec.column] >= float(value)).fillna(False) if value else pd.Series(True, frame.index)
    if not value:
        return pd.Series(True, index=frame.index)
    if spec.kind == "region":
        masks = [in_region(frame, region_id) for region_id in value]
        return pd.concat(masks, axis=1).any(axis=1)
    if spec.kind == "categories":
        wanted = set(value)
        # Parsed once per distinct text, not per row: a million rows hold a few dozen texts.
        matching = [text for text in frame[spec.column].dropna().unique() if categories(text) & wanted]
        return frame[spec.column].isin(matching).fillna(False)
    return frame[spec.column].isin(list(value)).fillna(False)


def passes(frame: pd.DataFrame, state: dict) -> pd.Series:
    """True for the rows of ``frame`` that pass every filter in ``state`` (unknown keys raise KeyError)."""
    keep = pd.Series(True, index=frame.index)
    for key, value in state.items():
        keep &= _mask(frame, BY_KEY[key], value).astype(bool)
    return keep


def choices(frame: pd.DataFrame, spec: Filter) -> list[str]:
    """The values a choice filter offers: those present in ``frame``, sorted."""
    distinct = frame[spec.column].dropna().unique()  # few distinct values, however many rows
    if spec.kind == "categories":
        return sorted(set().union(*map(categories, distinct)))
    return sorted({str(value) for value in distinct})


def all_choices(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The options of every choice filter (by key), computed once per dataset, not per rerun."""
    return {spec.key: choices(frame, spec) for spec in FILTERS if spec.kind in ("choice", "categories")}


def describe(state: dict) -> str:
    """A short, file-name-safe description of the active filters ("all" when none)."""
    parts = []
    for key, value in state.items():
        if not value:
            continue
        shown = value if isinstance(value, int | float | str) else "+".join(map(str, value))
        parts.append(f"{key}-{shown}")
    text = "_".join(parts) or "all"
    return "".join(c if c.isalnum() or c in "-_+." else "-" for c in text)
