"""Reading files: formats, encodings, broken CSV, and the errors a user sees."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from zonal.errors import FileFormatError, InputError, MappingError
from zonal.incidents.importers import read_incidents
from zonal.incidents.mapping import ColumnMapping
from zonal.incidents.options import ImportOptions
from zonal.incidents.schema import INCIDENT_SCHEMA
from zonal.incidents.sources import sniff_separator

CSV = "when,what,zone\n2024-05-01 10:00,theft,5339\n2024-05-01 11:30,burglary,5340\n"


def _options(mapping: str = "time=when,zone=zone", **overrides: object) -> ImportOptions:
    settings: dict[str, object] = {
        "mapping": ColumnMapping.parse(mapping),
        "time_zone": "Europe/Brussels",
        "dataset": "test",
    }
    settings.update(overrides)
    return ImportOptions(**settings)  # type: ignore[arg-type]


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_plain_csv_gives_canonical_incidents_in_utc(tmp_path: Path) -> None:
    result = read_incidents(_write(tmp_path, "a.csv", CSV), _options())

    assert result.incidents.schema == pl.Schema(INCIDENT_SCHEMA)
    assert result.incidents["occurred_at"].to_list() == [
        datetime(2024, 5, 1, 8, 0, tzinfo=UTC),  # CEST is UTC+2
        datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
    ]
    assert result.incidents["zone"].to_list() == ["5339", "5340"]
    assert result.rows_read == 2
    assert result.rejects.is_empty()


def test_gzip_csv_reads_like_the_plain_file_even_without_gz_extension(tmp_path: Path) -> None:
    plain = read_incidents(_write(tmp_path, "a.csv", CSV), _options())
    zipped = read_incidents(_write(tmp_path, "b.csv.gz", gzip.compress(CSV.encode())), _options())
    disguised = read_incidents(_write(tmp_path, "c.csv", gzip.compress(CSV.encode())), _options())

    assert zipped.incidents.drop("incident_id").equals(plain.incidents.drop("incident_id"))
    assert disguised.incidents.drop("incident_id").equals(plain.incidents.drop("incident_id"))


def test_tsv_is_read_with_tabs(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.tsv", CSV.replace(",", "\t"))

    assert read_incidents(path, _options()).incidents["zone"].to_list() == ["5339", "5340"]


def test_a_belgian_spreadsheet_export_reads_without_options(tmp_path: Path) -> None:
    # ';' between fields, decimal commas, day-first dates, date and time in two columns
    content = "datum;uur;zone;lat;lon\n31/12/2024;23:30;5339;50,8466;4,3528\n"
    path = _write(tmp_path, "export.csv", content)
    result = read_incidents(path, _options("time=datum+uur,zone=zone,lat=lat,lon=lon"))

    row = result.incidents.row(0, named=True)
    assert row["occurred_at"] == datetime(2024, 12, 31, 22, 30, tzinfo=UTC)
    assert (row["zone"], row["lat"], row["lon"]) == ("5339", 50.8466, 4.3528)
    assert result.notes["separator_semicolon"] == 1 and result.rejects.is_empty()


@pytest.mark.parametrize(
    ("header", "separator"),
    [("a,b;c", ","), ('"x;y";"z";w', ";"), ("a\tb\tc", "\t"), ("a|b|c", "|"), ("a", ",")],
)
def test_the_separator_is_the_one_that_splits_the_header_most(header: str, separator: str) -> None:
    assert sniff_separator(f"{header}\n1,2,3\n".encode()) == separator


def test_crlf_line_endings_and_a_utf8_bom_are_harmless(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv", b"\xef\xbb\xbf" + CSV.replace("\n", "\r\n").encode())

    result = read_incidents(path, _options())

    assert result.incidents["zone"].to_list() == ["5339", "5340"]
    assert result.rejects.is_empty()


def test_parquet_with_typed_times_reads_like_csv(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    pl.DataFrame(
        {
            "naive": [datetime(2024, 5, 1, 10, 0)],
            "aware": [datetime(2024, 5, 1, 8, 0, tzinfo=UTC)],
            "day": [date(2024, 5, 1)],
            "zone": [5339],
        }
    ).write_parquet(path)

    naive = read_incidents(path, _options("time=naive,zone=zone")).incidents
    aware = read_incidents(path, _options("time=aware,zone=zone")).incidents
    day = read_incidents(path, _options("time=day,zone=zone")).incidents

    assert naive["occurred_at"][0] == aware["occurred_at"][0] == datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert day["time_resolution"][0] == "day"
    assert naive["zone"][0] == "5339"
    assert naive["incident_id"][0] == "test:1"  # Parquet rows count from 1: no header line


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no file at .*nowhere.csv"):
        read_incidents(tmp_path / "nowhere.csv", _options())


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="is a directory"):
        read_incidents(tmp_path, _options())


def test_an_unknown_extension_lists_the_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"'.xlsx'.*\.csv, \.csv\.gz, \.tsv or \.parquet"):
        read_incidents(_write(tmp_path, "a.xlsx", CSV), _options())


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_an_empty_file_asks_for_a_header(tmp_path: Path, content: str) -> None:
    with pytest.raises(FileFormatError, match="is empty; a CSV needs a header line"):
        read_incidents(_write(tmp_path, "a.csv", content), _options())


def test_a_header_only_file_imports_nothing_without_error(tmp_path: Path) -> None:
    result = read_incidents(_write(tmp_path, "a.csv", "when,what,zone\n"), _options())

    assert result.rows_read == 0
    assert result.incidents.is_empty()
    assert result.incidents.schema == pl.Schema(INCIDENT_SCHEMA)
    assert result.rejects.columns == ["line", "reason", "detail", "when", "what", "zone"]


def test_a_missing_mapped_column_is_named_with_the_files_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv", CSV)

    with pytest.raises(
        MappingError, match=r"no column\(s\) \['beat'\].*\['when', 'what', 'zone'\]"
    ):
        read_incidents(path, _options("time=when,zone=beat"))


def test_a_corrupt_gzip_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv.gz", gzip.compress(CSV.encode())[:20])

    with pytest.raises(FileFormatError, match="cannot be decompressed"):
        read_incidents(path, _options())


def test_a_parquet_file_that_is_not_parquet_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="cannot read .* as Parquet"):
        read_incidents(_write(tmp_path, "a.parquet", CSV), _options())


def test_ragged_rows_are_rejected_and_the_rest_imported(tmp_path: Path) -> None:
    content = (
        "when,what,zone\n"
        "2024-05-01 10:00,theft,5339\n"
        "2024-05-01 10:05,theft\n"  # too few
        '2024-05-01 10:10,"theft, bicycle",5339\n'  # quoted comma: fine
        "2024-05-01 10:15,theft,5339,extra\n"  # too many
        "2024-05-01 10:20,theft,\n"  # empty last field: fine
    )

    result = read_incidents(_write(tmp_path, "a.csv", content), _options())

    assert result.rejects["line"].to_list() == [3, 5]
    assert result.reasons == {"ragged_row": 2}
    assert result.rejects["detail"].to_list() == [
        "2 fields, the header has 3",
        "4 fields, the header has 3",
    ]
    assert result.incidents["incident_id"].to_list() == ["test:2", "test:4", "test:6"]


def test_a_quoted_line_break_keeps_long_rows_checked_and_notes_short_rows_unchecked(
    tmp_path: Path,
) -> None:
    content = (
        "when,what,zone\n"
        '2024-05-01 10:00,"theft,\nbicycle",5339\n'
        "2024-05-01 10:15,theft,5339,extra\n"
        "2024-05-01 10:20,theft\n"
    )

    result = read_incidents(_write(tmp_path, "a.csv", content), _options())

    assert result.reasons == {"ragged_row": 1}
    assert result.rejects["detail"].to_list() == ["more fields than the header's 3"]
    assert result.incidents["incident_id"].to_list() == ["test:2", "test:4"]  # records, not lines
    assert result.notes["short_rows_unchecked"] == 1


def test_cp1252_text_is_decoded_and_the_fallback_noted(tmp_path: Path) -> None:
    content = "when,what,zone\n2024-05-01 10:00,vol à l'étalage,5339\n".encode("cp1252")

    options = _options("time=when,zone=zone,category=what")

    result = read_incidents(_write(tmp_path, "a.csv", content), options)

    assert result.incidents["source_category"].to_list() == ["vol à l'étalage"]
    assert result.notes["encoding_fallback_cp1252"] == 1
    assert result.notes["first_non_utf8_byte"] == content.index(b"\xe0")


def test_bytes_cp1252_lacks_fall_back_to_latin1(tmp_path: Path) -> None:
    content = b"when,what,zone\n2024-05-01 10:00,x\x81y,5339\n"  # 0x81 is not cp1252

    result = read_incidents(_write(tmp_path, "a.csv", content), _options())

    assert result.notes["encoding_fallback_latin-1"] == 1
    assert result.incidents.height == 1


def test_null_values_read_as_missing(tmp_path: Path) -> None:
    content = "when,what,zone\n2024-05-01 10:00,theft,NULL\nNULL,theft,5339\n"

    result = read_incidents(
        _write(tmp_path, "a.csv", content), _options(null_values=frozenset({"NULL"}))
    )

    assert result.incidents["zone"].to_list() == [None]
    assert result.reasons == {"missing_time": 1}


def test_a_time_column_that_never_parses_asks_for_a_format(tmp_path: Path) -> None:
    content = "when,what,zone\n01.05.2024 10h00,theft,5339\n"

    with pytest.raises(InputError, match=r"'01.05.2024 10h00'.*time_format \(--time-format\)"):
        read_incidents(_write(tmp_path, "a.csv", content), _options())
