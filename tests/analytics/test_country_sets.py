"""Rankings over a stated country set, on the real SITC panel (1998-2000 average) as the demo publishes it:
the Growth Lab's ranked countries by default, every country on request; units and period stated."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

SITC = "sitc2-exports-1998-2000"
ATLAS_TOP_TEN = {"JPN", "DEU", "CHE", "SWE", "USA", "GBR", "FIN", "AUT", "FRA", "ITA"}
MICRO = {"SGS", "HMD", "BVT", "ATF", "IOT", "CCK", "CXR", "NFK", "PCN", "UMI"}


@pytest.fixture
def client(bank, data_dir) -> TestClient:
    from scobank.access.reader import OPERATOR
    from scobank.api.app import create_app
    from scobank.deps import current_reader
    from scobank.demo.datasets import publish_one

    with bank.session() as session:
        for slug in (SITC, "baci-hs17-2020-afg-zaf"):
            assert "NOT loaded" not in publish_one(session, slug, data_dir=data_dir)
        session.commit()
    app = create_app()
    app.dependency_overrides[current_reader] = lambda: OPERATOR
    return TestClient(app)


def test_the_ranking_is_over_the_growth_labs_ranked_countries_and_says_so(client):
    body = client.get("/api/v1/analytics/complexity", params={"dataset": SITC, "limit": 1000}).json()
    rows, stated = body["tables"]["country"]["rows"], body["parameters"]["country_set"]
    assert stated["name"] == "ranked" and stated["size"] == 122  # 123 ranked by the Atlas; SRB not in 1998-2000
    assert "Growth Lab" in stated["rule"] and stated["products_dropped"] == 3
    ranked = [r["exporter"] for r in rows]
    assert len(ranked) == 122 and not MICRO & set(ranked)  # micro-territories never rank by default
    assert len(ATLAS_TOP_TEN & set(ranked[:10])) >= 9  # Atlas-like: JPN, GBR, DEU, USA, SWE, CHE, FRA, AUT...
    kaz = next(r for r in rows if r["exporter"] == "KAZ")
    assert (kaz["rank"], kaz["of"]) == (90, 122)
    assert "ROU" in ranked  # the file's legacy "rom" is Romania, which the Growth Lab ranks


def test_the_whole_panel_on_request_ranks_micro_territories_too(client):
    body = client.get("/api/v1/analytics/complexity", params={"dataset": SITC, "country_set": "all",
                                                              "limit": 1000}).json()
    rows = body["tables"]["country"]["rows"]
    assert body["parameters"]["country_set"]["size"] == len(rows) == 226
    assert {"SGS", "HMD", "BVT"} <= {r["exporter"] for r in rows[:15]}  # why they are left out by default


def test_the_period_and_unit_come_from_the_data(client):
    body = client.get("/api/v1/analytics/complexity", params={"dataset": SITC, "year": 1999, "limit": 3}).json()
    assert body["parameters"]["period"]["label"] == "1998-2000 average"  # not "2000"
    assert body["parameters"]["period"]["kind"] == "multi-year"
    assert client.get("/api/v1/analytics/complexity", params={"dataset": SITC, "year": 1997}).status_code == 404
    profile = client.get("/api/v1/analytics/members/kaz/profile", params={
        "exports_dataset": SITC, "flows_dataset": "baci-hs17-2020-afg-zaf"}).json()
    p = profile["parameters"]
    assert (p["eci_rank"], p["countries_ranked"], p["exports_unit"]) == (90, 122, "relative weight")
    assert p["periods_differ"] is True  # 1998-2000 exports beside 2020 imports


def test_the_profile_page_states_the_rank_the_set_and_never_prints_weights_as_dollars(client):
    page = client.get(f"/members/KAZ/profile?exports={SITC}&flows=baci-hs17-2020-afg-zaf&lang=en").text
    assert "90th of 122" in page and "countries the Growth Lab ranks" in page
    assert "Top exports, 1998-2000 average (relative weights (not money))" in page
    top = page.split('top-exports', 1)[1].split("</table>", 1)[0]
    assert "$" not in top
    assert "not of the same period" in page
