"""Mirror statistics on the real files: the trade of members that report little (TJK, UZB, KGZ, IRN) as
their partners report it: India's customs exports (EIDB) and BACI's reconciled crude-oil flows of 2021."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from scobank.access.reader import OPERATOR

EIDB = "india-eidb-exports-to-sco-fy2017-2024"
CRUDE = "baci-crude-oil-2021"
COMTRADE = "comtrade-china-critical-minerals-2017-2024"


@pytest.fixture
def sources(product_level_datasets):
    return product_level_datasets


def mirror(bank, iso3: str):
    from scobank.analytics.mirror import mirror_trade

    with bank.session() as session:
        result = mirror_trade(session, reader=OPERATOR, iso3=iso3)
        session.commit()
    return result


@pytest.mark.db
def test_uzbekistans_imports_from_india_are_indias_exports_to_it_per_financial_year(bank, data_dir, sources):
    raw = pacsv.read_csv(data_dir / "trade-india-eidb-hs8-2017-2025/india_exports_to_sco_hs8_fy2017_2024.csv",
                         convert_options=pacsv.ConvertOptions(include_columns=["fy_start", "partner", "value_usd_mn"]))
    result = mirror(bank, "uzb")
    rows = [r for r in result.tables["mirror"].rows if r["dataset"] == EIDB]
    assert [r["period"] for r in rows] == [f"FY{y}-{(y + 1) % 100:02d}" for y in range(2024, 2016, -1)]
    for r in rows:
        mine = raw.filter(pc.and_(pc.equal(raw["partner"], "UZBEKISTAN"), pc.equal(raw["fy_start"], r["year"])))
        published = pc.sum(mine["value_usd_mn"]).as_py() * 1e6
        assert r["value"] == pytest.approx(published, rel=1e-3), r["period"]
        assert (r["flow"], r["partner"], r["reported_by"], r["unit"]) == ("imports", "IND", "IND", "USD")
    assert rows[0]["value"] == pytest.approx(461.5e6, rel=2e-3)  # SOURCE.md: Uzbekistan FY2024-25, 461 US$ mn
    assert result.parameters["little_reported"] and "mirror data" in result.parameters["label"]
    assert not any(r["flow"] == "exports" for r in rows)  # India's records say nothing of UZB's exports


@pytest.mark.db
def test_tajikistan_and_iran_crude_oil_as_baci_reconciles_their_partners_reports(bank, sources):
    tjk = [r for r in mirror(bank, "TJK").tables["mirror"].rows if r["dataset"] == CRUDE]
    assert [(r["flow"], r["partner"], r["value"], r["period"], r["reported_by"]) for r in tjk] == [
        ("imports", "KGZ", 473989.0, "2021", "BACI")]
    irn = {(r["flow"], r["partner"]): r["value"] for r in mirror(bank, "IRN").tables["mirror"].rows
           if r["dataset"] == CRUDE}
    assert irn[("exports", "CHN")] == pytest.approx(129_289_435.0)  # Iran's crude sold to China in 2021
    assert not any(flow == "imports" for flow, _ in irn)


@pytest.mark.db
def test_a_source_the_reader_may_not_see_is_named_not_silently_dropped(bank, data_dir):
    from scobank.demo.datasets import publish_one

    with bank.session() as session:
        publish_one(session, CRUDE, data_dir=data_dir)
        session.commit()
    result = mirror(bank, "KGZ")
    assert [n["datasets"] for n in result.parameters["notices"]] == [[EIDB], [COMTRADE]]
    assert [s["dataset"] for s in result.parameters["sources"]] == [CRUDE]
    assert {(r["flow"], r["partner"]) for r in result.tables["mirror"].rows} == {
        ("exports", "UZB"), ("exports", "TJK"), ("imports", "KAZ")}


@pytest.mark.db
def test_irans_imports_of_graphite_and_gallium_from_china_as_china_reports_them_to_comtrade(bank, data_dir):
    from scobank.demo.datasets import publish_one

    with bank.session() as session:
        publish_one(session, COMTRADE, data_dir=data_dir)
        session.commit()
    raw = pacsv.read_csv(data_dir / "trade-china-critical-minerals-comtrade/deep_dive_hs6_monthly.csv",
                         convert_options=pacsv.ConvertOptions(column_types={"period_dt": pa.string()}))
    iran = raw.filter(pc.equal(raw["partner_name"], "Iran"))
    by_year: dict[int, float] = {}
    for r in iran.to_pylist():
        by_year[int(r["period_dt"][:4])] = by_year.get(int(r["period_dt"][:4]), 0.0) + r["val"]
    result = mirror(bank, "IRN")
    rows = [r for r in result.tables["mirror"].rows if r["dataset"] == COMTRADE]
    assert [r["year"] for r in rows] == sorted(by_year, reverse=True) == list(range(2024, 2016, -1))
    for r in rows:
        assert r["value"] == pytest.approx(by_year[r["year"]], rel=1e-12)
        assert (r["flow"], r["partner"], r["reported_by"], r["unit"], r["period"]) == (
            "imports", "CHN", "CHN", "USD", str(r["year"]))
    facts = next(s for s in result.parameters["sources"] if s["dataset"] == COMTRADE)
    assert facts["products"] == ["250410", "380110", "811292"] and facts["reported_by"] == "exporter"
    assert facts["unmatched_destinations"] == []  # every destination named is matched to a country
    assert "mirror data" in result.parameters["label"]
    kaz = [r for r in mirror(bank, "KAZ").tables["mirror"].rows if r["dataset"] == COMTRADE]
    kaz_raw = raw.filter(pc.equal(raw["partner_name"], "Kazakhstan"))
    assert sum(r["value"] for r in kaz) == pytest.approx(pc.sum(kaz_raw["val"]).as_py())
