"""Sovereignty gaps users hit (issue 17, item 11): no paging around --no-export, checked party codes,
an export refused under an agreement cites the agreement."""

from __future__ import annotations

from datetime import date, timedelta

from tests.access.conftest import publish

ROWS = "region,year,tonnes\n" + "".join(f"R{i},{2000 + i % 20},{i}\n" for i in range(60))


def test_no_export_stops_paging_through_every_row(bank, world, client, tmp_path, monkeypatch):
    from scobank.catalog import query

    monkeypatch.setattr(query, "NO_EXPORT_ROWS", 40)
    publish(bank, tmp_path, "kz-paged", "kz-stat", ROWS)
    assert bank.cli("policy", "set", "kz-paged", "--audience", "members", "--no-export").exit_code == 0
    headers, seen = world.headers("ru_viewer"), 0
    page = client.get("/api/v1/datasets/kz-paged/rows", params={"limit": 20}, headers=headers).json()
    seen += len(page["rows"])
    page = client.get("/api/v1/datasets/kz-paged/rows", params={"limit": 20, "cursor": page["next_cursor"]},
                      headers=headers).json()
    seen += len(page["rows"])
    third = client.get("/api/v1/datasets/kz-paged/rows", params={"limit": 20, "cursor": page["next_cursor"]},
                       headers=headers)
    assert seen == 40 and third.status_code == 403
    assert "at most 40 rows" in third.json()["message"]
    owner = client.get("/api/v1/datasets/kz-paged/rows", params={"limit": 60}, headers=world.headers("kz_viewer"))
    assert owner.status_code == 200 and len(owner.json()["rows"]) == 60  # owners are not limited


def test_a_policy_naming_an_unknown_party_is_refused(bank, world, tmp_path):
    publish(bank, tmp_path, "kz-parties", "kz-stat")
    result = bank.cli("policy", "set", "kz-parties", "--audience", "parties:RUS,XXX")
    assert result.exit_code == 2 and "unknown party XXX" in result.stderr
    assert bank.cli("policy", "set", "kz-parties", "--audience", "parties:RUS").exit_code == 0


def test_an_export_refused_under_an_agreement_cites_the_agreement(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-agreed", "kz-stat")
    assert bank.cli("policy", "set", "kz-agreed", "--audience", "owner").exit_code == 0
    until = (date.today() + timedelta(days=30)).isoformat()
    granted = bank.cli("agreements", "grant", "kz-agreed", world.emails["ru_viewer"], "--purpose", "research",
                       "--until", until)
    assert granted.exit_code == 0, granted.stderr
    answer = client.get("/api/v1/datasets/kz-agreed/export", params={"format": "csv"},
                        headers={**world.headers("ru_viewer"), "X-Purpose": "research"})
    assert answer.status_code == 403
    assert answer.json()["message"].startswith("your agreement ") and "not bulk export" in answer.json()["message"]
