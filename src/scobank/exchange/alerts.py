"""Saved searches and alerts: when a listing is published, every saved search it satisfies raises an
in-app notification for its owner and an e-mail in the bank's outbox (`scobank.mail`).

The fan-out reads only the searches that may match: kind, side, HS prefix and parties are copied into
indexed columns (and party rows) when a search is saved, and a publish selects on them; the remaining
criteria are checked on those candidates only.

Criteria (all optional, all must hold): kind, side, hs (code prefix), parties (ISO3 list of the listing's
enterprise), certification (held by the listing's enterprise), size_band.
"""

from __future__ import annotations


from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.db import utcnow
from scobank.errors import NotFound
from scobank.exchange.kinds import KINDS
from scobank.exchange.messages import MATCHES_SEARCH, Note
from scobank.exchange.mail import queue_many
from scobank.exchange.models import Enterprise, Listing, Notification, SavedSearch, SavedSearchParty
from scobank.exchange.ownership import require_user, require_writer
from scobank.timestamps import UtcDateTime


class Criteria(BaseModel):
    """A field the matcher does not know is refused (it would otherwise match every new listing)."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    side: Literal["offer", "request"] | None = None
    hs: str | None = Field(default=None, description="HS code prefix: 2, 4 or 6 digits")
    parties: list[str] = Field(default_factory=list)
    certification: str | None = None
    size_band: str | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str | None) -> str | None:
        if value is not None and value not in KINDS:
            raise ValueError(f"unknown listing kind {value!r}; expected one of {', '.join(KINDS)}")
        return value

    @field_validator("hs")
    @classmethod
    def _hs_prefix(cls, value: str | None) -> str | None:
        if value is not None and not (value.isdigit() and len(value) in (2, 4, 6)):
            raise ValueError(f"HS prefix {value!r}: expected 2, 4 or 6 digits")
        return value


class SavedSearchPublic(BaseModel):
    id: int
    name: str
    criteria: Criteria
    created_at: UtcDateTime


class NotificationPublic(BaseModel):
    id: int
    topic: str
    message: str
    listing_id: int | None
    interest_id: int | None
    saved_search_id: int | None
    created_at: UtcDateTime
    read_at: UtcDateTime | None


def save_search(session: Session, *, reader: Reader, name: str, criteria: Criteria) -> SavedSearchPublic:
    require_writer(reader)
    wanted = sorted(set(criteria.parties))
    row = SavedSearch(user_id=reader.user_id or 0, email=reader.email, name=name,
                      criteria=criteria.model_dump(), kind=criteria.kind, side=criteria.side, hs=criteria.hs,
                      any_party=not wanted)
    session.add(row)
    session.flush()
    session.add_all(SavedSearchParty(search_id=row.id, party=p) for p in wanted)
    session.flush()
    return _public(row)


def _public(row: SavedSearch) -> SavedSearchPublic:
    return SavedSearchPublic(id=row.id, name=row.name, criteria=Criteria(**row.criteria), created_at=row.created_at)


def list_searches(session: Session, *, reader: Reader) -> list[SavedSearchPublic]:
    require_user(reader)
    rows = session.scalars(select(SavedSearch).where(SavedSearch.user_id == (reader.user_id or 0))
                           .order_by(SavedSearch.id))
    return [_public(r) for r in rows]


def delete_search(session: Session, *, reader: Reader, search_id: int) -> None:
    require_writer(reader)
    row = session.get(SavedSearch, search_id)
    if row is None or row.user_id != (reader.user_id or 0):
        raise NotFound(f"no saved search {search_id}")
    session.execute(delete(SavedSearchParty).where(SavedSearchParty.search_id == row.id))
    session.delete(row)
    session.flush()


def satisfies(criteria: Criteria, listing: Listing, enterprise: Enterprise) -> bool:
    """Whether a listing meets every criterion given."""
    checks = (
        criteria.kind is None or listing.kind == criteria.kind,
        criteria.side is None or listing.side == criteria.side,
        criteria.hs is None or (listing.hs_code or "").startswith(criteria.hs),
        not criteria.parties or enterprise.party in criteria.parties,
        criteria.certification is None or criteria.certification in (enterprise.certifications or []),
        criteria.size_band is None or enterprise.size_band == criteria.size_band,
    )
    return all(checks)


def notify(session: Session, *, user_id: int, email: str | None, topic: str, message: str,
           listing_id: int | None = None, interest_id: int | None = None,
           saved_search_id: int | None = None) -> Notification:
    """One in-app notification, and its e-mail in the outbox when the user has an address."""
    return notify_many(session, [dict(user_id=user_id, email=email, topic=topic, message=message,
                                      listing_id=listing_id, interest_id=interest_id,
                                      saved_search_id=saved_search_id)])[0]


def notify_many(session: Session, items: list[dict]) -> list[Notification]:
    """Notifications (each a dict of `notify`'s arguments), written in one flush, then their e-mails."""
    rows = [Notification(**{k: v for k, v in item.items() if k != "email"}) for item in items]
    session.add_all(rows)
    session.flush()
    queue_many(session, [(row.user_id, item["email"], row.topic, row.message)
                         for item, row in zip(items, rows, strict=True) if item["email"]])
    return rows


def candidate_searches(session: Session, *, listing: Listing, enterprise: Enterprise) -> list[SavedSearch]:
    """The saved searches whose kind, side, HS prefix and parties admit `listing` (read through their
    indexed columns, not all of them), other than its author's own."""
    code = listing.hs_code or ""
    prefixes = [code[:n] for n in (2, 4, 6) if len(code) >= n]
    in_party = select(SavedSearchParty.search_id).where(SavedSearchParty.party == enterprise.party)
    query = select(SavedSearch).where(
        or_(SavedSearch.kind.is_(None), SavedSearch.kind == listing.kind),
        or_(SavedSearch.side.is_(None), SavedSearch.side == listing.side),
        or_(SavedSearch.hs.is_(None), SavedSearch.hs.in_(prefixes)) if prefixes else SavedSearch.hs.is_(None),
        or_(SavedSearch.any_party.is_(True), SavedSearch.id.in_(in_party)))
    if enterprise.owner_user_id is not None:
        query = query.where(SavedSearch.user_id != enterprise.owner_user_id)
    return list(session.scalars(query.order_by(SavedSearch.id)))


def notify_saved_searches(session: Session, *, listing: Listing) -> int:
    """Notify the owner of every saved search the newly published `listing` satisfies (not the
    listing's own author). Returns how many notifications were made."""
    enterprise = session.get(Enterprise, listing.enterprise_id)
    title = listing.title.get(listing.original_language) or next(iter(listing.title.values()), "")
    items = [dict(user_id=search.user_id, email=search.email, topic="listing-matches-search",
                  message=str(Note(MATCHES_SEARCH, {"kind": listing.kind.replace("_", " "), "party": enterprise.party,
                                                    "search": search.name, "title": title})),
                  listing_id=listing.id, interest_id=None, saved_search_id=search.id)
             for search in candidate_searches(session, listing=listing, enterprise=enterprise)
             if satisfies(Criteria(**search.criteria), listing, enterprise)]
    notify_many(session, items)
    return len(items)


def list_notifications(session: Session, *, reader: Reader, unread_only: bool = False) -> list[NotificationPublic]:
    require_user(reader)
    query = select(Notification).where(Notification.user_id == (reader.user_id or 0))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return [NotificationPublic.model_validate(r, from_attributes=True)
            for r in session.scalars(query.order_by(Notification.id.desc()))]


def mark_read(session: Session, *, reader: Reader, notification_id: int) -> NotificationPublic:
    require_user(reader)
    row = session.get(Notification, notification_id)
    if row is None or row.user_id != (reader.user_id or 0):
        raise NotFound(f"no notification {notification_id}")
    row.read_at = row.read_at or utcnow()
    session.flush()
    return NotificationPublic.model_validate(row, from_attributes=True)
