"""The main user journeys in headless Chromium against a real `streamlit run`, fully offline.

These look inside the map iframe: the legend the map drew (and the quarter it names), the
paths Leaflet drew, and whether the iframe survived a rerun. The page's text alone once passed
while the map was blank.
"""

import io
import json
from pathlib import Path

from PIL import Image, ImageStat
from playwright.sync_api import expect

from geo import atlas, boundaries, paths
from geo.incidents import load_incidents
from geo.render import maps

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
BOUNDARY_PATHS = 7 + 15 + 5  # provinces, border regions, countries: one path each
OVERLAY_PATHS = ".leaflet-overlay-pane path.leaflet-interactive"  # incident markers and strike arrows


def map_frame(page):
    return page.frame_locator(MAP_FRAME).first


def legend(page, period: str):
    return map_frame(page).locator(f'.atlas-legend[data-period="{period}"]')


def open_map(page, url: str, query: str = "", period: str | None = None):
    """Open the Map page and wait until the map has drawn ``period`` (any period if None)."""
    page.goto(f"{url}/{query}")
    frame = map_frame(page)
    drawn = legend(page, period) if period else frame.locator(".atlas-legend[data-period]")
    expect(drawn).to_be_attached(timeout=60_000)
    expect(frame.locator("path.leaflet-interactive")).not_to_have_count(0)
    return frame


def metric_value(page, label: str) -> str:
    card = page.get_by_test_id("stMetric").filter(has_text=label).first
    return card.get_by_test_id("stMetricValue").inner_text()


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label``, typing it first as a person does in a
    long list (the dropdown only draws the options in view)."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()


def assert_not_blank(png: bytes) -> None:
    image = Image.open(io.BytesIO(png)).convert("L")
    assert ImageStat.Stat(image).stddev[0] > 10, "screenshot is (nearly) one flat colour"


def overlay_paths_expected(period: str) -> int:
    """What the map should draw for ``period`` with no filter: one circle per located incident,
    and a line plus a head per cross-border strike arrow."""
    incidents = load_incidents(paths.INCIDENTS)
    rows = atlas.period_incidents(incidents, period, {})
    located = rows[rows.geometry.notna() & ~rows.geometry.is_empty]
    strikes = rows[rows["event_type"] == "cross_border_strike"]
    return len(located) + 2 * len(maps.strike_arrows(strikes, boundaries.load_neighbours()))


def iframe_marker(page):
    """The map iframe's window, to tell whether a rerun kept it or built a new one."""
    return next(frame for frame in page.frames if "st_folium" in frame.url)


def test_default_view_shows_published_numbers_on_the_map(page, app_url):
    frame = open_map(page, app_url)
    title = page.get_by_role("heading", level=1).inner_text()
    period = title.rsplit("· ", 1)[1]
    assert metric_value(page, "Deaths (CRSS)") != "no data"
    expect(legend(page, period)).to_contain_text(f"Deaths, {period} (CRSS)")
    # Published figures colour at least one province: not every swatch is "no data".
    assert frame.locator(".atlas-legend span").count() > 1
    assert page.outside_requests == [] and page.js_errors == []


def test_quarter_switch_redraws_the_same_map_in_place(page, app_url):
    frame = open_map(page, app_url, "?quarter=2024Q1", period="2024Q1")
    assert frame.locator(OVERLAY_PATHS).count() == overlay_paths_expected("2024Q1")
    iframe_marker(page).evaluate("window.__kept = true")
    for quarter, deaths, change in (("2024Q2", "380", "-12%"), ("2024Q1", None, None), ("2024Q2", "380", None)):
        choose(page, "Quarter", quarter)
        expect(legend(page, quarter)).to_contain_text(f"Deaths, {quarter} (CRSS)")
        expect(frame.locator(OVERLAY_PATHS)).to_have_count(overlay_paths_expected(quarter))
        assert frame.locator("path.leaflet-interactive").count() == BOUNDARY_PATHS + overlay_paths_expected(quarter)
        assert iframe_marker(page).evaluate("window.__kept === true"), "the rerun rebuilt the map iframe"
        if deaths:
            card = page.get_by_test_id("stMetric").filter(has_text="Deaths (CRSS)").first
            expect(card).to_contain_text(deaths)
            if change:
                expect(card).to_contain_text(change)
    assert "period=2024Q2" in page.url
    assert page.outside_requests == [] and page.js_errors == []


def test_switching_to_years_and_months_redraws_the_map_in_place(page, app_url):
    frame = open_map(page, app_url, "?period=2024Q1", period="2024Q1")
    iframe_marker(page).evaluate("window.__kept = true")
    page.get_by_test_id("stRadio").filter(has_text="Period").get_by_text("Year", exact=True).click()
    choose(page, "Year", "2024")
    expect(legend(page, "2024")).to_contain_text("Deaths, 2024 (CRSS)")
    expect(frame.locator(OVERLAY_PATHS)).to_have_count(overlay_paths_expected("2024"))
    page.get_by_test_id("stRadio").filter(has_text="Period").get_by_text("Month", exact=True).click()
    choose(page, "Month", "2024-03")
    expect(legend(page, "2024-03")).to_be_attached()
    expect(frame.locator(OVERLAY_PATHS)).to_have_count(overlay_paths_expected("2024-03"))
    assert iframe_marker(page).evaluate("window.__kept === true"), "the rerun rebuilt the map iframe"
    assert "period=2024-03" in page.url
    assert page.outside_requests == [] and page.js_errors == []


def test_switch_keeps_the_users_zoom(page, app_url):
    frame = open_map(page, app_url, "?quarter=2024Q1", period="2024Q1")
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    zoom = iframe_marker(page).evaluate("window.map.getZoom()")
    choose(page, "Quarter", "2024Q2")
    expect(legend(page, "2024Q2")).to_be_attached()
    assert iframe_marker(page).evaluate("window.map.getZoom()") == zoom


def test_toggling_the_incident_layer_hides_its_markers_and_survives_a_switch(page, app_url):
    frame = open_map(page, app_url, "?quarter=2024Q1", period="2024Q1")
    assert frame.locator(OVERLAY_PATHS).count() > 0
    frame.locator(".leaflet-control-layers-overlays label", has_text="Incidents").locator("input").uncheck()
    frame.locator(".leaflet-control-layers-overlays label", has_text="Cross-border strikes").locator("input").uncheck()
    expect(frame.locator(OVERLAY_PATHS)).to_have_count(0)
    choose(page, "Quarter", "2024Q2")
    expect(legend(page, "2024Q2")).to_be_attached()
    expect(frame.locator(OVERLAY_PATHS)).to_have_count(0)  # the user's choice holds for the new quarter


def test_download_geojson_of_the_selected_quarter(page, app_url, tmp_path):
    open_map(page, app_url, "?quarter=2024Q1", period="2024Q1")
    doc = download(page, tmp_path, "atlas-incidents-2024Q1-all.geojson")
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert doc["atlas"]["period"] == "2024Q1"
    assert doc["features"], "2024Q1 has incident records"
    for feature in doc["features"]:
        assert feature["properties"]["quarter"] == "2024Q1"
        assert feature["properties"]["sources"].startswith("http")
        if feature["geometry"]:
            lon, lat = feature["geometry"]["coordinates"]
            assert 55 < lon < 80 and 20 < lat < 40  # lon, lat order


def test_download_right_after_a_switch_is_the_new_quarter(page, app_url, tmp_path):
    open_map(page, app_url, "?quarter=2024Q1", period="2024Q1")
    choose(page, "Quarter", "2024Q2")
    # Click as soon as the page names the new quarter, while the run may still be drawing the map.
    expect(page.get_by_role("heading", level=1)).to_contain_text("2024Q2")
    doc = download(page, tmp_path, "atlas-incidents-2024Q2-all.geojson")
    assert doc["atlas"]["period"] == "2024Q2"
    assert {f["properties"]["quarter"] for f in doc["features"]} == {"2024Q2"}


def download(page, folder: Path, expected_name: str) -> dict:
    with page.expect_download() as info:
        page.get_by_role("button", name="Download GeoJSON").click()
    assert info.value.suggested_filename == expected_name
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return json.loads(path.read_text())


def test_screenshot_for_the_readme_is_not_blank(page, app_url):
    open_map(page, app_url, "?period=2025", period="2025")
    page.wait_for_timeout(1000)  # let Leaflet finish painting before the picture
    png = page.screenshot(full_page=False)
    assert_not_blank(png)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.write_bytes(png)
