"""The one app harness of the AppTests: open the app as a visitor following a link, and read
what a page's map draws.

The map's base (Leaflet, boundaries) is the same on every page and rerun; what a page shows
travels in the view payload that ``atlasMap.update`` receives (see geo/render/maps.py).
"""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 120  # seconds for one run: a cold first run loads and joins the data


def open_app(page: str | None = None, **query) -> AppTest:
    """The app as a visitor following a link: ``query`` is in the URL from the first run on;
    with ``page`` (``"pages/trends.py"``), that page after the first run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    return at.switch_page(page).run() if page else at

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
