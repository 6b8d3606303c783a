"""geo.figures.matching, the one lookup of published figures, on a tiny table."""

import pandas as pd

from geo.figures import matching

FIGURES = pd.DataFrame({
    "source_org": ["CRSS", "CRSS", "CRSS", "PICSS"],
    "period": ["2025Q1", "2025Q1", "2025Q2", "2025Q1"],
    "region_id": ["PK", "PK-KP", "PK", "PK"],
    "metric": ["deaths", "deaths", "deaths", "injured"],
    "value": [10, 4, 12, 7],
})


def values(**wanted) -> list:
    return matching(FIGURES, **wanted)["value"].tolist()


def test_one_value_or_a_collection_per_column_and_every_condition_holds():
    assert values(source_org="CRSS", period="2025Q1", metric="deaths") == [10, 4]
    assert values(source_org="CRSS", period="2025Q1", region_id="PK-KP", metric="deaths") == [4]
    assert values(period=["2025Q1"], metric=("deaths", "injured"), region_id={"PK"}) == [10, 7]


def test_nothing_wanted_is_everything_and_nothing_matching_is_an_empty_frame_with_the_columns():
    assert matching(FIGURES).equals(FIGURES)
    empty = matching(FIGURES, source_org="PIPS")
    assert empty.empty and list(empty.columns) == list(FIGURES.columns)
