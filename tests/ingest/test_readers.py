"""Every format the bank reads arrives as the same typed table: CSV in any of the encodings stewards
send (UTF-8, UTF-8 with BOM, cp1251, GB18030), TSV, gzip, XLSX, JSON, NDJSON and Parquet."""

from __future__ import annotations

import gzip
import json

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scobank.ingest.pipeline import stage_file
from tests.conftest import TESTDATA


def stage(bank, path, **options):
    with bank.session() as session:
        return stage_file(session, source=path, **options)


def rows(staged) -> list[tuple]:
    return duckdb.connect().read_parquet(str(staged.parquet_path)).query("t", "SELECT * FROM t").fetchall()


def fields(staged) -> list[tuple[str, str]]:
    return [(f["name"], f["type"]) for f in staged.table_schema["fields"]]


def test_a_cp1251_file_is_read_with_its_cyrillic_text(bank):
    staged = stage(bank, TESTDATA / "cp1251.csv")
    assert fields(staged) == [("страна", "string"), ("год", "integer"), ("экспорт", "number")]
    assert rows(staged) == [("Казахстан", 2020, 1.5), ("Кыргызстан", 2021, 2.25), ("Россия", 2022, 3.0)]


def test_a_gb18030_file_is_read_with_its_chinese_text(bank):
    staged = stage(bank, TESTDATA / "gb18030.csv")
    assert fields(staged) == [("国家", "string"), ("年份", "integer"), ("出口", "number")]
    assert rows(staged) == [("哈萨克斯坦", 2020, 1.5), ("吉尔吉斯斯坦", 2021, 2.25), ("中国", 2022, 3.0)]


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column_name(bank):
    staged = stage(bank, TESTDATA / "utf8_bom.csv")
    assert fields(staged) == [("страна", "string"), ("год", "integer")]
    assert rows(staged) == [("Казахстан", 2020)]


def test_tsv_and_gzip_are_detected_from_the_content(bank, tmp_path):
    path = tmp_path / "flows.tsv.gz"
    path.write_bytes(gzip.compress(b"code\tvalue\n0101\t1.5\n0203\t2\n"))
    staged = stage(bank, path)
    assert fields(staged) == [("code", "string"), ("value", "number")]
    assert rows(staged) == [("0101", 1.5), ("0203", 2.0)]


def test_a_semicolon_csv_with_quoted_delimiters(bank, tmp_path):
    path = tmp_path / "names.csv"
    path.write_text('name;note\n"Smith; John";"said ""hi"""\nLee;\n')
    assert rows(stage(bank, path)) == [("Smith; John", 'said "hi"'), ("Lee", None)]


def test_an_excel_workbook_first_sheet(bank, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["year", "country", "value"])
    sheet.append([2020, "KAZ", 1.5])
    sheet.append([2021, "UZB", 2])
    path = tmp_path / "macro.xlsx"
    book.save(path)
    staged = stage(bank, path)
    assert fields(staged) == [("year", "integer"), ("country", "string"), ("value", "number")]
    assert rows(staged) == [(2020, "KAZ", 1.5), (2021, "UZB", 2.0)]


def test_json_array_and_ndjson(bank, tmp_path):
    records = [{"year": 2020, "iso3": "KAZ", "gdp": 171.1}, {"year": 2021, "iso3": "KGZ", "gdp": 9.4}]
    (tmp_path / "gdp.json").write_text(json.dumps(records))
    (tmp_path / "gdp.ndjson").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    for name in ("gdp.json", "gdp.ndjson"):
        staged = stage(bank, tmp_path / name)
        assert fields(staged) == [("year", "integer"), ("iso3", "string"), ("gdp", "number")]
        assert rows(staged) == [(2020, "KAZ", 171.1), (2021, "KGZ", 9.4)]


def test_parquet_is_read_by_its_magic_bytes(bank, tmp_path):
    path = tmp_path / "upload-7f3a"  # an upload saved without its name
    pq.write_table(pa.table({"hs6": ["010121", "020110"], "tariff": [5.0, 12.5]}), path)
    staged = stage(bank, path, source_name="tariffs.parquet")
    assert staged.source_name == "tariffs.parquet"
    assert rows(staged) == [("010121", 5.0), ("020110", 12.5)]


def test_a_json_file_that_is_not_an_array_is_a_bad_file(bank, tmp_path):
    from scobank.errors import BadFile

    path = tmp_path / "one.json"
    path.write_text('{"a": 1}')
    with pytest.raises(BadFile, match=r"one.json: expected a JSON array of objects"):
        stage(bank, path)
