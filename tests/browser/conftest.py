"""Fixtures for the browser tier: a real `streamlit run` server and headless Chromium, offline.

Every request that does not go to the app is aborted and recorded (``page.outside_requests``):
the atlas must draw its map from its own files, as it does for users with no internet.
"""

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from bench import server

PROJECT_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_DIR / "test-artifacts"
CHROMIUM_ARGS = server.CHROMIUM_ARGS


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def find_chromium() -> str | None:
    """The system Chromium, else the one `python -m playwright install chromium` fetched."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
        return path if Path(path).exists() else None
    except Exception:
        return None


def start_streamlit(extra_env: dict | None = None):
    """Start `streamlit run app.py` on a free 127.0.0.1 port; returns (process, url, log path)."""
    port = server.free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-{port}.log"
    env = {**os.environ, **(extra_env or {})}
    process = server.start(PROJECT_DIR / "app.py", port, env, log_path, timeout=60, poll=0.3)
    return process, f"http://127.0.0.1:{port}", log_path


@contextlib.contextmanager
def streamlit_server(extra_env: dict | None = None):
    """A `streamlit run` server for the duration of the block; yields its URL."""
    process, url, _log = start_streamlit(extra_env)
    try:
        yield url
    finally:
        server.stop(process)


def stay_local(route, origin: str, outside: list[str]) -> None:
    """Playwright route handler: requests to the app pass; anything else is recorded and aborted."""
    url = route.request.url
    if url.startswith((origin + "/", "data:", "blob:", "about:")) or url == origin:
        route.continue_()
        return
    outside.append(url)
    route.abort()


@contextlib.contextmanager
def offline_page(browser, url: str):
    """A fresh browser page that can reach nothing but the app at ``url``.

    ``page.js_errors`` collects uncaught JavaScript errors, ``page.outside_requests`` every
    request that tried to leave the app (and was aborted).
    """
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    outside = []
    context.route("**/*", lambda route: stay_local(route, url, outside))
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    page.outside_requests = outside
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def app_url():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    chromium = find_chromium()
    if chromium is None:
        pytest.fail(
            "No Chromium found for the browser tests. Install one with "
            "`apt-get install chromium` (Debian/Ubuntu) or `python -m playwright install chromium`, "
            "or run `make test`, which does this for you."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    with offline_page(browser, app_url) as page:
        yield page
