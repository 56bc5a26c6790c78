"""`scobank move-metadata --to URL`: an embedded bank moves onto PostgreSQL and goes on working there.

Runs in the PostgreSQL pass of `make test` (it needs a PostgreSQL server to move into); the source is a
real SQLite bank made by `scobank init`, with a published dataset, a user and ledgered reads.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.conftest import PG_ADMIN_URL, Bank, _configure, _pg_exec

pytestmark = pytest.mark.db
needs_postgres = pytest.mark.skipif(not PG_ADMIN_URL, reason="needs PostgreSQL (make test-postgres)")

CSV = "year,exporter,value\n2021,KAZ,1.5\n2022,KAZ,2.25\n2022,UZB,4\n"


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Bank:
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'bank.db'}"
    _configure(monkeypatch, home, url)
    bank = Bank(home=home, url=url)
    assert bank.cli("init").exit_code == 0
    assert bank.cli("orgs", "create", "kazstat", "--party", "KAZ", "--name", "Kazakhstan statistics").exit_code == 0
    source = tmp_path / "exports.csv"
    source.write_text(CSV, encoding="utf-8")
    assert bank.cli("ingest", str(source), "--org", "kazstat", "--dataset", "kaz-exports").exit_code == 0
    assert bank.cli("query", "kaz-exports").exit_code == 0  # a gated read, in the ledger
    return bank


@pytest.fixture
def empty_postgres() -> str:
    name = f"mv_{uuid.uuid4().hex[:10]}"
    _pg_exec(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    from scobank.db import reset_engines

    reset_engines()
    _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ledger_entries(bank: Bank) -> int:
    result = bank.cli("ledger", "verify")
    assert result.exit_code == 0, result.stderr
    return int(result.stdout.split("intact: ")[1].split()[0])


@needs_postgres
def test_moved_bank_answers_the_same_and_keeps_publishing(embedded, empty_postgres, monkeypatch) -> None:
    entries_before = _ledger_entries(embedded)
    moved = embedded.cli("move-metadata", "--to", empty_postgres)
    assert moved.exit_code == 0, moved.stderr
    moved_entries = int(moved.stdout.split("the ledger is intact: ")[1].split()[0])
    assert moved_entries >= entries_before  # every entry made on SQLite, checked in PostgreSQL

    _configure(monkeypatch, embedded.home, empty_postgres)  # every worker now points at PostgreSQL
    on_pg = Bank(home=embedded.home, url=empty_postgres)
    rows = json.loads(on_pg.cli("query", "kaz-exports", "--json").stdout)["rows"]
    assert sorted((r["year"], r["exporter"], r["value"]) for r in rows) == [
        (2021, "KAZ", 1.5), (2022, "KAZ", 2.25), (2022, "UZB", 4.0)]
    assert _ledger_entries(on_pg) > entries_before  # the old chain verifies, and new reads extend it

    second = embedded.home / "second.csv"
    second.write_text("year,value\n2023,7\n", encoding="utf-8")
    published = on_pg.cli("ingest", str(second), "--org", "kazstat", "--dataset", "kaz-second")
    assert published.exit_code == 0, published.stderr  # ids continue past the moved ones
    listed = on_pg.cli("datasets", "list").stdout
    assert "kaz-exports" in listed and "kaz-second" in listed


@needs_postgres
def test_a_target_that_holds_tables_is_refused_untouched(embedded, empty_postgres) -> None:
    assert embedded.cli("move-metadata", "--to", empty_postgres).exit_code == 0
    again = embedded.cli("move-metadata", "--to", empty_postgres)
    assert again.exit_code != 0
    assert "already holds tables" in again.stderr and "Traceback" not in again.stderr


def test_a_url_that_is_not_postgresql_is_a_clear_error(embedded) -> None:
    wrong = embedded.cli("move-metadata", "--to", "mysql://root@localhost/bank")
    assert wrong.exit_code != 0
    assert "must be a PostgreSQL URL" in wrong.stderr and "Traceback" not in wrong.stderr
