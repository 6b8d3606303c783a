"""Cached wrappers of geo calls: the shipped data and the store's datasets, loaded and joined
once per server process and dataset, and what the Map page shows per view.

Caching lives here, at the UI boundary; ``geo/`` stays deterministic and cache-free. Region
assignment (the spatial join) runs once per dataset and is cached, never per rerun. Every read of
the store is keyed by its change counter or a dataset's data key, so another instance's change is
served here within ``STORE_REFRESH_SECONDS``.
"""

import dataclasses
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import atlas as atlas_data
from geo import auth, join, paths, provenance, schema, settings, store
from geo.atlas import Atlas
from geo.views import map as view
from geo.views import sources, trends

STORE_REFRESH_SECONDS = 2  # how long this process trusts the store's change counter before asking again
ACTIVITY_SHOWN = 50  # the latest changes listed beside each dataset


def incidents_path() -> Path:
    """The incidents file the app shows: ``$ATLAS_INCIDENTS`` if set, else the shipped file."""
    return Path(settings.get("ATLAS_INCIDENTS") or paths.INCIDENTS)


def shipped_label() -> str:
    """The ``dataset`` label of the file the app ships with (``atlas``, or $ATLAS_INCIDENTS's name)."""
    path = incidents_path()
    return schema.SHIPPED_DATASET if path == paths.INCIDENTS else path.name


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
    table = _open_store(location).datasets(include_removed=True, include_shipped=False)
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


def combined(shown: tuple[str, ...], stored: pd.DataFrame) -> Atlas:
    """The datasets ``shown``: the shipped data if among them, plus those of the imported datasets
    ``stored`` (a listing of ``stored_datasets``), merged once per choice and version (cached)."""
    chosen = tuple((row.name, _data_key(row)) for row in stored.itertuples() if row.name in shown)
    return _combined(str(incidents_path()), store_location(), shown, chosen)


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


@st.cache_resource(show_spinner=False, max_entries=16)
def _freshness(atlas_key: str, _atlas: Atlas) -> str:
    # Once per data, not on every rerun of every page: at a million incidents the date span alone
    # is a pass over every row.
    return sources.freshness(_atlas.figures, _atlas.incidents, schema.REPORTING_ORGS)


def freshness(atlas: Atlas) -> str:
    """One line on how fresh the figures and incidents shown are (cached per data)."""
    return _freshness(atlas.key, atlas)


@st.cache_resource(show_spinner=False, max_entries=64)
def _atlas_counts(atlas_key: str, dimension: str, granularity: str, _atlas: Atlas) -> pd.DataFrame:
    # A pass over every record: once per data, dimension and granularity, not on every rerun.
    return trends.atlas_counts(_atlas.incidents, dimension, granularity)


def atlas_counts(atlas: Atlas, dimension: str, granularity: str) -> pd.DataFrame:
    """The Trends page's counts of atlas records per period by ``dimension`` (cached per data)."""
    return _atlas_counts(atlas.key, dimension, granularity, atlas)
