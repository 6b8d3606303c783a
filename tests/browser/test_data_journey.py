"""Bring your own data in headless Chromium: upload a GTD extract on the Data page, read its import
report, then find its records on the Map. The server has its own empty store ($ATLAS_HOME in a
temporary directory), so the other browser tests never see this upload."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, offline_page, streamlit_server
from tests.browser.test_journeys import assert_not_blank, metric_value, open_map

GTD = Path(__file__).resolve().parents[1] / "fixtures" / "gtd_subset.csv"
QUARTER = "2008Q1"  # all six GTD records


@pytest.fixture(scope="module")
def store_app_url(tmp_path_factory):
    home = str(tmp_path_factory.mktemp("atlas-home"))
    with streamlit_server({"ATLAS_HOME": home, "ATLAS_DATABASE_URL": ""}) as url:
        yield url


@pytest.fixture
def store_page(browser, store_app_url):
    with offline_page(browser, store_app_url) as page:
        yield page


def upload_input(page):
    return page.get_by_test_id("stFileUploaderDropzoneInput")


def upload(page, path: Path) -> None:
    upload_input(page).set_input_files(str(path))


def shoot(page, name: str) -> bytes:
    page.wait_for_timeout(1500)  # let Leaflet and the tables finish drawing
    png = page.screenshot(full_page=False)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"data-journey-{name}.png").write_bytes(png)
    return png


def test_an_uploaded_file_is_saved_reported_and_on_the_map(store_page, store_app_url):
    page = store_page
    page.goto(f"{store_app_url}/")  # open / first: a cold deep link trips a Streamlit quirk (test_pages.py)
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Data", timeout=60_000)
    page.goto(f"{store_app_url}/data")
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    expect(page.get_by_text("up to 200 MB")).to_be_visible()

    upload(page, GTD)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Saved gtd_subset.csv as gtd_subset")
    expect(page.get_by_test_id("stExpander").filter(has_text="gtd_subset: 6 records")).to_be_visible()
    assert metric_value(page, "Read") == "6" and metric_value(page, "Imported") == "6"
    assert_not_blank(shoot(page, "data"))

    page.get_by_role("button", name="Remove gtd_subset.csv").click()
    expect(page.get_by_test_id("stFileChip")).to_have_count(0)
    upload_input(page).set_input_files([])  # else the browser sees the same file and sends no change
    upload(page, GTD)  # the same file again, so the same name: one readable error, nothing saved twice
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text("already in the store")
    expect(page.get_by_test_id("stException")).to_have_count(0)

    frame = open_map(page, store_app_url, f"?quarter={QUARTER}")
    expect(page.get_by_test_id("stMetric").filter(has_text="Atlas records").first).to_contain_text("6")
    expect(frame.locator("path.leaflet-interactive")).not_to_have_count(0)
    assert_not_blank(shoot(page, "map"))
    assert page.js_errors == []


def test_an_unrecognised_layout_is_mapped_then_saved(store_page, store_app_url):
    page = store_page
    page.goto(f"{store_app_url}/data")
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    upload(page, GTD.with_name("generic_unsure.tsv"))
    expect(page.get_by_test_id("stAlert").filter(has_text="was not recognised").first).to_be_visible()
    page.get_by_test_id("stSelectbox").filter(has_text="date").first.click()
    page.get_by_role("option", name="When", exact=True).click()
    page.get_by_role("button", name="Import with this mapping").click()
    expect(page.get_by_test_id("stAlert").filter(has_text="Saved generic_unsure.tsv").first).to_be_visible()
    expect(page.get_by_test_id("stAlert").filter(has_text="was not recognised")).to_have_count(0)
    expect(page.get_by_test_id("stExpander").filter(has_text="generic_unsure: 3 records")).to_be_visible()
