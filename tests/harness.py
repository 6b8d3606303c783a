"""What the AppTests read from a page's map: the st_folium component and the view it draws.

The map's base (Leaflet, boundaries) is the same on every page and rerun; what a page shows
travels in the view payload that ``atlasMap.update`` receives (see geo/render/maps.py).
"""

import json

from streamlit.testing.v1 import AppTest

UPDATE_CALL = "atlasMap.update("


def map_args(at: AppTest) -> dict:
    """The arguments the page sent to its one st_folium map."""
    (component,) = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    return json.loads(component.proto.json_args)


def map_view(at: AppTest) -> dict:
    """The view payload the map client draws (period, regions, markers, cells, arrows, legend)."""
    code = map_args(at)["feature_group"]
    start = code.index(UPDATE_CALL) + len(UPDATE_CALL)
    view, _ = json.JSONDecoder().raw_decode(code, start)
    return view
