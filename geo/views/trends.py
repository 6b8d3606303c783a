"""Series by year, quarter or month for the Trends page: published figures per organisation, and
the atlas's records.

Each organisation's numbers stay in their own series, because CRSS, PICSS and PIPS count different
things. Every series is reindexed to every period of its granularity from 2023 to the last one
published, so a period without a published figure is a missing value (NaN) that the chart draws
as a gap, never a zero. Only periods of the chosen granularity go on its axis: a year is never
summed from months, nor a quarter from a year. A restated figure is marked in ``note``
("revised"), as is a first publication that was later revised.
The chart builders return Altair objects (as ``geo/render/maps.py`` returns Folium ones); pages render them.
"""

import altair as alt
import numpy as np
import pandas as pd

from geo import filters, periods, schema, summarize
from geo.figures import matching
from geo.schema import PROVINCE_NAMES

HEADLINE = summarize.HEADLINE_METRICS
# Victim categories as the organisations publish them (short labels for legends and tables).
VICTIM_METRICS = {
    "deaths_civilians": "civilians",
    "deaths_security": "security personnel",
    "deaths_security_and_govt_officials": "security personnel and officials",
    "deaths_civilians_and_security": "civilians and security personnel (combined)",
    "deaths_militants": "militants",
    "deaths_peace_committee": "peace-committee members",
}
PROVINCES = tuple(PROVINCE_NAMES)
REGION_NAMES = {**schema.EXTRA_REGION_IDS, **PROVINCE_NAMES}
KEY = ["source_org", "region_id", "metric", "period"]
COLUMNS = ["period", "source_org", "value", "note", "metric", "region", "confidence", "source"]
NOTES = {"revised": "revised", "later_revised": "first publication (later revised)", "plain": "as published"}
CHART_HEIGHT = 440  # the whole chart, legends and axes included (Streamlit fits it to this)
ATLAS_DIMENSIONS = {"perpetrator": "Perpetrator", "target_group": "Target (first named)",
                    "event_type": "Event type"}


def revision_notes(series: pd.Series, revision: pd.Series) -> pd.Series:
    """Per figure: "revised" for a restatement, "first publication (later revised)" for a figure
    a later report restated, "as published" otherwise; missing where there is no figure."""
    restated = (revision.fillna(0).astype(int) > 0).to_numpy(dtype=bool)
    later = (series.fillna("") == "first_published").to_numpy(dtype=bool)
    notes = np.select([restated, later], [NOTES["revised"], NOTES["later_revised"]],
                      default=NOTES["plain"])
    return pd.Series(notes, index=series.index, dtype="string").where(series.notna())


def axis(figures: pd.DataFrame, granularity: str) -> list[str]:
    """Every period of ``granularity`` from 2023 to the last one ``figures`` hold (at least 2025)."""
    offered = periods.options(granularity)
    published = [periods.parse(p) for p in figures["period"].unique() if periods.is_period(p)]
    last = max([periods.parse(offered[-1]), *(p for p in published if p.granularity == granularity)])
    return periods.span(offered[0], last.label)


def period_series(figures: pd.DataFrame, metrics, granularity: str = "quarter", region_ids=("PK",),
                  orgs=schema.REPORTING_ORGS) -> pd.DataFrame:
    """One row per organisation, region, metric and period of ``granularity`` (see ``axis``),
    NaN where unpublished.

    ``figures`` should hold one series (``figures.select_series``); only periods of
    ``granularity`` are used. Columns: ``COLUMNS`` plus ``region_id`` and ``revised``.
    """
    labels = axis(figures, granularity)
    cells = matching(figures, period=labels, source_org=orgs, metric=metrics, region_id=region_ids)
    cells = cells.rename(columns={"url": "source"})
    cells = cells.drop_duplicates(KEY).set_index(KEY)
    full = pd.MultiIndex.from_product([list(orgs), list(region_ids), list(metrics), labels], names=KEY)
    table = cells.reindex(full).reset_index()
    table["value"] = table["value"].astype(float)
    table["region"] = table["region_id"].map(REGION_NAMES).fillna(table["region_id"])
    table["note"] = revision_notes(table["series"], table["revision"])
    table["revised"] = table["revision"].fillna(0).astype(int) > 0
    return table[[*COLUMNS, "region_id", "revised"]]


def with_values(table: pd.DataFrame, by: str = "source_org") -> pd.DataFrame:
    """Drop the groups of ``by`` (e.g. organisations) that have no value in any period."""
    present = table.groupby(by)["value"].transform(lambda values: values.notna().any())
    return table[present.astype(bool)]


def without_values(table: pd.DataFrame, by: str = "source_org") -> list[str]:
    """The groups of ``by`` that published nothing in ``table`` (named in the chart caption)."""
    present = table.groupby(by, sort=False)["value"].apply(lambda values: values.notna().any())
    return [str(name) for name, any_value in present.items() if not any_value]


def annual_figures(figures: pd.DataFrame, metrics=HEADLINE, region_ids=("PK",),
                   orgs=schema.REPORTING_ORGS) -> pd.DataFrame:
    """Calendar-year figures (kept off the quarterly axis), one row per organisation and metric."""
    cells = matching(figures, period_type="year", source_org=orgs, metric=metrics, region_id=region_ids)
    return _figure_table(cells, "source_org")


def official_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Every figure of the official series (schema.OFFICIAL_ORGS: ISPR, the KP CTD), for a table of
    their own: they count incidents differently and never stand beside a think tank's number."""
    return _figure_table(matching(figures, source_org=schema.OFFICIAL_ORGS), "organisation")


def _figure_table(cells: pd.DataFrame, org_column: str) -> pd.DataFrame:
    # Published rows as the tables list them, by period, organisation and metric: the region by
    # name, revisions noted, the page as ``source``; ``org_column`` names the organisation by its
    # label ("organisation") or as the figures do ("source_org").
    table = cells.rename(columns={"url": "source"}).assign(
        organisation=cells["source_org"].map(schema.ORG_LABELS).fillna(cells["source_org"]),
        region=cells["region_id"].map(REGION_NAMES).fillna(cells["region_id"]),
        note=revision_notes(cells["series"], cells["revision"]),
    )
    columns = ["period", org_column, "metric", "value", "note", "region", "confidence", "source"]
    return table.sort_values(["period", "source_org", "metric"])[columns].reset_index(drop=True)


def target_group(target) -> str:
    """The first target named in a free-text target cell ("police; civilians" -> "police")."""
    parts = filters.target_parts(target)
    return parts[0] if parts else "unknown"


def atlas_counts(incidents: pd.DataFrame, dimension: str, granularity: str = "quarter") -> pd.DataFrame:
    """Atlas records per period (rows) and value of ``dimension`` (columns), over the periods the
    atlas covers; 0 is a real count there. Overlapping aggregate rows are left out."""
    frame = summarize.countable(incidents)
    if dimension == "target_group":  # derived per record: only when it is the dimension counted
        frame = frame.assign(target_group=frame["target"].map(target_group))
    frame = frame.assign(period=periods.of_dates(frame["occurred_on"], granularity)).dropna(subset=["period"])
    if frame.empty:
        return pd.DataFrame(index=pd.Index([], name="period")).reset_index()
    present = frame["period"].unique()  # a few dozen labels, however many records
    covered = periods.span(min(present, key=periods.parse), max(present, key=periods.parse))
    counts = frame.groupby(["period", dimension]).size().unstack(fill_value=0)
    counts = counts.reindex(covered, fill_value=0)
    counts.index.name, counts.columns.name = "period", None
    return counts.astype(int).reset_index()


def _period_axis(table: pd.DataFrame) -> alt.X:
    labels = sorted(table["period"].unique(), key=periods.parse) if len(table) else []
    return alt.X("period:O", scale=alt.Scale(domain=labels), sort=labels, title=None)


def line_chart(table: pd.DataFrame, colour: str, colour_title: str, y_title: str) -> alt.LayerChart:
    """Lines over every period of the table, one per value of ``colour``; a missing value breaks the line.

    Points mark every published value, their shape says whether it is a revision.
    """
    tooltip = ["period", "source_org", "region", "metric", alt.Tooltip("value:Q", format=",.0f"), "note",
               "confidence"]
    base = alt.Chart(table).encode(
        x=_period_axis(table),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color(f"{colour}:N", title=colour_title,
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=320)),
        tooltip=tooltip,
    )
    line = base.mark_line(invalid="break-paths-show-domains")
    points = base.transform_filter("isValid(datum.value)").mark_point(filled=True, size=70).encode(
        shape=alt.Shape("note:N", title="Figure", scale=alt.Scale(domain=list(NOTES.values())),
                        legend=alt.Legend(orient="bottom", columns=1, labelLimit=320)),
    )
    return alt.layer(line, points).properties(height=CHART_HEIGHT)


def counts_chart(counts: pd.DataFrame, title: str) -> alt.Chart:
    """Stacked bars of atlas records per period from an ``atlas_counts`` table."""
    long = counts.melt(id_vars="period", var_name="category", value_name="records")
    long = long[long["records"] > 0]
    return alt.Chart(long).mark_bar().encode(
        x=_period_axis(counts),
        y=alt.Y("records:Q", title="records"),
        color=alt.Color("category:N", title=title, legend=alt.Legend(orient="bottom", columns=3)),
        tooltip=["period", "category", "records"],
    ).properties(height=CHART_HEIGHT)


def source_caption(table: pd.DataFrame, what: str) -> str:
    """The caption under a published-figures chart: whose numbers, where the links are, the gaps."""
    shown = sorted(table.loc[table["value"].notna(), "source_org"].unique())
    absent = without_values(table)
    text = (f"{what}. Source: {', '.join(shown) or 'none'} as published (each value's page is linked in "
            "the table and in the CSV). A break in a line is a period with no published figure, not zero.")
    if absent:
        text += f" No figure of this kind of period from {', '.join(absent)} in the compiled sources."
    return text
