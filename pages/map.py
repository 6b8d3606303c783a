"""Map page: pick a quarter, see where violence happened, take the data away."""

import streamlit as st
from streamlit_folium import st_folium

from geo import export, maps, quarters
from pages import shared

st.title("Pakistan Security Atlas")

quarter_options = quarters.quarter_range()
quarter = st.selectbox(
    "Quarter",
    quarter_options,
    index=len(quarter_options) - 1,
    key="quarter",
    bind="query-params",
)

incidents = shared.incidents()
selected = incidents[incidents["quarter"] == quarter]
st.subheader(f"{quarter}: {len(selected)} incidents in this atlas")

fmap = maps.base_map(shared.neighbours())
maps.add_province_outlines(fmap, shared.provinces())
st_folium(fmap, key="map", height=560, use_container_width=True, returned_objects=[])

st.download_button(
    "Download GeoJSON",
    data=export.to_geojson(selected, metadata={"quarter": quarter}),
    file_name=f"atlas-incidents-{quarter}.geojson",
    mime="application/geo+json",
    on_click="ignore",
    key="download_geojson",
)
