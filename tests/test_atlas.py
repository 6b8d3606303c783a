"""geo.atlas: the whole flow from an incidents file to what the pages show."""

import pytest

from geo import atlas, paths


@pytest.fixture(scope="module")
def shipped():
    return atlas.load_atlas(paths.INCIDENTS, "atlas")


def test_a_file_becomes_joined_incidents_indexed_by_quarter(shipped):
    incidents = shipped.incidents
    assert len(incidents) == 64 and set(incidents["dataset"]) == {"atlas"}
    assert incidents["province_id"].notna().any()  # the join ran
    start, stop = shipped.quarter_bounds["2024Q1"]
    assert set(incidents["quarter"].iloc[start:stop]) == {"2024Q1"}
    assert "terror_attack" in shipped.choices["event_type"]
    assert shipped.key == str(paths.INCIDENTS) and len(shipped.provinces) == 7


def test_combining_adds_stored_records_and_names_the_combination(shipped):
    imported = shipped.incidents.head(3).assign(dataset="mine", quarter="2011Q3")
    both = atlas.combine(shipped, True, [imported], key="both")
    assert len(both.incidents) == 67 and both.key == "both"
    assert both.quarter_bounds["2011Q3"][1] - both.quarter_bounds["2011Q3"][0] == 3
    only_mine = atlas.combine(shipped, False, [imported], key="mine")
    assert set(only_mine.incidents["dataset"]) == {"mine"}
    assert atlas.combine(shipped, True, [], key="same") is shipped
    assert atlas.combine(shipped, False, [], key="none").incidents.empty
