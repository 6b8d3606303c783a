"""The incident store (geo/store): one suite, run against the GeoPackage file and against a real
PostgreSQL + PostGIS server started for the session (tests/pg_server.py). No mocks.

Fixture data is the shipped 64 records (``load_incidents``), copies of them with new
ids for volume, and a hostile variant (HTML, formulas, SQL, 100k-character notes, unicode).
"""

import json
import os
import subprocess
import sys
import threading

import pandas as pd
import pyogrio
import pytest

from geo import paths, store
from geo.incidents import load_incidents, validate_incidents
from geo.paths import PROJECT_DIR
from geo.store.common import CHUNK_ROWS
from geo.validation import RecordsError

HOSTILE = [
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1:A9)",
    "'; DROP TABLE incidents; --", "Robert\"); DELETE FROM atlas_datasets;--",
    "پشاور میں دھماکہ 💥 — ‮RTL‬ e\u0301 \u200b zero-width", "line one\r\nline two\ttabbed\\back",
    "percent %s %(name)s {0} ? ?? $1", "N" * 100_000,
]


def copies(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` records made by repeating ``frame`` with new unique ids."""
    big = pd.concat([frame] * (n // len(frame) + 1), ignore_index=True).iloc[:n].copy()
    big["id"] = big["id"] + "-" + pd.Series(range(n)).astype(str)
    return big


def hostile(frame: pd.DataFrame) -> pd.DataFrame:
    """The shipped records with hostile text in every free-text field and in the ids."""
    bad = frame.copy()
    for offset, column in enumerate(["place", "district", "target", "perpetrator_raw", "notes", "location_source"]):
        bad[column] = [HOSTILE[(i + offset) % len(HOSTILE)] for i in range(len(bad))]
    bad["id"] = [f"{HOSTILE[i % len(HOSTILE)][:40]}#{i}" for i in range(len(bad))]
    bad["sources"] = "https://example.org/a?q=<b>&x='\"&y=%00 | http://xn--mgbh0fb.example/پشاور"
    text = ["id", "place", "district", "target", "perpetrator_raw", "notes", "location_source", "sources"]
    return bad.astype({c: "string" for c in text})


def stored_only(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns=["dataset", "geometry"], errors="ignore")).reset_index(drop=True)


def run_python(code: str, env: dict) -> str:
    """Run ``code`` in a new Python process (a restarted app) and return what it printed."""
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


# --- datasets ---------------------------------------------------------------------------------


def test_a_new_store_shows_only_the_shipped_dataset(backend_store, shipped):
    table = backend_store.datasets()
    assert table["name"].tolist() == ["atlas"] and table["rows"].tolist() == [64]
    frame = backend_store.incidents()
    assert len(frame) == 64 and set(frame["dataset"]) == {"atlas"} and frame.crs.to_epsg() == 4326
    pd.testing.assert_frame_equal(stored_only(frame), stored_only(shipped.assign(dataset="atlas")))


def test_an_added_dataset_reads_back_identical(backend_store, shipped):
    assert backend_store.add_dataset("acled-2024", shipped, "acled.csv", "acled", {"read": 70, "rejected": 6}) == 64
    row = backend_store.datasets().set_index("name").loc["acled-2024"]
    assert (row["source_file"], row["format"], row["rows"], row["report"]) == ("acled.csv", "acled", 64,
                                                                            {"read": 70, "rejected": 6})
    assert row["imported_at"].tzinfo is not None and pd.isna(row["removed_at"])
    back = backend_store.incidents(datasets="acled-2024")
    pd.testing.assert_frame_equal(stored_only(back), stored_only(shipped))
    assert back.geometry.equals(shipped.geometry.reset_index(drop=True))
    assert list(back.columns) == [*shipped.columns[:-1], "dataset", "geometry"]


@pytest.mark.parametrize("query", [
    {"quarter": "2024Q1"}, {"quarter": ["2024Q1", "2025Q3"]}, {"province_id": "PK-KP"},
    {"province_id": ["PK-BA", "PK-SD"], "quarter": "2024Q4"}, {"bbox": (66.0, 24.0, 71.0, 31.0)},
    {"bbox": (64.09028, 26.96446, 64.09028, 26.96446)},  # a point exactly on the box's edges counts
    {"quarter": "1999Q1"}, {"province_id": []},
])
def test_filters_give_the_same_records_from_sql_as_from_pandas(backend_store, shipped, query):
    backend_store.add_dataset("copy", shipped)
    expected = store.Query.of(**query).apply(shipped)
    got = backend_store.incidents(datasets="copy", **query)
    assert got["id"].tolist() == expected["id"].tolist()
    assert list(got.columns) == [*shipped.columns[:-1], "dataset", "geometry"] and got.crs.to_epsg() == 4326


def test_names_are_unique_and_the_shipped_name_is_reserved(backend_store, shipped):
    backend_store.add_dataset("mine", shipped)
    with pytest.raises(store.DatasetExists, match="already in the store"):
        backend_store.add_dataset("mine", shipped)
    with pytest.raises(store.StoreError):
        backend_store.add_dataset("atlas", shipped)
    assert backend_store.datasets()["name"].tolist() == ["atlas", "mine"]


def test_invalid_records_are_refused_whole(backend_store, shipped):
    broken = shipped.copy()
    broken.loc[3, "lon"] = 500.0
    with pytest.raises(RecordsError, match="-180 to 180"):
        backend_store.add_dataset("broken", broken)
    assert backend_store.datasets()["name"].tolist() == ["atlas"]


def test_an_import_failing_half_way_leaves_the_store_as_it_was(backend_store, shipped):
    def crash_after_first_chunk(done, total):
        raise OSError(f"disk gone after {done} of {total}")

    with pytest.raises(OSError, match="disk gone"):
        backend_store.add_dataset("half", copies(shipped, 3 * CHUNK_ROWS), progress=crash_after_first_chunk)
    assert backend_store.datasets(include_removed=True)["name"].tolist() == ["atlas"]
    assert backend_store.incidents(datasets="half").empty
    assert backend_store.add_dataset("half", shipped) == 64  # nothing left locked or half-named


def test_removal_is_soft_until_purged(backend_store, shipped):
    backend_store.add_dataset("old", shipped)
    backend_store.remove("old")
    assert backend_store.datasets()["name"].tolist() == ["atlas"]
    assert backend_store.incidents(datasets="old").empty and len(backend_store.incidents()) == 64
    with pytest.raises(store.DatasetExists, match="not yet purged"):
        backend_store.add_dataset("old", shipped)
    backend_store.undo_remove("old")
    assert len(backend_store.incidents(datasets="old")) == 64
    backend_store.remove("old")
    assert backend_store.purge_removed() == ["old"]
    with pytest.raises(store.UnknownDataset):
        backend_store.undo_remove("old")
    assert backend_store.add_dataset("old", shipped) == 64


def test_the_shipped_dataset_cannot_be_changed(backend_store, shipped):
    for change in (lambda: backend_store.remove("atlas"),
                   lambda: backend_store.correct("atlas", shipped["id"][0], {"killed": 1}, "why")):
        with pytest.raises(store.ReadOnlyDataset):
            change()
    with pytest.raises(store.UnknownDataset):
        backend_store.remove("never-added")


def test_empty_is_normal(backend_store):
    for frame in (backend_store.incidents(datasets=["nope"]), backend_store.incidents(datasets=[]),
                  backend_store.incidents(quarter="1990Q1")):
        assert frame.empty and frame.crs.to_epsg() == 4326 and "dataset" in frame.columns


# --- corrections ------------------------------------------------------------------------------


def test_a_correction_is_validated_applied_and_kept_in_history(backend_store, shipped):
    backend_store.add_dataset("mine", shipped)
    record_id = shipped["id"][1]  # Panjgur: killed 2, a located town
    changed = backend_store.correct("mine", record_id, {"killed": 3, "killed_low": 3, "killed_high": 3,
                                                     "notes": "<b>recount</b>"}, "Dawn, 20 Jan: a third death")
    assert [f for f, _, _ in changed] == ["killed", "killed_low", "killed_high", "notes"]
    record = backend_store.record("mine", record_id)
    assert record["killed"].tolist() == [3] and record["notes"].tolist() == ["<b>recount</b>"]
    history = backend_store.history("mine", record_id)
    assert history[["field", "old_value", "new_value"]].values.tolist()[0] == ["killed", "2", "3"]
    assert set(history["reason"]) == {"Dawn, 20 Jan: a third death"} and history["changed_at"].notna().all()
    assert backend_store.history("atlas", record_id).empty
    assert backend_store.correct("mine", record_id, {"killed": 3}, "same again") == []  # no change, no entry
    assert len(backend_store.history("mine", record_id)) == 4


def test_a_bad_correction_changes_nothing(backend_store, shipped):
    backend_store.add_dataset("mine", shipped)
    record_id = shipped["id"][1]
    for changes, error in (({"lon": 66.0, "lat": None}, RecordsError), ({"killed": "many"}, RecordsError),
                           ({"id": "new"}, store.StoreError), ({"colour": "red"}, store.StoreError)):
        with pytest.raises(error):
            backend_store.correct("mine", record_id, changes, "try")
    with pytest.raises(store.StoreError, match="reason"):
        backend_store.correct("mine", record_id, {"killed": 9}, "  ")
    with pytest.raises(store.UnknownDataset):
        backend_store.correct("mine", "no-such-id", {"killed": 9}, "why")
    assert backend_store.history("mine", record_id).empty
    pd.testing.assert_frame_equal(stored_only(backend_store.incidents(datasets="mine")), stored_only(shipped))


def test_moving_a_record_moves_its_geometry_and_its_quarter(backend_store, shipped):
    backend_store.add_dataset("mine", shipped)
    record_id = shipped["id"][1]
    backend_store.correct("mine", record_id, {"lon": 70.5, "lat": 33.5, "occurred_on": "2024-04-02"}, "map fix")
    moved = backend_store.incidents(datasets="mine", bbox=(70.4, 33.4, 70.6, 33.6), quarter="2024Q2")
    assert moved["id"].tolist() == [record_id] and moved.geometry.iloc[0].coords[0] == (70.5, 33.5)


def test_hostile_values_come_back_byte_for_byte(backend_store, shipped):
    bad = hostile(shipped)
    assert validate_incidents(bad.drop(columns="geometry"))["notes"].tolist() == bad["notes"].tolist()
    backend_store.add_dataset("<b>évil</b> =1+1 'x'", bad, "=cmd|' /C calc'!A0.csv", "<i>fmt</i>",
                            {"note": HOSTILE[7], "long": HOSTILE[-1]})
    back = backend_store.incidents(datasets="<b>évil</b> =1+1 'x'")
    pd.testing.assert_frame_equal(stored_only(back), stored_only(bad))
    assert max(back["notes"].str.len()) == 100_000
    row = backend_store.datasets().iloc[1]
    assert (row["source_file"], row["report"]["note"]) == ("=cmd|' /C calc'!A0.csv", HOSTILE[7])
    backend_store.correct("<b>évil</b> =1+1 'x'", bad["id"][0], {"notes": HOSTILE[0]}, HOSTILE[5])
    entry = backend_store.history("<b>évil</b> =1+1 'x'", bad["id"][0]).iloc[0]
    assert (entry["old_value"], entry["new_value"], entry["reason"]) == (bad["notes"][0], HOSTILE[0], HOSTILE[5])


# --- persistence and concurrency -------------------------------------------------------------

RESTART = """
import json
from geo import store
s = store.open_store()
print(json.dumps({"datasets": s.datasets()["name"].tolist(), "rows": len(s.incidents(datasets="kept")),
                  "killed": int(s.record("kept", RID)["killed"].iloc[0]),
                  "history": s.history("kept", RID)[["field", "new_value", "reason"]].values.tolist()}))
"""


def test_a_new_process_finds_the_dataset_and_the_correction(backend_store, shipped, env):
    rid = shipped["id"][1]
    backend_store.add_dataset("kept", shipped)
    backend_store.correct("kept", rid, {"killed": 7, "killed_low": 7, "killed_high": 7}, "ISPR update")
    found = json.loads(run_python(RESTART.replace("RID", repr(rid)), env))
    assert found == {"datasets": ["atlas", "kept"], "rows": 64, "killed": 7,
                     "history": [["killed", "7", "ISPR update"], ["killed_low", "7", "ISPR update"],
                                 ["killed_high", "7", "ISPR update"]]}


def test_readers_see_an_import_whole_or_not_at_all(backend_store, shipped, env):
    big = copies(shipped, 6 * CHUNK_ROWS)
    in_quarter = int((big["quarter"] == "2024Q1").sum())
    writing, done, seen, errors = threading.Event(), threading.Event(), [], []

    def slow_progress(done_rows, total):
        writing.set()
        threading.Event().wait(0.1)  # widen the window in which readers run during the import

    def reader():
        reader_store = store.open_store()
        writing.wait(30)
        while not done.is_set():
            try:
                seen.append((len(reader_store.incidents(datasets="big", quarter="2024Q1")),
                             reader_store.datasets()["name"].tolist()))
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
            threading.Event().wait(0.02)  # leave the writer its share of the GIL

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        backend_store.add_dataset("big", big, progress=slow_progress)
    finally:
        done.set()
        for thread in threads:
            thread.join(60)
    assert not errors
    assert {n for n, _ in seen} <= {0, in_quarter} and (0, ["atlas"]) in seen
    assert all((n == 0) == (names == ["atlas"]) for n, names in seen if names != ["atlas", "big"])
    assert len(backend_store.incidents(datasets="big")) == len(big)


def test_two_imports_at_once_both_land_and_a_name_clash_fails_cleanly(backend_store, shipped):
    frames = {"one": copies(shipped, 2 * CHUNK_ROWS), "two": copies(shipped, 2 * CHUNK_ROWS), "three": shipped}
    outcomes = {}

    def importer(name, label):
        try:
            outcomes[label] = store.open_store().add_dataset(name, frames[name])
        except store.DatasetExists as error:
            outcomes[label] = error

    threads = [threading.Thread(target=importer, args=args)
               for args in (("one", "a"), ("two", "b"), ("three", "c"), ("three", "d"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert (outcomes["a"], outcomes["b"]) == (2 * CHUNK_ROWS, 2 * CHUNK_ROWS)
    assert sorted(map(type, (outcomes["c"], outcomes["d"])), key=str) == sorted([int, store.DatasetExists], key=str)
    assert sorted(backend_store.datasets()["name"]) == ["atlas", "one", "three", "two"]


# --- export and the file itself --------------------------------------------------------------


def test_export_writes_what_incidents_reads(backend_store, shipped):
    backend_store.add_dataset("mine", hostile(shipped))
    collection = json.loads(backend_store.export("geojson", datasets="mine", quarter="2024Q1"))
    assert len(collection["features"]) == int((shipped["quarter"] == "2024Q1").sum())
    assert collection["atlas"]["query"] == {"datasets": "mine", "quarter": "2024Q1"}
    text = backend_store.export("csv", datasets="mine").decode()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    with pytest.raises(store.StoreError):
        backend_store.export("xlsx")


def test_the_store_file_is_a_geopackage_gis_tools_open(tmp_path, shipped):
    path = tmp_path / "atlas.gpkg"
    store.open_store(url="", path=path).add_dataset("mine", shipped)
    layer = pyogrio.read_dataframe(path, layer="incidents")
    assert len(layer) == 64 and layer.crs.to_epsg() == 4326
    assert layer.geometry.equals(shipped.geometry.reset_index(drop=True))
    assert path.read_bytes()[68:72] == b"GPKG"  # the application id in the SQLite header


def test_the_default_file_lives_under_atlas_home(monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_HOME", str(tmp_path))
    assert store.default_path() == tmp_path / "atlas.gpkg"
    monkeypatch.delenv("ATLAS_HOME")
    assert store.default_path() == PROJECT_DIR / "var" / "atlas.gpkg"
    with pytest.raises(store.StoreError, match="postgresql://"):
        store.open_store(url="mysql://x")


def test_listing_the_datasets_reads_the_shipped_file_once_per_version_of_it(tmp_path, monkeypatch):
    shipped = tmp_path / "incidents.csv"
    shipped.write_bytes(paths.INCIDENTS.read_bytes())
    handle = store.open_store(path=tmp_path / "home" / "atlas.gpkg")
    handle.shipped = shipped
    real, reads = load_incidents, []

    def counted(path):
        reads.append(path)
        return real(path)

    monkeypatch.setattr(store, "load_incidents", counted)
    assert handle.datasets()["rows"].iloc[0] == handle.datasets()["rows"].iloc[0] == 64
    assert len(reads) == 1  # not once per listing
    shipped.write_bytes(b"".join(paths.INCIDENTS.read_bytes().splitlines(keepends=True)[:11]))
    assert handle.datasets()["rows"].iloc[0] == 10 and len(reads) == 2  # a changed file is counted again
    assert handle.datasets(include_shipped=False).empty and len(reads) == 2  # the app's listing reads no CSV
