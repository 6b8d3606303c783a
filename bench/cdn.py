"""Network rules for the browser benchmark: only the app's own origin is reached, ever.

Folium maps ask CDNs for Leaflet and its plugins, and this machine reaches none. The baseline page
(and, with ``--cdn-copies``, an older atlas that still loads its map from CDNs) gets those libraries
from local npm copies under ``.cache/bench-cdn``; other scripts and styles get an empty body; anything
else (tiles, fonts, telemetry) fails. Without copies every request off the app's origin fails, so a
map that needs a CDN is never drawn and the benchmark says so.
"""

import base64
import re
import subprocess
from pathlib import Path

CDN_DIR = Path(__file__).resolve().parents[1] / ".cache" / "bench-cdn"
NODE_MODULES = CDN_DIR / "node_modules"
PACKAGES = [
    "leaflet@1.9.3",
    # 1.1.0, which folium names, ships no built JS on npm; 1.5.3 has the same API.
    "leaflet.markercluster@1.5.3",
    "jquery@3.7.1",
    "drmonty-leaflet-awesome-markers@2.0.2",
    "d3-v3@npm:d3@3.5.5",
    "d3-v4@npm:d3@4.13.0",
]
# (pattern on the URL, file under node_modules)
LOCAL_COPIES = [
    (r"/leaflet@[\d.]+/dist/leaflet\.js$", "leaflet/dist/leaflet.js"),
    (r"/leaflet@[\d.]+/dist/leaflet\.css$", "leaflet/dist/leaflet.css"),
    (r"/leaflet@[\d.]+/dist/images/(?P<name>[\w-]+\.png)$", "leaflet/dist/images/{name}"),
    (r"/leaflet\.markercluster/[\d.]+/leaflet\.markercluster\.js$",
     "leaflet.markercluster/dist/leaflet.markercluster.js"),
    (r"/leaflet\.markercluster/[\d.]+/MarkerCluster\.css$", "leaflet.markercluster/dist/MarkerCluster.css"),
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


def ensure_installed() -> None:
    """Install the local copies with npm on first use (about 20 MB, a few seconds)."""
    if all((NODE_MODULES / target).exists() for _, target in LOCAL_COPIES if "{" not in target):
        return
    CDN_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--prefix", str(CDN_DIR), "--no-audit", "--no-fund", "--silent", *PACKAGES],
                   check=True)


def local_copy(url: str) -> Path | None:
    """The local file that stands in for a CDN ``url``, or None if we have none."""
    for pattern, target in LOCAL_COPIES:
        match = re.search(pattern, url)
        if match:
            return NODE_MODULES / target.format(**match.groupdict())
    return None


def _body(url: str) -> bytes | None:
    """What stands in for a CDN file: the local copy, an empty script or style, or None (fail)."""
    path = local_copy(url)
    if path is not None and path.exists():
        return path.read_bytes()
    return b"" if Path(url.split("?")[0]).suffix in (".js", ".css") else None


class Offline:
    """Answers a page's HTTPS requests (CDNs, tiles, fonts: nothing local is HTTPS) through CDP ``Fetch``.

    Playwright's own ``route`` would do, but it turns the browser's HTTP cache off for the whole
    page, which would make every switch reload the app's own scripts too and inflate the figures.
    Plain-HTTP hosts other than 127.0.0.1 never resolve (see ``--host-resolver-rules`` in browser.py).
    """

    def __init__(self, cdp, copies: bool):
        self.cdp = cdp
        self.copies = copies
        cdp.on("Fetch.requestPaused", self._answer)
        cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "https://*", "requestStage": "Request"}]})

    def _answer(self, event: dict) -> None:
        try:
            self._reply(event)
        except Exception:  # the page closed while the request was paused: nobody waits for the answer
            pass

    def _reply(self, event: dict) -> None:
        url = event["request"]["url"]
        body = _body(url) if self.copies else None
        if body is None:
            self.cdp.send("Fetch.failRequest", {"requestId": event["requestId"], "errorReason": "BlockedByClient"})
            return
        headers = [{"name": "Content-Type", "value": CONTENT_TYPES.get(Path(url.split("?")[0]).suffix, "text/plain")},
                   {"name": "Access-Control-Allow-Origin", "value": "*"},
                   {"name": "Cache-Control", "value": "public, max-age=31536000"}]  # as the CDNs send
        self.cdp.send("Fetch.fulfillRequest", {"requestId": event["requestId"], "responseCode": 200,
                                               "responseHeaders": headers, "body": base64.b64encode(body).decode()})
