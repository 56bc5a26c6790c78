"""Owner only, others ask (issue 17, item 11): a listed dataset shows its title, publisher and
description (no data) to readers of other organisations, who may ask for it; the stewards hear of the
request, the steward's approval goes to the requesting organisation, the requester hears of it, every
user of that organisation then reads the rows, and every read is in the ledger."""

from __future__ import annotations

from datetime import date, timedelta

from tests.access.conftest import publish

UNTIL = (date.today() + timedelta(days=90)).isoformat()


def _secret(bank, world, tmp_path, *flags: str) -> None:
    publish(bank, tmp_path, "kz-secret", "kz-stat")
    with bank.session() as s:
        from scobank.catalog.datasets import update_dataset
        from scobank.catalog.schemas import DatasetUpdate
        from scobank.access.reader import OPERATOR

        update_dataset(s, slug="kz-secret", actor=OPERATOR, changes=DatasetUpdate(
            title={"en": "Steel output by region"}, description={"en": "Monthly tonnes by oblast"},
            keywords={"en": ["confidential-keyword"]}))
    result = bank.cli("policy", "set", "kz-secret", "--audience", "owner", *flags)
    assert result.exit_code == 0, result.stderr


def _listed(client, world, nick):
    answer = client.get("/api/v1/datasets", headers=world.headers(nick))
    assert answer.status_code == 200
    return {d["slug"]: d for d in answer.json()}


def test_a_listed_dataset_shows_its_listing_and_no_data_to_other_organisations(bank, world, client, tmp_path):
    _secret(bank, world, tmp_path, "--listed")
    seen = _listed(client, world, "ru_viewer")["kz-secret"]
    assert seen["listed_only"] is True
    assert (seen["title"], seen["description"], seen["organisation"], seen["party"]) == (
        {"en": "Steel output by region"}, {"en": "Monthly tonnes by oblast"}, "kz-stat", "KAZ")
    assert (seen["keywords"], seen["latest_version"], seen["version_count"], seen["declared_schema"]) == ({}, None, 0, None)
    one = client.get("/api/v1/datasets/kz-secret", headers=world.headers("ru_viewer")).json()
    assert one["listed_only"] is True and one["latest_version"] is None
    for path in ("/rows", "/versions", "/export?format=csv", "/versions/1", "/datapackage.json", "/rows?group_by=region"):
        refused = client.get(f"/api/v1/datasets/kz-secret{path}", headers=world.headers("ru_viewer"))
        assert refused.status_code == 403, (path, refused.text)
        assert "request access" in refused.json()["message"]
    assert "Akmola" not in str(_listed(client, world, "ru_viewer"))
    owner = _listed(client, world, "kz_viewer")["kz-secret"]
    assert owner["listed_only"] is False and owner["latest_version"] == 1
    assert "kz-secret" not in _listed(client, world, "anonymous")  # listings are for logged-in readers
    assert client.get("/api/v1/datasets/kz-secret").status_code == 404


def test_an_unlisted_owner_only_dataset_stays_unknown(bank, world, client, tmp_path):
    _secret(bank, world, tmp_path)
    assert "kz-secret" not in _listed(client, world, "ru_viewer")
    assert client.get("/api/v1/datasets/kz-secret", headers=world.headers("ru_viewer")).status_code == 404
    asked = client.post("/api/v1/access-requests", json={"dataset": "kz-secret", "purpose": "research",
                                                         "valid_until": UNTIL}, headers=world.headers("ru_viewer"))
    assert asked.status_code == 404


def test_ask_approve_to_the_organisation_read_and_every_step_is_known(bank, world, client, tmp_path):
    _secret(bank, world, tmp_path, "--listed")
    world.add_user("ru_analyst", "ru-minprom", "viewer")
    assert client.get("/api/v1/datasets/kz-secret", headers=world.headers("ru_viewer")).json()["listed_only"]
    assert client.get("/api/v1/datasets/kz-secret/rows", headers=world.headers("ru_analyst")).status_code == 403
    asked = client.post("/api/v1/access-requests", headers=world.headers("ru_viewer"), json={
        "dataset": "kz-secret", "purpose": "research", "valid_until": UNTIL, "for_organisation": True,
        "message": "regional steel study"})
    assert asked.status_code == 201, asked.text
    assert (asked.json()["organisation"], asked.json()["status"]) == ("ru-minprom", "pending")

    told = client.get("/api/v1/access-notices", headers=world.headers("kz_steward")).json()
    assert [(n["topic"], n["dataset"], n["requester"]) for n in told] == [
        ("request-filed", "kz-secret", world.emails["ru_viewer"])]
    assert client.get("/api/v1/access-notices", headers=world.headers("ru_steward")).json() == []  # not theirs

    decided = client.post(f"/api/v1/access-requests/{asked.json()['id']}/approve",
                          headers=world.headers("kz_steward"))
    assert decided.status_code == 200, decided.text
    agreements = client.get("/api/v1/agreements", headers=world.headers("ru_analyst")).json()
    assert [(a["organisation"], a["user"], a["state"]) for a in agreements] == [("ru-minprom", None, "active")]
    heard = client.get("/api/v1/access-notices", headers=world.headers("ru_viewer")).json()
    assert [(n["topic"], n["status"]) for n in heard] == [("request-decided", "approved")]
    assert client.post(f"/api/v1/access-notices/{heard[0]['id']}/read",
                       headers=world.headers("ru_viewer")).json()["read_at"] is not None
    assert client.get("/api/v1/access-notices?unread_only=true", headers=world.headers("ru_viewer")).json() == []

    research = {"X-Purpose": "research"}
    for nick in ("ru_viewer", "ru_analyst"):  # the organisation holds it: each of its users reads
        rows = client.get("/api/v1/datasets/kz-secret/rows", headers={**world.headers(nick), **research})
        assert rows.status_code == 200, rows.text
        assert sorted(r["region"] for r in rows.json()["rows"])[:2] == ["Akmola", "Akmola"]
    assert client.get("/api/v1/datasets/kz-secret/rows", headers={**world.headers("mn_viewer"), **research}
                      ).status_code == 403  # another organisation: still only the listing
    ledger = client.get("/api/v1/ledger", params={"dataset": "kz-secret", "limit": 1000},
                        headers=world.headers("kz_steward")).json()["entries"]
    reads = [(e["actor"], e["agreement_id"]) for e in ledger if e["action"] == "query"]
    agreement = decided.json()["agreement_id"]
    assert sorted(reads) == sorted([(world.emails["ru_viewer"], agreement), (world.emails["ru_analyst"], agreement)])
    steps = [(e["actor"].split("@")[0], e["action"], (e["detail"] or {}).get("asked")) for e in reversed(ledger)
             if e["actor"].startswith("ru_") and e["action"] != "query"]
    assert steps[:3] == [("ru_viewer", "listing", None), ("ru_analyst", "refused", "query"),
                         ("ru_viewer", "access-request", None)]
    assert any(e["action"] == "access-approve" and e["actor"] == world.emails["kz_steward"] for e in ledger)


def test_the_cli_asks_for_the_organisation(bank, world, tmp_path):
    import json

    _secret(bank, world, tmp_path, "--listed")
    asked = bank.cli("--as", world.emails["ru_viewer"], "requests", "create", "kz-secret", "--purpose", "research",
                     "--until", UNTIL, "--for-organisation", "--json")
    assert asked.exit_code == 0, asked.stderr
    assert (json.loads(asked.stdout)["organisation"], json.loads(asked.stdout)["status"]) == ("ru-minprom", "pending")
    hidden = bank.cli("--as", world.emails["ru_viewer"], "requests", "create", "kz-other", "--purpose", "research",
                      "--until", UNTIL)
    assert hidden.exit_code == 3 and "Traceback" not in hidden.stderr
