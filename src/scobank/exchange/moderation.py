"""The moderation queue: listings waiting for review (a party that moderates all its enterprises, or
only the unverified ones) and published listings users reported. A steward of the listing's party (or
the operator) approves, or refuses with a reason: a pending listing goes back to draft, a reported one
is withdrawn; the author is told why, in their language (notification and e-mail). Reports, decisions
and reasons are ledgered ("exchange.moderation")."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.db import utcnow
from scobank.errors import AccessDenied, BadRequest, Conflict
from scobank.exchange.alerts import notify
from scobank.exchange.listings import get_listing, go_live, listing_enterprise, visible_listing
from scobank.exchange.messages import LISTING_REFUSED, LISTING_WITHDRAWN, Note
from scobank.exchange.models import Enterprise, Listing, ListingReport
from scobank.exchange.ownership import is_steward_of, owns, require_user, require_writer
from scobank.timestamps import UtcDateTime

MAX_REASON = 1000


class QueueItem(BaseModel):
    listing_id: int
    party: str
    kind: str
    title: dict[str, str]
    status: str  # pending | published (reported)
    reports: list[str]  # the reasons users gave
    waiting_since: UtcDateTime


def _reason(text: str | None, *, required: bool) -> str | None:
    text = (text or "").strip()
    if required and not text:
        raise BadRequest("reason: a refusal or a report needs a reason (it is sent to the author)")
    if len(text) > MAX_REASON:
        raise BadRequest(f"reason: at most {MAX_REASON} characters, got {len(text)}")
    return text or None


def report_listing(session: Session, *, reader: Reader, listing_id: int, reason: str) -> int:
    """A signed-in user reports a published listing (not their own); returns the report's id."""
    require_user(reader)
    listing = visible_listing(session, reader=reader, listing_id=listing_id)
    if owns(reader, listing_enterprise(session, listing)):
        raise Conflict(f"listing {listing_id} is your own: edit or withdraw it instead of reporting it")
    row = ListingReport(listing_id=listing.id, reporter_user_id=reader.user_id or 0,
                        reason=_reason(reason, required=True))
    session.add(row)
    session.flush()
    ledger.record(session, actor=reader, action="exchange.moderation",
                  detail={"report": row.id, "listing_id": listing.id})
    return row.id


def moderation_queue(session: Session, *, reader: Reader) -> list[QueueItem]:
    """Pending and reported listings of the parties the reader stewards (all of them for the operator)."""
    require_writer(reader)
    if not (reader.is_operator or reader.role == "steward"):
        raise AccessDenied("the moderation queue is for stewards and the operator")
    open_reports: dict[int, list[ListingReport]] = {}
    for r in session.scalars(select(ListingReport).where(ListingReport.resolved_at.is_(None))
                             .order_by(ListingReport.id)):
        open_reports.setdefault(r.listing_id, []).append(r)
    rows = session.execute(
        select(Listing, Enterprise.party).join(Enterprise, Enterprise.id == Listing.enterprise_id)
        .where((Listing.status == "pending") | Listing.id.in_(list(open_reports)))
        .order_by(Listing.updated_at, Listing.id)).all()
    ledger.record(session, actor=reader, action="exchange.moderation", detail={"queue": len(rows)})
    return [QueueItem(listing_id=listing.id, party=party, kind=listing.kind, title=listing.title,
                      status=listing.status, reports=[r.reason for r in open_reports.get(listing.id, [])],
                      waiting_since=min([listing.updated_at, *(r.created_at for r in open_reports.get(listing.id, []))]))
            for listing, party in rows if is_steward_of(reader, party)]


def decide(session: Session, *, reader: Reader, listing_id: int, approve: bool, reason: str | None = None) -> Listing:
    """Approve or refuse a listing in the queue (see the module docstring); a refusal needs a reason."""
    require_writer(reader)
    listing = get_listing(session, listing_id=listing_id)
    enterprise = listing_enterprise(session, listing)
    if not is_steward_of(reader, enterprise.party):
        raise AccessDenied(f"only a steward of {enterprise.party} decides on its listings")
    reports = session.scalars(select(ListingReport).where(ListingReport.listing_id == listing.id,
                                                          ListingReport.resolved_at.is_(None))).all()
    if listing.status != "pending" and not reports:
        raise Conflict(f"listing {listing_id} is {listing.status} and not reported: nothing to decide")
    reason = _reason(reason, required=not approve)
    was_pending = listing.status == "pending"
    listing.moderated_by_user_id, listing.moderation_reason = reader.user_id, reason
    for report in reports:
        report.resolved_at, report.resolution = utcnow(), "kept" if approve else "withdrawn"
    if approve:
        listing = go_live(session, listing=listing, reader=reader) if was_pending else listing
    else:
        listing.status = "draft"
        _tell_author(session, enterprise, listing, LISTING_REFUSED if was_pending else LISTING_WITHDRAWN, reason)
    session.flush()
    ledger.record(session, actor=reader, action="exchange.moderation",
                  detail={"listing_id": listing.id, "decision": "approve" if approve else "refuse",
                          "reports": len(reports)})
    return listing


def _tell_author(session: Session, enterprise: Enterprise, listing: Listing, template: str, reason: str) -> None:
    if enterprise.owner_user_id is None:
        return
    notify(session, user_id=enterprise.owner_user_id, email=(enterprise.contacts or {}).get("email"),
           topic="listing-moderated", message=str(Note(template, {"listing": str(listing.id), "reason": reason})),
           listing_id=listing.id)
