"""geo/provenance.py: one key set for every data file's record, read and written in one place."""

import json

import pytest

from geo import paths, provenance

RECORD = {"title": "t", "source": "s", "licence": "CC0", "attribution": "a", "build_command": "make it",
          "built_on": None, "sha256": None, "inputs": {"x.csv": "0" * 64}}


def test_every_shipped_record_has_the_required_keys_and_only_known_ones():
    records = provenance.all_provenance()
    assert set(records) == {path.name for path in provenance.data_files()} and len(records) == 6
    for name, record in records.items():
        assert set(provenance.REQUIRED_KEYS) <= set(record) <= set(provenance.KEYS), name


def test_a_rebuild_of_the_same_bytes_keeps_built_on_and_a_change_moves_it(tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("a\n1\n")
    first = provenance.write(data, RECORD, today="2026-01-01")
    assert first["built_on"] == "2026-01-01" and len(first["sha256"]) == 64
    assert provenance.write(data, RECORD, today="2026-02-02")["built_on"] == "2026-01-01"
    changed_inputs = {**RECORD, "inputs": {"x.csv": "1" * 64}}
    assert provenance.write(data, changed_inputs, today="2026-03-03")["built_on"] == "2026-03-03"
    data.write_text("a\n2\n")
    assert provenance.write(data, changed_inputs, today="2026-04-04")["built_on"] == "2026-04-04"
    assert provenance.read_provenance(data)["built_on"] == "2026-04-04"


def test_a_build_elsewhere_keeps_the_shipped_records_built_on(tmp_path):
    copy = tmp_path / paths.INCIDENTS.name
    copy.write_bytes(paths.INCIDENTS.read_bytes())
    shipped = provenance.read_provenance(paths.INCIDENTS)
    record = {**shipped, "built_on": None, "sha256": None}
    assert provenance.write(copy, record, earlier=(paths.INCIDENTS,), today="2099-01-01") == shipped


def test_an_unknown_or_missing_key_is_refused_on_write_and_on_read(tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("a\n")
    with pytest.raises(provenance.ProvenanceError, match="unknown key 'colour'"):
        provenance.write(data, {**RECORD, "colour": "red"})
    with pytest.raises(provenance.ProvenanceError, match="missing licence"):
        provenance.write(data, {**RECORD, "licence": ""})
    paths.provenance_path(data).write_text(json.dumps({**RECORD, "built_on": "x", "sha256": "y", "colour": 1}))
    with pytest.raises(provenance.ProvenanceError, match="unknown key 'colour'"):
        provenance.read_provenance(data)
