"""The atlas's settings in one small table: name, default, help. Each is an environment variable,
read through ``get`` at the moment it is needed (so tests and servers can set them per process),
and each is documented in the README's settings table (a test checks that)."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # "" means unset
    help: str


SETTINGS = (
    Setting("ATLAS_INCIDENTS", "", "Incidents file (native CSV or GeoJSON) the app shows instead of "
            "data/incidents.csv"),
    Setting("ATLAS_HOME", "", "Folder of the GeoPackage store atlas.gpkg (unset: var/ in the project)"),
    Setting("ATLAS_DATABASE_URL", "", "postgresql://... : keep the store in that PostGIS database instead"),
    Setting("ATLAS_EDITORS", "", "Who may change data once sign-in is configured: e-mail addresses or OIDC "
            "subjects, separated by commas"),
    Setting("ATLAS_OPEN_EDITING", "", "1: every visitor may change data without signing in, also on a shared "
            "store (for a closed network; unset, a shared store without sign-in is read-only)"),
    Setting("ATLAS_ONLINE_TILES", "", "1: draw OpenStreetMap tiles under the map (needs internet; off by default, "
            "the map needs nothing but the app)"),
)
BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The setting's value from the environment, else its default ("" when unset)."""
    return os.environ.get(name) or BY_NAME[name].default
