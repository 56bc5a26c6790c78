"""Every file of the national-layout corpus (tests/data/national, made by make_corpus.py) reads as
its manifest says: detected encoding, delimiter and header rows, columns with their types (a wrong
split, a wrongly decoded letter or a silently widened column fails here), row count, problems and the
values a person reads off the file."""

from __future__ import annotations

import json
import math

import duckdb
import pytest

from scobank.ingest.options import ReadOptions
from scobank.ingest.pipeline import stage_file
from tests.conftest import TESTDATA

CORPUS = TESTDATA / "national"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text())
DETECTED = ("title", "notes", "footnotes", "summary_rows", "sheet")


def test_the_corpus_has_at_least_30_files_each_saying_what_it_mirrors():
    files = {p.name for p in CORPUS.iterdir()} - {"make_corpus.py", "manifest.json", "README.md"}
    assert len(files) >= 30 and files == set(MANIFEST)
    assert all(len(entry["mirrors"]) > 40 for entry in MANIFEST.values())


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_a_national_layout_reads_as_the_manifest_says(bank, name):
    expected = MANIFEST[name]
    with bank.session() as session:
        staged = stage_file(session, source=CORPUS / name, kind=expected["kind"], on_error=expected["on_error"],
                            options=ReadOptions.from_dict(expected["options"]),
                            hs_revision="HS22" if expected["kind"] == "trade" else None)
    found = staged.report.detected
    for key in ("encoding", "delimiter"):
        if expected[key] is not None:
            assert found[key]["value"] == expected[key], key
    assert found["header_rows"] == expected["header_rows"]
    for key in DETECTED:
        if key in expected:
            assert found.get(key) == expected[key], key
    assert [[f["name"], f["type"]] for f in staged.table_schema["fields"]] == expected["columns"]
    assert staged.row_count == expected["rows"]
    assert [list(p) for p in staged.report.flatten("row", "column", "code")] == expected["problems"]
    table = duckdb.connect().read_parquet(str(staged.parquet_path))
    records = [dict(zip(table.columns, row, strict=True)) for row in table.fetchall()]
    for row, column, value in expected["cells"]:
        got = records[row - 1][column]
        assert got == value or (isinstance(value, float) and math.isclose(got, value)), (row, column, got)
    if expected["kind"] == "trade":
        assert staged.report.rows_read == expected["rows_read"]
        assert sum(staged.report.aggregate_rows.values()) == expected["aggregates"]
