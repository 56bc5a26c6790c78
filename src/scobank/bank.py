"""Setting up a bank: database schema and reference data, idempotently."""

from __future__ import annotations

import functools

from scobank.config import get_settings
from scobank.db import migrate, session_scope
from scobank.errors import NotInitialised


@functools.cache
def start() -> None:
    """Wire the areas together, once, at start-up (`create_app`, the CLI): the catalog hands access its
    organisation lookup (a user's organisation and party), ai its embedder to the exchange's text
    matching and listens for changed rows to re-embed."""
    from scobank.access.organisations import use_lookup
    from scobank.ai.embedding import embedder
    from scobank.ai.hs_suggest import suggest_hs
    from scobank.ai.kinds import register_listeners
    from scobank.catalog.organisations import LOOKUP
    from scobank.exchange.text import use_embedder, use_hs_suggester

    use_lookup(LOOKUP)
    use_embedder(embedder)
    use_hs_suggester(suggest_hs)
    register_listeners()


def init_bank() -> str:
    """Create or upgrade the schema and load reference data that is missing (and `start`, for scripts that
    set a bank up and then call services). Returns a summary line."""
    start()
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
