"""India's EIDB exports (DGCI&S; trade-india-eidb-hs8-2017-2025, the 114,265 rows to the other SCO
members) load as the trade-flow table: EIDB partner spellings mapped to ISO3 through the reference's
alias table, HS8 lines summed into HS6, the financial year stated. Values as a person reads them off
the file (and SOURCE.md's partner totals)."""

from __future__ import annotations

import duckdb
import pytest

from scobank.ingest.pipeline import stage_file
from scobank.reference.aliases import alias_iso3, alias_rows

SCO_FILE = "trade-india-eidb-hs8-2017-2025/india_exports_to_sco_hs8_fy2017_2024.csv"


@pytest.fixture(scope="module")
def eidb(_template, tmp_path_factory, data_dir):
    """Staged once for the module (10-17 s) on the template bank, whose reference it only reads; no
    connection to the template stays open (PostgreSQL copies it for every other test)."""
    from tests.conftest import _configure

    mp = pytest.MonkeyPatch()
    url, home = _template
    work = tmp_path_factory.mktemp("eidb-home")
    (work / "lake").mkdir()
    _configure(mp, work, url)
    from scobank.db import reset_engines, session_scope

    with session_scope() as session:
        staged = stage_file(session, source=data_dir / SCO_FILE, kind="trade", on_error="skip-rows")
    reset_engines()
    yield staged
    mp.undo()


def rows(staged, sql: str) -> list[tuple]:
    return duckdb.connect().read_parquet(str(staged.parquet_path)).query("flows", sql).fetchall()


def test_the_partner_spellings_have_an_alias_with_its_source():
    assert (alias_iso3("CHINA P RP"), alias_iso3("PAKISTAN IR"), alias_iso3("U S A")) == ("CHN", "PAK", "USA")
    assert alias_iso3("Kyrghyzstan") == "KGZ"  # case and spacing do not matter
    assert all(("DGCI&S" in source or "Comtrade" in source) for _, _, source in alias_rows())  # each names its source


def test_indias_exports_to_china_of_titanium_ores_in_fy2017_18(eidb):
    # hs8 26140020 42.13 + 26140031 0.65 + 26140090 0.00 US$ million, all in KGS
    assert rows(eidb, "SELECT * FROM flows WHERE importer = 'CHN' AND product = '261400' AND year = 2017") == [
        (2017, "IND", "CHN", "261400", "HS17", 42_780_000.0, 179_698_003.0, "KGS")]


def test_partners_are_iso3_and_the_totals_are_those_of_source_md(eidb):
    totals = dict(rows(eidb, "SELECT importer, round(sum(value_usd) / 1e6) FROM flows WHERE year = 2017 "
                             "GROUP BY 1"))
    assert totals == {"CHN": 13019, "RUS": 2033, "IRN": 2591, "PAK": 1632, "KAZ": 115, "UZB": 129,
                      "KGZ": 28, "TJK": 24, "BLR": 47}
    assert rows(eidb, "SELECT DISTINCT exporter FROM flows") == [("IND",)]


def test_hs8_lines_become_hs6_and_each_year_keeps_its_revision(eidb):
    assert eidb.report.rows_read == 114_265
    assert eidb.row_count == rows(eidb, "SELECT count(*) FROM flows")[0][0] == 76_424
    assert rows(eidb, "SELECT max(length(product)) FROM flows") == [(6,)]
    assert rows(eidb, "SELECT hs_revision, min(year), max(year) FROM flows GROUP BY 1 ORDER BY 1") == [
        ("HS17", 2017, 2021), ("HS22", 2022, 2024)]


def test_the_financial_year_is_stated(eidb):
    period = eidb.table_schema["period"]
    assert period["periods"]["2017"] == "FY2017-18" and period["periods"]["2024"] == "FY2024-25"
    assert "2017 is FY2017-18" in period["description"]
    assert eidb.table_schema["fields"][0]["description"] == period["description"]


def test_rows_that_cannot_be_flows_are_reported_with_the_files_row(eidb):
    report = eidb.report
    assert report.problems_total == len(report.problems) == 9
    assert {p.code for p in report.problems} == {"missing-value", "bad-hs-code"}
    assert ("hs6", "846291", "bad-hs-code") in report.flatten("column", "value", "code")
    assert report.flatten("row", "column")[0] == (9854, "value_usd_mn")
