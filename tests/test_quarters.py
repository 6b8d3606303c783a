import pandas as pd
import pytest

from geo import quarters


def test_range_covers_2023_to_2025_in_order():
    labels = quarters.quarter_range()
    assert labels[0] == "2023Q1" and labels[-1] == "2025Q4" and len(labels) == 12


@pytest.mark.parametrize(("label", "before"), [("2024Q1", "2023Q4"), ("2024Q3", "2024Q2")])
def test_previous_quarter_crosses_years(label, before):
    assert quarters.previous_quarter(label) == before


@pytest.mark.parametrize("bad", ["2024Q5", "2024-Q1", "Q1 2024", ""])
def test_bad_labels_are_named_in_the_error(bad):
    with pytest.raises(ValueError, match="not a quarter label"):
        quarters.parse_quarter(bad)


def test_quarters_of_dates_keeps_missing_dates_missing():
    dates = pd.Series(pd.to_datetime(["2024-03-31", "2024-04-01", None]))
    assert quarters.quarters_of(dates).tolist() == ["2024Q1", "2024Q2", pd.NA]


def test_with_data_adds_the_quarters_of_imported_records():
    labels = quarters.with_data(["2011Q3", pd.NA, "2024Q2", "junk"])
    assert labels[0] == "2011Q3" and labels[1] == "2023Q1" and labels[-1] == "2025Q4"
    assert len(labels) == 13
