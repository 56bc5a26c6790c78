"""The analytics REST API over datasets in the bank, as the portal and an analyst's client call it."""

from __future__ import annotations

import pyarrow.csv as pacsv
import pytest
from fastapi.testclient import TestClient

BACI_2020 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"


@pytest.fixture
def client(bank, data_dir, sitc_table, tmp_path) -> TestClient:
    """The API as the operator, with the two default datasets published: world SITC exports (2000) and
    the BACI HS17 2020 bilateral sample."""
    from scobank.access.reader import OPERATOR
    from scobank.api.app import create_app
    from scobank.deps import current_reader

    pacsv.write_csv(sitc_table, tmp_path / "sitc_2000.csv")
    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code == 0
    for path, slug, kind in ((tmp_path / "sitc_2000.csv", "sitc2-exports-1998-2000", "table"),
                             (data_dir / BACI_2020, "baci-hs17-2020-afg-zaf", "trade")):
        result = bank.cli("ingest", str(path), "--org", "cepii", "--dataset", slug, "--kind", kind)
        assert result.exit_code == 0, result.stderr
    app = create_app()
    app.dependency_overrides[current_reader] = lambda: OPERATOR
    return TestClient(app)


def test_complexity_ranks_countries_and_products(client):
    body = client.get("/api/v1/analytics/complexity", params={"limit": 5}).json()
    assert body["parameters"]["year"] == 2000 and body["parameters"]["convention"] == "ecomplexity"
    countries = body["tables"]["country"]
    assert countries["rows_total"] == 122 and len(countries["rows"]) == 5  # the Growth Lab's ranked set
    assert body["parameters"]["country_set"]["name"] == "ranked"
    assert "JPN" in [r["exporter"] for r in countries["rows"]]


def test_member_profile_for_the_portal(client):
    response = client.get("/api/v1/analytics/members/KAZ/profile", params={"top": 3, "flows_dataset": "baci-hs17-2020-afg-zaf"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["parameters"]["member"] == "KAZ" and body["parameters"]["countries_ranked"] == 122
    assert body["parameters"]["eci_rank"] == 90
    exports = body["tables"]["top_exports"]["rows"]
    assert len(exports) == 3 and exports[0]["value"] >= exports[1]["value"] and exports[0]["rca"] > 1
    assert set(body["tables"]) == {"top_exports", "top_imports", "import_partners", "substitution",
                                   "complementarity", "eci_series", "goods_totals", "sectors", "product_trade"}
    # the Growth Lab's series is not in this bank: no rows, and a notice that says so
    assert body["tables"]["eci_series"]["rows"] == []
    assert body["parameters"]["eci_published"]["notices"][0]["code"] == "no-eci-series"
    assert client.get("/api/v1/analytics/members/ATL/profile").status_code == 404


def test_member_profile_imports_come_from_the_bilateral_dataset_with_its_unit(client, data_dir):
    """The BACI sample holds the exports of AFG and ZAF only: Kazakhstan's imports there are its imports
    from those two, in US dollars (the bank stores BACI's thousands as USD)."""
    raw = pacsv.read_csv(data_dir / BACI_2020).to_pandas()
    kaz = raw[raw.j == 398]  # Kazakhstan's ISO numeric code
    body = client.get("/api/v1/analytics/members/KAZ/profile", params={"top": 3, "flows_dataset": "baci-hs17-2020-afg-zaf"}).json()
    p = body["parameters"]
    assert (p["imports_year"], p["imports_unit"], p["flows_exporters_named"]) == (2020, "USD", ["AFG", "ZAF"])
    assert p["imports_total"] == pytest.approx(kaz.v.sum() * 1000)
    partners = body["tables"]["import_partners"]["rows"]
    by_partner = kaz.groupby("i").v.sum() * 1000  # 4 = AFG, 710 = ZAF
    assert {r["partner"]: r["imports"] for r in partners} == pytest.approx({"AFG": by_partner[4], "ZAF": by_partner[710]})
    products = body["tables"]["top_imports"]["rows"]
    largest = kaz.groupby("k").v.sum().sort_values(ascending=False)
    assert [int(r["product"]) for r in products] == list(largest.index[:3])
    assert products[0]["share"] == pytest.approx(largest.iloc[0] / kaz.v.sum())


def test_substitution_and_overview_and_complementarity(client):
    sub = client.get("/api/v1/analytics/substitution", params={"importer": "CHN", "limit": 3}).json()
    rows = sub["tables"]["substitution"]["rows"]
    assert rows and all(r["importer"] == "CHN" for r in rows)
    over = client.get("/api/v1/analytics/overview", params={"countries": "ZAF,AFG"}).json()
    assert {r["country"] for r in over["tables"]["country"]["rows"]} == {"ZAF", "AFG"}
    comp = client.get("/api/v1/analytics/complementarity", params={"countries": "ZAF,AFG,CHN"}).json()
    assert comp["parameters"]["countries"] == ["ZAF", "AFG", "CHN"]
    assert all(0 <= r["trade_complementarity"] <= 100 for r in comp["tables"]["pairs"]["rows"])


def test_substitution_aggregates_to_the_hs_level_asked_in_the_query_string(client):
    response = client.get("/api/v1/analytics/substitution", params={"importer": "CHN", "level": "4", "limit": 5})
    assert response.status_code == 200, response.text
    rows = response.json()["tables"]["substitution"]["rows"]
    assert rows and all(len(r["product"]) == 4 for r in rows)
    assert client.get("/api/v1/analytics/substitution", params={"level": "3"}).status_code == 422


def test_dependency_and_an_unknown_dataset(client, bank, data_dir):
    from scobank.demo.datasets import publish_one

    with bank.session() as session:  # the OECD ICIO intermediate flows, as `make demo` publishes them
        publish_one(session, "oecd-icio-2022-intermediate-flows", data_dir=data_dir)
    body = client.get("/api/v1/analytics/dependency", params={"member": "rus", "limit": 2}).json()
    assert body["tables"]["dependency"]["rows_total"] == 27  # goods: ICIO sectors A01-C31T33 of the 49
    assert body["tables"]["dependency"]["rows"][0]["member"] == "RUS"
    assert body["parameters"]["bloc"][0]["year"] == 2022  # the data's year: BLR (2024) is outside
    assert "BLR" not in body["parameters"]["members"] and "IRN" not in body["parameters"]["members"]
    every = client.get("/api/v1/analytics/dependency", params={"member": "RUS", "products": "all"}).json()
    assert every["tables"]["dependency"]["rows_total"] == 49
    assert body["parameters"]["dataset"] == "oecd-icio-2022-intermediate-flows"
    assert body["parameters"]["unit"] == "USD million"
    missing = client.get("/api/v1/analytics/complexity", params={"dataset": "nope"})
    assert missing.status_code == 404 and missing.json()["code"] == "not-found"


def test_flows_in_hs22_and_in_rupees_keep_their_total_and_state_the_rate(client, data_dir):
    """Afghanistan's exports to India, 2020 (BACI HS17): in HS 2022 codes the total is the same; in Indian
    rupees each row carries the 2020 rate and the parameters list it."""
    raw = pacsv.read_csv(data_dir / BACI_2020, convert_options=pacsv.ConvertOptions(
        column_types={"k": "string"})).to_pandas()
    india = 699  # BACI's code for India (not ISO numeric 356)
    total = raw[(raw.i == 4) & (raw.j == india)].v.sum() * 1000  # thousands of USD
    assert total > 10e6  # about 60 million dollars in 2020
    hs22 = client.get("/api/v1/analytics/convert", params={
        "hs_from": "HS17", "hs_to": "HS22", "exporter": "AFG", "importer": "IND", "limit": 100_000}).json()
    rows = hs22["tables"]["flows"]["rows"]
    assert (hs22["parameters"]["hs_from"], hs22["parameters"]["hs_to"]) == ("HS17", "HS22")
    assert sum(r["value"] for r in rows) == pytest.approx(total, rel=1e-9)
    assert {len(r["product"]) for r in rows} == {6} and len(rows) > 20
    inr = client.get("/api/v1/analytics/convert", params={"currency": "INR", "exporter": "AFG",
                                                          "importer": "IND", "limit": 100_000}).json()
    (rate,) = inr["parameters"]["rates"]
    assert rate["rate_year"] == 2020 and 70 < rate["rate_per_usd"] < 80 and rate["rate_source"]
    assert inr["parameters"]["unit"] == "INR"
    assert sum(r["value"] for r in inr["tables"]["flows"]["rows"]) == pytest.approx(total * rate["rate_per_usd"], rel=1e-9)
    nothing = client.get("/api/v1/analytics/convert")
    assert nothing.status_code == 400 and "hs_to" in nothing.json()["message"]
