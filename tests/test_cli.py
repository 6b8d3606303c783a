"""``python -m geo import`` via subprocess: exit codes, counts printed, valid GeoJSON out."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "geo", "import", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_import_writes_geojson_and_report(tmp_path):
    out, report = tmp_path / "out.geojson", tmp_path / "report.csv"
    done = run(FIXTURES / "kaggle_drone.csv", "--out", out, "--report", report)
    assert done.returncode == 0, done.stderr
    assert "read 3, imported 2, fixed 1, rejected 1" in done.stdout
    assert "rows read" in done.stderr
    collection = json.loads(out.read_text())
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2
    assert all(f["geometry"]["type"] == "Point" for f in collection["features"])
    assert "swapped" in report.read_text()


def test_map_option_and_format_option(tmp_path):
    assert run(FIXTURES / "generic_unsure.tsv").returncode == 2
    done = run(FIXTURES / "generic_unsure.tsv", "--map", "date=When")
    assert done.returncode == 0 and "imported 3" in done.stdout
    assert run(FIXTURES / "gtd_subset.csv", "--format", "gtd").returncode == 0


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"), (b"a,b\n1,2\n", "unknown layout"),
])
def test_unreadable_files_exit_nonzero_with_one_line(tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    done = run(path)
    assert done.returncode != 0
    assert reason in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("error:")


def test_missing_file(tmp_path):
    done = run(tmp_path / "nope.csv")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_save_then_list_datasets_survives_a_new_process(tmp_path):
    env = {**__import__("os").environ, "ATLAS_HOME": str(tmp_path)}
    env.pop("ATLAS_DATABASE_URL", None)
    geo = [sys.executable, "-m", "geo"]
    saved = subprocess.run([*geo, "import", FIXTURES / "gtd_subset.csv", "--save", "--dataset", "gtd-sample"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert saved.returncode == 0, saved.stderr
    assert "saved" in saved.stdout and "'gtd-sample'" in saved.stdout
    assert (tmp_path / "atlas.gpkg").exists()
    listed = subprocess.run([*geo, "datasets"], capture_output=True, text=True, env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "gtd-sample" in listed.stdout and "shipped" in listed.stdout
    again = subprocess.run([*geo, "import", FIXTURES / "gtd_subset.csv", "--save", "--dataset", "gtd-sample"],
                           capture_output=True, text=True, env=env, timeout=120)
    errors = [line for line in again.stderr.splitlines() if line.startswith("error:")]
    assert again.returncode == 2 and len(errors) == 1 and "not saved" in errors[0]
    assert "Traceback" not in again.stderr
