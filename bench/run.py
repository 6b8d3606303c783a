"""Benchmark the atlas's data path on seeded synthetic incidents and print the figures.

    python bench/run.py --sizes 10000 100000 1000000 [--runs 5] [--readme README.md]

Per size it prints the median of ``--runs`` runs and the peak memory (VmHWM, reset before each
stage) of: import and validation of a native CSV; the join to provinces and border regions;
filter and aggregate for one quarter; the map build (Folium object to HTML) and its payload;
GeoJSON export; CSV export. The naive baselines (one CircleMarker per incident, and
``GeoDataFrame.to_json``) are measured once per size, markers on at most 10,000 incidents and
scaled linearly above that, and our figures are printed as a ratio to them. With ``--readme``
the results table between the BENCH markers in that file is replaced.
"""

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import folium  # noqa: E402

from bench import server, synthetic  # noqa: E402
from geo import atlas, boundaries, export, join, summarize  # noqa: E402
from geo.incidents import load_incidents  # noqa: E402
from geo.render import maps  # noqa: E402
from geo.views import map as views  # noqa: E402

QUARTER = "2024Q2"
MARKER_BASELINE_CAP = 10_000


def _clear_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def measure(runs: int, work) -> tuple[float, float, float, object]:
    """Median seconds over ``runs`` calls of ``work()``, peak RSS in MB, how far the peak rose
    above the RSS at the stage's start (the stage's own memory), and the last result."""
    times, result = [], None
    _clear_peak()
    before = server.status_mb("self", "VmRSS:")
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    peak = server.status_mb("self", "VmHWM:")
    return statistics.median(times), peak, peak - before, result


def map_html(geo, selected) -> str:
    """The quarter's view as the map client receives it on a switch (the base map and the
    boundaries are fetched once per page, not per quarter)."""
    view = views.map_view(views.Choice(QUARTER, "atlas", "deaths"), None, selected, views.province_totals(selected),
                          geo["provinces"], geo["border_regions"], geo["neighbours"])
    return maps.view_layer(view).add_to(maps.base_map()).get_root().render()


def naive_map_seconds(geo, selected) -> float:
    """The same map drawn the naive way: one Folium CircleMarker (with its popup) per incident.

    Measured on at most MARKER_BASELINE_CAP incidents and scaled linearly (it grows linearly,
    and 100k markers take minutes)."""
    sample = selected.head(MARKER_BASELINE_CAP)
    start = time.perf_counter()
    fmap = maps.base_map()
    for _, row in sample.iterrows():
        folium.CircleMarker((row.geometry.y, row.geometry.x), radius=4,
                            popup=folium.Popup(maps.popup_html(row))).add_to(fmap)
    fmap.get_root().render()
    return (time.perf_counter() - start) * len(selected) / max(len(sample), 1)


def bench_size(n: int, runs: int, geo: dict, workdir: Path) -> dict:
    csv_path = workdir / f"incidents-{n}.csv"
    synthetic.incidents(n).to_csv(csv_path, index=False)
    rows = {}
    rows["import + validate"] = measure(runs, lambda: load_incidents(csv_path))
    incidents = rows["import + validate"][-1]
    rows["join + index by quarter (once per dataset)"] = measure(runs, lambda: atlas.index_by_quarter(
        join.assign_regions(incidents, geo["provinces"], geo["border_regions"])))
    joined, bounds = rows["join + index by quarter (once per dataset)"][-1]

    def filter_aggregate():
        selected = atlas.period_incidents(joined, QUARTER, {"event_type": ["terror_attack", "other"]}, bounds)
        summarize.by_province(selected, keys=("province_id",))
        summarize.by_border_region(selected, keys=())
        return selected

    rows["quarter switch: filter + aggregate"] = measure(runs, filter_aggregate)
    quarter = atlas.period_incidents(joined, QUARTER, {}, bounds)
    rows["map build (quarter)"] = measure(runs, lambda: map_html(geo, quarter))
    out = workdir / "export.geojson"

    def stream_geojson():
        with open(out, "wb") as handle:
            export.write_geojson(joined, handle, export.export_columns(joined))

    rows["GeoJSON export (all, streamed to a file)"] = measure(runs, stream_geojson)
    rows["CSV export (all)"] = measure(runs, lambda: export.to_csv(joined, export.export_columns(joined)))
    plain = joined[export.export_columns(joined) + ["geometry"]]
    baselines = {
        "map build (quarter)": naive_map_seconds(geo, quarter),
        "GeoJSON export (all, streamed to a file)": measure(1, lambda: plain.to_json(default=str))[0],
    }
    return {"rows": rows, "baselines": baselines, "payload": len(rows["map build (quarter)"][-1].encode()),
            "quarter_rows": len(quarter)}


def table(results: dict[int, dict]) -> str:
    lines = ["| size | stage | median s | peak RSS MB | stage's own MB | naive baseline s | ratio |",
             "|---|---|---|---|---|---|---|"]
    for n, result in results.items():
        for stage, (seconds, peak, own, _) in result["rows"].items():
            base = result["baselines"].get(stage)
            ratio = f"{base / seconds:.1f}x faster" if base else ""
            base_text = f"{base:.2f}" if base else ""
            lines.append(f"| {n:,} | {stage} | {seconds:.3f} | {peak:,.0f} | {own:,.0f} | {base_text} | {ratio} |")
        lines.append(f"| {n:,} | map payload ({result['quarter_rows']:,} incidents in {QUARTER}) | "
                     f"{result['payload'] / 1e6:.2f} MB | | | | |")
    return "\n".join(lines)


def update_readme(readme: Path, text: str) -> None:
    start, end = "<!-- BENCH:START -->", "<!-- BENCH:END -->"
    content = readme.read_text(encoding="utf-8")
    before, rest = content.split(start, 1)
    _, after = rest.split(end, 1)
    readme.write_text(f"{before}{start}\n{text}\n{end}{after}", encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--readme", type=Path)
    args = parser.parse_args(argv)
    geo = {"provinces": boundaries.load_provinces(), "border_regions": boundaries.load_border_regions(),
           "neighbours": boundaries.load_neighbours()}
    results = {}
    with tempfile.TemporaryDirectory() as workdir:
        for n in args.sizes:
            print(f"size {n:,}: running…", file=sys.stderr, flush=True)
            results[n] = bench_size(n, args.runs, geo, Path(workdir))
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, " \
              f"{len(__import__('os').sched_getaffinity(0))} cores; median of {args.runs} runs"
    text = f"Machine: {machine}.\n\n{table(results)}"
    print(text)
    if args.readme:
        update_readme(args.readme, text)


if __name__ == "__main__":
    main()
