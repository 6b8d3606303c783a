"""The README tells the truth about settings and set-up."""

from pathlib import Path

from geo import settings

PROJECT = Path(__file__).resolve().parents[1]
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme_table():
    for setting in settings.SETTINGS:
        assert f"| `{setting.name}` |" in README, f"{setting.name} missing from the README's settings table"


def test_readme_gives_the_two_setup_commands_ci_runs():
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make run" in README and "make test" in README
    assert ci.strip().splitlines()[-1] == "make test"


def test_settings_read_the_environment(monkeypatch):
    monkeypatch.setenv("ATLAS_HOME", "/tmp/x")
    assert settings.get("ATLAS_HOME") == "/tmp/x"
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    assert settings.get("ATLAS_DATABASE_URL") == ""


def test_every_code_block_in_the_readme_is_closed_and_no_heading_falls_inside_one():
    inside, opened = False, 0
    for number, line in enumerate(README.splitlines(), 1):
        if line.startswith("```") and (not inside or line.strip() == "```"):
            inside, opened = not inside, number
        assert not (inside and line.startswith("## ")), f"README line {number}: a heading in the block of line {opened}"
    assert not inside, f"README line {opened}: a code block is never closed"
