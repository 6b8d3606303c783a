"""``python -m geo import``: exit codes, counts printed, valid GeoJSON out. ``main`` runs in this
process (what it prints is captured), so the file takes a second; one test starts a real new
process, where that is the point: a saved dataset is listed by the next ``python -m geo``."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.__main__ import main

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys, *args) -> tuple[int, str, str]:
    """``python -m geo import ARGS`` in this process: exit status, stdout, stderr."""
    status = main(["import", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_import_writes_geojson_and_report(capsys, tmp_path):
    out, report = tmp_path / "out.geojson", tmp_path / "report.csv"
    status, stdout, stderr = run(capsys, FIXTURES / "kaggle_drone.csv", "--out", out, "--report", report)
    assert status == 0, stderr
    assert "read 3, imported 2, fixed 1, rejected 1" in stdout
    assert "rows read" in stderr
    collection = json.loads(out.read_text())
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2
    assert all(f["geometry"]["type"] == "Point" for f in collection["features"])
    assert "swapped" in report.read_text()


def test_map_option_and_format_option(capsys):
    assert run(capsys, FIXTURES / "generic_unsure.tsv")[0] == 2
    status, stdout, _ = run(capsys, FIXTURES / "generic_unsure.tsv", "--map", "date=When")
    assert status == 0 and "imported 3" in stdout
    assert run(capsys, FIXTURES / "gtd_subset.csv", "--format", "gtd")[0] == 0


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"), (b"a,b\n1,2\n", "unknown layout"),
])
def test_unreadable_files_exit_nonzero_with_one_line(capsys, tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    status, _, stderr = run(capsys, path)
    assert status != 0
    assert reason in stderr and "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("error:")


def test_missing_file(capsys, tmp_path):
    status, _, stderr = run(capsys, tmp_path / "nope.csv")
    assert status == 2 and "Traceback" not in stderr


def test_save_then_list_datasets_survives_a_new_process(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_HOME", str(tmp_path))
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    status, stdout, stderr = run(capsys, FIXTURES / "gtd_subset.csv", "--save", "--dataset", "gtd-sample")
    assert status == 0, stderr
    assert "saved" in stdout and "'gtd-sample'" in stdout
    assert (tmp_path / "atlas.gpkg").exists()
    # The one real new process of this file: what was saved is there for the next command, and
    # `python -m geo` itself (not only main()) runs.
    listed = subprocess.run([sys.executable, "-m", "geo", "datasets"], capture_output=True, text=True,
                            env=dict(os.environ), timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "gtd-sample" in listed.stdout and "atlas" in listed.stdout
    status, _, stderr = run(capsys, FIXTURES / "gtd_subset.csv", "--save", "--dataset", "gtd-sample")
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert status == 2 and len(errors) == 1 and "not saved" in errors[0]
    assert "Traceback" not in stderr
