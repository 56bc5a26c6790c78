"""The corpus of bad files in tests/data, each named for its fault: a clear typed error naming the
file, the row and the reason, and nothing left behind in the staging folder."""

from __future__ import annotations

import gzip
import time

import duckdb
import pytest

from scobank.config import reset_settings
from scobank.errors import BadFile, IngestRejected, TooLarge, UnsupportedFormat
from scobank.ingest.pipeline import stage_file
from tests.conftest import TESTDATA


def stage(bank, path, **options):
    with bank.session() as session:
        return stage_file(session, source=path, **options)


def staging_is_empty(bank) -> bool:
    staging = bank.home / "staging"
    return not staging.exists() or not any(staging.iterdir())


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("empty.csv", "table", "empty.csv: the file is empty"),
        ("binary_garbage.csv", "table", "binary_garbage.csv: this is binary data, not a text table"),
        ("truncated.csv.gz", "trade", "truncated.csv.gz: the file is truncated"),
        ("ragged_rows.csv", "trade", "ragged_rows.csv, row 2: ragged row: fewer values than the header has columns"),
        ("wrong_encoding.csv", "table", "wrong_encoding.csv, row 2: not UTF-8 text, though earlier rows are UTF-8"),
        ("header_only.csv", "trade", "header_only.csv: the file has a header but no data rows"),
    ],
)
def test_an_unreadable_file_is_a_bad_file_naming_file_row_and_reason(bank, name, kind, message):
    with pytest.raises(BadFile) as caught:
        stage(bank, TESTDATA / name, kind=kind)
    assert caught.value.message.startswith(message), caught.value.message
    assert staging_is_empty(bank)


def test_the_re_read_that_names_the_row_has_a_time_budget(bank, monkeypatch, tmp_path):
    """DuckDB's reject store was seen to hang on a bad row far into a file: past its budget the re-read
    is interrupted and the file is still refused, named, with the parser's reason (only the row is lost)."""
    from scobank.ingest.readers import csv as csv_reader

    path = tmp_path / "late_ragged_row.csv"
    path.write_bytes(b"a,b,c\n" + b"1,2,3\n" * 1_000_000 + b"1,2\n")
    monkeypatch.setattr(csv_reader, "explain_seconds", lambda _path: 0.01)
    with pytest.raises(BadFile) as caught:
        stage(bank, path, kind="table")
    assert caught.value.message.startswith("late_ragged_row.csv: the file cannot be parsed as CSV: "), \
        caught.value.message
    monkeypatch.undo()
    with pytest.raises(BadFile, match=r"late_ragged_row.csv, row 1000001: ragged row"):  # within its budget
        stage(bank, path, kind="table")
    assert staging_is_empty(bank)


def test_a_file_over_the_upload_limit_is_refused_before_reading(bank, monkeypatch):
    monkeypatch.setenv("SCOBANK_MAX_UPLOAD_BYTES", "50")
    reset_settings()
    with pytest.raises(TooLarge) as caught:
        stage(bank, TESTDATA / "unknown_hs_code.csv", kind="trade")
    assert caught.value.message == ("unknown_hs_code.csv: 95 bytes is over the upload limit of 50 bytes "
                                    "(SCOBANK_MAX_UPLOAD_BYTES)")
    assert staging_is_empty(bank)


def test_a_single_line_longer_than_the_limit_is_a_bad_file(bank, monkeypatch, tmp_path):
    monkeypatch.setenv("SCOBANK_MAX_LINE_BYTES", str(1 << 20))
    reset_settings()
    path = tmp_path / "one_huge_line.csv"
    with path.open("w") as out:
        out.write("t,i,j,k,v,q\n2020,4,24,300431,0.198,0.001\n2020,4,24,")
        out.write("9" * (3 << 20))
        out.write(",1,1\n2020,4,36,71120,0.729,0.308\n")
    with pytest.raises(BadFile) as caught:
        stage(bank, path, kind="trade")
    assert caught.value.message == ("one_huge_line.csv, row 2 (line 3): the line is 3,145,742 bytes, over the "
                                    "limit of 1,048,576 bytes (SCOBANK_MAX_LINE_BYTES)")
    assert staging_is_empty(bank)


def test_a_huge_compressed_line_is_caught_too(bank, monkeypatch, tmp_path):
    monkeypatch.setenv("SCOBANK_MAX_LINE_BYTES", str(1 << 20))
    reset_settings()
    path = tmp_path / "huge_line.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n1," + b"x" * (2 << 20) + b"\n"))
    with pytest.raises(BadFile, match=r"huge_line.csv.gz, row 1 \(line 2\): the line is 2,097,154 bytes, over the limit"):
        stage(bank, path, kind="table")


def test_a_format_the_bank_does_not_read_names_the_formats_tried(bank, tmp_path):
    path = tmp_path / "figures.bin"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(UnsupportedFormat) as caught:
        stage(bank, path)
    assert caught.value.message.startswith("figures.bin: not a format the bank reads (tried Parquet, spreadsheets")


@pytest.mark.parametrize(
    ("name", "flat"),
    [
        ("unknown_hs_code.csv", [(2, "k", "999999", "bad-hs-code", "HS code '999999' does not exist in HS92")]),
        ("negative_value.csv", [(2, "v", "-27.902", "negative-value", "the value -27.902 is negative")]),
        ("duplicate_key.csv", [(3, None, "2020, AFG, AGO, 300431", "duplicate-key",
                                "the key (t, i, j, k) = (2020, AFG, AGO, 300431) repeats row 1")]),
        ("missing_required_column.csv", [(None, "v", None, "missing-column",
                                          "required column 'v' of BACI (t, i, j, k, v, q) is missing")]),
    ],
)
def test_bad_rows_are_rejected_with_the_whole_report(bank, name, flat):
    with pytest.raises(IngestRejected) as caught:
        stage(bank, TESTDATA / name, kind="trade")
    report = caught.value.report
    assert report.flatten("row", "column", "value", "code", "message") == flat
    assert report.file == name and report.rows_accepted == 0
    assert caught.value.message.endswith("1 problem; nothing was written")
    assert staging_is_empty(bank)


def test_skip_rows_leaves_bad_rows_out_and_lists_them(bank):
    staged = stage(bank, TESTDATA / "negative_value.csv", kind="trade", on_error="skip-rows")
    assert (staged.row_count, staged.report.rows_read, staged.report.rows_accepted) == (2, 3, 2)
    assert staged.report.flatten("row", "code") == [(2, "negative-value")]
    kept = duckdb.connect().read_parquet(str(staged.parquet_path)).query("t", "SELECT importer FROM t").fetchall()
    assert kept == [("AGO",), ("ARG",)]


def test_a_small_gzip_that_unpacks_to_a_huge_file_is_too_large(bank, monkeypatch, tmp_path):
    monkeypatch.setenv("SCOBANK_MAX_UPLOAD_BYTES", "2000")
    reset_settings()
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n" + b"1,2\n" * 600))  # 2,404 bytes unpacked
    assert path.stat().st_size < 2000
    with pytest.raises(TooLarge, match=r"bomb.csv.gz: unpacks to more than 2,000 bytes \(the upload limit"):
        stage(bank, path)
    assert staging_is_empty(bank)


def test_a_gzip_json_that_unpacks_past_the_upload_limit_is_too_large(bank, monkeypatch, tmp_path):
    monkeypatch.setenv("SCOBANK_MAX_UPLOAD_BYTES", "2000")
    reset_settings()
    path = tmp_path / "bomb.ndjson.gz"
    path.write_bytes(gzip.compress(b'{"a": 1, "b": 2}\n' * 200))  # 3,400 bytes unpacked
    assert path.stat().st_size < 2000
    with pytest.raises(TooLarge, match=r"bomb.ndjson.gz: unpacks to more than 2,000 bytes"):
        stage(bank, path)
    assert staging_is_empty(bank)


def test_a_60_mb_line_is_read_under_the_default_limit_and_refused_with_its_size_over_a_lower_one(
        bank, monkeypatch, tmp_path):
    path = tmp_path / "one_60mb_line.csv"
    with path.open("wb") as out:
        out.write(b"id,text\n1,short\n2,")
        out.write(b"y" * (60 << 20))
        out.write(b"\n3,after\n")
    with bank.session() as session:
        staged = stage_file(session, source=path, kind="table")
    lengths = duckdb.connect().read_parquet(str(staged.parquet_path)).query(
        "t", "SELECT id, length(text) FROM t ORDER BY id").fetchall()
    assert lengths == [(1, 5), (2, 60 << 20), (3, 5)]
    monkeypatch.setenv("SCOBANK_MAX_LINE_BYTES", str(50 << 20))
    reset_settings()
    with pytest.raises(BadFile) as caught:
        stage(bank, path, kind="table")
    assert caught.value.message == ("one_60mb_line.csv, row 2 (line 3): the line is 62,914,562 bytes, over the "
                                    "limit of 52,428,800 bytes (SCOBANK_MAX_LINE_BYTES)")


@pytest.mark.parametrize("first_line", [b"x" * (4 << 20), b"y" * (4 << 20) + b",b"], ids=["one-cell", "two-cells"])
def test_a_file_whose_first_line_is_megabytes_long_is_refused_at_once_as_no_header(bank, tmp_path, first_line):
    # A file of one huge line (a dump without line breaks): its "header" is megabytes long; before, building
    # the column checks over that name took minutes (a 60 MB line did not finish in 300 s).
    path = tmp_path / "one_line.csv"
    path.write_bytes(first_line + b"\n")
    start = time.monotonic()
    with pytest.raises(BadFile) as caught:
        stage(bank, path, kind="table")
    assert caught.value.message == (f"one_line.csv: row 1, column 1: the header cell is {4 << 20:,} characters "
                                    "long (a column name may have at most 1,000); is the first line data, or "
                                    "the file not a table?")
    assert time.monotonic() - start < 60
    assert staging_is_empty(bank)


@pytest.mark.parametrize("size", [1 << 20, 2 << 20], ids=["1-MiB", "2-MiB"])
def test_a_file_of_one_line_without_breaks_is_not_called_empty(bank, tmp_path, size):
    path = tmp_path / "no_breaks.csv"
    path.write_bytes(b"z" * size)  # before: 1 MiB was "the file is empty"
    with pytest.raises(BadFile) as caught:
        stage(bank, path, kind="table")
    assert caught.value.message.startswith("no_breaks.csv: row 1") and "empty" not in caught.value.message
    assert "line break" in caught.value.message or "header cell is" in caught.value.message
    assert staging_is_empty(bank)
