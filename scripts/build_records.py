"""Build data/incidents.csv and data/figures.csv (with provenance) from the reference compilation.

The reference folder (default ../shared/reference, beside the project) holds facts gathered from public reporting,
each with its page address and a verbatim quote. This script carries over the facts (numbers,
dates, places, coordinates, URLs, organisation names), never the quotes; maps names to canonical
ids through the vocabulary tables in scripts/incident_rules.py and scripts/figure_rules.py and
through geo/aliases.csv; places rows marked
``to_be_geocoded`` with data/gazetteer.csv; and writes the files byte for byte the same on every
run.

    python scripts/build_records.py [--reference-dir DIR] [--out-dir data]

The editorial decisions about single records are CSV files beside this script, one row per
decision, so a maintainer edits data rather than code:

    incident_dates.csv    id -> date_precision (and why) for events dated only roughly
    incident_places.csv   id -> town names to look up in data/gazetteer.csv (" | " between them)
    incident_notes.csv    id -> the compiler's note restated in our words
    figure_sources.csv    raw source_org label -> organisation, report period of the publication
                          (empty = the latest period its page reports), restates (yes/no),
                          variant, publication name, caveat
    figure_flags.csv      (label, period, region, metric) -> confidence and caveat
    figure_pages.csv      url -> confidence and caveat (pages not found again)
    primary_domains.csv   sites whose pages count as primary (the organisations, outlets of record)

Names that no table knows are printed in a report and kept (with the id left empty), never
dropped; a perpetrator, country or source label that no table knows stops the build instead,
because those columns are required.
"""

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import paths, provenance  # noqa: E402
from geo.figures import validate_figures  # noqa: E402
from geo.incidents import validate_incidents  # noqa: E402
from scripts import gazetteer, inputs  # noqa: E402
from scripts.figure_rules import build_figures  # noqa: E402
from scripts.incident_rules import build_incidents  # noqa: E402

DEFAULT_REFERENCE = inputs.REFERENCE_DIR
# The reference files of published figures, read in this order (figure ids follow it, so a new
# file goes at the end and the ids of earlier figures never change).
FIGURE_INPUTS = ("figures.csv", "figures-added-2026-11.csv")
BUILD_COMMAND = "python scripts/build_records.py"
LICENCE = "CC BY 4.0 (this compilation of facts); the facts belong to the cited outlets"

# --- writing ---------------------------------------------------------------------------------


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` (all strings) with LF line ends so reruns are byte-identical."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def provenance_record(kind: str, rows: int, inputs: dict) -> dict:
    """The provenance record of ``kind`` (``built_on`` and ``sha256`` are filled in by
    geo.provenance.write)."""
    what = {
        "incidents": ("Incidents: militant attacks, security operations and cross-border strikes "
                      "in and around Pakistan, 2024-01-02 to 2025-11-11",
                      "Outlets cited per row in the `sources` column (Dawn, The News, Express "
                      "Tribune, Reuters, AFP, AP, ISPR statements and others); coordinates: "
                      "GeoNames (CC BY 4.0) and the pages named in `location_source`",
                      "reference/incidents.csv and incidents-notes.md"),
        "figures": ("Published figures: CRSS, PICSS and PIPS security reports (2023 to February "
                    "2026), ISPR and KP CTD official figures, and census population",
                    "CRSS, PICSS, PIPS, ISPR, KP Counter Terrorism Department, Pakistan Bureau of "
                    "Statistics, via the pages in `url`",
                    f"reference/{', '.join(FIGURE_INPUTS)} and figures-notes.md"),
    }[kind]
    return {
        "title": what[0],
        "source": f"Reference compilation of public reporting ({what[2]}); each row cites its "
                  "own pages",
        "licence": LICENCE,
        "attribution": what[1],
        "build_command": BUILD_COMMAND,
        "built_on": None,
        "rows": rows,
        "schema": f"geo/schema.py {kind.upper().rstrip('S')}_FIELDS",
        "inputs": inputs,
        "sha256": None,
        "notes": "Facts only: the reference quotes are not copied. Missing values are empty, "
                 "never zero or estimated.",
    }


def _write_with_provenance(frame, kind: str, out_dir: Path, inputs: dict) -> Path:
    path = out_dir / f"{kind}.csv"
    write_csv(frame, path)
    # A build into another folder (the rebuild test) keeps the shipped record's built_on too.
    provenance.write(path, provenance_record(kind, len(frame), inputs), earlier=(paths.DATA_DIR / path.name,))
    return path


def build(reference_dir: Path, out_dir: Path, gazetteer_path: Path = paths.GAZETTEER) -> list[str]:
    """Build both files into ``out_dir``; return the report of unmatched names and placements."""
    report: list[str] = []
    read = {"dtype": str, "keep_default_na": False, "encoding": "utf-8"}
    incidents_ref = pd.read_csv(reference_dir / "incidents.csv", **read)
    figures_ref = pd.concat([pd.read_csv(reference_dir / name, **read) for name in FIGURE_INPUTS],
                            ignore_index=True)
    gaz = gazetteer.load_gazetteer(gazetteer_path)
    incidents = build_incidents(incidents_ref, gaz, report)
    figures = build_figures(figures_ref, report)
    validate_incidents(incidents, "built incidents")  # never write a file the loader rejects
    validate_figures(figures, "built figures")
    out_dir.mkdir(parents=True, exist_ok=True)
    ref_hash = {"reference": provenance.sha256_of(reference_dir / "incidents.csv"),
                "gazetteer": provenance.sha256_of(gazetteer_path)}
    _write_with_provenance(incidents, "incidents", out_dir, ref_hash)
    _write_with_provenance(figures, "figures", out_dir,
                           {name: provenance.sha256_of(reference_dir / name) for name in FIGURE_INPUTS})
    return report


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out-dir", type=Path, default=paths.DATA_DIR)
    args = parser.parse_args(argv)
    for line in build(args.reference_dir, args.out_dir):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
