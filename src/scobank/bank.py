"""Setting up a bank: database schema and reference data, idempotently."""

from __future__ import annotations

from scobank.config import get_settings
from scobank.db import migrate, session_scope


def init_bank() -> str:
    """Create or upgrade the schema and load reference data that is missing. Returns a summary line."""
    settings = get_settings()
    settings.lake_dir.mkdir(parents=True, exist_ok=True)
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    migrate()
    from scobank.reference.load import load_reference

    with session_scope() as session:
        loaded = load_reference(session)
    return f"bank ready in {settings.home.resolve()} ({loaded})"
