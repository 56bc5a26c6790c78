"""The newest published listings for a feed (Atom, rendered by the portal): filtered by the criteria of a
saved search (kind, side, HS prefix, countries, certification, size band; unknown fields refused), in
the anonymous view anyone has of a listing. Every read is in the ledger with its criteria."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.db import utcnow
from scobank.exchange.alerts import Criteria
from scobank.exchange.listings import public
from scobank.exchange.models import Enterprise, Listing
from scobank.exchange.schemas import ListingPublic

FEED_SIZE = 50


def new_listings(session: Session, *, reader: Reader, criteria: Criteria, limit: int = FEED_SIZE) -> list[ListingPublic]:
    """The `limit` most recently published, unexpired listings satisfying `criteria`, newest first."""
    query = (select(Listing).join(Enterprise, Enterprise.id == Listing.enterprise_id)
             .where(Listing.status == "published", Listing.expires_at > utcnow()))
    if criteria.kind:
        query = query.where(Listing.kind == criteria.kind)
    if criteria.side:
        query = query.where(Listing.side == criteria.side)
    if criteria.hs:
        query = query.where(Listing.hs_code.startswith(criteria.hs.replace(".", ""), autoescape=True))
    if criteria.parties:
        query = query.where(Enterprise.party.in_([p.upper() for p in criteria.parties]))
    if criteria.size_band:
        query = query.where(Enterprise.size_band == criteria.size_band)
    if criteria.certification:
        holders = [e.id for e in session.execute(select(Enterprise.id, Enterprise.certifications)).all()
                   if criteria.certification in (e.certifications or [])]
        query = query.where(Listing.enterprise_id.in_(holders))
    rows = session.scalars(query.order_by(Listing.published_at.desc(), Listing.id.desc())
                           .limit(min(max(limit, 1), 200))).all()
    ledger.record(session, actor=reader, action="exchange.feed",
                  detail={"criteria": criteria.model_dump(exclude_defaults=True), "entries": len(rows)})
    return [public(session, row, reader=reader) for row in rows]
