"""Listings: create and edit drafts, publish (through the steward when the party moderates), renew,
expire, delete; the anonymous search.

Lifecycle: draft -> (pending ->) published -> expired -> (renew) published. Every listing has an expiry
(default 90 days after publication, at most 365); past it the listing is never matched or listed, and
`expire_due` marks it expired.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.db import utcnow
from scobank.errors import AccessDenied, BadRequest, Conflict, NotFound
from scobank.exchange import history
from scobank.exchange.hs_check import require_known_hs
from scobank.exchange.kinds import SIDE, matching_fields, validate_details
from scobank.exchange.models import Enterprise, Listing, ModerationRule
from scobank.exchange.ownership import is_steward_of, owns, require_owner, require_user, require_writer
from scobank.exchange.hints import store_hints
from scobank.exchange.profiles import card, get_enterprise
from scobank.exchange.schemas import ListingCreate, ListingPage, ListingPublic, ListingUpdate

DEFAULT_LIFETIME = timedelta(days=90)
MAX_LIFETIME = timedelta(days=365)


def _derive(session: Session, listing: Listing) -> None:
    model = validate_details(listing.kind, listing.details)
    require_known_hs(session, model)
    listing.details = model.model_dump(mode="json")
    for name, value in matching_fields(listing.kind, model).items():
        setattr(listing, name, value)


def _check_expiry(expires_at: datetime | None, now: datetime) -> datetime:
    expires_at = expires_at.replace(tzinfo=None) if expires_at and expires_at.tzinfo else expires_at
    expires_at = expires_at or now + DEFAULT_LIFETIME
    if expires_at <= now:
        raise BadRequest(f"expiry {expires_at:%Y-%m-%d %H:%M} is in the past")
    if expires_at > now + MAX_LIFETIME:
        raise BadRequest(f"expiry {expires_at:%Y-%m-%d} is more than {MAX_LIFETIME.days} days ahead")
    return expires_at


def get_listing(session: Session, *, listing_id: int) -> Listing:
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(f"no listing {listing_id}")
    return listing


def visible_listing(session: Session, *, reader: Reader, listing_id: int, now: datetime | None = None) -> Listing:
    """A listing the reader may see: published and unexpired, or their own. Else NotFound."""
    listing = get_listing(session, listing_id=listing_id)
    enterprise = listing_enterprise(session, listing)
    if owns(reader, enterprise) or is_steward_of(reader, enterprise.party):
        return listing
    if listing.status != "published" or listing.expires_at <= (now or utcnow()):
        raise NotFound(f"no listing {listing_id}")
    return listing


def listing_enterprise(session: Session, listing: Listing) -> Enterprise:
    return get_enterprise(session, enterprise_id=listing.enterprise_id)


def create_listing(session: Session, *, reader: Reader, data: ListingCreate, generated: bool = False,
                   now: datetime | None = None) -> Listing:
    """A draft listing of one of the reader's enterprises. Raises BadRequest (bad kind or details),
    NotFound (no such enterprise), AccessDenied (not the reader's)."""
    now = now or utcnow()
    enterprise = get_enterprise(session, enterprise_id=data.enterprise_id)
    require_owner(reader, enterprise)
    listing = Listing(enterprise_id=enterprise.id, kind=data.kind, side=SIDE.get(data.kind, "offer"),
                      status="draft", title=data.title, description=data.description,
                      original_language=data.original_language, details=data.details,
                      expires_at=_check_expiry(data.expires_at, now), created_by_user_id=reader.user_id,
                      generated=generated)
    _derive(session, listing)
    session.add(listing)
    session.flush()
    return listing


def update_listing(session: Session, *, reader: Reader, listing_id: int, data: ListingUpdate) -> Listing:
    """Edit one's own listing; a published one stays published with the new content."""
    listing = get_listing(session, listing_id=listing_id)
    require_owner(reader, listing_enterprise(session, listing))
    changes = data.model_dump(exclude_unset=True)
    if "expires_at" in changes:
        listing.expires_at = _check_expiry(changes.pop("expires_at"), utcnow())
    for name, value in changes.items():
        setattr(listing, name, value)
    if listing.original_language not in listing.title:
        raise BadRequest(f"the title in the original language {listing.original_language!r} is missing")
    _derive(session, listing)
    if listing.status == "published":  # what matching reads of its words changes with them
        from scobank.exchange.vectors import store_listing_vector

        store_listing_vector(session, listing=listing)
        store_hints(session, listing)
    session.flush()
    return listing


def delete_listing(session: Session, *, reader: Reader, listing_id: int) -> None:
    """Delete one's own draft; a listing that was published is expired instead (its history stays)."""
    listing = get_listing(session, listing_id=listing_id)
    require_owner(reader, listing_enterprise(session, listing))
    if listing.published_at is not None:
        raise Conflict(f"listing {listing_id} was published; expire it instead of deleting it")
    references = history.listing_references(session, listing_id)
    if references:
        named = ", ".join(f"{n} {what}" for what, n in references.items())
        raise Conflict(f"listing {listing_id} is named by {named}; expire it instead of deleting it")
    session.delete(listing)
    session.flush()


def moderation_required(session: Session, *, party: str, enterprise_id: int | None = None) -> bool:
    """Whether a new listing of the party's enterprise waits for review: the party moderates all its
    enterprises, or only those no steward has verified (scope "unverified") and this is one of them."""
    from scobank.exchange.profiles import verified_in

    rule = session.get(ModerationRule, party)
    if not (rule and rule.required):
        return False
    return rule.scope != "unverified" or enterprise_id is None or not verified_in(session, enterprise_id)


def set_moderation(session: Session, *, reader: Reader, party: str, required: bool, scope: str = "all") -> None:
    """The party's steward turns review of its enterprises' listings on or off, for all of them or only
    the unverified ones."""
    require_writer(reader)
    if not is_steward_of(reader, party):
        raise AccessDenied(f"only a steward of {party} can set moderation for {party}")
    if scope not in ("all", "unverified"):
        raise BadRequest(f"moderation scope {scope!r}; expected 'all' or 'unverified'")
    rule = session.get(ModerationRule, party) or ModerationRule(party=party)
    rule.required, rule.scope, rule.set_by_user_id = required, scope, reader.user_id
    session.add(rule)
    session.flush()


def publish_listing(session: Session, *, reader: Reader, listing_id: int, now: datetime | None = None) -> Listing:
    """Publish one's own draft (or expired listing whose expiry is still ahead): straight to
    "published", or to "pending" when the party's steward moderates. Then alerts and text vector."""
    now = now or utcnow()
    listing = get_listing(session, listing_id=listing_id)
    enterprise = listing_enterprise(session, listing)
    require_owner(reader, enterprise)
    if listing.status == "published":
        return listing
    if listing.expires_at <= now:
        raise BadRequest(f"listing {listing_id} expired on {listing.expires_at:%Y-%m-%d}; renew it instead")
    if moderation_required(session, party=enterprise.party, enterprise_id=enterprise.id) \
            and not is_steward_of(reader, enterprise.party):
        listing.status = "pending"
        session.flush()
        return listing
    return _go_live(session, listing=listing, reader=reader, now=now)


def go_live(session: Session, *, listing: Listing, reader: Reader) -> Listing:
    """Publish a listing a moderator approved (alerts, text vector, ledger)."""
    return _go_live(session, listing=listing, reader=reader, now=utcnow())


def _go_live(session: Session, *, listing: Listing, reader: Reader, now: datetime) -> Listing:
    from scobank.exchange.alerts import notify_saved_searches
    from scobank.exchange.vectors import store_listing_vector

    listing.status, listing.published_at = "published", listing.published_at or now
    session.flush()
    store_listing_vector(session, listing=listing)
    store_hints(session, listing)
    notify_saved_searches(session, listing=listing)
    ledger.record(session, actor=reader, action="exchange.publish", detail={"listing_id": listing.id})
    return listing


def review_listing(session: Session, *, reader: Reader, listing_id: int, approve: bool) -> Listing:
    """The steward of the listing's party approves (published) or sends back (draft) a pending listing."""
    require_writer(reader)
    listing = get_listing(session, listing_id=listing_id)
    enterprise = listing_enterprise(session, listing)
    if not is_steward_of(reader, enterprise.party):
        raise AccessDenied(f"only a steward of {enterprise.party} reviews its listings")
    if listing.status != "pending":
        raise Conflict(f"listing {listing_id} is {listing.status}, not waiting for review")
    listing.moderated_by_user_id = reader.user_id
    if not approve:
        listing.status = "draft"
        session.flush()
        return listing
    return _go_live(session, listing=listing, reader=reader, now=utcnow())


def renew_listing(session: Session, *, reader: Reader, listing_id: int, days: int = 90,
                  now: datetime | None = None) -> Listing:
    """Push the expiry `days` ahead of now (1..365) and publish again if it had expired."""
    now = now or utcnow()
    if not 1 <= days <= MAX_LIFETIME.days:
        raise BadRequest(f"renewal of {days} days; choose 1 to {MAX_LIFETIME.days}")
    listing = get_listing(session, listing_id=listing_id)
    require_owner(reader, listing_enterprise(session, listing))
    listing.expires_at, listing.renewed_at = now + timedelta(days=days), now
    listing.renewals = (listing.renewals or 0) + 1
    if listing.status == "expired":
        listing.status = "published"
    session.flush()
    return listing


def expire_listing(session: Session, *, reader: Reader, listing_id: int, now: datetime | None = None) -> Listing:
    """End one's own listing now."""
    now = now or utcnow()
    listing = get_listing(session, listing_id=listing_id)
    require_owner(reader, listing_enterprise(session, listing))
    listing.status = "expired"
    listing.expires_at = min(listing.expires_at, now)
    session.flush()
    return listing


def expire_due(session: Session, *, now: datetime | None = None) -> int:
    """Mark every published listing whose expiry has passed as expired; return how many."""
    now = now or utcnow()
    due = session.scalars(select(Listing).where(Listing.status == "published", Listing.expires_at <= now)).all()
    for listing in due:
        listing.status = "expired"
    session.flush()
    return len(due)


def public(session: Session, listing: Listing, *, reader: Reader) -> ListingPublic:
    """The anonymous view (country, sectors, size), plus the enterprise id for its owner."""
    enterprise = listing_enterprise(session, listing)
    mine = owns(reader, enterprise) and not reader.is_anonymous
    return ListingPublic(
        id=listing.id, kind=listing.kind, side=listing.side, status=listing.status, title=listing.title,
        description=listing.description, original_language=listing.original_language, details=listing.details,
        hs_code=listing.hs_code, expires_at=listing.expires_at, published_at=listing.published_at,
        renewals=listing.renewals or 0, generated=listing.generated, enterprise=card(enterprise), mine=mine,
        enterprise_id=enterprise.id if mine else None)


def search_listings(session: Session, *, reader: Reader, kind: str | None = None, side: str | None = None,
                    hs: str | None = None, party: str | None = None, certification: str | None = None,
                    size_band: str | None = None, mine: bool = False, limit: int = 50, offset: int = 0,
                    now: datetime | None = None) -> ListingPage:
    """Published, unexpired listings (or, with `mine`, all of the reader's own), newest first.
    `hs` is a code prefix (2, 4 or 6 digits)."""
    now = now or utcnow()
    query = select(Listing).join(Enterprise, Enterprise.id == Listing.enterprise_id)
    if mine:
        require_user(reader)
        from scobank.exchange.profiles import my_enterprises

        query = query.where(Listing.enterprise_id.in_([e.id for e in my_enterprises(session, reader=reader)]))
    else:
        query = query.where(Listing.status == "published", Listing.expires_at > now)
    if kind:
        query = query.where(Listing.kind == kind)
    if side:
        query = query.where(Listing.side == side)
    if hs:
        query = query.where(Listing.hs_code.startswith(hs.replace(".", ""), autoescape=True))
    if party:
        query = query.where(Enterprise.party == party.upper())
    if size_band:
        query = query.where(Enterprise.size_band == size_band)
    if certification:
        holders = [e.id for e in session.execute(select(Enterprise.id, Enterprise.certifications)).all()
                   if certification in (e.certifications or [])]
        query = query.where(Listing.enterprise_id.in_(holders))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = session.scalars(query.order_by(Listing.published_at.desc(), Listing.id.desc())
                           .offset(max(offset, 0)).limit(min(max(limit, 1), 500))).all()
    return ListingPage(total=total, items=[public(session, r, reader=reader) for r in page])


def count_listings(session: Session, *, status: str | None = None) -> int:
    query = select(func.count(Listing.id))
    if status:
        query = query.where(Listing.status == status)
    return session.scalar(query) or 0
