"""The files the app serves to its own map (static/): present, licensed, rebuilt byte for byte."""

import importlib.util
import json

from geo import paths
from geo.render import maps

BUILD_SCRIPT = paths.PROJECT_DIR / "scripts" / "build_static.py"


def _build_module():
    return importlib.import_module("scripts.build_static")


def test_boundary_files_rebuild_byte_for_byte(tmp_path):
    for path in _build_module().build_boundaries(tmp_path):
        shipped = maps.STATIC_DIR / path.relative_to(tmp_path)
        assert path.read_bytes() == shipped.read_bytes(), f"{shipped} is stale: run scripts/build_static.py"


def test_boundary_files_are_simplified_for_the_screen_and_small():
    total = sum((maps.STATIC_DIR / name).stat().st_size for name in maps.BOUNDARY_FILES.values())
    assert total < 400_000  # fetched once per page; the full geometry in data/ is about 640 KB
    doc = json.loads((maps.STATIC_DIR / maps.BOUNDARY_FILES["provinces"]).read_text())
    assert doc["type"] == "FeatureCollection" and set(doc["features"][0]["properties"]) == {"id", "name"}


def test_leaflet_is_shipped_with_its_licence_at_the_pinned_version():
    folder = maps.STATIC_DIR / maps.LEAFLET_DIR
    assert "BSD 2-Clause" in (folder / "LICENSE").read_text()
    assert f"Leaflet {maps.LEAFLET_VERSION}" in (folder / "leaflet.js").read_text()[:500]
    assert (folder / "images" / "layers.png").stat().st_size > 0  # the layer control's icon


def test_streamlit_serves_the_static_folder():
    config = (paths.PROJECT_DIR / ".streamlit" / "config.toml").read_text()
    assert "enableStaticServing = true" in config
