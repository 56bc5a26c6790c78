"""The catalog's reads go through the access gate: what a policy says is what an analyst of another
party gets from the rows, export and metadata endpoints (the access area's matrix covers every role;
this checks that the catalog honours what the Grant says: aggregates only with k, no export, hidden)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from .trade_files import HS17


@pytest.fixture
def analyst(bank, data_dir):
    """BACI published by CEPII (France); a viewer of Kazakhstan's ministry with a read token."""
    for args in (("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII"),
                 ("orgs", "create", "kz-trade", "--party", "KAZ", "--name", "Ministry of Trade"),
                 ("ingest", str(data_dir / HS17), "--org", "cepii", "--dataset", "baci-hs17", "--kind", "trade"),
                 ("users", "create", "analyst@trade.kz", "--org", "kz-trade", "--role", "viewer")):
        result = bank.cli(*args, input="a long enough password\n")
        assert result.exit_code == 0, (args, result.stderr)
    token = json.loads(bank.cli("tokens", "create", "analyst@trade.kz", "--scope", "read", "--json").stdout)["token"]
    from scobank.api.app import create_app

    return TestClient(create_app(), headers={"Authorization": f"Bearer {token}"})


def _policy(bank, *args):
    result = bank.cli("policy", "set", "baci-hs17", *args)
    assert result.exit_code == 0, result.stderr


def test_aggregates_only_gives_groups_of_at_least_k_rounded(bank, analyst):
    _policy(bank, "--audience", "members", "--aggregates-only", "20")
    rows = analyst.get("/api/v1/datasets/baci-hs17/rows", params={"filter": "exporter:eq:AFG"})
    assert rows.status_code == 403 and "aggregates only" in rows.json()["message"]
    grouped = analyst.get("/api/v1/datasets/baci-hs17/rows", params={
        "filter": "exporter:eq:AFG", "group_by": "importer", "agg": ["count", "value_usd:sum"], "limit": 1000})
    assert grouped.status_code == 200, grouped.text
    body = grouped.json()
    assert body["aggregates_only"] and body["rounded"] and body["suppressed_groups"] == "10-99"
    assert all(r["count"] >= 20 and r["count"] % 5 == 0 for r in body["rows"])
    assert analyst.get("/api/v1/datasets/baci-hs17/export", params={"format": "csv"}).status_code == 403


def test_no_export_still_allows_queries(bank, analyst):
    _policy(bank, "--audience", "members", "--no-export")
    assert analyst.get("/api/v1/datasets/baci-hs17/rows", params={"limit": 5}).status_code == 200
    export = analyst.get("/api/v1/datasets/baci-hs17/export", params={"format": "ndjson"})
    assert export.status_code == 403


def test_an_owner_only_dataset_does_not_exist_for_others(bank, analyst):
    _policy(bank, "--audience", "owner")
    assert analyst.get("/api/v1/datasets").json() == []
    for path in ("", "/versions", "/versions/1", "/rows", "/export", "/diff?from=1&to=1"):
        hidden = analyst.get(f"/api/v1/datasets/baci-hs17{path}")
        missing = analyst.get(f"/api/v1/datasets/no-such-data{path}")
        assert hidden.status_code == missing.status_code == 404, path
        assert hidden.json()["message"] == missing.json()["message"].replace("no-such-data", "baci-hs17")


def test_a_reader_cannot_publish_or_edit(bank, analyst):
    _policy(bank, "--audience", "members")
    assert analyst.get("/api/v1/datasets/baci-hs17").status_code == 200
    edit = analyst.patch("/api/v1/datasets/baci-hs17", json={"title": {"en": "Mine now"}})
    assert edit.status_code in (401, 403)
    upload = analyst.post("/api/v1/datasets/baci-hs17/versions", files={"file": ("x.csv", b"t,i,j,k,v,q\n")})
    assert upload.status_code in (401, 403)


def test_every_permitted_read_is_in_the_ledger_with_what_it_returned(bank, analyst):
    _policy(bank, "--audience", "members")
    page = analyst.get("/api/v1/datasets/baci-hs17/rows", params={"filter": "exporter:eq:AFG", "limit": 7,
                                                                    "select": "importer,value_usd"},
                       headers={"X-Purpose": "statistics"})
    assert page.status_code == 200
    analyst.get("/api/v1/datasets/baci-hs17/export", params={"format": "csv"})
    result = bank.cli("ledger", "show", "--dataset", "baci-hs17", "--actor", "analyst@trade.kz", "--json")
    assert result.exit_code == 0, result.stderr
    entries = {e["action"]: e for e in json.loads(result.stdout)}
    assert set(entries) >= {"query", "export"}
    query = entries["query"]
    assert (query["rows"], query["cells"], query["purpose"]) == (7, 14, "statistics")
    assert len(query["query_fingerprint"]) == 64
    assert entries["export"]["rows"] == 72_097


def test_a_refusal_is_answered_in_the_readers_language(bank, analyst):
    _policy(bank, "--audience", "members", "--no-export")
    en = analyst.get("/api/v1/datasets/baci-hs17/export", params={"format": "csv"})
    ru = analyst.get("/api/v1/datasets/baci-hs17/export", params={"format": "csv"}, headers={"Accept-Language": "ru"})
    zh = analyst.get("/api/v1/datasets/baci-hs17/export", params={"format": "csv", "lang": "zh"})
    assert en.status_code == ru.status_code == zh.status_code == 403
    assert en.json()["message"] == "the owner allows queries of baci-hs17 but not bulk export"
    assert (ru.json()["code"], ru.json()["message"]) == ("access-denied",
                                                          "владелец разрешает запросы к baci-hs17, но не выгрузку целиком")
    assert zh.json()["message"] == "所有者允许查询 baci-hs17，但不允许批量导出"
