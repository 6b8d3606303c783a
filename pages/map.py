"""Map page: pick a quarter, see where violence happened and how it changed, filter, download."""

import streamlit as st
from streamlit_folium import st_folium

from geo import export, filters, maps, records, views
from pages import shared

atlas = shared.load_or_stop()
quarter = shared.quarter_picker(atlas.incidents)
org, series = shared.figure_settings()
mode = st.sidebar.radio("Colour provinces by", list(views.MODES), format_func=views.MODES.get, key="mode",
                        bind="query-params")
metric = st.sidebar.selectbox("Metric", list(views.METRICS), key="metric", bind="query-params")
per_million = st.sidebar.toggle("Per million people", key="per_million", bind="query-params")
state = shared.filter_widgets(atlas)

figures = records.select_series(atlas.figures, series)
selected = views.quarter_incidents(atlas.incidents, quarter, state, atlas.quarter_bounds)
choice = views.Choice(quarter, mode, metric, per_million, org)

st.title(f"Pakistan Security Atlas · {quarter}")
st.caption(f"Published figures: {org}, {views.SERIES[series].lower()}. Incident counts: this atlas's own records.")
kpi_columns = st.columns(4)
for column, row in zip(kpi_columns, views.kpis(figures, org, quarter).itertuples(), strict=False):
    column.metric(f"{row.metric.capitalize()} ({org})", views.number(row.value),
                  delta=views.delta(row.change_pct), delta_color="inverse", help=views.source_help(row.url))
atlas_totals = views.atlas_totals(selected)
kpi_columns[3].metric("Atlas records (this view)", atlas_totals["records"],
                      help=f"Killed: {atlas_totals['killed']}; injured: {atlas_totals['injured']}")
st.markdown(views.shares_text(figures, org, quarter, selected))

values, labels = views.province_values(choice, figures, selected, atlas.provinces)
fmap = maps.base_map(atlas.neighbours)
maps.choropleth(fmap, atlas.provinces, values, layer_name="Provinces", metric_label=views.metric_label(choice),
                source_label=labels, digits=1 if per_million else 0)
maps.border_layer(fmap, atlas.border_regions, views.border_values(selected, metric), f"{metric} (atlas records)")
maps.incident_markers(fmap, selected)
maps.cross_border_arrows(fmap, selected[selected["event_type"] == "cross_border_strike"], atlas.neighbours)
maps.add_legend(fmap, maps.marker_legend_html())
maps.layer_control(fmap)
if selected.empty:
    st.info("No incident records in this atlas match this quarter and these filters. The base map is still shown.")
st_folium(fmap, key="map", height=580, use_container_width=True, returned_objects=[])

st.subheader("By province")
st.dataframe(views.province_table(figures, org, quarter, selected), hide_index=True)

label = f"atlas-incidents-{quarter}-{filters.describe(state)}"
meta = views.download_metadata(quarter, state, shared.data_provenance())
columns = views.export_columns(selected)
left, right = st.columns(2)
# Deferred: the files are built only when clicked, not on every rerun (quarter switch, filter).
left.download_button("Download GeoJSON", data=lambda: export.to_geojson(selected, columns, meta),
                     file_name=f"{label}.geojson", mime="application/geo+json", on_click="ignore",
                     key="download_geojson")
right.download_button("Download CSV", data=lambda: export.to_csv(selected, columns), file_name=f"{label}.csv",
                      mime="text/csv", on_click="ignore", key="download_csv")
