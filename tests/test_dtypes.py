"""Column parsers: each bad cell is reported once with its row and value; good cells parse."""

import pandas as pd
import pytest

from geo import dtypes, schema


def spec(dtype, required=False, allowed=()):
    return schema.Field("c", dtype, "", required, allowed)


@pytest.mark.parametrize(
    ("dtype", "cells", "parsed", "bad_rows"),
    [
        ("int", ["3", " 4 ", "5.0", "2.5", "x", ""], [3, 4, 5, None, None, None], [4, 5]),
        ("float", ["1.5", "nan", "inf", "-1e3", ""], [1.5, None, None, -1000.0, None], [2, 3]),
        ("date", ["2024-01-02", "2099-12-31", "9999-01-01", "02/01/2024", ""],
         ["2024-01-02", "2099-12-31", None, None, None], [3, 4]),
        ("bool", ["yes", "FALSE", "maybe", ""], [True, False, None, None], [3]),
        ("string", ["  Quetta ", "", "<b>x</b>"], ["Quetta", None, "<b>x</b>"], []),
    ],
)
def test_parsers(dtype, cells, parsed, bad_rows):
    column, problems = dtypes.parse_column(pd.Series(cells, dtype=object), spec(dtype))
    expected = pd.Series(parsed, dtype=object)
    if dtype == "date":
        expected = pd.to_datetime(expected)
    assert [None if pd.isna(v) else v for v in column] == [None if pd.isna(v) else v for v in expected]
    assert [row for row, _, _ in problems] == bad_rows
    assert all(value == cells[row - 1].strip() or value == cells[row - 1] for row, value, _ in problems)


def test_allowed_values_and_required_cells_are_reported():
    column, problems = dtypes.parse_column(pd.Series(["site", "moon", ""]), spec("string", True, ("site", "town")))
    assert column.tolist()[0] == "site" and pd.isna(column.tolist()[1])
    assert [(row, value) for row, value, _ in problems] == [(2, "moon"), (3, "")]
    assert problems[0][2] == "one of site, town" and problems[1][2] == "a value (string)"


def test_a_100k_character_cell_is_kept_whole():
    long = "x" * 100_000
    column, problems = dtypes.parse_column(pd.Series([long]), spec("string"))
    assert column.iloc[0] == long and problems == []


def test_a_count_too_long_for_int64_is_reported_not_wrapped_around():
    spec = next(f for f in schema.INCIDENT_FIELDS if f.name == "injured")
    parsed, problems = dtypes.parse_column(pd.Series(["12", "99999999999999999999", "123456789012345"]), spec)
    assert parsed.iloc[0] == 12 and pd.isna(parsed.iloc[1]) and parsed.iloc[2] == 123456789012345
    assert problems == [(2, "99999999999999999999", "a whole number of at most 15 digits")]
