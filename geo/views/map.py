"""What the Map page shows for one period (a year, quarter or month), computed without any Streamlit.

The page passes in the widget state; these functions return plain frames and series that the
page renders. Two data modes: published figures (one organisation, one series) and the atlas's
own incident records. They are never mixed in one number.
"""

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo import periods, schema, summarize
from geo.figures import matching, population
from geo.render import classify, maps
from geo.schema import PROVINCE_NAMES
from geo.summarize import number

MODES = {"published": "Published figures", "atlas": "Incidents in this atlas"}
# The Map page's metric choice -> (published figures metric, incident column); schema.METRICS are
# the metrics a published figure can have.
MAP_METRICS = {
    "deaths": ("deaths", "killed"),
    "injured": ("injured", "injured"),
    "incidents": ("incidents", "incidents"),
}
FOCUS_PROVINCES = ("PK-KP", "PK-BA")


@dataclass(frozen=True)
class Choice:
    """The page's non-filter settings."""

    period: str  # "2025", "2025Q3" or "2026-02" (geo.periods)
    mode: str = "published"
    metric: str = "deaths"
    per_million: bool = False
    org: str = "CRSS"


def latest_published(figures: pd.DataFrame, org: str, granularity: str | None = None) -> str | None:
    """The latest year, quarter or month (or only of ``granularity``) for which ``org`` published
    a national headline figure (deaths, injured or incidents), so a page opens on numbers; the
    coarser period when a year and its last quarter or month end on the same day. None if none."""
    national = figures[(figures["source_org"] == org) & (figures["region_id"] == summarize.NATIONAL)
                       & figures["metric"].isin(summarize.HEADLINE_METRICS) & figures["value"].notna()]
    return periods.latest(national["period"], granularity)


def published_cells(figures: pd.DataFrame, org: str, period: str, metric: str) -> pd.DataFrame:
    """One organisation's published ``metric`` for ``period``, one row per region id."""
    cells = matching(figures, source_org=org, period=period, metric=metric)
    return cells.drop_duplicates("region_id").set_index("region_id")


def province_totals(selected: pd.DataFrame) -> pd.DataFrame:
    """The selected records' totals per province (summarize.by_province over the whole period):
    computed once per view, read by the choropleth, the shares line and the province table."""
    return summarize.by_province(selected, keys=("province_id",))


def province_values(choice: Choice, figures: pd.DataFrame, totals: pd.DataFrame,
                    provinces: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Values per province id for the choropleth, and the source label per province; ``totals``
    are the records' (``province_totals``).

    Published mode: a province without a figure is missing. Atlas mode: a province with no
    record has 0 incidents but unknown deaths and injured (the atlas is a sample, not a census).
    """
    published_metric, column = MAP_METRICS[choice.metric]
    ids = provinces["id"]
    if choice.mode == "published":
        cells = published_cells(figures, choice.org, choice.period, published_metric)
        values = cells["value"].reindex(ids).astype(float)
        confidence = cells["confidence"].reindex(ids) if "confidence" in cells else pd.Series(None, index=ids)
        labels = pd.Series([(f"{choice.org}{lower_confidence_note(c)}" if pd.notna(v) else "")
                            for v, c in zip(values, confidence, strict=True)], index=ids)
    else:
        values = totals.set_index("province_id")[column].reindex(ids).astype(float)
        if column == "incidents":
            values = values.fillna(0.0)
        labels = pd.Series("incident records in this atlas", index=ids)
    if choice.per_million:
        values = values / population(figures).reindex(ids) * 1e6
    return values, labels


def kpis(figures: pd.DataFrame, org: str, period: str) -> pd.DataFrame:
    """Published national deaths, injured and incidents for the period with the change against
    the previous period of the same granularity, and the change the organisation itself stated
    (``stated_pct``, a published percentage such as ``deaths_change_vs_prev_year_pct``; it stays a
    percentage and is never turned into a count) with its source."""
    table = summarize.headline(figures, org, period)
    granularity = periods.granularity(period)
    stated = [published_cells(figures, org, period, f"{metric}_change_vs_prev_{granularity}_pct")
              for metric in table["metric"]]
    table["stated_pct"] = [float(c["value"].get(summarize.NATIONAL, np.nan)) for c in stated]
    table["stated_url"] = [c["url"].get(summarize.NATIONAL) if "url" in c else None for c in stated]
    return table


def published_shares(figures: pd.DataFrame, org: str, period: str) -> dict[str, float]:
    """The organisation's own stated share of national deaths for KP and Balochistan (NaN if none)."""
    cells = published_cells(figures, org, period, "deaths_share_pct")
    return {pid: float(cells["value"].get(pid, np.nan)) for pid in FOCUS_PROVINCES}


def province_table(figures: pd.DataFrame, org: str, period: str, totals: pd.DataFrame) -> pd.DataFrame:
    """Per province: the published deaths (if any) beside the atlas's records for the period
    (``totals``: ``province_totals``)."""
    cells = published_cells(figures, org, period, "deaths")
    deaths = cells["value"]
    totals = totals.set_index("province_id")
    table = pd.DataFrame(index=pd.Index(list(PROVINCE_NAMES), name="province_id"))
    table["province"] = pd.Series(PROVINCE_NAMES)
    table[f"published deaths ({org})"] = deaths.reindex(table.index).astype(float)
    confidence = cells["confidence"].reindex(table.index) if "confidence" in cells else None
    table["source confidence"] = [schema.CONFIDENCE_LABELS.get(c, "") if isinstance(c, str) else ""
                                  for c in (confidence if confidence is not None else [None] * len(table))]
    table["atlas records"] = totals["incidents"].reindex(table.index).fillna(0).astype(int)
    table["atlas killed"] = totals["killed"].reindex(table.index).astype(float)
    table["atlas injured"] = totals["injured"].reindex(table.index).astype(float)
    return table.reset_index()


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=])")


def markdown_table(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown table, text escaped (it can never become a link or markup),
    missing numbers as "no data". Lighter in the browser than a dataframe widget, for small
    tables on pages where the map should draw first."""
    def cell(value) -> str:
        if isinstance(value, int | float | np.integer | np.floating) or value is None or value is pd.NA:
            return number(value)
        return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))

    header = "| " + " | ".join(cell(name) for name in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(value) for value in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def delta(change_pct: float) -> str | None:
    """The change against the previous period ("-12%"), or None when it cannot be computed."""
    return None if pd.isna(change_pct) else f"{change_pct:+.0f}%"


def lower_confidence_note(confidence) -> str:
    """" (lower confidence: ...)" for a figure resting on a weaker page (schema.LOWER_CONFIDENCES)."""
    if confidence in schema.LOWER_CONFIDENCES:
        return f" (lower confidence: {schema.CONFIDENCE_LABELS.get(confidence, confidence).lower()})"
    return ""


def source_help(row) -> str:
    """A KPI tile's tooltip: the figure's source (marked when of lower confidence), and the change
    the organisation stated, if any."""
    text = f"Source: {row.url}" if isinstance(row.url, str) and row.url else "No published figure for this period."
    text += lower_confidence_note(getattr(row, "confidence", None))
    if pd.notna(row.stated_pct):
        text += f"\n\nThe organisation's own stated change against the previous period: {row.stated_pct:+.0f}% " \
                f"(source: {row.stated_url})"
    return text


def atlas_totals(selected: pd.DataFrame) -> dict[str, str]:
    """Record count, killed and injured among the selected atlas records, as display text."""
    totals = summarize.national(selected)
    return {"records": f"{totals['incidents']:,}", "killed": number(totals["killed"]),
            "injured": number(totals["injured"])}


def _pct(value: float) -> str:
    return "no data" if pd.isna(value) else f"{value:.0f}%"


def shares_text(figures: pd.DataFrame, org: str, period: str, totals: pd.DataFrame) -> str:
    """One line: KP's and Balochistan's share of deaths, as published and in the atlas records
    (``totals``: ``province_totals``)."""
    published = published_shares(figures, org, period)
    atlas = summarize.shares(totals, "killed", FOCUS_PROVINCES)
    return (
        f"**Share of deaths** — as published by {org}: Khyber Pakhtunkhwa {_pct(published['PK-KP'])}, "
        f"Balochistan {_pct(published['PK-BA'])} · in this atlas's records: "
        f"Khyber Pakhtunkhwa {_pct(atlas['PK-KP'])}, Balochistan {_pct(atlas['PK-BA'])}"
    )


def metric_label(choice: Choice) -> str:
    source = choice.org if choice.mode == "published" else "atlas records"
    scale = " per million people" if choice.per_million else ""
    return f"{choice.metric.capitalize()}{scale}, {choice.period} ({source})"


def border_values(selected: pd.DataFrame, metric: str) -> pd.Series:
    """The atlas's ``metric`` per border region for the selected records (by region id)."""
    column = MAP_METRICS[metric][1]
    totals = summarize.by_border_region(selected, keys=())
    return totals.set_index("region_id")[column].astype(float) if len(totals) else pd.Series(dtype=float)


def map_view(choice: Choice, figures: pd.DataFrame, selected: pd.DataFrame, totals: pd.DataFrame,
             provinces: pd.DataFrame, border_regions: pd.DataFrame, countries: pd.DataFrame) -> dict:
    """What the Map page's map shows for ``choice``: the coloured provinces and border regions,
    the selected incidents, the cross-border arrows and the legend (the map client's payload);
    ``totals`` are the selected incidents' ``province_totals``."""
    values, sources = province_values(choice, figures, totals, provinces)
    label, digits = metric_label(choice), 1 if choice.per_million else 0
    province_colours, breaks = maps.region_colours(provinces["id"], values, label, sources, digits)
    border_colours, _ = maps.region_colours(border_regions["id"], border_values(selected, choice.metric),
                                            f"{choice.metric.capitalize()} (atlas records)",
                                            palette=classify.BORDER_PALETTE)
    strikes = selected[selected["event_type"] == "cross_border_strike"]
    return maps.view(choice.period, legend=classify.legend_html(breaks, label, digits), provinces=province_colours,
                     border_regions=border_colours, incidents=selected,
                     strikes=maps.strike_arrows(strikes, countries))


@dataclass(frozen=True)
class MapPage:
    """Everything the Map page shows besides its widgets, for one view."""

    kpis: pd.DataFrame  # published national figures with the change against the previous period
    totals: dict[str, str]  # the atlas's records in view: count, killed, injured as text
    shares: str  # KP's and Balochistan's share of deaths, published and in the records
    view: dict  # what the map draws (see geo.render.maps.view)
    table: pd.DataFrame  # per province: published deaths beside the records


def map_page(choice: Choice, figures: pd.DataFrame, selected: pd.DataFrame, atlas) -> MapPage:
    """The Map page for ``choice``: ``figures`` of one series, ``selected`` the incidents of the
    period that pass the filters, ``atlas`` the geo.atlas.Atlas they come from."""
    org, period = choice.org, choice.period
    totals = province_totals(selected)
    return MapPage(
        kpis=kpis(figures, org, period),
        totals=atlas_totals(selected),
        shares=shares_text(figures, org, period, totals),
        view=map_view(choice, figures, selected, totals, atlas.provinces, atlas.border_regions, atlas.neighbours),
        table=province_table(figures, org, period, totals),
    )
