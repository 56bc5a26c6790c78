"""What the analytics API says about its answers, on the real data: the bloc it used, honest emptiness
with its reason, `countries=all`, codes as people type them, and the same figures from a file and from the
same data as a bank dataset."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

BACI_2020 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
ICIO = "icio-oecd-2022-intermediate/icio2022_interm_exporter_sector_to_importer.parquet"


@pytest.fixture
def client(bank, data_dir) -> TestClient:
    """The API as the operator over the BACI HS17 2020 sample (exporters AFG and ZAF only)."""
    from scobank.access.reader import OPERATOR
    from scobank.api.app import create_app
    from scobank.deps import current_reader

    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code == 0
    result = bank.cli("ingest", str(data_dir / BACI_2020), "--org", "cepii", "--dataset",
                      "baci-hs17-2020-afg-zaf", "--kind", "trade")
    assert result.exit_code == 0, result.stderr
    app = create_app()
    app.dependency_overrides[current_reader] = lambda: OPERATOR
    return TestClient(app)


def test_substitution_where_no_member_exports_says_so_and_points_to_a_dataset_that_can(client):
    body = client.get("/api/v1/analytics/substitution", params={"limit": 3}).json()
    p = body["parameters"]
    (notice,) = p["notices"]
    assert notice["code"] == "no-member-exporters" and "AFG, ZAF" in notice["message"]
    assert notice["datasets"] == ["oecd-icio-2022-intermediate-flows"]
    assert p["bloc"] == [{"data_year": 2020, "year": 2020, "members": ["CHN", "IND", "KAZ", "KGZ", "PAK", "RUS",
                                                                       "TJK", "UZB"],
                          "rule": "parties with member status on 31 December of the year (party history)"}]
    (total,) = p["bloc_totals"]
    assert total["allocated_value"] == 0 and total["redirectable_supply"] == 0 and total["bloc_extra_imports"] > 1e9
    assert "per-importer upper bounds" in p["upper_bound"] and p["unit"] == "USD"


def test_chinas_exports_in_a_sample_of_two_exporters_are_unknown_not_zero(client):
    body = client.get("/api/v1/analytics/overview", params={"countries": "chn,zaf"}).json()
    rows = {r["country"]: r for r in body["tables"]["country"]["rows"]}
    assert rows["CHN"]["exports"] is None and rows["CHN"]["imports"] > 1e9  # it imports from AFG and ZAF
    assert rows["ZAF"]["exports"] > 1e9
    (notice,) = body["parameters"]["notices"]
    assert "CHN export nothing here" in notice["message"] and "AFG, ZAF" in notice["message"]


def test_countries_all_means_every_country_and_codes_are_read_as_people_type_them(client):
    everyone = client.get("/api/v1/analytics/complementarity", params={"countries": "all", "limit": 5}).json()
    assert everyone["parameters"]["countries"] == "all" and everyone["tables"]["pairs"]["rows_total"] > 100
    lower = client.get("/api/v1/analytics/complementarity", params={"countries": "afg,chn,zaf"}).json()
    pairs = {(r["exporter"], r["importer"]): r for r in lower["tables"]["pairs"]["rows"]}
    assert ("AFG", "CHN") in pairs and ("ZAF", "CHN") in pairs
    # China exports nothing in this sample: its similarity with Afghanistan is undefined, not 0
    assert pairs[("AFG", "CHN")]["export_similarity"] is None
    assert pairs[("AFG", "ZAF")]["export_similarity"] > 0
    china = client.get("/api/v1/analytics/substitution", params={"importer": "chn", "limit": 1}).json()
    assert china["tables"]["substitution"]["rows"][0]["importer"] == "CHN"


def test_withdrawn_codes_in_a_file_are_read_as_their_successors(bank, tmp_path):
    from scobank.analytics.panel import BILATERAL_COLUMNS, read_panel

    pacsv.write_csv(pa.table({"year": [1999, 1999, 1999], "exporter": ["rom", "ZAR", "tmp"],
                              "importer": ["chn", "scg", "ant"], "product": ["2709", "2709", "2709"],
                              "value": [1.0, 2.0, 3.0]}), tmp_path / "old.csv")
    panel = read_panel(tmp_path / "old.csv", columns=BILATERAL_COLUMNS)
    assert panel["exporter"].to_pylist() == ["ROU", "COD", "TLS"]
    assert panel["importer"].to_pylist() == ["CHN", "SCG", "ANT"]  # countries of their own, kept
    with bank.session() as session:
        from scobank.reference.lookup import resolve_country

        assert resolve_country(session, "rom") == "ROU" and resolve_country(session, "ZAR") == "COD"


def test_a_file_and_the_same_data_as_a_bank_dataset_give_the_same_opportunities(bank, data_dir, tmp_path):
    """The ICIO flows with their domestic rows: both paths leave them out of a bilateral panel."""
    from scobank.access.reader import OPERATOR
    from scobank.analytics import service
    from scobank.demo.datasets import publish_one

    raw = pq.read_table(data_dir / ICIO)
    flows = pa.table({"year": pa.array([2022] * raw.num_rows, pa.int64()),
                      "exporter": raw["exporter"].cast(pa.string()), "importer": raw["importer"].cast(pa.string()),
                      "product": raw["exporter_sector"].cast(pa.string()), "value": raw["value_usd_mn"]})
    assert pc.sum(pc.equal(flows["exporter"], flows["importer"])).as_py() > 3000  # domestic rows in the file
    pq.write_table(flows, tmp_path / "icio.parquet")
    result = bank.cli("analytics", "opportunities", tmp_path / "icio.parquet", "--out", tmp_path / "o.parquet")
    assert result.exit_code == 0, result.stderr
    from_file = pq.read_table(tmp_path / "o.parquet").to_pandas().set_index(["member", "product"])
    with bank.session() as session:
        publish_one(session, "oecd-icio-2022-intermediate-flows", data_dir=data_dir)
        session.commit()
        # a file on the command line is computed over every country in it (ANALYTICS.md): so is the dataset here
        banked = service.opportunity_table(session, reader=OPERATOR, products="all", country_set="all",
                                           limit=100_000)
    from_bank = {(r["member"], r["product"]): r for r in banked.tables["opportunities"].rows}
    assert len(from_bank) == len(from_file) > 100
    keys = [k for k in [("KAZ", "C20"), ("RUS", "C26"), ("CHN", "B06"), ("KAZ", "C24A")] if k in from_bank]
    assert keys
    for key in keys:
        row = from_file.loc[key]
        assert from_bank[key]["feasibility"] == pytest.approx(row.feasibility, rel=1e-9)
        assert from_bank[key]["attractiveness"] == pytest.approx(row.attractiveness, rel=1e-9)
