"""Comtrade bulk files and plain trade-flow tables take the one pass too when they are clean: World,
TOTAL and unspecified-partner rows are counted and left out on the way, as the full path does, and what
the one pass writes equals what the full path writes (rows, order, types, report). The Comtrade files
are the Comtrade+ bulk layout (47 columns, World rows beside the flows); the flow tables mirror what a
customs office exports: countries as names in Russian, ISO2, ISO numeric, codes without their zero."""

from __future__ import annotations

import duckdb
import pytest

from scobank.errors import IngestRejected
from scobank.ingest.direct import DirectOutcome
from scobank.ingest.pipeline import stage_file
from tests.conftest import TESTDATA

NATIONAL = TESTDATA / "national"
FLOWS = ("year,exporter,importer,product,value_usd,quantity,unit\n"
         "2022,Казахстан,CN,10121,1500,2.5,t\n"
         "2022,860,Russian Federation,720241,20.5,,\n"
         "2022,KGZ,World,720241,99,1,t\n"  # a total: counted, not written
         "2021,KAZ,RUS,720241,7,3,t\n")


def stage(bank, path, **options):
    with bank.session() as session:
        return stage_file(session, source=path, kind="trade", **options)


def parquet(staged) -> tuple[list[tuple], list[tuple]]:
    conn = duckdb.connect()
    query = "SELECT * FROM read_parquet($p)"
    return (conn.execute(query, {"p": str(staged.parquet_path)}).fetchall(),
            conn.execute(f"DESCRIBE {query}", {"p": str(staged.parquet_path)}).fetchall())  # noqa: S608


def report(staged) -> tuple:
    r = staged.report
    return r.rows_read, r.rows_accepted, r.aggregate_rows, r.problems_total, staged.row_count, staged.table_schema


def one_pass_and_full_path(bank, path, monkeypatch, **options):
    """Stage `path` once by the one pass (the full path's checks would fail the test) and once by the
    full path alone."""
    def full_path_checks(*_args, **_kwargs):
        raise AssertionError("the full path ran for a clean file")

    with monkeypatch.context() as patch:
        patch.setattr("scobank.ingest.trade_stage.run_checks", full_path_checks)
        direct = stage(bank, path, **options)
    with monkeypatch.context() as patch:
        patch.setattr("scobank.ingest.trade_stage._direct", lambda *_a, **_k: DirectOutcome(0, None, parsed=False))
        full = stage(bank, path, **options)
    return direct, full


@pytest.mark.parametrize("path", [TESTDATA / "comtrade_plus_kaz_2022.csv", TESTDATA / "comtrade_reexport_and_world.csv",
                                  NATIONAL / "comtrade_plus_world_partner.csv",
                                  NATIONAL / "comtrade_plus_total_commodity.csv"], ids=lambda p: p.name)
def test_a_clean_comtrade_file_in_one_pass_equals_the_full_path(bank, path, monkeypatch):
    direct, full = one_pass_and_full_path(bank, path, monkeypatch)
    assert parquet(direct) == parquet(full)
    assert report(direct) == report(full)
    assert direct.row_count > 0


def test_comtrade_world_rows_are_counted_by_the_one_pass(bank, monkeypatch):
    direct, _ = one_pass_and_full_path(bank, NATIONAL / "comtrade_plus_world_partner.csv", monkeypatch)
    assert direct.report.aggregate_rows == {"world": 2}
    assert (direct.report.rows_read, direct.report.rows_accepted) == (4, 2)
    assert [r[:4] for r in parquet(direct)[0]] == [(2023, "KAZ", "CHN", "720241"), (2023, "RUS", "KAZ", "100199")]


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_a_clean_flow_table_in_one_pass_equals_the_full_path(bank, tmp_path, monkeypatch, suffix):
    path = tmp_path / f"flows{suffix}"
    path.write_text(FLOWS.replace(",", "\t") if suffix == ".tsv" else FLOWS)
    direct, full = one_pass_and_full_path(bank, path, monkeypatch, hs_revision="HS17")
    assert parquet(direct) == parquet(full)
    assert report(direct) == report(full)
    assert parquet(direct)[0] == [(2022, "KAZ", "CHN", "010121", "HS17", 1500.0, 2.5, "t"),
                                  (2022, "UZB", "RUS", "720241", "HS17", 20.5, None, None),
                                  (2021, "KAZ", "RUS", "720241", "HS17", 7.0, 3.0, "t")]


@pytest.mark.parametrize(("line", "found"), [
    ("2021,KAZ,RUS,720241,8,3,t", (5, None, None, "duplicate-key")),  # the key of row 4 again
    ("2020,KAZ,Atlantis,720241,7,3,t", (5, "importer", "Atlantis", "bad-country-code")),
    ("2020,KAZ,RUS,999999,7,3,t", (5, "product", "999999", "bad-hs-code")),
    ("2020,KAZ,RUS,720241,-7,3,t", (5, "value_usd", "-7", "negative-value")),
    ("20x2,KAZ,RUS,720241,7,3,t", (5, "year", "20x2", "bad-year")),
])
def test_a_flow_table_with_a_bad_row_goes_the_full_path_which_names_it(bank, tmp_path, line, found):
    path = tmp_path / "flows.csv"
    path.write_text(FLOWS + line + "\n")
    with pytest.raises(IngestRejected) as caught:
        stage(bank, path, hs_revision="HS17")
    row, column, value, code = found
    problems = caught.value.report.flatten("row", "column", "value", "code")
    assert [(p[0], p[3]) for p in problems] == [(row, code)]
    if column:
        assert problems[0][1:3] == (column, value)
