"""Owners see who used their data, for what, under which agreement — and only their data."""

from __future__ import annotations

from sqlalchemy import select

from scobank.access import ledger, users
from scobank.catalog.models import Organisation

from .conftest import make_dataset


def _uses(bank, world):
    with bank.session() as s:
        kz = make_dataset(s, "kz-output", s.scalars(select(Organisation).where(Organisation.slug == "kz-stat")).one())
        ru = make_dataset(s, "ru-output", s.scalars(select(Organisation).where(Organisation.slug == "ru-minprom")).one())
        ru_reader = users.reader_for(s, users.find_user(s, world.emails["ru_viewer"]))
        mn_reader = users.reader_for(s, users.find_user(s, world.emails["mn_viewer"]))
        ledger.record(s, actor=ru_reader, action="query", dataset_id=kz, purpose="statistics", rows=12, cells=36)
        ledger.record(s, actor=mn_reader, action="export", dataset_id=kz, purpose="research", agreement_id=4, rows=5)
        ledger.record(s, actor=ru_reader, action="query", dataset_id=ru, rows=1)


def test_the_owner_sees_every_use_of_their_dataset_newest_first(bank, world, client):
    _uses(bank, world)
    body = client.get("/api/v1/ledger", params={"dataset": "kz-output"}, headers=world.headers("kz_viewer")).json()
    seen = [(e["actor"], e["party"], e["action"], e["purpose"], e["agreement_id"], e["rows"])
            for e in body["entries"]]
    assert seen == [("mn_viewer@example.org", "MNG", "export", "research", 4, 5),
                    ("ru_viewer@example.org", "RUS", "query", "statistics", None, 12)]


def test_filters_by_actor_action_and_party(bank, world, client):
    _uses(bank, world)
    h = world.headers("kz_steward")
    only = client.get("/api/v1/ledger", params={"action": "export"}, headers=h).json()["entries"]
    assert [(e["dataset"], e["actor"]) for e in only] == [("kz-output", "mn_viewer@example.org")]
    assert [e["action"] for e in client.get("/api/v1/ledger", params={"party": "RUS"}, headers=h).json()["entries"]] == [
        "query"]


def test_without_a_dataset_an_owner_sees_only_their_own_datasets(bank, world, client):
    _uses(bank, world)
    mine = client.get("/api/v1/ledger", headers=world.headers("ru_steward")).json()["entries"]
    assert {e["dataset"] for e in mine} == {"ru-output"}
    assert client.get("/api/v1/ledger", params={"dataset": "kz-output"},
                      headers=world.headers("ru_steward")).status_code == 403  # a member sees it exists


def test_the_cli_shows_the_same_entries(bank, world):
    _uses(bank, world)
    shown = bank.cli("--as", world.emails["kz_steward"], "ledger", "show", "--dataset", "kz-output")
    assert shown.exit_code == 0
    assert shown.stdout.count("\n") == 2 and "agreement=4" in shown.stdout
