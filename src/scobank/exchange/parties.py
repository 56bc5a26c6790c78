"""The two sides of an expression of interest, and which of them a reader acts for.

Everything that follows an interest (contacts, the message thread, meetings and agreements) is seen
only by its two enterprises; anyone else is told there is no such interest (no existence oracle)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.errors import BadRequest, NotFound
from scobank.exchange.alerts import notify
from scobank.exchange.models import Enterprise, Interest
from scobank.exchange.ownership import owns, require_user
from scobank.exchange.profiles import get_enterprise


def get_interest(session: Session, interest_id: int) -> Interest:
    interest = session.get(Interest, interest_id)
    if interest is None:
        raise NotFound(f"no expression of interest {interest_id}")
    return interest


def side_of(session: Session, reader: Reader, interest: Interest) -> str:
    """'from' or 'to': which side the reader acts for; NotFound for anyone else."""
    require_user(reader)
    if owns(reader, get_enterprise(session, enterprise_id=interest.from_enterprise_id)):
        return "from"
    if owns(reader, get_enterprise(session, enterprise_id=interest.to_enterprise_id)):
        return "to"
    raise NotFound(f"no expression of interest {interest.id}")


def acting_enterprise(session: Session, reader: Reader, interest: Interest, enterprise_id: int | None = None) -> int:
    """The enterprise (one of the two sides) the reader acts for. A reader who owns both (the local
    operator) names it with `enterprise_id`; a reader owning one side may name it or leave it out."""
    side = side_of(session, reader, interest)
    if enterprise_id is None:
        return interest.from_enterprise_id if side == "from" else interest.to_enterprise_id
    if enterprise_id not in (interest.from_enterprise_id, interest.to_enterprise_id):
        raise BadRequest(f"enterprise {enterprise_id} is not a side of interest {interest.id}")
    if not owns(reader, get_enterprise(session, enterprise_id=enterprise_id)):
        raise NotFound(f"no expression of interest {interest.id}")
    return enterprise_id


def other_side(interest: Interest, enterprise_id: int) -> int:
    return interest.to_enterprise_id if enterprise_id == interest.from_enterprise_id else interest.from_enterprise_id


def tell(session: Session, enterprise: Enterprise, topic: str, message: str, interest: Interest) -> None:
    """Notify the owner of one side (in-app, and by e-mail when the enterprise has an address)."""
    if enterprise.owner_user_id is not None:
        notify(session, user_id=enterprise.owner_user_id, email=(enterprise.contacts or {}).get("email"),
               topic=topic, message=message, listing_id=interest.listing_id, interest_id=interest.id)
