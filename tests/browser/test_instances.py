"""Several app instances on one PostGIS stay in step: two real `streamlit run` servers share a
database of the test PostgreSQL server (tests/pg_server.py).

- A correction, an import and a removal made in a browser on one appear in a browser on the
  other within 10 s, without a click or a restart there. Each delay is measured and written to
  test-artifacts/instances.json. These instances run with ATLAS_OPEN_EDITING=1, so each change is
  recorded as "anonymous".
- The README's deployment recipe, run: the same two instances with a secrets file, behind nginx
  with deploy/nginx.conf; an editor signs in through the proxy and imports a file (websocket,
  sign-in round trip and upload all pass through it).
"""

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from bench import server
from geo import store
from geo.importers import import_file
from tests.browser.conftest import ARTIFACTS, offline_page, streamlit_server
from tests.browser.oidc import app_env, oidc_provider, page_with_provider, sign_in, write_secrets
from tests.browser.test_signin import EDITOR, RECORD, correct_place, open_data_page, succeeded

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PROJECT = Path(__file__).resolve().parents[2]
IN_STEP_SECONDS = 10


@pytest.fixture(scope="module")
def two_instances(pg, tmp_path_factory):
    """Two app servers on one fresh PostGIS database holding the GTD fixture as "gtd_subset"."""
    url = pg.fresh_url()
    result = import_file(FIXTURES / "gtd_subset.csv")
    store.open_store(url=url).add_dataset("gtd_subset", result.incidents, "gtd_subset.csv", result.report.layout,
                                          result.report.to_dict())
    env = {"ATLAS_DATABASE_URL": url, "ATLAS_OPEN_EDITING": "1",
           "ATLAS_HOME": str(tmp_path_factory.mktemp("unused-home"))}
    with streamlit_server(env) as first, streamlit_server(env) as second:
        yield first, second


def seen_within(locator, started: float) -> float:
    """Seconds from ``started`` until ``locator`` is visible (fails after IN_STEP_SECONDS)."""
    expect(locator).to_be_visible(timeout=IN_STEP_SECONDS * 1000 - (time.monotonic() - started) * 1000)
    return round(time.monotonic() - started, 2)


def test_a_change_in_one_instance_shows_in_the_other_within_10_seconds(browser, two_instances):
    first, second = two_instances
    delays = {}
    with offline_page(browser, first) as editor, offline_page(browser, second) as watcher:
        open_data_page(watcher, second)
        watcher.get_by_role("textbox", name="Record ID").fill(RECORD)
        watcher.get_by_role("textbox", name="Record ID").press("Enter")
        expect(watcher.get_by_text("Never corrected.")).to_be_visible()

        open_data_page(editor, first)
        correct_place(editor, "Peshawar Cantonment")
        succeeded(editor, "Saved: place")
        delays["correction"] = seen_within(watcher.get_by_text("1 field corrected; latest by anonymous"),
                                           time.monotonic())

        editor.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(FIXTURES / "kaggle_drone.csv"))
        succeeded(editor, "Saved kaggle_drone.csv")
        panel = watcher.get_by_test_id("stExpander").filter(has_text="kaggle_drone: 2 records")
        delays["import"] = seen_within(panel, time.monotonic())

        mine = editor.get_by_test_id("stExpander").filter(has_text="kaggle_drone: 2 records")
        mine.get_by_text("I understand that kaggle_drone disappears").click()
        mine.get_by_role("button", name="Remove this dataset").click()
        succeeded(editor, "kaggle_drone removed")
        delays["removal"] = seen_within(watcher.get_by_text("kaggle_drone was removed by anonymous"),
                                        time.monotonic())
        assert editor.outside_requests == [] and watcher.outside_requests == []
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "instances.json").write_text(json.dumps(delays, indent=1))
    print(f"seen in the other instance after (s): {delays}")
    assert all(delay <= IN_STEP_SECONDS for delay in delays.values())


def nginx_config(folder: Path, port: int, instances: list[str]) -> Path:
    """deploy/nginx.conf listening on 127.0.0.1:``port`` in front of ``instances``, wrapped in the
    few lines a stand-alone nginx needs (its files in ``folder``)."""
    recipe = (PROJECT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    recipe = recipe.replace("listen 80;", f"listen 127.0.0.1:{port};")
    servers = "".join(f"    server {urlparse(url).netloc};\n" for url in instances)
    recipe = re.sub(r"(    server 127\.0\.0\.1:\d+;\n)+", servers, recipe)
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = " ".join(f"{kind}_temp_path {folder / kind};" for kind in kinds)
    path = folder / "nginx.conf"
    path.write_text(f"{'user root;' if os.geteuid() == 0 else ''}\npid {folder / 'nginx.pid'};\n"
                    f"error_log {folder / 'error.log'};\nevents {{}}\n"
                    f"http {{\naccess_log {folder / 'access.log'};\n{temp}\n{recipe}\n}}\n", encoding="utf-8")
    return path


@contextlib.contextmanager
def nginx(folder: Path, port: int, instances: list[str]):
    """nginx in front of ``instances`` for the block; yields the proxy's URL."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    config = nginx_config(folder, port, instances)
    check = subprocess.run([binary, "-t", "-p", str(folder), "-c", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([binary, "-p", str(folder), "-c", str(config), "-g", "daemon off;"])
    try:
        deadline = time.monotonic() + 20
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert time.monotonic() < deadline and process.poll() is None, (folder / "error.log").read_text()
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def test_the_deployment_recipe_two_instances_behind_nginx_with_sign_in(browser, pg, tmp_path):
    port = server.free_port()
    with oidc_provider() as issuer:
        secrets = write_secrets(tmp_path, issuer)
        text = secrets.read_text().replace("http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/")
        secrets.write_text(text)  # the redirect goes to the proxy's address, not an instance's
        env = app_env(secrets, ATLAS_DATABASE_URL=pg.fresh_url(), ATLAS_EDITORS=EDITOR,
                      ATLAS_HOME=str(tmp_path / "unused-home"))
        with streamlit_server(env) as first, streamlit_server(env) as second, \
                nginx(tmp_path, port, [first, second]) as proxy, page_with_provider(browser, proxy, issuer) as page:
            open_data_page(page, proxy)
            sign_in(page, proxy, issuer, EDITOR)
            expect(page.get_by_text(f"You are signed in as {EDITOR}, one of this atlas's editors")).to_be_visible()
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(FIXTURES / "gtd_subset.csv"))
            succeeded(page, "Saved gtd_subset.csv as gtd_subset")
            expect(page.get_by_test_id("stExpander").filter(has_text="gtd_subset: 6 records")).to_contain_text(
                f"UTC by {EDITOR}")
            assert page.outside_requests == []
    assert store.open_store(url=env["ATLAS_DATABASE_URL"]).datasets()["name"].tolist() == ["atlas", "gtd_subset"]
