"""A party's SCO standing on a date (member | observer | partner), from the reference area."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from scobank.db import utcnow
from scobank.reference.lookup import party_statuses


def party_status(session: Session, iso3: str | None, *, on: date | None = None) -> str | None:
    """`member`, `observer`, `partner`, or None when `iso3` is not an SCO party on `on` (default today)."""
    if not iso3:
        return None
    return party_statuses(session, on=on or utcnow().date()).get(iso3)
