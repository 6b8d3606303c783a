"""Aggregation and quarter-on-quarter arithmetic on tiny side-by-side tables."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import summarize

NAN = float("nan")


def table(rows):
    columns = ["id", "province_id", "quarter", "event_type", "killed", "injured", "border_region_ids",
               "counts_in_totals"]
    return pd.DataFrame(rows, columns=columns)


def test_totals_per_province_and_quarter_with_missing_kept_missing():
    incidents = table([
        ("a", "PK-KP", "2024Q2", "terror_attack", 5, 2, "PK-AF-BELT", True),
        ("b", "PK-KP", "2024Q2", "security_operation", 3, NAN, "", True),
        ("c", "PK-BA", "2024Q2", "terror_attack", NAN, NAN, "", True),
        ("d", "PK-BA", "2024Q2", "security_operation", 40, NAN, "", False),  # overlapping tally
    ])
    out = summarize.by_province(incidents).set_index("province_id")
    assert out.loc["PK-KP", ["incidents", "killed", "injured"]].tolist() == [2, 8, 2]
    assert out.loc["PK-BA", "incidents"] == 1
    assert math.isnan(out.loc["PK-BA", "killed"])  # unknown toll is not zero
    assert out.loc["PK-KP", ["n_terror_attack", "n_security_operation", "n_cross_border_strike"]].tolist() == [1, 1, 0]


def test_border_region_totals_count_an_incident_in_each_of_its_regions():
    incidents = table([
        ("a", "PK-KP", "2024Q2", "terror_attack", 5, 1, "PK-AF-BELT;PK-FATA", True),
        ("b", None, "2024Q2", "cross_border_strike", 8, NAN, "AF-PKA", True),
    ])
    out = summarize.by_border_region(incidents).set_index("region_id")
    assert out["killed"].to_dict() == {"AF-PKA": 8, "PK-AF-BELT": 5, "PK-FATA": 5}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["PK-KP", "PK-BA", "PK-SD"]),
                          st.sampled_from(["2024Q1", "2024Q2"]),
                          st.one_of(st.none(), st.integers(0, 500))), max_size=30))
def test_totals_out_equal_totals_in(rows):
    incidents = table([
        (f"i{n}", province, quarter, "terror_attack", NAN if killed is None else killed, NAN, "", True)
        for n, (province, quarter, killed) in enumerate(rows)
    ])
    out = summarize.by_province(incidents)
    assert out["incidents"].sum() == len(rows)
    assert out["killed"].sum() == sum(k for *_, k in rows if k is not None)


def test_change_against_previous_quarter_2024q2():
    assert round(summarize.change_pct(380, 432)) == -12


@pytest.mark.parametrize(("current", "previous"), [(380, NAN), (NAN, 432), (5, 0), (None, 3)])
def test_change_is_missing_when_a_side_is_missing_or_zero(current, previous):
    assert math.isnan(summarize.change_pct(current, previous))


def figures():
    return pd.DataFrame(
        [
            ("CRSS", "2024Q1", "PK", "deaths", 432.0, "https://example.org/q1"),
            ("CRSS", "2024Q2", "PK", "deaths", 380.0, "https://example.org/q2"),
            ("CRSS", "2024Q2", "PK", "injured", 220.0, "https://example.org/q2"),
        ],
        columns=["source_org", "period", "region_id", "metric", "value", "url"],
    )


def test_headline_puts_each_metric_beside_the_previous_quarter():
    out = summarize.headline(figures(), "CRSS", "2024Q2").set_index("metric")
    assert out.loc["deaths", ["value", "previous"]].tolist() == [380.0, 432.0]
    assert round(out.loc["deaths", "change_pct"]) == -12
    assert out.loc["deaths", "url"] == "https://example.org/q2"
    assert math.isnan(out.loc["injured", "previous"]) and math.isnan(out.loc["injured", "change_pct"])
    assert math.isnan(out.loc["incidents", "value"]) and pd.isna(out.loc["incidents", "url"])


def test_shares_of_a_total():
    totals = pd.DataFrame({"province_id": ["PK-KP", "PK-BA", "PK-SD"], "killed": [60, 30, 10]})
    assert summarize.shares(totals, "killed", ("PK-KP", "PK-BA")) == {"PK-KP": 60.0, "PK-BA": 30.0}
    unknown = pd.DataFrame({"province_id": ["PK-KP"], "killed": [NAN]})
    assert math.isnan(summarize.shares(unknown, "killed", ("PK-KP",))["PK-KP"])
