"""The caller's stated purpose reaches the gate on every surface, analytics included (issue 17, item 4)."""

from __future__ import annotations

from sqlalchemy import select

from tests.access.conftest import publish

FLOWS = ("year,exporter,importer,product,value\n"
         "2020,KAZ,RUS,720839,1000\n2020,KAZ,CHN,720839,2000\n2020,RUS,KAZ,270900,5000\n"
         "2020,RUS,CHN,270900,7000\n2020,CHN,KAZ,850440,3000\n2020,CHN,RUS,850440,4000\n")


def _statistics_only(bank, tmp_path):
    publish(bank, tmp_path, "flows-stat", "kz-stat", FLOWS)
    result = bank.cli("policy", "set", "flows-stat", "--audience", "members", "--purposes", "statistics")
    assert result.exit_code == 0, result.stderr


def _analytics_entries(bank):
    from scobank.access.models import LedgerEntry

    with bank.session() as s:
        return [(e.actor, e.purpose) for e in s.scalars(
            select(LedgerEntry).where(LedgerEntry.action == "analytics").order_by(LedgerEntry.seq))]


def test_analytics_refuse_a_purpose_the_policy_does_not_allow(bank, world, client, tmp_path):
    _statistics_only(bank, tmp_path)
    url = "/api/v1/analytics/overview?dataset=flows-stat"
    commercial = client.get(url, headers={**world.headers("ru_steward"), "X-Purpose": "commercial"})
    assert commercial.status_code == 403, commercial.text
    assert "not for commercial" in commercial.json()["message"]
    rows = client.get(url, headers={**world.headers("ru_steward"), "X-Purpose": "commercial"}).status_code
    assert rows == 403
    stated = client.get(url, headers={**world.headers("ru_steward"), "X-Purpose": "statistics"})
    assert stated.status_code == 200, stated.text
    assert _analytics_entries(bank) == [(world.emails["ru_steward"], "statistics")]


def test_the_ledger_records_the_purpose_the_caller_stated(bank, world, client, tmp_path):
    publish(bank, tmp_path, "flows-open", "kz-stat", FLOWS)
    answer = client.get("/api/v1/analytics/overview?dataset=flows-open",
                        headers={**world.headers("ru_steward"), "X-Purpose": "research"})
    assert answer.status_code == 200, answer.text
    assert _analytics_entries(bank) == [(world.emails["ru_steward"], "research")]


def test_the_command_line_states_its_purpose_to_the_gate(bank, world, tmp_path):
    _statistics_only(bank, tmp_path)
    ru = world.emails["ru_steward"]
    refused = bank.cli("--as", ru, "--purpose", "commercial", "analytics", "overview", "--dataset", "flows-stat",
                       "--out", tmp_path / "o1")
    assert refused.exit_code == 4 and "not for commercial" in refused.stderr
    allowed = bank.cli("--as", ru, "analytics", "overview", "--dataset", "flows-stat", "--out", tmp_path / "o2")
    assert allowed.exit_code == 0, allowed.stderr
    assert _analytics_entries(bank) == [(ru, "statistics")]
