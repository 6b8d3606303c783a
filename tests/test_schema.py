"""The field table in geo/schema.py: complete, consistent and usable by every reader."""

import pytest

from geo import harmonize, schema

TABLES = {"incidents": schema.INCIDENT_FIELDS, "figures": schema.FIGURE_FIELDS}

BRIEF_INCIDENT_FIELDS = {
    "id", "occurred_on", "date_precision", "quarter", "place", "district", "province_id",
    "country", "lon", "lat", "location_precision", "location_source", "event_type",
    "perpetrator", "perpetrator_raw", "origin_country", "target", "killed_low", "killed_high",
    "killed", "injured", "killed_civilians", "killed_security", "killed_militants", "sources",
    "status", "fully_sourced", "notes", "counts_in_totals",
}
BRIEF_FIGURE_FIELDS = {
    "source_org", "series", "revision", "publication", "period", "period_type", "region_id",
    "metric", "value", "unit", "confidence", "url",
}


@pytest.mark.parametrize("fields", TABLES.values(), ids=TABLES.keys())
def test_every_field_is_described_and_typed(fields):
    names = [f.name for f in fields]
    assert len(names) == len(set(names)), "duplicate field names"
    for f in fields:
        assert f.dtype in schema.PANDAS_DTYPES, f.name
        assert f.description, f"{f.name} has no description"
        assert f.title


def test_the_tables_hold_the_fields_the_atlas_needs():
    assert BRIEF_INCIDENT_FIELDS <= set(schema.columns(schema.INCIDENT_FIELDS))
    assert BRIEF_FIGURE_FIELDS <= set(schema.columns(schema.FIGURE_FIELDS))


def test_units_are_in_the_names_and_the_table():
    assert schema.field("killed").unit == "people"
    assert schema.field("lon").unit == "degrees east"
    assert all(unit for unit, _ in schema.METRICS.values())


def test_derived_columns_are_not_stored():
    assert "quarter" in schema.columns(schema.INCIDENT_FIELDS)
    assert "quarter" not in schema.columns(schema.INCIDENT_FIELDS, stored_only=True)


def test_field_lookup_and_helpers():
    assert schema.field("occurred_on").dtype == "date"
    assert schema.field("figure_id", schema.FIGURE_FIELDS).label == "ID"
    with pytest.raises(KeyError, match="no field called 'nope'"):
        schema.field("nope")
    assert schema.labels(schema.INCIDENT_FIELDS)["lon"] == "Longitude"


def test_province_ids_match_the_alias_table():
    assert set(schema.field("province_id").allowed) == set(schema.PROVINCE_NAMES)
    # Every alias names a canonical id, and every unit is found by its own canonical name.
    assert set(harmonize.alias_table().values()) == set(schema.PROVINCE_NAMES)
    assert {harmonize.province_id(name) for name in schema.PROVINCE_NAMES.values()} == set(schema.PROVINCE_NAMES)


def test_canonical_lists_are_data():
    assert "unknown" in schema.PERPETRATORS
    assert set(schema.field("event_type").allowed) == {
        "terror_attack", "security_operation", "cross_border_strike", "other"}
    assert set(schema.POINT_PRECISIONS) < set(schema.LOCATION_PRECISIONS)


@pytest.mark.parametrize(
    ("region_id", "valid"),
    [
        ("PK", True), ("PK-KP", True), ("PK-KP+PK-BA", True), ("PK-KP-FATA", True),
        ("PK-SD+PK-PB+PK-JK+PK-IS+PK-GB", True), ("PK-KP+PK-KP", False), ("KP", False),
        ("PK+PK-KP", False), ("", False),
    ],
)
def test_region_ids(region_id, valid):
    assert schema.is_region_id(region_id) is valid


def test_official_organisations_are_kept_apart_from_the_think_tanks():
    assert set(schema.OFFICIAL_ORGS) <= set(schema.SOURCE_ORGS)
    assert set(schema.REPORTING_ORGS) <= set(schema.SOURCE_ORGS)
    assert not set(schema.OFFICIAL_ORGS) & set(schema.REPORTING_ORGS)
    assert set(schema.ORG_LABELS) == set(schema.SOURCE_ORGS)
    assert all("official" in schema.ORG_LABELS[org] for org in schema.OFFICIAL_ORGS)


def test_lower_confidences_are_confidences_with_labels():
    assert set(schema.LOWER_CONFIDENCES) < set(schema.CONFIDENCES)
    assert "secondary_only" in schema.LOWER_CONFIDENCES
    assert set(schema.CONFIDENCE_LABELS) == set(schema.CONFIDENCES)


def test_percent_metrics_are_exactly_the_pct_names():
    pct = {name for name in schema.METRICS if name.endswith("_pct")}
    assert set(schema.PERCENT_METRICS) == pct
    assert all(schema.METRICS[name][0] == "percent" for name in pct)
    assert not {unit for unit, _ in schema.METRICS.values()} - {*schema.COUNT_UNITS, "percent",
                                                                "million people"}


def test_region_names_lead_to_region_ids():
    assert all(schema.is_region_id(rid) for rid in schema.REGION_NAMES.values())
