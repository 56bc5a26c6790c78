"""A clean BACI file is parsed, checked and written in one pass (`scobank.ingest.direct`); anything the
one pass does not accept goes the full path, which names row, column and reason. These files mirror
CEPII's BACI layout (t,i,j,k,v,q; CEPII country codes; k without its leading zero; v in thousand USD)."""

from __future__ import annotations

import duckdb
import pytest

from scobank.errors import BadFile, IngestRejected
from scobank.ingest.pipeline import stage_file

HEADER = "t,i,j,k,v,q\n"
CLEAN = ("2020,4,24,10121,1.5,2\n"  # AFG -> AGO, 010121
         "2020,4,31,851712,27.902,\n"  # AZE, no quantity
         "2020,398,643,270900,1000.25,3.5\n")  # KAZ -> RUS


def stage(bank, path, **options):
    with bank.session() as session:
        return stage_file(session, source=path, kind="trade", hs_revision="HS17", **options)


def rows(staged) -> list[tuple]:
    return duckdb.connect().execute("SELECT * FROM read_parquet($p)", {"p": str(staged.parquet_path)}).fetchall()


def types(staged) -> list[tuple]:
    return duckdb.connect().execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($p))",
                                    {"p": str(staged.parquet_path)}).fetchall()


def test_a_clean_file_holds_the_same_rows_and_types_as_the_full_path_writes(bank, tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_text(HEADER + CLEAN)
    # The same rows and one negative value: the full path runs and, under skip-rows, leaves that row out.
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(HEADER + CLEAN + "2020,4,32,71120,-0.164,\n")
    direct, full = stage(bank, clean), stage(bank, mixed, on_error="skip-rows")
    assert full.report.flatten("row", "code") == [(4, "negative-value")]
    assert rows(direct) == rows(full) == [
        (2020, "AFG", "AGO", "010121", "HS17", 1500.0, 2.0, "t"),
        (2020, "AFG", "AZE", "851712", "HS17", 27902.0, None, "t"),
        (2020, "KAZ", "RUS", "270900", "HS17", 1000250.0, 3.5, "t"),
    ]
    assert types(direct) == types(full) == [
        ("year", "INTEGER"), ("exporter", "VARCHAR"), ("importer", "VARCHAR"), ("product", "VARCHAR"),
        ("hs_revision", "VARCHAR"), ("value_usd", "DOUBLE"), ("quantity", "DOUBLE"), ("unit", "VARCHAR")]
    assert (direct.row_count, direct.report.rows_read, direct.report.rows_accepted) == (3, 3, 3)


def test_a_clean_file_never_reaches_the_full_path(bank, tmp_path, monkeypatch):
    """The one pass writes a clean file by itself: the full path's row checks are never asked."""
    def full_path(*_args, **_kwargs):
        raise AssertionError("the full path ran for a clean file")

    monkeypatch.setattr("scobank.ingest.trade_stage.run_checks", full_path)
    path = tmp_path / "clean.csv"
    path.write_text(HEADER + CLEAN)
    assert [r[:4] for r in rows(stage(bank, path))] == [(2020, "AFG", "AGO", "010121"), (2020, "AFG", "AZE", "851712"),
                                                       (2020, "KAZ", "RUS", "270900")]


def test_a_world_row_is_counted_and_left_out_as_the_full_path_does(bank, tmp_path):
    """BACI code 0 is World: no country, so the one pass hands the file on, and the World row is
    counted, not reported, and not written."""
    path = tmp_path / "world.csv"
    path.write_text(HEADER + CLEAN + "2020,0,24,851712,9.0,1\n")
    staged = stage(bank, path)
    assert staged.report.problems_total == 0
    assert staged.report.aggregate_rows == {"world": 1}
    assert [r[:4] for r in rows(staged)] == [(2020, "AFG", "AGO", "010121"), (2020, "AFG", "AZE", "851712"),
                                             (2020, "KAZ", "RUS", "270900")]


def test_two_baci_codes_of_one_country_make_a_repeated_key(bank, tmp_path):
    """Italy is 381 in older BACI releases and 380 in newer ones: both are ITA, so the key repeats."""
    path = tmp_path / "italy.csv"
    path.write_text(HEADER + "2020,380,4,851712,1.0,1\n2020,381,4,851712,2.0,1\n")
    with pytest.raises(IngestRejected) as caught:
        stage(bank, path)
    assert caught.value.report.flatten("row", "code", "message") == [
        (2, "duplicate-key", "the key (t, i, j, k) = (2020, ITA, AFG, 851712) repeats row 1")]


@pytest.mark.parametrize(
    ("line", "flat"),
    [
        ("1850,4,24,851712,1.0,1", [(2, "t", "bad-year", "year 1850 is outside 1900-")]),
        ("2020,4,24,0101,1.0,1", [(2, "k", "bad-hs-code", "HS code '000101' does not exist in HS17")]),
        ("2020,4,24,8517120,1.0,1", [(2, "k", "bad-hs-code", "HS code '8517120' does not exist in HS17")]),
        # Spellings an integer parse of k would take as 10121 (hence k is read as text, digits only).
        ("2020,4,24,0010121,1.0,1", [(2, "k", "bad-hs-code", "HS code '0010121' does not exist in HS17")]),
        ("2020,4,24,+10121,1.0,1", [(2, "k", "bad-hs-code", "HS code '+10121' does not exist in HS17")]),
        ("2020,4,24,10_121,1.0,1", [(2, "k", "bad-hs-code", "HS code '10_121' does not exist in HS17")]),
        ("2020,4,24,1.0121e4,1.0,1", [(2, "k", "bad-hs-code", "HS code '1.0121e4' does not exist in HS17")]),
        ("2020,4,24,851712,inf,1", [(2, "v", "bad-type", "'inf' is not a number")]),
        ("2020,4,24,851712,1.0,-3", [(2, "q", "negative-value", "the quantity -3.0 is negative")]),
        ("2020,4,998,851712,1.0,1", [(2, "j", "bad-country-code", "'998' is not a known country code")]),
    ],
)
def test_a_row_the_one_pass_refuses_is_named_by_the_full_path(bank, tmp_path, line, flat):
    path = tmp_path / "one_bad_row.csv"
    path.write_text(HEADER + "2020,4,31,851712,27.902,\n" + line + "\n")
    with pytest.raises(IngestRejected) as caught:
        stage(bank, path)
    found = caught.value.report.flatten("row", "column", "code", "message")
    assert [(r, c, k) for r, c, k, _ in found] == [(r, c, k) for r, c, k, _ in flat]
    assert all(message.startswith(expected) for (*_, message), (*_, expected) in zip(found, flat, strict=True))


def test_codes_with_spaces_or_their_leading_zero_read_as_the_full_path_reads_them(bank, tmp_path):
    """A code with a trailing space is trimmed; 010121 as other tools write it stays 010121; "NA" as a
    quantity (older BACI releases) is empty and sends the file the full way, which reads it the same."""
    path = tmp_path / "spaces.csv"
    path.write_text(HEADER + "2020,4,24,010121,1.5,\n2020,4,31,851712 ,2,\n")
    assert [r[3:7] for r in rows(stage(bank, path))] == [("010121", "HS17", 1500.0, None),
                                                         ("851712", "HS17", 2000.0, None)]
    path.write_text(HEADER + "2020,4,24,010121,1.5,NA\n2020,4,31,851712 ,2,\n")
    assert [r[3:7] for r in rows(stage(bank, path))] == [("010121", "HS17", 1500.0, None),
                                                         ("851712", "HS17", 2000.0, None)]


def test_bad_bytes_far_into_the_file_win_over_the_checks(bank, tmp_path):
    """The whole-file scan runs beside the parse: its error is the one reported, with its row, even
    though this file also repeats its key on every row (detection reads only the first MiB)."""
    path = tmp_path / "late_bad_bytes.csv"
    with path.open("wb") as out:
        out.write(HEADER.encode() + b"2020,4,24,851712,1.0,1\n" * 60_000 + b"2020,4,24,851712,\xff\xfe,1\n")
    with pytest.raises(BadFile) as caught:
        stage(bank, path)
    assert caught.value.message.startswith("late_bad_bytes.csv, row 60001: bytes that are not valid utf-8 text")
