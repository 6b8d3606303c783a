"""Unit tests for geo/views/sources.py: provenance, schema and source tables."""

import pandas as pd

from geo import provenance, schema
from geo.views import sources


def test_every_shipped_data_file_has_a_row_with_its_licence():
    table = sources.provenance_table(provenance.all_provenance())
    assert set(table["file"]) == {p.name for p in provenance.data_files()}
    assert table["licence"].notna().all() and table["attribution"].notna().all()


def test_schema_table_lists_every_field_once():
    table = sources.schema_table(schema.INCIDENT_FIELDS)
    assert list(table["field"]) == [f.name for f in schema.INCIDENT_FIELDS]
    assert "terror_attack" in table.set_index("field").loc["event_type", "allowed values"]


def test_source_lists_and_first_source():
    assert sources.source_list("https://a.org/x | https://b.org/y") == ["https://a.org/x", "https://b.org/y"]
    assert sources.first_source("https://a.org/x | https://b.org/y") == "https://a.org/x"
    assert sources.first_source(None) is None and sources.source_list(pd.NA) == []


def test_revisions_keep_every_version_and_doubtful_flags_unverified_rows():
    figures = pd.DataFrame({
        "source_org": ["CRSS"] * 3, "period": ["2025Q1", "2025Q1", "2023Q3"], "region_id": ["PK"] * 3,
        "metric": ["deaths"] * 3, "revision": [0, 1, 0], "value": [897.0, 900.0, 141.0],
        "series": ["first_published", "latest_revision", "first_and_latest"], "variant": [None] * 3,
        "confidence": ["primary", "secondary", "unverified"], "caveat": [None, None, "not found again"],
        "publication": ["Q1", "Q2", "Q3"], "url": ["https://a.org/1", "https://a.org/2", "https://a.org/3"],
    })
    assert list(sources.revisions(figures)["value"]) == [897.0, 900.0]
    assert list(sources.doubtful(figures)["source"]) == ["https://a.org/3"]
