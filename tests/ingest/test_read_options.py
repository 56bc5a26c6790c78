"""Overrides a steward gives where detection cannot tell (`--encoding ... --na`), and what
`ingest-check --json` shows of the detection: the file's columns with their types and misfits."""

from __future__ import annotations

import json

import duckdb

import pytest

from scobank.errors import BadRequest, IngestRejected
from scobank.ingest.options import ReadOptions, from_text
from scobank.ingest.pipeline import stage_file
from tests.conftest import TESTDATA

CORPUS = TESTDATA / "national"


def test_json_report_has_the_detected_dialect_and_every_column_with_its_misfits(bank):
    result = bank.cli("ingest-check", CORPUS / "year_typo.csv", "--json")
    assert result.exit_code == 5
    report = json.loads(result.stdout)
    assert report["detected"]["delimiter"]["value"] == ";" and report["detected"]["header_rows"] == [1]
    assert report["columns"] == [
        {"name": "year", "type": "integer", "values": 11, "not_fitting": 1, "missing_markers": 0},
        {"name": "region", "type": "string", "values": 11, "not_fitting": 0, "missing_markers": 0},
        {"name": "value", "type": "number", "values": 11, "not_fitting": 0, "missing_markers": 0, "decimal": ","},
    ]
    assert [(p["row"], p["column"], p["value"], p["code"]) for p in report["problems"]] == [
        (9, "year", "2O07", "bad-type"), (10, "year", "1066", "bad-year")]


def test_abort_rejects_a_file_whose_year_column_has_a_typo(bank):
    with bank.session() as session, pytest.raises(IngestRejected) as caught:
        stage_file(session, source=CORPUS / "year_typo.csv", on_error="abort")
    assert caught.value.report.flatten("row", "column", "code") == [(9, "year", "bad-type"), (10, "year", "bad-year")]


def test_the_terminal_report_names_encoding_delimiter_header_and_column_types(bank):
    result = bank.cli("ingest-check", CORPUS / "kz_bns_semicolon_kz1048.csv")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[2].startswith("encoding: kz1048 (confidence ")
    assert lines[3].startswith("delimiter: ';' (confidence 1.00")
    assert "  Өнім көлемі, млн теңге: number (decimal ','), 0 not fitting, 1 missing markers" in lines


def test_a_wrong_encoding_given_on_the_command_line_decodes_as_told_and_says_given(bank):
    result = bank.cli("ingest-check", CORPUS / "kz_bns_semicolon_kz1048.csv", "--encoding", "cp1251", "--json")
    report = json.loads(result.stdout)
    assert report["detected"]["encoding"] == {"value": "cp1251", "confidence": 1.0, "given": True}
    assert report["columns"][1]["name"] == "Ґнім кґлемі, млн теѕге"  # what cp1251 makes of Өнім көлемі, млн теңге


def test_header_row_and_delimiter_overrides(bank, tmp_path):
    path = tmp_path / "two_row_header.csv"
    path.write_text("Отчёт за год\nРегион|Экспорт|Экспорт\n|2022|2023\nАлматы|1,5|2,5\n", encoding="utf-8")
    result = bank.cli("ingest-check", path, "--delimiter", "pipe", "--header-row", "2-3", "--decimal", ",",
                      "--json")
    report = json.loads(result.stdout)
    assert [c["name"] for c in report["columns"]] == ["Регион", "Экспорт 2022", "Экспорт 2023"]
    assert report["detected"]["header_rows"] == [2, 3] and report["detected"]["delimiter"]["given"] is True


def test_a_bad_override_is_one_line_naming_the_option(bank):
    result = bank.cli("ingest-check", CORPUS / "year_typo.csv", "--decimal", "x")
    assert (result.exit_code, result.stderr.strip()) == (2, "error [bad-request]: decimal 'x' must be '.' or ','")


def test_read_options_from_a_form_or_json_body():
    assert ReadOptions.from_dict({"delimiter": "tab", "header_row": "3-4", "na": "*, н/д", "sheet": "2",
                                  "encoding": ""}) == ReadOptions(delimiter="\t", header_row=3, header_rows=2,
                                                                  na=("*", "н/д"), sheet=2)
    with pytest.raises(BadRequest, match="unknown read option"):
        ReadOptions.from_dict({"delimeter": ";"})
    with pytest.raises(BadRequest, match="encoding 'klingon'"):
        from_text(encoding="klingon")


def test_a_schema_kept_from_an_earlier_version_with_its_status_columns_reads_the_next_version(bank):
    path = CORPUS / "every_missing_marker.csv"
    with bank.session() as session:
        first = stage_file(session, source=path, on_error="skip-rows")
        again = stage_file(session, source=path, on_error="skip-rows", schema=first.table_schema)
    assert again.report.valid
    assert [f["name"] for f in again.table_schema["fields"]] == ["Код", "Показатель", "Значение", "Значение_status"]


def test_markers_in_text_columns_are_values_unless_the_steward_names_them(bank, tmp_path):
    path = tmp_path / "sections.csv"
    path.write_text("section,title,share\nI,Live animals,12.5\nX,Paper,x\nXX,Miscellaneous,-\n", encoding="utf-8")
    with bank.session() as session:
        staged = stage_file(session, source=path)
        named = stage_file(session, source=path, options=ReadOptions(na=("XX",)))
    table = duckdb.connect().read_parquet(str(staged.parquet_path)).fetchall()
    assert table == [("I", "Live animals", 12.5, None), ("X", "Paper", None, "x"), ("XX", "Miscellaneous", None, "-")]
    assert duckdb.connect().read_parquet(str(named.parquet_path)).fetchall()[2][:2] == (None, "XX")


def test_a_file_whose_lines_end_with_cr_alone_is_read_row_by_row(bank, tmp_path):
    """Excel for Mac's "CSV (Macintosh)" ends lines with CR alone: it was "the file is empty"."""
    lines = ["Производство, тонн", "регион;год;значение", "Акмолинская;2020;1,5", "Алматинская;2021;2,5",
             "Атырауская;2O22;3", "Костанайская;2023;4", "Павлодарская;2024;5,25", "Источник: Бюро национальной статистики"]
    path = tmp_path / "mac.csv"
    path.write_bytes("\r".join(lines).encode("cp1251") + b"\r")
    result = bank.cli("ingest-check", path, "--json")
    report = json.loads(result.stdout)
    assert report["rows_read"] == 5 and report["detected"]["title"] == ["Производство, тонн"]
    assert report["detected"]["notes"] == ["Источник: Бюро национальной статистики"]
    assert "lines end with CR alone" in report["detected"]["repaired"][0]
    assert [(p["row"], p["column"], p["value"]) for p in report["problems"]] == [(3, "год", "2O22")]
    assert [c.get("decimal") for c in report["columns"]] == [None, None, ","]
