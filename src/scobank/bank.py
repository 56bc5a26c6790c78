"""Setting up a bank: database schema and reference data, idempotently."""

from __future__ import annotations

from scobank.config import get_settings
from scobank.db import migrate, session_scope
from scobank.errors import NotInitialised


def init_bank() -> str:
    """Create or upgrade the schema and load reference data that is missing. Returns a summary line."""
    settings = get_settings()
    settings.lake_dir.mkdir(parents=True, exist_ok=True)
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    migrate()
    from scobank.catalog.uploads import remove_abandoned
    from scobank.reference.load import load_reference

    remove_abandoned()  # uploads of a process that crashed, and waiting ones older than a day

    with session_scope() as session:
        loaded = load_reference(session)
    return f"bank ready in {settings.home.resolve()} ({loaded})"


def is_initialised() -> bool:
    """Whether the configured database holds the bank's schema (Alembic's version table)."""
    from sqlalchemy import inspect

    from scobank.db import get_engine

    with get_engine().connect() as conn:
        return inspect(conn).has_table("alembic_version")


def not_initialised() -> NotInitialised:
    """The error a command on a bank that was never initialised ends with: where, and what to run."""
    from scobank.db import get_engine

    where = get_engine().url.render_as_string(hide_password=True)
    return NotInitialised(f"this bank was never initialised: the database {where} has no tables. "
                          "Run `scobank init` (or `scobank demo --no-serve` for the demonstration data), "
                          "then this command again")
