"""Roles (geo/auth.py) as a table: deployment x user -> role, and what the refusal says.

The browser test tests/browser/test_signin.py signs in through a real OpenID provider; the store
tests (tests/test_store_audit.py) check that the store itself refuses a viewer's change.
"""

import subprocess
import tomllib
from pathlib import Path

import pytest

from geo import auth

EDITOR_CLAIMS = {"is_logged_in": True, "email": "Editor@Example.org", "sub": "sub-editor"}
VIEWER_CLAIMS = {"is_logged_in": True, "email": "reader@example.org", "sub": "sub-reader"}
SIGNED_OUT = {"is_logged_in": False}
APPTEST_DEFAULT = {"email": "test@example.com"}  # what AppTest passes as st.user by default


@pytest.fixture
def deployment(monkeypatch):
    """Set the settings a deployment decides by (each test says which)."""
    for name in ("ATLAS_DATABASE_URL", "ATLAS_EDITORS", "ATLAS_OPEN_EDITING"):
        monkeypatch.delenv(name, raising=False)

    def apply(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
    return apply


SHARED = {"ATLAS_DATABASE_URL": "postgresql://atlas@db/atlas"}
EDITORS = {"ATLAS_EDITORS": "editor@example.org, sub-other"}


@pytest.mark.parametrize(("settings", "signin", "claims", "role", "mode"), [
    ({}, False, SIGNED_OUT, auth.EDITOR, auth.LOCAL),  # a local run works as before
    ({}, False, APPTEST_DEFAULT, auth.EDITOR, auth.LOCAL),
    (SHARED, False, SIGNED_OUT, auth.VIEWER, auth.READ_ONLY),  # shared store, no sign-in: read-only
    (SHARED, False, EDITOR_CLAIMS, auth.VIEWER, auth.READ_ONLY),
    ({**SHARED, "ATLAS_OPEN_EDITING": "1"}, False, SIGNED_OUT, auth.EDITOR, auth.OPEN),  # the explicit opt-out
    ({"ATLAS_OPEN_EDITING": "yes"}, False, SIGNED_OUT, auth.EDITOR, auth.LOCAL),  # only "1" opts out
    ({**SHARED, "ATLAS_OPEN_EDITING": "yes"}, False, SIGNED_OUT, auth.VIEWER, auth.READ_ONLY),
    (EDITORS, True, SIGNED_OUT, auth.VIEWER, auth.SIGNIN),  # sign-in configured, even on a local store
    (EDITORS, True, APPTEST_DEFAULT, auth.VIEWER, auth.SIGNIN),  # claims without is_logged_in: not signed in
    (EDITORS, True, VIEWER_CLAIMS, auth.VIEWER, auth.SIGNIN),
    (EDITORS, True, EDITOR_CLAIMS, auth.EDITOR, auth.SIGNIN),  # e-mail matched in any case
    ({**SHARED, **EDITORS}, True, EDITOR_CLAIMS, auth.EDITOR, auth.SIGNIN),
    ({}, True, EDITOR_CLAIMS, auth.VIEWER, auth.SIGNIN),  # nobody listed: nobody edits
])
def test_who_is_an_editor(deployment, settings, signin, claims, role, mode):
    deployment(**settings)
    policy = auth.policy(signin_configured=signin)
    assert policy.mode == mode
    assert policy.person(claims).role == role


@pytest.mark.parametrize(("claims", "listed"), [
    ({"is_logged_in": True, "sub": "sub-other"}, True),  # by subject
    ({"is_logged_in": True, "sub": "SUB-OTHER"}, False),  # subjects are case-sensitive
    ({"is_logged_in": True, "email": "editor@example.org", "email_verified": False}, False),
    ({"is_logged_in": True, "email": "editor@example.org", "email_verified": "false"}, False),
    ({"is_logged_in": True, "email": "editor@example.org", "email_verified": True}, True),
    ({"is_logged_in": True, "email": "editor@example.org.evil", "sub": "x"}, False),
    ({"is_logged_in": True, "email": "", "sub": ""}, False),
])
def test_the_editors_list_matches_a_verified_email_or_an_exact_subject(deployment, claims, listed):
    deployment(**EDITORS)
    assert auth.policy(signin_configured=True).person(claims).is_editor is listed


def test_the_editors_setting_takes_commas_semicolons_and_spaces():
    assert auth.parse_editors(" a@x.org,b@x.org ;  sub-1\nsub-2,,") == ("a@x.org", "b@x.org", "sub-1", "sub-2")
    assert auth.parse_editors("") == ()


def test_each_person_is_recorded_by_who_they_are(deployment):
    deployment(**EDITORS)
    signin = auth.policy(signin_configured=True)
    assert signin.person(EDITOR_CLAIMS).identity == "Editor@Example.org"
    assert signin.person({"is_logged_in": True, "sub": "sub-other"}).identity == "sub-other"
    assert auth.policy(False).person({}).identity.startswith("local:")
    deployment(ATLAS_OPEN_EDITING="1")
    assert auth.policy(False).person(SIGNED_OUT).identity == auth.ANONYMOUS
    assert auth.policy(False).person(VIEWER_CLAIMS).identity == "reader@example.org"
    assert auth.operator().identity.startswith("command line:") and auth.operator().is_editor


@pytest.mark.parametrize(("settings", "signin", "claims", "says"), [
    (SHARED, False, SIGNED_OUT, "read-only"),
    (EDITORS, True, SIGNED_OUT, "sign in"),
    (EDITORS, True, VIEWER_CLAIMS, "reader@example.org, who is not one of this atlas's editors"),
])
def test_a_refusal_says_why(deployment, settings, signin, claims, says):
    deployment(**settings)
    viewer = auth.policy(signin).person(claims)
    with pytest.raises(auth.NotAllowed, match="Not allowed to correct") as refused:
        auth.require_editor(viewer, "correct")
    assert says in str(refused.value)


def test_only_a_person_who_is_an_editor_passes_the_check():
    assert auth.require_editor(auth.operator(), "import") == auth.operator().identity
    for forged in (None, "admin@example.org", {"role": "editor"}):
        with pytest.raises(auth.NotAllowed):
            auth.require_editor(forged, "import")


@pytest.mark.parametrize(("section", "expected"), [
    ({}, []),
    ({"redirect_uri": "x", "cookie_secret": "y", "client_id": "c", "server_metadata_url": "u"}, [None]),
    ({"redirect_uri": "x", "cookie_secret": "y", "okta": {"client_id": "c"}, "entra": {"server_metadata_url": "u"},
      "client_kwargs": {"prompt": "login"}}, ["entra", "okta"]),
])
def test_sign_in_buttons_follow_the_providers_configured(section, expected):
    assert auth.providers(section) == expected


def test_the_example_secrets_file_has_what_st_login_needs_and_real_secrets_stay_out_of_git():
    project = Path(__file__).resolve().parents[1]
    section = tomllib.loads((project / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))["auth"]
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(section)
    assert section["redirect_uri"].endswith("/oauth2callback") and auth.providers(section) == [None]
    ignored = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=project)
    assert ignored.returncode == 0, ".streamlit/secrets.toml must be ignored by git"
