"""Load test: N simulated users of one `streamlit run app.py` server, without browsers.

    python bench/load.py [--sessions 5 10 20] [--switches 5] [--url http://127.0.0.1:8501]
                         [--incidents FILE] [--json FILE]

Each simulated user is one asyncio coroutine speaking Streamlit's websocket protocol (see
bench/wsclient.py), so the client costs little of the CPU the server needs. A user opens the Map
page with ``--query`` (default ``quarter=2024Q1``), waits for the run to finish, then ``--switches``
times picks another quarter in the sidebar selectbox labelled "Quarter" (a seeded random choice
among its options), waits ``--think`` seconds between switches, and leaves. Concurrency levels run
one after another against the same server; before the first a warm-up user loads the page once
(not counted), so the first level does not measure the server's cold data load.

Measured, per level: sessions started; sessions that failed to open (the websocket was refused or
the first run did not finish); the first render (from opening the websocket to the run's
``script_finished``); each switch (from sending the rerun to ``script_finished``) and when the map
element arrived within it; the CPU seconds the server process (when this script started it) and
this client used during the level, and the server's resident memory after it.

Errors, counted by kind: ``connect`` (websocket refused), ``timeout`` (a run not finished within
``--run-timeout``), ``closed`` (the connection dropped), ``compile`` (the script failed to
compile), ``exception`` (an ``st.exception`` element: the page raised), ``error panel`` (an
``st.error`` alert), ``no map`` (no ``streamlit_folium.st_folium`` component in a finished run),
``no widget`` (no "Quarter" selectbox), ``client`` (anything else), ``unfinished`` (still running at
the level's ``--level-timeout``).

Consistency check, after the first render and every switch; a failure counts as a mismatch, not an
error, and is listed with the errors:
  * the page's quarter: the quarter labels (``2024Q2``) in the heading or markdown whose text
    contains "Pakistan Security Atlas"; when it holds none, the labels in the KPI tiles (``metric``
    label, value and help). It must be exactly the quarter chosen.
  * the map's quarter: every string inside the map component's ``json_args`` (script, html,
    feature_group ...) is searched. If any holds a ``period`` key with a quarter value (the
    dynamic layer's ``"period": "2024Q2"``), those values are the map's quarters and must all be
    the quarter chosen; otherwise the quarter labels anywhere in those strings (the legend's
    "Deaths, 2024Q2 (CRSS)") are, and the chosen quarter must be among them.
A failure reads "map shows X while tiles show Y" (or "page shows Y after choosing Z").
"""

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import websockets  # noqa: E402
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench import server  # noqa: E402
from bench.wsclient import Run, Session  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parents[1]
TITLE = "Pakistan Security Atlas"
MAP_COMPONENT = "streamlit_folium.st_folium"
QUARTER_LABEL = "Quarter"
QUARTER = re.compile(r"(?<!\d)(\d{4}Q[1-4])(?!\d)")
# "period": "2024Q2" as it appears inside a JSON or JavaScript string, quotes escaped or not.
PERIOD = re.compile(r"""period[\\"']*\s*[:=]\s*[\\"']*(\d{4}Q[1-4])""")
SERVER_START_SECONDS = 90
CLOSE_SECONDS = 5


@dataclass
class Outcome:
    """One simulated user's results."""

    started: bool = False
    opened: bool = False
    finished: bool = False
    first_render: float | None = None
    first_map: float | None = None
    switches: list[float] = field(default_factory=list)
    switch_maps: list[float] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"kind", "message", "step"}

    def error(self, kind: str, message: str, step: int) -> None:
        self.errors.append({"kind": kind, "message": message[:300], "step": step})


# --- what the page shows ------------------------------------------------------------------------


def _texts(value) -> list[str]:
    """Every string inside a parsed JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def page_quarters(run: Run) -> set[str]:
    """The quarter labels in the title (heading or markdown naming the atlas), else in the KPI tiles."""
    titles = [element.heading.body for _, element in run.first("heading")]
    titles += [element.markdown.body for _, element in run.first("markdown")]
    found = {label for text in titles if TITLE in text for label in QUARTER.findall(text)}
    if not found:
        tiles = [f"{e.metric.label} {e.metric.body} {e.metric.help}" for _, e in run.first("metric")]
        found = {label for text in tiles for label in QUARTER.findall(text)}
    return found


def map_element(run: Run):
    """(seconds after the request, component proto) of the map, or None when there is none."""
    for seconds, element in run.first("component_instance"):
        if element.component_instance.component_name == MAP_COMPONENT:
            return seconds, element.component_instance
    return None


def map_quarters(component) -> tuple[set[str], str]:
    """The map's quarters and where they came from: ``period`` values, else any quarter labels."""
    texts = _texts(json.loads(component.json_args or "{}"))
    periods = {label for text in texts for label in PERIOD.findall(text)}
    if periods:
        return periods, "period"
    return {label for text in texts for label in QUARTER.findall(text)}, "labels"


def _show(labels: set[str]) -> str:
    return "/".join(sorted(labels)) or "no quarter"


def consistency(run: Run, chosen: str) -> list[str]:
    """The mismatches between the quarter chosen, the page's title or tiles, and the map."""
    problems = []
    page = page_quarters(run)
    if page != {chosen}:
        problems.append(f"page shows {_show(page)} after choosing {chosen}")
    found = map_element(run)
    if found is not None:
        shown, source = map_quarters(found[1])
        wrong = shown != {chosen} if source == "period" else chosen not in shown
        if wrong:
            problems.append(f"map shows {_show(shown)} ({source}) while tiles show {_show(page)}")
    return problems


def app_errors(run: Run) -> list[tuple[str, str]]:
    """(kind, message) of every exception element and st.error panel on the page, and a bad finish."""
    found = [("exception", f"{e.exception.type}: {e.exception.message}") for _, e in run.first("exception")]
    found += [("error panel", e.alert.body) for _, e in run.first("alert") if e.alert.format == Alert.ERROR]
    if run.status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
        found.append(("compile", "the script failed to compile"))
    return found


def check(run: Run, chosen: str, outcome: Outcome, step: int) -> float | None:
    """Record the run's errors and mismatches; returns when the map arrived (None: no map)."""
    for kind, message in app_errors(run):
        outcome.error(kind, message, step)
    found = map_element(run)
    if found is None:
        outcome.error("no map", f"no {MAP_COMPONENT} element in the page", step)
    for problem in consistency(run, chosen):
        outcome.error("mismatch", problem, step)
    return None if found is None else found[0]


# --- one simulated user --------------------------------------------------------------------------


def quarter_widget(session: Session, outcome: Outcome, step: int):
    """The "Quarter" selectbox of the page just drawn; a missing one is an error."""
    element = session.find("selectbox", QUARTER_LABEL)
    if element is None:
        outcome.error("no widget", f'no selectbox labelled "{QUARTER_LABEL}"', step)
    return element


def shown_quarter(session: Session, element, query: str) -> str:
    """The quarter the first render should show: the URL's, else the selectbox's value."""
    from_url = parse_qs(query).get("quarter")
    if from_url or element is None:
        return from_url[0] if from_url else ""
    state = session.widgets.get(element.selectbox.id)
    return state.string_value if state is not None else ""


async def first_render(session: Session, args, outcome: Outcome):
    """Open the page; returns the Quarter selectbox, or None when the user cannot go on."""
    start = time.perf_counter()
    outcome.started = True
    try:
        await session.connect(args.run_timeout)
    except (OSError, TimeoutError, websockets.InvalidHandshake) as error:
        outcome.error("connect", repr(error), 0)
        return None
    run = await session.rerun(args.run_timeout)
    outcome.opened, outcome.first_render = True, time.perf_counter() - start
    element = quarter_widget(session, outcome, 0)
    arrived = check(run, shown_quarter(session, element, args.query), outcome, 0)
    outcome.first_map = None if arrived is None else arrived + run.started - start
    return element


async def switch(session: Session, element, quarter: str, args, outcome: Outcome, step: int):
    """Choose ``quarter`` and wait for the page; returns the selectbox as the new page draws it."""
    session.set_string(element, quarter)
    run = await session.rerun(args.run_timeout)
    outcome.switches.append(run.seconds)
    arrived = check(run, quarter, outcome, step)
    if arrived is not None:
        outcome.switch_maps.append(arrived)
    return quarter_widget(session, outcome, step)


async def user(index: int, args, outcome: Outcome, delay: float = 0.0, switches: int | None = None) -> None:
    """One simulated user: open the page, switch quarters, leave. An error ends the user's visit."""
    await asyncio.sleep(delay)
    rng = random.Random(args.seed * 10_000 + index)
    session = Session(args.url, args.query)
    step = 0
    try:
        element = await first_render(session, args, outcome)
        for step in range(1, (args.switches if switches is None else switches) + 1):
            if element is None:
                break
            await asyncio.sleep(args.think)
            current = session.widgets[element.selectbox.id].string_value
            quarter = rng.choice([option for option in element.selectbox.options if option != current])
            element = await switch(session, element, quarter, args, outcome, step)
        outcome.finished = True
    except TimeoutError:
        outcome.error("timeout", f"no script_finished within {args.run_timeout} s", step)
    except websockets.ConnectionClosed as error:
        outcome.error("closed", repr(error), step)
    except Exception as error:  # noqa: BLE001 - a load test reports every failure and carries on
        outcome.error("client", repr(error), step)
    finally:
        with contextlib.suppress(Exception):
            async with asyncio.timeout(CLOSE_SECONDS):
                await session.close()


async def run_level(sessions: int, args) -> list[Outcome]:
    """Start ``sessions`` users together (spread over ``--ramp`` s); stop them at the level timeout."""
    outcomes = [Outcome() for _ in range(sessions)]
    tasks = [asyncio.create_task(user(i, args, outcome, delay=i * args.ramp / sessions))
             for i, outcome in enumerate(outcomes)]
    _, pending = await asyncio.wait(tasks, timeout=args.level_timeout)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for task, outcome in zip(tasks, outcomes, strict=True):
        if task in pending:
            outcome.error("unfinished", f"still running after the level timeout of {args.level_timeout} s", -1)
    return outcomes


# --- figures -------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (``share`` in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share / 100 * len(ordered)) - 1, 0)]


def summarise(sessions: int, outcomes: list[Outcome], usage: dict) -> dict:
    """One level's figures, every error listed, and the counts by kind."""
    errors = [dict(error, session=i) for i, outcome in enumerate(outcomes) for error in outcome.errors]
    by_kind: dict[str, int] = {}
    for error in errors:
        by_kind[error["kind"]] = by_kind.get(error["kind"], 0) + 1
    first = [o.first_render for o in outcomes if o.first_render is not None]
    switches = [s for o in outcomes for s in o.switches]
    maps = [s for o in outcomes for s in o.switch_maps]
    return {
        "sessions": sessions,
        "started": sum(1 for o in outcomes if o.started),
        "failed_to_open": sum(1 for o in outcomes if not o.opened),
        "errors": sum(n for kind, n in by_kind.items() if kind != "mismatch"),
        "mismatches": by_kind.get("mismatch", 0),
        "switches": len(switches),
        "first_render_p50": percentile(first, 50), "first_render_p95": percentile(first, 95),
        "switch_p50": percentile(switches, 50), "switch_p95": percentile(switches, 95),
        "switch_map_p50": percentile(maps, 50), "switch_map_p95": percentile(maps, 95),
        **usage,
        "errors_by_kind": by_kind,
        "error_list": errors,
        "outcomes": [asdict(o) for o in outcomes],
    }


def _seconds(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(levels: list[dict]) -> str:
    """The levels as a markdown table (times in seconds)."""
    lines = ["| sessions | started | failed to open | errors | first render p50 / p95 | switch p50 / p95 | "
             "map arrives p50 / p95 | switches | mismatches | server CPU s | client CPU s | server RSS MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in levels:
        lines.append(
            f"| {row['sessions']} | {row['started']} | {row['failed_to_open']} | {row['errors']} | "
            f"{_seconds(row['first_render_p50'])} / {_seconds(row['first_render_p95'])} | "
            f"{_seconds(row['switch_p50'])} / {_seconds(row['switch_p95'])} | "
            f"{_seconds(row['switch_map_p50'])} / {_seconds(row['switch_map_p95'])} | {row['switches']} | "
            f"{row['mismatches']} | {_seconds(row['server_cpu_s'])} | {_seconds(row['client_cpu_s'])} | "
            f"{'–' if row['server_rss_mb'] is None else round(row['server_rss_mb'])} |")
    return "\n".join(lines)


def error_digest(level: dict, examples: int = 3) -> str:
    """Counts by kind and a few distinct messages of each, for the console."""
    lines = []
    for kind, count in sorted(level["errors_by_kind"].items()):
        messages = list(dict.fromkeys(e["message"] for e in level["error_list"] if e["kind"] == kind))
        lines.append(f"- {level['sessions']} sessions, {kind}: {count}")
        lines += [f"    {message}" for message in messages[:examples]]
    return "\n".join(lines)


# --- the server ----------------------------------------------------------------------------------


@contextlib.contextmanager
def streamlit_server(incidents: Path | None, log_dir: Path):
    """`streamlit run app.py` on a free 127.0.0.1 port (the browser tests' flags); yields (url, pid)."""
    port = server.free_port()
    env = dict(os.environ, **({"ATLAS_INCIDENTS": str(incidents.resolve())} if incidents else {}))
    log_path = log_dir / f"streamlit-{port}.log"
    try:
        process = server.start(PROJECT_DIR / "app.py", port, env, log_path, SERVER_START_SECONDS, poll=0.3)
    except RuntimeError:
        print(log_path.read_text()[-3000:], file=sys.stderr)
        raise
    try:
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        server.stop(process)


def process_usage(pid: int | None) -> tuple[float | None, float | None]:
    """(CPU seconds used so far, resident MB) of a process on this machine; Nones when unknown."""
    if pid is None:
        return None, None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None, None
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return cpu, server.status_mb(pid, "VmRSS:", missing=None)


# --- the command ---------------------------------------------------------------------------------


async def warm_up(args) -> None:
    """Load the page once so the levels do not measure the server's first, cold run."""
    outcome = Outcome()
    await user(-1, args, outcome, switches=0)
    summary = ", ".join(f"{e['kind']}: {e['message']}" for e in outcome.errors) or "no errors"
    print(f"warm-up: first render {_seconds(outcome.first_render)} s, {summary}", file=sys.stderr, flush=True)


async def run_levels(args, pid: int | None) -> list[dict]:
    if not args.no_warmup:
        await asyncio.wait_for(warm_up(args), args.run_timeout + CLOSE_SECONDS + 5)
    levels = []
    for sessions in args.sessions:
        print(f"{sessions} sessions: running…", file=sys.stderr, flush=True)
        server_before, client_before = process_usage(pid)[0], time.process_time()
        outcomes = await run_level(sessions, args)
        server_after, rss = process_usage(pid)
        usage = {"server_cpu_s": None if server_before is None else server_after - server_before,
                 "client_cpu_s": time.process_time() - client_before, "server_rss_mb": rss}
        levels.append(summarise(sessions, outcomes, usage))
    return levels


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[5, 10, 20], help="concurrency levels, in turn")
    parser.add_argument("--switches", type=int, default=5, help="quarter switches per user")
    parser.add_argument("--query", default="quarter=2024Q1", help="the URL query string users open the page with")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a user looks before switching")
    parser.add_argument("--ramp", type=float, default=0.0, help="seconds over which a level's users arrive")
    parser.add_argument("--run-timeout", type=float, default=120.0, help="seconds one run may take")
    parser.add_argument("--level-timeout", type=float, default=300.0, help="seconds one level may take")
    parser.add_argument("--seed", type=int, default=1, help="seed of the users' quarter choices")
    parser.add_argument("--url", help="a running server (127.0.0.1 only); default: start one")
    parser.add_argument("--incidents", type=Path, help="ATLAS_INCIDENTS for the server this script starts")
    parser.add_argument("--no-warmup", action="store_true", help="count the server's first, cold run too")
    parser.add_argument("--json", type=Path, help="also write every figure and error to this file")
    args = parser.parse_args(argv)
    if args.url and not re.match(r"^https?://127\.0\.0\.1(:\d+)?/?$", args.url):
        parser.error("--url must point at 127.0.0.1, e.g. http://127.0.0.1:8501")
    if args.url and args.incidents:
        parser.error("--incidents applies only to a server this script starts; not with --url")
    if min(args.sessions) < 1 or args.switches < 0:
        parser.error("--sessions must be positive and --switches not negative")
    return args


def report(args, levels: list[dict]) -> None:
    settings = (f"{args.switches} quarter switches per user, {args.think} s think time, ramp {args.ramp} s, "
                f"query ?{args.query}, {len(os.sched_getaffinity(0))} cores shared by server and client")
    print(f"\n{settings}; times in seconds.\n\n{table(levels)}")
    digests = [error_digest(level) for level in levels if level["errors_by_kind"]]
    if digests:
        print("\nErrors and mismatches (count, then distinct examples):\n" + "\n".join(digests))
    if args.json:
        args.json.write_text(json.dumps({"settings": {k: str(v) if isinstance(v, Path) else v
                                                      for k, v in vars(args).items()}, "levels": levels},
                                        indent=1))


def main(argv=None) -> None:
    args = parse_args(argv)
    with contextlib.ExitStack() as stack:
        pid = None
        if not args.url:
            log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="atlas-load-")))
            args.url, pid = stack.enter_context(streamlit_server(args.incidents, log_dir))
        else:
            try:
                server.wait_healthy(args.url.rstrip("/"), None, 10, poll=0.3)
            except RuntimeError as error:
                sys.exit(f"load.py: {error}")
        levels = asyncio.run(run_levels(args, pid))
    report(args, levels)


if __name__ == "__main__":
    main()
