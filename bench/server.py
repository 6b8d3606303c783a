"""Start `streamlit run` on a free 127.0.0.1 port and wait until it answers: one copy of this for
the benchmarks (bench/browser.py, bench/load.py) and the browser tests (tests/browser/conftest.py)."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Headless Chromium as the benchmarks and browser tests run it: no background traffic of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_mb(pid: int | str, key: str, missing: float | None = float("nan")) -> float | None:
    """A memory line of /proc/<pid>/status (``"VmHWM:"`` the peak, ``"VmRSS:"`` now) in MB;
    ``missing`` when the process or the line is gone. ``pid`` may be ``"self"``."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return missing
    return next((int(line.split()[1]) / 1024 for line in lines if line.startswith(key)), missing)


def command(app: Path, port: int) -> list[str]:
    """The command line of a headless server for ``app`` on 127.0.0.1:``port``."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]


def wait_healthy(url: str, process: subprocess.Popen | None, timeout: float, poll: float = 0.05,
                 log: Path | None = None) -> None:
    """Return once ``url``/_stcore/health answers 200; RuntimeError if the process exits or
    ``timeout`` seconds pass (naming ``log`` when given)."""
    where = f"; see {log}" if log else ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}{where}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(poll)
    raise RuntimeError(f"streamlit did not become healthy at {url} within {timeout} s{where}")


def start(app: Path, port: int, env: dict, log: Path, timeout: float, poll: float = 0.05) -> subprocess.Popen:
    """``streamlit run app`` on 127.0.0.1:``port`` from the app's folder (its .streamlit/ applies),
    output to ``log``; returns once healthy. RuntimeError (naming the log) if it exits or does not
    answer within ``timeout`` seconds, after killing it."""
    with open(log, "w") as out:
        process = subprocess.Popen(command(app, port), cwd=app.parent, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process, timeout, poll=poll, log=log)
    except RuntimeError:
        process.kill()
        process.wait()
        raise
    return process


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate ``process``, and kill it if it has not ended within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)
