"""Serve the CDN scripts folium asks for from local npm copies, so maps render with no internet.

streamlit-folium's iframe loads its ``js_links`` one after another and gives up at the first
failure, leaving an invisible, empty map. The browser tests therefore route every request that
does not go to the local Streamlit server: known libraries are fulfilled from
``tests/browser/node_modules`` (installed by ``make test``), other scripts and styles get an empty
body, and everything else (map tiles, fonts, telemetry) is aborted.
"""

import re
from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"

# (pattern on the URL, file under node_modules)
LOCAL_COPIES = [
    (r"/leaflet@[\d.]+/dist/leaflet\.js$", "leaflet/dist/leaflet.js"),
    (r"/leaflet@[\d.]+/dist/leaflet\.css$", "leaflet/dist/leaflet.css"),
    (r"/leaflet@[\d.]+/dist/images/(?P<name>[\w-]+\.png)$", "leaflet/dist/images/{name}"),
    (r"/leaflet\.markercluster/[\d.]+/leaflet\.markercluster\.js$",
     "leaflet.markercluster/dist/leaflet.markercluster.js"),
    (r"/leaflet\.markercluster/[\d.]+/MarkerCluster\.css$",
     "leaflet.markercluster/dist/MarkerCluster.css"),
    (r"/leaflet\.markercluster/[\d.]+/MarkerCluster\.Default\.css$",
     "leaflet.markercluster/dist/MarkerCluster.Default.css"),
    (r"/Leaflet\.awesome-markers/[\d.]+/leaflet\.awesome-markers\.js$",
     "drmonty-leaflet-awesome-markers/js/leaflet.awesome-markers.js"),
    (r"/Leaflet\.awesome-markers/[\d.]+/leaflet\.awesome-markers\.css$",
     "drmonty-leaflet-awesome-markers/css/leaflet.awesome-markers.css"),
    (r"code\.jquery\.com/jquery-3\.7\.1(\.min)?\.js$", "jquery/dist/jquery.min.js"),
    (r"d3js\.org/d3\.v4(\.min)?\.js$", "d3-v4/build/d3.min.js"),
    (r"/d3/3\.5\.5/d3(\.min)?\.js$", "d3-v3/d3.min.js"),
]
CONTENT_TYPES = {".js": "application/javascript", ".css": "text/css", ".png": "image/png"}


def local_copy(url: str) -> Path | None:
    """The local file that stands in for a CDN ``url``, or None if we have none."""
    for pattern, target in LOCAL_COPIES:
        match = re.search(pattern, url)
        if match:
            return NODE_MODULES / target.format(**match.groupdict())
    return None


def check_installed() -> None:
    """Fail loudly if the local copies are missing (run ``make test`` to install them)."""
    missing = [t for _, t in LOCAL_COPIES if "{" not in t and not (NODE_MODULES / t).exists()]
    if missing:
        raise RuntimeError(
            f"browser test assets missing under {NODE_MODULES}: {missing}. "
            "Run `make test` (it runs `npm ci` in tests/browser)."
        )


def route_offline(route, local_origin: str) -> None:
    """Playwright route handler: local server passes, CDN libraries are served, the rest stubbed."""
    url = route.request.url
    if url.startswith(local_origin) or url.startswith(("data:", "blob:", "about:")):
        route.continue_()
        return
    path = local_copy(url)
    if path is not None:
        route.fulfill(path=str(path), content_type=CONTENT_TYPES.get(path.suffix))
        return
    stem = url.split("?")[0]
    if stem.endswith(".js") or stem.endswith(".css"):
        route.fulfill(status=200, body="", content_type=CONTENT_TYPES[Path(stem).suffix])
        return
    route.abort()
