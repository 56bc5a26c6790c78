"""Access requests and agreements: ask, decide, use, revoke, expire — each step honoured by the gate."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from scobank.access.models import Agreement

from .conftest import publish

UNTIL = (date.today() + timedelta(days=90)).isoformat()


def _ask(client, world, nick="ru_viewer", **terms) -> dict:
    body = {"dataset": "kz-steel", "purpose": "research", "valid_until": UNTIL, **terms}
    answer = client.post("/api/v1/access-requests", json=body, headers=world.headers(nick))
    assert answer.status_code == 201, answer.text
    return answer.json()


def _rows(client, world, nick="ru_viewer", **params):
    return client.get("/api/v1/datasets/kz-steel/rows", params=params, headers=world.headers(nick))


def test_an_approved_request_opens_a_dataset_the_requester_could_only_see(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    bank.cli("policy", "set", "kz-steel", "--audience", "members", "--purposes", "statistics")
    assert _rows(client, world, purpose="research").status_code == 403
    asked = _ask(client, world)
    assert asked["status"] == "pending"
    pending = client.get("/api/v1/access-requests?status=pending", headers=world.headers("kz_steward")).json()
    assert [r["id"] for r in pending] == [asked["id"]]
    assert client.post(f"/api/v1/access-requests/{asked['id']}/approve",
                       headers=world.headers("ru_steward")).status_code == 403  # not their dataset
    decided = client.post(f"/api/v1/access-requests/{asked['id']}/approve", headers=world.headers("kz_steward"))
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    rows = _rows(client, world, purpose="research")
    assert rows.status_code == 200, rows.text
    used = client.get("/api/v1/ledger", params={"dataset": "kz-steel", "action": "query"},
                      headers=world.headers("kz_steward")).json()["entries"]
    assert used[0]["actor"] == world.emails["ru_viewer"]
    assert (used[0]["purpose"], used[0]["agreement_id"]) == ("research", decided.json()["agreement_id"])


def test_a_request_for_an_invisible_dataset_is_not_found(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    bank.cli("policy", "set", "kz-steel", "--audience", "owner")
    answer = client.post("/api/v1/access-requests", json={"dataset": "kz-steel", "purpose": "research",
                                                          "valid_until": UNTIL}, headers=world.headers("ru_viewer"))
    assert answer.status_code == 404


def test_a_narrowed_approval_grants_aggregates_only(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    bank.cli("policy", "set", "kz-steel", "--audience", "parties:MNG", "--purposes", "statistics")
    asked = _ask(client, world, nick="mn_viewer", export=True)
    soon = (date.today() + timedelta(days=30)).isoformat()
    narrowed = client.post(f"/api/v1/access-requests/{asked['id']}/narrow", headers=world.headers("kz_steward"),
                           json={"valid_until": soon, "aggregates_only_k": 5, "export": False})
    assert narrowed.status_code == 200, narrowed.text
    [agreement] = client.get("/api/v1/agreements", headers=world.headers("mn_viewer")).json()
    assert (agreement["aggregates_only_k"], agreement["export"], agreement["valid_until"], agreement["state"]) == (
        5, False, soon, "active")
    export = client.get("/api/v1/datasets/kz-steel/export", params={"format": "csv", "purpose": "research"},
                        headers=world.headers("mn_viewer"))
    assert export.status_code == 403


def test_narrowing_cannot_widen_and_a_decision_is_final(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    asked = _ask(client, world)
    later = (date.today() + timedelta(days=400)).isoformat()
    wider = client.post(f"/api/v1/access-requests/{asked['id']}/narrow", headers=world.headers("kz_steward"),
                        json={"valid_until": later})
    assert wider.status_code == 400 and "within the requested" in wider.json()["message"]
    assert client.post(f"/api/v1/access-requests/{asked['id']}/refuse",
                       headers=world.headers("kz_steward")).json()["status"] == "refused"
    again = client.post(f"/api/v1/access-requests/{asked['id']}/approve", headers=world.headers("kz_steward"))
    assert again.status_code == 409


def test_a_revoked_agreement_stops_working_at_once(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    bank.cli("policy", "set", "kz-steel", "--audience", "owner")
    granted = bank.cli("--as", world.emails["kz_steward"], "agreements", "grant", "kz-steel",
                       world.emails["ru_viewer"], "--purpose", "statistics", "--until", UNTIL)
    assert granted.exit_code == 0, granted.stderr
    assert _rows(client, world).status_code == 200
    agreement_id = int(granted.stdout.split()[1].rstrip(":"))
    assert bank.cli("--as", world.emails["ru_steward"], "agreements", "revoke", str(agreement_id)).exit_code == 3
    assert bank.cli("--as", world.emails["kz_steward"], "agreements", "revoke", str(agreement_id)).exit_code == 0
    assert _rows(client, world).status_code == 404  # owner-only again: it may not know it exists


def test_an_agreement_expires_by_itself(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    bank.cli("policy", "set", "kz-steel", "--audience", "owner")
    bank.cli("agreements", "grant", "kz-steel", world.emails["ru_viewer"], "--purpose", "statistics",
             "--until", UNTIL)
    assert _rows(client, world).status_code == 200
    with bank.session() as s:
        s.execute(update(Agreement).values(valid_until=date.today() - timedelta(days=1)))
    assert _rows(client, world).status_code == 404
    listed = client.get("/api/v1/agreements", headers=world.headers("ru_viewer")).json()
    assert listed[0]["state"] == "expired"


def test_partners_may_not_request_when_their_party_may_not(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    bank.cli("policy", "set", "kz-steel", "--audience", "public")
    assert bank.cli("policy", "party-rights", "TUR", "--no-requests").exit_code == 0
    answer = client.post("/api/v1/access-requests", json={"dataset": "kz-steel", "purpose": "research",
                                                          "valid_until": UNTIL}, headers=world.headers("tr_viewer"))
    assert answer.status_code == 403


def test_requests_from_the_cli(bank, world, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    made = bank.cli("--as", world.emails["ru_viewer"], "requests", "create", "kz-steel", "--purpose",
                    "statistics", "--until", UNTIL)
    assert made.exit_code == 0, made.stderr
    assert "-> pending" in made.stdout
    listed = bank.cli("--as", world.emails["kz_steward"], "requests", "list", "--status", "pending")
    assert "ru_viewer@example.org asks kz-steel for statistics" in listed.stdout
    request_id = made.stdout.split()[1].rstrip(":")
    approved = bank.cli("--as", world.emails["kz_steward"], "requests", "approve", request_id)
    assert approved.exit_code == 0 and "approved (agreement" in approved.stdout
