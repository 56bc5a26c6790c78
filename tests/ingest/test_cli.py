"""`scobank ingest-check FILE`: the report a steward reads before publishing, in a table or as JSON,
with an exit code per outcome; nothing is kept."""

from __future__ import annotations

import json

from tests.conftest import TESTDATA


def test_a_valid_file_prints_one_summary_line_and_exits_0(bank):
    result = bank.cli("ingest-check", TESTDATA / "cp1251.csv")
    assert (result.exit_code, result.stdout.splitlines()[:5]) == (0, [
        "cp1251.csv: 3 rows read, 3 accepted, valid",
        "format: CSV",
        "encoding: cp1251 (confidence 1.00; runner-up cp1252 0.30)",
        "delimiter: ';' (confidence 1.00; runner-up '\\t' 0.00)",
        "header: row 1; data from row 2"])
    assert result.stdout.splitlines()[5:] == ["  страна: string, 0 not fitting", "  год: integer, 0 not fitting",
                                              "  экспорт: number, 0 not fitting"]
    assert not any((bank.home / "staging").iterdir())


def test_problems_print_as_a_table_and_exit_5(bank):
    result = bank.cli("ingest-check", TESTDATA / "unknown_hs_code.csv", "--kind", "trade")
    assert result.exit_code == 5
    lines = result.stdout.splitlines()
    assert lines[0] == "unknown_hs_code.csv: 3 rows read, 2 accepted, 1 problem"
    assert any("999999" in line and "bad-hs-code" in line for line in lines)


def test_json_report_for_programs(bank):
    result = bank.cli("ingest-check", TESTDATA / "duplicate_key.csv", "--kind", "trade", "--json")
    assert result.exit_code == 5
    report = json.loads(result.stdout)
    assert {k: report[k] for k in ("file", "valid", "rows_read", "rows_accepted", "problems_total")} == {
        "file": "duplicate_key.csv", "valid": False, "rows_read": 3, "rows_accepted": 2, "problems_total": 1}
    assert report["problems"] == [{"code": "duplicate-key", "file": "duplicate_key.csv", "row": 3, "column": None,
                                   "value": "2020, AFG, AGO, 300431",
                                   "message": "the key (t, i, j, k) = (2020, AFG, AGO, 300431) repeats row 1"}]


def test_an_unreadable_file_is_one_plain_line_on_stderr_with_its_own_exit_code(bank):
    result = bank.cli("ingest-check", TESTDATA / "binary_garbage.csv")
    assert result.exit_code == 10
    assert result.stderr.startswith("error [bad-file]: binary_garbage.csv: this is binary data")


def test_progress_reports_bytes_read_up_to_the_file_size(bank):
    from scobank.ingest.pipeline import stage_file

    seen: list[int] = []
    path = TESTDATA / "negative_value.csv"
    with bank.session() as session:
        stage_file(session, source=path, kind="trade", on_error="skip-rows", progress=seen.append)
    assert seen and seen[-1] == path.stat().st_size and seen == sorted(seen)


def test_world_and_total_rows_are_counted_in_the_summary(bank):
    result = bank.cli("ingest-check", TESTDATA / "comtrade_world_total_bad_partner.csv", "--kind", "trade")
    assert result.exit_code == 5
    assert " ".join(result.stdout.split()).startswith(
        "comtrade_world_total_bad_partner.csv: 7 rows read, 2 accepted, 2 problems; left out, not "
        "country-to-country flows: 2 World-partner rows, 1 all-products (TOTAL) row")
