"""Generic tables: types inferred from whole columns (codes stay text), or a declared Table Schema
whose types, country and HS codes, constraints and primary key are checked row by row."""

from __future__ import annotations

import duckdb
import pytest

from scobank.errors import BadRequest, IngestRejected
from scobank.ingest.pipeline import stage_file

SCHEMA = {
    "fields": [
        {"name": "country", "type": "string", "codes": "country", "description": "Reporting country"},
        {"name": "year", "type": "integer"},
        {"name": "hs6", "type": "string", "codes": "hs"},
        {"name": "tariff", "type": "number", "unit": "%", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "since", "type": "date"},
    ],
    "primaryKey": ["country", "year", "hs6"],
}


def stage(bank, path, **options):
    with bank.session() as session:
        return stage_file(session, source=path, **options)


def rows(staged) -> list[tuple]:
    return duckdb.connect().read_parquet(str(staged.parquet_path)).query("t", "SELECT * FROM t").fetchall()


def test_inferred_types_keep_codes_and_padded_numbers_as_text(bank, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("iso_code,hs6,year,share,flag,day,note\n"
                    "004,010121,2020,0.5,true,2020-01-31,a\n"
                    "156,020110,2021,1,false,2021-12-01,\n")
    staged = stage(bank, path)
    assert [(f["name"], f["type"]) for f in staged.table_schema["fields"]] == [
        ("iso_code", "string"), ("hs6", "string"), ("year", "integer"), ("share", "number"),
        ("flag", "boolean"), ("day", "date"), ("note", "string")]
    assert staged.table_schema["primaryKey"] == []
    import datetime as dt

    assert rows(staged) == [("004", "010121", 2020, 0.5, True, dt.date(2020, 1, 31), "a"),
                            ("156", "020110", 2021, 1.0, False, dt.date(2021, 12, 1), None)]


def test_a_declared_schema_checks_every_row_and_reports_them_all(bank, tmp_path):
    path = tmp_path / "tariffs.csv"
    path.write_text("country,year,hs6,tariff,since\n"
                    "Kazakhstan,2022,10121,5,2022-01-01\n"      # name -> KAZ, 10121 -> 010121
                    "KG,2022,010121,-1,2022-01-01\n"            # negative tariff
                    "Narnia,2022.5,999999,101,yesterday\n"      # four problems and one more
                    "KAZ,2022,010121,7.5,2022-02-01\n")         # repeats row 1's key
    with pytest.raises(IngestRejected) as caught:
        stage(bank, path, schema=SCHEMA, hs_revision="HS17")
    assert caught.value.report.flatten("row", "column", "value", "code") == [
        (2, "tariff", "-1", "negative-value"),
        (3, "country", "Narnia", "bad-country-code"),
        (3, "year", "2022.5", "bad-type"),
        (3, "hs6", "999999", "bad-hs-code"),
        (3, "tariff", "101", "above-maximum"),
        (3, "since", "yesterday", "bad-type"),
        (4, None, "KAZ, 2022, 010121", "duplicate-key"),
    ]


def test_skip_rows_keeps_the_good_rows_with_iso3_and_restored_codes(bank, tmp_path):
    path = tmp_path / "tariffs.csv"
    path.write_text("country,year,hs6,tariff,since\n"
                    "Казахстан,2022,10121,5,2022-01-01\n"
                    "398,2022,020110,-1,2022-01-01\n"
                    "CN,2023,020110,12.5,\n")
    staged = stage(bank, path, schema=SCHEMA, hs_revision="HS17", on_error="skip-rows")
    import datetime as dt

    assert rows(staged) == [("KAZ", 2022, "010121", 5.0, dt.date(2022, 1, 1)),
                            ("CHN", 2023, "020110", 12.5, None)]
    assert (staged.report.rows_read, staged.report.rows_accepted) == (3, 2)
    fields = staged.table_schema["fields"]
    assert fields[3] == {"name": "tariff", "type": "number", "unit": "%",
                         "constraints": {"minimum": 0, "maximum": 100}}
    assert fields[2]["hsRevision"] == "HS17"
    assert staged.table_schema["primaryKey"] == ["country", "year", "hs6"]


def test_a_declared_column_missing_from_the_file_rejects_it(bank, tmp_path):
    path = tmp_path / "tariffs.csv"
    path.write_text("country,year,tariff,since\nKAZ,2022,5,2022-01-01\n")
    with pytest.raises(IngestRejected) as caught:
        stage(bank, path, schema=SCHEMA, hs_revision="HS17", on_error="skip-rows")
    assert caught.value.report.flatten("column", "code", "message") == [
        ("hs6", "missing-column", "required column 'hs6' of the schema is missing")]


def test_hs_codes_need_a_revision_and_a_schema_needs_known_types(bank, tmp_path):
    path = tmp_path / "tariffs.csv"
    path.write_text("country,year,hs6,tariff,since\nKAZ,2022,010121,5,2022-01-01\n")
    with pytest.raises(BadRequest, match="state their revision"):
        stage(bank, path, schema=SCHEMA)
    with pytest.raises(BadRequest, match="type 'money' is not one of"):
        stage(bank, path, schema={"fields": [{"name": "tariff", "type": "money"}]})


def test_a_schema_renames_and_drops_columns_and_reports_problems_under_the_files_names(bank, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("Item,Price (USD),note\nA,12,x\nB,12.5,y\nC,7,z\n")
    schema = {"fields": [{"name": "item", "column": "Item", "type": "string"},
                         {"name": "price_usd", "column": "Price (USD)", "type": "integer"},
                         {"name": "note", "drop": True}], "primaryKey": ["item"]}
    with pytest.raises(IngestRejected) as caught:
        stage(bank, path, schema=schema)
    assert caught.value.report.flatten("row", "column", "value", "code") == [
        (2, "Price (USD)", "12.5", "bad-type")]
    staged = stage(bank, path, schema=schema, on_error="skip-rows")
    assert staged.table_schema == {"fields": [{"name": "item", "type": "string"},
                                              {"name": "price_usd", "type": "integer"}], "primaryKey": ["item"]}
    assert rows(staged) == [("A", 12), ("C", 7)]


def test_renamed_columns_may_not_collide_and_the_key_may_not_be_dropped(bank, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("item,price,note\nA,12,x\n")
    with pytest.raises(BadRequest, match="two columns would be stored as 'note'"):
        stage(bank, path, schema={"fields": [{"name": "note", "column": "price"}]})
    with pytest.raises(BadRequest, match="'item' is part of the key"):
        stage(bank, path, schema={"fields": [{"name": "item", "drop": True}], "primaryKey": ["item"]})
    with pytest.raises(BadRequest, match="drops every column"):
        stage(bank, path, schema={"fields": [{"name": c, "drop": True} for c in ("item", "price", "note")]})
