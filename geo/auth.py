"""Who may change the atlas's data: the two roles, the editors setting and the check every change
passes.

A *viewer* sees everything (every page, every download, the Data page's choice of datasets); an
*editor* may also import, remove, undo a removal and correct records. Who is which follows from how
the atlas is deployed (``policy``):

- **local**: the default GeoPackage store and no sign-in configured. The person at the machine is
  the editor, as before there were roles.
- **sign-in**: an ``[auth]`` section in ``.streamlit/secrets.toml`` (Streamlit's OpenID Connect
  sign-in). Editors are the signed-in people that ``ATLAS_EDITORS`` lists by e-mail or subject;
  everyone else, signed in or not, is a viewer.
- **read-only**: a shared store (``ATLAS_DATABASE_URL``) and no sign-in. Nobody may change data,
  and the Data page says why: a shared atlas must not be writable by whoever finds its address.
- **open**: ``ATLAS_OPEN_EDITING=1``, the explicit opt-out: every visitor is an editor (for a closed
  network). A signed-in visitor is still recorded by name.

The page builds the ``Person`` from Streamlit's signed identity cookie (``st.user``) at the moment
of each change, and the store refuses any change whose person is not an editor (``require_editor``),
so a disabled button is a courtesy and never the check. Pure Python: the page passes in what
Streamlit knows (whether sign-in is configured, the user's claims).
"""

import getpass
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass

from geo import settings

EDITOR, VIEWER = "editor", "viewer"
LOCAL, SIGNIN, READ_ONLY, OPEN = "local", "sign-in", "read-only", "open"
ANONYMOUS = "anonymous"  # who an unsigned change is recorded as under ATLAS_OPEN_EDITING=1


class NotAllowed(PermissionError):
    """A change asked for by someone who is not an editor; the text says why, for a person."""


@dataclass(frozen=True)
class Person:
    """Someone using the atlas now: their role, who their changes are recorded as, and why they
    have that role (one sentence the Data page shows)."""

    role: str
    identity: str
    why: str
    signed_in: bool = False

    @property
    def is_editor(self) -> bool:
        return self.role == EDITOR


def _who_runs_this() -> str:
    """``user@host`` of this process (the person at a local run, or whoever runs a script)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # a container's uid without a passwd entry
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def operator(how: str = "command line") -> Person:
    """Whoever runs Python directly on the store (``python -m geo import --save``, scripts, the
    purge at app start): they hold the store's file or database password already, so they are an
    editor, recorded as ``how:user@host``."""
    return Person(EDITOR, f"{how}:{_who_runs_this()}", "You run the atlas's code on its store.")


def parse_editors(text: str) -> tuple[str, ...]:
    """The ``ATLAS_EDITORS`` list: e-mail addresses or OIDC subjects separated by commas, semicolons
    or white space, as typed (empty entries dropped)."""
    return tuple(entry for entry in re.split(r"[\s,;]+", text or "") if entry)


def _claim(user: Mapping, name: str) -> str:
    value = user.get(name)
    return str(value).strip() if value not in (None, "") else ""


def _email_is_verified(user: Mapping) -> bool:
    # A provider that says an address is unverified (email_verified false) lets people claim
    # any address; one that says nothing (e.g. Microsoft Entra) vouches for its own accounts.
    return str(user.get("email_verified", True)).lower() not in ("false", "0")


def identity_of(user: Mapping) -> str:
    """Who a signed-in user's changes are recorded as: their e-mail, else their subject."""
    return _claim(user, "email") or _claim(user, "sub")


@dataclass(frozen=True)
class Policy:
    """The deployment's rule (one of LOCAL, SIGNIN, READ_ONLY, OPEN) and its editors list."""

    mode: str
    editors: tuple[str, ...] = ()

    def is_listed(self, user: Mapping) -> bool:
        """Whether a signed-in user is in the editors list: by verified e-mail (any case) or by
        subject (exactly, as subjects are case-sensitive)."""
        email, subject = _claim(user, "email").lower(), _claim(user, "sub")
        by_email = bool(email) and _email_is_verified(user) and email in {e.lower() for e in self.editors}
        return by_email or (bool(subject) and subject in self.editors)

    def person(self, user: Mapping) -> Person:
        """The person a session's user is (``user``: the claims of ``st.user``)."""
        signed_in = bool(user.get("is_logged_in")) and bool(identity_of(user))
        who = identity_of(user) if signed_in else ""
        if self.mode == LOCAL:
            return Person(EDITOR, f"local:{_who_runs_this()}", "This is a local atlas: you are its editor.")
        if self.mode == OPEN:
            return Person(EDITOR, who or ANONYMOUS, "Every visitor may change data here (ATLAS_OPEN_EDITING=1).",
                          signed_in)
        if self.mode == READ_ONLY:
            return Person(VIEWER, "", "This atlas is shared (its store is a database, ATLAS_DATABASE_URL) and has no "
                          "sign-in, so it is read-only: its operators configure sign-in and ATLAS_EDITORS to let "
                          "editors change data.")
        if not signed_in:
            return Person(VIEWER, "", "Only editors may import, remove or correct data: sign in if you are one.")
        if self.is_listed(user):
            return Person(EDITOR, who, f"You are signed in as {who}, one of this atlas's editors.", True)
        return Person(VIEWER, who, f"You are signed in as {who}, who is not one of this atlas's editors "
                      "(ATLAS_EDITORS): you can see and download everything but not change data.", True)


def policy(signin_configured: bool) -> Policy:
    """The rule in force: ``ATLAS_OPEN_EDITING=1`` first, then sign-in, then a shared store
    (read-only), else a local run. Settings are read now, so a restart is not needed in tests."""
    editors = parse_editors(settings.get("ATLAS_EDITORS"))
    if settings.get("ATLAS_OPEN_EDITING") == "1":
        return Policy(OPEN, editors)
    if signin_configured:
        return Policy(SIGNIN, editors)
    if settings.get("ATLAS_DATABASE_URL"):
        return Policy(READ_ONLY, editors)
    return Policy(LOCAL, editors)


def require_editor(person: Person, action: str) -> str:
    """The identity to record for ``action`` ("import", "remove" ...) by ``person``; NotAllowed
    (with the reason) when they are not an editor."""
    if not isinstance(person, Person) or not person.is_editor:
        why = person.why if isinstance(person, Person) else "no person was given"
        raise NotAllowed(f"Not allowed to {action}: {why}")
    return person.identity or ANONYMOUS


def providers(auth_section: Mapping) -> list[str | None]:
    """The sign-in buttons to offer for a secrets ``[auth]`` section: None for the default provider
    (``client_id`` directly under ``[auth]``), then each named ``[auth.NAME]`` provider."""
    if not auth_section:
        return []
    named = [name for name, value in auth_section.items()
             if isinstance(value, Mapping) and ("client_id" in value or "server_metadata_url" in value)]
    return ([None] if "client_id" in auth_section else []) + sorted(named)
