"""The system packages the test tiers need, installed by ``make test`` before anything else runs.

PostgreSQL with PostGIS (the store tests start a throwaway server, tests/pg_server.py), Chromium
and a font (the browser tests), nginx (the deployment recipe's proxy, tests/browser/test_instances.py),
npm (the gazetteer source of a rebuild test) and python3-venv (make's .venv). What is missing is
installed with apt-get when this runs as root or may use sudo without a password; otherwise it
stops at once and prints the one command to run. Exit status 0 when everything is there, 2 when a
person has to act. Standard library only: it runs before the virtual environment exists
(``python3 tests/system_packages.py``; ``--check`` only reports).

On Ubuntu, whose ``chromium`` package is a snap that containers cannot run, Chromium is left to
``make``'s fallback (``python -m playwright install chromium``).
"""

import glob
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

APT_OPTIONS = ["-y", "-qq", "--no-install-recommends"]

# (Debian package, is it installed?), in the order apt-get is asked for them.
NEEDS = (
    ("postgresql", lambda: bool(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))),
    ("postgresql-postgis", lambda: bool(glob.glob("/usr/share/postgresql/*/extension/postgis.control"))),
    ("chromium", lambda: bool(shutil.which("chromium") or shutil.which("chromium-browser"))),
    ("fonts-dejavu-core", lambda: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists()),
    ("nginx", lambda: bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists())),
    ("npm", lambda: bool(shutil.which("npm"))),
    ("python3-venv", lambda: importlib.util.find_spec("ensurepip") is not None),
)


def _ubuntu() -> bool:
    try:
        release = Path("/etc/os-release").read_text(encoding="utf-8").lower()
    except OSError:
        return False
    return "id=ubuntu" in release or "ubuntu" in release.partition("id_like=")[2].split("\n")[0]


def missing(needs=None, ubuntu: bool | None = None) -> list[str]:
    """The packages of ``needs`` (default NEEDS) not installed (Chromium left out on Ubuntu, see
    the module's note)."""
    needs, ubuntu = NEEDS if needs is None else needs, _ubuntu() if ubuntu is None else ubuntu
    return [name for name, installed in needs if not installed() and not (ubuntu and name == "chromium")]


def plan(packages: list[str], is_root: bool, can_sudo: bool, has_apt: bool) -> tuple[list[list[str]], str]:
    """What to do about ``packages``: the commands to run now, or (no commands) the message that
    tells a person what to run. Nothing missing: nothing to do."""
    if not packages:
        return [], ""
    if not has_apt:
        return [], (f"make test needs {', '.join(packages)} (PostgreSQL >= 15 with PostGIS 3, Chromium, a font, "
                    "nginx, npm, Python's venv): install them with this system's package manager, then run make "
                    "test again.")
    sudo = [] if is_root else ["sudo"]
    install = [*sudo, "apt-get", "install", *APT_OPTIONS, *packages]
    if is_root or can_sudo:
        return [[*sudo, "apt-get", "update", "-qq"], install], ""
    return [], (f"make test needs the system packages {' '.join(packages)}. Run this once, then make test again:\n"
                f"  sudo apt-get update && {' '.join(install)}")


def _can_sudo() -> bool:
    if not shutil.which("sudo"):
        return False
    return subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0


def main(argv: list[str]) -> int:
    packages = missing()
    if "--check" in argv:
        print(" ".join(packages) or "nothing missing")
        return 0
    commands, message = plan(packages, os.geteuid() == 0, bool(packages) and _can_sudo(), bool(shutil.which("apt-get")))
    if message:
        print(message, file=sys.stderr)
        return 2
    for command in commands:
        print("+", " ".join(command), flush=True)
        subprocess.run(command, check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
