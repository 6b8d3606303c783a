"""The main user journeys in headless Chromium against a real `streamlit run`, fully offline."""

import io
import json
from pathlib import Path

from PIL import Image, ImageStat
from playwright.sync_api import expect

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def open_map(page, url: str, query: str = ""):
    page.goto(f"{url}/{query}")
    frame = page.frame_locator(MAP_FRAME).first
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=60_000)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached()
    return frame


def metric_value(page, label: str) -> str:
    card = page.get_by_test_id("stMetric").filter(has_text=label).first
    return card.get_by_test_id("stMetricValue").inner_text()


def choose(page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()


def assert_not_blank(png: bytes) -> None:
    image = Image.open(io.BytesIO(png)).convert("L")
    assert ImageStat.Stat(image).stddev[0] > 10, "screenshot is (nearly) one flat colour"


def test_map_renders_offline_and_quarter_switch_updates_kpis(page, app_url):
    frame = open_map(page, app_url)
    # The Leaflet map really drew the offline boundary layers inside the component iframe.
    assert frame.locator("path.leaflet-interactive").count() >= 7
    expect(page.get_by_test_id("stMetric").filter(has_text="Deaths").first).to_contain_text("no data")
    choose(page, "Quarter", "2024Q2")
    expect(page.get_by_test_id("stMetric").filter(has_text="Deaths").first).to_contain_text("380")
    expect(page.get_by_test_id("stMetric").filter(has_text="Deaths").first).to_contain_text("-12%")
    assert "quarter=2024Q2" in page.url
    assert page.js_errors == []


def test_toggling_the_incident_layer_hides_its_markers(page, app_url):
    frame = open_map(page, app_url, "?quarter=2024Q1")
    before = frame.locator("path.leaflet-interactive").count()
    frame.locator(".leaflet-control-layers-overlays label", has_text="Incidents").locator("input").uncheck()
    expect(frame.locator("path.leaflet-interactive")).not_to_have_count(before)
    assert frame.locator("path.leaflet-interactive").count() < before


def test_download_geojson_of_the_selected_quarter(page, app_url, tmp_path):
    open_map(page, app_url, "?quarter=2024Q1")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download GeoJSON").click()
    download = info.value
    assert download.suggested_filename == "atlas-incidents-2024Q1-all.geojson"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    doc = json.loads(path.read_text())
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert doc["atlas"]["quarter"] == "2024Q1"
    assert doc["features"], "2024Q1 has incident records"
    for feature in doc["features"]:
        assert feature["properties"]["quarter"] == "2024Q1"
        assert feature["properties"]["sources"].startswith("http")
        if feature["geometry"]:
            lon, lat = feature["geometry"]["coordinates"]
            assert 55 < lon < 80 and 20 < lat < 40  # lon, lat order


def test_screenshot_for_the_readme_is_not_blank(page, app_url):
    open_map(page, app_url, "?quarter=2024Q1")
    page.wait_for_timeout(1500)  # let Leaflet finish drawing before the picture
    png = page.screenshot(full_page=False)
    assert_not_blank(png)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.write_bytes(png)
