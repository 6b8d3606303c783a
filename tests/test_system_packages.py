"""`make test` sets up what it needs (tests/system_packages.py): installs with apt-get when it may,
else stops with the one command to run; and the Makefile runs that step before anything else."""

import subprocess
from pathlib import Path

import pytest

from tests import system_packages

PROJECT = Path(__file__).resolve().parents[1]
PACKAGES = ["postgresql", "postgresql-postgis", "chromium"]
INSTALL = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES]


@pytest.mark.parametrize(("is_root", "can_sudo", "commands"), [
    (True, False, [["apt-get", "update", "-qq"], INSTALL]),
    (False, True, [["sudo", "apt-get", "update", "-qq"], ["sudo", *INSTALL]]),
])
def test_root_or_password_less_sudo_installs_what_is_missing(is_root, can_sudo, commands):
    assert system_packages.plan(PACKAGES, is_root, can_sudo, has_apt=True) == (commands, "")


def test_anyone_else_is_told_the_one_command_to_run():
    commands, message = system_packages.plan(PACKAGES, is_root=False, can_sudo=False, has_apt=True)
    assert commands == []
    assert message.splitlines()[-1].strip() == f"sudo apt-get update && sudo {' '.join(INSTALL)}"


def test_without_apt_the_packages_are_named_and_nothing_is_run():
    commands, message = system_packages.plan(PACKAGES, is_root=True, can_sudo=False, has_apt=False)
    assert commands == [] and "postgresql, postgresql-postgis, chromium" in message


def test_nothing_missing_means_nothing_to_do():
    assert system_packages.plan([], is_root=False, can_sudo=False, has_apt=True) == ([], "")


def test_missing_asks_each_package_and_leaves_chromium_to_playwright_on_ubuntu():
    needs = [("postgresql", lambda: True), ("chromium", lambda: False), ("npm", lambda: False)]
    assert system_packages.missing(needs, ubuntu=False) == ["chromium", "npm"]
    assert system_packages.missing(needs, ubuntu=True) == ["npm"]


def test_a_person_without_rights_is_stopped_at_once(monkeypatch, capsys):
    ran = []
    monkeypatch.setattr(system_packages, "NEEDS", (("postgresql-postgis", lambda: False),))
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(system_packages, "_can_sudo", lambda: False)
    monkeypatch.setattr(system_packages.subprocess, "run", lambda *args, **kwargs: ran.append(args))
    assert system_packages.main([]) == 2 and ran == []
    assert "sudo apt-get install -y -qq --no-install-recommends postgresql-postgis" in capsys.readouterr().err


def test_make_test_runs_the_system_step_first_and_ci_only_calls_make_test():
    plan = subprocess.run(["make", "-n", "test"], cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert plan.stdout.splitlines()[0].endswith("tests/system_packages.py"), plan.stdout
    ci = [line for line in (PROJECT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == "make test" and not any("apt-get" in line for line in ci)


def test_this_machine_has_what_make_test_installs():
    assert system_packages.missing() == []
