"""Expressions of interest with double opt-in, and the reveal of contacts.

An enterprise expresses interest in another's listing (it thereby accepts); the listing's owner
accepts, and the interest is "mutual": from then on, and only while it stays mutual, each side may see
the other's name and contacts. Either side may withdraw at any time; a withdrawn interest hides the
contacts again. Every step is written to the ledger as action "exchange.interest".
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.db import utcnow
from scobank.errors import AccessDenied, BadRequest, Conflict, NotFound
from scobank.exchange.messages import ACCEPTED, INTEREST, WITHDRAWN, Note
from scobank.exchange.listings import get_listing
from scobank.exchange.models import Interest
from scobank.exchange.outcomes import OutcomeSide, confirmations, start_new_round
from scobank.exchange.ownership import owns, require_owner, require_user, require_writer
from scobank.exchange.parties import get_interest, side_of, tell
from scobank.exchange.profiles import card, get_enterprise, my_enterprises
from scobank.exchange.schemas import Contacts, EnterpriseCard
from scobank.timestamps import UtcDateTime

class InterestPublic(BaseModel):
    id: int
    listing_id: int
    status: str  # pending | mutual | withdrawn
    direction: str  # outgoing (mine to their listing) | incoming
    counterpart: EnterpriseCard
    message: str | None
    created_at: UtcDateTime
    mutual_at: UtcDateTime | None
    withdrawn_at: UtcDateTime | None
    meeting_at: UtcDateTime | None
    agreement_at: UtcDateTime | None
    confirmations: list[OutcomeSide] = []  # each side's confirmation of a meeting or an agreement
    generated: bool = False


def _log(session: Session, reader: Reader, event: str, interest: Interest) -> None:
    ledger.record(session, actor=reader, action="exchange.interest",
                  detail={"event": event, "interest_id": interest.id, "listing_id": interest.listing_id,
                          "from_enterprise_id": interest.from_enterprise_id,
                          "to_enterprise_id": interest.to_enterprise_id, "status": interest.status})


def public(session: Session, interest: Interest, *, reader: Reader) -> InterestPublic:
    outgoing = owns(reader, get_enterprise(session, enterprise_id=interest.from_enterprise_id))
    other = interest.to_enterprise_id if outgoing else interest.from_enterprise_id
    return InterestPublic(
        id=interest.id, listing_id=interest.listing_id, status=interest.status,
        direction="outgoing" if outgoing else "incoming", counterpart=card(get_enterprise(session, enterprise_id=other)),
        message=interest.message, created_at=interest.created_at, mutual_at=interest.mutual_at,
        withdrawn_at=interest.withdrawn_at, meeting_at=interest.meeting_at, agreement_at=interest.agreement_at,
        confirmations=confirmations(session, interest, interest.from_enterprise_id if outgoing else interest.to_enterprise_id),
        generated=bool(interest.generated))


def express_interest(session: Session, *, reader: Reader, listing_id: int, from_enterprise_id: int,
                     message: str | None = None, source_listing_id: int | None = None,
                     now: datetime | None = None) -> Interest:
    """`from_enterprise_id` (the reader's) is interested in `listing_id`. Raises NotFound (listing not
    published or expired), AccessDenied (not the reader's enterprise), BadRequest (own listing),
    Conflict (already interested and not withdrawn)."""
    now = now or utcnow()
    mine = get_enterprise(session, enterprise_id=from_enterprise_id)
    require_owner(reader, mine)
    listing = get_listing(session, listing_id=listing_id)
    if listing.status != "published" or listing.expires_at <= now:
        raise NotFound(f"no published listing {listing_id}")
    if listing.enterprise_id == mine.id:
        raise BadRequest("an enterprise cannot express interest in its own listing")
    if source_listing_id is not None and get_listing(session, listing_id=source_listing_id).enterprise_id != mine.id:
        raise BadRequest(f"source_listing_id {source_listing_id} is not a listing of enterprise {mine.id}")
    interest = session.scalar(select(Interest).where(Interest.listing_id == listing_id,
                                                     Interest.from_enterprise_id == mine.id))
    if interest is not None and interest.status != "withdrawn":
        raise Conflict(f"interest {interest.id} in listing {listing_id} is already {interest.status}")
    if interest is None:
        interest = Interest(listing_id=listing_id, from_enterprise_id=mine.id, to_enterprise_id=listing.enterprise_id)
        session.add(interest)
    else:
        start_new_round(session, interest)
    interest.status, interest.message, interest.source_listing_id = "pending", message, source_listing_id
    interest.created_at, interest.withdrawn_at, interest.withdrawn_by_enterprise_id = now, None, None
    interest.mutual_at = interest.accepted_at = None
    session.flush()
    tell(session, get_enterprise(session, enterprise_id=listing.enterprise_id), "interest",
          str(Note(INTEREST, {"party": mine.party, "listing": str(listing_id)})), interest)
    _log(session, reader, "express", interest)
    return interest


def accept_interest(session: Session, *, reader: Reader, interest_id: int) -> Interest:
    """The listing's owner accepts: the interest becomes mutual and contacts are revealed to both."""
    require_writer(reader)
    interest = get_interest(session, interest_id)
    side_of(session, reader, interest)
    if not owns(reader, get_enterprise(session, enterprise_id=interest.to_enterprise_id)):
        raise AccessDenied("only the owner of the listing can accept an expression of interest")
    if interest.status != "pending":
        raise Conflict(f"interest {interest_id} is {interest.status}; only a pending one can be accepted")
    now = utcnow()
    interest.status, interest.accepted_at, interest.mutual_at = "mutual", now, now
    session.flush()
    tell(session, get_enterprise(session, enterprise_id=interest.from_enterprise_id), "mutual",
          str(Note(ACCEPTED, {"listing": str(interest.listing_id)})), interest)
    _log(session, reader, "accept", interest)
    return interest


def withdraw_interest(session: Session, *, reader: Reader, interest_id: int) -> Interest:
    """Either side withdraws; contacts are hidden again from then on."""
    require_writer(reader)
    interest = get_interest(session, interest_id)
    side = side_of(session, reader, interest)
    if interest.status == "withdrawn":
        raise Conflict(f"interest {interest_id} is already withdrawn")
    interest.status, interest.withdrawn_at = "withdrawn", utcnow()
    interest.withdrawn_by_enterprise_id = interest.from_enterprise_id if side == "from" else interest.to_enterprise_id
    session.flush()
    other = interest.to_enterprise_id if side == "from" else interest.from_enterprise_id
    tell(session, get_enterprise(session, enterprise_id=other), "withdrawn",
          str(Note(WITHDRAWN, {"interest": str(interest_id), "listing": str(interest.listing_id)})), interest)
    _log(session, reader, "withdraw", interest)
    return interest


def reveal_contacts(session: Session, *, reader: Reader, interest_id: int) -> Contacts:
    """The counterpart's name, place and contacts: only while the interest is mutual (else AccessDenied)."""
    interest = get_interest(session, interest_id)
    side = side_of(session, reader, interest)
    if interest.status != "mutual":
        raise AccessDenied(f"contacts are shown only after both sides accept; interest {interest_id} is "
                           f"{interest.status}")
    other = get_enterprise(session, enterprise_id=interest.to_enterprise_id if side == "from"
                           else interest.from_enterprise_id)
    _log(session, reader, "contacts", interest)
    return Contacts(interest_id=interest.id, enterprise_id=other.id, name=other.name, party=other.party,
                    region=other.region, city=other.city, contacts=other.contacts or {}, generated=other.generated)


def view_interest(session: Session, *, reader: Reader, interest_id: int) -> InterestPublic:
    """One interest as one of its two sides sees it (NotFound for anyone else)."""
    row = get_interest(session, interest_id)
    side_of(session, reader, row)
    return public(session, row, reader=reader)


def list_interests(session: Session, *, reader: Reader) -> list[InterestPublic]:
    """The reader's interests, outgoing and incoming, newest first."""
    ids = [e.id for e in my_enterprises(session, reader=reader)]
    if not ids:
        return []
    rows = session.scalars(select(Interest).where(or_(Interest.from_enterprise_id.in_(ids),
                                                      Interest.to_enterprise_id.in_(ids)))
                           .order_by(Interest.id.desc()))
    return [public(session, r, reader=reader) for r in rows]


def listing_contacts(session: Session, *, reader: Reader, listing_id: int) -> Contacts:
    """Contacts of a listing's owner, for a reader whose enterprise shares a mutual interest on it
    (either side); AccessDenied otherwise."""
    require_user(reader)
    ids = [e.id for e in my_enterprises(session, reader=reader)]
    interest = session.scalar(select(Interest).where(
        Interest.listing_id == listing_id, Interest.status == "mutual",
        or_(Interest.from_enterprise_id.in_(ids), Interest.to_enterprise_id.in_(ids))).limit(1)) if ids else None
    if interest is None:
        raise AccessDenied(f"contacts for listing {listing_id} are shown only after both sides accept an "
                           "expression of interest")
    return reveal_contacts(session, reader=reader, interest_id=interest.id)
