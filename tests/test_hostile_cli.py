"""``python -m geo`` on hostile files, folders and stores (issue 13): every problem is one line
starting ``error:`` with exit status 2, never a traceback. ``main`` runs in this process (an
exception escaping it is what would print a traceback), so the file takes seconds."""

import io
import zipfile
from pathlib import Path

import pytest

from geo import store
from geo.__main__ import main

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = FIXTURES / "hostile"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty GeoPackage store folder for ``--save`` and ``datasets``."""
    monkeypatch.setenv("ATLAS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ATLAS_DATABASE_URL", "")
    return tmp_path / "home"


def run(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def one_error(err: str) -> str:
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, err
    assert "Traceback" not in err
    return errors[0]


# --- 6. nothing imported, nothing saved ----------------------------------------------------


def test_a_file_of_only_rejected_rows_is_not_saved(capsys, home):
    status, out, err = run(capsys, "import", HOSTILE / "all_rejected.csv", "--save", "--dataset", "nothing")
    assert status == 2 and "imported 0" in out
    assert "not saved: none of its 2 rows could be imported" in one_error(err)
    assert list(store.open_store().datasets()["name"]) == ["atlas"]


# --- 10. malformed GeoJSON and zips: exit 2 with the reason --------------------------------


@pytest.mark.parametrize(("name", "reason"), [
    ("features_numbers.geojson", "feature 2 is a number"),
    ("geometry_text.geojson", "feature 1: its geometry is a text"),
    ("properties_list.geojson", "feature 2: its properties are a list"),
])
def test_malformed_geojson_is_exit_2_naming_the_feature(capsys, name, reason):
    status, _, err = run(capsys, "import", HOSTILE / name)
    assert status == 2 and reason in one_error(err)


def test_a_cut_off_zip_is_exit_2(capsys, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.csv", (FIXTURES / "gtd_subset.csv").read_bytes() * 20)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(buffer.getvalue()[:400])
    status, _, err = run(capsys, "import", cut)
    assert status == 2 and "damaged or incomplete" in one_error(err)


# --- 11. folders and stores that cannot be used --------------------------------------------


@pytest.mark.parametrize("option", ["--out", "--report"])
def test_an_output_in_a_missing_folder_is_one_line_before_importing(capsys, tmp_path, option):
    target = tmp_path / "missing" / "out.file"
    status, out, err = run(capsys, "import", FIXTURES / "gtd_subset.csv", option, target)
    assert status == 2 and out == ""
    assert f"the folder {target.parent} does not exist" in one_error(err)


def test_an_output_that_cannot_be_written_is_one_line(capsys, tmp_path):
    folder = tmp_path / "out.geojson"
    folder.mkdir()  # a folder where the file should go
    status, _, err = run(capsys, "import", FIXTURES / "gtd_subset.csv", "--out", folder)
    assert status == 2 and "cannot be written" in one_error(err)


def test_atlas_home_that_is_a_file_is_one_line(capsys, tmp_path, monkeypatch):
    not_a_folder = tmp_path / "home"
    not_a_folder.write_text("I am a file")
    monkeypatch.setenv("ATLAS_HOME", str(not_a_folder))
    monkeypatch.setenv("ATLAS_DATABASE_URL", "")
    status, _, err = run(capsys, "datasets")
    assert status == 2 and "set ATLAS_HOME to a folder" in one_error(err)
    status, _, err = run(capsys, "import", FIXTURES / "gtd_subset.csv", "--save", "--dataset", "gtd")
    assert status == 2 and "not saved" in one_error(err)


@pytest.mark.parametrize("content", [b"this is not a database" * 100, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_corrupt_store_is_one_line(capsys, home, content):
    home.mkdir()
    (home / "atlas.gpkg").write_bytes(content)
    status, _, err = run(capsys, "datasets")
    assert status == 2 and "damaged or not a GeoPackage" in one_error(err)
    status, _, err = run(capsys, "import", FIXTURES / "gtd_subset.csv", "--save", "--dataset", "gtd")
    assert status == 2 and "move it away" in one_error(err)


# --- 12, 13. dataset names -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "reason"), [
    ("atlas", "the name of the shipped data"),
    ("![t](http://tracker.example/ds.png)", "only letters, digits, spaces"),
    ("<b>x</b>", "only letters, digits, spaces"),
])
def test_reserved_and_unsafe_names_are_refused_before_importing(capsys, home, name, reason):
    status, out, err = run(capsys, "import", FIXTURES / "gtd_subset.csv", "--save", "--dataset", name)
    assert status == 2 and out == "" and reason in one_error(err)
    assert list(store.open_store().datasets()["name"]) == ["atlas"]


# --- 15. the file name, never its folder ---------------------------------------------------


def test_a_saved_dataset_keeps_the_file_name_not_its_path(capsys, home):
    status, out, _ = run(capsys, "import", (FIXTURES / "gtd_subset.csv").resolve(), "--save")
    assert status == 0 and "saved 6 rows as dataset 'gtd_subset.csv'" in out
    listed = store.open_store().datasets().set_index("name")
    assert listed.loc["gtd_subset.csv", "source_file"] == "gtd_subset.csv"
