"""Sidebar widgets (period, figures, filters) and the helpers that put a map, a table, a chart or a
download on the page."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import export, filters, periods, schema, settings
from geo.atlas import Atlas
from geo.render import maps
from geo.views import map as view


def _period_in_url() -> str | None:
    # ?period= (year, quarter or month); the older ?quarter= links still open their quarter.
    for name in ("period", "quarter"):
        label = st.query_params.get(name)
        if label and periods.is_period(label):
            return label
    return None


def period_picker(atlas: Atlas, figures: pd.DataFrame, org: str) -> str:
    """Year, quarter or month, then which one (in the URL as ?period=2025, 2025Q3 or 2026-02).

    A page opens on the period in the URL, else on the latest period for which ``org``
    published national figures, so the first view shows numbers. It offers 2023 to the last
    published figure, plus every period of the incidents shown (imported data from other years);
    periods without figures stay selectable and show "no data".
    """
    state = st.session_state
    quarters_with_data = list(atlas.quarter_bounds or {})
    dated = [periods.parse(p) for p in figures["period"].unique() if periods.is_period(p)]
    last = max([periods.LAST_QUARTER] + [periods.quarters_in(p.label)[-1] for p in dated], key=periods.parse)
    in_url = _period_in_url()
    # The first run of a session, or a URL changed from outside (a link, back/forward).
    if "granularity" not in state or (in_url and in_url != state.get("period_in_url")):
        opening = in_url or view.latest_published(figures, org)
        state["granularity"] = periods.granularity(opening) if opening else "quarter"
        if opening:
            state[f"period_{state['granularity']}"] = opening
    # Values are set through session state before the widgets exist, so the widgets take index 0
    # (a default and a state value together make Streamlit warn on the page).
    granularity = st.sidebar.radio("Period", periods.GRANULARITIES, format_func=str.capitalize, key="granularity",
                                   horizontal=True)
    options = periods.options(granularity, quarters_with_data, last)
    key = f"period_{granularity}"
    if state.get(key) not in options:
        published = view.latest_published(figures, org, granularity)
        state[key] = published if published in options else options[-1]
    period = st.sidebar.selectbox(granularity.capitalize(), options, key=key)
    st.query_params["period"] = state["period_in_url"] = period
    if "quarter" in st.query_params:
        del st.query_params["quarter"]
    return period


def figure_settings() -> tuple[str, str]:
    """Organisation and series of the published figures (in the URL as ?org= and ?series=)."""
    org = st.sidebar.selectbox("Organisation", schema.REPORTING_ORGS, key="org", bind="query-params",
                               help="The three count different things: see the Sources page.")
    return org, series_setting()


def filter_widgets(atlas: Atlas) -> dict:
    """One widget per row of ``geo.filters.FILTERS``; returns the filter state (geo.filters.passes)."""
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
            state[spec.key] = st.sidebar.multiselect(spec.label, atlas.choices[spec.key], **common)
    return state


def show_map(view: dict, key: str, height: int, bounds=None) -> None:
    """The live map: the same base map on every rerun (so the iframe stays and keeps the user's
    pan and zoom) with ``view`` redrawn inside it (see geo.render.maps)."""
    online_tiles = settings.get("ATLAS_ONLINE_TILES") == "1"
    st_folium(maps.base_map(bounds, online_tiles), feature_group_to_add=maps.view_layer(view), key=key, height=height,
              use_container_width=True, returned_objects=[])


LINK_COLUMNS = {
    "source": st.column_config.LinkColumn("Source", display_text=r"https?://(?:www\.)?([^/?#]+)",
                                          help="The page this row was taken from (opens in a new tab)"),
    "sources": st.column_config.TextColumn("All sources", help="Every page cited for this row, separated by |"),
}


def series_setting() -> str:
    """Which series of published figures to show (in the URL as ?series=)."""
    return st.sidebar.radio("Figures", list(schema.SERIES_LABELS), format_func=schema.SERIES_LABELS.get, key="series",
                            bind="query-params", help="Organisations revise earlier numbers in later reports.")


def table(frame: pd.DataFrame, container=st, column_config: dict | None = None, **kwargs) -> None:
    """A dataframe whose ``source`` column is a link (``sources``: all of them as text), index
    hidden, formula-like text neutralised (its toolbar's CSV download exports what is shown);
    ``column_config`` adds to (or overrides) the link columns."""
    config = {name: spec for name, spec in LINK_COLUMNS.items() if name in frame.columns} | (column_config or {})
    container.dataframe(export.neutralise_frame(frame), hide_index=True, column_config=config, **kwargs)


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
