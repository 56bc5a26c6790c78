"""The bank's foundations: schema matches models, errors are typed and mapped once, the CLI answers."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from scobank.db import load_models
from scobank.errors import ALL_ERRORS, IngestRejected, Problem, ValidationReport


def test_the_migrated_schema_matches_the_models(bank):
    engine = create_engine(bank.url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), load_models())
    engine.dispose()
    assert diff == [], "a model changed without a migration: python -m scobank.migrations.make AREA MSG"


def test_every_error_class_has_its_own_slug_status_and_exit_code():
    slugs = [e.code for e in ALL_ERRORS]
    assert len(slugs) == len(set(slugs))
    for error in ALL_ERRORS:
        if error is IngestRejected:
            body = error(ValidationReport(file="x.csv", problems=[Problem("bad-hs-code", "m", "x.csv", 3, "k")])).to_dict()
            assert body["problems"][0]["row"] == 3
        else:
            body = error("something a steward can fix").to_dict()
        assert body["ok"] is False and body["code"] == error.code
        assert 400 <= error.status < 600 and error.exit_code >= 2


def test_the_command_shows_help():
    result = subprocess.run([sys.executable, "-m", "scobank", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "init" in result.stdout and "serve" in result.stdout


def test_init_is_idempotent(bank):
    first = bank.cli("init")
    second = bank.cli("init")
    assert first.exit_code == 0, first.stderr
    assert second.exit_code == 0, second.stderr
    assert "bank ready" in second.stdout
