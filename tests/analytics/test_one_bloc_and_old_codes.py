"""Two of the issue's inconsistencies, on the real files: every analysis of the ICIO 2022 flows takes the
bloc of the data's year by default (dependency once took 2024's, so Belarus moved in and out between
pages); and the SITC panel's legacy codes (rom, scg, ant) are read the same from the file and from the
bank dataset, with Romania ranked under ROU."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest
from fastapi.testclient import TestClient

ICIO = "oecd-icio-2022-intermediate-flows"
SITC = "sitc2-exports-1998-2000"
SITC_FILE = "trade-country-product-sitc2-1998-2000/world_trade_avg_1998_to_2000.csv.gz"


@pytest.fixture
def client(bank, data_dir) -> TestClient:
    from scobank.access.reader import OPERATOR
    from scobank.api.app import create_app
    from scobank.deps import current_reader
    from scobank.demo.datasets import publish_one

    with bank.session() as session:
        for slug in (ICIO, SITC):
            publish_one(session, slug, data_dir=data_dir)
        session.commit()
    app = create_app()
    app.dependency_overrides[current_reader] = lambda: OPERATOR
    return TestClient(app)


def test_dependency_substitution_and_opportunities_state_the_same_bloc_of_the_datas_year(client):
    asked = {"dependency": {"member": "RUS", "limit": 1}, "substitution": {"limit": 1},
             "opportunities": {"member": "KAZ", "limit": 1}}
    blocs = {}
    for route, params in asked.items():
        body = client.get(f"/api/v1/analytics/{route}", params={"dataset": ICIO, **params})
        assert body.status_code == 200, body.text
        stated = body.json()["parameters"]["bloc"]
        assert len(stated) == 1, (route, stated)  # one year of data: one bloc, stated
        blocs[route] = (stated[0]["year"], tuple(stated[0]["members"]))
    assert len(set(blocs.values())) == 1, blocs
    year, members = blocs["dependency"]
    assert year == 2022  # the data's year, not today's
    assert "BLR" not in members and "IRN" not in members  # Iran joined in 2023, Belarus in 2024
    assert {"CHN", "IND", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"} == set(members)


def test_the_panels_legacy_codes_are_read_alike_from_the_file_and_from_the_bank(client, bank, data_dir, tmp_path):
    raw = pacsv.read_csv(data_dir / SITC_FILE, convert_options=pacsv.ConvertOptions(
        column_types={"country": pa.string(), "product": pa.string()}))
    codes = set(raw["country"].to_pylist())
    assert {"rom", "scg", "ant"} <= codes and "rou" not in codes  # what the file writes
    romania = pc.sum(raw.filter(pc.equal(raw["country"], "rom"))["value"]).as_py()

    body = client.get("/api/v1/analytics/complexity", params={"dataset": SITC, "country_set": "all",
                                                              "limit": 1000}).json()
    banked = {r["exporter"]: r for r in body["tables"]["country"]["rows"]}
    assert {"ROU", "SCG", "ANT"} <= set(banked) and "ROM" not in banked
    ranked = client.get("/api/v1/analytics/complexity", params={"dataset": SITC, "limit": 1000}).json()
    assert "ROU" in {r["exporter"] for r in ranked["tables"]["country"]["rows"]}  # the Growth Lab ranks Romania

    # the same file on the command line (every country: what the peers compute over a file)
    pacsv.write_csv(pa.table({"year": pa.array([2000] * raw.num_rows, pa.int64()), "exporter": raw["country"],
                              "product": raw["product"], "value": raw["value"].cast(pa.float64())}),
                    tmp_path / "sitc.csv")
    result = bank.cli("analytics", "complexity", tmp_path / "sitc.csv", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    import pyarrow.parquet as pq

    eci = {r["exporter"]: r["eci"] for r in pq.read_table(tmp_path / "out" / "country.parquet").to_pylist()}
    assert {"ROU", "SCG", "ANT"} <= set(eci) and "ROM" not in eci
    for code in ("ROU", "SCG", "ANT", "KAZ"):
        assert eci[code] == pytest.approx(banked[code]["eci"], rel=1e-9, abs=1e-12), code
    assert romania > 0


def test_substitution_on_the_icio_flows_is_goods_by_default_and_services_apart(client):
    goods = client.get("/api/v1/analytics/substitution", params={"dataset": ICIO, "limit": 100_000}).json()
    services = client.get("/api/v1/analytics/substitution", params={"dataset": ICIO, "products": "services",
                                                                    "limit": 100_000}).json()
    assert goods["parameters"]["products"] == "goods" and services["parameters"]["products"] == "services"
    goods_rows, service_rows = goods["tables"]["substitution"]["rows"], services["tables"]["substitution"]["rows"]
    assert goods_rows and service_rows
    assert all(r["product"][0] in "ABC" for r in goods_rows)  # ICIO A-C: agriculture, mining, manufacturing
    assert not any(r["product"][0] in "ABC" for r in service_rows)
    # bloc totals come from the allocated measure only, each scope on its own
    for body in (goods, services):
        (total,) = body["parameters"]["bloc_totals"]
        assert total["allocated_value"] <= min(total["redirectable_supply"], total["bloc_extra_imports"]) * (1 + 1e-12)
