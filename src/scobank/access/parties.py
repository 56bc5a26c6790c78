"""A party's SCO standing on a date (member | observer | partner), from the reference area."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scobank.db import utcnow


def party_status(session: Session, iso3: str | None, *, on: date | None = None) -> str | None:
    """`member`, `observer`, `partner`, or None when `iso3` is not an SCO party on `on` (default today)."""
    if not iso3:
        return None
    day = on or utcnow().date()
    try:
        from scobank.reference.lookup import party_statuses
    except ImportError:
        return _status_from_table(session, iso3, day)
    statuses = party_statuses(session, on=day)
    if isinstance(statuses, dict):
        value = statuses.get(iso3)
        return getattr(value, "status", value)
    for item in statuses:
        if getattr(item, "iso3", None) == iso3:
            return item.status
    return None


def _status_from_table(session: Session, iso3: str, day: date) -> str | None:
    from scobank.reference.models import PartyStatus

    stmt = select(PartyStatus.status).where(
        PartyStatus.iso3 == iso3, PartyStatus.valid_from <= day,
        or_(PartyStatus.valid_to.is_(None), PartyStatus.valid_to >= day),
    ).order_by(PartyStatus.valid_from.desc())
    return session.scalars(stmt).first()
