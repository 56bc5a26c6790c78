"""Inputs that used to answer 500 (issue 17 item 7) answer a 4xx naming what is wrong; timestamps
carry their time zone, as the declared `date-time` format requires."""

from __future__ import annotations

import json
import re

import pytest

BIG = 2**63  # one past the largest BIGINT


@pytest.fixture
def steward(bank) -> dict[str, str]:
    assert bank.cli("orgs", "create", "kz-stat", "--party", "KAZ", "--name", "Statistics KZ").exit_code == 0
    assert bank.cli("users", "create", "steward@example.org", "--org", "kz-stat", "--role", "steward").exit_code == 0
    done = bank.cli("tokens", "create", "steward@example.org", "--scope", "admin", "--json")
    return {"Authorization": f"Bearer {json.loads(done.stdout)['token']}"}


def _id_routes(app):
    """Every route with an id in its path: the API's, and the portal's pages (its forms check the CSRF
    token before anything else)."""
    for route in app.routes:
        for ctx in (route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]):
            path = getattr(ctx, "path_format", None) or getattr(ctx, "path", "")
            if re.search(r"\{\w+_id\}", path):
                for method in sorted((ctx.methods or set()) - {"HEAD"}):
                    if path.startswith("/api/") or method == "GET":
                        yield method, path


def test_an_id_above_2_63_is_a_422_on_every_route_that_takes_one(app, client, steward):
    routes = list(_id_routes(app))
    assert len(routes) >= 25
    wrong = []
    for method, path in routes:
        url = re.sub(r"\{\w+_id\}", str(BIG), path)
        answer = client.request(method, url, headers=steward, json={} if method in ("POST", "PATCH", "PUT") else None)
        if answer.status_code != 422:
            wrong.append(f"{method} {path}: {answer.status_code}")
    assert wrong == []


def test_bloc_year_zero_is_a_422_naming_it(client):
    answer = client.get("/api/v1/analytics/dependency", params={"bloc_year": 0})
    assert answer.status_code == 422
    assert [(p["file"], p["column"]) for p in answer.json()["problems"]] == [("query", "bloc_year")]


def test_a_null_title_is_a_422_naming_it(bank, client, steward, tmp_path):
    source = tmp_path / "harvest.csv"
    source.write_text("region,tonnes\nAkmola,120\n", encoding="utf-8")
    assert bank.cli("ingest", str(source), "--org", "kz-stat", "--dataset", "kz-harvest").exit_code == 0
    answer = client.patch("/api/v1/datasets/kz-harvest", json={"title": None}, headers=steward)
    assert answer.status_code == 422
    assert [(p["file"], p["column"]) for p in answer.json()["problems"]] == [("body", "title")]
    assert client.patch("/api/v1/datasets/kz-harvest", json={"license": "CC-BY-4.0"}, headers=steward).status_code == 200


def test_timestamps_in_answers_carry_their_time_zone(client, steward):
    organisations = client.get("/api/v1/organisations").json()
    tokens = client.get("/api/v1/tokens", headers=steward).json()
    stamps = [organisations[0]["created_at"], tokens[0]["created_at"]]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", s) for s in stamps), stamps


def test_a_token_valid_for_ever_and_a_day_is_a_422_not_an_overflow(client, steward):
    answer = client.post("/api/v1/tokens", json={"scope": "read", "expires_days": 10**12}, headers=steward)
    assert answer.status_code == 422 and answer.json()["problems"][0]["column"] == "expires_days"
