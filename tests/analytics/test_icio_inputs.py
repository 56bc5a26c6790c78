"""The OECD ICIO 2022 intermediate flows as an analytics input in the bank: a bilateral panel by
exporting industry in which the members export, read through the gate and recorded in the ledger."""

from __future__ import annotations

import json

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from scobank.access.reader import OPERATOR
from scobank.access.models import LedgerEntry

SLUG = "oecd-icio-2022-intermediate-flows"
FLOWS = "icio-oecd-2022-intermediate/icio2022_interm_exporter_sector_to_importer.parquet"
BLOC_2024 = ["BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]


@pytest.fixture
def icio(bank, data_dir) -> str:
    """The ICIO flows published as `make demo` publishes them (kind table, temporal coverage 2022)."""
    from scobank.demo.datasets import publish_one

    with bank.session() as session:
        line = publish_one(session, SLUG, data_dir=data_dir)
    assert "271,801 rows" in line, line
    return SLUG


@pytest.fixture(scope="module")
def raw(data_dir):
    """The file itself, to check figures by hand."""
    return pq.read_table(data_dir / FLOWS).to_pandas().astype({"exporter": str, "exporter_sector": str,
                                                                "importer": str})


def analytics_entries(bank) -> list[tuple[str, str, int]]:
    with bank.session() as session:
        entries = session.scalars(select(LedgerEntry).where(LedgerEntry.action == "analytics")).all()
        return [(e.purpose, json.loads(e.detail)["analysis"], e.rows) for e in entries]


def test_the_flows_map_onto_a_bilateral_panel_in_usd_million_between_countries_only(bank, icio, raw):
    from scobank.analytics.inputs import dataset_panel, product_kind, unit_of
    from scobank.analytics.panel import BILATERAL_COLUMNS

    with bank.session() as session:
        panel = dataset_panel(session, slug=icio, reader=OPERATOR, columns=BILATERAL_COLUMNS, analysis="overview")
    domestic = int((raw.exporter == raw.importer).sum())
    assert domestic == 3878 and panel.num_rows == 271_801 - domestic  # exporter == importer rows left out
    assert unit_of(panel) == "USD million" and product_kind(panel) == "sector"
    assert set(panel["year"].to_pylist()) == {2022}  # the dataset's temporal coverage: no year column
    assert pc.sum(panel["value"]).as_py() == pytest.approx(raw[raw.exporter != raw.importer].value_usd_mn.sum())
    assert analytics_entries(bank) == [("statistics", "overview", panel.num_rows)]


def test_kazakhstan_has_joint_production_opportunities_among_the_industries(bank, icio, raw, data_dir):
    from scobank.analytics import service
    from scobank.analytics.country_sets import country_set
    from scobank.analytics.opportunities import Weights

    with bank.session() as session:
        result = service.opportunity_table(session, reader=OPERATOR, member="kaz", bloc_year=2024,
                                           weights=Weights(0.5, 0.2, 0.3), products="services", limit=100)
        goods = service.opportunity_table(session, reader=OPERATOR, member="kaz", bloc_year=2024, limit=100)
    # goods by default (ICIO A-C: agriculture, mining, manufacturing); services only when asked
    assert goods.parameters["products"] == "goods" and goods.tables["opportunities"].rows
    assert all(r["product"][0] in "ABC" for r in goods.tables["opportunities"].rows)
    p, rows = result.parameters, result.tables["opportunities"].rows
    assert rows and all(r["product"][0] not in "ABC" for r in rows)
    assert p["dataset"] == SLUG and p["unit"] == "USD million" and p["bloc_year"] == 2024
    assert (p["w_density"], p["w_pci"], p["w_cog"]) == (0.5, 0.2, 0.3)  # weights echoed
    assert all((r["w_density"], r["w_pci"], r["w_cog"]) == (0.5, 0.2, 0.3) for r in rows)
    assert rows and all(r["member"] == "KAZ" and r["rca"] < 1 for r in rows)
    assert sum(r["attractiveness"] > 0 for r in rows) == len(rows)  # the bloc buys every industry abroad
    assert [r["feasibility"] for r in rows] == sorted((r["feasibility"] for r in rows), reverse=True)

    # by hand from the file: warehousing (H52), trade between countries only, RCA over the stated
    # country set (the Growth Lab's ranked countries and the size rule: ANALYTICS.md)
    h52 = next(r for r in rows if r["product"] == "H52")
    assert h52["product_name"] == "Warehousing and support activities for transportation"
    trade = raw[raw.exporter != raw.importer]
    ranked = country_set("ranked", data_dir=data_dir, countries=sorted(set(trade.exporter)), years=[2022])
    assert 60 < len(ranked.countries) < trade.exporter.nunique()  # 69 of the 80 ICIO economies
    kaz, world = trade[trade.exporter == "KAZ"], trade[trade.exporter.isin(ranked.countries)]
    rca = ((kaz[kaz.exporter_sector == "H52"].value_usd_mn.sum() / kaz.value_usd_mn.sum())
           / (world[world.exporter_sector == "H52"].value_usd_mn.sum() / world.value_usd_mn.sum()))
    assert h52["rca"] == pytest.approx(rca, rel=1e-9) and h52["rca"] == pytest.approx(0.77606, abs=1e-5)
    bought = trade[trade.importer.isin(BLOC_2024) & ~trade.exporter.isin(BLOC_2024)]
    assert h52["attractiveness"] == pytest.approx(bought[bought.exporter_sector == "H52"].value_usd_mn.sum())
    assert h52["attractiveness"] == pytest.approx(19_195.1039)  # USD million: the bloc's H52 inputs from outside


def test_the_blocs_chemicals_bought_outside_are_the_same_for_every_member(bank, icio):
    from scobank.analytics import service

    with bank.session() as session:
        result = service.opportunity_table(session, reader=OPERATOR, bloc_year=2024, limit=10_000)
    chemicals = {r["member"]: r["attractiveness"] for r in result.tables["opportunities"].rows if r["product"] == "C20"}
    assert chemicals and all(v == pytest.approx(185_727.7783) for v in chemicals.values())  # pandas on the file
    assert set(chemicals) <= {"BLR", "CHN", "IND", "KAZ", "PAK", "RUS"}


def test_members_the_icio_does_not_separate_are_named_as_without_data(bank, icio):
    from scobank.analytics import service

    with bank.session() as session:
        every = service.opportunity_table(session, reader=OPERATOR, bloc_year=2024)
        before = service.opportunity_table(session, reader=OPERATOR)  # the 2022 bloc: Belarus joined in 2024
    assert every.parameters["members"] == BLOC_2024
    assert every.parameters["members_with_data"] == ["BLR", "CHN", "IND", "KAZ", "PAK", "RUS"]
    assert {r["member"] for r in every.tables["opportunities"].rows} == {"BLR", "CHN", "IND", "KAZ", "PAK", "RUS"}
    assert before.parameters["bloc_year"] is None and "BLR" not in before.parameters["members"]
    assert "BLR" not in {r["member"] for r in before.tables["opportunities"].rows}


def test_substitution_over_the_icio_keeps_the_sectors_whatever_the_hs_level(bank, icio):
    from scobank.analytics import service

    with bank.session() as session:
        result = service.substitution(session, reader=OPERATOR, dataset=icio, level=4, importer="RUS")
    assert result.parameters["level"] is None and result.parameters["unit"] == "USD million"
    products = {r["product"] for r in result.tables["substitution"].rows}
    assert "C10T12" in products and "C10T" not in products


def test_dependency_reads_the_bank_dataset_through_the_gate_with_the_same_figures(bank, icio, data_dir):
    from scobank.analytics import service
    from scobank.analytics.io_dependency import dependency_report

    with bank.session() as session:
        result = service.dependency(session, reader=OPERATOR, member="RUS", products="all", limit=100)
    assert result.parameters["dataset"] == SLUG and result.parameters["unit"] == "USD million"
    assert result.parameters["bloc"][0]["year"] == 2022  # the data's year
    assert analytics_entries(bank) == [("statistics", "dependency", 271_801)]  # domestic rows are inputs here
    rows = {r["sector"]: r for r in result.tables["dependency"].rows}
    bloc_2022 = [m for m in BLOC_2024 if m not in ("BLR", "IRN")]
    files = dependency_report(data_dir / "icio-oecd-2022-intermediate", members=bloc_2022).to_pandas()
    files = files[files.member == "RUS"].set_index("sector")
    assert set(rows) == set(files.index) and len(rows) == 49
    for sector in ("C20", "C26", "B05"):
        for column in ("total_inputs", "domestic", "from_bloc", "from_outside", "bloc_room", "allocated_value"):
            assert rows[sector][column] == pytest.approx(files.loc[sector, column], rel=1e-9), (sector, column)
    assert rows["C20"]["sector_name"] == "Manufacture of chemicals and chemical products"
    assert rows["C20"]["top_outside_suppliers"][0]["supplier"] == "DEU"


def test_the_dependency_command_reads_the_bank_by_default(bank, icio, tmp_path):
    result = bank.cli("analytics", "dependency", "--out", tmp_path / "d.parquet")
    assert result.exit_code == 0, result.stderr
    assert ("245 member x sector rows, members CHN, IND, KAZ, PAK, RUS (bloc of 2022: CHN, IND, KAZ, KGZ, PAK, "
            "RUS, TJK, UZB)") in result.stdout  # the data's year: Belarus joined in 2024
    assert analytics_entries(bank) == [("statistics", "dependency", 271_801)]
    help_text = bank.cli("analytics", "dependency", "--help").stdout
    assert "--dataset" in help_text and "--icio" in help_text


def test_the_dependency_of_a_dataset_not_in_the_bank_is_not_found(bank, tmp_path):
    result = bank.cli("analytics", "dependency", "--dataset", "no-such-icio", "--out", tmp_path / "d.parquet")
    assert result.exit_code == 3 and "no-such-icio" in result.stderr
    assert not (tmp_path / "d.parquet").exists()


def test_the_opportunities_command_reads_the_icio_flows_with_todays_bloc(bank, icio, tmp_path):
    result = bank.cli("analytics", "opportunities", "--dataset", icio, "--bloc-year", "2024", "--top", "3",
                      "--out", tmp_path / "o.parquet")
    assert result.exit_code == 0, result.stderr
    assert ("18 member x product opportunities (weights density 0.6, pci 0.15, cog 0.25; country set ranked)"
            in result.stdout)  # a bank dataset: the stated set by default
    rows = pq.read_table(tmp_path / "o.parquet").to_pandas()
    assert rows.groupby("member").size().to_dict() == {m: 3 for m in ("BLR", "CHN", "IND", "KAZ", "PAK", "RUS")}
    assert (rows.rca < 1).all() and (rows.attractiveness > 0).all()


def test_the_api_defaults_to_the_icio_flows_for_opportunities(bank, icio):
    from fastapi.testclient import TestClient

    from scobank.api.app import create_app
    from scobank.deps import current_reader

    app = create_app()
    app.dependency_overrides[current_reader] = lambda: OPERATOR
    body = TestClient(app).get("/api/v1/analytics/opportunities",
                               params={"member": "PAK", "bloc_year": 2024, "w_cog": 0.5, "limit": 5}).json()
    assert body["parameters"]["dataset"] == SLUG and body["parameters"]["w_cog"] == 0.5
    rows = body["tables"]["opportunities"]["rows"]
    assert len(rows) == 5 and all(r["member"] == "PAK" and r["w_cog"] == 0.5 and r["product_name"] for r in rows)
