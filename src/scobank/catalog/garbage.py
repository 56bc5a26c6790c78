"""Lake files no version refers to. The lake knows files by hash only; the catalog knows which hashes
are data (its versions' `content_hash`), so orphans are found and collected from here (`scobank lake gc`)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.catalog.models import DatasetVersion
from scobank.lake import store


def referenced_hashes(session: Session) -> set[str]:
    """The content hashes of every dataset version: the lake files that are data."""
    return set(session.scalars(select(DatasetVersion.content_hash).distinct()))


def orphans(session: Session) -> list[Path]:
    """Lake files that no dataset version refers to (they are not data and never served)."""
    return store.orphans(referenced_hashes(session))


def collect_garbage(session: Session, *, min_age_seconds: float = 3600.0, dry_run: bool = False) -> list[Path]:
    """Delete orphans older than `min_age_seconds` (younger ones may belong to a publish in flight).

    Returns the paths removed (or, with dry_run, that would be removed)."""
    return store.collect_garbage(referenced_hashes(session), min_age_seconds=min_age_seconds, dry_run=dry_run)
