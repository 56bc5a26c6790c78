"""Export and query do what is asked: the columns and filters of the export route (and the CLI's),
XLSX read back with openpyxl, CSV as a ru/kk Excel reader needs it (BOM, ';', decimal comma), `in:`
filters whose values hold commas, and totals over all pages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

PARTNERS_CSV = """partner,year,value_usd,note
"Korea, Rep.",2022,1500.5,=HYPERLINK("http://x")
China,2022,98000.25,ok
"Korea, Rep.",2023,1700.75,ok
Uzbekistan,2023,400.0,ok
Россия,2023,12000.5,ок
"""


@pytest.fixture
def api(bank, populated, tmp_path) -> TestClient:
    """The API as the analyst of another member (a real token), over kz-industry and kz-partners."""
    source = tmp_path / "partners.csv"
    source.write_text(PARTNERS_CSV, encoding="utf-8")
    result = bank.cli("ingest", str(source), "--org", "kz-stat", "--dataset", "kz-partners")
    assert result.exit_code == 0, result.stderr
    assert bank.cli("policy", "set", "kz-partners", "--audience", "public").exit_code == 0
    from scobank.api.app import create_app

    return TestClient(create_app(), headers={"Authorization": f"Bearer {populated['analyst']}"})


def _csv_rows(body: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_export_takes_columns_and_filters(api):
    answer = api.get("/api/v1/datasets/kz-partners/export", params={
        "format": "csv", "columns": "partner,value_usd", "filter": ["partner=in:Korea\\, Rep.,China", "year=2022"]})
    assert answer.status_code == 200, answer.text
    assert _csv_rows(answer.content) == [["partner", "value_usd"], ["Korea, Rep.", "1500.5"], ["China", "98000.25"]]


def test_a_value_with_a_comma_is_matched_whole_in_queries_too(api):
    answer = api.get("/api/v1/datasets/kz-partners/rows",
                     params={"filter": "partner:in:Korea\\, Rep.", "select": "partner,year", "limit": 1})
    body = answer.json()
    assert body["rows"] == [{"partner": "Korea, Rep.", "year": 2022}]
    assert body["total"] == 2 and body["next_cursor"]  # two rows match, one page of one
    unescaped = api.get("/api/v1/datasets/kz-partners/rows", params={"filter": "partner:in:Korea, Rep."}).json()
    assert unescaped["rows"] == [] and unescaped["total"] == 0  # "Korea" and " Rep." are two other values


def test_a_misspelled_column_or_value_is_a_clear_error(api):
    answer = api.get("/api/v1/datasets/kz-partners/export", params={"columns": "partner,valeu_usd"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad-request" and "unknown column 'valeu_usd'" in answer.json()["message"]
    answer = api.get("/api/v1/datasets/kz-partners/export", params={"filter": "year=in:2022,twenty"})
    assert answer.status_code == 400 and "'twenty' is not a valid" in answer.json()["message"]
    answer = api.get("/api/v1/datasets/kz-partners/export", params={"format": "dbf"})
    assert answer.status_code == 422 and answer.json()["ok"] is False


def test_xlsx_export_reads_back_in_openpyxl_with_formulas_as_text(api):
    answer = api.get("/api/v1/datasets/kz-partners/export", params={"format": "xlsx", "filter": "year=2022"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [("partner", "year", "value_usd", "note"), ("Korea, Rep.", 2022, 1500.5, '=HYPERLINK("http://x")'),
                    ("China", 2022, 98000.25, "ok")]
    assert sheet["D2"].data_type == "s"  # text, never a formula Excel would run


def test_csv_for_a_russian_reader_has_a_bom_semicolons_and_decimal_commas(api):
    answer = api.get("/api/v1/datasets/kz-partners/export", params={"lang": "ru", "filter": "year=2023"})
    assert answer.content.startswith(b"\xef\xbb\xbf")
    assert _csv_rows(answer.content, ";")[1:] == [["Korea, Rep.", "2023", "1700,75", "ok"],
                                                  ["Uzbekistan", "2023", "400", "ok"], ["Россия", "2023", "12000,5", "ок"]]
    plain = api.get("/api/v1/datasets/kz-partners/export", params={"lang": "ru", "delimiter": ",", "decimal": ".",
                                                                   "bom": "false", "filter": "year=2023"})
    assert not plain.content.startswith(b"\xef\xbb\xbf") and _csv_rows(plain.content)[3][2] == "12000.5"
    english = api.get("/api/v1/datasets/kz-partners/export", params={"lang": "en", "filter": "year=2023"})
    assert _csv_rows(english.content)[1] == ["Korea, Rep.", "2023", "1700.75", "ok"]
    same = api.get("/api/v1/datasets/kz-partners/export", params={"delimiter": ";", "decimal": ";"})
    assert same.status_code == 422


def test_the_cli_exports_the_same_selection(bank, api, tmp_path):
    target = tmp_path / "korea.csv"
    result = bank.cli("--as", "analyst@minprom.ru", "export", "kz-partners", "--format", "csv", "--columns",
                      "partner,year", "--filter", "partner=in:Korea\\, Rep.", "--lang", "kk", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "2 rows written" in result.stderr
    assert _csv_rows(target.read_bytes(), ";") == [["partner", "year"], ["Korea, Rep.", "2022"], ["Korea, Rep.", "2023"]]
    bad = bank.cli("export", "kz-partners", "--format", "xlsx", "--filter", "partner:like:K", "-o", str(tmp_path / "x"))
    assert bad.exit_code == 2 and "expected COLUMN:OP:VALUES" in bad.stderr and "Traceback" not in bad.stderr


def test_the_ledger_records_what_an_export_selected(bank, api):
    api.get("/api/v1/datasets/kz-partners/export", params={"columns": "partner", "filter": "year=2023"})
    entries = json.loads(bank.cli("ledger", "show", "--dataset", "kz-partners", "--json").stdout)
    export = next(e for e in entries if e["action"] == "export")
    assert export["actor"] == "analyst@minprom.ru" and export["rows"] == 3 and export["cells"] == 3
    assert export["detail"]["format"] == "csv" and export["detail"]["columns"] == ["partner"]
    assert export["detail"]["filters"] == [{"column": "year", "op": "eq", "values": ["2023"]}]


def test_the_dataset_list_says_its_total(api):
    first = api.get("/api/v1/datasets", params={"limit": 1})
    assert first.status_code == 200 and len(first.json()) == 1
    assert first.headers["x-total-count"] == "2"  # kz-industry and kz-partners; kz-secret is not the analyst's


def test_the_offline_api_docs_explain_the_filter_form(api):
    doc = api.get("/api/openapi.json").json()
    for path in ("/api/v1/datasets/{slug}/rows", "/api/v1/datasets/{slug}/export"):
        described = next(p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == "filter")["description"]
        assert "COL=OP:VALUES" in described and "Korea\\, Rep." in described, path
    assert "swagger-ui" in api.get("/api/docs").text  # served by the bank itself, no CDN
