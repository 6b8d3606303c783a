"""Who may change data: the sign-in panel and the check each change passes (geo/auth.py)."""

from pathlib import Path

import streamlit as st

from geo import auth
from pages.ui.messages import plain


def _auth_section() -> dict | None:
    """The ``[auth]`` section of the secrets ({} without one), or None when a secrets file exists
    but cannot be read: then nobody can sign in, and changes stay closed rather than open."""
    if st.secrets.load_if_toml_exists():
        section = st.secrets.get("auth") or {}
        return section.to_dict() if hasattr(section, "to_dict") else dict(section)
    return None if any(Path(path).is_file() for path in st.get_option("secrets.files")) else {}


def current_person() -> auth.Person:
    """Who this session's visitor is now: the deployment's rule (geo.auth.policy) applied to the
    identity Streamlit read from its signed cookie (st.user). Derived afresh at every call, so each
    change is checked at the moment it is made, whatever the page showed before."""
    section = _auth_section()
    policy = auth.policy(signin_configured=section is None or bool(section))
    return policy.person(st.user.to_dict())


def editor(action: str) -> auth.Person:
    """The current person if they may ``action`` ("import", "remove" ...), else auth.NotAllowed
    with the reason; the store checks the person it is given again."""
    person = current_person()
    auth.require_editor(person, action)
    return person


def _sign_in_buttons(section: dict) -> None:
    for provider in auth.providers(section):
        label = "Sign in" if provider is None else f"Sign in with {provider}"
        if st.button(label, key=f"sign_in_{provider or 'default'}"):
            st.login(provider)


def access_panel() -> auth.Person:
    """Say who the visitor is and what they may do (top of the Data page), with the sign-in or
    sign-out button when sign-in is configured; returns the person."""
    section, person = _auth_section(), current_person()
    if section is None:
        st.error("The secrets file (.streamlit/secrets.toml) cannot be read, so nobody can sign in and the "
                 "data cannot be changed here: its operators should check that file.")
    elif not person.is_editor:
        st.warning(plain(person.why))
    else:
        st.caption(f"{plain(person.why)} Your changes are recorded as **{plain(person.identity)}**.")
    if section and person.signed_in:
        if st.button("Sign out", key="sign_out"):
            st.logout()
    elif section:
        _sign_in_buttons(section)
    return person
