"""Fixtures shared by the store tests: a throwaway PostgreSQL+PostGIS server and store settings."""

import pytest

from tests import pg_server


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
