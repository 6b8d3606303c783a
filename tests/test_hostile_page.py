"""The Data page shows names that come from files as plain text (issue 13, item 13).

A dataset stored before names were restricted (or written to the store by another tool) may be
called anything; the page must still show it as the characters it is, never as Markdown that
makes every visitor's browser fetch an address.
"""

from pathlib import Path

from geo.importers import import_file
from tests.harness import open_app

FIXTURES = Path(__file__).parent / "fixtures"
TRACKER = "![t](http://tracker.example/ds.png)"


def test_a_markdown_name_is_shown_as_its_characters(atlas_store):
    result = import_file(FIXTURES / "gtd_subset.csv")
    atlas_store.add_dataset(f"gtd {TRACKER}", result.incidents, f"{TRACKER}.csv", result.report.layout,
                            result.report.to_dict())
    at = open_app("pages/data.py")
    assert not at.exception, at.exception
    escaped = "!\\[t\\](http://tracker.example/ds.png)"  # Markdown shows it as the characters typed
    (label,) = [e.label for e in at.expander if "tracker.example" in e.label]
    assert label == f"gtd {escaped}: 6 records from {escaped}.csv"
    (checkbox,) = [c.label for c in at.checkbox if "tracker.example" in c.label]
    assert f"gtd {escaped} disappears" in checkbox


def test_a_formula_like_source_file_is_neutralised_in_the_datasets_table(atlas_store):
    """The table's toolbar downloads what it shows as CSV, so a file named like a formula must
    arrive quoted in the spreadsheet, like every other table's cells."""
    result = import_file(FIXTURES / "gtd_subset.csv")
    atlas_store.add_dataset("gtd", result.incidents, "=HYPERLINK(evil).csv", result.report.layout,
                            result.report.to_dict())
    at = open_app("pages/data.py")
    assert not at.exception, at.exception
    listed = next(frame.value for frame in at.dataframe if "source_file" in frame.value.columns)
    assert listed.set_index("name").loc["gtd", "source_file"] == "'=HYPERLINK(evil).csv"
