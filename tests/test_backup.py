"""Backups (issue 17): `scobank backup DIR` then `scobank restore DIR` into a fresh home gives a bank
whose ledger verifies, against the checkpoints kept before the backup too, and whose data reads."""

from __future__ import annotations

import json

import pytest

from scobank.config import reset_settings
from scobank.db import reset_engines
from tests.access.conftest import publish
from tests.conftest import PG_ADMIN_URL

# `scobank backup` copies SQLite stores; a PostgreSQL store is pg_dump's job (the command says so).
pytestmark = pytest.mark.skipif(bool(PG_ADMIN_URL), reason="PostgreSQL stores are backed up with pg_dump")


def test_a_backup_restored_into_a_fresh_home_verifies_and_reads(bank, tmp_path, monkeypatch):
    with bank.session() as s:
        from tests.access.conftest import ensure_parties, make_org

        ensure_parties(s)
        make_org(s, "kz-stat", "KAZ")
    publish(bank, tmp_path, "kz-backup", "kz-stat")
    assert bank.cli("query", "kz-backup", "--json").exit_code == 0
    heads = tmp_path / "heads.txt"
    assert bank.cli("ledger", "checkpoint", "--save", heads).exit_code == 0
    before = json.loads(bank.cli("query", "kz-backup", "--json").stdout)["rows"]
    made = bank.cli("backup", tmp_path / "backup")
    assert made.exit_code == 0, made.stderr
    assert bank.cli("backup", tmp_path / "backup").exit_code == 7  # never over an earlier backup

    fresh = tmp_path / "fresh"
    monkeypatch.setenv("SCOBANK_HOME", str(fresh))
    monkeypatch.setenv("SCOBANK_DATABASE_URL", f"sqlite:///{fresh / 'bank.db'}")
    reset_settings()
    reset_engines()
    restored = bank.cli("restore", tmp_path / "backup")
    assert restored.exit_code == 0, restored.stderr
    verify = bank.cli("ledger", "verify", "--against", heads)
    assert verify.exit_code == 0, verify.stderr
    assert "consistent with 2 checkpoint(s)" in verify.stdout  # the bank's stored one and the kept one
    assert json.loads(bank.cli("query", "kz-backup", "--json").stdout)["rows"] == before
    assert bank.cli("restore", tmp_path / "backup").exit_code == 7  # never over a bank


def test_a_damaged_backup_is_refused(bank, tmp_path):
    with bank.session() as s:
        from tests.access.conftest import ensure_parties, make_org

        ensure_parties(s)
        make_org(s, "kz-stat", "KAZ")
    publish(bank, tmp_path, "kz-backup", "kz-stat")
    assert bank.cli("backup", tmp_path / "b").exit_code == 0
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    (tmp_path / "b" / manifest["lake"][0]["file"]).write_bytes(b"not the parquet file")
    (bank.home / "bank.db").unlink()
    result = bank.cli("restore", tmp_path / "b")
    assert result.exit_code == 2 and "does not match its hash" in result.stderr

