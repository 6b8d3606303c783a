"""Who did what, the check at each change, and the change counter: geo/store against the
GeoPackage and a real PostgreSQL + PostGIS server (tests/pg_server.py), no mocks.

- every import, removal, undo, correction and purge records the editor and the time;
- a viewer's change is refused by the store itself and changes nothing (not even the counter);
- ``version()`` rises once per committed change, in commit order, and a half-written import is
  never visible, so app instances that key their caches by it agree;
- a store made before any of this opens, keeps its data and records from then on.
"""

import threading

import pandas as pd
import pytest

from geo import auth, store
from geo.store.common import CHUNK_ROWS
from tests.test_store import copies

EDITOR = auth.Person(auth.EDITOR, "editor@example.org", "an editor", True)
VIEWER = auth.Person(auth.VIEWER, "reader@example.org", "You are signed in as reader@example.org, who is not "
                     "one of this atlas's editors (ATLAS_EDITORS).", True)


def snapshot(backend_store: store.Store, record_id: str) -> tuple:
    """Everything a change could touch, to compare before and after a refused one."""
    listing = backend_store.datasets(include_removed=True).drop(columns="report")
    record = backend_store.record("mine", record_id).astype(str).values.tolist()
    return (backend_store.version(), listing.to_dict("records"), record,
            backend_store.history("mine", record_id).to_dict("records"), len(backend_store.activity()))


def test_every_change_records_who_and_when(backend_store, shipped):
    rid = shipped["id"][0]
    backend_store.add_dataset("mine", shipped, "mine.csv", by=EDITOR)
    backend_store.correct("mine", rid, {"killed": 9, "killed_low": 9, "killed_high": 9}, "ISPR", by=EDITOR)
    backend_store.remove("mine", by=EDITOR)
    row = backend_store.datasets(include_removed=True).set_index("name").loc["mine"]
    assert (row["imported_by"], row["removed_by"]) == ("editor@example.org", "editor@example.org")
    backend_store.undo_remove("mine", by=EDITOR)
    row = backend_store.datasets().set_index("name").loc["mine"]
    assert pd.isna(row["removed_by"]) and pd.isna(row["removed_at"])
    assert set(backend_store.history("mine", rid)["changed_by"]) == {"editor@example.org"}
    log = backend_store.activity()
    assert log["action"].tolist() == ["undo", "remove", "correct", "import"]  # newest first
    assert set(log["done_by"]) == {"editor@example.org"} and log["done_at"].notna().all()
    assert log.loc[log["action"] == "correct", ["record_id", "detail"]].values.tolist() == [
        [rid, "killed, killed_low, killed_high"]]
    assert log["version"].tolist() == sorted(log["version"], reverse=True)
    backend_store.remove("mine", by=EDITOR)
    assert backend_store.purge_removed() == ["mine"]
    purge = backend_store.activity("mine").iloc[0]  # the log outlives the purged dataset
    assert purge["action"] == "purge" and purge["done_by"].startswith("command line:")


def test_without_a_person_the_change_is_the_operators(backend_store, shipped):
    backend_store.add_dataset("mine", shipped)  # python -m geo import --save, scripts
    assert backend_store.datasets().set_index("name").loc["mine", "imported_by"] == auth.operator().identity


def test_a_viewer_changes_nothing(backend_store, shipped):
    rid = shipped["id"][0]
    backend_store.add_dataset("mine", shipped, by=EDITOR)
    backend_store.add_dataset("gone", shipped, by=EDITOR)
    backend_store.remove("gone", by=EDITOR)
    before = snapshot(backend_store, rid)
    forged = [lambda: backend_store.add_dataset("theirs", shipped, by=VIEWER),
              lambda: backend_store.remove("mine", by=VIEWER),
              lambda: backend_store.undo_remove("gone", by=VIEWER),
              lambda: backend_store.correct("mine", rid, {"killed": 99, "killed_low": 99, "killed_high": 99}, "x",
                                          by=VIEWER),
              lambda: backend_store.purge_removed(by=VIEWER)]
    for change in forged:
        with pytest.raises(auth.NotAllowed, match="not one of this atlas's editors"):
            change()
    with pytest.raises(auth.NotAllowed):  # not a Person at all: a forged dict is no editor
        backend_store.backend.mark_removed("mine", True, {"role": "editor"})
    assert snapshot(backend_store, rid) == before


def test_the_version_rises_once_per_committed_change(backend_store, shipped):
    rid = shipped["id"][0]
    start = backend_store.version()
    backend_store.add_dataset("mine", shipped, by=EDITOR)
    assert backend_store.version() == start + 1
    with pytest.raises(store.DatasetExists):
        backend_store.add_dataset("mine", shipped, by=EDITOR)
    assert backend_store.correct("mine", rid, {"killed": shipped["killed"][0]}, "same", by=EDITOR) == []
    assert backend_store.version() == start + 1  # a refused import and a correction that changed nothing
    backend_store.correct("mine", rid, {"notes": "checked"}, "note", by=EDITOR)
    backend_store.remove("mine", by=EDITOR)
    backend_store.undo_remove("mine", by=EDITOR)
    assert backend_store.version() == start + 4


def test_a_datasets_data_version_moves_with_its_records_only(backend_store, shipped):
    rid = shipped["id"][0]
    backend_store.add_dataset("a", shipped, by=EDITOR)
    backend_store.add_dataset("b", shipped, by=EDITOR)
    versions = backend_store.datasets().set_index("name")["data_version"]
    assert versions["atlas"] == 0 and versions["a"] < versions["b"]
    backend_store.correct("a", rid, {"notes": "checked"}, "note", by=EDITOR)
    backend_store.remove("b", by=EDITOR)
    backend_store.undo_remove("b", by=EDITOR)  # back with the same records: cached reads stay valid
    after = backend_store.datasets().set_index("name")["data_version"]
    assert after["a"] == backend_store.version() - 2 and after["b"] == versions["b"]


def test_a_second_handle_sees_the_first_ones_changes_at_once(backend_store, shipped, env):
    other = store.open_store()  # another app instance on the same store
    rid = shipped["id"][0]
    backend_store.add_dataset("mine", shipped, by=EDITOR)
    seen = other.version()
    backend_store.correct("mine", rid, {"killed": 9, "killed_low": 9, "killed_high": 9}, "ISPR", by=EDITOR)
    assert other.version() == seen + 1
    assert other.record("mine", rid)["killed"].tolist() == [9]
    assert other.datasets().set_index("name").loc["mine", "data_version"] == seen + 1


def test_a_change_during_an_import_never_shows_the_half_written_import(backend_store, shipped, env):
    # PostgreSQL lets a correction commit while an import is still writing; SQLite makes the
    # correction wait for the import's commit, so there a reader looks in the middle instead.
    rid = shipped["id"][0]
    backend_store.add_dataset("small", shipped, by=EDITOR)
    start, shared = backend_store.version(), bool(env.get("ATLAS_DATABASE_URL"))
    other = store.open_store()  # another instance (opened before: a GeoPackage opens with the write lock)
    writing, looked, seen = threading.Event(), threading.Event(), {}

    def slow(done_rows, total):
        if done_rows == CHUNK_ROWS:  # hold the import open, half written, until the other has looked
            writing.set()
            looked.wait(30)

    def meanwhile():
        writing.wait(30)
        try:
            if shared:
                other.correct("small", rid, {"notes": "meanwhile"}, "while importing", by=EDITOR)
            seen["version"], seen["names"] = other.version(), other.datasets()["name"].tolist()
            seen["rows"] = len(other.incidents(datasets=["big"]))
        finally:
            looked.set()

    thread = threading.Thread(target=meanwhile)
    thread.start()
    try:
        backend_store.add_dataset("big", copies(shipped, 3 * CHUNK_ROWS), by=EDITOR, progress=slow)
    finally:
        looked.set()
        thread.join(60)
    assert seen == {"version": start + shared, "names": ["atlas", "small"], "rows": 0}
    assert backend_store.version() == start + 1 + shared  # the import counts once it is whole
    assert backend_store.activity()["action"].tolist()[:1 + shared] == ["import", "correct"][:1 + shared]


def old_store(backend_store: store.Store) -> None:
    """Turn a store into one made before who-did-what: no log, no counter, no identity columns."""
    with backend_store.backend.write() as cur:
        for statement in ("DROP TABLE atlas_log", "DROP TABLE atlas_version",
                          "ALTER TABLE atlas_datasets DROP COLUMN imported_by",
                          "ALTER TABLE atlas_datasets DROP COLUMN removed_by",
                          "ALTER TABLE atlas_history DROP COLUMN changed_by"):
            cur.execute(statement)


def test_a_store_from_before_opens_and_records_from_then_on(backend_store, shipped):
    rid = shipped["id"][0]
    backend_store.add_dataset("old", shipped, by=EDITOR)
    backend_store.correct("old", rid, {"notes": "then"}, "before", by=EDITOR)
    old_store(backend_store)
    reopened = store.open_store()
    row = reopened.datasets().set_index("name").loc["old"]
    assert pd.isna(row["imported_by"]) and row["data_version"] == 0 and row["rows"] == len(shipped)
    assert reopened.history("old", rid)["changed_by"].isna().all() and reopened.version() == 0
    reopened.correct("old", rid, {"notes": "now"}, "after", by=EDITOR)
    assert reopened.history("old", rid)["changed_by"].fillna("?").tolist() == ["?", "editor@example.org"]
    assert reopened.version() == 1 and store.open_store().version() == 1  # opening again changes nothing
