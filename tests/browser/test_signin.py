"""Signing in through a real OpenID Connect provider in Chromium (tests/browser/oidc.py): a visitor
is asked to sign in, an editor imports a file and corrects a record and is named beside both, and
a signed-in viewer sees all of it but is told why they cannot change anything.

The app is a real `streamlit run` whose secrets file points st.login at the provider on
127.0.0.1, with its own empty GeoPackage store and ATLAS_EDITORS naming the editor. That a change
arriving from someone who is no longer an editor is refused by the server is tested in AppTest
(tests/test_auth_app.py), where the request can be forged.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, streamlit_server
from tests.browser.oidc import app_env, oidc_provider, page_with_provider, sign_in, write_secrets

GTD = Path(__file__).resolve().parents[1] / "fixtures" / "gtd_subset.csv"
RECORD = "GTD-200801010001"
EDITOR, VIEWER = "editor@example.org", "reader@example.org"


@pytest.fixture(scope="module")
def signin_app(tmp_path_factory):
    """(app URL, provider URL): the provider and an app configured to sign in with it."""
    folder = tmp_path_factory.mktemp("signin")
    with oidc_provider() as issuer:
        env = app_env(write_secrets(folder, issuer), ATLAS_HOME=str(folder / "home"), ATLAS_DATABASE_URL="",
                      ATLAS_EDITORS=EDITOR)
        with streamlit_server(env) as url:
            yield url, issuer


def open_data_page(page, url: str) -> None:
    page.goto(f"{url}/")  # / first: a cold deep link trips a Streamlit quirk (test_pages.py)
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Data", timeout=60_000)
    page.goto(f"{url}/data")
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()


def succeeded(page, text: str) -> None:
    """A success message holding ``text`` is shown (the last one may linger during a rerun)."""
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text=text)).to_be_visible()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.get_by_role("heading", name="Your data").scroll_into_view_if_needed()  # the top: who you are
    page.wait_for_timeout(500)
    (ARTIFACTS / f"signin-{name}.png").write_bytes(page.screenshot(full_page=True))


def choose(page, label: str, option: str, tries: int = 5) -> None:
    """Pick ``option`` in the multiselect ``label``. Its list sometimes closes again at once when
    the click lands while the page is still settling, so it is tried again until the option shows
    among the chosen ones."""
    widget = page.get_by_test_id("stMultiSelect").filter(has_text=label)
    chosen = widget.get_by_test_id("stMultiSelectTagsContainer")
    for _ in range(tries):
        widget.locator("input").click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=2000)
            page.keyboard.press("Escape")
            expect(chosen).to_contain_text(option, timeout=2000)
            return
        except (PlaywrightTimeout, AssertionError):
            page.keyboard.press("Escape")
    raise AssertionError(f"{option!r} could not be chosen in {label!r}")


def correct_place(page, text: str) -> None:
    """Correct the place of RECORD through the Data page's form, as a person would."""
    page.get_by_role("textbox", name="Record ID").fill(RECORD)
    page.get_by_role("textbox", name="Record ID").press("Enter")
    expect(page.get_by_text("Never corrected.")).to_be_visible()  # the record is shown: the rerun is over
    choose(page, "Fields to change", "Place")
    page.get_by_role("textbox", name=re.compile(r"^Place \(now")).fill(text)
    page.get_by_role("textbox", name="Reason (required)").fill("Called the district office")
    page.get_by_role("button", name="Save correction").click()


def test_a_visitor_is_asked_to_sign_in_and_can_change_nothing(browser, signin_app):
    url, issuer = signin_app
    with page_with_provider(browser, url, issuer) as page:
        open_data_page(page, url)
        expect(page.get_by_test_id("stAlertContentWarning").first).to_contain_text("sign in if you are one")
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_be_disabled()
        assert page.outside_requests == []


def test_an_editor_changes_data_and_a_viewer_sees_who_but_cannot(browser, signin_app):
    url, issuer = signin_app
    with page_with_provider(browser, url, issuer) as page:
        open_data_page(page, url)
        sign_in(page, url, issuer, EDITOR)
        expect(page.get_by_text(f"You are signed in as {EDITOR}, one of this atlas's editors")).to_be_visible()
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(GTD))
        succeeded(page, "Saved gtd_subset.csv as gtd_subset")
        panel = page.get_by_test_id("stExpander").filter(has_text="gtd_subset: 6 records")
        expect(panel).to_contain_text(f"UTC by {EDITOR}")
        correct_place(page, "Peshawar Saddar")
        succeeded(page, "Saved: place")
        expect(page.get_by_text(f"1 field corrected; latest by {EDITOR}")).to_be_visible()
        shoot(page, "editor")
        assert page.outside_requests == []

    with page_with_provider(browser, url, issuer) as page:  # another person, another browser
        open_data_page(page, url)
        sign_in(page, url, issuer, VIEWER)
        expect(page.get_by_test_id("stAlertContentWarning").first).to_contain_text(
            f"You are signed in as {VIEWER}, who is not one of this atlas's editors")
        expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_be_disabled()
        panel = page.get_by_test_id("stExpander").filter(has_text="gtd_subset: 6 records")
        expect(panel).to_contain_text(f"UTC by {EDITOR}")
        expect(page.get_by_role("button", name="Remove this dataset")).to_be_disabled()
        page.get_by_role("textbox", name="Record ID").fill(RECORD)
        page.get_by_role("textbox", name="Record ID").press("Enter")
        expect(page.get_by_text(f"1 field corrected; latest by {EDITOR}")).to_be_visible()
        shoot(page, "viewer")
        page.get_by_role("button", name="Sign out").click()  # Streamlit clears its cookie, then the provider
        page.wait_for_url(f"{issuer}/**")
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(f"{url}/**")
        open_data_page(page, url)
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        assert page.outside_requests == []
