"""UN Comtrade files and plain trade-flow tables map onto the same canonical trade-flow table as BACI."""

from __future__ import annotations

import duckdb
import pytest

from scobank.errors import BadRequest, IngestRejected
from scobank.ingest.pipeline import stage_file
from tests.conftest import TESTDATA


def stage(bank, path, **options):
    with bank.session() as session:
        return stage_file(session, source=path, kind="trade", **options)


def rows(staged) -> list[tuple]:
    return duckdb.connect().read_parquet(str(staged.parquet_path)).query("t", "SELECT * FROM t").fetchall()


def test_comtrade_exports_and_imports_become_exporter_importer_flows(bank):
    staged = stage(bank, TESTDATA / "comtrade_plus_kaz_2022.csv")
    assert rows(staged) == [
        (2022, "KAZ", "CHN", "720241", "HS22", 2210000000.5, 1520000000.0, "kg"),
        (2022, "RUS", "KAZ", "100199", "HS22", 61000.25, 250000.0, "kg"),  # flowCode M: KAZ imports
        (2022, "KAZ", "CHN", "260300", "HS22", 310500000.0, 98000000.0, "kg"),
    ]


def test_comtrade_world_partner_rows_are_counted_not_rejected(bank):
    staged = stage(bank, TESTDATA / "comtrade_reexport_and_world.csv")  # row 2: a re-export to World
    assert staged.report.valid and staged.report.aggregate_rows == {"world": 1}
    assert (staged.report.rows_read, staged.report.rows_accepted) == (3, 2)
    assert [r[:4] for r in rows(staged)] == [(2022, "KAZ", "CHN", "720241"), (2022, "KAZ", "CHN", "7202")]


def test_comtrade_world_and_total_rows_are_left_out_and_a_bad_code_names_its_column(bank):
    """A Comtrade+ bulk extract as the API's bulk download writes it: flows, World-partner rows, an
    all-products (TOTAL) row, one of both, an import from an unknown partner, an export from an unknown
    reporter. On an import the exporter is the partner, so its bad code is partnerISO's."""
    path = TESTDATA / "comtrade_world_total_bad_partner.csv"
    with pytest.raises(IngestRejected) as caught:
        stage(bank, path)
    report = caught.value.report
    assert report.flatten("row", "column", "value", "code") == [
        (2, "partnerISO", "XXA", "bad-country-code"),
        (6, "reporterISO", "QQQ", "bad-country-code"),
    ]
    assert report.aggregate_rows == {"world": 2, "total": 1}
    assert report.to_dict()["aggregate_rows"] == {"world": 2, "total": 1}
    kept = stage(bank, path, on_error="skip-rows")
    assert (kept.report.rows_read, kept.report.rows_accepted, kept.row_count) == (7, 2, 2)
    assert [r[:6] for r in rows(kept)] == [(2022, "KAZ", "CHN", "720241", "HS22", 2210000000.5),
                                           (2022, "RUS", "KAZ", "260300", "HS22", 1200.5)]


def test_baci_code_0_is_the_world_and_is_counted(bank, tmp_path):
    path = tmp_path / "baci_hs17_world.csv"
    path.write_text("t,i,j,k,v,q\n2020,4,0,851712,9.5,\n2020,4,24,851712,1.5,\n")
    staged = stage(bank, path)
    assert staged.report.aggregate_rows == {"world": 1}
    assert [r[:3] for r in rows(staged)] == [(2020, "AFG", "AGO")]


def test_a_trade_flow_table_accepts_any_country_form_and_stores_iso3(bank, tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text("year,exporter,importer,product,value_usd\n"
                    "2022,Казахстан,CN,10121,1500\n"
                    "2022,860,Russian Federation,720241,20.5\n"
                    "2022,KGZ,Atlantis,720241,1\n")
    with pytest.raises(IngestRejected) as caught:
        stage(bank, path, hs_revision="HS17")
    assert caught.value.report.flatten("row", "column", "value", "code") == [
        (3, "importer", "Atlantis", "bad-country-code")]
    staged = stage(bank, path, hs_revision="HS17", on_error="skip-rows")
    assert [r[:6] for r in rows(staged)] == [(2022, "KAZ", "CHN", "010121", "HS17", 1500.0),
                                              (2022, "UZB", "RUS", "720241", "HS17", 20.5)]


def test_the_revision_comes_from_the_argument_or_the_bacis_file_name(bank, tmp_path):
    body = "t,i,j,k,v,q\n2020,4,24,851712,1.5,\n"  # 851712: mobile phones, HS07..HS17 only
    (tmp_path / "baci_hs17_sample.csv").write_text(body)
    assert rows(stage(bank, tmp_path / "baci_hs17_sample.csv"))[0][4] == "HS17"
    (tmp_path / "flows.csv").write_text(body)
    with pytest.raises(IngestRejected) as caught:
        stage(bank, tmp_path / "flows.csv", hs_revision="HS22")
    assert caught.value.report.flatten("row", "column", "message") == [
        (1, "k", "HS code '851712' does not exist in HS22")]


def test_an_unknown_revision_is_a_bad_request(bank, tmp_path):
    (tmp_path / "flows.csv").write_text("t,i,j,k,v,q\n2020,4,24,851712,1.5,\n")
    with pytest.raises(BadRequest, match="is not an HS revision"):
        stage(bank, tmp_path / "flows.csv", hs_revision="CN8")


def test_every_problem_of_a_row_is_listed_and_the_report_stays_small(bank, tmp_path):
    path = tmp_path / "many_bad.csv"
    lines = ["t,i,j,k,v,q", "19x5,4,9999,12,abc,-1"] + ["2020,4,24,851712,-1,1"] * 1500
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(IngestRejected) as caught:
        stage(bank, path, hs_revision="HS17")
    report = caught.value.report
    assert report.flatten("row", "column", "value", "code")[:5] == [
        (1, "t", "19x5", "bad-year"),
        (1, "j", "9999", "bad-country-code"),
        (1, "k", "000012", "bad-hs-code"),
        (1, "v", "abc", "bad-type"),
        (1, "q", "-1", "negative-value"),
    ]
    assert report.flatten("row", "code")[5:8] == [(2, "negative-value"), (3, "duplicate-key"), (3, "negative-value")]
    assert len(report.problems) == 1000
    # 1,500 negative values, 1,499 repeated keys, 5 problems on row 1
    assert report.problems_total == 1500 + 1499 + 5
    assert caught.value.message == "many_bad.csv: 3,004 problems; nothing was written".replace(",", "")
