"""The geographic scope of imported events: Pakistan and its neighbours' border regions are in,
everything else is rejected as out of scope with row and reason, the same in every layout."""

import shapely

from geo import boundaries, export, paths
from geo.importers import import_bytes
from geo.incidents import load_incidents

HEADER = "date,country,admin1,lat,lon,killed,place\n"
ROWS = {  # place -> (country, province, lat, lon, in scope?)
    "Peshawar": ("Pakistan", "KPK", "34.01", "71.58", True),
    "Quetta, no point": ("Pakistan", "Balochistan", "", "", True),
    "Asadabad, Kunar": ("Afghanistan", "Kunar", "34.87", "71.15", True),
    "Zahedan": ("Iran", "Sistan and Baluchestan", "29.50", "60.86", True),
    "Paktika, no point": ("Afghanistan", "Paktika province", "", "", True),
    "Helmand, no point": ("Afghanistan", "Helmand", "", "", True),  # Natural Earth spells Hilmand
    "Kabul": ("Afghanistan", "Kabul", "34.53", "69.17", False),
    "Kabul, no point": ("Afghanistan", "Kabul", "", "", False),
    "Tehran": ("Iran", "Tehran", "35.70", "51.42", False),
    "Srinagar": ("India", "Jammu and Kashmir", "34.08", "74.80", False),
    "Kashgar": ("China", "Xinjiang", "39.47", "75.99", False),
    "Mexico City": ("Mexico", "CDMX", "19.43", "-99.13", False),
}


def _import(rows: dict):
    lines = [f"2024-05-0{1 + i % 9},{c},{p},{lat},{lon},1,\"{place}\"" for i, (place, (c, p, lat, lon, _)) in
             enumerate(rows.items())]
    return import_bytes((HEADER + "\n".join(lines) + "\n").encode(), "scope.csv", "generic")


def test_pakistan_and_the_border_regions_are_in_the_rest_is_out_of_scope():
    result = _import(ROWS)
    report = result.report
    assert report.read == report.imported + report.rejected == len(ROWS)
    assert sorted(result.incidents["place"]) == sorted(p for p, row in ROWS.items() if row[4])
    rejected = report.to_frame().query("action == 'rejected'")
    assert len(rejected) == report.out_of_scope == report.rejected == 6
    assert rejected["reason"].str.startswith("out of scope: ").all()
    reasons = dict(zip(rejected["row"], rejected["reason"], strict=True))
    assert "point lies in Afghanistan outside its border regions" in reasons[7]
    assert "Kabul is not a border region of Afghanistan" in reasons[8]
    assert reasons[10].startswith("out of scope: an event in India")
    assert "(6 of them out of scope)" in report.summary()


def test_a_point_on_the_pakistan_afghanistan_line_is_in_scope():
    regions = boundaries.load_border_regions().set_index("id")
    pakistan = boundaries.load_neighbours().set_index("id").geometry["PK"]
    shared = regions.geometry["AF-KNR"].boundary.intersection(pakistan.boundary)
    lon, lat = shapely.get_coordinates(shared)[0]
    result = _import({"on the line": ("Afghanistan", "", str(lat), str(lon), True)})
    assert result.report.imported == 1


def test_the_atlas_own_records_import_back_whole_kabul_strike_included():
    shipped = load_incidents(paths.INCIDENTS)
    result = import_bytes(export.to_csv(shipped), "incidents.csv")
    assert result.report.layout == "native"
    assert result.report.rejected == 0 and result.report.imported == len(shipped)
    assert "AF-2025-1009-KABUL" in set(result.incidents["id"])  # Pakistan's strike, origin PK


def test_a_foreign_strike_into_a_neighbour_heartland_stays_out():
    shipped = load_incidents(paths.INCIDENTS)
    kabul = shipped[shipped["id"] == "AF-2025-1009-KABUL"].assign(origin_country="IN")
    result = import_bytes(export.to_csv(kabul), "incidents.csv")
    assert result.report.out_of_scope == 1 and result.report.imported == 0
