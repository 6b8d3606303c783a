"""Hostile and broken import files (issue 13): nothing silently lost or corrupted, bounded cost,
one clear sentence for every refusal.

Small fixtures are in tests/fixtures/hostile/; the large shapes (zip bombs, a 5 MB line, 10,000
columns) are made in tmp_path at test time and must be refused in well under a second each.
"""

import functools
import io
import struct
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from geo import export
from geo.importers import ReadError, import_bytes, import_file, limits
from geo.incidents import load_incidents

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
HEADER = "date,lat,lon,killed,injured,province,place,sources\n"
IMPORTABLE = sorted(p.name for p in HOSTILE.iterdir() if p.name not in {
    "features_numbers.geojson", "geometry_text.geojson", "properties_list.geojson"})


@pytest.fixture(scope="module")
def shipped():
    return load_incidents()


@functools.cache
def imported(name: str):
    """The hostile fixture ``name`` imported once for this file (an import costs ~0.1 s, most of it
    fixed per file); the tests only read the result, never change it."""
    return import_file(HOSTILE / name)


def report_of(result) -> pd.DataFrame:
    return result.report.to_frame()


def lines_for(result, action: str) -> pd.DataFrame:
    frame = report_of(result)
    return frame[frame["action"] == action]


def row(i: int, killed="1", place="Lahore", source=None) -> str:
    return f"2024-02-{i:02d},31.5,74.3,{killed},0,Punjab,{place},{source or f'https://example.org/{i}'}\n"


@pytest.mark.parametrize("name", IMPORTABLE)
def test_the_report_accounts_for_every_row(name):
    """read = imported + rejected; exactly the rows not rejected are imported."""
    result = imported(name)
    report = result.report
    assert report.read == report.imported + report.rejected
    assert len(result.incidents) == report.imported
    assert set(result.incidents.attrs["source_rows"]) == set(range(1, report.read + 1)) - report.rows_with("rejected")
    assert report.to_frame()["row"].dropna().between(1, report.read).all()


# --- 1. one bad number never changes other rows --------------------------------------------


def test_a_huge_count_is_rejected_and_the_other_rows_keep_theirs():
    result = imported("huge_count.csv")
    assert result.incidents["killed"].tolist() == [0, 3, 7]  # 0.5 rounds to 0; 3 and 7 untouched
    rejected = lines_for(result, "rejected")
    assert rejected[["row", "value"]].values.tolist() == [[1, "1e+20"]]
    assert "at most 1,000,000" in rejected["reason"].iloc[0]


def test_an_infinite_count_is_rejected_and_the_other_rows_keep_theirs():
    result = imported("infinite_count.csv")
    assert result.incidents["killed"].tolist() == [2, 3, 40]
    assert lines_for(result, "rejected")[["row", "value"]].values.tolist() == [[2, "inf"]]


def test_at_least_figures_and_minus_zero_are_read_and_reported():
    result = imported("at_least_and_minus_zero.csv")
    assert result.incidents["killed"].tolist() == [40, 0]
    fixed = lines_for(result, "fixed")
    assert fixed[["row", "column", "value"]].values.tolist() == [[1, "killed", "40+"]]


def test_native_counts_that_are_not_numbers_are_reported_not_silently_emptied(shipped):
    table = pd.read_csv(io.BytesIO(export.to_csv(shipped.head(3))), dtype=str,
                        keep_default_na=False)
    table.loc[:, ["killed", "killed_low"]] = [["40+", "40+"], ["-0", "-0"], ["many", "many"]]
    table["killed_high"] = ["50", "0", "5"]
    result = import_bytes(table.to_csv(index=False).encode(), "native.csv")
    assert result.report.layout == "native"
    imported = result.incidents.set_axis(result.incidents.attrs["source_rows"])
    assert imported.loc[1, "killed"] == 40 and imported.loc[2, "killed"] == 0
    lines = set(map(tuple, report_of(result)[["row", "column", "value"]].values))
    assert {(1, "killed", "40+"), (1, "killed_low", "40+"), (3, "killed", "many")} <= lines


# --- 2. a stray quote swallows nothing -----------------------------------------------------


def test_a_stray_quote_rejects_its_row_and_the_rows_after_it_are_read():
    result = imported("stray_quote.csv")
    assert result.report.counts() == {"read": 5, "imported": 4, "fixed": 0, "rejected": 1}
    assert result.incidents["killed"].tolist() == [1, 3, 4, 5]
    rejected = lines_for(result, "rejected").iloc[0]
    assert (rejected["row"], rejected["column"], rejected["value"]) == (2, "place", '"Lahore')
    assert "quote" in rejected["reason"]


def test_a_quote_closed_rows_later_is_found_by_the_row_width():
    text = HEADER + row(1) + row(2, place='"Lahore') + row(3) + row(4, place='Lahore"') + row(5)
    result = import_bytes(text.encode(), "closed_later.csv")
    assert result.report.read == 5 and 2 in result.report.rows_with("rejected")
    assert 3 in result.incidents.attrs["source_rows"] and 5 in result.incidents.attrs["source_rows"]


def test_a_quote_that_runs_past_the_limit_stops_there():
    body = "".join(row(i % 28 + 1) for i in range(limits.MAX_QUOTED_LINES + 20))
    text = HEADER + row(1, place='"Lahore') + body
    start = time.perf_counter()
    result = import_bytes(text.encode(), "long.csv")
    assert time.perf_counter() - start < 2
    assert result.report.read == limits.MAX_QUOTED_LINES + 21 and result.report.rejected == 1
    assert f"within {limits.MAX_QUOTED_LINES} lines" in lines_for(result, "rejected")["reason"].iloc[0]


def test_a_real_multiline_note_stays_one_row():
    result = imported("multiline_note.csv")
    assert result.report.counts()["rejected"] == 0 and result.report.read == 2
    assert result.incidents["notes"].iloc[0].count("\n") == 2


# --- 3. short rows and dropped fields are reported -----------------------------------------


def test_a_cut_off_last_row_is_rejected_as_such():
    result = imported("truncated_row.csv")
    assert result.report.counts() == {"read": 3, "imported": 2, "fixed": 0, "rejected": 1}
    rejected = lines_for(result, "rejected")
    assert rejected["row"].tolist() == [3] and "cut off" in rejected["reason"].iloc[0]


def test_a_short_row_inside_the_file_is_padded_with_a_warning():
    text = HEADER + row(1) + "2024-02-02,31.5,74.3,2\n" + row(3)
    result = import_bytes(text.encode(), "short.csv")
    assert result.report.imported == 3
    warning = lines_for(result, "warning").query("row == 2").iloc[0]
    assert warning["value"] == "4 of 8 fields" and warning["column"] == "injured … sources"


def test_sources_that_are_not_links_are_reported_when_dropped():
    result = imported("unsafe_sources.csv")
    assert result.incidents["sources"].isna().tolist() == [True, True, False]
    fixed = lines_for(result, "fixed")
    assert fixed["row"].tolist() == [1, 2] and set(fixed["column"]) == {"sources"}
    assert fixed["value"].iloc[0] == "javascript:alert(1)"


def test_a_point_with_one_coordinate_is_reported():
    result = imported("point_one_coordinate.geojson")
    assert result.report.imported == 2
    fixed = lines_for(result, "fixed")
    assert fixed[["row", "column", "value"]].values.tolist() == [[1, "geometry", "[71.5]"]]
    assert result.incidents["geometry"].iloc[0] is None and result.incidents["geometry"].iloc[1] is not None


def test_a_point_not_kept_at_province_level_is_reported_per_row():
    text = ("iyear,imonth,iday,provstate,latitude,longitude,specificity,nkill\n"
            "2015,1,1,Sindh,25.4,68.4,4,1\n2015,1,2,Sindh,24.9,67.0,1,1\n")
    result = import_bytes(text.encode(), "gtd.csv")
    assert result.incidents["geometry"].isna().tolist() == [True, False]
    assert lines_for(result, "fixed")[["row", "column", "value"]].values.tolist() == [[1, "lon", "68.4, 25.4"]]


def test_a_native_perpetrator_outside_the_schema_is_reported_when_replaced(shipped):
    table = pd.read_csv(io.BytesIO(export.to_csv(shipped.head(2))), dtype=str,
                        keep_default_na=False)
    table.loc[0, ["perpetrator", "perpetrator_raw"]] = ["Lashkar", "Tehrik-e-Taliban Pakistan"]
    result = import_bytes(table.to_csv(index=False).encode(), "native.csv")
    assert result.incidents["perpetrator"].iloc[0] == "TTP"
    assert lines_for(result, "fixed")[["row", "column", "value"]].values.tolist() == [[1, "perpetrator", "Lashkar"]]


# --- 4. a zip with several tables ----------------------------------------------------------


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_of_several_tables_is_refused_with_their_names():
    data = zipped({"2023.csv": (HEADER + row(1)).encode(), "2024.csv": (HEADER + row(2)).encode()})
    with pytest.raises(ReadError, match=r"holds 2 tables \(2023.csv, 2024.csv\)"):
        import_bytes(data, "years.zip")


def test_a_zip_says_which_member_it_read_and_which_it_did_not():
    data = zipped({"README.txt": b"about", "data/incidents.csv": (HEADER + row(1)).encode()})
    result = import_bytes(data, "bundle.zip")
    note = report_of(result).query("action == 'note'")["reason"].iloc[0]
    assert note == "read 'data/incidents.csv' from the zip archive; not read: README.txt"


# --- 5. encodings --------------------------------------------------------------------------


def test_mixed_utf8_and_latin1_lines_are_each_decoded_right():
    result = imported("mixed_encoding.csv")
    assert result.incidents["place"].tolist() == ["Peshāwar", "Bahawalpür", "Quetta – Hazara Town"]
    note = report_of(result).query("action == 'note'").iloc[0]
    assert note["value"] == "lines 3" and "not UTF-8" in note["reason"]


def test_utf16_unicode_text_is_read():
    result = imported("unicode_text.txt")
    assert result.report.imported == 2
    assert result.incidents["place"].tolist() == ["Karachi", "حیدرآباد"]
    big_endian = (HOSTILE / "unicode_text.txt").read_bytes()[2:].decode("utf-16-le").encode("utf-16-be")
    assert import_bytes(big_endian, "no-bom.txt").report.imported == 2


# --- 6. nothing imported, nothing saved ----------------------------------------------------


def test_a_file_of_only_rejected_rows_cannot_be_saved():
    result = imported("all_rejected.csv")
    assert result.report.imported == 0
    with pytest.raises(ValueError, match="none of its 2 rows could be imported") as caught:
        result.savable()
    assert "1 × no readable date" in str(caught.value) and "1 × a date in the future" in str(caught.value)
    assert imported("huge_count.csv").savable().report.imported == 3


# --- 7. zip bombs --------------------------------------------------------------------------


def newline_zip(megabytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("data.csv", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(b"\n" * limits.MB)
    return buffer.getvalue()


def stated_size(data: bytes, size: int) -> bytes:
    """The one-member zip ``data`` with its central directory claiming ``size`` bytes unpacked."""
    data = bytearray(data)
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = struct.pack("<I", size)
    return bytes(data)


def test_a_zip_bomb_is_refused_by_its_stated_size_at_once():
    data = newline_zip(50)
    start = time.perf_counter()
    with pytest.raises(ReadError, match="unpacks to more than 100 times the archive's size"):
        import_bytes(data, "bomb.zip")
    assert time.perf_counter() - start < 0.5


def test_a_zip_member_over_200_megabytes_is_refused_by_its_stated_size():
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("big.csv", HEADER.encode() + bytes(range(256)) * (3 * limits.MB // 256))
    with pytest.raises(ReadError, match="larger than 200 MB once unpacked"):
        import_bytes(stated_size(stored.getvalue(), 300 * limits.MB), "big.zip")


def test_a_zip_bomb_that_lies_about_its_size_stops_at_the_size_it_states():
    data = stated_size(zipped({"data.csv": HEADER.encode() + b"\n" * (40 * limits.MB)}), 100)
    start = time.perf_counter()
    with pytest.raises(ReadError, match="zip archive is damaged or incomplete"):
        import_bytes(data, "liar.zip")
    assert time.perf_counter() - start < 0.5


def test_a_zip_of_too_many_lines_is_stopped_while_unpacking():
    body = b"\n" * (limits.MAX_LINES + 10)
    data = zipped({"lines.csv": (HEADER + row(1)).encode() + body})
    with pytest.raises(ReadError, match="more than 5,000,000 lines"):
        import_bytes(data, "lines.zip")


def test_a_damaged_or_cut_off_zip_is_one_sentence():
    data = zipped({"data.csv": (HEADER + row(1) * 200).encode()})
    with pytest.raises(ReadError, match="damaged or incomplete"):
        import_bytes(data[: len(data) // 2], "cut.zip")


# --- 8. absurd shapes are refused before any table is built --------------------------------


def test_a_five_megabyte_line_is_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(ReadError, match=r"line 1 is 5,000,004 characters long; lines of at most 1,000,000"):
        import_bytes(b"date" + b"," * 5_000_000, "commas.csv")
    assert time.perf_counter() - start < 1


def test_ten_thousand_columns_are_refused_at_once():
    header = ",".join(["date", "lat", "lon", *(f"c{i}" for i in range(9_997))])
    text = "\n".join([header] + [",".join(["2024-01-01", "31.5", "74.3", *("x" * 9_997)])] * 3)
    start = time.perf_counter()
    with pytest.raises(ReadError, match="the header row has 10,000 columns; at most 1,000 are read"):
        import_bytes(text.encode(), "wide.csv")
    assert time.perf_counter() - start < 1


def test_a_wide_table_within_the_limit_imports_quickly():
    extra = [f"c{i}" for i in range(limits.MAX_COLUMNS - 8)]
    text = HEADER.strip() + "," + ",".join(extra) + "\n" + "".join(
        row(i).strip() + "," + ",".join("NA" for _ in extra) + "\n" for i in range(1, 21))
    start = time.perf_counter()
    result = import_bytes(text.encode(), "wide.csv")
    assert time.perf_counter() - start < 2
    assert result.report.imported == 20


def test_too_many_lines_are_refused_before_reading_them():
    with pytest.raises(ReadError, match="at most 5,000,000 are read"):
        import_bytes(HEADER.encode() + b"x,\n" * (limits.MAX_LINES + 1), "tall.csv")


# --- 9. dates outside what the atlas stores ------------------------------------------------


def test_an_out_of_range_date_rejects_its_row_only():
    result = imported("date_out_of_range.csv")
    assert result.report.counts() == {"read": 3, "imported": 1, "fixed": 0, "rejected": 2}
    rejected = lines_for(result, "rejected")
    assert rejected["value"].tolist() == ["9999-12-31", "1066-10-14"]
    assert "from 1900 to 2100" in rejected["reason"].iloc[0]


def test_out_of_range_years_in_parts_are_rejected_too():
    text = "iyear,imonth,iday,provstate,nkill\n9999,1,1,Sindh,1\n2015,1,1,Sindh,2\n"
    result = import_bytes(text.encode(), "gtd.csv")
    assert result.report.layout == "gtd" and result.report.counts()["imported"] == 1


# --- 10. malformed GeoJSON -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "sentence"), [
    ("features_numbers.geojson", "feature 2 is a number, not a GeoJSON Feature object"),
    ("geometry_text.geojson", "feature 1: its geometry is a text, not a GeoJSON geometry object"),
    ("properties_list.geojson", "feature 2: its properties are a list, not an object"),
])
def test_malformed_geojson_is_refused_naming_the_feature(name, sentence):
    with pytest.raises(ReadError, match=sentence):
        import_file(HOSTILE / name)


@pytest.mark.parametrize("data", [b"[1, 2]", b'"text"', b'{"type": "FeatureCollection", "features": 3}'])
def test_json_that_is_not_a_feature_collection_is_one_sentence(data):
    with pytest.raises(ReadError, match="FeatureCollection was expected"):
        import_bytes(data, "x.geojson")
