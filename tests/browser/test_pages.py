"""Screenshots of the Trends, Border and Sources pages in headless Chromium, offline, checked not blank."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import offline_page, streamlit_server
from tests.browser.test_journeys import MAP_FRAME, assert_not_blank

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module", autouse=True)
def app_opened_once(browser, app_url):
    """Open / once first, as a visitor would: see the xfail test below for what a cold deep link does."""
    with offline_page(browser, app_url) as page:
        page.goto(f"{app_url}/")
        expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Trends", timeout=60_000)


def shoot(page, name: str, full_page: bool = False) -> bytes:
    page.wait_for_timeout(1500)  # let charts and Leaflet finish drawing
    png = page.screenshot(full_page=full_page)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"page-{name}.png").write_bytes(png)
    return png


def test_trends_page_draws_its_charts(page, app_url):
    page.goto(f"{app_url}/trends")
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Border")
    expect(page.get_by_role("heading", name="Trends by quarter, 2023Q1–2025Q4")).to_be_visible()
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts.first).to_be_visible(timeout=60_000)
    expect(charts.first.locator("canvas, svg").first).to_be_attached()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    assert_not_blank(shoot(page, "trends"))
    assert page.js_errors == []


def test_border_page_draws_the_map(page, app_url):
    page.goto(f"{app_url}/border")
    frame = page.frame_locator(MAP_FRAME).first
    expect(frame.locator('.atlas-legend[data-period="all quarters"]')).to_contain_text("Killed", timeout=60_000)
    expect(page.get_by_role("heading", name="Cross-border strikes (12 in this atlas)")).to_be_visible()
    # Every strike with a point and a known origin is drawn: a marker, an arrow line and its head.
    expect(frame.locator(".leaflet-overlay-pane path.leaflet-interactive")).not_to_have_count(0)
    assert frame.locator(".leaflet-atlas-border_regions-pane path").count() == 15
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    assert_not_blank(shoot(page, "border"))
    assert page.js_errors == []


def test_sources_page_lists_the_data_files(page, app_url):
    page.goto(f"{app_url}/sources")
    expect(page.get_by_role("heading", name="Data files")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    assert_not_blank(shoot(page, "sources"))
    assert page.js_errors == []


def test_no_page_asks_anything_of_the_internet(page, app_url):
    for path, ready in (("", ".atlas-legend[data-period]"), ("trends", None), ("border", ".atlas-legend[data-period]"),
                        ("data", None), ("sources", None)):
        page.goto(f"{app_url}/{path}")
        expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Sources", timeout=60_000)
        if ready:
            expect(page.frame_locator(MAP_FRAME).first.locator(ready)).to_be_attached(timeout=60_000)
        page.wait_for_timeout(1000)  # late requests: fonts, images, telemetry
    assert page.outside_requests == []
    assert page.js_errors == []


def test_a_deep_link_on_a_fresh_server_shows_the_app_navigation(browser):
    """A fresh server whose first request is /sources must still run app.py (navigation, footer):
    Streamlit would otherwise use its legacy pages/ mode (see pages/ui/session._leave_legacy_pages_mode)."""
    with streamlit_server() as url, offline_page(browser, url) as page:
        page.goto(f"{url}/sources")
        expect(page.get_by_role("heading", name="Data files")).to_be_visible(timeout=60_000)
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav).to_contain_text("Trends")
        expect(nav).not_to_contain_text("shared")
        expect(page.get_by_text("See the Sources page for details.")).to_be_visible()  # app.py's footer ran
        assert page.url.rstrip("/").endswith("/sources")
