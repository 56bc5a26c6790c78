"""Notices of access requests: the owning party's stewards hear of each new request, the requester of
the decision, in the portal and by e-mail (`letters.py`). A notice names its request; its text is made
when it is shown, in the reader's language (the portal), or in English (`message`, the API)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access.models import AccessNotice, AccessRequest, Agreement, User
from scobank.access.reader import Reader
from scobank.access.users import list_users
from scobank.catalog.refs import ref_by_id, slugs_by_id
from scobank.db import utcnow
from scobank.errors import NotFound, Unauthenticated
from scobank.stewardship.letters import mail_decided, mail_filed

FILED, DECIDED = "request-filed", "request-decided"


def notify_filed(session: Session, request: AccessRequest) -> int:
    """A notice and an e-mail to every active steward of the party owning the request's dataset; how many."""
    dataset = ref_by_id(session, request.dataset_id)
    stewards = [u for u in list_users(session, party=dataset.party)
                if u.role == "steward" and u.active and u.id != request.user_id] if dataset and dataset.party else []
    session.add_all([AccessNotice(user_id=u.id, topic=FILED, request_id=request.id) for u in stewards])
    session.flush()
    if stewards:
        mail_filed(session, request, slug=dataset.slug, stewards=stewards)
    return len(stewards)


def notify_decided(session: Session, request: AccessRequest) -> None:
    """A notice and an e-mail to the requester that request `request` was decided (with the reason)."""
    session.add(AccessNotice(user_id=request.user_id, topic=DECIDED, request_id=request.id))
    session.flush()
    agreement = session.scalar(select(Agreement).where(Agreement.request_id == request.id))
    until = (agreement.valid_until if agreement else request.valid_until).isoformat()
    mail_decided(session, request, slug=slugs_by_id(session, [request.dataset_id]).get(request.dataset_id, "?"),
                 until=until)


def _message(topic: str, slug: str | None, requester: str | None, status: str) -> str:
    if topic == FILED:
        return f"{requester} asks for access to {slug}"
    return f"your request for {slug} was {status}"


def notice_public(session: Session, row: AccessNotice) -> dict:
    request = session.get(AccessRequest, row.request_id)
    requester = session.get(User, request.user_id)
    slug = slugs_by_id(session, [request.dataset_id]).get(request.dataset_id)
    return {"id": row.id, "topic": row.topic, "request_id": row.request_id, "dataset": slug,
            "requester": requester.email if requester else None, "status": request.status,
            "message": _message(row.topic, slug, requester.email if requester else None, request.status),
            "created_at": row.created_at, "read_at": row.read_at}


def list_notices(session: Session, *, reader: Reader, unread_only: bool = False) -> list[dict]:
    """The reader's notices, newest first."""
    if reader.user_id is None:
        raise Unauthenticated("log in to see your notices")
    stmt = select(AccessNotice).where(AccessNotice.user_id == reader.user_id)
    if unread_only:
        stmt = stmt.where(AccessNotice.read_at.is_(None))
    return [notice_public(session, n) for n in session.scalars(stmt.order_by(AccessNotice.id.desc()))]


def mark_read(session: Session, *, reader: Reader, notice_id: int) -> dict:
    """Mark one of the reader's notices read (NotFound for anyone else's)."""
    row = session.get(AccessNotice, notice_id)
    if row is None or reader.user_id is None or row.user_id != reader.user_id:
        raise NotFound(f"no notice {notice_id}")
    row.read_at = row.read_at or utcnow()
    session.flush()
    return notice_public(session, row)
