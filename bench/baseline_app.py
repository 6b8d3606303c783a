"""The bare baseline for bench/browser.py: one quarter's incidents as a FastMarkerCluster, nothing else.

It reads the same incidents file as the atlas ($ATLAS_INCIDENTS, else the shipped data/incidents.csv;
native CSV only) with plain pandas, so the benchmark can say how much the atlas costs on top of the
cheapest way to put those points on a Streamlit map. Rows without coordinates are left out, as a map
cannot place them.

    streamlit run bench/baseline_app.py
"""

import os
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from folium.plugins import FastMarkerCluster
from streamlit_folium import st_folium

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "incidents.csv"


@st.cache_data(show_spinner="Loading incidents…")
def points_by_quarter(path: str) -> dict[str, list[list[float]]]:
    """[lat, lon] pairs of the located incidents, per quarter ("2024Q1"), read once per file."""
    frame = pd.read_csv(path, usecols=["occurred_on", "lat", "lon"], dtype=str)
    frame = frame.dropna(subset=["lat", "lon"])
    quarter = pd.to_datetime(frame["occurred_on"]).dt.to_period("Q").astype(str)
    coords = frame[["lat", "lon"]].astype(float)
    return {q: group.to_numpy().tolist() for q, group in coords.groupby(quarter)}


points = points_by_quarter(os.environ.get("ATLAS_INCIDENTS") or str(SHIPPED))
options = sorted(points)
quarter = st.sidebar.selectbox("Quarter", options, index=len(options) - 1, key="quarter", bind="query-params")
st.title(f"Baseline · {quarter}")
# maxZoom as a Leaflet option: with tiles=None folium sets none, and marker clusters need one.
fmap = folium.Map(location=(30.0, 69.5), zoom_start=5, tiles=None, maxZoom=18)
FastMarkerCluster(points[quarter]).add_to(fmap)
st_folium(fmap, key="map", height=580, use_container_width=True, returned_objects=[])
