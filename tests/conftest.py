"""Test-wide settings, and fixtures shared by the store tests (a throwaway PostgreSQL+PostGIS
server and per-backend store settings)."""

import os
import tempfile

import pytest

from tests import pg_server


def pytest_configure(config):
    # Tests never read or write a developer's own store or data: every test process (and the
    # Streamlit servers the browser tests start, which inherit the environment) gets an empty
    # store of its own. Tests that need another store set these variables themselves.
    os.environ["ATLAS_HOME"] = tempfile.mkdtemp(prefix="atlas-test-home-")
    for name in ("ATLAS_DATABASE_URL", "ATLAS_INCIDENTS", "ATLAS_EDITORS", "ATLAS_OPEN_EDITING"):
        os.environ.pop(name, None)


# Which tier a test belongs to, by what it needs (see the markers in pyproject.toml).
STORE_FIXTURES = {"pg", "env", "atlas_store", "backend_store", "home"}


def pytest_collection_modifyitems(items):
    for item in items:
        source = item.path.read_text(encoding="utf-8") if item.path.suffix == ".py" else ""
        if "AppTest" in source or "open_app(" in source:
            item.add_marker(pytest.mark.app)
        if STORE_FIXTURES & set(getattr(item, "fixturenames", ())) or item.path.name.startswith("test_store"):
            item.add_marker(pytest.mark.store)
        if "rebuil" in item.name:
            item.add_marker(pytest.mark.rebuild)


@pytest.fixture(scope="session")
def pg():
    """The session's PostgreSQL server (fails with install instructions when not installed)."""
    yield pg_server.server()
    pg_server.shutdown()


@pytest.fixture(params=["gpkg", "postgis"])
def env(request, tmp_path) -> dict:
    """Environment variables that point ``open_store()`` at a fresh, empty store of each backend."""
    if request.param == "gpkg":
        return {"ATLAS_HOME": str(tmp_path / "home"), "ATLAS_DATABASE_URL": ""}
    return {"ATLAS_DATABASE_URL": request.getfixturevalue("pg").fresh_url()}


@pytest.fixture
def backend_store(env, monkeypatch):
    """A fresh, empty store of each backend (GeoPackage, PostGIS), also the one ``open_store()``
    opens during the test: the store tests run once per backend."""
    from geo import store

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return store.open_store()


@pytest.fixture(scope="session")
def shipped():
    """The shipped incidents (data/incidents.csv), loaded once per test session."""
    from geo.incidents import load_incidents

    return load_incidents()


@pytest.fixture
def atlas_store(tmp_path, monkeypatch):
    """A fresh GeoPackage store the app will open (set before any AppTest is created); the store
    tests use ``backend_store``, over both backends."""
    import streamlit as st

    from geo import store

    monkeypatch.setenv("ATLAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ATLAS_DATABASE_URL", "")
    yield store.open_store()
    st.cache_resource.clear()
