"""The filter table as a table of state -> expected ids."""

import pandas as pd
import pytest

from geo import filters

INCIDENTS = pd.DataFrame(
    [
        ("a", "PK-KP", "PK-AF-BELT;PK-FATA", "terror_attack", "TTP", "security_forces; civilians (bus)", 12.0, "town"),
        ("b", "PK-BA", "PK-IR-BELT", "terror_attack", "BLA", "civilians (cleric)", 3.0, "site"),
        ("c", None, "AF-PKA", "cross_border_strike", "Pakistan military", "militants (claimed: TTP)",
         float("nan"), "town"),
        ("d", "PK-SD", "", "security_operation", "Pakistan military", "militants", 0.0, "district"),
    ],
    columns=["id", "province_id", "border_region_ids", "event_type", "perpetrator", "target",
             "killed", "location_precision"],
)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({}, ["a", "b", "c", "d"]),
        ({"region": []}, ["a", "b", "c", "d"]),
        ({"region": ["PK-KP"]}, ["a"]),
        ({"region": ["PK-FATA", "PK-IR-BELT"]}, ["a", "b"]),
        ({"region": ["AF-PKA"]}, ["c"]),
        ({"event_type": ["terror_attack"]}, ["a", "b"]),
        ({"perpetrator": ["Pakistan military"], "event_type": ["security_operation"]}, ["d"]),
        ({"target": ["militants"]}, ["c", "d"]),
        ({"target": ["civilians"]}, ["a", "b"]),
        ({"min_killed": 0}, ["a", "b", "c", "d"]),
        ({"min_killed": 3}, ["a", "b"]),  # c's toll is unknown: not "at least 3"
        ({"location_precision": ["site", "town"]}, ["a", "b", "c"]),
        ({"region": ["PK-BA"], "min_killed": 5}, []),
    ],
)
def test_state_to_ids(state, expected):
    assert INCIDENTS[filters.passes(INCIDENTS, state)]["id"].tolist() == expected


def test_no_match_keeps_the_columns():
    out = INCIDENTS[filters.passes(INCIDENTS, {"event_type": ["other"]})]
    assert out.empty and list(out.columns) == list(INCIDENTS.columns)


def test_unknown_filter_key_raises():
    with pytest.raises(KeyError):
        filters.passes(INCIDENTS, {"colour": ["red"]})


def test_choices_are_the_values_present():
    assert filters.choices(INCIDENTS, filters.BY_KEY["event_type"]) == [
        "cross_border_strike", "security_operation", "terror_attack"]


def test_target_categories_are_the_first_word_of_each_part():
    assert filters.choices(INCIDENTS, filters.BY_KEY["target"]) == ["civilians", "militants", "security_forces"]
    assert filters.categories("militants (India: JeM HQ); Pakistan: civilians/mosque") == {"militants"}
    assert filters.categories(None) == set()


def test_describe_makes_a_file_name_safe_label():
    assert filters.describe({}) == "all"
    assert filters.describe({"region": ["PK-KP", "PK-BA"], "min_killed": 5, "target": []}) == (
        "region-PK-KP+PK-BA_min_killed-5")
    assert "/" not in filters.describe({"perpetrator": ["a/b <x>"]})
