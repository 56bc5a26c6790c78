"""Every list route tells the total over all its pages, in X-Total-Count (and in the body where the body
is an object), consistent with the pages a client walks: datasets, search, the ledger, access requests,
agreements, notices and exchange listings."""

from __future__ import annotations

import json
from datetime import date, timedelta

from fastapi.testclient import TestClient


def _client():
    from scobank.api.app import create_app

    return TestClient(create_app())


def test_the_ledger_total_is_the_number_of_entries_over_its_pages(bank, populated):
    client = _client()
    steward = {"Authorization": f"Bearer {populated['steward']}"}
    for _ in range(3):
        assert client.get("/api/v1/datasets/kz-industry/rows", headers=steward).status_code == 200
    seen, before, totals = [], None, set()
    while True:
        page = client.get("/api/v1/ledger", headers=steward,
                          params={"dataset": "kz-industry", "limit": 2, **({"before": before} if before else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        totals.add((body["total"], int(page.headers["X-Total-Count"])))
        seen += [e["seq"] for e in body["entries"]]
        before = body["next_before"]
        if before is None:
            break
    assert len(seen) == len(set(seen)) >= 4  # the publish, the policy and the three queries at least
    assert totals == {(len(seen), len(seen))}
    queries = client.get("/api/v1/ledger", headers=steward, params={"dataset": "kz-industry", "action": "query"})
    assert queries.json()["total"] == 3 == len(queries.json()["entries"])


def test_each_list_route_says_its_total(bank, populated):
    client = _client()
    admin = bank.cli("tokens", "create", "steward@stat.kz", "--scope", "admin", "--json")
    steward = {"Authorization": f"Bearer {json.loads(admin.stdout)['token']}"}
    until = (date.today() + timedelta(days=30)).isoformat()
    made = client.post("/api/v1/agreements", headers=steward,
                       json={"dataset": "kz-secret", "user": "analyst@minprom.ru", "purpose": "statistics",
                             "valid_until": until})
    assert made.status_code == 201, made.text
    for path, params, count in [("/api/v1/agreements", {}, lambda b: len(b)),
                                ("/api/v1/access-requests", {}, lambda b: len(b)),
                                ("/api/v1/access-notices", {}, lambda b: len(b)),
                                ("/api/v1/datasets", {"limit": 1}, lambda b: 2),
                                ("/api/v1/search", {"kind": "dataset", "limit": 1}, lambda b: b["total"]),
                                ("/api/v1/exchange/listings", {"limit": 1}, lambda b: b["total"])]:
        answer = client.get(path, headers=steward, params=params)
        assert answer.status_code == 200, (path, answer.text)
        assert int(answer.headers["X-Total-Count"]) == count(answer.json()), path
    assert client.get("/api/v1/agreements", headers=steward).headers["X-Total-Count"] == "1"
    assert client.get("/api/v1/search", headers=steward, params={"kind": "dataset", "limit": 1}).json()["total"] == 2
