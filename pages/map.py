"""Map page: pick a year, quarter or month, see where violence happened and how it changed, filter, download."""

import streamlit as st

from geo import export, filters, schema
from geo.figures import select_series
from geo.views import map as view
from pages.ui import cache, session, widgets

atlas = session.load_or_stop()
org, series = widgets.figure_settings()
figures = select_series(atlas.figures, series)
period = widgets.period_picker(atlas, figures, org)
mode = st.sidebar.radio("Colour provinces by", list(view.MODES), format_func=view.MODES.get, key="mode",
                        bind="query-params")
metric = st.sidebar.selectbox("Metric", list(view.MAP_METRICS), key="metric", bind="query-params")
per_million = st.sidebar.toggle("Per million people", key="per_million", bind="query-params")
state = widgets.filter_widgets(atlas)

selected = atlas.select(period, state)
choice = view.Choice(period, mode, metric, per_million, org)
shown = cache.map_page(atlas, series, choice, state, figures, selected)

# The downloads come before everything that shows the view: Streamlit sends elements in script
# order, so once the new title, tiles or map are on screen, so are the buttons of that view.
st.sidebar.subheader("Download this view")
label = f"atlas-incidents-{period}-{filters.describe(state)}"
meta = export.download_metadata(period, state, cache.data_provenance())
columns = export.export_columns(selected)
# Deferred: each file is built only when clicked, from this run's view, not on every rerun.
st.sidebar.download_button("Download GeoJSON", data=lambda: export.to_geojson(selected, columns, meta),
                           file_name=f"{label}.geojson", mime="application/geo+json", on_click="ignore",
                           key="download_geojson")
st.sidebar.download_button("Download CSV", data=lambda: export.to_csv(selected, columns), file_name=f"{label}.csv",
                           mime="text/csv", on_click="ignore", key="download_csv")

st.title(f"Pakistan Security Atlas · {period}")
st.caption(f"Published figures: {org}, {schema.SERIES_LABELS[series].lower()}. "
           "Incident counts: this atlas's own records.")
kpi_columns = st.columns(4)
for column, row in zip(kpi_columns, shown.kpis.itertuples(), strict=False):
    column.metric(f"{row.metric.capitalize()} ({org})", view.number(row.value),
                  delta=view.delta(row.change_pct), delta_color="inverse", help=view.source_help(row))
kpi_columns[3].metric("Atlas records (this view)", shown.totals["records"],
                      help=f"Killed: {shown.totals['killed']}; injured: {shown.totals['injured']}")
st.markdown(shown.shares)

notice = st.empty()  # always in place, so the map below keeps its position (and its iframe) on every rerun
if selected.empty:
    notice.info("No incident records in this atlas match this period and these filters. The base map is still shown.")
widgets.show_map(shown.view, key="map", height=580)

st.subheader("By province")
# Markdown, not a dataframe widget: the dataframe's scripts cost the first load 0.3 s of the map.
st.markdown(view.markdown_table(shown.table.drop(columns="province_id")))
