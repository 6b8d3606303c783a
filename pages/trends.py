"""Trends page: series by year, quarter or month, one per organisation, gaps shown as gaps."""

import streamlit as st

from geo import periods, schema
from geo.figures import select_series
from geo.views import trends
from pages.ui import cache, session, widgets

atlas = session.load_or_stop()
granularity = st.sidebar.radio("Period", periods.GRANULARITIES, index=1, format_func=str.capitalize,
                               key="trend_granularity", horizontal=True, bind="query-params")
series = widgets.series_setting()
org = st.sidebar.selectbox("Organisation (provinces, victims)", schema.REPORTING_ORGS, key="trend_org",
                           help="The three count different things: see the Sources page.")
province_metric = st.sidebar.selectbox("Province metric", trends.HEADLINE, key="trend_metric")
figures = select_series(atlas.figures, series)

axis = trends.axis(figures, granularity)
st.title(f"Trends by {granularity}, {axis[0]}–{axis[-1]}")
st.caption("Each organisation's published numbers form their own series; they count different things and "
           f"are never added together. A {granularity} without a published figure is a gap, not zero, and "
           "is never made from other periods (no months summed into a quarter). "
           "The point shape marks revised figures.")

st.header("Nationally, as published")
for metric in trends.HEADLINE:
    full = trends.period_series(figures, [metric], granularity)
    shown = trends.with_values(full)
    st.subheader(metric.capitalize())
    widgets.chart_with_table(trends.line_chart(shown, "source_org", "Organisation", metric),
                            shown.drop(columns=["region_id", "revised"]), name=f"trend-national-{metric}",
                            caption=trends.source_caption(full, f"National {metric}, {schema.SERIES_LABELS[series]}"))

st.header(f"By province ({org})")
full = trends.period_series(figures, [province_metric], granularity, region_ids=trends.PROVINCES,
                             orgs=(org,))
shown = trends.with_values(full, by="region")
if shown.empty:
    st.info(f"{org} published no {province_metric} by province per {granularity} in the compiled sources.")
else:
    widgets.chart_with_table(trends.line_chart(shown, "region", "Province", province_metric),
                            shown.drop(columns=["region_id", "revised"]),
                            name=f"trend-province-{org}-{province_metric}",
                            caption=trends.source_caption(full, f"{province_metric.capitalize()} by province"))

st.header(f"Victim categories ({org})")
full = trends.period_series(figures, list(trends.VICTIM_METRICS), granularity, orgs=(org,))
shown = trends.with_values(full.assign(category=full["metric"].map(trends.VICTIM_METRICS)), by="category")
if shown.empty:
    st.info(f"{org} published no deaths by victim category per {granularity} in the compiled sources.")
else:
    widgets.chart_with_table(trends.line_chart(shown, "category", "Killed", "deaths"),
                            shown.drop(columns=["region_id", "revised"]), name=f"trend-victims-{org}",
                            caption=trends.source_caption(full, "Deaths by victim category, where published"))

st.header("Annual figures, as a table")
annual = trends.annual_figures(figures)
widgets.table(annual)
st.caption("Calendar-year totals as each organisation published them, national. Links: Source column.")
widgets.csv_download(annual, "annual-figures.csv", key="download_annual")

st.header("Official figures (ISPR, KP CTD)")
official = trends.official_figures(figures)
widgets.table(official, placeholder="none")
st.caption(f"{schema.OFFICIAL_NOTE} They are listed here on their own, never on the charts above.")
widgets.csv_download(official, "official-figures.csv", key="download_official")

st.header("In this atlas's records")
st.caption("Counts of this atlas's own incident records (a sample of reported events, not a census), "
           f"per {granularity} from its first to its last record; province-wide tallies that overlap other "
           "records are left out. Each record's sources are on the Sources page.")
for tab, (dimension, label) in zip(st.tabs(list(trends.ATLAS_DIMENSIONS.values())),
                                   trends.ATLAS_DIMENSIONS.items(), strict=True):
    with tab:
        counts = cache.atlas_counts(atlas, dimension, granularity)
        widgets.chart_with_table(trends.counts_chart(counts, label), counts, name=f"atlas-{dimension}",
                                caption=f"Incident records per {granularity} by {label.lower()}. Source: this atlas "
                                        "(data/incidents.csv), each record with its own links.")
