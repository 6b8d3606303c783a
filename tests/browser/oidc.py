"""A real OpenID Connect provider on 127.0.0.1 for the sign-in tests (the PyPI package
oidc-provider-mock: discovery document, signed ID tokens, PKCE, and a login form where a test
types who it is), the secrets file that points Streamlit's st.login at it, and a browser page
that may reach the app and the provider and nothing else.

The provider accepts any client id and secret. A subject typed into its form that it does not
know yet signs in with the claim ``email`` equal to that subject.
"""

import contextlib
import secrets
import threading
from pathlib import Path

from tests.browser.conftest import stay_local


@contextlib.contextmanager
def oidc_provider():
    """The provider, serving on a free 127.0.0.1 port for the block; yields its issuer URL."""
    import oidc_provider_mock
    import werkzeug.serving

    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def write_secrets(folder: Path, issuer: str) -> Path:
    """A secrets.toml with the ``[auth]`` section the README documents, for an app on 127.0.0.1
    (Streamlit fills in ``{port}``); fresh random secrets each time, never committed."""
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "pakistan-security-atlas"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    return path


def app_env(secrets_file: Path, **settings: str) -> dict:
    """Environment for `streamlit run` that reads ``secrets_file`` (and no other) plus settings."""
    return {"STREAMLIT_SECRETS_FILES": str(secrets_file), **settings}


@contextlib.contextmanager
def page_with_provider(browser, app_url: str, issuer: str):
    """A fresh browser context (no cookies) whose page reaches the app and the provider only;
    every other request is aborted, and recorded in ``page.outside_requests`` unless the
    provider's page made it."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    outside = []

    def route(handler_route):
        request = handler_route.request
        if request.url.startswith(issuer + "/"):
            handler_route.continue_()
        elif request.frame.url.startswith(issuer + "/"):
            handler_route.abort()  # the provider's own page loads a stylesheet from a CDN: not the app's doing
        else:
            stay_local(handler_route, app_url, outside)

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.outside_requests = outside
    try:
        yield page
    finally:
        context.close()


def sign_in(page, app_url: str, issuer: str, subject: str) -> None:
    """Press the Data page's *Sign in*, type ``subject`` into the provider's form, authorise, and
    come back to the app signed in (Streamlit's identity cookie set)."""
    page.goto(f"{app_url}/data")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{issuer}/**")
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app_url}/**")
    page.goto(f"{app_url}/data")
