"""``python -m geo check-figures``: new figure rows are checked before they reach the app, every
problem named with its row, and the shipped figures pass."""

from pathlib import Path

import pandas as pd
import pytest

from geo import paths
from geo.__main__ import main
from geo.figure_check import check_figures, organisation_of
from scripts import inputs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "figures"
ADDED = inputs.REFERENCE_DIR / "figures-added-2026-11.csv"


def test_clean_new_rows_pass_months_quarters_spans_and_percentages():
    rows, problems = check_figures(FIXTURES / "new_rows.csv")
    assert (rows, problems) == (10, [])


def test_every_problem_is_named_with_its_row_and_column():
    rows, problems = check_figures(FIXTURES / "bad_rows.csv")
    assert rows == 14
    found = {(p.row, p.column) for p in problems}
    assert found == {(2, "value"), (3, "value"), (4, "value"), (5, "value"), (6, "period"),
                     (7, "source_org"), (8, "region"), (9, "metric"), (10, "value"), (11, "url"),
                     (12, "url"), (13, "value"), (14, "value")}
    text = {p.row: str(p) for p in problems}
    assert "row 1 gives the same" in text[2] and "(duplicate)" in text[2]
    assert "row 1 gives 70" in text[3] and "(conflicting values)" in text[3]
    assert "whole number" in text[4] and "from 0 to 100" in text[5] and "at least -100" in text[14]


def test_the_command_prints_one_line_per_problem_and_exits_2(capsys):
    assert main(["check-figures", str(FIXTURES / "bad_rows.csv")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 13 and all(line.startswith("error: ") for line in err)
    assert main(["check-figures", str(FIXTURES / "new_rows.csv")]) == 0
    assert "10 rows, no problems" in capsys.readouterr().out


def test_unreadable_files_are_one_line(tmp_path, capsys):
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["check-figures", str(tmp_path / "missing.csv"), str(odd)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("missing.csv: no such file")
    assert "columns source_org, period, region, metric, value, url missing" in err[1]


def test_the_shipped_figures_pass():
    rows, problems = check_figures(paths.FIGURES)
    assert rows == 775 and problems == []


def test_a_conflict_in_the_atlas_layout_is_named(tmp_path):
    figures = pd.read_csv(paths.FIGURES, dtype=str, keep_default_na=False).head(5)
    changed = figures.iloc[[0]].assign(figure_id="F9999", value="381")
    path = tmp_path / "figures.csv"
    pd.concat([figures, changed]).to_csv(path, index=False)
    _, problems = check_figures(path)
    assert [(p.row, p.column) for p in problems] == [(6, "value")]
    assert f"row 1 gives {figures['value'].iloc[0]}" in str(problems[0])


@pytest.mark.skipif(not ADDED.exists(), reason=f"the reference compilation {ADDED.parent} is not present")
def test_the_november_2026_additions_pass():
    rows, problems = check_figures(ADDED)
    assert rows == 449 and problems == []


@pytest.mark.parametrize(
    ("label", "org"),
    [("PICSS", "PICSS"), ("PICSS (revised, in Feb 2025 report)", "PICSS"),
     ("KP Counter Terrorism Department (Urdu report; secondary page only)", "KP CTD"),
     ("ISPR (official, DG ISPR press conference)", "ISPR"), ("KP CTD", "KP CTD"),
     ("PICSSX", None), ("Crisis Group", None), ("", None)],
)
def test_organisation_of_a_label(label, org):
    assert organisation_of(label) == org


def test_a_repeated_figure_with_an_unreadable_value_is_still_named(tmp_path):
    figures = pd.read_csv(paths.FIGURES, dtype=str, keep_default_na=False).head(2)
    path = tmp_path / "figures.csv"
    pd.concat([figures, figures.iloc[[0]].assign(figure_id="F9999", value="n/a")]).to_csv(path, index=False)
    _, problems = check_figures(path)
    assert {(p.row, p.column) for p in problems} == {(3, "value")} and len(problems) == 2
