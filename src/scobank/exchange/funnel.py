"""The outcome funnel: listing -> interest -> contact -> meeting -> agreement, counted in listings, by
party (of the listing's enterprise) or by sector (the listing's HS chapter).

A listing reaches a stage when an expression of interest on it, or made from it (its source listing),
reaches that stage: interest (expressed), contact (both sides accepted: contacts revealed), meeting and
agreement (confirmed by both sides, see outcomes.py). An interest's stage is the longest run of stages
it passed in order, so every count is at most the one before it: monotone by construction. A withdrawn
interest keeps the stages it passed; expressing it again starts over. `matches_served` (listing and
candidate pairs shown as matches) is reported beside the funnel, not as a stage of it.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.errors import BadRequest
from scobank.exchange.models import Enterprise, Interest, Listing, MatchServed

STAGES = ("listing", "interest", "contact", "meeting", "agreement")


class FunnelRow(BaseModel):
    key: str
    listing: int = 0
    interest: int = 0
    contact: int = 0
    meeting: int = 0
    agreement: int = 0
    matches_served: int = 0


class FunnelReport(BaseModel):
    by: str  # party | sector
    stages: list[str] = list(STAGES)
    rows: list[FunnelRow]
    total: FunnelRow


def _level(mutual_at, meeting_at, agreement_at) -> int:
    """1 interest, 2 contact, 3 meeting, 4 agreement: the stages passed in order."""
    level = 1
    for reached in (mutual_at, meeting_at, agreement_at):
        if reached is None:
            break
        level += 1
    return level


def _levels(session: Session) -> dict[int, int]:
    """The furthest stage each listing reached through its interests (listing ids without one: absent)."""
    best: dict[int, int] = defaultdict(int)
    rows = session.execute(select(Interest.listing_id, Interest.source_listing_id, Interest.mutual_at,
                                  Interest.meeting_at, Interest.agreement_at))
    for listing_id, source_id, mutual_at, meeting_at, agreement_at in rows:
        level = _level(mutual_at, meeting_at, agreement_at)
        for lid in (listing_id, source_id):
            if lid is not None:
                best[lid] = max(best[lid], level)
    return best


def funnel(session: Session, *, by: str = "party") -> FunnelReport:
    """Listings per stage, grouped `by` "party" or "sector" (HS chapter), with a total row."""
    if by not in ("party", "sector"):
        raise BadRequest(f"funnel by {by!r}; expected 'party' or 'sector'")
    key = Enterprise.party if by == "party" else func.coalesce(Listing.hs2, "--")
    levels = _levels(session)
    rows: dict[str, FunnelRow] = {}
    sources = select(Interest.source_listing_id).where(Interest.source_listing_id.is_not(None))
    listings = (select(Listing.id, key).join(Enterprise, Enterprise.id == Listing.enterprise_id)
                .where(Listing.published_at.is_not(None) | Listing.id.in_(sources)))
    for listing_id, k in session.execute(listings):
        row = rows.setdefault(str(k), FunnelRow(key=str(k)))
        level = levels.get(listing_id, 0)
        for n, stage in enumerate(STAGES):
            if level >= n:
                setattr(row, stage, getattr(row, stage) + 1)
    served = (select(key, func.count(MatchServed.id)).join(Listing, Listing.id == MatchServed.listing_id)
              .join(Enterprise, Enterprise.id == Listing.enterprise_id).group_by(key))
    for k, n in session.execute(served):
        rows.setdefault(str(k), FunnelRow(key=str(k))).matches_served = n
    ordered = sorted(rows.values(), key=lambda r: r.key)
    total = FunnelRow(key="total", **{s: sum(getattr(r, s) for r in ordered) for s in (*STAGES, "matches_served")})
    return FunnelReport(by=by, rows=ordered, total=total)
