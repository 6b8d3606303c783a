"""End-to-end benchmark in headless Chromium against a real ``streamlit run``: what a user waits for.

    .venv/bin/python bench/browser.py [--sizes shipped 100000 1000000] [--runs 5] [--switches 10]
        [--app /path/to/app.py] [--cdn-copies] [--timeout 120] [--json results.json]

Per data size (the shipped file, or seeded synthetic incidents from bench/synthetic.py written once
to .cache/bench/ and given to the server as $ATLAS_INCIDENTS) and per run, a fresh server is started
for the atlas and for the bare baseline page (bench/baseline_app.py: the same quarter's points as one
FastMarkerCluster), and the benchmark measures:

* server start (process start -> /_stcore/health OK) and the cold first load (goto -> map drawn);
* the warm first load (a second page, the first one being the throwaway) of ``?quarter=2024Q1``;
* quarter switches chosen in the sidebar's "Quarter" selectbox, alternating 2024Q2 / 2024Q1:
  the time from the option click to the new quarter drawn, the bytes received meanwhile
  (websocket frames plus HTTP bodies), and the longest time without a visible map;
* the page's JS heap after a forced GC, after the first load and after the switches;
* the server's peak memory (VmHWM).

"Drawn for quarter Q" (atlas): the map iframe holds a ``.leaflet-container`` with height, at least
one SVG ``path.leaflet-interactive`` or a canvas, and a legend naming Q: ``.atlas-legend[data-period=Q]``
when legends carry ``data-period``, else a legend whose text names Q; an atlas whose legends name no
quarter at all (older versions) falls back to the Quarter selectbox showing Q. After a switch the map
must also be new: another iframe document than before the click, or a changed ``data-atlas-drawn``
counter on its body. Baseline: marker clusters or marker icons, the selectbox showing Q, and new.

Only 127.0.0.1 is contacted: no other host name resolves, and every HTTPS request is answered
inside the browser (bench/cdn.py): it fails, except that the baseline page (and the atlas with
``--cdn-copies``) gets Leaflet and its plugins from local npm copies. The browser's HTTP cache stays
on, as for a real user. A map that is not drawn within ``--timeout`` seconds is reported as a
timeout, and that page is not measured further at that size.
"""

import argparse
import dataclasses
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench import cdn, server  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parents[1]
CACHE = PROJECT_DIR / ".cache" / "bench"
BASELINE_APP = Path(__file__).resolve().parent / "baseline_app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    *server.CHROMIUM_ARGS,
    # No host but the local server resolves, so plain-HTTP requests elsewhere fail at once;
    # HTTPS ones are answered or failed by bench/cdn.py.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# Settings that would change what the app shows; the benchmark sets ATLAS_INCIDENTS itself.
CLEARED_ENV = ("ATLAS_INCIDENTS", "ATLAS_DATABASE_URL")

# Installed in every page before its scripts run. Every 16 ms it notes whether a map is visible
# (iframe and Leaflet container both with height) and, once armed, keeps the longest stretch without.
GAP_MONITOR_JS = """
(() => {
  if (window.top !== window) return;
  const state = {armed: false, since: null, max: 0, gaps: 0};
  const visible = () => {
    const frame = document.querySelector(MAP_FRAME);
    if (!frame || frame.getBoundingClientRect().height === 0) return false;
    let doc = null;
    try { doc = frame.contentDocument; } catch (e) { return false; }
    const box = doc && doc.querySelector('.leaflet-container');
    return !!box && box.getBoundingClientRect().height > 0;
  };
  window.__benchArm = () => { Object.assign(state, {armed: true, since: null, max: 0, gaps: 0}); };
  window.__benchGaps = () => {
    const open = state.since === null ? 0 : performance.now() - state.since;
    return {max_ms: Math.max(state.max, open), gaps: state.gaps};
  };
  setInterval(() => {
    if (!state.armed) return;
    const now = performance.now();
    if (!visible()) {
      if (state.since === null) state.since = now;
    } else if (state.since !== null) {
      state.max = Math.max(state.max, now - state.since);
      state.gaps += 1;
      state.since = null;
    }
  }, 16);
})();
""".replace("MAP_FRAME", json.dumps(MAP_FRAME))

# True-ish (the criterion used, as text) once the map for quarter ``q`` is drawn; see the module doc.
DRAWN_JS = """
([kind, q, stale, prevCount]) => {
  // Streamlit's selectbox (a combobox) shows its value in an input named after its label.
  const selectboxShows = (q) => [...document.querySelectorAll('input[aria-label="Quarter"]')]
    .some(input => input.value === q);
  const frame = document.querySelector(MAP_FRAME);
  const doc = frame && frame.contentDocument;
  if (!doc || !doc.body) return false;
  const box = doc.querySelector('.leaflet-container');
  if (!box || box.getBoundingClientRect().height === 0) return false;
  const count = doc.body.getAttribute('data-atlas-drawn');
  const fresh = doc.__benchStale !== stale || (count !== null && count !== prevCount);
  if (!fresh) return false;
  if (kind === 'baseline') {
    return !!doc.querySelector('.marker-cluster, .leaflet-marker-icon') && selectboxShows(q) && 'selectbox';
  }
  if (!box.querySelector('path.leaflet-interactive, canvas')) return false;
  const legends = [...doc.querySelectorAll('.atlas-legend')];
  if (doc.querySelector('.atlas-legend[data-period]')) {
    return !!doc.querySelector(`.atlas-legend[data-period="${q}"]`) && 'legend data-period';
  }
  if (legends.some(l => /\\d{4}Q[1-4]/.test(l.textContent))) {
    return legends.some(l => l.textContent.includes(q)) && 'legend text';
  }
  return legends.length > 0 && selectboxShows(q) && 'selectbox (no legend names a quarter)';
}
""".replace("MAP_FRAME", json.dumps(MAP_FRAME))

# Marks the current map document as the old one and returns its redraw counter (or null).
MARK_STALE_JS = """
(token) => {
  const frame = document.querySelector(MAP_FRAME);
  const doc = frame && frame.contentDocument;
  if (!doc || !doc.body) return null;
  doc.__benchStale = token;
  return doc.body.getAttribute('data-atlas-drawn');
}
""".replace("MAP_FRAME", json.dumps(MAP_FRAME))

# What the page looked like when a wait timed out, for the report.
DIAGNOSE_JS = """
() => {
  const frame = document.querySelector(MAP_FRAME);
  const doc = frame && frame.contentDocument;
  const box = doc && doc.querySelector('.leaflet-container');
  return {
    iframe: !!frame,
    iframe_height: frame ? frame.getBoundingClientRect().height : null,
    leaflet_height: box ? box.getBoundingClientRect().height : null,
    layers: doc ? doc.querySelectorAll('path.leaflet-interactive, canvas, .marker-cluster').length : null,
    legends: doc ? [...doc.querySelectorAll('.atlas-legend')].map(l => l.textContent.slice(0, 60)) : [],
    exception: [...document.querySelectorAll('[data-testid="stException"]')].map(e => e.textContent.slice(0, 200)),
  };
}
""".replace("MAP_FRAME", json.dumps(MAP_FRAME))


class MapTimeout(Exception):
    """The map was not drawn in time; the message says where and what the page showed."""


@dataclasses.dataclass(frozen=True)
class Target:
    name: str  # "atlas" or "baseline"
    app: Path
    copies: bool  # serve CDN libraries from local copies


@dataclasses.dataclass
class Server:
    process: subprocess.Popen
    url: str
    start_s: float
    log: Path

    def peak_mb(self) -> float:
        """Peak resident memory of the server so far (VmHWM), in MB."""
        return server.status_mb(self.process.pid, "VmHWM:")

    def stop(self) -> None:
        server.stop(self.process, timeout=15)


# --- data and servers ----------------------------------------------------------------------------


def incidents_file(size: str, app: Path) -> Path:
    """The incidents file for a size: the app's shipped CSV, or synthetic rows written once."""
    if size == "shipped":
        return app.parent / "data" / "incidents.csv"
    path = CACHE / f"synthetic-{int(size)}-seed7.csv"
    if not path.exists():
        from bench import synthetic  # imports geo: only when a synthetic file must be written

        CACHE.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        synthetic.incidents(int(size)).to_csv(partial, index=False)
        partial.rename(path)  # never leave a half-written file that a later run would trust
        print(f"wrote {path} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def start_server(app: Path, env: dict, timeout: float) -> Server:
    """``streamlit run app`` on a free 127.0.0.1 port, from the app's folder (its .streamlit/ applies)."""
    port = server.free_port()
    log = CACHE / "logs" / f"streamlit-{app.parent.name}-{app.stem}.log"  # the latest run of each app
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    process = server.start(app, port, env, log, timeout)
    return Server(process, f"http://127.0.0.1:{port}", time.perf_counter() - started, log)


def server_env(target: Target, size: str, incidents: Path) -> dict:
    """The server's environment: the atlas on its shipped data runs without $ATLAS_INCIDENTS, as users
    run it; otherwise (and always for the baseline, which has no shipped file of its own) it names the file."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
    if size != "shipped" or target.name != "atlas":
        env["ATLAS_INCIDENTS"] = str(incidents)
    return env


# --- one page in the browser ---------------------------------------------------------------------


class Probe:
    """A page with its CDP session: counts the bytes it receives and measures its JS heap.

    Bytes are websocket frames plus HTTP bodies from the app's origin; what the CDN stand-ins send
    is counted apart (``cdn_bytes``), since a real browser would mostly have those cached.
    """

    def __init__(self, browser, origin: str, copies: bool):
        self.origin = origin
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.add_init_script(GAP_MONITOR_JS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)[:200]))
        self.cdp = self.context.new_cdp_session(self.page)
        self.ws_bytes = self.http_bytes = self.cdn_bytes = 0
        self.urls: dict[str, str] = {}  # CDP request id -> URL
        self.cdp.on("Network.requestWillBeSent", self._on_request)
        self.cdp.on("Network.webSocketFrameReceived", self._on_frame)
        self.cdp.on("Network.loadingFinished", self._on_loaded)
        self.cdp.send("Network.enable")
        cdn.Offline(self.cdp, copies)

    def _on_request(self, event: dict) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _on_frame(self, event: dict) -> None:
        response = event["response"]
        payload = response.get("payloadData", "")
        if response.get("opcode") == 2:  # binary frames (Streamlit's protobuf) arrive base64-encoded
            self.ws_bytes += len(payload) * 3 // 4 - payload[-2:].count("=")
        else:
            self.ws_bytes += len(payload.encode())

    def _on_loaded(self, event: dict) -> None:
        size = int(event.get("encodedDataLength", 0))
        if self.urls.pop(event["requestId"], "").startswith(self.origin):
            self.http_bytes += size
        else:
            self.cdn_bytes += size

    def received(self) -> tuple[int, int]:
        """Bytes from the app (websocket and HTTP) and from the CDN stand-ins, so far."""
        self.page.evaluate("0")  # a round trip, so that CDP events sent before now have been handled
        return self.ws_bytes + self.http_bytes, self.cdn_bytes

    def heap_mb(self) -> float:
        """JS heap in use after a forced GC: the page, plus any frame that runs in its own process."""
        used = _heap_bytes(self.cdp)
        for frame in self.page.frames[1:]:
            try:
                session = self.context.new_cdp_session(frame)
            except Exception:  # a same-process frame has no session of its own: its heap is the page's
                continue
            used += _heap_bytes(session)
            session.detach()
        return used / 2**20

    def close(self) -> None:
        self.context.close()


def _heap_bytes(session) -> int:
    session.send("HeapProfiler.collectGarbage")
    return session.send("Runtime.getHeapUsage")["usedSize"]


def wait_drawn(probe: Probe, kind: str, quarter: str, timeout: float, stale: str | None = None,
               prev_count: str | None = None) -> str:
    """Block until the map for ``quarter`` is drawn; returns the criterion that matched."""
    try:
        handle = probe.page.wait_for_function(DRAWN_JS, arg=[kind, quarter, stale, prev_count], polling="raf",
                                              timeout=timeout * 1000)
    except Exception as exc:  # playwright's TimeoutError, or the page crashed
        state = _diagnose(probe)
        hint = ""
        if isinstance(state, dict) and state["iframe"] and state["leaflet_height"] is None:
            hint = " (no Leaflet map in the iframe: if this version loads Leaflet from CDNs, add --cdn-copies)"
        raise MapTimeout(f"{kind} map for {quarter} not drawn within {timeout:.0f} s ({type(exc).__name__}){hint}; "
                         f"page: {state}; js errors: {probe.errors[:3]}") from exc
    return handle.json_value()


def _diagnose(probe: Probe) -> dict | str:
    try:
        return probe.page.evaluate(DIAGNOSE_JS)
    except Exception as exc:
        return f"unavailable ({type(exc).__name__})"


def first_load(probe: Probe, url: str, kind: str, quarter: str, timeout: float) -> tuple[float, str]:
    """Seconds from ``goto`` to the map drawn, and the criterion that matched."""
    started = time.perf_counter()
    probe.page.goto(f"{url}/?quarter={quarter}", timeout=timeout * 1000)
    criterion = wait_drawn(probe, kind, quarter, timeout)
    return time.perf_counter() - started, criterion


def switch(probe: Probe, kind: str, quarter: str, token: str, timeout: float) -> tuple[float, int, int]:
    """Choose ``quarter`` in the sidebar as a user does.

    Returns seconds from the option click to the new map drawn, and the bytes received meanwhile
    from the app and from the CDN stand-ins.
    """
    page = probe.page
    page.get_by_test_id("stSelectbox").filter(has_text="Quarter").first.click()
    option = page.get_by_role("option", name=quarter, exact=True)
    option.wait_for(timeout=timeout * 1000)
    prev_count = page.evaluate(MARK_STALE_JS, token)
    app_before, cdn_before = probe.received()
    started = time.perf_counter()
    option.click()
    wait_drawn(probe, kind, quarter, timeout, stale=token, prev_count=prev_count)
    elapsed = time.perf_counter() - started
    app_after, cdn_after = probe.received()
    return elapsed, app_after - app_before, cdn_after - cdn_before


# --- one run: a fresh server, a cold load, a warm load and the switches ----------------------------


def measure_run(browser, target: Target, env: dict, args) -> dict:
    """One run of one page at one size; a failure leaves the figures measured so far and an error."""
    result: dict = {}
    try:
        server = start_server(target.app, env, args.timeout)
    except RuntimeError as exc:
        return {"error": str(exc)}
    result["server_start_s"] = server.start_s
    try:
        _loads_and_switches(browser, server, target, args, result, args.quarters)
    except (MapTimeout, PlaywrightError) as exc:  # e.g. the quarter is not offered, or the page crashed
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        result["server_hwm_mb"] = server.peak_mb()
        server.stop()
    return result


def _loads_and_switches(browser, server: Server, target: Target, args, result: dict, quarters) -> None:
    first, second = quarters
    cold = Probe(browser, server.url, target.copies)
    try:  # the cold load doubles as the throwaway load that warms the server
        result["cold_load_s"], result["criterion"] = first_load(cold, server.url, target.name, first, args.timeout)
    finally:
        cold.close()
    probe = Probe(browser, server.url, target.copies)
    try:
        result["warm_load_s"], _ = first_load(probe, server.url, target.name, first, args.timeout)
        result["heap_load_mb"] = probe.heap_mb()
        probe.page.evaluate("window.__benchArm()")
        for key in ("switch_s", "switch_bytes", "switch_cdn_bytes"):
            result[key] = []
        for index in range(args.switches):
            quarter = second if index % 2 == 0 else first
            figures = switch(probe, target.name, quarter, f"switch-{index}", args.timeout)
            for key, value in zip(("switch_s", "switch_bytes", "switch_cdn_bytes"), figures, strict=True):
                result[key].append(value)
        result["max_gap_s"] = probe.page.evaluate("window.__benchGaps()")["max_ms"] / 1000
        result["heap_switched_mb"] = probe.heap_mb()
    finally:
        result["js_errors"] = probe.errors[:5]
        probe.close()


def bench_size(browser, size: str, targets: list[Target], args) -> dict:
    """All runs of every page at one size, interleaved so that drift hits both alike."""
    incidents = incidents_file(size, targets[0].app)
    results = {t.name: [] for t in targets}
    failed: set[str] = set()
    for run in range(1, args.runs + 1):
        for target in targets:
            if target.name in failed:
                continue
            result = measure_run(browser, target, server_env(target, size, incidents), args)
            results[target.name].append(result)
            print(f"  {size} {target.name} run {run}: {raw_line(result)}", flush=True)
            if "warm_load_s" not in result:  # never drawn: more runs would only wait out more timeouts
                failed.add(target.name)
    return results


# --- figures ---------------------------------------------------------------------------------------


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summary(runs: list[dict]) -> dict:
    """Medians over runs (switch time and bytes: over every switch of every run)."""
    def per_run(key):
        return _median([r.get(key) for r in runs])

    return {
        "server_start_s": per_run("server_start_s"),
        "cold_load_s": per_run("cold_load_s"),
        "warm_load_s": per_run("warm_load_s"),
        "switch_s": _median([s for r in runs for s in r.get("switch_s", [])]),
        "max_gap_s": per_run("max_gap_s"),
        "switch_kb": _median([b / 1024 for r in runs for b in r.get("switch_bytes", [])]),
        # The first switch is the only one to a quarter this page has not shown yet; later ones can
        # reuse what Streamlit's frontend cached, so the median alone would hide that cost.
        "first_switch_kb": _median([r["switch_bytes"][0] / 1024 for r in runs if r.get("switch_bytes")]),
        "heap_load_mb": per_run("heap_load_mb"),
        "heap_switched_mb": per_run("heap_switched_mb"),
        "server_hwm_mb": per_run("server_hwm_mb"),
        "errors": [r["error"] for r in runs if "error" in r],
    }


def _fmt(value, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _gap(value) -> str:
    if value is None:
        return "–"
    return "never" if value == 0 else f"{value:.2f}"


def _ratio(ours, base) -> str:
    if not ours or not base:
        return "–"
    ratio = ours / base
    return f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.1f}×" if ratio >= 1 else f"{ratio:.2f}×"


# (summary key, column heading, digits); "gap" is printed as "never" when there was none.
COLUMNS = [
    ("server_start_s", "server start s", 2),
    ("cold_load_s", "cold load s", 2),
    ("warm_load_s", "warm load s", 2),
    ("switch_s", "switch s", 2),
    ("max_gap_s", "max gap s", "gap"),
    ("switch_kb", "KB/switch", 0),
    ("first_switch_kb", "KB first switch", 0),
    ("heap_load_mb", "heap load MB", 0),
    ("heap_switched_mb", "heap after switches MB", 0),
    ("server_hwm_mb", "server VmHWM MB", 0),
]


def table_header() -> str:
    headings = ["size", "page", *(heading for _, heading, _ in COLUMNS)]
    return "| " + " | ".join(headings) + " |\n" + "|---" * len(headings) + "|"


def table_rows(size: str, summaries: dict[str, dict]) -> list[str]:
    """One row per page, then the atlas's figures as a ratio to the baseline's (not for gaps)."""
    rows = []
    for name, s in summaries.items():
        cells = [_gap(s[key]) if digits == "gap" else _fmt(s[key], digits) for key, _, digits in COLUMNS]
        rows.append(f"| {size} | {name} | " + " | ".join(cells) + " |")
    ours, base = summaries.get("atlas"), summaries.get("baseline")
    if ours and base:
        ratios = ["" if digits == "gap" else _ratio(ours[key], base[key]) for key, _, digits in COLUMNS]
        rows.append(f"| {size} | atlas ÷ baseline | " + " | ".join(ratios) + " |")
    return rows


def raw_line(result: dict) -> str:
    """One run's numbers on one line."""
    parts = [f"{key} {_fmt(result[key])}" for key in
             ("server_start_s", "cold_load_s", "warm_load_s", "max_gap_s", "heap_load_mb", "heap_switched_mb",
              "server_hwm_mb") if result.get(key) is not None]
    if result.get("switch_s"):
        parts.append("switch_s [" + " ".join(f"{s:.2f}" for s in result["switch_s"]) + "]")
        parts.append("switch_kb [" + " ".join(f"{b / 1024:.0f}" for b in result["switch_bytes"]) + "]")
        if any(result["switch_cdn_bytes"]):
            parts.append("+ CDN stand-ins kb [" + " ".join(f"{b / 1024:.0f}" for b in result["switch_cdn_bytes"]) + "]")
    if result.get("criterion"):
        parts.append(f"drawn by: {result['criterion']}")
    if result.get("js_errors"):
        parts.append(f"js errors: {result['js_errors']}")
    if result.get("error"):
        parts.append(f"FAILED: {result['error']}")
    return "; ".join(parts)


def app_version(app: Path) -> str:
    """The checkout's commit (and whether its work tree has changes), for the record."""
    def git(*cmd):
        done = subprocess.run(["git", "-C", str(app.parent), *cmd], capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "not a git checkout"
    return commit + (" + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["shipped", "100000", "1000000"],
                        help="'shipped' and/or numbers of synthetic incidents")
    parser.add_argument("--runs", type=int, default=5, help="runs per size and page (a fresh server each)")
    parser.add_argument("--switches", type=int, default=10, help="quarter switches per run")
    parser.add_argument("--quarters", nargs=2, default=["2024Q1", "2024Q2"], help="the two quarters to alternate")
    parser.add_argument("--app", type=Path, default=PROJECT_DIR / "app.py", help="the atlas's app.py to benchmark")
    parser.add_argument("--cdn-copies", action="store_true",
                        help="serve CDN libraries to the atlas from local copies (for versions that load from CDNs)")
    parser.add_argument("--no-baseline", action="store_true", help="measure the atlas only")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for a map or a server")
    parser.add_argument("--json", type=Path, help="also write the raw and median figures to this file")
    args = parser.parse_args(argv)
    for size in args.sizes:
        if size != "shipped" and not size.isdigit():
            parser.error(f"--sizes takes 'shipped' or a number of incidents, not {size!r}")
    args.app = args.app.resolve()
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    cdn.ensure_installed()
    targets = [Target("atlas", args.app, args.cdn_copies)]
    if not args.no_baseline:
        targets.append(Target("baseline", BASELINE_APP, True))
    meta = {"app": str(args.app), "version": app_version(args.app), "cdn_copies": args.cdn_copies,
            "runs": args.runs, "switches": args.switches, "quarters": args.quarters, "timeout_s": args.timeout,
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "date": datetime.datetime.now().isoformat(timespec="seconds")}
    print(f"atlas: {meta['app']} ({meta['version']}); CDN copies for the atlas: {args.cdn_copies}", flush=True)
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        meta["chromium"] = browser.version
        try:
            for size in args.sizes:
                results[size] = bench_size(browser, size, targets, args)
        finally:
            browser.close()
    summaries = {size: {name: summary(runs) for name, runs in by_page.items()} for size, by_page in results.items()}
    report(meta, summaries, args)
    print("\nRaw figures, per run:")
    for size, by_page in results.items():
        for name, runs in by_page.items():
            for run, result in enumerate(runs, 1):
                print(f"  {size} {name} run {run}: {raw_line(result)}")
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "median": summaries, "runs": results}, indent=1))


def report(meta: dict, summaries: dict, args) -> None:
    print(f"\nMedian of {args.runs} runs ({args.switches} switches each; switch figures: median over all switches). "
          f"Chromium {meta['chromium']}, {meta['cpus']} CPUs.\n")
    print("Loads and switches end when the map shows the new quarter. Max gap: each run's longest time with no\n"
          "visible map during its switches. KB: websocket and HTTP bytes from the app, click to drawn.\n")
    print(table_header())
    for size, by_page in summaries.items():
        print("\n".join(table_rows(size, by_page)))
    for size, by_page in summaries.items():
        for name, s in by_page.items():
            for error in s["errors"]:
                print(f"\n{size} {name}: {error}")


if __name__ == "__main__":
    main()
