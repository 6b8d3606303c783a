import pandas as pd
import pytest

from geo import periods


def test_range_covers_2023_to_2025_in_order():
    labels = periods.quarter_range()
    assert labels[0] == "2023Q1" and labels[-1] == "2025Q4" and len(labels) == 12


@pytest.mark.parametrize(("label", "before"), [("2024Q1", "2023Q4"), ("2024Q3", "2024Q2")])
def test_previous_quarter_crosses_years(label, before):
    assert periods.previous(label) == before


@pytest.mark.parametrize("bad", ["2024Q5", "2024-Q1", "Q1 2024", ""])
def test_bad_labels_are_named_in_the_error(bad):
    with pytest.raises(ValueError, match="not a quarter label"):
        periods.parse_quarter(bad)


def test_quarters_of_dates_keeps_missing_dates_missing():
    dates = pd.Series(pd.to_datetime(["2024-03-31", "2024-04-01", None]))
    assert periods.quarters_of(dates).tolist() == ["2024Q1", "2024Q2", pd.NA]


def test_options_add_the_quarters_of_imported_records_and_ignore_the_rest():
    labels = periods.options("quarter", ["2011Q3", pd.NA, "2024Q2", "junk"])
    assert labels[0] == "2011Q3" and labels[-1] == "2025Q4" and "2023Q1" in labels
    assert labels == periods.span("2011Q3", "2025Q4")  # every quarter between, none twice


@pytest.mark.parametrize(("label", "granularity", "before"), [
    ("2025", "year", "2024"),
    ("2025Q3", "quarter", "2025Q2"),
    ("2025Q1", "quarter", "2024Q4"),  # across a year boundary
    ("2026-02", "month", "2026-01"),
    ("2026-01", "month", "2025-12"),  # across a year boundary
])
def test_previous_period_has_the_same_granularity(label, granularity, before):
    assert periods.granularity(label) == granularity
    assert periods.previous(label) == before


@pytest.mark.parametrize("bad", ["2025Q5", "2025-13", "2025-1", "25", "2025H1", "", "2023Jan-May"])
def test_labels_that_are_not_a_year_quarter_or_month_are_refused(bad):
    with pytest.raises(ValueError, match="not a period"):
        periods.parse(bad)


def test_each_period_knows_its_days_and_quarters():
    assert (periods.parse("2024").start, periods.parse("2024").end) == (pd.Timestamp("2024-01-01"),
                                                                         pd.Timestamp("2024-12-31"))
    assert periods.parse("2024-02").end == pd.Timestamp("2024-02-29")
    assert periods.parse("2025Q3").end == pd.Timestamp("2025-09-30")
    assert periods.quarters_in("2024") == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert periods.quarters_in("2024-05") == ["2024Q2"]


def test_options_run_from_2023_to_the_last_published_period_and_add_imported_years():
    assert periods.options("year") == ["2023", "2024", "2025"]
    months = periods.options("month", last="2026Q1")
    assert months[0] == "2023-01" and months[-1] == "2026-03" and "2026-02" in months
    assert periods.options("year", ["2011Q3"])[0] == "2011"
    assert periods.options("quarter", ["2011Q3"])[:2] == ["2011Q3", "2011Q4"]


def test_dates_get_the_label_of_their_period():
    dates = pd.Series(pd.to_datetime(["2024-03-31", None]))
    assert periods.of_dates(dates, "month").tolist() == ["2024-03", pd.NA]
    assert periods.of_dates(dates, "year").tolist()[0] == "2024"


def test_the_latest_period_ends_last_and_a_year_beats_its_own_december():
    labels = ["2024Q1", "2025", "2025-12", "2024H2", "2023Jan-May", "junk"]
    assert periods.latest(labels) == "2025"
    assert periods.latest(labels, "month") == "2025-12"
    assert periods.latest(labels, "quarter") == "2024Q1"
    assert periods.latest(["2024H2"]) is None
