"""The committed record files and their loaders: validation, published figures, revisions,
geography, reproducibility and the no-quotes rule."""

import importlib.util
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo import paths, provenance, schema
from geo.figures import load_figures, region_id_of, select_series, validate_figures
from geo.incidents import load_incidents, validate_incidents
from geo.periods import parse_period
from geo.validation import Problem, RecordsError
from scripts import inputs

PROJECT = Path(__file__).resolve().parents[1]
REFERENCE = inputs.REFERENCE_DIR
REFERENCE_FILES = ("incidents.csv", "figures.csv", "figures-added-2026-11.csv")
# Tests that compare data/ with the reference compilation, which sits beside the project.
needs_reference = pytest.mark.skipif(not all((REFERENCE / name).exists() for name in REFERENCE_FILES),
                                     reason=f"the reference compilation {REFERENCE} is not present")


@pytest.fixture(scope="module")
def incidents():
    return load_incidents()


@pytest.fixture(scope="module")
def figures():
    return load_figures()


def _reference(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / name, dtype=str, keep_default_na=False)


def _crss(figures, which, period, region_id, metric):
    chosen = select_series(figures, which)
    hit = chosen[(chosen["source_org"] == "CRSS") & (chosen["period"] == period)
                 & (chosen["region_id"] == region_id) & (chosen["metric"] == metric)]
    assert len(hit) == 1, hit
    return hit["value"].iloc[0]


# --- the committed files ---------------------------------------------------------------------


def test_incidents_load_as_points_in_wgs84(incidents):
    assert isinstance(incidents, gpd.GeoDataFrame)
    assert incidents.crs.to_epsg() == 4326
    assert str(incidents["occurred_on"].dtype).startswith("datetime64")
    placed = incidents.geometry.notna()
    assert placed.equals(incidents["location_precision"].isin(schema.POINT_PRECISIONS))
    assert incidents["quarter"].str.fullmatch(r"\d{4}Q[1-4]").all()
    assert incidents.loc[incidents["id"] == "PK-2024-0715-BANNU",
                         "quarter"].item() == "2024Q3"


def test_every_record_cites_a_url(incidents, figures):
    assert incidents["sources"].str.contains(r"^https?://").all()
    assert figures["url"].str.match(r"https?://").all()


def test_event_type_counts_match_the_reference(incidents):
    counts = incidents["event_type"].value_counts().to_dict()
    assert counts == {"terror_attack": 41, "cross_border_strike": 12,
                      "security_operation": 10, "other": 1}


def test_killed_is_the_conservative_figure_and_missing_stays_missing(incidents):
    known = incidents["killed_low"].notna()
    assert (incidents.loc[known, "killed"] == incidents.loc[known, "killed_low"]).all()
    kabul = incidents.set_index("id").loc["AF-2025-1009-KABUL"]
    assert pd.isna(kabul["killed"]) and pd.isna(kabul["killed_high"])
    assert pd.isna(kabul["injured"])  # never zero for "not reported"
    panjgur = incidents.set_index("id").loc["PK-2024-0116-PANJGUR"]  # injured "3-4"
    assert (panjgur["injured_low"], panjgur["injured_high"], panjgur["injured"]) == (3, 4, 3)


def test_the_aggregate_row_is_kept_but_not_counted(incidents):
    aggregate = incidents[incidents["status"] == "aggregate"]
    assert aggregate["id"].tolist() == ["PK-2024-0826-BALOCHISTAN-ISPR"]
    assert not aggregate["counts_in_totals"].any()
    assert incidents.loc[incidents["status"] != "aggregate", "counts_in_totals"].all()


def test_cross_border_strikes_name_their_origin(incidents):
    strikes = incidents[incidents["event_type"] == "cross_border_strike"]
    assert strikes["origin_country"].notna().all()
    assert (strikes["origin_country"] != strikes["country"]).sum() >= 11  # clash row is PK/PK


def test_no_point_lies_outside_its_country_or_province(incidents):
    countries = gpd.read_file(paths.NEIGHBOURS).set_index("id").geometry
    provinces = gpd.read_file(paths.PROVINCES).set_index("id").geometry
    placed = incidents[incidents.geometry.notna()]
    wrong_country = [r.id for r in placed.itertuples() if not countries[r.country].covers(r.geometry)]
    in_pk = placed[placed["province_id"].notna()]
    wrong_province = [r.id for r in in_pk.itertuples()
                      if not provinces[r.province_id].covers(r.geometry)]
    assert wrong_country == [] and wrong_province == []


def test_unplaced_rows_keep_their_province(incidents):
    unplaced = incidents[incidents.geometry.isna() & (incidents["country"] == "PK")]
    with_province = unplaced[unplaced["location_precision"] == "province"]
    assert with_province["province_id"].notna().all()
    assert set(unplaced["location_precision"]) <= {"province", "none"}


@needs_reference
def test_no_coordinate_is_invented(incidents):
    """Every point is the reference's own coordinate or a gazetteer row's, to the digit."""
    reference = _reference("incidents.csv").set_index("id")
    gazetteer = pd.read_csv(paths.GAZETTEER, dtype=str, keep_default_na=False)
    known = {(f"{float(x):.5f}", f"{float(y):.5f}") for x, y in zip(gazetteer["lon"],
                                                                   gazetteer["lat"], strict=True)}
    raw = pd.read_csv(paths.INCIDENTS, dtype=str, keep_default_na=False).set_index("id")
    for row_id, row in raw[raw["lon"] != ""].iterrows():
        ref = reference.loc[row_id]
        if ref["longitude"]:
            assert (row["lon"], row["lat"]) == (ref["longitude"], ref["latitude"]), row_id
        else:
            assert ref["coord_precision"] == "to_be_geocoded", row_id
            assert (row["lon"], row["lat"]) in known, row_id
            assert row["location_source"].startswith("GeoNames via data/gazetteer.csv: ")


@needs_reference
def test_geocoded_rows_are_town_district_or_unplaced(incidents):
    reference = _reference("incidents.csv")
    pending = set(reference.loc[reference["coord_precision"] == "to_be_geocoded", "id"])
    rows = incidents[incidents["id"].isin(pending)]
    assert len(rows) == len(pending) == 19
    assert set(rows["location_precision"]) <= {"town", "district", "province", "none"}


# --- published figures ----------------------------------------------------------------------


def test_crss_quarterly_headlines(figures):
    assert _crss(figures, "latest", "2024Q2", "PK", "deaths") == 380
    assert _crss(figures, "latest", "2025Q3", "PK", "deaths") == 901
    assert _crss(figures, "latest", "2024Q2", "PK", "injured") == 220
    assert _crss(figures, "latest", "2024Q2", "PK", "incidents") == 240
    assert _crss(figures, "latest", "2024Q1", "PK", "deaths") == 432
    assert _crss(figures, "latest", "2025Q1", "PK-KP", "deaths") == 567
    assert _crss(figures, "latest", "2025Q1", "PK-BA", "deaths") == 317


@pytest.mark.parametrize(
    ("period", "region_id", "first", "latest"),
    [("2025Q1", "PK", 897, 900), ("2024", "PK", 2546, 2555), ("2024", "PK-KP", 1616, 1620),
     ("2023", "PK", 1524, 1533), ("2024Q2", "PK", 380, 380)],
)
def test_latest_revision_and_first_published(figures, period, region_id, first, latest):
    assert _crss(figures, "first_published", period, region_id, "deaths") == first
    assert _crss(figures, "latest", period, region_id, "deaths") == latest


def test_each_series_has_one_value_per_figure(figures):
    key = ["source_org", "period", "region_id", "metric"]
    for which in ("latest", "first_published"):
        assert not select_series(figures, which).duplicated(key).any()
    with pytest.raises(ValueError, match="series must be one of"):
        select_series(figures, "newest")


def test_a_revision_only_figure_is_not_passed_off_as_first_published(figures):
    # CRSS gave GB 2024 deaths only as a restatement in its 2025 report.
    first = select_series(figures, "first_published")
    gb = first[(first["period"] == "2024") & (first["region_id"] == "PK-GB")]
    assert gb.empty
    assert _crss(figures, "latest", "2024", "PK-GB", "deaths") == 1


def test_alternative_versions_stay_out_of_both_series(figures):
    ap = figures[figures["variant"] == "as reported by AP"]
    assert len(ap) == 4 and (ap["series"] == "alternative").all()


def test_region_ids_match_the_province_polygons(figures):
    provinces = set(gpd.read_file(paths.PROVINCES)["id"])
    parts = figures["region_id"].str.split("+").explode()
    assert set(parts) - provinces <= {"PK", "PK-KP-MAINLAND", "PK-KP-FATA"}


def test_doubtful_figures_carry_their_caveat(figures):
    flagged = figures[figures["confidence"].isin(schema.LOWER_CONFIDENCES)]
    assert flagged["confidence"].value_counts().to_dict() == {
        "secondary_only": 22, "unverified": 9, "low": 2}
    assert flagged["caveat"].notna().all()


@needs_reference
def test_a_figure_on_a_secondary_page_only_is_lower_confidence(figures):
    labels = pd.concat([_reference("figures.csv"), _reference("figures-added-2026-11.csv")],
                       ignore_index=True)["source_org"]
    secondary_only = labels.str.removesuffix(")").str.endswith("secondary page only").to_numpy()
    assert secondary_only.sum() == 22
    assert (figures.loc[secondary_only, "confidence"] == "secondary_only").all()
    assert (figures.loc[~secondary_only, "confidence"] != "secondary_only").all()


def test_official_figures_are_their_own_organisations(figures):
    official = figures[figures["source_org"].isin(schema.OFFICIAL_ORGS)]
    assert official["source_org"].value_counts().to_dict() == {"ISPR": 6, "KP CTD": 3}
    ispr = official.set_index(["source_org", "region_id", "metric"])["value"]
    assert ispr[("ISPR", "PK", "terrorist_incidents")] == 5397
    assert ispr[("KP CTD", "PK-KP", "terrorist_incidents")] == 1588
    assert not set(official["source_org"]) & set(schema.REPORTING_ORGS)


def test_monthly_figures_with_the_kp_split_and_no_derived_quarters(figures):
    picss = figures[figures["source_org"] == "PICSS"]
    months = picss[picss["period_type"] == "month"]
    assert len(months) == 396 and months["period"].max() == "2026-02"
    assert {"PK-KP-MAINLAND", "PK-KP-FATA", "PK-KP", "PK-BA"} <= set(months["region_id"])
    feb = months[(months["period"] == "2026-02") & (months["region_id"] == "PK")]
    assert not feb.empty
    # PICSS publishes months and halves, never quarters; none may be made by adding months.
    assert "quarter" not in set(picss["period_type"])
    for month in ("2023-06", "2023-10", "2023-12", "2024-09", "2026-03"):
        assert month not in set(picss["period"]), month  # gaps stay gaps


def test_percentages_stay_percentages(figures):
    percent = figures[figures["metric"].isin(schema.PERCENT_METRICS)]
    assert (percent["unit"] == "percent").all() and len(percent) == 62
    assert set(figures.loc[figures["unit"] == "percent", "metric"]) <= set(schema.PERCENT_METRICS)
    crss = percent[(percent["source_org"] == "CRSS") & (percent["period"] == "2025-12")]
    assert set(crss["metric"]) == {"terror_attacks_change_vs_prev_month_pct",
                                   "deaths_civilians_and_security_in_terror_attacks_change_vs_prev_month_pct"}


@pytest.mark.parametrize(
    ("name", "region_id"),
    [("national", "PK"), ("Khyber Pakhtunkhwa", "PK-KP"), ("KPK", "PK-KP"),
     ("Khyber Pakhtunkhwa (mainland, excl. ex-FATA)", "PK-KP-MAINLAND"),
     ("Khyber Pakhtunkhwa (tribal districts, ex-FATA)", "PK-KP-FATA"),
     ("Khyber Pakhtunkhwa+Balochistan", "PK-KP+PK-BA"), ("PK-KP-FATA", "PK-KP-FATA"),
     ("Kabul", None), ("Punjab+Punjab", None), ("", None)],
)
def test_region_names_map_to_region_ids(name, region_id):
    assert region_id_of(name) == region_id


def test_values_of_the_wrong_kind_are_refused():
    rows = pd.read_csv(paths.FIGURES, dtype=str, keep_default_na=False).head(3)
    rows.loc[0, "value"] = "12.5"  # deaths: a count
    rows.loc[1, "value"] = "-4"
    with pytest.raises(RecordsError) as caught:
        validate_figures(rows)
    found = {(p.row, p.column, p.value) for p in caught.value.problems}
    assert found == {(1, "value", "12.5"), (2, "value", "-4")}


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2024Q2", ("quarter", "2024-04-01", "2024-06-30")), ("2023H1", ("half", "2023-01-01",
      "2023-06-30")), ("2024", ("year", "2024-01-01", "2024-12-31")),
     ("2024-02", ("month", "2024-02-01", "2024-02-29")),
     ("2026-02", ("month", "2026-02-01", "2026-02-28")),
     ("2023Jan-May", ("span", "2023-01-01", "2023-05-31")),
     ("2024Jan-Aug", ("span", "2024-01-01", "2024-08-31")),
     ("2023Q1-Q3", ("span", "2023-01-01", "2023-09-30")),
     ("2025Jan-Nov", ("span", "2025-01-01", "2025-11-30"))],
)
def test_parse_period(period, expected):
    kind, start, end = parse_period(period)
    assert (kind, f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}") == expected


@pytest.mark.parametrize("period", ["2024Q5", "2024-13", "2025Nov-Jan", "24Q1", ""])
def test_parse_period_rejects(period):
    with pytest.raises(ValueError, match="not a period"):
        parse_period(period)


# --- validation -------------------------------------------------------------------------------

VALID_ROW = {
    "id": "T-1", "occurred_on": "2024-05-01", "date_precision": "day", "place": "Somewhere",
    "country": "PK", "province_id": "PK-KP", "lon": "71.5", "lat": "34.0",
    "location_precision": "town", "event_type": "terror_attack", "perpetrator": "TTP",
    "killed_low": "2", "killed_high": "3", "killed": "2", "sources": "https://example.org/a",
    "status": "confirmed", "fully_sourced": "true", "counts_in_totals": "true",
}


def _write(tmp_path, rows) -> Path:
    path = tmp_path / "incidents.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_a_tiny_valid_file_loads(tmp_path):
    frame = load_incidents(_write(tmp_path, [VALID_ROW, {**VALID_ROW, "id": "T-2", "lon": "",
                                                         "lat": "", "location_precision": "province"}]))
    assert frame["id"].tolist() == ["T-1", "T-2"]
    assert frame.geometry.isna().tolist() == [False, True]


def test_validation_reports_every_problem_at_once(tmp_path):
    rows = [
        {**VALID_ROW, "occurred_on": "2024-13-01", "event_type": "riot"},
        {**VALID_ROW, "id": "T-2", "killed_low": "five", "lat": ""},
        {**VALID_ROW, "id": "T-1", "sources": "", "killed_low": "9"},
    ]
    with pytest.raises(RecordsError) as caught:
        load_incidents(_write(tmp_path, rows))
    found = {(p.row, p.column, p.value) for p in caught.value.problems}
    assert {(1, "occurred_on", "2024-13-01"), (1, "event_type", "riot"),
            (2, "killed_low", "five"), (3, "sources", ""), (3, "id", "T-1"),
            (3, "killed_low", "9"), (2, "lat", "")} <= found
    message = str(caught.value)
    assert message.startswith(f"{len(caught.value.problems)} problem(s) in incidents.csv:")
    assert "row 1, column 'event_type': got 'riot', expected one of terror_attack" in message
    assert isinstance(caught.value, ValueError)


def test_missing_columns_and_unknown_columns_are_reported(tmp_path):
    rows = [{k: v for k, v in VALID_ROW.items() if k != "country"} | {"deaths": "4"}]
    with pytest.raises(RecordsError) as caught:
        load_incidents(_write(tmp_path, rows))
    assert Problem(None, "country", "", "a column of this name (required)") in caught.value.problems
    assert any(p.column == "deaths" for p in caught.value.problems)


def test_the_message_lists_the_first_problems_and_counts_the_rest():
    rows = pd.DataFrame([{**VALID_ROW, "id": f"T-{i}", "event_type": "x"} for i in range(30)])
    with pytest.raises(RecordsError) as caught:
        validate_incidents(rows)
    assert "... and 10 more" in str(caught.value)


def test_validate_incidents_accepts_typed_frames():
    typed = pd.DataFrame([VALID_ROW]).assign(
        occurred_on=pd.Timestamp("2024-05-01"), killed_low=2, killed_high=3, killed=2,
        lon=71.5, lat=34.0, fully_sourced=True, counts_in_totals=True)
    assert validate_incidents(typed)["quarter"].tolist() == ["2024Q2"]


_names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl",
                                                                          "Zp")), min_size=1,
                 max_size=12).filter(str.strip)


# Loading a file costs ~0.06 s, most of it fixed per file, so each example is a file of up to 48
# rows: 10 such files check about as many rows, ~240, as the 40 files of up to 12 rows this
# test once wrote, in a quarter of the time; the empty file is always one of them.
INCIDENT_ROWS = 48


@st.composite
def _incident_rows(draw):
    count = draw(st.integers(min_value=0, max_value=INCIDENT_ROWS))
    rows = []
    for i in range(count):
        low = draw(st.none() | st.integers(0, 500))
        placed = draw(st.booleans())
        rows.append({**VALID_ROW,
                     "id": f"R{i}-{draw(st.from_regex(r'[A-Z0-9]{1,6}', fullmatch=True))}",
                     "occurred_on": f"{draw(st.dates(date(1990, 1, 1), date(2030, 12, 31))):%Y-%m-%d}",
                     "place": draw(_names), "notes": draw(_names),
                     "event_type": draw(st.sampled_from(list(schema.EVENT_TYPES))),
                     "origin_country": "IN",
                     "perpetrator": draw(st.sampled_from(schema.PERPETRATORS)),
                     "killed_low": "" if low is None else str(low),
                     "killed_high": "" if low is None else str(low + draw(st.integers(0, 9))),
                     "killed": "" if low is None else str(low),
                     "lon": str(draw(st.floats(60, 80))) if placed else "",
                     "lat": str(draw(st.floats(23, 37))) if placed else "",
                     "location_precision": "site" if placed else "province"})
    return rows


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_incident_rows())
@example(rows=[])
def test_loading_never_drops_or_duplicates_a_valid_row(tmp_path, rows):
    path = tmp_path / "generated.csv"
    frame = pd.DataFrame(rows, columns=list(VALID_ROW) + ["notes", "origin_country"])
    frame.to_csv(path, index=False)
    loaded = load_incidents(path)
    assert loaded["id"].tolist() == frame["id"].tolist()
    assert loaded["killed"].sum() == pd.to_numeric(frame["killed"]).sum()


# --- provenance, reproducibility, no quotes ---------------------------------------------------


@pytest.mark.parametrize("data_file", [paths.INCIDENTS, paths.FIGURES])
def test_provenance_sits_beside_each_file(data_file):
    record = provenance.read_provenance(data_file)
    assert record["build_command"] == "python scripts/build_records.py"
    assert record["rows"] == len(pd.read_csv(data_file))


def _build_module():
    return importlib.import_module("scripts.build_records")


@needs_reference
def test_rebuilding_reproduces_the_committed_files_byte_for_byte(tmp_path):
    _build_module().build(REFERENCE, tmp_path)
    for name in ("incidents.csv", "figures.csv"):
        for produced in (tmp_path / name, paths.provenance_path(tmp_path / name)):
            committed = paths.DATA_DIR / produced.name
            assert produced.read_bytes() == committed.read_bytes(), produced.name


@needs_reference
def test_no_reference_quote_is_copied_into_data():
    quotes = [q.strip() for cell in _reference("incidents.csv")["quotes"]
              for q in cell.split(" | ")]
    quotes += list(_reference("figures.csv")["quote"]) + list(_reference("figures-added-2026-11.csv")["quote"])
    long_quotes = {q for q in quotes if len(q) >= 40}
    assert len(long_quotes) > 100
    cells = []
    for data_file in (paths.INCIDENTS, paths.FIGURES):
        cells += pd.read_csv(data_file, dtype=str, keep_default_na=False).to_numpy().ravel().tolist()
        cells.append(paths.provenance_path(data_file).read_text(encoding="utf-8"))
    haystack = "\x00".join(cells)
    copied = [q for q in long_quotes if q in haystack]
    assert copied == []
