"""What history points at a profile or a listing (expressions of interest, matches served, listings),
so that deleting never breaks a foreign key: rows with history are closed or anonymised instead."""

from __future__ import annotations

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from scobank.db import utcnow
from scobank.exchange.models import Enterprise, Interest, Listing, MatchServed, RegistryId, TextVector, ThreadMessage

LIVE = ("published", "pending")
CLOSED_NAME = {"en": "Closed enterprise", "ru": "Закрытое предприятие", "zh": "已关闭的企业"}


def listing_references(session: Session, listing_id: int) -> dict[str, int]:
    """How many interests and served matches name the listing (as target, source or candidate)."""
    interests = session.scalar(select(func.count(Interest.id)).where(
        or_(Interest.listing_id == listing_id, Interest.source_listing_id == listing_id)))
    matches = session.scalar(select(func.count(MatchServed.id)).where(
        or_(MatchServed.listing_id == listing_id, MatchServed.candidate_listing_id == listing_id)))
    return {name: n for name, n in (("expressions of interest", interests), ("matches served", matches)) if n}


def enterprise_has_history(session: Session, enterprise_id: int) -> bool:
    """True when interests or listings point at the enterprise (its row must stay)."""
    interest = select(Interest.id).where(or_(Interest.from_enterprise_id == enterprise_id,
                                             Interest.to_enterprise_id == enterprise_id)).limit(1)
    listing = select(Listing.id).where(Listing.enterprise_id == enterprise_id).limit(1)
    return session.scalar(interest) is not None or session.scalar(listing) is not None


def live_listings(session: Session, enterprise_id: int) -> list[int]:
    return list(session.scalars(select(Listing.id).where(Listing.enterprise_id == enterprise_id,
                                                         Listing.status.in_(LIVE)).order_by(Listing.id)))


def anonymise(session: Session, enterprise: Enterprise) -> None:
    """Keep the row for the history that names it; drop everything that identifies or reaches the
    company, and detach it from its owner and organisation (it leaves their lists)."""
    enterprise.name, enterprise.description, enterprise.contacts = dict(CLOSED_NAME), {}, {}
    enterprise.region = enterprise.city = enterprise.lat = enterprise.lon = None
    enterprise.certifications, enterprise.languages = [], []
    enterprise.owner_user_id = enterprise.organisation_id = None
    forget_identity(session, enterprise.id)
    forget_words(session, enterprise.id)
    session.flush()


def forget_words(session: Session, enterprise_id: int) -> None:
    """What the company wrote to others, which may name it: the text and files of its messages (each
    stays in its thread as removed, so the other side keeps its own and sees where one was), and the
    notes of its expressions of interest."""
    session.execute(update(ThreadMessage).where(ThreadMessage.from_enterprise_id == enterprise_id,
                                                ThreadMessage.removed_at.is_(None))
                    .values(text="", attachment=None, attachment_name=None, attachment_type=None,
                            author_user_id=None, removed_at=utcnow()))
    session.execute(update(Interest).where(Interest.from_enterprise_id == enterprise_id).values(message=None))


def forget_identity(session: Session, enterprise_id: int) -> None:
    """Drop what identifies the company outside its row: its text vector and registry identifiers."""
    vector = session.get(TextVector, ("enterprise", enterprise_id))
    if vector is not None:
        session.delete(vector)
    session.execute(delete(RegistryId).where(RegistryId.enterprise_id == enterprise_id))
