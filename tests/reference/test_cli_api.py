"""`scobank reference ...` and /api/v1/reference/... as a user calls them."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient


@pytest.fixture(autouse=True)
def _needs_data(data_dir):
    return data_dir


@pytest.fixture
def client(bank):
    from scobank.api.app import create_app

    return TestClient(create_app())


def test_cli_lists_countries_as_json(bank):
    result = bank.cli("reference", "countries", "--json")
    assert result.exit_code == 0, result.stderr
    rows = {r["iso3"]: r for r in json.loads(result.stdout)}
    assert rows["IND"]["baci_code"] == 699 and rows["KAZ"]["name_en"] == "Kazakhstan"


def test_cli_parties_on_a_date(bank):
    result = bank.cli("reference", "parties", "--on", "2023-01-01", "--json")
    assert result.exit_code == 0, result.stderr
    parties = {p["iso3"]: p for p in json.loads(result.stdout)["parties"]}
    assert parties["IRN"]["status"] == "observer"
    assert parties["KGZ"]["name"] == {"en": "Kyrgyzstan", "ru": "Кыргызстан", "zh": "吉尔吉斯斯坦"}
    assert sum(p["status"] == "member" for p in parties.values()) == 8


def test_cli_rejects_a_bad_date_with_a_plain_message(bank):
    result = bank.cli("reference", "parties", "--on", "yesterday")
    assert result.exit_code == 2
    assert "--on 'yesterday' is not a date" in result.stderr


def test_cli_shows_an_hs_code_with_its_languages(bank):
    result = bank.cli("reference", "hs", "7208", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["code"] == "7208" and data["description"]["ru"].startswith("Прокат плоский")
    assert "热轧" in data["description"]["zh"] and data["description"]["zh"].endswith(" [归纳]")  # hot-rolled; derived
    chassis = json.loads(bank.cli("reference", "hs", "8706", "--json").stdout)["description"]
    assert chassis["ru"].startswith("[en] Chassis; fitted with engines")  # no TN VED heading text here
    missing = bank.cli("reference", "hs", "999998")
    assert missing.exit_code == 3 and "999998" in missing.stderr


def test_an_administrator_edits_the_party_history(bank):
    result = bank.cli("reference", "party-set", "MNG", "--status", "member", "--from", "2030-01-01")
    assert result.exit_code == 0, result.stderr
    before = json.loads(bank.cli("reference", "parties", "--on", "2029-12-31", "--json").stdout)
    after = json.loads(bank.cli("reference", "parties", "--on", "2030-01-01", "--json").stdout)
    assert {p["iso3"]: p["status"] for p in before["parties"]}["MNG"] == "observer"
    assert {p["iso3"]: p["status"] for p in after["parties"]}["MNG"] == "member"
    bad = bank.cli("reference", "party-set", "MNG", "--status", "king", "--from", "2030-01-01")
    assert bad.exit_code == 2 and "unknown party status 'king'" in bad.stderr


def test_cli_rate_names_its_source(bank):
    result = bank.cli("reference", "rate", "kzt", "2020")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("KZT 2020: 412.95") and "WDI" in result.stdout
    missing = bank.cli("reference", "rate", "KZT", "1999")
    assert missing.exit_code == 3 and "no exchange rate for KZT in 1999" in missing.stderr


def test_each_reference_command_explains_itself(bank):
    for command in ("countries", "parties", "hs", "rate", "party-set"):
        result = bank.cli("reference", command, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_api_countries_and_parties(client):
    countries = {c["iso3"]: c for c in client.get("/api/v1/reference/countries").json()}
    assert countries["INT"]["kind"] == "international"
    assert countries["KGZ"]["name"]["ru"] == "Кыргызстан"
    parties = client.get("/api/v1/reference/parties", params={"on": "2024-12-31"}).json()
    assert sum(p["status"] == "member" for p in parties["parties"]) == 10


def test_api_hs_code_and_prefix(client):
    code = client.get("/api/v1/reference/hs/HS22/0101").json()
    assert code["level"] == 4 and code["parent"] == "01" and code["section"] == "I"
    listing = client.get("/api/v1/reference/hs/HS17", params={"prefix": "7208"}).json()
    assert [c["code"] for c in listing][:2] == ["7208", "720810"]
    unknown = client.get("/api/v1/reference/hs/HS31/01")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not-found"


def test_only_a_platform_administrator_edits_parties_through_the_api(bank, client):
    from scobank.access import tokens, users

    with bank.session() as s:
        admin = users.create_user(s, email="admin@example.org", organisation=None, role="platform-admin",
                                  password="correct horse battery")
        secret = tokens.create_token(s, user=admin, scope="admin").token
    body = {"status": "partner", "valid_from": "2026-01-01", "source": "Bishkek summit 2026 (example)"}
    assert client.put("/api/v1/reference/parties/VNM", json=body).status_code == 401
    response = client.put("/api/v1/reference/parties/VNM", json=body, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200, response.text
    assert response.json()["source"] == "Bishkek summit 2026 (example) (admin@example.org)"
    parties = client.get("/api/v1/reference/parties", params={"on": "2026-06-01"}).json()["parties"]
    assert {p["iso3"]: p["status"] for p in parties}["VNM"] == "partner"
    bad = client.put("/api/v1/reference/parties/VNM", json={**body, "status": "emperor"},
                     headers={"Authorization": f"Bearer {secret}"})
    assert bad.status_code == 400 and "unknown party status" in bad.json()["message"]


@pytest.mark.parametrize("url", [
    "/api/v1/reference/hs/HS22/%F0%9F%98%80", "/api/v1/reference/hs/hs22/1", "/api/v1/reference/hs/HS22/0101010101",
    "/api/v1/reference/hs/%00/01", "/api/v1/reference/hs/HS22?prefix=abc", "/api/v1/reference/parties?on=2025-02-30",
    "/api/v1/search?q=%00%00", "/api/v1/search?q=" + "钢" * 400, "/api/v1/search?q=%27%3B%20DROP%20TABLE%20datasets",
    "/api/v1/search?year_from=3000&year_to=1000", "/api/v1/search?party=%25", "/api/v1/search?limit=100000",
])
def test_odd_requests_get_a_clear_answer_never_a_500(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404, 422), (url, response.status_code, response.text[:200])
    if response.status_code == 200 and "/search" in url:
        assert response.json()["total"] == 0
