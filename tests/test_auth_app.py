"""The Data page under each deployment rule (geo/auth.py), in AppTest: who may change data, what
the page says to the others, and that the check is made when a change arrives, not when the
page was drawn.

Sign-in is configured the way Streamlit reads it (an ``[auth]`` section in the secrets, here
``AppTest.secrets``) and the signed-in user is ``AppTest.user`` (what st.user holds after the
identity cookie was checked). The real sign-in through an OpenID provider in Chromium is
tests/browser/test_signin.py. A forged change is modelled as a click that arrives after the
visitor stopped being an editor (signed out elsewhere, taken off ATLAS_EDITORS): the button was
enabled when the page was drawn, so only the check at the moment of the change can refuse it.
Streamlit itself drops a change sent for a disabled widget, and the tests check that too.
"""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import store
from geo.importers import import_file
from tests.test_app_store import APP, GTD, RECORD, button, history_table

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-cookie-secret-0123456789",
        "client_id": "atlas", "client_secret": "secret", "server_metadata_url": "http://127.0.0.1:9/.well-known"}
EDITOR = {"is_logged_in": True, "email": "editor@example.org", "sub": "editor-sub", "name": "Ed"}
VIEWER = {"is_logged_in": True, "email": "reader@example.org", "sub": "reader-sub", "name": "Rea"}
SIGNED_OUT = {"is_logged_in": False}


def add_gtd() -> None:
    result = import_file(GTD)
    store.open_store().add_dataset("gtd", result.incidents, GTD.name, result.report.layout,
                                   result.report.to_dict())


@pytest.fixture
def local(tmp_path, monkeypatch):
    """A GeoPackage store holding the GTD fixture as "gtd"; ATLAS_EDITORS lists the editor."""
    monkeypatch.setenv("ATLAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ATLAS_DATABASE_URL", "")
    monkeypatch.setenv("ATLAS_EDITORS", "editor@example.org")
    add_gtd()
    yield
    st.cache_resource.clear()


@pytest.fixture
def shared_store(pg, monkeypatch, tmp_path):
    """The same on a PostGIS database (ATLAS_DATABASE_URL): a shared deployment."""
    monkeypatch.setenv("ATLAS_DATABASE_URL", pg.fresh_url())
    monkeypatch.setenv("ATLAS_EDITORS", "editor@example.org")
    add_gtd()
    yield
    st.cache_resource.clear()


def data_page(user: dict | None = None, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if user is not None:
        at.user = user
    if secrets is not None:
        at.secrets["auth"] = secrets
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def killed() -> int:
    return int(store.open_store().record("gtd", RECORD)["killed"].iloc[0])


def live() -> list[str]:
    return store.open_store().datasets()["name"].tolist()


def texts(elements) -> str:
    return " ".join(element.value for element in elements)


def fill_correction(at: AppTest) -> AppTest:
    at.text_input(key="correct_id").set_value(RECORD).run()
    at.multiselect(key="correct_fields").set_value(["killed", "killed_low", "killed_high"]).run()
    for field in ("killed", "killed_low", "killed_high"):
        at.text_input(key=f"correct_{RECORD}_{field}").set_value("4")
    at.text_input(key="correct_reason").set_value("Dawn: four dead")
    return at


def test_a_local_run_without_sign_in_is_edited_by_the_person_at_the_machine(local):
    at = data_page()
    assert "This is a local atlas: you are its editor" in texts(at.caption)
    listed = next(e.value for e in at.dataframe if "source_file" in e.value).set_index("name")
    assert listed.loc["gtd", "imported_by"].startswith("command line:")  # saved by the fixture's script
    assert "by command line:" in texts(at.caption)  # beside the dataset, in its panel
    button(fill_correction(at), "Save correction").click().run()
    assert killed() == 4
    assert history_table(at)["changed_by"].str.startswith("local:").all()
    assert not any(b.label.startswith("Sign in") for b in at.button)


def test_a_shared_store_without_sign_in_is_read_only_and_says_so(shared_store):
    at = data_page(user=EDITOR)  # a signed-in claim means nothing without sign-in configured
    assert "read-only" in texts(at.warning)
    assert at.button(key="remove_gtd").disabled and at.checkbox(key="sure_gtd").disabled
    assert button(fill_correction(at), "Save correction").disabled
    assert at.text_input(key="dataset_name").disabled
    assert killed() == 3 and live() == ["atlas", "gtd"]


def test_the_explicit_opt_out_lets_every_visitor_edit_a_shared_store(shared_store, monkeypatch):
    monkeypatch.setenv("ATLAS_OPEN_EDITING", "1")
    at = data_page()
    button(fill_correction(at), "Save correction").click().run()
    assert killed() == 4 and history_table(at)["changed_by"].tolist()[0] == "anonymous"


def test_sign_in_configured_a_visitor_who_is_not_signed_in_is_offered_the_sign_in(local):
    at = data_page(user=SIGNED_OUT, secrets=AUTH)
    assert "sign in if you are one" in texts(at.warning)
    assert any(b.label == "Sign in" for b in at.button)
    assert at.button(key="remove_gtd").disabled


def test_a_signed_in_viewer_can_look_but_not_change(local):
    at = data_page(user=VIEWER, secrets=AUTH)
    assert "reader@example.org, who is not one of this atlas's editors" in texts(at.warning)
    assert any(b.label == "Sign out" for b in at.button)
    assert at.button(key="remove_gtd").disabled
    assert at.multiselect(key="datasets_shown").value == ["atlas", "gtd"]  # choosing what to see is reading
    at.multiselect(key="datasets_shown").set_value(["atlas"]).run()
    assert not at.exception
    remove = at.button(key="remove_gtd")
    remove.proto.disabled = False  # a client that ignores the disabled state: Streamlit drops the click
    remove.click().run()
    assert live() == ["atlas", "gtd"]


def test_an_editor_changes_data_and_is_named_beside_it(local):
    at = data_page(user=EDITOR, secrets=AUTH)
    assert "signed in as editor@example.org, one of this atlas's editors" in texts(at.caption)
    button(fill_correction(at), "Save correction").click().run()
    assert killed() == 4 and set(history_table(at)["changed_by"]) == {"editor@example.org"}
    at.checkbox(key="sure_gtd").check().run()
    at.button(key="remove_gtd").click().run()
    assert live() == ["atlas"]
    assert "was removed by editor@example.org" in texts(at.warning)
    at.button(key="undo_gtd").click().run()
    assert live() == ["atlas", "gtd"]
    activity = next(e.value for e in at.dataframe if "done_by" in e.value)
    assert activity["action"].tolist()[:3] == ["undo", "remove", "correct"]
    assert set(activity["done_by"][:3]) == {"editor@example.org"}


@pytest.mark.parametrize("stops_being_editor", ["signs out", "is taken off ATLAS_EDITORS"])
@pytest.mark.parametrize("change", ["correct", "remove a dataset"])
def test_the_check_is_made_when_the_change_arrives(local, monkeypatch, stops_being_editor, change):
    at = data_page(user=EDITOR, secrets=AUTH)  # the buttons are enabled on this page
    at.checkbox(key="sure_gtd").check().run()
    fill_correction(at)
    if stops_being_editor == "signs out":
        at.user = SIGNED_OUT
    else:
        monkeypatch.setenv("ATLAS_EDITORS", "someone-else@example.org")
    (button(at, "Save correction") if change == "correct" else at.button(key="remove_gtd")).click().run()
    assert f"Not allowed to {change}" in texts(at.error)
    assert killed() == 3 and live() == ["atlas", "gtd"]
    assert store.open_store().history("gtd", RECORD).empty
    assert store.open_store().activity()["action"].tolist() == ["import"]  # the fixture's, nothing since


def test_an_undo_arriving_after_the_editor_signed_out_is_refused(local):
    at = data_page(user=EDITOR, secrets=AUTH)
    at.checkbox(key="sure_gtd").check().run()
    at.button(key="remove_gtd").click().run()
    at.user = SIGNED_OUT
    at.button(key="undo_gtd").click().run()
    assert "Not allowed to undo a removal" in texts(at.error)
    assert live() == ["atlas"]
